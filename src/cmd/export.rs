//! `mutu export` (alias `exporter`): the computed model as JSON
//! (docs/export.md), on the terminal or in a file — never over a file
//! that is not a previous export.

use mutu_base::output::regles;
use mutu_base::texte::pluriel;
use mutu_compute::pipeline;
use mutu_model::audience::Audience;
use std::path::{Path, PathBuf};

/// Prints or writes the export of the project at `root` for `audience`.
pub fn run(root: &Path, sortie: Option<PathBuf>, audience: Audience) -> i32 {
    if let Some(f) = &sortie {
        if let Err(r) = regles::fichier_remplacable(root, f, regles::Genre::Export) {
            return super::sortie_refusee(&r, f);
        }
    }
    let run = pipeline::run_for(root, audience);
    super::print_diagnostics(&run.diagnostics, &run.sources);
    let Some(m) = run.model.filter(|_| !run.diagnostics.has_errors()) else {
        eprintln!("export impossible : {}", run.diagnostics.summary());
        return 1;
    };
    let json = mutu_compute::export::to_json(&m);
    match sortie {
        None => {
            mutu_base::progress::affiche(&json);
            0
        }
        Some(path) => match mutu_base::output::write_atomic(&path, json.as_bytes()) {
            Ok(()) => {
                eprintln!("export écrit dans {} ({})", path.display(), pluriel(json.len(), "octet", "octets"));
                0
            }
            Err(e) => {
                eprintln!(
                    "erreur : impossible d'écrire {} : {e}\n  = aide : {}",
                    path.display(),
                    mutu_base::diagnostic::aide_ecriture(&e)
                );
                1
            }
        },
    }
}
