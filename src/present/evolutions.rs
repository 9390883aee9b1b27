//! The « Évolutions » page (site and PDF section) and each member's line of
//! it in words, for its commune page and PDF extract. Every figure comes
//! from [`crate::compute::evolutions`] and is formatted through
//! [`Grandeur`]; a figure N-1 lacks reads « pas de donnée pour N-1 ».

use super::build::{page, titre};
use super::cells::{chiffre_signe, entete, entete_lien, euros, euros_signe, pourcentage_signe, tableau, texte, total};
use super::{Bloc, Cellule, Page, Rubrique};
use crate::compute::evolutions::{Comparaison, EvolutionMembre, Evolutions, LigneEvolution, Variation};
use crate::compute::Modele;
use crate::format::Grandeur;
use crate::model::fiches::Statut;
use rust_decimal::Decimal;

/// Id of the page (and, through [`super::build::section_pdf`], of its PDF section).
pub const PAGE: &str = "evolutions";

/// « pas de donnée pour 2022 ».
pub fn sans_donnee(annee: i32) -> String {
    format!("pas de donnée pour {annee}")
}

/// The page, or none when nothing can be compared (no service, no member, no fiche).
pub fn page_evolutions(m: &Modele) -> Option<Page> {
    let e = &m.evolutions;
    if e.services.is_empty() && e.membres.is_empty() && e.fiches.is_empty() {
        return None;
    }
    let (n, a) = (e.annee, e.annee_precedente);
    let mut p = page(PAGE, format!("Évolutions entre {a} et {n}"), Rubrique::Finances, Some("finances"));
    p.pdf = true;
    p.resume = Some(format!(
        "Ce qui a changé entre {a} et {n} : coût des services, contribution de chaque membre expliquée au centime, avancement des fiches-actions, indicateurs."
    ));
    p.blocs.push(Bloc::Paragraphe {
        texte: format!(
            "Chaque chiffre de l'exercice {n} est comparé à celui de {a}. Quand {a} n'a pas de chiffre, le tableau le dit (« {} ») au lieu de compter zéro.",
            sans_donnee(a)
        ),
    });

    p.blocs.push(titre(2, "Coût des services"));
    let mut t = tableau(
        "evolutions-services",
        format!("Coût des services, {a} et {n}"),
        &[
            ("Service", false),
            (&format!("Coût {a}"), true),
            (&format!("Coût {n}"), true),
            ("Écart", true),
            ("Évolution", true),
            ("Adhésions et départs", false),
        ],
    );
    for s in &e.services {
        let mouvements: Vec<String> = s
            .adhesions
            .iter()
            .map(|x| format!("adhésion de {} le {}", x.nom, crate::format::date_longue(&x.date)))
            .chain(
                s.departs
                    .iter()
                    .map(|x| format!("départ de {} le {}", x.nom, crate::format::date_longue(&x.date))),
            )
            .collect();
        let mouvements = if mouvements.is_empty() { "aucun".to_string() } else { mouvements.join(" ; ") };
        if s.couts.is_empty() {
            let mut row = vec![
                entete_lien(s.nom.clone(), format!("services/{}", s.service)),
                texte(sans_donnee(a)),
                texte(sans_donnee(n)),
            ];
            row.extend([texte("—"), texte("—"), texte(mouvements.clone())]);
            t.lignes.push(row);
        }
        for c in &s.couts {
            let nom = if s.couts.len() > 1 {
                format!("{} ({})", s.nom, c.taxes.libelle())
            } else {
                s.nom.clone()
            };
            let mut row = vec![entete_lien(nom, format!("services/{}", s.service))];
            row.extend(cellules_comparaison(&c.cout, a, n, Grandeur::Montant));
            row.push(texte(mouvements.clone()));
            t.lignes.push(row);
        }
    }
    t.note = Some("Coût : total des dépenses du bilan de l'exercice. Un service sans bilan n'a pas de coût comparé (« pas de donnée »).".into());
    p.blocs.push(Bloc::Tableau(t));
    let cles: Vec<String> = e
        .services
        .iter()
        .filter(|s| s.cles_avant != s.cles_apres && !s.cles_avant.is_empty())
        .map(|s| {
            // Key labels often carry their year: the years are in the page title.
            format!("{} : {} → {}", s.nom, s.cles_avant.join(", "), liste_ou(&s.cles_apres, "aucune clé"))
        })
        .collect();
    if !cles.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: "Clés de répartition changées :".into(),
        });
        p.blocs.push(Bloc::Liste { elements: cles });
    }

    if !e.membres.is_empty() {
        p.blocs.push(titre(2, "Contribution des membres"));
        let mut t = tableau(
            "evolutions-membres",
            format!("Contribution des membres, {a} et {n}, et ce qui explique l'écart"),
            &[
                ("Membre", false),
                (&a.to_string(), true),
                (&n.to_string(), true),
                ("Écart", true),
                ("Effet coût", true),
                ("Effet part", true),
                ("Services nouveaux", true),
                ("Services terminés", true),
            ],
        );
        t.detail = Some(super::DetailPdf::Evolutions);
        let mut somme = [Decimal::ZERO; 7];
        for x in &e.membres {
            // Members have a page, partners none.
            let a_une_page = m.membres.iter().any(|b| b.id == x.membre);
            let mut row = vec![if a_une_page {
                entete_lien(x.nom.clone(), format!("communes/{}", x.membre))
            } else {
                entete(x.nom.clone())
            }];
            if compare_rien(x) {
                // Nothing to compare, but the amount known for one year is
                // what the member's reader looks for: shown, out of the total.
                let (avant, apres) = montants_sans_comparaison(x);
                row.push(if avant.is_zero() { texte(sans_donnee(a)) } else { euros(&avant) });
                row.push(if apres.is_zero() { texte(sans_donnee(n)) } else { euros(&apres) });
                row.extend(std::iter::repeat_n(texte("—"), 5));
            } else {
                let v = [x.avant, x.apres, x.ecart, x.effet_cout, x.effet_part, x.nouveaux, x.termines];
                for (k, d) in v.iter().enumerate() {
                    somme[k] += d;
                    row.push(if k < 2 { euros(d) } else { euros_signe(d) });
                }
            }
            t.lignes.push(row);
        }
        let mut pied = vec![total("Total des membres comparés")];
        pied.extend(somme.iter().enumerate().map(|(k, d)| if k < 2 { euros(d) } else { euros_signe(d) }));
        t.pied.push(pied);
        let mut note = vec![
            "Effet coût : ce qu'aurait changé l'évolution du coût du service si la part du membre était restée la même.".to_string(),
            "Effet part : ce qu'a changé l'évolution de sa part (population, unités consommées, tarif, exonération, prorata).".to_string(),
            "L'effet coût est arrondi au centime ; l'effet part est l'écart moins l'effet coût, il porte donc le centime d'arrondi : les colonnes s'additionnent exactement à l'écart.".to_string(),
            format!("Un service sans répartition en {a} n'est pas compté dans l'écart."),
        ];
        if e.membres.iter().any(compare_rien) {
            note.push(
                "Un membre qu'aucun service ne permet de comparer figure avec le montant connu pour l'une des deux années, hors du total des membres comparés."
                    .to_string(),
            );
        }
        t.note = Some(crate::format::phrases(note));
        p.blocs.push(Bloc::Tableau(t));
        p.blocs.push(titre(2, "Explication par membre"));
        for x in &e.membres {
            p.blocs.push(titre(3, x.nom.clone()));
            p.blocs.push(Bloc::Liste {
                elements: phrases_membre(e, x),
            });
        }
    }

    if let Some(c) = &e.emplois_permanents {
        p.blocs.push(titre(2, "Effectifs des services communs"));
        let texte = match c {
            Comparaison::Comparee { avant, apres, .. } => format!(
                "Emplois permanents : {} en {a}, {} en {n} ({}).",
                Grandeur::Quantite.texte(avant),
                Grandeur::Quantite.texte(apres),
                Grandeur::Quantite.texte_signe(&(*apres - *avant))
            ),
            Comparaison::SansDonneePrecedente { apres } => {
                format!("Emplois permanents : {} en {n} ; {}.", Grandeur::Quantite.texte(apres), sans_donnee(a))
            }
            Comparaison::SansDonneeCourante { avant } => {
                format!("Emplois permanents : {} en {a} ; pas de donnée pour {n}.", Grandeur::Quantite.texte(avant))
            }
        };
        p.blocs.push(Bloc::Paragraphe { texte });
    }

    if !e.fiches.is_empty() {
        p.blocs.push(titre(2, "Avancement des fiches-actions"));
        // Fiches engaged or brought to an end during the year, named first.
        let nommer = |pred: &dyn Fn(&crate::compute::evolutions::EvolutionFiche) -> bool| -> Vec<String> {
            e.fiches.iter().filter(|f| pred(f)).map(|f| format!("« {} »", f.piste)).collect()
        };
        let engagees = nommer(&|f| matches!(f.avant, Some(Statut::AEngager | Statut::EnReflexion)) && matches!(f.apres, Statut::EnCours | Statut::Realisee));
        let closes = nommer(&|f| {
            f.avant.is_some_and(|x| !matches!(x, Statut::Realisee | Statut::Abandonnee)) && matches!(f.apres, Statut::Realisee | Statut::Abandonnee)
        });
        for (liste, quoi) in [(&engagees, "engagées"), (&closes, "achevées ou arrêtées")] {
            if !liste.is_empty() {
                p.blocs.push(Bloc::Paragraphe {
                    texte: format!("Fiches-actions {quoi} en {n} : {}.", liste.join(", ")),
                });
            }
        }
        let mut t = tableau(
            "evolutions-fiches",
            format!("Statut des fiches-actions, {a} et {n}"),
            &[
                ("N°", false),
                ("Fiche-action", false),
                (&format!("Statut {a}"), false),
                (&format!("Statut {n}"), false),
            ],
        );
        for f in &e.fiches {
            t.lignes.push(vec![
                texte(f.numero.to_string()),
                entete_lien(f.piste.clone(), format!("fiches/{}", f.fiche)),
                texte(f.avant.map(|s| s.libelle().to_string()).unwrap_or_else(|| sans_donnee(a))),
                texte(f.apres.libelle()),
            ]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    if !e.indicateurs.is_empty() {
        p.blocs.push(titre(2, "Indicateurs qui ont le plus varié"));
        let mut t = tableau(
            "evolutions-indicateurs",
            format!("Indicateurs des services, {a} et {n}"),
            &[
                ("Indicateur", false),
                ("Service", false),
                (&a.to_string(), true),
                (&n.to_string(), true),
                ("Écart", true),
                ("Évolution", true),
            ],
        );
        for i in &e.indicateurs {
            let mut row = vec![entete(i.libelle.clone()), texte(i.service_nom.clone())];
            let mut cells = cellules_comparaison(&i.valeur, a, n, Grandeur::Quantite);
            cells.truncate(4);
            row.extend(cells);
            t.lignes.push(row);
        }
        p.blocs.push(Bloc::Tableau(t));
    }
    Some(p)
}

/// Before, after, change, % (four cells).
fn cellules_comparaison(c: &Comparaison, a: i32, n: i32, g: Grandeur) -> Vec<Cellule> {
    match c {
        Comparaison::Comparee {
            avant,
            apres,
            ecart,
            pourcentage,
        } => vec![
            super::cells::chiffre(g, avant),
            super::cells::chiffre(g, apres),
            chiffre_signe(g, ecart),
            pourcentage.as_ref().map(pourcentage_signe).unwrap_or_else(|| texte("—")),
        ],
        Comparaison::SansDonneePrecedente { apres } => vec![texte(sans_donnee(a)), super::cells::chiffre(g, apres), texte("—"), texte("—")],
        Comparaison::SansDonneeCourante { avant } => vec![super::cells::chiffre(g, avant), texte(sans_donnee(n)), texte("—"), texte("—")],
    }
}

fn liste_ou(v: &[String], vide: &str) -> String {
    if v.is_empty() {
        vide.to_string()
    } else {
        v.join(", ")
    }
}

/// Only lines without a figure: nothing compared.
fn compare_rien(x: &EvolutionMembre) -> bool {
    x.sans_donnee == x.lignes.len()
}

/// What a member compared on nothing paid in each year, as far as known:
/// the services with no figure for the other year.
fn montants_sans_comparaison(x: &EvolutionMembre) -> (Decimal, Decimal) {
    let mut out = (Decimal::ZERO, Decimal::ZERO);
    for l in &x.lignes {
        match &l.variation {
            Variation::SansDonneeCourante { avant } => out.0 += avant,
            Variation::SansDonneePrecedente { apres } => out.1 += apres,
            _ => {}
        }
    }
    out
}

/// The member's change in words: a summary, then one sentence per service.
pub fn phrases_membre(e: &Evolutions, x: &EvolutionMembre) -> Vec<String> {
    let (a, n) = (e.annee_precedente, e.annee);
    let m = Grandeur::Montant;
    let mut out = Vec::new();
    if compare_rien(x) {
        out.push(format!("Contribution {a} → {n} : {}.", sans_donnee(a)));
    } else {
        let mut parts = Vec::new();
        for (d, quoi) in [
            (x.effet_cout, "par l'évolution du coût des services"),
            (x.effet_part, "par l'évolution de sa part"),
            (x.nouveaux, "pour des services nouveaux"),
            (x.termines, "pour des services terminés"),
        ] {
            if !d.is_zero() {
                parts.push(format!("{} {quoi}", m.texte_signe(&d)));
            }
        }
        let hors = if x.sans_donnee > 0 {
            " (hors services sans donnée l'une des deux années)".to_string()
        } else {
            String::new()
        };
        out.push(format!(
            "Contribution {a} → {n}{hors} : {} → {}, soit {}{}.",
            m.texte(&x.avant),
            m.texte(&x.apres),
            m.texte_signe(&x.ecart),
            if parts.is_empty() {
                String::new()
            } else {
                format!(" : {}", parts.join(", "))
            }
        ));
    }
    out.extend(x.lignes.iter().map(|l| phrase_ligne(a, n, l)));
    out
}

/// « Service : +412,30 € : +380,10 € parce que le coût du service a augmenté de 6 %, … ».
fn phrase_ligne(a: i32, n: i32, l: &LigneEvolution) -> String {
    let m = Grandeur::Montant;
    let q = Grandeur::Quantite;
    let corps = match &l.variation {
        Variation::Comparee {
            avant,
            apres,
            decomposition: d,
            cout_pourcentage,
            part_avant,
            part_apres,
            base,
            ..
        } => {
            let mut raisons = Vec::new();
            if !d.effet_cout.is_zero() {
                let sens = match cout_pourcentage {
                    Some(x) if *x > Decimal::ZERO => format!("a augmenté de {}", Grandeur::Pourcentage.texte(x)),
                    Some(x) if *x < Decimal::ZERO => format!("a diminué de {}", Grandeur::Pourcentage.texte(&x.abs())),
                    _ => "a changé".to_string(),
                };
                raisons.push(format!("{} parce que le coût du service {sens}", m.texte_signe(&d.effet_cout)));
            }
            let meme_part = Grandeur::Pourcentage.texte(part_avant) == Grandeur::Pourcentage.texte(part_apres);
            if meme_part && !d.effet_part.is_zero() && d.effet_part.abs() <= Decimal::new(1, 2) {
                // Only the rounding cent the share effect carries: « sa part est
                // passée de 3,02 % à 3,02 % » would make no sense to a reader.
                raisons.push(format!("{} d'arrondi au centime", m.texte_signe(&d.effet_part)));
            } else if !d.effet_part.is_zero() {
                let pourquoi = match base {
                    Some(b) if b.avant != b.apres && b.population => {
                        format!(
                            "la {} de la commune est passée de {} à {}",
                            b.base_libelle,
                            q.texte(&b.avant),
                            q.texte(&b.apres)
                        )
                    }
                    Some(b) if b.avant != b.apres => format!(
                        "sa valeur de base pour la clé « {} » ({}) est passée de {} à {}",
                        b.cle_libelle,
                        b.base_libelle,
                        q.texte(&b.avant),
                        q.texte(&b.apres)
                    ),
                    _ => format!(
                        "sa part du coût est passée de {} à {}",
                        Grandeur::Pourcentage.texte(part_avant),
                        Grandeur::Pourcentage.texte(part_apres)
                    ),
                };
                raisons.push(format!("{} parce que {pourquoi}", m.texte_signe(&d.effet_part)));
            }
            let raisons = if raisons.is_empty() {
                "montant inchangé".to_string()
            } else {
                raisons.join(", ")
            };
            format!("{} ({} en {a}, {} en {n}) : {raisons}", m.texte_signe(&d.ecart), m.texte(avant), m.texte(apres))
        }
        Variation::Nouveau { apres } => format!("{} : service payé en {n} et pas en {a}", m.texte_signe(apres)),
        Variation::Termine { avant } => format!("{} : service payé en {a} et plus en {n}", m.texte_signe(&-avant)),
        Variation::SansDonneePrecedente { apres } => format!("{} en {n} ; {}", m.texte(apres), sans_donnee(a)),
        Variation::SansDonneeCourante { avant } => format!("{} en {a} ; {}", m.texte(avant), sans_donnee(n)),
    };
    format!("{} : {corps}.", l.service_nom)
}

/// The member's line for its commune page and PDF extract (nothing when it
/// pays nothing in either year).
pub fn blocs_membre(m: &Modele, membre: &str) -> Vec<Bloc> {
    let e = &m.evolutions;
    let Some(x) = e.membres.iter().find(|x| x.membre == membre) else {
        return Vec::new();
    };
    vec![
        titre(2, format!("Ce qui a changé depuis {}", e.annee_precedente)),
        Bloc::Liste {
            elements: phrases_membre(e, x),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compute::evolutions::{decompose, BaseEvolution};
    use crate::model::services::Taxes;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_line_in_words_names_the_cost_and_the_population() {
        let (avant, apres, cout_avant, cout_apres) = (d("6335.00"), d("6747.30"), d("100000.00"), d("106000.00"));
        let l = LigneEvolution {
            service: "ads".into(),
            service_nom: "Instruction ADS".into(),
            taxes: Taxes::Ttc,
            variation: Variation::Comparee {
                avant,
                apres,
                decomposition: decompose(avant, apres, cout_avant, cout_apres),
                cout_avant,
                cout_apres,
                cout_pourcentage: Some(d("6.00")),
                part_avant: d("6.34"),
                part_apres: d("6.37"),
                base: Some(Box::new(BaseEvolution {
                    cle_libelle: "ADS : communes".into(),
                    base_libelle: "population DGF".into(),
                    population: true,
                    unite: None,
                    avant: d("1200"),
                    apres: d("1250"),
                })),
            },
        };
        assert_eq!(
            phrase_ligne(2022, 2023, &l).replace(['\u{202f}', '\u{a0}'], " "),
            "Instruction ADS : +412,30 € (6 335,00 € en 2022, 6 747,30 € en 2023) : +380,10 € parce que le coût du service a augmenté de 6 %, +32,20 € parce que la population DGF de la commune est passée de 1 200 à 1 250."
        );
        let n = LigneEvolution {
            variation: Variation::SansDonneePrecedente { apres: d("3959.00") },
            ..l
        };
        assert_eq!(
            phrase_ligne(2022, 2023, &n).replace(['\u{202f}', '\u{a0}'], " "),
            "Instruction ADS : 3 959,00 € en 2023 ; pas de donnée pour 2022."
        );
    }
}
