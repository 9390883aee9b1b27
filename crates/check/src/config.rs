//! The configuration: PDF sections, base URL, theme.

use super::Ctx;
use mutu_base::codes::Code;
use mutu_base::diagnostic::Diagnostic;
use mutu_base::suggest::did_you_mean;
use mutu_model::config::SECTIONS_PDF;
use mutu_model::Origine;
use std::path::PathBuf;

pub(crate) fn check(ctx: &mut Ctx) {
    let c = &ctx.p.config;
    let o = Origine {
        fichier: PathBuf::from(mutu_model::load::CONFIG_FILE),
        chemin: mutu_model::yaml::Path::root(),
    };
    for (i, s) in c.pdf.sections.iter().enumerate() {
        if !SECTIONS_PDF.contains(&s.as_str()) {
            ctx.at_value(
                &o,
                &["pdf", "sections", &i.to_string()],
                Diagnostic::error(Code::SectionInconnue, format!("section du rapport PDF inconnue : « {s} »"))
                    .expected(format!("une des sections : {}", SECTIONS_PDF.join(", ")))
                    .maybe_hint(did_you_mean(s, SECTIONS_PDF.iter().copied())),
            );
        }
    }
    if let Some(u) = &c.url_de_base {
        if !(u.starts_with("https://") || u.starts_with("http://")) || u.contains(char::is_whitespace) {
            ctx.at_value(
                &o,
                &["url_de_base"],
                Diagnostic::error(Code::UrlInvalide, format!("adresse de publication invalide : « {u} »"))
                    .expected("une adresse complète, par exemple https://extranet.mon-epci.fr/mutualisation/")
                    .hint("elle ne sert qu'au fichier sitemap.xml : les liens du site restent relatifs"),
            );
        }
    }
    theme(ctx, &o);
    publication(ctx, &o);
}

/// `publication:` names a target, never a credential: the configuration is
/// shared, versioned and copied with the project.
fn publication(ctx: &mut Ctx, o: &Origine) {
    let Some(p) = ctx.p.config.publication.clone() else { return };
    for cle in p.secrets() {
        ctx.at_value(
            o,
            &["publication", cle],
            Diagnostic::error(Code::SecretDansLaConfiguration, format!("un secret est écrit dans la configuration : publication.{cle}"))
                .hint("retirez cette ligne : SFTP s'authentifie par l'agent SSH ou une clé nommée par `--cle` ou la variable MUTU_CLE_SSH, WebDAV par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie dans le terminal, jamais par un secret écrit dans le projet"),
        );
    }
    if let Some(c) = &p.cible {
        if mutu_model::config::cible_avec_mot_de_passe(c) {
            ctx.at_value(
                o,
                &["publication", "cible"],
                Diagnostic::error(
                    Code::SecretDansLaConfiguration,
                    "la cible de publication contient un mot de passe (utilisateur:mot-de-passe@…)",
                )
                .hint("écrivez seulement utilisateur@hote : l'authentification passe par l'agent SSH ou une clé (`--cle`) en SFTP, par la variable MUTU_WEBDAV_MOT_DE_PASSE ou une saisie en WebDAV"),
            );
        } else if c.contains("PRIVATE KEY") {
            ctx.at_value(
                o,
                &["publication", "cible"],
                Diagnostic::error(Code::SecretDansLaConfiguration, "la cible de publication contient une clé privée")
                    .hint("retirez-la : nommez le fichier de la clé avec `--cle`"),
            );
        } else if let Err(e) = mutu_model::cible::Cible::lire(c) {
            // The same reader as `mutu publish`: what it refuses is refused here.
            ctx.at_value(o, &["publication", "cible"], Diagnostic::error(Code::CibleInvalide, e.message).hint(e.aide));
        }
    }
}

/// `theme:` names a folder of `themes/`, and nothing in it leads out of
/// the project.
fn theme(ctx: &mut Ctx, o: &Origine) {
    let nom = &ctx.p.config.theme;
    if !mutu_base::theme::nom_valide(nom) {
        ctx.at_value(
            o,
            &["theme"],
            Diagnostic::error(Code::ThemeInvalide, format!("« {nom} » n'est pas un nom de thème"))
                .expected("le nom d'un dossier de themes/, sans / ni .. (par exemple `theme: mon-theme`), ou `theme: default`")
                .hint("un thème se range dans le dossier themes/ du projet : mutu ne lit rien en dehors du dossier du projet"),
        );
        return;
    }
    let dossier = format!("themes/{nom}");
    let walk = mutu_base::parcours::parcourir(&ctx.p.racine, &dossier);
    let mut sortant = false;
    for e in &walk.ecarts {
        let d = e.diagnostic();
        if matches!(e, mutu_base::parcours::Ecart::LienSortant { rel, .. } if *rel == std::path::Path::new(&dossier)) {
            // The theme folder itself: shown at the `theme:` line.
            sortant = true;
            ctx.at_value(
                o,
                &["theme"],
                Diagnostic { loc: None, ..d }.hint(format!("{dossier} est un lien vers un dossier hors du projet : copiez le thème dans le projet")),
            );
        } else {
            ctx.out.push(d);
        }
    }
    if !sortant && nom != "default" && !ctx.p.racine.join(&dossier).is_dir() {
        ctx.at_value(
            o,
            &["theme"],
            Diagnostic::error(Code::ThemeIntrouvable, format!("thème « {nom} » introuvable"))
                .expected(format!("un dossier themes/{nom}/ dans le projet, ou `theme: default`"))
                .hint("un thème ne contient que les fichiers qui remplacent ceux du thème par défaut"),
        );
    }
}
