//! The example territory (data/ + content/ of this repository: the CAPLD
//! report for 2023) reproduces every consistent figure of the published
//! report exactly, and every printed total that does not add up is reported.

use mutu_base::diagnostic::Severity;
use mutu_compute::Modele;
use std::path::Path;

fn run() -> mutu_compute::pipeline::Run {
    mutu_compute::pipeline::run(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn model() -> Modele {
    let r = run();
    assert!(!r.diagnostics.has_errors(), "{}", r.diagnostics.render(&r.sources));
    r.model.expect("model")
}

fn s(d: &rust_decimal::Decimal) -> String {
    d.to_string()
}

#[test]
fn ads_split_between_the_two_epci_then_among_communes() {
    let m = model();
    let ads = m.services.iter().find(|x| x.service.id == "instruction-ads").expect("ADS service");
    let b = &ads.bilans[0];
    assert_eq!((b.exercice, s(&b.total_depenses)), (2023, "290331.00".to_string()));
    let r = ads.repartitions.iter().find(|r| r.exercice == 2023).expect("2023 allocation");
    assert_eq!(s(&r.montant), "290331.00");
    let e1 = &r.etapes[0];
    let part = |id: &str| e1.parts.iter().find(|p| p.beneficiaire == id).map(|p| s(&p.montant));
    // Population DGF 2023: 50 614 (CAPLD) and 28 119 (CLCL).
    assert_eq!(s(&e1.total_base), "78733");
    assert_eq!(part("capld").as_deref(), Some("186641.00"));
    assert_eq!(part("clcl").as_deref(), Some("103690.00"));
    let e2 = &r.etapes[1];
    assert_eq!(e2.part_de.as_deref(), Some("capld"));
    assert_eq!(s(&e2.montant_entrant), "186641.00");
    assert_eq!(e2.prise_en_charge_epci.map(|d| s(&d)).as_deref(), Some("80000.00"));
    assert_eq!(s(&e2.montant_reparti), "106641.00");
    assert_eq!(e2.parts.len(), 22);
    let sum: rust_decimal::Decimal = e2.parts.iter().map(|p| p.montant).sum();
    assert_eq!(s(&sum), "106641.00");
    // Final parts: CLCL, the EPCI's own 80 000 € and the 22 communes.
    assert_eq!(s(&r.total), "290331.00");
    let regle = mutu_present::regles::regle(&m, r);
    assert!(regle.contains("plus fort reste"), "{regle}");
}

#[test]
fn garage_balances_are_recomputed_from_their_lines() {
    let m = model();
    let g = m.services.iter().find(|x| x.service.id == "garage-commun").expect("garage");
    let got: Vec<(i32, String, String, String)> = g
        .bilans
        .iter()
        .map(|b| {
            (
                b.exercice,
                s(&b.total_depenses),
                b.total_recettes.as_ref().map_or_else(String::new, s),
                b.solde.as_ref().map_or_else(String::new, s),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (2021, "295892.00".into(), "287169.00".into(), "8723.00".into()),
            (2022, "285465.00".into(), "255413.00".into(), "30052.00".into()),
            (2023, "396050.00".into(), "347950.00".into(), "48100.00".into()),
        ]
    );
    let ev = g.bilans[2].evolution_depenses.as_ref().expect("evolution");
    assert_eq!((ev.annee_precedente, s(&ev.ecart)), (2022, "110585.00".to_string()));
}

#[test]
fn services_communs_commande_publique_and_staff() {
    let m = model();
    let sc = m
        .services
        .iter()
        .find(|x| x.service.id == "services-communs-landerneau")
        .expect("services communs");
    let y2023 = sc.repartitions.iter().find(|r| r.exercice == 2023).expect("2023");
    assert_eq!(s(&y2023.total), "1545088.00");
    let totals: Vec<String> = sc.repartitions.iter().map(|r| s(&r.total)).collect();
    assert_eq!(totals, ["1160270.00", "1429931.00", "1545088.00"]);
    let cp = &m.commande_publique;
    assert_eq!(s(&cp.totaux[0].total_ht), "4163420.00");
    assert_eq!(cp.totaux[0].nombre, 6);
    assert_eq!(s(&cp.totaux[0].par_membre["landerneau"]), "1752300.00");
    let amo = &cp.assistance_maitrise_ouvrage[0];
    assert_eq!((s(&amo.total_marches), s(&amo.total_ht)), ("63".to_string(), "6740580.00".to_string()));
    assert_eq!(s(&m.effectifs.total.agents), "28");
    assert_eq!(s(&m.effectifs.total.hors_refacturation), "3");
}

#[test]
fn unit_tariffs_give_the_published_billing() {
    let m = model();
    let si = m.services.iter().find(|x| x.service.id == "si-communes").expect("SI");
    let totals: Vec<String> = si.repartitions.iter().map(|r| s(&r.total)).collect();
    // 14,2 days × 192 €; 0,1 day × 192 €; 205 licences × 14 €; support 7 399 €.
    assert!(totals.contains(&"2726.40".to_string()), "{totals:?}");
    assert!(totals.contains(&"19.20".to_string()), "{totals:?}");
    assert!(totals.contains(&"2870.00".to_string()), "{totals:?}");
    assert!(totals.contains(&"7399.00".to_string()), "{totals:?}");
}

#[test]
fn every_printed_total_that_does_not_add_up_is_reported() {
    let r = run();
    assert!(!r.diagnostics.has_errors());
    let warnings: Vec<String> = r
        .diagnostics
        .items
        .iter()
        .filter(|d| d.gravite == Severity::Avertissement)
        .map(|d| format!("{} {}", d.code, d.message))
        .collect();
    let expected = [
        "Total HT 2023 des groupements pour « CAPLD » : 420\u{202f}700,00\u{a0}€ publié, 460\u{202f}700,00\u{a0}€ calculé (écart \u{2212}40\u{202f}000,00\u{a0}€)",
        "Total des dépenses 2021 du service « Garage commun » : 295\u{202f}893,00\u{a0}€ publié, 295\u{202f}892,00\u{a0}€ calculé (écart +1,00\u{a0}€)",
        "Total des recettes 2021 du service « Garage commun » : 287\u{202f}171,00\u{a0}€ publié, 287\u{202f}169,00\u{a0}€ calculé (écart +2,00\u{a0}€)",
        "Solde 2021 du service « Garage commun » : 8\u{202f}722,00\u{a0}€ publié, 8\u{202f}723,00\u{a0}€ calculé (écart \u{2212}1,00\u{a0}€)",
        "Solde 2023 du service « Garage commun » : 48\u{202f}101,00\u{a0}€ publié, 48\u{202f}100,00\u{a0}€ calculé (écart +1,00\u{a0}€)",
    ];
    for e in expected {
        assert!(
            warnings.iter().any(|w| w == &format!("total-incoherent {e}")),
            "missing: {e}\nall: {warnings:#?}"
        );
    }
    assert!(warnings.iter().all(|w| w.starts_with("total-incoherent")), "{warnings:#?}");
    let m = r.model.expect("model");
    assert_eq!(m.controles.iter().filter(|c| !c.conforme).count(), warnings.len());
}

#[test]
fn summary_counts() {
    let m = model();
    let sy = &m.synthese;
    assert_eq!((sy.communes, sy.services, sy.fiches, sy.partenaires), (22, 6, 10, 2));
    assert_eq!(sy.annees, vec![2021, 2022, 2023]);
    let statuts: usize = sy.fiches_par_statut.iter().map(|c| c.nombre).sum();
    assert_eq!(statuts, 10);
}

#[test]
fn export_is_byte_identical_across_runs() {
    let a = mutu_compute::export::to_json(&model());
    let b = mutu_compute::export::to_json(&model());
    assert_eq!(a, b);
    assert!(a.contains("\"format_export\": 2"));
    assert!(a.contains("\"186641.00\""));
}

/// The page of a member in the example document, as plain lines of text:
/// key figures, table rows (cells joined by " | ") and link lines.
fn page_membre(id: &str) -> Vec<String> {
    use mutu_present::{Bloc, Options};
    let m = model();
    let doc = mutu_present::document(&m, &Options { pdf: true, extraits: false });
    let p = doc.pages.iter().find(|p| p.id == format!("communes/{id}")).expect("page du membre");
    let mut out = Vec::new();
    for b in &p.blocs {
        match b {
            Bloc::Chiffres { chiffres } => out.extend(
                chiffres
                    .iter()
                    .map(|c| format!("{} {} [{}]", c.valeur, c.libelle, c.detail.clone().unwrap_or_default())),
            ),
            Bloc::Titre { texte, .. } => out.push(format!("## {texte}")),
            Bloc::Tableau(t) => {
                for l in t.lignes.iter().chain(&t.pied) {
                    out.push(l.iter().map(|c| c.texte.as_str()).collect::<Vec<_>>().join(" | "));
                }
            }
            Bloc::Liens { liens } => out.extend(liens.iter().map(|l| format!("-> {} : {}", l.page, l.texte))),
            Bloc::Definitions { lignes } => out.extend(lignes.iter().map(|d| format!("{} : {}", d.terme, d.valeurs.join(" / ")))),
            _ => {}
        }
    }
    out
}

#[test]
fn commune_page_says_what_it_pays_for_what_and_why() {
    let p = page_membre("loperhet");
    // The year's total first, then the lines of the year, each with its rule.
    assert_eq!(p[0], "9\u{202f}813,20\u{a0}€ à payer en 2023 (TTC) []");
    let i = p
        .iter()
        .position(|l| l == "## Ce que Loperhet paie en 2023, service par service")
        .expect("titre");
    // Generated texts carry French spacing (a no-break space before « : »).
    let attendu: Vec<String> = [
            "Instruction des autorisations d'urbanisme | 8\u{202f}466,00\u{a0}€ | Part de la CAPLD (186\u{202f}641,00\u{a0}€), moins 80\u{202f}000,00\u{a0}€ pris en charge par la CAPLD (conseil communautaire du 26/06/2016), répartie au prorata de la population totale 2023 : 4\u{202f}018 habitants sur 50\u{202f}614, soit 7,94\u{202f}%.",
            "Mutualisation informatique avec les communes | 768,00\u{a0}€ | Pack 1 : jours d'expertise 2023 (ventilation illustrative) : 4 jours × 192,00\u{a0}€.",
            "Mutualisation informatique avec les communes | 19,20\u{a0}€ | Pack 2 antivirus : jours d'administration 2023 (attribution illustrative) : 0,1 jour × 192,00\u{a0}€.",
            "Mutualisation informatique avec les communes | 560,00\u{a0}€ | Pack 2 antivirus : licences 2023 (ventilation illustrative) : 40 licences × 14,00\u{a0}€.",
            "Direction des écoles de musique de Landerneau et Loperhet | — | Adhérente, aucune somme appelée en 2023 : aucune répartition du coût de ce service n'est saisie pour 2023.",
            "Garage commun | — | Adhérente, aucune somme appelée en 2023 : aucune répartition du coût de ce service n'est saisie pour 2023.",
            "Total 2023 | 9\u{202f}813,20\u{a0}€ | ",
    ]
    .iter()
    .map(|l| mutu_base::texte::insecables(l))
    .collect();
    assert_eq!(p[i + 1..i + 8], attendu[..]);
    // The list of services agrees with the charges: 4 services, SI included.
    assert!(p.contains(&"Services utilisés : 4".to_string()), "{p:#?}");
    // One fiche names Loperhet; the 9 for every commune are one line.
    let f = p.iter().position(|l| l == "## Fiches-actions").expect("fiches");
    assert_eq!(
        p[f + 1..],
        [
            "-> fiches/ecoles-de-musique : 1.3 — Écoles de musique",
            "-> axes : 9 fiches-actions concernent toutes les communes"
        ]
    );
}

#[test]
fn commune_page_gives_n_minus_1_and_pro_rata_months() {
    let p = page_membre("landerneau");
    // French spacing: a no-break space before « : » (issue 23).
    assert_eq!(p[0], "843\u{202f}877,00\u{a0}€ à payer en 2023 (TTC) [2022\u{a0}: 756\u{202f}167,00\u{a0}€]");
    let d = page_membre("dirinon");
    assert!(
        d.contains(&"Mutualisation informatique avec les communes | 2\u{202f}148,10\u{a0}€ | Pack 3\u{a0}: support informatique 2023 (ventilation illustrative)\u{a0}: coût de 7\u{202f}399,00\u{a0}€ réparti selon «\u{a0}Pack 3\u{a0}: support informatique, au prorata de la date de lancement\u{a0}»\u{a0}: 1, soit 29,03\u{202f}%\u{202f}; prorata temporis\u{a0}: 9 mois sur 12, depuis le 1ᵉʳ avril 2023.".to_string()),
        "{d:#?}"
    );
}

#[test]
fn services_communs_publish_their_yearly_key_values_and_key_descriptions() {
    use mutu_present::{Bloc, Options};
    let m = model();
    let doc = mutu_present::document(&m, &Options { pdf: true, extraits: false });
    let p = doc.pages.iter().find(|p| p.id == "services/services-communs-landerneau").expect("page");
    let valeurs: Vec<&String> = p
        .blocs
        .iter()
        .filter_map(|b| match b {
            Bloc::Definitions { lignes } => lignes.iter().find(|d| d.terme == "Valeurs des clés, telles que saisies"),
            _ => None,
        })
        .flat_map(|d| &d.valeurs)
        .collect();
    assert_eq!(
        *valeurs[1],
        mutu_base::texte::insecables(
            "SCP (temps passé) — 2021 : CAPLD 20,84, Landerneau 79,16 ; 2022 : CAPLD 34,3, Landerneau 65,7 ; 2023 : CAPLD 26,4, Landerneau 73,6"
        )
    );
    let ads = doc.pages.iter().find(|p| p.id == "services/instruction-ads").expect("ADS");
    let notes: Vec<&String> = ads
        .blocs
        .iter()
        .filter_map(|b| if let Bloc::Tableau(t) = b { t.note.as_ref() } else { None })
        .collect();
    assert!(
        notes.iter().any(|n| n.ends_with(&mutu_base::texte::insecables(
            "Clé « Instruction ADS : partage entre les communes de la CAPLD » : La CAPLD garde à sa charge un montant forfaitaire ; le reste de sa part est réparti entre ses 22 communes au prorata de leur population. Prise en charge par l'EPCI : conseil communautaire du 26/06/2016."
        ))),
        "{notes:#?}"
    );
}

/// The tables of one page of the example's document, by caption.
fn tableau(doc: &mutu_present::Document, page: &str, legende: &str) -> mutu_present::Tableau {
    let p = doc.pages.iter().find(|p| p.id == page).expect("page");
    p.blocs
        .iter()
        .find_map(|b| match b {
            // Captions carry French spacing, as every generated text.
            mutu_present::Bloc::Tableau(t) if t.titre.starts_with(&mutu_base::texte::insecables(legende)) => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no table « {legende} » on {page}"))
}

fn textes(lignes: &[Vec<mutu_present::Cellule>]) -> Vec<Vec<String>> {
    lignes
        .iter()
        .map(|l| l.iter().map(|c| c.texte.replace(['\u{202f}', '\u{a0}'], " ")).collect())
        .collect()
}

/// Every numeric column of a table whose total row has a figure: the rows
/// shown add up to it (exact values, not the rounded texts).
fn colonnes_sommees(t: &mutu_present::Tableau, total: usize) {
    use rust_decimal::Decimal;
    for c in 1..t.colonnes.len() {
        let Some(v) = t.pied[total][c].valeur.as_deref() else { continue };
        if t.colonnes[c].libelle == "Part" {
            continue; // shares are rounded per row
        }
        let somme: Decimal = t
            .lignes
            .iter()
            .filter_map(|l| l[c].valeur.as_deref())
            .map(|x| x.parse::<Decimal>().unwrap())
            .sum();
        assert_eq!(somme, v.parse::<Decimal>().unwrap(), "« {} », colonne « {} »", t.titre, t.colonnes[c].libelle);
    }
}

/// Issue 13, item 8: one order of organisations (the EPCI's own share,
/// communes in territoire.yaml order, then partners), and the EPCI's share
/// is a row counted in the totals.
#[test]
fn organisations_in_one_order_and_the_epci_share_in_the_totals() {
    use mutu_present::Options;
    let m = model();
    let ads = m.services.iter().find(|s| s.service.id == "instruction-ads").expect("ADS");
    let r = &ads.repartitions[0];
    let ids: Vec<&str> = r.parts.iter().map(|p| p.beneficiaire.as_str()).collect();
    let communes: Vec<&str> = m.membres.iter().filter(|x| x.insee.is_some()).map(|x| x.id.as_str()).collect();
    assert_eq!(ids[0], "capld");
    assert!(r.parts[0].prise_en_charge);
    assert_eq!(&ids[1..23], &communes[..]);
    assert_eq!(ids[23], "clcl");
    // Every step and every statement follows the same order.
    for s in &m.services {
        for r in &s.repartitions {
            for e in &r.etapes {
                let rangs: Vec<_> = e.parts.iter().map(|p| m.rang(&p.beneficiaire)).collect();
                assert!(rangs.windows(2).all(|w| w[0] <= w[1]), "{} : {rangs:?}", r.libelle);
            }
        }
    }
    let rangs: Vec<_> = m.releves.iter().map(|x| m.rang(&x.membre)).collect();
    assert!(rangs.windows(2).all(|w| w[0] <= w[1]), "{rangs:?}");

    let doc = mutu_present::document(&m, &Options { pdf: true, extraits: false });
    let t = tableau(&doc, "finances", "Montant à la charge de chaque organisme en 2023");
    let lignes = textes(&t.lignes);
    assert_eq!(lignes[0][..3], ["CAPLD (part de l'EPCI)", "80 000,00 €", "736 243,00 €"]);
    assert_eq!(lignes[1][0], "Daoulas");
    // The partners come last, then the groupements' participants that no
    // line names, so that the groupements column adds up to the year's total.
    assert_eq!(lignes[lignes.len() - 2][0], "Communauté Lesneven Côte des Légendes");
    assert_eq!(lignes.last().unwrap()[0], "Autres participants aux groupements, non détaillés");
    assert_eq!(
        textes(&t.pied)[0][1..3],
        ["290 331,00 €", "1 545 088,00 €"],
        "each column adds up to the whole cost, the EPCI's share included"
    );
    colonnes_sommees(&t, 0);

    let t = tableau(&doc, "services/instruction-ads", "Coût 2023 de l'instruction ADS — étape 2");
    let pied = textes(&t.pied);
    assert_eq!(pied[0], ["Total réparti", "50 614", "100,00 %", "106 641,00 €"]);
    // The EPCI named with its article (« la CAPLD »).
    assert_eq!(pied[1], ["Pris en charge par la CAPLD", "", "", "80 000,00 €"]);
    assert_eq!(pied[2], ["Total de l'étape, prise en charge comprise", "", "", "186 641,00 €"]);
    colonnes_sommees(&t, 0);
}

/// Issue 13, item 8: a prorated base is shown as entered and as retained,
/// each column adding up to its total (the pack 3 table showed five rows
/// of 1 above a total of 2,58).
#[test]
fn prorated_bases_add_up_to_their_total() {
    use mutu_present::Options;
    let m = model();
    let doc = mutu_present::document(&m, &Options { pdf: true, extraits: false });
    let t = tableau(&doc, "services/si-communes", "Pack 3 : support informatique 2023");
    let entetes: Vec<&str> = t.colonnes.iter().map(|c| c.libelle.as_str()).collect();
    // A key of plain values has no unit to name: no « valeurs de base » jargon.
    assert_eq!(entetes, ["Organisme", "Base saisie", "Base retenue", "Part", "Montant TTC"]);
    assert_eq!(textes(&t.lignes)[0], ["Dirinon (prorata 9 mois sur 12)", "1", "0,75", "29,03 %", "2 148,10 €"]);
    assert_eq!(textes(&t.pied)[0], ["Total réparti", "5", "2,58", "100,00 %", "7 399,00 €"]);
    colonnes_sommees(&t, 0);
}

/// Issue 13, item 7: receipts never entered are not 0 (the services
/// communs showed « Recettes 0,00 € / Solde +1 545 088,00 € »), and the
/// chart and table say what they show.
#[test]
fn receipts_not_entered_are_not_zero() {
    use mutu_present::{Bloc, Options};
    let m = model();
    let sc = m.services.iter().find(|s| s.service.id == "services-communs-landerneau").expect("SC");
    assert!(sc
        .bilans
        .iter()
        .all(|b| b.recettes.is_none() && b.total_recettes.is_none() && b.solde.is_none()));
    let garage = m.services.iter().find(|s| s.service.id == "garage-commun").expect("garage");
    assert!(garage.bilans.iter().all(|b| b.total_recettes.is_some() && b.solde.is_some()));
    let doc = mutu_present::document(&m, &Options { pdf: true, extraits: false });
    let t = tableau(&doc, "services/services-communs-landerneau", "Évolution des dépenses");
    assert_eq!(
        t.titre,
        "Évolution des dépenses (TTC) — Services communs des fonctions support avec la Ville de Landerneau"
    );
    assert_eq!(t.colonnes.iter().map(|c| c.libelle.as_str()).collect::<Vec<_>>(), ["Exercice", "Dépenses"]);
    let p = doc.pages.iter().find(|p| p.id == "services/services-communs-landerneau").expect("page");
    let titres: Vec<&str> = p
        .blocs
        .iter()
        .filter_map(|b| if let Bloc::Graphique(g) = b { Some(g.titre.as_str()) } else { None })
        .collect();
    assert!(
        titres.contains(&"Dépenses (TTC)") && !titres.iter().any(|g| g.contains("ecettes")),
        "{titres:#?}"
    );
}
