//! Allocations of a service's cost: resolves each key for the year (base
//! values, populations of a millésime, exemptions, pro rata temporis,
//! tariffs), runs the steps, and records the rule so every renderer can
//! print it.

use super::allocation::{split, Weight};
use super::bilans::BilanCalcule;
use super::controles::{Controles, Unite};
use super::pct;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::cles::{Arrondi, BaseCle, Beneficiaires, Cle};
use mutu_model::load::Loaded;
use mutu_model::services::{ModePaiement, Repartition, Taxes};
use mutu_model::territoire::SortePopulation;
use mutu_model::values::Date;
use mutu_model::{Lu, Projet, Service};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::BTreeMap;

/// Where the amount an allocation splits comes from: said beside its
/// tables (« Montant réparti : … ») and in the export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrigineMontant {
    /// The allocation's own `montant:`.
    Saisi,
    /// The total expenses of the service's balance of the same year and taxes.
    Bilan,
    /// A tariff key: quantities × price, or a grid.
    Tarif,
    /// Amounts observed per body: no key applied.
    Constate,
    /// An outside structure's participation read in the offer's grid
    /// (`offre.participation`), re-invoiced to the communes.
    Participation,
}

#[derive(Debug, Clone, Serialize)]
pub struct RepartitionCalculee {
    pub exercice: i32,
    pub libelle: String,
    pub taxes: Taxes,
    /// Amount split (for tariffs: the sum of the amounts).
    pub montant: Decimal,
    pub origine_montant: OrigineMontant,
    pub arrondi: Arrondi,
    pub etapes: Vec<EtapeCalculee>,
    /// Final amount per body, in the order of the steps.
    pub parts: Vec<PartFinale>,
    pub total: Decimal,
    pub paiement: Option<ModePaiement>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EtapeCalculee {
    pub cle: String,
    pub cle_libelle: String,
    pub base: BaseCle,
    pub base_libelle: &'static str,
    pub millesime: Option<i32>,
    pub unite: Option<String>,
    pub tarif: Option<Decimal>,
    /// Body whose part this step re-splits (none for the first step).
    pub part_de: Option<String>,
    /// Amount entering the step.
    pub montant_entrant: Decimal,
    /// Amount kept by the EPCI before the split.
    pub prise_en_charge_epci: Option<Decimal>,
    /// Amount actually split at this step.
    pub montant_reparti: Decimal,
    pub total_base: Decimal,
    pub parts: Vec<PartCalculee>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartCalculee {
    pub beneficiaire: String,
    pub nom: String,
    pub base: Decimal,
    /// Fraction of the year covered (pro rata temporis), when not the whole year.
    pub prorata: Option<Decimal>,
    pub exonere: bool,
    /// Share of the base in %, 2 decimals (display only).
    pub pourcentage: Decimal,
    pub exact: Decimal,
    pub montant: Decimal,
}

#[derive(Debug, Clone, Serialize)]
pub struct PartFinale {
    pub beneficiaire: String,
    pub nom: String,
    pub montant: Decimal,
    /// The EPCI's own contribution taken before a split.
    pub prise_en_charge: bool,
}

pub fn repartitions(
    p: &Projet,
    s: &Lu<Service>,
    bilans: &[BilanCalcule],
    ctl: &mut Controles,
    loaded: &Loaded,
    diags: &mut Vec<Diagnostic>,
) -> Vec<RepartitionCalculee> {
    let mut out = Vec::new();
    // Bodies charged without adhering, one entry per body and service,
    // grouped by key for one diagnostic each: a key over 150 communes
    // whose adherents were left out would otherwise print 150 warnings.
    let mut reported_bodies: Vec<String> = Vec::new();
    let mut non_adherents: Vec<NonAdherents> = Vec::new();
    for (i, r) in s.repartitions.iter().enumerate() {
        let is = i.to_string();
        match one(p, s, r, bilans) {
            Ok(rc) => {
                for (j, e) in rc.etapes.iter().enumerate() {
                    for part in &e.parts {
                        let adheres = s.porteur == part.beneficiaire || s.adherents.iter().any(|a| a.membre == part.beneficiaire);
                        if part.montant.is_zero() || adheres || reported_bodies.contains(&part.beneficiaire) {
                            continue;
                        }
                        reported_bodies.push(part.beneficiaire.clone());
                        let corps = (part.beneficiaire.clone(), part.nom.clone(), part.montant);
                        match non_adherents.iter_mut().find(|g| g.cle == e.cle) {
                            Some(g) => g.corps.push(corps),
                            None => non_adherents.push(NonAdherents {
                                cle: e.cle.clone(),
                                loc: loaded.loc_value(&s.origine, &["repartitions", &is, "etapes", &j.to_string(), "cle"]),
                                corps: vec![corps],
                            }),
                        }
                    }
                }
                for (id, declared) in &r.parts_declarees {
                    let computed = node_amount(&rc, id);
                    ctl.compare(
                        &s.origine,
                        &["repartitions", &is, "parts_declarees", id],
                        format!("{} — part de « {} »", r.libelle, p.nom(id)),
                        Unite::Euro,
                        declared.0,
                        computed,
                    );
                }
                if let Some(d) = r.total_declare {
                    ctl.compare(
                        &s.origine,
                        &["repartitions", &is, "total_declare"],
                        format!("{} — total", r.libelle),
                        Unite::Euro,
                        d.0,
                        rc.total,
                    );
                }
                for (j, e) in r.etapes.iter().enumerate() {
                    if let (Some(d), Some(step)) = (e.total_declare, rc.etapes.get(j)) {
                        ctl.compare(
                            &s.origine,
                            &["repartitions", &is, "etapes", &j.to_string(), "total_declare"],
                            format!("{} — montant réparti à l'étape {}", r.libelle, j + 1),
                            Unite::Euro,
                            d.0,
                            step.montant_reparti,
                        );
                    }
                }
                out.push(rc);
            }
            Err((rel, Some(d))) => {
                let mut path = vec!["repartitions", is.as_str()];
                let rel: Vec<String> = rel;
                path.extend(rel.iter().map(String::as_str));
                diags.push(d.at(loaded.loc_value(&s.origine, &path)));
            }
            Err((_, None)) => {}
        }
    }
    for g in non_adherents {
        diags.push(g.diagnostic(s));
    }
    out
}

/// The bodies a key charges for a service they do not adhere to.
struct NonAdherents {
    cle: String,
    /// Where the key is applied (its first step using it).
    loc: Option<mutu_base::diagnostic::Loc>,
    /// Id, name and amount of each body, in the order of the parts.
    corps: Vec<(String, String, Decimal)>,
}

impl NonAdherents {
    fn diagnostic(self, s: &Service) -> Diagnostic {
        let montant = |m: &Decimal| mutu_base::format::Grandeur::Montant.texte(m);
        let d = match &self.corps[..] {
            [(id, nom, m)] => Diagnostic::warning(
                Code::NonAdherent,
                format!(
                    "la clé « {} » fait payer {} à « {nom} » pour le service « {} », sans qu'il en soit adhérent",
                    self.cle,
                    montant(m),
                    s.nom
                ),
            )
            .expected(format!("« {id} » parmi les `adherents:` du service « {} »", s.id))
            .hint(format!(
                "ajoutez `- membre: {id}` aux adhérents du service, ou retirez-le des bénéficiaires de la clé « {} »",
                self.cle
            )),
            corps => Diagnostic::warning(
                Code::NonAdherent,
                format!(
                    "la clé « {} » fait payer {} organismes pour le service « {} », sans qu'ils en soient adhérents : {}",
                    self.cle,
                    corps.len(),
                    s.nom,
                    corps.iter().map(|(_, nom, m)| format!("« {nom} » ({})", montant(m))).collect::<Vec<_>>().join(", ")
                ),
            )
            .expected(format!("ces {} organismes parmi les `adherents:` du service « {} »", corps.len(), s.id))
            .hint(format!(
                "ajoutez-les aux adhérents du service (quand toutes les communes membres adhèrent, une ligne suffit : `adherents: {}`), ou retirez-les des bénéficiaires de la clé « {} »",
                mutu_model::services::TOUTES_LES_COMMUNES,
                self.cle
            )),
        };
        d.at(self.loc)
    }
}

/// Amount of a body at any level of the allocation (its step part).
fn node_amount(rc: &RepartitionCalculee, id: &str) -> Decimal {
    for e in &rc.etapes {
        if let Some(p) = e.parts.iter().find(|p| p.beneficiaire == id) {
            return p.montant;
        }
    }
    rc.parts.iter().filter(|p| p.beneficiaire == id).map(|p| p.montant).sum()
}

/// Why an allocation cannot be computed: a diagnostic at a path under the
/// allocation, or `None` when the cause is an input error the checks have
/// already reported (unknown key, missing population, negative base value,
/// `part_de` on the first step or missing on a later one), so it is not
/// repeated.
type Fail = (Vec<String>, Option<Diagnostic>);

fn fail(rel: &[&str], d: Diagnostic) -> Fail {
    (rel.iter().map(|s| s.to_string()).collect(), Some(d))
}

fn reported() -> Fail {
    (Vec::new(), None)
}

fn one(p: &Projet, s: &Service, r: &Repartition, bilans: &[BilanCalcule]) -> Result<RepartitionCalculee, Fail> {
    let keys: BTreeMap<&str, &Cle> = p.cles.iter().map(|c| (c.id.as_str(), &c.valeur)).collect();
    one_avec(p, s, r, bilans, &keys)
}

/// [`one`] with the keys given: the estimate of an adhesion re-runs the
/// allocation with one key changed ([`crate::estimations`]).
pub(crate) fn one_avec(p: &Projet, s: &Service, r: &Repartition, bilans: &[BilanCalcule], keys: &BTreeMap<&str, &Cle>) -> Result<RepartitionCalculee, Fail> {
    if !r.montants_constates.is_empty() {
        let parts: Vec<PartFinale> = r
            .montants_constates
            .iter()
            .map(|(id, m)| PartFinale {
                beneficiaire: id.clone(),
                nom: p.nom(id),
                montant: m.0,
                prise_en_charge: false,
            })
            .collect();
        let mut parts = parts;
        parts.sort_by_key(|x| p.rang(&x.beneficiaire));
        let total = parts.iter().map(|p| p.montant).sum();
        return Ok(RepartitionCalculee {
            exercice: r.exercice,
            libelle: r.libelle.clone(),
            taxes: r.taxes,
            montant: total,
            origine_montant: OrigineMontant::Constate,
            arrondi: Arrondi::Centime,
            etapes: Vec::new(),
            parts,
            total,
            paiement: r.paiement,
            note: r.note.clone(),
        });
    }
    let first_key = r.etapes.first().and_then(|e| keys.get(e.cle.as_str()).copied());
    let Some(first_key) = first_key else {
        // No step (`repartition-vide`) or an unknown key (reference checks).
        return Err(reported());
    };
    let arrondi = first_key.arrondi.unwrap_or(Arrondi::Centime);
    let unit = match arrondi {
        Arrondi::Centime => Decimal::new(1, 2),
        Arrondi::Euro => Decimal::ONE,
    };
    let (montant, origine_montant) = if first_key.base.is_tariff() {
        (Decimal::ZERO, OrigineMontant::Tarif)
    } else if let Some(m) = r.montant {
        (m.0, OrigineMontant::Saisi)
    } else if let Some(b) = bilans.iter().find(|b| b.exercice == r.exercice && b.taxes == r.taxes) {
        (b.total_depenses, OrigineMontant::Bilan)
    } else {
        return Err(fail(
            &["libelle"],
            Diagnostic::error(Code::MontantManquant, format!("répartition « {} » : aucun montant à répartir", r.libelle))
                .expected(format!(
                    "`montant:` dans la répartition, ou un bilan {} {} du service « {} »",
                    r.exercice,
                    r.taxes.libelle(),
                    s.nom
                ))
                .hint("indiquez le montant à répartir, ou ajoutez le bilan de l'exercice"),
        ));
    };

    let mut etapes: Vec<EtapeCalculee> = Vec::new();
    // Final parts as an ordered list; later steps replace a body's part.
    let mut finals: Vec<PartFinale> = Vec::new();
    for (j, e) in r.etapes.iter().enumerate() {
        let js = j.to_string();
        let Some(c) = keys.get(e.cle.as_str()).copied() else {
            return Err(reported());
        };
        if (j == 0) == e.part_de.is_some() {
            return Err(reported()); // `etape-invalide` from the checks
        }
        let entering = match &e.part_de {
            None => montant,
            Some(id) => match finals.iter().position(|f| &f.beneficiaire == id && !f.prise_en_charge) {
                Some(pos) => finals.remove(pos).montant,
                None => {
                    return Err(fail(
                        &["etapes", &js, "part_de"],
                        Diagnostic::error(Code::EtapeInvalide, format!("« {id} » n'a pas de part à répartir à cette étape"))
                            .expected("un bénéficiaire d'une étape précédente")
                            .hint(format!(
                                "bénéficiaires disponibles : {}",
                                finals.iter().map(|f| f.beneficiaire.as_str()).collect::<Vec<_>>().join(", ")
                            )),
                    ))
                }
            },
        };
        if c.base.is_tariff() && j > 0 {
            return Err(fail(
                &["etapes", &js, "cle"],
                Diagnostic::error(Code::EtapeInvalide, "une clé tarifaire ne peut servir qu'à la première étape")
                    .hint("une grille ou des unités d'œuvre produisent des montants, elles ne répartissent pas une part"),
            ));
        }
        let prise = match (&c.prise_en_charge_epci, j) {
            (Some(pc), _) => {
                let keep = match (pc.montant, pc.part) {
                    (Some(m), _) => m.0,
                    (None, Some(part)) => mutu_model::values::cents(
                        (entering * part.0 / Decimal::ONE_HUNDRED / unit).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero) * unit,
                    ),
                    (None, None) => Decimal::ZERO,
                };
                if keep > entering {
                    return Err(fail(
                        &["etapes", &js, "cle"],
                        Diagnostic::error(
                            Code::PriseEnChargeExcessive,
                            format!(
                                "la prise en charge de l'EPCI ({}) dépasse le montant à répartir ({})",
                                mutu_base::format::Grandeur::Montant.texte(&keep),
                                mutu_base::format::Grandeur::Montant.texte(&entering)
                            ),
                        )
                        .hint("vérifiez la prise en charge de la clé"),
                    ));
                }
                Some(keep)
            }
            _ => None,
        };
        let to_split = entering - prise.unwrap_or_default();
        let resolved = resolve(p, c, r.exercice).map_err(|d| match d {
            Some(d) => fail(&["etapes", &js, "cle"], d),
            None => reported(),
        })?;
        if let Some(id) = e.part_de.as_ref().filter(|id| resolved.iter().any(|b| &b.id == *id)) {
            // A body re-splitting its part with itself: a loop.
            return Err(fail(
                &["etapes", &js, "part_de"],
                Diagnostic::error(
                    Code::EtapeCyclique,
                    format!("l'étape repartage la part de « {id} » avec la clé « {} », dont « {id} » est lui-même bénéficiaire", c.id),
                )
                .expected(format!("une clé dont les bénéficiaires ne comprennent pas « {id} »"))
                .hint("une part se repartage entre d'autres organismes ; pour qu'un organisme en garde une partie, utilisez `prise_en_charge_epci` dans la clé (pour l'EPCI) ou répartissez directement à la première étape"),
            ));
        }
        let total_base: Decimal = resolved.iter().map(|b| b.effective).sum();
        let shares: Vec<(Decimal, Decimal)> = if c.base.is_tariff() {
            resolved.iter().map(|b| (b.amount.unwrap_or_default(), b.amount.unwrap_or_default())).collect()
        } else {
            let weights: Vec<Weight> = resolved
                .iter()
                .map(|b| Weight {
                    id: b.id.clone(),
                    sort_key: b.sort_key.clone(),
                    weight: b.effective,
                })
                .collect();
            let Some(sh) = split(to_split, &weights, unit) else {
                if weights.iter().any(|w| w.weight < Decimal::ZERO) {
                    return Err(reported()); // `valeur-negative`
                }
                return Err(fail(
                    &["etapes", &js, "cle"],
                    Diagnostic::error(Code::BaseNulle, format!("la clé « {} » donne une base totale nulle pour {}", c.id, r.exercice))
                        .expected("au moins un bénéficiaire avec une valeur de base positive")
                        .hint("vérifiez les valeurs, les exonérations et les périodes de prorata"),
                ));
            };
            sh.into_iter().map(|x| (x.exact, x.amount)).collect()
        };
        let mut parts: Vec<PartCalculee> = resolved
            .iter()
            .zip(shares)
            .map(|(b, (exact, amount))| PartCalculee {
                beneficiaire: b.id.clone(),
                nom: p.nom(&b.id),
                base: b.base,
                prorata: b.prorata,
                exonere: b.exempt,
                pourcentage: pct(b.effective, total_base),
                exact,
                montant: amount,
            })
            .collect();
        // Rows in the one order of organisations; the split above does not
        // depend on the order (ties are broken by INSEE code, then id).
        parts.sort_by_key(|x| p.rang(&x.beneficiaire));
        if let Some(keep) = prise {
            finals.push(PartFinale {
                beneficiaire: p.territoire.epci.id.clone(),
                nom: p.nom(&p.territoire.epci.id),
                montant: keep,
                prise_en_charge: true,
            });
        }
        for part in &parts {
            finals.push(PartFinale {
                beneficiaire: part.beneficiaire.clone(),
                nom: part.nom.clone(),
                montant: part.montant,
                prise_en_charge: false,
            });
        }
        let montant_reparti = if c.base.is_tariff() {
            parts.iter().map(|p| p.montant).sum()
        } else {
            to_split
        };
        etapes.push(EtapeCalculee {
            cle: c.id.clone(),
            cle_libelle: c.libelle.clone(),
            base: c.base,
            base_libelle: c.base.libelle(),
            millesime: c.millesime,
            unite: c.unite.clone(),
            tarif: c.tarif.map(|t| t.0),
            part_de: e.part_de.clone(),
            montant_entrant: if c.base.is_tariff() { montant_reparti } else { entering },
            prise_en_charge_epci: prise,
            montant_reparti,
            total_base,
            parts,
        });
    }
    // The EPCI's own contribution first, then the one order of organisations.
    finals.sort_by_key(|f| (!f.prise_en_charge, p.rang(&f.beneficiaire)));
    let total: Decimal = mutu_model::values::cents(finals.iter().map(|f| f.montant).sum());
    let montant = if first_key.base.is_tariff() { total } else { montant };
    Ok(RepartitionCalculee {
        exercice: r.exercice,
        libelle: r.libelle.clone(),
        taxes: r.taxes,
        montant,
        origine_montant,
        arrondi,
        etapes,
        parts: finals,
        total,
        paiement: r.paiement,
        note: r.note.clone(),
    })
}

/// One beneficiary of a key for a year.
struct Resolved {
    id: String,
    sort_key: String,
    base: Decimal,
    /// Base after exemption and pro rata.
    effective: Decimal,
    prorata: Option<Decimal>,
    exempt: bool,
    /// Tariff keys: the amount due.
    amount: Option<Decimal>,
}

fn population(p: &Projet, id: &str, year: i32, sorte: SortePopulation) -> Option<u64> {
    let t = &p.territoire;
    let pops = if id == t.epci.id {
        &t.epci.populations
    } else if let Some(m) = p.annuaire.membre(&t.membres, id) {
        &m.populations
    } else {
        &p.annuaire.partenaire(&t.partenaires, id)?.populations
    };
    pops.get(&year)?.get(sorte)
}

fn sort_key(p: &Projet, id: &str) -> String {
    p.annuaire
        .membre(&p.territoire.membres, id)
        .and_then(|m| m.insee.clone())
        .unwrap_or_else(|| id.to_string())
}

/// Fraction of year `y` covered by a period, in whole months: a body that
/// joins on 1 April pays 9/12.
pub fn prorata_months(y: i32, du: Option<Date>, au: Option<Date>) -> Decimal {
    Decimal::from(mutu_model::cles::mois_couverts(y, du, au)) / Decimal::from(12)
}

/// The beneficiaries of a key for a year; `Err(None)` when a population is
/// missing (reported by the checks).
fn resolve(p: &Projet, c: &Cle, year: i32) -> Result<Vec<Resolved>, Option<Diagnostic>> {
    let mut list: Vec<(String, Decimal)> = Vec::new();
    match c.base.sorte_population() {
        Some(sorte) => {
            let millesime = c.millesime.unwrap_or(year);
            for id in c.beneficiaires.as_ref().unwrap_or(&Beneficiaires::Communes).ids(&p.territoire.membres) {
                let pop = population(p, &id, millesime, sorte).ok_or(None)?;
                list.push((id, Decimal::from(pop)));
            }
        }
        _ => {
            let values = c
                .valeurs_par_exercice
                .as_ref()
                .and_then(|v| v.get(&year))
                .or(c.valeurs.as_ref())
                .ok_or_else(|| {
                    Some(
                        Diagnostic::error(
                            Code::ValeursManquantes,
                            format!("la clé « {} » n'a pas de valeurs pour l'exercice {year}", c.id),
                        )
                        .expected(format!("`valeurs_par_exercice: {{ {year}: … }}` ou `valeurs:` dans la clé « {} »", c.id))
                        .hint("ajoutez les valeurs de base de cet exercice dans data/cles.yaml"),
                    )
                })?;
            list.extend(values.iter().map(|(k, v)| (k.clone(), v.0)));
        }
    }
    let mut out = Vec::new();
    for (id, base) in list {
        let exempt = match &c.exoneration {
            Some(ex) => {
                // The key's own figure, else the first one known.
                let y = c.millesime.unwrap_or(year);
                let pop = c
                    .base
                    .sorte_population()
                    .and_then(|s| population(p, &id, y, s))
                    .or_else(|| SortePopulation::ALL.iter().find_map(|s| population(p, &id, y, *s)));
                pop.is_some_and(|pop| pop < ex.population_inferieure_a)
            }
            None => false,
        };
        let prorata = c
            .prorata
            .get(&id)
            .map(|per| prorata_months(year, per.du, per.au))
            .filter(|f| *f != Decimal::ONE);
        let factor = if exempt { Decimal::ZERO } else { prorata.unwrap_or(Decimal::ONE) };
        // A tariff key gives an amount of its own (nothing without a price
        // or a band, which the checks report); the others split a total.
        let amount = c
            .base
            .is_tariff()
            .then(|| round_cent(c.quantite_et_prix(&id, base).map(|(q, prix)| q * prix).unwrap_or_default() * factor));
        out.push(Resolved {
            sort_key: sort_key(p, &id),
            id,
            base,
            effective: base * factor,
            prorata,
            exempt,
            amount,
        });
    }
    Ok(out)
}

fn round_cent(d: Decimal) -> Decimal {
    mutu_model::values::cents(d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<Date> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn pro_rata_by_whole_months() {
        assert_eq!(prorata_months(2023, d("2023-04-01"), None), Decimal::from(9) / Decimal::from(12));
        assert_eq!(prorata_months(2023, d("2023-04-15"), None), Decimal::from(8) / Decimal::from(12));
        assert_eq!(prorata_months(2023, None, d("2023-06-30")), Decimal::from(6) / Decimal::from(12));
        assert_eq!(prorata_months(2023, d("2022-01-01"), None), Decimal::ONE);
        assert_eq!(prorata_months(2023, d("2024-01-01"), None), Decimal::ZERO);
    }
}
