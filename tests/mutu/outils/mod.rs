//! Shared helpers of the robustness tests (audiences, escaping, paths,
//! atomic output, determinism, bad inputs): temporary copies of the
//! example project, running the `mutu` binary, reading every output file.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, which is also the example project.
pub fn exemple() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary folder removed on drop.
pub struct Temp {
    pub dir: PathBuf,
}

impl Temp {
    pub fn new(nom: &str) -> Temp {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("mutu-{nom}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Temp { dir }
    }

    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Copies a folder recursively.
pub fn copie_dossier(de: &Path, vers: &Path) {
    std::fs::create_dir_all(vers).unwrap();
    for e in std::fs::read_dir(de).unwrap() {
        let e = e.unwrap();
        let cible = vers.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copie_dossier(&e.path(), &cible);
        } else {
            std::fs::copy(e.path(), cible).unwrap();
        }
    }
}

/// A temporary copy of the example project (`data/` and `content/`) in
/// `<temp>/projet`.
pub fn copie_exemple(nom: &str) -> (Temp, PathBuf) {
    let t = Temp::new(nom);
    let projet = t.join("projet");
    for d in ["data", "content"] {
        copie_dossier(&exemple().join(d), &projet.join(d));
    }
    (t, projet)
}

/// A temporary copy of the project `racine` (`data/`, `content/` and
/// `themes/` when it has them) in `<temp>/projet`.
pub fn copie_dossier_temp(racine: &Path, nom: &str) -> (Temp, PathBuf) {
    let t = Temp::new(nom);
    let projet = t.join("projet");
    for d in ["data", "content", "themes"] {
        if racine.join(d).is_dir() {
            copie_dossier(&racine.join(d), &projet.join(d));
        }
    }
    (t, projet)
}

/// Replaces exactly one occurrence of `ancien` in a project file.
pub fn remplace(projet: &Path, rel: &str, ancien: &str, nouveau: &str) {
    let p = projet.join(rel);
    let texte = std::fs::read_to_string(&p).unwrap();
    assert_eq!(texte.matches(ancien).count(), 1, "« {ancien} » doit apparaître une fois dans {rel}");
    std::fs::write(&p, texte.replacen(ancien, nouveau, 1)).unwrap();
}

/// Appends text to a project file.
pub fn ajoute(projet: &Path, rel: &str, suite: &str) {
    let p = projet.join(rel);
    let mut texte = std::fs::read_to_string(&p).unwrap();
    texte.push_str(suite);
    std::fs::write(&p, texte).unwrap();
}

/// The `mutu` binary under test: Cargo's, or `MUTU_BIN` when set (a copy
/// made right after the build, for machines where several checkouts share
/// one target folder and overwrite each other's binary).
pub fn binaire() -> PathBuf {
    std::env::var_os("MUTU_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_mutu")))
}

