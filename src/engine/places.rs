//! Places smaller than a state: US cities, towns and counties, and towns no list knows.
//!
//! A dictionary place counts by itself only when it is not also a word or a person's name
//! ("Elk City" yes; "Mobile", "Austin" need evidence). Evidence is a preposition before it
//! ("from Wexbury"), or a state after it ("Wexbury, OH"). A capitalised word no list knows is a
//! place when it sits between such cues ("from Quillton,"), which is how made-up and small towns
//! are found.

use super::detectors::{single_space, Chunk};
use super::lexicon::{
    self, Shape, AMBIGUOUS_PLACE, CLIN_ABBR, COMMON_SURNAME, DIAGNOSIS, ENGLISH, FIRST, MEDICATION, NOT_NAME, ORG,
    PLACE, PLACE_PREP, PROCEDURE, ROLE, STAFF, STATE, SURNAME, TITLE,
};
use super::Candidate;

/// Appends place candidates of `chunk` to `out`.
pub fn find(chunk: &Chunk, rule: usize, out: &mut Vec<Candidate>, scratch: &mut Vec<u8>) {
    let toks = chunk.tokens;
    let mut i = 0;
    while i < toks.len() {
        if !chunk.capitalized(i) {
            if let Some(end) = lower_case_place(chunk, i, scratch) {
                out.push(Candidate { rule, start: toks[i].start, end: toks[end].end, confidence: 0.8, evidence: 0 });
                i = end + 1;
            } else {
                i += 1;
            }
            continue;
        }
        // A known place: the longest phrase whose words are all capitalised.
        if let Some((end, flags)) = lexicon::longest_phrase(chunk.lex, chunk.text, toks, i, PLACE, scratch) {
            if (i..=end).all(|k| chunk.capitalized(k)) {
                let mut conf: f32 = if flags & AMBIGUOUS_PLACE != 0 { 0.2 } else { 0.5 };
                if end == i && toks[i].flags & (FIRST | SURNAME) != 0 {
                    conf = 0.3;
                }
                if end == i && toks[i].flags & (ORG | STATE | NOT_NAME) != 0 {
                    conf = 0.1;
                }
                conf += evidence(chunk, i, end);
                if followed_by_org(chunk, end) {
                    conf = 0.0;
                }
                if conf > 0.0 {
                    out.push(Candidate {
                        rule,
                        start: toks[i].start,
                        end: toks[end].end,
                        confidence: conf.min(0.95),
                        evidence: 0,
                    });
                }
                i = end + 1;
                continue;
            }
        }
        // An unknown town before a state: "Wexbury, OH".
        if unknown_word(chunk, i) && state_after(chunk, i) {
            out.push(Candidate { rule, start: toks[i].start, end: toks[i].end, confidence: 0.8, evidence: 0 });
            i += 1;
            continue;
        }
        // An unknown town between cues: "from Quillton,", "in Wexbury, OH", "from Port
        // Quillton", "of Tamsey Ridge".
        if i > 0 && toks[i - 1].flags & PLACE_PREP != 0 && single_space(chunk.gap_before(i)) && town_start(chunk, i) {
            let mut end = i;
            while end + 1 < toks.len()
                && end - i < 2
                && single_space(chunk.gap_after(end))
                && (unknown_word(chunk, end + 1) || end == i && town_suffix(chunk, end + 1))
            {
                end += 1;
            }
            let state = state_after(chunk, end);
            let after = chunk.gap_after(end);
            let clause_end = end + 1 == toks.len()
                || after.first().is_some_and(|b| matches!(b, b',' | b'.' | b'!' | b'?' | b';' | b'\n'));
            // "from Quillton is", "home in Wexbury with": a lower-case word after the town ends
            // the name as surely as a comma (a capitalised one may continue an organisation's).
            let word_after = single_space(after)
                && (toks[end + 1].shape == Shape::Lower || chunk.upper(end + 1) && toks[end + 1].flags & ENGLISH != 0);
            let prep = lower(chunk, i - 1);
            // A town needs a word no list knows, or a town word around one ("Port", "Ridge").
            let townish = (i..=end).any(|k| unknown_word(chunk, k)) || end > i;
            let conf: f32 = if !townish {
                0.0
            } else if state {
                0.85
            } else if (clause_end || word_after)
                && match prep.as_slice() {
                    b"from" | b"near" | b"outside" => true,
                    // "back home in Tamsfold with"
                    b"in" => lives_before_in(chunk, i - 1),
                    // "Ottilie Brannagh of Wexbury," / "Lucan Forsythe, 91, of Port Tamsey,"
                    b"of" => person_before_of(chunk, i - 1),
                    _ => false,
                }
            {
                0.6
            } else {
                0.0
            };
            if conf > 0.0 && !followed_by_org(chunk, end) {
                out.push(Candidate { rule, start: toks[i].start, end: toks[end].end, confidence: conf, evidence: 0 });
                i = end + 1;
                continue;
            }
        }
        i += 1;
    }
}

