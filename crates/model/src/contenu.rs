//! Markdown narrative with YAML front matter, attached to an entity.

use super::values::token_enum;
use super::Visibilite;
use serde::{Deserialize, Serialize};

token_enum! {
    /// What a narrative page is attached to.
    Objet {
        Rapport => "rapport", "rapport (édito)";
        Schema => "schema", "schéma";
        Axe => "axe", "axe";
        Fiche => "fiche", "fiche-action";
        Service => "service", "service";
        Membre => "membre", "membre";
        Page => "page", "page libre";
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    #[serde(default)]
    pub titre: Option<String>,
    pub objet: Objet,
    /// Id of the entity (axe, fiche, service, membre) or slug of a page.
    #[serde(default)]
    pub id: Option<String>,
    #[serde(default)]
    pub exercice: Option<i32>,
    #[serde(default)]
    pub ordre: Option<i32>,
    #[serde(default)]
    pub visibilite: Option<Visibilite>,
}

impl FrontMatter {
    /// The `titre`, unless blank: a blank title is left out (`mutu check`
    /// warns, `titre-vide`).
    pub fn titre_ecrit(&self) -> Option<&String> {
        self.titre.as_ref().filter(|t| !t.trim().is_empty())
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Contenu {
    /// Path relative to the project root.
    pub fichier: String,
    pub entete: FrontMatter,
    pub markdown: String,
    /// Line of the file where the Markdown body starts (1-based).
    pub premiere_ligne: usize,
}
