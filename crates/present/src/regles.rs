//! The rule of an allocation, in French: what the computation did, said
//! once for the site, the PDF and the data files. The computed model
//! carries the steps (keys, kinds, rounding); the sentence is written here,
//! where every text of the document is.

use mutu_base::format::Grandeur;
use mutu_compute::repartition::{OrigineMontant, RepartitionCalculee};
use mutu_compute::Modele;
use mutu_model::cles::{Arrondi, Calcul};

/// The rule of an allocation in words, printed beside its tables: the
/// amount split, each step's key, the rounding (« Étape 1 : au prorata de
/// la population DGF 2023. … »).
pub fn regle(m: &Modele, r: &RepartitionCalculee) -> String {
    let (etapes, arrondi, origine, exercice) = (&r.etapes, r.arrondi, r.origine_montant, r.exercice);
    if origine == OrigineMontant::Constate {
        return "Montants constatés par collectivité, tels que saisis (pas de clé de répartition appliquée) ; total recalculé.".into();
    }
    let mut phrases = Vec::new();
    match origine {
        OrigineMontant::Bilan => phrases.push(format!("Montant réparti : total des dépenses du bilan {exercice}.")),
        OrigineMontant::Saisi => phrases.push("Montant réparti : saisi dans les données.".to_string()),
        OrigineMontant::Participation => phrases.push(format!("Montant réparti : la participation {exercice} lue dans la grille de prix de l'offre.")),
        OrigineMontant::Tarif | OrigineMontant::Constate => {}
    }
    for (i, e) in etapes.iter().enumerate() {
        let mut s = String::new();
        if etapes.len() > 1 {
            s.push_str(&format!("Étape {} : ", i + 1));
        }
        if let Some(pd) = &e.part_de {
            s.push_str(&format!("part de {} ", m.nom(pd)));
            if let Some(k) = e.prise_en_charge_epci {
                s.push_str(&format!("diminuée de la prise en charge par l'EPCI ({}) ", Grandeur::Montant.texte(&k)));
            }
            s.push_str("répartie ");
        } else if let Some(k) = e.prise_en_charge_epci {
            s.push_str(&format!("après prise en charge par l'EPCI ({}), ", Grandeur::Montant.texte(&k)));
        }
        match e.base.calcul() {
            Calcul::Tarif => s.push_str(&format!(
                "quantité × tarif ({} par {})",
                Grandeur::Montant.texte(&e.tarif.unwrap_or_default()),
                e.unite.as_deref().unwrap_or("unité")
            )),
            Calcul::Grille => s.push_str(&format!(
                "grille tarifaire par tranche de population {}",
                e.millesime.map(|m| m.to_string()).unwrap_or_default()
            )),
            Calcul::Population(_) => s.push_str(&format!(
                "au prorata de la {} {}",
                e.base_libelle,
                e.millesime.map(|m| m.to_string()).unwrap_or_default()
            )),
            // « valeurs de base » is the format's word, not the reader's: the key's own label says it.
            _ if !e.base.nomme_sa_base() => s.push_str(&format!("au prorata des valeurs de la clé « {} »", e.cle_libelle)),
            _ => s.push_str(&format!("au prorata des valeurs de la clé « {} » ({})", e.cle_libelle, e.base_libelle)),
        }
        s.push('.');
        phrases.push(s);
    }
    phrases.push(if etapes.iter().any(|e| !e.base.is_tariff()) {
        match arrondi {
            Arrondi::Euro => "Parts calculées sur les valeurs exactes, arrondies à l'euro par la méthode du plus fort reste (égalité départagée par code INSEE puis identifiant) : leur somme égale exactement le total.",
            Arrondi::Centime => "Parts calculées sur les valeurs exactes, arrondies au centime par la méthode du plus fort reste (égalité départagée par code INSEE puis identifiant) : leur somme égale exactement le total.",
        }
        .to_string()
    } else {
        "Montants arrondis au centime.".to_string()
    });
    mutu_base::format::phrases(phrases)
}