/// Whether the "of" at token `of` follows a person: a full name, given name then family name
/// ("Ottilie Brannagh of", not "University of" or "Director of"), or an age between commas
/// ("Brightwater, 91, of").
fn person_before_of(chunk: &Chunk, of: usize) -> bool {
    let toks = chunk.tokens;
    if of == 0 || !single_space(chunk.gap_before(of)) && chunk.gap_before(of) != b", " {
        return false;
    }
    let p = of - 1;
    let w = chunk.word(p);
    let age = chunk.gap_before(of) == b", "
        && (1..=3).contains(&w.len())
        && w.iter().all(u8::is_ascii_digit)
        && p > 0
        && chunk.gap_before(p) == b", ";
    let name_word = |k: usize, flag: u32| {
        toks[k].shape == Shape::Capitalized
            && toks[k].flags & flag != 0
            && toks[k].flags & (ORG | NOT_NAME | STATE) == 0
    };
    let name = single_space(chunk.gap_before(of))
        && p > 0
        && single_space(chunk.gap_before(p))
        && name_word(p, FIRST | SURNAME)
        && name_word(p - 1, FIRST);
    age || name
}

fn lower(chunk: &Chunk, i: usize) -> Vec<u8> {
    let mut v = Vec::new();
    lexicon::lower_into(chunk.word(i), &mut v);
    v
}

/// Words that start a town's name ("Port Tamsey", "Mount Quill").
const TOWN_PREFIX: &[&[u8]] =
    &[b"port", b"fort", b"mount", b"lake", b"glen", b"cape", b"new", b"north", b"south", b"east", b"west"];
/// Words that end a town's name ("Tamsey Ridge", "Quill Falls").
const TOWN_SUFFIX: &[&[u8]] = &[
    b"point",
    b"ridge",
    b"falls",
    b"creek",
    b"springs",
    b"harbor",
    b"harbour",
    b"landing",
    b"heights",
    b"hollow",
    b"valley",
    b"ford",
    b"crossing",
    b"junction",
    b"mills",
    b"flats",
    b"bluffs",
    b"cove",
    b"haven",
];

/// Whether token `i` can start an unknown town's name: a word no list claims, or a capitalised
/// town word or word followed by a town-ending word ("Port Quillton", "Kestrelby Ridge").
fn town_start(chunk: &Chunk, i: usize) -> bool {
    let toks = chunk.tokens;
    if unknown_word(chunk, i) {
        return true;
    }
    let next_joined = i + 1 < toks.len() && single_space(chunk.gap_after(i));
    chunk.capitalized(i)
        && next_joined
        && (chunk.word_in(i, TOWN_PREFIX) && unknown_word(chunk, i + 1)
            || toks[i].flags & (FIRST | NOT_NAME | ORG | STATE) == 0 && town_suffix(chunk, i + 1))
}

/// Whether token `i` is a capitalised town-ending word.
fn town_suffix(chunk: &Chunk, i: usize) -> bool {
    chunk.capitalized(i) && chunk.word_in(i, TOWN_SUFFIX)
}

/// Whether the "in" at token `inn` follows a word of living somewhere ("lives in", "home in",
/// "born in"): then what follows is a place rather than a product or an event.
fn lives_before_in(chunk: &Chunk, inn: usize) -> bool {
    inn > 0
        && single_space(chunk.gap_before(inn))
        && chunk.word_in(
            inn - 1,
            &[b"lives", b"live", b"living", b"lived", b"home", b"born", b"raised", b"resident", b"resides"],
        )
}

/// Whether token `i` is a capitalised word that no list claims (a candidate town name). In a
/// block written in capitals every word is capitalised, so there it must also be no English
/// word, abbreviation or role, and four letters or more ("FROM FENWOLD", not "FROM SNF").
fn unknown_word(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    let unclaimed = t.flags & (FIRST | SURNAME | NOT_NAME | ORG | STATE | DIAGNOSIS | MEDICATION | PROCEDURE) == 0;
    let len = chunk.word(i).len();
    match t.shape {
        Shape::Capitalized => unclaimed && len >= 3,
        Shape::Upper if chunk.upper(i) => {
            unclaimed
                && len >= 4
                && t.flags & (ENGLISH | CLIN_ABBR | STAFF | ROLE | TITLE) == 0
                && chunk.word(i).iter().all(|b| b.is_ascii_alphabetic() || *b == b'-')
        }
        _ => false,
    }
}

