//! Reads every output of four territories as a reader would and checks the
//! editorial rules of issue 13, item 9: the example (repository root), the
//! real territories written from scratch (tests/territoires/
//! isle-double-landais, 9 communes, and tests/territoires/ternois, 103
//! communes) and the synthetic S territory (benches/synth.rs).
//! Each territory is built once (site, open data, PDF report and commune
//! extracts) and shared by every rule through a `OnceLock`; each rule is
//! its own test, so a failing rule names exactly what it found: territory,
//! file (and PDF page), excerpt.
//!
//! HTML is read with the small tokenizer below (text nodes, tags, entities):
//! mutu's own pages are well-formed, and a parser crate would add a
//! dependency build for what forty lines do.

use crate::outils;

#[allow(dead_code)]
use crate::synth;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

// ------------------------------------------------------------------ builds

/// One built territory: its name, the names that identify it, and the text
/// of every output a reader sees.
struct Territoire {
    nom: &'static str,
    /// EPCI name, EPCI acronym and commune names, from data/territoire.yaml.
    identite: Vec<String>,
    /// Relative path → parsed HTML page.
    html: BTreeMap<String, Vec<Jeton>>,
    /// Relative path → text of each page (pdftotext, one entry per page).
    pdf: BTreeMap<String, Vec<String>>,
    /// Relative path → PDF title from the document information.
    pdf_titres: BTreeMap<String, String>,
    /// Relative path → CSV rows.
    csv: BTreeMap<String, Vec<Vec<String>>>,
    /// Relative path → every string value of the JSON file.
    json: BTreeMap<String, Vec<String>>,
}

fn territoires() -> &'static [Territoire] {
    static T: OnceLock<Vec<Territoire>> = OnceLock::new();
    T.get_or_init(|| {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("lint");
        let _ = std::fs::remove_dir_all(&base);
        std::fs::create_dir_all(&base).unwrap();
        // The synthetic S territory: the one tests/synth.rs checks.
        let synth_dir = base.join("synthetique-s");
        for (p, texte) in synth::generate(22, 15, 5, 7) {
            let chemin = synth_dir.join(p);
            std::fs::create_dir_all(chemin.parent().unwrap()).unwrap();
            std::fs::write(chemin, texte).unwrap();
        }
        vec![
            construit("exemple", &outils::exemple(), &base),
            construit("isle-double-landais", &outils::exemple().join("tests/territoires/isle-double-landais"), &base),
            construit("ternois", &outils::exemple().join("tests/territoires/ternois"), &base),
            construit("synthetique-s", &synth_dir, &base),
        ]
    })
}

fn construit(nom: &'static str, racine: &Path, base: &Path) -> Territoire {
    let sortie = base.join(format!("sortie-{nom}"));
    let o = outils::mutu(racine, &["build", "--extraits", "--sortie", sortie.to_str().unwrap()]);
    outils::reussit(&o);
    let mut t = Territoire {
        nom,
        identite: identite(racine),
        html: BTreeMap::new(),
        pdf: BTreeMap::new(),
        pdf_titres: BTreeMap::new(),
        csv: BTreeMap::new(),
        json: BTreeMap::new(),
    };
    for (rel, octets) in outils::fichiers(&sortie) {
        let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        match ext.as_str() {
            "html" => {
                t.html.insert(rel, jetons(&String::from_utf8(octets).unwrap()));
            }
            "pdf" => {
                let chemin = sortie.join(&rel);
                t.pdf_titres.insert(rel.clone(), titre_pdf(&chemin));
                t.pdf.insert(rel, outils::pages_pdf(&chemin));
            }
            "csv" => {
                t.csv.insert(rel, lit_csv(String::from_utf8(octets).unwrap().trim_start_matches('\u{feff}')));
            }
            "json" => {
                let v: serde_json::Value = serde_json::from_slice(&octets).unwrap();
                let mut chaines = Vec::new();
                chaines_json(&v, &mut chaines);
                t.json.insert(rel, chaines);
            }
            _ => {}
        }
    }
    t
}

/// The names a reader would recognise the territory by.
fn identite(racine: &Path) -> Vec<String> {
    let texte = std::fs::read_to_string(racine.join("data/territoire.yaml")).unwrap();
    let v: serde_yaml::Value = serde_yaml::from_str(&texte).unwrap();
    let mut noms = vec![v["epci"]["nom"].as_str().unwrap().to_string()];
    let sigle = v["epci"]["sigle"].as_str().unwrap_or("");
    if sigle.chars().count() >= 4 {
        noms.push(sigle.to_string());
    }
    for m in v["membres"].as_sequence().unwrap() {
        if m["type"].as_str() == Some("commune") {
            noms.push(m["nom"].as_str().unwrap().to_string());
        }
    }
    noms
}

