//! The « Satisfaction des communes » part of a service page: for each
//! question, who answered (respondents out of the members asked), a table
//! of the answers per level year by year — counts first, then shares — and
//! a chart of the counts, so that 9 answers are never read as 22.

use super::blocs::titre;
use super::cells::{entete, entier, pourcentage, tableau, total, vide};
use super::charts::{Genre, Serie, Spec};
use super::{Bloc, Page};
use mutu_base::format::Grandeur;
use mutu_base::texte::pluriel;
use mutu_compute::enquetes::{AnneeEnquete, EnqueteCalculee};
use mutu_compute::ServiceCalcule;
use rust_decimal::Decimal;

pub fn enquetes(s: &ServiceCalcule, p: &mut Page) {
    if s.enquetes.is_empty() {
        return;
    }
    p.blocs.push(titre(2, "Satisfaction des communes"));
    for (i, q) in s.enquetes.iter().enumerate() {
        question(s, i, q, p);
    }
}

fn question(s: &ServiceCalcule, i: usize, q: &EnqueteCalculee, p: &mut Page) {
    let id = format!("service-{}-enquete-{}", s.service.id, i + 1);
    p.blocs.push(titre(3, q.question.clone()));
    let phrases: Vec<String> = q.annees.iter().map(participation).collect();
    p.blocs.push(Bloc::Paragraphe {
        texte: mutu_base::format::phrases(phrases),
    });
    let mut colonnes: Vec<(String, bool)> = vec![("Réponse".to_string(), false)];
    for a in &q.annees {
        colonnes.push((format!("Réponses {}", a.exercice), true));
        colonnes.push((format!("Part {}", a.exercice), true));
    }
    let refs: Vec<(&str, bool)> = colonnes.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    let mut t = tableau(id.clone(), format!("{} — {}", q.question, s.service.nom), &refs);
    for (j, niveau) in q.echelle.iter().enumerate() {
        let mut ligne = vec![entete(niveau.clone())];
        for a in &q.annees {
            ligne.push(entier(a.reponses[j] as usize));
            ligne.push(a.parts.get(j).map(pourcentage).unwrap_or_else(vide));
        }
        t.lignes.push(ligne);
    }
    let mut pied = vec![total("Répondants")];
    for a in &q.annees {
        pied.push(entier(a.repondants as usize));
        pied.push(if a.repondants > 0 { pourcentage(&Decimal::ONE_HUNDRED) } else { vide() });
    }
    t.pied.push(pied);
    t.note = notes(q);
    let spec = Spec {
        genre: Genre::Barres,
        titre: format!("{} : nombre de réponses par niveau", q.question),
        unite: "réponses".into(),
        categories: q.echelle.clone(),
        series: q
            .annees
            .iter()
            .map(|a| Serie {
                nom: a.exercice.to_string(),
                valeurs: a.reponses.iter().map(|r| Decimal::from(*r)).collect(),
            })
            .collect(),
    };
    p.blocs.push(super::graphiques::bloc(&spec, format!("{id}-graphique"), &t.id));
    p.blocs.push(Bloc::Tableau(t));
}

/// The years' notes under the table: said once when every year carries the
/// same one (« Chiffres inventés… » twice reads as noise), else each after
/// its year.
fn notes(q: &EnqueteCalculee) -> Option<String> {
    let notes: Vec<(i32, &str)> = q.annees.iter().filter_map(|a| a.note.as_deref().map(|n| (a.exercice, n.trim()))).collect();
    let (_, premiere) = *notes.first()?;
    if notes.len() == q.annees.len() && notes.iter().all(|(_, n)| *n == premiere) {
        return Some(premiere.to_string());
    }
    let parts: Vec<String> = notes.iter().map(|(e, n)| format!("{e} : {}", n.trim_end_matches('.'))).collect();
    Some(format!("{}.", parts.join(" ; ")))
}

/// « En 2023, 20 organismes sur 24 sollicités ont répondu (83,33 %). »
fn participation(a: &AnneeEnquete) -> String {
    let qui = pluriel(a.repondants as usize, "organisme", "organismes");
    let verbe = if a.repondants > 1 { "ont répondu" } else { "a répondu" };
    match (a.sollicites, a.taux_reponse) {
        (Some(n), Some(taux)) => format!(
            "En {}, {qui} sur {} sollicités {verbe} ({}).",
            a.exercice,
            mutu_base::format::entier(n as i64),
            Grandeur::Pourcentage.texte(&taux)
        ),
        _ => format!("En {}, {qui} {verbe}.", a.exercice),
    }
}
