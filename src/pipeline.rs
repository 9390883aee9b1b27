//! One run of the pipeline: load → check → compute. Every command starts
//! here; renderers take the computed model from [`Run`].

use crate::compute::{self, Modele};
use crate::diagnostic::Diagnostics;
use crate::load::{self, Loaded};
use crate::source::Sources;
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

/// Loads, checks and computes the project at `root`.
pub fn run(root: &Path) -> Run {
    let mut loaded: Loaded = load::load(root);
    let mut diagnostics = std::mem::take(&mut loaded.diagnostics);
    diagnostics.extend(crate::check::check(&loaded));
    // Figures are computed even when checks found errors, so one run
    // reports every problem (computation never trusts unchecked references:
    // what it cannot resolve becomes a diagnostic).
    let model = compute::compute(&loaded).map(|(m, d)| {
        diagnostics.extend(d);
        m
    });
    diagnostics.sort();
    Run {
        sources: loaded.sources,
        diagnostics,
        model,
    }
}
