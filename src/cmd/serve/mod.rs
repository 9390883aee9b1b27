//! `mutu serve`: builds the site in memory, serves it on the local machine
//! and rebuilds it whenever a file of `data/`, `content/` or `themes/`
//! changes — the site first, then the PDF with a [`PdfEngine`] kept alive so
//! typst's cache stays warm. Nothing is written to disk.
//!
//! Every page carries a small script ([`SCRIPT`]) that polls
//! `/__mutu/version` and reloads the page when the project's state changes,
//! and shows the errors of `/__mutu/erreurs` in a box. When the project has
//! errors, the last good build keeps being served.
//!
//! Requests are answered by [`repondre`], from the request head alone;
//! the sockets are `serveur.rs`'s (why it is not a crate is said there).
//! Only requests naming this computer in `Host:` are answered
//! ([`http::hote_autorise`]): any web page the user visits can send
//! requests to 127.0.0.1, and, through DNS rebinding, read the answers as
//! its own unless the name is checked.

pub mod http;
mod serveur;
pub mod watch;

use self::http::{Malformee, Methode, Reponse, Statut, Version};
use crate::cmd::build;
use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Diagnostics};
use mutu_base::format::duree_ms;
use mutu_base::source::Sources;
use mutu_base::texte::pluriel;
use mutu_base::theme::Theme;
use mutu_compute::Modele;
use mutu_pdf::PdfEngine;
use mutu_present::Document;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Port used when none is given (Zola's).
pub const PORT_PAR_DEFAUT: u16 = 1111;
/// Address used when none is given: this computer only.
pub const ADRESSE_PAR_DEFAUT: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// Ports tried after the default one when it is busy.
const PORTS_ESSAYES: u16 = 20;
/// Quiet time after the last file event before rebuilding.
const CALME: Duration = Duration::from_millis(100);
/// Reload script inserted before `</body>` of every served page; never in
/// `mutu build` output.
pub const SCRIPT: &str = include_str!("rechargement.html");

/// How `mutu serve` listens.
#[derive(Debug, Clone)]
pub struct Options {
    /// `None`: [`PORT_PAR_DEFAUT`], or the next free port.
    pub port: Option<u16>,
    pub adresse: IpAddr,
}

/// One error as the page's error box shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Erreur {
    pub code: Code,
    pub message: String,
    pub fichier: Option<String>,
    pub ligne: Option<usize>,
    pub colonne: Option<usize>,
    pub attendu: Option<String>,
    pub aide: Option<String>,
}

impl Erreur {
    fn depuis(d: &Diagnostic) -> Erreur {
        Erreur {
            code: d.code,
            message: d.message.clone(),
            fichier: d.loc.as_ref().map(|l| mutu_base::diagnostic::display_path(&l.fichier)),
            ligne: d.loc.as_ref().map(|l| l.ligne),
            colonne: d.loc.as_ref().map(|l| l.colonne),
            attendu: d.attendu.clone(),
            aide: d.aide.clone(),
        }
    }
}

type Fichiers = Arc<BTreeMap<String, Arc<[u8]>>>;

fn fichiers(files: Vec<mutu_base::fichier::Fichier>) -> Fichiers {
    Arc::new(files.into_iter().map(|f| (f.chemin, Arc::from(f.contenu))).collect())
}

/// What is served; replaced as a whole by each build.
#[derive(Default)]
pub struct Etat {
    /// Changes whenever what a page shows changes (site or errors).
    version: u64,
    /// The last good site; `None` until the first one.
    site: Option<Fichiers>,
    /// The last good PDF report.
    pdf: Fichiers,
    erreurs_projet: Vec<Erreur>,
    erreurs_pdf: Vec<Erreur>,
}

impl Etat {
    /// A state serving `site` and `pdf` at `version`, without errors (for
    /// tests and fuzzing of [`repondre`]).
    pub fn avec_site(version: u64, site: Vec<mutu_base::fichier::Fichier>, pdf: Vec<mutu_base::fichier::Fichier>) -> Etat {
        Etat {
            version,
            site: Some(fichiers(site)),
            pdf: fichiers(pdf),
            ..Etat::default()
        }
    }

