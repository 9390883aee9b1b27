//! Atomic output: `mutu build` killed with SIGKILL at any moment leaves the
//! output folder either exactly as the previous build left it or exactly
//! as a complete new build makes it — never a mix, never half a file — and
//! the temporary folders it leaves beside the output are removed by the
//! next successful build. An output that is the project, its sources, a
//! folder containing it, the home folder or someone else's folder is
//! refused before anything is touched, and two writers of one output take
//! turns.

#![cfg(unix)]

use crate::outils;

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
        .filter(|n| n.starts_with(".public.") && n != ".public.verrou-mutu")
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

/// Files are written into the new folder as they are rendered: a build
/// that fails after the site's pages were written (here the PDF, over its
/// page budget, compiled beside the site) leaves the previous output as it
/// was and no folder beside it.
#[test]
fn a_build_failing_while_rendering_leaves_the_previous_output_and_nothing_beside_it() {
    let (t, p) = copie_exemple("atomique-erreur");
    let public = t.join("public");
    construit(&p, &public);
    let avant = tout(&public);
    let edito = std::fs::read_to_string(p.join("content/edito.md")).unwrap();
    variante(&p, &edito, 'B');
    remplace(&p, "data/configuration.yaml", "pdf:\n", "pdf:\n  pages_max: 3\n");
    let o = mutu(&p, &["build", "--sortie", public.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("erreur[pdf-trop-long]"), "{}", stderr(&o));
    assert!(tout(&public) == avant, "la sortie précédente a changé");
    assert_eq!(restes(&t), Vec::<String>::new());
}

/// `mutu <args>` run from `dossier` (relative paths are read from there).
fn mutu_depuis(dossier: &Path, args: &[&str], home: &Path) -> std::process::Output {
    Command::new(binaire())
        .args(args)
        .current_dir(dossier)
        .env("HOME", home)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap()
}

/// Every file under `dir` (recursively) with its bytes, links not followed.
fn tout(dir: &Path) -> Manifeste {
    let mut out = Manifeste::new();
    for e in walk(dir) {
        out.insert(e.0, e.1);
    }
    out
}

fn walk(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    let mut pile = vec![dir.to_path_buf()];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            let t = e.file_type().unwrap();
            if t.is_dir() {
                pile.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().to_string();
                v.push((rel, if t.is_file() { std::fs::read(&p).unwrap() } else { Vec::new() }));
            }
        }
    }
    v
}

