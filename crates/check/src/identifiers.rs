//! Official identifiers (SIREN, SIRET, INSEE code, @ctes act ID) and years.

use super::{cog, Ctx};
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::territoire::TypeMembre;
use mutu_model::Origine;

pub(crate) fn check(ctx: &mut Ctx) {
    sirens(ctx);
    insee_codes(ctx);
    actes(ctx);
    transmission(ctx);
    years(ctx);
}

fn siren_diag(siren: &str) -> Option<Diagnostic> {
    if siren.len() != 9 || !siren.chars().all(|c| c.is_ascii_digit()) {
        return Some(
            Diagnostic::error(Code::SirenInvalide, format!("SIREN « {siren} » mal formé"))
                .expected("9 chiffres, sans espaces (par exemple 242900801)")
                .hint("le SIREN figure sur l'avis de situation au répertoire SIRENE ; écrivez-le entre guillemets"),
        );
    }
    if !cog::siren_valide(siren) {
        return Some(
            Diagnostic::error(
                Code::SirenInvalide,
                format!("SIREN « {siren} » invalide : la clé de contrôle (Luhn) ne correspond pas"),
            )
            .expected("un SIREN dont la clé de Luhn est juste")
            .hint("un chiffre a probablement été mal recopié ou inversé ; vérifiez-le sur annuaire-entreprises.data.gouv.fr"),
        );
    }
    None
}

fn sirens(ctx: &mut Ctx) {
    let t = &ctx.p.territoire;
    let o = t.origine.clone();
    if let Some(d) = siren_diag(&t.epci.siren) {
        ctx.at_value(&o, &["epci", "siren"], d);
    } else if let Some(e) = cog::epci(&t.epci.siren) {
        if !cog::noms_equivalents(&e.nom, &t.epci.nom) {
            ctx.at_value(
                &o,
                &["epci", "nom"],
                Diagnostic::warning(Code::NomEpciDifferent, format!("le nom « {} » diffère du nom officiel de ce SIREN", t.epci.nom))
                    .expected(format!("« {} » (référentiel officiel)", e.nom))
                    .hint("vérifiez le SIREN, ou reprenez le nom officiel"),
            );
        }
    }
    if let Some(siret) = &t.epci.siret {
        let chiffres = siret.len() == 14 && siret.chars().all(|c| c.is_ascii_digit());
        if !chiffres || !siret.starts_with(&t.epci.siren) {
            ctx.at_value(
                &o,
                &["epci", "siret"],
                Diagnostic::error(Code::SiretInvalide, format!("SIRET « {siret} » invalide pour le SIREN {}", t.epci.siren))
                    .expected(format!(
                        "14 chiffres sans espaces : le SIREN ({}) suivi des 5 chiffres du NIC du siège",
                        t.epci.siren
                    ))
                    .hint("le SIRET du siège figure sur annuaire-entreprises.data.gouv.fr ; écrivez-le entre guillemets"),
            );
        }
    }
    for (i, m) in t.membres.iter().enumerate() {
        if let Some(s) = &m.siren {
            if let Some(d) = siren_diag(s) {
                ctx.at_value(&o, &["membres", &i.to_string(), "siren"], d);
            }
        }
    }
    for (i, m) in t.partenaires.iter().enumerate() {
        if let Some(s) = &m.siren {
            if let Some(d) = siren_diag(s) {
                ctx.at_value(&o, &["partenaires", &i.to_string(), "siren"], d);
            }
        }
    }
}

