//! Reading a spreadsheet for `mutu import`: a workbook (.xlsx, .xlsm, .ods)
//! through calamine, a CSV file through the csv crate, both into the same
//! grid of cells with their spreadsheet names (`Feuil1!C7`).
//!
//! CSV: the separator is `;` (what a French spreadsheet writes, the comma
//! being the decimal mark) when the first line has one, `,` otherwise; the
//! text is UTF-8, with or without BOM, and a file that is not valid UTF-8 is
//! read as Windows-1252 (what Excel writes on a French Windows), decoded by
//! encoding_rs, which calamine already brings in.

use crate::diagnostic::{Diagnostic, Loc};
use rust_decimal::Decimal;
use std::path::Path;

/// One cell, as the spreadsheet holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cellule {
    Vide,
    /// Text, to be read as the YAML reads a figure (French or English
    /// notation, ambiguous forms refused).
    Texte(String),
    /// A numeric cell of a workbook, exactly as the spreadsheet shows it.
    Nombre(Decimal),
    /// Anything else (a date, a boolean, a formula error), described in
    /// French for the diagnostic.
    Autre(String),
}

impl Cellule {
    pub fn est_vide(&self) -> bool {
        match self {
            Cellule::Vide => true,
            Cellule::Texte(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text (a numeric cell as its figure).
    pub fn texte(&self) -> String {
        match self {
            Cellule::Vide => String::new(),
            Cellule::Texte(t) => t.trim().to_string(),
            Cellule::Nombre(d) => d.to_string(),
            Cellule::Autre(a) => a.clone(),
        }
    }
}

/// A sheet: its name (none for a CSV file) and its rows from A1.
#[derive(Debug, Clone)]
pub struct Feuille {
    pub nom: Option<String>,
    pub lignes: Vec<Vec<Cellule>>,
}

impl Feuille {
    pub fn cellule(&self, ligne: usize, colonne: usize) -> &Cellule {
        self.lignes.get(ligne).and_then(|l| l.get(colonne)).unwrap_or(&Cellule::Vide)
    }

    pub fn largeur(&self) -> usize {
        self.lignes.iter().map(Vec::len).max().unwrap_or(0)
    }
}

/// What a file holds: its name as the user gave it and its sheets.
#[derive(Debug, Clone)]
pub struct Classeur {
    pub fichier: String,
    pub feuilles: Vec<Feuille>,
}

impl Classeur {
    /// `fichier.xlsx!Feuil1!C7` (`fichier.csv!C7` for a CSV file), the
    /// 0-based `ligne` and `colonne`.
    pub fn lieu(&self, feuille: &Feuille, ligne: usize, colonne: usize) -> Loc {
        let cellule = format!("{}{}", crate::format::colonne_tableur(colonne), ligne + 1);
        Loc::lieu(match &feuille.nom {
            Some(n) => format!("{}!{n}!{cellule}", self.fichier),
            None => format!("{}!{cellule}", self.fichier),
        })
    }
}

/// The kinds of file `mutu import` reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Genre {
    Classeur,
    Csv,
}

/// Reads the file at `chemin`; `affiche` is how diagnostics name it.
pub fn lire(chemin: &Path, affiche: &str) -> Result<Classeur, Diagnostic> {
    let ext = chemin.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    let genre = match ext.as_str() {
        "xlsx" | "xlsm" | "ods" => Genre::Classeur,
        "csv" => Genre::Csv,
        _ => {
            return Err(
                Diagnostic::error("type-de-fichier", format!("type de fichier non pris en charge : « {affiche} »"))
                    .at(Some(Loc::lieu(affiche)))
                    .expected("un classeur .ods ou .xlsx, ou un fichier .csv")
                    .hint("enregistrez le tableau au format ODS, XLSX ou CSV depuis votre tableur (« Enregistrer sous… »)"),
            )
        }
    };
    let illisible = |e: String| {
        Diagnostic::error("fichier-illisible", format!("impossible de lire « {affiche} » : {e}"))
            .at(Some(Loc::lieu(affiche)))
            .hint("vérifiez que le fichier existe et qu'il s'ouvre dans votre tableur")
    };
    let feuilles = match genre {
        Genre::Csv => {
            let octets = std::fs::read(chemin).map_err(|e| illisible(crate::load::io_fr(&e)))?;
            vec![csv(&octets).map_err(|e| illisible(format!("CSV invalide ({e})")))?]
        }
        // calamine's reasons are in English and technical: the user is told
        // what to check instead.
        Genre::Classeur => classeur(chemin).map_err(|e| match e {
            calamine::Error::Io(e) => illisible(crate::load::io_fr(&e)),
            _ => illisible(format!(
                "ce n'est pas un classeur {} lisible (fichier abîmé, ou d'un autre format)",
                ext.to_uppercase()
            )),
        })?,
    };
    Ok(Classeur {
        fichier: affiche.to_string(),
        feuilles,
    })
}

fn classeur(chemin: &Path) -> Result<Vec<Feuille>, calamine::Error> {
    use calamine::{Data, Reader};
    let mut wb = calamine::open_workbook_auto(chemin)?;
    let mut feuilles = Vec::new();
    for nom in wb.sheet_names() {
        let range = wb.worksheet_range(&nom)?;
        let (l0, c0) = range.start().unwrap_or((0, 0));
        let mut lignes: Vec<Vec<Cellule>> = vec![Vec::new(); l0 as usize];
        for row in range.rows() {
            let mut l = vec![Cellule::Vide; c0 as usize];
            l.extend(row.iter().map(|d| match d {
                Data::Empty => Cellule::Vide,
                Data::String(s) => Cellule::Texte(s.clone()),
                Data::Int(i) => Cellule::Nombre(Decimal::from(*i)),
                Data::Float(f) => flottant(*f),
                Data::Bool(b) => Cellule::Autre(format!("la valeur logique {}", if *b { "VRAI" } else { "FAUX" })),
                Data::DateTime(_) | Data::DateTimeIso(_) => Cellule::Autre("une date".into()),
                Data::DurationIso(_) => Cellule::Autre("une durée".into()),
                Data::Error(e) => Cellule::Autre(format!("l'erreur de formule {e}")),
            }));
            lignes.push(l);
        }
        feuilles.push(Feuille { nom: Some(nom), lignes });
    }
    Ok(feuilles)
}

/// A numeric cell as an exact decimal. Workbooks store numbers as binary
/// floats: `0.1` is 0.1000000000000000055…; Rust's `Display` for `f64`
/// writes the shortest decimal that reads back as the same float (never
/// more digits than the float holds, never an exponent), which is the
/// number the user typed and the spreadsheet shows (`0.1`, `20.84`).
/// That text is then read exactly into a `Decimal`.
pub fn flottant(f: f64) -> Cellule {
    if !f.is_finite() {
        return Cellule::Autre("un nombre non fini".into());
    }
    match Decimal::from_str_exact(&format!("{f}")) {
        Ok(d) => Cellule::Nombre(d),
        Err(_) => Cellule::Autre(format!("le nombre {f}, hors des limites")),
    }
}

fn csv(octets: &[u8]) -> Result<Feuille, csv::Error> {
    let octets = octets.strip_prefix(b"\xef\xbb\xbf").unwrap_or(octets);
    let texte = match std::str::from_utf8(octets) {
        Ok(t) => t.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(octets).0.into_owned(),
    };
    let premiere = texte.lines().next().unwrap_or("");
    let separateur = if premiere.contains(';') { b';' } else { b',' };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separateur)
        .from_reader(texte.as_bytes());
    let mut lignes = Vec::new();
    for rec in r.records() {
        let rec = rec?;
        lignes.push(
            rec.iter()
                .map(|c| if c.trim().is_empty() { Cellule::Vide } else { Cellule::Texte(c.to_string()) })
                .collect(),
        );
    }
    Ok(Feuille { nom: None, lignes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_become_the_decimal_they_show() {
        let d = |s: &str| Cellule::Nombre(Decimal::from_str_exact(s).unwrap());
        assert_eq!(flottant(0.1), d("0.1"));
        assert_eq!(flottant(20.84), d("20.84"));
        assert_eq!(flottant(48000.0), d("48000"));
        assert_eq!(flottant(0.1 + 0.2), d("0.30000000000000004"), "a computed float keeps what it holds");
        assert_eq!(flottant(1234.567), d("1234.567"), "a numeric cell is never ambiguous");
        assert!(matches!(flottant(f64::NAN), Cellule::Autre(_)));
    }

    #[test]
    fn csv_separator_and_encodings() {
        let f = csv("\u{feff}clé: x;2023\nLanderneau;\"1 234,5\"\n".as_bytes()).unwrap();
        assert_eq!(f.cellule(0, 0), &Cellule::Texte("clé: x".into()));
        assert_eq!(f.cellule(1, 1), &Cellule::Texte("1 234,5".into()));
        let f = csv(b"cl\xe9: x,2023\nDaoulas,\"12,5\"\n").unwrap();
        assert_eq!(f.cellule(0, 0), &Cellule::Texte("clé: x".into()), "Windows-1252");
        assert_eq!(f.cellule(1, 1), &Cellule::Texte("12,5".into()));
    }
}
