//! `mutu publish` to a real OpenSSH server: the test starts `sshd` on
//! 127.0.0.1 with temporary host and client keys (Debian package
//! `openssh-server`), publishes the example, changes it, goes back, kills a
//! publication midway, and checks each ssh failure's French diagnostic.
//! Without `/usr/sbin/sshd` the tests say so and pass without checking.

use crate::outils;

use outils::{copie_exemple, mutu, reussit, servi, stderr, stdout, Temp};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

const SSHD: &str = "/usr/sbin/sshd";

/// An sshd of the test, stopped on drop.
struct Serveur {
    t: Temp,
    port: u16,
    sshd: Child,
    utilisateur: String,
}

fn port_libre() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn cle(chemin: &Path) {
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(chemin)
        .output()
        .unwrap();
    assert!(o.status.success());
}

impl Serveur {
    fn demarrer(nom: &str) -> Option<Serveur> {
        if !Path::new(SSHD).exists() {
            eprintln!("{SSHD} absent (paquet openssh-server) : test SFTP non exécuté");
            return None;
        }
        let t = Temp::new(nom);
        cle(&t.join("hote"));
        cle(&t.join("client"));
        cle(&t.join("autre-client"));
        cle(&t.join("autre-hote"));
        std::fs::copy(t.join("client.pub"), t.join("authorized_keys")).unwrap();
        let port = port_libre();
        let d = t.dir.display();
        std::fs::write(
            t.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/hote\nAuthorizedKeysFile {d}/authorized_keys\nPasswordAuthentication no\n\
KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\nUsePAM no\nPidFile {d}/sshd.pid\nSubsystem sftp internal-sftp\n"
            ),
        )
        .unwrap();
        let _ = std::fs::create_dir_all("/run/sshd");
        let sshd = Command::new(SSHD)
            .arg("-D")
            .arg("-f")
            .arg(t.join("sshd_config"))
            .arg("-E")
            .arg(t.join("log"))
            .spawn()
            .unwrap();
        let utilisateur = String::from_utf8(Command::new("id").arg("-un").output().unwrap().stdout)
            .unwrap()
            .trim()
            .to_string();
        let hote = std::fs::read_to_string(t.join("hote.pub")).unwrap();
        let hote: Vec<&str> = hote.split_whitespace().take(2).collect();
        std::fs::write(t.join("known_hosts"), format!("[127.0.0.1]:{port} {}\n", hote.join(" "))).unwrap();
        let s = Serveur { t, port, sshd, utilisateur };
        s.config("ssh_config", "known_hosts", "client");
        // Wait until it listens.
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(s);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!("sshd ne démarre pas : {}", std::fs::read_to_string(s.t.join("log")).unwrap_or_default());
    }

    /// An ssh configuration file naming the known hosts and the key.
    fn config(&self, nom: &str, known_hosts: &str, cle: &str) -> PathBuf {
        let p = self.t.join(nom);
        std::fs::write(
            &p,
            format!(
                "Host *\n  UserKnownHostsFile {}\n  IdentityFile {}\n  IdentitiesOnly yes\n",
                self.t.join(known_hosts).display(),
                self.t.join(cle).display()
            ),
        )
        .unwrap();
        p
    }

    fn cible(&self, chemin: &Path) -> String {
        format!("sftp://{}@127.0.0.1:{}{}", self.utilisateur, self.port, chemin.display())
    }

    fn publie(&self, projet: &Path, chemin: &Path, plus: &[&str]) -> Output {
        self.publie_avec(projet, &self.cible(chemin), "ssh_config", plus)
    }

    fn publie_avec(&self, projet: &Path, cible: &str, config: &str, plus: &[&str]) -> Output {
        Command::new(outils::binaire())
            .args(["publish", "--cible", cible, "--racine", projet.to_str().unwrap()])
            .args(plus)
            .env("MUTU_SSH_CONFIG", self.t.join(config))
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap()
    }
}

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.sshd.kill();
        let _ = self.sshd.wait();
    }
}

/// The project's built site as it must be served.
fn site(projet: &Path) -> BTreeMap<String, Vec<u8>> {
    outils::publiable(&projet.join("public"))
}

fn courant(racine: &Path) -> String {
    std::fs::read_link(racine.join("courant")).unwrap().to_string_lossy().into_owned()
}

