//! The project files a document shows: its logo and the images and
//! documents its Markdown texts link to, read to be published beside the
//! pages (`medias/…`).

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use mutu_model::medias::{chemin_sortie, lire, resoudre, verifier_texte, Media};
use std::path::Path;

/// The project file of the EPCI's logo (`Document::logo`), if it names one
/// inside the project (the checks report any other).
pub fn logo(doc: &crate::Document) -> Option<Media> {
    doc.logo.as_deref().and_then(|l| resoudre("", l).ok())
}

/// The project files the Markdown blocks of `doc` refer to, and the logo,
/// read, as files of the site (`medias/…`). `premiere_ligne` gives the first body
/// line of a text (for the position of a diagnostic).
pub fn fichiers_site(
    racine: &Path,
    doc: &crate::Document,
    premiere_ligne: impl Fn(&str) -> usize,
) -> Result<Vec<mutu_base::fichier::Fichier>, Vec<Diagnostic>> {
    let mut medias: Vec<Media> = logo(doc).into_iter().collect();
    let mut diags = Vec::new();
    for page in &doc.pages {
        for b in &page.blocs {
            if let crate::Bloc::Markdown { source, fichier } = b {
                let (m, d) = verifier_texte(racine, fichier, source, premiere_ligne(fichier));
                medias.extend(m);
                diags.extend(d);
            }
        }
    }
    medias.sort();
    medias.dedup();
    let mut out = Vec::new();
    for rel in medias {
        match lire(racine, &rel) {
            Ok(octets) => out.push(mutu_base::fichier::Fichier::new(chemin_sortie(&rel), octets)),
            Err(p) => diags.push(Diagnostic::error(Code::FichierIllisible, format!("« {rel} » : {}", p.texte())).at(Some(Loc::file(&rel)))),
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}
