//! The offer of a pooled service, as the catalogue shows it to a commune
//! before it joins: what the service does and does not do, its unit of
//! account, its price for the coming year (a tariff, a flat fee, the key
//! of its allocation, or a grid of one or two dimensions), who is exempt,
//! who may join and on what conditions, and whom to ask.
//!
//! Written in the service's file under `offre:`; a service without one is
//! not in the catalogue.

use super::territoire::TypeMembre;
use super::values::{token_enum, Montant, Nombre};
use crate::services::Taxes;
use serde::{Deserialize, Serialize};

token_enum! {
    /// The kind of body a free tier applies to: communes, or public
    /// establishments (CCAS, CIAS, syndicates, any other member body), or
    /// the EPCI itself.
    GenrePublic {
        Commune => "commune", "commune";
        EtablissementPublic => "etablissement_public", "établissement public" | "ep" | "etablissements_publics";
        Epci => "epci", "EPCI";
    }
}

impl GenrePublic {
    /// Whether a member of kind `genre` is of this kind.
    pub fn comprend(self, genre: TypeMembre) -> bool {
        match self {
            GenrePublic::Commune => genre == TypeMembre::Commune,
            GenrePublic::EtablissementPublic => genre != TypeMembre::Commune,
            GenrePublic::Epci => false,
        }
    }
}

token_enum! {
    /// How an EPCI joins an outside pooling structure: alone, with all its
    /// communes, or with its communes and some of its public establishments.
    Perimetre {
        EpciSeul => "epci_seul", "l'EPCI seul";
        AvecCommunes => "avec_communes", "l'EPCI et toutes ses communes";
        AvecEtablissements => "avec_communes_et_etablissements", "l'EPCI, ses communes et des établissements publics";
    }
}

token_enum! {
    /// The act by which a body joins a service.
    ActeAdhesion {
        Convention => "convention", "convention";
        Deliberation => "deliberation", "délibération";
        ConventionEtDeliberation => "convention_et_deliberation", "délibération et convention" | "deliberation_et_convention";
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Offre {
    /// What the service does, in a few sentences.
    #[serde(default)]
    pub description: Option<String>,
    /// What the price includes.
    #[serde(default)]
    pub inclus: Vec<String>,
    /// What it does not include (billed apart, or not offered).
    #[serde(default)]
    pub exclus: Vec<String>,
    /// Unit of account of the price: « acte instruit », « bulletin de paie ».
    #[serde(default)]
    pub unite: Option<String>,
    #[serde(default)]
    pub prix: Option<Prix>,
    /// Bodies that pay nothing (small communes, small establishments).
    #[serde(default)]
    pub gratuite: Vec<Gratuite>,
    /// The volume assumed for a commune that would join, by key id, for
    /// the keys by values or by tariff of the service's allocations: the
    /// base of the « Et si nous adhérions ? » estimate of each commune
    /// page (a key by population needs none).
    #[serde(default)]
    pub estimation: std::collections::BTreeMap<String, Nombre>,
    #[serde(default)]
    pub conditions: Option<Conditions>,
    #[serde(default)]
    pub contact: Option<Contact>,
    /// The EPCI's own participation, when the offer is an outside
    /// structure's priced by a grid (volume × establishments).
    #[serde(default)]
    pub participation: Option<Participation>,
}

/// What the EPCI pays an outside structure whose offer is priced by a
/// two-dimensional grid: the row by the volume it uses, the column by the
/// number of public establishments its scope brings in (those under the
/// offer's free tier not counted); kept by the EPCI, or re-invoiced to the
/// communes by a key.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Participation {
    /// The year of the price (the offer's `prix.exercice`).
    pub exercice: i32,
    pub perimetre: Perimetre,
    /// The base of the grid's rows: the volume used (in the unit of the
    /// bands, e.g. Go).
    pub volume: Nombre,
    /// The public establishments brought in (third scope): ids of members.
    #[serde(default)]
    pub etablissements: Vec<String>,
    /// The key re-invoicing the participation to the communes; absent: the
    /// EPCI keeps it.
    #[serde(default)]
    pub refacturation: Option<String>,
}

/// The price of the offer for one year: one of a unit tariff, a flat fee
/// per body, the distribution key of the allocation, or a grid.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Prix {
    /// The year the price applies to (usually the coming one).
    pub exercice: i32,
    /// Price of one unit of account.
    #[serde(default)]
    pub tarif: Option<Montant>,
    /// Flat fee per body and per year.
    #[serde(default)]
    pub forfait: Option<Montant>,
    /// Id of the distribution key (data/cles.yaml) the cost is shared by.
    #[serde(default)]
    pub cle: Option<String>,
    /// A grid: amounts by band of one or two bases.
    #[serde(default)]
    pub grille: Option<GrillePrix>,
    #[serde(default)]
    pub taxes: Option<Taxes>,
    /// A remark printed under the price.
    #[serde(default)]
    pub note: Option<String>,
}

/// Amounts by band: rows (`lignes`) and, for a two-dimensional grid,
/// columns (`colonnes`); `montants` has one row per band of `lignes`, each
/// with one amount per band of `colonnes` (one amount when there is none).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GrillePrix {
    pub lignes: AxeGrille,
    #[serde(default)]
    pub colonnes: Option<AxeGrille>,
    pub montants: Vec<Vec<Montant>>,
}

