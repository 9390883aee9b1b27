//! Value types of the data format: exact amounts, quantities, percentages,
//! dates, "non évaluable" answers and French enum tokens.
//!
//! Every number is read from the YAML *text* (never through f64), so
//! `257119.00` keeps its two decimals and `"257 119,00 €"` is accepted.

pub use mutu_base::codes::Code;
pub use mutu_base::date::Date;
pub use mutu_base::scalaire::{custom_error, custom_message, parse_scalar};
#[doc(hidden)]
pub use mutu_base::suggest::did_you_mean;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Normalises a token a person typed: lower case, no accents, `_` for
/// spaces, hyphens and apostrophes. "Réalisée" → "realisee",
/// "à définir" → "a_definir".
pub fn normalize_token(s: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if matches!(c, ' ' | '-' | '_' | '\'' | '’' | '\u{a0}' | '\u{202f}') {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            mutu_base::texte::replie_car(c, &mut out);
        }
    }
    out
}

fn scalar_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    parse_scalar(d, |t| Ok(t.to_string()))
}

/// Parses a French or plain decimal: `257119.00`, `"257 119,00 €"`,
/// `"1.234,5"`, `"−12"`. Returns `None` when the text is not a number.
pub fn parse_decimal(text: &str, strip_units: &[&str]) -> Option<Decimal> {
    let s = chiffres(text, strip_units);
    if s.is_empty() {
        return None;
    }
    let normalized = if s.contains(',') {
        // French: comma is the decimal mark; dots may group thousands.
        if s.matches(',').count() > 1 {
            return None;
        }
        let (int, frac) = s.split_once(',')?;
        if int.contains('.') && !valid_grouping(int, '.') {
            return None;
        }
        format!("{}.{}", int.replace('.', ""), frac)
    } else {
        s
    };
    let body = normalized.trim_start_matches(['-', '+']);
    if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == '.') || body.starts_with('.') || body.ends_with('.') {
        return None;
    }
    Decimal::from_str_exact(&normalized).ok()
}

/// The figure of `text` without its unit and spaces, `−` as `-`.
fn chiffres(text: &str, strip_units: &[&str]) -> String {
    let mut s: String = text.trim().to_string();
    for u in strip_units {
        if let Some(rest) = s.strip_suffix(u) {
            s = rest.trim_end().to_string();
        }
    }
    s.chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}'))
        .map(|c| if c == '−' { '-' } else { c })
        .collect()
}

/// The two readings of a figure whose meaning depends on the convention:
/// a point followed by exactly three digits after a non-zero integer part
/// (`257.119`, `1.000`, `-257.119`) is a thousands separator to a French
/// reader (257 119) and a decimal point to YAML (257,119). Returns
/// `(thousands, decimal)`, or `None` when the text reads one way only
/// (`0.125`, `12.50`, `"257,119"`, `257119`).
pub fn lectures_ambigues(text: &str, strip_units: &[&str]) -> Option<(Decimal, Decimal)> {
    let s = chiffres(text, strip_units);
    let signe = if s.starts_with('-') { "-" } else { "" };
    let (entiers, decimales) = s.trim_start_matches(['-', '+']).split_once('.')?;
    let tout_chiffres = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
    if !tout_chiffres(entiers) || entiers.chars().all(|c| c == '0') || decimales.len() != 3 || !tout_chiffres(decimales) {
        return None;
    }
    let milliers = Decimal::from_str_exact(&format!("{signe}{entiers}{decimales}")).ok()?;
    let decimal = Decimal::from_str_exact(&format!("{signe}{entiers}.{decimales}")).ok()?;
    Some((milliers, decimal))
}

