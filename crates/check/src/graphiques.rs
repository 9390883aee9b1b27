//! Charts of the activity indicators: the kind asked for (`graphique`) is
//! drawn, or `check` says why not. What is drawn is decided by
//! [`Trace::pour`], the same rule the presentation follows.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::services::{annees_completes, Trace};

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    for s in &p.services {
        for (i, ind) in s.indicateurs.iter().enumerate() {
            let Some(demande) = ind.graphique else { continue };
            let trace = Trace::pour(Some(demande), ind.par_membre.len(), annees_completes(&ind.par_membre).len());
            if trace.genre() == demande {
                continue;
            }
            let (pourquoi, aide) = match trace {
                Trace::Annees(_) => (
                    "l'indicateur n'a qu'une série (aucune valeur par organisme) : des barres empilées n'auraient qu'un étage".to_string(),
                    "écrivez « graphique: barres », ou donnez les valeurs par organisme (par_membre) pour les empiler",
                ),
                _ => (
                    "une seule année a une valeur pour chaque organisme : le graphique compare les organismes de cette année".to_string(),
                    "écrivez « graphique: barres » (ou « anneau »), ou complétez les valeurs par organisme des autres années",
                ),
            };
            ctx.at_value(
                &s.origine,
                &["indicateurs", &i.to_string(), "graphique"],
                Diagnostic::warning(
                    Code::GraphiqueNonSuivi,
                    format!(
                        "indicateur « {} » : le graphique « {} » demandé est tracé en {} ; {pourquoi}",
                        ind.libelle,
                        demande.token(),
                        trace.genre().libelle()
                    ),
                )
                .expected(format!("un graphique possible pour ces données : {}", trace.genre().libelle()))
                .hint(aide),
            );
        }
    }
}
