//! Text folding shared by everything that compares French words written by
//! people: lower case, accents removed, ligatures expanded (« Œuvre
//! Éducative » → « oeuvre educative »). The site's anchors
//! ([`slug`]) and the site search
//! (`mutu_site::recherche`) use it, so an anchor, an index term
//! and a typed query fold the same way; the register's name matching
//! (`check::cog`) folds its letters through it too.
//!
//! The search's JavaScript (`themes/default/static/recherche.js`) folds a
//! query with Unicode decomposition (NFD, then combining marks dropped),
//! which gives the same result for every letter listed here.
//!
//! It is also the one place of French typography for everything mutu
//! writes — site, PDF and terminal messages alike: agreement by count
//! ([`pluriel`], [`accord`]), the ordinal « 1ᵉʳ » ([`jour`]), non-breaking
//! spaces before « : ; ! ? » and inside « » ([`insecables`]), the article
//! before a body's name with elision and contraction ([`Article`]), and
//! one capitalisation rule ([`majuscule`], [`minuscule`]): a label that
//! opens a sentence, a table cell or a heading takes a capital (« À
//! définir »); the same word inside a sentence, after a colon included,
//! does not (« Recrutements : à définir »).

use crate::format::{GROUP, UNIT_SPACE};

/// Appends the folded form of `c` to `out`: lower case, Latin accents
/// removed, `œ`/`æ`/`ß` expanded, combining marks dropped; any other
/// character is appended lower-cased.
pub fn replie_car(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    let s = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' | 'Ă' | 'Ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => "c",
        'ď' | 'Ď' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' | 'Į' => "i",
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ō' | 'ő' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ō' | 'Ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' | 'Ř' => "r",
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'Ť' | 'Ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => "z",
        // Combining diacritics (text typed in decomposed form).
        '\u{300}'..='\u{36f}' => "",
        c => {
            out.extend(c.to_lowercase());
            return;
        }
    };
    out.push_str(s);
}

/// `s` folded: « Saint-Éloy » → « saint-eloy », « L'Hôpital-Camfrout » →
/// « l'hopital-camfrout ». Punctuation is kept: cutting into words is the
/// caller's business.
pub fn replie(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        replie_car(c, &mut out);
    }
    out
}

/// `n` and the noun agreeing with it: « 0 erreur », « 1 service
/// mutualisé », « 2 services mutualisés », « 1 234 communes » (French
/// singular for 0 and 1; the count grouped like every figure).
pub fn pluriel(n: usize, un: &str, plusieurs: &str) -> String {
    format!("{} {}", crate::format::entier(n as i64), accord(n, un, plusieurs))
}

/// The form agreeing with `n` alone, for a label shown beside a figure
/// set apart (« 1 » over « service mutualisé »).
pub fn accord<'a>(n: usize, un: &'a str, plusieurs: &'a str) -> &'a str {
    if n <= 1 {
        un
    } else {
        plusieurs
    }
}

/// A decimal quantity and its noun: plural from 2 on (« 1,5 jour », « 2
/// jours », « 0 jour »), the figure formatted like every quantity.
pub fn pluriel_decimal(x: &rust_decimal::Decimal, un: &str, plusieurs: &str) -> String {
    let nom = if x.abs() >= rust_decimal::Decimal::TWO { plusieurs } else { un };
    format!("{} {nom}", crate::format::Grandeur::Quantite.texte(x))
}

/// The plural of a unit's name: its first word takes the mark (« jour » →
/// « jours », « bulletin de paie » → « bulletins de paie »); a word ending
/// in s, x or z, and « -al » → « -aux », as French writes them.
pub fn pluriel_nom(nom: &str) -> String {
    let (premier, reste) = match nom.find(' ') {
        Some(k) => nom.split_at(k),
        None => (nom, ""),
    };
    let premier = if premier.ends_with(['s', 'x', 'z']) {
        premier.to_string()
    } else if let Some(r) = premier.strip_suffix("al") {
        format!("{r}aux")
    } else if premier.ends_with("eau") || premier.ends_with("eu") {
        format!("{premier}x")
    } else {
        format!("{premier}s")
    };
    format!("{premier}{reste}")
}