/// Whether a US state (name or capitalised postal code) follows token `end` after a comma.
fn state_after(chunk: &Chunk, end: usize) -> bool {
    let toks = chunk.tokens;
    end + 1 < toks.len()
        && chunk.gap_after(end) == b", "
        && toks[end + 1].flags & STATE != 0
        && toks[end + 1].flags & STAFF == 0
        && matches!(toks[end + 1].shape, Shape::Upper | Shape::Capitalized)
}

/// Returns the end of a known place written in a block of lower case (a note typed without
/// capitals: "son lives in westborough"), where capitals cannot tell it from a word: only after
/// a place preposition, only a place no list holds as an English word, a given name, a common
/// family name or a state, and
/// not the start of an organisation's name.
fn lower_case_place(chunk: &Chunk, i: usize, scratch: &mut Vec<u8>) -> Option<usize> {
    let toks = chunk.tokens;
    if !chunk.lower(i)
        || toks[i].shape != Shape::Lower
        || i == 0
        || toks[i - 1].flags & PLACE_PREP == 0
        || !single_space(chunk.gap_before(i))
    {
        return None;
    }
    let (end, flags) = lexicon::longest_phrase(chunk.lex, chunk.text, toks, i, PLACE, scratch)?;
    let plain = |k: usize| {
        toks[k].shape == Shape::Lower
            && toks[k].flags
                & (ENGLISH | FIRST | COMMON_SURNAME | NOT_NAME | ORG | STATE | DIAGNOSIS | MEDICATION | PROCEDURE)
                == 0
    };
    let wordlike = end == i && !plain(i) || (i..=end).any(|k| toks[k].shape != Shape::Lower);
    if flags & AMBIGUOUS_PLACE != 0 || wordlike || end == i && toks[i].end - toks[i].start < 4 {
        return None;
    }
    // A phrase of several words ("san diego") may hold a word; its first must not be one alone.
    if end > i && toks[i].flags & (NOT_NAME | ORG) != 0 {
        return None;
    }
    let next_org = end + 1 < toks.len() && single_space(chunk.gap_after(end)) && toks[end + 1].flags & ORG != 0;
    (!next_org).then_some(end)
}

/// Whether the place is the start of an organisation's name ("Elk City Hospital").
fn followed_by_org(chunk: &Chunk, end: usize) -> bool {
    let toks = chunk.tokens;
    end + 1 < toks.len()
        && single_space(chunk.gap_after(end))
        && toks[end + 1].flags & ORG != 0
        && chunk.capitalized(end + 1)
}

/// Returns the confidence a place gains from its neighbours.
fn evidence(chunk: &Chunk, s: usize, e: usize) -> f32 {
    let toks = chunk.tokens;
    let mut boost: f32 = 0.0;
    if s > 0 && toks[s - 1].flags & PLACE_PREP != 0 && single_space(chunk.gap_before(s)) {
        boost += 0.3;
    }
    if state_after(chunk, e) {
        boost += 0.4;
    }
    boost
}

#[cfg(test)]
mod tests {
    fn places(text: &str) -> Vec<String> {
        crate::engine::testing::spans_of("location", text, 0.5)
    }

    #[test]
    fn towns_in_a_lower_case_note_need_a_preposition() {
        assert_eq!(places("son called from sacramento, will visit sat."), ["sacramento"]);
        assert_eq!(places("dtr flying in from san antonio tonight."), ["san antonio"]);
        assert!(places("pt walked in hall, back to bed. plan to go home in am.").is_empty());
        assert!(places("sacramento is far away").is_empty());
    }

    #[test]
    fn known_and_unknown_towns_in_ordinary_text() {
        assert_eq!(places("She drove in from Sacramento on Friday."), ["Sacramento"]);
        assert_eq!(places("Greetings from Quillton, where it rains."), ["Quillton"]);
    }

    #[test]
    fn towns_by_their_shape_and_cue() {
        assert_eq!(places("She drove in from Port Quillton to see him."), ["Port Quillton"]);
        assert_eq!(places("A driver from Brackwyn is in fair condition."), ["Brackwyn"]);
        assert_eq!(places("He is back home in Tamsfold with his wife."), ["Tamsfold"]);
        assert!(places("Results come in Zenchart within a day.").is_empty());
        assert!(places("A grant from Harlow Ridge Foundation helped.").is_empty());
        // In capitals: a word no list holds, or a town word around one.
        assert_eq!(places("A DRIVER FROM BRACKWYN IS IN FAIR CONDITION."), ["BRACKWYN"]);
        assert_eq!(places("SHE DROVE IN FROM TAMSEY RIDGE TO SEE HIM."), ["TAMSEY RIDGE"]);
        assert!(places("TRANSFERRED FROM OSH TO SNF, FROM HOME WITH WIFE.").is_empty());
        assert!(places("HEARD FROM PT'S DAUGHTER TODAY.").is_empty());
    }
}
