//! Placeholders: a project still holding « à compléter » or « À VÉRIFIER »
//! (what `mutu new --exercice` writes where only the user knows the value),
//! or « exemple à remplacer » (what `mutu new` writes on every text, figure,
//! service, groupement and address of its template, so that none of them
//! is published by mistake) is a draft. Each placeholder is listed by `check`, and while one remains
//! every page of the site and of the PDF carries the mark
//! « Projet — document non définitif » ([`MENTION`]), so a draft is never
//! taken for the document the council adopted.
//!
//! What counts as a placeholder:
//! - in a value (YAML outside comments, Markdown text): « à compléter »,
//!   « à vérifier » or « exemple à remplacer », in any case, accents optional;
//! - in a YAML comment: the same words in capitals only (« # À VÉRIFIER :
//!   date provisoire »), the marker convention; a comment in lower case is
//!   prose (« à vérifier dans chaque convention ») and does not count.

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use mutu_base::source::Sources;
use serde::Serialize;

/// The mark every page carries while a placeholder remains.
pub const MENTION: &str = "Projet — document non définitif";

/// The words of a placeholder (lower case, accents as usually written;
/// each starts with « à » or « e », which [`trouver`] relies on), and what
/// each says.
const MARQUEURS: [(&str, Genre); 3] = [
    ("à compléter", Genre::ValeurASaisir),
    ("à vérifier", Genre::ValeurASaisir),
    (MARQUE_MODELE, Genre::Modele),
];

/// The marker `mutu new` writes on each part of its template
/// ([`crate::cmd::new`]): in a value, or in capitals in a YAML comment.
pub const MARQUE_MODELE: &str = "exemple à remplacer";

/// What a placeholder stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    /// A value only the user knows (« à compléter », « À VÉRIFIER »).
    ValeurASaisir,
    /// A part of `mutu new`'s template not yet replaced.
    Modele,
}

/// One placeholder left in the project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EspaceReserve {
    /// Project-relative path, `/` separated.
    pub fichier: String,
    pub ligne: usize,
    pub colonne: usize,
    /// As written (« à compléter », « À VÉRIFIER »…).
    pub texte: String,
    pub genre: Genre,
}

/// Every placeholder of the project's data and texts, in file order.
pub fn espaces_reserves(sources: &Sources) -> Vec<EspaceReserve> {
    let mut out = Vec::new();
    for f in sources.iter() {
        let chemin = mutu_base::diagnostic::display_path(&f.path);
        let yaml = chemin.ends_with(".yaml") || chemin.ends_with(".yml");
        let markdown = chemin.ends_with(".md");
        if !(yaml || markdown) || !(chemin.starts_with("data/") || chemin.starts_with("content/")) {
            continue;
        }
        let mut entete = false;
        for (i, ligne) in f.text.split('\n').enumerate() {
            // The front matter of a text is YAML.
            if markdown && ligne.trim_end() == "---" && (i == 0 || entete) {
                entete = i == 0;
                continue;
            }
            let commentaire = if yaml || entete { debut_commentaire(ligne) } else { None };
            for (octet, texte, genre) in trouver(ligne) {
                let dans_commentaire = commentaire.is_some_and(|c| octet >= c);
                if dans_commentaire && texte != texte.to_uppercase() {
                    continue;
                }
                out.push(EspaceReserve {
                    fichier: chemin.clone(),
                    ligne: i + 1,
                    colonne: ligne[..octet].chars().count() + 1,
                    texte: texte.to_string(),
                    genre,
                });
            }
        }
    }
    out
}

/// The diagnostics of `check` for the placeholders.
pub fn check(sources: &Sources) -> Vec<Diagnostic> {
    espaces_reserves(sources)
        .into_iter()
        .map(|e| {
            let d = match e.genre {
                Genre::ValeurASaisir => Diagnostic::warning(
                    Code::EspaceReserve,
                    format!("« {} » : une valeur reste à saisir, le document est un projet", e.texte),
                )
                .hint(format!(
                    "remplacez-le par la valeur définitive ; tant qu'il en reste un, chaque page du site et du PDF porte la mention « {MENTION} »"
                )),
                Genre::Modele => Diagnostic::warning(
                    Code::ModeleNonRemplace,
                    format!("« {} » : un exemple du modèle de « mutu new » n'a pas été remplacé, le document est un projet", e.texte),
                )
                .hint(format!(
                    "remplacez l'exemple par votre contenu (ou supprimez-le), puis retirez la mention ; tant qu'il en reste une, chaque page du site et du PDF porte la mention « {MENTION} »"
                )),
            };
            d.at(Some(Loc::new(&e.fichier, e.ligne, e.colonne, e.texte.chars().count())))
        })
        .collect()
}

