//! Synthetic territories for the benchmarks: writes a complete, valid mutu
//! project (`data/` + `content/`) of any size.
//!
//! ```text
//! cargo run --release --example synth -- --communes 500 --fiches 100 --annees 5 --sortie /tmp/m [--graine 42]
//! ```
//!
//! The communes are real ones (INSEE codes and official names from the
//! embedded COG, `src/check/cog/communes.tsv`), drawn from one or several
//! départements; everything else (the EPCI, people, figures, narratives) is
//! invented. The EPCI's SIREN passes the Luhn check and is absent from the
//! official EPCI list, so no membership check applies. Every declared total
//! equals the sum of its parts: `mutu check` reports neither error nor
//! warning. Output depends only on the arguments (own splitmix64 generator,
//! no clock, no hash-map iteration).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const COMMUNES_TSV: &str = include_str!("../crates/check/src/cog/communes.tsv");
const EPCI_TSV: &str = include_str!("../crates/check/src/cog/epci.tsv");

/// Year of the report.
const EXERCICE: i32 = 2024;

// ------------------------------------------------------------------ PRNG

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough here.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: u64) -> u64 {
        ((self.next() >> 11) as u128 * n as u128 >> 53) as u64
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            v.swap(i, j);
        }
    }
    /// `k` distinct indices of `0..n`, sorted.
    fn sample(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        self.shuffle(&mut v);
        v.truncate(k.min(n));
        v.sort_unstable();
        v
    }
}

// ------------------------------------------------------------ text helpers

/// A YAML double-quoted scalar.
fn q(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

/// Lower-case ASCII identifier: accents dropped, other characters become `-`.
fn slug(s: &str) -> String {
    let mut o = String::new();
    for c in s.chars() {
        let r: &str = match c {
            'à' | 'â' | 'ä' | 'á' | 'À' | 'Â' | 'Ä' => "a",
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => "e",
            'î' | 'ï' | 'í' | 'Î' | 'Ï' => "i",
            'ô' | 'ö' | 'ó' | 'Ô' | 'Ö' => "o",
            'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' => "u",
            'ç' | 'Ç' => "c",
            'ÿ' | 'Ÿ' => "y",
            'ñ' | 'Ñ' => "n",
            'œ' | 'Œ' => "oe",
            'æ' | 'Æ' => "ae",
            c if c.is_ascii_alphanumeric() => {
                o.push(c.to_ascii_lowercase());
                continue;
            }
            _ => "-",
        };
        o.push_str(r);
    }
    let mut out = String::new();
    for part in o.split('-').filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    out
}

/// French grouping of an integer with non-breaking spaces: 12 345.
fn fr(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut o = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            o.push('\u{a0}');
        }
        o.push(c);
    }
    if n < 0 {
        format!("−{o}")
    } else {
        o
    }
}

/// Amount in euros from cents, as YAML: `1234.50`.
fn eur(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, (cents % 100).abs())
}

