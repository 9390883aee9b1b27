//! « Qui utilise quoi » : every organisation of the territory against
//! every service, with the year it joined (or left), a count per
//! organisation and per service. A mayor finds the row of the commune; a
//! director sees at a glance which services are shared widely. The table
//! lists the members row by row, so a long one goes to the « Détail par
//! membre » part of the PDF like the other per-member tables.

use super::blocs::page;
use super::cells::{entete, entete_lien, entier, tableau, texte, total, vide};
use super::{Bloc, DetailPdf, Page, Rubrique};
use mutu_compute::Modele;
use mutu_model::services::Adhesion;

/// Id of the page (in the « services » section of the report).
pub const PAGE: &str = "services/adhesions";

/// The page, when at least one service has an adherent.
pub fn page_matrice(m: &Modele) -> Option<Page> {
    let services: Vec<_> = m.services.iter().filter(|s| !s.service.adherents.is_empty()).collect();
    if services.is_empty() {
        return None;
    }
    // Rows: the EPCI, then the members in the territory's order, then the
    // partners, each only when it uses a service.
    let mut ids: Vec<&str> = std::iter::once(m.epci.id.as_str())
        .chain(m.membres.iter().map(|mb| mb.id.as_str()))
        .chain(m.partenaires.iter().map(|pa| pa.id.as_str()))
        .collect();
    ids.retain(|id| services.iter().any(|s| s.service.adherents.iter().any(|a| a.membre == *id)));
    let mut p = page(PAGE, "Qui utilise quoi", Rubrique::Services, Some("services"));
    p.pdf = true;
    p.resume = Some(format!(
        "Les services mutualisés utilisés par chaque organisme du territoire, avec l'année de son adhésion : {} organismes, {} services.",
        ids.len(),
        services.len()
    ));
    let noms: Vec<String> = services
        .iter()
        .map(|s| s.service.sigle.clone().unwrap_or_else(|| s.service.nom.clone()))
        .collect();
    let mut colonnes: Vec<(&str, bool)> = vec![("Organisme", false)];
    colonnes.extend(noms.iter().map(|n| (n.as_str(), false)));
    colonnes.push(("Services utilisés", true));
    let mut t = tableau("services-adhesions", "Services utilisés par chaque organisme", &colonnes);
    t.detail = Some(DetailPdf::Adherents);
    let exercice = m.rapport.exercice;
    for id in &ids {
        let nom = m.nom(id);
        let mut ligne = vec![if m.annuaire.membre(&m.membres, id).is_some() {
            entete_lien(nom, format!("communes/{id}"))
        } else {
            entete(nom)
        }];
        let mut n = 0;
        for s in &services {
            match s.service.adherents.iter().find(|a| a.membre == *id) {
                Some(a) => {
                    n += 1;
                    ligne.push(texte(adhesion(a, exercice)));
                }
                None => ligne.push(vide()),
            }
        }
        ligne.push(entier(n));
        t.lignes.push(ligne);
    }
    let mut pied = vec![total("Organismes adhérents")];
    pied.extend(services.iter().map(|s| {
        let n = ids.iter().filter(|id| s.service.adherents.iter().any(|a| a.membre == **id)).count();
        entier(n)
    }));
    pied.push(vide());
    t.pied.push(pied);
    let legende: Vec<String> = services
        .iter()
        .zip(&noms)
        .filter(|(s, n)| **n != s.service.nom)
        .map(|(s, n)| format!("{n} : {}", s.service.nom))
        .collect();
    t.note = Some(if legende.is_empty() {
        "Dans chaque case, l'année d'adhésion quand elle est connue (« oui » sinon), ou l'année du départ.".to_string()
    } else {
        format!(
            "Dans chaque case, l'année d'adhésion quand elle est connue (« oui » sinon), ou l'année du départ. {}.",
            legende.join(" ; ")
        )
    });
    p.blocs.push(Bloc::Tableau(t));
    Some(p)
}

/// « depuis 2019 », « à partir de 2025 », « jusqu'en 2022 », « oui ».
fn adhesion(a: &Adhesion, exercice: i32) -> String {
    match (a.depuis, a.jusqu_au) {
        (_, Some(fin)) if fin.annee <= exercice => format!("jusqu'en {}", fin.annee),
        (Some(d), _) if d.annee > exercice => format!("à partir de {}", d.annee),
        (Some(d), _) => format!("depuis {}", d.annee),
        (None, _) => "oui".to_string(),
    }
}
