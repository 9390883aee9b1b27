//! One way to show a number: the example project, whose support key
//! prorates five communes (9 + 8 + 7 + 4 + 3 months: a base of 31/12), is
//! built (site, PDF, data files) and no figure a reader sees carries more
//! than two decimals — in the HTML text, the PDF text, the text cells of
//! the CSV files and the shown texts of the JSON data files. The exact
//! values stay in the data files' `valeur`.
//!
//! Needs `pdftotext` (paquet poppler-utils).

use crate::outils;

use outils::{copie_exemple, fichiers, mutu, reussit, texte_pdf};

/// Figures of `texte` with three decimals or more (`2,583`, `2.5833`): a
/// digit, a decimal mark, then at least three digits.
fn trop_de_decimales(texte: &str) -> Vec<String> {
    let c: Vec<char> = texte.chars().collect();
    let mut out = Vec::new();
    for i in 1..c.len() {
        if (c[i] == ',' || c[i] == '.') && c[i - 1].is_ascii_digit() {
            let n = c[i + 1..].iter().take_while(|x| x.is_ascii_digit()).count();
            if n >= 3 {
                let debut = i.saturating_sub(12);
                out.push(c[debut..(i + 1 + n).min(c.len())].iter().collect());
            }
        }
    }
    out
}

/// The text a reader sees of an HTML page: no tags, no style or script.
fn texte_html(html: &str) -> String {
    let mut out = String::new();
    let mut reste = html;
    while let Some(p) = reste.find('<') {
        out.push_str(&reste[..p]);
        out.push(' ');
        reste = &reste[p..];
        let fin_balise = |r: &str, bloc: &str| -> usize {
            if r.starts_with(&format!("<{bloc}")) {
                r.find(&format!("</{bloc}>")).map(|f| f + bloc.len() + 3).unwrap_or(r.len())
            } else {
                0
            }
        };
        let saut = fin_balise(reste, "style").max(fin_balise(reste, "script"));
        let saut = if saut > 0 {
            saut
        } else {
            reste.find('>').map(|f| f + 1).unwrap_or(reste.len())
        };
        reste = &reste[saut..];
    }
    out.push_str(reste);
    // Runs of ASCII white space as one space; no-break spaces are part of figures.
    out.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every string of a JSON data file but the exact `valeur`s.
fn textes_json(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| textes_json(x, out)),
        serde_json::Value::Object(o) => o.iter().filter(|(k, _)| k.as_str() != "valeur").for_each(|(_, x)| textes_json(x, out)),
        _ => {}
    }
}

#[test]
fn no_figure_shown_with_more_than_two_decimals() {
    let (t, projet) = copie_exemple("nombres");
    let sortie = t.join("public");
    reussit(&mutu(&projet, &["build", "--sortie", sortie.to_str().unwrap()]));
    let mut fautes: Vec<String> = Vec::new();
    let mut pages = String::new();
    let mut pdf = 0;
    for (rel, octets) in fichiers(&sortie) {
        let textes: Vec<String> = if rel.ends_with(".html") {
            let t = texte_html(&String::from_utf8(octets).unwrap());
            pages.push_str(&t);
            vec![t]
        } else if rel.ends_with(".pdf") {
            pdf += 1;
            vec![texte_pdf(&sortie.join(&rel))]
        } else if rel.ends_with(".csv") {
            // Text cells only: a cell that is a plain number is an exact
            // value, written with the decimal comma of the CSV files.
            let t = String::from_utf8(octets).unwrap();
            t.split("\r\n")
                .flat_map(|l| l.split(';').map(str::to_string).collect::<Vec<_>>())
                .filter(|c| {
                    c.matches(mutu_data::CSV_DECIMALE).count() > 1
                        || c.contains('.')
                        || c.replacen(mutu_data::CSV_DECIMALE, ".", 1).trim_start_matches('-').parse::<f64>().is_err()
                })
                .collect()
        } else if rel == "donnees/datapackage.json" {
            // The description of the tables; the export itself holds exact values only (docs/export.md).
            let mut v = Vec::new();
            textes_json(&serde_json::from_slice(&octets).unwrap(), &mut v);
            v
        } else {
            continue;
        };
        for t in textes {
            fautes.extend(trop_de_decimales(&t).into_iter().map(|f| format!("{rel} : « {f} »")));
        }
    }
    assert!(pdf >= 1, "le rapport PDF est construit");
    assert!(fautes.is_empty(), "chiffres à plus de deux décimales :\n{}", fautes.join("\n"));
    // The prorated base of 31/12 is shown rounded, its exact value kept in the data files.
    assert!(
        pages.contains("Total réparti 5 2,58 100,00\u{202f}% 7\u{202f}399,00\u{a0}€"),
        "total de la base proratisée"
    );
    let csv = std::fs::read_to_string(sortie.join("donnees/service-si-communes-repartition-2023-4-etape-1.csv")).unwrap();
    assert!(csv.contains("Total réparti;5;2,5833333333333333333333333333;100;7399,00"), "{csv}");
    // Each sentence of a rule opens with a capital letter.
    assert!(pages.contains("Montant réparti\u{a0}: saisi dans les données. Au prorata des valeurs de la clé «\u{a0}"));
    assert!(!pages.contains("données. au"));
}