fn luhn_ok(s: &str) -> bool {
    let sum: u32 = s
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
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

/// Completes 8 digits with the Luhn check digit.
fn siren(prefix8: &str) -> String {
    (0..10).map(|d| format!("{prefix8}{d}")).find(|s| luhn_ok(s)).expect("one digit fits")
}

// ------------------------------------------------------------ vocabulary

const PRENOMS: &[&str] = &[
    "Anne",
    "Bernard",
    "Catherine",
    "Christophe",
    "Claire",
    "Damien",
    "Élodie",
    "Éric",
    "Françoise",
    "Gilles",
    "Hélène",
    "Isabelle",
    "Jacques",
    "Jean-Luc",
    "Laurence",
    "Marc",
    "Marie-Pierre",
    "Martine",
    "Nathalie",
    "Olivier",
    "Pascal",
    "Patricia",
    "Philippe",
    "Sandrine",
    "Stéphane",
    "Sylvie",
    "Thierry",
    "Valérie",
    "Yannick",
    "Yves",
];
const NOM_DEBUT: &[&str] = &[
    "Ber", "Mar", "Lau", "Du", "Ro", "Ga", "Le Go", "Mor", "Fa", "Gui", "Le Bri", "Char", "Ker", "Bou", "Pe", "Ma", "Tho", "Lan", "Gi", "Fou",
];
const NOM_FIN: &[&str] = &[
    "nard", "tin", "rent", "mas", "ger", "val", "ret", "vin", "lon", "chet", "del", "ff", "rec", "quet", "zé", "rand", "mel", "rault", "neau", "det",
];
const LIEU_DEBUT: &[&str] = &[
    "Val", "Mont", "Roche", "Belle", "Haute", "Beau", "Chante", "Clair", "Fonte", "Mar", "Ker", "Plou", "Lan", "Bois", "Pierre", "Grand",
];
const LIEU_FIN: &[&str] = &[
    "mont", "val", "fort", "brune", "lieu", "court", "nay", "mer", "ac", "ennec", "ouan", "fontaine", "vallon", "rive", "lande", "pré",
];

fn personne(rng: &mut Rng) -> String {
    format!("{} {}{}", rng.pick(PRENOMS), rng.pick(NOM_DEBUT), rng.pick(NOM_FIN))
}

fn lieu(rng: &mut Rng) -> String {
    let a = rng.pick(LIEU_DEBUT).to_string();
    let b = rng.pick(LIEU_FIN).to_string();
    // "Val" + "val" reads badly: draw again once.
    if a.to_lowercase().ends_with(&b) {
        return format!("{a}{}", rng.pick(&["ière", "enne", "ange"]));
    }
    format!("{a}{b}")
}

/// Themes of fiches-actions (title, axe hint 0..5).
const THEMES: &[(&str, usize)] = &[
    ("Achat groupé d'énergie", 2),
    ("Service commun de paie", 1),
    ("Réseau des médiathèques", 0),
    ("Dématérialisation des marchés publics", 1),
    ("Conseil juridique aux communes", 1),
    ("Formation mutualisée des agents", 1),
    ("Banque de matériel partagé", 4),
    ("Entretien des espaces verts", 2),
    ("Voirie communale et balayage", 2),
    ("Archivage intercommunal", 3),
    ("Délégué à la protection des données", 3),
    ("Prévention des risques professionnels", 1),
    ("Remplacement des secrétaires de mairie", 1),
    ("Instruction des autorisations d'urbanisme", 0),
    ("Système d'information géographique", 3),
    ("Sauvegarde informatique mutualisée", 3),
    ("Téléphonie et réseaux", 3),
    ("Restauration scolaire", 4),
    ("Accueils de loisirs sans hébergement", 4),
    ("Police municipale intercommunale", 0),
    ("Conseil en énergie partagé", 2),
    ("Rénovation de l'éclairage public", 2),
    ("Gestion des cimetières", 4),
    ("Communication et sites internet", 3),
    ("Recherche de financements", 1),
    ("Ingénierie de projets", 0),
    ("Contrôle des aires de jeux", 4),
    ("Fourrière animale", 0),
    ("Lutte contre les espèces invasives", 2),
    ("Prêt de véhicules électriques", 2),
    ("Garage et entretien des véhicules", 1),
    ("Transport scolaire et sorties", 4),
    ("Gestion des carrières", 1),
    ("Analyse financière prospective", 1),
    ("Animation du réseau des CCAS", 0),
    ("Maisons de santé", 4),
    ("Enseignement musical", 0),
    ("Équipements sportifs", 4),
    ("Valorisation du patrimoine", 0),
    ("Numérique éducatif dans les écoles", 3),
];
const VARIANTES: &[(&str, &str)] = &[
    ("étude d'opportunité", "etude"),
    ("expérimentation", "experimentation"),
    ("déploiement", "deploiement"),
    ("extension à toutes les communes", "extension"),
    ("harmonisation des pratiques", "harmonisation"),
    ("convention cadre", "convention"),
    ("évaluation et bilan", "evaluation"),
    ("outil partagé", "outil"),
];
const AXES: &[(&str, &str, &str)] = &[
    (
        "competences-politiques-publiques",
        "Compétences et politiques publiques",
        "Mutualisations au service des politiques publiques portées par les communes et la Communauté : urbanisme, lecture publique, sécurité, enseignement artistique.",
    ),
    (
        "fonctions-support",
        "Fonctions support",
        "Mutualisations des fonctions internes des collectivités : ressources humaines, finances, achats, conseil juridique, formation.",
    ),
    (
        "transition-ecologique",
        "Transition écologique et patrimoine",
        "Sobriété énergétique, entretien du patrimoine communal et des espaces publics, mobilités décarbonées.",
    ),
    (
        "numerique",
        "Numérique et systèmes d'information",
        "Outils informatiques partagés, sécurité des données, dématérialisation et usages numériques des habitants.",
    ),
    (
        "services-population",
        "Services à la population",
        "Enfance-jeunesse, restauration scolaire, santé, équipements et matériels mis en commun au bénéfice des habitants.",
    ),
];
const STATUTS: &[&str] = &["a_engager", "en_reflexion", "en_cours", "realisee", "reportee", "abandonnee"];
const CADRES: &[&str] = &[
    "service_commun",
    "mise_a_disposition",
    "prestation",
    "groupement_de_commandes",
    "action_coordonnee",
    "entente",
    "a_definir",
];
const REPONSES: &[&str] = &["oui", "non", "à définir", "non évaluable"];

// ------------------------------------------------------------- territory

#[derive(Clone)]
struct Pop {
    municipale: u64,
    totale: u64,
    dgf: u64,
}

struct Commune {
    insee: String,
    nom: String,
    id: String,
    siren: String,
    maire: String,
    /// One figure per year of `Ctx::years`.
    pops: Vec<Pop>,
}

struct Partenaire {
    id: String,
    nom: String,
    sigle: String,
    siren: String,
    pops: Vec<Pop>,
}

struct Ctx {
    rng: Rng,
    years: Vec<i32>,
    dep: String,
    communes: Vec<Commune>,
    /// Index of the ville-centre (largest commune) and of the second one.
    ville: usize,
    seconde: usize,
    ccas: Vec<(String, String, usize)>,
    sivu: (String, String),
    epci_id: String,
    epci_nom: String,
    epci_sigle: String,
    epci_siren: String,
    pays: String,
    partenaire: Partenaire,
    spl: (String, String, String),
    files: BTreeMap<PathBuf, String>,
    cles: String,
    /// Services for the narratives and fiches: (id, name).
    services: Vec<(String, String)>,
    /// Commune indices using the garage, the SI support, and the SI grid.
    garage: Vec<usize>,
    si: Vec<usize>,
}

impl Ctx {
    fn yi(&self, y: i32) -> usize {
        (y - self.years[0]) as usize
    }
    fn write(&mut self, path: &str, text: String) {
        self.files.insert(PathBuf::from(path), text);
    }
    fn pop_epci(&self, yi: usize) -> Pop {
        let mut p = Pop {
            municipale: 0,
            totale: 0,
            dgf: 0,
        };
        for c in &self.communes {
            p.municipale += c.pops[yi].municipale;
            p.totale += c.pops[yi].totale;
            p.dgf += c.pops[yi].dgf;
        }
        p
    }
}

fn pick_communes(rng: &mut Rng, n: usize) -> (String, Vec<(String, String)>) {
    let mut by_dep: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for l in COMMUNES_TSV.lines() {
        // code INSEE, name, postal codes (the third column since the COG carries them).
        let mut champs = l.split('\t');
        let (Some(code), Some(nom)) = (champs.next(), champs.next()) else { continue };
        let dep = &code[..2];
        // Metropolitan numeric départements only: commune SIRENs are built from the code.
        if !dep.bytes().all(|b| b.is_ascii_digit()) || dep == "97" || dep == "98" || dep == "75" {
            continue;
        }
        by_dep.entry(dep.to_string()).or_default().push((code.to_string(), nom.to_string()));
    }
    let deps: Vec<String> = by_dep.keys().cloned().collect();
    // Start at a seeded département and take the following ones in order,
    // so a large territory spans neighbouring codes.
    let start = rng.below(deps.len() as u64) as usize;
    let mut chosen = Vec::new();
    let mut first = None;
    for k in 0..deps.len() {
        if chosen.len() >= n {
            break;
        }
        let dep = &deps[(start + k) % deps.len()];
        let all = &by_dep[dep];
        if first.is_none() {
            first = Some(dep.clone());
        }
        let idx = rng.sample(all.len(), n - chosen.len());
        chosen.extend(idx.into_iter().map(|i| all[i].clone()));
    }
    chosen.sort();
    (first.unwrap_or_else(|| "29".into()), chosen)
}

fn population_series(rng: &mut Rng, years: usize, base_municipale: u64) -> Vec<Pop> {
    let growth = rng.range(-8, 15) as f64 / 1000.0;
    let compte_a_part = 0.01 + rng.unit() * 0.03;
    let residences = rng.unit() * 0.12;
    (0..years)
        .map(|k| {
            let m = ((base_municipale as f64) * (1.0 + growth).powi(k as i32) + rng.range(-3, 3) as f64).max(40.0) as u64;
            let t = m + ((m as f64) * compte_a_part).round() as u64;
            let d = t + ((t as f64) * residences).round() as u64;
            Pop {
                municipale: m,
                totale: t,
                dgf: d,
            }
        })
        .collect()
}

fn territoire(rng: &mut Rng, n: usize, years: &[i32]) -> Ctx {
    let (dep, picked) = pick_communes(rng, n);
    let mut ids = BTreeSet::new();
    let mut communes: Vec<Commune> = picked
        .into_iter()
        .map(|(insee, nom)| {
            let mut id = slug(&nom);
            if !ids.insert(id.clone()) {
                id = format!("{id}-{}", insee.to_lowercase());
                ids.insert(id.clone());
            }
            let u = rng.unit();
            let base = 70 + (18000.0 * u.powi(5)) as u64 + rng.below(400);
            Commune {
                siren: siren(&format!("21{}0{}", &insee[..2], &insee[2..])),
                insee,
                nom,
                id,
                maire: personne(rng),
                pops: population_series(rng, years.len(), base),
            }
        })
        .collect();
    // The ville-centre: boost the largest commune so it stands out.
    let ville = (0..communes.len())
        .max_by_key(|&i| (communes[i].pops[0].municipale, std::cmp::Reverse(i)))
        .unwrap_or(0);
    let boost = 6000 + rng.below(10000);
    let series = population_series(rng, years.len(), communes[ville].pops[0].municipale + boost);
    communes[ville].pops = series;
    communes.sort_by(|a, b| a.id.cmp(&b.id));
    // Indices after sorting: the ville-centre and the second commune by population.
    let by_pop = |skip: Option<usize>| {
        (0..communes.len())
            .filter(|&i| Some(i) != skip)
            .max_by_key(|&i| (communes[i].pops[0].municipale, std::cmp::Reverse(i)))
            .unwrap_or(0)
    };
    let ville = by_pop(None);
    let seconde = by_pop(Some(ville));

    let pays = format!("{}-{}", lieu(rng), lieu(rng));
    let nature_cc = n <= 60;
    let epci_nom = if nature_cc {
        format!("Communauté de communes du Pays de {pays}")
    } else {
        format!("Communauté d'agglomération du Pays de {pays}")
    };
    let initiales: String = pays.split('-').filter_map(|w| w.chars().next()).collect::<String>().to_uppercase();
    let epci_sigle = format!("{}P{}", if nature_cc { "CC" } else { "CA" }, initiales);
    let official: BTreeSet<&str> = EPCI_TSV.lines().filter_map(|l| l.split('\t').next()).collect();
    let epci_siren = loop {
        let s = siren(&format!("200{:05}", rng.below(100_000)));
        if !official.contains(s.as_str()) {
            break s;
        }
    };
    let part_nom = lieu(rng);
    let partenaire = Partenaire {
        id: format!("cc-{}", slug(&part_nom)),
        nom: format!("Communauté de communes de {part_nom}"),
        sigle: format!("CC{}", part_nom.chars().next().unwrap_or('X').to_uppercase()),
        siren: loop {
            let s = siren(&format!("24{}{:04}", dep, rng.below(10_000)));
            if s != epci_siren {
                break s;
            }
        },
        pops: {
            let base = 9000 + rng.below(25000);
            population_series(rng, years.len(), base)
        },
    };
    let spl_nom = lieu(rng);
    let spl = (
        format!("spl-{}", slug(&spl_nom)),
        format!("Société publique locale {spl_nom} Services"),
        format!("SPL{}", spl_nom.chars().next().unwrap_or('X').to_uppercase()),
    );
    let mut ccas = vec![(
        format!("ccas-{}", communes[ville].id),
        format!("Centre communal d'action sociale de {}", communes[ville].nom),
        ville,
    )];
    for i in 0..communes.len() {
        if i != ville && rng.chance(6) {
            ccas.push((
                format!("ccas-{}", communes[i].id),
                format!("Centre communal d'action sociale de {}", communes[i].nom),
                i,
            ));
        }
    }
    let sivu_nom = lieu(rng);
    let sivu = (
        format!("sivu-{}", slug(&sivu_nom)),
        format!("Syndicat intercommunal à vocation unique de {sivu_nom}"),
    );
    let epci_id = slug(&epci_sigle);
    Ctx {
        rng: Rng(rng.next()),
        years: years.to_vec(),
        dep,
        communes,
        ville,
        seconde,
        ccas,
        sivu,
        epci_id,
        epci_nom,
        epci_sigle,
        epci_siren,
        pays,
        partenaire,
        spl,
        files: BTreeMap::new(),
        cles: String::new(),
        services: Vec::new(),
        garage: Vec::new(),
        si: Vec::new(),
    }
}

fn pop_yaml(o: &mut String, indent: &str, years: &[i32], pops: &[Pop], source: &str, with_dgf: bool) {
    let _ = writeln!(o, "{indent}populations:");
    for (y, p) in years.iter().zip(pops) {
        let _ = writeln!(o, "{indent}  {y}:");
        if with_dgf {
            let _ = writeln!(o, "{indent}    dgf: {}", p.dgf);
        }
        let _ = writeln!(o, "{indent}    totale: {}", p.totale);
        let _ = writeln!(o, "{indent}    municipale: {}", p.municipale);
        let _ = writeln!(o, "{indent}    source: {}", q(&source.replace("{y}", &y.to_string())));
    }
}

fn write_territoire(c: &mut Ctx) {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Territoire synthétique : communes réelles (codes et noms officiels du COG), tout le reste est inventé."
    );
    let _ = writeln!(o, "epci:");
    let _ = writeln!(o, "  id: {}", c.epci_id);
    let _ = writeln!(o, "  nom: {}", q(&c.epci_nom));
    let _ = writeln!(o, "  sigle: {}", c.epci_sigle);
    let _ = writeln!(o, "  nature: {}", if c.epci_nom.contains("communes") { "cc" } else { "ca" });
    let _ = writeln!(o, "  siren: {}", q(&c.epci_siren));
    let _ = writeln!(o, "  departement: {}", q(&c.dep));
    let v = &c.communes[c.ville];
    let _ = writeln!(o, "  siege: {}", q(&v.nom));
    let _ = writeln!(o, "  adresse: {}", q(&format!("1 place de la Mairie, {}", v.nom)));
    let _ = writeln!(o, "  site_web: {}", q(&format!("https://www.example-{}.fr/", c.epci_id)));
    let pops: Vec<Pop> = (0..c.years.len()).map(|k| c.pop_epci(k)).collect();
    pop_yaml(
        &mut o,
        "  ",
        &c.years,
        &pops,
        "Somme des populations légales des communes membres en vigueur en {y} (INSEE, données synthétiques).",
        true,
    );
    let _ = writeln!(o, "membres:");
    let src = "INSEE, populations légales en vigueur au 1er janvier {y} ; population DGF : fiche DGF {y} (données synthétiques).";
    for (i, cm) in c.communes.iter().enumerate() {
        let _ = writeln!(o, "  - id: {}", cm.id);
        let _ = writeln!(o, "    nom: {}", q(&cm.nom));
        let _ = writeln!(o, "    type: commune");
        let _ = writeln!(o, "    insee: {}", q(&cm.insee));
        let _ = writeln!(o, "    siren: {}", q(&cm.siren));
        let _ = writeln!(o, "    maire: {}", q(&cm.maire));
        if i == c.ville {
            let _ = writeln!(
                o,
                "    note: \"Ville-centre : porte avec la Communauté les services communs des fonctions support.\""
            );
        }
        pop_yaml(&mut o, "    ", &c.years, &cm.pops, src, true);
    }
    for (id, nom, ci) in &c.ccas {
        let _ = writeln!(o, "  - id: {id}");
        let _ = writeln!(o, "    nom: {}", q(nom));
        let _ = writeln!(o, "    type: ccas");
        let _ = writeln!(o, "    commune: {}", c.communes[*ci].id);
    }
    let _ = writeln!(o, "  - id: {}", c.sivu.0);
    let _ = writeln!(o, "    nom: {}", q(&c.sivu.1));
    let _ = writeln!(o, "    type: syndicat");
    let _ = writeln!(
        o,
        "    note: \"Syndicat de gestion d'équipements sportifs, membre des groupements de commandes.\""
    );
    let _ = writeln!(o, "partenaires:");
    let p = &c.partenaire;
    let _ = writeln!(o, "  - id: {}", p.id);
    let _ = writeln!(o, "    nom: {}", q(&p.nom));
    let _ = writeln!(o, "    type: epci");
    let _ = writeln!(o, "    sigle: {}", p.sigle);
    let _ = writeln!(o, "    siren: {}", q(&p.siren));
    let _ = writeln!(o, "    nombre_communes: {}", 8 + c.communes.len() % 11);
    let _ = writeln!(o, "    depuis: {}-06-01", c.years[0] - 1);
    pop_yaml(
        &mut o,
        "    ",
        &c.years,
        &p.pops,
        "Population de l'EPCI partenaire au 1er janvier {y} (données synthétiques).",
        true,
    );
    let _ = writeln!(
        o,
        "    note: \"EPCI voisin, partenaire du service commun d'instruction des autorisations d'urbanisme.\""
    );
    let _ = writeln!(o, "  - id: {}", c.spl.0);
    let _ = writeln!(o, "    nom: {}", q(&c.spl.1));
    let _ = writeln!(o, "    type: autre");
    let _ = writeln!(o, "    sigle: {}", c.spl.2);
    let _ = writeln!(o, "    depuis: {}-01-01", c.years[0]);
    let _ = writeln!(
        o,
        "    note: \"Société publique locale chargée de l'eau et de l'assainissement, cliente du garage commun.\""
    );
    c.write("data/territoire.yaml", o);
}

