//! The pieces every page of the document is built with: a page, a
//! heading, the narrative texts attached to an object, the notice of an
//! internal item, titles that name the year once, captions. The page
//! modules (services, members, fiches, finances, changes) and the document's
//! assembly ([`crate::build`]) take them from here.

use super::{Bloc, GenreEncadre, Page, Rubrique};
use mutu_base::format;
use mutu_compute::Modele;
use mutu_model::{Contenu, Objet};

/// Markdown narratives attached to an entity, for the report's year (or
/// without a year), in their `ordre`.
pub fn narratifs<'a>(m: &'a Modele, objet: Objet, id: Option<&str>) -> Vec<&'a Contenu> {
    m.contenus
        .iter()
        .filter(|c| c.entete.objet == objet && c.entete.id.as_deref() == id && c.entete.exercice.is_none_or(|e| e == m.rapport.exercice))
        .collect()
}

/// The « Diffusion interne » box put on internal items in the internal
/// build (the public build has none: they are left out, see `mutu_model::audience`).
pub fn encadre_interne(quoi: &str) -> Bloc {
    Bloc::Encadre {
        genre: GenreEncadre::Information,
        texte: format!(
            "{} : {quoi} ne figure pas dans la version publique (mutu build --public).",
            mutu_model::audience::MENTION_INTERNE
        ),
    }
}

pub fn blocs_narratifs(m: &Modele, objet: Objet, id: Option<&str>) -> Vec<Bloc> {
    let mut out = Vec::new();
    for c in narratifs(m, objet, id).into_iter().filter(|c| !sans_texte(&c.markdown)) {
        if mutu_model::audience::est_interne(c.entete.visibilite) {
            out.push(encadre_interne("ce texte"));
        }
        if let Some(t) = c.entete.titre_ecrit() {
            out.push(Bloc::Titre {
                niveau: 2,
                texte: t.clone(),
                ancre: mutu_base::texte::slug(t),
            });
        }
        out.push(Bloc::Markdown {
            source: c.markdown.clone(),
            fichier: c.fichier.clone(),
        });
    }
    out
}

/// A narrative not written yet: only blanks and HTML comments (the
/// skeletons `mutu new --exercice` creates).
pub(crate) fn sans_texte(markdown: &str) -> bool {
    let mut rest = markdown;
    while let Some(i) = rest.find("<!--") {
        if !rest[..i].trim().is_empty() {
            return false;
        }
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => return false,
        }
    }
    rest.trim().is_empty()
}

pub fn page(id: impl Into<String>, titre: impl Into<String>, rubrique: Rubrique, parent: Option<&str>) -> Page {
    Page {
        id: id.into(),
        titre: titre.into(),
        rubrique,
        parent: parent.map(str::to_string),
        resume: None,
        blocs: Vec::new(),
        pdf: false,
        membre: None,
        site_seulement: Vec::new(),
    }
}

/// Whether `texte` names `annee` as a word (« 2023 », « (2023) », not « 20231 »).
pub fn dit_annee(texte: &str, annee: i32) -> bool {
    !positions_annee(texte, annee).is_empty()
}

fn positions_annee(texte: &str, annee: i32) -> Vec<usize> {
    let a = annee.to_string();
    texte
        .match_indices(a.as_str())
        .map(|(k, _)| k)
        .filter(|&k| {
            let avant = texte[..k].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let apres = texte[k + a.len()..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            avant && apres
        })
        .collect()
}

/// Words that only introduce a year: they go with it (« … — exercice 2024 »
/// would leave « … — exercice »).
const INTRODUCTEURS_ANNEE: [&str; 6] = ["de l'exercice ", "de l’exercice ", "l'exercice ", "l’exercice ", "exercice ", "année "];

/// `texte` without `annee` (« Instruction ADS 2020 : partage » →
/// « Instruction ADS : partage », « (tarif 2024) » → « (tarif) »,
/// « Rapport … — exercice 2024 » → « Rapport … »).
fn sans_annee(texte: &str, annee: i32) -> String {
    let n = annee.to_string().len();
    let mut s = texte.to_string();
    let positions = positions_annee(texte, annee);
    for &k in positions.iter().rev() {
        let avant = s[..k].to_lowercase();
        let debut = INTRODUCTEURS_ANNEE.iter().find(|m| avant.ends_with(*m)).map_or(k, |m| k - m.len());
        s.replace_range(debut..k + n, "");
    }
    let s = s.replace("()", "").replace("( ", "(").replace(" )", ")");
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ").replace(" ,", ",");
    // A separator left at the end by the year it introduced.
    s.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '—' | '–' | '-' | ':' | ','))
        .to_string()
}

