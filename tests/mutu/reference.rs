//! The reference cannot drift from the program: every key the model
//! accepts is documented in docs/format.md and answered by `mutu aide`
//! (dotted paths too), every field of `mutu export` and of the data package
//! is described in docs/export.md, docs/codes.md is the catalogue of codes,
//! every code is explained by `mutu aide <code>`, and the README's commands
//! give the outputs it shows.

use crate::outils::{self, binaire, reussit, stdout, Temp};
use mutu_base::codes::Code;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;
use std::process::Command;

/// The fields serde accepts for `T`: a map with one unknown key makes a
/// struct with `deny_unknown_fields` list them all.
fn champs<T: DeserializeOwned>() -> Vec<String> {
    let e = match serde_yaml::from_str::<T>("zzz_inexistante: 1") {
        Ok(_) => panic!("une clé inconnue acceptée"),
        Err(e) => e.to_string(),
    };
    let liste = e
        .split_once("expected")
        .map(|(_, l)| l)
        .unwrap_or_else(|| panic!("pas de liste de champs : {e}"));
    liste.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

macro_rules! types {
    ($($chemin:literal => $($t:ty),+;)*) => {
        vec![$($(($chemin, std::any::type_name::<$t>(), champs::<$t>()),)+)*]
    };
}

#[test]
fn every_key_of_the_model_is_in_the_reference_and_in_mutu_aide() {
    use mutu_model::{catalogue, cles, commande, config, contenu, enquetes, fiches, schema, services, territoire};
    let types = types! {
        "cles" => cles::Cle, cles::Tranche, cles::PriseEnCharge, cles::Exoneration, cles::Periode;
        "commande_publique" => commande::CommandePublique, commande::Groupement, commande::Amo, commande::LigneAmo;
        "effectifs" => commande::EffectifsDeclares;
        "configuration" => config::Config;
        "publication" => config::Publication;
        "pdf" => config::ConfigPdf;
        "accessibilite" => config::Accessibilite;
        "mentions_legales" => config::MentionsLegales;
        "content" => contenu::FrontMatter;
        "axes" => fiches::Axes, fiches::Axe;
        "fiches" => fiches::Fiche, fiches::ImpactRh, fiches::ImpactFinancier;
        "schema" => schema::Schema, schema::Mandat, schema::Adoption, schema::Principe, schema::Annee, schema::Texte;
        "rapport" => schema::Rapport, schema::Signataire, schema::Transmission;
        "services" => services::Service, services::Adhesion, services::Effectifs, services::Composante, services::Indicateur,
            services::Ligne, services::Bilan, services::Repartition, services::Etape, enquetes::Enquete;
        "offre" => catalogue::Offre, catalogue::Prix, catalogue::GrillePrix, catalogue::AxeGrille, catalogue::Palier,
            catalogue::Gratuite, catalogue::Conditions, catalogue::Contact, catalogue::Participation;
        "territoire" => territoire::Territoire;
        "epci" => territoire::Epci;
        "population" => territoire::Population;
        "membres" => territoire::Membre;
        "partenaires" => territoire::Partenaire;
    };
    // A struct added to the model must be added above.
    let declares: usize = std::fs::read_dir(outils::exemple().join("crates/model/src"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| std::fs::read_to_string(e.path()).unwrap().matches("deny_unknown_fields").count())
        .sum();
    assert_eq!(types.len(), declares, "un type du modèle manque à ce test");
    let mut manquantes = Vec::new();
    for (bloc, nom, champs) in &types {
        assert!(!champs.is_empty(), "{nom}");
        for c in champs {
            let chemin = format!("{bloc}.{c}");
            let o = Command::new(binaire()).args(["aide", &chemin]).output().unwrap();
            // The row names the key alone or in a dotted path (`pdf.pages_max`).
            if !o.status.success() || !(stdout(&o).contains(&format!("`{c}`")) || stdout(&o).contains(&format!(".{c}`"))) {
                manquantes.push(format!("{chemin} ({nom})"));
            }
        }
    }
    assert!(
        manquantes.is_empty(),
        "clés du modèle sans ligne dans docs/format.md (mutu aide) :\n{}",
        manquantes.join("\n")
    );
}

/// Every name written between backquotes in `doc`, split at dots and brackets.
fn noms_documentes(doc: &str) -> BTreeSet<String> {
    doc.split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|t| {
            t.split(['.', '[', ']', ' ', '/', '{', '}', ',', ':', '"'])
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

fn cles_json(v: &Value, chemin: &str, out: &mut BTreeSet<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                // Maps keyed by data (years, ids of members, services…) are
                // documented by their shape, not their keys.
                let donnee = k.chars().all(|c| c.is_ascii_digit()) || chemin.ends_with("]>");
                if !donnee {
                    out.insert((k.clone(), format!("{chemin}.{k}")));
                }
                cles_json(x, &format!("{chemin}.{}", if donnee { "<clé>" } else { k }), out);
            }
        }
        Value::Array(a) => {
            for x in a {
                cles_json(x, &format!("{chemin}[]"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn every_field_of_the_export_and_of_the_data_package_is_in_docs_export() {
    let doc = std::fs::read_to_string(outils::exemple().join("docs/export.md")).unwrap();
    let documentes = noms_documentes(&doc);
    let racines = [
        outils::exemple(),
        outils::exemple().join("tests/territoires/isle-double-landais"),
        outils::exemple().join("tests/territoires/ternois"),
        outils::exemple().join("tests/territoires/reolais"),
    ];
    let mut manquants = BTreeSet::new();
    for r in &racines {
        let o = outils::mutu(r, &["export"]);
        reussit(&o);
        let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let mut cles = BTreeSet::new();
        cles_json(&v, "", &mut cles);
        // Keys that are identifiers of the project's own data (members,
        // services, keys…) sit under maps; a key is data when the project
        // chose it: it is then one of the project's ids.
        let ids = ids_du_projet(&v);
        for (k, chemin) in cles {
            if !documentes.contains(&k) && !ids.contains(&k) {
                manquants.insert(chemin);
            }
        }
    }
    let t = Temp::new("reference-paquet");
    let sortie = t.join("site");
    reussit(&outils::mutu(
        &outils::exemple(),
        &["build", "--sans-pdf", "--sortie", sortie.to_str().unwrap()],
    ));
    let paquet: Value = serde_json::from_str(&std::fs::read_to_string(sortie.join("donnees/datapackage.json")).unwrap()).unwrap();
    let mut cles = BTreeSet::new();
    cles_json(&paquet, "datapackage.json", &mut cles);
    for (k, chemin) in cles {
        if !documentes.contains(&k) {
            manquants.insert(chemin);
        }
    }
    assert!(
        manquants.is_empty(),
        "champs sans description dans docs/export.md :\n{}",
        manquants.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The identifiers a project chose (members, partners, services, keys,
/// fiches, axes, indicators), read in its export `v`: keys of the export's
/// maps, not field names.
fn ids_du_projet(v: &Value) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    fn collecte(v: &Value, ids: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "id" || k == "membre" || k == "beneficiaire" || k == "service" || k == "cle" {
                        if let Some(s) = x.as_str() {
                            ids.insert(s.to_string());
                        }
                    }
                    collecte(x, ids);
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collecte(x, ids)),
            _ => {}
        }
    }
    collecte(v, &mut ids);
    ids
}

#[test]
fn the_page_of_codes_is_the_catalogue() {
    let chemin = outils::exemple().join("docs/codes.md");
    let attendu = mutu::cmd::aide::page_des_codes();
    if std::env::var_os("MUTU_ECRIRE_REFERENCE").is_some() {
        std::fs::write(&chemin, &attendu).unwrap();
    }
    let lu = std::fs::read_to_string(&chemin).unwrap_or_default();
    assert!(
        lu == attendu,
        "docs/codes.md n'est plus le catalogue : MUTU_ECRIRE_REFERENCE=1 cargo test --release reference la réécrit"
    );
    assert!(Code::TOUS.len() >= 165, "{}", Code::TOUS.len());
}

#[test]
fn mutu_aide_explains_every_code_and_lists_them() {
    for c in Code::TOUS {
        let o = Command::new(binaire()).args(["aide", c.texte()]).output().unwrap();
        reussit(&o);
        let premiere = format!("[{}] : {}\n", c.texte(), c.titre());
        assert!(stdout(&o).contains(&premiere), "{}", stdout(&o));
    }
    let o = Command::new(binaire()).args(["aide", "codes"]).output().unwrap();
    reussit(&o);
    let liste = stdout(&o);
    assert!(liste.starts_with(&format!("Les {} codes des diagnostics de mutu", Code::TOUS.len())), "{liste}");
    for c in Code::TOUS {
        assert!(liste.contains(&format!("  {} ", c.texte())), "{c}");
    }
    let o = Command::new(binaire()).args(["aide", "cle-inconue"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(outils::stderr(&o).contains("vouliez-vous dire « cle-inconnue » ?"), "{}", outils::stderr(&o));
}

#[test]
fn mutu_aide_of_a_command_is_in_french_with_the_common_options() {
    for commande in ["build", "check", "pdf", "publish", "import", "aide"] {
        let o = Command::new(binaire()).args(["aide", commande]).output().unwrap();
        reussit(&o);
        let t = stdout(&o);
        assert!(!t.contains("Print help"), "{commande} : {t}");
        assert!(t.contains("--racine <DOSSIER>"), "{commande} : {t}");
        assert!(t.contains("-h, --aide"), "{commande} : {t}");
    }
    // `pdf` is a command and a block of the configuration: both answer.
    let t = stdout(&Command::new(binaire()).args(["aide", "pdf"]).output().unwrap());
    assert!(
        t.contains("Utilisation : mutu pdf") && t.contains("La clé « pdf » des fichiers YAML") && t.contains("pages_max"),
        "{t}"
    );
    for cle in ["cles", "axes", "siret", "epci.siret", "epci.siren", "pdf.pages_max", "publication.cible"] {
        let o = Command::new(binaire()).args(["aide", cle]).output().unwrap();
        assert!(o.status.success(), "mutu aide {cle} : {}", outils::stderr(&o));
    }
}

const UNITES: [&str; 5] = ["ms", "s", "Mo", "ko", "octets"];

/// Whether an output line is the line the README shows, the figures of
/// durations and sizes aside (they vary from one machine to the next).
fn correspond(ligne: &str, attendu: &str) -> bool {
    let chiffres = |s: &str| s.chars().take_while(|c| c.is_ascii_digit() || *c == ',').count();
    // A unit after its space (the binary writes a no-break space there).
    let unite = |s: &str| -> Option<usize> {
        let espace = s.chars().next().filter(|c| matches!(c, ' ' | '\u{a0}' | '\u{202f}'))?;
        let r = &s[espace.len_utf8()..];
        UNITES
            .iter()
            .find(|u| r.starts_with(**u) && !r[u.len()..].starts_with(char::is_alphabetic))
            .map(|u| espace.len_utf8() + u.len())
    };
    let (mut l, mut a) = (ligne, attendu);
    loop {
        let na = chiffres(a);
        if let Some(ua) = (na > 0).then(|| unite(&a[na..])).flatten() {
            let nl = chiffres(l);
            let Some(ul) = (nl > 0).then(|| unite(&l[nl..])).flatten() else {
                return false;
            };
            (l, a) = (&l[nl + ul..], &a[na + ua..]);
            continue;
        }
        match (a.chars().next(), l.chars().next()) {
            (None, None) => return true,
            (Some(x), Some(y)) if x == y => (l, a) = (&l[y.len_utf8()..], &a[x.len_utf8()..]),
            _ => return false,
        }
    }
}

#[test]
fn readme_lines_match_whatever_the_durations() {
    assert!(correspond(
        "construction terminée : 29 pages en 1,2\u{a0}s → x",
        "construction terminée : 29 pages en 191 ms → x"
    ));
    assert!(correspond("103 fichiers (2,2\u{a0}Mo)", "103 fichiers (1,9 Mo)"));
    assert!(!correspond("3 services", "2 services"));
    assert!(!correspond(
        "construction terminée : 30 pages en 1 s",
        "construction terminée : 29 pages en 191 ms"
    ));
}

#[test]
fn the_readme_quick_start_prints_what_the_readme_shows() {
    let readme = std::fs::read_to_string(outils::exemple().join("README.md")).unwrap();
    let section = readme.split("## Démarrage rapide").nth(1).unwrap();
    let bloc = section.split("```sh\n").nth(1).unwrap().split("```").next().unwrap();
    let t = Temp::new("readme");
    let mut etapes: Vec<(String, Vec<String>)> = Vec::new();
    for l in bloc.lines() {
        if let Some(c) = l.strip_prefix("mutu ") {
            etapes.push((c.to_string(), Vec::new()));
        } else if let Some(sortie) = l.strip_prefix("# ") {
            etapes.last_mut().expect("une commande avant sa sortie").1.push(sortie.to_string());
        }
    }
    assert!(etapes.len() >= 3, "{bloc}");
    for (commande, attendues) in etapes {
        let o = Command::new(binaire())
            .args(commande.split(' '))
            .current_dir(&t.dir)
            .env("LC_ALL", "C.UTF-8")
            .output()
            .unwrap();
        reussit(&o);
        let sortie = format!("{}{}", stdout(&o), outils::stderr(&o));
        let lignes: Vec<&str> = sortie.lines().collect();
        let mut i = 0;
        for a in attendues.iter().filter(|a| a.trim() != "…") {
            match lignes[i..].iter().position(|l| correspond(l.trim_end(), a.trim_end())) {
                Some(p) => i += p + 1,
                None => panic!("mutu {commande} : le README montre « {a} », la commande affiche :\n{sortie}"),
            }
        }
    }
}

#[test]
fn the_readme_names_files_that_exist_and_options_the_binary_has() {
    let racine = outils::exemple();
    let readme = std::fs::read_to_string(racine.join("README.md")).unwrap();
    for chemin in readme.split('`').skip(1).step_by(2) {
        let premier = chemin.split('/').next().unwrap_or("");
        if chemin.contains('/')
            && !chemin.contains(' ')
            && !chemin.contains('<')
            && !chemin.contains('*')
            && ["src", "crates", "tests", "docs", "scripts", "themes", "benches", "exemples"].contains(&premier)
        {
            assert!(racine.join(chemin).exists(), "le README cite « {chemin} », qui n'existe pas");
        }
    }
    let aide_pdf = stdout(&Command::new(binaire()).args(["pdf", "--aide"]).output().unwrap());
    let ecrit = readme
        .split("`--commune ")
        .nth(1)
        .and_then(|s| s.split('`').next())
        .expect("--commune dans le README");
    assert!(
        aide_pdf.contains(&format!("--commune <{}>", ecrit.replace("\\|", "|"))),
        "README : --commune {ecrit} ; mutu pdf --aide :\n{aide_pdf}"
    );
}

#[test]
fn every_kind_of_distribution_key_has_its_row_in_both_references() {
    let racine = outils::exemple();
    let format = std::fs::read_to_string(racine.join("docs/format.md")).unwrap();
    let section = format
        .split("### Base d'une clé (`base`)")
        .nth(1)
        .expect("section des bases")
        .split("\n### ")
        .next()
        .unwrap();
    let export = std::fs::read_to_string(racine.join("docs/export.md")).unwrap();
    for genre in mutu_model::cles::BaseCle::tokens() {
        assert!(
            section.contains(&format!("| `{genre}`")),
            "docs/format.md, « Base d'une clé » : pas de ligne pour `{genre}`"
        );
        assert!(export.contains(&format!("`{genre}`")), "docs/export.md ne cite pas la base `{genre}`");
    }
}
