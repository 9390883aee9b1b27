//! Editing a YAML file as text, at the places the span index knows, so that
//! `mutu import --ecrire` keeps the user's comments, order and layout: a
//! value is replaced where it is written; a new entry is added after the
//! last entry of its mapping (or before the `}` of a flow mapping), in the
//! style of its neighbours (`2024: {capld: 60, landerneau: 40}` beside
//! entries written that way, an indented block otherwise); a new item is
//! appended to a block sequence. The file is never re-serialized.

use mutu_model::yaml::{Path, SpanIndex};

/// A value to write where nothing is yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Nouveau {
    /// A scalar, as YAML text (`27.5`, `"Frais de personnel"`).
    Scalaire(String),
    Table(Vec<(String, Nouveau)>),
    Liste(Vec<Nouveau>),
}

impl Nouveau {
    /// Adds `valeur` at `chemin` inside this table (creating the tables
    /// on the way), keeping the order of first insertion.
    fn poser(&mut self, chemin: &[String], valeur: Nouveau) {
        let Nouveau::Table(entrees) = self else { return };
        let Some((tete, reste)) = chemin.split_first() else { return };
        if reste.is_empty() {
            match (entrees.iter_mut().find(|(k, _)| k == tete), valeur) {
                (Some((_, Nouveau::Liste(l))), Nouveau::Liste(mut n)) => l.append(&mut n),
                (Some((_, v)), n) => *v = n,
                (None, n) => entrees.push((tete.clone(), n)),
            }
            return;
        }
        if !entrees.iter().any(|(k, _)| k == tete) {
            entrees.push((tete.clone(), Nouveau::Table(Vec::new())));
        }
        if let Some((_, sous)) = entrees.iter_mut().find(|(k, _)| k == tete) {
            sous.poser(reste, valeur);
        }
    }
}

/// One change to a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Operation {
    /// The scalar at `chemin` becomes `texte`; the mappings on the way are
    /// created if missing.
    Fixer { chemin: Path, texte: String },
    /// `element` is appended to the sequence at `liste` (created if missing).
    Ajouter { liste: Path, element: Nouveau },
}

/// (line, column, length) of a node, as the span index gives it.
type Position = (usize, usize, usize);

/// How mappings are written in a file.
#[derive(Debug, Clone, Copy)]
enum Style {
    Flux,
    /// Block, with this many more spaces for each level.
    Bloc(usize),
}

/// The text after the operations, or why it cannot be edited (in French).
pub fn appliquer(texte: &str, operations: &[Operation]) -> Result<String, String> {
    let bom = texte.starts_with('\u{feff}');
    let sans_bom = texte.trim_start_matches('\u{feff}');
    let crlf = sans_bom.contains("\r\n");
    let t = sans_bom.replace("\r\n", "\n");
    let idx = SpanIndex::build(&t);
    let f = Fichier::new(&t, &idx);

    let mut editions: Vec<(usize, usize, String)> = Vec::new();
    // Missing entries, grouped under the deepest node that exists.
    let mut manquants: Vec<(Path, Nouveau)> = Vec::new();
    let mut poser = |ancetre: Path, reste: &[String], valeur: Nouveau| {
        let i = match manquants.iter().position(|(p, _)| *p == ancetre) {
            Some(i) => i,
            None => {
                manquants.push((ancetre, Nouveau::Table(Vec::new())));
                manquants.len() - 1
            }
        };
        manquants[i].1.poser(reste, valeur);
    };
    for op in operations {
        match op {
            Operation::Fixer { chemin, texte } => {
                if let Some(n) = idx.get(chemin) {
                    if idx.descendants(chemin).next().is_some() || f.car(n.value.0, n.value.1) == Some('{') || f.car(n.value.0, n.value.1) == Some('[') {
                        return Err(format!("la valeur à la ligne {} n'est pas un nombre seul", n.value.0));
                    }
                    let debut = f.decalage(n.value.0, n.value.1);
                    let fin = f.decalage_car(debut, n.value.2);
                    editions.push((debut, fin, texte.clone()));
                } else {
                    let (ancetre, reste) = f.ancetre(chemin);
                    poser(ancetre, &reste, Nouveau::Scalaire(texte.clone()));
                }
            }
            Operation::Ajouter { liste, element } => {
                if idx.get(liste).is_some() {
                    editions.push(f.ajout_liste(liste, element)?);
                } else {
                    let (ancetre, reste) = f.ancetre(liste);
                    poser(ancetre, &reste, Nouveau::Liste(vec![element.clone()]));
                }
            }
        }
    }
    let mut insertions = Vec::new();
    for (ancetre, table) in manquants {
        let Nouveau::Table(entrees) = table else { continue };
        for (pos, txt) in f.ajout_table(&ancetre, &entrees)? {
            insertions.push((pos, ancetre.0.len(), txt));
        }
    }
    // Applied from the end; at one place, the outer mapping's text goes
    // after the inner one's (it is inserted first, then pushed right), and
    // of two items added to one list, the later one is inserted first, so
    // that they end in the spreadsheet's order.
    let mut toutes: Vec<(usize, usize, usize, usize, String)> = editions.into_iter().enumerate().map(|(i, (d, fi, s))| (d, fi, usize::MAX, i, s)).collect();
    toutes.extend(insertions.into_iter().map(|(p, prof, s)| (p, p, prof, 0, s)));
    toutes.sort_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)).then(b.3.cmp(&a.3)));
    let mut out = t.clone();
    for (debut, fin, _, _, s) in toutes {
        out.replace_range(debut..fin, &s);
    }
    if crlf {
        out = out.replace('\n', "\r\n");
    }
    if bom {
        out.insert(0, '\u{feff}');
    }
    Ok(out)
}

