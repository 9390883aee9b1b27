//! `mutu build` / `mutu pdf`: runs the renderers on the computed model and
//! writes their files. The site, the data files and the PDF all render the
//! same [`Document`]; the output folder is replaced atomically.

use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::fichier::{Fichier, Recueil, Sortie};
use mutu_base::theme::Theme;
use mutu_compute::Modele;
use mutu_data as data;
use mutu_pdf::PdfEngine;
use mutu_present::Document;
use mutu_site as site;
use std::path::Path;
use std::time::Instant;

/// What to produce.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: bool,
    pub pdf: bool,
    /// Per-member PDF extracts (`extraits/<id>.pdf`).
    pub extraits: bool,
    /// Serve mode: script injected into pages for live reload.
    pub rechargement: Option<String>,
}

/// Figures of a build, for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Bilan {
    pub pages: usize,
    pub pdf_pages: Option<usize>,
    pub fichiers: usize,
    pub octets: usize,
    pub millisecondes: u128,
    /// Warnings of the renderers, to print.
    pub avertissements: Vec<Diagnostic>,
}

/// Loads the theme selected in the configuration.
pub fn theme(root: &Path, m: &Modele) -> Result<Theme, Vec<Diagnostic>> {
    mutu_theme::charger(root, &m.config.theme).map_err(|e| {
        vec![
            Diagnostic::error(Code::ThemeIllisible, format!("impossible de lire le thème « {} » : {e}", m.config.theme))
                .hint("vérifiez le dossier themes/ du projet ou choisissez `theme: default` dans data/configuration.yaml"),
        ]
    })
}

/// The document every renderer consumes.
pub fn document(m: &Modele, opts: &Options) -> Document {
    mutu_present::document(
        m,
        &mutu_present::Options {
            pdf: opts.pdf,
            extraits: opts.extraits,
        },
    )
}

/// What [`render`] produces.
#[derive(Debug, Clone, Default)]
pub struct Rendu {
    /// Every output file, sorted by path.
    pub fichiers: Vec<Fichier>,
    /// Pages of the main PDF, when it was built.
    pub pdf_pages: Option<usize>,
    /// Warnings of the renderers (e.g. a character no font can draw).
    pub avertissements: Vec<Diagnostic>,
}

/// The site, its media and data files, and the export; the errors.
fn render_site(root: &Path, m: &Modele, doc: &Document, theme: &Theme, opts: &Options, sortie: Sortie) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let so = site::SiteOptions {
        html_brut: m.config.html_brut,
        url_de_base: m.config.url_de_base.clone(),
        rechargement: opts.rechargement.clone(),
    };
    let _etape = mutu_base::progress::etape("construction du site");
    // The open data and the export read only the document and the model:
    // written on another thread while the pages are rendered.
    let site = std::thread::scope(|s| {
        let donnees = s.spawn(|| {
            for f in data::render(doc) {
                sortie(f);
            }
            sortie(Fichier::new("donnees/mutu-export.json", mutu_compute::export::to_json_compact(m)));
        });
        let site = site::render_vers(doc, theme, &so, sortie);
        donnees.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        site
    });
    if let Err(d) = site {
        errors.extend(d);
    }
    let premiere_ligne = |f: &str| m.contenus.iter().find(|c| c.fichier == f).map_or(1, |c| c.premiere_ligne);
    match mutu_present::medias::fichiers_site(root, doc, premiere_ligne) {
        Ok(f) => f.into_iter().for_each(sortie),
        Err(d) => errors.extend(d),
    }
    errors
}

/// Renders every requested output in memory, files sorted by path. With
/// both the site and a PDF, the site is rendered on another thread while
/// typst compiles.
pub fn render(root: &Path, m: &Modele, doc: &Document, theme: &Theme, engine: Option<&mut PdfEngine>, opts: &Options) -> Result<Rendu, Vec<Diagnostic>> {
    let recueil = Recueil::default();
    let (pdf_pages, avertissements) = render_vers(root, m, doc, theme, engine, opts, &|f| recueil.recoit(f))?;
    Ok(Rendu {
        fichiers: recueil.fichiers(),
        pdf_pages,
        avertissements,
    })
}

