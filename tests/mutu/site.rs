//! Website renderer: a realistic synthetic document rendered with the
//! default theme (and a project override), checked for broken links,
//! absolute URLs, escaping, accessibility structure and determinism.
//!
//! Run: `CARGO_TARGET_DIR=/root/.cache/mutu-target cargo test --release --test site`

use mutu_base::fichier::Fichier;
use mutu_base::theme::Theme;
use mutu_data as data;
use mutu_present::charts::{self, Genre, Serie, Spec};
use mutu_present::{Bloc, Cellule, Chiffre, Colonne, Definition, Document, Etape, GenreEncadre, Graphique, Lien, Page, Rubrique, Tableau};
use mutu_site::{self as site, SiteOptions};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;

const EXTERNE: &str = "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031038750";

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn page(id: &str, titre: &str, rubrique: Rubrique, parent: Option<&str>, blocs: Vec<Bloc>) -> Page {
    Page {
        id: id.into(),
        titre: titre.into(),
        rubrique,
        parent: parent.map(Into::into),
        resume: Some(format!("Résumé de la page {titre}.")),
        blocs,
        pdf: true,
        membre: None,
        site_seulement: vec![],
    }
}

fn nombre(t: &str, v: &str) -> Cellule {
    Cellule {
        texte: t.into(),
        valeur: Some(v.into()),
        ..Default::default()
    }
}

fn entete(t: &str, lien: Option<&str>) -> Cellule {
    Cellule {
        texte: t.into(),
        entete: true,
        lien: lien.map(Into::into),
        ..Default::default()
    }
}

fn graphique(id: &str, tableau: &str, spec: Spec) -> Bloc {
    Bloc::Graphique(Graphique {
        id: id.into(),
        titre: spec.titre.clone(),
        legende: spec.titre.clone(),
        description: charts::description(&spec),
        svg: charts::svg_with_id(&spec, id),
        tableau: tableau.into(),
    })
}

const MARKDOWN: &str = "# Le schéma en bref\n\n\
Le schéma de mutualisation est prévu par l'[article L. 5211-39-1 du CGCT](https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000031038750)[^cgct].\n\
Voir aussi le [service ADS](services/ads) et [sa répartition](/services/ads#repartition-ads).\n\n\
<script>alert('xss')</script>\n\n\
## Calendrier\n\n\
| Étape | Date | Montant |\n|---|---|---:|\n| Adoption | 2016 | 1 234,50 € |\n| Révision | 2021 | 980,00 € |\n\n\
### Détail ~~provisoire~~\n\nTexte.[^cgct]\n\n\
[^cgct]: Code général des collectivités territoriales.\n";

