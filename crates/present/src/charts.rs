//! Charts drawn with plotters as SVG at build time: bar, stacked bar, line
//! and donut. Deterministic (no hash maps, fixed sizes), French labels and
//! number format, a concrete font family (the theme's), colours with enough
//! contrast plus patterns/labels so colour is never the only cue.
//! The same SVG goes into the site and the PDF.
//!
//! Layout is computed here in pixels (plotters' chart builder picks its own
//! ticks and formats numbers in English); plotters draws the shapes and
//! text through its SVG backend. The output is then made accessible:
//! `role="img"`, `<title>`/`<desc>` referenced by `aria-labelledby`, and a
//! `viewBox` without fixed width/height so it scales with CSS.

use mutu_base::format::Grandeur;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// Kind of chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Genre {
    Barres,
    BarresEmpilees,
    Courbe,
    Anneau,
}

/// What to draw. Values are exact decimals; they become f64 only for
/// coordinates, labels are formatted with [`mutu_base::format`].
#[derive(Debug, Clone, Serialize)]
pub struct Spec {
    pub genre: Genre,
    pub titre: String,
    /// Unit for labels: "€", "dossiers", "heures", "%"…
    pub unite: String,
    /// X categories (years, communes…). For `Anneau`: the slices.
    pub categories: Vec<String>,
    /// One series per legend entry; each has one value per category.
    /// `Anneau` uses the first series only.
    pub series: Vec<Serie>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Serie {
    pub nom: String,
    pub valeurs: Vec<Decimal>,
}

/// Most members a chart names (legend entries or slices): past it, the
/// chart shows the [`MEMBRES_NOMMES`] largest and one « Autres » entry,
/// the complete data staying in the table beside the chart.
pub const MEMBRES_MAX: usize = mutu_model::services::GRAPHIQUE_MEMBRES_MAX;
/// Members named by a chart that has more than [`MEMBRES_MAX`].
pub const MEMBRES_NOMMES: usize = 10;

/// Label of the entry gathering the members a chart does not name.
fn autres(n: usize) -> String {
    format!("Autres ({n} organismes)")
}

/// Indices of the [`MEMBRES_NOMMES`] largest `totaux` (ties: first
/// listed), largest first, then the others in their order; `None` when
/// there are at most [`MEMBRES_MAX`].
fn plus_grands(totaux: &[Decimal]) -> Option<(Vec<usize>, Vec<usize>)> {
    if totaux.len() <= MEMBRES_MAX {
        return None;
    }
    let mut ordre: Vec<usize> = (0..totaux.len()).collect();
    ordre.sort_by(|&a, &b| totaux[b].cmp(&totaux[a]).then(a.cmp(&b)));
    let mut reste = ordre.split_off(MEMBRES_NOMMES);
    reste.sort_unstable();
    Some((ordre, reste))
}

/// One series per member, at most [`MEMBRES_MAX`]: past it, the
/// [`MEMBRES_NOMMES`] largest (over all categories) and one « Autres »
/// series summing the rest, category by category.
pub fn series_par_membre(series: Vec<Serie>) -> Vec<Serie> {
    let totaux: Vec<Decimal> = series.iter().map(|s| somme(s.valeurs.iter().copied())).collect();
    let Some((nommes, reste)) = plus_grands(&totaux) else { return series };
    let n = series.first().map_or(0, |s| s.valeurs.len());
    let mut out: Vec<Serie> = nommes.iter().map(|&i| series[i].clone()).collect();
    out.push(Serie {
        nom: autres(reste.len()),
        valeurs: (0..n)
            .map(|k| somme(reste.iter().map(|&i| series[i].valeurs.get(k).copied().unwrap_or_default())))
            .collect(),
    });
    out
}

/// Members as the categories of one series (bars of one year, donut
/// slices), at most [`MEMBRES_MAX`]: past it, the [`MEMBRES_NOMMES`]
/// largest and one « Autres » category summing the rest.
pub fn categories_par_membre(noms: Vec<String>, valeurs: Vec<Decimal>) -> (Vec<String>, Vec<Decimal>) {
    let Some((nommes, reste)) = plus_grands(&valeurs) else {
        return (noms, valeurs);
    };
    let mut c: Vec<String> = nommes.iter().map(|&i| noms[i].clone()).collect();
    let mut v: Vec<Decimal> = nommes.iter().map(|&i| valeurs[i]).collect();
    c.push(autres(reste.len()));
    v.push(somme(reste.iter().map(|&i| valeurs[i])));
    (c, v)
}

/// Font family named in the SVG: the theme's sans-serif, embedded in the
/// PDF and self-hosted on the site.
pub const FONT_FAMILY: &str = "Inter";

/// Width of every chart, in SVG user units (the `viewBox`).
pub const LARGEUR: i32 = 720;
/// Minimum height; a chart grows taller when its labels need room.
pub const HAUTEUR: i32 = 360;

/// Series colours: each has a contrast ratio of at least 4.5:1 against
/// white (so white separators and hatches stay visible and the colours
/// pass the 3:1 rule for graphical objects with margin).
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0x1D, 0x4F, 0x91), // blue
    (0xB3, 0x47, 0x00), // burnt orange
    (0x1E, 0x7A, 0x3C), // green
    (0x7A, 0x3E, 0x9D), // purple
    (0xA8, 0x12, 0x3E), // crimson
    (0x00, 0x69, 0x6F), // teal
    (0x6D, 0x5A, 0x00), // olive
    (0x5A, 0x46, 0x37), // brown
];

const ENCRE: RGBColor = RGBColor(0x1E, 0x1E, 0x1E);
const AXE: RGBColor = RGBColor(0x59, 0x59, 0x59);
const GRILLE: RGBColor = RGBColor(0xD9, 0xD9, 0xD9);
const FOND: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

const PX_ETIQUETTE: f64 = 13.0;
const PX_VALEUR: f64 = 12.0;
const PX_PETIT: f64 = 11.0;
const HAUTEUR_LIGNE: i32 = 15;
/// Width factor of bold text over regular in the estimates.
const GRAS: f64 = 1.1;
const HAUTEUR_MIN_TRACE: i32 = 180;

/// The chart as a complete `<svg>` element, with ids derived from the title.
/// Prefer [`svg_with_id`] with the chart's unique id when several charts
/// share a page.
pub fn svg(spec: &Spec) -> String {
    svg_with_id(spec, &id_depuis_titre(&spec.titre))
}

/// The chart as a complete `<svg>` element whose `<title>` and `<desc>`
/// carry the ids `<id>-titre` and `<id>-desc` (`id` is reduced to
/// `[A-Za-z0-9_-]`). The description is [`description`].
pub fn svg_with_id(spec: &Spec, id: &str) -> String {
    let id = nettoie_id(id);
    let (largeur, hauteur, brut) = dessine(spec);
    accessible(&brut, largeur, hauteur, &id, &spec.titre, &description(spec))
}