/// Renders every requested output, giving each file to `sortie` as soon as
/// it is produced; returns the pages of the main PDF and the renderers'
/// warnings, sorted. On an error, the files given must be discarded.
pub fn render_vers(
    root: &Path,
    m: &Modele,
    doc: &Document,
    theme: &Theme,
    engine: Option<&mut PdfEngine>,
    opts: &Options,
    sortie: Sortie,
) -> Result<(Option<usize>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let pdf = opts.pdf || opts.extraits;
    let pages_max = m.config.pdf.pages_max();
    let (pdf_pages, mut avertissements) = if !(opts.site && pdf) {
        let errors = if opts.site {
            render_site(root, m, doc, theme, opts, sortie)
        } else {
            Vec::new()
        };
        render_pdf(root, doc, theme, engine, opts, pages_max, sortie, errors)?
    } else {
        std::thread::scope(|s| {
            let site = s.spawn(|| render_site(root, m, doc, theme, opts, sortie));
            let pdf = render_pdf(root, doc, theme, engine, opts, pages_max, sortie, Vec::new());
            let mut errors = site.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
            // Site errors first, as when the outputs are rendered in turn.
            match pdf {
                Ok(r) if errors.is_empty() => Ok(r),
                Ok(_) => Err(errors),
                Err(d) => {
                    errors.extend(d);
                    Err(errors)
                }
            }
        })?
    };
    avertissements.sort_by(|a, b| (&a.code, &a.message).cmp(&(&b.code, &b.message)));
    avertissements.dedup();
    Ok((pdf_pages, avertissements))
}

/// The PDF outputs requested, after the `errors` of what was rendered
/// before; the report may have at most `pages_max` pages. Returns the
/// pages of the main PDF and the warnings.
#[allow(clippy::too_many_arguments)]
fn render_pdf(
    root: &Path,
    doc: &Document,
    theme: &Theme,
    engine: Option<&mut PdfEngine>,
    opts: &Options,
    pages_max: usize,
    sortie: Sortie,
    mut errors: Vec<Diagnostic>,
) -> Result<(Option<usize>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut pdf_pages = None;
    let mut avertissements = Vec::new();
    if opts.pdf || opts.extraits {
        let mut own;
        let engine = match engine {
            Some(e) => {
                pose_logo(e, root, doc)?;
                e
            }
            None => {
                own = moteur(root, doc, theme)?;
                &mut own
            }
        };
        engine.set_pages_max(pages_max);
        if opts.pdf {
            let _etape = mutu_base::progress::etape("génération du rapport PDF");
            match engine.rapport(doc) {
                Ok(bytes) => {
                    pdf_pages = engine.nombre_de_pages();
                    sortie(Fichier::new(format!("{}.pdf", doc.nom_pdf), bytes));
                }
                Err(d) => errors.extend(d),
            }
            avertissements.extend(engine.avertissements().iter().cloned());
        }
        if opts.extraits {
            let _etape = mutu_base::progress::etape("génération des extraits PDF par membre");
            let membres: Vec<&str> = doc.pages.iter().filter_map(|p| p.membre.as_deref()).collect();
            for r in extraits(root, doc, theme, engine, &membres, pages_max) {
                match r {
                    Ok((f, a)) => {
                        sortie(f);
                        avertissements.extend(a);
                    }
                    Err(d) => errors.extend(d),
                }
            }
        }
    }
    if errors.is_empty() {
        Ok((pdf_pages, avertissements))
    } else {
        Err(errors)
    }
}

/// Gives `engine` the logo `doc` names.
fn pose_logo(engine: &mut PdfEngine, root: &Path, doc: &Document) -> Result<(), Vec<Diagnostic>> {
    mutu_pdf::lire_logo(root, doc).and_then(|logo| engine.set_logo(logo)).map_err(|d| vec![d])
}

/// A new PDF engine for the theme, with the logo.
fn moteur(root: &Path, doc: &Document, theme: &Theme) -> Result<PdfEngine, Vec<Diagnostic>> {
    let mut e = PdfEngine::new(theme)?;
    pose_logo(&mut e, root, doc)?;
    Ok(e)
}

/// An extract and the warnings of its render, or why it failed.
type Extrait = Result<(Fichier, Vec<Diagnostic>), Vec<Diagnostic>>;

/// One extract per member, in the members' order. With more than a few
/// members a second engine on another thread shares the work
/// ([`mutu_base::parallele::partage`]).
fn extraits(root: &Path, doc: &Document, theme: &Theme, engine: &mut PdfEngine, membres: &[&str], pages_max: usize) -> Vec<Extrait> {
    let coeurs = std::thread::available_parallelism().map_or(1, |n| n.get());
    let autres = if coeurs < 2 || membres.len() < 4 {
        Vec::new()
    } else {
        match moteur(root, doc, theme) {
            Ok(mut e) => {
                e.set_pages_max(pages_max);
                vec![e]
            }
            Err(d) => return vec![Err(d)],
        }
    };
    mutu_base::parallele::partage(membres.len(), engine, autres, |engine, i| {
        let id = membres[i];
        let bytes = engine.extrait(doc, id)?;
        Ok((Fichier::new(format!("extraits/{id}.pdf"), bytes), engine.avertissements().to_vec()))
    })
}

