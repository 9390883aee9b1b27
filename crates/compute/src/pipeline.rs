//! One run of the pipeline: load → check → compute. Every command starts
//! here; renderers take the computed model from [`Run`].

use crate::Modele;
use mutu_base::diagnostic::Diagnostics;
use mutu_base::source::Sources;
use mutu_model::audience::{self, Audience};
use mutu_model::load::{self, Loaded};
use std::path::Path;

pub struct Run {
    pub sources: Sources,
    pub diagnostics: Diagnostics,
    /// The computed model; `None` when the project could not be loaded.
    /// When `diagnostics` has errors, the model must not be published.
    pub model: Option<Modele>,
}

impl Run {
    /// The model, if there is one and no error was found.
    pub fn publishable(&self) -> Option<&Modele> {
        self.model.as_ref().filter(|_| !self.diagnostics.has_errors())
    }
}

/// Loads, checks and computes the project at `root` for the internal
/// audience (everything; internal items marked).
pub fn run(root: &Path) -> Run {
    run_for(root, Audience::Interne)
}

/// Loads, checks and computes the project at `root` for `audience`. The
/// checks and the diagnostics always cover the whole project; the model
/// holds only what the audience may read (see [`mutu_model::audience`]).
pub fn run_for(root: &Path, audience: Audience) -> Run {
    executer(load::load(root), audience)
}

/// [`run`] with the files at the paths of `textes` replaced by those texts
/// (see [`load::load_avec`]).
pub fn run_avec(root: &Path, textes: &std::collections::BTreeMap<std::path::PathBuf, String>) -> Run {
    executer(load::load_avec(root, textes), Audience::Interne)
}

fn executer(mut loaded: Loaded, audience: Audience) -> Run {
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(mutu_check::check(&loaded));
    // Figures are computed even when checks found errors, so one run
    // reports every problem (computation never trusts unchecked references:
    // what it cannot resolve becomes a diagnostic).
    if audience == Audience::Interne {
        // Only internal notes change (merged into the notes, marked).
        if let Some(p) = loaded.projet.as_mut() {
            audience::projeter(p, audience);
        }
    }
    let complet = crate::compute(&loaded).map(|(m, d)| {
        diagnostics.extend(d);
        m
    });
    let model = match (audience, loaded.projet.as_mut()) {
        (Audience::Publique, Some(p)) => {
            audience::projeter(p, audience);
            crate::compute(&loaded).map(|(m, d)| {
                // Its warnings repeat those of the whole project; an error
                // the projection alone would cause is still reported
                // (duplicates go at the sort below).
                diagnostics.extend(d.into_iter().filter(|x| x.is_error()));
                // Cross-footing results (declared totals, their files and
                // lines) are for `check` and the internal build only.
                let mut m = m;
                m.controles.clear();
                m
            })
        }
        _ => complet,
    };
    diagnostics.sort();
    let sources = std::mem::take(&mut loaded.sources);
    mutu_base::memoire::liberer(loaded);
    Run { sources, diagnostics, model }
}
