//! The territory's identity is the only identity. A project started from
//! another one (the example, a neighbour's) keeps, in its configuration and
//! its report settings, texts that name the other publisher: the legal
//! notice, the accessibility contact, the signatory's title. Nothing else
//! would notice. Each text that names the publisher is compared with
//! data/territoire.yaml: another EPCI of the official register named with
//! its legal form, another SIREN than the EPCI's and its members', a postal
//! address in a commune that is not a member — each is a warning at the
//! value, with the EPCI the project describes.

use super::{cog, Ctx};
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::Origine;
use std::path::PathBuf;

pub(crate) fn check(ctx: &mut Ctx) {
    let c = &ctx.p.config;
    let r = &ctx.p.rapport;
    let config = Origine {
        fichier: PathBuf::from(mutu_model::load::CONFIG_FILE),
        chemin: mutu_model::yaml::Path::root(),
    };
    let mut champs: Vec<(Origine, Vec<String>, String)> = Vec::new();
    let mut ajoute = |o: &Origine, chemin: &[&str], v: Option<&String>| {
        if let Some(v) = v {
            champs.push((o.clone(), chemin.iter().map(|s| s.to_string()).collect(), v.clone()));
        }
    };
    ajoute(&config, &["titre"], Some(&c.titre));
    ajoute(&config, &["accessibilite", "contact_adresse"], c.accessibilite.contact_adresse.as_ref());
    ajoute(&config, &["accessibilite", "taux_conformite"], c.accessibilite.taux_conformite.as_ref());
    let ml = &c.mentions_legales;
    ajoute(&config, &["mentions_legales", "editeur"], ml.editeur.as_ref());
    ajoute(&config, &["mentions_legales", "directeur_publication"], ml.directeur_publication.as_ref());
    ajoute(&config, &["mentions_legales", "hebergeur"], Some(&ml.hebergeur));
    ajoute(&config, &["mentions_legales", "adresse"], ml.adresse.as_ref());
    ajoute(&r.origine, &["titre"], r.valeur.titre.as_ref());
    ajoute(&r.origine, &["signataire", "nom"], Some(&r.valeur.signataire.nom));
    ajoute(&r.origine, &["signataire", "qualite"], Some(&r.valeur.signataire.qualite));
    let t = &ctx.p.territoire.valeur;
    let epci = &t.epci;
    let sirens: Vec<&str> = std::iter::once(epci.siren.as_str())
        .chain(t.membres.iter().filter_map(|m| m.siren.as_deref()))
        .chain(t.partenaires.iter().filter_map(|p| p.siren.as_deref()))
        .collect();
    let attendu = format!("l'EPCI décrit dans data/territoire.yaml : {} (SIREN {})", epci.nom, epci.siren);
    for (o, chemin, texte) in champs {
        let chemin: Vec<&str> = chemin.iter().map(String::as_str).collect();
        let mut diags = Vec::new();
        for autre in cog::epcis_nommes(&texte) {
            // A mistyped SIREN of the EPCI itself is reported by the SIREN checks.
            if autre.siren != epci.siren && !cog::noms_equivalents(autre.nom, &epci.nom) {
                diags.push(Diagnostic::warning(
                    Code::IdentiteEtrangere,
                    format!("ce texte nomme un autre EPCI que celui du projet : {} (SIREN {})", autre.nom, autre.siren),
                ));
            }
        }
        for s in numeros_siren(&texte) {
            if !sirens.contains(&s.as_str()) {
                let qui = cog::epci(&s).map(|e| format!(", celui de l'EPCI {}", e.nom)).unwrap_or_default();
                diags.push(Diagnostic::warning(
                    Code::IdentiteEtrangere,
                    format!("le SIREN {s} n'est ni celui de l'EPCI ni celui d'un membre{qui}"),
                ));
            }
        }
        for (cp, nom) in adresses(&texte) {
            let membre = t.membres.iter().any(|m| cog::noms_equivalents(&m.nom, &nom));
            let siege = epci.siege.as_deref().is_some_and(|s| cog::noms_equivalents(s, &nom));
            if !membre && !siege && cog::commune_nommee(&nom) {
                diags.push(Diagnostic::warning(
                    Code::IdentiteEtrangere,
                    format!("l'adresse « {cp} {nom} » est dans une commune qui n'est pas membre de l'EPCI"),
                ));
            }
        }
        for d in diags {
            ctx.at_value(
                &o,
                &chemin,
                d.expected(attendu.clone())
                    .hint("ce texte vient sans doute d'un autre projet (l'exemple ?) : remplacez-le ; pour l'éditeur, le directeur de la publication et les adresses, supprimez la clé et mutu les déduit du territoire"),
            );
        }
    }
}

/// Nine-digit numbers of a text, written whole or in groups of three
/// (`242900801`, `242 900 801`), that pass the SIREN checksum.
fn numeros_siren(texte: &str) -> Vec<String> {
    let mut out = Vec::new();
    let c: Vec<char> = texte.chars().collect();
    let mut i = 0;
    while i < c.len() {
        if !c[i].is_ascii_digit() || (i > 0 && c[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let mut chiffres = String::new();
        let mut j = i;
        while j < c.len() && (c[j].is_ascii_digit() || (matches!(c[j], ' ' | '\u{a0}' | '\u{202f}') && c.get(j + 1).is_some_and(char::is_ascii_digit))) {
            if c[j].is_ascii_digit() {
                chiffres.push(c[j]);
            }
            j += 1;
        }
        if chiffres.len() == 9 && cog::siren_valide(&chiffres) {
            out.push(chiffres);
        }
        i = j.max(i + 1);
    }
    out
}

/// `(code postal, commune)` pairs of a text: five digits, then the words up
/// to the next comma, parenthesis or end (`29800 Landerneau (Finistère)`).
fn adresses(texte: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = texte.as_bytes();
    for (i, _) in texte.char_indices() {
        let code = texte.get(i..i + 5).unwrap_or("");
        let avant = i.checked_sub(1).map(|k| b[k]);
        if code.len() == 5 && code.bytes().all(|x| x.is_ascii_digit()) && !avant.is_some_and(|x| x.is_ascii_digit()) && b.get(i + 5) == Some(&b' ') {
            let suite = &texte[i + 6..];
            let nom = suite.split([',', '(', ';', '\n', '.']).next().unwrap_or("").trim();
            let nom = nom.find(" CEDEX").or_else(|| nom.find(" Cedex")).map_or(nom, |k| &nom[..k]).trim();
            if !nom.is_empty() && !nom.starts_with(|c: char| c.is_ascii_digit()) {
                out.push((code.to_string(), nom.to_string()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirens_and_addresses_in_a_text() {
        assert_eq!(numeros_siren("SIREN 242900801, tél. 02 98 21 37 67"), ["242900801"]);
        assert_eq!(numeros_siren("SIREN 242 900 801."), ["242900801"]);
        assert_eq!(numeros_siren("n° 242900802 ou 1242900801"), Vec::<String>::new(), "bad checksum, ten digits");
        assert_eq!(
            adresses("Siège de la CAPLD, 29800 Landerneau (Finistère)"),
            [("29800".to_string(), "Landerneau".to_string())]
        );
        assert_eq!(adresses("BP 10, 29207 Brest CEDEX 1"), [("29207".to_string(), "Brest".to_string())]);
        assert_eq!(adresses("SIREN 242900801"), Vec::<(String, String)>::new());
    }
}