fn insee_codes(ctx: &mut Ctx) {
    let t = &ctx.p.territoire;
    let o = t.origine.clone();
    let official_members = cog::epci(&t.epci.siren).map(|e| e.membres);
    for (i, m) in t.membres.iter().enumerate() {
        let is = i.to_string();
        let Some(code) = &m.insee else {
            if m.genre == TypeMembre::Commune {
                ctx.at_key(
                    &o,
                    &["membres", &is, "nom"],
                    Diagnostic::error(Code::ChampManquant, format!("code INSEE absent pour la commune « {} »", m.nom))
                        .expected("`insee: \"29103\"` : le code officiel géographique (COG) de la commune")
                        .hint("le code INSEE (différent du code postal) se trouve sur insee.fr"),
                );
            }
            continue;
        };
        if !cog::insee_bien_forme(code) {
            ctx.at_value(
                &o,
                &["membres", &is, "insee"],
                Diagnostic::error(Code::InseeInvalide, format!("code INSEE « {code} » mal formé"))
                    .expected("5 caractères : 2 chiffres (ou 2A / 2B en Corse) puis 3 chiffres, entre guillemets")
                    .hint("ne confondez pas avec le code postal ; un code qui commence par 0 doit être entre guillemets"),
            );
            continue;
        }
        match cog::commune(code) {
            None => ctx.at_value(
                &o,
                &["membres", &is, "insee"],
                Diagnostic::error(Code::InseeInconnu, format!("code INSEE « {code} » inconnu du code officiel géographique"))
                    .expected("le code d'une commune existante (COG en vigueur)")
                    .hint(aide_insee_inconnu(code, &m.nom)),
            ),
            Some(c) => {
                if !cog::noms_equivalents(c.nom, &m.nom) {
                    ctx.at_value(
                        &o,
                        &["membres", &is, "nom"],
                        Diagnostic::warning(
                            Code::NomCommuneDifferent,
                            format!("le nom « {} » ne correspond pas au code INSEE {code}", m.nom),
                        )
                        .expected(format!("« {} » (nom officiel du COG)", c.nom))
                        .hint("vérifiez le code INSEE, ou reprenez le nom officiel"),
                    );
                }
                if let Some(members) = &official_members {
                    if !members.contains(&c.insee) {
                        ctx.at_value(
                            &o,
                            &["membres", &is, "insee"],
                            Diagnostic::warning(
                                Code::CommuneHorsEpci,
                                format!("{} ({code}) n'appartient pas à l'EPCI selon le référentiel officiel", c.nom),
                            )
                            .expected(format!("une des {} communes membres de l'EPCI {}", members.len(), t.epci.siren))
                            .hint("vérifiez le code INSEE ; une commune d'un autre EPCI se déclare dans `partenaires`"),
                        );
                    }
                }
            }
        }
    }
}

/// The transmission to the préfecture cannot precede the conseil (checked
/// whether or not the @ctes identifier is given).
fn transmission(ctx: &mut Ctx) {
    let r = &ctx.p.rapport;
    let o: Origine = r.origine.clone();
    if let Some(envoi) = r.transmission.as_ref().and_then(|t| t.envoi) {
        if envoi < r.date_conseil {
            ctx.at_value(
                &o,
                &["transmission", "envoi"],
                Diagnostic::error(
                    Code::DateIncoherente,
                    format!(
                        "la transmission en préfecture ({}) précède la date du conseil ({})",
                        envoi.longue(),
                        r.date_conseil.longue()
                    ),
                )
                .expected(format!("une date postérieure ou égale au {}", r.date_conseil.longue()))
                .hint("vérifiez les deux dates (`date_conseil` et `transmission.envoi`)"),
            );
        }
    }
}

fn actes(ctx: &mut Ctx) {
    let r = &ctx.p.rapport;
    let Some(id) = r.actes_id.clone() else { return };
    let o: Origine = r.origine.clone();
    let epci = &ctx.p.territoire.epci;
    let parts: Vec<&str> = id.split('-').collect();
    let well_formed = parts.len() == 5
        && parts[0].len() == 3
        && parts[0].chars().all(|c| c.is_ascii_alphanumeric())
        && parts[1].len() == 9
        && parts[1].chars().all(|c| c.is_ascii_digit())
        && parts[2].len() == 8
        && parts[2].chars().all(|c| c.is_ascii_digit())
        && !parts[3].is_empty()
        && matches!(parts[4], "DE" | "AR" | "AI" | "CC" | "BF" | "AU");
    if !well_formed {
        ctx.at_value(
            &o,
            &["actes_id"],
            Diagnostic::error(Code::ActesInvalide, format!("identifiant @ctes « {id} » mal formé"))
                .expected("DÉPARTEMENT-SIREN-AAAAMMJJ-NUMÉRO-NATURE, par exemple 029-242900801-20240329-DCC2024_054-DE")
                .hint("recopiez l'identifiant de l'accusé de réception de la préfecture ; la nature est DE pour une délibération"),
        );
        return;
    }
    let dep = format!("{:0>3}", epci.departement);
    let mut inconsistent = |what: &str, got: &str, want: String| {
        ctx.at_value(
            &o,
            &["actes_id"],
            Diagnostic::error(
                Code::ActesIncoherent,
                format!("identifiant @ctes incohérent : {what} « {got} » au lieu de « {want} »"),
            )
            .expected(format!("un identifiant dont {what} est « {want} »"))
            .hint("vérifiez l'identifiant sur l'accusé de réception, ou les données du rapport et de l'EPCI"),
        );
    };
    if parts[0] != dep {
        inconsistent("le département", parts[0], dep);
    }
    // A malformed EPCI SIREN is reported on its own: comparing with it would
    // only repeat that error.
    if parts[1] != epci.siren && siren_diag(&epci.siren).is_none() {
        inconsistent("le SIREN", parts[1], epci.siren.clone());
    }
    if parts[2] != r.date_conseil.compact() {
        inconsistent("la date", parts[2], r.date_conseil.compact());
    }
    if parts[3] != r.deliberation {
        inconsistent("le numéro de délibération", parts[3], r.deliberation.clone());
    }
    if parts[4] != "DE" {
        inconsistent("la nature de l'acte", parts[4], "DE".into());
    }
}

