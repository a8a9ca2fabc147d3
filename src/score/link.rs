//! Breach linking: a person-identifying finding and a health fact in one unit of text.
//!
//! A breach is a finding that points at a person (a name that is not staff, a handle, a record
//! number, a date of birth) and a health fact or patient status about them, together in:
//! - one record: a CSV row, a JSON object, a log line (units the extractor supplies);
//! - one sentence of the shared text model ([`crate::text::segment`]: wrapped lines joined,
//!   "Mr." and "St." not taken for sentence ends);
//! - a later sentence that refers back: "she", "his", "they" after a sentence naming the
//!   person; "you", "your" only when the text addresses that person (a reply to their handle,
//!   "Hi Ida,", "Thank you, Ida,") and the health fact is theirs ("your surgery", "you had").
//!
//! Being a patient is a health fact: "our patient Ida" or "Ida in room 12" discloses it.
//! Both sides of a link become `high`; the link says in one line what made it.

use super::Scored;
use crate::engine::names::{EVIDENCE_PATIENT_ROLE, EVIDENCE_STAFF};
use crate::engine::{handles, Engine};
use crate::finding::{Category, Severity};
use crate::text::segment::{self, BlockKind};

pub use crate::text::Unit;

/// One breach: the linked findings (indices into the scored list) and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The unit that links them (`sentence`, `paragraph`, `row`, …).
    pub unit: &'static str,
    /// One line for a person: `name + diagnosis in one sentence`.
    pub explanation: String,
    /// Indices into the scored list, sorted.
    pub findings: Vec<usize>,
}

/// What a finding is to the linker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Points at a person.
    Identity,
    /// A health fact (diagnosis, medication, procedure) or a place in a ward (room, bed).
    Health,
    /// A name given as a patient's: identity and patient status at once.
    Patient,
    /// Neither.
    Other,
}

/// Returns what finding `s` is to the linker. Names count unless they are staff (a clinician
/// in a bio); record numbers always; dates only as dates of birth (severity high). Contact
/// details, places and ages are left out: an organisation's hotline next to "depression" or a
/// town next to "flu season" discloses nothing about anyone.
fn role(engine: &Engine, s: &Scored) -> Role {
    let rule = &engine.rules()[s.candidate.rule];
    if rule.category.is_health() || rule.id == "room-bed" {
        return Role::Health;
    }
    let identity = match rule.category {
        Category::Name => s.candidate.evidence & EVIDENCE_STAFF == 0,
        Category::OtherId if rule.id == handles::RULE => s.candidate.evidence & handles::EVIDENCE_ORG == 0,
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
    };
    match identity {
        true if rule.category == Category::Name && s.candidate.evidence & EVIDENCE_PATIENT_ROLE != 0 => Role::Patient,
        true => Role::Identity,
        false => Role::Other,
    }
}

/// Third-person words that carry a person from one sentence to the next.
const THIRD_PERSON: &[&[u8]] =
    &[b"she", b"he", b"her", b"his", b"him", b"hers", b"herself", b"himself", b"they", b"their", b"them", b"theirs"];

/// Words before a health fact that make it the addressee's ("your surgery", "you had").
const SECOND_PERSON_HEALTH: &[&[u8]] = &[b"your", b"you've", b"you're", b"you'd"];

/// Verbs after "you" that make what follows the addressee's ("you had a stroke").
const EXPERIENCE: &[&[u8]] = &[
    b"had",
    b"have",
    b"has",
    b"were",
    b"was",
    b"are",
    b"got",
    b"get",
    b"underwent",
    b"received",
    b"started",
    b"finished",
    b"beat",
    b"survived",
    b"fought",
    b"broke",
    b"tore",
    b"need",
    b"needed",
    b"diagnosed",
    b"recovering",
    b"recovered",
    b"battling",
    b"living",
    b"took",
    b"take",
    b"taking",
    b"on",
];

fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| !(b.is_ascii_alphabetic() || *b == b'\'')).filter(|w| !w.is_empty())
}

