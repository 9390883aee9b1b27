//! `mutu build` / `mutu pdf`: runs the renderers on the computed model and
//! writes their files. The site, the data files and the PDF all render the
//! same [`Document`]; the output folder is replaced atomically.

use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::fichier::Fichier;
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

/// The site, its media and data files, and the export.
fn render_site(root: &Path, m: &Modele, doc: &Document, theme: &Theme, opts: &Options) -> (Vec<Fichier>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let so = site::SiteOptions {
        html_brut: m.config.html_brut,
        url_de_base: m.config.url_de_base.clone(),
        rechargement: opts.rechargement.clone(),
    };
    let _etape = mutu_base::progress::etape("construction du site");
    // The open data and the export read only the document and the model:
    // written on another thread while the pages are rendered.
    let (site, donnees) = std::thread::scope(|s| {
        let donnees = s.spawn(|| {
            let mut f = data::render(doc);
            f.push(Fichier::new("donnees/mutu-export.json", mutu_compute::export::to_json_compact(m)));
            f
        });
        let site = site::render(doc, theme, &so);
        (site, donnees.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    match site {
        Ok(f) => files.extend(f),
        Err(d) => errors.extend(d),
    }
    let premiere_ligne = |f: &str| m.contenus.iter().find(|c| c.fichier == f).map_or(1, |c| c.premiere_ligne);
    match mutu_present::medias::fichiers_site(root, doc, premiere_ligne) {
        Ok(f) => files.extend(f),
        Err(d) => errors.extend(d),
    }
    files.extend(donnees);
    (files, errors)
}

/// Renders every requested output in memory. With both the site and a PDF,
/// the site is rendered on another thread while typst compiles.
pub fn render(root: &Path, m: &Modele, doc: &Document, theme: &Theme, engine: Option<&mut PdfEngine>, opts: &Options) -> Result<Rendu, Vec<Diagnostic>> {
    let pdf = opts.pdf || opts.extraits;
    if !(opts.site && pdf) {
        let (files, errors) = if opts.site {
            render_site(root, m, doc, theme, opts)
        } else {
            Default::default()
        };
        return render_pdf(root, doc, theme, engine, opts, m.config.pdf.pages_max(), files, errors);
    }
    std::thread::scope(|s| {
        let site = s.spawn(|| render_site(root, m, doc, theme, opts));
        let pdf = render_pdf(root, doc, theme, engine, opts, m.config.pdf.pages_max(), Vec::new(), Vec::new());
        let (mut files, mut errors) = site.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
        // Site errors first, as when the outputs are rendered in turn.
        match pdf {
            Ok(r) if errors.is_empty() => {
                files.extend(r.fichiers);
                rendu(files, r.pdf_pages, r.avertissements)
            }
            Ok(_) => Err(errors),
            Err(d) => {
                errors.extend(d);
                Err(errors)
            }
        }
    })
}

/// Sorts the files and warnings of a successful render.
fn rendu(mut files: Vec<Fichier>, pdf_pages: Option<usize>, mut avertissements: Vec<Diagnostic>) -> Result<Rendu, Vec<Diagnostic>> {
    files.sort_by(|a, b| a.chemin.cmp(&b.chemin));
    avertissements.sort_by(|a, b| (&a.code, &a.message).cmp(&(&b.code, &b.message)));
    avertissements.dedup();
    Ok(Rendu {
        fichiers: files,
        pdf_pages,
        avertissements,
    })
}

/// The PDF outputs requested, added to `files` and `errors` already
/// rendered; the report may have at most `pages_max` pages.
#[allow(clippy::too_many_arguments)]
fn render_pdf(
    root: &Path,
    doc: &Document,
    theme: &Theme,
    engine: Option<&mut PdfEngine>,
    opts: &Options,
    pages_max: usize,
    mut files: Vec<Fichier>,
    mut errors: Vec<Diagnostic>,
) -> Result<Rendu, Vec<Diagnostic>> {
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
                    files.push(Fichier::new(format!("{}.pdf", doc.nom_pdf), bytes));
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
                        files.push(f);
                        avertissements.extend(a);
                    }
                    Err(d) => errors.extend(d),
                }
            }
        }
    }
    if errors.is_empty() {
        rendu(files, pdf_pages, avertissements)
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
/// members a second engine on another thread shares the work: each engine
/// takes the next member not yet taken, so that neither waits for the
/// other when some pages are longer or the second engine starts cold.
fn extraits(root: &Path, doc: &Document, theme: &Theme, engine: &mut PdfEngine, membres: &[&str], pages_max: usize) -> Vec<Extrait> {
    fn un(engine: &mut PdfEngine, doc: &Document, id: &str) -> Extrait {
        let bytes = engine.extrait(doc, id)?;
        Ok((Fichier::new(format!("extraits/{id}.pdf"), bytes), engine.avertissements().to_vec()))
    }
    let suivant = std::sync::atomic::AtomicUsize::new(0);
    let tire = |engine: &mut PdfEngine| -> Vec<(usize, Extrait)> {
        let mut out = Vec::new();
        loop {
            let i = suivant.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(id) = membres.get(i) else { break out };
            out.push((i, un(engine, doc, id)));
        }
    };
    let coeurs = std::thread::available_parallelism().map_or(1, |n| n.get());
    if coeurs < 2 || membres.len() < 4 {
        return tire(engine).into_iter().map(|(_, e)| e).collect();
    }
    let mut tous = std::thread::scope(|s| {
        let autre = s.spawn(|| match moteur(root, doc, theme) {
            Ok(mut e) => {
                e.set_pages_max(pages_max);
                tire(&mut e)
            }
            Err(d) => vec![(usize::MAX, Err(d))],
        });
        let mut out = tire(engine);
        out.extend(autre.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        out
    });
    tous.sort_by_key(|(i, _)| *i);
    tous.into_iter().map(|(_, e)| e).collect()
}

/// Builds and writes the output folder; the previous one stays untouched
/// on any error. The output must have passed
/// [`mutu_base::output::regles::dossier_remplacable`]; when another mutu is
/// writing it, `attente` is called and the build waits for its turn.
pub fn build(root: &Path, m: &Modele, sortie: &Path, opts: &Options, attente: impl FnOnce()) -> Result<Bilan, Vec<Diagnostic>> {
    let start = Instant::now();
    let theme = theme(root, m)?;
    let doc = document(m, opts);
    let Rendu {
        fichiers: files,
        pdf_pages,
        avertissements,
    } = render(root, m, &doc, &theme, None, opts)?;
    mutu_base::memoire::liberer(doc);
    let ecrire = || {
        let verrou = mutu_base::output::Verrou::prendre(sortie, attente)?;
        mutu_base::output::write_dir_atomic(&verrou, &files)
    };
    ecrire().map_err(|e| {
        vec![Diagnostic::error(
            Code::EcritureImpossible,
            format!("impossible d'écrire le dossier de sortie {} : {e}", sortie.display()),
        )
        .hint(format!("{} ; le dossier précédent est resté intact", mutu_base::diagnostic::aide_ecriture(&e)))]
    })?;
    let bilan = Bilan {
        pages: files.iter().filter(|f| f.chemin.ends_with(".html")).count(),
        pdf_pages,
        fichiers: files.len(),
        octets: files.iter().map(|f| f.contenu.len()).sum(),
        millisecondes: start.elapsed().as_millis(),
        avertissements,
    };
    mutu_base::memoire::liberer(files);
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
