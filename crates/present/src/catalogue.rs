//! The « Catalogue des services » page: each service with an `offre:` as
//! a commune reads it before joining — what it does, what it includes and
//! not, its unit of account and price for the coming year (a tariff, a
//! flat fee, the key of its allocation, or a grid of one or two
//! dimensions), who pays nothing, the conditions of joining and whom to
//! ask. The same page is a section of the annex (`pdf.sections:
//! [catalogue]`) and, on its own, the document of `mutu pdf --catalogue`.

use super::blocs::{avec_annee, page, titre};
use super::cells::{entete, entete_lien, entier, euros, tableau, texte};
use super::{Bloc, Definition, Document, Page, Rubrique};
use mutu_base::format::{self, Grandeur};
use mutu_base::texte::pluriel;
use mutu_compute::{Modele, ServiceCalcule};
use mutu_model::catalogue::{habitants, GrillePrix, Offre, Prix};
use mutu_model::cles::{Calcul, Cle};

/// Id of the catalogue page (its own PDF section, « catalogue »).
pub const PAGE: &str = "catalogue";

/// The catalogue page, when at least one service has an offer.
pub fn page_catalogue(m: &Modele) -> Option<Page> {
    let offres: Vec<(&ServiceCalcule, &Offre)> = m.services.iter().filter_map(|s| s.service.offre.as_ref().map(|o| (s, o))).collect();
    if offres.is_empty() {
        return None;
    }
    let mut p = page(PAGE, "Catalogue des services", Rubrique::Services, Some("services"));
    // In the annex only when the configuration lists the section.
    p.pdf = m.config.pdf.sections.iter().any(|s| s == PAGE);
    p.resume = Some(
        "Les services mutualisés ouverts aux communes et aux organismes du territoire : ce que chacun comprend, son prix, les conditions d'adhésion et un contact."
            .into(),
    );
    let mut t = tableau(
        "catalogue-offres",
        "Offres du catalogue des services",
        &[
            ("Service", false),
            ("Forme juridique", false),
            ("Unité de compte", false),
            ("Prix", false),
            ("Organismes adhérents", true),
        ],
    );
    for (s, o) in &offres {
        t.lignes.push(vec![
            entete_lien(s.service.nom.clone(), format!("services/{}", s.service.id)),
            texte(s.forme_libelle),
            texte(o.unite.clone().unwrap_or_default()),
            texte(o.prix.as_ref().map(|pr| prix_texte(m, o, pr)).unwrap_or_else(|| "sur demande".into())),
            entier(s.service.adherents.len()),
        ]);
    }
    p.blocs.push(Bloc::Tableau(t));
    for (s, o) in offres {
        offre(m, s, o, &mut p);
    }
    Some(p)
}

/// The link to the catalogue that the services' index and a service with
/// an offer show.
pub fn lien_catalogue(detail: &str) -> super::Lien {
    super::Lien {
        page: PAGE.to_string(),
        texte: "Catalogue des services".to_string(),
        detail: Some(detail.to_string()),
    }
}

/// The standalone catalogue of `mutu pdf --catalogue`: the report's cover
/// data with the catalogue's title, and the catalogue page alone.
pub fn document_catalogue(doc: &Document) -> Option<Document> {
    let mut page = doc.pages.iter().find(|p| p.id == PAGE)?.clone();
    page.pdf = true;
    let mut d = doc.sans_pages();
    d.titre = format!("Catalogue des services — {}", doc.epci_sigle);
    d.titre_complet = avec_annee(&[&d.titre], "", doc.exercice + 1, " — ");
    d.sous_titre = Some(format!("Offres et prix pour {}", doc.exercice + 1));
    d.nom_pdf = format!("catalogue-des-services-{}", doc.exercice + 1);
    // No deliberation adopts the catalogue: none is named on it.
    d.genre = super::GenreDocument::Catalogue;
    d.deliberation = String::new();
    d.actes_id = None;
    d.date_conseil_texte = String::new();
    d.transmission = Vec::new();
    d.mots_cles = vec!["catalogue des services".into(), "mutualisation".into(), doc.epci_sigle.clone()];
    d.pages = vec![page];
    Some(d)
}

