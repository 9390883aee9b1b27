//! Path safety: images, linked files and the logo must be files of the
//! project. Paths climbing out of it, absolute paths and symbolic links
//! leading outside are refused (French diagnostic, file and line, exit 1,
//! the previous output untouched, nothing read); files inside are copied
//! into the site under `medias/` and the links rewritten relatively.

use crate::outils;

use outils::*;
use std::path::Path;

/// A first build in `<temp>/public`, to check a failed build leaves it as is.
fn sortie_precedente(t: &Temp, p: &Path) -> (std::path::PathBuf, std::collections::BTreeMap<String, Vec<u8>>) {
    let out = t.join("public");
    reussit(&mutu(p, &["build", "--sans-pdf", "--sortie", out.to_str().unwrap()]));
    let avant = fichiers(&out);
    (out, avant)
}

/// Builds, expects exit 1 with every `attendus` in the diagnostics, and
/// the previous output unchanged.
fn refuse(p: &Path, out: &Path, avant: &std::collections::BTreeMap<String, Vec<u8>>, attendus: &[&str]) {
    for args in [vec!["check"], vec!["build", "--sortie", out.to_str().unwrap()]] {
        let o = mutu(p, &args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(1), "{args:?} :\n{err}");
        assert!(!err.contains("panicked"), "{err}");
        for a in attendus {
            assert!(err.contains(a), "{args:?} : « {a} » absent de :\n{err}");
        }
    }
    assert!(fichiers(out) == *avant, "la sortie précédente a changé");
    for (rel, octets) in fichiers(out) {
        assert!(!String::from_utf8_lossy(&octets).contains("root:x:0:0"), "{rel} contient /etc/passwd");
    }
}

#[test]
fn climbing_out_of_the_project_is_refused() {
    let (t, p) = copie_exemple("chemins-remontee");
    let (out, avant) = sortie_precedente(&t, &p);
    ajoute(
        &p,
        "content/edito.md",
        "\nVoir ![mot de passe](../../etc/passwd) et [le fichier](../../../../../../etc/passwd).\n",
    );
    let ligne = std::fs::read_to_string(p.join("content/edito.md")).unwrap().lines().count();
    refuse(
        &p,
        &out,
        &avant,
        &[
            "erreur[chemin-hors-projet] : l'image « ../../etc/passwd » sort du dossier du projet",
            "erreur[chemin-hors-projet] : le fichier « ../../../../../../etc/passwd » sort du dossier du projet",
            &format!("--> content/edito.md:{ligne}:6"),
            "= aide : placez le fichier dans le dossier du projet",
        ],
    );
}

#[test]
fn absolute_and_external_paths_are_refused() {
    let (t, p) = copie_exemple("chemins-absolus");
    let (out, avant) = sortie_precedente(&t, &p);
    ajoute(
        &p,
        "content/edito.md",
        "\n![a](/etc/passwd)\n\n![b](https://exemple.fr/image.png)\n\n![c](file:///etc/passwd)\n",
    );
    refuse(
        &p,
        &out,
        &avant,
        &[
            "erreur[chemin-absolu] : l'image « /etc/passwd » a un chemin absolu",
            "erreur[fichier-externe] : l'image « https://exemple.fr/image.png » est sur un autre site",
            "erreur[fichier-externe] : l'image « file:///etc/passwd » est sur un autre site",
        ],
    );
}

#[cfg(unix)]
#[test]
fn symbolic_links_leading_out_are_refused() {
    let (t, p) = copie_exemple("chemins-liens");
    let (out, avant) = sortie_precedente(&t, &p);
    std::os::unix::fs::symlink("/etc/passwd", p.join("content/images/passwd.png")).unwrap();
    std::os::unix::fs::symlink("/etc", p.join("content/dehors")).unwrap();
    ajoute(&p, "content/edito.md", "\n![lien](images/passwd.png)\n\n[dossier](dehors/passwd.txt)\n");
    refuse(
        &p,
        &out,
        &avant,
        &[
            "erreur[chemin-hors-projet] : l'image « images/passwd.png » (content/images/passwd.png) : lien symbolique qui mène hors du dossier du projet",
            "erreur[chemin-hors-projet] : le fichier « dehors/passwd.txt » (content/dehors/passwd.txt) : lien symbolique qui mène hors du dossier du projet",
        ],
    );
}

