//! The site search index: what `static/recherche.js` (in the theme) loads
//! to find pages in the browser, with no server and from `file://`.
//!
//! Why scripts and not JSON: a page opened from disk may not `fetch()` a
//! file (browsers block it), but it may add a `<script src>` (what mdBook's
//! `searchindex.js` relies on). Every file here is a script that hands its
//! data to `window.mutuRecherche`.
//!
//! Why an own index rather than elasticlunr-rs: elasticlunr's JSON index
//! holds every document's fields and the whole term tree in one file that
//! the browser must load before the first answer, and its French pipeline
//! is the one that missed accented stems (lunr-languages#71). The index
//! below is an inverted index of folded, stemmed terms, split so that a
//! query loads only what it needs:
//! - `recherche/index.js`: the pages (path, title, kind) and the list of
//!   term shards;
//! - `recherche/termes-<c>.js`: the terms starting with `<c>` (a letter or
//!   digit; `autres` for the rest), each with its postings
//!   `[page, weight, page, weight…]`;
//! - `recherche/textes-<n>.js`: the plain text of [`PAGES_PAR_LOT`] pages,
//!   for the excerpts, loaded only for the results shown.
//!
//! The index is built from the same [`Document`] as the pages: a public
//! build's document has no internal item, so neither has its index.
//!
//! Words: [`mutu_base::texte::replie`] folds case and accents; words are cut at
//! anything not a letter or digit (« Saint-Éloy » → saint, eloy;
//! « l'Hôpital » → hopital); [`mots`] drops one-letter words, French
//! function words and short numbers; [`racine`] strips a plural and a final
//! `e` (« écoles », « école » → ecol). `recherche.js` applies the same
//! rules to the query: change both together.

use mutu_base::fichier::Fichier;
use mutu_present::{Bloc, Document, Page, Rubrique};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};

/// Pages per excerpt file: small enough that ten results load little text.
pub const PAGES_PAR_LOT: usize = 20;

/// Longest text kept per page for the excerpts (characters): the words
/// further on are indexed but an excerpt then shows the page's start.
const TEXTE_MAX: usize = 6000;

/// Weight of a word of the title (a word of the text weighs 1 per
/// occurrence, at most [`OCCURRENCES_MAX`]).
const POIDS_TITRE: u32 = 20;
const OCCURRENCES_MAX: u32 = 10;

/// French function words, left out of the index and of queries (they would
/// match nearly every page). Same list in `recherche.js`.
pub const MOTS_VIDES: &[&str] = &[
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "en", "est", "et", "il", "elle", "la", "le", "les", "leur", "leurs", "ne", "ou", "par", "pas",
    "pour", "qui", "que", "sa", "se", "ses", "son", "sur", "un", "une",
];

/// Kind of a page, shown with each result and used by the filters.
pub fn genre(p: &Page) -> &'static str {
    if p.id.starts_with("communes/") && p.rubrique == Rubrique::Communes {
        "commune"
    } else if p.id.starts_with("services/") {
        "service"
    } else if p.id.starts_with("fiches/") {
        "fiche-action"
    } else {
        "page"
    }
}

/// Light French stemming of a folded word: a final `s` or `x` (plural),
/// then a final `e`, go when at least three characters stay.
pub fn racine(mot: &str) -> &str {
    let mut m = mot;
    let mut n = m.chars().count();
    if n > 3 && (m.ends_with('s') || m.ends_with('x')) {
        m = &m[..m.len() - 1];
        n -= 1;
    }
    if n > 3 && m.ends_with('e') {
        m = &m[..m.len() - 1];
    }
    m
}

/// The index terms of `texte`, in order, repeated as they occur.
pub fn mots(texte: &str) -> Vec<String> {
    termes(&mutu_base::texte::replie(texte)).map(str::to_string).collect()
}

/// The index terms of an already folded text, borrowed from it.
fn termes(replie: &str) -> impl Iterator<Item = &str> {
    replie.split(|c: char| !c.is_alphanumeric()).filter(|m| garde(m)).map(racine)
}

