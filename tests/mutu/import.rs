//! `mutu import`: a spreadsheet's figures into the YAML. The preview is
//! exact, writing keeps the files' comments and layout (exact text after),
//! the project still checks clean, and every bad input gets its exact
//! diagnostic at its cell with nothing written. ODS, XLSX and CSV paths;
//! the example workbooks of exemples/import/ on the three territories.

use crate::outils;

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
erreur[cle-repartition-inconnue] : clé de répartition inconnue : « ads-comunes »
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
erreur[classeur-illisible] : impossible de lire « faux.xlsx » : ce n'est pas un classeur XLSX lisible (fichier abîmé, ou d'un autre format)
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

// ---------------------------------------------------------------------------
// Hostile and careless inputs (issue 22): workbooks built here, byte by byte.

/// A zip of `parties` (name, content), deflated.
fn zip(parties: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (nom, contenu) in parties {
        let methode = if *nom == "mimetype" {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        w.start_file(*nom, zip::write::SimpleFileOptions::default().compression_method(methode))
            .unwrap();
        w.write_all(contenu).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// An XLSX of `feuilles`: (name, state — `visible`, `hidden`, `veryHidden` —,
/// the `<sheetData>` children), and `partages` as shared strings.
fn xlsx(feuilles: &[(&str, &str, String)], partages: Option<String>) -> Vec<u8> {
    let mut types = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>");
    let mut classeur = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>");
    let mut liens =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    let mut parties = Vec::new();
    for (i, (nom, etat, donnees)) in feuilles.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        let etat = if *etat == "visible" { String::new() } else { format!(" state=\"{etat}\"") };
        classeur.push_str(&format!("<sheet name=\"{nom}\" sheetId=\"{n}\"{etat} r:id=\"rId{n}\"/>"));
        liens.push_str(&format!("<Relationship Id=\"rId{n}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"));
        parties.push((
            format!("xl/worksheets/sheet{n}.xml"),
            // Data starting with a <dimension> is the whole worksheet.
            if donnees.starts_with("<dimension") {
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{donnees}</worksheet>")
            } else {
                format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>{donnees}</sheetData></worksheet>")
            }
            .into_bytes(),
        ));
    }
    if let Some(p) = partages {
        liens.push_str("<Relationship Id=\"rId999\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>");
        parties.push((
            "xl/sharedStrings.xml".into(),
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">{p}</sst>")
                .into_bytes(),
        ));
    }
    types.push_str("</Types>");
    classeur.push_str("</sheets></workbook>");
    liens.push_str("</Relationships>");
    let mut toutes: Vec<(String, Vec<u8>)> = vec![
        ("[Content_Types].xml".into(), types.into_bytes()),
        ("_rels/.rels".into(), b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>".to_vec()),
        ("xl/workbook.xml".into(), classeur.into_bytes()),
        ("xl/_rels/workbook.xml.rels".into(), liens.into_bytes()),
    ];
    toutes.extend(parties);
    let refs: Vec<(&str, Vec<u8>)> = toutes.iter().map(|(n, c)| (n.as_str(), c.clone())).collect();
    zip(&refs)
}

/// An inline text cell and a number cell.
fn txt(r: &str, s: &str) -> String {
    format!("<c r=\"{r}\" t=\"inlineStr\"><is><t>{s}</t></is></c>")
}
fn num(r: &str, v: &str) -> String {
    format!("<c r=\"{r}\"><v>{v}</v></c>")
}

/// An ODS whose `content.xml` holds `tables` (name, rows as XML).
fn ods(tables: &[(&str, String)]) -> Vec<u8> {
    let mut c = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\"><office:body><office:spreadsheet>");
    for (nom, lignes) in tables {
        c.push_str(&format!("<table:table table:name=\"{nom}\">{lignes}</table:table>"));
    }
    c.push_str("</office:spreadsheet></office:body></office:document-content>");
    zip(&[
        ("mimetype", b"application/vnd.oasis.opendocument.spreadsheet".to_vec()),
        ("META-INF/manifest.xml", b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" manifest:version=\"1.2\"><manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.spreadsheet\"/><manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/></manifest:manifest>".to_vec()),
        ("content.xml", c.into_bytes()),
    ])
}

fn ods_texte(s: &str) -> String {
    format!("<table:table-cell office:value-type=\"string\"><text:p>{s}</text:p></table:table-cell>")
}
fn ods_nombre(v: u32) -> String {
    format!("<table:table-cell office:value-type=\"float\" office:value=\"{v}\"><text:p>{v}</text:p></table:table-cell>")
}

/// The diagnostic of a file over a limit, then the closing line.
fn trop_grand(fichier: &str, message: &str, attendu: &str) -> String {
    format!(
        "erreur[import-trop-grand] : {message}\n  --> {fichier}\n  = attendu : {attendu}\n  = aide : mutu importe des tableaux de saisie : découpez le classeur, ou retirez-en les feuilles et les lignes qui ne concernent pas le projet\n\nimport impossible : 1 erreur ; aucun fichier n'a été modifié\n"
    )
}

fn reference_invalide(fichier: &str, r: &str, partie: &str) -> String {
    format!(
        "erreur[reference-invalide] : référence de cellule hors du tableur : « {r} » (dans {partie})\n  --> {fichier}\n  = attendu : des cellules entre A1 et XFD1048576 (les limites d'un tableur)\n  = aide : le fichier n'a pas été écrit par un tableur, ou il est abîmé : rouvrez-le dans votre tableur et enregistrez-le à nouveau\n\nimport impossible : 1 erreur ; aucun fichier n'a été modifié\n"
    )
}

#[test]
fn far_cell_references_are_refused_before_any_sheet_is_read() {
    let (t, _projet) = abers("import-references");
    // calamine alone allocated 549 GB for these 1.5 KB (SIGABRT).
    let loin = xlsx(
        &[(
            "Clé",
            "visible",
            format!(
                "<row r=\"1\">{}</row><row r=\"1048576\">{}</row>",
                txt("A1", "clé: ads-communes"),
                num("XFD1048576", "1")
            ),
        )],
        None,
    );
    refuse(
        &t.dir,
        "loin.xlsx",
        &loin,
        &trop_grand(
            "loin.xlsx",
            "feuille trop grande (xl/worksheets/sheet1.xml) : ses cellules vont jusqu'à la ligne 1\u{202f}048\u{202f}576 et la colonne XFD, soit 17\u{202f}179\u{202f}869\u{202f}184 cellules depuis A1",
            "au plus 100\u{202f}000 cellules par feuille, de A1 à la dernière cellule remplie (limite de mutu import)",
        ),
    );
    // 700 MB before: A1 and J1048576.
    let colonne_j = xlsx(
        &[(
            "Clé",
            "visible",
            format!(
                "<row r=\"1\">{}</row><row r=\"1048576\">{}</row>",
                txt("A1", "clé: ads-communes"),
                num("J1048576", "1")
            ),
        )],
        None,
    );
    refuse(
        &t.dir,
        "j.xlsx",
        &colonne_j,
        &trop_grand(
            "j.xlsx",
            "feuille trop grande (xl/worksheets/sheet1.xml) : ses cellules vont jusqu'à la ligne 1\u{202f}048\u{202f}576 et la colonne J, soit 10\u{202f}485\u{202f}760 cellules depuis A1",
            "au plus 100\u{202f}000 cellules par feuille, de A1 à la dernière cellule remplie (limite de mutu import)",
        ),
    );
    // Beyond the spreadsheet: never wrapped to a cell near A1.
    for r in ["A4294967297", "ZZZZZZZZ2", "XFE1", "A1048577"] {
        let f = xlsx(
            &[("Clé", "visible", format!("<row>{}{}</row>", txt("A1", "clé: ads-communes"), num(r, "1")))],
            None,
        );
        refuse(&t.dir, "hors.xlsx", &f, &reference_invalide("hors.xlsx", r, "xl/worksheets/sheet1.xml"));
    }
    // The declared dimension alone.
    let dimension = xlsx(
        &[(
            "Clé",
            "visible",
            format!(
                "<dimension ref=\"A1:XFD1048576\"/><sheetData><row>{}</row></sheetData>",
                txt("A1", "clé: ads-communes")
            ),
        )],
        None,
    );
    refuse(
        &t.dir,
        "dimension.xlsx",
        &dimension,
        &trop_grand(
            "dimension.xlsx",
            "feuille trop grande (xl/worksheets/sheet1.xml) : ses cellules vont jusqu'à la ligne 1\u{202f}048\u{202f}576 et la colonne XFD, soit 17\u{202f}179\u{202f}869\u{202f}184 cellules depuis A1",
            "au plus 100\u{202f}000 cellules par feuille, de A1 à la dernière cellule remplie (limite de mutu import)",
        ),
    );
}

#[test]
fn a_workbook_that_inflates_past_the_limit_is_refused() {
    let (t, _projet) = abers("import-bombe");
    // 409 KB that inflated to 400 MB of shared strings took 1.24 GB.
    let chaine = format!("<si><t>{}</t></si>", "a".repeat(1000));
    let partages = chaine.repeat(51_000);
    let bombe = xlsx(&[("Clé", "visible", format!("<row>{}</row>", txt("A1", "clé: ads-communes")))], Some(partages));
    assert!(bombe.len() < 1_000_000, "{}", bombe.len());
    refuse(
        &t.dir,
        "bombe.xlsx",
        &bombe,
        &trop_grand(
            "bombe.xlsx",
            "classeur trop volumineux une fois décompressé (partie xl/sharedStrings.xml)",
            "un classeur dont le contenu décompressé ne dépasse pas 50\u{a0}Mo (limite de mutu import)",
        ),
    );
}

#[test]
fn ods_repeated_rows_are_bounded_and_trailing_empty_ones_free() {
    let (t, projet) = abers("import-ods-repete");
    // 1.4 KB: 100,000 repeated rows of 100 filled columns took 950 MB.
    let lignes = format!(
        "<table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated=\"100000\">{}<table:table-cell table:number-columns-repeated=\"99\" office:value-type=\"float\" office:value=\"1\"/></table:table-row>",
        ods_texte("clé: ads-communes"),
        ods_nombre(2024),
        ods_texte("bourg-blanc")
    );
    refuse(
        &t.dir,
        "repete.ods",
        &ods(&[("Clé", lignes)]),
        &trop_grand(
            "repete.ods",
            "feuille trop grande (content.xml) : ses cellules vont jusqu'à la ligne 100\u{202f}001 et la colonne CV, soit 10\u{202f}000\u{202f}100 cellules depuis A1",
            "au plus 100\u{202f}000 cellules par feuille, de A1 à la dernière cellule remplie (limite de mutu import)",
        ),
    );
    // What LibreOffice writes after the last row: a million empty ones.
    let lignes = format!(
        "<table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row><table:table-row table:number-rows-repeated=\"1048574\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>",
        ods_texte("clé: ads-communes"),
        ods_nombre(2024),
        ods_texte("bourg-blanc"),
        ods_nombre(7)
    );
    std::fs::write(t.join("libre.ods"), ods(&[("Clé", lignes)])).unwrap();
    let o = mutu_dans(&t.dir, &["import", "libre.ods", "--racine", "t"]);
    reussit(&o);
    assert!(stdout(&o).contains("clé ads-communes, 2024, bourg-blanc : "), "{}", stdout(&o));
    let _ = projet;
}

#[test]
fn csv_limits_and_the_hundred_first_diagnostics() {
    let (t, _projet) = abers("import-csv-bornes");
    // 20 MB took 22 s, 985 MB and 200 MB of diagnostics.
    let mut gros = b"cl\xc3\xa9: ads-communes;2024\n".to_vec();
    gros.resize(20_000_001, b'x');
    refuse(
        &t.dir,
        "gros.csv",
        &gros,
        &trop_grand(
            "gros.csv",
            "fichier trop volumineux : « gros.csv » pèse 20\u{202f}000\u{202f}001 octets",
            "un fichier d'au plus 20\u{a0}Mo (limite de mutu import)",
        ),
    );
    let large = format!("clé: ads-communes;2024\n{}\n", ";".repeat(100_000));
    refuse(
        &t.dir,
        "large.csv",
        large.as_bytes(),
        &trop_grand(
            "large.csv",
            "feuille trop grande (CSV) : ses cellules vont jusqu'à la ligne 2 et la colonne EQXE, soit 200\u{202f}002 cellules depuis A1",
            "au plus 100\u{202f}000 cellules par feuille, de A1 à la dernière cellule remplie (limite de mutu import)",
        ),
    );
    // 150 bad figures: the first 100, then how many more.
    let annees: Vec<String> = (1990..2020).map(|a| a.to_string()).collect();
    let mut mauvais = format!("clé: ads-communes;{}\n", annees.join(";"));
    for membre in ["bourg-blanc", "coat-meal", "kersaint-plabennec", "lannilis", "landeda"] {
        mauvais.push_str(&format!("{membre};{}\n", vec!["douze"; 30].join(";")));
    }
    let attendu_fin = "… et 50 autres erreurs (seules les 100 premières sont affichées)\nimport impossible : 150 erreurs ; aucun fichier n'a été modifié\n";
    std::fs::write(t.join("mauvais.csv"), mauvais).unwrap();
    let o = mutu_dans(&t.dir, &["import", "mauvais.csv", "--racine", "t"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.matches("erreur[").count(), 100, "{e}");
    assert!(e.ends_with(attendu_fin), "{e}");
}

#[test]
fn a_closed_pipe_ends_the_preview_quietly() {
    let (t, _projet) = abers("import-tube");
    std::fs::write(t.join("p.csv"), "populations: municipale;2026\nBourg-Blanc;3601\nCoat-Méal;1140\n").unwrap();
    let mut enfant = Command::new(outils::binaire())
        .args(["import", "p.csv", "--racine", "t"])
        .current_dir(&t.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // `| head -0`: the reader is gone before mutu writes.
    drop(enfant.stdout.take());
    let o = enfant.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
}

#[test]
fn new_lines_of_an_existing_bilan_keep_the_spreadsheet_order_and_one_line_labels() {
    let (t, projet) = abers("import-ordre");
    let service = projet.join("data/services/instruction-ads.yaml");
    std::fs::write(
        t.join("bilan.csv"),
        "bilan: instruction-ads;2024;ttc\nrecette;\"Premier\rposte\";1\nrecette;\"Deuxième\r\nposte\";2\nrecette;Troisième\tposte;3\n",
    )
    .unwrap();
    let o = mutu_dans(&t.dir, &["import", "bilan.csv", "--racine", "t", "--ecrire"]);
    reussit(&o);
    let texte = lire(&service);
    let p = |s: &str| texte.find(s).unwrap_or_else(|| panic!("{s} absent :\n{texte}"));
    assert!(p("libelle: \"Premier poste\"") < p("libelle: \"Deuxième poste\""));
    assert!(p("libelle: \"Deuxième poste\"") < p("libelle: \"Troisième poste\""));
    assert!(!texte.contains('\r'), "no carriage return written");
    verifie(&projet);
    // Another control character is refused at its cell.
    refuse(
        &t.dir,
        "controle.csv",
        "bilan: instruction-ads;2024;ttc\ndépense;Poste\u{7}sonore;1\n".as_bytes(),
        "\
erreur[libelle-invalide] : l'intitulé contient un caractère de contrôle (U+0007) : « Poste␇sonore »
  --> controle.csv!B2
  = attendu : un intitulé fait de texte
  = aide : retapez l'intitulé dans la cellule : il vient sans doute d'un copier-coller

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
}

#[test]
fn escape_sequences_in_cells_are_shown_not_obeyed() {
    let (t, _projet) = abers("import-echappement");
    // ESC[8m hid what followed it on the terminal.
    std::fs::write(t.join("esc.csv"), "clé: ads-communes;2024\n\u{1b}[8mBourg-Blanc;1\n").unwrap();
    let o = mutu_dans(&t.dir, &["import", "esc.csv", "--racine", "t"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("erreur[membre-inconnu] : membre inconnu : « ␛[8mBourg-Blanc »\n  --> esc.csv!A2\n"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains('\u{1b}'));
    // A sheet name in the preview.
    let f = xlsx(
        &[
            (
                "Clé",
                "visible",
                format!(
                    "<row>{}{}</row><row>{}{}</row>",
                    txt("A1", "clé: ads-communes"),
                    num("B1", "2024"),
                    txt("A2", "bourg-blanc"),
                    num("B2", "3")
                ),
            ),
            ("Notes&#x1b;[2J", "visible", format!("<row>{}</row>", txt("A1", "une note"))),
        ],
        None,
    );
    std::fs::write(t.join("esc.xlsx"), f).unwrap();
    let o = mutu_dans(&t.dir, &["import", "esc.xlsx", "--racine", "t"]);
    reussit(&o);
    assert!(stdout(&o).starts_with("feuille « Notes␛[2J » ignorée"), "{}", stdout(&o));
    assert!(!stdout(&o).contains('\u{1b}'));
}

#[test]
fn duplicate_and_hidden_sheets_are_reported() {
    let (t, projet) = abers("import-feuilles");
    let grille = |v: &str| {
        format!(
            "<row>{}{}</row><row>{}{}</row>",
            txt("A1", "clé: ads-communes"),
            num("B1", "2024"),
            txt("A2", "bourg-blanc"),
            num("B2", v)
        )
    };
    refuse(
        &t.dir,
        "double.xlsx",
        &xlsx(&[("Clé", "visible", grille("1")), ("CLÉ", "visible", grille("2"))], None),
        "\
erreur[feuille-en-double] : deux feuilles s'appellent « CLÉ »
  --> double.xlsx
  = attendu : un nom différent pour chaque feuille
  = aide : renommez l'une des deux feuilles dans votre tableur, puis enregistrez le classeur à nouveau

import impossible : 1 erreur ; aucun fichier n'a été modifié
",
    );
    let avant = lire(&projet.join("data/cles.yaml"));
    let f = xlsx(
        &[
            ("Visible", "visible", grille("4")),
            ("Masquée", "hidden", format!("<row>{}</row>", txt("A1", "populations: municipale"))),
            (
                "Très masquée",
                "veryHidden",
                format!(
                    "<row>{}{}</row><row>{}{}</row>",
                    txt("A1", "populations: municipale"),
                    num("B1", "2026"),
                    txt("A2", "bourg-blanc"),
                    num("B2", "1")
                ),
            ),
        ],
        None,
    );
    std::fs::write(t.join("masque.xlsx"), f).unwrap();
    let o = mutu_dans(&t.dir, &["import", "masque.xlsx", "--racine", "t"]);
    reussit(&o);
    let s = stdout(&o);
    assert!(
        s.starts_with(
            "feuille « Masquée » ignorée : elle est masquée dans le classeur (une feuille masquée n'est jamais importée)\nfeuille « Très masquée » ignorée : elle est masquée dans le classeur (une feuille masquée n'est jamais importée)\n"
        ),
        "{s}"
    );
    assert!(!s.contains("population"), "{s}");
    assert_eq!(lire(&projet.join("data/cles.yaml")), avant);
}

#[cfg(unix)]
#[test]
fn a_linked_data_file_stays_a_link_and_keeps_its_mode() {
    use std::os::unix::fs::PermissionsExt;
    let (t, projet) = abers("import-lien");
    // Inside the project: mutu reads nothing outside it.
    let ailleurs = projet.join("partage");
    std::fs::create_dir_all(&ailleurs).unwrap();
    let lien = projet.join("data/territoire.yaml");
    let cible = ailleurs.join("territoire.yaml");
    std::fs::rename(&lien, &cible).unwrap();
    std::fs::set_permissions(&cible, std::fs::Permissions::from_mode(0o600)).unwrap();
    std::os::unix::fs::symlink(&cible, &lien).unwrap();
    std::fs::write(t.join("p.csv"), "populations: municipale;2026\nBourg-Blanc;3601\n").unwrap();
    let o = mutu_dans(&t.dir, &["import", "p.csv", "--racine", "t", "--ecrire"]);
    reussit(&o);
    assert!(std::fs::symlink_metadata(&lien).unwrap().file_type().is_symlink(), "still a link");
    assert!(lire(&cible).contains("3601"), "written through the link");
    assert_eq!(std::fs::metadata(&cible).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn an_interrupted_write_is_finished_by_the_next_command() {
    let (t, projet) = abers("import-journal");
    let _ = t;
    let territoire = projet.join("data/territoire.yaml");
    let avant = lire(&territoire);
    let apres = avant.replacen("nom: ", "nom:  ", 1);
    assert_ne!(avant, apres);
    // As an import killed after its journal and before its files.
    let journal = serde_json::json!({"fichiers": [{"chemin": "data/territoire.yaml", "avant": avant, "apres": apres}]});
    std::fs::write(projet.join(".mutu-import.journal"), journal.to_string()).unwrap();
    let o = outils::mutu(&projet, &["check"]);
    reussit(&o);
    assert!(
        stderr(&o).starts_with("import interrompu terminé : 1 fichier écrit sur 1 (.mutu-import.journal)\n"),
        "{}",
        stderr(&o)
    );
    assert_eq!(lire(&territoire), apres);
    assert!(!projet.join(".mutu-import.journal").exists());
}

#[test]
fn a_second_writer_waits_for_the_first() {
    use std::io::BufRead;
    let (t, projet) = abers("import-verrou");
    let territoire = projet.join("data/territoire.yaml");
    let avant = lire(&territoire);
    std::fs::write(t.join("p.csv"), "populations: municipale;2026\nBourg-Blanc;3601\n").unwrap();
    // This test holds the project's lock, as another import would.
    let verrou = mutu_import::ecriture::verrou(&projet, || panic!("libre")).unwrap();
    let mut enfant = Command::new(outils::binaire())
        .args(["import", "p.csv", "--racine", "t", "--ecrire"])
        .current_dir(&t.dir)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut erreurs = std::io::BufReader::new(enfant.stderr.take().unwrap());
    let mut ligne = String::new();
    erreurs.read_line(&mut ligne).unwrap();
    assert_eq!(ligne, "un autre import ou une construction utilise ce projet : attente de sa fin…\n");
    assert_eq!(lire(&territoire), avant, "nothing written while it waits");
    drop(verrou);
    let o = enfant.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(lire(&territoire).contains("3601"));
}

#[test]
fn an_import_that_fixes_the_project_is_written() {
    let (t, projet) = abers("import-corrige");
    let territoire = projet.join("data/territoire.yaml");
    // Both beneficiaries of ads-communes at 0: the project has an error
    // (base-nulle), which the workbook fixes.
    let zero = lire(&territoire)
        .replace("municipale: 3544", "municipale: 0")
        .replace("municipale: 1135", "municipale: 0");
    std::fs::write(&territoire, &zero).unwrap();
    let o = outils::mutu(&projet, &["check"]);
    assert!(stderr(&o).contains("erreur[base-nulle]") || stdout(&o).contains("erreur[base-nulle]"));
    std::fs::write(t.join("p.csv"), "populations: municipale;2025\nBourg-Blanc;3544\nCoat-Méal;1135\n").unwrap();
    let o = mutu_dans(&t.dir, &["import", "p.csv", "--racine", "t", "--ecrire"]);
    reussit(&o);
    // 22 warnings: the 21 template markers of `mutu new` (modele-non-remplace) and its placeholder.
    assert!(
        stdout(&o).ends_with("écrit : data/territoire.yaml\nvérification après l'import : 0 erreur, 22 avertissements\n"),
        "{}",
        stdout(&o)
    );
    verifie(&projet);
    // One that adds an error to a project that has one is not.
    std::fs::write(&territoire, &zero).unwrap();
    let avant = outils::fichiers(&projet.join("data"));
    std::fs::write(t.join("bilan.csv"), "bilan: instruction-ads;2025;ttc\ndépense;Logiciel;1\n").unwrap();
    let o = mutu_dans(&t.dir, &["import", "bilan.csv", "--racine", "t", "--ecrire"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("import annulé : avec ces valeurs, le projet aurait plus d'erreurs qu'aujourd'hui ("),
        "{}",
        stderr(&o)
    );
    assert_eq!(outils::fichiers(&projet.join("data")), avant);
}