fn titre_pdf(pdf: &Path) -> String {
    let o = Command::new("pdfinfo")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Title:"))
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Collapses white space (including no-break spaces kept as they are).
fn plat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A PDF page's text with hyphenation at line ends undone, on one line.
fn page_plate(p: &str) -> String {
    plat(&p.replace("-\n", ""))
}

fn lit_csv(texte: &str) -> Vec<Vec<String>> {
    let mut lignes = Vec::new();
    let mut ligne = Vec::new();
    let mut champ = String::new();
    let mut guillemets = false;
    let mut it = texte.chars().peekable();
    while let Some(c) = it.next() {
        match (guillemets, c) {
            (true, '"') if it.peek() == Some(&'"') => {
                it.next();
                champ.push('"');
            }
            (true, '"') => guillemets = false,
            (true, c) => champ.push(c),
            (false, '"') => guillemets = true,
            (false, ';') => ligne.push(std::mem::take(&mut champ)),
            (false, '\r') => {}
            (false, '\n') => {
                ligne.push(std::mem::take(&mut champ));
                lignes.push(std::mem::take(&mut ligne));
            }
            (false, c) => champ.push(c),
        }
    }
    if !champ.is_empty() || !ligne.is_empty() {
        ligne.push(champ);
        lignes.push(ligne);
    }
    lignes
}

fn chaines_json(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|x| chaines_json(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| chaines_json(x, out)),
        _ => {}
    }
}

// -------------------------------------------------------------------- HTML

#[derive(Debug, Clone)]
enum Jeton {
    /// Opening tag: name (lower case) and attributes.
    Ouvre(String, #[allow(dead_code)] Vec<(String, String)>),
    Ferme(String),
    Texte(String),
}

/// Tokenizes an HTML page: comments, doctype, `<script>` and `<style>`
/// contents are dropped; entities in text are decoded.
fn jetons(html: &str) -> Vec<Jeton> {
    let mut out = Vec::new();
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |k| i + k + 3);
        } else if html[i..].starts_with("<!") || html[i..].starts_with("<?") {
            i = html[i..].find('>').map_or(b.len(), |k| i + k + 1);
        } else if b[i] == b'<' && i + 1 < b.len() && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'/') {
            // Find the end of the tag, skipping quoted attribute values.
            let mut j = i + 1;
            let mut q: Option<u8> = None;
            while j < b.len() {
                match (q, b[j]) {
                    (Some(c), x) if x == c => q = None,
                    (None, b'"') | (None, b'\'') => q = Some(b[j]),
                    (None, b'>') => break,
                    _ => {}
                }
                j += 1;
            }
            let dedans = &html[i + 1..j.min(b.len())];
            i = j + 1;
            if let Some(nom) = dedans.strip_prefix('/') {
                out.push(Jeton::Ferme(nom.trim().to_ascii_lowercase()));
                continue;
            }
            let dedans = dedans.trim_end_matches('/');
            let nom_fin = dedans.find(|c: char| c.is_whitespace()).unwrap_or(dedans.len());
            let nom = dedans[..nom_fin].to_ascii_lowercase();
            let attrs = attributs(&dedans[nom_fin..]);
            if nom == "script" || nom == "style" {
                let fin = format!("</{nom}");
                i = html[i..].find(&fin).map_or(b.len(), |k| i + k);
                continue;
            }
            out.push(Jeton::Ouvre(nom, attrs));
        } else {
            let fin = html[i..].find('<').map_or(b.len(), |k| i + k);
            let fin = if fin == i { i + 1 } else { fin };
            out.push(Jeton::Texte(entites(&html[i..fin])));
            i = fin;
        }
    }
    out
}

fn attributs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = s.trim();
    while !rest.is_empty() {
        let fin_nom = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let nom = rest[..fin_nom].to_ascii_lowercase();
        rest = rest[fin_nom..].trim_start();
        let mut valeur = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            if let Some(q) = r.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let fin = r[1..].find(q).map_or(r.len(), |k| k + 1);
                valeur = entites(&r[1..fin]);
                rest = r.get(fin + 1..).unwrap_or("").trim_start();
            } else {
                let fin = r.find(char::is_whitespace).unwrap_or(r.len());
                valeur = entites(&r[..fin]);
                rest = r[fin..].trim_start();
            }
        }
        if !nom.is_empty() {
            out.push((nom, valeur));
        }
    }
    out
}

