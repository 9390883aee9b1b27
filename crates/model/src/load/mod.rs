//! Loading: walk `data/` and `content/`, read every file once into
//! [`Sources`], parse YAML with positions, and assemble a [`Projet`].
//! Problems are collected as diagnostics; loading never stops at the first.

mod frontmatter;

use crate::yaml::{errors, Path as YamlPath, SpanIndex};
use crate::{Contenu, Lu, Origine, Projet};
use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Diagnostics, Loc};
use mutu_base::source::Sources;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use frontmatter::split_front_matter;

/// The result of loading: the files read, their position indexes, the
/// project (when the required files could be read) and the diagnostics.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: Sources,
    pub spans: HashMap<PathBuf, SpanIndex>,
    pub projet: Option<Projet>,
    pub diagnostics: Diagnostics,
    /// Files that could not be read or parsed (each with its diagnostic):
    /// checks do not report ids as unknown when they may be declared there.
    pub unreadable: Vec<PathBuf>,
}

impl Loaded {
    /// Position of the value at `path` in the file of `origine`.
    pub fn loc_value(&self, origine: &Origine, rel: &[&str]) -> Option<Loc> {
        let path = rel.iter().fold(origine.chemin.clone(), |p, k| p.key(k));
        let idx = self.spans.get(&origine.fichier)?;
        idx.value_pos(&path).map(|(l, c, n)| Loc::new(&origine.fichier, l, c, n))
    }

