//! The official geographic referential, embedded in the binary: current
//! communes (INSEE code, name) from the Code officiel géographique and EPCI à
//! fiscalité propre (SIREN, name, member communes) from the DGCL, both taken
//! from the npm package `@etalab/decoupage-administratif` (Licence Ouverte).
//! `cog/SOURCE.md` gives the version; `scripts/cog-update.mjs` regenerates the
//! files. Also the format checks of INSEE codes and SIRENs, and the tolerant
//! comparison of official and user-written names.
//!
//! Std only: the TSV files are parsed on first use into sorted vectors,
//! looked up by binary search.

use std::sync::OnceLock;

const COMMUNES_TSV: &str = include_str!("cog/communes.tsv");
const EPCI_TSV: &str = include_str!("cog/epci.tsv");

/// A current commune of the COG.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Commune {
    /// INSEE code (code officiel géographique), e.g. "29103", "2A004".
    pub insee: &'static str,
    /// Official name, e.g. "Landerneau".
    pub nom: &'static str,
    /// Postal codes, comma-separated ("29800"; "" for the few without).
    pub codes_postaux: &'static str,
}

impl Commune {
    /// Whether `code` is one of the commune's postal codes.
    pub fn a_pour_code_postal(&self, code: &str) -> bool {
        !code.is_empty() && self.codes_postaux.split(',').any(|c| c == code)
    }
}

/// An EPCI à fiscalité propre (CC, CA, CU, métropole).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Epci {
    pub siren: &'static str,
    /// Official name as the DGCL writes it, e.g. "CA du Pays de Landerneau-Daoulas".
    pub nom: &'static str,
    /// INSEE codes of the member communes, sorted.
    pub membres: Vec<&'static str>,
}

fn communes() -> &'static [Commune] {
    static COMMUNES: OnceLock<Vec<Commune>> = OnceLock::new();
    COMMUNES.get_or_init(|| {
        let mut v: Vec<Commune> = COMMUNES_TSV
            .lines()
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                let (insee, nom) = (f.next()?, f.next()?);
                Some(Commune {
                    insee,
                    nom,
                    codes_postaux: f.next().unwrap_or(""),
                })
            })
            .collect();
        v.sort_by(|a, b| a.insee.cmp(b.insee));
        v
    })
}

fn epcis() -> &'static [Epci] {
    static EPCIS: OnceLock<Vec<Epci>> = OnceLock::new();
    EPCIS.get_or_init(|| {
        let mut v: Vec<Epci> = EPCI_TSV
            .lines()
            .filter_map(|l| {
                let mut f = l.splitn(3, '\t');
                let (siren, nom, membres) = (f.next()?, f.next()?, f.next()?);
                let mut membres: Vec<&'static str> = membres.split(',').filter_map(|m| m.split(':').next()).filter(|m| !m.is_empty()).collect();
                membres.sort_unstable();
                Some(Epci { siren, nom, membres })
            })
            .collect();
        v.sort_by(|a, b| a.siren.cmp(b.siren));
        v
    })
}

/// The current commune with this INSEE code, if any.
pub fn commune(code: &str) -> Option<Commune> {
    let v = communes();
    v.binary_search_by(|c| c.insee.cmp(code)).ok().map(|i| v[i])
}

/// The EPCI with this SIREN, if any.
pub fn epci(siren: &str) -> Option<Epci> {
    let v = epcis();
    v.binary_search_by(|e| e.siren.cmp(siren)).ok().map(|i| v[i].clone())
}

/// Whether `code`, which is no current commune's INSEE code, looks like a
/// postal code: five digits beyond the department's last INSEE code (29460
/// where Finistère's codes stop at 29302), or ending in 0 like most postal
/// codes (29800). A commune merged away keeps a code within the range, so
/// the second test is a guess the message words as such.
pub fn code_postal_probable(code: &str) -> bool {
    if code.len() != 5 || !code.bytes().all(|b| b.is_ascii_digit()) || commune(code).is_some() {
        return false;
    }
    let dep = &code[..2];
    let dernier = communes().iter().filter(|c| c.insee.starts_with(dep)).map(|c| c.insee).max();
    dernier.is_none_or(|d| code > d) || code.ends_with('0')
}

