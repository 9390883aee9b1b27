//! The theme's templates: loaded into Tera inside a sandbox, checked before
//! any page is rendered, and Tera's errors turned into French diagnostics.
//!
//! A theme is code written by whoever maintains the project, run on the
//! build machine (often a CI runner holding deploy tokens) and its output
//! published. So a template only sees the render context:
//! - functions: `range` (at most [`LIMITE_RANGE`] values, `step_by` ≥ 1:
//!   Tera's own loops forever on 0) and `throw`. `get_env`, `now` and
//!   `get_random` (environment, clock, randomness of the machine) are
//!   refused where they are written, before rendering; `get_env`, which
//!   `Tera::default()` registers and cannot be unregistered, is also
//!   replaced by a function that only errors;
//! - filters and tests: Tera's built-in ones without the `builtins` feature
//!   (no `date`, `filesizeformat`, `slugify`, `urlencode`); none reads the
//!   machine;
//! - `extends`, `include`, `import` name templates of the theme only: Tera
//!   is given their text (`add_raw_templates`), never a folder, so no name
//!   reaches the file system.
//!
//! Tera has no depth limit and a stack overflow aborts the process (no
//! `Result`, no unwinding: `mutu serve` would die with it). Checked here
//! before anything is rendered: nesting deeper than
//! [`LIMITE_IMBRICATION`] (on the text, before Tera parses it), then on
//! Tera's syntax tree:
//! - `extends` and `import` cycles (Tera's own check recurses forever on a
//!   cycle that does not go through the template it starts from, and
//!   loading macros recurses forever on an import cycle);
//! - cycles of `include`s, also through macros: always refused;
//! - recursive macros (also mutual, also through `import`ed namespaces):
//!   accepted only when every call of the cycle passes, for one argument
//!   name shared by the macros of the cycle, a strict part of the caller's
//!   argument of that name (a field or an element: `p.enfants` where `p`
//!   runs over `pages`). Template data are finite trees, so such a
//!   recursion ends, at most as deep as the data (the default site map
//!   recurses on `pages`). Anything else (a literal, a filter's result, a
//!   variable `set` in the macro) is refused, even when it would end.
//!
//! Render errors: Tera gives no line. The line is a best effort: the first
//! occurrence, in the template Tera names (else its parents and imported
//! macro files), of the identifier the error names.

use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use mutu_base::theme::Theme;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tera::ast::{Expr, ExprVal, FunctionCall, MacroCall, Node};
use tera::{ErrorKind, Tera, Value};

/// Folder of the templates in a theme.
pub const GABARITS: &str = "templates/";

/// Most values `range` may return (a bigger list is a runaway loop).
pub const LIMITE_RANGE: usize = 100_000;

/// Functions a theme may not call, with what they would read.
const FONCTIONS_REFUSEES: [(&str, &str); 3] = [
    ("get_env", "les variables d'environnement de la machine, qui peuvent contenir des secrets"),
    ("now", "l'horloge de la machine (le site ne serait plus reproductible)"),
    ("get_random", "le hasard de la machine (le site ne serait plus reproductible)"),
];

const AIDE_TERA: &str = "voir la documentation de Tera 1 (https://keats.github.io/tera/docs/) ; supprimez le fichier pour revenir au gabarit par défaut";

/// One template of the theme, parsed.
struct Source<'t> {
    /// Name in Tera (path under `templates/`).
    nom: String,
    texte: &'t str,
    arbre: tera::Template,
}

