//! The catalogue of services (issue 26, item 1 and the grid of item 4):
//! offers read by a commune before it joins, a two-dimensional grid
//! reproduced cell for cell on the page and in the data package, free
//! tiers applied to the territory's communes, the annex section and the
//! standalone PDF, and the diagnostics of an incoherent offer.
//!
//! The territory is the CC du Réolais en Sud Gironde (41 communes, from
//! the register), adhering to a departmental syndicate whose grid is the
//! one Gironde Numérique presented in a pooling workshop (seed 004 of the
//! reference: 7 volume bands × 5 counts of participating bodies).

use crate::outils::{self, mutu, reussit, stderr, Temp};
use std::path::{Path, PathBuf};

fn reolais() -> PathBuf {
    outils::exemple().join("tests/territoires/reolais")
}

fn espaces(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

/// The grid as the workshop's slide gives it, row by row.
const GRILLE: [[u32; 5]; 7] = [
    [5750, 7841, 10455, 13069, 15683],
    [7841, 10455, 13069, 15683, 18296],
    [10455, 13069, 15683, 18296, 20910],
    [13069, 15683, 18296, 20910, 23524],
    [15683, 18296, 20910, 23524, 26138],
    [18296, 20910, 23524, 26138, 28751],
    [20910, 23524, 26138, 28751, 31365],
];
const VOLUMES: [&str; 7] = ["250 Go", "500 Go", "1 To", "1,5 To", "2 To", "2,5 To", "3 To"];

fn euros(n: u32) -> String {
    let s = n.to_string();
    let (a, b) = s.split_at(s.len().saturating_sub(3));
    if a.is_empty() {
        format!("{b},00 €")
    } else {
        format!("{a} {b},00 €")
    }
}

fn construit(racine: &Path, nom: &str, args: &[&str]) -> (Temp, PathBuf) {
    let t = Temp::new(nom);
    let sortie = t.join("public");
    let mut a = vec!["build", "--sortie", sortie.to_str().unwrap()];
    a.extend(args);
    reussit(&mutu(racine, &a));
    (t, sortie)
}

/// The 35 amounts, each in its row (volume band) and column order, on the
/// catalogue page and in the grid's CSV; the columns named as the slide
/// names them.
#[test]
fn the_35_values_of_the_grid_are_on_the_catalogue_page_and_in_the_data_package() {
    let (_t, sortie) = construit(&reolais(), "catalogue-grille", &["--sans-pdf"]);
    let page = espaces(&std::fs::read_to_string(sortie.join("catalogue.html")).unwrap());
    for entete in ["CDC seule", "CDC + 3 EP", "CDC + 5 EP", "CDC + 10 EP", "CDC + 14 EP"] {
        assert!(page.contains(&format!(">{entete}</th>")), "colonne {entete}");
    }
    for (volume, ligne) in VOLUMES.iter().zip(GRILLE) {
        // The row: its header, then the five amounts in order.
        let debut = page
            .find(&format!("<th scope=\"row\">{volume}</th>"))
            .unwrap_or_else(|| panic!("ligne {volume}"));
        let fin = debut + page[debut..].find("</tr>").unwrap();
        let rangee = &page[debut..fin];
        let mut pos = 0;
        for n in ligne {
            let m = euros(n);
            let k = rangee[pos..]
                .find(&m)
                .unwrap_or_else(|| panic!("{m} absent ou hors d'ordre dans la ligne {volume} : {rangee}"));
            pos += k + m.len();
        }
    }
    let csv = std::fs::read_to_string(sortie.join("donnees/catalogue-services-numeriques-grille.csv")).unwrap();
    let lignes: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lignes.len(), 8, "{csv}");
    assert_eq!(
        lignes[0],
        "Volume d'utilisation du centre de données;CDC seule;CDC + 3 EP;CDC + 5 EP;CDC + 10 EP;CDC + 14 EP"
    );
    for (i, (volume, ligne)) in VOLUMES.iter().zip(GRILLE).enumerate() {
        let attendu = std::iter::once(volume.to_string())
            .chain(ligne.iter().map(|n| format!("{n},00")))
            .collect::<Vec<_>>()
            .join(";");
        assert_eq!(lignes[i + 1], attendu);
    }
    // The summary row of the offer gives the range of the grid.
    let offres = std::fs::read_to_string(sortie.join("donnees/catalogue-offres.csv")).unwrap();
    assert!(
        espaces(&offres).contains("de 5 750,00 € à 31 365,00 € par an selon volume d'utilisation du centre de données et établissements publics participants"),
        "{offres}"
    );
}

