//! The documentation that travels inside the binary: a user's project has
//! no docs/ folder, yet `mutu aide format` and `mutu serve` show the
//! format reference of this very version.

/// The format reference (docs/format.md), as shipped with this version.
pub const FORMAT: &str = include_str!("../docs/format.md");
