//! Presentation: the renderer-neutral document built from the computed
//! [`Modele`](mutu_compute::Modele). Every figure is formatted here once
//! (French number format); the site, the PDF and the data files (CSV/JSON)
//! render these pages and blocks and never format or compute a figure
//! themselves. That is what guarantees the same figures in every output.

pub mod blocs;
pub mod build;
pub mod catalogue;
pub mod cells;
pub mod charts;
mod enquetes;
pub mod evolutions;
mod fiches;
mod finances;
mod graphiques;
mod matrice;
pub mod medias;
mod membres;
pub mod regles;
mod services;

pub use build::{document, Options};

pub use mutu_model::config::DetailPdf;
use serde::Serialize;

/// The whole publication: metadata plus pages in reading order.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Site and report title, e.g. "Rapport sur l'avancement du schéma de mutualisation".
    pub titre: String,
    /// The title with the year, said once: `titre` when it already names
    /// the exercice, else "<titre> — exercice <année>" (PDF metadata, links
    /// to the PDF).
    pub titre_complet: String,
    /// Line under the title on the PDF cover ("Exercice 2023"), `None` when
    /// the title already names the exercice.
    pub sous_titre: Option<String>,
    /// Address of the online version (`url_de_base` of the configuration),
    /// named in the PDF instead of links to site-only pages.
    pub url_en_ligne: Option<String>,
    /// Name of the EPCI.
    pub epci_nom: String,
    /// SIREN of the EPCI: the producer named by the open data.
    pub epci_siren: String,
    /// SIRET of the EPCI's seat, when the project gives it (the SCDL
    /// délibérations row needs it).
    pub epci_siret: Option<String>,
    /// Date the prefecture received the deliberation (`AAAA-MM-JJ`), when
    /// known.
    pub date_reception: Option<String>,
    pub epci_sigle: String,
    pub exercice: i32,
    /// Date of the conseil, ISO (2024-03-29).
    pub date_conseil: String,
    /// Same, in French words ("29 mars 2024").
    pub date_conseil_texte: String,
    /// Document date for the PDF metadata, ISO; taken from the data, never the clock.
    pub date_document: String,
    pub deliberation: String,
    pub actes_id: Option<String>,
    pub signataire_nom: String,
    pub signataire_qualite: String,
    /// Transmission dates entered in rapport.yaml, in words, for the closing
    /// part of the PDF ("Transmis en préfecture le" → "3 avril 2024").
    pub transmission: Vec<Definition>,
    /// Keywords for the PDF metadata.
    pub mots_cles: Vec<String>,
    /// Project-relative path of the logo, when the EPCI has one.
    pub logo: Option<String>,
    /// File name of the PDF without extension (e.g. "rapport-mutualisation-2023").
    pub nom_pdf: String,
    /// « Projet — document non définitif » on every page while a
    /// placeholder remains in the project; `None` for the final document.
    pub mention_projet: Option<String>,
    /// Per-member detail tables left out of the PDF report
    /// (`pdf.sans_detail` of the configuration).
    #[serde(skip)]
    pub pdf_sans_detail: Vec<DetailPdf>,
    /// The report, or the catalogue of services printed on its own.
    pub genre: GenreDocument,
    pub pages: Vec<Page>,
}

/// What a document is: the annual report (annex to the deliberation) or
/// the catalogue of services, which no deliberation adopts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenreDocument {
    Rapport,
    Catalogue,
}

