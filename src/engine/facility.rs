//! Facilities named in notes written all in capitals or all in lower case.
//!
//! The `facility` pattern rule finds "Brindlewood Children's Hospital" by its capitals. A note
//! typed in one case ("FROM MEADOWLARK NURSING HOME", "last egd at pellham medical center") has
//! none to go by, so this detector anchors on the facility word itself (hospital, clinic,
//! hospice, manor; medical center, nursing home, assisted living …) and takes up to three words
//! before it as the facility's own name. A word is part of the name when it could be one: no
//! preposition, article, pronoun or possessive ("TO THE HOSPITAL", "pt's nursing home"), no
//! everyday word of the ten-thousand most common ("local hospital", "outside hospital"), no
//! clinical word ("cardiac rehab"), no number. Without such a word it is a generic facility and
//! nothing is reported. Mixed-case text is left to the pattern rule.
//!
//! Work is one pass over the chunk's tokens, a few comparisons per word.

use super::detectors::Chunk;
use super::lexicon::{Shape, CLIN_ABBR, DIAGNOSIS, ENG_10, FUNCTION, MEDICATION, PLACE_PREP, PROCEDURE, ROLE, STAFF};
use super::Candidate;
use crate::text::segment::Casing;

/// Facility words of one word.
const ONE: &[&[u8]] = &[b"hospital", b"clinic", b"hospice", b"infirmary", b"manor", b"sanitarium"];

/// Facility phrases of two words, the second word first (how they are matched, from the end).
const TWO: &[(&[u8], &[u8])] = &[
    (b"center", b"medical"),
    (b"center", b"health"),
    (b"center", b"care"),
    (b"center", b"cancer"),
    (b"center", b"dialysis"),
    (b"center", b"surgery"),
    (b"center", b"surgical"),
    (b"center", b"rehab"),
    (b"center", b"rehabilitation"),
    (b"center", b"nursing"),
    (b"centre", b"medical"),
    (b"home", b"nursing"),
    (b"home", b"care"),
    (b"living", b"assisted"),
    (b"living", b"senior"),
    (b"care", b"urgent"),
];

/// Appends facility candidates of `chunk` (its blocks in one case only) to `out`.
pub fn find(chunk: &Chunk, rule: usize, out: &mut Vec<Candidate>) {
    let toks = chunk.tokens;
    let mut last_end = 0;
    for i in 1..toks.len() {
        // Cheap first: the facility word, in a block written in one case.
        if chunk.casing[i] == Casing::Mixed
            || !chunk.word_in(i, ONE) && !TWO.iter().any(|(w, _)| chunk.word_in(i, &[w]))
        {
            continue;
        }
        let head = if chunk.word_in(i, ONE) {
            i
        } else {
            match TWO.iter().find(|(w, before)| chunk.word_in(i, &[w]) && chunk.word_in(i - 1, &[before])) {
                Some(_) if chunk.joined(i - 1) => i - 1,
                _ => continue,
            }
        };
        // "Regional", "Memorial", "Community" and "Children's" belong to the facility word.
        let mut first = head;
        while first > 0
            && chunk.joined(first - 1)
            && chunk.word_in(first - 1, &[b"regional", b"memorial", b"community", b"general", b"children's"])
        {
            first -= 1;
        }
        let mut start = first;
        while start > 0 && first - start < 3 && chunk.joined(start - 1) && name_word(chunk, start - 1) {
            start -= 1;
        }
        // "St. Columba's Manor": a saint's name before the words taken.
        if start >= 1 && start < first && chunk.word_in(start - 1, &[b"st", b"saint", b"mt", b"mount"]) {
            let gap = chunk.gap_after(start - 1);
            if gap == b". " || gap == b" " {
                start -= 1;
            }
        }
        if start == first || toks[start].start < last_end {
            continue;
        }
        out.push(Candidate { rule, start: toks[start].start, end: toks[i].end, confidence: 0.7, evidence: 0 });
        last_end = toks[i].end;
    }
}

/// Whether token `k` could be a word of a facility's own name (see the module doc).
fn name_word(chunk: &Chunk, k: usize) -> bool {
    let t = chunk.tokens[k];
    let cased = match chunk.casing[k] {
        Casing::Upper => t.shape == Shape::Upper,
        Casing::Lower => t.shape == Shape::Lower,
        Casing::Mixed => false,
    };
    let w = chunk.word(k);
    let possessive = w.ends_with(b"'s") || w.ends_with("\u{2019}s".as_bytes());
    let saint_possessive =
        possessive && k > 0 && chunk.word_in(k - 1, &[b"st", b"saint"]) && matches!(chunk.gap_before(k), b". " | b" ");
    cased
        && w.len() >= 3
        && (!possessive || saint_possessive)
        && t.flags & (ENG_10 | FUNCTION | PLACE_PREP | ROLE | STAFF | CLIN_ABBR | DIAGNOSIS | MEDICATION | PROCEDURE)
            == 0
}

#[cfg(test)]
mod tests {
    fn facilities(text: &str) -> Vec<String> {
        crate::engine::testing::spans_of("facility-one-case", text, 0.0)
    }

    #[test]
    fn named_facilities_in_capitals_and_lower_case() {
        assert_eq!(facilities("PT ADMITTED FROM BRAMBLEGATE NURSING HOME WITH FEVER."), ["BRAMBLEGATE NURSING HOME"]);
        assert_eq!(
            facilities("last scope at tillbury medical center, records requested."),
            ["tillbury medical center"]
        );
        assert_eq!(facilities("TRANSFERRED FROM QUARRYSIDE REGIONAL HOSPITAL, ME."), ["QUARRYSIDE REGIONAL HOSPITAL"]);
        assert_eq!(facilities("RESIDENT OF ST. ALDANE'S MANOR SINCE MARCH."), ["ST. ALDANE'S MANOR"]);
    }

    #[test]
    fn generic_facilities_are_not_names() {
        assert!(facilities("PT TRANSFERRED TO THE HOSPITAL FROM OUTSIDE HOSPITAL.").is_empty());
        assert!(facilities("dc to local nursing home vs home w/ vna. pt's nursing home aware.").is_empty());
        assert!(facilities("Admitted to Brindlewood Hospital.").is_empty(), "mixed case is the pattern rule's");
    }
}