fn entites(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(k) = rest.find('&') {
        out.push_str(&rest[..k]);
        rest = &rest[k..];
        let Some(fin) = rest.find(';').filter(|f| *f <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let nom = &rest[1..fin];
        let c = match nom {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if nom.starts_with("#x") || nom.starts_with("#X") => u32::from_str_radix(&nom[2..], 16).ok().and_then(char::from_u32),
            _ if nom.starts_with('#') => nom[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[fin + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Elements whose boundaries separate words (a space is put between them).
const BLOCS: &[&str] = &[
    "p",
    "li",
    "td",
    "th",
    "tr",
    "caption",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "div",
    "section",
    "header",
    "footer",
    "nav",
    "dt",
    "dd",
    "br",
    "title",
    "text",
    "tspan",
    "summary",
    "details",
    "table",
    "ul",
    "ol",
    "main",
    "article",
    "aside",
    "blockquote",
    "option",
    "label",
    "a",
];

/// The visible text of a page, one string, blocks separated by a space.
fn texte_visible(j: &[Jeton]) -> String {
    let mut s = String::new();
    for x in j {
        match x {
            Jeton::Texte(t) => s.push_str(t),
            Jeton::Ouvre(n, _) | Jeton::Ferme(n) if BLOCS.contains(&n.as_str()) => s.push(' '),
            _ => {}
        }
    }
    plat(&s)
}

/// The visible text of a page cut at every block boundary.
fn blocs(j: &[Jeton]) -> Vec<String> {
    let mut out = Vec::new();
    let mut s = String::new();
    for x in j {
        match x {
            Jeton::Texte(t) => s.push_str(t),
            Jeton::Ouvre(n, _) | Jeton::Ferme(n) if BLOCS.contains(&n.as_str()) && n != "a" => {
                let b = plat(&s);
                if !b.is_empty() {
                    out.push(b);
                }
                s.clear();
            }
            _ => {}
        }
    }
    let b = plat(&s);
    if !b.is_empty() {
        out.push(b);
    }
    out
}

/// Text of each element named `noms`, in document order, with its name.
fn elements<'a>(j: &'a [Jeton], noms: &[&str]) -> Vec<(&'a str, String)> {
    let mut out = Vec::new();
    let mut pile: Vec<(&str, String)> = Vec::new();
    for x in j {
        match x {
            Jeton::Ouvre(n, _) if noms.contains(&n.as_str()) => pile.push((n.as_str(), String::new())),
            Jeton::Ferme(n) if noms.contains(&n.as_str()) => {
                if let Some(k) = pile.iter().rposition(|(m, _)| *m == n.as_str()) {
                    let (m, t) = pile.remove(k);
                    out.push((m, plat(&t)));
                }
            }
            Jeton::Texte(t) => {
                for (_, acc) in pile.iter_mut() {
                    acc.push_str(t);
                }
            }
            Jeton::Ouvre(n, _) | Jeton::Ferme(n) if BLOCS.contains(&n.as_str()) => {
                for (_, acc) in pile.iter_mut() {
                    acc.push(' ');
                }
            }
            _ => {}
        }
    }
    out
}

/// A cell of an HTML table.
struct Cellule {
    texte: String,
    entete: bool,
}

/// An HTML table: its caption, header rows, body rows (tbody, or rows
/// outside thead/tfoot), footer rows.
struct Tableau {
    legende: String,
    entetes: Vec<Vec<Cellule>>,
    corps: Vec<Vec<Cellule>>,
    pieds: Vec<Vec<Cellule>>,
}

fn tableaux(j: &[Jeton]) -> Vec<Tableau> {
    let mut out = Vec::new();
    let mut pile: Vec<Tableau> = Vec::new();
    let mut section = "tbody";
    let mut ligne: Option<Vec<Cellule>> = None;
    let mut cellule: Option<Cellule> = None;
    let mut legende: Option<String> = None;
    for x in j {
        match x {
            Jeton::Ouvre(n, _) => match n.as_str() {
                "table" => {
                    pile.push(Tableau {
                        legende: String::new(),
                        entetes: Vec::new(),
                        corps: Vec::new(),
                        pieds: Vec::new(),
                    });
                    section = "tbody";
                }
                "thead" | "tbody" | "tfoot" => {
                    section = if n == "thead" {
                        "thead"
                    } else if n == "tfoot" {
                        "tfoot"
                    } else {
                        "tbody"
                    }
                }
                "tr" => ligne = Some(Vec::new()),
                "td" | "th" => {
                    cellule = Some(Cellule {
                        texte: String::new(),
                        entete: n == "th",
                    })
                }
                "caption" => legende = Some(String::new()),
                n if BLOCS.contains(&n) => {
                    if let Some(c) = cellule.as_mut() {
                        c.texte.push(' ');
                    }
                }
                _ => {}
            },
            Jeton::Ferme(n) => match n.as_str() {
                "table" => {
                    if let Some(t) = pile.pop() {
                        out.push(t);
                    }
                }
                "thead" | "tfoot" => section = "tbody",
                "tr" => {
                    if let (Some(l), Some(t)) = (ligne.take(), pile.last_mut()) {
                        match section {
                            "thead" => t.entetes.push(l),
                            "tfoot" => t.pieds.push(l),
                            _ => t.corps.push(l),
                        }
                    }
                }
                "td" | "th" => {
                    if let (Some(mut c), Some(l)) = (cellule.take(), ligne.as_mut()) {
                        c.texte = plat(&c.texte);
                        l.push(c);
                    }
                }
                "caption" => {
                    if let (Some(c), Some(t)) = (legende.take(), pile.last_mut()) {
                        t.legende = plat(&c);
                    }
                }
                _ => {}
            },
            Jeton::Texte(s) => {
                if let Some(c) = cellule.as_mut() {
                    c.texte.push_str(s);
                } else if let Some(c) = legende.as_mut() {
                    c.push_str(s);
                }
            }
        }
    }
    out
}

// ------------------------------------------------------------------ report

/// Offences of one rule: (territory, place, excerpt).
type Ecarts = Vec<(String, String, String)>;

/// Fails with every offence, grouped by territory.
fn verifie(regle: &str, ecarts: Ecarts) {
    if ecarts.is_empty() {
        return;
    }
    let mut msg = format!("règle « {regle} » : {} écart(s)\n", ecarts.len());
    let mut par_territoire: BTreeMap<&str, Vec<&(String, String, String)>> = BTreeMap::new();
    for e in &ecarts {
        par_territoire.entry(e.0.as_str()).or_default().push(e);
    }
    for (t, es) in par_territoire {
        msg.push_str(&format!("\n== {t} : {} écart(s)\n", es.len()));
        for (_, lieu, extrait) in es.iter().take(60) {
            msg.push_str(&format!("  {lieu} : « {extrait} »\n"));
        }
        if es.len() > 60 {
            msg.push_str(&format!("  … et {} autres\n", es.len() - 60));
        }
    }
    panic!("{msg}");
}

/// Around byte `k` of `s`, about `n` characters each side.
fn extrait(s: &str, debut: usize, fin: usize, n: usize) -> String {
    let mut a = debut;
    for _ in 0..n {
        match s[..a].char_indices().next_back() {
            Some((i, _)) => a = i,
            None => break,
        }
    }
    let mut z = fin;
    for _ in 0..n {
        match s[z..].chars().next() {
            Some(c) => z += c.len_utf8(),
            None => break,
        }
    }
    s[a..z].to_string()
}

/// Every reader-facing text of a territory: (place, text). HTML visible
/// text, each PDF page, CSV cells that are not plain numbers, JSON strings.
fn textes_lus(t: &Territoire, csv_et_json: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (f, j) in &t.html {
        out.push((f.clone(), texte_visible(j)));
    }
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            out.push((format!("{f} p. {}", k + 1), page_plate(p)));
        }
    }
    if csv_et_json {
        for (f, lignes) in &t.csv {
            for (k, l) in lignes.iter().enumerate() {
                for c in l.iter().filter(|c| !nombre_nu(c)) {
                    out.push((format!("{f} ligne {}", k + 1), c.clone()));
                }
            }
        }
        for (f, chaines) in &t.json {
            for c in chaines.iter().filter(|c| !nombre_nu(c)) {
                out.push((f.clone(), c.clone()));
            }
        }
    }
    out
}

/// A cell holding only a machine number: open data keeps exact values, only
/// text meant for reading is linted. The export writes them with a decimal
/// point (`-1234.5678`), the CSV files with the decimal comma a French
/// spreadsheet reads (`-1234,5678`, `mutu_data::CSV_DECIMALE`);
/// either way one mark at most, no grouping space, no unit.
fn nombre_nu(s: &str) -> bool {
    let s = s.trim();
    let chiffres = s.strip_prefix(['-', '+']).unwrap_or(s);
    !chiffres.is_empty()
        && chiffres.chars().all(|c| c.is_ascii_digit() || c == '.' || c == mutu_data::CSV_DECIMALE)
        && chiffres.chars().filter(|c| !c.is_ascii_digit()).count() <= 1
        && chiffres.chars().any(|c| c.is_ascii_digit())
}

// ------------------------------------------------------------------- rules

/// Numbers written with a decimal comma (or a lone decimal point) and more
/// than two decimals: `2,5833333333`, `14,125`.
fn regle_decimales(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (lieu, texte) in textes_lus(t, true) {
        let b = texte.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if !b[i].is_ascii_digit() || (i > 0 && (b[i - 1].is_ascii_alphanumeric() || matches!(b[i - 1], b'.' | b',' | b'_' | b'-' | b'/'))) {
                i += 1;
                continue;
            }
            let debut = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b',' || b[i] == b'.') {
                i += 1;
            }
            let mut jeton = &texte[debut..i];
            jeton = jeton.trim_end_matches([',', '.']);
            let trop = if let Some(k) = jeton.rfind(',') {
                let dec = &jeton[k + 1..];
                dec.len() > 2 && dec.bytes().all(|c| c.is_ascii_digit()) && !jeton[..k].contains(',')
            } else if jeton.matches('.').count() == 1 {
                // A lone decimal point after a digit, more than two decimals,
                // and not a dotted number (3.1.1) nor an address (www.x.fr).
                let k = jeton.find('.').unwrap();
                let dec = &jeton[k + 1..];
                k > 0 && dec.len() > 2
            } else {
                false
            };
            let suivi = b.get(i).copied().unwrap_or(b' ');
            if trop && !suivi.is_ascii_alphabetic() {
                out.push((t.nom.to_string(), lieu.clone(), extrait(&texte, debut, i, 40)));
            }
        }
    }
    out
}

/// « partie N sur M »: a table split into column groups.
fn regle_partie_n_sur_m(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (lieu, texte) in textes_lus(t, false) {
        let bas = texte.to_lowercase();
        let mut depart = 0;
        while let Some(k) = bas[depart..].find("partie ") {
            let k = depart + k;
            let suite = &bas[k + 7..];
            let n: String = suite.chars().take_while(char::is_ascii_digit).collect();
            if !n.is_empty() && suite[n.len()..].starts_with(" sur ") {
                out.push((t.nom.to_string(), lieu.clone(), extrait(&texte, k, k + 7 + n.len() + 5, 30)));
            }
            depart = k + 7;
        }
    }
    out
}

fn niveau(n: &str) -> Option<u8> {
    n.strip_prefix('h').and_then(|d| d.parse().ok()).filter(|d| (1..=6).contains(d))
}

fn meme_texte(a: &str, b: &str) -> bool {
    let norm = |s: &str| plat(s).trim_end_matches([' ', ':', '.']).to_lowercase();
    !a.trim().is_empty() && norm(a) == norm(b)
}

/// A heading followed directly by a heading one level down with the same
/// text; a table caption or figure caption equal to the heading above it;
/// in the PDF, two consecutive identical title-like lines.
fn regle_titre_repete(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (f, j) in &t.html {
        let els = elements(j, &["h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption"]);
        let mut dernier_titre: Option<(u8, &str)> = None;
        for (nom, texte) in &els {
            match niveau(nom) {
                Some(n) => {
                    if let Some((m, avant)) = dernier_titre {
                        if n == m + 1 && meme_texte(avant, texte) {
                            out.push((t.nom.to_string(), f.clone(), format!("<h{m}> {avant} puis <h{n}> {texte}")));
                        }
                    }
                    dernier_titre = Some((n, texte.as_str()));
                }
                None => {
                    if let Some((m, avant)) = dernier_titre {
                        if meme_texte(avant, texte) {
                            out.push((t.nom.to_string(), f.clone(), format!("<h{m}> {avant} puis <{nom}> {texte}")));
                        }
                    }
                }
            }
        }
    }
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            let lignes: Vec<String> = p.lines().map(plat).filter(|l| !l.is_empty()).collect();
            for w in lignes.windows(2) {
                let lettres = w[0].chars().filter(|c| c.is_alphabetic()).count();
                // A heading starts with a capital or its number; two equal
                // lower-case lines are cells of one table column (« non renseigné »).
                let titre = w[0].chars().next().is_some_and(|c| !c.is_lowercase());
                if titre && lettres >= 8 && w[0].contains(' ') && meme_texte(&w[0], &w[1]) {
                    out.push((t.nom.to_string(), format!("{f} p. {}", k + 1), format!("{} / {}", w[0], w[1])));
                }
            }
        }
    }
    out
}

