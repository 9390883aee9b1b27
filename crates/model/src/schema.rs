//! The schéma de mutualisation (adoption, governance, history, legal frame)
//! and the yearly report it is presented in.

use super::values::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    pub titre: String,
    pub mandat: Mandat,
    #[serde(default)]
    pub adoptions: Vec<Adoption>,
    #[serde(default)]
    pub principes_gouvernance: Vec<Principe>,
    #[serde(default)]
    pub historique: Vec<Annee>,
    #[serde(default)]
    pub cadre_juridique: Vec<Texte>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Mandat {
    pub debut: i32,
    pub fin: i32,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adoption {
    pub date: Date,
    pub objet: String,
    #[serde(default)]
    pub deliberation: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Principe {
    pub titre: String,
    #[serde(default)]
    pub texte: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Annee {
    pub annee: i32,
    pub evenements: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Texte {
    pub reference: String,
    pub objet: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rapport {
    pub exercice: i32,
    #[serde(default)]
    pub titre: Option<String>,
    pub date_conseil: Date,
    pub deliberation: String,
    /// Identifier of the act given by @ctes once transmitted to the préfecture.
    #[serde(default)]
    pub actes_id: Option<String>,
    pub signataire: Signataire,
    #[serde(default)]
    pub transmission: Option<Transmission>,
    /// Date printed in the PDF metadata; the date of the conseil by default.
    #[serde(default)]
    pub date_document: Option<Date>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Signataire {
    pub nom: String,
    pub qualite: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Transmission {
    #[serde(default)]
    pub envoi: Option<Date>,
    #[serde(default)]
    pub reception: Option<Date>,
    #[serde(default)]
    pub publication: Option<Date>,
}
