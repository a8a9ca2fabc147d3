//! Structured field context: a value under a `patient_name` column is a name even when it is
//! an ordinary word like "Hope".
//!
//! Extractors of structured formats (CSV, spreadsheets, JSON) say which field each value sits
//! under. Rules with `detector = "field"` (`rules/structured.toml`) classify field names: their
//! `context` lists the words that claim a field (`mrn`, `medical record`), their
//! `negative_context` the words that veto it (`provider` for names). Where several rules claim a
//! field, the one whose word ends last wins, as English puts the head noun last (`patient
//! phone` is a phone, `phone of patient` is rare). For a value under a classified field: a
//! finding of that category inside it gains the rule's `context_boost` and at least its
//! severity; a finding covering exactly the value is re-read as that category (a 10-digit MRN
//! is not a phone); when nothing of that category was found, the whole value (trimmed, not a
//! placeholder such as `N/A`, passing the rule's validators) becomes a finding of the rule. A
//! name found under a field the name rule refuses (`provider`, `site`, `department`) is kept
//! but marked as nobody the record is about, so it links no breach.

use super::Scored;
use crate::engine::names::EVIDENCE_STAFF;
use crate::engine::{Candidate, Engine};
use crate::finding::Category;
use crate::rules::{Matcher, Rule};
use std::collections::HashMap;

/// The detector name of field-classifying rules.
pub const DETECTOR: &str = "field";

/// A value under a named field: a cell under its column, a JSON value under its key.
#[derive(Clone, Copy, Debug)]
pub struct Field<'a> {
    /// Byte offset of the value's start in the scanned text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The field name as written (`patient_name`, `DOB`, `birthDate`).
    pub name: &'a str,
}

pub use crate::text::words::field_words as words;

/// Returns the end of the last occurrence of `term` in `hay` on word boundaries.
///
/// A byte scan rather than `str::match_indices`: field names are a few words long, and building
/// a substring searcher per rule term and field cost a fifth of a scan of short notes.
fn word_end(hay: &str, term: &str) -> Option<usize> {
    let (h, t) = (hay.as_bytes(), term.as_bytes());
    if t.is_empty() || t.len() > h.len() {
        return None;
    }
    let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    // `term` starts with a whole character, so a match starts on a character boundary.
    (0..=h.len() - t.len())
        .rev()
        .filter(|&i| h[i] == t[0] && &h[i..i + t.len()] == t)
        .find(|&i| !is_word(hay[..i].chars().next_back()) && !is_word(hay[i + t.len()..].chars().next()))
        .map(|i| i + t.len())
}

/// Returns the index of the field rule that claims the field `name`, if any.
pub fn classify(rules: &[Rule], name: &str) -> Option<usize> {
    let norm = words(name);
    let mut best: Option<(usize, usize, usize)> = None; // (end, term length, rule)
    for (i, rule) in rules.iter().enumerate() {
        if !is_field_rule(rule) || rule.negative_context.iter().any(|w| word_end(&norm, w).is_some()) {
            continue;
        }
        for term in &rule.context {
            if let Some(end) = word_end(&norm, term) {
                if best.is_none_or(|(e, l, _)| (end, term.len()) > (e, l)) {
                    best = Some((end, term.len(), i));
                }
            }
        }
    }
    best.map(|(_, _, i)| i)
}

/// Whether the field `name` is one the name column rule refuses (`provider`, `site`,
/// `department`): its values are not the row's person.
fn vetoes_names(rules: &[Rule], name: &str) -> bool {
    let norm = words(name);
    rules.iter().any(|r| {
        is_field_rule(r)
            && r.category == Category::Name
            && r.negative_context.iter().any(|w| word_end(&norm, w).is_some())
    })
}

/// Whether any of the field `names` is claimed by a field rule for something that identifies a
/// person by itself (a name, a record number, a date of birth, an SSN, a plan or account
/// number): a block of `Key: value` lines with such a key is a record about someone.
pub fn names_a_person<'a>(rules: &[Rule], mut names: impl Iterator<Item = &'a str>) -> bool {
    names.any(|n| {
        classify(rules, n).is_some_and(|i| {
            matches!(
                rules[i].category,
                Category::Name
                    | Category::Mrn
                    | Category::Ssn
                    | Category::Date
                    | Category::HealthPlan
                    | Category::Account
            )
        })
    })
}

/// Whether `rule` classifies fields.
pub fn is_field_rule(rule: &Rule) -> bool {
    matches!(&rule.matcher, Matcher::Detector(d) if d == DETECTOR)
}

