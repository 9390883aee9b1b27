//! Atomic output: `mutu build` killed with SIGKILL at any moment leaves the
//! output folder either exactly as the previous build left it or exactly
//! as a complete new build makes it — never a mix, never half a file — and
//! the temporary folders it leaves beside the output are removed by the
//! next successful build.

#![cfg(unix)]

mod outils;

use outils::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

type Manifeste = BTreeMap<String, Vec<u8>>;

/// Sets the édito to variant `v` (`A` or `B`).
fn variante(p: &Path, edito: &str, v: char) {
    std::fs::write(p.join("content/edito.md"), format!("{edito}\nVersion {v} de l'édito.\n")).unwrap();
}

fn construit(p: &Path, sortie: &Path) {
    reussit(&mutu(p, &["build", "--sortie", sortie.to_str().unwrap()]));
}

/// Temporary folders and files of mutu beside `public/` or inside it.
fn restes(t: &Temp) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(&t.dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".public."))
        .collect();
    v.sort();
    v
}

#[test]
fn killed_builds_leave_the_previous_or_the_new_output_complete() {
    let (t, p) = copie_exemple("atomique");
    let edito = std::fs::read_to_string(p.join("content/edito.md")).unwrap();
    // The two complete outputs, built apart.
    let mut attendu: BTreeMap<char, Manifeste> = BTreeMap::new();
    for v in ['A', 'B'] {
        variante(&p, &edito, v);
        let d = t.join(&format!("reference-{v}"));
        construit(&p, &d);
        attendu.insert(v, fichiers(&d));
    }
    assert_ne!(attendu[&'A'], attendu[&'B']);
    let public = t.join("public");
    variante(&p, &edito, 'A');
    construit(&p, &public);
    assert!(fichiers(&public) == attendu[&'A']);

    // Kill builds of the other variant at increasing moments, over the
    // whole length of a build (measured first).
    let debut = Instant::now();
    variante(&p, &edito, 'B');
    construit(&p, &public);
    let duree = debut.elapsed().as_millis() as u64;
    assert!(fichiers(&public) == attendu[&'B']);
    let mut courant = 'B';
    let mut moments: Vec<u64> = vec![0, 5, 20, 50, 100, 200, 300, 500];
    moments.extend((1..=12).map(|k| duree * k / 10));
    let (mut avant, mut apres) = (0, 0);
    for ms in moments {
        let cible = if courant == 'A' { 'B' } else { 'A' };
        variante(&p, &edito, cible);
        let mut enfant = Command::new(binaire())
            .args(["build", "--sortie", public.to_str().unwrap(), "--racine", p.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(ms));
        enfant.kill().unwrap(); // SIGKILL (an error only if it already ended)
        let _ = enfant.wait();
        let vu = fichiers(&public);
        if vu == attendu[&cible] {
            courant = cible;
            apres += 1;
        } else {
            assert!(
                vu == attendu[&courant],
                "tué après {ms} ms : public/ n'est ni la sortie précédente ({courant}) ni la nouvelle ({cible}) ; fichiers différents : {:?}",
                vu.keys()
                    .filter(|k| attendu[&courant].get(*k) != vu.get(*k))
                    .chain(attendu[&courant].keys().filter(|k| !vu.contains_key(*k)))
                    .take(10)
                    .collect::<Vec<_>>()
            );
            avant += 1;
        }
    }
    eprintln!("builds tués avant l'échange : {avant}, après : {apres} (durée d'une construction : {duree} ms)");
    assert!(avant >= 5, "trop peu de constructions interrompues ({avant})");

    // A later successful build removes what killed builds left.
    let cible = if courant == 'A' { 'B' } else { 'A' };
    variante(&p, &edito, cible);
    construit(&p, &public);
    assert!(fichiers(&public) == attendu[&cible]);
    assert_eq!(restes(&t), Vec::<String>::new());
}

#[test]
fn stale_temporary_folders_are_removed_but_not_those_of_a_running_build() {
    let (t, p) = copie_exemple("atomique-restes");
    let public = t.join("public");
    // Left by a killed build (no such process) and by one still running
    // (this test's own process stands for it).
    let mort = t.join(".public.mutu-neuf-99999999");
    let vivant = t.join(&format!(".public.mutu-neuf-{}", std::process::id()));
    for d in [&mort, &vivant] {
        std::fs::create_dir_all(d.join("services")).unwrap();
        std::fs::write(d.join("services/index.html"), "reste").unwrap();
    }
    construit(&p, &public);
    assert!(!mort.exists(), "le dossier d'une construction tuée reste");
    assert!(vivant.exists(), "le dossier d'une construction en cours a été supprimé");
    assert!(public.join("index.html").is_file());
}