/// Builds and writes the output folder; the previous one stays untouched
/// on any error. The output must have passed
/// [`mutu_base::output::regles::dossier_remplacable`]; when another mutu is
/// writing it, `attente` is called and the build waits for its turn. Each
/// file is written into the new folder as soon as it is rendered (the site
/// is never whole in memory); the folder replaces the output at the end,
/// or is removed on an error.
pub fn build(root: &Path, m: &Modele, sortie: &Path, opts: &Options, attente: impl FnOnce()) -> Result<Bilan, Vec<Diagnostic>> {
    let start = Instant::now();
    let theme = theme(root, m)?;
    let ecriture_impossible = |e: std::io::Error| {
        vec![Diagnostic::error(
            Code::EcritureImpossible,
            format!("impossible d'écrire le dossier de sortie {} : {e}", sortie.display()),
        )
        .hint(format!("{} ; le dossier précédent est resté intact", mutu_base::diagnostic::aide_ecriture(&e)))]
    };
    let verrou = mutu_base::output::Verrou::prendre(sortie, attente).map_err(ecriture_impossible)?;
    let doc = document(m, opts);
    /// The new folder, what was written, and the first write error (the
    /// renderers go on; the build then fails with it).
    struct Etat<'v> {
        ecriture: mutu_base::output::Ecriture<'v>,
        bilan: Bilan,
        erreur: Option<std::io::Error>,
    }
    let etat = std::sync::Mutex::new(Etat {
        ecriture: mutu_base::output::Ecriture::commencer(&verrou).map_err(ecriture_impossible)?,
        bilan: Bilan::default(),
        erreur: None,
    });
    let ecrire = |f: Fichier| {
        let mut e = etat.lock().unwrap_or_else(|p| p.into_inner());
        if e.erreur.is_some() {
            return;
        }
        match e.ecriture.ecrire(&f) {
            Ok(true) => {
                e.bilan.pages += usize::from(f.chemin.ends_with(".html"));
                e.bilan.fichiers += 1;
                e.bilan.octets += f.contenu.len();
            }
            Ok(false) => {}
            Err(x) => e.erreur = Some(x),
        }
    };
    let rendu = render_vers(root, m, &doc, &theme, None, opts, &ecrire);
    mutu_base::memoire::liberer(doc);
    let Etat { ecriture, mut bilan, erreur } = etat.into_inner().unwrap_or_else(|p| p.into_inner());
    // On a render error, `ecriture` is dropped here: its folder removed.
    let (pdf_pages, avertissements) = rendu?;
    if let Some(e) = erreur {
        return Err(ecriture_impossible(e));
    }
    ecriture.terminer().map_err(ecriture_impossible)?;
    bilan.pdf_pages = pdf_pages;
    bilan.avertissements = avertissements;
    bilan.millisecondes = start.elapsed().as_millis();
    Ok(bilan)
}

/// `mutu build` (alias `construire`): the site, the open data and the PDF
/// into `sortie` (`public/` in the project by default), replaced in one
/// move at the end, never over a folder that is not mutu's.
pub fn run(racine: &Path, sortie: Option<std::path::PathBuf>, audience: mutu_model::audience::Audience, pdf: bool, extraits: bool) -> i32 {
    let par_defaut = sortie.is_none();
    let sortie = sortie.unwrap_or_else(|| racine.join("public"));
    if let Err(r) = mutu_base::output::regles::dossier_remplacable(racine, &sortie, par_defaut) {
        return super::sortie_refusee(&r, &sortie);
    }
    // Never reads a project an import is writing.
    let _projet = mutu_import::ecriture::verrou(racine, mutu_import::ecriture::attente);
    commande(
        racine,
        audience,
        &sortie,
        &Options {
            site: true,
            pdf,
            extraits,
            rechargement: None,
        },
    )
}

/// The build of a command: reads the project, builds, says what was
/// written (or why nothing was).
pub fn commande(root: &Path, audience: mutu_model::audience::Audience, sortie: &Path, opts: &Options) -> i32 {
    // The duration said at the end is the whole command's, reading included.
    let debut = std::time::Instant::now();
    let m = match super::model_or_exit(root, audience, "construction") {
        Ok(m) => m,
        Err(code) => return code,
    };
    let attente = || eprintln!("une autre commande mutu écrit dans {} : attente de sa fin…", sortie.display());
    match build(root, &m, sortie, opts, attente) {
        Ok(b) => {
            super::print_errors(&b.avertissements);
            let pdf = match b.pdf_pages {
                Some(n) => format!(", rapport PDF de {}", mutu_base::texte::pluriel(n, "page", "pages")),
                None => String::new(),
            };
            println!(
                "construction terminée : {}{pdf}, {} ({}) en {} → {}",
                mutu_base::texte::pluriel(b.pages, "page", "pages"),
                mutu_base::texte::pluriel(b.fichiers, "fichier", "fichiers"),
                mutu_base::format::octets(b.octets as u64),
                mutu_base::format::duree_ms(debut.elapsed().as_millis()),
                sortie.display()
            );
            mutu_base::memoire::liberer(m);
            0
        }
        Err(ds) => {
            super::print_errors(&ds);
            eprintln!(
                "construction échouée : {} ; le dossier {} n'a pas été modifié",
                mutu_base::texte::pluriel(ds.len(), "erreur", "erreurs"),
                sortie.display()
            );
            1
        }
    }
}