    fn erreurs_json(&self) -> String {
        let explication = if !self.erreurs_projet.is_empty() {
            if self.site.is_some() {
                Some("La page affichée est celle de la dernière construction réussie ; elle se mettra à jour dès que le projet sera corrigé.")
            } else {
                Some("Le site n'a encore jamais pu être construit ; il s'affichera dès que le projet sera corrigé.")
            }
        } else if !self.erreurs_pdf.is_empty() {
            Some("Le site est à jour, mais le rapport PDF n'a pas pu être produit : le PDF servi est celui de la dernière construction réussie.")
        } else {
            None
        };
        let erreurs: Vec<&Erreur> = self.erreurs_projet.iter().chain(&self.erreurs_pdf).collect();
        serde_json::json!({ "version": self.version, "explication": explication, "erreurs": erreurs }).to_string()
    }
}

fn verrou(etat: &Mutex<Etat>) -> MutexGuard<'_, Etat> {
    etat.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `mutu serve` until the process is stopped; returns the exit code
/// when it cannot start.
pub fn run(racine: &Path, opts: &Options) -> i32 {
    if !racine.join("data").is_dir() {
        eprintln!(
            "erreur : aucun projet mutu dans « {} » : le dossier data/ est absent\n  = aide : indiquez le dossier du projet avec --racine, ou créez un projet avec « mutu new DOSSIER »",
            racine.display()
        );
        return 1;
    }
    let racine = racine.canonicalize().unwrap_or_else(|_| racine.to_path_buf());
    let listener = match ecouter(opts) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let adresse = listener
        .local_addr()
        .unwrap_or_else(|_| SocketAddr::new(opts.adresse, opts.port.unwrap_or(PORT_PAR_DEFAUT)));
    if !adresse.ip().is_loopback() {
        let ou = if adresse.ip().is_unspecified() {
            "sur toutes les interfaces réseau de cet ordinateur".to_string()
        } else {
            format!("à l'adresse {}", adresse.ip())
        };
        eprintln!("attention : le site est accessible depuis les autres ordinateurs du réseau, {ou}.\n  = aide : n'utilisez --adresse que sur un réseau de confiance ; sans cette option, seul cet ordinateur y a accès (127.0.0.1)");
    }
    // Watch before the first build, so no change made meanwhile is lost.
    let surveillance = match watch::Surveillance::new(&racine) {
        Ok(s) => Some(s),
        Err(e) => {
            eprintln!("attention : surveillance des fichiers impossible ({e}) : le site ne sera pas reconstruit automatiquement ; relancez « mutu serve » après vos modifications");
            None
        }
    };

    let etat = Arc::new(Mutex::new(Etat::default()));
    let mut c = Constructeur::new(racine.clone(), etat.clone());
    let prepare = c.site();
    if let (Some(p), Some(site)) = (&prepare, verrou(&etat).site.as_ref()) {
        println!(
            "site construit : {} en {}",
            pluriel(site.keys().filter(|k| k.ends_with(".html")).count(), "page", "pages"),
            duree_ms(p.site_ms)
        );
    }
    {
        let etat = etat.clone();
        let lance = std::thread::Builder::new()
            .name("mutu-http".into())
            .spawn(move || serveur::servir(listener, move |tete| repondre(tete, adresse, &etat)));
        if let Err(e) = lance {
            eprintln!("erreur : impossible de démarrer le serveur : {e}");
            return 1;
        }
    }
    println!("Site servi sur http://{adresse}/ — Ctrl+C pour arrêter");
    if let Some(p) = prepare {
        if let Some((ms, pages)) = c.pdf(p, true) {
            let pages = pages.map(|n| format!(" de {}", pluriel(n, "page", "pages"))).unwrap_or_default();
            println!("rapport PDF construit{pages} en {}", duree_ms(ms));
        }
    }
    let Some(mut surveillance) = surveillance else {
        loop {
            std::thread::park();
        }
    };
    while let Some(changes) = surveillance.attendre(CALME) {
        println!("modification : {}", resume_changes(&changes));
        let theme_change = changes.iter().any(|c| c == "themes" || c.starts_with("themes/"));
        let Some(p) = c.site() else { continue };
        let site_ms = p.site_ms;
        match c.pdf(p, theme_change) {
            Some((ms, _)) => println!("reconstruit en {} (site) + {} (PDF)", duree_ms(site_ms), duree_ms(ms)),
            None => println!(
                "reconstruit en {} (site) ; rapport PDF non produit, le précédent reste servi",
                duree_ms(site_ms)
            ),
        }
    }
    eprintln!("erreur : la surveillance des fichiers s'est arrêtée ; relancez « mutu serve »");
    1
}

