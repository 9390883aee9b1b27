//! The default theme (`themes/default/`: templates, CSS, scripts, the PDF
//! template and its fonts), embedded in the binary so that mutu works on any
//! project. Only the binary depends on this crate: a CSS edit rebuilds it
//! and relinks mutu, never the engine crates, which take the files as a
//! [`Defaut`] through [`Theme`].

use mutu_base::theme::{Defaut, Theme};
use std::path::Path;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// The embedded default theme's files.
pub const DEFAUT: Defaut = DEFAULT_THEME;

/// The embedded default theme alone.
pub fn defaut() -> Theme {
    Theme::default_only(DEFAUT)
}

/// The embedded default theme overlaid with the project's `themes/<nom>/`.
pub fn charger(racine: &Path, nom: &str) -> std::io::Result<Theme> {
    Theme::load(DEFAUT, racine, nom)
}