impl Document {
    /// The document without its pages: what the PDF cover, the metadata
    /// and every extract share. Serialising it is cheap, where serialising
    /// the whole document (to drop the pages after) cost each of the 158
    /// extracts of an agglomeration as much as its own layout.
    pub fn sans_pages(&self) -> Document {
        // Destructured, so that a field added to the document is added here.
        let Document {
            titre,
            titre_complet,
            sous_titre,
            url_en_ligne,
            epci_nom,
            epci_siren,
            epci_siret,
            date_reception,
            epci_sigle,
            exercice,
            date_conseil,
            date_conseil_texte,
            date_document,
            deliberation,
            actes_id,
            signataire_nom,
            signataire_qualite,
            transmission,
            mots_cles,
            logo,
            nom_pdf,
            mention_projet,
            pdf_sans_detail,
            genre,
            pages: _,
        } = self;
        Document {
            titre: titre.clone(),
            titre_complet: titre_complet.clone(),
            sous_titre: sous_titre.clone(),
            url_en_ligne: url_en_ligne.clone(),
            epci_nom: epci_nom.clone(),
            epci_siren: epci_siren.clone(),
            epci_siret: epci_siret.clone(),
            date_reception: date_reception.clone(),
            epci_sigle: epci_sigle.clone(),
            exercice: exercice.clone(),
            date_conseil: date_conseil.clone(),
            date_conseil_texte: date_conseil_texte.clone(),
            date_document: date_document.clone(),
            deliberation: deliberation.clone(),
            actes_id: actes_id.clone(),
            signataire_nom: signataire_nom.clone(),
            signataire_qualite: signataire_qualite.clone(),
            transmission: transmission.clone(),
            mots_cles: mots_cles.clone(),
            logo: logo.clone(),
            nom_pdf: nom_pdf.clone(),
            mention_projet: mention_projet.clone(),
            pdf_sans_detail: pdf_sans_detail.clone(),
            genre: *genre,
            pages: Vec::new(),
        }
    }

    /// Path of the workbook of every table with this extension (`ods`,
    /// `xlsx`): named after the PDF report, in the open data folder. The
    /// data renderer writes it, the downloads page links to it.
    pub fn chemin_classeur(&self, extension: &str) -> String {
        format!("donnees/{}.{extension}", self.nom_pdf)
    }
}

/// Navigation section a page belongs to (site menu; PDF part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rubrique {
    Accueil,
    Schema,
    Axes,
    Services,
    Communes,
    Finances,
    Effectifs,
    Telechargements,
    /// Accessibility statement, legal notice, site map, free pages.
    Pratique,
}

impl Rubrique {
    pub fn libelle(&self) -> &'static str {
        match self {
            Rubrique::Accueil => "Accueil",
            Rubrique::Schema => "Le schéma",
            Rubrique::Axes => "Axes et fiches-actions",
            Rubrique::Services => "Services mutualisés",
            Rubrique::Communes => "Ma commune",
            Rubrique::Finances => "Finances",
            Rubrique::Effectifs => "Effectifs",
            Rubrique::Telechargements => "Téléchargements",
            Rubrique::Pratique => "Informations pratiques",
        }
    }
}

/// One page of the site; also one section of the PDF when `pdf` is set.
#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Unique id and output path without extension, `/`-separated:
    /// "index", "schema", "services/ads", "communes/daoulas", "fiches/f01".
    pub id: String,
    pub titre: String,
    pub rubrique: Rubrique,
    /// Id of the parent page (breadcrumb); `None` for the home page.
    pub parent: Option<String>,
    /// One-sentence summary (meta description, site map).
    pub resume: Option<String>,
    pub blocs: Vec<Bloc>,
    /// Included in the main PDF report, in page order.
    pub pdf: bool,
    /// Member id when this page is a member's page (per-commune PDF extract).
    pub membre: Option<String>,
    /// Indices in `blocs` of blocks for the site only (web navigation such
    /// as « Parcourir le rapport »): the PDF leaves them out, its table of
    /// contents does that job.
    #[serde(skip)]
    pub site_seulement: Vec<usize>,
}

