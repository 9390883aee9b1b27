//! Bad-input catalogue, part 2 (part 1 is tests/diagnostics.rs): broken
//! projects of the kinds a real folder on a shared drive produces — empty
//! files, BOM and CRLF, tabs, huge and negative numbers, duplicates, deep
//! nesting, huge files, binary files, folders, pipes and links named like
//! data files, unreadable files, loops between allocation steps, control
//! characters. For each: a French diagnostic naming the file and the line,
//! exit code 1, no panic, and `mutu build --sortie <dir>` leaves the
//! previous output in `<dir>` exactly as it was.

use crate::outils;

use outils::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal");

/// A copy of the minimal project with a complete previous build in `public/`.
struct Cas {
    t: Temp,
    p: PathBuf,
    sortie: PathBuf,
    avant: BTreeMap<String, Vec<u8>>,
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

impl Cas {
    fn new(nom: &str) -> Cas {
        let t = Temp::new(&format!("mauvais-{nom}"));
        let p = t.join("projet");
        copie(Path::new(FIXTURE), &p);
        let sortie = t.join("public");
        reussit(&mutu(&p, &["build", "--sortie", sortie.to_str().unwrap()]));
        let avant = fichiers(&sortie);
        assert!(avant.keys().any(|k| k.ends_with(".pdf")) && avant.contains_key("index.html"));
        Cas { t, p, sortie, avant }
    }

    fn ecrit(&self, rel: &str, contenu: impl AsRef<[u8]>) -> &Self {
        let f = self.p.join(rel);
        std::fs::create_dir_all(f.parent().unwrap()).unwrap();
        std::fs::write(f, contenu).unwrap();
        self
    }

    fn lit(&self, rel: &str) -> String {
        std::fs::read_to_string(self.p.join(rel)).unwrap()
    }

    fn remplace(&self, rel: &str, ancien: &str, nouveau: &str) -> &Self {
        remplace(&self.p, rel, ancien, nouveau);
        self
    }

    /// `--> rel:line:col` of the first line of `rel` containing `ligne`,
    /// at the first `valeur` in it.
    fn ou(&self, rel: &str, ligne: &str, valeur: &str) -> String {
        let texte = self.lit(rel);
        let texte = mutu_model::load::fins_de_ligne(texte.trim_start_matches('\u{feff}'));
        let (n, l) = texte
            .split('\n')
            .enumerate()
            .find(|(_, l)| l.contains(ligne))
            .unwrap_or_else(|| panic!("{ligne} absent de {rel}"));
        let col = l[..l.find(valeur).unwrap()].chars().count() + 1;
        format!("--> {rel}:{}:{col}", n + 1)
    }

    /// `mutu check` and `mutu build` both fail with exit code 1 and print
    /// every `attendus` (messages and positions), without panicking; the
    /// previous output is untouched and no temporary folder is left.
    fn echoue(&self, attendus: &[&str]) -> String {
        let mut tout = String::new();
        for args in [vec!["check"], vec!["build", "--sortie", self.sortie.to_str().unwrap()]] {
            let debut = Instant::now();
            let o = mutu(&self.p, &args);
            let err = stderr(&o);
            assert!(debut.elapsed() < Duration::from_secs(20), "{args:?} : {:?}", debut.elapsed());
            assert!(!err.contains("panicked") && !stdout(&o).contains("panicked"), "{err}");
            assert_eq!(o.status.code(), Some(1), "{args:?} :\n{err}");
            for a in attendus {
                assert!(err.contains(a), "{args:?} : « {a} » absent de :\n{err}");
            }
            // Every error names a file and a line.
            for bloc in err.split("\n\n").filter(|b| b.starts_with("erreur[")) {
                assert!(
                    bloc.lines().nth(1).is_some_and(|l| l.starts_with("  --> ") && l.matches(':').count() >= 2),
                    "erreur sans position :\n{bloc}"
                );
            }
            tout.push_str(&err);
        }
        assert!(fichiers(&self.sortie) == self.avant, "la sortie précédente a changé");
        let restes: Vec<_> = std::fs::read_dir(&self.t.dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".public") && e.file_name() != ".public.verrou-mutu")
            .collect();
        assert!(restes.is_empty(), "{restes:?}");
        tout
    }
}

