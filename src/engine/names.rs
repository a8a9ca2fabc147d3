//! People's names: candidate runs of name-like words, weighed by a fitted model.
//!
//! A name list alone finds "Will" in "Will you come?" and misses "Akhtakhanov"; capital letters
//! alone make "CLEAR YELLOW URINE" a person in an ALL-CAPS note. So the detector works in two
//! steps. It proposes candidate runs: in ordinary text, runs of capitalised words (with
//! initials and particles: "J. Smith", "van der Berg"); in a block written in capitals or in
//! lower case, where capitals prove nothing, runs of words that a name list knows or that no
//! English word list knows. Then it describes each run by general evidence (see [`FEATURES`]):
//! how common its words are as names and as English words, their shape, titles, patient,
//! family and role words, form labels, greetings and vocatives, speech verbs, ages,
//! possessives, neighbouring names and repeats elsewhere in the text; and evidence against:
//! clinical shorthand, place prepositions, house numbers, words of an organisation. A logistic
//! model fitted on labelled corpora by `scripts/train_names.py` (`rules/models/person-name.toml`)
//! turns that evidence into the candidate's confidence.
//!
//! A few facts are not weighed but decided: a run before an organisation word ("Grace
//! Hospital") or a disease word ("Parkinson disease"), joined by "&", a lone state or health
//! term, or a run after `@` or `#` is not a person. Names with clinician cues (Dr, MD, RN,
//! surgeon) are marked as staff: they are still names, but breach linking never takes a
//! clinician in a bio for a patient.

use super::detectors::{single_space, Chunk};
use super::lexicon::{
    self, Shape, BODY_PART, CARE_OBJECT, CARE_TARGET, CLIN_ABBR, COMMON_FIRST, COMMON_SURNAME, DIAGNOSIS, DISEASE_HEAD,
    ENGLISH, ENG_10, ENG_35, FIRST, MEDICATION, NOT_NAME, ORG, PARTICLE, PLACE, PLACE_PREP, ROLE, STAFF, STAFF_ROLE,
    STATE, SURNAME, TITLE,
};
use super::model::Model;
use super::Candidate;
use crate::text::segment::Casing;

/// Evidence bit on a name candidate: the person is a clinician or staff member.
pub const EVIDENCE_STAFF: u32 = 1;
/// Evidence bit: the name is given with a patient or family role word.
pub const EVIDENCE_PATIENT: u32 = 2;
/// Evidence bit: the name is given as a patient's ("our patient Ida", "Pt: Ida Moss").
pub const EVIDENCE_PATIENT_ROLE: u32 = 4;

/// Name words in a run at most (particles not counted).
const MAX_RUN: usize = 4;
/// Candidates below this probability (or the model's possible floor, when lower) are not
/// reported to scoring at all.
const EMIT_MIN: f32 = 0.2;

macro_rules! features {
    ($($id:ident = $name:literal,)*) => {
        #[allow(non_camel_case_types, clippy::upper_case_acronyms, clippy::enum_variant_names, dead_code)]
        #[derive(Clone, Copy, Debug)]
        enum F { $($id),* }
        /// The evidence a name candidate is described by; each may be active or not.
        pub const FEATURES: &[&str] = &[$($name),*];
    };
}

features! {
    N1 = "n1",
    N2 = "n2",
    N3 = "n3",
    INITIAL = "initial",
    COMMA_FORM = "comma-form",
    HYPHEN = "hyphen",
    TWO_STRONG = "two-strong",
    // Word classes: has-, first-, last- and all- variants follow in this order.
    HAS_CF = "has-common-first",
    HAS_F = "has-first",
    HAS_CS = "has-common-surname",
    HAS_S = "has-surname",
    HAS_NW10 = "has-name-word10",
    HAS_NW35 = "has-name-word35",
    HAS_NW50 = "has-name-word50",
    HAS_OOV = "has-unknown",
    HAS_W10 = "has-word10",
    HAS_W35 = "has-word35",
    HAS_W50 = "has-word50",
    HAS_ABBR = "has-abbr",
    HAS_SHORT = "has-short",
    FIRST_CF = "first-common-first",
    FIRST_F = "first-first",
    FIRST_CS = "first-common-surname",
    FIRST_S = "first-surname",
    FIRST_NW10 = "first-name-word10",
    FIRST_NW35 = "first-name-word35",
    FIRST_NW50 = "first-name-word50",
    FIRST_OOV = "first-unknown",
    FIRST_W10 = "first-word10",
    FIRST_W35 = "first-word35",
    FIRST_W50 = "first-word50",
    FIRST_ABBR = "first-abbr",
    FIRST_SHORT = "first-short",
    LAST_CF = "last-common-first",
    LAST_F = "last-first",
    LAST_CS = "last-common-surname",
    LAST_S = "last-surname",
    LAST_NW10 = "last-name-word10",
    LAST_NW35 = "last-name-word35",
    LAST_NW50 = "last-name-word50",
    LAST_OOV = "last-unknown",
    LAST_W10 = "last-word10",
    LAST_W35 = "last-word35",
    LAST_W50 = "last-word50",
    LAST_ABBR = "last-abbr",
    LAST_SHORT = "last-short",
    ALL_CF = "all-common-first",
    ALL_F = "all-first",
    ALL_CS = "all-common-surname",
    ALL_S = "all-surname",
    ALL_NW10 = "all-name-word10",
    ALL_NW35 = "all-name-word35",
    ALL_NW50 = "all-name-word50",
    ALL_OOV = "all-unknown",
    ALL_W10 = "all-word10",
    ALL_W35 = "all-word35",
    ALL_W50 = "all-word50",
    ALL_ABBR = "all-abbr",
    ALL_SHORT = "all-short",
    PLACE_WORD = "place-word",
    HEALTH_WORD = "health-word",
    FIRST_IS_GIVEN = "first-is-given",
    LAST_IS_FAMILY = "last-is-family",
    CAPS_IN_MIXED = "caps-in-mixed",
    LOWER_IN_MIXED = "lower-in-mixed",
    SENT_START = "sentence-start",
    LINE_ALONE = "line-alone",
    LINE_START = "line-start",
    P_NONE = "prev-none",
    P_TITLE = "prev-title",
    P_STAFF = "prev-staff-title",
    P_ROLE = "prev-role",
    P_GREET = "prev-greeting",
    P_SPEECH = "prev-speech",
    P_NAMED = "prev-named",
    P_BY = "prev-by",
    P_WITH = "prev-with",
    P_TO = "prev-to-for",
    P_AND = "prev-and",
    P_OF = "prev-of",
    P_PLACE = "prev-place-prep",
    P_DET = "prev-determiner",
    P_POSS = "prev-possessive",
    P_LABEL = "prev-label",
    P_NAME_LABEL = "prev-name-label",
    P_NUMBER = "prev-number",
    P_COMMA = "prev-comma",
    P_CAP = "prev-capitalised",
    P_STAFF_ROLE = "prev-staff-role",
    N_NONE = "next-none",
    N_POSS = "next-possessive",
    N_AGE = "next-age",
    N_CRED = "next-credential",
    N_STAFF_ROLE = "next-staff-role",
    N_VERB = "next-person-verb",
    N_COMMA = "next-comma",
    N_END = "next-sentence-end",
    N_DASH = "next-dash",
    N_PAREN = "next-paren",
    N_CAP = "next-capitalised",
    N_BODY = "next-body-or-health",
    N_NUMBER = "next-number",
    N_LOWER = "next-lower-word",
    N_ROOM = "next-room",
    FUNCTION_WORD = "month-or-function-word",
    VOCATIVE = "vocative",
    LIST_STRONG = "list-with-strong",
    LIST_ANY = "list-with-any",
    LIST_LONG = "list-of-three",
    MID_STRONG = "mid-sentence-strong",
    MID_UNKNOWN = "mid-sentence-unknown",
    MID_NAME_WORD = "mid-sentence-name-word",
    P_AT = "prev-at",
    SEEN_STRONG = "seen-strong",
    IN_QUOTES = "in-quotes",
    P_PERSON_NOUN = "prev-person-noun",
    N_POSS_PERSONAL = "next-possessive-personal",
    N_INFLECTED = "next-inflected-verb",
    P_ROOM = "prev-room",
    N_WHO = "next-who",
    N_TRAIT = "next-trait",
    N_ADDRESS = "next-line-address",
    P_OBJECT_VERB = "prev-object-verb",
    N_WORK = "next-work-noun",
    P_APPOSITIVE = "prev-appositive",
    N_COLON = "next-colon",
    SHAPE_NAME = "unknown-name-shaped",
    SHAPE_WORD = "unknown-word-shaped",
}

/// The word classes a run's words are counted in (the order of the `HAS_…` features).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    CommonFirst,
    First,
    CommonSurname,
    Surname,
    NameWord10,
    NameWord35,
    NameWord50,
    Unknown,
    Word10,
    Word35,
    Word50,
    Abbr,
    Short,
}

const CLASSES: usize = 13;

/// Returns the class of token `k`.
fn class(chunk: &Chunk, k: usize) -> Class {
    let t = chunk.tokens[k];
    let f = t.flags;
    let len = t.end - t.start;
    if len <= 2 {
        return Class::Short;
    }
    let name = f & (FIRST | SURNAME) != 0;
    if f & CLIN_ABBR != 0 && !(name && t.shape == Shape::Capitalized) {
        return Class::Abbr;
    }
    if name {
        return if f & ENG_10 != 0 {
            Class::NameWord10
        } else if f & ENG_35 != 0 {
            Class::NameWord35
        } else if f & ENGLISH != 0 {
            Class::NameWord50
        } else if f & COMMON_FIRST != 0 {
            Class::CommonFirst
        } else if f & FIRST != 0 {
            Class::First
        } else if f & COMMON_SURNAME != 0 {
            Class::CommonSurname
        } else {
            Class::Surname
        };
    }
    if f & ENG_10 != 0 {
        Class::Word10
    } else if f & ENG_35 != 0 {
        Class::Word35
    } else if f & ENGLISH != 0 {
        Class::Word50
    } else {
        Class::Unknown
    }
}

/// Whether the class is a name no English word list holds.
fn strong_class(c: Class) -> bool {
    matches!(c, Class::CommonFirst | Class::First | Class::CommonSurname | Class::Surname)
}

fn is_name(flags: u32) -> bool {
    flags & (FIRST | SURNAME) != 0
}

/// Whether token `k` is a name that is not an everyday English word.
fn strong(chunk: &Chunk, k: usize) -> bool {
    strong_class(class(chunk, k))
}

/// Whether a gap between two name tokens keeps them in one name: a space, or an initial's period.
fn joins(gap: &[u8], prev_shape: Shape) -> bool {
    single_space(gap) || (prev_shape == Shape::Initial && (gap == b". " || gap == b"."))
}

/// A candidate run of name words: tokens `first..=last` (particles included).
#[derive(Clone, Copy, Debug)]
struct Run {
    first: usize,
    last: usize,
    /// Written "LAST, FIRST".
    comma_form: bool,
    /// One capitalised word right after a close relative ("husband Will"): see [`kin_name`].
    kin: bool,
}

/// The model in use: the embedded one unless [`use_model`] put another first.
static MODEL: std::sync::OnceLock<Model> = std::sync::OnceLock::new();

