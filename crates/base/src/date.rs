//! The calendar date of the data format (`2024-03-29` or `29/03/2024`),
//! with its readings and writings: ISO (`Display`, JSON), long French
//! ([`Date::longue`]: `29 mars 2024`) and short ([`Date::courte`]: `29/03/2024`):
//! the one place a date is written.

use crate::codes::Code;
use crate::scalaire::{custom_message, parse_scalar};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A calendar date, written `2024-03-29` or `29/03/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub annee: i32,
    pub mois: u32,
    pub jour: u32,
}

impl Date {
    pub fn new(annee: i32, mois: u32, jour: u32) -> Option<Date> {
        let max = match mois {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if (annee % 4 == 0 && annee % 100 != 0) || annee % 400 == 0 => 29,
            2 => 28,
            _ => return None,
        };
        ((1..=max).contains(&jour) && (1900..=2200).contains(&annee)).then_some(Date { annee, mois, jour })
    }

    /// The date `jours` days after 1970-01-01 (H. Hinnant's
    /// `civil_from_days`, proleptic Gregorian), for clock times: HTTP dates
    /// of the preview server, version names of a publication. No range check.
    pub fn depuis_jours_unix(jours: i64) -> Date {
        let z = jours + 719_468;
        let ere = z.div_euclid(146_097);
        let doe = z - ere * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let jour = doy - (153 * mp + 2) / 5 + 1;
        let mois = if mp < 10 { mp + 3 } else { mp - 9 };
        let annee = yoe + ere * 400 + i64::from(mois <= 2);
        Date {
            annee: annee as i32,
            mois: mois as u32,
            jour: jour as u32,
        }
    }

    /// `20240329`, as in @ctes identifiers.
    pub fn compact(&self) -> String {
        format!("{:04}{:02}{:02}", self.annee, self.mois, self.jour)
    }

    /// Days since 0000-03-01 (for pro rata temporis).
    pub fn day_number(&self) -> i64 {
        let (y, m) = if self.mois <= 2 {
            (self.annee as i64 - 1, self.mois as i64 + 9)
        } else {
            (self.annee as i64, self.mois as i64 - 3)
        };
        365 * y + y / 4 - y / 100 + y / 400 + (153 * m + 2) / 5 + self.jour as i64 - 1
    }
}

impl FromStr for Date {
    type Err = ();
    fn from_str(s: &str) -> Result<Date, ()> {
        let s = s.trim();
        let parts: Vec<&str> = if s.contains('-') {
            s.split('-').collect()
        } else {
            s.split('/').rev().collect()
        };
        if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) || parts[0].len() != 4 {
            return Err(());
        }
        let y = parts[0].parse().map_err(|_| ())?;
        let m = parts[1].parse().map_err(|_| ())?;
        let d = parts[2].parse().map_err(|_| ())?;
        Date::new(y, m, d).ok_or(())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.annee, self.mois, self.jour)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_scalar(d, |t| {
            t.parse().map_err(|_| {
                custom_message(
                    Code::DateInvalide,
                    &format!("date invalide : « {t} »"),
                    "une date réelle au format AAAA-MM-JJ (2024-03-29) ou JJ/MM/AAAA (29/03/2024)",
                    "vérifiez le jour et le mois (un 31 avril n'existe pas)",
                )
            })
        })
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
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

impl Date {
    /// `29 mars 2024`, `1ᵉʳ avril 2019` (the ordinal from [`jour`]).
    pub fn longue(&self) -> String {
        format!("{} {} {}", jour(self.jour), MOIS[(self.mois - 1) as usize], self.annee)
    }

    /// `29/03/2024`.
    pub fn courte(&self) -> String {
        format!("{:02}/{:02}/{}", self.jour, self.mois, self.annee)
    }
}

/// A day of the month as French writes it in a date: « 1ᵉʳ », « 2 ».
pub fn jour(j: u32) -> String {
    if j == 1 {
        "1\u{1d49}\u{2b3}".to_string()
    } else {
        j.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_since_the_epoch_on_known_days() {
        let d = |j: i64| Date::depuis_jours_unix(j).to_string();
        assert_eq!(d(0), "1970-01-01");
        assert_eq!(d(-1), "1969-12-31");
        assert_eq!(d(11_016), "2000-02-29");
        assert_eq!(d(19_723), "2024-01-01");
        assert_eq!(d(19_782), "2024-02-29");
        assert_eq!(d(20_794), "2026-12-07");
    }

    #[test]
    fn dates() {
        let a: Date = "2024-03-29".parse().unwrap();
        let b: Date = "2019-04-01".parse().unwrap();
        assert_eq!(a.longue(), "29 mars 2024");
        assert_eq!(b.longue(), "1ᵉʳ avril 2019");
        assert_eq!(b.courte(), "01/04/2019");
    }

    #[test]
    fn the_first_of_the_month_is_an_ordinal() {
        assert_eq!(jour(1), "1ᵉʳ");
        assert_eq!(jour(2), "2");
        assert_eq!(jour(31), "31");
    }
}
