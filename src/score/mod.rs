//! Scoring: from validated candidates to findings with a confidence and a severity.
//!
//! Three steps, in order. Context: words near a match raise its confidence (Presidio adds 0.35
//! for a context word within five words; a rule's `context_boost` says how much here) or lower it
//! (`negative_context`). Overlaps: where two candidates cover the same bytes, the more confident
//! one stands. Linking: an identifier and a health fact in the same unit of text (see
//! [`link`]) make a breach, which raises both to `high`.

pub mod field;
pub mod link;
pub mod window;

use crate::engine::{Candidate, Engine};
use crate::finding::{Category, Severity};

/// Bytes of text before a match searched for context words.
pub const WINDOW_BEFORE: usize = 64;
/// Bytes of text after a match searched for context words.
pub const WINDOW_AFTER: usize = 40;

/// A candidate after context: its final confidence and severity.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// The engine's candidate.
    pub candidate: Candidate,
    /// Confidence after context.
    pub confidence: f32,
    /// Severity after context (breach linking may raise it later).
    pub severity: Severity,
}

/// Returns the context window around `start..end`: at most [`WINDOW_BEFORE`] bytes before and
/// [`WINDOW_AFTER`] after, clipped to the match's own field so that in a `Label: value` form a
/// neighbouring line's label is never read as this value's context (see [`window`]).
pub fn window(text: &[u8], start: usize, end: usize) -> (&[u8], &[u8]) {
    window::clipped(text, start, end, WINDOW_BEFORE, WINDOW_AFTER)
}

/// Applies context to each candidate and keeps those at or above `min_confidence`, resolving
/// overlaps in favour of the more confident (then longer, then earlier-listed rule) candidate.
pub fn score(engine: &Engine, text: &[u8], candidates: Vec<Candidate>, min_confidence: f32) -> Vec<Scored> {
    let rules = engine.rules();
    let scored: Vec<Scored> = candidates
        .into_iter()
        .map(|c| {
            let rule = &rules[c.rule];
            let (before, after) = window::clipped(text, c.start, c.end, rule.context_window.0, rule.context_window.1);
            let (positive, negative) = engine.context_words(c.rule);
            let near = |w: &crate::engine::context::WordSet| w.occurs_in(before) || w.occurs_in(after);
            let mut confidence = c.confidence;
            let mut severity = rule.severity;
            if near(positive) {
                confidence += rule.context_boost;
                if let Some(s) = rule.context_severity {
                    severity = s;
                }
            }
            if near(negative) {
                confidence -= rule.context_penalty;
            }
            Scored { candidate: c, confidence: confidence.clamp(0.0, 1.0), severity }
        })
        .filter(|s| s.confidence >= min_confidence)
        .collect();
    // An IP address that is a URL's host identifies a device of its own: report the URL and
    // the address. Everything else that overlaps is settled by `resolve_overlaps`.
    let category = |s: &Scored| rules[s.candidate.rule].category;
    let urls: Vec<(usize, usize)> =
        scored.iter().filter(|s| category(s) == Category::Url).map(|s| (s.candidate.start, s.candidate.end)).collect();
    let in_url = |s: &Scored| urls.iter().any(|&(a, b)| a <= s.candidate.start && s.candidate.end <= b);
    let (mut hosts, mut rest): (Vec<Scored>, Vec<Scored>) =
        scored.into_iter().partition(|s| category(s) == Category::Ip && in_url(s));
    let of_rule = |r: usize| rules[r].category;
    resolve_overlaps(&mut rest, &of_rule);
    if !hosts.is_empty() {
        resolve_overlaps(&mut hosts, &of_rule);
        let kept: Vec<(usize, usize)> = rest
            .iter()
            .filter(|s| category(s) == Category::Url)
            .map(|s| (s.candidate.start, s.candidate.end))
            .collect();
        rest.extend(
            hosts.into_iter().filter(|h| kept.iter().any(|&(a, b)| a <= h.candidate.start && h.candidate.end <= b)),
        );
        rest.sort_by_key(|s| (s.candidate.start, s.candidate.rule));
    }
    rest
}

/// Keeps, among overlapping candidates, the most confident, except that a candidate that
/// contains another stands for both when it is confident (an address around a street named
/// after a person) or of the same category (a whole phone number around a fragment that a
/// vaguer rule matched with more context); the result is sorted by start.
fn resolve_overlaps(scored: &mut Vec<Scored>, category: &dyn Fn(usize) -> Category) {
    const CONTAINER: f32 = 0.6;
    scored.sort_by_key(|s| (s.candidate.start, std::cmp::Reverse(s.candidate.end)));
    let mut dominated = vec![false; scored.len()];
    for i in 0..scored.len() {
        let outer = scored[i].candidate;
        if dominated[i] {
            continue;
        }
        let confident = scored[i].confidence >= CONTAINER;
        for j in i + 1..scored.len() {
            let inner = scored[j].candidate;
            if inner.start >= outer.end {
                break;
            }
            if inner.end <= outer.end
                && (inner.end - inner.start) < (outer.end - outer.start)
                && (confident || category(outer.rule) == category(inner.rule))
            {
                dominated[j] = true;
            }
        }
    }
    let mut k = 0;
    scored.retain(|_| {
        k += 1;
        !dominated[k - 1]
    });
    let mut order: Vec<usize> = (0..scored.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&scored[a], &scored[b]);
        y.confidence
            .total_cmp(&x.confidence)
            .then((y.candidate.end - y.candidate.start).cmp(&(x.candidate.end - x.candidate.start)))
            .then(x.candidate.rule.cmp(&y.candidate.rule))
            .then(x.candidate.start.cmp(&y.candidate.start))
    });
    // Kept spans by start; a tree, not a sorted Vec, so a dense export with 100k candidates
    // does not pay a memmove per insert.
    let mut kept: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
    let mut keep = vec![false; scored.len()];
    for i in order {
        let c = scored[i].candidate;
        let clash_prev = kept.range(..c.start).next_back().is_some_and(|(_, &e)| e > c.start);
        let clash_next = kept.range(c.start..).next().is_some_and(|(&s, _)| s < c.end);
        if !clash_prev && !clash_next {
            kept.insert(c.start, c.end);
            keep[i] = true;
        }
    }
    let mut i = 0;
    scored.retain(|_| {
        i += 1;
        keep[i - 1]
    });
    scored.sort_by_key(|s| (s.candidate.start, s.candidate.rule));
}
