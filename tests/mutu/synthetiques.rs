//! The synthetic territory generator of the benchmarks (`benches/synth.rs`,
//! built as the example `synth`) writes projects that mutu accepts without
//! a single error or warning, the same bytes for the same seed, and that
//! build into a site.

#[allow(dead_code)]
use crate::synth;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn write(dir: &Path, files: &BTreeMap<PathBuf, String>) {
    if dir.exists() {
        std::fs::remove_dir_all(dir).expect("clean temp dir");
    }
    for (p, text) in files {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("mutu-test-synth-{name}-{}", std::process::id()))
}

#[test]
fn small_territory_passes_every_check() {
    let dir = temp("s");
    let files = synth::generate(22, 15, 5, 7);
    write(&dir, &files);
    let run = mutu_compute::pipeline::run(&dir);
    let text = run.diagnostics.render(&run.sources);
    assert_eq!((run.diagnostics.errors(), run.diagnostics.warnings()), (0, 0), "{text}");
    let m = run.model.as_ref().expect("model");
    assert_eq!(m.membres.iter().filter(|x| x.insee.is_some()).count(), 22);
    assert_eq!(m.fiches.len(), 15);
    // Every kind of key the format knows, except the pure population and
    // "valeurs" kinds already covered, is used by a service allocation.
    let bases: std::collections::BTreeSet<&str> = m.cles.iter().map(|k| k.base.token()).collect();
    for b in [
        "forfait",
        "population_dgf",
        "population_totale",
        "population_municipale",
        "temps_passe",
        "nombre_de_paies",
        "nombre_d_ecritures",
        "valeurs",
        "unites_d_oeuvre",
        "grille",
    ] {
        assert!(bases.contains(b), "no key with base {b}: {bases:?}");
    }
    assert!(m.controles.iter().all(|c| c.conforme));
    assert!(m.controles.len() > 50, "{} controls", m.controles.len());

    // The command line agrees: exit code 0 and the French summary line.
    let out = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .arg("check")
        .arg("--racine")
        .arg(&dir)
        .output()
        .expect("run mutu");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("vérification terminée : 0 erreur, 0 avertissement"), "{stdout}");

    // And it builds: site, data files and PDF.
    let public = dir.join("public");
    let out = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .arg("build")
        .arg("--racine")
        .arg(&dir)
        .arg("--sortie")
        .arg(&public)
        .output()
        .expect("run mutu");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(public.join("index.html").is_file());
    assert!(std::fs::read_dir(&public)
        .expect("public")
        .filter_map(|e| e.ok())
        .any(|e| e.path().extension().is_some_and(|x| x == "pdf")));
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[test]
fn medium_territory_spans_several_departements_and_passes() {
    // 400 communes: more than any single département but the largest ones,
    // with several years and many fiches (all statuses, 4 axes).
    let dir = temp("m");
    let files = synth::generate(400, 60, 3, 42);
    write(&dir, &files);
    let run = mutu_compute::pipeline::run(&dir);
    let text = run.diagnostics.render(&run.sources);
    assert_eq!((run.diagnostics.errors(), run.diagnostics.warnings()), (0, 0), "{text}");
    let m = run.model.as_ref().expect("model");
    let deps: std::collections::BTreeSet<&str> = m.membres.iter().filter_map(|x| x.insee.as_deref()).map(|c| &c[..2]).collect();
    assert!(deps.len() >= 2, "{deps:?}");
    let statuts: std::collections::BTreeSet<&str> = m.fiches.iter().map(|f| f.statut.token()).collect();
    assert_eq!(statuts.len(), 6, "{statuts:?}");
    std::fs::remove_dir_all(&dir).expect("clean");
}

#[test]
fn same_seed_same_bytes_other_seed_other_territory() {
    let a = synth::generate(30, 10, 4, 1);
    let b = synth::generate(30, 10, 4, 1);
    assert_eq!(a, b);
    let c = synth::generate(30, 10, 4, 2);
    assert_ne!(a.get(Path::new("data/territoire.yaml")), c.get(Path::new("data/territoire.yaml")));
    // A third of the communes have a narrative, and every fiche and service has one.
    let membres = a.keys().filter(|p| p.starts_with("content/membres")).count();
    assert_eq!(membres, 10);
    assert_eq!(a.keys().filter(|p| p.starts_with("content/fiches")).count(), 10);
    assert_eq!(a.keys().filter(|p| p.starts_with("data/fiches")).count(), 10);
}

#[test]
fn earlier_allocations_of_a_large_territory_leave_the_report_for_an_annex() {
    // 60 communes, 3 years: the ADS allocations of the two earlier years
    // have more than 40 parts each.
    let dir = temp("annexe");
    write(&dir, &synth::generate(60, 6, 3, 3));
    let run = mutu_compute::pipeline::run(&dir);
    assert_eq!(run.diagnostics.errors(), 0, "{}", run.diagnostics.render(&run.sources));
    let m = run.model.expect("model");
    let opts = mutu::cmd::build::Options {
        site: true,
        pdf: true,
        extraits: false,
        rechargement: None,
    };
    let doc = mutu::cmd::build::document(&m, &opts);
    let page = |id: &str| doc.pages.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("page {id}"));
    let tables = |p: &mutu_present::Page| -> Vec<String> {
        p.blocs
            .iter()
            .filter_map(|b| match b {
                mutu_present::Bloc::Tableau(t) => Some(t.id.clone()),
                _ => None,
            })
            .collect()
    };
    let service = page("services/instruction-ads");
    let annexe = page("services/instruction-ads/exercices-anterieurs");
    assert!(service.pdf && !annexe.pdf);
    assert_eq!(annexe.parent.as_deref(), Some("services/instruction-ads"));
    let (sv, an) = (tables(service), tables(annexe));
    // The report's year stays on the service page, in full; the earlier
    // years are detailed in the annex and summed up on the service page.
    assert!(sv.iter().any(|t| t.starts_with("service-instruction-ads-repartition-2024-")), "{sv:?}");
    assert!(
        !sv.iter()
            .any(|t| t.starts_with("service-instruction-ads-repartition-2022-") || t.starts_with("service-instruction-ads-repartition-2023-")),
        "{sv:?}"
    );
    assert!(an.iter().any(|t| t.starts_with("service-instruction-ads-repartition-2022-")), "{an:?}");
    assert!(an.iter().any(|t| t.starts_with("service-instruction-ads-repartition-2023-")), "{an:?}");
    let resume = service
        .blocs
        .iter()
        .find_map(|b| match b {
            mutu_present::Bloc::Tableau(t) if t.id == "service-instruction-ads-repartitions-anterieures" => Some(t),
            _ => None,
        })
        .expect("summary table");
    let annees: Vec<&str> = resume.lignes.iter().map(|l| l[0].texte.as_str()).collect();
    assert_eq!(annees, ["2022", "2023"]);
    assert!(resume
        .lignes
        .iter()
        .all(|l| l[1].lien.as_deref() == Some("services/instruction-ads/exercices-anterieurs")));
    // A small allocation of an earlier year (two bodies) stays in the report.
    let communs = tables(page("services/services-communs"));
    assert!(
        communs.iter().any(|t| t.starts_with("service-services-communs-repartition-2022-")),
        "{communs:?}"
    );
    std::fs::remove_dir_all(&dir).expect("clean");
}
