//! Open data files: every table of the document as CSV (for spreadsheets)
//! and JSON (for programs), under `donnees/`, with the licence.
//!
//! CSV: UTF-8 with a byte order mark (Excel detects the encoding), `;`
//! separator (French spreadsheets), CRLF line ends and RFC 4180 quoting
//! (the `csv` crate). Cells hold the exact raw value when there is one
//! (`186641.00`), else the text as shown, with a `'` before a text that a
//! spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`). JSON keeps both the shown text and the raw value, as
//! strings (no float rounding).

use super::Fichier;
use crate::present::{Bloc, Cellule, Document, Tableau};
use serde::Serialize;
use std::borrow::Cow;

/// `donnees/<id>.csv` and `donnees/<id>.json` for every table, in document
/// order, then `donnees/LICENCE.txt`. Table ids are unique in a document;
/// should two tables share an id, the first wins (the site renderer reports
/// the duplicate as an error).
pub fn render(doc: &Document) -> Vec<Fichier> {
    let mut out = Vec::new();
    let mut vus = std::collections::BTreeSet::new();
    for t in tableaux(doc) {
        if !vus.insert(t.id.as_str()) {
            continue;
        }
        out.push(Fichier::new(format!("donnees/{}.csv", t.id), csv(t)));
        out.push(Fichier::new(format!("donnees/{}.json", t.id), json(doc, t)));
    }
    out.push(Fichier::new("donnees/LICENCE.txt", licence(doc)));
    out
}

/// Every table of the document, in page then block order.
pub fn tableaux(doc: &Document) -> impl Iterator<Item = &Tableau> {
    doc.pages.iter().flat_map(|p| p.blocs.iter()).filter_map(|b| match b {
        Bloc::Tableau(t) => Some(t),
        _ => None,
    })
}

/// Characters that make a spreadsheet read a text cell as a formula
/// (OWASP, "CSV injection"): `=1+1`, `@SUM(…)`, `-2+3`, and tab or carriage
/// return before any of them.
const DEBUTS_DE_FORMULE: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell as written to CSV: prefixed with `'` when a spreadsheet
/// would run it as a formula (the quote is what OWASP recommends: shown as
/// text, never evaluated). Only text goes through here: a number cell holds
/// its raw value (`-12.50`), which must stay a number.
fn texte_neutralise(s: &str) -> Cow<'_, str> {
    if s.starts_with(DEBUTS_DE_FORMULE) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// A cell as written to CSV: its exact raw value when it is a figure, else
/// its text, neutralised.
fn champ(c: &Cellule) -> Cow<'_, str> {
    match &c.valeur {
        Some(v) => Cow::Borrowed(v),
        None => texte_neutralise(&c.texte),
    }
}

pub fn csv(t: &Tableau) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer("\u{FEFF}".as_bytes().to_vec());
    // Writing to memory: the only errors the writer reports are I/O errors
    // of its destination, which a Vec never has.
    let _ = w.write_record(t.colonnes.iter().map(|c| texte_neutralise(&c.libelle).into_owned()));
    for ligne in t.lignes.iter().chain(&t.pied) {
        let _ = w.write_record(ligne.iter().map(|c| champ(c).into_owned()));
    }
    w.into_inner().unwrap_or_default()
}

#[derive(Serialize)]
struct JsonTableau<'a> {
    id: &'a str,
    titre: &'a str,
    producteur: &'a str,
    exercice: i32,
    licence: &'static str,
    colonnes: Vec<JsonColonne<'a>>,
    lignes: Vec<Vec<JsonCellule<'a>>>,
    pied: Vec<Vec<JsonCellule<'a>>>,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonColonne<'a> {
    libelle: &'a str,
    numerique: bool,
}

#[derive(Serialize)]
struct JsonCellule<'a> {
    texte: &'a str,
    valeur: Option<&'a str>,
}

pub const LICENCE_NOM: &str = "Licence Ouverte / Open Licence version 2.0 (Etalab)";

fn cellules(l: &[Cellule]) -> Vec<JsonCellule<'_>> {
    l.iter()
        .map(|c| JsonCellule {
            texte: &c.texte,
            valeur: c.valeur.as_deref(),
        })
        .collect()
}