fn resume_changes(changes: &[String]) -> String {
    const MAX: usize = 3;
    let mut s = changes.iter().take(MAX).cloned().collect::<Vec<_>>().join(", ");
    if changes.len() > MAX {
        s.push_str(&format!(" et {}", pluriel(changes.len() - MAX, "autre fichier", "autres fichiers")));
    }
    s
}

/// Binds the listening socket: the given port, or the default one and, if
/// it is busy, the next free one.
fn ecouter(opts: &Options) -> Result<TcpListener, i32> {
    let (premier, essais) = match opts.port {
        Some(p) => (p, 1),
        None => (PORT_PAR_DEFAUT, PORTS_ESSAYES),
    };
    let ip = opts.adresse;
    for k in 0..essais {
        let port = premier.saturating_add(k);
        match TcpListener::bind((ip, port)) {
            Ok(l) => {
                if k > 0 {
                    println!("le port {premier} est occupé : le site est servi sur le port {port}");
                }
                return Ok(l);
            }
            Err(e) if e.kind() == ErrorKind::AddrInUse && k + 1 < essais => continue,
            Err(e) if e.kind() == ErrorKind::AddrInUse => {
                if opts.port.is_some() {
                    eprintln!(
                        "erreur : le port {port} est déjà utilisé sur {ip} (un autre « mutu serve » tourne peut-être)\n  = aide : choisissez un autre port, par exemple « --port {} »",
                        port.saturating_add(1)
                    );
                } else {
                    eprintln!("erreur : les ports {premier} à {port} sont tous occupés sur {ip}\n  = aide : indiquez un port libre avec « --port N »");
                }
                return Err(1);
            }
            Err(e) => {
                let raison = match e.kind() {
                    ErrorKind::AddrNotAvailable => format!("l'adresse {ip} n'appartient pas à cet ordinateur"),
                    ErrorKind::PermissionDenied => format!("le port {port} est réservé à l'administrateur ; choisissez un port à partir de 1024"),
                    _ => e.to_string(),
                };
                eprintln!("erreur : impossible d'écouter sur {} : {raison}", SocketAddr::new(ip, port));
                return Err(1);
            }
        }
    }
    Err(1)
}

// ---------------------------------------------------------------------------
// Builds

/// What the site build hands to the PDF build.
struct Prepare {
    modele: Modele,
    document: Document,
    theme: Theme,
    site_ms: u128,
}

struct Constructeur {
    racine: PathBuf,
    etat: Arc<Mutex<Etat>>,
    moteur: Option<(String, PdfEngine)>,
    /// Warnings last printed, so unchanged ones are not repeated at each
    /// rebuild.
    avertissements: String,
}

impl Constructeur {
    fn new(racine: PathBuf, etat: Arc<Mutex<Etat>>) -> Constructeur {
        Constructeur {
            racine,
            etat,
            moteur: None,
            avertissements: String::new(),
        }
    }

    fn options(site: bool, pdf: bool) -> build::Options {
        build::Options {
            site,
            pdf,
            extraits: false,
            rechargement: Some(SCRIPT.to_string()),
        }
    }

    /// Publishes the errors of a failed site build (the last good site
    /// stays served).
    fn echec_site(&mut self, ds: &[Diagnostic], sources: &Sources, resume: &str) {
        let mut ds: Vec<Diagnostic> = ds.to_vec();
        let mut tout = Diagnostics::default();
        tout.extend(ds.iter().cloned());
        eprint!("{}", tout.render(sources));
        let suite = if verrou(&self.etat).site.is_some() {
            "le site servi reste celui de la dernière construction réussie"
        } else {
            "le site s'affichera dès que le projet sera corrigé"
        };
        eprintln!("construction impossible : {resume} ; {suite}");
        ds.retain(Diagnostic::is_error);
        let mut e = verrou(&self.etat);
        e.erreurs_projet = ds.iter().map(Erreur::depuis).collect();
        e.version += 1;
    }

