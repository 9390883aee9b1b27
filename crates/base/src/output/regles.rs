//! Where mutu may write. `build` replaces a whole folder and `pdf` or
//! `export` overwrite files: given a careless `--sortie`, either could destroy
//! the user's project (`--sortie .`, `--sortie data`, the project's parent…)
//! or a folder of theirs. These rules are checked before anything is
//! computed, so a refused output leaves every file as it was:
//!
//! - never the project folder, a folder that contains it, its sources
//!   (`data/`, `content/`, `themes/`, `.git/`) or anything inside them;
//! - never the file system's root, the home folder or a folder that
//!   contains it;
//! - a folder is replaced only when it is absent, empty, or carries the
//!   marker file [`MARQUE`] that mutu writes into every folder it produces
//!   (the project's default `public/` is also accepted without it: builds
//!   made before the marker existed did not write it);
//! - a file is overwritten only when it is what mutu would write there (a
//!   PDF over a PDF, an export over an export, a `diff` page over a `diff`
//!   page), checked on its first bytes.
//!
//! Paths are compared once resolved: symbolic links followed, `..` removed,
//! the part that does not exist yet appended to the real path of the part
//! that does.

use crate::codes::Code;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Name of the marker file at the root of every folder mutu produces.
pub const MARQUE: &str = ".mutu-sortie";

/// Content of the marker file (deterministic: no date, no version).
pub const TEXTE_MARQUE: &str = "Dossier produit par mutu : il est remplacé en entier à chaque construction.\n\
N'y rangez aucun fichier à conserver : il serait supprimé à la construction suivante.\n";

/// Folders of a project that hold what the user wrote (or its history).
pub const SOURCES: [&str; 4] = ["data", "content", "themes", ".git"];

/// Why an output is refused.
#[derive(Debug)]
pub enum Refus {
    /// The project folder itself.
    Projet,
    /// Inside one of the project's [`SOURCES`] (its name).
    Source(&'static str),
    /// A folder that contains the project.
    Ancetre,
    /// The root of the file system (`/`, `C:\`).
    RacineSysteme,
    /// The home folder, or a folder that contains it.
    Personnel,
    /// An existing non-empty folder that mutu did not produce.
    Etranger,
    /// Something other than a folder where a folder is written.
    PasUnDossier,
    /// A folder where a file is written.
    PasUnFichier,
    /// An existing file that mutu did not write (what it should be).
    FichierEtranger(&'static str),
    /// The path cannot be examined.
    Illisible(io::Error),
}

impl Refus {
    /// The French message for output `chemin`.
    pub fn message(&self, chemin: &Path) -> String {
        let c = chemin.display();
        match self {
            Refus::Projet => format!("sortie refusée : {c} est le dossier du projet lui-même"),
            Refus::Source(s) => format!("sortie refusée : {c} est dans le dossier {s}/ du projet"),
            Refus::Ancetre => format!("sortie refusée : {c} contient le dossier du projet"),
            Refus::RacineSysteme => format!("sortie refusée : {c} est la racine du disque"),
            Refus::Personnel => format!("sortie refusée : {c} est votre dossier personnel ou le contient"),
            Refus::Etranger => format!("sortie refusée : le dossier {c} existe, n'est pas vide et n'a pas été produit par mutu"),
            Refus::PasUnDossier => format!("sortie refusée : {c} existe et n'est pas un dossier"),
            Refus::PasUnFichier => format!("sortie refusée : {c} est un dossier"),
            Refus::FichierEtranger(quoi) => format!("sortie refusée : le fichier {c} existe et n'est pas {quoi}"),
            Refus::Illisible(e) => format!("sortie refusée : impossible d'examiner {c} : {e}"),
        }
    }

    /// What to do instead.
    pub fn aide(&self) -> &'static str {
        match self {
            Refus::Projet | Refus::Source(_) | Refus::Ancetre => {
                "le dossier de sortie est remplacé en entier : indiquez un dossier à part, par exemple `--sortie public` (le dossier par défaut)"
            }
            Refus::RacineSysteme | Refus::Personnel => "indiquez un sous-dossier réservé au site, par exemple `--sortie public`",
            Refus::Etranger => {
                "mutu ne remplace que les dossiers qu'il a produits (ils contiennent le fichier .mutu-sortie) : indiquez un dossier absent ou vide, ou videz celui-ci vous-même"
            }
            Refus::PasUnDossier => "indiquez un dossier absent, vide ou produit par mutu",
            Refus::PasUnFichier => "indiquez le chemin d'un fichier, par exemple `--sortie export.json`",
            Refus::FichierEtranger(_) => "mutu ne remplace que les fichiers qu'il a écrits : choisissez un autre nom, ou supprimez ce fichier vous-même",
            Refus::Illisible(_) => "vérifiez que le chemin existe et que vous avez le droit de le lire",
        }
    }

    /// The refusal as a diagnostic (code `sortie-refusee`).
    pub fn diagnostic(&self, chemin: &Path) -> crate::diagnostic::Diagnostic {
        crate::diagnostic::Diagnostic::error(Code::SortieRefusee, self.message(chemin)).hint(self.aide())
    }
}

/// A folder that `build` may replace in full.
pub fn dossier_remplacable(projet: &Path, sortie: &Path, par_defaut: bool) -> Result<(), Refus> {
    emplacement(projet, sortie)?;
    let meta = match std::fs::metadata(sortie) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Refus::Illisible(e)),
    };
    if !meta.is_dir() {
        return Err(Refus::PasUnDossier);
    }
    if par_defaut || produit_par_mutu(sortie) {
        return Ok(());
    }
    let mut entrees = std::fs::read_dir(sortie).map_err(Refus::Illisible)?;
    match entrees.next() {
        None => Ok(()),
        Some(_) => Err(Refus::Etranger),
    }
}