#[test]
fn empty_files_of_zero_bytes() {
    let c = Cas::new("vides");
    c.ecrit("data/territoire.yaml", "")
        .ecrit("data/services/vide.yaml", "")
        .ecrit("content/vide.md", "");
    c.echoue(&[
        "erreur[fichier-vide] : le fichier ne contient aucune donnée\n  --> data/territoire.yaml:1:1",
        "erreur[fichier-vide] : le fichier ne contient aucune donnée\n  --> data/services/vide.yaml:1:1",
        "erreur[entete-manquante] : page Markdown sans en-tête YAML\n  --> content/vide.md:1:1",
    ]);
}

#[test]
fn byte_order_mark_and_crlf_keep_positions() {
    let c = Cas::new("bom-crlf");
    let texte = c.lit("data/schema.yaml").replace("fin: 2026", "fin: deux-mille").replace('\n', "\r\n");
    c.ecrit("data/schema.yaml", [b"\xEF\xBB\xBF".as_slice(), texte.as_bytes()].concat());
    let err = c.echoue(&[
        "erreur[type-invalide] : type de valeur incorrect (dans `mandat.fin`) : le texte « deux-mille »",
        &c.ou("data/schema.yaml", "fin:", "deux-mille"),
    ]);
    // The source line is shown without its carriage return.
    assert!(err.contains("4 |   fin: deux-mille\n"), "{err}");
    assert!(!err.contains('\r'));
}

#[test]
fn lone_carriage_returns_keep_positions() {
    // Old Mac OS line ends: every `\r` is a line break, as the YAML parser reads it.
    let c = Cas::new("cr-seuls");
    let texte = c.lit("data/schema.yaml").replace("fin: 2026", "fin: deux-mille").replace('\n', "\r");
    c.ecrit("data/schema.yaml", texte);
    let err = c.echoue(&[
        "erreur[type-invalide] : type de valeur incorrect (dans `mandat.fin`) : le texte « deux-mille »",
        &c.ou("data/schema.yaml", "fin:", "deux-mille"),
    ]);
    assert!(err.contains("4 |   fin: deux-mille\n"), "{err}");
    assert!(!err.contains('\r'));
}

#[test]
fn tab_in_the_front_matter() {
    let c = Cas::new("tabulation-entete");
    c.ecrit("content/edito.md", "---\nobjet: rapport\n\ttitre: \"Édito\"\n---\nTexte.\n");
    c.echoue(&["erreur[syntaxe-yaml] : syntaxe YAML invalide : tabulation interdite dans l'indentation\n  --> content/edito.md:3:1"]);
}

#[test]
fn huge_numbers() {
    // One number per file: a file stops at its first unreadable value.
    let c = Cas::new("grands-nombres");
    let g = "data/services/garage-commun.yaml";
    c.remplace(g, "montant: 1200.00", "montant: 1e400");
    c.remplace("data/cles.yaml", "capld: 50", "capld: 79228162514264337593543950335");
    c.ecrit(
        "data/commande_publique.yaml",
        "groupements:\n  - id: gc-toitures\n    objet: \"Toitures\"\n    exercice: 2023\n    coordonnateur: capld\n    total_ht: 99999999999999999999999999999999\n",
    );
    c.ecrit(
        "data/effectifs.yaml",
        "exercice: 2023\nperimetre: [garage-commun]\ntotal_declare: \"1 000 000 000 000\"\n",
    );
    c.echoue(&[
        "erreur[montant-invalide] : montant illisible : « 1e400 »",
        &c.ou(g, "1e400", "1e400"),
        "erreur[nombre-trop-grand] : nombre trop grand : « 79228162514264337593543950335 »",
        &c.ou("data/cles.yaml", "capld: 7922", "7922"),
        "erreur[montant-trop-grand] : montant trop grand : « 99999999999999999999999999999999 »",
        &c.ou("data/commande_publique.yaml", "total_ht", "9999"),
        "  = attendu : un montant inférieur à 1 000 milliards d'euros (10¹²)",
        "erreur[nombre-trop-grand] : nombre trop grand : « 1 000 000 000 000 »",
        &c.ou("data/effectifs.yaml", "total_declare", "\"1"),
    ]);
}

