//! "Ma commune dans le schéma": one page per member, with the services it
//! uses, its conventions, what it pays per service and year, its
//! groupements de commandes and the fiches-actions that concern it.

use super::build::{blocs_narratifs, page, titre};
use super::cells::{entete, entete_lien, euros, lien, tableau, texte, vide};
use super::{Bloc, Definition, Lien, Page, Rubrique};
use crate::compute::releves::Releve;
use crate::compute::Modele;
use crate::format;
use crate::model::cles::Beneficiaires;
use crate::model::territoire::TypeMembre;
use crate::model::Objet;

pub fn pages(m: &Modele) -> Vec<Page> {
    let y = m.rapport.exercice;
    let mut index = page("communes", "Ma commune dans le schéma", Rubrique::Communes, Some("index"));
    index.resume = Some("Pour chaque commune et organisme membre : services utilisés, conventions et montants payés.".into());
    let mut t = tableau(
        "membres",
        format!("Membres de la {} et montants {y}", m.epci.sigle),
        &[
            ("Membre", false),
            ("Code INSEE", false),
            ("Services utilisés", true),
            (&format!("Total {y} TTC"), true),
            (&format!("Total {y} HT"), true),
            (&format!("Groupements {y} (HT)"), true),
        ],
    );
    for r in m.releves.iter().filter(|r| r.genre != "partenaire") {
        let e = r.exercices.iter().find(|e| e.exercice == y);
        t.lignes.push(vec![
            entete_lien(r.nom.clone(), format!("communes/{}", r.membre)),
            r.insee.clone().map(texte).unwrap_or_else(vide),
            super::cells::entier(r.services.len()),
            e.map(|e| euros(&e.total_ttc)).unwrap_or_else(vide),
            e.map(|e| euros(&e.total_ht)).unwrap_or_else(vide),
            e.map(|e| euros(&e.total_groupements_ht)).unwrap_or_else(vide),
        ]);
    }
    index.blocs.push(Bloc::Tableau(t));
    let mut out = vec![index];
    out.extend(m.releves.iter().filter(|r| r.genre != "partenaire").map(|r| membre(m, r)));
    out
}