/// The `nombre-ambigu` refusal of [`lectures_ambigues`], giving both readings
/// and how to write each one.
fn refus_ambigu(text: &str, (milliers, decimal): (Decimal, Decimal)) -> NombreRefuse {
    let saisie = |d: &Decimal| mutu_base::format::Grandeur::Saisie.texte(d);
    let (m, d) = (saisie(&milliers), saisie(&decimal));
    // The typed form of the thousands reading: grouped by ordinary spaces.
    let groupe = mutu_base::format::Grandeur::Entier
        .texte(&milliers)
        .replace(mutu_base::format::GROUP, " ")
        .replace('\u{2212}', "-");
    NombreRefuse {
        code: Code::NombreAmbigu,
        message: format!("nombre ambigu : « {} » se lit {m} (point des milliers) ou {d} (point décimal)", text.trim()),
        attendu: format!("{m} ou \"{groupe}\" pour {m} ; \"{d}\" pour {d}"),
        aide: "un point suivi de trois chiffres sépare les milliers en français mais marque les décimales en YAML : mutu ne devine pas, écrivez le nombre sans point".into(),
    }
}

/// Why a text typed as a figure is refused: the diagnostic's code, message,
/// what was expected and a hint. The YAML loader and `mutu import` (cells of
/// a spreadsheet) both read figures through [`lire_montant`] and
/// [`lire_nombre`], so a figure is refused the same way wherever it is typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NombreRefuse {
    pub code: Code,
    pub message: String,
    pub attendu: String,
    pub aide: String,
}

impl NombreRefuse {
    /// The message a deserializer raises (see [`custom_message`]).
    fn message_serde(&self) -> String {
        custom_message(self.code, &self.message, &self.attendu, &self.aide)
    }
}

/// Reads an amount in euros: French or plain notation, `€` allowed, an
/// ambiguous `257.119` refused; two decimals at least (see [`cents`]).
pub fn lire_montant(t: &str) -> Result<Decimal, NombreRefuse> {
    if trop_grand(t, UNITES_MONTANT) {
        return Err(NombreRefuse {
            code: Code::MontantTropGrand,
            message: format!("montant trop grand : « {t} »"),
            attendu: "un montant inférieur à 1 000 milliards d'euros (10¹²)".into(),
            aide: "vérifiez le nombre de chiffres ; un montant s'écrit en euros, avec au plus deux décimales utiles".into(),
        });
    }
    if let Some(lectures) = lectures_ambigues(t, UNITES_MONTANT) {
        return Err(refus_ambigu(t, lectures));
    }
    parse_decimal(t, UNITES_MONTANT).map(cents).ok_or_else(|| NombreRefuse {
        code: Code::MontantInvalide,
        message: format!("montant illisible : « {t} »"),
        attendu: "un montant en euros, par exemple 257119.00 ou \"257 119,00 €\"".into(),
        aide: "utilisez des chiffres, la virgule ou le point pour les centimes, et des espaces pour les milliers".into(),
    })
}

/// Reads a quantity without unit, with the same notations and refusals as
/// [`lire_montant`].
pub fn lire_nombre(t: &str) -> Result<Decimal, NombreRefuse> {
    if trop_grand(t, &[]) {
        return Err(NombreRefuse {
            code: Code::NombreTropGrand,
            message: format!("nombre trop grand : « {t} »"),
            attendu: "un nombre inférieur à 1 000 milliards (10¹²)".into(),
            aide: "vérifiez le nombre de chiffres".into(),
        });
    }
    if let Some(lectures) = lectures_ambigues(t, &[]) {
        return Err(refus_ambigu(t, lectures));
    }
    parse_decimal(t, &[]).ok_or_else(|| NombreRefuse {
        code: Code::NombreInvalide,
        message: format!("nombre illisible : « {t} »"),
        attendu: "un nombre, par exemple 14.2 ou \"14,2\"".into(),
        aide: "écrivez le nombre sans unité".into(),
    })
}

