//! The limits of `mutu import`, checked before any sheet is read: a
//! workbook is a zip of XML parts, and a few hundred bytes of it can declare
//! cells at `XFD1048576` (calamine would allocate the whole rectangle: 549
//! GB), a million repeated rows (ODS), or shared strings that inflate to
//! gigabytes. So the file's size, the uncompressed size of every part
//! (measured while inflating, not taken from the zip's headers, which can
//! lie), and the extent of every sheet (from its cell references and
//! repetitions, read here with quick-xml, the parser calamine uses) are
//! checked first, and a file over a limit is refused with a diagnostic
//! naming it. docs/format.md (« Import de tableaux ») documents them.

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use quick_xml::events::{BytesStart, Event};
use std::io::{BufReader, Read, Seek};

/// Largest file read, in bytes (a workbook or a CSV file).
pub const OCTETS_FICHIER: u64 = 20_000_000;
/// Largest XML a workbook may inflate to, all parts together, in bytes.
pub const OCTETS_XML: u64 = 50_000_000;
/// Largest sheet: cells of the rectangle from A1 to its last filled cell.
pub const CELLULES_FEUILLE: u64 = 100_000;
/// Largest workbook: cells of all its sheets.
pub const CELLULES_CLASSEUR: u64 = 500_000;
/// Most sheets in a workbook: well above the workbook mutu itself writes
/// (one sheet per table: 350 for a 103-commune territory), so its own
/// workbooks always read back.
pub const FEUILLES: usize = 1_000;
/// Spreadsheet bounds (Excel's, LibreOffice's since 7.4): a reference
/// beyond them is not a cell.
pub const LIGNES: u64 = 1_048_576;
pub const COLONNES: u64 = 16_384;
/// Diagnostics shown by one import; the rest are counted.
pub const DIAGNOSTICS: usize = 100;

/// `n` in French (`100 000`).
fn fr(n: u64) -> String {
    mutu_base::format::entier(n.min(i64::MAX as u64) as i64)
}

/// `20 Mo`.
fn mo(octets: u64) -> String {
    mutu_base::format::octets(octets)
}

fn trop(affiche: &str, message: String, attendu: String) -> Diagnostic {
    Diagnostic::error(Code::ImportTropGrand, message)
        .at(Some(Loc::lieu(affiche)))
        .expected(attendu)
        .hint("mutu importe des tableaux de saisie : découpez le classeur, ou retirez-en les feuilles et les lignes qui ne concernent pas le projet")
}

/// The file's size on disk, refused over [`OCTETS_FICHIER`].
pub fn taille_fichier(taille: u64, affiche: &str) -> Result<(), Diagnostic> {
    if taille > OCTETS_FICHIER {
        return Err(trop(
            affiche,
            format!("fichier trop volumineux : « {affiche} » pèse {} octets", fr(taille)),
            format!("un fichier d'au plus {} (limite de mutu import)", mo(OCTETS_FICHIER)),
        ));
    }
    Ok(())
}

/// A reader that fails once more than `reste` bytes went through it.
struct Plafond<'a, R> {
    inner: R,
    reste: &'a mut u64,
    depasse: &'a mut bool,
}

impl<R: Read> Read for Plafond<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > *self.reste {
            *self.depasse = true;
            return Err(std::io::Error::other("limite"));
        }
        *self.reste -= n as u64;
        Ok(n)
    }
}

/// Which workbook format a zip holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Ods,
}

/// How far a sheet's filled cells reach (1-based: the last row and column).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Etendue {
    pub lignes: u64,
    pub colonnes: u64,
}

impl Etendue {
    fn cellules(&self) -> u64 {
        self.lignes.saturating_mul(self.colonnes)
    }
    fn couvre(&mut self, ligne: u64, colonne: u64) {
        self.lignes = self.lignes.max(ligne);
        self.colonnes = self.colonnes.max(colonne);
    }
}

