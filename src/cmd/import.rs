//! `mutu import <fichier> [--ecrire]` (alias `importer`): the figures of a
//! spreadsheet into the project's YAML. The reading, the preview and the
//! careful writing are `mutu_import` (calamine lives there alone); this is
//! the command's entry.

use std::path::Path;

/// Previews, or writes with `ecrire`, what `fichier` changes in the project at `racine`.
pub fn run(racine: &Path, fichier: &Path, ecrire: bool) -> i32 {
    mutu_import::commande(racine, fichier, ecrire)
}
