//! `mutu new --exercice N`: prepares the report of year N in an existing
//! project, in place.
//!
//! - `data/rapport.yaml`: `exercice: N`; the date of the conseil (and of the
//!   document) moved forward by the same number of years, marked « À
//!   VÉRIFIER »; the deliberation number replaced by « à compléter »; the
//!   @ctes identifier and the transmission dates of the previous report
//!   removed (kept as a comment). `pdf.nom_fichier` of the configuration
//!   follows the year when it contains it.
//! - One empty narrative per fiche and per service (and per entity that had
//!   a narrative for the previous year) for year N, beside the previous one.
//! - Nothing is invented: the services, fiches and tables still lacking
//!   figures for N are listed.
//!
//! YAML is edited as text, line by line, so the user's comments and layout
//! stay. If the project does not pass `mutu check` afterwards, every change
//! is undone.

use mutu_base::output::Journal;
use mutu_base::texte::pluriel;
use mutu_compute::pipeline;
use mutu_compute::Modele;
use mutu_model::{Date, Objet};
use std::collections::BTreeSet;
use std::path::Path;

/// What the preparation changed and what is left to the user.
#[derive(Debug, Default)]
pub struct Preparation {
    /// Files modified, relative to the root.
    pub modifies: Vec<String>,
    /// Narrative skeletons created, relative to the root.
    pub crees: Vec<String>,
    /// What the user must still do, in French, one item per line.
    pub a_faire: Vec<String>,
}

/// Prepares year `n` in the project at `racine` and prints the checklist.
/// Returns the exit code.
pub fn preparer(racine: &Path, n: i32) -> i32 {
    match preparer_exercice(racine, n) {
        Ok(p) => {
            println!("exercice {n} préparé dans {}", racine.display());
            for f in &p.modifies {
                println!("  modifié : {f}");
            }
            for f in &p.crees {
                println!("  créé : {f}");
            }
            println!("\nÀ faire avant de publier le rapport {n} :");
            for (i, a) in p.a_faire.iter().enumerate() {
                println!("  {}. {a}", i + 1);
            }
            println!("\nLes données et les textes des années précédentes sont conservés. « mutu check » passe ; « mutu serve » montre le rapport {n} au fil de vos saisies.");
            0
        }
        Err(message) => {
            eprintln!("{message}");
            1
        }
    }
}

