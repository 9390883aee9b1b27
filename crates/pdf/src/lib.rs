//! The PDF annex, rendered in process with typst.
//!
//! The template (`pdf/rapport.typ` of the theme, plus any `.typ` file
//! beside it) reads the [`Document`] as JSON files of its world —
//! `/_donnees/document.json` (everything but the pages, with `nb_pages`
//! and `details`, the long per-member tables of the « Détail par membre »
//! part, see `detail_imprime`)
//! and `/_donnees/page-<i>.json` (one per page) — data is never spliced
//! into typst source. One file per page keeps typst's memoization useful
//! across renders of a kept [`PdfEngine`]: after an edit, only the pages
//! whose JSON changed are evaluated again (`sys.inputs`, which would
//! invalidate everything, only carries the logo). The Markdown narratives
//! are converted to typst markup by [`markdown`] (every character escaped)
//! and travel in the same JSON; the template evaluates them with
//! `eval(markup, mode: "markup")`.
//!
//! Output conforms to PDF/A-2a and PDF/UA-1 (tagged), uses only the theme's
//! fonts (no system font, no network, no package), and is byte-identical
//! across runs: the PDF identifier and timestamp derive from the document,
//! never from the clock.

pub mod markdown;

/// typst's syntax tree, for the tests that parse the markup the PDF
/// renderer writes (typst is a dependency of this crate only).
use mutu_base::codes::Code;
pub use typst::syntax as syntaxe;

