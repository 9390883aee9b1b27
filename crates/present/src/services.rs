//! Pages of the services mutualisés: identity, members, staff, activity
//! indicators (chart + table), balances and allocations with their rule.

use super::blocs::{avec_annee, blocs_narratifs, encadre_interne, page, titre};
use super::cells::{self, entete, entete_lien, euros, euros_signe, nombre, non_renseigne, pourcentage, pourcentage_signe, tableau, texte, vide};
use super::charts::{Genre, Serie, Spec};
use super::{Bloc, Definition, DetailPdf, Page, Rubrique};
use mutu_base::format::{self, Grandeur};
use mutu_compute::bilans::BilanCalcule;
use mutu_compute::repartition::{PartCalculee, RepartitionCalculee};
use mutu_compute::synthese::IndicateurCalcule;
use mutu_compute::{Modele, ServiceCalcule};
use mutu_model::services::{Graphique as GenreIndicateur, Trace};
use mutu_model::Objet;
use rust_decimal::Decimal;

pub fn pages(m: &Modele) -> Vec<Page> {
    let mut index = page("services", "Les services mutualisés", Rubrique::Services, Some("index"));
    index.resume = Some("Services communs, mises à disposition, prestations et groupements : activité et coûts de chaque service mutualisé.".into());
    let mut t = tableau(
        "services-liste",
        "Services mutualisés",
        &[
            ("Service", false),
            ("Forme juridique", false),
            ("Porteur", false),
            ("Organismes adhérents", true),
            ("Création", false),
        ],
    );
    for s in &m.services {
        t.lignes.push(vec![
            entete_lien(s.service.nom.clone(), format!("services/{}", s.service.id)),
            texte(s.forme_libelle),
            texte(m.nom(&s.service.porteur)),
            cells::entier(s.service.adherents.len()),
            s.service.creation.map(|d| texte(d.longue())).unwrap_or_else(vide),
        ]);
    }
    index.blocs.push(Bloc::Tableau(t));
    let mut liens = Vec::new();
    if m.services.iter().any(|s| !s.service.adherents.is_empty()) {
        liens.push(super::Lien {
            page: super::matrice::PAGE.to_string(),
            texte: "Qui utilise quoi".to_string(),
            detail: Some("les services utilisés par chaque organisme, avec l'année de son adhésion".to_string()),
        });
    }
    if m.services.iter().any(|s| s.service.offre.is_some()) {
        liens.push(super::catalogue::lien_catalogue(
            "ce que chaque service comprend, son prix et les conditions pour y adhérer",
        ));
    }
    if !liens.is_empty() {
        index.blocs.push(Bloc::Liens { liens });
    }
    let mut out = vec![index];
    out.extend(m.services.iter().flat_map(|s| service(m, s)));
    out
}

/// Parts above which the detail of an earlier year's allocation leaves the
/// service page (and so the PDF report) for an annex page of the site: the
/// report of a territory of 2 000 communes would otherwise print 2 000 rows
/// per year and per step (over 1 000 pages for ten years). The report keeps
/// every allocation of its own year, and a summary line for each moved one.
pub const DETAIL_ANTERIEUR_MAX: usize = 40;

fn detail_en_annexe(m: &Modele, r: &RepartitionCalculee) -> bool {
    let lignes = r.etapes.iter().map(|e| e.parts.len()).chain([r.parts.len()]).max().unwrap_or(0);
    r.exercice < m.rapport.exercice && lignes > DETAIL_ANTERIEUR_MAX
}