/// A French text alternative summarising the data: every value when there
/// are few, otherwise the extremes of each series. Used for `<desc>`.
pub fn description(spec: &Spec) -> String {
    let genre = match spec.genre {
        Genre::Barres => "Graphique en barres",
        Genre::BarresEmpilees => "Graphique en barres empilées",
        Genre::Courbe => "Graphique en courbes",
        Genre::Anneau => "Graphique en anneau",
    };
    let mut out = format!("{genre} : {}.", spec.titre.trim());
    if spec.categories.is_empty() || spec.series.is_empty() {
        out.push_str(" Aucune donnée.");
        return out;
    }
    if spec.genre == Genre::Anneau {
        let serie = &spec.series[0];
        let total = somme(serie.valeurs.iter().copied().filter(|v| *v > Decimal::ZERO));
        let parts: Vec<String> = spec
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| match serie.valeurs.get(i) {
                Some(v) => match part(*v, total) {
                    Some(p) => format!("{c} : {} ({})", valeur_texte(*v, &spec.unite), Grandeur::Pourcentage.texte(&p)),
                    None => format!("{c} : {}", valeur_texte(*v, &spec.unite)),
                },
                None => format!("{c} : sans valeur"),
            })
            .collect();
        out.push_str(&format!(" Total : {}. ", valeur_texte(total, &spec.unite)));
        out.push_str(&parts.join(" ; "));
        out.push('.');
        return out;
    }
    let points: usize = spec.series.iter().map(|s| s.valeurs.len().min(spec.categories.len())).sum();
    for serie in &spec.series {
        let prefixe = if spec.series.len() > 1 {
            format!(" {} : ", serie.nom.trim())
        } else {
            " ".to_string()
        };
        let valeurs: Vec<(usize, Decimal)> = serie.valeurs.iter().copied().enumerate().take(spec.categories.len()).collect();
        if valeurs.is_empty() {
            out.push_str(&format!("{prefixe}sans valeur."));
            continue;
        }
        if points <= 12 {
            let parts: Vec<String> = valeurs
                .iter()
                .map(|(i, v)| format!("{} : {}", spec.categories[*i], valeur_texte(*v, &spec.unite)))
                .collect();
            out.push_str(&format!("{prefixe}{}.", parts.join(" ; ")));
        } else {
            // First maximum and first minimum, in category order.
            let (imax, vmax) = valeurs.iter().fold(valeurs[0], |a, b| if b.1 > a.1 { *b } else { a });
            let (imin, vmin) = valeurs.iter().fold(valeurs[0], |a, b| if b.1 < a.1 { *b } else { a });
            out.push_str(&format!(
                "{prefixe}{} valeurs, de {} ({}) à {} ({}).",
                valeurs.len(),
                valeur_texte(vmin, &spec.unite),
                spec.categories[imin],
                valeur_texte(vmax, &spec.unite),
                spec.categories[imax]
            ));
        }
    }
    if points > 12 {
        out.push_str(" Toutes les valeurs figurent dans le tableau de données associé.");
    }
    out
}

/// Words ending in "s" that do not change in the singular.
const INVARIABLES: [&str; 24] = [
    "fois",
    "mois",
    "cas",
    "repas",
    "temps",
    "poids",
    "colis",
    "avis",
    "bras",
    "corps",
    "concours",
    "procès",
    "accès",
    "succès",
    "processus",
    "abus",
    "virus",
    "bus",
    "campus",
    "recours",
    "discours",
    "parcours",
    "secours",
    "cours",
];

/// French agreement of a word unit with its value: below 2 the first word
/// is singular ("1 agent", "1,5 heure", "0 dossier").
fn accorde(unite: &str, v: Decimal) -> String {
    if v.abs() >= Decimal::TWO {
        return unite.to_string();
    }
    let (mot, reste) = match unite.find(' ') {
        Some(p) => (&unite[..p], &unite[p..]),
        None => (unite, ""),
    };
    let minuscule = mot.to_lowercase();
    match mot.strip_suffix('s') {
        Some(racine) if mot.chars().count() > 2 && mot == minuscule && !INVARIABLES.contains(&minuscule.as_str()) => format!("{racine}{reste}"),
        _ => unite.to_string(),
    }
}

/// Value with its unit for labels: euros rounded to the euro, other
/// quantities as [`Grandeur::Quantite`], percentages to one decimal (a
/// chart label is read at a glance).
fn valeur_texte(v: Decimal, unite: &str) -> String {
    match unite.trim() {
        "%" => Grandeur::Pourcentage.texte(&v.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero)),
        "€" => Grandeur::MontantArrondi.texte(&v),
        "" => Grandeur::Quantite.texte(&v),
        u => format!("{}\u{A0}{}", Grandeur::Quantite.texte(&v), accorde(u, Grandeur::Quantite.arrondi(&v))),
    }
}

/// Value label drawn on a chart: like [`valeur_texte`] but without a word
/// unit ("dossiers"), which the axis caption already gives.
fn etiquette_texte(v: Decimal, unite: &str) -> String {
    match unite.trim() {
        "%" | "€" => valeur_texte(v, unite),
        _ => valeur_texte(v, ""),
    }
}

/// Axis tick label: the number only (the unit is written once above the
/// axis), except percentages.
fn graduation_texte(v: Decimal, unite: &str) -> String {
    if unite.trim() == "%" {
        Grandeur::Pourcentage.texte(&v)
    } else {
        Grandeur::Quantite.texte(&v)
    }
}

fn somme(it: impl Iterator<Item = Decimal>) -> Decimal {
    it.fold(Decimal::ZERO, |a, b| a.checked_add(b).unwrap_or(a))
}

/// Share of `v` in `total`, in percent rounded to one decimal.
fn part(v: Decimal, total: Decimal) -> Option<Decimal> {
    if total <= Decimal::ZERO || v <= Decimal::ZERO {
        return None;
    }
    v.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|x| x.checked_div(total))
        .map(|p| p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero).normalize())
}

fn f(v: Decimal) -> f64 {
    v.to_f64().unwrap_or(0.0)
}

fn nettoie_id(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
        .collect();
    if s.is_empty() || !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("g-{s}")
    } else {
        s
    }
}

fn id_depuis_titre(titre: &str) -> String {
    match mutu_base::texte::slug(titre) {
        s if s.is_empty() => "graphique".to_string(),
        s => format!("graphique-{s}"),
    }
}

/// Estimated width of a text in Inter at `px` pixels (no font metrics
/// without the `ttf` feature; generous so labels do not collide).
fn largeur_texte(s: &str, px: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            ' ' | '\u{A0}' | '\u{202F}' => 0.3,
            '—' | '–' => 1.0,
            'i' | 'l' | 'j' | 'I' | '.' | ',' | '\'' | '’' | ':' | ';' | '|' | '!' | '(' | ')' | 'f' | 't' | 'r' => 0.36,
            'm' | 'w' | 'M' | 'W' | '€' | '%' => 0.9,
            c if c.is_ascii_digit() => 0.64,
            c if c.is_uppercase() => 0.7,
            _ => 0.58,
        })
        .sum::<f64>()
        * px
}

/// Splits a label into lines no wider than `max` pixels, breaking at spaces
/// and after hyphens. `None` when a single word is wider than `max`.
fn coupe(s: &str, max: f64, px: f64) -> Option<Vec<String>> {
    let mut mots: Vec<String> = Vec::new();
    for mot in s.split_whitespace() {
        // Break after hyphens too ("Saint-Thomas-de-Conac").
        let mut courant = String::new();
        for c in mot.chars() {
            courant.push(c);
            if c == '-' {
                mots.push(std::mem::take(&mut courant));
            }
        }
        if !courant.is_empty() {
            mots.push(courant);
        }
        if let Some(dernier) = mots.last_mut() {
            dernier.push(' ');
        }
    }
    let mut lignes: Vec<String> = Vec::new();
    let mut ligne = String::new();
    for mot in mots {
        let essai = format!("{ligne}{mot}");
        if largeur_texte(essai.trim_end(), px) <= max || ligne.is_empty() {
            if largeur_texte(mot.trim_end(), px) > max {
                return None;
            }
            ligne = essai;
        } else {
            lignes.push(ligne.trim_end().to_string());
            ligne = mot;
        }
    }
    if !ligne.trim().is_empty() || lignes.is_empty() {
        lignes.push(ligne.trim_end().to_string());
    }
    Some(lignes)
}

