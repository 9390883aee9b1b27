//! Renderers: each turns the presentation [`Document`](crate::present::Document)
//! into files, in memory. None computes or formats a figure. Writing the
//! files (atomically) is the job of [`crate::output`].

pub mod classeur;
pub mod data;
pub mod pdf;
pub mod site;

pub use crate::fichier::Fichier;