/// Why a part is refused while it is scanned.
enum Refus {
    /// A cell reference beyond the spreadsheet's bounds, as written.
    Reference(String),
    /// A sheet reaching this far.
    Etendue(Etendue),
}

/// Checks the workbook in `lecteur` against every limit; the zip and XML
/// errors are left to calamine, which reports them.
pub fn verifier_classeur<R: Read + Seek>(lecteur: R, format: Format, affiche: &str) -> Result<(), Diagnostic> {
    let Ok(mut zip) = zip::ZipArchive::new(lecteur) else {
        return Ok(());
    };
    let mut reste = OCTETS_XML;
    let mut total = 0u64;
    let mut feuilles = 0usize;
    for i in 0..zip.len() {
        let Ok(part) = zip.by_index(i) else { continue };
        let nom = part.name().map(|n| n.into_owned()).unwrap_or_default();
        if part.size() > reste {
            return Err(trop_xml(affiche, &nom));
        }
        let a_lire = match format {
            Format::Xlsx => nom.to_ascii_lowercase().ends_with(".xml"),
            Format::Ods => nom == "content.xml",
        };
        let mut depasse = false;
        let plafond = Plafond {
            inner: part,
            reste: &mut reste,
            depasse: &mut depasse,
        };
        let etendues = if a_lire {
            match format {
                Format::Xlsx => balayer_xlsx(plafond),
                Format::Ods => balayer_ods(plafond),
            }
        } else {
            let mut p = plafond;
            let _ = std::io::copy(&mut p, &mut std::io::sink());
            Ok(Vec::new())
        };
        if depasse {
            return Err(trop_xml(affiche, &nom));
        }
        let etendues = etendues.map_err(|r| match r {
            Refus::Reference(r) => Diagnostic::error(Code::ReferenceInvalide, format!("référence de cellule hors du tableur : « {r} » (dans {nom})"))
                .at(Some(Loc::lieu(affiche)))
                .expected("des cellules entre A1 et XFD1048576 (les limites d'un tableur)")
                .hint("le fichier n'a pas été écrit par un tableur, ou il est abîmé : rouvrez-le dans votre tableur et enregistrez-le à nouveau"),
            Refus::Etendue(e) => trop_feuille(affiche, &nom, e),
        })?;
        for e in etendues {
            if e.cellules() > CELLULES_FEUILLE {
                return Err(trop_feuille(affiche, &nom, e));
            }
            feuilles += 1;
            total += e.cellules();
        }
    }
    if feuilles > FEUILLES {
        return Err(trop(
            affiche,
            format!("trop de feuilles : « {affiche} » en a {feuilles}"),
            format!("au plus {} feuilles (limite de mutu import)", fr(FEUILLES as u64)),
        ));
    }
    if total > CELLULES_CLASSEUR {
        return Err(trop(
            affiche,
            format!("classeur trop grand : ses feuilles couvrent {} cellules", fr(total)),
            format!("au plus {} cellules pour tout le classeur (limite de mutu import)", fr(CELLULES_CLASSEUR)),
        ));
    }
    Ok(())
}

/// A CSV file reaching this far (checked row by row while it is read).
pub fn etendue_csv(e: Etendue, affiche: &str) -> Result<(), Diagnostic> {
    if e.cellules() > CELLULES_FEUILLE {
        return Err(trop_feuille(affiche, "CSV", e));
    }
    Ok(())
}

fn trop_xml(affiche: &str, nom: &str) -> Diagnostic {
    trop(
        affiche,
        format!("classeur trop volumineux une fois décompressé (partie {nom})"),
        format!(
            "un classeur dont le contenu décompressé ne dépasse pas {} (limite de mutu import)",
            mo(OCTETS_XML)
        ),
    )
}