pub fn json(doc: &Document, t: &Tableau) -> Vec<u8> {
    let j = JsonTableau {
        id: &t.id,
        titre: &t.titre,
        producteur: &doc.epci_nom,
        exercice: doc.exercice,
        licence: LICENCE_NOM,
        colonnes: t
            .colonnes
            .iter()
            .map(|c| JsonColonne {
                libelle: &c.libelle,
                numerique: c.numerique,
            })
            .collect(),
        lignes: t.lignes.iter().map(|l| cellules(l)).collect(),
        pied: t.pied.iter().map(|l| cellules(l)).collect(),
        note: t.note.as_deref(),
    };
    let mut s = serde_json::to_string_pretty(&j).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

fn licence(doc: &Document) -> String {
    format!(
        "Données du schéma de mutualisation — {epci}, exercice {exercice}\r\n\
         \r\n\
         Les fichiers de ce dossier (CSV et JSON) sont publiés par {epci} sous la\r\n\
         {LICENCE_NOM}.\r\n\
         \r\n\
         Vous êtes libre de les réutiliser, y compris à des fins commerciales, de les\r\n\
         copier, de les modifier et de les diffuser, à condition de mentionner leur\r\n\
         source (« {epci} ») et la date de leur dernière mise à jour ({date}).\r\n\
         \r\n\
         Texte de la licence : https://www.etalab.gouv.fr/licence-ouverte-open-licence/\r\n\
         \r\n\
         Format des fichiers CSV : UTF-8 avec indicateur d'ordre des octets,\r\n\
         séparateur « ; », valeurs numériques exactes avec le point comme\r\n\
         séparateur décimal (186641.00). Les fichiers JSON donnent pour chaque\r\n\
         cellule le texte affiché et la valeur exacte.\r\n",
        epci = doc.epci_nom,
        exercice = doc.exercice,
        date = doc.date_document,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::present::Colonne;

    fn cell(t: &str, v: Option<&str>) -> Cellule {
        Cellule {
            texte: t.into(),
            valeur: v.map(Into::into),
            ..Default::default()
        }
    }

    #[test]
    fn csv_quoting_and_values() {
        let t = Tableau {
            id: "t".into(),
            titre: "T".into(),
            legende: "T".into(),
            colonnes: vec![
                Colonne {
                    libelle: "Commune".into(),
                    numerique: false,
                },
                Colonne {
                    libelle: "Montant; en €".into(),
                    numerique: true,
                },
            ],
            lignes: vec![vec![cell("Le \"Bourg\"", None), cell("186 641,00 €", Some("186641.00"))]],
            pied: vec![vec![cell("Total", None), cell("1,00 €", Some("1.00"))]],
            note: None,
        };
        let s = String::from_utf8(csv(&t)).unwrap();
        assert_eq!(s, "\u{FEFF}Commune;\"Montant; en €\"\r\n\"Le \"\"Bourg\"\"\";186641.00\r\nTotal;1.00\r\n");
    }

    /// OWASP "CSV injection": text cells that a spreadsheet would run as a
    /// formula get a leading `'`; figures (raw values) never do, even
    /// negative ones, and a text that only contains such a character later
    /// is left alone.
    #[test]
    fn csv_formulas_in_text_cells_are_neutralised() {
        let t = Tableau {
            id: "t".into(),
            titre: "T".into(),
            legende: "T".into(),
            colonnes: vec![
                Colonne {
                    libelle: "=Commune".into(),
                    numerique: false,
                },
                Colonne {
                    libelle: "Solde".into(),
                    numerique: true,
                },
            ],
            lignes: vec![
                vec![cell("=HYPERLINK(\"https://x.fr\";\"clic\")", None), cell("-12,50 €", Some("-12.50"))],
                vec![cell("+33 2 98", None), cell("@SOMME(A1)", None)],
                vec![cell("-2+3", None), cell("\tcmd", None)],
                vec![cell("\r=1", None), cell("Saint-Divy = 2", None)],
            ],
            pied: vec![vec![cell("Total", None), cell("−1,00 €", Some("-1.00"))]],
            note: None,
        };
        let s = String::from_utf8(csv(&t)).unwrap();
        assert_eq!(
            s,
            "\u{FEFF}'=Commune;Solde\r\n\
             \"'=HYPERLINK(\"\"https://x.fr\"\";\"\"clic\"\")\";-12.50\r\n\
             '+33 2 98;'@SOMME(A1)\r\n\
             '-2+3;'\tcmd\r\n\
             \"'\r=1\";Saint-Divy = 2\r\n\
             Total;-1.00\r\n"
        );
    }
}
