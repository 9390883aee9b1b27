//! mutu: compiles a French intercommunality's *schéma de mutualisation*
//! (YAML data + Markdown narrative) into a website and a PDF report.
//!
//! Data flows one way: [`load`] (files → typed [`model`], with positions) →
//! [`check`] (every diagnostic) → `compute` (exact figures, one serialisable
//! model) → renderers (site, PDF, data files).

pub mod diagnostic;
pub mod load;
pub mod model;
pub mod present;
pub mod render;
pub mod source;
pub mod suggest;
pub mod theme;
pub mod yaml;