/// The text being edited, with its span index.
struct Fichier<'a> {
    texte: &'a str,
    idx: &'a SpanIndex,
    /// Byte offset of the start of each line.
    debuts: Vec<usize>,
}

impl<'a> Fichier<'a> {
    fn new(texte: &'a str, idx: &'a SpanIndex) -> Self {
        let mut debuts = vec![0];
        debuts.extend(texte.match_indices('\n').map(|(i, _)| i + 1));
        Fichier { texte, idx, debuts }
    }

    fn ligne(&self, n: usize) -> &str {
        let d = self.debuts.get(n - 1).copied().unwrap_or(self.texte.len());
        let f = self.debuts.get(n).map(|f| f - 1).unwrap_or(self.texte.len());
        &self.texte[d.min(f)..f]
    }

    /// Byte offset of (1-based line, 1-based column in characters).
    fn decalage(&self, ligne: usize, colonne: usize) -> usize {
        let d = self.debuts.get(ligne - 1).copied().unwrap_or(self.texte.len());
        self.decalage_car(d, colonne - 1)
    }

    fn decalage_car(&self, debut: usize, n: usize) -> usize {
        self.texte[debut..].char_indices().nth(n).map(|(i, _)| debut + i).unwrap_or(self.texte.len())
    }

    fn car(&self, ligne: usize, colonne: usize) -> Option<char> {
        self.ligne(ligne).chars().nth(colonne - 1)
    }

    /// The deepest existing node on the way to `chemin`, and the rest.
    fn ancetre(&self, chemin: &Path) -> (Path, Vec<String>) {
        let mut p = chemin.clone();
        let mut reste = Vec::new();
        while self.idx.get(&p).is_none() && !p.0.is_empty() {
            reste.insert(0, p.0.pop().unwrap_or_default());
        }
        (p, reste)
    }

    fn indentation(&self, ligne: usize) -> usize {
        self.ligne(ligne).chars().take_while(|c| *c == ' ').count()
    }

    /// Byte offset just after the block that starts at `noeud`: its last
    /// line, then the following lines indented more than `colonne - 1`.
    fn fin_bloc(&self, noeud: &Path, colonne: usize) -> usize {
        let mut derniere = self.idx.get(noeud).map(|n| n.value.0).unwrap_or(1);
        for (_, n) in self.idx.descendants(noeud) {
            derniere = derniere.max(n.value.0);
        }
        while derniere < self.debuts.len() {
            let suivante = self.ligne(derniere + 1);
            if suivante.trim().is_empty() || self.indentation(derniere + 1) < colonne {
                break;
            }
            derniere += 1;
        }
        self.debuts.get(derniere).copied().unwrap_or(self.texte.len())
    }

    /// Where the flow collection opened at `debut` closes (byte offset of
    /// its `}` or `]`), quotes and nesting followed.
    fn fermeture(&self, debut: usize) -> Option<usize> {
        let mut prof = 0usize;
        let mut guillemet: Option<char> = None;
        let mut prec = ' ';
        for (i, c) in self.texte[debut..].char_indices() {
            match (guillemet, c) {
                (Some(q), c) if c == q && !(q == '"' && prec == '\\') => guillemet = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => guillemet = Some(c),
                (None, '{' | '[') => prof += 1,
                (None, '}' | ']') => {
                    prof -= 1;
                    if prof == 0 {
                        return Some(debut + i);
                    }
                }
                _ => {}
            }
            prec = c;
        }
        None
    }

