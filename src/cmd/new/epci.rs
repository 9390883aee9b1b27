//! `mutu new DIR --epci <SIREN or name>`: the commented project of
//! [`super::MODELE`], with the territory taken from the official register
//! embedded for the checks ([`mutu_check::cog`]) instead of the example's:
//! the EPCI (name, SIREN, nature, department), every member commune (official
//! name, INSEE code, SIREN, population municipale), and every mention of the
//! example EPCI and of its two communes in the other files replaced, so that
//! nothing in the new project names another territory.

use mutu_check::cog::{self, CommuneMembre, Epci};
use std::path::Path;

/// The register the populations come from, as written in the project.
const SOURCE_POPULATIONS: &str =
    "INSEE, population municipale (populations légales en vigueur au 1er janvier 2025, millésime 2022), via le paquet npm @etalab/decoupage-administratif 6.0.0 (Licence Ouverte)";
/// The year the populations are declared under (the year they are in force).
const ANNEE_POPULATIONS: i32 = 2025;

/// `mutu new <dossier> --epci <texte> [--exercice N]`. Returns the exit code.
pub fn nouveau(dossier: &Path, texte: &str, exercice: Option<i32>) -> i32 {
    let annees = match super::exercice_du_projet(exercice, super::aujourdhui()) {
        Ok(a) => a,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let e = match epci_designe(texte) {
        Ok(e) => e,
        Err(message) => {
            eprintln!("{message}");
            return 2;
        }
    };
    let membres = cog::communes_membres(e.siren);
    let fichiers = fichiers(&e, &membres, annees);
    let liste: String = membres.iter().map(|m| format!("\n  {} ({})", m.commune.nom, m.commune.insee)).collect();
    let suite = format!(
        "\nTerritoire : {} (SIREN {}), {} d'après le référentiel officiel :{liste}\n\
         Les populations sont celles du référentiel (vérifiez le millésime) ; les services, fiches et montants sont des exemples.\n{}",
        nom_long(e.nom),
        e.siren,
        mutu_base::texte::pluriel(membres.len(), "commune membre", "communes membres"),
        super::a_remplacer(annees.exercice)
    );
    super::ecrire(dossier, &fichiers, &suite)
}

/// The EPCI named on the command line, or the message listing candidates.
fn epci_designe(texte: &str) -> Result<Epci, String> {
    let trouves = cog::epcis_designes(texte);
    let liste = |v: &[Epci]| v.iter().map(|e| format!("\n    {} (SIREN {})", e.nom, e.siren)).collect::<String>();
    match &trouves[..] {
        [e] => Ok(e.clone()),
        [] => {
            let proches = cog::epcis_proches(texte, 8);
            let aide = if proches.is_empty() {
                "indiquez le SIREN de l'EPCI (9 chiffres, sur annuaire-entreprises.data.gouv.fr) ou son nom, par exemple « Pays des Abers »".to_string()
            } else {
                format!("vouliez-vous dire :{}", liste(&proches))
            };
            Err(format!(
                "erreur : aucun EPCI à fiscalité propre ne correspond à « {texte} » dans le référentiel officiel\n  = attendu : le SIREN ou le nom d'une communauté de communes, d'agglomération, urbaine ou d'une métropole\n  = aide : {aide}"
            ))
        }
        _ => Err(format!(
            "erreur : plusieurs EPCI correspondent à « {texte} »\n  = aide : indiquez le SIREN de l'un d'eux :{}",
            liste(&trouves)
        )),
    }
}

/// « CC du Pays des Abers » → « Communauté de communes du Pays des Abers ».
fn nom_long(nom: &str) -> String {
    for (court, long) in [
        ("CC ", "Communauté de communes "),
        ("CA ", "Communauté d'agglomération "),
        ("CU ", "Communauté urbaine "),
    ] {
        if let Some(reste) = nom.strip_prefix(court) {
            return format!("{long}{reste}");
        }
    }
    nom.to_string()
}

/// The `nature` token of the EPCI, from its legal form.
fn nature(nom: &str) -> &'static str {
    match nom.split(' ').next() {
        Some("CC") => "cc",
        Some("CA") => "ca",
        Some("CU") => "cu",
        _ => "metropole",
    }
}

