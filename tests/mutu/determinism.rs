//! Determinism: two full builds (site, data files, PDF report and every
//! member extract) of the example are byte-identical, even from two copies
//! of the project at different places, run from different folders, with a
//! different time zone and locale, at different times.

use crate::outils;

use outils::*;
use std::path::Path;
use std::process::Command;

fn construit(p: &Path, sortie: &Path, cwd: &Path, tz: &str, lang: &str) {
    let o = Command::new(binaire())
        .args(["build", "--extraits", "--sortie"])
        .arg(sortie)
        .arg("--racine")
        .arg(p)
        .current_dir(cwd)
        .env("TZ", tz)
        .env("LANG", lang)
        .env("LC_ALL", lang)
        .output()
        .unwrap();
    reussit(&o);
}

#[test]
fn two_full_builds_are_byte_identical() {
    let (t1, p1) = copie_exemple("determinisme-1");
    let (t2, p2) = copie_exemple("determinisme-autre-chemin");
    let (a, b) = (t1.join("sortie-a"), t2.join("ailleurs/sortie-b"));
    construit(&p1, &a, &t1.dir, "UTC", "C.UTF-8");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    construit(&p2, &b, &p2, "Pacific/Kiritimati", "fr_FR.UTF-8");
    let (fa, fb) = (fichiers(&a), fichiers(&b));
    let noms_a: Vec<&String> = fa.keys().collect();
    let noms_b: Vec<&String> = fb.keys().collect();
    assert_eq!(noms_a, noms_b, "les deux constructions n'ont pas les mêmes fichiers");
    let differents: Vec<&String> = fa.keys().filter(|k| fa[*k] != fb[*k]).collect();
    assert!(differents.is_empty(), "fichiers différents : {differents:?}");
    // Everything is there: site, data, report, one extract per member.
    assert!(fa.len() > 200, "{}", fa.len());
    assert!(fa.keys().any(|k| k.starts_with("rapport-") && k.ends_with(".pdf")));
    assert_eq!(fa.keys().filter(|k| k.starts_with("extraits/")).count(), 23);
    // No absolute path of the project or of the output leaks into a file.
    for (k, v) in &fa {
        let texte = String::from_utf8_lossy(v);
        for chemin in [&p1, &a, &t1.dir] {
            assert!(!texte.contains(chemin.to_str().unwrap()), "{k} contient le chemin {}", chemin.display());
        }
    }
}

/// The same at 103 communes (tests/territoires/ternois), where the order
/// of `adherents: toutes-les-communes` expanded on load and of the grouped
/// lists must not depend on anything but the data.
#[test]
fn a_hundred_commune_territory_builds_byte_identical() {
    let t = Temp::new("determinisme-ternois");
    let (p1, p2) = (t.join("un/ternois"), t.join("deux/ailleurs/ternois"));
    copie_dossier(&exemple().join("tests/territoires/ternois"), &p1);
    copie_dossier(&exemple().join("tests/territoires/ternois"), &p2);
    let (a, b) = (t.join("sortie-a"), t.join("sortie-b"));
    construit(&p1, &a, &t.dir, "UTC", "C.UTF-8");
    construit(&p2, &b, &p2, "Pacific/Kiritimati", "fr_FR.UTF-8");
    let (fa, fb) = (fichiers(&a), fichiers(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    let differents: Vec<&String> = fa.keys().filter(|k| fa[*k] != fb[*k]).collect();
    assert!(differents.is_empty(), "fichiers différents : {differents:?}");
    assert_eq!(fa.keys().filter(|k| k.starts_with("extraits/")).count(), 103);
}

#[test]
fn export_is_byte_identical() {
    let (_t, p) = copie_exemple("determinisme-export");
    let a = mutu(&p, &["export"]);
    let b = mutu(&p, &["export"]);
    reussit(&a);
    assert!(a.stdout.len() > 100_000);
    assert_eq!(a.stdout, b.stdout);
}
