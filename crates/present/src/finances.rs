//! Finance pages: groupements de commandes and project assistance, staff,
//! what each member pays (with the list of titres de recettes to issue),
//! and the cross-footing of published totals.

use super::blocs::{page, titre};
use super::cells::{entete, entete_lien, entier, euros, nombre, tableau, texte, vide};
use super::charts::{Genre, Serie, Spec};
use super::{Bloc, DetailPdf, GenreEncadre, Page, Rubrique};
use mutu_compute::controles::Unite;
use mutu_compute::Modele;
use mutu_model::services::Taxes;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

pub fn pages(m: &Modele) -> Vec<Page> {
    let mut out = Vec::new();
    if !m.commande_publique.groupements.is_empty() || !m.commande_publique.assistance_maitrise_ouvrage.is_empty() {
        out.push(commande(m));
    }
    if !m.effectifs.lignes.is_empty() {
        out.push(effectifs(m));
    }
    out.push(contributions(m));
    // Internal build only: the public model has no controls.
    if !m.controles.is_empty() {
        out.push(controles(m));
    }
    out
}

fn commande(m: &Modele) -> Page {
    let cp = &m.commande_publique;
    let mut p = page(
        "commande-publique",
        "Commande publique : groupements et assistance aux projets",
        Rubrique::Finances,
        Some("finances"),
    );
    p.pdf = true;
    p.resume = Some("Groupements de commandes entre l'EPCI et ses membres, et marchés passés pour le compte des communes.".into());
    for tot in &cp.totaux {
        let year = tot.exercice;
        let mut members: Vec<String> = tot.par_membre.keys().cloned().collect();
        members.sort_by_key(|id| m.rang(id));
        p.blocs.push(titre(2, format!("Groupements de commandes {year}")));
        let mut cols: Vec<String> = vec!["Objet".into(), "Coordonnateur".into(), "Durée".into(), "Montant total HT".into()];
        cols.extend(members.iter().map(|id| format!("dont {} (HT)", m.nom(id))));
        cols.push("Autres membres (HT)".into());
        let colrefs: Vec<(&str, bool)> = cols.iter().enumerate().map(|(i, c)| (c.as_str(), i >= 3)).collect();
        let mut t = tableau(format!("groupements-{year}"), format!("Groupements de commandes {year}"), &colrefs);
        for g in cp.groupements.iter().filter(|g| g.groupement.exercice == year) {
            let gr = &g.groupement;
            let mut row = vec![
                entete(gr.objet.clone()),
                texte(m.nom(&gr.coordonnateur)),
                gr.duree.clone().map(texte).unwrap_or_else(vide),
                euros(&gr.total_ht.0),
            ];
            row.extend(members.iter().map(|id| gr.montants_ht.get(id).map(|v| euros(&v.0)).unwrap_or_else(vide)));
            row.push(euros(&g.reste_autres_membres));
            t.lignes.push(row);
        }
        let mut foot = vec![entete(format!("Total {year}")), texte(""), texte(""), euros(&tot.total_ht)];
        foot.extend(members.iter().map(|id| euros(&tot.par_membre[id])));
        foot.push(euros(&(tot.total_ht - tot.par_membre.values().sum::<Decimal>())));
        t.pied.push(foot);
        t.note = Some("Les montants « autres membres » sont la différence entre le total et les montants détaillés.".into());
        let gid = format!("groupements-{year}-graphique");
        let spec = Spec {
            genre: Genre::Barres,
            titre: format!("Montant HT des groupements de commandes {year}"),
            unite: "€".into(),
            categories: cp
                .groupements
                .iter()
                .filter(|g| g.groupement.exercice == year)
                .map(|g| g.groupement.objet.clone())
                .collect(),
            series: vec![Serie {
                nom: "Montant total HT".into(),
                valeurs: cp
                    .groupements
                    .iter()
                    .filter(|g| g.groupement.exercice == year)
                    .map(|g| g.groupement.total_ht.0)
                    .collect(),
            }],
        };
        p.blocs.push(super::graphiques::bloc(&spec, gid, &t.id));
        p.blocs.push(Bloc::Tableau(t));
    }
    for a in &cp.assistance_maitrise_ouvrage {
        p.blocs.push(titre(2, format!("Assistance à maîtrise d'ouvrage {}", a.amo.exercice)));
        if let Some(n) = a.amo.collectivites {
            p.blocs.push(Bloc::Paragraphe {
                texte: format!("Marchés passés pour le compte de {n} collectivités en {}.", a.amo.exercice),
            });
        }
        let mut t = tableau(
            format!("amo-{}", a.amo.exercice),
            format!("Marchés attribués pour les projets des membres en {}", a.amo.exercice),
            &[("Type de projet", false), ("Nombre de marchés", true), ("Volume financier HT", true)],
        );
        for l in &a.amo.lignes {
            t.lignes.push(vec![entete(l.genre.clone()), nombre(&l.marches.0), euros(&l.montant_ht.0)]);
        }
        t.pied.push(vec![entete("Total"), nombre(&a.total_marches), euros(&a.total_ht)]);
        p.blocs.push(Bloc::Tableau(t));
    }
    p
}