#[test]
fn amounts_that_add_up_beyond_the_decimal_range_do_not_panic() {
    // Two amounts just under the limit, summed and split: computed exactly.
    let c = Cas::new("grandes-sommes");
    let g = "data/services/garage-commun.yaml";
    c.remplace(g, "montant: 1200.00", "montant: 999999999999.99");
    c.remplace(g, "montant: 800.00", "montant: 999999999999.99");
    c.remplace(g, "total_depenses_declare: 2000.00", "total_depenses_declare: 1");
    c.remplace(g, "total_declare: 2000.00", "total_declare: 1");
    let o = mutu(&c.p, &["export"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json["services"][0]["bilans"][0]["total_depenses"], "1999999999999.98");
}

#[test]
fn negative_figures_where_they_cannot_be() {
    let c = Cas::new("negatifs");
    c.ecrit(
        "data/cles.yaml",
        c.lit("data/cles.yaml") + "  - id: uo\n    libelle: \"Unités d'œuvre\"\n    base: unites_d_oeuvre\n    tarif: -192\n    valeurs:\n      capld: 2\n",
    );
    c.ecrit(
        "data/commande_publique.yaml",
        "groupements:\n  - id: gc-toitures\n    objet: \"Toitures\"\n    exercice: 2023\n    coordonnateur: capld\n    total_ht: -5000\n    montants_ht:\n      daoulas: \"−1 000 €\"\n",
    );
    c.remplace("data/services/garage-commun.yaml", "adherents:", "effectifs:\n  agents: -3\nadherents:");
    c.echoue(&[
        "erreur[valeur-negative] : valeur négative pour le tarif d'une unité d'œuvre : -192",
        &c.ou("data/cles.yaml", "tarif: -192", "-192"),
        "erreur[valeur-negative] : valeur négative pour le montant total d'un groupement de commandes : -5000",
        &c.ou("data/commande_publique.yaml", "total_ht", "-5000"),
        "erreur[valeur-negative] : valeur négative pour le montant d'un membre d'un groupement de commandes : -1000",
        "erreur[valeur-negative] : valeur négative pour un effectif : -3",
        &c.ou("data/services/garage-commun.yaml", "agents: -3", "-3"),
    ]);
    // A negative balance line is a correction: accepted.
    let c = Cas::new("negatif-bilan");
    c.remplace("data/services/garage-commun.yaml", "montant: 800.00", "montant: -800.00");
    c.remplace(
        "data/services/garage-commun.yaml",
        "total_depenses_declare: 2000.00",
        "total_depenses_declare: 400.00",
    );
    c.remplace("data/services/garage-commun.yaml", "total_declare: 2000.00", "total_declare: 400.00");
    reussit(&mutu(&c.p, &["check"]));
}

#[test]
fn population_beyond_belief() {
    let c = Cas::new("population");
    c.remplace("data/territoire.yaml", "municipale: 1833", "municipale: 18446744073709551615");
    c.echoue(&[
        "erreur[population-invraisemblable] : population invraisemblable : 18446744073709551615",
        &c.ou("data/territoire.yaml", "18446744073709551615", "18446744073709551615"),
        "  = attendu : une population inférieure à 100 millions d'habitants",
    ]);
    // Negative, or beyond 64 bits: a type error at the value.
    for (v, nom) in [("-1833", "population-negative"), ("99999999999999999999999", "population-geante")] {
        let c = Cas::new(nom);
        c.remplace("data/territoire.yaml", "municipale: 1833", &format!("municipale: {v}"));
        c.echoue(&[
            &format!("erreur[type-invalide] : type de valeur incorrect (dans `membres[0].populations.2023.municipale`) : le nombre entier {v}\n"),
            &c.ou("data/territoire.yaml", v, v),
            "  = attendu : un nombre entier positif",
        ]);
    }
}

#[test]
fn duplicate_fiche_ids_in_two_sub_folders() {
    let c = Cas::new("fiches-en-double");
    let texte = c.lit("data/fiches/achats-groupes.yaml");
    c.ecrit("data/fiches/a/copie.yaml", &texte).ecrit("data/fiches/b/copie.yaml", &texte);
    c.echoue(&[
        "erreur[identifiant-en-double] : l'identifiant « achats-groupes » (fiche-action) est déjà utilisé",
        "--> data/fiches/b/copie.yaml:1:5",
        "--> data/fiches/achats-groupes.yaml:1:5",
    ]);
}

#[test]
fn fiche_with_an_unknown_axe_and_an_unknown_service() {
    let c = Cas::new("fiche-orpheline");
    let f = "data/fiches/achats-groupes.yaml";
    c.remplace(f, "axe: fonctions-support", "axe: axe-inexistant")
        .remplace(f, "service: garage-commun", "service: service-inexistant");
    c.echoue(&[
        "erreur[axe-inconnu] : axe inconnu : « axe-inexistant »",
        &c.ou(f, "axe:", "axe-inexistant"),
        "erreur[service-inconnu] : service inconnu : « service-inexistant »",
        &c.ou(f, "service:", "service-inexistant"),
    ]);
}

#[test]
fn very_deep_nesting_is_refused_at_once() {
    let c = Cas::new("imbrication");
    let n = 100_000;
    c.ecrit("data/schema.yaml", format!("titre: x\nmandat: {}1{}\n", "{a: ".repeat(n), "}".repeat(n)));
    let debut = Instant::now();
    let err = c.echoue(&[
        "erreur[imbrication-excessive] : syntaxe YAML refusée : plus de 64 niveaux de crochets ou d'accolades imbriqués",
        "--> data/schema.yaml:2:265",
    ]);
    assert!(debut.elapsed() < Duration::from_secs(10), "{:?}", debut.elapsed());
    // The 400 000-character line is shown around the column only.
    assert!(err.len() < 5_000, "{} octets", err.len());
    // Deep block nesting (indentation) is reported as an unknown key.
    let c = Cas::new("imbrication-blocs");
    let mut s = String::from("titre: x\nmandat:\n");
    for i in 0..2000 {
        s.push_str(&format!("{}a{i}:\n", "  ".repeat(i + 1)));
    }
    c.ecrit("data/schema.yaml", s);
    c.echoue(&["erreur[cle-inconnue] : clé inconnue « a0 » (dans `mandat`)\n  --> data/schema.yaml:3:3"]);
}

#[test]
fn alias_bomb() {
    let c = Cas::new("alias");
    let mut s = String::from("titre: x\nmandat:\n  debut: 2020\n  fin: 2026\nhistorique:\n  - annee: 2020\n    evenements: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for i in 1..10 {
        s.push_str(&format!(
            "  - annee: 202{i}\n    evenements: &a{i} [{}]\n",
            vec![format!("*a{}", i - 1); 9].join(",")
        ));
    }
    c.ecrit("data/schema.yaml", s);
    c.echoue(&[
        "erreur[type-invalide] : type de valeur incorrect (dans `historique[1].evenements[0]`) : une liste",
        "--> data/schema.yaml:7:17",
    ]);
}

#[test]
fn five_megabyte_yaml_file() {
    let c = Cas::new("gros-fichier");
    let g = "data/services/garage-commun.yaml";
    let mut lignes = String::new();
    let mut i = 0;
    while lignes.len() < 5_000_000 {
        lignes.push_str(&format!(
            "      - libelle: \"Ligne de dépense numéro {i} du garage commun, exercice 2023\"\n        montant: {}.{:02}\n",
            i % 1000,
            i % 100
        ));
        i += 1;
    }
    c.remplace(g, "    depenses:\n", &format!("    depenses:\n{lignes}"));
    c.ecrit(g, c.lit(g) + "forme_juridique: service_commun\n");
    let ligne = c.lit(g).lines().count();
    let debut = Instant::now();
    c.echoue(&["erreur[cle-inconnue] : clé inconnue « forme_juridique »", &format!("--> {g}:{ligne}:1")]);
    assert!(debut.elapsed() < Duration::from_secs(30), "{:?}", debut.elapsed());
}

#[test]
fn binary_files_in_data() {
    let c = Cas::new("binaires");
    // Not UTF-8 (a PNG image saved under a data file's name).
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend((0u8..=255).cycle().take(4000));
    c.ecrit("data/services/image.yaml", png);
    // Valid UTF-8 but with control characters.
    c.ecrit("data/fiches/binaire.yaml", "id: x\u{0}\u{1}\u{2}\nnom: y\n");
    let err = c.echoue(&[
        "erreur[encodage-invalide] : le fichier n'est pas encodé en UTF-8 : octet 0x89 invalide\n  --> data/services/image.yaml:1:1",
        "erreur[caractere-interdit] : caractère de contrôle interdit (U+0000)\n  --> data/fiches/binaire.yaml:1:6",
    ]);
    // Control characters are shown, not sent to the terminal.
    assert!(err.contains("1 | id: x␀␁␂") && !err.contains('\u{0}'), "{err}");
}

#[test]
fn folders_named_like_files() {
    let c = Cas::new("dossiers");
    std::fs::remove_file(c.p.join("data/rapport.yaml")).unwrap();
    for d in ["data/rapport.yaml", "data/services/autre.yaml", "content/page.md"] {
        std::fs::create_dir_all(c.p.join(d)).unwrap();
    }
    c.echoue(&[
        "erreur[pas-un-fichier] : data/rapport.yaml est un dossier, pas un fichier\n  --> data/rapport.yaml:1:1",
        "erreur[pas-un-fichier] : data/services/autre.yaml est un dossier, pas un fichier\n  --> data/services/autre.yaml:1:1",
        "erreur[pas-un-fichier] : content/page.md est un dossier, pas un fichier\n  --> content/page.md:1:1",
    ]);
}

#[cfg(unix)]
#[test]
fn named_pipe_named_like_a_data_file_does_not_block() {
    let c = Cas::new("tube");
    std::fs::remove_file(c.p.join("data/schema.yaml")).unwrap();
    let ok = std::process::Command::new("mkfifo").arg(c.p.join("data/schema.yaml")).status().unwrap();
    assert!(ok.success());
    c.echoue(&["erreur[pas-un-fichier] : data/schema.yaml n'est pas un fichier ordinaire\n  --> data/schema.yaml:1:1"]);
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    // As root, chmod 000 does not stop reading (root bypasses file
    // permissions): the case cannot happen, so there is nothing to test.
    if unsafe_geteuid_is_root() {
        eprintln!("ignoré : exécuté en root, un fichier en mode 000 reste lisible");
        return;
    }
    use std::os::unix::fs::PermissionsExt;
    let c = Cas::new("illisible");
    let f = c.p.join("data/schema.yaml");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o000)).unwrap();
    let err = c.echoue(&["erreur[lecture-impossible] : impossible de lire le fichier : permission refusée\n  --> data/schema.yaml:1:1"]);
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
    assert!(!err.contains("inconnu"), "{err}");
}

