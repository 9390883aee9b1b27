//! Satisfaction surveys: one count per level of the scale, a scale of two
//! levels at least, no more answers than members asked, one survey per
//! question and year.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    for s in &p.services {
        let o = &s.origine;
        for (i, e) in s.enquetes.iter().enumerate() {
            let is = i.to_string();
            if e.echelle.len() < 2 {
                ctx.at_key(
                    o,
                    &["enquetes", &is, "echelle"],
                    Diagnostic::error(
                        Code::EnqueteIncoherente,
                        format!("l'échelle de l'enquête « {} » ({}) a moins de deux niveaux", e.question, e.exercice),
                    )
                    .expected("les niveaux de réponse, par exemple [Très satisfait, Satisfait, Peu satisfait, Pas satisfait]")
                    .hint("écrivez chaque niveau proposé aux répondants, dans l'ordre du questionnaire"),
                );
            } else if e.reponses.len() != e.echelle.len() {
                ctx.at_key(
                    o,
                    &["enquetes", &is, "reponses"],
                    Diagnostic::error(
                        Code::EnqueteIncoherente,
                        format!(
                            "l'enquête « {} » ({}) donne {} pour {} d'échelle",
                            e.question,
                            e.exercice,
                            mutu_base::texte::pluriel(e.reponses.len(), "nombre de réponses", "nombres de réponses"),
                            mutu_base::texte::pluriel(e.echelle.len(), "niveau", "niveaux")
                        ),
                    )
                    .expected(format!("un nombre de réponses par niveau de `echelle`, soit {}", e.echelle.len()))
                    .hint("écrivez 0 pour un niveau que personne n'a choisi"),
                );
            }
            let repondants: u64 = e.reponses.iter().map(|&n| u64::from(n)).sum();
            if let Some(n) = e.sollicites {
                if repondants > u64::from(n) {
                    ctx.at_value(
                        o,
                        &["enquetes", &is, "sollicites"],
                        Diagnostic::error(
                            Code::EnqueteIncoherente,
                            format!(
                                "l'enquête « {} » ({}) compte {repondants} réponses pour {n} organismes sollicités",
                                e.question, e.exercice
                            ),
                        )
                        .expected(format!("au moins {repondants} organismes sollicités, ou moins de réponses"))
                        .hint("chaque organisme sollicité répond une fois : corrigez le nombre de sollicités ou les réponses"),
                    );
                }
            }
            if s.enquetes[..i].iter().any(|x| x.exercice == e.exercice && x.question == e.question) {
                ctx.at_key(
                    o,
                    &["enquetes", &is],
                    Diagnostic::error(
                        Code::EnqueteIncoherente,
                        format!("deux enquêtes « {} » pour {} dans le service « {} »", e.question, e.exercice, s.nom),
                    )
                    .expected("une enquête par question et par année")
                    .hint("additionnez les réponses des deux en une seule, ou corrigez l'année de l'une"),
                );
            }
        }
    }
}
