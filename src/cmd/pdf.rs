//! `mutu pdf` (alias `rapport`): the PDF report alone, or the extract of
//! one member (`--commune`, named by id, name, INSEE code or SIREN) or of
//! all (`--toutes-communes`), or the catalogue of services alone
//! (`--catalogue`), written beside the site's files.

use mutu_base::output::regles;
use mutu_base::texte::pluriel;
use mutu_model::audience::Audience;
use std::path::{Path, PathBuf};

/// Builds the report (or extracts) of the project at `root` into `sortie`.
pub fn run(root: &Path, sortie: Option<PathBuf>, audience: Audience, commune: Option<&str>, toutes: bool, catalogue: bool) -> i32 {
    let sortie = sortie.unwrap_or_else(|| root.join("public"));
    if let Err(r) = regles::dossier_de_fichiers(root, &sortie) {
        return super::sortie_refusee(&r, &sortie);
    }
    let sortie = sortie.as_path();
    let m = match super::model_or_exit(root, audience, "rapport PDF") {
        Ok(m) => m,
        Err(code) => return code,
    };
    let start = std::time::Instant::now();
    let theme = match super::build::theme(root, &m) {
        Ok(t) => t,
        Err(ds) => {
            super::print_errors(&ds);
            return 1;
        }
    };
    let opts = super::build::Options {
        site: false,
        pdf: commune.is_none() && !toutes,
        extraits: commune.is_some() || toutes,
        rechargement: None,
    };
    let mut doc = super::build::document(&m, &opts);
    if catalogue {
        doc = match mutu_present::catalogue::document_catalogue(&doc) {
            Some(d) => d,
            None => {
                let d = mutu_base::diagnostic::Diagnostic::error(
                    mutu_base::codes::Code::CatalogueVide,
                    "aucun service n'a d'offre au catalogue : le catalogue PDF n'est pas produit",
                )
                .expected("au moins un service avec un bloc `offre:` dans data/services/")
                .hint("décrivez l'offre d'un service (voir « mutu aide offre »)");
                super::print_errors(&[d]);
                return 1;
            }
        };
    }
    if let Some(c) = commune {
        let membres: Vec<mutu_check::designe::Designable> = m.membres.iter().map(Into::into).collect();
        let id = match mutu_check::designe::designe(&membres, c) {
            Ok(id) => id.to_string(),
            Err(hint) => {
                eprintln!("erreur : membre inconnu : « {c} »\n  = attendu : l'identifiant, le nom, le code INSEE ou le SIREN d'un membre\n  = aide : {hint}");
                return 2;
            }
        };
        for p in doc.pages.iter_mut() {
            if p.membre.as_deref() != Some(id.as_str()) {
                p.membre = None;
            }
        }
    }
    let files = match super::build::render(root, &m, &doc, &theme, None, &opts) {
        Ok(r) => {
            super::print_errors(&r.avertissements);
            r.fichiers
        }
        Err(ds) => {
            super::print_errors(&ds);
            eprintln!("rapport PDF non produit : {}", pluriel(ds.len(), "erreur", "erreurs"));
            return 1;
        }
    };
    // The files are written into a folder that a `build` may be replacing.
    let attente = || eprintln!("une autre commande mutu écrit dans {} : attente de sa fin…", sortie.display());
    let _verrou = match mutu_base::output::Verrou::prendre(sortie, attente) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("erreur : impossible de verrouiller {} : {e}", sortie.display());
            return 1;
        }
    };
    let nouveau = !sortie.exists();
    for f in &files {
        let path = sortie.join(&f.chemin);
        if let Err(r) = regles::fichier_remplacable(root, &path, regles::Genre::Pdf) {
            return super::sortie_refusee(&r, &path);
        }
    }
    for f in &files {
        let path = sortie.join(&f.chemin);
        if let Err(e) = mutu_base::output::write_atomic(&path, &f.contenu) {
            eprintln!(
                "erreur : impossible d'écrire {} : {e}\n  = aide : {}",
                path.display(),
                mutu_base::diagnostic::aide_ecriture(&e)
            );
            return 1;
        }
        println!("écrit : {} ({})", path.display(), mutu_base::format::octets(f.contenu.len() as u64));
    }
    if nouveau {
        // A folder mutu created: a later `build` may replace it.
        let _ = mutu_base::output::write_atomic(&sortie.join(regles::MARQUE), regles::TEXTE_MARQUE.as_bytes());
    }
    println!("terminé en {}", mutu_base::format::duree_ms(start.elapsed().as_millis()));
    0
}