/// The current communes called `nom` (compared as [`noms_equivalents`]
/// does), sorted by INSEE code.
pub fn communes_nommees(nom: &str) -> Vec<Commune> {
    let k = name_key(nom).1;
    if k.is_empty() {
        return Vec::new();
    }
    communes().iter().filter(|c| name_key(c.nom).1 == k).copied().collect()
}

/// A member commune of an EPCI as the register lists it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommuneMembre {
    pub commune: Commune,
    pub siren: &'static str,
    /// Population municipale given by the register (INSEE legal populations).
    pub population: u64,
}

/// The member communes of the EPCI `siren`, with their SIREN and
/// population, sorted by INSEE code.
pub fn communes_membres(siren: &str) -> Vec<CommuneMembre> {
    let Some(ligne) = EPCI_TSV.lines().find(|l| l.split('\t').next() == Some(siren)) else {
        return Vec::new();
    };
    let mut v: Vec<CommuneMembre> = ligne
        .rsplit('\t')
        .next()
        .unwrap_or("")
        .split(',')
        .filter_map(|m| {
            let mut f = m.split(':');
            let (code, siren, pop) = (f.next()?, f.next()?, f.next()?);
            Some(CommuneMembre {
                commune: commune(code)?,
                siren,
                population: pop.parse().ok()?,
            })
        })
        .collect();
    v.sort_by(|a, b| a.commune.insee.cmp(b.commune.insee));
    v
}

/// The EPCIs a user may mean by `texte`: its SIREN, or its name compared
/// as [`noms_equivalents`] does, the legal form optional (« pays des
/// abers » is the « CC du Pays des Abers »). Empty when none matches.
pub fn epcis_designes(texte: &str) -> Vec<Epci> {
    let t = texte.trim();
    if let Some(e) = epci(t) {
        return vec![e];
    }
    let (forme, coeur) = name_key(t);
    if coeur.is_empty() {
        return Vec::new();
    }
    epcis()
        .iter()
        .filter(|e| {
            let (f, c) = name_key(e.nom);
            c == coeur && (forme.is_none() || f == forme)
        })
        .cloned()
        .collect()
}

/// The EPCIs whose name is closest to `texte`, for a « vouliez-vous
/// dire » list: those whose name holds every word typed, else the nearest
/// by edit distance; at most `n`.
pub fn epcis_proches(texte: &str, n: usize) -> Vec<Epci> {
    let mots_tapes = mots(texte);
    if mots_tapes.is_empty() {
        return Vec::new();
    }
    let contient: Vec<Epci> = epcis()
        .iter()
        .filter(|e| {
            let m = mots(e.nom);
            mots_tapes.iter().all(|w| m.contains(w))
        })
        .take(n)
        .cloned()
        .collect();
    if !contient.is_empty() {
        return contient;
    }
    let tape = mots_tapes.join(" ");
    let mut scores: Vec<(usize, &Epci)> = epcis()
        .iter()
        .map(|e| (strsim::damerau_levenshtein(&tape, &name_key(e.nom).1.join(" ")), e))
        .filter(|(d, _)| *d <= tape.chars().count() / 3 + 1)
        .collect();
    scores.sort_by_key(|(d, e)| (*d, e.siren));
    // Only the nearest: one letter off the best, not every « Pays de … ».
    let meilleur = scores.first().map_or(0, |(d, _)| *d);
    scores
        .into_iter()
        .take_while(|(d, _)| *d <= meilleur + 1)
        .take(n)
        .map(|(_, e)| e.clone())
        .collect()
}

