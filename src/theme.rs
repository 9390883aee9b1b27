//! Themes: templates, static assets, PDF template and fonts. The default
//! theme is embedded in the binary; a project selects `theme: <nom>` in its
//! configuration and any file it puts at the same path under
//! `themes/<nom>/` replaces the default one (like Zola/Hugo overrides).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A resolved theme: every file path (relative to the theme root, `/`
/// separated) mapped to its bytes and where they come from.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    files: BTreeMap<String, ThemeFile>,
}

#[derive(Debug, Clone)]
pub struct ThemeFile {
    pub bytes: Cow<'static, [u8]>,
    /// Project-relative path when the file comes from the project, `None`
    /// for the embedded default.
    pub origine: Option<PathBuf>,
}

impl Theme {
    /// The embedded default theme, overlaid with `<root>/themes/<name>/`.
    /// Symlinks and files outside the project are never followed.
    pub fn load(root: &Path, name: &str) -> std::io::Result<Theme> {
        let mut t = Theme::default_only();
        let dir = root.join("themes").join(name);
        if dir.is_dir() {
            for e in walkdir::WalkDir::new(&dir).sort_by_file_name().follow_links(false) {
                let e = e.map_err(std::io::Error::other)?;
                if !e.file_type().is_file() {
                    continue;
                }
                let rel = e.path().strip_prefix(&dir).map_err(std::io::Error::other)?;
                let key = rel.to_string_lossy().replace('\\', "/");
                if key.split('/').any(|c| c.starts_with('.')) {
                    continue;
                }
                let bytes = std::fs::read(e.path())?;
                let origine = e.path().strip_prefix(root).ok().map(Path::to_path_buf);
                t.files.insert(
                    key,
                    ThemeFile {
                        bytes: Cow::Owned(bytes),
                        origine,
                    },
                );
            }
        }
        Ok(t)
    }

    /// Only the embedded default theme.
    pub fn default_only() -> Theme {
        let files = DEFAULT_THEME
            .iter()
            .map(|(k, v)| {
                (
                    k.to_string(),
                    ThemeFile {
                        bytes: Cow::Borrowed(*v),
                        origine: None,
                    },
                )
            })
            .collect();
        Theme { files }
    }

    pub fn get(&self, rel: &str) -> Option<&ThemeFile> {
        self.files.get(rel)
    }

    pub fn text(&self, rel: &str) -> Option<&str> {
        self.get(rel).and_then(|f| std::str::from_utf8(&f.bytes).ok())
    }

    /// Files under a folder prefix (e.g. "static/", "fonts/"), sorted.
    pub fn under<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files
            .range(prefix.to_string()..)
            .take_while(move |(k, _)| k.starts_with(prefix))
            .map(|(k, v)| (k.as_str(), v))
    }

    /// Display path of a theme file for diagnostics.
    pub fn display(&self, rel: &str, name: &str) -> String {
        match self.get(rel).and_then(|f| f.origine.as_ref()) {
            Some(p) => crate::diagnostic::display_path(p),
            None => format!("themes/{name}/{rel} (thème intégré)"),
        }
    }
}
