//! The organisation a user names in free text: the command line's
//! `--commune`, a spreadsheet's first column for `mutu import`. It lives in
//! check because it reads the official register of communes (INSEE codes,
//! postal codes, names) that the checks use.

use mutu_base::suggest::closest;

/// An organisation a user may name: the EPCI, a member or a partner.
#[derive(Debug, Clone, Copy)]
pub struct Designable<'a> {
    pub id: &'a str,
    pub nom: &'a str,
    pub insee: Option<&'a str>,
    pub siren: Option<&'a str>,
}

impl<'a> From<&'a mutu_model::Membre> for Designable<'a> {
    fn from(m: &'a mutu_model::Membre) -> Self {
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
/// « la forest landerneau »). Otherwise the hint to print: a code that is
/// one member's INSEE code and another's postal code (« 64100 »: Bassussarry
/// and Bayonne) with both named, a postal code recognised as such, the
/// members whose name starts with the text (« Mauléon » →
/// « Mauléon-Licharre »), the closest name, or the ids of a name several
/// share.
pub fn designe<'a>(candidats: &[Designable<'a>], texte: &str) -> Result<&'a str, String> {
    use crate::cog::{code_postal_probable, nom_commence_par, noms_equivalents};
    let t = texte.trim();
    let nomme = |x: &Designable| format!("« {} » (identifiant « {} »)", x.nom, x.id);
    // The members whose commune has `t` as postal code.
    let par_code_postal: Vec<&Designable> = if t.len() == 5 && t.bytes().all(|b| b.is_ascii_digit()) {
        candidats
            .iter()
            .filter(|x| x.insee.and_then(crate::cog::commune).is_some_and(|c| c.a_pour_code_postal(t)))
            .collect()
    } else {
        Vec::new()
    };
    let exact = candidats.iter().find(|x| x.id == t || x.insee == Some(t) || x.siren == Some(t));
    if let Some(x) = exact.filter(|x| x.insee == Some(t) && x.id != t) {
        let autres: Vec<&&Designable> = par_code_postal.iter().filter(|y| y.id != x.id).collect();
        if !autres.is_empty() {
            return Err(format!(
                "« {t} » est à la fois le code INSEE de {} et le code postal de {} : indiquez l'identifiant ou le nom du membre voulu",
                nomme(x),
                autres.iter().map(|y| nomme(y)).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    let plie: Vec<&Designable> = match exact {
        Some(x) => vec![x],
        None => candidats.iter().filter(|x| noms_equivalents(x.nom, t) || noms_equivalents(x.id, t)).collect(),
    };
    match plie[..] {
        [x] => Ok(x.id),
        [] => {
            if !par_code_postal.is_empty() || code_postal_probable(t) {
                return Err(format!(
                    "« {t} » ressemble à un code postal : indiquez le code INSEE (code officiel géographique), l'identifiant ou le nom du membre"
                ));
            }
            // A name cut short: « Mauléon » for « Mauléon-Licharre ».
            let debuts: Vec<&Designable> = candidats.iter().filter(|x| nom_commence_par(x.nom, t)).collect();
            match debuts[..] {
                [x] => return Err(format!("vouliez-vous dire {} ?", nomme(x))),
                [_, ..] => {
                    const MONTRES: usize = 8;
                    let mut liste: Vec<String> = debuts.iter().take(MONTRES).map(|x| nomme(x)).collect();
                    if debuts.len() > MONTRES {
                        liste.push(format!("et {} autres", debuts.len() - MONTRES));
                    }
                    return Err(format!("plusieurs membres ont un nom qui commence ainsi : {}", liste.join(", ")));
                }
                [] => {}
            }
            let noms = candidats.iter().flat_map(|x| [x.id, x.nom]);
            let proche = closest(t, noms).and_then(|n| candidats.iter().find(|x| x.id == n || x.nom == n));
            Err(match proche {
                Some(x) => format!("vouliez-vous dire {} ?", nomme(x)),
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

    #[test]
    fn a_code_two_members_answer_to_and_names_cut_short() {
        let d = |id, nom, insee| Designable {
            id,
            nom,
            insee: Some(insee),
            siren: None,
        };
        let c = [
            d("bayonne", "Bayonne", "64102"),
            d("bassussarry", "Bassussarry", "64100"),
            d("mauleon-licharre", "Mauléon-Licharre", "64371"),
            d("saint-jean-de-luz", "Saint-Jean-de-Luz", "64483"),
            d("saint-jean-pied-de-port", "Saint-Jean-Pied-de-Port", "64485"),
        ];
        assert_eq!(
            designe(&c, "64100"),
            Err("« 64100 » est à la fois le code INSEE de « Bassussarry » (identifiant « bassussarry ») et le code postal de « Bayonne » (identifiant « bayonne ») : indiquez l'identifiant ou le nom du membre voulu".into())
        );
        assert_eq!(designe(&c, "64102"), Ok("bayonne"));
        assert_eq!(designe(&c, "bassussarry"), Ok("bassussarry"));
        assert_eq!(
            designe(&c, "Mauléon"),
            Err("vouliez-vous dire « Mauléon-Licharre » (identifiant « mauleon-licharre ») ?".into())
        );
        assert_eq!(
            designe(&c, "saint jean"),
            Err("plusieurs membres ont un nom qui commence ainsi : « Saint-Jean-de-Luz » (identifiant « saint-jean-de-luz »), « Saint-Jean-Pied-de-Port » (identifiant « saint-jean-pied-de-port »)".into())
        );
    }
}
