//! mutu: compiles a French intercommunality's *schéma de mutualisation*
//! (YAML data + Markdown narrative) into a website, a PDF report and open
//! data. This crate is the command line: [`cli`] reads the arguments and
//! each command lives in [`cmd`]. The work is done by the workspace's
//! crates, one per stage, in the order data flows:
//!
//! `mutu-base` (diagnostics, formatting, file writing) → `mutu-model`
//! (YAML and Markdown → typed model) → `mutu-check` → `mutu-compute` (one
//! serialisable model, `mutu export`) → `mutu-present` (a renderer-neutral
//! document) → `mutu-site` | `mutu-pdf` | `mutu-data`; beside them
//! `mutu-import` (spreadsheets in), `mutu-publish` (transports) and
//! `mutu-theme` (the embedded default theme).

pub mod cli;
pub mod cmd;
pub mod docs;