/// The model, parsed once from the embedded file.
fn model() -> &'static Model {
    MODEL.get_or_init(|| {
        // The file is embedded and checked by a unit test; a bad one is a build mistake.
        Model::parse(include_str!("../../rules/models/person-name.toml"), FEATURES)
            .expect("rules/models/person-name.toml matches the name features")
    })
}

/// Makes the process weigh names with the model in `text` (the layout of
/// `rules/models/person-name.toml`) instead of the embedded one. For the fitting script's
/// feature exporter, whose features depend on the model's sure names: it fits in rounds, each
/// with the previous round's model. Fails on a malformed model or once a name was weighed.
pub fn use_model(text: &str) -> Result<(), String> {
    let parsed = Model::parse(text, FEATURES)?;
    MODEL.set(parsed).map_err(|_| "the name model is already in use".to_string())
}

/// Returns the probability from which a name candidate below the scan's `min_confidence` is
/// reported as a possible name: the threshold the fitting script found best (F2, recall first)
/// on held-back text, written into the model file.
pub fn possible_from() -> Option<f32> {
    model().possible()
}

/// Parses the embedded model now (see [`super::warm_up`]).
pub fn warm_up() {
    model();
}

/// Appends name candidates of `chunk` to `out`.
pub fn find(chunk: &Chunk, rule: usize, out: &mut Vec<Candidate>, _scratch: &mut Vec<u8>) {
    let (runs, weighed) = weigh(chunk);
    let staff = staff_words(chunk, &runs);
    let emit_min = model().possible().map_or(EMIT_MIN, |p| p.min(EMIT_MIN));
    for (r, w) in runs.iter().zip(&weighed) {
        if w.p < emit_min {
            continue;
        }
        let mut evidence = evidence(chunk, r.first, r.last);
        // "Ilse Varnholt, RN, … Ilse led the redesign": a person marked as staff once is staff
        // wherever the text names them again.
        if (r.first..=r.last).any(|i| staff.binary_search(&word_key(chunk, i)).is_ok()) {
            evidence |= EVIDENCE_STAFF;
        }
        out.push(Candidate {
            rule,
            start: title_start(chunk, r.first),
            end: name_end(chunk, r.last),
            confidence: w.p,
            evidence,
        });
    }
}

/// A run this likely a name makes its words known names for the rest of the chunk, as a name
/// from the lists does ("Tavita Oloapu, RN, … Tavita rebuilt the checklist").
const SURE_P: f32 = 0.9;

/// A candidate run weighed: its active features and probabilities.
struct Weighed {
    /// Indices into [`FEATURES`] (empty for initials decided by rule).
    active: Vec<usize>,
    /// The model's probability (0 for initials decided by rule).
    model_p: f32,
    /// The probability reported: the model's, or a rule's for initials and relatives' names.
    p: f32,
    /// Initials only: decided by rule, not by the model.
    by_rule: bool,
}

/// Returns the candidate runs of `chunk` and how each is weighed. Two passes: the first finds
/// the runs the model is sure of, the second weighs every run again with those counted as
/// sure names for the features that look at the other runs (seen elsewhere, lists).
fn weigh(chunk: &Chunk) -> (Vec<Run>, Vec<Weighed>) {
    let runs = candidates(chunk);
    let mut seen = Seen::new(chunk, &runs);
    let mut weighed: Vec<Weighed> = (0..runs.len()).map(|k| weigh_run(chunk, &runs, k, &seen)).collect();
    let was_sure = seen.sure.clone();
    let sure: Vec<bool> = weighed.iter().map(|w| !w.by_rule && w.p >= SURE_P).collect();
    if seen.promote(&sure) {
        // Only the runs whose document-level features can change are weighed again: those
        // that share a word with a sure run, or sit in a list with a newly sure one.
        let newly: Vec<bool> = seen.sure.iter().zip(&was_sure).map(|(now, before)| *now && !*before).collect();
        let mut chain = vec![0usize; runs.len()];
        for k in 1..runs.len() {
            chain[k] = chain[k - 1] + usize::from(!linked(chunk, &runs[k - 1], &runs[k]));
        }
        let mut new_in_chain = vec![0usize; chain.last().map_or(0, |c| c + 1)];
        for k in 0..runs.len() {
            new_in_chain[chain[k]] += usize::from(newly[k]);
        }
        for k in 0..runs.len() {
            if weighed[k].by_rule {
                continue;
            }
            let had_seen = weighed[k].active.contains(&(F::SEEN_STRONG as usize));
            let listed = new_in_chain[chain[k]] > usize::from(newly[k]);
            if listed || had_seen != seen.elsewhere(chunk, &runs, k) {
                weighed[k] = weigh_run(chunk, &runs, k, &seen);
            }
        }
    }
    (runs, weighed)
}

fn weigh_run(chunk: &Chunk, runs: &[Run], k: usize, seen: &Seen) -> Weighed {
    let r = &runs[k];
    if only_initials(chunk, r) {
        // "initials Q.L.M.", "Mr. K.": a person written as initials, by rule.
        let p = if initials_introduced(chunk, r.first, r.last) { 0.85 } else { 0.0 };
        return Weighed { active: Vec::new(), model_p: 0.0, p, by_rule: true };
    }
    let mut active = Vec::with_capacity(32);
    features(chunk, runs, k, seen, &mut active);
    let model_p = model().probability(&active, chunk.casing[r.first]);
    let p = if r.kin { model_p.max(KIN_NAME) } else { model_p };
    Weighed { active, model_p, p, by_rule: false }
}

/// One candidate with its evidence, for training and for explaining a decision.
#[derive(Clone, Debug)]
pub struct Explained {
    /// Byte offset of the run's start (a title before it included).
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The names of its active features (casing-specific copies included, as `name@upper`).
    pub features: Vec<String>,
    /// The model's probability.
    pub probability: f32,
}

/// Returns every name candidate of `chunk` the model weighs, with its features and
/// probability (what `scripts/train_names.py` fits the model on).
pub fn explain(chunk: &Chunk) -> Vec<Explained> {
    let (runs, weighed) = weigh(chunk);
    let mut out = Vec::new();
    for (r, w) in runs.iter().zip(&weighed) {
        if w.by_rule {
            continue;
        }
        let suffix = match chunk.casing[r.first] {
            Casing::Mixed => None,
            Casing::Upper => Some("@upper"),
            Casing::Lower => Some("@lower"),
        };
        let mut names: Vec<String> = w.active.iter().map(|&f| FEATURES[f].to_string()).collect();
        if let Some(sfx) = suffix {
            names.extend(w.active.iter().map(|&f| format!("{}{sfx}", FEATURES[f])));
        }
        out.push(Explained {
            start: title_start(chunk, r.first),
            end: name_end(chunk, r.last),
            features: names,
            probability: w.model_p,
        });
    }
    out
}

/// Returns the candidate runs of `chunk`, in order, not overlapping.
fn candidates(chunk: &Chunk) -> Vec<Run> {
    let toks = chunk.tokens;
    let mut runs: Vec<Run> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        // "Initials Q.L.M.": the introducing word is not part of the name, even capitalised.
        if i + 1 < toks.len()
            && matches!(lower(chunk, i).as_slice(), b"initials" | b"initial")
            && introduced_initials(chunk, i + 1).is_some()
        {
            i += 1;
            continue;
        }
        // "Dtr Hope at bedside": a relative word that opens a sentence is not a name word.
        if (toks[i].shape != Shape::Lower || chunk.lower(i)) && i + 1 < toks.len() && kin_name(chunk, i + 1) {
            i += 1;
            continue;
        }
        // "husband Will": a word that is also a verb or a common noun is a name here (with a
        // family name after it, "husband Will Marlow", the ordinary run takes both).
        let surname_next = || i + 1 < toks.len() && joins(chunk.gap_after(i), toks[i].shape) && nameish(chunk, i + 1);
        if kin_name(chunk, i) && !(surname_next() && run_at(chunk, i).is_some_and(|e| e > i)) {
            runs.push(Run { first: i, last: i, comma_form: false, kin: true });
            i += 1;
            continue;
        }
        // "pt Q.L.M.": initials written as a person's, which a name run never starts with.
        if let Some(end) = introduced_initials(chunk, i) {
            runs.push(Run { first: i, last: end, comma_form: false, kin: false });
            i = end + 1;
            continue;
        }
        let Some(end) = run_at(chunk, i) else {
            i += 1;
            continue;
        };
        let first = trim_leading(chunk, i, end);
        if !vetoed(chunk, first, end) {
            runs.push(Run { first, last: end, comma_form: false, kin: false });
        }
        i = end + 1;
    }
    join_comma_forms(chunk, &mut runs);
    runs
}

/// Returns the last of the initials starting at token `i` ("Q.L.M."), each followed by a period,
/// when a title, a patient word or "initials" introduces them.
fn introduced_initials(chunk: &Chunk, i: usize) -> Option<usize> {
    let toks = chunk.tokens;
    if !initial(chunk, i) {
        return None;
    }
    let mut end = i;
    while end + 1 < toks.len() && initial(chunk, end + 1) && chunk.gap_after(end) == b"." {
        end += 1;
    }
    // "pt R. Quillfeather": an initial before a family name is a name run's start, not initials.
    if end == i && end + 1 < toks.len() && chunk.gap_after(end) == b". " && nameish(chunk, end + 1) {
        return None;
    }
    // One lower-case letter is a word ("a", "i"); "a.m." and "p.m." are times.
    let lower_case = toks[i].shape == Shape::Lower;
    if lower_case && (end == i || matches!(lower(chunk, i).as_slice(), b"a" | b"p") && end == i + 1) {
        return None;
    }
    let closed = chunk.gap_after(end).starts_with(b".");
    (closed && initials_introduced(chunk, i, end)).then_some(end)
}

/// Whether token `i` is an initial: a capital letter, or a lower-case one in a block written in
/// lower case ("per d.k.").
fn initial(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    t.shape == Shape::Initial || t.shape == Shape::Lower && t.end - t.start == 1 && chunk.lower(i)
}

/// Close relatives whose name often follows the word itself ("husband Will", "WIFE PAT.").
const KIN: &[&[u8]] = &[
    b"husband",
    b"wife",
    b"son",
    b"daughter",
    b"dtr",
    b"mother",
    b"father",
    b"mom",
    b"mum",
    b"dad",
    b"brother",
    b"sister",
    b"grandson",
    b"granddaughter",
    b"grandmother",
    b"grandfather",
    b"grandma",
    b"grandpa",
    b"partner",
    b"spouse",
    b"fiance",
    b"fiancee",
    b"aunt",
    b"uncle",
    b"niece",
    b"nephew",
];
/// The probability given to a single word after a close relative when it is capitalised
/// mid-sentence in mixed text, or stands alone before punctuation in capitals: how a note
/// writes "husband Will" or "HUSBAND BILL." The capital (or the pause) is what a verb or a
/// common noun in that place would not have.
const KIN_NAME: f32 = 0.8;