use mutu_base::diagnostic::{Diagnostic, Loc};
use mutu_base::theme::Theme;
use mutu_present::{Bloc, Document, Page};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use typst::diag::{FileError, FileResult, Severity, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Dict, Duration, IntoValue, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Feature, Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// Path of the main template inside the theme.
pub const MODELE: &str = "pdf/rapport.typ";
/// Folder of the PDF template files inside the theme.
const DOSSIER: &str = "pdf/";
/// Folder of the fonts inside the theme.
const POLICES: &str = "fonts/";
/// Name used for embedded theme files in diagnostics.
const THEME_INTEGRE: &str = "default";
/// Standards the PDF is checked against by typst when it is written.
pub const NORMES: &[PdfStandard] = &[PdfStandard::A_2a, PdfStandard::Ua_1];
/// Human-readable name of [`NORMES`].
pub const NORMES_LIBELLE: &str = "PDF/A-2a et PDF/UA-1";
/// Compilations a cached typst result may stay unused before it is evicted.
const CACHE_AGE: usize = 10;
/// Shown instead of a character no font of the theme can draw.
const REMPLACEMENT: char = '?';

/// A reusable typst setup: the theme's template files and fonts, loaded
/// once. Keep one alive (e.g. in `mutu serve`) so typst's memoization cache
/// stays warm between renders.
pub struct PdfEngine {
    /// Template sources by typst file id, with the theme-relative path.
    sources: BTreeMap<String, (FileId, Source)>,
    /// Other files of the template folder (images of the theme).
    fichiers: BTreeMap<String, (FileId, Bytes)>,
    /// Display path of every theme file, for diagnostics.
    affichage: BTreeMap<String, String>,
    principal: FileId,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    logo: Option<(Bytes, &'static str)>,
    avertissements: Vec<Diagnostic>,
    /// Page count of the last successful render.
    pages: Option<usize>,
    cache_age: usize,
    /// The standard library with the logo as input, built once per logo
    /// (see [`PdfEngine::set_logo`]).
    library: Option<LazyHash<Library>>,
    /// Most pages a render may have (`pdf.pages_max`).
    pages_max: usize,
}

/// Environment variable naming a file where each render writes typst's
/// timing scopes as a Chrome trace (`chrome://tracing`, Perfetto): how the
/// profile of docs/benchmarks.md is taken. A developer's tool: no option
/// of the command line, nothing written when it is unset.
pub const TRACE: &str = "MUTU_TRACE_TYPST";

/// Writes the timing events of the last render to `chemin` (best effort:
/// a trace that cannot be written is said on stderr, the PDF is still
/// produced).
fn ecrire_trace(world: &Monde<'_>, chemin: &std::ffi::OsStr) {
    let ecrit = std::fs::File::create(chemin).map_err(|e| e.to_string()).and_then(|f| {
        typst_timing::export_json(std::io::BufWriter::new(f), |span| {
            let span = typst::syntax::Span::from_raw(span);
            let fichier = span.id().map(|id| format!("{id:?}")).unwrap_or_default();
            let ligne = world.range(span).and_then(|r| {
                let id = span.id()?;
                let source = world.source(id).ok()?;
                source.lines().byte_to_line_column(r.start).map(|(l, _)| l as u32 + 1)
            });
            (fichier, ligne.unwrap_or(0))
        })
    });
    if let Err(e) = ecrit {
        eprintln!("trace typst non écrite ({}) : {e}", std::path::Path::new(chemin).display());
    }
}

/// Folder of the data files of a render in the typst world.
const DONNEES: &str = "_donnees";

/// Renders the main report once (loads the theme, renders, frees typst's
/// cache).
pub fn render(doc: &Document, theme: &Theme) -> Result<Vec<u8>, Vec<Diagnostic>> {
    let mut engine = PdfEngine::new(theme)?;
    engine.cache_age = 0;
    engine.rapport(doc)
}

impl PdfEngine {
    /// Loads the template files (`pdf/**`) and fonts (`fonts/*.ttf|otf`) of
    /// the theme.
    pub fn new(theme: &Theme) -> Result<PdfEngine, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let mut sources = BTreeMap::new();
        let mut fichiers = BTreeMap::new();
        let mut affichage = BTreeMap::new();
        for (rel, file) in theme.under(DOSSIER) {
            let shown = theme.display(rel, THEME_INTEGRE);
            let Some(id) = file_id(rel) else {
                errors.push(
                    Diagnostic::error(Code::PdfModele, format!("nom de fichier du modèle PDF inutilisable : {shown}"))
                        .hint("renommez le fichier avec des lettres, chiffres, « - », « _ » et « . » seulement"),
                );
                continue;
            };
            affichage.insert(rel.to_string(), shown.clone());
            if rel.ends_with(".typ") {
                match std::str::from_utf8(&file.bytes) {
                    Ok(text) => {
                        sources.insert(rel.to_string(), (id, Source::new(id, text.to_string())));
                    }
                    Err(e) => errors.push(
                        Diagnostic::error(
                            Code::PdfModele,
                            format!("le modèle PDF {shown} n'est pas un texte UTF-8 valide (octet {})", e.valid_up_to()),
                        )
                        .at(Some(Loc::file(&shown)))
                        .hint("enregistrez le fichier en UTF-8"),
                    ),
                }
            } else {
                fichiers.insert(rel.to_string(), (id, Bytes::new(file.bytes.to_vec())));
            }
        }
        let principal = match sources.get(MODELE) {
            Some((id, _)) => *id,
            None => {
                errors.push(
                    Diagnostic::error(Code::PdfModele, format!("le thème n'a pas de modèle PDF « {MODELE} »"))
                        .hint("le thème intégré en fournit un ; vérifiez qu'un fichier du thème du projet ne l'a pas remplacé par un dossier"),
                );
                return Err(errors);
            }
        };

        let mut fonts = Vec::new();
        for (rel, file) in theme.under(POLICES) {
            let lower = rel.to_ascii_lowercase();
            if !(lower.ends_with(".ttf") || lower.ends_with(".otf") || lower.ends_with(".ttc") || lower.ends_with(".otc")) {
                continue;
            }
            let before = fonts.len();
            fonts.extend(Font::iter(Bytes::new(file.bytes.to_vec())));
            if fonts.len() == before {
                let shown = theme.display(rel, THEME_INTEGRE);
                errors.push(
                    Diagnostic::error(Code::PdfPolice, format!("la police {shown} est illisible"))
                        .at(Some(Loc::file(&shown)))
                        .hint("fournissez un fichier TrueType (.ttf) ou OpenType (.otf) valide"),
                );
            }
        }
        if fonts.is_empty() {
            errors.push(
                Diagnostic::error(Code::PdfPolice, "le thème ne contient aucune police pour le PDF")
                    .hint("placez des fichiers .ttf ou .otf dans le dossier fonts/ du thème (le thème intégré fournit Inter)"),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let book = FontBook::from_fonts(&fonts);
        Ok(PdfEngine {
            sources,
            fichiers,
            affichage,
            principal,
            book: LazyHash::new(book),
            fonts,
            logo: None,
            avertissements: Vec::new(),
            pages: None,
            cache_age: CACHE_AGE,
            library: None,
            pages_max: mutu_model::config::PAGES_MAX_DEFAUT,
        })
    }

    /// Sets the EPCI's logo shown on the cover (PNG, JPEG, GIF, WebP or SVG
    /// bytes, checked here). Read it from the project with [`lire_logo`].
    pub fn set_logo(&mut self, logo: Option<Vec<u8>>) -> Result<(), Diagnostic> {
        let logo = match logo {
            None => None,
            Some(bytes) => {
                let format = verifier_logo(&bytes).map_err(|raison| {
                    Diagnostic::error(Code::PdfLogo, format!("logo inutilisable : {raison}")).expected("une image PNG, JPEG, GIF, WebP ou SVG")
                })?;
                Some((Bytes::new(bytes), format))
            }
        };
        // The library carries the logo: rebuilt only when the logo changes
        // (`mutu serve` sets it before every render).
        if logo != self.logo {
            self.library = None;
            self.logo = logo;
        }
        Ok(())
    }

    /// Sets the page budget (`pdf.pages_max` of the configuration): a
    /// render whose estimate, then whose layout, exceeds it stops with an
    /// error instead of going on until the memory runs out.
    pub fn set_pages_max(&mut self, pages_max: usize) {
        self.pages_max = pages_max;
    }

    /// Number of pages of the last PDF rendered (`None` before the first
    /// render or after a failed one).
    pub fn nombre_de_pages(&self) -> Option<usize> {
        self.pages
    }

    /// Warnings of the last render (characters missing from the fonts,
    /// typst warnings).
    pub fn avertissements(&self) -> &[Diagnostic] {
        &self.avertissements
    }

    /// The main report: cover, table of contents, then every page whose
    /// `pdf` is set, in document order.
    pub fn rapport(&mut self, doc: &Document) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let pages: Vec<&Page> = doc.pages.iter().filter(|p| p.pdf).collect();
        if pages.is_empty() {
            return Err(vec![Diagnostic::error(Code::PdfVide, "aucune page n'est destinée au rapport PDF")
                .hint("le rapport reprend les pages marquées pour le PDF ; vérifiez la configuration du projet")]);
        }
        self.compiler(doc, &pages, None)
    }

    /// The extract for one member: cover, then the member's page (with the
    /// services it uses, as that page lists them).
    pub fn extrait(&mut self, doc: &Document, membre: &str) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let Some(page) = doc.pages.iter().find(|p| p.membre.as_deref() == Some(membre)) else {
            let connus: Vec<&str> = doc.pages.iter().filter_map(|p| p.membre.as_deref()).collect();
            let mut d = Diagnostic::error(Code::PdfMembreInconnu, format!("aucune page ne correspond au membre « {membre} »"));
            d = if connus.is_empty() {
                d.hint("le document n'a aucune page de commune")
            } else {
                d.expected(connus.join(", "))
            };
            return Err(vec![d]);
        };
        self.compiler(doc, &[page], Some(page))
    }

    fn compiler(&mut self, doc: &Document, pages: &[&Page], membre: Option<&Page>) -> Result<Vec<u8>, Vec<Diagnostic>> {
        self.avertissements.clear();
        self.pages = None;
        let mut nb_pages = None;
        let date = parse_date(&doc.date_document).ok_or_else(|| {
            vec![
                Diagnostic::error(Code::PdfDate, format!("date du document invalide : « {} »", doc.date_document))
                    .expected("une date AAAA-MM-JJ, par exemple 2024-03-29"),
            ]
        })?;

        // Characters no font can draw would break PDF/A: replace them and
        // say where.
        let couverture: Vec<&typst::text::Coverage> = self.fonts.iter().map(|f| &f.info().coverage).collect();
        let mut manquants: BTreeMap<char, BTreeSet<String>> = BTreeMap::new();

        let (entete, pages_json) = donnees(doc, pages, membre, date, &couverture, &mut manquants)?;
        for (c, ou) in &manquants {
            let lieux: Vec<&str> = ou.iter().map(String::as_str).collect();
            self.avertissements.push(
                Diagnostic::warning(
                    Code::PdfCaractere,
                    format!(
                        "le caractère « {c} » (U+{:04X}) n'existe pas dans les polices du thème : il est remplacé par « {REMPLACEMENT} » dans le PDF",
                        *c as u32
                    ),
                )
                .hint(format!(
                    "pages concernées : {} ; remplacez-le dans les données ou ajoutez une police qui le contient au thème",
                    lieux.join(", ")
                )),
            );
        }

        // Before the layout, which is what takes the memory (about a
        // megabyte a page): a document far beyond the budget stops here.
        let estimation = estimation_pages(pages);
        if estimation > self.pages_max {
            return Err(vec![trop_de_pages(format!("compterait environ {} pages", estimation), self.pages_max)]);
        }
        let donnees = fichiers_donnees(entete, &pages_json)?;
        if self.library.is_none() {
            let mut inputs = Dict::new();
            if let Some((logo, format)) = &self.logo {
                inputs.insert("logo".into(), logo.clone().into_value());
                inputs.insert("logo-format".into(), format.into_value());
            }
            let library = Library::builder()
                .with_inputs(inputs)
                .with_features([Feature::A11yExtras].into_iter().collect())
                .build();
            self.library = Some(LazyHash::new(library));
        }
        let world = Monde { engine: self, donnees, date };

        let trace = std::env::var_os(TRACE);
        if trace.is_some() {
            typst_timing::enable();
        }
        let compiled = typst::compile::<PagedDocument>(&world);
        let mut avertissements: Vec<Diagnostic> = compiled.warnings.iter().map(|w| self.diagnostic(&world, w)).collect();
        let result = match compiled.output {
            Ok(document) if document.pages().len() > self.pages_max => {
                Err(vec![trop_de_pages(format!("compte {} pages", document.pages().len()), self.pages_max)])
            }
            Ok(document) => {
                nb_pages = Some(document.pages().len());
                let ident = match membre {
                    Some(p) => format!("mutu/{}/{}/extrait/{}", doc.epci_nom, doc.exercice, p.id),
                    None => format!("mutu/{}/{}/rapport", doc.epci_nom, doc.exercice),
                };
                match PdfStandards::new(NORMES) {
                    Ok(standards) => {
                        let options = PdfOptions {
                            ident: Smart::Custom(ident),
                            creator: Smart::Custom(Some(format!("mutu {}", env!("CARGO_PKG_VERSION")))),
                            timestamp: Some(Timestamp::new_utc(date)),
                            standards,
                            ..PdfOptions::default()
                        };
                        typst_pdf::pdf(&document, &options).map_err(|errs| errs.iter().map(|e| self.diagnostic(&world, e)).collect::<Vec<_>>())
                    }
                    Err(e) => Err(vec![Diagnostic::error(Code::PdfNorme, format!("normes PDF incompatibles : {}", e.message()))]),
                }
            }
            Err(errs) => Err(errs.iter().map(|e| self.diagnostic(&world, e)).collect()),
        };
        if let Some(chemin) = trace {
            typst_timing::disable();
            ecrire_trace(&world, &chemin);
        }
        drop(world);
        if result.is_ok() {
            self.pages = nb_pages;
        }
        typst::comemo::evict(self.cache_age);
        self.avertissements.append(&mut avertissements);
        result
    }

    /// A typst diagnostic in French, located in the theme file it comes
    /// from (or the call site in the template for errors inside evaluated
    /// Markdown).
    fn diagnostic(&self, world: &Monde<'_>, d: &SourceDiagnostic) -> Diagnostic {
        let erreur = d.severity == Severity::Error;
        let mut loc = None;
        let mut rel = None;
        let spans = std::iter::once(d.span).chain(d.trace.iter().map(|t| t.span.into()));
        for span in spans {
            let Some(id) = span.id() else { continue };
            let Some((r, source)) = self.sources.iter().find(|(_, (i, _))| *i == id).map(|(r, (_, s))| (r, s)) else {
                continue;
            };
            let Some(range) = world.range(span) else { continue };
            let (ligne, colonne) = source.lines().byte_to_line_column(range.start).unwrap_or((0, 0));
            let longueur = source
                .text()
                .get(range.clone())
                .map(|t| t.lines().next().unwrap_or("").chars().count())
                .unwrap_or(1);
            let shown = self.affichage.get(r).cloned().unwrap_or_else(|| r.clone());
            loc = Some(Loc::new(shown, ligne + 1, colonne + 1, longueur));
            rel = Some(r.clone());
            break;
        }
        let signale = match message_typst(&d.message) {
            Some(fr) => fr,
            None => format!("typst signale « {} »", d.message),
        };
        let message = if erreur {
            format!("le PDF n'a pas pu être produit : {signale}")
        } else {
            signale
        };
        let mut base = if erreur {
            Diagnostic::error(Code::PdfTypst, message)
        } else {
            Diagnostic::warning(Code::PdfTypst, message)
        };
        base = base.at(loc);
        let mut aides: Vec<String> = d.hints.iter().filter_map(|h| aide_typst(&h.v)).collect();
        let integre = rel
            .as_ref()
            .is_some_and(|r| self.affichage.get(r).is_some_and(|s| s.ends_with("(thème intégré)")));
        if rel.is_none() || integre {
            aides.push(
                "le modèle PDF intégré à mutu a échoué sur ces données : vérifiez les textes en cause, et signalez le problème s'il persiste".to_string(),
            );
        } else {
            aides.push("corrigez le modèle PDF du thème du projet à cet endroit, ou supprimez ce fichier pour revenir au modèle intégré".to_string());
        }
        base.hint(aides.join(" ; "))
    }
}

/// The report exceeds its page budget (`combien`: « compte 2 400 pages »).
fn trop_de_pages(combien: String, pages_max: usize) -> Diagnostic {
    Diagnostic::error(
        Code::PdfTropLong,
        format!(
            "le rapport PDF {combien}, au-delà de la limite de {} : il n'est pas produit",
            mutu_base::texte::pluriel(pages_max, "page", "pages")
        ),
    )
    .expected(format!(
        "au plus {} (clé pdf.pages_max de data/configuration.yaml)",
        mutu_base::texte::pluriel(pages_max, "page", "pages")
    ))
    .hint(
        "la limite protège la machine : la mise en page d'un rapport démesuré épuiserait sa mémoire ; retirez des sections du rapport \
         (pdf.sections) ou, si ce rapport est voulu, relevez pdf.pages_max",
    )
}

/// A rough page count of `pages` before any layout, from what they hold:
/// lines of text, table rows, charts, at the density of the built-in
/// template (about 50 lines on an A4 page). It errs on the low side, so a
/// report near its budget goes on to the layout and is measured exactly.
pub fn estimation_pages(pages: &[&Page]) -> usize {
    const LIGNES_PAR_PAGE: usize = 50;
    const CARACTERES_PAR_LIGNE: usize = 100;
    let texte = |s: &str| s.len().div_ceil(CARACTERES_PAR_LIGNE).max(1);
    let mut lignes = 0;
    for p in pages {
        lignes += 2;
        for b in &p.blocs {
            lignes += match b {
                Bloc::Titre { .. } | Bloc::Statut { .. } => 1,
                Bloc::Paragraphe { texte: t } | Bloc::Encadre { texte: t, .. } => texte(t),
                Bloc::Markdown { source, .. } => texte(source),
                Bloc::Chiffres { .. } => 2,
                Bloc::Tableau(t) => 1 + t.lignes.len() + t.pied.len(),
                Bloc::Graphique(_) => 10,
                Bloc::Definitions { lignes: l } => l.len(),
                Bloc::Liste { elements } => elements.len(),
                Bloc::Frise { etapes } => etapes.len(),
                Bloc::Liens { liens } => liens.len().div_ceil(3),
            };
        }
    }
    // The cover and the table of contents.
    2 + lignes.div_ceil(LIGNES_PAR_PAGE)
}

/// Typst messages that mutu can say better in French: the template read
/// outside its theme, a text too long for a PDF string.
fn message_typst(message: &str) -> Option<String> {
    if let Some(chemin) = message.strip_prefix("path ").and_then(|m| m.strip_suffix(" would escape the project root")) {
        // typst quotes it: `"../x"`.
        let chemin = chemin.trim_matches('`').trim_matches('"');
        return Some(format!("le chemin « {chemin} » sort du dossier du thème"));
    }
    if message.ends_with("a PDF string is longer than 32767 characters") {
        return Some(format!(
            "un texte du PDF dépasse la longueur permise par les normes {NORMES_LIBELLE} (32 767 octets d'un seul tenant) : un titre, un nom ou une ligne sans coupure trop long"
        ));
    }
    None
}

/// A typst hint as mutu shows it. Hints naming an option of the typst
/// command line (`--root`, `--font-path`…) are dropped: mutu has no such
/// option and runs typst itself; the sandbox and string length ones are
/// said in French.
fn aide_typst(aide: &str) -> Option<String> {
    let option_de_typst = aide
        .match_indices("--")
        .any(|(i, _)| aide[i + 2..].starts_with(|c: char| c.is_ascii_lowercase()));
    if option_de_typst {
        return None;
    }
    if aide.starts_with("cannot access files outside of the") {
        return Some("le modèle PDF ne lit que les fichiers de son thème (dossier pdf/) et les données que mutu lui donne".into());
    }
    if aide == "ensure title and author names are short enough" {
        return Some("raccourcissez le titre, le nom ou la ligne en cause (mutu check signale ceux des données du projet)".into());
    }
    Some(format!("typst suggère « {aide} »"))
}

/// Reads the logo named in the document (`Document::logo`, relative to the
/// project root). Paths leaving the project are refused.
pub fn lire_logo(racine: &std::path::Path, doc: &Document) -> Result<Option<Vec<u8>>, Diagnostic> {
    let Some(rel) = &doc.logo else { return Ok(None) };
    let sort = || {
        Diagnostic::error(Code::PdfLogo, format!("le chemin du logo « {rel} » sort du projet"))
            .hint("indiquez un chemin relatif au dossier du projet, par exemple « images/logo.png »")
    };
    // Lexically, then on disk: a symbolic link leading out is refused too.
    let propre = mutu_model::medias::resoudre("", rel).map_err(|_| sort())?;
    let bytes = mutu_model::medias::lire(racine, &propre).map_err(|p| match p {
        mutu_model::medias::Probleme::LienSortant => sort(),
        p => Diagnostic::error(Code::PdfLogo, format!("logo « {rel} » illisible : {}", p.texte())).hint("vérifiez le chemin du logo dans la configuration"),
    })?;
    verifier_logo(&bytes).map_err(|raison| {
        Diagnostic::error(Code::PdfLogo, format!("logo « {rel} » inutilisable : {raison}")).expected("une image PNG, JPEG, GIF, WebP ou SVG")
    })?;
    Ok(Some(bytes))
}

/// Checks that `bytes` are an image typst can draw (decoding it) and
/// returns the format name the template passes to `image`.
pub fn verifier_logo(bytes: &[u8]) -> Result<&'static str, String> {
    use typst::visualize::{ExchangeFormat, ImageFormat, RasterFormat, RasterImage, SvgImage, VectorFormat};
    match ImageFormat::detect(bytes) {
        Some(ImageFormat::Raster(RasterFormat::Exchange(f))) => {
            let nom = match f {
                ExchangeFormat::Png => "png",
                ExchangeFormat::Jpg => "jpg",
                ExchangeFormat::Gif => "gif",
                ExchangeFormat::Webp => "webp",
            };
            RasterImage::plain(Bytes::new(bytes.to_vec()), f).map_err(|e| format!("image {} illisible ({e})", nom.to_uppercase()))?;
            Ok(nom)
        }
        Some(ImageFormat::Vector(VectorFormat::Svg)) => {
            SvgImage::new(Bytes::new(bytes.to_vec())).map_err(|_| "image SVG illisible".to_string())?;
            Ok("svg")
        }
        _ => Err("format d'image non reconnu".to_string()),
    }
}

