//! Scoring: from validated candidates to findings with a confidence and a severity.
//!
//! Three steps, in order. Context: words near a match raise its confidence (Presidio adds 0.35
//! for a context word within five words; a rule's `context_boost` says how much here) or lower it
//! (`negative_context`). Overlaps: where two candidates cover the same bytes, the more confident
//! one stands. Linking: an identifier and a health fact in the same unit of text (see
//! [`link`]) make a breach, which raises both to `high`.

pub mod columns;
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
    /// A possible find: below `min_confidence` but at or above its rule's possible floor
    /// ([`Engine::possible_from`]). Severity `low`; never part of a breach.
    pub possible: bool,
}

/// Which candidates a scan keeps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Floor {
    /// Candidates below this confidence are dropped (or kept as possible finds).
    pub min_confidence: f32,
    /// Whether a rule with a possible floor (the person-name model's) keeps its candidates
    /// from that floor up to `min_confidence` as possible finds. A missed name costs more than
    /// a doubtful one shown as `low`, so this is on unless the user turns it off.
    pub possible: bool,
}

impl Floor {
    /// Keeps candidates at or above `min_confidence`, and possible finds.
    pub fn new(min_confidence: f32) -> Floor {
        Floor { min_confidence, possible: true }
    }
}

/// Returns the context window around `start..end`: at most [`WINDOW_BEFORE`] bytes before and
/// [`WINDOW_AFTER`] after, clipped to the match's own field so that in a `Label: value` form a
/// neighbouring line's label is never read as this value's context (see [`mod@window`]).
pub fn window(text: &[u8], start: usize, end: usize) -> (&[u8], &[u8]) {
    window::clipped(text, start, end, WINDOW_BEFORE, WINDOW_AFTER)
}

/// Applies context to each candidate and keeps those at or above `floor.min_confidence` (and
/// possible finds, see [`Floor`]), resolving overlaps in favour of the more confident (then
/// longer, then earlier-listed rule) candidate.
pub fn score(engine: &Engine, text: &[u8], candidates: Vec<Candidate>, floor: Floor) -> Vec<Scored> {
    let rules = engine.rules();
    let min_confidence = floor.min_confidence;
    let judge = |c: Candidate| {
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
        // Words after the next number describe that number ("6/2 3/4 bottles"), not this one.
        let own_after = &after[..after.iter().position(u8::is_ascii_digit).unwrap_or(after.len())];
        if near(negative) || engine.negative_after_words(c.rule).occurs_in(own_after) {
            confidence -= rule.context_penalty;
        }
        let confidence = confidence.clamp(0.0, 1.0);
        let possible = floor.possible
            && confidence < min_confidence
            && engine.possible_from(c.rule).is_some_and(|from| confidence >= from);
        if possible {
            severity = Severity::Low;
        }
        Scored { candidate: c, confidence, severity, possible }
    };
    let mut pool: Vec<Scored> = candidates.into_iter().map(judge).collect();
    let kept = settle(rules, &pool, min_confidence);
    // A regex candidate that lost (to context or to an overlap) may have hidden a rule that
    // matched at the same start: give those their turn, then settle again.
    let standing: std::collections::HashSet<(usize, usize, usize)> =
        kept.iter().map(|s| (s.candidate.start, s.candidate.end, s.candidate.rule)).collect();
    let mut asked = std::collections::HashSet::new();
    let mut more = Vec::new();
    for s in &pool {
        let c = s.candidate;
        if !standing.contains(&(c.start, c.end, c.rule)) && asked.insert((c.start, c.rule)) {
            more.extend(
                engine
                    .alternatives(text, c.start, c.rule)
                    .into_iter()
                    .map(judge)
                    .filter(|s| s.confidence >= min_confidence || s.possible),
            );
        }
    }
    if more.is_empty() {
        return kept;
    }
    pool.extend(more);
    settle(rules, &pool, min_confidence)
}