/// The 4-digit years (1900–2099) of a text, as found.
fn annees(s: &str) -> Vec<&str> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    for i in 0..b.len().saturating_sub(3) {
        let mot = &b[i..i + 4];
        let avant = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        let apres = b.get(i + 4).is_none_or(|c| !c.is_ascii_alphanumeric());
        if avant && apres && mot.iter().all(u8::is_ascii_digit) && (mot.starts_with(b"19") || mot.starts_with(b"20")) {
            out.push(&s[i..i + 4]);
        }
    }
    out
}

/// A title or caption that says the same year twice: HTML headings,
/// captions and `<title>`, the PDF's title, and PDF lines that read as
/// titles (short, no final full stop).
fn regle_annee_doublee(t: &Territoire) -> Ecarts {
    let double = |s: &str| {
        let a = annees(s);
        a.iter().enumerate().any(|(k, x)| a[k + 1..].contains(x))
    };
    let mut out = Vec::new();
    for (f, j) in &t.html {
        for (nom, texte) in elements(j, &["h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "title"]) {
            if double(&texte) {
                out.push((t.nom.to_string(), format!("{f} <{nom}>"), texte));
            }
        }
    }
    for (f, titre) in &t.pdf_titres {
        if double(titre) {
            out.push((t.nom.to_string(), format!("{f} (titre du document)"), titre.clone()));
        }
    }
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            for l in p.lines().map(plat) {
                if l.chars().count() <= 120 && !l.ends_with('.') && !l.contains(". ") && !l.contains(';') && double(&l) {
                    out.push((t.nom.to_string(), format!("{f} p. {}", k + 1), l));
                }
            }
        }
    }
    out
}