/// The free tier for communes under 300 inhabitants names exactly the
/// communes of the territory below it (municipal population of the
/// register), and none above.
#[test]
fn the_free_tier_names_the_communes_under_the_threshold() {
    let territoire: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(reolais().join("data/territoire.yaml")).unwrap()).unwrap();
    let mut sous = Vec::new();
    let mut dessus = Vec::new();
    for m in territoire["membres"].as_sequence().unwrap() {
        let pops = m["populations"].as_mapping().unwrap();
        let (_, derniere) = pops.iter().last().unwrap();
        let n = derniere["municipale"].as_u64().or(derniere["totale"].as_u64()).unwrap();
        let nom = m["nom"].as_str().unwrap().to_string();
        if n < 300 {
            sous.push(nom);
        } else {
            dessus.push(nom);
        }
    }
    assert!(sous.len() >= 10 && !dessus.is_empty(), "{} sous le seuil", sous.len());
    let (_t, sortie) = construit(&reolais(), "catalogue-gratuite", &["--sans-pdf"]);
    let page = espaces(&std::fs::read_to_string(sortie.join("catalogue.html")).unwrap()).replace("&#39;", "'");
    assert!(page.contains("les communes de moins de 300 habitants (péréquation territoriale)"));
    assert!(page.contains("les établissements publics de moins de 1 500 habitants"));
    let phrase_debut = page.find("Sous ces seuils dans le territoire").expect("phrase des gratuités");
    let phrase = &page[phrase_debut..phrase_debut + page[phrase_debut..].find("</p>").unwrap()];
    assert!(phrase.contains(&format!("{} membres ne paient pas", sous.len())), "{phrase}");
    for nom in &sous {
        assert!(phrase.contains(nom.as_str()), "{nom} absente : {phrase}");
    }
    for nom in &dessus {
        assert!(
            !phrase.contains(&format!(" {nom},")) && !phrase.ends_with(nom.as_str()),
            "{nom} n'est pas sous le seuil"
        );
    }
}

/// The catalogue is in the annex only when `pdf.sections` names it, and
/// `mutu pdf --catalogue` prints it alone, under its own title.
#[test]
fn the_catalogue_is_an_optional_section_of_the_annex_and_a_pdf_of_its_own() {
    let (t, projet) = outils::copie_dossier_temp(&reolais(), "catalogue-pdf");
    let sortie = t.join("public");
    reussit(&mutu(&projet, &["pdf", "--catalogue", "--sortie", sortie.to_str().unwrap()]));
    let seul = espaces(&outils::texte_pdf(&sortie.join("catalogue-des-services-2025.pdf")));
    assert!(seul.contains("Catalogue des services"), "{seul}");
    assert!(seul.contains("31 365,00 €") && seul.contains("5 750,00 €"));
    assert!(!seul.contains("Répartition des coûts"), "le catalogue seul n'a que le catalogue");
    // The report leaves it out by default…
    reussit(&mutu(&projet, &["pdf", "--sortie", sortie.to_str().unwrap()]));
    let rapport = sortie.join("rapport-mutualisation-2024.pdf");
    assert!(!espaces(&outils::texte_pdf(&rapport)).contains("CDC + 14 EP"));
    // …and prints it when the configuration names the section.
    outils::remplace(
        &projet,
        "data/configuration.yaml",
        "  nom_fichier: rapport-mutualisation-2024\n",
        "  nom_fichier: rapport-mutualisation-2024\n  sections: [synthese, services, catalogue]\n",
    );
    reussit(&mutu(&projet, &["pdf", "--sortie", sortie.to_str().unwrap()]));
    assert!(espaces(&outils::texte_pdf(&rapport)).contains("CDC + 14 EP"));
}

/// A project without any offer: `mutu pdf --catalogue` says so and writes
/// nothing.
#[test]
fn a_catalogue_without_offers_is_refused() {
    let (t, projet) = outils::copie_dossier_temp(&outils::exemple().join("tests/territoires/ternois"), "catalogue-vide");
    let sortie = t.join("public");
    let o = mutu(&projet, &["pdf", "--catalogue", "--sortie", sortie.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("erreur[catalogue-vide]"), "{}", stderr(&o));
    assert!(!sortie.exists());
}

/// An incoherent offer: each problem is reported once, located, with the
/// catalogue's code.
#[test]
fn incoherent_grids_and_prices_are_reported() {
    let (_t, projet) = outils::copie_dossier_temp(&reolais(), "catalogue-diagnostics");
    let f = "data/services/services-numeriques.yaml";
    // Bands that do not increase, a missing cell, a second price form and
    // two free tiers for communes.
    outils::remplace(&projet, f, "{libelle: \"1,5 To\", jusqu_a: 1500}", "{libelle: \"1,5 To\", jusqu_a: 900}");
    outils::remplace(&projet, f, "- [13069, 15683, 18296, 20910, 23524]", "- [13069, 15683, 18296, 20910]");
    outils::remplace(&projet, f, "    note: \"Participation", "    forfait: 1000\n    note: \"Participation");
    outils::remplace(
        &projet,
        f,
        "    - type: etablissement_public",
        "    - type: commune\n      population_inferieure_a: 500\n    - type: etablissement_public",
    );
    let o = mutu(&projet, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let e = espaces(&stderr(&o));
    for attendu in [
        "erreur[grille-paliers-desordonnes] : le palier « 1,5 To » de `lignes` ne dépasse pas le précédent (« 1 To ») : 900 après 1000",
        "erreur[grille-incomplete] : la ligne 4 (« 1,5 To ») de la grille de prix a 4 montants au lieu de 5",
        "erreur[prix-ambigu] : le prix de l'offre du service « Services numériques mutualisés » a plusieurs formes : forfait, grille",
        "erreur[gratuite-en-double] : deux seuils de gratuité pour « commune » dans l'offre du service « Services numériques mutualisés »",
    ] {
        assert_eq!(e.matches(attendu).count(), 1, "{attendu}\n---\n{e}");
    }
    assert!(e.contains("--> data/services/services-numeriques.yaml:"), "{e}");
}
