//! The checks of the files a project refers to: the images and documents
//! its Markdown texts link to, and the EPCI's logo (how a path is resolved
//! and read is [`mutu_model::medias`]).

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use mutu_model::medias::{resoudre, verifier, verifier_texte, Probleme, Refus};

/// Checks every file reference of the project (the Markdown texts and the
/// logo, `epci.logo`, a path from the project root) and the headings of the
/// texts (a heading without text is left out, with a warning).
pub fn check(loaded: &mutu_model::load::Loaded) -> Vec<Diagnostic> {
    let Some(p) = loaded.projet.as_ref() else { return Vec::new() };
    let mut out = Vec::new();
    for c in &p.contenus {
        out.extend(verifier_texte(&p.racine, &c.fichier, &c.markdown, c.premiere_ligne).1);
        for (ligne, colonne) in mutu_base::markdown::titres_vides(&c.markdown) {
            out.push(
                Diagnostic::warning(Code::TitreVide, "titre sans texte : il est omis du site et du PDF")
                    .at(Some(Loc::new(&c.fichier, c.premiere_ligne + ligne - 1, colonne, 1)))
                    .expected("un titre après les dièses, par exemple « ## Bilan de l'année »")
                    .hint("écrivez le titre ou supprimez la ligne"),
            );
        }
    }
    if let Some(logo) = &p.territoire.epci.logo {
        let loc = loaded.loc_value(&p.territoire.origine, &["epci", "logo"]);
        let aide = "placez le logo dans le dossier du projet et indiquez son chemin depuis la racine du projet, par exemple « content/images/logo.svg »";
        let d = match resoudre("", logo) {
            Err(Refus::HorsProjet) | Err(Refus::Absolu) => Some(Diagnostic::error(
                Code::CheminHorsProjet,
                format!("le chemin du logo « {logo} » sort du projet"),
            )),
            Err(Refus::Externe) => Some(Diagnostic::error(Code::FichierExterne, format!("le logo « {logo} » est sur un autre site"))),
            Err(Refus::Vide) => Some(Diagnostic::error(Code::CheminVide, "le logo n'a pas de chemin")),
            Ok(rel) => verifier(&p.racine, &rel).err().map(|pb| {
                let code = match pb {
                    Probleme::LienSortant => Code::CheminHorsProjet,
                    Probleme::Introuvable => Code::FichierIntrouvable,
                    _ => Code::FichierIllisible,
                };
                Diagnostic::error(code, format!("logo « {logo} » : {}", pb.texte()))
            }),
        };
        out.extend(d.map(|d| d.at(loc).expected("le chemin d'une image du projet").hint(aide)));
    }
    out
}
