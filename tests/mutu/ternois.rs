//! The Ternois test territory (tests/territoires/ternois): a real
//! communauté de communes of 103 communes taken from the embedded register
//! (identity, INSEE codes, SIRENs, populations), written from scratch with
//! invented services and figures (said so on its page « Des chiffres
//! inventés »): unit tariffs, a population key with the EPCI's share and an
//! imputation on the attribution de compensation, a per-member indicator
//! filled from a spreadsheet (import/actes-instruits.csv), four services,
//! five fiches, and `adherents: toutes-les-communes` in both its forms.
//! The real projects (the example, Isle Double Landais, the Ternois) carry
//! no marker of the template: they are real content.

use crate::outils;

use outils::*;
use std::path::PathBuf;

fn racine() -> PathBuf {
    exemple().join("tests/territoires/ternois")
}

#[test]
fn the_territory_checks_without_error_nor_warning() {
    let o = mutu(&racine(), &["check"]);
    reussit(&o);
    assert_eq!(stderr(&o), "");
    let out = stdout(&o);
    assert!(
        out.starts_with("Communauté de communes du Ternois (CCT) — rapport de l'exercice 2025\n"),
        "{out}"
    );
    assert!(out.ends_with("vérification terminée : 0 erreur, 0 avertissement\n"), "{out}");
    let territoire = std::fs::read_to_string(racine().join("data/territoire.yaml")).unwrap();
    assert_eq!(territoire.matches("    type: commune\n").count(), 103);
}

#[test]
fn real_projects_carry_no_template_marker() {
    for p in [exemple(), exemple().join("tests/territoires/isle-double-landais"), racine()] {
        let o = mutu(&p, &["check"]);
        reussit(&o);
        let err = stderr(&o);
        assert!(
            !err.contains("modele-non-remplace") && !err.contains("espace-reserve"),
            "{} : {err}",
            p.display()
        );
        for (rel, octets) in fichiers(&p) {
            if rel.starts_with("data/") || rel.starts_with("content/") {
                let t = String::from_utf8_lossy(&octets).to_lowercase();
                assert!(!t.contains("exemple à remplacer"), "{} : {rel}", p.display());
            }
        }
    }
}

/// The part of `membre` in the repartition of `service` for `exercice`.
fn part(export: &serde_json::Value, service: &str, exercice: i64, membre: &str) -> (String, String) {
    let s = export["services"].as_array().unwrap().iter().find(|s| s["id"] == service).unwrap();
    let r = s["repartitions"].as_array().unwrap().iter().find(|r| r["exercice"] == exercice).unwrap();
    let p = r["parts"].as_array().unwrap().iter().find(|p| p["beneficiaire"] == membre).unwrap();
    (p["montant"].as_str().unwrap().to_string(), r["paiement"].as_str().unwrap().to_string())
}

