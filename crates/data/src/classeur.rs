//! One workbook with every table of the report, for the finance service that
//! opens one file rather than a hundred CSVs: `donnees/<rapport>.ods`
//! (OpenDocument, the format the French RGI recommends to administrations)
//! and the same sheets as `donnees/<rapport>.xlsx` (SpreadsheetML, for Excel).
//!
//! A first sheet « Sommaire » gives the source and licence and lists every
//! other sheet (linked) with its table's title, page and note; then one sheet
//! per table, in document order: its header row (bold, frozen), its rows,
//! its total rows (bold). A figure cell holds the exact value the CSV holds
//! (`186641.00`), as a number, with the euro format in a column of amounts and
//! the percentage format in a column of percentages, where the value is the
//! fraction (`64.29` in the CSV, « 64,29 % » shown, `0.6429` stored: what
//! a percentage is to a spreadsheet, so that `=B2*C2` computes a share).
//! Column types and units are those of the data package
//! ([`super::data::type_de_colonne`], [`super::data::unite`]).
//!
//! Both files are written by hand (a few XML parts in a zip) and are
//! deterministic: fixed entry order and timestamps (1980-01-01, the zip
//! epoch), dates taken from the data, never the clock. Text cells are text
//! in both formats, never formulas: unlike the CSVs, they need no `'`.

use super::Fichier;
use crate::{tableaux_publies, type_de_colonne, unite, Genre, Unite, LICENCE_NOM};
use mutu_base::texte::echappe_html;
use mutu_present::cells::CODE_INSEE;
use mutu_present::{Document, Page, Tableau};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::io::Write;

/// Name of the first sheet.
const SOMMAIRE: &str = "Sommaire";

/// Longest sheet name Excel accepts (LibreOffice has no limit).
const NOM_MAX: usize = 31;

