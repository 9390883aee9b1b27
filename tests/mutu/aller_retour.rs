//! Round trip of the open-data workbooks: the ODS and XLSX files a build
//! writes, read back by `mutu import`'s reader (calamine, as a user's file
//! is read), give every figure of every table again, cell for cell, as the
//! CSV of that table holds it — on the example (CAPLD) and on the territory
//! written from scratch (CC Isle Double Landais).
//!
//! A percentage is stored as its fraction (`64.29` in the CSV, `0.6429` in
//! the workbook, shown « 64,29 % »); a spreadsheet keeps 15 to 17
//! significant digits, so a share computed to 28 digits comes back as the
//! nearest double, the only figures compared at that precision.
//!
//! Run: `cargo test --release --test aller_retour`

use crate::outils;

use mutu_data::{self as data, classeur};
use mutu_import::tableur::{self, Cellule};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::path::Path;

/// The CSV cells of a table file: `;`-separated, BOM and CRLF as written.
fn csv(octets: &[u8]) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(octets.strip_prefix(b"\xef\xbb\xbf").unwrap_or(octets));
    r.records().map(|l| l.unwrap().iter().map(str::to_string).collect()).collect()
}

/// Whether the workbook's number `d` is the CSV's figure `s`: the same
/// decimal, or its fraction for a percentage; at double precision when the
/// figure has more digits than a spreadsheet keeps.
fn meme_nombre(d: Decimal, s: &str) -> bool {
    // The CSV writes a decimal comma (`48000,00`), as a French spreadsheet reads it.
    let Ok(attendu) = s.replace(',', ".").parse::<Decimal>() else { return false };
    let precis = |x: Decimal| x.normalize().mantissa().unsigned_abs().to_string().len() <= 15;
    [attendu, attendu / Decimal::from(100)].into_iter().any(|a| {
        if precis(a) {
            d.normalize() == a.normalize()
        } else {
            // Both parsed as a spreadsheet does: to the nearest double.
            d.to_string().parse::<f64>().ok() == a.to_string().parse::<f64>().ok()
        }
    })
}

