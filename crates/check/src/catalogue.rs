//! The offers of the catalogue: a price has one form, a grid has a
//! strictly increasing set of bands on each axis and an amount in every
//! cell, and no two free tiers cover the same kind of body. (The key a
//! price names is resolved with the other references.)

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_model::catalogue::{AxeGrille, GrillePrix};
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