/// The theme's templates in a sandboxed Tera, or every problem found in
/// them (syntax, missing targets, cycles, refused functions).
pub fn charge(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut sources = Vec::new();
    for (rel, f) in theme.under(GABARITS) {
        let nom = rel[GABARITS.len()..].to_string();
        let Ok(texte) = std::str::from_utf8(&f.bytes) else {
            diags.push(
                Diagnostic::error(Code::GabaritIllisible, format!("le gabarit {} n'est pas un texte UTF-8", affiche(theme, &nom)))
                    .at(f.origine.as_ref().map(Loc::file)),
            );
            continue;
        };
        if let Some(p) = trop_imbrique(texte) {
            diags.push(
                Diagnostic::error(
                    Code::GabaritInvalide,
                    format!(
                        "le gabarit {} imbrique plus de {LIMITE_IMBRICATION} balises ou parenthèses les unes dans les autres",
                        affiche(theme, &nom)
                    ),
                )
                .at(loc(theme, &nom, texte, p, 2).or(f.origine.as_ref().map(Loc::file)))
                .hint("Tera lit et rend chaque niveau par un appel de fonction : au-delà de quelques centaines, mutu s'arrêterait net"),
            );
            continue;
        }
        match tera::Template::new(&nom, None, texte) {
            Ok(arbre) => sources.push(Source { nom, texte, arbre }),
            Err(e) => diags.push(erreur_syntaxe(theme, &nom, texte, &e)),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    verifie(theme, &sources, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(super::echappe_html);
    tera.register_function("range", range);
    for (nom, quoi) in FONCTIONS_REFUSEES {
        tera.register_function(nom, move |_: &HashMap<String, Value>| -> tera::Result<Value> {
            Err(tera::Error::msg(refus(nom, quoi)))
        });
    }
    tera.add_raw_templates(sources.iter().map(|s| (s.nom.as_str(), s.texte))).map_err(|e| {
        vec![Diagnostic::error(
            Code::GabaritInvalide,
            format!("les gabarits du thème n'ont pas pu être chargés : {}", chaine(&e).join(" : ")),
        )
        .hint(AIDE_TERA)]
    })?;
    Ok(tera)
}

/// Deepest nesting of tags (`if`, `for`, `block`, `macro`, `filter`) or of
/// brackets in one tag a template may have: Tera's parser and renderer
/// recurse once per level and overflow the stack (an abort) near a few
/// hundred.
pub const LIMITE_IMBRICATION: usize = 64;

/// Byte offset where a template passes [`LIMITE_IMBRICATION`], if it does.
fn trop_imbrique(texte: &str) -> Option<usize> {
    let b = texte.as_bytes();
    let mut balises = 0usize;
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'{' && b[i + 1] == b'#' {
            i = texte[i..].find("#}").map_or(b.len(), |f| i + f + 2);
            continue;
        }
        if !(b[i] == b'{' && (b[i + 1] == b'{' || b[i + 1] == b'%')) {
            i += 1;
            continue;
        }
        let debut = i;
        let fin: &[u8] = if b[i + 1] == b'{' { b"}}" } else { b"%}" };
        i += 2;
        if b[debut + 1] == b'%' {
            let mot: String = texte[i..]
                .trim_start_matches(['-', ' ', '\t', '\n', '\r'])
                .chars()
                .take_while(char::is_ascii_alphabetic)
                .collect();
            match mot.as_str() {
                "if" | "for" | "block" | "macro" | "filter" => {
                    balises += 1;
                    if balises > LIMITE_IMBRICATION {
                        return Some(debut);
                    }
                }
                "raw" => {
                    i = texte[i..].find("endraw").map_or(b.len(), |f| i + f);
                    continue;
                }
                m if m.starts_with("end") => balises = balises.saturating_sub(1),
                _ => {}
            }
        }
        let mut crochets = 0usize;
        let mut guillemet = None;
        while i < b.len() {
            let c = b[i];
            match guillemet {
                Some(q) if c == q => guillemet = None,
                Some(_) => {}
                None if matches!(c, b'"' | b'\'' | b'`') => guillemet = Some(c),
                None if matches!(c, b'(' | b'[') => {
                    crochets += 1;
                    if crochets > LIMITE_IMBRICATION {
                        return Some(i);
                    }
                }
                None if matches!(c, b')' | b']') => crochets = crochets.saturating_sub(1),
                None if b[i..].starts_with(fin) => {
                    i += 2;
                    break;
                }
                None => {}
            }
            i += 1;
        }
    }
    None
}

fn refus(nom: &str, quoi: &str) -> String {
    format!("la fonction « {nom} » n'est pas disponible dans les gabarits : elle lirait {quoi}")
}

/// Tera's `range`, bounded: Tera's loops forever on `step_by=0` and
/// allocates whatever `end` asks.
fn range(args: &HashMap<String, Value>) -> tera::Result<Value> {
    let entier = |cle: &str, defaut: Option<u64>| -> tera::Result<u64> {
        match args.get(cle) {
            Some(v) => v
                .as_u64()
                .ok_or_else(|| tera::Error::msg(format!("la fonction « range » attend un entier positif pour « {cle} », pas {v}"))),
            None => defaut.ok_or_else(|| tera::Error::msg(format!("la fonction « range » attend l'argument « {cle} »"))),
        }
    };
    let debut = entier("start", Some(0))?;
    let pas = entier("step_by", Some(1))?;
    let fin = entier("end", None)?;
    if pas == 0 {
        return Err(tera::Error::msg("la fonction « range » attend un « step_by » d'au moins 1"));
    }
    if debut > fin {
        return Err(tera::Error::msg("la fonction « range » a reçu un « start » plus grand que « end »"));
    }
    if (fin - debut).div_ceil(pas) > LIMITE_RANGE as u64 {
        return Err(tera::Error::msg(format!("la fonction « range » ne donne pas plus de {LIMITE_RANGE} valeurs")));
    }
    Ok(Value::from((debut..fin).step_by(pas as usize).collect::<Vec<u64>>()))
}

// ---------------------------------------------------------------------------
// Positions in a template's text

/// Display path of a template for messages.
fn affiche(theme: &Theme, nom: &str) -> String {
    theme.display(&format!("{GABARITS}{nom}"), "default")
}

/// Location of byte `pos` of a template (none for the embedded theme,
/// whose file the user does not have).
fn loc(theme: &Theme, nom: &str, texte: &str, pos: usize, longueur: usize) -> Option<Loc> {
    let origine = theme.get(&format!("{GABARITS}{nom}"))?.origine.clone()?;
    let avant = &texte[..pos.min(texte.len())];
    let ligne = avant.matches('\n').count() + 1;
    let colonne = avant.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    Some(Loc::new(origine, ligne, colonne, longueur))
}

fn car_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Byte offset of the `rang`-th (0-based) occurrence of `mot` in `texte`
/// from `debut`, as a whole identifier (not inside a longer one).
fn cherche(texte: &str, debut: usize, mot: &str, rang: usize) -> Option<usize> {
    if mot.is_empty() {
        return None;
    }
    let mut n = 0;
    let mut de = debut.min(texte.len());
    while let Some(p) = texte[de..].find(mot).map(|p| p + de) {
        let avant = texte[..p].chars().next_back().is_some_and(car_ident);
        let apres = texte[p + mot.len()..].chars().next().is_some_and(car_ident);
        let bornes = (!avant || !mot.starts_with(car_ident)) && (!apres || !mot.ends_with(car_ident));
        if bornes {
            if n == rang {
                return Some(p);
            }
            n += 1;
        }
        de = p + mot.len();
    }
    None
}

/// Start of `{% macro nom(` in a template, where a call inside that macro
/// is looked for.
fn debut_macro(texte: &str, nom: &str) -> usize {
    let mut de = 0;
    while let Some(p) = cherche(texte, de, "macro", 0) {
        let reste = texte[p + 5..].trim_start();
        if reste.len() < texte.len() - p - 5 && reste.starts_with(nom) && reste[nom.len()..].trim_start().starts_with('(') {
            return p;
        }
        de = p + 5;
    }
    0
}

/// Position of a tag naming another template (`extends`, `import`,
/// `include`): the quoted name after the keyword.
fn cherche_cible(texte: &str, mot_cle: &str, cible: &str) -> Option<(usize, usize)> {
    let mut de = 0;
    while let Some(p) = cherche(texte, de, mot_cle, 0) {
        let fin_tag = texte[p..].find("%}").map_or(texte.len(), |f| p + f);
        for q in ['"', '\'', '`'] {
            if let Some(r) = texte[p..fin_tag].find(&format!("{q}{cible}{q}")) {
                return Some((p + r, cible.len() + 2));
            }
        }
        de = p + mot_cle.len();
    }
    None
}

// ---------------------------------------------------------------------------
// Syntax errors

/// The text of an error and of its sources.
fn chaine(e: &tera::Error) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

fn erreur_syntaxe(theme: &Theme, nom: &str, texte: &str, e: &tera::Error) -> Diagnostic {
    let brut = chaine(e).join("\n");
    // Pest's errors carry " --> line:column" and a "= expected …" line.
    let position = brut.find("--> ").and_then(|p| {
        let reste = &brut[p + 4..];
        let fin = reste.find(|c: char| !(c.is_ascii_digit() || c == ':')).unwrap_or(reste.len());
        let (l, c) = reste[..fin].split_once(':')?;
        Some((l.parse::<usize>().ok()?, c.parse::<usize>().ok()?))
    });
    let detail = brut.lines().find_map(|l| l.trim_start().strip_prefix("= ")).unwrap_or(brut.trim());
    let origine = theme.get(&format!("{GABARITS}{nom}")).and_then(|f| f.origine.clone());
    let (message, loc) = match position {
        Some((l, c)) => (
            format!("le gabarit {} contient une erreur de syntaxe ligne {l}, colonne {c}", affiche(theme, nom)),
            origine.map(|o| Loc::new(o, l, c, 1)),
        ),
        None => {
            // Errors found after parsing (a block or macro defined twice).
            let (fr, mot) = traduit_message(detail);
            let pos = mot.and_then(|m| cherche(texte, 0, &m, 1).or_else(|| cherche(texte, 0, &m, 0)));
            let loc = pos.and_then(|p| loc(theme, nom, texte, p, 1)).or(origine.map(Loc::file));
            return Diagnostic::error(Code::GabaritInvalide, format!("le gabarit {} est invalide : {fr}", affiche(theme, nom)))
                .at(loc)
                .hint(AIDE_TERA);
        }
    };
    Diagnostic::error(Code::GabaritInvalide, message)
        .at(loc)
        .hint(format!("message de Tera : {detail} ; {AIDE_TERA}"))
}

// ---------------------------------------------------------------------------
// Static checks

/// A node of the call graph: a template's own content (what `include`
/// renders) or a macro.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Noeud<'a> {
    Corps(&'a str),
    Macro(&'a str, &'a str),
}

impl<'a> Noeud<'a> {
    fn gabarit(&self) -> &'a str {
        match *self {
            Noeud::Corps(t) | Noeud::Macro(t, _) => t,
        }
    }
}

/// Size of a value relative to an argument of the macro being walked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Taille<'a> {
    /// The argument itself, or possibly equal to it (a character of a
    /// one-character string iterated by `for`).
    Egal(&'a str),
    /// A strict part of the argument (a field or element).
    Partie(&'a str),
}

/// A call of a macro or an `include` found in a template.
struct Appel<'a> {
    de: Noeud<'a>,
    vers: Vec<Noeud<'a>>,
    /// Callee argument → its size relative to the caller's arguments.
    args: BTreeMap<&'a str, Option<Taille<'a>>>,
    /// What is written at the call (`self::arbre`, or the included name).
    motif: String,
    include: bool,
    /// Occurrence of `motif` in the caller, in walking order.
    rang: usize,
}

struct Parcours<'a> {
    sources: &'a BTreeMap<&'a str, &'a Source<'a>>,
    /// Namespace → templates imported under that name anywhere.
    espaces: BTreeMap<&'a str, BTreeSet<&'a str>>,
    appels: Vec<Appel<'a>>,
    /// (template, function) calls of refused functions, with their rank.
    refus: Vec<(&'a str, &'a str, usize)>,
    /// Calls of macros that no template defines: (template, caller, motif, rank).
    inconnues: Vec<(Noeud<'a>, String, usize)>,
    /// Includes of templates that do not exist: (caller, name).
    absents: Vec<(Noeud<'a>, &'a str)>,
    rangs: BTreeMap<(Noeud<'a>, String), usize>,
}

impl<'a> Parcours<'a> {
    fn rang(&mut self, de: Noeud<'a>, motif: &str) -> usize {
        let r = self.rangs.entry((de, motif.to_string())).or_insert(0);
        *r += 1;
        *r - 1
    }

    fn candidats(&self, mc: &MacroCall) -> Vec<Noeud<'a>> {
        let dans = |t: &&'a str| self.sources.get(t).is_some_and(|s| s.arbre.macros.contains_key(&mc.name));
        let noms: Vec<&'a str> = if mc.namespace == "self" {
            // `self` may resolve to a parent's or an imported template's
            // macros (Tera merges their namespaces): any template.
            self.sources.keys().copied().filter(dans).collect()
        } else {
            self.espaces.get(mc.namespace.as_str()).into_iter().flatten().copied().filter(dans).collect()
        };
        noms.into_iter()
            .filter_map(|t| {
                self.sources
                    .get(t)
                    .and_then(|s| s.arbre.macros.get_key_value(&mc.name))
                    .map(|(m, _)| Noeud::Macro(t, m.as_str()))
            })
            .collect()
    }

    fn corps(&mut self, de: Noeud<'a>, noeuds: &'a [Node], env: &mut Vec<(&'a str, Option<Taille<'a>>)>, modifiees: &BTreeSet<&'a str>) {
        for n in noeuds {
            match n {
                Node::VariableBlock(_, e) => self.expr(de, e, env, modifiees),
                Node::Set(_, s) => self.expr(de, &s.value, env, modifiees),
                Node::FilterSection(_, f, _) => {
                    self.fonction(de, &f.filter, env, modifiees, false);
                    self.corps(de, &f.body, env, modifiees);
                }
                Node::Block(_, b, _) => self.corps(de, &b.body, env, modifiees),
                Node::Forloop(_, f, _) => {
                    self.expr(de, &f.container, env, modifiees);
                    let triee = f
                        .container
                        .filters
                        .iter()
                        .all(|f| matches!(f.name.as_str(), "reverse" | "sort" | "slice" | "unique" | "filter"));
                    let taille = if triee && !f.container.negated {
                        taille(&f.container.val, env, modifiees)
                    } else {
                        None
                    };
                    let n = env.len();
                    env.push((f.value.as_str(), taille));
                    if let Some(k) = &f.key {
                        env.push((k.as_str(), None));
                    }
                    self.corps(de, &f.body, env, modifiees);
                    env.truncate(n);
                    if let Some(vide) = &f.empty_body {
                        self.corps(de, vide, env, modifiees);
                    }
                }
                Node::If(si, _) => {
                    for (_, cond, corps) in &si.conditions {
                        self.expr(de, cond, env, modifiees);
                        self.corps(de, corps, env, modifiees);
                    }
                    if let Some((_, corps)) = &si.otherwise {
                        self.corps(de, corps, env, modifiees);
                    }
                }
                Node::Include(_, noms, ignore) => {
                    let existants: Vec<&'a str> = noms.iter().filter_map(|n| self.sources.get_key_value(n.as_str()).map(|(k, _)| *k)).collect();
                    if existants.is_empty() && !ignore {
                        if let Some(n) = noms.first() {
                            self.absents.push((de, n.as_str()));
                        }
                    }
                    for cible in existants.into_iter().take(1) {
                        let rang = self.rang(de, cible);
                        self.appels.push(Appel {
                            de,
                            vers: vec![Noeud::Corps(cible)],
                            args: BTreeMap::new(),
                            motif: cible.to_string(),
                            include: true,
                            rang,
                        });
                    }
                }
                // Macro definitions are walked as their own nodes.
                Node::MacroDefinition(..)
                | Node::Super
                | Node::Text(_)
                | Node::Extends(..)
                | Node::ImportMacro(..)
                | Node::Raw(..)
                | Node::Break(_)
                | Node::Continue(_)
                | Node::Comment(..) => {}
            }
        }
    }

    fn fonction(&mut self, de: Noeud<'a>, f: &'a FunctionCall, env: &[(&'a str, Option<Taille<'a>>)], modifiees: &BTreeSet<&'a str>, appel: bool) {
        if appel {
            if let Some(&(nom, _)) = FONCTIONS_REFUSEES.iter().find(|(n, _)| *n == f.name) {
                let rang = self.rang(de, nom);
                self.refus.push((de.gabarit(), nom, rang));
            }
        }
        let mut args: Vec<_> = f.args.iter().collect();
        args.sort_by_key(|(k, _)| k.as_str());
        for (_, e) in args {
            self.expr(de, e, env, modifiees);
        }
    }

    fn expr(&mut self, de: Noeud<'a>, e: &'a Expr, env: &[(&'a str, Option<Taille<'a>>)], modifiees: &BTreeSet<&'a str>) {
        self.val(de, &e.val, env, modifiees);
        for f in &e.filters {
            self.fonction(de, f, env, modifiees, false);
        }
    }

    fn val(&mut self, de: Noeud<'a>, v: &'a ExprVal, env: &[(&'a str, Option<Taille<'a>>)], modifiees: &BTreeSet<&'a str>) {
        match v {
            ExprVal::Math(m) => {
                self.expr(de, &m.lhs, env, modifiees);
                self.expr(de, &m.rhs, env, modifiees);
            }
            ExprVal::Logic(l) => {
                self.expr(de, &l.lhs, env, modifiees);
                self.expr(de, &l.rhs, env, modifiees);
            }
            ExprVal::In(i) => {
                self.expr(de, &i.lhs, env, modifiees);
                self.expr(de, &i.rhs, env, modifiees);
            }
            ExprVal::Test(t) => t.args.iter().for_each(|a| self.expr(de, a, env, modifiees)),
            ExprVal::Array(a) => a.iter().for_each(|x| self.expr(de, x, env, modifiees)),
            ExprVal::StringConcat(s) => s.values.iter().for_each(|x| self.val(de, x, env, modifiees)),
            ExprVal::FunctionCall(f) => self.fonction(de, f, env, modifiees, true),
            ExprVal::MacroCall(mc) => {
                let motif = format!("{}::{}", mc.namespace, mc.name);
                let rang = self.rang(de, &motif);
                let vers = self.candidats(mc);
                if vers.is_empty() {
                    self.inconnues.push((de, motif, rang));
                } else {
                    let args = mc
                        .args
                        .iter()
                        .map(|(k, e)| {
                            let t = if e.filters.is_empty() && !e.negated {
                                taille(&e.val, env, modifiees)
                            } else {
                                None
                            };
                            (k.as_str(), t)
                        })
                        .collect();
                    self.appels.push(Appel {
                        de,
                        vers,
                        args,
                        motif,
                        include: false,
                        rang,
                    });
                }
                let mut args: Vec<_> = mc.args.iter().collect();
                args.sort_by_key(|(k, _)| k.as_str());
                for (_, e) in args {
                    self.expr(de, e, env, modifiees);
                }
            }
            ExprVal::String(_) | ExprVal::Int(_) | ExprVal::Float(_) | ExprVal::Bool(_) | ExprVal::Ident(_) => {}
        }
    }
}

