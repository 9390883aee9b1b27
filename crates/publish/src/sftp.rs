//! Publication to an SFTP account through the system's OpenSSH `sftp`
//! command (also shipped with Windows 10 and later): no SSH library, so no
//! C build (libssh2, OpenSSL) and the user's own SSH setup — agent, keys,
//! `~/.ssh/config`, known hosts — applies unchanged.
//!
//! Every session runs in batch mode (`-b -`, the commands on standard
//! input) with `BatchMode=yes` (never a password or passphrase prompt: the
//! key comes from the SSH agent, from `--cle`/`MUTU_CLE_SSH`, or from the
//! usual key files) and `StrictHostKeyChecking=yes`: an unknown or changed
//! host key stops everything, with a French explanation of how to accept
//! the key once. `MUTU_SSH_CONFIG` names an ssh configuration file used
//! instead of `~/.ssh/config` (`-F`).
//!
//! The switch: `ln -s versions/<id> .courant.neuf` then `rename
//! .courant.neuf courant`. OpenSSH's `sftp` sends `rename` as the
//! `posix-rename@openssh.com` extension when the server offers it (every
//! OpenSSH server does), which is the server's rename(2): the link is
//! replaced in one step. A server without it refuses to rename over an
//! existing name, and mutu then stops without switching. Unchanged files
//! are hard-linked on the server (`ln`, the `hardlink@openssh.com`
//! extension); a server without it gets them uploaded again. There is no
//! lock on the server: two publications to the same account at once are
//! not kept apart. SFTP has no recursive delete: old versions are listed
//! level by level and removed file by file; a link met there is removed
//! itself, never followed, and the root and `versions/` are checked from
//! their listing (its first letter: `d`, `l`, `-`) before anything is done.
//! A listing line mutu cannot read (a name with a line break, bytes that
//! are not UTF-8) stops the publication with a French error. The address
//! comes after `--` on the command line: it is never read as an option.

use super::{Adresse, Bascule, Echec, Etat, Manifeste, Nature, Plan, Suivi, Transport, COURANT, MANIFESTE, MARQUE, TEXTE_MARQUE, VERSIONS};
use mutu_base::codes::Code;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Environment variable naming an ssh configuration file (`sftp -F`).
pub const VAR_CONFIG: &str = "MUTU_SSH_CONFIG";

/// An SFTP target reached with the system's `sftp` command.
pub struct Sftp {
    adresse: Adresse,
    cle: Option<PathBuf>,
    /// Manifest and marker files to upload or download.
    tmp: super::Temporaire,
}

