//! Raw HTML in the Markdown texts, when the project lets it through
//! (`html_brut: true`): the site promises no request to any other site and
//! runs no script of its own texts, so the raw HTML may not break that
//! promise. Refused, with the file and line: an address on another site in
//! an attribute that loads it (`src`, `srcset`, `href` of anything but a
//! link, `action`, `poster`, `data`, `url(…)` of a style…), the elements
//! that embed or redirect (`<iframe>`, `<object>`, `<embed>`, `<script>`,
//! `<base>`, `<link>`, `<meta http-equiv="refresh">`…), event handler
//! attributes (`onerror=…`) and `javascript:` addresses (a link follows the
//! rules of Markdown links: `https:`, `mailto:`, `tel:` or a page).
//!
//! The scan reads the raw HTML the way a browser's tokenizer does where it
//! matters for this question — tags and their attributes (quoted, unquoted,
//! without value), comments and the bogus comments `<?…>` / `<!…>` that end
//! at the first `>`, character references in values (`&#106;avascript:`,
//! `&colon;`), CSS escapes and comments in styles — and refuses whatever it
//! is unsure of. A full HTML5 tokenizer (html5ever) would bring a large
//! dependency tree for fragments of a few lines; the only states that
//! decide where a tag starts and ends are the ones followed here, and the
//! scan errs on the side of refusing (text inside `<textarea>` is read as
//! markup, a quoted URL anywhere in a style counts as loaded).

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

/// Elements refused whatever their attributes: they run code, embed another
/// document or change where the page's addresses lead.
const ELEMENTS_INTERDITS: &[&str] = &[
    "script",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "link",
    "portal",
    "fencedframe",
];

/// Attributes whose value is an address the browser loads (or sends a form
/// or a ping to) without the reader choosing to follow a link.
const ATTRIBUTS_CHARGES: &[&str] = &[
    "src",
    "srcset",
    "imagesrcset",
    "action",
    "formaction",
    "poster",
    "data",
    "background",
    "longdesc",
    "lowsrc",
    "dynsrc",
    "ping",
    "manifest",
    "codebase",
    "archive",
    "classid",
    "icon",
    "profile",
    "xlink:href",
];

/// Checks the raw HTML of every text when `html_brut` is set (otherwise it
/// is shown as text and cannot do anything).
pub(crate) fn check(ctx: &mut Ctx) {
    if !ctx.p.config.html_brut {
        return;
    }
    for c in &ctx.p.contenus {
        for (fragment, refus) in refus_du_texte(&c.markdown) {
            let (ligne, colonne) = mutu_base::markdown::position(&c.markdown, fragment);
            let loc = Loc::new(&c.fichier, c.premiere_ligne + ligne - 1, colonne, refus.longueur);
            ctx.out.push(refus.diagnostic().at(Some(loc)));
        }
    }
}

/// What is refused in a piece of raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Quoi {
    Element(String),
    Rafraichissement,
    Evenement { element: String, attribut: String },
    Protocole { adresse: String, protocole: String },
    Externe { element: String, attribut: String, adresse: String },
    Script { element: String, attribut: String },
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Refus {
    quoi: Quoi,
    /// Characters underlined.
    longueur: usize,
}

