//! Balances of services (expenses, receipts, solde, evolution) and the
//! commande publique tables.

use super::controles::{Controles, Unite};
use super::{evolution, Evolution};
use mutu_model::commande::{Amo, Groupement};
use mutu_model::services::{Ligne, Taxes};
use mutu_model::values::cents;
use mutu_model::{Lu, Projet, Service};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct BilanCalcule {
    pub exercice: i32,
    pub taxes: Taxes,
    pub depenses: Vec<Ligne>,
    /// `None` when no receipt was entered (neither `recettes` nor
    /// `total_recettes_declare`): « non renseigné », never 0.
    pub recettes: Option<Vec<Ligne>>,
    pub total_depenses: Decimal,
    /// `None` when the receipts were not entered.
    pub total_recettes: Option<Decimal>,
    /// Dépenses − recettes: what remains to be financed; `None` when the
    /// receipts were not entered and no solde was declared either.
    pub solde: Option<Decimal>,
    /// Total expenses compared with the previous year's balance (same taxes).
    pub evolution_depenses: Option<Evolution>,
    pub evolution_recettes: Option<Evolution>,
    pub note: Option<String>,
}

pub fn bilans(s: &Lu<Service>, ctl: &mut Controles) -> Vec<BilanCalcule> {
    let mut out: Vec<BilanCalcule> = Vec::new();
    let mut order: Vec<usize> = (0..s.bilans.len()).collect();
    order.sort_by_key(|&i| s.bilans[i].exercice);
    for i in order {
        let b = &s.bilans[i];
        let is = i.to_string();
        let td: Decimal = cents(b.depenses.iter().map(|l| l.montant.0).sum());
        let lignes_recettes = b.recettes.as_deref().unwrap_or_default();
        let tr: Decimal = cents(lignes_recettes.iter().map(|l| l.montant.0).sum());
        let solde = td - tr;
        // Entered receipts (lines, or at least their declared total) make a
        // total of receipts; without them it is not known, not zero.
        let recettes_connues = b.recettes.is_some() || b.total_recettes_declare.is_some();
        let label = |what: &str| format!("{what} {} du service « {} »", b.exercice, s.nom);
        if let Some(d) = b.total_depenses_declare {
            ctl.compare(
                &s.origine,
                &["bilans", &is, "total_depenses_declare"],
                label("Total des dépenses"),
                Unite::Euro,
                d.0,
                td,
            );
        }
        if let Some(d) = b.total_recettes_declare {
            ctl.compare(
                &s.origine,
                &["bilans", &is, "total_recettes_declare"],
                label("Total des recettes"),
                Unite::Euro,
                d.0,
                tr,
            );
        }
        if let Some(d) = b.solde_declare {
            ctl.compare(&s.origine, &["bilans", &is, "solde_declare"], label("Solde"), Unite::Euro, d.0, solde);
        }
        let prev = out.iter().rev().find(|p| p.exercice == b.exercice - 1 && p.taxes == b.taxes);
        out.push(BilanCalcule {
            exercice: b.exercice,
            taxes: b.taxes,
            depenses: b.depenses.clone(),
            recettes: b.recettes.clone(),
            total_depenses: td,
            total_recettes: recettes_connues.then_some(tr),
            solde: (recettes_connues || b.solde_declare.is_some()).then_some(solde),
            evolution_depenses: prev.map(|p| evolution(p.exercice, p.total_depenses, td)),
            evolution_recettes: prev
                .filter(|p| recettes_connues && p.recettes.as_ref().is_some_and(|r| !r.is_empty()))
                .and_then(|p| Some(evolution(p.exercice, p.total_recettes?, tr))),
            note: b.note.clone(),
        });
    }
    out
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct CommandeCalculee {
    pub groupements: Vec<GroupementCalcule>,
    /// By year: total HT and per-member column totals.
    pub totaux: Vec<TotalGroupements>,
    pub assistance_maitrise_ouvrage: Vec<AmoCalculee>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupementCalcule {
    #[serde(flatten)]
    pub groupement: Groupement,
    /// Total HT minus the itemised members' amounts.
    pub reste_autres_membres: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct TotalGroupements {
    pub exercice: i32,
    pub total_ht: Decimal,
    pub par_membre: BTreeMap<String, Decimal>,
    pub nombre: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct AmoCalculee {
    #[serde(flatten)]
    pub amo: Amo,
    pub total_marches: Decimal,
    pub total_ht: Decimal,
}

pub fn commande(p: &Projet, ctl: &mut Controles) -> CommandeCalculee {
    let Some(cp) = &p.commande_publique else { return CommandeCalculee::default() };
    let mut groupements: Vec<GroupementCalcule> = cp
        .groupements
        .iter()
        .map(|g| GroupementCalcule {
            groupement: g.clone(),
            reste_autres_membres: cents(g.total_ht.0 - g.montants_ht.values().map(|m| m.0).sum::<Decimal>()),
        })
        .collect();
    groupements.sort_by(|a, b| (a.groupement.exercice, &a.groupement.id).cmp(&(b.groupement.exercice, &b.groupement.id)));
    let mut by_year: BTreeMap<i32, TotalGroupements> = BTreeMap::new();
    for g in &cp.groupements {
        let t = by_year.entry(g.exercice).or_insert_with(|| TotalGroupements {
            exercice: g.exercice,
            total_ht: cents(Decimal::ZERO),
            par_membre: BTreeMap::new(),
            nombre: 0,
        });
        t.total_ht += g.total_ht.0;
        t.nombre += 1;
        for (m, v) in &g.montants_ht {
            *t.par_membre.entry(m.clone()).or_default() += v.0;
        }
    }
    for (year, cols) in &cp.totaux_declares {
        let computed = by_year.get(year);
        for (col, declared) in cols {
            let calc = match (col.as_str(), computed) {
                ("total", Some(t)) => t.total_ht,
                (m, Some(t)) => t.par_membre.get(m).copied().unwrap_or_default(),
                (_, None) => Decimal::ZERO,
            };
            let label = if col == "total" {
                format!("Total HT des groupements de commandes {year}")
            } else {
                format!("Total HT {year} des groupements pour « {} »", p.nom(col))
            };
            ctl.compare(&cp.origine, &["totaux_declares", &year.to_string(), col], label, Unite::Euro, declared.0, calc);
        }
    }
    let amo = cp
        .assistance_maitrise_ouvrage
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let tm: Decimal = a.lignes.iter().map(|l| l.marches.0).sum();
            let th: Decimal = cents(a.lignes.iter().map(|l| l.montant_ht.0).sum());
            let is = i.to_string();
            if let Some(d) = &a.total_marches_declare {
                ctl.compare(
                    &cp.origine,
                    &["assistance_maitrise_ouvrage", &is, "total_marches_declare"],
                    format!("Nombre de marchés attribués {}", a.exercice),
                    Unite::Nombre,
                    d.0,
                    tm,
                );
            }
            if let Some(d) = &a.total_ht_declare {
                ctl.compare(
                    &cp.origine,
                    &["assistance_maitrise_ouvrage", &is, "total_ht_declare"],
                    format!("Volume financier HT des marchés {}", a.exercice),
                    Unite::Euro,
                    d.0,
                    th,
                );
            }
            AmoCalculee {
                amo: a.clone(),
                total_marches: tm,
                total_ht: th,
            }
        })
        .collect();
    CommandeCalculee {
        groupements,
        totaux: by_year.into_values().collect(),
        assistance_maitrise_ouvrage: amo,
    }
}
