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

/// Where a renderer gives each file as soon as it is produced, from any of
/// its threads: written at once into the new output (`mutu build`,
/// [`crate::output::Ecriture`]) or gathered in memory ([`Recueil`]).
pub type Sortie<'a> = &'a (dyn Fn(Fichier) + Sync);

/// Files given one at a time, from any thread, gathered in memory: a
/// renderer's [`Sortie`] when the files are served or returned rather
/// than written.
#[derive(Debug, Default)]
pub struct Recueil(std::sync::Mutex<Vec<Fichier>>);

impl Recueil {
    pub fn recoit(&self, f: Fichier) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(f);
    }

    /// The files sorted by path; of two at one path, the first given is
    /// kept, as [`crate::output::Ecriture`] keeps it.
    pub fn fichiers(self) -> Vec<Fichier> {
        let mut f = self.0.into_inner().unwrap_or_else(|e| e.into_inner());
        // Stable: equal paths stay in the order given.
        f.sort_by(|a, b| a.chemin.cmp(&b.chemin));
        f.dedup_by(|a, b| a.chemin == b.chemin);
        f
    }
}
