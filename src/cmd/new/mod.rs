//! `mutu new`: writes a small, valid, fully commented project (the comments
//! are the tutorial), or — with `--exercice N` — prepares next year's report
//! in an existing project ([`exercice`]).
//!
//! The templates live in `src/scaffold/modele/` and are embedded in the
//! binary. Every part of them the user must replace (texts, figures, the
//! service, the groupement, the addresses) carries the mention « exemple à
//! remplacer », which `check` reports and which keeps the draft mark on
//! every page until it is gone ([`mutu_check::brouillon`]). Their years
//! are written `{{exercice}}`, `{{exercice+1}}`… and filled in by
//! [`Annees::remplir`]: the exercice follows today's date
//! ([`exercice_par_defaut`]) unless `--exercice N` names it.

pub mod epci;
pub mod exercice;

use mutu_model::Date;
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

/// The years a new project is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Annees {
    /// The exercice the report is on.
    pub exercice: i32,
    /// First year of the municipal mandate the schema covers.
    pub mandat_debut: i32,
}

impl Annees {
    /// The years of a report on exercice `n`. The schema covers the
    /// municipal mandate the exercice belongs to: general renewals in 2020,
    /// 2026, 2032… (every six years), and a schema is adopted in the year
    /// after a renewal, so the year of a renewal still belongs to the
    /// mandate that ends with it (exercice 2026: 2020-2026).
    pub fn new(n: i32) -> Annees {
        let mandat_debut = 2020 + 6 * (n - 1 - 2020).div_euclid(6);
        Annees { exercice: n, mandat_debut }
    }

    /// `texte` with its year tokens replaced.
    pub fn remplir(&self, texte: &str) -> String {
        let n = self.exercice;
        let m = self.mandat_debut;
        texte
            .replace("{{exercice}}", &n.to_string())
            .replace("{{exercice-1}}", &(n - 1).to_string())
            .replace("{{exercice+1}}", &(n + 1).to_string())
            .replace("{{mandat_debut}}", &m.to_string())
            .replace("{{mandat_debut+1}}", &(m + 1).to_string())
            .replace("{{mandat_fin}}", &(m + 6).to_string())
    }
}

/// The exercice a report prepared on `aujourdhui` is on. The report on the
/// pooling of exercice N is presented each year at the débat d'orientation
/// budgétaire or, failing that, the vote of the budget (CGCT, art.
/// L.5211-39-1), and the budget of N+1 is voted by 15 April N+1 (art.
/// L.1612-2; the débat takes place in the two months before). So until
/// 15 April of year Y the report being prepared is the one on Y-1; from
/// 16 April on it is the one on Y, presented early in Y+1 (a report written
/// in December 2026 is on exercice 2026).
pub fn exercice_par_defaut(aujourdhui: Date) -> i32 {
    if (aujourdhui.mois, aujourdhui.jour) <= (4, 15) {
        aujourdhui.annee - 1
    } else {
        aujourdhui.annee
    }
}

/// Today's date (UTC), from the system clock.
pub fn aujourdhui() -> Date {
    let secondes = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    Date::depuis_jours_unix(secondes.div_euclid(86_400))
}

/// The exercice of a new project: `demande` (`--exercice N`), checked, or
/// the one [`exercice_par_defaut`] gives for today. The error is the French
/// message to print.
pub fn exercice_du_projet(demande: Option<i32>, aujourdhui: Date) -> Result<Annees, String> {
    let defaut = exercice_par_defaut(aujourdhui);
    match demande {
        None => Ok(Annees::new(defaut)),
        // The schema and its yearly report date from the loi du 16 décembre
        // 2010; a report on a year not yet begun has nothing to report.
        Some(n) if !(2010..=aujourdhui.annee).contains(&n) => Err(format!(
            "erreur : exercice {n} impossible pour un nouveau projet
  = attendu : une année entre 2010 et {} (l'année en cours)
  = aide : sans --exercice, le projet porte sur l'exercice {defaut}, celui du rapport que l'on prépare aujourd'hui",
            aujourdhui.annee
        )),
        Some(n) => Ok(Annees::new(n)),
    }
}

/// Why a project cannot be created.
#[derive(Debug)]
pub enum Refus {
    /// The folder exists and is not empty.
    NonVide,
    /// The path exists and is not a folder.
    PasUnDossier,
    Io(io::Error),
}

/// Writes the template project for the years `annees` into `dossier`,
/// which must be absent or an empty folder. Returns the paths written,
/// relative to `dossier`.
pub fn creer(dossier: &Path, annees: Annees) -> Result<Vec<&'static str>, Refus> {
    creer_fichiers(dossier, &fichiers_du_modele(annees))
}