/// `donnees/<rapport>.ods` and `donnees/<rapport>.xlsx`, from the published
/// tables ([`tableaux_publies`]) with their pages.
pub fn render(doc: &Document, tableaux: &[(&Page, &Tableau)]) -> Vec<Fichier> {
    let feuilles = feuilles(doc, tableaux);
    // The two formats are independent: written on two threads.
    let (ods, xlsx) = std::thread::scope(|s| {
        let xlsx = s.spawn(|| xlsx(doc, &feuilles));
        (ods(doc, &feuilles), xlsx.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    vec![Fichier::new(doc.chemin_classeur("ods"), ods), Fichier::new(doc.chemin_classeur("xlsx"), xlsx)]
}

/// The workbook of a whole document (tests, tools).
pub fn render_document(doc: &Document) -> Vec<Fichier> {
    render(doc, &tableaux_publies(doc))
}

// ---------------------------------------------------------------------------
// Sheets, independent of the file format

/// How a figure is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Standard,
    Euros,
    PourCent,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Contenu {
    Vide,
    Texte(String),
    /// A number: its exact value (`xsd:double` lexical form) and format.
    Nombre(String, Format),
    /// Text linking to the first cell of a sheet.
    Lien(String),
}

/// Look of a cell besides its number format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Normal,
    /// Total rows, the title of the Sommaire.
    Gras,
    /// Column headers: bold, wrapped so that a long label does not widen
    /// its column.
    Entete,
}

#[derive(Debug, Clone)]
struct Case {
    contenu: Contenu,
    style: Style,
}

/// Most characters a cell holds in Excel (LibreOffice's limit is higher):
/// a longer text is cut, and the cell says so and where the whole is.
const CELLULE_MAX: usize = 32_767;

/// Ends a cut cell (its length counted in the limit).
const TRONQUE: &str = " […] (texte coupé à 32 767 caractères, la limite d'un tableur : le texte entier est dans le fichier CSV)";

/// `s` within [`CELLULE_MAX`] characters (UTF-16 code units, as Excel
/// counts them).
fn dans_une_cellule(s: String) -> String {
    if s.encode_utf16().count() <= CELLULE_MAX {
        return s;
    }
    let place = CELLULE_MAX - TRONQUE.encode_utf16().count();
    let mut n = 0;
    let mut coupe: String = s
        .chars()
        .take_while(|c| {
            n += c.len_utf16();
            n <= place
        })
        .collect();
    coupe.push_str(TRONQUE);
    coupe
}

impl Case {
    fn texte(s: impl Into<String>, style: Style) -> Case {
        let s = dans_une_cellule(s.into());
        Case {
            contenu: if s.is_empty() { Contenu::Vide } else { Contenu::Texte(s) },
            style,
        }
    }
}

/// Widest a header makes its column, in characters: longer labels wrap.
const ENTETE_MAX: usize = 24;

struct Feuille {
    nom: String,
    /// Widths in characters, one per column.
    largeurs: Vec<usize>,
    lignes: Vec<Vec<Case>>,
    /// The first row stays in view when scrolling (the header).
    entete_figee: bool,
}

/// Widths in characters: the longest text shown in the column, within
/// bounds that keep a long note from making a column wider than a screen.
fn largeurs(lignes: &[Vec<Case>], affiche: impl Fn(usize, usize) -> usize) -> Vec<usize> {
    let n = lignes.iter().map(Vec::len).max().unwrap_or(0);
    (0..n)
        .map(|j| {
            let plus_long = (0..lignes.len()).filter(|&i| j < lignes[i].len()).map(|i| affiche(i, j)).max().unwrap_or(0);
            (plus_long + 2).clamp(8, 60)
        })
        .collect()
}

/// Most sheets a workbook holds with one sheet per table; past it, the
/// tables of the members' pages are gathered by kind, one long sheet each
/// (docs/export.md § 23): 158 communes would otherwise make 350 to 500
/// sheets, more than a reader browses by their tabs, where gathered they
/// make a few dozen. A report of a few dozen members (the example: 108
/// sheets) keeps a sheet per table, as its site has a page per member.
pub const FEUILLES_MAX: usize = 150;

/// What one table sheet holds: one table, or the tables of one kind from
/// every member's page (`long`), in document order.
struct Groupe<'a> {
    /// The table's title; for a gathered sheet, the first member's table
    /// title with « chaque membre » in place of the member's name.
    titre: String,
    tableaux: Vec<(&'a Page, &'a Tableau)>,
    long: bool,
}

/// The sheets after the Sommaire: one per table, unless that makes more
/// than [`FEUILLES_MAX`] sheets; then the tables of the members' pages
/// (`Page::membre`) with the same title once the member's name is taken
/// out, and the same columns, share one sheet, where the first table of
/// that kind stood.
fn groupes<'a>(tableaux: &[(&'a Page, &'a Tableau)]) -> Vec<Groupe<'a>> {
    let seul = |(p, t): (&'a Page, &'a Tableau)| Groupe {
        titre: t.titre.clone(),
        tableaux: vec![(p, t)],
        long: false,
    };
    // The Sommaire is a sheet too.
    if tableaux.len() + 1 <= FEUILLES_MAX {
        return tableaux.iter().copied().map(seul).collect();
    }
    let mut out: Vec<Groupe<'a>> = Vec::new();
    // Kind (generic title, column labels) → index in `out`.
    let mut genres: std::collections::BTreeMap<(String, Vec<String>), usize> = Default::default();
    for &(p, t) in tableaux {
        let generique =
            (p.membre.is_some() && !p.titre.is_empty() && t.titre.contains(p.titre.as_str())).then(|| t.titre.replacen(p.titre.as_str(), "chaque membre", 1));
        let Some(titre) = generique else {
            out.push(seul((p, t)));
            continue;
        };
        let cle = (titre.clone(), t.colonnes.iter().map(|c| c.libelle.clone()).collect());
        match genres.get(&cle) {
            Some(&k) => out[k].tableaux.push((p, t)),
            None => {
                genres.insert(cle, out.len());
                out.push(Groupe {
                    titre,
                    tableaux: vec![(p, t)],
                    long: true,
                });
            }
        }
    }
    out
}

/// The ids of the tables each sheet after the Sommaire holds, and whether
/// it is a gathered (long) sheet: how a reader of the workbook finds a
/// table's rows again (the round-trip tests).
pub fn tableaux_par_feuille(doc: &Document) -> Vec<(bool, Vec<String>)> {
    groupes(&tableaux_publies(doc))
        .into_iter()
        .map(|g| (g.long, g.tableaux.iter().map(|(_, t)| t.id.clone()).collect()))
        .collect()
}

/// Member code by member page id, from the table that lists the members
/// with their code (rows whose header links to the member's page).
fn codes_des_membres(tableaux: &[(&Page, &Tableau)]) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for (_, t) in tableaux {
        let Some(j) = t.colonnes.iter().position(|c| c.libelle == CODE_INSEE) else {
            continue;
        };
        for l in &t.lignes {
            if let (Some(page), Some(code)) = (l.first().and_then(|c| c.lien.as_ref()), l.get(j)) {
                if !code.texte.is_empty() {
                    out.entry(page.clone()).or_insert_with(|| code.texte.clone());
                }
            }
        }
    }
    out
}

fn feuilles(doc: &Document, tableaux: &[(&Page, &Tableau)]) -> Vec<Feuille> {
    let groupes = groupes(tableaux);
    let noms = noms_de_feuilles(groupes.iter().map(|g| g.titre.as_str()));
    let mut out = vec![sommaire(doc, &groupes, &noms)];
    let codes = if groupes.iter().any(|g| g.long) {
        codes_des_membres(tableaux)
    } else {
        Default::default()
    };
    for (g, nom) in groupes.iter().zip(noms) {
        out.push(if g.long {
            feuille_longue(g, &codes, nom)
        } else {
            feuille(g.tableaux[0].1, nom)
        });
    }
    out
}

