//! The static website: one HTML file per page of the [`Document`], plus a
//! site map, a 404 page, `sitemap.xml` (when the public address is known),
//! the search index ([`recherche`]), the stylesheet, icon, search script and
//! self-hosted fonts.
//!
//! Pages are rendered with Tera templates taken from the [`Theme`]
//! (`templates/base.html`, `page.html`, `plan-du-site.html`, `404.html` and
//! one partial per block type, `templates/blocs/<type>.html`), so a project
//! overrides a single template by placing a file at the same path. Every
//! link is relative (`../` from the page depth): the site works under any
//! sub-path and opened from disk. Text from the document is escaped by
//! Tera; only the Markdown HTML and the chart SVG are inserted as is.
//!
//! Template context (for theme authors):
//! - every page template (`page.html`, `plan-du-site.html`, `404.html`,
//!   all extending `base.html`): `site` (titre, epci_nom, epci_sigle,
//!   exercice, date_conseil, date_conseil_texte, deliberation, nom_pdf,
//!   logo: path of the logo in the site from its root, or null,
//!   mention_projet: « Projet — document non définitif » while the project
//!   holds a placeholder, else null),
//!   `page` (id, titre, resume, rubrique, rubrique_libelle, membre),
//!   `racine` ("" or "../"… to the site root), `titre_onglet`, `accueil`
//!   (href of the home page), `nav`, `fil` (breadcrumb ancestors) and
//!   `pied` (footer links), each a list of {texte, href, courant} where
//!   `courant` is the `aria-current` value or null;
//! - `page.html`: `blocs`, the blocks already rendered as HTML;
//! - `plan-du-site.html`: `rubriques` [{libelle, ancre, pages: [{titre,
//!   href, resume, enfants}]}]; `404.html`: `plan_du_site` (href);
//! - `blocs/<type>.html`: `bloc` (the block as serialised in the
//!   document, plus: `ancre` for titre/tableau/graphique, `niveau_html`
//!   for titre, `html` for markdown, `csv` href and per-cell
//!   `href`/`numerique` for tableau, `tableau_href` for graphique, per-link
//!   `href` for liens, `classe` for statut, `libelle` for encadre), `page`,
//!   `site`, `racine` and `numero` (1-based block index).
//!
//! Templates are sandboxed and checked before any page (see [`gabarits`]:
//! what a theme may call, recursion, cycles); a template error found on
//! every page is reported once.

mod gabarits;
pub mod markdown;
pub mod recherche;

use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::fichier::{Fichier, Recueil, Sortie};
use mutu_base::theme::Theme;
use mutu_present::{Bloc, Document, Page, Rubrique};
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use tera::{Context, Tera};

/// Site rendering options (from the project configuration and the command).
#[derive(Debug, Clone, Default)]
pub struct SiteOptions {
    /// Keep raw HTML written in the Markdown content (escaped otherwise).
    pub html_brut: bool,
    /// Public address of the site (`https://…`), for `sitemap.xml`;
    /// `None`: no sitemap.
    pub url_de_base: Option<String>,
    /// Serve mode: HTML inserted before `</body>` of every page (a
    /// `<script>…</script>` element; bare JavaScript is wrapped in one).
    pub rechargement: Option<String>,
}

/// Ids of the pages the renderer adds itself.
pub const PLAN_DU_SITE: &str = "plan-du-site";
pub const PAGE_404: &str = "404";

/// Renders the whole site in memory, files sorted by path. Errors: invalid
/// or duplicate page ids, links to missing pages, template errors (with
/// the template's path).
pub fn render(doc: &Document, theme: &Theme, opts: &SiteOptions) -> Result<Vec<Fichier>, Vec<Diagnostic>> {
    let recueil = Recueil::default();
    render_vers(doc, theme, opts, &|f| recueil.recoit(f))?;
    Ok(recueil.fichiers())
}