/// Whether `code` has the shape of a commune's INSEE code: a department
/// (01–19, 21–95, 2A, 2B; Corsica is never "20") then 3 digits, or an
/// overseas code 97xxx / 98xxx.
pub fn insee_bien_forme(code: &str) -> bool {
    let b = code.as_bytes();
    if b.len() != 5 || !b[2..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    match (b[0], b[1]) {
        (b'2', b'A' | b'B') => true,
        (d0, d1) if d0.is_ascii_digit() && d1.is_ascii_digit() => {
            let dep = (d0 - b'0') * 10 + (d1 - b'0');
            matches!(dep, 1..=19 | 21..=95 | 97 | 98)
        }
        _ => false,
    }
}

/// Whether `siren` is 9 digits with a valid Luhn key. The SIREN of La Poste,
/// 356000000, is Luhn-valid like any other; La Poste's exception (sum of the
/// digits divisible by 5) only concerns the SIRETs of its establishments,
/// which are not SIRENs.
pub fn siren_valide(siren: &str) -> bool {
    let b = siren.as_bytes();
    if b.len() != 9 || !b.iter().all(u8::is_ascii_digit) || b.iter().all(|&d| d == b'0') {
        return false;
    }
    let sum: u32 = b
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// Whether a user-written name designates the same commune or EPCI as the
/// official one, ignoring case, accents, punctuation (hyphens, apostrophes of
/// any kind, dots, commas, quotes, parentheses), "St"/"Ste" abbreviations,
/// a leading article ("L'Hôpital-Camfrout" / "Hôpital-Camfrout", or the
/// "Forest-Landerneau (La)" style) and the way the legal form is written
/// ("CA du …" / "Communauté d'agglomération du …", likewise CC, CU and
/// Métropole, with or without the article after the form).
pub fn noms_equivalents(official: &str, given: &str) -> bool {
    let (a, b) = (name_key(official), name_key(given));
    !a.1.is_empty() && a == b
}

/// Whether the official name starts with the words of the user-written one
/// (folded as [`noms_equivalents`] does), without being equal: « Mauléon »
/// for « Mauléon-Licharre », « st jean » for « Saint-Jean-de-Luz ».
pub fn nom_commence_par(official: &str, given: &str) -> bool {
    let (a, b) = (name_key(official).1, name_key(given).1);
    !b.is_empty() && a.len() > b.len() && a.starts_with(&b)
}

/// The legal form of an EPCI, when its name starts with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Forme {
    Ca,
    Cc,
    Cu,
    Metropole,
}

/// Canonical form of a name: its legal form (if it starts with one) and its
/// remaining words, folded, without a leading article.
fn name_key(name: &str) -> (Option<Forme>, Vec<String>) {
    let words = mots(strip_trailing_article(name.trim()));
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    let (forme, debut) = match forme_en_tete(&w) {
        Some((f, n)) => (Some(f), n),
        None => (None, 0),
    };
    let mut rest = &w[debut..];
    // Then the article ("L'Hôpital-Camfrout", "CU Le Havre Seine Métropole").
    if rest.len() > 1 && matches!(rest[0], "le" | "la" | "les" | "l") {
        rest = &rest[1..];
    }
    (forme, rest.iter().map(|s| s.to_string()).collect())
}

/// The words of a text, folded (lower case, no accents, punctuation as a
/// separator, "St" as "saint").
fn mots(texte: &str) -> Vec<String> {
    let mut folded = String::with_capacity(texte.len());
    for c in texte.chars().flat_map(char::to_lowercase) {
        fold_char(c, &mut folded);
    }
    folded
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint".to_string(),
            "ste" => "sainte".to_string(),
            "sts" => "saints".to_string(),
            "stes" => "saintes".to_string(),
            "&" => "et".to_string(),
            _ => w.to_string(),
        })
        .collect()
}

/// The legal form that `w` starts with and how many words it takes with the
/// preposition after it ("CA du Pays…", "CU de Dunkerque"), when at least
/// one word follows.
fn forme_en_tete(w: &[&str]) -> Option<(Forme, usize)> {
    const FORMS: &[(&[&str], Forme)] = &[
        (&["communaute", "d", "agglomeration"], Forme::Ca),
        (&["communaute", "de", "communes"], Forme::Cc),
        (&["communaute", "urbaine"], Forme::Cu),
        (&["metropole"], Forme::Metropole),
        (&["ca"], Forme::Ca),
        (&["cc"], Forme::Cc),
        (&["cu"], Forme::Cu),
        (&["c", "a"], Forme::Ca),
        (&["c", "c"], Forme::Cc),
        (&["c", "u"], Forme::Cu),
    ];
    let (p, forme) = FORMS.iter().find(|(p, _)| w.len() > p.len() && w.starts_with(p))?;
    let rest = &w[p.len()..];
    for prep in [&["de", "la"][..], &["de", "l"], &["du"], &["des"], &["de"], &["d"]] {
        if rest.len() > prep.len() && rest.starts_with(prep) {
            return Some((*forme, p.len() + prep.len()));
        }
    }
    Some((*forme, p.len()))
}

