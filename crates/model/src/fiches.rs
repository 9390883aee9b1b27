//! Axes of the schéma and their fiches-actions.

use super::cles::Beneficiaires;
use super::services::FormeJuridique;
use super::values::{token_enum, Evaluation, Reponse};
use super::Visibilite;
use serde::{de, Deserialize, Deserializer, Serialize};
use std::fmt;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Axes {
    pub axes: Vec<Axe>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Axe {
    pub id: String,
    pub numero: u32,
    pub titre: String,
    #[serde(default)]
    pub description: Option<String>,
}

token_enum! {
    /// Progress of a fiche-action.
    Statut {
        AEngager => "a_engager", "à engager" | "non_engagee" | "non_commencee";
        EnReflexion => "en_reflexion", "en réflexion";
        EnCours => "en_cours", "en cours";
        Realisee => "realisee", "réalisée" | "realise" | "terminee";
        Reportee => "reportee", "reportée" | "differee";
        Abandonnee => "abandonnee", "abandonnée" | "arretee";
    }
}

/// A text field that may be written as one paragraph or as a list of items.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Textes(pub Vec<String>);

impl<'de> Deserialize<'de> for Textes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Textes;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("mutu:du texte ou une liste de textes")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Textes, E> {
                Ok(Textes(vec![v.to_string()]))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Textes, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(Textes(v))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fiche {
    pub id: String,
    pub axe: String,
    pub numero: u32,
    /// "Piste de mutualisation": the fiche's title.
    pub piste: String,
    #[serde(default)]
    pub domaine: Option<String>,
    #[serde(default)]
    pub priorite: Option<u8>,
    pub statut: Statut,
    /// Status at the end of earlier years (`2022: en_reflexion`), for the
    /// year-over-year comparison; `statut` is the report year's.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub statuts_par_exercice: std::collections::BTreeMap<i32, Statut>,
    #[serde(default)]
    pub descriptif: Textes,
    #[serde(default)]
    pub objectifs: Textes,
    pub collectivites_interessees: Beneficiaires,
    #[serde(default)]
    pub cadre_juridique: Option<FormeJuridique>,
    #[serde(default)]
    pub cadre_juridique_precision: Option<String>,
    #[serde(default)]
    pub impact_rh: Option<ImpactRh>,
    #[serde(default)]
    pub impact_financier: Option<ImpactFinancier>,
    #[serde(default)]
    pub plan_actions: Textes,
    #[serde(default)]
    pub indicateurs: Textes,
    #[serde(default)]
    pub calendrier: Option<String>,
    #[serde(default)]
    pub observations: Textes,
    /// Service created or extended by this fiche.
    #[serde(default)]
    pub service: Option<String>,
    #[serde(default)]
    pub visibilite: Option<Visibilite>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactRh {
    #[serde(default)]
    pub organisation: Option<String>,
    #[serde(default)]
    pub mises_a_disposition: Option<Reponse>,
    #[serde(default)]
    pub recrutements: Option<Reponse>,
    #[serde(default)]
    pub commentaire: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ImpactFinancier {
    #[serde(default)]
    pub appreciation: Option<Reponse>,
    #[serde(default)]
    pub depenses: Option<Evaluation>,
    #[serde(default)]
    pub recettes: Option<Evaluation>,
    #[serde(default)]
    pub commentaire: Option<String>,
}
