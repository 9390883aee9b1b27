//! Year-over-year comparison of the report's year N with N-1: per service
//! its cost, keys, adhesions and departures; per member its contribution
//! and the change decomposed exactly, to the cent; fiche statuses; the
//! indicators that moved most. The site page, the PDF section, the commune
//! pages and `mutu diff` all read these figures; none recomputes one.
//!
//! A figure N-1 lacks is the explicit variant [`Comparaison::SansDonneePrecedente`]
//! (« pas de donnée pour N-1 »), never a zero.
//!
//! # Decomposition of a member's change, and its rounding rule
//!
//! For a member and a service (one taxes regime), let `a` be what the member
//! pays (the sum of its final parts, already rounded by the allocation) and
//! `T` the service's allocated cost (the allocations' totals) in each year.
//! With the member's share `s = a / T`:
//!
//! - *cost effect* = `s(N-1) × (T(N) − T(N-1))`: the cost moved, the share held;
//! - *share effect* = `(s(N) − s(N-1)) × T(N)`: the share of the key moved
//!   (population, units used, tariff, exemption, pro rata).
//!
//! Their exact sum is `a(N) − a(N-1)`. **Rounding rule**: the cost effect is
//! rounded to the cent, half away from zero; the share effect is the
//! difference minus that rounded cost effect, so it carries the rounding
//! cent (it differs from its exact value by at most half a cent). The two
//! parts thus add up exactly to the difference of the rounded amounts.
//! When `T(N-1)` is zero the whole change is a share effect.
//!
//! A unit tariff (`unites_d_oeuvre`, `grille`) has no shared cost: what a
//! member pays is its quantity `q` (units, or structures of a grid, after
//! pro rata and exemption) times its tariff `t` (the key's unit price, or
//! the forfait of its population band). There the two parts are the
//! *quantity effect* = `(q(N) − q(N-1)) × t(N-1)`, rounded to the cent half
//! away from zero, and the *tariff effect* = the difference minus it
//! (`q(N) × (t(N) − t(N-1))` plus the rounding cent). They take the place
//! of the share and cost effects ([`NatureEffets::QuantiteTarif`]), so the
//! member's sums stay `ecart = effet_cout + effet_part + …`. This applies
//! when the member's amount each year is that one tariff line; otherwise
//! (several allocations, a tariff against a shared key) the cost/share
//! rule holds.
//!
//! A service the member pays in N but not in N-1 while the service has an
//! allocation in N-1 (or its adhesion or the service starts in N) is a *new
//! service* line; the reverse is an *ended service* line. A service with no
//! allocation at all in N-1 (nor a start in N) is not compared: its line says
//! that N-1 has no figure, and it stays out of the member's difference.

use super::repartition::{EtapeCalculee, PartCalculee, RepartitionCalculee};
use super::{pct, Modele, ServiceCalcule};
use mutu_model::cles::{BaseCle, Calcul};
use mutu_model::fiches::Statut;
use mutu_model::services::Taxes;
use mutu_model::Date;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many indicators the « moved most » list keeps.
pub const INDICATEURS_MAX: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct Evolutions {
    pub annee: i32,
    pub annee_precedente: i32,
    pub services: Vec<EvolutionService>,
    pub membres: Vec<EvolutionMembre>,
    pub fiches: Vec<EvolutionFiche>,
    /// Indicators with a value in N, those that moved most first (by the
    /// absolute % change); those without a value in N-1 last.
    pub indicateurs: Vec<EvolutionIndicateur>,
    /// Permanent posts of the services communs (data/effectifs.yaml), the
    /// only staffing figure the format keeps per year; `None` when neither
    /// year has one.
    pub emplois_permanents: Option<Comparaison>,
}

impl Evolutions {
    /// Nothing compared yet (the model is built before its comparison).
    pub fn vide(annee: i32) -> Evolutions {
        Evolutions {
            annee,
            annee_precedente: annee - 1,
            services: Vec::new(),
            membres: Vec::new(),
            fiches: Vec::new(),
            indicateurs: Vec::new(),
            emplois_permanents: None,
        }
    }
}

/// A figure in N against N-1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "etat", rename_all = "snake_case")]
pub enum Comparaison {
    Comparee {
        avant: Decimal,
        apres: Decimal,
        ecart: Decimal,
        /// `None` when the N-1 value is zero.
        pourcentage: Option<Decimal>,
    },
    /// N-1 has no figure (« pas de donnée pour N-1 »).
    SansDonneePrecedente { apres: Decimal },
    /// N has no figure while N-1 has one.
    SansDonneeCourante { avant: Decimal },
}

