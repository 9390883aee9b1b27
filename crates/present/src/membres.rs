//! "Ma commune dans le schéma": one page per member (and the per-commune
//! PDF extract) that answers "what do I pay, for what, and why" at a
//! glance: the year's total first (N-1 beside it), one line per service with
//! its amount and its rule in words (key, base, share, exemption and motive,
//! pro rata months, the EPCI's takeover), the services used but not charged
//! and why; then conventions, earlier years, groupements de commandes and
//! the fiches-actions that concern this member (those that concern every
//! commune in one line).

use super::blocs::{blocs_narratifs, page, titre};
use super::cells::{entete, entete_lien, euros, lien, tableau, texte, vide};
use super::{Bloc, Chiffre, Definition, Lien, Page, Rubrique};
use mutu_base::format::{self, Grandeur};
use mutu_compute::releves::{EtapeMembre, LigneReleve, RaisonSansMontant, Releve, ReleveExercice};
use mutu_compute::repartition::OrigineMontant;
use mutu_compute::Modele;
use mutu_model::cles::{Beneficiaires, Calcul};
use mutu_model::services::{ModePaiement, Taxes};
use mutu_model::territoire::TypeMembre;
use mutu_model::Objet;

pub fn pages(m: &Modele, opts: &super::Options) -> Vec<Page> {
    let y = m.rapport.exercice;
    let mut index = page("communes", "Ma commune dans le schéma", Rubrique::Communes, Some("index"));
    index.resume = Some("Pour chaque commune et organisme membre : services utilisés, conventions et montants payés.".into());
    let membres: Vec<&Releve> = m.releves.iter().filter(|r| r.genre != "partenaire").collect();
    // An alphabetical index to jump to a name: plain links to the rows'
    // anchors, so it works from file:// and without JavaScript.
    let lettre = |nom: &str| -> char {
        mutu_base::texte::replie(nom)
            .chars()
            .find(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .unwrap_or('#')
    };
    let mut lettres: Vec<char> = membres.iter().map(|r| lettre(&r.nom)).collect();
    lettres.sort_unstable();
    lettres.dedup();
    if membres.len() > 20 && lettres.len() > 1 {
        index.blocs.push(Bloc::Paragraphe {
            texte: "Aller aux membres dont le nom commence par :".into(),
        });
        index.blocs.push(Bloc::Liens {
            liens: lettres
                .iter()
                .map(|c| Lien {
                    page: format!("communes#lettre-{}", c.to_ascii_lowercase()),
                    texte: c.to_string(),
                    detail: None,
                })
                .collect(),
        });
        index.site_seulement.extend([0, 1]);
    }
    if super::evolutions::page_evolutions_existe(m) {
        index.blocs.push(Bloc::Liens {
            liens: vec![Lien {
                page: super::evolutions::PAGE.into(),
                texte: format!("Évolutions entre {} et {y}", y - 1),
                detail: Some("ce qui a changé pour chaque membre, expliqué au centime".into()),
            }],
        });
    }
    let mut t = tableau(
        "membres",
        format!("Membres {} et montants {y}", m.epci.article().de(&m.epci.sigle)),
        &[
            ("Membre", false),
            (super::cells::CODE_INSEE, false),
            ("Services utilisés", true),
            (&format!("Total {y} TTC"), true),
            (&format!("Total {y} HT"), true),
            (&format!("Groupements {y} (HT)"), true),
        ],
    );
    let mut vus: Vec<char> = Vec::new();
    let mut totaux = [rust_decimal::Decimal::ZERO; 3];
    for r in &membres {
        let e = r.exercices.iter().find(|e| e.exercice == y);
        let mut nom = entete_lien(r.nom.clone(), format!("communes/{}", r.membre));
        let l = lettre(&r.nom);
        if !vus.contains(&l) {
            vus.push(l);
            nom.ancre = Some(format!("lettre-{}", l.to_ascii_lowercase()));
        }
        if let Some(e) = e {
            totaux[0] += e.total_ttc;
            totaux[1] += e.total_ht;
            totaux[2] += e.total_groupements_ht;
        }
        t.lignes.push(vec![
            nom,
            r.insee.clone().map(texte).unwrap_or_else(vide),
            super::cells::entier(r.services.len()),
            e.map(|e| euros(&e.total_ttc)).unwrap_or_else(vide),
            e.map(|e| euros(&e.total_ht)).unwrap_or_else(vide),
            e.filter(|e| !e.groupements.is_empty())
                .map(|e| euros(&e.total_groupements_ht))
                .unwrap_or_else(vide),
        ]);
    }
    t.pied.push(vec![
        super::cells::total(format!("Total ({})", mutu_base::texte::pluriel(membres.len(), "membre", "membres"))),
        texte(""),
        texte(""),
        euros(&totaux[0]),
        euros(&totaux[1]),
        euros(&totaux[2]),
    ]);
    t.note = Some(format!(
        "Les partenaires extérieurs, qui ne sont pas membres, ne figurent pas dans ce tableau ni dans son total. {}",
        super::finances::SANS_OBJET
    ));
    index.blocs.push(Bloc::Tableau(t));
    let mut out = vec![index];
    out.extend(membres.iter().map(|r| membre(m, r, opts)));
    out
}

fn membre(m: &Modele, r: &Releve, opts: &super::Options) -> Page {
    let y = m.rapport.exercice;
    let mb = m.annuaire.membre(&m.membres, &r.membre);
    let is_commune = mb.is_some_and(|x| x.genre == TypeMembre::Commune);
    let mut p = page(format!("communes/{}", r.membre), r.nom.clone(), Rubrique::Communes, Some("communes"));
    p.membre = Some(r.membre.clone());
    p.resume = Some(format!(
        "{} dans le schéma de mutualisation {} : montants payés, services utilisés et règles de calcul.",
        r.nom,
        m.epci.article().de(&m.epci.sigle)
    ));
    let courant = r.exercices.iter().find(|e| e.exercice == y);
    let precedent = r.exercices.iter().find(|e| e.exercice == y - 1);
    let chiffres = chiffres_cles(courant, precedent, y);
    if !chiffres.is_empty() {
        p.blocs.push(Bloc::Chiffres { chiffres });
    }
    // Where to go next, on the site only (the extract is this page).
    let mut ailleurs = Vec::new();
    if opts.extraits {
        ailleurs.push(Lien {
            page: format!("extraits/{}.pdf", r.membre),
            texte: format!("Extrait PDF pour {}", r.nom),
            detail: Some("cette page, à imprimer ou à joindre".into()),
        });
    }
    if super::evolutions::page_evolutions_existe(m) {
        ailleurs.push(Lien {
            page: super::evolutions::PAGE.into(),
            texte: format!("Évolutions entre {} et {y}", y - 1),
            detail: Some("tous les membres".into()),
        });
    }
    if !ailleurs.is_empty() {
        p.site_seulement.push(p.blocs.len());
        p.blocs.push(Bloc::Liens { liens: ailleurs });
    }
    p.blocs.extend(super::evolutions::blocs_membre(m, &r.membre));

    let mut ident = Vec::new();
    if let Some(mb) = mb {
        // Compact on purpose: the extract aims at one page per commune.
        let insee = mb.insee.as_ref().map(|c| format!(", code INSEE {c}")).unwrap_or_default();
        ident.push(Definition {
            terme: "Type".into(),
            valeurs: vec![format!("{}{insee}", mb.genre.libelle())],
        });
        if let Some((year, pop)) = mb.populations.iter().next_back() {
            let v: Vec<String> = mutu_model::territoire::SortePopulation::ALL
                .iter()
                .filter_map(|sorte| pop.get(*sorte).map(|n| format!("{} habitants ({})", format::entier(n as i64), sorte.libelle())))
                .collect();
            if !v.is_empty() {
                ident.push(Definition {
                    terme: format!("Population {year}"),
                    valeurs: vec![v.join(", ")],
                });
            }
        }
        if let Some(c) = &mb.commune {
            ident.push(Definition {
                terme: "Commune de rattachement".into(),
                valeurs: vec![m.nom(c)],
            });
        }
    }
    ident.push(Definition {
        terme: "Services utilisés".into(),
        valeurs: vec![format::entier(r.services.len() as i64)],
    });
    p.blocs.push(Bloc::Definitions { lignes: ident });

    p.blocs.push(titre(2, format!("Ce que {} paie en {y}, service par service", r.nom)));
    let lignes: Vec<&LigneReleve> = courant.map(|e| e.lignes.iter().collect()).unwrap_or_default();
    let sans: Vec<_> = r.sans_montant.iter().filter(|x| x.exercice == y).collect();
    if lignes.is_empty() && sans.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: format!("Aucun montant n'est réparti sur {} en {y} dans les données du rapport.", r.nom),
        });
    } else {
        let mut t = tableau(
            format!("membre-{}-{y}", r.membre),
            format!("Montants {y} de {} et leur calcul", r.nom),
            &[("Service", false), ("Montant", true), ("Calcul", false)],
        );
        for l in &lignes {
            // A service billed in several allocations: each line names its own.
            let several = lignes.iter().filter(|x| x.service == l.service).count() > 1;
            let regle = regle_ligne(m, l, is_commune);
            t.lignes.push(vec![
                entete_lien(l.service_nom.clone(), format!("services/{}", l.service)),
                euros(&l.montant),
                texte(if several {
                    format!("{} : {}", l.repartition, mutu_base::texte::minuscule(&regle))
                } else {
                    regle
                }),
            ]);
        }
        for x in &sans {
            t.lignes.push(vec![
                entete_lien(x.nom.clone(), format!("services/{}", x.service)),
                vide(),
                texte(format!(
                    "{}, aucune somme appelée en {y} : {}.",
                    if is_commune { "Adhérente" } else { "Adhérent" },
                    raison(r, x.raison, x.date.as_ref(), y)
                )),
            ]);
        }
        if let Some(e) = courant {
            let both = !e.total_ttc.is_zero() && !e.total_ht.is_zero();
            for (taxes, total) in [(Taxes::Ttc, &e.total_ttc), (Taxes::Ht, &e.total_ht)] {
                let present = lignes.iter().any(|l| l.taxes == taxes);
                if present {
                    let libelle = if both || taxes == Taxes::Ht {
                        format!("Total {y} {}", taxes.libelle())
                    } else {
                        format!("Total {y}")
                    };
                    t.pied.push(vec![entete(libelle), euros(total), texte("")]);
                }
            }
        }
        p.blocs.push(Bloc::Tableau(t));
    }
    p.blocs.extend(blocs_narratifs(m, Objet::Membre, Some(&r.membre)));

    p.blocs.push(titre(2, "Services utilisés et conventions"));
    if r.services.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: format!("{} n'adhère à aucun service mutualisé décrit dans ce rapport.", r.nom),
        });
    } else {
        let mut t = tableau(
            format!("membre-{}-services", r.membre),
            format!("Services utilisés par {}", r.nom),
            &[
                ("Service", false),
                ("Forme juridique", false),
                ("Convention", false),
                ("Depuis", false),
                ("Mode de paiement", false),
            ],
        );
        for s in &r.services {
            let d = |d: &Option<mutu_model::Date>| d.map(|d| texte(d.courte())).unwrap_or_else(vide);
            t.lignes.push(vec![
                entete_lien(s.nom.clone(), format!("services/{}", s.service)),
                texte(s.forme),
                if s.adherent {
                    d(&s.convention)
                } else {
                    texte("Non adhérent, mais facturé")
                },
                d(&s.depuis),
                s.paiement.map(|x| texte(x.libelle())).unwrap_or_else(vide),
            ]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    si_nous_adherions(m, r, &mut p);

    let anciens: Vec<_> = r
        .exercices
        .iter()
        .filter(|e| e.exercice != y)
        .flat_map(|e| e.lignes.iter().map(move |l| (e.exercice, l)))
        .collect();
    if !anciens.is_empty() {
        p.blocs.push(titre(2, "Montants des autres exercices"));
        let mut t = tableau(
            format!("membre-{}-montants", r.membre),
            format!("Montants des autres exercices à la charge de {}", r.nom),
            &[
                ("Exercice", false),
                ("Service", false),
                ("Répartition", false),
                ("Régime", false),
                ("Montant", true),
                ("Mode de paiement", false),
            ],
        );
        for (ex, l) in &anciens {
            t.lignes.push(vec![
                entete(ex.to_string()),
                lien(l.service_nom.clone(), format!("services/{}", l.service)),
                texte(l.repartition.clone()),
                texte(l.taxes.libelle()),
                euros(&l.montant),
                texte(l.paiement.map(|x| x.libelle()).unwrap_or("à préciser")),
            ]);
        }
        for e in r.exercices.iter().filter(|e| e.exercice != y) {
            for (taxes, total) in [(Taxes::Ttc, &e.total_ttc), (Taxes::Ht, &e.total_ht)] {
                if e.lignes.iter().any(|l| l.taxes == taxes) {
                    t.pied.push(vec![
                        entete(format!("Total {} {}", e.exercice, taxes.libelle())),
                        texte(""),
                        texte(""),
                        texte(taxes.libelle()),
                        euros(total),
                        texte(""),
                    ]);
                }
            }
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    let groupements: Vec<_> = r.exercices.iter().flat_map(|e| e.groupements.iter().map(move |g| (e.exercice, g))).collect();
    if !groupements.is_empty() {
        p.blocs.push(titre(2, "Groupements de commandes"));
        let mut t = tableau(
            format!("membre-{}-groupements", r.membre),
            format!("Groupements de commandes de {}", r.nom),
            &[("Exercice", false), ("Objet", false), ("Montant HT", true)],
        );
        for (ex, g) in &groupements {
            t.lignes.push(vec![entete(ex.to_string()), texte(g.objet.clone()), euros(&g.montant_ht)]);
        }
        for e in r.exercices.iter().filter(|e| !e.groupements.is_empty()) {
            t.pied
                .push(vec![entete(format!("Total {}", e.exercice)), texte(""), euros(&e.total_groupements_ht)]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }

    // Fiches naming this member are listed; those for every commune (or
    // every member) are the same on every page: one line pointing to them.
    let mut propres: Vec<Lien> = Vec::new();
    let mut generales = 0usize;
    for f in &m.fiches {
        match &f.collectivites_interessees {
            Beneficiaires::Liste(ids) if ids.contains(&r.membre) => propres.push(Lien {
                page: format!("fiches/{}", f.id),
                texte: format!("{} — {}", super::fiches::numero(m, f), f.piste),
                detail: Some(f.statut.libelle().to_string()),
            }),
            Beneficiaires::Communes if is_commune => generales += 1,
            Beneficiaires::Membres => generales += 1,
            _ => {}
        }
    }
    if generales > 0 {
        let qui = if is_commune { "toutes les communes" } else { "tous les membres" };
        propres.push(Lien {
            page: "axes".into(),
            texte: if generales == 1 {
                format!("1 fiche-action concerne {qui}")
            } else {
                format!("{generales} fiches-actions concernent {qui}")
            },
            detail: Some("voir les axes et fiches-actions".into()),
        });
    }
    if !propres.is_empty() {
        p.blocs.push(titre(2, "Fiches-actions"));
        p.blocs.push(Bloc::Liens { liens: propres });
    }
    p
}

/// The year's total first, N-1 beside it when the member paid something
/// that year; HT and TTC never added together. Empty when nothing is due.
fn chiffres_cles(courant: Option<&ReleveExercice>, precedent: Option<&ReleveExercice>, y: i32) -> Vec<Chiffre> {
    let has = |e: &&ReleveExercice, t: Taxes| e.lignes.iter().any(|l| l.taxes == t);
    let pick = |e: &ReleveExercice, t: Taxes| match t {
        Taxes::Ttc => e.total_ttc,
        Taxes::Ht => e.total_ht,
    };
    let mut out = Vec::new();
    for taxes in [Taxes::Ttc, Taxes::Ht] {
        let Some(e) = courant.filter(|e| has(e, taxes)) else {
            continue;
        };
        // What is deducted from the attribution de compensation is not an
        // invoice: said apart from what the member pays on titres de recettes.
        let ac: rust_decimal::Decimal = e
            .lignes
            .iter()
            .filter(|l| l.taxes == taxes && l.paiement == Some(ModePaiement::AttributionDeCompensation))
            .map(|l| l.montant)
            .sum();
        let reste = pick(e, taxes) - ac;
        let titres = e
            .lignes
            .iter()
            .filter(|l| l.taxes == taxes && l.paiement != Some(ModePaiement::AttributionDeCompensation))
            .all(|l| l.paiement == Some(ModePaiement::TitreDeRecettes));
        let precedent = precedent
            .filter(|e| has(e, taxes))
            .map(|e| format!("{} : {}", y - 1, Grandeur::Montant.texte(&pick(e, taxes))));
        if ac.is_zero() {
            out.push(Chiffre {
                libelle: format!("à payer en {y} ({})", taxes.libelle()),
                valeur: Grandeur::Montant.texte(&pick(e, taxes)),
                detail: precedent,
            });
            continue;
        }
        if !reste.is_zero() {
            out.push(Chiffre {
                libelle: if titres {
                    format!("à payer en {y} (titres de recettes, {})", taxes.libelle())
                } else {
                    format!("à payer en {y} ({})", taxes.libelle())
                },
                valeur: Grandeur::Montant.texte(&reste),
                detail: None,
            });
        }
        out.push(Chiffre {
            libelle: format!("déduits de l'attribution de compensation en {y} ({})", taxes.libelle()),
            valeur: Grandeur::Montant.texte(&ac),
            detail: Some(format!(
                "total {y} : {}{}",
                Grandeur::Montant.texte(&pick(e, taxes)),
                precedent.map(|p| format!(" ; {p}")).unwrap_or_default()
            )),
        });
    }
    if let Some(e) = courant.filter(|e| !e.groupements.is_empty()) {
        out.push(Chiffre {
            libelle: format!("de groupements de commandes en {y} (HT)"),
            valeur: Grandeur::Montant.texte(&e.total_groupements_ht),
            detail: None,
        });
    }
    out
}

/// Why an adherent pays nothing this year, in words.
fn raison(r: &Releve, x: RaisonSansMontant, date: Option<&mutu_model::Date>, y: i32) -> String {
    let d = date.map(mutu_base::date::Date::longue).unwrap_or_default();
    match x {
        RaisonSansMontant::AdhesionPosterieure => format!("adhésion à compter du {d}"),
        RaisonSansMontant::AdhesionTerminee => format!("adhésion terminée le {d}"),
        RaisonSansMontant::AucuneRepartition => format!("aucune répartition du coût de ce service n'est saisie pour {y}"),
        RaisonSansMontant::HorsRepartition => format!("{} ne figure dans aucune répartition {y} de ce service", r.nom),
    }
}

/// The rule of one line in words: each step in which the member has a part.
fn regle_ligne(m: &Modele, l: &LigneReleve, feminin: bool) -> String {
    if l.origine_montant == OrigineMontant::Constate || l.etapes.is_empty() {
        return "Montant constaté, tel que saisi.".into();
    }
    let mut phrases: Vec<String> = l.etapes.iter().map(|e| etape_en_mots(m, e, feminin)).collect();
    if l.taxes == Taxes::Ht {
        phrases.push("Montant hors taxes.".into());
    }
    phrases.join(" ")
}

fn etape_en_mots(m: &Modele, e: &EtapeMembre, feminin: bool) -> String {
    let mut s = String::new();
    let epci = |id: &str| if id == m.epci.id { m.epci.article().le(&m.epci.sigle) } else { m.nom(id) };
    let prise = e.prise_en_charge_epci.filter(|k| !k.is_zero()).map(|k| {
        let delib = e.deliberation.as_ref().map(|d| format!(" ({d})")).unwrap_or_default();
        format!(
            "moins {} pris en charge {}{delib}",
            Grandeur::Montant.texte(&k),
            m.epci.article().par(&m.epci.sigle)
        )
    });
    match (&e.part_de, prise) {
        (Some(pd), Some(pr)) => s.push_str(&format!(
            "Part de {} ({}), {pr}, répartie ",
            epci(pd),
            Grandeur::Montant.texte(&e.montant_entrant)
        )),
        (Some(pd), None) => s.push_str(&format!("Part de {} ({}) répartie ", epci(pd), Grandeur::Montant.texte(&e.montant_entrant))),
        (None, Some(pr)) => s.push_str(&format!("Coût ({}), {pr}, réparti ", Grandeur::Montant.texte(&e.montant_entrant))),
        (None, None) if !e.base.is_tariff() => s.push_str(&format!("Coût de {} réparti ", Grandeur::Montant.texte(&e.montant_entrant))),
        (None, None) => {}
    }
    let debut = s.is_empty();
    let pct = Grandeur::PourcentageColonne.texte(&e.pourcentage);
    let total = exact_total(&e.total_base);
    match e.base.calcul() {
        Calcul::Tarif => {
            let unite = e.unite.as_deref().unwrap_or("unité");
            s.push_str(&format!(
                "{}{} × {}",
                if debut { "" } else { ": " },
                mutu_base::texte::pluriel_decimal(&e.valeur, unite, &mutu_base::texte::pluriel_nom(unite)),
                Grandeur::Montant.texte(&e.tarif.unwrap_or_default())
            ));
        }
        Calcul::Grille => s.push_str(&format!(
            "{} de la tranche de population ({} habitants{})",
            if debut { "Forfait" } else { "selon le forfait" },
            Grandeur::Quantite.texte(&e.valeur),
            e.millesime.map(|y| format!(" en {y}")).unwrap_or_default()
        )),
        Calcul::Population(_) => s.push_str(&format!(
            "au prorata de la {}{} : {} habitants{}, soit {pct}",
            e.base_libelle,
            e.millesime.map(|y| format!(" {y}")).unwrap_or_default(),
            Grandeur::Quantite.texte(&e.valeur),
            total.map(|t| format!(" sur {t}")).unwrap_or_default()
        )),
        Calcul::Quotites => s.push_str(&format!("selon une quotité forfaitaire de {pct}")),
        _ => s.push_str(&format!(
            "selon « {} »{} : {}{}, soit {pct}",
            e.cle_libelle,
            if !e.base.nomme_sa_base() {
                String::new()
            } else {
                format!(" ({})", e.base_libelle)
            },
            match e.unite.as_deref() {
                Some(u) => mutu_base::texte::pluriel_decimal(&e.valeur, u, &mutu_base::texte::pluriel_nom(u)),
                None => Grandeur::Quantite.texte(&e.valeur),
            },
            total.map(|t| format!(" sur {t}")).unwrap_or_default()
        )),
    }
    if e.exonere {
        let motif = e
            .exoneration_motif
            .clone()
            .or(e
                .exoneration_seuil
                .map(|n| format!("population inférieure à {} habitants", format::entier(n as i64))))
            .unwrap_or_default();
        s.push_str(&format!(" ; {} : {motif}", if feminin { "exonérée" } else { "exonéré" }));
    }
    if let Some(mois) = e.prorata_mois {
        let periode = match (e.prorata_du, e.prorata_au) {
            (Some(du), Some(au)) => format!(", du {} au {}", du.longue(), au.longue()),
            (Some(du), None) => format!(", depuis le {}", du.longue()),
            (None, Some(au)) => format!(", jusqu'au {}", au.longue()),
            (None, None) => String::new(),
        };
        s.push_str(&format!(" ; prorata temporis : {mois} mois sur 12{periode}"));
    }
    s.push('.');
    s
}

/// A base total worth printing: only when it is exact at 2 decimals (a pro
/// rata makes it a fraction, which the share already says).
fn exact_total(d: &rust_decimal::Decimal) -> Option<String> {
    let n = d.normalize();
    (n.scale() <= 2).then(|| Grandeur::Quantite.texte(&n))
}

/// « Et si nous adhérions ? » : for each service the member does not use,
/// what it would have paid this year, from the allocation re-run with it
/// ([`mutu_compute::estimations`]), said as an estimate with its basis.
fn si_nous_adherions(m: &Modele, r: &Releve, p: &mut Page) {
    use mutu_compute::estimations::SansEstimation;
    let lignes: Vec<_> = m
        .services
        .iter()
        .flat_map(|s| s.estimations.iter().filter(|e| e.membre == r.membre).map(move |e| (s, e)))
        .collect();
    if lignes.is_empty() {
        return;
    }
    let y = m.rapport.exercice;
    p.blocs.push(titre(2, "Et si nous adhérions ?"));
    p.blocs.push(Bloc::Paragraphe {
        texte: format!(
            "Pour chaque service que {} n'utilise pas : ce qu'elle aurait payé en {y} si elle y avait adhéré, calculé en refaisant la répartition de {y} avec elle (les parts des autres organismes en auraient été réduites d'autant). Ce sont des estimations, non des devis : le prix d'une adhésion future dépend du coût du service l'année venue.",
            r.nom
        ),
    });
    let mut t = tableau(
        format!("membre-{}-estimations", r.membre),
        format!("Estimations d'adhésion {y} — {}", r.nom),
        &[("Service", false), ("Estimation", true), ("Calcul", false)],
    );
    for (s, e) in lignes {
        let cle = m.cles.iter().find(|c| c.id == e.cle);
        let calcul = match (e.sans_estimation, e.base, cle) {
            (Some(SansEstimation::Quotites), _, _) => "non estimable : la clé fixe d'avance la part de chaque organisme".to_string(),
            (Some(SansEstimation::SansVolume), _, _) => {
                "non estimable : la clé repose sur un volume propre à chaque organisme, que l'offre du service ne suppose pas".to_string()
            }
            (Some(SansEstimation::MontantsConstates), _, _) => "non estimable : les montants de cette année sont constatés, sans clé".to_string(),
            (Some(SansEstimation::Incalculable), _, _) | (None, None, _) | (None, _, None) => {
                "non estimable : la répartition ne peut pas être refaite avec cet organisme".to_string()
            }
            (None, Some(base), Some(c)) => {
                let base_txt = match c.base.calcul() {
                    Calcul::Population(_) | Calcul::Grille => format!(
                        "{} habitants ({}{})",
                        Grandeur::Entier.texte(&base),
                        c.base.sorte_population().map_or("population", |x| x.libelle()),
                        c.millesime.map(|a| format!(" {a}")).unwrap_or_default()
                    ),
                    _ => match c.unite.as_deref() {
                        Some(u) => mutu_base::texte::pluriel_decimal(&base, u, &mutu_base::texte::pluriel_nom(u)),
                        None => Grandeur::Quantite.texte(&base),
                    },
                };
                let origine = if e.hypothese { ", volume supposé par l'offre du service" } else { "" };
                format!("répartition « {} » refaite avec {} : {base_txt}{origine}", e.repartition, r.nom)
            }
        };
        t.lignes.push(vec![
            entete_lien(s.service.nom.clone(), format!("services/{}", s.service.id)),
            e.montant.map(|x| euros(&x)).unwrap_or_else(vide),
            texte(calcul),
        ]);
    }
    p.blocs.push(Bloc::Tableau(t));
}
