//! Audiences: the internal build (everything, internal items marked) and
//! the public build (`--public`: internal items left out of every output).
//!
//! The audience is applied in ONE place, [`projeter`], to the loaded
//! [`Projet`] after the checks and before `compute`: the checks always see
//! the whole project (an error in an internal service still stops a public
//! build), while the figures, the presentation and every renderer (site,
//! PDF, CSV/JSON, `mutu-export.json`, sitemap) only ever see what the
//! audience may read. No renderer knows about audiences: what is not in the
//! projected project cannot leak, and every figure that depended on an
//! internal item (counts, allocation statements of the members, staff
//! totals, roll-ups, cross-footing controls) is recomputed without it.
//!
//! What `visibilite: interne` applies to (docs/format.md, § "Diffusion
//! interne"):
//! - a service (`data/services/*.yaml`): the service, its page, its figures
//!   and every text attached to it;
//! - a fiche-action (`data/fiches/*.yaml`): the fiche, its page and the
//!   texts attached to it; a fiche pointing at an internal service loses
//!   that link;
//! - an activity indicator of a service (`indicateurs[].visibilite`): its
//!   table, chart and controls (an indicator feeds no other figure);
//! - a Markdown text (`content/**.md`, front matter).
//!
//! Blocks that feed totals (balance lines, allocations, memberships,
//! components) cannot be internal: leaving one out would change published
//! figures (a balance, the amount an allocation splits). Their remarks can:
//! every block of a service that has a `note` also accepts `note_interne`,
//! removed from the public build and appended to the note, marked
//! « Diffusion interne », in the internal build.

use crate::services::{Adhesion, Bilan, Composante, Effectifs, Indicateur, Ligne, Repartition};
use crate::{Objet, Projet, Visibilite};
use std::collections::BTreeSet;

/// Who a build is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// Everything, internal items marked « Diffusion interne » (default).
    #[default]
    Interne,
    /// Only what may be published (`--public`).
    Publique,
}

/// Label of the mark shown on internal items in the internal build.
pub const MENTION_INTERNE: &str = "Diffusion interne";

/// Is an item with this `visibilite` internal?
pub fn est_interne(v: Option<Visibilite>) -> bool {
    v == Some(Visibilite::Interne)
}

/// Projects the project onto `audience` (see the module documentation).
pub fn projeter(p: &mut Projet, audience: Audience) {
    match audience {
        Audience::Interne => notes_internes(p, |note, interne| Some(joint(note, &interne))),
        Audience::Publique => publique(p),
    }
}

/// `note` followed by the internal remark, marked.
fn joint(note: Option<String>, interne: &str) -> String {
    match note {
        Some(n) if !n.trim().is_empty() => format!("{n} — {MENTION_INTERNE} : {interne}"),
        _ => format!("{MENTION_INTERNE} : {interne}"),
    }
}

/// Applies `f(note, note_interne)` to every block carrying a `note_interne`
/// and clears the latter.
fn notes_internes(p: &mut Projet, f: impl Fn(Option<String>, String) -> Option<String> + Copy) {
    fn un(note: &mut Option<String>, interne: &mut Option<String>, f: impl Fn(Option<String>, String) -> Option<String>) {
        if let Some(i) = interne.take() {
            *note = f(note.take(), i);
        }
    }
    for s in p.services.iter_mut() {
        let s = &mut s.valeur;
        for Adhesion { note, note_interne, .. } in s.adherents.iter_mut() {
            un(note, note_interne, f);
        }
        let effectifs = s.effectifs.iter_mut().chain(s.composantes.iter_mut().filter_map(|c| c.effectifs.as_mut()));
        for Effectifs { note, note_interne, .. } in effectifs {
            un(note, note_interne, f);
        }
        for Composante { note, note_interne, .. } in s.composantes.iter_mut() {
            un(note, note_interne, f);
        }
        for Indicateur { note, note_interne, .. } in s.indicateurs.iter_mut() {
            un(note, note_interne, f);
        }
        for b in s.bilans.iter_mut() {
            for Ligne { note, note_interne, .. } in b.depenses.iter_mut().chain(b.recettes.iter_mut().flatten()) {
                un(note, note_interne, f);
            }
            let Bilan { note, note_interne, .. } = b;
            un(note, note_interne, f);
        }
        for Repartition { note, note_interne, .. } in s.repartitions.iter_mut() {
            un(note, note_interne, f);
        }
    }
}

fn publique(p: &mut Projet) {
    notes_internes(p, |note, _| note);

    let services_internes: BTreeSet<String> = p.services.iter().filter(|s| est_interne(s.visibilite)).map(|s| s.id.clone()).collect();
    let fiches_internes: BTreeSet<String> = p.fiches.iter().filter(|f| est_interne(f.visibilite)).map(|f| f.id.clone()).collect();

    // Keys used by an internal service and by no public one are part of it.
    let cles_de = |p: &Projet, internes: bool| -> BTreeSet<String> {
        p.services
            .iter()
            .filter(|s| est_interne(s.visibilite) == internes)
            .flat_map(|s| {
                let etapes = s.repartitions.iter().flat_map(|r| r.etapes.iter().map(|e| e.cle.clone()));
                etapes.chain(s.composantes.iter().filter_map(|c| c.cle.clone())).collect::<Vec<_>>()
            })
            .collect()
    };
    let cles_publiques = cles_de(p, false);
    let cles_retirees: BTreeSet<String> = cles_de(p, true).difference(&cles_publiques).cloned().collect();

    p.services.retain(|s| !est_interne(s.visibilite));
    for s in p.services.iter_mut() {
        s.valeur.indicateurs.retain(|i| !est_interne(i.visibilite));
    }
    p.fiches.retain(|f| !est_interne(f.visibilite));
    for f in p.fiches.iter_mut() {
        if f.service.as_ref().is_some_and(|id| services_internes.contains(id)) {
            f.valeur.service = None;
        }
    }
    p.cles.retain(|c| !cles_retirees.contains(&c.id));
    p.contenus.retain(|c| {
        let e = &c.entete;
        let rattache_a_interne = match (e.objet, e.id.as_deref()) {
            (Objet::Service, Some(id)) => services_internes.contains(id),
            (Objet::Fiche, Some(id)) => fiches_internes.contains(id),
            _ => false,
        };
        !est_interne(e.visibilite) && !rattache_a_interne
    });
    if let Some(e) = p.effectifs.as_mut() {
        let avant = e.perimetre.len();
        e.valeur.perimetre.retain(|id| !services_internes.contains(id));
        if e.perimetre.len() != avant {
            // The declared total counted internal staff: comparing it with
            // the public perimeter would report a false gap and print the
            // internal figure.
            e.valeur.total_declare = None;
        }
        if avant > 0 && e.perimetre.is_empty() {
            // Only internal services were counted: nothing left to publish.
            p.effectifs = None;
        }
    }
}
