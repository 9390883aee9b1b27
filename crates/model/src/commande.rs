//! Commande publique: groupements de commandes and project assistance
//! (assistance à maîtrise d'ouvrage) provided to members.

use super::values::{Montant, Nombre};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommandePublique {
    #[serde(default)]
    pub groupements: Vec<Groupement>,
    /// Printed column totals by year: "total" or a member id → amount.
    #[serde(default)]
    pub totaux_declares: BTreeMap<i32, BTreeMap<String, Montant>>,
    #[serde(default)]
    pub assistance_maitrise_ouvrage: Vec<Amo>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Groupement {
    pub id: String,
    pub objet: String,
    pub exercice: i32,
    pub coordonnateur: String,
    #[serde(default)]
    pub duree: Option<String>,
    pub total_ht: Montant,
    /// Amount HT per member (members not listed share the rest).
    #[serde(default)]
    pub montants_ht: BTreeMap<String, Montant>,
    /// Other members of the groupement without an itemised amount.
    #[serde(default)]
    pub autres_membres: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Amo {
    pub exercice: i32,
    /// Number of bodies assisted.
    #[serde(default)]
    pub collectivites: Option<u32>,
    pub lignes: Vec<LigneAmo>,
    #[serde(default)]
    pub total_marches_declare: Option<Nombre>,
    #[serde(default)]
    pub total_ht_declare: Option<Montant>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LigneAmo {
    #[serde(rename = "type")]
    pub genre: String,
    pub marches: Nombre,
    pub montant_ht: Montant,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EffectifsDeclares {
    pub exercice: i32,
    /// Services whose staff make up the total.
    pub perimetre: Vec<String>,
    #[serde(default)]
    pub total_declare: Option<Nombre>,
    /// Permanent posts by year.
    #[serde(default)]
    pub emplois_permanents: BTreeMap<i32, Nombre>,
    #[serde(default)]
    pub note: Option<String>,
}
