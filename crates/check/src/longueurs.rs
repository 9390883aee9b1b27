//! Lines too long for the PDF. A PDF/A file may not hold a string of more
//! than 32 767 bytes, and typst writes a heading (bookmark, tag title), a
//! name or a line that cannot wrap (code, a word without spaces) as one
//! string; with accents (UTF-16) that is 16 383 characters. Past it, the
//! whole PDF used to fail with typst's English message and no position.
//! Rather than cutting the reader's text silently, every line of the
//! project's files (YAML values, front matter, Markdown) is held to
//! [`LONGUEUR_MAX_LIGNE`] characters, reported at its file and line: far
//! above any real title, name or paragraph line, and well below the limit
//! even once typst has added its own text around it. A long text is written
//! over several lines or paragraphs, which typst wraps.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};

/// Characters allowed on one line of a project file.
pub const LONGUEUR_MAX_LIGNE: usize = 10_000;

pub(crate) fn check(ctx: &mut Ctx) {
    for f in ctx.loaded.sources.iter() {
        if ctx.loaded.unreadable.contains(&f.path) {
            continue;
        }
        for (i, ligne) in f.text.split('\n').enumerate() {
            // A line of at most that many bytes has at most that many characters.
            if ligne.len() <= LONGUEUR_MAX_LIGNE {
                continue;
            }
            let n = ligne.chars().count();
            if n > LONGUEUR_MAX_LIGNE {
                ctx.out.push(
                    Diagnostic::error(
                        Code::LigneTropLongue,
                        format!(
                            "ligne de {} caractères : le PDF ne peut pas contenir un titre, un nom ou une ligne sans coupure aussi long",
                            mutu_base::format::entier(n as i64)
                        ),
                    )
                    .at(Some(Loc::new(&f.path, i + 1, LONGUEUR_MAX_LIGNE + 1, 1)))
                    .expected(format!("au plus {} caractères par ligne", mutu_base::format::entier(LONGUEUR_MAX_LIGNE as i64)))
                    .hint("coupez le texte en plusieurs lignes ou paragraphes (une ligne vide entre deux paragraphes) ; un titre ou un nom reste court"),
                );
            }
        }
    }
}
