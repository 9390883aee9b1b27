//! `data/configuration.yaml`: site and PDF settings of a project.

use super::values::{token_enum, Date};
use serde::{Deserialize, Serialize};

/// Sections of the PDF (`pdf.sections`) in their default order.
pub const SECTIONS_PDF: &[&str] = &[
    "synthese",
    "schema",
    "services",
    "fiches",
    "commande_publique",
    "effectifs",
    "contributions",
    "evolutions",
    "catalogue",
];

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub titre: String,
    /// Absolute URL where the site is published (sitemap only; links stay relative).
    #[serde(default)]
    pub url_de_base: Option<String>,
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Let raw HTML in Markdown through (escaped otherwise).
    #[serde(default)]
    pub html_brut: bool,
    #[serde(default)]
    pub pdf: ConfigPdf,
    pub accessibilite: Accessibilite,
    pub mentions_legales: MentionsLegales,
    /// Where `mutu publish` sends the site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication>,
}

/// The `publication:` block: the target of `mutu publish`, never a
/// credential. The secret keys are accepted by the reader only so that
/// `check` can say precisely why they do not belong here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    /// A folder, `sftp://utilisateur@hote[:port]/chemin` or `webdavs://hote/chemin`.
    #[serde(default)]
    pub cible: Option<String>,
    #[serde(default, skip_serializing)]
    pub mot_de_passe: Option<String>,
    #[serde(default, skip_serializing)]
    pub jeton: Option<String>,
    #[serde(default, skip_serializing)]
    pub cle_privee: Option<String>,
}

/// Whether a target's written form carries a password (`utilisateur:secret@`).
pub fn cible_avec_mot_de_passe(texte: &str) -> bool {
    let Some((_, reste)) = texte.trim().split_once("://") else { return false };
    let autorite = reste.split('/').next().unwrap_or("");
    autorite.rsplit_once('@').is_some_and(|(u, _)| u.contains(':'))
}

impl Publication {
    /// The secret keys present, by name.
    pub fn secrets(&self) -> Vec<&'static str> {
        [("mot_de_passe", &self.mot_de_passe), ("jeton", &self.jeton), ("cle_privee", &self.cle_privee)]
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(k, _)| k)
            .collect()
    }
}

fn default_theme() -> String {
    "default".into()
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigPdf {
    /// File name without extension (default: `rapport-mutualisation-<exercice>`).
    #[serde(default)]
    pub nom_fichier: Option<String>,
    /// Order of the report's sections (default order when absent).
    #[serde(default)]
    pub sections: Vec<String>,
    /// Most pages the report may have (default [`PAGES_MAX_DEFAUT`]): the
    /// layout of a report far beyond any real one would exhaust the
    /// machine's memory before it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pages_max: Option<usize>,
    /// Per-member detail tables left out of the report
    /// (`pdf.sans_detail`): the body keeps their totals, the site and the
    /// open data keep every row.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sans_detail: Vec<DetailPdf>,
}

token_enum! {
    /// A table listing the members row by row. In the PDF report, such a
    /// table longer than [`DETAIL_LIGNES_MAX`] rows goes to the final part
    /// « Détail par membre » (or out, with `pdf.sans_detail`), the body
    /// keeping its totals: the report grows with the services and the
    /// fiches, not with the members.
    DetailPdf {
        Adherents => "adherents", "organismes adhérents d'un service";
        Activite => "activite", "indicateurs d'activité par organisme";
        Repartitions => "repartitions", "répartitions des coûts par organisme";
        Contributions => "contributions", "contributions des membres";
        TitresDeRecettes => "titres_de_recettes", "titres de recettes et imputations" | "titres";
        Evolutions => "evolutions", "évolution des contributions des membres";
    }
}

/// Rows above which a per-member table leaves the body of the PDF report
/// for its « Détail par membre » part.
pub const DETAIL_LIGNES_MAX: usize = 25;

/// Page budget of the PDF report when `pdf.pages_max` is absent: ten times
/// the report of a large territory.
pub const PAGES_MAX_DEFAUT: usize = 2_000;

impl ConfigPdf {
    pub fn pages_max(&self) -> usize {
        self.pages_max.unwrap_or(PAGES_MAX_DEFAUT)
    }
}

token_enum! {
    /// RGAA conformity status.
    Conformite {
        Totale => "totalement_conforme", "totalement conforme";
        Partielle => "partiellement_conforme", "partiellement conforme";
        Non => "non_conforme", "non conforme";
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Accessibilite {
    pub etat: Conformite,
    #[serde(default)]
    pub date_audit: Option<Date>,
    #[serde(default)]
    pub taux_conformite: Option<String>,
    #[serde(default)]
    pub contenus_non_accessibles: Vec<String>,
    pub contact_courriel: String,
    #[serde(default)]
    pub contact_adresse: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MentionsLegales {
    /// Absent: deduced from the territory (see `compute::identite`).
    #[serde(default)]
    pub editeur: Option<String>,
    /// Absent: the signatory's title (data/rapport.yaml).
    #[serde(default)]
    pub directeur_publication: Option<String>,
    pub hebergeur: String,
    #[serde(default)]
    pub adresse: Option<String>,
}