/// Size of an expression relative to the arguments in `env`: only a
/// variable path (`x`, `x.champ`, `x[0]`) has one.
fn taille<'a>(v: &ExprVal, env: &[(&'a str, Option<Taille<'a>>)], modifiees: &BTreeSet<&'a str>) -> Option<Taille<'a>> {
    let ExprVal::Ident(chemin) = v else { return None };
    let racine = chemin.split(['.', '[']).next().unwrap_or("");
    if modifiees.contains(racine) {
        return None;
    }
    let t = env.iter().rev().find(|(n, _)| *n == racine)?.1?;
    // A path into a string finds nothing (Tera errors), so any access is
    // a strict part.
    Some(match t {
        Taille::Egal(p) if chemin.len() > racine.len() => Taille::Partie(p),
        t => t,
    })
}

/// Names assigned by `set`/`set_global` anywhere in a body: their value is
/// not followed, so they have no size.
fn modifiees<'a>(noeuds: &'a [Node], out: &mut BTreeSet<&'a str>) {
    for n in noeuds {
        match n {
            Node::Set(_, s) => {
                out.insert(s.key.as_str());
            }
            Node::Block(_, b, _) => modifiees(&b.body, out),
            Node::FilterSection(_, f, _) => modifiees(&f.body, out),
            Node::Forloop(_, f, _) => {
                modifiees(&f.body, out);
                if let Some(v) = &f.empty_body {
                    modifiees(v, out);
                }
            }
            Node::If(si, _) => {
                for (_, _, c) in &si.conditions {
                    modifiees(c, out);
                }
                if let Some((_, c)) = &si.otherwise {
                    modifiees(c, out);
                }
            }
            _ => {}
        }
    }
}

