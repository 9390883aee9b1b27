//! Chart blocks: the SVG drawn from a [`Spec`], its French text
//! alternative listing every value, and the id of the table beside it.

use super::charts::{self, Genre, Spec};
use super::{Bloc, Graphique};
use crate::format;
use rust_decimal::Decimal;

/// The chart block for `spec`, whose data is the table `tableau`.
pub fn bloc(spec: &Spec, id: String, tableau: &str) -> Bloc {
    Bloc::Graphique(Graphique {
        svg: charts::svg_with_id(spec, &id),
        id,
        titre: spec.titre.clone(),
        description: describe(spec),
        tableau: tableau.to_string(),
    })
}

/// Text alternative of a chart: every value, in French.
pub fn describe(spec: &Spec) -> String {
    let u = if spec.unite.is_empty() { String::new() } else { format!(" {}", spec.unite) };
    let fmt = |d: &Decimal| {
        if spec.unite == "€" {
            format::montant(d)
        } else {
            format!("{}{u}", format::nombre(d))
        }
    };
    let mut parts = Vec::new();
    for serie in &spec.series {
        let vals: Vec<String> = spec.categories.iter().zip(&serie.valeurs).map(|(c, v)| format!("{c} : {}", fmt(v))).collect();
        if spec.series.len() > 1 {
            parts.push(format!("{} — {}", serie.nom, vals.join(", ")));
        } else {
            parts.push(vals.join(", "));
        }
        if spec.genre == Genre::Anneau {
            break;
        }
    }
    let kind = match spec.genre {
        Genre::Barres => "Diagramme en barres",
        Genre::BarresEmpilees => "Diagramme en barres empilées",
        Genre::Courbe => "Courbe",
        Genre::Anneau => "Diagramme en anneau",
    };
    format!("{kind} « {} ». {}.", spec.titre, parts.join(" ; "))
}
