//! Publication to an SFTP account. (In progress.)

use super::{Echec, Etat, Manifeste, Plan, Suivi, Transport};
use std::path::{Path, PathBuf};

/// `[utilisateur@]hote[:port]/chemin` of an `sftp://` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adresse {
    pub utilisateur: Option<String>,
    pub hote: String,
    pub port: Option<u16>,
    /// Absolute path on the server (`/` kept).
    pub chemin: String,
}

impl Adresse {
    /// Reads what follows `sftp://`.
    pub fn lire(reste: &str) -> Result<Adresse, Echec> {
        let invalide = |quoi: &str| {
            Echec::new(
                "cible-invalide",
                format!("adresse SFTP invalide : « sftp://{reste} » ({quoi})"),
                "forme attendue : sftp://utilisateur@hote/chemin/du/site, ou sftp://utilisateur@hote:2222/chemin pour un autre port",
            )
        };
        let (autorite, chemin) = match reste.find('/') {
            Some(i) => (&reste[..i], &reste[i..]),
            None => return Err(invalide("chemin absent")),
        };
        let (utilisateur, hote_port) = match autorite.rsplit_once('@') {
            Some((u, h)) => (Some(u.to_string()), h),
            None => (None, autorite),
        };
        let (hote, port) = match hote_port.rsplit_once(':') {
            Some((h, p)) => (h, Some(p.parse::<u16>().map_err(|_| invalide("port invalide"))?)),
            None => (hote_port, None),
        };
        let propre = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-._".contains(c));
        if !propre(hote) {
            return Err(invalide("hôte invalide"));
        }
        if utilisateur.as_deref().is_some_and(|u| !propre(u)) {
            return Err(invalide("utilisateur invalide"));
        }
        let chemin = chemin.trim_end_matches('/');
        if chemin.is_empty() || chemin.contains(['"', '\n', '\r', '\\']) || chemin.split('/').any(|c| c == "..") {
            return Err(invalide("chemin invalide : un dossier dédié au site, par exemple /www/mutualisation"));
        }
        Ok(Adresse {
            utilisateur,
            hote: hote.to_string(),
            port,
            chemin: chemin.to_string(),
        })
    }
}

/// An SFTP target reached with the system's `sftp` command.
pub struct Sftp {
    adresse: Adresse,
    cle: Option<PathBuf>,
}

impl Sftp {
    pub fn ouvrir(adresse: Adresse, cle: Option<PathBuf>) -> Result<Sftp, Echec> {
        Ok(Sftp { adresse, cle })
    }
}

impl Transport for Sftp {
    fn etat(&mut self) -> Result<Etat, Echec> {
        let _ = (&self.adresse, &self.cle);
        Err(Echec::new("sftp-indisponible", "publication SFTP pas encore disponible", "utilisez un partage monté"))
    }
    fn nettoyer(&mut self, _marquer: bool, _restes: &[String], _versions: &[String]) -> Result<(), Echec> {
        unreachable!()
    }
    fn deposer(&mut self, _source: &Path, _id: &str, _servi: Option<&str>, _plan: &Plan, _m: &Manifeste, _suivi: &mut Suivi) -> Result<(), Echec> {
        unreachable!()
    }
    fn basculer(&mut self, _id: &str) -> Result<(), Echec> {
        unreachable!()
    }
}