fn trop_feuille(affiche: &str, nom: &str, e: Etendue) -> Diagnostic {
    trop(
        affiche,
        format!(
            "feuille trop grande ({nom}) : ses cellules vont jusqu'à la ligne {} et la colonne {}, soit {} cellules depuis A1",
            fr(e.lignes),
            mutu_base::format::colonne_tableur(e.colonnes.saturating_sub(1) as usize),
            fr(e.cellules())
        ),
        format!(
            "au plus {} cellules par feuille, de A1 à la dernière cellule remplie (limite de mutu import)",
            fr(CELLULES_FEUILLE)
        ),
    )
}

/// `(row, column)`, 1-based, of a reference such as `C7`; `None` when it
/// is not a reference; saturating, so `A4294967297` stays beyond the
/// bounds instead of wrapping to `A1` (calamine's own parser wraps).
pub fn reference(r: &[u8]) -> Option<(u64, u64)> {
    let lettres = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let chiffres = &r[lettres..];
    if chiffres.is_empty() || !chiffres.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let colonne = r[..lettres]
        .iter()
        .fold(0u64, |c, b| c.saturating_mul(26).saturating_add(u64::from(b.to_ascii_uppercase() - b'A') + 1));
    let ligne = chiffres.iter().fold(0u64, |l, b| l.saturating_mul(10).saturating_add(u64::from(b - b'0')));
    Some((ligne, colonne))
}

fn attribut(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .map(|a| a.value.into_owned())
}

/// A repetition count (1 when absent or unreadable), or a row number.
fn nombre(v: Option<String>) -> u64 {
    v.and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(1).max(1)
}

fn hors_bornes(ligne: u64, colonne: u64) -> bool {
    ligne > LIGNES || colonne > COLONNES || ligne == 0 || colonne == 0
}

