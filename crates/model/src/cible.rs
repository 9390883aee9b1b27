//! Where `mutu publish` sends the site, as written in `--cible` or in
//! `publication.cible` of data/configuration.yaml: one reader for both, so
//! that `mutu check` refuses exactly what `mutu publish` would refuse.
//!
//! The user and the host of a remote address end up on the command line of
//! the system's `sftp` (and in curl's configuration): a name starting with
//! `-` would be read as an option (`sftp://-oProxyCommand=…` runs a
//! program), and spaces or control characters would split or spoof it. Both
//! are plain names here — letters, digits, `-`, `.`, `_` (and `@`, `+` for a
//! WebDAV account, often an e-mail address) — never starting with `-`.

use std::path::PathBuf;

/// Where a site is published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cible {
    /// A folder: a mounted network share or any local folder.
    Local(PathBuf),
    /// `sftp://[utilisateur@]hote[:port]/chemin`.
    Sftp(Adresse),
    /// `webdav://` or `webdavs://[utilisateur@]hote[:port]/chemin`.
    Webdav(Adresse),
}

/// Why a written target cannot be read: a French message and what to write instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CibleInvalide {
    pub message: String,
    pub aide: &'static str,
}

impl Cible {
    /// Reads a target as written in `--cible` or `publication.cible`.
    pub fn lire(texte: &str) -> Result<Cible, CibleInvalide> {
        let t = texte.trim();
        if let Some(reste) = t.strip_prefix("sftp://") {
            return Adresse::lire(Protocole::Sftp, reste).map(Cible::Sftp);
        }
        if let Some(reste) = t.strip_prefix("webdav://") {
            return Adresse::lire(Protocole::Webdav, reste).map(Cible::Webdav);
        }
        if let Some(reste) = t.strip_prefix("webdavs://") {
            return Adresse::lire(Protocole::Webdavs, reste).map(Cible::Webdav);
        }
        if let Some((schema, _)) = t.split_once("://") {
            return Err(CibleInvalide {
                message: format!("type de cible inconnu : « {schema}:// »"),
                aide: "une cible est un dossier (un partage monté, par exemple /mnt/extranet/mutualisation), sftp://utilisateur@hote/chemin ou webdavs://hote/chemin",
            });
        }
        if t.is_empty() {
            return Err(CibleInvalide {
                message: "cible de publication vide".into(),
                aide: "indiquez un dossier, une adresse sftp:// ou webdavs://",
            });
        }
        Ok(Cible::Local(PathBuf::from(t)))
    }
}

/// The protocol of a remote target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocole {
    Sftp,
    /// WebDAV over plain HTTP.
    Webdav,
    /// WebDAV over HTTPS.
    Webdavs,
}

impl Protocole {
    pub fn schema(self) -> &'static str {
        match self {
            Protocole::Sftp => "sftp",
            Protocole::Webdav => "webdav",
            Protocole::Webdavs => "webdavs",
        }
    }
}

/// `[utilisateur@]hote[:port]/chemin` of an `sftp://`, `webdav://` or `webdavs://` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adresse {
    pub protocole: Protocole,
    pub utilisateur: Option<String>,
    pub hote: String,
    pub port: Option<u16>,
    /// Absolute path on the server (`/` kept), as written (not percent-encoded).
    pub chemin: String,
}

/// What is wrong with a user or host name, in French; `None`: a plain name.
fn defaut_de_nom(nom: &str, autres: &str) -> Option<String> {
    if nom.is_empty() {
        return Some("est vide".into());
    }
    if nom.starts_with('-') {
        return Some("commence par un tiret, qui le ferait lire comme une option de la commande".into());
    }
    if let Some(c) = nom.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(match c {
            ' ' => "contient une espace".into(),
            '\t' => "contient une tabulation".into(),
            '\n' | '\r' => "contient un retour à la ligne".into(),
            c => format!("contient le caractère de contrôle U+{:04X}", c as u32),
        });
    }
    if let Some(c) = nom.chars().find(|c| !(c.is_ascii_alphanumeric() || "-._".contains(*c) || autres.contains(*c))) {
        return Some(format!("contient « {c} »"));
    }
    None
}