fn document() -> Document {
    let spec_ads = Spec {
        genre: Genre::Barres,
        titre: "Coût du service ADS par commune".into(),
        unite: "€".into(),
        categories: vec!["Daoulas".into(), "Logonna-Daoulas".into(), "Irvillac".into()],
        series: vec![Serie {
            nom: "Coût".into(),
            valeurs: vec![d("186641.00"), d("45210.50"), d("30000")],
        }],
    };
    let tableau_ads = Tableau {
        id: "repartition-ads".into(),
        titre: "Répartition du coût du service ADS".into(),
        legende: "Répartition du coût du service ADS".into(),
        colonnes: vec![
            Colonne {
                libelle: "Commune".into(),
                numerique: false,
            },
            Colonne {
                libelle: "Montant".into(),
                numerique: true,
            },
            Colonne {
                libelle: "Part".into(),
                numerique: true,
            },
        ],
        lignes: vec![
            vec![
                entete("Daoulas", Some("communes/daoulas")),
                nombre("186 641,00 €", "186641.00"),
                nombre("71,22 %", "71.22"),
            ],
            vec![entete("Logonna-Daoulas", None), nombre("45 210,50 €", "45210.50"), nombre("17,25 %", "17.25")],
            vec![
                entete("Irvillac; \"bourg\"", None),
                nombre("30 000,00 €", "30000.00"),
                nombre("11,53 %", "11.53"),
            ],
        ],
        pied: vec![vec![entete("Total", None), nombre("261 851,50 €", "261851.50"), nombre("100 %", "100")]],
        note: Some("Répartition au prorata du nombre d'actes instruits.".into()),
        detail: None,
    };
    let spec_fin = Spec {
        genre: Genre::Anneau,
        titre: "Dépenses mutualisées par service".into(),
        unite: "€".into(),
        categories: vec!["ADS".into(), "Voirie".into()],
        series: vec![Serie {
            nom: "Dépenses".into(),
            valeurs: vec![d("261851.50"), d("120000")],
        }],
    };
    let tableau_fin = Tableau {
        id: "depenses-services".into(),
        titre: "Dépenses mutualisées par service".into(),
        legende: "Dépenses mutualisées par service".into(),
        colonnes: vec![
            Colonne {
                libelle: "Service".into(),
                numerique: false,
            },
            Colonne {
                libelle: "Dépenses".into(),
                numerique: true,
            },
        ],
        lignes: vec![
            vec![entete("ADS", Some("services/ads")), nombre("261 851,50 €", "261851.50")],
            vec![entete("Voirie", Some("services/voirie")), nombre("120 000,00 €", "120000.00")],
        ],
        pied: vec![],
        note: None,
        detail: None,
    };
    Document {
        titre: "Rapport sur le schéma de mutualisation".into(),
        titre_complet: format!("{} — exercice 2023", "Rapport sur le schéma de mutualisation"),
        sous_titre: Some("Exercice 2023".into()),
        url_en_ligne: None,
        epci_nom: "Communauté de communes du Pays de Daoulas".into(),
        epci_siren: "242900801".into(),
        epci_siret: None,
        date_reception: None,
        epci_sigle: "CCPD".into(),
        exercice: 2023,
        date_conseil: "2024-03-29".into(),
        date_conseil_texte: "29 mars 2024".into(),
        date_document: "2024-03-29".into(),
        deliberation: "2024-12".into(),
        actes_id: None,
        signataire_nom: "Jeanne Le Gall".into(),
        signataire_qualite: "Présidente".into(),
        transmission: vec![],
        mots_cles: vec!["mutualisation".into()],
        logo: None,
        nom_pdf: "rapport-mutualisation-2023".into(),
        mention_projet: None,
        pdf_sans_detail: Vec::new(),
        genre: mutu_present::GenreDocument::Rapport,
        pages: vec![
            page(
                "index",
                "Accueil",
                Rubrique::Accueil,
                None,
                vec![
                    Bloc::Chiffres {
                        chiffres: vec![
                            Chiffre {
                                libelle: "services mutualisés".into(),
                                valeur: "2".into(),
                                detail: None,
                            },
                            Chiffre {
                                libelle: "dépenses mutualisées".into(),
                                valeur: "381 852 €".into(),
                                detail: Some("en 2023".into()),
                            },
                        ],
                    },
                    Bloc::Paragraphe {
                        texte: "Bienvenue <b>sur</b> le site & les données.".into(),
                    },
                    Bloc::Liens {
                        liens: vec![
                            Lien {
                                page: "schema".into(),
                                texte: "Le schéma".into(),
                                detail: None,
                            },
                            Lien {
                                page: "rapport-mutualisation-2023.pdf".into(),
                                texte: "Le rapport (PDF)".into(),
                                detail: None,
                            },
                        ],
                    },
                ],
            ),
            page(
                "schema",
                "Le schéma",
                Rubrique::Schema,
                Some("index"),
                vec![
                    Bloc::Markdown {
                        source: MARKDOWN.into(),
                        fichier: "content/schema.md".into(),
                    },
                    Bloc::Frise {
                        etapes: vec![Etape {
                            annee: "2016".into(),
                            evenements: vec!["Adoption du schéma".into()],
                        }],
                    },
                ],
            ),
            page(
                "services",
                "Services mutualisés",
                Rubrique::Services,
                Some("index"),
                vec![Bloc::Liens {
                    liens: vec![
                        Lien {
                            page: "services/ads".into(),
                            texte: "Instruction des autorisations du droit des sols".into(),
                            detail: Some("depuis 2015".into()),
                        },
                        Lien {
                            page: "services/voirie".into(),
                            texte: "Voirie".into(),
                            detail: None,
                        },
                    ],
                }],
            ),
            page(
                "services/ads",
                "Instruction des autorisations du droit des sols",
                Rubrique::Services,
                Some("services"),
                vec![
                    Bloc::Statut {
                        code: "en_cours".into(),
                        libelle: "En cours".into(),
                    },
                    Bloc::Definitions {
                        lignes: vec![Definition {
                            terme: "Service porteur".into(),
                            valeurs: vec!["Communauté de communes".into()],
                        }],
                    },
                    Bloc::Titre {
                        niveau: 2,
                        texte: "Répartition".into(),
                        ancre: "repartition".into(),
                    },
                    graphique("graphique-ads", "repartition-ads", spec_ads),
                    Bloc::Tableau(tableau_ads),
                    Bloc::Encadre {
                        genre: GenreEncadre::Avertissement,
                        texte: "Le total déclaré diffère de 0,50 €.".into(),
                    },
                    Bloc::Markdown {
                        source: "## Notes\n\nUne note[^a].\n\n[^a]: Deuxième bloc, mêmes libellés.\n".into(),
                        fichier: "content/services/ads.md".into(),
                    },
                    Bloc::Markdown {
                        source: "## Notes\n\nAutre note[^a].\n\n[^a]: Troisième bloc.\n".into(),
                        fichier: "content/services/ads.md".into(),
                    },
                ],
            ),
            page(
                "services/voirie",
                "Voirie",
                Rubrique::Services,
                Some("services"),
                vec![Bloc::Liste {
                    elements: vec!["Entretien".into(), "Balayage".into()],
                }],
            ),
            page(
                "communes",
                "Ma commune",
                Rubrique::Communes,
                Some("index"),
                vec![Bloc::Liens {
                    liens: vec![Lien {
                        page: "communes/daoulas".into(),
                        texte: "Daoulas".into(),
                        detail: None,
                    }],
                }],
            ),
            page(
                "communes/daoulas",
                "Daoulas",
                Rubrique::Communes,
                Some("communes"),
                vec![Bloc::Paragraphe {
                    texte: "Commune membre.".into(),
                }],
            ),
            page(
                "finances",
                "Finances",
                Rubrique::Finances,
                Some("index"),
                vec![graphique("graphique-depenses", "depenses-services", spec_fin), Bloc::Tableau(tableau_fin)],
            ),
            page(
                "accessibilite",
                "Accessibilité : partiellement conforme",
                Rubrique::Pratique,
                Some("index"),
                vec![Bloc::Paragraphe { texte: "Déclaration.".into() }],
            ),
            page(
                "mentions-legales",
                "Mentions légales",
                Rubrique::Pratique,
                Some("index"),
                vec![Bloc::Paragraphe { texte: "Éditeur.".into() }],
            ),
        ],
    }
}

