//! What each fuzz target checks, shared by the fuzz targets
//! (`tests/fuzz/fuzz_targets/*.rs`) and by the regression tests that
//! replay every crash found (`tests/mutu/fuzz_regressions.rs`): each function
//! panics when mutu misbehaves on the input.

#![allow(dead_code)]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The minimal test project (`tests/fixtures/minimal`), from either crate.
fn fixture() -> PathBuf {
    let m = Path::new(env!("CARGO_MANIFEST_DIR"));
    [m.join("tests/fixtures/minimal"), m.join("../fixtures/minimal")]
        .into_iter()
        .find(|p| p.is_dir())
        .expect("tests/fixtures/minimal")
}

fn copie(de: &Path, vers: &Path) {
    std::fs::create_dir_all(vers).unwrap();
    for e in std::fs::read_dir(de).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() {
            copie(&e.path(), &vers.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), vers.join(e.file_name())).unwrap();
        }
    }
}

/// A private copy of the minimal project for this process.
fn projet() -> &'static Path {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("mutu-fuzz-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        copie(&fixture(), &d);
        // Files the minimal project lacks, so they can be fuzzed too.
        std::fs::write(
            d.join("data/commande_publique.yaml"),
            "groupements:\n  - id: gc-toitures\n    objet: \"Toitures\"\n    exercice: 2023\n    coordonnateur: capld\n    total_ht: 5000\n    montants_ht: {daoulas: 1000}\n",
        )
        .unwrap();
        std::fs::write(d.join("data/effectifs.yaml"), "exercice: 2023\nperimetre: [garage-commun]\nemplois_permanents: {2022: 3}\n").unwrap();
        d
    })
}

/// One project per process: tests running in parallel take turns to
/// change or read it.
static TOUR: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// Data files the first byte of an input chooses from.
pub const FICHIERS: &[&str] = &[
    "data/territoire.yaml",
    "data/services/garage-commun.yaml",
    "data/cles.yaml",
    "data/fiches/achats-groupes.yaml",
    "data/rapport.yaml",
    "data/schema.yaml",
    "data/axes.yaml",
    "data/configuration.yaml",
    "data/commande_publique.yaml",
    "data/effectifs.yaml",
    "content/edito.md",
];

/// A project whose data file `FICHIERS[data[0] % n]` is replaced by the
/// rest of the input: loading, checking, computing, the export and (when
/// the project is valid) the site never panic, and every error has a place.
pub fn projet_yaml(data: &[u8]) {
    let Some((&choix, contenu)) = data.split_first() else { return };
    let _tour = TOUR.lock().unwrap_or_else(|e| e.into_inner());
    let racine = projet();
    let rel = FICHIERS[choix as usize % FICHIERS.len()];
    let chemin = racine.join(rel);
    let original = std::fs::read(&chemin).unwrap_or_default();
    std::fs::write(&chemin, contenu).unwrap();
    let audience = if choix & 0x80 != 0 {
        mutu_model::audience::Audience::Publique
    } else {
        mutu_model::audience::Audience::Interne
    };
    let run = mutu_compute::pipeline::run_for(racine, audience);
    let texte = run.diagnostics.render(&run.sources);
    std::fs::write(&chemin, original).unwrap();
    for d in run.diagnostics.items.iter().filter(|d| d.is_error()) {
        assert!(d.loc.is_some() || d.code == "fichier-manquant", "erreur sans position :\n{texte}");
    }
    if let Some(m) = run.publishable() {
        let json = mutu_compute::export::to_json(m);
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        let opts = mutu::cmd::build::Options {
            site: true,
            pdf: false,
            extraits: false,
            rechargement: None,
        };
        let theme = mutu_theme::charger(racine, "default").expect("thème intégré");
        let doc = mutu::cmd::build::document(m, &opts);
        let _ = mutu::cmd::build::render(racine, m, &doc, &theme, None, &opts);
    }
}