fn offre(m: &Modele, s: &ServiceCalcule, o: &Offre, p: &mut Page) {
    let sv = &s.service;
    p.blocs.push(titre(2, sv.nom.clone()));
    if let Some(d) = &o.description {
        p.blocs.push(Bloc::Paragraphe { texte: d.clone() });
    }
    let mut lignes = super::services::identite(m, s);
    if let Some(u) = &o.unite {
        lignes.push(Definition {
            terme: "Unité de compte".into(),
            valeurs: vec![u.clone()],
        });
    }
    if let Some(pr) = &o.prix {
        let mut v = vec![prix_texte(m, o, pr)];
        v.extend(pr.note.clone());
        lignes.push(Definition {
            terme: format!("Prix {}", pr.exercice),
            valeurs: v,
        });
    }
    if !o.gratuite.is_empty() {
        lignes.push(Definition {
            terme: "Gratuit pour".into(),
            valeurs: o
                .gratuite
                .iter()
                .map(|g| {
                    let qui = match g.genre {
                        Some(k) => match k {
                            mutu_model::catalogue::GenrePublic::Commune => "les communes",
                            mutu_model::catalogue::GenrePublic::EtablissementPublic => "les établissements publics",
                            mutu_model::catalogue::GenrePublic::Epci => "les EPCI",
                        },
                        None => "les organismes",
                    };
                    let mut t = format!("{qui} de moins de {} habitants", format::entier(g.population_inferieure_a as i64));
                    if let Some(motif) = &g.motif {
                        t.push_str(&format!(" ({motif})"));
                    }
                    t
                })
                .collect(),
        });
    }
    if let Some(c) = &o.conditions {
        if let Some(x) = &c.public {
            lignes.push(Definition {
                terme: "Qui peut adhérer".into(),
                valeurs: vec![x.clone()],
            });
        }
        if let Some(a) = c.acte {
            lignes.push(Definition {
                terme: "Adhésion par".into(),
                valeurs: vec![a.libelle().to_string()],
            });
        }
        if let Some(n) = c.duree_minimale_ans {
            lignes.push(Definition {
                terme: "Durée minimale".into(),
                valeurs: vec![pluriel(n as usize, "an", "ans")],
            });
        }
        if let Some(n) = c.preavis_mois {
            lignes.push(Definition {
                terme: "Préavis de retrait".into(),
                valeurs: vec![format!("{} mois", format::entier(n as i64))],
            });
        }
        if let Some(x) = &c.note {
            lignes.push(Definition {
                terme: "Conditions".into(),
                valeurs: vec![x.clone()],
            });
        }
    }
    lignes.push(Definition {
        terme: "Adhérents".into(),
        valeurs: vec![pluriel(sv.adherents.len(), "organisme", "organismes")],
    });
    if let Some(c) = &o.contact {
        let mut v = vec![match &c.fonction {
            Some(f) => format!("{}, {f}", c.nom),
            None => c.nom.clone(),
        }];
        v.extend(c.courriel.clone());
        v.extend(c.telephone.clone());
        lignes.push(Definition {
            terme: "Contact".into(),
            valeurs: v,
        });
    }
    p.blocs.push(Bloc::Definitions { lignes });
    gratuits(m, s, o, p);
    for (libelle, elements) in [("Compris dans le prix", &o.inclus), ("Non compris", &o.exclus)] {
        if !elements.is_empty() {
            p.blocs.push(titre(3, libelle));
            p.blocs.push(Bloc::Liste { elements: elements.clone() });
        }
    }
    if let Some(g) = o.prix.as_ref().and_then(|pr| pr.grille.as_ref().map(|g| (pr, g))) {
        p.blocs.push(titre(3, format!("Grille de prix {}", g.0.exercice)));
        p.blocs.push(Bloc::Tableau(grille(sv.id.as_str(), &sv.nom, g.0, g.1)));
    }
    if let Some(pa) = &s.participation {
        participation(m, s, pa, p);
    }
}