fn sommaire(doc: &Document, groupes: &[Groupe], noms: &[String]) -> Feuille {
    let mut lignes = vec![
        vec![Case::texte(doc.titre_complet.clone(), Style::Gras)],
        vec![Case::texte(
            format!(
                "Source : {} (SIREN {}), {}, annexé à la délibération {} du {}.",
                doc.epci_nom, doc.epci_siren, doc.titre_complet, doc.deliberation, doc.date_conseil_texte
            ),
            Style::Normal,
        )],
        vec![Case::texte(
            format!("Licence : {LICENCE_NOM}, https://www.etalab.gouv.fr/licence-ouverte-open-licence/"),
            Style::Normal,
        )],
        vec![Case::texte(
            format!(
                "{} Valeurs exactes, identiques aux fichiers CSV du dossier donnees/ ; \
                 les pourcentages sont des fractions affichées en pour cent (0,6429 s'affiche 64,29 %).",
                if groupes.iter().any(|g| g.long) {
                    "Une feuille par tableau du rapport ; les tableaux des pages des membres sont réunis, un genre de tableau par feuille, \
                     avec une ligne par ligne de tableau et le membre en tête (colonnes « Membre » et « Code INSEE »)."
                } else {
                    "Une feuille par tableau du rapport."
                }
            ),
            Style::Normal,
        )],
        vec![],
    ];
    lignes.push(["Feuille", "Tableau", "Page", "Note"].iter().map(|s| Case::texte(*s, Style::Entete)).collect());
    for (g, nom) in groupes.iter().zip(noms) {
        let (p, t) = g.tableaux[0];
        let (page, note) = if g.long {
            // A note said of every member's table alike is kept.
            let note = g.tableaux.iter().all(|(_, x)| x.note == t.note).then(|| t.note.clone()).flatten();
            (
                format!("Pages des membres ({})", mutu_base::texte::pluriel(g.tableaux.len(), "membre", "membres")),
                note,
            )
        } else {
            (p.titre.clone(), t.note.clone())
        };
        lignes.push(vec![
            Case {
                contenu: Contenu::Lien(nom.clone()),
                style: Style::Normal,
            },
            Case::texte(g.titre.clone(), Style::Normal),
            Case::texte(page, Style::Normal),
            Case::texte(note.unwrap_or_default(), Style::Normal),
        ]);
    }
    // The four lines above the list span the sheet: they do not size column A.
    let largeurs = largeurs(&lignes, |i, j| if i < 5 { 0 } else { texte_affiche(&lignes[i][j]) });
    Feuille {
        nom: SOMMAIRE.into(),
        largeurs,
        lignes,
        entete_figee: false,
    }
}

fn texte_affiche(c: &Case) -> usize {
    match &c.contenu {
        Contenu::Vide => 0,
        Contenu::Texte(s) | Contenu::Lien(s) => s.chars().count(),
        // « 186 641,00 € » is about as long as the value and its grouping.
        Contenu::Nombre(v, _) => v.len() + v.len() / 3 + 3,
    }
}

/// The body and total rows of a table as cells, each with the width it
/// is shown at (a figure as wide as its text on the site, « 186 641,00 € »).
fn corps(t: &Tableau) -> Vec<Vec<(Case, usize)>> {
    let colonnes: Vec<(Genre, Format)> = (0..t.colonnes.len())
        .map(|j| {
            let format = match unite(t, j) {
                Some(Unite::Euros) => Format::Euros,
                Some(Unite::PourCent) => Format::PourCent,
                None => Format::Standard,
            };
            (type_de_colonne(t, j), format)
        })
        .collect();
    let lignes = t.lignes.iter().map(|l| (l, Style::Normal)).chain(t.pied.iter().map(|l| (l, Style::Gras)));
    lignes
        .map(|(ligne, style)| {
            ligne
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let (genre, format) = colonnes.get(j).copied().unwrap_or((Genre::Texte, Format::Standard));
                    let nombre = c.valeur.as_deref().filter(|_| genre.chiffre()).and_then(|v| valeur(v, format));
                    let case = match nombre {
                        Some(v) => Case {
                            contenu: Contenu::Nombre(v, format),
                            style,
                        },
                        // As in the CSV: « — » in a figure column is an empty cell.
                        None if genre.chiffre() && c.valeur.is_none() && c.texte == crate::SANS_OBJET => Case::texte(String::new(), style),
                        // The raw value when there is one, else the text.
                        None => Case::texte(c.valeur.clone().unwrap_or_else(|| c.texte.clone()), style),
                    };
                    let largeur = match case.contenu {
                        Contenu::Nombre(..) => c.texte.chars().count(),
                        _ => texte_affiche(&case),
                    };
                    (case, largeur)
                })
                .collect()
        })
        .collect()
}

