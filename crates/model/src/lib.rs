//! The typed input model: what the files of a project say, as written,
//! and how they are read — [`load`] walks `data/` and `content/`, [`yaml`]
//! keeps every value's line and column and turns serde's errors into French
//! diagnostics, [`medias`] resolves the files a text links to, [`audience`]
//! leaves out what the public version must not show. Nothing here is
//! computed; see `mutu-compute` for derived figures.

pub mod audience;
pub mod catalogue;
pub mod cible;
pub mod cles;
pub mod commande;
pub mod config;
pub mod contenu;
pub mod enquetes;
pub mod fiches;
pub mod load;
pub mod medias;
pub mod schema;
pub mod services;
pub mod territoire;
pub mod values;
pub mod yaml;

use crate::yaml::Path as YamlPath;
use serde::Serialize;
use std::path::PathBuf;
use values::token_enum;

pub use cles::{BaseCle, Beneficiaires, Cle};
pub use commande::{CommandePublique, EffectifsDeclares, Groupement};
pub use config::Config;
pub use contenu::{Contenu, FrontMatter, Objet};
pub use fiches::{Axe, Fiche, Statut};
pub use schema::{Rapport, Schema};
pub use services::{FormeJuridique, Service};
pub use territoire::{Epci, Membre, Partenaire, Territoire};
pub use values::{Date, Evaluation, Montant, Nombre, Pourcentage};

token_enum! {
    /// Audience of a piece of content.
    Visibilite {
        Publique => "publique", "publique" | "public";
        Interne => "interne", "interne";
    }
}

/// Where an entity was read from: its file and its path inside the YAML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Origine {
    pub fichier: PathBuf,
    #[serde(skip)]
    pub chemin: YamlPath,
}

/// An entity with its origin.
#[derive(Debug, Clone, Serialize)]
pub struct Lu<T> {
    #[serde(flatten)]
    pub valeur: T,
    #[serde(skip)]
    pub origine: Origine,
}

impl<T> std::ops::Deref for Lu<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.valeur
    }
}

/// Everything a project declares, as loaded.
#[derive(Debug, Clone)]
pub struct Projet {
    pub racine: PathBuf,
    pub config: Config,
    pub territoire: Lu<Territoire>,
    pub schema: Option<Lu<Schema>>,
    pub rapport: Lu<Rapport>,
    pub cles: Vec<Lu<Cle>>,
    pub axes: Vec<Lu<Axe>>,
    pub services: Vec<Lu<Service>>,
    pub fiches: Vec<Lu<Fiche>>,
    pub commande_publique: Option<Lu<CommandePublique>>,
    pub effectifs: Option<Lu<EffectifsDeclares>>,
    pub contenus: Vec<Contenu>,
    /// Members and partners by id (see [`territoire::Annuaire`]).
    pub annuaire: territoire::Annuaire,
}

impl Projet {
    /// Display name of a body id (EPCI sigle, member or partner name).
    pub fn nom(&self, id: &str) -> String {
        let t = &self.territoire;
        self.annuaire.nom(&t.epci, &t.membres, &t.partenaires, id)
    }

    /// Rank of a body in the one order of organisations ([`crate::territoire::Annuaire::rang`]).
    pub fn rang(&self, id: &str) -> (u8, usize) {
        let t = &self.territoire;
        self.annuaire.rang(&t.epci, &t.membres, &t.partenaires, id)
    }
}