fn write_config(c: &mut Ctx) {
    let o = format!(
        "# Configuration du site et du PDF (territoire synthétique).
titre: {titre}
url_de_base: \"https://mutualisation.example-{id}.fr/\"
theme: default
html_brut: false
accessibilite:
  etat: partiellement_conforme
  date_audit: {audit}
  taux_conformite: \"81 %\"
  contenus_non_accessibles:
    - \"Les graphiques sont accompagnés de leur tableau de données ; leur description textuelle reste sommaire.\"
  contact_courriel: \"accessibilite@example-{id}.fr\"
  contact_adresse: {adresse}
mentions_legales:
  editeur: {editeur}
  directeur_publication: {directeur}
  hebergeur: \"Hébergé par le service des systèmes d'information de la Communauté\"
  adresse: {adresse}
",
        titre = q(&format!("Mutualisation des services — {}", c.epci_nom)),
        id = c.epci_id,
        audit = format!("{}-05-15", EXERCICE),
        adresse = q(&format!("{}, 1 place de la Mairie, {}", c.epci_nom, c.communes[c.ville].nom)),
        editeur = q(&format!("{} ({}), SIREN {}", c.epci_nom, c.epci_sigle, c.epci_siren)),
        directeur = q(&format!("Le Président de la {}", c.epci_nom)),
    );
    c.write("data/configuration.yaml", o);
}

fn write_rapport(c: &mut Ctx) {
    let conseil = format!("{}-03-27", EXERCICE + 1);
    let delib = format!("DCC{}_0{}", EXERCICE + 1, 10 + c.rng.below(80));
    let o = format!(
        "exercice: {EXERCICE}
titre: \"Rapport de mutualisation {EXERCICE} : bilan des services mutualisés et du schéma\"
date_conseil: {conseil}
deliberation: {delib}
actes_id: {dep:0>3}-{siren}-{compact}-{delib}-DE
signataire:
  nom: {nom}
  qualite: {qualite}
transmission:
  envoi: {y1}-04-01
  reception: {y1}-04-01
  publication: {y1}-04-04
date_document: {conseil}
",
        dep = c.dep,
        siren = c.epci_siren,
        compact = conseil.replace('-', ""),
        nom = q(&personne(&mut c.rng)),
        qualite = q(&format!("Président de la {}", c.epci_nom)),
        y1 = EXERCICE + 1,
    );
    c.write("data/rapport.yaml", o);
}

fn write_schema(c: &mut Ctx) {
    let mut o = String::new();
    let _ = writeln!(o, "titre: {}", q(&format!("Schéma de mutualisation 2020-2026 de la {}", c.epci_nom)));
    let _ = writeln!(o, "mandat:\n  debut: 2020\n  fin: 2026");
    let _ = writeln!(o, "adoptions:");
    let _ = writeln!(
        o,
        "  - date: 2015-12-10\n    objet: \"Adoption du premier schéma de mutualisation\"\n    deliberation: DCC2015_112"
    );
    let _ = writeln!(
        o,
        "  - date: 2021-06-24\n    objet: \"Approbation du deuxième schéma, outil du projet de territoire 2021-2026\"\n    deliberation: DCC2021_067"
    );
    let _ = writeln!(
        o,
        "  - date: 2023-11-16\n    objet: \"Révision à mi-parcours : ajout de fiches-actions sur la transition écologique\"\n    deliberation: DCC2023_141"
    );
    let _ = writeln!(o, "principes_gouvernance:");
    for (t, x) in [
        (
            "Un projet pour tout le territoire",
            "Rechercher l'adhésion de toutes les communes, en admettant des degrés d'engagement différents.",
        ),
        (
            "La Communauté en appui des communes",
            "Accompagner les communes qui mutualisent entre elles, en plus des services portés par la Communauté.",
        ),
        (
            "Un financement partagé et équitable",
            "Répartir le coût de chaque service selon des clés connues, votées et révisées chaque année.",
        ),
        (
            "Une évaluation annuelle",
            "Présenter chaque année au conseil communautaire l'avancement du schéma et le coût des services.",
        ),
    ] {
        let _ = writeln!(o, "  - titre: {}\n    texte: {}", q(t), q(x));
    }
    let _ = writeln!(o, "historique:");
    let events = [
        "Création du service commun d'instruction des autorisations d'urbanisme",
        "Premiers groupements de commandes",
        "Services communs des fonctions support avec la ville-centre",
        "Garage commun ouvert aux communes",
        "Réseau intercommunal de lecture publique",
        "Mutualisation informatique avec les communes",
        "Mise à disposition du directeur de l'école de musique",
        "Grille tarifaire du support informatique",
        "Extension des groupements de commandes à l'énergie",
        "Évaluation à mi-parcours du schéma",
    ];
    for (k, y) in c.years.iter().enumerate() {
        let _ = writeln!(o, "  - annee: {y}\n    evenements:\n      - {}", q(events[k % events.len()]));
    }
    let _ = writeln!(o, "cadre_juridique:");
    for (r, x) in [
        (
            "CGCT, article L.5211-39-1",
            "Rapport et schéma de mutualisation des services ; communication annuelle de leur avancement.",
        ),
        (
            "CGCT, article L.5211-4-2",
            "Services communs entre un EPCI à fiscalité propre et ses communes membres.",
        ),
        (
            "CGCT, article L.5211-4-1",
            "Mise à disposition de services entre un EPCI et ses communes membres.",
        ),
        (
            "Code de la commande publique, articles L.2113-6 à L.2113-8",
            "Groupements de commandes entre acheteurs publics.",
        ),
    ] {
        let _ = writeln!(o, "  - reference: {}\n    objet: {}", q(r), q(x));
    }
    c.write("data/schema.yaml", o);
}

// --------------------------------------------------------------- keys

fn cle_head(o: &mut String, id: &str, libelle: &str, base: &str, description: &str) {
    let _ = writeln!(o, "  - id: {id}");
    let _ = writeln!(o, "    libelle: {}", q(libelle));
    let _ = writeln!(o, "    base: {base}");
    let _ = writeln!(o, "    description: {}", q(description));
}

/// Floor of amount × w / total (integers), for a safe lower bound of a share.
fn share_floor(amount: i64, w: u64, total: u64) -> i64 {
    ((amount as i128 * w as i128) / total as i128) as i64
}

/// One bilan block (amounts in whole euros); returns the total expenses.
fn bilan(o: &mut String, y: i32, depenses: &[(String, i64)], recettes: &[(String, i64, Option<String>)], note: Option<&str>) -> i64 {
    let _ = writeln!(o, "  - exercice: {y}\n    taxes: ttc");
    let _ = writeln!(o, "    depenses:");
    for (l, m) in depenses {
        let _ = writeln!(o, "      - libelle: {}\n        montant: {m}", q(l));
    }
    if !recettes.is_empty() {
        let _ = writeln!(o, "    recettes:");
        for (l, m, who) in recettes {
            let _ = writeln!(o, "      - libelle: {}\n        montant: {m}", q(l));
            if let Some(w) = who {
                let _ = writeln!(o, "        membre: {w}");
            }
        }
    }
    let d: i64 = depenses.iter().map(|x| x.1).sum();
    let r: i64 = recettes.iter().map(|x| x.1).sum();
    let _ = writeln!(o, "    total_depenses_declare: {d}");
    if !recettes.is_empty() {
        let _ = writeln!(o, "    total_recettes_declare: {r}\n    solde_declare: {}", d - r);
    }
    if let Some(n) = note {
        let _ = writeln!(o, "    note: {}", q(n));
    }
    d
}

fn adherent(o: &mut String, id: &str, depuis: Option<String>, paiement: &str, note: Option<&str>) {
    let _ = write!(o, "  - {{membre: {id}");
    if let Some(d) = depuis {
        let _ = write!(o, ", depuis: {d}");
    }
    let _ = write!(o, ", paiement: {paiement}");
    if let Some(n) = note {
        let _ = write!(o, ", note: {}", q(n));
    }
    let _ = writeln!(o, "}}");
}

