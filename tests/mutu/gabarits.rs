//! Theme templates as untrusted input (`mutu build` on the minimal project
//! with a theme `t` overriding templates): no access to the machine
//! (`get_env`), no abort on a recursive macro, one French diagnostic per
//! template error (not one per page) with the template's file and line,
//! exit code 1 and the previous output left as it was.

use crate::outils;

use outils::*;
use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal");
const BASE: &str = include_str!("../../themes/default/templates/base.html");

/// The minimal project with `theme: t` and a complete previous build.
struct Cas {
    _t: Temp,
    p: PathBuf,
    sortie: PathBuf,
    avant: BTreeMap<String, Vec<u8>>,
}

impl Cas {
    fn new(nom: &str, gabarits: &[(&str, &str)]) -> Cas {
        let t = Temp::new(&format!("gabarits-{nom}"));
        let p = t.join("projet");
        copie_dossier(Path::new(FIXTURE), &p);
        let sortie = t.join("public");
        reussit(&mutu(&p, &["build", "--sortie", sortie.to_str().unwrap()]));
        let avant = fichiers(&sortie);
        ajoute(&p, "data/configuration.yaml", "\ntheme: t\n");
        for (rel, texte) in gabarits {
            let f = p.join("themes/t/templates").join(rel);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, texte).unwrap();
        }
        Cas { _t: t, p, sortie, avant }
    }

    /// `mutu build` fails with exit code 1 (not a signal), the previous
    /// output untouched; returns its diagnostics (stderr blocks starting
    /// with "erreur[").
    fn echoue(&self) -> Vec<String> {
        let o = mutu(&self.p, &["build", "--sortie", self.sortie.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.signal(), None, "mutu tué par un signal :\n{err}");
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(fichiers(&self.sortie) == self.avant, "la sortie précédente a changé");
        err.split("\n\n")
            .filter(|b| b.starts_with("erreur["))
            .map(|b| b.trim_end().to_string())
            .collect()
    }

    /// Number of HTML pages of the site.
    fn pages(&self) -> usize {
        self.avant.keys().filter(|k| k.ends_with(".html")).count()
    }
}

/// The default base template with `ajout` before `</body>`.
fn base_avec(ajout: &str) -> String {
    assert_eq!(BASE.matches("</body>").count(), 1);
    BASE.replace("</body>", &format!("{ajout}\n</body>"))
}

/// `--> file:line:col` of the first `motif` in `texte`.
fn position(fichier: &str, texte: &str, motif: &str) -> String {
    let p = texte.find(motif).unwrap();
    let ligne = texte[..p].matches('\n').count() + 1;
    let col = texte[..p].rsplit('\n').next().unwrap().chars().count() + 1;
    format!("  --> {fichier}:{ligne}:{col}")
}

#[test]
fn get_env_is_not_available_to_templates() {
    let base = base_avec("<p>{{ get_env(name=\"PATH\") }}</p>");
    let cas = Cas::new("get-env", &[("base.html", &base)]);
    let diags = cas.echoue();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let lignes: Vec<&str> = diags[0].lines().collect();
    assert_eq!(
        lignes[0],
        "erreur[gabarit-interdit] : le gabarit themes/t/templates/base.html appelle « get_env » : la fonction « get_env » n'est pas \
         disponible dans les gabarits : elle lirait les variables d'environnement de la machine, qui peuvent contenir des secrets"
    );
    assert_eq!(lignes[1], position("themes/t/templates/base.html", &base, "get_env"));
    let path = std::env::var("PATH").unwrap();
    assert!(!diags[0].contains(&path));
}

#[test]
fn a_recursive_macro_is_one_diagnostic_not_an_abort() {
    let macros = "{% macro boucle(n) %}\n<span>{{ self::boucle(n=n) }}</span>\n{% endmacro boucle %}\n";
    let base = format!("{{% import \"macros.html\" as m %}}\n{}", base_avec("{{ m::boucle(n=1) }}"));
    let cas = Cas::new("recursion", &[("base.html", &base), ("macros.html", macros)]);
    let diags = cas.echoue();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let lignes: Vec<&str> = diags[0].lines().collect();
    assert_eq!(
        lignes[0],
        "erreur[gabarit-recursif] : la macro « boucle » du gabarit themes/t/templates/macros.html s'appelle elle-même sans réduire \
         ses arguments : la récursion ne s'arrêterait pas"
    );
    assert_eq!(lignes[1], "  --> themes/t/templates/macros.html:2:10");
}

#[test]
fn a_mutual_recursion_of_two_macros_is_one_diagnostic() {
    let macros = "{% macro pair(n) %}{{ self::impair(n=n) }}{% endmacro pair %}\n\
                  {% macro impair(n) %}\n{% if n %}{{ self::pair(n=n) }}{% endif %}\n{% endmacro impair %}\n";
    let base = format!("{{% import \"macros.html\" as m %}}\n{}", base_avec("{{ m::pair(n=1) }}"));
    let cas = Cas::new("mutuelle", &[("base.html", &base), ("macros.html", macros)]);
    let diags = cas.echoue();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let lignes: Vec<&str> = diags[0].lines().collect();
    assert_eq!(
        lignes[0],
        "erreur[gabarit-recursif] : la macro « impair » du gabarit themes/t/templates/macros.html s'appelle elle-même par la macro \
         « pair » du gabarit themes/t/templates/macros.html sans réduire ses arguments : la récursion ne s'arrêterait pas"
    );
    assert_eq!(lignes[1], "  --> themes/t/templates/macros.html:3:14");
}

#[test]
fn an_unknown_variable_in_the_base_template_is_reported_once() {
    let base = base_avec("<p>{{ inconnue }}</p>");
    let cas = Cas::new("variable", &[("base.html", &base)]);
    let diags = cas.echoue();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let lignes: Vec<&str> = diags[0].lines().collect();
    assert_eq!(
        lignes[0],
        format!(
            "erreur[gabarit-rendu] : le gabarit themes/t/templates/base.html n'a pas pu être rendu : la variable « inconnue » n'existe \
             pas ici ({} pages concernées)",
            cas.pages()
        )
    );
    assert_eq!(lignes[1], position("themes/t/templates/base.html", &base, "inconnue"));
}

#[test]
fn an_import_of_a_missing_template_names_the_file_and_line() {
    let base = format!("{{% import \"absent.html\" as m %}}\n{BASE}");
    let cas = Cas::new("import", &[("base.html", &base)]);
    let diags = cas.echoue();
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let lignes: Vec<&str> = diags[0].lines().collect();
    assert_eq!(
        lignes[0],
        "erreur[gabarit-invalide] : le gabarit themes/t/templates/base.html importe les macros de « absent.html », qui n'existe pas \
         dans le thème"
    );
    assert_eq!(lignes[1], "  --> themes/t/templates/base.html:1:11");
}
