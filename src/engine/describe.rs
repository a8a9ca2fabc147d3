//! Unique descriptions: words that single out one person without naming them.
//!
//! A post need not name a patient to identify them. "The only woman firefighter in Tolland
//! County", "the goalkeeper of the Harbor City Otters" or "the host of Channel 9's morning show"
//! each fit one person, and tied to a health fact they disclose as much as a name. Three shapes
//! are recognised, each anchored on a person noun and a proper name that makes it unique:
//! - a superlative: "the only/first/youngest/oldest/last", up to three words, a person noun,
//!   a tie word (in, of, on, at, from, for, to) and a proper name or a scope word ("the first
//!   patient in the state");
//! - a public role of a proper name: "host of Channel 9", "principal violist of the Bay
//!   Symphony";
//! - a proper name's public role: "Harbor City Otters starting goalkeeper".
//!
//! Person nouns are a curated list of people and public roles, plus lower-case words ending like
//! agent nouns (-er, -or, -ist, -ian, -man) that are not things ("center", "cancer"). Clinicians are
//! staff, not descriptions of a patient. Reported as `other-id`, so the linker weighs them as it
//! weighs a handle.

use super::detectors::Chunk;
use super::lexicon::{Shape, CLIN_ABBR, ENGLISH, FUNCTION, PLACE, STAFF, STAFF_ROLE};
use super::Candidate;
use crate::text::segment::Casing;

/// The id of the rule whose detector this is.
pub const RULE: &str = "unique-description";

/// Words that make a description fit one person.
const FIRSTS: &[&[u8]] = &[b"only", b"first", b"youngest", b"oldest", b"last", b"sole"];
/// Words for a person.
const PERSON_WORDS: &[&[u8]] = &[
    b"patient",
    b"woman",
    b"man",
    b"girl",
    b"boy",
    b"person",
    b"child",
    b"kid",
    b"teen",
    b"baby",
    b"resident",
    b"student",
    b"athlete",
    b"mother",
    b"mom",
    b"father",
    b"dad",
    b"veteran",
    b"survivor",
    b"recipient",
    b"graduate",
    b"grandmother",
    b"grandfather",
    b"twin",
    b"triplet",
    b"daughter",
    b"son",
    b"employee",
    b"officer",
    b"soldier",
];
/// Roles in public life that, tied to a proper name, fit one person.
const PUBLIC_ROLES: &[&[u8]] = &[
    b"host",
    b"cohost",
    b"co-host",
    b"anchor",
    b"anchorman",
    b"anchorwoman",
    b"weatherman",
    b"meteorologist",
    b"columnist",
    b"captain",
    b"coach",
    b"mayor",
    b"pastor",
    b"priest",
    b"rabbi",
    b"imam",
    b"bishop",
    b"reverend",
    b"principal",
    b"headmaster",
    b"headmistress",
    b"superintendent",
    b"sheriff",
    b"judge",
    b"senator",
    b"councilman",
    b"councilwoman",
    b"councilmember",
    b"alderman",
    b"conductor",
    b"cellist",
    b"violinist",
    b"violist",
    b"pianist",
    b"organist",
    b"guitarist",
    b"bassist",
    b"drummer",
    b"trumpeter",
    b"soloist",
    b"singer",
    b"frontman",
    b"frontwoman",
    b"quarterback",
    b"goalie",
    b"goalkeeper",
    b"pitcher",
    b"catcher",
    b"shortstop",
    b"linebacker",
    b"striker",
    b"midfielder",
    b"defenseman",
    b"jockey",
    b"owner",
    b"valedictorian",
    b"salutatorian",
];
/// Clergy: "Lutheran pastor" names a faith, not a congregation; only "pastor of X" is one person.
const CLERGY: &[&[u8]] = &[b"pastor", b"priest", b"rabbi", b"imam", b"bishop", b"reverend"];
/// Words that may stand before a public role ("starting goalie", "principal cellist").
const ROLE_MODIFIERS: &[&[u8]] = &[
    b"starting",
    b"head",
    b"assistant",
    b"lead",
    b"principal",
    b"former",
    b"longtime",
    b"beloved",
    b"star",
    b"team",
    b"backup",
    b"associate",
    b"senior",
    b"junior",
    b"chief",
];
/// Prepositions that tie a description to what makes it unique.
const TIES: &[&[u8]] = &[b"in", b"of", b"on", b"at", b"from", b"for", b"to"];
/// Scope words that make a superlative unique without a proper name ("the first in the state").
const SCOPES: &[&[u8]] = &[
    b"state",
    b"county",
    b"country",
    b"city",
    b"town",
    b"region",
    b"nation",
    b"world",
    b"history",
    b"league",
    b"district",
    b"tribe",
    b"village",
    b"parish",
];
/// Words ending like agent nouns that name things, not people.
const NOT_PEOPLE: &[&[u8]] = &[
    b"center",
    b"centre",
    b"cancer",
    b"provider",
    b"computer",
    b"shelter",
    b"theater",
    b"theatre",
    b"chapter",
    b"quarter",
    b"corner",
    b"number",
    b"order",
    b"floor",
    b"door",
    b"corridor",
    b"color",
    b"colour",
    b"monitor",
    b"motor",
    b"counter",
    b"register",
    b"sector",
    b"factor",
    b"river",
    b"tower",
    b"water",
    b"weather",
    b"letter",
    b"paper",
    b"daughter",
    b"chamber",
    b"trailer",
    b"ventilator",
    b"generator",
    b"calendar",
    b"border",
    b"harbor",
    b"harbour",
    b"cluster",
    b"charter",
    b"poster",
    b"elevator",
    b"indicator",
    b"incubator",
    b"operator",
    b"scooter",
    b"semester",
    b"trimester",
    b"winter",
    b"summer",
    b"quarterfinal",
    b"disorder",
    b"tumor",
    b"tumour",
    b"error",
    b"humor",
    b"dinner",
    b"banner",
    b"program",
    b"transplant",
    b"ambulance",
    b"german",
    b"roman",
    b"human",
];

