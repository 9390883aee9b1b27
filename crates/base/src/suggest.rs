//! "Vouliez-vous dire … ?" suggestions for misspelt keys and identifiers.

/// Returns a French hint naming the closest candidate, if one is close enough.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(word, candidates).map(|c| format!("vouliez-vous dire « {c} » ?"))
}

/// The closest candidate by edit distance, within a bound that grows with
/// the word's length; ties go to the first candidate in alphabetical order.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    let limit = (w.chars().count() / 3).max(1) + 1;
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = strsim::damerau_levenshtein(&w, &c.to_lowercase());
        let better = match best {
            None => true,
            Some((bd, bc)) => d < bd || (d == bd && c < bc),
        };
        if d <= limit && d < w.chars().count().max(c.chars().count()) && better {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("nmo", ["nom", "insee", "id"]), Some("nom"));
        assert_eq!(closest("landernau", ["landerneau", "loperhet"]), Some("landerneau"));
        assert_eq!(closest("zzzzzz", ["nom", "insee"]), None);
    }
}
