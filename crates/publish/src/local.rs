//! Publication into a folder: a network share mounted on the DGS's PC, or
//! any folder the web server reads.
//!
//! The switch is a symbolic link `courant -> versions/<id>`: a new link is
//! made beside it and renamed over it with rename(2), which replaces the
//! old link in one step on Unix (POSIX guarantees that a reader resolving
//! `courant` finds the old target or the new one, never nothing). On
//! Windows a directory link needs the Developer Mode or administrator
//! rights, and renaming over an existing link is not guaranteed atomic:
//! there mutu makes the link the same way and says so if the system
//! refuses; a folder share mounted from a Linux server (SMB, NFS, davfs)
//! follows the server's rename semantics. Files are not synced one by one:
//! the guarantee holds for a killed process or a lost connection, not for
//! a power cut of the server.
//!
//! A lock file at the root of the target (`.courant.verrou-mutu`, the
//! system's file lock, released when a process dies) keeps two
//! publications to the same folder apart.

use super::{Bascule, Echec, Etat, Manifeste, Nature, Plan, Suivi, Transport, COURANT, MANIFESTE, MARQUE, TEXTE_MARQUE, VERSIONS};
use mutu_base::codes::Code;
use mutu_base::output::regles;
use std::io;
use std::path::{Path, PathBuf};

/// A folder target, checked and locked.
pub struct Local {
    racine: PathBuf,
    _verrou: Option<mutu_base::output::Verrou>,
}

/// Prefix of the temporary link made beside `courant`.
const LIEN_NEUF: &str = ".courant.neuf-";

fn echec_io(quoi: &str, chemin: &Path, e: &io::Error) -> Echec {
    let (code, aide) = match e.kind() {
        io::ErrorKind::PermissionDenied => (
            Code::PermissionRefusee,
            "vérifiez que vous avez le droit d'écrire dans ce dossier (partage monté en lecture seule ?)".to_string(),
        ),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => (
            Code::DisquePlein,
            "la cible n'a plus de place : libérez de l'espace puis relancez ; le site servi n'a pas changé".to_string(),
        ),
        _ => (Code::EcritureImpossible, mutu_base::diagnostic::aide_ecriture(e).to_string()),
    };
    Echec::new(code, format!("{quoi} {} : {e}", chemin.display()), aide)
}

/// The entries of a folder with their kind, links not followed.
fn lister(dossier: &Path) -> io::Result<Vec<(String, Nature)>> {
    let mut out = Vec::new();
    for x in std::fs::read_dir(dossier)? {
        let x = x?;
        let t = x.file_type()?;
        let nature = if t.is_symlink() {
            Nature::Lien
        } else if t.is_dir() {
            Nature::Dossier
        } else if t.is_file() {
            Nature::Fichier
        } else {
            Nature::Autre
        };
        out.push((x.file_name().to_string_lossy().into_owned(), nature));
    }
    Ok(out)
}

impl Local {
    /// Checks the rules on `dossier` (never in the project, its sources or
    /// the built site; never the disk's root or the home folder) and takes
    /// the lock unless `essai`. The error comes with its exit code.
    pub fn ouvrir(projet: &Path, source: &Path, dossier: &Path, essai: bool) -> Result<Local, (Echec, i32)> {
        let refus = |message: String| {
            (
                Echec::new(
                    Code::CibleRefusee,
                    message,
                    "la cible reçoit des copies du site : indiquez un dossier à part, hors du projet, par exemple le partage monté de l'extranet (/mnt/extranet/mutualisation)",
                ),
                2,
            )
        };
        if let Err(r) = regles::emplacement(projet, dossier) {
            return Err(refus(r.message(dossier).replacen("sortie refusée", "cible refusée", 1)));
        }
        let (Ok(c), Ok(s)) = (regles::reel(dossier), regles::reel(source)) else {
            return Err(refus(format!("cible refusée : impossible d'examiner {}", dossier.display())));
        };
        if regles::reel(projet).is_ok_and(|p| c.starts_with(p)) {
            return Err(refus(format!("cible refusée : {} est dans le dossier du projet", dossier.display())));
        }
        if c.starts_with(&s) || s.starts_with(&c) {
            return Err(refus(format!("cible refusée : {} contient le site construit ou s'y trouve", dossier.display())));
        }
        match std::fs::metadata(dossier) {
            Ok(m) if !m.is_dir() => return Err(refus(format!("cible refusée : {} existe et n'est pas un dossier", dossier.display()))),
            _ => {}
        }
        let etrangere =
            std::fs::read_dir(dossier).is_ok_and(|mut it| it.next().is_some()) && !std::fs::symlink_metadata(dossier.join(MARQUE)).is_ok_and(|m| m.is_file());
        if etrangere {
            let e = Etat::default().verifier(&dossier.display().to_string()).expect_err("neither marked nor empty");
            return Err((e, 2));
        }
        let verrou = if essai {
            None
        } else {
            // The lock file lives inside the target: nothing is written beside it.
            let v = mutu_base::output::Verrou::prendre(&dossier.join(COURANT), || {
                eprintln!("une autre publication écrit dans {} : attente de sa fin…", dossier.display())
            })
            .map_err(|e| (echec_io("impossible de verrouiller", dossier, &e), 1))?;
            Some(v)
        };
        Ok(Local {
            racine: dossier.to_path_buf(),
            _verrou: verrou,
        })
    }

