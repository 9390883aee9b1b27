//! The territory: the EPCI, its members and its external partners.

use super::values::{token_enum, Date};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Territoire {
    pub epci: Epci,
    pub membres: Vec<Membre>,
    #[serde(default)]
    pub partenaires: Vec<Partenaire>,
}

token_enum! {
    /// Legal nature of an EPCI à fiscalité propre.
    NatureEpci {
        CommunauteDeCommunes => "cc", "communauté de communes" | "communaute_de_communes";
        CommunauteAgglomeration => "ca", "communauté d'agglomération" | "communaute_d_agglomeration" | "communaute_agglomeration";
        CommunauteUrbaine => "cu", "communauté urbaine" | "communaute_urbaine";
        Metropole => "metropole", "métropole";
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Epci {
    pub id: String,
    pub nom: String,
    pub sigle: String,
    pub nature: NatureEpci,
    pub siren: String,
    /// SIRET of the seat (SIREN + NIC, 14 digits): optional, named by the
    /// SCDL délibérations file (`donnees/deliberations.csv`).
    #[serde(default)]
    pub siret: Option<String>,
    pub departement: String,
    #[serde(default)]
    pub siege: Option<String>,
    #[serde(default)]
    pub adresse: Option<String>,
    #[serde(default)]
    pub site_web: Option<String>,
    /// Path of a logo image inside the project (used on the PDF cover).
    #[serde(default)]
    pub logo: Option<String>,
    /// Declared populations of the EPCI as a whole, by millésime (cross-footed
    /// against the sum of its communes).
    #[serde(default)]
    pub populations: BTreeMap<i32, Population>,
}

impl Epci {
    /// The article its name takes in a sentence (« la CAPB », « le SIVU »),
    /// from the noun its full name opens with.
    pub fn article(&self) -> mutu_base::texte::Article {
        mutu_base::texte::Article::de_nom(&self.nom)
    }
}

token_enum! {
    /// Kind of member body.
    TypeMembre {
        Commune => "commune", "Commune";
        Ccas => "ccas", "CCAS";
        Cias => "cias", "CIAS";
        Syndicat => "syndicat", "Syndicat";
        Autre => "autre", "Autre organisme";
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Population DGF (population totale majorée) used by distribution keys.
    #[serde(default)]
    pub dgf: Option<u64>,
    /// Official total population (INSEE « population totale »: municipale +
    /// comptée à part), the figure DGF populations are built from.
    #[serde(default)]
    pub totale: Option<u64>,
    /// Official municipal population (INSEE).
    #[serde(default)]
    pub municipale: Option<u64>,
    /// Where the figure comes from; mandatory in spirit when a stand-in is used.
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Membre {
    pub id: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub genre: TypeMembre,
    /// INSEE (COG) code, required for communes.
    #[serde(default)]
    pub insee: Option<String>,
    #[serde(default)]
    pub siren: Option<String>,
    /// For a CCAS or another body: the commune it belongs to.
    #[serde(default)]
    pub commune: Option<String>,
    #[serde(default)]
    pub populations: BTreeMap<i32, Population>,
    #[serde(default)]
    pub maire: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

token_enum! {
    TypePartenaire {
        Epci => "epci", "EPCI";
        Syndicat => "syndicat", "Syndicat";
        Commune => "commune", "Commune";
        Autre => "autre", "Autre organisme";
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Partenaire {
    pub id: String,
    pub nom: String,
    #[serde(rename = "type")]
    pub genre: TypePartenaire,
    #[serde(default)]
    pub sigle: Option<String>,
    #[serde(default)]
    pub siren: Option<String>,
    /// Number of communes of a partner EPCI.
    #[serde(default)]
    pub nombre_communes: Option<u32>,
    #[serde(default)]
    pub populations: BTreeMap<i32, Population>,
    #[serde(default)]
    pub depuis: Option<Date>,
    #[serde(default)]
    pub note: Option<String>,
}

/// Which population figure a distribution key uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortePopulation {
    Dgf,
    Totale,
    Municipale,
}

impl SortePopulation {
    pub const ALL: [SortePopulation; 3] = [SortePopulation::Dgf, SortePopulation::Totale, SortePopulation::Municipale];

    pub fn libelle(self) -> &'static str {
        match self {
            SortePopulation::Dgf => "population DGF",
            SortePopulation::Totale => "population totale",
            SortePopulation::Municipale => "population municipale",
        }
    }

    /// The YAML key of the figure under `populations: {année: …}`.
    pub fn cle(self) -> &'static str {
        match self {
            SortePopulation::Dgf => "dgf",
            SortePopulation::Totale => "totale",
            SortePopulation::Municipale => "municipale",
        }
    }
}

impl Population {
    pub fn get(&self, s: SortePopulation) -> Option<u64> {
        match s {
            SortePopulation::Dgf => self.dgf,
            SortePopulation::Totale => self.totale,
            SortePopulation::Municipale => self.municipale,
        }
    }
}

/// Positions of the members and partners by id, so a body is found in
/// O(log n): territories have up to thousands of members, and linear
/// searches per allocation part made the computation quadratic. The first
/// declaration of an id wins, as with a linear search (duplicate ids are
/// reported by the checks). An index built for other slices than the ones
/// it is given is never trusted: lookups then fall back to a linear search.
#[derive(Debug, Clone, Default)]
pub struct Annuaire {
    membres: BTreeMap<String, usize>,
    partenaires: BTreeMap<String, usize>,
    tailles: (usize, usize),
}

impl Annuaire {
    pub fn new(membres: &[Membre], partenaires: &[Partenaire]) -> Annuaire {
        let mut a = Annuaire {
            tailles: (membres.len(), partenaires.len()),
            ..Annuaire::default()
        };
        for (i, m) in membres.iter().enumerate() {
            a.membres.entry(m.id.clone()).or_insert(i);
        }
        for (i, m) in partenaires.iter().enumerate() {
            a.partenaires.entry(m.id.clone()).or_insert(i);
        }
        a
    }

    /// The first member with this id.
    pub fn membre<'a>(&self, membres: &'a [Membre], id: &str) -> Option<&'a Membre> {
        if self.tailles.0 != membres.len() {
            return membres.iter().find(|m| m.id == id);
        }
        let m = membres.get(*self.membres.get(id)?)?;
        if m.id == id {
            Some(m)
        } else {
            membres.iter().find(|m| m.id == id)
        }
    }

    /// The first partner with this id.
    pub fn partenaire<'a>(&self, partenaires: &'a [Partenaire], id: &str) -> Option<&'a Partenaire> {
        if self.tailles.1 != partenaires.len() {
            return partenaires.iter().find(|m| m.id == id);
        }
        let m = partenaires.get(*self.partenaires.get(id)?)?;
        if m.id == id {
            Some(m)
        } else {
            partenaires.iter().find(|m| m.id == id)
        }
    }

    /// The one order of organisations in every table, chart legend and
    /// data file (docs/format.md, « Ordre des organismes »): the EPCI, then
    /// the communes, then the other members, then the partners, each in
    /// the order of territoire.yaml; an unknown id comes last. Sort with
    /// a stable sort keyed on this rank; a table sorted otherwise (by
    /// amount) says so in its caption.
    pub fn rang(&self, epci: &Epci, membres: &[Membre], partenaires: &[Partenaire], id: &str) -> (u8, usize) {
        if id == epci.id {
            return (0, 0);
        }
        let m = (self.membres.get(id).copied())
            .filter(|&i| self.tailles.0 == membres.len() && membres.get(i).is_some_and(|m| m.id == id))
            .or_else(|| membres.iter().position(|m| m.id == id));
        if let Some(i) = m {
            return (if membres[i].genre == TypeMembre::Commune { 1 } else { 2 }, i);
        }
        let pa = (self.partenaires.get(id).copied())
            .filter(|&i| self.tailles.1 == partenaires.len() && partenaires.get(i).is_some_and(|m| m.id == id))
            .or_else(|| partenaires.iter().position(|m| m.id == id));
        pa.map_or((4, 0), |i| (3, i))
    }

    /// Same as [`nom_organisme`], through the index.
    pub fn nom(&self, epci: &Epci, membres: &[Membre], partenaires: &[Partenaire], id: &str) -> String {
        if id == epci.id {
            return epci.sigle.clone();
        }
        self.membre(membres, id)
            .map(|m| m.nom.clone())
            .or_else(|| self.partenaire(partenaires, id).map(|m| m.sigle.clone().unwrap_or_else(|| m.nom.clone())))
            .unwrap_or_else(|| id.to_string())
    }
}