/// Effective user id is 0, read from /proc (no libc in the tests).
#[cfg(unix)]
fn unsafe_geteuid_is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("Uid:")).map(|l| l.split_whitespace().nth(2) == Some("0")))
        .unwrap_or(false)
}

#[cfg(unix)]
#[test]
fn broken_and_outside_links_in_data() {
    let c = Cas::new("liens");
    std::os::unix::fs::symlink("nulle-part.yaml", c.p.join("data/fiches/lien-casse.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", c.p.join("data/fiches/passwd.yaml")).unwrap();
    std::fs::remove_file(c.p.join("data/schema.yaml")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", c.p.join("data/schema.yaml")).unwrap();
    let err = c.echoue(&[
        "erreur[lien-casse] : le fichier est un lien symbolique vers un fichier introuvable\n  --> data/fiches/lien-casse.yaml:1:1",
        "erreur[chemin-hors-projet] : le fichier est un lien symbolique qui mène hors du dossier du projet\n  --> data/fiches/passwd.yaml:1:1",
        "erreur[chemin-hors-projet] : le fichier est un lien symbolique qui mène hors du dossier du projet\n  --> data/schema.yaml:1:1",
    ]);
    assert!(!err.contains("root:"), "le contenu de /etc/passwd a été lu :\n{err}");
}

#[test]
fn allocation_steps_that_loop() {
    let g = "data/services/garage-commun.yaml";
    let etapes = "      - cle: forfait-garage\n      - cle: population-communes\n        part_de: capld\n";
    // A part re-split among bodies that include its owner.
    let c = Cas::new("etapes-boucle");
    c.remplace(
        g,
        etapes,
        "      - cle: forfait-garage\n      - cle: forfait-garage\n        part_de: landerneau\n      - cle: forfait-garage\n        part_de: landerneau\n",
    );
    c.echoue(&[
        "erreur[etape-cyclique] : l'étape repartage la part de « landerneau » avec la clé « forfait-garage », dont « landerneau » est lui-même bénéficiaire",
        &c.ou(g, "part_de: landerneau", "landerneau"),
    ]);
    // A step that splits a part produced only by a later step.
    let c = Cas::new("etapes-ordre");
    c.remplace(
        g,
        etapes,
        "      - cle: forfait-garage\n      - cle: forfait-garage\n        part_de: daoulas\n      - cle: population-communes\n        part_de: capld\n",
    );
    c.echoue(&[
        "erreur[etape-invalide] : « daoulas » n'a pas de part à répartir à cette étape",
        &c.ou(g, "part_de: daoulas", "daoulas"),
        "= aide : bénéficiaires disponibles : capld, landerneau",
    ]);
}

#[test]
fn free_pages_with_the_same_address_or_none() {
    let c = Cas::new("pages");
    c.ecrit("content/a.md", "---\nobjet: page\nid: infos-pratiques\n---\nA\n");
    c.ecrit("content/b.md", "---\nobjet: page\nid: \"Infos pratiques\"\n---\nB\n");
    c.ecrit("content/c.md", "---\nobjet: page\nid: \"!!!\"\n---\nC\n");
    c.echoue(&[
        "erreur[page-en-double] : deux pages libres ont l'adresse pages/infos-pratiques.html\n  --> content/b.md:3:5",
        "= aide : première page : content/a.md ; changez l'`id` de l'une des deux",
        "erreur[identifiant-invalide] : « !!! » ne peut pas servir d'adresse de page\n  --> content/c.md:3:5",
    ]);
}

#[test]
fn control_characters_in_markdown() {
    let c = Cas::new("controle-markdown");
    c.ecrit("content/edito.md", c.lit("content/edito.md") + "\nTexte copié \u{1b}[31mrouge\u{1b}[0m.\n");
    let ligne = c.lit("content/edito.md").lines().count();
    c.echoue(&[&format!(
        "erreur[caractere-interdit] : caractère de contrôle interdit (U+001B)\n  --> content/edito.md:{ligne}:13"
    )]);
}

#[test]
fn numbers_out_of_range_of_their_field() {
    let c = Cas::new("entiers");
    c.remplace("data/rapport.yaml", "exercice: 2023", "exercice: 99999999999");
    c.ecrit("data/fiches/achats-groupes.yaml", c.lit("data/fiches/achats-groupes.yaml") + "priorite: 300\n");
    c.echoue(&[
        "(dans `exercice`) : le nombre entier 99999999999",
        &c.ou("data/rapport.yaml", "exercice:", "99999999999"),
        "(dans `priorite`) : le nombre entier 300",
        &c.ou("data/fiches/achats-groupes.yaml", "priorite:", "300"),
    ]);
}

/// A folder outside the project, beside it, with a Markdown text and a
/// theme template that must never be read.
#[cfg(unix)]
fn dehors(c: &Cas) -> PathBuf {
    let d = c.t.join("dehors");
    std::fs::create_dir_all(d.join("templates")).unwrap();
    std::fs::write(d.join("secret.md"), "---\nobjet: page\nid: secret\ntitre: Secret\n---\nTEXTE-DU-DEHORS\n").unwrap();
    std::fs::write(d.join("templates/base.html"), "TEXTE-DU-DEHORS").unwrap();
    std::fs::write(d.join("fiche.yaml"), "TEXTE-DU-DEHORS: 1\n").unwrap();
    d
}

#[test]
fn theme_is_a_folder_name_under_themes() {
    for valeur in ["../../ailleurs", "/etc", "themes/../..", ".cache", "C:\\Windows"] {
        let c = Cas::new("theme-chemin");
        ajoute(&c.p, "data/configuration.yaml", &format!("theme: '{valeur}'\n"));
        let ou = c.ou("data/configuration.yaml", "theme:", "'");
        c.echoue(&[&format!("erreur[theme-invalide] : « {valeur} » n'est pas un nom de thème\n  {ou}")]);
    }
}

#[cfg(unix)]
#[test]
fn theme_folder_linked_out_of_the_project() {
    let c = Cas::new("theme-lien");
    let d = dehors(&c);
    std::fs::create_dir_all(c.p.join("themes")).unwrap();
    std::os::unix::fs::symlink(&d, c.p.join("themes/x")).unwrap();
    ajoute(&c.p, "data/configuration.yaml", "theme: x\n");
    let ou = c.ou("data/configuration.yaml", "theme:", "x");
    let err = c.echoue(&[&format!(
        "erreur[chemin-hors-projet] : le dossier est un lien symbolique qui mène hors du dossier du projet\n  {ou}"
    )]);
    assert!(!err.contains("TEXTE-DU-DEHORS"));
}

#[cfg(unix)]
#[test]
fn links_out_inside_a_theme() {
    let c = Cas::new("theme-lien-fichier");
    let d = dehors(&c);
    std::fs::create_dir_all(c.p.join("themes/t/static")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", c.p.join("themes/t/static/passwd.css")).unwrap();
    std::os::unix::fs::symlink(d.join("templates"), c.p.join("themes/t/templates")).unwrap();
    ajoute(&c.p, "data/configuration.yaml", "theme: t\n");
    c.echoue(&[
        "erreur[chemin-hors-projet] : le fichier est un lien symbolique qui mène hors du dossier du projet\n  --> themes/t/static/passwd.css",
        "erreur[chemin-hors-projet] : le dossier est un lien symbolique qui mène hors du dossier du projet\n  --> themes/t/templates",
    ]);
}

#[cfg(unix)]
#[test]
fn content_folder_linked_out_of_the_project() {
    let c = Cas::new("content-lien");
    let d = dehors(&c);
    std::fs::rename(c.p.join("content"), c.t.join("content-deplace")).unwrap();
    std::fs::rename(d.join("secret.md"), c.t.join("content-deplace/secret.md")).unwrap();
    std::os::unix::fs::symlink(c.t.join("content-deplace"), c.p.join("content")).unwrap();
    let err = c.echoue(&["erreur[chemin-hors-projet] : le dossier est un lien symbolique qui mène hors du dossier du projet\n  --> content"]);
    assert!(!err.contains("TEXTE-DU-DEHORS"));
}

#[cfg(unix)]
#[test]
fn sub_folders_linked_out_are_refused_not_skipped() {
    let c = Cas::new("sous-dossiers-liens");
    let d = dehors(&c);
    std::os::unix::fs::symlink(&d, c.p.join("content/ailleurs")).unwrap();
    std::os::unix::fs::symlink(&d, c.p.join("data/services/ailleurs")).unwrap();
    c.echoue(&[
        "erreur[chemin-hors-projet] : le dossier est un lien symbolique qui mène hors du dossier du projet\n  --> content/ailleurs",
        "erreur[chemin-hors-projet] : le dossier est un lien symbolique qui mène hors du dossier du projet\n  --> data/services/ailleurs",
    ]);
}

#[cfg(unix)]
#[test]
fn sub_folders_linked_inside_the_project_are_read() {
    let c = Cas::new("sous-dossiers-internes");
    std::fs::create_dir_all(c.p.join("textes-communs")).unwrap();
    std::fs::write(
        c.p.join("textes-communs/partage.md"),
        "---\nobjet: page\nid: texte-partage\ntitre: Texte partagé\n---\nUn texte rangé ailleurs dans le projet.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(c.p.join("textes-communs"), c.p.join("content/communs")).unwrap();
    std::os::unix::fs::symlink(c.p.join("content"), c.p.join("content/communs-boucle")).unwrap();
    let o = mutu(&c.p, &["build", "--sans-pdf", "--sortie", c.sortie.to_str().unwrap()]);
    reussit(&o);
    assert!(
        stderr(&o).contains("avertissement[lien-en-boucle] : lien symbolique vers un dossier qui le contient : ignoré\n  --> content/communs-boucle"),
        "{}",
        stderr(&o)
    );
    let pages = fichiers(&c.sortie);
    assert!(
        pages
            .values()
            .any(|v| String::from_utf8_lossy(v).contains("Un texte rangé ailleurs dans le projet.")),
        "le texte lié n'est pas publié"
    );
}
