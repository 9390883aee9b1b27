//! Builds the [`Document`] from the computed [`Modele`]: one page per
//! entity, in the order of the printed report (pages that are not part of
//! the PDF follow). Each page module formats its own figures through
//! [`super::cells`].

use super::{fiches, finances, membres, services, Bloc, Chiffre, Definition, Document, Etape, Lien, Page, Rubrique};
use crate::blocs::{avec_annee, blocs_narratifs, dit_annee, encadre_interne, legendes, meme_titre, page, titre};
use mutu_base::format;
use mutu_compute::Modele;
use mutu_model::Objet;

/// What the build produces besides the site, so pages can link to it.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The main PDF is built (`--sans-pdf` not given).
    pub pdf: bool,
    /// Per-member PDF extracts are built.
    pub extraits: bool,
}

pub fn document(m: &Modele, opts: &Options) -> Document {
    let r = &m.rapport;
    let nom_pdf = m
        .config
        .pdf
        .nom_fichier
        .clone()
        .unwrap_or_else(|| format!("rapport-mutualisation-{}", r.exercice));
    let date_document = r.date_document.unwrap_or(r.date_conseil);
    let mut pages = vec![accueil(m), schema(m)];
    pages.extend(services::pages(m));
    pages.extend(super::matrice::page_matrice(m));
    pages.extend(super::catalogue::page_catalogue(m));
    pages.extend(fiches::pages(m));
    pages.extend(finances::pages(m));
    pages.extend(super::evolutions::page_evolutions(m));
    pages.extend(membres::pages(m, opts));
    pages.extend(libres(m));
    pages.push(accessibilite(m));
    pages.push(mentions(m));
    let titre = r
        .titre
        .clone()
        .unwrap_or_else(|| "Rapport sur l'avancement du schéma de mutualisation".to_string());
    // The year is said once: a title that already names it gets no
    // « — exercice 2023 » nor « Exercice 2023 » under it on the cover.
    let nomme_annee = dit_annee(&titre, r.exercice);
    let mut transmission = Vec::new();
    if let Some(t) = &r.transmission {
        for (terme, date) in [
            ("Transmis en préfecture le", &t.envoi),
            ("Accusé de réception du", &t.reception),
            ("Publié le", &t.publication),
        ] {
            if let Some(d) = date {
                transmission.push(Definition {
                    terme: terme.into(),
                    valeurs: vec![d.longue()],
                });
            }
        }
    }
    let mut doc = Document {
        titre_complet: avec_annee(&[&titre], "", r.exercice, " — exercice "),
        sous_titre: (!nomme_annee).then(|| format!("Exercice {}", r.exercice)),
        url_en_ligne: m.config.url_de_base.clone().filter(|u| !u.trim().is_empty()),
        titre,
        epci_nom: m.epci.nom.clone(),
        epci_siren: m.epci.siren.clone(),
        epci_siret: m.epci.siret.clone(),
        date_reception: r.transmission.as_ref().and_then(|t| t.reception.as_ref()).map(ToString::to_string),
        epci_sigle: m.epci.sigle.clone(),
        exercice: r.exercice,
        date_conseil: r.date_conseil.to_string(),
        date_conseil_texte: r.date_conseil.longue(),
        date_document: date_document.to_string(),
        deliberation: r.deliberation.clone(),
        actes_id: r.actes_id.clone(),
        signataire_nom: r.signataire.nom.clone(),
        signataire_qualite: r.signataire.qualite.clone(),
        transmission,
        mots_cles: vec![
            "schéma de mutualisation".into(),
            "rapport annuel".into(),
            format!("exercice {}", r.exercice),
            m.epci.sigle.clone(),
            "article L.5211-39-1 du CGCT".into(),
        ],
        logo: m.epci.logo.clone(),
        nom_pdf,
        mention_projet: m.identite.mention_projet.map(str::to_string),
        pdf_sans_detail: m.config.pdf.sans_detail.clone(),
        genre: super::GenreDocument::Rapport,
        pages,
    };
    for p in doc.pages.iter_mut() {
        sans_titre_repete(p);
        legendes(p);
        for b in p.blocs.iter_mut() {
            if let Bloc::Tableau(t) = b {
                super::cells::sans_colonnes_muettes(t);
            }
        }
    }
    order_pdf(&mut doc, &m.config.pdf.sections);
    let mut telechargements = telechargements(m, &doc, opts);
    legendes(&mut telechargements);
    doc.pages.push(telechargements);
    for p in doc.pages.iter_mut() {
        typographie(p);
    }
    doc
}