fn valid_grouping(int: &str, sep: char) -> bool {
    let int = int.trim_start_matches(['-', '+']);
    let mut groups = int.split(sep);
    let first = groups.next().unwrap_or("");
    (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
}

/// Largest magnitude of an amount or a quantity (10¹², a thousand billion):
/// far above any budget or population, and small enough that no product or
/// sum of the computations can overflow the 28 digits of a `Decimal`.
pub const MAXIMUM: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Does `text` read as a number too large for [`MAXIMUM`] (more integer
/// digits than a `Decimal` holds, or a value at or beyond it)?
fn trop_grand(text: &str, strip_units: &[&str]) -> bool {
    match parse_decimal(text, strip_units) {
        Some(d) => d.abs() >= MAXIMUM,
        None => {
            let t = text.trim().trim_start_matches(['-', '+', '−']);
            let entiers = t.split([',', '.']).next().unwrap_or("");
            let chiffres = entiers.chars().filter(char::is_ascii_digit).count();
            chiffres > 12
                && t.chars()
                    .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}' | ',' | '.' | '€'))
        }
    }
}

/// Gives an amount at least two decimals (`257119` → `257119.00`), so every
/// amount of the model and of the export has its cents.
pub fn cents(mut d: Decimal) -> Decimal {
    if d.scale() < 2 {
        d.rescale(2);
    }
    d
}

/// Units an amount may be written with.
const UNITES_MONTANT: &[&str] = &["€", "EUR", "euros", "euro"];

/// An amount of money in euros, exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Montant(pub Decimal);

impl Montant {
    pub fn zero() -> Self {
        Montant(Decimal::ZERO)
    }
}

impl<'de> Deserialize<'de> for Montant {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_scalar(d, |t| lire_montant(t).map(Montant).map_err(|r| r.message_serde()))
    }
}

impl Serialize for Montant {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// A non-monetary quantity (ETP, units, base values), exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Nombre(pub Decimal);

impl<'de> Deserialize<'de> for Nombre {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_scalar(d, |t| lire_nombre(t).map(Nombre).map_err(|r| r.message_serde()))
    }
}

impl Serialize for Nombre {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// A percentage in points: `50`, `"50 %"`, `"20,84 %"` all mean 50 / 20.84 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pourcentage(pub Decimal);

impl<'de> Deserialize<'de> for Pourcentage {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_scalar(d, |t| match parse_decimal(t, &["%"]) {
            Some(v) if v >= Decimal::ZERO && v <= Decimal::ONE_HUNDRED => Ok(Pourcentage(v)),
            _ => Err(custom_message(
                Code::PourcentageInvalide,
                &format!("pourcentage illisible ou hors de 0 à 100 : « {t} »"),
                "un pourcentage entre 0 et 100, par exemple 50 ou \"20,84 %\"",
                "un pourcentage s'écrit en points : 50 pour 50 %, pas 0.5",
            )),
        })
    }
}

impl Serialize for Pourcentage {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.to_string())
    }
}

/// Defines an enum read from a French token (accents, case and spaces
/// ignored), serialised as its canonical snake_case token, with a label.
macro_rules! token_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident => $token:literal, $label:literal $(| $alias:literal)*;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn token(&self) -> &'static str {
                match self { $($name::$variant => $token),+ }
            }
            /// The French label shown to readers.
            pub fn libelle(&self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
            pub fn tokens() -> Vec<&'static str> {
                vec![$($token),+]
            }
            pub fn parse(s: &str) -> Option<Self> {
                let n = $crate::values::normalize_token(s);
                match n.as_str() {
                    $($token $(| $alias)* => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::values::parse_scalar(d, |t| {
                    $name::parse(t).ok_or_else(|| {
                        let tokens = $name::tokens();
                        let hint = $crate::values::did_you_mean(&$crate::values::normalize_token(t), tokens.iter().copied())
                            .unwrap_or_else(|| "la liste des valeurs admises figure dans « mutu aide format »".to_string());
                        $crate::values::custom_message(
                            $crate::values::Code::ValeurInconnue,
                            &format!("valeur « {t} » non reconnue"),
                            &format!("une des valeurs : {}", tokens.join(", ")),
                            &hint,
                        )
                    })
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.token())
            }
        }
    };
}
pub(crate) use token_enum;

pub fn deserialize_text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    scalar_text(d)
}

/// A figure that may be explicitly unknown: "non évaluable", "à définir",
/// or "aucun"/"non" (no impact) — all different from a missing value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation {
    Montant(Montant),
    NonEvaluable,
    ADefinir,
    Aucun,
}

