//! HTTP details of `mutu serve` that do not depend on sockets: where a
//! request head ends, what it asks ([`analyser`]), whether its `Host:` is
//! one this computer's preview answers to ([`hote_autorise`]), which
//! in-memory file a request path names, its content type, the
//! per-response substitution of the build version in pages, and the head
//! of a response. Pure functions, so they are unit tested and fuzzed
//! (`tests/fuzz/fuzz_targets/serve_requete.rs`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

/// Longest request head read (request line and header fields): browsers
/// send 1 to 2 KiB.
pub const TETE_MAX: usize = 16 * 1024;

/// Token of the reload script replaced by the current version when a page
/// is served (so a page always knows which state of the project it shows).
pub const JETON_VERSION: &str = "__MUTU_VERSION__";

/// Why a request path is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refus {
    /// Not a path, bad percent-encoding or not UTF-8.
    Invalide,
    /// `..`, `.`, a backslash or a NUL: outside the site.
    Interdit,
}

/// The files a request URL may name, in the order to try: the decoded path
/// itself, then `<path>.html`, then `<path>/index.html` (`index.html` for
/// `/`, `<dir>/index.html` for `/<dir>/`). The query string and fragment
/// are ignored.
pub fn candidats(url: &str) -> Result<Vec<String>, Refus> {
    let chemin = url.split(['?', '#']).next().unwrap_or("");
    if !chemin.starts_with('/') {
        return Err(Refus::Invalide);
    }
    let octets = decode_pourcent(chemin).ok_or(Refus::Invalide)?;
    let texte = String::from_utf8(octets).map_err(|_| Refus::Invalide)?;
    let mut segments = Vec::new();
    for s in texte.split('/') {
        if s.is_empty() {
            continue;
        }
        if s == "." || s == ".." || s.contains(['\\', '\0']) {
            return Err(Refus::Interdit);
        }
        segments.push(s);
    }
    let joint = segments.join("/");
    if joint.is_empty() {
        return Ok(vec!["index.html".to_string()]);
    }
    if texte.ends_with('/') {
        return Ok(vec![format!("{joint}/index.html")]);
    }
    Ok(vec![joint.clone(), format!("{joint}.html"), format!("{joint}/index.html")])
}

fn decode_pourcent(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let h = b.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(h).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Content type of a served file, from its extension.
pub fn type_contenu(chemin: &str) -> &'static str {
    let nom = chemin.rsplit('/').next().unwrap_or(chemin);
    let ext = match nom.rsplit_once('.') {
        Some((_, e)) => e.to_ascii_lowercase(),
        None => String::new(),
    };
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        _ => "application/octet-stream",
    }
}

/// `page` with the last occurrence of [`JETON_VERSION`] replaced by
/// `version` (the reload script sits at the end of the page).
pub fn avec_version(page: &[u8], version: u64) -> Vec<u8> {
    let jeton = JETON_VERSION.as_bytes();
    let pos = (0..=page.len().saturating_sub(jeton.len())).rev().find(|&i| page[i..].starts_with(jeton));
    match pos {
        Some(p) => {
            let v = version.to_string();
            let mut out = Vec::with_capacity(page.len() + v.len());
            out.extend_from_slice(&page[..p]);
            out.extend_from_slice(v.as_bytes());
            out.extend_from_slice(&page[p + jeton.len()..]);
            out
        }
        None => page.to_vec(),
    }
}

// ---------------------------------------------------------------------------
// Requests

/// Where the head at the start of `tampon` ends (just after its empty
/// line), empty lines before the request line included; `None` while it
/// is incomplete. Lines may end with CRLF or a bare LF.
pub fn fin_de_tete(tampon: &[u8]) -> Option<usize> {
    let debut = tampon.iter().position(|&b| b != b'\r' && b != b'\n')?;
    let mut i = debut;
    while let Some(n) = tampon[i..].iter().position(|&b| b == b'\n') {
        let apres = i + n + 1;
        match tampon.get(apres..) {
            Some([b'\n', ..]) => return Some(apres + 1),
            Some([b'\r', b'\n', ..]) => return Some(apres + 2),
            _ => i = apres,
        }
    }
    None
}

/// The methods the preview knows; any other is answered 405.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Methode {
    Get,
    Head,
    Autre,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    Http10,
    Http11,
}

