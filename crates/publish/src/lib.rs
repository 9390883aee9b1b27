//! `mutu publish` (alias `publier`): puts the last build on the extranet —
//! a mounted share or any folder ([`local`]), an SFTP account ([`sftp`]) or
//! a WebDAV folder ([`webdav`]) — atomically, with a way back.
//!
//! Layout of a publication target (its root, `<cible>`):
//!
//! ```text
//! <cible>/.mutu-publication        marker: mutu manages this folder
//! <cible>/versions/<id>/           one complete copy of the site per version
//! <cible>/versions/<id>/.mutu-manifeste   path, size and SHA-256 of each file
//! <cible>/courant -> versions/<id> the served version (the web server's root)
//! ```
//!
//! WebDAV has no symbolic link: there `courant/` is the served version's
//! folder itself, switched by two MOVEs (see [`webdav`]).
//!
//! A publication uploads into `versions/.<id>.partiel`, renames it to
//! `versions/<id>` once complete, then switches `courant` in one step
//! (a new symbolic link renamed over the old one). Readers see the old
//! site or the new one, never a mix; a publication killed at any point
//! leaves `courant` as it was, and the next one removes the leftovers
//! (`versions/.<id>.partiel…`).
//!
//! mutu removes only what it created. Before anything is written, the
//! target's root and `versions/` are listed without following links and
//! checked by [`examiner`]: only the marker, `versions/` (a real folder),
//! `courant`, the lock and switch leftovers at the root; only version
//! folders named by [`nouvel_id`] and leftovers of the forms of
//! [`est_un_reste`] in `versions/`, none of them a link. Anything else
//! stops the publication, named, with nothing touched: a `versions/` that
//! an administrator replaced by a link to another disk would otherwise
//! have its every entry removed. Only the files whose hash
//! differs from the served version's manifest are sent; the others are
//! hard-linked (or copied, on the target) from the served version, so each
//! version folder is complete on its own. The new manifest records the
//! version it replaced: `--retour` switches back to it, and each
//! publication keeps exactly the new version and that previous one.
//!
//! This module is the plan: targets, manifests, the difference between
//! two manifests, and the order of the steps; the transports do the I/O.

pub mod local;
pub mod sftp;
mod sha256;
pub mod webdav;

use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::texte::pluriel;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Marker file at the root of a publication target.
pub const MARQUE: &str = ".mutu-publication";
/// Content of the marker.
pub const TEXTE_MARQUE: &str = "Dossier de publication géré par mutu : versions/ contient les versions du site, courant désigne celle qui est servie.\n\
Ne modifiez rien ici à la main : la publication suivante remplacerait vos changements.\n";
/// Manifest file at the root of each version.
pub const MANIFESTE: &str = ".mutu-manifeste";
/// Folder of the versions.
pub const VERSIONS: &str = "versions";
/// The link naming the served version.
pub const COURANT: &str = "courant";
/// Environment variable naming the SSH key file (same as `--cle`).
pub const VAR_CLE: &str = "MUTU_CLE_SSH";

pub use mutu_model::cible::{Adresse, Cible, CibleInvalide, Protocole};

/// Whether a target's written form carries a password (`utilisateur:secret@`).
pub fn contient_un_secret(texte: &str) -> bool {
    mutu_model::config::cible_avec_mot_de_passe(texte)
}

impl From<CibleInvalide> for Echec {
    fn from(e: CibleInvalide) -> Echec {
        Echec::new(Code::CibleInvalide, e.message, e.aide)
    }
}

/// Why a publication did not happen; nothing was switched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Echec {
    pub code: Code,
    pub message: String,
    pub aide: String,
}

impl Echec {
    pub fn new(code: Code, message: impl Into<String>, aide: impl Into<String>) -> Echec {
        Echec {
            code,
            message: message.into(),
            aide: aide.into(),
        }
    }

    pub fn diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.code, self.message.clone()).hint(self.aide.clone())
    }
}

/// One file of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entree {
    /// SHA-256, lowercase hexadecimal.
    pub empreinte: String,
    pub octets: u64,
}

/// What a version holds: every file, with its hash.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifeste {
    /// The version this manifest describes.
    pub version: Option<String>,
    /// The version it replaced when it was published.
    pub precedente: Option<String>,
    pub fichiers: BTreeMap<String, Entree>,
}

const ENTETE: &str = "mutu-manifeste 1";

impl Manifeste {
    /// The text written on the target.
    pub fn texte(&self) -> String {
        let mut s = format!("{ENTETE}\n");
        if let Some(v) = &self.version {
            s.push_str(&format!("version {v}\n"));
        }
        if let Some(p) = &self.precedente {
            s.push_str(&format!("precedente {p}\n"));
        }
        for (chemin, e) in &self.fichiers {
            s.push_str(&format!("{} {} {chemin}\n", e.empreinte, e.octets));
        }
        s
    }

