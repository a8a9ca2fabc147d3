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

/// Returns what finding `s` is to the linker. Possible finds count for nothing. Names count
/// unless they are staff (a clinician in a bio); record numbers always; dates only as dates of
/// birth (severity high). Contact details count in a record or a pasted data line (a patient's
/// phone in an export row), and a personal e-mail address anywhere; in prose an organisation's
/// hotline next to "depression" discloses nothing about anyone. Places and ages are left out.
fn role(engine: &Engine, text: &[u8], s: &Scored, in_record: bool) -> Role {
    // A possible name is shown for a person to judge, never taken as proof of a person.
    if s.possible {
        return Role::Other;
    }
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
        Category::Phone | Category::Fax => in_record,
        Category::Email => in_record || personal_address(&text[s.candidate.start..s.candidate.end]),
        _ => false,
    };
    match identity {
        true if rule.category == Category::Name && s.candidate.evidence & EVIDENCE_PATIENT_ROLE != 0 => Role::Patient,
        true => Role::Identity,
        false => Role::Other,
    }
}

/// Local parts of e-mail addresses that belong to an office, not a person.
const ROLE_ADDRESSES: &[&[u8]] = &[
    b"info",
    b"contact",
    b"support",
    b"help",
    b"hello",
    b"admin",
    b"office",
    b"appointments",
    b"appts",
    b"billing",
    b"press",
    b"media",
    b"news",
    b"noreply",
    b"no-reply",
    b"donate",
    b"giving",
    b"foundation",
    b"careers",
    b"jobs",
    b"webmaster",
    b"feedback",
    b"privacy",
    b"compliance",
    b"records",
    b"scheduling",
    b"volunteer",
    b"volunteers",
    b"marketing",
    b"communications",
    b"comms",
    b"events",
    b"hr",
    b"it",
    b"servicedesk",
    b"helpdesk",
    b"team",
];

/// Whether an e-mail address is a person's rather than an office's (`info@`, `press@`).
fn personal_address(address: &[u8]) -> bool {
    let local = address.split(|b| *b == b'@').next().unwrap_or(address).to_ascii_lowercase();
    !ROLE_ADDRESSES.iter().any(|r| local.as_slice() == *r || local.starts_with(r) && local.len() <= r.len() + 2)
}

/// Words that mark a record as test data ("TEST env", "dummy patient", "synthetic record"):
/// identifiers in such a line are placeholders and link nothing.
const TEST_DATA: &[&[u8]] = &[b"dummy", b"synthetic", b"fake", b"testpatient", b"do-not-use", b"zztest", b"zzztest"];

fn test_data(text: &[u8]) -> bool {
    words(text).any(|w| TEST_DATA.iter().any(|t| w.eq_ignore_ascii_case(t)))
        || memchr::memmem::find(&text.to_ascii_lowercase(), b"test patient").is_some()
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

/// How far back in a sentence the word tests look: a run-on "sentence" (a 2 MB line of
/// placeholder text) must not be re-read for every finding in it.
const LOOKBACK: usize = 512;

/// Returns where the words before `at` are read from: the sentence start, or at most
/// [`LOOKBACK`] bytes back, moved past a word cut in two.
fn lookback(text: &[u8], sentence_start: usize, at: usize) -> usize {
    let from = at.saturating_sub(LOOKBACK);
    if from <= sentence_start {
        return sentence_start.min(at);
    }
    from + text[from..at].iter().position(|b| !b.is_ascii_alphabetic()).unwrap_or(at - from)
}

fn words(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|b| !(b.is_ascii_alphabetic() || *b == b'\'')).filter(|w| !w.is_empty())
}

fn has_word(text: &[u8], list: &[&[u8]]) -> bool {
    words(text).any(|w| list.iter().any(|p| w.eq_ignore_ascii_case(p)))
}

/// Words before "you" that make a sentence general advice, not about the reader ("if you
/// have", "we can help you").
const GENERAL_BEFORE_YOU: &[&[u8]] =
    &[b"if", b"when", b"whether", b"unless", b"help", b"let", b"can", b"may", b"anyone"];
/// Words after "you" that make a sentence general advice ("you can", "you should").
const GENERAL_AFTER_YOU: &[&[u8]] = &[
    b"can", b"could", b"may", b"might", b"should", b"will", b"would", b"need", b"want", b"wish", b"know", b"think",
    b"deserve", b"are", b"aren't", b"don't", b"do",
];