/// Appends unique descriptions of `chunk` to `out`.
pub fn find(chunk: &Chunk, rule: usize, out: &mut Vec<Candidate>) {
    let toks = chunk.tokens;
    let mut i = 0;
    while i < toks.len() {
        let found = superlative(chunk, i).or_else(|| role_of(chunk, i)).or_else(|| named_role(chunk, i));
        if let Some((first, last)) = found {
            out.push(Candidate { rule, start: toks[first].start, end: toks[last].end, confidence: 0.7, evidence: 0 });
            i = last + 1;
        } else {
            i += 1;
        }
    }
}

/// Whether token `i` is a clinician's title or role (staff are not the patient described).
fn staff(chunk: &Chunk, i: usize) -> bool {
    chunk.tokens[i].flags & (STAFF | STAFF_ROLE) != 0
}

/// Whether token `i` names a person: a person word, a public role, or a lower-case agent noun.
pub(crate) fn person_noun(chunk: &Chunk, i: usize) -> bool {
    if staff(chunk, i) || chunk.word_in(i, NOT_PEOPLE) {
        return false;
    }
    if chunk.word_in(i, PERSON_WORDS) || chunk.word_in(i, PUBLIC_ROLES) {
        return true;
    }
    let w = chunk.word(i);
    let plain = chunk.tokens[i].shape == Shape::Lower || chunk.upper(i) && chunk.tokens[i].shape == Shape::Upper;
    plain
        && w.len() >= 6
        && [&b"er"[..], b"or", b"ist", b"ian", b"man"]
            .iter()
            .any(|s| w.len() > s.len() && w[w.len() - s.len()..].eq_ignore_ascii_case(s))
}

/// Whether token `i` can be part of a proper name: capitalised, or a number inside one
/// ("Channel 9"). In a block written all in capitals or all in lower case, where the shape
/// proves nothing, a place name or a word no English list holds ("GREYMOOR COUNTY",
/// "channel 9" does not count: "channel" is a word).
fn proper(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    if chunk.casing[i] != Casing::Mixed {
        let name_like = |k: usize| {
            let f = chunk.tokens[k].flags;
            let w = chunk.word(k);
            f & FUNCTION == 0
                && (f & PLACE != 0 || f & (ENGLISH | STAFF | STAFF_ROLE | CLIN_ABBR) == 0)
                && w.len() >= 3
                && w.iter().all(|b| b.is_ascii_alphabetic() || *b == b'\'' || *b == b'-')
        };
        return match t.shape {
            Shape::Other => i > 0 && chunk.joined(i - 1) && name_like(i - 1),
            _ => name_like(i),
        };
    }
    match t.shape {
        Shape::Capitalized | Shape::Upper => true,
        Shape::Other => i > 0 && chunk.tokens[i - 1].shape == Shape::Capitalized && chunk.joined(i - 1),
        _ => false,
    }
}

/// Returns the last token of a proper name starting at `i` (possessives end it).
fn proper_run(chunk: &Chunk, i: usize) -> Option<usize> {
    if i >= chunk.tokens.len() || !proper(chunk, i) || chunk.tokens[i].shape == Shape::Other {
        return None;
    }
    let mut end = i;
    while chunk.joined(end) && proper(chunk, end + 1) && !chunk.word(end).ends_with(b"'s") {
        end += 1;
    }
    Some(end)
}

/// Returns the end of what follows a tie word at `i`: a proper name, or "the/our" + a scope.
fn unique_scope(chunk: &Chunk, i: usize, allow_scope: bool) -> Option<usize> {
    let n = chunk.tokens.len();
    let mut k = i;
    if k < n && chunk.word_in(k, &[b"the"]) && chunk.joined(k) {
        k += 1;
    }
    if let Some(end) = proper_run(chunk, k) {
        return Some(end);
    }
    if allow_scope && k < n && chunk.word_in(k, &[b"the", b"our", b"this", b"their"]) && chunk.joined(k) {
        k += 1;
    }
    (allow_scope && k < n && chunk.word_in(k, SCOPES)).then_some(k)
}

