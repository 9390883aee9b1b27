//! HTTP details of `mutu serve` that do not depend on the server: which
//! in-memory file a request path names, its content type, and the
//! per-response substitution of the build version in pages.

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
}
