//! Per-member statements: for each member (and partner) and year, the
//! services it uses, what it pays for each and how, its share of the
//! groupements de commandes, and its totals (HT and TTC never mixed).

use super::bilans::CommandeCalculee;
use super::ServiceCalcule;
use crate::model::services::{ModePaiement, Taxes};
use crate::model::values::cents;
use crate::model::{Date, Projet};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

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
    // Per service, its first membership of each body; per allocation, the
    // sum of each body's parts (the EPCI's own contribution excluded): one
    // pass over the parts instead of one per body.
    let adhesions: Vec<BTreeMap<&str, &crate::model::services::Adhesion>> = services
        .iter()
        .map(|s| {
            let mut m = BTreeMap::new();
            for a in &s.service.adherents {
                m.entry(a.membre.as_str()).or_insert(a);
            }
            m
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
                    });
                }
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
                    });
                    match r.taxes {
                        Taxes::Ttc => y.total_ttc += amount,
                        Taxes::Ht => y.total_ht += amount,
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
            }
        })
        .collect()
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