#[cfg(unix)]
#[test]
fn logo_outside_the_project_is_refused() {
    let (t, p) = copie_exemple("chemins-logo");
    let (out, avant) = sortie_precedente(&t, &p);
    std::os::unix::fs::symlink("/etc/passwd", p.join("content/images/logo-lien.svg")).unwrap();
    remplace(
        &p,
        "data/territoire.yaml",
        "logo: content/images/logo-exemple.svg",
        "logo: content/images/logo-lien.svg",
    );
    let territoire = std::fs::read_to_string(p.join("data/territoire.yaml")).unwrap();
    let ligne = territoire.lines().position(|l| l.trim_start().starts_with("logo:")).unwrap() + 1;
    let colonne = territoire.lines().nth(ligne - 1).unwrap().find("content/").unwrap() + 1;
    let position = format!("--> data/territoire.yaml:{ligne}:{colonne}");
    refuse(
        &p,
        &out,
        &avant,
        &[
            "erreur[chemin-hors-projet] : logo « content/images/logo-lien.svg » : lien symbolique qui mène hors du dossier du projet",
            &position,
        ],
    );
    remplace(&p, "data/territoire.yaml", "logo: content/images/logo-lien.svg", "logo: ../../etc/passwd");
    refuse(
        &p,
        &out,
        &avant,
        &["erreur[chemin-hors-projet] : le chemin du logo « ../../etc/passwd » sort du projet"],
    );
    remplace(&p, "data/territoire.yaml", "logo: ../../etc/passwd", "logo: /etc/passwd");
    refuse(
        &p,
        &out,
        &avant,
        &["erreur[chemin-hors-projet] : le chemin du logo « /etc/passwd » sort du projet"],
    );
}

#[test]
fn missing_files_and_non_images_are_refused() {
    let (t, p) = copie_exemple("chemins-absents");
    let (out, avant) = sortie_precedente(&t, &p);
    ajoute(
        &p,
        "content/edito.md",
        "\n![a](images/absente.png)\n\n![b](../data/territoire.yaml)\n\n![c](images)\n",
    );
    refuse(
        &p,
        &out,
        &avant,
        &[
            "erreur[fichier-introuvable] : l'image « images/absente.png » (content/images/absente.png) : fichier introuvable",
            "erreur[image-format] : l'image « ../data/territoire.yaml » n'a pas une extension d'image",
            "erreur[image-format] : l'image « images » n'a pas une extension d'image",
        ],
    );
}

#[test]
fn files_inside_the_project_are_copied_and_linked_relatively() {
    let (t, p) = copie_exemple("chemins-copie");
    std::fs::create_dir_all(p.join("content/documents")).unwrap();
    std::fs::write(p.join("content/documents/délibération 2023.pdf"), b"%PDF-1.7 test").unwrap();
    // From a text in a sub-folder, shown on a page one folder deep.
    ajoute(
        &p,
        "content/services/garage-commun.md",
        "\n![Logo](../images/logo-exemple.svg)\n\n[La délibération](../documents/d%C3%A9lib%C3%A9ration%202023.pdf#page=2)\n",
    );
    // Also used from the home page: copied once.
    ajoute(&p, "content/edito.md", "\n![Logo de l'EPCI](images/logo-exemple.svg)\n");
    let out = t.join("public");
    reussit(&mutu(&p, &["build", "--sans-pdf", "--sortie", out.to_str().unwrap()]));
    let f = fichiers(&out);
    let logo = std::fs::read(p.join("content/images/logo-exemple.svg")).unwrap();
    assert_eq!(f["medias/content/images/logo-exemple.svg"], logo);
    assert_eq!(f["medias/content/documents/délibération 2023.pdf"], b"%PDF-1.7 test");
    assert_eq!(f.keys().filter(|k| k.starts_with("medias/")).count(), 2);
    let garage = String::from_utf8(f["services/garage-commun.html"].clone()).unwrap();
    assert!(
        garage.contains("<img src=\"../medias/content/images/logo-exemple.svg\" alt=\"Logo\""),
        "{garage}"
    );
    assert!(
        garage.contains("<a href=\"../medias/content/documents/d%C3%A9lib%C3%A9ration%202023.pdf#page=2\">La délibération</a>"),
        "{garage}"
    );
    let index = String::from_utf8(f["index.html"].clone()).unwrap();
    assert!(
        index.contains("<img src=\"medias/content/images/logo-exemple.svg\" alt=\"Logo de l&#39;EPCI\""),
        "{index}"
    );
    // The logo (epci.logo) heads every page, at every depth.
    assert!(
        index.contains("<a href=\"index.html\"><img class=\"entete-logo\" src=\"medias/content/images/logo-exemple.svg\" alt=\"\""),
        "{index}"
    );
    assert!(
        garage.contains("<a href=\"../index.html\"><img class=\"entete-logo\" src=\"../medias/content/images/logo-exemple.svg\" alt=\"\""),
        "{garage}"
    );
    // A text that is not published does not bring its files.
    let (t2, p2) = copie_exemple("chemins-copie-public");
    std::fs::copy(p2.join("content/images/logo-exemple.svg"), p2.join("content/images/plan-interne.svg")).unwrap();
    ajoute(&p2, "content/pages/notes-de-transcription.md", "\n![Plan](../images/plan-interne.svg)\n");
    let out2 = t2.join("public");
    reussit(&mutu(&p2, &["build", "--public", "--sans-pdf", "--sortie", out2.to_str().unwrap()]));
    let medias: Vec<String> = fichiers(&out2).into_keys().filter(|k| k.starts_with("medias/")).collect();
    assert_eq!(medias, ["medias/content/images/logo-exemple.svg"]);
}
