//! Every kind of distribution key on the example territory: population
//! keys with the EPCI's own share, tariff grids, exemptions below a
//! population threshold and pro rata temporis. The illustrative keys of
//! data/cles.yaml are used by a service added to a copy of the example.

use crate::outils;

use mutu_compute::repartition::RepartitionCalculee;
use mutu_compute::Modele;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};

fn project(name: &str, extra_service: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("mutu-keys-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["data", "content"] {
        outils::copie_dossier(&root.join(sub), &dir.join(sub));
    }
    std::fs::write(dir.join("data/services/zz-exemple.yaml"), extra_service).unwrap();
    dir
}

fn model(dir: &Path) -> Modele {
    let r = mutu_compute::pipeline::run(dir);
    assert!(!r.diagnostics.has_errors(), "{}", r.diagnostics.render(&r.sources));
    r.model.unwrap()
}

fn allocation<'a>(m: &'a Modele, service: &str, libelle: &str) -> &'a RepartitionCalculee {
    let s = m.services.iter().find(|s| s.service.id == service).unwrap();
    s.repartitions.iter().find(|r| r.libelle == libelle).unwrap()
}

fn part(r: &RepartitionCalculee, step: usize, id: &str) -> String {
    r.etapes[step]
        .parts
        .iter()
        .find(|p| p.beneficiaire == id)
        .map(|p| p.montant.to_string())
        .unwrap_or_default()
}

const SERVICE: &str = r#"
id: zz-exemple
nom: "Service d'exemple"
forme: prestation
porteur: capld
repartitions:
  - exercice: 2023
    libelle: "Grille"
    taxes: ttc
    etapes:
      - cle: exemple-grille-epci
  - exercice: 2023
    libelle: "Exonération"
    taxes: ttc
    montant: 10000
    etapes:
      - cle: exemple-communes-exoneration
"#;

#[test]
fn ads_communes_share_by_total_population() {
    let m = model(Path::new(env!("CARGO_MANIFEST_DIR")));
    let r = allocation(
        &m,
        "instruction-ads",
        &m.services.iter().find(|s| s.service.id == "instruction-ads").unwrap().repartitions[0]
            .libelle
            .clone(),
    );
    // 106 641 € × population totale / 50 614, rounded to the euro by largest remainder.
    assert_eq!(r.etapes[1].total_base.to_string(), "50614");
    assert_eq!(part(r, 1, "landerneau"), "35032.00");
    assert_eq!(part(r, 1, "daoulas"), "3959.00");
    let sum: Decimal = r.etapes[1].parts.iter().map(|p| p.montant).sum();
    assert_eq!(sum.to_string(), "106641.00");
    // Every part within one euro of its exact share.
    for p in &r.etapes[1].parts {
        assert!((p.montant - p.exact).abs() < Decimal::ONE, "{} {} {}", p.beneficiaire, p.montant, p.exact);
    }
}

#[test]
fn tariff_grid_by_population_band() {
    let dir = project("grille", SERVICE);
    let m = model(&dir);
    let r = allocation(&m, "zz-exemple", "Grille");
    // CAPLD 50 614 inhabitants → band up to 60 000: 10 000 €; CLCL 28 119 → up to 30 000: 6 000 €.
    assert_eq!(part(r, 0, "capld"), "10000.00");
    assert_eq!(part(r, 0, "clcl"), "6000.00");
    assert_eq!(r.total.to_string(), "16000.00");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn exemption_pro_rata_and_epci_share() {
    let dir = project("exoneration", SERVICE);
    let m = model(&dir);
    let r = allocation(&m, "zz-exemple", "Exonération");
    let e = &r.etapes[0];
    assert_eq!(e.prise_en_charge_epci.map(|d| d.to_string()).as_deref(), Some("2000.00"));
    assert_eq!(e.montant_reparti.to_string(), "8000.00");
    // Communes under 500 inhabitants pay nothing.
    for id in ["lanneuffret", "saint-eloy", "treflevenez"] {
        let p = e.parts.iter().find(|p| p.beneficiaire == id).unwrap();
        assert!(p.exonere, "{id}");
        assert!(p.montant.is_zero(), "{id}");
    }
    // Irvillac left on 30 June: half of its population counts.
    let irv = e.parts.iter().find(|p| p.beneficiaire == "irvillac").unwrap();
    assert_eq!(
        irv.prorata.map(|f| (f * Decimal::from(12)).round_dp(6).normalize().to_string()).as_deref(),
        Some("6")
    );
    let sum: Decimal = e.parts.iter().map(|p| p.montant).sum();
    assert_eq!(sum.to_string(), "8000.00");
    assert_eq!(r.total.to_string(), "10000.00");
    let _ = std::fs::remove_dir_all(dir);
}
