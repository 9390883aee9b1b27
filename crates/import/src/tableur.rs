//! Reading a spreadsheet for `mutu import`: a workbook (.xlsx, .xlsm, .ods)
//! through calamine, a CSV file through the csv crate, both into the same
//! grid of cells with their spreadsheet names (`Feuil1!C7`).
//!
//! CSV: the separator is `;` (what a French spreadsheet writes, the comma
//! being the decimal mark) when the first line has one, `,` otherwise; the
//! text is UTF-8, with or without BOM, and a file that is not valid UTF-8 is
//! read as Windows-1252 (what Excel writes on a French Windows), decoded by
//! encoding_rs, which calamine already brings in.

use super::bornes;
use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use rust_decimal::Decimal;
use std::io::Read;
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
    /// The visible sheets, in the workbook's order.
    pub feuilles: Vec<Feuille>,
    /// Hidden (or « very hidden ») sheets, by name: never read, but
    /// reported, so that nothing the user cannot see is imported.
    pub masquees: Vec<String>,
}

impl Classeur {
    /// `fichier.xlsx!Feuil1!C7` (`fichier.csv!C7` for a CSV file), the
    /// 0-based `ligne` and `colonne`.
    pub fn lieu(&self, feuille: &Feuille, ligne: usize, colonne: usize) -> Loc {
        let cellule = format!("{}{}", mutu_base::format::colonne_tableur(colonne), ligne + 1);
        Loc::lieu(match &feuille.nom {
            Some(n) => format!("{}!{n}!{cellule}", self.fichier),
            None => format!("{}!{cellule}", self.fichier),
        })
    }
}

/// The kinds of file `mutu import` reads, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Genre {
    Classeur(bornes::Format),
    Csv,
}

impl Genre {
    /// The kind of a file by its extension (in lower case).
    fn de(ext: &str) -> Option<Genre> {
        match ext {
            "xlsx" | "xlsm" => Some(Genre::Classeur(bornes::Format::Xlsx)),
            "ods" => Some(Genre::Classeur(bornes::Format::Ods)),
            "csv" => Some(Genre::Csv),
            _ => None,
        }
    }
}

/// Reads the file at `chemin`; `affiche` is how diagnostics name it. The
/// limits of [`bornes`] are checked before any sheet is read.
pub fn lire(chemin: &Path, affiche: &str) -> Result<Classeur, Diagnostic> {
    let ext = chemin.extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
    if Genre::de(&ext).is_none() {
        return Err(
            Diagnostic::error(Code::TypeDeFichier, format!("type de fichier non pris en charge : « {affiche} »"))
                .at(Some(Loc::lieu(affiche)))
                .expected("un classeur .ods ou .xlsx, ou un fichier .csv")
                .hint("enregistrez le tableau au format ODS, XLSX ou CSV depuis votre tableur (« Enregistrer sous… »)"),
        );
    }
    // Read once, bounded: the checks and the reader see the same bytes.
    let illisible = |e: std::io::Error| illisible(affiche, mutu_model::load::io_fr(&e));
    let f = std::fs::File::open(chemin).map_err(illisible)?;
    bornes::taille_fichier(f.metadata().map(|m| m.len()).unwrap_or(0), affiche)?;
    let mut octets = Vec::new();
    f.take(bornes::OCTETS_FICHIER + 1).read_to_end(&mut octets).map_err(illisible)?;
    lire_octets(octets, &ext, affiche)
}

/// Reads a file's bytes; `ext` is its extension, in lower case (anything
/// but a workbook's is read as CSV). The fuzz targets start here.
pub fn lire_octets(octets: Vec<u8>, ext: &str, affiche: &str) -> Result<Classeur, Diagnostic> {
    bornes::taille_fichier(octets.len() as u64, affiche)?;
    let (feuilles, masquees) = match Genre::de(ext).unwrap_or(Genre::Csv) {
        Genre::Csv => (vec![csv(&octets, affiche)?], Vec::new()),
        Genre::Classeur(format) => {
            bornes::verifier_classeur(std::io::Cursor::new(&octets), format, affiche)?;
            // calamine's reasons are in English and technical: the user is
            // told what to check instead.
            classeur(octets, format, affiche).map_err(|e| match e {
                Lecture::Calamine => illisible(
                    affiche,
                    format!("ce n'est pas un classeur {} lisible (fichier abîmé, ou d'un autre format)", ext.to_uppercase()),
                ),
                Lecture::Diagnostic(d) => *d,
            })?
        }
    };
    Ok(Classeur {
        fichier: affiche.to_string(),
        feuilles,
        masquees,
    })
}