impl<'de> Deserialize<'de> for Evaluation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_scalar(d, |t| {
            match normalize_token(t).as_str() {
                "non_evaluable" | "non_evaluable_a_ce_stade" => return Ok(Evaluation::NonEvaluable),
                "a_definir" => return Ok(Evaluation::ADefinir),
                "aucun" | "aucune" | "non" | "neant" => return Ok(Evaluation::Aucun),
                _ => {}
            }
            // The one amount reader (bounds, ambiguous notations); only the
            // words it may also be are added to what is expected.
            lire_montant(t).map(|v| Evaluation::Montant(Montant(v))).map_err(|r| match r.code {
                Code::MontantInvalide => custom_message(
                    Code::MontantInvalide,
                    &r.message,
                    "un montant, ou « non évaluable », « à définir », « aucun »",
                    "une appréciation en toutes lettres se met dans le champ `commentaire`",
                ),
                _ => r.message_serde(),
            })
        })
    }
}

impl Serialize for Evaluation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Evaluation::Montant(m) => m.serialize(s),
            Evaluation::NonEvaluable => s.serialize_str("non_evaluable"),
            Evaluation::ADefinir => s.serialize_str("a_definir"),
            Evaluation::Aucun => s.serialize_str("aucun"),
        }
    }
}

token_enum! {
    /// A yes/no answer that may also be explicitly open.
    Reponse {
        Oui => "oui", "Oui" | "true" | "yes";
        Non => "non", "Non" | "false" | "no";
        ADefinir => "a_definir", "À définir";
        NonEvaluable => "non_evaluable", "Non évaluable à ce stade" | "non_evaluable_a_ce_stade";
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_evaluation_reads_amounts_as_every_amount_is_read() {
        let e = |s: &str| serde_yaml::from_str::<Evaluation>(s).map_err(|e| e.to_string());
        assert!(matches!(e("\"1 234,50 €\""), Ok(Evaluation::Montant(_))));
        assert!(matches!(e("non évaluable"), Ok(Evaluation::NonEvaluable)));
        assert!(e("\"12 345 678 901 234 €\"").unwrap_err().starts_with("mutu:montant-trop-grand|"));
        assert!(e("257.119").unwrap_err().starts_with("mutu:nombre-ambigu|"));
        assert!(e("beaucoup").unwrap_err().contains("« non évaluable »"));
    }

    #[test]
    fn maximum_is_ten_to_the_twelfth() {
        assert_eq!(MAXIMUM, Decimal::from(1_000_000_000_000i64));
        assert!(trop_grand("99999999999999999999999999999999", &[]));
        assert!(trop_grand("1 000 000 000 000,00 €", &["€"]));
        assert!(!trop_grand("999 999 999 999,99 €", &["€"]));
        assert!(!trop_grand("1e400", &[]));
        assert!(!trop_grand("abc", &[]));
    }
    use super::*;
    use rust_decimal_macros_free::dec;

    mod rust_decimal_macros_free {
        macro_rules! dec {
            ($s:literal) => {
                rust_decimal::Decimal::from_str_exact($s).unwrap()
            };
        }
        pub(crate) use dec;
    }

    #[test]
    fn decimals_are_exact() {
        assert_eq!(parse_decimal("257119.00", &[]).unwrap().to_string(), "257119.00");
        assert_eq!(parse_decimal("257 119,00 €", &["€"]).unwrap(), dec!("257119.00"));
        assert_eq!(parse_decimal("257\u{202f}119,5\u{a0}€", &["€"]).unwrap(), dec!("257119.5"));
        assert_eq!(parse_decimal("1.234.567,89", &[]).unwrap(), dec!("1234567.89"));
        assert_eq!(parse_decimal("−12", &[]).unwrap(), dec!("-12"));
        assert_eq!(parse_decimal("12.", &[]), None);
        assert_eq!(parse_decimal("1,2,3", &[]), None);
        assert_eq!(parse_decimal("12a", &[]), None);
        assert_eq!(parse_decimal("1.23,4", &[]), None);
    }

    #[test]
    fn a_point_before_three_digits_reads_two_ways() {
        let l = |t: &str| lectures_ambigues(t, &["€"]);
        assert_eq!(l("257.119"), Some((dec!("257119"), dec!("257.119"))));
        assert_eq!(l("1.000"), Some((dec!("1000"), dec!("1.000"))));
        assert_eq!(l("-257.119"), Some((dec!("-257119"), dec!("-257.119"))));
        assert_eq!(l("−257.119 €"), Some((dec!("-257119"), dec!("-257.119"))));
        assert_eq!(l("+1.500"), Some((dec!("1500"), dec!("1.500"))));
        for sur in [
            "0.125",
            "00.125",
            "1.5",
            "12.50",
            "257119",
            "257119.00",
            "\"257,119\"",
            "257,119",
            "1.234,567",
            "1.234.567",
            "14.1250",
            ".125",
            "abc.125",
            "",
        ] {
            assert_eq!(l(sur), None, "{sur}");
        }
    }

    #[test]
    fn ambiguous_amounts_and_quantities_are_refused() {
        for yaml in ["257.119", "\"257.119\"", "\"257.119 €\"", "-1.000"] {
            let e = serde_yaml::from_str::<Montant>(yaml).unwrap_err().to_string();
            assert!(e.contains("mutu:nombre-ambigu|"), "{yaml} : {e}");
            assert!(serde_yaml::from_str::<Evaluation>(yaml)
                .unwrap_err()
                .to_string()
                .contains("mutu:nombre-ambigu|"));
        }
        let e = serde_yaml::from_str::<Nombre>("1.000").unwrap_err().to_string();
        assert!(e.starts_with("mutu:nombre-ambigu|nombre ambigu : « 1.000 » se lit 1000 (point des milliers) ou 1 (point décimal)|1000 ou \"1 000\" pour 1000 ; \"1\" pour 1|"), "{e}");
        // The French decimal comma and unambiguous points stay valid.
        assert_eq!(serde_yaml::from_str::<Montant>("\"257,119\"").unwrap().0, dec!("257.119"));
        assert_eq!(serde_yaml::from_str::<Nombre>("0.125").unwrap().0, dec!("0.125"));
        assert_eq!(serde_yaml::from_str::<Nombre>("12.50").unwrap().0, dec!("12.50"));
    }

    #[test]
    fn yaml_numbers_keep_their_scale() {
        let m: Montant = serde_yaml::from_str("257119.00").unwrap();
        assert_eq!(m.0.to_string(), "257119.00");
        let m: Montant = serde_yaml::from_str("\"257 119,00 €\"").unwrap();
        assert_eq!(m.0.to_string(), "257119.00");
        let p: Pourcentage = serde_yaml::from_str("\"20,84 %\"").unwrap();
        assert_eq!(p.0, dec!("20.84"));
    }

    #[test]
    fn tokens_ignore_accents_and_case() {
        assert_eq!(normalize_token("À définir"), "a_definir");
        assert_eq!(normalize_token("Réalisée"), "realisee");
        assert_eq!(Reponse::parse("Non évaluable"), Some(Reponse::NonEvaluable));
        let e: Evaluation = serde_yaml::from_str("non évaluable").unwrap();
        assert_eq!(e, Evaluation::NonEvaluable);
    }

    #[test]
    fn dates() {
        assert_eq!(
            "2024-03-29".parse::<Date>(),
            Ok(Date {
                annee: 2024,
                mois: 3,
                jour: 29
            })
        );
        assert_eq!(
            "29/03/2024".parse::<Date>(),
            Ok(Date {
                annee: 2024,
                mois: 3,
                jour: 29
            })
        );
        assert!("2023-04-31".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        let a: Date = "2023-01-01".parse().unwrap();
        let b: Date = "2023-12-31".parse().unwrap();
        assert_eq!(b.day_number() - a.day_number(), 364);
    }
}
