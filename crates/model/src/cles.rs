//! Distribution keys: how a cost is split among the bodies that share it.

use super::territoire::SortePopulation;
use super::values::{token_enum, Date, Montant, Nombre, Pourcentage};
use crate::yaml::errors::custom_error;
use mutu_base::codes::Code;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

token_enum! {
    /// What the shares are proportional to.
    BaseCle {
        Forfait => "forfait", "quotité forfaitaire" | "quotite_forfaitaire";
        PopulationDgf => "population_dgf", "population DGF";
        PopulationTotale => "population_totale", "population totale";
        PopulationMunicipale => "population_municipale", "population municipale";
        TempsPasse => "temps_passe", "temps passé";
        NombreDePaies => "nombre_de_paies", "nombre de paies" | "nombre_de_salaires";
        NombreDEcritures => "nombre_d_ecritures", "nombre d'écritures" | "nombre_ecritures";
        Valeurs => "valeurs", "valeurs de base";
        UnitesDOeuvre => "unites_d_oeuvre", "unités d'œuvre × tarif" | "unites_oeuvre";
        Grille => "grille", "grille tarifaire";
    }
}

/// How a kind of key turns a beneficiary's base into a part: the one
/// question the checks, the computation, the explanation of changes and
/// the wording ask of a kind. They match on this, never on [`BaseCle`]'s
/// variants, so a new kind of key is one line of `BaseCle` and one arm of
/// [`BaseCle::calcul`] (and its row in docs/format.md, which a test
/// demands).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calcul {
    /// Shares of a total in proportion to a population of the register
    /// (the key's `millesime`).
    Population(SortePopulation),
    /// Shares of a total fixed by the key's values, percentages that sum
    /// to 100 (quotité forfaitaire).
    Quotites,
    /// Shares of a total in proportion to the values entered (time spent,
    /// payslips, entries, any base).
    Valeurs,
    /// An amount of its own: the quantity entered × the key's `tarif`.
    Tarif,
    /// An amount of its own: the `tranches` band of the beneficiary's DGF
    /// population, × its number of structures (1 by default).
    Grille,
}

impl BaseCle {
    /// How this kind computes a part.
    pub fn calcul(self) -> Calcul {
        match self {
            BaseCle::PopulationDgf => Calcul::Population(SortePopulation::Dgf),
            BaseCle::PopulationTotale => Calcul::Population(SortePopulation::Totale),
            BaseCle::PopulationMunicipale => Calcul::Population(SortePopulation::Municipale),
            BaseCle::Forfait => Calcul::Quotites,
            BaseCle::TempsPasse | BaseCle::NombreDePaies | BaseCle::NombreDEcritures | BaseCle::Valeurs => Calcul::Valeurs,
            BaseCle::UnitesDOeuvre => Calcul::Tarif,
            BaseCle::Grille => Calcul::Grille,
        }
    }

    /// Tariff keys produce amounts from quantities; the others split a total.
    pub fn is_tariff(self) -> bool {
        matches!(self.calcul(), Calcul::Tarif | Calcul::Grille)
    }

    pub fn is_population(self) -> bool {
        matches!(self.calcul(), Calcul::Population(_))
    }

    /// The population figure this key reads (grids use the DGF population).
    pub fn sorte_population(self) -> Option<SortePopulation> {
        match self.calcul() {
            Calcul::Population(s) => Some(s),
            Calcul::Grille => Some(SortePopulation::Dgf),
            _ => None,
        }
    }

    /// Whether the kind's label says something to a reader beside the
    /// key's own label: « valeurs de base » is the format's word, not the
    /// reader's, and is left out of sentences and headings.
    pub fn nomme_sa_base(self) -> bool {
        self != BaseCle::Valeurs
    }
}

impl Cle {
    /// A tariff key's quantity and unit price for a beneficiary whose base
    /// is `base` (the quantity entered, or the population for a grid):
    /// the part is their product (before exemption and pro rata). `None`
    /// for a key that splits a total, and for a tariff without price or a
    /// grid without a band for that population (the checks report both).
    pub fn quantite_et_prix(&self, beneficiaire: &str, base: rust_decimal::Decimal) -> Option<(rust_decimal::Decimal, rust_decimal::Decimal)> {
        use rust_decimal::Decimal;
        match self.base.calcul() {
            Calcul::Tarif => Some((base, self.tarif?.0)),
            Calcul::Grille => {
                let tranche = self.tranches.iter().find(|t| t.jusqu_a.is_none_or(|max| base <= Decimal::from(max)))?;
                let structures = self.valeurs.as_ref().and_then(|v| v.get(beneficiaire)).map(|n| n.0).unwrap_or(Decimal::ONE);
                Some((structures, tranche.montant.0))
            }
            _ => None,
        }
    }
}

token_enum! {
    /// Rounding unit of allocated parts.
    Arrondi {
        Centime => "centime", "au centime";
        Euro => "euro", "à l'euro";
    }
}

/// Who a key applies to: every member commune, every member, or a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Beneficiaires {
    Communes,
    Membres,
    Liste(Vec<String>),
}

impl Beneficiaires {
    /// The ids of the bodies named, in the order of the territory.
    pub fn ids(&self, membres: &[super::territoire::Membre]) -> Vec<String> {
        use super::territoire::TypeMembre;
        match self {
            Beneficiaires::Communes => membres.iter().filter(|m| m.genre == TypeMembre::Commune).map(|m| m.id.clone()).collect(),
            Beneficiaires::Membres => membres.iter().map(|m| m.id.clone()).collect(),
            Beneficiaires::Liste(v) => v.clone(),
        }
    }
}