impl Refus {
    fn diagnostic(&self) -> Diagnostic {
        let aide_script = "le site n'exécute aucun script venu des textes : retirez-le";
        match &self.quoi {
            Quoi::Element(e) => Diagnostic::error(
                Code::HtmlInterdit,
                format!("l'élément HTML <{e}> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            )
            .expected("du HTML sans <script>, <iframe>, <object>, <embed>, <base>, <link> ni <meta http-equiv=\"refresh\">")
            .hint("pour proposer un document, placez-le dans le projet et faites-en un lien, par exemple [la délibération](documents/deliberation.pdf)"),
            Quoi::Rafraichissement => Diagnostic::error(
                Code::HtmlInterdit,
                "l'élément HTML <meta http-equiv=\"refresh\"> est refusé : il emmènerait le lecteur ailleurs sans qu'il le demande",
            )
            .hint("faites un lien vers la page voulue"),
            Quoi::Evenement { element, attribut } => Diagnostic::error(
                Code::HtmlInterdit,
                format!("l'attribut « {attribut} » de <{element}> est refusé : il exécuterait du JavaScript"),
            )
            .hint(aide_script),
            Quoi::Script { element, attribut } => Diagnostic::error(
                Code::HtmlInterdit,
                format!("l'attribut « {attribut} » de <{element}> contient du code (javascript:, expression()) : refusé"),
            )
            .hint(aide_script),
            Quoi::Protocole { adresse, protocole } => mutu_model::medias::lien_interdit(adresse, protocole),
            Quoi::Externe { element, attribut, adresse } => Diagnostic::error(
                Code::HtmlExterne,
                format!("l'attribut « {attribut} » de <{element}> charge « {adresse} », hors du site : le site ne fait aucune requête vers un autre site"),
            )
            .expected("un fichier du projet, par exemple « images/plan.png »")
            .hint("placez le fichier dans le dossier du projet (par exemple sous content/) et écrivez son chemin depuis le texte"),
        }
    }
}

/// Byte offset in `markdown` and what is refused, for every raw HTML
/// fragment of the text (inline tags, and HTML blocks read whole: a tag may
/// span several lines of a block).
fn refus_du_texte(markdown: &str) -> Vec<(usize, Refus)> {
    let mut out = Vec::new();
    // An HTML block: its text and, for each piece, (offset in the text,
    // offset in the source).
    let mut bloc: Option<(String, Vec<(usize, usize)>)> = None;
    for (e, r) in Parser::new_ext(markdown, mutu_base::markdown::options()).into_offset_iter() {
        match e {
            Event::Start(Tag::HtmlBlock) => bloc = Some((String::new(), Vec::new())),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some((texte, morceaux)) = bloc.take() {
                    for (o, refus) in analyse(&texte) {
                        let (debut, source) = morceaux.iter().rev().find(|(d, _)| *d <= o).copied().unwrap_or((0, 0));
                        out.push((source + o - debut, refus));
                    }
                }
            }
            Event::Html(h) | Event::InlineHtml(h) => match &mut bloc {
                Some((texte, morceaux)) => {
                    morceaux.push((texte.len(), r.start));
                    texte.push_str(&h);
                }
                None => out.extend(analyse(&h).into_iter().map(|(o, refus)| (r.start + o, refus))),
            },
            _ => {}
        }
    }
    out
}

fn espace(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C')
}

/// Every refusal in a raw HTML fragment, with its byte offset.
fn analyse(html: &str) -> Vec<(usize, Refus)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        i += p;
        let reste = &html[i..];
        if let Some(apres) = reste.strip_prefix("<!--") {
            // A comment: `<!-->` and `<!--->` are empty; else up to `-->` or `--!>`.
            if apres.starts_with('>') || apres.starts_with("->") {
                i += 4 + apres.find('>').map_or(apres.len(), |f| f + 1);
                continue;
            }
            let fin = [apres.find("-->").map(|f| f + 3), apres.find("--!>").map(|f| f + 4)]
                .into_iter()
                .flatten()
                .min();
            i += 4 + fin.unwrap_or(apres.len());
            continue;
        }
        if reste.starts_with("<!") || reste.starts_with("<?") || (reste.starts_with("</") && !reste.as_bytes().get(2).is_some_and(u8::is_ascii_alphabetic)) {
            // Bogus comment (declaration, processing instruction, `</…`
            // not followed by a letter): ends at the first `>`.
            i += reste.find('>').map_or(reste.len(), |f| f + 1);
            continue;
        }
        let fermante = reste.starts_with("</");
        let debut_nom = i + if fermante { 2 } else { 1 };
        if !b.get(debut_nom).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let mut j = debut_nom;
        while j < b.len() && !espace(b[j]) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        let element = html[debut_nom..j].to_ascii_lowercase();
        let (attributs, fin) = attributs(html, j);
        if !fermante {
            controle_element(&element, i, fin - i, &attributs, &mut out);
        }
        i = fin;
        if !fermante && element == "style" {
            // Style sheet: its text up to `</style`.
            let texte_fin = html[i..].to_ascii_lowercase().find("</style").map_or(html.len(), |f| i + f);
            if let Some(adresse) = css_externe(&html[i..texte_fin]) {
                out.push((i, externe("style", "url()", adresse, texte_fin - i)));
            }
            if css_script(&html[i..texte_fin]) {
                out.push((i, script("style", "expression()", texte_fin - i)));
            }
            i = texte_fin;
        }
    }
    out
}

