//! `mutu import <fichier.ods|.xlsx|.csv> [--ecrire]` (alias `importer`):
//! brings the figures of a spreadsheet into the project's YAML, so that a
//! table kept in a spreadsheet is never retyped.
//!
//! Each sheet says in its cell A1 what it holds (docs/format.md, « Import
//! de tableaux »): a key's values per member and year (`clé: <id>`), an
//! indicator's values (`indicateur: <service>/<id>`), populations
//! (`populations: municipale`) or a service's bilan lines
//! (`bilan: <service>`). Members are named by id, INSEE code, SIREN or name
//! ([`mutu_check::designe::designe`], as `--commune` does); figures are read
//! like the YAML reads them ([`mutu_model::values::lire_nombre`]).
//!
//! The file is first checked against the limits of [`bornes`]. Every
//! problem is reported at its cell (`fichier.xlsx!Feuil1!C7`, the first
//! [`bornes::DIAGNOSTICS`] shown) and nothing is written. Without
//! `--ecrire` the command shows each value that would change (old → new,
//! file by file); with it, each file is edited as text ([`edition`]:
//! comments, order and layout kept), the whole project is checked in memory
//! with the new texts, and when that adds no error every file is written
//! through a journal ([`ecriture`]).

pub mod bornes;
pub mod ecriture;
pub mod edition;
pub mod tableur;

use edition::{Nouveau, Operation};
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::suggest::did_you_mean;
use mutu_base::texte::pluriel;
use mutu_base::texte::replie;
use mutu_check::designe::Designable;
use mutu_model::territoire::SortePopulation;
use mutu_model::values::{lire_montant, lire_nombre, NombreRefuse, MAXIMUM};
use mutu_model::yaml::{Path as YamlPath, SpanIndex};
use mutu_model::Projet;
use rust_decimal::Decimal;
use std::path::{Path, PathBuf};
use tableur::{Cellule, Classeur, Feuille};

/// One value the spreadsheet brings.
#[derive(Debug, Clone)]
pub struct Affectation {
    /// The YAML file, relative to the project's root.
    pub fichier: PathBuf,
    /// `None` for the lines of a new bilan after its first: the first one's
    /// operation writes the whole block.
    pub operation: Option<Operation>,
    /// What the value is, in French (« clé sc-scp, 2023, capld »).
    pub libelle: String,
    /// The new figure, as written into the YAML.
    pub nouveau: String,
    pub valeur: Decimal,
    pub sorte: Sorte,
}

/// What a cell must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sorte {
    Nombre,
    Montant,
    /// A population: a whole number of people.
    Entier,
}

/// A value compared with what the file holds.
#[derive(Debug, Clone)]
pub struct Changement {
    pub libelle: String,
    /// The value as written in the YAML now; `None`: absent.
    pub ancien: Option<String>,
    pub nouveau: String,
}

/// The effect of an import on one file.
#[derive(Debug, Clone)]
pub struct Fichier {
    pub chemin: PathBuf,
    pub avant: String,
    pub apres: String,
    pub changements: Vec<Changement>,
}

/// The effect of an import on the project.
#[derive(Debug, Clone, Default)]
pub struct Bilan {
    pub fichiers: Vec<Fichier>,
    pub inchanges: usize,
    /// Sheets left aside (their A1 says nothing), by name.
    pub ignorees: Vec<String>,
    /// Hidden sheets, never read, by name.
    pub masquees: Vec<String>,
}

/// Why an import stops: the first [`bornes::DIAGNOSTICS`] problems, and
/// how many more were found.
#[derive(Debug, Clone, Default)]
pub struct Refus {
    pub diagnostics: Vec<Diagnostic>,
    pub autres: usize,
}

impl Refus {
    fn un(d: Diagnostic) -> Self {
        Refus {
            diagnostics: vec![d],
            autres: 0,
        }
    }

    /// Every problem counted, shown or not.
    pub fn total(&self) -> usize {
        self.diagnostics.len() + self.autres
    }

    /// The diagnostics as printed, then « … et N autres » when some were
    /// left out.
    pub fn rendu(&self) -> String {
        let sources = mutu_base::source::Sources::default();
        let mut s = String::new();
        for d in &self.diagnostics {
            s.push_str(&d.render(&sources));
            s.push('\n');
        }
        if self.autres > 0 {
            s.push_str(&format!(
                "… et {} (seules les {} premières sont affichées)\n",
                pluriel(self.autres, "autre erreur", "autres erreurs"),
                bornes::DIAGNOSTICS
            ));
        }
        s
    }
}