/// Whether the health fact at `start` is the addressee's: "your" (or "you've", "you're")
/// within three words before it, or "you" earlier in the sentence as the subject of what
/// happened ("you were discharged with a diagnosis of …"), not of general advice ("you can
/// read about our diabetes program", "if you have diabetes").
fn second_person(text: &[u8], sentence_start: usize, start: usize) -> bool {
    let before: Vec<&[u8]> = words(&text[lookback(text, sentence_start, start)..start]).collect();
    if before.last().is_some_and(|w| w.eq_ignore_ascii_case(b"our")) {
        return false;
    }
    let tail = &before[before.len().saturating_sub(4)..];
    if tail.iter().any(|w| SECOND_PERSON_HEALTH.iter().any(|p| w.eq_ignore_ascii_case(p))) {
        return true;
    }
    let is = |w: &[u8], list: &[&[u8]]| list.iter().any(|x| w.eq_ignore_ascii_case(x));
    before.iter().enumerate().any(|(k, w)| {
        w.eq_ignore_ascii_case(b"you")
            && !(k > 0 && is(before[k - 1], GENERAL_BEFORE_YOU))
            && before
                .get(k + 1)
                .is_some_and(|n| !is(n, GENERAL_AFTER_YOU) && (is(n, EXPERIENCE) || k + 2 < before.len()))
    })
}

/// Nouns that make a health term before them an organisation's offering ("our diabetes
/// program", "our cancer walk"), not anyone's condition.
const SERVICES: &[&[u8]] = &[
    b"program",
    b"programs",
    b"programme",
    b"walk",
    b"run",
    b"ride",
    b"gala",
    b"fund",
    b"fundraiser",
    b"awareness",
    b"month",
    b"week",
    b"day",
    b"class",
    b"classes",
    b"education",
    b"research",
    b"campaign",
    b"drive",
    b"event",
    b"events",
    b"fair",
    b"initiative",
    b"services",
    b"service",
    b"team",
    b"center",
    b"centre",
    b"institute",
    b"foundation",
    b"clinics",
    b"network",
    b"society",
    b"association",
    b"screenings",
    b"seminar",
    b"webinar",
];

/// Whether a first-person possessive governs a health fact, given the words before it
/// (nearest last) and the word after it: "my first heparin drip" is the writer's, "our
/// diabetes program" the organisation's; neither is a named person's. ("Ida spent a week in
/// our ICU" stays hers: a place of care, not a service name.)
fn first_person_before(before: &[&[u8]], after: Option<&[u8]>) -> bool {
    let tail = &before[before.len().saturating_sub(3)..];
    let Some(k) = tail.iter().rposition(|w| [&b"my"[..], b"our"].iter().any(|p| w.eq_ignore_ascii_case(p))) else {
        return false;
    };
    // Nothing that starts another noun phrase between the possessive and the fact.
    let governs = !tail[k + 1..].iter().any(|w| {
        [&b"his"[..], b"her", b"their", b"your", b"the", b"a", b"an", b"and", b"with", b"for", b"to", b"of"]
            .iter()
            .any(|p| w.eq_ignore_ascii_case(p))
    });
    let service = after.is_some_and(|a| SERVICES.iter().any(|s| a.eq_ignore_ascii_case(s)));
    governs && (tail[k].eq_ignore_ascii_case(b"my") || service)
}

/// Returns the word right after byte `end`, if any.
fn word_after(text: &[u8], end: usize) -> Option<&[u8]> {
    words(&text[end..(end + 40).min(text.len())]).next()
}