/// The template's files with their years filled in.
pub fn fichiers_du_modele(annees: Annees) -> Vec<(&'static str, String)> {
    MODELE.iter().map(|(c, t)| (*c, annees.remplir(t))).collect()
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

/// `mutu new <dossier> [--exercice N]`: creates the project and says what
/// to do next. Returns the exit code.
pub fn nouveau(dossier: &Path, exercice: Option<i32>) -> i32 {
    let annees = match exercice_du_projet(exercice, aujourdhui()) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let fichiers = fichiers_du_modele(annees);
    let suite = format!(
        "\nLe territoire d'exemple est la Communauté d'agglomération du Pays de Landerneau-Daoulas avec deux de ses communes,\n\
         et les chiffres des services sont fictifs.\n\
         Pour partir de votre EPCI et de toutes ses communes : « mutu new <DOSSIER> --epci <SIREN ou nom> ».\n{}",
        a_remplacer(annees.exercice)
    );
    ecrire(dossier, &fichiers, &suite)
}

/// What the user must replace, printed after the files written.
pub fn a_remplacer(exercice: i32) -> String {
    format!(
        "\nLe rapport porte sur l'exercice {exercice} (présenté au conseil début {} ; autre année : --exercice N).\n\
         Chaque exemple du modèle porte la mention « exemple à remplacer » : « mutu check » les liste (avertissement\n\
         « modele-non-remplace »), et tant qu'il en reste une, le site et le PDF portent la mention « Projet ».\n",
        exercice + 1
    )
}

/// Writes the project and prints what was written, `suite` and the next
/// commands. Returns the exit code.
pub fn ecrire(dossier: &Path, fichiers: &[(&'static str, String)], suite: &str) -> i32 {
    let affiche = dossier.display();
    match creer_fichiers(dossier, fichiers) {
        Ok(ecrits) => {
            println!(
                "projet créé dans {affiche} : {}",
                mutu_base::texte::pluriel(ecrits.len(), "fichier", "fichiers")
            );
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
                mutu_base::diagnostic::aide_ecriture(&e)
            );
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: i32, m: u32, j: u32) -> Date {
        Date::new(a, m, j).unwrap()
    }

    #[test]
    fn the_default_exercice_turns_after_the_budget_deadline() {
        // Until 15 April the report in preparation is the previous year's.
        assert_eq!(exercice_par_defaut(d(2027, 1, 10)), 2026);
        assert_eq!(exercice_par_defaut(d(2027, 4, 15)), 2026);
        // From 16 April on, the year's own, presented early the next year.
        assert_eq!(exercice_par_defaut(d(2027, 4, 16)), 2027);
        assert_eq!(exercice_par_defaut(d(2026, 12, 7)), 2026);
        assert_eq!(exercice_du_projet(None, d(2026, 12, 7)), Ok(Annees::new(2026)));
        assert_eq!(exercice_du_projet(Some(2024), d(2026, 12, 7)), Ok(Annees::new(2024)));
        assert_eq!(
            exercice_du_projet(Some(2027), d(2026, 12, 7)),
            Err("erreur : exercice 2027 impossible pour un nouveau projet\n  = attendu : une année entre 2010 et 2026 (l'année en cours)\n  = aide : sans --exercice, le projet porte sur l'exercice 2026, celui du rapport que l'on prépare aujourd'hui".into())
        );
    }

    #[test]
    fn the_schema_covers_the_mandate_of_the_exercice() {
        let mandat = |n| {
            let a = Annees::new(n);
            (a.mandat_debut, a.mandat_debut + 6)
        };
        assert_eq!(mandat(2021), (2020, 2026));
        assert_eq!(mandat(2024), (2020, 2026));
        assert_eq!(mandat(2026), (2020, 2026));
        assert_eq!(mandat(2027), (2026, 2032));
        assert_eq!(mandat(2020), (2014, 2020));
        assert_eq!(
            Annees::new(2026).remplir("{{exercice-1}} {{exercice}} {{exercice+1}} {{mandat_debut}} {{mandat_debut+1}} {{mandat_fin}}"),
            "2025 2026 2027 2020 2021 2026"
        );
    }

    #[test]
    fn every_template_file_is_filled_and_marked() {
        let a = Annees::new(2026);
        for (chemin, texte) in MODELE {
            let t = a.remplir(texte);
            assert!(!t.contains("{{"), "{chemin} keeps a token");
            // Every file of the project marks what it invents.
            if !matches!(*chemin, ".gitignore") {
                assert!(t.to_lowercase().contains("exemple à remplacer"), "{chemin} has no marker");
            }
        }
    }
}