/// Renders the whole site, giving each file to `sortie` as soon as it is
/// rendered (pages from the rendering threads, in no fixed order; then the
/// site map, the search index and the theme's files), so that a build
/// need not hold the site in memory. On an error, files already given
/// must be discarded.
pub fn render_vers(doc: &Document, theme: &Theme, opts: &SiteOptions, sortie: Sortie) -> Result<(), Vec<Diagnostic>> {
    let mut diags = verifie(doc, opts);
    let tera = match gabarits::charge(theme) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            return Err(diags);
        }
    };
    if !diags.is_empty() {
        return Err(diags);
    }
    let site = Site::new(doc, theme, &tera, opts);
    // The search index needs no rendered page: built beside them.
    let (mut par_page, index) = std::thread::scope(|s| {
        let index = s.spawn(|| recherche::render(doc));
        let erreurs = site.pages(sortie);
        (erreurs, index.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    });
    for (id, rendu) in [(PLAN_DU_SITE, site.plan_du_site()), (PAGE_404, site.page_404())] {
        match rendu {
            Ok(html) => sortie(Fichier::new(format!("{id}.html"), html)),
            Err(d) => par_page.push(d),
        }
    }
    diags.extend(gabarits::regroupe(par_page));
    if !diags.is_empty() {
        return Err(diags);
    }
    if let Some(base) = &opts.url_de_base {
        sortie(Fichier::new("sitemap.xml", sitemap(doc, base)));
    }
    for f in index {
        sortie(f);
    }
    for (rel, f) in theme.under("static/") {
        sortie(Fichier::new(rel, f.bytes.to_vec()));
    }
    for (rel, f) in theme.under("fonts/") {
        let nom = &rel["fonts/".len()..];
        let ext = nom.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
        if matches!(ext.as_str(), "ttf" | "otf" | "woff" | "woff2" | "txt") {
            sortie(Fichier::new(format!("static/fonts/{nom}"), f.bytes.to_vec()));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Paths and ids

/// `../` repeated once per folder of the page id ("" for "index").
pub fn racine(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// Relative link from page `de` to page `vers`.
pub fn chemin_relatif(de: &str, vers: &str) -> String {
    format!("{}{vers}.html", racine(de))
}

pub use mutu_base::texte::slug;

/// Ids used on one page, to keep every `id` attribute unique.
#[derive(Debug, Default)]
pub struct Ids {
    pris: BTreeSet<String>,
}

impl Ids {
    /// `base`, or `base-2`, `base-3`… when already taken.
    pub fn unique(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "section" } else { base };
        let mut id = base.to_string();
        let mut n = 2;
        while self.pris.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.pris.insert(id.clone());
        id
    }

    /// Marks an id used by generated markup (caption ids, SVG title ids).
    pub fn reserve(&mut self, id: &str) {
        self.pris.insert(id.to_string());
    }
}

pub use mutu_base::texte::echappe_html;

fn echappe_xml(s: &str) -> String {
    echappe_html(s).replace("&#39;", "&apos;")
}

// ---------------------------------------------------------------------------
// Checks

fn id_valide(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').all(|s| !s.is_empty() && s != "." && s != ".." && !s.starts_with('.'))
        && id.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
}

fn id_reserve(id: &str) -> bool {
    id == PLAN_DU_SITE
        || id == PAGE_404
        || id.starts_with("static/")
        || id.starts_with("donnees/")
        || id.starts_with("extraits/")
        || id.starts_with("recherche/")
}

fn interne(code: Code, message: String) -> Diagnostic {
    Diagnostic::error(code, message).hint("le document du site est incohérent : signalez ce problème aux mainteneurs de mutu")
}

/// Is `cible` a downloadable file (a path with an extension other than
/// `.html`) rather than a page id?
fn est_fichier(cible: &str) -> bool {
    let dernier = cible.rsplit('/').next().unwrap_or("");
    dernier.contains('.') && !dernier.ends_with(".html")
}

fn verifie(doc: &Document, opts: &SiteOptions) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut ids = BTreeSet::new();
    for p in &doc.pages {
        if !id_valide(&p.id) {
            diags.push(interne(Code::PageIdentifiantInvalide, format!("identifiant de page invalide : « {} »", p.id)));
        } else if id_reserve(&p.id) {
            diags.push(interne(
                Code::PageIdentifiantReserve,
                format!("l'identifiant de page « {} » est réservé par le site", p.id),
            ));
        }
        if !ids.insert(p.id.as_str()) {
            diags.push(interne(Code::DocumentPageEnDouble, format!("deux pages ont l'identifiant « {} »", p.id)));
        }
    }
    let parents: BTreeMap<&str, Option<&str>> = doc.pages.iter().map(|p| (p.id.as_str(), p.parent.as_deref())).collect();
    let mut tableaux = BTreeSet::new();
    for p in &doc.pages {
        if let Some(parent) = &p.parent {
            if !ids.contains(parent.as_str()) {
                diags.push(interne(
                    Code::PageParentIntrouvable,
                    format!("la page « {} » a pour parent « {parent} », qui n'existe pas", p.id),
                ));
            }
        }
        // Cycles in the parent chain.
        let mut vus = BTreeSet::new();
        let mut courant = Some(p.id.as_str());
        while let Some(id) = courant {
            if !vus.insert(id) {
                diags.push(interne(
                    Code::PageParentCycle,
                    format!("la chaîne des pages parentes de « {} » forme une boucle", p.id),
                ));
                break;
            }
            courant = parents.get(id).copied().flatten();
        }
        for b in &p.blocs {
            let mut cibles: Vec<&str> = Vec::new();
            match b {
                Bloc::Tableau(t) => {
                    if !tableaux.insert(t.id.as_str()) {
                        diags.push(interne(Code::TableauEnDouble, format!("deux tableaux ont l'identifiant « {} »", t.id)));
                    }
                    cibles.extend(t.lignes.iter().chain(&t.pied).flatten().filter_map(|c| c.lien.as_deref()));
                }
                Bloc::Liens { liens } => cibles.extend(liens.iter().map(|l| l.page.as_str())),
                _ => {}
            }
            for c in cibles {
                let c = c.split_once('#').map_or(c, |(page, _)| page);
                if !ids.contains(c) && !est_fichier(c) {
                    diags.push(interne(
                        Code::DocumentLienCasse,
                        format!("la page « {} » renvoie vers la page « {c} », qui n'existe pas", p.id),
                    ));
                }
            }
        }
    }
    let tous: BTreeSet<&str> = doc
        .pages
        .iter()
        .flat_map(|p| &p.blocs)
        .filter_map(|b| if let Bloc::Tableau(t) = b { Some(t.id.as_str()) } else { None })
        .collect();
    for p in &doc.pages {
        for b in &p.blocs {
            if let Bloc::Graphique(g) = b {
                if !tous.contains(g.tableau.as_str()) {
                    diags.push(interne(
                        Code::GraphiqueSansTableau,
                        format!("le graphique « {} » renvoie au tableau « {} », qui n'existe pas", g.id, g.tableau),
                    ));
                }
            }
        }
    }
    if let Some(u) = &opts.url_de_base {
        let ok = (u.starts_with("https://") || u.starts_with("http://")) && !u.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>' | '\''));
        if !ok {
            diags.push(
                Diagnostic::error(Code::UrlDeBaseInvalide, format!("adresse du site invalide : « {u} »"))
                    .expected("une adresse complète commençant par « https:// », par exemple « https://www.exemple.fr/mutualisation »"),
            );
        }
    }
    diags
}

