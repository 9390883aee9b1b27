//! Reading a YAML scalar as its source text, and the error text every
//! deserializer of mutu returns. The text is parsed inside the visitor so
//! that serde_yaml gives the error the scalar's own line and column; the
//! error carries a diagnostic code, read back by the model's YAML layer
//! (`mutu_model::yaml::errors`), which turns it into a [`Diagnostic`](crate::diagnostic::Diagnostic).

use crate::codes::Code;
use serde::{de, Deserializer};
use std::fmt;

/// Our deserializers report errors as `mutu:<code>|<message>|<expected>|<hint>`.
pub fn custom_error<E: de::Error>(code: Code, message: &str, expected: &str, hint: &str) -> E {
    E::custom(custom_message(code, message, expected, hint))
}

/// The text of a [`custom_error`].
pub fn custom_message(code: Code, message: &str, expected: &str, hint: &str) -> String {
    format!("mutu:{}|{message}|{expected}|{hint}", code.texte())
}

/// Reads any scalar as its source text and parses it with `F` inside the
/// visitor: serde_yaml then gives a parse error the line, column and path of
/// the scalar itself (an error raised after the visitor returned would point
/// at the start of the enclosing block). `F` returns the message of
/// [`custom_message`] on failure.
struct Scalar<F>(F);

impl<T, F: FnOnce(&str) -> Result<T, String>> de::Visitor<'_> for Scalar<F> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.0)(v).map_err(E::custom)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        self.visit_str(&v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        self.visit_str(if v { "oui" } else { "non" })
    }
}

/// Deserializes a scalar through `parse` (see [`Scalar`]).
pub fn parse_scalar<'de, D: Deserializer<'de>, T>(d: D, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<T, D::Error> {
    d.deserialize_str(Scalar(parse))
}