    /// How new mappings under `noeud` are written: like its first child
    /// that is a mapping, or indented by two spaces.
    fn style_sous(&self, noeud: &Path) -> Style {
        let mut enfants: Vec<_> = self.idx.descendants(noeud).filter(|(p, _)| p.0.len() == noeud.0.len() + 1).collect();
        enfants.sort_by_key(|(_, n)| (n.value.0, n.value.1));
        for (p, n) in enfants {
            if self.car(n.value.0, n.value.1) == Some('{') {
                return Style::Flux;
            }
            let Some((kl, kc, _)) = n.key else { continue };
            let petit = self
                .idx
                .descendants(p)
                .filter(|(q, _)| q.0.len() == p.0.len() + 1)
                .filter_map(|(_, m)| m.key)
                .min();
            if let Some((ml, mc, _)) = petit {
                if ml > kl && mc > kc {
                    return Style::Bloc(mc - kc);
                }
            }
        }
        Style::Bloc(2)
    }

    /// The insertions of `entrees` into the existing mapping `noeud`: at
    /// its end, except that a year goes before the first later year already
    /// there (`2022` before `2023`), so that years stay in order.
    fn ajout_table(&self, noeud: &Path, entrees: &[(String, Nouveau)]) -> Result<Vec<(usize, String)>, String> {
        let Some(n) = self.idx.get(noeud) else {
            // An empty file: the entries go at its end, at the margin.
            return Ok(vec![(self.texte.len(), bloc(entrees, 0, Style::Bloc(2)))]);
        };
        let (ligne, colonne, _) = n.value;
        let flux_ = self.car(ligne, colonne) == Some('{');
        let mut enfants: Vec<(i64, (usize, usize, usize))> = Vec::new();
        let mut annees = true;
        let mut est_table = flux_;
        for (p, m) in self.idx.descendants(noeud).filter(|(p, _)| p.0.len() == noeud.0.len() + 1) {
            let Some(k) = m.key else { continue };
            est_table = true;
            match p.0.last().and_then(|s| s.parse::<i64>().ok()) {
                Some(a) => enfants.push((a, k)),
                None => annees = false,
            }
        }
        if !est_table {
            return Err(format!(
                "la ligne {ligne} n'est pas une table où ajouter « {} »",
                entrees.first().map(|e| e.0.as_str()).unwrap_or("")
            ));
        }
        enfants.sort();
        // Entries grouped by the existing key they go before (None: the end).
        let mut groupes: Vec<(Option<Position>, Vec<(String, Nouveau)>)> = Vec::new();
        for (k, v) in entrees {
            let avant = k
                .parse::<i64>()
                .ok()
                .filter(|_| annees)
                .and_then(|a| enfants.iter().find(|(b, _)| *b > a).map(|(_, pos)| *pos));
            match groupes.iter_mut().find(|(g, _)| *g == avant) {
                Some((_, l)) => l.push((k.clone(), v.clone())),
                None => groupes.push((avant, vec![(k.clone(), v.clone())])),
            }
        }
        let style = if flux_ { Style::Flux } else { self.style_sous(noeud) };
        let mut out = Vec::new();
        for (avant, l) in groupes {
            match (avant, flux_) {
                (Some((kl, kc, _)), true) => {
                    let txt: String = l.iter().map(|(k, v)| format!("{k}: {}, ", flux(v))).collect();
                    out.push((self.decalage(kl, kc), txt));
                }
                (Some((kl, _, _)), false) => {
                    // Above the comment lines that introduce the later key.
                    let ind = self.indentation(kl);
                    let mut debut = kl;
                    while debut > 1 && self.ligne(debut - 1).trim_start().starts_with('#') && self.indentation(debut - 1) == ind {
                        debut -= 1;
                    }
                    out.push((self.debuts[debut - 1], bloc(&l, colonne - 1, style)));
                }
                (None, true) => {
                    let debut = self.decalage(ligne, colonne);
                    let fin = self.fermeture(debut).ok_or_else(|| format!("accolade non fermée à la ligne {ligne}"))?;
                    let dedans = self.texte[debut + 1..fin].trim_end();
                    let apres = debut + 1 + dedans.len();
                    let txt = l.iter().map(|(k, v)| format!("{k}: {}", flux(v))).collect::<Vec<_>>().join(", ");
                    out.push(if dedans.trim().is_empty() {
                        (apres, txt)
                    } else {
                        (apres, format!(", {txt}"))
                    });
                }
                (None, false) => {
                    let pos = self.fin_bloc(noeud, colonne);
                    let mut txt = bloc(&l, colonne - 1, style);
                    if pos == self.texte.len() && !self.texte.ends_with('\n') {
                        txt.insert(0, '\n');
                    }
                    out.push((pos, txt));
                }
            }
        }
        Ok(out)
    }