    /// Reads a manifest; `None` when it is not one (then every file is sent).
    pub fn lire(texte: &str) -> Option<Manifeste> {
        let mut lignes = texte.lines();
        if lignes.next()? != ENTETE {
            return None;
        }
        let mut m = Manifeste::default();
        for l in lignes {
            if let Some(v) = l.strip_prefix("version ") {
                m.version = Some(v.to_string());
                continue;
            }
            if let Some(p) = l.strip_prefix("precedente ") {
                m.precedente = Some(p.to_string());
                continue;
            }
            let (empreinte, reste) = l.split_once(' ')?;
            let (octets, chemin) = reste.split_once(' ')?;
            if empreinte.len() != 64 || !chemin_sur(chemin) {
                return None;
            }
            m.fichiers.insert(
                chemin.to_string(),
                Entree {
                    empreinte: empreinte.to_string(),
                    octets: octets.parse().ok()?,
                },
            );
        }
        Some(m)
    }

    pub fn octets(&self) -> u64 {
        self.fichiers.values().map(|e| e.octets).sum()
    }
}

/// A relative path made of plain names, without a newline (one manifest line).
fn chemin_sur(chemin: &str) -> bool {
    !chemin.is_empty() && !chemin.contains(['\n', '\r', '\\']) && chemin.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// The manifest of the built site in `source` (mutu's build marker left out).
pub fn inventaire(source: &Path) -> Result<Manifeste, Echec> {
    let mut m = Manifeste::default();
    for e in walkdir::WalkDir::new(source).sort_by_file_name() {
        let e = e.map_err(|e| {
            Echec::new(
                Code::SourceIllisible,
                format!("impossible de lire {} : {e}", source.display()),
                "relancez `mutu build`",
            )
        })?;
        if e.depth() == 0 || e.file_type().is_dir() {
            continue;
        }
        let rel = e.path().strip_prefix(source).expect("under source");
        let chemin = rel.to_str().map(|c| c.replace(std::path::MAIN_SEPARATOR, "/")).filter(|c| chemin_sur(c));
        let Some(chemin) = chemin else {
            return Err(Echec::new(
                Code::SourceIllisible,
                format!("nom de fichier impossible à publier : {}", e.path().display()),
                "les fichiers publiés ont des noms en UTF-8, sans retour à la ligne ni barre oblique inversée",
            ));
        };
        if chemin == mutu_base::output::regles::MARQUE {
            continue;
        }
        if !e.file_type().is_file() {
            return Err(Echec::new(
                Code::SourceIllisible,
                format!("{} n'est pas un fichier ordinaire (lien symbolique ?)", e.path().display()),
                "le dossier construit ne contient que des fichiers : relancez `mutu build`",
            ));
        }
        let octets = std::fs::read(e.path()).map_err(|err| {
            Echec::new(
                Code::SourceIllisible,
                format!("impossible de lire {} : {err}", e.path().display()),
                "relancez `mutu build`",
            )
        })?;
        m.fichiers.insert(
            chemin,
            Entree {
                empreinte: sha256::hex(&octets),
                octets: octets.len() as u64,
            },
        );
    }
    Ok(m)
}

/// What a publication does, computed from the served manifest and the new one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// New or changed files: sent.
    pub envoyer: Vec<String>,
    /// Files identical on the target: linked or copied there, not sent.
    pub garder: Vec<String>,
    /// Files of the served version absent from the new one.
    pub supprimer: Vec<String>,
}

impl Plan {
    pub fn calculer(servi: Option<&Manifeste>, nouveau: &Manifeste) -> Plan {
        let mut p = Plan::default();
        for (chemin, e) in &nouveau.fichiers {
            if servi.and_then(|s| s.fichiers.get(chemin)) == Some(e) {
                p.garder.push(chemin.clone());
            } else {
                p.envoyer.push(chemin.clone());
            }
        }
        if let Some(s) = servi {
            p.supprimer = s.fichiers.keys().filter(|c| !nouveau.fichiers.contains_key(*c)).cloned().collect();
        }
        p
    }

    pub fn octets(&self, nouveau: &Manifeste) -> u64 {
        self.envoyer.iter().map(|c| nouveau.fichiers[c].octets).sum()
    }

    pub fn vide(&self) -> bool {
        self.envoyer.is_empty() && self.supprimer.is_empty()
    }
}

/// What is on the target before a publication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Etat {
    /// The root carries [`MARQUE`].
    pub marque: bool,
    /// The root is absent or empty.
    pub vide: bool,
    /// Complete versions (names in `versions/`), sorted.
    pub versions: Vec<String>,
    /// Leftovers of interrupted publications (dot names in `versions/` or
    /// temporary links at the root).
    pub restes: Vec<String>,
    /// The served version.
    pub courant: Option<String>,
    /// Its manifest.
    pub manifeste: Option<Manifeste>,
}