/// Does the work of [`preparer`]; on error nothing is left changed and the
/// French message explains why.
pub fn preparer_exercice(racine: &Path, n: i32) -> Result<Preparation, String> {
    let run = pipeline::run(racine);
    let m = match run.model {
        Some(m) if !run.diagnostics.has_errors() => m,
        _ => {
            let texte = run.diagnostics.render(&run.sources);
            return Err(format!(
                "{texte}erreur : le projet de « {} » contient des erreurs ({}) : corrigez-les avant de préparer l'exercice {n}\n  = aide : lancez « mutu check » pour les revoir",
                racine.display(),
                run.diagnostics.summary()
            ));
        }
    };
    let ancien = m.rapport.exercice;
    if n <= ancien {
        return Err(format!(
            "erreur : le rapport porte déjà sur l'exercice {ancien} : l'exercice à préparer doit venir après\n  = aide : « mutu new --exercice {} »",
            ancien + 1
        ));
    }
    if let Some(s) = &m.schema {
        if n > s.mandat.fin || n < s.mandat.debut {
            return Err(format!(
                "erreur : l'exercice {n} est hors du mandat {}-{} du schéma\n  = aide : mettez d'abord à jour `mandat` dans data/schema.yaml (nouveau mandat, nouveau schéma), puis relancez la commande",
                s.mandat.debut, s.mandat.fin
            ));
        }
    }
    if n > ancien + 1 {
        // Carrying a report over two years at once would leave the skipped
        // year's figures and texts unprepared without anyone noticing.
        let sautes: Vec<String> = (ancien + 1..n).map(|a| a.to_string()).collect();
        return Err(format!(
            "erreur : le rapport porte sur l'exercice {ancien} : préparer l'exercice {n} sauterait {} {}\n  = aide : préparez les exercices un par un : « mutu new --exercice {} », puis, une fois ce rapport établi, l'exercice suivant",
            if sautes.len() == 1 { "l'exercice" } else { "les exercices" },
            sautes.join(", "),
            ancien + 1
        ));
    }
    let decalage = n - ancien;
    let mut prep = Preparation::default();
    let mut journal = Journal::default();
    let resultat = (|| {
        // data/rapport.yaml
        let chemin = racine.join("data/rapport.yaml");
        let texte = lire(&chemin)?;
        let conseil = decaler(m.rapport.date_conseil, decalage);
        let document = m.rapport.date_document.map(|d| decaler(d, decalage));
        let nouveau = modifier_rapport(&texte, ancien, n, conseil, document, &m.rapport.deliberation).map_err(|cle| {
            format!("erreur : mise à jour automatique de data/rapport.yaml impossible : la clé `{cle}` n'est pas écrite sur sa propre ligne, en début de ligne\n  = aide : écrivez une clé par ligne (`{cle}: …`), puis relancez la commande")
        })?;
        journal.ecrire(&chemin, Some(texte), &nouveau)?;
        prep.modifies.push("data/rapport.yaml".into());

        // data/configuration.yaml: the PDF file name often carries the year.
        let chemin = racine.join("data/configuration.yaml");
        let texte = lire(&chemin)?;
        if let Some(nouveau) = modifier_nom_pdf(&texte, ancien, n) {
            journal.ecrire(&chemin, Some(texte), &nouveau)?;
            prep.modifies.push("data/configuration.yaml".into());
        }

        // Narrative skeletons.
        for (rel, texte) in squelettes(&m, ancien, n) {
            let chemin = racine.join(&rel);
            if chemin.exists() {
                prep.a_faire.push(format!(
                    "{rel} existe déjà : le texte de {n} n'y a pas été préparé ; vérifiez son en-tête (exercice: {n})"
                ));
                continue;
            }
            journal.ecrire(&chemin, None, &texte)?;
            prep.crees.push(rel);
        }
        Ok(())
    })();
    if let Err(e) = resultat {
        journal.annuler();
        return Err(e);
    }

    // The project must still pass `mutu check`.
    let apres = pipeline::run(racine);
    if apres.diagnostics.has_errors() || apres.model.is_none() {
        let texte = apres.diagnostics.render(&apres.sources);
        journal.annuler();
        return Err(format!(
            "{texte}erreur : après préparation de l'exercice {n}, le projet ne passerait plus la vérification ({}) : aucune modification n'a été conservée\n  = aide : corrigez les points ci-dessus, puis relancez la commande",
            apres.diagnostics.summary()
        ));
    }
    prep.crees.sort();
    prep.a_faire.splice(0..0, liste_a_faire(&m, ancien, n, decalage));
    Ok(prep)
}

fn lire(chemin: &Path) -> Result<String, String> {
    std::fs::read_to_string(chemin).map_err(|e| format!("erreur : impossible de lire {} : {e}", chemin.display()))
}

/// `d` moved by `annees` years (29 February becomes the 28th).
pub fn decaler(d: Date, annees: i32) -> Date {
    let a = d.annee + annees;
    Date::new(a, d.mois, d.jour).or_else(|| Date::new(a, d.mois, 28)).unwrap_or(d)
}

fn iso(d: Date) -> String {
    d.to_string()
}

// ---------------------------------------------------------------------------
// Line-based YAML edits

/// A text split in lines, remembering the line ending and a leading BOM.
struct Lignes {
    bom: bool,
    crlf: bool,
    fin_finale: bool,
    lignes: Vec<String>,
}