/// Runs `mutu` with `args` on the project `racine`.
pub fn mutu(racine: &Path, args: &[&str]) -> Output {
    Command::new(binaire())
        .args(args)
        .arg("--racine")
        .arg(racine)
        .env("LC_ALL", "C.UTF-8")
        .output()
        .expect("mutu se lance")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Asserts a successful run.
pub fn reussit(o: &Output) {
    assert!(o.status.success(), "mutu a échoué ({:?}) :\n{}\n{}", o.status.code(), stdout(o), stderr(o));
}

/// Every file under `dir`: relative path → bytes.
pub fn fichiers(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn parcourt(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entrees: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entrees.sort_by_key(|e| e.file_name());
        for e in entrees {
            let p = e.path();
            if e.file_type().unwrap().is_dir() {
                parcourt(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    parcourt(dir, dir, &mut out);
    out
}

/// Text of a PDF through `pdftotext` (poppler-utils), with hyphenation at
/// line ends undone and every run of white space collapsed to one space.
pub fn texte_pdf(pdf: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext est installé (paquet poppler-utils)");
    assert!(o.status.success(), "pdftotext {} : {}", pdf.display(), stderr(&o));
    let t = String::from_utf8_lossy(&o.stdout).replace("-\n", "").replace('\u{ad}', "");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text of every output file: HTML, CSV, JSON, XML, SVG, CSS as they are,
/// PDFs through `pdftotext`; other binary files (fonts) are skipped.
pub fn textes(dir: &Path) -> BTreeMap<String, String> {
    fichiers(dir)
        .into_iter()
        .filter_map(|(rel, octets)| {
            let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
            match ext.as_str() {
                "pdf" => Some((rel.clone(), texte_pdf(&dir.join(&rel)))),
                // A workbook is zipped XML: its parts, one after the other.
                "ods" | "xlsx" => Some((rel, texte_classeur(&octets))),
                "html" | "csv" | "json" | "xml" | "svg" | "css" | "txt" | "js" => Some((rel, String::from_utf8(octets).expect("sortie texte en UTF-8"))),
                _ => None,
            }
        })
        .collect()
}

/// The XML parts of a workbook (ODS or XLSX), unzipped and put end to end.
pub fn texte_classeur(octets: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(octets)).expect("classeur lisible");
    let mut out = String::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        if f.name().unwrap().ends_with(".xml") {
            f.read_to_string(&mut out).expect("XML en UTF-8");
        }
    }
    out
}

/// A built output folder as it must be published: every file but mutu's
/// build marker.
pub fn publiable(sortie: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut f = fichiers(sortie);
    f.remove(".mutu-sortie");
    f
}

/// What a publication target serves (`<racine>/courant`), without the
/// manifest that accompanies every version.
pub fn servi(racine: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut f = fichiers(&racine.join("courant"));
    assert!(f.remove(".mutu-manifeste").is_some(), "le manifeste accompagne chaque version");
    f
}

/// Files (relative paths) whose text contains `motif`, case-insensitively.
pub fn contiennent(textes: &BTreeMap<String, String>, motif: &str) -> Vec<String> {
    let m = motif.to_lowercase();
    textes.iter().filter(|(_, t)| t.to_lowercase().contains(&m)).map(|(r, _)| r.clone()).collect()
}

/// Waits for a publication under way to `racine` (a target's root) to have
/// put `fichiers` files into the `gros/` folder of its partial version
/// folder (`versions/.<id>…`), and returns that folder.
pub fn attend_version_partielle(racine: &Path, fichiers: usize, delai: std::time::Duration) -> PathBuf {
    let debut = std::time::Instant::now();
    loop {
        let trouve = std::fs::read_dir(racine.join("versions"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with('.') && p.join("gros").read_dir().is_ok_and(|d| d.count() >= fichiers));
        if let Some(p) = trouve {
            return p;
        }
        assert!(debut.elapsed() < delai, "l'envoi n'a pas commencé");
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

/// Text of each page of a PDF (pdftotext, pages separated by its form
/// feeds), soft hyphens removed.
pub fn pages_pdf(pdf: &Path) -> Vec<String> {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    assert!(o.status.success(), "pdftotext {}", pdf.display());
    let t = String::from_utf8_lossy(&o.stdout).replace('\u{ad}', "");
    let mut pages: Vec<String> = t.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// What a printed report never says (issue 23, items 2 and 4): a web page
/// or a file format in running text, a source path of the data, a control
/// alarm. Returns the phrase found in `texte` (white space collapsed).
pub fn mention_interdite_du_pdf(texte: &str) -> Option<&'static str> {
    const INTERDITS: &[&str] = &["la page ", "sur la page", "cette page", "fichier CSV", "format CSV"];
    INTERDITS.iter().copied().find(|x| texte.contains(x)).or_else(|| trace_de_controle(texte))
}

/// What only `check` and the internal « Contrôles » page may show: a
/// source path of the data, a control alarm (never the PDF, the public
/// site or the home page).
pub fn trace_de_controle(texte: &str) -> Option<&'static str> {
    const INTERDITS: &[&str] = &[
        "data/",
        ".yaml",
        "recopié d'un document publié",
        "recopiés d'un document publié",
        "Totaux publiés non concordants",
        "ne correspond pas à la somme de ses parties",
        "ne correspondent pas à la somme de leurs parties",
    ];
    INTERDITS.iter().copied().find(|x| texte.contains(x))
}

/// Words of a PDF page's text, the running header and footer left out
/// (« page 3 / 28 », the acronym and the report's name).
pub fn mots_de_page(page: &str) -> usize {
    let lignes: Vec<&str> = page.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    let corps = lignes
        .iter()
        .filter(|l| !(l.starts_with("page ") && l.contains(" / ")))
        .filter(|l| !l.starts_with("Rapport de mutualisation — exercice") && !l.starts_with("Extrait pour "))
        .skip(1); // the acronym of the running header
    corps.map(|l| l.split_whitespace().count()).sum()
}

/// The numbered heading ending a PDF page (its last line of text before
/// the footer), if it does: a heading must travel with its first block.
pub fn titre_en_bas_de_page(page: &str) -> Option<String> {
    let lignes: Vec<&str> = page
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .filter(|l| !(l.starts_with("page ") && l.contains(" / ")))
        .collect();
    let derniere = *lignes.last()?;
    // A line of the table of contents (dotted leader to its page number).
    if derniere.contains(". .") || derniere.contains("..") {
        return None;
    }
    let (numero, reste) = derniere.split_once(' ')?;
    let numerote = !numero.is_empty()
        && numero
            .split('.')
            .all(|n| !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit()));
    let majuscule = reste.chars().next().is_some_and(char::is_uppercase);
    (numerote && majuscule && !reste.contains(" € ") && !reste.ends_with('€')).then(|| derniere.to_string())
}

/// Every entry under `dir`, links not followed: its kind, and its content
/// (files) or target (links). Equal before and after a command: nothing
/// under `dir` was created, removed, replaced or rewritten.
pub fn instantane(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        let m = std::fs::symlink_metadata(e.path()).unwrap();
        let v = if m.file_type().is_symlink() {
            format!("lien -> {}", std::fs::read_link(e.path()).unwrap().display())
        } else if m.is_dir() {
            "dossier".into()
        } else {
            use std::hash::{Hash, Hasher};
            let octets = std::fs::read(e.path()).unwrap();
            let mut h = std::collections::hash_map::DefaultHasher::new();
            octets.hash(&mut h);
            format!("fichier de {} octets, empreinte {:016x}", octets.len(), h.finish())
        };
        out.insert(rel, v);
    }
    out
}

/// A folder of someone's own files, the kind a link on a publication
/// target could lead to: a private key, notes, documents, a dot folder and
/// a folder named like a version of mutu's.
pub fn dossier_personnel_factice(dir: &Path) {
    for (chemin, texte) in [
        (".ssh/id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nfactice\n"),
        ("notes.txt", "à garder"),
        ("Documents/budget.ods", "tableur"),
        (".cache/x", "cache"),
        ("20200101-000000/index.html", "<p>pas à mutu</p>"),
    ] {
        let p = dir.join(chemin);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, texte).unwrap();
    }
}

/// The index of the PDF page where the « Détail par membre » part starts:
/// the page with its own heading (the table of contents names it too, but
/// with a dotted leader). The pages before it are the report's body.
pub fn debut_du_detail(pages: &[String]) -> Option<usize> {
    pages
        .iter()
        .position(|p| p.lines().any(|l| l.trim().ends_with(" Détail par membre") && !l.contains(". .")))
}

/// The words drawn by each SVG chart of an HTML page: the text of its
/// `<text>` elements, in order.
pub fn textes_des_graphiques(html: &str) -> Vec<Vec<String>> {
    html.split("<svg")
        .skip(1)
        .map(|s| s.split("</svg>").next().unwrap())
        .map(|svg| {
            svg.split("<text")
                .skip(1)
                .filter_map(|x| x.split_once('>').map(|(_, r)| r.split("</text>").next().unwrap().trim().replace("&#39;", "'")))
                .collect()
        })
        .collect()
}

/// The EPCI's id and its communes' ids, in the order of the project's
/// data/territoire.yaml, read as the user wrote it (not through mutu).
pub fn communes_du_territoire(racine: &Path) -> (String, Vec<String>) {
    let territoire: serde_yaml::Value = serde_yaml::from_str(&std::fs::read_to_string(racine.join("data/territoire.yaml")).unwrap()).unwrap();
    let epci = territoire["epci"]["id"].as_str().unwrap().to_string();
    let communes = territoire["membres"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|m| m["type"].as_str() == Some("commune"))
        .map(|m| m["id"].as_str().unwrap().to_string())
        .collect();
    (epci, communes)
}
