//! PDF annex: renders a realistic synthetic document and checks the file
//! with poppler-utils (pdfinfo, pdffonts, pdftotext): tagged PDF/A-2 +
//! PDF/UA-1, Inter embedded and nothing else, every table cell and every
//! hostile string shown literally, byte-identical output, per-commune
//! extract, French diagnostics for a broken theme template.

use crate::outils;

use mutu_pdf::{self as pdf, PdfEngine};
use mutu_present::{Bloc, Cellule, Chiffre, Colonne, Definition, Document, Etape, GenreEncadre, Graphique, Lien, Page, Rubrique, Tableau};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const HOSTILE_MD: &str = "Texte hostile : #panic() $x$ @ref <label> ] [ \\ // /* */ ~ -- --- ... -? \\u{41} `#code` h_t_t_p https://exemple.fr/a_b\n\n1\\. pas une liste\n\n\\= pas un titre\n\nFin du texte *en italique*(suivi) et **gras**[crochet].";

/// Strings that must appear literally in the PDF text.
const HOSTILE_LITTERAUX: &[&str] = &[
    "#panic()",
    "$x$",
    "@ref",
    "<label>",
    "] [ \\ // /* */ ~ -- --- ... -?",
    "\\u{41}",
    "#code",
    "h_t_t_p",
    "https://exemple.fr/a_b",
    "1. pas une liste",
    "= pas un titre",
    "en italique(suivi)",
    "gras[crochet]",
];

fn num(t: &str, v: &str) -> Cellule {
    Cellule {
        texte: t.to_string(),
        valeur: Some(v.to_string()),
        entete: false,
        lien: None,
        ancre: None,
    }
}

fn row_header(t: &str, lien: Option<&str>) -> Cellule {
    Cellule {
        texte: t.to_string(),
        valeur: None,
        entete: true,
        lien: lien.map(str::to_string),
        ancre: None,
    }
}