impl Lignes {
    fn new(texte: &str) -> Lignes {
        let bom = texte.starts_with('\u{feff}');
        let t = texte.trim_start_matches('\u{feff}');
        let crlf = t.contains("\r\n");
        let fin_finale = t.ends_with('\n');
        let corps = t.strip_suffix('\n').unwrap_or(t);
        let lignes = if t.is_empty() {
            Vec::new()
        } else {
            corps.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l).to_string()).collect()
        };
        Lignes { bom, crlf, fin_finale, lignes }
    }

    fn texte(&self) -> String {
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let mut s = String::new();
        if self.bom {
            s.push('\u{feff}');
        }
        s.push_str(&self.lignes.join(nl));
        if self.fin_finale {
            s.push_str(nl);
        }
        s
    }

    /// Line of top-level key `cle` (`cle:` at the start of the line).
    fn cle(&self, cle: &str) -> Option<usize> {
        self.lignes.iter().position(|l| l.strip_prefix(cle).is_some_and(|r| r.starts_with(':')))
    }

    /// End (exclusive) of the block of the top-level key at line `i`: the
    /// indented lines that follow it.
    fn fin_bloc(&self, i: usize) -> usize {
        let mut fin = i + 1;
        let mut j = i + 1;
        while j < self.lignes.len() {
            let l = &self.lignes[j];
            if l.trim().is_empty() {
                j += 1;
                continue;
            }
            if l.starts_with(' ') || l.starts_with('\t') {
                j += 1;
                fin = j;
                continue;
            }
            break;
        }
        fin
    }
}

/// Splits a YAML line into its content and its trailing comment (` # …`),
/// ignoring `#` inside quotes.
fn separer_commentaire(ligne: &str) -> (&str, Option<&str>) {
    let mut simple = false;
    let mut double = false;
    let mut prec = ' ';
    for (i, c) in ligne.char_indices() {
        match c {
            '\'' if !double => simple = !simple,
            '"' if !simple && prec != '\\' => double = !double,
            '#' if !simple && !double && prec.is_whitespace() => return (ligne[..i].trim_end(), Some(&ligne[i..])),
            _ => {}
        }
        prec = c;
    }
    (ligne.trim_end(), None)
}

/// `cle: valeur`, keeping the trailing comment of `ancienne`.
fn avec_valeur(ancienne: &str, cle: &str, valeur: &str) -> String {
    match separer_commentaire(ancienne).1 {
        Some(c) => format!("{cle}: {valeur}  {c}"),
        None => format!("{cle}: {valeur}"),
    }
}

/// Replaces the year `ancien` by `n` where it stands alone (not inside a
/// longer number).
pub fn remplacer_annee(s: &str, ancien: i32, n: i32) -> String {
    let a = ancien.to_string();
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if s[i..].starts_with(&a) {
            let avant = i.checked_sub(1).map(|k| b[k].is_ascii_digit()).unwrap_or(false);
            let apres = b.get(i + a.len()).is_some_and(|c| c.is_ascii_digit());
            if !avant && !apres {
                out.push_str(&n.to_string());
                i += a.len();
                continue;
            }
        }
        let c = s[i..].chars().next().expect("inside the string");
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The new text of `data/rapport.yaml`, or the key that could not be found
/// on its own line.
pub fn modifier_rapport(texte: &str, ancien: i32, n: i32, conseil: Date, document: Option<Date>, deliberation: &str) -> Result<String, &'static str> {
    let mut l = Lignes::new(texte);
    let i = l.cle("exercice").ok_or("exercice")?;
    l.lignes[i] = avec_valeur(&l.lignes[i], "exercice", &n.to_string());

    if let Some(i) = l.cle("titre") {
        let (contenu, _) = separer_commentaire(&l.lignes[i]);
        let valeur = contenu["titre:".len()..].trim();
        // Single-line titles only; a block scalar is left to the user.
        if !valeur.is_empty() && !valeur.starts_with(['|', '>']) {
            l.lignes[i] = remplacer_annee(&l.lignes[i], ancien, n);
        }
    }

    let i = l.cle("date_conseil").ok_or("date_conseil")?;
    l.lignes[i] = avec_valeur(&l.lignes[i], "date_conseil", &iso(conseil));
    l.lignes.insert(
        i,
        format!("# À VÉRIFIER : date provisoire posée par « mutu new --exercice {n} » (celle du conseil précédent, {} plus tard) ; remplacez-la par la date du conseil qui recevra le rapport {n}.", pluriel((n - ancien).max(0) as usize, "an", "ans")),
    );

    let i = l.cle("deliberation").ok_or("deliberation")?;
    l.lignes[i] = avec_valeur(&l.lignes[i], "deliberation", "\"à compléter\"");
    l.lignes.insert(
        i,
        format!("# À COMPLÉTER : numéro de la délibération qui reçoit le rapport {n} (celle du rapport {ancien} : {deliberation})."),
    );

    if let Some(i) = l.cle("actes_id") {
        let fin = l.fin_bloc(i);
        let ancienne = separer_commentaire(&l.lignes[i]).0.to_string();
        l.lignes.splice(
            i..fin,
            [format!(
                "# actes_id : à renseigner après la transmission en préfecture du rapport {n} (rapport {ancien} : {}).",
                ancienne["actes_id:".len()..].trim()
            )],
        );
    }

    if let Some(i) = l.cle("transmission") {
        let fin = l.fin_bloc(i);
        l.lignes.splice(
            i..fin,
            [format!(
                "# transmission : dates d'envoi, de réception et de publication du rapport {n}, à renseigner après sa transmission en préfecture."
            )],
        );
    }

    if let (Some(d), Some(i)) = (document, l.cle("date_document")) {
        l.lignes[i] = avec_valeur(&l.lignes[i], "date_document", &iso(d));
        l.lignes
            .insert(i, format!("# À VÉRIFIER : date provisoire posée par « mutu new --exercice {n} »."));
    }
    Ok(l.texte())
}

