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
        espaces(&offres)
            .contains("de 5 750,00 € à 31 365,00 € par an, selon la grille (volume d'utilisation du centre de données × établissements publics participants)"),
        "{offres}"
    );
}

/// The free tiers (communes under 300 inhabitants, public establishments
/// under 1 500) name exactly the members of the territory below them
/// (municipal population of the register), and none above.
#[test]
fn the_free_tiers_name_the_members_under_the_thresholds() {
    let territoire: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(reolais().join("data/territoire.yaml")).unwrap()).unwrap();
    let mut sous = Vec::new();
    let mut dessus = Vec::new();
    for m in territoire["membres"].as_sequence().unwrap() {
        let pops = m["populations"].as_mapping().unwrap();
        let (_, derniere) = pops.iter().last().unwrap();
        let n = derniere["municipale"].as_u64().or(derniere["totale"].as_u64()).unwrap();
        let nom = m["nom"].as_str().unwrap().to_string();
        // Communes under 300 inhabitants, public establishments under 1 500.
        let seuil = if m["type"].as_str() == Some("commune") { 300 } else { 1500 };
        if n < seuil {
            sous.push(nom);
        } else {
            dessus.push(nom);
        }
    }
    assert!(sous.len() >= 10 && !dessus.is_empty(), "{} sous le seuil", sous.len());
    assert!(sous.contains(&"SIVU des écoles de l'Entre-deux-Mers".to_string()) && dessus.contains(&"CIAS du Réolais".to_string()));
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

/// « Qui utilise quoi » (item 2): one row per organisation using a
/// service, one column per service, the year of joining in each cell, a
/// count per row and per column — on the example, where Daoulas joins the
/// garage in 2024, after the report's year.
#[test]
fn the_matrix_gives_each_organisation_its_services_and_each_service_its_count() {
    let t = Temp::new("catalogue-matrice");
    let sortie = t.join("public");
    reussit(&mutu(&outils::exemple(), &["build", "--sans-pdf", "--sortie", sortie.to_str().unwrap()]));
    let csv = std::fs::read_to_string(sortie.join("donnees/services-adhesions.csv")).unwrap();
    let lignes: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(
        lignes[0],
        "Organisme;Direction des écoles de musique de Landerneau et Loperhet;Garage commun;ADS;Services communs des fonctions support avec la Ville de Landerneau;SI;Services utilisés"
    );
    for attendu in [
        "CAPLD;—;depuis 2017;depuis 2015;—;—;2",
        "Daoulas;—;à partir de 2024;oui;—;—;2",
        "Loperhet;depuis 2022;depuis 2019;oui;—;oui;4",
        "CLCL;—;—;depuis 2015;—;—;1",
        "Organismes adhérents;1;15;24;1;9;",
    ] {
        assert!(lignes.contains(&attendu), "{attendu}\n{csv}");
    }
    // 26 organisations and the header and the total.
    assert_eq!(lignes.len(), 28, "{csv}");
    let index = espaces(&std::fs::read_to_string(sortie.join("services.html")).unwrap());
    assert!(index.contains("href=\"services/adhesions.html\""), "lien vers la matrice");
    assert!(index.contains("href=\"catalogue.html\""), "lien vers le catalogue");
}

