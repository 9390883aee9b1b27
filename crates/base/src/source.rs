//! The project's files, read once: every later stage reads text through here
//! (the "world" of a build), so diagnostics can always show the source line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path relative to the project root.
    pub path: PathBuf,
    pub text: String,
}

#[derive(Debug, Default, Clone)]
pub struct Sources {
    files: BTreeMap<PathBuf, SourceFile>,
}

impl Sources {
    pub fn insert(&mut self, path: PathBuf, text: String) {
        self.files.insert(path.clone(), SourceFile { path, text });
    }

    pub fn get(&self, path: &Path) -> Option<&SourceFile> {
        self.files.get(path)
    }

    pub fn text(&self, path: &Path) -> Option<&str> {
        self.files.get(path).map(|f| f.text.as_str())
    }

    /// The 1-based line `n` of a file, without its line terminator.
    pub fn line(&self, path: &Path, n: usize) -> Option<&str> {
        let text = self.text(path)?;
        text.split('\n').nth(n.checked_sub(1)?).map(|l| l.strip_suffix('\r').unwrap_or(l))
    }

    pub fn iter(&self) -> impl Iterator<Item = &SourceFile> {
        self.files.values()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}
