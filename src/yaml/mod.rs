//! YAML reading: typed values through serde_yaml, positions through a
//! separate event pass (yaml-rust2) so semantic checks can point at the
//! exact key or value they are about.

pub mod errors;
pub mod spans;

pub use spans::{Path, SpanIndex};
