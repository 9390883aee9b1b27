//! The year-over-year comparison on the example (page, PDF section, commune
//! pages, exact decompositions in the export) and `mutu diff` between git
//! revisions of a copy of the example (figures, broken data at a revision,
//! a project outside git, an unknown revision).

use crate::outils;

use mutu_base::format::Grandeur;
use outils::{copie_exemple, mutu, remplace, reussit, stderr, stdout, texte_pdf, Temp};
use rust_decimal::Decimal;
use std::path::Path;
use std::process::Command;

fn git(projet: &Path, args: &[&str]) {
    let o = Command::new("git")
        .arg("-C")
        .arg(projet)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .expect("git se lance");
    assert!(o.status.success(), "git {args:?} : {}", String::from_utf8_lossy(&o.stderr));
}

/// Spaces of French numbers (narrow no-break) as plain spaces, to compare with literals.
fn espaces(s: &str) -> String {
    s.replace(['\u{202f}', '\u{a0}'], " ")
}

fn export(projet: &Path) -> serde_json::Value {
    let o = mutu(projet, &["export"]);
    reussit(&o);
    serde_json::from_slice(&o.stdout).unwrap()
}

fn dec(v: &serde_json::Value) -> Decimal {
    v.as_str().unwrap().parse().unwrap()
}

/// Member name → total TTC of the report's year.
fn totaux(m: &serde_json::Value) -> Vec<(String, Decimal)> {
    let y = m["rapport"]["exercice"].as_i64().unwrap();
    m["releves"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| {
            let e = r["exercices"].as_array().unwrap().iter().find(|e| e["exercice"].as_i64() == Some(y))?;
            Some((r["nom"].as_str().unwrap().to_string(), dec(&e["total_ttc"])))
        })
        .collect()
}

#[test]
fn decompositions_in_the_export_add_up_exactly() {
    let m = export(&outils::exemple());
    let e = &m["evolutions"];
    assert_eq!((e["annee"].as_i64(), e["annee_precedente"].as_i64()), (Some(2023), Some(2022)));
    let membres = e["membres"].as_array().unwrap();
    assert!(!membres.is_empty());
    let mut comparees = 0;
    for x in membres {
        let [avant, apres, ecart, cout, part, nouveaux, termines] =
            ["avant", "apres", "ecart", "effet_cout", "effet_part", "nouveaux", "termines"].map(|k| dec(&x[k]));
        assert_eq!(ecart, apres - avant, "{}", x["nom"]);
        assert_eq!(ecart, cout + part + nouveaux + termines, "{}", x["nom"]);
        for l in x["lignes"].as_array().unwrap() {
            let v = &l["variation"];
            if v["genre"] == "comparee" {
                comparees += 1;
                assert_eq!(dec(&v["ecart"]), dec(&v["apres"]) - dec(&v["avant"]));
                assert_eq!(dec(&v["effet_cout"]) + dec(&v["effet_part"]), dec(&v["ecart"]));
            }
        }
    }
    assert!(comparees > 0);
    // Landerneau's services communs: amounts constatés 2022 and 2023.
    let l = membres.iter().find(|x| x["membre"] == "landerneau").unwrap();
    assert_eq!(
        ["avant", "apres", "ecart", "effet_cout", "effet_part", "sans_donnee"].map(|k| l[k].to_string()),
        ["\"756167.00\"", "\"808845.00\"", "\"52678.00\"", "\"60896.59\"", "\"-8218.59\"", "1"]
    );
    // Without a 2022 allocation, ADS is said to have no figure, never 0.
    let daoulas = membres.iter().find(|x| x["membre"] == "daoulas").unwrap();
    assert_eq!(daoulas["lignes"][0]["variation"]["genre"], "sans_donnee_precedente");
    // The fiche with a 2022 status, and one without.
    let fiches = e["fiches"].as_array().unwrap();
    let musique = fiches.iter().find(|f| f["fiche"] == "ecoles-de-musique").unwrap();
    assert_eq!((musique["avant"].as_str(), musique["apres"].as_str()), (Some("a_engager"), Some("en_cours")));
    assert!(fiches.iter().any(|f| f["avant"].is_null()));
}