/// THE way a year goes into a title, a caption or a page title: said
/// once. `parties` are joined by `sep`; when none names `annee`, it is
/// added after the first one (`sep_annee` before it: « Coût de
/// l'instruction — 2023 »); a later part does not say again a year an
/// earlier one says (« Coût 2020 de l'instruction ADS — étape 1 :
/// Instruction ADS : partage », the key's label « Instruction ADS 2020 :
/// partage » losing its year).
pub fn avec_annee(parties: &[&str], sep: &str, annee: i32, sep_annee: &str) -> String {
    let mut out = String::new();
    let mut dite = false;
    for (i, p) in parties.iter().enumerate() {
        let p = if dite { sans_annee(p, annee) } else { p.trim().to_string() };
        if p.is_empty() {
            continue;
        }
        if i > 0 && !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(&p);
        dite |= dit_annee(&p, annee);
        if i == 0 && !dite && !parties.iter().any(|q| dit_annee(q, annee)) {
            out.push_str(sep_annee);
            out.push_str(&annee.to_string());
            dite = true;
        }
    }
    out
}

/// Two titles compared as a reader would: case, blanks and a final « : »
/// or « . » do not count.
pub(crate) fn meme_titre(a: &str, b: &str) -> bool {
    let n = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .trim_end_matches(['.', ':', ' '])
            .to_lowercase()
    };
    n(a) == n(b)
}

/// What `texte` says after `debut` (case aside) and a punctuation mark.
fn apres_debut<'a>(texte: &'a str, debut: &str) -> Option<&'a str> {
    let debut = debut.trim().trim_end_matches(['.', ':', ' ']);
    let mut it = texte.char_indices();
    for d in debut.chars() {
        let (_, c) = it.next()?;
        if !c.to_lowercase().eq(d.to_lowercase()) {
            return None;
        }
    }
    let k = it.next().map_or(texte.len(), |(k, _)| k);
    // Only a part set apart by punctuation (« — », « : », « , »): « Groupements
    // de commandes de Landerneau » under « Groupements de commandes » is a
    // more precise title, not a repetition.
    let reste = texte[k..].trim_start_matches([' ', '\u{a0}']);
    let apres = reste.strip_prefix([',', ':', '—', '–'])?;
    Some(apres.trim())
}

/// A caption read in place: what the page title (at its end, « … — Garage
/// commun ») and the heading right above (at its start) already say is not
/// said again. « Organismes adhérents — Garage commun » under the heading
/// « Organismes adhérents » of the Garage commun page has nothing left: the
/// heading names the table. « Ordres de réparation : garage » under
/// « Ordres de réparation » reads « Garage ».
pub(crate) fn legende_en_place(titre: &str, page: &str, dessus: Option<&str>) -> String {
    let mut l = titre.trim();
    if let Some(avant) = l.strip_suffix(page.trim()).and_then(|r| r.strip_suffix(" — ")) {
        l = avant.trim_end();
    }
    if let Some(h) = dessus {
        if meme_titre(l, h) {
            return String::new();
        }
        if let Some(reste) = apres_debut(l, h) {
            return format::phrases([reste]);
        }
    }
    l.to_string()
}

/// Sets the caption read in place ([`super::Tableau::legende`],
/// [`super::Graphique::legende`]) of every table and chart of the page,
/// from the heading above it and the page title: the one rule that keeps a
/// caption from repeating its heading.
pub fn legendes(p: &mut Page) {
    let mut dessus: Option<String> = None;
    for b in p.blocs.iter_mut() {
        match b {
            Bloc::Titre { texte, .. } => dessus = Some(texte.clone()),
            Bloc::Tableau(t) => t.legende = legende_en_place(&t.titre, &p.titre, dessus.as_deref()),
            Bloc::Graphique(g) => g.legende = legende_en_place(&g.titre, &p.titre, dessus.as_deref()),
            _ => {}
        }
    }
}

pub fn titre(niveau: u8, texte: impl Into<String>) -> Bloc {
    let texte = texte.into();
    Bloc::Titre {
        niveau,
        ancre: mutu_base::texte::slug(&texte),
        texte,
    }
}