/// Whether token `i` is a name right after a close relative (see [`KIN_NAME`]).
fn kin_name(chunk: &Chunk, i: usize) -> bool {
    let toks = chunk.tokens;
    let t = toks[i];
    // Shape first: this runs on every token, and most are neither capitalised nor after kin.
    let shaped = matches!(t.shape, Shape::Capitalized | Shape::Upper) || t.shape == Shape::Lower && chunk.lower(i);
    if i == 0 || !shaped || !single_space(chunk.gap_before(i)) {
        return false;
    }
    let prev = chunk.word(i - 1);
    if !KIN.iter().any(|k| prev.eq_ignore_ascii_case(k)) {
        return false;
    }
    if t.end - t.start < 2 || t.flags & (TITLE | STAFF | STAFF_ROLE | ROLE | ORG) != 0 {
        return false;
    }
    let gap = chunk.gap_after(i);
    let pause =
        i + 1 == toks.len() || gap.first().is_some_and(|b| matches!(b, b',' | b'.' | b';' | b':' | b'(' | b')'));
    match (t.shape, chunk.casing[i]) {
        (Shape::Capitalized, Casing::Mixed) => !chunk.sentence_start(i),
        // In capitals or in lower case the shape proves nothing: a given name standing before a
        // pause or before what a person does ("HUSBAND RAY HERE", "sister sue visited"), where
        // a verb or a noun would be followed by its object ("son will call" stays a verb).
        (Shape::Upper, Casing::Upper) => pause || t.flags & FIRST != 0 && acts_next(chunk, i),
        (Shape::Lower, Casing::Lower) => t.flags & FIRST != 0 && (pause || acts_next(chunk, i)),
        _ => false,
    }
}

/// Whether the word after token `i` reads as what a person named just before it does or is:
/// an inflected verb ("visited", "visiting", "visits"), a copula, "here" or "re".
fn acts_next(chunk: &Chunk, i: usize) -> bool {
    if i + 1 >= chunk.tokens.len() || !single_space(chunk.gap_after(i)) {
        return false;
    }
    let w = lower(chunk, i + 1);
    one_of(&w, &["is", "was", "here", "re", "and", "at", "in", "on", "states", "called", "calls"])
        || inflected_next(chunk, i)
}

/// Whether the word after token `i` is a verb form a person's name can be the subject of
/// ("laughs", "texted", "crying"): inflected, no name itself, and in lower case where the
/// text has capitals to tell.
fn inflected_next(chunk: &Chunk, i: usize) -> bool {
    let toks = chunk.tokens;
    if i + 1 >= toks.len() || !single_space(chunk.gap_after(i)) {
        return false;
    }
    if chunk.casing[i + 1] == Casing::Mixed && toks[i + 1].shape != Shape::Lower {
        return false;
    }
    let w = chunk.word(i + 1);
    let ends = |s: &[u8]| w.len() >= s.len() && w[w.len() - s.len()..].eq_ignore_ascii_case(s);
    let inflected = w.len() >= 5 && (ends(b"ed") || ends(b"ing"))
        || w.len() >= 4 && ends(b"s") && !(ends(b"ss") || ends(b"us") || ends(b"is"));
    inflected && toks[i + 1].flags & (FIRST | SURNAME) == 0
}

/// What only a person is: a temper, a mood, a way with others ("Ida is so stubborn").
const TRAIT: &[&str] = &[
    "reliable",
    "impulsive",
    "stubborn",
    "shy",
    "brave",
    "funny",
    "hilarious",
    "kind",
    "generous",
    "honest",
    "friendly",
    "rude",
    "lazy",
    "smart",
    "clever",
    "brilliant",
    "talented",
    "sweet",
    "cute",
    "adorable",
    "annoying",
    "obsessed",
    "jealous",
    "proud",
    "grumpy",
    "moody",
    "polite",
    "patient",
    "pregnant",
    "married",
    "engaged",
    "divorced",
    "sick",
    "tired",
    "upset",
    "angry",
    "excited",
    "nervous",
    "scared",
    "lonely",
    "cheerful",
];
/// Words between the copula and the trait ("is so", "was always").
const INTENSIFIER: &[&str] = &["so", "very", "really", "too", "always", "just", "such", "quite", "super", "still"];

/// Whether a trait follows the name ending at token `e`: "Ida is so stubborn", "Lee was kind".
/// Also asked the other way round: "Was Ida so nervous?".
fn trait_after(chunk: &Chunk, s: usize, e: usize) -> bool {
    let toks = chunk.tokens;
    let copula = |k: usize| one_of(&lower(chunk, k), &["is", "was", "seems", "isn't", "wasn't"]);
    let asked = s > 0 && single_space(chunk.gap_before(s)) && copula(s - 1);
    if e + 1 >= toks.len() || !single_space(chunk.gap_after(e)) {
        return false;
    }
    let mut k = if asked {
        e + 1
    } else if e + 2 < toks.len() && copula(e + 1) {
        e + 2
    } else {
        return false;
    };
    while k + 1 < toks.len() && k < e + 4 && one_of(&lower(chunk, k), INTENSIFIER) {
        k += 1;
    }
    single_space(chunk.gap_before(k)) && one_of(&lower(chunk, k), TRAIT)
}

/// Whether a run is made of initials only ("Q.L.M.").
fn only_initials(chunk: &Chunk, r: &Run) -> bool {
    (r.first..=r.last).all(|i| initial(chunk, i))
}

/// Whether initials `first..=last` are introduced as a person's: "initials Q.L.M.", "Mr. K.",
/// "pt R.T.", "Patient: D.R.", "per D.K.", or followed by a role in brackets ("J.R.
/// (resident)").
fn initials_introduced(chunk: &Chunk, first: usize, last: usize) -> bool {
    let toks = chunk.tokens;
    let role_after = last + 1 < toks.len()
        && matches!(chunk.gap_after(last), b". (" | b". [")
        && toks[last + 1].flags & (STAFF | STAFF_ROLE | ROLE) != 0;
    if role_after {
        return true;
    }
    if first == 0 {
        return false;
    }
    let p = toks[first - 1];
    let pw = lower(chunk, first - 1);
    let gap = chunk.gap_before(first);
    let near = single_space(gap) || gap == b". " || gap == b": ";
    near && (p.flags & (TITLE | STAFF_ROLE) != 0
        || one_of(&pw, PATIENT)
        || matches!(pw.as_slice(), b"initials" | b"initial" | b"per"))
}

/// Joins "BROWN, ALMA" (a family name in capitals, a comma, a given name in capitals) into one
/// run: the way rosters, wristbands and census boards write patients.
fn join_comma_forms(chunk: &Chunk, runs: &mut Vec<Run>) {
    let toks = chunk.tokens;
    let mut k = 0;
    while k + 1 < runs.len() {
        let (a, b) = (runs[k], runs[k + 1]);
        let fits = a.first == a.last
            && b.first == a.last + 1
            && b.last - b.first <= 1
            && chunk.gap_after(a.last) == b", "
            && toks[a.last].shape == Shape::Upper
            && toks[b.first].shape == Shape::Upper
            && (toks[a.last].flags & SURNAME != 0 || comma_surname(chunk, a.last))
            && toks[b.first].flags & FIRST != 0;
        if fits {
            runs[k] = Run { first: a.first, last: b.last, comma_form: true, kin: false };
            runs.remove(k + 1);
        }
        k += 1;
    }
}

/// Drops a word that only starts the sentence from the front of a run when a sure name
/// follows ("Congratulations Ilse Varnholt", "Ask J. Smith").
fn trim_leading(chunk: &Chunk, mut s: usize, e: usize) -> usize {
    let toks = chunk.tokens;
    while s < e {
        let t = toks[s];
        // A common given name that is no everyday word ("Anna", "Heather") stays: only words
        // people mostly use as words ("Ask", "Will") are dropped.
        let given = t.flags & COMMON_FIRST != 0 && class(chunk, s) != Class::NameWord10;
        let weak = !is_name(t.flags) || !strong(chunk, s) && !given || t.flags & ROLE != 0;
        let sure_next = strong(chunk, s + 1) && toks[s + 1].flags & FIRST != 0 || toks[s + 1].shape == Shape::Initial;
        if weak && sure_next && (chunk.sentence_start(s) || !is_name(t.flags)) {
            s += 1;
        } else {
            break;
        }
    }
    s
}

/// Whether the run `s..=e` is one word of a firm's name joined by "&": "Johnson & Johnson",
/// "Marks & Spencer", "Ernst & Young". Two given names are two people ("Ida & Tess"), unless
/// both are also common surnames, as firm names are; full names are people ("Ida Moss & Lee
/// Ortiz"), and so is anyone with "me" or "I". Reads HTML's "&amp;" as "&".
fn firm_by_ampersand(chunk: &Chunk, s: usize, e: usize) -> bool {
    let toks = chunk.tokens;
    if (s..=e).filter(|&k| toks[k].shape != Shape::Initial).count() != 1 {
        return false;
    }
    let amp = |k: usize| chunk.word(k) == b"amp" && chunk.gap_after(k).starts_with(b";");
    // The single word on the other side of the "&", if it is one word.
    let partner = if chunk.gap_after(e).starts_with(b" &") {
        let k = if e + 1 < toks.len() && amp(e + 1) { e + 2 } else { e + 1 };
        let joined_next = k + 1 < toks.len() && single_space(chunk.gap_after(k)) && chunk.capitalized(k + 1);
        (k < toks.len()).then_some((k, !joined_next))
    } else if chunk.gap_before(s).ends_with(b"& ") || s >= 2 && chunk.gap_before(s).ends_with(b"; ") && amp(s - 1) {
        let k = if chunk.gap_before(s).ends_with(b"; ") { s.checked_sub(2) } else { s.checked_sub(1) };
        k.map(|k| (k, !(k > 0 && single_space(chunk.gap_before(k)) && chunk.capitalized(k - 1))))
    } else {
        return false;
    };
    let Some((k, single)) = partner else { return true };
    if !single || matches!(lower(chunk, k).as_slice(), b"i" | b"me") {
        return false;
    }
    let given = |i: usize| toks[i].flags & FIRST != 0;
    let common_surname = |i: usize| toks[i].flags & COMMON_SURNAME != 0;
    !(given(s) && given(k)) || common_surname(s) && common_surname(k)
}

