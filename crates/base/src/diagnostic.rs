//! Diagnostics: every problem found in a project, in French, with its place.
//!
//! Diagnostics are collected (never thrown) so one run reports everything;
//! they are rendered like rustc/Typst do: header, `-->` location, the source
//! line with a caret, then "attendu" and "aide" notes.

use crate::codes::Code;
use crate::source::Sources;
use serde::Serialize;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub use crate::codes::Severity;

/// A position in a project file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Loc {
    pub fichier: PathBuf,
    pub ligne: usize,
    pub colonne: usize,
    /// Length of the underlined text, in characters (at least 1).
    pub longueur: usize,
}

impl Loc {
    pub fn new(fichier: impl Into<PathBuf>, ligne: usize, colonne: usize, longueur: usize) -> Self {
        Loc {
            fichier: fichier.into(),
            ligne,
            colonne,
            longueur: longueur.max(1),
        }
    }

    /// The start of a file (used when the file as a whole is at fault).
    pub fn file(fichier: impl Into<PathBuf>) -> Self {
        Loc::new(fichier, 1, 1, 1)
    }

    /// A place that is not a line of a text file: a spreadsheet's cell,
    /// written `fichier.xlsx!Feuil1!C7` as spreadsheets name them (line 0:
    /// rendered without line, column nor source excerpt).
    pub fn lieu(lieu: impl Into<PathBuf>) -> Self {
        Loc {
            fichier: lieu.into(),
            ligne: 0,
            colonne: 0,
            longueur: 1,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub gravite: Severity,
    /// The kind of problem ([`Code`]: its text, e.g. `cle-inconnue`, is stable).
    pub code: Code,
    pub message: String,
    pub loc: Option<Loc>,
    pub attendu: Option<String>,
    pub aide: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            gravite: Severity::Erreur,
            code,
            message: message.into(),
            loc: None,
            attendu: None,
            aide: None,
        }
    }

    pub fn warning(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            gravite: Severity::Avertissement,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, loc: Option<Loc>) -> Self {
        self.loc = loc;
        self
    }

    pub fn expected(mut self, attendu: impl Into<String>) -> Self {
        self.attendu = Some(attendu.into());
        self
    }

    pub fn hint(mut self, aide: impl Into<String>) -> Self {
        self.aide = Some(aide.into());
        self
    }

    pub fn maybe_hint(mut self, aide: Option<String>) -> Self {
        if aide.is_some() {
            self.aide = aide;
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.gravite == Severity::Erreur
    }

    /// Renders the diagnostic in the rustc-like French layout.
    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}[{}] : {}", self.gravite.texte(), self.code, abrege(&self.message, 400));
        if let Some(loc) = self.loc.as_ref().filter(|l| l.ligne == 0) {
            let _ = writeln!(out, "  --> {}", display_path(&loc.fichier));
        } else if let Some(loc) = &self.loc {
            let _ = writeln!(out, "  --> {}:{}:{}", display_path(&loc.fichier), loc.ligne, loc.colonne);
            if let Some(line) = sources.line(&loc.fichier, loc.ligne) {
                let num = loc.ligne.to_string();
                let pad = " ".repeat(num.len());
                let visible: String = line.chars().map(visible).collect();
                let (shown, debut, longueur) = fenetre(&visible, loc.colonne, loc.longueur);
                let caret_pad = " ".repeat(debut);
                let _ = writeln!(out, "{pad} |");
                let _ = writeln!(out, "{num} | {shown}");
                let _ = writeln!(out, "{pad} | {caret_pad}{}", "^".repeat(longueur));
            }
        }
        // A note on several lines keeps its lines aligned after the label.
        for (head, note) in [("  = attendu : ", &self.attendu), ("  = aide : ", &self.aide)] {
            if let Some(n) = note {
                let _ = writeln!(out, "{head}{}", n.replace('\n', &format!("\n{}", " ".repeat(head.chars().count()))));
            }
        }
        out
    }
}

/// What to do when writing a file or folder failed, in French, from the
/// reason the system gave: a full disk is not a matter of permissions. Used
/// by every command that writes (`build`, `pdf`, `export`, `new`).
pub fn aide_ecriture(e: &std::io::Error) -> &'static str {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::StorageFull => "le disque est plein : libérez de la place sur le disque puis relancez",
        K::QuotaExceeded => "votre quota d'espace disque est atteint : libérez de la place (ou faites augmenter le quota) puis relancez",
        K::ReadOnlyFilesystem => "le disque est en lecture seule : écrivez dans un autre dossier, sur un disque accessible en écriture",
        K::PermissionDenied => "vous n'avez pas le droit d'écrire à cet endroit : vérifiez les droits d'écriture du dossier, ou écrivez ailleurs",
        K::NotFound => "un dossier du chemin n'existe pas (ou a disparu pendant l'écriture) : vérifiez le chemin",
        K::NotADirectory => "un élément du chemin est un fichier et non un dossier : vérifiez le chemin",
        K::IsADirectory => "le chemin désigne un dossier, pas un fichier : choisissez un autre nom",
        K::FileTooLarge => "le fichier dépasse la taille permise par ce disque : écrivez sur un autre disque",
        K::ResourceBusy | K::ExecutableFileBusy => "le fichier ou le dossier est utilisé par un autre programme : fermez-le puis relancez",
        K::InvalidInput => "le nom du fichier ou du dossier est refusé par le système : choisissez un nom simple",
        _ => "vérifiez la place libre sur le disque et les droits d'écriture du dossier",
    }
}