/// The configuration with the year of `pdf.nom_fichier` moved to `n`, when
/// it contains `ancien`.
pub fn modifier_nom_pdf(texte: &str, ancien: i32, n: i32) -> Option<String> {
    let mut l = Lignes::new(texte);
    let i = l.cle("pdf")?;
    let fin = l.fin_bloc(i);
    let j = (i + 1..fin).find(|&j| l.lignes[j].trim_start().starts_with("nom_fichier:"))?;
    let nouvelle = remplacer_annee(&l.lignes[j], ancien, n);
    if nouvelle == l.lignes[j] {
        return None;
    }
    l.lignes[j] = nouvelle;
    Some(l.texte())
}

// ---------------------------------------------------------------------------
// Narratives

/// The path of the year-`n` narrative beside `ancien_chemin`:
/// `garage.md` → `garage-2024.md`, `garage-2023.md` → `garage-2024.md`.
pub fn chemin_suivant(ancien_chemin: &str, ancien: i32, n: i32) -> String {
    let (dossier, nom) = match ancien_chemin.rsplit_once('/') {
        Some((d, f)) => (format!("{d}/"), f),
        None => (String::new(), ancien_chemin),
    };
    let base = nom.strip_suffix(".md").unwrap_or(nom);
    let a = ancien.to_string();
    let base = base
        .strip_suffix(&a)
        .filter(|b| b.ends_with(['-', '_']))
        .map(|b| format!("{b}{n}"))
        .unwrap_or_else(|| format!("{base}-{n}"));
    format!("{dossier}{base}.md")
}