/// Round axis ticks covering `[min, max]` and zero, exact decimals; whole
/// steps when every value is whole (no "2,5 communes").
fn graduations(min: Decimal, max: Decimal, entiers: bool) -> Vec<Decimal> {
    let lo = min.min(Decimal::ZERO);
    let mut hi = max.max(Decimal::ZERO);
    if hi == lo {
        hi = lo + Decimal::ONE;
    }
    let brut = f(hi - lo) / 5.0;
    let exp = if brut > 0.0 { brut.log10().floor() as i32 } else { 0 };
    let exp = exp.clamp(-10, 24);
    let m = brut / 10f64.powi(exp);
    let (mantisse, e) = if m <= 1.0 {
        (1, exp)
    } else if m <= 2.0 {
        (2, exp)
    } else if m <= 2.5 {
        (25, exp - 1)
    } else if m <= 5.0 {
        (5, exp)
    } else {
        (1, exp + 1)
    };
    let (mantisse, e) = if entiers && e < 0 {
        if mantisse == 25 && e == -1 {
            (2, 0)
        } else {
            (1, 0)
        }
    } else {
        (mantisse, e)
    };
    let pas = if e >= 0 {
        let mut p = Decimal::from(mantisse);
        for _ in 0..e {
            p = p.checked_mul(Decimal::TEN).unwrap_or(p);
        }
        p
    } else {
        Decimal::new(mantisse, (-e) as u32)
    };
    if pas <= Decimal::ZERO {
        return vec![lo, hi];
    }
    let debut = (lo / pas).floor();
    let fin = (hi / pas).ceil();
    let mut out = Vec::new();
    let mut k = debut;
    while k <= fin && out.len() < 40 {
        out.push(k * pas);
        k += Decimal::ONE;
    }
    if out.len() < 2 {
        out = vec![lo, hi];
    }
    out
}

/// Fill pattern of a series, drawn in white over the colour so series stay
/// distinct without colour.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Motif {
    Plein,
    Obliques,
    Horizontales,
    Verticales,
    Croisillons,
    Points,
}

fn motif(i: usize) -> Motif {
    [
        Motif::Plein,
        Motif::Obliques,
        Motif::Horizontales,
        Motif::Verticales,
        Motif::Croisillons,
        Motif::Points,
    ][i % 6]
}

fn couleur(i: usize) -> RGBColor {
    let (r, g, b) = PALETTE[i % PALETTE.len()];
    RGBColor(r, g, b)
}

/// Drawing surface: plotters' SVG backend addressed in pixels.
struct Toile<'a> {
    zone: DrawingArea<SVGBackend<'a>, plotters::coord::Shift>,
}

impl Toile<'_> {
    fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, c: RGBColor) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        let _ = self.zone.draw(&Rectangle::new([(x0, y0), (x1, y1)], c.filled()));
    }

    fn ligne(&self, points: Vec<(i32, i32)>, c: RGBColor, epaisseur: u32) {
        let _ = self.zone.draw(&PathElement::new(points, c.stroke_width(epaisseur)));
    }

    fn tirets(&self, points: Vec<(i32, i32)>, c: RGBColor, epaisseur: u32, trait_: i32, espace: i32) {
        let _ = self.zone.draw(&DashedPathElement::new(points, trait_, espace, c.stroke_width(epaisseur)));
    }

    fn polygone(&self, points: Vec<(i32, i32)>, c: RGBColor) {
        let _ = self.zone.draw(&Polygon::new(points, c.filled()));
    }

    fn cercle(&self, x: i32, y: i32, r: i32, c: RGBColor) {
        let _ = self.zone.draw(&Circle::new((x, y), r, c.filled()));
    }

    #[allow(clippy::too_many_arguments)]
    fn texte(&self, s: &str, x: i32, y: i32, px: f64, gras: bool, c: &RGBColor, h: HPos, v: VPos, vertical: bool) {
        let mut font = FontDesc::new(FontFamily::Name(FONT_FAMILY), px * 1.24, if gras { FontStyle::Bold } else { FontStyle::Normal });
        if vertical {
            font = font.transform(FontTransform::Rotate270);
        }
        let style = font.color(c).pos(Pos::new(h, v));
        let _ = self.zone.draw_text(s, &style, (x, y));
    }

    /// Pattern lines clipped to a rectangle.
    fn motif(&self, m: Motif, x0: i32, y0: i32, x1: i32, y1: i32) {
        let (x0, x1) = (x0.min(x1), x0.max(x1));
        let (y0, y1) = (y0.min(y1), y0.max(y1));
        if x1 - x0 < 3 || y1 - y0 < 3 {
            return;
        }
        let blanc = FOND;
        match m {
            Motif::Plein => {}
            Motif::Horizontales => {
                let mut y = y0 + 3;
                while y < y1 - 1 {
                    self.ligne(vec![(x0, y), (x1, y)], blanc, 1);
                    y += 5;
                }
            }
            Motif::Verticales => {
                let mut x = x0 + 3;
                while x < x1 - 1 {
                    self.ligne(vec![(x, y0), (x, y1)], blanc, 1);
                    x += 5;
                }
            }
            Motif::Obliques | Motif::Croisillons => {
                self.obliques(x0, y0, x1, y1, false);
                if m == Motif::Croisillons {
                    self.obliques(x0, y0, x1, y1, true);
                }
            }
            Motif::Points => {
                let mut y = y0 + 3;
                let mut rang = 0;
                while y < y1 - 1 {
                    let mut x = x0 + 3 + if rang % 2 == 0 { 0 } else { 3 };
                    while x < x1 - 1 {
                        self.cercle(x, y, 1, blanc);
                        x += 6;
                    }
                    y += 5;
                    rang += 1;
                }
            }
        }
    }

    /// Diagonal lines 7 px apart: "/" or, when `inverse`, "\".
    fn obliques(&self, x0: i32, y0: i32, x1: i32, y1: i32, inverse: bool) {
        let pas = 7;
        let mut c = if inverse { x0 - y1 } else { x0 + y0 } + pas / 2;
        let fin = if inverse { x1 - y0 } else { x1 + y1 };
        while c < fin {
            // "/" : x + y = c ; "\" : x - y = c.
            let (lo, hi) = if inverse {
                ((y0 + c).max(x0), (y1 + c).min(x1))
            } else {
                ((c - y1).max(x0), (c - y0).min(x1))
            };
            if lo < hi {
                let y = |x: i32| if inverse { x - c } else { c - x };
                self.ligne(vec![(lo, y(lo)), (hi, y(hi))], FOND, 1);
            }
            c += pas;
        }
    }
}

/// Legend entries laid out left to right, wrapping; returns the rows as
/// (x, y, entry index) and the total height.
fn legende_places(noms: &[String], largeur: i32, y0: i32) -> (Vec<(i32, i32, usize)>, i32) {
    let mut places = Vec::new();
    let (mut x, mut y) = (16, y0);
    for (i, nom) in noms.iter().enumerate() {
        let w = 22 + 6 + largeur_texte(nom, PX_ETIQUETTE).ceil() as i32 + 18;
        if x > 16 && x + w > largeur - 16 {
            x = 16;
            y += 20;
        }
        places.push((x, y, i));
        x += w;
    }
    let h = if noms.is_empty() { 0 } else { y - y0 + 20 };
    (places, h)
}

/// Returns (width, height, raw plotters SVG).
fn dessine(spec: &Spec) -> (i32, i32, String) {
    match spec.genre {
        Genre::Anneau => anneau(spec),
        _ => cartesien(spec),
    }
}

