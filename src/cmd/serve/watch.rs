//! Watching the project's sources (`data/`, `content/`, `themes/`) for
//! `mutu serve`: file events are filtered (editor temporary files are
//! ignored) and grouped until the project has been quiet for a moment.

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

/// The folders whose changes trigger a rebuild.
pub const DOSSIERS: [&str; 3] = ["data", "content", "themes"];

/// Is `nom` a temporary file written by an editor (Vim, Emacs, Kate,
/// GNOME), never a project file?
pub fn fichier_temporaire(nom: &str) -> bool {
    nom == "4913"
        || nom.ends_with('~')
        || nom.starts_with(".#")
        || nom.starts_with(".goutputstream-")
        || [".swp", ".swo", ".swx", ".tmp", ".kate-swp"].iter().any(|e| nom.ends_with(e))
}

/// Does a change at `rel` (relative to the project root) concern the
/// project?
pub fn pertinent(rel: &Path) -> bool {
    let mut comps = rel.components();
    let Some(Component::Normal(premier)) = comps.next() else {
        return false;
    };
    if !DOSSIERS.iter().any(|d| premier == *d) {
        return false;
    }
    rel.file_name().map(|n| !fichier_temporaire(&n.to_string_lossy())).unwrap_or(false)
}

/// A watcher on one project.
pub struct Surveillance {
    racine: PathBuf,
    watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<Event>>,
}

impl Surveillance {
    /// Watches the folders of [`DOSSIERS`] that exist under `racine` (an
    /// absolute path), and `racine` itself for folders created later.
    pub fn new(racine: &Path) -> notify::Result<Surveillance> {
        let (tx, rx) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(racine, RecursiveMode::NonRecursive)?;
        let mut s = Surveillance {
            racine: racine.to_path_buf(),
            watcher,
            rx,
        };
        for d in DOSSIERS {
            s.surveiller(d)?;
        }
        Ok(s)
    }

    fn surveiller(&mut self, dossier: &str) -> notify::Result<()> {
        let p = self.racine.join(dossier);
        if p.is_dir() {
            let _ = self.watcher.unwatch(&p);
            self.watcher.watch(&p, RecursiveMode::Recursive)?;
        }
        Ok(())
    }

    /// Blocks until a relevant change, then until `calme` passes without
    /// another one. Returns the changed paths, relative to the root, sorted;
    /// `None` when the watcher has stopped.
    pub fn attendre(&mut self, calme: Duration) -> Option<Vec<String>> {
        let mut changes = BTreeSet::new();
        // Files created during the batch: gone at its end, they were
        // temporary (`sed -i`, editors' backup copies) and changed nothing.
        let mut crees = BTreeSet::new();
        loop {
            let ev = if changes.is_empty() {
                self.rx.recv().ok()?
            } else {
                match self.rx.recv_timeout(calme) {
                    Ok(ev) => ev,
                    Err(RecvTimeoutError::Timeout) | Err(RecvTimeoutError::Disconnected) => {
                        changes.retain(|c: &String| !crees.contains(c) || self.racine.join(c).exists());
                        crees.clear();
                        if changes.is_empty() {
                            continue;
                        }
                        return Some(changes.into_iter().collect());
                    }
                }
            };
            let Ok(ev) = ev else { continue };
            if matches!(ev.kind, EventKind::Access(_)) {
                continue;
            }
            if ev.need_rescan() {
                changes.insert("data".to_string());
            }
            for p in &ev.paths {
                let Ok(rel) = p.strip_prefix(&self.racine) else { continue };
                if !pertinent(rel) {
                    continue;
                }
                // A watched folder created (or re-created) at the root.
                if rel.components().count() == 1 && matches!(ev.kind, EventKind::Create(_)) {
                    let nom = rel.to_string_lossy().to_string();
                    let _ = self.surveiller(&nom);
                }
                let rel = rel.to_string_lossy().replace('\\', "/");
                if matches!(ev.kind, EventKind::Create(_)) {
                    crees.insert(rel.clone());
                }
                changes.insert(rel);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_are_ignored() {
        for t in [
            "4913",
            "edito.md~",
            ".#edito.md",
            ".edito.md.swp",
            ".edito.md.swx",
            "x.tmp",
            ".goutputstream-ABC12",
        ] {
            assert!(fichier_temporaire(t), "{t}");
        }
        for f in ["edito.md", "rapport.yaml", "style.css", "4913.md"] {
            assert!(!fichier_temporaire(f), "{f}");
        }
    }

    #[test]
    fn only_project_folders() {
        assert!(pertinent(Path::new("data/rapport.yaml")));
        assert!(pertinent(Path::new("content/services/garage.md")));
        assert!(pertinent(Path::new("themes/default/static/style.css")));
        assert!(pertinent(Path::new("themes")));
        assert!(!pertinent(Path::new("public/index.html")));
        assert!(!pertinent(Path::new("README.md")));
        assert!(!pertinent(Path::new("data/.rapport.yaml.swp")));
        assert!(!pertinent(Path::new("content/4913")));
    }
}
