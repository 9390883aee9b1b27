//! `mutu import`: a spreadsheet's figures into the YAML. The preview is
//! exact, writing keeps the files' comments and layout (exact text after),
//! the project still checks clean, and every bad input gets its exact
//! diagnostic at its cell with nothing written. ODS, XLSX and CSV paths;
//! the example workbooks of exemples/import/ on the three territories.

mod outils;

use outils::{copie_dossier, exemple, reussit, stderr, stdout, Temp};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs `mutu` in `dossier` (so that the spreadsheet is named as typed).
fn mutu_dans(dossier: &Path, args: &[&str]) -> Output {
    Command::new(outils::binaire())
        .args(args)
        .current_dir(dossier)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("mutu se lance")
}

fn classeur(nom: &str) -> PathBuf {
    exemple().join("exemples/import").join(nom)
}

fn lire(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

/// A project made by `mutu new t --epci 242900553` (CC du Pays des Abers)
/// in a fresh folder.
fn abers(nom: &str) -> (Temp, PathBuf) {
    let t = Temp::new(nom);
    // Exercice 2024: the example workbook's year (without it, the year follows today's date).
    reussit(&mutu_dans(&t.dir, &["new", "t", "--epci", "242900553", "--exercice", "2024"]));
    let projet = t.join("t");
    (t, projet)
}

fn verifie(projet: &Path) {
    let o = outils::mutu(projet, &["check"]);
    reussit(&o);
    assert!(stdout(&o).contains("vérification terminée : 0 erreur"), "{}", stdout(&o));
}

#[test]
fn pays_des_abers_from_new_to_imported() {
    let (t, projet) = abers("import-abers");
    let ods = classeur("pays-des-abers.ods");
    let ods = ods.to_str().unwrap();
    let service = projet.join("data/services/instruction-ads.yaml");
    let avant = lire(&service);

    let apercu = "\
feuille « Notes » ignorée : sa cellule A1 ne dit pas ce qu'elle contient
data/services/instruction-ads.yaml
  indicateur instruction-ads/dossiers-instruits, bourg-blanc, 2022 : (absente) → 38
  indicateur instruction-ads/dossiers-instruits, bourg-blanc, 2024 : 45 → 47
  indicateur instruction-ads/dossiers-instruits, coat-meal, 2022 : (absente) → 49
  bilan instruction-ads 2024 TTC, recette « Participation de l'État » : (absente) → 1250.50
1 valeur modifiée, 3 ajoutées, 8 inchangées, dans 1 fichier
";
    let o = mutu_dans(&t.dir, &["import", ods, "--racine", "t"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        format!("{apercu}rien n'est écrit : relancez avec --ecrire pour enregistrer ces valeurs\n")
    );
    assert_eq!(lire(&service), avant, "the preview writes nothing");

    let o = mutu_dans(&t.dir, &["importer", ods, "--racine", "t", "--ecrire"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        format!("{apercu}écrit : data/services/instruction-ads.yaml\nvérification après l'import : 0 erreur, 22 avertissements\n")
    );
    let attendu = avant
        .replace(
            "      bourg-blanc: {2023: 41, 2024: 45}\n      coat-meal: {2023: 52, 2024: 55}\n",
            "      bourg-blanc: {2022: 38, 2023: 41, 2024: 47}\n      coat-meal: {2022: 49, 2023: 52, 2024: 55}\n",
        )
        .replace(
            "        montant: 4000\n    note: \"Exemple à remplacer : montants fictifs.\"\n",
            "        montant: 4000\n    note: \"Exemple à remplacer : montants fictifs.\"\n    recettes:\n      - libelle: \"Participation de l'État\"\n        montant: 1250.50\n",
        );
    assert_ne!(attendu, avant);
    assert_eq!(lire(&service), attendu, "only the imported values change; comments and layout stay");
    verifie(&projet);

    // Imported again: nothing left to change.
    let o = mutu_dans(&t.dir, &["import", ods, "--racine", "t", "--ecrire"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        "feuille « Notes » ignorée : sa cellule A1 ne dit pas ce qu'elle contient\n0 valeur modifiée, 0 ajoutée, 12 inchangées, dans 0 fichier\nrien à modifier : le projet a déjà ces valeurs\n"
    );
}

#[test]
fn example_workbook_into_the_example_project() {
    let t = Temp::new("import-exemple");
    let projet = t.join("projet");
    for d in ["data", "content"] {
        copie_dossier(&exemple().join(d), &projet.join(d));
    }
    let cles = projet.join("data/cles.yaml");
    let avant = lire(&cles);
    let xlsx = classeur("landerneau-daoulas.xlsx");
    let o = outils::mutu(&projet, &["import", xlsx.to_str().unwrap(), "--ecrire"]);
    reussit(&o);
    assert!(
        stdout(&o).starts_with(
            "data/cles.yaml\n  clé sc-scp, 2024, capld : (absente) → 30.5\n  clé sc-scp, 2024, landerneau : (absente) → 69.5\n0 valeur modifiée, 2 ajoutées, 12 inchangées, dans 1 fichier\nécrit : data/cles.yaml\n"
        ),
        "{}",
        stdout(&o)
    );
    let attendu = avant.replace(
        "      2023: {capld: 26.40, landerneau: 73.60}  # Landerneau 2023 déduite (100 − 26,40)\n",
        "      2023: {capld: 26.40, landerneau: 73.60}  # Landerneau 2023 déduite (100 − 26,40)\n      2024: {capld: 30.5, landerneau: 69.5}\n",
    );
    assert_ne!(attendu, avant);
    assert_eq!(lire(&cles), attendu);
    verifie(&projet);
}

#[test]
fn example_workbook_into_isle_double_landais() {
    let t = Temp::new("import-isle");
    let projet = t.join("isle");
    copie_dossier(&exemple().join("tests/territoires/isle-double-landais"), &projet);
    let rh = projet.join("data/services/ressources-humaines.yaml");
    let info = projet.join("data/services/appui-informatique.yaml");
    let (rh_avant, info_avant) = (lire(&rh), lire(&info));
    let xlsx = classeur("isle-double-landais.xlsx");
    let o = outils::mutu(&projet, &["import", xlsx.to_str().unwrap(), "--ecrire"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        "\
data/services/ressources-humaines.yaml
  indicateur ressources-humaines/bulletins, ccidl, 2025 : 640 → 645
data/services/appui-informatique.yaml
  indicateur appui-informatique/jours-factures, ensemble, 2025 : 19 → 19.5
2 valeurs modifiées, 0 ajoutée, 7 inchangées, dans 2 fichiers
écrit : data/services/ressources-humaines.yaml
écrit : data/services/appui-informatique.yaml
vérification après l'import : 0 erreur, 1 avertissement
"
    );
    assert_eq!(lire(&rh), rh_avant.replace("ccidl: {2024: 612, 2025: 640}", "ccidl: {2024: 612, 2025: 645}"));
    assert_eq!(lire(&info), info_avant.replace("      2025: 19\n", "      2025: 19.5\n"));
    verifie(&projet);
}

#[test]
fn csv_populations_french_notation_bom_and_windows_1252() {
    let (t, projet) = abers("import-csv");
    let territoire = projet.join("data/territoire.yaml");
    let avant = lire(&territoire);
    // UTF-8 with BOM, `;` separator, French notation.
    std::fs::write(
        t.join("populations.csv"),
        "\u{feff}populations: municipale;2025;2026\nBourg-Blanc;3544;\"3 601\"\nCOAT MEAL;;1140\n212900476;1911;\n",
    )
    .unwrap();
    let o = mutu_dans(&t.dir, &["import", "populations.csv", "--racine", "t", "--ecrire"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        "\
data/territoire.yaml
  population municipale 2026, bourg-blanc : (absente) → 3601
  population municipale 2026, coat-meal : (absente) → 1140
0 valeur modifiée, 2 ajoutées, 2 inchangées, dans 1 fichier
écrit : data/territoire.yaml
vérification après l'import : 0 erreur, 22 avertissements
"
    );
    let source = "        source: \"INSEE, population municipale (populations légales en vigueur au 1er janvier 2025, millésime 2022), via le paquet npm @etalab/decoupage-administratif 6.0.0 (Licence Ouverte)\"\n";
    let attendu = avant
        .replacen(
            &format!("municipale: 3544\n{source}"),
            &format!("municipale: 3544\n{source}      2026:\n        municipale: 3601\n"),
            1,
        )
        .replacen(
            &format!("municipale: 1135\n{source}"),
            &format!("municipale: 1135\n{source}      2026:\n        municipale: 1140\n"),
            1,
        );
    assert_ne!(attendu, avant);
    assert_eq!(lire(&territoire), attendu);
    verifie(&projet);

    // Windows-1252 (Excel on a French Windows), `,` separator.
    std::fs::write(t.join("ansi.csv"), b"populations: municipale,2026\nCoat-M\xe9al,1141\n").unwrap();
    let o = mutu_dans(&t.dir, &["import", "ansi.csv", "--racine", "t"]);
    reussit(&o);
    assert!(
        stdout(&o).starts_with("data/territoire.yaml\n  population municipale 2026, coat-meal : 1140 → 1141\n"),
        "{}",
        stdout(&o)
    );
}

/// Runs an import that must fail: exit 1, the exact diagnostics, nothing
/// written.
fn refuse(projet_parent: &Path, fichier: &str, contenu: &[u8], attendu: &str) {
    let projet = projet_parent.join("t");
    let avant = outils::fichiers(&projet.join("data"));
    std::fs::write(projet_parent.join(fichier), contenu).unwrap();
    let o = mutu_dans(projet_parent, &["import", fichier, "--racine", "t", "--ecrire"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), attendu);
    assert_eq!(stdout(&o), "");
    assert_eq!(outils::fichiers(&projet.join("data")), avant, "nothing written");
}

#[test]
fn bad_inputs_are_reported_at_their_cell() {
    let (t, _projet) = abers("import-erreurs");
    refuse(
        &t.dir,
        "erreurs.csv",
        "clé: ads-communes;2024;2025\nBourg-Blan;12;13\n29860;1;2\nCoat-Méal;1.234;douze\n".as_bytes(),
        "\
erreur[membre-inconnu] : membre inconnu : « Bourg-Blan »
  --> erreurs.csv!A2
  = attendu : l'identifiant, le nom, le code INSEE ou le SIREN de l'EPCI, d'un membre ou d'un partenaire
  = aide : vouliez-vous dire « Bourg-Blanc » (identifiant « bourg-blanc ») ?

erreur[membre-inconnu] : membre inconnu : « 29860 »
  --> erreurs.csv!A3
  = attendu : l'identifiant, le nom, le code INSEE ou le SIREN de l'EPCI, d'un membre ou d'un partenaire
  = aide : « 29860 » ressemble à un code postal : indiquez le code INSEE (code officiel géographique), l'identifiant ou le nom du membre

erreur[nombre-ambigu] : nombre ambigu : « 1.234 » se lit 1234 (point des milliers) ou 1,234 (point décimal)
  --> erreurs.csv!B4
  = attendu : 1234 ou \"1 234\" pour 1234 ; \"1,234\" pour 1,234
  = aide : un point suivi de trois chiffres sépare les milliers en français mais marque les décimales en YAML : mutu ne devine pas, écrivez le nombre sans point

erreur[nombre-invalide] : nombre illisible : « douze »
  --> erreurs.csv!C4
  = attendu : un nombre, par exemple 14.2 ou \"14,2\"
  = aide : écrivez le nombre sans unité

import impossible : 4 erreurs ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "cle.csv",
        b"cl\xc3\xa9: ads-comunes;2024\nbourg-blanc;1\n",
        "\
erreur[cle-inconnue] : clé de répartition inconnue : « ads-comunes »
  --> cle.csv!A1
  = attendu : l'identifiant d'une clé de data/cles.yaml
  = aide : vouliez-vous dire « ads-communes » ?

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "bilan.csv",
        "bilan: instruction-adss;2024;ttc\ndépense;Logiciel;1\n".as_bytes(),
        "\
erreur[service-inconnu] : service inconnu : « instruction-adss »
  --> bilan.csv!A1
  = attendu : « bilan: <service> », avec l'identifiant d'un service de data/services/
  = aide : vouliez-vous dire « instruction-ads » ?

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "vide.csv",
        "clé: ads-communes;2024\n".as_bytes(),
        "\
erreur[feuille-vide] : la feuille « clé: ads-communes » ne contient aucune valeur
  --> vide.csv!A1
  = attendu : sous la ligne 1, une ligne par organisme (ou par ligne de bilan)

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "tableau.txt",
        b"x",
        "\
erreur[type-de-fichier] : type de fichier non pris en charge : « tableau.txt »
  --> tableau.txt
  = attendu : un classeur .ods ou .xlsx, ou un fichier .csv
  = aide : enregistrez le tableau au format ODS, XLSX ou CSV depuis votre tableur (« Enregistrer sous… »)

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "faux.xlsx",
        b"pas un classeur",
        "\
erreur[fichier-illisible] : impossible de lire « faux.xlsx » : ce n'est pas un classeur XLSX lisible (fichier abîmé, ou d'un autre format)
  --> faux.xlsx
  = aide : vérifiez que le fichier existe et qu'il s'ouvre dans votre tableur

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "double.csv",
        "clé: ads-communes;2024;2024\nbourg-blanc;1;2\n".as_bytes(),
        "\
erreur[annee-en-double] : l'année 2024 a déjà sa colonne
  --> double.csv!C1
  = attendu : une colonne par année

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    refuse(
        &t.dir,
        "sans-objet.csv",
        b"Commune;2024\nbourg-blanc;1\n",
        "\
erreur[feuille-sans-objet] : la cellule A1 ne dit pas ce que contient le tableau : « Commune »
  --> sans-objet.csv!A1
  = attendu : « clé: <identifiant> », « indicateur: <service>/<indicateur> », « populations: municipale » (ou dgf, totale) ou « bilan: <service> »
  = aide : la référence « mutu aide format », section « Import de tableaux », décrit chaque disposition

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
}

#[test]
fn a_value_the_checks_refuse_is_undone() {
    let (t, projet) = abers("import-annule");
    let avant = outils::fichiers(&projet.join("data"));
    // A bilan after the report's year (2024): the check refuses it.
    std::fs::write(t.join("bilan.csv"), "bilan: instruction-ads;2025;ttc\ndépense;Logiciel;\"4 100,50\"\n").unwrap();
    let o = mutu_dans(&t.dir, &["import", "bilan.csv", "--racine", "t", "--ecrire"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("bilan instruction-ads 2025 TTC, dépense « Logiciel » : (absente) → 4100.50\n"),
        "{}",
        stdout(&o)
    );
    assert!(stderr(&o).contains("erreur[annee-future]"), "{}", stderr(&o));
    assert!(
        stderr(&o).ends_with(
            "import annulé : avec ces valeurs, le projet ne passe plus la vérification (1 erreur, 22 avertissements) ; aucun fichier n'a été modifié\n"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(outils::fichiers(&projet.join("data")), avant);
}
