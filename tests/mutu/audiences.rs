//! Audiences: `visibilite: interne` items never reach any output of a
//! public build (`--public`: site, data files, export, sitemap, PDF and
//! extracts), and are present, marked « Diffusion interne », otherwise.
//! A draft (a placeholder left in the project) says so on every page of
//! the site and of the PDF; the publisher named is the territory's.

use crate::outils;

use outils::*;
use std::path::Path;

/// Marker strings put in internal items only (each a single word, so the
/// PDF text search is not disturbed by line breaks).
const SERVICE: &str = "Zqserviceinterne";
const TEXTE_SERVICE: &str = "Zqtexteduserviceinterne";
const CLE: &str = "Zqcleduserviceinterne";
const FICHE: &str = "Zqficheinterne";
const TEXTE_FICHE: &str = "Zqtextedelaficheinterne";
const PAGE: &str = "Zqpageinterne";
const NARRATIF: &str = "Zqnarratifinterne";
const INDICATEUR: &str = "Zqindicateurinterne";
const NOTE_INDICATEUR: &str = "Zqnoteinternedindicateur";
const NOTE_ADHESION: &str = "Zqnoteinternedadhesion";
const NOTE_LIGNE: &str = "Zqnoteinternedeligne";
/// In a public text: proves the search finds what is there.
const PUBLIC: &str = "Zqtextepublic";

const INTERNES: &[&str] = &[
    SERVICE,
    TEXTE_SERVICE,
    CLE,
    FICHE,
    TEXTE_FICHE,
    PAGE,
    NARRATIF,
    INDICATEUR,
    NOTE_INDICATEUR,
    NOTE_ADHESION,
    NOTE_LIGNE,
];

/// The example with one internal service (and, through it, its text, its
/// keys and a fiche's link to it), one internal fiche, one internal page,
/// an internal narrative of a public service, an internal indicator and
/// internal notes.
fn projet() -> (Temp, std::path::PathBuf) {
    let (t, p) = copie_exemple("audiences");
    let si = "data/services/si-communes.yaml";
    remplace(
        &p,
        si,
        "nom: \"Mutualisation informatique avec les communes\"",
        &format!("nom: \"Mutualisation informatique {SERVICE}\""),
    );
    remplace(&p, si, "visibilite: publique", "visibilite: interne");
    ajoute(&p, "content/services/si-communes.md", &format!("\nPrécision : {TEXTE_SERVICE}.\n"));
    let cles = std::fs::read_to_string(p.join("data/cles.yaml")).unwrap();
    let debut = cles.find("  - id: si-pack3-support").unwrap();
    let libelle = debut + cles[debut..].find("libelle: \"").unwrap() + "libelle: \"".len();
    std::fs::write(p.join("data/cles.yaml"), format!("{}{CLE} {}", &cles[..libelle], &cles[libelle..])).unwrap();

    let fiche = "data/fiches/juridique.yaml";
    remplace(&p, fiche, "piste: \"Juridique\"", &format!("piste: \"Juridique {FICHE}\""));
    ajoute(&p, fiche, "visibilite: interne\n");
    ajoute(&p, "content/fiches/juridique.md", &format!("\nPrécision : {TEXTE_FICHE}.\n"));

    ajoute(&p, "content/pages/notes-de-transcription.md", &format!("\nPrécision : {PAGE}.\n"));
    let garage_md = "content/services/garage-commun.md";
    remplace(&p, garage_md, "exercice: 2023\n---\n", "exercice: 2023\nvisibilite: interne\n---\n");
    ajoute(&p, garage_md, &format!("\nPrécision : {NARRATIF}.\n"));

    let garage = "data/services/garage-commun.yaml";
    remplace(
        &p,
        garage,
        "libelle: \"Heures facturées : Eau du Ponant et communes conventionnées\"",
        &format!("libelle: \"Heures {INDICATEUR}\"\n    visibilite: interne"),
    );
    remplace(
        &p,
        garage,
        "graphique: barres_empilees\n    note: \"La série « Landerneau » regroupe la Ville et son CCAS. En-têtes",
        &format!(
            "graphique: barres_empilees\n    note_interne: \"{NOTE_INDICATEUR}\"\n    note: \"La série « Landerneau » regroupe la Ville et son CCAS. En-têtes"
        ),
    );
    remplace(
        &p,
        garage,
        "  - membre: capld\n    depuis: 2017-01-01\n",
        &format!("  - membre: capld\n    depuis: 2017-01-01\n    note_interne: \"{NOTE_ADHESION}\"\n"),
    );
    let texte = std::fs::read_to_string(p.join(garage)).unwrap();
    let ligne = texte.find("      - libelle: ").expect("une ligne de bilan");
    let fin = ligne + texte[ligne..].find('\n').unwrap();
    std::fs::write(
        p.join(garage),
        format!("{}\n        note_interne: \"{NOTE_LIGNE}\"{}", &texte[..fin], &texte[fin..]),
    )
    .unwrap();

    ajoute(&p, "content/edito.md", &format!("\nPrécision : {PUBLIC}.\n"));
    (t, p)
}

