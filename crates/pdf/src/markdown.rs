//! Markdown → typst markup, over pulldown-cmark events.
//!
//! The result is evaluated by the PDF template with
//! `eval(markup, mode: "markup")`, so every piece of user text is escaped
//! character by character: nothing a contributor writes in `content/` can
//! become typst code, a comment, a label, a reference or a list marker.
//! Structure (emphasis, lists, tables, footnotes, links…) is emitted as
//! function calls (`#strong[…];`), each terminated by `;` so that a `(`, `[`
//! or `.` right after it stays text.

use pulldown_cmark::{Alignment, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// The converted markup and the last heading level it used, so the caller
/// can keep heading levels consecutive across blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Converti {
    pub markup: String,
    /// Level of the last heading emitted, or the `niveau_courant` given
    /// when the source has no heading.
    pub niveau_final: u8,
}

/// Converts a Markdown source to typst markup.
///
/// `niveau_courant` is the level of the heading the text sits under (1 for
/// the page title). Markdown headings are shifted so that the shallowest
/// one is at least level 2 (below the page title), and clamped so that a
/// level is never skipped (`#` then `###` becomes 2 then 3).
pub fn vers_typst(source: &str, niveau_courant: u8) -> Converti {
    let events: Vec<Event<'_>> = mutu_base::markdown::evenements(source);

    // Footnote definitions may come after their references: take them out
    // of the stream first.
    let mut main = Vec::with_capacity(events.len());
    let mut notes: BTreeMap<String, Vec<Event<'_>>> = BTreeMap::new();
    let mut iter = events.into_iter();
    while let Some(ev) = iter.next() {
        if let Event::Start(Tag::FootnoteDefinition(label)) = &ev {
            let label = label.to_string();
            let mut depth = 1usize;
            let mut body = Vec::new();
            for inner in iter.by_ref() {
                match &inner {
                    Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                    Event::End(TagEnd::FootnoteDefinition) => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                body.push(inner);
            }
            notes.entry(label).or_insert(body);
        } else {
            main.push(ev);
        }
    }

    let min_md = main
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(heading_number(*level)),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let decalage = 2u8.saturating_sub(min_md);

    let mut conv = Convertisseur {
        notes: &notes,
        niveau: niveau_courant.max(1),
        decalage,
        profondeur_notes: 0,
        stack: vec![Frame::new(Kind::Racine)],
    };
    conv.run(&main);
    let markup = conv.finish();
    Converti {
        markup,
        niveau_final: conv.niveau,
    }
}

fn heading_number(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Escapes plain text for typst markup: every character with a markup
/// meaning gets a backslash, line separators become spaces, control and
/// private-use characters are dropped (no font has them; PDF/A forbids
/// missing glyphs).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    escape_into(&mut out, text);
    out
}

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' | '/' | '[' | ']' | '~' | '-' | '.' | '\'' | '"' | '*' | '_' | ':' | '`' | '$' | '<' | '>' | '@' | '#' | '=' | '+' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => {}
            '\u{E000}'..='\u{F8FF}' => {}
            c => out.push(c),
        }
    }
}

/// A typst string literal (`"…"`) holding `text` verbatim.
pub fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {}
            '\u{E000}'..='\u{F8FF}' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[derive(Debug)]
enum Kind {
    Racine,
    Paragraphe,
    Titre(u8),
    Emphase,
    Fort,
    Barre,
    Lien(String),
    Image,
    Citation,
    Liste {
        debut: Option<u64>,
        elements: Vec<String>,
        aere: bool,
    },
    Element,
    Tableau {
        alignements: Vec<Alignment>,
        entete: Vec<String>,
        lignes: Vec<Vec<String>>,
        ligne: Vec<String>,
    },
    Cellule,
    Code,
    Html,
    /// Anything else (definition lists, metadata…): its text is kept.
    Autre,
}

#[derive(Debug)]
struct Frame {
    kind: Kind,
    buf: String,
}

