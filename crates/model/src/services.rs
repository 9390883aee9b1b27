//! Services mutualisés: legal form, members, staff, activity, balances and
//! the allocations of their cost.

use super::values::{token_enum, Date, Montant, Nombre};
use super::Visibilite;
use mutu_base::codes::Code;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

token_enum! {
    /// Legal form of a pooling arrangement (CGCT L.5211-4-1 to 4-3, L.5111-1…).
    FormeJuridique {
        ServiceCommun => "service_commun", "service commun";
        MiseADisposition => "mise_a_disposition", "mise à disposition" | "mise_a_disposition_de_personnel" | "mise_a_disposition_de_service";
        Prestation => "prestation", "prestation de services" | "prestations";
        GroupementDeCommandes => "groupement_de_commandes", "groupement de commandes";
        ActionCoordonnee => "action_coordonnee", "action coordonnée";
        Transfert => "transfert", "transfert de compétence";
        Entente => "entente", "entente intercommunale";
        ADefinir => "a_definir", "à définir";
    }
}

token_enum! {
    /// HT or TTC: never mixed in one sum.
    Taxes {
        Ht => "ht", "HT";
        Ttc => "ttc", "TTC";
    }
}

token_enum! {
    /// How a member pays its share.
    ModePaiement {
        TitreDeRecettes => "titre_de_recettes", "titre de recettes" | "refacturation";
        AttributionDeCompensation => "attribution_de_compensation", "imputation sur l'attribution de compensation" | "ac";
        Direct => "direct", "facturé directement par le prestataire";
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub nom: String,
    #[serde(default)]
    pub sigle: Option<String>,
    pub forme: FormeJuridique,
    /// Id of the body that carries the service (the EPCI or a member).
    pub porteur: String,
    #[serde(default)]
    pub domaine: Option<String>,
    #[serde(default)]
    pub creation: Option<Date>,
    #[serde(default)]
    pub resume: Option<String>,
    /// Written as a list, or `toutes-les-communes` (every member commune,
    /// expanded on load by [`Service::developper_adherents`]).
    #[serde(default, deserialize_with = "adherents")]
    pub adherents: Vec<Adhesion>,
    #[serde(default)]
    pub effectifs: Option<Effectifs>,
    #[serde(default)]
    pub composantes: Vec<Composante>,
    /// Exported in its computed form only (`ServiceCalcule`).
    #[serde(default, skip_serializing)]
    pub indicateurs: Vec<Indicateur>,
    /// Exported in its computed form only (`ServiceCalcule`).
    #[serde(default, skip_serializing)]
    pub bilans: Vec<Bilan>,
    /// Exported in its computed form only (`ServiceCalcule`).
    #[serde(default, skip_serializing)]
    pub repartitions: Vec<Repartition>,
    /// Satisfaction surveys. Exported in their computed form only.
    #[serde(default, skip_serializing)]
    pub enquetes: Vec<crate::enquetes::Enquete>,
    /// The service as the catalogue offers it (see [`crate::catalogue`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offre: Option<crate::catalogue::Offre>,
    #[serde(default)]
    pub visibilite: Option<Visibilite>,
    #[serde(default)]
    pub source: Option<String>,
}

/// The word for « every member commune » in `adherents:`, alone
/// (`adherents: toutes-les-communes`) or as the `membre` of one entry of the
/// list (`- membre: toutes-les-communes`, with the dates and the payment
/// that apply to every commune not listed on its own).
pub const TOUTES_LES_COMMUNES: &str = "toutes-les-communes";

/// `adherents:` as a list of adhesions or as [`TOUTES_LES_COMMUNES`].
fn adherents<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Adhesion>, D::Error> {
    use serde::de;
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Vec<Adhesion>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("mutu:une liste d'adhésions (« - membre: … ») ou « toutes-les-communes »")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<Adhesion>, E> {
            match super::values::normalize_token(v).as_str() {
                "toutes_les_communes" | "communes" => Ok(vec![Adhesion {
                    membre: TOUTES_LES_COMMUNES.to_string(),
                    ..Adhesion::default()
                }]),
                _ => Err(crate::yaml::errors::custom_error(
                    Code::ValeurInconnue,
                    &format!("valeur « {v} » non reconnue"),
                    "« toutes-les-communes » ou une liste d'adhésions (« - membre: <identifiant> »)",
                    &mutu_base::suggest::did_you_mean(v, [TOUTES_LES_COMMUNES])
                        .unwrap_or_else(|| "pour un seul adhérent, écrivez une liste : « - membre: <identifiant> »".to_string()),
                )),
            }
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Adhesion>, A::Error> {
            let mut v = Vec::new();
            while let Some(a) = seq.next_element::<Adhesion>()? {
                v.push(a);
            }
            Ok(v)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<Adhesion>, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(V)
}

impl Service {
    /// Replaces each [`TOUTES_LES_COMMUNES`] entry by one adhesion per
    /// member commune not listed on its own, with the entry's dates,
    /// payment and note, in the territory's order, after the entries
    /// listed on their own (which keep their place, so a diagnostic on one
    /// still points at its line). Done once on load, so that check, compute
    /// and import see the same explicit list.
    pub fn developper_adherents(&mut self, membres: &[super::territoire::Membre]) {
        if !self.adherents.iter().any(|a| a.membre == TOUTES_LES_COMMUNES) {
            return;
        }
        let (modeles, mut out): (Vec<Adhesion>, Vec<Adhesion>) = std::mem::take(&mut self.adherents).into_iter().partition(|a| a.membre == TOUTES_LES_COMMUNES);
        let listes: std::collections::HashSet<String> = out.iter().map(|a| a.membre.clone()).collect();
        for a in modeles {
            for m in membres
                .iter()
                .filter(|m| m.genre == super::territoire::TypeMembre::Commune && !listes.contains(&m.id))
            {
                out.push(Adhesion {
                    membre: m.id.clone(),
                    ..a.clone()
                });
            }
        }
        self.adherents = out;
    }

    /// Each body's first adhesion, by body id: what a member's statement
    /// and its year-over-year comparison look up (a body that joined twice
    /// is listed under its first adhesion).
    pub fn premieres_adhesions(&self) -> HashMap<&str, &Adhesion> {
        let mut m = HashMap::with_capacity(self.adherents.len());
        for a in &self.adherents {
            m.entry(a.membre.as_str()).or_insert(a);
        }
        m
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adhesion {
    /// Id of a member, a partner or the EPCI.
    pub membre: String,
    #[serde(default)]
    pub convention: Option<Date>,
    #[serde(default)]
    pub depuis: Option<Date>,
    #[serde(default)]
    pub jusqu_au: Option<Date>,
    #[serde(default)]
    pub paiement: Option<ModePaiement>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Effectifs {
    pub agents: Nombre,
    #[serde(default)]
    pub etp: Option<Nombre>,
    /// Agents made available by another body (mis à disposition).
    #[serde(default)]
    pub mis_a_disposition: Option<Nombre>,
    /// Agents whose cost is excluded from re-invoicing.
    #[serde(default)]
    pub hors_refacturation: Option<Nombre>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

/// A part of a service with its own key and staff (e.g. each service
/// commun of a support-functions directorate).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Composante {
    pub id: String,
    pub nom: String,
    #[serde(default)]
    pub sigle: Option<String>,
    #[serde(default)]
    pub cle: Option<String>,
    #[serde(default)]
    pub effectifs: Option<Effectifs>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

token_enum! {
    /// Preferred chart for an indicator.
    Graphique {
        Barres => "barres", "barres";
        BarresEmpilees => "barres_empilees", "barres empilées";
        Courbe => "courbe", "courbe";
        Anneau => "anneau", "anneau" | "camembert";
    }
}

/// Most members an indicator's chart names (legend entries or slices);
/// past it the chart names the largest and gathers the others.
pub const GRAPHIQUE_MEMBRES_MAX: usize = 12;

/// What the chart of an activity indicator draws, decided from the kind
/// asked (`graphique`) and the shape of the data, in one place for the
/// presentation (which draws it) and `check` (which says when it is not
/// what was asked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trace {
    /// One value a year (no values per member).
    Annees(Graphique),
    /// The members in one year, as bars or a donut.
    MembresUneAnnee(Graphique),
    /// One series per member over the years: grouped bars, stacked bars
    /// or lines.
    MembresParAnnee(Graphique),
    /// The members' yearly total, as bars: too many members to group.
    TotalParAnnee,
}

impl Trace {
    /// The chart for `demande`, with `membres` series per member of which
    /// `annees_completes` years have a value for every member.
    pub fn pour(demande: Option<Graphique>, membres: usize, annees_completes: usize) -> Trace {
        if membres == 0 {
            return Trace::Annees(match demande {
                Some(Graphique::Courbe) => Graphique::Courbe,
                Some(Graphique::Anneau) => Graphique::Anneau,
                _ => Graphique::Barres,
            });
        }
        match demande {
            Some(Graphique::Anneau) => Trace::MembresUneAnnee(Graphique::Anneau),
            _ if annees_completes == 1 && membres > 2 => Trace::MembresUneAnnee(Graphique::Barres),
            Some(Graphique::Barres) if membres > GRAPHIQUE_MEMBRES_MAX => Trace::TotalParAnnee,
            Some(Graphique::Barres) => Trace::MembresParAnnee(Graphique::Barres),
            Some(Graphique::Courbe) => Trace::MembresParAnnee(Graphique::Courbe),
            _ => Trace::MembresParAnnee(Graphique::BarresEmpilees),
        }
    }

    /// The kind drawn.
    pub fn genre(self) -> Graphique {
        match self {
            Trace::Annees(g) | Trace::MembresUneAnnee(g) | Trace::MembresParAnnee(g) => g,
            Trace::TotalParAnnee => Graphique::Barres,
        }
    }
}

/// Years of an indicator where every member listed has a value.
pub fn annees_completes(par_membre: &BTreeMap<String, BTreeMap<i32, Nombre>>) -> Vec<i32> {
    let annees: std::collections::BTreeSet<i32> = par_membre.values().flat_map(|s| s.keys().copied()).collect();
    annees.into_iter().filter(|y| par_membre.values().all(|s| s.contains_key(y))).collect()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicateur {
    pub id: String,
    pub libelle: String,
    #[serde(default)]
    pub unite: Option<String>,
    /// Yearly values for the whole service.
    #[serde(default)]
    pub valeurs: BTreeMap<i32, Nombre>,
    /// Yearly values per member or partner (id → year → value).
    #[serde(default)]
    pub par_membre: BTreeMap<String, BTreeMap<i32, Nombre>>,
    /// Printed totals, compared with the sum of `par_membre`.
    #[serde(default)]
    pub total_declare: BTreeMap<i32, Nombre>,
    #[serde(default)]
    pub graphique: Option<Graphique>,
    /// `interne`: left out of the public build with its table and chart.
    #[serde(default)]
    pub visibilite: Option<Visibilite>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ligne {
    pub libelle: String,
    pub montant: Montant,
    /// Member this line is about (e.g. receipts invoiced to one body).
    #[serde(default)]
    pub membre: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Bilan {
    pub exercice: i32,
    pub taxes: Taxes,
    #[serde(default)]
    pub depenses: Vec<Ligne>,
    /// `None` when the key is absent: receipts not entered (« non
    /// renseigné »), unlike `recettes: []`, an entered absence of receipts.
    #[serde(default)]
    pub recettes: Option<Vec<Ligne>>,
    #[serde(default)]
    pub total_depenses_declare: Option<Montant>,
    #[serde(default)]
    pub total_recettes_declare: Option<Montant>,
    #[serde(default)]
    pub solde_declare: Option<Montant>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Repartition {
    pub exercice: i32,
    pub libelle: String,
    pub taxes: Taxes,
    /// Amount to split; by default the total expenses of the same year's balance.
    #[serde(default)]
    pub montant: Option<Montant>,
    /// Steps: the first splits the amount; each next one re-splits the part
    /// of the body named in `part_de`.
    #[serde(default)]
    pub etapes: Vec<Etape>,
    /// Parts recorded as such (no key): only summed and cross-footed.
    #[serde(default)]
    pub montants_constates: BTreeMap<String, Montant>,
    /// Printed parts, compared with the computed ones.
    #[serde(default)]
    pub parts_declarees: BTreeMap<String, Montant>,
    #[serde(default)]
    pub total_declare: Option<Montant>,
    #[serde(default)]
    pub paiement: Option<ModePaiement>,
    #[serde(default)]
    pub note: Option<String>,
    /// Remark for the internal build only (see `crate::audience`).
    #[serde(default, skip_serializing)]
    pub note_interne: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Etape {
    pub cle: String,
    #[serde(default)]
    pub part_de: Option<String>,
    /// Printed amount split at this step (after what the EPCI keeps).
    #[serde(default)]
    pub total_declare: Option<Montant>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chart_drawn_is_the_one_asked_unless_the_data_cannot_show_it() {
        use Graphique::*;
        // No value per member: one series over the years.
        assert_eq!(Trace::pour(Some(Courbe), 0, 0), Trace::Annees(Courbe));
        assert_eq!(Trace::pour(Some(BarresEmpilees), 0, 0), Trace::Annees(Barres));
        // Per member over several years: as asked, bars grouped up to 12
        // members, the yearly total past them.
        assert_eq!(Trace::pour(Some(Barres), 12, 2), Trace::MembresParAnnee(Barres));
        assert_eq!(Trace::pour(Some(Barres), 158, 2), Trace::TotalParAnnee);
        assert_eq!(Trace::pour(Some(BarresEmpilees), 158, 2), Trace::MembresParAnnee(BarresEmpilees));
        assert_eq!(Trace::pour(None, 158, 2), Trace::MembresParAnnee(BarresEmpilees));
        assert_eq!(Trace::pour(Some(Courbe), 3, 2), Trace::MembresParAnnee(Courbe));
        // One complete year: the members compared in bars (or a donut).
        assert_eq!(Trace::pour(Some(Courbe), 3, 1), Trace::MembresUneAnnee(Barres));
        assert_eq!(Trace::pour(Some(Anneau), 3, 4), Trace::MembresUneAnnee(Anneau));
        assert_eq!(Trace::TotalParAnnee.genre(), Barres);
    }
}
