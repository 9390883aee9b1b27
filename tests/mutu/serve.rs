//! `mutu serve` on a copy of the example: serves from memory on 127.0.0.1
//! only, rebuilds on change (the page shows the new text and the version
//! changes), keeps serving the last good build when the project breaks and
//! lists the errors at /__mutu/erreurs. `mutu build` output never carries
//! the reload script. HTTP with std only.

use crate::outils;

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
    demarrer_sur(racine, "127.0.0.1")
}

/// Starts `mutu serve --adresse ip`.
fn demarrer_sur(racine: &Path, ip: &str) -> Serveur {
    let mut enfant = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .args(["serve", "--racine", racine.to_str().unwrap(), "--port", "0", "--adresse", ip])
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
    let prefixe = format!("Site servi sur http://{ip}:");
    loop {
        let l = serveur
            .lignes
            .recv_timeout(DELAI.saturating_sub(debut.elapsed()))
            .expect("ligne « Site servi sur … » attendue");
        if let Some(reste) = l.strip_prefix(&prefixe) {
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
    // The format reference travels with the binary (the project has no docs/).
    let format = get(port, "/__mutu/format");
    assert_eq!(format.statut, 200);
    assert!(
        format.corps.starts_with("# Format des données de mutu\n"),
        "{}",
        &format.corps[..80.min(format.corps.len())]
    );

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

/// Sends `requete` as is on a new connection and returns what the server
/// answers before closing it, or before `delai` (then what came so far).
fn brut(port: u16, requete: &[u8], delai: Duration) -> String {
    let mut c = TcpStream::connect(("127.0.0.1", port)).expect("connexion à 127.0.0.1");
    c.set_read_timeout(Some(delai)).unwrap();
    // The server may answer and close before reading everything.
    let _ = c.write_all(requete);
    let mut octets = Vec::new();
    let _ = c.read_to_end(&mut octets);
    String::from_utf8_lossy(&octets).into_owned()
}

/// A normal request is answered (the home page, 200) within 1 s.
fn repond_en_moins_d_une_seconde(serveur: &mut Serveur, apres: &str) {
    assert!(serveur.enfant.try_wait().unwrap().is_none(), "mutu serve s'est arrêté après {apres}");
    let debut = Instant::now();
    let requete = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nConnection: close\r\n\r\n", serveur.port);
    let r = brut(serveur.port, requete.as_bytes(), Duration::from_secs(1));
    assert!(
        r.starts_with("HTTP/1.1 200 ") && r.contains("</html>"),
        "après {apres} : pas de page d'accueil en 1 s ({:?}) : {}",
        debut.elapsed(),
        r.get(..200).unwrap_or(&r)
    );
    assert!(debut.elapsed() < Duration::from_secs(1), "après {apres} : {:?}", debut.elapsed());
}

/// Opens a connection, sends `debut` and leaves it open.
fn ouvrir(port: u16, debut: &[u8]) -> TcpStream {
    let mut c = TcpStream::connect(("127.0.0.1", port)).expect("connexion à 127.0.0.1");
    c.write_all(debut).unwrap();
    c
}

#[test]
fn request_bodies_neither_kill_nor_block_the_server() {
    let racine = exemple("corps");
    let mut serveur = demarrer(&racine);
    let port = serveur.port;

    // A huge declared body: tiny_http allocated it and the process aborted.
    let r = brut(
        port,
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 99999999999\r\n\r\n").as_bytes(),
        Duration::from_secs(5),
    );
    assert!(r.starts_with("HTTP/1.1 413 "), "{r}");
    assert!(
        r.ends_with("corps de requête refusé : seules les requêtes GET et HEAD sans corps sont acceptées"),
        "{r}"
    );
    assert!(r.contains("Connection: close\r\n"), "{r}");
    repond_en_moins_d_une_seconde(&mut serveur, "un Content-Length de 99999999999");

    // Clients that announce a body and never send it: they held every
    // worker while tiny_http waited for their bytes.
    let mut muets = Vec::new();
    for methode in ["GET", "POST", "GET", "PUT", "GET", "POST", "GET", "GET"] {
        muets.push(ouvrir(
            port,
            format!("{methode} / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 1000000\r\n\r\n").as_bytes(),
        ));
    }
    muets.push(ouvrir(
        port,
        format!("POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nTransfer-Encoding: chunked\r\n\r\n").as_bytes(),
    ));
    repond_en_moins_d_une_seconde(&mut serveur, "neuf corps annoncés jamais envoyés");
    for mut c in muets {
        c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut r = String::new();
        let _ = c.read_to_string(&mut r);
        assert!(r.starts_with("HTTP/1.1 413 "), "{r}");
    }

    // A body actually sent is refused without being read, and the answer
    // still reaches the client.
    let mut post = format!("POST /__mutu/version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 30000\r\n\r\n").into_bytes();
    post.extend(std::iter::repeat_n(b'x', 30000));
    let r = brut(port, &post, Duration::from_secs(5));
    assert!(r.starts_with("HTTP/1.1 413 "), "{r}");
    repond_en_moins_d_une_seconde(&mut serveur, "un corps envoyé");

    // Other methods without a body: 405, with the methods allowed.
    let r = brut(
        port,
        format!("DELETE / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes(),
        Duration::from_secs(5),
    );
    assert!(r.starts_with("HTTP/1.1 405 ") && r.contains("Allow: GET, HEAD\r\n"), "{r}");

    drop(serveur);
    let _ = std::fs::remove_dir_all(racine);
}

#[test]
fn slow_clients_and_oversized_heads_do_not_block_the_server() {
    let racine = exemple("lents");
    let mut serveur = demarrer(&racine);
    let port = serveur.port;

    // Clients that send half a head, or nothing, and wait.
    let mut lents = Vec::new();
    for _ in 0..20 {
        lents.push(ouvrir(port, format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: te").as_bytes()));
        lents.push(ouvrir(port, b""));
    }
    repond_en_moins_d_une_seconde(&mut serveur, "quarante clients lents");

    // A head past 16 KiB: refused, read no further.
    let mut enorme = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Remplissage: ").into_bytes();
    enorme.extend(std::iter::repeat_n(b'a', 40 * 1024));
    enorme.extend(b"\r\n\r\n");
    let r = brut(port, &enorme, Duration::from_secs(5));
    assert!(r.starts_with("HTTP/1.1 431 "), "{}", r.get(..200).unwrap_or(&r));
    assert!(r.ends_with("en-tête de requête trop long"), "{r}");
    repond_en_moins_d_une_seconde(&mut serveur, "un en-tête de 40 Kio");

    // Garbage and unknown versions.
    let r = brut(port, b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", Duration::from_secs(5));
    assert!(r.starts_with("HTTP/1.1 400 "), "{r}");
    let r = brut(
        port,
        format!("GET / HTTP/2.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").as_bytes(),
        Duration::from_secs(5),
    );
    assert!(r.starts_with("HTTP/1.1 505 "), "{r}");
    repond_en_moins_d_une_seconde(&mut serveur, "des requêtes invalides");

    // A slow client is eventually let go (the server closes its side).
    let mut lent = lents.remove(0);
    lent.set_read_timeout(Some(DELAI)).unwrap();
    let mut reste = Vec::new();
    assert!(lent.read_to_end(&mut reste).is_ok(), "client lent jamais déconnecté");

    // Keep-alive: two requests on one connection, answered in order.
    let mut c = ouvrir(
        port,
        format!("GET /__mutu/version HTTP/1.1\r\nHost: localhost:{port}\r\n\r\nHEAD / HTTP/1.1\r\nHost: localhost:{port}\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    );
    c.set_read_timeout(Some(DELAI)).unwrap();
    let mut r = String::new();
    c.read_to_string(&mut r).unwrap();
    let (premiere, seconde) = r.split_once("\r\n\r\n").expect("première réponse");
    assert!(premiere.starts_with("HTTP/1.1 200 ") && !premiere.contains("Connection: close"), "{premiere}");
    let (version, seconde) = seconde.split_once("HTTP/1.1 ").expect("seconde réponse");
    assert!(version.parse::<u64>().is_ok(), "{version}");
    assert!(
        seconde.starts_with("200 ") && seconde.contains("Connection: close\r\n") && seconde.ends_with("\r\n\r\n"),
        "{seconde}"
    );

    drop(lents);
    drop(serveur);
    let _ = std::fs::remove_dir_all(racine);
}

/// `GET chemin` with the given `Host:` line (`None`: none), over HTTP/1.1.
fn avec_hote(port: u16, chemin: &str, hote: Option<&str>) -> String {
    let hote = hote.map(|h| format!("Host: {h}\r\n")).unwrap_or_default();
    brut(
        port,
        format!("GET {chemin} HTTP/1.1\r\n{hote}Connection: close\r\n\r\n").as_bytes(),
        Duration::from_secs(5),
    )
}

#[test]
fn only_local_host_names_are_answered() {
    let racine = exemple("hote");
    let mut serveur = demarrer(&racine);
    let port = serveur.port;

    for hote in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
        format!("[::1]:{port}"),
        "127.0.0.1".to_string(),
        "localhost".to_string(),
    ] {
        let r = avec_hote(port, "/", Some(&hote));
        assert!(
            r.starts_with("HTTP/1.1 200 ") && r.contains("Communauté d&#39;agglomération"),
            "{hote} : {}",
            r.get(..200).unwrap_or(&r)
        );
    }
    // DNS rebinding: a page of evil.example whose name now points at
    // 127.0.0.1 must not read the preview (internal version included).
    let refus = format!("hôte non autorisé : ouvrez http://127.0.0.1:{port}/");
    for hote in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        String::new(),
        format!("127.0.0.1:{}", port.wrapping_add(1)),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("[::2]:{port}"),
        format!("127.0.0.1:{port}:{port}"),
        format!("127.0.0.1:+{port}"),
        format!("0x7f.0.0.1:{port}"),
        format!("::1:{port}"),
        format!("user@127.0.0.1:{port}"),
    ] {
        for chemin in ["/", "/__mutu/version", "/__mutu/erreurs", "/rapport.pdf", "/pas-de-page"] {
            let r = avec_hote(port, chemin, Some(&hote));
            assert!(r.starts_with("HTTP/1.1 421 "), "{hote:?} {chemin} : {}", r.get(..200).unwrap_or(&r));
            assert!(r.ends_with(&format!("\r\n\r\n{refus}")), "{hote:?} {chemin} : {r}");
        }
    }
    // HTTP/1.1 requires Host, once.
    let r = avec_hote(port, "/", None);
    assert!(r.starts_with("HTTP/1.1 400 ") && r.ends_with("\r\n\r\nen-tête Host manquant"), "{r}");
    let r = avec_hote(port, "/", Some(&format!("127.0.0.1:{port}\r\nHost: evil.example")));
    assert!(r.starts_with("HTTP/1.1 400 ") && r.ends_with("\r\n\r\nrequête invalide"), "{r}");
    repond_en_moins_d_une_seconde(&mut serveur, "des hôtes refusés");
    drop(serveur);

    // --adresse: that address is accepted too (127.0.0.2 is a loopback
    // address on Linux, so this test binds nothing outside this computer).
    #[cfg(target_os = "linux")]
    {
        let serveur = demarrer_sur(&racine, "127.0.0.2");
        let port = serveur.port;
        let r = brut_sur("127.0.0.2", port, &format!("127.0.0.2:{port}"));
        assert!(r.starts_with("HTTP/1.1 200 "), "{}", r.get(..200).unwrap_or(&r));
        let r = brut_sur("127.0.0.2", port, &format!("localhost:{port}"));
        assert!(r.starts_with("HTTP/1.1 200 "), "{}", r.get(..200).unwrap_or(&r));
        let r = brut_sur("127.0.0.2", port, &format!("127.0.0.3:{port}"));
        assert!(r.starts_with("HTTP/1.1 421 "), "{r}");
        assert!(r.ends_with(&format!("hôte non autorisé : ouvrez http://127.0.0.2:{port}/")), "{r}");
        drop(serveur);
    }
    let _ = std::fs::remove_dir_all(racine);
}

/// `GET /` with `Host: hote` to `ip:port`.
#[cfg(target_os = "linux")]
fn brut_sur(ip: &str, port: u16, hote: &str) -> String {
    let mut c = TcpStream::connect((ip, port)).expect("connexion");
    c.set_read_timeout(Some(DELAI)).unwrap();
    write!(c, "GET / HTTP/1.1\r\nHost: {hote}\r\nConnection: close\r\n\r\n").unwrap();
    let mut r = Vec::new();
    let _ = c.read_to_end(&mut r);
    String::from_utf8_lossy(&r).into_owned()
}

/// Not a check: prints how long the first page takes after start and how
/// long a change takes to show (until `/__mutu/version` changes, which the
/// pages poll every 500 ms). Run with
/// `cargo test --release --test serve -- --ignored --nocapture delais`.
#[test]
#[ignore]
fn delais() {
    let racine = exemple("delais");
    let mut premieres = Vec::new();
    let mut rechargements = Vec::new();
    for _ in 0..5 {
        let debut = Instant::now();
        let serveur = demarrer(&racine);
        let port = serveur.port;
        loop {
            if let Ok(mut c) = TcpStream::connect(("127.0.0.1", port)) {
                let _ = write!(c, "GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n");
                let mut r = Vec::new();
                if c.read_to_end(&mut r).is_ok() && r.get(8..13) == Some(b" 200 ") {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        premieres.push(debut.elapsed());
        // Let the PDF build end, then change a text.
        std::thread::sleep(Duration::from_secs(3));
        let v0 = get(port, "/__mutu/version").corps;
        let edito = racine.join("content/edito.md");
        let t = std::fs::read_to_string(&edito).unwrap();
        let debut = Instant::now();
        std::fs::write(&edito, format!("{t}\nLigne {}.\n", premieres.len())).unwrap();
        loop {
            if get(port, "/__mutu/version").corps != v0 {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        assert!(get(port, "/").corps.contains(&format!("Ligne {}.", premieres.len())));
        rechargements.push(debut.elapsed());
        drop(serveur);
    }
    premieres.sort();
    rechargements.sort();
    println!("première page après le démarrage : {premieres:?} (médiane {:?})", premieres[2]);
    println!("modification → nouvelle version servie : {rechargements:?} (médiane {:?})", rechargements[2]);
    let _ = std::fs::remove_dir_all(racine);
}