#[test]
fn outputs_that_would_destroy_the_project_are_refused() {
    let (t, p) = copie_exemple("sorties-refusees");
    let maison = t.join("maison");
    std::fs::create_dir_all(maison.join("Documents")).unwrap();
    std::fs::write(maison.join("Documents/budget.ods"), "à garder").unwrap();
    let a_moi = t.join("a-moi");
    std::fs::create_dir_all(&a_moi).unwrap();
    std::fs::write(a_moi.join("notes.txt"), "à garder").unwrap();
    let avant = tout(&t.dir);
    let abs = p.to_str().unwrap();
    let parent = t.dir.to_str().unwrap();
    let contenu = p.join("content");
    let notes = a_moi.join("notes.txt");
    let cas: Vec<(&Path, Vec<&str>, String)> = vec![
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", "../projet"],
            "../projet est le dossier du projet lui-même".into(),
        ),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", abs],
            format!("{abs} est le dossier du projet lui-même"),
        ),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", "data"],
            "data est dans le dossier data/ du projet".into(),
        ),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", "content/site"],
            "content/site est dans le dossier content/ du projet".into(),
        ),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", "themes"],
            "themes est dans le dossier themes/ du projet".into(),
        ),
        (
            &contenu,
            vec!["build", "--sans-pdf", "--racine", "..", "--sortie", ".."],
            ".. est le dossier du projet lui-même".into(),
        ),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", parent],
            format!("{parent} contient le dossier du projet"),
        ),
        (&p, vec!["build", "--sans-pdf", "--sortie", "/"], "/ est la racine du disque".into()),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", maison.to_str().unwrap()],
            format!("{} est votre dossier personnel ou le contient", maison.display()),
        ),
        (
            &p,
            vec!["build", "--sans-pdf", "--sortie", a_moi.to_str().unwrap()],
            format!("le dossier {} existe, n'est pas vide et n'a pas été produit par mutu", a_moi.display()),
        ),
        (&p, vec!["pdf", "--sortie", "data"], "data est dans le dossier data/ du projet".into()),
        (
            &p,
            vec!["export", "--sortie", "data/territoire.yaml"],
            "data/territoire.yaml est dans le dossier data/ du projet".into(),
        ),
        (
            &p,
            vec!["export", "--sortie", notes.to_str().unwrap()],
            format!("le fichier {} existe et n'est pas un export de mutu", notes.display()),
        ),
    ];
    for (dossier, args, attendu) in &cas {
        let o = mutu_depuis(dossier, args, &maison);
        assert_eq!(o.status.code(), Some(2), "{args:?} : {}", stderr(&o));
        assert_eq!(
            stderr(&o).lines().next().unwrap_or_default(),
            format!("erreur[sortie-refusee] : sortie refusée : {attendu}"),
            "{args:?}"
        );
        assert!(stderr(&o).contains("aucun fichier n'a été modifié"), "{args:?}");
        assert!(tout(&t.dir) == avant, "{args:?} a modifié des fichiers");
    }
    // The hint says how to proceed with a folder of one's own.
    let o = mutu_depuis(&p, &["build", "--sans-pdf", "--sortie", a_moi.to_str().unwrap()], &maison);
    assert!(
        stderr(&o).contains("= aide : mutu ne remplace que les dossiers qu'il a produits (ils contiennent le fichier .mutu-sortie)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn outputs_mutu_produced_absent_or_empty_are_accepted() {
    let (t, p) = copie_exemple("sorties-acceptees");
    let maison = t.join("maison");
    std::fs::create_dir_all(&maison).unwrap();
    // Absent, then the same folder again: it carries the marker now.
    let site = t.join("site");
    for _ in 0..2 {
        reussit(&mutu_depuis(&p, &["build", "--sans-pdf", "--sortie", site.to_str().unwrap()], &maison));
        assert!(site.join(".mutu-sortie").is_file());
    }
    // Empty.
    let vide = t.join("vide");
    std::fs::create_dir_all(&vide).unwrap();
    reussit(&mutu_depuis(&p, &["build", "--sans-pdf", "--sortie", vide.to_str().unwrap()], &maison));
    assert!(vide.join("index.html").is_file());
    // The default public/ of a build made before the marker existed.
    std::fs::create_dir_all(p.join("public")).unwrap();
    std::fs::write(p.join("public/index.html"), "ancien").unwrap();
    reussit(&mutu_depuis(&p, &["build", "--sans-pdf"], &maison));
    assert!(p.join("public/.mutu-sortie").is_file());
    // An export over an export.
    reussit(&mutu_depuis(&p, &["export", "--sortie", "export.json"], &maison));
    reussit(&mutu_depuis(&p, &["export", "--sortie", "export.json"], &maison));
}

#[test]
fn a_second_writer_waits_for_the_first() {
    use std::io::{BufRead, BufReader};
    let (t, p) = copie_exemple("verrou");
    let public = t.join("public");
    // This test holds the output's lock as a first build would.
    let verrou = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(t.join(".public.verrou-mutu"))
        .unwrap();
    verrou.lock().unwrap();
    let mut enfant = Command::new(binaire())
        .args(["build", "--sans-pdf", "--sortie", public.to_str().unwrap(), "--racine", p.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lignes = BufReader::new(enfant.stderr.take().unwrap()).lines();
    // The example's warnings come first, then the wait.
    let attendu = format!("une autre commande mutu écrit dans {} : attente de sa fin…", public.display());
    assert!(lignes.by_ref().map(Result::unwrap).any(|l| l == attendu), "pas de message d'attente");
    std::thread::sleep(Duration::from_millis(300));
    assert!(enfant.try_wait().unwrap().is_none(), "la construction n'attend pas");
    assert!(!public.exists(), "la construction a écrit sans attendre son tour");
    verrou.unlock().unwrap();
    assert!(enfant.wait().unwrap().success());
    assert!(public.join("index.html").is_file());
}
