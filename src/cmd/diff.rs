//! `mutu diff <révision> [<révision>]` (alias `comparer`): the project as it
//! was at two git revisions (the second defaults to the working tree),
//! both computed, and every figure that differs said in French —
//! contributions and allocations by member, balances, indicator values,
//! populations, fiche statuses — then the texts changed and the entities
//! added or removed; `--sortie FICHIER.html` writes the same as one
//! accessible page.
//!
//! Git is read through the `git` command rather than a library: gix or git2
//! would add a large dependency build (git2 also a C library) for two
//! read-only calls. `git ls-tree -r -z` lists the project's files at the
//! revision and one `git cat-file --batch` process streams their contents
//! into a temporary folder, which the ordinary pipeline then loads; the
//! user's index and working tree are never touched.
//!
//! The comparison reads the computed models only: no figure is recomputed
//! here, each is flattened into labelled values ([`Releve`]) and compared.

use mutu_base::codes::Code;
use mutu_base::format::Grandeur;
use mutu_compute::pipeline;
use mutu_compute::Modele;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One side of the comparison: a revision, or the working tree.
#[derive(Debug, Clone)]
pub enum Cote {
    Revision { nom: String, commit: String },
    ArbreDeTravail,
}

impl Cote {
    pub fn libelle(&self) -> String {
        match self {
            Cote::Revision { nom, commit } => format!("{nom} ({})", &commit[..commit.len().min(10)]),
            Cote::ArbreDeTravail => "l'arbre de travail".to_string(),
        }
    }
}

/// A failure the user can act on, in French.
#[derive(Debug)]
pub struct Echec {
    pub code: Code,
    pub message: String,
    pub aide: Option<String>,
}

impl Echec {
    fn new(code: Code, message: impl Into<String>, aide: Option<&str>) -> Echec {
        Echec {
            code,
            message: message.into(),
            aide: aide.map(str::to_string),
        }
    }
}

fn git(dir: &Path, args: &[&str]) -> Result<std::process::Output, Echec> {
    Command::new("git").arg("-C").arg(dir).args(args).stdin(Stdio::null()).output().map_err(|e| {
        Echec::new(
            Code::GitAbsent,
            format!("impossible de lancer la commande git : {e}"),
            Some("installez git (https://git-scm.com) et vérifiez qu'il est dans le PATH"),
        )
    })
}

