//! Hostile text in every kind of input (YAML fields, front matter,
//! Markdown) comes out of the site escaped and out of the PDF literally:
//! no HTML injection, no broken attribute, no typst markup or code.

use crate::outils;

use outils::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every dangerous sequence for HTML, Tera and typst, in one line. It has
/// no `'`, so it fits a single-quoted YAML string as is.
const HOSTILE: &str = r#"<script>alert(1)</script> " onerror="x #panic() ] $ \ // /* x */ @ref <label> {{ x }} {% raw %}"#;

/// Same, as HTML text: the templates escape `& < > " '`; Markdown text
/// (pulldown-cmark) escapes `& < >` only, `"` being harmless outside tags
/// (attributes are checked separately).
fn en_html(s: &str) -> String {
    en_texte_html(s).replace('"', "&quot;")
}

fn en_texte_html(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The example with the hostile line in a service name, a fiche title, a
/// balance line label, a commune's note and text, the édito's title and
/// body, and a raw HTML element in the édito (`html_brut` decides its fate).
fn projet(html_brut: bool) -> (Temp, PathBuf) {
    let (t, p) = copie_exemple(if html_brut { "echappement-brut" } else { "echappement" });
    let y = |etiquette: &str| format!("'{etiquette} {HOSTILE}'");
    remplace(
        &p,
        "data/services/garage-commun.yaml",
        "nom: \"Garage commun\"",
        &format!("nom: {}", y("Garage")),
    );
    remplace(&p, "data/fiches/juridique.yaml", "piste: \"Juridique\"", &format!("piste: {}", y("Juridique")));
    let g = std::fs::read_to_string(p.join("data/services/garage-commun.yaml")).unwrap();
    let g = g.replacen("libelle: \"Frais de personnel\"", &format!("libelle: {}", y("Personnel")), 1);
    std::fs::write(p.join("data/services/garage-commun.yaml"), g).unwrap();
    remplace(
        &p,
        "data/territoire.yaml",
        "note: \"Ville-centre. Partage",
        &format!("note: \"Note {} Ville-centre. Partage", HOSTILE.replace('\\', "\\\\").replace('"', "\\\"")),
    );
    remplace(&p, "content/edito.md", "titre: \"Édito\"", &format!("titre: {}", y("Titre")));
    if html_brut {
        // Raw HTML is the author's own: only the YAML fields and the
        // front matter stay hostile.
        remplace(&p, "data/configuration.yaml", "html_brut: false", "html_brut: true");
    } else {
        ajoute(&p, "content/membres/landerneau.md", &format!("\nCommune {HOSTILE}\n"));
        ajoute(&p, "content/edito.md", &format!("\nÉdito {HOSTILE}\n"));
    }
    ajoute(&p, "content/edito.md", "\nTexte <b class=\"brut\">gras</b> fin.\n");
    (t, p)
}

fn construit(p: &Path, sortie: &Path) -> BTreeMap<String, String> {
    let o = mutu(p, &["build", "--extraits", "--sortie", sortie.to_str().unwrap()]);
    reussit(&o);
    textes(sortie)
}

/// Tags of an HTML page, by name, in a simple scan (enough to see an
/// injected element: escaped text never starts a tag).
fn balises(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut reste = html;
    while let Some(p) = reste.find('<') {
        reste = &reste[p + 1..];
        let nom: String = reste.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '/' || *c == '!').collect();
        out.push(nom.trim_start_matches('/').to_ascii_lowercase());
    }
    out
}