    /// The insertion of `element` at the end of the block sequence `liste`.
    fn ajout_liste(&self, liste: &Path, element: &Nouveau) -> Result<(usize, usize, String), String> {
        let n = self.idx.get(liste).ok_or("liste absente")?;
        let premier = self.idx.get(&liste.index(0));
        let Some(p) = premier else {
            return Err(format!("la liste de la ligne {} est vide : ajoutez-y un élément à la main", n.value.0));
        };
        let ligne = self.ligne(p.value.0);
        let avant: String = ligne.chars().take(p.value.1 - 1).collect();
        let Some(tiret) = avant.rfind('-') else {
            return Err(format!("la liste de la ligne {} est écrite entre crochets : mutu n'y ajoute rien", n.value.0));
        };
        let col_tiret = avant[..tiret].chars().count() + 1;
        let pos = self.fin_bloc(liste, col_tiret + 1);
        let mut txt = element_liste(element, col_tiret - 1);
        if pos == self.texte.len() && !self.texte.ends_with('\n') {
            txt.insert(0, '\n');
        }
        Ok((pos, pos, txt))
    }
}

/// `entrees` as block lines indented by `marge` spaces.
fn bloc(entrees: &[(String, Nouveau)], marge: usize, style: Style) -> String {
    let mut s = String::new();
    let pas = match style {
        Style::Bloc(p) => p,
        Style::Flux => 2,
    };
    for (k, v) in entrees {
        let ind = " ".repeat(marge);
        match v {
            Nouveau::Scalaire(x) => s.push_str(&format!("{ind}{k}: {x}\n")),
            Nouveau::Table(t) => match style {
                Style::Flux => s.push_str(&format!("{ind}{k}: {}\n", flux(v))),
                Style::Bloc(_) => {
                    s.push_str(&format!("{ind}{k}:\n"));
                    s.push_str(&bloc(t, marge + pas, Style::Bloc(pas)));
                }
            },
            Nouveau::Liste(l) => {
                s.push_str(&format!("{ind}{k}:\n"));
                for e in l {
                    s.push_str(&element_liste(e, marge + pas));
                }
            }
        }
    }
    s
}

/// One item of a block sequence whose dashes are `marge` spaces in.
fn element_liste(e: &Nouveau, marge: usize) -> String {
    let ind = " ".repeat(marge);
    match e {
        Nouveau::Table(t) => {
            let corps = bloc(t, marge + 2, Style::Bloc(2));
            format!("{ind}- {}", &corps[marge + 2..])
        }
        other => format!("{ind}- {}\n", flux(other)),
    }
}