fn garde(m: &str) -> bool {
    let n = m.chars().count();
    if n < 2 || MOTS_VIDES.contains(&m) {
        return false;
    }
    // Amounts are cut into meaningless pieces (« 186 641,00 ») : keep
    // years and codes (four digits and more) only.
    !(m.chars().all(|c| c.is_ascii_digit()) && n < 4)
}

/// The searchable text of a page: its blocks as plain text, one block a
/// line; site-only navigation blocks are left out (they would make every
/// page match the titles of its neighbours).
pub fn texte_de_page(p: &Page) -> String {
    let mut out = String::new();
    let mut ligne = |s: &str| {
        let s = s.trim();
        if !s.is_empty() {
            out.push_str(s);
            out.push('\n');
        }
    };
    for (i, b) in p.blocs.iter().enumerate() {
        if p.site_seulement.contains(&i) {
            continue;
        }
        match b {
            Bloc::Titre { texte, .. } | Bloc::Paragraphe { texte } | Bloc::Encadre { texte, .. } => ligne(texte),
            Bloc::Markdown { source, .. } => ligne(&texte_markdown(source)),
            Bloc::Chiffres { chiffres } => {
                for c in chiffres {
                    ligne(&format!(
                        "{} : {}{}",
                        c.libelle,
                        c.valeur,
                        c.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
                    ));
                }
            }
            Bloc::Tableau(t) => {
                ligne(&t.titre);
                // Text cells only: the figures would fill the index with
                // pieces of numbers.
                for l in t.lignes.iter().chain(&t.pied) {
                    let cellules: Vec<&str> = l.iter().filter(|c| c.valeur.is_none()).map(|c| c.texte.as_str()).collect();
                    ligne(&cellules.join(" ; "));
                }
                if let Some(n) = &t.note {
                    ligne(n);
                }
            }
            Bloc::Graphique(g) => {
                ligne(&g.titre);
                ligne(&g.description);
            }
            Bloc::Definitions { lignes } => {
                for d in lignes {
                    ligne(&format!("{} : {}", d.terme, d.valeurs.join(" ; ")));
                }
            }
            Bloc::Liste { elements } => elements.iter().for_each(|e| ligne(e)),
            Bloc::Frise { etapes } => {
                for e in etapes {
                    ligne(&format!("{} : {}", e.annee, e.evenements.join(" ; ")));
                }
            }
            Bloc::Statut { libelle, .. } => ligne(libelle),
            Bloc::Liens { liens } => {
                for l in liens {
                    ligne(&format!("{}{}", l.texte, l.detail.as_deref().map(|d| format!(" : {d}")).unwrap_or_default()));
                }
            }
        }
    }
    out
}

/// The visible text of a Markdown source (raw HTML left out), one block a
/// line.
fn texte_markdown(source: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::new();
    for e in mutu_base::markdown::evenements(source) {
        match e {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock) => out.push('\n'),
            _ => {}
        }
    }
    out
}

/// A data file of the index: `window.mutuRecherche.<appel>(<données>);`.
fn script(appel: &str, donnees: &Value) -> Vec<u8> {
    // JSON is valid JavaScript, except that `</script` could end an inline
    // script: these files are never inline, but escaping `<` costs nothing.
    let json = serde_json::to_string(donnees).unwrap_or_default().replace('<', "\\u003c");
    format!("window.mutuRecherche.{appel}({json});\n").into_bytes()
}

/// Shard of a term: its first character when an ASCII letter or digit.
fn lot_de(terme: &str) -> String {
    match terme.chars().next() {
        Some(c) if c.is_ascii_alphanumeric() => c.to_string(),
        _ => "autres".to_string(),
    }
}

