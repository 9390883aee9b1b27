//! `mutu publish` to a folder (a mounted share): every file arrives, only
//! changed files are sent, `--essai` touches nothing, `--retour` switches
//! back, a publication killed mid-transfer leaves the served site intact
//! and the next one cleans up, and unsafe targets are refused.

use crate::outils;

use outils::{copie_exemple, fichiers, mutu, reussit, servi, stderr, stdout};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A built copy of the example (site and data, no PDF: quicker) and a
/// target folder beside it.
fn projet_construit(nom: &str) -> (outils::Temp, PathBuf, PathBuf) {
    let (t, projet) = copie_exemple(nom);
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let cible = t.join("extranet");
    (t, projet, cible)
}

fn publie(projet: &Path, cible: &Path, plus: &[&str]) -> std::process::Output {
    let mut args = vec!["publish", "--cible", cible.to_str().unwrap()];
    args.extend_from_slice(plus);
    mutu(projet, &args)
}

/// The project's built site as it must be served.
fn site(projet: &Path) -> BTreeMap<String, Vec<u8>> {
    outils::publiable(&projet.join("public"))
}

fn courant(cible: &Path) -> String {
    std::fs::read_link(cible.join("courant")).unwrap().to_string_lossy().into_owned()
}

/// Every entry under `dir` with its kind and content or link target, to
/// prove that nothing changed.
fn arbre(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        let m = std::fs::symlink_metadata(e.path()).unwrap();
        let v = if m.file_type().is_symlink() {
            format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
        } else if m.is_dir() {
            "dossier".into()
        } else {
            format!("{} octets, {:?}", m.len(), m.modified().unwrap())
        };
        out.insert(rel, v);
    }
    out
}

