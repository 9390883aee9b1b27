//! The « Évolutions » page (site and PDF section) and each member's line of
//! it in words, for its commune page and PDF extract. Every figure comes
//! from [`mutu_compute::evolutions`] and is formatted through
//! [`Grandeur`]; a figure N-1 lacks reads « pas de donnée pour N-1 ».

use super::blocs::{page, titre};
use super::cells::{chiffre_signe, entete, entete_lien, euros, euros_signe, pourcentage_signe, tableau, texte, total};
use super::{Bloc, Cellule, Page, Rubrique};
use mutu_base::format::Grandeur;
use mutu_compute::evolutions::{Comparaison, EvolutionMembre, Evolutions, LigneEvolution, NatureEffets, SourceCout, Variation};
use mutu_compute::Modele;
use mutu_model::fiches::Statut;
use rust_decimal::Decimal;

/// Id of the page (and, through [`super::build::section_pdf`], of its PDF section).
pub const PAGE: &str = "evolutions";

/// « pas de donnée pour 2022 ».
pub fn sans_donnee(annee: i32) -> String {
    format!("pas de donnée pour {annee}")
}

/// Whether the page exists: something can be compared (a service, a member or a fiche).
pub fn page_evolutions_existe(m: &Modele) -> bool {
    let e = &m.evolutions;
    !(e.services.is_empty() && e.membres.is_empty() && e.fiches.is_empty())
}

