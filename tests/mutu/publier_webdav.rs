//! `mutu publish` to a real WebDAV server: the test starts Apache with
//! mod_dav (Debian package `apache2`) on 127.0.0.1 with its own minimal
//! configuration and a temporary folder, publishes the example, changes
//! it, goes back, kills a publication midway, and checks each failure's
//! French diagnostic. The site is read back over HTTP from the same
//! server, as a reader would. Without `/usr/sbin/apache2` the tests say so
//! and pass without checking.

use crate::outils;

use outils::{copie_exemple, mutu, reussit, servi, stderr, stdout, Temp};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

const APACHE: &str = "/usr/sbin/apache2";
const MODULES: &str = "/usr/lib/apache2/modules";
const MOT_DE_PASSE: &str = "mot de passe \"à\" l'essai";

/// An Apache of the test, stopped on drop. Locations: `/dav` (WebDAV,
/// basic authentication of `marie`), `/lecture` (WebDAV, writing
/// forbidden: 403), `/statique` (no WebDAV: 405 to PROPFIND), `/site` (the
/// same folder served read-only, as the extranet's web server would),
/// `/petit` (WebDAV on the folder `petit`, where a test mounts a small disk).
struct Serveur {
    t: Temp,
    port: u16,
    /// HTTPS, with a self-signed certificate (`certificat.pem`).
    port_tls: u16,
    apache: Child,
    /// The folder behind `/dav`, `/lecture`, `/statique` and `/site`.
    dav: PathBuf,
}

fn port_libre() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn est_root() -> bool {
    String::from_utf8(Command::new("id").arg("-u").output().unwrap().stdout).unwrap().trim() == "0"
}

