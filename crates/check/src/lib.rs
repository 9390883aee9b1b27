//! Checks: everything that can be wrong in a project that parsed, reported
//! all at once with positions. Figures (sums, cross-footing) are checked by
//! `compute`, which owns them.

mod adhesions;
pub mod brouillon;
mod catalogue;
pub mod cog;
mod config;
pub mod designe;
mod enquetes;
mod graphiques;
mod html;
mod identifiers;
mod identite;
mod keys;
mod longueurs;
pub mod medias;
mod pages;
mod references;
mod signes;

use mutu_base::diagnostic::Diagnostic;
use mutu_model::load::Loaded;
use mutu_model::{Origine, Projet};

/// Runs every check on a loaded project.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let Some(p) = loaded.projet.as_ref() else { return Vec::new() };
    let mut ctx = Ctx { loaded, p, out: Vec::new() };
    references::check(&mut ctx);
    identifiers::check(&mut ctx);
    keys::check(&mut ctx);
    catalogue::check(&mut ctx);
    enquetes::check(&mut ctx);
    adhesions::check(&mut ctx);
    config::check(&mut ctx);
    graphiques::check(&mut ctx);
    identite::check(&mut ctx);
    signes::check(&mut ctx);
    pages::check(&mut ctx);
    html::check(&mut ctx);
    longueurs::check(&mut ctx);
    ctx.out.extend(crate::medias::check(loaded));
    ctx.out.extend(brouillon::check(&loaded.sources));
    ctx.out
}

pub(crate) struct Ctx<'a> {
    pub loaded: &'a Loaded,
    pub p: &'a Projet,
    pub out: Vec<Diagnostic>,
}

impl Ctx<'_> {
    /// Pushes `d` located at the value of `rel` under `o`.
    pub fn at_value(&mut self, o: &Origine, rel: &[&str], d: Diagnostic) {
        let loc = self.loaded.loc_value(o, rel);
        self.out.push(d.at(loc));
    }

    /// Pushes `d` located at the key of `rel` under `o`.
    pub fn at_key(&mut self, o: &Origine, rel: &[&str], d: Diagnostic) {
        let loc = self.loaded.loc_key(o, rel);
        self.out.push(d.at(loc));
    }
}
