//! Issue 23 as a mayor and an elected official read the outputs: unit
//! tariffs explained as units × tariff on the Évolutions and the commune
//! pages alike, Finances columns adding up to the home page's figures, « Ma
//! commune » with a total and a letter index that works without JavaScript,
//! the headline separating invoices from the attribution de compensation,
//! French typography on rendered pages, open data a French spreadsheet
//! reads, and an accessibility statement that says only what is true —
//! on the example, the Isle Double Landais territory and a 158-commune
//! project made by `mutu new --epci` (CA du Pays Basque).
//!
//! Run: `cargo test --release --test lisible`

use crate::outils;

use mutu_present::{Bloc, Document, Page};
use outils::{mutu, reussit, Temp};
use std::path::{Path, PathBuf};

fn espaces(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

fn isle() -> PathBuf {
    outils::exemple().join("tests/territoires/isle-double-landais")
}

fn document(racine: &Path) -> Document {
    let run = mutu_compute::pipeline::run(racine);
    let modele = run.publishable().expect("le projet a des erreurs");
    mutu_present::document(modele, &mutu_present::Options { pdf: true, extraits: true })
}

fn page<'a>(doc: &'a Document, id: &str) -> &'a Page {
    doc.pages.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("page {id} absente"))
}

/// Builds the site (no PDF) and returns the folder.
fn construit(racine: &Path, nom: &str) -> (Temp, PathBuf) {
    let t = Temp::new(nom);
    let sortie = t.join("public");
    reussit(&mutu(racine, &["build", "--sans-pdf", "--sortie", sortie.to_str().unwrap()]));
    (t, sortie)
}

fn html(sortie: &Path, rel: &str) -> String {
    espaces(&std::fs::read_to_string(sortie.join(rel)).unwrap().replace("&#39;", "'").replace("&#x27;", "'"))
}

/// Menesplet's technician days: 6 days at 270 € in 2024, 5,5 at 280 € in
/// 2025 (two keys, one per voted tariff). Both pages say it in days × the
/// tariff, never as a cost and a share.
#[test]
fn unit_tariffs_read_as_units_times_the_tariff_on_both_pages() {
    let (_t, sortie) = construit(&isle(), "lisible-tarifs");
    let phrase = "Appui informatique aux communes : −80,00 € (1 620,00 € en 2024, 1 540,00 € en 2025) : −135,00 € pour 0,5 jour de moins × 270,00 €, +55,00 € parce que le tarif est passé de 270,00 € à 280,00 € par jour (5,5 jours × +10,00 €).";
    let evolutions = html(&sortie, "evolutions.html");
    let commune = html(&sortie, "communes/menesplet.html");
    assert!(
        evolutions.contains(phrase),
        "Évolutions : {}",
        &evolutions[evolutions.find("Menesplet").unwrap_or(0)..][..3000.min(evolutions.len())]
    );
    assert!(commune.contains(phrase), "page de Menesplet");
    assert!(
        !commune.contains("parce que le coût du service a diminué"),
        "un tarif n'est pas un coût partagé"
    );
    // The commune page's rule of the year names the key's unit, never « valeurs de base ».
    assert!(commune.contains("5,5 jours × 280,00 €"), "calcul de l'année");
    assert!(!commune.contains("valeurs de base"));
    // Reachable: the home page and Finances link the Évolutions.
    for rel in ["index.html", "finances.html", "communes.html", "communes/menesplet.html"] {
        assert!(
            html(&sortie, rel).contains("href=\"") && html(&sortie, rel).contains("evolutions.html\">Évolutions entre 2024 et 2025</a>"),
            "{rel} ne renvoie pas aux Évolutions"
        );
    }
}