fn service_ads(c: &mut Ctx) {
    let (e, p) = (c.epci_id.clone(), c.partenaire.id.clone());
    let mut o = String::new();
    let _ = writeln!(
        o,
        "id: instruction-ads\nnom: \"Instruction des autorisations d'urbanisme\"\nsigle: ADS\nforme: service_commun\nporteur: {e}\ndomaine: \"Urbanisme\""
    );
    let _ = writeln!(o, "creation: {}-06-01", c.years[0] - 1);
    let _ = writeln!(
        o,
        "resume: {}",
        q(&format!("Service commun à la {} et à la {}, qui instruit les demandes d'urbanisme des communes des deux EPCI. Le coût est partagé entre les EPCI selon leur population DGF, puis la part de la Communauté entre ses communes selon leur population totale.", c.epci_sigle, c.partenaire.sigle))
    );
    let _ = writeln!(o, "adherents:");
    adherent(
        &mut o,
        &e,
        Some(format!("{}-06-01", c.years[0] - 1)),
        "titre_de_recettes",
        Some("Porteur du service ; garde une part du coût à sa charge."),
    );
    adherent(&mut o, &p, Some(format!("{}-06-01", c.years[0] - 1)), "titre_de_recettes", None);
    for cm in &c.communes {
        adherent(&mut o, &cm.id, None, "titre_de_recettes", None);
    }
    let agents = 4 + c.communes.len() / 60;
    let _ = writeln!(
        o,
        "effectifs:\n  agents: {agents}\n  etp: {}.{}\n  mis_a_disposition: 1\n  note: \"Un agent mis à disposition par l'EPCI partenaire.\"",
        agents - 1,
        5
    );
    // Activity: files per EPCI and year, proportional to population.
    let mut dossiers: Vec<(i64, i64)> = Vec::new();
    for (k, _) in c.years.iter().enumerate() {
        let pe = c.pop_epci(k).totale as i64;
        let pp = c.partenaire.pops[k].totale as i64;
        let f = 900 + c.rng.below(300) as i64;
        dossiers.push((pe * f / 10_000 / 14, pp * f / 10_000 / 14));
    }
    let _ = writeln!(o, "indicateurs:");
    let _ = writeln!(
        o,
        "  - id: dossiers-deposes\n    libelle: \"Dossiers d'urbanisme déposés\"\n    unite: \"dossiers\"\n    par_membre:"
    );
    let _ = writeln!(
        o,
        "      {e}: {{{}}}",
        c.years
            .iter()
            .zip(&dossiers)
            .map(|(y, d)| format!("{y}: {}", d.0))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        o,
        "      {p}: {{{}}}",
        c.years
            .iter()
            .zip(&dossiers)
            .map(|(y, d)| format!("{y}: {}", d.1))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        o,
        "    total_declare: {{{}}}",
        c.years
            .iter()
            .zip(&dossiers)
            .map(|(y, d)| format!("{y}: {}", d.0 + d.1))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let _ = writeln!(
        o,
        "    graphique: barres_empilees\n    note: \"Dossiers déposés du 1er janvier au 31 décembre, par EPCI.\""
    );
    let _ = writeln!(
        o,
        "  - id: depot-numerique\n    libelle: \"Part des dossiers déposés en ligne\"\n    unite: \"%\"\n    valeurs:"
    );
    let mut pct = 18.0 + c.rng.unit() * 10.0;
    for y in &c.years {
        let _ = writeln!(o, "      {y}: {:.2}", pct);
        pct = (pct + 4.0 + c.rng.unit() * 8.0).min(97.0);
    }
    let _ = writeln!(o, "    graphique: courbe");
    let _ = writeln!(o, "bilans:");
    let mut montants = Vec::new();
    for (k, y) in c.years.clone().iter().enumerate() {
        let total_dossiers = dossiers[k].0 + dossiers[k].1;
        let masse = total_dossiers * 42 + c.rng.below(5000) as i64;
        let fonct = (masse + 5) / 10;
        let logiciel = 7500 + 20 * c.communes.len() as i64;
        let d = bilan(
            &mut o,
            *y,
            &[
                ("Masse salariale du service".into(), masse),
                ("Fonctionnement du service (forfait de 10 % de la masse salariale)".into(), fonct),
                ("Logiciel d'instruction et guichet numérique".into(), logiciel),
            ],
            &[],
            Some("Coûts supportés, rangés en TTC (la masse salariale n'est pas soumise à la TVA)."),
        );
        montants.push(d);
    }
    let _ = writeln!(o, "repartitions:");
    let mut cles = String::new();
    for (k, y) in c.years.clone().iter().enumerate() {
        let pe = c.pop_epci(k).dgf;
        let pp = c.partenaire.pops[k].dgf;
        let share = share_floor(montants[k], pe, pe + pp) - 1;
        // Alternate a fixed amount and a percentage kept by the EPCI.
        let prise = if k % 2 == 0 {
            format!("montant: {}", share / 4 / 1000 * 1000)
        } else {
            "part: 25".to_string()
        };
        cle_head(
            &mut cles,
            &format!("ads-epci-{y}"),
            &format!("Instruction ADS {y} : partage entre les deux EPCI"),
            "population_dgf",
            "Le coût du service est partagé entre les deux EPCI au prorata de leur population DGF.",
        );
        let _ = writeln!(
            cles,
            "    millesime: {y}\n    beneficiaires: [{e}, {p}]\n    arrondi: euro\n    source: \"Convention ADS, article 6.\""
        );
        cle_head(
            &mut cles,
            &format!("ads-communes-{y}"),
            &format!("Instruction ADS {y} : partage entre les communes"),
            "population_totale",
            "La Communauté garde une partie du coût à sa charge ; le reste de sa part est réparti entre ses communes au prorata de leur population totale.",
        );
        let _ = writeln!(cles, "    millesime: {y}\n    beneficiaires: communes\n    prise_en_charge_epci:\n      {prise}\n      deliberation: \"conseil communautaire du 26/06/{}\"\n    arrondi: euro", c.years[0] - 1);
        let _ = writeln!(o, "  - exercice: {y}\n    libelle: \"Coût {y} de l'instruction ADS\"\n    taxes: ttc\n    etapes:\n      - cle: ads-epci-{y}\n      - cle: ads-communes-{y}\n        part_de: {e}");
        let _ = writeln!(o, "    total_declare: {}\n    paiement: titre_de_recettes", montants[k]);
    }
    let _ = writeln!(
        o,
        "visibilite: publique\nsource: \"Bilans du service commun ADS, {}-{}.\"",
        c.years[0], EXERCICE
    );
    c.cles.push_str(&cles);
    c.services.push(("instruction-ads".into(), "Instruction des autorisations d'urbanisme".into()));
    c.write("data/services/instruction-ads.yaml", o);
}

fn service_communs(c: &mut Ctx) {
    let (e, v) = (c.epci_id.clone(), c.communes[c.ville].id.clone());
    let ville_nom = c.communes[c.ville].nom.clone();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "id: services-communs\nnom: {}\nforme: service_commun\nporteur: {e}\ndomaine: \"Fonctions support\"",
        q(&format!("Services communs des fonctions support avec {ville_nom}"))
    );
    let _ = writeln!(o, "creation: {}-01-01", c.years[0] - 2);
    let _ = writeln!(o, "resume: {}", q(&format!("Une direction commune regroupe les moyens généraux, la commande publique, les ressources humaines, les systèmes d'information et les finances de la Communauté et de {ville_nom}. Chaque service a sa clé de répartition.")));
    let _ = writeln!(o, "adherents:");
    adherent(
        &mut o,
        &v,
        Some(format!("{}-01-01", c.years[0] - 2)),
        "titre_de_recettes",
        Some("Refacturation annuelle selon la convention de mutualisation."),
    );
    let comps: [(&str, &str, &str, &str, i64, u32); 5] = [
        ("dmg", "Direction des moyens généraux", "DMG", "sc-dmg", 95_000, 2),
        ("scp", "Service commande publique", "SCP", "sc-scp", 210_000, 4),
        ("srh", "Service ressources humaines", "SRH", "sc-srh", 340_000, 7),
        ("ssi", "Service des systèmes d'information", "SSI", "sc-ssi", 420_000, 8),
        ("sfi", "Service finances", "SFI", "sc-sfi", 330_000, 7),
    ];
    let agents: u32 = comps.iter().map(|x| x.5).sum();
    let _ = writeln!(o, "effectifs:\n  agents: {agents}\n  hors_refacturation: 2\n  note: \"Deux agents du service des systèmes d'information travaillent pour les communes et ne sont pas refacturés à la ville.\"");
    let _ = writeln!(o, "composantes:");
    for (id, nom, sigle, cle, _, ag) in &comps {
        let _ = writeln!(
            o,
            "  - id: {id}\n    nom: {}\n    sigle: {sigle}\n    cle: {cle}\n    effectifs:\n      agents: {ag}",
            q(nom)
        );
        if *id == "ssi" {
            let _ = writeln!(o, "      hors_refacturation: 2");
        }
    }
    // Keys: forfait, temps passé, paies, écritures, valeurs.
    let mut k = String::new();
    cle_head(
        &mut k,
        "sc-dmg",
        "DMG : quotité forfaitaire",
        "forfait",
        "Direction des moyens généraux : coût partagé à parts égales.",
    );
    let _ = writeln!(
        k,
        "    valeurs:\n      {e}: 50\n      {v}: 50\n    source: \"Convention de mutualisation, annexe 2.\""
    );
    let yearly = |rng: &mut Rng, lo: i64, hi: i64, scale: i64| -> Vec<(i64, i64)> {
        (0..c.years.len()).map(|_| (rng.range(lo, hi) * scale, rng.range(lo, hi) * scale)).collect()
    };
    let mut rng = Rng(c.rng.next());
    let scp = yearly(&mut rng, 20, 80, 1);
    let srh = yearly(&mut rng, 2500, 4200, 1);
    let sfi = yearly(&mut rng, 9000, 16000, 1);
    let ssi = yearly(&mut rng, 300, 700, 1);
    let by_year = |k: &mut String, vals: &[(i64, i64)], pct: bool| {
        let _ = writeln!(k, "    valeurs_par_exercice:");
        for (y, (a, b)) in c.years.iter().zip(vals) {
            if pct {
                let _ = writeln!(k, "      {y}: {{{e}: {a}, {v}: {}}}", 100 - a);
            } else {
                let _ = writeln!(k, "      {y}: {{{e}: {a}, {v}: {b}}}");
            }
        }
    };
    cle_head(
        &mut k,
        "sc-scp",
        "SCP : temps passé",
        "temps_passe",
        "Service commande publique : part du temps passé pour chaque collectivité, en %.",
    );
    by_year(&mut k, &scp, true);
    cle_head(
        &mut k,
        "sc-srh",
        "SRH : nombre de paies",
        "nombre_de_paies",
        "Service ressources humaines : bulletins de salaire établis pour chaque collectivité.",
    );
    by_year(&mut k, &srh, false);
    cle_head(
        &mut k,
        "sc-ssi",
        "SSI : postes de travail",
        "valeurs",
        "Service des systèmes d'information : nombre de postes de travail administrés.",
    );
    by_year(&mut k, &ssi, false);
    cle_head(
        &mut k,
        "sc-sfi",
        "SFI : nombre d'écritures",
        "nombre_d_ecritures",
        "Service finances : écritures comptables passées pour chaque collectivité.",
    );
    by_year(&mut k, &sfi, false);
    let _ = writeln!(k, "    arrondi: euro");
    c.cles.push_str(&k);
    let _ = writeln!(o, "bilans:");
    let mut costs: Vec<Vec<i64>> = Vec::new();
    for (yi, y) in c.years.clone().iter().enumerate() {
        let infl = 1000 + 28 * yi as i64;
        let lines: Vec<(String, i64)> = comps
            .iter()
            .map(|x| (format!("{} ({})", x.1, x.2), x.4 * infl / 1000 + c.rng.below(9000) as i64))
            .collect();
        costs.push(lines.iter().map(|l| l.1).collect());
        bilan(
            &mut o,
            *y,
            &lines,
            &[],
            Some("Coûts complets (salaires et fonctionnement) de chaque service commun."),
        );
    }
    let _ = writeln!(o, "repartitions:");
    for (yi, y) in c.years.iter().enumerate() {
        for (ci, comp) in comps.iter().enumerate() {
            let _ = writeln!(o, "  - exercice: {y}\n    libelle: {}\n    taxes: ttc\n    montant: {}\n    etapes:\n      - cle: {}\n    total_declare: {}\n    paiement: titre_de_recettes", q(&format!("{} : coût {y}", comp.2)), costs[yi][ci], comp.3, costs[yi][ci]);
        }
    }
    let _ = writeln!(
        o,
        "visibilite: publique\nsource: \"Convention de mutualisation et bilans annuels des services communs.\""
    );
    c.services
        .push(("services-communs".into(), format!("Services communs des fonctions support avec {ville_nom}")));
    c.write("data/services/services-communs.yaml", o);
}