/// Whether the run `s..=e` is decided not to be a person, whatever the evidence.
fn vetoed(chunk: &Chunk, s: usize, e: usize) -> bool {
    let toks = chunk.tokens;
    let after = chunk.gap_after(e);
    // Organisations and things: "Grace Hospital", "Parkinson disease", "Johnson & Johnson".
    if e + 1 < toks.len() && (single_space(after) || after == b"-") {
        let next = toks[e + 1];
        if next.flags & (ORG | DISEASE_HEAD) != 0 && next.shape != Shape::Upper && !chunk.upper(e + 1) {
            return true;
        }
    }
    // The word right after the run, one space away, can make the run part of another name.
    if e + 1 < toks.len() && single_space(after) {
        // "ADDISON DISEASE", "Wilson disease": the last word starts a diagnosis the dictionary
        // holds, so it is an eponym, whatever the casing.
        let mut scratch = Vec::new();
        let phrase = lexicon::longest_phrase(chunk.lex, chunk.text, toks, e, DIAGNOSIS, &mut scratch);
        if phrase.is_some_and(|(end, _)| end > e) {
            return true;
        }
        // "the Odile Quarrender stroke unit", "the marit quist diabetes fund": a name between "the"
        // and a health term names a facility or a programme, not a person.
        let the_before = s > 0 && single_space(chunk.gap_before(s)) && lower(chunk, s - 1).as_slice() == b"the";
        if the_before
            && lexicon::longest_phrase(
                chunk.lex,
                chunk.text,
                toks,
                e + 1,
                DIAGNOSIS | super::lexicon::PROCEDURE,
                &mut scratch,
            )
            .is_some()
        {
            return true;
        }
        let next = lower(chunk, e + 1);
        // "the Whipple procedure", "a Kasai operation": an operation named after its surgeon
        // (but "Dr Halvorsen surgery clinic" is the surgeon).
        let titled = s > 0 && toks[s - 1].flags & (TITLE | STAFF) != 0;
        if !titled && one_of(&next, EPONYM_HEADS) {
            return true;
        }
        // "Oswin Tellard Road", "OSWIN TELLARD ROAD": a street named after someone.
        if toks[e + 1].shape != Shape::Lower && one_of(&next, STREET_NAMES) {
            return true;
        }
    }
    if firm_by_ampersand(chunk, s, e) {
        return true;
    }
    // A handle or a hashtag is not a name written out.
    if chunk.gap_before(s).ends_with(b"@") || chunk.gap_before(s).ends_with(b"#") {
        return true;
    }
    // "1200 Larch Boulevard, Oakhaven": the word after a street and a comma is its town.
    if s > 0 && chunk.gap_before(s) == b", " && one_of(&lower(chunk, s - 1), STREET_SUFFIXES) {
        return true;
    }
    let members = (s..=e).filter(|&k| toks[k].flags & PARTICLE == 0 || toks[k].shape != Shape::Lower).count();
    if members == 1 {
        let f = toks[s].flags;
        // A lone state ("Ohio") or health term ("Crohn's") belongs to other detectors.
        if f & STATE != 0 || (f & (DIAGNOSIS | MEDICATION) != 0 && !strong(chunk, s)) {
            return true;
        }
    }
    false
}

/// Street suffixes: a word after "Boulevard, " is a town, not a person.
/// Nouns an operation or a manoeuvre named after a person ends in.
const EPONYM_HEADS: &[&str] =
    &["surgery", "procedure", "operation", "repair", "reconstruction", "maneuver", "manoeuvre", "technique"];

/// Street words that end a street's name written out ("Tellard Road"), not abbreviations or
/// words that are often something else ("Dr", "Place", "Court").
const STREET_NAMES: &[&str] =
    &["street", "avenue", "road", "boulevard", "blvd", "lane", "drive", "terrace", "parkway", "highway"];
const STREET_SUFFIXES: &[&str] = &[
    "street",
    "st",
    "avenue",
    "ave",
    "road",
    "rd",
    "boulevard",
    "blvd",
    "lane",
    "ln",
    "drive",
    "dr",
    "way",
    "court",
    "ct",
    "place",
    "pl",
    "terrace",
    "circle",
    "parkway",
    "pkwy",
    "highway",
    "hwy",
    "square",
    "trail",
    "plaza",
];

/// Whether token `i` may begin or continue a name run.
fn nameish(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    // A month or function word that is also a given name ("Will", "June") is a candidate only
    // where a name can stand: capitalised mid-sentence, or after a greeting.
    let name_word = t.flags & NOT_NAME != 0
        && t.flags & FIRST != 0
        && t.shape == Shape::Capitalized
        && chunk.casing[i] == Casing::Mixed
        && !chunk.sentence_start(i);
    if t.flags & NOT_NAME != 0 && !(greeted(chunk, i) || name_word || in_ward(chunk, i))
        || (t.flags & (ORG | TITLE) != 0 && !is_name(t.flags))
    {
        return false;
    }
    // Titles, credentials and greetings frame names; they are not part of them.
    if t.flags & (STAFF | TITLE | ROLE) != 0 && !strong(chunk, i) {
        return false;
    }
    if t.end - t.start <= 4 && t.flags & (FIRST | SURNAME) == 0 && CREDENTIALS.contains(&lower(chunk, i).as_slice()) {
        return false;
    }
    let len = t.end - t.start;
    match chunk.casing[i] {
        Casing::Mixed => match t.shape {
            Shape::Capitalized => true,
            // A name in capitals in ordinary text: a known one, or a family name before ", FIRST".
            Shape::Upper => is_name(t.flags) && len >= 3 || comma_surname(chunk, i),
            Shape::Initial => chunk.gap_after(i).starts_with(b"."),
            Shape::Lower | Shape::Other => false,
        },
        // Where capitals prove nothing, a word is a candidate when a name list knows it, or
        // when no English word list or shorthand list does.
        Casing::Upper | Casing::Lower => match t.shape {
            Shape::Initial => chunk.gap_after(i).starts_with(b"."),
            Shape::Other => false,
            _ => {
                let c = class(chunk, i);
                len >= 2 && (is_name(t.flags) || c == Class::Unknown) && c != Class::Abbr && c != Class::Short
                    || len == 2 && is_name(t.flags) && t.flags & (ENGLISH | CLIN_ABBR) == 0
            }
        },
    }
}

/// Whether token `i` is a capitalised word before ", GIVEN" in capitals ("OYELARAN, TUNDE").
fn comma_surname(chunk: &Chunk, i: usize) -> bool {
    let toks = chunk.tokens;
    i + 1 < toks.len()
        && chunk.word(i).len() >= 3
        && chunk.word(i).iter().all(|b| b.is_ascii_alphabetic() || *b == b'\'' || *b == b'-')
        && chunk.gap_after(i) == b", "
        && toks[i + 1].shape == Shape::Upper
        && toks[i + 1].flags & FIRST != 0
}

/// Whether token `i` is written as a name is in its block: capitalised in ordinary text, in
/// the block's own case where capitals prove nothing ("HI APRIL,", "hi april,").
fn name_shaped(chunk: &Chunk, i: usize) -> bool {
    let shape = chunk.tokens[i].shape;
    match chunk.casing[i] {
        Casing::Mixed => shape == Shape::Capitalized,
        Casing::Upper => shape == Shape::Upper,
        Casing::Lower => shape == Shape::Lower,
    }
}

/// Whether token `i` is a given name that is also a month or a function word, written right
/// after a greeting and before a comma ("Hello June,", "Dear May,"): then it is a name.
fn greeted(chunk: &Chunk, i: usize) -> bool {
    i > 0
        && chunk.tokens[i].flags & FIRST != 0
        && name_shaped(chunk, i)
        && single_space(chunk.gap_before(i))
        && one_of(&lower(chunk, i - 1), &["hi", "hello", "hey", "dear", "thanks", "congratulations", "congrats"])
        && chunk.gap_after(i).first().is_some_and(|b| matches!(b, b',' | b'!'))
}

/// Whether token `i` is a given name that is also a common word, written as a name right
/// before a ward place ("WILL IN BED 7", "April in room 4"): a patient, whatever the casing.
fn in_ward(chunk: &Chunk, i: usize) -> bool {
    let toks = chunk.tokens;
    toks[i].flags & FIRST != 0
        && name_shaped(chunk, i)
        && i + 3 < toks.len()
        && single_space(chunk.gap_after(i))
        && lower(chunk, i + 1) == b"in"
        && one_of(&lower(chunk, i + 2), ROOM)
        && numbered(chunk, i + 3)
}