/// An attribute: lower-case name, value (character references decoded),
/// byte offset and length of the whole attribute.
struct Attribut {
    nom: String,
    valeur: String,
    debut: usize,
    longueur: usize,
}

/// Attributes of the tag whose name ends at `i`, and the offset after its
/// `>` (the end of the fragment when the tag is not closed).
fn attributs(html: &str, mut i: usize) -> (Vec<Attribut>, usize) {
    let b = html.as_bytes();
    let mut out = Vec::new();
    loop {
        while i < b.len() && (espace(b[i]) || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return (out, i);
        }
        if b[i] == b'>' {
            return (out, i + 1);
        }
        let debut = i;
        // The first character may be `=`.
        i += 1;
        while i < b.len() && !espace(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let nom = html[debut..i].to_ascii_lowercase();
        let mut k = i;
        while k < b.len() && espace(b[k]) {
            k += 1;
        }
        let mut valeur = String::new();
        if b.get(k) == Some(&b'=') {
            k += 1;
            while k < b.len() && espace(b[k]) {
                k += 1;
            }
            match b.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    let fin = html[k + 1..].find(q as char).map_or(html.len(), |f| k + 1 + f);
                    valeur = html[k + 1..fin].to_string();
                    i = (fin + 1).min(html.len());
                }
                _ => {
                    let mut fin = k;
                    while fin < b.len() && !espace(b[fin]) && b[fin] != b'>' {
                        fin += 1;
                    }
                    valeur = html[k..fin].to_string();
                    i = fin;
                }
            }
        }
        out.push(Attribut {
            nom,
            valeur: references(&valeur),
            debut,
            longueur: html[debut..i].chars().count(),
        });
    }
}

fn controle_element(element: &str, debut: usize, longueur: usize, attributs: &[Attribut], out: &mut Vec<(usize, Refus)>) {
    let longueur_balise = longueur.min(element.len() + 1);
    if ELEMENTS_INTERDITS.contains(&element) {
        out.push((
            debut,
            Refus {
                quoi: Quoi::Element(element.to_string()),
                longueur: longueur_balise,
            },
        ));
        return;
    }
    if element == "meta"
        && attributs
            .iter()
            .any(|a| a.nom == "http-equiv" && a.valeur.trim().eq_ignore_ascii_case("refresh"))
    {
        out.push((
            debut,
            Refus {
                quoi: Quoi::Rafraichissement,
                longueur: longueur_balise,
            },
        ));
        return;
    }
    for a in attributs {
        let refus = if a.nom.starts_with("on") {
            Some(Quoi::Evenement {
                element: element.to_string(),
                attribut: a.nom.clone(),
            })
        } else if a.nom == "href" && matches!(element, "a" | "area") {
            mutu_model::medias::protocole_refuse(&a.valeur).map(|protocole| Quoi::Protocole {
                adresse: a.valeur.clone(),
                protocole,
            })
        } else if a.nom == "href" || ATTRIBUTS_CHARGES.contains(&a.nom.as_str()) {
            let adresses: Vec<&str> = if a.nom.ends_with("srcset") {
                // `image.png 1x, https://x.fr/y.png 2x`: every address.
                a.valeur.split(|c: char| c == ',' || c.is_ascii_whitespace()).collect()
            } else {
                vec![a.valeur.as_str()]
            };
            adresses.into_iter().find(|u| hors_du_site(u)).map(|u| Quoi::Externe {
                element: element.to_string(),
                attribut: a.nom.clone(),
                adresse: u.trim().to_string(),
            })
        } else if a.nom == "style" {
            css_externe(&a.valeur)
                .map(|u| Quoi::Externe {
                    element: element.to_string(),
                    attribut: a.nom.clone(),
                    adresse: u,
                })
                .or_else(|| {
                    css_script(&a.valeur).then(|| Quoi::Script {
                        element: element.to_string(),
                        attribut: a.nom.clone(),
                    })
                })
        } else {
            None
        };
        // Any other attribute holding a script address (`<animate to=…>`,
        // `values=…`) is refused too.
        let refus = refus.or_else(|| {
            let v = sans_blancs_internes(&a.valeur).to_ascii_lowercase();
            (v.contains("javascript:") || v.contains("vbscript:")).then(|| Quoi::Script {
                element: element.to_string(),
                attribut: a.nom.clone(),
            })
        });
        if let Some(quoi) = refus {
            out.push((a.debut, Refus { quoi, longueur: a.longueur }));
        }
    }
}

