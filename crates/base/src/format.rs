//! French formatting of figures, done once here for every output:
//! `1 234 567,89 €` (narrow no-break space U+202F between thousands,
//! no-break space U+00A0 before the unit, as CLDR `fr`), `12,5 %`,
//! `−3,2 %` (true minus sign), dates in words (`1ᵉʳ avril 2024`).

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

/// The kinds of figure a reader sees, each with its one precision. Every
/// number printed on the site, in the PDF, in a chart or in a data file's
/// text goes through [`Grandeur::texte`]; open data keeps the exact value
/// beside it (see docs/export.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grandeur {
    /// Euros with cents: `186 641,00 €`.
    Montant,
    /// Euros rounded to the euro, for key figures and chart labels: `4 163 420 €`.
    MontantArrondi,
    /// A quantity or a base value (ETP, days, population, a prorated base):
    /// at most two decimals and never more than written, `5 433`, `14,2`,
    /// `2,58` (31/12).
    Quantite,
    /// A percentage in points, at most two decimals: `64,29 %`, `12,5 %`, `100 %`.
    Pourcentage,
    /// A percentage in a table column, always two decimals so the column
    /// reads evenly: `4,10 %`, `100,00 %`.
    PourcentageColonne,
    /// A count: `22`.
    Entier,
    /// A value as one would type it back into the data, every digit kept,
    /// no grouping, ASCII minus: `-192`, `99,995` (diagnostics, where a
    /// rounded figure would hide the mistake).
    Saisie,
}

impl Grandeur {
    /// Decimals shown: `(at most, always that many)`; `None` keeps them all.
    fn decimales(self) -> Option<(u32, bool)> {
        match self {
            Grandeur::Montant | Grandeur::PourcentageColonne => Some((2, true)),
            Grandeur::Quantite | Grandeur::Pourcentage => Some((2, false)),
            Grandeur::MontantArrondi | Grandeur::Entier => Some((0, true)),
            Grandeur::Saisie => None,
        }
    }

    /// `d` rounded (half away from zero) to this kind's precision.
    pub fn arrondi(self, d: &Decimal) -> Decimal {
        match self.decimales() {
            Some((n, fixe)) => {
                let mut r = d.round_dp_with_strategy(n, RoundingStrategy::MidpointAwayFromZero);
                if fixe {
                    r.rescale(n);
                } else {
                    r = r.normalize();
                }
                r
            }
            None => d.normalize(),
        }
    }

    /// The figure as readers see it.
    pub fn texte(self, d: &Decimal) -> String {
        let r = self.arrondi(d);
        match self {
            Grandeur::Saisie => r.to_string().replace('.', ","),
            Grandeur::Montant | Grandeur::MontantArrondi => format!("{}{UNIT_SPACE}€", digits(&r)),
            Grandeur::Pourcentage | Grandeur::PourcentageColonne => format!("{}{GROUP}%", digits(&r)),
            Grandeur::Quantite | Grandeur::Entier => digits(&r),
        }
    }

    /// The figure with its sign for a change: `+12 300,00 €`, `−7,7 %`,
    /// `+3` (zero has none).
    pub fn texte_signe(self, d: &Decimal) -> String {
        if self.arrondi(d) > Decimal::ZERO {
            format!("+{}", self.texte(d))
        } else {
            self.texte(d)
        }
    }

    /// The exact value for data files (point decimal, no grouping): amounts
    /// keep their cents (`186641.00`), other kinds drop trailing zeros.
    pub fn valeur(self, d: &Decimal) -> String {
        match self {
            Grandeur::Montant | Grandeur::MontantArrondi => d.to_string(),
            _ => d.normalize().to_string(),
        }
    }
}

/// An integer count: `22`, `1 234`.
pub fn entier(n: impl Into<i64>) -> String {
    Grandeur::Entier.texte(&Decimal::from(n.into()))
}