/// Runs the command; returns the exit code.
pub fn commande(racine: &Path, fichier: &Path, ecrire: bool) -> i32 {
    // Held from the first reading to the last write: a second import or a
    // build waits (see [`ecriture`]).
    let _verrou = if ecrire {
        match ecriture::verrou(racine, ecriture::attente) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("erreur : impossible de verrouiller le projet : {}", mutu_model::load::io_fr(&e));
                return 1;
            }
        }
    } else {
        None
    };
    let affiche = fichier.display().to_string();
    let lus = mutu_model::load::load(racine);
    let Some(projet) = lus.projet.as_ref().filter(|_| !lus.diagnostics.has_errors()) else {
        eprint!("{}", terminal(&lus.diagnostics.render(&lus.sources)));
        eprintln!(
            "import impossible : le projet ne se lit pas ({}) ; corrigez-le d'abord (mutu check)",
            lus.diagnostics.summary()
        );
        return 1;
    };
    let bilan = match preparer(racine, projet, fichier, &affiche) {
        Ok(b) => b,
        Err(r) => {
            eprint!("{}", terminal(&r.rendu()));
            eprintln!(
                "import impossible : {} ; aucun fichier n'a été modifié",
                pluriel(r.total(), "erreur", "erreurs")
            );
            return 1;
        }
    };
    // The preview holds cell texts: printed with control characters shown,
    // and quietly cut short when the reader stops (`| head`).
    let sortie = |s: &str| mutu_base::progress::affiche(&terminal(s));
    sortie(&apercu(&bilan));
    let modifies: Vec<&Fichier> = bilan.fichiers.iter().filter(|f| !f.changements.is_empty()).collect();
    if modifies.is_empty() {
        sortie("rien à modifier : le projet a déjà ces valeurs\n");
        return 0;
    }
    if !ecrire {
        sortie("rien n'est écrit : relancez avec --ecrire pour enregistrer ces valeurs\n");
        return 0;
    }
    // The project with the new texts, checked in memory before anything is
    // written; written when it has no more errors than now.
    let textes: std::collections::BTreeMap<PathBuf, String> = modifies.iter().map(|f| (f.chemin.clone(), f.apres.clone())).collect();
    let avant = mutu_compute::pipeline::run(racine);
    let apres = mutu_compute::pipeline::run_avec(racine, &textes);
    let erreurs_avant = if avant.model.is_none() { usize::MAX } else { avant.diagnostics.errors() };
    if apres.model.is_none() || apres.diagnostics.errors() > erreurs_avant {
        eprint!("{}", terminal(&apres.diagnostics.render(&apres.sources)));
        if avant.diagnostics.has_errors() {
            eprintln!(
                "import annulé : avec ces valeurs, le projet aurait plus d'erreurs qu'aujourd'hui ({}, contre {}) ; aucun fichier n'a été modifié",
                apres.diagnostics.summary(),
                avant.diagnostics.summary()
            );
        } else {
            eprintln!(
                "import annulé : avec ces valeurs, le projet ne passe plus la vérification ({}) ; aucun fichier n'a été modifié",
                apres.diagnostics.summary()
            );
        }
        return 1;
    }
    let entrees: Vec<ecriture::Entree> = modifies
        .iter()
        .map(|f| ecriture::Entree {
            chemin: f.chemin.clone(),
            avant: f.avant.clone(),
            apres: f.apres.clone(),
        })
        .collect();
    if let Err(e) = ecriture::ecrire(racine, &entrees) {
        eprintln!("{e}\naucun fichier n'a été modifié");
        return 1;
    }
    for f in &modifies {
        sortie(&format!("écrit : {}\n", mutu_base::diagnostic::display_path(&f.chemin)));
    }
    if apres.diagnostics.has_errors() {
        eprint!("{}", terminal(&apres.diagnostics.render(&apres.sources)));
        sortie(&format!(
            "vérification après l'import : {} (il y en avait {} avant) ; corrigez-les avec mutu check\n",
            apres.diagnostics.summary(),
            pluriel(avant.diagnostics.errors(), "erreur", "erreurs")
        ));
    } else {
        sortie(&format!("vérification après l'import : {}\n", apres.diagnostics.summary()));
    }
    0
}

/// `s` safe to print on a terminal: every control character but the line
/// end (an escape sequence in a cell could hide or rewrite what follows)
/// shown as its visible symbol (ESC → ␛), as diagnostics show source lines.
pub fn terminal(s: &str) -> String {
    s.chars().map(|c| if c == '\n' { c } else { mutu_base::diagnostic::visible(c) }).collect()
}