impl Serveur {
    fn demarrer(nom: &str) -> Option<Serveur> {
        if !Path::new(APACHE).exists() {
            eprintln!("{APACHE} absent (paquet apache2) : test WebDAV non exécuté");
            return None;
        }
        let t = Temp::new(nom);
        let dav = t.join("dav");
        std::fs::create_dir_all(&dav).unwrap();
        std::fs::create_dir_all(t.join("verrous")).unwrap();
        std::fs::create_dir_all(t.join("petit")).unwrap();
        let o = Command::new("htpasswd")
            .args(["-b", "-c", "-B"])
            .arg(t.join("utilisateurs"))
            .args(["marie", MOT_DE_PASSE])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        // Started as root, Apache's workers run as www-data: they must write the folder.
        let root = est_root();
        if root {
            for d in [&dav, &t.join("verrous")] {
                assert!(Command::new("chown").args(["www-data:www-data"]).arg(d).status().unwrap().success());
            }
        }
        let (port, port_tls) = (port_libre(), port_libre());
        let o = Command::new("openssl")
            .args([
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
                "-keyout",
            ])
            .arg(t.join("cle.pem"))
            .arg("-out")
            .arg(t.join("certificat.pem"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let d = t.dir.display();
        let modules: String = [
            "mpm_event",
            "authn_core",
            "authn_file",
            "authz_core",
            "authz_user",
            "auth_basic",
            "dav",
            "dav_fs",
            "dir",
            "mime",
            "alias",
            "socache_shmcb",
            "ssl",
        ]
        .iter()
        .map(|m| format!("LoadModule {m}_module {MODULES}/mod_{m}.so\n"))
        .collect();
        let utilisateur = if root { "User www-data\nGroup www-data\n" } else { "" };
        std::fs::write(
            t.join("httpd.conf"),
            format!(
                "ServerRoot {d}\nListen 127.0.0.1:{port}\nServerName 127.0.0.1\n{modules}{utilisateur}\
PidFile {d}/httpd.pid\nDefaultRuntimeDir {d}\nErrorLog {d}/erreurs.log\nLogFormat \"%m %U %>s\" court\nCustomLog {d}/acces.log court\n\
TypesConfig /etc/mime.types\nDavLockDB {d}/verrous/db\n\
<Directory />\n  Require all granted\n</Directory>\n\
Alias /dav {d}/dav\nAlias /lecture {d}/dav\nAlias /statique {d}/dav\nAlias /site {d}/dav\nAlias /petit {d}/petit\n\
<Location /petit>\n  Dav On\n  DirectoryIndex disabled\n</Location>\n\
<Location /dav>\n  Dav On\n  DirectoryIndex disabled\n  AuthType Basic\n  AuthName mutu\n  AuthUserFile {d}/utilisateurs\n  Require valid-user\n</Location>\n\
<Location /lecture>\n  Dav On\n  DirectoryIndex disabled\n  <LimitExcept GET HEAD OPTIONS PROPFIND>\n    Require all denied\n  </LimitExcept>\n</Location>\n\
<Location /site>\n  DirectoryIndex index.html\n</Location>\n\
Listen 127.0.0.1:{port_tls}\n<VirtualHost 127.0.0.1:{port_tls}>\n  SSLEngine on\n  SSLCertificateFile {d}/certificat.pem\n  SSLCertificateKeyFile {d}/cle.pem\n</VirtualHost>\n"
            ),
        )
        .unwrap();
        let apache = Command::new(APACHE).arg("-f").arg(t.join("httpd.conf")).arg("-DFOREGROUND").spawn().unwrap();
        let s = Serveur {
            t,
            port,
            port_tls,
            apache,
            dav,
        };
        for _ in 0..250 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Some(s);
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        panic!(
            "apache ne démarre pas : {}",
            std::fs::read_to_string(s.t.join("erreurs.log")).unwrap_or_default()
        );
    }

    fn cible(&self, lieu: &str) -> String {
        format!("webdav://marie@127.0.0.1:{}/{lieu}", self.port)
    }

    fn publie(&self, projet: &Path, plus: &[&str]) -> Output {
        self.publie_avec(projet, &self.cible("dav/mutualisation"), MOT_DE_PASSE, plus)
    }

    fn publie_avec(&self, projet: &Path, cible: &str, mot_de_passe: &str, plus: &[&str]) -> Output {
        self.publie_env(projet, cible, mot_de_passe, plus, &[])
    }

    fn publie_env(&self, projet: &Path, cible: &str, mot_de_passe: &str, plus: &[&str], env: &[(&str, &Path)]) -> Output {
        let mut c = Command::new(outils::binaire());
        c.args(["publish", "--cible", cible, "--racine", projet.to_str().unwrap()])
            .args(plus)
            .env("LC_ALL", "C.UTF-8")
            .env_remove("MUTU_WEBDAV_UTILISATEUR")
            .env_remove("CURL_CA_BUNDLE");
        for (k, v) in env {
            c.env(k, v);
        }
        if mot_de_passe.is_empty() {
            c.env_remove("MUTU_WEBDAV_MOT_DE_PASSE");
        } else {
            c.env("MUTU_WEBDAV_MOT_DE_PASSE", mot_de_passe);
        }
        c.output().unwrap()
    }

    /// The request lines of the access log (`METHOD /path status`) since the last call.
    fn requetes(&self) -> Vec<String> {
        let p = self.t.join("acces.log");
        let texte = std::fs::read_to_string(&p).unwrap_or_default();
        std::fs::write(&p, "").unwrap();
        texte.lines().map(str::to_string).collect()
    }

    /// Every file of `fichiers` read over HTTP under `/site/mutualisation/courant/`,
    /// in one curl process.
    fn lit_par_http(&self, noms: &[&String]) -> BTreeMap<String, Vec<u8>> {
        let dossier = self.t.join("lu");
        let _ = std::fs::remove_dir_all(&dossier);
        std::fs::create_dir_all(&dossier).unwrap();
        let mut config = String::from("globoff\n");
        for (i, n) in noms.iter().enumerate() {
            config.push_str(&format!(
                "{}url = \"http://127.0.0.1:{}/site/mutualisation/courant/{}\"\noutput = \"{}/{i}\"\nfail\n",
                if i > 0 { "next\n" } else { "" },
                self.port,
                n.replace(' ', "%20"),
                dossier.display()
            ));
        }
        let mut enfant = Command::new("curl")
            .args(["-s", "-K", "-"])
            .stdin(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut enfant.stdin.take().unwrap(), config.as_bytes()).unwrap();
        assert!(enfant.wait().unwrap().success(), "une page ne répond pas par HTTP");
        noms.iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), std::fs::read(dossier.join(i.to_string())).unwrap()))
            .collect()
    }
}