/// The figure of the home page and the total of each column of Finances
/// are one truth: the EPCI's own groupements are in the column (CAPLD's
/// 456 000 € showed « — »).
#[test]
fn finances_columns_add_up_to_the_home_page_figures() {
    for racine in [outils::exemple(), isle()] {
        let doc = document(&racine);
        let accueil = page(&doc, "index");
        let Some(Bloc::Chiffres { chiffres }) = accueil.blocs.iter().find(|b| matches!(b, Bloc::Chiffres { .. })) else {
            panic!("pas de chiffres clés")
        };
        let finances = page(&doc, "finances");
        let t = finances
            .blocs
            .iter()
            .find_map(|b| match b {
                Bloc::Tableau(t) if t.id.starts_with("contributions-") => Some(t),
                _ => None,
            })
            .unwrap();
        let pied = &t.pied[0];
        let colonne = |nom: &str| t.colonnes.iter().position(|c| c.libelle == nom);
        let arrondi = |j: usize| {
            let v: rust_decimal::Decimal = pied[j].valeur.as_deref().unwrap().parse().unwrap();
            espaces(&mutu_base::format::Grandeur::MontantArrondi.texte(&v))
        };
        let mut comparees = 0;
        for (col, debut) in [
            ("Total TTC", "répartis entre les organismes en"),
            ("Total HT", "répartis entre les organismes en"),
            ("Groupements (HT)", "de groupements de commandes en"),
        ] {
            let Some(j) = colonne(col) else { continue };
            let suffixe = if col == "Total TTC" { "(TTC)" } else { "(HT)" };
            let Some(c) = chiffres.iter().find(|c| c.libelle.starts_with(debut) && c.libelle.ends_with(suffixe)) else {
                continue;
            };
            assert_eq!(arrondi(j), espaces(&c.valeur), "{} : colonne « {col} »", racine.display());
            comparees += 1;
        }
        assert!(comparees >= 1, "{}", racine.display());
        // « — » never stands for a figure: every cell of the EPCI's row
        // under Groupements holds its amount when it has one.
        if let Some(j) = colonne("Groupements (HT)") {
            let epci = t.lignes.iter().find(|l| l[0].texte.contains("(part de l'EPCI)")).unwrap();
            assert_eq!(espaces(&epci[j].texte), "460 700,00 €", "{}", racine.display());
        }
        assert!(espaces(t.note.as_deref().unwrap()).contains("« — » : l'organisme n'est pas concerné"));
    }
}

/// A 158-commune agglomeration: « Ma commune » has a total row and an index
/// of letters, plain links to the rows' anchors (file://, no JavaScript);
/// the home page says « 1 service mutualisé » and « 1 fiche-action ».
#[test]
fn a_mayor_finds_their_commune_by_its_letter() {
    let t = Temp::new("lisible-pays-basque");
    let projet = t.join("pb");
    let o = std::process::Command::new(outils::binaire())
        .args(["new", projet.to_str().unwrap(), "--epci", "200067106"])
        .output()
        .unwrap();
    reussit(&o);
    let (_t2, sortie) = construit(&projet, "lisible-pays-basque-site");
    let communes = html(&sortie, "communes.html");
    assert!(communes.contains("Aller aux membres dont le nom commence par :"), "index des lettres absent");
    for lettre in ["a", "b", "e", "u"] {
        assert!(communes.contains(&format!("href=\"#lettre-{lettre}\"")), "lien vers {lettre}");
        assert!(communes.contains(&format!("id=\"lettre-{lettre}\"")), "ancre {lettre}");
    }
    assert!(communes.contains("<th scope=\"row\">Total (158 membres)</th>"), "ligne de total");
    let accueil = html(&sortie, "index.html");
    assert!(accueil.contains("service mutualisé</span>") || accueil.contains("services mutualisés</span>"));
    assert!(
        !accueil.contains(">1</span> <span class=\"chiffre-libelle\">services mutualisés"),
        "« 1 services mutualisés »"
    );
    assert!(
        !accueil.contains(">1</span> <span class=\"chiffre-libelle\">fiches-actions"),
        "« 1 fiches-actions »"
    );
    // The accessibility statement names the Communauté with its article,
    // and says what was checked, with what, and that a build checks nothing.
    let a11y = html(&sortie, "accessibilite.html");
    assert!(
        a11y.contains("La Communauté d'agglomération du Pays Basque s'engage à rendre son site accessible"),
        "article"
    );
    assert!(a11y.contains("axe-core 4.14"));
    assert!(a11y.contains("Les pages de ce site-ci ne sont pas vérifiées automatiquement quand il est construit"));
    assert!(!a11y.contains("à chaque construction"));
}

/// Montpon-Ménestérol pays its software through its attribution de
/// compensation and its other services on titres de recettes: the
/// headline says the two apart.
#[test]
fn the_headline_separates_invoices_from_the_attribution_de_compensation() {
    let doc = document(&isle());
    let p = page(&doc, "communes/montpon-menesterol");
    let Some(Bloc::Chiffres { chiffres }) = p.blocs.iter().find(|b| matches!(b, Bloc::Chiffres { .. })) else {
        panic!("pas de chiffres")
    };
    let libelles: Vec<String> = chiffres.iter().map(|c| espaces(&c.libelle)).collect();
    assert!(
        libelles.iter().any(|l| l == "déduits de l'attribution de compensation en 2025 (TTC)"),
        "{libelles:?}"
    );
    assert!(libelles.iter().any(|l| l.starts_with("à payer en 2025 (")), "{libelles:?}");
    assert!(!libelles.iter().any(|l| l == "à payer en 2025 (TTC)") || chiffres.len() == 1, "{libelles:?}");
}

