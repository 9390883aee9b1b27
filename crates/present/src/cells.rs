//! Small constructors for tables and cells: every figure goes through
//! [`mutu_base::format`] here, with its exact raw value kept for data files.

use super::{Cellule, Colonne, Tableau};
use mutu_base::format::Grandeur;
use rust_decimal::Decimal;

/// Header of the column giving a member's code in the list of members;
/// the workbook repeats it on every row of a sheet gathering the members'
/// tables.
pub const CODE_INSEE: &str = "Code INSEE";

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
        detail: None,
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

/// A figure that was not entered: said so, never shown as 0.
pub fn non_renseigne() -> Cellule {
    texte("non renseigné")
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

/// Whether a cell says nothing: empty, « — », or a figure equal to zero.
fn muette(c: &Cellule) -> bool {
    let t = c.texte.trim();
    t.is_empty() || t == "—" || c.valeur.as_deref().and_then(|v| v.parse::<Decimal>().ok()).is_some_and(|d| d.is_zero())
}

/// Leaves out every column (but the first, which names the rows) whose
/// body cells all say nothing, and whose total cells say nothing either:
/// a column for something the territory does not have (no convention
/// dates, no commande publique, no ETP entered) is not printed as a column
/// of « — » or 0,00 € (issue 13, item 4). A table whose rows do not all
/// have one cell per column (spanning cells) is left as it is.
pub fn sans_colonnes_muettes(t: &mut Tableau) {
    let n = t.colonnes.len();
    if t.lignes.is_empty() || t.lignes.iter().chain(&t.pied).any(|l| l.len() != n) {
        return;
    }
    let garde: Vec<bool> = (0..n)
        .map(|c| c == 0 || t.lignes.iter().any(|l| l[c].entete || !muette(&l[c])) || t.pied.iter().any(|l| !muette(&l[c])))
        .collect();
    if garde.iter().all(|g| *g) {
        return;
    }
    let filtre = |l: &mut Vec<Cellule>| {
        let mut i = 0;
        l.retain(|_| {
            i += 1;
            garde[i - 1]
        });
    };
    let mut i = 0;
    t.colonnes.retain(|_| {
        i += 1;
        garde[i - 1]
    });
    t.lignes.iter_mut().for_each(filtre);
    t.pied.iter_mut().for_each(filtre);
}
