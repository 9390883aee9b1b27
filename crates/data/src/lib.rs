//! Open data files: every table of the document as CSV (for spreadsheets),
//! described by one Frictionless data package (`donnees/datapackage.json`,
//! read by data.gouv.fr's validator Validata and by `frictionless
//! validate`), the SCDL délibérations row of the deliberation the report is
//! annexed to, and the licence. The full computed model is the export
//! (`donnees/mutu-export.json`), written by [`crate::cmd::build`].
//!
//! CSV: UTF-8 with a byte order mark (Excel detects the encoding), `;`
//! separator (French spreadsheets), CRLF line ends and RFC 4180 quoting
//! (the `csv` crate). Cells hold the exact raw value when there is one
//! (`186641.00`), else the text as shown, with a `'` before a text that a
//! spreadsheet would run as a formula (`=…`, `+…`, `-…`, `@…`).

pub mod classeur;

use mutu_base::fichier::Fichier;
use mutu_present::{Bloc, Cellule, Document, Page, Tableau};
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::BTreeSet;

/// `donnees/<id>.csv` for every table, in document order, then
/// `donnees/deliberations.csv` (when the EPCI's SIRET is known),
/// `donnees/datapackage.json`, `donnees/LICENCE.txt` and the workbooks of
/// every table ([`super::classeur`]).
pub fn render(doc: &Document) -> Vec<Fichier> {
    let mut out = Vec::new();
    let mut ressources = Vec::new();
    let publies = tableaux_publies(doc);
    for (_, t) in &publies {
        out.push(Fichier::new(format!("donnees/{}.csv", t.id), csv(t)));
        ressources.push(ressource(t));
    }
    if let Some(siret) = &doc.epci_siret {
        out.push(Fichier::new("donnees/deliberations.csv", deliberations_csv(doc, siret)));
        ressources.push(ressource_deliberations(doc));
    }
    out.push(Fichier::new("donnees/datapackage.json", package(doc, ressources)));
    out.push(Fichier::new("donnees/LICENCE.txt", licence(doc)));
    out.extend(crate::classeur::render(doc, &publies));
    out
}

/// The tables published as data files, each with its page, in document
/// order. Table ids are unique in a document; should two tables share an
/// id, the first wins (the site renderer reports the duplicate as an
/// error).
pub(crate) fn tableaux_publies(doc: &Document) -> Vec<(&Page, &Tableau)> {
    let mut vus = BTreeSet::new();
    let mut out = Vec::new();
    for p in &doc.pages {
        for b in &p.blocs {
            if let Bloc::Tableau(t) = b {
                if vus.insert(t.id.as_str()) {
                    out.push((p, t));
                }
            }
        }
    }
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

/// The mark « not applicable » of the tables (`present::finances::SANS_OBJET`):
/// an empty cell in a figure column of the data files.
pub(crate) const SANS_OBJET: &str = "—";

/// A cell as written to CSV, by the one convention of the open data (see
/// docs/export.md): a figure is its exact value with a decimal comma
/// (`186641,50`), as a French spreadsheet reads a number; « — » in a figure
/// column is an empty cell; any other text is written as shown, neutralised.
fn champ(c: &Cellule, genre: Genre) -> Cow<'_, str> {
    match &c.valeur {
        Some(v) if genre == Genre::Nombre => Cow::Owned(v.replace('.', ",")),
        Some(v) => Cow::Borrowed(v),
        None if genre.chiffre() && c.texte == SANS_OBJET => Cow::Borrowed(""),
        None => texte_neutralise(&c.texte),
    }
}

/// Separator and decimal mark of the tables' CSV files.
pub const CSV_SEPARATEUR: char = ';';
pub const CSV_DECIMALE: char = ',';

pub fn csv(t: &Tableau) -> Vec<u8> {
    let genres: Vec<Genre> = (0..t.colonnes.len()).map(|j| type_de_colonne(t, j)).collect();
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::CRLF)
        .flexible(true)
        .from_writer("\u{FEFF}".as_bytes().to_vec());
    // Writing to memory: the only errors the writer reports are I/O errors
    // of its destination, which a Vec never has.
    let _ = w.write_record(t.colonnes.iter().map(|c| texte_neutralise(&c.libelle).into_owned()));
    for ligne in t.lignes.iter().chain(&t.pied) {
        let _ = w.write_record(
            ligne
                .iter()
                .enumerate()
                .map(|(j, c)| champ(c, genres.get(j).copied().unwrap_or(Genre::Texte)).into_owned()),
        );
    }
    w.into_inner().unwrap_or_default()
}

