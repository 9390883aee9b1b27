//! Splitting an amount in proportion to base values, exactly: parts are
//! rounded to the unit (cent or euro) by the largest-remainder method, so
//! they always add back to the total; ties go to the smaller sort key
//! (INSEE code, else id).

use rust_decimal::Decimal;

/// One beneficiary of a split: id, tie-break key, weight.
#[derive(Debug, Clone)]
pub struct Weight {
    pub id: String,
    pub sort_key: String,
    pub weight: Decimal,
}

/// Result for one beneficiary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub id: String,
    /// Exact proportional share, before rounding (28 significant digits).
    pub exact: Decimal,
    /// Rounded part; parts sum to the rounded total.
    pub amount: Decimal,
}

/// Splits `total` by `weights`, rounding parts to multiples of `unit`
/// (0.01 or 1). Returns `None` when the weights sum to zero or are negative.
/// When `total` is not a multiple of `unit`, it is first rounded to it
/// (half away from zero) and the parts add up to that rounded total.
pub fn split(total: Decimal, weights: &[Weight], unit: Decimal) -> Option<Vec<Share>> {
    if weights.iter().any(|w| w.weight < Decimal::ZERO) || unit <= Decimal::ZERO {
        return None;
    }
    let sum: Decimal = weights.iter().map(|w| w.weight).sum();
    if sum.is_zero() {
        return None;
    }
    let negative = total < Decimal::ZERO;
    let abs_total = total.abs();
    // Total in units, as an integer-valued decimal.
    let units = (abs_total / unit).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    let mut floors = Vec::with_capacity(weights.len());
    let mut assigned = Decimal::ZERO;
    for (i, w) in weights.iter().enumerate() {
        let num = units.checked_mul(w.weight)?;
        let q = (num / sum).floor();
        let rem = num - q * sum; // exact remainder, in [0, sum)
        assigned += q;
        floors.push((i, q, rem));
    }
    let mut left = units - assigned;
    // Largest remainder first; ties by sort key, then id.
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        floors[b]
            .2
            .cmp(&floors[a].2)
            .then_with(|| weights[a].sort_key.cmp(&weights[b].sort_key))
            .then_with(|| weights[a].id.cmp(&weights[b].id))
    });
    for &i in &order {
        if left <= Decimal::ZERO {
            break;
        }
        if floors[i].2 > Decimal::ZERO {
            floors[i].1 += Decimal::ONE;
            left -= Decimal::ONE;
        }
    }
    let sign = if negative { Decimal::NEGATIVE_ONE } else { Decimal::ONE };
    Some(
        weights
            .iter()
            .zip(floors)
            .map(|(w, (_, q, _))| Share {
                id: w.id.clone(),
                exact: sign * abs_total * w.weight / sum,
                amount: (sign * q * unit).normalize_to(unit),
            })
            .collect(),
    )
}

trait NormalizeTo {
    fn normalize_to(self, unit: Decimal) -> Decimal;
}
impl NormalizeTo for Decimal {
    /// Gives amounts the scale of the unit, and at least cents.
    fn normalize_to(self, unit: Decimal) -> Decimal {
        let mut d = self;
        d.rescale(unit.scale().max(2));
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn w(id: &str, v: i64) -> Weight {
        Weight {
            id: id.into(),
            sort_key: id.into(),
            weight: Decimal::from(v),
        }
    }

    #[test]
    fn ads_split_between_the_two_epci() {
        // Published 2023 report: 290 331 € split by DGF population 50 614 / 28 119.
        let parts = split(Decimal::from(290331), &[w("capld", 50614), w("clcl", 28119)], Decimal::ONE).unwrap();
        assert_eq!(parts[0].amount.to_string(), "186641.00");
        assert_eq!(parts[1].amount.to_string(), "103690.00");
        let cents = split(Decimal::from(290331), &[w("capld", 50614), w("clcl", 28119)], Decimal::new(1, 2)).unwrap();
        assert_eq!(cents[0].amount.to_string(), "186641.09");
        assert_eq!(cents[1].amount.to_string(), "103689.91");
    }

    #[test]
    fn ties_go_to_the_smaller_key() {
        let parts = split(Decimal::new(1, 2), &[w("b", 1), w("a", 1)], Decimal::new(1, 2)).unwrap();
        assert_eq!(parts[1].amount.to_string(), "0.01");
        assert_eq!(parts[0].amount.to_string(), "0.00");
    }

    #[test]
    fn zero_weights_are_refused() {
        assert!(split(Decimal::from(10), &[w("a", 0)], Decimal::ONE).is_none());
    }

    proptest! {
        #[test]
        fn parts_sum_exactly_and_stay_within_one_cent(
            cents in -1_000_000_000i64..1_000_000_000i64,
            ws in proptest::collection::vec(0u32..2_000_000u32, 1..40),
        ) {
            prop_assume!(ws.iter().any(|&x| x > 0));
            let total = Decimal::new(cents, 2);
            let weights: Vec<Weight> = ws.iter().enumerate().map(|(i, &x)| Weight { id: format!("m{i:03}"), sort_key: format!("{i:05}"), weight: Decimal::from(x) }).collect();
            let parts = split(total, &weights, Decimal::new(1, 2)).unwrap();
            let sum: Decimal = parts.iter().map(|p| p.amount).sum();
            prop_assert_eq!(sum, total);
            let cent = Decimal::from_str("0.01").unwrap();
            for p in &parts {
                prop_assert!((p.amount - p.exact).abs() < cent, "{} vs {}", p.amount, p.exact);
            }
        }
    }
}