/// The figures, at the cent: units × tariff for the acts and the archivist,
/// the population key after the Communauté's 40 % deducted from the
/// attribution de compensation, every commune adhering through
/// `toutes-les-communes`.
#[test]
fn figures_of_a_commune_at_the_cent() {
    let o = mutu(&racine(), &["export"]);
    reussit(&o);
    let export: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let service = |id: &str| export["services"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    // 52 acts × 165 €.
    assert_eq!(
        part(&export, "instruction-ads", 2025, "saint-pol-sur-ternoise"),
        ("8580.00".into(), "titre_de_recettes".into())
    );
    // (173 750 − 40 %) × 4 759 / 37 150 inhabitants, deducted from the AC.
    assert_eq!(
        part(&export, "informatique", 2025, "saint-pol-sur-ternoise"),
        ("13354.66".into(), "attribution_de_compensation".into())
    );
    let ads = service("instruction-ads");
    assert_eq!(ads["adherents"].as_array().unwrap().len(), 103);
    let info = service("informatique");
    assert_eq!(info["adherents"].as_array().unwrap().len(), 103);
    assert!(info["adherents"]
        .as_array()
        .unwrap()
        .iter()
        .all(|a| a["paiement"] == "attribution_de_compensation" && a["depuis"] == "2021-01-01"));
    let r = ads["repartitions"].as_array().unwrap().iter().find(|r| r["exercice"] == 2025).unwrap().clone();
    // 382 acts in 2025 (the indicator's total), at 165 €.
    assert_eq!(r["total"], "63030.00");
}

/// The spreadsheet the acts were imported from is what the data holds;
/// a corrected copy, with communes named as a spreadsheet names them, is
/// written where it belongs and the project still checks.
#[test]
fn the_spreadsheet_imports_into_a_copy() {
    let t = Temp::new("ternois-import");
    let projet = t.join("ternois");
    copie_dossier(&racine(), &projet);
    let csv = projet.join("import/actes-instruits.csv");
    let o = mutu(&projet, &["import", csv.to_str().unwrap()]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        "0 valeur modifiée, 0 ajoutée, 103 inchangées, dans 0 fichier\nrien à modifier : le projet a déjà ces valeurs\n"
    );
    let service = projet.join("data/services/instruction-ads.yaml");
    let avant = std::fs::read_to_string(&service).unwrap();
    let corrige = t.join("corrige.csv");
    std::fs::write(
        &corrige,
        "indicateur: instruction-ads/actes-instruits;2025\nSAINT POL SUR TERNOISE;57\n62036;5\nAuxi-le-Château;29\n",
    )
    .unwrap();
    let o = mutu(&projet, &["import", corrige.to_str().unwrap(), "--ecrire"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        "\
data/services/instruction-ads.yaml
  indicateur instruction-ads/actes-instruits, saint-pol-sur-ternoise, 2025 : 52 → 57
  indicateur instruction-ads/actes-instruits, anvin, 2025 : 4 → 5
2 valeurs modifiées, 0 ajoutée, 1 inchangée, dans 1 fichier
écrit : data/services/instruction-ads.yaml
vérification après l'import : 0 erreur, 0 avertissement
"
    );
    assert_eq!(
        std::fs::read_to_string(&service).unwrap(),
        avant.replace("      anvin: {2024: 5, 2025: 4}\n", "      anvin: {2024: 5, 2025: 5}\n").replace(
            "      saint-pol-sur-ternoise: {2024: 55, 2025: 52}\n",
            "      saint-pol-sur-ternoise: {2024: 55, 2025: 57}\n"
        )
    );
    // A name cut short is suggested in full, a prefix several share lists them.
    std::fs::write(&corrige, "indicateur: instruction-ads/actes-instruits;2025\nAuxi;29\nSaint;3\n").unwrap();
    let o = mutu(&projet, &["import", corrige.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("  = aide : vouliez-vous dire « Auxi-le-Château » (identifiant « auxi-le-chateau ») ?\n"),
        "{err}"
    );
    assert!(
        err.contains("  = aide : plusieurs membres ont un nom qui commence ainsi : « Saint-Michel-sur-Ternoise » (identifiant « saint-michel-sur-ternoise »), « Saint-Pol-sur-Ternoise » (identifiant « saint-pol-sur-ternoise »)\n"),
        "{err}"
    );
}

/// At 103 communes, a service whose adherents were left out gives one
/// diagnostic listing the 102 communes charged, not 102 warnings.
#[test]
fn missing_adherents_in_one_diagnostic_at_a_hundred_communes() {
    let t = Temp::new("ternois-adherents");
    let projet = t.join("ternois");
    copie_dossier(&racine(), &projet);
    remplace(
        &projet,
        "data/services/informatique.yaml",
        "  - membre: toutes-les-communes\n",
        "  - membre: saint-pol-sur-ternoise\n",
    );
    let o = mutu(&projet, &["check"]);
    reussit(&o);
    let err = stderr(&o);
    assert_eq!(err.matches("avertissement[").count(), 1, "{err}");
    assert!(
        err.starts_with("avertissement[non-adherent] : la clé « info-population » fait payer 102 organismes pour le service « Socle informatique des mairies », sans qu'ils en soient adhérents : « Anvin » ("),
        "{err}"
    );
    assert!(
        err.contains("  = attendu : ces 102 organismes parmi les `adherents:` du service « informatique »\n"),
        "{err}"
    );
    assert!(stdout(&o).ends_with("vérification terminée : 0 erreur, 1 avertissement\n"));
}

/// Issue 23's « Done when » on 103 communes: the body of the report (the
/// pages before the « Détail par membre » part) holds at most 30 pages and
/// no list of the communes (every per-member table is in the detail part,
/// which names them all), and no chart names more than 12 communes: the
/// acts indicator asked as `barres` shows the 10 largest and « Autres ».
#[test]
fn report_body_bounded_and_charts_name_at_most_twelve_communes() {
    let t = Temp::new("ternois-corps");
    let sortie = t.join("sortie");
    reussit(&mutu(&racine(), &["build", "--sortie", sortie.to_str().unwrap()]));
    let territoire: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(racine().join("data/territoire.yaml")).unwrap()).unwrap();
    let noms: Vec<String> = territoire["membres"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|m| m["type"].as_str() == Some("commune"))
        .map(|m| m["nom"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(noms.len(), 103);

    let pages = pages_pdf(&sortie.join("rapport-mutualisation-2025-ternois.pdf"));
    let corps = debut_du_detail(&pages).expect("partie « Détail par membre »");
    assert!(corps <= 30, "corps du rapport : {corps} pages, {} en tout", pages.len());
    // The table of contents (the body's first pages) names no commune; the
    // body's pages name at most the few communes a text or a chart names.
    for (k, p) in pages[..corps].iter().enumerate() {
        let nommees = noms.iter().filter(|n| p.lines().any(|l| l.trim() == n.as_str())).count();
        assert!(nommees <= 12, "page {} du corps : {nommees} communes en liste", k + 1);
    }
    let detail = pages[corps..].join("\n");
    let absentes: Vec<&String> = noms.iter().filter(|n| !detail.lines().any(|l| l.trim() == n.as_str())).collect();
    assert!(absentes.is_empty(), "communes absentes du détail : {absentes:?}");

    let mut graphiques = 0;
    for (rel, texte) in textes(&sortie).iter().filter(|(r, _)| r.ends_with(".html")) {
        for dessines in textes_des_graphiques(texte) {
            let nommees = noms.iter().filter(|n| dessines.contains(n)).count();
            assert!(nommees <= 12, "{rel} : un graphique nomme {nommees} communes");
            graphiques += 1;
        }
    }
    assert!(graphiques >= 6, "{graphiques} graphiques");
    // The acts entered per commune, asked as `barres`: one bar a year, the
    // total of the 103 communes (387 acts in 2024, 382 in 2025).
    let ads = std::fs::read_to_string(sortie.join("services/instruction-ads.html")).unwrap();
    let actes = textes_des_graphiques(&ads)
        .into_iter()
        .find(|d| d.first().is_some_and(|x| x == "En actes"))
        .expect("graphique des actes instruits");
    assert_eq!(actes[actes.len() - 4..], ["387", "382", "2024", "2025"], "{actes:?}");
}
