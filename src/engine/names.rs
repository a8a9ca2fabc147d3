//! People's names: dictionary tokens, capitalisation and the evidence around them.
//!
//! The lesson of PhysioNet deid and Philter: a name list alone finds "Will" in "Will you come?"
//! and misses "Akhtakhanov". So a run of capitalised tokens is scored: a given name that is not
//! an English word (Delphine) counts by itself; a name that is also a word (Hope, Grace, Brown)
//! counts only with evidence: a title (Mrs), a role word (patient, daughter), a form label
//! (`Name:`), a neighbouring name, a possessive, an age appositive (", 34,"), a line of its own
//! (a signature). An unknown capitalised word joins a run next to a known name ("Allen
//! Akhtakhanov"). Runs that end in an organisation word (Hospital, Inc) or a disease head
//! (Parkinson's disease) are not people. Names with clinician cues (Dr, MD, surgeon) are marked
//! as staff, so breach linking does not treat a clinician in a bio as a patient.

use super::detectors::{single_space, Chunk};
use super::lexicon::{
    self, Shape, AMBIGUOUS, DIAGNOSIS, DISEASE_HEAD, FIRST, MEDICATION, NOT_NAME, ORG, PARTICLE, ROLE, STAFF,
    STAFF_ROLE, STATE, SURNAME, TITLE,
};
use super::Candidate;

/// Evidence bit on a name candidate: the person is a clinician or staff member.
pub const EVIDENCE_STAFF: u32 = 1;
/// Evidence bit: the name is given with a patient or family role word.
pub const EVIDENCE_PATIENT: u32 = 2;

const MAX_RUN: usize = 4;

fn is_name(flags: u32) -> bool {
    flags & (FIRST | SURNAME) != 0
}

fn strong(flags: u32) -> bool {
    is_name(flags) && flags & (AMBIGUOUS | NOT_NAME) == 0
}

/// Whether a gap between two name tokens keeps them in one name: a space, or an initial's period.
fn joins(gap: &[u8], prev_shape: Shape) -> bool {
    single_space(gap) || (prev_shape == Shape::Initial && (gap == b". " || gap == b"."))
}

/// A scored run of name tokens.
struct Run {
    first: usize,
    last: usize,
    confidence: f32,
    evidence: u32,
}

/// Appends name candidates of `chunk` to `out`.
pub fn find(chunk: &Chunk, rule: usize, out: &mut Vec<Candidate>, scratch: &mut Vec<u8>) {
    let toks = chunk.tokens;
    let mut runs: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let Some(end) = run_at(chunk, i, scratch) else {
            i += 1;
            continue;
        };
        let first = trim_leading(chunk, i, end);
        if let Some((confidence, evidence)) = score_run(chunk, first, end) {
            runs.push(Run { first, last: end, confidence, evidence });
        }
        i = end + 1;
    }
    coordinate(chunk, &mut runs);
    for r in runs.iter().filter(|r| r.confidence > 0.0) {
        let start = title_start(chunk, r.first);
        out.push(Candidate {
            rule,
            start,
            end: name_end(chunk, r.last),
            confidence: r.confidence,
            evidence: r.evidence,
        });
    }
}

/// Drops a capitalised word that only starts the sentence from the front of a run when a sure
/// name follows ("Congratulations Delphine Achterberg", "Ask J. Smith").
fn trim_leading(chunk: &Chunk, mut s: usize, e: usize) -> usize {
    let toks = chunk.tokens;
    while s < e {
        let t = toks[s];
        let next = toks[s + 1];
        let weak = !is_name(t.flags) || t.flags & (AMBIGUOUS | ROLE) != 0;
        let sure_next = strong(next.flags) && next.flags & FIRST != 0 || next.shape == Shape::Initial;
        if weak && sure_next && (chunk.sentence_start(s) || !is_name(t.flags)) {
            s += 1;
        } else {
            break;
        }
    }
    s
}

