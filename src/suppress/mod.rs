//! Suppression: findings the user said are fine, or already knew about.
//!
//! The allow-list from the config (`allow = [...]`: our hospital's name, its public phone
//! number, our own clinicians) drops any finding that lies inside an occurrence of an allowed
//! term. Matching is case-insensitive and on word boundaries, so allowing "Cedar Fenwold" does
//! not allow "Cedar Fenwoldson". [`inline`] handles `phiscan:allow` comments the same way, before
//! breach linking. [`baseline`] and `--diff` instead keep only what is *new* (see [`keep_new`]),
//! after linking, because a new value can turn an old one into a breach.

pub mod baseline;
pub mod inline;

use crate::engine::on_word_boundaries;
use crate::finding::{Breach, Finding, Verdict};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

/// Something the user should fix that does not change the verdict: a stale suppression.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Warning {
    /// The input's display path.
    pub path: String,
    /// The 1-based line it is about.
    pub line: usize,
    /// What is wrong and what to do (never a scanned value).
    pub message: String,
}

/// Keeps the findings marked new, and every breach with at least one new finding together with
/// all of that breach's findings (an old diagnosis linked to a newly added name is a new breach);
/// returns how many findings were dropped. Breach indices are renumbered.
pub fn keep_new(findings: &mut Vec<Finding>, breaches: &mut Vec<Breach>, new: &[bool]) -> usize {
    let mut keep = new.to_vec();
    breaches.retain(|b| b.findings.iter().any(|&i| new[i]));
    for b in breaches.iter() {
        for &i in &b.findings {
            keep[i] = true;
        }
    }
    let mut renumber = vec![usize::MAX; findings.len()];
    let mut n = 0;
    for (i, k) in keep.iter().enumerate() {
        if *k {
            renumber[i] = n;
            n += 1;
        }
    }
    for b in breaches.iter_mut() {
        for i in b.findings.iter_mut() {
            *i = renumber[*i];
        }
    }
    let before = findings.len();
    let mut i = 0;
    findings.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    before - findings.len()
}

/// Returns what a file amounts to, given its findings and breaches.
pub fn verdict(findings: &[Finding], breaches: &[Breach]) -> Verdict {
    if !breaches.is_empty() {
        Verdict::Breach
    } else if findings.is_empty() {
        Verdict::Clean
    } else {
        Verdict::Risky
    }
}

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
        let allow = Allow::new(&["cedar fenwold".to_string()]);
        let text = b"At Cedar Fenwold today; Cedar Fenwoldson tomorrow.";
        let ranges = allow.covered(text);
        assert_eq!(ranges, vec![(3, 16)]);
        assert!(inside(&ranges, 3, 8));
        assert!(!inside(&ranges, 24, 29));
    }
}
