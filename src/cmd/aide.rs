//! `mutu aide` (alias `help`): the general help, the help of one command, the
//! format reference (docs/format.md, embedded at build time so that it
//! travels with the binary: a user's project has no docs/ folder), or the
//! rows of that reference that describe one key.

use clap::CommandFactory;

/// The format reference, as shipped with this version of mutu.
pub const FORMAT: &str = include_str!("../../docs/format.md");

/// What `mutu aide <sujet>` answers.
pub fn aide(sujet: Option<&str>) -> i32 {
    let mut cmd = crate::cli::Cli::command();
    let Some(sujet) = sujet.map(str::trim) else {
        let _ = cmd.print_help();
        return 0;
    };
    if matches!(sujet, "format" | "reference" | "référence") {
        mutu_base::progress::affiche(FORMAT);
        return 0;
    }
    if let Some(sub) = cmd.find_subcommand_mut(sujet) {
        let _ = sub.print_help();
        return 0;
    }
    match cle(sujet) {
        Some(texte) => {
            mutu_base::progress::affiche(&texte);
            0
        }
        None => {
            let commandes: Vec<String> = cmd
                .get_subcommands()
                .flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases()))
                .map(str::to_string)
                .collect();
            let cles = cles();
            let candidats = commandes.iter().map(String::as_str).chain(cles.iter().copied()).chain(["format"]);
            let hint = mutu_base::suggest::did_you_mean(sujet, candidats)
                .unwrap_or_else(|| "« mutu aide format » affiche toute la référence du format ; « mutu aide » liste les commandes".to_string());
            eprintln!("erreur : sujet d'aide inconnu : « {sujet} »\n  = attendu : une commande (check, build…), « format » ou une clé des fichiers YAML (siren, bilans…)\n  = aide : {hint}");
            2
        }
    }
}

/// One row of a table of the reference, with the headings it sits under.
struct Ligne<'a> {
    titre: &'a str,
    entete: &'a str,
    ligne: &'a str,
}

/// Every table row of the reference whose first cell names a key.
fn lignes() -> Vec<Ligne<'static>> {
    let mut out = Vec::new();
    let (mut titre, mut entete) = ("", "");
    let mut precedente = "";
    for l in FORMAT.lines() {
        if l.starts_with('#') {
            titre = l.trim_start_matches('#').trim();
        } else if l.starts_with("|---") || l.starts_with("| ---") || l.starts_with("|:--") {
            entete = precedente;
        } else if l.starts_with('|') && !entete.is_empty() {
            out.push(Ligne { titre, entete, ligne: l });
        }
        if !l.starts_with('|') {
            entete = "";
        }
        precedente = l;
    }
    out
}

fn cellules(ligne: &str) -> Vec<&str> {
    let t = ligne.trim().trim_start_matches('|').trim_end_matches('|');
    t.split('|').map(str::trim).collect()
}

/// The keys named (between backquotes) in the first cell of a row:
/// `` `epci.populations.<année>.dgf` `` names `epci`, `populations`, `dgf`.
fn noms(ligne: &str) -> Vec<&str> {
    let premiere = cellules(ligne).into_iter().next().unwrap_or("");
    premiere
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|k| k.split(['.', '[', ']']))
        .map(|k| k.trim())
        .filter(|k| !k.is_empty() && !k.starts_with('<') && k.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        .collect()
}

fn cles() -> Vec<&'static str> {
    let mut v: Vec<&str> = lignes().iter().flat_map(|l| noms(l.ligne)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The rows describing `cle`, grouped by section, as plain text.
fn cle(cle: &str) -> Option<String> {
    let cle = cle.trim_matches('`');
    let mut out = String::new();
    let mut titre = "";
    for l in lignes().iter().filter(|l| noms(l.ligne).contains(&cle)) {
        if l.titre != titre {
            titre = l.titre;
            out.push_str(&format!("{}{titre}\n", if out.is_empty() { "" } else { "\n" }));
        }
        let (noms_col, cells) = (cellules(l.entete), cellules(l.ligne));
        out.push_str(&format!("  {}\n", cells.first().copied().unwrap_or("")));
        for (n, c) in noms_col.iter().zip(&cells).skip(1) {
            if !c.is_empty() {
                out.push_str(&format!("    {n} : {c}\n"));
            }
        }
    }
    if out.is_empty() {
        return None;
    }
    out.push_str("\nToute la référence : mutu aide format\n");
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_key_of_the_reference() {
        let t = cle("contact_courriel").expect("documented key");
        assert!(
            t.starts_with("Bloc `accessibilite`\n  `contact_courriel`\n    Type : texte\n    Obligatoire : oui\n"),
            "{t}"
        );
        assert!(cle("siren").is_some());
        assert_eq!(cle("nimporte"), None);
        assert!(cles().contains(&"mentions_legales"));
    }
}
