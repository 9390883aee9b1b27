//! A file of the output, in memory: what the renderers produce, what
//! `mutu serve` serves and what [`crate::output`] writes. It lives apart
//! from both so that writing never depends on rendering.

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
