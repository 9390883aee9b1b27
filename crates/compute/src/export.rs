//! `mutu export`: the computed model as JSON — the contract every renderer
//! consumes (docs/export.md). Struct fields keep their declared order and
//! maps are sorted, so the output is byte-identical across runs; amounts are
//! exact decimal strings.

use crate::Modele;

/// How every export begins (its first key is the format version): how a
/// file about to be overwritten is recognised as a previous export.
pub const DEBUT: &str = mutu_base::output::regles::DEBUT_EXPORT;

/// The export as the site publishes it (`donnees/mutu-export.json`): the
/// same JSON value as [`to_json`], compact (half the bytes: 99 → 50 MB at
/// 2,000 communes), serialised straight into the bytes written.
pub fn to_json_compact(m: &Modele) -> Vec<u8> {
    let mut v = serde_json::to_vec(m).expect("the model always serialises");
    v.push(b'\n');
    v
}

/// The export of `mutu export`: indented, for people reading it.
pub fn to_json(m: &Modele) -> String {
    let mut s = serde_json::to_string_pretty(m).expect("the model always serialises");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_export_begins_with_its_format() {
        let run = crate::pipeline::run(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")));
        let json = super::to_json(run.model.as_ref().expect("the example computes"));
        assert!(json.starts_with(super::DEBUT), "{}", &json[..40]);
    }

    #[test]
    fn the_compact_export_is_the_same_value() {
        let run = crate::pipeline::run(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")));
        let m = run.model.as_ref().expect("the example computes");
        let compact = super::to_json_compact(m);
        assert!(compact.starts_with(b"{\"format_export\":") && compact.ends_with(b"}\n") && !compact[..compact.len() - 1].contains(&b'\n'));
        let a: serde_json::Value = serde_json::from_slice(&compact).unwrap();
        let b: serde_json::Value = serde_json::from_str(&super::to_json(m)).unwrap();
        assert_eq!(a, b);
    }
}
