//! Context words: does any of a rule's context words occur on word boundaries near a match?
//!
//! Asked once per candidate, twice (before and after), for every rule's list: on dense exports
//! (a finding every few bytes) searching each word in turn was a tenth of the scan. One
//! Aho-Corasick automaton per list answers in a single pass over the window. Built on first
//! use, so rules that never match cost nothing at start-up.

use super::is_word_byte;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

/// A rule's lower-case context words, matched ASCII case-insensitively on word boundaries.
#[derive(Debug, Default)]
pub struct WordSet {
    words: Vec<String>,
    automaton: OnceLock<Option<AhoCorasick>>,
}

impl WordSet {
    /// A set of lower-case words (multi-word phrases allowed).
    pub fn new(words: &[String]) -> WordSet {
        WordSet { words: words.iter().filter(|w| !w.is_empty()).cloned().collect(), automaton: OnceLock::new() }
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether any word occurs in `window` on word boundaries. A word that starts or ends with
    /// punctuation (`#`, `:`) needs no boundary on that side.
    pub fn occurs_in(&self, window: &[u8]) -> bool {
        if self.words.is_empty() || window.is_empty() {
            return false;
        }
        let ac = self.automaton.get_or_init(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .build(&self.words)
                .ok()
        });
        let Some(ac) = ac else {
            // Building cannot fail for a few short words; if it ever did, fall back to a scan.
            return self.words.iter().any(|w| contains_word(window, w.as_bytes()));
        };
        // Overlapping matches: a match that fails its boundary check must not hide another.
        ac.find_overlapping_iter(window).any(|m| {
            let w = self.words[m.pattern().as_usize()].as_bytes();
            bounded(window, m.start(), m.end(), w)
        })
    }
}

/// Whether `window[s..e]`, a match of `w`, sits on word boundaries where `w` has word bytes.
fn bounded(window: &[u8], s: usize, e: usize, w: &[u8]) -> bool {
    (s == 0 || !is_word_byte(window[s - 1]) || !is_word_byte(w[0]))
        && (e == window.len() || !is_word_byte(window[e]) || !is_word_byte(w[w.len() - 1]))
}

/// Whether the lower-case `word` occurs on word boundaries in `window` (compared ASCII
/// case-insensitively): the reference the automaton is tested against.
pub fn contains_word(window: &[u8], w: &[u8]) -> bool {
    if w.is_empty() || w.len() > window.len() {
        return false;
    }
    (0..=window.len() - w.len())
        .any(|s| window[s..s + w.len()].eq_ignore_ascii_case(w) && bounded(window, s, s + w.len(), w))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn set(words: &[&str]) -> WordSet {
        WordSet::new(&words.iter().map(|w| w.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn words_match_on_boundaries_only() {
        let s = set(&["dob", "date of birth", "mrn#"]);
        assert!(s.occurs_in(b"Patient DOB: "));
        assert!(s.occurs_in(b"her Date of Birth is"));
        assert!(!s.occurs_in(b"adobe"));
        assert!(s.occurs_in(b"MRN#1234"));
        assert!(!s.occurs_in(b""));
        assert!(!set(&[]).occurs_in(b"dob"));
        // "dobs" fails the boundary; the later "dob" must still be found.
        assert!(s.occurs_in(b"dobs and dob"));
    }

    proptest! {
        /// The automaton agrees with the one-word-at-a-time reference.
        #[test]
        fn automaton_agrees_with_the_reference(window in "[a-dA-D #:]{0,30}", words in proptest::collection::vec("[a-d]{1,3}( [a-d]{1,2})?#?", 1..5)) {
            let s = WordSet::new(&words);
            let reference = words.iter().any(|w| contains_word(window.as_bytes(), w.as_bytes()));
            prop_assert_eq!(s.occurs_in(window.as_bytes()), reference);
        }
    }
}
