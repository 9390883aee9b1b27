//! `mutu serve` on a copy of the example: serves from memory on 127.0.0.1
//! only, rebuilds on change (the page shows the new text and the version
//! changes), keeps serving the last good build when the project breaks and
//! lists the errors at /__mutu/erreurs. `mutu build` output never carries
//! the reload script. HTTP with std only.

mod outils;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

const DELAI: Duration = Duration::from_secs(30);

fn temp(nom: &str) -> PathBuf {
    let p = std::env::temp_dir().join(format!("mutu-test-serve-{}-{nom}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    p
}

fn exemple(nom: &str) -> PathBuf {
    let racine = temp(nom);
    let depot = Path::new(env!("CARGO_MANIFEST_DIR"));
    outils::copie_dossier(&depot.join("data"), &racine.join("data"));
    outils::copie_dossier(&depot.join("content"), &racine.join("content"));
    racine
}

/// The running server, killed when dropped (even when a test fails).
struct Serveur {
    enfant: Child,
    port: u16,
    lignes: Receiver<String>,
}

impl Drop for Serveur {
    fn drop(&mut self) {
        let _ = self.enfant.kill();
        let _ = self.enfant.wait();
    }
}

/// Starts `mutu serve` and waits for the line giving its address.
fn demarrer(racine: &Path) -> Serveur {
    let mut enfant = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .args(["serve", "--racine", racine.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("mutu serve démarre");
    let sortie = enfant.stdout.take().unwrap();
    let (tx, lignes) = channel();
    std::thread::spawn(move || {
        for l in BufReader::new(sortie).lines() {
            let Ok(l) = l else { break };
            if tx.send(l).is_err() {
                break;
            }
        }
    });
    let mut serveur = Serveur { enfant, port: 0, lignes };
    let debut = Instant::now();
    loop {
        let l = serveur
            .lignes
            .recv_timeout(DELAI.saturating_sub(debut.elapsed()))
            .expect("ligne « Site servi sur … » attendue");
        if let Some(reste) = l.strip_prefix("Site servi sur http://127.0.0.1:") {
            let (port, fin) = reste.split_once('/').expect("adresse complète");
            assert_eq!(fin, " — Ctrl+C pour arrêter", "{l}");
            serveur.port = port.parse().expect("port");
            assert_ne!(serveur.port, 0);
            return serveur;
        }
    }
}

struct Reponse {
    statut: u16,
    entetes: String,
    corps: String,
}

/// A GET request over a plain TCP connection to 127.0.0.1.
fn get(port: u16, chemin: &str) -> Reponse {
    let mut c = TcpStream::connect(("127.0.0.1", port)).expect("connexion à 127.0.0.1");
    c.set_read_timeout(Some(DELAI)).unwrap();
    write!(c, "GET {chemin} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut octets = Vec::new();
    c.read_to_end(&mut octets).unwrap();
    let texte = String::from_utf8_lossy(&octets).into_owned();
    let (entetes, corps) = texte.split_once("\r\n\r\n").expect("réponse HTTP");
    let statut = entetes.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("statut");
    Reponse {
        statut,
        entetes: entetes.to_string(),
        corps: corps.to_string(),
    }
}

/// Polls `chemin` until `condition` holds on its body.
fn attendre(port: u16, chemin: &str, quoi: &str, condition: impl Fn(&str) -> bool) -> String {
    let debut = Instant::now();
    loop {
        let r = get(port, chemin);
        if condition(&r.corps) {
            return r.corps;
        }
        assert!(debut.elapsed() < DELAI, "délai dépassé en attendant {quoi} ; dernière réponse : {}", r.corps);
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Local addresses listening on `port`, from /proc/net/tcp (hex, as the
/// kernel writes them: 127.0.0.1 is 0100007F).
#[cfg(target_os = "linux")]
fn adresses_en_ecoute(port: u16) -> Vec<String> {
    let suffixe = format!(":{port:04X}");
    let mut out = Vec::new();
    for f in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let Ok(t) = std::fs::read_to_string(f) else { continue };
        for l in t.lines().skip(1) {
            let cols: Vec<&str> = l.split_whitespace().collect();
            if cols.len() > 3 && cols[3] == "0A" {
                if let Some(a) = cols[1].strip_suffix(&suffixe) {
                    out.push(a.to_string());
                }
            }
        }
    }
    out
}

#[test]
fn serves_rebuilds_and_keeps_the_last_good_build() {
    let racine = exemple("projet");
    let serveur = demarrer(&racine);
    let port = serveur.port;

    // Only on the loopback interface.
    #[cfg(target_os = "linux")]
    assert_eq!(adresses_en_ecoute(port), vec!["0100007F".to_string()]);

    let accueil = get(port, "/");
    assert_eq!(accueil.statut, 200);
    assert!(accueil.entetes.contains("Content-Type: text/html; charset=utf-8"), "{}", accueil.entetes);
    assert!(accueil.corps.contains("Communauté d&#39;agglomération du Pays de Landerneau-Daoulas"));
    assert!(accueil.corps.contains("<script id=\"mutu-rechargement\">"));
    assert!(!accueil.corps.contains("__MUTU_VERSION__"), "version inscrite dans la page");
    let v0: u64 = get(port, "/__mutu/version").corps.trim().parse().expect("version numérique");
    assert!(accueil.corps.contains(&format!("var version = \"{v0}\";")));

    let css = get(port, "/static/style.css");
    assert_eq!(css.statut, 200);
    assert!(css.entetes.contains("Content-Type: text/css; charset=utf-8"));
    let page = get(port, "/services/garage-commun.html");
    assert_eq!(page.statut, 200);
    assert!(page.corps.contains("Garage commun"));
    let absente = get(port, "/pas-de-page.html");
    assert_eq!(absente.statut, 404);
    assert!(absente.corps.contains("Page introuvable"));
    assert_eq!(get(port, "/../data/rapport.yaml").statut, 403);
    assert_eq!(get(port, "/%2e%2e/%2e%2e/etc/passwd").statut, 403);
    assert_eq!(
        get(port, "/__mutu/erreurs").corps,
        format!("{{\"erreurs\":[],\"explication\":null,\"version\":{v0}}}")
    );
    // Nothing written in the project.
    assert!(!racine.join("public").exists());

    // A one-line narrative edit: new version, new text.
    let edito = racine.join("content/edito.md");
    let t = std::fs::read_to_string(&edito).unwrap();
    let nouveau = "Phrase ajoutée pendant le test de mutu serve.";
    std::fs::write(
        &edito,
        t.replacen("Quelques repères de l'année :", &format!("{nouveau}\n\nQuelques repères de l'année :"), 1),
    )
    .unwrap();
    attendre(port, "/__mutu/version", "une nouvelle version", |v| {
        v.trim().parse::<u64>().is_ok_and(|v| v > v0)
    });
    assert!(get(port, "/").corps.contains(nouveau));

    // A broken YAML file: errors listed, the last good site still served.
    let rapport = racine.join("data/rapport.yaml");
    let bon = std::fs::read_to_string(&rapport).unwrap();
    std::fs::write(&rapport, bon.replace("exercice: 2023", "exercice: [2023")).unwrap();
    let erreurs = attendre(port, "/__mutu/erreurs", "la liste des erreurs", |e| !e.starts_with("{\"erreurs\":[]"));
    assert!(erreurs.contains("\"fichier\":\"data/rapport.yaml\""), "{erreurs}");
    assert!(erreurs.contains("\"ligne\":3"), "{erreurs}");
    assert!(erreurs.contains("La page affichée est celle de la dernière construction réussie"), "{erreurs}");
    let garde = get(port, "/");
    assert_eq!(garde.statut, 200);
    assert!(garde.corps.contains(nouveau), "dernière construction réussie");

    // Fixed: the errors disappear.
    std::fs::write(&rapport, &bon).unwrap();
    attendre(port, "/__mutu/erreurs", "la disparition des erreurs", |e| e.starts_with("{\"erreurs\":[]"));
    assert_eq!(get(port, "/").statut, 200);

    drop(serveur);
    let _ = std::fs::remove_dir_all(racine);
}

#[test]
fn busy_port_is_reported_in_french() {
    let racine = exemple("occupe");
    let pris = TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = pris.local_addr().unwrap().port();
    let o = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .args(["servir", "--racine", racine.to_str().unwrap(), "--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with(&format!("erreur : le port {port} est déjà utilisé sur 127.0.0.1")), "{err}");
    drop(pris);

    // Not a project.
    let vide = temp("pas-un-projet");
    std::fs::create_dir_all(&vide).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .args(["serve", "--racine", vide.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("le dossier data/ est absent"));
    let _ = std::fs::remove_dir_all(racine);
    let _ = std::fs::remove_dir_all(vide);
}

#[test]
fn build_output_never_contains_the_reload_script() {
    let sortie = temp("build");
    let o = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .args([
            "build",
            "--racine",
            env!("CARGO_MANIFEST_DIR"),
            "--sortie",
            sortie.to_str().unwrap(),
            "--sans-pdf",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let mut pages = 0;
    let mut pile = vec![sortie.clone()];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                pile.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let t = std::fs::read_to_string(&p).unwrap();
                assert!(!t.contains("__mutu") && !t.contains("mutu-rechargement"), "{}", p.display());
                pages += 1;
            }
        }
    }
    assert!(pages > 10, "{pages}");
    let _ = std::fs::remove_dir_all(sortie);
}
