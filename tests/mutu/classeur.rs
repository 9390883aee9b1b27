//! The workbooks of every table of the example (`donnees/<rapport>.ods` and
//! `.xlsx`), read back without an office suite: unzipped with the `zip`
//! crate, their XML checked for the structure a spreadsheet needs (ODS
//! `mimetype` first and stored, one sheet per table after the Sommaire) and
//! for known figures of the report: Landerneau's 2023 contributions in euros
//! and the EPCI's 64,29 % share of the ADS service, as currency and
//! percentage cells holding the exact values of the CSVs.
//!
//! Run: `cargo test --release --test classeur`

use mutu_data::{self as data, classeur};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// The entries of a zip archive, in archive order, with how each is stored.
fn entrees(octets: &[u8]) -> Vec<(String, zip::CompressionMethod, Vec<u8>)> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(octets)).unwrap();
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).unwrap();
            let mut contenu = Vec::new();
            f.read_to_end(&mut contenu).unwrap();
            (f.name().unwrap().to_string(), f.compression(), contenu)
        })
        .collect()
}

fn texte(entrees: &[(String, zip::CompressionMethod, Vec<u8>)], nom: &str) -> String {
    let e = entrees.iter().find(|e| e.0 == nom).unwrap_or_else(|| panic!("{nom} absent"));
    String::from_utf8(e.2.clone()).unwrap()
}

/// The XML of the sheet named `nom` in an ODS content.xml.
fn feuille_ods<'a>(contenu: &'a str, nom: &str) -> &'a str {
    let debut = contenu
        .find(&format!("<table:table table:name=\"{nom}\">"))
        .unwrap_or_else(|| panic!("feuille {nom} absente"));
    let fin = debut + contenu[debut..].find("</table:table>").unwrap();
    &contenu[debut..fin]
}

/// The row of `feuille` whose first cell is the text `premiere`.
fn ligne_ods<'a>(feuille: &'a str, premiere: &str) -> &'a str {
    let motif = format!("<table:table-row><table:table-cell office:value-type=\"string\"><text:p>{premiere}</text:p></table:table-cell>");
    let debut = feuille.find(&motif).unwrap_or_else(|| panic!("ligne {premiere} absente"));
    let fin = debut + feuille[debut..].find("</table:table-row>").unwrap();
    &feuille[debut + motif.len()..fin]
}

fn classeurs() -> (Vec<String>, BTreeMap<String, Vec<u8>>) {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = mutu_compute::pipeline::run(racine);
    let modele = run.publishable().expect("le projet d'exemple a des erreurs");
    let doc = mutu_present::document(modele, &mutu_present::Options { pdf: true, extraits: false });
    let ids = data::tableaux(&doc).map(|t| t.id.clone()).collect();
    let fichiers = data::render(&doc).into_iter().map(|f| (f.chemin, f.contenu)).collect();
    assert_eq!(doc.chemin_classeur("ods"), "donnees/rapport-mutualisation-2023-capld.ods");
    // The data renderer writes exactly what the workbook renderer alone gives.
    let seuls: BTreeMap<String, Vec<u8>> = classeur::render_document(&doc).into_iter().map(|f| (f.chemin, f.contenu)).collect();
    for (chemin, octets) in &seuls {
        assert_eq!(Some(octets), BTreeMap::get(&fichiers, chemin), "{chemin}");
    }
    (ids, fichiers)
}

