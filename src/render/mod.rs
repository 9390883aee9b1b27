//! Renderers: each turns the presentation [`Document`](crate::present::Document)
//! into files, in memory. None computes or formats a figure. Writing the
//! files (atomically) is the job of [`crate::output`].

pub mod data;
pub mod pdf;
pub mod site;

/// A file produced by a renderer: path relative to the output folder
/// (`/`-separated) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fichier {
    pub chemin: String,
    pub contenu: Vec<u8>,
}

impl Fichier {
    pub fn new(chemin: impl Into<String>, contenu: impl Into<Vec<u8>>) -> Self {
        Fichier {
            chemin: chemin.into(),
            contenu: contenu.into(),
        }
    }
}
