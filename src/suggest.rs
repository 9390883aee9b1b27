//! "Vouliez-vous dire … ?" suggestions for misspelt keys and identifiers,
//! and the organisation a user names in free text (the command line's
//! `--commune`, a spreadsheet's first column for `mutu import`).

/// Returns a French hint naming the closest candidate, if one is close enough.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|c| format!("vouliez-vous dire « {c} » ?"))
}

/// The closest candidate by edit distance, within a bound that grows with
/// the word's length; ties go to the first candidate in alphabetical order.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    let limit = (w.chars().count() / 3).max(1) + 1;
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::damerau_levenshtein(&w, &c.to_lowercase());
        let better = match best {
            None => true,
            Some((bd, bc)) => d < bd || (d == bd && c < bc),
        };
        if d <= limit && d < w.chars().count().max(c.chars().count()) && better {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// An organisation a user may name: the EPCI, a member or a partner.
#[derive(Debug, Clone, Copy)]
pub struct Designable<'a> {
    pub id: &'a str,
    pub nom: &'a str,
    pub insee: Option<&'a str>,
    pub siren: Option<&'a str>,
}

impl<'a> From<&'a crate::model::Membre> for Designable<'a> {
    fn from(m: &'a crate::model::Membre) -> Self {
        Designable {
            id: &m.id,
            nom: &m.nom,
            insee: m.insee.as_deref(),
            siren: m.siren.as_deref(),
        }
    }
}

/// The organisation a user names: by id, INSEE code or SIREN, or by its
/// official name or id folded (case, accents, hyphens ignored: « Landerneau »,
/// « la forest landerneau »). Otherwise the hint to print: the closest name,
/// a postal code recognised as such, or the ids of a name several share.
pub fn designe<'a>(candidats: &[Designable<'a>], texte: &str) -> Result<&'a str, String> {
    use crate::check::cog::{code_postal_probable, noms_equivalents};
    let t = texte.trim();
    let exact = candidats.iter().find(|x| x.id == t || x.insee == Some(t) || x.siren == Some(t));
    let plie: Vec<&Designable> = match exact {
        Some(x) => vec![x],
        None => candidats.iter().filter(|x| noms_equivalents(x.nom, t) || noms_equivalents(x.id, t)).collect(),
    };
    match plie[..] {
        [x] => Ok(x.id),
        [] => {
            if code_postal_probable(t) {
                return Err(format!(
                    "« {t} » ressemble à un code postal : indiquez le code INSEE (code officiel géographique), l'identifiant ou le nom du membre"
                ));
            }
            let noms = candidats.iter().flat_map(|x| [x.id, x.nom]);
            let proche = closest(t, noms).and_then(|n| candidats.iter().find(|x| x.id == n || x.nom == n));
            Err(match proche {
                Some(x) => format!("vouliez-vous dire « {} » (identifiant « {} ») ?", x.nom, x.id),
                None => "la liste des membres figure dans data/territoire.yaml".into(),
            })
        }
        _ => Err(format!(
            "plusieurs membres portent ce nom : indiquez l'identifiant de l'un d'eux ({})",
            plie.iter().map(|x| format!("« {} »", x.id)).collect::<Vec<_>>().join(", ")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("nmo", ["nom", "insee", "id"]), Some("nom"));
        assert_eq!(closest("landernau", ["landerneau", "loperhet"]), Some("landerneau"));
        assert_eq!(closest("zzzzzz", ["nom", "insee"]), None);
    }

    #[test]
    fn organisations_named_every_way() {
        let d = |id, nom, insee, siren| Designable { id, nom, insee, siren };
        let c = [
            d("landerneau", "Landerneau", Some("29103"), Some("212901037")),
            d("la-forest-landerneau", "La Forest-Landerneau", Some("29056"), None),
            d("ccas-landerneau", "Landerneau", None, None),
        ];
        assert_eq!(designe(&c, "29103"), Ok("landerneau"));
        assert_eq!(designe(&c, "212901037"), Ok("landerneau"));
        assert_eq!(designe(&c, " la forest landerneau "), Ok("la-forest-landerneau"));
        assert_eq!(
            designe(&c, "LANDERNEAU"),
            Err("plusieurs membres portent ce nom : indiquez l'identifiant de l'un d'eux (« landerneau », « ccas-landerneau »)".into())
        );
        assert_eq!(
            designe(&c, "Landernau"),
            Err("vouliez-vous dire « Landerneau » (identifiant « landerneau ») ?".into())
        );
        assert_eq!(
            designe(&c, "29800"),
            Err("« 29800 » ressemble à un code postal : indiquez le code INSEE (code officiel géographique), l'identifiant ou le nom du membre".into())
        );
    }
}