fn illisible(affiche: &str, e: String) -> Diagnostic {
    Diagnostic::error(Code::ClasseurIllisible, format!("impossible de lire « {affiche} » : {e}"))
        .at(Some(Loc::lieu(affiche)))
        .hint("vérifiez que le fichier existe et qu'il s'ouvre dans votre tableur")
}

/// Why a workbook could not be read.
enum Lecture {
    /// calamine's reason, in English, is not shown.
    Calamine,
    Diagnostic(Box<Diagnostic>),
}

impl<E: Into<calamine::Error>> From<E> for Lecture {
    fn from(_: E) -> Self {
        Lecture::Calamine
    }
}

/// The sheets of a workbook (already checked against the limits), and the
/// names of the hidden ones, which are not read.
fn classeur(octets: Vec<u8>, format: bornes::Format, affiche: &str) -> Result<(Vec<Feuille>, Vec<String>), Lecture> {
    use calamine::{Reader, SheetVisible};
    let curseur = std::io::Cursor::new(octets);
    let mut feuilles = Vec::new();
    let mut masquees = Vec::new();
    match format {
        bornes::Format::Xlsx => {
            let mut wb: calamine::Xlsx<_> = calamine::Xlsx::new(curseur)?;
            let meta = wb.sheets_metadata().to_vec();
            doublons(&meta, affiche)?;
            for m in meta {
                if m.visible != SheetVisible::Visible {
                    masquees.push(m.name);
                    continue;
                }
                if m.typ != calamine::SheetType::WorkSheet {
                    continue;
                }
                // Cell by cell, never through calamine's `Range`, which
                // allocates the rectangle the references span.
                let mut lignes: Vec<Vec<Cellule>> = Vec::new();
                let mut cellules = wb.worksheet_cells_reader(&m.name)?;
                while let Some(c) = cellules.next_cell()? {
                    let v = cellule_ref(c.get_value());
                    if v == Cellule::Vide {
                        continue;
                    }
                    let (l, col) = c.get_position();
                    let (l, col) = (l as usize, col as usize);
                    if (l as u64 + 1).saturating_mul(col as u64 + 1) > bornes::CELLULES_FEUILLE {
                        // The scan said otherwise: the XML is not what it seemed.
                        return Err(Lecture::Calamine);
                    }
                    if lignes.len() <= l {
                        lignes.resize(l + 1, Vec::new());
                    }
                    let ligne = &mut lignes[l];
                    if ligne.len() <= col {
                        ligne.resize(col + 1, Cellule::Vide);
                    }
                    ligne[col] = v;
                }
                feuilles.push(Feuille { nom: Some(m.name), lignes });
            }
        }
        bornes::Format::Ods => {
            let mut wb: calamine::Ods<_> = calamine::Ods::new(curseur)?;
            let meta = wb.sheets_metadata().to_vec();
            doublons(&meta, affiche)?;
            for m in meta {
                if m.visible != SheetVisible::Visible {
                    masquees.push(m.name);
                    continue;
                }
                let range = wb.worksheet_range(&m.name)?;
                let (l0, c0) = range.start().unwrap_or((0, 0));
                let mut lignes: Vec<Vec<Cellule>> = vec![Vec::new(); l0 as usize];
                for row in range.rows() {
                    let mut l = vec![Cellule::Vide; c0 as usize];
                    l.extend(row.iter().map(cellule));
                    lignes.push(l);
                }
                feuilles.push(Feuille { nom: Some(m.name), lignes });
            }
        }
    }
    Ok((feuilles, masquees))
}