impl Cle {
    /// The bodies this key shares a cost among in year `y`: its
    /// beneficiaries (population keys and grids, communes by default) or the
    /// bodies with a base value that year.
    pub fn beneficiaires_de(&self, y: i32, membres: &[super::territoire::Membre]) -> Vec<String> {
        if self.base.sorte_population().is_some() {
            return self.beneficiaires.as_ref().unwrap_or(&Beneficiaires::Communes).ids(membres);
        }
        let valeurs = self.valeurs_par_exercice.as_ref().and_then(|v| v.get(&y)).or(self.valeurs.as_ref());
        valeurs.map(|v| v.keys().cloned().collect()).unwrap_or_default()
    }
}

impl Periode {
    /// Whole months of year `y` between `du` and `au` (see [`mois_couverts`]).
    pub fn mois(&self, y: i32) -> u32 {
        mois_couverts(y, self.du, self.au)
    }
}

/// Months of year `y` covered by a period, counted whole: a body that joins
/// on 1 April has 9, on 15 April 8; one that leaves on 30 June has 6. The
/// one rule for pro rata temporis and for adhesion dates.
pub fn mois_couverts(y: i32, du: Option<Date>, au: Option<Date>) -> u32 {
    let start = match du {
        None => 1,
        Some(d) if d.annee < y => 1,
        Some(d) if d.annee > y => 13,
        Some(d) => d.mois as i32 + if d.jour > 1 { 1 } else { 0 },
    };
    let end = match au {
        None => 12,
        Some(d) if d.annee > y => 12,
        Some(d) if d.annee < y => 0,
        Some(d) => {
            let last = Date::new(d.annee, d.mois, 31)
                .or(Date::new(d.annee, d.mois, 30))
                .or(Date::new(d.annee, d.mois, 29))
                .or(Date::new(d.annee, d.mois, 28));
            d.mois as i32 - if Some(d) == last { 0 } else { 1 }
        }
    };
    (end - start + 1).clamp(0, 12) as u32
}

impl<'de> Deserialize<'de> for Beneficiaires {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Beneficiaires;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("mutu:« communes », « membres », « toutes » ou une liste d'identifiants")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Beneficiaires, E> {
                match super::values::normalize_token(v).as_str() {
                    "communes" | "toutes_les_communes" => Ok(Beneficiaires::Communes),
                    "membres" | "tous" | "toutes" | "tous_les_membres" => Ok(Beneficiaires::Membres),
                    _ => Err(custom_error(
                        Code::ValeurInconnue,
                        &format!("valeur « {v} » non reconnue"),
                        "« communes », « membres », « toutes » ou une liste d'identifiants",
                        &mutu_base::suggest::did_you_mean(v, ["communes", "membres", "toutes"])
                            .unwrap_or_else(|| "pour un seul bénéficiaire, écrivez une liste : [landerneau]".to_string()),
                    )),
                }
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Beneficiaires, A::Error> {
                let mut v = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    v.push(s);
                }
                Ok(Beneficiaires::Liste(v))
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Beneficiaires {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Beneficiaires::Communes => s.serialize_str("communes"),
            Beneficiaires::Membres => s.serialize_str("membres"),
            Beneficiaires::Liste(v) => v.serialize(s),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Cle {
    pub id: String,
    pub libelle: String,
    pub base: BaseCle,
    #[serde(default)]
    pub description: Option<String>,
    /// Millésime of the population figures (population keys and grids).
    #[serde(default)]
    pub millesime: Option<i32>,
    /// Who shares (population keys, grids); other keys name them in `valeurs`.
    #[serde(default)]
    pub beneficiaires: Option<Beneficiaires>,
    /// Base value per beneficiary, the same every year.
    #[serde(default)]
    pub valeurs: Option<BTreeMap<String, Nombre>>,
    /// Base value per beneficiary, year by year.
    #[serde(default)]
    pub valeurs_par_exercice: Option<BTreeMap<i32, BTreeMap<String, Nombre>>>,
    /// Unit price for `unites_d_oeuvre`.
    #[serde(default)]
    pub tarif: Option<Montant>,
    /// Name of the unit ("jour", "licence").
    #[serde(default)]
    pub unite: Option<String>,
    /// Bands of a tariff grid, by population.
    #[serde(default)]
    pub tranches: Vec<Tranche>,
    /// Amount or share kept by the EPCI before the split.
    #[serde(default)]
    pub prise_en_charge_epci: Option<PriseEnCharge>,
    /// Members below a population threshold pay nothing.
    #[serde(default)]
    pub exoneration: Option<Exoneration>,
    /// Pro rata temporis per beneficiary (joined or left during the year).
    #[serde(default)]
    pub prorata: BTreeMap<String, Periode>,
    #[serde(default)]
    pub arrondi: Option<Arrondi>,
    #[serde(default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Tranche {
    /// Upper population bound of the band (inclusive); absent for the last band.
    #[serde(default)]
    pub jusqu_a: Option<u64>,
    /// Flat amount per structure in this band.
    pub montant: Montant,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PriseEnCharge {
    #[serde(default)]
    pub montant: Option<Montant>,
    #[serde(default)]
    pub part: Option<Pourcentage>,
    #[serde(default)]
    pub deliberation: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exoneration {
    /// Members whose population is strictly below this figure are exempt.
    pub population_inferieure_a: u64,
    #[serde(default)]
    pub motif: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Periode {
    #[serde(default)]
    pub du: Option<Date>,
    #[serde(default)]
    pub au: Option<Date>,
}