/// Names in a list share their evidence: in "Kovalev, Lee and Phillips" the sure name vouches
/// for its neighbours, known or not.
fn coordinate(chunk: &Chunk, runs: &mut [Run]) {
    let linked = |a: &Run, b: &Run| {
        if b.first != a.last + 1
            && !(b.first == a.last + 2 && matches!(chunk.word(a.last + 1), b"and" | b"or" | b"und" | b"y" | b"et"))
        {
            return false;
        }
        let gap = &chunk.text[chunk.tokens[a.last].end..chunk.tokens[b.first].start];
        matches!(gap, b", " | b" and " | b" or " | b", and " | b", or " | b" und " | b" y " | b" et ")
    };
    for _ in 0..2 {
        for k in 1..runs.len() {
            let (left, right) = runs.split_at_mut(k);
            let (a, b) = (&mut left[k - 1], &mut right[0]);
            if linked(a, b) {
                if a.confidence >= 0.6 && b.confidence < 0.6 {
                    b.confidence = 0.6;
                } else if b.confidence >= 0.6 && a.confidence < 0.6 {
                    a.confidence = 0.6;
                }
            }
        }
    }
}

/// Returns where a name's span starts: at a courtesy or clinician title right before it
/// ("Mr. Carl Koike"), so the report shows the whole form of address.
fn title_start(chunk: &Chunk, first: usize) -> usize {
    let toks = chunk.tokens;
    if first > 0
        && toks[first - 1].flags & (TITLE | STAFF) != 0
        && matches!(toks[first - 1].shape, Shape::Capitalized | Shape::Upper | Shape::Lower)
    {
        let gap = chunk.gap_before(first);
        if single_space(gap) || gap == b". " {
            let w = chunk.word(first - 1);
            // Only short titles (Mr, Dr, Mrs), not "doctor" or "nurse" used as a noun.
            if w.len() <= 4 && w[0].is_ascii_alphabetic() {
                return toks[first - 1].start;
            }
        }
    }
    toks[first].start
}

/// The end of a name, without a possessive `'s`.
fn name_end(chunk: &Chunk, last: usize) -> usize {
    let w = chunk.word(last);
    let t = chunk.tokens[last];
    if w.ends_with(b"'s") || w.ends_with(b"'S") {
        t.end - 2
    } else if w.ends_with("’s".as_bytes()) {
        t.end - 4
    } else {
        t.end
    }
}

/// Whether token `i` may begin or continue a name run.
fn nameish(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    if t.flags & (ORG | TITLE) != 0 && !is_name(t.flags) || t.flags & NOT_NAME != 0 {
        return false;
    }
    // Titles, credentials and greetings frame names; they are not part of them.
    if t.flags & (STAFF | TITLE | ROLE) != 0 && !strong(t.flags) {
        return false;
    }
    match t.shape {
        Shape::Capitalized => true,
        Shape::Upper => chunk.all_caps || is_name(t.flags) && t.end - t.start > 3,
        Shape::Initial => chunk.gap_after(i).starts_with(b"."),
        Shape::Lower => chunk.lower_case && is_name(t.flags),
        Shape::Other => false,
    }
}

/// Returns the last token of the name run starting at `i`, when one starts there.
fn run_at(chunk: &Chunk, i: usize, scratch: &mut Vec<u8>) -> Option<usize> {
    let toks = chunk.tokens;
    let t = toks[i];
    let lowercase_start = t.shape == Shape::Lower && strong(t.flags) && i > 0 && toks[i - 1].flags & ROLE != 0;
    if !nameish(chunk, i) && !lowercase_start {
        return None;
    }
    let _ = scratch;
    let mut end = i;
    let mut count = 1;
    while end + 1 < toks.len() && count < MAX_RUN {
        let gap = chunk.gap_after(end);
        if !joins(gap, toks[end].shape) {
            break;
        }
        let next = end + 1;
        if nameish(chunk, next) || (lowercase_start && toks[next].shape == Shape::Lower && strong(toks[next].flags)) {
            end = next;
            count += 1;
        } else if toks[next].flags & PARTICLE != 0
            && toks[next].shape == Shape::Lower
            && next + 1 < toks.len()
            && single_space(chunk.gap_after(next))
        {
            // "van der Berg": particles join only when a capitalised word follows them.
            let mut k = next;
            while k < toks.len() && toks[k].flags & PARTICLE != 0 && toks[k].shape == Shape::Lower {
                if chunk.gap_after(k) != b" " {
                    break;
                }
                k += 1;
            }
            if k < toks.len() && k > next && nameish(chunk, k) && single_space(chunk.gap_after(k - 1)) {
                end = k;
                count += 1;
            } else {
                break;
            }
        } else {
            break;
        }
    }
    Some(end)
}