fn cartesien(spec: &Spec) -> (i32, i32, String) {
    let n = spec.categories.len();
    let ns = spec.series.len();
    let valeur = |s: usize, i: usize| -> Option<Decimal> { spec.series.get(s).and_then(|x| x.valeurs.get(i)).copied() };
    let empile = spec.genre == Genre::BarresEmpilees;
    let courbe = spec.genre == Genre::Courbe;

    // Value range.
    let (mut min, mut max) = (Decimal::ZERO, Decimal::ZERO);
    let mut totaux: Vec<(Decimal, Decimal)> = vec![(Decimal::ZERO, Decimal::ZERO); n];
    for (i, total) in totaux.iter_mut().enumerate() {
        for s in 0..ns {
            if let Some(v) = valeur(s, i) {
                if empile {
                    if v >= Decimal::ZERO {
                        total.0 = total.0.checked_add(v).unwrap_or(total.0);
                    } else {
                        total.1 = total.1.checked_add(v).unwrap_or(total.1);
                    }
                } else {
                    min = min.min(v);
                    max = max.max(v);
                }
            }
        }
        if empile {
            max = max.max(total.0);
            min = min.min(total.1);
        }
    }
    let entiers = spec.series.iter().flat_map(|s| &s.valeurs).all(|v| v.fract().is_zero());
    let ticks = graduations(min, max, entiers);
    let (t0, t1) = (ticks[0], ticks[ticks.len() - 1]);

    // Legend (several series).
    let noms: Vec<String> = if ns > 1 {
        spec.series.iter().map(|s| s.nom.clone()).collect()
    } else {
        Vec::new()
    };
    let (places, h_legende) = legende_places(&noms, LARGEUR, 10);
    let unite = spec.unite.trim();
    let legende_axe = if unite.is_empty() || unite == "%" {
        None
    } else {
        // An axis title, capitalised like any title (« En € », « En heures »).
        Some(format!("En {unite}"))
    };
    let mut haut = 10 + h_legende + if h_legende > 0 { 6 } else { 0 };
    let y_unite = haut;
    if legende_axe.is_some() {
        haut += 18;
    }

    // Left margin from the widest tick label.
    let textes_ticks: Vec<String> = ticks.iter().map(|t| graduation_texte(*t, unite)).collect();
    let w_ticks = textes_ticks.iter().map(|t| largeur_texte(t, PX_ETIQUETTE)).fold(0.0, f64::max).ceil() as i32;
    let gauche = (w_ticks + 18).max(40);
    let droite = 16;
    let l_trace = (LARGEUR - gauche - droite).max(10);
    let creneau = l_trace as f64 / n.max(1) as f64;

    // Category labels: wrapped horizontally, else vertical.
    // Horizontal, wrapped labels read best: try the normal size, then a
    // smaller one, before turning them vertical.
    let essai = |px: f64| -> Option<Vec<Vec<String>>> { spec.categories.iter().map(|c| coupe(c, creneau - 6.0, px).filter(|l| l.len() <= 5)).collect() };
    let (px, coupes) = match essai(PX_ETIQUETTE) {
        Some(c) => (PX_ETIQUETTE, Some(c)),
        None => match essai(PX_PETIT) {
            Some(c) => (PX_PETIT, Some(c)),
            None => (PX_ETIQUETTE, None),
        },
    };
    let (categories_verticales, bas) = match &coupes {
        Some(c) => (false, 10 + c.iter().map(Vec::len).max().unwrap_or(1) as i32 * HAUTEUR_LIGNE + 6),
        None => {
            let w = spec.categories.iter().map(|c| largeur_texte(c, px)).fold(0.0, f64::max).ceil() as i32;
            (true, w + 18)
        }
    };

    // Value labels above bars / stacks / points.
    // Bars stay slender when there are few categories.
    let largeur_groupe = if empile {
        (creneau * 0.6).min(120.0)
    } else {
        (creneau * 0.76).min(96.0 * ns.max(1) as f64)
    };
    let largeur_barre = if empile || courbe {
        largeur_groupe
    } else {
        largeur_groupe / ns.max(1) as f64
    };
    let mut etiquettes: Vec<(usize, usize, Decimal, String)> = Vec::new(); // (category, series, value, text)
    for i in 0..n {
        if empile {
            if ns > 0 && (0..ns).any(|s| valeur(s, i).is_some()) {
                let t = totaux[i].0.checked_add(totaux[i].1).unwrap_or(totaux[i].0);
                etiquettes.push((i, 0, t, etiquette_texte(t, unite)));
            }
        } else if !courbe || ns == 1 {
            for s in 0..ns {
                if let Some(v) = valeur(s, i) {
                    etiquettes.push((i, s, v, etiquette_texte(v, unite)));
                }
            }
        }
    }
    let place_etiquette = if ns > 1 && !empile { largeur_barre } else { creneau - 6.0 };
    let w_max_etiquette = etiquettes.iter().map(|e| largeur_texte(&e.3, PX_VALEUR)).fold(0.0, f64::max);
    let etiquettes_horizontales = w_max_etiquette <= place_etiquette;
    let etiquettes_visibles = !courbe || etiquettes_horizontales;
    let marge_etiquette = if !etiquettes_visibles || etiquettes.is_empty() {
        8
    } else if etiquettes_horizontales {
        18
    } else {
        w_max_etiquette.ceil() as i32 + 10
    };
    let negatif = t0 < Decimal::ZERO;
    let haut_trace = haut + marge_etiquette;
    let pied = if negatif && etiquettes_visibles { marge_etiquette } else { 0 };
    let hauteur = (haut_trace + HAUTEUR_MIN_TRACE + pied + bas).max(HAUTEUR);
    let bas_trace = hauteur - bas - pied;
    let h_trace = (bas_trace - haut_trace) as f64;
    let y = |v: Decimal| -> i32 {
        let span = f(t1 - t0);
        let r = if span > 0.0 { (f(v) - f(t0)) / span } else { 0.0 };
        (bas_trace as f64 - r * h_trace).round() as i32
    };
    let x_creneau = |i: usize| -> f64 { gauche as f64 + i as f64 * creneau };

    let mut buf = String::new();
    {
        let toile = Toile {
            zone: SVGBackend::with_string(&mut buf, (LARGEUR as u32, hauteur as u32)).into_drawing_area(),
        };
        let _ = toile.zone.fill(&FOND);

        // Legend.
        for (x, yl, s) in &places {
            let c = couleur(*s);
            if courbe {
                echantillon_courbe(&toile, *s, *x, *yl + 8, c);
            } else {
                toile.rect(*x, *yl + 1, *x + 22, *yl + 15, c);
                toile.motif(motif(*s), *x, *yl + 1, *x + 22, *yl + 15);
            }
            toile.texte(&noms[*s], *x + 28, *yl + 8, PX_ETIQUETTE, false, &ENCRE, HPos::Left, VPos::Center, false);
        }
        if let Some(u) = &legende_axe {
            toile.texte(u, 8, y_unite, PX_ETIQUETTE, false, &ENCRE, HPos::Left, VPos::Top, false);
        }

        // Grid and ticks.
        for (t, texte) in ticks.iter().zip(&textes_ticks) {
            let yt = y(*t);
            if *t != Decimal::ZERO {
                toile.ligne(vec![(gauche, yt), (LARGEUR - droite, yt)], GRILLE, 1);
            }
            toile.texte(texte, gauche - 8, yt, PX_ETIQUETTE, false, &ENCRE, HPos::Right, VPos::Center, false);
        }

        if n == 0 || ns == 0 {
            toile.texte(
                "Aucune donnée",
                gauche + l_trace / 2,
                haut_trace + (h_trace / 2.0) as i32,
                14.0,
                false,
                &ENCRE,
                HPos::Center,
                VPos::Center,
                false,
            );
        }

        let y0 = y(Decimal::ZERO);
        if courbe {
            for s in 0..ns {
                let c = couleur(s);
                let mut troncon: Vec<(i32, i32)> = Vec::new();
                let mut troncons = Vec::new();
                for i in 0..n {
                    match valeur(s, i) {
                        Some(v) => troncon.push(((x_creneau(i) + creneau / 2.0).round() as i32, y(v))),
                        None => troncons.push(std::mem::take(&mut troncon)),
                    }
                }
                troncons.push(troncon);
                for t in troncons.into_iter().filter(|t| !t.is_empty()) {
                    trait_courbe(&toile, s, t.clone(), c);
                    for (px_, py) in t {
                        marqueur(&toile, s, px_, py, c);
                    }
                }
            }
        } else {
            for i in 0..n {
                let debut = x_creneau(i) + (creneau - largeur_groupe) / 2.0;
                if empile {
                    let (x0, x1) = (debut.round() as i32, (debut + largeur_groupe).round() as i32);
                    let (mut pos, mut neg) = (Decimal::ZERO, Decimal::ZERO);
                    for s in 0..ns {
                        let Some(v) = valeur(s, i) else { continue };
                        if v == Decimal::ZERO {
                            continue;
                        }
                        let (a, b) = if v > Decimal::ZERO {
                            let a = pos;
                            pos = pos.checked_add(v).unwrap_or(pos);
                            (a, pos)
                        } else {
                            let a = neg;
                            neg = neg.checked_add(v).unwrap_or(neg);
                            (a, neg)
                        };
                        let (ya, yb) = (y(a), y(b));
                        // 1 px white gap between stacked segments.
                        let yb = if (ya - yb).abs() > 2 {
                            yb + if v > Decimal::ZERO { 1 } else { -1 }
                        } else {
                            yb
                        };
                        toile.rect(x0, ya, x1, yb, couleur(s));
                        toile.motif(motif(s), x0, ya, x1, yb);
                    }
                } else {
                    for s in 0..ns {
                        let Some(v) = valeur(s, i) else { continue };
                        let xa = debut + s as f64 * largeur_barre;
                        let ecart = if ns > 1 { 2.0 } else { 0.0 };
                        let (x0, x1) = (xa.round() as i32, (xa + largeur_barre - ecart).round() as i32);
                        toile.rect(x0, y0, x1, y(v), couleur(s));
                        if ns > 1 {
                            toile.motif(motif(s), x0, y0, x1, y(v));
                        }
                    }
                }
            }
        }

        // Zero line and axis.
        toile.ligne(vec![(gauche, y0), (LARGEUR - droite, y0)], AXE, 1);
        toile.ligne(vec![(gauche, haut_trace), (gauche, bas_trace)], AXE, 1);

        // Value labels.
        if etiquettes_visibles {
            for (i, s, v, texte) in &etiquettes {
                let centre = if empile || courbe || ns == 1 {
                    x_creneau(*i) + creneau / 2.0
                } else {
                    x_creneau(*i) + (creneau - largeur_groupe) / 2.0 + (*s as f64 + 0.5) * largeur_barre - 1.0
                };
                let xc = centre.round() as i32;
                let haut_valeur = if empile { totaux[*i].0 } else { *v };
                let bas_valeur = if empile { totaux[*i].1 } else { *v };
                let (yv, dessous) = if haut_valeur > Decimal::ZERO || (!empile && *v >= Decimal::ZERO) {
                    (y(haut_valeur) - if courbe { 8 } else { 4 }, false)
                } else if empile && haut_valeur == Decimal::ZERO && bas_valeur == Decimal::ZERO {
                    (y0 - 4, false)
                } else {
                    (y(bas_valeur) + if courbe { 8 } else { 4 }, true)
                };
                match (etiquettes_horizontales, dessous) {
                    (true, false) => toile.texte(texte, xc, yv, PX_VALEUR, false, &ENCRE, HPos::Center, VPos::Bottom, false),
                    (true, true) => toile.texte(texte, xc, yv, PX_VALEUR, false, &ENCRE, HPos::Center, VPos::Top, false),
                    (false, false) => toile.texte(texte, xc, yv, PX_VALEUR, false, &ENCRE, HPos::Left, VPos::Center, true),
                    (false, true) => toile.texte(texte, xc, yv, PX_VALEUR, false, &ENCRE, HPos::Right, VPos::Center, true),
                }
            }
        }

        // Category labels.
        for (i, cat) in spec.categories.iter().enumerate() {
            let xc = (x_creneau(i) + creneau / 2.0).round() as i32;
            let yc = bas_trace + pied + 8;
            match (&coupes, categories_verticales) {
                (Some(c), false) => {
                    for (k, l) in c[i].iter().enumerate() {
                        toile.texte(l, xc, yc + k as i32 * HAUTEUR_LIGNE, px, false, &ENCRE, HPos::Center, VPos::Top, false);
                    }
                }
                _ => toile.texte(cat, xc, yc, px, false, &ENCRE, HPos::Right, VPos::Center, true),
            }
        }
        let _ = toile.zone.present();
    }
    (LARGEUR, hauteur, buf)
}

