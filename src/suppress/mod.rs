//! Suppression: findings the user said are fine.
//!
//! The allow-list from the config (`allow = [...]`: our hospital's name, its public phone
//! number, our own clinicians) drops any finding that lies inside an occurrence of an allowed
//! term. Matching is case-insensitive and on word boundaries, so allowing "Maple Hollow" does
//! not allow "Maple Hollowell".

use crate::engine::on_word_boundaries;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// A compiled allow-list.
pub struct Allow {
    terms: Option<AhoCorasick>,
}

impl Allow {
    /// Compiles the allowed terms.
    pub fn new(terms: &[String]) -> Allow {
        let terms: Vec<&String> = terms.iter().filter(|t| !t.trim().is_empty()).collect();
        let ac = if terms.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::LeftmostLongest)
                .build(terms)
                .ok()
        };
        Allow { terms: ac }
    }

    /// Returns the byte ranges of `text` covered by allowed terms, sorted.
    pub fn covered(&self, text: &[u8]) -> Vec<(usize, usize)> {
        let Some(ac) = &self.terms else {
            return Vec::new();
        };
        ac.find_iter(text)
            .filter(|m| on_word_boundaries(text, m.start(), m.end()))
            .map(|m| (m.start(), m.end()))
            .collect()
    }
}

/// Whether `start..end` lies inside one of the sorted `ranges`.
pub fn inside(ranges: &[(usize, usize)], start: usize, end: usize) -> bool {
    let i = ranges.partition_point(|&(s, _)| s <= start);
    i > 0 && ranges[i - 1].1 >= end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allowed_terms_cover_whole_words_only() {
        let allow = Allow::new(&["maple hollow".to_string()]);
        let text = b"At Maple Hollow today; Maple Hollowell tomorrow.";
        let ranges = allow.covered(text);
        assert_eq!(ranges, vec![(3, 15)]);
        assert!(inside(&ranges, 3, 8));
        assert!(!inside(&ranges, 23, 28));
    }
}