    /// Load → check → compute → present → site. On success the new site is
    /// served at once and what the PDF needs is returned.
    fn site(&mut self) -> Option<Prepare> {
        let debut = Instant::now();
        let run = mutu_compute::pipeline::run(&self.racine);
        let m = match run.model {
            Some(m) if !run.diagnostics.has_errors() => m,
            _ => {
                let resume = run.diagnostics.summary();
                let mut ds = run.diagnostics.items;
                if !ds.iter().any(Diagnostic::is_error) {
                    ds.push(Diagnostic::error(Code::ProjetIllisible, "le projet n'a pas pu être chargé").hint("lancez « mutu check » pour le détail"));
                }
                self.echec_site(&ds, &run.sources, &resume);
                return None;
            }
        };
        let texte = run.diagnostics.render(&run.sources);
        if texte != self.avertissements {
            eprint!("{texte}");
            if !texte.is_empty() {
                eprintln!("vérification : {}", run.diagnostics.summary());
            }
            self.avertissements = texte;
        }
        let theme = match build::theme(&self.racine, &m) {
            Ok(t) => t,
            Err(ds) => {
                let resume = pluriel(ds.len(), "erreur", "erreurs");
                self.echec_site(&ds, &Sources::default(), &resume);
                return None;
            }
        };
        let document = build::document(&m, &Self::options(true, true));
        let files = match build::render(&self.racine, &m, &document, &theme, None, &Self::options(true, false)) {
            Ok(r) => r.fichiers,
            Err(ds) => {
                let resume = pluriel(ds.len(), "erreur", "erreurs");
                self.echec_site(&ds, &Sources::default(), &resume);
                return None;
            }
        };
        {
            let mut e = verrou(&self.etat);
            e.site = Some(fichiers(files));
            e.erreurs_projet.clear();
            e.version += 1;
        }
        Some(Prepare {
            modele: m,
            document,
            theme,
            site_ms: debut.elapsed().as_millis(),
        })
    }

    /// Renders the PDF with the kept engine (re-created when the theme
    /// changed). Returns the time taken and the page count, or `None` when
    /// it failed (the previous PDF stays served).
    fn pdf(&mut self, p: Prepare, theme_change: bool) -> Option<(u128, Option<usize>)> {
        let debut = Instant::now();
        let nom_theme = p.modele.config.theme.clone();
        if theme_change || self.moteur.as_ref().is_none_or(|(n, _)| *n != nom_theme) {
            self.moteur = None;
            match PdfEngine::new(&p.theme) {
                Ok(e) => self.moteur = Some((nom_theme, e)),
                Err(ds) => {
                    self.echec_pdf(&ds);
                    return None;
                }
            }
        }
        let (_, moteur) = self.moteur.as_mut().expect("created above");
        let resultat = build::render(&self.racine, &p.modele, &p.document, &p.theme, Some(&mut *moteur), &Self::options(false, true));
        for a in moteur.avertissements() {
            eprint!("{}", a.render(&Sources::default()));
        }
        match resultat {
            Ok(build::Rendu {
                fichiers: files,
                pdf_pages: pages,
                ..
            }) => {
                let mut e = verrou(&self.etat);
                e.pdf = fichiers(files);
                if !e.erreurs_pdf.is_empty() {
                    e.erreurs_pdf.clear();
                    e.version += 1;
                }
                Some((debut.elapsed().as_millis(), pages))
            }
            Err(ds) => {
                self.echec_pdf(&ds);
                None
            }
        }
    }

