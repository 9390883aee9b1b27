//! The bad-input catalogue: each test copies the minimal project of
//! `tests/fixtures/minimal` to a fresh folder, breaks it in one way, runs the
//! real binary (`mutu check --racine <dossier>`) and compares what it prints
//! with the exact expected diagnostics: header (`erreur[code] : message`),
//! `-->` location, source line with its caret, `= attendu :` and `= aide :`
//! notes, the summary line and the exit code (0 ok, warnings allowed; 1
//! errors; 2 usage). Every test also checks that nothing panicked, and the
//! full list of diagnostics is compared, so a cascade of secondary errors
//! fails the test as surely as a wrong message.
//!
//! `MUTU_BIN=/chemin/vers/mutu` runs another binary than the one cargo built
//! (useful when several worktrees share one target folder).

use crate::outils;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/minimal");

/// A throw-away copy of the minimal project.
struct Projet {
    dir: PathBuf,
}

impl Projet {
    fn new(name: &str) -> Projet {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("mutu-diagnostics-{}-{n}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        outils::copie_dossier(Path::new(FIXTURE), &dir);
        Projet { dir }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// Replaces the only line of `rel` equal to `from` by `to` (which may
    /// hold several lines, or none: `""` removes the line).
    fn replace_line(&self, rel: &str, from: &str, to: &str) -> &Self {
        self.replace_lines(rel, from, to, 1)
    }

    /// Replaces the `n`-th line (from 1) of `rel` equal to `from` by `to`.
    fn replace_nth(&self, rel: &str, from: &str, to: &str, n: usize) -> &Self {
        let text = fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel} : {e}"));
        let mut seen = 0;
        let mut out: Vec<&str> = Vec::new();
        for l in text.split('\n') {
            if l == from {
                seen += 1;
                if seen == n {
                    out.extend(to.split('\n').filter(|_| !to.is_empty()));
                    continue;
                }
            }
            out.push(l);
        }
        assert!(seen >= n, "moins de {n} lignes « {from} » dans {rel}");
        fs::write(self.path(rel), out.join("\n")).unwrap();
        self
    }

    /// Replaces the `count` lines of `rel` equal to `from` by `to`.
    fn replace_lines(&self, rel: &str, from: &str, to: &str, count: usize) -> &Self {
        let text = fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("{rel} : {e}"));
        let lines: Vec<&str> = text.split('\n').collect();
        assert_eq!(lines.iter().filter(|l| **l == from).count(), count, "nombre de lignes « {from} » dans {rel}");
        let mut out: Vec<&str> = Vec::new();
        for l in lines {
            if l != from {
                out.push(l);
            } else if !to.is_empty() {
                out.extend(to.split('\n'));
            }
        }
        fs::write(self.path(rel), out.join("\n")).unwrap();
        self
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, contents).unwrap();
        self
    }

    fn rename(&self, from: &str, to: &str) -> &Self {
        fs::rename(self.path(from), self.path(to)).unwrap();
        self
    }

    fn check(&self) -> Sortie {
        mutu(&["check", "--racine", self.dir.to_str().unwrap()])
    }
}

impl Drop for Projet {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// What one run printed.
struct Sortie {
    code: i32,
    stdout: String,
    stderr: String,
}

fn mutu(args: &[&str]) -> Sortie {
    // Several worktrees share one target folder, so the binary cargo built
    // for this test may be replaced by another build: MUTU_BIN names a copy.
    let bin = std::env::var_os("MUTU_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_mutu")));
    let out = Command::new(bin).args(args).output().expect("lancement de mutu");
    let s = Sortie {
        code: out.status.code().expect("mutu arrêté par un signal"),
        stdout: String::from_utf8(out.stdout).expect("sortie standard en UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("sortie d'erreur en UTF-8"),
    };
    assert!(
        !s.stdout.contains("panicked") && !s.stderr.contains("panicked"),
        "mutu a paniqué :\n{}{}",
        s.stdout,
        s.stderr
    );
    s
}

impl Sortie {
    /// The diagnostics printed on stderr, one string per diagnostic, without
    /// the blank line that follows each.
    fn diagnostics(&self) -> Vec<String> {
        self.stderr
            .split("\n\n")
            .filter(|b| b.starts_with("erreur[") || b.starts_with("avertissement["))
            .map(|b| b.trim_end_matches('\n').to_string())
            .collect()
    }

    /// The last line, "vérification terminée : …" (stdout) or
    /// "vérification échouée : …" (stderr).
    fn summary(&self) -> &str {
        let out = if self.code == 0 { &self.stdout } else { &self.stderr };
        out.lines().last().unwrap_or_default()
    }

    /// Asserts the exit code, the exact diagnostics (in order) and the summary.
    fn assert(&self, code: i32, expected: &[&[&str]], summary: &str) {
        let got = self.diagnostics();
        let want: Vec<String> = expected.iter().map(|d| d.join("\n")).collect();
        if got != want {
            panic!(
                "diagnostics attendus :\n\n{}\n\ndiagnostics obtenus :\n\n{}\n",
                want.join("\n\n"),
                got.join("\n\n")
            );
        }
        assert_eq!(self.summary(), summary, "ligne de bilan\n{}", self.stderr);
        assert_eq!(self.code, code, "code de sortie\n{}", self.stderr);
        if code == 1 {
            assert_eq!(self.stdout, "", "une vérification échouée n'écrit rien sur la sortie standard");
        }
        // Nothing but diagnostics and the summary on stderr.
        let rest: String = self
            .stderr
            .split("\n\n")
            .filter(|b| !b.starts_with("erreur[") && !b.starts_with("avertissement["))
            .collect();
        let rest = rest.trim();
        assert!(rest.is_empty() || rest == summary, "sortie d'erreur inattendue : {rest}");
    }
}

// Amounts are printed the French way: a narrow no-break space (U+202F)
// between thousands and a no-break space (U+00A0) before "€".

fn errors(n: usize) -> String {
    format!("vérification échouée : {n} erreur{}, 0 avertissement", if n > 1 { "s" } else { "" })
}

const OK_1_WARNING: &str = "vérification terminée : 0 erreur, 1 avertissement";

// ---------------------------------------------------------------- the fixture

#[test]
fn minimal_project_checks_clean() {
    let p = Projet::new("propre");
    let s = p.check();
    assert_eq!(s.stderr, "", "aucun diagnostic attendu");
    assert_eq!(s.code, 0);
    assert!(
        s.stdout
            .starts_with("Communauté d'agglomération du Pays de Landerneau-Daoulas (CAPLD) — rapport de l'exercice 2023\n"),
        "{}",
        s.stdout
    );
    assert_eq!(s.summary(), "vérification terminée : 0 erreur, 0 avertissement");
}

// ---------------------------------------------------------------- YAML syntax

#[test]
fn syntax_bad_indentation() {
    let p = Projet::new("indentation");
    p.replace_line("data/territoire.yaml", "    nom: Dirinon", "     nom: Dirinon");
    p.check().assert(
        1,
        &[&[
            "erreur[syntaxe-yaml] : syntaxe YAML invalide : « : » inattendu à cet endroit",
            "  --> data/territoire.yaml:18:9",
            "   |",
            "18 |      nom: Dirinon",
            "   |         ^",
            "  = attendu : un document YAML bien formé (clé: valeur, listes avec « - », indentation par espaces)",
            "  = aide : vérifiez l'indentation de cette ligne (alignée sur les clés du même bloc) ; si la valeur contient « : », mettez-la entre guillemets",
        ]],
        &errors(1),
    );
}

#[test]
fn syntax_tab_in_indentation() {
    let p = Projet::new("tabulation");
    p.replace_line("data/territoire.yaml", "  sigle: CAPLD", "\tsigle: CAPLD");
    p.check().assert(
        1,
        &[&[
            "erreur[syntaxe-yaml] : syntaxe YAML invalide : tabulation interdite dans l'indentation",
            "  --> data/territoire.yaml:4:1",
            "  |",
            "4 |  sigle: CAPLD",
            "  | ^",
            "  = attendu : une indentation faite d'espaces uniquement",
            "  = aide : remplacez les tabulations par des espaces (deux espaces par niveau)",
        ]],
        &errors(1),
    );
}

#[test]
fn syntax_unclosed_quote_points_at_the_opening_quote() {
    // libyaml runs the value on to the next quote of the file, three lines
    // below, and fails there: the diagnostic must point at line 4.
    let p = Projet::new("guillemet");
    p.replace_line("data/territoire.yaml", "  sigle: CAPLD", "  sigle: \"CAPLD");
    p.check().assert(
        1,
        &[&[
            "erreur[syntaxe-yaml] : syntaxe YAML invalide : guillemet \" ouvert mais jamais fermé",
            "  --> data/territoire.yaml:4:10",
            "  |",
            "4 |   sigle: \"CAPLD",
            "  |          ^",
            "  = attendu : un guillemet \" fermant sur la même ligne, à la fin de la valeur",
            "  = aide : ajoutez le guillemet \" qui ferme cette valeur (sinon le texte se poursuit jusqu'au guillemet suivant du fichier)",
        ]],
        &errors(1),
    );
}

#[test]
fn syntax_unclosed_quote_at_end_of_file() {
    let p = Projet::new("guillemet-fin");
    p.replace_line("data/rapport.yaml", "  envoi: 2024-04-03", "  envoi: '2024-04-03");
    p.check().assert(
        1,
        &[&[
            "erreur[syntaxe-yaml] : syntaxe YAML invalide : guillemet ' ouvert mais jamais fermé",
            "  --> data/rapport.yaml:9:10",
            "  |",
            "9 |   envoi: '2024-04-03",
            "  |          ^",
            "  = attendu : un guillemet ' fermant sur la même ligne, à la fin de la valeur",
            "  = aide : ajoutez le guillemet ' qui ferme cette valeur (sinon le texte se poursuit jusqu'au guillemet suivant du fichier)",
        ]],
        &errors(1),
    );
}

// ---------------------------------------------------------------- keys and types

