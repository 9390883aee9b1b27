//! `mutu new`: the commented scaffold is a valid project (no error) that
//! builds, a draft until every example of the template is replaced; its
//! exercice follows today's date or `--exercice N`; a non-empty folder is
//! refused; `--exercice N` alone prepares next year's report in place and
//! the project still checks.

use crate::outils;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn mutu(args: &[&str]) -> Output {
    Command::new(outils::binaire()).args(args).output().expect("mutu runs")
}

fn texte(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A fresh temporary folder (removed first if a previous run left it).
fn temp(nom: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("mutu-test-new-{}-{nom}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

/// A copy of the example project (data/ and content/ of the repository).
fn exemple(nom: &str) -> PathBuf {
    let racine = temp(nom);
    let depot = Path::new(env!("CARGO_MANIFEST_DIR"));
    outils::copie_dossier(&depot.join("data"), &racine.join("data"));
    outils::copie_dossier(&depot.join("content"), &racine.join("content"));
    racine
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The examples `mutu new` marks « exemple à remplacer » (without
/// `--epci`: the example territory included) and, with `--epci`, those left
/// once the territory comes from the register.
const MARQUES: usize = 24;
const MARQUES_EPCI: usize = 21;

/// Some of the template's markers, as `check` reports them: the text, the
/// groupement, the addresses, a figure, the example territory.
const MARQUES_ATTENDUES: &[&str] = &[
    "avertissement[modele-non-remplace] : « Exemple à remplacer » : un exemple du modèle de « mutu new » n'a pas été remplacé, le document est un projet\n  --> content/edito.md:13:3\n   |\n13 | **Exemple à remplacer.** Ce texte est l'édito du rapport : remplacez-le par le\n   |   ^^^^^^^^^^^^^^^^^^^\n  = aide : remplacez l'exemple par votre contenu (ou supprimez-le), puis retirez la mention ; tant qu'il en reste une, chaque page du site et du PDF porte la mention « Projet — document non définitif »\n",
    "avertissement[modele-non-remplace] : « EXEMPLE À REMPLACER » : un exemple du modèle de « mutu new » n'a pas été remplacé, le document est un projet\n  --> data/commande_publique.yaml:8:7\n  |\n8 |     # EXEMPLE À REMPLACER : ce groupement et ses montants fictifs.\n",
    "  --> data/configuration.yaml:65:5\n   |\n65 |   # EXEMPLE À REMPLACER : une adresse réelle de votre collectivité.\n",
    "  --> data/configuration.yaml:68:100\n",
    "  --> data/configuration.yaml:80:34\n   |\n80 |   adresse: \"29800 Landerneau\"  # EXEMPLE À REMPLACER\n",
    "  --> data/services/instruction-ads.yaml:83:29\n   |\n83 |     total_declare: 52000  # EXEMPLE À REMPLACER\n",
    "  --> data/territoire.yaml:11:3\n",
];

#[test]
fn scaffold_checks_and_builds_as_a_draft() {
    let dossier = temp("neuf");
    let sortie = temp("neuf-public");
    let o = mutu(&["new", s(&dossier), "--exercice", "2024"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", texte(&o.stdout), texte(&o.stderr));
    let out = texte(&o.stdout);
    assert!(out.starts_with(&format!("projet créé dans {} : 13 fichiers\n", dossier.display())), "{out}");
    assert!(
        out.contains("\nLe rapport porte sur l'exercice 2024 (présenté au conseil début 2025 ; autre année : --exercice N).\n"),
        "{out}"
    );
    for f in [
        "data/configuration.yaml",
        "data/territoire.yaml",
        "data/rapport.yaml",
        "data/services/instruction-ads.yaml",
        "content/edito.md",
    ] {
        assert!(dossier.join(f).is_file(), "{f}");
    }
    // Every data file is a tutorial: commented in French.
    for f in std::fs::read_dir(dossier.join("data")).unwrap() {
        let p = f.unwrap().path();
        if p.is_file() {
            let t = std::fs::read_to_string(&p).unwrap();
            assert!(t.lines().filter(|l| l.trim_start().starts_with('#')).count() >= 3, "{}", p.display());
        }
    }
    let territoire = std::fs::read_to_string(dossier.join("data/territoire.yaml")).unwrap();
    assert!(territoire.contains("siren: \"242900801\"") && territoire.contains("insee: \"29043\"") && territoire.contains("insee: \"29045\""));

    let o = mutu(&["check", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    // The deliberation number is left to the user, and every example of
    // the template is reported where it stands: the project is a draft,
    // and says so, until they are replaced.
    let err = texte(&o.stderr);
    assert_eq!(err.matches("avertissement[espace-reserve]").count(), 1, "{err}");
    assert_eq!(err.matches("avertissement[modele-non-remplace]").count(), MARQUES, "{err}");
    assert_eq!(err.matches("avertissement[").count(), MARQUES + 1, "{err}");
    for attendu in MARQUES_ATTENDUES {
        assert!(err.contains(attendu), "{attendu}\n---\n{err}");
    }
    let out = texte(&o.stdout);
    assert!(out.contains("rapport de l'exercice 2024"), "{out}");
    assert!(
        out.ends_with(&format!("vérification terminée : 0 erreur, {} avertissements\n", MARQUES + 1)),
        "{out}"
    );

    let o = mutu(&["build", "--racine", s(&dossier), "--sortie", s(&sortie)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert!(texte(&o.stdout).starts_with("construction terminée : "));
    assert!(sortie.join("index.html").is_file());
    assert!(sortie.join("services/instruction-ads.html").is_file());
    assert!(sortie.join("rapport-mutualisation-2024.pdf").is_file());
    let index = std::fs::read_to_string(sortie.join("index.html")).unwrap();
    assert!(index.contains("Pays de Landerneau-Daoulas"));
    assert!(index.contains("Projet — document non définitif"), "brouillon");
    // The service's cost, split between the two communes at the cent.
    let export = std::fs::read_to_string(sortie.join("donnees/mutu-export.json")).unwrap();
    assert!(export.contains("\"52000.00\""), "coût réparti");

    // The French alias, on an existing empty folder.
    let vide = temp("vide");
    std::fs::create_dir_all(&vide).unwrap();
    let o = mutu(&["nouveau", s(&vide)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert!(vide.join("data/rapport.yaml").is_file());

    for d in [dossier, sortie, vide] {
        let _ = std::fs::remove_dir_all(d);
    }
}

#[test]
fn non_empty_folder_is_refused() {
    let dossier = temp("plein");
    std::fs::create_dir_all(&dossier).unwrap();
    std::fs::write(dossier.join("notes.txt"), "à garder").unwrap();
    let o = mutu(&["new", s(&dossier)]);
    assert_eq!(o.status.code(), Some(1));
    let err = texte(&o.stderr);
    assert!(
        err.starts_with(&format!(
            "erreur : le dossier « {} » existe et n'est pas vide : mutu ne crée un projet que dans un dossier vide ou absent\n",
            dossier.display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&dossier).unwrap().count(), 1, "rien n'est écrit");
    assert_eq!(std::fs::read_to_string(dossier.join("notes.txt")).unwrap(), "à garder");

    // Neither a folder nor a project name: usage error.
    let o = mutu(&["new"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(texte(&o.stderr).starts_with("erreur : argument obligatoire manquant"), "{}", texte(&o.stderr));
    let _ = std::fs::remove_dir_all(dossier);
}

#[test]
fn next_year_is_prepared_in_place() {
    let racine = exemple("exercice");
    let avant_rapport = std::fs::read_to_string(racine.join("data/rapport.yaml")).unwrap();
    let avant_fiche = std::fs::read_to_string(racine.join("data/fiches/informatique.yaml")).unwrap();
    let o = mutu(&["new", "--exercice", "2024", "--racine", s(&racine)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", texte(&o.stdout), texte(&o.stderr));
    let out = texte(&o.stdout);
    assert!(out.contains("  modifié : data/rapport.yaml\n"), "{out}");
    assert!(out.contains("  créé : content/services/garage-commun-2024.md\n"), "{out}");
    assert!(
        out.contains("Bilans financiers 2024 à ajouter (data/services/) : garage-commun, instruction-ads, services-communs-landerneau, si-communes."),
        "{out}"
    );
    assert!(out.contains("Statuts des fiches-actions conservés"), "{out}");

    // The report: new year, comments kept, @ctes and transmission removed.
    let rapport = std::fs::read_to_string(racine.join("data/rapport.yaml")).unwrap();
    assert!(rapport.starts_with(avant_rapport.lines().next().unwrap()), "commentaire d'en-tête conservé");
    assert!(rapport.contains("\nexercice: 2024\n"));
    assert!(rapport.contains("\ndate_conseil: 2025-03-29\n"));
    assert!(rapport.contains("\ndeliberation: \"à compléter\"\n"));
    assert!(rapport.contains("# Le rapport ne nomme pas le président"), "commentaire conservé");
    assert!(!rapport.contains("\nactes_id:") && !rapport.contains("\ntransmission:") && !rapport.contains("envoi: 2024-04-03"));
    assert!(rapport.contains("titre: \"Rapport de mutualisation 2024 :"));
    let config = std::fs::read_to_string(racine.join("data/configuration.yaml")).unwrap();
    assert!(config.contains("nom_fichier: rapport-mutualisation-2024-capld"));
    // Fiche statuses and last year's narratives are kept.
    assert_eq!(std::fs::read_to_string(racine.join("data/fiches/informatique.yaml")).unwrap(), avant_fiche);
    let ancien = std::fs::read_to_string(racine.join("content/services/garage-commun.md")).unwrap();
    assert!(ancien.contains("exercice: 2023"));
    // Skeletons for year N.
    for f in [
        "content/services/garage-commun-2024.md",
        "content/services/instruction-ads-2024.md",
        "content/fiches/informatique-2024.md",
        "content/fiches/mediatheques-2024.md",
        "content/edito-2024.md",
        "content/membres/loperhet-2024.md",
    ] {
        let t = std::fs::read_to_string(racine.join(f)).unwrap_or_else(|_| panic!("{f} absent"));
        assert!(t.contains("\nexercice: 2024\n---\n") || t.contains("\nexercice: 2024\nordre: "), "{f} : {t}");
        assert!(t.ends_with("---\n"), "corps vide : {f}");
    }
    let squelette = std::fs::read_to_string(racine.join("content/services/garage-commun-2024.md")).unwrap();
    assert_eq!(
        squelette,
        "---\n\
# Texte de l'exercice 2024 pour le service « Garage commun », préparé par « mutu new --exercice 2024 ».\n\
# Écrivez-le en Markdown sous la ligne « --- » qui ferme cet en-tête : tant qu'il est vide,\n\
# rien n'est publié à sa place. Le texte de 2023 reste dans content/services/garage-commun.md.\n\
# Pour afficher un titre au-dessus du texte, retirez le « # » de la ligne suivante :\n\
# titre: \"Le garage commun en 2024\"\n\
objet: service\nid: garage-commun\nexercice: 2024\n---\n"
    );

    let o = mutu(&["check", "--racine", s(&racine)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    let out = texte(&o.stdout);
    assert!(out.contains("rapport de l'exercice 2024"), "{out}");
    assert!(!texte(&o.stderr).contains("erreur["), "{}", texte(&o.stderr));

    // Twice: refused, nothing changed.
    let avant = std::fs::read_to_string(racine.join("data/rapport.yaml")).unwrap();
    let o = mutu(&["new", "--exercice", "2024", "--racine", s(&racine)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texte(&o.stderr).starts_with("erreur : le rapport porte déjà sur l'exercice 2024"),
        "{}",
        texte(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(racine.join("data/rapport.yaml")).unwrap(), avant);

    // Beyond the mandate: refused before any change.
    let o = mutu(&["new", "--exercice", "2027", "--racine", s(&racine)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texte(&o.stderr).starts_with("erreur : l'exercice 2027 est hors du mandat 2020-2026 du schéma"),
        "{}",
        texte(&o.stderr)
    );
    assert_eq!(std::fs::read_to_string(racine.join("data/rapport.yaml")).unwrap(), avant);
    let _ = std::fs::remove_dir_all(racine);
}

#[test]
fn scaffold_then_next_year() {
    let dossier = temp("neuf-suivant");
    assert_eq!(mutu(&["new", s(&dossier), "--exercice", "2024"]).status.code(), Some(0));
    let o = mutu(&["nouveau", "--exercice", "2025", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}{}", texte(&o.stdout), texte(&o.stderr));
    for f in [
        "content/services/instruction-ads-2025.md",
        "content/fiches/support-informatique-2025.md",
        "content/edito-2025.md",
    ] {
        assert!(dossier.join(f).is_file(), "{f}");
    }
    let o = mutu(&["check", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    // The council's date and the deliberation number are left to check.
    let err = texte(&o.stderr);
    assert_eq!(err.matches("avertissement[espace-reserve]").count(), 3, "{err}");
    assert!(texte(&o.stdout).ends_with(&format!("vérification terminée : 0 erreur, {} avertissements\n", MARQUES + 3)));
    let rapport = std::fs::read_to_string(dossier.join("data/rapport.yaml")).unwrap();
    assert!(
        rapport.contains("\nexercice: 2025\n") && rapport.contains("\ndate_conseil: 2026-03-27\n"),
        "{rapport}"
    );
    let config = std::fs::read_to_string(dossier.join("data/configuration.yaml")).unwrap();
    assert!(config.contains("nom_fichier: rapport-mutualisation-2025\n"));
    let _ = std::fs::remove_dir_all(dossier);
}

/// `mutu new --epci`: the territory comes from the embedded register, the
/// project checks without error and builds, and no output names the
/// example's territory.
#[test]
fn scaffold_from_the_register() {
    let dossier = temp("abers");
    // The year after the EPCI: both options together (« argument en trop » before).
    let o = mutu(&["new", s(&dossier), "--epci", "242900553", "--exercice", "2025"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", texte(&o.stdout), texte(&o.stderr));
    let out = texte(&o.stdout);
    assert!(
        out.contains("\nLe rapport porte sur l'exercice 2025 (présenté au conseil début 2026 ; autre année : --exercice N).\n"),
        "{out}"
    );
    let rapport = std::fs::read_to_string(dossier.join("data/rapport.yaml")).unwrap();
    assert!(
        rapport.contains("\nexercice: 2025\n") && rapport.contains("\ndate_conseil: 2026-03-27\n"),
        "{rapport}"
    );
    assert!(
        out.contains("Territoire : Communauté de communes du Pays des Abers (SIREN 242900553), 13 communes membres d'après le référentiel officiel :\n  Bourg-Blanc (29015)\n  Coat-Méal (29035)\n  Le Drennec (29047)\n  Kersaint-Plabennec (29095)\n  Landéda (29101)\n  Lannilis (29117)\n  Loc-Brévalaire (29126)\n  Plabennec (29160)\n  Plouguerneau (29195)\n  Plouguin (29196)\n  Plouvien (29209)\n  Saint-Pabu (29257)\n  Tréglonou (29290)\n"),
        "{out}"
    );
    let territoire = std::fs::read_to_string(dossier.join("data/territoire.yaml")).unwrap();
    assert_eq!(territoire.matches("    type: commune\n").count(), 13);
    assert!(territoire.contains("  - id: plabennec\n    nom: \"Plabennec\"\n    type: commune\n    insee: \"29160\"\n    siren: \"212901607\"\n    populations:\n      2025:\n        municipale: 8633\n"), "{territoire}");
    let o = mutu(&["check", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    // The register's territory is real: no marker on it; the addresses the
    // template would have taken from the example are left out with it.
    assert!(
        texte(&o.stdout).ends_with(&format!("vérification terminée : 0 erreur, {} avertissements\n", MARQUES_EPCI + 1)),
        "{}",
        texte(&o.stderr)
    );
    assert!(!texte(&o.stderr).contains("data/territoire.yaml"), "{}", texte(&o.stderr));
    let o = mutu(&["build", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    let textes = outils::textes(&dossier.join("public"));
    assert!(textes.len() > 20);
    assert_eq!(outils::contiennent(&textes, "Landerneau"), Vec::<String>::new());
    for (rel, t) in outils::fichiers(&dossier) {
        let t = String::from_utf8_lossy(&t);
        if rel.starts_with("data/") || rel.starts_with("content/") {
            assert!(!t.contains("Landerneau") && !t.contains("capld") && !t.contains("daoulas"), "{rel}");
        }
    }
    // A member named on the command line by its name, folded, or misspelt.
    let o = mutu(&["pdf", "--racine", s(&dossier), "--commune", "LE DRENNEC"]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert!(dossier.join("public/extraits/le-drennec.pdf").is_file());
    let o = mutu(&["pdf", "--racine", s(&dossier), "--commune", "Plabenec"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        texte(&o.stderr).ends_with("erreur : membre inconnu : « Plabenec »\n  = attendu : l'identifiant, le nom, le code INSEE ou le SIREN d'un membre\n  = aide : vouliez-vous dire « Plabennec » (identifiant « plabennec ») ?\n"),
        "{}",
        texte(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&dossier);

    // By name, folded; an unknown name lists the nearest ones.
    let dossier = temp("abers-nom");
    let o = mutu(&["new", s(&dossier), "--epci", "pays des abers"]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert!(std::fs::read_to_string(dossier.join("data/territoire.yaml"))
        .unwrap()
        .contains("siren: \"242900553\""));
    let _ = std::fs::remove_dir_all(&dossier);
    let o = mutu(&["new", s(&temp("abers-faute")), "--epci", "pays des abbers"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        texte(&o.stderr),
        "erreur : aucun EPCI à fiscalité propre ne correspond à « pays des abbers » dans le référentiel officiel\n  = attendu : le SIREN ou le nom d'une communauté de communes, d'agglomération, urbaine ou d'une métropole\n  = aide : vouliez-vous dire :\n    CC du Pays des Abers (SIREN 242900553)\n"
    );
}

/// `mutu aide` / `mutu help`: the general help, the format reference and
/// one key; `new --exercice` refuses to skip a year.
#[test]
fn help_and_reference() {
    for cmd in ["aide", "help"] {
        let o = mutu(&[cmd]);
        assert_eq!(o.status.code(), Some(0));
        assert!(texte(&o.stdout).contains("mutu aide format"), "{}", texte(&o.stdout));
    }
    let o = mutu(&["aide", "format"]);
    assert_eq!(texte(&o.stdout), mutu::docs::FORMAT);
    let o = mutu(&["aide", "contact_courriel"]);
    assert!(
        texte(&o.stdout).starts_with("Bloc `accessibilite`\n  `contact_courriel`\n    Type : texte\n"),
        "{}",
        texte(&o.stdout)
    );
    let o = mutu(&["aide", "sirne"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(texte(&o.stderr).ends_with("  = aide : vouliez-vous dire « siren » ?\n"), "{}", texte(&o.stderr));

    let dossier = temp("saut");
    assert_eq!(mutu(&["new", s(&dossier), "--exercice", "2024"]).status.code(), Some(0));
    let o = mutu(&["new", "--exercice", "2026", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        texte(&o.stderr).starts_with("erreur : le rapport porte sur l'exercice 2024 : préparer l'exercice 2026 sauterait l'exercice 2025\n"),
        "{}",
        texte(&o.stderr)
    );
    let _ = std::fs::remove_dir_all(&dossier);
}

/// A reader that stops early (`mutu aide format | head`) ends the output
/// quietly; it used to panic with « failed printing to stdout: Broken pipe ».
#[test]
fn a_reader_closing_the_pipe_early_is_no_error() {
    use std::io::Read;
    for args in [&["aide", "format"][..], &["export", "--racine", env!("CARGO_MANIFEST_DIR")][..]] {
        let mut enfant = Command::new(env!("CARGO_BIN_EXE_mutu"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut debut = [0u8; 10];
        enfant.stdout.take().unwrap().read_exact(&mut debut).unwrap();
        // The pipe is closed here, the rest unread.
        let o = enfant.wait_with_output().unwrap();
        let err = texte(&o.stderr);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?} : {err}");
    }
}

/// Today's (year, month, day), UTC, from the clock, to compute the
/// exercice a new project must take (the calendar arithmetic is
/// `Date::depuis_jours_unix`'s, tested on known days in mutu-base).
fn aujourdhui() -> (i32, u32, u32) {
    let jours = (std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() / 86_400) as i64;
    let d = mutu_base::date::Date::depuis_jours_unix(jours);
    (d.annee, d.mois, d.jour)
}

/// Without `--exercice`, the report is the one prepared today: the previous
/// year's until the budget deadline of 15 April, the current year's after
/// (in December 2026: exercice 2026, council early 2027). A year not yet
/// begun is refused.
#[test]
fn the_exercice_follows_today() {
    let (annee, mois, jour) = aujourdhui();
    let attendu = if (mois, jour) <= (4, 15) { annee - 1 } else { annee };
    let dossier = temp("aujourdhui");
    let o = mutu(&["new", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    let rapport = std::fs::read_to_string(dossier.join("data/rapport.yaml")).unwrap();
    assert!(rapport.contains(&format!("\nexercice: {attendu}\n")), "{rapport}");
    assert!(rapport.contains(&format!("\ndate_conseil: {}-03-27\n", attendu + 1)), "{rapport}");
    let config = std::fs::read_to_string(dossier.join("data/configuration.yaml")).unwrap();
    assert!(config.contains(&format!("nom_fichier: rapport-mutualisation-{attendu}\n")), "{config}");
    let o = mutu(&["check", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert!(texte(&o.stdout).contains(&format!("rapport de l'exercice {attendu}\n")), "{}", texte(&o.stdout));
    assert!(texte(&o.stdout).contains("vérification terminée : 0 erreur, "), "{}", texte(&o.stdout));
    let _ = std::fs::remove_dir_all(&dossier);

    let futur = temp("futur");
    let o = mutu(&["new", s(&futur), "--exercice", &(annee + 1).to_string()]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        texte(&o.stderr),
        format!(
            "erreur : exercice {} impossible pour un nouveau projet\n  = attendu : une année entre 2010 et {annee} (l'année en cours)\n  = aide : sans --exercice, le projet porte sur l'exercice {attendu}, celui du rapport que l'on prépare aujourd'hui\n",
            annee + 1
        )
    );
    assert!(!futur.exists(), "rien n'est écrit");
}

/// Each example of the template keeps the project a draft until it is
/// replaced: once the user has replaced them all (here: every marker taken
/// out, the texts rewritten, the deliberation number filled in), `check`
/// is clean and the « Projet » mark leaves the site; one marker left is
/// enough to keep it.
#[test]
fn template_leftovers_keep_the_draft_until_replaced() {
    let dossier = temp("remplace");
    assert_eq!(mutu(&["new", s(&dossier), "--exercice", "2024"]).status.code(), Some(0));
    // What a user does: rewrite each marked value, delete each marker.
    let mut restant: Option<(String, String)> = None;
    for (rel, octets) in outils::fichiers(&dossier) {
        if !(rel.ends_with(".yaml") || rel.ends_with(".md")) {
            continue;
        }
        let t = String::from_utf8(octets).unwrap();
        let mut lignes = Vec::new();
        for l in t.lines() {
            if l.trim_start().starts_with("# EXEMPLE À REMPLACER") {
                continue;
            }
            let l = l
                .replace("  # EXEMPLE À REMPLACER", "")
                .replace("**Exemple à remplacer.** ", "")
                .replace("Exemple à remplacer : ", "Selon nos comptes : ")
                .replace("deliberation: \"à compléter\"", "deliberation: \"DCC2025_012\"");
            lignes.push(l);
        }
        let nouveau = lignes.join("\n") + "\n";
        if rel == "data/commande_publique.yaml" {
            restant = Some((rel.clone(), t.clone()));
        }
        std::fs::write(dossier.join(&rel), nouveau).unwrap();
    }
    let o = mutu(&["check", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert_eq!(texte(&o.stderr), "");
    assert!(
        texte(&o.stdout).ends_with("vérification terminée : 0 erreur, 0 avertissement\n"),
        "{}",
        texte(&o.stdout)
    );
    let o = mutu(&["build", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    let textes = outils::textes(&dossier.join("public"));
    assert_eq!(outils::contiennent(&textes, "Projet — document non définitif"), Vec::<String>::new());
    assert_eq!(outils::contiennent(&textes, "xemple à remplacer"), Vec::<String>::new());

    // The groupement's marker put back: a draft again.
    let (rel, avant) = restant.unwrap();
    std::fs::write(dossier.join(&rel), avant).unwrap();
    let o = mutu(&["check", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        texte(&o.stderr).matches("avertissement[modele-non-remplace]").count(),
        2,
        "{}",
        texte(&o.stderr)
    );
    let o = mutu(&["build", "--racine", s(&dossier)]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    let index = std::fs::read_to_string(dossier.join("public/index.html")).unwrap();
    assert!(index.contains("Projet — document non définitif"));
    let _ = std::fs::remove_dir_all(&dossier);
}

/// In a 158-commune agglomeration (Pays Basque): « 64100 » is Bassussarry's
/// INSEE code and Bayonne's postal code, an error naming both; « Mauléon »
/// finds Mauléon-Licharre; the exact INSEE code of a commune whose code is
/// nobody's postal code still designates it.
#[test]
fn a_code_two_communes_answer_to_and_a_name_cut_short() {
    let dossier = temp("pays-basque");
    let o = mutu(&["new", s(&dossier), "--epci", "200067106", "--exercice", "2025"]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    let o = mutu(&["pdf", "--racine", s(&dossier), "--commune", "64100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        texte(&o.stderr).ends_with("erreur : membre inconnu : « 64100 »\n  = attendu : l'identifiant, le nom, le code INSEE ou le SIREN d'un membre\n  = aide : « 64100 » est à la fois le code INSEE de « Bassussarry » (identifiant « bassussarry ») et le code postal de « Bayonne » (identifiant « bayonne ») : indiquez l'identifiant ou le nom du membre voulu\n"),
        "{}",
        texte(&o.stderr)
    );
    let o = mutu(&["pdf", "--racine", s(&dossier), "--commune", "Mauléon"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        texte(&o.stderr).ends_with("  = aide : vouliez-vous dire « Mauléon-Licharre » (identifiant « mauleon-licharre ») ?\n"),
        "{}",
        texte(&o.stderr)
    );
    let o = mutu(&["pdf", "--racine", s(&dossier), "--commune", "bassussarry"]);
    assert_eq!(o.status.code(), Some(0), "{}", texte(&o.stderr));
    assert!(dossier.join("public/extraits/bassussarry.pdf").is_file());
    let _ = std::fs::remove_dir_all(&dossier);
}
