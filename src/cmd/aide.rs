//! `mutu aide` (alias `help`): the general help, the help of one command,
//! the explanation of a diagnostic code (as `rustc --explain`) and the list
//! of all codes, the format reference (docs/format.md, embedded at build
//! time so that it travels with the binary: a user's project has no docs/
//! folder), or the rows of that reference that describe one key, dotted
//! paths included (`mutu aide epci.siren`).

use crate::docs::FORMAT;
use mutu_base::codes::Code;

/// What `mutu aide <sujet>` answers; `cmd` is the command line's
/// definition (the commands and their options, `crate::cli`).
pub fn aide(mut cmd: clap::Command, sujet: Option<&str>) -> i32 {
    // Built, a subcommand carries the global options (`--racine`, `--aide`)
    // with their French help, as `mutu <commande> --aide` shows them.
    cmd.build();
    let Some(sujet) = sujet.map(str::trim) else {
        let _ = cmd.print_help();
        return 0;
    };
    if matches!(sujet, "format" | "reference" | "référence") {
        mutu_base::progress::affiche(FORMAT);
        return 0;
    }
    if matches!(sujet, "codes" | "diagnostics") {
        mutu_base::progress::affiche(&liste_des_codes());
        return 0;
    }
    if let Some(code) = code(sujet) {
        mutu_base::progress::affiche(&explication(code));
        return 0;
    }
    let commande = cmd.find_subcommand_mut(sujet).map(|s| s.render_help().to_string());
    match (commande, cle(sujet)) {
        (Some(c), Some(k)) => {
            // `pdf` is a command and a block of the configuration.
            mutu_base::progress::affiche(&format!("{c}\nLa clé « {sujet} » des fichiers YAML :\n\n{k}"));
            0
        }
        (Some(c), None) => {
            mutu_base::progress::affiche(&c);
            0
        }
        (None, Some(k)) => {
            mutu_base::progress::affiche(&k);
            0
        }
        (None, None) => {
            let commandes: Vec<String> = cmd
                .get_subcommands()
                .flat_map(|s| std::iter::once(s.get_name()).chain(s.get_all_aliases()))
                .map(str::to_string)
                .collect();
            let cles = cles();
            let candidats = commandes
                .iter()
                .map(String::as_str)
                .chain(cles.iter().copied())
                .chain(Code::TOUS.iter().map(|c| c.texte()))
                .chain(["format", "codes"]);
            let hint = mutu_base::suggest::did_you_mean(sujet, candidats).unwrap_or_else(|| {
                "« mutu aide format » affiche toute la référence du format, « mutu aide codes » la liste des codes ; « mutu aide » liste les commandes"
                    .to_string()
            });
            eprintln!("erreur : sujet d'aide inconnu : « {sujet} »\n  = attendu : une commande (check, build…), « format », « codes », un code de diagnostic (cle-inconnue…) ou une clé des fichiers YAML (siren, epci.siret…)\n  = aide : {hint}");
            2
        }
    }
}

/// The code a user names: `cle-inconnue`, or as printed, `erreur[cle-inconnue]`.
fn code(sujet: &str) -> Option<Code> {
    let t = sujet.trim_start_matches("erreur").trim_start_matches("avertissement");
    Code::depuis(t.trim_start_matches('[').trim_end_matches(']'))
}

/// `mutu aide <code>`: the code's title and explanation.
pub fn explication(c: Code) -> String {
    format!(
        "{}[{}] : {}\n\n{}\n\nLa liste de tous les codes : mutu aide codes\n",
        c.gravite().texte(),
        c.texte(),
        c.titre(),
        c.explication().trim_end_matches('\n')
    )
}

/// `mutu aide codes`: every code with its severity and title.
pub fn liste_des_codes() -> String {
    let largeur = Code::TOUS.iter().map(|c| c.texte().chars().count()).max().unwrap_or(0);
    let mut out = format!(
        "Les {} codes des diagnostics de mutu ; « mutu aide <code> » explique chacun (cause, correction, exemple).\n\n",
        Code::TOUS.len()
    );
    for c in Code::TOUS {
        out.push_str(&format!("  {:largeur$}  {:13}  {}\n", c.texte(), c.gravite().texte(), c.titre()));
    }
    out
}

