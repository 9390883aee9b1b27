//! Computation: every derived figure, once, exactly. The result, [`Modele`],
//! is what `mutu export` prints and what every renderer consumes; no
//! renderer recomputes a figure.
//!
//! Where a figure is computed:
//! - allocation of a cost by a key → [`allocation`] (rounding) and [`repartition`] (keys, steps);
//! - balances, totals, evolutions → [`bilans`];
//! - declared totals vs computed → [`controles`];
//! - what each member pays → [`releves`];
//! - counts and roll-ups → [`synthese`];
//! - the report year against the previous one → [`evolutions`].

pub mod allocation;
pub mod bilans;
pub mod controles;
pub mod enquetes;
pub mod estimations;
pub mod evolutions;
pub mod export;
pub mod identite;
pub mod participation;
pub mod pipeline;
pub mod releves;
pub mod repartition;
pub mod synthese;

use mutu_base::diagnostic::Diagnostic;
use mutu_model::load::Loaded;
use mutu_model::{self as model, Projet};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// Version of the export format (docs/export.md).
pub const FORMAT_EXPORT: u32 = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Modele {
    pub format_export: u32,
    pub config: model::Config,
    pub rapport: model::Rapport,
    pub epci: model::Epci,
    pub membres: Vec<model::Membre>,
    pub partenaires: Vec<model::Partenaire>,
    pub schema: Option<model::Schema>,
    pub cles: Vec<model::Cle>,
    pub axes: Vec<synthese::AxeCalcule>,
    pub fiches: Vec<model::Fiche>,
    pub services: Vec<ServiceCalcule>,
    pub commande_publique: bilans::CommandeCalculee,
    pub effectifs: synthese::EffectifsCalcules,
    pub releves: Vec<releves::Releve>,
    pub synthese: synthese::Synthese,
    pub controles: Vec<controles::Controle>,
    pub contenus: Vec<model::Contenu>,
    /// The report year N against N-1 (filled from the rest of the model).
    pub evolutions: evolutions::Evolutions,
    /// Publisher identity and draft status.
    pub identite: identite::Identite,
    /// Members and partners by id (not exported).
    #[serde(skip)]
    pub annuaire: model::territoire::Annuaire,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceCalcule {
    #[serde(flatten)]
    pub service: model::Service,
    pub forme_libelle: &'static str,
    /// Data file the service is declared in (cross-footing checks name it).
    pub fichier: String,
    pub bilans: Vec<bilans::BilanCalcule>,
    pub repartitions: Vec<repartition::RepartitionCalculee>,
    pub indicateurs: Vec<synthese::IndicateurCalcule>,
    /// Staff of the service and its components.
    pub effectifs_total: Option<synthese::EffectifsLigne>,
    /// What each member that does not use the service would have paid
    /// for the report's year (« Et si nous adhérions ? »).
    pub estimations: Vec<estimations::Estimation>,
    /// Satisfaction surveys, by question.
    pub enquetes: Vec<enquetes::EnqueteCalculee>,
    /// The EPCI's participation in an outside structure's grid-priced offer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub participation: Option<participation::ParticipationCalculee>,
}

/// Computes the model. Diagnostics are figures that could not be computed
/// (errors) and declared totals that differ from the computed ones (warnings).
pub fn compute(loaded: &Loaded) -> Option<(Modele, Vec<Diagnostic>)> {
    let p: &Projet = loaded.projet.as_ref()?;
    let mut diags = Vec::new();
    let mut ctl = controles::Controles::new(loaded);

    let services: Vec<ServiceCalcule> = p
        .services
        .iter()
        .map(|s| {
            let bilans = bilans::bilans(s, &mut ctl);
            let repartitions = repartition::repartitions(p, s, &bilans, &mut ctl, loaded, &mut diags);
            let estimations = estimations::estimations(p, s, &bilans, &repartitions);
            let indicateurs = synthese::indicateurs(p, s, &mut ctl);
            let effectifs_total = synthese::effectifs_service(s, &mut ctl);
            ServiceCalcule {
                service: s.valeur.clone(),
                forme_libelle: s.forme.libelle(),
                fichier: mutu_base::diagnostic::display_path(&s.origine.fichier),
                effectifs_total,
                bilans,
                repartitions,
                indicateurs,
                estimations,
                enquetes: enquetes::enquetes(&s.enquetes),
                participation: participation::participation(p, s, loaded, &mut diags),
            }
        })
        .collect();
    let commande = bilans::commande(p, &mut ctl);
    let effectifs = synthese::effectifs(p, &services, &mut ctl);
    controles::populations(p, &mut ctl);
    let releves = releves::releves(p, &services, &commande);
    let synthese = synthese::synthese(p, &services, &releves, &commande);
    let axes = synthese::axes(p);
    let (controles, warn) = ctl.finish();
    diags.extend(warn);

    let mut fiches: Vec<model::Fiche> = p.fiches.iter().map(|f| f.valeur.clone()).collect();
    fiches.sort_by(|a, b| (axe_num(p, &a.axe), a.numero, &a.id).cmp(&(axe_num(p, &b.axe), b.numero, &b.id)));
    let mut contenus = p.contenus.clone();
    contenus.sort_by(|a, b| (a.entete.ordre.unwrap_or(0), &a.fichier).cmp(&(b.entete.ordre.unwrap_or(0), &b.fichier)));

    let mut m = Modele {
        format_export: FORMAT_EXPORT,
        config: p.config.clone(),
        rapport: p.rapport.valeur.clone(),
        epci: p.territoire.epci.clone(),
        membres: p.territoire.membres.clone(),
        partenaires: p.territoire.partenaires.clone(),
        schema: p.schema.as_ref().map(|s| s.valeur.clone()),
        cles: p.cles.iter().map(|c| c.valeur.clone()).collect(),
        axes,
        fiches,
        services,
        commande_publique: commande,
        effectifs,
        releves,
        synthese,
        controles,
        contenus,
        evolutions: evolutions::Evolutions::vide(p.rapport.exercice),
        identite: identite::identite(p, &loaded.sources),
        annuaire: p.annuaire.clone(),
    };
    m.evolutions = evolutions::evolutions(&m);
    Some((m, diags))
}

fn axe_num(p: &Projet, id: &str) -> u32 {
    p.axes.iter().find(|a| a.id == id).map(|a| a.numero).unwrap_or(u32::MAX)
}

/// Evolution between two years, in € (or units) and in % (2 decimals).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Evolution {
    pub annee_precedente: i32,
    pub ecart: Decimal,
    /// `None` when the previous value is zero.
    pub pourcentage: Option<Decimal>,
}