/// A path quoted for an sftp batch line (globbing characters escaped).
fn q(p: &str) -> String {
    let mut s = String::from("\"");
    for c in p.chars() {
        if matches!(c, '"' | '\\' | '*' | '?' | '[' | ']') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('"');
    s
}

/// The French diagnostic for a failed session, from ssh/sftp's messages.
pub fn erreur(stderr: &str, cible: &str, hote: &str) -> Echec {
    let has = |m: &str| stderr.contains(m);
    let derniere = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim();
    if has("REMOTE HOST IDENTIFICATION HAS CHANGED") || has("Host key for") && has("has changed") {
        return Echec::new(
            Code::CleHoteChangee,
            format!("la clé du serveur {hote} a changé depuis la dernière connexion : connexion refusée"),
            "ce peut être une réinstallation du serveur, ou une usurpation : vérifiez l'empreinte auprès de l'hébergeur, puis retirez l'ancienne clé avec `ssh-keygen -R <hote>` et reconnectez-vous une fois avec `ssh`",
        );
    }
    if has("Host key verification failed") || has("No ED25519 host key is known") || has("host key is known") {
        return Echec::new(
            Code::HoteInconnu,
            format!("la clé du serveur {hote} n'est pas connue de cet ordinateur (known_hosts) : connexion refusée"),
            format!("connectez-vous une fois à la main avec `ssh {hote}` (ajoutez `-p PORT` si besoin), comparez l'empreinte affichée avec celle que donne l'hébergeur et répondez « yes » : mutu n'accepte jamais une clé inconnue de lui-même"),
        );
    }
    if has("Could not resolve hostname") || has("Name or service not known") || has("nodename nor servname") {
        return Echec::new(
            Code::HoteIntrouvable,
            format!("serveur introuvable : {hote}"),
            "vérifiez le nom du serveur dans la cible, et la connexion au réseau",
        );
    }
    if has("Connection refused") {
        return Echec::new(
            Code::ConnexionRefusee,
            format!("le serveur {hote} refuse la connexion"),
            "vérifiez le port (sftp://utilisateur@hote:PORT/chemin) et que le service SSH est ouvert",
        );
    }
    if has("timed out") || has("No route to host") || has("Network is unreachable") {
        return Echec::new(
            Code::ServeurInjoignable,
            format!("le serveur {hote} ne répond pas"),
            "vérifiez la connexion au réseau (VPN ?) et le nom du serveur",
        );
    }
    if has("Permission denied (") || has("Too many authentication failures") {
        return Echec::new(
            Code::AuthentificationRefusee,
            format!("le serveur {hote} refuse l'authentification"),
            "mutu s'authentifie par clé : chargez-la dans l'agent SSH (`ssh-add`), ou nommez son fichier avec `--cle` ou la variable MUTU_CLE_SSH ; la clé publique doit figurer dans ~/.ssh/authorized_keys du compte",
        );
    }
    if has("hardlink@openssh.com") {
        return Echec::new(
            Code::LiensImpossibles,
            format!("le serveur de {cible} ne sait pas créer de liens physiques"),
            "",
        );
    }
    if has("posix-rename") || (has("Couldn't rename") && has("Failure")) {
        return Echec::new(
            Code::BasculeImpossible,
            format!("le serveur de {cible} ne sait pas remplacer un nom d'un bloc (extension posix-rename@openssh.com absente)"),
            "la nouvelle version est déposée mais n'est pas servie : demandez à l'hébergeur un serveur OpenSSH, ou publiez sur un partage monté",
        );
    }
    if has("No space left") || has("Disk quota") || has("quota exceeded") {
        return Echec::new(
            Code::DisquePlein,
            format!("le serveur de {cible} n'a plus de place"),
            "libérez de l'espace sur le compte (ou demandez un quota plus grand) puis relancez ; le site servi n'a pas changé",
        );
    }
    if has("Permission denied") {
        let ligne = stderr.lines().find(|l| l.contains("Permission denied")).unwrap_or(derniere).trim();
        return Echec::new(
            Code::PermissionRefusee,
            format!("le serveur refuse l'écriture dans {cible} : {ligne}"),
            "vérifiez que le compte a le droit d'écrire dans ce dossier et que son dossier parent existe",
        );
    }
    if has("Failure") && (has("put") || has("write") || has("Couldn't write") || has("upload")) {
        return Echec::new(
            Code::EnvoiEchoue,
            format!("l'écriture a échoué sur le serveur de {cible} : {derniere}"),
            "souvent un disque plein ou un quota atteint sur le serveur : vérifiez l'espace libre, puis relancez ; le site servi n'a pas changé",
        );
    }
    if has("not found") || has("No such file") {
        return Echec::new(
            Code::CheminIntrouvable,
            format!("chemin introuvable sur le serveur : {derniere}"),
            "le dossier parent de la cible doit exister sur le serveur",
        );
    }
    Echec::new(
        Code::SftpEchoue,
        format!(
            "la session SFTP vers {hote} a échoué : {}",
            if derniere.is_empty() { "sans message" } else { derniere }
        ),
        "relancez ; si l'erreur persiste, essayez `sftp` à la main avec la même adresse",
    )
}

/// One line of a long listing, `drwxr-xr-x    ? owner group size Mon DD HH:MM /path/name`:
/// the name (last part of the path) and its kind; `None` when the line is
/// not one (a name holding a line break splits its line in two).
fn entree(l: &str) -> Option<(String, Nature)> {
    let mode = l.get(..10).filter(|m| m.chars().all(|c| "-dlrwxsStTcbp".contains(c)))?;
    let nature = match mode.as_bytes()[0] {
        b'd' => Nature::Dossier,
        b'l' => Nature::Lien,
        b'-' => Nature::Fichier,
        _ => Nature::Autre,
    };
    // Mode, links, owner, group, size, month, day, time or year: then the path.
    let mut reste = l;
    for _ in 0..8 {
        reste = reste.trim_start_matches(' ');
        let fin = reste.find(' ')?;
        reste = &reste[fin..];
    }
    let chemin = reste.trim_start_matches(' ');
    if !chemin.starts_with('/') {
        return None;
    }
    let nom = chemin.rsplit('/').next()?;
    if nom.contains('\u{fffd}') || nom.contains(char::is_control) {
        return None;
    }
    Some((nom.to_string(), nature))
}

/// The output of the `ls -la` commands of a batch, by command: each name
/// with its kind (`.`/`..` left out). A line that is not a listing line is
/// a name mutu cannot represent (a line break in it, bytes that are not
/// UTF-8): a French error, never a guess.
fn sections(stdout: &str) -> Result<Vec<Vec<(String, Nature)>>, Echec> {
    let mut out: Vec<Vec<(String, Nature)>> = Vec::new();
    for l in stdout.lines() {
        if l.starts_with("sftp> ") {
            out.push(Vec::new());
            continue;
        }
        let Some(cur) = out.last_mut() else { continue };
        let Some((nom, nature)) = entree(l) else {
            let ligne: String = l.escape_debug().collect();
            return Err(Echec::new(
                Code::ListageIllisible,
                format!("le serveur liste un nom que mutu ne sait pas lire : « {ligne} »"),
                "un nom de fichier de la cible contient un retour à la ligne, un caractère de contrôle ou des octets hors UTF-8 : renommez-le ou retirez-le du dossier de publication sur le serveur, puis relancez ; rien n'a été modifié",
            ));
        };
        if nom.is_empty() || nom == "." || nom == ".." {
            continue;
        }
        cur.push((nom, nature));
    }
    Ok(out)
}

impl Sftp {
    pub fn ouvrir(adresse: Adresse, cle: Option<PathBuf>) -> Result<Sftp, Echec> {
        if let Some(c) = &cle {
            if !c.is_file() {
                return Err(Echec::new(
                    Code::CleIntrouvable,
                    format!("fichier de clé introuvable : {}", c.display()),
                    "indiquez le fichier de la clé privée, par exemple ~/.ssh/id_ed25519",
                ));
            }
        }
        let tmp = super::Temporaire::new("sftp")?;
        Ok(Sftp { adresse, cle, tmp })
    }

    fn racine(&self) -> &str {
        &self.adresse.chemin
    }

    fn nom(&self) -> String {
        self.adresse.nom()
    }

    /// The `sftp` command line (no secret on it: keys are files or the agent).
    pub fn commande(&self) -> Command {
        let mut c = Command::new("sftp");
        c.args(["-b", "-", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20"]);
        if let Some(f) = std::env::var_os(VAR_CONFIG).filter(|v| !v.is_empty()) {
            c.arg("-F").arg(f);
        }
        if let Some(k) = &self.cle {
            c.arg("-i").arg(k).args(["-o", "IdentitiesOnly=yes"]);
        }
        if let Some(p) = self.adresse.port {
            c.arg("-P").arg(p.to_string());
        }
        let dest = match &self.adresse.utilisateur {
            Some(u) => format!("{u}@{}", self.adresse.hote),
            None => self.adresse.hote.clone(),
        };
        // `--`: whatever the address, it is never read as an option.
        c.arg("--").arg(dest);
        c
    }

    /// Runs one batch; `ligne` sees each line of standard output as it comes.
    fn lancer(&self, script: String, ligne: &mut dyn FnMut(&str)) -> Result<String, Echec> {
        let mut c = self.commande();
        c.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        super::meurt_avec_mutu(&mut c);
        let mut enfant = c.spawn().map_err(|e| {
            Echec::new(
                Code::SftpAbsent,
                format!("impossible de lancer la commande sftp : {e}"),
                "installez le client OpenSSH (paquet openssh-client ; déjà présent sous Windows 10 et suivants)",
            )
        })?;
        let mut entree = enfant.stdin.take().expect("piped");
        let ecrivain = std::thread::spawn(move || {
            let _ = entree.write_all(script.as_bytes());
        });
        let mut erreurs = enfant.stderr.take().expect("piped");
        let lecteur = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut erreurs, &mut s);
            s
        });
        let mut sortie = String::new();
        // Read as bytes: a name that is not UTF-8 must not end the reading
        // (its section would look short); it becomes U+FFFD, refused by `sections`.
        for l in std::io::BufReader::new(enfant.stdout.take().expect("piped")).split(b'\n').map_while(Result::ok) {
            let l = String::from_utf8_lossy(&l);
            ligne(&l);
            sortie.push_str(&l);
            sortie.push('\n');
        }
        let statut = enfant.wait().map_err(|e| Echec::new(Code::SftpEchoue, format!("sftp : {e}"), ""))?;
        let _ = ecrivain.join();
        let stderr = lecteur.join().unwrap_or_default();
        if statut.success() {
            Ok(sortie)
        } else {
            Err(erreur(&stderr, &self.nom(), &self.adresse.hote))
        }
    }

    /// Removes trees on the server, level by level (SFTP has no `rm -r`).
    fn supprimer(&self, fichiers: Vec<String>, dossiers: Vec<String>) -> Result<(), Echec> {
        let mut a_lister = dossiers;
        let mut tous_dossiers = Vec::new();
        let mut tous_fichiers = fichiers;
        while !a_lister.is_empty() {
            let script: String = a_lister.iter().map(|d| format!("-ls -la {}\n", q(d))).collect();
            let sortie = self.lancer(script, &mut |_| {})?;
            let mut suivants = Vec::new();
            for (d, contenu) in a_lister.iter().zip(sections(&sortie)?) {
                for (nom, nature) in contenu {
                    let p = format!("{d}/{nom}");
                    // A link inside is removed itself, never followed.
                    if nature == Nature::Dossier {
                        suivants.push(p);
                    } else {
                        tous_fichiers.push(p);
                    }
                }
            }
            tous_dossiers.extend(a_lister);
            a_lister = suivants;
        }
        if tous_fichiers.is_empty() && tous_dossiers.is_empty() {
            return Ok(());
        }
        let mut script: String = tous_fichiers.iter().map(|f| format!("-rm {}\n", q(f))).collect();
        for d in tous_dossiers.iter().rev() {
            script.push_str(&format!("-rmdir {}\n", q(d)));
        }
        self.lancer(script, &mut |_| {}).map(|_| ())
    }

    #[allow(clippy::too_many_arguments)] // the Transport::deposer arguments plus the folder name
    fn deposer_une_fois(
        &self,
        source: &Path,
        partiel: &str,
        id: &str,
        servi: Option<&str>,
        plan: &Plan,
        manifeste: &Manifeste,
        suivi: &mut Suivi,
    ) -> Result<(), Echec> {
        let r = self.racine();
        let local_manifeste = self.tmp.join("manifeste");
        std::fs::write(&local_manifeste, manifeste.texte()).map_err(|e| Echec::new(Code::EcritureImpossible, format!("manifeste : {e}"), ""))?;
        let mut script = format!("-mkdir {}\n-mkdir {}\nmkdir {}\n", q(r), q(&format!("{r}/{VERSIONS}")), q(partiel));
        let mut dossiers = std::collections::BTreeSet::new();
        for c in plan.garder.iter().chain(&plan.envoyer) {
            let mut d = c.as_str();
            while let Some((parent, _)) = d.rsplit_once('/') {
                dossiers.insert(parent.to_string());
                d = parent;
            }
        }
        for d in &dossiers {
            script.push_str(&format!("mkdir {}\n", q(&format!("{partiel}/{d}"))));
        }
        if let Some(servi) = servi {
            for c in &plan.garder {
                script.push_str(&format!("ln {} {}\n", q(&format!("{r}/{VERSIONS}/{servi}/{c}")), q(&format!("{partiel}/{c}"))));
            }
        }
        for c in &plan.envoyer {
            let local = source.join(c);
            script.push_str(&format!("put {} {}\n", q(&local.to_string_lossy()), q(&format!("{partiel}/{c}"))));
        }
        script.push_str(&format!(
            "put {} {}\n",
            q(&local_manifeste.to_string_lossy()),
            q(&format!("{partiel}/{MANIFESTE}"))
        ));
        script.push_str(&format!("rename {} {}\n", q(partiel), q(&format!("{r}/{VERSIONS}/{id}"))));
        let mut tailles = plan.envoyer.iter().map(|c| manifeste.fichiers[c].octets);
        self.lancer(script, &mut |l| {
            if l.starts_with("sftp> put ") {
                if let Some(n) = tailles.next() {
                    suivi.avance(n);
                }
            }
        })
        .map(|_| ())
    }
}