fn file_id(rel: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(format!("/{rel}")).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

fn parse_date(iso: &str) -> Option<Datetime> {
    let mut it = iso.trim().splitn(3, '-');
    let y: i32 = it.next()?.parse().ok()?;
    let m: u8 = it.next()?.parse().ok()?;
    let d: u8 = it.next()?.get(..2)?.parse().ok()?;
    Datetime::from_ymd(y, m, d)
}

/// Builds the JSON the template reads: the document's metadata (with the
/// page count `nb_pages`) and, apart, the selected pages with their blocks, Markdown converted to markup, heading
/// levels made consecutive, characters missing from the fonts replaced.
fn donnees(
    doc: &Document,
    pages: &[&Page],
    membre: Option<&Page>,
    date: Datetime,
    couverture: &[&typst::text::Coverage],
    manquants: &mut BTreeMap<char, BTreeSet<String>>,
) -> Result<(Value, Vec<Value>), Vec<Diagnostic>> {
    let mut racine = match serde_json::to_value(doc.sans_pages()).map_err(erreur_serialisation)? {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    racine.remove("pages");
    for (k, x) in racine.iter_mut() {
        if !CLES_NON_TEXTE.contains(&k.as_str()) {
            remplacer_manquants(x, "page de couverture", couverture, manquants);
        }
    }

    let mut erreurs = Vec::new();
    let mut sortie = Vec::with_capacity(pages.len());
    // Pages that exist only on the site: neither in the printed report (an
    // extract's links to the report's pages stay, as text) nor in this PDF.
    let ici: BTreeSet<&str> = pages.iter().map(|p| p.id.as_str()).collect();
    let site_seul: BTreeSet<&str> = doc
        .pages
        .iter()
        .filter(|p| !p.pdf && !ici.contains(p.id.as_str()))
        .map(|p| p.id.as_str())
        .collect();
    // Numbered structure: a page whose parent page is printed before it is
    // a subsection of it (a fiche under its axis): 9, then 9.1, 9.2… The
    // home page (no parent) is the root of the site, not a section holding
    // the others.
    let racines: BTreeSet<&str> = pages.iter().filter(|p| p.parent.is_none()).map(|p| p.id.as_str()).collect();
    let mut profondeurs: HashMap<&str, u8> = HashMap::new();
    for page in pages {
        let d = page
            .parent
            .as_deref()
            .filter(|p| !racines.contains(p))
            .and_then(|p| profondeurs.get(p))
            .map_or(1, |d| (d + 1).min(4));
        profondeurs.entry(page.id.as_str()).or_insert(d);
    }
    // Per-member tables moved to the « Détail par membre » part.
    let mut details = Vec::new();
    for page in pages {
        let profondeur = profondeurs.get(page.id.as_str()).copied().unwrap_or(1);
        let page = &imprimable(page, &site_seul);
        let mut pv = serde_json::to_value(page).map_err(erreur_serialisation)?;
        remplacer_manquants(&mut pv, &page.titre, couverture, manquants);
        if let Some(obj) = pv.as_object_mut() {
            obj.insert("rubrique_libelle".into(), Value::String(page.rubrique.libelle().to_string()));
            obj.insert("niveau".into(), Value::from(profondeur));
        }
        let mut niveau = profondeur;
        if let Some(blocs) = pv.get_mut("blocs").and_then(Value::as_array_mut) {
            for (bv, bloc) in blocs.iter_mut().zip(&page.blocs) {
                match bloc {
                    Bloc::Titre { niveau: n, .. } => {
                        let lvl = (*n + profondeur - 1).max(profondeur + 1).min(niveau + 1);
                        niveau = lvl;
                        bv["niveau"] = Value::from(lvl);
                    }
                    Bloc::Markdown { fichier, .. } => {
                        // Convert the (possibly character-replaced) source.
                        let source = bv.get("source").and_then(Value::as_str).unwrap_or("").to_string();
                        let conv = markdown::vers_typst(&source, niveau);
                        niveau = conv.niveau_final;
                        let (erreurs_syntaxe, _) = typst::syntax::parse(&conv.markup).errors_and_warnings();
                        if let Some(e) = erreurs_syntaxe.first() {
                            erreurs.push(
                                Diagnostic::error(Code::PdfMarkdown, format!("conversion du texte Markdown en typst invalide : « {} »", e.message))
                                    .at(Some(Loc::file(fichier)))
                                    .hint("simplifiez la mise en forme de ce texte (imbrications très profondes) ; si le problème persiste, signalez-le"),
                            );
                        }
                        bv["markup"] = Value::String(conv.markup);
                    }
                    Bloc::Tableau(t) if membre.is_none() => {
                        if let Some(d) = detail_imprime(t, bv, &doc.pdf_sans_detail) {
                            details.push(d);
                        }
                    }
                    _ => {}
                }
            }
        }
        sortie.push(pv);
    }
    racine.insert("details".into(), Value::Array(details));
    if !erreurs.is_empty() {
        return Err(erreurs);
    }
    racine.insert("nb_pages".into(), Value::from(sortie.len()));
    let mode = match (membre, doc.genre) {
        (Some(_), _) => "extrait",
        (None, mutu_present::GenreDocument::Rapport) => "rapport",
        (None, mutu_present::GenreDocument::Catalogue) => "catalogue",
    };
    racine.insert("mode".into(), Value::String(mode.into()));
    if let Some(p) = membre {
        let mut m = Map::new();
        m.insert("id".into(), Value::String(p.membre.clone().unwrap_or_default()));
        m.insert("page".into(), Value::String(p.id.clone()));
        m.insert("nom".into(), Value::String(p.titre.clone()));
        racine.insert("membre".into(), Value::Object(m));
    }
    let mut d = Map::new();
    d.insert("annee".into(), Value::from(date.year().unwrap_or(1970)));
    d.insert("mois".into(), Value::from(date.month().unwrap_or(1)));
    d.insert("jour".into(), Value::from(date.day().unwrap_or(1)));
    racine.insert("date".into(), Value::Object(d));
    Ok((Value::Object(racine), sortie))
}

/// A long per-member table in the body of the report (see
/// [`mutu_model::config::DetailPdf`]): the body keeps its header and
/// total rows (`"resume": true`, no row) and either a reference to the
/// « Détail par membre » part (`"renvoi"`, the label of its section) —
/// then the whole table is returned for that part — or, when the project
/// leaves this kind out (`pdf.sans_detail`), a mention that the detail is
/// not printed (`"omis": true`).
fn detail_imprime(t: &mutu_present::Tableau, bv: &mut Value, omis: &[mutu_model::config::DetailPdf]) -> Option<Value> {
    let genre = t.detail?;
    if t.lignes.len() <= mutu_model::config::DETAIL_LIGNES_MAX {
        return None;
    }
    let complet = bv.clone();
    bv["lignes"] = Value::Array(Vec::new());
    bv["resume"] = Value::Bool(true);
    if omis.contains(&genre) {
        bv["omis"] = Value::Bool(true);
        return None;
    }
    let etiquette = format!("detail:{}", t.id);
    bv["renvoi"] = Value::String(etiquette.clone());
    let mut d = Map::new();
    d.insert("titre".into(), complet.get("titre").cloned().unwrap_or(Value::Null));
    d.insert("etiquette".into(), Value::String(etiquette));
    let mut tableau = complet;
    // Its heading says what the caption would.
    tableau["legende"] = Value::String(String::new());
    d.insert("tableau".into(), tableau);
    Some(Value::Object(d))
}

/// The page as printed: print is not web. Blocks for the site only are
/// left out, so are links to pages that exist only on the site (a list left
/// empty goes, and a heading left with nothing under it goes too).
fn imprimable(page: &Page, site_seul: &BTreeSet<&str>) -> Page {
    let mut blocs: Vec<Bloc> = Vec::with_capacity(page.blocs.len());
    for (i, b) in page.blocs.iter().enumerate() {
        if page.site_seulement.contains(&i) {
            continue;
        }
        match b {
            Bloc::Liens { liens } => {
                let liens: Vec<_> = liens.iter().filter(|l| !site_seul.contains(l.page.as_str())).cloned().collect();
                if !liens.is_empty() {
                    blocs.push(Bloc::Liens { liens });
                }
            }
            b => blocs.push(b.clone()),
        }
    }
    // A heading followed by a heading of the same or a higher level (or by
    // nothing) lost its content.
    let mut k = blocs.len();
    let mut suivant: Option<u8> = None;
    while k > 0 {
        k -= 1;
        if let Bloc::Titre { niveau, .. } = blocs[k] {
            if suivant.is_none_or(|n| n <= niveau) {
                blocs.remove(k);
                continue;
            }
            suivant = Some(niveau);
        } else {
            suivant = Some(u8::MAX);
        }
    }
    Page {
        blocs,
        site_seulement: Vec::new(),
        ..page.clone()
    }
}

/// Keys whose strings are identifiers, paths, raw values or SVG, never
/// shown as text.
const CLES_NON_TEXTE: &[&str] = &[
    "id",
    "page",
    "lien",
    "ancre",
    "fichier",
    "logo",
    "tableau",
    "code",
    "valeur",
    "nom_pdf",
    "svg",
    "parent",
    "membre",
    "rubrique",
    "type",
    "genre",
    "date_conseil",
    "date_document",
];

fn remplacer_manquants(v: &mut Value, lieu: &str, couverture: &[&typst::text::Coverage], manquants: &mut BTreeMap<char, BTreeSet<String>>) {
    match v {
        Value::String(s) => {
            if s.chars().all(|c| c.is_ascii() || couvert(c, couverture)) {
                return;
            }
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                if c.is_ascii() || couvert(c, couverture) {
                    out.push(c);
                } else {
                    manquants.entry(c).or_default().insert(format!("« {lieu} »"));
                    out.push(REMPLACEMENT);
                }
            }
            *s = out;
        }
        Value::Array(a) => a.iter_mut().for_each(|x| remplacer_manquants(x, lieu, couverture, manquants)),
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                if !CLES_NON_TEXTE.contains(&k.as_str()) {
                    remplacer_manquants(x, lieu, couverture, manquants);
                }
            }
        }
        _ => {}
    }
}

