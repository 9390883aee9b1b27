//! Publication to a WebDAV folder (`webdav://` over HTTP, `webdavs://` over
//! HTTPS) through the system's `curl` command (7.75 or later; shipped with
//! Debian, macOS and Windows 10 and later): no HTTP or TLS crate to build,
//! and the system's certificate store and proxy settings apply unchanged.
//!
//! Credentials: the user name comes from the address
//! (`webdavs://marie@hote/dav/mutu`) or `MUTU_WEBDAV_UTILISATEUR`; the
//! password from `MUTU_WEBDAV_MOT_DE_PASSE` or, in a terminal, a prompt
//! without echo. It reaches curl only through its standard input (`curl -K
//! -`, a `user = "…"` line): never on a command line, never in a file, and
//! the variable is removed from curl's environment. Without a user name
//! the requests are anonymous.
//!
//! The requests: PROPFIND (Depth 1) lists the root and `versions/`, GET
//! reads the served manifest, MKCOL makes folders, COPY (Depth infinity)
//! copies the served version into the new one on the server, PUT sends the
//! changed files (eight at a time, `--parallel`), DELETE removes the files
//! gone from the site and the old versions, MOVE renames. Each batch of
//! requests is one curl process (one connection kept alive, or eight);
//! [`erreur`] turns curl's exit codes and HTTP statuses into French
//! diagnostics in one place.
//!
//! WebDAV has no symbolic link, so `courant` is a real folder: the served
//! version itself. Layout: `courant/` (served, with its manifest),
//! `versions/<id>/` (the version it replaced, kept for `--retour`),
//! `versions/.<id>.partiel/` (a publication under way). A publication copies
//! `courant/` into the partial folder on the server, sends and removes what
//! changed there, renames it `versions/<id>`, then switches with two MOVEs
//! (`Overwrite: F`) in one curl process on one connection: `courant/` to
//! `versions/<ancien>/`, then `versions/<id>/` to `courant/`. Each MOVE is a
//! rename on the server (Apache's mod_dav_fs, nginx, rclone): readers see
//! the old site complete, then for the few milliseconds between the two
//! requests a 404 (no `courant/`), then the new site complete — never a
//! mix. That curl process runs detached from mutu (its own process group,
//! its output in a file): a publication killed during the switch still
//! finishes it. If the connection is cut between the two MOVEs, the next
//! `mutu publish` (or `--retour`) first serves again the most recent complete
//! version and says so. A publication killed before the switch leaves
//! `courant/` untouched; the next one deletes its partial folder. There is
//! no lock on the server: two publications to the same folder at once are
//! not kept apart. Apache (mod_dav) needs `DirectoryIndex disabled` in the
//! WebDAV section, else it turns a MOVE of a folder holding `index.html`
//! into a MOVE of that file (the site itself is served from another
//! location or virtual host pointing at `courant/`).

use super::{Adresse, Bascule, Echec, Etat, Manifeste, Nature, Plan, Protocole, Suivi, Transport, COURANT, MANIFESTE, MARQUE, TEXTE_MARQUE, VERSIONS};
use mutu_base::codes::Code;
use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable naming the WebDAV account when the address does not.
pub const VAR_UTILISATEUR: &str = "MUTU_WEBDAV_UTILISATEUR";
/// Environment variable holding the WebDAV password.
pub const VAR_MOT_DE_PASSE: &str = "MUTU_WEBDAV_MOT_DE_PASSE";
/// Files sent at once: enough to hide the latency of a distant server,
/// few enough for a shared web host's connection limit.
const EN_PARALLELE: usize = 8;
const CORPS_PROPFIND: &str = r#"<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>"#;
/// One line per transfer on curl's standard output.
const FORMAT: &str = "%{exitcode}\\t%{http_code}\\t%{method}\\t%{url_effective}\\t%{errormsg}\\n";

/// A WebDAV request of a batch. Folder paths end with `/`.
#[derive(Debug, Clone)]
struct Requete {
    methode: &'static str,
    /// Relative to the target's root, `""` for the root itself.
    chemin: String,
    destination: Option<String>,
    envoi: Option<PathBuf>,
    sortie: Option<PathBuf>,
}

impl Requete {
    fn new(methode: &'static str, chemin: impl Into<String>) -> Requete {
        Requete {
            methode,
            chemin: chemin.into(),
            destination: None,
            envoi: None,
            sortie: None,
        }
    }
}

/// What curl says about one transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reponse {
    /// curl's exit code for this transfer (0: done, 22: HTTP error).
    pub code: i32,
    /// HTTP status, 0 when no answer came.
    pub statut: u16,
    pub methode: String,
    /// Path on the server, decoded.
    pub chemin: String,
    pub message: String,
}

impl Reponse {
    fn reussie(&self) -> bool {
        self.code == 0 && (200..300).contains(&self.statut)
    }
}