/// What a request head asks, as far as the preview cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requete {
    pub methode: Methode,
    /// The request target, as sent (`/chemin?requete`).
    pub cible: String,
    pub version: Version,
    /// The `Host:` field, trimmed; `None` when absent.
    pub hote: Option<String>,
    /// A body follows (`Content-Length` other than 0, or
    /// `Transfer-Encoding`). It is never read: the request is refused.
    pub corps: bool,
    /// The connection ends after the response (`Connection: close`, or
    /// HTTP/1.0).
    pub fermer: bool,
}

/// Why a request head cannot be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformee {
    /// Not HTTP/1.x syntax, or an ambiguous head (two `Host:`, bad
    /// `Content-Length`, folded lines): 400.
    Syntaxe,
    /// `HTTP/2.0` and other versions spoken over a plain head: 505.
    Version,
}

/// `tchar` of RFC 9110: the bytes of methods and field names.
fn jeton(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Reads a request head (as delimited by [`fin_de_tete`]). Strict where
/// leniency would let two readers disagree on the request (smuggling):
/// single spaces on the request line, no space before a colon, no folded
/// lines, no control characters, one `Host:`.
pub fn analyser(tete: &[u8]) -> Result<Requete, Malformee> {
    let debut = tete.iter().position(|&b| b != b'\r' && b != b'\n').unwrap_or(tete.len());
    let mut lignes = tete[debut..]
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .take_while(|l| !l.is_empty());
    let ligne = lignes.next().ok_or(Malformee::Syntaxe)?;
    let mut parties = ligne.split(|&b| b == b' ');
    let (Some(methode), Some(cible), Some(version), None) = (parties.next(), parties.next(), parties.next(), parties.next()) else {
        return Err(Malformee::Syntaxe);
    };
    if methode.is_empty() || !methode.iter().all(|&b| jeton(b)) || cible.is_empty() || !cible.iter().all(|&b| b.is_ascii_graphic()) {
        return Err(Malformee::Syntaxe);
    }
    let version = match version {
        b"HTTP/1.1" => Version::Http11,
        b"HTTP/1.0" => Version::Http10,
        [b'H', b'T', b'T', b'P', b'/', a, b'.', b] if a.is_ascii_digit() && b.is_ascii_digit() => return Err(Malformee::Version),
        _ => return Err(Malformee::Syntaxe),
    };
    let mut r = Requete {
        methode: match methode {
            b"GET" => Methode::Get,
            b"HEAD" => Methode::Head,
            _ => Methode::Autre,
        },
        cible: String::from_utf8(cible.to_vec()).map_err(|_| Malformee::Syntaxe)?,
        version,
        hote: None,
        corps: false,
        fermer: version == Version::Http10,
    };
    for ligne in lignes {
        let deux_points = ligne.iter().position(|&b| b == b':').ok_or(Malformee::Syntaxe)?;
        let (nom, valeur) = (&ligne[..deux_points], &ligne[deux_points + 1..]);
        if nom.is_empty() || !nom.iter().all(|&b| jeton(b)) || valeur.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7f) {
            return Err(Malformee::Syntaxe);
        }
        let valeur = valeur.trim_ascii();
        if nom.eq_ignore_ascii_case(b"host") {
            if r.hote.is_some() {
                return Err(Malformee::Syntaxe);
            }
            r.hote = Some(String::from_utf8(valeur.to_vec()).map_err(|_| Malformee::Syntaxe)?);
        } else if nom.eq_ignore_ascii_case(b"content-length") {
            if valeur.is_empty() || !valeur.iter().all(u8::is_ascii_digit) {
                return Err(Malformee::Syntaxe);
            }
            r.corps |= valeur.iter().any(|&b| b != b'0');
        } else if nom.eq_ignore_ascii_case(b"transfer-encoding") {
            r.corps = true;
        } else if nom.eq_ignore_ascii_case(b"connection") {
            r.fermer |= valeur.split(|&b| b == b',').any(|o| o.trim_ascii().eq_ignore_ascii_case(b"close"));
        }
    }
    Ok(r)
}