fn service_garage(c: &mut Ctx) {
    let (e, v) = (c.epci_id.clone(), c.communes[c.ville].id.clone());
    let n = c.communes.len();
    let mut others: Vec<usize> = c.rng.sample(n, (n / 3).clamp(1, 14)).into_iter().filter(|&i| i != c.ville).collect();
    others.truncate(12);
    c.garage = others.clone();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "id: garage-commun\nnom: \"Garage commun\"\nforme: service_commun\nporteur: {e}\ndomaine: \"Moyens techniques\"\ncreation: {}-01-01",
        c.years[0] - 1
    );
    let _ = writeln!(o, "resume: \"Entretien, contrôles réglementaires et renouvellement des véhicules et matériels de la Communauté, de la ville-centre, de la société publique locale et des communes conventionnées. Facturation à l'heure d'intervention, selon un tarif révisé chaque année.\"");
    let _ = writeln!(o, "adherents:");
    adherent(
        &mut o,
        &e,
        Some(format!("{}-01-01", c.years[0] - 1)),
        "titre_de_recettes",
        Some("Collectivité fondatrice."),
    );
    adherent(
        &mut o,
        &v,
        Some(format!("{}-01-01", c.years[0] - 1)),
        "titre_de_recettes",
        Some("Collectivité fondatrice ; ses montants incluent ceux de son CCAS."),
    );
    adherent(&mut o, &c.spl.0, Some(format!("{}-01-01", c.years[0])), "direct", None);
    let mut since = BTreeMap::new();
    for &i in &others {
        let y = c.years[c.rng.below(c.years.len() as u64) as usize];
        let m = 1 + c.rng.below(12);
        since.insert(i, (y, m));
        adherent(
            &mut o,
            &c.communes[i].id,
            Some(format!("{y}-{m:02}-01")),
            "titre_de_recettes",
            Some("Convention signée avec le garage commun."),
        );
    }
    let _ = writeln!(o, "effectifs:\n  agents: 5\n  etp: 4.8");
    // Hours per body and year (whole hours).
    let mut bodies: Vec<String> = vec![e.clone(), v.clone(), c.spl.0.clone()];
    bodies.extend(others.iter().map(|&i| c.communes[i].id.clone()));
    let mut heures: Vec<Vec<i64>> = Vec::new();
    for y in c.years.iter() {
        let mut row = Vec::new();
        for (bi, _) in bodies.iter().enumerate() {
            let h = match bi {
                0 => c.rng.range(1200, 1600),
                1 => c.rng.range(600, 900),
                2 => c.rng.range(150, 450),
                _ => {
                    let (sy, sm) = since[&others[bi - 3]];
                    if *y < sy || (*y == sy && sm > 6) {
                        0
                    } else {
                        c.rng.range(8, 90)
                    }
                }
            };
            row.push(h);
        }
        heures.push(row);
    }
    let _ = writeln!(o, "indicateurs:");
    let _ = writeln!(
        o,
        "  - id: heures-par-organisme\n    libelle: \"Heures facturées par organisme\"\n    unite: \"heures\"\n    par_membre:"
    );
    for (bi, b) in bodies.iter().enumerate() {
        let vals: Vec<String> = c
            .years
            .iter()
            .enumerate()
            .filter(|(yi, _)| heures[*yi][bi] > 0)
            .map(|(yi, y)| format!("{y}: {}", heures[yi][bi]))
            .collect();
        if !vals.is_empty() {
            let _ = writeln!(o, "      {b}: {{{}}}", vals.join(", "));
        }
    }
    // With a single year in which every body listed has a value, stacked
    // bars would have nothing to stack over time: mutu draws bars and
    // `check` says so (graphique-non-suivi, Trace::pour); ask for bars then.
    let listes: Vec<usize> = (0..bodies.len()).filter(|&bi| heures.iter().any(|h| h[bi] > 0)).collect();
    let completes = heures.iter().filter(|h| listes.iter().all(|&bi| h[bi] > 0)).count();
    let genre = if completes == 1 && listes.len() > 2 { "barres" } else { "barres_empilees" };
    let _ = writeln!(o, "    graphique: {genre}");
    let _ = writeln!(
        o,
        "  - id: ordres-de-reparation\n    libelle: \"Ordres de réparation\"\n    unite: \"OR\"\n    valeurs:"
    );
    for (yi, y) in c.years.iter().enumerate() {
        let _ = writeln!(o, "      {y}: {}", heures[yi].iter().sum::<i64>() / 4);
    }
    let _ = writeln!(
        o,
        "    graphique: courbe\n    note: \"Un ordre de réparation par intervention ; environ quatre heures en moyenne.\""
    );
    let _ = writeln!(o, "bilans:");
    let mut tarifs = Vec::new();
    for (yi, y) in c.years.iter().enumerate() {
        let tarif = 48 + yi as i64;
        tarifs.push(tarif);
        let recettes: Vec<(String, i64, Option<String>)> = bodies
            .iter()
            .enumerate()
            .filter(|(bi, _)| heures[yi][*bi] > 0)
            .map(|(bi, b)| {
                let nom = if bi == 0 {
                    c.epci_sigle.clone()
                } else if bi == 1 {
                    c.communes[c.ville].nom.clone()
                } else if bi == 2 {
                    c.spl.1.clone()
                } else {
                    c.communes[others[bi - 3]].nom.clone()
                };
                (format!("Refacturation : {nom}"), heures[yi][bi] * tarif, Some(b.clone()))
            })
            .collect();
        let recu: i64 = recettes.iter().map(|r| r.1).sum();
        let perso = recu * 55 / 100 + c.rng.below(20_000) as i64;
        let autres = recu * 50 / 100 + c.rng.below(20_000) as i64;
        bilan(
            &mut o,
            *y,
            &[("Frais de personnel".into(), perso), ("Pièces, énergie et autres dépenses".into(), autres)],
            &recettes,
            Some("Le solde correspond aux pièces achetées et non encore refacturées au 31 décembre."),
        );
    }
    let _ = writeln!(o, "repartitions:");
    let mut k = String::new();
    cle_head(
        &mut k,
        "garage-heures",
        "Garage : heures d'intervention × tarif horaire",
        "unites_d_oeuvre",
        "Chaque organisme paie les heures d'intervention sur ses véhicules au tarif horaire de l'année.",
    );
    let _ = writeln!(k, "    tarif: {}\n    unite: \"heure\"\n    valeurs_par_exercice:", tarifs[tarifs.len() - 1]);
    // The key has one tariff: allocate the last year with it.
    let yi = c.years.len() - 1;
    let parts: Vec<String> = bodies
        .iter()
        .enumerate()
        .filter(|(bi, _)| heures[yi][*bi] > 0)
        .map(|(bi, b)| format!("{b}: {}", heures[yi][bi]))
        .collect();
    let _ = writeln!(k, "      {}: {{{}}}", c.years[yi], parts.join(", "));
    let total: i64 = heures[yi].iter().sum::<i64>() * tarifs[yi];
    let _ = writeln!(o, "  - exercice: {}\n    libelle: \"Heures d'intervention {}\"\n    taxes: ttc\n    etapes:\n      - cle: garage-heures\n    total_declare: {total}\n    paiement: titre_de_recettes", c.years[yi], c.years[yi]);
    if c.years.len() > 1 {
        // An earlier year recorded as invoiced, without a key.
        let yi = c.years.len() - 2;
        let _ = writeln!(
            o,
            "  - exercice: {}\n    libelle: \"Refacturations constatées {}\"\n    taxes: ttc\n    montants_constates:",
            c.years[yi], c.years[yi]
        );
        let mut tot = 0;
        for (bi, b) in bodies.iter().enumerate().filter(|(bi, _)| heures[yi][*bi] > 0) {
            let m = heures[yi][bi] * tarifs[yi];
            tot += m;
            let _ = writeln!(o, "      {b}: {m}");
        }
        let _ = writeln!(o, "    total_declare: {tot}\n    note: \"Montants des titres de recettes émis, sans clé.\"");
    }
    let _ = writeln!(o, "visibilite: publique");
    c.cles.push_str(&k);
    c.services.push(("garage-commun".into(), "Garage commun".into()));
    c.write("data/services/garage-commun.yaml", o);
}