#[test]
fn unknown_key_with_suggestion() {
    let p = Projet::new("cle-inconnue");
    p.replace_line("data/territoire.yaml", "  sigle: CAPLD", "  sigel: CAPLD");
    p.check().assert(
        1,
        &[&[
            "erreur[cle-inconnue] : clé inconnue « sigel » (dans `epci`)",
            "  --> data/territoire.yaml:4:3",
            "  |",
            "4 |   sigel: CAPLD",
            "  |   ^^^^^",
            "  = attendu : une des clés : id, nom, sigle, nature, siren, siret, departement, siege, adresse, site_web, logo, populations",
            "  = aide : vouliez-vous dire « sigle » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_key_in_front_matter() {
    let p = Projet::new("cle-inconnue-entete");
    p.replace_line("content/edito.md", "titre: \"Édito\"", "title: \"Édito\"");
    p.check().assert(
        1,
        &[&[
            "erreur[cle-inconnue] : clé inconnue « title »",
            "  --> content/edito.md:3:1",
            "  |",
            "3 | title: \"Édito\"",
            "  | ^^^^^",
            "  = attendu : une des clés : titre, objet, id, exercice, ordre, visibilite",
            "  = aide : vouliez-vous dire « titre » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn wrong_type() {
    let p = Projet::new("type");
    p.replace_line("data/territoire.yaml", "        municipale: 2206", "        municipale: beaucoup");
    p.check().assert(
        1,
        &[&[
            "erreur[type-invalide] : type de valeur incorrect (dans `membres[1].populations.2023.municipale`) : le texte « beaucoup »",
            "  --> data/territoire.yaml:24:21",
            "   |",
            "24 |         municipale: beaucoup",
            "   |                     ^^^^^^^^",
            "  = attendu : un nombre entier positif",
            "  = aide : voir « mutu aide format » pour le type attendu de ce champ",
        ]],
        &errors(1),
    );
}

#[test]
fn text_where_a_block_is_expected() {
    let p = Projet::new("bloc");
    p.replace_line("data/rapport.yaml", "signataire:", "signataire: Le Président\nancien_signataire:");
    p.check().assert(
        1,
        &[&[
            "erreur[type-invalide] : type de valeur incorrect (dans `signataire`) : le texte « Le Président »",
            "  --> data/rapport.yaml:5:13",
            "  |",
            "5 | signataire: Le Président",
            "  |             ^^^^^^^^^^^^",
            "  = attendu : un bloc de clés (clé: valeur)",
            "  = aide : écrivez les champs sur les lignes suivantes, indentés de deux espaces (voir « mutu aide format »)",
        ]],
        &errors(1),
    );
}

#[test]
fn missing_required_field() {
    let p = Projet::new("champ-manquant");
    p.replace_line("data/rapport.yaml", "deliberation: DCC2024_054", "");
    p.check().assert(
        1,
        &[&[
            "erreur[champ-manquant] : champ obligatoire « deliberation » absent",
            "  --> data/rapport.yaml:1:1",
            "  |",
            "1 | exercice: 2023",
            "  | ^^^^^^^^",
            "  = attendu : une clé `deliberation:` à ce niveau",
            "  = aide : ajoutez `deliberation: …` (voir « mutu aide deliberation »)",
        ]],
        &errors(1),
    );
}

#[test]
fn duplicate_field() {
    let p = Projet::new("champ-en-double");
    p.replace_line("data/territoire.yaml", "    nom: Dirinon", "    nom: Dirinon\n    nom: Dirinon-bis");
    p.check().assert(
        1,
        &[&[
            "erreur[cle-en-double] : la clé « nom » apparaît deux fois (dans `membres[1]`)",
            "  --> data/territoire.yaml:19:5",
            "   |",
            "19 |     nom: Dirinon-bis",
            "   |     ^^^",
            "  = attendu : chaque clé une seule fois par bloc",
            "  = aide : première occurrence à la ligne 18 ; supprimez ou fusionnez l'une des deux",
        ]],
        &errors(1),
    );
}

#[test]
fn duplicate_key_in_a_table_is_not_silently_overwritten() {
    // serde_yaml keeps the last of two equal keys of a table: 50 + 50 would
    // pass the 100 % check while one share is lost.
    let p = Projet::new("cle-en-double");
    p.replace_line("data/cles.yaml", "      landerneau: 50", "      landerneau: 50\n      capld: 50");
    p.check().assert(
        1,
        &[&[
            "erreur[cle-en-double] : la clé « capld » apparaît deux fois (dans `cles[0].valeurs`)",
            "  --> data/cles.yaml:8:7",
            "  |",
            "8 |       capld: 50",
            "  |       ^^^^^",
            "  = attendu : chaque clé une seule fois par bloc",
            "  = aide : première occurrence à la ligne 6 ; supprimez ou fusionnez l'une des deux",
        ]],
        &errors(1),
    );
}

#[test]
fn duplicate_key_in_front_matter() {
    let p = Projet::new("cle-en-double-entete");
    p.replace_line("content/edito.md", "titre: \"Édito\"", "titre: \"Édito\"\ntitre: \"Éditorial\"");
    p.check().assert(
        1,
        &[&[
            "erreur[cle-en-double] : la clé « titre » apparaît deux fois",
            "  --> content/edito.md:4:1",
            "  |",
            "4 | titre: \"Éditorial\"",
            "  | ^^^^^",
            "  = attendu : chaque clé une seule fois par bloc",
            "  = aide : première occurrence à la ligne 3 ; supprimez ou fusionnez l'une des deux",
        ]],
        &errors(1),
    );
}

// ---------------------------------------------------------------- identifiers and references

#[test]
fn duplicate_id_across_files() {
    let p = Projet::new("identifiant-en-double");
    let text = fs::read_to_string(p.path("data/services/garage-commun.yaml")).unwrap();
    p.write("data/services/garage-bis.yaml", text);
    p.check().assert(
        1,
        &[&[
            "erreur[identifiant-en-double] : l'identifiant « garage-commun » (service) est déjà utilisé",
            "  --> data/services/garage-commun.yaml:1:5",
            "  |",
            "1 | id: garage-commun",
            "  |     ^^^^^^^^^^^^^",
            "  = attendu : un identifiant unique pour chaque service",
            "  = aide : première déclaration : data/services/garage-bis.yaml:1 ; renommez l'un des deux",
        ]],
        &errors(1),
    );
}

#[test]
fn invalid_id() {
    let p = Projet::new("identifiant-invalide");
    p.replace_line("data/fiches/achats-groupes.yaml", "id: achats-groupes", "id: Achats groupés");
    p.check().assert(
        1,
        &[&[
            "erreur[identifiant-invalide] : identifiant « Achats groupés » invalide",
            "  --> data/fiches/achats-groupes.yaml:1:5",
            "  |",
            "1 | id: Achats groupés",
            "  |     ^^^^^^^^^^^^^^",
            "  = attendu : des lettres minuscules sans accents, des chiffres et des tirets",
            "  = aide : par exemple « achats-groupes »",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_member_with_suggestion() {
    let p = Projet::new("membre-inconnu");
    p.replace_line("data/services/garage-commun.yaml", "porteur: capld", "porteur: capdl");
    p.check().assert(
        1,
        &[&[
            "erreur[membre-inconnu] : membre ou partenaire inconnu : « capdl »",
            "  --> data/services/garage-commun.yaml:4:10",
            "  |",
            "4 | porteur: capdl",
            "  |          ^^^^^",
            "  = attendu : l'identifiant d'un membre ou partenaire déclaré dans data/territoire.yaml",
            "  = aide : vouliez-vous dire « capld » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_commune() {
    let p = Projet::new("commune-inconnue");
    p.replace_line(
        "data/territoire.yaml",
        "    siren: \"212901037\"",
        "    siren: \"212901037\"\n    commune: landernau",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[membre-inconnu] : commune membre inconnue : « landernau »",
            "  --> data/territoire.yaml:30:14",
            "   |",
            "30 |     commune: landernau",
            "   |              ^^^^^^^^^",
            "  = attendu : l'identifiant d'une commune membre déclarée dans data/territoire.yaml",
            "  = aide : vouliez-vous dire « landerneau » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_key_reference_is_reported_once() {
    // The allocation cannot be computed either; that must not add a second,
    // vaguer error.
    let p = Projet::new("cle-repartition-inconnue");
    p.replace_line("data/services/garage-commun.yaml", "      - cle: forfait-garage", "      - cle: forfait-garag");
    p.check().assert(
        1,
        &[&[
            "erreur[cle-repartition-inconnue] : clé de répartition inconnue : « forfait-garag »",
            "  --> data/services/garage-commun.yaml:22:14",
            "   |",
            "22 |       - cle: forfait-garag",
            "   |              ^^^^^^^^^^^^^",
            "  = attendu : l'identifiant d'une clé de répartition déclarée dans data/cles.yaml",
            "  = aide : vouliez-vous dire « forfait-garage » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_service() {
    let p = Projet::new("service-inconnu");
    p.replace_line("data/fiches/achats-groupes.yaml", "service: garage-commun", "service: garage-comun");
    p.check().assert(
        1,
        &[&[
            "erreur[service-inconnu] : service inconnu : « garage-comun »",
            "  --> data/fiches/achats-groupes.yaml:7:10",
            "  |",
            "7 | service: garage-comun",
            "  |          ^^^^^^^^^^^^",
            "  = attendu : l'identifiant d'un service déclaré dans data/services/",
            "  = aide : vouliez-vous dire « garage-commun » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_status_of_an_earlier_year() {
    let p = Projet::new("statut-anterieur");
    p.replace_line(
        "data/fiches/achats-groupes.yaml",
        "statut: en_cours",
        "statut: en_cours\nstatuts_par_exercice:\n  2022: engagee",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[valeur-inconnue] : valeur « engagee » non reconnue (dans `statuts_par_exercice.2022`)",
            "  --> data/fiches/achats-groupes.yaml:7:9",
            "  |",
            "7 |   2022: engagee",
            "  |         ^^^^^^^",
            "  = attendu : une des valeurs : a_engager, en_reflexion, en_cours, realisee, reportee, abandonnee",
            "  = aide : vouliez-vous dire « a_engager » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_axe() {
    let p = Projet::new("axe-inconnu");
    p.replace_line("data/fiches/achats-groupes.yaml", "axe: fonctions-support", "axe: fonction-support");
    p.check().assert(
        1,
        &[&[
            "erreur[axe-inconnu] : axe inconnu : « fonction-support »",
            "  --> data/fiches/achats-groupes.yaml:2:6",
            "  |",
            "2 | axe: fonction-support",
            "  |      ^^^^^^^^^^^^^^^^",
            "  = attendu : l'identifiant d'un axe déclaré dans data/axes.yaml",
            "  = aide : vouliez-vous dire « fonctions-support » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn content_attached_to_an_unknown_fiche() {
    let p = Projet::new("fiche-inconnue");
    p.write(
        "content/fiches/achats.md",
        "---\nobjet: fiche\nid: achat-groupes\n---\nLe premier groupement porte sur les fournitures.\n",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[fiche-inconnue] : fiche-action inconnue : « achat-groupes »",
            "  --> content/fiches/achats.md:3:5",
            "  |",
            "3 | id: achat-groupes",
            "  |     ^^^^^^^^^^^^^",
            "  = attendu : l'identifiant d'une fiche-action déclarée dans data/fiches/",
            "  = aide : vouliez-vous dire « achats-groupes » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn content_without_id() {
    let p = Projet::new("contenu-sans-id");
    p.write(
        "content/fiches/achats.md",
        "---\nobjet: fiche\n---\nLe premier groupement porte sur les fournitures.\n",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[champ-manquant] : champ obligatoire « id » absent : à quelle fiche-action ce texte se rattache-t-il ?",
            "  --> content/fiches/achats.md:2:1",
            "  |",
            "2 | objet: fiche",
            "  | ^^^^^",
            "  = attendu : `id:` suivi de l'identifiant d'une fiche-action",
            "  = aide : identifiants possibles : achats-groupes",
        ]],
        &errors(1),
    );
}

#[test]
fn reference_into_an_unreadable_file_is_not_reported_unknown() {
    // The service file does not parse: the fiche that names the service must
    // not get a misleading "service inconnu".
    let p = Projet::new("fichier-illisible");
    p.replace_line("data/services/garage-commun.yaml", "        montant: 800.00", "        montant: \"12,3,4 €\"");
    p.check().assert(
        1,
        &[&[
            "erreur[montant-invalide] : montant illisible : « 12,3,4 € » (dans `bilans[0].depenses[1].montant`)",
            "  --> data/services/garage-commun.yaml:15:18",
            "   |",
            "15 |         montant: \"12,3,4 €\"",
            "   |                  ^^^^^^^^^^",
            "  = attendu : un montant en euros, par exemple 257119.00 ou \"257 119,00 €\"",
            "  = aide : utilisez des chiffres, la virgule ou le point pour les centimes, et des espaces pour les milliers",
        ]],
        &errors(1),
    );
}

// ---------------------------------------------------------------- SIREN, INSEE, COG

#[test]
fn siren_with_a_bad_luhn_key() {
    let p = Projet::new("siren-luhn");
    p.replace_line("data/territoire.yaml", "  siren: \"242900801\"", "  siren: \"242900802\"");
    p.check().assert(
        1,
        &[&[
            "erreur[siren-invalide] : SIREN « 242900802 » invalide : la clé de contrôle (Luhn) ne correspond pas",
            "  --> data/territoire.yaml:6:10",
            "  |",
            "6 |   siren: \"242900802\"",
            "  |          ^^^^^^^^^^^",
            "  = attendu : un SIREN dont la clé de Luhn est juste",
            "  = aide : un chiffre a probablement été mal recopié ou inversé ; vérifiez-le sur annuaire-entreprises.data.gouv.fr",
        ]],
        &errors(1),
    );
}

/// The SIRET (SCDL délibérations) must be the EPCI's SIREN and a NIC.
#[test]
fn siret_of_another_siren() {
    let p = Projet::new("siret-autre-siren");
    p.replace_line(
        "data/territoire.yaml",
        "  siren: \"242900801\"",
        "  siren: \"242900801\"\n  siret: \"24290080200018\"",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[siret-invalide] : SIRET « 24290080200018 » invalide pour le SIREN 242900801",
            "  --> data/territoire.yaml:7:10",
            "  |",
            "7 |   siret: \"24290080200018\"",
            "  |          ^^^^^^^^^^^^^^^^",
            "  = attendu : 14 chiffres sans espaces : le SIREN (242900801) suivi des 5 chiffres du NIC du siège",
            "  = aide : le SIRET du siège figure sur annuaire-entreprises.data.gouv.fr ; écrivez-le entre guillemets",
        ]],
        &errors(1),
    );
}

#[test]
fn siren_malformed() {
    let p = Projet::new("siren-mal-forme");
    p.replace_line("data/territoire.yaml", "    siren: \"212900450\"", "    siren: \"212 900 450\"");
    p.check().assert(
        1,
        &[&[
            "erreur[siren-invalide] : SIREN « 212 900 450 » mal formé",
            "  --> data/territoire.yaml:21:12",
            "   |",
            "21 |     siren: \"212 900 450\"",
            "   |            ^^^^^^^^^^^^^",
            "  = attendu : 9 chiffres, sans espaces (par exemple 242900801)",
            "  = aide : le SIREN figure sur l'avis de situation au répertoire SIRENE ; écrivez-le entre guillemets",
        ]],
        &errors(1),
    );
}

#[test]
fn insee_malformed() {
    let p = Projet::new("insee-mal-forme");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"2904\"");
    p.check().assert(
        1,
        &[&[
            "erreur[insee-invalide] : code INSEE « 2904 » mal formé",
            "  --> data/territoire.yaml:20:12",
            "   |",
            "20 |     insee: \"2904\"",
            "   |            ^^^^^^",
            "  = attendu : 5 caractères : 2 chiffres (ou 2A / 2B en Corse) puis 3 chiffres, entre guillemets",
            "  = aide : ne confondez pas avec le code postal ; un code qui commence par 0 doit être entre guillemets",
        ]],
        &errors(1),
    );
}

#[test]
fn insee_of_corsica_is_well_formed() {
    // 2A / 2B codes are accepted; these communes are simply not in the EPCI.
    let p = Projet::new("insee-corse");
    p.replace_line("data/territoire.yaml", "    nom: Dirinon", "    nom: Ajaccio");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"2A004\"");
    p.replace_line("data/territoire.yaml", "    nom: Daoulas", "    nom: Bastia");
    p.replace_line("data/territoire.yaml", "    insee: \"29043\"", "    insee: \"2B033\"");
    p.check().assert(
        0,
        &[
            &[
                "avertissement[commune-hors-epci] : Bastia (2B033) n'appartient pas à l'EPCI selon le référentiel officiel",
                "  --> data/territoire.yaml:12:12",
                "   |",
                "12 |     insee: \"2B033\"",
                "   |            ^^^^^^^",
                "  = attendu : une des 22 communes membres de l'EPCI 242900801",
                "  = aide : vérifiez le code INSEE ; une commune d'un autre EPCI se déclare dans `partenaires`",
            ],
            &[
                "avertissement[commune-hors-epci] : Ajaccio (2A004) n'appartient pas à l'EPCI selon le référentiel officiel",
                "  --> data/territoire.yaml:20:12",
                "   |",
                "20 |     insee: \"2A004\"",
                "   |            ^^^^^^^",
                "  = attendu : une des 22 communes membres de l'EPCI 242900801",
                "  = aide : vérifiez le code INSEE ; une commune d'un autre EPCI se déclare dans `partenaires`",
            ],
        ],
        "vérification terminée : 0 erreur, 2 avertissements",
    );
}

#[test]
fn insee_unknown_to_the_cog() {
    let p = Projet::new("insee-inconnu");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"29999\"");
    p.check().assert(
        1,
        &[&[
            "erreur[insee-inconnu] : code INSEE « 29999 » inconnu du code officiel géographique",
            "  --> data/territoire.yaml:20:12",
            "   |",
            "20 |     insee: \"29999\"",
            "   |            ^^^^^^^",
            "  = attendu : le code d'une commune existante (COG en vigueur)",
            "  = aide : « 29999 » ressemble à un code postal, qui n'est pas le code INSEE ; le code INSEE de Dirinon est « 29045 » ; le code INSEE (code officiel géographique) d'une commune se trouve sur insee.fr (recherche « code officiel géographique » + nom de la commune)",
        ]],
        &errors(1),
    );
}

#[test]
fn postal_code_given_as_insee_code() {
    let p = Projet::new("code-postal");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"29460\"");
    p.check().assert(
        1,
        &[&[
            "erreur[insee-inconnu] : code INSEE « 29460 » inconnu du code officiel géographique",
            "  --> data/territoire.yaml:20:12",
            "   |",
            "20 |     insee: \"29460\"",
            "   |            ^^^^^^^",
            "  = attendu : le code d'une commune existante (COG en vigueur)",
            "  = aide : « 29460 » ressemble à un code postal, qui n'est pas le code INSEE ; le code INSEE de Dirinon est « 29045 » ; le code INSEE (code officiel géographique) d'une commune se trouve sur insee.fr (recherche « code officiel géographique » + nom de la commune)",
        ]],
        &errors(1),
    );
}

#[test]
fn missing_insee_of_a_commune() {
    let p = Projet::new("insee-absent");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "");
    p.check().assert(
        1,
        &[&[
            "erreur[champ-manquant] : code INSEE absent pour la commune « Dirinon »",
            "  --> data/territoire.yaml:18:5",
            "   |",
            "18 |     nom: Dirinon",
            "   |     ^^^",
            "  = attendu : `insee: \"29103\"` : le code officiel géographique (COG) de la commune",
            "  = aide : le code INSEE (différent du code postal) se trouve sur insee.fr",
        ]],
        &errors(1),
    );
}

#[test]
fn empty_heading_in_a_text() {
    let p = Projet::new("titre-vide");
    p.write(
        "content/edito.md",
        "---\nobjet: rapport\ntitre: \"Édito\"\n---\nLe garage commun entretient les véhicules.\n\n## \n\nSuite du texte.\n",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[titre-vide] : titre sans texte : il est omis du site et du PDF",
            "  --> content/edito.md:7:1",
            "  |",
            "7 | ## ",
            "  | ^",
            "  = attendu : un titre après les dièses, par exemple « ## Bilan de l'année »",
            "  = aide : écrivez le titre ou supprimez la ligne",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn email_autolink_is_an_address_not_a_file() {
    // `<a@b.fr>` was read as the path of a file `content/a@b.fr`.
    let p = Projet::new("courriel");
    p.write(
        "content/edito.md",
        "---\nobjet: rapport\ntitre: \"Édito\"\n---\nÉcrivez à <contact@mon-epci.fr> ou <mailto:accueil@mon-epci.fr>.\n",
    );
    let s = p.check();
    assert_eq!(s.stderr, "", "aucun diagnostic attendu");
    assert_eq!(s.code, 0);
}

/// A heading of 20 000 characters made the whole PDF fail at the end of the
/// build with typst's « PDF/A-2a error: a PDF string is longer than 32767
/// characters », in English and without a position.
#[test]
fn line_too_long_for_the_pdf() {
    let p = Projet::new("ligne-longue");
    p.write(
        "content/edito.md",
        format!("---\nobjet: rapport\ntitre: \"Édito\"\n---\nTexte.\n\n## {}\n", "é".repeat(20_000)),
    );
    let s = p.check();
    let d = s.diagnostics();
    assert_eq!(d.len(), 1, "{}", s.stderr);
    let lignes: Vec<&str> = d[0].lines().collect();
    assert_eq!(
        lignes[0],
        "erreur[ligne-trop-longue] : ligne de 20\u{202f}003 caractères : le PDF ne peut pas contenir un titre, un nom ou une ligne sans coupure aussi long"
    );
    assert_eq!(lignes[1], "  --> content/edito.md:7:10001");
    assert_eq!(lignes[lignes.len() - 2], "  = attendu : au plus 10\u{202f}000 caractères par ligne");
    assert_eq!(
        lignes[lignes.len() - 1],
        "  = aide : coupez le texte en plusieurs lignes ou paragraphes (une ligne vide entre deux paragraphes) ; un titre ou un nom reste court"
    );
    assert_eq!(s.code, 1);
    // A service name too.
    let p = Projet::new("nom-long");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "nom: \"Garage commun\"",
        &format!("nom: \"{}\"", "G".repeat(40_000)),
    );
    let s = p.check();
    assert!(
        s.stderr.contains("erreur[ligne-trop-longue] : ligne de 40\u{202f}007 caractères"),
        "{}",
        s.stderr
    );
    assert!(s.stderr.contains("--> data/services/garage-commun.yaml:"), "{}", s.stderr);
    assert_eq!(s.code, 1);
}

/// `html_brut: true` let `<img src="https://…">` through although the site
/// promises no request to another site.
#[test]
fn raw_html_loading_an_outside_address() {
    let texte = "---\nobjet: rapport\ntitre: \"Édito\"\n---\nTexte <img src=\"https://x.fr/a.png\" alt=\"\"> fin.\n";
    // Escaped (shown as text) without html_brut: nothing to say.
    let p = Projet::new("html-echappe");
    p.write("content/edito.md", texte);
    assert_eq!(p.check().stderr, "");
    let p = Projet::new("html-externe");
    p.write("content/edito.md", texte);
    let config = fs::read_to_string(p.path("data/configuration.yaml")).unwrap();
    p.write("data/configuration.yaml", config + "html_brut: true\n");
    p.check().assert(
        1,
        &[&[
            "erreur[html-externe] : l'attribut « src » de <img> charge « https://x.fr/a.png », hors du site : le site ne fait aucune requête vers un autre site",
            "  --> content/edito.md:5:12",
            "  |",
            "5 | Texte <img src=\"https://x.fr/a.png\" alt=\"\"> fin.",
            "  |            ^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = attendu : un fichier du projet, par exemple « images/plan.png »",
            "  = aide : placez le fichier dans le dossier du projet (par exemple sous content/) et écrivez son chemin depuis le texte",
        ]],
        &errors(1),
    );
}

#[test]
fn blank_title_of_a_text() {
    let p = Projet::new("titre-blanc");
    p.write("content/edito.md", "---\nobjet: rapport\ntitre: \"  \"\n---\nTexte.\n");
    p.check().assert(
        0,
        &[&[
            "avertissement[titre-vide] : titre vide : le texte est affiché sans titre",
            "  --> content/edito.md:3:8",
            "  |",
            "3 | titre: \"  \"",
            "  |        ^^^^",
            "  = attendu : un titre, par exemple `titre: \"Bilan de l'année\"`",
            "  = aide : écrivez le titre ou supprimez la ligne `titre`",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn commune_name_differs_from_the_cog() {
    let p = Projet::new("nom-commune");
    p.replace_line("data/territoire.yaml", "    nom: Dirinon", "    nom: Dirinnon");
    p.check().assert(
        0,
        &[&[
            "avertissement[nom-commune-different] : le nom « Dirinnon » ne correspond pas au code INSEE 29045",
            "  --> data/territoire.yaml:18:10",
            "   |",
            "18 |     nom: Dirinnon",
            "   |          ^^^^^^^^",
            "  = attendu : « Dirinon » (nom officiel du COG)",
            "  = aide : vérifiez le code INSEE, ou reprenez le nom officiel",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn commune_outside_the_epci() {
    let p = Projet::new("commune-hors-epci");
    p.replace_line("data/territoire.yaml", "    nom: Dirinon", "    nom: Brest");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"29019\"");
    p.check().assert(
        0,
        &[&[
            "avertissement[commune-hors-epci] : Brest (29019) n'appartient pas à l'EPCI selon le référentiel officiel",
            "  --> data/territoire.yaml:20:12",
            "   |",
            "20 |     insee: \"29019\"",
            "   |            ^^^^^^^",
            "  = attendu : une des 22 communes membres de l'EPCI 242900801",
            "  = aide : vérifiez le code INSEE ; une commune d'un autre EPCI se déclare dans `partenaires`",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn epci_name_differs_from_the_official_one() {
    let p = Projet::new("nom-epci");
    p.replace_line(
        "data/territoire.yaml",
        "  nom: \"Communauté d'agglomération du Pays de Landerneau-Daoulas\"",
        "  nom: \"Communauté de communes du Pays de Landerneau\"",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[nom-epci-different] : le nom « Communauté de communes du Pays de Landerneau » diffère du nom officiel de ce SIREN",
            "  --> data/territoire.yaml:3:8",
            "  |",
            "3 |   nom: \"Communauté de communes du Pays de Landerneau\"",
            "  |        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = attendu : « CA du Pays de Landerneau-Daoulas » (référentiel officiel)",
            "  = aide : vérifiez le SIREN, ou reprenez le nom officiel",
        ]],
        OK_1_WARNING,
    );
}

// ---------------------------------------------------------------- the report: @ctes, dates, years

#[test]
fn actes_id_malformed() {
    let p = Projet::new("actes-mal-forme");
    p.replace_line(
        "data/rapport.yaml",
        "actes_id: 029-242900801-20240329-DCC2024_054-DE",
        "actes_id: 029-242900801-2024-03-29-DCC2024_054",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[actes-invalide] : identifiant @ctes « 029-242900801-2024-03-29-DCC2024_054 » mal formé",
            "  --> data/rapport.yaml:4:11",
            "  |",
            "4 | actes_id: 029-242900801-2024-03-29-DCC2024_054",
            "  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = attendu : DÉPARTEMENT-SIREN-AAAAMMJJ-NUMÉRO-NATURE, par exemple 029-242900801-20240329-DCC2024_054-DE",
            "  = aide : recopiez l'identifiant de l'accusé de réception de la préfecture ; la nature est DE pour une délibération",
        ]],
        &errors(1),
    );
}

#[test]
fn actes_id_inconsistent() {
    // Département, SIREN (CLCL's, a valid one), date and number all differ
    // from the report and the EPCI: one error each.
    let p = Projet::new("actes-incoherent");
    p.replace_line(
        "data/rapport.yaml",
        "actes_id: 029-242900801-20240329-DCC2024_054-DE",
        "actes_id: 056-242900793-20240328-DCC2024_055-DE",
    );
    let actes = |what: &str, got: &str, want: &str| -> Vec<String> {
        vec![
            format!("erreur[actes-incoherent] : identifiant @ctes incohérent : {what} « {got} » au lieu de « {want} »"),
            "  --> data/rapport.yaml:4:11".into(),
            "  |".into(),
            "4 | actes_id: 056-242900793-20240328-DCC2024_055-DE".into(),
            "  |           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^".into(),
            format!("  = attendu : un identifiant dont {what} est « {want} »"),
            "  = aide : vérifiez l'identifiant sur l'accusé de réception, ou les données du rapport et de l'EPCI".into(),
        ]
    };
    let expected = [
        actes("la date", "20240328", "20240329"),
        actes("le SIREN", "242900793", "242900801"),
        actes("le département", "056", "029"),
        actes("le numéro de délibération", "DCC2024_055", "DCC2024_054"),
    ];
    let expected: Vec<Vec<&str>> = expected.iter().map(|d| d.iter().map(String::as_str).collect()).collect();
    let expected: Vec<&[&str]> = expected.iter().map(Vec::as_slice).collect();
    p.check().assert(1, &expected, &errors(4));
}

#[test]
fn transmission_before_the_conseil() {
    // Checked even without an @ctes identifier.
    let p = Projet::new("transmission");
    p.replace_line("data/rapport.yaml", "actes_id: 029-242900801-20240329-DCC2024_054-DE", "");
    p.replace_line("data/rapport.yaml", "  envoi: 2024-04-03", "  envoi: 2024-03-28");
    p.check().assert(
        1,
        &[&[
            "erreur[date-incoherente] : la transmission en préfecture (28 mars 2024) précède la date du conseil (29 mars 2024)",
            "  --> data/rapport.yaml:8:10",
            "  |",
            "8 |   envoi: 2024-03-28",
            "  |          ^^^^^^^^^^",
            "  = attendu : une date postérieure ou égale au 29 mars 2024",
            "  = aide : vérifiez les deux dates (`date_conseil` et `transmission.envoi`)",
        ]],
        &errors(1),
    );
}

#[test]
fn exercice_outside_the_mandate() {
    let p = Projet::new("hors-mandat");
    p.replace_line("data/schema.yaml", "  debut: 2020", "  debut: 2024");
    p.check().assert(
        1,
        &[&[
            "erreur[annee-hors-mandat] : l'exercice 2023 est hors du mandat 2024-2026",
            "  --> data/rapport.yaml:1:11",
            "  |",
            "1 | exercice: 2023",
            "  |           ^^^^",
            "  = attendu : une année entre 2024 et 2026",
            "  = aide : mettez à jour `mandat` dans data/schema.yaml, ou corrigez l'exercice du rapport",
        ]],
        &errors(1),
    );
}

#[test]
fn mandate_ending_before_it_starts() {
    let p = Projet::new("mandat-inverse");
    p.replace_line("data/schema.yaml", "  fin: 2026", "  fin: 2014");
    p.check().assert(
        1,
        &[&[
            "erreur[annee-incoherente] : le mandat se termine (2014) avant de commencer (2020)",
            "  --> data/schema.yaml:4:8",
            "  |",
            "4 |   fin: 2014",
            "  |        ^^^^",
            "  = attendu : une année de fin postérieure à l'année de début",
            "  = aide : un mandat municipal dure six ans, par exemple 2020 à 2026",
        ]],
        &errors(1),
    );
}

#[test]
fn balance_of_a_future_year() {
    let p = Projet::new("annee-future");
    p.replace_lines("data/services/garage-commun.yaml", "  - exercice: 2023", "  - exercice: 2024", 2);
    let future = |line: &str| -> Vec<String> {
        let pad = " ".repeat(line.len());
        vec![
            "erreur[annee-future] : l'exercice 2024 est postérieur à celui du rapport (2023)".into(),
            format!("  --> data/services/garage-commun.yaml:{line}:15"),
            format!("{pad} |"),
            format!("{line} |   - exercice: 2024"),
            format!("{pad} |               ^^^^"),
            "  = attendu : un exercice jusqu'à 2023".into(),
            "  = aide : un bilan ou une répartition ne porte que sur un exercice clos ; vérifiez l'année".into(),
        ]
    };
    let (a, b) = (future("9"), future("18"));
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let b: Vec<&str> = b.iter().map(String::as_str).collect();
    p.check().assert(1, &[&a, &b], &errors(2));
}

#[test]
fn invalid_date() {
    let p = Projet::new("date-invalide");
    p.replace_line("data/rapport.yaml", "date_conseil: 2024-03-29", "date_conseil: 2023-02-30");
    p.check().assert(
        1,
        &[&[
            "erreur[date-invalide] : date invalide : « 2023-02-30 » (dans `date_conseil`)",
            "  --> data/rapport.yaml:2:15",
            "  |",
            "2 | date_conseil: 2023-02-30",
            "  |               ^^^^^^^^^^",
            "  = attendu : une date réelle au format AAAA-MM-JJ (2024-03-29) ou JJ/MM/AAAA (29/03/2024)",
            "  = aide : vérifiez le jour et le mois (un 31 avril n'existe pas)",
        ]],
        &errors(1),
    );
}

// ---------------------------------------------------------------- values

#[test]
fn invalid_amount_text() {
    let p = Projet::new("montant-invalide");
    p.replace_line(
        "data/cles.yaml",
        "    beneficiaires: communes",
        "    beneficiaires: communes\n    tarif: \"12,3,4 €\"",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[montant-invalide] : montant illisible : « 12,3,4 € » (dans `cles[1].tarif`)",
            "  --> data/cles.yaml:13:12",
            "   |",
            "13 |     tarif: \"12,3,4 €\"",
            "   |            ^^^^^^^^^^",
            "  = attendu : un montant en euros, par exemple 257119.00 ou \"257 119,00 €\"",
            "  = aide : utilisez des chiffres, la virgule ou le point pour les centimes, et des espaces pour les milliers",
        ]],
        &errors(1),
    );
}

#[test]
fn invalid_number() {
    let p = Projet::new("nombre-invalide");
    p.replace_line("data/cles.yaml", "      capld: 50", "      capld: cinquante");
    p.check().assert(
        1,
        &[&[
            "erreur[nombre-invalide] : nombre illisible : « cinquante » (dans `cles[0].valeurs.capld`)",
            "  --> data/cles.yaml:6:14",
            "  |",
            "6 |       capld: cinquante",
            "  |              ^^^^^^^^^",
            "  = attendu : un nombre, par exemple 14.2 ou \"14,2\"",
            "  = aide : écrivez le nombre sans unité",
        ]],
        &errors(1),
    );
}

#[test]
fn invalid_percentage() {
    let p = Projet::new("pourcentage-invalide");
    p.replace_line(
        "data/cles.yaml",
        "    beneficiaires: communes",
        "    beneficiaires: communes\n    prise_en_charge_epci:\n      part: 120 % # de la part de l'EPCI",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[pourcentage-invalide] : pourcentage illisible ou hors de 0 à 100 : « 120 % » (dans `cles[1].prise_en_charge_epci.part`)",
            "  --> data/cles.yaml:14:13",
            "   |",
            "14 |       part: 120 % # de la part de l'EPCI",
            "   |             ^^^^^",
            "  = attendu : un pourcentage entre 0 et 100, par exemple 50 ou \"20,84 %\"",
            "  = aide : un pourcentage s'écrit en points : 50 pour 50 %, pas 0.5",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_enum_value_with_suggestion() {
    let p = Projet::new("valeur-inconnue");
    p.replace_line("data/fiches/achats-groupes.yaml", "statut: en_cours", "statut: en-cour");
    p.check().assert(
        1,
        &[&[
            "erreur[valeur-inconnue] : valeur « en-cour » non reconnue (dans `statut`)",
            "  --> data/fiches/achats-groupes.yaml:5:9",
            "  |",
            "5 | statut: en-cour",
            "  |         ^^^^^^^",
            "  = attendu : une des valeurs : a_engager, en_reflexion, en_cours, realisee, reportee, abandonnee",
            "  = aide : vouliez-vous dire « en_cours » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_beneficiaries_with_suggestion() {
    let p = Projet::new("beneficiaires");
    p.replace_line(
        "data/fiches/achats-groupes.yaml",
        "collectivites_interessees: communes",
        "collectivites_interessees: commune",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[valeur-inconnue] : valeur « commune » non reconnue (dans `collectivites_interessees`)",
            "  --> data/fiches/achats-groupes.yaml:6:28",
            "  |",
            "6 | collectivites_interessees: commune",
            "  |                            ^^^^^^^",
            "  = attendu : « communes », « membres », « toutes » ou une liste d'identifiants",
            "  = aide : vouliez-vous dire « communes » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn ambiguous_amount_with_a_point_before_three_digits() {
    // A French user writes 1 200 € as `1.200`; YAML reads 1,2 €.
    let p = Projet::new("nombre-ambigu-montant");
    p.replace_line("data/services/garage-commun.yaml", "        montant: 1200.00", "        montant: 1.200");
    p.check().assert(
        1,
        &[&[
            "erreur[nombre-ambigu] : nombre ambigu : « 1.200 » se lit 1200 (point des milliers) ou 1,2 (point décimal) (dans `bilans[0].depenses[0].montant`)",
            "  --> data/services/garage-commun.yaml:13:18",
            "   |",
            "13 |         montant: 1.200",
            "   |                  ^^^^^",
            "  = attendu : 1200 ou \"1 200\" pour 1200 ; \"1,2\" pour 1,2",
            "  = aide : un point suivi de trois chiffres sépare les milliers en français mais marque les décimales en YAML : mutu ne devine pas, écrivez le nombre sans point",
        ]],
        &errors(1),
    );
}

#[test]
fn ambiguous_base_value() {
    let p = Projet::new("nombre-ambigu-base");
    p.replace_line("data/cles.yaml", "      capld: 50", "      capld: 50.000");
    p.check().assert(
        1,
        &[&[
            "erreur[nombre-ambigu] : nombre ambigu : « 50.000 » se lit 50000 (point des milliers) ou 50 (point décimal) (dans `cles[0].valeurs.capld`)",
            "  --> data/cles.yaml:6:14",
            "  |",
            "6 |       capld: 50.000",
            "  |              ^^^^^^",
            "  = attendu : 50000 ou \"50 000\" pour 50000 ; \"50\" pour 50",
            "  = aide : un point suivi de trois chiffres sépare les milliers en français mais marque les décimales en YAML : mutu ne devine pas, écrivez le nombre sans point",
        ]],
        &errors(1),
    );
}

#[test]
fn unambiguous_decimals_are_read() {
    // The French decimal comma and a point before one or two digits read one way only.
    let p = Projet::new("nombre-non-ambigu");
    p.replace_line("data/services/garage-commun.yaml", "        montant: 1200.00", "        montant: \"1199,500\"");
    p.replace_line("data/services/garage-commun.yaml", "        montant: 800.00", "        montant: 800.5");
    p.replace_line("data/cles.yaml", "      capld: 50", "      capld: 50.00");
    p.check().assert(0, &[], "vérification terminée : 0 erreur, 0 avertissement");
}

// ---------------------------------------------------------------- distribution keys and allocations

#[test]
fn fixed_shares_not_summing_to_100() {
    let p = Projet::new("parts-hors-100");
    p.replace_line("data/cles.yaml", "      landerneau: 50", "      landerneau: 40");
    p.check().assert(
        1,
        &[&[
            "erreur[parts-hors-100] : les parts forfaitaires totalisent 90 % au lieu de 100 %",
            "  --> data/cles.yaml:5:5",
            "  |",
            "5 |     valeurs:",
            "  |     ^^^^^^^",
            "  = attendu : des parts en pourcentage dont la somme fait exactement 100",
            "  = aide : il manque 10 points ; corrigez une des parts",
        ]],
        &errors(1),
    );
}

#[test]
fn fixed_shares_over_100() {
    let p = Projet::new("parts-plus-de-100");
    p.replace_line("data/cles.yaml", "      landerneau: 50", "      landerneau: 51.5");
    p.check().assert(
        1,
        &[&[
            "erreur[parts-hors-100] : les parts forfaitaires totalisent 101,5 % au lieu de 100 %",
            "  --> data/cles.yaml:5:5",
            "  |",
            "5 |     valeurs:",
            "  |     ^^^^^^^",
            "  = attendu : des parts en pourcentage dont la somme fait exactement 100",
            "  = aide : 1,5 point de trop ; corrigez une des parts",
        ]],
        &errors(1),
    );
}

#[test]
fn missing_population_for_the_millesime() {
    // Reported once, by the check of the key, not again by the allocation.
    let p = Projet::new("population-manquante");
    p.replace_line("data/territoire.yaml", "        municipale: 2206", "        dgf: 2300");
    p.check().assert(
        1,
        &[&[
            "erreur[population-manquante] : population municipale 2023 absente pour « dirinon », nécessaire à la clé « population-communes »",
            "  --> data/cles.yaml:11:5",
            "   |",
            "11 |     millesime: 2023",
            "   |     ^^^^^^^^^",
            "  = attendu : `populations: { 2023: { municipale: … } }` pour « dirinon » dans data/territoire.yaml",
            "  = aide : ajoutez la population de ce millésime, ou changez le millésime de la clé",
        ]],
        &errors(1),
    );
}

#[test]
fn negative_base_value() {
    let p = Projet::new("valeur-negative");
    p.replace_line("data/cles.yaml", "      capld: 50", "      capld: 150");
    p.replace_line("data/cles.yaml", "      landerneau: 50", "      landerneau: -50");
    p.check().assert(
        1,
        &[&[
            "erreur[valeur-negative] : valeur de base négative pour « landerneau »",
            "  --> data/cles.yaml:7:19",
            "  |",
            "7 |       landerneau: -50",
            "  |                   ^^^",
            "  = attendu : une valeur positive ou nulle",
            "  = aide : une clé de répartition ne peut pas attribuer une part négative",
        ]],
        &errors(1),
    );
}

#[test]
fn epci_share_given_twice() {
    let p = Projet::new("prise-en-charge-ambigue");
    p.replace_line(
        "data/cles.yaml",
        "    beneficiaires: communes",
        "    beneficiaires: communes\n    prise_en_charge_epci:\n      montant: 100\n      part: 20",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[prise-en-charge-ambigue] : la prise en charge par l'EPCI doit indiquer soit un montant, soit une part",
            "  --> data/cles.yaml:13:5",
            "   |",
            "13 |     prise_en_charge_epci:",
            "   |     ^^^^^^^^^^^^^^^^^^^^",
            "  = attendu : `montant: 80000` ou `part: 20` (en %), mais pas les deux",
            "  = aide : gardez une seule des deux clés",
        ]],
        &errors(1),
    );
}

#[test]
fn reversed_pro_rata_period() {
    let p = Projet::new("prorata");
    p.replace_line(
        "data/cles.yaml",
        "    beneficiaires: communes",
        "    beneficiaires: communes\n    prorata:\n      dirinon:\n        du: 2023-07-01\n        au: 2023-03-31",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[date-incoherente] : période de prorata inversée pour « dirinon »",
            "  --> data/cles.yaml:14:7",
            "   |",
            "14 |       dirinon:",
            "   |       ^^^^^^^",
            "  = attendu : `du:` antérieur à `au:`",
            "  = aide : inversez les deux dates",
        ]],
        &errors(1),
    );
}

#[test]
fn part_de_on_the_first_step() {
    let p = Projet::new("part-de-premiere-etape");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "      - cle: forfait-garage",
        "      - cle: forfait-garage\n        part_de: landerneau",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[etape-invalide] : la première étape répartit le montant total : elle ne peut pas avoir `part_de`",
            "  --> data/services/garage-commun.yaml:23:9",
            "   |",
            "23 |         part_de: landerneau",
            "   |         ^^^^^^^",
            "  = attendu : une première étape avec seulement `cle:`",
            "  = aide : retirez `part_de` de la première étape",
        ]],
        &errors(1),
    );
}

#[test]
fn later_step_without_part_de() {
    // The allocation is not computed as if the step re-split the whole
    // amount (which doubled the total and added a misleading warning).
    let p = Projet::new("etape-sans-part-de");
    p.replace_line("data/services/garage-commun.yaml", "        part_de: capld", "");
    p.check().assert(
        1,
        &[&[
            "erreur[etape-invalide] : une étape suivante doit dire quelle part elle répartit",
            "  --> data/services/garage-commun.yaml:23:9",
            "   |",
            "23 |       - cle: population-communes",
            "   |         ^^^",
            "  = attendu : `part_de: <identifiant>` : un bénéficiaire d'une étape précédente",
            "  = aide : par exemple `part_de: capld` pour répartir la part de l'EPCI entre ses communes",
        ]],
        &errors(1),
    );
}

#[test]
fn allocation_without_steps() {
    let p = Projet::new("repartition-vide");
    p.replace_line("data/services/garage-commun.yaml", "    etapes:", "");
    p.replace_line("data/services/garage-commun.yaml", "      - cle: forfait-garage", "");
    p.replace_line("data/services/garage-commun.yaml", "      - cle: population-communes", "");
    p.replace_line("data/services/garage-commun.yaml", "        part_de: capld", "");
    p.check().assert(
        1,
        &[&[
            "erreur[repartition-vide] : la répartition « Coût du garage » n'indique ni clé ni montants",
            "  --> data/services/garage-commun.yaml:19:5",
            "   |",
            "19 |     libelle: \"Coût du garage\"",
            "   |     ^^^^^^^",
            "  = attendu : `etapes:` (une ou plusieurs clés) ou `montants_constates:`",
            "  = aide : ajoutez `etapes: [{cle: …}]`",
        ]],
        &errors(1),
    );
}

#[test]
fn allocation_without_an_amount() {
    let p = Projet::new("montant-manquant");
    p.replace_nth("data/services/garage-commun.yaml", "    taxes: ttc", "    taxes: ht", 2);
    p.check().assert(
        1,
        &[&[
            "erreur[montant-manquant] : répartition « Coût du garage » : aucun montant à répartir",
            "  --> data/services/garage-commun.yaml:19:14",
            "   |",
            "19 |     libelle: \"Coût du garage\"",
            "   |              ^^^^^^^^^^^^^^^^",
            "  = attendu : `montant:` dans la répartition, ou un bilan 2023 HT du service « Garage commun »",
            "  = aide : indiquez le montant à répartir, ou ajoutez le bilan de l'exercice",
        ]],
        &errors(1),
    );
}

#[test]
fn key_without_values_for_the_year() {
    let p = Projet::new("valeurs-manquantes");
    p.replace_line("data/cles.yaml", "    valeurs:", "    valeurs_par_exercice:\n     2022:");
    p.replace_line("data/cles.yaml", "      capld: 50", "        capld: 50");
    p.replace_line("data/cles.yaml", "      landerneau: 50", "        landerneau: 50");
    p.replace_line("data/cles.yaml", "     2022:", "      2022:");
    p.check().assert(
        1,
        &[&[
            "erreur[valeurs-manquantes] : la clé « forfait-garage » n'a pas de valeurs pour l'exercice 2023",
            "  --> data/services/garage-commun.yaml:22:14",
            "   |",
            "22 |       - cle: forfait-garage",
            "   |              ^^^^^^^^^^^^^^",
            "  = attendu : `valeurs_par_exercice: { 2023: … }` ou `valeurs:` dans la clé « forfait-garage »",
            "  = aide : ajoutez les valeurs de base de cet exercice dans data/cles.yaml",
        ]],
        &errors(1),
    );
}

#[test]
fn epci_share_larger_than_the_amount() {
    let p = Projet::new("prise-en-charge-excessive");
    p.replace_line(
        "data/cles.yaml",
        "    beneficiaires: communes",
        "    beneficiaires: communes\n    prise_en_charge_epci:\n      montant: 5000",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[prise-en-charge-excessive] : la prise en charge de l'EPCI (5\u{202f}000,00\u{a0}€) dépasse le montant à répartir (1\u{202f}000,00\u{a0}€)",
            "  --> data/services/garage-commun.yaml:23:14",
            "   |",
            "23 |       - cle: population-communes",
            "   |              ^^^^^^^^^^^^^^^^^^^",
            "  = aide : vérifiez la prise en charge de la clé",
        ]],
        &errors(1),
    );
}

#[test]
fn declared_total_that_does_not_add_up() {
    let p = Projet::new("total-incoherent");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "    total_depenses_declare: 2000.00",
        "    total_depenses_declare: 2100.00",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[total-incoherent] : Total des dépenses 2023 du service « Garage commun » : 2\u{202f}100,00\u{a0}€ publié, 2\u{202f}000,00\u{a0}€ calculé (écart +100,00\u{a0}€)",
            "  --> data/services/garage-commun.yaml:16:29",
            "   |",
            "16 |     total_depenses_declare: 2100.00",
            "   |                             ^^^^^^^",
            "  = attendu : la somme des parties : 2\u{202f}000,00\u{a0}€",
            "  = aide : le total publié ne correspond pas à la somme de ses parties ; mutu affiche le total calculé. Vérifiez les lignes ou le total recopié",
        ]],
        OK_1_WARNING,
    );
}

/// Issue 23, items 3 and 4: a chart kind the data cannot show is said by
/// `check` (the chart drawn instead, why, what to write), and an overall
/// value entered beside per-member values is a warning of its own, never a
/// published total checked against the sum (no `total-incoherent`, no
/// control).
#[test]
fn chart_not_drawn_as_asked_and_overall_value_beside_members() {
    let p = Projet::new("graphique-non-suivi");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "bilans:",
        "indicateurs:\n  - id: or\n    libelle: \"Ordres de réparation\"\n    valeurs: {2022: 10, 2023: 12}\n    graphique: barres_empilees\n  - id: heures\n    libelle: \"Heures\"\n    valeurs: {2023: 100}\n    par_membre:\n      daoulas: {2022: 30, 2023: 40}\n      dirinon: {2023: 50}\n      landerneau: {2023: 20}\n    graphique: courbe\nbilans:",
    );
    let s = p.check();
    s.assert(
        0,
        &[
            &[
                "avertissement[graphique-non-suivi] : indicateur « Ordres de réparation » : le graphique « barres_empilees » demandé est tracé en barres ; l'indicateur n'a qu'une série (aucune valeur par organisme) : des barres empilées n'auraient qu'un étage",
                "  --> data/services/garage-commun.yaml:12:16",
                "   |",
                "12 |     graphique: barres_empilees",
                "   |                ^^^^^^^^^^^^^^^",
                "  = attendu : un graphique possible pour ces données : barres",
                "  = aide : écrivez « graphique: barres », ou donnez les valeurs par organisme (par_membre) pour les empiler",
            ],
            &[
                "avertissement[indicateur-valeur-ignoree] : indicateur « Heures », 2023 : la valeur d'ensemble 100 n'est pas retenue, l'indicateur vaut la somme des valeurs par organisme (110)",
                "  --> data/services/garage-commun.yaml:15:21",
                "   |",
                "15 |     valeurs: {2023: 100}",
                "   |                     ^^^",
                "  = attendu : une seule source pour 2023 : les valeurs par organisme (par_membre) ou la valeur d'ensemble (valeurs)",
                "  = aide : supprimez la valeur 2023 de « valeurs » ; si c'est un total publié à contrôler, écrivez-le dans « total_declare »",
            ],
            &[
                "avertissement[graphique-non-suivi] : indicateur « Heures » : le graphique « courbe » demandé est tracé en barres ; une seule année a une valeur pour chaque organisme : le graphique compare les organismes de cette année",
                "  --> data/services/garage-commun.yaml:20:16",
                "   |",
                "20 |     graphique: courbe",
                "   |                ^^^^^^",
                "  = attendu : un graphique possible pour ces données : barres",
                "  = aide : écrivez « graphique: barres » (ou « anneau »), ou complétez les valeurs par organisme des autres années",
            ],
        ],
        "vérification terminée : 0 erreur, 3 avertissements",
    );
    // Only the two published totals of the fixture are controls.
    assert!(s.stdout.contains("contrôles des totaux publiés : conformes : 2, écarts : 0"), "{}", s.stdout);
}

/// `pdf.sans_detail` names kinds of per-member tables: an unknown one is
/// an error with the accepted values and the nearest.
#[test]
fn unknown_kind_of_detail_left_out_of_the_pdf() {
    let p = Projet::new("sans-detail-inconnu");
    p.replace_line(
        "data/configuration.yaml",
        "titre: \"Mutualisation des services — projet minimal de test\"",
        "titre: \"Mutualisation des services — projet minimal de test\"\npdf:\n  sans_detail: [titres, adherent]",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[valeur-inconnue] : valeur « adherent » non reconnue (dans `pdf.sans_detail[1]`)",
            "  --> data/configuration.yaml:4:25",
            "  |",
            "4 |   sans_detail: [titres, adherent]",
            "  |                         ^^^^^^^^",
            "  = attendu : une des valeurs : adherents, activite, repartitions, contributions, titres_de_recettes, evolutions",
            "  = aide : vouliez-vous dire « adherents » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn adhesion_during_the_year_without_pro_rata() {
    let p = Projet::new("adhesion-sans-prorata");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "adherents: [{membre: capld}, {membre: landerneau},",
        "adherents: [{membre: capld, depuis: 2023-04-01}, {membre: landerneau},",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[adhesion-sans-prorata] : « capld » n'adhère au service « garage-commun » que 9 mois sur 12 en 2023 (depuis le 1ᵉʳ avril 2023), mais la clé « forfait-garage » lui fait payer l'année entière",
            "  --> data/services/garage-commun.yaml:5:37",
            "  |",
            "5 | adherents: [{membre: capld, depuis: 2023-04-01}, {membre: landerneau},",
            "  |                                     ^^^^^^^^^^",
            "  = attendu : un prorata dans la clé « forfait-garage » (data/cles.yaml, ligne 2) : `prorata: {capld: {du: 2023-04-01}}`",
            "  = aide : ajoutez ce prorata à la clé, ou corrigez la date d'adhésion si elle est fausse",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn key_charging_a_body_that_does_not_adhere_to_the_service() {
    // The commune's part comes from the second step (the EPCI's part
    // re-split among the communes): charged, yet absent from `adherents:`.
    let p = Projet::new("non-adherent");
    p.replace_line("data/services/garage-commun.yaml", "  {membre: daoulas},", "  # daoulas retiré");
    p.check().assert(
        0,
        &[&[
            "avertissement[non-adherent] : la clé « population-communes » fait payer 91,36\u{a0}€ à « Daoulas » pour le service « Garage commun », sans qu'il en soit adhérent",
            "  --> data/services/garage-commun.yaml:23:14",
            "   |",
            "23 |       - cle: population-communes",
            "   |              ^^^^^^^^^^^^^^^^^^^",
            "  = attendu : « daoulas » parmi les `adherents:` du service « garage-commun »",
            "  = aide : ajoutez `- membre: daoulas` aux adhérents du service, ou retirez-le des bénéficiaires de la clé « population-communes »",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn bodies_charged_without_adhering_are_listed_in_one_diagnostic() {
    // Two communes left out of `adherents:`: one warning naming both (at
    // 158 communes, one per commune made some 1,500 lines).
    let p = Projet::new("non-adherents");
    p.replace_line("data/services/garage-commun.yaml", "  {membre: daoulas},", "").replace_line(
        "data/services/garage-commun.yaml",
        "  {membre: dirinon}]",
        "  ]",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[non-adherent] : la clé « population-communes » fait payer 2 organismes pour le service « Garage commun », sans qu'ils en soient adhérents : « Daoulas » (91,36\u{a0}€), « Dirinon » (109,95\u{a0}€)",
            "  --> data/services/garage-commun.yaml:22:14",
            "   |",
            "22 |       - cle: population-communes",
            "   |              ^^^^^^^^^^^^^^^^^^^",
            "  = attendu : ces 2 organismes parmi les `adherents:` du service « garage-commun »",
            "  = aide : ajoutez-les aux adhérents du service (quand toutes les communes membres adhèrent, une ligne suffit : `adherents: toutes-les-communes`), ou retirez-les des bénéficiaires de la clé « population-communes »",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn every_member_commune_adheres_in_one_line() {
    // `adherents: toutes-les-communes`: the three communes adhere, nobody
    // is charged without adhering (the EPCI carries the service).
    let p = Projet::new("toutes-les-communes");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "adherents: [{membre: capld}, {membre: landerneau},",
        "adherents: toutes-les-communes",
    )
    .replace_line("data/services/garage-commun.yaml", "  {membre: daoulas},", "")
    .replace_line("data/services/garage-commun.yaml", "  {membre: dirinon}]", "");
    let s = p.check();
    s.assert(0, &[], "vérification terminée : 0 erreur, 0 avertissement");
    // The list form: the entry's date applies to every commune not listed.
    p.replace_line(
        "data/services/garage-commun.yaml",
        "adherents: toutes-les-communes",
        "adherents: [{membre: landerneau}, {membre: toutes-les-communes, depuis: 2023-04-01}]",
    );
    let s = p.check();
    let d = s.diagnostics();
    assert_eq!(d.len(), 2, "{}", s.stderr);
    assert!(d[0].starts_with("avertissement[adhesion-sans-prorata] : « dirinon » n'adhère au service « garage-commun » que 9 mois sur 12 en 2023 (depuis le 1ᵉʳ avril 2023), mais la clé « population-communes » lui fait payer l'année entière"), "{}", s.stderr);
    assert!(d[1].starts_with("avertissement[adhesion-sans-prorata] : « daoulas » n'adhère au service « garage-commun » que 9 mois sur 12 en 2023 (depuis le 1ᵉʳ avril 2023), mais la clé « population-communes » lui fait payer l'année entière"), "{}", s.stderr);
    // A misspelt word.
    p.replace_line(
        "data/services/garage-commun.yaml",
        "adherents: [{membre: landerneau}, {membre: toutes-les-communes, depuis: 2023-04-01}]",
        "adherents: toutes-communes",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[valeur-inconnue] : valeur « toutes-communes » non reconnue (dans `adherents`)",
            "  --> data/services/garage-commun.yaml:5:12",
            "  |",
            "5 | adherents: toutes-communes",
            "  |            ^^^^^^^^^^^^^^^",
            "  = attendu : « toutes-les-communes » ou une liste d'adhésions (« - membre: <identifiant> »)",
            "  = aide : vouliez-vous dire « toutes-les-communes » ?",
        ]],
        &errors(1),
    );
}

#[test]
fn a_template_example_left_in_place() {
    // What `mutu new` writes on each example: reported where it stands, in
    // a comment (capitals) as in a value (any case).
    let p = Projet::new("modele-non-remplace");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "nom: \"Garage commun\"",
        "# EXEMPLE À REMPLACER : ce service d'exemple.\nnom: \"Garage commun\"",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[modele-non-remplace] : « EXEMPLE À REMPLACER » : un exemple du modèle de « mutu new » n'a pas été remplacé, le document est un projet",
            "  --> data/services/garage-commun.yaml:2:3",
            "  |",
            "2 | # EXEMPLE À REMPLACER : ce service d'exemple.",
            "  |   ^^^^^^^^^^^^^^^^^^^",
            "  = aide : remplacez l'exemple par votre contenu (ou supprimez-le), puis retirez la mention ; tant qu'il en reste une, chaque page du site et du PDF porte la mention « Projet — document non définitif »",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn pro_rata_that_disagrees_with_the_adhesion() {
    let p = Projet::new("prorata-adhesion");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "adherents: [{membre: capld}, {membre: landerneau},",
        "adherents: [{membre: capld, depuis: 2023-04-01}, {membre: landerneau},",
    );
    p.replace_line(
        "data/cles.yaml",
        "      landerneau: 50",
        "      landerneau: 50\n    prorata:\n      capld: {du: 2023-05-01}",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[prorata-adhesion] : le prorata de « capld » dans la clé « forfait-garage » compte 8 mois sur 12 en 2023, mais son adhésion au service « garage-commun » en couvre 9",
            "  --> data/cles.yaml:9:19",
            "  |",
            "9 |       capld: {du: 2023-05-01}",
            "  |                   ^^^^^^^^^^",
            "  = attendu : la période de l'adhésion (data/services/garage-commun.yaml, ligne 5) : depuis le 1ᵉʳ avril 2023",
            "  = aide : alignez `du:` et `au:` du prorata sur `depuis:` et `jusqu_au:` de l'adhésion, ou corrigez la date d'adhésion",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn pro_rata_that_agrees_with_the_adhesion() {
    // Joined on 15 April, pro rata from 1 May: both count the 8 whole months left.
    let p = Projet::new("prorata-accord");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "adherents: [{membre: capld}, {membre: landerneau},",
        "adherents: [{membre: capld, depuis: 2023-04-15}, {membre: landerneau},",
    );
    p.replace_line(
        "data/cles.yaml",
        "      landerneau: 50",
        "      landerneau: 50\n    prorata:\n      capld: {du: 2023-05-01}",
    );
    p.check().assert(0, &[], "vérification terminée : 0 erreur, 0 avertissement");
}

// ---------------------------------------------------------------- files

#[test]
fn empty_file() {
    let p = Projet::new("fichier-vide");
    p.write("data/schema.yaml", "# à compléter\n");
    p.check().assert(
        1,
        &[&[
            "erreur[fichier-vide] : le fichier ne contient aucune donnée",
            "  --> data/schema.yaml:1:1",
            "  |",
            "1 | # à compléter",
            "  | ^",
            "  = attendu : un document YAML décrivant les données attendues pour ce fichier",
            "  = aide : complétez le fichier (voir « mutu aide format ») ou, s'il est facultatif, supprimez-le",
        ]],
        &errors(1),
    );
}

#[test]
fn file_not_in_utf8() {
    let p = Projet::new("encodage");
    p.write(
        "data/schema.yaml",
        b"titre: \"Sch\xe9ma de mutualisation\"\nmandat:\n  debut: 2020\n  fin: 2026\n",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[encodage-invalide] : le fichier n'est pas encodé en UTF-8 : octet 0xE9 invalide",
            "  --> data/schema.yaml:1:12",
            "  |",
            "1 | titre: \"Sch\u{fffd}ma de mutualisation\"",
            "  |            ^",
            "  = attendu : un fichier texte en UTF-8",
            "  = aide : dans votre éditeur, enregistrez le fichier avec l'encodage « UTF-8 » (et non « Windows-1252 » ou « ISO-8859-1 »)",
        ]],
        &errors(1),
    );
}

#[test]
fn front_matter_not_closed() {
    let p = Projet::new("entete-non-fermee");
    p.write(
        "content/edito.md",
        "---\nobjet: rapport\ntitre: \"Édito\"\nLe garage commun entretient les véhicules.\n",
    );
    p.check().assert(
        1,
        &[&[
            "erreur[entete-non-fermee] : en-tête YAML non fermé",
            "  --> content/edito.md:1:1",
            "  |",
            "1 | ---",
            "  | ^^^",
            "  = attendu : une ligne « --- » qui ferme l'en-tête",
            "  = aide : ajoutez une ligne contenant seulement « --- » après les champs de l'en-tête",
        ]],
        &errors(1),
    );
}

#[test]
fn markdown_without_front_matter() {
    let p = Projet::new("entete-manquante");
    p.write("content/edito.md", "# Édito\n\nLe garage commun entretient les véhicules.\n");
    p.check().assert(
        1,
        &[&[
            "erreur[entete-manquante] : page Markdown sans en-tête YAML",
            "  --> content/edito.md:1:1",
            "  |",
            "1 | # Édito",
            "  | ^",
            "  = attendu : un en-tête entre deux lignes « --- » au début du fichier, avec au moins `objet:`",
            "  = aide : ajoutez en tête du fichier :",
            "           ---",
            "           objet: page",
            "           titre: …",
            "           ---",
        ]],
        &errors(1),
    );
}

#[test]
fn syntax_error_in_front_matter_is_at_the_file_line() {
    let p = Projet::new("entete-syntaxe");
    p.replace_line("content/edito.md", "titre: \"Édito\"", "\ttitre: \"Édito\"");
    p.check().assert(
        1,
        &[&[
            "erreur[syntaxe-yaml] : syntaxe YAML invalide : tabulation interdite dans l'indentation",
            "  --> content/edito.md:3:1",
            "  |",
            "3 |  titre: \"Édito\"",
            "  | ^",
            "  = attendu : une indentation faite d'espaces uniquement",
            "  = aide : remplacez les tabulations par des espaces (deux espaces par niveau)",
        ]],
        &errors(1),
    );
}

#[test]
fn page_without_id() {
    let p = Projet::new("page-sans-id");
    p.write("content/pages/contact.md", "---\nobjet: page\ntitre: Contact\n---\nÉcrivez-nous.\n");
    p.check().assert(
        1,
        &[&[
            "erreur[champ-manquant] : champ obligatoire « id » absent pour une page libre",
            "  --> content/pages/contact.md:2:1",
            "  |",
            "2 | objet: page",
            "  | ^^^^^",
            "  = attendu : `id:` : le nom de la page dans l'adresse, par exemple `mentions-legales`",
            "  = aide : ajoutez `id: …` dans l'en-tête",
        ]],
        &errors(1),
    );
}

#[test]
fn unknown_data_file() {
    let p = Projet::new("fichier-ignore");
    let text = fs::read_to_string(p.path("data/territoire.yaml")).unwrap();
    p.write("data/territoires.yaml", text);
    p.check().assert(
        0,
        &[&[
            "avertissement[fichier-ignore] : fichier non reconnu, ignoré : data/territoires.yaml",
            "  --> data/territoires.yaml:1:1",
            "  = attendu : un des fichiers data/territoire.yaml, data/schema.yaml, data/rapport.yaml, data/cles.yaml, data/axes.yaml, data/commande_publique.yaml, data/effectifs.yaml, data/configuration.yaml ou un fichier dans data/services/ ou data/fiches/",
            "  = aide : vouliez-vous dire « data/territoire.yaml » ?",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn missing_required_file() {
    // A misnamed file: the missing one is an error, the unknown one a
    // warning, both in the same run.
    let p = Projet::new("fichier-manquant");
    p.rename("data/territoire.yaml", "data/territoires.yaml");
    p.check().assert(
        1,
        &[
            &[
                "erreur[fichier-manquant] : fichier obligatoire absent : data/territoire.yaml",
                "  = attendu : le fichier data/territoire.yaml, qui décrit l'EPCI, ses membres et ses partenaires",
                "  = aide : lancez la commande dans le dossier du projet (ou indiquez-le avec --racine) ; pour commencer un projet : « mutu new mon-territoire » (ou « mutu new mon-territoire --epci <SIREN ou nom de votre EPCI> »)",
            ],
            &[
                "avertissement[fichier-ignore] : fichier non reconnu, ignoré : data/territoires.yaml",
                "  --> data/territoires.yaml:1:1",
                "  = attendu : un des fichiers data/territoire.yaml, data/schema.yaml, data/rapport.yaml, data/cles.yaml, data/axes.yaml, data/commande_publique.yaml, data/effectifs.yaml, data/configuration.yaml ou un fichier dans data/services/ ou data/fiches/",
                "  = aide : vouliez-vous dire « data/territoire.yaml » ?",
            ],
        ],
        "vérification échouée : 1 erreur, 1 avertissement",
    );
}

#[test]
fn missing_project_folder() {
    let dir = std::env::temp_dir().join(format!("mutu-diagnostics-{}-absent", std::process::id()));
    let s = mutu(&["check", "--racine", dir.to_str().unwrap()]);
    s.assert(
        1,
        &[&[
            &format!("erreur[racine-introuvable] : le dossier du projet est introuvable : {}", dir.display()),
            "  = aide : indiquez avec --racine le dossier du projet (celui qui contient data/ et content/)",
        ]],
        &errors(1),
    );
}

#[test]
fn configuration_checks() {
    let p = Projet::new("configuration");
    let config = fs::read_to_string(p.path("data/configuration.yaml")).unwrap();
    p.write(
        "data/configuration.yaml",
        config + "pdf:\n  sections: [synthese, servics]\nurl_de_base: extranet.example.fr\ntheme: sombre\n",
    );
    p.check().assert(
        1,
        &[
            &[
                "erreur[section-inconnue] : section du rapport PDF inconnue : « servics »",
                "  --> data/configuration.yaml:11:24",
                "   |",
                "11 |   sections: [synthese, servics]",
                "   |                        ^^^^^^^",
                "  = attendu : une des sections : synthese, schema, services, fiches, commande_publique, effectifs, contributions, evolutions, catalogue",
                "  = aide : vouliez-vous dire « services » ?",
            ],
            &[
                "erreur[url-invalide] : adresse de publication invalide : « extranet.example.fr »",
                "  --> data/configuration.yaml:12:14",
                "   |",
                "12 | url_de_base: extranet.example.fr",
                "   |              ^^^^^^^^^^^^^^^^^^^",
                "  = attendu : une adresse complète, par exemple https://extranet.mon-epci.fr/mutualisation/",
                "  = aide : elle ne sert qu'au fichier sitemap.xml : les liens du site restent relatifs",
            ],
            &[
                "erreur[theme-introuvable] : thème « sombre » introuvable",
                "  --> data/configuration.yaml:13:8",
                "   |",
                "13 | theme: sombre",
                "   |        ^^^^^^",
                "  = attendu : un dossier themes/sombre/ dans le projet, ou `theme: default`",
                "  = aide : un thème ne contient que les fichiers qui remplacent ceux du thème par défaut",
            ],
        ],
        &errors(3),
    );
}

#[test]
fn accepted_variants_are_not_errors() {
    // A byte order mark, Windows line ends, a French amount, an accented
    // token and a French date are all valid input.
    let p = Projet::new("variantes");
    let rapport = fs::read_to_string(p.path("data/rapport.yaml")).unwrap().replace("2024-03-29", "29/03/2024");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(rapport.replace('\n', "\r\n").into_bytes());
    p.write("data/rapport.yaml", bytes);
    p.replace_line("data/services/garage-commun.yaml", "        montant: 800.00", "        montant: \"800,00 €\"");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "    total_depenses_declare: 2000.00",
        "    total_depenses_declare: \"2 000,00 €\"",
    );
    p.replace_line("data/fiches/achats-groupes.yaml", "statut: en_cours", "statut: En cours");
    let s = p.check();
    assert_eq!(s.stderr, "");
    assert_eq!((s.code, s.summary()), (0, "vérification terminée : 0 erreur, 0 avertissement"));
}

// ---------------------------------------------------------------- command line

#[test]
fn unknown_subcommand() {
    let s = mutu(&["chek"]);
    assert_eq!(s.code, 2);
    assert_eq!(s.stdout, "");
    assert_eq!(
        s.stderr,
        "erreur : commande inconnue : chek\n  = aide : vouliez-vous dire « check » ?\n\nPour l'aide : mutu --aide\n"
    );
}

#[test]
fn unknown_option() {
    let s = mutu(&["check", "--racin", "mon-territoire"]);
    assert_eq!(s.code, 2);
    assert_eq!(s.stdout, "");
    assert_eq!(
        s.stderr,
        "erreur : option inconnue : --racin\n  = aide : vouliez-vous dire « --racine » ?\n\nPour l'aide : mutu --aide\n"
    );
}

#[test]
fn help_is_french() {
    let s = mutu(&["--aide"]);
    assert_eq!(s.code, 0);
    for english in ["[alias:", "[default:", "Usage", "Options:", "Commands"] {
        assert!(!s.stdout.contains(english), "« {english} » dans l'aide :\n{}", s.stdout);
    }
    assert!(s.stdout.contains("Utilisation : mutu [OPTIONS] <COMMANDE>"), "{}", s.stdout);
}

// ---------------------------------------------------------------- everything at once

#[test]
fn independent_errors_are_all_reported_sorted_by_file_and_line() {
    let p = Projet::new("plusieurs");
    p.write(
        "content/edito.md",
        "---\nobjet: rapport\ntitre: \"Édito\"\nLe garage commun entretient les véhicules.\n",
    );
    p.replace_line("data/cles.yaml", "      landerneau: 50", "      landerneau: 40");
    p.replace_line("data/fiches/achats-groupes.yaml", "statut: en_cours", "statut: en-cour");
    p.replace_line("data/rapport.yaml", "  envoi: 2024-04-03", "  envoi: 2024-03-28");
    p.replace_line(
        "data/services/garage-commun.yaml",
        "    total_depenses_declare: 2000.00",
        "    total_depenses_declare: 2100.00",
    );
    p.replace_line("data/territoire.yaml", "    siren: \"212900450\"", "    siren: \"2129004\"");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"2904\"");
    let s = p.check();
    let headers: Vec<String> = s.diagnostics().iter().map(|d| d.lines().take(2).collect::<Vec<_>>().join("\n")).collect();
    assert_eq!(
        headers,
        [
            "erreur[entete-non-fermee] : en-tête YAML non fermé\n  --> content/edito.md:1:1",
            "erreur[parts-hors-100] : les parts forfaitaires totalisent 90 % au lieu de 100 %\n  --> data/cles.yaml:5:5",
            "erreur[valeur-inconnue] : valeur « en-cour » non reconnue (dans `statut`)\n  --> data/fiches/achats-groupes.yaml:5:9",
            "erreur[date-incoherente] : la transmission en préfecture (28 mars 2024) précède la date du conseil (29 mars 2024)\n  --> data/rapport.yaml:9:10",
            "avertissement[total-incoherent] : Total des dépenses 2023 du service « Garage commun » : 2\u{202f}100,00\u{a0}€ publié, 2\u{202f}000,00\u{a0}€ calculé (écart +100,00\u{a0}€)\n  --> data/services/garage-commun.yaml:16:29",
            "erreur[insee-invalide] : code INSEE « 2904 » mal formé\n  --> data/territoire.yaml:20:12",
            "erreur[siren-invalide] : SIREN « 2129004 » mal formé\n  --> data/territoire.yaml:21:12",
        ],
        "{}",
        s.stderr
    );
    assert_eq!(s.summary(), "vérification échouée : 6 erreurs, 1 avertissement");
    assert_eq!(s.code, 1);
    assert_eq!(s.stdout, "");
}

#[test]
fn output_is_deterministic() {
    let p = Projet::new("deterministe");
    p.replace_line("data/territoire.yaml", "    insee: \"29045\"", "    insee: \"2904\"");
    p.replace_line("data/cles.yaml", "      landerneau: 50", "      landerneau: 40");
    let a = p.check();
    let b = p.check();
    assert_eq!((a.code, &a.stdout, &a.stderr), (b.code, &b.stdout, &b.stderr));
}

// ------------------------------------------------- identity and placeholders

#[test]
fn legal_notice_naming_another_epci() {
    let p = Projet::new("identite-epci");
    p.replace_line(
        "data/configuration.yaml",
        "  editeur: \"Communauté d'agglomération du Pays de Landerneau-Daoulas\"",
        "  editeur: \"Communauté de communes du Pays des Abers, SIREN 242900553\"",
    );
    p.check().assert(
        0,
        &[
            &[
                "avertissement[identite-etrangere] : ce texte nomme un autre EPCI que celui du projet : CC du Pays des Abers (SIREN 242900553)",
                "  --> data/configuration.yaml:7:12",
                "  |",
                "7 |   editeur: \"Communauté de communes du Pays des Abers, SIREN 242900553\"",
                "  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  = attendu : l'EPCI décrit dans data/territoire.yaml : Communauté d'agglomération du Pays de Landerneau-Daoulas (SIREN 242900801)",
                "  = aide : ce texte vient sans doute d'un autre projet (l'exemple ?) : remplacez-le ; pour l'éditeur, le directeur de la publication et les adresses, supprimez la clé et mutu les déduit du territoire",
            ],
            &[
                "avertissement[identite-etrangere] : le SIREN 242900553 n'est ni celui de l'EPCI ni celui d'un membre, celui de l'EPCI CC du Pays des Abers",
                "  --> data/configuration.yaml:7:12",
                "  |",
                "7 |   editeur: \"Communauté de communes du Pays des Abers, SIREN 242900553\"",
                "  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  = attendu : l'EPCI décrit dans data/territoire.yaml : Communauté d'agglomération du Pays de Landerneau-Daoulas (SIREN 242900801)",
                "  = aide : ce texte vient sans doute d'un autre projet (l'exemple ?) : remplacez-le ; pour l'éditeur, le directeur de la publication et les adresses, supprimez la clé et mutu les déduit du territoire",
            ],
        ],
        "vérification terminée : 0 erreur, 2 avertissements",
    );
}

#[test]
fn signatory_address_in_a_commune_outside_the_territory() {
    let p = Projet::new("identite-adresse");
    p.replace_line(
        "data/rapport.yaml",
        "  qualite: \"Président de la Communauté d'agglomération\"",
        "  qualite: \"Président, hôtel de communauté, 29860 Plabennec\"",
    );
    p.check().assert(
        0,
        &[&[
            "avertissement[identite-etrangere] : l'adresse « 29860 Plabennec » est dans une commune qui n'est pas membre de l'EPCI",
            "  --> data/rapport.yaml:7:12",
            "  |",
            "7 |   qualite: \"Président, hôtel de communauté, 29860 Plabennec\"",
            "  |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = attendu : l'EPCI décrit dans data/territoire.yaml : Communauté d'agglomération du Pays de Landerneau-Daoulas (SIREN 242900801)",
            "  = aide : ce texte vient sans doute d'un autre projet (l'exemple ?) : remplacez-le ; pour l'éditeur, le directeur de la publication et les adresses, supprimez la clé et mutu les déduit du territoire",
        ]],
        OK_1_WARNING,
    );
}

#[test]
fn placeholders_are_listed() {
    let p = Projet::new("espaces-reserves");
    p.replace_line(
        "data/rapport.yaml",
        "deliberation: DCC2024_054",
        "# À VÉRIFIER : numéro attribué par le secrétariat des assemblées.\ndeliberation: \"à compléter\"",
    );
    // As `mutu new --exercice` does: no @ctes identifier before the council.
    p.replace_line("data/rapport.yaml", "actes_id: 029-242900801-20240329-DCC2024_054-DE", "");
    let aide = "  = aide : remplacez-le par la valeur définitive ; tant qu'il en reste un, chaque page du site et du PDF porte la mention « Projet — document non définitif »";
    p.check().assert(
        0,
        &[
            &[
                "avertissement[espace-reserve] : « À VÉRIFIER » : une valeur reste à saisir, le document est un projet",
                "  --> data/rapport.yaml:3:3",
                "  |",
                "3 | # À VÉRIFIER : numéro attribué par le secrétariat des assemblées.",
                "  |   ^^^^^^^^^^",
                aide,
            ],
            &[
                "avertissement[espace-reserve] : « à compléter » : une valeur reste à saisir, le document est un projet",
                "  --> data/rapport.yaml:4:16",
                "  |",
                "4 | deliberation: \"à compléter\"",
                "  |                ^^^^^^^^^^^",
                aide,
            ],
        ],
        "vérification terminée : 0 erreur, 2 avertissements",
    );
}

// ---------------------------------------------------------------- publication

#[test]
fn secrets_in_the_publication_block_are_errors() {
    let p = Projet::new("publication-secret");
    p.replace_line(
        "data/configuration.yaml",
        "  hebergeur: \"Aucun (projet de test)\"",
        "  hebergeur: \"Aucun (projet de test)\"\npublication:\n  cible: \"sftp://dgs:s3cret@extranet.example.fr/www\"\n  mot_de_passe: s3cret",
    );
    p.check().assert(
        1,
        &[
            &[
                "erreur[secret-dans-la-configuration] : la cible de publication contient un mot de passe (utilisateur:mot-de-passe@…)",
                "  --> data/configuration.yaml:11:10",
                "   |",
                "11 |   cible: \"sftp://dgs:s3cret@extranet.example.fr/www\"",
                "   |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
                "  = aide : écrivez seulement utilisateur@hote : l'authentification passe par l'agent SSH ou une clé (`--cle`) en SFTP, par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie en WebDAV",
            ],
            &[
                "erreur[secret-dans-la-configuration] : un secret est écrit dans la configuration : publication.mot_de_passe",
                "  --> data/configuration.yaml:12:17",
                "   |",
                "12 |   mot_de_passe: s3cret",
                "   |                 ^^^^^^",
                "  = aide : retirez cette ligne : SFTP s'authentifie par l'agent SSH ou une clé nommée par `--cle` ou la variable MUTU_CLE_SSH, WebDAV par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie dans le terminal, jamais par un secret écrit dans le projet",
            ],
        ],
        &errors(2),
    );
}

#[test]
fn a_publication_target_without_secret_checks_clean() {
    let p = Projet::new("publication-propre");
    p.replace_line(
        "data/configuration.yaml",
        "  hebergeur: \"Aucun (projet de test)\"",
        "  hebergeur: \"Aucun (projet de test)\"\npublication:\n  cible: \"sftp://dgs@extranet.example.fr:2222/www/mutualisation\"",
    );
    let s = p.check();
    assert_eq!(s.stderr, "");
    assert_eq!(s.code, 0);
}