fn entetes<'a>(libelles: impl Iterator<Item = &'a str>) -> Vec<(Case, usize)> {
    libelles.map(|l| (Case::texte(l, Style::Entete), l.chars().count().min(ENTETE_MAX))).collect()
}

fn feuille_de(lignes: Vec<Vec<(Case, usize)>>, nom: String) -> Feuille {
    let largeurs_vues: Vec<Vec<usize>> = lignes.iter().map(|l| l.iter().map(|(_, n)| *n).collect()).collect();
    let lignes: Vec<Vec<Case>> = lignes.into_iter().map(|l| l.into_iter().map(|(c, _)| c).collect()).collect();
    let largeurs = largeurs(&lignes, |i, j| largeurs_vues[i][j]);
    Feuille {
        nom,
        largeurs,
        lignes,
        entete_figee: true,
    }
}

fn feuille(t: &Tableau, nom: String) -> Feuille {
    let mut lignes = vec![entetes(t.colonnes.iter().map(|c| c.libelle.as_str()))];
    lignes.extend(corps(t));
    feuille_de(lignes, nom)
}

/// The tables of one kind from every member's page, in long format: the
/// member's name and code, then the table's own columns, one row per row
/// of each table (its totals in bold), every figure as in its CSV.
fn feuille_longue(g: &Groupe, codes: &std::collections::BTreeMap<String, String>, nom: String) -> Feuille {
    let t0 = g.tableaux[0].1;
    let mut lignes = vec![entetes(
        ["Membre", CODE_INSEE].into_iter().chain(t0.colonnes.iter().map(|c| c.libelle.as_str())),
    )];
    for (p, t) in &g.tableaux {
        let code = codes.get(&p.id).cloned().unwrap_or_default();
        for ligne in corps(t) {
            let style = ligne.first().map_or(Style::Normal, |(c, _)| c.style);
            let mut l = vec![
                (Case::texte(p.titre.clone(), style), p.titre.chars().count()),
                (Case::texte(code.clone(), style), code.chars().count()),
            ];
            l.extend(ligne);
            lignes.push(l);
        }
    }
    feuille_de(lignes, nom)
}

/// The value a cell stores: the raw value itself, or for a percentage its
/// fraction (`64.29` → `0.6429`, exact decimal shift). `None` when the raw
/// value is not a number (the column type says it is, so this is defensive).
fn valeur(brute: &str, format: Format) -> Option<String> {
    let d: Decimal = brute.parse().ok()?;
    Some(match format {
        Format::PourCent => (d / Decimal::ONE_HUNDRED).normalize().to_string(),
        _ => brute.to_string(),
    })
}

/// A title too long for a sheet: its first words and its last ones around
/// « … » (« Organismes adhérents … droit des sols »), the start naming the
/// kind of table and the end what it is about; a word longer than the room
/// is cut.
fn abrege(titre: &[char]) -> Vec<char> {
    let texte: String = titre.iter().collect();
    let mots: Vec<&str> = texte
        .split([' ', '\u{a0}', '\u{202f}'])
        .filter(|m| !matches!(*m, "" | "—" | "-" | ":"))
        .collect();
    let longueur = |v: &[&str]| v.iter().map(|m| m.chars().count()).sum::<usize>() + v.len().saturating_sub(1);
    let mut debut: Vec<&str> = Vec::new();
    for m in &mots {
        if longueur(&debut) + m.chars().count() + 1 > 14 && !debut.is_empty() {
            break;
        }
        debut.push(m);
    }
    let reste = NOM_MAX.saturating_sub(longueur(&debut) + 3);
    let mut fin: Vec<&str> = Vec::new();
    for m in mots[debut.len().min(mots.len())..].iter().rev() {
        if longueur(&fin) + m.chars().count() + 1 > reste {
            break;
        }
        fin.insert(0, m);
    }
    let nom = if fin.is_empty() {
        format!("{}…", debut.join(" "))
    } else {
        format!("{} … {}", debut.join(" "), fin.join(" "))
    };
    nom.chars().take(NOM_MAX).collect()
}