/// Is `hote` (a `Host:` value) a name of the preview listening on
/// `ecoute`? Only `localhost`, `127.0.0.1`, `[::1]` and the listening
/// address, with the listening port or none (HTTP clients always send
/// the port when it is not 80). Any other name is how DNS rebinding
/// looks: a page of `evil.example`, whose name now points at 127.0.0.1,
/// reading the preview as its own site. IP literals cannot be rebound,
/// so when listening on every interface (`--adresse 0.0.0.0`) any IP
/// literal is accepted: the machine's addresses are not known here.
pub fn hote_autorise(hote: &str, ecoute: SocketAddr) -> bool {
    let (nom, port) = match hote.strip_prefix('[') {
        Some(reste) => match reste.split_once(']') {
            Some((ip, "")) => (ip, None),
            Some((ip, port)) => match port.strip_prefix(':') {
                Some(p) => (ip, Some(p)),
                None => return false,
            },
            None => return false,
        },
        None => match hote.split_once(':') {
            Some((nom, port)) => (nom, Some(port)),
            None => (hote, None),
        },
    };
    if let Some(p) = port {
        // Digits exactly as written by clients: no sign, no leading zero.
        if p != ecoute.port().to_string() {
            return false;
        }
    }
    let ip: IpAddr = if hote.starts_with('[') {
        match nom.parse::<Ipv6Addr>() {
            Ok(ip) => IpAddr::V6(ip),
            Err(_) => return false,
        }
    } else if nom.eq_ignore_ascii_case("localhost") {
        return true;
    } else {
        match nom.parse::<Ipv4Addr>() {
            Ok(ip) => IpAddr::V4(ip),
            Err(_) => return false,
        }
    };
    ip == IpAddr::V4(Ipv4Addr::LOCALHOST) || ip == IpAddr::V6(Ipv6Addr::LOCALHOST) || ip == ecoute.ip() || ecoute.ip().is_unspecified()
}

// ---------------------------------------------------------------------------
// Responses

/// The statuses the preview answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statut {
    Ok,
    RequeteInvalide,
    Interdit,
    Introuvable,
    MethodeRefusee,
    CorpsRefuse,
    HoteRefuse,
    TeteTropLongue,
    Indisponible,
    VersionRefusee,
}

impl Statut {
    pub fn code(self) -> u16 {
        match self {
            Statut::Ok => 200,
            Statut::RequeteInvalide => 400,
            Statut::Interdit => 403,
            Statut::Introuvable => 404,
            Statut::MethodeRefusee => 405,
            Statut::CorpsRefuse => 413,
            Statut::HoteRefuse => 421,
            Statut::TeteTropLongue => 431,
            Statut::Indisponible => 503,
            Statut::VersionRefusee => 505,
        }
    }

    /// The reason phrase of the status line (protocol text, not shown).
    fn raison(self) -> &'static str {
        match self {
            Statut::Ok => "OK",
            Statut::RequeteInvalide => "Bad Request",
            Statut::Interdit => "Forbidden",
            Statut::Introuvable => "Not Found",
            Statut::MethodeRefusee => "Method Not Allowed",
            Statut::CorpsRefuse => "Content Too Large",
            Statut::HoteRefuse => "Misdirected Request",
            Statut::TeteTropLongue => "Request Header Fields Too Large",
            Statut::Indisponible => "Service Unavailable",
            Statut::VersionRefusee => "HTTP Version Not Supported",
        }
    }
}

/// One response.
#[derive(Debug, Clone)]
pub struct Reponse {
    pub statut: Statut,
    pub type_contenu: &'static str,
    pub corps: Arc<[u8]>,
    /// HEAD: the head alone is sent (its `Content-Length` is the body's).
    pub sans_corps: bool,
    /// The connection is closed after this response.
    pub fermer: bool,
}

impl Reponse {
    pub fn new(statut: Statut, type_contenu: &'static str, corps: Arc<[u8]>) -> Reponse {
        Reponse {
            statut,
            type_contenu,
            corps,
            sans_corps: false,
            fermer: false,
        }
    }

    /// A short plain-text answer.
    pub fn texte(statut: Statut, t: &str) -> Reponse {
        Reponse::new(statut, "text/plain; charset=utf-8", Arc::from(t.as_bytes()))
    }

    /// The same response, the connection closed after it.
    pub fn fermee(mut self) -> Reponse {
        self.fermer = true;
        self
    }