/// A folder into which `pdf` may write its files (they are checked one by
/// one with [`fichier_remplacable`]; nothing else in it is touched).
pub fn dossier_de_fichiers(projet: &Path, dossier: &Path) -> Result<(), Refus> {
    emplacement(projet, dossier)?;
    match std::fs::metadata(dossier) {
        Ok(m) if !m.is_dir() => Err(Refus::PasUnDossier),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Refus::Illisible(e)),
    }
}

/// What a file mutu overwrites must already be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// A PDF (`%PDF-`).
    Pdf,
    /// A previous `mutu export`.
    Export,
    /// A previous `mutu diff --sortie` (its page names mutu as generator).
    Comparaison,
}

/// How a `mutu export` file starts: what tells it apart from a user's JSON.
pub const DEBUT_EXPORT: &str = "{\n  \"format_export\":";

/// How a `mutu diff --sortie` report starts: the page names mutu as its
/// generator, which a user's HTML page does not.
pub const DEBUT_COMPARAISON: &str = "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"mutu diff\">\n";

impl Genre {
    fn signature(self) -> &'static [u8] {
        match self {
            Genre::Pdf => b"%PDF-",
            Genre::Export => DEBUT_EXPORT.as_bytes(),
            Genre::Comparaison => DEBUT_COMPARAISON.as_bytes(),
        }
    }

    fn nom(self) -> &'static str {
        match self {
            Genre::Pdf => "un PDF",
            Genre::Export => "un export de mutu",
            Genre::Comparaison => "une comparaison écrite par `mutu diff`",
        }
    }
}

/// A file that may be written: not among the project's sources, and
/// either absent or of the same kind as what replaces it.
pub fn fichier_remplacable(projet: &Path, fichier: &Path, genre: Genre) -> Result<(), Refus> {
    emplacement_fichier(projet, fichier)?;
    match std::fs::metadata(fichier) {
        Ok(m) if m.is_dir() => Err(Refus::PasUnFichier),
        Ok(_) => {
            use std::io::Read;
            let signature = genre.signature();
            let mut debut = vec![0; signature.len()];
            let lu = std::fs::File::open(fichier).and_then(|mut f| f.read_exact(&mut debut));
            match lu {
                Ok(()) if debut == signature => Ok(()),
                Ok(()) => Err(Refus::FichierEtranger(genre.nom())),
                Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(Refus::FichierEtranger(genre.nom())),
                Err(e) => Err(Refus::Illisible(e)),
            }
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Refus::Illisible(e)),
    }
}

/// Whether `dossier` carries mutu's marker file.
pub fn produit_par_mutu(dossier: &Path) -> bool {
    std::fs::symlink_metadata(dossier.join(MARQUE)).is_ok_and(|m| m.is_file())
}

/// The rules on where a replaced folder (or a folder written into) may be.
pub fn emplacement(projet: &Path, cible: &Path) -> Result<(), Refus> {
    let c = reel(cible).map_err(Refus::Illisible)?;
    if c.parent().is_none() {
        return Err(Refus::RacineSysteme);
    }
    dans_le_projet(projet, &c)?;
    if dossier_personnel().is_some_and(|h| h.starts_with(&c)) {
        return Err(Refus::Personnel);
    }
    Ok(())
}

/// The rules on where a written file may be: anywhere but in the project's
/// sources (the project folder itself is fine for a file).
fn emplacement_fichier(projet: &Path, fichier: &Path) -> Result<(), Refus> {
    let c = reel(fichier).map_err(Refus::Illisible)?;
    match dans_le_projet(projet, &c) {
        Err(Refus::Projet | Refus::Ancetre) => Err(Refus::PasUnFichier),
        r => r,
    }
}

fn dans_le_projet(projet: &Path, c: &Path) -> Result<(), Refus> {
    let p = reel(projet).map_err(Refus::Illisible)?;
    if c == p {
        return Err(Refus::Projet);
    }
    if p.starts_with(c) {
        return Err(Refus::Ancetre);
    }
    for s in SOURCES {
        if c.starts_with(p.join(s)) {
            return Err(Refus::Source(s));
        }
    }
    Ok(())
}