impl Etat {
    /// Refuses a target that mutu does not manage.
    pub fn verifier(&self, cible: &str) -> Result<(), Echec> {
        if self.marque || self.vide {
            Ok(())
        } else {
            Err(Echec::new(
                Code::CibleEtrangere,
                format!("publication refusée : {cible} n'est pas vide et n'a pas été préparée par mutu"),
                format!("mutu ne publie que dans un dossier vide ou qu'il gère déjà (il contient le fichier {MARQUE}) : indiquez un sous-dossier vide, par exemple …/mutualisation"),
            ))
        }
    }

    /// The version `--retour` switches to.
    pub fn precedente(&self) -> Option<&str> {
        let p = self.manifeste.as_ref()?.precedente.as_deref()?;
        self.versions.iter().any(|v| v == p).then_some(p)
    }
}

/// What an entry of a target is, read without following symbolic links
/// (`symlink_metadata`, the first letter of an SFTP listing, WebDAV's
/// collection flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nature {
    Dossier,
    Fichier,
    Lien,
    /// A device, a socket, a pipe…
    Autre,
}

impl Nature {
    fn nom(self) -> &'static str {
        match self {
            Nature::Dossier => "un dossier",
            Nature::Fichier => "un fichier",
            Nature::Lien => "un lien symbolique",
            Nature::Autre => "un fichier spécial",
        }
    }
}

/// A version name made by [`nouvel_id`]: `AAAAMMJJ-HHMMSS`, maybe `-N`.
pub fn est_un_id(nom: &str) -> bool {
    let b = nom.as_bytes();
    let chiffres = |r: &[u8]| !r.is_empty() && r.iter().all(u8::is_ascii_digit);
    b.len() >= 15 && chiffres(&b[..8]) && b[8] == b'-' && chiffres(&b[9..15]) && (b.len() == 15 || (b[15] == b'-' && chiffres(&b[16..])))
}

/// A leftover of mutu's in `versions/`: `.<id>.partiel`, `.<id>.partiel-N`
/// (a publication under way or interrupted), `.remplacee-<id>` (WebDAV: a
/// served folder without a manifest, put aside by the switch).
pub fn est_un_reste(nom: &str) -> bool {
    if let Some(id) = nom.strip_prefix(".remplacee-") {
        return est_un_id(id);
    }
    let Some(reste) = nom.strip_prefix('.') else { return false };
    let Some((id, suite)) = reste.split_once(".partiel") else { return false };
    est_un_id(id) && (suite.is_empty() || suite.strip_prefix('-').is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit())))
}

/// The temporary link made beside `courant` by a switch (`.courant.neuf`, or
/// `.courant.neuf-<pid>` on a folder).
pub fn est_un_lien_neuf(nom: &str) -> bool {
    nom == ".courant.neuf"
        || nom
            .strip_prefix(".courant.neuf-")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|c| c.is_ascii_digit()))
}

/// How `courant` is made on a kind of target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bascule {
    /// A symbolic link (folder, SFTP).
    Lien,
    /// The served folder itself (WebDAV).
    Dossier,
}

/// What the root and `versions/` of a target hold, checked to be mutu's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Disposition {
    pub marque: bool,
    pub vide: bool,
    /// Complete versions, sorted.
    pub versions: Vec<String>,
    /// Leftovers, relative to the root, sorted.
    pub restes: Vec<String>,
}

impl From<Disposition> for Etat {
    /// The state a transport starts from: what [`examiner`] read; the
    /// served version and its manifest are the transport's to read.
    fn from(d: Disposition) -> Etat {
        Etat {
            marque: d.marque,
            vide: d.vide,
            versions: d.versions,
            restes: d.restes,
            ..Etat::default()
        }
    }
}