fn externe(element: &str, attribut: &str, adresse: String, longueur: usize) -> Refus {
    Refus {
        quoi: Quoi::Externe {
            element: element.into(),
            attribut: attribut.into(),
            adresse,
        },
        longueur: longueur.max(1),
    }
}

fn script(element: &str, attribut: &str, longueur: usize) -> Refus {
    Refus {
        quoi: Quoi::Script {
            element: element.into(),
            attribut: attribut.into(),
        },
        longueur: longueur.max(1),
    }
}

/// The address without the tabs and line breaks a browser drops from it.
fn sans_blancs_internes(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect()
}

/// Does the browser leave the site for this address? Yes when it has a
/// scheme (`https:`, `data:`, `javascript:`…) or starts with two slashes
/// (`//hote/…`; a browser reads `\` as `/`).
fn hors_du_site(adresse: &str) -> bool {
    let a = sans_blancs_internes(adresse);
    let a = a.trim_matches(|c: char| c <= ' ');
    let debut: String = a.chars().take(2).collect();
    if matches!(debut.as_str(), "//" | "\\\\" | "/\\" | "\\/") {
        return true;
    }
    let fin_schema = a
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(a.len());
    a.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) && a[fin_schema..].starts_with(':')
}

/// Decodes character references in an attribute value: numeric ones
/// (`&#106;`, `&#x6A`), and the named ones that can make up a scheme or a
/// path (`&colon;`, `&sol;`, `&Tab;`…). Other named ones stay as written:
/// none of them is an ASCII letter, digit, `:` or `/`.
fn references(v: &str) -> String {
    const NOMMEES: &[(&str, char)] = &[
        ("colon", ':'),
        ("sol", '/'),
        ("bsol", '\\'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("period", '.'),
        ("plus", '+'),
        ("hyphen", '-'),
        ("dash", '-'),
        ("lpar", '('),
        ("rpar", ')'),
        ("amp", '&'),
        ("quot", '"'),
        ("apos", '\''),
        ("lt", '<'),
        ("gt", '>'),
        ("nbsp", '\u{A0}'),
    ];
    if !v.contains('&') {
        return v.to_string();
    }
    let mut out = String::with_capacity(v.len());
    let mut reste = v;
    while let Some(p) = reste.find('&') {
        out.push_str(&reste[..p]);
        reste = &reste[p + 1..];
        if let Some(num) = reste.strip_prefix('#') {
            let (hexa, chiffres) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let n = chiffres
                .chars()
                .take_while(|c| if hexa { c.is_ascii_hexdigit() } else { c.is_ascii_digit() })
                .count();
            if n > 0 {
                let code = u32::from_str_radix(&chiffres[..n.min(8)], if hexa { 16 } else { 10 }).unwrap_or(0xFFFD);
                out.push(char::from_u32(code).filter(|c| *c != '\0').unwrap_or('\u{FFFD}'));
                let lu = (num.len() - chiffres.len()) + 1 + n;
                reste = &reste[lu..];
                reste = reste.strip_prefix(';').unwrap_or(reste);
                continue;
            }
        } else {
            let n = reste.chars().take_while(char::is_ascii_alphanumeric).count();
            let nom = reste[..n].to_ascii_lowercase();
            if let Some((_, c)) = NOMMEES.iter().find(|(k, _)| *k == nom) {
                out.push(*c);
                reste = &reste[n..];
                reste = reste.strip_prefix(';').unwrap_or(reste);
                continue;
            }
        }
        out.push('&');
    }
    out.push_str(reste);
    out
}

/// CSS as the browser reads it: comments removed, escapes (`\75 rl(`,
/// `\:`) decoded, lower case.
fn css_lu(css: &str) -> String {
    let mut sans_commentaires = String::with_capacity(css.len());
    let mut reste = css;
    while let Some(p) = reste.find("/*") {
        sans_commentaires.push_str(&reste[..p]);
        reste = reste[p + 2..].find("*/").map_or("", |f| &reste[p + 2 + f + 2..]);
    }
    sans_commentaires.push_str(reste);
    let mut out = String::with_capacity(sans_commentaires.len());
    let mut it = sans_commentaires.chars().peekable();
    while let Some(c) = it.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hexa = String::new();
        while hexa.len() < 6 && it.peek().is_some_and(char::is_ascii_hexdigit) {
            hexa.extend(it.next());
        }
        if hexa.is_empty() {
            out.extend(it.next());
        } else {
            out.push(u32::from_str_radix(&hexa, 16).ok().and_then(char::from_u32).unwrap_or('\u{FFFD}'));
            if it.peek().is_some_and(|c| c.is_whitespace()) {
                it.next();
            }
        }
    }
    out.to_lowercase()
}