#[test]
fn page_pdf_section_and_commune_line_exist() {
    let t = Temp::new("evolutions-build");
    let sortie = t.join("public");
    let o = mutu(&outils::exemple(), &["build", "--sortie", sortie.to_str().unwrap(), "--extraits"]);
    reussit(&o);
    let page = std::fs::read_to_string(sortie.join("evolutions.html")).unwrap();
    assert!(page.contains("<h1>Évolutions entre 2022 et 2023</h1>") || page.contains("Évolutions entre 2022 et 2023</h1>"));
    assert!(page.contains("pas de donnée pour 2022"));
    // Daoulas pays only for ADS, which has no 2022 allocation: its 2023
    // amount is shown all the same (it read « — »), out of the total.
    let csv = std::fs::read_to_string(sortie.join("donnees/evolutions-membres.csv")).unwrap();
    // Decimal comma; « — » (nothing to compare) an empty cell.
    assert!(csv.contains("\r\nDaoulas;pas de donnée pour 2022;3959,00;;;;\r\n"), "{csv}");
    assert!(csv.contains("\r\nTotal des membres comparés;756167,00;818930,40;"), "{csv}");
    // Staffing: effectifs.yaml has permanent posts for 2022 only.
    let lu = espaces(&page.replace("&#39;", "'"));
    assert!(lu.contains("Emplois permanents : 26 en 2022 ; pas de donnée pour 2023."), "{lu}");
    // Fiche 1.3 went from « à engager » (2022) to « en cours » (2023).
    assert!(lu.contains("Fiches-actions engagées en 2023 : « "), "{lu}");
    assert!(!lu.contains("achevées ou arrêtées en 2023"), "no fiche has a 2022 status and an end in 2023");
    let pdf = texte_pdf(&sortie.join("rapport-mutualisation-2023-capld.pdf"));
    assert!(pdf.contains("Évolutions entre 2022 et 2023"), "section absente du PDF");
    let ligne = "Services communs des fonctions support avec la Ville de Landerneau : +52 678,00 € (756 167,00 € en 2022, 808 845,00 € en 2023) : +60 896,59 € parce que le coût du service a augmenté de 8,05 %, −8 218,59 € parce que sa part du coût est passée de 52,88 % à 52,35 %.";
    let commune = espaces(&std::fs::read_to_string(sortie.join("communes/landerneau.html")).unwrap().replace("&#39;", "'"));
    assert!(commune.contains("Ce qui a changé depuis 2022"));
    assert!(commune.contains(ligne), "ligne absente de la page de Landerneau");
    let extrait = espaces(&texte_pdf(&sortie.join("extraits/landerneau.pdf")))
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(extrait.contains("Ce qui a changé depuis 2022"));
    assert!(extrait.contains("+60 896,59 € parce que le coût du service a augmenté de 8,05 %"), "{extrait}");
}

/// A git repository of a copy of the example, with a first commit.
fn depot(nom: &str) -> (Temp, std::path::PathBuf) {
    let (t, projet) = copie_exemple(nom);
    git(&projet, &["init", "-q"]);
    git(&projet, &["add", "-A"]);
    git(&projet, &["commit", "-q", "-m", "exemple"]);
    (t, projet)
}

#[test]
fn diff_prints_each_affected_members_old_and_new_amount() {
    let (_t, projet) = depot("diff-chiffres");
    let avant = totaux(&export(&projet));
    // One bilan line of the ADS (the amount split) and one population of the key.
    remplace(&projet, "data/services/instruction-ads.yaml", "montant: 257119", "montant: 267119");
    remplace(&projet, "data/territoire.yaml", "totale: 1879", "totale: 1979");
    git(&projet, &["commit", "-q", "-a", "-m", "bilan ADS et population de Daoulas"]);
    let apres = totaux(&export(&projet));

    let o = mutu(&projet, &["diff", "HEAD~1"]);
    reussit(&o);
    let out = stdout(&o);
    assert!(out.starts_with("Comparaison de HEAD~1 ("), "{out}");
    let brut = out.clone();
    let out = espaces(&out);
    assert!(out.contains("avec l'arbre de travail"));
    let mut touches = 0;
    for ((nom, a), (nom2, b)) in avant.iter().zip(&apres) {
        assert_eq!(nom, nom2);
        if a != b {
            touches += 1;
            let ligne = format!(
                "    {nom}, total 2023 TTC : {} → {} ({})\n",
                Grandeur::Montant.texte(a),
                Grandeur::Montant.texte(b),
                Grandeur::Montant.texte_signe(&(b - a))
            );
            assert!(brut.contains(&ligne), "manque : {ligne}\n{out}");
        }
    }
    assert!(touches >= 20, "{touches} membres touchés");
    assert!(out.contains("    Daoulas, total 2023 TTC : 3 959,00 € → 4 412,00 € (+453,00 €)\n"));
    assert!(out.contains("    Instruction des autorisations d'urbanisme — bilan 2023 TTC : dépenses : 290 331,00 € → 300 331,00 € (+10 000,00 €)\n"));
    assert!(out.contains("    Daoulas, population totale 2023 : 1 879 → 1 979 (+100)\n"));

    // Two revisions, and the page.
    let html = projet.join("comparaison.html");
    let o = mutu(&projet, &["comparer", "HEAD~1", "HEAD", "--sortie", html.to_str().unwrap()]);
    reussit(&o);
    assert!(stdout(&o).contains(" avec HEAD ("));
    let page = espaces(&std::fs::read_to_string(&html).unwrap());
    assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">"));
    assert!(page.contains(
        "<tr><th scope=\"row\">Daoulas, total 2023 TTC</th><td class=\"n\">3 959,00 €</td><td class=\"n\">4 412,00 €</td><td class=\"n\">+453,00 €</td></tr>"
    ));

    // Same revision twice: nothing differs.
    let o = mutu(&projet, &["diff", "HEAD", "HEAD"]);
    reussit(&o);
    assert!(stdout(&o).ends_with("\nAucune différence : mêmes chiffres, mêmes textes, mêmes entités.\n"));
}

