//! Satisfaction surveys of a service: for one year and one question, the
//! answers counted per level of a scale, and how many members were asked.
//! Counts, not only percentages, are what readers are shown: 9 answers out
//! of 24 members do not weigh what 22 do.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Enquete {
    /// Year of the survey.
    pub exercice: i32,
    /// The question as it was asked.
    pub question: String,
    /// The levels of the scale, in the order of the answers (the most
    /// favourable first, as the questionnaire showed them).
    pub echelle: Vec<String>,
    /// Answers per level, one count per level of `echelle`.
    pub reponses: Vec<u32>,
    /// Members asked; the answers cannot outnumber them.
    #[serde(default)]
    pub sollicites: Option<u32>,
    #[serde(default)]
    pub note: Option<String>,
}