/// Two sheets of one name (which a spreadsheet forbids, but a crafted
/// file can hold): calamine would read the first twice.
fn doublons(meta: &[calamine::Sheet], affiche: &str) -> Result<(), Lecture> {
    for (i, m) in meta.iter().enumerate() {
        if meta[..i].iter().any(|p| p.name.to_lowercase() == m.name.to_lowercase()) {
            return Err(Lecture::Diagnostic(Box::new(
                Diagnostic::error(Code::FeuilleEnDouble, format!("deux feuilles s'appellent « {} »", m.name))
                    .at(Some(Loc::lieu(affiche)))
                    .expected("un nom différent pour chaque feuille")
                    .hint("renommez l'une des deux feuilles dans votre tableur, puis enregistrez le classeur à nouveau"),
            )));
        }
    }
    Ok(())
}

fn cellule(d: &calamine::Data) -> Cellule {
    use calamine::Data;
    match d {
        Data::Empty => Cellule::Vide,
        Data::String(s) => Cellule::Texte(s.clone()),
        Data::Int(i) => Cellule::Nombre(Decimal::from(*i)),
        Data::Float(f) => flottant(*f),
        Data::Bool(b) => booleen(*b),
        Data::DateTime(_) | Data::DateTimeIso(_) => Cellule::Autre("une date".into()),
        Data::DurationIso(_) => Cellule::Autre("une durée".into()),
        Data::Error(e) => Cellule::Autre(format!("l'erreur de formule {e}")),
    }
}

fn cellule_ref(d: &calamine::DataRef<'_>) -> Cellule {
    use calamine::DataRef;
    match d {
        DataRef::Empty => Cellule::Vide,
        DataRef::String(s) => Cellule::Texte(s.clone()),
        DataRef::SharedString(s) => Cellule::Texte(s.to_string()),
        DataRef::Int(i) => Cellule::Nombre(Decimal::from(*i)),
        DataRef::Float(f) => flottant(*f),
        DataRef::Bool(b) => booleen(*b),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) => Cellule::Autre("une date".into()),
        DataRef::DurationIso(_) => Cellule::Autre("une durée".into()),
        DataRef::Error(e) => Cellule::Autre(format!("l'erreur de formule {e}")),
    }
}

fn booleen(b: bool) -> Cellule {
    Cellule::Autre(format!("la valeur logique {}", if b { "VRAI" } else { "FAUX" }))
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

/// A CSV file as one sheet, refused past [`bornes::CELLULES_FEUILLE`] cells.
fn csv(octets: &[u8], affiche: &str) -> Result<Feuille, Diagnostic> {
    let octets = octets.strip_prefix(b"\xef\xbb\xbf").unwrap_or(octets);
    let texte = match std::str::from_utf8(octets) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(octets).0,
    };
    let premiere = texte.lines().next().unwrap_or("");
    let separateur = if premiere.contains(';') { b';' } else { b',' };
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separateur)
        .from_reader(texte.as_bytes());
    let mut lignes: Vec<Vec<Cellule>> = Vec::new();
    let mut largeur = 0u64;
    for rec in r.records() {
        let rec = rec.map_err(|e| {
            Diagnostic::error(Code::ClasseurIllisible, format!("impossible de lire « {affiche} » : CSV invalide ({e})"))
                .at(Some(Loc::lieu(affiche)))
                .hint("vérifiez que le fichier existe et qu'il s'ouvre dans votre tableur")
        })?;
        largeur = largeur.max(rec.len() as u64);
        let etendue = bornes::Etendue {
            lignes: lignes.len() as u64 + 1,
            colonnes: largeur,
        };
        bornes::etendue_csv(etendue, affiche)?;
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
        let f = csv("\u{feff}clé: x;2023\nLanderneau;\"1 234,5\"\n".as_bytes(), "t.csv").unwrap();
        assert_eq!(f.cellule(0, 0), &Cellule::Texte("clé: x".into()));
        assert_eq!(f.cellule(1, 1), &Cellule::Texte("1 234,5".into()));
        let f = csv(b"cl\xe9: x,2023\nDaoulas,\"12,5\"\n", "t.csv").unwrap();
        assert_eq!(f.cellule(0, 0), &Cellule::Texte("clé: x".into()), "Windows-1252");
        assert_eq!(f.cellule(1, 1), &Cellule::Texte("12,5".into()));
    }
}