fn verifie(theme: &Theme, sources: &[Source], diags: &mut Vec<Diagnostic>) {
    let index: BTreeMap<&str, &Source> = sources.iter().map(|s| (s.nom.as_str(), s)).collect();
    let erreur = |code: Code, nom: &str, pos: Option<(usize, usize)>, message: String| {
        let s = index[nom];
        let l = pos.and_then(|(p, n)| loc(theme, nom, s.texte, p, n));
        Diagnostic::error(code, message).at(l)
    };

    // Inheritance: missing parents and cycles.
    let mut cycles_vus = BTreeSet::new();
    for s in sources {
        let Some(parent) = &s.arbre.parent else { continue };
        if !index.contains_key(parent.as_str()) {
            diags.push(
                erreur(
                    Code::GabaritInvalide,
                    &s.nom,
                    cherche_cible(s.texte, "extends", parent),
                    format!("le gabarit {} hérite de « {parent} », qui n'existe pas dans le thème", affiche(theme, &s.nom)),
                )
                .hint(AIDE_TERA),
            );
            continue;
        }
        let mut chaine = vec![s.nom.as_str()];
        let mut courant = index.get(parent.as_str());
        while let Some(c) = courant {
            if let Some(debut) = chaine.iter().position(|n| *n == c.nom) {
                let cycle: BTreeSet<&str> = chaine[debut..].iter().copied().collect();
                if debut == 0 && cycles_vus.insert(cycle) {
                    chaine.push(c.nom.as_str());
                    diags.push(erreur(
                        Code::GabaritRecursif,
                        &s.nom,
                        cherche_cible(s.texte, "extends", parent),
                        format!(
                            "héritage circulaire : {}",
                            chaine.iter().map(|n| format!("« {n} »")).collect::<Vec<_>>().join(" hérite de ")
                        ),
                    ));
                }
                break;
            }
            chaine.push(c.nom.as_str());
            courant = c.arbre.parent.as_deref().and_then(|p| index.get(p));
        }
    }

    // Imports: missing files and cycles.
    let mut cycles_vus = BTreeSet::new();
    for s in sources {
        for (fichier, _) in &s.arbre.imported_macro_files {
            if !index.contains_key(fichier.as_str()) {
                diags.push(
                    erreur(
                        Code::GabaritInvalide,
                        &s.nom,
                        cherche_cible(s.texte, "import", fichier),
                        format!(
                            "le gabarit {} importe les macros de « {fichier} », qui n'existe pas dans le thème",
                            affiche(theme, &s.nom)
                        ),
                    )
                    .hint(AIDE_TERA),
                );
            }
        }
    }
    for s in sources {
        // Does an import path lead back to `s`?
        let mut pile: Vec<(&str, Vec<&str>)> = vec![(s.nom.as_str(), vec![s.nom.as_str()])];
        let mut vus = BTreeSet::new();
        while let Some((n, chemin)) = pile.pop() {
            let Some(src) = index.get(n) else { continue };
            for (f, _) in &src.arbre.imported_macro_files {
                if f == &s.nom {
                    let cycle: BTreeSet<&str> = chemin.iter().copied().collect();
                    if cycles_vus.insert(cycle) {
                        let premier = chemin.get(1).copied().unwrap_or(s.nom.as_str());
                        let mut tout = chemin.clone();
                        tout.push(&s.nom);
                        diags.push(erreur(
                            Code::GabaritRecursif,
                            &s.nom,
                            cherche_cible(s.texte, "import", premier),
                            format!(
                                "import circulaire : {}",
                                tout.iter().map(|n| format!("« {n} »")).collect::<Vec<_>>().join(" importe ")
                            ),
                        ));
                    }
                } else if vus.insert(f.as_str()) {
                    let mut c = chemin.clone();
                    c.push(f.as_str());
                    pile.push((f.as_str(), c));
                }
            }
        }
    }
    if !diags.is_empty() {
        return;
    }

    // Call graph of includes and macros.
    let mut p = Parcours {
        sources: &index,
        espaces: BTreeMap::new(),
        appels: Vec::new(),
        refus: Vec::new(),
        inconnues: Vec::new(),
        absents: Vec::new(),
        rangs: BTreeMap::new(),
    };
    for s in sources {
        for (f, ns) in &s.arbre.imported_macro_files {
            if let Some((k, _)) = index.get_key_value(f.as_str()) {
                p.espaces.entry(ns.as_str()).or_default().insert(*k);
            }
        }
    }
    let mut noeuds: Vec<Noeud> = Vec::new();
    for s in sources {
        let nom = s.nom.as_str();
        noeuds.push(Noeud::Corps(nom));
        let mut m = BTreeSet::new();
        modifiees(&s.arbre.ast, &mut m);
        p.corps(Noeud::Corps(nom), &s.arbre.ast, &mut Vec::new(), &m);
        let mut macros: Vec<_> = s.arbre.macros.iter().collect();
        macros.sort_by_key(|(k, _)| k.as_str());
        for (nom_macro, def) in macros {
            let de = Noeud::Macro(nom, nom_macro.as_str());
            noeuds.push(de);
            let mut m = BTreeSet::new();
            modifiees(&def.body, &mut m);
            let mut args: Vec<&str> = def.args.keys().map(String::as_str).collect();
            args.sort();
            let mut env: Vec<_> = args.into_iter().map(|a| (a, Some(Taille::Egal(a)))).collect();
            p.corps(de, &def.body, &mut env, &m);
        }
    }

    let position = |de: Noeud, motif: &str, rang: usize| -> Option<(usize, usize)> {
        let s = index[de.gabarit()];
        let debut = match de {
            Noeud::Macro(_, m) => debut_macro(s.texte, m),
            Noeud::Corps(_) => 0,
        };
        cherche(s.texte, debut, motif, rang)
            .or_else(|| cherche(s.texte, debut, motif, 0))
            .map(|p| (p, motif.chars().count()))
    };
    for (gabarit, nom, rang) in &p.refus {
        let quoi = FONCTIONS_REFUSEES.iter().find(|(n, _)| n == nom).map_or("", |(_, q)| q);
        let pos = cherche(index[gabarit].texte, 0, nom, *rang)
            .or_else(|| cherche(index[gabarit].texte, 0, nom, 0))
            .map(|p| (p, nom.len()));
        diags.push(
            erreur(
                Code::GabaritInterdit,
                gabarit,
                pos,
                format!("le gabarit {} appelle « {nom} » : {}", affiche(theme, gabarit), refus(nom, quoi)),
            )
            .hint("un gabarit n'utilise que les données du site (site, page, blocs…) ; voir la liste des fonctions permises dans la documentation des thèmes"),
        );
    }
    for (de, motif, rang) in &p.inconnues {
        diags.push(
            erreur(
                Code::GabaritInvalide,
                de.gabarit(),
                position(*de, motif, *rang),
                format!(
                    "le gabarit {} appelle la macro « {motif} », qui n'est définie dans aucun gabarit du thème",
                    affiche(theme, de.gabarit())
                ),
            )
            .hint("« self::nom » appelle une macro du même gabarit ; « x::nom » une macro du gabarit importé par {% import \"fichier.html\" as x %}"),
        );
    }
    for (de, nom) in &p.absents {
        diags.push(
            erreur(
                Code::GabaritInvalide,
                de.gabarit(),
                cherche_cible(index[de.gabarit()].texte, "include", nom),
                format!("le gabarit {} inclut « {nom} », qui n'existe pas dans le thème", affiche(theme, de.gabarit())),
            )
            .hint(AIDE_TERA),
        );
    }

    // Strongly connected parts of the call graph.
    let num: BTreeMap<Noeud, usize> = noeuds.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let mut succ: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); noeuds.len()];
    for a in &p.appels {
        for v in &a.vers {
            succ[num[&a.de]].insert(num[v]);
        }
    }
    let atteints: Vec<BTreeSet<usize>> = (0..noeuds.len())
        .map(|i| {
            let mut vus = BTreeSet::new();
            let mut pile: Vec<usize> = succ[i].iter().copied().collect();
            while let Some(j) = pile.pop() {
                if vus.insert(j) {
                    pile.extend(succ[j].iter().copied());
                }
            }
            vus
        })
        .collect();
    let mut faits = BTreeSet::new();
    for i in 0..noeuds.len() {
        if !atteints[i].contains(&i) || faits.contains(&i) {
            continue;
        }
        let cycle: BTreeSet<usize> = (0..noeuds.len()).filter(|j| atteints[i].contains(j) && atteints[*j].contains(&i)).collect();
        faits.extend(cycle.iter().copied());
        let internes: Vec<&Appel> = p
            .appels
            .iter()
            .filter(|a| cycle.contains(&num[&a.de]) && a.vers.iter().any(|v| cycle.contains(&num[v])))
            .collect();
        if let Some(a) = internes
            .iter()
            .find(|a| a.include)
            .or(internes.iter().find(|_| cycle.iter().any(|j| matches!(noeuds[*j], Noeud::Corps(_)))))
        {
            let membres: Vec<String> = cycle.iter().map(|j| decrit(theme, noeuds[*j])).collect();
            let message = match membres.as_slice() {
                [seul] => format!("inclusion circulaire : {seul} s'inclut lui-même"),
                _ => format!("inclusion circulaire : {} s'incluent l'un l'autre sans fin", membres.join(", ")),
            };
            let motif = a.motif.as_str();
            diags.push(
                erreur(
                    Code::GabaritRecursif,
                    a.de.gabarit(),
                    if a.include {
                        cherche_cible(index[a.de.gabarit()].texte, "include", motif)
                    } else {
                        position(a.de, motif, a.rang)
                    },
                    message,
                )
                .hint("un gabarit ne peut pas s'inclure lui-même, directement ou par d'autres gabarits ou macros"),
            );
            continue;
        }
        // Macros only: one argument must shrink along every call.
        let communs: BTreeSet<&str> = cycle
            .iter()
            .map(|j| match noeuds[*j] {
                Noeud::Macro(t, m) => index[t].arbre.macros[m].args.keys().map(String::as_str).collect::<BTreeSet<&str>>(),
                Noeud::Corps(_) => BTreeSet::new(),
            })
            .reduce(|a, b| a.intersection(&b).copied().collect())
            .unwrap_or_default();
        let reduit = |a: &Appel, p: &str| a.args.get(p) == Some(&Some(Taille::Partie(p)));
        if communs.iter().any(|p| internes.iter().all(|a| reduit(a, p))) {
            continue;
        }
        let Some(fautif) = internes.iter().find(|a| !communs.iter().any(|p| reduit(a, p))).or(internes.first()) else {
            continue;
        };
        let Noeud::Macro(t, m) = fautif.de else { continue };
        let autres: Vec<String> = cycle.iter().filter(|j| noeuds[**j] != fautif.de).map(|j| decrit(theme, noeuds[*j])).collect();
        let comment = if autres.is_empty() {
            "s'appelle elle-même".to_string()
        } else {
            format!("s'appelle elle-même par {}", autres.join(", "))
        };
        diags.push(
            erreur(
                Code::GabaritRecursif,
                t,
                position(fautif.de, &fautif.motif, fautif.rang),
                format!(
                    "la macro « {m} » du gabarit {} {comment} sans réduire ses arguments : la récursion ne s'arrêterait pas",
                    affiche(theme, t)
                ),
            )
            .hint(
                "une macro ne peut se rappeler qu'en passant à un de ses arguments une partie de sa valeur (un champ ou un élément), \
                 par exemple {% for p in pages %}{{ self::arbre(pages=p.enfants) }}{% endfor %}",
            ),
        );
    }
}