/// Line style of series `s`: solid, dashed, dotted, long dashes…
fn trait_courbe(toile: &Toile, s: usize, points: Vec<(i32, i32)>, c: RGBColor) {
    if points.len() < 2 {
        return;
    }
    match s % 4 {
        0 => toile.ligne(points, c, 3),
        1 => toile.tirets(points, c, 3, 10, 6),
        2 => toile.tirets(points, c, 3, 3, 5),
        _ => toile.tirets(points, c, 3, 18, 5),
    }
}

/// Marker shape of series `s`: disc, square, triangle, diamond.
fn marqueur(toile: &Toile, s: usize, x: i32, y: i32, c: RGBColor) {
    match s % 4 {
        0 => toile.cercle(x, y, 5, c),
        1 => toile.rect(x - 5, y - 5, x + 5, y + 5, c),
        2 => toile.polygone(vec![(x, y - 6), (x + 6, y + 5), (x - 6, y + 5)], c),
        _ => toile.polygone(vec![(x, y - 6), (x + 6, y), (x, y + 6), (x - 6, y)], c),
    }
}

fn echantillon_courbe(toile: &Toile, s: usize, x: i32, y: i32, c: RGBColor) {
    trait_courbe(toile, s, vec![(x, y), (x + 22, y)], c);
    marqueur(toile, s, x + 11, y, c);
}