/// The EPCIs of the register named in `texte` with their legal form
/// ("Communauté d'agglomération du Pays de Landerneau-Daoulas", "CA du Pays
/// de Landerneau-Daoulas"…), in the order they appear.
pub fn epcis_nommes(texte: &str) -> Vec<Epci> {
    type Index = std::collections::HashMap<String, Vec<(Forme, Vec<String>, usize)>>;
    static INDEX: OnceLock<Index> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        let mut ix: Index = Default::default();
        for (i, e) in epcis().iter().enumerate() {
            if let (Some(f), coeur) = name_key(e.nom) {
                if let Some(premier) = coeur.first() {
                    ix.entry(premier.clone()).or_default().push((f, coeur, i));
                }
            }
        }
        ix
    });
    let mots = mots(texte);
    let w: Vec<&str> = mots.iter().map(String::as_str).collect();
    let mut out: Vec<Epci> = Vec::new();
    for i in 0..w.len() {
        let Some((forme, n)) = forme_en_tete(&w[i..]) else { continue };
        let mut j = i + n;
        if w.len() > j + 1 && matches!(w[j], "le" | "la" | "les" | "l") {
            j += 1;
        }
        let candidats = w.get(j).and_then(|m| index.get(*m)).into_iter().flatten();
        for (f, coeur, k) in candidats {
            if *f == forme && w.len() >= j + coeur.len() && w[j..j + coeur.len()] == coeur[..] {
                let e = &epcis()[*k];
                if !out.iter().any(|x| x.siren == e.siren) {
                    out.push(e.clone());
                }
            }
        }
    }
    out
}

/// Whether some current commune is called `nom` (compared as
/// [`noms_equivalents`] does).
pub fn commune_nommee(nom: &str) -> bool {
    static NOMS: OnceLock<std::collections::HashSet<Vec<String>>> = OnceLock::new();
    let noms = NOMS.get_or_init(|| communes().iter().map(|c| name_key(c.nom).1).collect());
    let k = name_key(nom).1;
    !k.is_empty() && noms.contains(&k)
}

/// "Forest-Landerneau (La)" → "Forest-Landerneau": the article written after
/// the name, as some lists sort them.
fn strip_trailing_article(name: &str) -> &str {
    if let Some(inner) = name.strip_suffix(')') {
        if let Some(open) = inner.rfind('(') {
            let article = inner[open + 1..].trim().to_lowercase();
            let head = inner[..open].trim_end();
            if !head.is_empty() && matches!(article.as_str(), "le" | "la" | "les" | "l'" | "l’") {
                return head;
            }
        }
    }
    name
}

