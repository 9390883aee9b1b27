//! The offers of the catalogue: a price has one form, a grid has a
//! strictly increasing set of bands on each axis and an amount in every
//! cell, and no two free tiers cover the same kind of body. (The key a
//! price names is resolved with the other references.)

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::catalogue::{AxeGrille, GrillePrix, Participation};
use mutu_model::Origine;

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    for s in &p.services {
        let Some(offre) = &s.offre else { continue };
        let o = &s.origine;
        if let Some(prix) = &offre.prix {
            let formes = [
                ("tarif", prix.tarif.is_some()),
                ("forfait", prix.forfait.is_some()),
                ("cle", prix.cle.is_some()),
                ("grille", prix.grille.is_some()),
            ];
            let donnees: Vec<&str> = formes.iter().filter(|(_, oui)| *oui).map(|(k, _)| *k).collect();
            if donnees.len() != 1 {
                let message = if donnees.is_empty() {
                    format!("le prix de l'offre du service « {} » n'a ni tarif, ni forfait, ni clé, ni grille", s.nom)
                } else {
                    format!("le prix de l'offre du service « {} » a plusieurs formes : {}", s.nom, donnees.join(", "))
                };
                ctx.at_key(
                    o,
                    &["offre", "prix"],
                    Diagnostic::error(Code::PrixAmbigu, message)
                        .expected("une seule des clés `tarif:`, `forfait:`, `cle:` ou `grille:`")
                        .hint("gardez une seule forme de prix ; une précision s'écrit dans `note:` (voir « mutu aide offre.prix »)"),
                );
            }
            if let Some(g) = &prix.grille {
                grille(ctx, o, g);
            }
        }
        if let Some(pa) = &offre.participation {
            participation(ctx, s, offre, pa);
        }
        for (i, g) in offre.gratuite.iter().enumerate() {
            if let Some(j) = offre.gratuite[..i].iter().position(|h| h.genre == g.genre) {
                let genre = g.genre.map_or("tous les organismes", |k| k.libelle());
                ctx.at_key(
                    o,
                    &["offre", "gratuite", &i.to_string()],
                    Diagnostic::error(
                        Code::GratuiteEnDouble,
                        format!("deux seuils de gratuité pour « {genre} » dans l'offre du service « {} »", s.nom),
                    )
                    .expected(format!("un seul seuil par genre d'organisme (le premier est l'entrée n° {})", j + 1))
                    .hint("gardez un seul des deux seuils"),
                );
            }
        }
    }
}

/// The participation needs a grid with columns, and a price in it for the
/// volume used and the establishments counted.
fn participation(ctx: &mut Ctx, s: &mutu_model::Lu<mutu_model::Service>, offre: &mutu_model::catalogue::Offre, pa: &Participation) {
    let o = &s.origine;
    let Some(g) = offre.prix.as_ref().and_then(|p| p.grille.as_ref()).filter(|g| g.colonnes.is_some()) else {
        ctx.at_key(
            o,
            &["offre", "participation"],
            Diagnostic::error(
                Code::ParticipationSansGrille,
                format!("la participation au service « {} » n'a pas de grille à deux dimensions pour la calculer", s.nom),
            )
            .expected("un `prix:` avec une `grille:` qui a des `lignes:` (le volume) et des `colonnes:` (les établissements)")
            .hint("décrivez la grille de prix de l'offre, ou retirez `participation:`"),
        );
        return;
    };
    let comptes = pa.comptes(offre, &ctx.p.territoire.membres);
    if g.montant(pa.volume.0, Some(rust_decimal::Decimal::from(comptes))).is_none() {
        let derniere = |a: &AxeGrille| a.paliers.last().map(|p| p.jusqu_a.0.to_string()).unwrap_or_default();
        ctx.at_value(
            o,
            &["offre", "participation", "volume"],
            Diagnostic::error(
                Code::ParticipationHorsGrille,
                format!(
                    "la participation au service « {} » tombe hors de la grille : volume {}, {} compté{}",
                    s.nom,
                    pa.volume.0,
                    mutu_base::texte::pluriel(comptes, "établissement", "établissements"),
                    if comptes > 1 { "s" } else { "" }
                ),
            )
            .expected(format!(
                "un volume d'au plus {} et au plus {} établissements comptés",
                derniere(&g.lignes),
                g.colonnes.as_ref().map(derniere).unwrap_or_default()
            ))
            .hint("vérifiez le volume et les établissements, ou ajoutez à la grille le palier qui manque"),
        );
    }
}