/// Attributes of every tag: `name="value"` pairs must be well formed, and
/// no attribute is named like an event handler.
fn verifie_attributs(page: &str, html: &str) {
    let mut reste = html;
    while let Some(p) = reste.find('<') {
        reste = &reste[p + 1..];
        if reste.starts_with('!') || reste.starts_with('/') {
            continue;
        }
        let fin = reste.find('>').unwrap_or(reste.len());
        let balise = &reste[..fin];
        // Inside a tag: a name, then name="value" pairs; a value never
        // holds a raw `"`, `<` or `>`.
        let mut it = balise.splitn(2, char::is_whitespace);
        let _nom = it.next();
        let mut attrs = it.next().unwrap_or("").trim();
        while !attrs.is_empty() && attrs != "/" {
            let eg = attrs.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(attrs.len());
            let nom = &attrs[..eg];
            assert!(!nom.to_ascii_lowercase().starts_with("on"), "{page} : attribut {nom} dans <{balise}>");
            attrs = attrs[eg..].trim_start();
            if let Some(r) = attrs.strip_prefix('=') {
                let r = r.trim_start();
                let r = r.strip_prefix('"').unwrap_or_else(|| panic!("{page} : valeur sans guillemets dans <{balise}>"));
                let f = r.find('"').unwrap_or_else(|| panic!("{page} : valeur non fermée dans <{balise}>"));
                assert!(!r[..f].contains('<'), "{page} : < dans une valeur d'attribut de <{balise}>");
                attrs = r[f + 1..].trim_start();
            }
        }
    }
}

fn verifie_site(textes: &BTreeMap<String, String>, html_brut: bool) {
    let pages: Vec<(&String, &String)> = textes.iter().filter(|(k, _)| k.ends_with(".html")).collect();
    assert!(pages.len() > 40);
    let echappe = en_html(HOSTILE);
    for (page, html) in &pages {
        let b = balises(html);
        // The theme's search script and field label are the only ones
        // (opening and closing tags).
        assert_eq!(b.iter().filter(|t| *t == "script").count(), 2, "{page} : élément <script>");
        assert!(html.contains("static/recherche.js\" defer></script>"), "{page} : élément <script>");
        assert_eq!(b.iter().filter(|t| *t == "label").count(), 2, "{page} : élément <label>");
        assert!(
            html.contains("<label for=\"recherche-champ\">Rechercher dans le site</label>"),
            "{page} : élément <label>"
        );
        assert!(!html.contains(HOSTILE), "{page} : texte hostile non échappé");
        verifie_attributs(page, html);
    }
    let attendus = [
        ("services/garage-commun.html", "Garage"),
        ("services/garage-commun.html", "Personnel"),
        ("services.html", "Garage"),
        ("fiches/juridique.html", "Juridique"),
        ("axes.html", "Juridique"),
        ("communes/landerneau.html", "Garage"),
        ("index.html", "Titre"),
    ];
    if !html_brut {
        for (page, etiquette) in [("communes/landerneau.html", "Commune"), ("index.html", "Édito")] {
            let texte = format!("<p>{etiquette} {}</p>", en_texte_html(HOSTILE));
            assert!(textes[page].contains(&texte), "{page} : « {etiquette} » échappé absent");
        }
    }
    for (page, etiquette) in attendus {
        assert!(
            textes[page].contains(&format!("{etiquette} {echappe}")),
            "{page} : « {etiquette} » échappé absent"
        );
    }
    // In attributes (page title) and in the site map.
    assert!(textes["services/garage-commun.html"].contains(&format!("<title>Garage {echappe} — ")));
    assert!(textes["plan-du-site.html"].contains(&format!("Garage {echappe}")));
    // Data files: CSV and JSON hold the exact text.
    let csv = &textes["donnees/services-liste.csv"];
    assert!(csv.contains(&format!("\"Garage {}\"", HOSTILE.replace('"', "\"\""))), "{csv}");
    let json: serde_json::Value = serde_json::from_str(&textes["donnees/mutu-export.json"]).unwrap();
    let landerneau = json["membres"].as_array().unwrap().iter().find(|m| m["id"] == "landerneau").unwrap();
    assert!(landerneau["note"].as_str().unwrap().starts_with(&format!("Note {HOSTILE} ")));
    // Raw HTML in Markdown: escaped unless the project allows it.
    let index = &textes["index.html"];
    if html_brut {
        assert!(index.contains("Texte <b class=\"brut\">gras</b> fin."), "html_brut: true");
    } else {
        assert!(index.contains("Texte &lt;b class=\"brut\"&gt;gras&lt;/b&gt; fin."), "html_brut: false");
    }
}