/// Reads back both workbooks of the project at `racine`; returns how many
/// figures were compared in each.
fn aller_retour(racine: &Path, nom: &str) -> Vec<usize> {
    let run = mutu_compute::pipeline::run(racine);
    let modele = run.publishable().expect("le projet a des erreurs");
    let doc = mutu_present::document(modele, &mutu_present::Options { pdf: true, extraits: false });
    let fichiers: std::collections::BTreeMap<String, Vec<u8>> = data::render(&doc).into_iter().map(|f| (f.chemin, f.contenu)).collect();
    let feuilles = classeur::tableaux_par_feuille(&doc);
    // Every table is in one sheet, once.
    let mut vus = BTreeSet::new();
    let tables: Vec<String> = data::tableaux(&doc).map(|t| t.id.clone()).filter(|id| vus.insert(id.clone())).collect();
    let places: Vec<String> = feuilles.iter().flat_map(|(_, ids)| ids.clone()).collect();
    let mut tries = tables.clone();
    tries.sort();
    let mut places = places;
    places.sort();
    assert_eq!(places, tries, "chaque tableau dans une feuille, une fois");
    let page_de = |id: &str| {
        doc.pages
            .iter()
            .find(|p| p.blocs.iter().any(|b| matches!(b, mutu_present::Bloc::Tableau(t) if t.id == id)))
            .map(|p| p.titre.clone())
            .unwrap()
    };
    let t = outils::Temp::new(&format!("aller-retour-{nom}"));
    let mut comptes = Vec::new();
    for ext in ["ods", "xlsx"] {
        let chemin = t.join(&format!("classeur.{ext}"));
        std::fs::write(&chemin, &fichiers[&doc.chemin_classeur(ext)]).unwrap();
        let classeur = tableur::lire(&chemin, &format!("classeur.{ext}")).unwrap_or_else(|d| panic!("{ext} illisible : {}", d.message));
        assert_eq!(classeur.feuilles[0].nom.as_deref(), Some("Sommaire"));
        assert_eq!(
            classeur.feuilles.len(),
            feuilles.len() + 1,
            "{ext} : une feuille par tableau (ou genre de tableau) après le sommaire"
        );
        // Gathered exactly when one sheet per table would be too many.
        assert_eq!(feuilles.iter().any(|(l, _)| *l), tables.len() + 1 > classeur::FEUILLES_MAX, "{ext}");
        let mut chiffres = 0;
        for (feuille, (long, ids)) in classeur.feuilles[1..].iter().zip(&feuilles) {
            // The sheet's rows as the CSVs hold them: one table's, or for a
            // gathered sheet the header once then every table's rows, each
            // after two cells (member, code).
            let decalage = if *long { 2 } else { 0 };
            let mut attendu: Vec<(&str, Vec<String>)> = Vec::new();
            for (k, id) in ids.iter().enumerate() {
                let lignes = csv(&fichiers[&format!("donnees/{id}.csv")]);
                attendu.extend(lignes.into_iter().enumerate().filter(|(i, _)| k == 0 || *i > 0).map(|(_, l)| (id.as_str(), l)));
            }
            assert_eq!(feuille.lignes.len(), attendu.len(), "{ext} {ids:?} : autant de lignes que les CSV");
            for (i, (id, ligne)) in attendu.iter().enumerate() {
                if *long {
                    let membre = if i == 0 { "Membre".to_string() } else { page_de(id) };
                    assert_eq!(feuille.cellule(i, 0), &Cellule::Texte(membre), "{ext} {id} ligne {}", i + 1);
                }
                for (j, s) in ligne.iter().enumerate() {
                    let lieu = format!("{ext} {id} {}{}", mutu_base::format::colonne_tableur(j + decalage), i + 1);
                    match feuille.cellule(i, j + decalage) {
                        Cellule::Nombre(d) => {
                            chiffres += 1;
                            assert!(meme_nombre(*d, s), "{lieu} : {d} lu, {s} dans le CSV");
                        }
                        // The CSV guards a text a spreadsheet would run as a
                        // formula with a `'`; a workbook cell is text anyway.
                        Cellule::Texte(x) => assert_eq!(
                            x.as_str(),
                            s.strip_prefix('\'').filter(|r| r.starts_with(['=', '+', '-', '@'])).unwrap_or(s),
                            "{lieu}"
                        ),
                        Cellule::Vide => assert!(s.is_empty(), "{lieu} : vide, « {s} » dans le CSV"),
                        Cellule::Autre(a) => panic!("{lieu} : {a}"),
                    }
                }
            }
        }
        comptes.push(chiffres);
    }
    comptes
}

#[test]
fn the_examples_workbooks_give_back_every_figure() {
    let comptes = aller_retour(&outils::exemple(), "exemple");
    // Both formats hold the same figures (876 in the example in November 2026).
    assert_eq!(comptes[0], comptes[1]);
    assert!(comptes[0] > 800, "{comptes:?}");
}

#[test]
fn a_territory_written_from_scratch_round_trips_too() {
    let racine = outils::exemple().join("tests/territoires/isle-double-landais");
    let comptes = aller_retour(&racine, "isle-double-landais");
    assert_eq!(comptes[0], comptes[1]);
    assert!(comptes[0] > 100, "{comptes:?}");
}

#[test]
fn a_territory_of_a_hundred_communes_round_trips_too() {
    let racine = outils::exemple().join("tests/territoires/ternois");
    let comptes = aller_retour(&racine, "ternois");
    assert_eq!(comptes[0], comptes[1]);
    assert!(comptes[0] > 1000, "{comptes:?}");
}

/// The whole path ends here: a project made by `mutu new --epci`
/// (CC du Pays des Abers) writes workbooks that round-trip as well.
#[test]
fn a_new_project_from_the_register_round_trips() {
    let t = outils::Temp::new("aller-retour-abers");
    let projet = t.join("abers");
    let o = std::process::Command::new(outils::binaire())
        .args(["new", projet.to_str().unwrap(), "--epci", "242900553"])
        .output()
        .unwrap();
    outils::reussit(&o);
    let comptes = aller_retour(&projet, "abers");
    assert_eq!(comptes[0], comptes[1]);
    assert!(comptes[0] > 50, "{comptes:?}");
}

