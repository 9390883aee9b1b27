//! Roll-ups: activity indicators with their evolution, staff (effectifs),
//! counts of fiches by status / priority / axe and services by legal form,
//! and the year's key figures.

use super::bilans::CommandeCalculee;
use super::controles::{Controles, Unite};
use super::releves::Releve;
use super::{evolution, Evolution, ServiceCalcule};
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::format::Grandeur;
use mutu_model::fiches::Statut;
use mutu_model::services::{Effectifs, FormeJuridique, Graphique, Taxes};
use mutu_model::values::cents;
use mutu_model::{Axe, Lu, Projet, Service, Visibilite};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct IndicateurCalcule {
    pub id: String,
    pub libelle: String,
    pub unite: Option<String>,
    pub graphique: Option<Graphique>,
    pub note: Option<String>,
    /// `interne` when the indicator is left out of the public build.
    pub visibilite: Option<Visibilite>,
    /// Total per year: the sum over members when given per member, else the
    /// declared yearly value.
    pub annees: Vec<PointIndicateur>,
    pub par_membre: Vec<SerieMembre>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PointIndicateur {
    pub annee: i32,
    pub valeur: Decimal,
    pub evolution: Option<Evolution>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SerieMembre {
    pub membre: String,
    pub nom: String,
    pub valeurs: BTreeMap<i32, Decimal>,
}

pub fn indicateurs(p: &Projet, s: &Lu<Service>, ctl: &mut Controles) -> Vec<IndicateurCalcule> {
    s.indicateurs
        .iter()
        .enumerate()
        .map(|(i, ind)| {
            let is = i.to_string();
            let mut years: BTreeSet<i32> = ind.valeurs.keys().copied().collect();
            for serie in ind.par_membre.values() {
                years.extend(serie.keys());
            }
            let mut annees: Vec<PointIndicateur> = Vec::new();
            for y in years {
                let parts: Vec<Decimal> = ind.par_membre.values().filter_map(|serie| serie.get(&y).map(|n| n.0)).collect();
                let valeur = if parts.is_empty() {
                    ind.valeurs.get(&y).map(|n| n.0).unwrap_or_default()
                } else {
                    let sum: Decimal = parts.iter().sum();
                    // An overall value entered beside per-member values is
                    // not a published total (that is `total_declare`): the
                    // sum is used, and a differing overall value is said
                    // to `check` only, never turned into a control.
                    if let Some(v) = ind.valeurs.get(&y).filter(|v| v.0 != sum) {
                        let g = Grandeur::Quantite;
                        ctl.avertir(
                            &s.origine,
                            &["indicateurs", &is, "valeurs", &y.to_string()],
                            Diagnostic::warning(
                                Code::IndicateurValeurIgnoree,
                                format!(
                                    "indicateur « {} », {y} : la valeur d'ensemble {} n'est pas retenue, l'indicateur vaut la somme des valeurs par organisme ({})",
                                    ind.libelle,
                                    g.texte(&v.0),
                                    g.texte(&sum)
                                ),
                            )
                            .expected(format!("une seule source pour {y} : les valeurs par organisme (par_membre) ou la valeur d'ensemble (valeurs)"))
                            .hint(format!(
                                "supprimez la valeur {y} de « valeurs » ; si c'est un total publié à contrôler, écrivez-le dans « total_declare »"
                            )),
                        );
                    }
                    sum
                };
                let prev = annees.last().filter(|a| a.annee == y - 1).map(|a| evolution(a.annee, a.valeur, valeur));
                annees.push(PointIndicateur {
                    annee: y,
                    valeur,
                    evolution: prev,
                });
            }
            for (y, declared) in &ind.total_declare {
                let computed = annees.iter().find(|a| a.annee == *y).map(|a| a.valeur).unwrap_or_default();
                ctl.compare(
                    &s.origine,
                    &["indicateurs", &is, "total_declare", &y.to_string()],
                    format!("{} {y} — total", ind.libelle),
                    Unite::Nombre,
                    declared.0,
                    computed,
                );
            }
            let mut par_membre: Vec<SerieMembre> = ind
                .par_membre
                .iter()
                .map(|(m, serie)| SerieMembre {
                    membre: m.clone(),
                    nom: p.nom(m),
                    valeurs: serie.iter().map(|(y, v)| (*y, v.0)).collect(),
                })
                .collect();
            par_membre.sort_by_key(|s| p.rang(&s.membre));
            IndicateurCalcule {
                id: ind.id.clone(),
                libelle: ind.libelle.clone(),
                unite: ind.unite.clone(),
                graphique: ind.graphique,
                note: ind.note.clone(),
                visibilite: ind.visibilite,
                annees,
                par_membre,
            }
        })
        .collect()
}

/// Staff figures, summed exactly.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct EffectifsLigne {
    pub agents: Decimal,
    pub etp: Option<Decimal>,
    pub mis_a_disposition: Decimal,
    pub hors_refacturation: Decimal,
}

impl EffectifsLigne {
    fn from(e: &Effectifs) -> Self {
        EffectifsLigne {
            agents: e.agents.0,
            etp: e.etp.map(|n| n.0),
            mis_a_disposition: e.mis_a_disposition.map(|n| n.0).unwrap_or_default(),
            hors_refacturation: e.hors_refacturation.map(|n| n.0).unwrap_or_default(),
        }
    }

    fn add(&mut self, o: &EffectifsLigne) {
        self.agents += o.agents;
        self.etp = match (self.etp, o.etp) {
            (Some(a), Some(b)) => Some(a + b),
            (a, b) => a.or(b),
        };
        self.mis_a_disposition += o.mis_a_disposition;
        self.hors_refacturation += o.hors_refacturation;
    }
}

/// Staff of a service: the sum of its components when they give theirs
/// (compared with the service's own figure if it has one), else its own.
pub fn effectifs_service(s: &Lu<Service>, ctl: &mut Controles) -> Option<EffectifsLigne> {
    let parts: Vec<EffectifsLigne> = s.composantes.iter().filter_map(|c| c.effectifs.as_ref().map(EffectifsLigne::from)).collect();
    if parts.is_empty() {
        return s.effectifs.as_ref().map(EffectifsLigne::from);
    }
    let mut total = EffectifsLigne::default();
    for part in &parts {
        total.add(part);
    }
    if let Some(own) = &s.effectifs {
        ctl.compare(
            &s.origine,
            &["effectifs", "agents"],
            format!("Agents du service « {} » (somme des composantes)", s.nom),
            Unite::Nombre,
            own.agents.0,
            total.agents,
        );
    }
    Some(total)
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EffectifsCalcules {
    pub exercice: Option<i32>,
    /// One line per service of the perimeter, then per component.
    pub lignes: Vec<LigneEffectifs>,
    pub total: EffectifsLigne,
    pub emplois_permanents: BTreeMap<i32, Decimal>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LigneEffectifs {
    pub service: String,
    /// Component id, when the line is a component of the service.
    pub composante: Option<String>,
    pub libelle: String,
    pub effectifs: EffectifsLigne,
}

pub fn effectifs(p: &Projet, services: &[ServiceCalcule], ctl: &mut Controles) -> EffectifsCalcules {
    let Some(e) = &p.effectifs else { return EffectifsCalcules::default() };
    let mut out = EffectifsCalcules {
        exercice: Some(e.exercice),
        emplois_permanents: e.emplois_permanents.iter().map(|(y, n)| (*y, n.0)).collect(),
        note: e.note.clone(),
        ..Default::default()
    };
    for id in &e.perimetre {
        let Some(s) = services.iter().find(|s| &s.service.id == id) else { continue };
        let with_components: Vec<_> = s.service.composantes.iter().filter(|c| c.effectifs.is_some()).collect();
        if with_components.is_empty() {
            if let Some(t) = &s.effectifs_total {
                out.lignes.push(LigneEffectifs {
                    service: id.clone(),
                    composante: None,
                    libelle: s.service.nom.clone(),
                    effectifs: t.clone(),
                });
                out.total.add(t);
            }
        } else {
            for c in with_components {
                let l = EffectifsLigne::from(c.effectifs.as_ref().expect("filtered on effectifs"));
                let libelle = match &c.sigle {
                    Some(sig) => format!("{sig} — {}", c.nom),
                    None => c.nom.clone(),
                };
                out.total.add(&l);
                out.lignes.push(LigneEffectifs {
                    service: id.clone(),
                    composante: Some(c.id.clone()),
                    libelle,
                    effectifs: l,
                });
            }
        }
    }
    if let Some(d) = &e.total_declare {
        ctl.compare(
            &e.origine,
            &["total_declare"],
            format!("Total des effectifs {}", e.exercice),
            Unite::Nombre,
            d.0,
            out.total.agents,
        );
    }
    out
}

#[derive(Debug, Clone, Serialize)]
pub struct Compte {
    pub code: String,
    pub libelle: String,
    pub nombre: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Synthese {
    pub exercice: i32,
    pub membres: usize,
    pub communes: usize,
    pub partenaires: usize,
    pub services: usize,
    pub services_par_forme: Vec<Compte>,
    pub fiches: usize,
    pub fiches_par_statut: Vec<Compte>,
    pub fiches_par_priorite: Vec<Compte>,
    pub fiches_par_axe: Vec<Compte>,
    /// Every year that appears in balances, allocations or indicators.
    pub annees: Vec<i32>,
    /// Amounts allocated among bodies for the report's year, by taxes.
    pub reparti_ttc: Decimal,
    pub reparti_ht: Decimal,
    /// Total HT of the year's groupements de commandes.
    pub groupements_ht: Decimal,
    pub groupements: usize,
    /// Members that pay something for the report's year.
    pub membres_contributeurs: usize,
}

pub fn synthese(p: &Projet, services: &[ServiceCalcule], releves: &[Releve], commande: &CommandeCalculee) -> Synthese {
    let t = &p.territoire;
    let exercice = p.rapport.exercice;
    let services_par_forme = FormeJuridique::ALL
        .iter()
        .map(|f| Compte {
            code: f.token().into(),
            libelle: f.libelle().into(),
            nombre: services.iter().filter(|s| s.service.forme == *f).count(),
        })
        .filter(|c| c.nombre > 0)
        .collect();
    let fiches_par_statut = Statut::ALL
        .iter()
        .map(|st| Compte {
            code: st.token().into(),
            libelle: st.libelle().into(),
            nombre: p.fiches.iter().filter(|f| f.statut == *st).count(),
        })
        .filter(|c| c.nombre > 0)
        .collect();
    let mut prios: BTreeMap<Option<u8>, usize> = BTreeMap::new();
    for f in &p.fiches {
        *prios.entry(f.priorite).or_default() += 1;
    }
    let fiches_par_priorite = prios
        .into_iter()
        .map(|(k, n)| Compte {
            code: k.map(|v| v.to_string()).unwrap_or_else(|| "non_definie".into()),
            libelle: k.map(|v| format!("priorité {v}")).unwrap_or_else(|| "priorité non définie".into()),
            nombre: n,
        })
        .collect();
    let mut axes: Vec<&Lu<Axe>> = p.axes.iter().collect();
    axes.sort_by_key(|a| (a.numero, a.id.clone()));
    let fiches_par_axe = axes
        .iter()
        .map(|a| Compte {
            code: a.id.clone(),
            libelle: a.titre.clone(),
            nombre: p.fiches.iter().filter(|f| f.axe == a.id).count(),
        })
        .collect();
    let mut annees: BTreeSet<i32> = BTreeSet::new();
    let (mut ttc, mut ht) = (cents(Decimal::ZERO), cents(Decimal::ZERO));
    for s in services {
        annees.extend(s.bilans.iter().map(|b| b.exercice));
        annees.extend(s.repartitions.iter().map(|r| r.exercice));
        for i in &s.indicateurs {
            annees.extend(i.annees.iter().map(|a| a.annee));
        }
        for r in s.repartitions.iter().filter(|r| r.exercice == exercice) {
            match r.taxes {
                Taxes::Ttc => ttc += r.total,
                Taxes::Ht => ht += r.total,
            }
        }
    }
    let year_groupements: Vec<_> = commande.groupements.iter().filter(|g| g.groupement.exercice == exercice).collect();
    Synthese {
        exercice,
        membres: t.membres.len(),
        communes: t.membres.iter().filter(|m| m.genre == mutu_model::territoire::TypeMembre::Commune).count(),
        partenaires: t.partenaires.len(),
        services: services.len(),
        services_par_forme,
        fiches: p.fiches.len(),
        fiches_par_statut,
        fiches_par_priorite,
        fiches_par_axe,
        annees: annees.into_iter().collect(),
        reparti_ttc: ttc,
        reparti_ht: ht,
        groupements_ht: cents(year_groupements.iter().map(|g| g.groupement.total_ht.0).sum()),
        groupements: year_groupements.len(),
        membres_contributeurs: releves
            .iter()
            .filter(|r| {
                r.exercices
                    .iter()
                    .any(|e| e.exercice == exercice && (!e.lignes.is_empty() || !e.groupements.is_empty()))
            })
            .count(),
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AxeCalcule {
    #[serde(flatten)]
    pub axe: Axe,
    /// Ids of its fiches, by number.
    pub fiches: Vec<String>,
    pub fiches_par_statut: Vec<Compte>,
}

pub fn axes(p: &Projet) -> Vec<AxeCalcule> {
    let mut axes: Vec<&Lu<Axe>> = p.axes.iter().collect();
    axes.sort_by_key(|a| (a.numero, a.id.clone()));
    axes.into_iter()
        .map(|a| {
            let mut fiches: Vec<_> = p.fiches.iter().filter(|f| f.axe == a.id).collect();
            fiches.sort_by_key(|f| (f.numero, f.id.clone()));
            AxeCalcule {
                axe: a.valeur.clone(),
                fiches: fiches.iter().map(|f| f.id.clone()).collect(),
                fiches_par_statut: Statut::ALL
                    .iter()
                    .map(|st| Compte {
                        code: st.token().into(),
                        libelle: st.libelle().into(),
                        nombre: fiches.iter().filter(|f| f.statut == *st).count(),
                    })
                    .filter(|c| c.nombre > 0)
                    .collect(),
            }
        })
        .collect()
}