/// The extent of the sheet an XLSX part holds (none for other parts):
/// the cells with a value (`<v>` or inline `<is>`), placed as calamine
/// places them (the reference, else the next column or row), and the
/// declared `<dimension>`.
fn balayer_xlsx<R: Read>(source: R) -> Result<Vec<Etendue>, Refus> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(source));
    let mut buf = Vec::new();
    let mut feuille: Option<Etendue> = None;
    let (mut ligne, mut colonne) = (0u64, 0u64);
    // The cell being read, until its value shows it is filled.
    let mut cellule: Option<(u64, u64)> = None;
    loop {
        let (e, vide) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.local_name().as_ref() == "c" {
                    cellule = None;
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        match e.local_name().as_ref() {
            "dimension" => {
                if let Some(r) = attribut(&e, "ref") {
                    let f = feuille.get_or_insert_default();
                    for bout in r.split(':') {
                        match reference(bout.as_bytes()) {
                            Some((l, c)) if !hors_bornes(l, c) => f.couvre(l, c),
                            _ => return Err(Refus::Reference(r)),
                        }
                    }
                    if f.cellules() > CELLULES_FEUILLE {
                        return Err(Refus::Etendue(*f));
                    }
                }
            }
            "sheetData" => {
                feuille.get_or_insert_default();
            }
            "row" => {
                ligne = match attribut(&e, "r") {
                    Some(r) => nombre(Some(r)),
                    None => ligne.saturating_add(1),
                };
                colonne = 0;
            }
            "c" => {
                let (l, c) = match attribut(&e, "r") {
                    Some(r) => match reference(r.as_bytes()) {
                        Some(p) => p,
                        None => return Err(Refus::Reference(r)),
                    },
                    None => (ligne.max(1), colonne.saturating_add(1)),
                };
                if hors_bornes(l, c) {
                    let r = attribut(&e, "r");
                    return Err(Refus::Reference(r.unwrap_or_else(|| format!("ligne {l}, colonne {c}"))));
                }
                (ligne, colonne) = (l, c);
                if !vide {
                    cellule = Some((l, c));
                }
            }
            "v" | "is" => {
                if let (Some((l, c)), Some(f)) = (cellule.take(), feuille.as_mut()) {
                    f.couvre(l, c);
                    if f.cellules() > CELLULES_FEUILLE {
                        return Err(Refus::Etendue(*f));
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(feuille.into_iter().collect())
}

/// The extent of every table of an ODS `content.xml`: rows and columns
/// counted with their repetitions (`table:number-rows-repeated`,
/// `table:number-columns-repeated`), only filled cells (a value type or a
/// content) extending it, so the million empty rows LibreOffice writes at
/// the end of a sheet cost nothing.
fn balayer_ods<R: Read>(source: R) -> Result<Vec<Etendue>, Refus> {
    let mut xml = quick_xml::Reader::from_reader(BufReader::new(source));
    let mut buf = Vec::new();
    let mut feuilles = Vec::new();
    // Depth of nested tables (a table inside a cell is part of its cell).
    let mut profondeur = 0usize;
    let mut f = Etendue::default();
    let (mut ligne, mut colonne) = (0u64, 0u64);
    let mut repetition_ligne = 1u64;
    let mut ligne_remplie = false;
    loop {
        let (e, vide) = match xml.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => (e.into_owned(), false),
            Ok(Event::Empty(e)) => (e.into_owned(), true),
            Ok(Event::End(e)) => {
                match e.local_name().as_ref() {
                    "table" => {
                        if profondeur == 1 {
                            feuilles.push(f);
                        }
                        profondeur = profondeur.saturating_sub(1);
                    }
                    "table-row" if profondeur == 1 => {
                        fin_ligne(&mut f, &mut ligne, repetition_ligne, ligne_remplie)?;
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            Ok(_) => {
                buf.clear();
                continue;
            }
        };
        buf.clear();
        match e.local_name().as_ref() {
            "table" if !vide => {
                profondeur += 1;
                if profondeur == 1 {
                    f = Etendue::default();
                    ligne = 0;
                }
            }
            "table-row" if profondeur == 1 => {
                repetition_ligne = nombre(attribut(&e, "number-rows-repeated"));
                colonne = 0;
                ligne_remplie = false;
                if vide {
                    fin_ligne(&mut f, &mut ligne, repetition_ligne, false)?;
                }
            }
            "table-cell" | "covered-table-cell" if profondeur == 1 => {
                let n = nombre(attribut(&e, "number-columns-repeated"));
                let remplie = !vide || attribut(&e, "value-type").is_some();
                colonne = colonne.saturating_add(n);
                if remplie {
                    if colonne > COLONNES {
                        return Err(Refus::Reference(format!("colonne {}", fr(colonne))));
                    }
                    f.colonnes = f.colonnes.max(colonne);
                    ligne_remplie = true;
                }
            }
            _ => {}
        }
    }
    Ok(feuilles)
}

fn fin_ligne(f: &mut Etendue, ligne: &mut u64, repetition: u64, remplie: bool) -> Result<(), Refus> {
    *ligne = ligne.saturating_add(repetition);
    if remplie {
        if *ligne > LIGNES {
            return Err(Refus::Reference(format!("ligne {}", fr(*ligne))));
        }
        f.lignes = f.lignes.max(*ligne);
        if f.cellules() > CELLULES_FEUILLE {
            return Err(Refus::Etendue(*f));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_saturate_instead_of_wrapping() {
        assert_eq!(reference(b"C7"), Some((7, 3)));
        assert_eq!(reference(b"xfd1048576"), Some((LIGNES, COLONNES)));
        let (l, _) = reference(b"A4294967297").unwrap();
        assert_eq!(l, 4_294_967_297, "not A1");
        assert!(hors_bornes(l, 1));
        assert!(hors_bornes(reference(b"ZZZZZZZZ2").unwrap().0, reference(b"ZZZZZZZZ2").unwrap().1));
        assert_eq!(reference(b"A"), None);
        assert_eq!(reference(b"7"), Some((7, 0)));
    }
}