/// `v` in flow style: `{2023: 41, 2024: 45}`.
fn flux(v: &Nouveau) -> String {
    match v {
        Nouveau::Scalaire(x) => x.clone(),
        Nouveau::Table(t) => format!("{{{}}}", t.iter().map(|(k, v)| format!("{k}: {}", flux(v))).collect::<Vec<_>>().join(", ")),
        Nouveau::Liste(l) => format!("[{}]", l.iter().map(flux).collect::<Vec<_>>().join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chemin(s: &str) -> Path {
        Path(s.split('.').map(str::to_string).collect())
    }

    fn fixer(c: &str, t: &str) -> Operation {
        Operation::Fixer {
            chemin: chemin(c),
            texte: t.into(),
        }
    }

    #[test]
    fn replaces_in_place_and_adds_in_the_neighbours_style() {
        let avant = "# clés\ncles:\n  - id: a  # la clé\n    valeurs_par_exercice:\n      2023: {x: 1, y: 2}  # déduite\n    source: \"s\"\n";
        let ops = [
            fixer("cles.0.valeurs_par_exercice.2023.x", "1.5"),
            fixer("cles.0.valeurs_par_exercice.2023.z", "3"),
            fixer("cles.0.valeurs_par_exercice.2024.x", "4"),
            fixer("cles.0.valeurs_par_exercice.2024.y", "5"),
        ];
        let apres = appliquer(avant, &ops).unwrap();
        assert_eq!(
            apres,
            "# clés\ncles:\n  - id: a  # la clé\n    valeurs_par_exercice:\n      2023: {x: 1.5, y: 2, z: 3}  # déduite\n      2024: {x: 4, y: 5}\n    source: \"s\"\n"
        );
    }

    #[test]
    fn adds_block_entries_and_list_items() {
        let avant = "membres:\n  - id: a\n    populations:\n      2025:\n        municipale: 10\n  - id: b\n    nom: B\nbilans:\n  - exercice: 2024\n    depenses:\n      - libelle: \"L\"\n        montant: 1\n";
        let ops = [
            fixer("membres.0.populations.2026.municipale", "11"),
            fixer("membres.1.populations.2026.municipale", "20"),
            Operation::Ajouter {
                liste: chemin("bilans.0.depenses"),
                element: Nouveau::Table(vec![
                    ("libelle".into(), Nouveau::Scalaire("\"M\"".into())),
                    ("montant".into(), Nouveau::Scalaire("2".into())),
                ]),
            },
            Operation::Ajouter {
                liste: chemin("bilans.0.recettes"),
                element: Nouveau::Table(vec![
                    ("libelle".into(), Nouveau::Scalaire("\"R\"".into())),
                    ("montant".into(), Nouveau::Scalaire("3".into())),
                ]),
            },
        ];
        let apres = appliquer(avant, &ops).unwrap();
        assert_eq!(
            apres,
            "membres:\n  - id: a\n    populations:\n      2025:\n        municipale: 10\n      2026:\n        municipale: 11\n  - id: b\n    nom: B\n    populations:\n      2026:\n        municipale: 20\nbilans:\n  - exercice: 2024\n    depenses:\n      - libelle: \"L\"\n        montant: 1\n      - libelle: \"M\"\n        montant: 2\n    recettes:\n      - libelle: \"R\"\n        montant: 3\n"
        );
    }

    #[test]
    fn items_added_to_one_list_keep_their_order() {
        let avant = "bilans:\n  - exercice: 2024\n    depenses:\n      - libelle: \"L\"\n        montant: 1\n";
        let ajout = |l: &str| Operation::Ajouter {
            liste: chemin("bilans.0.depenses"),
            element: Nouveau::Table(vec![
                ("libelle".into(), Nouveau::Scalaire(format!("\"{l}\""))),
                ("montant".into(), Nouveau::Scalaire("2".into())),
            ]),
        };
        let apres = appliquer(avant, &[ajout("M"), ajout("N"), ajout("O")]).unwrap();
        assert_eq!(
            apres,
            "bilans:\n  - exercice: 2024\n    depenses:\n      - libelle: \"L\"\n        montant: 1\n      - libelle: \"M\"\n        montant: 2\n      - libelle: \"N\"\n        montant: 2\n      - libelle: \"O\"\n        montant: 2\n"
        );
    }

    #[test]
    fn years_stay_in_order() {
        let avant = "par_membre:\n  a: {2023: 41, 2024: 45}\nvaleurs:\n  # commentaire de 2025\n  2025: 1\n";
        let ops = [
            fixer("par_membre.a.2022", "38"),
            fixer("par_membre.a.2025", "50"),
            fixer("valeurs.2024", "2"),
            fixer("valeurs.2026", "3"),
        ];
        let apres = appliquer(avant, &ops).unwrap();
        assert_eq!(
            apres,
            "par_membre:\n  a: {2022: 38, 2023: 41, 2024: 45, 2025: 50}\nvaleurs:\n  2024: 2\n  # commentaire de 2025\n  2025: 1\n  2026: 3\n"
        );
    }

    #[test]
    fn keeps_crlf_and_bom() {
        let avant = "\u{feff}valeurs:\r\n  a: 1 # c\r\n";
        let apres = appliquer(avant, &[fixer("valeurs.a", "2"), fixer("valeurs.b", "3")]).unwrap();
        assert_eq!(apres, "\u{feff}valeurs:\r\n  a: 2 # c\r\n  b: 3\r\n");
    }
}