fn anneau(spec: &Spec) -> (i32, i32, String) {
    let unite = spec.unite.trim();
    let vide = Vec::new();
    let valeurs = spec.series.first().map(|s| &s.valeurs).unwrap_or(&vide);
    let parts: Vec<(usize, Decimal)> = spec
        .categories
        .iter()
        .enumerate()
        .filter_map(|(i, _)| valeurs.get(i).copied().filter(|v| *v > Decimal::ZERO).map(|v| (i, v)))
        .collect();
    let absents: Vec<&str> = spec
        .categories
        .iter()
        .enumerate()
        .filter(|(i, _)| !parts.iter().any(|(j, _)| j == i))
        .map(|(_, c)| c.as_str())
        .collect();
    let total = somme(parts.iter().map(|p| p.1));
    let (r_ext, r_int) = (120.0f64, 72.0f64);
    let largeur_etiquette = (LARGEUR as f64 / 2.0 - r_ext - 40.0 - 14.0).max(80.0);

    // Slice angles (clockwise from 12 o'clock).
    let mut angles = Vec::new();
    let mut cumul = Decimal::ZERO;
    for (_, v) in &parts {
        let a0 = f(cumul) / f(total) * std::f64::consts::TAU;
        cumul = cumul.checked_add(*v).unwrap_or(cumul);
        let a1 = f(cumul) / f(total) * std::f64::consts::TAU;
        angles.push((a0, a1));
    }

    // Labels: name (wrapped) then "value · share".
    struct Etiquette {
        lignes: Vec<String>,
        droite: bool,
        y_voulu: f64,
        y: f64,
        angle: f64,
    }
    let mut etiquettes: Vec<Etiquette> = parts
        .iter()
        .zip(&angles)
        .map(|((i, v), (a0, a1))| {
            // Names are drawn bold: wider than the regular estimate.
            let mut lignes = coupe(&spec.categories[*i], largeur_etiquette, PX_ETIQUETTE * GRAS).unwrap_or_else(|| vec![spec.categories[*i].clone()]);
            let detail = match part(*v, total) {
                Some(p) => format!("{} · {}", valeur_texte(*v, unite), Grandeur::Pourcentage.texte(&p)),
                None => valeur_texte(*v, unite),
            };
            lignes.push(detail);
            let angle = (a0 + a1) / 2.0;
            let droite = angle.sin() >= 0.0 || (a1 - a0) >= std::f64::consts::TAU - 1e-9;
            Etiquette {
                lignes,
                droite,
                y_voulu: -(r_ext + 18.0) * angle.cos(),
                y: 0.0,
                angle,
            }
        })
        .collect();
    let h_etiquette = |e: &Etiquette| e.lignes.len() as f64 * HAUTEUR_LIGNE as f64;
    let besoin = |droite: bool, ets: &[Etiquette]| -> f64 { ets.iter().filter(|e| e.droite == droite).map(|e| h_etiquette(e) + 6.0).sum::<f64>() };
    let note_absents = if absents.is_empty() {
        None
    } else {
        Some(format!("Sans valeur : {}.", absents.join(", ")))
    };
    let lignes_note: Vec<String> = match &note_absents {
        Some(n) => coupe(n, LARGEUR as f64 - 32.0, PX_ETIQUETTE).unwrap_or_else(|| vec![n.clone()]),
        None => Vec::new(),
    };
    let h_note = lignes_note.len() as i32 * HAUTEUR_LIGNE + if lignes_note.is_empty() { 0 } else { 8 };
    let h_contenu = besoin(true, &etiquettes).max(besoin(false, &etiquettes)).max(2.0 * r_ext + 40.0).ceil() as i32 + 20;
    let hauteur = (h_contenu + h_note).max(HAUTEUR);
    let (cx, cy) = (LARGEUR as f64 / 2.0, (hauteur - h_note) as f64 / 2.0);
    let (haut_min, bas_max) = (10.0 - cy, (hauteur - h_note) as f64 - 10.0 - cy);

    // Spread labels on each side so they never overlap.
    for droite in [true, false] {
        let mut idx: Vec<usize> = (0..etiquettes.len()).filter(|k| etiquettes[*k].droite == droite).collect();
        idx.sort_by(|a, b| etiquettes[*a].y_voulu.total_cmp(&etiquettes[*b].y_voulu).then(a.cmp(b)));
        let mut bas = haut_min;
        for k in &idx {
            let e = &mut etiquettes[*k];
            let h = e.lignes.len() as f64 * HAUTEUR_LIGNE as f64;
            e.y = (e.y_voulu - h / 2.0).max(bas);
            bas = e.y + h + 6.0;
        }
        let mut limite = bas_max;
        for k in idx.iter().rev() {
            let e = &mut etiquettes[*k];
            let h = e.lignes.len() as f64 * HAUTEUR_LIGNE as f64;
            if e.y + h > limite {
                e.y = limite - h;
            }
            limite = e.y - 6.0;
        }
    }

    let point = |a: f64, r: f64| -> (i32, i32) { ((cx + r * a.sin()).round() as i32, (cy - r * a.cos()).round() as i32) };
    let mut buf = String::new();
    {
        let toile = Toile {
            zone: SVGBackend::with_string(&mut buf, (LARGEUR as u32, hauteur as u32)).into_drawing_area(),
        };
        let _ = toile.zone.fill(&FOND);
        if parts.is_empty() {
            toile.texte("Aucune donnée", cx as i32, cy as i32, 14.0, false, &ENCRE, HPos::Center, VPos::Center, false);
        }
        if !parts.is_empty() {
            toile.texte("Total", cx as i32, cy as i32 - 4, PX_VALEUR, false, &ENCRE, HPos::Center, VPos::Bottom, false);
            toile.texte(
                &valeur_texte(total, unite),
                cx as i32,
                cy as i32 + 2,
                13.0,
                true,
                &ENCRE,
                HPos::Center,
                VPos::Top,
                false,
            );
        }
        for e in &etiquettes {
            let signe = if e.droite { 1.0 } else { -1.0 };
            let x_texte = cx + signe * (r_ext + 40.0);
            let y_centre = cy + e.y + h_etiquette(e) / 2.0;
            let depart = point(e.angle, r_ext + 3.0);
            let coude = point(e.angle, r_ext + 16.0);
            let fin = ((x_texte - signe * 6.0).round() as i32, y_centre.round() as i32);
            toile.ligne(vec![depart, coude, (fin.0, fin.1)], AXE, 1);
            let h = if e.droite { HPos::Left } else { HPos::Right };
            let n = e.lignes.len();
            for (k, l) in e.lignes.iter().enumerate() {
                let yl = (cy + e.y + k as f64 * HAUTEUR_LIGNE as f64).round() as i32;
                toile.texte(l, x_texte.round() as i32, yl, PX_ETIQUETTE, k + 1 < n, &ENCRE, h, VPos::Top, false);
            }
        }
        for (k, l) in lignes_note.iter().enumerate() {
            let yl = hauteur - h_note + 4 + k as i32 * HAUTEUR_LIGNE;
            toile.texte(l, 16, yl, PX_ETIQUETTE, false, &ENCRE, HPos::Left, VPos::Top, false);
        }
        let _ = toile.zone.present();
    }
    // Slices as exact arcs (plotters' polygons have integer vertices, which
    // makes jagged edges), inserted just after the background.
    let mut tranches = String::new();
    for (k, (a0, a1)) in angles.iter().enumerate() {
        tranches.push_str(&tranche(cx, cy, r_ext, r_int, *a0, *a1, couleur(k), parts.len() > 1));
    }
    let buf = match buf.find("/>\n") {
        Some(p) => format!("{}{tranches}{}", &buf[..p + 3], &buf[p + 3..]),
        None => buf,
    };
    (LARGEUR, hauteur, buf)
}