fn membre(m: &Modele, r: &Releve) -> Page {
    let mb = m.annuaire.membre(&m.membres, &r.membre);
    let mut p = page(format!("communes/{}", r.membre), r.nom.clone(), Rubrique::Communes, Some("communes"));
    p.membre = Some(r.membre.clone());
    p.resume = Some(format!(
        "{} dans le schéma de mutualisation de la {} : services utilisés et montants.",
        r.nom, m.epci.sigle
    ));
    let mut ident = Vec::new();
    if let Some(mb) = mb {
        ident.push(Definition {
            terme: "Type".into(),
            valeurs: vec![mb.genre.libelle().to_string()],
        });
        if let Some(c) = &mb.insee {
            ident.push(Definition {
                terme: "Code INSEE".into(),
                valeurs: vec![c.clone()],
            });
        }
        if let Some((year, pop)) = mb.populations.iter().next_back() {
            let mut v = Vec::new();
            for sorte in crate::model::territoire::SortePopulation::ALL {
                if let Some(n) = pop.get(sorte) {
                    v.push(format!("{} {year} : {} habitants", sorte.libelle(), format::entier(n as i64)));
                }
            }
            if !v.is_empty() {
                ident.push(Definition {
                    terme: "Population".into(),
                    valeurs: v,
                });
            }
        }
        if let Some(c) = &mb.commune {
            ident.push(Definition {
                terme: "Commune de rattachement".into(),
                valeurs: vec![m.nom(c)],
            });
        }
    }
    ident.push(Definition {
        terme: "Services utilisés".into(),
        valeurs: vec![format::entier(r.services.len() as i64)],
    });
    p.blocs.push(Bloc::Definitions { lignes: ident });
    p.blocs.extend(blocs_narratifs(m, Objet::Membre, Some(&r.membre)));

    p.blocs.push(titre(2, "Services utilisés et conventions"));
    if r.services.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: format!("{} n'adhère à aucun service mutualisé décrit dans ce rapport.", r.nom),
        });
    } else {
        let mut t = tableau(
            format!("membre-{}-services", r.membre),
            format!("Services utilisés par {}", r.nom),
            &[
                ("Service", false),
                ("Forme juridique", false),
                ("Convention", false),
                ("Depuis", false),
                ("Mode de paiement", false),
            ],
        );
        for s in &r.services {
            let d = |d: &Option<crate::model::Date>| d.map(|d| texte(format::date_courte(&d))).unwrap_or_else(vide);
            t.lignes.push(vec![
                entete_lien(s.nom.clone(), format!("services/{}", s.service)),
                texte(s.forme),
                d(&s.convention),
                d(&s.depuis),
                s.paiement.map(|x| texte(x.libelle())).unwrap_or_else(vide),
            ]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    p.blocs.push(titre(2, "Montants par service et par exercice"));
    let lignes: Vec<_> = r.exercices.iter().flat_map(|e| e.lignes.iter().map(move |l| (e.exercice, l))).collect();
    if lignes.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: "Aucun montant n'est réparti sur ce membre dans les données du rapport.".into(),
        });
    } else {
        let mut t = tableau(
            format!("membre-{}-montants", r.membre),
            format!("Montants à la charge de {}", r.nom),
            &[
                ("Exercice", false),
                ("Service", false),
                ("Répartition", false),
                ("Régime", false),
                ("Montant", true),
                ("Mode de paiement", false),
            ],
        );
        for (ex, l) in &lignes {
            t.lignes.push(vec![
                entete(ex.to_string()),
                lien(l.service_nom.clone(), format!("services/{}", l.service)),
                texte(l.repartition.clone()),
                texte(l.taxes.libelle()),
                euros(&l.montant),
                texte(l.paiement.map(|x| x.libelle()).unwrap_or("à préciser")),
            ]);
        }
        for e in &r.exercices {
            if !e.total_ttc.is_zero() {
                t.pied.push(vec![
                    entete(format!("Total {} TTC", e.exercice)),
                    texte(""),
                    texte(""),
                    texte("TTC"),
                    euros(&e.total_ttc),
                    texte(""),
                ]);
            }
            if !e.total_ht.is_zero() {
                t.pied.push(vec![
                    entete(format!("Total {} HT", e.exercice)),
                    texte(""),
                    texte(""),
                    texte("HT"),
                    euros(&e.total_ht),
                    texte(""),
                ]);
            }
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    let groupements: Vec<_> = r.exercices.iter().flat_map(|e| e.groupements.iter().map(move |g| (e.exercice, g))).collect();
    if !groupements.is_empty() {
        p.blocs.push(titre(2, "Groupements de commandes"));
        let mut t = tableau(
            format!("membre-{}-groupements", r.membre),
            format!("Groupements de commandes de {}", r.nom),
            &[("Exercice", false), ("Objet", false), ("Montant HT", true)],
        );
        for (ex, g) in &groupements {
            t.lignes.push(vec![entete(ex.to_string()), texte(g.objet.clone()), euros(&g.montant_ht)]);
        }
        for e in r.exercices.iter().filter(|e| !e.groupements.is_empty()) {
            t.pied
                .push(vec![entete(format!("Total {}", e.exercice)), texte(""), euros(&e.total_groupements_ht)]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    let is_commune = mb.is_some_and(|x| x.genre == TypeMembre::Commune);
    let fiches: Vec<Lien> = m
        .fiches
        .iter()
        .filter(|f| match &f.collectivites_interessees {
            Beneficiaires::Communes => is_commune,
            Beneficiaires::Membres => true,
            Beneficiaires::Liste(ids) => ids.contains(&r.membre),
        })
        .map(|f| Lien {
            page: format!("fiches/{}", f.id),
            texte: format!("{} — {}", super::fiches::numero(m, f), f.piste),
            detail: Some(f.statut.libelle().to_string()),
        })
        .collect();
    if !fiches.is_empty() {
        p.blocs.push(titre(2, format!("Fiches-actions qui concernent {}", r.nom)));
        p.blocs.push(Bloc::Liens { liens: fiches });
    }
    p
}
