//! Charts drawn with plotters as SVG at build time: bar, stacked bar, line
//! and donut. Deterministic (no hash maps, fixed sizes), French labels and
//! number format, a concrete font family (the theme's), colours with enough
//! contrast plus patterns/labels so colour is never the only cue.
//! The same SVG goes into the site and the PDF.

use rust_decimal::Decimal;
use serde::Serialize;

/// Kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    Barres,
    BarresEmpilees,
    Courbe,
    Anneau,
}

/// What to draw. Values are exact decimals; they become f64 only for
/// coordinates, labels are formatted with [`crate::format`].
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    pub genre: Genre,
    pub titre: String,
    /// Unit for labels: "€", "dossiers", "heures", "%"…
    pub unite: String,
    /// X categories (years, communes…). For `Anneau`: the slices.
    pub categories: Vec<String>,
    /// One series per legend entry; each has one value per category.
    /// `Anneau` uses the first series only.
    pub series: Vec<Serie>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Serie {
    pub nom: String,
    pub valeurs: Vec<Decimal>,
}

/// Font family named in the SVG: the theme's sans-serif, embedded in the
/// PDF and self-hosted on the site.
pub const FONT_FAMILY: &str = "Inter";