// ---------------------------------------------------------------------------
// Pages

#[derive(Serialize, Clone)]
struct SiteCtx<'a> {
    titre: &'a str,
    epci_nom: &'a str,
    epci_sigle: &'a str,
    exercice: i32,
    date_conseil: &'a str,
    date_conseil_texte: &'a str,
    deliberation: &'a str,
    nom_pdf: &'a str,
    /// Site path of the EPCI's logo (copied under `medias/`), if any.
    logo: Option<String>,
    /// The draft mark, while the project holds a placeholder.
    mention_projet: Option<&'a str>,
}

#[derive(Serialize)]
struct PageCtx<'a> {
    id: &'a str,
    titre: &'a str,
    resume: Option<&'a str>,
    rubrique: Rubrique,
    rubrique_libelle: &'static str,
    membre: Option<&'a str>,
}

#[derive(Serialize)]
struct LienCtx {
    texte: String,
    href: String,
    /// `aria-current` value: "page" for the current page, "true" for the
    /// current section.
    courant: Option<&'static str>,
}

#[derive(Serialize)]
struct BaseCtx<'a> {
    site: SiteCtx<'a>,
    page: PageCtx<'a>,
    /// Prefix from the page to the site root ("", "../"…).
    racine: String,
    titre_onglet: String,
    nav: Vec<LienCtx>,
    fil: Vec<LienCtx>,
    pied: Vec<LienCtx>,
    accueil: String,
}

