//! The example project of the repository rendered as a website: no
//! diagnostic, every internal link resolves, every page id has its file.
//!
//! Run: `CARGO_TARGET_DIR=/root/.cache/mutu-target cargo test --release --test site_exemple`

use mutu_data as data;
use mutu_site as site;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn attributs(texte: &str, attr: &str) -> Vec<String> {
    let motif = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut reste = texte;
    while let Some(p) = reste.find(&motif) {
        reste = &reste[p + motif.len()..];
        let fin = reste.find('"').unwrap();
        out.push(reste[..fin].replace("&amp;", "&"));
        reste = &reste[fin..];
    }
    out
}

fn normalise(base: &str, relatif: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for s in relatif.split('/') {
        match s {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

#[test]
fn example_project_site() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = mutu_compute::pipeline::run(racine);
    let Some(modele) = run.publishable() else {
        panic!("le projet d'exemple a des erreurs :\n{}", run.diagnostics.render(&run.sources));
    };
    let doc = mutu_present::document(modele, &mutu_present::Options { pdf: true, extraits: false });
    let theme = mutu_theme::charger(racine, &modele.config.theme).unwrap();
    let opts = site::SiteOptions {
        html_brut: modele.config.html_brut,
        url_de_base: modele.config.url_de_base.clone(),
        rechargement: None,
    };
    let debut = std::time::Instant::now();
    let fichiers = site::render(&doc, &theme, &opts).unwrap_or_else(|d| panic!("{d:#?}"));
    eprintln!(
        "site de l'exemple : {} pages, {} fichiers, {:.1} ms",
        doc.pages.len(),
        fichiers.len(),
        debut.elapsed().as_secs_f64() * 1000.0
    );
    let mut f: BTreeMap<String, Vec<u8>> = fichiers.into_iter().map(|x| (x.chemin, x.contenu)).collect();
    f.extend(data::render(&doc).into_iter().map(|x| (x.chemin, x.contenu)));
    let medias = mutu_present::medias::fichiers_site(racine, &doc, |_| 1).unwrap_or_else(|d| panic!("{d:#?}"));
    f.extend(medias.into_iter().map(|x| (x.chemin, x.contenu)));
    // `MUTU_SITE_EXEMPLE=/tmp/x` also writes the site there, for a look.
    if let Ok(dir) = std::env::var("MUTU_SITE_EXEMPLE") {
        for (chemin, octets) in &f {
            let p = Path::new(&dir).join(chemin);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, octets).unwrap();
        }
    }
    for p in &doc.pages {
        assert!(f.contains_key(&format!("{}.html", p.id)), "{}", p.id);
    }
    let externes_permis = |c: &str| c.starts_with("https://") || c.starts_with("http://") || c.starts_with("mailto:") || c.starts_with("tel:");
    let mut absents = BTreeSet::new();
    for (chemin, octets) in &f {
        if !chemin.ends_with(".html") {
            continue;
        }
        let t = String::from_utf8(octets.clone()).unwrap();
        assert_eq!(t.matches("<h1").count(), 1, "{chemin}");
        let ids: Vec<String> = attributs(&t, "id");
        let uniques: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(ids.len(), uniques.len(), "{chemin} : ids en double");
        for cible in attributs(&t, "href").into_iter().chain(attributs(&t, "src")) {
            assert!(!cible.starts_with('/'), "{chemin} : {cible}");
            if externes_permis(&cible) {
                continue;
            }
            if let Some(a) = cible.strip_prefix('#') {
                assert!(uniques.contains(&a.to_string()), "{chemin} : #{a}");
                continue;
            }
            let fichier = cible.split('#').next().unwrap();
            let n = normalise(chemin, fichier).unwrap_or_else(|| panic!("{chemin} : {cible}"));
            if !f.contains_key(&n) && !n.ends_with(".pdf") && n != "donnees/mutu-export.json" {
                absents.insert(format!("{chemin} → {cible}"));
            }
        }
    }
    assert!(absents.is_empty(), "liens cassés : {absents:#?}");
    // The change of a share is given in points beside the relative change.
    let ads = String::from_utf8(f["services/instruction-ads.html"].clone()).unwrap();
    assert!(ads.contains(">Évolution (points)</th>") && ads.contains(">Évolution (%)</th>"), "{ads}");
}

/// The data a `recherche/*.js` script hands to `window.mutuRecherche`.
fn donnees_script(f: &BTreeMap<String, Vec<u8>>, chemin: &str) -> serde_json::Value {
    let t = std::str::from_utf8(&f[chemin]).unwrap();
    let debut = t.find('(').unwrap() + 1;
    let fin = t.rfind(')').unwrap();
    serde_json::from_str(&t[debut..fin]).unwrap()
}

/// The search index of the example: « école » (any case, accent, number)
/// finds the music schools' service first, a commune with an apostrophe and
/// a hyphen in its name finds its page, and the excerpt texts are the pages'.
#[test]
fn example_search_index() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = mutu_compute::pipeline::run(racine);
    let modele = run.publishable().expect("exemple sans erreur");
    let doc = mutu_present::document(modele, &mutu_present::Options { pdf: true, extraits: false });
    let theme = mutu_theme::charger(racine, &modele.config.theme).unwrap();
    let fichiers = site::render(&doc, &theme, &site::SiteOptions::default()).unwrap_or_else(|d| panic!("{d:#?}"));
    let f: BTreeMap<String, Vec<u8>> = fichiers.into_iter().map(|x| (x.chemin, x.contenu)).collect();
    assert!(f.contains_key("static/recherche.js"));
    let index = donnees_script(&f, "recherche/index.js");
    let pages = index["pages"].as_array().unwrap();
    assert_eq!(pages.len(), doc.pages.len());
    let numero = |id: &str| pages.iter().position(|p| p[0] == id).unwrap_or_else(|| panic!("{id} absent de l'index"));
    let musique = numero("services/ecole-de-musique");
    assert_eq!(
        pages[musique],
        serde_json::json!([
            "services/ecole-de-musique",
            "Direction des écoles de musique de Landerneau et Loperhet",
            "service"
        ])
    );
    assert_eq!(pages[numero("communes/hopital-camfrout")][2], "commune");
    assert_eq!(pages[numero("fiches/ecoles-de-musique")][2], "fiche-action");

    // Postings of a query word: page → weight.
    let postings = |mot: &str| -> BTreeMap<usize, u64> {
        let termes = site::recherche::mots(mot);
        assert_eq!(termes.len(), 1, "{mot}");
        let lot = donnees_script(&f, &format!("recherche/termes-{}.js", &termes[0][..1]));
        let p = lot[1][&termes[0]].as_array().unwrap_or_else(|| panic!("{mot} absent de l'index")).clone();
        p.chunks(2).map(|c| (c[0].as_u64().unwrap() as usize, c[1].as_u64().unwrap())).collect()
    };
    for mot in ["école", "ECOLES", "ecole"] {
        let p = postings(mot);
        let meilleure = p.iter().max_by_key(|(n, w)| (**w, std::cmp::Reverse(**n))).unwrap();
        assert!(*meilleure.0 == musique || pages[*meilleure.0][0] == "fiches/ecoles-de-musique", "{mot} : {p:?}");
        assert!(p[&musique] >= 20, "le titre compte : {p:?}");
    }
    let hopital = postings("Hôpital");
    assert!(hopital.contains_key(&numero("communes/hopital-camfrout")), "{hopital:?}");
    assert!(postings("Camfrout").contains_key(&numero("communes/hopital-camfrout")));
    // Function words and pieces of amounts are not indexed.
    let tous: String = f
        .iter()
        .filter(|(k, _)| k.starts_with("recherche/termes-"))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
        .collect();
    assert!(!tous.contains("\"les\":") && !tous.contains("\"de\":") && !tous.contains("\"00\":"));

    // The excerpt text of a page is its plain text (no HTML, no Markdown).
    let lot = donnees_script(&f, &format!("recherche/textes-{}.js", musique / site::recherche::PAGES_PAR_LOT));
    let texte = lot[1][musique % site::recherche::PAGES_PAR_LOT].as_str().unwrap();
    assert_eq!(
        texte,
        site::recherche::texte_de_page(&doc.pages[musique]).chars().take(6000).collect::<String>()
    );
    assert!(!texte.contains('<') && !texte.contains("**"), "{texte}");
}