fn lower(chunk: &Chunk, i: usize) -> Vec<u8> {
    let mut v = Vec::new();
    lexicon::lower_into(chunk.word(i), &mut v);
    v
}

/// Scores the run `s..=e`: its confidence and evidence bits, or `None` when it is not a person.
fn score_run(chunk: &Chunk, s: usize, e: usize) -> Option<(f32, u32)> {
    let toks = chunk.tokens;
    let members: Vec<usize> =
        (s..=e).filter(|&k| toks[k].flags & PARTICLE == 0 || toks[k].shape != Shape::Lower).collect();
    // Organisations and things: "Maple Hollow Regional", "Johnson & Johnson", "Grace Hospital".
    if members.iter().any(|&k| toks[k].flags & ORG != 0 && !strong(toks[k].flags)) {
        return None;
    }
    let after = chunk.gap_after(e);
    if e + 1 < toks.len() && (single_space(after) || after == b"-") {
        let next = toks[e + 1];
        if next.flags & (ORG | DISEASE_HEAD) != 0 && next.shape != Shape::Upper {
            return None;
        }
    }
    if after.starts_with(b" &") || chunk.gap_before(s).ends_with(b"& ") {
        return None;
    }
    // "88 North Elm": capitalised words after a house number are a street.
    if s > 0 && single_space(chunk.gap_before(s)) && chunk.word(s - 1).iter().all(u8::is_ascii_digit) {
        return None;
    }
    // A single token that is a health term ("Crohn's", "Lyme") is the health detector's.
    if members.len() == 1 && toks[s].flags & (DIAGNOSIS | MEDICATION) != 0 && !strong(toks[s].flags) {
        return None;
    }
    // Address and place parts: "St" after a number, "Street" names, "Ohio".
    if members.len() == 1 && toks[s].flags & STATE != 0 {
        return None;
    }

    let known: Vec<usize> = members.iter().copied().filter(|&k| is_name(toks[k].flags)).collect();
    let strong_count = members.iter().filter(|&&k| strong(toks[k].flags)).count();
    let strong_first = members.iter().any(|&k| strong(toks[k].flags) && toks[k].flags & FIRST != 0);
    let initials = members.iter().filter(|&&k| toks[k].shape == Shape::Initial).count();
    let words = members.len() - initials;
    // In all-lower-case text, capitals prove nothing anywhere: score every run as if it began
    // a sentence.
    let sentence_start = chunk.sentence_start(s) || chunk.lower_case;
    let mut evidence = 0u32;
    let (mut boost, mut staff) = context(chunk, s, e, &mut evidence);
    if words == 0 {
        return None;
    }

    // "from Millbrook": a lone surname after a place preposition is more likely a town.
    let after_place_prep = s > 0 && toks[s - 1].flags & lexicon::PLACE_PREP != 0 && single_space(chunk.gap_before(s));
    if words == 1 && !strong_first && after_place_prep {
        boost -= 0.2;
    }
    let mut conf: f32 = if words >= 2 {
        if strong_count >= 1 {
            0.85
        } else if known.len() == words {
            // Every word is also an English word ("Rose Young", "Real Person"): evidence decides.
            if sentence_start || chunk.all_caps {
                0.3
            } else {
                0.45
            }
        } else if !known.is_empty() {
            0.3
        } else {
            0.0
        }
    } else if initials > 0 && !known.is_empty() {
        // "J. Smith"
        if strong_count > 0 {
            0.85
        } else {
            0.6
        }
    } else if strong_first {
        if sentence_start {
            0.6
        } else {
            0.7
        }
    } else if strong_count > 0 {
        if sentence_start {
            0.45
        } else {
            0.55
        }
    } else if !known.is_empty() {
        0.2
    } else {
        0.0
    };
    // A capitalised word that no list knows is a name only with strong evidence ("Mr. Grimes")
    // or a sure neighbour in a list (see `coordinate`).
    if known.is_empty() {
        conf = if boost >= 0.3 { 0.35 } else { 0.0 };
        if boost < 0.3 {
            return Some((0.0, evidence));
        }
    }
    // Shouted words in mixed-case text are acronyms far more often than names.
    if !chunk.all_caps && members.iter().all(|&k| toks[k].shape == Shape::Upper) {
        conf -= 0.3;
    }
    if toks[s].shape == Shape::Lower && !chunk.lower_case {
        // In ordinary text a lower-case name counts only after a role word ("my daughter emma").
        conf = 0.6;
    }
    if staff {
        evidence |= EVIDENCE_STAFF;
        boost = boost.max(0.2);
    }
    staff = false;
    let _ = staff;
    let c = (conf + boost).min(1.0);
    (c > 0.0).then_some((c, evidence))
}