/// Keeps the candidates at or above `min_confidence` and the possible finds, and settles their
/// overlaps (a possible find, being less confident, loses to any other).
fn settle(rules: &[crate::rules::Rule], pool: &[Scored], min_confidence: f32) -> Vec<Scored> {
    let scored = pool.iter().filter(|s| s.confidence >= min_confidence || s.possible).cloned();
    // An IP address that is a URL's host identifies a device of its own: report the URL and
    // the address. Everything else that overlaps is settled by `resolve_overlaps`.
    let category = |s: &Scored| rules[s.candidate.rule].category;
    let urls: Vec<(usize, usize)> = pool
        .iter()
        .filter(|s| s.confidence >= min_confidence && category(s) == Category::Url)
        .map(|s| (s.candidate.start, s.candidate.end))
        .collect();
    let in_url = |s: &Scored| urls.iter().any(|&(a, b)| a <= s.candidate.start && s.candidate.end <= b);
    let (mut hosts, mut rest): (Vec<Scored>, Vec<Scored>) =
        scored.partition(|s| category(s) == Category::Ip && in_url(s));
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
/// vaguer rule matched with more context), as long as it is kept itself; the result is sorted
/// by start.
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
    let clashes = |kept: &std::collections::BTreeMap<usize, usize>, c: Candidate| {
        kept.range(..c.start).next_back().is_some_and(|(_, &e)| e > c.start)
            || kept.range(c.start..).next().is_some_and(|(&s, _)| s < c.end)
    };
    for &i in order.iter().filter(|&&i| !dominated[i]) {
        let c = scored[i].candidate;
        if !clashes(&kept, c) {
            kept.insert(c.start, c.end);
            keep[i] = true;
        }
    }
    // A container stands for what it contains only when it stands itself: where it lost to
    // another finding, what it contained competes again on its own.
    for &i in order.iter().filter(|&&i| dominated[i]) {
        let c = scored[i].candidate;
        let contained = kept.range(..=c.start).next_back().is_some_and(|(_, &e)| e >= c.end);
        if !contained && !clashes(&kept, c) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn engine() -> &'static Engine {
        static ENGINE: OnceLock<Engine> = OnceLock::new();
        ENGINE.get_or_init(|| Engine::new(crate::rules::builtin::rules().unwrap()).unwrap())
    }

    /// The (rule id, value) of every finding in `text`.
    fn found(text: &str) -> Vec<(String, String)> {
        let e = engine();
        let scored = score(e, text.as_bytes(), e.find(text.as_bytes()), Floor::new(0.5));
        scored
            .iter()
            .map(|s| (e.rules()[s.candidate.rule].id.clone(), text[s.candidate.start..s.candidate.end].to_string()))
            .collect()
    }

    fn has(text: &str, rule: &str, value: &str) -> bool {
        found(text).iter().any(|(r, v)| r == rule && v == value)
    }

    #[test]
    fn doubtful_names_are_possible_finds_only_when_asked_for() {
        let e = engine();
        // No title, role, greeting or second name: the model doubts it.
        let text = "Lunch with Evander today.";
        let names = |floor: Floor| -> Vec<Scored> {
            score(e, text.as_bytes(), e.find(text.as_bytes()), floor)
                .into_iter()
                .filter(|s| e.rules()[s.candidate.rule].category == Category::Name)
                .collect()
        };
        let floor = e.possible_from(e.rules().iter().position(|r| r.id == "person-name").unwrap()).unwrap();
        let possible = names(Floor::new(0.5));
        assert_eq!(possible.len(), 1, "{possible:?}");
        let p = &possible[0];
        assert!(p.possible && p.severity == Severity::Low, "{p:?}");
        assert!(p.confidence >= floor && p.confidence < 0.5, "{p:?}");
        assert!(names(Floor { min_confidence: 0.5, possible: false }).is_empty());
        // At or above min_confidence a name is an ordinary finding, whatever the floor.
        let plain = names(Floor::new(floor));
        assert!(plain.len() == 1 && !plain[0].possible && plain[0].severity == Severity::Medium, "{plain:?}");
        // Only a detector with a fitted floor has possible finds.
        assert!(e
            .rules()
            .iter()
            .enumerate()
            .filter(|(i, _)| e.possible_from(*i).is_some())
            .all(|(_, r)| r.id == "person-name"));
    }

    #[test]
    fn a_phone_number_is_not_swallowed_by_an_address_shape() {
        // "… 0147 PER DR" once made a street address that hid the phone number.
        let text = "CALL 330 555 0147 PER DR LANG WITH RESULTS";
        assert!(has(text, "phone-number", "330 555 0147"), "{:?}", found(text));
    }

    #[test]
    fn an_address_in_a_url_is_reported_with_the_url() {
        let text = "Portal moved to http://[2001:db8::7]:8443/records today";
        let f = found(text);
        assert!(f.iter().any(|(r, _)| r == "url"), "{f:?}");
        assert!(has(text, "ipv6-address", "2001:db8::7"), "{f:?}");
    }

    #[test]
    fn negative_words_after_a_match_count_only_after_it() {
        assert!(!has("about 1/3 of the ward", "date-short", "1/3"));
        assert!(has("the visit of 4/27 went well", "date-short", "4/27"));
    }

    #[test]
    fn each_labelled_value_is_judged_by_its_own_label() {
        let form = "Home phone: 330-555-0101\nFax: 330-555-0102\nSSN: 536-22-8727\nCell: 330.555.0177\n";
        assert!(has(form, "fax-number", "330-555-0102"), "{:?}", found(form));
        assert!(has(form, "phone-number", "330.555.0177"), "{:?}", found(form));
        let card = "Card: 5500 0000 0000 0004\nDevice serial: 8841-22\n";
        assert!(has(card, "payment-card", "5500 0000 0000 0004"), "{:?}", found(card));
    }
}