/// Checks a target's layout before anything is written or removed: a
/// target that is not empty must carry the marker, and then hold only what
/// mutu makes — the marker, `versions/` (a real folder), `courant` (the
/// link, or the folder on WebDAV), the lock file, switch leftovers — and in
/// `versions/` only version folders and publication leftovers, none of them
/// a symbolic link. Anything else is refused by name: mutu never removes,
/// or writes through, what it did not create. `versions` is `None` when the
/// folder is absent. `ignorer` names entries of the root that do not count
/// (a folder's own lock file).
pub fn examiner(
    cible: &str,
    bascule: Bascule,
    racine: &[(String, Nature)],
    versions: Option<&[(String, Nature)]>,
    ignorer: &[&str],
) -> Result<Disposition, Echec> {
    let racine: Vec<&(String, Nature)> = racine.iter().filter(|(n, _)| !ignorer.contains(&n.as_str())).collect();
    let mut d = Disposition {
        marque: racine.iter().any(|(n, t)| n == MARQUE && *t == Nature::Fichier),
        vide: racine.is_empty(),
        ..Disposition::default()
    };
    let etat = Etat {
        marque: d.marque,
        vide: d.vide,
        ..Etat::default()
    };
    etat.verifier(cible)?;
    let refus = |quoi: String| {
        Echec::new(
            Code::CibleEtrangere,
            format!("publication refusée : {cible} contient {quoi}, que mutu n'a pas créé"),
            "mutu ne supprime et ne modifie que ce qu'il a créé dans la cible : déplacez cet élément hors de la cible (ou publiez dans un dossier vide) puis relancez ; rien n'a été modifié",
        )
    };
    let affiche = |n: &str| -> String { n.escape_debug().collect() };
    let attendu_courant = match bascule {
        Bascule::Lien => Nature::Lien,
        Bascule::Dossier => Nature::Dossier,
    };
    for (n, t) in &racine {
        let attendu = match n.as_str() {
            MARQUE => Nature::Fichier,
            VERSIONS => Nature::Dossier,
            COURANT => attendu_courant,
            n if bascule == Bascule::Lien && est_un_lien_neuf(n) => {
                d.restes.push(n.to_string());
                Nature::Lien
            }
            autre => return Err(refus(format!("« {} » ({})", affiche(autre), t.nom()))),
        };
        if *t != attendu {
            return Err(refus(format!("« {} », qui est {} et non {}", affiche(n), t.nom(), attendu.nom())));
        }
    }
    for (n, t) in versions.unwrap_or_default() {
        let chemin = format!("{VERSIONS}/{n}");
        if est_un_id(n) || est_un_reste(n) {
            if *t != Nature::Dossier {
                return Err(refus(format!("« {} », qui est {} et non un dossier", affiche(&chemin), t.nom())));
            }
            if est_un_id(n) {
                d.versions.push(n.clone());
            } else {
                d.restes.push(chemin);
            }
        } else {
            return Err(refus(format!("« {} » ({})", affiche(&chemin), t.nom())));
        }
    }
    d.versions.sort();
    d.restes.sort();
    Ok(d)
}

/// The I/O of one kind of target. Every method either does all its work or
/// leaves the served version untouched.
pub trait Transport {
    /// Reads the target's state (nothing is written).
    fn etat(&mut self) -> Result<Etat, Echec>;
    /// Writes the marker if absent and removes `restes` and the versions
    /// named in `versions`.
    fn nettoyer(&mut self, marquer: bool, restes: &[String], versions: &[String]) -> Result<(), Echec>;
    /// Builds `versions/<id>` complete: the plan's kept files from the
    /// served version `servi`, the others from `source`, then the manifest;
    /// calls `suivi` after each sent file.
    fn deposer(&mut self, source: &Path, id: &str, servi: Option<&str>, plan: &Plan, manifeste: &Manifeste, suivi: &mut Suivi) -> Result<(), Echec>;
    /// Makes `versions/<id>` the served version, in one step.
    fn basculer(&mut self, id: &str) -> Result<(), Echec>;
}

/// Progress of a long transfer: one line on stderr per second, after the first.
pub struct Suivi {
    total: usize,
    octets_total: u64,
    fait: usize,
    octets: u64,
    debut: std::time::Instant,
    dernier: std::time::Instant,
}

impl Suivi {
    pub fn new(total: usize, octets_total: u64) -> Suivi {
        let maintenant = std::time::Instant::now();
        Suivi {
            total,
            octets_total,
            fait: 0,
            octets: 0,
            debut: maintenant,
            dernier: maintenant,
        }
    }

    pub fn avance(&mut self, octets: u64) {
        self.fait += 1;
        self.octets += octets;
        let maintenant = std::time::Instant::now();
        if maintenant.duration_since(self.debut).as_secs() >= 1 && maintenant.duration_since(self.dernier).as_secs() >= 1 {
            self.dernier = maintenant;
            eprintln!(
                "… envoi : {} sur {} fichiers, {} sur {}",
                self.fait,
                self.total,
                mutu_base::format::octets(self.octets),
                mutu_base::format::octets(self.octets_total)
            );
        }
    }
}

/// The result of a publication.
#[derive(Debug)]
pub struct Bilan {
    pub plan: Plan,
    pub octets: u64,
    /// `None`: nothing to publish, the target is up to date.
    pub version: Option<String>,
    pub millisecondes: u128,
}

/// A transport's local temporary folder (answers, manifest and marker to
/// upload or download), removed on drop.
pub(crate) struct Temporaire(PathBuf);

impl Temporaire {
    pub(crate) fn new(prefixe: &str) -> Result<Temporaire, Echec> {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = std::env::temp_dir().join(format!("mutu-{prefixe}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp).map_err(|e| {
            Echec::new(
                Code::EcritureImpossible,
                format!("dossier temporaire impossible : {e}"),
                "vérifiez le dossier temporaire",
            )
        })?;
        Ok(Temporaire(tmp))
    }
}

