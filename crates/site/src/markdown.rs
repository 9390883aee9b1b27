//! Markdown narrative → HTML for the site (pulldown-cmark), adapted to the
//! page it lands in:
//! - headings shifted so the page title stays the only `<h1>` and levels
//!   never skip, with unique French-safe anchor ids;
//! - links to page ids (`services/ads`, `/services/ads`, `services/ads.html`)
//!   rewritten as relative links; unknown page links reported;
//! - footnotes numbered per block with unique ids, listed at the end;
//! - tables with `<th scope="col">` and alignment classes (no inline style);
//! - raw HTML escaped unless the project allows it.

use super::{chemin_relatif, Ids};
use mutu_base::codes::Code;
use mutu_base::diagnostic::{Diagnostic, Loc};
use pulldown_cmark::{html, Alignment, CowStr, Event, LinkType, Tag, TagEnd};
use std::collections::{BTreeMap, BTreeSet};

/// Where the Markdown is rendered.
pub struct Contexte<'a> {
    /// Id of the page holding the block.
    pub page: &'a str,
    /// Every page id of the site.
    pub pages: &'a BTreeSet<String>,
    /// Keep raw HTML (`html_brut: true` in the project configuration).
    pub html_brut: bool,
    /// Index of the block in its page (prefix of footnote ids).
    pub bloc: usize,
    /// Source file for diagnostics.
    pub fichier: &'a str,
}

