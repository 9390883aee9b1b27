//! The example project of the repository rendered as a website: no
//! diagnostic, every internal link resolves, every page id has its file.
//!
//! Run: `CARGO_TARGET_DIR=/root/.cache/mutu-target cargo test --release --test site_exemple`

use mutu::render::{data, site};
use mutu::theme::Theme;
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
    let run = mutu::pipeline::run(racine);
    let Some(modele) = run.publishable() else {
        panic!("le projet d'exemple a des erreurs :\n{}", run.diagnostics.render(&run.sources));
    };
    let doc = mutu::present::document(modele, &mutu::present::Options { pdf: true, extraits: false });
    let theme = Theme::load(racine, &modele.config.theme).unwrap();
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
    let medias = mutu::medias::fichiers_site(racine, &doc, |_| 1).unwrap_or_else(|d| panic!("{d:#?}"));
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