#[derive(Serialize)]
struct NoeudPlan {
    titre: String,
    href: String,
    resume: Option<String>,
    enfants: Vec<NoeudPlan>,
}

#[derive(Serialize)]
struct RubriquePlan {
    libelle: &'static str,
    ancre: String,
    pages: Vec<NoeudPlan>,
}

struct Site<'a> {
    doc: &'a Document,
    theme: &'a Theme,
    tera: &'a Tera,
    opts: &'a SiteOptions,
    ids: BTreeSet<String>,
    index: BTreeMap<&'a str, &'a Page>,
    /// Table id → page id holding it.
    tableaux: BTreeMap<&'a str, &'a str>,
    accueil: String,
    /// Entry page of each menu section ([`Site::rubriques`]), computed once.
    entrees: Vec<(Rubrique, &'a Page)>,
    /// Pages linked from every footer, in document order.
    pratiques: Vec<&'a Page>,
    /// Site path of the logo, if any.
    logo: Option<String>,
}

impl<'a> Site<'a> {
    fn new(doc: &'a Document, theme: &'a Theme, tera: &'a Tera, opts: &'a SiteOptions) -> Self {
        let index: BTreeMap<&str, &Page> = doc.pages.iter().map(|p| (p.id.as_str(), p)).collect();
        let mut tableaux = BTreeMap::new();
        for p in &doc.pages {
            for b in &p.blocs {
                if let Bloc::Tableau(t) = b {
                    tableaux.entry(t.id.as_str()).or_insert(p.id.as_str());
                }
            }
        }
        let accueil = if index.contains_key("index") {
            "index".to_string()
        } else {
            doc.pages
                .iter()
                .find(|p| p.rubrique == Rubrique::Accueil)
                .or(doc.pages.first())
                .map(|p| p.id.clone())
                .unwrap_or_else(|| "index".into())
        };
        let pratiques = doc
            .pages
            .iter()
            .filter(|p| p.rubrique == Rubrique::Pratique && p.parent.as_deref().and_then(|x| index.get(x)).is_none_or(|q| q.rubrique != Rubrique::Pratique))
            .collect();
        let mut site = Site {
            doc,
            theme,
            tera,
            opts,
            ids: doc.pages.iter().map(|p| p.id.clone()).collect(),
            index,
            tableaux,
            accueil,
            entrees: Vec::new(),
            pratiques,
            logo: mutu_present::medias::logo(doc).map(|r| mutu_model::medias::chemin_sortie(&r)),
        };
        site.entrees = site.rubriques();
        site
    }