/// Converts one Markdown block. `niveau` is the level of the last heading
/// emitted on the page (1 for the page title); it is updated.
pub fn convertit(source: &str, ctx: &Contexte, ids: &mut Ids, niveau: &mut u8, diags: &mut Vec<Diagnostic>) -> String {
    let evenements: Vec<Event> = mutu_base::markdown::evenements(source);

    // Footnote definitions are taken out of the flow and listed at the end.
    let mut principal = Vec::new();
    let mut definitions: Vec<(String, Vec<Event>)> = Vec::new();
    let mut courante: Option<(String, Vec<Event>)> = None;
    for e in evenements {
        match e {
            Event::Start(Tag::FootnoteDefinition(label)) => courante = Some((label.to_string(), Vec::new())),
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some(d) = courante.take() {
                    definitions.push(d);
                }
            }
            e => match &mut courante {
                Some((_, evs)) => evs.push(e),
                None => principal.push(e),
            },
        }
    }

    let mut notes = Notes {
        bloc: ctx.bloc,
        ordre: Vec::new(),
        ids_notes: BTreeMap::new(),
        premiers_appels: BTreeMap::new(),
        definies: definitions.iter().map(|d| d.0.clone()).collect(),
    };
    let min_niveau = principal
        .iter()
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(*level as u8),
            _ => None,
        })
        .min()
        .unwrap_or(2);
    let mut t = Transforme {
        ctx,
        ids,
        niveau,
        min_niveau,
        notes: &mut notes,
        diags,
    };
    let principal = t.transforme(principal);
    let definitions: Vec<(String, Vec<Event>)> = definitions.into_iter().map(|(l, evs)| (l, t.transforme(evs))).collect();

    let mut out = String::new();
    html::push_html(&mut out, principal.into_iter());
    if !definitions.is_empty() {
        // Numbered in the order of their first call; uncalled ones after.
        let mut ordre = notes.ordre.clone();
        for (l, _) in &definitions {
            if !ordre.contains(l) {
                ordre.push(l.clone());
            }
        }
        out.push_str("<section class=\"notes\" aria-label=\"Notes\">\n<ol>\n");
        for label in &ordre {
            let Some((_, evs)) = definitions.iter().find(|(l, _)| l == label) else {
                continue;
            };
            let n = ordre.iter().position(|l| l == label).map_or(0, |p| p + 1);
            out.push_str(&format!("<li id=\"{}\">", notes.id_note(label, ids)));
            html::push_html(&mut out, evs.clone().into_iter());
            if let Some(appel) = notes.premiers_appels.get(label) {
                out.push_str(&format!(
                    "<p class=\"retour-note\"><a href=\"#{appel}\">Retour au texte<span class=\"sr-only\"> (appel de la note {n})</span></a></p>"
                ));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ol>\n</section>\n");
    }
    out
}

/// The footnotes of a block. Their ids come from the page's [`Ids`], so
/// two labels with the same slug (`[^e]` and `[^é]`, `[^!]` and `[^?]`) get
/// distinct ids (`note-1-e`, `note-1-e-2`), in the order the text first
/// uses them, and no note id can take a heading's anchor.
struct Notes {
    bloc: usize,
    /// Labels in the order of their first call.
    ordre: Vec<String>,
    /// Id of each note's list item, by label.
    ids_notes: BTreeMap<String, String>,
    /// Id of the first call of each label (target of the back-link).
    premiers_appels: BTreeMap<String, String>,
    definies: Vec<String>,
}

impl Notes {
    /// `<prefix>-<block>-<slug of label>` (without the slug when the label
    /// has no letter or digit), made unique in the page.
    fn id(&self, prefixe: &str, label: &str, ids: &mut Ids) -> String {
        let slug = super::slug(label);
        let base = if slug.is_empty() {
            format!("{prefixe}-{}", self.bloc + 1)
        } else {
            format!("{prefixe}-{}-{slug}", self.bloc + 1)
        };
        ids.unique(&base)
    }

    fn id_note(&mut self, label: &str, ids: &mut Ids) -> String {
        if let Some(id) = self.ids_notes.get(label) {
            return id.clone();
        }
        let id = self.id("note", label, ids);
        self.ids_notes.insert(label.to_string(), id.clone());
        id
    }

    fn appel(&mut self, label: &str, ids: &mut Ids) -> String {
        if !self.ordre.iter().any(|l| l == label) {
            self.ordre.push(label.to_string());
        }
        let numero = self.ordre.iter().position(|l| l == label).map_or(0, |p| p + 1);
        if self.definies.iter().any(|l| l == label) {
            let id_appel = self.id("appel", label, ids);
            self.premiers_appels.entry(label.to_string()).or_insert_with(|| id_appel.clone());
            format!(
                "<sup class=\"appel-note\"><a id=\"{id_appel}\" href=\"#{}\"><span class=\"sr-only\">Note </span>{numero}</a></sup>",
                self.id_note(label, ids)
            )
        } else {
            format!("<sup class=\"appel-note\">{numero}</sup>")
        }
    }
}

struct Transforme<'a, 'b> {
    ctx: &'a Contexte<'a>,
    ids: &'b mut Ids,
    niveau: &'b mut u8,
    min_niveau: u8,
    notes: &'b mut Notes,
    diags: &'b mut Vec<Diagnostic>,
}

impl Transforme<'_, '_> {
    fn transforme<'e>(&mut self, evs: Vec<Event<'e>>) -> Vec<Event<'e>> {
        let mut out: Vec<Event<'e>> = Vec::with_capacity(evs.len());
        // Heading levels opened, to close them with the same level.
        let mut titres: Vec<u8> = Vec::new();
        let mut alignements: Vec<Alignment> = Vec::new();
        let mut en_tete = false;
        let mut colonne = 0usize;
        let mut i = 0;
        while i < evs.len() {
            let e = evs[i].clone();
            i += 1;
            match e {
                Event::Start(Tag::Heading { level, id, .. }) => {
                    let texte: String = evs[i..]
                        .iter()
                        .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                        .filter_map(|e| match e {
                            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
                            _ => None,
                        })
                        .collect();
                    let voulu = (level as u8).saturating_sub(self.min_niveau).saturating_add(2).clamp(2, 6);
                    let n = voulu.min(self.niveau.saturating_add(1)).max(2);
                    *self.niveau = n;
                    titres.push(n);
                    let base = match &id {
                        Some(id) if !super::slug(id).is_empty() => super::slug(id),
                        _ => super::slug(&texte),
                    };
                    let ancre = self.ids.unique(&base);
                    out.push(Event::Html(CowStr::from(format!("<h{n} id=\"{ancre}\">"))));
                }
                Event::End(TagEnd::Heading(_)) => {
                    let n = titres.pop().unwrap_or(2);
                    out.push(Event::Html(CowStr::from(format!("</h{n}>\n"))));
                }
                Event::Start(Tag::Table(a)) => {
                    alignements = a;
                    out.push(Event::Html("<div class=\"tableau-defilant\">\n<table>\n".into()));
                }
                Event::End(TagEnd::Table) => out.push(Event::Html("</tbody>\n</table>\n</div>\n".into())),
                Event::Start(Tag::TableHead) => {
                    en_tete = true;
                    colonne = 0;
                    out.push(Event::Html("<thead>\n<tr>".into()));
                }
                Event::End(TagEnd::TableHead) => {
                    en_tete = false;
                    out.push(Event::Html("</tr>\n</thead>\n<tbody>\n".into()));
                }
                Event::Start(Tag::TableRow) => {
                    colonne = 0;
                    out.push(Event::Html("<tr>".into()));
                }
                Event::End(TagEnd::TableRow) => out.push(Event::Html("</tr>\n".into())),
                Event::Start(Tag::TableCell) => {
                    let classe = match alignements.get(colonne) {
                        Some(Alignment::Right) => " class=\"num\"",
                        Some(Alignment::Center) => " class=\"centre\"",
                        _ => "",
                    };
                    let balise = if en_tete {
                        format!("<th scope=\"col\"{classe}>")
                    } else {
                        format!("<td{classe}>")
                    };
                    out.push(Event::Html(balise.into()));
                }
                Event::End(TagEnd::TableCell) => {
                    colonne += 1;
                    out.push(Event::Html(if en_tete { "</th>" } else { "</td>" }.into()));
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    // `<a@b.fr>`: pulldown-cmark writes `mailto:` before the address.
                    let dest = if link_type == LinkType::Email {
                        dest_url.to_string()
                    } else {
                        self.lien(&dest_url)
                    };
                    out.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }));
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let dest = self.fichier(&dest_url);
                    out.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url: dest.into(),
                        title,
                        id,
                    }));
                }
                Event::FootnoteReference(label) => out.push(Event::Html(self.notes.appel(&label, self.ids).into())),
                Event::Html(h) | Event::InlineHtml(h) if !self.ctx.html_brut => out.push(Event::Text(h)),
                Event::Start(Tag::HtmlBlock) if !self.ctx.html_brut => out.push(Event::Start(Tag::Paragraph)),
                Event::End(TagEnd::HtmlBlock) if !self.ctx.html_brut => out.push(Event::End(TagEnd::Paragraph)),
                e => out.push(e),
            }
        }
        out
    }

    /// Link target: page ids become relative links; external and anchor
    /// links are kept; root-relative files are made relative.
    fn lien(&mut self, dest: &str) -> String {
        if let Some(p) = mutu_model::medias::protocole_refuse(dest) {
            // The checks report it (mutu_model::medias); never written.
            self.diags.push(
                Diagnostic::error(Code::LienInterdit, format!("le lien « {dest} » utilise le protocole « {p}: », refusé"))
                    .at(Some(Loc::file(self.ctx.fichier))),
            );
            return "#".into();
        }
        if dest.is_empty() || dest.starts_with('#') || dest.starts_with("//") || a_un_schema(dest) {
            return dest.to_string();
        }
        let (chemin, suite) = match dest.find(['#', '?']) {
            Some(p) => (&dest[..p], &dest[p..]),
            None => (dest, ""),
        };
        let racine = chemin.starts_with('/');
        let chemin = chemin.trim_start_matches('/').trim_start_matches("./");
        let id = chemin
            .strip_suffix(".html")
            .or_else(|| chemin.strip_suffix(".md"))
            .unwrap_or(chemin)
            .trim_end_matches('/');
        let id = if id.is_empty() { "index" } else { id };
        if self.ctx.pages.contains(id) {
            return format!("{}{suite}", chemin_relatif(self.ctx.page, id));
        }
        if mutu_model::medias::lien_vers_fichier(dest) {
            // A file of the project, copied under medias/ (mutu_model::medias).
            return format!("{}{suite}", self.media(dest));
        }
        let dernier = chemin.rsplit('/').next().unwrap_or("");
        let est_fichier = dernier.contains('.') && !dernier.ends_with(".html") && !dernier.ends_with(".md");
        if est_fichier && !chemin.starts_with("../") {
            return if racine {
                format!("{}{chemin}{suite}", super::racine(self.ctx.page))
            } else {
                dest.to_string()
            };
        }
        if est_fichier {
            return dest.to_string();
        }
        self.diags.push(
            Diagnostic::error(Code::LienIntrouvable, format!("le lien « {dest} » ne mène à aucune page du site"))
                .at(Some(Loc::file(self.ctx.fichier)))
                .hint("un lien vers une page s'écrit avec l'identifiant de la page, par exemple « services/ads » ; les liens externes commencent par « https:// »"),
        );
        format!("{}{chemin}{suite}", super::racine(self.ctx.page))
    }

    /// Image source: the image's copy under medias/ (mutu_model::medias).
    fn fichier(&mut self, dest: &str) -> String {
        self.media(dest)
    }

    /// Relative address of the copy of the project file `dest` (written in
    /// the text being converted). The checks refuse any path that leaves
    /// the project before a build; were one to come here, no address is
    /// written for it.
    fn media(&mut self, dest: &str) -> String {
        match mutu_model::medias::resoudre(self.ctx.fichier, dest) {
            Ok(rel) => format!("{}{}", super::racine(self.ctx.page), mutu_model::medias::chemin_sortie(&rel)),
            Err(_) => {
                self.diags.push(
                    Diagnostic::error(Code::CheminHorsProjet, format!("le fichier « {dest} » n'est pas un fichier du projet"))
                        .at(Some(Loc::file(self.ctx.fichier)))
                        .hint("écrivez le chemin du fichier depuis le texte, par exemple images/plan.png"),
                );
                String::new()
            }
        }
    }
}