/// One donut slice as an SVG path, clockwise from `a0` to `a1` (radians
/// from 12 o'clock), with a white outline separating it from its neighbours.
fn tranche(cx: f64, cy: f64, r_ext: f64, r_int: f64, a0: f64, a1: f64, c: RGBColor, contour: bool) -> String {
    let p = |a: f64, r: f64| format!("{:.2} {:.2}", cx + r * a.sin(), cy - r * a.cos());
    let RGBColor(r, g, b) = c;
    let trait_ = if contour {
        " stroke=\"#FFFFFF\" stroke-width=\"2\" stroke-linejoin=\"round\""
    } else {
        ""
    };
    let d = if a1 - a0 >= std::f64::consts::TAU - 1e-9 {
        let m = a0 + std::f64::consts::PI;
        format!(
            "M{} A{r_ext} {r_ext} 0 1 1 {} A{r_ext} {r_ext} 0 1 1 {} Z M{} A{r_int} {r_int} 0 1 0 {} A{r_int} {r_int} 0 1 0 {} Z",
            p(a0, r_ext),
            p(m, r_ext),
            p(a0, r_ext),
            p(a0, r_int),
            p(m, r_int),
            p(a0, r_int)
        )
    } else {
        let grand = if a1 - a0 > std::f64::consts::PI { 1 } else { 0 };
        format!(
            "M{} A{r_ext} {r_ext} 0 {grand} 1 {} L{} A{r_int} {r_int} 0 {grand} 0 {} Z",
            p(a0, r_ext),
            p(a1, r_ext),
            p(a1, r_int),
            p(a0, r_int)
        )
    };
    format!("<path d=\"{d}\" fill=\"#{r:02X}{g:02X}{b:02X}\" fill-rule=\"evenodd\"{trait_}/>\n")
}

