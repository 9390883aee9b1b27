//! `mutu check` (alias `verifier`): every problem of the project, with
//! its place, then a summary of what the project holds.

use mutu_compute::pipeline;
use std::path::Path;

/// Checks the project at `root`; 1 when an error was found.
pub fn run(root: &Path) -> i32 {
    let run = pipeline::run(root);
    super::print_diagnostics(&run.diagnostics, &run.sources);
    match &run.model {
        Some(m) if !run.diagnostics.has_errors() => {
            println!("{}", m.resume_texte());
            println!("vérification terminée : {}", run.diagnostics.summary());
            0
        }
        _ => {
            eprintln!("vérification échouée : {}", run.diagnostics.summary());
            1
        }
    }
}