/// The empty narratives to create for year `n`: path and text.
fn squelettes(m: &Modele, ancien: i32, n: i32) -> Vec<(String, String)> {
    // (objet, id) of every entity to prepare, in a stable order.
    let mut entites: Vec<(Objet, Option<String>)> = Vec::new();
    entites.extend(m.fiches.iter().map(|f| (Objet::Fiche, Some(f.id.clone()))));
    entites.extend(m.services.iter().map(|s| (Objet::Service, Some(s.service.id.clone()))));
    for c in &m.contenus {
        let e = (c.entete.objet, c.entete.id.clone());
        if c.entete.exercice == Some(ancien) && c.entete.objet != Objet::Page && !entites.contains(&e) {
            entites.push(e);
        }
    }
    let mut chemins = BTreeSet::new();
    let mut out = Vec::new();
    for (objet, id) in entites {
        let deja = m
            .contenus
            .iter()
            .any(|c| c.entete.objet == objet && c.entete.id == id && c.entete.exercice == Some(n));
        if deja {
            continue;
        }
        let mut precedents: Vec<&mutu_model::Contenu> = m
            .contenus
            .iter()
            .filter(|c| c.entete.objet == objet && c.entete.id == id && c.entete.exercice == Some(ancien))
            .collect();
        precedents.sort_by_key(|c| (c.entete.ordre.unwrap_or(0), c.fichier.clone()));
        let precedent = precedents.first().copied();
        let ident = id.clone().unwrap_or_default();
        let chemin = match (precedent, objet) {
            (Some(c), _) => chemin_suivant(&c.fichier.replace('\\', "/"), ancien, n),
            (None, Objet::Fiche) => format!("content/fiches/{ident}-{n}.md"),
            (None, Objet::Service) => format!("content/services/{ident}-{n}.md"),
            (None, _) => continue,
        };
        if !chemins.insert(chemin.clone()) {
            continue;
        }
        let (quoi, titre_defaut) = match objet {
            Objet::Fiche => (
                format!(
                    "la fiche-action « {} »",
                    m.fiches.iter().find(|f| Some(&f.id) == id.as_ref()).map(|f| f.piste.as_str()).unwrap_or(&ident)
                ),
                format!("Action menée en {n}"),
            ),
            Objet::Service => (
                format!(
                    "le service « {} »",
                    m.services
                        .iter()
                        .find(|s| Some(&s.service.id) == id.as_ref())
                        .map(|s| s.service.nom.as_str())
                        .unwrap_or(&ident)
                ),
                format!("Le service en {n}"),
            ),
            Objet::Membre => (
                format!(
                    "le membre « {} »",
                    m.membres.iter().find(|x| Some(&x.id) == id.as_ref()).map(|x| x.nom.as_str()).unwrap_or(&ident)
                ),
                format!("L'année {n}"),
            ),
            Objet::Axe => (
                format!(
                    "l'axe « {} »",
                    m.axes
                        .iter()
                        .find(|a| Some(&a.axe.id) == id.as_ref())
                        .map(|a| a.axe.titre.as_str())
                        .unwrap_or(&ident)
                ),
                format!("L'année {n}"),
            ),
            Objet::Rapport => ("le rapport (édito)".to_string(), "Édito".to_string()),
            Objet::Schema => ("le schéma".to_string(), format!("Le schéma en {n}")),
            Objet::Page => continue,
        };
        let titre = precedent
            .and_then(|c| c.entete.titre.as_deref())
            .map(|t| remplacer_annee(t, ancien, n))
            .unwrap_or(titre_defaut);
        let mut t = String::from("---\n");
        t.push_str(&format!("# Texte de l'exercice {n} pour {quoi}, préparé par « mutu new --exercice {n} ».\n"));
        t.push_str("# Écrivez-le en Markdown sous la ligne « --- » qui ferme cet en-tête : tant qu'il est vide,\n");
        match precedent {
            Some(c) => t.push_str(&format!(
                "# rien n'est publié à sa place. Le texte de {ancien} reste dans {}.\n",
                c.fichier.replace('\\', "/")
            )),
            None => t.push_str("# rien n'est publié à sa place.\n"),
        }
        t.push_str("# Pour afficher un titre au-dessus du texte, retirez le « # » de la ligne suivante :\n");
        t.push_str(&format!("# titre: {}\n", mutu_model::yaml::chaine(&titre)));
        t.push_str(&format!("objet: {}\n", objet.token()));
        if let Some(i) = &id {
            t.push_str(&format!("id: {i}\n"));
        }
        t.push_str(&format!("exercice: {n}\n"));
        if let Some(o) = precedent.and_then(|c| c.entete.ordre) {
            t.push_str(&format!("ordre: {o}\n"));
        }
        if let Some(v) = precedent.and_then(|c| c.entete.visibilite) {
            t.push_str(&format!("visibilite: {}\n", v.token()));
        }
        t.push_str("---\n");
        out.push((chemin, t));
    }
    out
}

// ---------------------------------------------------------------------------
// Checklist

fn liste(ids: &[String]) -> String {
    ids.join(", ")
}

