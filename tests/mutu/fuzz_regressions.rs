//! Every input the fuzzers (tests/fuzz/, `scripts/fuzz`) found to crash or
//! misbehave, replayed as a plain test with the same checks
//! (tests/fuzz/verifs.rs), and the committed corpus of each target replayed
//! too. No fuzzer is needed to run these.

use crate::verifs;

use std::path::Path;

/// Every file of the committed corpus of `cible`, through `verifie`.
fn corpus(cible: &str, verifie: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz/corpus").join(cible);
    let mut fichiers: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    fichiers.sort();
    assert!(!fichiers.is_empty(), "corpus vide : {}", dir.display());
    for f in fichiers {
        let data = std::fs::read(&f).unwrap();
        let r = std::panic::catch_unwind(|| verifie(&data));
        assert!(r.is_ok(), "{} : voir le message ci-dessus", f.display());
    }
}

#[test]
fn corpus_parse_decimal() {
    corpus("parse_decimal", verifs::decimal);
}

#[test]
fn corpus_front_matter() {
    corpus("front_matter", verifs::front_matter);
}

#[test]
fn corpus_markdown_html() {
    corpus("markdown_html", verifs::markdown_html);
}

#[test]
fn corpus_yaml_loader() {
    corpus("yaml_loader", verifs::projet_yaml);
}

#[test]
fn corpus_markdown_typst() {
    corpus("markdown_typst", verifs::markdown_typst);
}

#[test]
fn corpus_serve_requete() {
    corpus("serve_requete", verifs::serve_requete);
}

/// `# ` (a heading without text) became an empty typst heading, which
/// PDF/UA refuses: the PDF failed to build. Found by `markdown_typst`.
#[test]
fn empty_heading_compiles() {
    verifs::markdown_typst(b"### h3\n\n# \n# h1 {#h1 {#ancre}2\0*\0#### h6\n");
    verifs::markdown_html(b"# \n\n## {#ancre}\n\ntexte\n");
    // Control characters only: the heading is as empty once typst drops them.
    verifs::markdown_typst(b"\0\0\0\0\0\0\0\x006# h1 {#ancre}\n\n###### \x01\x04\n");
}

/// A lone carriage return (old Mac OS line end) is a line break for the
/// YAML parser but was not for diagnostics: the error pointed past the end
/// of the file. Found by `front_matter`.
#[test]
fn lone_carriage_returns_are_line_breaks() {
    verifs::front_matter(b"---\n\r\r\r 1 colum\r\r\rre\nid: loperhet\nrrrrtire: \"Loperhet\"\nexercice: 2023\n---\nTexte\r\r\n");
    // U+2028 (line separator) is a line break for YAML 1.1 too.
    verifs::front_matter("---\r  #\u{2028}\r\r\r  \u{2028}---\r[\n---".as_bytes());
}

#[test]
fn corpus_import_xlsx() {
    corpus("import_xlsx", verifs::import_xlsx);
}

#[test]
fn corpus_import_ods() {
    corpus("import_ods", verifs::import_ods);
}

#[test]
fn corpus_import_csv() {
    corpus("import_csv", verifs::import_csv);
}
