//! Chart blocks: the SVG drawn from a [`Spec`], its French text
//! alternative listing every value, and the id of the table beside it.

use super::charts::{self, Spec};
use super::{Bloc, Graphique};

/// The chart block for `spec`, whose data is the table `tableau`.
pub fn bloc(spec: &Spec, id: String, tableau: &str) -> Bloc {
    Bloc::Graphique(Graphique {
        svg: charts::svg_with_id(spec, &id),
        id,
        titre: spec.titre.clone(),
        legende: spec.titre.clone(),
        description: charts::description(spec),
        tableau: tableau.to_string(),
    })
}