/// A WebDAV target reached with the system's `curl` command.
pub struct Webdav {
    adresse: Adresse,
    /// `http[s]://hote[:port]`.
    origine: String,
    /// `origine` and the root's path, percent-encoded, without a final `/`.
    base: String,
    /// `utilisateur:mot-de-passe` for curl's `user` line.
    identifiants: Option<String>,
    essai: bool,
    /// Answers, manifest and marker to upload.
    tmp: super::Temporaire,
    // What `etat` found, used by the later steps.
    racine_existe: bool,
    versions_existe: bool,
    courant_existe: bool,
    courant: Option<String>,
    /// The folders of the served version (from its manifest).
    dossiers_servis: BTreeSet<String>,
}

/// Percent-encodes a path: everything but unreserved characters and `/`.
pub fn encoder(chemin: &str) -> String {
    let mut s = String::new();
    for b in chemin.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn decoder(chemin: &str) -> String {
    let b = chemin.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A value quoted for curl's configuration syntax.
fn guillemets(v: &str) -> String {
    let mut s = String::from("\"");
    for c in v.chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The children of a PROPFIND (Depth 1) answer: name and whether it is a
/// folder; the folder asked about is left out. `None`: not a multistatus.
pub fn enfants(xml: &str, chemin_demande: &str) -> Option<Vec<(String, bool)>> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let racine = doc.root_element();
    if !racine.has_tag_name(("DAV:", "multistatus")) {
        return None;
    }
    let demande = decoder(chemin_demande).trim_end_matches('/').to_string();
    let mut out = Vec::new();
    for r in racine.children().filter(|n| n.has_tag_name(("DAV:", "response"))) {
        let Some(href) = r.children().find(|n| n.has_tag_name(("DAV:", "href"))).and_then(|n| n.text()) else {
            continue;
        };
        let href = href.trim();
        // An absolute URL or an absolute path.
        let chemin = match href.split_once("://") {
            Some((_, reste)) => reste.find('/').map(|i| &reste[i..]).unwrap_or("/"),
            None => href,
        };
        let chemin = decoder(chemin).trim_end_matches('/').to_string();
        if chemin == demande {
            continue;
        }
        let Some(nom) = chemin.rsplit('/').next().filter(|n| !n.is_empty()) else {
            continue;
        };
        let dossier = r.descendants().any(|n| n.has_tag_name(("DAV:", "collection")));
        out.push((nom.to_string(), dossier));
    }
    Some(out)
}

/// The French diagnostic for a failed request: curl's exit code first
/// (network, TLS), then the HTTP status.
pub fn erreur(r: &Reponse, nom: &str, hote: &str) -> Echec {
    let quoi = format!("{} {}", r.methode, r.chemin);
    let message = r.message.trim();
    match r.code {
        0 | 22 => {}
        6 => return Echec::new(Code::HoteIntrouvable, format!("serveur introuvable : {hote}"), "vérifiez le nom du serveur dans la cible, et la connexion au réseau"),
        // curl does not tell a refusal from a host without route: both are immediate.
        7 => {
            return Echec::new(
                Code::ConnexionRefusee,
                format!("le serveur {hote} refuse la connexion"),
                "vérifiez le port (webdavs://hote:PORT/chemin), que le service WebDAV est ouvert, et la connexion au réseau",
            )
        }
        28 => {
            return Echec::new(
                Code::ServeurInjoignable,
                format!("le serveur {hote} ne répond pas"),
                "vérifiez la connexion au réseau (VPN ?) et le nom du serveur ; le site servi n'a pas changé",
            )
        }
        51 | 60 | 77 | 83 | 90 | 91 => {
            return Echec::new(
                Code::CertificatNonReconnu,
                format!("le certificat TLS du serveur {hote} n'est pas reconnu : {message}"),
                "le certificat est périmé, émis pour un autre nom, ou signé par une autorité que cet ordinateur ne connaît pas : demandez à l'hébergeur, ou installez le certificat de l'autorité interne dans le magasin du système (la variable CURL_CA_BUNDLE peut nommer son fichier) ; mutu ne désactive jamais la vérification",
            )
        }
        35 => return Echec::new(Code::TlsEchoue, format!("la connexion chiffrée avec {hote} a échoué : {message}"), "vérifiez le port, et qu'il s'agit bien d'un serveur HTTPS (sinon webdav:// au lieu de webdavs://)"),
        26 => return Echec::new(Code::SourceIllisible, format!("lecture impossible pendant l'envoi de {} : {message}", r.chemin), "relancez `mutu build`, puis la publication"),
        52 | 55 | 56 => {
            return Echec::new(
                Code::ConnexionCoupee,
                format!("la connexion avec {hote} a été coupée pendant {quoi} : {message}"),
                "relancez la publication : le site servi n'a pas changé, et les restes seront effacés",
            )
        }
        n => {
            return Echec::new(
                Code::WebdavEchoue,
                format!("la requête {quoi} vers {hote} a échoué (curl {n}) : {}", if message.is_empty() { "sans message" } else { message }),
                "relancez ; si l'erreur persiste, essayez l'adresse dans un client WebDAV",
            )
        }
    }
    match r.statut {
        401 => Echec::new(
            Code::AuthentificationRefusee,
            format!("le serveur {hote} refuse l'authentification (HTTP 401)"),
            format!("vérifiez l'utilisateur (dans l'adresse, utilisateur@hote, ou la variable {VAR_UTILISATEUR}) et le mot de passe (la variable {VAR_MOT_DE_PASSE}, ou saisi quand mutu le demande)"),
        ),
        403 => Echec::new(
            Code::PermissionRefusee,
            format!("le serveur refuse {quoi} dans {nom} (HTTP 403)"),
            "vérifiez que le compte a le droit d'écrire dans ce dossier WebDAV",
        ),
        507 => Echec::new(
            Code::DisquePlein,
            format!("le serveur de {nom} n'a plus de place (HTTP 507 pendant {quoi})"),
            "libérez de l'espace sur le compte (ou demandez un quota plus grand) puis relancez ; le site servi n'a pas changé",
        ),
        405 | 501 | 200 if r.methode == "PROPFIND" => Echec::new(
            Code::ServeurNonWebdav,
            format!("{nom} n'est pas un dossier WebDAV : le serveur a répondu {} à PROPFIND", r.statut),
            "vérifiez l'adresse du dossier WebDAV (celle que donne la plateforme pour « connecter un lecteur réseau ») : l'adresse d'un site web ordinaire ne permet pas d'écrire",
        ),
        405 => Echec::new(
            Code::OperationRefusee,
            format!("le serveur refuse {quoi} (HTTP 405)"),
            "le dossier WebDAV n'accepte pas cette opération ; sous Apache, mettez `DirectoryIndex disabled` dans la section WebDAV (sinon un MOVE ou un COPY de dossier qui contient index.html vise ce fichier)",
        ),
        404 | 409 => Echec::new(
            Code::CheminIntrouvable,
            format!("chemin introuvable sur le serveur : {quoi} (HTTP {})", r.statut),
            "le dossier parent de la cible doit exister sur le serveur",
        ),
        412 => Echec::new(
            Code::BasculeImpossible,
            format!("le serveur refuse {quoi} : la destination existe déjà (HTTP 412)"),
            "une autre publication est peut-être en cours vers la même cible : attendez sa fin puis relancez",
        ),
        300..=399 => Echec::new(
            Code::Redirection,
            format!("le serveur redirige {quoi} (HTTP {})", r.statut),
            "vérifiez l'adresse : webdavs:// plutôt que webdav://, le bon chemin du dossier WebDAV",
        ),
        0 => Echec::new(Code::WebdavEchoue, format!("pas de réponse du serveur {hote} à {quoi}"), "relancez la publication"),
        s => Echec::new(
            Code::WebdavEchoue,
            format!("le serveur {hote} a répondu {s} à {quoi}"),
            "relancez ; si l'erreur persiste, voyez le journal du serveur WebDAV",
        ),
    }
}

/// Reads the password on the terminal without echo.
#[cfg(unix)]
fn lire_sans_echo(invite: &str) -> std::io::Result<String> {
    use std::os::fd::AsRawFd;
    let mut tty = std::fs::OpenOptions::new().read(true).write(true).open("/dev/tty")?;
    let fd = tty.as_raw_fd();
    // SAFETY: termios is plain data filled by tcgetattr on an open descriptor.
    let mut avant: libc::termios = unsafe { std::mem::zeroed() };
    if unsafe { libc::tcgetattr(fd, &mut avant) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    let mut sans = avant;
    sans.c_lflag &= !libc::ECHO;
    sans.c_lflag |= libc::ECHONL;
    // SAFETY: the same descriptor, a termios derived from its own.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &sans) };
    // The prompt only once echo is off: what is typed after it never shows.
    tty.write_all(invite.as_bytes())?;
    tty.flush()?;
    let mut ligne = String::new();
    let lu = std::io::BufReader::new(&tty).read_line(&mut ligne);
    // SAFETY: restores the settings read above.
    unsafe { libc::tcsetattr(fd, libc::TCSANOW, &avant) };
    lu?;
    Ok(ligne.trim_end_matches(['\n', '\r']).to_string())
}

#[cfg(not(unix))]
fn lire_sans_echo(_invite: &str) -> std::io::Result<String> {
    Err(std::io::Error::new(std::io::ErrorKind::Unsupported, "saisie masquée indisponible"))
}

/// `utilisateur:mot-de-passe`, or `None` for anonymous requests.
fn identifiants(a: &Adresse) -> Result<Option<String>, Echec> {
    let utilisateur = a.utilisateur.clone().or_else(|| std::env::var(VAR_UTILISATEUR).ok().filter(|u| !u.is_empty()));
    let Some(u) = utilisateur else { return Ok(None) };
    if u.contains(':') {
        return Err(Echec::new(
            Code::CibleInvalide,
            format!("nom d'utilisateur WebDAV invalide : « {u} » (deux-points)"),
            format!("le mot de passe ne s'écrit ni dans l'adresse ni dans {VAR_UTILISATEUR} : mettez-le dans {VAR_MOT_DE_PASSE}"),
        ));
    }
    if let Some(m) = std::env::var(VAR_MOT_DE_PASSE).ok().filter(|m| !m.is_empty()) {
        return Ok(Some(format!("{u}:{m}")));
    }
    let absent = |pourquoi: &str| {
        Echec::new(
            Code::MotDePasseAbsent,
            format!("aucun mot de passe WebDAV pour {u} : la variable {VAR_MOT_DE_PASSE} n'est pas définie et {pourquoi}"),
            format!("définissez {VAR_MOT_DE_PASSE} dans l'environnement de la commande (jamais dans le projet), ou lancez mutu dans un terminal : il demandera le mot de passe sans l'afficher"),
        )
    };
    if !std::io::stdin().is_terminal() {
        return Err(absent("mutu ne peut pas le demander (pas de terminal)"));
    }
    match lire_sans_echo(&format!("mot de passe WebDAV de {u} pour {} : ", a.nom())) {
        Ok(m) if !m.is_empty() => Ok(Some(format!("{u}:{m}"))),
        Ok(_) => Err(absent("aucun n'a été saisi")),
        Err(_) => Err(absent("mutu ne peut pas le demander ici")),
    }
}

impl Webdav {
    /// Reads the credentials (asking for the password if needed); nothing
    /// is sent yet. With `essai`, nothing will be written on the server.
    pub fn ouvrir(adresse: Adresse, essai: bool) -> Result<Webdav, Echec> {
        let identifiants = identifiants(&adresse)?;
        if identifiants.is_some() && adresse.protocole == Protocole::Webdav && !["localhost", "127.0.0.1"].contains(&adresse.hote.as_str()) {
            eprintln!(
                "avertissement : webdav:// envoie le mot de passe et le site en clair sur le réseau ; préférez webdavs:// (HTTPS) si le serveur le permet"
            );
        }
        let tmp = super::Temporaire::new("webdav")?;
        let origine = format!(
            "{}://{}{}",
            if adresse.protocole == Protocole::Webdavs { "https" } else { "http" },
            adresse.hote,
            adresse.port.map(|p| format!(":{p}")).unwrap_or_default(),
        );
        let base = format!("{origine}{}", encoder(&adresse.chemin));
        Ok(Webdav {
            adresse,
            origine,
            base,
            identifiants,
            essai,
            tmp,
            racine_existe: false,
            versions_existe: false,
            courant_existe: false,
            courant: None,
            dossiers_servis: BTreeSet::new(),
        })
    }

    fn nom(&self) -> String {
        self.adresse.nom()
    }

    fn url(&self, chemin: &str) -> String {
        format!("{}/{}", self.base, encoder(chemin))
    }

    /// curl's configuration for a batch (read from standard input: the
    /// password is in it). `strict`: stop at the first failed request.
    fn configuration(&self, requetes: &[Requete], strict: bool, parallele: bool) -> String {
        let mut c = String::from("globoff\n");
        if strict {
            c.push_str("fail-early\n");
        }
        if parallele {
            c.push_str(&format!("parallel\nparallel-max = {EN_PARALLELE}\n"));
        }
        let nul = if cfg!(windows) { "NUL" } else { "/dev/null" };
        for (i, r) in requetes.iter().enumerate() {
            if i > 0 {
                c.push_str("next\n");
            }
            // Per-request options: `next` resets them.
            c.push_str(&format!("url = {}\n", guillemets(&self.url(&r.chemin))));
            if let Some(id) = &self.identifiants {
                c.push_str(&format!("user = {}\n", guillemets(id)));
            }
            c.push_str(&format!(
                "proto = \"=http,https\"\nconnect-timeout = 20\nspeed-limit = 1\nspeed-time = 60\nwrite-out = \"{FORMAT}\"\n"
            ));
            if strict {
                c.push_str("fail\n");
            }
            let sortie = r.sortie.as_ref().map(|p| p.to_string_lossy().into_owned()).unwrap_or_else(|| nul.into());
            c.push_str(&format!("output = {}\n", guillemets(&sortie)));
            match r.methode {
                "GET" => {}
                "PUT" => {
                    let f = r.envoi.as_ref().expect("PUT has a file");
                    c.push_str(&format!("upload-file = {}\n", guillemets(&f.to_string_lossy())));
                }
                m => c.push_str(&format!("request = {m}\n")),
            }
            if r.methode == "PROPFIND" {
                c.push_str(&format!(
                    "header = \"Depth: 1\"\nheader = \"Content-Type: application/xml\"\ndata-binary = {}\n",
                    guillemets(CORPS_PROPFIND)
                ));
            }
            if let Some(d) = &r.destination {
                c.push_str(&format!(
                    "header = {}\nheader = \"Overwrite: F\"\n",
                    guillemets(&format!("Destination: {}", self.url(d)))
                ));
            }
        }
        c
    }

    fn reponse(&self, ligne: &str) -> Option<Reponse> {
        let mut champs = ligne.splitn(5, '\t');
        let code = champs.next()?.parse().ok()?;
        let statut = champs.next()?.parse().ok()?;
        let methode = champs.next()?.to_string();
        let url = champs.next()?;
        let chemin = url.strip_prefix(&self.origine).map(decoder).unwrap_or_else(|| url.to_string());
        Some(Reponse {
            code,
            statut,
            methode,
            chemin,
            message: champs.next().unwrap_or("").to_string(),
        })
    }

    /// Runs a batch in one curl process; `suivi` sees each answer as it
    /// comes. `detache`: the process survives mutu (the switch).
    fn lancer(&self, requetes: &[Requete], strict: bool, parallele: bool, detache: bool, suivi: &mut dyn FnMut(&Reponse)) -> Result<Vec<Reponse>, Echec> {
        let mut c = Command::new("curl");
        c.args(["--silent", "-K", "-"])
            .env_remove(VAR_MOT_DE_PASSE)
            .stdin(Stdio::piped())
            .stderr(Stdio::piped());
        let fichier_sortie = self.tmp.join("bascule.txt");
        if detache {
            let f = std::fs::File::create(&fichier_sortie).map_err(|e| Echec::new(Code::EcritureImpossible, format!("dossier temporaire : {e}"), ""))?;
            c.stdout(f).stderr(Stdio::null());
            #[cfg(unix)]
            {
                // Out of the terminal's process group: Ctrl-C stops mutu, not the switch.
                use std::os::unix::process::CommandExt;
                c.process_group(0);
            }
        } else {
            c.stdout(Stdio::piped());
            super::meurt_avec_mutu(&mut c);
        }
        let mut enfant = c.spawn().map_err(|e| {
            Echec::new(
                Code::CurlAbsent,
                format!("impossible de lancer la commande curl : {e}"),
                "installez curl (paquet curl ; déjà présent sous macOS et Windows 10 et suivants)",
            )
        })?;
        let configuration = self.configuration(requetes, strict, parallele);
        let mut entree = enfant.stdin.take().expect("piped");
        let ecrivain = std::thread::spawn(move || {
            let _ = entree.write_all(configuration.as_bytes());
        });
        let lecteur = enfant.stderr.take().map(|mut e| {
            std::thread::spawn(move || {
                let mut s = String::new();
                let _ = std::io::Read::read_to_string(&mut e, &mut s);
                s
            })
        });
        let mut reponses = Vec::new();
        if let Some(sortie) = enfant.stdout.take() {
            for l in std::io::BufReader::new(sortie).lines().map_while(Result::ok) {
                if let Some(r) = self.reponse(&l) {
                    suivi(&r);
                    reponses.push(r);
                }
            }
        }
        let statut = enfant.wait().map_err(|e| Echec::new(Code::WebdavEchoue, format!("curl : {e}"), ""))?;
        let _ = ecrivain.join();
        let stderr = lecteur.and_then(|l| l.join().ok()).unwrap_or_default();
        if detache {
            let texte = std::fs::read_to_string(&fichier_sortie).unwrap_or_default();
            reponses = texte.lines().filter_map(|l| self.reponse(l)).collect();
        }
        if let Some(r) = reponses.iter().find(|r| r.code != 0 || (strict && !r.reussie())) {
            return Err(erreur(r, &self.nom(), &self.adresse.hote));
        }
        if !statut.success() || (strict && reponses.len() < requetes.len()) {
            let derniere = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("sans message").trim().to_string();
            return Err(Echec::new(
                Code::WebdavEchoue,
                format!(
                    "curl s'est arrêté avant la fin ({} requêtes sur {}) : {derniere}",
                    reponses.len(),
                    requetes.len()
                ),
                "curl 7.75 ou plus récent est nécessaire (`curl --version`) ; relancez, le site servi n'a pas changé",
            ));
        }
        Ok(reponses)
    }

    fn lancer_strict(&self, requetes: &[Requete]) -> Result<(), Echec> {
        if requetes.is_empty() {
            return Ok(());
        }
        self.lancer(requetes, true, false, false, &mut |_| {}).map(|_| ())
    }

    /// Requests whose 404 is an answer (the thing is absent), others must succeed.
    fn verifier(&self, reponses: &[Reponse]) -> Result<(), Echec> {
        match reponses.iter().find(|r| !r.reussie() && r.statut != 404) {
            Some(r) => Err(erreur(r, &self.nom(), &self.adresse.hote)),
            None => Ok(()),
        }
    }

    /// Lists a folder (`None`: absent).
    fn lister(&self, reponse: &Reponse, fichier: &Path) -> Result<Option<Vec<(String, bool)>>, Echec> {
        if reponse.statut == 404 {
            return Ok(None);
        }
        let xml = std::fs::read_to_string(fichier).unwrap_or_default();
        match enfants(&xml, &reponse.chemin) {
            Some(e) if reponse.statut == 207 => Ok(Some(e)),
            _ => Err(erreur(
                &Reponse {
                    statut: if reponse.statut == 207 { 200 } else { reponse.statut },
                    ..reponse.clone()
                },
                &self.nom(),
                &self.adresse.hote,
            )),
        }
    }

    fn lire_manifeste(&self, dossier: &str) -> Result<Option<Manifeste>, Echec> {
        let local = self.tmp.join("servi");
        let _ = std::fs::remove_file(&local);
        let mut r = Requete::new("GET", format!("{dossier}{MANIFESTE}"));
        r.sortie = Some(local.clone());
        let reponses = self.lancer(&[r], false, false, false, &mut |_| {})?;
        self.verifier(&reponses)?;
        Ok(std::fs::read_to_string(&local).ok().and_then(|t| Manifeste::lire(&t)))
    }
}

/// Every folder holding a file of `chemins` (ancestors included).
fn dossiers<'a>(chemins: impl Iterator<Item = &'a String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for c in chemins {
        let mut d = c.as_str();
        while let Some((parent, _)) = d.rsplit_once('/') {
            out.insert(parent.to_string());
            d = parent;
        }
    }
    out
}

impl Transport for Webdav {
    fn etat(&mut self) -> Result<Etat, Echec> {
        let (xml_racine, xml_versions) = (self.tmp.join("racine.xml"), self.tmp.join("versions.xml"));
        let mut a = Requete::new("PROPFIND", "");
        a.sortie = Some(xml_racine.clone());
        let mut b = Requete::new("PROPFIND", format!("{VERSIONS}/"));
        b.sortie = Some(xml_versions.clone());
        let reponses = self.lancer(&[a, b], false, false, false, &mut |_| {})?;
        if reponses.len() < 2 {
            return Err(Echec::new(Code::WebdavEchoue, "curl n'a pas répondu", "relancez"));
        }
        self.verifier(&reponses[..1])?;
        let racine = self.lister(&reponses[0], &xml_racine)?;
        let versions = match racine {
            Some(_) => {
                self.verifier(&reponses[1..])?;
                self.lister(&reponses[1], &xml_versions)?
            }
            None => None,
        };
        self.racine_existe = racine.is_some();
        self.versions_existe = versions.is_some();
        let nature =
            |l: Vec<(String, bool)>| -> Vec<(String, Nature)> { l.into_iter().map(|(n, d)| (n, if d { Nature::Dossier } else { Nature::Fichier })).collect() };
        let racine = racine.unwrap_or_default();
        let d = super::examiner(&self.nom(), Bascule::Dossier, &nature(racine.clone()), versions.map(nature).as_deref(), &[])?;
        let mut e = Etat::from(d);
        self.courant_existe = racine.iter().any(|(n, d)| n == COURANT && *d);
        if !self.courant_existe && e.marque {
            // A switch cut between its two MOVEs: serve the newest complete version again.
            if let Some(v) = e.versions.last().cloned() {
                if self.essai {
                    eprintln!(
                        "la dernière bascule sur {} a été interrompue : la prochaine publication servira de nouveau la version {v}",
                        self.nom()
                    );
                } else {
                    let mut r = Requete::new("MOVE", format!("{VERSIONS}/{v}/"));
                    r.destination = Some(format!("{COURANT}/"));
                    self.lancer_strict(&[r])?;
                    eprintln!(
                        "la dernière bascule sur {} avait été interrompue : la version {v} est de nouveau servie",
                        self.nom()
                    );
                    e.versions.retain(|x| *x != v);
                    self.courant_existe = true;
                }
            }
        }
        let dossier_servi = if self.courant_existe {
            Some(format!("{COURANT}/"))
        } else {
            e.versions.last().filter(|_| e.marque).map(|v| format!("{VERSIONS}/{v}/"))
        };
        if let Some(d) = dossier_servi {
            if let Some(m) = self.lire_manifeste(&d)? {
                if let Some(v) = m.version.clone() {
                    if !e.versions.contains(&v) {
                        e.versions.push(v.clone());
                        e.versions.sort();
                    }
                    self.courant = Some(v.clone());
                    self.dossiers_servis = dossiers(m.fichiers.keys());
                    e.courant = Some(v);
                    e.manifeste = Some(m);
                }
            }
        }
        Ok(e)
    }

    fn nettoyer(&mut self, marquer: bool, restes: &[String], versions: &[String]) -> Result<(), Echec> {
        if marquer {
            let m = self.tmp.join("marque");
            std::fs::write(&m, TEXTE_MARQUE).map_err(|e| Echec::new(Code::EcritureImpossible, format!("{e}"), ""))?;
            let mut requetes = Vec::new();
            if !self.racine_existe {
                requetes.push(Requete::new("MKCOL", ""));
            }
            let mut put = Requete::new("PUT", MARQUE);
            put.envoi = Some(m);
            requetes.push(put);
            self.lancer_strict(&requetes)?;
            self.racine_existe = true;
        }
        let requetes: Vec<Requete> = restes
            .iter()
            .map(|r| Requete::new("DELETE", format!("{r}/")))
            .chain(versions.iter().map(|v| Requete::new("DELETE", format!("{VERSIONS}/{v}/"))))
            .collect();
        if requetes.is_empty() {
            return Ok(());
        }
        let reponses = self.lancer(&requetes, false, false, false, &mut |_| {})?;
        self.verifier(&reponses)
    }

    fn deposer(&mut self, source: &Path, id: &str, servi: Option<&str>, plan: &Plan, manifeste: &Manifeste, suivi: &mut Suivi) -> Result<(), Echec> {
        let partiel = format!("{VERSIONS}/.{id}.partiel/");
        let local_manifeste = self.tmp.join("manifeste");
        std::fs::write(&local_manifeste, manifeste.texte()).map_err(|e| Echec::new(Code::EcritureImpossible, format!("manifeste : {e}"), ""))?;
        // 1. The partial folder and its tree, in order.
        let mut preparer = Vec::new();
        if !self.versions_existe {
            preparer.push(Requete::new("MKCOL", format!("{VERSIONS}/")));
        }
        let nouveaux = dossiers(manifeste.fichiers.keys());
        let a_creer: Vec<&String> = if servi.is_some() && self.courant_existe {
            // The served version copied on the server: only the differences travel.
            let mut copie = Requete::new("COPY", format!("{COURANT}/"));
            copie.destination = Some(partiel.clone());
            preparer.push(copie);
            let anciens = &self.dossiers_servis;
            let partis: BTreeSet<&String> = anciens.difference(&nouveaux).collect();
            let sous_un_parti = |c: &str| partis.iter().any(|d| c.starts_with(&format!("{d}/")));
            for d in &partis {
                if !sous_un_parti(d) {
                    preparer.push(Requete::new("DELETE", format!("{partiel}{d}/")));
                }
            }
            for c in &plan.supprimer {
                if !sous_un_parti(c) {
                    preparer.push(Requete::new("DELETE", format!("{partiel}{c}")));
                }
            }
            nouveaux.difference(anciens).collect()
        } else {
            preparer.push(Requete::new("MKCOL", partiel.clone()));
            nouveaux.iter().collect()
        };
        for d in a_creer {
            preparer.push(Requete::new("MKCOL", format!("{partiel}{d}/")));
        }
        let resultat = (|| {
            self.lancer_strict(&preparer)?;
            self.versions_existe = true;
            // 2. The files, several at a time.
            let mut envois: Vec<Requete> = plan
                .envoyer
                .iter()
                .map(|c| {
                    let mut r = Requete::new("PUT", format!("{partiel}{c}"));
                    r.envoi = Some(source.join(c));
                    r
                })
                .collect();
            let mut m = Requete::new("PUT", format!("{partiel}{MANIFESTE}"));
            m.envoi = Some(local_manifeste.clone());
            envois.push(m);
            let r = &self.adresse.chemin;
            let tailles: HashMap<String, u64> = plan
                .envoyer
                .iter()
                .map(|c| (format!("{r}/{partiel}{c}"), manifeste.fichiers[c].octets))
                .collect();
            self.lancer(&envois, true, true, false, &mut |r| {
                if r.reussie() {
                    if let Some(n) = tailles.get(&r.chemin) {
                        suivi.avance(*n);
                    }
                }
            })?;
            // 3. Complete: renamed to its final name.
            let mut fin = Requete::new("MOVE", partiel.clone());
            fin.destination = Some(format!("{VERSIONS}/{id}/"));
            self.lancer_strict(&[fin])
        })();
        if resultat.is_err() {
            // Best effort: frees the space at once (a full disk); else the next publication does it.
            let _ = self.lancer(&[Requete::new("DELETE", partiel)], false, false, false, &mut |_| {});
        }
        resultat
    }

    fn basculer(&mut self, id: &str) -> Result<(), Echec> {
        let mut requetes = Vec::new();
        let ancien = match &self.courant {
            Some(v) => format!("{VERSIONS}/{v}/"),
            // A served folder without a manifest: put aside, removed with the leftovers.
            None => format!("{VERSIONS}/.remplacee-{id}/"),
        };
        if self.courant_existe {
            let mut r = Requete::new("MOVE", format!("{COURANT}/"));
            r.destination = Some(ancien.clone());
            requetes.push(r);
        }
        let mut r = Requete::new("MOVE", format!("{VERSIONS}/{id}/"));
        r.destination = Some(format!("{COURANT}/"));
        requetes.push(r);
        if let Err(e) = self.lancer(&requetes, true, false, true, &mut |_| {}) {
            // The first MOVE done, the second refused: the old version goes back.
            let fichier = std::fs::read_to_string(self.tmp.join("bascule.txt")).unwrap_or_default();
            let premiere_faite = self.courant_existe && fichier.lines().next().and_then(|l| self.reponse(l)).is_some_and(|r| r.reussie());
            if premiere_faite {
                let mut retour = Requete::new("MOVE", ancien);
                retour.destination = Some(format!("{COURANT}/"));
                let _ = self.lancer_strict(&[retour]);
            }
            return Err(e);
        }
        self.courant_existe = true;
        self.courant = Some(id.to_string());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reponse(code: i32, statut: u16, methode: &str, message: &str) -> Reponse {
        Reponse {
            code,
            statut,
            methode: methode.into(),
            chemin: "/dav/versions/.x.partiel/index.html".into(),
            message: message.into(),
        }
    }

    #[test]
    fn curl_and_http_failures_get_french_diagnostics() {
        let code = |r: Reponse| erreur(&r, "webdavs://dgs@h/dav", "h").code;
        assert_eq!(code(reponse(6, 0, "PROPFIND", "Could not resolve host: h")), Code::HoteIntrouvable);
        assert_eq!(
            code(reponse(
                7,
                0,
                "PROPFIND",
                "Failed to connect to h port 1 after 0 ms: Couldn't connect to server"
            )),
            Code::ConnexionRefusee
        );
        assert_eq!(code(reponse(28, 0, "PUT", "Connection timed out")), Code::ServeurInjoignable);
        assert_eq!(
            code(reponse(60, 0, "PROPFIND", "SSL certificate problem: self-signed certificate")),
            Code::CertificatNonReconnu
        );
        assert_eq!(code(reponse(22, 401, "PROPFIND", "")), Code::AuthentificationRefusee);
        assert_eq!(code(reponse(22, 403, "MKCOL", "")), Code::PermissionRefusee);
        assert_eq!(code(reponse(22, 507, "PUT", "")), Code::DisquePlein);
        assert_eq!(code(reponse(0, 405, "PROPFIND", "")), Code::ServeurNonWebdav);
        assert_eq!(code(reponse(0, 501, "PROPFIND", "")), Code::ServeurNonWebdav);
        assert_eq!(code(reponse(22, 409, "MKCOL", "")), Code::CheminIntrouvable);
        assert_eq!(code(reponse(0, 301, "PROPFIND", "")), Code::Redirection);
        assert_eq!(
            erreur(&reponse(22, 507, "PUT", ""), "webdavs://dgs@h/dav", "h").message,
            "le serveur de webdavs://dgs@h/dav n'a plus de place (HTTP 507 pendant PUT /dav/versions/.x.partiel/index.html)"
        );
        assert_eq!(
            erreur(&reponse(22, 500, "PUT", ""), "c", "h").message,
            "le serveur h a répondu 500 à PUT /dav/versions/.x.partiel/index.html"
        );
    }

    #[test]
    fn propfind_answers_are_read_whatever_the_prefixes() {
        let apache = r#"<?xml version="1.0" encoding="utf-8"?>
<D:multistatus xmlns:D="DAV:" xmlns:ns0="DAV:">
<D:response xmlns:lp1="DAV:"><D:href>/dav/mutu%20x/</D:href><D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop></D:propstat></D:response>
<D:response xmlns:lp1="DAV:"><D:href>/dav/mutu%20x/.mutu-publication</D:href><D:propstat><D:prop><lp1:resourcetype/></D:prop></D:propstat></D:response>
<D:response xmlns:lp1="DAV:"><D:href>/dav/mutu%20x/courant/</D:href><D:propstat><D:prop><lp1:resourcetype><D:collection/></lp1:resourcetype></D:prop></D:propstat></D:response>
</D:multistatus>"#;
        assert_eq!(
            enfants(apache, "/dav/mutu x/").unwrap(),
            [(".mutu-publication".to_string(), false), ("courant".to_string(), true)]
        );
        let autre = r#"<multistatus xmlns="DAV:"><response><href>https://h/dav/v/</href><propstat><prop><resourcetype><collection/></resourcetype></prop></propstat></response>
<response><href>https://h/dav/v/%C3%A9t%C3%A9</href><propstat><prop><resourcetype/></prop></propstat></response></multistatus>"#;
        assert_eq!(enfants(autre, "/dav/v").unwrap(), [("été".to_string(), false)]);
        assert_eq!(enfants("<html><body>Bienvenue</body></html>", "/"), None);
    }

    #[test]
    fn paths_are_encoded_and_config_values_quoted() {
        assert_eq!(encoder("/dav/mutu x/é#?[1].html"), "/dav/mutu%20x/%C3%A9%23%3F%5B1%5D.html");
        assert_eq!(decoder("%C3%A9t%C3%A9%2"), "été%2");
        assert_eq!(guillemets("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
    }

    #[test]
    fn the_password_is_only_in_the_configuration_sent_on_standard_input() {
        let a = Adresse::lire(Protocole::Webdavs, "marie@intranet/dav/mutu").unwrap();
        std::env::set_var(VAR_MOT_DE_PASSE, "s3cr\"et");
        let w = Webdav::ouvrir(a, true).unwrap();
        std::env::remove_var(VAR_MOT_DE_PASSE);
        let c = w.configuration(&[Requete::new("PROPFIND", "")], false, false);
        assert!(c.contains("user = \"marie:s3cr\\\"et\"\n"), "{c}");
        assert!(c.contains("url = \"https://intranet/dav/mutu/\"\n"), "{c}");
    }
}
