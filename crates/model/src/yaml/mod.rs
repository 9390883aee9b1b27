//! YAML reading: typed values through serde_yaml, positions through a
//! separate event pass (yaml-rust2) so semantic checks can point at the
//! exact key or value they are about.

pub mod errors;
pub mod spans;

pub use spans::{Path, SpanIndex};

/// `s` as a double-quoted YAML string (backslashes and quotes escaped), the
/// form mutu writes into a user's files.
pub fn chaine(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}
