//! Walking a folder of the project (`data/`, `content/`, `themes/<nom>/`):
//! the one place where symbolic links are judged, so that nothing outside
//! the project is ever read, whatever level a link stands at.
//!
//! A link that stays inside the project (after every link on the way is
//! followed) is followed like the file or folder it names. A link that
//! leads outside is not followed and is reported, as is a link that loops;
//! the folder walked may itself be such a link. Nothing is skipped
//! silently: each entry not walked is an [`Ecart`], which the callers turn
//! into the same diagnostic ([`Ecart::diagnostic`]).

use crate::codes::Code;
use crate::diagnostic::{display_path, Diagnostic, Loc};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// An entry found under the walked folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entree {
    /// Path relative to the project root, as reached (links not resolved).
    pub rel: PathBuf,
    /// A regular file (after following a link inside the project); `false`
    /// for a folder, a pipe, a broken link…
    pub fichier: bool,
}

/// An entry that was not walked, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ecart {
    /// A link leading out of the project (`dossier`: it names a folder).
    LienSortant { rel: PathBuf, dossier: bool },
    /// A link to one of the folders that contain it.
    Boucle { rel: PathBuf },
    /// An entry that could not be read (its message).
    Illisible { rel: PathBuf, message: String },
}

impl Ecart {
    /// The diagnostic of this entry, the same wherever it stands.
    pub fn diagnostic(&self) -> Diagnostic {
        match self {
            Ecart::LienSortant { rel, dossier } => {
                let (quoi, aide) = if *dossier {
                    (
                        "le dossier",
                        "copiez le dossier dans le projet au lieu d'un lien : mutu ne lit rien en dehors du dossier du projet",
                    )
                } else {
                    (
                        "le fichier",
                        "copiez le fichier dans le projet au lieu d'un lien : mutu ne lit rien en dehors du dossier du projet",
                    )
                };
                Diagnostic::error(
                    Code::CheminHorsProjet,
                    format!("{quoi} est un lien symbolique qui mène hors du dossier du projet"),
                )
                .at(Some(Loc::file(rel)))
                .hint(aide)
            }
            Ecart::Boucle { rel } => Diagnostic::warning(Code::LienEnBoucle, "lien symbolique vers un dossier qui le contient : ignoré")
                .at(Some(Loc::file(rel)))
                .hint("supprimez ce lien : il ferait lire le même dossier sans fin"),
            Ecart::Illisible { rel, message } => Diagnostic::error(Code::LectureImpossible, format!("impossible de lire {} : {message}", display_path(rel)))
                .at(Some(Loc::file(rel)))
                .hint("vérifiez que vous avez le droit de lire ce dossier"),
        }
    }
}

/// What a walk found.
#[derive(Debug, Clone, Default)]
pub struct Parcours {
    /// Every entry under the folder (not the folder itself), sorted by path.
    pub entrees: Vec<Entree>,
    pub ecarts: Vec<Ecart>,
}

