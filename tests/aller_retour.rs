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

mod outils;

use mutu::import::tableur::{self, Cellule};
use mutu::render::data;
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
    // The CSV writes a decimal comma (docs/export.md § 20).
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
    let run = mutu::pipeline::run(racine);
    let modele = run.publishable().expect("le projet a des erreurs");
    let doc = mutu::present::document(modele, &mutu::present::Options { pdf: true, extraits: false });
    let fichiers: std::collections::BTreeMap<String, Vec<u8>> = data::render(&doc).into_iter().map(|f| (f.chemin, f.contenu)).collect();
    let mut vus = BTreeSet::new();
    let tables: Vec<String> = data::tableaux(&doc).map(|t| t.id.clone()).filter(|id| vus.insert(id.clone())).collect();
    let t = outils::Temp::new(&format!("aller-retour-{nom}"));
    let mut comptes = Vec::new();
    for ext in ["ods", "xlsx"] {
        let chemin = t.join(&format!("classeur.{ext}"));
        std::fs::write(&chemin, &fichiers[&doc.chemin_classeur(ext)]).unwrap();
        let classeur = tableur::lire(&chemin, &format!("classeur.{ext}")).unwrap_or_else(|d| panic!("{ext} illisible : {}", d.message));
        assert_eq!(classeur.feuilles[0].nom.as_deref(), Some("Sommaire"));
        assert_eq!(classeur.feuilles.len(), tables.len() + 1, "{ext} : une feuille par tableau après le sommaire");
        let mut chiffres = 0;
        for (feuille, id) in classeur.feuilles[1..].iter().zip(&tables) {
            let attendu = csv(&fichiers[&format!("donnees/{id}.csv")]);
            assert_eq!(feuille.lignes.len(), attendu.len(), "{ext} {id} : autant de lignes que le CSV");
            for (i, ligne) in attendu.iter().enumerate() {
                for (j, s) in ligne.iter().enumerate() {
                    let lieu = format!("{ext} {id} {}{}", mutu::format::colonne_tableur(j), i + 1);
                    match feuille.cellule(i, j) {
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