/// A marker as the search index stores it: `"zqficheintern":`.
fn terme_indexe(m: &str) -> String {
    let termes = mutu_site::recherche::mots(m);
    assert_eq!(termes.len(), 1);
    format!("\"{}\":", termes[0])
}

fn construit(p: &Path, sortie: &Path, public: bool) -> std::collections::BTreeMap<String, String> {
    let mut args = vec!["build", "--extraits", "--sortie", sortie.to_str().unwrap()];
    if public {
        args.push("--public");
    }
    reussit(&mutu(p, &args));
    textes(sortie)
}

#[test]
fn public_build_leaves_every_internal_item_out_of_every_file() {
    let (t, p) = projet();
    let out = t.join("public");
    let textes = construit(&p, &out, true);
    // Every kind of output is searched.
    for ext in [".html", ".csv", ".json", ".xml", ".pdf"] {
        assert!(textes.keys().any(|k| k.ends_with(ext)), "aucun fichier {ext} dans la sortie");
    }
    assert!(textes.contains_key("sitemap.xml") && textes.contains_key("donnees/mutu-export.json"));
    assert!(textes.keys().any(|k| k.starts_with("extraits/")));
    for m in INTERNES {
        assert_eq!(contiennent(&textes, m), Vec::<String>::new(), "{m} trouvé dans la version publique");
    }
    // The search index holds words folded and stemmed (« Zqficheinterne » →
    // « zqficheintern »): look for them in that form too.
    for m in INTERNES {
        assert_eq!(
            contiennent(&textes, &terme_indexe(m)),
            Vec::<String>::new(),
            "{m} dans l'index de recherche public"
        );
    }
    assert_eq!(contiennent(&textes, &terme_indexe(PUBLIC)), ["recherche/termes-z.js"]);
    let publics = contiennent(&textes, PUBLIC);
    assert!(publics.contains(&"index.html".to_string()), "{publics:?}");
    assert!(publics.iter().any(|f| f.starts_with("recherche/textes-")), "{publics:?}");
    assert!(publics.iter().any(|f| f.ends_with(".pdf")), "{publics:?}");
    assert!(publics.contains(&"donnees/mutu-export.json".to_string()));
    // No page, no sitemap entry, no trace of the badge.
    for page in ["services/si-communes.html", "fiches/juridique.html", "pages/notes-de-transcription.html"] {
        assert!(!textes.contains_key(page), "{page} publiée");
    }
    assert!(!textes["sitemap.xml"].contains("si-communes") && !textes["sitemap.xml"].contains("fiches/juridique"));
    assert_eq!(contiennent(&textes, "Diffusion interne"), Vec::<String>::new());
    // Figures are recomputed without the service: five services left.
    let export: serde_json::Value = serde_json::from_str(&textes["donnees/mutu-export.json"]).unwrap();
    assert_eq!(export["synthese"]["services"], 5);
    assert_eq!(export["services"].as_array().unwrap().len(), 5);
    assert!(export["cles"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| !c["id"].as_str().unwrap().starts_with("si-pack")));
    let fiche_info = export["fiches"].as_array().unwrap().iter().find(|f| f["id"] == "informatique").unwrap();
    assert!(fiche_info["service"].is_null(), "le lien vers le service interne reste : {fiche_info}");
}

#[test]
fn public_export_and_pdf_commands_leave_internal_items_out() {
    let (t, p) = projet();
    let o = mutu(&p, &["export", "--public"]);
    reussit(&o);
    let json = stdout(&o);
    for m in INTERNES {
        assert!(!json.to_lowercase().contains(&m.to_lowercase()), "{m} dans mutu export --public");
    }
    let o = mutu(&p, &["export"]);
    reussit(&o);
    assert!(stdout(&o).contains(SERVICE) && stdout(&o).contains(&format!("Diffusion interne : {NOTE_LIGNE}")));

    let out = t.join("pdf");
    reussit(&mutu(&p, &["pdf", "--public", "--sortie", out.to_str().unwrap()]));
    let textes = textes(&out);
    assert_eq!(textes.len(), 1, "{:?}", textes.keys());
    for m in INTERNES {
        assert_eq!(contiennent(&textes, m), Vec::<String>::new(), "{m} dans mutu pdf --public");
    }
    assert_eq!(contiennent(&textes, PUBLIC).len(), 1);
}