impl Frame {
    fn new(kind: Kind) -> Self {
        Frame { kind, buf: String::new() }
    }
}

struct Convertisseur<'n, 'a> {
    notes: &'n BTreeMap<String, Vec<Event<'a>>>,
    niveau: u8,
    decalage: u8,
    profondeur_notes: u8,
    stack: Vec<Frame>,
}

impl<'n, 'a> Convertisseur<'n, 'a> {
    fn out(&mut self) -> &mut String {
        // The root frame is never popped.
        &mut self.stack.last_mut().expect("root frame").buf
    }

    fn push_text(&mut self, text: &str) {
        let verbatim = matches!(self.stack.last().map(|f| &f.kind), Some(Kind::Code | Kind::Html));
        if verbatim {
            self.out().push_str(text);
        } else {
            escape_into(self.out(), text);
        }
    }

    /// Appends block-level markup, separated by paragraph breaks.
    fn push_block(&mut self, markup: &str) {
        let out = self.out();
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str("\n\n");
        }
        out.push_str(markup);
        out.push_str("\n\n");
    }

    fn run(&mut self, events: &[Event<'a>]) {
        for ev in events {
            self.event(ev);
        }
    }

    fn finish(&mut self) -> String {
        // Close anything left open (pulldown-cmark balances its events, this
        // is only a guard).
        while self.stack.len() > 1 {
            self.end(None);
        }
        let buf = std::mem::take(&mut self.stack[0].buf);
        buf.trim().to_string()
    }

    fn event(&mut self, ev: &Event<'a>) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(t) => self.end(Some(t)),
            Event::Text(t) => self.push_text(t),
            Event::Code(t) => {
                let lit = string_literal(t);
                let _ = write!(self.out(), "#raw({lit});");
            }
            Event::InlineMath(t) => {
                let s = format!("${t}$");
                self.push_text(&s);
            }
            Event::DisplayMath(t) => {
                let s = format!("$${t}$$");
                self.push_text(&s);
            }
            // Raw HTML is shown as text (an HTML block is collected verbatim
            // and escaped line by line when it ends).
            Event::Html(t) => self.push_text(t),
            Event::InlineHtml(t) => self.push_text(t),
            Event::FootnoteReference(label) => self.footnote(label),
            Event::SoftBreak => {
                if matches!(self.stack.last().map(|f| &f.kind), Some(Kind::Code)) {
                    self.out().push('\n');
                } else {
                    self.out().push(' ');
                }
            }
            Event::HardBreak => self.out().push_str("#linebreak();"),
            Event::Rule => self.push_block("#line(length: 100%, stroke: 0.5pt + luma(160));"),
            Event::TaskListMarker(done) => self.out().push_str(if *done { "☑ " } else { "☐ " }),
        }
    }

    fn footnote(&mut self, label: &CowStr<'a>) {
        match self.notes.get(label.as_ref()) {
            Some(body) if self.profondeur_notes < 2 => {
                let mut inner = Convertisseur {
                    notes: self.notes,
                    niveau: self.niveau,
                    decalage: self.decalage,
                    profondeur_notes: self.profondeur_notes + 1,
                    stack: vec![Frame::new(Kind::Racine)],
                };
                inner.run(body);
                let content = inner.finish();
                let _ = write!(self.out(), "#footnote[{content}];");
            }
            _ => {
                let s = format!("[^{label}]");
                self.push_text(&s);
            }
        }
    }

    fn start(&mut self, tag: &Tag<'a>) {
        let kind = match tag {
            Tag::Paragraph => {
                if let Some(Frame {
                    kind: Kind::Liste { aere, .. },
                    ..
                }) = self.stack.iter_mut().rev().nth(1)
                {
                    *aere = true;
                }
                Kind::Paragraphe
            }
            Tag::Heading { level, .. } => {
                let wanted = heading_number(*level).saturating_add(self.decalage).max(2);
                let lvl = wanted.min(self.niveau.saturating_add(1));
                self.niveau = lvl;
                Kind::Titre(lvl)
            }
            Tag::BlockQuote(_) => Kind::Citation,
            Tag::CodeBlock(_) => Kind::Code,
            Tag::HtmlBlock => Kind::Html,
            Tag::List(debut) => Kind::Liste {
                debut: *debut,
                elements: Vec::new(),
                aere: false,
            },
            Tag::Item => Kind::Element,
            Tag::Table(al) => Kind::Tableau {
                alignements: al.clone(),
                entete: Vec::new(),
                lignes: Vec::new(),
                ligne: Vec::new(),
            },
            Tag::TableHead | Tag::TableRow => return,
            Tag::TableCell => Kind::Cellule,
            Tag::Emphasis => Kind::Emphase,
            Tag::Strong => Kind::Fort,
            Tag::Strikethrough => Kind::Barre,
            // `<a@b.fr>`: the address without its scheme.
            Tag::Link {
                link_type: LinkType::Email,
                dest_url,
                ..
            } => Kind::Lien(format!("mailto:{dest_url}")),
            Tag::Link { dest_url, .. } => Kind::Lien(dest_url.to_string()),
            Tag::Image { .. } => Kind::Image,
            _ => Kind::Autre,
        };
        self.stack.push(Frame::new(kind));
    }

    fn end(&mut self, tag: Option<&TagEnd>) {
        // Table heads and rows have no frame of their own: their end closes
        // the row being collected in the table frame.
        if let Some(t @ (TagEnd::TableHead | TagEnd::TableRow)) = tag {
            if let Some(Frame {
                kind: Kind::Tableau { entete, lignes, ligne, .. },
                ..
            }) = self.stack.last_mut()
            {
                let row = std::mem::take(ligne);
                if matches!(t, TagEnd::TableHead) {
                    *entete = row;
                } else {
                    lignes.push(row);
                }
            }
            return;
        }
        if self.stack.len() <= 1 {
            return;
        }
        let Some(frame) = self.stack.pop() else { return };
        let content = frame.buf.trim().to_string();
        match frame.kind {
            Kind::Racine => {}
            Kind::Paragraphe => {
                if !content.is_empty() {
                    self.push_block(&content);
                }
            }
            Kind::Titre(lvl) => {
                let s = format!("#heading(level: {lvl})[{content}];");
                self.push_block(&s);
            }
            Kind::Emphase => {
                let _ = write!(self.out(), "#emph[{content}];");
            }
            Kind::Fort => {
                let _ = write!(self.out(), "#strong[{content}];");
            }
            Kind::Barre => {
                let _ = write!(self.out(), "#strike[{content}];");
            }
            Kind::Lien(url) => self.link(&url, content),
            Kind::Image => {
                if !content.is_empty() {
                    let _ = write!(self.out(), "#emph[{content}];");
                }
            }
            Kind::Citation => {
                let s = format!("#quote(block: true)[{content}];");
                self.push_block(&s);
            }
            Kind::Code => {
                let code = frame.buf.trim_end_matches('\n');
                let s = format!("#raw(block: true, {});", string_literal(code));
                self.push_block(&s);
            }
            Kind::Html => {
                let lines: Vec<String> = frame.buf.lines().map(str::trim_end).filter(|l| !l.is_empty()).map(escape).collect();
                if !lines.is_empty() {
                    self.push_block(&lines.join("#linebreak();"));
                }
            }
            Kind::Liste { debut, elements, aere } => {
                let mut s = match debut {
                    Some(n) => format!("#enum(start: {n}, tight: {}", !aere),
                    None => format!("#list(tight: {}", !aere),
                };
                for e in &elements {
                    let _ = write!(s, ", [{e}]");
                }
                s.push_str(");");
                self.push_block(&s);
            }
            Kind::Element => {
                if let Some(Frame {
                    kind: Kind::Liste { elements, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    elements.push(content);
                } else {
                    self.push_block(&content);
                }
            }
            Kind::Cellule => {
                if let Some(Frame {
                    kind: Kind::Tableau { ligne, .. },
                    ..
                }) = self.stack.last_mut()
                {
                    ligne.push(content);
                } else {
                    self.out().push_str(&content);
                }
            }
            Kind::Tableau {
                alignements, entete, lignes, ..
            } => {
                let s = table_markup(&alignements, &entete, &lignes);
                self.push_block(&s);
            }
            Kind::Autre => {
                if !content.is_empty() {
                    let out = self.out();
                    if !out.is_empty() && !out.ends_with(char::is_whitespace) {
                        out.push(' ');
                    }
                    out.push_str(&content);
                }
            }
        }
    }

    fn link(&mut self, url: &str, content: String) {
        let externe = ["http://", "https://", "mailto:"]
            .iter()
            .any(|p| url.len() > p.len() && url[..p.len()].eq_ignore_ascii_case(p));
        if !externe {
            // Links to other pages of the site or to local files have no
            // target in the PDF: keep their text.
            self.out().push_str(&content);
            return;
        }
        let lit = string_literal(url);
        let shown = url.strip_prefix("mailto:").unwrap_or(url);
        let texte = if content.is_empty() { escape(shown) } else { content.clone() };
        let _ = write!(self.out(), "#link({lit})[{texte}];");
        if !content.is_empty() && content != escape(shown) {
            let _ = write!(self.out(), "#footnote[#link({lit})[{}];];", escape(shown));
        }
    }
}

fn table_markup(alignements: &[Alignment], entete: &[String], lignes: &[Vec<String>]) -> String {
    let cols = alignements.len().max(entete.len()).max(lignes.iter().map(Vec::len).max().unwrap_or(0)).max(1);
    let align: Vec<&str> = (0..cols)
        .map(|i| match alignements.get(i) {
            Some(Alignment::Right) => "right",
            Some(Alignment::Center) => "center",
            _ => "left",
        })
        .collect();
    let mut s = format!("#table(columns: {cols}, align: ({},)", align.join(", "));
    if !entete.is_empty() {
        s.push_str(", table.header(repeat: true");
        for i in 0..cols {
            let _ = write!(s, ", [{}]", entete.get(i).map(String::as_str).unwrap_or(""));
        }
        s.push(')');
    }
    for row in lignes {
        for i in 0..cols {
            let _ = write!(s, ", [{}]", row.get(i).map(String::as_str).unwrap_or(""));
        }
    }
    s.push_str(");");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(s: &str) -> String {
        vers_typst(s, 1).markup
    }

    #[test]
    fn escapes_every_markup_character() {
        assert_eq!(escape("#panic()"), "\\#panic()");
        assert_eq!(escape("$x$"), "\\$x\\$");
        assert_eq!(escape("@ref <label>"), "\\@ref \\<label\\>");
        assert_eq!(escape("a // b /* c */"), "a \\/\\/ b \\/\\* c \\*\\/");
        assert_eq!(escape("1. = - + / x"), "1\\. \\= \\- \\+ \\/ x");
        assert_eq!(escape("-- --- ... -? ~"), "\\-\\- \\-\\-\\- \\.\\.\\. \\-? \\~");
        assert_eq!(escape("\\u{41}"), "\\\\u{41}");
        assert_eq!(escape("https://x.fr"), "https\\:\\/\\/x\\.fr");
        assert_eq!(escape("l'EPCI \"dit\""), "l\\'EPCI \\\"dit\\\"");
        assert_eq!(escape("a\u{2028}b\u{0}c"), "a bc");
        // French spaces are kept as they are.
        assert_eq!(escape("1\u{202f}234\u{a0}€"), "1\u{202f}234\u{a0}€");
    }

    #[test]
    fn string_literals() {
        assert_eq!(string_literal("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
        assert_eq!(string_literal("\\u{41}"), "\"\\\\u{41}\"");
    }

    #[test]
    fn paragraphs_and_inline() {
        assert_eq!(
            md("Un *deux* **trois** `quatre`\n\nCinq"),
            "Un #emph[deux]; #strong[trois]; #raw(\"quatre\");\n\nCinq"
        );
        assert_eq!(md("~~non~~ fin"), "#strike[non]; fin");
        assert_eq!(md("a  \nb"), "a#linebreak();b");
        assert_eq!(md("a\nb"), "a b");
    }

    #[test]
    fn function_calls_are_terminated() {
        // A "(" right after emphasis must stay text.
        assert_eq!(md("*a*(b) **c**[d]"), "#emph[a];(b) #strong[c];\\[d\\]");
    }

    #[test]
    fn headings_are_shifted_and_never_skip() {
        assert_eq!(md("# Un\n\n### Trois"), "#heading(level: 2)[Un];\n\n#heading(level: 3)[Trois];");
        assert_eq!(md("## Titre {#ancre .classe}"), "#heading(level: 2)[Titre];");
        assert_eq!(md("## Deux\n\n## Deux bis"), "#heading(level: 2)[Deux];\n\n#heading(level: 2)[Deux bis];");
        let c = vers_typst("#### Profond", 2);
        assert_eq!(c.markup, "#heading(level: 3)[Profond];");
        assert_eq!(c.niveau_final, 3);
        assert_eq!(vers_typst("texte", 2).niveau_final, 2);
    }

    #[test]
    fn lists() {
        assert_eq!(md("- a\n- b\n  - c\n"), "#list(tight: true, [a], [b\n\n#list(tight: true, [c]);]);");
        assert_eq!(md("3. x\n4. y\n"), "#enum(start: 3, tight: true, [x], [y]);");
        assert_eq!(md("- a\n\n- b\n"), "#list(tight: false, [a], [b]);");
    }

    #[test]
    fn links_and_footnotes() {
        assert_eq!(
            md("[site](https://example.org/a_b)"),
            "#link(\"https://example.org/a_b\")[site];#footnote[#link(\"https://example.org/a_b\")[https\\:\\/\\/example\\.org\\/a\\_b];];"
        );
        assert_eq!(md("<https://x.fr>"), "#link(\"https://x.fr\")[https\\:\\/\\/x\\.fr];");
        assert_eq!(md("[page](services/ads.html)"), "page");
        assert_eq!(md("<contact@mon-epci.fr>"), "#link(\"mailto:contact@mon-epci.fr\")[contact\\@mon\\-epci\\.fr];");
        assert_eq!(md("Texte[^n].\n\n[^n]: La *note*."), "Texte#footnote[La #emph[note];\\.];\\.");
        assert_eq!(md("Sans[^x]"), "Sans\\[^x\\]");
    }

    #[test]
    fn tables() {
        let t = md("| A | B |\n|---|--:|\n| x | 1 |\n| y | 2 |\n");
        assert_eq!(
            t,
            "#table(columns: 2, align: (left, right,), table.header(repeat: true, [A], [B]), [x], [1], [y], [2]);"
        );
    }

    #[test]
    fn code_quote_html() {
        assert_eq!(md("```\nlet x = \"#a\";\n```"), "#raw(block: true, \"let x = \\\"#a\\\";\");");
        assert_eq!(md("> cité"), "#quote(block: true)[cité];");
        assert_eq!(md("<b>gras</b>"), "\\<b\\>gras\\<\\/b\\>");
        assert_eq!(md("a <i>b</i>"), "a \\<i\\>b\\<\\/i\\>");
    }

    /// Walks the typst syntax tree of `markup`: fails on any node kind that
    /// user text could have produced (references, labels, math, comments,
    /// markup headings and lists, shorthands, smart quotes) or on a call to
    /// a function the converter does not emit; returns the plain text of the
    /// top-level markup (escapes resolved).
    fn check_markup(markup: &str) -> String {
        use typst::syntax::{SyntaxKind as K, SyntaxNode};
        const FORBIDDEN: &[K] = &[
            K::Ref,
            K::RefMarker,
            K::Label,
            K::Equation,
            K::LineComment,
            K::BlockComment,
            K::Heading,
            K::HeadingMarker,
            K::ListItem,
            K::ListMarker,
            K::EnumItem,
            K::EnumMarker,
            K::TermItem,
            K::TermMarker,
            K::Shorthand,
            K::SmartQuote,
            K::Link,
            K::Raw,
            K::Strong,
            K::Emph,
            K::Error,
        ];
        const ALLOWED: &[&str] = &[
            "raw",
            "emph",
            "strong",
            "strike",
            "link",
            "footnote",
            "linebreak",
            "heading",
            "list",
            "enum",
            "table",
            "quote",
            "line",
            "luma",
        ];
        fn walk(node: &SyntaxNode, depth: usize, text: &mut String) {
            assert!(!FORBIDDEN.contains(&node.kind()), "forbidden {:?} in {:?}", node.kind(), node.full_text());
            if node.kind() == K::FuncCall {
                let callee = node.children().next().unwrap().full_text();
                let root = callee.split('.').next().unwrap().to_string();
                assert!(ALLOWED.contains(&root.as_str()), "unexpected call {callee}");
            }
            if depth == 1 {
                match node.kind() {
                    K::Text => text.push_str(node.leaf_text()),
                    K::Escape => text.push_str(&node.leaf_text()[1..]),
                    K::Space => text.push(' '),
                    K::Parbreak => text.push_str("\n\n"),
                    _ => {}
                }
            }
            for child in node.children() {
                walk(child, depth + 1, text);
            }
        }
        let root = typst::syntax::parse(markup);
        let (errors, warnings) = root.errors_and_warnings();
        assert!(errors.is_empty() && warnings.is_empty(), "{errors:?} {warnings:?}");
        let mut text = String::new();
        for child in root.children() {
            walk(child, 1, &mut text);
        }
        text
    }

    #[test]
    fn hostile_strings_stay_text() {
        let hostile = [
            "#panic()",
            "#set text(red)",
            "$x$",
            "@ref",
            "<label>",
            "]",
            "[",
            "\\ \\\\",
            "a // comment",
            "/* bloc */",
            "*/",
            "1. un",
            "- tiret",
            "+ plus",
            "/ terme: def",
            "= titre",
            "== titre",
            "-- --- ... -? -1 ~",
            "\\u{41} \\u{zz}",
            "l'apostrophe \"guillemets\"",
            "https://exemple.fr/x_y",
            "`code`",
            "*gras* _souligné_",
            "#{",
            "#let x = 1",
            "a\u{2028}b",
        ];
        for h in hostile {
            let text = check_markup(&escape(h));
            let expected = h.replace('\u{2028}', " ");
            assert_eq!(text, expected, "escape({h:?})");
        }
        // Through the whole converter: Markdown escapes and inline HTML end
        // up as literal text.
        let src = "\\#panic() $x$ @ref <label> ] \\\\ // /* */ \\* \\_\n\n1\\. pas une liste\n\n\\= pas un titre\n\n\\- pas un tiret";
        let text = check_markup(&md(src));
        assert_eq!(
            text,
            "#panic() $x$ @ref <label> ] \\ // /* */ * _\n\n1. pas une liste\n\n= pas un titre\n\n- pas un tiret"
        );
        // Structure produced by the converter parses cleanly too.
        check_markup(&md("# T\n\n*a*(b) **c**[d] `e`(f) [l](https://x.fr)(g)\n\n- a\n  1. b\n\n> q\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nn[^1]\n\n[^1]: note *x*\n\n---\n\n```\n#code\n```\n\n<div>\n#html\n</div>\n"));
    }
}