    /// Position of the key at `path` (falls back to the closest value).
    pub fn loc_key(&self, origine: &Origine, rel: &[&str]) -> Option<Loc> {
        let path = rel.iter().fold(origine.chemin.clone(), |p, k| p.key(k));
        let idx = self.spans.get(&origine.fichier)?;
        idx.key_pos(&path).map(|(l, c, n)| Loc::new(&origine.fichier, l, c, n))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FichierCles {
    cles: Vec<crate::Cle>,
}

/// Files of `data/` and what they hold.
const DATA_FILES: &[(&str, &str)] = &[
    ("data/territoire.yaml", "l'EPCI, ses membres et ses partenaires"),
    ("data/schema.yaml", "le schéma : adoption, gouvernance, historique"),
    ("data/rapport.yaml", "le rapport de l'exercice"),
    ("data/cles.yaml", "les clés de répartition"),
    ("data/axes.yaml", "les axes du schéma"),
    ("data/commande_publique.yaml", "les groupements de commandes"),
    ("data/effectifs.yaml", "les effectifs des services communs"),
    (
        CONFIG_FILE,
        "le titre du site, le thème, la déclaration d'accessibilité et les mentions légales",
    ),
];

/// The project's configuration file.
pub const CONFIG_FILE: &str = "data/configuration.yaml";

struct Loader {
    root: PathBuf,
    out: Loaded,
    /// Entries not walked, already reported (`data/` and `data/services/`
    /// are both walked).
    ecarts_vus: std::collections::BTreeSet<mutu_base::parcours::Ecart>,
    /// Texts read instead of the files at these paths (relative to the root).
    textes: std::collections::BTreeMap<PathBuf, String>,
}

/// Line ends as the YAML parser counts them and as diagnostics show
/// them: `\r\n` (Windows), a lone `\r` (old Mac OS) and the Unicode
/// breaks YAML 1.1 also counts (U+0085, U+2028, U+2029, e.g. pasted from a
/// word processor) become `\n`, so every position points at the line the
/// user sees.
pub fn fins_de_ligne(text: &str) -> String {
    if !text.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace(['\r', '\u{85}', '\u{2028}', '\u{2029}'], "\n")
}

/// Loads the project rooted at `root`.
pub fn load(root: &Path) -> Loaded {
    load_avec(root, &Default::default())
}

/// Loads the project as if the files at the paths of `textes` (relative to
/// the root) held those texts: `mutu import --ecrire` checks the project
/// with its new texts before it writes anything.
pub fn load_avec(root: &Path, textes: &std::collections::BTreeMap<PathBuf, String>) -> Loaded {
    let mut l = Loader {
        root: root.to_path_buf(),
        out: Loaded::default(),
        ecarts_vus: Default::default(),
        textes: textes.clone(),
    };
    let projet = l.load_all();
    l.out.projet = projet;
    l.out
}

impl Loader {
    fn diag(&mut self, d: Diagnostic) {
        self.out.diagnostics.push(d);
    }

    /// Reads a file into the sources: UTF-8 checked, BOM removed.
    fn read(&mut self, rel: &Path) -> Option<String> {
        let abs = self.root.join(rel);
        let lu = match self.textes.get(rel) {
            Some(t) => Ok(t.clone().into_bytes()),
            None => std::fs::read(&abs),
        };
        let bytes = match lu {
            Ok(b) => b,
            Err(e) => {
                self.out.unreadable.push(rel.to_path_buf());
                self.diag(
                    Diagnostic::error(Code::LectureImpossible, format!("impossible de lire le fichier : {}", io_fr(&e)))
                        .at(Some(Loc::file(rel)))
                        .hint("vérifiez que le fichier existe et que vous avez le droit de le lire"),
                );
                return None;
            }
        };
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF".as_slice()).unwrap_or(&bytes).to_vec();
        match String::from_utf8(bytes) {
            Ok(text) => {
                let text = fins_de_ligne(&text);
                self.out.sources.insert(rel.to_path_buf(), text.clone());
                Some(text)
            }
            Err(e) => {
                self.out.unreadable.push(rel.to_path_buf());
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
                let col = String::from_utf8_lossy(valid.rsplit(|b| *b == b'\n').next().unwrap_or(&[])).chars().count() + 1;
                let byte = e.as_bytes().get(valid.len()).copied().unwrap_or_default();
                // The text as far as it can be shown, so the diagnostic shows the line.
                self.out
                    .sources
                    .insert(rel.to_path_buf(), fins_de_ligne(&String::from_utf8_lossy(e.as_bytes())));
                self.diag(
                    Diagnostic::error(
                        Code::EncodageInvalide,
                        format!("le fichier n'est pas encodé en UTF-8 : octet 0x{byte:02X} invalide"),
                    )
                    .at(Some(Loc::new(rel, line, col, 1)))
                    .expected("un fichier texte en UTF-8")
                    .hint("dans votre éditeur, enregistrez le fichier avec l'encodage « UTF-8 » (et non « Windows-1252 » ou « ISO-8859-1 »)"),
                );
                None
            }
        }
    }

    fn parse_yaml<T: DeserializeOwned>(&mut self, rel: &Path) -> Option<T> {
        let text = self.read(rel)?;
        // The text is read twice, for positions and for values; a large
        // file (a territory of 2,000 communes: 4.5 MB) has both at once on
        // two threads. Starting a thread costs more than a small file.
        let (spans, valeur) = if text.len() > 64 * 1024 {
            std::thread::scope(|s| {
                let spans = s.spawn(|| SpanIndex::build(&text));
                let valeur = errors::parse::<T>(rel, &text);
                (spans.join().unwrap_or_else(|e| std::panic::resume_unwind(e)), valeur)
            })
        } else {
            (SpanIndex::build(&text), errors::parse::<T>(rel, &text))
        };
        let duplicates = self.duplicate_keys(rel, &spans);
        self.out.spans.insert(rel.to_path_buf(), spans);
        match valeur {
            Ok(v) => Some(v),
            Err(d) => {
                self.out.unreadable.push(rel.to_path_buf());
                // serde_yaml reports a repeated struct field at the start of
                // its block: the diagnostic from the span index is kept.
                if !(duplicates && d.code == Code::CleEnDouble) {
                    self.diag(d);
                }
                None
            }
        }
    }

    /// Reports every key written twice in one mapping, at its second
    /// occurrence (a repeated table key would otherwise silently replace the
    /// first). Returns whether there was any.
    fn duplicate_keys(&mut self, rel: &Path, spans: &SpanIndex) -> bool {
        for d in &spans.duplicates {
            let where_ = if d.within.is_empty() {
                String::new()
            } else {
                format!(" (dans `{}`)", d.within)
            };
            let (line, col, len) = d.repeated;
            self.diag(
                Diagnostic::error(Code::CleEnDouble, format!("la clé « {} » apparaît deux fois{where_}", d.key))
                    .at(Some(Loc::new(rel, line, col, len)))
                    .expected("chaque clé une seule fois par bloc")
                    .hint(format!("première occurrence à la ligne {} ; supprimez ou fusionnez l'une des deux", d.first.0)),
            );
        }
        !spans.duplicates.is_empty()
    }

    fn exists(&self, rel: &str) -> bool {
        self.root.join(rel).is_file()
    }

    /// Something is at `rel` (a file, a folder, a link, even a broken one).
    fn present(&self, rel: &Path) -> bool {
        std::fs::symlink_metadata(self.root.join(rel)).is_ok()
    }

    /// Checks that the entry at `rel` can be read as a file of the project:
    /// a regular file (not a folder, a pipe or a broken link) that stays in
    /// the project once symbolic links are followed. Reports why not.
    fn lisible(&mut self, rel: &Path) -> bool {
        use crate::medias::Probleme;
        let Err(p) = crate::medias::verifier(&self.root, &mutu_base::diagnostic::display_path(rel)) else {
            return true;
        };
        let abs = self.root.join(rel);
        let (code, message, aide) = match p {
            Probleme::LienSortant => (
                Code::CheminHorsProjet,
                "le fichier est un lien symbolique qui mène hors du dossier du projet".to_string(),
                "copiez le fichier dans le projet au lieu d'un lien : mutu ne lit rien en dehors du dossier du projet",
            ),
            Probleme::Introuvable => (
                Code::LienCasse,
                "le fichier est un lien symbolique vers un fichier introuvable".to_string(),
                "remplacez le lien par le fichier lui-même, ou supprimez-le",
            ),
            Probleme::PasUnFichier if abs.is_dir() => (
                Code::PasUnFichier,
                format!("{} est un dossier, pas un fichier", mutu_base::diagnostic::display_path(rel)),
                "renommez ce dossier : son nom est celui d'un fichier de données ou de texte",
            ),
            Probleme::PasUnFichier => (
                Code::PasUnFichier,
                format!("{} n'est pas un fichier ordinaire", mutu_base::diagnostic::display_path(rel)),
                "remplacez-le par un fichier texte",
            ),
            Probleme::Illisible(e) => (
                Code::LectureImpossible,
                format!("impossible de lire le fichier : {}", io_fr(&e)),
                "vérifiez que vous avez le droit de lire le fichier",
            ),
        };
        self.out.unreadable.push(rel.to_path_buf());
        self.diag(Diagnostic::error(code, message).at(Some(Loc::file(rel))).hint(aide));
        false
    }

    fn required<T: DeserializeOwned>(&mut self, rel: &str, what: &str) -> Option<T> {
        if self.present(Path::new(rel)) && !self.lisible(Path::new(rel)) {
            return None;
        }
        if !self.exists(rel) {
            self.diag(
                Diagnostic::error(Code::FichierManquant, format!("fichier obligatoire absent : {rel}"))
                    .expected(format!("le fichier {rel}, qui décrit {what}"))
                    .hint("lancez la commande dans le dossier du projet (ou indiquez-le avec --racine) ; pour commencer un projet : « mutu new mon-territoire » (ou « mutu new mon-territoire --epci <SIREN ou nom de votre EPCI> »)"),
            );
            return None;
        }
        self.parse_yaml(Path::new(rel))
    }

    fn optional<T: DeserializeOwned>(&mut self, rel: &str) -> Option<T> {
        if self.present(Path::new(rel)) && !self.lisible(Path::new(rel)) {
            return None;
        }
        if self.exists(rel) {
            self.parse_yaml(Path::new(rel))
        } else {
            None
        }
    }

    fn load_all(&mut self) -> Option<Projet> {
        if !self.root.is_dir() {
            self.diag(
                Diagnostic::error(
                    Code::RacineIntrouvable,
                    format!("le dossier du projet est introuvable : {}", self.root.display()),
                )
                .hint("indiquez avec --racine le dossier du projet (celui qui contient data/ et content/)"),
            );
            return None;
        }
        let config: Option<crate::Config> = self.required(CONFIG_FILE, DATA_FILES[7].1);
        let territoire: Option<crate::Territoire> = self.required(DATA_FILES[0].0, DATA_FILES[0].1);
        let rapport: Option<crate::Rapport> = self.required(DATA_FILES[2].0, DATA_FILES[2].1);
        let schema: Option<crate::Schema> = self.optional(DATA_FILES[1].0);
        let cles: Option<FichierCles> = self.optional(DATA_FILES[3].0);
        let axes: Option<crate::fiches::Axes> = self.optional(DATA_FILES[4].0);
        let commande: Option<crate::CommandePublique> = self.optional(DATA_FILES[5].0);
        let effectifs: Option<crate::EffectifsDeclares> = self.optional(DATA_FILES[6].0);
        let services = self.load_dir::<crate::Service>("data/services");
        let fiches = self.load_dir::<crate::Fiche>("data/fiches");
        self.warn_unknown_data_files();
        let contenus = self.load_content();

        let root_origin = |f: &str| Origine {
            fichier: PathBuf::from(f),
            chemin: YamlPath::root(),
        };
        let list = |f: &str, key: &str, i: usize| Origine {
            fichier: PathBuf::from(f),
            chemin: YamlPath::root().key(key).index(i),
        };
        let mut projet = Projet {
            racine: self.root.clone(),
            config: config?,
            territoire: Lu {
                valeur: territoire?,
                origine: root_origin(DATA_FILES[0].0),
            },
            schema: schema.map(|s| Lu {
                valeur: s,
                origine: root_origin(DATA_FILES[1].0),
            }),
            rapport: Lu {
                valeur: rapport?,
                origine: root_origin(DATA_FILES[2].0),
            },
            cles: cles
                .map(|c| {
                    c.cles
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| Lu {
                            valeur: v,
                            origine: list(DATA_FILES[3].0, "cles", i),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            axes: axes
                .map(|a| {
                    a.axes
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| Lu {
                            valeur: v,
                            origine: list(DATA_FILES[4].0, "axes", i),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            services,
            fiches,
            commande_publique: commande.map(|c| Lu {
                valeur: c,
                origine: root_origin(DATA_FILES[5].0),
            }),
            effectifs: effectifs.map(|e| Lu {
                valeur: e,
                origine: root_origin(DATA_FILES[6].0),
            }),
            annuaire: crate::territoire::Annuaire::default(),
            contenus,
        };
        projet.annuaire = crate::territoire::Annuaire::new(&projet.territoire.membres, &projet.territoire.partenaires);
        for s in &mut projet.services {
            s.valeur.developper_adherents(&projet.territoire.valeur.membres);
        }
        Some(projet)
    }

    /// Sorted `.yaml` files of a directory, relative to the root.
    fn files_in(&mut self, dir: &str, ext: &[&str]) -> Vec<PathBuf> {
        self.entries_in(dir, ext).into_iter().filter(|(_, fichier)| *fichier).map(|(p, _)| p).collect()
    }

    /// Entries of `dir` named `*.<ext>`, relative to the root, sorted, with
    /// whether each is a plain file (else a folder, a link or another kind).
    /// Links leading out of the project are not followed: reported once.
    fn entries_in(&mut self, dir: &str, ext: &[&str]) -> Vec<(PathBuf, bool)> {
        let walk = mutu_base::parcours::parcourir(&self.root, dir);
        for e in walk.ecarts {
            if self.ecarts_vus.insert(e.clone()) {
                self.diag(e.diagnostic());
            }
        }
        walk.entrees
            .into_iter()
            .filter(|e| e.rel.extension().and_then(|x| x.to_str()).is_some_and(|x| ext.contains(&x)))
            .map(|e| (e.rel, e.fichier))
            .collect()
    }

    /// The files of `dir` to read: plain files, and links that stay in the
    /// project; anything else named like one is reported.
    fn readable_files_in(&mut self, dir: &str, ext: &[&str]) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for (rel, fichier) in self.entries_in(dir, ext) {
            if fichier || self.lisible(&rel) {
                out.push(rel);
            }
        }
        out
    }

    fn load_dir<T: DeserializeOwned>(&mut self, dir: &str) -> Vec<Lu<T>> {
        let mut out = Vec::new();
        for rel in self.readable_files_in(dir, &["yaml", "yml"]) {
            if let Some(v) = self.parse_yaml::<T>(&rel) {
                out.push(Lu {
                    valeur: v,
                    origine: Origine {
                        fichier: rel,
                        chemin: YamlPath::root(),
                    },
                });
            }
        }
        out
    }

    fn warn_unknown_data_files(&mut self) {
        for rel in self.files_in("data", &["yaml", "yml", "json", "toml", "txt", "csv"]) {
            let s = mutu_base::diagnostic::display_path(&rel);
            let known = DATA_FILES.iter().any(|(f, _)| *f == s) || s.starts_with("data/services/") || s.starts_with("data/fiches/");
            if !known {
                let candidates: Vec<&str> = DATA_FILES.iter().map(|(f, _)| *f).collect();
                self.diag(
                    Diagnostic::warning(Code::FichierIgnore, format!("fichier non reconnu, ignoré : {s}"))
                        .at(Some(Loc::file(&rel)))
                        .expected(format!(
                            "un des fichiers {} ou un fichier dans data/services/ ou data/fiches/",
                            candidates.join(", ")
                        ))
                        .maybe_hint(mutu_base::suggest::did_you_mean(&s, candidates.iter().copied())),
                );
            }
        }
    }

    fn load_content(&mut self) -> Vec<Contenu> {
        let mut out = Vec::new();
        for rel in self.readable_files_in("content", &["md"]) {
            let Some(text) = self.read(&rel) else { continue };
            if let Some((line, col, c)) = errors::control_character(&text) {
                self.diag(
                    Diagnostic::error(Code::CaractereInterdit, format!("caractère de contrôle interdit (U+{:04X})", c as u32))
                        .at(Some(Loc::new(&rel, line, col, 1)))
                        .expected("du texte : lettres, chiffres, ponctuation, espaces, tabulations et retours à la ligne")
                        .hint("le texte contient un caractère invisible (souvent venu d'un copier-coller) : supprimez-le dans votre éditeur"),
                );
                continue;
            }
            match split_front_matter(&rel, &text) {
                Ok(Some((front_text, front_line, body, body_line))) => {
                    // Index positions of the front matter, shifted to file lines.
                    let spans = SpanIndex::build(&front_text).shifted(front_line - 1);
                    let duplicates = self.duplicate_keys(&rel, &spans);
                    self.out.spans.insert(rel.clone(), spans);
                    match errors::parse::<crate::FrontMatter>(&rel, &front_text) {
                        Ok(entete) => out.push(Contenu {
                            fichier: mutu_base::diagnostic::display_path(&rel),
                            entete,
                            markdown: body,
                            premiere_ligne: body_line,
                        }),
                        Err(mut d) => {
                            if let Some(loc) = d.loc.as_mut() {
                                loc.ligne += front_line - 1;
                            }
                            if !(duplicates && d.code == Code::CleEnDouble) {
                                self.diag(d);
                            }
                        }
                    }
                }
                Ok(None) => self.diag(
                    Diagnostic::error(Code::EnteteManquante, "page Markdown sans en-tête YAML")
                        .at(Some(Loc::file(&rel)))
                        .expected("un en-tête entre deux lignes « --- » au début du fichier, avec au moins `objet:`")
                        .hint("ajoutez en tête du fichier :\n---\nobjet: page\ntitre: …\n---"),
                ),
                Err(d) => self.diag(d),
            }
        }
        out
    }
}

pub fn io_fr(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable".into(),
        std::io::ErrorKind::PermissionDenied => "permission refusée".into(),
        _ => e.to_string(),
    }
}