/// One dimension of a grid: what it measures and its bands, in increasing
/// order.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AxeGrille {
    /// What the bands measure: « Volume de stockage », « Établissements
    /// participants ».
    pub libelle: String,
    /// The unit of the bounds (`jusqu_a`) and of a participation's
    /// volume: « Go ». Without it « 800 » would be read without a unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unite: Option<String>,
    pub paliers: Vec<Palier>,
}

/// A band: its label as read (« 1,5 To », « CDC + 3 EP ») and the upper
/// bound it stands for, which must increase from one band to the next.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Palier {
    pub libelle: String,
    pub jusqu_a: Nombre,
}

/// Bodies of a kind whose population is below a threshold pay nothing.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gratuite {
    /// The kind of body; every kind when absent.
    #[serde(default, rename = "type")]
    pub genre: Option<GenrePublic>,
    /// Bodies whose population is strictly below this figure are free.
    pub population_inferieure_a: u64,
    #[serde(default)]
    pub motif: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Conditions {
    /// Who may join: « les communes membres et leurs CCAS ».
    #[serde(default)]
    pub public: Option<String>,
    /// The act by which a body joins.
    #[serde(default)]
    pub acte: Option<ActeAdhesion>,
    /// Notice before leaving, in months.
    #[serde(default)]
    pub preavis_mois: Option<u32>,
    /// Shortest commitment, in years.
    #[serde(default)]
    pub duree_minimale_ans: Option<u32>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// A service or a person: « Service commun ADS ».
    pub nom: String,
    #[serde(default)]
    pub fonction: Option<String>,
    #[serde(default)]
    pub courriel: Option<String>,
    #[serde(default)]
    pub telephone: Option<String>,
}

impl AxeGrille {
    /// The band a base falls in: the first whose bound is at least the
    /// base, with its position; `None` beyond the last band.
    pub fn palier(&self, base: rust_decimal::Decimal) -> Option<(usize, &Palier)> {
        self.paliers.iter().enumerate().find(|(_, p)| base <= p.jusqu_a.0)
    }
}

impl GrillePrix {
    /// Number of columns: one for a one-dimensional grid.
    pub fn nb_colonnes(&self) -> usize {
        self.colonnes.as_ref().map_or(1, |c| c.paliers.len())
    }

    /// The amount for a row base and a column base: the first band whose
    /// bound is at least the base, on each axis; `None` beyond the last
    /// band or for a missing cell (which the check reports).
    pub fn montant(&self, ligne: rust_decimal::Decimal, colonne: Option<rust_decimal::Decimal>) -> Option<Montant> {
        let (i, _) = self.lignes.palier(ligne)?;
        let j = match (&self.colonnes, colonne) {
            (Some(c), Some(v)) => c.palier(v)?.0,
            (None, _) => 0,
            (Some(_), None) => return None,
        };
        self.montants.get(i)?.get(j).cloned()
    }
}

impl Offre {
    /// Whether a body of this kind and population pays nothing (the
    /// first threshold that applies).
    pub fn gratuite_pour(&self, genre: TypeMembre, population: Option<u64>) -> Option<&Gratuite> {
        let population = population?;
        self.gratuite
            .iter()
            .find(|g| g.genre.is_none_or(|k| k.comprend(genre)) && population < g.population_inferieure_a)
    }
}

/// A public establishment a participation's scope brings in.
#[derive(Debug, Clone, Copy)]
pub struct Apport<'a> {
    pub id: &'a str,
    /// The member of the territory (`None` for an unknown id, which the
    /// check reports).
    pub membre: Option<&'a super::territoire::Membre>,
    pub habitants: Option<u64>,
    /// Under the offer's free tier: brought in, not counted for the grid's
    /// column.
    pub gratuit: bool,
}

impl Participation {
    /// The establishments the scope brings in (none for the first two
    /// scopes), each with whether the offer's free tier exempts it: one
    /// rule for the check (is there a price?) and the computation.
    pub fn apports<'a>(&'a self, offre: &Offre, membres: &'a [super::territoire::Membre]) -> Vec<Apport<'a>> {
        if self.perimetre != Perimetre::AvecEtablissements {
            return Vec::new();
        }
        self.etablissements
            .iter()
            .map(|id| {
                let membre = membres.iter().find(|m| &m.id == id);
                let habitants = membre.and_then(habitants).map(|(_, n)| n);
                Apport {
                    id,
                    membre,
                    habitants,
                    gratuit: membre.is_some_and(|m| offre.gratuite_pour(m.genre, habitants).is_some()),
                }
            })
            .collect()
    }

    /// How many of them the grid's column counts.
    pub fn comptes(&self, offre: &Offre, membres: &[super::territoire::Membre]) -> usize {
        self.apports(offre, membres).iter().filter(|a| !a.gratuit).count()
    }
}

/// The inhabitants a free tier compares with its threshold: the
/// municipal population of the latest millésime the member has (the
/// total population when the municipal one is not given), with its year.
pub fn habitants(m: &super::territoire::Membre) -> Option<(i32, u64)> {
    m.populations.iter().rev().find_map(|(annee, p)| p.municipale.or(p.totale).map(|n| (*annee, n)))
}
