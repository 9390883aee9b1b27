//! `mutu build --extraits`: one PDF per member page, rendered on two
//! engines in parallel, identical to `mutu pdf --commune`; the warnings of
//! the main report are kept when extracts are rendered after it.

use crate::outils;

use outils::*;

#[test]
fn extracts_match_single_commune_builds_and_keep_the_report_warnings() {
    let (t, p) = copie_exemple("extraits");
    // A character no font of the theme draws, in a text of the main report only.
    ajoute(&p, "content/edito.md", "\nSigne inconnu des polices : 漢.\n");
    let out = t.join("public");
    let o = mutu(&p, &["build", "--extraits", "--sortie", out.to_str().unwrap()]);
    reussit(&o);
    let err = stderr(&o);
    assert!(
        err.contains("avertissement[pdf-caractere] : le caractère « 漢 » (U+6F22) n'existe pas dans les polices du thème"),
        "{err}"
    );
    let f = fichiers(&out);
    let extraits: Vec<&String> = f.keys().filter(|k| k.starts_with("extraits/")).collect();
    assert_eq!(extraits.len(), 23, "{extraits:?}");
    // The same bytes as an extract rendered alone, by a fresh engine.
    for id in ["daoulas", "landerneau", "tremaouezan"] {
        let seul = t.join(&format!("seul-{id}"));
        reussit(&mutu(&p, &["pdf", "--commune", id, "--sortie", seul.to_str().unwrap()]));
        let g = fichiers(&seul);
        let (_, octets) = g.iter().find(|(k, _)| k.ends_with(".pdf")).expect("extrait seul");
        assert!(f[&format!("extraits/{id}.pdf")] == *octets, "extrait {id} différent");
    }
}
