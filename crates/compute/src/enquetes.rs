//! Satisfaction surveys, computed once: the surveys of a service grouped
//! by question (and scale), year by year, with the respondents, the
//! response rate and each level's share — exact decimals, rounded to two
//! places for display only by the renderers.

use model::enquetes::Enquete;
use mutu_model as model;
use rust_decimal::Decimal;
use serde::Serialize;

/// One question of a service's surveys, over the years it was asked.
#[derive(Debug, Clone, Serialize)]
pub struct EnqueteCalculee {
    pub question: String,
    pub echelle: Vec<String>,
    /// In increasing order of year.
    pub annees: Vec<AnneeEnquete>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnneeEnquete {
    pub exercice: i32,
    /// Answers per level of the scale.
    pub reponses: Vec<u32>,
    /// Sum of the answers.
    pub repondants: u64,
    pub sollicites: Option<u32>,
    /// Respondents out of the members asked, in % (exact).
    pub taux_reponse: Option<Decimal>,
    /// Each level's share of the answers, in % (exact; empty without any answer).
    pub parts: Vec<Decimal>,
    pub note: Option<String>,
}

/// The surveys grouped by question and scale, in the order each question
/// first appears. Surveys the check refuses (counts not matching the
/// scale) are left out.
pub fn enquetes(enquetes: &[Enquete]) -> Vec<EnqueteCalculee> {
    let mut out: Vec<EnqueteCalculee> = Vec::new();
    for e in enquetes.iter().filter(|e| e.echelle.len() >= 2 && e.reponses.len() == e.echelle.len()) {
        // u64: the sum of u32 counts cannot overflow it.
        let repondants: u64 = e.reponses.iter().map(|&n| u64::from(n)).sum();
        let cent = Decimal::ONE_HUNDRED;
        let annee = AnneeEnquete {
            exercice: e.exercice,
            reponses: e.reponses.clone(),
            repondants,
            sollicites: e.sollicites,
            taux_reponse: e.sollicites.filter(|n| *n > 0).map(|n| Decimal::from(repondants) * cent / Decimal::from(n)),
            parts: if repondants == 0 {
                Vec::new()
            } else {
                e.reponses.iter().map(|r| Decimal::from(*r) * cent / Decimal::from(repondants)).collect()
            },
            note: e.note.clone(),
        };
        match out.iter_mut().find(|q| q.question == e.question && q.echelle == e.echelle) {
            Some(q) => q.annees.push(annee),
            None => out.push(EnqueteCalculee {
                question: e.question.clone(),
                echelle: e.echelle.clone(),
                annees: vec![annee],
            }),
        }
    }
    for q in &mut out {
        q.annees.sort_by_key(|a| a.exercice);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(exercice: i32, reponses: Vec<u32>, sollicites: Option<u32>) -> Enquete {
        Enquete {
            exercice,
            question: "Satisfait ?".into(),
            echelle: vec!["Oui".into(), "Plutôt".into(), "Non".into()],
            reponses,
            sollicites,
            note: None,
        }
    }

    #[test]
    fn shares_and_rates_are_exact_and_years_grouped() {
        let q = enquetes(&[e(2024, vec![3, 1, 0], Some(8)), e(2023, vec![2, 2, 2], None)]);
        assert_eq!(q.len(), 1);
        let [a, b] = &q[0].annees[..] else { panic!() };
        assert_eq!((a.exercice, b.exercice), (2023, 2024));
        assert_eq!(a.taux_reponse, None);
        assert_eq!(b.repondants, 4);
        assert_eq!(b.taux_reponse, Some(Decimal::from(50)));
        assert_eq!(b.parts, vec![Decimal::from(75), Decimal::from(25), Decimal::ZERO]);
        assert_eq!(a.parts.iter().sum::<Decimal>().round_dp(10), Decimal::ONE_HUNDRED);
    }
}