fn effectifs(m: &Modele) -> Page {
    let e = &m.effectifs;
    let mut p = page("effectifs", "Effectifs des services communs", Rubrique::Effectifs, Some("index"));
    p.pdf = true;
    p.resume = Some("Agents des services communs, équivalents temps plein et mises à disposition.".into());
    let year = e.exercice.map(|y| format!(" en {y}")).unwrap_or_default();
    let mut t = tableau(
        "effectifs",
        format!("Effectifs des services communs{year}"),
        &[
            ("Service", false),
            ("Agents", true),
            ("ETP", true),
            ("Mis à disposition", true),
            ("Hors refacturation", true),
        ],
    );
    for l in &e.lignes {
        let head = match &l.composante {
            None => entete_lien(l.libelle.clone(), format!("services/{}", l.service)),
            Some(_) => entete(l.libelle.clone()),
        };
        t.lignes.push(vec![
            head,
            nombre(&l.effectifs.agents),
            l.effectifs.etp.map(|d| nombre(&d)).unwrap_or_else(vide),
            nombre(&l.effectifs.mis_a_disposition),
            nombre(&l.effectifs.hors_refacturation),
        ]);
    }
    t.pied.push(vec![
        entete("Total"),
        nombre(&e.total.agents),
        e.total.etp.map(|d| nombre(&d)).unwrap_or_else(vide),
        nombre(&e.total.mis_a_disposition),
        nombre(&e.total.hors_refacturation),
    ]);
    t.note = e.note.clone();
    let gid = "effectifs-graphique".to_string();
    let spec = Spec {
        genre: Genre::Anneau,
        titre: format!("Répartition des agents{year}"),
        unite: "agents".into(),
        categories: e.lignes.iter().map(|l| l.libelle.clone()).collect(),
        series: vec![Serie {
            nom: "Agents".into(),
            valeurs: e.lignes.iter().map(|l| l.effectifs.agents).collect(),
        }],
    };
    p.blocs.push(super::graphiques::bloc(&spec, gid, &t.id));
    p.blocs.push(Bloc::Tableau(t));
    if !e.emplois_permanents.is_empty() {
        let mut t = tableau(
            "emplois-permanents",
            "Emplois permanents des services communs",
            &[("Année", false), ("Emplois permanents", true)],
        );
        for (y, n) in &e.emplois_permanents {
            t.lignes.push(vec![entete(y.to_string()), nombre(n)]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }
    p
}

/// The one rule of the tables of amounts, said under them: « — » where the
/// body has nothing to do with the column (no adhesion, no part in any
/// groupement), « 0,00 € » where it takes part and owes nothing (exempt,
/// nothing used); a total is always a figure.
pub const SANS_OBJET: &str = "« — » : l'organisme n'est pas concerné (il n'adhère pas au service, ne participe à aucun groupement) ; « 0,00 € » : il est concerné mais ne doit rien cette année ; un total est toujours un montant.";

fn contributions(m: &Modele) -> Page {
    let y = m.rapport.exercice;
    let mut p = page("finances", format!("Contributions des membres en {y}"), Rubrique::Finances, Some("index"));
    p.pdf = true;
    p.resume = Some(format!(
        "Ce que chaque membre paie en {y} pour les services mutualisés, et les titres de recettes à émettre."
    ));
    let services: BTreeSet<(String, String)> = m
        .releves
        .iter()
        .flat_map(|r| {
            r.exercices
                .iter()
                .filter(|e| e.exercice == y)
                .flat_map(|e| e.lignes.iter().map(|l| (l.service.clone(), l.service_nom.clone())))
        })
        .collect();
    let services: Vec<(String, String)> = services.into_iter().collect();
    let has_ht = m.releves.iter().any(|r| r.exercices.iter().any(|e| e.exercice == y && !e.total_ht.is_zero()))
        || m.services.iter().flat_map(|s| &s.repartitions).any(|r| {
            r.exercice == y
                && r.taxes == Taxes::Ht
                && r.parts
                    .iter()
                    .any(|x| (x.prise_en_charge || x.beneficiaire == m.epci.id) && !x.montant.is_zero())
        });
    let mut cols: Vec<String> = vec!["Organisme".into()];
    cols.extend(services.iter().map(|(_, n)| n.clone()));
    cols.push("Total TTC".into());
    if has_ht {
        cols.push("Total HT".into());
    }
    // The groupements of the year: the EPCI's own amount and what no body
    // is itemised for belong to the column too, so that its total is the
    // year's total of the groupements (the home page's figure).
    let groupements_annee = m.commande_publique.totaux.iter().find(|t| t.exercice == y);
    let epci_g = groupements_annee.and_then(|t| t.par_membre.get(&m.epci.id).copied());
    let autres_g: Decimal = m
        .commande_publique
        .groupements
        .iter()
        .filter(|g| g.groupement.exercice == y)
        .map(|g| g.reste_autres_membres)
        .sum();
    // A column for something the territory does not have is left out.
    let has_g = groupements_annee.is_some_and(|t| t.nombre > 0);
    if has_g {
        cols.push("Groupements (HT)".into());
    }
    let colrefs: Vec<(&str, bool)> = cols.iter().enumerate().map(|(i, c)| (c.as_str(), i > 0)).collect();
    let mut t = tableau(
        format!("contributions-{y}"),
        format!("Montant à la charge de chaque organisme en {y}"),
        &colrefs,
    );
    t.detail = Some(DetailPdf::Contributions);
    let (mut tot_ttc, mut tot_ht, mut tot_g) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut tot_services = vec![Decimal::ZERO; services.len()];
    // The EPCI's own share (taken before a split, or its part as a
    // beneficiary of a key) is the first row, and in the totals: the
    // columns then add up to the cost allocated.
    let mut epci_services = vec![None::<Decimal>; services.len()];
    let (mut epci_ttc, mut epci_ht) = (Decimal::ZERO, Decimal::ZERO);
    for s in &m.services {
        for r in s.repartitions.iter().filter(|r| r.exercice == y) {
            let k: Decimal = r
                .parts
                .iter()
                .filter(|x| x.prise_en_charge || x.beneficiaire == m.epci.id)
                .map(|x| x.montant)
                .sum();
            if k.is_zero() {
                continue;
            }
            if let Some(i) = services.iter().position(|(sid, _)| sid == &s.service.id) {
                *epci_services[i].get_or_insert(Decimal::ZERO) += k;
            }
            match r.taxes {
                Taxes::Ht => epci_ht += k,
                Taxes::Ttc => epci_ttc += k,
            }
        }
    }
    if epci_services.iter().any(Option::is_some) || epci_g.is_some() {
        let mut row = vec![entete(format!("{} (part de l'EPCI)", m.epci.sigle))];
        for (i, v) in epci_services.iter().enumerate() {
            row.push(v.map_or_else(vide, |v| {
                tot_services[i] += v;
                euros(&v)
            }));
        }
        row.push(euros(&epci_ttc));
        if has_ht {
            row.push(euros(&epci_ht));
        }
        if has_g {
            row.push(epci_g.map_or_else(vide, |g| {
                tot_g += g;
                euros(&g)
            }));
        }
        tot_ttc += epci_ttc;
        tot_ht += epci_ht;
        t.lignes.push(row);
    }
    for r in &m.releves {
        let Some(e) = r.exercices.iter().find(|e| e.exercice == y) else { continue };
        let head = if r.genre == "partenaire" {
            entete(r.nom.clone())
        } else {
            entete_lien(r.nom.clone(), format!("communes/{}", r.membre))
        };
        let mut row = vec![head];
        for (i, (sid, _)) in services.iter().enumerate() {
            let v: Vec<_> = e.lignes.iter().filter(|l| &l.service == sid).collect();
            if v.is_empty() {
                row.push(vide());
            } else {
                let sum: Decimal = v.iter().map(|l| l.montant).sum();
                tot_services[i] += sum;
                row.push(euros(&sum));
            }
        }
        row.push(euros(&e.total_ttc));
        if has_ht {
            row.push(euros(&e.total_ht));
        }
        if has_g {
            // « — »: the body takes part in no groupement this year.
            row.push(if e.groupements.is_empty() { vide() } else { euros(&e.total_groupements_ht) });
        }
        tot_ttc += e.total_ttc;
        tot_ht += e.total_ht;
        tot_g += e.total_groupements_ht;
        t.lignes.push(row);
    }
    if has_g && !autres_g.is_zero() {
        // Amounts of groupements not itemised by body (`autres_membres`).
        let mut row = vec![entete("Autres participants aux groupements, non détaillés")];
        row.extend(std::iter::repeat_n(vide(), services.len()));
        row.push(vide());
        if has_ht {
            row.push(vide());
        }
        row.push(euros(&autres_g));
        tot_g += autres_g;
        t.lignes.push(row);
    }
    let mut foot = vec![entete("Total")];
    foot.extend(tot_services.iter().map(euros));
    foot.push(euros(&tot_ttc));
    if has_ht {
        foot.push(euros(&tot_ht));
    }
    if has_g {
        foot.push(euros(&tot_g));
    }
    t.pied.push(foot);
    let mut note = format!("Une répartition HT et une répartition TTC ne sont jamais additionnées : chaque colonne de service suit le régime de sa répartition. Les montants des services sont ceux des répartitions de l'exercice. {SANS_OBJET}");
    if has_g {
        note.push_str(
            " La colonne des groupements de commandes compte toute la part de chacun, celle de l'EPCI comprise : son total est celui de l'exercice. Les groupements sont détaillés objet par objet dans la partie « Commande publique : groupements et assistance aux projets ».",
        );
    }
    t.note = Some(note);
    p.blocs.push(Bloc::Tableau(t));
    if super::evolutions::page_evolutions_existe(m) {
        // On the site only: the PDF has the section in its table of contents.
        p.site_seulement.push(p.blocs.len());
        p.blocs.push(Bloc::Liens {
            liens: vec![super::Lien {
                page: super::evolutions::PAGE.into(),
                texte: format!("Évolutions entre {} et {y}", y - 1),
                detail: Some("ce qui a changé pour chaque membre depuis l'an dernier, expliqué au centime".into()),
            }],
        });
    }

    p.blocs.push(titre(2, "Titres de recettes et imputations"));
    p.blocs.push(Bloc::Paragraphe {
        texte:
            "Une ligne par organisme, service et répartition : base de l'émission des titres de recettes ou de l'imputation sur l'attribution de compensation."
                .into(),
    });
    // A file format is web talk: the printed report does not mention it.
    p.site_seulement.push(p.blocs.len());
    p.blocs.push(Bloc::Paragraphe {
        texte: "Le fichier CSV de ce tableau peut être importé dans un logiciel financier.".into(),
    });
    let mut tr = tableau(
        format!("titres-{y}"),
        format!("Montants à recouvrer par organisme et par service en {y}"),
        &[
            ("Organisme", false),
            ("Code INSEE", false),
            ("Service", false),
            ("Répartition", false),
            ("Régime", false),
            ("Montant", true),
            ("Mode de paiement", false),
        ],
    );
    tr.detail = Some(DetailPdf::TitresDeRecettes);
    for r in &m.releves {
        let Some(e) = r.exercices.iter().find(|e| e.exercice == y) else { continue };
        for l in &e.lignes {
            if l.montant.is_zero() {
                continue;
            }
            tr.lignes.push(vec![
                entete(r.nom.clone()),
                texte(r.insee.clone().unwrap_or_default()),
                texte(l.service_nom.clone()),
                texte(l.repartition.clone()),
                texte(l.taxes.libelle()),
                euros(&l.montant),
                texte(l.paiement.map(|p| p.libelle()).unwrap_or("à préciser")),
            ]);
        }
    }
    // One total per regime: HT and TTC amounts are never added together.
    for taxes in [Taxes::Ttc, Taxes::Ht] {
        let lignes: Vec<Decimal> = m
            .releves
            .iter()
            .filter_map(|r| r.exercices.iter().find(|e| e.exercice == y))
            .flat_map(|e| e.lignes.iter().filter(|l| l.taxes == taxes && !l.montant.is_zero()).map(|l| l.montant))
            .collect();
        if !lignes.is_empty() {
            tr.pied.push(vec![
                entete(format!("Total {}", taxes.libelle())),
                texte(""),
                texte(""),
                texte(""),
                texte(""),
                euros(&lignes.iter().sum::<Decimal>()),
                texte(""),
            ]);
        }
    }
    p.blocs.push(Bloc::Tableau(tr));
    let compte = |taxes: Taxes| {
        m.services
            .iter()
            .flat_map(|s| &s.repartitions)
            .filter(|r| r.exercice == y && r.taxes == taxes)
            .count()
    };
    // What the territory does not have is not mentioned (no « 0 répartition HT »).
    let comptes: Vec<String> = [Taxes::Ttc, Taxes::Ht]
        .into_iter()
        .filter(|&t| compte(t) > 0)
        .map(|t| match compte(t) {
            1 => format!("de la répartition {}", t.libelle()),
            n => format!("des {n} répartitions {}", t.libelle()),
        })
        .collect();
    if !comptes.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: format!("Ces montants sont ceux {} de l'exercice {y}.", comptes.join(" et ")),
        });
    }
    p
}