    /// Renders every page of the document, giving each to `sortie` as
    /// soon as it is rendered; returns the errors, in the order of the
    /// pages. Pages are independent: they are shared out among the
    /// processor's cores (up to eight).
    fn pages(&self, sortie: Sortie) -> Vec<Vec<Diagnostic>> {
        let pages = &self.doc.pages;
        let fils = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8).min(pages.len()).max(1);
        let rendus = mutu_base::parallele::partage(pages.len(), &mut (), vec![(); fils - 1], |_, i| {
            let p = &pages[i];
            match self.page(p) {
                Ok(html) => {
                    sortie(Fichier::new(format!("{}.html", p.id), html));
                    None
                }
                Err(d) => Some(d),
            }
        });
        rendus.into_iter().flatten().collect()
    }

    fn site_ctx(&self) -> SiteCtx<'a> {
        let d = self.doc;
        SiteCtx {
            titre: &d.titre,
            epci_nom: &d.epci_nom,
            epci_sigle: &d.epci_sigle,
            exercice: d.exercice,
            date_conseil: &d.date_conseil,
            date_conseil_texte: &d.date_conseil_texte,
            deliberation: &d.deliberation,
            nom_pdf: &d.nom_pdf,
            logo: self.logo.clone(),
            mention_projet: d.mention_projet.as_deref(),
        }
    }

    /// Entry page of each menu section, in the section order.
    fn rubriques(&self) -> Vec<(Rubrique, &'a Page)> {
        let mut out: Vec<(Rubrique, &Page)> = Vec::new();
        let mut rubriques: Vec<Rubrique> = self.doc.pages.iter().map(|p| p.rubrique).collect();
        rubriques.sort();
        rubriques.dedup();
        for r in rubriques {
            let pages = || self.doc.pages.iter().filter(move |p| p.rubrique == r);
            let tete = pages()
                .find(|p| p.parent.as_deref().and_then(|id| self.index.get(id)).is_none_or(|q| q.rubrique != r))
                .or_else(|| pages().next());
            if let Some(p) = tete {
                out.push((r, p));
            }
        }
        out
    }

    fn base(&self, id: &'a str, titre: &'a str, resume: Option<&'a str>, rubrique: Rubrique, membre: Option<&'a str>, parent: Option<&'a str>) -> BaseCtx<'a> {
        let nav = self
            .entrees
            .iter()
            .copied()
            .filter(|(r, _)| *r != Rubrique::Pratique)
            .map(|(r, p)| LienCtx {
                texte: r.libelle().to_string(),
                href: chemin_relatif(id, &p.id),
                courant: if p.id == id {
                    Some("page")
                } else if r == rubrique && id != PAGE_404 && id != PLAN_DU_SITE {
                    Some("true")
                } else {
                    None
                },
            })
            .collect();
        // Breadcrumb: ancestors from the root.
        let mut fil = Vec::new();
        let mut courant = parent;
        let mut vus = BTreeSet::new();
        while let Some(pid) = courant {
            if !vus.insert(pid) {
                break;
            }
            let Some(p) = self.index.get(pid) else { break };
            fil.push(LienCtx {
                texte: p.titre.clone(),
                href: chemin_relatif(id, &p.id),
                courant: None,
            });
            courant = p.parent.as_deref();
        }
        fil.reverse();
        let mut pied: Vec<LienCtx> = self
            .pratiques
            .iter()
            .map(|p| LienCtx {
                texte: p.titre.clone(),
                href: chemin_relatif(id, &p.id),
                courant: (p.id == id).then_some("page"),
            })
            .collect();
        pied.push(LienCtx {
            texte: "Plan du site".into(),
            href: chemin_relatif(id, PLAN_DU_SITE),
            courant: (id == PLAN_DU_SITE).then_some("page"),
        });
        // The page's title, then the report's, the year said once
        // (« L'essentiel de l'exercice 2023 — Rapport de mutualisation : … »).
        let titre_onglet = if titre == self.doc.titre {
            titre.to_string()
        } else if mutu_present::blocs::dit_annee(titre, self.doc.exercice) {
            mutu_present::blocs::avec_annee(&[titre, &self.doc.titre], " — ", self.doc.exercice, " ")
        } else {
            format!("{titre} — {}", self.doc.titre)
        };
        BaseCtx {
            site: self.site_ctx(),
            page: PageCtx {
                id,
                titre,
                resume,
                rubrique,
                rubrique_libelle: rubrique.libelle(),
                membre,
            },
            racine: racine(id),
            titre_onglet,
            nav,
            fil,
            pied,
            accueil: chemin_relatif(id, &self.accueil),
        }
    }

    fn rend(&self, gabarit: &str, ctx: &Context) -> Result<String, Vec<Diagnostic>> {
        self.tera
            .render(gabarit, ctx)
            .map_err(|e| vec![gabarits::erreur_rendu(self.theme, self.tera, gabarit, &e)])
    }

    fn finalise(&self, mut html: String) -> Vec<u8> {
        if let Some(script) = &self.opts.rechargement {
            let script = if script.trim_start().starts_with('<') {
                script.clone()
            } else {
                format!("<script>{script}</script>")
            };
            match html.rfind("</body>") {
                Some(p) => html.insert_str(p, &format!("{script}\n")),
                None => html.push_str(&script),
            }
        }
        html.into_bytes()
    }

    fn page(&self, page: &'a Page) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let base = self.base(
            &page.id,
            &page.titre,
            page.resume.as_deref(),
            page.rubrique,
            page.membre.as_deref(),
            page.parent.as_deref(),
        );
        let mut ids = Ids::default();
        for reserve in ["contenu"] {
            ids.unique(reserve);
        }
        // Block anchors first, so Markdown headings avoid them.
        let mut ancres: Vec<Option<String>> = Vec::new();
        for b in &page.blocs {
            ancres.push(match b {
                Bloc::Titre { ancre, .. } => Some(ids.unique(&slug(ancre))),
                Bloc::Tableau(t) => {
                    let a = ids.unique(&t.id);
                    ids.reserve(&format!("{a}-legende"));
                    Some(a)
                }
                Bloc::Graphique(g) => {
                    for id in g.svg.split(" id=\"").skip(1).filter_map(|s| s.split('"').next()) {
                        ids.reserve(id);
                    }
                    Some(ids.unique(&g.id))
                }
                _ => None,
            });
        }
        let mut niveau: u8 = 1;
        let mut diags = Vec::new();
        let mut blocs = Vec::new();
        // The block context is built as JSON and moved into Tera's context:
        // `Context::insert` would serialise a copy of each (possibly
        // thousand-row) block again.
        let commun = [
            ("page", serde_json::to_value(&base.page).unwrap_or(Value::Null)),
            ("site", serde_json::to_value(&base.site).unwrap_or(Value::Null)),
            ("racine", json!(base.racine)),
        ];
        for (k, b) in page.blocs.iter().enumerate() {
            let mut v = serde_json::to_value(b).unwrap_or(Value::Null);
            self.enrichit(page, k, b, &mut v, ancres[k].as_deref(), &mut ids, &mut niveau, &mut diags);
            let genre = v.get("type").and_then(Value::as_str).unwrap_or("paragraphe").to_string();
            let mut donnees = serde_json::Map::new();
            donnees.insert("bloc".into(), v);
            for (cle, valeur) in &commun {
                donnees.insert((*cle).into(), valeur.clone());
            }
            donnees.insert("numero".into(), json!(k + 1));
            let ctx = Context::from_value(Value::Object(donnees)).unwrap_or_default();
            match self.rend(&format!("blocs/{genre}.html"), &ctx) {
                Ok(h) => blocs.push(h),
                Err(d) => diags.extend(d),
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let mut ctx = Context::from_serialize(&base).map_err(|e| vec![gabarits::erreur_rendu(self.theme, self.tera, "page.html", &e)])?;
        ctx.insert("blocs", &blocs);
        Ok(self.finalise(self.rend("page.html", &ctx)?))
    }

    /// Adds what templates need beyond the document: relative hrefs, HTML
    /// heading levels, unique anchors, the Markdown's HTML.
    #[allow(clippy::too_many_arguments)]
    fn enrichit(&self, page: &Page, k: usize, b: &Bloc, v: &mut Value, ancre: Option<&str>, ids: &mut Ids, niveau: &mut u8, diags: &mut Vec<Diagnostic>) {
        let de = page.id.as_str();
        let lien = |cible: &str| -> String {
            // `page#ancre`: a place in a page (in this one: the anchor alone).
            let (cible, fragment) = match cible.split_once('#') {
                Some((c, f)) => (c, format!("#{f}")),
                None => (cible, String::new()),
            };
            if cible == de && !fragment.is_empty() {
                fragment
            } else if self.ids.contains(cible) {
                format!("{}{fragment}", chemin_relatif(de, cible))
            } else {
                format!("{}{}{fragment}", racine(de), cible.trim_start_matches('/'))
            }
        };
        let Some(obj) = v.as_object_mut() else { return };
        if let Some(a) = ancre {
            obj.insert("ancre".into(), json!(a));
        }
        match b {
            Bloc::Titre { niveau: n, .. } => {
                let h = (*n).clamp(2, 6).min(niveau.saturating_add(1)).max(2);
                *niveau = h;
                obj.insert("niveau_html".into(), json!(h));
            }
            Bloc::Markdown { source, fichier } => {
                let ctx = markdown::Contexte {
                    page: de,
                    pages: &self.ids,
                    html_brut: self.opts.html_brut,
                    bloc: k,
                    fichier,
                };
                let html = markdown::convertit(source, &ctx, ids, niveau, diags);
                obj.insert("html".into(), json!(html));
            }
            Bloc::Tableau(t) => {
                obj.insert("csv".into(), json!(format!("{}donnees/{}.csv", racine(de), t.id)));
                for cle in ["lignes", "pied"] {
                    let source = if cle == "lignes" { &t.lignes } else { &t.pied };
                    if let Some(Value::Array(lignes)) = obj.get_mut(cle) {
                        for (ligne, src) in lignes.iter_mut().zip(source) {
                            if let Value::Array(cells) = ligne {
                                for (j, (c, sc)) in cells.iter_mut().zip(src).enumerate() {
                                    if let Some(o) = c.as_object_mut() {
                                        o.insert("numerique".into(), json!(t.colonnes.get(j).is_some_and(|c| c.numerique)));
                                        o.insert("href".into(), json!(sc.lien.as_deref().map(lien)));
                                    }
                                }
                            }
                        }
                    }
                }
            }
            Bloc::Graphique(g) => {
                let href = self.tableaux.get(g.tableau.as_str()).map(|p| {
                    if *p == de {
                        format!("#{}", g.tableau)
                    } else {
                        format!("{}#{}", chemin_relatif(de, p), g.tableau)
                    }
                });
                obj.insert("tableau_href".into(), json!(href));
            }
            Bloc::Liens { liens } => {
                // Links of a letter or two (an alphabetical index) set on one line.
                obj.insert("courts".into(), json!(liens.iter().all(|l| l.texte.chars().count() <= 2)));
                if let Some(Value::Array(ls)) = obj.get_mut("liens") {
                    for (l, src) in ls.iter_mut().zip(liens) {
                        if let Some(o) = l.as_object_mut() {
                            o.insert("href".into(), json!(lien(&src.page)));
                        }
                    }
                }
            }
            Bloc::Statut { code, .. } => {
                obj.insert("classe".into(), json!(slug(code)));
            }
            Bloc::Encadre { genre, .. } => {
                let libelle = match genre {
                    mutu_present::GenreEncadre::Information => "Information",
                    mutu_present::GenreEncadre::Avertissement => "Attention",
                };
                obj.insert("libelle".into(), json!(libelle));
            }
            _ => {}
        }
    }

    fn plan_du_site(&self) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let accueil_parent = Some(self.accueil.as_str()).filter(|a| self.index.contains_key(a));
        let base = self.base(
            PLAN_DU_SITE,
            "Plan du site",
            Some("Toutes les pages du site, par rubrique."),
            Rubrique::Pratique,
            None,
            accueil_parent,
        );
        let mut rubriques: Vec<Rubrique> = self.doc.pages.iter().map(|p| p.rubrique).collect();
        rubriques.push(Rubrique::Pratique);
        rubriques.sort();
        rubriques.dedup();
        let mut plan = Vec::new();
        for r in rubriques {
            let mut pages: Vec<NoeudPlan> = self
                .doc
                .pages
                .iter()
                .filter(|p| p.rubrique == r && p.parent.as_deref().and_then(|x| self.index.get(x)).is_none_or(|q| q.rubrique != r))
                .map(|p| self.noeud(p, r, 0))
                .collect();
            if r == Rubrique::Pratique {
                pages.push(NoeudPlan {
                    titre: "Plan du site".into(),
                    href: format!("{PLAN_DU_SITE}.html"),
                    resume: None,
                    enfants: Vec::new(),
                });
            }
            plan.push(RubriquePlan {
                libelle: r.libelle(),
                ancre: slug(r.libelle()),
                pages,
            });
        }
        let mut ctx = Context::from_serialize(&base).map_err(|e| vec![gabarits::erreur_rendu(self.theme, self.tera, "plan-du-site.html", &e)])?;
        ctx.insert("rubriques", &plan);
        Ok(self.finalise(self.rend("plan-du-site.html", &ctx)?))
    }

    fn noeud(&self, p: &'a Page, r: Rubrique, profondeur: usize) -> NoeudPlan {
        let enfants = if profondeur > 32 {
            Vec::new()
        } else {
            self.doc
                .pages
                .iter()
                .filter(|q| q.rubrique == r && q.parent.as_deref() == Some(p.id.as_str()) && q.id != p.id)
                .map(|q| self.noeud(q, r, profondeur + 1))
                .collect()
        };
        NoeudPlan {
            titre: p.titre.clone(),
            href: format!("{}.html", p.id),
            resume: p.resume.clone(),
            enfants,
        }
    }

    fn page_404(&self) -> Result<Vec<u8>, Vec<Diagnostic>> {
        let base = self.base(PAGE_404, "Page introuvable", None, Rubrique::Pratique, None, None);
        let mut ctx = Context::from_serialize(&base).map_err(|e| vec![gabarits::erreur_rendu(self.theme, self.tera, "404.html", &e)])?;
        ctx.insert("plan_du_site", &format!("{PLAN_DU_SITE}.html"));
        Ok(self.finalise(self.rend("404.html", &ctx)?))
    }
}