pub const LICENCE_NOM: &str = "Licence Ouverte / Open Licence version 2.0 (Etalab)";

/// The licence as a Data Package names it (`etalab-2.0` is its SPDX id).
fn licences() -> Value {
    json!([{ "name": "etalab-2.0", "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/", "title": LICENCE_NOM }])
}

/// Resource and package names: lower case ASCII, digits, `-`, `.`, `_`
/// (the Data Package pattern).
fn nom_frictionless(s: &str) -> String {
    let n = mutu_base::texte::slug(s);
    if n.is_empty() {
        "tableau".into()
    } else {
        n
    }
}

/// Address of the PDF report when the site's public address is known.
fn url_pdf(doc: &Document) -> Option<String> {
    doc.url_en_ligne.as_ref().map(|u| format!("{}/{}.pdf", u.trim_end_matches('/'), doc.nom_pdf))
}

/// `donnees/datapackage.json`: the package, its licence, source and
/// publisher, and one tabular resource per CSV.
fn package(doc: &Document, ressources: Vec<Value>) -> Vec<u8> {
    let mut source = Map::new();
    source.insert(
        "title".into(),
        json!(format!(
            "{}, annexé à la délibération {} du {}",
            doc.titre_complet, doc.deliberation, doc.date_conseil_texte
        )),
    );
    if let Some(u) = url_pdf(doc) {
        source.insert("path".into(), json!(u));
    }
    let mut p = Map::new();
    p.insert("profile".into(), json!("tabular-data-package"));
    p.insert(
        "name".into(),
        json!(nom_frictionless(&format!("mutualisation {} {}", doc.epci_sigle, doc.exercice))),
    );
    p.insert("title".into(), json!(doc.titre_complet));
    p.insert(
        "description".into(),
        json!(format!(
            "Tableaux du schéma de mutualisation publiés par {} (SIREN {}), exercice {}. Fichiers CSV en UTF-8 avec indicateur d'ordre des octets, \
             séparateur « ; », valeurs exactes avec la virgule comme séparateur décimal (déclarée pour chaque colonne numérique), cellule vide pour « sans objet ». Le modèle de données complet est dans mutu-export.json.",
            doc.epci_nom, doc.epci_siren, doc.exercice
        )),
    );
    if let Some(u) = &doc.url_en_ligne {
        p.insert("homepage".into(), json!(u));
    }
    p.insert("licenses".into(), licences());
    p.insert("sources".into(), json!([source]));
    p.insert(
        "contributors".into(),
        json!([{ "title": doc.epci_nom, "role": "publisher", "organization": format!("SIREN {}", doc.epci_siren) }]),
    );
    p.insert("keywords".into(), json!(doc.mots_cles));
    p.insert("resources".into(), json!(ressources));
    let mut s = serde_json::to_string_pretty(&Value::Object(p)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// Dialect of the table CSVs.
fn dialecte() -> Value {
    json!({ "delimiter": ";", "header": true })
}

/// Type of a table column, as the Table Schema of the data package and the
/// cells of the workbooks see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Genre {
    Entier,
    Nombre,
    Date,
    Texte,
}

impl Genre {
    /// The Table Schema type.
    fn nom(self) -> &'static str {
        match self {
            Genre::Entier => "integer",
            Genre::Nombre => "number",
            Genre::Date => "date",
            Genre::Texte => "string",
        }
    }

    /// Whether the column's values are figures.
    pub(crate) fn chiffre(self) -> bool {
        matches!(self, Genre::Entier | Genre::Nombre)
    }
}

/// Unit of a figure column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unite {
    Euros,
    PourCent,
}

impl Unite {
    fn libelle(self) -> &'static str {
        match self {
            Unite::Euros => "euros",
            Unite::PourCent => "pour cent",
        }
    }
}

