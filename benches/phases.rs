//! Where the time of a build goes: runs each phase of `mutu build` once on a
//! project and prints its wall time (milliseconds) and the resident memory
//! after it.
//!
//! ```text
//! cargo run --release --example phases -- --racine /tmp/l [--sans-pdf] [--sortie DIR] [--tours N]
//! ```
//!
//! Phases: load (read and parse YAML/Markdown), check, compute, present
//! (the renderer-neutral document), site (HTML through Tera), data (CSV and
//! JSON of every table), export (the model's JSON), pdf (typst compile and
//! PDF export), write (the output folder, atomically). With `--tours N` the
//! whole sequence runs N times and the median of each phase is printed;
//! `--repete-site N` renders the site N more times (untimed), so a profiler
//! run is dominated by the site phase.

use std::path::PathBuf;
use std::time::Instant;

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let mut racine = PathBuf::from(".");
    let mut sortie = None;
    let mut pdf = true;
    let mut tours = 1usize;
    let mut repete_site = 0usize;
    let mut a = std::env::args().skip(1);
    while let Some(k) = a.next() {
        match k.as_str() {
            "--racine" => racine = PathBuf::from(a.next().expect("--racine DOSSIER")),
            "--sortie" => sortie = Some(PathBuf::from(a.next().expect("--sortie DOSSIER"))),
            "--sans-pdf" => pdf = false,
            "--tours" => tours = a.next().and_then(|n| n.parse().ok()).expect("--tours N"),
            "--repete-site" => repete_site = a.next().and_then(|n| n.parse().ok()).expect("--repete-site N"),
            _ => {
                eprintln!("utilisation : phases --racine DOSSIER [--sortie DOSSIER] [--sans-pdf] [--tours N] [--repete-site N]");
                std::process::exit(2);
            }
        }
    }
    let sortie = sortie.unwrap_or_else(|| std::env::temp_dir().join(format!("mutu-phases-{}", std::process::id())));
    let mut mesures: Vec<Vec<(&'static str, f64, u64)>> = Vec::new();
    for _ in 0..tours {
        let mut m: Vec<(&'static str, f64, u64)> = Vec::new();
        let mut t = Instant::now();
        let lap = |m: &mut Vec<(&'static str, f64, u64)>, nom: &'static str, t: &mut Instant| {
            m.push((nom, t.elapsed().as_secs_f64() * 1000.0, rss_kib()));
            *t = Instant::now();
        };
        let mut loaded = mutu_model::load::load(&racine);
        lap(&mut m, "load", &mut t);
        let mut diags = std::mem::take(&mut loaded.diagnostics);
        diags.extend(mutu_check::check(&loaded));
        lap(&mut m, "check", &mut t);
        let (model, d) = mutu_compute::compute(&loaded).expect("model");
        diags.extend(d);
        assert!(!diags.has_errors(), "{}", diags.render(&loaded.sources));
        lap(&mut m, "compute", &mut t);
        let opts = mutu::cmd::build::Options {
            site: true,
            pdf,
            extraits: false,
            rechargement: None,
        };
        let theme = mutu::cmd::build::theme(&racine, &model).expect("theme");
        let doc = mutu::cmd::build::document(&model, &opts);
        lap(&mut m, "present", &mut t);
        let so = mutu_site::SiteOptions {
            html_brut: model.config.html_brut,
            url_de_base: model.config.url_de_base.clone(),
            rechargement: None,
        };
        let mut files = mutu_site::render(&doc, &theme, &so).expect("site");
        lap(&mut m, "site", &mut t);
        // Profiling aid: the site phase alone, N more times.
        for _ in 0..repete_site {
            drop(mutu_site::render(&doc, &theme, &so).expect("site"));
        }
        if repete_site > 0 {
            t = Instant::now();
        }
        files.extend(mutu_data::render(&doc));
        lap(&mut m, "data", &mut t);
        files.push(mutu_base::fichier::Fichier::new(
            "donnees/mutu-export.json",
            mutu_compute::export::to_json(&model),
        ));
        lap(&mut m, "export", &mut t);
        if pdf {
            let mut engine = mutu_pdf::PdfEngine::new(&theme).expect("engine");
            let logo = mutu_pdf::lire_logo(&racine, &doc).expect("logo");
            engine.set_logo(logo).expect("logo");
            let bytes = engine.rapport(&doc).expect("pdf");
            files.push(mutu_base::fichier::Fichier::new(format!("{}.pdf", doc.nom_pdf), bytes));
            lap(&mut m, "pdf", &mut t);
        }
        files.sort_by(|a, b| a.chemin.cmp(&b.chemin));
        let verrou = mutu_base::output::Verrou::prendre(&sortie, || {}).expect("lock");
        mutu_base::output::write_dir_atomic(&verrou, &files).expect("write");
        lap(&mut m, "write", &mut t);
        mesures.push(m);
    }
    println!("phase      médiane ms   RSS après (Mio)");
    let mut total = 0.0;
    for (i, (nom, _, _)) in mesures[0].iter().enumerate() {
        let mut v: Vec<f64> = mesures.iter().map(|m| m[i].1).collect();
        v.sort_by(|a, b| a.total_cmp(b));
        let med = v[v.len() / 2];
        total += med;
        println!("{nom:<10} {med:>11.1}   {:>8.0}", mesures[0][i].2 as f64 / 1024.0);
    }
    println!("{:<10} {total:>11.1}   pic {:>5.0}", "total", hwm_kib() as f64 / 1024.0);
}