/// Without any white space: table cells break lines inside words (after
/// `/`), which `pdftotext` renders as spaces.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn verifie_pdf(textes: &BTreeMap<String, String>, html_brut: bool) {
    let (nom, pdf) = textes.iter().find(|(k, _)| k.starts_with("rapport-") && k.ends_with(".pdf")).unwrap();
    let pdf = compact(pdf);
    let mut etiquettes = vec!["Garage", "Personnel", "Juridique", "Titre"];
    if !html_brut {
        etiquettes.push("Édito");
    }
    // The PDF never interprets HTML: the author's raw element is text.
    assert!(
        pdf.contains(&compact("Texte <b class=\"brut\">gras</b> fin.")),
        "{nom} : élément HTML absent du texte"
    );
    for etiquette in etiquettes {
        let attendu = compact(&format!("{etiquette} {HOSTILE}"));
        assert!(pdf.contains(&attendu), "{nom} : « {attendu} » absent du texte du PDF");
    }
    let extrait = compact(&textes["extraits/landerneau.pdf"]);
    if !html_brut {
        assert!(
            extrait.contains(&compact(&format!("Commune {HOSTILE}"))),
            "extrait : texte de la commune absent"
        );
    }
    assert!(extrait.contains(&compact(&format!("Garage {HOSTILE}"))), "extrait : nom du service absent");
}

#[test]
fn hostile_text_is_escaped_on_the_site_and_literal_in_the_pdf() {
    let (t, p) = projet(false);
    let textes = construit(&p, &t.join("public"));
    verifie_site(&textes, false);
    verifie_pdf(&textes, false);
}

#[test]
fn raw_html_passes_only_with_html_brut() {
    let (t, p) = projet(true);
    let textes = construit(&p, &t.join("public"));
    verifie_site(&textes, true);
    verifie_pdf(&textes, true);
}

#[test]
fn script_links_are_refused() {
    let (t, p) = copie_exemple("liens-script");
    ajoute(
        &p,
        "content/edito.md",
        "\n[cliquez](javascript:alert(1)) ou [là](<java\tscript:alert(1)>) ou [ici](data:text/html,<script>alert(1)</script>)\n",
    );
    let ligne = std::fs::read_to_string(p.join("content/edito.md")).unwrap().lines().count();
    for args in [vec!["check"], vec!["build", "--sortie", t.join("public").to_str().unwrap()]] {
        let o = mutu(&p, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{err}");
        for (lien, protocole) in [
            ("javascript:alert(1)", "javascript"),
            ("java\tscript:alert(1)", "javascript"),
            ("data:text/html,<script>alert(1)</script>", "data"),
        ] {
            assert!(
                err.contains(&format!(
                    "erreur[lien-interdit] : le lien « {lien} » utilise le protocole « {protocole}: », refusé"
                )),
                "{err}"
            );
        }
        assert!(err.contains(&format!("--> content/edito.md:{ligne}:1")), "{err}");
    }
    assert!(!t.join("public").exists());
}

/// OWASP « CSV injection »: a label starting with `=` went verbatim into the
/// CSV files, where a spreadsheet runs it as a formula. Text cells get a
/// leading `'`; figures stay numbers.
#[test]
fn formulas_in_csv_cells_are_neutralised() {
    let (t, p) = copie_exemple("formules-csv");
    remplace(
        &p,
        "data/services/garage-commun.yaml",
        "nom: \"Garage commun\"",
        "nom: \"=HYPERLINK(\\\"https://x.fr\\\";\\\"Garage\\\")\"",
    );
    let sortie = t.join("public");
    reussit(&mutu(&p, &["build", "--sans-pdf", "--sortie", sortie.to_str().unwrap()]));
    let textes = textes(&sortie);
    let csv = &textes["donnees/services-liste.csv"];
    assert!(csv.contains("\"'=HYPERLINK(\"\"https://x.fr\"\";\"\"Garage\"\")\""), "{csv}");
    for (nom, csv) in textes.iter().filter(|(k, _)| k.ends_with(".csv")) {
        for cellule in csv.split(['\n', ';']) {
            assert!(!cellule.trim_start_matches('"').starts_with(['=', '+', '@']), "{nom} : {cellule}");
        }
    }
}
