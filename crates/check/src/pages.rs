//! The front matter of texts: a blank `titre` is left out (warning), and
//! free pages (`objet: page`), whose `id` gives the page's address
//! (`pages/<id>.html`), must have a non-empty address and no two pages
//! may share one.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::{Objet, Origine};
use std::collections::BTreeMap;

pub(crate) fn check(ctx: &mut Ctx) {
    titres(ctx);
    let mut vues: BTreeMap<String, String> = BTreeMap::new();
    for c in &ctx.p.contenus {
        if c.entete.objet != Objet::Page {
            continue;
        }
        let Some(id) = &c.entete.id else { continue }; // `champ-manquant` (references)
        let o = Origine {
            fichier: c.fichier.clone().into(),
            chemin: mutu_model::yaml::Path::root(),
        };
        let adresse = mutu_base::texte::slug(id);
        if adresse.is_empty() {
            ctx.at_value(
                &o,
                &["id"],
                Diagnostic::error(Code::IdentifiantInvalide, format!("« {id} » ne peut pas servir d'adresse de page"))
                    .expected("des lettres ou des chiffres, par exemple `id: notes-de-transcription`")
                    .hint("l'identifiant d'une page libre devient son adresse : pages/<id>.html"),
            );
            continue;
        }
        match vues.get(&adresse) {
            Some(premier) => ctx.at_value(
                &o,
                &["id"],
                Diagnostic::error(Code::PageEnDouble, format!("deux pages libres ont l'adresse pages/{adresse}.html"))
                    .expected("un identifiant différent pour chaque page libre")
                    .hint(format!("première page : {premier} ; changez l'`id` de l'une des deux")),
            ),
            None => {
                vues.insert(adresse, c.fichier.clone());
            }
        }
    }
}

/// A `titre` of only blanks would make an empty heading (refused by the
/// RGAA and by PDF/UA): it is left out, with a warning.
fn titres(ctx: &mut Ctx) {
    for c in &ctx.p.contenus {
        if c.entete.titre.is_some() && c.entete.titre_ecrit().is_none() {
            let o = Origine {
                fichier: c.fichier.clone().into(),
                chemin: mutu_model::yaml::Path::root(),
            };
            ctx.at_value(
                &o,
                &["titre"],
                Diagnostic::warning(Code::TitreVide, "titre vide : le texte est affiché sans titre")
                    .expected("un titre, par exemple `titre: \"Bilan de l'année\"`")
                    .hint("écrivez le titre ou supprimez la ligne `titre`"),
            );
        }
    }
}
