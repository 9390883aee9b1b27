//! Writing outputs atomically: a file is written beside its target and
//! renamed over it; a folder is written into a temporary folder beside the
//! target and swapped with it in one step (Linux `renameat2(RENAME_EXCHANGE)`),
//! so a build killed at any moment leaves either the previous output or the
//! new one, complete — never half a site. The temporary folders of a killed
//! build are removed by the next one (tests/mutu/atomic.rs kills builds at many
//! moments and checks all this). Files are not synced to disk one by one:
//! the guarantee holds for a killed process, not for a power cut.
//!
//! A file whose bytes are the same as in the previous output is hard-linked
//! from it into the new folder rather than written again: creating and then
//! deleting thousands of inodes at each build is most of the writing time on
//! ext4 (a territory of 2 000 communes has 10 000 files), and unchanged files
//! keep their modification time, which helps incremental uploads.
//!
//! Before anything is written, [`regles`] decides whether the output may be
//! replaced at all (never the project, its sources, the home folder…), and
//! a [`Verrou`] keeps two writers of the same output apart.

pub mod journal;
pub mod regles;
pub mod verrou;

pub use journal::Journal;
pub use verrou::Verrou;

use crate::fichier::Fichier;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "nom de fichier absent"))?;
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    clean_stale(dir, &prefix);
    let tmp = dir.join(format!("{prefix}{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Checks that a renderer's path stays inside the output folder.
fn safe_relative(chemin: &str) -> Option<PathBuf> {
    let p = Path::new(chemin);
    if chemin.is_empty() || p.is_absolute() {
        return None;
    }
    p.components().all(|c| matches!(c, Component::Normal(_))).then(|| p.to_path_buf())
}

/// Names of the temporary folders used beside `out`.
fn siblings(out: &Path) -> io::Result<(PathBuf, PathBuf, String)> {
    let name = out
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "dossier de sortie sans nom"))?
        .to_string_lossy()
        .to_string();
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf();
    let prefix = format!(".{name}.mutu-");
    Ok((parent.join(format!("{prefix}neuf-{}", std::process::id())), parent, prefix))
}

