//! What the checks and both renderers share about Markdown: the extensions
//! read, and headings without text (an empty heading is refused by PDF/UA
//! and by the RGAA: it is reported by `mutu check` and left out of the site
//! and the PDF).

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// Markdown extensions mutu reads: GitHub-style tables, footnotes,
/// strikethrough and heading attributes (`## Titre {#ancre}`).
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The events of `source` with the options above.
pub fn evenements(source: &str) -> Vec<Event<'_>> {
    sans_titres_vides(Parser::new_ext(source, options()).collect())
}

/// Does the heading whose content starts at `evs[0]` (just after its
/// `Start`) have no visible text?
fn vide(evs: &[Event]) -> bool {
    evs.iter().take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_)))).all(|e| match e {
        Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => !t.chars().any(visible),
        Event::FootnoteReference(_) => false,
        _ => true,
    })
}

/// Does `c` show? Blanks, control characters and invisible format
/// characters (zero-width spaces and joiners, soft hyphen) do not.
fn visible(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}'))
}

/// `events` without the headings that have no visible text (the heading
/// and everything inside it).
pub fn sans_titres_vides(events: Vec<Event<'_>>) -> Vec<Event<'_>> {
    let mut garde = vec![true; events.len()];
    let mut i = 0;
    while i < events.len() {
        if matches!(events[i], Event::Start(Tag::Heading { .. })) && vide(&events[i + 1..]) {
            let fin = events[i..]
                .iter()
                .position(|e| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |j| i + j + 1);
            garde[i..fin].fill(false);
            i = fin;
        } else {
            i += 1;
        }
    }
    if garde.iter().all(|g| *g) {
        return events;
    }
    events.into_iter().zip(garde).filter_map(|(e, g)| g.then_some(e)).collect()
}

/// Line and column (1-based) of byte `offset` in `source`.
pub fn position(source: &str, offset: usize) -> (usize, usize) {
    let avant = &source[..offset.min(source.len())];
    let ligne = avant.matches('\n').count() + 1;
    let colonne = avant.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (ligne, colonne)
}

/// Line and column (1-based) of each heading without text in `source`.
pub fn titres_vides(source: &str) -> Vec<(usize, usize)> {
    let (evs, places): (Vec<Event>, Vec<_>) = Parser::new_ext(source, options()).into_offset_iter().unzip();
    evs.iter()
        .zip(&places)
        .enumerate()
        .filter(|(i, (e, _))| matches!(e, Event::Start(Tag::Heading { .. })) && vide(&evs[i + 1..]))
        .map(|(_, (_, r))| position(source, r.start))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_headings_are_found_and_dropped() {
        let src = "# Bilan\n\n## \n\nTexte.\n\n###   {#ancre}\n\n## `code`\n\n#### \u{1}\u{4}\u{200B}\n";
        assert_eq!(titres_vides(src), vec![(3, 1), (7, 1), (11, 1)]);
        let evs = evenements(src);
        let titres = evs.iter().filter(|e| matches!(e, Event::Start(Tag::Heading { .. }))).count();
        assert_eq!(titres, 2);
        assert!(evs.iter().any(|e| matches!(e, Event::Text(t) if t.as_ref() == "Texte.")));
    }

    #[test]
    fn text_without_empty_heading_is_untouched() {
        let src = "# Titre\n\nParagraphe.\n";
        let brut: Vec<Event> = Parser::new_ext(src, options()).collect();
        assert_eq!(evenements(src), brut);
    }
}