    /// The status line and header fields, `date` being the `Date:` value.
    pub fn tete(&self, date: &str) -> Vec<u8> {
        let mut t = format!(
            "HTTP/1.1 {} {}\r\nDate: {date}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n",
            self.statut.code(),
            self.statut.raison(),
            self.type_contenu,
            self.corps.len()
        );
        if self.statut == Statut::MethodeRefusee {
            t.push_str("Allow: GET, HEAD\r\n");
        }
        if self.statut == Statut::Indisponible && self.fermer {
            t.push_str("Retry-After: 1\r\n");
        }
        if self.fermer {
            t.push_str("Connection: close\r\n");
        }
        t.push_str("\r\n");
        t.into_bytes()
    }
}

/// `t` as an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn date(t: SystemTime) -> String {
    const JOURS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MOIS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let s = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (jours, s) = (s / 86_400, s % 86_400);
    let d = mutu_model::values::Date::depuis_jours_unix(jours as i64);
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        JOURS[(jours % 7) as usize],
        d.jour,
        MOIS[(d.mois - 1) as usize],
        d.annee,
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths() {
        assert_eq!(candidats("/").unwrap(), vec!["index.html"]);
        assert_eq!(candidats("/?x=1#y").unwrap(), vec!["index.html"]);
        assert_eq!(candidats("/services/").unwrap(), vec!["services/index.html"]);
        assert_eq!(
            candidats("/services/ads.html").unwrap(),
            vec!["services/ads.html", "services/ads.html.html", "services/ads.html/index.html"]
        );
        assert_eq!(candidats("/services/ads").unwrap()[1], "services/ads.html");
        assert_eq!(candidats("//a//b.css").unwrap()[0], "a/b.css");
        assert_eq!(candidats("/donn%C3%A9es/x.csv").unwrap()[0], "données/x.csv");
        assert_eq!(candidats("/../etc/passwd"), Err(Refus::Interdit));
        assert_eq!(candidats("/a/%2e%2e/%2e%2e/x"), Err(Refus::Interdit));
        assert_eq!(candidats("/a/./b"), Err(Refus::Interdit));
        assert_eq!(candidats("/a%5c..%5cb"), Err(Refus::Interdit));
        assert_eq!(candidats("/a%00"), Err(Refus::Interdit));
        assert_eq!(candidats("/%zz"), Err(Refus::Invalide));
        assert_eq!(candidats("/%ff"), Err(Refus::Invalide));
        assert_eq!(candidats("http://x/"), Err(Refus::Invalide));
    }

    #[test]
    fn content_types() {
        assert_eq!(type_contenu("index.html"), "text/html; charset=utf-8");
        assert_eq!(type_contenu("static/style.CSS"), "text/css; charset=utf-8");
        assert_eq!(type_contenu("rapport.pdf"), "application/pdf");
        assert_eq!(type_contenu("static/fonts/Inter.woff2"), "font/woff2");
        assert_eq!(type_contenu("donnees/t.csv"), "text/csv; charset=utf-8");
        assert_eq!(type_contenu("LICENCE"), "application/octet-stream");
    }

    #[test]
    fn version_token() {
        let page = format!("<p>{JETON_VERSION}</p><script>var v=\"{JETON_VERSION}\"</script>");
        let out = String::from_utf8(avec_version(page.as_bytes(), 42)).unwrap();
        assert_eq!(out, format!("<p>{JETON_VERSION}</p><script>var v=\"42\"</script>"));
        assert_eq!(avec_version(b"abc", 1), b"abc");
        assert_eq!(avec_version(b"", 1), b"");
    }

    #[test]
    fn head_ends() {
        assert_eq!(fin_de_tete(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nGET"), Some(27));
        assert_eq!(fin_de_tete(b"GET / HTTP/1.0\n\nx"), Some(16));
        assert_eq!(fin_de_tete(b"\r\n\r\nGET / HTTP/1.0\r\n\r\n"), Some(22));
        assert_eq!(fin_de_tete(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
        assert_eq!(fin_de_tete(b"\r\n\r\n"), None);
        assert_eq!(fin_de_tete(b""), None);
    }

    fn requete(t: &str) -> Result<Requete, Malformee> {
        analyser(t.as_bytes())
    }

    #[test]
    fn request_heads() {
        assert_eq!(
            requete("GET /a?b HTTP/1.1\r\nhost:  localhost:1111 \r\nAccept: */*\r\n\r\n"),
            Ok(Requete {
                methode: Methode::Get,
                cible: "/a?b".into(),
                version: Version::Http11,
                hote: Some("localhost:1111".into()),
                corps: false,
                fermer: false,
            })
        );
        let r = requete("\r\nHEAD / HTTP/1.0\nContent-Length: 000\n\n").unwrap();
        assert_eq!(
            (r.methode, r.version, r.hote, r.corps, r.fermer),
            (Methode::Head, Version::Http10, None, false, true)
        );
        assert!(requete("GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n").unwrap().corps);
        assert!(requete("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap().corps);
        assert_eq!(requete("PUT / HTTP/1.1\r\n\r\n").unwrap().methode, Methode::Autre);
        assert_eq!(requete("get / HTTP/1.1\r\n\r\n").unwrap().methode, Methode::Autre);
        assert!(requete("GET / HTTP/1.1\r\nConnection: keep-alive, Close\r\n\r\n").unwrap().fermer);
        for mauvaise in [
            "",
            "\r\n",
            "GET /\r\n\r\n",
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 \r\n\r\n",
            "GET /a b HTTP/1.1\r\n\r\n",
            "G(T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n",
            "GET / HTTP/1.1\r\nsans-deux-points\r\n\r\n",
            "GET / HTTP/1.1\r\nX: a\x00b\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length:\r\n\r\n",
            "GET / HTTPS/1.1\r\n\r\n",
        ] {
            assert_eq!(requete(mauvaise), Err(Malformee::Syntaxe), "{mauvaise:?}");
        }
        assert_eq!(requete("GET / HTTP/2.0\r\n\r\n"), Err(Malformee::Version));
        assert_eq!(requete("GET / HTTP/0.9\r\n\r\n"), Err(Malformee::Version));
        assert_eq!(analyser(b"GET / HTTP/1.1\r\nHost: \xc3\r\n\r\n"), Err(Malformee::Syntaxe));
    }

    #[test]
    fn host_names() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for h in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
            "127.0.0.1",
            "localhost",
            "[::1]",
        ] {
            assert!(hote_autorise(h, local), "{h}");
        }
        for h in [
            "",
            "evil.example",
            "evil.example:1111",
            "127.0.0.1:1112",
            "127.0.0.1:01111",
            "127.0.0.1:+1111",
            "127.0.0.1:",
            "127.0.0.1:1111:1111",
            "127.0.0.2:1111",
            "127.1:1111",
            "0x7f000001:1111",
            "127.000.000.001:1111",
            "localhost.:1111",
            "localhost.evil.example:1111",
            "::1",
            "[::1",
            "[::1]1111",
            "[::2]:1111",
            "[127.0.0.1]:1111",
            "0.0.0.0:1111",
            "a@localhost:1111",
        ] {
            assert!(!hote_autorise(h, local), "{h}");
        }
        let lan: SocketAddr = "192.168.1.10:8000".parse().unwrap();
        assert!(hote_autorise("192.168.1.10:8000", lan));
        assert!(hote_autorise("localhost:8000", lan));
        assert!(!hote_autorise("192.168.1.11:8000", lan));
        assert!(!hote_autorise("machine.local:8000", lan));
        let v6: SocketAddr = "[fe80::1]:8000".parse().unwrap();
        assert!(hote_autorise("[fe80::1]:8000", v6));
        assert!(!hote_autorise("fe80::1", v6));
        let partout: SocketAddr = "0.0.0.0:8000".parse().unwrap();
        assert!(hote_autorise("192.168.1.10:8000", partout));
        assert!(hote_autorise("[2001:db8::1]:8000", partout));
        assert!(!hote_autorise("machine.local:8000", partout));
        assert!(!hote_autorise("192.168.1.10:8001", partout));
        assert!(hote_autorise("localhost", "127.0.0.1:80".parse().unwrap()));
    }

    #[test]
    fn response_heads() {
        let r = Reponse::texte(Statut::MethodeRefusee, "non").fermee();
        assert_eq!(
            String::from_utf8(r.tete("Thu, 01 Jan 1970 00:00:00 GMT")).unwrap(),
            "HTTP/1.1 405 Method Not Allowed\r\nDate: Thu, 01 Jan 1970 00:00:00 GMT\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nAllow: GET, HEAD\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn http_dates() {
        let a = |s: u64| date(UNIX_EPOCH + std::time::Duration::from_secs(s));
        assert_eq!(a(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(a(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(a(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(a(1_767_225_599), "Wed, 31 Dec 2025 23:59:59 GMT");
        assert_eq!(a(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 GMT");
    }
}