/// The home folder, resolved, when the environment names one.
fn dossier_personnel() -> Option<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    let h = std::env::var_os(var).filter(|h| !h.is_empty())?;
    reel(Path::new(&h)).ok()
}

/// `p` made absolute with every symbolic link of its existing part
/// followed and `.`/`..` resolved; the part that does not exist yet is
/// appended as written.
pub fn reel(p: &Path) -> io::Result<PathBuf> {
    let absolu = std::path::absolute(p)?;
    let mut existant = absolu.as_path();
    let mut reste = Vec::new();
    loop {
        match existant.canonicalize() {
            Ok(base) => {
                let mut out = base;
                for c in reste.into_iter().rev() {
                    match c {
                        Component::ParentDir => {
                            out.pop();
                        }
                        Component::Normal(n) => out.push(n),
                        _ => {}
                    }
                }
                return Ok(out);
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory => {
                let Some(parent) = existant.parent() else { return Err(e) };
                if let Some(c) = existant.components().next_back() {
                    reste.push(c);
                }
                existant = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dossier(nom: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("mutu-regles-{nom}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(d.join("projet/data")).unwrap();
        std::fs::create_dir_all(d.join("projet/content")).unwrap();
        d
    }

    #[test]
    fn resolved_paths() {
        let d = dossier("reel");
        let base = d.canonicalize().unwrap();
        assert_eq!(reel(&d.join("projet/data/../content")).unwrap(), base.join("projet/content"));
        assert_eq!(reel(&d.join("projet/absent/x/../y")).unwrap(), base.join("projet/absent/y"));
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn folder_rules() {
        let d = dossier("dossiers");
        let p = d.join("projet");
        let ok = |s: &Path, defaut| dossier_remplacable(&p, s, defaut);
        assert!(matches!(ok(&p, false), Err(Refus::Projet)));
        assert!(matches!(ok(&p.join("."), false), Err(Refus::Projet)));
        assert!(matches!(ok(&p.join("data"), false), Err(Refus::Source("data"))));
        assert!(matches!(ok(&p.join("content/site"), false), Err(Refus::Source("content"))));
        assert!(matches!(ok(&p.join("themes"), false), Err(Refus::Source("themes"))));
        assert!(matches!(ok(&p.join("public/../data"), false), Err(Refus::Source("data"))));
        assert!(matches!(ok(&d, false), Err(Refus::Ancetre)));
        assert!(matches!(ok(&p.join("data/.."), false), Err(Refus::Projet)));
        assert!(matches!(ok(Path::new("/"), false), Err(Refus::RacineSysteme)));
        assert!(ok(&p.join("public"), false).is_ok(), "absent");
        std::fs::create_dir_all(p.join("public")).unwrap();
        assert!(ok(&p.join("public"), false).is_ok(), "empty");
        std::fs::write(p.join("public/notes.txt"), "à garder").unwrap();
        assert!(matches!(ok(&p.join("public"), false), Err(Refus::Etranger)));
        assert!(ok(&p.join("public"), true).is_ok(), "the default output, built before the marker");
        std::fs::write(p.join("public").join(MARQUE), TEXTE_MARQUE).unwrap();
        assert!(ok(&p.join("public"), false).is_ok(), "marked");
        assert!(matches!(ok(&p.join("public/notes.txt"), false), Err(Refus::PasUnDossier)));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&p, d.join("lien")).unwrap();
            assert!(matches!(ok(&d.join("lien"), false), Err(Refus::Projet)), "a link to the project");
            assert!(matches!(ok(&d.join("lien/data"), false), Err(Refus::Source("data"))));
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn file_rules() {
        let d = dossier("fichiers");
        let p = d.join("projet");
        std::fs::write(p.join("data/territoire.yaml"), "epci: x\n").unwrap();
        std::fs::write(p.join("notes.json"), "{\"a\": 1}").unwrap();
        std::fs::write(p.join("vieux.pdf"), "%PDF-1.7 …").unwrap();
        std::fs::write(p.join("court.pdf"), "%P").unwrap();
        assert!(matches!(
            fichier_remplacable(&p, &p.join("data/territoire.yaml"), Genre::Export),
            Err(Refus::Source("data"))
        ));
        assert!(matches!(
            fichier_remplacable(&p, &p.join("notes.json"), Genre::Export),
            Err(Refus::FichierEtranger(_))
        ));
        assert!(matches!(fichier_remplacable(&p, &p.join("data"), Genre::Export), Err(Refus::Source("data"))));
        assert!(matches!(fichier_remplacable(&p, &p, Genre::Export), Err(Refus::PasUnFichier)));
        assert!(matches!(
            fichier_remplacable(&p, &p.join("court.pdf"), Genre::Pdf),
            Err(Refus::FichierEtranger(_))
        ));
        assert!(fichier_remplacable(&p, &p.join("vieux.pdf"), Genre::Pdf).is_ok());
        assert!(fichier_remplacable(&p, &p.join("export.json"), Genre::Export).is_ok());
        let _ = std::fs::remove_dir_all(&d);
    }
}