#[test]
fn diff_names_the_revision_whose_data_is_broken() {
    let (_t, projet) = depot("diff-casse");
    remplace(&projet, "data/services/instruction-ads.yaml", "montant: 257119", "montant: deux cents");
    git(&projet, &["commit", "-q", "-a", "-m", "cassé"]);
    remplace(&projet, "data/services/instruction-ads.yaml", "montant: deux cents", "montant: 257119");
    let o = mutu(&projet, &["diff", "HEAD"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("erreur[revision-invalide] : les données de HEAD ("), "{err}");
    assert!(err.contains("HEAD:data/services/instruction-ads.yaml:"), "{err}");
    assert!(!err.contains("mutu-diff-"), "chemin temporaire visible : {err}");
    assert!(
        err.ends_with("  = aide : corrigez les données de cette version, ou comparez d'autres révisions\n"),
        "{err}"
    );
    assert!(stdout(&o).is_empty());
}

#[test]
fn diff_outside_git_or_with_an_unknown_revision() {
    let (_t, projet) = copie_exemple("diff-hors-git");
    let o = mutu(&projet, &["diff", "HEAD~1"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "erreur[hors-depot-git] : le projet {} n'est pas dans un dépôt git\n  = aide : mutu diff compare deux versions enregistrées avec git : lancez `git init` puis `git add` et `git commit` dans le projet\n",
            projet.display()
        )
    );
    let (_t, projet) = depot("diff-revision");
    let o = mutu(&projet, &["diff", "v-inconnue"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "erreur[revision-inconnue] : la révision « v-inconnue » n'existe pas dans le dépôt\n  = aide : indiquez un commit, une branche ou une étiquette : `git log --oneline` les liste (par exemple HEAD~1)\n"
    );
}

/// `diff --sortie` follows the output rules of build, pdf and export: never
/// into the project's sources or `.git`, never over a file it did not
/// write; over its own previous page, yes.
#[test]
fn diff_sortie_never_overwrites_what_mutu_did_not_write() {
    let (t, projet) = depot("diff-sortie");
    let refus = |sortie: &Path, message: &str| {
        let avant = std::fs::read(sortie).ok();
        let o = mutu(&projet, &["diff", "HEAD", "--sortie", sortie.to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert_eq!(stdout(&o), "", "refusé avant toute comparaison");
        assert!(
            stderr(&o).starts_with(&format!("erreur[sortie-refusee] : {message}")),
            "attendu : {message}\nobtenu : {}",
            stderr(&o)
        );
        assert!(stderr(&o).ends_with("aucun fichier n'a été modifié\n"), "{}", stderr(&o));
        assert_eq!(std::fs::read(sortie).ok(), avant, "{} inchangé", sortie.display());
    };
    let yaml = projet.join("data/territoire.yaml");
    refus(&yaml, &format!("sortie refusée : {} est dans le dossier data/ du projet", yaml.display()));
    let head = projet.join(".git/HEAD");
    refus(&head, &format!("sortie refusée : {} est dans le dossier .git/ du projet", head.display()));
    refus(
        &projet.join("content/nouveau.html"),
        &format!(
            "sortie refusée : {} est dans le dossier content/ du projet",
            projet.join("content/nouveau.html").display()
        ),
    );
    // Someone's own HTML page, outside the project.
    let page = t.join("page.html");
    std::fs::write(
        &page,
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>Ma page</title>\n",
    )
    .unwrap();
    refus(
        &page,
        &format!(
            "sortie refusée : le fichier {} existe et n'est pas une comparaison écrite par `mutu diff`",
            page.display()
        ),
    );
    // Absent, then its own previous page: written, then replaced.
    let rapport = t.join("comparaison.html");
    reussit(&mutu(&projet, &["diff", "HEAD", "--sortie", rapport.to_str().unwrap()]));
    let premier = std::fs::read_to_string(&rapport).unwrap();
    assert!(premier.starts_with("<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"generator\" content=\"mutu diff\">\n"));
    assert!(premier.contains("Aucune différence"), "même révision, même arbre");
    remplace(&projet, "data/territoire.yaml", "totale: 1879", "totale: 1979");
    let o = mutu(&projet, &["diff", "HEAD", "--sortie", rapport.to_str().unwrap()]);
    reussit(&o);
    let second = std::fs::read_to_string(&rapport).unwrap();
    assert!(!second.contains("Aucune différence"), "le rapport précédent de mutu est remplacé");
    assert!(espaces(&second).contains("Daoulas, population totale 2023"), "{second}");
}
