//! Files a project refers to besides its data: images and documents named
//! in the Markdown texts (`![texte](images/plan.png)`,
//! `[la délibération](documents/deliberation.pdf)`) and the EPCI's logo.
//!
//! Every such path must lead to a file INSIDE the project folder: a path
//! that climbs out of it (`../../etc/passwd`), an absolute path, a symbolic
//! link pointing outside, an address on another site (the site promises no
//! request to any other site) are refused with a diagnostic naming the text
//! and its line, so nothing outside the project is ever read into an
//! output. Accepted files are copied into the site under `medias/`, at
//! their path in the project (`content/images/plan.png` →
//! `medias/content/images/plan.png`), and the site's links point there.
//!
//! Resolution is done in two steps: [`resoudre`] is purely lexical (used by
//! the renderers to write the link) and [`verifier`] / [`lire`] look at the
//! file system (symbolic links, existence) when checking and when copying.

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use pulldown_cmark::{Event, LinkType, Parser, Tag};
use std::io;
use std::path::{Component, Path, PathBuf};

/// Folder of the site holding the copied files.
pub const DOSSIER: &str = "medias";

/// Extensions accepted for an image (`![…](…)`).
pub const EXTENSIONS_IMAGES: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "svg", "avif"];

/// Why a written path is refused before looking at any file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refus {
    /// Empty after removing `#…` and `?…`.
    Vide,
    /// `https://…`, `//hote/…`, `data:…`: outside the project by nature.
    Externe,
    /// `/…`, `C:\…`: absolute paths are not portable and may leave the project.
    Absolu,
    /// `..` climbs above the project folder.
    HorsProjet,
}

/// Resolves `dest`, written in the file `depuis` (project-relative, `/`
/// separated; `""` for a path given from the project root), to a
/// normalised project-relative path. Purely lexical: `%20` and the other
/// percent escapes are decoded, `\` is read as `/`, `#…` and `?…` are
/// dropped, `.` and `..` are resolved.
pub fn resoudre(depuis: &str, dest: &str) -> Result<String, Refus> {
    let sans_suite = dest.split(['#', '?']).next().unwrap_or("");
    let decode = pourcent(sans_suite).replace('\\', "/");
    let d = decode.trim();
    if d.is_empty() {
        return Err(Refus::Vide);
    }
    if d.starts_with("//") {
        return Err(Refus::Externe);
    }
    if d.starts_with('/') || d.contains('\0') {
        return Err(Refus::Absolu);
    }
    if let Some(p) = d.find(':') {
        let schema = &d[..p];
        if !schema.is_empty() && !schema.contains('/') && schema.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')) {
            // One letter: a Windows drive (`C:`), else a scheme (`https:`).
            return Err(if schema.len() == 1 { Refus::Absolu } else { Refus::Externe });
        }
    }
    let mut pile: Vec<&str> = depuis.split('/').filter(|s| !s.is_empty()).collect();
    pile.pop(); // the file itself
    for s in d.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                if pile.pop().is_none() {
                    return Err(Refus::HorsProjet);
                }
            }
            s => pile.push(s),
        }
    }
    if pile.is_empty() {
        return Err(Refus::Vide);
    }
    Ok(pile.join("/"))
}