/// Byte offset, text and kind of each placeholder in `ligne`.
fn trouver(ligne: &str) -> Vec<(usize, &str, Genre)> {
    let mut out = Vec::new();
    let bas: Vec<(usize, char)> = ligne.char_indices().collect();
    for (k, &(debut, c)) in bas.iter().enumerate() {
        // Every marker starts with « à » or « e »: only positions folding to
        // `a` or `e` are compared (comparing everywhere cost a third of a
        // build at L).
        if !matches!(c, 'a' | 'A' | 'à' | 'À' | 'â' | 'Â' | 'e' | 'E') {
            continue;
        }
        let famille_e = matches!(c, 'e' | 'E');
        for (m, genre) in MARQUEURS {
            // Cheap filters before folding: same first letter, same second
            // character (« x » of « exemple », the blank after « à »).
            let mut lettres = m.chars();
            if famille_e != (lettres.next() == Some('e')) {
                continue;
            }
            let second = lettres.next();
            if bas.get(k + 1).is_none_or(|&(_, c2)| c2.to_lowercase().next() != second) {
                continue;
            }
            let n = m.chars().count();
            let Some(fin) = bas.get(k + n - 1).map(|&(o, c)| o + c.len_utf8()) else {
                continue;
            };
            let candidat = &ligne[debut..fin];
            let mot_entier = bas.get(k + n).is_none_or(|&(_, c)| !c.is_alphanumeric()) && (k == 0 || !bas[k - 1].1.is_alphanumeric());
            if mot_entier && mutu_base::texte::replie(candidat) == mutu_base::texte::replie(m) {
                out.push((debut, candidat, genre));
            }
        }
    }
    out
}

/// Byte offset where a YAML comment starts in `ligne`: a `#` at the start
/// or after a blank, outside quotes.
fn debut_commentaire(ligne: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut avant = ' ';
    for (i, c) in ligne.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && (avant.is_whitespace() || matches!(avant, ':' | '-' | '[' | '{' | ',')) => quote = Some(c),
            None if c == '#' && avant.is_whitespace() => return Some(i),
            None => {}
        }
        avant = c;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(fichiers: &[(&str, &str)]) -> Sources {
        let mut s = Sources::default();
        for (p, t) in fichiers {
            s.insert(p.into(), t.to_string());
        }
        s
    }

    #[test]
    fn placeholders_in_values_and_capital_markers_in_comments() {
        let s = sources(&[
            (
                "data/rapport.yaml",
                "# À VÉRIFIER : date provisoire.\ndate_conseil: 2025-03-28\ndeliberation: \"à compléter\"\ntitre: 'Prix # A completer'\n# à vérifier dans chaque convention\nnote: réparties # à vérifier\n",
            ),
            ("content/edito.md", "---\nobjet: edito\n# à compléter plus tard\n---\nLe montant reste À COMPLÉTER.\nCompléter « à complétera » n'en est pas.\n"),
            ("README.md", "à compléter"),
        ]);
        let v: Vec<(String, usize, usize, String)> = espaces_reserves(&s).into_iter().map(|e| (e.fichier, e.ligne, e.colonne, e.texte)).collect();
        assert_eq!(
            v,
            [
                ("content/edito.md".into(), 5, 18, "À COMPLÉTER".into()),
                ("data/rapport.yaml".into(), 1, 3, "À VÉRIFIER".into()),
                ("data/rapport.yaml".into(), 3, 16, "à compléter".into()),
                ("data/rapport.yaml".into(), 4, 16, "A completer".into()),
            ]
        );
    }
}