fn controles(m: &Modele) -> Page {
    let mut p = page("controles", "Contrôle des totaux publiés", Rubrique::Finances, Some("finances"));
    p.resume = Some("Chaque total recopié d'un document publié est comparé à la somme de ses parties.".into());
    let ecarts = m.controles.iter().filter(|c| !c.conforme).count();
    p.blocs.push(Bloc::Encadre {
        genre: if ecarts == 0 {
            GenreEncadre::Information
        } else {
            GenreEncadre::Avertissement
        },
        texte: format!(
            "{} : {} sans écart, {} avec écart. mutu affiche toujours le total recalculé à partir des parties.",
            mutu_base::texte::pluriel(m.controles.len(), "total contrôlé", "totaux contrôlés"),
            m.controles.len() - ecarts,
            ecarts
        ),
    });
    let mut t = tableau(
        "controles-totaux",
        "Totaux publiés comparés aux totaux recalculés",
        &[
            ("Total", false),
            ("Publié", true),
            ("Recalculé", true),
            ("Écart", true),
            ("Résultat", false),
            ("Source", false),
        ],
    );
    for c in &m.controles {
        let (d, k, e) = match c.unite {
            Unite::Euro => (euros(&c.declare), euros(&c.calcule), super::cells::euros_signe(&c.ecart)),
            Unite::Nombre => (nombre(&c.declare), nombre(&c.calcule), nombre(&c.ecart)),
        };
        t.lignes.push(vec![
            entete(c.libelle.clone()),
            d,
            k,
            e,
            texte(if c.conforme { "conforme" } else { "écart" }),
            texte(format!("{}, ligne {}", c.fichier, c.ligne)),
        ]);
    }
    t.pied.push(vec![entete("Écarts"), texte(""), texte(""), entier(ecarts), texte(""), texte("")]);
    p.blocs.push(Bloc::Tableau(t));
    p
}