fn service_si(c: &mut Ctx) {
    let e = c.epci_id.clone();
    let n = c.communes.len();
    let si = c.rng.sample(n, (n / 4).max(2));
    c.si = si.clone();
    let y = EXERCICE;
    let yi = c.yi(y);
    let mut o = String::new();
    let _ = writeln!(o, "id: si-communes\nnom: \"Mutualisation informatique avec les communes\"\nforme: prestation\nporteur: {e}\ndomaine: \"Systèmes d'information\"\ncreation: {}-09-01", y - 3);
    let _ = writeln!(o, "resume: \"Le service des systèmes d'information de la Communauté propose aux communes des jours d'expertise, une cotisation annuelle selon la population et un support commun ouvert en cours d'année.\"");
    let _ = writeln!(o, "adherents:");
    for &i in &si {
        adherent(&mut o, &c.communes[i].id, Some(format!("{}-01-01", y - 1)), "attribution_de_compensation", None);
    }
    let _ = writeln!(
        o,
        "indicateurs:\n  - id: licences\n    libelle: \"Licences antivirus par commune\"\n    unite: \"licences\"\n    par_membre:"
    );
    let shown: Vec<usize> = si.iter().copied().take(10).collect();
    for &i in &shown {
        let _ = writeln!(
            o,
            "      {}: {{{}: {}, {y}: {}}}",
            c.communes[i].id,
            y - 1,
            c.rng.range(5, 40),
            c.rng.range(5, 45)
        );
    }
    let _ = writeln!(o, "    graphique: barres_empilees");
    let _ = writeln!(
        o,
        "  - id: jours-expertise\n    libelle: \"Jours d'expertise facturés\"\n    unite: \"jours\"\n    valeurs:"
    );
    let mut k = String::new();
    // Unités d'œuvre: days (one decimal) × 192 €.
    let jours: Vec<(usize, i64)> = si.iter().map(|&i| (i, c.rng.range(5, 60))).collect(); // tenths of a day
    let tot_dixiemes: i64 = jours.iter().map(|x| x.1).sum();
    let _ = writeln!(
        o,
        "      {}: {}.{}\n      {y}: {}.{}",
        y - 1,
        tot_dixiemes * 9 / 100,
        tot_dixiemes * 9 / 10 % 10,
        tot_dixiemes / 10,
        tot_dixiemes % 10
    );
    cle_head(
        &mut k,
        "si-expertise",
        "SI : jours d'expertise",
        "unites_d_oeuvre",
        "Assistance à projet et cahiers des charges, facturés au jour.",
    );
    let _ = writeln!(
        k,
        "    tarif: 192\n    unite: \"jour\"\n    valeurs_par_exercice:\n      {y}: {{{}}}",
        jours
            .iter()
            .map(|(i, d)| format!("{}: {}.{}", c.communes[*i].id, d / 10, d % 10))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // Grid by population DGF.
    let tranches = [(1000u64, 300i64), (3000, 800), (10000, 1800)];
    cle_head(
        &mut k,
        &format!("si-cotisation-{y}"),
        &format!("SI : cotisation {y} par tranche de population"),
        "grille",
        "Chaque commune adhérente paie le forfait de la tranche où se situe sa population DGF.",
    );
    let _ = writeln!(
        k,
        "    millesime: {y}\n    beneficiaires: [{}]\n    tranches:",
        si.iter().map(|&i| c.communes[i].id.clone()).collect::<Vec<_>>().join(", ")
    );
    for (b, m) in tranches {
        let _ = writeln!(k, "      - jusqu_a: {b}\n        montant: {m}");
    }
    let _ = writeln!(k, "      - montant: 3500\n    source: \"Délibération tarifaire du conseil communautaire.\"");
    let grille_total: i64 = si
        .iter()
        .map(|&i| {
            let d = c.communes[i].pops[yi].dgf;
            tranches.iter().find(|(b, _)| d <= *b).map(|t| t.1).unwrap_or(3500)
        })
        .sum();
    // Support with pro rata: communes joining during the year.
    let support: Vec<usize> = si.iter().copied().take(6).collect();
    cle_head(
        &mut k,
        "si-support",
        "SI : support commun, au prorata de la date d'entrée",
        "valeurs",
        "Le coût du support commun est partagé à parts égales entre les communes intégrées, chacune au prorata des mois écoulés depuis son entrée.",
    );
    let _ = writeln!(k, "    valeurs:");
    for &i in &support {
        let _ = writeln!(k, "      {}: 1", c.communes[i].id);
    }
    let _ = writeln!(k, "    prorata:");
    for (j, &i) in support.iter().enumerate() {
        let _ = writeln!(k, "      {}: {{du: {y}-{:02}-01}}", c.communes[i].id, 1 + (j * 2) % 12);
    }
    let _ = writeln!(k, "    arrondi: centime");
    let support_montant = 1480 * support.len() as i64;
    let expertise_cents: i64 = jours.iter().map(|x| x.1 * 1920).sum();
    let _ = writeln!(o, "bilans:");
    let _ = writeln!(o, "  - exercice: {y}\n    taxes: ttc\n    recettes:\n      - libelle: \"Jours d'expertise\"\n        montant: {}\n      - libelle: \"Cotisations {y}\"\n        montant: {grille_total}\n      - libelle: \"Support commun\"\n        montant: {support_montant}", eur(expertise_cents));
    let _ = writeln!(
        o,
        "    total_recettes_declare: {}\n    note: \"Les dépenses du service sont comprises dans celles du service des systèmes d'information.\"",
        eur(expertise_cents + grille_total * 100 + support_montant * 100)
    );
    let _ = writeln!(o, "repartitions:");
    let _ = writeln!(
        o,
        "  - exercice: {y}\n    libelle: \"Jours d'expertise {y}\"\n    taxes: ttc\n    etapes:\n      - cle: si-expertise\n    total_declare: {}",
        eur(expertise_cents)
    );
    let _ = writeln!(
        o,
        "  - exercice: {y}\n    libelle: \"Cotisations {y}\"\n    taxes: ttc\n    etapes:\n      - cle: si-cotisation-{y}\n    total_declare: {grille_total}"
    );
    let _ = writeln!(o, "  - exercice: {y}\n    libelle: \"Support commun {y}\"\n    taxes: ttc\n    montant: {support_montant}\n    etapes:\n      - cle: si-support\n    total_declare: {support_montant}");
    let _ = writeln!(o, "visibilite: publique");
    c.cles.push_str(&k);
    c.services.push(("si-communes".into(), "Mutualisation informatique avec les communes".into()));
    c.write("data/services/si-communes.yaml", o);
}

fn service_lecture(c: &mut Ctx) {
    let e = c.epci_id.clone();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "id: lecture-publique\nnom: \"Réseau intercommunal de lecture publique\"\nforme: entente\nporteur: {e}\ndomaine: \"Culture\"\ncreation: {}-01-01",
        c.years[0]
    );
    let _ = writeln!(o, "resume: \"Catalogue commun, navette documentaire et animation du réseau des bibliothèques. Le coût est réparti entre les communes selon leur population municipale ; les communes de moins de 500 habitants sont exonérées.\"");
    let _ = writeln!(o, "adherents:");
    for cm in &c.communes {
        adherent(&mut o, &cm.id, Some(format!("{}-01-01", c.years[0])), "attribution_de_compensation", None);
    }
    // Top communes for a ring chart of the last year.
    let mut top: Vec<usize> = (0..c.communes.len()).collect();
    let last = c.years.len() - 1;
    top.sort_by_key(|&i| std::cmp::Reverse(c.communes[i].pops[last].municipale));
    top.truncate(6);
    let _ = writeln!(
        o,
        "indicateurs:\n  - id: prets\n    libelle: \"Prêts de documents dans le réseau\"\n    unite: \"prêts\"\n    valeurs:"
    );
    for (k, y) in c.years.iter().enumerate() {
        let _ = writeln!(o, "      {y}: {}", c.pop_epci(k).municipale * 3 + c.rng.below(5000));
    }
    let _ = writeln!(o, "    graphique: barres");
    let _ = writeln!(
        o,
        "  - id: inscrits\n    libelle: \"Lecteurs inscrits dans les plus grandes bibliothèques\"\n    unite: \"lecteurs\"\n    par_membre:"
    );
    for &i in &top {
        let _ = writeln!(o, "      {}: {{{}: {}}}", c.communes[i].id, EXERCICE, c.communes[i].pops[last].municipale / 6);
    }
    let _ = writeln!(o, "    graphique: anneau");
    let _ = writeln!(o, "bilans:");
    let mut montants = Vec::new();
    for (k, y) in c.years.clone().iter().enumerate() {
        let pop = c.pop_epci(k).municipale as i64;
        let d = bilan(
            &mut o,
            *y,
            &[
                ("Personnel de coordination".into(), 60_000 + pop / 3),
                ("Acquisitions de documents".into(), pop / 2 + c.rng.below(4000) as i64),
                ("Navette documentaire".into(), 18_000 + c.rng.below(3000) as i64),
                ("Logiciel et portail".into(), 9_500),
            ],
            &[],
            None,
        );
        montants.push(d);
    }
    let _ = writeln!(o, "repartitions:");
    let mut k = String::new();
    for (yi, y) in c.years.clone().iter().enumerate() {
        if yi == 0 && c.years.len() > 1 {
            // First year: parts recorded as invoiced, for the larger communes only.
            let _ = writeln!(
                o,
                "  - exercice: {y}\n    libelle: \"Participations {y} (année de lancement)\"\n    taxes: ttc\n    montants_constates:"
            );
            let mut tot = 0;
            let pop: u64 = top.iter().map(|&i| c.communes[i].pops[0].municipale).sum();
            let mut ids: Vec<(String, i64)> = top
                .iter()
                .map(|&i| (c.communes[i].id.clone(), share_floor(montants[0], c.communes[i].pops[0].municipale, pop)))
                .collect();
            ids.sort();
            for (id, m) in ids {
                tot += m;
                let _ = writeln!(o, "      {id}: {m}");
            }
            let _ = writeln!(
                o,
                "    total_declare: {tot}\n    note: \"Année de lancement : seules les communes dotées d'une bibliothèque ont participé.\""
            );
            continue;
        }
        cle_head(
            &mut k,
            &format!("lecture-{y}"),
            &format!("Lecture publique {y} : population municipale"),
            "population_municipale",
            "La Communauté garde 20 % du coût ; le reste est réparti entre les communes au prorata de leur population municipale.",
        );
        let _ = writeln!(k, "    millesime: {y}\n    beneficiaires: communes\n    prise_en_charge_epci:\n      part: 20\n    exoneration:\n      population_inferieure_a: 500\n      motif: \"Communes de moins de 500 habitants exonérées\"");
        if c.communes.len() > 2 && *y == EXERCICE {
            let big = top[top.len().min(2) - 1];
            let _ = writeln!(k, "    prorata:\n      {}: {{du: {y}-01-01, au: {y}-06-30}}", c.communes[big].id);
        }
        let _ = writeln!(k, "    arrondi: centime");
        let _ = writeln!(o, "  - exercice: {y}\n    libelle: \"Participations {y}\"\n    taxes: ttc\n    etapes:\n      - cle: lecture-{y}\n    total_declare: {}\n    paiement: attribution_de_compensation", montants[yi]);
    }
    let _ = writeln!(o, "visibilite: publique");
    c.cles.push_str(&k);
    c.services.push(("lecture-publique".into(), "Réseau intercommunal de lecture publique".into()));
    c.write("data/services/lecture-publique.yaml", o);
}

fn service_musique(c: &mut Ctx) {
    let (v, s) = (c.communes[c.ville].id.clone(), c.communes[c.seconde].id.clone());
    if v == s {
        return;
    }
    let (vn, sn) = (c.communes[c.ville].nom.clone(), c.communes[c.seconde].nom.clone());
    let mut o = String::new();
    let _ = writeln!(
        o,
        "id: ecole-de-musique\nnom: {}\nforme: mise_a_disposition\nporteur: {v}\ndomaine: \"Culture\"",
        q(&format!("Direction des écoles de musique de {vn} et {sn}"))
    );
    let _ = writeln!(
        o,
        "resume: {}",
        q(&format!(
            "{vn} met le directeur de son école de musique à disposition de {sn}, pour 40 % de son temps de travail."
        ))
    );
    let _ = writeln!(o, "adherents:");
    adherent(
        &mut o,
        &s,
        // From 1 January: the first year's salary is shared whole (a later
        // start would call for a pro rata, `adhesion-sans-prorata`).
        Some(format!("{}-01-01", c.years[0])),
        "titre_de_recettes",
        Some("Convention de mise à disposition renouvelée tous les trois ans."),
    );
    let _ = writeln!(o, "effectifs:\n  agents: 1\n  note: \"Un directeur partagé entre les deux écoles.\"");
    let _ = writeln!(o, "repartitions:");
    let mut k = String::new();
    cle_head(
        &mut k,
        "musique",
        "Direction des écoles de musique : temps de travail",
        "forfait",
        "Temps de travail du directeur partagé entre les deux villes.",
    );
    let _ = writeln!(k, "    valeurs_par_exercice:");
    for y in &c.years {
        let a = 55 + c.rng.below(11);
        let _ = writeln!(k, "      {y}: {{{v}: {a}, {s}: {}}}", 100 - a);
    }
    for y in &c.years {
        let m = 52_000 + c.rng.below(6000);
        let _ = writeln!(o, "  - exercice: {y}\n    libelle: \"Rémunération {y} du directeur\"\n    taxes: ttc\n    montant: {m}\n    etapes:\n      - cle: musique\n    total_declare: {m}\n    paiement: titre_de_recettes");
    }
    let _ = writeln!(o, "visibilite: publique");
    c.cles.push_str(&k);
    c.services.push(("ecole-de-musique".into(), "Direction des écoles de musique".into()));
    c.write("data/services/ecole-de-musique.yaml", o);
}

