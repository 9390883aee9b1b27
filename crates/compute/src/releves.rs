//! Per-member statements: for each member (and partner) and year, the
//! services it uses, what it pays for each and how, its share of the
//! groupements de commandes, and its totals (HT and TTC never mixed).
//! Each line carries the facts that explain it (key, base, share,
//! exemption and its motive, pro rata months, the EPCI's takeover) and each
//! service used but not charged in the report's year says why, so the
//! commune page can answer "what do I pay, for what, and why" without
//! recomputing anything.

use super::bilans::CommandeCalculee;
use super::repartition::{PartCalculee, RepartitionCalculee};
use super::ServiceCalcule;
use mutu_model::cles::BaseCle;
use mutu_model::services::{ModePaiement, Taxes};
use mutu_model::values::cents;
use mutu_model::{Date, Projet};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Serialize)]
pub struct Releve {
    pub membre: String,
    pub nom: String,
    /// "commune", "ccas", … or "partenaire".
    pub genre: String,
    pub insee: Option<String>,
    /// Services it takes part in, with convention dates.
    pub services: Vec<ServiceUtilise>,
    /// One entry per year in which it pays something, oldest first.
    pub exercices: Vec<ReleveExercice>,
    /// Services it adheres to with no amount in the report's year, and why.
    pub sans_montant: Vec<ServiceSansMontant>,
}

/// A service the body adheres to but is not charged for in a year.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceSansMontant {
    pub exercice: i32,
    pub service: String,
    pub nom: String,
    pub raison: RaisonSansMontant,
    /// The adhesion date that explains it (start or end), when it does.
    pub date: Option<Date>,
}

