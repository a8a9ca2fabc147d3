//! Breach linking: an identifier and a health fact in one unit of text.
//!
//! A unit is the smallest span a reader takes as one statement about one person: a sentence (or
//! a later sentence that refers back with "she" or "his"), a CSV row, a JSON object. An
//! identifier that points at a person and a health fact in the same unit make a likely breach:
//! both findings become `high`.

use super::Scored;
use crate::engine::names::EVIDENCE_STAFF;
use crate::engine::Engine;
use crate::finding::{Category, Severity};

pub use crate::text::Unit;

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

/// Whether a scored finding identifies a person by itself, so that a health fact next to it is
/// a disclosure about that person. Names count unless they are staff (a clinician in a bio);
/// record numbers always; dates only when they are dates of birth (severity high). Contact
/// details, places and ages are left out: an organisation's hotline next to "depression" or a
/// town next to "flu season" discloses nothing about anyone.
fn identifies(engine: &Engine, s: &Scored) -> bool {
    let rule = &engine.rules()[s.candidate.rule];
    match rule.category {
        Category::Name => s.candidate.evidence & EVIDENCE_STAFF == 0,
        Category::Mrn
        | Category::Ssn
        | Category::HealthPlan
        | Category::Account
        | Category::License
        | Category::Vehicle
        | Category::Device
        | Category::OtherId => true,
        Category::Date => s.severity == Severity::High,
        Category::Age => rule.id == "age-over-89",
        _ => false,
    }
}

/// Mailboxes of a role, not a person (`appointments@…`): their address points at no patient.
const ROLE_MAILBOXES: &[&str] = &[
    "info",
    "contact",
    "support",
    "help",
    "helpdesk",
    "admin",
    "noreply",
    "no-reply",
    "donotreply",
    "hello",
    "office",
    "team",
    "sales",
    "billing",
    "appointments",
    "appointment",
    "scheduling",
    "records",
    "privacy",
    "compliance",
    "webmaster",
    "postmaster",
    "mailer-daemon",
    "press",
    "media",
    "marketing",
    "hr",
    "careers",
    "jobs",
    "frontdesk",
    "reception",
    "pharmacy",
    "lab",
    "feedback",
    "newsletter",
    "news",
    "events",
    "donate",
    "giving",
    "volunteer",
    "volunteers",
    "it",
    "security",
    "abuse",
    "service",
    "services",
    "clinic",
    "nurse",
    "nursing",
];

/// Whether a finding is a person's e-mail address: inside a record (a log line, a row) the
/// address a message went to is the record's person, unless it is a role's mailbox.
fn personal_email(engine: &Engine, text: &[u8], s: &Scored) -> bool {
    if engine.rules()[s.candidate.rule].category != Category::Email {
        return false;
    }
    let value = &text[s.candidate.start..s.candidate.end];
    let local = value.split(|b| *b == b'@').next().unwrap_or(value);
    let local = String::from_utf8_lossy(local).to_ascii_lowercase();
    !ROLE_MAILBOXES.contains(&local.as_str())
}

/// Words that carry a person from one sentence to the next: third person ("Hope Lee came home
/// today. She finished chemo in May.") and second person in a reply that named its addressee
/// ("Hi Gus, we're sorry. Our records show your surgery ...").
const PRONOUNS: &[&[u8]] =
    &[b"she", b"he", b"her", b"his", b"him", b"hers", b"herself", b"himself", b"you", b"your", b"yours", b"yourself"];

fn has_pronoun(text: &[u8], (s, e): (usize, usize)) -> bool {
    text[s..e].split(|b| !b.is_ascii_alphabetic()).any(|w| PRONOUNS.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

/// Links identifiers and health facts that share a unit, raising both to `high`. `units` are the
/// extractor's units (rows, objects, messages: everything in one is about one record); outside
/// them a link needs one sentence, or a later sentence of the same paragraph that refers back
/// with a pronoun.
pub fn link(engine: &Engine, text: &[u8], units: &[Unit], scored: &mut [Scored]) -> Vec<Link> {
    let rules = engine.rules();
    let is_id: Vec<bool> = scored.iter().map(|s| identifies(engine, s)).collect();
    let is_health: Vec<bool> = scored.iter().map(|s| rules[s.candidate.rule].category.is_health()).collect();
    let mut links = Vec::new();
    let starts: Vec<usize> = scored.iter().map(|s| s.candidate.start).collect();
    // Findings are sorted by start: each unit, paragraph and sentence takes the next run of them.
    let range = |(a, b): (usize, usize)| starts.partition_point(|&s| s < a)..starts.partition_point(|&s| s < b);
    let mut push = |ids: Vec<usize>, health: Vec<usize>, unit: &'static str, scored: &mut [Scored]| {
        let mut findings: Vec<usize> = ids.iter().chain(&health).copied().collect();
        findings.sort_unstable();
        findings.dedup();
        for &k in &findings {
            scored[k].severity = Severity::High;
        }
        let cats = |ks: &[usize]| {
            let mut v: Vec<&str> = ks.iter().map(|&k| rules[scored[k].candidate.rule].category.as_str()).collect();
            v.sort_unstable();
            v.dedup();
            v.join(" + ")
        };
        let explanation = format!("{} + {} in one {}", cats(&ids), cats(&health), unit);
        links.push(Link { unit, explanation, findings });
    };
    // Findings inside an extractor's unit link within it; the text outside every unit (the
    // prose around records pasted in a ticket) is linked by paragraphs and sentences.
    let mut in_unit = vec![false; scored.len()];
    for u in units {
        let members: Vec<usize> = range((u.start, u.end)).collect();
        for &k in &members {
            in_unit[k] = true;
        }
        let ids: Vec<usize> =
            members.iter().copied().filter(|&k| is_id[k] || personal_email(engine, text, &scored[k])).collect();
        let health: Vec<usize> = members.iter().copied().filter(|&k| is_health[k]).collect();
        if !ids.is_empty() && !health.is_empty() {
            push(ids, health, u.kind, scored);
        }
    }
    if in_unit.iter().all(|&u| u) {
        return links;
    }
    for para in paragraphs(text) {
        if !range(para).any(|k| is_health[k] && !in_unit[k]) {
            continue;
        }
        let mut carried: Vec<usize> = Vec::new(); // identities of earlier sentences
        for sent in sentences(text, para) {
            let ids: Vec<usize> = range(sent).filter(|&k| is_id[k] && !in_unit[k]).collect();
            let health: Vec<usize> = range(sent).filter(|&k| is_health[k] && !in_unit[k]).collect();
            if !health.is_empty() {
                if !ids.is_empty() {
                    push(ids.clone(), health, "sentence", scored);
                } else if !carried.is_empty() && has_pronoun(text, sent) {
                    push(carried.clone(), health, "paragraph", scored);
                }
            }
            if !ids.is_empty() {
                carried = ids;
            }
        }
    }
    links
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
