//! Cross-footing: every total printed in the data (a "declared" total) is
//! compared with the total computed from its parts. A mismatch is a warning
//! naming the file, line, both figures and the difference; mutu always uses
//! the computed figure.

use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::format::Grandeur;
use mutu_model::load::Loaded;
use mutu_model::territoire::TypeMembre;
use mutu_model::{Origine, Projet};
use rust_decimal::Decimal;
use serde::Serialize;

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Unite {
    Euro,
    Nombre,
}

impl Unite {
    /// How a figure of this unit is written.
    pub fn grandeur(self) -> Grandeur {
        match self {
            Unite::Euro => Grandeur::Montant,
            Unite::Nombre => Grandeur::Quantite,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Controle {
    pub libelle: String,
    pub fichier: String,
    pub ligne: usize,
    pub colonne: usize,
    pub unite: Unite,
    pub declare: Decimal,
    pub calcule: Decimal,
    pub ecart: Decimal,
    pub conforme: bool,
}

pub struct Controles<'a> {
    loaded: &'a Loaded,
    items: Vec<Controle>,
    warnings: Vec<Diagnostic>,
}

impl<'a> Controles<'a> {
    pub fn new(loaded: &'a Loaded) -> Self {
        Controles {
            loaded,
            items: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// Compares a declared figure (at `rel` under `o`) with the computed one.
    pub fn compare(&mut self, o: &Origine, rel: &[&str], libelle: String, unite: Unite, declare: Decimal, calcule: Decimal) {
        let loc = self.loaded.loc_value(o, rel);
        let ecart = declare - calcule;
        let conforme = ecart.is_zero();
        let fmt = |d: &Decimal| unite.grandeur().texte(d);
        if !conforme {
            let sign = if ecart > Decimal::ZERO { "+" } else { "" };
            self.warnings.push(
                Diagnostic::warning(
                    Code::TotalIncoherent,
                    format!("{libelle} : {} publié, {} calculé (écart {sign}{})", fmt(&declare), fmt(&calcule), fmt(&ecart)),
                )
                .at(loc.clone())
                .expected(format!("la somme des parties : {}", fmt(&calcule)))
                .hint("le total publié ne correspond pas à la somme de ses parties ; mutu affiche le total calculé. Vérifiez les lignes ou le total recopié"),
            );
        }
        let (fichier, ligne, colonne) = loc
            .map(|l| (mutu_base::diagnostic::display_path(&l.fichier), l.ligne, l.colonne))
            .unwrap_or_else(|| (mutu_base::diagnostic::display_path(&o.fichier), 0, 0));
        self.items.push(Controle {
            libelle,
            fichier,
            ligne,
            colonne,
            unite,
            declare,
            calcule,
            ecart,
            conforme,
        });
    }

    /// A warning for `check` that is not a comparison with a published
    /// total (no [`Controle`] is recorded), located at `rel` under `o`.
    pub fn avertir(&mut self, o: &Origine, rel: &[&str], d: Diagnostic) {
        let loc = self.loaded.loc_value(o, rel);
        self.warnings.push(d.at(loc));
    }

    pub fn finish(mut self) -> (Vec<Controle>, Vec<Diagnostic>) {
        self.items
            .sort_by(|a, b| (&a.fichier, a.ligne, a.colonne, &a.libelle).cmp(&(&b.fichier, b.ligne, b.colonne, &b.libelle)));
        (self.items, self.warnings)
    }
}

/// The EPCI's declared population vs the sum of its communes'.
pub fn populations(p: &Projet, ctl: &mut Controles) {
    let t = &p.territoire;
    for (year, pop) in &t.epci.populations {
        for kind in mutu_model::territoire::SortePopulation::ALL {
            let Some(declared) = pop.get(kind) else { continue };
            let communes: Vec<Option<u64>> = t
                .membres
                .iter()
                .filter(|m| m.genre == TypeMembre::Commune)
                .map(|m| m.populations.get(year).and_then(|p| p.get(kind)))
                .collect();
            if communes.iter().any(Option::is_none) {
                continue; // not every commune has the figure: nothing to compare
            }
            let sum: u64 = communes.into_iter().flatten().sum();
            let label = kind.libelle();
            ctl.compare(
                &t.origine,
                &["epci", "populations", &year.to_string(), kind.cle()],
                format!("{label} {year} de l'EPCI (somme des communes)"),
                Unite::Nombre,
                Decimal::from(declared),
                Decimal::from(sum),
            );
        }
    }
}