/// Sentences joined by a space, each opening with a capital letter: rules
/// and notes are assembled from parts that may start in lower case
/// ("au prorata de…").
pub fn phrases<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    for p in parts {
        let p = p.as_ref().trim();
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let mut chars = p.chars();
        if let Some(c) = chars.next() {
            out.extend(c.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// A file size: `842 octets`, `12,4 ko`, `3,1 Mo`.
pub fn octets(n: u64) -> String {
    let d = Decimal::from(n);
    if n < 1000 {
        format!("{n}{UNIT_SPACE}octets")
    } else if n < 1_000_000 {
        format!("{}{UNIT_SPACE}ko", Grandeur::Quantite.texte(&(d / Decimal::from(1000)).round_dp(1)))
    } else {
        format!("{}{UNIT_SPACE}Mo", Grandeur::Quantite.texte(&(d / Decimal::from(1_000_000)).round_dp(1)))
    }
}

/// A duration: `850 ms`, `1,2 s`.
pub fn duree_ms(ms: u128) -> String {
    if ms < 1000 {
        format!("{ms}{UNIT_SPACE}ms")
    } else {
        format!(
            "{}{UNIT_SPACE}s",
            Grandeur::Quantite.texte(&(Decimal::from(ms as u64) / Decimal::from(1000)).round_dp(1))
        )
    }
}

/// Spreadsheet column letters of a 0-based column: 0 → A, 25 → Z, 26 → AA.
/// Both the workbooks mutu writes (XLSX cell references) and the import's
/// diagnostics (`fichier.xlsx!Feuil1!C7`) name columns this way.
pub fn colonne_tableur(mut colonne: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (colonne % 26) as u8);
        if colonne < 26 {
            break;
        }
        colonne = colonne / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::str::FromStr;

    #[test]
    fn spreadsheet_columns() {
        let l: Vec<String> = [0, 2, 25, 26, 27, 51, 52, 701, 702].into_iter().map(colonne_tableur).collect();
        assert_eq!(l, ["A", "C", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn amounts() {
        let m = |s| Grandeur::Montant.texte(&d(s));
        assert_eq!(m("1234567.891"), "1\u{202f}234\u{202f}567,89\u{a0}€");
        assert_eq!(m("186641"), "186\u{202f}641,00\u{a0}€");
        assert_eq!(m("-3204.5"), "\u{2212}3\u{202f}204,50\u{a0}€");
        assert_eq!(m("0"), "0,00\u{a0}€");
        assert_eq!(m("999"), "999,00\u{a0}€");
        assert_eq!(Grandeur::MontantArrondi.texte(&d("4163420.00")), "4\u{202f}163\u{202f}420\u{a0}€");
        assert_eq!(Grandeur::Montant.texte_signe(&d("12300")), "+12\u{202f}300,00\u{a0}€");
        assert_eq!(Grandeur::Montant.texte_signe(&d("0.001")), "0,00\u{a0}€");
        assert_eq!(Grandeur::Montant.valeur(&d("186641.00")), "186641.00");
    }

    #[test]
    fn numbers_and_percentages() {
        let q = |s| Grandeur::Quantite.texte(&d(s));
        assert_eq!(q("5433"), "5\u{202f}433");
        assert_eq!(q("14.20"), "14,2");
        assert_eq!(q("14.125"), "14,13");
        // A prorated base of 31/12 as computed: two decimals, never 28.
        assert_eq!(q("2.5833333333333333333333333333"), "2,58");
        assert_eq!(Grandeur::Quantite.valeur(&d("2.50")), "2.5");
        assert_eq!(Grandeur::Quantite.texte_signe(&d("3")), "+3");
        assert_eq!(entier(22), "22");
        assert_eq!(entier(1234), "1\u{202f}234");
        let p = |s| Grandeur::Pourcentage.texte(&d(s));
        assert_eq!(p("64.29"), "64,29\u{202f}%");
        assert_eq!(p("100.00"), "100\u{202f}%");
        assert_eq!(p("33.3333"), "33,33\u{202f}%");
        assert_eq!(Grandeur::PourcentageColonne.texte(&d("4.1")), "4,10\u{202f}%");
        assert_eq!(Grandeur::PourcentageColonne.texte(&d("100")), "100,00\u{202f}%");
        assert_eq!(Grandeur::Pourcentage.texte_signe(&d("-7.70")), "\u{2212}7,7\u{202f}%");
        assert_eq!(Grandeur::Saisie.texte(&d("-192")), "-192");
        assert_eq!(Grandeur::Saisie.texte(&d("99.9950")), "99,995");
    }

    #[test]
    fn sentences_open_with_a_capital() {
        assert_eq!(
            phrases(["Montant réparti : saisi dans les données.", "au prorata des valeurs.", "", "étape 2."]),
            "Montant réparti : saisi dans les données. Au prorata des valeurs. Étape 2."
        );
    }
}