/// Decodes `%XX` escapes (UTF-8); invalid sequences are kept as written.
fn pourcent(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let h = |c: u8| (c as char).to_digit(16);
            if let (Some(a), Some(c)) = (h(b[i + 1]), h(b[i + 2])) {
                out.push((a * 16 + c) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Path of a copied file in the site.
pub fn chemin_sortie(rel: &str) -> String {
    format!("{DOSSIER}/{rel}")
}

/// Why a resolved file cannot be used.
#[derive(Debug)]
pub enum Probleme {
    Introuvable,
    /// A symbolic link (the file or a folder on the way) leads out of the project.
    LienSortant,
    PasUnFichier,
    Illisible(io::Error),
}

impl Probleme {
    pub fn texte(&self) -> String {
        match self {
            Probleme::Introuvable => "fichier introuvable".into(),
            Probleme::LienSortant => "lien symbolique qui mène hors du dossier du projet".into(),
            Probleme::PasUnFichier => "ce n'est pas un fichier".into(),
            Probleme::Illisible(e) if e.kind() == io::ErrorKind::PermissionDenied => "permission refusée".into(),
            Probleme::Illisible(e) => e.to_string(),
        }
    }
}

/// The real path of project file `rel`, after checking that it exists, is
/// a file and, once every symbolic link is followed, is still inside the
/// project folder.
fn reel(racine: &Path, rel: &str) -> Result<PathBuf, Probleme> {
    let base = racine.canonicalize().map_err(Probleme::Illisible)?;
    let p = Path::new(rel);
    if p.is_absolute() || p.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(Probleme::LienSortant);
    }
    let vrai = match base.join(p).canonicalize() {
        Ok(v) => v,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            // A missing file behind a link (to the file or to a folder on
            // the way) that leads outside is reported as such: where would
            // it be, once the links that exist are followed?
            let chemin = base.join(p);
            let cible = match std::fs::read_link(&chemin) {
                Ok(t) => chemin.parent().unwrap_or(&base).join(t),
                Err(_) => chemin,
            };
            let dehors = cible
                .ancestors()
                .find(|a| a.exists())
                .and_then(|a| a.canonicalize().ok())
                .is_some_and(|a| !a.starts_with(&base));
            return Err(if dehors { Probleme::LienSortant } else { Probleme::Introuvable });
        }
        Err(e) => return Err(Probleme::Illisible(e)),
    };
    if !vrai.starts_with(&base) {
        return Err(Probleme::LienSortant);
    }
    if !vrai.is_file() {
        return Err(Probleme::PasUnFichier);
    }
    Ok(vrai)
}

/// Checks that project file `rel` can be used (see [`reel`]) and opened.
pub fn verifier(racine: &Path, rel: &str) -> Result<(), Probleme> {
    let vrai = reel(racine, rel)?;
    std::fs::File::open(vrai).map(|_| ()).map_err(Probleme::Illisible)
}

/// Reads project file `rel` (see [`reel`]).
pub fn lire(racine: &Path, rel: &str) -> Result<Vec<u8>, Probleme> {
    let vrai = reel(racine, rel)?;
    std::fs::read(vrai).map_err(Probleme::Illisible)
}

/// A file reference in a Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// As written.
    pub dest: String,
    pub image: bool,
    /// 1-based line and column in the Markdown body.
    pub ligne: usize,
    pub colonne: usize,
}

/// Does a link target name a file of the project rather than a page of
/// the site? Page ids have no extension, or `.html` / `.md`, and never
/// `..`; `/…` targets are files of the site itself (`/donnees/…csv`);
/// anchors and addresses are not files.
pub fn lien_vers_fichier(dest: &str) -> bool {
    let chemin = dest.split(['#', '?']).next().unwrap_or("");
    let lecteur = chemin.as_bytes().get(1) == Some(&b':') && chemin.as_bytes()[0].is_ascii_alphabetic();
    if lecteur {
        return true; // `C:\…`: refused as an absolute path
    }
    if chemin.is_empty() || chemin.starts_with('/') || chemin.contains(':') {
        return false;
    }
    if chemin.replace('\\', "/").split('/').any(|s| s == "..") {
        return true;
    }
    let dernier = chemin.trim_end_matches('/').rsplit('/').next().unwrap_or("");
    dernier.contains('.') && !dernier.ends_with(".html") && !dernier.ends_with(".md") && dernier != "." && dernier != ".."
}

/// Protocols a link of a text may use.
pub const PROTOCOLES: &[&str] = &["http", "https", "mailto", "tel"];

/// The protocol of a link target as a browser reads it (tabs and line
/// breaks removed, leading blanks ignored, any case), when it is not one of
/// [`PROTOCOLES`]: `javascript:`, `data:`, `file:`…
pub fn protocole_refuse(dest: &str) -> Option<String> {
    let d: String = dest.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let d = d.trim_start_matches(|c: char| c <= ' ');
    let fin = d.find(['/', '?', '#']).unwrap_or(d.len());
    let (schema, _) = d[..fin].split_once(':')?;
    if schema.len() == 1 {
        return None; // a Windows drive (`C:\…`): a path, refused as absolute
    }
    let schema = schema.to_ascii_lowercase();
    (!PROTOCOLES.contains(&schema.as_str())).then_some(schema)
}