fn liste_a_faire(m: &Modele, ancien: i32, n: i32, decalage: i32) -> Vec<String> {
    let mut a = Vec::new();
    let conseil = iso(decaler(m.rapport.date_conseil, decalage));
    a.push(format!(
        "data/rapport.yaml : remplacez la date provisoire du conseil ({conseil}) et le numéro de délibération (« à compléter ») ; ajoutez actes_id et transmission une fois le rapport transmis en préfecture ; relisez le titre et les commentaires."
    ));
    let sans_bilan: Vec<String> = m
        .services
        .iter()
        .filter(|s| !s.bilans.is_empty() && !s.bilans.iter().any(|b| b.exercice == n))
        .map(|s| s.service.id.clone())
        .collect();
    if !sans_bilan.is_empty() {
        a.push(format!("Bilans financiers {n} à ajouter (data/services/) : {}.", liste(&sans_bilan)));
    }
    let sans_repartition: Vec<String> = m
        .services
        .iter()
        .filter(|s| !s.repartitions.is_empty() && !s.repartitions.iter().any(|r| r.exercice == n))
        .map(|s| s.service.id.clone())
        .collect();
    if !sans_repartition.is_empty() {
        a.push(format!("Répartitions des coûts {n} à ajouter (data/services/) : {}.", liste(&sans_repartition)));
    }
    let mut sans_indicateur = Vec::new();
    for s in &m.services {
        let ids: Vec<String> = s
            .indicateurs
            .iter()
            .filter(|i| !i.annees.is_empty() && !i.annees.iter().any(|p| p.annee == n))
            .map(|i| i.id.clone())
            .collect();
        if !ids.is_empty() {
            sans_indicateur.push(format!("{} ({})", s.service.id, ids.join(", ")));
        }
    }
    if !sans_indicateur.is_empty() {
        a.push(format!(
            "Valeurs {n} des indicateurs à ajouter à la suite des séries : {}.",
            sans_indicateur.join(" ; ")
        ));
    }
    if !m.fiches.is_empty() {
        let fiches: Vec<String> = m.fiches.iter().map(|f| format!("{} ({})", f.id, f.statut.token())).collect();
        a.push(format!(
            "Statuts des fiches-actions conservés, à mettre à jour (data/fiches/) : {}.",
            liste(&fiches)
        ));
    }
    let population: Vec<String> = m
        .cles
        .iter()
        .filter_map(|c| c.millesime.filter(|y| *y < n).map(|y| format!("{} ({y})", c.id)))
        .collect();
    if !population.is_empty() {
        a.push(format!(
            "Clés de population : pour répartir les coûts {n}, mettez à jour le millésime (data/cles.yaml) et ajoutez les populations de ce millésime (data/territoire.yaml) : {}.",
            liste(&population)
        ));
    }
    let cp = &m.commande_publique;
    if !cp.groupements.is_empty() && !cp.groupements.iter().any(|g| g.groupement.exercice == n) {
        a.push(format!("Groupements de commandes {n} à ajouter (data/commande_publique.yaml)."));
    }
    if !cp.assistance_maitrise_ouvrage.is_empty() && !cp.assistance_maitrise_ouvrage.iter().any(|x| x.amo.exercice == n) {
        a.push(format!(
            "Marchés passés pour le compte des collectivités en {n} à ajouter (assistance_maitrise_ouvrage, data/commande_publique.yaml)."
        ));
    }
    if m.effectifs.exercice.is_some_and(|e| e != n) {
        a.push(format!(
            "data/effectifs.yaml porte encore sur {} : mettez à jour l'exercice et les effectifs.",
            m.effectifs.exercice.unwrap_or(ancien)
        ));
    }
    a.push(format!("Textes {n} : écrivez les textes préparés (content/), en commençant par l'édito."));
    let perennes: Vec<String> = m
        .contenus
        .iter()
        .filter(|c| c.entete.exercice.is_none())
        .map(|c| c.fichier.replace('\\', "/"))
        .collect();
    if !perennes.is_empty() {
        a.push(format!(
            "Textes sans `exercice`, repris tels quels chaque année : relisez-les ({}).",
            liste(&perennes)
        ));
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_replaced_only_when_alone() {
        assert_eq!(
            remplacer_annee("Rapport 2023 : 2023-2026, 12023, 20234", 2023, 2024),
            "Rapport 2024 : 2024-2026, 12023, 20234"
        );
        assert_eq!(remplacer_annee("été 2023", 2023, 2024), "été 2024");
    }

    #[test]
    fn next_paths() {
        assert_eq!(
            chemin_suivant("content/fiches/informatique.md", 2023, 2024),
            "content/fiches/informatique-2024.md"
        );
        assert_eq!(chemin_suivant("content/services/garage-2023.md", 2023, 2024), "content/services/garage-2024.md");
        assert_eq!(chemin_suivant("content/edito_2023.md", 2023, 2025), "content/edito_2025.md");
        assert_eq!(chemin_suivant("content/x12023.md", 2023, 2024), "content/x12023-2024.md");
    }

    #[test]
    fn comments_are_split_outside_quotes() {
        assert_eq!(separer_commentaire("a: 1  # note"), ("a: 1", Some("# note")));
        assert_eq!(separer_commentaire("a: \"x # y\" # z"), ("a: \"x # y\"", Some("# z")));
        assert_eq!(separer_commentaire("a: 'l''x # y'"), ("a: 'l''x # y'", None));
        assert_eq!(separer_commentaire("a: b#c"), ("a: b#c", None));
    }

    #[test]
    fn report_is_edited_in_place() {
        let avant = "\u{feff}# Le rapport 2023.\r\nexercice: 2023  # clos\r\ntitre: \"Rapport 2023\"\r\ndate_conseil: 2024-02-29\r\ndeliberation: DCC2024_054\r\nactes_id: 029-X-DE\r\nsignataire:\r\n  nom: \"Le Président\"\r\ntransmission:\r\n  envoi: 2024-04-03\r\n\r\n  # publication absente\r\n  reception: 2024-04-03\r\n# fin\r\ndate_document: 2024-03-29\r\n";
        let d = |a, m, j| Date::new(a, m, j).unwrap();
        let apres = modifier_rapport(avant, 2023, 2024, decaler(d(2024, 2, 29), 1), Some(d(2025, 3, 29)), "DCC2024_054").unwrap();
        let attendu = "\u{feff}# Le rapport 2023.\r\nexercice: 2024  # clos\r\ntitre: \"Rapport 2024\"\r\n\
# À VÉRIFIER : date provisoire posée par « mutu new --exercice 2024 » (celle du conseil précédent, 1 an plus tard) ; remplacez-la par la date du conseil qui recevra le rapport 2024.\r\n\
date_conseil: 2025-02-28\r\n\
# À COMPLÉTER : numéro de la délibération qui reçoit le rapport 2024 (celle du rapport 2023 : DCC2024_054).\r\n\
deliberation: \"à compléter\"\r\n\
# actes_id : à renseigner après la transmission en préfecture du rapport 2024 (rapport 2023 : 029-X-DE).\r\n\
signataire:\r\n  nom: \"Le Président\"\r\n\
# transmission : dates d'envoi, de réception et de publication du rapport 2024, à renseigner après sa transmission en préfecture.\r\n\
# fin\r\n\
# À VÉRIFIER : date provisoire posée par « mutu new --exercice 2024 ».\r\n\
date_document: 2025-03-29\r\n";
        assert_eq!(apres, attendu);
        assert_eq!(modifier_rapport("titre: x\n", 2023, 2024, d(2025, 1, 1), None, "x"), Err("exercice"));
    }

    #[test]
    fn pdf_name_follows_the_year() {
        let c = "titre: x\npdf:\n  nom_fichier: rapport-2023-capld\n  sections: [a]\n";
        assert_eq!(
            modifier_nom_pdf(c, 2023, 2024).unwrap(),
            "titre: x\npdf:\n  nom_fichier: rapport-2024-capld\n  sections: [a]\n"
        );
        assert_eq!(modifier_nom_pdf("pdf:\n  nom_fichier: rapport\n", 2023, 2024), None);
        assert_eq!(modifier_nom_pdf("titre: x\n", 2023, 2024), None);
    }
}