    fn versions(&self) -> PathBuf {
        self.racine.join(VERSIONS)
    }
}

impl Transport for Local {
    fn etat(&mut self) -> Result<Etat, Echec> {
        let verrou = mutu_base::output::Verrou::fichier(&self.racine.join(COURANT)).ok();
        let verrou = verrou.as_ref().and_then(|v| v.file_name()).map(|n| n.to_string_lossy().into_owned());
        let racine = match lister(&self.racine) {
            Ok(l) => l,
            Err(err) if err.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(err) => return Err(echec_io("impossible de lire", &self.racine, &err)),
        };
        // Only a real folder is listed: `versions` as a link is refused by `examiner`.
        let versions = match racine.iter().find(|(n, _)| n == VERSIONS) {
            Some((_, Nature::Dossier)) => Some(lister(&self.versions()).map_err(|err| echec_io("impossible de lire", &self.versions(), &err))?),
            _ => None,
        };
        let ignorer: Vec<&str> = verrou.as_deref().into_iter().collect();
        let d = super::examiner(&self.racine.display().to_string(), Bascule::Lien, &racine, versions.as_deref(), &ignorer)?;
        let mut e = Etat::from(d);
        if let Ok(lien) = std::fs::read_link(self.racine.join(COURANT)) {
            let lien = lien.to_string_lossy().replace('\\', "/");
            if let Some(id) = lien.strip_prefix(&format!("{VERSIONS}/")).filter(|id| e.versions.iter().any(|v| v == id)) {
                e.courant = Some(id.to_string());
                e.manifeste = std::fs::read_to_string(self.versions().join(id).join(MANIFESTE))
                    .ok()
                    .and_then(|t| Manifeste::lire(&t));
            }
        }
        Ok(e)
    }

    fn nettoyer(&mut self, marquer: bool, restes: &[String], versions: &[String]) -> Result<(), Echec> {
        if marquer {
            mutu_base::output::write_atomic(&self.racine.join(MARQUE), TEXTE_MARQUE.as_bytes())
                .map_err(|e| echec_io("impossible d'écrire dans", &self.racine, &e))?;
        }
        // `versions` checked again just before removing under it: a link
        // put there since `etat` would lead the removal elsewhere.
        if !versions.is_empty() || restes.iter().any(|r| r.starts_with(VERSIONS)) {
            match std::fs::symlink_metadata(self.versions()) {
                Ok(m) if m.is_dir() => {}
                _ => {
                    return Err(Echec::new(
                        Code::CibleEtrangere,
                        format!("publication refusée : {} n'est plus un dossier", self.versions().display()),
                        "mutu ne supprime que ce qu'il a créé : quelqu'un a modifié la cible pendant la publication ; vérifiez-la puis relancez",
                    ))
                }
            }
        }
        let chemins = restes
            .iter()
            .map(|r| self.racine.join(r))
            .chain(versions.iter().map(|v| self.versions().join(v)));
        for chemin in chemins {
            let res = match std::fs::symlink_metadata(&chemin) {
                Ok(m) if m.is_dir() => std::fs::remove_dir_all(&chemin),
                Ok(_) => std::fs::remove_file(&chemin),
                Err(_) => Ok(()),
            };
            res.map_err(|e| echec_io("impossible de supprimer", &chemin, &e))?;
        }
        Ok(())
    }

