//! `mutu publish` (alias `publier`): puts the last build on the extranet
//! (the transports and their safety are `mutu_publish`), after building it
//! when asked (`--construire`).

use mutu_model::audience::Audience;
use std::path::{Path, PathBuf};

/// What the command line asked of `mutu publish`.
pub struct Demande {
    pub cible: Option<String>,
    pub essai: bool,
    pub retour: bool,
    pub construire: bool,
    pub audience: Audience,
    pub cle: Option<PathBuf>,
    pub sortie: Option<PathBuf>,
}

/// Publishes the build in `sortie` (`public/` by default) of the project at `racine`.
pub fn run(racine: &Path, d: Demande) -> i32 {
    if d.construire {
        // The very `mutu build`: the same refusal of a folder that is not
        // mutu's, the same wait for an import that is writing.
        let code = super::build::run(racine, d.sortie.clone(), d.audience, true, false);
        if code != 0 {
            return code;
        }
    }
    let sortie = d.sortie.unwrap_or_else(|| racine.join("public"));
    let cle = d
        .cle
        .or_else(|| std::env::var_os(mutu_publish::VAR_CLE).filter(|v| !v.is_empty()).map(PathBuf::from));
    mutu_publish::commande(
        racine,
        &mutu_publish::Options {
            cible: d.cible,
            essai: d.essai,
            retour: d.retour,
            cle,
            source: sortie,
        },
    )
}
