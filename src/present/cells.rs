//! Small constructors for tables and cells: every figure goes through
//! [`crate::format`] here, with its exact raw value kept for data files.

use super::{Cellule, Colonne, Tableau};
use crate::format::Grandeur;
use rust_decimal::Decimal;

pub fn tableau(id: impl Into<String>, titre: impl Into<String>, colonnes: &[(&str, bool)]) -> Tableau {
    let titre = titre.into();
    Tableau {
        id: id.into(),
        legende: titre.clone(),
        titre,
        colonnes: colonnes
            .iter()
            .map(|(l, n)| Colonne {
                libelle: l.to_string(),
                numerique: *n,
            })
            .collect(),
        lignes: Vec::new(),
        pied: Vec::new(),
        note: None,
    }
}

pub fn texte(s: impl Into<String>) -> Cellule {
    Cellule {
        texte: s.into(),
        ..Default::default()
    }
}

/// Row header cell.
pub fn entete(s: impl Into<String>) -> Cellule {
    Cellule {
        texte: s.into(),
        entete: true,
        ..Default::default()
    }
}

pub fn lien(s: impl Into<String>, page: impl Into<String>) -> Cellule {
    Cellule {
        texte: s.into(),
        lien: Some(page.into()),
        ..Default::default()
    }
}

/// Row header cell linking to a page.
pub fn entete_lien(s: impl Into<String>, page: impl Into<String>) -> Cellule {
    Cellule {
        texte: s.into(),
        entete: true,
        lien: Some(page.into()),
        ..Default::default()
    }
}

pub fn vide() -> Cellule {
    texte("—")
}

/// A figure: its text through [`Grandeur::texte`], its exact value for
/// data files through [`Grandeur::valeur`].
pub fn chiffre(g: Grandeur, d: &Decimal) -> Cellule {
    Cellule {
        texte: g.texte(d),
        valeur: Some(g.valeur(d)),
        ..Default::default()
    }
}

/// A change: like [`chiffre`], with a `+` before a positive figure.
pub fn chiffre_signe(g: Grandeur, d: &Decimal) -> Cellule {
    Cellule {
        texte: g.texte_signe(d),
        valeur: Some(g.valeur(d)),
        ..Default::default()
    }
}

pub fn euros(d: &Decimal) -> Cellule {
    chiffre(Grandeur::Montant, d)
}

pub fn euros_signe(d: &Decimal) -> Cellule {
    chiffre_signe(Grandeur::Montant, d)
}

pub fn nombre(d: &Decimal) -> Cellule {
    chiffre(Grandeur::Quantite, d)
}

pub fn entier(n: usize) -> Cellule {
    chiffre(Grandeur::Entier, &Decimal::from(n))
}

/// A share in a table column, always with two decimals.
pub fn pourcentage(d: &Decimal) -> Cellule {
    chiffre(Grandeur::PourcentageColonne, d)
}

pub fn pourcentage_signe(d: &Decimal) -> Cellule {
    chiffre_signe(Grandeur::Pourcentage, d)
}

/// Bold total row label.
pub fn total(s: impl Into<String>) -> Cellule {
    entete(s)
}

/// A page id made of safe characters.
pub fn slug(s: &str) -> String {
    let n = crate::model::values::normalize_token(s).replace('_', "-");
    let s: String = n.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    let mut out = String::new();
    for c in s.chars() {
        if c == '-' && out.ends_with('-') {
            continue;
        }
        out.push(c);
    }
    out.trim_matches('-').to_string()
}