/// Splitting the front matter of a Markdown file, parsing it and showing
/// its diagnostics: no panic, positions inside the file.
pub fn front_matter(data: &[u8]) {
    let Ok(texte) = std::str::from_utf8(data) else { return };
    // As the loader reads every file.
    let texte = &mutu_model::load::fins_de_ligne(texte);
    let fichier = Path::new("content/x.md");
    let mut sources = mutu_base::source::Sources::default();
    sources.insert(fichier.to_path_buf(), texte.to_string());
    let lignes = texte.split('\n').count();
    match mutu_model::load::split_front_matter(fichier, texte) {
        Ok(Some((entete, premiere, corps, ligne_corps))) => {
            assert_eq!(premiere, 2);
            assert!(ligne_corps >= 3 && ligne_corps <= lignes + 1, "{ligne_corps} > {lignes}");
            assert!(texte.ends_with(corps.as_str()), "le corps n'est pas la fin du texte");
            let index = mutu_model::yaml::SpanIndex::build(&entete).shifted(premiere - 1);
            let _ = index.value_pos(&mutu_model::yaml::Path::root().key("titre"));
            if let Err(mut d) = mutu_model::yaml::errors::parse::<mutu_model::FrontMatter>(fichier, &entete) {
                if let Some(l) = d.loc.as_mut() {
                    l.ligne += premiere - 1;
                    assert!(l.ligne <= lignes, "ligne {} hors du fichier ({lignes})", l.ligne);
                }
                let _ = d.render(&sources);
            }
        }
        Ok(None) => {}
        Err(d) => {
            let _ = d.render(&sources);
        }
    }
}

/// HTML elements the Markdown converter writes itself.
const BALISES: &[&str] = &[
    "p",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "img",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "div",
    "sup",
    "section",
    "span",
    "hr",
    "br",
    "input",
];

/// Markdown → HTML: no panic; without `html_brut`, nothing but the
/// converter's own elements, no event attribute, no script address, and
/// heading levels between 2 and 6.
pub fn markdown_html(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let pages: BTreeSet<String> = ["index", "services/ads", "schema"].iter().map(|s| s.to_string()).collect();
    for brut in [false, true] {
        let ctx = mutu_site::markdown::Contexte {
            page: "services/ads",
            pages: &pages,
            html_brut: brut,
            bloc: 0,
            fichier: "content/x.md",
        };
        let mut ids = mutu_site::Ids::default();
        let mut niveau = 1u8;
        let mut diags = Vec::new();
        let html = mutu_site::markdown::convertit(source, &ctx, &mut ids, &mut niveau, &mut diags);
        assert!((1..=6).contains(&niveau));
        if brut {
            continue;
        }
        verifie_html(&html);
    }
}

fn verifie_html(html: &str) {
    // No heading without text (RGAA 9.1, PDF/UA).
    for n in 2..=6 {
        let mut reste = html;
        while let Some(p) = reste.find(&format!("<h{n} ")) {
            reste = &reste[p..];
            let fin = reste.find(&format!("</h{n}>")).unwrap_or(reste.len());
            let contenu = &reste[reste.find('>').map_or(0, |i| i + 1).min(fin)..fin];
            let mut texte = String::new();
            let mut dans_balise = false;
            for c in contenu.chars() {
                match c {
                    '<' => dans_balise = true,
                    '>' => dans_balise = false,
                    c if !dans_balise => texte.push(c),
                    _ => {}
                }
            }
            assert!(!texte.trim().is_empty(), "titre vide dans :\n{html}");
            reste = &reste[fin..];
        }
    }
    let mut reste = html;
    while let Some(p) = reste.find('<') {
        reste = &reste[p + 1..];
        let fin = reste.find('>').unwrap_or(reste.len());
        let balise = &reste[..fin];
        let nom: String = balise
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(BALISES.contains(&nom.as_str()), "élément <{balise}> dans :\n{html}");
        // Attribute values are quoted and hold no raw quote; names are not
        // event handlers; addresses are not scripts.
        let mut attrs = balise.trim_start_matches('/')[nom.len()..].trim();
        while !attrs.is_empty() && attrs != "/" {
            let eg = attrs.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(attrs.len());
            let a = attrs[..eg].to_ascii_lowercase();
            assert!(!a.starts_with("on"), "attribut {a} dans <{balise}>");
            attrs = attrs[eg..].trim_start();
            if let Some(r) = attrs.strip_prefix('=') {
                let r = r
                    .trim_start()
                    .strip_prefix('"')
                    .unwrap_or_else(|| panic!("valeur sans guillemets dans <{balise}>"));
                let f = r.find('"').unwrap_or_else(|| panic!("valeur non fermée dans <{balise}>"));
                let valeur = r[..f].trim().to_ascii_lowercase();
                if a == "href" || a == "src" {
                    let v: String = valeur.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
                    for s in ["javascript:", "vbscript:", "data:"] {
                        assert!(!v.starts_with(s), "adresse {valeur} dans <{balise}>");
                    }
                }
                attrs = r[f + 1..].trim_start();
            }
        }
    }
}

