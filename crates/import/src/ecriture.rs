//! Writing an import into the project, all or nothing across its files.
//!
//! The new texts were checked before (the whole project, in memory); then a
//! journal, `.mutu-import.journal` at the project's root, records every
//! file's old and new text, each file is replaced, and the journal is
//! removed. A write interrupted in between (killed, Ctrl-C, power cut)
//! leaves the journal: the next mutu command finishes it ([`reprendre`]),
//! since the new texts were checked already. The project's lock
//! ([`verrou`], shared with `mutu build`) keeps a second import or a build
//! from reading the files in between.
//!
//! A data file is replaced where it really is: through a symbolic link
//! (the link stays a link) and with its permissions (a 0600 file stays
//! 0600), since these are the user's files, not mutu's outputs.

use mutu_base::output::Verrou;
use serde::{Deserialize, Serialize};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The journal's name, at the project's root.
pub const JOURNAL: &str = ".mutu-import.journal";

/// One file of an import being written.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Entree {
    /// Relative to the project's root.
    pub chemin: PathBuf,
    pub avant: String,
    pub apres: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    fichiers: Vec<Entree>,
}

/// The project's lock: held by `import --ecrire` from its first reading
/// to its last write, and by `build` while it builds, so neither reads a
/// project half-imported. `attente` is called once if another holds it;
/// `None` when `racine` is not a folder (nothing to protect, and the lock
/// file must not create it).
pub fn verrou(racine: &Path, attente: impl FnOnce()) -> io::Result<Option<Verrou>> {
    if !racine.is_dir() {
        return Ok(None);
    }
    Verrou::prendre(&racine.join("projet"), attente).map(Some)
}

/// What [`verrou`] prints while it waits.
pub fn attente() {
    eprintln!("un autre import ou une construction utilise ce projet : attente de sa fin…");
}

/// Replaces `chemin` by `texte` atomically, through a symbolic link and
/// keeping the file's permissions.
pub fn remplacer(chemin: &Path, texte: &str) -> io::Result<()> {
    let cible = if std::fs::symlink_metadata(chemin)?.file_type().is_symlink() {
        std::fs::canonicalize(chemin)?
    } else {
        chemin.to_path_buf()
    };
    let droits = std::fs::metadata(&cible)?.permissions();
    ecrire_neuf(&cible, texte.as_bytes(), Some(droits))
}

/// Writes `octets` into a new temporary file beside `chemin`, with
/// `droits` (before any byte is written), then renames it over `chemin`.
fn ecrire_neuf(chemin: &Path, octets: &[u8], droits: Option<std::fs::Permissions>) -> io::Result<()> {
    let dir = chemin.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let nom = chemin
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "nom de fichier absent"))?;
    // The prefix of output::write_atomic, whose leftovers it cleans.
    let tmp = dir.join(format!(".{}.tmp-{}", nom.to_string_lossy(), std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let ecrit = (|| {
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Some(d) = droits {
            f.set_permissions(d)?;
        }
        f.write_all(octets)?;
        f.sync_all()?;
        std::fs::rename(&tmp, chemin)
    })();
    if ecrit.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    ecrit
}

/// Owner-only permissions for the journal (it holds the data files' texts).
fn prive() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        Some(std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Writes every file of `fichiers` under `racine`, journal first; the
/// caller holds the project's lock. On an error, the files already written
/// are put back and the journal removed; the error is in French.
pub fn ecrire(racine: &Path, fichiers: &[Entree]) -> Result<(), String> {
    let journal = racine.join(JOURNAL);
    let json = serde_json::to_vec(&Journal { fichiers: fichiers.to_vec() }).map_err(|e| e.to_string())?;
    ecrire_neuf(&journal, &json, prive()).map_err(|e| echec(&journal, &e))?;
    for (i, f) in fichiers.iter().enumerate() {
        if let Err(e) = remplacer(&racine.join(&f.chemin), &f.apres) {
            for g in fichiers[..i].iter().rev() {
                let _ = remplacer(&racine.join(&g.chemin), &g.avant);
            }
            let _ = std::fs::remove_file(&journal);
            return Err(echec(&racine.join(&f.chemin), &e));
        }
    }
    std::fs::remove_file(&journal).map_err(|e| echec(&journal, &e))
}

fn echec(chemin: &Path, e: &io::Error) -> String {
    format!(
        "erreur : impossible d'écrire {} : {}\n  = aide : {}",
        chemin.display(),
        mutu_model::load::io_fr(e),
        mutu_base::diagnostic::aide_ecriture(e)
    )
}

/// Finishes an import interrupted while it wrote (its journal is still
/// there): each file still holding its old text gets its new one; a file
/// changed since is left as it is, and said. Called before every command
/// that reads the project; returns what it printed, for the tests.
pub fn reprendre(racine: &Path) -> Result<Vec<String>, String> {
    let journal = racine.join(JOURNAL);
    if !journal.exists() {
        return Ok(Vec::new());
    }
    let _verrou = verrou(racine, attente).map_err(|e| echec(&journal, &e))?;
    // Another process may have finished it while this one waited.
    let Ok(texte) = std::fs::read(&journal) else {
        return Ok(Vec::new());
    };
    let mut dit = Vec::new();
    let Ok(j) = serde_json::from_slice::<Journal>(&texte) else {
        // Cut short while it was written: no data file was touched yet.
        std::fs::remove_file(&journal).map_err(|e| echec(&journal, &e))?;
        return Ok(dit);
    };
    let mut ecrits = 0;
    for f in &j.fichiers {
        let chemin = racine.join(&f.chemin);
        let actuel = std::fs::read_to_string(&chemin).unwrap_or_default();
        if actuel == f.apres {
            continue;
        }
        if actuel == f.avant {
            remplacer(&chemin, &f.apres).map_err(|e| echec(&chemin, &e))?;
            ecrits += 1;
        } else {
            dit.push(format!(
                "attention : {} a changé depuis l'import interrompu ; il est laissé tel quel (vérifiez ses valeurs)",
                mutu_base::diagnostic::display_path(&f.chemin)
            ));
        }
    }
    std::fs::remove_file(&journal).map_err(|e| echec(&journal, &e))?;
    dit.insert(
        0,
        format!(
            "import interrompu terminé : {} sur {} ({JOURNAL})",
            mutu_base::texte::pluriel(ecrits, "fichier écrit", "fichiers écrits"),
            j.fichiers.len()
        ),
    );
    Ok(dit)
}