/// The EPCI's participation read in the grid: the band of its volume, the
/// establishments its scope counts, the amount, and who pays it.
fn participation(m: &Modele, s: &ServiceCalcule, pa: &mutu_compute::participation::ParticipationCalculee, p: &mut Page) {
    let epci = m.epci.article().de(&m.epci.sigle);
    p.blocs.push(titre(3, format!("Participation {} {epci}", pa.exercice)));
    let mut lignes = vec![Definition {
        terme: "Périmètre".into(),
        valeurs: vec![pa.perimetre.libelle().to_string()],
    }];
    let unite = s
        .service
        .offre
        .as_ref()
        .and_then(|o| o.prix.as_ref())
        .and_then(|x| x.grille.as_ref())
        .and_then(|g| g.lignes.unite.as_deref())
        .map(|u| format!(" {u}"))
        .unwrap_or_default();
    let volume = format!("{}{unite}", Grandeur::Quantite.texte(&pa.volume));
    lignes.push(Definition {
        terme: "Volume utilisé".into(),
        valeurs: vec![match &pa.ligne {
            Some(l) => format!("{volume} : palier « {l} »"),
            None => format!("{volume} : au-delà du dernier palier"),
        }],
    });
    let gratuits: Vec<String> = pa
        .etablissements
        .iter()
        .filter(|e| e.gratuit)
        .map(|e| match e.habitants {
            Some(h) => format!("{} ({} habitants)", e.nom, format::entier(h as i64)),
            None => e.nom.clone(),
        })
        .collect();
    let mut comptes = if pa.etablissements.is_empty() {
        "aucun : le périmètre n'en comprend pas".to_string()
    } else {
        format!("{} sur {}", format::entier(pa.comptes as i64), format::entier(pa.etablissements.len() as i64))
    };
    if !gratuits.is_empty() {
        comptes.push_str(&format!(" ; sous le seuil de gratuité, non comptés : {}", gratuits.join(", ")));
    }
    if let Some(c) = &pa.colonne {
        comptes.push_str(&format!(" ; colonne « {c} »"));
    }
    lignes.push(Definition {
        terme: "Établissements publics comptés".into(),
        valeurs: vec![comptes],
    });
    lignes.push(Definition {
        terme: format!("Participation {}", pa.exercice),
        valeurs: vec![match pa.montant {
            Some(x) => Grandeur::Montant.texte(&x),
            None => "hors de la grille : pas de prix publié".to_string(),
        }],
    });
    // The key's label is the computed allocation's own (one step).
    lignes.push(Definition {
        terme: "Prise en charge".into(),
        valeurs: vec![match pa.refacturation.as_ref().and_then(|r| r.etapes.first()) {
            Some(e) => format!("refacturée aux communes selon la clé « {} »", e.cle_libelle),
            None => format!("gardée par {}", m.epci.article().le(&m.epci.sigle)),
        }],
    });
    p.blocs.push(Bloc::Definitions { lignes });
    if let Some(r) = &pa.refacturation {
        super::services::tableaux_repartition(m, &format!("catalogue-{}-refacturation", s.service.id), r, p);
    }
}

/// The members of the territory a free tier applies to, by name: what
/// the thresholds mean here.
fn gratuits(m: &Modele, s: &ServiceCalcule, o: &Offre, p: &mut Page) {
    if o.gratuite.is_empty() {
        return;
    }
    let mut noms = Vec::new();
    let mut annees = std::collections::BTreeSet::new();
    for mb in &m.membres {
        let h = habitants(mb);
        if o.gratuite_pour(mb.genre, h.map(|(_, n)| n)).is_some() {
            noms.push(mb.nom.clone());
            annees.extend(h.map(|(a, _)| a));
        }
    }
    let annees: Vec<String> = annees.iter().map(ToString::to_string).collect();
    let texte = if noms.is_empty() {
        format!(
            "Aucun membre du territoire n'est sous ces seuils : tous paient le service « {} ».",
            s.service.nom
        )
    } else {
        format!(
            "Sous ces seuils dans le territoire (population {}), {} ne paient pas : {}.",
            annees.join(", "),
            pluriel(noms.len(), "membre", "membres"),
            noms.join(", ")
        )
    };
    p.blocs.push(Bloc::Paragraphe { texte });
}

