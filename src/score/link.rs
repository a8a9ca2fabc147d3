//! Breach linking: an identifier and a health fact in one unit of text.
//!
//! A unit is the smallest span a reader takes as one statement about one person: a sentence,
//! a list item or line, a paragraph. An identifier that points at a person and a health fact in
//! the same unit make a likely breach: both findings become `high`.

use super::Scored;
use crate::engine::Engine;
use crate::finding::{Category, Severity};

/// A unit of text supplied by an extractor (a CSV row, a JSON object, a paragraph of a DOCX):
/// findings inside one unit are linked, whatever its sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Byte offset of the unit's start in the scanned text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// What it is, for explanations (`row`, `object`, `paragraph`, …).
    pub kind: &'static str,
}

/// One breach: the linked findings (indices into the scored list) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The unit that links them (`sentence`, `paragraph`).
    pub unit: &'static str,
    /// One line for a person.
    pub explanation: String,
    /// Indices into the scored list, sorted.
    pub findings: Vec<usize>,
}

/// Returns the byte ranges of paragraphs (separated by blank lines) in `text`.
pub fn paragraphs(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\n' {
            // A blank line: newline, optional spaces, newline.
            let mut j = i + 1;
            while j < text.len() && (text[j] == b' ' || text[j] == b'\t' || text[j] == b'\r') {
                j += 1;
            }
            if j < text.len() && text[j] == b'\n' {
                out.push((start, i));
                while j < text.len() && text[j].is_ascii_whitespace() {
                    j += 1;
                }
                start = j;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Returns the sentence boundaries inside `range`: a `.`, `!` or `?` followed by whitespace,
/// or a line break.
pub fn sentences(text: &[u8], range: (usize, usize)) -> Vec<(usize, usize)> {
    let (s, e) = range;
    let mut out = Vec::new();
    let mut start = s;
    for i in s..e {
        let b = text[i];
        let end_here =
            b == b'\n' || (matches!(b, b'.' | b'!' | b'?') && (i + 1 >= e || text[i + 1].is_ascii_whitespace()));
        if end_here {
            if i + 1 > start {
                out.push((start, i + 1));
            }
            start = i + 1;
        }
    }
    if start < e {
        out.push((start, e));
    }
    out
}

/// Links identifiers and health facts that share a unit, raising both to `high`. `units`, when
/// not empty, are the extractor's units (sorted, non-overlapping); otherwise plain-text
/// paragraphs and sentences are used.
pub fn link(engine: &Engine, text: &[u8], units: &[Unit], scored: &mut [Scored]) -> Vec<Link> {
    let rules = engine.rules();
    let cat = |s: &Scored| rules[s.candidate.rule].category;
    let mut links = Vec::new();
    let mut i = 0;
    let spans: Vec<(usize, usize, &'static str)> = if units.is_empty() {
        paragraphs(text).into_iter().map(|(s, e)| (s, e, "paragraph")).collect()
    } else {
        units.iter().map(|u| (u.start, u.end, u.kind)).collect()
    };
    for (ps, pe, kind) in spans {
        let begin = i;
        while i < scored.len() && scored[i].candidate.start < pe {
            i += 1;
        }
        if begin == i {
            continue;
        }
        let members: Vec<usize> = (begin..i).filter(|&k| scored[k].candidate.start >= ps).collect();
        let ids: Vec<usize> = members.iter().copied().filter(|&k| cat(&scored[k]).identifies()).collect();
        let health: Vec<usize> = members.iter().copied().filter(|&k| cat(&scored[k]).is_health()).collect();
        if ids.is_empty() || health.is_empty() {
            continue;
        }
        let same_sentence = sentences(text, (ps, pe)).iter().any(|&(ss, se)| {
            let inside = |k: &usize| scored[*k].candidate.start >= ss && scored[*k].candidate.start < se;
            ids.iter().any(inside) && health.iter().any(inside)
        });
        let unit = if same_sentence && units.is_empty() { "sentence" } else { kind };
        let mut findings: Vec<usize> = ids.iter().chain(&health).copied().collect();
        findings.sort_unstable();
        for &k in &findings {
            scored[k].severity = Severity::High;
        }
        links.push(Link { unit, explanation: explain(&ids, &health, scored, &cat, unit), findings });
    }
    links
}

fn explain(
    ids: &[usize],
    health: &[usize],
    scored: &[Scored],
    cat: &dyn Fn(&Scored) -> Category,
    unit: &str,
) -> String {
    let names = |ks: &[usize]| {
        let mut v: Vec<&str> = ks.iter().map(|&k| cat(&scored[k]).as_str()).collect();
        v.sort_unstable();
        v.dedup();
        v.join(" + ")
    };
    format!("{} + {} in one {}", names(ids), names(health), unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paragraphs_and_sentences() {
        let t = b"One. Two!\n\nThree";
        assert_eq!(paragraphs(t), vec![(0, 9), (11, 16)]);
        assert_eq!(sentences(t, (0, 9)), vec![(0, 4), (4, 9)]);
    }
}
