//! French formatting of figures, done once here for every output:
//! `1 234 567,89 €` (narrow no-break space U+202F between thousands,
//! no-break space U+00A0 before the unit, as CLDR `fr`), `12,5 %`,
//! `−3,2 %` (true minus sign), dates in words (`1er avril 2024`).

use crate::model::Date;
use rust_decimal::{Decimal, RoundingStrategy};

/// Thousands separator: narrow no-break space.
pub const GROUP: char = '\u{202f}';
/// Space before a unit (€, %): no-break space.
pub const UNIT_SPACE: char = '\u{a0}';

/// Groups the integer digits by three and uses a decimal comma; keeps
/// exactly the decimals of `d` (scale). Negative values get U+2212.
fn digits(d: &Decimal) -> String {
    let s = d.abs().to_string();
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let mut grouped = String::new();
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            grouped.push(GROUP);
        }
        grouped.push(c);
    }
    let mut out = String::new();
    if d.is_sign_negative() && !d.is_zero() {
        out.push('\u{2212}');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(',');
        out.push_str(&f);
    }
    out
}

/// An amount in euros with cents: `186 641,00 €`.
pub fn montant(d: &Decimal) -> String {
    let r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    let mut r2 = r;
    r2.rescale(2);
    format!("{}{UNIT_SPACE}€", digits(&r2))
}

/// An amount without the unit, with cents: `186 641,00` (table cells whose
/// column header says €).
pub fn montant_nu(d: &Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    digits(&r)
}

/// A rounded amount for key figures: `4 163 420 €`.
pub fn montant_entier(d: &Decimal) -> String {
    let r = d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    format!("{}{UNIT_SPACE}€", digits(&r.normalize()))
}

/// A signed amount for evolutions: `+12 300,00 €`, `−3 204,50 €`.
pub fn montant_signe(d: &Decimal) -> String {
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{}", montant(d))
    } else {
        montant(d)
    }
}

/// A quantity without trailing zeros: `5 433`, `14,2`.
pub fn nombre(d: &Decimal) -> String {
    digits(&d.normalize())
}

/// An integer count.
pub fn entier(n: impl Into<i64>) -> String {
    digits(&Decimal::from(n.into()))
}

/// A percentage given in points: `64,29 %`, `100 %`.
pub fn pourcentage(d: &Decimal) -> String {
    format!("{}{GROUP}%", digits(&d.normalize()))
}

/// A percentage with exactly two decimals, for table columns: `64,29 %`,
/// `4,10 %`, `100,00 %`.
pub fn pourcentage_centiemes(d: &Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    format!("{}{GROUP}%", digits(&r))
}

/// A signed percentage for evolutions: `+23,8 %`, `−7,7 %`.
pub fn pourcentage_signe(d: &Decimal) -> String {
    if d.is_sign_positive() && !d.is_zero() {
        format!("+{}", pourcentage(d))
    } else {
        pourcentage(d)
    }
}

const MOIS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// `29 mars 2024`, `1er avril 2019`.
pub fn date_longue(d: &Date) -> String {
    let jour = if d.jour == 1 { "1er".to_string() } else { d.jour.to_string() };
    format!("{jour} {} {}", MOIS[(d.mois - 1) as usize], d.annee)
}

/// `29/03/2024`.
pub fn date_courte(d: &Date) -> String {
    format!("{:02}/{:02}/{}", d.jour, d.mois, d.annee)
}

/// A file size: `842 octets`, `12,4 ko`, `3,1 Mo`.
pub fn octets(n: u64) -> String {
    let d = Decimal::from(n);
    if n < 1000 {
        format!("{n}{UNIT_SPACE}octets")
    } else if n < 1_000_000 {
        format!("{}{UNIT_SPACE}ko", nombre(&(d / Decimal::from(1000)).round_dp(1)))
    } else {
        format!("{}{UNIT_SPACE}Mo", nombre(&(d / Decimal::from(1_000_000)).round_dp(1)))
    }
}

/// A duration: `850 ms`, `1,2 s`.
pub fn duree_ms(ms: u128) -> String {
    if ms < 1000 {
        format!("{ms}{UNIT_SPACE}ms")
    } else {
        format!("{}{UNIT_SPACE}s", nombre(&(Decimal::from(ms as u64) / Decimal::from(1000)).round_dp(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts() {
        assert_eq!(montant(&d("1234567.891")), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(montant(&d("186641")), "186\u{202f}641,00\u{a0}€");
        assert_eq!(montant(&d("-3204.5")), "\u{2212}3\u{202f}204,50\u{a0}€");
        assert_eq!(montant(&d("0")), "0,00\u{a0}€");
        assert_eq!(montant(&d("999")), "999,00\u{a0}€");
        assert_eq!(montant_entier(&d("4163420.00")), "4\u{202f}163\u{202f}420\u{a0}€");
        assert_eq!(montant_signe(&d("12300")), "+12\u{202f}300,00\u{a0}€");
        assert_eq!(montant_nu(&d("2726.4")), "2\u{202f}726,40");
    }

    #[test]
    fn numbers_and_percentages() {
        assert_eq!(nombre(&d("5433")), "5\u{202f}433");
        assert_eq!(nombre(&d("14.20")), "14,2");
        assert_eq!(entier(22), "22");
        assert_eq!(pourcentage(&d("64.29")), "64,29\u{202f}%");
        assert_eq!(pourcentage(&d("100.00")), "100\u{202f}%");
        assert_eq!(pourcentage_centiemes(&d("4.1")), "4,10\u{202f}%");
        assert_eq!(pourcentage_centiemes(&d("100")), "100,00\u{202f}%");
        assert_eq!(pourcentage_signe(&d("-7.70")), "\u{2212}7,7\u{202f}%");
    }

    #[test]
    fn dates() {
        let a: Date = "2024-03-29".parse().unwrap();
        let b: Date = "2019-04-01".parse().unwrap();
        assert_eq!(date_longue(&a), "29 mars 2024");
        assert_eq!(date_longue(&b), "1er avril 2019");
        assert_eq!(date_courte(&b), "01/04/2019");
    }
}