/// `mutu new`'s service made shared by every commune, with a figure per
/// commune, saved under three ids: the 158-commune agglomeration then has
/// three allocation tables of 158 rows and two or three tables on each
/// commune's page.
fn services_de_toutes_les_communes(projet: &Path) {
    let territoire = std::fs::read_to_string(projet.join("data/territoire.yaml")).unwrap();
    let membres: Vec<&str> = territoire.lines().filter_map(|l| l.strip_prefix("  - id: ")).collect();
    assert_eq!(membres.len(), 158);
    let cles = std::fs::read_to_string(projet.join("data/cles.yaml")).unwrap();
    let cles = cles.replace("beneficiaires: [ahaxe-alciette-bascassan, ahetze]", "beneficiaires: communes");
    std::fs::write(projet.join("data/cles.yaml"), cles).unwrap();
    let modele = std::fs::read_to_string(projet.join("data/services/instruction-ads.yaml")).unwrap();
    let mut service = String::new();
    let mut bloc = "";
    for l in modele.lines() {
        match (bloc, l) {
            (_, "adherents:") => {
                bloc = "adherents";
                service.push_str("adherents: toutes-les-communes\n");
            }
            (_, "    par_membre:") => {
                bloc = "par_membre";
                service.push_str("    par_membre:\n");
                for (i, m) in membres.iter().enumerate() {
                    service.push_str(&format!("      {m}: {{2023: {}, 2024: {}}}\n", 10 + i, 11 + 2 * i));
                }
            }
            ("adherents", l) if l.starts_with("  ") => {}
            ("par_membre", l) if l.starts_with("      ") => {}
            (_, l) => {
                bloc = "";
                service.push_str(l);
                service.push('\n');
            }
        }
    }
    for (k, id) in ["instruction-ads", "archives", "paie"].iter().enumerate() {
        let s = service
            .replace("id: instruction-ads", &format!("id: {id}"))
            .replace("Instruction des autorisations d'urbanisme", &format!("Service {id}"))
            .replace("sigle: ADS", &format!("sigle: S{k}"));
        std::fs::write(projet.join(format!("data/services/{id}.yaml")), s).unwrap();
    }
}

/// 158 communes sharing three services: a table per commune and per kind
/// would make more than 300 sheets; the communes' tables are gathered, one
/// long sheet per kind, and every figure still comes back.
#[test]
fn a_hundred_and_fifty_eight_communes_fit_in_a_hundred_sheets() {
    let t = outils::Temp::new("aller-retour-pays-basque");
    let projet = t.join("pb");
    let o = std::process::Command::new(outils::binaire())
        .args(["new", projet.to_str().unwrap(), "--epci", "200067106", "--exercice", "2024"])
        .output()
        .unwrap();
    outils::reussit(&o);
    services_de_toutes_les_communes(&projet);
    let run = mutu_compute::pipeline::run(&projet);
    let doc = mutu_present::document(run.publishable().expect("erreurs"), &mutu_present::Options { pdf: true, extraits: false });
    let feuilles = classeur::tableaux_par_feuille(&doc);
    let longues: Vec<usize> = feuilles.iter().filter(|(l, _)| *l).map(|(_, ids)| ids.len()).collect();
    // Amounts 2024 and services used by each of the 158 communes, and the
    // groupements of the two communes the template gives some.
    assert_eq!(longues, [158, 158, 2], "{feuilles:?}");
    assert!(data::tableaux(&doc).count() > 300);
    // 31 sheets with the Sommaire, where there were 346.
    assert!(feuilles.len() + 1 <= 100, "{} feuilles", feuilles.len() + 1);
    let comptes = aller_retour(&projet, "pays-basque");
    assert_eq!(comptes[0], comptes[1]);
    assert!(comptes[0] > 1000, "{comptes:?}");
}