/// Names of pages that exist only on the site.
const PAGES_DU_SITE: &[&str] = &[
    "Parcourir le rapport",
    "Ma commune dans le schéma",
    "Téléchargements",
    "Contrôle des totaux publiés",
];

/// The PDF (report and extracts) names no page that exists only on the site.
fn regle_pdf_sans_lien_site(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            let p = page_plate(p);
            for nom in PAGES_DU_SITE {
                if let Some(i) = p.find(nom) {
                    out.push((t.nom.to_string(), format!("{f} p. {}", k + 1), extrait(&p, i, i + nom.len(), 30)));
                }
            }
        }
    }
    out
}

fn vide_ou_zero(s: &str) -> bool {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    matches!(s.as_str(), "" | "0" | "0,00" | "0,00€" | "0€" | "—" | "-" | "–")
}

/// No HTML table column whose every body cell is empty, zero or a dash.
fn regle_colonne_vide(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (f, j) in &t.html {
        for tab in tableaux(j) {
            let largeur = tab.corps.iter().map(Vec::len).max().unwrap_or(0);
            let lignes: Vec<&Vec<Cellule>> = tab.corps.iter().filter(|l| l.len() == largeur).collect();
            if lignes.is_empty() {
                continue;
            }
            for c in 0..largeur {
                // Documented exception: a column whose rows say nothing but
                // whose total row gives a figure is a total known without
                // its breakdown (an indicator's yearly total before it was
                // counted per member): the column carries that figure.
                let total_connu = tab.pieds.iter().any(|l| l.len() == largeur && !vide_ou_zero(&l[c].texte));
                if !total_connu && lignes.iter().all(|l| !l[c].entete && vide_ou_zero(&l[c].texte)) {
                    let entete = tab.entetes.last().and_then(|h| h.get(c)).map_or("(sans en-tête)", |x| x.texte.as_str());
                    let valeurs: Vec<&str> = lignes.iter().take(3).map(|l| l[c].texte.as_str()).collect();
                    out.push((
                        t.nom.to_string(),
                        f.clone(),
                        format!(
                            "tableau « {} », colonne « {entete} » : {} ligne(s), toutes {:?}",
                            tab.legende,
                            lignes.len(),
                            valeurs
                        ),
                    ));
                }
            }
        }
    }
    out
}

