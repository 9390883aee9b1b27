//! Splitting `---` YAML front matter from a Markdown body.

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use std::path::Path;

/// Returns `(front matter, its first line, body, body's first line)`, or
/// `None` when the file has no front matter.
pub fn split_front_matter(file: &Path, text: &str) -> Result<Option<(String, usize, String, usize)>, Diagnostic> {
    let mut lines = text.split('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok(None),
    }
    let mut front = Vec::new();
    for (i, line) in lines.enumerate() {
        if line.trim_end() == "---" {
            let body_start = i + 3; // 1-based line after the closing ---
            let body: Vec<&str> = text.split('\n').skip(i + 2).collect();
            return Ok(Some((front.join("\n") + "\n", 2, body.join("\n"), body_start)));
        }
        front.push(line);
    }
    Err(Diagnostic::error(Code::EnteteNonFermee, "en-tête YAML non fermé")
        .at(Some(Loc::new(file, 1, 1, 3)))
        .expected("une ligne « --- » qui ferme l'en-tête")
        .hint("ajoutez une ligne contenant seulement « --- » après les champs de l'en-tête"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let (f, fl, b, bl) = split_front_matter(Path::new("a.md"), "---\nobjet: page\n---\n# Titre\n").unwrap().unwrap();
        assert_eq!(f, "objet: page\n");
        assert_eq!(fl, 2);
        assert_eq!(b, "# Titre\n");
        assert_eq!(bl, 4);
        assert!(split_front_matter(Path::new("a.md"), "# Titre").unwrap().is_none());
        assert!(split_front_matter(Path::new("a.md"), "---\nobjet: page\n").is_err());
    }
}