thread_local! {
    static PDF: RefCell<Option<(mutu_pdf::PdfEngine, mutu_present::Document)>> = const { RefCell::new(None) };
}

/// Markdown → typst: the markup parses without error, user text never
/// becomes code, a comment, a label, a reference or markup, and the real
/// PDF template compiles it into a PDF/A-2b + PDF/UA-1 document.
pub fn markdown_typst(data: &[u8]) {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let conv = mutu_pdf::markdown::vers_typst(source, 1);
    verifie_markup(&conv.markup);
    PDF.with(|cell| {
        let mut cell = cell.borrow_mut();
        let (engine, modele) = cell.get_or_insert_with(|| {
            let _tour = TOUR.lock().unwrap_or_else(|e| e.into_inner());
            let racine = projet();
            let run = mutu_compute::pipeline::run(racine);
            let m = run.publishable().expect("projet minimal valide").clone();
            let opts = mutu::cmd::build::Options {
                site: false,
                pdf: true,
                extraits: false,
                rechargement: None,
            };
            let doc = mutu::cmd::build::document(&m, &opts);
            let theme = mutu_theme::charger(racine, "default").expect("thème intégré");
            (mutu_pdf::PdfEngine::new(&theme).expect("moteur PDF"), doc)
        });
        let mut doc = modele.clone();
        doc.pages.retain(|p| p.pdf);
        doc.pages.truncate(1);
        doc.pages[0].blocs = vec![mutu_present::Bloc::Markdown {
            source: source.to_string(),
            fichier: "content/x.md".into(),
        }];
        if let Err(d) = engine.rapport(&doc) {
            let sources = mutu_base::source::Sources::default();
            let texte: Vec<String> = d.iter().map(|x| x.render(&sources)).collect();
            panic!("le PDF ne compile pas :\n{}\nbalisage :\n{}", texte.join("\n"), conv.markup);
        }
    });
}

/// Node kinds that only code or markup can produce, never escaped text.
fn verifie_markup(markup: &str) {
    use mutu_pdf::syntaxe::{SyntaxKind as K, SyntaxNode};
    const INTERDITS: &[K] = &[
        K::Ref,
        K::RefMarker,
        K::Label,
        K::Equation,
        K::LineComment,
        K::BlockComment,
        K::Heading,
        K::HeadingMarker,
        K::ListItem,
        K::ListMarker,
        K::EnumItem,
        K::EnumMarker,
        K::TermItem,
        K::TermMarker,
        K::Shorthand,
        K::SmartQuote,
        K::Link,
        K::Raw,
        K::Strong,
        K::Emph,
        K::Error,
    ];
    const APPELS: &[&str] = &[
        "raw",
        "emph",
        "strong",
        "strike",
        "link",
        "footnote",
        "linebreak",
        "heading",
        "list",
        "enum",
        "table",
        "quote",
        "line",
        "luma",
    ];
    fn parcourt(n: &SyntaxNode, markup: &str) {
        assert!(!INTERDITS.contains(&n.kind()), "{:?} « {} » dans :\n{markup}", n.kind(), n.full_text());
        if n.kind() == K::FuncCall {
            let appele = n.children().next().map(|c| c.full_text().to_string()).unwrap_or_default();
            let racine = appele.split('.').next().unwrap_or("").to_string();
            assert!(APPELS.contains(&racine.as_str()), "appel {appele} dans :\n{markup}");
        }
        for c in n.children() {
            parcourt(c, markup);
        }
    }
    let arbre = mutu_pdf::syntaxe::parse(markup);
    let (erreurs, _) = arbre.errors_and_warnings();
    assert!(erreurs.is_empty(), "{erreurs:?} dans :\n{markup}");
    for c in arbre.children() {
        parcourt(c, markup);
    }
}