/// `sitemap.xml` with absolute addresses under `base`.
fn sitemap(doc: &Document, base: &str) -> Vec<u8> {
    let base = base.trim_end_matches('/');
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let date = if doc.date_document.len() == 10 && doc.date_document.chars().all(|c| c.is_ascii_digit() || c == '-') {
        Some(doc.date_document.as_str())
    } else {
        None
    };
    let ids = doc.pages.iter().map(|p| p.id.as_str()).chain([PLAN_DU_SITE]);
    for id in ids {
        s.push_str(&format!("  <url><loc>{}</loc>", echappe_xml(&format!("{base}/{id}.html"))));
        if let Some(d) = date {
            s.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(racine("index"), "");
        assert_eq!(racine("services/ads"), "../");
        assert_eq!(chemin_relatif("services/ads", "index"), "../index.html");
        assert_eq!(chemin_relatif("a/b/c", "services/ads"), "../../services/ads.html");
    }

    #[test]
    fn slugs() {
        assert_eq!(slug("Coût réparti : l'œuvre 2023 !"), "cout-reparti-l-oeuvre-2023");
        assert_eq!(slug("  "), "");
        let mut ids = Ids::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-2");
        assert_eq!(ids.unique(""), "section");
    }

    #[test]
    fn html_escaping() {
        assert_eq!(
            echappe_html("l'œuvre <b>« 5 € & 2 »</b> \"x\""),
            "l&#39;œuvre &lt;b&gt;« 5 € &amp; 2 »&lt;/b&gt; &quot;x&quot;"
        );
        assert_eq!(echappe_html("Écrit à Landerneau"), "Écrit à Landerneau");
        assert_eq!(echappe_html(""), "");
        assert_eq!(echappe_html("&"), "&amp;");
    }

    #[test]
    fn page_ids() {
        assert!(id_valide("services/ads"));
        assert!(!id_valide("../x") && !id_valide("/x") && !id_valide("a//b") && !id_valide("a b") && !id_valide(""));
        assert!(id_reserve("404") && id_reserve("donnees/x"));
    }
}