/// The first address outside the site in a style: in `url(…)` or in any
/// quoted string (`@import "…"`, `image-set("…" 1x)`).
fn css_externe(css: &str) -> Option<String> {
    let lu = css_lu(css);
    let mut candidats = Vec::new();
    let mut reste = lu.as_str();
    while let Some(p) = reste.find("url(") {
        let arg = &reste[p + 4..];
        let fin = arg.find(')').unwrap_or(arg.len());
        candidats.push(arg[..fin].trim().trim_matches(['"', '\'']).to_string());
        reste = &arg[fin..];
    }
    for q in ['"', '\''] {
        let morceaux: Vec<&str> = lu.split(q).collect();
        candidats.extend(morceaux.iter().skip(1).step_by(2).map(|s| s.to_string()));
    }
    candidats.into_iter().find(|u| hors_du_site(u))
}

/// Does a style run code (`expression(…)` of old browsers, `javascript:`)?
fn css_script(css: &str) -> bool {
    let lu: String = css_lu(css).chars().filter(|c| !c.is_whitespace()).collect();
    lu.contains("expression(") || lu.contains("javascript:") || lu.contains("-moz-binding") || lu.contains("behavior:")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(md: &str) -> Vec<(usize, String)> {
        refus_du_texte(md)
            .into_iter()
            .map(|(o, r)| {
                let d = r.diagnostic();
                (mutu_base::markdown::position(md, o).0, format!("{}: {}", d.code, d.message))
            })
            .collect()
    }

    #[test]
    fn harmless_raw_html_passes() {
        let md = "Texte <b class=\"x\">gras</b> et <img src=\"images/plan.png\" alt=\"Plan\" srcset=\"images/plan.png 1x, images/plan@2x.png 2x\">.\n\n<div style=\"color: red; background: url(images/fond.png)\">\n<a href=\"https://www.legifrance.gouv.fr/\">Légifrance</a> <a href=\"mailto:a@b.fr\">écrire</a>\n</div>\n\n<!-- <iframe src=\"https://x.fr\"> -->\n\n<p title=\"a > b\" data-x=\"1\">ok</p>\n";
        assert_eq!(codes(md), vec![]);
    }

    #[test]
    fn external_requests_scripts_and_embeds_are_refused() {
        let md = "Un <img src=\"http://x.fr/a.png\"> deux.\n\n\
<iframe src=\"carte.html\"></iframe>\n\n\
<a href=\"javascript:alert(1)\">a</a> <a href=\"jav&#x61;script&colon;alert(1)\">b</a>\n\n\
<img src=x onerror=alert(1)>\n\n\
<div\n  style=\"background: u\\72 l('//x.fr/f.png')\">x</div>\n\n\
<video poster=//x.fr/p.png></video> <img srcset=\"a.png 1x, https://x.fr/b.png 2x\">\n\n\
<object data=\"doc.pdf\"></object> <embed src=\"a.swf\"> <script src=\"a.js\"></script> <base href=\"https://x.fr/\"> <link rel=stylesheet href=a.css>\n\n\
<meta http-equiv=\"Refresh\" content=\"0;url=https://x.fr\">\n\n\
<form action=\"https://x.fr/envoi\"><button formaction=\"\\\\x.fr\">ok</button></form>\n\n\
<style>@import \"https://x.fr/s.css\";</style>\n\n\
<svg><image href=\"https://x.fr/i.png\"/><a><animate attributeName=\"href\" to=\"javascript:alert(1)\"/></a></svg>\n\n\
<?php ?> <!x> <img src=\"data:image/png;base64,AAAA\">\n\n\
> <img\n> src=\"https://x.fr/citation.png\">\n";
        let got = codes(md);
        let want: Vec<(usize, String)> = vec![
            (1, "html-externe: l'attribut « src » de <img> charge « http://x.fr/a.png », hors du site : le site ne fait aucune requête vers un autre site"),
            (3, "html-interdit: l'élément HTML <iframe> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            (5, "lien-interdit: le lien « javascript:alert(1) » utilise le protocole « javascript: », refusé"),
            (5, "lien-interdit: le lien « javascript:alert(1) » utilise le protocole « javascript: », refusé"),
            (7, "html-interdit: l'attribut « onerror » de <img> est refusé : il exécuterait du JavaScript"),
            (10, "html-externe: l'attribut « style » de <div> charge « //x.fr/f.png », hors du site : le site ne fait aucune requête vers un autre site"),
            (12, "html-externe: l'attribut « poster » de <video> charge « //x.fr/p.png », hors du site : le site ne fait aucune requête vers un autre site"),
            (12, "html-externe: l'attribut « srcset » de <img> charge « https://x.fr/b.png », hors du site : le site ne fait aucune requête vers un autre site"),
            (14, "html-interdit: l'élément HTML <object> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            (14, "html-interdit: l'élément HTML <embed> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            (14, "html-interdit: l'élément HTML <script> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            (14, "html-interdit: l'élément HTML <base> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            (14, "html-interdit: l'élément HTML <link> est refusé : il exécuterait ou chargerait un contenu hors du site"),
            (16, "html-interdit: l'élément HTML <meta http-equiv=\"refresh\"> est refusé : il emmènerait le lecteur ailleurs sans qu'il le demande"),
            (18, "html-externe: l'attribut « action » de <form> charge « https://x.fr/envoi », hors du site : le site ne fait aucune requête vers un autre site"),
            (18, "html-externe: l'attribut « formaction » de <button> charge « \\\\x.fr », hors du site : le site ne fait aucune requête vers un autre site"),
            (20, "html-externe: l'attribut « url() » de <style> charge « https://x.fr/s.css », hors du site : le site ne fait aucune requête vers un autre site"),
            (22, "html-externe: l'attribut « href » de <image> charge « https://x.fr/i.png », hors du site : le site ne fait aucune requête vers un autre site"),
            (22, "html-interdit: l'attribut « to » de <animate> contient du code (javascript:, expression()) : refusé"),
            (24, "html-externe: l'attribut « src » de <img> charge « data:image/png;base64,AAAA », hors du site : le site ne fait aucune requête vers un autre site"),
            (27, "html-externe: l'attribut « src » de <img> charge « https://x.fr/citation.png », hors du site : le site ne fait aucune requête vers un autre site"),
        ]
        .into_iter()
        .map(|(l, s)| (l, s.to_string()))
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn bogus_comments_end_at_the_first_bracket() {
        // pulldown-cmark reads `<?…?>` whole as raw HTML; a browser ends it
        // at the first `>` and reads the image as markup.
        let md = "Avant <?x > <img src=\"https://x.fr/a.png\"> ?> après.\n";
        assert_eq!(codes(md).len(), 1, "{:?}", codes(md));
    }

    #[test]
    fn character_references() {
        assert_eq!(references("jav&#x61;script&colon;x"), "javascript:x");
        assert_eq!(references("&#106&#97;va&Tab;script:"), "java\tscript:");
        assert_eq!(references("a &amp; b &eacute;"), "a & b &eacute;");
        assert!(hors_du_site(" HTTPS://x"));
        assert!(hors_du_site("java\tscript:x"));
        assert!(!hors_du_site("images/a:b.png"));
        assert!(!hors_du_site("images/plan.png"));
        assert!(!hors_du_site("#ancre"));
        assert!(!hors_du_site("/donnees/t.csv"));
    }
}