/// Display name of a body id: the EPCI's sigle, a member's name, a
/// partner's sigle (else its name); the id itself when unknown.
pub fn nom_organisme(epci: &Epci, membres: &[Membre], partenaires: &[Partenaire], id: &str) -> String {
    if id == epci.id {
        return epci.sigle.clone();
    }
    membres
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.nom.clone())
        .or_else(|| {
            partenaires
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.sigle.clone().unwrap_or_else(|| m.nom.clone()))
        })
        .unwrap_or_else(|| id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membre(id: &str, genre: TypeMembre) -> Membre {
        Membre {
            id: id.into(),
            nom: id.into(),
            genre,
            insee: None,
            siren: None,
            commune: None,
            populations: BTreeMap::new(),
            maire: None,
            note: None,
        }
    }

    /// The one order: EPCI, communes, other members, partners, each in file
    /// order (a CCAS declared between two communes comes after both), then
    /// unknown ids; the same through the index and without it.
    #[test]
    fn one_order_of_organisations() {
        let epci: Epci = serde_json::from_str(r#"{"id":"cc","nom":"CC","sigle":"CC","nature":"cc","siren":"1","departement":"24"}"#).unwrap();
        let membres = vec![
            membre("zeta", TypeMembre::Commune),
            membre("ccas-zeta", TypeMembre::Ccas),
            membre("alpha", TypeMembre::Commune),
        ];
        let partenaires: Vec<Partenaire> = serde_json::from_str(r#"[{"id":"aaa","nom":"AAA","type":"epci"}]"#).unwrap();
        let mut ids = vec!["inconnu", "aaa", "ccas-zeta", "alpha", "cc", "zeta"];
        for a in [Annuaire::new(&membres, &partenaires), Annuaire::default()] {
            ids.sort_by_key(|id| a.rang(&epci, &membres, &partenaires, id));
            assert_eq!(ids, ["cc", "zeta", "alpha", "ccas-zeta", "aaa", "inconnu"]);
            ids.reverse();
        }
    }
}