/// The index files for the pages of `doc`, in document order.
pub fn render(doc: &Document) -> Vec<Fichier> {
    let mut pages = Vec::new();
    let mut textes = Vec::new();
    // term → [(page, weight)], pages ascending as they are visited; the
    // terms are sorted once at the end, so the output is byte-identical
    // from one build to the next.
    let mut postings: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    let mut ajoute = |terme: &str, page: u32, poids: u32| {
        let pp = match postings.get_mut(terme) {
            Some(pp) => pp,
            None => postings.entry(terme.to_string()).or_default(),
        };
        match pp.last_mut() {
            Some((q, w)) if *q == page => *w += poids,
            _ => pp.push((page, poids)),
        }
    };
    for (n, p) in doc.pages.iter().enumerate() {
        let n = n as u32;
        pages.push(json!([p.id, p.titre, genre(p)]));
        let mut texte = texte_de_page(p);
        for m in termes(&mutu_base::texte::replie(&p.titre)) {
            ajoute(m, n, POIDS_TITRE);
        }
        let replie = mutu_base::texte::replie(&texte);
        let mut vus: HashMap<&str, u32> = HashMap::new();
        for m in termes(&replie) {
            *vus.entry(m).or_default() += 1;
        }
        for (m, k) in vus {
            ajoute(m, n, k.min(OCCURRENCES_MAX));
        }
        if let Some((fin, _)) = texte.char_indices().nth(TEXTE_MAX) {
            texte.truncate(fin);
        }
        textes.push(texte);
    }
    let mut postings: Vec<(String, Vec<(u32, u32)>)> = postings.into_iter().collect();
    postings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut lots: BTreeMap<String, serde_json::Map<String, Value>> = BTreeMap::new();
    for (terme, pp) in postings {
        let plat: Vec<u32> = pp.into_iter().flat_map(|(p, w)| [p, w]).collect();
        lots.entry(lot_de(&terme)).or_default().insert(terme, json!(plat));
    }
    let mut out = vec![Fichier::new(
        "recherche/index.js",
        script(
            "index",
            &json!({ "pages": pages, "termes": lots.keys().collect::<Vec<_>>(), "pages_par_lot": PAGES_PAR_LOT }),
        ),
    )];
    for (cle, termes) in lots {
        out.push(Fichier::new(format!("recherche/termes-{cle}.js"), script("termes", &json!([cle, termes]))));
    }
    for (n, lot) in textes.chunks(PAGES_PAR_LOT).enumerate() {
        out.push(Fichier::new(format!("recherche/textes-{n}.js"), script("textes", &json!([n, lot]))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_folded_cut_and_stemmed() {
        assert_eq!(mots("Les écoles de musique"), ["ecol", "musiqu"]);
        assert_eq!(mots("École"), ["ecol"]);
        assert_eq!(mots("Saint-Éloy et L'Hôpital-Camfrout"), ["saint", "eloy", "hopital", "camfrout"]);
        assert_eq!(mots("ÉQUIPEMENTS communaux"), ["equipement", "communau"]);
        // Pieces of amounts go, years and codes stay.
        assert_eq!(mots("186 641,00 € en 2023 (29003)"), ["2023", "29003"]);
        // Short words are not stemmed away.
        assert_eq!(mots("bus axe ses"), ["bus", "axe"]);
    }

    #[test]
    fn kinds_of_pages() {
        let page = |id: &str, rubrique| Page {
            id: id.into(),
            titre: "T".into(),
            rubrique,
            parent: None,
            resume: None,
            blocs: vec![],
            pdf: false,
            membre: None,
            site_seulement: vec![],
        };
        assert_eq!(genre(&page("communes/daoulas", Rubrique::Communes)), "commune");
        assert_eq!(genre(&page("services/garage-commun", Rubrique::Services)), "service");
        assert_eq!(genre(&page("fiches/formation", Rubrique::Axes)), "fiche-action");
        assert_eq!(genre(&page("communes", Rubrique::Communes)), "page");
    }

    #[test]
    fn markdown_text_without_html() {
        assert_eq!(
            texte_markdown("# Titre\n\nUn *mot* <b>gras</b> `code`.\n\n- a\n- b\n"),
            "Titre\nUn mot gras code.\na\nb\n"
        );
    }
}