/// "the only woman firefighter in Tolland County", "the first patient in the state".
fn superlative(chunk: &Chunk, i: usize) -> Option<(usize, usize)> {
    if !chunk.word_in(i, &[b"the"]) || !chunk.joined(i) || !chunk.word_in(i + 1, FIRSTS) {
        return None;
    }
    let mut k = i + 1;
    for _ in 0..4 {
        if !chunk.joined(k) {
            return None;
        }
        k += 1;
        if person_noun(chunk, k) && chunk.joined(k) && chunk.word_in(k + 1, TIES) && chunk.joined(k + 1) {
            return unique_scope(chunk, k + 2, true).map(|end| (i, end));
        }
        if chunk.word_in(k, TIES) || staff(chunk, k) {
            return None;
        }
    }
    None
}

/// "host of Channel 9", "principal violist of the Bay Symphony".
fn role_of(chunk: &Chunk, i: usize) -> Option<(usize, usize)> {
    // The tie word first: three comparisons rule out almost every token.
    if !chunk.joined(i) || !chunk.word_in(i + 1, &[b"of", b"for", b"at"]) || !chunk.word_in(i, PUBLIC_ROLES) {
        return None;
    }
    if !chunk.joined(i + 1) {
        return None;
    }
    let end = unique_scope(chunk, i + 2, false)?;
    let mut first = i;
    while first > 0 && chunk.joined(first - 1) && chunk.word_in(first - 1, ROLE_MODIFIERS) {
        first -= 1;
    }
    Some((first, end))
}

/// "Harbor City Otters starting goalkeeper": a proper name, optional modifiers, a public role.
fn named_role(chunk: &Chunk, i: usize) -> Option<(usize, usize)> {
    // Only where capitals mark the proper name: in one case, any words before a role would do.
    if chunk.casing[i] != Casing::Mixed {
        return None;
    }
    let end = proper_run(chunk, i)?;
    // A lone capitalised word at a sentence start ("Coach", "Our") is no proper name.
    if end == i && chunk.sentence_start(i) {
        return None;
    }
    let mut k = end;
    for _ in 0..3 {
        if !chunk.joined(k) {
            return None;
        }
        k += 1;
        if chunk.tokens[k].shape == Shape::Lower && chunk.word_in(k, PUBLIC_ROLES) && !chunk.word_in(k, CLERGY) {
            // "Mayor", "Captain" before a name are titles; a role after the proper name is one.
            let plural_next = chunk.joined(k) && proper(chunk, k + 1);
            return (!plural_next && !staff(chunk, end)).then_some((i, k));
        }
        if !chunk.word_in(k, ROLE_MODIFIERS) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    fn found(text: &str) -> Vec<String> {
        crate::engine::testing::spans_of(super::RULE, text, 0.0)
    }

    #[test]
    fn superlatives_with_a_scope() {
        assert_eq!(
            found("We treated the only woman firefighter in Tolland County."),
            ["the only woman firefighter in Tolland County"]
        );
        assert_eq!(
            found("She became the first patient in the state to get the implant."),
            ["the first patient in the state"]
        );
        assert_eq!(
            found("He is the oldest swimmer on the Quarry Lake team."),
            ["the oldest swimmer on the Quarry Lake"]
        );
    }

    #[test]
    fn descriptions_in_capitals_and_in_lower_case() {
        // Where capitals prove nothing, a place name or a word no English list holds is proper.
        assert_eq!(
            found("THE YOUNGEST BEEKEEPER IN MARLSTOW PARISH BROKE HIS ARM."),
            ["THE YOUNGEST BEEKEEPER IN MARLSTOW PARISH"]
        );
        assert_eq!(
            found("our patient, principal violist of the quellmoor symphony, is home."),
            ["principal violist of the quellmoor"]
        );
        assert!(found("the only patient in the room today").is_empty());
        assert!(found("THE FIRST NURSE ON THE UNIT").is_empty());
        assert!(found("the host of the party brought cake").is_empty());
    }

    #[test]
    fn public_roles_of_a_proper_name() {
        assert_eq!(found("the longtime host of Channel 9 came in with chest pain"), ["longtime host of Channel 9"]);
        assert_eq!(
            found("Our patient, principal violist of the Bay Symphony, is home."),
            ["principal violist of the Bay Symphony"]
        );
        assert_eq!(
            found("a certain Harbor City Otters starting goalkeeper broke his wrist"),
            ["Harbor City Otters starting goalkeeper"]
        );
    }

    #[test]
    fn things_staff_and_plain_roles_are_not_descriptions() {
        assert!(found("We are the only trauma center in Tolland County.").is_empty());
        assert!(found("the first oncologist in Tolland County to offer it").is_empty());
        assert!(found("Thanks to our host and the coach of the year.").is_empty());
        assert!(found("Coach Rivera of the Otters led the walk.").is_empty());
        assert!(found("THE ONLY WOMAN FIREFIGHTER IN THE BUILDING").is_empty());
        assert!(found("A Methodist pastor led the vigil.").is_empty());
    }
}