/// Applies field context to `scored` (sorted by start; kept sorted).
pub fn apply(engine: &Engine, text: &[u8], fields: &[Field<'_>], scored: &mut Vec<Scored>, min_confidence: f32) {
    let rules = engine.rules();
    if fields.is_empty() || !rules.iter().any(is_field_rule) {
        return;
    }
    // Per field name: the rule claiming it, and whether it refuses names. An export repeats a
    // few names on every row, so a short list searched by pointer first beats hashing.
    let mut known: Vec<(&str, Option<usize>, bool)> = Vec::new();
    let mut claims: HashMap<&str, (Option<usize>, bool)> = HashMap::new();
    let mut added = Vec::new();
    for f in fields {
        let (claim, not_people) = match known.iter().find(|k| std::ptr::eq(k.0, f.name) || k.0 == f.name) {
            Some(k) => (k.1, k.2),
            None => {
                let c = *claims.entry(f.name).or_insert_with(|| (classify(rules, f.name), vetoes_names(rules, f.name)));
                if known.len() < 32 {
                    known.push((f.name, c.0, c.1));
                }
                c
            }
        };
        // A column that says it is not a person's (a provider, a site, a department): a name
        // found in it is nobody the row is about, so it identifies no patient.
        if not_people {
            let first = scored.partition_point(|s| s.candidate.start < f.start);
            for s in scored[first..].iter_mut().take_while(|s| s.candidate.start < f.end) {
                if rules[s.candidate.rule].category == Category::Name {
                    s.candidate.evidence |= EVIDENCE_STAFF;
                }
            }
        }
        let Some(ri) = claim else { continue };
        let rule = &rules[ri];
        let (vs, ve) = trim(text, f.start, f.end.min(text.len()));
        if vs >= ve {
            continue;
        }
        let first = scored.partition_point(|s| s.candidate.start < vs);
        let last = scored.partition_point(|s| s.candidate.start < ve);
        let inside = first..last;
        let same: Vec<usize> =
            inside.clone().filter(|&k| rules[scored[k].candidate.rule].category == rule.category).collect();
        if !same.is_empty() {
            for k in same {
                let s = &mut scored[k];
                s.confidence = (s.confidence + rule.context_boost).min(1.0);
                // A doubtful name in a column of names is as sure as the column makes any value.
                if s.possible {
                    s.confidence = s.confidence.max(rule.confidence);
                    if s.confidence >= min_confidence {
                        s.possible = false;
                        s.severity = rules[s.candidate.rule].severity;
                    }
                }
                if !s.possible {
                    s.severity = s.severity.max(rule.severity);
                }
            }
            continue;
        }
        let value = String::from_utf8_lossy(&text[vs..ve]);
        if !plausible(rule.category, &value) || !rule.validates(&value) || rule.confidence < min_confidence {
            continue;
        }
        if let Some(k) = inside.clone().find(|&k| scored[k].candidate.start == vs && scored[k].candidate.end == ve) {
            let s = &mut scored[k];
            s.candidate.rule = ri;
            s.confidence = s.confidence.max(rule.confidence);
            s.severity = if s.possible { rule.severity } else { s.severity.max(rule.severity) };
            s.possible = false;
            continue;
        }
        added.push(Scored {
            candidate: Candidate { rule: ri, start: vs, end: ve, confidence: rule.confidence, evidence: 0 },
            confidence: rule.confidence,
            severity: rule.severity,
            possible: false,
        });
    }
    if !added.is_empty() {
        scored.extend(added);
        scored.sort_by_key(|s| (s.candidate.start, s.candidate.rule));
    }
}

fn trim(text: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && text[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && text[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    (s, e)
}

/// Values that fill a cell without saying anything.
const PLACEHOLDERS: &[&str] = &[
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "unknown",
    "tbd",
    "pending",
    "redacted",
    "withheld",
    "yes",
    "no",
    "true",
    "false",
    "-",
    "--",
    "?",
    "0",
    "not applicable",
    "not available",
    "declined",
];

/// Whether `value` can be a value of `category` at all (a phone has digits, an e-mail an `@`).
fn plausible(category: Category, value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_lowercase();
    if PLACEHOLDERS.contains(&lower.as_str()) || v.chars().all(|c| matches!(c, '*' | 'x' | 'X' | '#' | '-' | '.')) {
        return false;
    }
    let digits = v.chars().filter(char::is_ascii_digit).count();
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    match category {
        Category::Email => v.contains('@'),
        Category::Name | Category::Location | Category::Facility => letters >= 2 && v.len() <= 100,
        // Codes count: an ICD-10 code (E11.9) is a diagnosis.
        Category::Diagnosis | Category::Medication | Category::Procedure => {
            (letters >= 2 || (letters == 1 && digits >= 2)) && v.len() <= 300
        }
        Category::Address => letters >= 2,
        Category::Date => digits >= 2,
        _ => digits >= 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<Rule> {
        crate::rules::builtin::rules().unwrap()
    }

    fn claim(name: &str) -> Option<String> {
        let rules = rules();
        classify(&rules, name).map(|i| rules[i].id.clone())
    }

    #[test]
    fn field_names_are_classified_by_their_head_word() {
        assert_eq!(claim("patient_name").as_deref(), Some("field-name"));
        assert_eq!(claim("Patient").as_deref(), Some("field-name"));
        assert_eq!(claim("patientPhone").as_deref(), Some("field-phone"));
        assert_eq!(claim("MRN").as_deref(), Some("field-mrn"));
        assert_eq!(claim("patient_id").as_deref(), Some("field-mrn"));
        assert_eq!(claim("DOB").as_deref(), Some("field-date-of-birth"));
        assert_eq!(claim("birthDate").as_deref(), Some("field-date-of-birth"));
        assert_eq!(claim("Diagnosis").as_deref(), Some("field-diagnosis"));
        assert_eq!(claim("drug_name").as_deref(), Some("field-medication"));
        assert_eq!(claim("provider_name"), None);
        assert_eq!(claim("notes"), None);
        assert_eq!(claim("visit_date"), None);
    }

    #[test]
    fn placeholders_are_not_values() {
        assert!(!plausible(Category::Name, "N/A"));
        assert!(!plausible(Category::Mrn, "pending"));
        assert!(!plausible(Category::Ssn, "***-**-****"));
        assert!(plausible(Category::Name, "Hope"));
        assert!(plausible(Category::Mrn, "4071938"));
    }
}