/// `s` with French spacing made unbreakable: the space before « ; ! ? »
/// becomes a narrow no-break space, the one before « : » a no-break space,
/// and the spaces inside « » no-break ones, so that no line starts with
/// « : Bayonne » or ends with « « ». Only spaces already there change: a
/// colon glued to its word (an address, a time) stays as it is.
pub fn insecables(s: &str) -> String {
    if !s.contains([' ', '\u{ab}', '\u{bb}']) {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' {
            let next = chars.get(i + 1).copied();
            let prev = i.checked_sub(1).map(|k| chars[k]);
            match (prev, next) {
                (_, Some(':')) | (_, Some('\u{bb}')) | (Some('\u{ab}'), _) => out.push(UNIT_SPACE),
                (_, Some(';' | '!' | '?')) => out.push(GROUP),
                _ => out.push(' '),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `s` with its first letter in capital: a label opening a sentence or a
/// cell (« À définir »).
pub fn majuscule(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// `s` with its first letter in lower case: the same label inside a
/// sentence (« à définir »), or a rule after a colon.
pub fn minuscule(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

/// The definite article a body's name takes, from the noun its full name
/// opens with: « la Communauté d'agglomération… » and so « la CAPB »; « le
/// Syndicat… », « le SIVU »; elided before a vowel or an h (« l'Agglo »).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Article {
    feminin: bool,
}

impl Article {
    /// The gender of the full name `nom` (« Communauté de communes du
    /// Haut-Béarn » is feminine, « Syndicat intercommunal… » masculine).
    pub fn de_nom(nom: &str) -> Article {
        let premier = replie(nom.split([' ', '\'', '\u{2019}', '-']).next().unwrap_or(""));
        let feminin = matches!(
            premier.as_str(),
            "communaute" | "metropole" | "agglomeration" | "agglo" | "agence" | "regie" | "eurometropole" | "ville" | "commune" | "collectivite"
        );
        Article { feminin }
    }

    fn elide(forme: &str) -> bool {
        forme
            .chars()
            .next()
            .is_some_and(|c| matches!(replie(&c.to_string()).as_str(), "a" | "e" | "i" | "o" | "u" | "y" | "h"))
    }

    /// « la CAPB », « l'Agglomération… », « le SIVU ».
    pub fn le(self, forme: &str) -> String {
        if Self::elide(forme) {
            format!("l'{forme}")
        } else if self.feminin {
            format!("la {forme}")
        } else {
            format!("le {forme}")
        }
    }

    /// « de la CAPB », « de l'Agglomération… », « du SIVU ».
    pub fn de(self, forme: &str) -> String {
        if Self::elide(forme) {
            format!("de l'{forme}")
        } else if self.feminin {
            format!("de la {forme}")
        } else {
            format!("du {forme}")
        }
    }

    /// « par la CAPB », « par le SIVU ».
    pub fn par(self, forme: &str) -> String {
        format!("par {}", self.le(forme))
    }
}

/// The one slug of mutu — page ids and addresses, anchors, chart ids,
/// CSV file names: lower-case ASCII letters and digits separated by single
/// hyphens, folded by [`replie`] ("Coût réparti" → "cout-reparti",
/// « L'Haÿ-les-Roses » → "l-hay-les-roses").
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    let mut tiret = false;
    for c in replie(s).chars() {
        if c.is_ascii_alphanumeric() {
            if tiret && !out.is_empty() {
                out.push('-');
            }
            out.push(c);
            tiret = false;
        } else {
            tiret = true;
        }
    }
    out
}

/// HTML escaping used by the templates: `& < > " '` (Tera's default also
/// escapes `/`, which makes hrefs unreadable).
pub fn echappe_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    // Runs without a special character are copied whole (every text of
    // every page goes through here).
    let mut debut = 0;
    for (i, b) in s.bytes().enumerate() {
        let entite = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[debut..i]);
        out.push_str(entite);
        debut = i + 1;
    }
    out.push_str(&s[debut..]);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_slug_for_every_name() {
        assert_eq!(slug("L'Haÿ-les-Roses"), "l-hay-les-roses");
        assert_eq!(slug("Coût réparti"), "cout-reparti");
        assert_eq!(slug("  Œuvre   éducative — 2024 "), "oeuvre-educative-2024");
        assert_eq!(slug("Saint-Éloy-les-Mines"), "saint-eloy-les-mines");
        assert_eq!(slug("«»"), "");
    }

    use super::*;

    #[test]
    fn folds_case_accents_and_ligatures() {
        assert_eq!(replie("École de musique"), "ecole de musique");
        assert_eq!(replie("ŒUVRE Éducative à Pencran"), "oeuvre educative a pencran");
        assert_eq!(replie("L'Hôpital-Camfrout"), "l'hopital-camfrout");
        assert_eq!(replie("Saint-Éloy"), "saint-eloy");
        // Decomposed « é » (e + U+0301) folds like the composed one.
        assert_eq!(replie("e\u{301}quipement"), "equipement");
        assert_eq!(replie("GARÇON ÆSOPE Straße"), "garcon aesope strasse");
    }

    #[test]
    fn plurals_agree_with_the_count() {
        assert_eq!(pluriel(0, "erreur", "erreurs"), "0 erreur");
        assert_eq!(pluriel(1, "service mutualisé", "services mutualisés"), "1 service mutualisé");
        assert_eq!(pluriel(2, "fiche-action", "fiches-actions"), "2 fiches-actions");
        assert_eq!(pluriel(1234, "commune", "communes"), "1\u{202f}234 communes");
        assert_eq!(accord(1, "service mutualisé", "services mutualisés"), "service mutualisé");
        assert_eq!(accord(5, "service mutualisé", "services mutualisés"), "services mutualisés");
    }

    #[test]
    fn units_take_the_plural_on_their_first_word() {
        assert_eq!(pluriel_nom("jour"), "jours");
        assert_eq!(pluriel_nom("bulletin de paie"), "bulletins de paie");
        assert_eq!(pluriel_nom("acte"), "actes");
        assert_eq!(pluriel_nom("repas"), "repas");
        assert_eq!(pluriel_nom("journal"), "journaux");
        let d = |s: &str| s.parse::<rust_decimal::Decimal>().unwrap();
        assert_eq!(pluriel_decimal(&d("6"), "jour", "jours"), "6 jours");
        assert_eq!(pluriel_decimal(&d("1.5"), "jour", "jours"), "1,5 jour");
        assert_eq!(pluriel_decimal(&d("1"), "jour", "jours"), "1 jour");
    }

    #[test]
    fn french_spacing_never_breaks_before_punctuation() {
        assert_eq!(insecables("Pris en charge : Bayonne"), "Pris en charge\u{a0}: Bayonne");
        assert_eq!(insecables("Vraiment ? Oui ; non !"), "Vraiment\u{202f}? Oui\u{202f}; non\u{202f}!");
        assert_eq!(insecables("la clé « ADS » change"), "la clé «\u{a0}ADS\u{a0}» change");
        // Glued colons (addresses, times) are left alone.
        assert_eq!(insecables("https://exemple.fr à 10:30"), "https://exemple.fr à 10:30");
        // Already right: unchanged.
        let bon = "Total\u{a0}: 3";
        assert_eq!(insecables(bon), bon);
    }

    #[test]
    fn one_capitalisation_rule() {
        assert_eq!(majuscule("à définir"), "À définir");
        assert_eq!(minuscule("À définir"), "à définir");
        assert_eq!(majuscule(""), "");
    }

    #[test]
    fn articles_follow_the_full_name_and_elide() {
        let capb = Article::de_nom("Communauté d'agglomération du Pays Basque");
        assert_eq!(capb.le("CAPB"), "la CAPB");
        assert_eq!(capb.par("CAPB"), "par la CAPB");
        assert_eq!(capb.de("CAPB"), "de la CAPB");
        assert_eq!(
            majuscule(&capb.le("Communauté d'agglomération du Pays Basque")),
            "La Communauté d'agglomération du Pays Basque"
        );
        let agglo = Article::de_nom("Agglomération d'Agen");
        assert_eq!(agglo.le("Agglomération d'Agen"), "l'Agglomération d'Agen");
        assert_eq!(agglo.de("Agglomération d'Agen"), "de l'Agglomération d'Agen");
        let sivu = Article::de_nom("Syndicat intercommunal à vocation unique");
        assert_eq!(sivu.le("SIVU"), "le SIVU");
        assert_eq!(sivu.de("SIVU"), "du SIVU");
        let ept = Article::de_nom("Établissement public territorial Grand-Orly");
        assert_eq!(ept.le("EPT"), "l'EPT");
    }
}