#[test]
fn internal_build_keeps_internal_items_and_marks_them() {
    let (t, p) = projet();
    let out = t.join("interne");
    let textes = construit(&p, &out, false);
    for m in INTERNES {
        assert!(!contiennent(&textes, m).is_empty(), "{m} absent de la version interne");
    }
    // The internal build's search finds the internal texts (the public test
    // above would see them).
    for m in [SERVICE, TEXTE_SERVICE, FICHE, TEXTE_FICHE, PAGE, NARRATIF] {
        assert_eq!(contiennent(&textes, &terme_indexe(m)), ["recherche/termes-z.js"], "{m}");
    }
    // Internal pages, texts and indicators carry the mark on the site and
    // in the PDF.
    for (page, quoi) in [
        ("services/si-communes.html", "ce service"),
        ("fiches/juridique.html", "cette fiche-action"),
        ("pages/notes-de-transcription.html", "cette page"),
        ("services/garage-commun.html", "ce texte"),
        ("services/garage-commun.html", "cet indicateur"),
    ] {
        // The generated texts carry French spacing (a no-break space before « : »).
        let attendu = mutu_base::texte::insecables(&format!(
            "Diffusion interne : {quoi} ne figure pas dans la version publique (mutu build --public)."
        ));
        assert!(textes[page].contains(&attendu), "{page} : « {attendu} » absent");
    }
    let pdf = textes
        .iter()
        .find(|(k, _)| k.starts_with("rapport-") && k.ends_with(".pdf"))
        .map(|(_, v)| v)
        .unwrap();
    assert!(pdf.contains(SERVICE) && pdf.contains(FICHE) && pdf.contains("Diffusion interne : ce service ne figure pas"));
    // The internal note of a displayed note is appended to it, marked.
    assert!(textes["services/garage-commun.html"].contains(&format!("CCAS. En-têtes")));
    assert!(textes["services/garage-commun.html"].contains(&mutu_base::texte::insecables(&format!(" — Diffusion interne : {NOTE_INDICATEUR}"))));
}

#[test]
fn a_draft_says_so_on_every_page_until_the_last_placeholder_goes() {
    let (t, p) = copie_exemple("brouillon");
    let out = t.join("public");
    let mention = "Projet — document non définitif";
    remplace(&p, "data/rapport.yaml", "deliberation: DCC2024_054", "deliberation: \"à compléter\"");
    remplace(&p, "data/rapport.yaml", "actes_id: 029-242900801-20240329-DCC2024_054-DE\n", "");
    let o = mutu(&p, &["build", "--sortie", out.to_str().unwrap()]);
    reussit(&o);
    assert!(stderr(&o).contains("avertissement[espace-reserve] : « à compléter »"), "{}", stderr(&o));
    let f = fichiers(&out);
    let pages: Vec<&String> = f.keys().filter(|k| k.ends_with(".html")).collect();
    assert!(pages.len() > 40);
    for k in &pages {
        assert!(String::from_utf8_lossy(&f[*k]).contains(mention), "{k} sans la mention de projet");
    }
    let pdf = out.join("rapport-mutualisation-2023-capld.pdf");
    let texte = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let texte = String::from_utf8_lossy(&texte.stdout).into_owned();
    let feuilles: Vec<&str> = texte.split('\u{c}').filter(|f| !f.trim().is_empty()).collect();
    let info = std::process::Command::new("pdfinfo").arg(&pdf).output().unwrap();
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|n| n.trim().parse().unwrap()))
        .unwrap();
    assert!(pages > 30);
    assert_eq!(feuilles.len(), pages, "une page sans texte");
    for (i, feuille) in feuilles.iter().enumerate() {
        assert!(
            feuille.contains("PROJET — DOCUMENT NON DÉFINITIF"),
            "page {} du PDF sans la mention de projet",
            i + 1
        );
    }
    // The last placeholder replaced: no mark anywhere.
    remplace(&p, "data/rapport.yaml", "deliberation: \"à compléter\"", "deliberation: DCC2024_054");
    reussit(&mutu(&p, &["build", "--sortie", out.to_str().unwrap()]));
    for (k, v) in fichiers(&out) {
        let v = if k.ends_with(".pdf") {
            texte_pdf(&out.join(&k))
        } else {
            String::from_utf8_lossy(&v).into_owned()
        };
        assert!(
            !v.contains(mention) && !v.contains("PROJET — DOCUMENT"),
            "{k} porte encore la mention de projet"
        );
    }
}

#[test]
fn the_publisher_comes_from_the_territory_when_not_written() {
    let (t, p) = copie_exemple("identite");
    let out = t.join("public");
    let config = std::fs::read_to_string(p.join("data/configuration.yaml")).unwrap();
    let sans: String = config
        .lines()
        .filter(|l| !l.starts_with("  editeur:") && !l.starts_with("  directeur_publication:") && !l.starts_with("  adresse:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(p.join("data/configuration.yaml"), sans).unwrap();
    reussit(&mutu(&p, &["build", "--sans-pdf", "--sortie", out.to_str().unwrap()]));
    let page = std::fs::read_to_string(out.join("mentions-legales.html")).unwrap();
    for attendu in [
        "Communauté d&#39;agglomération du Pays de Landerneau-Daoulas, établissement public de coopération intercommunale, SIREN 242900801",
        "Président de la Communauté d&#39;agglomération du Pays de Landerneau-Daoulas",
        "Communauté d&#39;agglomération du Pays de Landerneau-Daoulas, 29800 Landerneau",
    ] {
        assert!(page.contains(attendu), "« {attendu} » absent des mentions légales :\n{page}");
    }
}