fn svg_chart() -> String {
    let mut s = String::from(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="320" viewBox="0 0 640 320"><title>Coût des services communs</title><rect x="0" y="0" width="640" height="320" fill="#ffffff"/>"##,
    );
    let values = [120, 180, 90, 240, 160];
    let years = ["2019", "2020", "2021", "2022", "2023"];
    for (i, (v, y)) in values.iter().zip(years).enumerate() {
        let x = 60 + i * 110;
        s.push_str(&format!(r##"<rect x="{x}" y="{}" width="70" height="{v}" fill="#1f5fa8"/>"##, 280 - v));
        s.push_str(&format!(
            r##"<text x="{}" y="300" font-family="Inter" font-size="14" text-anchor="middle" fill="#222222">{y}</text>"##,
            x + 35
        ));
    }
    s.push_str(r##"<text x="320" y="24" font-family="Inter" font-size="16" text-anchor="middle" fill="#222222">Coût en milliers d'euros</text></svg>"##);
    s
}

fn communes() -> Vec<String> {
    // 80 rows: the table runs over more than one page.
    (1..=80).map(|i| format!("Commune numéro {i:02}")).collect()
}

fn document() -> Document {
    let long_rows: Vec<Vec<Cellule>> = communes()
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let pop = 1000 + i * 37;
            vec![
                row_header(c, if i == 0 { Some("communes/daoulas") } else { None }),
                num(&format!("{}\u{202f}{:03}", pop / 1000, pop % 1000), &pop.to_string()),
                num(&format!("{},{:02}\u{a0}%", i % 7, i % 100), "0"),
            ]
        })
        .collect();
    let long = Tableau {
        id: "repartition-communes".into(),
        titre: "Répartition du coût par commune".into(),
        legende: "Répartition du coût par commune".into(),
        colonnes: vec![
            Colonne {
                libelle: "Commune".into(),
                numerique: false,
            },
            Colonne {
                libelle: "Population DGF".into(),
                numerique: true,
            },
            Colonne {
                libelle: "Part".into(),
                numerique: true,
            },
        ],
        lignes: long_rows,
        pied: vec![vec![row_header("Total", None), num("123\u{202f}456", "123456"), num("100,00\u{a0}%", "100")]],
        note: Some("Règle de répartition : au prorata de la population DGF de l'année N-1 (#note $règle$).".into()),
        detail: None,
    };
    let cout = Tableau {
        id: "cout-services".into(),
        legende: "Coût des services communs".into(),
        titre: "Coût des services communs".into(),
        colonnes: vec![
            Colonne {
                libelle: "Année".into(),
                numerique: false,
            },
            Colonne {
                libelle: "Coût (k€)".into(),
                numerique: true,
            },
        ],
        lignes: ["2019", "2020", "2021", "2022", "2023"]
            .iter()
            .zip(["120", "180", "90", "240", "160"])
            .map(|(a, v)| vec![row_header(a, None), num(&format!("{v}\u{a0}000,00\u{a0}€"), v)])
            .collect(),
        pied: vec![],
        note: None,
        detail: None,
    };
    Document {
        titre: "Rapport sur l'avancement du schéma de mutualisation".into(),
        titre_complet: format!("{} — exercice 2023", "Rapport sur l'avancement du schéma de mutualisation"),
        sous_titre: Some("Exercice 2023".into()),
        url_en_ligne: None,
        epci_nom: "Communauté d'agglomération du Pays de Landerneau-Daoulas".into(),
        epci_siren: "242900801".into(),
        epci_siret: None,
        date_reception: None,
        epci_sigle: "CAPLD".into(),
        exercice: 2023,
        date_conseil: "2024-03-29".into(),
        date_conseil_texte: "29 mars 2024".into(),
        date_document: "2024-03-29".into(),
        deliberation: "DCC2024_054".into(),
        actes_id: Some("029-242900801-20240329-DCC2024_054-DE".into()),
        signataire_nom: "Patrick Leclerc".into(),
        signataire_qualite: "Le Président".into(),
        transmission: vec![],
        mots_cles: vec!["mutualisation".into(), "services communs".into(), "exercice 2023".into()],
        logo: None,
        nom_pdf: "rapport-mutualisation-2023".into(),
        mention_projet: None,
        pdf_sans_detail: Vec::new(),
        genre: mutu_present::GenreDocument::Rapport,
        pages: vec![
            Page {
                id: "index".into(),
                titre: "Synthèse".into(),
                rubrique: Rubrique::Accueil,
                parent: None,
                resume: Some("Les chiffres clés".into()),
                pdf: true,
                membre: None,
                site_seulement: vec![],
                blocs: vec![
                    Bloc::Chiffres {
                        chiffres: vec![
                            Chiffre { libelle: "Services communs".into(), valeur: "7".into(), detail: Some("au 31 décembre 2023".into()) },
                            Chiffre { libelle: "Coût total".into(), valeur: "1\u{202f}234\u{202f}567\u{a0}€".into(), detail: None },
                            Chiffre { libelle: "Agents mutualisés".into(), valeur: "42,5 ETP".into(), detail: None },
                        ],
                    },
                    Bloc::Paragraphe { texte: "Paragraphe simple avec #set text(red) et $maths$ non interprétés.".into() },
                    Bloc::Markdown { source: HOSTILE_MD.into(), fichier: "content/accueil.md".into() },
                    Bloc::Encadre { genre: GenreEncadre::Avertissement, texte: "Le total déclaré (1 234 568 €) ne correspond pas à la somme des lignes.".into() },
                    Bloc::Liens { liens: vec![Lien { page: "finances".into(), texte: "Les finances".into(), detail: Some("coûts et répartition".into()) }, Lien { page: "fiches/f01".into(), texte: "La fiche ADS".into(), detail: None }] },
                ],
            },
            Page {
                id: "schema".into(),
                titre: "Le schéma de mutualisation".into(),
                rubrique: Rubrique::Schema,
                parent: Some("index".into()),
                resume: None,
                pdf: true,
                membre: None,
                site_seulement: vec![],
                blocs: vec![
                    Bloc::Titre { niveau: 2, texte: "Historique".into(), ancre: "historique".into() },
                    Bloc::Frise { etapes: vec![Etape { annee: "2015".into(), evenements: vec!["Adoption du premier schéma".into()] }, Etape { annee: "2021".into(), evenements: vec!["Révision du schéma".into(), "Création du service commun ADS".into()] }] },
                    Bloc::Titre { niveau: 4, texte: "Titre trop profond ramené au niveau 3".into(), ancre: "profond".into() },
                    Bloc::Markdown {
                        source: "## Contexte\n\nLe cadre est fixé par l'article L.5211-39-1 du CGCT[^cgct].\n\n[^cgct]: Code général des collectivités territoriales.\n\n### Principes\n\n1. Solidarité\n2. Efficacité\n   - sous-point a\n   - sous-point b\n\n> Une citation du président.\n\n| Axe | Fiches |\n|:----|------:|\n| Ressources | 4 |\n| Technique | 3 |\n\nVoir [le site de l'État](https://www.collectivites-locales.gouv.fr).\n\n```\ncode #brut $x$\n```\n".into(),
                        fichier: "content/schema.md".into(),
                    },
                    Bloc::Liste { elements: vec!["Premier élément".into(), "Second élément avec // commentaire".into()] },
                ],
            },
            Page {
                id: "finances".into(),
                titre: "Finances".into(),
                rubrique: Rubrique::Finances,
                parent: Some("index".into()),
                resume: None,
                pdf: true,
                membre: None,
                site_seulement: vec![],
                blocs: vec![
                    Bloc::Graphique(Graphique { id: "graph-cout".into(), titre: "Évolution du coût des services communs".into(), legende: "Évolution du coût des services communs".into(), description: "Le coût passe de 120 000 € en 2019 à 160 000 € en 2023, avec un pic à 240 000 € en 2022.".into(), svg: svg_chart(), tableau: "cout-services".into() }),
                    Bloc::Tableau(cout),
                    Bloc::Tableau(long),
                ],
            },
            Page {
                id: "fiches/f01".into(),
                titre: "Fiche 1 — Service commun d'instruction ADS".into(),
                rubrique: Rubrique::Axes,
                parent: Some("schema".into()),
                resume: None,
                pdf: true,
                membre: None,
                site_seulement: vec![],
                blocs: vec![
                    Bloc::Statut { code: "en_cours".into(), libelle: "En cours".into() },
                    Bloc::Definitions { lignes: vec![Definition { terme: "Pilote".into(), valeurs: vec!["Direction générale des services".into()] }, Definition { terme: "Communes intéressées".into(), valeurs: vec!["Daoulas".into(), "Landerneau".into()] }] },
                    Bloc::Encadre { genre: GenreEncadre::Information, texte: "Fiche mise à jour en 2023.".into() },
                ],
            },
            Page {
                id: "communes/daoulas".into(),
                titre: "Daoulas".into(),
                rubrique: Rubrique::Communes,
                parent: Some("index".into()),
                resume: None,
                pdf: false,
                membre: Some("daoulas".into()),
                site_seulement: vec![],
                blocs: vec![
                    Bloc::Paragraphe { texte: "Daoulas adhère à 3 services communs.".into() },
                    Bloc::Liens { liens: vec![Lien { page: "fiches/f01".into(), texte: "Instruction ADS".into(), detail: Some("depuis 2015".into()) }, Lien { page: "services/rh".into(), texte: "Ressources humaines".into(), detail: None }] },
                ],
            },
        ],
    }
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("mutu-pdf-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Removes a test file once its checks passed (a failing test leaves it
/// for inspection; so does `MUTU_GARDER_PDF=1`).
fn cleanup(path: &Path) {
    if std::env::var_os("MUTU_GARDER_PDF").is_none() {
        let _ = std::fs::remove_file(path);
    }
}

fn run(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} introuvable ({e}) : installez poppler-utils"));
    assert!(out.status.success(), "{cmd} {args:?} a échoué : {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Collapses every kind of whitespace (NBSP, narrow NBSP, line breaks) into
/// single spaces.
fn norm(s: &str) -> String {
    s.split(|c: char| c.is_whitespace()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Removes all whitespace: typst may break a line inside a URL or a long
/// cell, so literal checks compare the characters in order.
fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdftotext(path: &Path) -> String {
    norm(&run("pdftotext", &["-raw", "-enc", "UTF-8", path.to_str().unwrap(), "-"]))
}

fn info_field(info: &str, key: &str) -> String {
    info.lines()
        .find_map(|l| l.strip_prefix(key).map(|v| v.trim_start_matches(':').trim().to_string()))
        .unwrap_or_else(|| panic!("{key} absent de pdfinfo :\n{info}"))
}

#[test]
fn rapport_complet() {
    let theme = mutu_theme::defaut();
    let doc = document();
    let t0 = Instant::now();
    let mut engine = PdfEngine::new(&theme).expect("moteur");
    let t1 = Instant::now();
    let a = engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
    let t2 = Instant::now();
    let b = engine.rapport(&doc).expect("second rendu");
    let t3 = Instant::now();
    eprintln!(
        "moteur {} ms, premier rendu {} ms, second rendu (cache chaud) {} ms, {} octets",
        (t1 - t0).as_millis(),
        (t2 - t1).as_millis(),
        (t3 - t2).as_millis(),
        a.len()
    );
    assert!(a == b, "deux rendus successifs diffèrent");
    assert!(engine.avertissements().is_empty(), "{:#?}", engine.avertissements());
    let c = pdf::render(&doc, &theme).expect("rendu ponctuel");
    assert!(a == c, "le rendu ponctuel diffère du moteur");
    assert!(a.starts_with(b"%PDF-1.7"));

    let path = tmp("rapport.pdf");
    std::fs::write(&path, &a).unwrap();
    let p = path.to_str().unwrap();

    let info = run("pdfinfo", &[p]);
    assert_eq!(info_field(&info, "Tagged"), "yes", "{info}");
    assert_eq!(info_field(&info, "PDF version"), "1.7");
    assert_eq!(
        info_field(&info, "Title"),
        "Rapport sur l'avancement du schéma de mutualisation — exercice 2023"
    );
    assert_eq!(info_field(&info, "Author"), "Communauté d'agglomération du Pays de Landerneau-Daoulas");
    assert_eq!(info_field(&info, "Keywords"), "mutualisation, services communs, exercice 2023");
    assert!(info_field(&info, "CreationDate").contains("2024"), "{info}");
    assert_eq!(info_field(&info, "Page size"), "595.276 x 841.89 pts (A4)");
    let pages: usize = info_field(&info, "Pages").parse().unwrap();
    assert_eq!(engine.nombre_de_pages(), Some(pages));
    assert!((6..=12).contains(&pages), "{pages} pages");

    let meta = run("pdfinfo", &["-meta", p]);
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"), "{meta}");
    assert!(meta.contains("pdfuaid:part>1<"), "{meta}");

    let fonts = run("pdffonts", &[p]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in &rows {
        let name = row.split_whitespace().next().unwrap();
        assert!(name.contains("Inter"), "police inattendue : {row}");
        // name type encoding emb sub uni object ID
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "police non incorporée : {row}");
    }

    let text = pdftotext(&path);
    for needle in [
        "Sommaire",
        "Synthèse",
        "Le schéma de mutualisation",
        "29 mars 2024",
        "DCC2024_054",
        "029-242900801-20240329-DCC2024_054-DE",
        "Exercice 2023",
        "Statut : En cours",
        "Attention :",
        "À noter :",
        "Code général des collectivités territoriales",
        "Une citation du président",
        "code #brut $x$",
        "Règle de répartition : au prorata de la population DGF de l'année N-1 (#note $règle$).",
        "#set text(red) et $maths$",
        "Second élément avec // commentaire",
        "page 2 / ",
    ] {
        assert!(text.contains(&norm(needle)), "« {needle} » absent du texte du PDF :\n{text}");
    }
    let compacted = compact(&text);
    for lit in HOSTILE_LITTERAUX {
        assert!(compacted.contains(&compact(lit)), "texte hostile « {lit} » absent ou modifié :\n{text}");
    }
    for page in &doc.pages {
        for bloc in &page.blocs {
            if let Bloc::Tableau(t) = bloc {
                if !page.pdf {
                    continue;
                }
                for c in &t.colonnes {
                    assert!(text.contains(&norm(&c.libelle)), "en-tête « {} » absent", c.libelle);
                }
                for cell in t.lignes.iter().chain(&t.pied).flatten() {
                    assert!(text.contains(&norm(&cell.texte)), "cellule « {} » absente du PDF", cell.texte);
                }
            }
        }
    }
    // The long table repeats its header on the next page.
    assert!(
        text.matches("Commune Population DGF Part").count() >= 2,
        "en-tête du long tableau non répété :\n{text}"
    );
    // Commune pages are not in the main report.
    assert!(!text.contains("Daoulas adhère"), "la page de commune ne doit pas être dans le rapport");
    cleanup(&path);
}

#[test]
fn extrait_commune() {
    let theme = mutu_theme::defaut();
    let doc = document();
    let mut engine = PdfEngine::new(&theme).unwrap();
    let t0 = Instant::now();
    let a = engine.extrait(&doc, "daoulas").unwrap_or_else(|d| panic!("{d:#?}"));
    eprintln!("extrait : {} ms, {} octets", t0.elapsed().as_millis(), a.len());
    assert_eq!(a, engine.extrait(&doc, "daoulas").unwrap());
    let path = tmp("extrait.pdf");
    std::fs::write(&path, &a).unwrap();
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    assert_eq!(info_field(&info, "Tagged"), "yes");
    assert_eq!(
        info_field(&info, "Title"),
        "Rapport sur l'avancement du schéma de mutualisation — exercice 2023 — extrait : Daoulas"
    );
    assert_eq!(info_field(&info, "Pages"), "2");
    let text = pdftotext(&path);
    for needle in [
        "Extrait pour la commune : Daoulas",
        "Extrait pour Daoulas — exercice 2023",
        "Daoulas adhère à 3 services communs.",
        "Instruction ADS — depuis 2015",
        "Ressources humaines",
        "DCC2024_054",
    ] {
        assert!(text.contains(needle), "« {needle} » absent de l'extrait :\n{text}");
    }
    assert!(!text.contains("Sommaire"));
    assert!(!text.contains("Répartition du coût par commune"));

    let err = engine.extrait(&doc, "brest").unwrap_err();
    assert_eq!(err[0].code, "pdf-membre-inconnu");
    assert_eq!(err[0].message, "aucune page ne correspond au membre « brest »");
    assert_eq!(err[0].attendu.as_deref(), Some("daoulas"));
    cleanup(&path);
}

#[test]
fn caracteres_absents_des_polices() {
    let theme = mutu_theme::defaut();
    let mut doc = document();
    doc.pages[0].blocs.push(Bloc::Paragraphe {
        texte: "Bravo 🎉 à tous".into(),
    });
    let mut engine = PdfEngine::new(&theme).unwrap();
    let pdf = engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(pdf.starts_with(b"%PDF"));
    let w = engine.avertissements();
    assert_eq!(w.len(), 1, "{w:#?}");
    assert_eq!(w[0].code, "pdf-caractere");
    assert!(w[0].message.contains("« 🎉 » (U+1F389)"), "{}", w[0].message);
    assert!(w[0].aide.as_deref().unwrap().contains("« Synthèse »"));
    let path = tmp("emoji.pdf");
    std::fs::write(&path, &pdf).unwrap();
    assert!(pdftotext(&path).contains("Bravo ? à tous"));
    cleanup(&path);
}

#[test]
fn date_invalide() {
    let mut doc = document();
    doc.date_document = "29/03/2024".into();
    let err = pdf::render(&doc, &mutu_theme::defaut()).unwrap_err();
    assert_eq!(err[0].code, "pdf-date");
    assert_eq!(err[0].message, "date du document invalide : « 29/03/2024 »");
}

#[test]
fn erreur_dans_un_modele_du_projet() {
    let root = tmp("projet");
    let dir = root.join("themes/perso/pdf");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("rapport.typ"),
        "#let doc = json(\"/_donnees/document.json\")\n\n= #doc.titre\n\nTexte #fonction-inconnue(1)\n",
    )
    .unwrap();
    let theme = mutu_theme::charger(&root, "perso").unwrap();
    let err = pdf::render(&document(), &theme).unwrap_err();
    assert_eq!(err.len(), 1, "{err:#?}");
    let d = &err[0];
    assert_eq!(d.code, "pdf-typst");
    assert!(d.is_error());
    assert_eq!(
        d.message,
        "le PDF n'a pas pu être produit : typst signale « unknown variable: fonction-inconnue »"
    );
    let loc = d.loc.as_ref().expect("position");
    assert_eq!(loc.fichier, PathBuf::from("themes/perso/pdf/rapport.typ"));
    assert_eq!((loc.ligne, loc.colonne, loc.longueur), (5, 8, 17));
    assert!(
        d.aide.as_deref().unwrap().contains("supprimez ce fichier pour revenir au modèle intégré"),
        "{:?}",
        d.aide
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// A template reading outside its theme: typst's hint « you can adjust the
/// project root with the `--root` argument » named an option mutu does not
/// have; the message and hint are in French.
#[test]
fn modele_qui_lit_hors_du_theme() {
    let root = tmp("hors-theme");
    let dir = root.join("themes/perso/pdf");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rapport.typ"), "#let x = read(\"../../../etc/passwd\")\n\nTexte\n").unwrap();
    let theme = mutu_theme::charger(&root, "perso").unwrap();
    let err = pdf::render(&document(), &theme).unwrap_err();
    assert_eq!(err.len(), 1, "{err:#?}");
    let d = &err[0];
    assert_eq!(d.code, "pdf-typst");
    assert_eq!(
        d.message,
        "le PDF n'a pas pu être produit : le chemin « ../../../etc/passwd » sort du dossier du thème"
    );
    let aide = d.aide.as_deref().unwrap();
    assert!(!aide.contains("--root") && !aide.contains("argument"), "{aide}");
    assert_eq!(
        aide,
        "le modèle PDF ne lit que les fichiers de son thème (dossier pdf/) et les données que mutu lui donne ; \
         corrigez le modèle PDF du thème du projet à cet endroit, ou supprimez ce fichier pour revenir au modèle intégré"
    );
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn modele_et_polices_absents() {
    let root = tmp("sans-modele");
    let dir = root.join("themes/vide/pdf");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rapport.typ"), [0xff, 0xfe, 0x00]).unwrap();
    let theme = mutu_theme::charger(&root, "vide").unwrap();
    let err = PdfEngine::new(&theme).err().expect("erreur attendue");
    assert_eq!(err[0].code, "pdf-modele");
    assert!(err[0].message.contains("themes/vide/pdf/rapport.typ"), "{}", err[0].message);
    let _ = std::fs::remove_dir_all(&root);
}

/// A 4×4 PNG (plain RGB, blue).
const PNG_4X4: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 4, 0, 0, 0, 4, 8, 2, 0, 0, 0, 38, 147, 9, 41, 0, 0, 0, 16, 73, 68, 65, 84, 120, 218,
    99, 144, 247, 171, 132, 35, 6, 226, 56, 0, 112, 99, 14, 97, 108, 190, 249, 194, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

const SVG_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" viewBox="0 0 200 80"><rect width="200" height="80" rx="10" fill="#1f4e79"/><text x="100" y="52" font-family="Inter" font-size="32" font-weight="bold" text-anchor="middle" fill="#ffffff">CAPLD</text></svg>"##;

#[test]
fn logos() {
    let theme = mutu_theme::defaut();
    let doc = document();
    let mut engine = PdfEngine::new(&theme).unwrap();
    let sans = engine.rapport(&doc).unwrap();
    for (bytes, format) in [(SVG_LOGO.as_bytes(), "svg"), (PNG_4X4, "png")] {
        assert_eq!(pdf::verifier_logo(bytes), Ok(format));
        engine.set_logo(Some(bytes.to_vec())).unwrap();
        let avec = engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
        assert_ne!(avec, sans, "le logo {format} n'apparaît pas");
        assert!(engine.avertissements().is_empty(), "{:#?}", engine.avertissements());
    }
    // The SVG logo's text is drawn with the theme font: only Inter in the file.
    engine.set_logo(Some(SVG_LOGO.as_bytes().to_vec())).unwrap();
    let path = tmp("logo-svg.pdf");
    std::fs::write(&path, engine.rapport(&doc).unwrap()).unwrap();
    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.lines().skip(2).all(|l| l.contains("Inter")), "{fonts}");
    cleanup(&path);

    let err = engine.set_logo(Some(b"pas une image".to_vec())).unwrap_err();
    assert_eq!(err.code, "pdf-logo");
    assert_eq!(err.message, "logo inutilisable : format d'image non reconnu");
    let err = engine.set_logo(Some(PNG_4X4[..40].to_vec())).unwrap_err();
    assert!(err.message.starts_with("logo inutilisable : image PNG illisible"), "{}", err.message);
    engine.set_logo(None).unwrap();
    assert_eq!(engine.rapport(&doc).unwrap(), sans);

    let root = tmp("projet-logo");
    std::fs::create_dir_all(root.join("images")).unwrap();
    std::fs::write(root.join("images/logo.png"), PNG_4X4).unwrap();
    let mut d = document();
    assert_eq!(pdf::lire_logo(&root, &d), Ok(None));
    d.logo = Some("images/logo.png".into());
    assert_eq!(pdf::lire_logo(&root, &d), Ok(Some(PNG_4X4.to_vec())));
    d.logo = Some("../logo.png".into());
    assert_eq!(
        pdf::lire_logo(&root, &d).unwrap_err().message,
        "le chemin du logo « ../logo.png » sort du projet"
    );
    d.logo = Some("images/absent.png".into());
    assert!(pdf::lire_logo(&root, &d)
        .unwrap_err()
        .message
        .starts_with("logo « images/absent.png » illisible"));
    let _ = std::fs::remove_dir_all(&root);
}

/// Empty strings and empty collections everywhere: the PDF still renders
/// (still PDF/A + PDF/UA), nothing panics.
#[test]
fn document_vide() {
    let mut doc = document();
    doc.epci_sigle = String::new();
    doc.deliberation = String::new();
    doc.actes_id = None;
    doc.signataire_nom = String::new();
    doc.mots_cles.clear();
    doc.pages = vec![
        Page {
            id: "vide".into(),
            titre: String::new(),
            rubrique: Rubrique::Pratique,
            parent: None,
            resume: None,
            pdf: true,
            membre: None,
            site_seulement: vec![],
            blocs: vec![
                Bloc::Titre {
                    niveau: 2,
                    texte: String::new(),
                    ancre: String::new(),
                },
                Bloc::Paragraphe { texte: String::new() },
                Bloc::Markdown {
                    source: String::new(),
                    fichier: "content/vide.md".into(),
                },
                Bloc::Chiffres { chiffres: vec![] },
                Bloc::Tableau(Tableau {
                    id: "t".into(),
                    titre: "Tableau sans ligne".into(),
                    legende: "Tableau sans ligne".into(),
                    colonnes: vec![Colonne {
                        libelle: "A".into(),
                        numerique: false,
                    }],
                    lignes: vec![],
                    pied: vec![],
                    note: None,
                    detail: None,
                }),
                Bloc::Tableau(Tableau {
                    id: "t2".into(),
                    titre: "Tableau sans colonne".into(),
                    legende: "Tableau sans colonne".into(),
                    colonnes: vec![],
                    lignes: vec![],
                    pied: vec![],
                    note: Some(String::new()),
                    detail: None,
                }),
                Bloc::Definitions { lignes: vec![] },
                Bloc::Liste { elements: vec![] },
                Bloc::Frise { etapes: vec![] },
                Bloc::Statut {
                    code: "inconnu".into(),
                    libelle: "Statut inconnu".into(),
                },
                Bloc::Liens { liens: vec![] },
            ],
        },
        // Same id twice: one link target, no typst error.
        Page {
            id: "double".into(),
            titre: "Double A".into(),
            rubrique: Rubrique::Pratique,
            parent: None,
            resume: None,
            pdf: true,
            membre: None,
            site_seulement: vec![],
            blocs: vec![],
        },
        Page {
            id: "double".into(),
            titre: "Double B".into(),
            rubrique: Rubrique::Pratique,
            parent: None,
            resume: None,
            pdf: true,
            membre: None,
            site_seulement: vec![],
            blocs: vec![Bloc::Liens {
                liens: vec![Lien {
                    page: "double".into(),
                    texte: "vers double".into(),
                    detail: None,
                }],
            }],
        },
    ];
    let out = pdf::render(&doc, &mutu_theme::defaut()).unwrap_or_else(|d| panic!("{d:#?}"));
    let path = tmp("vide.pdf");
    std::fs::write(&path, &out).unwrap();
    let text = pdftotext(&path);
    for needle in [
        "Tableau sans ligne",
        "Aucune donnée.",
        "Statut : Statut inconnu",
        "Double A",
        "Double B",
        "vers double",
    ] {
        assert!(text.contains(needle), "« {needle} » absent :\n{text}");
    }
    assert!(!text.contains("Annexe à la délibération"));
    cleanup(&path);

    doc.pages.iter_mut().for_each(|p| p.pdf = false);
    let err = pdf::render(&doc, &mutu_theme::defaut()).unwrap_err();
    assert_eq!(err[0].code, "pdf-vide");
}

/// Sizes of each page, from `pdfinfo -f 1 -l N`: (width, height) in points.
fn tailles_pages(path: &Path, n: usize) -> Vec<(f64, f64)> {
    let info = run("pdfinfo", &["-f", "1", "-l", &n.to_string(), path.to_str().unwrap()]);
    info.lines()
        .filter(|l| l.starts_with("Page") && l.contains(" size:"))
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().filter_map(|w| w.parse().ok()).collect();
            (v[1], v[2])
        })
        .collect()
}

/// A table too wide for a portrait page is never split into column groups
/// (« partie 1 sur 3 »). Landscape only when the table needs the width
/// (issue 23, item 2): one that fits a portrait page with its text down to
/// 7 pt stays there; a wider one goes whole on a landscape page of its own,
/// every row beside all its amounts, fitted (smaller text) if need be.
#[test]
fn tableau_large() {
    for (annees, nom, paysage) in [(2018..=2023, "portrait", false), (2015..=2023, "paysage", true), (2014..=2023, "ajuste", true)] {
        let mut doc = document();
        let annees: Vec<String> = annees.map(|a: i32| a.to_string()).collect();
        let mut colonnes = vec![Colonne {
            libelle: "Service".into(),
            numerique: false,
        }];
        colonnes.extend(annees.iter().map(|a| Colonne {
            libelle: a.clone(),
            numerique: true,
        }));
        let lignes = (1..=6)
            .map(|i| {
                let mut l = vec![row_header(&format!("Service commun numéro {i} avec un nom long"), None)];
                l.extend(annees.iter().map(|_| num("1\u{202f}234\u{202f}567,89\u{a0}€", "1234567.89")));
                l
            })
            .collect();
        doc.pages[2].blocs = vec![Bloc::Tableau(Tableau {
            id: "large".into(),
            titre: "Coût par année".into(),
            legende: "Coût par année".into(),
            colonnes,
            lignes,
            pied: vec![],
            note: None,
            detail: None,
        })];
        let mut engine = PdfEngine::new(&mutu_theme::defaut()).unwrap();
        let out = engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
        assert!(engine.avertissements().is_empty(), "{nom} : {:#?}", engine.avertissements());
        let path = tmp(&format!("large-{nom}.pdf"));
        std::fs::write(&path, &out).unwrap();
        let text = pdftotext(&path);
        assert!(!text.contains("partie 1 sur"), "{nom} : tableau découpé en groupes de colonnes :\n{text}");
        assert_eq!(text.matches("Service commun numéro 1 avec un nom long").count(), 1, "{nom}");
        let tailles = tailles_pages(&path, engine.nombre_de_pages().unwrap());
        let pages_du_tableau: Vec<usize> = (1..=tailles.len())
            .filter(|&i| run("pdftotext", &["-f", &i.to_string(), "-l", &i.to_string(), path.to_str().unwrap(), "-"]).contains("numéro"))
            .collect();
        assert_eq!(pages_du_tableau.len(), 1, "{nom} : le tableau tient sur une page : {pages_du_tableau:?}");
        let (l, h) = tailles[pages_du_tableau[0] - 1];
        assert_eq!(l > h, paysage, "{nom} : la page du tableau ({l} x {h})");
        let page = norm(&run(
            "pdftotext",
            &[
                "-f",
                &pages_du_tableau[0].to_string(),
                "-l",
                &pages_du_tableau[0].to_string(),
                path.to_str().unwrap(),
                "-",
            ],
        ));
        for a in &annees {
            assert!(page.contains(a.as_str()), "{nom} : colonne {a} absente de la page du tableau");
        }
        assert_eq!(
            compact(&page).matches(&compact("1\u{202f}234\u{202f}567,89\u{a0}€")).count(),
            6 * annees.len(),
            "{nom}"
        );
        // Pages other than the table's stay portrait.
        assert!(
            tailles.iter().enumerate().all(|(i, (l, h))| i + 1 == pages_du_tableau[0] || l < h),
            "{nom} : {tailles:?}"
        );
        cleanup(&path);
    }
}

/// A long table continued on the next page repeats its header there,
/// introduced by its title and « (suite) ».
#[test]
fn tableau_continue_dit_suite() {
    let path = tmp("suite.pdf");
    std::fs::write(&path, pdf::render(&document(), &mutu_theme::defaut()).unwrap()).unwrap();
    let text = pdftotext(&path);
    assert!(text.contains("Répartition du coût par commune (suite) Commune Population DGF Part"), "{text}");
    // Each continuation page says it (the narrow table runs in two columns
    // of the page, whose second column repeats the header without it); the
    // first page does not.
    let pages_du_tableau = outils::pages_pdf(&path).iter().filter(|p| p.contains("Commune numéro")).count();
    assert!(pages_du_tableau >= 2, "{text}");
    assert_eq!(text.matches("(suite)").count(), pages_du_tableau - 1, "{text}");
    assert!(
        !text.contains("Répartition du coût par commune (suite) Commune Population DGF Part Commune numéro 01"),
        "{text}"
    );
}

/// The example project's annex, as printed: numbered sections (1, 1.1) in
/// headings and table of contents, no web navigation, no heading repeated
/// by the next level, the year said once on the cover and in the title, the
/// online address named, and a closing part with the transmission dates
/// and the signatory (the PDF no longer ends on a table's remark).
#[test]
fn annexe_de_l_exemple_imprimable() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sortie = tmp("exemple");
    let out = Command::new(env!("CARGO_BIN_EXE_mutu"))
        .args(["pdf", "--racine", racine.to_str().unwrap(), "--sortie", sortie.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("pdf-typst"), "la mise en page doit converger : {stderr}");
    let path = sortie.join("rapport-mutualisation-2023-capld.pdf");
    let info = run("pdfinfo", &[path.to_str().unwrap()]);
    assert_eq!(
        info_field(&info, "Title"),
        "Rapport de mutualisation 2023 : bilan des services mutualisés et du schéma"
    );
    let text = pdftotext(&path);
    for attendu in [
        // Table of contents, then the headings themselves.
        "Sommaire 1 L'essentiel de l'exercice 2023",
        "1.1 Édito",
        "2 Le schéma de mutualisation",
        "2.1 Cadre juridique",
        "5 Garage commun",
        "9 Qui utilise quoi",
        "10 Axe 1 — Compétences et politiques publiques",
        "10.1 Fiche 1.1 — Ingénierie sociale",
        "10.1.1 Action menée en 2023",
        "14 Contributions des membres en 2023",
        "Version en ligne : https://extranet.example-capld.fr/mutualisation/",
        "Délibération, transmission et signature Présenté au conseil le 29 mars 2024 Annexe à la délibération n° DCC2024_054",
        "Transmis en préfecture le 3 avril 2024 Accusé de réception du 3 avril 2024",
    ] {
        assert!(text.contains(attendu), "« {attendu} » absent du PDF :\n{text}");
    }
    for absent in [
        "Parcourir le rapport",
        "Ma commune dans le schéma",
        "Téléchargements",
        "Contrôle des totaux publiés",
        "partie 1 sur",
        "Exercice 2023 Séance",
        "Action menée en 2023 Action menée en 2023",
        "Le schéma de mutualisation Le schéma de mutualisation",
    ] {
        assert!(!text.contains(absent), "« {absent} » ne doit pas figurer dans le PDF :\n{text}");
    }
    let fin = &text[text.rfind("Délibération, transmission et signature").unwrap()..];
    assert!(
        fin.contains("Le Président Président de la Communauté d'agglomération du Pays de Landerneau-Daoulas"),
        "{fin}"
    );
    assert!(!fin.contains("répartitions TTC"), "{fin}");
    let _ = std::fs::remove_dir_all(&sortie);
}

/// The example project's logo is accepted and drawn on the cover.
#[test]
fn logo_du_projet_exemple() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut doc = document();
    doc.logo = Some("content/images/logo-exemple.svg".into());
    let Some(bytes) = pdf::lire_logo(root, &doc).unwrap_or_else(|d| panic!("{d:#?}")) else {
        panic!("logo non lu")
    };
    assert_eq!(pdf::verifier_logo(&bytes), Ok("svg"));
    let mut engine = PdfEngine::new(&mutu_theme::defaut()).unwrap();
    engine.set_logo(Some(bytes)).unwrap();
    let out = engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(engine.avertissements().is_empty(), "{:#?}", engine.avertissements());
    let path = tmp("logo-exemple.pdf");
    std::fs::write(&path, out).unwrap();
    let fonts = run("pdffonts", &[path.to_str().unwrap()]);
    assert!(fonts.lines().skip(2).all(|l| l.contains("Inter")), "{fonts}");
    cleanup(&path);
}

/// A kept engine (as `mutu serve` keeps it) renders an edited document
/// byte for byte as a fresh engine does: typst's memoization, which the
/// one-file-per-page data makes useful, never leaks an earlier render.
#[test]
fn moteur_garde_apres_modification() {
    let theme = mutu_theme::defaut();
    let avant = document();
    let mut apres = document();
    let page = apres
        .pages
        .iter_mut()
        .find(|p| p.blocs.iter().any(|b| matches!(b, Bloc::Markdown { .. })))
        .unwrap();
    for b in &mut page.blocs {
        if let Bloc::Markdown { source, .. } = b {
            source.push_str("\n\nUne phrase ajoutée après la première construction.");
        }
    }
    let mut garde = PdfEngine::new(&theme).unwrap();
    let premier = garde.rapport(&avant).unwrap();
    let second = garde.rapport(&apres).unwrap();
    let troisieme = garde.rapport(&avant).unwrap();
    let neuf = pdf::render(&apres, &theme).unwrap();
    assert_ne!(premier, second, "la modification doit changer le PDF");
    assert!(second == neuf, "PDF du moteur gardé différent de celui d'un moteur neuf");
    assert!(premier == troisieme, "revenir au texte d'origine doit redonner le même PDF");
    let chemin = tmp("moteur-garde.pdf");
    std::fs::write(&chemin, &second).unwrap();
    assert!(norm(&pdftotext(&chemin)).contains("Une phrase ajoutée après la première construction."));
    cleanup(&chemin);
}

/// The page budget (`pdf.pages_max`): 10 000 fiches drove the layout to
/// 15 GB before it was killed. A document far over the budget stops before
/// the layout, on the estimate; one just over it stops after the layout, on
/// the exact count; no PDF is produced.
#[test]
fn budget_de_pages() {
    let doc = document();
    let mut engine = PdfEngine::new(&mutu_theme::defaut()).unwrap();
    engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
    let n = engine.nombre_de_pages().unwrap();
    let pages: Vec<&Page> = doc.pages.iter().filter(|p| p.pdf).collect();
    let estimation = pdf::estimation_pages(&pages);
    assert!(estimation <= n, "estimation {estimation} > {n} pages");

    engine.set_pages_max(1);
    let debut = Instant::now();
    let err = engine.rapport(&doc).unwrap_err();
    assert!(debut.elapsed().as_secs() < 5, "arrêt avant la mise en page");
    assert_eq!(err.len(), 1, "{err:#?}");
    assert_eq!(err[0].code, "pdf-trop-long");
    assert_eq!(
        err[0].message,
        format!("le rapport PDF compterait environ {estimation} pages, au-delà de la limite de 1 page : il n'est pas produit")
    );
    assert_eq!(err[0].attendu.as_deref(), Some("au plus 1 page (clé pdf.pages_max de data/configuration.yaml)"));
    assert_eq!(engine.nombre_de_pages(), None);

    if estimation < n {
        engine.set_pages_max(n - 1);
        let err = engine.rapport(&doc).unwrap_err();
        assert_eq!(
            err[0].message,
            format!(
                "le rapport PDF compte {n} pages, au-delà de la limite de {} pages : il n'est pas produit",
                n - 1
            )
        );
    }
    engine.set_pages_max(n);
    engine.rapport(&doc).unwrap_or_else(|d| panic!("{d:#?}"));
}

// ------------------------------------------------- a territory of 158 communes

/// SIREN of the Communauté d'agglomération du Pays Basque (158 communes).
const SIREN_GRAND_TERRITOIRE: &str = "200067106";

/// A project of 158 communes as a new user makes it: `mutu new --epci`,
/// then four services with different keys (acts, population, payslips,
/// days × 265 € of an itinerant archivist), five fiches, an activity
/// indicator per commune entered with an overall value beside it, and a
/// second one without a chart kind.
fn grand_territoire(racine: &Path) -> Vec<String> {
    let _ = std::fs::remove_dir_all(racine);
    let o = Command::new(outils::binaire())
        // The exercice of the data below, not the one today's date gives.
        .args(["new", racine.to_str().unwrap(), "--epci", SIREN_GRAND_TERRITOIRE, "--exercice", "2024"])
        .output()
        .unwrap();
    outils::reussit(&o);
    let (epci, membres) = outils::communes_du_territoire(racine);
    let territoire: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(racine.join("data/territoire.yaml")).unwrap()).unwrap();
    let noms: Vec<String> = territoire["membres"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|m| m["type"].as_str() == Some("commune"))
        .map(|m| m["nom"].as_str().unwrap().to_string())
        .collect();
    assert!(membres.len() > 100, "{} communes", membres.len());
    // The year of the populations the scaffold wrote.
    let annee = territoire["membres"][0]["populations"]
        .as_mapping()
        .and_then(|p| p.keys().next())
        .and_then(serde_yaml::Value::as_u64)
        .unwrap();
    let table = |f: &dyn Fn(usize) -> usize| membres.iter().enumerate().map(|(i, m)| format!("{m}: {}", f(i))).collect::<Vec<_>>().join(", ");
    let ecrit = |rel: &str, texte: String| {
        let p = racine.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, texte).unwrap();
    };
    for dossier in ["data/services", "data/fiches", "content/services", "content/fiches"] {
        let _ = std::fs::remove_dir_all(racine.join(dossier));
    }
    ecrit(
        "data/cles.yaml",
        format!(
            "cles:\n  - id: ads-actes\n    libelle: \"ADS : nombre d'actes instruits\"\n    base: valeurs\n    valeurs: {{{}}}\n  - id: info-pop\n    libelle: \"Informatique : population municipale\"\n    base: population_municipale\n    millesime: {annee}\n    beneficiaires: communes\n  - id: paie\n    libelle: \"Paie : nombre de bulletins\"\n    base: nombre_de_paies\n    valeurs: {{{}}}\n  - id: archives\n    libelle: \"Archiviste itinérant : jours\"\n    base: unites_d_oeuvre\n    tarif: 265\n    unite: jour\n    valeurs: {{{}}}\n",
            table(&|i| 5 + (i * 7) % 40),
            table(&|i| 12 * (1 + (i * 3) % 9)),
            table(&|i| 1 + (i * 5) % 13),
        ),
    );
    let adherents = |paiement: &str| {
        membres
            .iter()
            .map(|m| format!("  - membre: {m}\n    paiement: {paiement}\n"))
            .collect::<String>()
    };
    let par_membre = |decalage: usize| {
        membres
            .iter()
            .enumerate()
            .map(|(i, m)| format!("      {m}: {{2023: {}, 2024: {}}}\n", 5 + (i * 7) % 40, decalage + 5 + (i * 7) % 40))
            .collect::<String>()
    };
    for (id, nom, cle, montant) in [
        ("ads", "Instruction des autorisations d'urbanisme", "ads-actes", 520_000),
        ("informatique", "Informatique mutualisée", "info-pop", 310_000),
        ("paie", "Paie mutualisée", "paie", 180_000),
    ] {
        let indicateurs = if id == "ads" {
            format!(
                "indicateurs:\n  - id: actes\n    libelle: \"Actes instruits\"\n    unite: actes\n    valeurs: {{2023: 4000, 2024: 4100}}\n    par_membre:\n{}    graphique: barres\n  - id: visites\n    libelle: \"Visites de conformité\"\n    unite: visites\n    par_membre:\n{}",
                par_membre(1),
                par_membre(2)
            )
        } else {
            String::new()
        };
        ecrit(
            &format!("data/services/{id}.yaml"),
            format!(
                "id: {id}\nnom: \"{nom}\"\nforme: service_commun\nporteur: {epci}\nresume: \"{nom} pour les communes du territoire.\"\nadherents:\n{}effectifs:\n  agents: 6\n{indicateurs}bilans:\n  - exercice: 2024\n    taxes: ttc\n    depenses:\n      - libelle: \"Frais de personnel\"\n        montant: {}\n      - libelle: \"Logiciels\"\n        montant: 20000\nrepartitions:\n  - exercice: 2024\n    libelle: \"Coût 2024 — {nom}\"\n    taxes: ttc\n    etapes:\n      - cle: {cle}\n",
                adherents("titre_de_recettes"),
                montant - 20_000
            ),
        );
    }
    ecrit(
        "data/services/archives.yaml",
        format!(
            "id: archives\nnom: \"Archiviste itinérant\"\nforme: prestation\nporteur: {epci}\nresume: \"Un archiviste intervient dans les communes à la journée.\"\nadherents:\n{}repartitions:\n  - exercice: 2024\n    libelle: \"Archiviste itinérant 2024\"\n    taxes: ttc\n    etapes:\n      - cle: archives\n",
            adherents("attribution_de_compensation")
        ),
    );
    for k in 1..=5 {
        ecrit(
            &format!("data/fiches/fiche-{k}.yaml"),
            format!(
                "id: fiche-{k}\naxe: fonctions-support\nnumero: {k}\npiste: \"Piste de mutualisation numéro {k}\"\nstatut: en_cours\npriorite: 1\ndescriptif: \"Mutualiser une fonction entre les communes et l'intercommunalité, étape {k} du schéma.\"\nobjectifs:\n  - \"Partager les coûts\"\n  - \"Améliorer le service rendu aux habitants\"\ncollectivites_interessees: communes\ncadre_juridique: service_commun\nplan_actions:\n  - \"Recenser les besoins\"\n  - \"Proposer une convention\"\ncalendrier: \"2025\"\n"
            ),
        );
    }
    noms
}

/// Issue 23, items 1 to 4, on 158 communes: the body of the report is
/// bounded by the services and the fiches (long per-member tables in a
/// final numbered « Détail par membre » part, referred to by number), no
/// heading ends a page, no page holds only a sentence, the PDF names no web
/// page, file format, data path or control alarm (nor does the public
/// site), an overall value beside per-member values is a `check` warning,
/// never a published total, and no chart names more than 12 communes.
#[test]
fn grand_territoire_corps_borne_et_detail_par_membre() {
    let racine = tmp("grand-territoire");
    let noms = grand_territoire(&racine);
    let sortie = tmp("grand-territoire-sortie");
    let public = tmp("grand-territoire-public");
    let _ = std::fs::remove_dir_all(&sortie);
    let _ = std::fs::remove_dir_all(&public);

    let check = outils::mutu(&racine, &["check"]);
    let diagnostics = format!("{}{}", outils::stdout(&check), outils::stderr(&check));
    assert!(diagnostics.contains("avertissement[indicateur-valeur-ignoree]"), "{diagnostics}");
    assert!(!diagnostics.contains("total-incoherent"), "{diagnostics}");

    outils::reussit(&outils::mutu(&racine, &["build", "--sortie", sortie.to_str().unwrap()]));
    outils::reussit(&outils::mutu(&racine, &["build", "--public", "--sortie", public.to_str().unwrap()]));
    let pdf = std::fs::read_dir(&sortie)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "pdf"))
        .expect("rapport PDF");
    let pages = outils::pages_pdf(&pdf);
    // The part starts on the page whose first heading is its own (the
    // table of contents names it with a dotted leader).
    let debut_detail = outils::debut_du_detail(&pages).unwrap_or_else(|| panic!("pas de partie « Détail par membre » sur {} pages", pages.len()));
    assert!(
        debut_detail <= 30,
        "corps du rapport : {debut_detail} pages (au plus 30 attendues), {} en tout",
        pages.len()
    );
    let numero = pages[debut_detail]
        .lines()
        .map(str::trim)
        .find(|l| l.ends_with(" Détail par membre"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_string();
    let corps = pages[..debut_detail].iter().map(|p| norm(p)).collect::<Vec<_>>().join(" ");
    assert!(
        corps.contains(&format!("figure en section {numero}.")),
        "aucun renvoi à la section {numero} :\n{corps}"
    );
    // Each commune is named in the detail part, not in the body's tables.
    let detail = pages[debut_detail..].iter().map(|p| norm(p)).collect::<Vec<_>>().join(" ");
    for nom in noms.iter().take(20) {
        assert!(detail.contains(nom.as_str()), "{nom} absent du détail");
    }
    for (k, p) in pages.iter().enumerate() {
        assert_eq!(outils::titre_en_bas_de_page(p), None, "titre seul en bas de la page {} :\n{p}", k + 1);
        if let Some(x) = outils::mention_interdite_du_pdf(&norm(p)) {
            panic!("« {x} » page {} du PDF :\n{p}", k + 1);
        }
        if k > 0 && k + 1 < pages.len() {
            assert!(outils::mots_de_page(p) >= 40, "page {} presque vide :\n{p}", k + 1);
        }
    }
    for (rel, texte) in outils::textes(&public).iter().filter(|(r, _)| r.ends_with(".html")) {
        assert_eq!(outils::trace_de_controle(texte), None, "{rel} du site public");
    }
    assert!(!public.join("controles.html").exists() && !public.join("controles/index.html").exists());
    // No chart names more than 12 communes (the 10 largest and « Autres »).
    let mut graphiques = 0;
    for (rel, texte) in outils::textes(&sortie).iter().filter(|(r, _)| r.ends_with(".html")) {
        for dessines in outils::textes_des_graphiques(texte) {
            let nommes = noms.iter().filter(|n| dessines.contains(n)).count();
            assert!(nommes <= 12, "{rel} : un graphique nomme {nommes} communes");
            graphiques += usize::from(dessines.iter().any(|d| d.starts_with("Autres (")));
        }
    }
    assert!(graphiques >= 1, "aucun graphique ne regroupe les autres communes");
    if std::env::var_os("MUTU_GARDER_PDF").is_none() {
        let _ = std::fs::remove_dir_all(&racine);
        let _ = std::fs::remove_dir_all(&sortie);
        let _ = std::fs::remove_dir_all(&public);
    }
}