fn echappe_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Replaces plotters' root element by an accessible, scalable one and
/// rounds font sizes (plotters divides the size by 1.24).
fn accessible(brut: &str, largeur: i32, hauteur: i32, id: &str, titre: &str, desc: &str) -> String {
    let corps = match brut.find('>') {
        Some(fin) if brut.starts_with("<svg") => &brut[fin + 1..],
        _ => brut,
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {largeur} {hauteur}\" role=\"img\" aria-labelledby=\"{id}-titre {id}-desc\" font-family=\"{FONT_FAMILY}\">\n<title id=\"{id}-titre\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>",
        echappe_xml(titre),
        echappe_xml(desc)
    );
    let mut reste = corps;
    const CLE: &str = "font-size=\"";
    while let Some(p) = reste.find(CLE) {
        out.push_str(&reste[..p + CLE.len()]);
        reste = &reste[p + CLE.len()..];
        let fin = reste.find('"').unwrap_or(0);
        let taille: f64 = reste[..fin].parse().unwrap_or(PX_ETIQUETTE);
        out.push_str(&format!("{}", (taille * 10.0).round() / 10.0));
        reste = &reste[fin..];
    }
    out.push_str(reste);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn barres() -> Spec {
        Spec {
            genre: Genre::Barres,
            titre: "Dossiers instruits par année".into(),
            unite: "dossiers".into(),
            categories: vec!["2021".into(), "2022".into(), "2023".into()],
            series: vec![Serie {
                nom: "Dossiers".into(),
                valeurs: vec![d("1234.5"), d("980"), d("1502")],
            }],
        }
    }

    fn empilees() -> Spec {
        Spec {
            genre: Genre::BarresEmpilees,
            titre: "Contributions par commune".into(),
            unite: "€".into(),
            categories: vec!["Daoulas".into(), "Saint-Thomas-de-Conac".into(), "L'Hôpital-Camfrout".into(), "Logonna".into()],
            series: vec![
                Serie {
                    nom: "Fonctionnement".into(),
                    valeurs: vec![d("186641.00"), d("45210.50"), d("30000"), d("12000")],
                },
                Serie {
                    nom: "Investissement".into(),
                    valeurs: vec![d("20000"), d("5000"), d("0"), d("7000.25")],
                },
                Serie {
                    nom: "Personnel".into(),
                    valeurs: vec![d("100000"), d("25000"), d("15000"), d("9000")],
                },
            ],
        }
    }

    fn courbe() -> Spec {
        Spec {
            genre: Genre::Courbe,
            titre: "Heures de service".into(),
            unite: "heures".into(),
            categories: vec!["2019".into(), "2020".into(), "2021".into(), "2022".into(), "2023".into()],
            series: vec![
                Serie {
                    nom: "Voirie".into(),
                    valeurs: vec![d("1200"), d("1350"), d("1100"), d("1500"), d("1620")],
                },
                Serie {
                    nom: "Espaces verts".into(),
                    valeurs: vec![d("800"), d("820")],
                },
            ],
        }
    }

    fn anneau_spec() -> Spec {
        Spec {
            genre: Genre::Anneau,
            titre: "Répartition du coût".into(),
            unite: "€".into(),
            categories: vec![
                "Daoulas".into(),
                "Logonna-Daoulas".into(),
                "Irvillac".into(),
                "Saint-Urbain".into(),
                "Dirinon".into(),
            ],
            series: vec![Serie {
                nom: "Coût".into(),
                valeurs: vec![d("186641.00"), d("45210.50"), d("30000"), d("0"), d("12000")],
            }],
        }
    }

    /// Text content of every `<text>`, concatenated without spaces (wrapped
    /// labels are drawn line after line).
    fn textes(out: &str) -> String {
        out.split("<text")
            .skip(1)
            .map(|t| t[t.find('>').unwrap() + 1..t.find("</text>").unwrap()].trim().replace(' ', ""))
            .collect()
    }

    fn toutes() -> Vec<Spec> {
        vec![barres(), empilees(), courbe(), anneau_spec()]
    }

    /// Writes the sample charts for a visual check:
    /// `MUTU_GRAPHIQUES=/tmp/g cargo test --release --lib ecrit_exemples -- --ignored`.
    #[test]
    fn a_chart_names_at_most_twelve_members_the_ten_largest_and_the_others() {
        // 12 members: all named, as they are.
        let douze: Vec<Serie> = (0..12)
            .map(|i| Serie {
                nom: format!("C{i}"),
                valeurs: vec![Decimal::from(i), Decimal::ONE],
            })
            .collect();
        assert_eq!(series_par_membre(douze.clone()).len(), 12);
        // 15 members: the 10 largest over the years, largest first, then
        // one series summing the 5 others year by year, to the unit.
        let quinze: Vec<Serie> = (0..15)
            .map(|i| Serie {
                nom: format!("C{i}"),
                valeurs: vec![Decimal::from(i), Decimal::ONE],
            })
            .collect();
        let s = series_par_membre(quinze);
        let noms: Vec<&str> = s.iter().map(|x| x.nom.as_str()).collect();
        assert_eq!(noms, ["C14", "C13", "C12", "C11", "C10", "C9", "C8", "C7", "C6", "C5", "Autres (5 organismes)"]);
        assert_eq!(s[10].valeurs, vec![d("10"), d("5")]);
        // Members as categories of one series (one year, a donut).
        let (c, v) = categories_par_membre((0..158).map(|i| format!("C{i}")).collect(), (0..158).map(Decimal::from).collect());
        assert_eq!(c.len(), 11);
        assert_eq!(c[0], "C157");
        assert_eq!(c[10], "Autres (148 organismes)");
        assert_eq!(v[10], (0..148).map(Decimal::from).sum::<Decimal>());
        assert_eq!(v.iter().sum::<Decimal>(), (0..158).map(Decimal::from).sum::<Decimal>());
    }

    #[test]
    #[ignore]
    fn ecrit_exemples() {
        let dir = std::env::var("MUTU_GRAPHIQUES").unwrap_or_else(|_| "/tmp/mutu-graphiques".into());
        std::fs::create_dir_all(&dir).unwrap();
        let mut longues = barres();
        longues.categories = (1..=24).map(|i| format!("Commune numéro {i} de Plougastel")).collect();
        longues.series[0].valeurs = (1..=24).map(|i| Decimal::from(i * 1000)).collect();
        let mut groupees = empilees();
        groupees.genre = Genre::Barres;
        for (i, s) in toutes().into_iter().chain([longues, groupees]).enumerate() {
            std::fs::write(format!("{dir}/{i}.svg"), svg(&s)).unwrap();
        }
    }

    #[test]
    fn deterministic() {
        for s in toutes() {
            assert_eq!(svg(&s), svg(&s));
            assert_eq!(svg_with_id(&s, "g1"), svg_with_id(&s.clone(), "g1"));
        }
    }

    #[test]
    fn french_number_labels() {
        let out = svg(&barres());
        assert!(out.contains(">\n1\u{202F}234,5\n</text>"), "{out}");
        assert!(out.contains("En dossiers"));
        let out = svg(&empilees());
        // Stack total of Daoulas: 186 641 + 20 000 + 100 000.
        assert!(out.contains("306\u{202F}641\u{A0}€"), "{out}");
        let out = svg(&anneau_spec());
        // 186641 / 273851.5 = 68.15…%
        assert!(out.contains("186\u{202F}641\u{A0}€ · 68,2\u{202F}%"), "{out}");
        assert!(out.contains("273\u{202F}852\u{A0}€"));
    }

    #[test]
    fn accessible_root() {
        let out = svg_with_id(&barres(), "graphique-ads");
        assert!(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 "));
        assert!(out.contains("role=\"img\" aria-labelledby=\"graphique-ads-titre graphique-ads-desc\""));
        assert!(out.contains("<title id=\"graphique-ads-titre\">Dossiers instruits par année</title>"));
        assert!(out.contains(
            "<desc id=\"graphique-ads-desc\">Graphique en barres : Dossiers instruits par année. 2021 : 1\u{202F}234,5\u{A0}dossiers ; 2022 : 980\u{A0}dossiers ; 2023 : 1\u{202F}502\u{A0}dossiers.</desc>"
        ));
        let ouverture = &out[..out.find('>').unwrap()];
        assert!(!ouverture.contains("width="), "{ouverture}");
        assert!(out.trim_end().ends_with("</svg>"));
        assert_eq!(out.matches("<svg").count(), 1);
        // Derived id when none is given.
        assert!(svg(&barres()).contains("<title id=\"graphique-dossiers-instruits-par-annee-titre\">"));
    }

    #[test]
    fn every_category_label_present_and_font() {
        for s in toutes() {
            let out = svg(&s);
            for c in &s.categories {
                let echappe = echappe_xml(c);
                assert!(textes(&out).contains(&echappe.replace(' ', "")), "{c} absent de {:?}", s.genre);
            }
            for t in out.split("<text").skip(1) {
                let ouverture = &t[..t.find('>').unwrap()];
                assert!(ouverture.contains("font-family=\"Inter\""), "{ouverture}");
            }
            assert!(!out.contains("font-size=\"11.99"), "font sizes rounded");
        }
        // The zero-valued slice is named in the donut note.
        assert!(svg(&anneau_spec()).contains("Sans valeur : Saint-Urbain."));
    }

    #[test]
    fn long_words_wrap_at_a_smaller_size_before_turning_vertical() {
        let mut s = barres();
        s.unite = "€".into();
        s.categories = [
            "Migration et extension du contrôle d'accès",
            "Denrées alimentaires",
            "Fournitures de bureau et fournitures scolaires",
            "Renouvellement des photocopieurs",
            "Maintenance des portes et portails automatiques",
            "Entretien des toitures",
        ]
        .map(String::from)
        .to_vec();
        s.series[0].valeurs = [46000, 2046000, 1134200, 211620, 61600, 664000].map(Decimal::from).to_vec();
        let out = svg(&s);
        assert!(!out.contains("rotate(270"), "{out}");
        assert!(out.contains(">\nRenouvellement\n</text>") || out.contains(">\nRenouvellement des\n</text>"));
    }

    #[test]
    fn long_categories_turn_vertical_and_stay_whole() {
        let mut s = barres();
        s.categories = (1..=24).map(|i| format!("Commune numéro {i} de Plougastel")).collect();
        s.series[0].valeurs = (1..=24).map(|i| Decimal::from(i * 1000)).collect();
        let out = svg(&s);
        for c in &s.categories {
            assert!(out.contains(&format!(">\n{c}\n</text>")), "{c}");
        }
        assert!(out.contains("rotate(270"));
    }

    #[test]
    fn series_are_distinguished_without_colour() {
        // Stacked bars: white hatch lines over the second and third series.
        let out = svg(&empilees());
        assert!(out.matches("stroke=\"#FFFFFF\"").count() > 20);
        // Lines: dashes (many short segments) and distinct markers.
        let out = svg(&courbe());
        assert!(out.contains("<circle") && out.contains("<rect x=\""));
        assert!(out.matches("<polyline").count() > 12, "dashes are drawn as many short segments");
        // Donut: exact arcs with white separators.
        let out = svg(&anneau_spec());
        assert_eq!(out.matches("<path d=\"M").count(), 4);
        assert!(out.contains("stroke=\"#FFFFFF\" stroke-width=\"2\""));
    }

    #[test]
    fn units_agree_with_values() {
        assert_eq!(valeur_texte(d("1"), "agents"), "1\u{A0}agent");
        assert_eq!(valeur_texte(d("1.5"), "heures d'intervention"), "1,5\u{A0}heure d'intervention");
        assert_eq!(valeur_texte(d("2"), "agents"), "2\u{A0}agents");
        assert_eq!(valeur_texte(d("1"), "mois"), "1\u{A0}mois");
        assert_eq!(valeur_texte(d("1"), "ETP"), "1\u{A0}ETP");
        assert_eq!(valeur_texte(d("0"), "dossiers"), "0\u{A0}dossier");
    }

    #[test]
    fn palette_contrast() {
        fn lum(c: u8) -> f64 {
            let c = c as f64 / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        }
        for (r, g, b) in PALETTE {
            let l = 0.2126 * lum(r) + 0.7152 * lum(g) + 0.0722 * lum(b);
            let ratio = 1.05 / (l + 0.05);
            assert!(ratio >= 4.5, "#{r:02X}{g:02X}{b:02X} : {ratio}");
        }
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(graduations(d("0"), d("1502"), true), [0, 500, 1000, 1500, 2000].map(Decimal::from).to_vec());
        assert_eq!(graduations(d("-20"), d("45"), true).first(), Some(&d("-20")));
        assert_eq!(graduations(d("0"), d("0"), false).len(), 6);
        // Whole quantities: whole steps (12 communes: 0, 2, … 12, not 2,5).
        assert_eq!(graduations(d("0"), d("12"), true), [0, 2, 4, 6, 8, 10, 12].map(Decimal::from).to_vec());
        assert_eq!(graduations(d("0"), d("3"), true), [0, 1, 2, 3].map(Decimal::from).to_vec());
        assert_eq!(graduations(d("0"), d("12"), false)[1], d("2.5"));
        assert_eq!(graduation_texte(d("250000"), "€"), "250\u{202F}000");
        assert_eq!(graduations(d("0"), d("0.9"), false).last(), Some(&d("1.0")));
    }

    #[test]
    fn empty_and_ragged_specs_do_not_panic() {
        for genre in [Genre::Barres, Genre::BarresEmpilees, Genre::Courbe, Genre::Anneau] {
            let vide = Spec {
                genre,
                titre: "Vide".into(),
                unite: "".into(),
                categories: vec![],
                series: vec![],
            };
            assert!(svg(&vide).contains("Aucune donnée"));
            let bancal = Spec {
                genre,
                titre: "Bancal".into(),
                unite: "%".into(),
                categories: vec!["A".into(), "B".into(), "C".into()],
                series: vec![
                    Serie {
                        nom: "x".into(),
                        valeurs: vec![d("-5"), d("12.5")],
                    },
                    Serie {
                        nom: "y".into(),
                        valeurs: vec![],
                    },
                ],
            };
            assert!(svg(&bancal).contains("12,5\u{202F}%"));
        }
    }
}