impl Adresse {
    /// Reads what follows `<protocole>://`.
    pub fn lire(protocole: Protocole, reste: &str) -> Result<Adresse, CibleInvalide> {
        let schema = protocole.schema();
        let invalide = |quoi: &str| {
            let (nom, aide) = match protocole {
                Protocole::Sftp => (
                    "SFTP",
                    "forme attendue : sftp://utilisateur@hote/chemin/du/site, ou sftp://utilisateur@hote:2222/chemin pour un autre port ; l'utilisateur et l'hôte s'écrivent en lettres, chiffres, tirets, points et soulignés, sans commencer par un tiret",
                ),
                _ => (
                    "WebDAV",
                    "forme attendue : webdavs://utilisateur@hote/chemin/du/dossier (HTTPS), webdav://… pour HTTP, :PORT après l'hôte pour un autre port ; l'utilisateur et l'hôte s'écrivent sans espace ni caractère de contrôle, sans commencer par un tiret",
                ),
            };
            let ecrit: String = format!("{schema}://{reste}").escape_debug().collect();
            CibleInvalide {
                message: format!("adresse {nom} invalide : « {ecrit} » ({quoi})"),
                aide,
            }
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
        if let Some(d) = defaut_de_nom(hote, "") {
            return Err(invalide(&format!("hôte invalide : il {d}")));
        }
        // A WebDAV account is often an e-mail address.
        let plus = if protocole == Protocole::Sftp { "" } else { "@+" };
        if let Some(d) = utilisateur.as_deref().and_then(|u| defaut_de_nom(u, plus)) {
            return Err(invalide(&format!("utilisateur invalide : il {d}")));
        }
        let chemin = chemin.trim_end_matches('/');
        if chemin.is_empty() || chemin.contains(['"', '\\']) || chemin.contains(char::is_control) || chemin.split('/').any(|c| c == "..") {
            return Err(invalide("chemin invalide : un dossier dédié au site, par exemple /www/mutualisation"));
        }
        Ok(Adresse {
            protocole,
            utilisateur,
            hote: hote.to_string(),
            port,
            chemin: chemin.to_string(),
        })
    }

    /// The address as written, without a password.
    pub fn nom(&self) -> String {
        format!(
            "{}://{}{}{}{}",
            self.protocole.schema(),
            self.utilisateur.as_deref().map(|u| format!("{u}@")).unwrap_or_default(),
            self.hote,
            self.port.map(|p| format!(":{p}")).unwrap_or_default(),
            self.chemin
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raison(texte: &str) -> String {
        Cible::lire(texte).unwrap_err().message
    }

    #[test]
    fn a_host_or_user_starting_with_a_dash_is_refused() {
        assert_eq!(
            raison("sftp://-oProxyCommand=evil/www/x"),
            "adresse SFTP invalide : « sftp://-oProxyCommand=evil/www/x » (hôte invalide : il commence par un tiret, qui le ferait lire comme une option de la commande)"
        );
        assert_eq!(
            raison("sftp://-Devilprog/www/x"),
            "adresse SFTP invalide : « sftp://-Devilprog/www/x » (hôte invalide : il commence par un tiret, qui le ferait lire comme une option de la commande)"
        );
        assert_eq!(
            raison("sftp://-oProxyCommand@hote/www"),
            "adresse SFTP invalide : « sftp://-oProxyCommand@hote/www » (utilisateur invalide : il commence par un tiret, qui le ferait lire comme une option de la commande)"
        );
        assert!(raison("webdavs://-K@hote/dav").contains("(utilisateur invalide : il commence par un tiret"));
        assert!(raison("webdavs://-hote/dav").contains("(hôte invalide : il commence par un tiret"));
        // A dash inside a name is ordinary.
        assert!(Cible::lire("sftp://agent-dgs@extranet-cc.example.fr/www").is_ok());
    }

    #[test]
    fn a_space_in_a_host_or_user_is_refused() {
        assert!(raison("sftp://d gs@hote/www").ends_with("(utilisateur invalide : il contient une espace)"));
        assert!(raison("sftp://dgs@ho te/www").ends_with("(hôte invalide : il contient une espace)"));
        assert!(raison("webdavs://marie dupont@hote/dav").ends_with("(utilisateur invalide : il contient une espace)"));
    }

    #[test]
    fn a_tab_in_a_host_or_user_is_refused() {
        assert_eq!(
            raison("sftp://dgs\t-oX@hote/www"),
            "adresse SFTP invalide : « sftp://dgs\\t-oX@hote/www » (utilisateur invalide : il contient une tabulation)"
        );
        assert!(raison("sftp://dgs@hote\t-F/www").ends_with("(hôte invalide : il contient une tabulation)"));
    }

    #[test]
    fn a_newline_in_a_host_or_user_is_refused() {
        assert_eq!(
            raison("sftp://dgs\n-oX@hote/www"),
            "adresse SFTP invalide : « sftp://dgs\\n-oX@hote/www » (utilisateur invalide : il contient un retour à la ligne)"
        );
        assert!(raison("sftp://dgs@hote\r\n/www").ends_with("(hôte invalide : il contient un retour à la ligne)"));
        assert!(raison("webdavs://marie@ho\nte/dav").ends_with("(hôte invalide : il contient un retour à la ligne)"));
    }

    #[test]
    fn other_control_characters_in_a_host_or_user_are_refused() {
        assert!(raison("sftp://dgs\u{1b}[8m@hote/www").ends_with("(utilisateur invalide : il contient le caractère de contrôle U+001B)"));
        assert!(raison("sftp://dgs@hote\u{0}/www").ends_with("(hôte invalide : il contient le caractère de contrôle U+0000)"));
        assert!(raison("webdavs://ma\u{7f}rie@hote/dav").ends_with("(utilisateur invalide : il contient le caractère de contrôle U+007F)"));
        assert!(raison("webdavs://marie@ho\u{85}te/dav").ends_with("(hôte invalide : il contient le caractère de contrôle U+0085)"));
        // And in the path, where the quoted batch line would carry them.
        assert!(raison("sftp://dgs@hote/www/\u{1b}x").ends_with("(chemin invalide : un dossier dédié au site, par exemple /www/mutualisation)"));
    }

    #[test]
    fn other_characters_outside_plain_names_are_refused() {
        assert!(
            raison("sftp://a@b@hote/www").ends_with("(utilisateur invalide : il contient « @ »)"),
            "an SFTP user name is a plain name"
        );
        assert!(raison("sftp://dgs@hote;id/www").ends_with("(hôte invalide : il contient « ; »)"));
        assert!(raison("sftp://@hote/www").ends_with("(utilisateur invalide : il est vide)"));
    }
}