impl Transport for Sftp {
    fn etat(&mut self) -> Result<Etat, Echec> {
        let r = self.racine().to_string();
        let local = self.tmp.join("servi");
        let _ = std::fs::remove_file(&local);
        let script = format!(
            "-ls -la {}\n-ls -la {}\n-get {} {}\n",
            q(&r),
            q(&format!("{r}/{VERSIONS}")),
            q(&format!("{r}/{COURANT}/{MANIFESTE}")),
            q(&local.to_string_lossy())
        );
        let sortie = self.lancer(script, &mut |_| {})?;
        let s = sections(&sortie)?;
        let racine = s.first().cloned().unwrap_or_default();
        // `ls` follows a link: what it listed for `versions` counts only when
        // the root says it is a real folder (else `examiner` refuses it).
        let versions = racine
            .iter()
            .any(|(n, t)| n == VERSIONS && *t == Nature::Dossier)
            .then(|| s.get(1).cloned().unwrap_or_default());
        let d = super::examiner(&self.nom(), Bascule::Lien, &racine, versions.as_deref(), &[])?;
        let mut e = Etat::from(d);
        e.versions.sort();
        if let Some(m) = std::fs::read_to_string(&local).ok().and_then(|t| Manifeste::lire(&t)) {
            if let Some(v) = m.version.clone().filter(|v| e.versions.contains(v)) {
                e.courant = Some(v);
                e.manifeste = Some(m);
            }
        }
        Ok(e)
    }

