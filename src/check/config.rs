//! The configuration: PDF sections, base URL, theme.

use super::Ctx;
use crate::diagnostic::Diagnostic;
use crate::model::Origine;
use crate::present::build::SECTIONS_PDF;
use crate::suggest::did_you_mean;
use std::path::PathBuf;

pub(crate) fn check(ctx: &mut Ctx) {
    let c = &ctx.p.config;
    let o = Origine {
        fichier: PathBuf::from(crate::load::CONFIG_FILE),
        chemin: crate::yaml::Path::root(),
    };
    for (i, s) in c.pdf.sections.iter().enumerate() {
        if !SECTIONS_PDF.contains(&s.as_str()) {
            ctx.at_value(
                &o,
                &["pdf", "sections", &i.to_string()],
                Diagnostic::error("section-inconnue", format!("section du rapport PDF inconnue : « {s} »"))
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
                Diagnostic::error("url-invalide", format!("adresse de publication invalide : « {u} »"))
                    .expected("une adresse complète, par exemple https://extranet.mon-epci.fr/mutualisation/")
                    .hint("elle ne sert qu'au fichier sitemap.xml : les liens du site restent relatifs"),
            );
        }
    }
    if c.theme != "default" && !ctx.p.racine.join("themes").join(&c.theme).is_dir() {
        ctx.at_value(
            &o,
            &["theme"],
            Diagnostic::error("theme-introuvable", format!("thème « {} » introuvable", c.theme))
                .expected(format!("un dossier themes/{}/ dans le projet, ou `theme: default`", c.theme))
                .hint("un thème ne contient que les fichiers qui remplacent ceux du thème par défaut"),
        );
    }
}
