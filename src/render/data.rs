//! Open data files: every table of the document as CSV (for spreadsheets)
//! and JSON (for programs), under `donnees/`, with the licence.
//!
//! CSV: UTF-8 with a byte order mark (Excel detects the encoding), `;`
//! separator (French spreadsheets), CRLF line ends and RFC 4180 quoting.
//! Cells hold the exact raw value when there is one (`186641.00`), else the
//! text as shown. JSON keeps both the shown text and the raw value, as
//! strings (no float rounding).

use super::Fichier;
use crate::present::{Bloc, Cellule, Document, Tableau};
use serde::Serialize;

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

fn valeur_brute(c: &Cellule) -> &str {
    c.valeur.as_deref().unwrap_or(&c.texte)
}

/// RFC 4180 field: quoted when it holds the separator, a quote or a line
/// break (or leading/trailing spaces, which spreadsheets would trim).
fn champ(s: &str) -> String {
    if s.contains([';', '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub fn csv(t: &Tableau) -> Vec<u8> {
    let mut s = String::from("\u{FEFF}");
    let entetes: Vec<String> = t.colonnes.iter().map(|c| champ(&c.libelle)).collect();
    s.push_str(&entetes.join(";"));
    s.push_str("\r\n");
    for ligne in t.lignes.iter().chain(&t.pied) {
        let champs: Vec<String> = ligne.iter().map(|c| champ(valeur_brute(c))).collect();
        s.push_str(&champs.join(";"));
        s.push_str("\r\n");
    }
    s.into_bytes()
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
}