/// The preview: per file, per value, old → new; then the counts.
pub fn apercu(b: &Bilan) -> String {
    let mut s = String::new();
    for n in &b.masquees {
        s.push_str(&format!(
            "feuille « {n} » ignorée : elle est masquée dans le classeur (une feuille masquée n'est jamais importée)\n"
        ));
    }
    for n in &b.ignorees {
        s.push_str(&format!("feuille « {n} » ignorée : sa cellule A1 ne dit pas ce qu'elle contient\n"));
    }
    let (mut modifiees, mut ajoutees) = (0, 0);
    let mut fichiers = 0;
    for f in &b.fichiers {
        if f.changements.is_empty() {
            continue;
        }
        fichiers += 1;
        s.push_str(&format!("{}\n", mutu_base::diagnostic::display_path(&f.chemin)));
        for c in &f.changements {
            match &c.ancien {
                Some(a) => {
                    modifiees += 1;
                    s.push_str(&format!("  {} : {a} → {}\n", c.libelle, c.nouveau));
                }
                None => {
                    ajoutees += 1;
                    s.push_str(&format!("  {} : (absente) → {}\n", c.libelle, c.nouveau));
                }
            }
        }
    }
    s.push_str(&format!(
        "{} modifiée{}, {} ajoutée{}, {} inchangée{}, dans {}\n",
        pluriel(modifiees, "valeur", "valeurs"),
        if modifiees > 1 { "s" } else { "" },
        ajoutees,
        if ajoutees > 1 { "s" } else { "" },
        b.inchanges,
        if b.inchanges > 1 { "s" } else { "" },
        pluriel(fichiers, "fichier", "fichiers"),
    ));
    s
}

/// Reads the spreadsheet and works out every change, or every problem.
pub fn preparer(racine: &Path, projet: &Projet, fichier: &Path, affiche: &str) -> Result<Bilan, Refus> {
    let classeur = tableur::lire(fichier, affiche).map_err(Refus::un)?;
    preparer_classeur(racine, projet, &classeur)
}

/// [`preparer`] for a spreadsheet already read (the fuzz targets start here).
pub fn preparer_classeur(racine: &Path, projet: &Projet, classeur: &Classeur) -> Result<Bilan, Refus> {
    let mut refus = Refus::default();
    let mut affectations = Vec::new();
    let mut bilan = Bilan {
        masquees: classeur.masquees.clone(),
        ..Bilan::default()
    };
    let mut declarees = 0;
    for f in &classeur.feuilles {
        let l = Lecteur {
            classeur,
            feuille: f,
            projet,
            refus: &mut refus,
        };
        if l.lire(&mut affectations) {
            declarees += 1;
        } else {
            bilan.ignorees.push(f.nom.clone().unwrap_or_default());
        }
    }
    if declarees == 0 {
        let premiere = classeur.feuilles.first();
        let lieu = premiere.map(|f| classeur.lieu(f, 0, 0));
        refus.diagnostics.push(
            Diagnostic::error(Code::FeuilleSansObjet, "aucune feuille ne dit ce qu'elle contient")
                .at(lieu)
                .expected("dans la cellule A1 : « clé: <identifiant> », « indicateur: <service>/<indicateur> », « populations: municipale » (ou dgf, totale) ou « bilan: <service> »")
                .hint("la référence « mutu aide format », section « Import de tableaux », décrit chaque disposition"),
        );
    }
    if refus.total() > 0 {
        return Err(refus);
    }
    // Files in the order the spreadsheet first touches them.
    let mut ordre: Vec<PathBuf> = Vec::new();
    for a in &affectations {
        if !ordre.contains(&a.fichier) {
            ordre.push(a.fichier.clone());
        }
    }
    for chemin in ordre {
        let avant = std::fs::read_to_string(racine.join(&chemin)).map_err(|e| {
            Refus::un(Diagnostic::error(
                Code::LectureImpossible,
                format!("impossible de lire {} : {}", chemin.display(), mutu_model::load::io_fr(&e)),
            ))
        })?;
        let normal = avant.trim_start_matches('\u{feff}').replace("\r\n", "\n");
        let idx = SpanIndex::build(&normal);
        let lignes: Vec<&str> = normal.split('\n').collect();
        let mut ops = Vec::new();
        let mut changements = Vec::new();
        for a in affectations.iter().filter(|a| a.fichier == chemin) {
            let ancien = match &a.operation {
                Some(Operation::Fixer { chemin, .. }) => idx.get(chemin).map(|n| {
                    let (l, c, len) = n.value;
                    lignes
                        .get(l - 1)
                        .map(|t| t.chars().skip(c - 1).take(len).collect::<String>())
                        .unwrap_or_default()
                }),
                _ => None,
            };
            if let Some(a_txt) = &ancien {
                let nu = a_txt.trim_matches(['"', '\'']);
                let lu = match a.sorte {
                    Sorte::Montant => lire_montant(nu).ok(),
                    _ => lire_nombre(nu).ok(),
                };
                if lu == Some(a.valeur) {
                    bilan.inchanges += 1;
                    continue;
                }
            }
            ops.extend(a.operation.clone());
            changements.push(Changement {
                libelle: a.libelle.clone(),
                ancien,
                nouveau: a.nouveau.clone(),
            });
        }
        let apres = edition::appliquer(&avant, &ops).map_err(|e| {
            Refus::un(
                Diagnostic::error(Code::ModificationImpossible, format!("mutu ne sait pas modifier {} : {e}", chemin.display()))
                    .hint("saisissez cette valeur à la main dans le fichier YAML"),
            )
        })?;
        bilan.fichiers.push(Fichier {
            chemin,
            avant,
            apres,
            changements,
        });
    }
    Ok(bilan)
}

