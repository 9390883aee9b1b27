//! Distribution keys: each kind has the fields it needs, shares sum to
//! 100 %, populations exist for the millésime, steps chain correctly.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::cles::{Beneficiaires, Calcul};
use mutu_model::territoire::TypeMembre;
use mutu_model::values::Nombre;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    for c in &p.cles {
        let o = c.origine.clone();
        let needs = |field: &str, what: &str| {
            Diagnostic::error(Code::ChampManquant, format!("champ « {field} » absent pour une clé « {} »", c.base.libelle()))
                .expected(what.to_string())
                .hint(format!("ajoutez `{field}:` à la clé « {} » (voir « mutu aide {field} »)", c.id))
        };
        let has_values = c.valeurs.is_some() || c.valeurs_par_exercice.is_some();
        if c.base.sorte_population().is_some() {
            if c.millesime.is_none() {
                ctx.at_key(
                    &o,
                    &["base"],
                    needs("millesime", "l'année des populations utilisées, par exemple `millesime: 2023`"),
                );
            }
            if c.beneficiaires.is_none() {
                ctx.at_key(&o, &["base"], needs("beneficiaires", "`communes`, `membres` ou une liste d'identifiants"));
            }
        } else if !has_values {
            ctx.at_key(
                &o,
                &["base"],
                needs("valeurs", "les valeurs de base par bénéficiaire (`valeurs:` ou `valeurs_par_exercice:`)"),
            );
        }
        if c.base.calcul() == Calcul::Tarif && c.tarif.is_none() {
            ctx.at_key(&o, &["base"], needs("tarif", "le prix d'une unité d'œuvre, par exemple `tarif: 192`"));
        }
        if c.base.calcul() == Calcul::Grille && c.tranches.is_empty() {
            ctx.at_key(&o, &["base"], needs("tranches", "les tranches de population de la grille"));
        }
        if c.base.calcul() == Calcul::Quotites {
            if let Some(v) = &c.valeurs {
                shares_sum(ctx, &o, &["valeurs"], v);
            }
            if let Some(by_year) = &c.valeurs_par_exercice {
                for (y, v) in by_year {
                    shares_sum(ctx, &o, &["valeurs_par_exercice", &y.to_string()], v);
                }
            }
        }
        if let Some(pc) = &c.prise_en_charge_epci {
            if pc.montant.is_some() == pc.part.is_some() {
                ctx.at_key(
                    &o,
                    &["prise_en_charge_epci"],
                    Diagnostic::error(
                        Code::PriseEnChargeAmbigue,
                        "la prise en charge par l'EPCI doit indiquer soit un montant, soit une part",
                    )
                    .expected("`montant: 80000` ou `part: 20` (en %), mais pas les deux")
                    .hint("gardez une seule des deux clés"),
                );
            }
        }
        for (id, per) in &c.prorata {
            if let (Some(du), Some(au)) = (per.du, per.au) {
                if au < du {
                    ctx.at_key(
                        &o,
                        &["prorata", id],
                        Diagnostic::error(Code::DateIncoherente, format!("période de prorata inversée pour « {id} »"))
                            .expected("`du:` antérieur à `au:`")
                            .hint("inversez les deux dates"),
                    );
                }
            }
        }
        if let Some(v) = &c.valeurs {
            negative(ctx, &o, &["valeurs"], v);
        }
        if let Some(by_year) = &c.valeurs_par_exercice {
            for (y, v) in by_year {
                negative(ctx, &o, &["valeurs_par_exercice", &y.to_string()], v);
            }
        }
        if c.base.sorte_population().is_some() {
            populations(ctx, c);
        }
    }
    steps(ctx);
}

fn shares_sum(ctx: &mut Ctx, o: &mutu_model::Origine, rel: &[&str], v: &BTreeMap<String, Nombre>) {
    let sum: Decimal = v.values().map(|n| n.0).sum();
    if sum != Decimal::ONE_HUNDRED {
        ctx.at_key(
            o,
            rel,
            Diagnostic::error(
                Code::PartsHors100,
                format!(
                    "les parts forfaitaires totalisent {} % au lieu de 100 %",
                    mutu_base::format::Grandeur::Saisie.texte(&sum)
                ),
            )
            .expected("des parts en pourcentage dont la somme fait exactement 100")
            .hint({
                let gap = (Decimal::ONE_HUNDRED - sum).abs();
                let points = format!(
                    "{} point{}",
                    mutu_base::format::Grandeur::Saisie.texte(&gap),
                    if gap >= Decimal::TWO { "s" } else { "" }
                );
                if sum < Decimal::ONE_HUNDRED {
                    format!("il manque {points} ; corrigez une des parts")
                } else {
                    format!("{points} de trop ; corrigez une des parts")
                }
            }),
        );
    }
}

