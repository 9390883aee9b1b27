//! One writer at a time per output. Two `mutu build` (or a `build` and a
//! `pdf`) writing the same folder at once could mix their files: one reuses
//! a file of the previous output while the other swaps the folder away. A
//! [`Verrou`] is an exclusive lock held from the moment a writer looks at
//! the previous output until its new one is in place; the second writer
//! waits for it.
//!
//! The lock is the operating system's file lock (`flock` on Unix,
//! `LockFileEx` on Windows) taken through the standard library's
//! `File::lock` (Rust 1.89): well kept, portable, and released by the
//! system when a process dies, so a killed build never leaves a stale lock.
//! It is taken on a small file beside the output, `.<nom>.verrou-mutu`,
//! because the output folder itself is replaced. That file is left in
//! place: deleting a lock file lets a waiting process lock an unlinked file
//! while a third one creates a new one.

use std::fs::{File, OpenOptions, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

/// Exclusive right to write output folder (or file) [`Verrou::chemin`].
#[derive(Debug)]
pub struct Verrou {
    chemin: PathBuf,
    _fichier: File,
}

impl Verrou {
    /// Takes the lock of `sortie`, creating its parent folder if needed.
    /// When another process holds it, calls `attente` once, then waits.
    pub fn prendre(sortie: &Path, attente: impl FnOnce()) -> io::Result<Verrou> {
        let fichier = Self::ouvrir(sortie)?;
        match fichier.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                attente();
                fichier.lock()?;
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        Ok(Verrou {
            chemin: sortie.to_path_buf(),
            _fichier: fichier,
        })
    }

    /// The lock of `sortie` if nobody holds it, else `None`.
    pub fn essayer(sortie: &Path) -> io::Result<Option<Verrou>> {
        let fichier = Self::ouvrir(sortie)?;
        match fichier.try_lock() {
            Ok(()) => Ok(Some(Verrou {
                chemin: sortie.to_path_buf(),
                _fichier: fichier,
            })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }

    /// The output this lock protects.
    pub fn chemin(&self) -> &Path {
        &self.chemin
    }

    /// Path of the lock file of `sortie`.
    pub fn fichier(sortie: &Path) -> io::Result<PathBuf> {
        let nom = sortie
            .file_name()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "sortie sans nom"))?
            .to_string_lossy();
        let parent = sortie.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Ok(parent.join(format!(".{nom}.verrou-mutu")))
    }

    fn ouvrir(sortie: &Path) -> io::Result<File> {
        let chemin = Self::fichier(sortie)?;
        if let Some(p) = chemin.parent() {
            std::fs::create_dir_all(p)?;
        }
        OpenOptions::new().create(true).truncate(false).write(true).open(chemin)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_waits() {
        let base = std::env::temp_dir().join(format!("mutu-verrou-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let out = base.join("public");
        let premier = Verrou::prendre(&out, || panic!("nobody holds it yet")).unwrap();
        assert!(Verrou::essayer(&out).unwrap().is_none(), "held");
        let (tx, rx) = std::sync::mpsc::channel();
        let out2 = out.clone();
        let second = std::thread::spawn(move || {
            let v = Verrou::prendre(&out2, || tx.send("attente").unwrap()).unwrap();
            v.chemin().to_path_buf()
        });
        assert_eq!(rx.recv().unwrap(), "attente");
        assert!(!second.is_finished());
        drop(premier);
        assert_eq!(second.join().unwrap(), out);
        assert!(Verrou::fichier(&out).unwrap().ends_with(".public.verrou-mutu"));
        let _ = std::fs::remove_dir_all(&base);
    }
}
