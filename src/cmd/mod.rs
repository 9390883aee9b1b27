//! The commands of mutu, one module each (`mutu build` is [`build`],
//! `mutu new` is [`new`]…); the arguments are read in `crate::cli`, which
//! calls each module's `run`. What several commands share — reading the
//! project into a publishable model, printing diagnostics, refusing an
//! output that is not mutu's — is here.

pub mod aide;
pub mod build;
pub mod check;
pub mod diff;
pub mod export;
pub mod import;
pub mod new;
pub mod pdf;
pub mod publish;
pub mod serve;

use mutu_base::diagnostic::{Diagnostic, Diagnostics};
use mutu_base::source::Sources;
use mutu_compute::pipeline;
use mutu_model::audience::Audience;
use std::path::Path;

/// Prints why an output is refused; nothing has been touched (exit 2).
pub(crate) fn sortie_refusee(r: &mutu_base::output::regles::Refus, chemin: &Path) -> i32 {
    print_errors(&[r.diagnostic(chemin)]);
    eprintln!("aucun fichier n'a été modifié");
    2
}

pub(crate) fn audience(public: bool) -> Audience {
    if public {
        Audience::Publique
    } else {
        Audience::Interne
    }
}

/// Runs the pipeline and returns the publishable model, or prints why not.
pub(crate) fn model_or_exit(root: &Path, audience: Audience, what: &str) -> Result<mutu_compute::Modele, i32> {
    let run = pipeline::run_for(root, audience);
    print_diagnostics(&run.diagnostics, &run.sources);
    if run.diagnostics.has_errors() || run.model.is_none() {
        eprintln!("{what} impossible : {}", run.diagnostics.summary());
        return Err(1);
    }
    Ok(run.model.expect("checked above"))
}

pub(crate) fn print_errors(ds: &[Diagnostic]) {
    let sources = Sources::default();
    for d in ds {
        eprint!("{}", d.render(&sources));
        eprintln!();
    }
}

pub(crate) fn print_diagnostics(d: &Diagnostics, sources: &Sources) {
    let text = d.render(sources);
    if !text.is_empty() {
        eprint!("{text}");
    }
}