/// Why an adherent pays nothing for a service in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RaisonSansMontant {
    /// The adhesion starts after the year.
    AdhesionPosterieure,
    /// The adhesion ended before the year.
    AdhesionTerminee,
    /// No allocation of the service's cost is entered for the year.
    AucuneRepartition,
    /// Allocations exist for the year but none of them names the body.
    HorsRepartition,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceUtilise {
    pub service: String,
    pub nom: String,
    pub forme: &'static str,
    pub convention: Option<Date>,
    pub depuis: Option<Date>,
    pub jusqu_au: Option<Date>,
    pub paiement: Option<ModePaiement>,
    /// False when the body is charged by a key without being an adherent
    /// (`check` warns: non-adherent).
    pub adherent: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReleveExercice {
    pub exercice: i32,
    pub lignes: Vec<LigneReleve>,
    pub groupements: Vec<PartGroupement>,
    /// Sum of the lines by taxes (never HT + TTC).
    pub total_ttc: Decimal,
    pub total_ht: Decimal,
    pub total_groupements_ht: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneReleve {
    pub service: String,
    pub service_nom: String,
    pub repartition: String,
    pub taxes: Taxes,
    pub montant: Decimal,
    /// How it is paid: the allocation's mode, else the membership's.
    pub paiement: Option<ModePaiement>,
    /// As in the allocation.
    pub origine_montant: crate::repartition::OrigineMontant,
    /// Why: each step of the allocation in which the body has a part.
    pub etapes: Vec<EtapeMembre>,
}

/// The body's part at one step of an allocation, with the rule's facts.
#[derive(Debug, Clone, Serialize)]
pub struct EtapeMembre {
    pub cle: String,
    pub cle_libelle: String,
    pub cle_description: Option<String>,
    pub base: BaseCle,
    pub base_libelle: &'static str,
    pub millesime: Option<i32>,
    /// The body's base value (population, quantity, share…), before exemption and pro rata.
    pub valeur: Decimal,
    /// Sum of the effective bases of the step.
    pub total_base: Decimal,
    /// Share of the effective base in %, 2 decimals.
    pub pourcentage: Decimal,
    pub unite: Option<String>,
    pub tarif: Option<Decimal>,
    /// Body whose part this step re-splits.
    pub part_de: Option<String>,
    /// Amount entering the step (before the EPCI's takeover).
    pub montant_entrant: Decimal,
    /// Amount kept by the EPCI before the split, and the deliberation that decided it.
    pub prise_en_charge_epci: Option<Decimal>,
    pub deliberation: Option<String>,
    pub exonere: bool,
    /// The key's exemption: population threshold and motive.
    pub exoneration_seuil: Option<u64>,
    pub exoneration_motif: Option<String>,
    /// Pro rata temporis: fraction of the year, months counted and the period.
    pub prorata: Option<Decimal>,
    pub prorata_mois: Option<u32>,
    pub prorata_du: Option<Date>,
    pub prorata_au: Option<Date>,
    pub montant: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartGroupement {
    pub groupement: String,
    pub objet: String,
    pub montant_ht: Decimal,
}

pub fn releves(p: &Projet, services: &[ServiceCalcule], commande: &CommandeCalculee) -> Vec<Releve> {
    let t = &p.territoire;
    let mut bodies: Vec<(String, String, String, Option<String>)> = t
        .membres
        .iter()
        .map(|m| (m.id.clone(), m.nom.clone(), m.genre.token().to_string(), m.insee.clone()))
        .collect();
    bodies.extend(t.partenaires.iter().map(|m| (m.id.clone(), m.nom.clone(), "partenaire".to_string(), None)));
    bodies.sort_by_key(|b| p.rang(&b.0));
    // Per service, its first membership of each body; per allocation, the
    // sum of each body's parts (the EPCI's own contribution excluded): one
    // pass over the parts instead of one per body.
    let adhesions: Vec<_> = services.iter().map(|s| s.service.premieres_adhesions()).collect();
    // Per allocation step, each body's first part: a body's steps are looked
    // up by name, not by a scan of every part (quadratic at 2,000 bodies).
    let parts: Vec<Vec<Vec<HashMap<&str, &PartCalculee>>>> = services
        .iter()
        .map(|s| {
            s.repartitions
                .iter()
                .map(|r| {
                    r.etapes
                        .iter()
                        .map(|e| {
                            let mut m = HashMap::with_capacity(e.parts.len());
                            for x in &e.parts {
                                m.entry(x.beneficiaire.as_str()).or_insert(x);
                            }
                            m
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let sommes: Vec<Vec<BTreeMap<&str, Decimal>>> = services
        .iter()
        .map(|s| {
            s.repartitions
                .iter()
                .map(|r| {
                    let mut m: BTreeMap<&str, Decimal> = BTreeMap::new();
                    for x in r.parts.iter().filter(|x| !x.prise_en_charge) {
                        *m.entry(x.beneficiaire.as_str()).or_default() += x.montant;
                    }
                    m
                })
                .collect()
        })
        .collect();
    bodies
        .into_iter()
        .map(|(id, nom, genre, insee)| {
            let mut used: Vec<ServiceUtilise> = Vec::new();
            let mut sans: Vec<ServiceSansMontant> = Vec::new();
            let mut years: BTreeMap<i32, ReleveExercice> = BTreeMap::new();
            for (si, s) in services.iter().enumerate() {
                let adhesion = adhesions[si].get(id.as_str()).copied();
                if let Some(a) = adhesion {
                    used.push(ServiceUtilise {
                        service: s.service.id.clone(),
                        nom: s.service.nom.clone(),
                        forme: s.forme_libelle,
                        convention: a.convention,
                        depuis: a.depuis,
                        jusqu_au: a.jusqu_au,
                        paiement: a.paiement,
                        adherent: true,
                    });
                }
                let mut charged = false;
                for (ri, r) in s.repartitions.iter().enumerate() {
                    let Some(somme) = sommes[si][ri].get(id.as_str()) else {
                        continue;
                    };
                    let amount: Decimal = cents(*somme);
                    let y = years.entry(r.exercice).or_insert_with(|| empty_year(r.exercice));
                    y.lignes.push(LigneReleve {
                        service: s.service.id.clone(),
                        service_nom: s.service.nom.clone(),
                        repartition: r.libelle.clone(),
                        taxes: r.taxes,
                        montant: amount,
                        paiement: r.paiement.or(adhesion.and_then(|a| a.paiement)),
                        origine_montant: r.origine_montant,
                        etapes: etapes_membre(p, r, &parts[si][ri], &id),
                    });
                    charged = true;
                    match r.taxes {
                        Taxes::Ttc => y.total_ttc += amount,
                        Taxes::Ht => y.total_ht += amount,
                    }
                }
                if charged && adhesion.is_none() {
                    // Charged without adhering: listed all the same, so the
                    // list of services and the charges agree.
                    used.push(ServiceUtilise {
                        service: s.service.id.clone(),
                        nom: s.service.nom.clone(),
                        forme: s.forme_libelle,
                        convention: None,
                        depuis: None,
                        jusqu_au: None,
                        paiement: None,
                        adherent: false,
                    });
                }
                if let Some(a) = adhesion {
                    if let Some(raison) = sans_montant(s, a, p.rapport.exercice, &id, &sommes[si]) {
                        sans.push(ServiceSansMontant {
                            exercice: p.rapport.exercice,
                            service: s.service.id.clone(),
                            nom: s.service.nom.clone(),
                            raison: raison.0,
                            date: raison.1,
                        });
                    }
                }
            }
            for g in &commande.groupements {
                if let Some(m) = g.groupement.montants_ht.get(&id) {
                    let y = years.entry(g.groupement.exercice).or_insert_with(|| empty_year(g.groupement.exercice));
                    y.groupements.push(PartGroupement {
                        groupement: g.groupement.id.clone(),
                        objet: g.groupement.objet.clone(),
                        montant_ht: m.0,
                    });
                    y.total_groupements_ht += m.0;
                }
            }
            used.sort_by(|a, b| a.nom.cmp(&b.nom));
            Releve {
                membre: id,
                nom,
                genre,
                insee,
                services: used,
                exercices: years.into_values().collect(),
                sans_montant: sans,
            }
        })
        .collect()
}

/// Why an adherent has no amount for a service in `year`, or `None` when it has one.
fn sans_montant(
    s: &ServiceCalcule,
    a: &mutu_model::services::Adhesion,
    year: i32,
    id: &str,
    sommes: &[BTreeMap<&str, Decimal>],
) -> Option<(RaisonSansMontant, Option<Date>)> {
    let of_year: Vec<usize> = (0..s.repartitions.len()).filter(|&i| s.repartitions[i].exercice == year).collect();
    if of_year.iter().any(|&i| sommes[i].contains_key(id)) {
        return None;
    }
    if let Some(d) = a.depuis.filter(|d| d.annee > year) {
        return Some((RaisonSansMontant::AdhesionPosterieure, Some(d)));
    }
    if let Some(d) = a.jusqu_au.filter(|d| d.annee < year || (d.annee == year && d.mois == 1 && d.jour == 1)) {
        return Some((RaisonSansMontant::AdhesionTerminee, Some(d)));
    }
    if of_year.is_empty() {
        Some((RaisonSansMontant::AucuneRepartition, None))
    } else {
        Some((RaisonSansMontant::HorsRepartition, None))
    }
}

/// The steps of an allocation in which `id` has a part, with the key's facts.
/// `parts` holds, per step of `r`, each body's first part.
fn etapes_membre(p: &Projet, r: &RepartitionCalculee, parts: &[HashMap<&str, &PartCalculee>], id: &str) -> Vec<EtapeMembre> {
    let mut out = Vec::new();
    for (e, parts) in r.etapes.iter().zip(parts) {
        let Some(&part) = parts.get(id) else {
            continue;
        };
        let cle = p.cles.iter().find(|c| c.id == e.cle);
        let periode = cle.and_then(|c| c.prorata.get(id));
        let mois = part.prorata.map(|f| {
            use rust_decimal::prelude::ToPrimitive;
            (f * Decimal::from(12)).round().to_u32().unwrap_or(0)
        });
        out.push(EtapeMembre {
            cle: e.cle.clone(),
            cle_libelle: e.cle_libelle.clone(),
            cle_description: cle.and_then(|c| c.description.clone()),
            base: e.base,
            base_libelle: e.base_libelle,
            millesime: e.millesime,
            valeur: part.base,
            total_base: e.total_base,
            pourcentage: part.pourcentage,
            unite: e.unite.clone(),
            tarif: e.tarif,
            part_de: e.part_de.clone(),
            montant_entrant: e.montant_entrant,
            prise_en_charge_epci: e.prise_en_charge_epci,
            deliberation: cle.and_then(|c| c.prise_en_charge_epci.as_ref()).and_then(|pc| pc.deliberation.clone()),
            exonere: part.exonere,
            exoneration_seuil: cle.and_then(|c| c.exoneration.as_ref()).map(|x| x.population_inferieure_a),
            exoneration_motif: cle.and_then(|c| c.exoneration.as_ref()).and_then(|x| x.motif.clone()),
            prorata: part.prorata,
            prorata_mois: mois,
            prorata_du: periode.and_then(|x| x.du),
            prorata_au: periode.and_then(|x| x.au),
            montant: part.montant,
        });
    }
    out
}

fn empty_year(exercice: i32) -> ReleveExercice {
    ReleveExercice {
        exercice,
        lignes: Vec::new(),
        groupements: Vec::new(),
        total_ttc: cents(Decimal::ZERO),
        total_ht: cents(Decimal::ZERO),
        total_groupements_ht: cents(Decimal::ZERO),
    }
}