#[test]
fn publishes_then_sends_only_the_changed_file_and_goes_back() {
    let (_t, projet, cible) = projet_construit("publier-deux");
    let o = publie(&projet, &cible, &[]);
    reussit(&o);
    let premier = site(&projet);
    let n = premier.len();
    assert!(n > 200, "{n} fichiers");
    assert!(
        stdout(&o).starts_with(&format!("publication terminée : {n} fichiers envoyés (")),
        "{}",
        stdout(&o)
    );
    assert_eq!(servi(&cible), premier, "chaque fichier du site est servi, à l'identique");
    assert!(cible.join(".mutu-publication").is_file());
    let v1 = courant(&cible);
    assert!(v1.starts_with("versions/"), "{v1}");

    // Nothing changed: nothing is published.
    let o = publie(&projet, &cible, &[]);
    reussit(&o);
    assert_eq!(stdout(&o), format!("rien à publier : {} sert déjà ce site ({n} fichiers)\n", cible.display()));
    assert_eq!(courant(&cible), v1);

    // One page changes, one file disappears.
    let public = projet.join("public");
    std::fs::write(public.join("index.html"), "<!doctype html><title>nouvelle page d'accueil</title>").unwrap();
    std::fs::remove_file(public.join("404.html")).unwrap();
    let o = publie(&projet, &cible, &[]);
    reussit(&o);
    let resume = stdout(&o);
    assert!(
        resume.starts_with(&format!(
            "publication terminée : 1 fichier envoyé (53\u{a0}octets), 1 fichier supprimé, {} inchangés en ",
            n - 2
        )),
        "{resume}"
    );
    let v2 = courant(&cible);
    assert_ne!(v2, v1);
    assert_eq!(servi(&cible), site(&projet));
    assert!(!cible.join("courant/404.html").exists());
    // Unchanged files are the same inodes as in the previous version.
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let ino = |v: &str| std::fs::metadata(cible.join(v).join("static/style.css")).unwrap().ino();
        assert_eq!(ino(&v1), ino(&v2), "un fichier inchangé est lié, pas recopié");
    }

    // Back to the first version, complete.
    let o = publie(&projet, &cible, &["--retour"]);
    reussit(&o);
    let id = |v: &str| v.trim_start_matches("versions/").to_string();
    assert_eq!(
        stdout(&o),
        format!(
            "retour effectué : {} sert la version {} (la version {} reste sur la cible jusqu'à la prochaine publication)\n",
            cible.display(),
            id(&v1),
            id(&v2)
        )
    );
    assert_eq!(courant(&cible), v1);
    assert_eq!(servi(&cible), premier);
    // A second way back has nowhere to go.
    let o = publie(&projet, &cible, &["--retour"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&format!("erreur[retour-impossible] : aucune version précédente de {} dans ", id(&v1))),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).ends_with("retour annulé : la version servie n'a pas changé\n"));
    assert_eq!(courant(&cible), v1);

    // The next publication keeps only itself and the version it replaces.
    let o = publie(&projet, &cible, &[]);
    reussit(&o);
    let v3 = courant(&cible);
    let mut versions: Vec<String> = std::fs::read_dir(cible.join("versions"))
        .unwrap()
        .map(|e| format!("versions/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    versions.sort();
    assert_eq!(versions, [v1, v3]);
}

#[test]
fn a_dry_run_touches_nothing() {
    let (_t, projet, cible) = projet_construit("publier-essai");
    // On an absent target: it is not even created.
    let o = publie(&projet, &cible, &["--essai"]);
    reussit(&o);
    assert!(!cible.exists(), "l'essai ne crée rien");
    let n = site(&projet).len();
    assert!(stdout(&o).contains("à envoyer : index.html\n"));
    assert!(
        stdout(&o).ends_with(&format!(
            "0 fichier à supprimer, 0 inchangé sur {n} ; rien n'a été modifié dans {}\n",
            cible.display()
        )),
        "{}",
        stdout(&o)
    );

    reussit(&publie(&projet, &cible, &[]));
    std::fs::write(projet.join("public/index.html"), "changé").unwrap();
    std::fs::remove_file(projet.join("public/404.html")).unwrap();
    let avant = arbre(&cible);
    let o = publie(&projet, &cible, &["--essai"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        format!(
            "à envoyer : index.html\nà supprimer : 404.html\nessai : 1 fichier à envoyer (7\u{a0}octets), 1 fichier à supprimer, {} inchangés sur {} ; rien n'a été modifié dans {}\n",
            n - 2,
            n - 1,
            cible.display()
        )
    );
    assert_eq!(arbre(&cible), avant, "rien n'a bougé sur la cible");
}

#[test]
#[cfg(unix)]
fn a_publication_killed_mid_transfer_leaves_the_served_site_intact() {
    let (_t, projet, cible) = projet_construit("publier-tue");
    reussit(&publie(&projet, &cible, &[]));
    let servi_avant = servi(&cible);
    let v1 = courant(&cible);
    // Enough new data for the copy to last: 300 files of 1 MB.
    let gros = projet.join("public/gros");
    std::fs::create_dir_all(&gros).unwrap();
    for i in 0..300 {
        std::fs::write(gros.join(format!("{i:03}.bin")), vec![(i % 251) as u8; 1 << 20]).unwrap();
    }
    let mut enfant = std::process::Command::new(outils::binaire())
        .args(["publish", "--cible", cible.to_str().unwrap(), "--racine", projet.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once the new version folder holds some of the big files.
    let partiel = outils::attend_version_partielle(&cible, 20, std::time::Duration::from_secs(60));
    enfant.kill().unwrap();
    let statut = enfant.wait().unwrap();
    assert!(!statut.success(), "tué pendant l'envoi");
    assert!(partiel.exists(), "le dossier partiel reste après la mort du processus");
    // The served site is the old one, complete.
    assert_eq!(courant(&cible), v1);
    assert_eq!(servi(&cible), servi_avant);

    // The next publication removes the leftovers and publishes everything.
    let o = publie(&projet, &cible, &[]);
    reussit(&o);
    assert_eq!(servi(&cible), site(&projet));
    let restes: Vec<_> = std::fs::read_dir(cible.join("versions"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(restes.is_empty(), "restes : {restes:?}");
    let racine: Vec<String> = std::fs::read_dir(&cible)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(racine.iter().all(|n| !n.starts_with(".courant.neuf-")), "{racine:?}");
}

#[test]
fn unsafe_or_foreign_targets_are_refused() {
    let (t, projet, _cible) = projet_construit("publier-refus");
    let refus = |cible: &Path, code: i32, debut: &str| {
        let o = publie(&projet, cible, &[]);
        assert_eq!(o.status.code(), Some(code), "{}", stderr(&o));
        assert!(stderr(&o).starts_with(debut), "attendu : {debut}\nobtenu : {}", stderr(&o));
        assert!(
            stderr(&o).ends_with("publication annulée : la version servie n'a pas changé\n"),
            "{}",
            stderr(&o)
        );
    };
    refus(
        &projet,
        2,
        &format!("erreur[cible-refusee] : cible refusée : {} est le dossier du projet lui-même", projet.display()),
    );
    refus(&projet.join("data"), 2, "erreur[cible-refusee] : cible refusée : ");
    refus(
        &projet.join("extranet"),
        2,
        &format!(
            "erreur[cible-refusee] : cible refusée : {} est dans le dossier du projet",
            projet.join("extranet").display()
        ),
    );
    refus(&t.dir, 2, "erreur[cible-refusee] : cible refusée : ");
    refus(Path::new("/"), 2, "erreur[cible-refusee] : cible refusée : / est la racine du disque");
    // A folder of someone else's files: refused, and left exactly as it was.
    let autre = t.join("documents");
    std::fs::create_dir_all(&autre).unwrap();
    std::fs::write(autre.join("notes.txt"), "à garder").unwrap();
    refus(
        &autre,
        2,
        &format!(
            "erreur[cible-etrangere] : publication refusée : {} n'est pas vide et n'a pas été préparée par mutu",
            autre.display()
        ),
    );
    assert_eq!(fichiers(&autre).into_keys().collect::<Vec<_>>(), ["notes.txt"]);
    // Credentials and unsupported protocols.
    let o = mutu(&projet, &["publish", "--cible", "sftp://dgs:secret@extranet.example.fr/www"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("erreur[secret-dans-la-cible] : la cible contient un mot de passe (utilisateur:mot-de-passe@…)"),
        "{}",
        stderr(&o)
    );
    let o = mutu(&projet, &["publish", "--cible", "webdavs://marie:secret@intranet.example.fr/dav/mutu"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("erreur[secret-dans-la-cible] : la cible contient un mot de passe (utilisateur:mot-de-passe@…)\n  = aide : retirez-le : SFTP s'authentifie par l'agent SSH ou une clé (`--cle`), WebDAV par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie dans le terminal, jamais par un mot de passe écrit\n"),
        "{}",
        stderr(&o)
    );
    let o = mutu(&projet, &["publish", "--cible", "webdavs://intranet.example.fr"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("erreur[cible-invalide] : adresse WebDAV invalide : « webdavs://intranet.example.fr » (chemin absent)"),
        "{}",
        stderr(&o)
    );
    let o = mutu(&projet, &["publish", "--cible", "ftp://extranet.example.fr/www"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).starts_with("erreur[cible-invalide] : type de cible inconnu : « ftp:// »"),
        "{}",
        stderr(&o)
    );
    // No target at all.
    let o = mutu(&projet, &["publish"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).starts_with("erreur[cible-absente] : aucune cible de publication"), "{}", stderr(&o));
    // Nothing built.
    std::fs::remove_dir_all(projet.join("public")).unwrap();
    let o = publie(&projet, &t.join("extranet"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("erreur[rien-a-publier] : aucune construction à publier dans "),
        "{}",
        stderr(&o)
    );
    assert!(!t.join("extranet").exists());
}

#[test]
fn the_configured_target_is_used_and_built_first_on_request() {
    let (t, projet) = copie_exemple("publier-config");
    let cible = t.join("partage");
    outils::ajoute(&projet, "data/configuration.yaml", &format!("publication:\n  cible: \"{}\"\n", cible.display()));
    let o = mutu(&projet, &["publish", "--construire"]);
    reussit(&o);
    assert!(stdout(&o).contains("construction terminée : "), "{}", stdout(&o));
    assert!(stdout(&o).contains("publication terminée : "), "{}", stdout(&o));
    assert_eq!(servi(&cible), site(&projet));
    assert!(servi(&cible).keys().any(|k| k.ends_with(".pdf")), "--construire construit aussi le PDF");
}

/// A site built elsewhere (`build --sortie`) is published with the same
/// `--sortie`; without it, the project's empty public/ is said to hold no
/// build (before, no option could name the built folder).
#[test]
fn publishes_the_folder_build_wrote_with_sortie() {
    let (t, projet) = copie_exemple("publier-sortie");
    let ailleurs = t.join("construit");
    reussit(&mutu(&projet, &["build", "--sans-pdf", "--sortie", ailleurs.to_str().unwrap()]));
    let cible = t.join("extranet");
    let o = publie(&projet, &cible, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("erreur[rien-a-publier] : aucune construction à publier dans"),
        "{}",
        stderr(&o)
    );
    assert!(!cible.exists(), "rien n'a été créé");
    let o = publie(&projet, &cible, &["--sortie", ailleurs.to_str().unwrap()]);
    reussit(&o);
    assert_eq!(
        servi(&cible),
        outils::publiable(&ailleurs),
        "le dossier nommé par --sortie est celui qui est publié"
    );
}

/// `publish --construire --sortie` builds as `build --sortie` does: a
/// folder of the user's that mutu did not write is refused, and nothing in
/// it, in the target or in the project changes (it used to be replaced
/// whole, personal files included).
#[test]
fn building_before_publishing_never_replaces_a_folder_of_the_user() {
    let (t, projet) = copie_exemple("publier-construire-perso");
    let perso = t.join("mes-documents");
    std::fs::create_dir_all(&perso).unwrap();
    std::fs::write(perso.join("notes.txt"), "à garder").unwrap();
    let cible = t.join("extranet");
    let avant = arbre(&t.dir);
    let o = publie(&projet, &cible, &["--construire", "--sortie", perso.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("erreur[sortie-refusee]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("aucun fichier n'a été modifié"), "{}", stderr(&o));
    assert_eq!(arbre(&t.dir), avant, "rien n'a changé, ni le dossier, ni la cible, ni le projet");
    // The default public/, or a folder mutu wrote, is still built then published.
    reussit(&publie(&projet, &cible, &["--construire"]));
    assert_eq!(servi(&cible), site(&projet));
}

/// A publication target someone tampered with: `versions/` replaced by a
/// link to a folder of personal files, a version folder that is a link,
/// foreign names in `versions/` or at the root, `courant` made a real
/// folder. Each is refused by name, and nothing anywhere in the temporary
/// tree (the target, the linked folder, the project) changes; once the
/// target is mutu's own again, publishing works.
#[test]
#[cfg(unix)]
fn a_tampered_target_is_refused_and_nothing_anywhere_changes() {
    use std::os::unix::fs::symlink;
    let (t, projet, cible) = projet_construit("publier-hostile");
    reussit(&publie(&projet, &cible, &[]));
    let v1 = courant(&cible);
    // The next publication has something to do (and versions to remove).
    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>changé</title>").unwrap();
    let ailleurs = t.join("ailleurs");
    outils::dossier_personnel_factice(&ailleurs);
    let versions = cible.join("versions");
    let mises_de_cote = t.join("versions-de-cote");
    let refuse = |quoi: &str, retour: bool| {
        let avant = outils::instantane(&t.dir);
        for plus in [&[][..], &["--essai"][..]].into_iter().chain(retour.then_some(&["--retour"][..])) {
            let o = publie(&projet, &cible, plus);
            assert_eq!(o.status.code(), Some(1), "{plus:?} : {}", stderr(&o));
            assert!(
                stderr(&o).starts_with(&format!(
                    "erreur[cible-etrangere] : publication refusée : {} contient {quoi}, que mutu n'a pas créé\n  = aide : mutu ne supprime et ne modifie que ce qu'il a créé",
                    cible.display()
                )),
                "{plus:?} : {}",
                stderr(&o)
            );
            assert_eq!(outils::instantane(&t.dir), avant, "{quoi} ({plus:?}) : rien n'a changé dans l'arbre temporaire");
        }
    };

    // 1. versions/ is a link to someone's folder.
    std::fs::rename(&versions, &mises_de_cote).unwrap();
    symlink(&ailleurs, &versions).unwrap();
    refuse("« versions », qui est un lien symbolique et non un dossier", true);
    std::fs::remove_file(&versions).unwrap();
    std::fs::rename(&mises_de_cote, &versions).unwrap();

    // 2. A version folder (the one served, or an older one) that is a link.
    symlink(&ailleurs, versions.join("20200101-000000")).unwrap();
    refuse("« versions/20200101-000000 », qui est un lien symbolique et non un dossier", false);
    std::fs::remove_file(versions.join("20200101-000000")).unwrap();
    symlink(&ailleurs, versions.join(".20200101-000000.partiel")).unwrap();
    refuse("« versions/.20200101-000000.partiel », qui est un lien symbolique et non un dossier", false);
    std::fs::remove_file(versions.join(".20200101-000000.partiel")).unwrap();

    // 3. Foreign names inside versions/: a dot folder, a file.
    std::fs::create_dir_all(versions.join(".ssh")).unwrap();
    std::fs::write(versions.join(".ssh/id_rsa"), "clé").unwrap();
    refuse("« versions/.ssh » (un dossier)", true);
    std::fs::remove_dir_all(versions.join(".ssh")).unwrap();
    std::fs::write(versions.join("notes.txt"), "à garder").unwrap();
    refuse("« versions/notes.txt » (un fichier)", false);
    std::fs::remove_file(versions.join("notes.txt")).unwrap();

    // 4. A foreign folder at the root; `courant` made a real folder.
    std::fs::create_dir_all(cible.join("Documents")).unwrap();
    refuse("« Documents » (un dossier)", false);
    std::fs::remove_dir_all(cible.join("Documents")).unwrap();
    std::fs::remove_file(cible.join("courant")).unwrap();
    std::fs::create_dir_all(cible.join("courant")).unwrap();
    std::fs::write(cible.join("courant/notes.txt"), "à garder").unwrap();
    refuse("« courant », qui est un dossier et non un lien symbolique", false);
    std::fs::remove_dir_all(cible.join("courant")).unwrap();
    symlink(&v1, cible.join("courant")).unwrap();

    // mutu's own layout again: published, and the linked folder untouched.
    let ailleurs_avant = outils::instantane(&ailleurs);
    let o = publie(&projet, &cible, &[]);
    reussit(&o);
    assert_eq!(servi(&cible), site(&projet));
    assert_ne!(courant(&cible), v1);
    assert_eq!(outils::instantane(&ailleurs), ailleurs_avant);
}

/// An SFTP address whose host or user would be read as an option of the
/// system's `sftp` (`-D` runs a program) is refused by `publish` before any
/// command runs, and by `check` in data/configuration.yaml, at its line.
#[test]
#[cfg(unix)]
fn an_address_read_as_an_option_runs_nothing_and_check_refuses_it() {
    use std::os::unix::fs::PermissionsExt;
    let (t, projet, _cible) = projet_construit("publier-option");
    let bin = t.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let temoin = t.join("evilprog-lance");
    std::fs::write(bin.join("evilprog"), format!("#!/bin/sh\ntouch '{}'\n", temoin.display())).unwrap();
    std::fs::set_permissions(bin.join("evilprog"), std::fs::Permissions::from_mode(0o755)).unwrap();
    let chemin = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    for (cible, quoi) in [
        (
            "sftp://-Devilprog/www/x",
            "hôte invalide : il commence par un tiret, qui le ferait lire comme une option de la commande",
        ),
        (
            "sftp://-oProxyCommand=evilprog@hote/www/x",
            "utilisateur invalide : il commence par un tiret, qui le ferait lire comme une option de la commande",
        ),
    ] {
        let o = std::process::Command::new(outils::binaire())
            .args(["publish", "--essai", "--cible", cible, "--racine", projet.to_str().unwrap()])
            .env("PATH", &chemin)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).starts_with(&format!("erreur[cible-invalide] : adresse SFTP invalide : « {cible} » ({quoi})")),
            "{}",
            stderr(&o)
        );
        assert!(!temoin.exists(), "{cible} : aucun programme lancé");
    }
    outils::ajoute(&projet, "data/configuration.yaml", "publication:\n  cible: \"sftp://-Devilprog/www/x\"\n");
    let ligne = std::fs::read_to_string(projet.join("data/configuration.yaml")).unwrap().lines().count();
    let o = mutu(&projet, &["check"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("erreur[cible-invalide] : adresse SFTP invalide : « sftp://-Devilprog/www/x » (hôte invalide : il commence par un tiret, qui le ferait lire comme une option de la commande)"),
        "{err}"
    );
    assert!(err.contains(&format!("data/configuration.yaml:{ligne}:")), "{err}");
}