fn years(ctx: &mut Ctx) {
    let exercice = ctx.p.rapport.exercice;
    if let Some(s) = &ctx.p.schema {
        let (debut, fin) = (s.mandat.debut, s.mandat.fin);
        let o = s.origine.clone();
        if debut > fin {
            ctx.at_value(
                &o,
                &["mandat", "fin"],
                Diagnostic::error(Code::AnneeIncoherente, format!("le mandat se termine ({fin}) avant de commencer ({debut})"))
                    .expected("une année de fin postérieure à l'année de début")
                    .hint("un mandat municipal dure six ans, par exemple 2020 à 2026"),
            );
        } else if exercice < debut || exercice > fin {
            let ro = ctx.p.rapport.origine.clone();
            ctx.at_value(
                &ro,
                &["exercice"],
                Diagnostic::error(Code::AnneeHorsMandat, format!("l'exercice {exercice} est hors du mandat {debut}-{fin}"))
                    .expected(format!("une année entre {debut} et {fin}"))
                    .hint("mettez à jour `mandat` dans data/schema.yaml, ou corrigez l'exercice du rapport"),
            );
        }
    }
    let p = ctx.p;
    let conseil = p.rapport.date_conseil.annee;
    if conseil < exercice {
        let ro = p.rapport.origine.clone();
        ctx.at_value(
            &ro,
            &["date_conseil"],
            Diagnostic::error(Code::DateIncoherente, format!("le conseil ({conseil}) précède la fin de l'exercice {exercice}"))
                .expected(format!("une date en {exercice} ou après"))
                .hint("le rapport d'un exercice est présenté au débat d'orientation budgétaire qui suit"),
        );
    }
    for s in &p.services {
        for (i, b) in s.bilans.iter().enumerate() {
            if b.exercice > exercice {
                future(ctx, &s.origine, &["bilans", &i.to_string(), "exercice"], b.exercice, exercice);
            }
        }
        for (i, r) in s.repartitions.iter().enumerate() {
            if r.exercice > exercice {
                future(ctx, &s.origine, &["repartitions", &i.to_string(), "exercice"], r.exercice, exercice);
            }
        }
    }
}

fn future(ctx: &mut Ctx, o: &Origine, rel: &[&str], year: i32, exercice: i32) {
    ctx.at_value(
        o,
        rel,
        Diagnostic::error(Code::AnneeFuture, format!("l'exercice {year} est postérieur à celui du rapport ({exercice})"))
            .expected(format!("un exercice jusqu'à {exercice}"))
            .hint("un bilan ou une répartition ne porte que sur un exercice clos ; vérifiez l'année"),
    );
}

/// What to say of an unknown INSEE code: the code of the commune of that
/// name when there is exactly one in the department, and whether the code
/// looks like a postal code rather than a merged commune's old code.
fn aide_insee_inconnu(code: &str, nom: &str) -> String {
    let homonymes: Vec<cog::Commune> = cog::communes_nommees(nom).into_iter().filter(|c| c.insee.get(..2) == code.get(..2)).collect();
    let nomme = match homonymes[..] {
        [c] => format!(" ; le code INSEE de {} est « {} »", c.nom, c.insee),
        _ => String::new(),
    };
    if cog::code_postal_probable(code) {
        format!(
            "« {code} » ressemble à un code postal, qui n'est pas le code INSEE{nomme} ; le code INSEE (code officiel géographique) d'une commune se trouve sur insee.fr (recherche « code officiel géographique » + nom de la commune)"
        )
    } else {
        format!("la commune a peut-être fusionné : utilisez le code de la commune nouvelle{nomme}")
    }
}