fn decrit(theme: &Theme, n: Noeud) -> String {
    match n {
        Noeud::Corps(t) => format!("le gabarit {}", affiche(theme, t)),
        Noeud::Macro(t, m) => format!("la macro « {m} » du gabarit {}", affiche(theme, t)),
    }
}

// ---------------------------------------------------------------------------
// Render errors

/// The first text between backquotes in `m`.
fn cite(m: &str) -> Option<&str> {
    let debut = m.find('`')? + 1;
    let fin = m[debut..].find('`')? + debut;
    Some(&m[debut..fin])
}

/// A Tera message in French, with the identifier it is about (to find its
/// line).
fn traduit_message(m: &str) -> (String, Option<String>) {
    let c = cite(m).unwrap_or("").to_string();
    let second = m.find(&format!("`{c}`")).and_then(|p| cite(&m[p + c.len() + 2..])).unwrap_or("").to_string();
    if m.starts_with("Variable `") {
        (format!("la variable « {c} » n'existe pas ici"), Some(c))
    } else if m.starts_with("Macro namespace `") {
        (
            format!("l'espace de macros « {c} » n'est pas importé (il manque {{% import \"…\" as {c} %}})"),
            Some(format!("{c}::")),
        )
    } else if m.starts_with("Macro `") && m.contains("is missing the argument") {
        (format!("l'appel de la macro « {c} » ne donne pas l'argument « {second} »"), Some(c))
    } else if m.starts_with("Macro `") && m.contains("not found in template") {
        (format!("la macro « {c} » n'existe pas"), Some(c))
    } else if m.starts_with("Macro `") && m.contains("is duplicated") {
        (format!("la macro « {c} » est définie deux fois"), Some(c))
    } else if m.starts_with("Block `") && m.contains("is duplicated") {
        (format!("le bloc « {c} » est défini deux fois"), Some(c))
    } else if m.starts_with("Tried to iterate on a container") {
        (
            format!("« {c} » ne peut pas être parcouru par une boucle for : ce n'est ni une liste ni un objet"),
            Some(c),
        )
    } else if m.starts_with("Tried to iterate using key value") && m.contains("isn't an object") {
        (
            format!("« {c} » n'est pas un objet : « for clé, valeur in … » ne parcourt que des objets"),
            Some(c),
        )
    } else if m.starts_with("Tried to iterate using key value") {
        (format!("« {c} » est un objet : parcourez-le avec « for clé, valeur in {c} »"), Some(c))
    } else if m.starts_with("Tried to do math") || m.starts_with("Comparison to NaN") {
        (format!("calcul impossible (message de Tera : {m})"), None)
    } else {
        (format!("erreur de Tera : {m}"), None)
    }
}

