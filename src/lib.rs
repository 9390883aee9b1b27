//! mutu: compiles a French intercommunality's *schéma de mutualisation*
//! (YAML data + Markdown narrative) into a website and a PDF report.
//!
//! Data flows one way: [`load`] (files → typed [`model`], with positions) →
//! [`check`] (every diagnostic) → `compute` (exact figures, one serialisable
//! model) → renderers (site, PDF, data files).

pub mod aide;
pub mod audience;
pub mod check;
pub mod cli;
pub mod compute;
pub mod diagnostic;
pub mod diff;
pub mod export;
pub mod fichier;
pub mod format;
pub mod import;
pub mod load;
pub mod markdown;
pub mod medias;
pub mod memoire;
pub mod model;
pub mod output;
pub mod parcours;
pub mod pipeline;
pub mod present;
pub mod progress;
pub mod publier;
pub mod publish;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod source;
pub mod suggest;
pub mod texte;
pub mod theme;
pub mod yaml;