/// The price in one phrase: « 180,00 € par acte instruit (TTC) ».
fn prix_texte(m: &Modele, o: &Offre, pr: &Prix) -> String {
    let taxes = pr.taxes.map(|t| format!(" ({})", t.libelle())).unwrap_or_default();
    let unite = o.unite.as_deref().unwrap_or("unité");
    if let Some(t) = &pr.tarif {
        format!("{} par {unite}{taxes}", Grandeur::Montant.texte(&t.0))
    } else if let Some(f) = &pr.forfait {
        format!("forfait de {} par organisme et par an{taxes}", Grandeur::Montant.texte(&f.0))
    } else if let Some(id) = &pr.cle {
        match m.cles.iter().find(|c| &c.id == id) {
            Some(c) => format!("coût partagé {}{taxes}", cle_texte(c)),
            None => format!("coût partagé selon la clé « {id} »{taxes}"),
        }
    } else if let Some(g) = &pr.grille {
        let min = g.montants.iter().flatten().map(|x| x.0).min();
        let max = g.montants.iter().flatten().map(|x| x.0).max();
        let axes = match &g.colonnes {
            // The axes' labels are nouns without article (« Volume de
            // stockage »): named in parentheses, not woven into a sentence.
            Some(c) => format!("selon la grille ({} × {})", minuscule(&g.lignes.libelle), minuscule(&c.libelle)),
            None => format!("selon la grille ({})", minuscule(&g.lignes.libelle)),
        };
        match (min, max) {
            (Some(a), Some(b)) if a != b => format!("de {} à {} par an, {axes}{taxes}", Grandeur::Montant.texte(&a), Grandeur::Montant.texte(&b)),
            (Some(a), _) => format!("{} par an{taxes}", Grandeur::Montant.texte(&a)),
            _ => format!("grille {axes}"),
        }
    } else {
        "sur demande".into()
    }
}

/// How a key shares the cost, in the words of the allocation rules.
fn cle_texte(c: &Cle) -> String {
    match c.base.calcul() {
        Calcul::Population(_) => format!(
            "au prorata de la {}{}",
            c.base.libelle(),
            c.millesime.map(|a| format!(" {a}")).unwrap_or_default()
        ),
        Calcul::Tarif => format!(
            "à l'unité : {} par {}",
            Grandeur::Montant.texte(&c.tarif.as_ref().map(|t| t.0).unwrap_or_default()),
            c.unite.as_deref().unwrap_or("unité")
        ),
        Calcul::Grille => "selon une grille par tranche de population".to_string(),
        Calcul::Quotites => format!("par quotités fixes (clé « {} »)", c.libelle),
        Calcul::Valeurs => format!("au prorata de la clé « {} »", c.libelle),
    }
}

fn minuscule(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The grid as a table: one row per band of `lignes`, one column per band
/// of `colonnes` (or one « Montant » column).
fn grille(id: &str, nom: &str, pr: &Prix, g: &GrillePrix) -> super::Tableau {
    let colonnes: Vec<String> = match &g.colonnes {
        Some(c) => c.paliers.iter().map(|p| p.libelle.clone()).collect(),
        None => vec!["Montant".to_string()],
    };
    let mut entetes: Vec<(&str, bool)> = vec![(g.lignes.libelle.as_str(), false)];
    entetes.extend(colonnes.iter().map(|c| (c.as_str(), true)));
    let mut t = tableau(format!("catalogue-{id}-grille"), format!("Grille de prix {} — {nom}", pr.exercice), &entetes);
    for (palier, montants) in g.lignes.paliers.iter().zip(&g.montants) {
        let mut ligne = vec![entete(palier.libelle.clone())];
        ligne.extend(montants.iter().map(|x| euros(&x.0)));
        t.lignes.push(ligne);
    }
    if let Some(c) = &g.colonnes {
        let taxes = pr.taxes.map(|t| format!(" {}", t.libelle())).unwrap_or_default();
        t.note = Some(format!(
            "Montants annuels{taxes} en euros : en ligne, {} ; en colonne, {}.",
            minuscule(&g.lignes.libelle),
            minuscule(&c.libelle)
        ));
    }
    t
}