/// Returns the evidence around the run `s..=e`: a confidence boost and whether the person is
/// staff; sets `EVIDENCE_PATIENT` in `evidence` for patient and family roles.
fn context(chunk: &Chunk, s: usize, e: usize, evidence: &mut u32) -> (f32, bool) {
    let toks = chunk.tokens;
    let mut boost: f32 = 0.0;
    let mut staff = false;
    let before = chunk.gap_before(s);
    let same_clause = |gap: &[u8]| !gap.iter().any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b';'));
    if s > 0 {
        let p = toks[s - 1];
        let pw = lower(chunk, s - 1);
        if p.flags & TITLE != 0 && (single_space(before) || before == b". ") {
            boost = 0.4;
        }
        if p.flags & STAFF != 0 && (single_space(before) || before == b". ") {
            boost = 0.4;
            staff = true;
        }
        if p.flags & STAFF_ROLE != 0 && single_space(before) {
            staff = true;
            boost = boost.max(0.2);
        }
        if p.flags & ROLE != 0 && same_clause(before) && before.len() <= 3 {
            boost = boost.max(0.35);
            *evidence |= EVIDENCE_PATIENT;
        }
        // "name is", "I'm", "I am", "by", "to", form labels ("Patient: Hope Lee").
        let label = before.contains(&b':');
        if label
            && (p.flags & ROLE != 0
                || matches!(
                    pw.as_slice(),
                    b"from"
                        | b"to"
                        | b"cc"
                        | b"attn"
                        | b"attention"
                        | b"signed"
                        | b"contact"
                        | b"insured"
                        | b"subscriber"
                        | b"guarantor"
                ))
        {
            boost = boost.max(0.4);
            *evidence |= EVIDENCE_PATIENT;
        }
        if single_space(before) {
            boost = boost.max(match pw.as_slice() {
                b"i'm" | b"im" | b"called" | b"named" | b"says" | b"said" | b"asks" | b"asked" | b"told" | b"tells"
                | b"wrote" | b"writes" | b"starring" | b"featuring" | b"feat" | b"dear" | b"hi" | b"hello" | b"hey"
                | b"meet" | b"met" | b"congratulations" | b"congrats" | b"thank" | b"thanks" | b"married" => 0.35,
                b"by" | b"with" | b"and" | b"for" | b"to" | b"from" => 0.05,
                _ => 0.0,
            });
        }
        if s >= 2 && single_space(before) {
            let ppw = lower(chunk, s - 2);
            if matches!(
                (ppw.as_slice(), pw.as_slice()),
                (b"name", b"is")
                    | (b"i", b"am")
                    | (b"name", b"was")
                    | (b"this", b"is")
                    | (b"call", b"me")
                    | (b"it's", b"me")
            ) {
                boost = boost.max(0.35);
            }
        }
    }
    // A name alone on its line: a signature, a letter's greeting line, a list of names.
    let line_start = s == 0 || before.contains(&b'\n') || before.starts_with(b">");
    let after = chunk.gap_after(e);
    let line_end = e + 1 == toks.len() || after.contains(&b'\n');
    if line_start && line_end && e - s <= 3 {
        boost = boost.max(0.3);
    }
    // A vocative: "Don't go to town, Heather!", "Stay strong, Hope."
    if before == b", " && (e + 1 == toks.len() || after.first().is_some_and(|b| matches!(b, b'!' | b'?' | b'.'))) {
        boost = boost.max(0.3);
    }
    // Possessive: "Hope's surgery".
    let w = chunk.word(e);
    if w.ends_with(b"'s") || w.ends_with("’s".as_bytes()) {
        boost = boost.max(0.25);
    }
    // ", 34," or " (34)": an age appositive.
    let age = |next: usize| {
        next < toks.len()
            && toks[next].shape == Shape::Other
            && chunk.word(next).len() <= 3
            && chunk.word(next).iter().all(u8::is_ascii_digit)
    };
    // "(34)" is an age only when the bracket closes on it: "(330) 555-0119" is a phone.
    let bracketed_age = after == b" ("
        && e + 1 < toks.len()
        && chunk.gap_after(e + 1).starts_with(b")")
        && !(e + 2 < toks.len() && chunk.word(e + 2)[0].is_ascii_digit() && chunk.gap_after(e + 1).len() <= 2);
    if (after == b", " || bracketed_age) && age(e + 1) {
        boost = boost.max(0.35);
        *evidence |= EVIDENCE_PATIENT;
    }
    // ", MD", ", RN", " MD": credentials after a name.
    if e + 1 < toks.len()
        && (after == b", " || single_space(after))
        && toks[e + 1].flags & STAFF != 0
        && toks[e + 1].shape == Shape::Upper
    {
        staff = true;
        boost = boost.max(0.35);
    }
    // ", chief of cardiology", ", our oncologist": a staff role right after the name.
    if after == b", " {
        let limit = (e + 4).min(toks.len());
        if (e + 1..limit).any(|k| toks[k].flags & STAFF_ROLE != 0) {
            staff = true;
        }
    }
    (boost, staff)
}

