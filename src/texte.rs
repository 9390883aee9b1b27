//! Text folding shared by everything that compares French words written by
//! people: lower case, accents removed, ligatures expanded (« Œuvre
//! Éducative » → « oeuvre educative »). The site's anchors
//! ([`crate::render::site::slug`]) and the site search
//! ([`crate::render::site::recherche`]) use it, so an anchor, an index term
//! and a typed query fold the same way; the register's name matching
//! (`check::cog`) folds its letters through it too.
//!
//! The search's JavaScript (`themes/default/static/recherche.js`) folds a
//! query with Unicode decomposition (NFD, then combining marks dropped),
//! which gives the same result for every letter listed here.

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

#[cfg(test)]
mod tests {
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
}