/// Removes the temporary files and folders named `<prefix>…-<pid>` left
/// beside the output by a killed build. Those of a build still running
/// (another `mutu` writing the same output) are left alone.
fn clean_stale(parent: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let Some(rest) = name.strip_prefix(prefix) else { continue };
        let pid = rest.rsplit('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| p != std::process::id() && process_alive(p)) {
            continue;
        }
        let path = e.path();
        let _ = match std::fs::symlink_metadata(&path) {
            Ok(m) if m.is_dir() => std::fs::remove_dir_all(&path),
            _ => std::fs::remove_file(&path),
        };
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// Windows: a leftover is never a live build's, since the output's lock
/// (held while cleaning) keeps a second writer out; this check is the
/// belt to that lock's braces on Unix only.
#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    false
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`.
fn same_file(path: &Path, bytes: &[u8], buffer: &mut Vec<u8>) -> bool {
    use std::io::Read;
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {}
        _ => return false,
    }
    let Ok(mut f) = std::fs::File::open(path) else { return false };
    buffer.clear();
    f.read_to_end(buffer).is_ok() && buffer.as_slice() == bytes
}

/// Writes all `files` as the new content of the folder that `verrou`
/// protects, atomically, with mutu's marker file ([`regles::MARQUE`]).
pub fn write_dir_atomic(verrou: &Verrou, files: &[Fichier]) -> io::Result<()> {
    let mut e = Ecriture::commencer(verrou)?;
    for f in files {
        e.ecrire(f)?;
    }
    e.terminer()
}

/// The new content of the folder that a [`Verrou`] protects, written file
/// by file as the renderers produce them, into a folder beside it; swapped
/// in at once by [`Ecriture::terminer`]. Dropped unfinished (a render
/// error, a write error, a panic), it removes what it wrote and the
/// previous output stays as it was. Files need not be held in memory until
/// the end: a build writes each page as soon as it is rendered.
pub struct Ecriture<'v> {
    verrou: &'v Verrou,
    staging: PathBuf,
    /// The output being replaced, whose unchanged files are hard-linked.
    precedent: Option<PathBuf>,
    dossiers: std::collections::HashSet<PathBuf>,
    /// Paths written: a second file at the same path is ignored (the first
    /// one wins, as the renderers order them); writing it again could write
    /// through a hard link into the previous output.
    ecrits: std::collections::HashSet<String>,
    tampon: Vec<u8>,
    fini: bool,
}

impl<'v> Ecriture<'v> {
    /// Prepares the folder beside the output (and removes those a killed
    /// build left there).
    pub fn commencer(verrou: &'v Verrou) -> io::Result<Self> {
        let out = verrou.chemin();
        let (staging, parent, prefix) = siblings(out)?;
        std::fs::create_dir_all(&parent)?;
        clean_stale(&parent, &prefix);
        std::fs::create_dir_all(&staging)?;
        Ok(Ecriture {
            verrou,
            staging,
            precedent: out.is_dir().then(|| out.to_path_buf()),
            dossiers: std::collections::HashSet::new(),
            ecrits: std::collections::HashSet::new(),
            tampon: Vec::new(),
            fini: false,
        })
    }

    /// Writes one file of the new output; `false` when its path was
    /// already written (the file is then ignored).
    pub fn ecrire(&mut self, f: &Fichier) -> io::Result<bool> {
        let rel = safe_relative(&f.chemin).ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("chemin de sortie refusé : {}", f.chemin)))?;
        if !self.ecrits.insert(f.chemin.clone()) {
            return Ok(false);
        }
        let path = self.staging.join(&rel);
        if let Some(d) = path.parent() {
            if !self.dossiers.contains(d) {
                std::fs::create_dir_all(d)?;
                self.dossiers.insert(d.to_path_buf());
            }
        }
        if let Some(prev) = &self.precedent {
            let old = prev.join(&rel);
            if same_file(&old, &f.contenu, &mut self.tampon) && std::fs::hard_link(&old, &path).is_ok() {
                return Ok(true);
            }
        }
        std::fs::write(&path, &f.contenu)?;
        Ok(true)
    }

    /// Adds mutu's marker and puts the new folder in place of the output.
    pub fn terminer(mut self) -> io::Result<()> {
        std::fs::write(self.staging.join(regles::MARQUE), regles::TEXTE_MARQUE)?;
        swap(&self.staging, self.verrou.chemin())?;
        self.fini = true;
        Ok(())
    }
}

impl Drop for Ecriture<'_> {
    fn drop(&mut self) {
        if !self.fini {
            let _ = std::fs::remove_dir_all(&self.staging);
        }
    }
}

/// Puts `staging` in place of `out`; the previous `out` is removed after.
fn swap(staging: &Path, out: &Path) -> io::Result<()> {
    if !out.exists() {
        return std::fs::rename(staging, out);
    }
    if !out.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} existe et n'est pas un dossier", out.display()),
        ));
    }
    exchange(staging, out)?;
    // `staging` now holds the previous output.
    std::fs::remove_dir_all(staging)
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let cb = CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: both paths are valid NUL-terminated strings for the duration of the call.
    let r = unsafe { libc::renameat2(libc::AT_FDCWD, ca.as_ptr(), libc::AT_FDCWD, cb.as_ptr(), libc::RENAME_EXCHANGE) };
    if r == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    // Two renames: a crash between them leaves the new output complete in
    // `a` and the previous one complete beside it.
    let old = b.with_extension("mutu-ancien");
    std::fs::rename(b, &old)?;
    std::fs::rename(a, b)?;
    std::fs::rename(&old, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_whole_folders() {
        let base = std::env::temp_dir().join(format!("mutu-output-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let out = base.join("public");
        let v = Verrou::prendre(&out, || {}).unwrap();
        write_dir_atomic(&v, &[Fichier::new("index.html", "v1"), Fichier::new("a/b.html", "b1")]).unwrap();
        assert!(regles::produit_par_mutu(&out));
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "b1");
        write_dir_atomic(&v, &[Fichier::new("index.html", "v2")]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "v2");
        assert!(!out.join("a/b.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(&base).unwrap().flatten().map(|e| e.file_name()).collect();
        assert_eq!(leftovers.len(), 2, "the output and its lock file: {leftovers:?}");
        assert!(write_dir_atomic(&v, &[Fichier::new("../evil", "x")]).is_err());
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "v2");
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    #[cfg(unix)]
    fn unchanged_files_are_linked_changed_ones_rewritten() {
        use std::os::unix::fs::MetadataExt;
        let base = std::env::temp_dir().join(format!("mutu-output-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let out = base.join("public");
        let v = Verrou::prendre(&out, || {}).unwrap();
        write_dir_atomic(
            &v,
            &[Fichier::new("a.html", "même"), Fichier::new("d/b.html", "avant"), Fichier::new("c.html", "xy")],
        )
        .unwrap();
        let inode = |p: &str| std::fs::metadata(out.join(p)).unwrap().ino();
        let (a, b, c) = (inode("a.html"), inode("d/b.html"), inode("c.html"));
        write_dir_atomic(
            &v,
            &[Fichier::new("a.html", "même"), Fichier::new("d/b.html", "après"), Fichier::new("c.html", "yx")],
        )
        .unwrap();
        assert_eq!(inode("a.html"), a, "unchanged: the same file, linked");
        assert_ne!(inode("d/b.html"), b);
        assert_ne!(inode("c.html"), c, "same length, other bytes: rewritten");
        assert_eq!(std::fs::read_to_string(out.join("d/b.html")).unwrap(), "après");
        assert_eq!(std::fs::read_to_string(out.join("c.html")).unwrap(), "yx");
        // Only the new output is left, each file with a single link.
        assert_eq!(std::fs::metadata(out.join("a.html")).unwrap().nlink(), 1);
        assert_eq!(std::fs::read_dir(&base).unwrap().count(), 2, "the output and its lock file");
        let _ = std::fs::remove_dir_all(&base);
    }

    /// Written file by file: a link planted in the previous output to a
    /// file outside is neither followed nor linked (the outside file keeps
    /// its bytes), a second file at one path never writes through the
    /// first one's link into the previous output, and an unfinished
    /// writing leaves the previous output as it was and nothing beside it.
    #[test]
    #[cfg(unix)]
    fn written_file_by_file_nothing_outside_changes() {
        let base = std::env::temp_dir().join(format!("mutu-output-ecriture-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let out = base.join("public");
        let dehors = base.join("dehors.txt");
        std::fs::create_dir_all(&base).unwrap();
        std::fs::write(&dehors, "secret").unwrap();
        let v = Verrou::prendre(&out, || {}).unwrap();
        write_dir_atomic(&v, &[Fichier::new("a.html", "même")]).unwrap();
        std::os::unix::fs::symlink(&dehors, out.join("lien.html")).unwrap();

        let mut e = Ecriture::commencer(&v).unwrap();
        assert!(e.ecrire(&Fichier::new("lien.html", "secret")).unwrap());
        assert!(e.ecrire(&Fichier::new("a.html", "même")).unwrap());
        assert!(!e.ecrire(&Fichier::new("a.html", "autre")).unwrap(), "second file at one path ignored");
        assert!(e.ecrire(&Fichier::new("../evil", "x")).is_err());
        // Unfinished: dropped.
        drop(e);
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "même");
        assert_eq!(std::fs::read_to_string(&dehors).unwrap(), "secret");
        assert!(!base.join("evil").exists());
        let mut restes: Vec<String> = std::fs::read_dir(&base)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        restes.sort();
        assert_eq!(restes, [".public.verrou-mutu", "dehors.txt", "public"]);

        let mut e = Ecriture::commencer(&v).unwrap();
        e.ecrire(&Fichier::new("lien.html", "nouveau")).unwrap();
        e.ecrire(&Fichier::new("a.html", "même")).unwrap();
        e.ecrire(&Fichier::new("a.html", "autre")).unwrap();
        e.terminer().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "même");
        assert!(!std::fs::symlink_metadata(out.join("lien.html")).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(out.join("lien.html")).unwrap(), "nouveau");
        assert_eq!(std::fs::read_to_string(&dehors).unwrap(), "secret");
        let _ = std::fs::remove_dir_all(&base);
    }
}