fn service_commande(c: &mut Ctx) {
    let e = c.epci_id.clone();
    let mut o = String::new();
    let _ = writeln!(o, "id: commande-publique-communes\nnom: \"Assistance à maîtrise d'ouvrage et commande publique pour les communes\"\nforme: prestation\nporteur: {e}\ndomaine: \"Commande publique\"");
    let _ = writeln!(o, "resume: \"Les services de la Communauté passent des marchés pour le compte des communes qui le demandent et coordonnent les groupements de commandes.\"");
    let _ = writeln!(
        o,
        "indicateurs:\n  - id: marches-attribues\n    libelle: \"Marchés attribués pour le compte des communes\"\n    unite: \"marchés\"\n    valeurs:"
    );
    for y in &c.years {
        let _ = writeln!(o, "      {y}: {}", 20 + c.rng.below(20 + c.communes.len() as u64 / 10));
    }
    let _ = writeln!(o, "    graphique: barres\nvisibilite: publique");
    c.services
        .push(("commande-publique-communes".into(), "Commande publique pour les communes".into()));
    c.write("data/services/commande-publique-communes.yaml", o);
}

fn write_commande_publique(c: &mut Ctx) {
    let (e, v) = (c.epci_id.clone(), c.communes[c.ville].id.clone());
    let objets = [
        "Fourniture d'électricité",
        "Fournitures de bureau et scolaires",
        "Maintenance des portes et portails automatiques",
        "Entretien des toitures",
        "Contrôles réglementaires des bâtiments",
        "Denrées alimentaires",
        "Vérification des extincteurs",
        "Renouvellement des photocopieurs",
        "Balayage mécanisé de la voirie",
        "Assurance des bâtiments",
    ];
    let mut o = String::new();
    let _ = writeln!(o, "groupements:");
    let mut totaux: BTreeMap<i32, (i64, BTreeMap<String, i64>)> = BTreeMap::new();
    let recent: Vec<i32> = c.years.iter().rev().take(4).rev().copied().collect();
    let n = c.communes.len();
    for y in &recent {
        let k = 3 + c.rng.below(4) as usize;
        for j in 0..k {
            let objet = objets[(j + *y as usize) % objets.len()];
            let total = 40_000 + c.rng.below(900) as i64 * 1000;
            let a = total * c.rng.range(10, 35) / 100;
            let b = total * c.rng.range(10, 35) / 100;
            let coord = if j % 3 == 2 { v.clone() } else { e.clone() };
            let mut autres: Vec<String> = c
                .rng
                .sample(n, 3 + n / 20)
                .into_iter()
                .filter(|&i| i != c.ville)
                .map(|i| c.communes[i].id.clone())
                .collect();
            if j == 0 {
                autres.push(c.sivu.0.clone());
                autres.push(c.ccas[0].0.clone());
            }
            let _ = writeln!(
                o,
                "  - id: gc-{y}-{}\n    objet: {}\n    exercice: {y}\n    coordonnateur: {coord}",
                slug(objet),
                q(objet)
            );
            if j % 2 == 0 {
                let _ = writeln!(o, "    duree: \"{} ans\"", 2 + j % 3);
            }
            let _ = writeln!(
                o,
                "    total_ht: {total}\n    montants_ht:\n      {e}: {a}\n      {v}: {b}\n    autres_membres: [{}]",
                autres.join(", ")
            );
            let t = totaux.entry(*y).or_default();
            t.0 += total;
            *t.1.entry(e.clone()).or_default() += a;
            *t.1.entry(v.clone()).or_default() += b;
        }
    }
    let _ = writeln!(o, "totaux_declares:");
    for (y, (t, m)) in &totaux {
        let _ = writeln!(o, "  {y}:\n    total: {t}");
        for (id, x) in m {
            let _ = writeln!(o, "    {id}: {x}");
        }
    }
    let _ = writeln!(o, "assistance_maitrise_ouvrage:");
    for y in &recent {
        let lignes = [
            ("Entretien de la voirie", 2, 9),
            ("Bâtiment", 10, 50),
            ("Aménagement", 2, 10),
            ("Maîtrise d'œuvre", 1, 5),
        ];
        let _ = writeln!(o, "  - exercice: {y}\n    collectivites: {}\n    lignes:", (n / 2).max(1));
        let (mut tm, mut th) = (0, 0);
        for (t, lo, hi) in lignes {
            let m = c.rng.range(lo, hi);
            let h = m * c.rng.range(20, 110) * 1000;
            tm += m;
            th += h;
            let _ = writeln!(o, "      - type: {}\n        marches: {m}\n        montant_ht: {h}", q(t));
        }
        let _ = writeln!(o, "    total_marches_declare: {tm}\n    total_ht_declare: {th}");
    }
    c.write("data/commande_publique.yaml", o);
    let eff = format!(
        "exercice: {EXERCICE}\nperimetre: [services-communs]\ntotal_declare: 28\nemplois_permanents:\n{}note: \"Effectifs des services communs des fonctions support.\"\n",
        c.years.iter().rev().skip(1).take(3).rev().map(|y| format!("  {y}: {}\n", 24 + (y % 3))).collect::<String>()
    );
    c.write("data/effectifs.yaml", eff);
}

// ------------------------------------------------------------- fiches

fn textes(o: &mut String, key: &str, items: &[String]) {
    if items.len() == 1 {
        let _ = writeln!(o, "{key}: {}", q(&items[0]));
    } else {
        let _ = writeln!(o, "{key}:");
        for i in items {
            let _ = writeln!(o, "  - {}", q(i));
        }
    }
}

struct FicheInfo {
    id: String,
    piste: String,
    theme: String,
    axe: usize,
}

fn write_fiches(c: &mut Ctx, m: usize) -> Vec<FicheInfo> {
    let n_axes = if m < 40 {
        3
    } else if m < 200 {
        4
    } else {
        5
    };
    let mut o = String::from("# Axes du schéma (territoire synthétique).\naxes:\n");
    for (i, (id, titre, desc)) in AXES.iter().take(n_axes).enumerate() {
        let _ = writeln!(o, "  - id: {id}\n    numero: {}\n    titre: {}\n    description: {}", i + 1, q(titre), q(desc));
    }
    c.write("data/axes.yaml", o);
    let mut combos: Vec<(usize, usize)> = (0..THEMES.len()).flat_map(|t| (0..VARIANTES.len()).map(move |v| (t, v))).collect();
    c.rng.shuffle(&mut combos);
    let mut numeros = vec![0u32; n_axes];
    let mut out = Vec::new();
    for (k, &(t, v)) in combos.iter().cycle().take(m).enumerate() {
        let (theme, hint) = THEMES[t];
        let axe = hint % n_axes;
        numeros[axe] += 1;
        let suffix = if k >= combos.len() {
            format!("-{}", k / combos.len() + 1)
        } else {
            String::new()
        };
        let id = format!("{}-{}{suffix}", slug(theme), VARIANTES[v].1);
        let piste = format!("{theme} : {}", VARIANTES[v].0);
        let statut = STATUTS[(k + c.rng.below(2) as usize) % STATUTS.len()];
        let mut o = String::new();
        let _ = writeln!(
            o,
            "id: {id}\naxe: {}\nnumero: {}\npiste: {}\ndomaine: {}",
            AXES[axe].0,
            numeros[axe],
            q(&piste),
            q(AXES[axe].1)
        );
        let _ = writeln!(o, "priorite: {}\nstatut: {statut}", 1 + c.rng.below(3));
        let lower = theme.to_lowercase();
        let descr = vec![
            format!("Recenser les besoins des communes en matière de {lower} et les moyens déjà en place."),
            format!("Proposer une organisation commune ({}) adaptée à la taille des collectivités.", VARIANTES[v].0),
        ];
        textes(&mut o, "descriptif", if k % 3 == 0 { &descr[..1] } else { &descr });
        textes(
            &mut o,
            "objectifs",
            &[
                "Réduire les coûts par l'effet de volume".to_string(),
                "Sécuriser les pratiques des communes".to_string(),
                "Partager l'expertise entre collectivités".to_string(),
            ],
        );
        match k % 3 {
            0 => {
                let _ = writeln!(o, "collectivites_interessees: communes");
            }
            1 => {
                let _ = writeln!(o, "collectivites_interessees: membres");
            }
            _ => {
                let k = 2 + c.rng.below(6) as usize;
                let ids: Vec<String> = c.rng.sample(c.communes.len(), k).into_iter().map(|i| c.communes[i].id.clone()).collect();
                let _ = writeln!(o, "collectivites_interessees: [{}]", ids.join(", "));
            }
        }
        let _ = writeln!(o, "cadre_juridique: {}", c.rng.pick(CADRES));
        if k % 4 == 0 {
            let _ = writeln!(o, "cadre_juridique_precision: \"Avec l'appui technique de la Communauté\"");
        }
        let _ = writeln!(
            o,
            "impact_rh:\n  organisation: {}\n  mises_a_disposition: {}\n  recrutements: {}",
            q(if k % 2 == 0 {
                "Ressources existantes"
            } else {
                "Nouvelle organisation à définir"
            }),
            c.rng.pick(REPONSES),
            c.rng.pick(REPONSES)
        );
        if k % 3 == 1 {
            let _ = writeln!(o, "  commentaire: \"Nombre d'ETP à préciser selon les adhésions.\"");
        }
        let dep = match k % 4 {
            0 => format!("{}", 2000 + c.rng.below(60) * 500),
            1 => "non évaluable".into(),
            2 => "à définir".into(),
            _ => "aucun".into(),
        };
        let _ = writeln!(
            o,
            "impact_financier:\n  appreciation: {}\n  depenses: {dep}\n  recettes: {}\n  commentaire: \"Refacturation aux communes adhérentes.\"",
            c.rng.pick(REPONSES),
            if k % 2 == 0 { "à définir" } else { "aucun" }
        );
        textes(
            &mut o,
            "plan_actions",
            &[
                "Constituer un groupe de travail avec les secrétaires de mairie".to_string(),
                format!("Rédiger la convention ({})", VARIANTES[v].0),
                "Présenter le projet en conférence des maires".to_string(),
            ],
        );
        textes(
            &mut o,
            "indicateurs",
            &["Nombre de communes adhérentes".to_string(), "Satisfaction des communes".to_string()],
        );
        let _ = writeln!(
            o,
            "calendrier: {}",
            q(&format!("Étude en {}, mise en œuvre en {}", EXERCICE, EXERCICE + 1 + (k % 2) as i32))
        );
        if k % 2 == 1 {
            textes(
                &mut o,
                "observations",
                &["Veiller à l'équilibre entre petites et grandes communes.".to_string()],
            );
        }
        if k % 5 == 0 {
            let (sid, _) = c.services[k / 5 % c.services.len()].clone();
            let _ = writeln!(o, "service: {sid}");
        }
        let _ = writeln!(o, "visibilite: publique");
        c.write(&format!("data/fiches/{id}.yaml"), o);
        out.push(FicheInfo {
            id,
            piste,
            theme: theme.to_string(),
            axe,
        });
    }
    out
}

// ---------------------------------------------------------- narratives

