//! Themes: templates, static assets, PDF template and fonts. The default
//! theme is embedded in the binary (by the `mutu-theme` crate, which only
//! the binary depends on: editing a CSS file then rebuilds that small crate,
//! not the engine); a project selects `theme: <nom>` in its configuration
//! and any file it puts at the same path under `themes/<nom>/` replaces the
//! default one (like Zola/Hugo overrides).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The files of a default theme: (path relative to the theme, bytes).
pub type Defaut = &'static [(&'static str, &'static [u8])];

/// Whether `nom` can name a theme: one plain folder name under `themes/`
/// (letters, digits, `-`, `_`, `.` but not leading), never a path.
pub fn nom_valide(nom: &str) -> bool {
    !nom.is_empty() && !nom.starts_with('.') && nom.len() <= 100 && nom.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

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
    /// The default theme `defaut`, overlaid with `<root>/themes/<name>/`.
    /// `name` must be a plain folder name ([`nom_valide`]); links leading
    /// out of the project are never followed ([`crate::parcours`]: the
    /// check stage has reported them).
    pub fn load(defaut: Defaut, root: &Path, name: &str) -> std::io::Result<Theme> {
        let mut t = Theme::default_only(defaut);
        if !nom_valide(name) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("« {name} » n'est pas un nom de thème"),
            ));
        }
        let dossier = format!("themes/{name}");
        let walk = crate::parcours::parcourir(root, &dossier);
        if let Some(e) = walk.ecarts.first() {
            return Err(std::io::Error::other(e.diagnostic().message));
        }
        for e in walk.entrees.iter().filter(|e| e.fichier) {
            let Ok(rel) = e.rel.strip_prefix(&dossier) else { continue };
            let key = rel.to_string_lossy().replace('\\', "/");
            if key.split('/').any(|c| c.starts_with('.')) {
                continue;
            }
            let bytes = std::fs::read(root.join(&e.rel))?;
            t.files.insert(
                key,
                ThemeFile {
                    bytes: Cow::Owned(bytes),
                    origine: Some(e.rel.clone()),
                },
            );
        }
        Ok(t)
    }

    /// Only the default theme.
    pub fn default_only(defaut: Defaut) -> Theme {
        let files = defaut
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