const MARQUE_PROJET: &str = "Projet — document non définitif";
const ATTENTES: &[&str] = &["à compléter", "à vérifier"];

/// A placeholder on a page (site page or PDF page) without the draft mark.
fn regle_attente_sans_marque(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (lieu, texte) in textes_lus(t, false) {
        if texte.contains(MARQUE_PROJET) {
            continue;
        }
        let bas = texte.to_lowercase();
        for a in ATTENTES {
            if let Some(i) = bas.find(a) {
                out.push((t.nom.to_string(), lieu.clone(), extrait(&bas, i, i + a.len(), 40)));
            }
        }
    }
    out
}

fn est_mot(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '\'' || c == '’'
}

/// Occurrences of `nom` in `texte` as a whole name (not inside a longer
/// hyphenated name), case-sensitive: proper nouns.
fn cherche_nom(texte: &str, nom: &str) -> Option<usize> {
    let mut depart = 0;
    while let Some(k) = texte[depart..].find(nom) {
        let k = depart + k;
        let avant = texte[..k].chars().next_back();
        let apres = texte[k + nom.len()..].chars().next();
        let limite_avant = avant.is_none_or(|c| !est_mot(c));
        let limite_apres = apres.is_none_or(|c| !(c.is_alphanumeric() || c == '-' && texte[k + nom.len() + 1..].starts_with(char::is_alphabetic)));
        if limite_avant && limite_apres {
            return Some(k);
        }
        depart = k + nom.len();
    }
    None
}