/// What cell A1 declares.
enum Declaration {
    Cle(String),
    Indicateur(String),
    Populations(String),
    Bilan(String),
}

const SORTES: [&str; 4] = ["clé", "indicateur", "populations", "bilan"];

/// Reads one sheet.
struct Lecteur<'a> {
    classeur: &'a Classeur,
    feuille: &'a Feuille,
    projet: &'a Projet,
    /// Shared by the sheets: past [`bornes::DIAGNOSTICS`], only counted.
    refus: &'a mut Refus,
}

impl Lecteur<'_> {
    fn lieu(&self, l: usize, c: usize) -> Option<mutu_base::diagnostic::Loc> {
        Some(self.classeur.lieu(self.feuille, l, c))
    }

    fn erreur(&mut self, l: usize, c: usize, code: Code, message: String, attendu: &str, aide: Option<String>) {
        if self.refus.diagnostics.len() >= bornes::DIAGNOSTICS {
            self.refus.autres += 1;
            return;
        }
        let d = Diagnostic::error(code, message).at(self.lieu(l, c)).expected(attendu).maybe_hint(aide);
        self.refus.diagnostics.push(d);
    }

    /// Reads the sheet into `out` (its problems into the shared
    /// [`Refus`]); `false` when its A1 declares nothing (the sheet is
    /// ignored).
    fn lire(mut self, out: &mut Vec<Affectation>) -> bool {
        let a1 = self.feuille.cellule(0, 0).texte();
        // A declaration starts with one word and a colon; a sentence in A1
        // (a sheet of notes) declares nothing.
        let declaration = a1.split_once(':').filter(|(sorte, _)| !sorte.trim().contains(char::is_whitespace));
        let Some((sorte, arg)) = declaration else {
            if self.classeur.feuilles.len() > 1 || self.feuille.lignes.iter().all(|l| l.iter().all(Cellule::est_vide)) {
                return false;
            }
            self.erreur(
                0,
                0,
                Code::FeuilleSansObjet,
                format!("la cellule A1 ne dit pas ce que contient le tableau : « {a1} »"),
                "« clé: <identifiant> », « indicateur: <service>/<indicateur> », « populations: municipale » (ou dgf, totale) ou « bilan: <service> »",
                Some("la référence « mutu aide format », section « Import de tableaux », décrit chaque disposition".into()),
            );
            return true;
        };
        let arg = arg.trim().to_string();
        let decl = match replie(sorte.trim()).as_str() {
            "cle" | "clef" => Declaration::Cle(arg),
            "indicateur" => Declaration::Indicateur(arg),
            "populations" | "population" => Declaration::Populations(arg),
            "bilan" => Declaration::Bilan(arg),
            _ => {
                let aide = did_you_mean(&replie(sorte.trim()), SORTES);
                self.erreur(
                    0,
                    0,
                    Code::FeuilleInconnue,
                    format!("contenu de feuille inconnu : « {} »", sorte.trim()),
                    "« clé », « indicateur », « populations » ou « bilan », suivi de « : » et de ce qu'il désigne",
                    aide,
                );
                return true;
            }
        };
        if self.feuille.lignes.iter().skip(1).all(|l| l.iter().all(Cellule::est_vide)) {
            self.erreur(
                0,
                0,
                Code::FeuilleVide,
                format!("la feuille « {a1} » ne contient aucune valeur"),
                "sous la ligne 1, une ligne par organisme (ou par ligne de bilan)",
                None,
            );
            return true;
        }
        match decl {
            Declaration::Cle(id) => self.cle(&id, out),
            Declaration::Indicateur(id) => self.indicateur(&id, out),
            Declaration::Populations(s) => self.populations(&s, out),
            Declaration::Bilan(id) => self.bilan(&id, out),
        }
        true
    }

    /// The organisations a row may name: the EPCI, the members, the partners.
    fn designables(&self) -> Vec<Designable<'_>> {
        let t = &self.projet.territoire;
        let mut v = vec![Designable {
            id: &t.epci.id,
            nom: &t.epci.nom,
            insee: None,
            siren: Some(&t.epci.siren),
        }];
        v.extend(t.membres.iter().map(Designable::from));
        v.extend(t.partenaires.iter().map(|p| Designable {
            id: &p.id,
            nom: &p.nom,
            insee: None,
            siren: p.siren.as_deref(),
        }));
        v
    }

    /// The organisation named in column A of row `l`.
    fn organisme(&mut self, l: usize) -> Option<String> {
        let texte = self.feuille.cellule(l, 0).texte();
        let res = mutu_check::designe::designe(&self.designables(), &texte).map(str::to_string);
        match res {
            Ok(id) => Some(id),
            Err(aide) => {
                self.erreur(
                    l,
                    0,
                    Code::MembreInconnu,
                    format!("membre inconnu : « {texte} »"),
                    "l'identifiant, le nom, le code INSEE ou le SIREN de l'EPCI, d'un membre ou d'un partenaire",
                    Some(aide),
                );
                None
            }
        }
    }

    /// The figure in a cell; `Ok(None)` for an empty cell.
    fn nombre(&mut self, l: usize, c: usize, sorte: Sorte) -> Option<Decimal> {
        let refus = |r: NombreRefuse| (r.code, r.message, r.attendu, Some(r.aide));
        let lu: Result<Decimal, (Code, String, String, Option<String>)> = match self.feuille.cellule(l, c) {
            Cellule::Vide => return None,
            Cellule::Texte(t) if t.trim().is_empty() => return None,
            Cellule::Texte(t) => match sorte {
                Sorte::Montant => lire_montant(t).map_err(refus),
                _ => lire_nombre(t).map_err(refus),
            },
            Cellule::Nombre(d) if d.abs() >= MAXIMUM => Err((
                Code::NombreTropGrand,
                format!("nombre trop grand : « {d} »"),
                "un nombre inférieur à 1 000 milliards (10¹²)".into(),
                None,
            )),
            Cellule::Nombre(d) => Ok(*d),
            Cellule::Autre(a) => Err((
                Code::CelluleInvalide,
                format!("la cellule contient {a}, pas un nombre"),
                "un nombre".into(),
                None,
            )),
        };
        let lu = lu.and_then(|d| {
            if sorte == Sorte::Entier && (!d.fract().is_zero() || d.is_sign_negative()) {
                Err((
                    Code::PopulationInvalide,
                    format!("population invalide : « {d} »"),
                    "un nombre entier de personnes, positif ou nul".into(),
                    None,
                ))
            } else {
                Ok(d)
            }
        });
        match lu {
            Ok(d) => Some(d),
            Err((code, message, attendu, aide)) => {
                self.erreur(l, c, code, message, &attendu, aide);
                None
            }
        }
    }

    /// The years of row 1, from column B: `(column, year)`.
    fn annees(&mut self) -> Vec<(usize, i32)> {
        let mut v = Vec::new();
        for c in 1..self.feuille.largeur() {
            let cell = self.feuille.cellule(0, c).clone();
            if cell.est_vide() {
                continue;
            }
            let t = cell.texte();
            match t.parse::<i32>() {
                Ok(a) if v.iter().any(|(_, b)| *b == a) => self.erreur(
                    0,
                    c,
                    Code::AnneeEnDouble,
                    format!("l'année {a} a déjà sa colonne"),
                    "une colonne par année",
                    None,
                ),
                Ok(a) if (1900..=2200).contains(&a) => v.push((c, a)),
                _ => self.erreur(
                    0,
                    c,
                    Code::AnneeInvalide,
                    format!("année illisible : « {t} »"),
                    "une année, par exemple 2025",
                    None,
                ),
            }
        }
        v
    }

    /// A grid: row 1 the years, column A the organisations; `chemin(id,
    /// année)` gives where each value goes.
    fn grille(
        &mut self,
        sorte: Sorte,
        fichier: &Path,
        libelle: &dyn Fn(&str, i32) -> String,
        chemin: &dyn Fn(&str, i32) -> Option<YamlPath>,
        out: &mut Vec<Affectation>,
    ) {
        let annees = self.annees();
        let mut vus: Vec<(String, usize)> = Vec::new();
        for l in 1..self.feuille.lignes.len() {
            if self.feuille.lignes[l].iter().all(Cellule::est_vide) {
                continue;
            }
            let texte = self.feuille.cellule(l, 0).texte();
            let id = if replie(&texte) == "ensemble" {
                Some("ensemble".to_string())
            } else {
                self.organisme(l)
            };
            let Some(id) = id else { continue };
            if let Some((_, l0)) = vus.iter().find(|(i, _)| *i == id) {
                let premiere = l0 + 1;
                self.erreur(
                    l,
                    0,
                    Code::LigneEnDouble,
                    format!("« {id} » a déjà sa ligne (ligne {premiere})"),
                    "une ligne par organisme",
                    None,
                );
                continue;
            }
            vus.push((id.clone(), l));
            for &(c, annee) in &annees {
                let Some(v) = self.nombre(l, c, sorte) else { continue };
                let Some(ch) = chemin(&id, annee) else {
                    self.erreur(
                        l,
                        0,
                        Code::LigneInvalide,
                        "« ensemble » n'a de sens que pour un indicateur".into(),
                        "un organisme",
                        None,
                    );
                    break;
                };
                out.push(Affectation {
                    fichier: fichier.to_path_buf(),
                    nouveau: yaml_nombre(v, sorte),
                    operation: Some(Operation::Fixer {
                        chemin: ch,
                        texte: yaml_nombre(v, sorte),
                    }),
                    libelle: libelle(&id, annee),
                    valeur: v,
                    sorte,
                });
            }
        }
    }

    fn cle(&mut self, id: &str, out: &mut Vec<Affectation>) {
        let Some(cle) = self.projet.cles.iter().find(|c| c.id == id) else {
            let aide = did_you_mean(id, self.projet.cles.iter().map(|c| c.id.as_str()));
            self.erreur(
                0,
                0,
                Code::CleRepartitionInconnue,
                format!("clé de répartition inconnue : « {id} »"),
                "l'identifiant d'une clé de data/cles.yaml",
                aide,
            );
            return;
        };
        let base = cle.origine.chemin.key("valeurs_par_exercice");
        let libelle = |m: &str, a: i32| format!("clé {id}, {a}, {m}");
        let chemin = |m: &str, a: i32| (m != "ensemble").then(|| base.key(a).key(m));
        self.grille(Sorte::Nombre, &cle.origine.fichier, &libelle, &chemin, out);
    }

    fn indicateur(&mut self, arg: &str, out: &mut Vec<Affectation>) {
        let (sid, iid) = arg.split_once('/').map(|(a, b)| (a.trim(), b.trim())).unwrap_or((arg, ""));
        let Some(service) = self.projet.services.iter().find(|s| s.id == sid) else {
            let aide = did_you_mean(sid, self.projet.services.iter().map(|s| s.id.as_str()));
            self.erreur(
                0,
                0,
                Code::ServiceInconnu,
                format!("service inconnu : « {sid} »"),
                "« indicateur: <service>/<indicateur> », avec l'identifiant d'un service de data/services/",
                aide,
            );
            return;
        };
        let Some(i) = service.indicateurs.iter().position(|x| x.id == iid) else {
            let aide = did_you_mean(iid, service.indicateurs.iter().map(|x| x.id.as_str()));
            self.erreur(
                0,
                0,
                Code::IndicateurInconnu,
                format!("indicateur inconnu dans le service « {sid} » : « {iid} »"),
                "l'identifiant d'un indicateur du service",
                aide,
            );
            return;
        };
        let base = service.origine.chemin.key("indicateurs").index(i);
        let libelle = |m: &str, a: i32| format!("indicateur {sid}/{iid}, {m}, {a}");
        let chemin = |m: &str, a: i32| {
            Some(if m == "ensemble" {
                base.key("valeurs").key(a)
            } else {
                base.key("par_membre").key(m).key(a)
            })
        };
        self.grille(Sorte::Nombre, &service.origine.fichier, &libelle, &chemin, out);
    }

    fn populations(&mut self, arg: &str, out: &mut Vec<Affectation>) {
        let Some(sorte) = SortePopulation::ALL.into_iter().find(|s| s.cle() == replie(arg.trim())) else {
            let aide = did_you_mean(&replie(arg.trim()), SortePopulation::ALL.map(|s| s.cle()));
            self.erreur(
                0,
                0,
                Code::PopulationInconnue,
                format!("sorte de population inconnue : « {arg} »"),
                "« populations: municipale », « populations: totale » ou « populations: dgf »",
                aide,
            );
            return;
        };
        let t = &self.projet.territoire;
        let racine = t.origine.chemin.clone();
        let membres: Vec<&str> = t.membres.iter().map(|m| m.id.as_str()).collect();
        let partenaires: Vec<&str> = t.partenaires.iter().map(|m| m.id.as_str()).collect();
        let epci = t.epci.id.clone();
        let libelle = |m: &str, a: i32| format!("{} {a}, {m}", sorte.libelle());
        let chemin = |m: &str, a: i32| {
            let org = if m == epci {
                racine.key("epci")
            } else if let Some(i) = membres.iter().position(|x| *x == m) {
                racine.key("membres").index(i)
            } else {
                racine.key("partenaires").index(partenaires.iter().position(|x| *x == m)?)
            };
            Some(org.key("populations").key(a).key(sorte.cle()))
        };
        self.grille(Sorte::Entier, &t.origine.fichier, &libelle, &chemin, out);
    }

    fn bilan(&mut self, sid: &str, out: &mut Vec<Affectation>) {
        let Some(service) = self.projet.services.iter().find(|s| s.id == sid) else {
            let aide = did_you_mean(sid, self.projet.services.iter().map(|s| s.id.as_str()));
            self.erreur(
                0,
                0,
                Code::ServiceInconnu,
                format!("service inconnu : « {sid} »"),
                "« bilan: <service> », avec l'identifiant d'un service de data/services/",
                aide,
            );
            return;
        };
        let b1 = self.feuille.cellule(0, 1).texte();
        let exercice = match b1.parse::<i32>() {
            Ok(a) if (1900..=2200).contains(&a) => a,
            _ => {
                self.erreur(
                    0,
                    1,
                    Code::AnneeInvalide,
                    format!("exercice illisible : « {b1} »"),
                    "en B1, l'année du bilan, par exemple 2025",
                    None,
                );
                return;
            }
        };
        let c1 = self.feuille.cellule(0, 2).texte();
        let Some(taxes) = mutu_model::services::Taxes::parse(&c1) else {
            self.erreur(
                0,
                2,
                Code::TaxesInvalides,
                format!("régime de taxes illisible : « {c1} »"),
                "en C1, « ht » ou « ttc »",
                None,
            );
            return;
        };
        let existant = service.bilans.iter().position(|b| b.exercice == exercice && b.taxes == taxes);
        let racine = service.origine.chemin.key("bilans");
        let mut nouvelles: Vec<(bool, Nouveau)> = Vec::new();
        let mut libelles_nouvelles = Vec::new();
        for l in 1..self.feuille.lignes.len() {
            if self.feuille.lignes[l].iter().all(Cellule::est_vide) {
                continue;
            }
            let sens_txt = self.feuille.cellule(l, 0).texte();
            let sens = replie(&sens_txt);
            let depense = if sens.starts_with("depense") {
                true
            } else if sens.starts_with("recette") {
                false
            } else if sens == "sens" {
                continue;
            } else {
                self.erreur(
                    l,
                    0,
                    Code::SensInvalide,
                    format!("sens illisible : « {sens_txt} »"),
                    "« dépense » ou « recette »",
                    None,
                );
                continue;
            };
            // One line: a line break typed in the cell (Alt+Entrée, or a
            // lone CR) is a space; the YAML holds no raw line break.
            let libelle = self.feuille.cellule(l, 1).texte().split_whitespace().collect::<Vec<_>>().join(" ");
            if let Some(c) = libelle.chars().find(|c| c.is_control()) {
                self.erreur(
                    l,
                    1,
                    Code::LibelleInvalide,
                    format!("l'intitulé contient un caractère de contrôle (U+{:04X}) : « {libelle} »", c as u32),
                    "un intitulé fait de texte",
                    Some("retapez l'intitulé dans la cellule : il vient sans doute d'un copier-coller".into()),
                );
                continue;
            }
            if libelle.is_empty() {
                self.erreur(
                    l,
                    1,
                    Code::LibelleAbsent,
                    "intitulé de ligne absent".into(),
                    "l'intitulé de la ligne de bilan",
                    None,
                );
                continue;
            }
            let Some(montant) = self.nombre(l, 2, Sorte::Montant) else {
                if self.feuille.cellule(l, 2).est_vide() {
                    self.erreur(l, 2, Code::MontantAbsent, "montant absent".into(), "le montant de la ligne, en euros", None);
                }
                continue;
            };
            let membre = if self.feuille.cellule(l, 3).est_vide() {
                None
            } else {
                let texte = self.feuille.cellule(l, 3).texte();
                match mutu_check::designe::designe(&self.designables(), &texte) {
                    Ok(id) => Some(id.to_string()),
                    Err(aide) => {
                        self.erreur(
                            l,
                            3,
                            Code::MembreInconnu,
                            format!("membre inconnu : « {texte} »"),
                            "l'identifiant, le nom, le code INSEE ou le SIREN d'un organisme",
                            Some(aide),
                        );
                        continue;
                    }
                }
            };
            let quoi = if depense { "dépense" } else { "recette" };
            let etiquette = format!("bilan {sid} {exercice} {}, {quoi} « {libelle} »", taxes.libelle());
            let liste_cle = if depense { "depenses" } else { "recettes" };
            let texte = yaml_nombre(montant, Sorte::Montant);
            let trouvee = existant.and_then(|b| {
                let bil = &service.bilans[b];
                let lignes = if depense { Some(&bil.depenses) } else { bil.recettes.as_ref() };
                lignes?.iter().position(|x| replie(x.libelle.trim()) == replie(&libelle))
            });
            let mut table = vec![
                ("libelle".to_string(), Nouveau::Scalaire(mutu_model::yaml::chaine(&libelle))),
                ("montant".to_string(), Nouveau::Scalaire(texte.clone())),
            ];
            if let Some(m) = &membre {
                table.push(("membre".into(), Nouveau::Scalaire(m.clone())));
            }
            let operation = match (existant, trouvee) {
                (Some(b), Some(j)) => Operation::Fixer {
                    chemin: racine.index(b).key(liste_cle).index(j).key("montant"),
                    texte: texte.clone(),
                },
                (Some(b), None) => Operation::Ajouter {
                    liste: racine.index(b).key(liste_cle),
                    element: Nouveau::Table(table),
                },
                (None, _) => {
                    nouvelles.push((depense, Nouveau::Table(table)));
                    libelles_nouvelles.push((etiquette, texte, montant));
                    continue;
                }
            };
            out.push(Affectation {
                fichier: service.origine.fichier.clone(),
                operation: Some(operation),
                libelle: etiquette,
                nouveau: texte,
                valeur: montant,
                sorte: Sorte::Montant,
            });
        }
        if nouvelles.is_empty() {
            return;
        }
        // A bilan the service does not have yet: one new block.
        let mut table = vec![
            ("exercice".to_string(), Nouveau::Scalaire(exercice.to_string())),
            ("taxes".to_string(), Nouveau::Scalaire(taxes.token().to_string())),
        ];
        for (cle, dep) in [("depenses", true), ("recettes", false)] {
            let l: Vec<Nouveau> = nouvelles.iter().filter(|(d, _)| *d == dep).map(|(_, n)| n.clone()).collect();
            if !l.is_empty() {
                table.push((cle.to_string(), Nouveau::Liste(l)));
            }
        }
        let element = Nouveau::Table(table);
        for (i, (etiquette, texte, montant)) in libelles_nouvelles.into_iter().enumerate() {
            out.push(Affectation {
                fichier: service.origine.fichier.clone(),
                // The block is written once, with the first of its lines.
                operation: (i == 0).then(|| Operation::Ajouter {
                    liste: racine.clone(),
                    element: element.clone(),
                }),
                libelle: etiquette,
                nouveau: texte,
                valeur: montant,
                sorte: Sorte::Montant,
            });
        }
    }
}

/// A figure as written into the YAML: as read, except that an amount or a
/// population without cents loses the `.00` the reading added.
fn yaml_nombre(d: Decimal, sorte: Sorte) -> String {
    match sorte {
        Sorte::Nombre => d.to_string(),
        Sorte::Montant | Sorte::Entier if d.fract().is_zero() => d.trunc().to_string(),
        _ => d.to_string(),
    }
}