/// « Et si nous adhérions ? » (item 3): for every kind of key, a commune's
/// estimate equals its part when the project really adds it — to the
/// service's adherents and to the key (its population, or the volume the
/// offer assumes) — and the whole project is rebuilt. A key of fixed
/// quotas gives no estimate, and says why.
#[test]
fn an_estimate_equals_the_rebuild_with_the_commune_added_for_every_kind_of_key() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let isle = outils::exemple().join("tests/territoires/isle-double-landais");
    let (epci, communes) = outils::communes_du_territoire(&isle);
    let (adherents, nouvelle) = (&communes[1..5], communes[5].clone());
    // (kind, key fields, whether the allocation has an amount to split)
    let genres: [(&str, String, bool); 7] = [
        (
            "population_totale",
            "millesime: 2025\n    exoneration: {population_inferieure_a: 450}".into(),
            true,
        ),
        ("population_municipale", "millesime: 2025".into(), true),
        ("population_dgf", "millesime: 2025\n    arrondi: euro".into(), true),
        ("valeurs", String::new(), true),
        ("nombre_de_paies", String::new(), true),
        ("unites_d_oeuvre", "tarif: 265\n    unite: jour".into(), false),
        (
            "grille",
            "millesime: 2025\n    tranches:\n      - {jusqu_a: 500, montant: 900}\n      - {jusqu_a: 2000, montant: 2400}\n      - {montant: 5200}".into(),
            false,
        ),
    ];
    let ecrit = |racine: &Path, avec: bool| {
        let mut cles = std::fs::read_to_string(isle.join("data/cles.yaml")).unwrap();
        let mut membres: Vec<String> = adherents.to_vec();
        if avec {
            membres.push(nouvelle.clone());
        }
        for (i, (genre, champs, _)) in genres.iter().enumerate() {
            let par_valeurs = matches!(*genre, "valeurs" | "nombre_de_paies" | "unites_d_oeuvre");
            let qui = if par_valeurs {
                let v: Vec<String> = membres
                    .iter()
                    .enumerate()
                    .map(|(j, m)| if *m == nouvelle { format!("{m}: 7") } else { format!("{m}: {}", 3 + 2 * j) })
                    .collect();
                format!("valeurs: {{{}}}", v.join(", "))
            } else {
                format!("beneficiaires: [{}]", membres.join(", "))
            };
            cles.push_str(&format!(
                "  - id: essai-{i}\n    libelle: \"Essai {genre}\"\n    base: {genre}\n    {qui}\n    {champs}\n"
            ));
        }
        cles.push_str(&format!(
            "  - id: essai-quotites\n    libelle: \"Essai quotités\"\n    base: forfait\n    valeurs: {{{}}}\n",
            adherents.iter().map(|m| format!("{m}: 25")).collect::<Vec<_>>().join(", ")
        ));
        std::fs::write(racine.join("data/cles.yaml"), cles).unwrap();
        // Grids read the DGF population: give the territory one.
        let t = std::fs::read_to_string(isle.join("data/territoire.yaml")).unwrap();
        std::fs::write(racine.join("data/territoire.yaml"), t.replace("2025: {totale: ", "2025: {dgf: 1111, totale: ")).unwrap();
        let ids: Vec<String> = (0..genres.len()).map(|i| format!("essai-{i}")).chain(["essai-quotites".to_string()]).collect();
        for (i, id) in ids.iter().enumerate() {
            let montant = genres.get(i).is_none_or(|g| g.2);
            let adh: String = membres.iter().map(|m| format!("  - membre: {m}\n")).collect();
            std::fs::write(
                racine.join(format!("data/services/{id}.yaml")),
                format!(
                    "id: {id}\nnom: \"Service {id}\"\nforme: service_commun\nporteur: {epci}\nadherents:\n{adh}offre:\n  estimation: {{{id}: 7}}\nrepartitions:\n  - exercice: 2025\n    libelle: \"Répartition {id}\"\n    taxes: ttc\n{}    etapes:\n      - cle: {id}\n",
                    if montant { "    montant: 10000\n" } else { "" }
                ),
            )
            .unwrap();
        }
    };
    let export = |racine: &Path| -> serde_json::Value {
        let o = mutu(racine, &["export"]);
        reussit(&o);
        serde_json::from_str(&outils::stdout(&o)).unwrap()
    };
    let (_t1, sans) = outils::copie_dossier_temp(&isle, "estimation-sans");
    ecrit(&sans, false);
    let (_t2, avec) = outils::copie_dossier_temp(&isle, "estimation-avec");
    ecrit(&avec, true);
    let (a, b) = (export(&sans), export(&avec));
    let service = |v: &serde_json::Value, id: &str| v["services"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    let dec = |v: &serde_json::Value| Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("{v}"))).unwrap();
    for i in 0..genres.len() {
        let id = format!("essai-{i}");
        let e = service(&a, &id)["estimations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["membre"] == nouvelle.as_str())
            .unwrap_or_else(|| panic!("{id} : pas d'estimation pour {nouvelle}"))
            .clone();
        assert!(e["sans_estimation"].is_null(), "{id} : {e}");
        let estime = dec(&e["montant"]);
        let part = service(&b, &id)["repartitions"][0]["parts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["beneficiaire"] == nouvelle.as_str())
            .map(|p| dec(&p["montant"]))
            .sum::<Decimal>();
        assert_eq!(estime, part, "{} ({id}) : estimation {estime}, reconstruction {part}", genres[i].0);
        assert!(estime > Decimal::ZERO, "{} : {estime}", genres[i].0);
        // A commune not in the service in the rebuild has no estimate left.
        assert!(!service(&b, &id)["estimations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["membre"] == nouvelle.as_str()));
    }
    let q = service(&a, "essai-quotites")["estimations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["membre"] == nouvelle.as_str())
        .unwrap()
        .clone();
    assert_eq!(q["sans_estimation"], "quotites");
    assert!(q["montant"].is_null());
}

/// Satisfaction surveys (item 5) on the example's garage (invented
/// figures): who answered out of whom, counts per level year by year, a
/// chart of the counts; and incoherent counts refused.
#[test]
fn surveys_show_counts_and_response_rates_year_by_year() {
    let t = Temp::new("catalogue-enquetes");
    let sortie = t.join("public");
    reussit(&mutu(&outils::exemple(), &["build", "--sans-pdf", "--sortie", sortie.to_str().unwrap()]));
    let page = espaces(&std::fs::read_to_string(sortie.join("services/garage-commun.html")).unwrap()).replace("&#39;", "'");
    assert!(page.contains("Satisfaction des communes"));
    assert!(
        page.contains("En 2022, 14 organismes sur 16 sollicités ont répondu (87,5 %). En 2023, 15 organismes sur 16 sollicités ont répondu (93,75 %)."),
        "phrase de participation absente"
    );
    assert!(
        page.contains("id=\"service-garage-commun-enquete-1-graphique\""),
        "graphique des nombres de réponses"
    );
    let csv = std::fs::read_to_string(sortie.join("donnees/service-garage-commun-enquete-1.csv")).unwrap();
    let lignes: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert_eq!(lignes[0], "Réponse;Réponses 2022;Part 2022;Réponses 2023;Part 2023");
    for (niveau, a, b) in [
        ("Très satisfait", 4, 6),
        ("Satisfait", 6, 7),
        ("Peu satisfait", 3, 2),
        ("Pas satisfait", 1, 0),
        ("Répondants", 14, 15),
    ] {
        let l = lignes
            .iter()
            .find(|l| l.starts_with(&format!("{niveau};")))
            .unwrap_or_else(|| panic!("{niveau} : {csv}"));
        let c: Vec<&str> = l.split(';').collect();
        assert_eq!((c[1], c[3]), (a.to_string().as_str(), b.to_string().as_str()), "{l}");
    }

    let (_t, projet) = outils::copie_exemple("catalogue-enquetes-diagnostics");
    let f = "data/services/garage-commun.yaml";
    outils::remplace(
        &projet,
        f,
        "reponses: [6, 7, 2, 0]\n    sollicites: 16",
        "reponses: [6, 7, 2]\n    sollicites: 10",
    );
    let o = mutu(&projet, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    let e = espaces(&stderr(&o));
    assert!(
        e.contains("erreur[enquete-incoherente] : l'enquête « Êtes-vous satisfait des délais d'intervention du garage ? » (2023) donne 3 nombres de réponses pour 4 niveaux d'échelle"),
        "{e}"
    );
    assert!(e.contains("(2023) compte 15 réponses pour 10 organismes sollicités"), "{e}");
}

/// The three scopes of an EPCI in the outside structure (item 4): the
/// grid read at the volume's row and at the column of the establishments
/// counted (the free ones not counted), kept by the EPCI or re-invoiced to
/// the communes by a key whose exemption frees the small ones; a volume
/// beyond the grid refused.
#[test]
fn the_participation_reads_the_grid_for_each_scope() {
    let f = "data/services/services-numeriques.yaml";
    let montant_et_page = |projet: &Path, nom: &str| -> (serde_json::Value, String) {
        let o = mutu(projet, &["export"]);
        reussit(&o);
        let v: serde_json::Value = serde_json::from_str(&outils::stdout(&o)).unwrap();
        let s = v["services"].as_array().unwrap().iter().find(|s| s["id"] == "services-numeriques").unwrap()["participation"].clone();
        let (_t, sortie) = construit(projet, nom, &["--sans-pdf"]);
        let page = espaces(&std::fs::read_to_string(sortie.join("catalogue.html")).unwrap()).replace("&#39;", "'");
        (s, page)
    };
    // The committed scope: with the communes and five establishments, one
    // of them (the SIVU, 1 200 inhabitants) under the free tier.
    let (pa, page) = montant_et_page(&reolais(), "participation-etablissements");
    assert_eq!(pa["montant"], "15683.00", "{pa}");
    assert_eq!(
        (pa["comptes"].as_u64(), pa["ligne"].as_str(), pa["colonne"].as_str()),
        (Some(4), Some("1 To"), Some("CDC + 5 EP"))
    );
    assert!(
        page.contains("4 sur 5 ; sous le seuil de gratuité, non comptés : SIVU des écoles de l'Entre-deux-Mers (1 200 habitants) ; colonne « CDC + 5 EP »"),
        "établissements comptés"
    );
    assert!(
        page.contains(">15 683,00 €<") || page.contains("15 683,00 €</dd>"),
        "montant de la participation"
    );
    assert!(page.contains("800 Go : palier « 1 To »"), "volume et son unité");
    // The re-invoicing explains itself as any allocation does: where the
    // amount comes from, and who is exempt.
    assert!(
        page.contains("Montant réparti : la participation 2025 lue dans la grille de prix de l'offre."),
        "règle"
    );
    assert!(page.contains(">Bagas (exonéré)<"), "commune exonérée nommée");
    let parts = pa["refacturation"]["parts"].as_array().unwrap();
    let somme: rust_decimal::Decimal = parts
        .iter()
        .map(|p| p["montant"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(somme, rust_decimal::Decimal::from(15683));
    // Communes under 300 inhabitants pay nothing of it.
    let bagas = parts.iter().find(|p| p["beneficiaire"] == "bagas").unwrap();
    assert!(
        bagas["montant"].as_str().unwrap().parse::<rust_decimal::Decimal>().unwrap().is_zero(),
        "{bagas}"
    );

    // The EPCI with all its communes: no establishment counted, first column.
    let (_t, projet) = outils::copie_dossier_temp(&reolais(), "participation-communes");
    outils::remplace(&projet, f, "perimetre: avec_communes_et_etablissements", "perimetre: avec_communes");
    let (pa, page) = montant_et_page(&projet, "participation-communes-site");
    assert_eq!((pa["montant"].as_str(), pa["colonne"].as_str()), (Some("10455.00"), Some("CDC seule")));
    assert!(page.contains("aucun : le périmètre n'en comprend pas"));
    assert!(page.contains("refacturée aux communes selon la clé"));

    // The EPCI alone: the same cell, kept by the EPCI (no re-invoicing).
    outils::remplace(&projet, f, "perimetre: avec_communes", "perimetre: epci_seul");
    let (pa, page) = montant_et_page(&projet, "participation-seul-site");
    assert_eq!(pa["montant"], "10455.00");
    assert!(pa["refacturation"].is_null());
    assert!(page.contains("gardée par la CCRSG"), "prise en charge");

    // Beyond the last band: refused.
    outils::remplace(&projet, f, "volume: 800", "volume: 3500");
    let o = mutu(&projet, &["check"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        espaces(&stderr(&o)).contains("erreur[participation-hors-grille] : la participation au service « Services numériques mutualisés » tombe hors de la grille : volume 3500, 0 établissement compté"),
        "{}",
        stderr(&o)
    );
}