/// Sheet names from the tables' titles, as a reader names them: at most
/// 31 characters, abridged around « … » when longer ([`abrege`]), none of
/// `[]:*?/\`, unique ignoring case (as Excel compares them), never
/// « Sommaire »; a name already taken ends with « (2) », « (3) »…
fn noms_de_feuilles<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut pris: BTreeSet<String> = BTreeSet::from([SOMMAIRE.to_lowercase()]);
    let mut out = Vec::new();
    for id in ids {
        let propre: Vec<char> = id
            .chars()
            .map(|c| {
                if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let mut nom: Vec<char> = if propre.len() > NOM_MAX { abrege(&propre) } else { propre };
        // Excel refuses a name that starts or ends with an apostrophe.
        while nom.first() == Some(&'\'') || nom.last() == Some(&'\'') {
            if nom.first() == Some(&'\'') {
                nom.remove(0);
            } else {
                nom.pop();
            }
        }
        if nom.is_empty() {
            nom = "tableau".chars().collect();
        }
        let mut candidat: String = nom.iter().collect();
        let mut k = 2;
        while pris.contains(&candidat.to_lowercase()) {
            let suffixe = format!(" ({k})");
            let garde = NOM_MAX - suffixe.chars().count();
            candidat = nom.iter().take(garde).collect::<String>() + &suffixe;
            k += 1;
        }
        pris.insert(candidat.to_lowercase());
        out.push(candidat);
    }
    out
}

// ---------------------------------------------------------------------------
// Zip

/// A zip archive of `parties` in this order, each entry dated 1980-01-01
/// (the zip epoch) so that two builds give the same bytes. `stocke` entries
/// are stored uncompressed (the ODS `mimetype`, read by its offset).
fn zip(parties: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime, ZipWriter};
    let mut w = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default().last_modified_time(DateTime::default()).unix_permissions(0o644);
    // Writing to memory: the only errors are those of the destination, which
    // a Vec never has, and of options that are constant here.
    for (nom, contenu, stocke) in parties {
        let methode = if *stocke { CompressionMethod::Stored } else { CompressionMethod::Deflated };
        // Level 3: at 2,000 communes (6,000 sheets) the default level 6
        // took 1.2 s instead of 0.8 for an ODS of 2.3 MB instead of 3.0.
        let _ = w.start_file(*nom, base.compression_method(methode).compression_level((!*stocke).then_some(3)));
        let _ = w.write_all(contenu);
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// Text for XML content or attributes: escaped, without the control
/// characters XML 1.0 forbids (a stray one in a label would make the file
/// unreadable).
fn xml(s: &str) -> String {
    let propre: String = s.chars().filter(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r')).collect();
    echappe_html(&propre)
}

// ---------------------------------------------------------------------------
// ODS (OpenDocument 1.3)

const ODS_MIME: &str = "application/vnd.oasis.opendocument.spreadsheet";

const ODS_NS: &str = concat!(
    r#"xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" "#,
    r#"xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" "#,
    r#"xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" "#,
    r#"xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" "#,
    r#"xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" "#,
    r#"xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" "#,
    r#"xmlns:xlink="http://www.w3.org/1999/xlink" "#,
    r#"xmlns:dc="http://purl.org/dc/elements/1.1/" "#,
    r#"xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" "#,
    r#"xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" "#,
    r#"office:version="1.3""#
);

/// Number and cell styles: euros « 186 641,00 € », percentages « 64,29 % »,
/// each also bold for total rows; a bold text style for headers.
const ODS_STYLES_CELLULES: &str = concat!(
    r#"<number:currency-style style:name="N-EUR" number:language="fr" number:country="FR"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>"#,
    r#"<number:text> </number:text><number:currency-symbol number:language="fr" number:country="FR">€</number:currency-symbol></number:currency-style>"#,
    r#"<number:percentage-style style:name="N-PCT" number:language="fr" number:country="FR"><number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1"/>"#,
    r#"<number:text> %</number:text></number:percentage-style>"#,
    r#"<style:style style:name="ce-g" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>"#,
    r#"<style:style style:name="ce-tete" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/><style:text-properties fo:font-weight="bold"/></style:style>"#,
    r#"<style:style style:name="ce-eur" style:family="table-cell" style:data-style-name="N-EUR"/>"#,
    r#"<style:style style:name="ce-eur-g" style:family="table-cell" style:data-style-name="N-EUR"><style:text-properties fo:font-weight="bold"/></style:style>"#,
    r#"<style:style style:name="ce-pct" style:family="table-cell" style:data-style-name="N-PCT"/>"#,
    r#"<style:style style:name="ce-pct-g" style:family="table-cell" style:data-style-name="N-PCT"><style:text-properties fo:font-weight="bold"/></style:style>"#,
);

fn ods(doc: &Document, feuilles: &[Feuille]) -> Vec<u8> {
    let manifest = concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?>"#,
        "\n",
        r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">"#,
        r#"<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>"#,
        r#"<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>"#,
        r#"<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>"#,
        r#"<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>"#,
        r#"<manifest:file-entry manifest:full-path="settings.xml" manifest:media-type="text/xml"/>"#,
        "</manifest:manifest>\n"
    );
    let styles = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-styles {ODS_NS}><office:styles>\
         <style:default-style style:family=\"table-cell\"><style:text-properties fo:language=\"fr\" fo:country=\"FR\"/></style:default-style>\
         </office:styles></office:document-styles>\n"
    );
    let meta = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-meta {ODS_NS}><office:meta>\
         <meta:generator>mutu</meta:generator><dc:title>{}</dc:title><dc:language>fr-FR</dc:language>\
         <meta:creation-date>{date}T00:00:00</meta:creation-date><dc:date>{date}T00:00:00</dc:date>\
         </office:meta></office:document-meta>\n",
        xml(&doc.titre_complet),
        date = xml(&doc.date_document),
    );
    zip(&[
        ("mimetype", ODS_MIME.as_bytes().to_vec(), true),
        ("META-INF/manifest.xml", manifest.as_bytes().to_vec(), false),
        ("styles.xml", styles.into_bytes(), false),
        ("meta.xml", meta.into_bytes(), false),
        ("settings.xml", ods_reglages(feuilles).into_bytes(), false),
        ("content.xml", ods_contenu(feuilles).into_bytes(), false),
    ])
}