/// French spacing in every text the document writes (the site and the
/// PDF render these strings as they are): no line can start with « : » or
/// « ? »; the authors' Markdown stays as typed. The EPCI takes its article.
#[test]
fn generated_texts_keep_french_spacing_and_articles() {
    for racine in [outils::exemple(), isle()] {
        let doc = document(&racine);
        let mut textes: Vec<(String, String)> = Vec::new();
        for p in &doc.pages {
            let mut t = |s: &str| textes.push((p.id.clone(), s.to_string()));
            for b in &p.blocs {
                match b {
                    Bloc::Titre { texte, .. } | Bloc::Paragraphe { texte } | Bloc::Encadre { texte, .. } => t(texte),
                    Bloc::Liste { elements } => elements.iter().for_each(|e| t(e)),
                    Bloc::Definitions { lignes } => lignes.iter().flat_map(|d| &d.valeurs).for_each(|v| t(v)),
                    Bloc::Chiffres { chiffres } => chiffres.iter().filter_map(|c| c.detail.as_deref()).for_each(&mut t),
                    Bloc::Tableau(tab) => {
                        tab.note.iter().for_each(|n| t(n));
                        tab.lignes
                            .iter()
                            .chain(&tab.pied)
                            .flatten()
                            .filter(|c| c.valeur.is_none())
                            .for_each(|c| t(&c.texte));
                    }
                    _ => {}
                }
            }
        }
        assert!(textes.len() > 200, "{}", textes.len());
        for (page, texte) in &textes {
            for motif in [" :", " ;", " ?", " !", "« ", " »"] {
                assert!(
                    !texte.contains(motif),
                    "{} {page} : espace sécable dans « {motif} » : {texte}",
                    racine.display()
                );
            }
        }
    }
    let doc = document(&outils::exemple());
    let tout: String = doc
        .pages
        .iter()
        .flat_map(|p| &p.blocs)
        .filter_map(|b| if let Bloc::Tableau(t) = b { Some(t) } else { None })
        .flat_map(|t| t.pied.iter().flatten())
        .map(|c| espaces(&c.texte))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(tout.contains("Pris en charge par la CAPLD"), "article devant le sigle");
    assert!(!tout.contains("Pris en charge par CAPLD"));
}

/// Open data a French spreadsheet reads: decimal comma, `;`, and a figure
/// column never holds « — » (an empty cell instead), as the data package
/// declares.
#[test]
fn csv_figure_columns_hold_numbers_with_a_decimal_comma() {
    let (_t, sortie) = construit(&outils::exemple(), "lisible-csv");
    let paquet: serde_json::Value = serde_json::from_slice(&std::fs::read(sortie.join("donnees/datapackage.json")).unwrap()).unwrap();
    let mut colonnes_chiffrees = 0;
    for r in paquet["resources"].as_array().unwrap() {
        if r["name"] == "deliberations" {
            continue;
        }
        let fields = r["schema"]["fields"].as_array().unwrap();
        let octets = std::fs::read(sortie.join("donnees").join(r["path"].as_str().unwrap())).unwrap();
        let mut lecteur = csv::ReaderBuilder::new()
            .delimiter(b';')
            .flexible(true)
            .from_reader(octets.strip_prefix(b"\xef\xbb\xbf").unwrap());
        assert!(!r["schema"]["missingValues"].as_array().unwrap().iter().any(|v| v == "—"), "{}", r["name"]);
        for (j, f) in fields.iter().enumerate() {
            let genre = f["type"].as_str().unwrap();
            if genre != "number" && genre != "integer" {
                continue;
            }
            colonnes_chiffrees += 1;
            if genre == "number" {
                assert_eq!(f["decimalChar"], ",", "{}", r["name"]);
            }
            let _ = j;
        }
        for ligne in lecteur.records() {
            let ligne = ligne.unwrap();
            for (j, f) in fields.iter().enumerate() {
                let genre = f["type"].as_str().unwrap();
                let cellule = ligne.get(j).unwrap_or("");
                if genre == "number" || genre == "integer" {
                    assert_ne!(cellule, "—", "{} colonne {}", r["name"], f["name"]);
                    assert!(!cellule.contains('.'), "{} : « {cellule} » a un point décimal", r["name"]);
                }
            }
        }
    }
    assert!(colonnes_chiffrees > 100, "{colonnes_chiffrees}");
    let contributions = std::fs::read_to_string(sortie.join("donnees/contributions-2023.csv")).unwrap();
    assert!(contributions.contains("\r\nCAPLD (part de l'EPCI);"), "{contributions}");
    assert!(contributions.contains(";460700,00\r\n"), "{contributions}");
}