    fn nettoyer(&mut self, marquer: bool, restes: &[String], versions: &[String]) -> Result<(), Echec> {
        let r = self.racine().to_string();
        if marquer {
            let m = self.tmp.join("marque");
            std::fs::write(&m, TEXTE_MARQUE).map_err(|e| Echec::new(Code::EcritureImpossible, format!("{e}"), ""))?;
            self.lancer(
                format!("-mkdir {}\nput {} {}\n", q(&r), q(&m.to_string_lossy()), q(&format!("{r}/{MARQUE}"))),
                &mut |_| {},
            )?;
        }
        let liens: Vec<String> = restes.iter().filter(|x| !x.starts_with(VERSIONS)).map(|x| format!("{r}/{x}")).collect();
        let dossiers: Vec<String> = restes
            .iter()
            .filter(|x| x.starts_with(VERSIONS))
            .map(|x| format!("{r}/{x}"))
            .chain(versions.iter().map(|v| format!("{r}/{VERSIONS}/{v}")))
            .collect();
        self.supprimer(liens, dossiers)
    }

    fn deposer(&mut self, source: &Path, id: &str, servi: Option<&str>, plan: &Plan, manifeste: &Manifeste, suivi: &mut Suivi) -> Result<(), Echec> {
        let partiel = format!("{}/{VERSIONS}/.{id}.partiel", self.racine());
        match self.deposer_une_fois(source, &partiel, id, servi, plan, manifeste, suivi) {
            Err(e) if e.code == Code::LiensImpossibles => {
                // A server without hard links: everything is uploaded.
                eprintln!("le serveur ne crée pas de liens physiques : tous les fichiers sont envoyés");
                let tout = Plan {
                    envoyer: manifeste.fichiers.keys().cloned().collect(),
                    garder: Vec::new(),
                    supprimer: plan.supprimer.clone(),
                };
                let mut suivi = Suivi::new(tout.envoyer.len(), manifeste.octets());
                self.deposer_une_fois(source, &format!("{partiel}-2"), id, None, &tout, manifeste, &mut suivi)
            }
            r => r,
        }
    }

