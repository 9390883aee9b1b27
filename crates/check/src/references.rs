//! Identifiers: well-formed, unique, and every reference resolves.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::suggest::did_you_mean;
use mutu_model::{Beneficiaires, Objet, Origine};
use std::collections::{BTreeMap, BTreeSet};

/// Every id that can be referenced, by kind.
pub(crate) struct Registry {
    /// EPCI, members and partners: the bodies that can share a service.
    pub organismes: BTreeSet<String>,
    pub communes: BTreeSet<String>,
    pub cles: BTreeSet<String>,
    pub services: BTreeSet<String>,
    pub axes: BTreeSet<String>,
    pub fiches: BTreeSet<String>,
}

pub(crate) fn registry(ctx: &Ctx) -> Registry {
    let p = ctx.p;
    let t = &p.territoire;
    let mut organismes: BTreeSet<String> = t.membres.iter().map(|m| m.id.clone()).collect();
    organismes.extend(t.partenaires.iter().map(|m| m.id.clone()));
    organismes.insert(t.epci.id.clone());
    Registry {
        organismes,
        communes: t
            .membres
            .iter()
            .filter(|m| m.genre == mutu_model::territoire::TypeMembre::Commune)
            .map(|m| m.id.clone())
            .collect(),
        cles: p.cles.iter().map(|c| c.id.clone()).collect(),
        services: p.services.iter().map(|s| s.id.clone()).collect(),
        axes: p.axes.iter().map(|a| a.id.clone()).collect(),
        fiches: p.fiches.iter().map(|f| f.id.clone()).collect(),
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_') && !id.starts_with('-')
}

fn slug_hint(id: &str) -> String {
    let s = mutu_model::values::normalize_token(id).replace('_', "-");
    let s: String = s.chars().filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-').collect();
    format!("par exemple « {} »", s.trim_matches('-'))
}

pub(crate) fn check(ctx: &mut Ctx) {
    let p = ctx.p;
    // (kind label, origin, path to the id) of every declared id
    let mut declared: Vec<(&str, &str, Origine, Vec<String>)> = Vec::new();
    let t = &p.territoire;
    declared.push(("organisme", &t.epci.id, t.origine.clone(), vec!["epci".into(), "id".into()]));
    for (i, m) in t.membres.iter().enumerate() {
        declared.push(("organisme", &m.id, t.origine.clone(), vec!["membres".into(), i.to_string(), "id".into()]));
    }
    for (i, m) in t.partenaires.iter().enumerate() {
        declared.push(("organisme", &m.id, t.origine.clone(), vec!["partenaires".into(), i.to_string(), "id".into()]));
    }
    for c in &p.cles {
        declared.push(("clé de répartition", &c.id, c.origine.clone(), vec!["id".into()]));
    }
    for s in &p.services {
        declared.push(("service", &s.id, s.origine.clone(), vec!["id".into()]));
    }
    for a in &p.axes {
        declared.push(("axe", &a.id, a.origine.clone(), vec!["id".into()]));
    }
    for f in &p.fiches {
        declared.push(("fiche-action", &f.id, f.origine.clone(), vec!["id".into()]));
    }
    if let Some(cp) = &p.commande_publique {
        for (i, g) in cp.groupements.iter().enumerate() {
            declared.push((
                "groupement de commandes",
                &g.id,
                cp.origine.clone(),
                vec!["groupements".into(), i.to_string(), "id".into()],
            ));
        }
    }
    let mut seen: BTreeMap<(&str, &str), (Origine, Vec<String>)> = BTreeMap::new();
    for (kind, id, o, path) in &declared {
        let rel: Vec<&str> = path.iter().map(String::as_str).collect();
        if !valid_id(id) {
            ctx.at_value(
                o,
                &rel,
                Diagnostic::error(Code::IdentifiantInvalide, format!("identifiant « {id} » invalide"))
                    .expected("des lettres minuscules sans accents, des chiffres et des tirets")
                    .hint(slug_hint(id)),
            );
        }
        if let Some((first, first_path)) = seen.get(&(*kind, *id)) {
            let where_first = ctx
                .loaded
                .loc_value(first, &first_path.iter().map(String::as_str).collect::<Vec<_>>())
                .map(|l| format!("{}:{}", mutu_base::diagnostic::display_path(&l.fichier), l.ligne))
                .unwrap_or_default();
            ctx.at_value(
                o,
                &rel,
                Diagnostic::error(Code::IdentifiantEnDouble, format!("l'identifiant « {id} » ({kind}) est déjà utilisé"))
                    .expected(format!("un identifiant unique pour chaque {kind}"))
                    .hint(format!("première déclaration : {where_first} ; renommez l'un des deux")),
            );
        } else {
            seen.insert((*kind, *id), (o.clone(), path.clone()));
        }
    }

    let reg = registry(ctx);
    let r = Refs {
        reg: &reg,
        unreadable: &ctx.loaded.unreadable,
    };

    for (i, m) in t.membres.iter().enumerate() {
        if let Some(c) = &m.commune {
            r.resolve(ctx, &t.origine, &["membres", &i.to_string(), "commune"], c, Kind::Commune);
        }
    }
    for c in &p.cles {
        if let Some(Beneficiaires::Liste(ids)) = &c.beneficiaires {
            for (i, id) in ids.iter().enumerate() {
                r.resolve(ctx, &c.origine, &["beneficiaires", &i.to_string()], id, Kind::Organisme);
            }
        }
        if let Some(v) = &c.valeurs {
            for id in v.keys() {
                r.resolve_key(ctx, &c.origine, &["valeurs", id], id, Kind::Organisme);
            }
        }
        if let Some(v) = &c.valeurs_par_exercice {
            for (y, m) in v {
                for id in m.keys() {
                    r.resolve_key(ctx, &c.origine, &["valeurs_par_exercice", &y.to_string(), id], id, Kind::Organisme);
                }
            }
        }
        for id in c.prorata.keys() {
            r.resolve_key(ctx, &c.origine, &["prorata", id], id, Kind::Organisme);
        }
    }
    for s in &p.services {
        let o = &s.origine;
        r.resolve(ctx, o, &["porteur"], &s.porteur, Kind::Organisme);
        for (i, a) in s.adherents.iter().enumerate() {
            r.resolve(ctx, o, &["adherents", &i.to_string(), "membre"], &a.membre, Kind::Organisme);
        }
        for (i, c) in s.composantes.iter().enumerate() {
            if let Some(k) = &c.cle {
                r.resolve(ctx, o, &["composantes", &i.to_string(), "cle"], k, Kind::Cle);
            }
        }
        if let Some(k) = s.offre.as_ref().and_then(|f| f.prix.as_ref()).and_then(|p| p.cle.as_ref()) {
            r.resolve(ctx, o, &["offre", "prix", "cle"], k, Kind::Cle);
        }
        for k in s.offre.iter().flat_map(|f| f.estimation.keys()) {
            r.resolve_key(ctx, o, &["offre", "estimation", k], k, Kind::Cle);
        }
        if let Some(pa) = s.offre.as_ref().and_then(|f| f.participation.as_ref()) {
            for (i, id) in pa.etablissements.iter().enumerate() {
                r.resolve(ctx, o, &["offre", "participation", "etablissements", &i.to_string()], id, Kind::Organisme);
            }
            if let Some(k) = &pa.refacturation {
                r.resolve(ctx, o, &["offre", "participation", "refacturation"], k, Kind::Cle);
            }
        }
        for (i, ind) in s.indicateurs.iter().enumerate() {
            for id in ind.par_membre.keys() {
                r.resolve_key(ctx, o, &["indicateurs", &i.to_string(), "par_membre", id], id, Kind::Organisme);
            }
        }
        for (i, b) in s.bilans.iter().enumerate() {
            for (field, lines) in [("depenses", &b.depenses[..]), ("recettes", b.recettes.as_deref().unwrap_or_default())] {
                for (j, l) in lines.iter().enumerate() {
                    if let Some(m) = &l.membre {
                        r.resolve(ctx, o, &["bilans", &i.to_string(), field, &j.to_string(), "membre"], m, Kind::Organisme);
                    }
                }
            }
        }
        for (i, rep) in s.repartitions.iter().enumerate() {
            let is = i.to_string();
            for (j, e) in rep.etapes.iter().enumerate() {
                r.resolve(ctx, o, &["repartitions", &is, "etapes", &j.to_string(), "cle"], &e.cle, Kind::Cle);
                if let Some(pd) = &e.part_de {
                    r.resolve(ctx, o, &["repartitions", &is, "etapes", &j.to_string(), "part_de"], pd, Kind::Organisme);
                }
            }
            for id in rep.montants_constates.keys().chain(rep.parts_declarees.keys()) {
                let field = if rep.montants_constates.contains_key(id) {
                    "montants_constates"
                } else {
                    "parts_declarees"
                };
                r.resolve_key(ctx, o, &["repartitions", &is, field, id], id, Kind::Organisme);
            }
        }
    }
    for f in &p.fiches {
        r.resolve(ctx, &f.origine, &["axe"], &f.axe, Kind::Axe);
        if let Some(s) = &f.service {
            r.resolve(ctx, &f.origine, &["service"], s, Kind::Service);
        }
        if let Beneficiaires::Liste(ids) = &f.collectivites_interessees {
            for (i, id) in ids.iter().enumerate() {
                r.resolve(ctx, &f.origine, &["collectivites_interessees", &i.to_string()], id, Kind::Organisme);
            }
        }
    }
    if let Some(cp) = &p.commande_publique {
        for (i, g) in cp.groupements.iter().enumerate() {
            let is = i.to_string();
            r.resolve(ctx, &cp.origine, &["groupements", &is, "coordonnateur"], &g.coordonnateur, Kind::Organisme);
            for id in g.montants_ht.keys() {
                r.resolve_key(ctx, &cp.origine, &["groupements", &is, "montants_ht", id], id, Kind::Organisme);
            }
            for (j, id) in g.autres_membres.iter().enumerate() {
                r.resolve(ctx, &cp.origine, &["groupements", &is, "autres_membres", &j.to_string()], id, Kind::Organisme);
            }
        }
        for (y, cols) in &cp.totaux_declares {
            for id in cols.keys().filter(|k| k.as_str() != "total") {
                r.resolve_key(ctx, &cp.origine, &["totaux_declares", &y.to_string(), id], id, Kind::Organisme);
            }
        }
    }
    if let Some(e) = &p.effectifs {
        for (i, s) in e.perimetre.iter().enumerate() {
            r.resolve(ctx, &e.origine, &["perimetre", &i.to_string()], s, Kind::Service);
        }
    }
    check_content_refs(ctx, &reg);
}

fn check_content_refs(ctx: &mut Ctx, reg: &Registry) {
    for c in &ctx.p.contenus {
        let o = Origine {
            fichier: c.fichier.clone().into(),
            chemin: mutu_model::yaml::Path::root(),
        };
        let (set, kind) = match c.entete.objet {
            Objet::Axe => (&reg.axes, Kind::Axe),
            Objet::Fiche => (&reg.fiches, Kind::Fiche),
            Objet::Service => (&reg.services, Kind::Service),
            Objet::Membre => (&reg.organismes, Kind::Organisme),
            Objet::Rapport | Objet::Schema | Objet::Page => {
                if c.entete.objet == Objet::Page && c.entete.id.is_none() {
                    ctx.at_key(
                        &o,
                        &["objet"],
                        Diagnostic::error(Code::ChampManquant, "champ obligatoire « id » absent pour une page libre")
                            .expected("`id:` : le nom de la page dans l'adresse, par exemple `mentions-legales`")
                            .hint("ajoutez `id: …` dans l'en-tête"),
                    );
                }
                continue;
            }
        };
        match &c.entete.id {
            None => ctx.at_key(
                &o,
                &["objet"],
                Diagnostic::error(
                    Code::ChampManquant,
                    format!("champ obligatoire « id » absent : à {} ce texte se rattache-t-il ?", kind.which()),
                )
                .expected(format!("`id:` suivi de l'identifiant {}", kind.of_a()))
                .maybe_hint(Some(format!(
                    "identifiants possibles : {}",
                    set.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
                ))),
            ),
            Some(id) => {
                let r = Refs {
                    reg,
                    unreadable: &ctx.loaded.unreadable,
                };
                r.resolve(ctx, &o, &["id"], id, kind);
            }
        }
    }
}

#[derive(Clone, Copy)]
pub(crate) enum Kind {
    Organisme,
    Commune,
    Cle,
    Service,
    Axe,
    Fiche,
}

impl Kind {
    fn label(self) -> &'static str {
        match self {
            Kind::Organisme => "membre ou partenaire",
            Kind::Commune => "commune membre",
            Kind::Cle => "clé de répartition",
            Kind::Service => "service",
            Kind::Axe => "axe",
            Kind::Fiche => "fiche-action",
        }
    }
    fn feminine(self) -> bool {
        matches!(self, Kind::Commune | Kind::Cle | Kind::Fiche)
    }
    /// "service inconnu", "clé de répartition inconnue".
    fn unknown(self) -> String {
        format!("{} inconnu{}", self.label(), if self.feminine() { "e" } else { "" })
    }
    /// "d'un service", "d'une clé de répartition".
    fn of_a(self) -> String {
        format!("d'un{} {}", if self.feminine() { "e" } else { "" }, self.label())
    }
    /// "quel service", "quelle fiche-action".
    fn which(self) -> String {
        format!("quel{} {}", if self.feminine() { "le" } else { "" }, self.label())
    }
    fn code(self) -> Code {
        match self {
            Kind::Organisme | Kind::Commune => Code::MembreInconnu,
            Kind::Cle => Code::CleRepartitionInconnue,
            Kind::Service => Code::ServiceInconnu,
            Kind::Axe => Code::AxeInconnu,
            Kind::Fiche => Code::FicheInconnue,
        }
    }
    fn file(self) -> &'static str {
        match self {
            Kind::Organisme | Kind::Commune => "data/territoire.yaml",
            Kind::Cle => "data/cles.yaml",
            Kind::Service => "data/services/",
            Kind::Axe => "data/axes.yaml",
            Kind::Fiche => "data/fiches/",
        }
    }
}

