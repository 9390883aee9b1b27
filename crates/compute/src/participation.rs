//! The EPCI's participation in an outside pooling structure whose offer is
//! priced by a two-dimensional grid (`offre.participation`): the row by the
//! volume the EPCI uses, the column by the public establishments its scope
//! brings in, those under the offer's free tier not counted; then, when
//! the EPCI re-invoices it, the allocation of that amount among the
//! communes by the key named — the same allocation as any other, with its
//! exemptions and its rounding.

use crate::repartition::{one_avec, OrigineMontant, RepartitionCalculee};
use model::catalogue::{Participation, Perimetre};
use model::cles::Cle;
use model::load::Loaded;
use model::services::{Etape, Repartition, Taxes};
use model::{Lu, Montant, Projet, Service};
use mutu_base::diagnostic::Diagnostic;
use mutu_model as model;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize)]
pub struct ParticipationCalculee {
    pub exercice: i32,
    pub perimetre: Perimetre,
    pub volume: Decimal,
    /// The band of the grid's rows the volume falls in.
    pub ligne: Option<String>,
    /// The band of the grid's columns the count falls in.
    pub colonne: Option<String>,
    /// The establishments of the scope, each counted or free.
    pub etablissements: Vec<EtablissementCompte>,
    /// Establishments counted for the column.
    pub comptes: usize,
    /// The grid's amount; `None` beyond its last band.
    pub montant: Option<Decimal>,
    /// The allocation among the communes, when re-invoiced.
    pub refacturation: Option<RepartitionCalculee>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EtablissementCompte {
    pub id: String,
    pub nom: String,
    pub habitants: Option<u64>,
    /// Under the offer's free tier: brought in, not counted.
    pub gratuit: bool,
}

/// The participation of the EPCI in `s`, when its offer has one and a grid.
/// A re-invoicing that cannot be computed (a key without the year's
/// populations…) is reported, never silently dropped.
pub fn participation(p: &Projet, s: &Lu<Service>, loaded: &Loaded, diags: &mut Vec<Diagnostic>) -> Option<ParticipationCalculee> {
    let offre = s.offre.as_ref()?;
    let pa: &Participation = offre.participation.as_ref()?;
    let prix = offre.prix.as_ref()?;
    let grille = prix.grille.as_ref()?;
    let etablissements: Vec<EtablissementCompte> = pa
        .apports(offre, &p.territoire.membres)
        .into_iter()
        .map(|a| EtablissementCompte {
            id: a.id.to_string(),
            nom: p.nom(a.id),
            habitants: a.habitants,
            gratuit: a.gratuit,
        })
        .collect();
    let comptes = etablissements.iter().filter(|e| !e.gratuit).count();
    let volume = pa.volume.0;
    let ligne = grille.lignes.palier(volume).map(|(_, b)| b.libelle.clone());
    let colonne = grille
        .colonnes
        .as_ref()
        .and_then(|c| c.palier(Decimal::from(comptes)))
        .map(|(_, b)| b.libelle.clone());
    let montant = grille.montant(volume, Some(Decimal::from(comptes))).map(|m| m.0);
    let refacturation = match (&pa.refacturation, montant) {
        (Some(cle), Some(m)) if pa.perimetre != Perimetre::EpciSeul => {
            let r = Repartition {
                exercice: pa.exercice,
                libelle: format!("Participation {} au service « {} », refacturée aux communes", pa.exercice, s.nom),
                taxes: prix.taxes.unwrap_or(Taxes::Ttc),
                montant: Some(Montant(m)),
                etapes: vec![Etape {
                    cle: cle.clone(),
                    part_de: None,
                    total_declare: None,
                }],
                montants_constates: BTreeMap::new(),
                parts_declarees: BTreeMap::new(),
                total_declare: None,
                paiement: None,
                note: None,
                note_interne: None,
            };
            let keys: BTreeMap<&str, &Cle> = p.cles.iter().map(|c| (c.id.as_str(), &c.valeur)).collect();
            match one_avec(p, s, &r, &[], &keys) {
                Ok(mut rc) => {
                    rc.origine_montant = OrigineMontant::Participation;
                    Some(rc)
                }
                Err((_, d)) => {
                    // Paths inside the synthetic allocation mean nothing to
                    // the user: the diagnostic points at `refacturation:`.
                    if let Some(d) = d {
                        diags.push(d.at(loaded.loc_value(&s.origine, &["offre", "participation", "refacturation"])));
                    }
                    None
                }
            }
        }
        _ => None,
    };
    Some(ParticipationCalculee {
        exercice: pa.exercice,
        perimetre: pa.perimetre,
        volume,
        ligne,
        colonne,
        etablissements,
        comptes,
        montant,
        refacturation,
    })
}
