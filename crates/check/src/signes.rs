//! Figures that cannot be negative (a tariff, a groupement's amount, a
//! staff count…) and populations beyond belief. Balance lines may be
//! negative (a correction, a cancelled title), and so may an amount to
//! split (a refund): those are not checked here.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::territoire::Population;
use mutu_model::{Montant, Nombre, Origine};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Largest population accepted: more than any French territory.
pub const POPULATION_MAXIMUM: u64 = 100_000_000;

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    for c in &p.cles {
        montant(ctx, &c.origine, &["tarif"], c.tarif.as_ref(), "le tarif d'une unité d'œuvre");
        for (i, t) in c.tranches.iter().enumerate() {
            montant(
                ctx,
                &c.origine,
                &["tranches", &i.to_string(), "montant"],
                Some(&t.montant),
                "le montant d'une tranche",
            );
        }
        if let Some(pc) = &c.prise_en_charge_epci {
            montant(
                ctx,
                &c.origine,
                &["prise_en_charge_epci", "montant"],
                pc.montant.as_ref(),
                "la prise en charge de l'EPCI",
            );
        }
    }
    for s in &p.services {
        let o = &s.origine;
        if let Some(e) = &s.effectifs {
            effectifs(ctx, o, &["effectifs"], e);
        }
        for (i, c) in s.composantes.iter().enumerate() {
            if let Some(e) = &c.effectifs {
                effectifs(ctx, o, &["composantes", &i.to_string(), "effectifs"], e);
            }
        }
    }
    if let Some(cp) = &p.commande_publique {
        let o = &cp.origine;
        for (i, g) in cp.groupements.iter().enumerate() {
            let is = i.to_string();
            montant(
                ctx,
                o,
                &["groupements", &is, "total_ht"],
                Some(&g.total_ht),
                "le montant total d'un groupement de commandes",
            );
            for (m, v) in &g.montants_ht {
                montant(
                    ctx,
                    o,
                    &["groupements", &is, "montants_ht", m],
                    Some(v),
                    "le montant d'un membre d'un groupement de commandes",
                );
            }
        }
        for (y, cols) in &cp.totaux_declares {
            for (k, v) in cols {
                montant(
                    ctx,
                    o,
                    &["totaux_declares", &y.to_string(), k],
                    Some(v),
                    "un total publié de la commande publique",
                );
            }
        }
        for (i, a) in cp.assistance_maitrise_ouvrage.iter().enumerate() {
            let is = i.to_string();
            for (j, l) in a.lignes.iter().enumerate() {
                let js = j.to_string();
                nombre(
                    ctx,
                    o,
                    &["assistance_maitrise_ouvrage", &is, "lignes", &js, "marches"],
                    Some(&l.marches),
                    "un nombre de marchés",
                );
                montant(
                    ctx,
                    o,
                    &["assistance_maitrise_ouvrage", &is, "lignes", &js, "montant_ht"],
                    Some(&l.montant_ht),
                    "le volume financier des marchés",
                );
            }
            nombre(
                ctx,
                o,
                &["assistance_maitrise_ouvrage", &is, "total_marches_declare"],
                a.total_marches_declare.as_ref(),
                "un nombre de marchés",
            );
            montant(
                ctx,
                o,
                &["assistance_maitrise_ouvrage", &is, "total_ht_declare"],
                a.total_ht_declare.as_ref(),
                "le volume financier des marchés",
            );
        }
    }
    if let Some(e) = &p.effectifs {
        nombre(ctx, &e.origine, &["total_declare"], e.total_declare.as_ref(), "un effectif");
        for (y, n) in &e.emplois_permanents {
            nombre(ctx, &e.origine, &["emplois_permanents", &y.to_string()], Some(n), "un nombre d'emplois");
        }
    }
    let t = &p.territoire;
    populations(ctx, &t.origine, &["epci"], &t.epci.populations);
    for (i, m) in t.membres.iter().enumerate() {
        populations(ctx, &t.origine, &["membres", &i.to_string()], &m.populations);
    }
    for (i, m) in t.partenaires.iter().enumerate() {
        populations(ctx, &t.origine, &["partenaires", &i.to_string()], &m.populations);
    }
}

fn negatif(ctx: &mut Ctx, o: &Origine, rel: &[&str], valeur: Decimal, quoi: &str) {
    if valeur < Decimal::ZERO {
        ctx.at_value(
            o,
            rel,
            Diagnostic::error(
                Code::ValeurNegative,
                format!("valeur négative pour {quoi} : {}", mutu_base::format::Grandeur::Saisie.texte(&valeur)),
            )
            .expected("une valeur positive ou nulle")
            .hint("seules les lignes d'un bilan et le montant d'une répartition peuvent être négatifs (une annulation, un remboursement)"),
        );
    }
}

fn montant(ctx: &mut Ctx, o: &Origine, rel: &[&str], v: Option<&Montant>, quoi: &str) {
    if let Some(v) = v {
        negatif(ctx, o, rel, v.0, quoi);
    }
}

fn nombre(ctx: &mut Ctx, o: &Origine, rel: &[&str], v: Option<&Nombre>, quoi: &str) {
    if let Some(v) = v {
        negatif(ctx, o, rel, v.0, quoi);
    }
}

fn effectifs(ctx: &mut Ctx, o: &Origine, rel: &[&str], e: &mutu_model::services::Effectifs) {
    let champs = [
        ("agents", Some(&e.agents)),
        ("etp", e.etp.as_ref()),
        ("mis_a_disposition", e.mis_a_disposition.as_ref()),
        ("hors_refacturation", e.hors_refacturation.as_ref()),
    ];
    for (k, v) in champs {
        let mut chemin = rel.to_vec();
        chemin.push(k);
        nombre(ctx, o, &chemin, v, "un effectif");
    }
}

fn populations(ctx: &mut Ctx, o: &Origine, rel: &[&str], pops: &BTreeMap<i32, Population>) {
    for (y, p) in pops {
        let ys = y.to_string();
        for (k, v) in [("dgf", p.dgf), ("totale", p.totale), ("municipale", p.municipale)] {
            if v.is_some_and(|v| v > POPULATION_MAXIMUM) {
                let mut chemin = rel.to_vec();
                chemin.extend(["populations", ys.as_str(), k]);
                ctx.at_value(
                    o,
                    &chemin,
                    Diagnostic::error(
                        Code::PopulationInvraisemblable,
                        format!("population invraisemblable : {}", v.unwrap_or_default()),
                    )
                    .expected("une population inférieure à 100 millions d'habitants")
                    .hint("vérifiez le nombre de chiffres"),
                );
            }
        }
    }
}
