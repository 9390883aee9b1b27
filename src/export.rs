//! `mutu export`: the computed model as JSON — the contract every renderer
//! consumes (docs/export.md). Struct fields keep their declared order and
//! maps are sorted, so the output is byte-identical across runs; amounts are
//! exact decimal strings.

use crate::compute::Modele;

pub fn to_json(m: &Modele) -> String {
    let mut s = serde_json::to_string_pretty(m).expect("the model always serialises");
    s.push('\n');
    s
}