/// The link `dest` uses `protocole`, which is not one of [`PROTOCOLES`]
/// (in Markdown or in raw HTML, mutu_check).
pub fn lien_interdit(dest: &str, protocole: &str) -> Diagnostic {
    Diagnostic::error(Code::LienInterdit, format!("le lien « {dest} » utilise le protocole « {protocole}: », refusé"))
        .expected(format!(
            "un lien vers une page du site, un fichier du projet ou une adresse {}",
            PROTOCOLES.iter().map(|p| format!("{p}:")).collect::<Vec<_>>().join(", ")
        ))
        .hint("un lien « javascript: », « data: » ou « file: » exécuterait du code ou lirait un fichier chez le lecteur : retirez-le")
}

/// Images and links to project files in a Markdown body.
pub fn references(source: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    for (e, r) in Parser::new_ext(source, mutu_base::markdown::options()).into_offset_iter() {
        let (dest, image) = match e {
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
            // `<a@b.fr>`: an address (the renderers write `mailto:`), never a file.
            Event::Start(Tag::Link {
                link_type: LinkType::Email, ..
            }) => continue,
            Event::Start(Tag::Link { dest_url, .. }) if lien_vers_fichier(&dest_url) || protocole_refuse(&dest_url).is_some() => (dest_url, false),
            _ => continue,
        };
        let (ligne, colonne) = mutu_base::markdown::position(source, r.start);
        out.push(Reference {
            dest: dest.to_string(),
            image,
            ligne,
            colonne,
        });
    }
    out
}

/// A file to copy into the site: project-relative path.
pub type Media = String;

/// Checks every reference of a Markdown text (`fichier`, body starting at
/// line `premiere_ligne`): returns the files to copy and the diagnostics.
pub fn verifier_texte(racine: &Path, fichier: &str, markdown: &str, premiere_ligne: usize) -> (Vec<Media>, Vec<Diagnostic>) {
    let mut medias = Vec::new();
    let mut diags = Vec::new();
    for r in references(markdown) {
        let loc = Loc::new(fichier, premiere_ligne + r.ligne - 1, r.colonne, r.dest.chars().count() + 4);
        match controle(racine, fichier, &r) {
            Ok(rel) => medias.push(rel),
            Err(d) => diags.push(d.at(Some(loc))),
        }
    }
    medias.sort();
    medias.dedup();
    (medias, diags)
}

