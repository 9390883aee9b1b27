//! `mutu new`: writes a small, valid, fully commented project (the comments
//! are the tutorial), or — with `--exercice N` — prepares next year's report
//! in an existing project ([`exercice`]).
//!
//! The templates live in `src/scaffold/modele/` and are embedded in the
//! binary.

pub mod epci;
pub mod exercice;

use std::io;
use std::path::Path;

/// The files of a new project: path in the project, content.
pub const MODELE: &[(&str, &str)] = &[
    (".gitignore", include_str!("modele/gitignore")),
    ("data/configuration.yaml", include_str!("modele/data/configuration.yaml")),
    ("data/territoire.yaml", include_str!("modele/data/territoire.yaml")),
    ("data/schema.yaml", include_str!("modele/data/schema.yaml")),
    ("data/rapport.yaml", include_str!("modele/data/rapport.yaml")),
    ("data/cles.yaml", include_str!("modele/data/cles.yaml")),
    ("data/axes.yaml", include_str!("modele/data/axes.yaml")),
    ("data/services/instruction-ads.yaml", include_str!("modele/data/services/instruction-ads.yaml")),
    (
        "data/fiches/support-informatique.yaml",
        include_str!("modele/data/fiches/support-informatique.yaml"),
    ),
    ("data/commande_publique.yaml", include_str!("modele/data/commande_publique.yaml")),
    ("content/edito.md", include_str!("modele/content/edito.md")),
    (
        "content/services/instruction-ads.md",
        include_str!("modele/content/services/instruction-ads.md"),
    ),
    (
        "content/fiches/support-informatique.md",
        include_str!("modele/content/fiches/support-informatique.md"),
    ),
];

/// Why a project cannot be created.
#[derive(Debug)]
pub enum Refus {
    /// The folder exists and is not empty.
    NonVide,
    /// The path exists and is not a folder.
    PasUnDossier,
    Io(io::Error),
}

/// Writes the template project into `dossier`, which must be absent or an
/// empty folder. Returns the paths written, relative to `dossier`.
pub fn creer(dossier: &Path) -> Result<Vec<&'static str>, Refus> {
    let fichiers: Vec<(&'static str, String)> = MODELE.iter().map(|(c, t)| (*c, t.to_string())).collect();
    creer_fichiers(dossier, &fichiers)
}

/// Writes `fichiers` (path in the project, content) into `dossier`, which
/// must be absent or an empty folder.
pub fn creer_fichiers(dossier: &Path, fichiers: &[(&'static str, String)]) -> Result<Vec<&'static str>, Refus> {
    if dossier.exists() {
        if !dossier.is_dir() {
            return Err(Refus::PasUnDossier);
        }
        let mut contenu = std::fs::read_dir(dossier).map_err(Refus::Io)?;
        if contenu.next().is_some() {
            return Err(Refus::NonVide);
        }
    }
    let mut ecrits = Vec::new();
    for (chemin, texte) in fichiers {
        let p = dossier.join(chemin);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(Refus::Io)?;
        }
        std::fs::write(&p, texte).map_err(Refus::Io)?;
        ecrits.push(*chemin);
    }
    Ok(ecrits)
}

/// `mutu new <dossier>`: creates the project and says what to do next.
/// Returns the exit code.
pub fn nouveau(dossier: &Path) -> i32 {
    let fichiers: Vec<(&'static str, String)> = MODELE.iter().map(|(c, t)| (*c, t.to_string())).collect();
    let suite = "\nLe territoire d'exemple est la Communauté d'agglomération du Pays de Landerneau-Daoulas avec deux de ses communes,\n\
                 et les chiffres des services sont fictifs : chaque fichier explique, en commentaires, quoi remplacer.\n\
                 Pour partir de votre EPCI et de toutes ses communes : « mutu new <DOSSIER> --epci <SIREN ou nom> ».\n";
    ecrire(dossier, &fichiers, suite)
}

/// Writes the project and prints what was written, `suite` and the next
/// commands. Returns the exit code.
pub fn ecrire(dossier: &Path, fichiers: &[(&'static str, String)], suite: &str) -> i32 {
    let affiche = dossier.display();
    match creer_fichiers(dossier, fichiers) {
        Ok(ecrits) => {
            println!("projet créé dans {affiche} : {}", crate::texte::pluriel(ecrits.len(), "fichier", "fichiers"));
            for e in &ecrits {
                println!("  {e}");
            }
            let racine = if dossier.as_os_str().to_string_lossy().contains(char::is_whitespace) {
                format!("\"{affiche}\"")
            } else {
                affiche.to_string()
            };
            println!(
                "{suite}\
                 \nEnsuite :\n  mutu serve --racine {racine}     le site sur cet ordinateur, mis à jour à chaque enregistrement\n  mutu check --racine {racine}     vérifie les données\n  mutu build --racine {racine}     construit le site et le rapport PDF dans {racine}/public\n  mutu aide format                 la référence du format des fichiers"
            );
            0
        }
        Err(Refus::NonVide) => {
            eprintln!(
                "erreur : le dossier « {affiche} » existe et n'est pas vide : mutu ne crée un projet que dans un dossier vide ou absent\n  = aide : choisissez un autre nom, par exemple « mutu new mon-territoire » ; pour préparer l'exercice suivant d'un projet existant : « mutu new --exercice N --racine {affiche} »"
            );
            1
        }
        Err(Refus::PasUnDossier) => {
            eprintln!("erreur : « {affiche} » existe et n'est pas un dossier\n  = aide : choisissez un autre nom");
            1
        }
        Err(Refus::Io(e)) => {
            eprintln!(
                "erreur : impossible d'écrire le projet dans « {affiche} » : {e}\n  = aide : {}",
                crate::diagnostic::aide_ecriture(&e)
            );
            1
        }
    }
}