/// French spacing ([`mutu_base::texte::insecables`]) on every text the
/// document writes, once, here: the site and the PDF render these strings
/// as they are, so neither ever starts a line with « : » or « ? ». The
/// Markdown texts of the project are the author's and stay as typed; the
/// identifiers (ids, links, raw values of the data files) are not text.
fn typographie(p: &mut Page) {
    let t = |s: &mut String| *s = mutu_base::texte::insecables(s);
    t(&mut p.titre);
    if let Some(r) = p.resume.as_mut() {
        t(r);
    }
    for b in p.blocs.iter_mut() {
        match b {
            Bloc::Titre { texte, .. } | Bloc::Paragraphe { texte } | Bloc::Encadre { texte, .. } => t(texte),
            Bloc::Markdown { .. } | Bloc::Statut { .. } => {}
            Bloc::Chiffres { chiffres } => {
                for c in chiffres {
                    t(&mut c.libelle);
                    if let Some(d) = c.detail.as_mut() {
                        t(d);
                    }
                }
            }
            Bloc::Tableau(tab) => {
                t(&mut tab.titre);
                t(&mut tab.legende);
                if let Some(n) = tab.note.as_mut() {
                    t(n);
                }
                for c in tab.lignes.iter_mut().chain(tab.pied.iter_mut()).flatten() {
                    if c.valeur.is_none() {
                        t(&mut c.texte);
                    }
                }
            }
            Bloc::Graphique(g) => {
                t(&mut g.titre);
                t(&mut g.legende);
                t(&mut g.description);
            }
            Bloc::Definitions { lignes } => {
                for d in lignes {
                    t(&mut d.terme);
                    d.valeurs.iter_mut().for_each(t);
                }
            }
            Bloc::Liste { elements } => elements.iter_mut().for_each(t),
            Bloc::Frise { etapes } => {
                for e in etapes {
                    e.evenements.iter_mut().for_each(t);
                }
            }
            Bloc::Liens { liens } => {
                for l in liens {
                    t(&mut l.texte);
                    if let Some(d) = l.detail.as_mut() {
                        t(d);
                    }
                }
            }
        }
    }
}

/// No title repeated by the next level: a heading that says again the
/// page title (opening the page) or the heading right above it, with
/// nothing in between, is left out (« Action menée en 2023 » as a fiche's
/// section, then as the title of its narrative).
fn sans_titre_repete(p: &mut Page) {
    let mut dessus: Option<String> = Some(p.titre.clone());
    let mut retires = Vec::new();
    for (i, b) in p.blocs.iter().enumerate() {
        match b {
            Bloc::Titre { texte, .. } if dessus.as_deref().is_some_and(|d| meme_titre(d, texte)) => retires.push(i),
            Bloc::Titre { texte, .. } => dessus = Some(texte.clone()),
            _ => dessus = None,
        }
    }
    for &i in retires.iter().rev() {
        p.blocs.remove(i);
        p.site_seulement.retain(|&k| k != i);
        p.site_seulement.iter_mut().filter(|k| **k > i).for_each(|k| *k -= 1);
    }
}