/// One reference: its project-relative path, or why it is refused.
fn controle(racine: &Path, fichier: &str, r: &Reference) -> Result<Media, Diagnostic> {
    if !r.image {
        if let Some(p) = protocole_refuse(&r.dest) {
            return Err(lien_interdit(&r.dest, &p));
        }
    }
    let quoi = if r.image { "l'image" } else { "le fichier" };
    let exemple = if r.image {
        "![Plan du territoire](images/plan.png)"
    } else {
        "[la délibération](documents/deliberation.pdf)"
    };
    let aide_dedans =
        format!("placez le fichier dans le dossier du projet (par exemple sous content/) et écrivez son chemin depuis le texte, par exemple {exemple}");
    let rel = resoudre(fichier, &r.dest).map_err(|refus| {
        let (code, message) = match refus {
            Refus::Vide => (Code::CheminVide, format!("{quoi} n'a pas de chemin")),
            Refus::Externe => (
                Code::FichierExterne,
                format!("{quoi} « {} » est sur un autre site : le site ne charge aucune ressource extérieure", r.dest),
            ),
            Refus::Absolu => (Code::CheminAbsolu, format!("{quoi} « {} » a un chemin absolu", r.dest)),
            Refus::HorsProjet => (Code::CheminHorsProjet, format!("{quoi} « {} » sort du dossier du projet", r.dest)),
        };
        Diagnostic::error(code, message)
            .expected("un chemin relatif vers un fichier du projet")
            .hint(aide_dedans.clone())
    })?;
    if r.image {
        let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        if !EXTENSIONS_IMAGES.contains(&ext.as_str()) {
            return Err(
                Diagnostic::error(Code::ImageFormat, format!("l'image « {} » n'a pas une extension d'image", r.dest))
                    .expected(format!("un fichier {}", EXTENSIONS_IMAGES.join(", ")))
                    .hint("pour proposer un autre fichier au téléchargement, écrivez un lien : [texte](documents/fichier.pdf)"),
            );
        }
    }
    verifier(racine, &rel).map_err(|p| {
        let code = match p {
            Probleme::LienSortant => Code::CheminHorsProjet,
            Probleme::Introuvable => Code::FichierIntrouvable,
            _ => Code::FichierIllisible,
        };
        Diagnostic::error(code, format!("{quoi} « {} » ({rel}) : {}", r.dest, p.texte())).hint(aide_dedans.clone())
    })?;
    Ok(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_resolution() {
        let f = "content/services/ads.md";
        assert_eq!(resoudre(f, "plan.png"), Ok("content/services/plan.png".into()));
        assert_eq!(resoudre(f, "../images/a%20b.png#x"), Ok("content/images/a b.png".into()));
        assert_eq!(resoudre(f, "./../../images/x.svg?v=2"), Ok("images/x.svg".into()));
        assert_eq!(resoudre(f, "..\\images\\x.png"), Ok("content/images/x.png".into()));
        assert_eq!(resoudre(f, "../../../etc/passwd"), Err(Refus::HorsProjet));
        assert_eq!(resoudre(f, "%2e%2e/%2e%2e/%2e%2e/etc/passwd"), Err(Refus::HorsProjet));
        assert_eq!(resoudre(f, "/etc/passwd"), Err(Refus::Absolu));
        assert_eq!(resoudre(f, "C:\\Windows\\x.png"), Err(Refus::Absolu));
        assert_eq!(resoudre(f, "https://exemple.fr/x.png"), Err(Refus::Externe));
        assert_eq!(resoudre(f, "//exemple.fr/x.png"), Err(Refus::Externe));
        assert_eq!(resoudre(f, "data:image/png;base64,AAAA"), Err(Refus::Externe));
        assert_eq!(resoudre(f, "#ancre"), Err(Refus::Vide));
        assert_eq!(resoudre(f, "../.."), Err(Refus::Vide));
        assert_eq!(resoudre("", "content/images/logo.svg"), Ok("content/images/logo.svg".into()));
        assert_eq!(resoudre("", "../logo.svg"), Err(Refus::HorsProjet));
        assert_eq!(pourcent("%zz%4"), "%zz%4");
        assert_eq!(pourcent("%C3%A9t%C3%A9"), "été");
    }

    #[test]
    fn link_protocols() {
        for ok in [
            "https://x.fr",
            "HTTP://x.fr",
            "mailto:a@b.fr",
            "tel:+33",
            "services/ads",
            "/donnees/t.csv",
            "#ancre",
            "a/b:c",
            "C:\\x.pdf",
        ] {
            assert_eq!(protocole_refuse(ok), None, "{ok}");
        }
        for (ko, p) in [
            ("javascript:alert(1)", "javascript"),
            (" JavaScript:x", "javascript"),
            ("java\tscript:x", "javascript"),
            ("data:text/html,x", "data"),
            ("file:///etc/passwd", "file"),
            ("vbscript:x", "vbscript"),
        ] {
            assert_eq!(protocole_refuse(ko).as_deref(), Some(p), "{ko}");
        }
        let r = references("[a](javascript:alert(1)) [b](C:\\docs\\a.pdf) [c](mailto:x@y.fr) <contact@mon-epci.fr>\n");
        assert_eq!(
            r.iter().map(|r| r.dest.as_str()).collect::<Vec<_>>(),
            ["javascript:alert(1)", "C:\\docs\\a.pdf"]
        );
    }

    #[test]
    fn references_with_positions() {
        let src = "Texte\n\n![Plan](images/plan.png) et [délibération](docs/d.pdf), [page](services/ads), [csv](/donnees/t.csv), [site](https://x.fr/a.pdf).\n";
        let r = references(src);
        assert_eq!(r.len(), 2, "{r:?}");
        assert_eq!((r[0].dest.as_str(), r[0].image, r[0].ligne, r[0].colonne), ("images/plan.png", true, 3, 1));
        assert_eq!((r[1].dest.as_str(), r[1].image, r[1].ligne, r[1].colonne), ("docs/d.pdf", false, 3, 29));
    }
}