#[test]
fn publishes_changes_and_goes_back_over_sftp() {
    let Some(s) = Serveur::demarrer("sftp-serveur") else { return };
    let (t, projet) = copie_exemple("sftp-publie");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = t.join("serveur/mutualisation");
    std::fs::create_dir_all(racine.parent().unwrap()).unwrap();
    let o = s.publie(&projet, &racine, &[]);
    reussit(&o);
    let n = site(&projet).len();
    assert!(
        stdout(&o).starts_with(&format!("publication terminée : {n} fichiers envoyés (")),
        "{}",
        stdout(&o)
    );
    assert_eq!(servi(&racine), site(&projet), "chaque fichier est sur le serveur, à l'identique");
    let v1 = courant(&racine);

    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>nouvelle page d'accueil</title>").unwrap();
    std::fs::remove_file(projet.join("public/404.html")).unwrap();
    let o = s.publie(&projet, &racine, &["--essai"]);
    reussit(&o);
    assert!(
        stdout(&o).starts_with("à envoyer : index.html\nà supprimer : 404.html\nessai : 1 fichier à envoyer (53\u{a0}octets), 1 fichier à supprimer, "),
        "{}",
        stdout(&o)
    );
    assert_eq!(courant(&racine), v1);
    let o = s.publie(&projet, &racine, &[]);
    reussit(&o);
    assert!(
        stdout(&o).starts_with(&format!(
            "publication terminée : 1 fichier envoyé (53\u{a0}octets), 1 fichier supprimé, {} inchangés en ",
            n - 2
        )),
        "{}",
        stdout(&o)
    );
    let v2 = courant(&racine);
    assert_ne!(v1, v2);
    assert_eq!(servi(&racine), site(&projet));
    {
        use std::os::unix::fs::MetadataExt;
        let ino = |v: &str| std::fs::metadata(racine.join(v).join("static/style.css")).unwrap().ino();
        assert_eq!(ino(&v1), ino(&v2), "un fichier inchangé est lié sur le serveur, pas renvoyé");
    }
    let o = s.publie(&projet, &racine, &["--retour"]);
    reussit(&o);
    assert_eq!(courant(&racine), v1);
    assert!(!servi(&racine).is_empty());
    assert!(racine.join("courant/404.html").is_file());
}

