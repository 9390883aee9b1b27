//! `mutu export`: the computed model as JSON — the contract every renderer
//! consumes (docs/export.md). Struct fields keep their declared order and
//! maps are sorted, so the output is byte-identical across runs; amounts are
//! exact decimal strings.

use crate::compute::Modele;

/// How every export begins (its first key is the format version): how a
/// file about to be overwritten is recognised as a previous export.
pub const DEBUT: &str = "{\n  \"format_export\":";

pub fn to_json(m: &Modele) -> String {
    let mut s = serde_json::to_string_pretty(m).expect("the model always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_export_begins_with_its_format() {
        let run = crate::pipeline::run(std::path::Path::new(env!("CARGO_MANIFEST_DIR")));
        let json = super::to_json(run.model.as_ref().expect("the example computes"));
        assert!(json.starts_with(super::DEBUT), "{}", &json[..40]);
    }
}