impl Drop for Serveur {
    fn drop(&mut self) {
        // TERM lets the parent stop its workers (KILL would leave them listening).
        let _ = Command::new("kill").arg("-TERM").arg(self.apache.id().to_string()).status();
        for _ in 0..250 {
            if self.apache.try_wait().ok().flatten().is_some() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.apache.kill();
        let _ = self.apache.wait();
    }
}

/// The project's built site as it must be served.
fn site(projet: &Path) -> BTreeMap<String, Vec<u8>> {
    outils::publiable(&projet.join("public"))
}

/// The id of the served version, from its manifest.
fn courant(racine: &Path) -> String {
    let m = std::fs::read_to_string(racine.join("courant/.mutu-manifeste")).unwrap();
    m.lines().find_map(|l| l.strip_prefix("version ")).unwrap().to_string()
}

/// How many of `lignes` start with `debut`.
fn compte(lignes: &[String], debut: &str) -> usize {
    lignes.iter().filter(|l| l.starts_with(debut)).count()
}

#[test]
fn publishes_changes_and_goes_back_over_webdav() {
    let Some(s) = Serveur::demarrer("webdav-serveur") else { return };
    let (_t, projet) = copie_exemple("webdav-publie");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = s.dav.join("mutualisation");
    let o = s.publie(&projet, &[]);
    reussit(&o);
    let n = site(&projet).len();
    assert!(
        stdout(&o).starts_with(&format!("publication terminée : {n} fichiers envoyés (")),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains(&format!("→ {} (version ", s.cible("dav/mutualisation"))), "{}", stdout(&o));
    assert_eq!(servi(&racine), site(&projet), "chaque fichier est sur le serveur, à l'identique");
    let premier = site(&projet);
    let noms: Vec<&String> = premier.keys().collect();
    assert_eq!(s.lit_par_http(&noms), premier, "et chacun se lit par HTTP");
    let requetes = s.requetes();
    assert_eq!(compte(&requetes, "PUT "), n + 2, "le site, son manifeste, le marqueur : {requetes:?}");
    let v1 = courant(&racine);

    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>nouvelle page d'accueil</title>").unwrap();
    std::fs::remove_file(projet.join("public/404.html")).unwrap();
    let o = s.publie(&projet, &["--essai"]);
    reussit(&o);
    assert!(
        stdout(&o).starts_with("à envoyer : index.html\nà supprimer : 404.html\nessai : 1 fichier à envoyer (53\u{a0}octets), 1 fichier à supprimer, "),
        "{}",
        stdout(&o)
    );
    let requetes = s.requetes();
    assert!(
        requetes.iter().all(|l| l.starts_with("PROPFIND ") || l.starts_with("GET ")),
        "l'essai ne fait que lire : {requetes:?}"
    );
    assert_eq!(courant(&racine), v1);
    let o = s.publie(&projet, &[]);
    reussit(&o);
    assert!(
        stdout(&o).starts_with(&format!(
            "publication terminée : 1 fichier envoyé (53\u{a0}octets), 1 fichier supprimé, {} inchangés en ",
            n - 2
        )),
        "{}",
        stdout(&o)
    );
    let requetes = s.requetes();
    let puts: Vec<&String> = requetes.iter().filter(|l| l.starts_with("PUT ")).collect();
    assert_eq!(puts.len(), 2, "seuls index.html et le manifeste voyagent : {puts:?}");
    assert!(
        puts.iter()
            .any(|l| l.ends_with(".partiel/index.html 201") || l.ends_with(".partiel/index.html 204")),
        "{puts:?}"
    );
    assert_eq!(compte(&requetes, "COPY "), 1, "le reste est copié sur le serveur : {requetes:?}");
    let v2 = courant(&racine);
    assert_ne!(v1, v2);
    assert_eq!(servi(&racine), site(&projet));
    assert!(!racine.join("courant/404.html").exists(), "le fichier retiré du site est retiré du serveur");
    assert!(
        racine.join("versions").join(&v1).join("404.html").is_file(),
        "la version précédente reste complète"
    );
    let o = s.publie(&projet, &["--retour"]);
    reussit(&o);
    assert_eq!(
        stdout(&o),
        format!(
            "retour effectué : {} sert la version {v1} (la version {v2} reste sur la cible jusqu'à la prochaine publication)\n",
            s.cible("dav/mutualisation")
        )
    );
    assert_eq!(courant(&racine), v1);
    assert_eq!(servi(&racine), premier);
    assert_eq!(s.lit_par_http(&noms), premier, "la première version répond de nouveau par HTTP, entière");
    let o = s.publie(&projet, &["--retour"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with(&format!("erreur[retour-impossible] : aucune version précédente de {v1} dans ")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_publication_killed_midway_leaves_the_served_site_intact() {
    let Some(s) = Serveur::demarrer("webdav-tue") else { return };
    let (t, projet) = copie_exemple("webdav-tue");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = s.dav.join("mutualisation");
    reussit(&s.publie(&projet, &[]));
    let avant = servi(&racine);
    let v1 = courant(&racine);
    let gros = projet.join("public/gros");
    std::fs::create_dir_all(&gros).unwrap();
    for i in 0..200 {
        std::fs::write(gros.join(format!("{i:03}.bin")), vec![(i % 251) as u8; 1 << 20]).unwrap();
    }
    let mut enfant = Command::new(outils::binaire())
        .args(["publish", "--cible", &s.cible("dav/mutualisation"), "--racine", projet.to_str().unwrap()])
        .env("MUTU_WEBDAV_MOT_DE_PASSE", MOT_DE_PASSE)
        // A killed mutu leaves its temporary folder: inside the test's, removed with it.
        .env("TMPDIR", t.join(""))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partiel = outils::attend_version_partielle(&racine, 10, std::time::Duration::from_secs(120));
    enfant.kill().unwrap();
    assert!(!enfant.wait().unwrap().success());
    // curl dies with mutu: the partial folder stops growing (Apache's own
    // temporary files of aborted uploads aside).
    let envoyes = || {
        partiel
            .join("gros")
            .read_dir()
            .map(|d| d.flatten().filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
            .unwrap_or(0)
    };
    std::thread::sleep(std::time::Duration::from_millis(500));
    let n = envoyes();
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(envoyes(), n, "curl s'arrête avec mutu");
    assert!(n < 200);
    assert_eq!(courant(&racine), v1);
    assert_eq!(servi(&racine), avant, "le site servi est l'ancien, complet");
    let noms: Vec<&String> = avant.keys().collect();
    assert_eq!(s.lit_par_http(&noms), avant, "et il répond par HTTP, intact");

    s.requetes();
    let o = s.publie(&projet, &[]);
    reussit(&o);
    assert_eq!(servi(&racine), site(&projet));
    let restes: Vec<_> = std::fs::read_dir(racine.join("versions"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    assert!(restes.is_empty(), "restes : {restes:?}");
    let requetes = s.requetes();
    assert!(
        requetes
            .iter()
            .any(|l| l.starts_with("DELETE /dav/mutualisation/versions/.") && l.ends_with(".partiel/ 204")),
        "la publication suivante efface le dossier partiel : {requetes:?}"
    );
}

#[test]
fn each_webdav_failure_has_its_diagnostic_and_publishes_nothing() {
    let Some(s) = Serveur::demarrer("webdav-echecs") else { return };
    let (_t, projet) = copie_exemple("webdav-echecs");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let echec = |o: &Output, code: i32, attendu: &str| {
        assert_eq!(o.status.code(), Some(code), "{}", stderr(o));
        assert_eq!(
            stderr(o),
            format!("{attendu}\n\npublication annulée : la version servie n'a pas changé\n"),
            "obtenu :\n{}",
            stderr(o)
        );
    };
    let cible = s.cible("dav/mutualisation");
    echec(
        &s.publie_avec(&projet, &cible, "faux", &[]),
        1,
        "erreur[authentification-refusee] : le serveur 127.0.0.1 refuse l'authentification (HTTP 401)\n  = aide : vérifiez l'utilisateur (dans l'adresse, utilisateur@hote, ou la variable MUTU_WEBDAV_UTILISATEUR) et le mot de passe (la variable MUTU_WEBDAV_MOT_DE_PASSE, ou saisi quand mutu le demande)",
    );
    echec(
        &s.publie_avec(&projet, &cible, "", &[]),
        2,
        "erreur[mot-de-passe-absent] : aucun mot de passe WebDAV pour marie : la variable MUTU_WEBDAV_MOT_DE_PASSE n'est pas définie et mutu ne peut pas le demander (pas de terminal)\n  = aide : définissez MUTU_WEBDAV_MOT_DE_PASSE dans l'environnement de la commande (jamais dans le projet), ou lancez mutu dans un terminal : il demandera le mot de passe sans l'afficher",
    );
    let ferme = format!("webdav://marie@127.0.0.1:{}/dav/mutualisation", port_libre());
    echec(
        &s.publie_avec(&projet, &ferme, MOT_DE_PASSE, &[]),
        1,
        "erreur[connexion-refusee] : le serveur 127.0.0.1 refuse la connexion\n  = aide : vérifiez le port (webdavs://hote:PORT/chemin), que le service WebDAV est ouvert, et la connexion au réseau",
    );
    echec(
        &s.publie_avec(&projet, "webdavs://marie@serveur-qui-n-existe-pas.invalid/dav", MOT_DE_PASSE, &[]),
        1,
        "erreur[hote-introuvable] : serveur introuvable : serveur-qui-n-existe-pas.invalid\n  = aide : vérifiez le nom du serveur dans la cible, et la connexion au réseau",
    );
    let lecture = s.cible("lecture/mutualisation");
    echec(
        &s.publie_avec(&projet, &lecture, MOT_DE_PASSE, &[]),
        1,
        &format!("erreur[permission-refusee] : le serveur refuse MKCOL /lecture/mutualisation/ dans {lecture} (HTTP 403)\n  = aide : vérifiez que le compte a le droit d'écrire dans ce dossier WebDAV"),
    );
    let statique = s.cible("statique/mutualisation");
    echec(
        &s.publie_avec(&projet, &statique, MOT_DE_PASSE, &[]),
        1,
        &format!("erreur[serveur-non-webdav] : {statique} n'est pas un dossier WebDAV : le serveur a répondu 405 à PROPFIND\n  = aide : vérifiez l'adresse du dossier WebDAV (celle que donne la plateforme pour « connecter un lecteur réseau ») : l'adresse d'un site web ordinaire ne permet pas d'écrire"),
    );
    assert_eq!(std::fs::read_dir(&s.dav).unwrap().count(), 0, "rien n'a été publié");
    let requetes = s.requetes();
    assert!(
        requetes.iter().all(|l| !l.starts_with("PUT ") && !l.starts_with("MOVE ")),
        "aucun fichier envoyé : {requetes:?}"
    );
}

#[test]
fn webdavs_checks_the_server_certificate() {
    let Some(s) = Serveur::demarrer("webdav-tls") else { return };
    let (_t, projet) = copie_exemple("webdav-tls");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let cible = format!("webdavs://marie@127.0.0.1:{}/dav/mutualisation", s.port_tls);
    let o = s.publie_avec(&projet, &cible, MOT_DE_PASSE, &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(
        stderr(&o).starts_with(
            "erreur[certificat-non-reconnu] : le certificat TLS du serveur 127.0.0.1 n'est pas reconnu : SSL certificate problem: self-signed certificate\n"
        ),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_dir(&s.dav).unwrap().count(), 0, "rien n'a été publié");
    // Its authority made known to curl (an intranet's own CA): the same target works.
    let o = s.publie_env(&projet, &cible, MOT_DE_PASSE, &[], &[("CURL_CA_BUNDLE", &s.t.join("certificat.pem"))]);
    reussit(&o);
    assert_eq!(servi(&s.dav.join("mutualisation")), site(&projet));
}

#[test]
fn a_switch_cut_between_its_two_moves_is_repaired_next_time() {
    let Some(s) = Serveur::demarrer("webdav-bascule") else { return };
    let (_t, projet) = copie_exemple("webdav-bascule");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = s.dav.join("mutualisation");
    reussit(&s.publie(&projet, &[]));
    let v1 = courant(&racine);
    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>deux</title>").unwrap();
    reussit(&s.publie(&projet, &[]));
    let v2 = courant(&racine);
    // The connection cut after the first MOVE: courant/ renamed away, nothing in its place.
    std::fs::rename(racine.join("courant"), racine.join("versions").join(&v2)).unwrap();
    let o = s.publie(&projet, &["--essai"]);
    reussit(&o);
    let nom = s.cible("dav/mutualisation");
    assert_eq!(
        stderr(&o),
        format!("la dernière bascule sur {nom} a été interrompue : la prochaine publication servira de nouveau la version {v2}\n")
    );
    assert!(stdout(&o).contains("essai : 0 fichier à envoyer"), "{}", stdout(&o));
    assert!(!racine.join("courant").exists(), "l'essai ne répare rien");
    let o = s.publie(&projet, &[]);
    reussit(&o);
    assert_eq!(
        stderr(&o),
        format!("la dernière bascule sur {nom} avait été interrompue : la version {v2} est de nouveau servie\n")
    );
    assert_eq!(
        stdout(&o),
        format!("rien à publier : {nom} sert déjà ce site ({} fichiers)\n", site(&projet).len())
    );
    assert_eq!(courant(&racine), v2);
    assert_eq!(servi(&racine), site(&projet));
    reussit(&s.publie(&projet, &["--retour"]));
    assert_eq!(courant(&racine), v1);
}

/// A small tmpfs mounted by the test, unmounted on drop.
struct Montage(PathBuf);

impl Drop for Montage {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_on_the_server_leaves_the_served_site_intact() {
    let Some(s) = Serveur::demarrer("webdav-plein") else { return };
    let petit = s.t.join("petit");
    // An 8 MB disk: room for the example (3.6 MB) and its copy, not for 4 MB more.
    let monte = est_root()
        && Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=8m", "tmpfs"])
            .arg(&petit)
            .status()
            .is_ok_and(|st| st.success());
    if !monte {
        eprintln!("montage d'un petit disque impossible (root et mount nécessaires) : cas du disque plein non exécuté");
        return;
    }
    let _montage = Montage(petit.clone());
    assert!(Command::new("chown").args(["www-data:www-data"]).arg(&petit).status().unwrap().success());
    let (_t, projet) = copie_exemple("webdav-plein");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let cible = format!("webdav://127.0.0.1:{}/petit/mutualisation", s.port);
    let racine = petit.join("mutualisation");
    reussit(&s.publie_avec(&projet, &cible, "", &[]));
    let avant = servi(&racine);
    let v1 = courant(&racine);
    let gros = projet.join("public/gros");
    std::fs::create_dir_all(&gros).unwrap();
    for i in 0..4 {
        std::fs::write(gros.join(format!("{i}.bin")), vec![i as u8; 1 << 20]).unwrap();
    }
    let o = s.publie_avec(&projet, &cible, "", &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let attendu = format!("erreur[disque-plein] : le serveur de {cible} n'a plus de place (HTTP 507 pendant ");
    assert!(stderr(&o).starts_with(&attendu), "{}", stderr(&o));
    assert!(
        stderr(&o).ends_with("  = aide : libérez de l'espace sur le compte (ou demandez un quota plus grand) puis relancez ; le site servi n'a pas changé\n\npublication annulée : la version servie n'a pas changé\n"),
        "{}",
        stderr(&o)
    );
    assert_eq!(courant(&racine), v1);
    assert_eq!(servi(&racine), avant, "le site servi est l'ancien, complet");
    let restes: Vec<_> = std::fs::read_dir(racine.join("versions")).unwrap().flatten().map(|e| e.file_name()).collect();
    assert!(
        restes.is_empty(),
        "la version partielle est effacée tout de suite, la place rendue : {restes:?}"
    );
}

#[test]
fn in_a_terminal_the_password_is_asked_without_echo() {
    let Some(s) = Serveur::demarrer("webdav-saisie") else { return };
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("/usr/bin/script absent (paquet bsdutils) : saisie du mot de passe non testée");
        return;
    }
    let (_t, projet) = copie_exemple("webdav-saisie");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let cible = s.cible("dav/mutualisation");
    // `script` gives mutu a terminal; what the test writes is typed on it.
    let commande = format!("{} publish --racine {} --cible {cible}", outils::binaire().display(), projet.display());
    let mut enfant = Command::new("script")
        .args(["-qec", &commande, "/dev/null"])
        .env("LC_ALL", "C.UTF-8")
        .env_remove("MUTU_WEBDAV_MOT_DE_PASSE")
        .env_remove("MUTU_WEBDAV_UTILISATEUR")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut sortie = enfant.stdout.take().unwrap();
    let mut lu = Vec::new();
    let invite = format!("mot de passe WebDAV de marie pour {cible} : ");
    while !String::from_utf8_lossy(&lu).contains(&invite) {
        let mut b = [0u8; 256];
        let n = std::io::Read::read(&mut sortie, &mut b).unwrap();
        assert!(n > 0, "pas d'invite : {}", String::from_utf8_lossy(&lu));
        lu.extend_from_slice(&b[..n]);
    }
    let mut entree = enfant.stdin.take().unwrap();
    std::io::Write::write_all(&mut entree, format!("{MOT_DE_PASSE}\n").as_bytes()).unwrap();
    std::io::Read::read_to_end(&mut sortie, &mut lu).unwrap();
    assert!(enfant.wait().unwrap().success(), "{}", String::from_utf8_lossy(&lu));
    drop(entree);
    // The progress lines (one a second once the upload lasts) depend on the machine's load.
    let texte: String = String::from_utf8_lossy(&lu)
        .replace('\r', "")
        .split_inclusive('\n')
        .filter(|l| !l.starts_with("… envoi : "))
        .collect();
    assert!(texte.starts_with(&format!("{invite}\npublication terminée : ")), "{texte}");
    assert!(!texte.contains("passe \"à\""), "le mot de passe ne s'affiche pas : {texte}");
    assert_eq!(servi(&s.dav.join("mutualisation")), site(&projet));
}

/// Foreign names in `versions/` or at the root of a WebDAV target (no links
/// there, but a dot folder was once taken for a leftover and a file for an
/// old version, and both deleted): refused by name before any write, and
/// nothing in the DAV folder or the project changes.
#[test]
fn foreign_names_on_a_webdav_target_are_refused_and_kept() {
    let Some(s) = Serveur::demarrer("webdav-hostile") else { return };
    let (t, projet) = copie_exemple("webdav-hostile");
    reussit(&mutu(&projet, &["build", "--sans-pdf"]));
    let racine = s.dav.join("mutualisation");
    reussit(&s.publie(&projet, &[]));
    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>deux</title>").unwrap();
    reussit(&s.publie(&projet, &[]));
    let v2 = courant(&racine);
    std::fs::write(projet.join("public/index.html"), "<!doctype html><title>trois</title>").unwrap();
    let a_www_data = |p: &Path| {
        if est_root() {
            assert!(Command::new("chown").args(["-R", "www-data:www-data"]).arg(p).status().unwrap().success());
        }
    };
    let refuse = |quoi: &str| {
        let avant = (outils::instantane(&s.dav), outils::instantane(&t.dir));
        for plus in [&[][..], &["--essai"][..], &["--retour"][..]] {
            let o = s.publie(&projet, plus);
            assert_eq!(o.status.code(), Some(1), "{plus:?} : {}", stderr(&o));
            let attendu = format!(
                "erreur[cible-etrangere] : publication refusée : {} contient {quoi}, que mutu n'a pas créé",
                s.cible("dav/mutualisation")
            );
            assert!(stderr(&o).starts_with(&attendu), "{plus:?}\nattendu : {attendu}\nobtenu : {}", stderr(&o));
            assert_eq!(
                (outils::instantane(&s.dav), outils::instantane(&t.dir)),
                avant,
                "{quoi} ({plus:?}) : rien n'a changé"
            );
        }
    };
    let versions = racine.join("versions");
    outils::dossier_personnel_factice(&versions.join(".ssh"));
    a_www_data(&versions.join(".ssh"));
    refuse("« versions/.ssh » (un dossier)");
    std::fs::remove_dir_all(versions.join(".ssh")).unwrap();
    std::fs::write(versions.join("notes.txt"), "à garder").unwrap();
    a_www_data(&versions.join("notes.txt"));
    refuse("« versions/notes.txt » (un fichier)");
    std::fs::remove_file(versions.join("notes.txt")).unwrap();
    std::fs::create_dir_all(racine.join("Documents")).unwrap();
    a_www_data(&racine.join("Documents"));
    refuse("« Documents » (un dossier)");
    std::fs::remove_dir_all(racine.join("Documents")).unwrap();

    reussit(&s.publie(&projet, &[]));
    assert_eq!(servi(&racine), site(&projet));
    assert_ne!(courant(&racine), v2);
}