#[test]
fn a_publication_killed_midway_leaves_the_served_site_intact() {
    let Some(s) = Serveur::demarrer("sftp-tue") else { return };
    let (t, projet) = copie_exemple("sftp-tue");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = t.join("mutualisation");
    reussit(&s.publie(&projet, &racine, &[]));
    let avant = servi(&racine);
    let v1 = courant(&racine);
    let gros = projet.join("public/gros");
    std::fs::create_dir_all(&gros).unwrap();
    for i in 0..200 {
        std::fs::write(gros.join(format!("{i:03}.bin")), vec![(i % 251) as u8; 1 << 20]).unwrap();
    }
    let mut enfant = Command::new(outils::binaire())
        .args(["publish", "--cible", &s.cible(&racine), "--racine", projet.to_str().unwrap()])
        .env("MUTU_SSH_CONFIG", s.t.join("ssh_config"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partiel = outils::attend_version_partielle(&racine, 10, std::time::Duration::from_secs(120));
    enfant.kill().unwrap();
    assert!(!enfant.wait().unwrap().success());
    // The transfer dies with mutu: the partial folder stops growing.
    std::thread::sleep(std::time::Duration::from_millis(500));
    let compte = partiel.join("gros").read_dir().unwrap().count();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(partiel.join("gros").read_dir().unwrap().count(), compte, "sftp s'arrête avec mutu");
    assert!(compte < 200);
    assert_eq!(courant(&racine), v1);
    assert_eq!(servi(&racine), avant, "le site servi est l'ancien, complet");

    let o = s.publie(&projet, &racine, &[]);
    reussit(&o);
    assert_eq!(servi(&racine), site(&projet));
    let restes: Vec<_> = std::fs::read_dir(racine.join("versions"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(restes.is_empty(), "restes : {restes:?}");
}

#[test]
fn each_ssh_failure_has_its_diagnostic_and_publishes_nothing() {
    let Some(s) = Serveur::demarrer("sftp-echecs") else { return };
    let (t, projet) = copie_exemple("sftp-echecs");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = t.join("mutualisation");
    let echec = |o: &Output, debut: &str| {
        assert_eq!(o.status.code(), Some(1), "{}", stderr(o));
        assert!(stderr(o).starts_with(debut), "attendu : {debut}\nobtenu : {}", stderr(o));
        assert!(stderr(o).ends_with("publication annulée : la version servie n'a pas changé\n"));
    };
    std::fs::write(s.t.join("vide"), "").unwrap();
    s.config("inconnu", "vide", "client");
    echec(
        &s.publie_avec(&projet, &s.cible(&racine), "inconnu", &[]),
        "erreur[hote-inconnu] : la clé du serveur 127.0.0.1 n'est pas connue de cet ordinateur (known_hosts) : connexion refusée\n  = aide : connectez-vous une fois à la main avec `ssh 127.0.0.1`",
    );
    let autre = std::fs::read_to_string(s.t.join("autre-hote.pub")).unwrap();
    let autre: Vec<&str> = autre.split_whitespace().take(2).collect();
    std::fs::write(s.t.join("faux"), format!("[127.0.0.1]:{} {}\n", s.port, autre.join(" "))).unwrap();
    s.config("change", "faux", "client");
    echec(
        &s.publie_avec(&projet, &s.cible(&racine), "change", &[]),
        "erreur[cle-hote-changee] : la clé du serveur 127.0.0.1 a changé depuis la dernière connexion : connexion refusée",
    );
    s.config("refuse", "known_hosts", "autre-client");
    echec(
        &s.publie_avec(&projet, &s.cible(&racine), "refuse", &[]),
        "erreur[authentification-refusee] : le serveur 127.0.0.1 refuse l'authentification",
    );
    let ferme = format!("sftp://{}@127.0.0.1:{}{}", s.utilisateur, port_libre(), racine.display());
    echec(
        &s.publie_avec(&projet, &ferme, "ssh_config", &[]),
        "erreur[connexion-refusee] : le serveur 127.0.0.1 refuse la connexion",
    );
    echec(
        &s.publie_avec(&projet, "sftp://dgs@serveur-qui-n-existe-pas.invalid/www", "ssh_config", &[]),
        "erreur[hote-introuvable] : serveur introuvable : serveur-qui-n-existe-pas.invalid",
    );
    assert!(!racine.exists(), "rien n'a été publié");
    // A folder the account may not write (/sys refuses even root).
    echec(
        &s.publie_avec(&projet, &s.cible(Path::new("/sys/mutu")), "ssh_config", &[]),
        &format!(
            "erreur[permission-refusee] : le serveur refuse l'écriture dans {} : ",
            s.cible(Path::new("/sys/mutu"))
        ),
    );
}

/// The tampered target of tests/publier.rs, over SFTP: `versions/` a link
/// to someone's folder (the listing says `l`), a version folder that is a
/// link, foreign names in `versions/`, and a name holding a line break and
/// accented letters (which once made the listing parser panic). Each is
/// refused by name before anything is written, and nothing in the whole
/// temporary tree changes.
#[test]
fn a_tampered_target_is_refused_over_sftp_and_nothing_anywhere_changes() {
    use std::os::unix::fs::symlink;
    let Some(s) = Serveur::demarrer("sftp-hostile") else { return };
    let (t, projet) = copie_exemple("sftp-hostile");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = t.join("mutualisation");
    reussit(&s.publie(&projet, &racine, &[]));
    let v1 = courant(&racine);
    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>changé</title>").unwrap();
    let ailleurs = t.join("ailleurs");
    outils::dossier_personnel_factice(&ailleurs);
    let versions = racine.join("versions");
    let refuse = |code: &str, message: &str| {
        let avant = outils::instantane(&t.dir);
        for plus in [&[][..], &["--essai"][..], &["--retour"][..]] {
            let o = s.publie(&projet, &racine, plus);
            assert_eq!(o.status.code(), Some(1), "{plus:?} : {}", stderr(&o));
            assert!(
                stderr(&o).starts_with(&format!("erreur[{code}] : {message}")),
                "{plus:?}\nattendu : {message}\nobtenu : {}",
                stderr(&o)
            );
            assert_eq!(outils::instantane(&t.dir), avant, "{message} ({plus:?}) : rien n'a changé");
        }
    };
    let etrangere = |quoi: &str| format!("publication refusée : {} contient {quoi}, que mutu n'a pas créé", s.cible(&racine));

    std::fs::rename(&versions, t.join("de-cote")).unwrap();
    symlink(&ailleurs, &versions).unwrap();
    refuse("cible-etrangere", &etrangere("« versions », qui est un lien symbolique et non un dossier"));
    std::fs::remove_file(&versions).unwrap();
    std::fs::rename(t.join("de-cote"), &versions).unwrap();

    symlink(&ailleurs, versions.join("20200101-000000")).unwrap();
    refuse(
        "cible-etrangere",
        &etrangere("« versions/20200101-000000 », qui est un lien symbolique et non un dossier"),
    );
    std::fs::remove_file(versions.join("20200101-000000")).unwrap();

    std::fs::create_dir_all(versions.join(".ssh")).unwrap();
    std::fs::write(versions.join(".ssh/id_rsa"), "clé").unwrap();
    refuse("cible-etrangere", &etrangere("« versions/.ssh » (un dossier)"));
    std::fs::remove_dir_all(versions.join(".ssh")).unwrap();

    // A line break, then ten bytes whose tenth is inside « é ».
    let nom = "x\nabcdefghiééé";
    std::fs::write(versions.join(nom), "à garder").unwrap();
    refuse("listage-illisible", "le serveur liste un nom que mutu ne sait pas lire : « abcdefghiééé »");
    std::fs::remove_file(versions.join(nom)).unwrap();

    let perso = outils::instantane(&ailleurs);
    let o = s.publie(&projet, &racine, &[]);
    reussit(&o);
    assert_eq!(servi(&racine), site(&projet));
    assert_ne!(courant(&racine), v1);
    assert_eq!(outils::instantane(&ailleurs), perso);
}