impl std::ops::Deref for Temporaire {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Temporaire {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A transfer command (sftp, curl) dies with mutu (Linux): a killed
/// publication stops sending at once instead of finishing behind the user's back.
pub(crate) fn meurt_avec_mutu(c: &mut std::process::Command) {
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::process::CommandExt;
        // SAFETY: prctl only sets a flag of the child process.
        unsafe {
            c.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = c;
}

/// A new version name: the UTC time, `AAAAMMJJ-HHMMSS`, made unique.
pub fn nouvel_id(existantes: &[String], secondes: u64) -> String {
    let d = mutu_model::values::Date::depuis_jours_unix((secondes / 86_400) as i64);
    let s = secondes % 86_400;
    let base = format!("{}-{:02}{:02}{:02}", d.compact(), s / 3600, s / 60 % 60, s % 60);
    let mut id = base.clone();
    let mut n = 2;
    while existantes.contains(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Publishes the built site in `source` (nothing is written when `essai`).
pub fn publier(t: &mut dyn Transport, nom: &str, source: &Path, essai: bool) -> Result<Bilan, Echec> {
    let debut = std::time::Instant::now();
    let mut nouveau = inventaire(source)?;
    let etat = t.etat()?;
    etat.verifier(nom)?;
    let plan = Plan::calculer(etat.manifeste.as_ref(), &nouveau);
    let octets = plan.octets(&nouveau);
    let bilan = |plan, version| Bilan {
        plan,
        octets,
        version,
        millisecondes: debut.elapsed().as_millis(),
    };
    if essai || (plan.vide() && etat.courant.is_some() && etat.manifeste.is_some()) {
        return Ok(bilan(plan, None));
    }
    // The transports list only names of these forms; checked again here,
    // where removal is decided, so that no other name can ever be removed.
    let restes: Vec<String> = etat
        .restes
        .iter()
        .filter(|r| match r.strip_prefix(&format!("{VERSIONS}/")) {
            Some(n) => est_un_reste(n),
            None => est_un_lien_neuf(r),
        })
        .cloned()
        .collect();
    t.nettoyer(!etat.marque, &restes, &[])?;
    let secondes = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let id = nouvel_id(&etat.versions, secondes);
    nouveau.precedente = etat.courant.clone();
    nouveau.version = Some(id.clone());
    let servi = etat.courant.as_deref().filter(|_| etat.manifeste.is_some());
    let mut suivi = Suivi::new(plan.envoyer.len(), octets);
    t.deposer(source, &id, servi, &plan, &nouveau, &mut suivi)?;
    t.basculer(&id)?;
    // Kept: the new version and the one it replaced.
    let anciennes: Vec<String> = etat
        .versions
        .iter()
        .filter(|v| Some(v.as_str()) != etat.courant.as_deref() && est_un_id(v))
        .cloned()
        .collect();
    if let Err(e) = t.nettoyer(false, &[], &anciennes) {
        eprintln!("avertissement : {} ({})", e.message, e.aide);
    }
    Ok(bilan(plan, Some(id)))
}

/// Switches back to the version the served one replaced: `(from, to)`.
pub fn revenir(t: &mut dyn Transport, nom: &str) -> Result<(String, String), Echec> {
    let etat = t.etat()?;
    etat.verifier(nom)?;
    let Some(courant) = etat.courant.clone() else {
        return Err(Echec::new(
            Code::RetourImpossible,
            format!("rien n'est publié dans {nom}"),
            "publiez d'abord avec `mutu publish`",
        ));
    };
    let Some(precedente) = etat.precedente().map(str::to_string) else {
        return Err(Echec::new(
            Code::RetourImpossible,
            format!("aucune version précédente de {courant} dans {nom}"),
            "mutu garde la version servie et celle qu'elle a remplacée ; après un retour, la version d'avant n'existe plus : republiez le site voulu avec `mutu publish`",
        ));
    };
    t.basculer(&precedente)?;
    Ok((courant, precedente))
}

/// Prints a dry run: what would be sent and removed.
pub fn afficher_essai(b: &Bilan, nouveau_total: usize, nom: &str) {
    for c in &b.plan.envoyer {
        println!("à envoyer : {c}");
    }
    for c in &b.plan.supprimer {
        println!("à supprimer : {c}");
    }
    println!(
        "essai : {} à envoyer ({}), {} à supprimer, {} sur {nouveau_total} ; rien n'a été modifié dans {nom}",
        pluriel(b.plan.envoyer.len(), "fichier", "fichiers"),
        mutu_base::format::octets(b.octets),
        pluriel(b.plan.supprimer.len(), "fichier", "fichiers"),
        pluriel(b.plan.garder.len(), "inchangé", "inchangés"),
    );
}

/// The French summary of a publication.
pub fn resume(b: &Bilan, nom: &str) -> String {
    match &b.version {
        None => format!(
            "rien à publier : {nom} sert déjà ce site ({})",
            pluriel(b.plan.garder.len(), "fichier", "fichiers")
        ),
        Some(v) => format!(
            "publication terminée : {} envoyé{} ({}), {} supprimé{}, {} en {} → {nom} (version {v})",
            pluriel(b.plan.envoyer.len(), "fichier", "fichiers"),
            if b.plan.envoyer.len() > 1 { "s" } else { "" },
            mutu_base::format::octets(b.octets),
            pluriel(b.plan.supprimer.len(), "fichier", "fichiers"),
            if b.plan.supprimer.len() > 1 { "s" } else { "" },
            pluriel(b.plan.garder.len(), "inchangé", "inchangés"),
            mutu_base::format::duree_ms(b.millisecondes),
        ),
    }
}

/// Options of `mutu publish`.
#[derive(Debug, Default)]
pub struct Options {
    pub cible: Option<String>,
    pub essai: bool,
    pub retour: bool,
    pub cle: Option<PathBuf>,
    /// The built folder to send (`public/` of the project unless
    /// `--sortie` names the one `mutu build --sortie` wrote).
    pub source: PathBuf,
}

/// `publication:` of data/configuration.yaml, read on its own: publishing
/// needs only the target, not a valid project.
fn cible_configuree(racine: &Path) -> Result<Option<String>, Echec> {
    #[derive(serde::Deserialize)]
    struct Lache {
        #[serde(default)]
        publication: Option<mutu_model::config::Publication>,
    }
    let chemin = racine.join(mutu_model::load::CONFIG_FILE);
    let Ok(texte) = std::fs::read_to_string(&chemin) else { return Ok(None) };
    match serde_yaml::from_str::<Lache>(&texte) {
        Ok(l) => Ok(l.publication.and_then(|p| p.cible)),
        Err(e) => Err(Echec::new(
            Code::ConfigurationInvalide,
            format!("bloc publication illisible dans {} : {e}", mutu_model::load::CONFIG_FILE),
            "`mutu check` montre l'erreur en détail",
        )),
    }
}

/// Runs `mutu publish` once the site is built; returns the exit code.
pub fn commande(racine: &Path, o: &Options) -> i32 {
    let echec = |e: Echec, code: i32| {
        eprint!("{}", e.diagnostic().render(&mutu_base::source::Sources::default()));
        eprintln!();
        eprintln!(
            "{}",
            if o.retour {
                "retour annulé : la version servie n'a pas changé"
            } else {
                "publication annulée : la version servie n'a pas changé"
            }
        );
        code
    };
    let texte = match o.cible.clone().map(Ok).unwrap_or_else(|| {
        cible_configuree(racine).transpose().unwrap_or(Err(Echec::new(
            Code::CibleAbsente,
            "aucune cible de publication",
            "indiquez-la avec `--cible` (un dossier, sftp://utilisateur@hote/chemin, webdavs://utilisateur@hote/chemin) ou dans data/configuration.yaml, bloc `publication:` (`cible: …`)",
        )))
    }) {
        Ok(t) => t,
        Err(e) => return echec(e, 2),
    };
    if contient_un_secret(&texte) {
        return echec(
            Echec::new(
                Code::SecretDansLaCible,
                "la cible contient un mot de passe (utilisateur:mot-de-passe@…)",
                "retirez-le : SFTP s'authentifie par l'agent SSH ou une clé (`--cle`), WebDAV par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie dans le terminal, jamais par un mot de passe écrit",
            ),
            2,
        );
    }
    let cible = match Cible::lire(&texte) {
        Ok(c) => c,
        Err(e) => return echec(e.into(), 2),
    };
    let source = o.source.clone();
    if !o.retour && !mutu_base::output::regles::produit_par_mutu(&source) {
        return echec(
            Echec::new(
                Code::RienAPublier,
                format!("aucune construction à publier dans {}", source.display()),
                "construisez d'abord le site (`mutu build`), ou ajoutez `--construire`",
            ),
            1,
        );
    }
    let mut transport: Box<dyn Transport> = match &cible {
        Cible::Local(dossier) => match local::Local::ouvrir(racine, &source, dossier, o.essai) {
            Ok(l) => Box::new(l),
            Err((e, code)) => return echec(e, code),
        },
        Cible::Sftp(a) => match sftp::Sftp::ouvrir(a.clone(), o.cle.clone()) {
            Ok(s) => Box::new(s),
            Err(e) => return echec(e, 2),
        },
        Cible::Webdav(a) => match webdav::Webdav::ouvrir(a.clone(), o.essai) {
            Ok(w) => Box::new(w),
            Err(e) => return echec(e, 2),
        },
    };
    let nom = texte.trim().to_string();
    if o.retour {
        return match revenir(transport.as_mut(), &nom) {
            Ok((de, vers)) => {
                println!("retour effectué : {nom} sert la version {vers} (la version {de} reste sur la cible jusqu'à la prochaine publication)");
                0
            }
            Err(e) => echec(e, 1),
        };
    }
    match publier(transport.as_mut(), &nom, &source, o.essai) {
        Ok(b) if o.essai => {
            afficher_essai(&b, b.plan.envoyer.len() + b.plan.garder.len(), &nom);
            0
        }
        Ok(b) => {
            println!("{}", resume(&b, &nom));
            0
        }
        Err(e) => echec(e, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(fichiers: &[(&str, &str)]) -> Manifeste {
        Manifeste {
            version: None,
            precedente: None,
            fichiers: fichiers
                .iter()
                .map(|(c, t)| {
                    (
                        c.to_string(),
                        Entree {
                            empreinte: sha256::hex(t.as_bytes()),
                            octets: t.len() as u64,
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn targets_are_read() {
        assert_eq!(Cible::lire("/mnt/extranet/mutu").unwrap(), Cible::Local(PathBuf::from("/mnt/extranet/mutu")));
        assert_eq!(
            Cible::lire("sftp://dgs@extranet.example.fr:2222/www/mutu").unwrap(),
            Cible::Sftp(Adresse {
                protocole: Protocole::Sftp,
                utilisateur: Some("dgs".into()),
                hote: "extranet.example.fr".into(),
                port: Some(2222),
                chemin: "/www/mutu".into()
            })
        );
        assert_eq!(
            Cible::lire("webdavs://marie.dupont@cc-exemple.fr@intranet:8443/dav/mutu/").unwrap(),
            Cible::Webdav(Adresse {
                protocole: Protocole::Webdavs,
                utilisateur: Some("marie.dupont@cc-exemple.fr".into()),
                hote: "intranet".into(),
                port: Some(8443),
                chemin: "/dav/mutu".into()
            })
        );
        assert_eq!(
            Cible::lire("webdav://intranet").unwrap_err().message,
            "adresse WebDAV invalide : « webdav://intranet » (chemin absent)"
        );
        assert!(matches!(
            Cible::lire("webdav://h/a").unwrap(),
            Cible::Webdav(Adresse {
                protocole: Protocole::Webdav,
                ..
            })
        ));
        assert!(Cible::lire("sftp://a@b@hote/www").is_err(), "an SFTP user name is a plain name");
        assert_eq!(Cible::lire("ftp://hote/x").unwrap_err().message, "type de cible inconnu : « ftp:// »");
        assert!(contient_un_secret("sftp://dgs:motdepasse@hote/www"));
        assert!(contient_un_secret("webdavs://a:b@hote/dav"));
        assert!(!contient_un_secret("sftp://dgs@hote:22/www"));
        assert!(!contient_un_secret("/mnt/a:b@c"));
    }

    #[test]
    fn manifests_round_trip_and_refuse_bad_lines() {
        let mut a = m(&[("index.html", "<p>"), ("a/b.css", "x")]);
        a.precedente = Some("20261130-043649".into());
        a.version = Some("20261130-050000".into());
        assert_eq!(Manifeste::lire(&a.texte()), Some(a.clone()));
        assert!(a.texte().starts_with("mutu-manifeste 1\nversion 20261130-050000\nprecedente 20261130-043649\n"));
        assert_eq!(Manifeste::lire("autre chose"), None);
        let h = sha256::hex(b"");
        assert_eq!(Manifeste::lire(&format!("mutu-manifeste 1\n{h} 0 ../x\n")), None, "a path leaving the version");
        assert_eq!(Manifeste::lire(&format!("mutu-manifeste 1\n{h} x a\n")), None);
        assert_eq!(a.octets(), 4);
    }

    #[test]
    fn the_plan_sends_only_what_changed() {
        let servi = m(&[("index.html", "v1"), ("a.css", "même"), ("vieux.html", "z")]);
        let nouveau = m(&[("index.html", "v2"), ("a.css", "même"), ("neuf.html", "nouveau")]);
        let p = Plan::calculer(Some(&servi), &nouveau);
        assert_eq!(p.envoyer, ["index.html", "neuf.html"]);
        assert_eq!(p.garder, ["a.css"]);
        assert_eq!(p.supprimer, ["vieux.html"]);
        assert_eq!(p.octets(&nouveau), 2 + 7);
        let premier = Plan::calculer(None, &nouveau);
        assert_eq!(premier.envoyer.len(), 3);
        assert!(premier.supprimer.is_empty());
        assert!(Plan::calculer(Some(&nouveau), &nouveau).vide());
    }

    #[test]
    fn version_names_are_utc_times_made_unique() {
        // 2026-11-30 04:36:49 UTC.
        assert_eq!(nouvel_id(&[], 1_796_013_409), "20261130-043649");
        assert_eq!(nouvel_id(&["20261130-043649".into()], 1_796_013_409), "20261130-043649-2");
        assert_eq!(nouvel_id(&[], 951_782_400), "20000229-000000");
        assert_eq!(nouvel_id(&[], 0), "19700101-000000");
    }

    #[test]
    fn only_mutus_own_names_are_versions_or_leftovers() {
        for id in ["20261130-043649", "20261130-043649-2", "19700101-000000-12"] {
            assert!(est_un_id(id), "{id}");
            assert!(est_un_reste(&format!(".{id}.partiel")), "{id}");
            assert!(est_un_reste(&format!(".{id}.partiel-4242")), "{id}");
            assert!(est_un_reste(&format!(".remplacee-{id}")), "{id}");
        }
        for n in [
            "",
            "notes.txt",
            ".ssh",
            "Documents",
            "2026113-043649",
            "20261130-043649-",
            "20261130-04364é",
            "20261130_043649",
            "20261130-043649-x",
            "../20261130-043649",
        ] {
            assert!(!est_un_id(n), "{n}");
        }
        for n in [
            ".ssh",
            ".cache",
            ".20261130-043649",
            ".20261130-043649.partiel-",
            ".x.partiel",
            ".20261130-043649.partielx",
            ".remplacee-x",
            "20261130-043649.partiel",
        ] {
            assert!(!est_un_reste(n), "{n}");
        }
        assert!(est_un_lien_neuf(".courant.neuf") && est_un_lien_neuf(".courant.neuf-123"));
        assert!(!est_un_lien_neuf(".courant.neuf-") && !est_un_lien_neuf(".courant.neufx"));
    }

    #[test]
    fn a_layout_that_is_not_mutus_own_is_refused_by_name() {
        let l = |v: &[(&str, Nature)]| v.iter().map(|(n, t)| (n.to_string(), *t)).collect::<Vec<_>>();
        let racine = l(&[
            (MARQUE, Nature::Fichier),
            (VERSIONS, Nature::Dossier),
            (COURANT, Nature::Lien),
            (".courant.neuf-7", Nature::Lien),
        ]);
        let versions = l(&[
            ("20261130-043649", Nature::Dossier),
            ("20261201-000000", Nature::Dossier),
            (".20261202-000000.partiel-9", Nature::Dossier),
        ]);
        let d = examiner("/x", Bascule::Lien, &racine, Some(&versions), &[]).unwrap();
        assert_eq!(d.versions, ["20261130-043649", "20261201-000000"]);
        assert_eq!(d.restes, [".courant.neuf-7", "versions/.20261202-000000.partiel-9"]);
        let refus =
            |racine: &[(String, Nature)], versions: &[(String, Nature)], bascule| examiner("/x", bascule, racine, Some(versions), &[]).unwrap_err().message;
        let mut r = racine.clone();
        r[1].1 = Nature::Lien;
        assert_eq!(
            refus(&r, &versions, Bascule::Lien),
            "publication refusée : /x contient « versions », qui est un lien symbolique et non un dossier, que mutu n'a pas créé"
        );
        assert!(refus(&racine, &versions, Bascule::Dossier).contains("« courant », qui est un lien symbolique et non un dossier"));
        let mut v = versions.clone();
        v[0].1 = Nature::Lien;
        assert!(refus(&racine, &v, Bascule::Lien).contains("« versions/20261130-043649 », qui est un lien symbolique et non un dossier"));
        v[0] = (".ssh".into(), Nature::Dossier);
        assert!(refus(&racine, &v, Bascule::Lien).contains("« versions/.ssh » (un dossier)"));
        v[0] = ("notes\n.txt".into(), Nature::Fichier);
        assert!(
            refus(&racine, &v, Bascule::Lien).contains("« versions/notes\\n.txt » (un fichier)"),
            "control characters shown escaped"
        );
        let mut r = racine.clone();
        r.push(("Documents".into(), Nature::Dossier));
        assert!(refus(&r, &versions, Bascule::Lien).contains("« Documents » (un dossier)"));
        // WebDAV: no temporary link, `courant` a folder.
        let mut r = racine.clone();
        r[2].1 = Nature::Dossier;
        r.pop();
        assert!(examiner("/x", Bascule::Dossier, &r, Some(&versions), &[]).is_ok());
        // Unmarked: empty (maybe but for the lock) or refused as before.
        let verrou = l(&[(".courant.verrou-mutu", Nature::Fichier)]);
        assert!(examiner("/x", Bascule::Lien, &verrou, None, &[".courant.verrou-mutu"]).unwrap().vide);
        assert_eq!(examiner("/x", Bascule::Lien, &verrou, None, &[]).unwrap_err().code, Code::CibleEtrangere);
    }

    #[test]
    fn the_way_back_is_the_replaced_version_if_still_there() {
        let mut manifeste = m(&[]);
        manifeste.precedente = Some("A".into());
        let mut e = Etat {
            marque: true,
            versions: vec!["A".into(), "B".into()],
            courant: Some("B".into()),
            manifeste: Some(manifeste),
            ..Etat::default()
        };
        assert_eq!(e.precedente(), Some("A"));
        e.versions = vec!["B".into()];
        assert_eq!(e.precedente(), None);
        let etrangere = Etat::default();
        assert_eq!(etrangere.verifier("/x").unwrap_err().code, Code::CibleEtrangere);
        assert!(Etat { vide: true, ..Etat::default() }.verifier("/x").is_ok());
    }
}