/// PDF section of a page, as named in `pdf.sections` of the configuration.
pub fn section_pdf(page: &Page) -> &'static str {
    match page.id.split('/').next().unwrap_or("") {
        "index" => "synthese",
        "schema" => "schema",
        "services" => "services",
        "axes" | "fiches" => "fiches",
        "commande-publique" => "commande_publique",
        "effectifs" => "effectifs",
        "finances" => "contributions",
        super::evolutions::PAGE => "evolutions",
        super::catalogue::PAGE => "catalogue",
        _ => "autres",
    }
}

pub use mutu_model::config::SECTIONS_PDF;

/// Reorders the PDF pages by the configured sections (stable within a
/// section); sections not listed leave the PDF (they stay on the site).
fn order_pdf(doc: &mut Document, sections: &[String]) {
    if sections.is_empty() {
        return;
    }
    for p in doc.pages.iter_mut() {
        if p.pdf && !sections.iter().any(|s| s == section_pdf(p)) {
            p.pdf = false;
        }
    }
    let rank = |p: &Page| {
        if p.pdf {
            sections.iter().position(|s| s == section_pdf(p)).unwrap_or(usize::MAX)
        } else {
            usize::MAX
        }
    };
    doc.pages.sort_by_key(rank);
}

fn accueil(m: &Modele) -> Page {
    let s = &m.synthese;
    let mut p = page("index", format!("L'essentiel de l'exercice {}", s.exercice), Rubrique::Accueil, None);
    p.pdf = true;
    p.resume = Some(format!(
        "Avancement du schéma de mutualisation {} en {} : services mutualisés, fiches-actions, finances.",
        m.epci.article().de(&m.epci.sigle),
        s.exercice
    ));
    let mut chiffres = vec![
        Chiffre {
            libelle: mutu_base::texte::accord(s.services, "service mutualisé", "services mutualisés").into(),
            valeur: format::entier(s.services as i64),
            detail: Some(
                s.services_par_forme
                    .iter()
                    .map(|c| format!("{} : {}", c.libelle, c.nombre))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        },
        Chiffre {
            libelle: mutu_base::texte::accord(s.membres, "membre", "membres").into(),
            valeur: format::entier(s.membres as i64),
            detail: Some(format!(
                "dont {} ; {}",
                mutu_base::texte::pluriel(s.communes, "commune", "communes"),
                mutu_base::texte::pluriel(s.partenaires, "partenaire extérieur", "partenaires extérieurs")
            )),
        },
        Chiffre {
            libelle: mutu_base::texte::accord(s.fiches, "fiche-action", "fiches-actions").into(),
            valeur: format::entier(s.fiches as i64),
            detail: Some(
                s.fiches_par_statut
                    .iter()
                    .map(|c| format!("{} : {}", c.libelle, c.nombre))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        },
    ];
    if !s.reparti_ttc.is_zero() {
        chiffres.push(Chiffre {
            libelle: format!("répartis entre les organismes en {} (TTC)", s.exercice),
            valeur: format::Grandeur::MontantArrondi.texte(&s.reparti_ttc),
            detail: Some("coûts des services partagés selon les clés de répartition".into()),
        });
    }
    if !s.reparti_ht.is_zero() {
        chiffres.push(Chiffre {
            libelle: format!("répartis entre les organismes en {} (HT)", s.exercice),
            valeur: format::Grandeur::MontantArrondi.texte(&s.reparti_ht),
            detail: None,
        });
    }
    if s.groupements > 0 {
        chiffres.push(Chiffre {
            libelle: format!("de groupements de commandes en {} (HT)", s.exercice),
            valeur: format::Grandeur::MontantArrondi.texte(&s.groupements_ht),
            detail: Some(mutu_base::texte::pluriel(s.groupements, "groupement", "groupements")),
        });
    }
    p.blocs.push(Bloc::Chiffres { chiffres });
    p.blocs.extend(blocs_narratifs(m, Objet::Rapport, None));
    // No control alarm here: a published total that does not add up is
    // for `mutu check` and the internal « Contrôles » page, never for the
    // home page read by the elected officials.
    // Web navigation: the PDF's table of contents does this job.
    p.site_seulement.extend([p.blocs.len(), p.blocs.len() + 1]);
    p.blocs.push(titre(2, "Parcourir le rapport"));
    p.blocs.push(Bloc::Liens {
        liens: vec![
            Lien {
                page: "schema".into(),
                texte: "Le schéma de mutualisation".into(),
                detail: Some("historique, gouvernance, cadre juridique".into()),
            },
            Lien {
                page: "services".into(),
                texte: "Les services mutualisés".into(),
                detail: Some("activité, bilans, répartition des coûts".into()),
            },
            Lien {
                page: "axes".into(),
                texte: "Les axes et fiches-actions".into(),
                detail: Some("avancement de chaque action".into()),
            },
            Lien {
                page: "communes".into(),
                texte: "Ma commune dans le schéma".into(),
                detail: Some("services utilisés et montants par commune".into()),
            },
            Lien {
                page: "finances".into(),
                texte: "Finances".into(),
                detail: Some("contributions de chaque membre".into()),
            },
            Lien {
                page: super::evolutions::PAGE.into(),
                texte: format!("Évolutions entre {} et {}", s.exercice - 1, s.exercice),
                detail: Some("ce qui a changé, et pourquoi, pour chaque membre".into()),
            },
            Lien {
                page: "telechargements".into(),
                texte: "Téléchargements".into(),
                detail: Some("rapport PDF et données ouvertes".into()),
            },
        ],
    });
    if !super::evolutions::page_evolutions_existe(m) {
        if let Some(Bloc::Liens { liens }) = p.blocs.last_mut() {
            liens.retain(|l| l.page != super::evolutions::PAGE);
        }
    }
    p
}

fn schema(m: &Modele) -> Page {
    let mut p = page("schema", "Le schéma de mutualisation", Rubrique::Schema, Some("index"));
    p.pdf = true;
    p.resume = Some("Cadre juridique, historique et principes de gouvernance du schéma de mutualisation.".into());
    p.blocs.extend(blocs_narratifs(m, Objet::Schema, None));
    let Some(s) = &m.schema else { return p };
    p.blocs.push(Bloc::Definitions {
        lignes: vec![
            Definition {
                terme: "Schéma".into(),
                valeurs: vec![s.titre.clone()],
            },
            Definition {
                terme: "Mandat".into(),
                valeurs: vec![format!("{} – {}", s.mandat.debut, s.mandat.fin)],
            },
        ],
    });
    if !s.cadre_juridique.is_empty() {
        p.blocs.push(titre(2, "Cadre juridique"));
        p.blocs.push(Bloc::Definitions {
            lignes: s
                .cadre_juridique
                .iter()
                .map(|t| Definition {
                    terme: t.reference.clone(),
                    valeurs: vec![t.objet.clone()],
                })
                .collect(),
        });
    }
    if !s.adoptions.is_empty() {
        p.blocs.push(titre(2, "Adoption et délibérations"));
        let mut t = super::cells::tableau(
            "schema-adoptions",
            "Adoption du schéma et délibérations",
            &[("Date", false), ("Objet", false), ("Délibération", false)],
        );
        for a in &s.adoptions {
            t.lignes.push(vec![
                super::cells::entete(a.date.longue()),
                super::cells::texte(a.objet.clone()),
                super::cells::texte(a.deliberation.clone().unwrap_or_else(|| "—".into())),
            ]);
        }
        p.blocs.push(Bloc::Tableau(t));
    }
    if !s.historique.is_empty() {
        p.blocs.push(titre(2, "Historique"));
        p.blocs.push(Bloc::Frise {
            etapes: s
                .historique
                .iter()
                .map(|a| Etape {
                    annee: a.annee.to_string(),
                    evenements: a.evenements.clone(),
                })
                .collect(),
        });
    }
    if !s.principes_gouvernance.is_empty() {
        p.blocs.push(titre(2, "Principes de gouvernance"));
        p.blocs.push(Bloc::Definitions {
            lignes: s
                .principes_gouvernance
                .iter()
                .enumerate()
                .map(|(i, pr)| Definition {
                    terme: format!("{}. {}", i + 1, pr.titre),
                    valeurs: pr.texte.iter().cloned().collect(),
                })
                .collect(),
        });
    }
    p
}

fn libres(m: &Modele) -> Vec<Page> {
    m.contenus
        .iter()
        .filter(|c| c.entete.objet == Objet::Page)
        .filter_map(|c| {
            let id = c.entete.id.clone()?;
            let mut p = page(
                format!("pages/{}", mutu_base::texte::slug(&id)),
                c.entete.titre_ecrit().cloned().unwrap_or_else(|| id.clone()),
                Rubrique::Pratique,
                Some("index"),
            );
            if mutu_model::audience::est_interne(c.entete.visibilite) {
                p.blocs.push(encadre_interne("cette page"));
            }
            p.blocs.push(Bloc::Markdown {
                source: c.markdown.clone(),
                fichier: c.fichier.clone(),
            });
            Some(p)
        })
        .collect()
}

fn accessibilite(m: &Modele) -> Page {
    let a = &m.config.accessibilite;
    let mut p = page("accessibilite", "Déclaration d'accessibilité", Rubrique::Pratique, Some("index"));
    p.resume = Some("État de conformité du site au référentiel général d'amélioration de l'accessibilité (RGAA 4.1).".into());
    p.blocs.push(Bloc::Paragraphe {
        texte: format!(
            "{} s'engage à rendre son site accessible conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005. Cette déclaration d'accessibilité s'applique au site « {} ».",
            mutu_base::texte::majuscule(&m.epci.article().le(&m.epci.nom)),
            m.config.titre
        ),
    });
    p.blocs.push(titre(2, "État de conformité"));
    let mut etat = format!(
        "Le site « {} » est {} avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.",
        m.config.titre,
        a.etat.libelle()
    );
    if let Some(t) = &a.taux_conformite {
        etat.push_str(&format!(" Taux de conformité : {t}."));
    }
    if let Some(d) = &a.date_audit {
        etat.push_str(&format!(" Évaluation réalisée le {}.", d.longue()));
    }
    p.blocs.push(Bloc::Paragraphe { texte: etat });
    p.blocs.push(titre(2, "Contenus non accessibles"));
    if a.contenus_non_accessibles.is_empty() {
        p.blocs.push(Bloc::Paragraphe {
            texte: "Aucun contenu non accessible n'a été identifié.".into(),
        });
    } else {
        p.blocs.push(Bloc::Liste {
            elements: a.contenus_non_accessibles.clone(),
        });
    }
    p.blocs.push(titre(2, "Établissement de cette déclaration"));
    p.blocs.push(Bloc::Paragraphe {
        texte: mutu_base::format::phrases(vec![
            "Les pages sont produites par le logiciel mutu. Ses gabarits sont vérifiés par sa suite de tests, sur des projets d'essai, avec axe-core 4.14 (règles WCAG 2.1 A et AA, dans un navigateur Chromium) et le validateur HTML Nu (vnu), avant chaque version du logiciel.".to_string(),
            "Les pages de ce site-ci ne sont pas vérifiées automatiquement quand il est construit : ses textes, tableaux et images relèvent de l'évaluation indiquée dans l'état de conformité ci-dessus, ou, à défaut, d'aucune vérification.".to_string(),
            "Technologies utilisées : HTML5, CSS, SVG ; le site ne requiert pas JavaScript.".to_string(),
        ]),
    });
    p.blocs.push(titre(2, "Retour d'information et contact"));
    let mut contact = format!("Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez nous contacter pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme : courriel {}", a.contact_courriel);
    if let Some(ad) = &m.identite.contact_adresse {
        contact.push_str(&format!(" ; adresse postale : {ad}"));
    }
    contact.push('.');
    p.blocs.push(Bloc::Paragraphe { texte: contact });
    p.blocs.push(titre(2, "Voies de recours"));
    p.blocs.push(Bloc::Paragraphe {
        texte: "Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez et que vous ne parvenez pas à obtenir une réponse de notre part, vous êtes en droit de saisir le Défenseur des droits :".into(),
    });
    p.blocs.push(Bloc::Liste {
        elements: vec![
            "écrire un message au Défenseur des droits (formulaire en ligne sur le site defenseurdesdroits.fr) ;".into(),
            "contacter le délégué du Défenseur des droits dans votre région ;".into(),
            "envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.".into(),
        ],
    });
    p
}

fn mentions(m: &Modele) -> Page {
    let ml = &m.config.mentions_legales;
    let id = &m.identite;
    let mut p = page("mentions-legales", "Mentions légales", Rubrique::Pratique, Some("index"));
    let mut lignes = vec![
        Definition {
            terme: "Éditeur".into(),
            valeurs: vec![id.editeur.clone()],
        },
        Definition {
            terme: "Directeur de la publication".into(),
            valeurs: vec![id.directeur_publication.clone()],
        },
        Definition {
            terme: "Hébergement".into(),
            valeurs: vec![ml.hebergeur.clone()],
        },
    ];
    if let Some(a) = &id.adresse {
        lignes.push(Definition {
            terme: "Adresse".into(),
            valeurs: vec![a.clone()],
        });
    }
    lignes.push(Definition {
        terme: "SIREN de l'EPCI".into(),
        valeurs: vec![m.epci.siren.clone()],
    });
    p.blocs.push(Bloc::Definitions { lignes });
    p.blocs.push(titre(2, "Réutilisation des données"));
    p.blocs.push(Bloc::Paragraphe {
        texte: "Les tableaux publiés sur ce site sont téléchargeables aux formats CSV et JSON et réutilisables selon les termes de la Licence Ouverte / Open Licence version 2.0 (Etalab), sous réserve de mentionner leur source.".into(),
    });
    p.blocs.push(titre(2, "Confidentialité"));
    p.blocs.push(Bloc::Paragraphe {
        texte: "Ce site ne dépose aucun cookie, n'utilise aucun outil de mesure d'audience et ne charge aucune ressource depuis un autre site.".into(),
    });
    p
}

fn telechargements(m: &Modele, doc: &Document, opts: &Options) -> Page {
    let mut p = page(
        "telechargements",
        "Téléchargements et données ouvertes",
        Rubrique::Telechargements,
        Some("index"),
    );
    p.resume = Some("Le rapport au format PDF et toutes les données publiées, en CSV, JSON et classeur ODS ou XLSX sous Licence Ouverte.".into());
    let mut t = super::cells::tableau(
        "telechargements-fichiers",
        "Documents",
        &[("Document", false), ("Format", false), ("Contenu", false)],
    );
    if opts.pdf {
        t.lignes.push(vec![
            super::cells::entete_lien(doc.titre_complet.clone(), format!("{}.pdf", doc.nom_pdf)),
            super::cells::texte("PDF (PDF/A-2, balisé)"),
            super::cells::texte(format!("annexe à la délibération n° {}", m.rapport.deliberation)),
        ]);
    }
    if opts.extraits {
        for mb in m
            .membres
            .iter()
            .filter(|mb| doc.pages.iter().any(|p| p.membre.as_deref() == Some(mb.id.as_str())))
        {
            t.lignes.push(vec![
                super::cells::entete_lien(format!("Extrait pour {}", mb.nom), format!("extraits/{}.pdf", mb.id)),
                super::cells::texte("PDF"),
                super::cells::texte("services utilisés et montants de la commune"),
            ]);
        }
    }
    t.lignes.push(vec![
        super::cells::entete_lien("Tous les tableaux dans un classeur", doc.chemin_classeur("ods")),
        super::cells::texte("ODS (tableur OpenDocument)"),
        super::cells::texte("une feuille par tableau, montants en euros et pourcentages prêts au calcul"),
    ]);
    t.lignes.push(vec![
        super::cells::entete_lien("Tous les tableaux dans un classeur Excel", doc.chemin_classeur("xlsx")),
        super::cells::texte("XLSX (Excel)"),
        super::cells::texte("les mêmes feuilles que le classeur ODS"),
    ]);
    t.lignes.push(vec![
        super::cells::entete_lien("Description des données (Frictionless Data Package)", "donnees/datapackage.json"),
        super::cells::texte("JSON"),
        super::cells::texte("colonnes, types, unités et licence de chaque fichier CSV"),
    ]);
    if doc.epci_siret.is_some() {
        t.lignes.push(vec![
            super::cells::entete_lien("Délibération (SCDL Délibérations)", "donnees/deliberations.csv"),
            super::cells::texte("CSV"),
            super::cells::texte("la délibération à laquelle le rapport est annexé, au format national"),
        ]);
    }
    t.lignes.push(vec![
        super::cells::entete_lien("Modèle de données complet", "donnees/mutu-export.json"),
        super::cells::texte("JSON"),
        super::cells::texte("tous les chiffres calculés (format décrit dans docs/export.md)"),
    ]);
    p.blocs.push(Bloc::Tableau(t));
    p.blocs.push(titre(2, "Tableaux publiés"));
    p.blocs.push(Bloc::Paragraphe {
        texte: "Chaque tableau du site est disponible en CSV (séparateur point-virgule, encodage UTF-8), décrit dans datapackage.json (Frictionless Data Package), et tous ensemble dans le classeur ci-dessus (ODS ou XLSX), une feuille par tableau. Licence Ouverte / Open Licence version 2.0 (Etalab).".into(),
    });
    let mut d = super::cells::tableau(
        "telechargements-tableaux",
        "Données ouvertes : un fichier par tableau",
        &[("Tableau", false), ("Page", false), ("CSV", false)],
    );
    for page in &doc.pages {
        for b in &page.blocs {
            if let Bloc::Tableau(tb) = b {
                d.lignes.push(vec![
                    super::cells::entete(tb.titre.clone()),
                    super::cells::lien(page.titre.clone(), page.id.clone()),
                    super::cells::lien(format!("{}.csv", tb.id), format!("donnees/{}.csv", tb.id)),
                ]);
            }
        }
    }
    p.blocs.push(Bloc::Tableau(d));
    p
}

#[cfg(test)]
mod tests {
    use crate::blocs::{avec_annee, legende_en_place, sans_texte};

    /// Issue 13: « Coût 2023 de l'instruction ADS — 2023 », « (tarif 2024) »
    /// after « … facturées 2024 », « Instruction ADS 2020 » after « Coût 2020 ».
    #[test]
    fn the_year_is_said_once() {
        assert_eq!(
            avec_annee(&["Coût 2023 de l'instruction ADS"], "", 2023, " — "),
            "Coût 2023 de l'instruction ADS"
        );
        assert_eq!(avec_annee(&["Coût de l'instruction ADS"], "", 2023, " — "), "Coût de l'instruction ADS — 2023");
        assert_eq!(
            avec_annee(&["Journées facturées", "Appui informatique : jours (tarif 2024)"], " — ", 2024, " "),
            "Journées facturées — Appui informatique : jours (tarif 2024)"
        );
        assert_eq!(
            avec_annee(
                &["Coût 2020 de l'instruction ADS", "étape 1 : Instruction ADS 2020 : partage"],
                " — ",
                2020,
                " "
            ),
            "Coût 2020 de l'instruction ADS — étape 1 : Instruction ADS : partage"
        );
        assert_eq!(
            avec_annee(&["Participations", "Lecture publique 2021 : population"], " — ", 2021, " "),
            "Participations — Lecture publique 2021 : population"
        );
        assert_eq!(avec_annee(&["Schéma 2023-2026"], "", 2023, " "), "Schéma 2023-2026");
        // The title `mutu new` writes, after a page title naming the year
        // (it read « … de mutualisation — exercice » in every tab).
        assert_eq!(
            avec_annee(
                &[
                    "L'essentiel de l'exercice 2024",
                    "Rapport sur l'avancement du schéma de mutualisation — exercice 2024"
                ],
                " — ",
                2024,
                " "
            ),
            "L'essentiel de l'exercice 2024 — Rapport sur l'avancement du schéma de mutualisation"
        );
        assert_eq!(avec_annee(&["Coûts 2024", "Bilan de l'exercice 2024"], " — ", 2024, " "), "Coûts 2024 — Bilan");
    }

    /// Issue 13: a caption equal to the heading above it, or the heading
    /// followed by the page title, says nothing of its own.
    #[test]
    fn captions_do_not_repeat_their_heading() {
        assert_eq!(legende_en_place("Dossiers instruits", "Instruction ADS", Some("Dossiers instruits")), "");
        assert_eq!(
            legende_en_place("Organismes adhérents — Garage commun", "Garage commun", Some("Organismes adhérents")),
            ""
        );
        assert_eq!(
            legende_en_place(
                "Dossiers instruits par organisme — Instruction ADS",
                "Instruction ADS",
                Some("Dossiers instruits")
            ),
            "Dossiers instruits par organisme"
        );
        assert_eq!(
            legende_en_place("Heures facturées : toutes collectivités", "Garage", Some("Heures facturées")),
            "Toutes collectivités"
        );
        assert_eq!(
            legende_en_place("Groupements de commandes de Daoulas", "Daoulas", Some("Groupements de commandes")),
            "Groupements de commandes de Daoulas"
        );
        assert_eq!(
            legende_en_place("Groupements de commandes 2023", "Commande publique", Some("Groupements de commandes 2023")),
            ""
        );
        assert_eq!(legende_en_place("Dossiers déposés", "Instruction ADS", Some("Dossier")), "Dossiers déposés");
        assert_eq!(
            legende_en_place("Bilan 2023 (TTC) — Garage commun", "Garage commun", Some("Bilans financiers")),
            "Bilan 2023 (TTC)"
        );
    }

    #[test]
    fn narratives_not_written_yet_are_skipped() {
        assert!(sans_texte("\n\n"));
        assert!(sans_texte("<!-- Rédigez ici le bilan de l'année. -->\n"));
        assert!(!sans_texte("<!-- note -->\nLe service a ouvert."));
        assert!(!sans_texte("Texte <!-- commentaire"));
    }

    #[test]
    fn blank_titles_make_no_empty_heading() {
        let run = mutu_compute::pipeline::run(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")));
        let mut m = run.publishable().expect("projet d'exemple valide").clone();
        let mut libres = 0;
        for c in &mut m.contenus {
            c.entete.titre = Some(" \t".into());
            libres += usize::from(c.entete.objet == mutu_model::Objet::Page);
        }
        assert!(libres > 0, "l'exemple a des pages libres");
        let doc = crate::document(&m, &crate::Options { pdf: true, extraits: false });
        for p in &doc.pages {
            assert!(!p.titre.trim().is_empty(), "{}", p.id);
            for b in &p.blocs {
                if let crate::Bloc::Titre { texte, .. } = b {
                    assert!(!texte.trim().is_empty(), "titre vide dans {}", p.id);
                }
            }
        }
    }
}