/// Type of column `j`: integer or number for a figure column whose every
/// value is one (`missingValues` cover the other cells, « — »), date for a
/// text column of ISO dates, text otherwise.
pub(crate) fn type_de_colonne(t: &Tableau, j: usize) -> Genre {
    let cellules: Vec<&Cellule> = t.lignes.iter().chain(&t.pied).filter_map(|l| l.get(j)).collect();
    let valeurs: Vec<&str> = cellules.iter().filter_map(|c| c.valeur.as_deref()).collect();
    if t.colonnes[j].numerique && !valeurs.is_empty() {
        let nombre = |v: &&str| v.parse::<rust_decimal::Decimal>().is_ok();
        if valeurs.iter().all(|v| nombre(v) && !v.contains('.')) {
            return Genre::Entier;
        }
        if valeurs.iter().all(nombre) {
            return Genre::Nombre;
        }
        return Genre::Texte;
    }
    let date = |s: &str| {
        let b = s.as_bytes();
        b.len() == 10 && b[4] == b'-' && b[7] == b'-' && s.chars().filter(|c| c.is_ascii_digit()).count() == 8
    };
    let textes: Vec<&str> = cellules
        .iter()
        .filter(|c| c.valeur.is_none())
        .map(|c| c.texte.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    if valeurs.is_empty() && !textes.is_empty() && textes.iter().all(|s| date(s)) {
        return Genre::Date;
    }
    Genre::Texte
}

/// Unit of a figure column, from the text shown in its first figure cell.
pub(crate) fn unite(t: &Tableau, j: usize) -> Option<Unite> {
    let texte = t
        .lignes
        .iter()
        .chain(&t.pied)
        .filter_map(|l| l.get(j))
        .find(|c| c.valeur.is_some())?
        .texte
        .trim_end();
    if texte.ends_with('€') {
        Some(Unite::Euros)
    } else if texte.ends_with('%') {
        Some(Unite::PourCent)
    } else {
        None
    }
}

/// The data package resource of a table: its CSV, columns and types.
fn ressource(t: &Tableau) -> Value {
    let mut champs = Vec::new();
    let mut manquantes: BTreeSet<String> = BTreeSet::from([String::new()]);
    for (j, c) in t.colonnes.iter().enumerate() {
        let genre = type_de_colonne(t, j);
        let mut champ = Map::new();
        champ.insert("name".into(), json!(texte_neutralise(&c.libelle)));
        champ.insert("title".into(), json!(c.libelle));
        champ.insert("type".into(), json!(genre.nom()));
        if genre == Genre::Nombre {
            champ.insert("decimalChar".into(), json!(CSV_DECIMALE.to_string()));
        }
        if genre.chiffre() {
            // Cells without a figure (« non évaluable ») read as missing;
            // « — » is written empty.
            for l in t.lignes.iter().chain(&t.pied) {
                if let Some(cell) = l.get(j).filter(|c| c.valeur.is_none() && c.texte != SANS_OBJET) {
                    manquantes.insert(texte_neutralise(&cell.texte).into_owned());
                }
            }
            let description = match (genre, unite(t, j).map(Unite::libelle)) {
                (Genre::Entier, Some(u)) => format!("Nombre entier, en {u}."),
                (Genre::Entier, None) => "Nombre entier.".to_string(),
                (_, Some(u)) => format!("Valeur exacte en {u}, virgule décimale."),
                (_, None) => "Valeur exacte, virgule décimale.".to_string(),
            };
            champ.insert("description".into(), json!(description));
        }
        champs.push(Value::Object(champ));
    }
    let mut schema = Map::new();
    schema.insert("fields".into(), json!(champs));
    schema.insert("missingValues".into(), json!(manquantes));
    if let Some(cle) = cle_primaire(t, &manquantes) {
        schema.insert("primaryKey".into(), json!([cle]));
    }
    let mut r = Map::new();
    r.insert("name".into(), json!(nom_frictionless(&t.id)));
    r.insert("path".into(), json!(format!("{}.csv", t.id)));
    r.insert("profile".into(), json!("tabular-data-resource"));
    r.insert("title".into(), json!(t.titre));
    if let Some(n) = &t.note {
        r.insert("description".into(), json!(n));
    }
    r.insert("format".into(), json!("csv"));
    r.insert("mediatype".into(), json!("text/csv"));
    r.insert("encoding".into(), json!("utf-8"));
    r.insert("dialect".into(), dialecte());
    r.insert("licenses".into(), licences());
    r.insert("schema".into(), Value::Object(schema));
    Value::Object(r)
}

/// The first column is the table's key when every row has a value in it
/// and no two rows share one (the names of communes, services, years).
fn cle_primaire(t: &Tableau, manquantes: &BTreeSet<String>) -> Option<String> {
    let premiere = t.colonnes.first()?;
    let mut vus = BTreeSet::new();
    for l in t.lignes.iter().chain(&t.pied) {
        let v = champ(l.first()?, type_de_colonne(t, 0)).into_owned();
        if manquantes.contains(&v) || !vus.insert(v) {
            return None;
        }
    }
    Some(texte_neutralise(&premiere.libelle).into_owned())
}

/// SCDL « Délibérations » (schema.data.gouv.fr, scdl/deliberations 2.1.5):
/// columns, Table Schema type and French title. The schema, vendored for
/// the tests, is `tests/fixtures/scdl/deliberations-2.1.5.json`.
pub const SCDL_VERSION: &str = "2.1.5";
const SCDL_COLONNES: [(&str, &str, &str); 17] = [
    ("COLL_NOM", "string", "Nom de la collectivité"),
    ("COLL_SIRET", "string", "Code SIRET de la collectivité"),
    ("DELIB_ID", "string", "Identifiant de la délibération"),
    ("DELIB_DATE", "date", "Date d'adoption de la délibération"),
    ("DELIB_MATIERE_CODE", "string", "Code de matière issu de la nomenclature ACTES"),
    ("DELIB_MATIERE_NOM", "string", "Nom de matière"),
    ("DELIB_OBJET", "string", "Objet de la délibération"),
    ("BUDGET_ANNEE", "string", "Année du budget"),
    ("BUDGET_NOM", "string", "Nom du budget"),
    ("PREF_ID", "string", "Identifiant de l'entité exerçant le contrôle de légalité"),
    ("PREF_DATE", "date", "Date d'enregistrement de la délibération auprès du contrôle de légalité"),
    ("VOTE_EFFECTIF", "integer", "Effectif théorique des votants"),
    ("VOTE_REEL", "integer", "Effectif réel des votants"),
    ("VOTE_POUR", "integer", "Pour"),
    ("VOTE_CONTRE", "integer", "Contre"),
    ("VOTE_ABSTENTION", "integer", "Abstention"),
    ("DELIB_URL", "string", "Lien vers le document de la délibération"),
];

/// Nomenclature ACTES matter of a report on the mutualisation of services
/// (article L.5211-39-1 du CGCT): 5.7, « Institutions et vie politique /
/// Intercommunalité ».
const MATIERE_CODE: &str = "5.7";
const MATIERE_NOM: &str = "institutions et vie politique/intercommunalité";

/// `donnees/deliberations.csv`: the SCDL row of the deliberation the report
/// is annexed to. Comma-separated UTF-8 without byte order mark, as the
/// SCDL files (and Validata) expect. Votes, budget and prefecture id are not
/// in the project: left empty (optional columns).
fn deliberations_csv(doc: &Document, siret: &str) -> Vec<u8> {
    let url = url_pdf(doc).unwrap_or_default();
    let objet = format!("{} (article L.5211-39-1 du CGCT)", doc.titre_complet);
    let valeurs = [
        doc.epci_nom.as_str(),
        siret,
        doc.deliberation.as_str(),
        doc.date_conseil.as_str(),
        MATIERE_CODE,
        MATIERE_NOM,
        objet.as_str(),
        "",
        "",
        "",
        doc.date_reception.as_deref().unwrap_or(""),
        "",
        "",
        "",
        "",
        "",
        url.as_str(),
    ];
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    let _ = w.write_record(SCDL_COLONNES.iter().map(|c| c.0));
    let _ = w.write_record(valeurs.iter().map(|v| texte_neutralise(v).into_owned()));
    w.into_inner().unwrap_or_default()
}

fn ressource_deliberations(doc: &Document) -> Value {
    let champs: Vec<Value> = SCDL_COLONNES
        .iter()
        .map(|(n, t, titre)| json!({ "name": n, "type": t, "title": titre }))
        .collect();
    let mut description =
        format!("Délibération à laquelle le rapport est annexé, au format SCDL « Délibérations » {SCDL_VERSION} (schema.data.gouv.fr, scdl/deliberations).");
    if let Some(a) = &doc.actes_id {
        description.push_str(&format!(" Identifiant @ctes : {a}."));
    }
    json!({
        "name": "deliberations",
        "path": "deliberations.csv",
        "profile": "tabular-data-resource",
        "title": "Délibération (SCDL)",
        "description": description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": { "delimiter": ",", "header": true },
        "licenses": licences(),
        "schema": { "fields": champs, "missingValues": [""] },
    })
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
         séparateur « ; », valeurs numériques exactes avec la virgule comme\r\n\
         séparateur décimal (186641,00), cellule vide là où la page affiche « — »\r\n\
         (sans objet). Le fichier datapackage.json décrit chaque\r\n\
         fichier CSV (colonnes, types, unités) au format Frictionless Data Package ;\r\n\
         mutu-export.json contient le modèle de données complet.\r\n",
        epci = doc.epci_nom,
        exercice = doc.exercice,
        date = doc.date_document,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use mutu_present::Colonne;

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
            lignes: vec![
                vec![cell("Le \"Bourg\"", None), cell("186 641,00 €", Some("186641.00"))],
                vec![cell("Dirinon", None), cell("—", None)],
            ],
            pied: vec![vec![cell("Total", None), cell("1,00 €", Some("1.00"))]],
            note: None,
            detail: None,
        };
        let s = String::from_utf8(csv(&t)).unwrap();
        // Decimal comma, and « — » (not applicable) an empty cell: a French
        // spreadsheet reads the column as numbers.
        assert_eq!(
            s,
            "\u{FEFF}Commune;\"Montant; en €\"\r\n\"Le \"\"Bourg\"\"\";186641,00\r\nDirinon;\r\nTotal;1,00\r\n"
        );
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
            detail: None,
        };
        let s = String::from_utf8(csv(&t)).unwrap();
        assert_eq!(
            s,
            "\u{FEFF}'=Commune;Solde\r\n\
             \"'=HYPERLINK(\"\"https://x.fr\"\";\"\"clic\"\")\";-12,50\r\n\
             '+33 2 98;'@SOMME(A1)\r\n\
             '-2+3;'\tcmd\r\n\
             \"'\r=1\";Saint-Divy = 2\r\n\
             Total;-1,00\r\n"
        );
    }

    /// Column types, units, missing values and the key of a table's
    /// resource: a figure column with « — » cells stays a number, a count
    /// column is an integer, the first column is the key.
    #[test]
    fn table_resource_describes_its_columns() {
        let t = Tableau {
            id: "contributions-2023".into(),
            titre: "Contributions".into(),
            legende: "Contributions".into(),
            colonnes: vec![
                Colonne {
                    libelle: "Organisme".into(),
                    numerique: false,
                },
                Colonne {
                    libelle: "Montant".into(),
                    numerique: true,
                },
                Colonne {
                    libelle: "Marchés".into(),
                    numerique: true,
                },
            ],
            lignes: vec![
                vec![cell("Daoulas", None), cell("3 959,00 €", Some("3959.00")), cell("5", Some("5"))],
                vec![cell("Dirinon", None), cell("—", None), cell("7", Some("7"))],
            ],
            pied: vec![vec![cell("Total", None), cell("3 959,00 €", Some("3959.00")), cell("12", Some("12"))]],
            note: Some("Montants TTC.".into()),
            detail: None,
        };
        assert_eq!(
            ressource(&t),
            json!({
                "name": "contributions-2023",
                "path": "contributions-2023.csv",
                "profile": "tabular-data-resource",
                "title": "Contributions",
                "description": "Montants TTC.",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": { "delimiter": ";", "header": true },
                "licenses": licences(),
                "schema": {
                    "fields": [
                        { "name": "Organisme", "title": "Organisme", "type": "string" },
                        { "name": "Montant", "title": "Montant", "type": "number", "decimalChar": ",", "description": "Valeur exacte en euros, virgule décimale." },
                        { "name": "Marchés", "title": "Marchés", "type": "integer", "description": "Nombre entier." },
                    ],
                    "missingValues": [""],
                    "primaryKey": ["Organisme"],
                },
            })
        );
    }

    /// The SCDL columns are those of the vendored schema, in its order and
    /// with its types.
    #[test]
    fn scdl_columns_follow_the_vendored_schema() {
        let schema: Value = serde_json::from_str(include_str!("../../../tests/fixtures/scdl/deliberations-2.1.5.json")).unwrap();
        assert_eq!(schema["version"], SCDL_VERSION);
        let attendu: Vec<(String, String)> = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap().to_string(), f["type"].as_str().unwrap().to_string()))
            .collect();
        let ecrit: Vec<(String, String)> = SCDL_COLONNES.iter().map(|(n, t, _)| (n.to_string(), t.to_string())).collect();
        assert_eq!(ecrit, attendu);
    }
}
