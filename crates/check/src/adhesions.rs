//! Pro rata temporis against adhesion dates: a service's adherents say when
//! each body joined or left, a key's `prorata` says how many months it pays.
//! When a repartition of the year uses the key, the two must tell the same
//! story when the adhesion starts or ends that year; both are typed by
//! hand in different files, so they drift apart. Keys by quantity × tariff
//! need no pro rata: the quantity is already the year's.
//! Warnings only: mutu computes with the key, as written.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::{display_path, Diagnostic};
use mutu_model::cles::{mois_couverts, Calcul};
use mutu_model::services::Adhesion;
use mutu_model::Origine;
use std::collections::{BTreeSet, HashMap, HashSet};

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    let mut vus = BTreeSet::new();
    for s in &p.services {
        // Adhesions per body, counted once: checking each adherent against
        // every other was quadratic in the number of members.
        let mut adhesions_par_membre: HashMap<&str, usize> = HashMap::new();
        for a in &s.adherents {
            *adhesions_par_membre.entry(a.membre.as_str()).or_default() += 1;
        }
        for r in &s.repartitions {
            let y = r.exercice;
            for e in &r.etapes {
                let Some(c) = p.cles.iter().find(|c| c.id == e.cle) else { continue };
                let beneficiaires: HashSet<String> = c.beneficiaires_de(y, &p.territoire.membres).into_iter().collect();
                for (i, a) in s.adherents.iter().enumerate() {
                    // A body that joined twice: its periods do not map onto one pro rata.
                    if adhesions_par_membre[a.membre.as_str()] > 1 || !beneficiaires.contains(&a.membre) {
                        continue;
                    }
                    if !vus.insert((s.id.clone(), c.id.clone(), a.membre.clone(), y)) {
                        continue;
                    }
                    let adhesion = mois_couverts(y, a.depuis, a.jusqu_au);
                    // An adhesion dated in an earlier year says nothing of this
                    // one's months: the pro rata may then concern a part of the
                    // service the body joined later (a support pack).
                    let datee = a.depuis.is_some_and(|d| d.annee == y) || a.jusqu_au.is_some_and(|d| d.annee == y);
                    match c.prorata.get(&a.membre) {
                        Some(per) if datee && per.mois(y) != adhesion => {
                            let ligne_adhesion = ctx
                                .loaded
                                .loc_value(&s.origine, &["adherents", &i.to_string(), "membre"])
                                .map(|l| format!("{}, ligne {}", display_path(&l.fichier), l.ligne))
                                .unwrap_or_else(|| display_path(&s.origine.fichier));
                            ctx.at_value(
                                &c.origine,
                                // The date itself: the period's flow mapping would underline its brace.
                                &["prorata", &a.membre, if per.du.is_some() || per.au.is_none() { "du" } else { "au" }],
                                Diagnostic::warning(
                                    Code::ProrataAdhesion,
                                    format!(
                                        "le prorata de « {} » dans la clé « {} » compte {} en {y}, mais son adhésion au service « {} » en couvre {adhesion}",
                                        a.membre,
                                        c.id,
                                        mois(per.mois(y)),
                                        s.id,
                                    ),
                                )
                                .expected(format!("la période de l'adhésion ({ligne_adhesion}) : {}", periode(a)))
                                .hint("alignez `du:` et `au:` du prorata sur `depuis:` et `jusqu_au:` de l'adhésion, ou corrigez la date d'adhésion"),
                            )
                        }
                        None if (1..12).contains(&adhesion) && c.base.calcul() != Calcul::Tarif => {
                            let o: &Origine = &s.origine;
                            let champ = if a.depuis.is_some_and(|d| d.annee == y) { "depuis" } else { "jusqu_au" };
                            let ou_cle = ctx.loaded.loc_key(&c.origine, &["id"]);
                            let ligne_cle = ou_cle
                                .map(|l| format!("{}, ligne {}", display_path(&l.fichier), l.ligne))
                                .unwrap_or_else(|| display_path(&c.origine.fichier));
                            let mut bornes = Vec::new();
                            if let Some(d) = a.depuis.filter(|d| d.annee == y) {
                                bornes.push(format!("du: {d}"));
                            }
                            if let Some(d) = a.jusqu_au.filter(|d| d.annee == y) {
                                bornes.push(format!("au: {d}"));
                            }
                            ctx.at_value(
                                o,
                                &["adherents", &i.to_string(), champ],
                                Diagnostic::warning(
                                    Code::AdhesionSansProrata,
                                    format!(
                                        "« {} » n'adhère au service « {} » que {} en {y} ({}), mais la clé « {} » lui fait payer l'année entière",
                                        a.membre,
                                        s.id,
                                        mois(adhesion),
                                        periode(a),
                                        c.id
                                    ),
                                )
                                .expected(format!(
                                    "un prorata dans la clé « {} » ({ligne_cle}) : `prorata: {{{}: {{{}}}}}`",
                                    c.id,
                                    a.membre,
                                    bornes.join(", ")
                                ))
                                .hint("ajoutez ce prorata à la clé, ou corrigez la date d'adhésion si elle est fausse"),
                            );
                        }
                        _ => {}
                    }
                }
            }
        }
    }
}

/// "9 mois sur 12".
fn mois(n: u32) -> String {
    format!("{n} mois sur 12")
}

/// "depuis le 1er avril 2023", "jusqu'au 30 juin 2023", "toute l'année".
fn periode(a: &Adhesion) -> String {
    let mut v = Vec::new();
    if let Some(d) = &a.depuis {
        v.push(format!("depuis le {}", d.longue()));
    }
    if let Some(d) = &a.jusqu_au {
        v.push(format!("jusqu'au {}", d.longue()));
    }
    if v.is_empty() {
        "sans date".to_string()
    } else {
        v.join(", ")
    }
}