fn has_word(text: &[u8], list: &[&[u8]]) -> bool {
    words(text).any(|w| list.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

/// Whether the health fact at `start` is the addressee's: "your" (or "you've", "you're")
/// within three words before it, or "you" and a verb of experience ("you had", "you were
/// diagnosed with").
fn second_person(text: &[u8], sentence_start: usize, start: usize) -> bool {
    let before: Vec<&[u8]> = words(&text[sentence_start..start]).collect();
    let tail = &before[before.len().saturating_sub(4)..];
    if tail.iter().any(|w| SECOND_PERSON_HEALTH.iter().any(|p| w.eq_ignore_ascii_case(p))) {
        return true;
    }
    let tail = &before[before.len().saturating_sub(7)..];
    tail.windows(2)
        .any(|p| p[0].eq_ignore_ascii_case(b"you") && EXPERIENCE.iter().any(|v| p[1].eq_ignore_ascii_case(v)))
}

/// Links identifiers and health facts that share a unit, raising both to `high`. `units` are
/// the extractor's record units (rows, objects: everything in one is about one record); the
/// text outside them is read as prose, sentence by sentence.
pub fn link(engine: &Engine, text: &[u8], units: &[Unit], scored: &mut [Scored]) -> Vec<Link> {
    let rules = engine.rules();
    let roles: Vec<Role> = scored.iter().map(|s| role(engine, s)).collect();
    let starts: Vec<usize> = scored.iter().map(|s| s.candidate.start).collect();
    // Findings are sorted by start: each unit and sentence takes the next run of them.
    let range = |(a, b): (usize, usize)| starts.partition_point(|&s| s < a)..starts.partition_point(|&s| s < b);
    let mut links = Vec::new();
    let mut push = |ids: &[usize], health: &[usize], unit: &'static str, how: &str, scored: &mut [Scored]| {
        let mut findings: Vec<usize> = ids.iter().chain(health).copied().collect();
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
        let fact = if health.is_empty() { "patient status".to_string() } else { cats(health) };
        let explanation = format!("{} + {} {how}", cats(ids), fact);
        links.push(Link { unit, explanation, findings });
    };
    let is_id = |k: usize| matches!(roles[k], Role::Identity | Role::Patient);
    // Findings inside a record unit belong to it, not to the prose around it.
    let mut in_unit = vec![false; scored.len()];
    for u in units {
        let members: Vec<usize> = range((u.start, u.end)).collect();
        for &k in &members {
            in_unit[k] = true;
        }
        let ids: Vec<usize> = members.iter().copied().filter(|&k| is_id(k)).collect();
        let health: Vec<usize> = members.iter().copied().filter(|&k| roles[k] == Role::Health).collect();
        let patient = members.iter().any(|&k| roles[k] == Role::Patient);
        if !ids.is_empty() && (!health.is_empty() || patient) {
            push(&ids, &health, u.kind, &format!("in one {}", u.kind), scored);
        }
    }
    if roles.iter().all(|r| *r == Role::Other) {
        return links;
    }
    let seg = segment::segment(text);
    let mut carried: Vec<usize> = Vec::new(); // identities of the last sentence that named someone
    let mut addressee: Vec<usize> = Vec::new(); // whom the text speaks to ("Hi Ida,", "@ida_m")
    let mut last_block = usize::MAX;
    for sent in &seg.sentences {
        let block = seg.blocks[sent.block];
        if sent.block != last_block {
            last_block = sent.block;
            // A heading or a pasted data line starts a new subject.
            if matches!(block.kind, BlockKind::Heading | BlockKind::Data | BlockKind::Table) {
                carried.clear();
            }
        }
        let members: Vec<usize> = range((sent.start, sent.end)).filter(|&k| !in_unit[k]).collect();
        let ids: Vec<usize> = members.iter().copied().filter(|&k| is_id(k)).collect();
        let health: Vec<usize> = members.iter().copied().filter(|&k| roles[k] == Role::Health).collect();
        let patients: Vec<usize> = members.iter().copied().filter(|&k| roles[k] == Role::Patient).collect();
        if addressee.is_empty() {
            addressee = addressed(engine, text, sent.start, &members, scored, &roles);
        }
        if !ids.is_empty() && !health.is_empty() {
            push(&ids, &health, "sentence", "in one sentence", scored);
        } else if !patients.is_empty() {
            push(&patients, &[], "sentence", "in one sentence", scored);
        } else if !health.is_empty() && ids.is_empty() {
            let sentence = &text[sent.start..sent.end];
            let yours: Vec<usize> =
                health.iter().copied().filter(|&k| second_person(text, sent.start, starts[k])).collect();
            if !addressee.is_empty() && !yours.is_empty() {
                push(&addressee.clone(), &yours, "paragraph", "addressed to the person (you/your)", scored);
            } else if !carried.is_empty() && has_word(sentence, THIRD_PERSON) {
                push(&carried.clone(), &health, "paragraph", "in a later sentence that refers back", scored);
            }
        }
        let people: Vec<usize> =
            ids.iter().copied().filter(|&k| rules[scored[k].candidate.rule].category != Category::Date).collect();
        if !people.is_empty() {
            carried = people;
        }
    }
    links
}

/// Returns the identities a sentence addresses: a handle that opens it (a reply), or a name
/// after a greeting or in a vocative ("Hi Ida,", "Dear Mr. Moss,", "Thank you, Ida,").
fn addressed(
    engine: &Engine,
    text: &[u8],
    sentence_start: usize,
    members: &[usize],
    scored: &[Scored],
    roles: &[Role],
) -> Vec<usize> {
    let rules = engine.rules();
    members
        .iter()
        .copied()
        .filter(|&k| matches!(roles[k], Role::Identity | Role::Patient))
        .filter(|&k| {
            let c = scored[k].candidate;
            let before = text[sentence_start..c.start].trim_ascii();
            let after = text[c.end..].trim_ascii_start();
            match rules[c.rule].category {
                Category::OtherId if rules[c.rule].id == handles::RULE => before.is_empty(),
                Category::Name => {
                    let greeting = words(before).last().is_some_and(|w| {
                        [&b"hi"[..], b"hello", b"hey", b"dear", b"thanks", b"thank", b"you", b"congratulations"]
                            .iter()
                            .any(|g| w.eq_ignore_ascii_case(g))
                    });
                    let vocative = before.ends_with(b",") || before.is_empty();
                    (greeting || vocative) && after.first().is_some_and(|b| matches!(b, b',' | b'!' | b':'))
                }
                _ => false,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_person_needs_a_possessive_or_an_experience() {
        let t = b"We hope your surgery went well.";
        assert!(second_person(t, 0, 12));
        let t = b"You can read about our diabetes program.";
        assert!(!second_person(t, 0, 23));
        let t = b"I know you were diagnosed with gout.";
        assert!(second_person(t, 0, 31));
    }
}