/// docs/codes.md: the catalogue as a page of the documentation (a test
/// keeps the file equal to this text).
pub fn page_des_codes() -> String {
    let mut out = String::from(
        "# Codes des diagnostics\n\n\
         <!-- Page produite à partir du catalogue des codes (crates/base/src/codes.rs) ; ne pas la modifier\n     \
         à la main : `MUTU_ECRIRE_REFERENCE=1 cargo test --release reference` la réécrit. -->\n\n\
         Chaque problème que signale mutu porte un code entre crochets, par exemple\n\
         `erreur[cle-inconnue]`. `mutu aide <code>` affiche l'explication ci-dessous dans le terminal,\n\
         `mutu aide codes` la liste.\n\n\
         Une **erreur** empêche de publier : `mutu build` s'arrête et n'écrit rien. Un\n\
         **avertissement** n'empêche rien mais signale une donnée à vérifier.\n\n\
         | code | gravité | problème |\n|---|---|---|\n",
    );
    for c in Code::TOUS {
        out.push_str(&format!("| [`{0}`](#{0}) | {1} | {2} |\n", c.texte(), c.gravite().texte(), c.titre()));
    }
    for c in Code::TOUS {
        out.push_str(&format!(
            "\n## `{}`\n\n*{}* — {}\n\n{}\n",
            c.texte(),
            c.gravite().texte(),
            c.titre(),
            c.explication().trim_end_matches('\n')
        ));
    }
    out
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

pub fn cles() -> Vec<&'static str> {
    let mut v: Vec<&str> = lignes().iter().flat_map(|l| noms(l.ligne)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The rows describing a key, grouped by section, as plain text. A dotted
/// path (`epci.siren`, `pdf.pages_max`, `epci.populations.2024.dgf`)
/// names its last key; the segments before it choose among the rows of
/// that name: each must be a key of the row or a word of its section's
/// title (`Bloc `epci``, `data/services/<id>.yaml`). A year or an index
/// stands for the `<année>` or `[]` of the reference.
fn cle(sujet: &str) -> Option<String> {
    let sujet = sujet.trim_matches('`');
    let chemin: Vec<&str> = sujet.split(['.', '[', ']']).map(str::trim).filter(|s| !s.is_empty()).collect();
    let (&cle, avant) = chemin.split_last()?;
    let avant: Vec<&str> = avant.iter().copied().filter(|s| !s.chars().all(|c| c.is_ascii_digit())).collect();
    let retenue = |l: &Ligne| {
        let noms = noms(l.ligne);
        noms.contains(&cle)
            && avant
                .iter()
                .all(|a| noms.contains(a) || l.titre.split(|c: char| !(c.is_alphanumeric() || c == '_')).any(|mot| mot == *a))
    };
    let mut out = String::new();
    let mut titre = "";
    for l in lignes().iter().filter(|l| retenue(l)) {
        if l.titre != titre {
            titre = l.titre;
            out.push_str(&format!("{}{}\n", if out.is_empty() { "" } else { "\n" }, sans_echappements(titre)));
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

/// The reference's Markdown backslash escapes (`\<id\>`) removed: the
/// terminal shows the text as the page does.
fn sans_echappements(t: &str) -> String {
    let mut out = String::with_capacity(t.len());
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
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

    #[test]
    fn dotted_paths_choose_the_rows_of_their_block() {
        let siren = cle("siren").unwrap();
        let epci = cle("epci.siren").unwrap();
        assert!(epci.starts_with("Bloc `epci`\n  `siren`"), "{epci}");
        assert!(epci.len() <= siren.len());
        assert!(cle("epci.siret").unwrap().starts_with("Bloc `epci`\n  `siret`"));
        assert!(cle("pdf.pages_max").unwrap().contains("pages_max"));
        assert_eq!(cle("membres.siret_inexistant"), None);
        assert_eq!(cle("accessibilite.siren"), None);
        // The section's title as the page shows it, without Markdown's escapes.
        assert!(cle("adherents").unwrap().starts_with("10. data/services/<id>.yaml\n"));
    }

    #[test]
    fn codes_are_explained_and_listed() {
        assert_eq!(code("cle-inconnue"), Some(Code::CleInconnue));
        assert_eq!(code("erreur[cle-inconnue]"), Some(Code::CleInconnue));
        assert_eq!(code("cle"), None);
        let e = explication(Code::CleInconnue);
        assert!(e.starts_with("erreur[cle-inconnue] : Clé inconnue dans un fichier YAML\n\n"), "{e}");
        let l = liste_des_codes();
        assert_eq!(l.lines().filter(|x| x.starts_with("  ")).count(), Code::TOUS.len());
    }
}