/// Column width styles `co<n>`, one per width used.
fn ods_colonnes(feuilles: &[Feuille]) -> BTreeSet<usize> {
    feuilles.iter().flat_map(|f| f.largeurs.iter().copied()).collect()
}

/// A sheet name in a link target: quoted unless plain letters, digits, `-`, `_`.
fn ods_cible(nom: &str) -> String {
    if nom.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        format!("#{nom}.A1")
    } else {
        format!("#'{}'.A1", nom.replace('\'', "''"))
    }
}

fn ods_contenu(feuilles: &[Feuille]) -> String {
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content {ODS_NS}><office:automatic-styles>");
    s.push_str(ODS_STYLES_CELLULES);
    for l in ods_colonnes(feuilles) {
        // About 0.21 cm per character of the default 10 pt font.
        s.push_str(&format!(
            "<style:style style:name=\"co{l}\" style:family=\"table-column\"><style:table-column-properties style:column-width=\"{:.2}cm\"/></style:style>",
            l as f64 * 0.21
        ));
    }
    s.push_str("</office:automatic-styles><office:body><office:spreadsheet>");
    for f in feuilles {
        s.push_str(&format!("<table:table table:name=\"{}\">", xml(&f.nom)));
        for l in &f.largeurs {
            s.push_str(&format!("<table:table-column table:style-name=\"co{l}\"/>"));
        }
        for (i, ligne) in f.lignes.iter().enumerate() {
            let entete = i == 0 && f.entete_figee;
            if entete {
                s.push_str("<table:table-header-rows>");
            }
            s.push_str("<table:table-row>");
            for c in ligne {
                s.push_str(&ods_case(c));
            }
            if ligne.is_empty() {
                s.push_str("<table:table-cell/>");
            }
            s.push_str("</table:table-row>");
            if entete {
                s.push_str("</table:table-header-rows>");
            }
        }
        s.push_str("</table:table>");
    }
    s.push_str("</office:spreadsheet></office:body></office:document-content>\n");
    s
}

fn ods_case(c: &Case) -> String {
    let g = if c.style == Style::Normal { "" } else { "-g" };
    let texte = match c.style {
        Style::Normal => "",
        Style::Gras => " table:style-name=\"ce-g\"",
        Style::Entete => " table:style-name=\"ce-tete\"",
    };
    match &c.contenu {
        Contenu::Vide => "<table:table-cell/>".into(),
        Contenu::Texte(t) => {
            let style = texte;
            let paragraphes: String = t.split('\n').map(|p| format!("<text:p>{}</text:p>", xml(p))).collect();
            format!("<table:table-cell{style} office:value-type=\"string\">{paragraphes}</table:table-cell>")
        }
        Contenu::Lien(nom) => format!(
            "<table:table-cell office:value-type=\"string\"><text:p><text:a xlink:type=\"simple\" xlink:href=\"{}\">{}</text:a></text:p></table:table-cell>",
            xml(&ods_cible(nom)),
            xml(nom)
        ),
        Contenu::Nombre(v, Format::Euros) => {
            format!("<table:table-cell table:style-name=\"ce-eur{g}\" office:value-type=\"currency\" office:currency=\"EUR\" office:value=\"{v}\"/>")
        }
        Contenu::Nombre(v, Format::PourCent) => {
            format!("<table:table-cell table:style-name=\"ce-pct{g}\" office:value-type=\"percentage\" office:value=\"{v}\"/>")
        }
        Contenu::Nombre(v, Format::Standard) => {
            let style = texte;
            format!("<table:table-cell{style} office:value-type=\"float\" office:value=\"{v}\"/>")
        }
    }
}