/// The service's page, then its annex of earlier allocations when some are
/// too long for the report (see [`DETAIL_ANTERIEUR_MAX`]).
fn service(m: &Modele, s: &ServiceCalcule) -> Vec<Page> {
    let sv = &s.service;
    let id = format!("services/{}", sv.id);
    let mut p = page(id.clone(), sv.nom.clone(), Rubrique::Services, Some("services"));
    p.pdf = true;
    p.resume = sv
        .resume
        .clone()
        .or_else(|| Some(format!("{} porté par {}.", s.forme_libelle, m.nom(&sv.porteur))));
    let mut ident = identite(m, s);
    if let Some(d) = &sv.domaine {
        ident.push(Definition {
            terme: "Domaine".into(),
            valeurs: vec![d.clone()],
        });
    }
    if let Some(c) = &sv.creation {
        ident.push(Definition {
            terme: "Création".into(),
            valeurs: vec![c.longue()],
        });
    }
    if let Some(e) = &s.effectifs_total {
        let mut v = format!(
            "{} {}",
            Grandeur::Quantite.texte(&e.agents),
            if e.agents > Decimal::ONE { "agents" } else { "agent" }
        );
        if let Some(etp) = e.etp {
            v.push_str(&format!(", {} ETP", Grandeur::Quantite.texte(&etp)));
        }
        if !e.mis_a_disposition.is_zero() {
            v.push_str(&format!(", dont {} mis à disposition", Grandeur::Quantite.texte(&e.mis_a_disposition)));
        }
        ident.push(Definition {
            terme: "Effectifs".into(),
            valeurs: vec![v],
        });
    }
    if mutu_model::audience::est_interne(sv.visibilite) {
        p.blocs.push(encadre_interne("ce service"));
    }
    p.blocs.push(Bloc::Definitions { lignes: ident });
    if sv.offre.is_some() {
        p.blocs.push(Bloc::Liens {
            liens: vec![super::catalogue::lien_catalogue(
                "l'offre de ce service : son prix et les conditions pour y adhérer",
            )],
        });
    }
    p.blocs.extend(blocs_narratifs(m, Objet::Service, Some(&sv.id)));
    adherents(m, s, &mut p);
    composantes(m, s, &mut p);
    if !s.indicateurs.is_empty() {
        p.blocs.push(titre(2, "Activité"));
        for ind in &s.indicateurs {
            indicateur(m, s, ind, &mut p);
        }
    }
    super::enquetes::enquetes(s, &mut p);
    if !s.bilans.is_empty() {
        p.blocs.push(titre(2, "Bilans financiers"));
        for b in &s.bilans {
            bilan(s, b, &mut p);
        }
        if s.bilans.len() > 1 {
            bilans_graphique(s, &mut p);
        }
    }
    let mut annexe = None;
    if !s.repartitions.is_empty() {
        p.blocs.push(titre(2, "Répartition des coûts"));
        let (deplacees, gardees): (Vec<_>, Vec<_>) = s.repartitions.iter().enumerate().partition(|(_, r)| detail_en_annexe(m, r));
        for (i, r) in gardees {
            repartition(m, s, i, r, &mut p);
        }
        if !deplacees.is_empty() {
            let aid = format!("{id}/exercices-anterieurs");
            let atitre = format!("{} : répartitions des exercices antérieurs", sv.nom);
            p.blocs.push(titre(3, "Exercices antérieurs"));
            p.blocs.push(Bloc::Paragraphe {
                texte: format!("Ces répartitions comptent chacune plus de {DETAIL_ANTERIEUR_MAX} organismes : seul leur total figure ici."),
            });
            // Where the detail is, in web words: the site only.
            p.site_seulement.push(p.blocs.len());
            p.blocs.push(Bloc::Paragraphe {
                texte: format!("Le montant de chaque organisme figure sur la page « {atitre} » et dans les données ouvertes."),
            });
            let mut t = tableau(
                format!("service-{}-repartitions-anterieures", sv.id),
                format!("Répartitions des exercices antérieurs — {}", sv.nom),
                &[
                    ("Exercice", false),
                    ("Répartition", false),
                    ("Régime", false),
                    ("Organismes", true),
                    ("Montant réparti", true),
                ],
            );
            let mut a = page(aid.clone(), atitre, Rubrique::Services, Some(&id));
            a.resume = Some(format!(
                "Montant de chaque organisme dans les répartitions du service « {} » des exercices antérieurs à {}.",
                sv.nom, m.rapport.exercice
            ));
            for (i, r) in deplacees {
                t.lignes.push(vec![
                    entete(r.exercice.to_string()),
                    cells::lien(r.libelle.clone(), aid.clone()),
                    texte(r.taxes.libelle()),
                    cells::entier(r.parts.len()),
                    euros(&r.total),
                ]);
                repartition(m, s, i, r, &mut a);
            }
            p.blocs.push(Bloc::Tableau(t));
            annexe = Some(a);
        }
    }
    let mut out = vec![p];
    out.extend(annexe);
    out
}