/// A block of content. Headings inside blocks start at level 2 (the page
/// title is level 1); renderers shift levels as they need.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Bloc {
    Titre {
        niveau: u8,
        texte: String,
        ancre: String,
    },
    /// Plain text paragraph (escaped by renderers).
    Paragraphe {
        texte: String,
    },
    /// Markdown narrative from `content/` (renderers convert it).
    Markdown {
        source: String,
        fichier: String,
    },
    /// Key figures (home page, service summary).
    Chiffres {
        chiffres: Vec<Chiffre>,
    },
    Tableau(Tableau),
    Graphique(Graphique),
    /// Term/description pairs (fields of a fiche-action, service identity).
    Definitions {
        lignes: Vec<Definition>,
    },
    Liste {
        elements: Vec<String>,
    },
    /// Year → events (history of the schéma).
    Frise {
        etapes: Vec<Etape>,
    },
    /// Status badge of a fiche-action.
    Statut {
        code: String,
        libelle: String,
    },
    /// Remark or warning box (e.g. a declared total that does not add up).
    Encadre {
        genre: GenreEncadre,
        texte: String,
    },
    /// Links to other pages (lists of services, fiches, communes).
    Liens {
        liens: Vec<Lien>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GenreEncadre {
    Information,
    Avertissement,
}

#[derive(Debug, Clone, Serialize)]
pub struct Chiffre {
    pub libelle: String,
    /// Formatted value ("1 234 567 €", "22").
    pub valeur: String,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Definition {
    pub terme: String,
    /// One or more values; each a plain-text line.
    pub valeurs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Etape {
    pub annee: String,
    pub evenements: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Lien {
    /// Target page id; `page#ancre` for a place in a page.
    pub page: String,
    pub texte: String,
    pub detail: Option<String>,
}

/// A data table. `id` is unique in the document: it names the CSV/JSON
/// files (`donnees/<id>.csv`) and anchors the table.
#[derive(Debug, Clone, Serialize)]
pub struct Tableau {
    pub id: String,
    /// Title standing on its own (data files, list of downloads, « (suite) »
    /// on a continued PDF page): « Organismes adhérents — Garage commun ».
    pub titre: String,
    /// Caption read in place (`<caption>` / typst figure caption): the title
    /// without what the page title and the heading above already say; empty
    /// when they say it all. Set by [`blocs::legendes`].
    pub legende: String,
    pub colonnes: Vec<Colonne>,
    pub lignes: Vec<Vec<Cellule>>,
    /// Total rows, rendered in `<tfoot>` / bold.
    pub pied: Vec<Vec<Cellule>>,
    /// Rule or source printed under the table (e.g. the allocation rule).
    pub note: Option<String>,
    /// The kind of a table listing the members row by row (the PDF report
    /// moves a long one to its « Détail par membre » part); `None` for
    /// other tables.
    #[serde(skip)]
    pub detail: Option<DetailPdf>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Colonne {
    pub libelle: String,
    /// Numeric columns are right-aligned.
    pub numerique: bool,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Cellule {
    /// Formatted text as shown ("186 641,00 €", "64,29 %", "Daoulas").
    pub texte: String,
    /// Exact raw value for data files ("186641.00"); `None` for text cells.
    pub valeur: Option<String>,
    /// Row header cell (`<th scope="row">`).
    pub entete: bool,
    /// Page id this cell links to; `page#ancre` for a place in a page.
    pub lien: Option<String>,
    /// Anchor of the cell's row (`id` of a row header on the site), the
    /// target of an index such as the letters of « Ma commune ».
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ancre: Option<String>,
}

/// A chart drawn at build time as SVG, with the table of its data beside it.
#[derive(Debug, Clone, Serialize)]
pub struct Graphique {
    pub id: String,
    pub titre: String,
    /// Caption read in place (`<figcaption>`), as for [`Tableau::legende`].
    pub legende: String,
    /// Text alternative (alt text / `<desc>`), a sentence summarising the data.
    pub description: String,
    /// Complete `<svg>` document, deterministic.
    pub svg: String,
    /// Id of the table holding the same data (rendered beside the chart).
    pub tableau: String,
}