struct Refs<'a> {
    reg: &'a Registry,
    /// Files that could not be read or parsed (already reported).
    unreadable: &'a [std::path::PathBuf],
}

impl Refs<'_> {
    fn set(&self, k: Kind) -> &BTreeSet<String> {
        match k {
            Kind::Organisme => &self.reg.organismes,
            Kind::Commune => &self.reg.communes,
            Kind::Cle => &self.reg.cles,
            Kind::Service => &self.reg.services,
            Kind::Axe => &self.reg.axes,
            Kind::Fiche => &self.reg.fiches,
        }
    }

    fn diag(&self, id: &str, k: Kind) -> Option<Diagnostic> {
        let set = self.set(k);
        if set.contains(id) {
            return None;
        }
        // When a file that declares ids of this kind could not be read, the
        // id may well be declared there: its error is reported already.
        if self.unreadable.iter().any(|f| mutu_base::diagnostic::display_path(f).starts_with(k.file())) {
            return None;
        }
        let hint = did_you_mean(id, set.iter().map(String::as_str)).unwrap_or_else(|| format!("les identifiants sont déclarés dans {} (champ `id`)", k.file()));
        Some(
            Diagnostic::error(k.code(), format!("{} : « {id} »", k.unknown()))
                .expected(format!(
                    "l'identifiant {} déclaré{} dans {}",
                    k.of_a(),
                    if k.feminine() { "e" } else { "" },
                    k.file()
                ))
                .hint(hint),
        )
    }

    fn resolve(&self, ctx: &mut Ctx, o: &Origine, rel: &[&str], id: &str, k: Kind) {
        if let Some(d) = self.diag(id, k) {
            ctx.at_value(o, rel, d);
        }
    }

    /// For ids used as map keys: point at the key.
    fn resolve_key(&self, ctx: &mut Ctx, o: &Origine, rel: &[&str], id: &str, k: Kind) {
        if let Some(d) = self.diag(id, k) {
            ctx.at_key(o, rel, d);
        }
    }
}
