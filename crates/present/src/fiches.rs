//! Pages of the axes and their fiches-actions: every field of a fiche, its
//! status and the year's narrative.

use super::blocs::{blocs_narratifs, encadre_interne, page, titre};
use super::cells::{entete_lien, entier, tableau, texte};
use super::{Bloc, Definition, Lien, Page, Rubrique};
use mutu_base::format;
use mutu_compute::Modele;
use mutu_model::cles::Beneficiaires;
use mutu_model::fiches::{ImpactFinancier, ImpactRh, Textes};
use mutu_model::values::{Evaluation, Reponse};
use mutu_model::{Fiche, Objet};

pub fn pages(m: &Modele) -> Vec<Page> {
    let mut out = Vec::new();
    let mut index = page("axes", "Axes et fiches-actions du schéma", Rubrique::Axes, Some("index"));
    index.resume = Some(format!("Les pistes de mutualisation du schéma et leur avancement en {}.", m.rapport.exercice));
    let mut t = tableau(
        "fiches-avancement",
        format!("Avancement des fiches-actions en {}", m.rapport.exercice),
        &[("N°", false), ("Fiche-action", false), ("Axe", false), ("Priorité", true), ("Statut", false)],
    );
    for f in &m.fiches {
        t.lignes.push(vec![
            texte(numero(m, f)),
            entete_lien(f.piste.clone(), format!("fiches/{}", f.id)),
            texte(m.axes.iter().find(|a| a.axe.id == f.axe).map(|a| a.axe.titre.clone()).unwrap_or_default()),
            f.priorite.map(|p| entier(p as usize)).unwrap_or_else(|| texte("—")),
            texte(f.statut.libelle()),
        ]);
    }
    let mut s = tableau(
        "fiches-par-statut",
        "Fiches-actions par statut",
        &[("Statut", false), ("Nombre de fiches", true)],
    );
    for c in &m.synthese.fiches_par_statut {
        s.lignes.push(vec![super::cells::entete(c.libelle.clone()), entier(c.nombre)]);
    }
    s.pied.push(vec![super::cells::entete("Total"), entier(m.synthese.fiches)]);
    index.blocs.push(Bloc::Tableau(s));
    index.blocs.push(Bloc::Tableau(t));
    index.blocs.push(Bloc::Liens {
        liens: m
            .axes
            .iter()
            .map(|a| Lien {
                page: format!("axes/{}", a.axe.id),
                texte: format!("Axe {} — {}", a.axe.numero, a.axe.titre),
                detail: Some(mutu_base::texte::pluriel(a.fiches.len(), "fiche", "fiches")),
            })
            .collect(),
    });
    out.push(index);
    for a in &m.axes {
        let aid = format!("axes/{}", a.axe.id);
        let mut p = page(aid.clone(), format!("Axe {} — {}", a.axe.numero, a.axe.titre), Rubrique::Axes, Some("axes"));
        p.pdf = true;
        p.resume = a.axe.description.clone();
        if let Some(d) = &a.axe.description {
            p.blocs.push(Bloc::Paragraphe { texte: d.clone() });
        }
        p.blocs.extend(blocs_narratifs(m, Objet::Axe, Some(&a.axe.id)));
        p.blocs.push(Bloc::Paragraphe {
            texte: format!(
                "{} : {}.",
                mutu_base::texte::pluriel(a.fiches.len(), "fiche-action", "fiches-actions"),
                a.fiches_par_statut
                    .iter()
                    .map(|c| format!("{} : {}", c.libelle, c.nombre))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
        let fiches: Vec<&Fiche> = a.fiches.iter().filter_map(|id| m.fiches.iter().find(|f| &f.id == id)).collect();
        p.blocs.push(Bloc::Liens {
            liens: fiches
                .iter()
                .map(|f| Lien {
                    page: format!("fiches/{}", f.id),
                    texte: format!("{} — {}", numero(m, f), f.piste),
                    detail: Some(f.statut.libelle().to_string()),
                })
                .collect(),
        });
        out.push(p);
        for f in fiches {
            out.push(fiche(m, f, &aid));
        }
    }
    out
}

/// "1.2": axe number, fiche number.
pub fn numero(m: &Modele, f: &Fiche) -> String {
    let axe = m.axes.iter().find(|a| a.axe.id == f.axe).map(|a| a.axe.numero.to_string()).unwrap_or_default();
    format!("{axe}.{}", f.numero)
}

fn textes(t: &Textes) -> Vec<String> {
    t.0.clone()
}

/// An answer after its label and a colon: in lower case, like an
/// evaluation (« Recrutements : à définir », « Dépenses : à définir »), by
/// the one capitalisation rule of [`mutu_base::texte`].
fn reponse(r: &Option<Reponse>) -> Option<String> {
    r.map(|r| mutu_base::texte::minuscule(r.libelle()))
}

fn evaluation(e: &Evaluation) -> String {
    match e {
        Evaluation::Montant(mt) => format::Grandeur::Montant.texte(&mt.0),
        Evaluation::NonEvaluable => "non évaluable à ce stade".into(),
        Evaluation::ADefinir => "à définir".into(),
        Evaluation::Aucun => "aucun".into(),
    }
}

pub fn beneficiaires(m: &Modele, b: &Beneficiaires) -> String {
    match b {
        Beneficiaires::Communes => "toutes les communes".into(),
        Beneficiaires::Membres => "tous les membres".into(),
        Beneficiaires::Liste(ids) => ids.iter().map(|i| m.nom(i)).collect::<Vec<_>>().join(", "),
    }
}

fn fiche(m: &Modele, f: &Fiche, parent: &str) -> Page {
    let mut p = page(
        format!("fiches/{}", f.id),
        format!("Fiche {} — {}", numero(m, f), f.piste),
        Rubrique::Axes,
        Some(parent),
    );
    p.pdf = true;
    p.resume = Some(format!("Fiche-action {} : {} ({}).", numero(m, f), f.piste, f.statut.libelle()));
    if mutu_model::audience::est_interne(f.visibilite) {
        p.blocs.push(encadre_interne("cette fiche-action"));
    }
    p.blocs.push(Bloc::Statut {
        code: f.statut.token().into(),
        libelle: f.statut.libelle().into(),
    });
    let mut l: Vec<Definition> = Vec::new();
    let mut add = |terme: &str, valeurs: Vec<String>| {
        if !valeurs.is_empty() {
            l.push(Definition { terme: terme.into(), valeurs });
        }
    };
    add("Domaine", f.domaine.iter().cloned().collect());
    add("Piste de mutualisation", vec![f.piste.clone()]);
    add("Niveau de priorité", f.priorite.iter().map(|p| p.to_string()).collect());
    add("Descriptif", textes(&f.descriptif));
    add("Objectifs", textes(&f.objectifs));
    add("Collectivités intéressées", vec![beneficiaires(m, &f.collectivites_interessees)]);
    let mut cadre: Vec<String> = f.cadre_juridique.iter().map(|c| c.libelle().to_string()).collect();
    cadre.extend(f.cadre_juridique_precision.iter().cloned());
    add("Cadre juridique envisagé", cadre);
    add("Impact RH et organisationnel", impact_rh(&f.impact_rh));
    add("Impact financier", impact_financier(&f.impact_financier));
    add("Plan d'actions", textes(&f.plan_actions));
    add("Indicateurs d'évaluation", textes(&f.indicateurs));
    add("Calendrier", f.calendrier.iter().cloned().collect());
    add("Observations et points de vigilance", textes(&f.observations));
    add("Statut", vec![f.statut.libelle().to_string()]);
    if let Some(s) = &f.service {
        add(
            "Service associé",
            vec![m
                .services
                .iter()
                .find(|x| &x.service.id == s)
                .map(|x| x.service.nom.clone())
                .unwrap_or_else(|| s.clone())],
        );
    }
    p.blocs.push(Bloc::Definitions { lignes: l });
    let narr = blocs_narratifs(m, Objet::Fiche, Some(&f.id));
    if !narr.is_empty() {
        p.blocs.push(titre(2, format!("Action menée en {}", m.rapport.exercice)));
        p.blocs.extend(narr.into_iter().map(|b| match b {
            super::Bloc::Titre { niveau, texte, ancre } => super::Bloc::Titre {
                niveau: niveau + 1,
                texte,
                ancre,
            },
            other => other,
        }));
    }
    if let Some(s) = &f.service {
        p.blocs.push(Bloc::Liens {
            liens: vec![Lien {
                page: format!("services/{s}"),
                texte: format!(
                    "Voir le service « {} »",
                    m.services
                        .iter()
                        .find(|x| &x.service.id == s)
                        .map(|x| x.service.nom.clone())
                        .unwrap_or_else(|| s.clone())
                ),
                detail: None,
            }],
        });
    }
    p
}

fn impact_rh(i: &Option<ImpactRh>) -> Vec<String> {
    let Some(i) = i else { return Vec::new() };
    let mut v = Vec::new();
    v.extend(i.organisation.iter().cloned());
    if let Some(r) = reponse(&i.mises_a_disposition) {
        v.push(format!("Mises à disposition ou transfert : {r}"));
    }
    if let Some(r) = reponse(&i.recrutements) {
        v.push(format!("Recrutements : {r}"));
    }
    v.extend(i.commentaire.iter().cloned());
    v
}

fn impact_financier(i: &Option<ImpactFinancier>) -> Vec<String> {
    let Some(i) = i else { return Vec::new() };
    let mut v = Vec::new();
    if let Some(r) = reponse(&i.appreciation) {
        v.push(format!("Appréciation : {r}"));
    }
    if let Some(d) = &i.depenses {
        v.push(format!("Dépenses : {}", evaluation(d)));
    }
    if let Some(d) = &i.recettes {
        v.push(format!("Recettes : {}", evaluation(d)));
    }
    v.extend(i.commentaire.iter().cloned());
    v
}