    fn deposer(&mut self, source: &Path, id: &str, servi: Option<&str>, plan: &Plan, manifeste: &Manifeste, suivi: &mut Suivi) -> Result<(), Echec> {
        let partiel = self.versions().join(format!(".{id}.partiel-{}", std::process::id()));
        let resultat = (|| {
            std::fs::create_dir_all(&partiel).map_err(|e| echec_io("impossible de créer", &partiel, &e))?;
            let mut dossiers = std::collections::BTreeSet::new();
            let mut creer_parent = |p: &Path| -> Result<(), Echec> {
                if let Some(d) = p.parent() {
                    if dossiers.insert(d.to_path_buf()) {
                        std::fs::create_dir_all(d).map_err(|e| echec_io("impossible de créer", d, &e))?;
                    }
                }
                Ok(())
            };
            if let Some(servi) = servi {
                let ancien = self.versions().join(servi);
                for c in &plan.garder {
                    let (de, vers) = (ancien.join(c), partiel.join(c));
                    creer_parent(&vers)?;
                    // A share without hard links gets a copy, made on the target.
                    if std::fs::hard_link(&de, &vers).is_err() {
                        std::fs::copy(&de, &vers).map_err(|e| echec_io("impossible de copier", &de, &e))?;
                    }
                }
            }
            for c in &plan.envoyer {
                let vers = partiel.join(c);
                creer_parent(&vers)?;
                let n = std::fs::copy(source.join(c), &vers).map_err(|e| echec_io("impossible d'envoyer vers", &vers, &e))?;
                suivi.avance(n);
            }
            std::fs::write(partiel.join(MANIFESTE), manifeste.texte()).map_err(|e| echec_io("impossible d'écrire", &partiel, &e))?;
            let fin = self.versions().join(id);
            std::fs::rename(&partiel, &fin).map_err(|e| echec_io("impossible de renommer", &partiel, &e))
        })();
        if resultat.is_err() {
            let _ = std::fs::remove_dir_all(&partiel);
        }
        resultat
    }

    fn basculer(&mut self, id: &str) -> Result<(), Echec> {
        let neuf = self.racine.join(format!("{LIEN_NEUF}{}", std::process::id()));
        let _ = std::fs::remove_file(&neuf);
        let cible = format!("{VERSIONS}/{id}");
        lien(&cible, &neuf).map_err(|e| {
            let mut x = echec_io("impossible de créer le lien", &neuf, &e);
            if cfg!(windows) {
                x.aide = "Windows ne crée un lien symbolique qu'en mode développeur ou en administrateur : activez le mode développeur, ou publiez depuis le serveur".into();
            }
            x
        })?;
        let courant = self.racine.join(COURANT);
        if std::fs::symlink_metadata(&courant).is_ok_and(|m| !m.file_type().is_symlink()) {
            let _ = std::fs::remove_file(&neuf);
            return Err(Echec::new(
                Code::CibleEtrangere,
                format!("{} existe et n'est pas le lien posé par mutu", courant.display()),
                "renommez ou supprimez ce dossier vous-même : mutu ne remplace pas ce qu'il n'a pas créé",
            ));
        }
        std::fs::rename(&neuf, &courant).map_err(|e| {
            let _ = std::fs::remove_file(&neuf);
            echec_io("impossible de basculer", &courant, &e)
        })
    }
}

#[cfg(unix)]
fn lien(cible: &str, chemin: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(cible, chemin)
}

#[cfg(windows)]
fn lien(cible: &str, chemin: &Path) -> io::Result<()> {
    std::os::windows::fs::symlink_dir(cible.replace('/', "\\"), chemin)
}

#[cfg(not(any(unix, windows)))]
fn lien(_cible: &str, _chemin: &Path) -> io::Result<()> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "liens symboliques indisponibles"))
}