/// Amount parsing: no panic; a parsed value prints back to a number that
/// parses to the same value; with units stripped the same.
pub fn decimal(data: &[u8]) {
    let Ok(texte) = std::str::from_utf8(data) else { return };
    for unites in [&[][..], &["€", "EUR", "euros", "euro"][..], &["%"][..]] {
        if let Some(d) = mutu_model::values::parse_decimal(texte, unites) {
            let s = d.to_string();
            assert_eq!(mutu_model::values::parse_decimal(&s, &[]), Some(d), "« {texte} » → {s}");
            let _ = mutu_model::values::cents(d);
            let _ = mutu_base::format::Grandeur::Montant.texte(&d);
        }
    }
}

/// The `Host:` names `serve_requete` treats as this computer (the preview
/// listening on 127.0.0.1:1111).
const HOTES_LOCAUX: &[&str] = &["localhost", "127.0.0.1", "[::1]", "localhost:1111", "127.0.0.1:1111", "[::1]:1111"];

/// Does this request head name this computer? Written apart from mutu's
/// parser: exactly one `Host:` line whose value is one of
/// [`HOTES_LOCAUX`], or none in an HTTP/1.0 request.
fn hote_local(tete: &[u8]) -> bool {
    let texte = String::from_utf8_lossy(tete);
    let mut lignes = texte.trim_start_matches(['\r', '\n']).split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let requete = lignes.next().unwrap_or("");
    let hotes: Vec<&str> = lignes
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .filter(|(nom, _)| nom.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim_matches([' ', '\t']))
        .collect();
    match hotes.as_slice() {
        [] => requete.ends_with(" HTTP/1.0"),
        [h] => HOTES_LOCAUX.iter().any(|l| l.eq_ignore_ascii_case(h)),
        _ => false,
    }
}

/// Arbitrary bytes as what one connection sends to `mutu serve`, cut into
/// request heads as the server cuts them: each gets a well-formed
/// response, never a panic; content (a page, a file, the version, the
/// errors) only when the head names this computer in `Host:`; refusals
/// are short plain text and close the connection; a HEAD gets no body.
pub fn serve_requete(data: &[u8]) {
    use mutu::cmd::serve::{self, http, Etat};
    use mutu_base::fichier::Fichier;
    use std::sync::Mutex;
    static ETAT: OnceLock<Mutex<Etat>> = OnceLock::new();
    let etat = ETAT.get_or_init(|| {
        let f = |chemin: &str, contenu: &str| Fichier {
            chemin: chemin.to_string(),
            contenu: contenu.as_bytes().to_vec(),
        };
        Mutex::new(Etat::avec_site(
            7,
            vec![
                f("index.html", "<p>Accueil</p><script>var version = \"__MUTU_VERSION__\";</script>"),
                f("404.html", "<p>Page introuvable</p>"),
                f("services/garage.html", "<p>Garage</p>"),
                f("static/style.css", "p{}"),
            ],
            vec![f("rapport.pdf", "%PDF-1.7")],
        ))
    });
    let ecoute = "127.0.0.1:1111".parse().unwrap();
    let mut reste = data;
    while let Some(n) = http::fin_de_tete(reste) {
        if n > http::TETE_MAX {
            // The server answers 431 without reading further.
            return;
        }
        let (tete, suite) = reste.split_at(n);
        reste = suite;
        let r = serve::repondre(tete, ecoute, etat);
        let t = String::from_utf8(r.tete("Thu, 01 Jan 1970 00:00:00 GMT")).expect("en-tête de réponse en UTF-8");
        let code = r.statut.code();
        assert!(t.starts_with(&format!("HTTP/1.1 {code} ")) && t.ends_with("\r\n\r\n"), "{t}");
        assert_eq!(t.matches("\r\n\r\n").count(), 1, "{t}");
        assert!(t.contains(&format!("\r\nContent-Length: {}\r\n", r.corps.len())), "{t}");
        let requete = String::from_utf8_lossy(tete);
        if r.sans_corps {
            assert!(requete.trim_start_matches(['\r', '\n']).starts_with("HEAD "), "{requete:?}");
        }
        let contenu = code == 200 || r.corps.starts_with(b"<p>Page introuvable");
        if contenu {
            assert!(hote_local(tete), "contenu servi pour un hôte qui n'est pas cet ordinateur : {requete:?}");
        } else {
            assert!(r.corps.len() < 200 && r.type_contenu == "text/plain; charset=utf-8", "{requete:?} : {t}");
        }
        if ![200, 403, 404, 405].contains(&code) {
            assert!(r.fermer, "{requete:?} : {t}");
        }
        if r.fermer {
            return;
        }
    }
}