/// No name of another territory (EPCI, acronym, communes) in any output,
/// unless the name also belongs to this territory.
fn regle_autre_territoire(t: &Territoire) -> Ecarts {
    let autres: Vec<(&str, &String)> = territoires()
        .iter()
        .filter(|x| x.nom != t.nom)
        .flat_map(|x| x.identite.iter().map(move |n| (x.nom, n)))
        .filter(|(_, n)| !t.identite.contains(n))
        .collect();
    let mut out = Vec::new();
    for (lieu, texte) in textes_lus(t, true) {
        for (d_ou, nom) in &autres {
            if let Some(k) = cherche_nom(&texte, nom) {
                out.push((
                    t.nom.to_string(),
                    lieu.clone(),
                    format!("{} [nom de {d_ou}]", extrait(&texte, k, k + nom.len(), 30)),
                ));
            }
        }
    }
    out
}

/// Abbreviations after which a lower-case word may follow a full stop.
const ABREVIATIONS: &[&str] = &[
    "etc", "p", "art", "cf", "n°", "ex", "env", "hab", "av", "éd", "vol", "coll", "min", "max", "approx", "c.-à-d", "M", "Mme",
];

/// A full stop followed by a space and a lower-case letter starts a
/// sentence without its capital (« données. au prorata »).
fn regle_majuscule(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    // HTML block by block (a chart's description and its axis label are
    // two texts), PDF page by page (blocks cannot be told apart there).
    let mut textes: Vec<(String, String)> = Vec::new();
    for (f, j) in &t.html {
        textes.extend(blocs(j).into_iter().map(|b| (f.clone(), b)));
    }
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            textes.push((format!("{f} p. {}", k + 1), page_plate(p)));
        }
    }
    for (lieu, texte) in textes {
        let mut depart = 0;
        while let Some(k) = texte[depart..].find(". ") {
            let k = depart + k;
            depart = k + 2;
            let Some(c) = texte[k + 2..].chars().next() else { continue };
            if !c.is_lowercase() {
                continue;
            }
            let mot: String = texte[..k]
                .chars()
                .rev()
                .take_while(|c| !c.is_whitespace() && *c != '(')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            // An abbreviation, an ellipsis, initials or a domain name
            // (example.fr. then) does not end a sentence.
            if ABREVIATIONS.contains(&mot.as_str()) || mot.contains('.') || mot.contains('/') || mot.is_empty() {
                continue;
            }
            // The tool's own name, and the PDF's running footer « page 3 / 39 ».
            let suite = &texte[k + 2..];
            if suite.starts_with("mutu ") || suite.strip_prefix("page ").is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit())) {
                continue;
            }
            out.push((t.nom.to_string(), lieu.clone(), extrait(&texte, k, k + 2 + c.len_utf8(), 40)));
        }
    }
    out
}

/// The PDF names no web page, no file format, no data path and no control
/// alarm (issue 23, items 2 and 4).
fn regle_pdf_sans_mention_web(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            let p = page_plate(p);
            if let Some(x) = outils::mention_interdite_du_pdf(&p) {
                let i = p.find(x).unwrap();
                out.push((t.nom.to_string(), format!("{f} p. {}", k + 1), extrait(&p, i, i + x.len(), 40)));
            }
        }
    }
    out
}

/// No heading ends a page of a PDF: it travels with its first block.
fn regle_titre_en_bas_de_page(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (f, pages) in &t.pdf {
        for (k, p) in pages.iter().enumerate() {
            if let Some(titre) = outils::titre_en_bas_de_page(p) {
                out.push((t.nom.to_string(), format!("{f} p. {}", k + 1), titre));
            }
        }
    }
    out
}

/// Words a page of the report holds at least, but the cover and the
/// closing signature part.
const MOTS_MIN_PAR_PAGE: usize = 40;

/// No page of the report holds only a sentence or two, but the cover and
/// the signature part (its last page).
fn regle_page_presque_vide(t: &Territoire) -> Ecarts {
    let mut out = Vec::new();
    for (f, pages) in t.pdf.iter().filter(|(f, _)| !f.starts_with("extraits/")) {
        let n = pages.len();
        for (k, p) in pages.iter().enumerate().take(n.saturating_sub(1)).skip(1) {
            let mots = outils::mots_de_page(p);
            if mots < MOTS_MIN_PAR_PAGE {
                out.push((t.nom.to_string(), format!("{f} p. {} ({mots} mots)", k + 1), page_plate(p)));
            }
        }
    }
    out
}

fn applique(regle: &str, f: fn(&Territoire) -> Ecarts) {
    let ecarts: Ecarts = territoires().iter().flat_map(f).collect();
    verifie(regle, ecarts);
}

// ------------------------------------------------------------------- tests