/// The repository's top folder and the project's path inside it (`""` at the top).
fn depot(root: &Path) -> Result<(PathBuf, String), Echec> {
    let out = git(root, &["rev-parse", "--show-toplevel", "--show-prefix"])?;
    if !out.status.success() {
        return Err(Echec::new(
            Code::HorsDepotGit,
            format!("le projet {} n'est pas dans un dépôt git", root.display()),
            Some("mutu diff compare deux versions enregistrées avec git : lancez `git init` puis `git add` et `git commit` dans le projet"),
        ));
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let top = PathBuf::from(lines.next().unwrap_or_default());
    let prefix = lines.next().unwrap_or_default().to_string();
    Ok((top, prefix))
}

/// The commit a revision names, or a French diagnostic.
fn commit(top: &Path, rev: &str) -> Result<String, Echec> {
    let spec = format!("{rev}^{{commit}}");
    let out = git(top, &["rev-parse", "--verify", "--quiet", "--end-of-options", &spec])?;
    if !out.status.success() || rev.starts_with('-') {
        return Err(Echec::new(
            Code::RevisionInconnue,
            format!("la révision « {rev} » n'existe pas dans le dépôt"),
            Some("indiquez un commit, une branche ou une étiquette : `git log --oneline` les liste (par exemple HEAD~1)"),
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// A temporary folder removed when dropped.
struct Temp(PathBuf);

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Writes the project's files at `commit` into `dest`.
fn extraire(top: &Path, prefix: &str, commit: &str, dest: &Path) -> Result<(), Echec> {
    let lecture = |e: std::io::Error| Echec::new(Code::GitEchoue, format!("lecture du dépôt git impossible : {e}"), None);
    let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit];
    if !prefix.is_empty() {
        args.push("--");
        args.push(prefix);
    }
    let out = git(top, &args)?;
    if !out.status.success() {
        return Err(Echec::new(
            Code::GitEchoue,
            format!("git ls-tree a échoué : {}", String::from_utf8_lossy(&out.stderr).trim()),
            None,
        ));
    }
    // "<mode> blob <sha>\t<path>\0"; links and submodules are left out.
    let mut fichiers: Vec<(String, PathBuf)> = Vec::new();
    for entry in out.stdout.split(|&b| b == 0).filter(|e| !e.is_empty()) {
        let entry = String::from_utf8_lossy(entry);
        let Some((meta, path)) = entry.split_once('\t') else { continue };
        let meta: Vec<&str> = meta.split(' ').collect();
        if meta.len() != 3 || meta[1] != "blob" || meta[0] == "120000" {
            continue;
        }
        let rel = path.strip_prefix(prefix).unwrap_or(path);
        let rel = Path::new(rel);
        if rel.components().any(|c| !matches!(c, std::path::Component::Normal(_))) {
            continue;
        }
        fichiers.push((meta[2].to_string(), dest.join(rel)));
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(top)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(lecture)?;
    let mut stdin = child.stdin.take().expect("piped");
    let shas: Vec<String> = fichiers.iter().map(|(s, _)| s.clone()).collect();
    let writer = std::thread::spawn(move || {
        for s in shas {
            if writeln!(stdin, "{s}").is_err() {
                break;
            }
        }
    });
    let mut reader = BufReader::new(child.stdout.take().expect("piped"));
    for (_, path) in &fichiers {
        let mut head = String::new();
        reader.read_line(&mut head).map_err(lecture)?;
        let size: usize = head
            .split_whitespace()
            .nth(2)
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| Echec::new(Code::GitEchoue, format!("réponse inattendue de git cat-file : {}", head.trim()), None))?;
        let mut body = vec![0u8; size];
        reader.read_exact(&mut body).map_err(lecture)?;
        let mut nl = [0u8; 1];
        reader.read_exact(&mut nl).map_err(lecture)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(lecture)?;
        }
        std::fs::write(path, body).map_err(lecture)?;
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(())
}

/// The model of one side, or the diagnostics rendered with the revision named.
fn modele(root: &Path, top: &Path, prefix: &str, cote: &Cote, n: usize) -> Result<(Modele, Option<Temp>), Echec> {
    let (dir, temp) = match cote {
        Cote::ArbreDeTravail => (root.to_path_buf(), None),
        Cote::Revision { commit, .. } => {
            let base = std::env::temp_dir().join(format!("mutu-diff-{}-{n}", std::process::id()));
            let _ = std::fs::remove_dir_all(&base);
            let t = Temp(base.clone());
            extraire(top, prefix, commit, &base)?;
            (base, Some(t))
        }
    };
    let run = pipeline::run(&dir);
    if run.diagnostics.has_errors() || run.model.is_none() {
        // Errors only, each file named `<révision>:<chemin>` like git's own.
        let nom = match cote {
            Cote::Revision { nom, .. } => Some(nom.as_str()),
            Cote::ArbreDeTravail => None,
        };
        let mut text = String::new();
        for d in run.diagnostics.items.iter().filter(|d| d.is_error()) {
            let mut r = d.render(&run.sources);
            if let (Some(nom), Some(loc)) = (nom, &d.loc) {
                let chemin = mutu_base::diagnostic::display_path(&loc.fichier);
                r = r.replacen(&format!("--> {chemin}"), &format!("--> {nom}:{chemin}"), 1);
            }
            text.push_str(&r);
            text.push('\n');
        }
        return Err(Echec::new(
            Code::RevisionInvalide,
            format!(
                "les données de {} sont invalides ({}) :\n{}",
                cote.libelle(),
                run.diagnostics.summary(),
                text.trim_end()
            ),
            Some("corrigez les données de cette version, ou comparez d'autres révisions"),
        ));
    }
    Ok((run.model.expect("checked"), temp))
}

/// A figure of the model, labelled.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Valeur {
    Nombre(Grandeur, Decimal),
    Texte(String),
}

impl Valeur {
    fn texte(&self) -> String {
        match self {
            Valeur::Nombre(g, d) => g.texte(d),
            Valeur::Texte(t) => t.clone(),
        }
    }
}

/// Rubrique → label → value, in the model's order.
type Releve = Vec<(&'static str, String, Valeur)>;

fn releve(m: &Modele) -> Releve {
    let mut out: Releve = Vec::new();
    let eur = |d: Decimal| Valeur::Nombre(Grandeur::Montant, d);
    // A figure not entered is compared as such, never as 0.
    let eur_ou_absent = |d: Option<Decimal>| d.map_or_else(|| Valeur::Texte("non renseigné".into()), eur);
    for r in &m.releves {
        for e in &r.exercices {
            if !e.total_ttc.is_zero() {
                out.push(("Contributions des membres", format!("{}, total {} TTC", r.nom, e.exercice), eur(e.total_ttc)));
            }
            if !e.total_ht.is_zero() {
                out.push(("Contributions des membres", format!("{}, total {} HT", r.nom, e.exercice), eur(e.total_ht)));
            }
            for l in &e.lignes {
                out.push((
                    "Contributions des membres",
                    format!("{}, {} — {} ({})", r.nom, l.service_nom, l.repartition, l.taxes.libelle()),
                    eur(l.montant),
                ));
            }
        }
    }
    for s in &m.services {
        for rc in &s.repartitions {
            out.push(("Répartitions", format!("{} — {} : montant réparti", s.service.nom, rc.libelle), eur(rc.total)));
            for p in &rc.parts {
                out.push((
                    "Répartitions",
                    format!("{} — {} : part de {}", s.service.nom, rc.libelle, p.nom),
                    eur(p.montant),
                ));
            }
        }
        for b in &s.bilans {
            let t = b.taxes.libelle();
            out.push((
                "Bilans",
                format!("{} — bilan {} {t} : dépenses", s.service.nom, b.exercice),
                eur(b.total_depenses),
            ));
            out.push((
                "Bilans",
                format!("{} — bilan {} {t} : recettes", s.service.nom, b.exercice),
                eur_ou_absent(b.total_recettes),
            ));
            out.push((
                "Bilans",
                format!("{} — bilan {} {t} : solde", s.service.nom, b.exercice),
                eur_ou_absent(b.solde),
            ));
        }
        for i in &s.indicateurs {
            for a in &i.annees {
                out.push((
                    "Indicateurs",
                    format!("{} — {} en {}", s.service.nom, i.libelle, a.annee),
                    Valeur::Nombre(Grandeur::Quantite, a.valeur),
                ));
            }
        }
    }
    for b in &m.membres {
        for (y, pops) in &b.populations {
            for s in mutu_model::territoire::SortePopulation::ALL {
                if let Some(v) = pops.get(s) {
                    out.push((
                        "Populations",
                        format!("{}, {} {y}", b.nom, s.libelle()),
                        Valeur::Nombre(Grandeur::Entier, Decimal::from(v)),
                    ));
                }
            }
        }
    }
    for f in &m.fiches {
        out.push((
            "Fiches-actions",
            format!("Fiche « {} » : statut", f.piste),
            Valeur::Texte(f.statut.libelle().to_string()),
        ));
    }
    out
}

/// One figure that differs.
#[derive(Debug, Clone)]
pub struct Ecart {
    pub rubrique: &'static str,
    pub libelle: String,
    /// `None`: the figure does not exist on that side.
    pub avant: Option<String>,
    pub apres: Option<String>,
    pub difference: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Comparaison {
    pub chiffres: Vec<Ecart>,
    /// (file, title) of the texts whose content changed.
    pub textes: Vec<(String, Option<String>)>,
    /// "service ajouté : …"
    pub entites: Vec<String>,
}

pub fn comparer(a: &Modele, b: &Modele) -> Comparaison {
    let (ra, rb) = (releve(a), releve(b));
    let index = |r: &Releve| -> BTreeMap<(&'static str, String), Valeur> { r.iter().map(|(k, l, v)| ((*k, l.clone()), v.clone())).collect() };
    let (ia, ib) = (index(&ra), index(&rb));
    let mut vus = BTreeSet::new();
    let mut chiffres = Vec::new();
    for (k, l, _) in ra.iter().chain(rb.iter()) {
        if !vus.insert((*k, l.clone())) {
            continue;
        }
        let (va, vb) = (ia.get(&(*k, l.clone())), ib.get(&(*k, l.clone())));
        if va == vb {
            continue;
        }
        let difference = match (va, vb) {
            (Some(Valeur::Nombre(g, x)), Some(Valeur::Nombre(_, y))) => Some(g.texte_signe(&(y - x))),
            _ => None,
        };
        chiffres.push(Ecart {
            rubrique: k,
            libelle: l.clone(),
            avant: va.map(Valeur::texte),
            apres: vb.map(Valeur::texte),
            difference,
        });
    }
    // Grouped by rubrique, in the order rubriques first appear.
    let ordre: Vec<&str> = {
        let mut v: Vec<&str> = Vec::new();
        for (k, _, _) in ra.iter().chain(rb.iter()) {
            if !v.contains(k) {
                v.push(k);
            }
        }
        v
    };
    chiffres.sort_by_key(|e| ordre.iter().position(|k| *k == e.rubrique));

    let textes_a: BTreeMap<&str, &mutu_model::Contenu> = a.contenus.iter().map(|c| (c.fichier.as_str(), c)).collect();
    let textes_b: BTreeMap<&str, &mutu_model::Contenu> = b.contenus.iter().map(|c| (c.fichier.as_str(), c)).collect();
    let textes = textes_a
        .iter()
        .filter_map(|(f, c)| {
            textes_b
                .get(f)
                .filter(|d| d.markdown != c.markdown)
                .map(|d| (f.to_string(), d.entete.titre_ecrit().cloned()))
        })
        .collect();

    let mut entites = Vec::new();
    let mut ajouts = |quoi: &str, xs: Vec<(String, String)>, ys: Vec<(String, String)>| {
        let ida: BTreeSet<&String> = xs.iter().map(|x| &x.0).collect();
        let idb: BTreeSet<&String> = ys.iter().map(|x| &x.0).collect();
        for (id, nom) in &xs {
            if !idb.contains(id) {
                entites.push(format!("{quoi} retiré : {nom} ({id})"));
            }
        }
        for (id, nom) in &ys {
            if !ida.contains(id) {
                entites.push(format!("{quoi} ajouté : {nom} ({id})"));
            }
        }
    };
    ajouts(
        "service",
        a.services.iter().map(|s| (s.service.id.clone(), s.service.nom.clone())).collect(),
        b.services.iter().map(|s| (s.service.id.clone(), s.service.nom.clone())).collect(),
    );
    ajouts(
        "membre",
        a.membres.iter().map(|s| (s.id.clone(), s.nom.clone())).collect(),
        b.membres.iter().map(|s| (s.id.clone(), s.nom.clone())).collect(),
    );
    ajouts(
        "partenaire",
        a.partenaires.iter().map(|s| (s.id.clone(), s.nom.clone())).collect(),
        b.partenaires.iter().map(|s| (s.id.clone(), s.nom.clone())).collect(),
    );
    ajouts(
        "fiche-action",
        a.fiches.iter().map(|s| (s.id.clone(), s.piste.clone())).collect(),
        b.fiches.iter().map(|s| (s.id.clone(), s.piste.clone())).collect(),
    );
    ajouts(
        "clé de répartition",
        a.cles.iter().map(|s| (s.id.clone(), s.libelle.clone())).collect(),
        b.cles.iter().map(|s| (s.id.clone(), s.libelle.clone())).collect(),
    );
    ajouts(
        "texte",
        a.contenus.iter().map(|s| (s.fichier.clone(), s.fichier.clone())).collect(),
        b.contenus.iter().map(|s| (s.fichier.clone(), s.fichier.clone())).collect(),
    );
    Comparaison { chiffres, textes, entites }
}

fn absent() -> String {
    "absent".to_string()
}

/// The comparison as plain French text.
pub fn texte(c: &Comparaison, a: &Cote, b: &Cote) -> String {
    let mut out = format!("Comparaison de {} avec {}\n", a.libelle(), b.libelle());
    if c.chiffres.is_empty() && c.textes.is_empty() && c.entites.is_empty() {
        out.push_str("\nAucune différence : mêmes chiffres, mêmes textes, mêmes entités.\n");
        return out;
    }
    out.push_str(&format!("\nChiffres modifiés : {}\n", c.chiffres.len()));
    let mut rubrique = "";
    for e in &c.chiffres {
        if e.rubrique != rubrique {
            rubrique = e.rubrique;
            out.push_str(&format!("\n  {rubrique}\n"));
        }
        out.push_str(&format!(
            "    {} : {} → {}{}\n",
            e.libelle,
            e.avant.clone().unwrap_or_else(absent),
            e.apres.clone().unwrap_or_else(absent),
            e.difference.as_ref().map(|d| format!(" ({d})")).unwrap_or_default()
        ));
    }
    out.push_str(&format!("\nTextes modifiés : {}\n", c.textes.len()));
    for (f, t) in &c.textes {
        out.push_str(&format!("    {f}{}\n", t.as_ref().map(|t| format!(" (« {t} »)")).unwrap_or_default()));
    }
    out.push_str(&format!("\nEntités ajoutées ou retirées : {}\n", c.entites.len()));
    for e in &c.entites {
        out.push_str(&format!("    {e}\n"));
    }
    out
}

/// How every comparison page begins: `--sortie` overwrites an existing
/// file only when it begins so (`output::regles::Genre::Comparaison`).
pub const DEBUT: &str = mutu_base::output::regles::DEBUT_COMPARAISON;

/// The comparison as one accessible HTML page.
pub fn html(c: &Comparaison, a: &Cote, b: &Cote) -> String {
    let h = mutu_site::echappe_html;
    let titre = format!("Comparaison de {} avec {}", a.libelle(), b.libelle());
    let mut out = format!(
        "{DEBUT}<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;line-height:1.5}}table{{border-collapse:collapse;width:100%;margin:1rem 0}}th,td{{border:1px solid #888;padding:.3rem .5rem;text-align:left;vertical-align:top}}td.n{{text-align:right;white-space:nowrap}}caption{{text-align:left;font-weight:bold}}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        h(&titre),
        h(&titre)
    );
    if c.chiffres.is_empty() && c.textes.is_empty() && c.entites.is_empty() {
        out.push_str("<p>Aucune différence : mêmes chiffres, mêmes textes, mêmes entités.</p>\n");
    }
    out.push_str(&format!("<h2>Chiffres modifiés ({})</h2>\n", c.chiffres.len()));
    let mut rubriques: Vec<&str> = Vec::new();
    for e in &c.chiffres {
        if !rubriques.contains(&e.rubrique) {
            rubriques.push(e.rubrique);
        }
    }
    for r in rubriques {
        out.push_str(&format!(
            "<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\">Chiffre</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">Écart</th></tr></thead>\n<tbody>\n",
            h(r),
            h(&a.libelle()),
            h(&b.libelle())
        ));
        for e in c.chiffres.iter().filter(|e| e.rubrique == r) {
            out.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
                h(&e.libelle),
                h(&e.avant.clone().unwrap_or_else(absent)),
                h(&e.apres.clone().unwrap_or_else(absent)),
                h(e.difference.as_deref().unwrap_or("—"))
            ));
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str(&format!("<h2>Textes modifiés ({})</h2>\n<ul>\n", c.textes.len()));
    for (f, t) in &c.textes {
        out.push_str(&format!(
            "<li>{}{}</li>\n",
            h(f),
            t.as_ref().map(|t| format!(" (« {} »)", h(t))).unwrap_or_default()
        ));
    }
    out.push_str(&format!("</ul>\n<h2>Entités ajoutées ou retirées ({})</h2>\n<ul>\n", c.entites.len()));
    for e in &c.entites {
        out.push_str(&format!("<li>{}</li>\n", h(e)));
    }
    out.push_str("</ul>\n</main>\n</body>\n</html>\n");
    out
}

fn echec(e: &Echec) -> i32 {
    eprintln!("erreur[{}] : {}", e.code, e.message);
    if let Some(a) = &e.aide {
        eprintln!("  = aide : {a}");
    }
    1
}

/// `mutu diff` as the command line calls it: the report file, if asked,
/// must be a previous report of `mutu diff` (or not exist).
pub fn commande(racine: &Path, revision: &str, seconde: Option<&str>, sortie: Option<&Path>) -> i32 {
    if let Some(f) = sortie {
        if let Err(r) = mutu_base::output::regles::fichier_remplacable(racine, f, mutu_base::output::regles::Genre::Comparaison) {
            return super::sortie_refusee(&r, f);
        }
    }
    run(racine, revision, seconde, sortie)
}

/// Runs the command; returns the exit code.
pub fn run(root: &Path, revision: &str, seconde: Option<&str>, sortie: Option<&Path>) -> i32 {
    let (top, prefix) = match depot(root) {
        Ok(x) => x,
        Err(e) => return echec(&e),
    };
    let cote = |rev: &str| {
        commit(&top, rev).map(|c| Cote::Revision {
            nom: rev.to_string(),
            commit: c,
        })
    };
    let a = match cote(revision) {
        Ok(c) => c,
        Err(e) => return echec(&e),
    };
    let b = match seconde.map(cote).unwrap_or(Ok(Cote::ArbreDeTravail)) {
        Ok(c) => c,
        Err(e) => return echec(&e),
    };
    let (ma, _ta) = match modele(root, &top, &prefix, &a, 1) {
        Ok(x) => x,
        Err(e) => return echec(&e),
    };
    let (mb, _tb) = match modele(root, &top, &prefix, &b, 2) {
        Ok(x) => x,
        Err(e) => return echec(&e),
    };
    let c = comparer(&ma, &mb);
    print!("{}", texte(&c, &a, &b));
    if let Some(path) = sortie {
        if let Err(e) = mutu_base::output::write_atomic(path, html(&c, &a, &b).as_bytes()) {
            eprintln!(
                "erreur : impossible d'écrire {} : {e}\n  = aide : {}",
                path.display(),
                mutu_base::diagnostic::aide_ecriture(&e)
            );
            return 1;
        }
        eprintln!("comparaison écrite dans {}", path.display());
    }
    0
}