fn grille(ctx: &mut Ctx, o: &Origine, g: &GrillePrix) {
    axe(ctx, o, "lignes", &g.lignes);
    if let Some(c) = &g.colonnes {
        axe(ctx, o, "colonnes", c);
    }
    let base = ["offre", "prix", "grille"];
    let n = g.lignes.paliers.len();
    let m = g.nb_colonnes();
    if g.montants.len() != n {
        ctx.at_key(
            o,
            &[base[0], base[1], base[2], "montants"],
            Diagnostic::error(
                Code::GrilleIncomplete,
                format!(
                    "la grille de prix a {} de montants pour {} de `lignes`",
                    pluriel(g.montants.len(), "ligne"),
                    pluriel(n, "palier")
                ),
            )
            .expected(format!("une ligne de montants par palier de `lignes`, soit {n}"))
            .hint("ajoutez la ligne qui manque, ou retirez le palier sans montants"),
        );
    }
    for (i, ligne) in g.montants.iter().enumerate() {
        if ligne.len() != m {
            let libelle = g.lignes.paliers.get(i).map_or(String::new(), |p| format!(" (« {} »)", p.libelle));
            ctx.at_value(
                o,
                &[base[0], base[1], base[2], "montants", &i.to_string()],
                Diagnostic::error(
                    Code::GrilleIncomplete,
                    format!(
                        "la ligne {}{libelle} de la grille de prix a {} au lieu de {m}",
                        i + 1,
                        pluriel(ligne.len(), "montant")
                    ),
                )
                .expected(if g.colonnes.is_some() {
                    format!("un montant par palier de `colonnes`, soit {m}")
                } else {
                    "un seul montant par ligne (la grille n'a pas de colonnes)".to_string()
                })
                .hint("complétez la ligne, dans l'ordre des paliers de `colonnes`"),
            );
        }
    }
}

fn axe(ctx: &mut Ctx, o: &Origine, nom: &str, a: &AxeGrille) {
    if a.paliers.is_empty() {
        ctx.at_key(
            o,
            &["offre", "prix", "grille", nom],
            Diagnostic::error(Code::GrilleIncomplete, format!("la grille de prix n'a aucun palier dans `{nom}`"))
                .expected("au moins un palier : `- {libelle: 250 Go, jusqu_a: 250}`")
                .hint("ajoutez les paliers, du plus petit au plus grand"),
        );
    }
    for (i, w) in a.paliers.windows(2).enumerate() {
        if w[1].jusqu_a.0 <= w[0].jusqu_a.0 {
            ctx.at_value(
                o,
                &["offre", "prix", "grille", nom, "paliers", &(i + 1).to_string(), "jusqu_a"],
                Diagnostic::error(
                    Code::GrillePaliersDesordonnes,
                    format!(
                        "le palier « {} » de `{nom}` ne dépasse pas le précédent (« {} ») : {} après {}",
                        w[1].libelle, w[0].libelle, w[1].jusqu_a.0, w[0].jusqu_a.0
                    ),
                )
                .expected(format!("une borne `jusqu_a` supérieure à {}", w[0].jusqu_a.0))
                .hint("écrivez les paliers du plus petit au plus grand"),
            );
        }
    }
}

fn pluriel(n: usize, mot: &str) -> String {
    mutu_base::texte::pluriel(n, mot, &mutu_base::texte::pluriel_nom(mot))
}