#[test]
fn les_quatre_territoires_sont_construits_et_lus() {
    let t = territoires();
    assert_eq!(t.len(), 4);
    for x in t {
        assert!(x.html.contains_key("index.html"), "{} : pas de page d'accueil", x.nom);
        assert!(x.pdf.keys().any(|f| !f.starts_with("extraits/")), "{} : pas de rapport PDF", x.nom);
        assert!(x.pdf.keys().any(|f| f.starts_with("extraits/")), "{} : pas d'extrait PDF", x.nom);
        assert!(!x.csv.is_empty() && !x.json.is_empty(), "{} : pas de données ouvertes", x.nom);
        assert!(x.identite.len() >= 3, "{} : identité {:?}", x.nom, x.identite);
    }
}

#[test]
fn aucun_nombre_n_a_plus_de_deux_decimales() {
    applique("au plus deux décimales (montants, pourcentages, quantités)", regle_decimales);
}

#[test]
fn aucun_tableau_n_est_coupe_en_parties() {
    applique("pas de « partie N sur M »", regle_partie_n_sur_m);
}

#[test]
fn aucun_titre_n_est_repete_par_son_sous_titre_ou_sa_legende() {
    applique("titre non répété par le sous-titre ni par la légende", regle_titre_repete);
}

#[test]
fn aucune_annee_n_est_dite_deux_fois_dans_un_titre() {
    applique("pas d'année doublée dans un titre ou une légende", regle_annee_doublee);
}

#[test]
fn le_pdf_ne_parle_ni_de_page_web_ni_de_fichier_ni_de_controle() {
    applique(
        "ni page web, ni format de fichier, ni chemin de données, ni alarme de contrôle dans le PDF",
        regle_pdf_sans_mention_web,
    );
}

#[test]
fn aucun_titre_ne_finit_une_page_du_pdf() {
    applique("un titre part avec son premier bloc", regle_titre_en_bas_de_page);
}

#[test]
fn aucune_page_du_rapport_ne_tient_en_une_phrase() {
    applique("au moins 40 mots par page, sauf la couverture et la signature", regle_page_presque_vide);
}

#[test]
fn le_pdf_ne_renvoie_a_aucune_page_du_seul_site() {
    applique("pas de lien du PDF vers une page du seul site", regle_pdf_sans_lien_site);
}

#[test]
fn aucune_colonne_de_tableau_n_est_vide_ou_nulle() {
    applique("pas de colonne vide ou entièrement nulle", regle_colonne_vide);
}

#[test]
fn aucune_mention_a_completer_sans_la_marque_de_projet() {
    applique("pas de mention « à compléter » sans la marque de projet", regle_attente_sans_marque);
}

#[test]
fn aucun_nom_d_un_autre_territoire() {
    applique("aucune trace d'un autre territoire", regle_autre_territoire);
}

#[test]
fn chaque_phrase_commence_par_une_majuscule() {
    applique("majuscule après un point", regle_majuscule);
}

// ------------------------------------------------- the linter's own tests

#[test]
fn le_lecteur_html_trouve_textes_titres_et_colonnes() {
    let j = jetons(
        "<!doctype html><html><head><title>A &amp; B</title><style>p{}</style></head><body><h2>Action menée en 2023</h2>\
         <h3>Action menée en 2023</h3><p>Total&nbsp;réparti 2,5833 saisi. au prorata</p><script>var x = '<h2>';</script>\
         <table><caption>Coût</caption><thead><tr><th>Organisme</th><th>HT</th></tr></thead>\
         <tbody><tr><th>Daoulas</th><td>0,00 €</td></tr><tr><th>Dirinon</th><td>—</td></tr></tbody></table></body></html>",
    );
    assert_eq!(elements(&j, &["title"]), vec![("title", "A & B".to_string())]);
    let t = Territoire {
        nom: "essai",
        identite: vec![],
        html: BTreeMap::from([("a.html".to_string(), j)]),
        pdf: BTreeMap::new(),
        pdf_titres: BTreeMap::new(),
        csv: BTreeMap::from([("a.csv".to_string(), lit_csv("x;y;z\n\"Total réparti 2,5833\";2.5833;-2,5833\n"))]),
        json: BTreeMap::new(),
    };
    let d = regle_decimales(&t);
    assert_eq!(d.len(), 2, "{d:?}");
    assert_eq!(d[1].1, "a.csv ligne 2");
    assert_eq!(regle_titre_repete(&t).len(), 1);
    assert_eq!(regle_majuscule(&t).len(), 1);
    let c = regle_colonne_vide(&t);
    assert_eq!(c.len(), 1, "{c:?}");
    assert!(c[0].2.contains("colonne « HT »"), "{c:?}");
    assert!(cherche_nom("la commune de Landerneau.", "Landerneau").is_some());
    assert!(cherche_nom("Pays de Landerneau-Daoulas", "Landerneau").is_none());
    assert_eq!(annees("Coût 2021 des services communs 2021"), vec!["2021", "2021"]);
}