fn couvert(c: char, couverture: &[&typst::text::Coverage]) -> bool {
    // Spaces, joiners and marks typst handles without a glyph of their own.
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
        || couverture.iter().any(|cov| cov.contains(c as u32))
}

fn erreur_serialisation(e: serde_json::Error) -> Vec<Diagnostic> {
    vec![Diagnostic::error(Code::PdfDonnees, format!("sérialisation du document impossible : {e}"))]
}

/// The data files of one render (see the module documentation): the
/// document without its pages, then each page, as JSON.
fn fichiers_donnees(entete: Value, pages: &[Value]) -> Result<HashMap<FileId, Bytes>, Vec<Diagnostic>> {
    let mut out = HashMap::new();
    let mut ajoute = |nom: String, v: &Value| -> Result<(), Vec<Diagnostic>> {
        let id = file_id(&format!("{DONNEES}/{nom}")).expect("chemin de données valide");
        out.insert(id, Bytes::new(serde_json::to_vec(v).map_err(erreur_serialisation)?));
        Ok(())
    };
    ajoute("document.json".into(), &entete)?;
    for (i, p) in pages.iter().enumerate() {
        ajoute(format!("page-{i}.json"), p)?;
    }
    Ok(out)
}

/// The typst world: the engine's sources, files and fonts, and this
/// render's data files. `today` is the document date, never the clock.
struct Monde<'a> {
    engine: &'a PdfEngine,
    donnees: HashMap<FileId, Bytes>,
    date: Datetime,
}

impl World for Monde<'_> {
    fn library(&self) -> &LazyHash<Library> {
        self.engine.library.as_ref().expect("bibliothèque construite avant la compilation")
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.engine.book
    }

    fn main(&self) -> FileId {
        self.engine.principal
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.engine
            .sources
            .values()
            .find(|(i, _)| *i == id)
            .map(|(_, s)| s.clone())
            .ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.donnees.get(&id) {
            return Ok(b.clone());
        }
        if let Some((_, b)) = self.engine.fichiers.values().find(|(i, _)| *i == id) {
            return Ok(b.clone());
        }
        if let Some((_, s)) = self.engine.sources.values().find(|(i, _)| *i == id) {
            return Ok(Bytes::from_string(s.text().to_string()));
        }
        Err(not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.engine.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.date)
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