/// The page, or none when nothing can be compared (no service, no member, no fiche).
pub fn page_evolutions(m: &Modele) -> Option<Page> {
    let e = &m.evolutions;
    if !page_evolutions_existe(m) {
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
            .map(|x| format!("adhésion de {} le {}", x.nom, x.date.longue()))
            .chain(s.departs.iter().map(|x| format!("départ de {} le {}", x.nom, x.date.longue())))
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
            let mut nom = if s.couts.len() > 1 {
                format!("{} ({})", s.nom, c.taxes.libelle())
            } else {
                s.nom.clone()
            };
            if c.source == SourceCout::Repartitions {
                nom.push_str(" — total facturé");
            }
            let mut row = vec![entete_lien(nom, format!("services/{}", s.service))];
            row.extend(cellules_comparaison(&c.cout, a, n, Grandeur::Montant));
            row.push(texte(mouvements.clone()));
            t.lignes.push(row);
        }
    }
    t.note = Some("Coût : total des dépenses du bilan de l'exercice. Pour un service sans bilan, facturé au tarif, le total facturé aux membres (« total facturé »). Un service sans bilan ni répartition n'a pas de coût comparé (« pas de donnée »).".into());
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
                ("Effet coût ou tarif", true),
                ("Effet part ou quantité", true),
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
            "Effet coût : ce qu'aurait changé l'évolution du coût du service si la part du membre était restée la même ; effet part : ce qu'a changé l'évolution de sa part (population, valeurs de la clé, exonération, prorata).".to_string(),
            "Pour un service facturé au tarif (unités d'œuvre, grille), effet quantité : l'écart de quantité au tarif de l'année précédente ; effet tarif : ce qu'a changé le tarif sur la quantité de l'année.".to_string(),
            "L'effet coût (ou quantité) est arrondi au centime ; l'autre est l'écart moins celui-ci, il porte donc le centime d'arrondi : les colonnes s'additionnent exactement à l'écart.".to_string(),
            format!("Un service sans répartition en {a} n'est pas compté dans l'écart."),
        ];
        if e.membres.iter().any(compare_rien) {
            note.push(
                "Un membre qu'aucun service ne permet de comparer figure avec le montant connu pour l'une des deux années, hors du total des membres comparés."
                    .to_string(),
            );
        }
        t.note = Some(mutu_base::format::phrases(note));
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
        let nommer = |pred: &dyn Fn(&mutu_compute::evolutions::EvolutionFiche) -> bool| -> Vec<String> {
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
            (x.effet_cout, "par l'évolution du coût ou du tarif des services"),
            (x.effet_part, "par l'évolution de sa part ou de ses quantités"),
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
    let corps = match &l.variation {
        Variation::Comparee {
            avant,
            apres,
            decomposition: d,
            ..
        } => {
            let raisons: Vec<String> = termes(l).into_iter().map(|(_, t)| t).collect();
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

/// The terms explaining a compared line, each with its amount: they add up
/// to the line's change exactly (the zero ones are left out). A shared
/// cost says its cost effect and share effect; a unit tariff says its
/// quantity times the tariff and its tariff change, in the key's unit.
fn termes(l: &LigneEvolution) -> Vec<(Decimal, String)> {
    let m = Grandeur::Montant;
    let q = Grandeur::Quantite;
    let Variation::Comparee {
        decomposition: d,
        cout_pourcentage,
        part_avant,
        part_apres,
        base,
        tarifs,
        ..
    } = &l.variation
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let cent = Decimal::new(1, 2);
    if d.nature == NatureEffets::QuantiteTarif && !tarifs.is_empty() {
        let plusieurs = tarifs.len() > 1;
        for t in tarifs.iter().filter(|t| !t.effet_quantite.is_zero()) {
            let delta = t.quantite_apres - t.quantite_avant;
            let quoi = if t.grille {
                let structures = |x: &Decimal| mutu_base::texte::pluriel_decimal(x, "structure", "structures");
                format!("{} au lieu de {}", structures(&t.quantite_apres), structures(&t.quantite_avant))
            } else {
                let unite = t.unite.as_deref().unwrap_or("unité");
                format!("{} de {}", quantite(&delta.abs(), unite), if delta > Decimal::ZERO { "plus" } else { "moins" })
            };
            let cle = if plusieurs { format!(" (« {} »)", t.cle_libelle) } else { String::new() };
            out.push((
                t.effet_quantite,
                format!("{} pour {quoi} × {}{cle}", m.texte_signe(&t.effet_quantite), m.texte(&t.tarif_avant)),
            ));
        }
        if !d.effet_cout.is_zero() {
            let changes: Vec<String> = tarifs
                .iter()
                .filter(|t| t.tarif_avant != t.tarif_apres)
                .map(|t| {
                    if t.grille {
                        let pop = base
                            .as_deref()
                            .filter(|b| b.avant != b.apres)
                            .map(|b| format!(" (population de {} à {} habitants)", q.texte(&b.avant), q.texte(&b.apres)))
                            .unwrap_or_default();
                        format!(
                            "le forfait de sa tranche de population est passé de {} à {}{pop}",
                            m.texte(&t.tarif_avant),
                            m.texte(&t.tarif_apres)
                        )
                    } else {
                        let unite = t.unite.as_deref().unwrap_or("unité");
                        format!(
                            "le tarif{} est passé de {} à {} par {unite} ({} × {})",
                            if plusieurs { format!(" « {} »", t.cle_libelle) } else { String::new() },
                            m.texte(&t.tarif_avant),
                            m.texte(&t.tarif_apres),
                            quantite(&t.quantite_apres, unite),
                            m.texte_signe(&(t.tarif_apres - t.tarif_avant))
                        )
                    }
                })
                .collect();
            let texte = if changes.is_empty() {
                format!("{} d'arrondi au centime", m.texte_signe(&d.effet_cout))
            } else {
                format!("{} parce que {}", m.texte_signe(&d.effet_cout), changes.join(" et "))
            };
            out.push((d.effet_cout, texte));
        }
        return out;
    }
    if !d.effet_cout.is_zero() {
        let sens = match cout_pourcentage {
            Some(x) if *x > Decimal::ZERO => format!("a augmenté de {}", Grandeur::Pourcentage.texte(x)),
            Some(x) if *x < Decimal::ZERO => format!("a diminué de {}", Grandeur::Pourcentage.texte(&x.abs())),
            _ => "a changé".to_string(),
        };
        out.push((d.effet_cout, format!("{} parce que le coût du service {sens}", m.texte_signe(&d.effet_cout))));
    }
    let meme_part = Grandeur::Pourcentage.texte(part_avant) == Grandeur::Pourcentage.texte(part_apres);
    if meme_part && !d.effet_part.is_zero() && d.effet_part.abs() <= cent {
        // Only the rounding cent the share effect carries: « sa part est
        // passée de 3,02 % à 3,02 % » would make no sense to a reader.
        out.push((d.effet_part, format!("{} d'arrondi au centime", m.texte_signe(&d.effet_part))));
    } else if !d.effet_part.is_zero() {
        let pourquoi = match base.as_deref() {
            Some(b) if b.avant != b.apres && b.population => {
                format!(
                    "la {} de la commune est passée de {} à {}",
                    b.base_libelle,
                    q.texte(&b.avant),
                    q.texte(&b.apres)
                )
            }
            Some(b) if b.avant != b.apres => format!(
                "sa base pour la clé « {} » est passée de {} à {}",
                b.cle_libelle,
                quantite_ou_nombre(&b.avant, b.unite.as_deref()),
                quantite_ou_nombre(&b.apres, b.unite.as_deref())
            ),
            _ => format!(
                "sa part du coût est passée de {} à {}",
                Grandeur::Pourcentage.texte(part_avant),
                Grandeur::Pourcentage.texte(part_apres)
            ),
        };
        out.push((d.effet_part, format!("{} parce que {pourquoi}", m.texte_signe(&d.effet_part))));
    }
    out
}

/// « 6 jours », « 1 jour », « 4,5 jours » (a quantity after pro rata is
/// shown to the hundredth).
fn quantite(x: &Decimal, unite: &str) -> String {
    let x = x.round_dp(2).normalize();
    mutu_base::texte::pluriel_decimal(&x, unite, &mutu_base::texte::pluriel_nom(unite))
}

fn quantite_ou_nombre(x: &Decimal, unite: Option<&str>) -> String {
    match unite {
        Some(u) => quantite(x, u),
        None => Grandeur::Quantite.texte(x),
    }
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
    use mutu_compute::evolutions::{decompose, decompose_tarifs, BaseEvolution, TarifEvolution};
    use mutu_model::services::Taxes;
    use proptest::prelude::*;

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
                tarifs: Vec::new(),
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

    fn tarif(avant: Decimal, apres: Decimal, mut t: TarifEvolution) -> LigneEvolution {
        t.effet_quantite = ((t.quantite_apres - t.quantite_avant) * t.tarif_avant).round_dp(2);
        let tarifs = vec![t];
        LigneEvolution {
            service: "archives".into(),
            service_nom: "Archiviste itinérant".into(),
            taxes: Taxes::Ttc,
            variation: Variation::Comparee {
                avant,
                apres,
                decomposition: decompose_tarifs(avant, apres, &tarifs),
                cout_avant: avant,
                cout_apres: apres,
                cout_pourcentage: None,
                part_avant: d("100"),
                part_apres: d("100"),
                base: None,
                tarifs,
            },
        }
    }

    fn cle(grille: bool, unite: Option<&str>, q0: &str, q1: &str, t0: &str, t1: &str) -> TarifEvolution {
        TarifEvolution {
            genre: "k".into(),
            cle_libelle: "Clé".into(),
            grille,
            unite: unite.map(str::to_string),
            quantite_avant: d(q0),
            quantite_apres: d(q1),
            tarif_avant: d(t0),
            tarif_apres: d(t1),
            effet_quantite: Decimal::ZERO,
        }
    }

    /// Espelette's archivist (issue 23): 13 days, then 7, at 265 € a day —
    /// days times the tariff, in days, not a cost and a share.
    #[test]
    fn a_unit_tariff_is_units_times_the_tariff() {
        let t = cle(false, Some("jour"), "13", "7", "265", "265");
        let l = tarif(d("3445.00"), d("1855.00"), t.clone());
        assert_eq!(
            phrase_ligne(2023, 2024, &l),
            "Archiviste itinérant : −1\u{202f}590,00\u{a0}€ (3\u{202f}445,00\u{a0}€ en 2023, 1\u{202f}855,00\u{a0}€ en 2024) : −1\u{202f}590,00\u{a0}€ pour 6 jours de moins × 265,00\u{a0}€."
        );
        // The tariff rises too: 7 days × +5 €.
        let t2 = TarifEvolution { tarif_apres: d("270"), ..t };
        let l = tarif(d("3445.00"), d("1890.00"), t2);
        assert_eq!(
            phrase_ligne(2023, 2024, &l).replace(['\u{202f}', '\u{a0}'], " "),
            "Archiviste itinérant : −1 555,00 € (3 445,00 € en 2023, 1 890,00 € en 2024) : −1 590,00 € pour 6 jours de moins × 265,00 €, +35,00 € parce que le tarif est passé de 265,00 € à 270,00 € par jour (7 jours × +5,00 €)."
        );
    }

    #[test]
    fn a_grid_names_the_forfait_of_the_band() {
        let t = cle(true, None, "1", "1", "500", "800");
        let mut l = tarif(d("500.00"), d("800.00"), t);
        if let Variation::Comparee { base, .. } = &mut l.variation {
            *base = Some(Box::new(BaseEvolution {
                cle_libelle: "Grille ADS".into(),
                base_libelle: "grille".into(),
                population: false,
                unite: None,
                avant: d("1950"),
                apres: d("2050"),
            }));
        }
        assert_eq!(
            phrase_ligne(2023, 2024, &l).replace(['\u{202f}', '\u{a0}'], " "),
            "Archiviste itinérant : +300,00 € (500,00 € en 2023, 800,00 € en 2024) : +300,00 € parce que le forfait de sa tranche de population est passé de 500,00 € à 800,00 € (population de 1 950 à 2 050 habitants)."
        );
    }

    /// The amount a term's sentence opens with, read back from the text.
    fn montant_lu(t: &str) -> Decimal {
        let debut = t.split('€').next().unwrap();
        debut
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{202f}' | '\u{a0}' | '+'))
            .map(|c| match c {
                '\u{2212}' => '-',
                ',' => '.',
                c => c,
            })
            .collect::<String>()
            .parse()
            .unwrap()
    }

    proptest! {
        /// Every key kind: the terms add up to the change to the cent, each
        /// sentence says the amount it carries, and the wording is the
        /// kind's: units × tariff for `unites_d_oeuvre`, the band's forfait
        /// for a grid, the cost and the share for a shared cost.
        #[test]
        fn terms_add_up_and_speak_the_kind(
            genre in 0u8..3,
            q0 in 0u32..500, q1 in 0u32..500,
            t0 in 1i64..100_000, t1 in 1i64..100_000,
            c0 in 1i64..1_000_000_000, c1 in 1i64..1_000_000_000,
            a0 in 1i64..100_000_000, a1 in 1i64..100_000_000,
        ) {
            let (t0, t1) = (Decimal::new(t0, 2), Decimal::new(t1, 2));
            let l = if genre < 2 {
                let grille = genre == 1;
                let (q0, q1) = if grille { (Decimal::from(q0 % 3 + 1), Decimal::from(q1 % 3 + 1)) } else { (Decimal::from(q0), Decimal::from(q1)) };
                let montant = |q: Decimal, t: Decimal| (q * t).round_dp(2);
                let (a, b) = (montant(q0, t0), montant(q1, t1));
                prop_assume!(!a.is_zero() && !b.is_zero());
                let mut t = cle(grille, (!grille).then_some("jour"), "0", "0", "0", "0");
                t.quantite_avant = q0;
                t.quantite_apres = q1;
                t.tarif_avant = t0;
                t.tarif_apres = t1;
                tarif(a, b, t)
            } else {
                let (a, b, c0, c1) = (Decimal::new(a0, 2), Decimal::new(a1, 2), Decimal::new(c0.max(a0), 2), Decimal::new(c1.max(a1), 2));
                LigneEvolution {
                    service: "ads".into(),
                    service_nom: "ADS".into(),
                    taxes: Taxes::Ttc,
                    variation: Variation::Comparee {
                        avant: a, apres: b,
                        decomposition: decompose(a, b, c0, c1),
                        cout_avant: c0, cout_apres: c1,
                        cout_pourcentage: Some(mutu_compute::pct(c1 - c0, c0)),
                        part_avant: mutu_compute::pct(a, c0),
                        part_apres: mutu_compute::pct(b, c1),
                        base: None,
                        tarifs: Vec::new(),
                    },
                }
            };
            let Variation::Comparee { avant, apres, .. } = &l.variation else { unreachable!() };
            let ts = termes(&l);
            let somme: Decimal = ts.iter().map(|(x, _)| *x).sum();
            prop_assert_eq!(somme, *apres - *avant);
            for (x, texte) in &ts {
                prop_assert_eq!(montant_lu(texte), *x, "{}", texte);
                let arrondi = texte.contains("d'arrondi au centime");
                match genre {
                    0 => prop_assert!(arrondi || texte.contains(" × ") || texte.contains("le tarif est passé"), "{}", texte),
                    1 => prop_assert!(arrondi || texte.contains("structure") || texte.contains("forfait de sa tranche"), "{}", texte),
                    _ => prop_assert!(arrondi || texte.contains("coût du service") || texte.contains("sa part du coût"), "{}", texte),
                }
                if genre < 2 {
                    prop_assert!(!texte.contains("coût du service") && !texte.contains("sa part"), "{}", texte);
                }
            }
        }
    }
}