fn negative(ctx: &mut Ctx, o: &mutu_model::Origine, rel: &[&str], v: &BTreeMap<String, Nombre>) {
    for (id, n) in v {
        if n.0 < Decimal::ZERO {
            let mut path: Vec<&str> = rel.to_vec();
            path.push(id);
            ctx.at_value(
                o,
                &path,
                Diagnostic::error(Code::ValeurNegative, format!("valeur de base négative pour « {id} »"))
                    .expected("une valeur positive ou nulle")
                    .hint("une clé de répartition ne peut pas attribuer une part négative"),
            );
        }
    }
}

fn populations(ctx: &mut Ctx, c: &mutu_model::Lu<mutu_model::Cle>) {
    let (Some(year), Some(b)) = (c.millesime, &c.beneficiaires) else { return };
    let t = &ctx.p.territoire;
    let ids: Vec<String> = match b {
        Beneficiaires::Communes => t.membres.iter().filter(|m| m.genre == TypeMembre::Commune).map(|m| m.id.clone()).collect(),
        Beneficiaires::Membres => t.membres.iter().map(|m| m.id.clone()).collect(),
        Beneficiaires::Liste(v) => v.clone(),
    };
    let Some(sorte) = c.base.sorte_population() else { return };
    for id in ids {
        let pops = if id == t.epci.id {
            Some(&t.epci.populations)
        } else {
            ctx.p
                .annuaire
                .membre(&t.membres, &id)
                .map(|m| &m.populations)
                .or_else(|| ctx.p.annuaire.partenaire(&t.partenaires, &id).map(|m| &m.populations))
        };
        let Some(pops) = pops else { continue }; // unknown id: reported by references
        let has = pops.get(&year).and_then(|p| p.get(sorte)).is_some();
        if !has {
            let what = sorte.libelle();
            let o = c.origine.clone();
            ctx.at_key(
                &o,
                &["millesime"],
                Diagnostic::error(
                    Code::PopulationManquante,
                    format!("{what} {year} absente pour « {id} », nécessaire à la clé « {} »", c.id),
                )
                .expected(format!(
                    "`populations: {{ {year}: {{ {}: … }} }}` pour « {id} » dans data/territoire.yaml",
                    sorte.cle()
                ))
                .hint("ajoutez la population de ce millésime, ou changez le millésime de la clé"),
            );
        }
    }
}

/// Multi-step allocations: the first step splits the amount, each next one
/// names (`part_de`) a beneficiary of an earlier step.
fn steps(ctx: &mut Ctx) {
    let p = ctx.p;
    for s in &p.services {
        for (i, r) in s.repartitions.iter().enumerate() {
            let is = i.to_string();
            if r.etapes.is_empty() && r.montants_constates.is_empty() {
                ctx.at_key(
                    &s.origine,
                    &["repartitions", &is, "libelle"],
                    Diagnostic::error(Code::RepartitionVide, format!("la répartition « {} » n'indique ni clé ni montants", r.libelle))
                        .expected("`etapes:` (une ou plusieurs clés) ou `montants_constates:`")
                        .hint("ajoutez `etapes: [{cle: …}]`"),
                );
            }
            if !r.etapes.is_empty() && !r.montants_constates.is_empty() {
                ctx.at_key(
                    &s.origine,
                    &["repartitions", &is, "montants_constates"],
                    Diagnostic::error(
                        Code::RepartitionAmbigue,
                        format!("la répartition « {} » a à la fois des étapes et des montants constatés", r.libelle),
                    )
                    .expected("soit `etapes:`, soit `montants_constates:`")
                    .hint("séparez-les en deux répartitions"),
                );
            }
            for (j, e) in r.etapes.iter().enumerate() {
                let js = j.to_string();
                if j == 0 && e.part_de.is_some() {
                    ctx.at_key(
                        &s.origine,
                        &["repartitions", &is, "etapes", &js, "part_de"],
                        Diagnostic::error(
                            Code::EtapeInvalide,
                            "la première étape répartit le montant total : elle ne peut pas avoir `part_de`",
                        )
                        .expected("une première étape avec seulement `cle:`")
                        .hint("retirez `part_de` de la première étape"),
                    );
                }
                if j > 0 && e.part_de.is_none() {
                    ctx.at_key(
                        &s.origine,
                        &["repartitions", &is, "etapes", &js, "cle"],
                        Diagnostic::error(Code::EtapeInvalide, "une étape suivante doit dire quelle part elle répartit")
                            .expected("`part_de: <identifiant>` : un bénéficiaire d'une étape précédente")
                            .hint("par exemple `part_de: capld` pour répartir la part de l'EPCI entre ses communes"),
                    );
                }
            }
        }
    }
}