    fn basculer(&mut self, id: &str) -> Result<(), Echec> {
        let r = self.racine();
        let neuf = format!("{r}/.courant.neuf");
        let script = format!(
            "-rm {}\nln -s {} {}\nrename {} {}\n",
            q(&neuf),
            q(&format!("{VERSIONS}/{id}")),
            q(&neuf),
            q(&neuf),
            q(&format!("{r}/{COURANT}"))
        );
        self.lancer(script, &mut |_| {}).map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Protocole;

    #[test]
    fn addresses_are_read() {
        let a = Adresse::lire(Protocole::Sftp, "extranet.example.fr/www/mutu/").unwrap();
        assert_eq!(a.utilisateur, None);
        assert_eq!(a.chemin, "/www/mutu");
        assert_eq!(
            Adresse::lire(Protocole::Sftp, "dgs@hote").unwrap_err().message,
            "adresse SFTP invalide : « sftp://dgs@hote » (chemin absent)"
        );
        assert!(Adresse::lire(Protocole::Sftp, "dgs@hote:99999/x").is_err());
        assert!(Adresse::lire(Protocole::Sftp, "dgs@hote/www/../etc").is_err());
        assert!(Adresse::lire(Protocole::Sftp, "d gs@hote/www").is_err());
    }

    #[test]
    fn the_command_line_never_prompts_and_checks_host_keys() {
        let a = Adresse::lire(Protocole::Sftp, "dgs@extranet.example.fr:2222/www").unwrap();
        let s = Sftp::ouvrir(a, None).unwrap();
        let c = s.commande();
        let args: Vec<String> = c.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        let attendu = ["-b", "-", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=20"];
        assert_eq!(&args[..8], attendu);
        assert!(
            args.ends_with(&["-P".to_string(), "2222".to_string(), "--".to_string(), "dgs@extranet.example.fr".to_string()]),
            "{args:?}"
        );
    }

    #[test]
    fn batch_paths_are_quoted_and_not_globbed() {
        assert_eq!(q("/www/a b/c*.html"), "\"/www/a b/c\\*.html\"");
        assert_eq!(q("x\"y"), "\"x\\\"y\"");
    }

    #[test]
    fn listings_are_parsed() {
        let sortie = "sftp> -ls -la \"/srv/m\"\ndrwxr-xr-x    ? root     root         4096 Nov 30 04:55 /srv/m/.\n\
drwxr-xr-x    ? root     root         4096 Nov 30 04:55 /srv/m/..\n\
-rw-r--r--    ? root     root          209 Nov 30 04:55 /srv/m/.mutu-publication\n\
lrwxrwxrwx    ? root     root           24 Nov 30 04:55 /srv/m/courant\n\
drwxr-xr-x    ? root     root         4096 Nov 30 04:55 /srv/m/versions\nsftp> -ls -la \"/srv/m/x\"\n";
        let s = sections(sortie).unwrap();
        assert_eq!(
            s,
            vec![
                vec![
                    (".mutu-publication".to_string(), Nature::Fichier),
                    ("courant".to_string(), Nature::Lien),
                    ("versions".to_string(), Nature::Dossier)
                ],
                vec![]
            ]
        );
        let espace = "sftp> -ls -la \"/srv/m\"\n-rw-r--r--    ? root     root          209 Nov 30 04:55 /srv/m/mon été.txt\n";
        assert_eq!(sections(espace).unwrap(), vec![vec![("mon été.txt".to_string(), Nature::Fichier)]]);
    }

    #[test]
    fn names_the_listing_cannot_represent_are_errors_not_panics() {
        let tete = "sftp> -ls -la \"/srv/m/versions\"\n-rw-r--r--    ? root     root            9 Nov 30 04:55 /srv/m/versions/x\n";
        // A line break in a name, then ten bytes whose tenth is inside « é »: once a panic.
        let e = sections(&format!("{tete}abcdefghiééé\n")).unwrap_err();
        assert_eq!(e.code, Code::ListageIllisible);
        assert_eq!(e.message, "le serveur liste un nom que mutu ne sait pas lire : « abcdefghiééé »");
        for suite in [
            "é",
            "drwxr-xr-x",
            "drwxr-xr-xé",
            "-rw-r--r--    ? root",
            "-rw-r--r-- ? r r 1 Nov 30 04:55 relatif",
            "\u{fffd}",
        ] {
            assert_eq!(sections(&format!("{tete}{suite}\n")).unwrap_err().code, Code::ListageIllisible, "{suite:?}");
        }
        let illisible = "sftp> -ls -la \"/m\"\n-rw-r--r--    ? root     root            9 Nov 30 04:55 /m/a\u{fffd}b\n";
        assert_eq!(sections(illisible).unwrap_err().code, Code::ListageIllisible, "octets hors UTF-8");
    }

    #[test]
    fn ssh_failures_get_french_diagnostics() {
        let code = |stderr: &str| erreur(stderr, "sftp://dgs@h/www", "h").code;
        assert_eq!(code("No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\r\nHost key verification failed.\r\nConnection closed"), Code::HoteInconnu);
        assert_eq!(
            code("@@@@@@@@@@@@\r\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\r\nHost key verification failed."),
            Code::CleHoteChangee
        );
        assert_eq!(
            code("ssh: Could not resolve hostname nulle-part.invalid: Name or service not known\r\nConnection closed"),
            Code::HoteIntrouvable
        );
        assert_eq!(
            code("ssh: connect to host 127.0.0.1 port 2223: Connection refused\r\nConnection closed"),
            Code::ConnexionRefusee
        );
        assert_eq!(
            code("root@127.0.0.1: Permission denied (publickey).\r\nConnection closed"),
            Code::AuthentificationRefusee
        );
        assert_eq!(code("remote mkdir \"/www/v\": Permission denied"), Code::PermissionRefusee);
        assert_eq!(code("dest open \"/www/v/a.html\": No space left on device"), Code::DisquePlein);
        assert_eq!(code("Couldn't write to remote file \"/www/v/a.html\": Failure"), Code::EnvoiEchoue);
        assert_eq!(code("Server does not support hardlink@openssh.com extension"), Code::LiensImpossibles);
        assert_eq!(erreur("", "c", "h").message, "la session SFTP vers h a échoué : sans message");
    }
}