/// Links identifiers and health facts that share a unit, raising both to `high`. `units` are
/// the extractor's record units (rows, objects: everything in one is about one record); the
/// text outside them is read as prose, sentence by sentence.
pub fn link(engine: &Engine, text: &[u8], units: &[Unit], scored: &mut [Scored]) -> Vec<Link> {
    let rules = engine.rules();
    if scored.is_empty() {
        return Vec::new();
    }
    let seg = segment::segment(text);
    let starts: Vec<usize> = scored.iter().map(|s| s.candidate.start).collect();
    // Whether each finding sits in a record: an extractor's unit or a pasted data line.
    let mut in_unit = vec![false; scored.len()];
    let mut in_record = vec![false; scored.len()];
    for (k, &at) in starts.iter().enumerate() {
        let u = units.partition_point(|u| u.start <= at);
        in_unit[k] = u > 0 && at < units[u - 1].end;
        let b = seg.blocks.partition_point(|b| b.start <= at);
        let data =
            b > 0 && at < seg.blocks[b - 1].end && matches!(seg.blocks[b - 1].kind, BlockKind::Data | BlockKind::Table);
        in_record[k] = in_unit[k] || data;
    }
    let mut roles: Vec<Role> = scored.iter().zip(&in_record).map(|(s, &r)| role(engine, text, s, r)).collect();
    // Placeholders in a line that says it is test data link nothing.
    for blk in seg.blocks.iter().filter(|b| test_data(&text[b.start..b.end])) {
        let (from, to) = (starts.partition_point(|&s| s < blk.start), starts.partition_point(|&s| s < blk.end));
        for r in roles[from..to].iter_mut().filter(|r| **r != Role::Health) {
            *r = Role::Other;
        }
    }
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
    for u in units {
        let members: Vec<usize> = range((u.start, u.end)).collect();
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
        // "my first heparin drip", "our cancer centre": the writer's or the organisation's.
        let health: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&k| roles[k] == Role::Health)
            .filter(|&k| {
                let before: Vec<&[u8]> = words(&text[lookback(text, sent.start, starts[k])..starts[k]]).collect();
                !first_person_before(&before, word_after(text, scored[k].candidate.end))
            })
            .collect();
        let patients: Vec<usize> = members.iter().copied().filter(|&k| roles[k] == Role::Patient).collect();
        if addressee.is_empty() {
            addressee = addressed(engine, text, sent.start, &members, scored, &roles);
        }
        // Staff are people too: "our colleague Ida, who is recovering after a heart attack".
        let staff: Vec<usize> = members
            .iter()
            .copied()
            .filter(|&k| {
                rules[scored[k].candidate.rule].category == Category::Name
                    && scored[k].candidate.evidence & EVIDENCE_STAFF != 0
                    && !scored[k].possible
            })
            .collect();
        let own: Vec<usize> = match staff.first() {
            Some(&first) if ids.is_empty() => health
                .iter()
                .copied()
                .filter(|&k| starts[k] > starts[first] && experienced(&text[scored[first].candidate.end..starts[k]]))
                .collect(),
            _ => Vec::new(),
        };
        if !ids.is_empty() && !health.is_empty() {
            push(&ids, &health, "sentence", "in one sentence", scored);
        } else if !own.is_empty() {
            push(&staff, &own, "sentence", "in one sentence (their own care)", scored);
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
    // A quotation in the first person is its speaker's: "… after my mastectomy," said Ida.
    for blk in &seg.blocks {
        for (qs, qe) in quotations(text, blk.start, blk.end) {
            let quote = &text[qs..qe];
            if !has_word(quote, FIRST_PERSON) {
                continue;
            }
            let health: Vec<usize> = range((qs, qe)).filter(|&k| roles[k] == Role::Health && !in_unit[k]).collect();
            if health.is_empty() {
                continue;
            }
            let names: Vec<(usize, usize, usize)> = range((blk.start, blk.end))
                .filter(|&k| is_id(k) && !in_unit[k] && rules[scored[k].candidate.rule].category == Category::Name)
                .filter(|&k| starts[k] < qs || starts[k] >= qe)
                .map(|k| (k, starts[k], scored[k].candidate.end))
                .collect();
            if let Some(k) = speaker(text, (qs, qe), &names) {
                push(&[k], &health, "paragraph", "in their own words (a quotation)", scored);
            }
        }
    }
    // A quotation inside its speaker's own sentence was linked there already.
    let mut seen = std::collections::HashSet::new();
    links.retain(|l| seen.insert(l.findings.clone()));
    links
}

/// Words that make a health fact the named person's own experience, not their work:
/// "diagnosed", "recovering", "underwent", "had a heart attack".
const OWN_CARE: &[&[u8]] = &[
    b"diagnosed",
    b"recovering",
    b"recovery",
    b"recovers",
    b"underwent",
    b"undergoing",
    b"suffered",
    b"suffering",
    b"survived",
    b"survivor",
    b"hospitalized",
    b"hospitalised",
    b"admitted",
    b"battling",
    b"battled",
    b"fighting",
    b"beat",
    b"beating",
    b"passed",
    b"died",
    b"herself",
    b"himself",
    b"diagnosis",
];

/// Whether the words between a staff member's name and a health fact make the fact theirs:
/// an experience word, or "had"/"has" right before it ("had a stroke", "has shingles").
fn experienced(between: &[u8]) -> bool {
    let ws: Vec<&[u8]> = words(between).collect();
    // "coaches patients recovering from knee surgery": the fact is the patients'.
    const OTHERS: &[&[u8]] = &[
        b"patients",
        b"patient",
        b"people",
        b"residents",
        b"clients",
        b"families",
        b"children",
        b"kids",
        b"others",
        b"members",
        b"veterans",
        b"survivors",
        b"mothers",
        b"babies",
        b"adults",
        b"seniors",
        b"athletes",
    ];
    if ws.iter().any(|w| OTHERS.iter().any(|o| w.eq_ignore_ascii_case(o))) {
        return false;
    }
    let near = &ws[ws.len().saturating_sub(2)..];
    ws.iter().any(|w| OWN_CARE.iter().any(|e| w.eq_ignore_ascii_case(e)))
        || near.iter().any(|w| [&b"had"[..], b"has", b"got"].iter().any(|e| w.eq_ignore_ascii_case(e)))
}

/// First-person words: a quotation that uses them speaks of its speaker.
const FIRST_PERSON: &[&[u8]] = &[b"i", b"my", b"me", b"i'm", b"i've", b"i'd", b"i'll", b"myself", b"mine"];

/// Verbs and nouns that attribute a quotation to a person ("said", "wrote", "a letter from").
const SPEECH: &[&[u8]] = &[
    b"said",
    b"says",
    b"say",
    b"wrote",
    b"writes",
    b"write",
    b"shared",
    b"shares",
    b"told",
    b"tells",
    b"recalled",
    b"recalls",
    b"explained",
    b"explains",
    b"added",
    b"adds",
    b"remembered",
    b"remembers",
    b"posted",
    b"texted",
    b"commented",
    b"noted",
    b"laughed",
    b"joked",
    b"letter",
    b"note",
    b"message",
    b"card",
    b"words",
];

/// Returns the quotations of a block, inside their marks: straight double quotes pair up in
/// order, curly ones open and close.
fn quotations(text: &[u8], start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut i = start;
    while i < end {
        let (opens, closes, len) = match text[i] {
            b'"' => (open.is_none(), open.is_some(), 1),
            0xE2 if text.get(i + 1) == Some(&0x80) && text.get(i + 2) == Some(&0x9C) => (true, false, 3),
            0xE2 if text.get(i + 1) == Some(&0x80) && text.get(i + 2) == Some(&0x9D) => (false, true, 3),
            _ => (false, false, 1),
        };
        if closes {
            if let Some(s) = open.take() {
                out.push((s, i));
            }
        } else if opens {
            open = Some(i + len);
        }
        i += len;
    }
    out
}

/// Returns the person a quotation is attributed to: the nearest name before it with a speech
/// word between them ("Ida Moss, who wrote: \"…\"", "a letter from Ida Moss: \"…\""), else a
/// name right after it with one ("\"…,\" said Ida." / "\"…,\" Ida said."). `names` are the
/// name findings of the block as (index, start, end), in text order.
fn speaker(text: &[u8], quote: (usize, usize), names: &[(usize, usize, usize)]) -> Option<usize> {
    const BEFORE: usize = 120;
    const AFTER: usize = 40;
    let attributes = |between: &[u8]| has_word(between, SPEECH) && !between.contains(&b'"');
    let open = quote.0 - if text[quote.0 - 1] == b'"' { 1 } else { 3 }; // at the opening mark
    if let Some(&(k, _, end)) = names.iter().rev().find(|n| n.2 <= open) {
        if open - end <= BEFORE && attributes(&text[end..open]) {
            return Some(k);
        }
    }
    let (k, start, end) = *names.iter().find(|n| n.1 >= quote.1)?;
    let close = quote.1 + if text[quote.1] == b'"' { 1 } else { 3 }; // past the closing mark
    let between = &text[close.min(start)..start];
    let after = &text[end..(end + 12).min(text.len())];
    (start - quote.1 <= AFTER && (attributes(between) || has_word(words(after).next().unwrap_or(b""), SPEECH)))
        .then_some(k)
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
            let before = text[lookback(text, sentence_start, c.start)..c.start].trim_ascii();
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
        let t = b"Our notes show you arrived late and left with a diagnosis of gout.";
        assert!(second_person(t, 0, 61));
        let t = b"If you have gout, call us.";
        assert!(!second_person(t, 0, 12));
    }

    #[test]
    fn a_staff_members_own_care_is_an_experience() {
        assert!(experienced(b", who is recovering in our unit after a "));
        assert!(experienced(b" had a "));
        assert!(!experienced(b" treats "));
        assert!(!experienced(b" coaches patients recovering from knee "));
        assert!(!experienced(b" has treated patients with "));
    }

    #[test]
    fn quotations_pair_straight_and_curly_marks() {
        let t = "a \"one\" b \u{201c}two\u{201d} c \"open".as_bytes();
        let q: Vec<&[u8]> = quotations(t, 0, t.len()).into_iter().map(|(s, e)| &t[s..e]).collect();
        assert_eq!(q, [&b"one"[..], "two".as_bytes()]);
    }

    #[test]
    fn first_person_possessives_keep_facts_to_the_writer() {
        assert!(first_person_before(&[&b"hang"[..], b"my", b"first"], Some(b"drip")));
        assert!(first_person_before(&[&b"support"[..], b"our"], Some(b"program")));
        assert!(!first_person_before(&[&b"in"[..], b"our"], Some(b"today")));
        assert!(!first_person_before(&[&b"our"[..], b"patient", b"with"], None));
        assert!(!first_person_before(&[&b"her"[..]], None));
    }

    #[test]
    fn office_addresses_are_not_people() {
        assert!(!personal_address(b"info@clinic.example"));
        assert!(!personal_address(b"press@clinic.example"));
        assert!(personal_address(b"odile.marsh@mail.example"));
    }
}
