//! « Et si nous adhérions ? » : what a commune that does not use a service
//! of the catalogue would have paid for the report's year, computed exactly by re-running
//! the service's allocation of that year with the member added to the key
//! of its last step (the one that reaches the members). Nothing is
//! approximated: the estimate is the member's final part in that re-run,
//! rounding and exemptions included, so a build with the member really
//! added gives the same figure (tests/mutu/catalogue.rs checks it for
//! every kind of key).
//!
//! A key by population or grid takes the member's own population. A key
//! by values or by tariff needs its volume: the value the key already
//! has for it, else the assumption stated in the service's offer for that
//! key (`offre.estimation`); without either, or for fixed quotas (which sum to
//! 100 % and would have to be rewritten), the member gets no figure and
//! the reason why.

use crate::bilans::BilanCalcule;
use crate::repartition::{one_avec, RepartitionCalculee};
use model::cles::{Beneficiaires, Calcul, Cle};
use model::territoire::TypeMembre;
use model::{Projet, Service};
use mutu_model as model;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Why a member gets no estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SansEstimation {
    /// The key fixes each body's share (quotités): adding one means
    /// rewriting them all.
    Quotites,
    /// A key by volume, and no volume for the member: neither in the key
    /// nor as an assumption of the offer.
    SansVolume,
    /// The amounts are entered as observed (`montants_constates`): no key
    /// to re-run.
    MontantsConstates,
    /// The re-run failed (a population missing for the member…).
    Incalculable,
}

/// The estimate of one member for one allocation of the report's year.
#[derive(Debug, Clone, Serialize)]
pub struct Estimation {
    pub membre: String,
    pub exercice: i32,
    /// Label of the allocation re-run.
    pub repartition: String,
    /// Id of the key the member was added to.
    pub cle: String,
    /// The member's base in that key (population, volume), when known.
    pub base: Option<Decimal>,
    /// The base is the offer's assumption, not a figure of the member.
    pub hypothese: bool,
    /// What the member would have paid; `None` with `sans_estimation`.
    pub montant: Option<Decimal>,
    pub sans_estimation: Option<SansEstimation>,
}

/// The estimates of every commune that does not use `s`, for each
/// allocation of the report's year (`repartitions`, already computed),
/// when `s` is in the catalogue (has an `offre`).
pub fn estimations(p: &Projet, s: &Service, bilans: &[BilanCalcule], repartitions: &[RepartitionCalculee]) -> Vec<Estimation> {
    // Only a service the catalogue offers is open to joining; the others
    // cost nothing here (each estimate re-runs an allocation: a territory
    // of 2 000 communes would otherwise pay for millions of parts).
    if s.offre.is_none() {
        return Vec::new();
    }
    let exercice = p.rapport.exercice;
    let keys: BTreeMap<&str, &Cle> = p.cles.iter().map(|c| (c.id.as_str(), &c.valeur)).collect();
    let utilise = |id: &str| s.porteur == id || s.adherents.iter().any(|a| a.membre == id);
    let mut out = Vec::new();
    for r in s.repartitions.iter().filter(|r| r.exercice == exercice) {
        // The computed list leaves out the allocations that failed.
        let Some(rc) = repartitions
            .iter()
            .find(|rc| rc.exercice == r.exercice && rc.libelle == r.libelle && rc.taxes == r.taxes)
        else {
            continue;
        };
        for mb in p.territoire.membres.iter().filter(|mb| mb.genre == TypeMembre::Commune && !utilise(&mb.id)) {
            // A body the allocation already charges is not « joining ».
            if rc.parts.iter().any(|x| x.beneficiaire == mb.id) {
                continue;
            }
            out.push(une(p, s, r, rc, bilans, &keys, &mb.id));
        }
    }
    out
}

fn une(
    p: &Projet,
    s: &Service,
    r: &model::services::Repartition,
    rc: &RepartitionCalculee,
    bilans: &[BilanCalcule],
    keys: &BTreeMap<&str, &Cle>,
    membre: &str,
) -> Estimation {
    let etape = r.etapes.last();
    let mut e = Estimation {
        membre: membre.to_string(),
        exercice: r.exercice,
        repartition: rc.libelle.clone(),
        cle: etape.map(|x| x.cle.clone()).unwrap_or_default(),
        base: None,
        hypothese: false,
        montant: None,
        sans_estimation: None,
    };
    if !r.montants_constates.is_empty() {
        e.sans_estimation = Some(SansEstimation::MontantsConstates);
        return e;
    }
    let Some(cle) = etape.and_then(|x| keys.get(x.cle.as_str()).copied()) else {
        e.sans_estimation = Some(SansEstimation::Incalculable);
        return e;
    };
    let Some(avec) = avec_membre(p, s, cle, membre, r.exercice, &mut e) else {
        return e;
    };
    let mut keys2 = keys.clone();
    keys2.insert(cle.id.as_str(), &avec);
    match one_avec(p, s, r, bilans, &keys2) {
        Ok(re) => {
            let derniere = re.etapes.last();
            if let Some(part) = derniere.and_then(|x| x.parts.iter().find(|x| x.beneficiaire == membre)) {
                e.base = Some(part.base);
            }
            e.montant = Some(re.parts.iter().filter(|x| x.beneficiaire == membre).map(|x| x.montant).sum());
        }
        Err(_) => e.sans_estimation = Some(SansEstimation::Incalculable),
    }
    e
}

/// The key with `membre` among those it shares among, or why it cannot be.
fn avec_membre(p: &Projet, s: &Service, cle: &Cle, membre: &str, exercice: i32, e: &mut Estimation) -> Option<Cle> {
    let mut c = cle.clone();
    match cle.base.calcul() {
        Calcul::Population(_) | Calcul::Grille => {
            let mut ids = cle.beneficiaires.as_ref().unwrap_or(&Beneficiaires::Communes).ids(&p.territoire.membres);
            if !ids.iter().any(|i| i == membre) {
                ids.push(membre.to_string());
            }
            // A grid counts the structures in `valeurs`: a body without
            // one counts for one.
            c.beneficiaires = Some(Beneficiaires::Liste(ids));
        }
        Calcul::Quotites => {
            e.sans_estimation = Some(SansEstimation::Quotites);
            return None;
        }
        Calcul::Valeurs | Calcul::Tarif => {
            let connue = cle
                .valeurs_par_exercice
                .as_ref()
                .and_then(|v| v.get(&exercice))
                .or(cle.valeurs.as_ref())
                .and_then(|v| v.get(membre))
                .map(|n| n.0);
            let hypothese = s.offre.as_ref().and_then(|o| o.estimation.get(&cle.id)).map(|n| n.0);
            let Some(base) = connue.or(hypothese) else {
                e.sans_estimation = Some(SansEstimation::SansVolume);
                return None;
            };
            e.hypothese = connue.is_none();
            let valeur = model::Nombre(base);
            match c.valeurs_par_exercice.as_mut().and_then(|v| v.get_mut(&exercice)) {
                Some(v) => {
                    v.insert(membre.to_string(), valeur);
                }
                None => {
                    c.valeurs.get_or_insert_with(BTreeMap::new).insert(membre.to_string(), valeur);
                }
            }
        }
    }
    Some(c)
}
