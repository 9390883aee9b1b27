//! Figure parity between the two outputs: every amount the site shows in
//! its allocation and balance tables appears, identical, in the PDF text.

use std::path::Path;
use std::process::Command;

/// Text of every `<td>`/`<th>` cell of the tables whose id contains one of
/// `kinds`, taken from the site's HTML.
fn site_cells(html: &str, kinds: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<div class=\"tableau\" id=\"") {
        rest = &rest[i + 25..];
        let id_end = rest.find('"').unwrap();
        let id = &rest[..id_end];
        let end = rest.find("</table>").unwrap();
        let table = &rest[..end];
        if kinds.iter().any(|k| id.contains(k)) {
            for cell in table.split("<td").skip(1) {
                let body = &cell[cell.find('>').unwrap() + 1..cell.find("</td>").unwrap()];
                let text = strip_tags(body);
                if text.contains('€') {
                    out.push(text);
                }
            }
        }
        rest = &rest[end..];
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", "\u{a0}").trim().to_string()
}

/// Spaces of any kind become one plain space, so the HTML and the PDF
/// text extraction compare equal.
fn norm(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{202f}' || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn every_allocation_and_balance_amount_of_the_site_is_in_the_pdf() {
    if Command::new("pdftotext").arg("-v").output().is_err() {
        panic!("pdftotext (poppler-utils) est nécessaire : le script scripts/test l'installe");
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = mutu_compute::pipeline::run(root);
    let m = run.model.expect("model");
    let opts = mutu::cmd::build::Options {
        site: true,
        pdf: true,
        extraits: false,
        rechargement: None,
    };
    let theme = mutu::cmd::build::theme(root, &m).unwrap();
    let doc = mutu::cmd::build::document(&m, &opts);
    let files = mutu::cmd::build::render(root, &m, &doc, &theme, None, &opts).unwrap().fichiers;
    let pdf = files.iter().find(|f| f.chemin.ends_with(".pdf")).expect("PDF");
    let tmp = std::env::temp_dir().join(format!("mutu-parity-{}.pdf", std::process::id()));
    std::fs::write(&tmp, &pdf.contenu).unwrap();
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&tmp)
        .arg("-")
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&tmp);
    let text = norm(&String::from_utf8(out.stdout).unwrap());
    let mut checked = 0;
    let mut missing = Vec::new();
    for f in files.iter().filter(|f| f.chemin.starts_with("services/") && f.chemin.ends_with(".html")) {
        let html = String::from_utf8(f.contenu.clone()).unwrap();
        for cell in site_cells(&html, &["-repartition-", "-bilan-"]) {
            checked += 1;
            if !text.contains(&norm(&cell)) {
                missing.push(format!("{} : {cell}", f.chemin));
            }
        }
    }
    assert!(checked > 60, "only {checked} amounts found in the site's tables");
    assert!(
        missing.is_empty(),
        "{} montant(s) du site absent(s) du PDF sur {checked} :\n{}",
        missing.len(),
        missing.join("\n")
    );
}