pub fn evolution(prev_year: i32, prev: Decimal, cur: Decimal) -> Evolution {
    Evolution {
        annee_precedente: prev_year,
        ecart: cur - prev,
        pourcentage: (!prev.is_zero()).then(|| pct(cur - prev, prev)),
    }
}

/// `part / whole` in %, rounded to 2 decimals half away from zero.
pub fn pct(part: Decimal, whole: Decimal) -> Decimal {
    if whole.is_zero() {
        return Decimal::ZERO;
    }
    (part * Decimal::ONE_HUNDRED / whole).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl Modele {
    /// The name of a member, partner or the EPCI.
    pub fn nom(&self, id: &str) -> String {
        self.annuaire.nom(&self.epci, &self.membres, &self.partenaires, id)
    }

    /// Rank of a body in the one order of organisations ([`mutu_model::territoire::Annuaire::rang`]).
    pub fn rang(&self, id: &str) -> (u8, usize) {
        self.annuaire.rang(&self.epci, &self.membres, &self.partenaires, id)
    }

    /// Plain-text summary printed by `mutu check`.
    pub fn resume_texte(&self) -> String {
        let s = &self.synthese;
        let mut out = String::new();
        out.push_str(&format!(
            "{} ({}) — rapport de l'exercice {}\n",
            self.epci.nom, self.epci.sigle, self.rapport.exercice
        ));
        out.push_str(&format!(
            "  membres : {} (communes : {}, autres organismes : {}), partenaires : {}\n",
            s.membres,
            s.communes,
            s.membres - s.communes,
            s.partenaires
        ));
        let formes: Vec<String> = s.services_par_forme.iter().map(|c| format!("{} : {}", c.libelle, c.nombre)).collect();
        out.push_str(&format!("  services : {}{}\n", s.services, entre_parentheses(&formes)));
        let statuts: Vec<String> = s.fiches_par_statut.iter().map(|c| format!("{} : {}", c.libelle, c.nombre)).collect();
        out.push_str(&format!("  fiches-actions : {}{}\n", s.fiches, entre_parentheses(&statuts)));
        if let (Some(a), Some(b)) = (s.annees.first(), s.annees.last()) {
            out.push_str(&format!("  années couvertes : {a} à {b}\n"));
        }
        out.push_str(&format!(
            "  contrôles des totaux publiés : conformes : {}, écarts : {}",
            self.controles.iter().filter(|c| c.conforme).count(),
            self.controles.iter().filter(|c| !c.conforme).count()
        ));
        out
    }
}

/// « (a, b) » after a count, nothing for an empty list: « fiches-actions : 0 »
/// rather than « 0 () ».
fn entre_parentheses(v: &[String]) -> String {
    if v.is_empty() {
        String::new()
    } else {
        format!(" ({})", v.join(", "))
    }
}