/// View settings: the header row of each table sheet frozen (LibreOffice's
/// `VerticalSplitMode` 2 is a frozen split at `VerticalSplitPosition` rows).
fn ods_reglages(feuilles: &[Feuille]) -> String {
    let item = |nom: &str, genre: &str, v: &str| format!("<config:config-item config:name=\"{nom}\" config:type=\"{genre}\">{v}</config:config-item>");
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-settings {ODS_NS}><office:settings>\
         <config:config-item-set config:name=\"ooo:view-settings\"><config:config-item-map-indexed config:name=\"Views\">\
         <config:config-item-map-entry>{}<config:config-item-map-named config:name=\"Tables\">",
        item("ViewId", "string", "view1")
    );
    for f in feuilles.iter().filter(|f| f.entete_figee) {
        s.push_str(&format!("<config:config-item-map-entry config:name=\"{}\">", xml(&f.nom)));
        s.push_str(&item("VerticalSplitMode", "short", "2"));
        s.push_str(&item("VerticalSplitPosition", "int", "1"));
        s.push_str(&item("ActiveSplitRange", "short", "2"));
        s.push_str(&item("PositionTop", "int", "0"));
        s.push_str(&item("PositionBottom", "int", "1"));
        s.push_str("</config:config-item-map-entry>");
    }
    s.push_str(&format!(
        "</config:config-item-map-named>{}</config:config-item-map-entry></config:config-item-map-indexed></config:config-item-set></office:settings></office:document-settings>\n",
        item("ActiveTable", "string", &xml(SOMMAIRE))
    ));
    s
}

// ---------------------------------------------------------------------------
// XLSX (Office Open XML SpreadsheetML, strict enough for Excel)

const XLSX_NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const XLSX_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Cell formats (`cellXfs`), by index: 0 default, 1 bold, 2 euros, 3
/// percentage, 4 bold euros, 5 bold percentage, 6 header (bold, wrapped,
/// top-aligned). Format 164 is
/// `#,##0.00 "€"`; 10 is Excel's built-in `0.00%`.
const XLSX_STYLES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    "\n",
    r#"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
    r##"<numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.00 &quot;€&quot;"/></numFmts>"##,
    r#"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#,
    r#"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#,
    r#"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#,
    r#"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#,
    r#"<cellXfs count="7">"#,
    r#"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#,
    r#"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#,
    r#"<xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>"#,
    r#"<xf numFmtId="10" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>"#,
    r#"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#,
    r#"</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#,
    "</styleSheet>\n"
);

