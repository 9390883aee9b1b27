//! Rewriting several files of a project with the means to put them all
//! back: each file is replaced atomically, and the journal remembers its
//! previous content so that a step failing later (the project no longer
//! checks clean) undoes every change.

use std::path::{Path, PathBuf};

/// Project files rewritten one by one, each atomically, to undo them all if
/// a later step fails (`mutu new --exercice`, `mutu import --ecrire`).
#[derive(Default)]
pub struct Journal {
    /// Path and previous content (`None`: the file was created).
    ecrits: Vec<(PathBuf, Option<String>)>,
}

impl Journal {
    pub fn ecrire(&mut self, chemin: &Path, avant: Option<String>, texte: &str) -> Result<(), String> {
        if let Some(d) = chemin.parent() {
            std::fs::create_dir_all(d).map_err(|e| {
                format!(
                    "erreur : impossible de créer le dossier {} : {e}\n  = aide : {}",
                    d.display(),
                    crate::diagnostic::aide_ecriture(&e)
                )
            })?;
        }
        super::write_atomic(chemin, texte.as_bytes()).map_err(|e| {
            format!(
                "erreur : impossible d'écrire {} : {e}\n  = aide : {}",
                chemin.display(),
                crate::diagnostic::aide_ecriture(&e)
            )
        })?;
        self.ecrits.push((chemin.to_path_buf(), avant));
        Ok(())
    }

    pub fn annuler(&mut self) {
        for (chemin, avant) in self.ecrits.drain(..).rev() {
            let _ = match avant {
                Some(t) => super::write_atomic(&chemin, t.as_bytes()),
                None => std::fs::remove_file(&chemin),
            };
        }
    }
}