fn adherents(m: &Modele, s: &ServiceCalcule, p: &mut Page) {
    let sv = &s.service;
    if sv.adherents.is_empty() {
        return;
    }
    p.blocs.push(titre(2, "Organismes adhérents"));
    let mut t = tableau(
        format!("service-{}-adherents", sv.id),
        format!("Organismes adhérents — {}", sv.nom),
        &[
            ("Organisme", false),
            ("Convention", false),
            ("Depuis", false),
            ("Jusqu'au", false),
            ("Paiement", false),
        ],
    );
    t.detail = Some(DetailPdf::Adherents);
    for a in &sv.adherents {
        let is_member = m.annuaire.membre(&m.membres, &a.membre).is_some();
        let name = m.nom(&a.membre);
        let head = if is_member {
            entete_lien(name, format!("communes/{}", a.membre))
        } else {
            entete(name)
        };
        let date = |d: &Option<mutu_model::Date>| d.map(|d| texte(d.courte())).unwrap_or_else(vide);
        t.lignes.push(vec![
            head,
            date(&a.convention),
            date(&a.depuis),
            date(&a.jusqu_au),
            a.paiement.map(|x| texte(x.libelle())).unwrap_or_else(vide),
        ]);
    }
    p.blocs.push(Bloc::Tableau(t));
}

