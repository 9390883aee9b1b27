//! Who publishes: the texts of the legal notice and of the accessibility
//! contact, resolved once. What the configuration writes wins; what it
//! leaves out comes from the territory and the report settings, so a new
//! territory never shows another one's identity by default. While a
//! placeholder remains in the project ([`mutu_check::brouillon`]), the
//! document is a draft and says so on every page.

use mutu_base::source::Sources;
use mutu_check::brouillon::{self, EspaceReserve};
use mutu_model::Projet;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identite {
    /// Publisher of the site (legal notice).
    pub editeur: String,
    /// Director of publication (legal notice).
    pub directeur_publication: String,
    /// Postal address of the publisher, when known.
    pub adresse: Option<String>,
    /// Postal address for accessibility requests, when known.
    pub contact_adresse: Option<String>,
    /// Placeholders left in the project; not empty: a draft.
    pub espaces_reserves: Vec<EspaceReserve>,
    /// The draft mark every page carries, or `None` for a final document.
    pub mention_projet: Option<&'static str>,
}

pub fn identite(p: &Projet, sources: &Sources) -> Identite {
    let ml = &p.config.mentions_legales;
    let epci = &p.territoire.epci;
    let adresse_epci = epci.adresse.as_ref().map(|a| format!("{}, {a}", epci.nom));
    let espaces_reserves = brouillon::espaces_reserves(sources);
    Identite {
        editeur: ml
            .editeur
            .clone()
            .unwrap_or_else(|| format!("{}, établissement public de coopération intercommunale, SIREN {}", epci.nom, epci.siren)),
        directeur_publication: ml.directeur_publication.clone().unwrap_or_else(|| p.rapport.signataire.qualite.clone()),
        adresse: ml.adresse.clone().or_else(|| adresse_epci.clone()),
        contact_adresse: p.config.accessibilite.contact_adresse.clone().or(adresse_epci),
        mention_projet: (!espaces_reserves.is_empty()).then_some(brouillon::MENTION),
        espaces_reserves,
    }
}