/// Returns the last token of the name run starting at `i`, when one starts there.
fn run_at(chunk: &Chunk, i: usize) -> Option<usize> {
    let toks = chunk.tokens;
    let t = toks[i];
    // "my daughter emma", "dr. hurst": a lower-case name right after a role word or a title,
    // in ordinary text.
    let lowercase_start = t.shape == Shape::Lower
        && chunk.casing[i] == Casing::Mixed
        && is_name(t.flags)
        && i > 0
        && (toks[i - 1].flags & ROLE != 0 && strong(chunk, i)
            // "mr hurst", "dr hurst": a title written before names, not a credential written
            // after them ("do you", "the DMD gene").
            || (toks[i - 1].flags & TITLE != 0 || one_of(&lower(chunk, i - 1), &["dr", "drs", "prof"]))
                && chunk.word(i - 1).len() <= 3)
        && (single_space(chunk.gap_before(i)) || chunk.gap_before(i) == b". ");
    let lowercase_start = lowercase_start || typed_lower(chunk, i);
    if !nameish(chunk, i) && !lowercase_start {
        return None;
    }
    let mut end = i;
    let mut count = 1;
    while end + 1 < toks.len() && count < MAX_RUN {
        let gap = chunk.gap_after(end);
        // A possessive ends a name: "Ida Moss's Garden Party".
        if !joins(gap, toks[end].shape) || possessive(chunk.word(end)) {
            break;
        }
        let next = end + 1;
        // A lower-case name takes a family name that is no everyday word ("jo ashby texted",
        // not "hey jo are you" or "hey jo nice work").
        let lower_next = toks[next].shape == Shape::Lower
            && is_name(toks[next].flags)
            && toks[next].flags & NOT_NAME == 0
            && !matches!(class(chunk, next), Class::NameWord10 | Class::NameWord35);
        if nameish(chunk, next) || (lowercase_start && lower_next) {
            end = next;
            count += 1;
        } else if toks[next].flags & PARTICLE != 0 && toks[next].shape == Shape::Lower && next + 1 < toks.len() {
            // "van der Berg": particles join only when a name word follows them.
            let mut k = next;
            while k < toks.len() && toks[k].flags & PARTICLE != 0 && toks[k].shape == Shape::Lower {
                if !single_space(chunk.gap_after(k)) {
                    break;
                }
                k += 1;
            }
            if k < toks.len() && k > next && k - next <= 3 && nameish(chunk, k) && single_space(chunk.gap_after(k - 1))
            {
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

/// Whether token `i` is a given name typed in lower case in ordinary text: people type
/// names in lower case in messages and posts ("saw tomasz at lunch"). A given name no English
/// word list holds is a candidate anywhere, and the model weighs it (`lower-in-mixed` and the
/// context features). A given name that is also a rare English word is one only where a person
/// stands: before what a person does ("mike texted", "jo should call"), right after a greeting
/// ("hey mike") or a naming cue. Names that are everyday words ("mark", "will", "grace") stay
/// words.
fn typed_lower(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    if t.shape != Shape::Lower || chunk.casing[i] != Casing::Mixed || t.flags & FIRST == 0 {
        return false;
    }
    match class(chunk, i) {
        Class::CommonFirst | Class::First => return true,
        Class::NameWord50 => {}
        _ => return false,
    }
    let acts = i + 1 < chunk.tokens.len()
        && single_space(chunk.gap_after(i))
        && (one_of(&lower(chunk, i + 1), PERSON_VERB) && chunk.word(i + 1) != b"and" || inflected_next(chunk, i));
    let greeted = i > 0 && single_space(chunk.gap_before(i)) && one_of(&lower(chunk, i - 1), GREETING);
    // "my name is ida", "call me ida", "named ida".
    let named = i > 0
        && single_space(chunk.gap_before(i))
        && (lower(chunk, i - 1) == b"named"
            || i >= 2
                && matches!(
                    (lower(chunk, i - 2).as_slice(), lower(chunk, i - 1).as_slice()),
                    (b"name", b"is") | (b"call", b"me") | (b"known", b"as")
                ));
    acts || greeted || named
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

/// Whether a word ends in a possessive `'s`.
fn possessive(w: &[u8]) -> bool {
    w.ends_with(b"'s") || w.ends_with(b"'S") || w.ends_with("’s".as_bytes())
}

/// Whether the word after token `e` is a possessive ending set off by a space, as tokenised
/// text writes it ("Ida 's mother").
fn spaced_possessive(chunk: &Chunk, e: usize) -> bool {
    if e + 1 >= chunk.tokens.len() || !chunk.gap_after(e).starts_with(b" ") {
        return false;
    }
    let gap = chunk.gap_after(e).trim_ascii();
    let next = chunk.word(e + 1);
    let apostrophe = |g: &[u8]| g == b"'" || g == "’".as_bytes();
    possessive(next) && gap.is_empty() || apostrophe(gap) && (next == b"s" || next == b"S")
}

/// Whether the gap before a run is a comma in the same line, spaced or not (", ", " , ").
fn comma_before(gap: &[u8]) -> bool {
    gap.trim_ascii() == b"," && !gap.contains(&b'\n') && gap.last() == Some(&b' ')
}

/// Lower-case words of the context lists below are compared against this form of a token.
fn lower(chunk: &Chunk, i: usize) -> Vec<u8> {
    let mut v = Vec::new();
    lexicon::lower_into(chunk.word(i), &mut v);
    v
}

fn one_of(word: &[u8], list: &[&str]) -> bool {
    list.iter().any(|w| w.as_bytes() == word)
}

const PATIENT: &[&str] = &["patient", "patients", "pt", "pts", "client", "resident"];
/// Credentials written after a name that the staff cue list cannot hold because they are also
/// other words ("PT" is "patient" in a note, "OT" is overtime).
const CREDENTIALS: &[&[u8]] =
    &[b"pt", b"ot", b"rd", b"rt", b"rrt", b"rph", b"dpm", b"ccrn", b"ocn", b"cns", b"emt", b"atc"];
const FAMILY: &[&str] = &[
    "daughter",
    "son",
    "wife",
    "husband",
    "mother",
    "father",
    "mom",
    "mum",
    "dad",
    "grandson",
    "granddaughter",
    "grandmother",
    "grandfather",
    "grandma",
    "grandpa",
    "brother",
    "sister",
    "aunt",
    "uncle",
    "niece",
    "nephew",
    "cousin",
    "friend",
    "neighbor",
    "neighbour",
    "baby",
    "child",
    "boy",
    "girl",
    "partner",
    "fiance",
    "fiancee",
    "widow",
    "widower",
    "caregiver",
    "dtr",
    "hcp",
    "spouse",
    "sibling",
    "stepson",
    "stepdaughter",
    "guardian",
];
const GREETING: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "thanks",
    "thank",
    "congratulations",
    "congrats",
    "welcome",
    "meet",
    "met",
    "goodbye",
    "bye",
    "prayers",
    "love",
    "miss",
    "remembering",
    "honoring",
    "honouring",
];
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "tells",
    "asked",
    "asks",
    "wrote",
    "writes",
    "added",
    "adds",
    "explained",
    "explains",
    "recalled",
    "recalls",
    "noted",
    "notes",
    "shared",
    "shares",
    "according",
    "per",
    "called",
    "texted",
    "emailed",
    "spoke",
    "visited",
    "saw",
    "seen",
];
const NAMED: &[&str] = &["named", "name", "i'm", "im", "am", "nicknamed", "aka"];
const NAME_LABEL: &[&str] = &[
    "name",
    "patient",
    "pt",
    "member",
    "contact",
    "caller",
    "from",
    "to",
    "cc",
    "attn",
    "attention",
    "signed",
    "insured",
    "subscriber",
    "guarantor",
    "guardian",
    "nok",
    "parent",
    "resident",
    "client",
    "emergency",
    "spouse",
    "by",
    "re",
];
const DETERMINER: &[&str] = &["the", "a", "an", "this", "that", "these", "those", "every", "each", "any", "no"];
const POSSESSIVE: &[&str] = &["my", "his", "her", "their", "your", "our", "its"];
const PERSON_VERB: &[&str] = &[
    "is",
    "was",
    "has",
    "had",
    "said",
    "says",
    "who",
    "will",
    "would",
    "died",
    "passed",
    "underwent",
    "received",
    "got",
    "gets",
    "thanked",
    "told",
    "tells",
    "asked",
    "came",
    "went",
    "loves",
    "loved",
    "became",
    "joined",
    "started",
    "finished",
    "spent",
    "turned",
    "celebrated",
    "remembers",
    "recalls",
    "describes",
    "explains",
    "wanted",
    "wants",
    "shared",
    "shares",
    "is",
    "are",
    "were",
    "feels",
    "felt",
    "needs",
    "needed",
    "called",
    "calls",
    "says",
    "and",
    "did",
    "does",
    "can",
    "could",
    "shouted",
    "smiled",
    "laughed",
    "cried",
    "replied",
    "answered",
    "whispered",
    "added",
    "insisted",
    "explained",
    "decided",
    "helped",
    "grew",
    "lives",
    "lived",
    "works",
    "worked",
    "married",
    "moved",
    "won",
    "played",
    "sang",
    "wrote",
    "should",
    "might",
    "must",
    "shall",
];
/// Words before a name that introduce a person in a credit or a match-up ("starring Ida Moss",
/// "Moss vs Lee"), besides the person nouns of [`super::describe`].
/// Verbs whose object is usually a person: "told Ida the news", "thanked Lee".
const OBJECT_VERB: &[&str] = &[
    "gave",
    "given",
    "give",
    "told",
    "tell",
    "asked",
    "ask",
    "thanked",
    "thank",
    "met",
    "texted",
    "emailed",
    "messaged",
    "hugged",
    "kissed",
    "married",
    "invited",
    "helped",
    "introduced",
    "welcomed",
    "congratulated",
    "congratulate",
    "reminded",
    "remind",
    "paged",
    "page",
    "interviewed",
    "nominated",
];

/// What a person's name qualifies when it is the author or the artist: "the Ida Moss biography",
/// "Lee fans".
const WORK: &[&str] = &[
    "novel",
    "novels",
    "concert",
    "concerts",
    "album",
    "albums",
    "song",
    "songs",
    "lyrics",
    "fan",
    "fans",
    "biography",
    "memoir",
    "poem",
    "poems",
    "interview",
    "solo",
];

const PERSON_BEFORE: &[&str] = &["starring", "featuring", "feat", "ft", "vs", "versus", "costarring", "co-starring"];
/// Words for a place in a ward, before its number.
const ROOM: &[&str] = &["room", "rm", "bed", "bay", "suite"];

/// Whether token `k` is a room or bed number ("12", "4E", "12-B").
fn numbered(chunk: &Chunk, k: usize) -> bool {
    k < chunk.tokens.len() && chunk.word(k).first().is_some_and(u8::is_ascii_digit) && chunk.word(k).len() <= 5
}

/// What a possessive name owns when the name is a person's ("Ida's address", "Lee's mom").
const PERSONAL: &[&str] = &[
    "address",
    "phone",
    "number",
    "email",
    "house",
    "home",
    "place",
    "car",
    "birthday",
    "family",
    "mom",
    "mum",
    "dad",
    "mother",
    "father",
    "wife",
    "husband",
    "son",
    "daughter",
    "kids",
    "children",
    "sister",
    "brother",
    "girlfriend",
    "boyfriend",
    "parents",
    "room",
    "bed",
    "funeral",
    "surgery",
    "diagnosis",
];

/// Whether a lower-case word is a family or relation noun, possessive or not ("daughter",
/// "wife's").
fn role_noun(w: &[u8]) -> bool {
    one_of(w, FAMILY) || possessive(w) && one_of(&w[..w.len() - 2], FAMILY)
}

/// Returns the fingerprint of token `i` lower-cased.
fn word_key(chunk: &Chunk, i: usize) -> u64 {
    let mut buf = Vec::new();
    lexicon::lower_into(chunk.word(i), &mut buf);
    lexicon::fingerprint(&buf)
}

/// Returns the name words (fingerprints) of every run with clinician cues in the chunk.
fn staff_words(chunk: &Chunk, runs: &[Run]) -> Vec<u64> {
    let mut out = Vec::new();
    for r in runs {
        if evidence(chunk, r.first, r.last) & EVIDENCE_STAFF != 0 {
            for i in r.first..=r.last {
                // Name words, and words no list knows ("Tavita Oloapu, RN … Tavita led"); not
                // everyday words, which may be anyone's.
                let word = is_name(chunk.tokens[i].flags) || class(chunk, i) == Class::Unknown;
                if chunk.tokens[i].shape != Shape::Initial && word || strong(chunk, i) {
                    out.push(word_key(chunk, i));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Records which words appear in which runs, for the document-level features.
struct Seen {
    /// (fingerprint of a lower-case run word, how many times it occurs in sure runs), sorted.
    sure_words: Vec<(u64, usize)>,
    /// Per run: the fingerprints of its words.
    by_run: Vec<Vec<u64>>,
    /// Per run: whether it is a sure name (two name words, or a name no word list holds).
    sure: Vec<bool>,
}

impl Seen {
    fn new(chunk: &Chunk, runs: &[Run]) -> Seen {
        let mut by_run = Vec::with_capacity(runs.len());
        let mut sure = Vec::with_capacity(runs.len());
        let mut buf = Vec::new();
        for r in runs {
            let mut strong_words = 0;
            let mut names = 0;
            let mut words = Vec::new();
            for i in r.first..=r.last {
                let t = chunk.tokens[i];
                if t.shape == Shape::Initial || (t.flags & PARTICLE != 0 && t.shape == Shape::Lower) {
                    continue;
                }
                buf.clear();
                lexicon::lower_into(chunk.word(i), &mut buf);
                words.push(lexicon::fingerprint(&buf));
                strong_words += usize::from(strong(chunk, i));
                names += usize::from(is_name(t.flags));
            }
            by_run.push(words);
            sure.push(strong_words >= 1 && names >= 2 || strong_words >= 2 || r.kin);
        }
        let mut seen = Seen { sure_words: Vec::new(), by_run, sure };
        seen.tally();
        seen
    }

    /// Marks the runs the model is sure of as sure too; returns whether any was not before.
    fn promote(&mut self, sure: &[bool]) -> bool {
        let mut changed = false;
        for (mine, &model) in self.sure.iter_mut().zip(sure) {
            if model && !*mine {
                *mine = true;
                changed = true;
            }
        }
        if changed {
            self.tally();
        }
        changed
    }

    /// Counts the words of the sure runs.
    fn tally(&mut self) {
        let mut all: Vec<u64> =
            self.by_run.iter().zip(&self.sure).filter(|(_, s)| **s).flat_map(|(w, _)| w.iter().copied()).collect();
        all.sort_unstable();
        self.sure_words.clear();
        for h in all {
            match self.sure_words.last_mut() {
                Some((w, n)) if *w == h => *n += 1,
                _ => self.sure_words.push((h, 1)),
            }
        }
    }

    /// Returns whether a word of run `k` is in a sure run elsewhere. Counts, not a scan of the
    /// other runs: a name repeated on every line of a long export stays linear.
    fn elsewhere(&self, chunk: &Chunk, runs: &[Run], k: usize) -> bool {
        let mut buf = Vec::new();
        let mut mine: Vec<u64> = Vec::new();
        for i in runs[k].first..=runs[k].last {
            buf.clear();
            lexicon::lower_into(chunk.word(i), &mut buf);
            mine.push(lexicon::fingerprint(&buf));
        }
        mine.iter().any(|h| {
            let from = self.sure_words.partition_point(|&(w, _)| w < *h);
            let in_sure = self.sure_words.get(from).filter(|(w, _)| w == h).map_or(0, |&(_, n)| n);
            // Run k's own occurrences of the word do not count as "elsewhere".
            let own = if self.sure[k] { self.words_of(k).filter(|w| w == h).count() } else { 0 };
            in_sure > own
        })
    }

    /// The fingerprints run `k` contributed to `words`.
    fn words_of(&self, k: usize) -> impl Iterator<Item = u64> + '_ {
        self.by_run[k].iter().copied()
    }
}

/// Collects the active features of run `k` into `out` (indices into [`FEATURES`]).
fn features(chunk: &Chunk, runs: &[Run], k: usize, seen: &Seen, out: &mut Vec<usize>) {
    let toks = chunk.tokens;
    let r = runs[k];
    let (s, e) = (r.first, r.last);
    let mut on = |f: F| out.push(f as usize);
    let members: Vec<usize> = (s..=e)
        .filter(|&i| {
            !(toks[i].flags & PARTICLE != 0 && toks[i].shape == Shape::Lower) && toks[i].shape != Shape::Initial
        })
        .collect();
    let initials = (s..=e).any(|i| toks[i].shape == Shape::Initial);
    match members.len() {
        0 | 1 => on(F::N1),
        2 => on(F::N2),
        _ => on(F::N3),
    }
    if initials {
        on(F::INITIAL);
    }
    if r.comma_form {
        on(F::COMMA_FORM);
    }
    if members.iter().any(|&i| chunk.word(i).contains(&b'-')) {
        on(F::HYPHEN);
    }
    let classes: Vec<Class> = members.iter().map(|&i| class(chunk, i)).collect();
    if classes.iter().filter(|c| strong_class(**c)).count() >= 2 {
        on(F::TWO_STRONG);
    }
    if let (Some(first), Some(last)) = (classes.first(), classes.last()) {
        let base = |c: Class| c as usize;
        let mut seen_class = [false; CLASSES];
        for c in &classes {
            seen_class[base(*c)] = true;
        }
        for (ci, present) in seen_class.iter().enumerate() {
            if *present {
                out.push(F::HAS_CF as usize + ci);
            }
        }
        out.push(F::FIRST_CF as usize + base(*first));
        out.push(F::LAST_CF as usize + base(*last));
        if classes.iter().all(|c| c == first) {
            out.push(F::ALL_CF as usize + base(*first));
        }
    }
    let mut on = |f: F| out.push(f as usize);
    // A run of words no list holds: does their spelling lean to names ("Okonkwetu") or to words?
    // (Where a list knows one of the words, that says more than letters.)
    let all_unknown = !classes.is_empty() && classes.iter().all(|c| *c == Class::Unknown);
    let shapes: Vec<f32> = if all_unknown {
        members.iter().filter_map(|&i| lexicon::name_shape(chunk.word(i))).collect()
    } else {
        Vec::new()
    };
    if !shapes.is_empty() {
        let mean = shapes.iter().sum::<f32>() / shapes.len() as f32;
        if mean > 0.5 {
            on(F::SHAPE_NAME);
        } else if mean < 0.0 {
            on(F::SHAPE_WORD);
        }
    }
    if members.iter().any(|&i| toks[i].flags & PLACE != 0) {
        on(F::PLACE_WORD);
    }
    if members.iter().any(|&i| toks[i].flags & NOT_NAME != 0) {
        on(F::FUNCTION_WORD);
    }
    if members.iter().any(|&i| toks[i].flags & (DIAGNOSIS | MEDICATION | super::lexicon::PROCEDURE) != 0) {
        on(F::HEALTH_WORD);
    }
    if members.first().is_some_and(|&i| toks[i].flags & FIRST != 0) {
        on(F::FIRST_IS_GIVEN);
    }
    if members.len() >= 2 && members.last().is_some_and(|&i| toks[i].flags & SURNAME != 0) {
        on(F::LAST_IS_FAMILY);
    }
    let casing = chunk.casing[s];
    if casing == Casing::Mixed && members.iter().all(|&i| toks[i].shape == Shape::Upper) {
        on(F::CAPS_IN_MIXED);
    }
    if casing == Casing::Mixed && toks[s].shape == Shape::Lower {
        on(F::LOWER_IN_MIXED);
    }
    let sentence_start = chunk.sentence_start(s);
    if sentence_start {
        on(F::SENT_START);
    } else {
        if classes.iter().any(|c| strong_class(*c)) {
            on(F::MID_STRONG);
        }
        if classes.iter().all(|c| *c == Class::Unknown) {
            on(F::MID_UNKNOWN);
        }
        if classes.iter().all(|c| matches!(c, Class::NameWord10 | Class::NameWord35 | Class::NameWord50)) {
            on(F::MID_NAME_WORD);
        }
    }
    let before = chunk.gap_before(s);
    let after = chunk.gap_after(e);
    let line_start = s == 0 || before.contains(&b'\n');
    let line_end = e + 1 == toks.len() || after.contains(&b'\n');
    if line_start && line_end {
        on(F::LINE_ALONE);
    } else if line_start {
        on(F::LINE_START);
    }
    // The word before.
    if s == 0 || before.contains(&b'\n') && !before.contains(&b':') {
        on(F::P_NONE);
    } else {
        let p = toks[s - 1];
        let pw = lower(chunk, s - 1);
        let tight = single_space(before) || before == b". ";
        if tight && p.flags & TITLE != 0 {
            on(F::P_TITLE);
        }
        if tight && p.flags & STAFF != 0 {
            on(F::P_STAFF);
        }
        if p.flags & STAFF_ROLE != 0 && single_space(before) {
            on(F::P_STAFF_ROLE);
        }
        let near = before.len() <= 3 && !before.iter().any(|b| matches!(b, b'.' | b'!' | b'?' | b';'));
        // "our patient Ida", "my daughter Ida", "pt's wife Ida": a role noun introduces a person.
        if near && (one_of(&pw, PATIENT) || role_noun(&pw)) {
            on(F::P_ROLE);
        }
        // "Thanks, Ida", and "Thank you, Ida" with the pronoun between.
        let thank_you =
            pw.as_slice() == b"you" && s >= 2 && matches!(lower(chunk, s - 2).as_slice(), b"thank" | b"bless");
        if near && (one_of(&pw, GREETING) || thank_you) {
            on(F::P_GREET);
        }
        if near && one_of(&pw, SPEECH) {
            on(F::P_SPEECH);
        }
        let named = one_of(&pw, NAMED)
            || s >= 2
                && matches!(
                    (lower(chunk, s - 2).as_slice(), pw.as_slice()),
                    (b"name", b"is")
                        | (b"this", b"is")
                        | (b"call" | b"calls" | b"called", b"me" | b"him" | b"her")
                        | (b"known", b"as")
                );
        if near && named {
            on(F::P_NAMED);
        }
        if single_space(before) {
            match pw.as_slice() {
                b"by" => on(F::P_BY),
                b"with" => on(F::P_WITH),
                b"to" | b"for" => on(F::P_TO),
                b"and" | b"or" | b"&" => on(F::P_AND),
                b"of" => on(F::P_OF),
                _ => {}
            }
            if pw.as_slice() == b"at" {
                on(F::P_AT);
            } else if p.flags & PLACE_PREP != 0 && !matches!(pw.as_slice(), b"of" | b"to") {
                on(F::P_PLACE);
            }
            if one_of(&pw, DETERMINER) {
                on(F::P_DET);
            }
            // "producer Ida Moss", "starring Lee": a person's role or credit right before.
            if one_of(&pw, PERSON_BEFORE) || super::describe::person_noun(chunk, s - 1) {
                on(F::P_PERSON_NOUN);
            }
            if one_of(&pw, POSSESSIVE) {
                on(F::P_POSS);
            }
            if one_of(&pw, OBJECT_VERB) {
                on(F::P_OBJECT_VERB);
            }
            if pw.iter().all(u8::is_ascii_digit) {
                on(F::P_NUMBER);
            }
            if chunk.capitalized(s - 1) && !chunk.sentence_start(s - 1) && casing == Casing::Mixed {
                on(F::P_CAP);
            }
        }
        if before.contains(&b':') {
            on(F::P_LABEL);
            if one_of(&pw, NAME_LABEL) || one_of(&pw, PATIENT) {
                on(F::P_NAME_LABEL);
            }
        }
        if comma_before(before) {
            on(F::P_COMMA);
            if appositive(chunk, s) {
                on(F::P_APPOSITIVE);
            }
        }
        // "RM 12 — J. DOE", "Bed 4: Ida Moss": a whiteboard or census line starts with the room.
        if s >= 2 && !single_space(before) && one_of(&lower(chunk, s - 2), ROOM) && numbered(chunk, s - 1) {
            on(F::P_ROOM);
        }
    }
    // The word after.
    if possessive(chunk.word(e)) || spaced_possessive(chunk, e) {
        on(F::N_POSS);
        // "Ida's mom", "Ida's knee", "Ida's chemo", "Ida's sugar": what only a person has.
        let bodily = BODY_PART | DIAGNOSIS | super::lexicon::PROCEDURE | CARE_OBJECT | CARE_TARGET;
        if e + 1 < toks.len()
            && single_space(after)
            && (one_of(&lower(chunk, e + 1), PERSONAL) || toks[e + 1].flags & bodily != 0)
        {
            on(F::N_POSS_PERSONAL);
        }
    }
    if e + 1 == toks.len() {
        on(F::N_NONE);
    } else {
        let n = toks[e + 1];
        let nw = lower(chunk, e + 1);
        if age_after(chunk, e) {
            on(F::N_AGE);
        }
        // "Ida Moss, RN", "Ida Moss, PharmD": a credential is written with capitals inside.
        let capitals = chunk.word(e + 1).iter().filter(|b| b.is_ascii_uppercase()).count();
        if (after == b", " || single_space(after)) && n.flags & STAFF != 0 && capitals >= 2 {
            on(F::N_CRED);
        }
        if after == b", " && (e + 1..(e + 4).min(toks.len())).any(|k| toks[k].flags & STAFF_ROLE != 0) {
            on(F::N_STAFF_ROLE);
        }
        // "Ida Moss, who wrote": a relative clause about a person ("Boston, which" is a place's).
        if (single_space(after) || after == b", ") && matches!(nw.as_slice(), b"who" | b"whose" | b"whom") {
            on(F::N_WHO);
        }
        if trait_after(chunk, s, e) {
            on(F::N_TRAIT);
        }
        if single_space(after) && one_of(&nw, PERSON_VERB) {
            on(F::N_VERB);
        } else if inflected_next(chunk, e) {
            on(F::N_INFLECTED);
        }
        // Punctuation counts after spaces too: tokenised exports and some typists write
        // "Ida , do you" and "thanks Ida !".
        let trimmed = after.trim_ascii_start();
        if trimmed.starts_with(b",") {
            on(F::N_COMMA);
        }
        if trimmed.first().is_some_and(|b| matches!(b, b'.' | b'!' | b'?')) {
            on(F::N_END);
        }
        if trimmed.starts_with(b"-") || trimmed.starts_with("—".as_bytes()) || trimmed.starts_with("–".as_bytes()) {
            on(F::N_DASH);
        }
        if after.ends_with(b"(") {
            on(F::N_PAREN);
        }
        if single_space(after) && chunk.capitalized(e + 1) && casing == Casing::Mixed {
            on(F::N_CAP);
        }
        if single_space(after) && n.flags & (BODY_PART | DIAGNOSIS | super::lexicon::PROCEDURE) != 0 {
            on(F::N_BODY);
        }
        if n.shape == Shape::Other && chunk.word(e + 1)[0].is_ascii_digit() {
            on(F::N_NUMBER);
            // "Ida Moss⏎12 Larch Lane": a line of its own above a street line is an addressee.
            let house = chunk.word(e + 1).iter().take_while(|b| b.is_ascii_digit()).count() <= 5;
            if line_start && line_end && house && e + 2 < toks.len() && single_space(chunk.gap_after(e + 1)) {
                let street = toks[e + 2];
                if matches!(street.shape, Shape::Capitalized | Shape::Upper | Shape::Lower | Shape::Other)
                    && chunk.word(e + 2)[0].is_ascii_alphabetic()
                {
                    on(F::N_ADDRESS);
                }
            }
        }
        if single_space(after) && one_of(&nw, WORK) {
            on(F::N_WORK);
        }
        if single_space(after) && n.shape == Shape::Lower && casing == Casing::Mixed {
            on(F::N_LOWER);
        }
        // "Ida in room 12", "Will in bed 4", "J. DOE — 4E BED 3": a person in a ward.
        let room_at = |k: usize| k + 1 < toks.len() && one_of(&lower(chunk, k), ROOM) && numbered(chunk, k + 1);
        // A whiteboard's separator: a dash (ASCII, en or em), a comma or a bracket, not a colon.
        let listed = !single_space(after)
            && after.iter().all(|&b| matches!(b, b' ' | b',' | b'(' | b'-' | 0xE2 | 0x80 | 0x93 | 0x94))
            && after.iter().any(|&b| b != b' ');
        if nw.as_slice() == b"in" && room_at(e + 2)
            || listed && (room_at(e + 1) || numbered(chunk, e + 1) && room_at(e + 2))
        {
            on(F::N_ROOM);
        }
    }
    // "Neuro: intact", "Ida: running late": a section label, or a speaker in a transcript.
    if after.trim_ascii_start().starts_with(b":") {
        on(F::N_COLON);
    }
    // A vocative: "Stay strong, Ida!", "Thank you, Ida." (and "Stay strong , Ida !").
    let punct_after = after.trim_ascii_start().first().copied();
    if comma_before(before)
        && (e + 1 == toks.len() || punct_after.is_some_and(|b| matches!(b, b'!' | b'?' | b'.' | b',')))
    {
        on(F::VOCATIVE);
    }
    // Neighbours in a list: "Ortiz, Lee and Abernethy"; the chain of linked runs around this one.
    let (mut lo, mut hi) = (k, k);
    while lo > 0 && linked(chunk, &runs[lo - 1], &runs[lo]) {
        lo -= 1;
    }
    while hi + 1 < runs.len() && linked(chunk, &runs[hi], &runs[hi + 1]) {
        hi += 1;
    }
    if hi > lo {
        let strong_other = (lo..=hi).filter(|&o| o != k).any(|o| {
            seen.sure[o] || (runs[o].first..=runs[o].last).any(|i| strong(chunk, i) && toks[i].flags & FIRST != 0)
        });
        if strong_other {
            on(F::LIST_STRONG);
        } else {
            on(F::LIST_ANY);
        }
        if hi - lo >= 2 {
            on(F::LIST_LONG);
        }
    }
    // The same word in a sure name elsewhere ("Ida Moss … Ida"). Only sure names count: a
    // repeated capitalised word is as often an organisation's as a person's.
    if seen.elsewhere(chunk, runs, k) {
        on(F::SEEN_STRONG);
    }
    let quoted = |g: &[u8]| g.ends_with(b"\"") || g.ends_with("“".as_bytes()) || g.ends_with("'".as_bytes());
    if quoted(before) && (after.starts_with(b"\"") || after.starts_with("”".as_bytes())) {
        on(F::IN_QUOTES);
    }
}

/// Whether the run at `s` names the person a noun phrase just before its comma describes: "our
/// volunteer of the month, Ida Moss", "my neighbour, Ida". Looks back up to four words in the
/// same clause for a person or role noun.
fn appositive(chunk: &Chunk, s: usize) -> bool {
    let mut k = s;
    while k > 0 && s - k < 4 {
        k -= 1;
        let w = lower(chunk, k);
        let role = chunk.tokens[k].flags & (STAFF_ROLE | ROLE) != 0 && chunk.tokens[k].shape == Shape::Lower;
        if role || one_of(&w, PATIENT) || role_noun(&w) || super::describe::person_noun(chunk, k) {
            return true;
        }
        let gap = chunk.gap_before(k);
        if k == 0 || gap.iter().any(|b| matches!(b, b'.' | b'!' | b'?' | b';' | b':' | b',' | b'\n' | b'(' | b'"')) {
            break;
        }
    }
    false
}

/// Whether run `b` follows run `a` in a list ("Ortiz, Lee", "Lee and Abernethy", "Lee · Ortiz").
fn linked(chunk: &Chunk, a: &Run, b: &Run) -> bool {
    let toks = chunk.tokens;
    let gap = chunk.text[toks[a.last].end..toks[b.first].start].trim_ascii();
    (b.first == a.last + 1 || b.first == a.last + 2 && matches!(chunk.word(a.last + 1), b"and" | b"or" | b"&"))
        && (gap.is_empty()
            || matches!(gap, b"," | b"and" | b"or" | b", and" | b", or" | b"&" | b"|" | b"/" | b";")
            || gap == "·".as_bytes()
            || gap == "•".as_bytes())
}

/// Whether an age follows the name ending at token `e`: ", 34," " (34)", " 34F", ", age 34".
fn age_after(chunk: &Chunk, e: usize) -> bool {
    let toks = chunk.tokens;
    let after = chunk.gap_after(e);
    let Some(n) = toks.get(e + 1) else { return false };
    let w = chunk.word(e + 1);
    let digits = w.iter().take_while(|b| b.is_ascii_digit()).count();
    let number = (1..=3).contains(&digits);
    let sexed = number && matches!(&w[digits..], b"F" | b"M" | b"f" | b"m" | b"yo" | b"y");
    if (after == b", " || !after.is_empty() && after.iter().all(|b| *b == b' ')) && sexed {
        return true;
    }
    if after == b", " && number && digits == w.len() {
        let next_gap = chunk.gap_after(e + 1);
        return next_gap.starts_with(b",") || next_gap.starts_with(b" ") || e + 2 == toks.len();
    }
    if after == b" (" && number && digits == w.len() && chunk.gap_after(e + 1).starts_with(b")") {
        // "(330) 555-0119" is a phone, not an age.
        return !(e + 2 < toks.len() && chunk.word(e + 2)[0].is_ascii_digit() && chunk.gap_after(e + 1).len() <= 2);
    }
    let _ = n;
    after == b", " && matches!(w, b"age" | b"aged") && e + 2 < toks.len() && chunk.word(e + 2)[0].is_ascii_digit()
}

/// Returns the rule-based evidence bits of the run `s..=e`: staff (clinician cues) and the
/// patient or family roles it is given with.
fn evidence(chunk: &Chunk, s: usize, e: usize) -> u32 {
    let toks = chunk.tokens;
    let mut evidence = 0;
    let before = chunk.gap_before(s);
    let after = chunk.gap_after(e);
    if s > 0 {
        let p = toks[s - 1];
        let pw = lower(chunk, s - 1);
        let tight = single_space(before) || before == b". ";
        if tight && p.flags & STAFF != 0 || p.flags & STAFF_ROLE != 0 && single_space(before) {
            evidence |= EVIDENCE_STAFF;
        }
        let near = before.len() <= 3 && !before.iter().any(|b| matches!(b, b'.' | b'!' | b'?' | b';'));
        let label = before.contains(&b':');
        if (near || label) && one_of(&pw, PATIENT) {
            evidence |= EVIDENCE_PATIENT | EVIDENCE_PATIENT_ROLE;
        }
        if near && role_noun(&pw) {
            evidence |= EVIDENCE_PATIENT;
        }
    }
    if age_after(chunk, e) {
        evidence |= EVIDENCE_PATIENT;
    }
    // ", MD", " RN", ", PT, DPT", ", PharmD": credentials after a name. In capitals every word
    // looks like one, so there only an unambiguous credential set off by commas counts
    // ("VASQUELL, RN, WHO"; not "SCRANTON, PA" or "SMITH, DO NOT").
    // Typed all in lower case ("ida moss, rn (4 west)"), the same holds.
    let lower_block = chunk.casing[e] == Casing::Lower;
    let upper = chunk.upper(e) || lower_block;
    if after == b", " || single_space(after) && !upper {
        for k in (e + 1..(e + 4).min(toks.len())).take_while(|&k| k == e + 1 || chunk.gap_before(k) == b", ") {
            let w = chunk.word(k);
            let written = w.len() >= 2 && (lower_block || w.iter().filter(|b| b.is_ascii_uppercase()).count() >= 2);
            let credential = toks[k].flags & STAFF != 0 || CREDENTIALS.iter().any(|c| w.eq_ignore_ascii_case(c));
            let lw = lower(chunk, k);
            let unambiguous = toks[k].flags & STAFF != 0
                && !one_of(&lw, &["do", "pa", "od", "dr", "doctor", "nurse", "prof", "professor"])
                || w.len() >= 3 && CREDENTIALS.iter().any(|c| lw == *c);
            let gap = chunk.gap_after(k);
            // Set off by punctuation, a bracket or a spaced dash ("QUILL, PHARMD — RAN …").
            let rest = gap.trim_ascii_start();
            let set_off = gap.first().is_none_or(|b| matches!(b, b',' | b'.' | b';' | b'\n' | b')'))
                || rest.starts_with(b"(")
                || rest.is_empty()
                || gap.first() == Some(&b' ') && ["—", "–", "-"].iter().any(|d| rest.starts_with(d.as_bytes()));
            let plain = !upper || unambiguous && set_off;
            if written && credential && plain {
                evidence |= EVIDENCE_STAFF;
            }
        }
    }
    // ", chief of cardiology", ", our oncologist": a staff role right after the name.
    if after == b", " && (e + 1..(e + 4).min(toks.len())).any(|k| toks[k].flags & STAFF_ROLE != 0) {
        evidence |= EVIDENCE_STAFF;
    }
    evidence
}

#[cfg(test)]
mod tests {
    fn names(text: &str) -> Vec<(String, f32, u32)> {
        crate::engine::testing::found_by("person-name", text, 0.5)
    }

    fn found(text: &str) -> Vec<String> {
        names(text).into_iter().map(|n| n.0).collect()
    }

    /// The runs the model weighs at all (none vetoed), whatever their probability.
    fn weighed(text: &str) -> Vec<String> {
        crate::engine::detectors::explain_names(text.as_bytes())
            .iter()
            .map(|c| text[c.start..c.end].to_string())
            .collect()
    }

    #[test]
    fn the_model_file_matches_the_features() {
        super::model();
    }

    #[test]
    fn a_given_name_typed_in_lower_case_where_a_person_stands() {
        // Ordinary text (capitals elsewhere), not a block in lower case.
        assert_eq!(found("OK so priscilla texted me at midnight"), ["priscilla"]);
        assert_eq!(found("Hey priscilla are you coming to the Game?"), ["priscilla"]);
        // Everyday words stay words, and a name word needs a person's place.
        assert!(found("The mark faded slowly and we will grace the Stage.").is_empty());
        assert!(found("We planted the priscilla rose in the Garden.").is_empty());
    }

    #[test]
    fn an_addressee_line_above_a_street_line() {
        assert_eq!(found("Odalys Brennick\n14 Quarry Lane\nApt 3\nFernhollow"), ["Odalys Brennick"]);
        // A common given name that is also a rare English word starts the name ("Anna").
        assert_eq!(found("Anna Quellberg\n\n27 Tannery Road\nLowmarsh"), ["Anna Quellberg"]);
    }

    #[test]
    fn a_name_after_the_noun_phrase_it_names() {
        assert_eq!(found("Our driver of the year, Tobiah Quenneville, retires in May."), ["Tobiah Quenneville"]);
    }

    #[test]
    fn a_name_thanked_by_name() {
        assert_eq!(found("Thank you, Marisol Quenby, for the flowers!"), ["Marisol Quenby"]);
    }

    #[test]
    fn a_short_text_without_capitals_is_lower_case() {
        assert_eq!(found("my name is rosalind"), ["rosalind"]);
        assert_eq!(found("Hi all, my name is rosalind and I run the Book club."), ["rosalind"]);
    }

    #[test]
    fn a_trait_asked_about_marks_a_person() {
        assert_eq!(found("Was Odette so stubborn about the diet?"), ["Odette"]);
        assert!(found("Was Odette on the list?").is_empty());
    }

    #[test]
    fn a_whiteboard_quoted_in_capitals_is_weighed_as_capitals() {
        let text = "Photo of our board: \"BED 6 — R. QUENNELL — PNA — TURN Q2H\" thanks team";
        assert_eq!(found(text), ["R. QUENNELL"]);
        // A caption's label before a room is not a name.
        assert!(found("Snapshot: \"RM 21 — TERMINAL CLEAN — READY FOR ADMIT\" nice work").is_empty());
    }

    #[test]
    fn credentials_make_staff_in_capitals_and_in_mixed_shapes() {
        let staff =
            |text: &str| names(text).iter().all(|n| n.2 & super::EVIDENCE_STAFF != 0) && !names(text).is_empty();
        assert!(staff("Our pharmacist of the year is Delpha Quirrell, PharmD, who runs the safety checks."));
        assert!(staff("CONGRATULATIONS TO TEODORA VASQUELL, RN, WHO LEADS OUR SEPSIS TEAM."));
        assert!(staff("• ORSOLYA KRANTZ, RN (ONCOLOGY) — FOR THE NEW TEACH-BACK CHECKLIST"));
        assert!(staff("THANKS TO BRANNOCK HYDE, RRT, FOR THE HIGH-FLOW TRAINING."));
        assert!(staff("• WENDEL ASKEVOLD, PHARMD — RAN THE ANTICOAGULATION AUDIT"));
        assert!(staff("well done wendel askevold, rn (4 west), preceptor of the year."));
        assert!(staff("thanks to teodora vasquell, rrt, for the vent training."));
        assert!(!staff("PT SEEN WITH HUSBAND ORLAN BEXLEY, DO — NOT TO BE DISTURBED."));
        assert!(!staff("PT SEEN WITH HUSBAND ORLAN BEXLEY, DO NOT DISTURB AFTER 9."));
    }

    #[test]
    fn a_word_after_a_street_and_a_comma_is_a_town() {
        assert!(found("Flu shots at 40 Larch Boulevard, Oakhaven, this Saturday.").is_empty());
        assert!(found("PARKING ON OSWIN TELLARD ROAD IS CLOSED.").is_empty());
        assert!(found("acl reconstruction (tobias quell surgery) was an option.").is_empty());
        assert!(found("A TALK ON ADDISON DISEASE AND SALT CRAVINGS.").is_empty());
        assert!(found("The new wing on Oswin Tellard Road opens in May.").is_empty());
    }

    #[test]
    fn finds_people_with_and_without_dictionaries() {
        assert_eq!(found("Marta Oyelowo-Brandt, 61, is back home."), ["Marta Oyelowo-Brandt"]);
        assert_eq!(found("Thanks to Mr. Pellworth for the flowers."), ["Mr. Pellworth"]);
        assert_eq!(found("It is under Donald van der Voet now."), ["Donald van der Voet"]);
        assert_eq!(found("Ask J. Smith."), ["J. Smith"]);
    }

    #[test]
    fn ambiguous_words_need_evidence() {
        assert!(found("Will you hope for grace? May is warm.").is_empty());
        assert_eq!(found("Our patient Hope was discharged."), ["Hope"]);
        assert_eq!(found("Mrs. Grace Brown called."), ["Mrs. Grace Brown"]);
        // A greeting or a ward place makes such a word a name in every casing.
        assert_eq!(found("GOOD NEWS FOR WILL IN BED 7 TODAY."), ["WILL"]);
        assert_eq!(found("good news for will in bed 7 today."), ["will"]);
        assert_eq!(found("HI APRIL, THE FORMS ARE READY."), ["APRIL"]);
        assert!(found("I WILL IN TIME. JUNE IS WARM. BED 7 IS FREE.").is_empty());
    }

    #[test]
    fn eponyms_and_organisations_are_not_people() {
        assert!(found("Living with Parkinson's disease and Down syndrome.").is_empty());
        assert!(found("A grant from Johnson & Johnson.").is_empty());
        assert!(found("Admitted to Pinecrest Hollow Regional Hospital.").is_empty());
        assert_eq!(weighed("Audited by Ernst & Young and by Marks & Spencer."), ["Audited"]);
        assert!(found("gifts to the wendela krovik diabetes fund doubled").is_empty());
        assert!(found("Tours of the Evander Tregarth dialysis suite start Monday.").is_empty());
        // Two given names joined by "&" (or HTML's "&amp;") are two people; so is anyone with "I".
        assert_eq!(weighed("Dinner with Odile &amp; Ottilie tonight"), ["Dinner", "Odile", "Ottilie"]);
        assert_eq!(weighed("Cosima & I went to the fair."), ["Cosima"]);
        // Full names joined by "&" are people, not a firm.
        assert_eq!(
            found("With thanks to Marisol Pastrana & Wendeline Pastrana."),
            ["Marisol Pastrana", "Wendeline Pastrana"]
        );
    }

    #[test]
    fn clinicians_are_marked_as_staff() {
        let n = names("Congratulations to Dr. Ilse Varnholt-Berg on the award.");
        assert_eq!(n.len(), 1);
        assert_eq!(n[0].0, "Dr. Ilse Varnholt-Berg");
        assert!(n[0].2 & super::EVIDENCE_STAFF != 0);
    }

    #[test]
    fn a_sure_name_makes_its_given_name_known_later() {
        // No list holds these words: the full name with a credential is sure, so the given
        // name alone later is the same person, and staff like them.
        let n = names("Team award — Tavita Oloapu, RN, Cardiology. Tavita rebuilt the handoff checklist.");
        let got: Vec<&str> = n.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(got, ["Tavita Oloapu", "Tavita"]);
        assert!(n.iter().all(|x| x.2 & super::EVIDENCE_STAFF != 0));
    }

    #[test]
    fn initials_need_an_introduction() {
        assert_eq!(found("Patient initials Q.L.M., a retired welder."), ["Q.L.M"]);
        assert_eq!(found("Seen pt Q.L. today."), ["Q.L"]);
        assert_eq!(found("Ask Mr. K. about it."), ["Mr. K"]);
        assert!(found("The U.S. team won.").is_empty());
        assert_eq!(found("drip started per t.w. at 0200, sbp 150s."), ["t.w"]);
        assert_eq!(found("SBT PASSED, RESULTS GIVEN TO Q.V. (RESIDENT) AT 0700."), ["Q.V"]);
        assert!(found("pt up in chair at 10 a.m. today, tol well.").is_empty());
        assert!(found("will recheck in a.m. per protocol").is_empty());
    }

    #[test]
    fn spelling_weighs_runs_no_list_holds() {
        let features = |text: &str| -> Vec<Vec<String>> {
            crate::engine::detectors::explain_names(text.as_bytes()).into_iter().map(|c| c.features).collect()
        };
        let f = features("Then Okonkwetu and Brannovich joined the Unfixableness panel.");
        assert!(f[0].contains(&"unknown-name-shaped".to_string()), "{f:?}");
        assert!(f[1].contains(&"unknown-name-shaped".to_string()), "{f:?}");
        assert!(f.last().unwrap().contains(&"unknown-word-shaped".to_string()), "{f:?}");
        // A run with a listed word is weighed by the lists, not by its letters.
        let f = features("Met with her brother Will Hollowmere today.");
        assert!(f.iter().flatten().all(|x| !x.contains("-shaped")), "{f:?}");
    }

    #[test]
    fn a_word_after_a_close_relative_is_a_name() {
        assert_eq!(found("Went home with her husband Will at noon."), ["Will"]);
        assert_eq!(found("PT'S WIFE BILLIE NOT YET HERE. HUSBAND RAY AT BEDSIDE, UPDATED."), ["BILLIE", "RAY"]);
        assert!(found("Her husband will drive her home.").is_empty());
        assert!(found("HUSBAND WILL BRING MEDS FROM HOME.").is_empty());
        assert_eq!(found("Fed well at noon. Dtr Joy at bedside, updated."), ["Joy"]);
        assert_eq!(found("HUSBAND DALE VISITING, QUESTIONS ANSWERED. SON CHASE HERE TOO."), ["DALE", "CHASE"]);
        assert_eq!(found("Met with husband Will Hollowmere today."), ["Will Hollowmere"]);
    }

    #[test]
    fn a_given_name_after_a_close_relative_in_lower_case() {
        let t = "tol diet. wife robin called twice, anxious. brother dale visits daily. sister june re: meds.";
        assert_eq!(found(t), ["robin", "dale", "june"]);
        assert!(found("pt resting. son will call in am. mother may come by. dtr at bedside.").is_empty());
    }

    #[test]
    fn a_relative_named_once_is_named_again() {
        let t = "Lives alone, dtr Joy checks in. Afebrile overnight. Joy asked about rehab.";
        assert_eq!(found(t), ["Joy", "Joy"]);
    }

    #[test]
    fn capitals_prove_nothing_in_an_all_caps_note() {
        let t = "PT RESTING QUIETLY. FOLEY DRAINING CLEAR AMBER URINE. TOLERATED DIET. CALM AND COOPERATIVE. \
                 DAUGHTER ROSALIND AT BEDSIDE.";
        assert_eq!(found(t), ["ROSALIND"]);
    }
}