    fn echec_pdf(&mut self, ds: &[Diagnostic]) {
        // Engine errors may come from a broken template: start afresh next time.
        self.moteur = None;
        for d in ds {
            eprint!("{}", d.render(&Sources::default()));
            eprintln!();
        }
        eprintln!(
            "rapport PDF non produit : {} ; le PDF servi reste le précédent",
            pluriel(ds.len(), "erreur", "erreurs")
        );
        let erreurs: Vec<Erreur> = ds.iter().filter(|d| d.is_error()).map(Erreur::depuis).collect();
        let mut e = verrou(&self.etat);
        if e.erreurs_pdf != erreurs {
            e.erreurs_pdf = erreurs;
            e.version += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// Requests

/// Page served while no build has succeeded yet: it reloads itself (and
/// shows the errors) like any page.
fn page_attente() -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Projet à corriger — mutu</title>\n</head>\n<body>\n<main>\n<h1>Le site n'a pas encore pu être construit</h1>\n<p>Le projet contient des erreurs, détaillées dans le terminal et ci-dessous. Corrigez-les et enregistrez : cette page se rechargera d'elle-même.</p>\n</main>\n{SCRIPT}</body>\n</html>\n"
    )
}

/// Answers one request head: checks it (syntax, `Host:`, no body, GET or
/// HEAD), then serves an endpoint or a file of the last good build.
/// `ecoute` is the address the server listens on.
pub fn repondre(tete: &[u8], ecoute: SocketAddr, etat: &Mutex<Etat>) -> Reponse {
    let rq = match http::analyser(tete) {
        Ok(rq) => rq,
        Err(Malformee::Syntaxe) => return Reponse::texte(Statut::RequeteInvalide, "requête invalide").fermee(),
        Err(Malformee::Version) => {
            return Reponse::texte(Statut::VersionRefusee, "version HTTP non prise en charge : seules HTTP/1.0 et HTTP/1.1 le sont").fermee()
        }
    };
    let mut r = servir(&rq, ecoute, etat);
    r.sans_corps = rq.methode == Methode::Head;
    r.fermer |= rq.fermer;
    r
}

fn servir(rq: &http::Requete, ecoute: SocketAddr, etat: &Mutex<Etat>) -> Reponse {
    let refus = |statut, t: &str| Reponse::texte(statut, t).fermee();
    match &rq.hote {
        None if rq.version == Version::Http11 => return refus(Statut::RequeteInvalide, "en-tête Host manquant"),
        Some(h) if !http::hote_autorise(h, ecoute) => {
            let adresse = if ecoute.ip().is_unspecified() {
                SocketAddr::new(ADRESSE_PAR_DEFAUT, ecoute.port())
            } else {
                ecoute
            };
            return refus(Statut::HoteRefuse, &format!("hôte non autorisé : ouvrez http://{adresse}/"));
        }
        _ => {}
    }
    if rq.corps {
        return refus(
            Statut::CorpsRefuse,
            "corps de requête refusé : seules les requêtes GET et HEAD sans corps sont acceptées",
        );
    }
    if rq.methode == Methode::Autre {
        return Reponse::texte(Statut::MethodeRefusee, "méthode non autorisée : seules GET et HEAD sont acceptées");
    }
    let url = rq.cible.as_str();
    let chemin = url.split(['?', '#']).next().unwrap_or("");
    let (version, site, pdf) = {
        let e = verrou(etat);
        match chemin {
            "/__mutu/version" => return Reponse::texte(Statut::Ok, &e.version.to_string()),
            // The format reference, for a project that has no docs/ folder.
            "/__mutu/format" => return Reponse::texte(Statut::Ok, crate::docs::FORMAT),
            "/__mutu/erreurs" => return Reponse::new(Statut::Ok, "application/json", Arc::from(e.erreurs_json().into_bytes())),
            _ => (e.version, e.site.clone(), e.pdf.clone()),
        }
    };
    let candidats = match http::candidats(url) {
        Ok(c) => c,
        Err(http::Refus::Interdit) => return Reponse::texte(Statut::Interdit, "chemin refusé : il sortirait du site"),
        Err(http::Refus::Invalide) => return Reponse::texte(Statut::RequeteInvalide, "adresse invalide").fermee(),
    };
    let Some(site) = site else {
        let page = http::avec_version(page_attente().as_bytes(), version);
        return Reponse::new(Statut::Indisponible, "text/html; charset=utf-8", Arc::from(page));
    };
    let trouve = candidats
        .iter()
        .find_map(|c| site.get(c).or_else(|| pdf.get(c)).map(|f| (c.as_str(), f.clone())));
    let (statut, nom, corps) = match trouve {
        Some((nom, corps)) => (Statut::Ok, nom, corps),
        None => match site.get("404.html") {
            Some(p) => (Statut::Introuvable, "404.html", p.clone()),
            None => return Reponse::texte(Statut::Introuvable, "page introuvable"),
        },
    };
    let type_contenu = http::type_contenu(nom);
    let corps = if type_contenu.starts_with("text/html") {
        Arc::from(http::avec_version(&corps, version))
    } else {
        corps
    };
    Reponse::new(statut, type_contenu, corps)
}