/// A character as shown in a source excerpt: a tab as a space, control
/// characters as their visible symbol (U+0000 → ␀), so the terminal shows
/// one character for each and the caret stays aligned.
pub fn visible(c: char) -> char {
    match c {
        '\t' => ' ',
        '\u{0}'..='\u{1f}' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        '\u{80}'..='\u{9f}' => '\u{fffd}',
        c => c,
    }
}

/// Longest source excerpt shown under a diagnostic, in characters.
const LARGEUR_EXTRAIT: usize = 120;

/// The part of a long source line around column `colonne` (1-based), with
/// `…` where it is cut, the caret's offset in it and the caret's length.
fn fenetre(line: &str, colonne: usize, longueur: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line.chars().collect();
    let col = colonne.saturating_sub(1);
    if chars.len() <= LARGEUR_EXTRAIT {
        return (line.to_string(), col, longueur.max(1));
    }
    let debut = col.saturating_sub(40).min(chars.len());
    let fin = (debut + LARGEUR_EXTRAIT).min(chars.len());
    let mut shown = String::new();
    if debut > 0 {
        shown.push('…');
    }
    shown.extend(&chars[debut..fin]);
    if fin < chars.len() {
        shown.push('…');
    }
    let decalage = col - debut + usize::from(debut > 0);
    (shown, decalage, longueur.min(fin.saturating_sub(col)).max(1))
}

/// `texte` cut in the middle when longer than `max` characters.
fn abrege(texte: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let n = texte.chars().count();
    if n <= max {
        return texte.into();
    }
    let tete: String = texte.chars().take(max * 2 / 3).collect();
    let queue: String = texte.chars().skip(n - max / 3).collect();
    format!("{tete} […] {queue}").into()
}

/// Paths are shown with forward slashes, relative to the project root.
pub fn display_path(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// All diagnostics of a run, in a stable order.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warnings(&self) -> usize {
        self.items.len() - self.errors()
    }

    pub fn has_errors(&self) -> bool {
        self.errors() > 0
    }

    /// Sorts by file, line, column, then code, so output never depends on
    /// the order in which checks ran.
    pub fn sort(&mut self) {
        self.items.sort_by(|a, b| (&a.loc, a.code, &a.message).cmp(&(&b.loc, b.code, &b.message)));
        self.items.dedup();
    }

    pub fn render(&self, sources: &Sources) -> String {
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&d.render(sources));
            out.push('\n');
        }
        out
    }

    /// "2 erreurs, 1 avertissement" (French plural rules: 0 and 1 are singular).
    pub fn summary(&self) -> String {
        format!(
            "{}, {}",
            crate::texte::pluriel(self.errors(), "erreur", "erreurs"),
            crate::texte::pluriel(self.warnings(), "avertissement", "avertissements")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The hint follows the system's reason: a full disk used to be told
    /// « vérifiez les droits d'écriture ».
    #[test]
    #[cfg(target_os = "linux")]
    fn write_hints_follow_the_system_error() {
        use std::io::{Error, ErrorKind};
        let cas = [
            (Error::from_raw_os_error(28), "le disque est plein"),
            (Error::from_raw_os_error(122), "votre quota d'espace disque est atteint"),
            (Error::from_raw_os_error(30), "le disque est en lecture seule"),
            (Error::from_raw_os_error(13), "vous n'avez pas le droit d'écrire"),
            (Error::from_raw_os_error(1), "vous n'avez pas le droit d'écrire"),
            (Error::from_raw_os_error(2), "un dossier du chemin n'existe pas"),
            (Error::from_raw_os_error(20), "un élément du chemin est un fichier"),
            (Error::from_raw_os_error(21), "le chemin désigne un dossier"),
            (Error::from_raw_os_error(27), "le fichier dépasse la taille"),
            (Error::from_raw_os_error(16), "utilisé par un autre programme"),
            (
                Error::new(ErrorKind::Other, "x"),
                "vérifiez la place libre sur le disque et les droits d'écriture",
            ),
        ];
        for (e, debut) in cas {
            assert!(aide_ecriture(&e).contains(debut), "{e:?} : {}", aide_ecriture(&e));
        }
        // A real write to a full device.
        if std::path::Path::new("/dev/full").exists() {
            let e = std::fs::write("/dev/full", b"rapport").unwrap_err();
            assert_eq!(aide_ecriture(&e), "le disque est plein : libérez de la place sur le disque puis relancez");
        }
    }

    #[test]
    fn long_lines_are_shown_around_the_column() {
        let line = format!("titre: {}", "x".repeat(1000));
        let (shown, debut, n) = fenetre(&line, 500, 2000);
        assert_eq!(shown.chars().count(), LARGEUR_EXTRAIT + 2);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!((debut, n), (41, 80));
        assert_eq!(fenetre("a: 1", 4, 1), ("a: 1".to_string(), 3, 1));
        let (shown, debut, _) = fenetre(&line, 3, 1);
        assert!(shown.starts_with("titre: xx") && debut == 2);
        assert_eq!(abrege("court", 10), "court");
        assert_eq!(abrege(&"é".repeat(30), 9), format!("{} […] {}", "é".repeat(6), "é".repeat(3)));
    }
}