#[cfg(test)]
mod tests {
    use crate::engine::Engine;

    fn names(text: &str) -> Vec<(String, f32, u32)> {
        let rules = crate::rules::builtin::rules().unwrap();
        let engine = Engine::new(rules).unwrap();
        let idx = engine.rules().iter().position(|r| r.id == "person-name").unwrap();
        engine
            .find(text.as_bytes())
            .into_iter()
            .filter(|c| c.rule == idx && c.confidence >= 0.5)
            .map(|c| (text[c.start..c.end].to_string(), c.confidence, c.evidence))
            .collect()
    }

    fn found(text: &str) -> Vec<String> {
        names(text).into_iter().map(|n| n.0).collect()
    }

    #[test]
    fn finds_people_with_and_without_dictionaries() {
        assert_eq!(found("Rose Young, 72, from Millbrook, is recovering."), ["Rose Young"]);
        assert_eq!(found("Prayers for Tobin, 9, from Quillton."), ["Tobin"]);
        assert_eq!(found("What's your name? Allen Akhtakhanov"), ["Allen Akhtakhanov"]);
        assert_eq!(found("Thanks to Mr. Grimes for the flowers."), ["Mr. Grimes"]);
        assert_eq!(found("It is under Donald van der Voet now."), ["Donald van der Voet"]);
        assert_eq!(found("Ask J. Smith."), ["J. Smith"]);
    }

    #[test]
    fn ambiguous_words_need_evidence() {
        assert!(found("Will you hope for grace? May is warm.").is_empty());
        assert_eq!(found("Our patient Hope was discharged."), ["Hope"]);
        assert_eq!(found("Mrs. Grace Brown called."), ["Mrs. Grace Brown"]);
    }

    #[test]
    fn eponyms_and_organisations_are_not_people() {
        assert!(found("Living with Parkinson's disease and Down syndrome.").is_empty());
        assert!(found("A grant from Johnson & Johnson.").is_empty());
        assert!(found("Admitted to Maple Hollow Regional Hospital.").is_empty());
    }

    #[test]
    fn clinicians_are_marked_as_staff() {
        let n = names("Congratulations to Dr. Anneliese Varga-Holm on the award.");
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].0, "Dr. Anneliese Varga-Holm");
        assert!(n[0].2 & super::EVIDENCE_STAFF != 0);
    }
}