fn xlsx(doc: &Document, feuilles: &[Feuille]) -> Vec<u8> {
    let entete = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    let mut types = format!(
        "{entete}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>\
         <Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    );
    let mut classeur = format!("{entete}<workbook xmlns=\"{XLSX_NS}\" xmlns:r=\"{XLSX_REL}\"><sheets>");
    let mut liens = format!("{entete}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">");
    for (k, f) in feuilles.iter().enumerate() {
        let n = k + 1;
        types.push_str(&format!(
            "<Override PartName=\"/xl/worksheets/sheet{n}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        ));
        classeur.push_str(&format!("<sheet name=\"{}\" sheetId=\"{n}\" r:id=\"rId{n}\"/>", xml(&f.nom)));
        liens.push_str(&format!(
            "<Relationship Id=\"rId{n}\" Type=\"{XLSX_REL}/worksheet\" Target=\"worksheets/sheet{n}.xml\"/>"
        ));
    }
    types.push_str("</Types>\n");
    classeur.push_str("</sheets></workbook>\n");
    liens.push_str(&format!(
        "<Relationship Id=\"rId{}\" Type=\"{XLSX_REL}/styles\" Target=\"styles.xml\"/></Relationships>\n",
        feuilles.len() + 1
    ));
    let racine = format!(
        "{entete}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{XLSX_REL}/officeDocument\" Target=\"xl/workbook.xml\"/>\
         <Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
         </Relationships>\n"
    );
    let core = format!(
        "{entete}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>fr-FR</dc:language>\
         <dcterms:created xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:created>\
         <dcterms:modified xsi:type=\"dcterms:W3CDTF\">{date}T00:00:00Z</dcterms:modified></cp:coreProperties>\n",
        xml(&doc.titre_complet),
        xml(&doc.epci_nom),
        date = xml(&doc.date_document),
    );
    let mut parties = vec![
        ("[Content_Types].xml".to_string(), types.into_bytes()),
        ("_rels/.rels".to_string(), racine.into_bytes()),
        ("docProps/core.xml".to_string(), core.into_bytes()),
        ("xl/workbook.xml".to_string(), classeur.into_bytes()),
        ("xl/_rels/workbook.xml.rels".to_string(), liens.into_bytes()),
        ("xl/styles.xml".to_string(), XLSX_STYLES.as_bytes().to_vec()),
    ];
    for (k, f) in feuilles.iter().enumerate() {
        parties.push((format!("xl/worksheets/sheet{}.xml", k + 1), xlsx_feuille(f).into_bytes()));
    }
    let parties: Vec<(&str, Vec<u8>, bool)> = parties.iter().map(|(n, c)| (n.as_str(), c.clone(), false)).collect();
    zip(&parties)
}

fn xlsx_feuille(f: &Feuille) -> String {
    let mut s = format!("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"{XLSX_NS}\" xmlns:r=\"{XLSX_REL}\">");
    if f.entete_figee {
        s.push_str(
            "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>",
        );
    }
    if !f.largeurs.is_empty() {
        s.push_str("<cols>");
        for (j, l) in f.largeurs.iter().enumerate() {
            s.push_str(&format!("<col min=\"{n}\" max=\"{n}\" width=\"{l}\" customWidth=\"1\"/>", n = j + 1));
        }
        s.push_str("</cols>");
    }
    s.push_str("<sheetData>");
    let mut liens = Vec::new();
    for (i, ligne) in f.lignes.iter().enumerate() {
        s.push_str(&format!("<row r=\"{}\">", i + 1));
        for (j, c) in ligne.iter().enumerate() {
            let r = format!("{}{}", mutu_base::format::colonne_tableur(j), i + 1);
            let style = |normal: u8, gras: u8| match c.style {
                Style::Normal => normal,
                Style::Gras => gras,
                Style::Entete => 6,
            };
            let texte = |t: &str, n: u8| {
                let attribut = if n == 0 { String::new() } else { format!(" s=\"{n}\"") };
                format!("<c r=\"{r}\"{attribut} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>", xml(t))
            };
            let cellule = match &c.contenu {
                Contenu::Vide => continue,
                Contenu::Texte(t) => texte(t, style(0, 1)),
                Contenu::Lien(nom) => {
                    liens.push(format!(
                        "<hyperlink ref=\"{r}\" location=\"{}\" display=\"{}\"/>",
                        xml(&format!("'{}'!A1", nom.replace('\'', "''"))),
                        xml(nom)
                    ));
                    texte(nom, 0)
                }
                Contenu::Nombre(v, format) => {
                    let n = match format {
                        Format::Euros => style(2, 4),
                        Format::PourCent => style(3, 5),
                        Format::Standard => style(0, 1),
                    };
                    let attribut = if n == 0 { String::new() } else { format!(" s=\"{n}\"") };
                    format!("<c r=\"{r}\"{attribut}><v>{v}</v></c>")
                }
            };
            s.push_str(&cellule);
        }
        s.push_str("</row>");
    }
    s.push_str("</sheetData>");
    if !liens.is_empty() {
        s.push_str("<hyperlinks>");
        s.push_str(&liens.concat());
        s.push_str("</hyperlinks>");
    }
    s.push_str("</worksheet>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_are_cut_to_what_excel_holds() {
        let court = "é".repeat(CELLULE_MAX);
        assert_eq!(dans_une_cellule(court.clone()), court);
        let long = "é".repeat(40_035);
        let coupe = dans_une_cellule(long);
        assert_eq!(coupe.encode_utf16().count(), CELLULE_MAX);
        assert!(coupe.ends_with(TRONQUE));
        // A character outside the BMP counts twice, as Excel counts it.
        let emojis = dans_une_cellule("😀".repeat(20_000));
        assert!(emojis.encode_utf16().count() <= CELLULE_MAX);
        assert!(emojis.ends_with(TRONQUE));
    }

    #[test]
    fn sheet_names_are_short_unique_and_allowed() {
        let titres = [
            "Contributions 2023",
            "Organismes adhérents — Service instruction des autorisations du droit des sols",
            "Organismes adhérents — Service instruction des autorisations du droit des sols",
            "a/b:c[d]*?\\",
            "sommaire",
            "contributions 2023",
            "Montants à recouvrer par organisme et par service en 2023",
        ];
        assert_eq!(
            noms_de_feuilles(titres.into_iter()),
            [
                "Contributions 2023",
                "Organismes … du droit des sols",
                "Organismes … du droit des s (2)",
                "a-b-c-d----",
                "sommaire (2)",
                "contributions 2023 (2)",
                "Montants à … service en 2023",
            ]
        );
        for n in noms_de_feuilles(titres.into_iter()) {
            assert!(n.chars().count() <= NOM_MAX, "{n}");
        }
    }

    #[test]
    fn percentages_are_stored_as_fractions_and_amounts_as_written() {
        assert_eq!(valeur("64.29", Format::PourCent).as_deref(), Some("0.6429"));
        assert_eq!(valeur("100", Format::PourCent).as_deref(), Some("1"));
        assert_eq!(valeur("-13.29", Format::PourCent).as_deref(), Some("-0.1329"));
        assert_eq!(valeur("186641.00", Format::Euros).as_deref(), Some("186641.00"));
        assert_eq!(valeur("—", Format::Euros), None);
    }
}