/// `https:`, `mailto:`, `tel:`… (a scheme before any `/`).
fn a_un_schema(dest: &str) -> bool {
    match dest.find(':') {
        Some(p) => {
            let s = &dest[..p];
            !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.') && !s.contains('/')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rend(src: &str, brut: bool) -> (String, Vec<Diagnostic>) {
        let pages: BTreeSet<String> = ["index", "services/ads", "schema"].iter().map(|s| s.to_string()).collect();
        let ctx = Contexte {
            page: "services/ads",
            pages: &pages,
            html_brut: brut,
            bloc: 0,
            fichier: "content/ads.md",
        };
        let mut ids = Ids::default();
        let mut niveau = 1;
        let mut diags = Vec::new();
        let html = convertit(src, &ctx, &mut ids, &mut niveau, &mut diags);
        (html, diags)
    }

    #[test]
    fn headings_shift_and_never_skip() {
        let (h, _) = rend("# Présentation générale\n\n### Détail\n\n# Présentation générale\n", false);
        assert_eq!(
            h,
            "<h2 id=\"presentation-generale\">Présentation générale</h2>\n<h3 id=\"detail\">Détail</h3>\n<h2 id=\"presentation-generale-2\">Présentation générale</h2>\n"
        );
    }

    #[test]
    fn raw_html_escaped_unless_allowed() {
        let (h, _) = rend("<script>alert(1)</script>\n\nTexte <b>gras</b>.\n", false);
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{h}");
        assert!(h.contains("Texte &lt;b&gt;gras&lt;/b&gt;."), "{h}");
        assert!(!h.contains("<script"));
        let (h, _) = rend("Texte <b>gras</b>.\n", true);
        assert!(h.contains("<b>gras</b>"));
    }

    #[test]
    fn links_rewritten() {
        let (h, d) = rend(
            "[a](schema) [b](/services/ads#x) [c](https://www.legifrance.gouv.fr/) [d](/donnees/t.csv) [e](inconnue)\n",
            false,
        );
        assert!(h.contains("href=\"../schema.html\""), "{h}");
        assert!(h.contains("href=\"../services/ads.html#x\""));
        assert!(h.contains("href=\"https://www.legifrance.gouv.fr/\""));
        assert!(h.contains("href=\"../donnees/t.csv\""));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::LienIntrouvable);
    }

    #[test]
    fn email_autolinks_are_mail_links() {
        let (h, d) = rend("Écrivez à <contact@mon-epci.fr> ou <mailto:accueil@mon-epci.fr>.\n", false);
        assert_eq!(
            h,
            "<p>Écrivez à <a href=\"mailto:contact@mon-epci.fr\">contact@mon-epci.fr</a> ou <a href=\"mailto:accueil@mon-epci.fr\">mailto:accueil@mon-epci.fr</a>.</p>\n"
        );
        assert!(d.is_empty(), "{d:?}");
    }

    /// `[^e]` and `[^é]` (or `[^!]` and `[^?]`) have the same slug: their
    /// ids used to be the same, so both calls and both back-links went to
    /// the first note.
    #[test]
    fn footnotes_with_the_same_slug_get_distinct_ids() {
        let (h, _) = rend(
            "Un[^e], deux[^é], trois[^!], quatre[^?], cinq[^e].\n\n[^e]: E.\n[^é]: É.\n[^!]: Point.\n[^?]: Question.\n",
            false,
        );
        let appel = |id: &str, note: &str, n: usize| format!("<a id=\"{id}\" href=\"#{note}\"><span class=\"sr-only\">Note </span>{n}</a>");
        for (id, note, n) in [
            ("appel-1-e", "note-1-e", 1),
            ("appel-1-e-2", "note-1-e-2", 2),
            ("appel-1", "note-1", 3),
            ("appel-1-2", "note-1-2", 4),
            ("appel-1-e-3", "note-1-e", 1),
        ] {
            assert!(h.contains(&appel(id, note, n)), "{id} : {h}");
        }
        for (note, texte, retour) in [
            ("note-1-e", "E.", "appel-1-e"),
            ("note-1-e-2", "É.", "appel-1-e-2"),
            ("note-1", "Point.", "appel-1"),
            ("note-1-2", "Question.", "appel-1-2"),
        ] {
            assert!(
                h.contains(&format!("<li id=\"{note}\"><p>{texte}</p>\n<p class=\"retour-note\"><a href=\"#{retour}\">")),
                "{note} : {h}"
            );
        }
        // Every id of the block is unique.
        let ids: Vec<&str> = h.split(" id=\"").skip(1).map(|r| &r[..r.find('"').unwrap()]).collect();
        let uniques: BTreeSet<&str> = ids.iter().copied().collect();
        assert_eq!(ids.len(), uniques.len(), "{ids:?}");
    }

    #[test]
    fn footnotes_and_tables() {
        let (h, _) = rend(
            "Texte[^n].\n\n[^n]: La note.\n\n| Commune | Montant |\n|---|---:|\n| Daoulas | 1 234 € |\n",
            false,
        );
        assert!(
            h.contains("<sup class=\"appel-note\"><a id=\"appel-1-n\" href=\"#note-1-n\"><span class=\"sr-only\">Note </span>1</a></sup>"),
            "{h}"
        );
        assert!(
            h.contains("<li id=\"note-1-n\"><p>La note.</p>\n<p class=\"retour-note\"><a href=\"#appel-1-n\">"),
            "{h}"
        );
        assert!(h.contains("<th scope=\"col\">Commune</th><th scope=\"col\" class=\"num\">Montant</th>"), "{h}");
        assert!(h.contains("<td class=\"num\">1 234 €</td>"));
    }
}