thread_local! {
    /// The minimal project, loaded once per thread, for the import targets.
    static PROJET_CHARGE: Option<mutu_model::Projet> = mutu_model::load::load(projet()).projet;
}

/// A spreadsheet read by `mutu import` (`ext`: xlsx, ods or csv), then
/// applied to the minimal project without writing: no panic; what is read
/// stays within the documented limits (`mutu_import::bornes`); a refused
/// file has one diagnostic with a place; at most `DIAGNOSTICS` problems
/// are kept; the preview, once made safe for a terminal, holds no control
/// character.
fn import(data: &[u8], ext: &str) {
    use mutu_import::bornes;
    let affiche = format!("classeur.{ext}");
    let classeur = match mutu_import::tableur::lire_octets(data.to_vec(), ext, &affiche) {
        Ok(c) => c,
        Err(d) => {
            assert!(d.loc.is_some(), "refus sans position : {}", d.message);
            assert!(!d.message.is_empty());
            return;
        }
    };
    let mut total = 0u64;
    for f in &classeur.feuilles {
        let cellules = f.lignes.len() as u64 * f.largeur() as u64;
        assert!(cellules <= bornes::CELLULES_FEUILLE, "feuille de {cellules} cellules lue");
        total += cellules;
    }
    assert!(total <= bornes::CELLULES_CLASSEUR, "classeur de {total} cellules lu");
    let noms: BTreeSet<String> = classeur.feuilles.iter().filter_map(|f| f.nom.clone()).map(|n| n.to_lowercase()).collect();
    assert_eq!(
        noms.len(),
        classeur.feuilles.iter().filter(|f| f.nom.is_some()).count(),
        "deux feuilles du même nom lues"
    );
    PROJET_CHARGE.with(|p| {
        let Some(p) = p else { panic!("le projet minimal se charge") };
        match mutu_import::preparer_classeur(projet(), p, &classeur) {
            Ok(b) => {
                let apercu = mutu_import::terminal(&mutu_import::apercu(&b));
                assert!(
                    !apercu.chars().any(|c| c != '\n' && c.is_control()),
                    "caractère de contrôle affiché :\n{apercu}"
                );
                for f in &b.fichiers {
                    let _ = mutu_model::yaml::SpanIndex::build(&f.apres);
                }
            }
            Err(r) => {
                assert!(r.diagnostics.len() <= bornes::DIAGNOSTICS);
                let rendu = mutu_import::terminal(&r.rendu());
                assert!(!rendu.chars().any(|c| c != '\n' && c.is_control()), "caractère de contrôle affiché :\n{rendu}");
            }
        }
    });
}

pub fn import_xlsx(data: &[u8]) {
    import(data, "xlsx");
}

pub fn import_ods(data: &[u8]) {
    import(data, "ods");
}

pub fn import_csv(data: &[u8]) {
    import(data, "csv");
}