#[test]
fn example_ods_holds_every_table_with_exact_figures() {
    let (ids, fichiers) = classeurs();
    let ods = entrees(&fichiers["donnees/rapport-mutualisation-2023-capld.ods"]);
    // OpenDocument: `mimetype` first, stored, so that its type reads at a fixed offset.
    assert_eq!(ods[0].0, "mimetype");
    assert_eq!(ods[0].1, zip::CompressionMethod::Stored);
    assert_eq!(ods[0].2, b"application/vnd.oasis.opendocument.spreadsheet");
    let noms: Vec<&str> = ods.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(
        noms,
        ["mimetype", "META-INF/manifest.xml", "styles.xml", "meta.xml", "settings.xml", "content.xml"]
    );
    let contenu = texte(&ods, "content.xml");
    // The Sommaire, then one sheet per table (each table of the document has one CSV).
    assert_eq!(contenu.matches("<table:table table:name=").count(), ids.len() + 1);
    assert!(contenu.contains("<table:table table:name=\"Sommaire\">"));
    // Landerneau's contributions: amounts in euros, « — » (not applicable)
    // an empty cell, as in contributions-2023.csv
    // (`Landerneau;35032,00;808845,00;;843877,00;1752300,00`).
    let eur = |v: &str| format!("<table:table-cell table:style-name=\"ce-eur\" office:value-type=\"currency\" office:currency=\"EUR\" office:value=\"{v}\"/>");
    assert_eq!(
        ligne_ods(feuille_ods(&contenu, "Montant à la … en 2023"), "Landerneau"),
        [
            eur("35032.00"),
            eur("808845.00"),
            "<table:table-cell/>".into(),
            eur("843877.00"),
            eur("1752300.00"),
        ]
        .concat()
    );
    // The EPCI's share of the ADS service: 64.29 in the CSV is the percentage 0.6429.
    assert_eq!(
        ligne_ods(feuille_ods(&contenu, "Coût 2023 de … CAPLD et la CLCL"), "CAPLD"),
        "<table:table-cell office:value-type=\"float\" office:value=\"50614\"/>\
         <table:table-cell table:style-name=\"ce-pct\" office:value-type=\"percentage\" office:value=\"0.6429\"/>\
         <table:table-cell table:style-name=\"ce-eur\" office:value-type=\"currency\" office:currency=\"EUR\" office:value=\"186641.00\"/>"
    );
    // The Sommaire links to that sheet and names the table.
    assert!(
        contenu.contains("<text:a xlink:type=\"simple\" xlink:href=\"#&#39;Coût 2023 de … CAPLD et la CLCL&#39;.A1\">Coût 2023 de … CAPLD et la CLCL</text:a>")
    );
}

#[test]
fn example_xlsx_has_the_same_sheets_and_figures() {
    let (ids, fichiers) = classeurs();
    let xlsx = entrees(&fichiers["donnees/rapport-mutualisation-2023-capld.xlsx"]);
    let classeur = texte(&xlsx, "xl/workbook.xml");
    assert_eq!(classeur.matches("<sheet name=").count(), ids.len() + 1);
    let position = |nom: &str| classeur.find(&format!("<sheet name=\"{nom}\" ")).unwrap_or_else(|| panic!("{nom}"));
    // Sheets are named after the tables' titles (issue 23), abridged around « … ».
    assert!(position("Sommaire") < position("Montant à la … en 2023"));
    // contributions-2023 is the sheet after the Sommaire and the tables before it.
    let rang = ids.iter().position(|i| i == "contributions-2023").unwrap() + 2;
    assert!(classeur.contains(&format!("<sheet name=\"Montant à la … en 2023\" sheetId=\"{rang}\" r:id=\"rId{rang}\"/>")));
    let feuille = texte(&xlsx, &format!("xl/worksheets/sheet{rang}.xml"));
    // Header frozen; Landerneau (row 10): 35 032,00 € with the euro format (style 2).
    assert!(feuille.contains("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
    assert!(feuille
        .contains("<row r=\"10\"><c r=\"A10\" t=\"inlineStr\"><is><t xml:space=\"preserve\">Landerneau</t></is></c><c r=\"B10\" s=\"2\"><v>35032.00</v></c>"));
    let styles = texte(&xlsx, "xl/styles.xml");
    assert!(styles.contains("<numFmt numFmtId=\"164\" formatCode=\"#,##0.00 &quot;€&quot;\"/>"));
    assert!(styles.contains("<xf numFmtId=\"10\" fontId=\"0\""), "format 10, 0.00 %");
}