impl Comparaison {
    pub fn new(avant: Option<Decimal>, apres: Option<Decimal>) -> Option<Comparaison> {
        match (avant, apres) {
            (Some(avant), Some(apres)) => Some(Comparaison::Comparee {
                avant,
                apres,
                ecart: apres - avant,
                pourcentage: (!avant.is_zero()).then(|| pct(apres - avant, avant)),
            }),
            (None, Some(apres)) => Some(Comparaison::SansDonneePrecedente { apres }),
            (Some(avant), None) => Some(Comparaison::SansDonneeCourante { avant }),
            (None, None) => None,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct EvolutionService {
    pub service: String,
    pub nom: String,
    /// Total expenses of the balances, per taxes regime; without a balance
    /// either year, the allocations' total ([`SourceCout`]).
    pub couts: Vec<CoutService>,
    /// Keys of the allocations' steps, each year.
    pub cles_avant: Vec<String>,
    pub cles_apres: Vec<String>,
    /// Adhesions starting during N.
    pub adhesions: Vec<Mouvement>,
    /// Adhesions ending during N (or on 31 December N-1).
    pub departs: Vec<Mouvement>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoutService {
    pub taxes: Taxes,
    pub cout: Comparaison,
    pub source: SourceCout,
}

/// Where a service's compared cost comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceCout {
    /// Total expenses of the year's balance.
    Bilan,
    /// No balance either year: the total the allocations bill (a service
    /// billed at a tariff).
    Repartitions,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mouvement {
    pub membre: String,
    pub nom: String,
    pub date: Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvolutionMembre {
    pub membre: String,
    pub nom: String,
    pub lignes: Vec<LigneEvolution>,
    /// Sums over the compared lines (lines without a figure excluded):
    /// `apres − avant = ecart = effet_cout + effet_part + nouveaux + termines`, exactly.
    pub avant: Decimal,
    pub apres: Decimal,
    pub ecart: Decimal,
    pub effet_cout: Decimal,
    pub effet_part: Decimal,
    pub nouveaux: Decimal,
    pub termines: Decimal,
    /// Lines left out of the sums because a year has no figure.
    pub sans_donnee: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneEvolution {
    pub service: String,
    pub service_nom: String,
    pub taxes: Taxes,
    pub variation: Variation,
}

/// One member's change for one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "genre", rename_all = "snake_case")]
pub enum Variation {
    Comparee {
        avant: Decimal,
        apres: Decimal,
        #[serde(flatten)]
        decomposition: Decomposition,
        /// The service's allocated cost each year and its change in %.
        cout_avant: Decimal,
        cout_apres: Decimal,
        cout_pourcentage: Option<Decimal>,
        /// The member's share of the cost each year, in % (2 decimals).
        part_avant: Decimal,
        part_apres: Decimal,
        /// Its base value in the first step of the key, when the key has one.
        base: Option<Box<BaseEvolution>>,
        /// Quantity and tariff each year, key by key, when the line is
        /// billed at unit tariffs only (then `decomposition` is a
        /// quantity/tariff split); empty otherwise.
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tarifs: Vec<TarifEvolution>,
    },
    /// Paid in N, not in N-1 (joined, or newly charged).
    Nouveau { apres: Decimal },
    /// Paid in N-1, not in N.
    Termine { avant: Decimal },
    /// No allocation of the service in N-1: not compared.
    SansDonneePrecedente { apres: Decimal },
    /// No allocation of the service in N: not compared.
    SansDonneeCourante { avant: Decimal },
}

/// The exact split of a change in two parts (see the module doc for the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Decomposition {
    pub ecart: Decimal,
    /// Cost effect; for a unit tariff, the tariff effect.
    pub effet_cout: Decimal,
    /// Share effect; for a unit tariff, the quantity effect.
    pub effet_part: Decimal,
    pub nature: NatureEffets,
}

/// What the two effects of a [`Decomposition`] measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NatureEffets {
    /// A shared cost: the service's cost moved, the member's share moved.
    CoutPart,
    /// A unit tariff: the tariff moved, the quantity moved.
    QuantiteTarif,
}

/// A member's quantity and tariff each year for one tariff key of a
/// unit-tariff line (a service billed by several tariffs has several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TarifEvolution {
    /// What matches the lines across years: the kind of key and its unit
    /// (`UnitesDOeuvre/jour`), as a tariff voted each year is often a new key.
    pub genre: String,
    /// Label of the key of year N (of N-1 when the line ended).
    pub cle_libelle: String,
    /// `true` for a grid by population band (the tariff is the band's forfait).
    pub grille: bool,
    /// The key's unit (« jour »), for `unites_d_oeuvre`.
    pub unite: Option<String>,
    pub quantite_avant: Decimal,
    pub quantite_apres: Decimal,
    pub tarif_avant: Decimal,
    pub tarif_apres: Decimal,
    /// `(quantite_apres − quantite_avant) × tarif_avant`, to the cent.
    pub effet_quantite: Decimal,
}

/// The member's base value in the key's first step, each year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BaseEvolution {
    pub cle_libelle: String,
    /// « population DGF », « unités d'œuvre »…
    pub base_libelle: String,
    /// The base is a population (DGF, totale, municipale).
    pub population: bool,
    pub unite: Option<String>,
    pub avant: Decimal,
    pub apres: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvolutionFiche {
    pub fiche: String,
    pub numero: u32,
    pub piste: String,
    /// `None`: no status recorded for N-1 (`statuts_par_exercice`).
    pub avant: Option<Statut>,
    pub apres: Statut,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvolutionIndicateur {
    pub service: String,
    pub service_nom: String,
    pub indicateur: String,
    pub libelle: String,
    pub unite: Option<String>,
    pub valeur: Comparaison,
}

/// Splits `apres − avant` into a cost effect and a share effect by the rule
/// of the module doc. `cout_avant`, `cout_apres`: the service's cost each year.
pub fn decompose(avant: Decimal, apres: Decimal, cout_avant: Decimal, cout_apres: Decimal) -> Decomposition {
    let ecart = apres - avant;
    let effet_cout = if cout_avant.is_zero() {
        Decimal::ZERO
    } else {
        cent(avant * (cout_apres - cout_avant) / cout_avant)
    };
    Decomposition {
        ecart,
        effet_cout,
        effet_part: ecart - effet_cout,
        nature: NatureEffets::CoutPart,
    }
}

/// Splits `apres − avant` of a unit-tariff line into a quantity effect
/// (`effet_part`: the keys' quantity effects) and a tariff effect
/// (`effet_cout`: the rest), by the rule of the module doc.
pub fn decompose_tarifs(avant: Decimal, apres: Decimal, tarifs: &[TarifEvolution]) -> Decomposition {
    let ecart = apres - avant;
    let effet_quantite: Decimal = tarifs.iter().map(|t| t.effet_quantite).sum();
    Decomposition {
        ecart,
        effet_cout: ecart - effet_quantite,
        effet_part: effet_quantite,
        nature: NatureEffets::QuantiteTarif,
    }
}

/// A body's quantity and tariff in a tariff step: `(quantité, tarif)`,
/// `None` for a key that shares a cost.
fn quantite_tarif(m: &Modele, e: &EtapeCalculee, p: &PartCalculee) -> Option<(Decimal, Decimal)> {
    let facteur = if p.exonere { Decimal::ZERO } else { p.prorata.unwrap_or(Decimal::ONE) };
    let cle = m.cles.iter().find(|c| c.id == e.cle)?;
    cle.quantite_et_prix(&p.beneficiaire, p.base).map(|(quantite, prix)| (quantite * facteur, prix))
}

/// One tariff part of a body: kind and unit (what matches across years),
/// key label, kind, unit, quantity, tariff.
type PartTarif = (String, String, BaseCle, Option<String>, Decimal, Decimal);

/// The member's quantities and tariffs both years, key by key, when all it
/// pays for the service each year comes from unit tariffs; `None` otherwise.
fn tarifs_membre(m: &Modele, av: &Annee, ap: &Annee, id: &str, a: Decimal, b: Decimal) -> Option<Vec<TarifEvolution>> {
    let lignes = |an: &Annee, total: Decimal| -> Option<Vec<PartTarif>> {
        let parts = an.tarifs.get(id)?;
        if parts.iter().map(|(_, p)| p.montant).sum::<Decimal>() != total {
            return None;
        }
        parts
            .iter()
            .map(|(e, p)| {
                // A tariff is voted each year, often as a new key: lines are
                // matched across years by kind and unit, not by key id.
                let genre = format!("{:?}/{}", e.base, e.unite.as_deref().unwrap_or(""));
                quantite_tarif(m, e, p).map(|(q, t)| (genre, e.cle_libelle.clone(), e.base, e.unite.clone(), q, t))
            })
            .collect()
    };
    let (l0, l1) = (lignes(av, a)?, lignes(ap, b)?);
    let nouvelle = |(genre, libelle, base, unite, _, _): &PartTarif, q0: Decimal, q1: Decimal, t0: Decimal, t1: Decimal| TarifEvolution {
        genre: genre.clone(),
        cle_libelle: libelle.clone(),
        grille: base.calcul() == Calcul::Grille,
        unite: unite.clone(),
        quantite_avant: q0,
        quantite_apres: q1,
        tarif_avant: t0,
        tarif_apres: t1,
        effet_quantite: Decimal::ZERO,
    };
    let mut out: Vec<TarifEvolution> = Vec::new();
    for x in &l1 {
        if out.iter().any(|o| o.genre == x.0) {
            continue;
        }
        let q1: Decimal = l1.iter().filter(|y| y.0 == x.0).map(|y| y.4).sum();
        let avant: Vec<&PartTarif> = l0.iter().filter(|y| y.0 == x.0).collect();
        let q0: Decimal = avant.iter().map(|y| y.4).sum();
        let t0 = avant.first().map(|y| y.5).unwrap_or(x.5);
        out.push(nouvelle(x, q0, q1, t0, x.5));
    }
    for x in &l0 {
        if !out.iter().any(|o| o.genre == x.0) {
            let q0: Decimal = l0.iter().filter(|y| y.0 == x.0).map(|y| y.4).sum();
            out.push(nouvelle(x, q0, Decimal::ZERO, x.5, x.5));
        }
    }
    for t in &mut out {
        t.effet_quantite = cent((t.quantite_apres - t.quantite_avant) * t.tarif_avant);
    }
    Some(out)
}

fn cent(d: Decimal) -> Decimal {
    mutu_model::values::cents(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// A service's allocations of one year and taxes: what each body pays, and
/// the cost allocated.
struct Annee<'a> {
    parts: BTreeMap<&'a str, Decimal>,
    cout: Decimal,
    /// Each body's first step and part, in allocation then step order: the
    /// base shown beside its change. Indexed once per service and year, as
    /// every member looks itself up (a scan per member was quadratic: 2 s
    /// at 2,000 communes).
    bases: HashMap<&'a str, (&'a EtapeCalculee, &'a PartCalculee)>,
    /// Each body's parts in tariff steps (first steps of tariff keys), in
    /// allocation order.
    tarifs: HashMap<&'a str, Vec<(&'a EtapeCalculee, &'a PartCalculee)>>,
}

fn annee<'a>(s: &'a ServiceCalcule, y: i32, taxes: Taxes) -> Option<Annee<'a>> {
    let allocations: Vec<&RepartitionCalculee> = s.repartitions.iter().filter(|r| r.exercice == y && r.taxes == taxes).collect();
    if allocations.is_empty() {
        return None;
    }
    let mut parts: BTreeMap<&str, Decimal> = BTreeMap::new();
    for r in &allocations {
        for x in r.parts.iter().filter(|x| !x.prise_en_charge) {
            *parts.entry(x.beneficiaire.as_str()).or_default() += x.montant;
        }
    }
    let mut bases = HashMap::new();
    let mut tarifs: HashMap<&str, Vec<_>> = HashMap::new();
    for e in allocations.iter().flat_map(|r| r.etapes.iter()) {
        for p in &e.parts {
            bases.entry(p.beneficiaire.as_str()).or_insert((e, p));
            if e.base.is_tariff() {
                tarifs.entry(p.beneficiaire.as_str()).or_default().push((e, p));
            }
        }
    }
    Some(Annee {
        cout: allocations.iter().map(|r| r.total).sum(),
        parts,
        bases,
        tarifs,
    })
}

fn base_membre(a: &Annee, id: &str) -> Option<(String, String, Option<String>, Decimal, bool)> {
    a.bases.get(id).map(|(e, p)| {
        (
            e.cle_libelle.clone(),
            e.base_libelle.to_string(),
            e.unite.clone(),
            p.base,
            e.base.is_population(),
        )
    })
}

pub fn evolutions(m: &Modele) -> Evolutions {
    let n = m.rapport.exercice;
    let p = n - 1;
    let dans = |d: Option<Date>, y: i32| d.is_some_and(|d| d.annee == y);
    let services = m
        .services
        .iter()
        .map(|s| {
            let regimes: BTreeSet<Taxes> = s
                .bilans
                .iter()
                .filter(|b| b.exercice == n || b.exercice == p)
                .map(|b| b.taxes)
                .chain(s.repartitions.iter().filter(|r| r.exercice == n || r.exercice == p).map(|r| r.taxes))
                .collect();
            let couts = regimes
                .into_iter()
                .filter_map(|taxes| {
                    let bilan = |y: i32| s.bilans.iter().find(|b| b.exercice == y && b.taxes == taxes).map(|b| b.total_depenses);
                    if bilan(p).is_some() || bilan(n).is_some() {
                        return Comparaison::new(bilan(p), bilan(n)).map(|cout| CoutService {
                            taxes,
                            cout,
                            source: SourceCout::Bilan,
                        });
                    }
                    // No balance either year (a service billed at a tariff):
                    // its cost to the members is what the allocations bill.
                    let reparti = |y: i32| {
                        let rs: Vec<_> = s.repartitions.iter().filter(|r| r.exercice == y && r.taxes == taxes).collect();
                        (!rs.is_empty()).then(|| rs.iter().map(|r| r.total).sum())
                    };
                    Comparaison::new(reparti(p), reparti(n)).map(|cout| CoutService {
                        taxes,
                        cout,
                        source: SourceCout::Repartitions,
                    })
                })
                .collect();
            let cles = |y: i32| {
                let mut v: Vec<String> = Vec::new();
                for e in s.repartitions.iter().filter(|r| r.exercice == y).flat_map(|r| r.etapes.iter()) {
                    if !v.contains(&e.cle_libelle) {
                        v.push(e.cle_libelle.clone());
                    }
                }
                v
            };
            let mouvement = |a: &mutu_model::services::Adhesion, d: Date| Mouvement {
                membre: a.membre.clone(),
                nom: m.nom(&a.membre),
                date: d,
            };
            EvolutionService {
                service: s.service.id.clone(),
                nom: s.service.nom.clone(),
                couts,
                cles_avant: cles(p),
                cles_apres: cles(n),
                adhesions: s
                    .service
                    .adherents
                    .iter()
                    .filter_map(|a| a.depuis.filter(|d| d.annee == n).map(|d| mouvement(a, d)))
                    .collect(),
                departs: s
                    .service
                    .adherents
                    .iter()
                    .filter_map(|a| {
                        a.jusqu_au
                            .filter(|d| d.annee == n || (d.annee == p && (d.mois, d.jour) == (12, 31)))
                            .map(|d| mouvement(a, d))
                    })
                    .collect(),
            }
        })
        .collect();

    let mut bodies: Vec<(String, String)> = m.membres.iter().map(|x| (x.id.clone(), x.nom.clone())).collect();
    bodies.extend(m.partenaires.iter().map(|x| (x.id.clone(), x.nom.clone())));
    // Per service and regime, both years' allocations and the adhesions,
    // indexed once for all members.
    let prepares: Vec<_> = m
        .services
        .iter()
        .map(|s| {
            let regimes: BTreeSet<Taxes> = s.repartitions.iter().filter(|r| r.exercice == n || r.exercice == p).map(|r| r.taxes).collect();
            let annees: Vec<_> = regimes.into_iter().map(|taxes| (taxes, annee(s, p, taxes), annee(s, n, taxes))).collect();
            (s, annees, s.service.premieres_adhesions())
        })
        .collect();
    let mut membres = Vec::new();
    for (id, nom) in bodies {
        let mut lignes = Vec::new();
        for (s, annees, adhesions) in &prepares {
            for (taxes, av, ap) in annees {
                let taxes = *taxes;
                let montant = |a: &Option<Annee>| a.as_ref().map(|a| a.parts.get(id.as_str()).copied().unwrap_or_default());
                let (ma, mn) = (montant(av), montant(ap));
                let adhesion = adhesions.get(id.as_str()).copied();
                let commence = dans(s.service.creation, n) || adhesion.is_some_and(|a| dans(a.depuis, n));
                let finit = adhesion.is_some_and(|a| a.jusqu_au.is_some_and(|d| d.annee < n));
                let variation = match (ma, mn) {
                    (Some(a), Some(b)) if a.is_zero() && b.is_zero() => None,
                    (Some(a), Some(b)) if a.is_zero() => Some(Variation::Nouveau { apres: b }),
                    (Some(a), Some(b)) if b.is_zero() => Some(Variation::Termine { avant: a }),
                    (Some(a), Some(b)) => {
                        let (av, ap) = (av.as_ref().expect("some"), ap.as_ref().expect("some"));
                        let base = match (base_membre(av, &id), base_membre(ap, &id)) {
                            (Some((cle, lib, unite, x, population)), Some((_, lib2, _, y, _))) if lib == lib2 => Some(Box::new(BaseEvolution {
                                cle_libelle: cle,
                                base_libelle: lib,
                                population,
                                unite,
                                avant: x,
                                apres: y,
                            })),
                            _ => None,
                        };
                        let tarifs = tarifs_membre(m, av, ap, &id, a, b);
                        Some(Variation::Comparee {
                            avant: a,
                            apres: b,
                            decomposition: match &tarifs {
                                Some(t) => decompose_tarifs(a, b, t),
                                None => decompose(a, b, av.cout, ap.cout),
                            },
                            cout_avant: av.cout,
                            cout_apres: ap.cout,
                            cout_pourcentage: (!av.cout.is_zero()).then(|| pct(ap.cout - av.cout, av.cout)),
                            part_avant: pct(a, av.cout),
                            part_apres: pct(b, ap.cout),
                            base,
                            tarifs: tarifs.unwrap_or_default(),
                        })
                    }
                    (None, Some(b)) if b.is_zero() => None,
                    (None, Some(b)) if commence => Some(Variation::Nouveau { apres: b }),
                    (None, Some(b)) => Some(Variation::SansDonneePrecedente { apres: b }),
                    (Some(a), None) if a.is_zero() => None,
                    (Some(a), None) if finit => Some(Variation::Termine { avant: a }),
                    (Some(a), None) => Some(Variation::SansDonneeCourante { avant: a }),
                    (None, None) => None,
                };
                if let Some(variation) = variation {
                    lignes.push(LigneEvolution {
                        service: s.service.id.clone(),
                        service_nom: s.service.nom.clone(),
                        taxes,
                        variation,
                    });
                }
            }
        }
        if lignes.is_empty() {
            continue;
        }
        let mut e = EvolutionMembre {
            membre: id,
            nom,
            lignes: Vec::new(),
            avant: Decimal::ZERO,
            apres: Decimal::ZERO,
            ecart: Decimal::ZERO,
            effet_cout: Decimal::ZERO,
            effet_part: Decimal::ZERO,
            nouveaux: Decimal::ZERO,
            termines: Decimal::ZERO,
            sans_donnee: 0,
        };
        for l in &lignes {
            match &l.variation {
                Variation::Comparee {
                    avant, apres, decomposition, ..
                } => {
                    e.avant += avant;
                    e.apres += apres;
                    e.effet_cout += decomposition.effet_cout;
                    e.effet_part += decomposition.effet_part;
                }
                Variation::Nouveau { apres } => {
                    e.apres += apres;
                    e.nouveaux += apres;
                }
                Variation::Termine { avant } => {
                    e.avant += avant;
                    e.termines -= avant;
                }
                Variation::SansDonneePrecedente { .. } | Variation::SansDonneeCourante { .. } => e.sans_donnee += 1,
            }
        }
        e.ecart = e.apres - e.avant;
        e.lignes = lignes;
        for d in [
            &mut e.avant,
            &mut e.apres,
            &mut e.ecart,
            &mut e.effet_cout,
            &mut e.effet_part,
            &mut e.nouveaux,
            &mut e.termines,
        ] {
            *d = mutu_model::values::cents(*d);
        }
        membres.push(e);
    }

    let fiches = m
        .fiches
        .iter()
        .map(|f| EvolutionFiche {
            fiche: f.id.clone(),
            numero: f.numero,
            piste: f.piste.clone(),
            avant: f.statuts_par_exercice.get(&p).copied(),
            apres: f.statuts_par_exercice.get(&n).copied().unwrap_or(f.statut),
        })
        .collect();

    let mut indicateurs: Vec<EvolutionIndicateur> = Vec::new();
    for s in &m.services {
        for i in &s.indicateurs {
            let v = |y: i32| i.annees.iter().find(|a| a.annee == y).map(|a| a.valeur);
            if v(n).is_none() {
                continue;
            }
            if let Some(valeur) = Comparaison::new(v(p), v(n)) {
                indicateurs.push(EvolutionIndicateur {
                    service: s.service.id.clone(),
                    service_nom: s.service.nom.clone(),
                    indicateur: i.id.clone(),
                    libelle: i.libelle.clone(),
                    unite: i.unite.clone(),
                    valeur,
                });
            }
        }
    }
    // Moved most first: a known % before none, then by |%| (ties: data order).
    let poids = |c: &Comparaison| match c {
        Comparaison::Comparee { pourcentage: Some(x), .. } => (0, -x.abs()),
        Comparaison::Comparee { .. } => (1, Decimal::ZERO),
        _ => (2, Decimal::ZERO),
    };
    indicateurs.sort_by_key(|i| poids(&i.valeur));
    let comparees = indicateurs.iter().filter(|i| matches!(i.valeur, Comparaison::Comparee { .. })).count();
    indicateurs.truncate(comparees.min(INDICATEURS_MAX) + indicateurs.len() - comparees);

    let emplois = &m.effectifs.emplois_permanents;
    Evolutions {
        annee: n,
        annee_precedente: p,
        services,
        membres,
        fiches,
        indicateurs,
        emplois_permanents: Comparaison::new(emplois.get(&p).copied(), emplois.get(&n).copied()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocation::{split, Weight};
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn cost_effect_rounded_share_effect_takes_the_cent() {
        // 100 → 106 for a cost 1 000 → 1 060.005: cost effect 6.0003 → 6.00.
        let x = decompose(d("100.00"), d("106.00"), d("1000"), d("1060.003"));
        assert_eq!(x.effet_cout, d("6.00"));
        assert_eq!(x.effet_part, d("0.00"));
        let y = decompose(d("33.33"), d("40.00"), d("100.00"), d("110.00"));
        assert_eq!(y.effet_cout, d("3.33")); // 3.333
        assert_eq!(y.effet_part, d("3.34"));
        assert_eq!(y.effet_cout + y.effet_part, y.ecart);
    }

    #[test]
    fn no_previous_cost_is_all_share() {
        let x = decompose(d("0"), d("5.00"), Decimal::ZERO, d("10.00"));
        assert_eq!((x.effet_cout, x.effet_part), (Decimal::ZERO, d("5.00")));
    }

    proptest! {
        /// Two random allocations of random costs by random keys: for each
        /// member the parts add up exactly to the rounded difference, the
        /// cost effect is the exact one rounded to the cent, and the share
        /// effect is within half a cent of its exact value.
        #[test]
        fn decomposition_is_exact_to_the_cent(
            t0 in 1i64..10_000_000_000i64,
            t1 in 1i64..10_000_000_000i64,
            ws in proptest::collection::vec((1u32..200_000u32, 1u32..200_000u32), 1..30),
        ) {
            let (t0, t1) = (Decimal::new(t0, 2), Decimal::new(t1, 2));
            let weights = |k: usize| -> Vec<Weight> {
                ws.iter().enumerate().map(|(i, w)| Weight { id: format!("m{i:03}"), sort_key: format!("{i:05}"), weight: Decimal::from(if k == 0 { w.0 } else { w.1 }) }).collect()
            };
            let a0 = split(t0, &weights(0), Decimal::new(1, 2)).unwrap();
            let a1 = split(t1, &weights(1), Decimal::new(1, 2)).unwrap();
            let half = d("0.005");
            for (x, y) in a0.iter().zip(&a1) {
                let dc = decompose(x.amount, y.amount, t0, t1);
                prop_assert_eq!(dc.ecart, y.amount - x.amount);
                prop_assert_eq!(dc.effet_cout + dc.effet_part, dc.ecart);
                let exact_cost = x.amount * (t1 - t0) / t0;
                prop_assert!((dc.effet_cout - exact_cost).abs() <= half);
                prop_assert_eq!(dc.effet_cout, exact_cost.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero));
                let exact_share = (y.amount / t1 - x.amount / t0) * t1;
                prop_assert!((dc.effet_part - exact_share).abs() <= half + d("0.0000001"), "{} vs {}", dc.effet_part, exact_share);
                prop_assert_eq!(dc.effet_cout.scale(), 2);
            }
        }
    }
}