fn rend(doc: &Document, theme: &Theme, opts: &SiteOptions) -> BTreeMap<String, Vec<u8>> {
    let mut fichiers: Vec<Fichier> = site::render(doc, theme, opts).unwrap_or_else(|d| panic!("{d:#?}"));
    fichiers.extend(data::render(doc));
    let mut out = BTreeMap::new();
    for f in fichiers {
        assert!(out.insert(f.chemin.clone(), f.contenu).is_none(), "fichier en double : {}", f.chemin);
    }
    out
}

fn html(f: &BTreeMap<String, Vec<u8>>, chemin: &str) -> String {
    String::from_utf8(f.get(chemin).unwrap_or_else(|| panic!("{chemin} absent")).clone()).unwrap()
}

/// Values of `attr="…"` in an HTML text (simple scan; our templates always
/// quote attributes with `"`).
fn attributs(texte: &str, attr: &str) -> Vec<String> {
    let motif = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut reste = texte;
    while let Some(p) = reste.find(&motif) {
        reste = &reste[p + motif.len()..];
        let fin = reste.find('"').unwrap();
        out.push(reste[..fin].replace("&amp;", "&"));
        reste = &reste[fin..];
    }
    out
}

/// `dir/../x` → `x`; `None` when it leaves the site.
fn normalise(base: &str, relatif: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').collect();
    parts.pop();
    for s in relatif.split('/') {
        match s {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn site_par_defaut() -> (BTreeMap<String, Vec<u8>>, SiteOptions) {
    let opts = SiteOptions {
        html_brut: false,
        url_de_base: None,
        rechargement: None,
    };
    (rend(&document(), &mutu_theme::defaut(), &opts), opts)
}

#[test]
fn every_link_resolves_and_none_is_absolute() {
    let (f, _) = site_par_defaut();
    let mut verifies = 0;
    for (chemin, octets) in &f {
        if !chemin.ends_with(".html") {
            continue;
        }
        let texte = String::from_utf8(octets.clone()).unwrap();
        let ids: BTreeSet<String> = attributs(&texte, "id").into_iter().collect();
        for cible in attributs(&texte, "href").into_iter().chain(attributs(&texte, "src")) {
            if cible == EXTERNE {
                continue;
            }
            assert!(
                !cible.starts_with('/') && !cible.starts_with("http") && !cible.contains("://"),
                "{chemin} : lien absolu {cible}"
            );
            if let Some(ancre) = cible.strip_prefix('#') {
                assert!(ids.contains(ancre), "{chemin} : ancre #{ancre} absente");
                continue;
            }
            let (fichier, ancre) = match cible.split_once('#') {
                Some((a, b)) => (a, Some(b)),
                None => (cible.as_str(), None),
            };
            if fichier == "rapport-mutualisation-2023.pdf" {
                continue; // written by the PDF renderer
            }
            let cible_norm = normalise(chemin, fichier).unwrap_or_else(|| panic!("{chemin} : {cible} sort du site"));
            assert!(f.contains_key(&cible_norm), "{chemin} : {cible} → {cible_norm} introuvable");
            if let Some(a) = ancre {
                let autre = html(&f, &cible_norm);
                assert!(attributs(&autre, "id").iter().any(|i| i == a), "{chemin} : ancre {cible} absente");
            }
            verifies += 1;
        }
    }
    assert!(verifies > 100, "{verifies}");
    // The stylesheet's fonts are self-hosted and resolve too.
    let css = html(&f, "static/style.css");
    for url in css.split("url(\"").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
        assert!(f.contains_key(&format!("static/{url}")), "{url}");
    }
    assert!(f.contains_key("static/fonts/Inter-Regular.ttf") && f.contains_key("static/fonts/OFL.txt"));
    // No request to another host anywhere (only the one content link).
    for (chemin, octets) in &f {
        if chemin.ends_with(".html") {
            let t = String::from_utf8(octets.clone()).unwrap();
            let externes = t.matches("https://").count() + t.matches("http://").count();
            let permis = t.matches(EXTERNE).count() + t.matches("http://www.w3.org/2000/svg").count();
            assert_eq!(externes, permis, "{chemin}");
        }
    }
    assert!(!css.contains("@import") && !css.contains("url(\"http") && !css.contains("url(http"));
    // The external link is printed with its target (print stylesheet).
    assert!(css.contains("a[href^=\"https://\"]::after { content: \" (\" attr(href) \")\""));
}

#[test]
fn pages_paths_and_site_files() {
    let (f, _) = site_par_defaut();
    for p in document().pages {
        assert!(f.contains_key(&format!("{}.html", p.id)), "{}", p.id);
    }
    for chemin in [
        "plan-du-site.html",
        "404.html",
        "static/style.css",
        "static/favicon.svg",
        "donnees/repartition-ads.csv",
        "donnees/datapackage.json",
        "recherche/index.js",
        "static/recherche.js",
        "donnees/LICENCE.txt",
    ] {
        assert!(f.contains_key(chemin), "{chemin}");
    }
    assert!(!f.contains_key("sitemap.xml"), "pas de sitemap sans adresse publique");
}

#[test]
fn raw_html_and_document_text_are_escaped() {
    let (f, _) = site_par_defaut();
    for (chemin, octets) in &f {
        if chemin.ends_with(".html") {
            let t = String::from_utf8(octets.clone()).unwrap();
            // The one script is the theme's search, loaded from the site.
            assert_eq!(t.matches("<script").count(), 1, "{chemin}");
            assert!(t.contains("static/recherche.js\" defer></script>"), "{chemin}");
            assert!(!t.contains("<b>sur</b>"), "{chemin}");
        }
    }
    let schema = html(&f, "schema.html");
    assert!(
        schema.contains("&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;") || schema.contains("&lt;script&gt;alert('xss')&lt;/script&gt;"),
        "{schema}"
    );
    assert!(html(&f, "index.html").contains("Bienvenue &lt;b&gt;sur&lt;/b&gt; le site &amp; les données."));
    // With html_brut the project's raw HTML is kept.
    let opts = SiteOptions {
        html_brut: true,
        ..Default::default()
    };
    let brut = rend(&document(), &mutu_theme::defaut(), &opts);
    assert!(html(&brut, "schema.html").contains("<script>alert('xss')</script>"));
}

#[test]
fn byte_identical_twice() {
    let a = site_par_defaut().0;
    let b = site_par_defaut().0;
    assert_eq!(a, b);
}

#[test]
fn page_structure_is_accessible() {
    let (f, _) = site_par_defaut();
    let mut titres = BTreeSet::new();
    for (chemin, octets) in &f {
        if !chemin.ends_with(".html") {
            continue;
        }
        let t = String::from_utf8(octets.clone()).unwrap();
        assert!(t.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"), "{chemin}");
        assert!(t.contains("<a class=\"lien-evitement\" href=\"#contenu\">Aller au contenu</a>"), "{chemin}");
        assert!(t.contains("<main id=\"contenu\""), "{chemin}");
        assert!(t.contains("<nav class=\"navigation\" aria-label=\"Navigation principale\">"), "{chemin}");
        assert!(t.contains("<footer class=\"pied\">"), "{chemin}");
        let titre = &t[t.find("<title>").unwrap() + 7..t.find("</title>").unwrap()];
        assert!(titres.insert(titre.to_string()), "titre en double : {titre}");
        // One h1, levels never skip.
        assert_eq!(t.matches("<h1").count(), 1, "{chemin}");
        let mut precedent = 0;
        for morceau in t.split("<h").skip(1) {
            if let Some(n) = morceau.chars().next().and_then(|c| c.to_digit(10)) {
                if morceau[1..].starts_with([' ', '>']) {
                    assert!(n <= precedent + 1, "{chemin} : h{n} après h{precedent}");
                    precedent = n;
                }
            }
        }
        // Unique ids.
        let ids = attributs(&t, "id");
        let uniques: BTreeSet<&String> = ids.iter().collect();
        assert_eq!(ids.len(), uniques.len(), "{chemin} : ids en double {ids:?}");
    }
    assert!(titres.contains("Rapport sur le schéma de mutualisation") || titres.contains("Accueil — Rapport sur le schéma de mutualisation"));
    assert!(titres.contains("Instruction des autorisations du droit des sols — Rapport sur le schéma de mutualisation"));

    let ads = html(&f, "services/ads.html");
    // Breadcrumb from the parent chain, current page last.
    assert!(ads.contains(
        "<nav class=\"fil conteneur\" aria-label=\"Fil d'Ariane\">\n<ol>\n<li><a href=\"../index.html\">Accueil</a></li>\n<li><a href=\"../services.html\">Services mutualisés</a></li>\n<li><span aria-current=\"page\">Instruction des autorisations du droit des sols</span></li>"
    ), "{ads}");
    // Navigation: every section, the current one marked.
    assert!(ads.contains("<li><a href=\"../services.html\" aria-current=\"true\">Services mutualisés</a></li>"));
    assert!(ads.contains("<li><a href=\"../finances.html\">Finances</a></li>"));
    assert!(!ads.contains(">Informations pratiques<"));
    assert!(html(&f, "services.html").contains("<li><a href=\"services.html\" aria-current=\"page\">Services mutualisés</a></li>"));
    // Footer: practical pages and the site map.
    assert!(ads.contains("<li><a href=\"../accessibilite.html\">Accessibilité : partiellement conforme</a></li>"));
    assert!(ads.contains("<li><a href=\"../mentions-legales.html\">Mentions légales</a></li>"));
    assert!(ads.contains("<li><a href=\"../plan-du-site.html\">Plan du site</a></li>"));
    assert!(ads.contains("<link rel=\"stylesheet\" href=\"../static/style.css\">"));
    // Table: caption, scopes, numeric class, links, footer, note, download.
    assert!(ads.contains("<caption id=\"repartition-ads-legende\"><span class=\"legende\">Répartition du coût du service ADS</span></caption>"));
    assert!(ads.contains("<th scope=\"col\" class=\"num\">Montant</th>"));
    assert!(
        ads.contains("<th scope=\"row\"><a href=\"../communes/daoulas.html\">Daoulas</a></th><td class=\"num\">186 641,00 €</td>"),
        "{ads}"
    );
    assert!(ads.contains("<tfoot>\n<tr><th scope=\"row\">Total</th><td class=\"num\">261 851,50 €</td>"));
    assert!(ads.contains("<p class=\"tableau-note\">Répartition au prorata du nombre d&#39;actes instruits.</p>"));
    assert!(ads.contains("<a href=\"../donnees/repartition-ads.csv\" download>Télécharger les données<span class=\"sr-only\"> du tableau « Répartition du coût du service ADS »</span> (CSV)</a>"));
    // Chart: figure, caption, accessible SVG, link to its data table.
    assert!(ads.contains("<figure class=\"graphique\" id=\"graphique-ads\">\n<figcaption>Coût du service ADS par commune</figcaption>"));
    assert!(ads.contains("role=\"img\" aria-labelledby=\"graphique-ads-titre graphique-ads-desc\""));
    assert!(ads.contains("<a href=\"#repartition-ads\">Voir les données du graphique"));
    assert!(html(&f, "finances.html").contains("Voir les données du graphique"));
    // Status and warning carry text, not only colour.
    assert!(ads.contains("<p class=\"statut\">Statut&nbsp;: <span class=\"badge badge-en-cours\">En cours</span></p>"));
    assert!(ads.contains("<strong>Attention&nbsp;:</strong> Le total déclaré diffère de 0,50 €."));
    // Two Markdown blocks with the same footnote label and heading: unique ids.
    assert!(ads.contains("id=\"note-7-a\"") && ads.contains("id=\"note-8-a\""));
    assert!(ads.contains("<h2 id=\"notes\">Notes</h2>") && ads.contains("<h2 id=\"notes-2\">Notes</h2>"));
}

#[test]
fn markdown_is_adapted_to_the_page() {
    let (f, _) = site_par_defaut();
    let s = html(&f, "schema.html");
    // `#` becomes h2 under the page h1; heading ids are French-safe slugs.
    assert!(s.contains("<h2 id=\"le-schema-en-bref\">Le schéma en bref</h2>"), "{s}");
    assert!(s.contains("<h3 id=\"calendrier\">Calendrier</h3>"));
    assert!(s.contains("<h4 id=\"detail-provisoire\">Détail <del>provisoire</del></h4>"), "{s}");
    // Page links made relative; the external link kept.
    assert!(s.contains("<a href=\"services/ads.html\">service ADS</a>"));
    assert!(s.contains("<a href=\"services/ads.html#repartition-ads\">sa répartition</a>"));
    assert!(s.contains(&format!("<a href=\"{EXTERNE}\">article L. 5211-39-1 du CGCT</a>")));
    // Footnote called twice: one note, two calls with distinct ids.
    assert!(s.contains("<a id=\"appel-1-cgct\" href=\"#note-1-cgct\"><span class=\"sr-only\">Note </span>1</a>"));
    assert!(s.contains("<a id=\"appel-1-cgct-2\" href=\"#note-1-cgct\"><span class=\"sr-only\">Note </span>1</a>"));
    assert!(s.contains("<section class=\"notes\" aria-label=\"Notes\">\n<ol>\n<li id=\"note-1-cgct\"><p>Code général des collectivités territoriales.</p>"));
    // Markdown table: header scopes, right-aligned numbers.
    assert!(s.contains("<th scope=\"col\">Étape</th><th scope=\"col\">Date</th><th scope=\"col\" class=\"num\">Montant</th>"));
    assert!(s.contains("<td class=\"num\">1 234,50 €</td>"));
}

#[test]
fn site_map_404_and_sitemap() {
    let opts = SiteOptions {
        url_de_base: Some("https://www.ccpd.fr/mutualisation/".into()),
        ..Default::default()
    };
    let f = rend(&document(), &mutu_theme::defaut(), &opts);
    let plan = html(&f, "plan-du-site.html");
    assert!(plan.contains("<h2 id=\"services-mutualises\">Services mutualisés</h2>\n<ul>\n<li><a href=\"services.html\">Services mutualisés</a>\n<ul>\n<li><a href=\"services/ads.html\">Instruction des autorisations du droit des sols</a></li>\n<li><a href=\"services/voirie.html\">Voirie</a></li>\n</ul>\n</li>"), "{plan}");
    assert!(plan.contains("<li><a href=\"plan-du-site.html\">Plan du site</a></li>"));
    let p404 = html(&f, "404.html");
    assert!(p404.contains("<h1>Page introuvable</h1>"));
    assert!(p404.contains("<a href=\"index.html\">Retour à l'accueil</a>"));
    assert!(p404.contains("<a href=\"plan-du-site.html\">Consulter le plan du site</a>"));
    // Served for any missing path: relative links, valid at the site root.
    assert!(!p404.contains("<base"));
    let sm = html(&f, "sitemap.xml");
    assert!(sm.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(sm.contains("<url><loc>https://www.ccpd.fr/mutualisation/services/ads.html</loc><lastmod>2024-03-29</lastmod></url>"));
    assert!(!sm.contains("404.html"));
    assert_eq!(sm.matches("<url>").count(), document().pages.len() + 1);
}

#[test]
fn data_files() {
    let (f, _) = site_par_defaut();
    let csv = String::from_utf8(f["donnees/repartition-ads.csv"].clone()).unwrap();
    assert_eq!(
        csv,
        "\u{FEFF}Commune;Montant;Part\r\nDaoulas;186641,00;71,22\r\nLogonna-Daoulas;45210,50;17,25\r\n\"Irvillac; \"\"bourg\"\"\";30000,00;11,53\r\nTotal;261851,50;100\r\n"
    );
    // The data package describes it; no JSON copy of the table any more.
    assert!(!f
        .keys()
        .any(|k| k.starts_with("donnees/") && k.ends_with(".json") && k != "donnees/datapackage.json"));
    let package: serde_json::Value = serde_json::from_slice(&f["donnees/datapackage.json"]).unwrap();
    assert_eq!(package["profile"], "tabular-data-package");
    assert_eq!(package["licenses"][0]["name"], "etalab-2.0");
    assert_eq!(package["contributors"][0]["organization"], "SIREN 242900801");
    let r = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "repartition-ads.csv")
        .unwrap();
    assert_eq!(r["title"], "Répartition du coût du service ADS");
    assert_eq!(
        r["schema"]["fields"],
        serde_json::json!([
            { "name": "Commune", "title": "Commune", "type": "string" },
            { "name": "Montant", "title": "Montant", "type": "number", "decimalChar": ",", "description": "Valeur exacte en euros, virgule décimale." },
            { "name": "Part", "title": "Part", "type": "number", "decimalChar": ",", "description": "Valeur exacte en pour cent, virgule décimale." },
        ])
    );
    assert_eq!(r["schema"]["primaryKey"], serde_json::json!(["Commune"]));
    let licence = String::from_utf8(f["donnees/LICENCE.txt"].clone()).unwrap();
    assert!(licence.contains("Licence Ouverte / Open Licence version 2.0 (Etalab)"));
    // Table ids are unique by construction: one CSV per table.
    let doc = document();
    let tableaux: Vec<&str> = data::tableaux(&doc).map(|t| t.id.as_str()).collect();
    let uniques: BTreeSet<&&str> = tableaux.iter().collect();
    assert_eq!(tableaux.len(), uniques.len());
    assert_eq!(f.keys().filter(|k| k.ends_with(".csv")).count(), tableaux.len());
}

#[test]
fn live_reload_script_is_injected_only_in_serve_mode() {
    let opts = SiteOptions {
        rechargement: Some("new EventSource('__mutu/evenements').onmessage = () => location.reload();".into()),
        ..Default::default()
    };
    let f = rend(&document(), &mutu_theme::defaut(), &opts);
    for (chemin, octets) in &f {
        if chemin.ends_with(".html") {
            let t = String::from_utf8(octets.clone()).unwrap();
            assert!(
                t.ends_with("<script>new EventSource('__mutu/evenements').onmessage = () => location.reload();</script>\n</body>\n</html>\n"),
                "{chemin}"
            );
        }
    }
}

struct Projet(PathBuf);

impl Projet {
    fn new(nom: &str, fichiers: &[(&str, &str)]) -> Projet {
        let racine = std::env::temp_dir().join(format!("mutu-test-site-{nom}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&racine);
        for (chemin, contenu) in fichiers {
            let p = racine.join(chemin);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, contenu).unwrap();
        }
        Projet(racine)
    }

    fn racine(&self) -> &Path {
        &self.0
    }
}

impl Drop for Projet {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn project_override_of_one_block_template() {
    let projet = Projet::new(
        "surcharge",
        &[(
            "themes/custom/templates/blocs/paragraphe.html",
            "<p class=\"paragraphe-maison\">{{ bloc.texte | upper }}</p>\n",
        )],
    );
    let theme = mutu_theme::charger(projet.racine(), "custom").unwrap();
    let f = rend(&document(), &theme, &SiteOptions::default());
    let daoulas = html(&f, "communes/daoulas.html");
    assert!(daoulas.contains("<p class=\"paragraphe-maison\">COMMUNE MEMBRE.</p>"), "{daoulas}");
    // Other templates still come from the default theme.
    assert!(daoulas.contains("<nav class=\"fil conteneur\" aria-label=\"Fil d'Ariane\">"));
}

#[test]
fn template_errors_name_the_file() {
    let projet = Projet::new(
        "erreur",
        &[("themes/custom/templates/blocs/paragraphe.html", "<p>\n{% if %}{{ bloc.texte }}</p>\n")],
    );
    let theme = mutu_theme::charger(projet.racine(), "custom").unwrap();
    let diags = site::render(&document(), &theme, &SiteOptions::default()).unwrap_err();
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "gabarit-invalide");
    assert!(
        diags[0]
            .message
            .starts_with("le gabarit themes/custom/templates/blocs/paragraphe.html contient une erreur de syntaxe"),
        "{}",
        diags[0].message
    );
    let loc = diags[0].loc.as_ref().unwrap();
    assert_eq!(
        (loc.fichier.as_path(), loc.ligne),
        (Path::new("themes/custom/templates/blocs/paragraphe.html"), 2)
    );

    let projet = Projet::new("rendu", &[("themes/custom/templates/blocs/liste.html", "<ul>{{ bloc.inexistant }}</ul>\n")]);
    let theme = mutu_theme::charger(projet.racine(), "custom").unwrap();
    let diags = site::render(&document(), &theme, &SiteOptions::default()).unwrap_err();
    assert_eq!(diags[0].code, "gabarit-rendu");
    assert!(
        diags[0].message.contains("themes/custom/templates/blocs/liste.html") && diags[0].message.contains("inexistant"),
        "{}",
        diags[0].message
    );
}

/// Render errors of a theme `custom` made of `fichiers` (paths under its
/// `templates/`), as (code, message, line).
fn erreurs_du_theme(nom: &str, fichiers: &[(&str, &str)]) -> Vec<(&'static str, String, Option<usize>)> {
    let fichiers: Vec<(String, &str)> = fichiers.iter().map(|(r, t)| (format!("themes/custom/templates/{r}"), *t)).collect();
    let refs: Vec<(&str, &str)> = fichiers.iter().map(|(r, t)| (r.as_str(), *t)).collect();
    let projet = Projet::new(nom, &refs);
    let theme = mutu_theme::charger(projet.racine(), "custom").unwrap();
    // What `mutu serve` calls on every change: an error, not an abort.
    let diags = site::render(&document(), &theme, &SiteOptions::default()).unwrap_err();
    diags.into_iter().map(|d| (d.code.texte(), d.message, d.loc.map(|l| l.ligne))).collect()
}

#[test]
fn recursion_and_cycles_in_templates_are_refused_before_rendering() {
    // Recursion on the argument itself: refused (it would overflow the stack).
    let d = erreurs_du_theme(
        "recursion",
        &[(
            "blocs/liste.html",
            "{% macro f(l) %}\n{{ self::f(l=l) }}\n{% endmacro f %}\n{{ self::f(l=bloc) }}\n",
        )],
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].0, "gabarit-recursif");
    assert_eq!(d[0].2, Some(2));
    // A string iterated by `for` gives itself back (one character): not a
    // strict part, refused; a field of a loop item is.
    let d = erreurs_du_theme(
        "recursion-chaine",
        &[(
            "blocs/liste.html",
            "{% macro f(l) %}{% for x in l %}{{ self::f(l=x) }}{% endfor %}{% endmacro f %}{{ self::f(l=bloc) }}\n",
        )],
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].0, "gabarit-recursif");
    // A template including itself.
    let d = erreurs_du_theme("inclusion", &[("blocs/liste.html", "<ul>\n{% include \"blocs/liste.html\" %}</ul>\n")]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(
        (d[0].0, d[0].1.as_str(), d[0].2),
        (
            "gabarit-recursif",
            "inclusion circulaire : le gabarit themes/custom/templates/blocs/liste.html s'inclut lui-même",
            Some(2)
        )
    );
    // Inheritance and import cycles (Tera itself recurses forever on some).
    let d = erreurs_du_theme(
        "heritage",
        &[
            ("a.html", "{% extends \"b.html\" %}"),
            ("b.html", "{% extends \"c.html\" %}"),
            ("c.html", "{% extends \"b.html\" %}"),
        ],
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].1, "héritage circulaire : « b.html » hérite de « c.html » hérite de « b.html »");
    let d = erreurs_du_theme(
        "imports",
        &[("a.html", "{% import \"b.html\" as b %}"), ("b.html", "{% import \"a.html\" as a %}")],
    );
    assert_eq!(d.len(), 1, "{d:#?}");
    assert_eq!(d[0].1, "import circulaire : « a.html » importe « b.html » importe « a.html »");
}

#[test]
fn deep_nesting_is_refused_before_tera_parses_it() {
    // 500 nested `if`s or 3000 nested brackets overflowed the stack.
    let ifs = format!("<p>\n{}x{}</p>\n", "{% if true %}".repeat(500), "{% endif %}".repeat(500));
    let parens = format!("{{{{ {}1{} }}}}", "(".repeat(3000), ")".repeat(3000));
    for (nom, texte, ligne) in [("imbrication-if", &ifs, 2), ("imbrication-parentheses", &parens, 1)] {
        let d = erreurs_du_theme(nom, &[("blocs/liste.html", texte)]);
        assert_eq!(d.len(), 1, "{d:#?}");
        assert_eq!(
            (d[0].0, d[0].1.as_str(), d[0].2),
            (
                "gabarit-invalide",
                "le gabarit themes/custom/templates/blocs/liste.html imbrique plus de 64 balises ou parenthèses les unes dans les autres",
                Some(ligne)
            )
        );
    }
}

#[test]
fn range_is_bounded() {
    let d = erreurs_du_theme("range", &[("blocs/liste.html", "{% for i in range(end=3, step_by=0) %}{{ i }}{% endfor %}")]);
    assert_eq!(d.len(), 1, "{d:#?}");
    assert!(
        d[0].1.starts_with(
            "le gabarit themes/custom/templates/blocs/liste.html n'a pas pu être rendu : la fonction « range » attend un « step_by » d'au moins 1"
        ),
        "{}",
        d[0].1
    );
    let d = erreurs_du_theme(
        "range-grand",
        &[("blocs/liste.html", "{% for i in range(end=1000000000000) %}{{ i }}{% endfor %}")],
    );
    assert!(
        d[0].1.starts_with(
            "le gabarit themes/custom/templates/blocs/liste.html n'a pas pu être rendu : la fonction « range » ne donne pas plus de 100000 valeurs"
        ),
        "{}",
        d[0].1
    );
}

#[test]
fn inconsistent_documents_are_reported() {
    let mut doc = document();
    let t = doc.pages[7].blocs[1].clone();
    doc.pages[0].blocs.push(t);
    doc.pages[1].parent = Some("absente".into());
    doc.pages[2].blocs.push(Bloc::Liens {
        liens: vec![Lien {
            page: "services/inconnu".into(),
            texte: "?".into(),
            detail: None,
        }],
    });
    doc.pages.push(page("plan-du-site", "Doublon", Rubrique::Pratique, None, vec![]));
    doc.pages[3].blocs.push(Bloc::Markdown {
        source: "[lien](services/nulle-part)".into(),
        fichier: "content/x.md".into(),
    });
    let diags = site::render(&doc, &mutu_theme::defaut(), &SiteOptions::default()).unwrap_err();
    let codes: Vec<&str> = diags.iter().map(|d| d.code.texte()).collect();
    for c in [
        "tableau-en-double",
        "page-parent-introuvable",
        "document-lien-casse",
        "page-identifiant-reserve",
    ] {
        assert!(codes.contains(&c), "{c} absent de {codes:?}");
    }
    let mut doc = document();
    doc.pages[3].blocs.push(Bloc::Markdown {
        source: "[lien](services/nulle-part)".into(),
        fichier: "content/x.md".into(),
    });
    let diags = site::render(&doc, &mutu_theme::defaut(), &SiteOptions::default()).unwrap_err();
    assert_eq!(diags[0].code, "lien-introuvable");
    assert_eq!(diags[0].loc.as_ref().unwrap().fichier, Path::new("content/x.md"));
    let opts = SiteOptions {
        url_de_base: Some("www.exemple.fr".into()),
        ..Default::default()
    };
    assert_eq!(
        site::render(&document(), &mutu_theme::defaut(), &opts).unwrap_err()[0].code,
        "url-de-base-invalide"
    );
}

/// Writes the synthetic site for manual or browser checks:
/// `MUTU_SITE=/tmp/site cargo test --release --test site ecrit_site -- --ignored`.
#[test]
#[ignore]
fn ecrit_site() {
    let dir = PathBuf::from(std::env::var("MUTU_SITE").unwrap_or_else(|_| "/tmp/mutu-site-synthetique".into()));
    let _ = std::fs::remove_dir_all(&dir);
    for (chemin, octets) in site_par_defaut().0 {
        let p = dir.join(chemin);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, octets).unwrap();
    }
}

#[test]
fn render_time() {
    let doc = document();
    let theme = mutu_theme::defaut();
    let opts = SiteOptions::default();
    let debut = std::time::Instant::now();
    let n = 20;
    for _ in 0..n {
        site::render(&doc, &theme, &opts).unwrap();
    }
    let ms = debut.elapsed().as_secs_f64() * 1000.0 / n as f64;
    eprintln!("rendu du site synthétique ({} pages) : {ms:.2} ms", doc.pages.len());
    assert!(ms < 500.0);
}