/// « CC du Pays des Abers » → « CCPA »: the form, then the initials of the
/// words that are not articles or prepositions.
fn sigle(nom: &str) -> String {
    let (forme, coeur) = match nom.split_once(' ') {
        Some((f @ ("CC" | "CA" | "CU"), reste)) => (f, reste),
        _ => ("", nom),
    };
    let initiales: String = coeur
        .split([' ', '-', '\'', '’'])
        .filter(|w| {
            !matches!(
                w.to_lowercase().as_str(),
                "" | "du" | "de" | "des" | "la" | "le" | "les" | "l" | "d" | "et" | "en" | "sur" | "aux" | "au"
            )
        })
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    format!("{forme}{initiales}")
}

/// Member ids: the folded name, made unique with the INSEE code.
fn identifiants(membres: &[CommuneMembre], epci_id: &str) -> Vec<String> {
    let bruts: Vec<String> = membres.iter().map(|m| mutu_base::texte::slug(m.commune.nom)).collect();
    bruts
        .iter()
        .zip(membres)
        .map(|(id, m)| {
            if id.is_empty() || id == epci_id || bruts.iter().filter(|x| *x == id).count() > 1 {
                format!("{id}-{}", m.commune.insee.to_lowercase())
            } else {
                id.clone()
            }
        })
        .collect()
}

/// The project's files: the template with the territory replaced.
fn fichiers(e: &Epci, membres: &[CommuneMembre], annees: super::Annees) -> Vec<(&'static str, String)> {
    let long = nom_long(e.nom);
    let epci_id = mutu_base::texte::slug(&cog_coeur(e.nom));
    let ids = identifiants(membres, &epci_id);
    let departement = membres
        .first()
        .map(|m| {
            if m.commune.insee.starts_with("97") {
                &m.commune.insee[..3]
            } else {
                &m.commune.insee[..2]
            }
        })
        .unwrap_or("");
    // The example's two communes become the first two members (a single-commune
    // EPCI does not exist among EPCI à fiscalité propre).
    let premier = ids.first().cloned().unwrap_or_default();
    let second = ids.get(1).cloned().unwrap_or_else(|| premier.clone());
    super::MODELE
        .iter()
        .map(|(chemin, texte)| {
            let t = if *chemin == "data/territoire.yaml" {
                territoire(e, &long, &epci_id, departement, membres, &ids)
            } else {
                annees
                    .remplir(texte)
                    .lines()
                    .filter(|l| !l.contains("29800 Landerneau"))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
                    .replace("Communauté d'agglomération du Pays de Landerneau-Daoulas", &long)
                    .replace("Pays de Landerneau-Daoulas", &long)
                    .replace("242900801", e.siren)
                    .replace("029-", &format!("{departement:0>3}-"))
                    .replace("millesime: 2023", &format!("millesime: {ANNEE_POPULATIONS}"))
                    // The example's key is paid by its two communes, both members of the service.
                    .replace("    beneficiaires: communes\n", "    beneficiaires: [daoulas, dirinon]\n")
                    .replace("capld", &epci_id)
                    .replace("daoulas", &premier)
                    .replace("dirinon", &second)
            };
            (*chemin, t)
        })
        .collect()
}

/// « CC du Pays des Abers » → « Pays des Abers », for the EPCI's id.
fn cog_coeur(nom: &str) -> String {
    let sans_forme = ["CC ", "CA ", "CU "].iter().find_map(|p| nom.strip_prefix(p)).unwrap_or(nom);
    ["du ", "de la ", "de l'", "des ", "de ", "d'"]
        .iter()
        .find_map(|p| sans_forme.strip_prefix(p))
        .unwrap_or(sans_forme)
        .to_string()
}