const PHRASES: &[&str] = &[
    "Les échanges en conférence des maires ont permis de préciser les attentes de {sujet}.",
    "Le dispositif repose sur une convention qui fixe les engagements de chacun et la clé de répartition des coûts.",
    "Les secrétaires de mairie ont été associées à chaque étape, ce qui a facilité l'appropriation des outils.",
    "Le bilan de l'année {annee} montre une progression régulière de l'activité, sans hausse notable des coûts unitaires.",
    "La Communauté a pris à sa charge une partie des dépenses de lancement, conformément aux principes du schéma.",
    "Plusieurs communes ont demandé à rejoindre le dispositif l'an prochain : leur adhésion sera examinée en conseil communautaire.",
    "La mutualisation n'est pas une fin en soi : elle vise un meilleur service aux habitants, à coût maîtrisé.",
    "Un comité de suivi réunit chaque trimestre les élus référents et les directeurs généraux des services.",
    "Les montants présentés sont ceux des titres de recettes émis au 31 décembre {annee}.",
    "L'effort a porté en priorité sur les petites communes, qui disposent de peu d'agents spécialisés.",
    "Les indicateurs de suivi seront présentés au débat d'orientation budgétaire de {annee_suivante}.",
    "La dématérialisation des échanges a réduit les délais de traitement de près d'un tiers.",
    "{sujet} a signé la convention en début d'exercice et bénéficie du service depuis le printemps.",
    "Le coût par habitant reste inférieur à celui constaté dans des territoires comparables.",
    "Une enquête auprès des agents a mis en évidence un besoin de formation aux nouveaux outils.",
    "Le groupement de commandes a permis d'obtenir des prix inférieurs d'environ 12\u{a0}% à ceux des marchés précédents.",
];
const PUCES: &[&str] = &[
    "une convention type, adoptée par chaque conseil municipal ;",
    "un interlocuteur unique à la Communauté ;",
    "un tableau de bord partagé, mis à jour chaque trimestre ;",
    "des formations courtes pour les agents des communes ;",
    "une facturation annuelle, détaillée par service ;",
    "un bilan présenté chaque année en conférence des maires ;",
    "un accompagnement renforcé des communes de moins de 1\u{a0}000 habitants ;",
];

/// A sentence; those naming `sujet` (a commune) only when one is given.
fn phrase(rng: &mut Rng, sujet: &str) -> String {
    let choix: Vec<&str> = PHRASES.iter().copied().filter(|p| !sujet.is_empty() || !p.contains("{sujet}")).collect();
    rng.pick(&choix)
        .replace("{sujet}", sujet)
        .replace("{annee}", &EXERCICE.to_string())
        .replace("{annee_suivante}", &(EXERCICE + 1).to_string())
}

/// A few paragraphs, a list and sometimes a table, about `sujet`.
fn narratif(rng: &mut Rng, titre: &str, objet: &str, id: Option<&str>, sujet: &str, intro: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "---\nobjet: {objet}");
    if let Some(id) = id {
        let _ = writeln!(o, "id: {id}");
    }
    let _ = writeln!(o, "titre: {}\nexercice: {EXERCICE}\n---", q(titre));
    let _ = write!(o, "{intro}");
    for _ in 0..2 + rng.below(2) {
        let _ = write!(o, " {}", phrase(rng, sujet));
    }
    o.push_str("\n\n");
    let _ = writeln!(o, "Les points marquants de l'exercice {EXERCICE} :\n");
    let mut puces: Vec<usize> = (0..PUCES.len()).collect();
    rng.shuffle(&mut puces);
    let k = 3 + rng.below(3) as usize;
    for (j, p) in puces.iter().take(k).enumerate() {
        let t = PUCES[*p];
        let t = if j + 1 == k {
            t.trim_end_matches(" ;").to_string() + "."
        } else {
            t.to_string()
        };
        let _ = writeln!(o, "- {t}");
    }
    o.push('\n');
    if rng.chance(40) {
        let _ = writeln!(o, "| Année | Communes concernées | Coût (€) |\n|------:|--------------------:|---------:|");
        for y in EXERCICE - 2..=EXERCICE {
            let _ = writeln!(o, "| {y} | {} | {} |", 3 + rng.below(20), fr(10_000 + rng.below(200) as i64 * 500));
        }
        o.push('\n');
    }
    for _ in 0..1 + rng.below(2) {
        let mut para = Vec::new();
        for _ in 0..3 + rng.below(3) {
            para.push(phrase(rng, sujet));
        }
        let _ = writeln!(o, "{}\n", para.join(" "));
    }
    if rng.chance(25) {
        let _ = writeln!(o, "*Source : bilans des services de la Communauté, exercice {EXERCICE}.*");
    }
    o
}

fn write_content(c: &mut Ctx, fiches: &[FicheInfo]) {
    let mut rng = Rng(c.rng.next());
    let epci = c.epci_nom.clone();
    let edito = narratif(
        &mut rng,
        "Édito",
        "rapport",
        None,
        "",
        &format!("Mettre en commun des agents, des outils et des achats n'est pas une fin en soi : c'est un moyen de rendre aux habitants du Pays de {} un meilleur service sans multiplier les dépenses.", c.pays),
    );
    c.write("content/edito.md", edito);
    let schema = narratif(
        &mut rng,
        "Le schéma de mutualisation",
        "schema",
        None,
        "",
        &format!(
            "Le schéma de mutualisation de la {epci} rassemble {} fiches-actions réparties en axes.",
            fiches.len()
        ),
    );
    c.write("content/schema.md", schema.replace("exercice: 2024\n", ""));
    let n_axes = fiches.iter().map(|f| f.axe).max().unwrap_or(0) + 1;
    for (id, titre, _) in AXES.iter().take(n_axes) {
        let n = fiches.iter().filter(|f| AXES[f.axe].0 == *id).count();
        let t = narratif(
            &mut rng,
            &format!("{titre} en {EXERCICE}"),
            "axe",
            Some(id),
            "",
            &format!("L'axe « {titre} » compte {n} fiches-actions."),
        );
        c.write(&format!("content/axes/{id}.md"), t);
    }
    for f in fiches {
        let t = narratif(
            &mut rng,
            "Action menée",
            "fiche",
            Some(&f.id),
            "",
            &format!(
                "La piste « {} » s'inscrit dans la continuité du travail engagé sur le thème {}.",
                f.piste,
                f.theme.to_lowercase()
            ),
        );
        c.write(&format!("content/fiches/{}.md", f.id), t);
    }
    for (id, nom) in c.services.clone() {
        let t = narratif(
            &mut rng,
            &format!("{nom} en {EXERCICE}"),
            "service",
            Some(&id),
            "",
            &format!("Le service « {nom} » a poursuivi son activité en {EXERCICE}."),
        );
        c.write(&format!("content/services/{id}.md"), t);
    }
    for i in 0..c.communes.len() {
        if i % 3 != 0 {
            continue;
        }
        let cm = &c.communes[i];
        let (id, nom, maire, pop) = (cm.id.clone(), cm.nom.clone(), cm.maire.clone(), cm.pops[cm.pops.len() - 1].municipale);
        let t = narratif(
            &mut rng,
            &format!("{nom} et la mutualisation"),
            "membre",
            Some(&id),
            &nom,
            &format!(
                "Avec {} habitants, {nom} participe aux services mutualisés de la Communauté. Son maire, {maire}, siège au comité de suivi du schéma.",
                fr(pop as i64)
            ),
        );
        c.write(&format!("content/membres/{id}.md"), t);
    }
    let methode = format!(
        "---\nobjet: page\nid: methode\ntitre: \"Méthode et sources\"\n---\nCe site présente un territoire **synthétique** : les communes et leurs codes INSEE sont réels, mais la {epci}, ses services, ses chiffres et ses textes sont inventés pour mesurer les performances de mutu.\n\n- Populations : séries générées, cohérentes d'une année à l'autre.\n- Montants : générés, tous les totaux publiés concordent.\n- Textes : assemblés à partir de phrases types.\n"
    );
    c.write("content/pages/methode.md", methode);
}

// ------------------------------------------------------------------ main

struct Args {
    communes: usize,
    fiches: usize,
    annees: usize,
    sortie: PathBuf,
    graine: u64,
}

fn usage() -> ! {
    eprintln!("utilisation : synth --communes N --fiches M --annees Y --sortie DOSSIER [--graine S]");
    std::process::exit(2)
}

fn args() -> Args {
    let mut a = std::env::args().skip(1);
    let (mut communes, mut fiches, mut annees, mut sortie, mut graine) = (None, None, None, None, 42u64);
    while let Some(k) = a.next() {
        let v = a.next().unwrap_or_else(|| usage());
        let num = || v.parse::<usize>().unwrap_or_else(|_| usage());
        match k.as_str() {
            "--communes" => communes = Some(num()),
            "--fiches" => fiches = Some(num()),
            "--annees" => annees = Some(num()),
            "--sortie" => sortie = Some(PathBuf::from(&v)),
            "--graine" => graine = v.parse().unwrap_or_else(|_| usage()),
            _ => usage(),
        }
    }
    let (Some(communes), Some(fiches), Some(annees), Some(sortie)) = (communes, fiches, annees, sortie) else {
        usage()
    };
    if communes < 2 || fiches < 1 || !(1..=30).contains(&annees) {
        eprintln!("erreur : il faut au moins 2 communes, 1 fiche et entre 1 et 30 années");
        std::process::exit(2);
    }
    Args {
        communes,
        fiches,
        annees,
        sortie,
        graine,
    }
}

/// Generates the whole project in memory: path → text.
pub fn generate(communes: usize, fiches: usize, annees: usize, graine: u64) -> BTreeMap<PathBuf, String> {
    let mut rng = Rng(graine ^ 0x6D75_7475);
    let years: Vec<i32> = (EXERCICE - annees as i32 + 1..=EXERCICE).collect();
    let mut c = territoire(&mut rng, communes, &years);
    write_territoire(&mut c);
    write_config(&mut c);
    write_rapport(&mut c);
    write_schema(&mut c);
    service_ads(&mut c);
    service_communs(&mut c);
    service_garage(&mut c);
    service_si(&mut c);
    service_lecture(&mut c);
    service_musique(&mut c);
    service_commande(&mut c);
    write_commande_publique(&mut c);
    let cles = format!("# Clés de répartition (territoire synthétique).\ncles:\n{}", c.cles);
    c.write("data/cles.yaml", cles);
    let f = write_fiches(&mut c, fiches);
    write_content(&mut c, &f);
    c.files
}

fn main() {
    let a = args();
    let files = generate(a.communes, a.fiches, a.annees, a.graine);
    for sub in ["data", "content"] {
        let d = a.sortie.join(sub);
        if d.exists() {
            if let Err(e) = std::fs::remove_dir_all(&d) {
                eprintln!("erreur : impossible de vider {} : {e}", d.display());
                std::process::exit(1);
            }
        }
    }
    let mut octets = 0;
    for (p, text) in &files {
        let path: &Path = &a.sortie.join(p);
        if let Some(parent) = path.parent() {
            if let Err(e) = std::fs::create_dir_all(parent) {
                eprintln!("erreur : impossible de créer {} : {e}", parent.display());
                std::process::exit(1);
            }
        }
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("erreur : impossible d'écrire {} : {e}", path.display());
            std::process::exit(1);
        }
        octets += text.len();
    }
    println!("{} fichiers écrits ({} octets) dans {}", files.len(), octets, a.sortie.display());
}