fn composantes(m: &Modele, s: &ServiceCalcule, p: &mut Page) {
    let sv = &s.service;
    if sv.composantes.is_empty() {
        return;
    }
    p.blocs.push(titre(2, "Composantes et effectifs"));
    let mut t = tableau(
        format!("service-{}-composantes", sv.id),
        format!("Composantes du service — {}", sv.nom),
        &[
            ("Composante", false),
            ("Clé de répartition", false),
            ("Agents", true),
            ("ETP", true),
            ("Mis à disposition", true),
            ("Hors refacturation", true),
        ],
    );
    for c in &sv.composantes {
        let cle = c
            .cle
            .as_ref()
            .and_then(|k| m.cles.iter().find(|x| &x.id == k))
            .map(|k| format!("{} ({})", k.libelle, k.base.libelle()))
            .unwrap_or_else(|| "—".into());
        let nom = match &c.sigle {
            Some(sg) => format!("{sg} — {}", c.nom),
            None => c.nom.clone(),
        };
        let e = c.effectifs.as_ref();
        let n = |v: Option<Decimal>| v.map(|d| nombre(&d)).unwrap_or_else(vide);
        t.lignes.push(vec![
            entete(nom),
            texte(cle),
            n(e.map(|e| e.agents.0)),
            n(e.and_then(|e| e.etp.map(|x| x.0))),
            n(e.and_then(|e| e.mis_a_disposition.map(|x| x.0))),
            n(e.and_then(|e| e.hors_refacturation.map(|x| x.0))),
        ]);
    }
    if let Some(tot) = &s.effectifs_total {
        t.pied.push(vec![
            entete("Total"),
            texte(""),
            nombre(&tot.agents),
            tot.etp.map(|d| nombre(&d)).unwrap_or_else(vide),
            nombre(&tot.mis_a_disposition),
            nombre(&tot.hors_refacturation),
        ]);
    }
    p.blocs.push(Bloc::Tableau(t));
    // The yearly base values of the components' keys, as entered (the
    // shares of the services communs, e.g. SCP 20,84 / 79,16 in 2021).
    let mut valeurs = Vec::new();
    for c in &sv.composantes {
        let Some(k) = c.cle.as_ref().and_then(|k| m.cles.iter().find(|x| &x.id == k)) else {
            continue;
        };
        let annee = |v: &std::collections::BTreeMap<String, mutu_model::values::Nombre>| {
            v.iter()
                .map(|(id, n)| format!("{} {}", m.nom(id), Grandeur::Quantite.texte(&n.0)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let detail = match (&k.valeurs_par_exercice, &k.valeurs) {
            (Some(par), _) => par.iter().map(|(y, v)| format!("{y} : {}", annee(v))).collect::<Vec<_>>().join(" ; "),
            (None, Some(v)) => format!("chaque année : {}", annee(v)),
            (None, None) => continue,
        };
        valeurs.push(format!(
            "{} ({}) — {detail}",
            c.sigle.clone().unwrap_or_else(|| c.nom.clone()),
            k.base.libelle()
        ));
    }
    if !valeurs.is_empty() {
        p.blocs.push(Bloc::Definitions {
            lignes: vec![Definition {
                terme: "Valeurs des clés, telles que saisies".into(),
                valeurs,
            }],
        });
    }
}

/// The rule of an allocation, followed by the description of each key it uses.
fn note_regle(m: &Modele, r: &RepartitionCalculee) -> String {
    let mut s = crate::regles::regle(m, r);
    for e in &r.etapes {
        let Some(cle) = m.cles.iter().find(|k| k.id == e.cle) else { continue };
        if let Some(d) = &cle.description {
            s.push_str(&format!(" Clé « {} » : {d}", e.cle_libelle));
        }
        // The exemption's motive and the deliberation behind the EPCI's
        // takeover, as on the commune pages (docs/format.md publishes both).
        if let Some(x) = cle.exoneration.as_ref().filter(|_| e.parts.iter().any(|p| p.exonere)) {
            let motif = x.motif.as_deref().map(|mo| format!(" : {}", mo.trim_end_matches('.'))).unwrap_or_default();
            s.push_str(&format!(
                " Exonération des organismes de moins de {} habitants{motif}.",
                format::entier(x.population_inferieure_a as i64)
            ));
        }
        if let Some(d) = cle
            .prise_en_charge_epci
            .as_ref()
            .and_then(|pc| pc.deliberation.as_ref())
            .filter(|_| e.prise_en_charge_epci.is_some())
        {
            s.push_str(&format!(" Prise en charge par l'EPCI : {}.", d.trim_end_matches('.')));
        }
    }
    s
}

fn unite(ind: &IndicateurCalcule) -> String {
    ind.unite.clone().unwrap_or_default()
}

fn indicateur(_m: &Modele, s: &ServiceCalcule, ind: &IndicateurCalcule, p: &mut Page) {
    let base = format!("service-{}-{}", s.service.id, ind.id);
    p.blocs.push(titre(3, ind.libelle.clone()));
    if mutu_model::audience::est_interne(ind.visibilite) {
        p.blocs.push(encadre_interne("cet indicateur"));
    }
    if let Some(n) = &ind.note {
        p.blocs.push(Bloc::Paragraphe { texte: n.clone() });
    }
    let years: Vec<i32> = ind.annees.iter().map(|a| a.annee).collect();
    let u = unite(ind);
    let col_val = if u.is_empty() { "Valeur".to_string() } else { format!("Valeur ({u})") };
    // The change of a share is in percentage points, not in per cent.
    let col_ecart = match u.as_str() {
        "" => "Évolution".to_string(),
        "%" => "Évolution (points)".to_string(),
        u => format!("Évolution ({u})"),
    };
    let spec;
    let mut t;
    if ind.par_membre.is_empty() {
        t = tableau(
            format!("{base}-donnees"),
            format!("{} — {}", ind.libelle, s.service.nom),
            &[("Année", false), (col_val.as_str(), true), (col_ecart.as_str(), true), ("Évolution (%)", true)],
        );
        for a in &ind.annees {
            t.lignes.push(vec![
                entete(a.annee.to_string()),
                nombre(&a.valeur),
                a.evolution
                    .as_ref()
                    .map(|e| cells::chiffre_signe(Grandeur::Quantite, &e.ecart))
                    .unwrap_or_else(vide),
                a.evolution
                    .as_ref()
                    .and_then(|e| e.pourcentage)
                    .map(|x| pourcentage_signe(&x))
                    .unwrap_or_else(vide),
            ]);
        }
        spec = Spec {
            genre: genre(Trace::pour(ind.graphique, 0, 0).genre()),
            titre: ind.libelle.clone(),
            unite: u.clone(),
            categories: years.iter().map(|y| y.to_string()).collect(),
            series: vec![Serie {
                nom: ind.libelle.clone(),
                valeurs: ind.annees.iter().map(|a| a.valeur).collect(),
            }],
        };
    } else {
        let mut cols: Vec<String> = vec!["Organisme".into()];
        cols.extend(years.iter().map(|y| y.to_string()));
        let colrefs: Vec<(&str, bool)> = cols.iter().enumerate().map(|(i, c)| (c.as_str(), i > 0)).collect();
        t = tableau(
            format!("{base}-donnees"),
            format!("{} par organisme — {}", ind.libelle, s.service.nom),
            &colrefs,
        );
        t.detail = Some(DetailPdf::Activite);
        for serie in &ind.par_membre {
            let mut row = vec![entete(serie.nom.clone())];
            row.extend(years.iter().map(|y| serie.valeurs.get(y).map(nombre).unwrap_or_else(vide)));
            t.lignes.push(row);
        }
        let mut foot = vec![entete("Total")];
        foot.extend(ind.annees.iter().map(|a| nombre(&a.valeur)));
        t.pied.push(foot);
        // Years where every member has a value can be stacked.
        let complete: Vec<i32> = years
            .iter()
            .copied()
            .filter(|y| ind.par_membre.iter().all(|s| s.valeurs.contains_key(y)))
            .collect();
        // A chart names at most `GRAPHIQUE_MEMBRES_MAX` members (the
        // largest and « Autres »); the table below keeps every one.
        let trace = Trace::pour(ind.graphique, ind.par_membre.len(), complete.len());
        spec = match trace {
            Trace::MembresUneAnnee(g) | Trace::Annees(g) => {
                let y = *complete.last().unwrap_or(&years[years.len() - 1]);
                let (categories, valeurs) = super::charts::categories_par_membre(
                    ind.par_membre.iter().map(|s| s.nom.clone()).collect(),
                    ind.par_membre.iter().map(|s| s.valeurs.get(&y).copied().unwrap_or_default()).collect(),
                );
                Spec {
                    genre: genre(g),
                    titre: format!("{} en {y}", ind.libelle),
                    unite: u.clone(),
                    categories,
                    series: vec![Serie { nom: y.to_string(), valeurs }],
                }
            }
            Trace::TotalParAnnee => Spec {
                genre: Genre::Barres,
                titre: format!("{} (ensemble des organismes)", ind.libelle),
                unite: u.clone(),
                categories: complete.iter().map(|y| y.to_string()).collect(),
                series: vec![Serie {
                    nom: "Total".into(),
                    valeurs: complete
                        .iter()
                        .map(|y| ind.annees.iter().find(|a| a.annee == *y).map(|a| a.valeur).unwrap_or_default())
                        .collect(),
                }],
            },
            Trace::MembresParAnnee(g) => Spec {
                genre: genre(g),
                titre: ind.libelle.clone(),
                unite: u.clone(),
                categories: complete.iter().map(|y| y.to_string()).collect(),
                series: super::charts::series_par_membre(
                    ind.par_membre
                        .iter()
                        .map(|s| Serie {
                            nom: s.nom.clone(),
                            valeurs: complete.iter().map(|y| s.valeurs[y]).collect(),
                        })
                        .collect(),
                ),
            },
        };
    }
    // A chart of a single value says nothing the table does not.
    if spec.categories.len() > 1 || spec.series.len() > 1 {
        let gid = format!("{base}-graphique");
        p.blocs.push(super::graphiques::bloc(&spec, gid, &t.id));
    }
    p.blocs.push(Bloc::Tableau(t));
}

/// The chart kind drawing an indicator's kind.
fn genre(g: GenreIndicateur) -> Genre {
    match g {
        GenreIndicateur::Barres => Genre::Barres,
        GenreIndicateur::BarresEmpilees => Genre::BarresEmpilees,
        GenreIndicateur::Courbe => Genre::Courbe,
        GenreIndicateur::Anneau => Genre::Anneau,
    }
}

fn bilan(s: &ServiceCalcule, b: &BilanCalcule, p: &mut Page) {
    let taxes = b.taxes.libelle();
    let mut t = tableau(
        format!("service-{}-bilan-{}-{}", s.service.id, b.exercice, b.taxes.token()),
        format!("Bilan {} ({taxes}) — {}", b.exercice, s.service.nom),
        &[("Poste", false), ("Nature", false), (&format!("Montant {taxes}"), true)],
    );
    for l in &b.depenses {
        t.lignes.push(vec![entete(l.libelle.clone()), texte("Dépense"), euros(&l.montant.0)]);
    }
    for l in b.recettes.iter().flatten() {
        t.lignes.push(vec![entete(l.libelle.clone()), texte("Recette"), euros(&l.montant.0)]);
    }
    t.pied.push(vec![entete("Total des dépenses"), texte(""), euros(&b.total_depenses)]);
    if let (Some(tr), Some(solde)) = (b.total_recettes.filter(|_| b.recettes.as_ref().is_some_and(|r| !r.is_empty())), b.solde) {
        t.pied.push(vec![entete("Total des recettes"), texte(""), euros(&tr)]);
        t.pied.push(vec![entete("Solde (dépenses − recettes)"), texte(""), euros(&solde)]);
    }
    let mut notes = Vec::new();
    if let Some(e) = &b.evolution_depenses {
        let pc = e
            .pourcentage
            .map(|x| format!(" ({})", Grandeur::Pourcentage.texte_signe(&x)))
            .unwrap_or_default();
        notes.push(format!(
            "Dépenses par rapport à {} : {}{pc}.",
            e.annee_precedente,
            Grandeur::Montant.texte_signe(&e.ecart)
        ));
    }
    if let Some(e) = &b.evolution_recettes {
        let pc = e
            .pourcentage
            .map(|x| format!(" ({})", Grandeur::Pourcentage.texte_signe(&x)))
            .unwrap_or_default();
        notes.push(format!(
            "Recettes par rapport à {} : {}{pc}.",
            e.annee_precedente,
            Grandeur::Montant.texte_signe(&e.ecart)
        ));
    }
    if let Some(n) = &b.note {
        notes.push(n.clone());
    }
    if !notes.is_empty() {
        t.note = Some(format::phrases(notes));
    }
    p.blocs.push(Bloc::Tableau(t));
}

fn bilans_graphique(s: &ServiceCalcule, p: &mut Page) {
    let years: Vec<&BilanCalcule> = s.bilans.iter().collect();
    let taxes = years[0].taxes;
    if years.iter().any(|b| b.taxes != taxes) {
        return; // HT and TTC are never drawn on one scale
    }
    let id = format!("service-{}-bilans-evolution", s.service.id);
    // Receipts not entered are « non renseigné », never 0,00 €; with no
    // receipt entered in any year, the table and the chart say expenses
    // only, and the chart draws receipts only when every year has them.
    let avec_recettes = years.iter().any(|b| b.total_recettes.is_some());
    let quoi = if avec_recettes { "dépenses et recettes" } else { "dépenses" };
    let mut colonnes = vec![("Exercice", false), ("Dépenses", true)];
    if avec_recettes {
        colonnes.extend([("Recettes", true), ("Solde", true)]);
    }
    let mut t = tableau(
        format!("{id}-donnees"),
        format!("Évolution des {quoi} ({}) — {}", taxes.libelle(), s.service.nom),
        &colonnes,
    );
    for b in &years {
        let mut ligne = vec![entete(b.exercice.to_string()), euros(&b.total_depenses)];
        if avec_recettes {
            ligne.push(b.total_recettes.as_ref().map_or_else(non_renseigne, euros));
            ligne.push(b.solde.as_ref().map_or_else(non_renseigne, euros_signe));
        }
        t.lignes.push(ligne);
    }
    let mut series = vec![Serie {
        nom: "Dépenses".into(),
        valeurs: years.iter().map(|b| b.total_depenses).collect(),
    }];
    let recettes: Option<Vec<Decimal>> = years.iter().map(|b| b.total_recettes).collect();
    if let Some(valeurs) = recettes.filter(|_| years.iter().any(|b| b.recettes.as_ref().is_some_and(|r| !r.is_empty()))) {
        series.push(Serie {
            nom: "Recettes".into(),
            valeurs,
        });
    }
    let spec = Spec {
        genre: Genre::Barres,
        titre: format!("{} ({})", if series.len() > 1 { "Dépenses et recettes" } else { "Dépenses" }, taxes.libelle()),
        unite: "€".into(),
        categories: years.iter().map(|b| b.exercice.to_string()).collect(),
        series,
    };
    let gid = format!("{id}-graphique");
    p.blocs.push(super::graphiques::bloc(&spec, gid, &t.id));
    p.blocs.push(Bloc::Tableau(t));
}

/// What a service is and who carries it: the first lines of its
/// identity, on its page and in the catalogue.
pub(crate) fn identite(m: &Modele, s: &ServiceCalcule) -> Vec<Definition> {
    vec![
        Definition {
            terme: "Forme juridique".into(),
            valeurs: vec![s.forme_libelle.to_string()],
        },
        Definition {
            terme: "Porteur".into(),
            valeurs: vec![m.nom(&s.service.porteur)],
        },
    ]
}

fn repartition(m: &Modele, s: &ServiceCalcule, i: usize, r: &RepartitionCalculee, p: &mut Page) {
    let base = format!("service-{}-repartition-{}-{}", s.service.id, r.exercice, i + 1);
    // The year is said once, when the label does not already say it.
    p.blocs.push(titre(
        3,
        format!("{} ({})", avec_annee(&[&r.libelle], "", r.exercice, " — "), r.taxes.libelle()),
    ));
    tableaux_repartition(m, &base, r, p);
    if let Some(n) = &r.note {
        p.blocs.push(Bloc::Paragraphe { texte: n.clone() });
    }
}

/// The tables of a computed allocation: one per step (base entered and
/// retained, share, amount; exempt bodies last and named so), then the
/// amount per body when there are several steps. Shared with the
/// catalogue, where an outside participation re-invoiced to the communes
/// is an allocation like any other and owes the same explanation.
pub(crate) fn tableaux_repartition(m: &Modele, base: &str, r: &RepartitionCalculee, p: &mut Page) {
    let multi = r.etapes.len() > 1;
    for (j, e) in r.etapes.iter().enumerate() {
        let col_base = match (e.base.is_tariff(), &e.unite) {
            (true, Some(u)) => format!("Quantité ({u})"),
            (true, None) => "Quantité".to_string(),
            // « valeurs de base » is the format's word: the key's unit, if any, says more.
            _ if !e.base.nomme_sa_base() => e.unite.as_ref().map_or("Base".to_string(), |u| format!("Base ({u})")),
            _ => format!("Base : {}{}", e.base_libelle, e.millesime.map(|y| format!(" {y}")).unwrap_or_default()),
        };
        let etape = if multi {
            format!("étape {} : {}", j + 1, e.cle_libelle)
        } else {
            e.cle_libelle.clone()
        };
        let titre_t = avec_annee(&[&r.libelle, &etape], " — ", r.exercice, " ");
        // With an exemption or a pro rata, the base as entered and the base
        // retained (after exemption and pro rata) are both shown, each
        // column summing to its total; exempt bodies come after the others.
        let ajuste = e.parts.iter().any(|x| x.exonere || x.prorata.is_some());
        let montant_col = format!("Montant {}", r.taxes.libelle());
        let (col_saisie, col_retenue) = match (e.base.is_tariff(), &e.unite) {
            (true, Some(u)) => (format!("Quantité saisie ({u})"), format!("Quantité retenue ({u})")),
            (true, None) => ("Quantité saisie".to_string(), "Quantité retenue".to_string()),
            _ if !e.base.nomme_sa_base() => (
                e.unite.as_ref().map_or("Base saisie".to_string(), |u| format!("Base saisie ({u})")),
                "Base retenue".to_string(),
            ),
            _ => (
                format!("Base saisie : {}{}", e.base_libelle, e.millesime.map(|y| format!(" {y}")).unwrap_or_default()),
                "Base retenue".to_string(),
            ),
        };
        let colonnes: Vec<(&str, bool)> = if ajuste {
            vec![
                ("Organisme", false),
                (col_saisie.as_str(), true),
                (col_retenue.as_str(), true),
                ("Part", true),
                (montant_col.as_str(), true),
            ]
        } else {
            vec![("Organisme", false), (col_base.as_str(), true), ("Part", true), (montant_col.as_str(), true)]
        };
        let mut t = tableau(format!("{base}-etape-{}", j + 1), titre_t, &colonnes);
        t.detail = Some(DetailPdf::Repartitions);
        let (payants, exoneres): (Vec<&PartCalculee>, Vec<&PartCalculee>) = e.parts.iter().partition(|x| !x.exonere);
        for part in payants.iter().chain(&exoneres) {
            let mut name = part.nom.clone();
            if part.exonere {
                name.push_str(" (exonéré)");
            } else if let Some(f) = part.prorata {
                name.push_str(&format!(" (prorata {} mois sur 12)", Grandeur::Entier.texte(&(f * Decimal::from(12)))));
            }
            let mut row = vec![entete(name), nombre(&part.base)];
            if ajuste {
                let retenue = if part.exonere {
                    Decimal::ZERO
                } else {
                    part.base * part.prorata.unwrap_or(Decimal::ONE)
                };
                row.push(nombre(&retenue));
            }
            row.extend([pourcentage(&part.pourcentage), euros(&part.montant)]);
            t.lignes.push(row);
        }
        let blancs = if ajuste { 3 } else { 2 };
        let ligne_pied = |libelle: &str, montant: &Decimal| {
            let mut l = vec![entete(libelle)];
            l.extend((0..blancs).map(|_| texte("")));
            l.push(euros(montant));
            l
        };
        let mut total = vec![entete("Total réparti")];
        if ajuste {
            total.push(nombre(&e.parts.iter().map(|x| x.base).sum::<Decimal>()));
        }
        total.extend([nombre(&e.total_base), pourcentage(&Decimal::ONE_HUNDRED), euros(&e.montant_reparti)]);
        t.pied.push(total);
        if !exoneres.is_empty() {
            t.pied.push(vec![
                entete(format!("dont exonérés ({})", exoneres.len())),
                nombre(&exoneres.iter().map(|x| x.base).sum::<Decimal>()),
                nombre(&Decimal::ZERO),
                pourcentage(&Decimal::ZERO),
                euros(&exoneres.iter().map(|x| x.montant).sum::<Decimal>()),
            ]);
        }
        // The EPCI's own share is a line of its own, and the step's total
        // includes it.
        if let Some(k) = e.prise_en_charge_epci {
            t.pied.push(ligne_pied(
                &mutu_base::texte::majuscule(&format!("pris en charge {}", m.epci.article().par(&m.epci.sigle))),
                &k,
            ));
            t.pied.push(ligne_pied("Total de l'étape, prise en charge comprise", &e.montant_entrant));
        }
        if !multi {
            t.note = Some(note_regle(m, r));
        }
        p.blocs.push(Bloc::Tableau(t));
    }
    if r.etapes.is_empty() || multi {
        let mut t = tableau(
            format!("{base}-parts"),
            avec_annee(&[&r.libelle, "montant à la charge de chaque organisme"], " — ", r.exercice, " "),
            &[("Organisme", false), (&format!("Montant {}", r.taxes.libelle()), true)],
        );
        t.detail = Some(DetailPdf::Repartitions);
        for part in &r.parts {
            let name = if part.prise_en_charge {
                format!("{} (prise en charge)", part.nom)
            } else {
                part.nom.clone()
            };
            t.lignes.push(vec![entete(name), euros(&part.montant)]);
        }
        t.pied.push(vec![entete("Total"), euros(&r.total)]);
        t.note = Some(note_regle(m, r));
        p.blocs.push(Bloc::Tableau(t));
    }
}