/// The French message of a render error and the identifier it names.
fn traduit(e: &tera::Error) -> (String, Option<String>) {
    let mut erreurs: Vec<&(dyn std::error::Error + 'static)> = vec![e];
    while let Some(s) = erreurs.last().and_then(|e| e.source()) {
        erreurs.push(s);
    }
    // Tera wraps the error in "Failed to render …" messages: the first
    // other one is what went wrong.
    let Some(i) = erreurs.iter().position(|e| !e.to_string().starts_with("Failed to render")) else {
        return traduit_message(&e.to_string());
    };
    let detail = erreurs.get(i + 1).map(|e| e.to_string()).unwrap_or_default();
    let Some(te) = erreurs[i].downcast_ref::<tera::Error>() else {
        return (format!("erreur de Tera : {}", erreurs[i]), None);
    };
    let ours = detail.starts_with("la fonction « ");
    match &te.kind {
        ErrorKind::FilterNotFound(n) => (format!("le filtre « {n} » n'existe pas"), Some(n.clone())),
        ErrorKind::TestNotFound(n) => (format!("le test « {n} » n'existe pas"), Some(n.clone())),
        ErrorKind::FunctionNotFound(n) => (format!("la fonction « {n} » n'existe pas"), Some(n.clone())),
        ErrorKind::TemplateNotFound(n) => {
            let n = n.trim_matches(['[', ']']).to_string();
            (format!("le gabarit « {n} » n'existe pas dans le thème"), Some(n))
        }
        ErrorKind::CallFunction(n) if n == "throw" => (format!("le gabarit signale une erreur : {detail}"), Some(n.clone())),
        ErrorKind::CallFunction(n) if ours => (detail, Some(n.clone())),
        ErrorKind::CallFunction(n) => (
            format!("la fonction « {n} » a reçu des arguments incorrects (message de Tera : {detail})"),
            Some(n.clone()),
        ),
        ErrorKind::CallFilter(n) => (
            format!("le filtre « {n} » ne s'applique pas à cette valeur ou à ces arguments (message de Tera : {detail})"),
            Some(n.clone()),
        ),
        ErrorKind::CallTest(n) => (
            format!("le test « {n} » ne s'applique pas à cette valeur ou à ces arguments (message de Tera : {detail})"),
            Some(n.clone()),
        ),
        ErrorKind::Msg(m) => traduit_message(m),
        _ => (format!("erreur de Tera : {te}"), None),
    }
}

/// A render error of template `racine` as a French diagnostic. Tera names
/// the template it was rendering but no line: the line is that of the
/// first occurrence of the identifier the error names (variable, filter,
/// function, macro), looked for in the template Tera names, then the
/// macro's, the root template, its parents and their imported macro
/// files. A best effort: the same name may appear earlier in a place that
/// works.
pub fn erreur_rendu(theme: &Theme, tera: &Tera, racine: &str, e: &tera::Error) -> Diagnostic {
    let haut = e.to_string();
    let apres = |motif: &str| haut.find(motif).map(|p| &haut[p + motif.len()..]);
    let lieu = apres("(error happened in '").and_then(|r| r.split('\'').next()).map(str::to_string);
    let macro_ = apres("error while rendering macro `")
        .and_then(|r| r.split('`').next())
        .and_then(|r| r.rsplit("::").next())
        .map(str::to_string);
    let (message, mot) = traduit(e);
    let mut candidats: Vec<String> = lieu.iter().cloned().collect();
    if let Some(m) = &macro_ {
        let mut noms: Vec<&str> = tera
            .get_template_names()
            .filter(|n| tera.get_template(n).is_ok_and(|t| t.macros.contains_key(m)))
            .collect();
        noms.sort();
        candidats.extend(noms.into_iter().map(str::to_string));
    }
    candidats.push(racine.to_string());
    if let Ok(t) = tera.get_template(racine) {
        candidats.extend(t.parents.iter().cloned());
    }
    for n in candidats.clone() {
        if let Ok(t) = tera.get_template(&n) {
            candidats.extend(t.imported_macro_files.iter().map(|(f, _)| f.clone()));
        }
    }
    let texte = |n: &str| theme.text(&format!("{GABARITS}{n}"));
    let trouve = mot.as_deref().and_then(|m| {
        candidats
            .iter()
            .find_map(|n| cherche(texte(n)?, 0, m, 0).map(|p| (n.clone(), p, m.chars().count())))
    });
    let nom = trouve.as_ref().map(|t| t.0.clone()).or(lieu).unwrap_or_else(|| racine.to_string());
    let l = match &trouve {
        Some((n, p, len)) => texte(n).and_then(|t| loc(theme, n, t, *p, *len)),
        None => theme.get(&format!("{GABARITS}{nom}")).and_then(|f| f.origine.clone()).map(Loc::file),
    };
    Diagnostic::error(
        Code::GabaritRendu,
        format!("le gabarit {} n'a pas pu être rendu : {message}", affiche(theme, &nom)),
    )
    .at(l)
    .hint(AIDE_TERA)
}

/// Errors of every page, each once: a template error repeats on every page
/// using the template, so the same diagnostic is kept once with the number
/// of pages it concerns.
pub fn regroupe(par_page: Vec<Vec<Diagnostic>>) -> Vec<Diagnostic> {
    let mut out: Vec<(Diagnostic, usize)> = Vec::new();
    for page in par_page {
        let mut vus: Vec<&Diagnostic> = Vec::new();
        for d in &page {
            if d.code != Code::GabaritRendu {
                out.push((d.clone(), 0));
            } else if !vus.contains(&d) {
                vus.push(d);
                match out.iter_mut().find(|(o, _)| o == d) {
                    Some((_, n)) => *n += 1,
                    None => out.push((d.clone(), 1)),
                }
            }
        }
    }
    out.into_iter()
        .map(|(mut d, n)| {
            if n > 1 {
                d.message.push_str(&format!(" ({n} pages concernées)"));
            }
            d
        })
        .collect()
}