/// Walks `racine/dossier` (`dossier` relative to the project root, `/`
/// separated). An absent folder gives an empty walk.
pub fn parcourir(racine: &Path, dossier: &str) -> Parcours {
    let mut out = Parcours::default();
    let depart = racine.join(dossier);
    let Ok(base) = racine.canonicalize() else { return out };
    let rel = |p: &Path| p.strip_prefix(racine).map(Path::to_path_buf).unwrap_or_else(|_| p.to_path_buf());
    // The folder itself may be a link.
    match std::fs::symlink_metadata(&depart) {
        Err(_) => return out,
        Ok(m) if m.file_type().is_symlink() => match depart.canonicalize() {
            Ok(vrai) if vrai.starts_with(&base) && vrai.is_dir() => {}
            Ok(vrai) if !vrai.starts_with(&base) => {
                out.ecarts.push(Ecart::LienSortant {
                    rel: rel(&depart),
                    dossier: vrai.is_dir(),
                });
                return out;
            }
            _ => return out,
        },
        Ok(m) if !m.is_dir() => return out,
        Ok(_) => {}
    }
    let mut sortants = Vec::new();
    let marche = WalkDir::new(&depart)
        .min_depth(1)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            if !e.path_is_symlink() {
                return true;
            }
            match e.path().canonicalize() {
                Ok(vrai) if vrai.starts_with(&base) => true,
                Ok(vrai) => {
                    sortants.push(Ecart::LienSortant {
                        rel: rel(e.path()),
                        dossier: vrai.is_dir(),
                    });
                    false
                }
                // A broken link: listed as an entry that is not a file (walkdir reports it as an error).
                Err(_) => true,
            }
        });
    for e in marche {
        match e {
            Ok(e) => out.entrees.push(Entree {
                rel: rel(e.path()),
                fichier: e.file_type().is_file(),
            }),
            Err(err) => {
                let Some(p) = err.path() else { continue };
                if err.loop_ancestor().is_some() {
                    out.ecarts.push(Ecart::Boucle { rel: rel(p) });
                } else if std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()) {
                    out.entrees.push(Entree { rel: rel(p), fichier: false });
                } else {
                    let message = err.io_error().map_or_else(|| err.to_string(), |e| e.to_string());
                    out.ecarts.push(Ecart::Illisible { rel: rel(p), message });
                }
            }
        }
    }
    out.ecarts.extend(sortants);
    out.entrees.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.ecarts.sort_by(|a, b| cle(a).cmp(cle(b)));
    out
}

fn cle(e: &Ecart) -> &Path {
    match e {
        Ecart::LienSortant { rel, .. } | Ecart::Boucle { rel } | Ecart::Illisible { rel, .. } => rel,
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    #[test]
    fn links_inside_are_followed_links_out_reported() {
        let d = std::env::temp_dir().join(format!("mutu-parcours-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        let p = d.join("projet");
        let dehors = d.join("dehors");
        std::fs::create_dir_all(p.join("content/pages")).unwrap();
        std::fs::create_dir_all(p.join("partage")).unwrap();
        std::fs::create_dir_all(&dehors).unwrap();
        std::fs::write(p.join("content/a.md"), "a").unwrap();
        std::fs::write(p.join("partage/b.md"), "b").unwrap();
        std::fs::write(dehors.join("c.md"), "c").unwrap();
        symlink(p.join("partage"), p.join("content/commun")).unwrap();
        symlink(&dehors, p.join("content/pages/ailleurs")).unwrap();
        symlink(dehors.join("c.md"), p.join("content/c.md")).unwrap();
        symlink(p.join("content"), p.join("content/pages/boucle")).unwrap();
        symlink(p.join("absent.md"), p.join("content/casse.md")).unwrap();
        let w = parcourir(&p, "content");
        let fichiers: Vec<String> = w.entrees.iter().filter(|e| e.fichier).map(|e| display_path(&e.rel)).collect();
        assert_eq!(fichiers, ["content/a.md", "content/commun/b.md"]);
        assert!(w.entrees.contains(&Entree {
            rel: "content/casse.md".into(),
            fichier: false
        }));
        assert_eq!(
            w.ecarts,
            [
                Ecart::LienSortant {
                    rel: "content/c.md".into(),
                    dossier: false
                },
                Ecart::LienSortant {
                    rel: "content/pages/ailleurs".into(),
                    dossier: true
                },
                Ecart::Boucle {
                    rel: "content/pages/boucle".into()
                },
            ]
        );
        // The walked folder itself a link out.
        std::fs::create_dir_all(p.join("themes")).unwrap();
        symlink(&dehors, p.join("themes/t")).unwrap();
        let w = parcourir(&p, "themes/t");
        assert!(w.entrees.is_empty());
        assert_eq!(
            w.ecarts,
            [Ecart::LienSortant {
                rel: "themes/t".into(),
                dossier: true
            }]
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