fn territoire(e: &Epci, long: &str, epci_id: &str, departement: &str, membres: &[CommuneMembre], ids: &[String]) -> String {
    let mut t = format!(
        "# =============================================================================\n\
         # Le territoire : l'EPCI, ses membres et ses partenaires\n\
         # =============================================================================\n\
         # Pré-rempli par « mutu new --epci {siren} » depuis le référentiel officiel que mutu\n\
         # embarque (paquet @etalab/decoupage-administratif 6.0.0 : code officiel géographique\n\
         # de l'INSEE, composition des EPCI de la DGCL). Complétez le siège, l'adresse, les\n\
         # organismes rattachés (CCAS, syndicats…) et, si vos clés en utilisent, les populations\n\
         # DGF (publiées chaque année par la DGCL). Référence du format : « mutu aide format ».\n\
         \n\
         epci:\n\
         \x20 # Identifiant : un mot court, en minuscules sans accents ; les autres fichiers\n\
         \x20 # désignent l'EPCI par cet identifiant.\n\
         \x20 id: {epci_id}\n\
         \x20 nom: {nom}\n\
         \x20 # Nature juridique : cc, ca, cu ou metropole.\n\
         \x20 nature: {nature}\n\
         \x20 siren: \"{siren}\"\n\
         \x20 departement: \"{departement}\"\n\
         \x20 # Commune du siège et adresse postale (facultatives), que le référentiel ne donne pas.\n\
         \x20 # siege: <commune du siège>\n\
         \x20 # adresse: \"<code postal et commune>\"\n\
         \x20 # Sigle, utilisé dans les tableaux : proposé d'après le nom, À CORRIGER au besoin.\n\
         \x20 sigle: {sigle}\n\
         \n\
         # Les {n} communes membres selon le référentiel officiel. Populations : {source}.\n\
         # Vérifiez le millésime des populations (insee.fr, « populations légales »).\n\
         # Ajoutez à la suite les autres membres (CCAS, CIAS, syndicats : type ccas, cias,\n\
         # syndicat ou autre, avec « commune: <identifiant> » pour un CCAS).\n\
         membres:\n",
        siren = e.siren,
        nom = mutu_model::yaml::chaine(long),
        nature = nature(e.nom),
        sigle = sigle(e.nom),
        n = membres.len(),
        source = SOURCE_POPULATIONS,
    );
    for (m, id) in membres.iter().zip(ids) {
        t.push_str(&format!(
            "  - id: {id}\n    nom: {nom}\n    type: commune\n    insee: \"{insee}\"\n    siren: \"{siren}\"\n    populations:\n      {ANNEE_POPULATIONS}:\n        municipale: {pop}\n        source: {source}\n",
            nom = mutu_model::yaml::chaine(m.commune.nom),
            insee = m.commune.insee,
            siren = m.siren,
            pop = m.population,
            source = mutu_model::yaml::chaine(SOURCE_POPULATIONS),
        ));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_names_the_example_territory() {
        let e = cog::epci("242900553").expect("CC du Pays des Abers");
        let membres = cog::communes_membres(e.siren);
        for (chemin, texte) in fichiers(&e, &membres, super::super::Annees::new(2026)) {
            for autre in ["Landerneau", "Daoulas", "daoulas", "Dirinon", "dirinon", "capld", "CAPLD", "242900801"] {
                assert!(!texte.contains(autre), "{chemin} names {autre}");
            }
        }
        assert_eq!(sigle(e.nom), "CCPA");
        assert_eq!(nom_long(e.nom), "Communauté de communes du Pays des Abers");
        assert_eq!(mutu_base::texte::slug(&cog_coeur(e.nom)), "pays-des-abers");
    }

    #[test]
    fn unknown_or_ambiguous_names_list_candidates() {
        let err = epci_designe("pays des abbers").unwrap_err();
        assert!(err.contains("vouliez-vous dire :\n    CC du Pays des Abers (SIREN 242900553)"), "{err}");
        assert!(epci_designe("zzzz qqqq").unwrap_err().contains("indiquez le SIREN"));
    }
}