/// Appends the folded form of a lowercase char: accents removed, ligatures
/// expanded, punctuation turned into a word separator.
fn fold_char(c: char, out: &mut String) {
    match c {
        // Letters of names that Unicode decomposition does not fold (the
        // shared folding stays in step with the search's JavaScript).
        'đ' => out.push('d'),
        'ı' => out.push('i'),
        'ł' => out.push('l'),
        'ø' => out.push('o'),
        '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' | '\'' | '’' | '‘' | 'ʼ' | '`' | '´' | '.' | ',' | ';' | ':'
        | '(' | ')' | '[' | ']' | '/' | '"' | '«' | '»' | '“' | '”' | '_' => out.push(' '),
        c if c.is_whitespace() => out.push(' '),
        c => mutu_base::texte::replie_car(c, out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epcis_named_in_a_text() {
        let noms = |t: &str| epcis_nommes(t).into_iter().map(|e| e.siren).collect::<Vec<_>>();
        assert_eq!(
            noms("Communauté d'agglomération du Pays de Landerneau-Daoulas (CAPLD), SIREN 242900801"),
            ["242900801"]
        );
        assert_eq!(noms("Le Président de la CA du Pays de Landerneau-Daoulas"), ["242900801"]);
        assert_eq!(noms("Siège de la CAPLD, 29800 Landerneau"), Vec::<&str>::new());
        assert_eq!(noms("Pays de Landerneau-Daoulas"), Vec::<&str>::new(), "a legal form is required");
        assert!(commune_nommee("Landerneau") && commune_nommee("la forest landerneau") && !commune_nommee("Landernau"));
    }

    #[test]
    fn communes_by_code() {
        assert_eq!(
            commune("29103"),
            Some(Commune {
                insee: "29103",
                nom: "Landerneau",
                codes_postaux: "29800",
            })
        );
        assert!(commune("64102").is_some_and(|c| c.a_pour_code_postal("64100")), "Bayonne");
        assert!(commune("64100").is_some_and(|c| !c.a_pour_code_postal("64100")), "Bassussarry");
        assert_eq!(commune("29043").map(|c| c.nom), Some("Daoulas"));
        assert_eq!(commune("2A004").map(|c| c.nom), Some("Ajaccio"));
        assert_eq!(commune("2B033").map(|c| c.nom), Some("Bastia"));
        assert_eq!(commune("75056").map(|c| c.nom), Some("Paris"));
        assert_eq!(commune("97411").map(|c| c.nom), Some("Saint-Denis"));
        // Municipal arrondissements and delegated communes are not current communes.
        assert_eq!(commune("75101"), None);
        assert_eq!(commune("20004"), None);
        assert_eq!(commune("29800"), None);
        assert_eq!(commune(""), None);
        assert_eq!(commune("29103 "), None);
    }

    #[test]
    fn epcis_by_siren_or_name() {
        let noms = |t: &str| epcis_designes(t).into_iter().map(|e| e.siren).collect::<Vec<_>>();
        assert_eq!(noms("242900553"), ["242900553"]);
        assert_eq!(noms("pays des abers"), ["242900553"]);
        assert_eq!(noms("Communauté de communes du Pays des Abers"), ["242900553"]);
        assert_eq!(noms("CA du Pays des Abers"), Vec::<&str>::new());
        assert!(epcis_proches("pays des abbers", 5).iter().any(|e| e.siren == "242900553"));
        let abers = communes_membres("242900553");
        assert_eq!(abers.len(), 13);
        assert_eq!(
            abers
                .iter()
                .find(|m| m.commune.insee == "29160")
                .map(|m| (m.commune.nom, m.siren, m.population)),
            Some(("Plabennec", "212901607", 8633))
        );
    }

    #[test]
    fn postal_codes_told_apart() {
        assert!(code_postal_probable("29460"), "beyond Finistère's last INSEE code");
        assert!(code_postal_probable("29800"));
        assert!(code_postal_probable("29200"), "Brest's postal code, no INSEE code");
        assert!(!code_postal_probable("29103"), "Landerneau's INSEE code");
        assert!(!code_postal_probable("2A004"));
        assert_eq!(communes_nommees("daoulas").iter().map(|c| c.insee).collect::<Vec<_>>(), ["29043"]);
    }

    #[test]
    fn epci_by_siren() {
        let e = epci("242900801").expect("CA du Pays de Landerneau-Daoulas");
        assert_eq!(e.siren, "242900801");
        assert_eq!(e.nom, "CA du Pays de Landerneau-Daoulas");
        assert_eq!(e.membres.len(), 22);
        assert_eq!(
            e.membres,
            [
                "29043", "29045", "29056", "29078", "29080", "29086", "29103", "29116", "29137", "29140", "29144", "29156", "29180", "29181", "29237", "29245",
                "29246", "29268", "29270", "29286", "29294", "29295"
            ]
        );
        assert!(e.membres.contains(&"29103"));
        assert!(!e.membres.contains(&"29019"));
        assert_eq!(epci("242900314").map(|e| e.nom), Some("Brest Métropole"));
        assert_eq!(epci("242900802"), None);
        assert_eq!(epci("212901037"), None);
    }

    #[test]
    fn insee_shape() {
        for ok in ["29103", "01001", "2A004", "2B033", "95690", "97411", "97611", "98735", "98818"] {
            assert!(insee_bien_forme(ok), "{ok}");
        }
        for bad in [
            "20004", "00001", "96001", "99100", "2C004", "2a004", "2910", "291033", "29 03", "2910A", "", "29800 ", "2Aé01", "A9103",
        ] {
            assert!(!insee_bien_forme(bad), "{bad}");
        }
    }

    #[test]
    fn siren_luhn() {
        assert!(siren_valide("242900801"));
        assert!(!siren_valide("242900802"));
        assert!(!siren_valide("242900810"));
        assert!(siren_valide("212901037"));
        assert!(siren_valide("356000000"));
        assert!(!siren_valide("000000000"));
        assert!(!siren_valide("24290080"));
        assert!(!siren_valide("2429008010"));
        assert!(!siren_valide("24290080a"));
        assert!(!siren_valide("242 900 801"));
        assert!(!siren_valide(""));
    }

    #[test]
    fn equivalent_names() {
        let ca = "CA du Pays de Landerneau-Daoulas";
        for given in [
            "CA du Pays de Landerneau-Daoulas",
            "Communauté d'agglomération du Pays de Landerneau-Daoulas",
            "Communauté d’Agglomération du Pays de Landerneau Daoulas",
            "COMMUNAUTE D'AGGLOMERATION DU PAYS DE LANDERNEAU-DAOULAS",
            "Communauté d'agglomération Pays de Landerneau-Daoulas",
            "C.A. du Pays de Landerneau – Daoulas",
            "  ca du pays de landerneau daoulas ",
        ] {
            assert!(noms_equivalents(ca, given), "{given}");
        }
        assert!(noms_equivalents("CC du Pays des Abers", "Communauté de communes du Pays des Abers"));
        assert!(noms_equivalents("CU du Grand Reims", "Communauté urbaine du Grand Reims"));
        assert!(noms_equivalents("CU Le Havre Seine Métropole", "Communauté urbaine du Havre Seine Métropole"));
        assert!(noms_equivalents("Métropole de Lyon", "Métropole Lyon"));
        assert!(noms_equivalents("Brest Métropole", "Brest métropole"));
        assert!(noms_equivalents("Saint-Divy", "St Divy"));
        assert!(noms_equivalents("Saint-Eloy", "Saint-Éloy"));
        assert!(noms_equivalents("Sainte-Marie-aux-Mines", "Ste-Marie-aux-Mines"));
        assert!(noms_equivalents("Plouédern", "PLOUEDERN"));
        assert!(noms_equivalents("Plouédern", "Ploue\u{301}dern"));
        assert!(noms_equivalents("L'Haÿ-les-Roses", "L’Haÿ les Roses"));
        assert!(noms_equivalents("L'Haÿ-les-Roses", "Hay-les-Roses"));
        assert!(noms_equivalents("La Forest-Landerneau", "Forest-Landerneau (La)"));
        assert!(noms_equivalents("La Forest-Landerneau", "La\u{a0}Forest\u{2011}Landerneau"));
        assert!(noms_equivalents("Œuilly", "Oeuilly"));
        assert!(noms_equivalents("Château-Chinon (Ville)", "Château-Chinon Ville"));
    }

    #[test]
    fn different_names() {
        let ca = "CA du Pays de Landerneau-Daoulas";
        for given in [
            "CC du Pays de Landerneau-Daoulas",
            "Communauté de communes du Pays de Landerneau-Daoulas",
            "Pays de Landerneau-Daoulas",
            "CA du Pays de Landerneau",
            "CA du Pays de LanderneauDaoulas",
            "CA du Pays de Landivisiau",
            "",
        ] {
            assert!(!noms_equivalents(ca, given), "{given}");
        }
        assert!(!noms_equivalents("Landerneau", "Landivisiau"));
        assert!(!noms_equivalents("Daoulas", "Daoula"));
        assert!(!noms_equivalents("Saint-Divy", "Sainte-Divy"));
        assert!(!noms_equivalents("Château-Chinon (Ville)", "Château-Chinon (Campagne)"));
        assert!(!noms_equivalents("Bors (Canton de Tude-et-Lavalette)", "Bors (Canton de Charente-Sud)"));
        assert!(!noms_equivalents("", ""));
    }

    #[test]
    fn embedded_files_are_canonical() {
        let lines = COMMUNES_TSV.lines().count();
        assert_eq!(communes().len(), lines);
        assert!(lines > 34_000, "{lines} communes");
        for w in communes().windows(2) {
            assert!(w[0].insee < w[1].insee, "{} then {}", w[0].insee, w[1].insee);
        }
        for c in communes() {
            assert!(insee_bien_forme(c.insee), "{}", c.insee);
            assert!(!c.nom.is_empty() && c.nom.trim() == c.nom, "{:?}", c);
            assert!(noms_equivalents(c.nom, c.nom), "{:?}", c);
        }
        let lines = EPCI_TSV.lines().count();
        assert_eq!(epcis().len(), lines);
        assert!(lines > 1_200, "{lines} EPCI");
        for w in epcis().windows(2) {
            assert!(w[0].siren < w[1].siren, "{} then {}", w[0].siren, w[1].siren);
        }
        for e in epcis() {
            assert!(siren_valide(e.siren), "{}", e.siren);
            assert!(!e.membres.is_empty(), "{}", e.siren);
            assert!(noms_equivalents(e.nom, e.nom), "{}", e.nom);
            for m in &e.membres {
                assert!(commune(m).is_some(), "{} member {m}", e.siren);
            }
        }
    }
}
