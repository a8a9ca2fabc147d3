//! Health facts: diagnoses, medications and procedures.
//!
//! Three sources of evidence, from most to least certain. Dictionary phrases (ICD-10-CM terms,
//! FDA drug names, a curated list of procedures and care events), longest match first; terms of
//! three letters or fewer (MS, MI, ALS) count only when written in capitals. A disease head noun
//! (disease, syndrome, deficiency, tumour) with the words that modify it ("Duchenne muscular
//! dystrophy", "Wilson disease"). Medical word endings (-itis, -oma, -osis, -emia, -pathy),
//! minus the everyday words that share them (diploma, diagnosis, empathy). Abbreviations a text
//! defines for a disease ("adenomatous polyposis coli (APC)") are learned and found again.

use super::detectors::{single_space, Chunk, DetectorRules};
use super::lexicon::{
    self, Shape, CLIN_ABBR, DIAGNOSIS, DISEASE_HEAD, ENGLISH, ENG_10, ENG_35, FIRST, FUNCTION, MEDICATION, NOT_NAME,
    ORG, PROCEDURE, SURNAME,
};
use super::Candidate;
use crate::text::segment::Casing;

/// Evidence bit on a health candidate: the whole span is a dictionary term (so it can be shown
/// in a breach summary: a term alone identifies no one).
pub const EVIDENCE_TERM: u32 = 16;

const SUFFIXES: &[&str] = &[
    "itis",
    "itides",
    "osis",
    "oses",
    "aemia",
    "emia",
    "emias",
    "oma",
    "omas",
    "omata",
    "pathy",
    "pathies",
    "plasia",
    "plasias",
    "trophy",
    "trophies",
    "algia",
    "algias",
    "penia",
    "uria",
    "ectasia",
    "megaly",
    "rrhea",
    "rrhoea",
    "plegia",
    "plegias",
    "paresis",
    "lepsy",
    "philia",
    "ischemia",
    "ischaemia",
    "cytosis",
    "cele",
];

/// Everyday or non-disease words that end like diseases. A real disease never belongs here, even
/// when a corpus leaves it unlabelled.
const NOT_DISEASE: &[&str] = &[
    "diploma",
    "diplomas",
    "aroma",
    "aromas",
    "coma",
    "comas",
    "soma",
    "stoma",
    "chroma",
    "oklahoma",
    "tacoma",
    "sonoma",
    "paloma",
    "stroma",
    "idioma",
    "axioma",
    "diagnosis",
    "prognosis",
    "symbiosis",
    "osmosis",
    "mitosis",
    "meiosis",
    "apoptosis",
    "metamorphosis",
    "hypnosis",
    "empathy",
    "sympathy",
    "apathy",
    "telepathy",
    "homeopathy",
    "osteopathy",
    "naturopathy",
    "academia",
    "bohemia",
    "nostalgia",
    "curia",
    "doses",
    "roses",
    "poses",
    "hoses",
    "noses",
    "closes",
    "loses",
    "chooses",
    "proboses",
    "diagnoses",
    "prognoses",
    "genoma",
    "trophy",
    "trophies",
    "emphasis",
    "synthesis",
    "analysis",
    "thesis",
    "basis",
    "oasis",
    "crisis",
    "genesis",
    "philia",
    "sclerosis",
    "celebrity",
    "cele",
    "edema",
    "oedema",
    "enuria",
    "penuria",
];

/// Appends health-fact candidates of `chunk` to `out`.
pub fn find(chunk: &Chunk, rules: &DetectorRules, out: &mut Vec<Candidate>, scratch: &mut Vec<u8>) {
    if rules.diagnosis.is_none() && rules.medication.is_none() && rules.procedure.is_none() {
        return;
    }
    let toks = chunk.tokens;
    let mut learned: Vec<Vec<u8>> = Vec::new();
    let want = DIAGNOSIS | MEDICATION | PROCEDURE;
    let first_out = out.len();
    let mut covered_until = 0; // tokens before this index are inside an emitted term
    let mut i = 0;
    while i < toks.len() {
        let t = toks[i];
        if let Some((end, flags)) = lexicon::longest_phrase(chunk.lex, chunk.text, toks, i, want, scratch) {
            if let Some((rule, conf)) = pick(chunk, rules, i, end, flags) {
                // Extend a diagnosis over a head noun right after it ("breast cancer" + "syndrome").
                let last = if flags & DIAGNOSIS != 0 { heads_after(chunk, end) } else { end };
                // Modifiers before a diagnosis ("Duchenne" in "Duchenne muscular dystrophy").
                let first = if flags & DIAGNOSIS != 0 { modifiers_before(chunk, i, covered_until) } else { i };
                let whole_term = first == i && last == end;
                out.push(Candidate {
                    rule,
                    start: toks[first].start,
                    end: toks[last].end,
                    confidence: conf,
                    evidence: if whole_term { EVIDENCE_TERM } else { 0 },
                });
                if Some(rule) == rules.diagnosis {
                    learn_abbreviation(chunk, last, &mut learned);
                }
                covered_until = last + 1;
                i = last + 1;
                continue;
            }
        }
        if let Some(rule) = rules.diagnosis {
            if t.flags & DISEASE_HEAD != 0 && t.shape != Shape::Upper {
                let first = modifiers_before(chunk, i, covered_until);
                if first < i {
                    out.push(Candidate { rule, start: toks[first].start, end: t.end, confidence: 0.65, evidence: 0 });
                    learn_abbreviation(chunk, i, &mut learned);
                    covered_until = i + 1;
                }
            } else if disease_suffix(chunk, i) {
                let last = heads_after(chunk, i);
                out.push(Candidate { rule, start: t.start, end: toks[last].end, confidence: 0.6, evidence: 0 });
                learn_abbreviation(chunk, last, &mut learned);
                covered_until = last + 1;
                i = last + 1;
                continue;
            }
        }
        i += 1;
    }
    if let Some(rule) = rules.diagnosis {
        let found: Vec<(usize, usize)> = out[first_out..].iter().map(|c| (c.start, c.end)).collect();
        cued(chunk, rule, &found, out);
    }
    // Lay phrasings and procedure shapes, where no term was found.
    let mut covered = vec![false; toks.len()];
    for c in &out[first_out..] {
        let from = toks.partition_point(|t| t.end <= c.start);
        for flag in covered.iter_mut().skip(from).take(toks[from..].partition_point(|t| t.start < c.end)) {
            *flag = true;
        }
    }
    super::lay::find(chunk, rules, &covered, out);
    if let (Some(rule), false) = (rules.diagnosis, learned.is_empty()) {
        for (k, t) in toks.iter().enumerate() {
            // Learned abbreviations are 2-8 characters with capitals: test only such tokens.
            if t.end - t.start <= 8
                && matches!(t.shape, Shape::Upper | Shape::Other)
                && learned.iter().any(|a| a.as_slice() == chunk.word(k))
            {
                out.push(Candidate { rule, start: t.start, end: t.end, confidence: 0.7, evidence: 0 });
            }
        }
    }
}

/// Returns the last token of the disease head nouns that directly follow token `last`
/// ("... carcinoma" + "syndrome"), or `last` when none do.
fn heads_after(chunk: &Chunk, mut last: usize) -> usize {
    let toks = chunk.tokens;
    while last + 1 < toks.len() && single_space(chunk.gap_after(last)) && toks[last + 1].flags & DISEASE_HEAD != 0 {
        last += 1;
    }
    last
}

/// Phrases after which the next words name what a person has ("tested positive for C. diff").
const CUES: &[&[&[u8]]] = &[
    &[b"positive", b"for"],
    &[b"diagnosed", b"with"],
    &[b"suffering", b"from"],
    &[b"suffers", b"from"],
    &[b"recovering", b"from"],
    &[b"treated", b"for"],
    &[b"treatment", b"for"],
    &[b"died", b"of"],
    &[b"died", b"from"],
    &[b"away", b"from"],
    &[b"battling"],
    &[b"battle", b"with"],
    &[b"survivor", b"of"],
    &[b"hospitalized", b"for"],
    &[b"hospitalised", b"for"],
    &[b"admitted", b"for"],
    &[b"admitted", b"with"],
];

/// Finds diagnoses named right after a cue phrase, when no dictionary term was found there.
fn cued(chunk: &Chunk, rule: usize, found: &[(usize, usize)], out: &mut Vec<Candidate>) {
    let toks = chunk.tokens;
    let mut found = found.to_vec();
    found.sort_unstable();
    for i in 1..toks.len() {
        // Every cue ends in one of a few words: test those before the whole table.
        let prev = chunk.word(i - 1);
        if !(3..=9).contains(&prev.len())
            || !matches!(prev[0] | 0x20, b'f' | b'w' | b'o' | b'b')
            || chunk.gap_before(i) != b" "
        {
            continue;
        }
        let hit = CUES.iter().any(|cue| {
            cue.len() <= i
                && cue.iter().enumerate().all(|(n, w)| {
                    let k = i - cue.len() + n;
                    chunk.word(k).eq_ignore_ascii_case(w) && (n + 1 == cue.len() || single_space(chunk.gap_after(k)))
                })
        });
        if !hit {
            continue;
        }
        // Already covered by a dictionary term? (`found` is sorted by start.)
        let p = found.partition_point(|&(s, _)| s < toks[i].end);
        if p > 0 && found[..p].iter().rev().take(8).any(|&(_, e)| toks[i].start < e) {
            continue;
        }
        let mut last = i;
        while last + 1 < toks.len() && last - i < 2 {
            let gap = chunk.gap_after(last);
            let next = toks[last + 1];
            let joins = single_space(gap) || gap == b"-" || (gap == b". " && chunk.word(last).len() == 1);
            if !joins || next.flags & (FUNCTION | NOT_NAME) != 0 || next.shape == Shape::Other {
                break;
            }
            last += 1;
        }
        let t = toks[i];
        if t.flags & (FUNCTION | NOT_NAME) != 0 || t.shape == Shape::Other {
            continue;
        }
        out.push(Candidate { rule, start: t.start, end: toks[last].end, confidence: 0.6, evidence: 0 });
    }
}

/// Chooses the rule and confidence for a dictionary phrase `i..=end`, or `None` to skip it.
fn pick(chunk: &Chunk, rules: &DetectorRules, i: usize, end: usize, flags: u32) -> Option<(usize, f32)> {
    let toks = chunk.tokens;
    let word = chunk.word(i);
    let single = i == end;
    // Short terms (MS, MI, DM, HIV) are also words and chat shorthand ("ms", "DM us"): they
    // count in capitals, or typed in a lower-case block, and only in a clinical sentence.
    // A common English word that is no abbreviation ("flu") is read as a word.
    let everyday =
        toks[i].shape == Shape::Lower && toks[i].flags & (ENG_10 | ENG_35) != 0 && toks[i].flags & CLIN_ABBR == 0;
    if single && word.len() <= 3 && !everyday {
        let written = toks[i].shape == Shape::Upper || chunk.lower(i);
        if !written || flags & DIAGNOSIS != 0 && !clinical_context(chunk, i) {
            return None;
        }
    }
    // A capitalised single word that is also a name, mid-sentence, is more likely a person.
    if single
        && toks[i].flags & (FIRST | SURNAME) != 0
        && toks[i].shape == Shape::Capitalized
        && !chunk.sentence_start(i)
    {
        return None;
    }
    if single && toks[i].flags & NOT_NAME != 0 && toks[i].flags & FUNCTION != 0 {
        return None;
    }
    let multi = if single { 0.0 } else { 0.1 };
    // ICD-10-CM names drugs in its poisoning codes; a lone drug name is a medication.
    if single && flags & MEDICATION != 0 && flags & DIAGNOSIS != 0 {
        return rules.medication.map(|r| (r, 0.75));
    }
    if flags & DIAGNOSIS != 0 {
        rules.diagnosis.map(|r| (r, 0.75 + multi))
    } else if flags & MEDICATION != 0 {
        rules.medication.map(|r| (r, 0.75 + multi))
    } else if flags & PROCEDURE != 0 {
        rules.procedure.map(|r| (r, 0.65 + multi))
    } else {
        None
    }
}

/// Words after a short abbreviation that make it chat, not a diagnosis ("DM us", "PM me").
const OBJECT_PRONOUNS: &[&[u8]] = &[b"us", b"me", b"them", b"him", b"her", b"you", b"it"];
/// Words before a short abbreviation that make it chat ("please DM", "send a PM").
/// Verbs of messaging before an article ("send a DM").
const SEND: &[&[u8]] = &[b"send", b"sent", b"drop", b"shoot", b"leave", b"slide", b"give", b"us", b"me"];
/// Not articles: "send a PM" is chat and "treated for a UTI" is not, so after "a" or "the"
/// the rest of the sentence decides.
const CHAT_BEFORE: &[&[u8]] = &[b"please", b"pls", b"via", b"by", b"send", b"your", b"our", b"my"];
/// Words right before a diagnosis that make a sentence clinical ("h/o DM", "hx of CHF").
const HISTORY_CUES: &[&[u8]] = &[
    b"h/o",
    b"hx",
    b"pmh",
    b"dx",
    b"with",
    b"w/",
    b"has",
    b"had",
    b"have",
    b"known",
    b"history",
    b"pt",
    b"patient",
    b"diagnosed",
    b"dx'd",
    b"poorly",
    b"controlled",
    b"uncontrolled",
    b"insulin-dependent",
    b"acute",
    b"chronic",
    b"severe",
    b"mild",
    b"moderate",
    b"worsening",
    b"decompensated",
];

/// Whether the short abbreviation at token `i` sits in a clinical sentence: a history cue
/// right before it, or another health term or charting shorthand within six words, and no
/// sign of chat around it.
fn clinical_context(chunk: &Chunk, i: usize) -> bool {
    let toks = chunk.tokens;
    let is = |k: usize, list: &[&[u8]]| list.iter().any(|w| chunk.word(k).eq_ignore_ascii_case(w));
    if i + 1 < toks.len() && single_space(chunk.gap_after(i)) && is(i + 1, OBJECT_PRONOUNS) {
        return false;
    }
    let article_before = i > 1 && is(i - 1, &[b"a", b"an"]);
    if i > 0 && is(i - 1, HISTORY_CUES) || article_before && is(i - 2, HISTORY_CUES) || whole_value(chunk, i) {
        return true;
    }
    if i > 0 && single_space(chunk.gap_before(i)) && is(i - 1, CHAT_BEFORE) {
        return false;
    }
    // "send us a DM", "drop the PM": a message, whatever the sentence is about.
    if i > 1 && is(i - 1, &[b"a", b"an", b"the"]) && is(i - 2, SEND) {
        return false;
    }
    let from = (0..i).rev().take(6).take_while(|&k| !chunk.starts[k + 1]).last().unwrap_or(i);
    let to = (i + 1..toks.len()).take(6).take_while(|&k| !chunk.starts[k]).last().unwrap_or(i);
    // Typed all in lower case, another abbreviation of three letters or more counts as well
    // ("310 tellard chf, 311 vosk uti").
    let lower_block = chunk.lower(i);
    (from..=to).filter(|&k| k != i).any(|k| {
        let len = toks[k].end - toks[k].start;
        toks[k].flags & (DIAGNOSIS | MEDICATION | PROCEDURE | super::lexicon::CLIN_ABBR) != 0
            && (len > 3 || toks[k].shape == Shape::Upper || lower_block && len == 3 && toks[k].flags & ENG_10 == 0)
    })
}

/// Whether token `i` is a whole field value: a quoted string (`"reason": "HIV"`) or a cell
/// between delimiters (`,HIV,`, `dx=HIV`): a data field, not chat.
fn whole_value(chunk: &Chunk, i: usize) -> bool {
    let (before, after) = (chunk.gap_before(i), chunk.gap_after(i));
    let quoted = before.ends_with(b"\"") && after.starts_with(b"\"");
    let opens = |g: &[u8]| g.last().is_some_and(|b| matches!(b, b',' | b'\t' | b'|' | b'=' | b';'));
    let closes = |g: &[u8]| g.first().is_none_or(|b| matches!(b, b',' | b'\t' | b'|' | b'\n' | b'\r' | b';'));
    // A field of a whiteboard or census line set off by spaced dashes or slashes
    // ("RM 4 - J. DOE - CHF - DAILY WEIGHTS"): spaces on both sides, so "I/O" is no field.
    let mark = |g: &[u8]| g == b"-" || g == b"/" || g == "—".as_bytes() || g == "–".as_bytes();
    let spaced_before = before.strip_suffix(b" ").and_then(|g| g.strip_prefix(b" ")).is_some_and(mark);
    let spaced_after = after.strip_prefix(b" ").is_some_and(|g| {
        let g = g.split(|b| *b == b' ').next().unwrap_or(g);
        mark(g)
    }) || after.first().is_none_or(|b| matches!(b, b'\n' | b'\r' | b'"'));
    quoted || opens(before) && closes(after) || spaced_before && spaced_after
}

/// Returns the first of up to three modifier words right before token `i` (not function words,
/// not inside an earlier term), or `i` when there are none.
fn modifiers_before(chunk: &Chunk, i: usize, floor: usize) -> usize {
    let toks = chunk.tokens;
    let short = chunk.word(i).len() <= 5;
    let abbreviation = short && (toks[i].shape == Shape::Upper || chunk.lower(i) && toks[i].flags & CLIN_ABBR != 0);
    // In a block typed in capitals, capitals no longer tell a modifier from a name or a
    // headline's verb ("CLINIC WINS STROKE AWARD", "IDA QUELL CANCER WING"):
    // take one everyday word at most, and no name, organisation word or possessive.
    let upper = chunk.casing[i] == Casing::Upper;
    let most = if upper { 1 } else { 3 };
    let mut first = i;
    while first > floor && i - first < most {
        let p = first - 1;
        let gap = chunk.gap_before(first);
        if !(single_space(gap) || gap == b"-") {
            break;
        }
        let t = toks[p];
        let w = chunk.word(p);
        // Before an abbreviation, a name no English word list holds is a person on a census
        // line ("512 QUELLAN CHF"), not a modifier; before a word it is an eponym ("Wilms tumor").
        // And mid-sentence in ordinary text, a capitalised word before one is a name too
        // ("311 Vosk UTI"): adjectives of abbreviations are written in lower case ("acute CHF").
        let person = abbreviation
            && (is_name_only(t.flags)
                || chunk.casing[p] == Casing::Mixed && t.shape == Shape::Capitalized && !chunk.sentence_start(p)
                || chunk.lower(p) && t.flags & (ENGLISH | DIAGNOSIS) == 0);
        let known = t.flags & (ENGLISH | DIAGNOSIS) != 0;
        let odd_in_caps =
            upper && (!known || t.flags & ORG != 0 || is_name_only(t.flags) || w.ends_with(b"'S") || w.ends_with(b"'"));
        if t.flags & (FUNCTION | NOT_NAME) != 0
            || person
            || odd_in_caps
            || !w.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'\'')
        {
            break;
        }
        if t.shape == Shape::Other && !w.iter().any(u8::is_ascii_alphabetic) {
            break;
        }
        first = p;
    }
    first
}

/// Whether a word is a name no English word list or diagnosis list holds.
fn is_name_only(flags: u32) -> bool {
    flags & (FIRST | SURNAME) != 0 && flags & (ENGLISH | DIAGNOSIS) == 0
}

/// Whether token `i` ends like a disease name and is not an everyday word that does too.
fn disease_suffix(chunk: &Chunk, i: usize) -> bool {
    let t = chunk.tokens[i];
    if !matches!(t.shape, Shape::Lower | Shape::Capitalized)
        || t.flags & (FIRST | SURNAME) != 0 && t.shape == Shape::Capitalized
    {
        return false;
    }
    let w = chunk.word(i);
    // Every suffix ends in one of these letters: most words stop here, on the hot path.
    if w.len() < 6 || w.len() > 40 || !matches!(w[w.len() - 1] | 0x20, b'a' | b's' | b'y' | b'e' | b'h') {
        return false;
    }
    let mut buf = [0u8; 40];
    let lower = &mut buf[..w.len()];
    for (d, s) in lower.iter_mut().zip(w) {
        *d = s.to_ascii_lowercase();
    }
    let Ok(s) = std::str::from_utf8(lower) else { return false };
    // Compare the last two letters first: a full comparison per suffix was a tenth of the
    // detector's time.
    let (y, z) = (lower[w.len() - 2], lower[w.len() - 1]);
    SUFFIXES.iter().any(|suf| {
        let x = suf.as_bytes();
        x[x.len() - 1] == z && x[x.len() - 2] == y && s.ends_with(suf)
    }) && !NOT_DISEASE.contains(&s)
}

/// Learns "term (ABBR)" after a diagnosis ending at token `last`.
fn learn_abbreviation(chunk: &Chunk, last: usize, learned: &mut Vec<Vec<u8>>) {
    let toks = chunk.tokens;
    if last + 1 >= toks.len() || chunk.gap_after(last) != b" (" {
        return;
    }
    let k = last + 1;
    let w = chunk.word(k);
    let closes = chunk.gap_after(k).starts_with(b")");
    let upper = w.iter().filter(|b| b.is_ascii_uppercase()).count();
    if closes
        && (2..=8).contains(&w.len())
        && upper >= 2
        // "X-ALD", "A-T": a hyphen inside, never at an end.
        && w.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        && w[0] != b'-'
        && w[w.len() - 1] != b'-'
        && !learned.iter().any(|a| a == w)
    {
        learned.push(w.to_vec());
    }
}

#[cfg(test)]
mod tests {
    use super::SUFFIXES;

    #[test]
    fn suffixes_end_in_the_letters_the_fast_check_allows() {
        for s in SUFFIXES {
            assert!(matches!(s.as_bytes()[s.len() - 1], b'a' | b's' | b'y' | b'e' | b'h'), "{s}");
            assert!(s.len() >= 2, "{s}: the two-letter pre-check needs two letters");
        }
    }

    fn diagnoses(text: &str) -> Vec<String> {
        crate::engine::testing::spans_of("diagnosis", text, 0.0)
    }

    #[test]
    fn a_short_everyday_word_is_a_word_not_an_abbreviation() {
        // "flu" is a word people write, not shorthand that chat shares.
        assert_eq!(diagnoses("Stay home if you have flu symptoms this winter."), ["flu"]);
        assert!(diagnoses("DM us for details.").is_empty());
    }

    #[test]
    fn a_plural_possessive_joins_a_term() {
        assert_eq!(diagnoses("A talk on Graves' disease and the eye."), ["Graves' disease"]);
    }

    #[test]
    fn short_abbreviations_after_an_article_follow_the_sentence() {
        assert_eq!(diagnoses("She was put on an antibiotic for a UTI last week."), ["UTI"]);
        assert_eq!(diagnoses("He came back with a CHF exacerbation and swollen legs."), ["CHF", "swollen legs"]);
        assert!(diagnoses("Send us a DM about the diabetes prevention class.").iter().all(|d| d != "DM"));
        assert_eq!(
            diagnoses("Boys with Quillon-Marsh syndrome (Q-MS) tire early. Q-MS is rare."),
            ["Quillon-Marsh syndrome", "Q-MS", "Q-MS"]
        );
        assert_eq!(diagnoses("She reported arthralgias after the trip."), ["arthralgias"]);
        assert!(diagnoses("Questions? Drop the PM team a note about our cancer walk.").iter().all(|d| d != "PM"));
    }

    #[test]
    fn census_lines_keep_names_out_of_abbreviations() {
        // A capitalised word before an abbreviation mid-sentence is a name, not a modifier.
        assert_eq!(diagnoses("Beds: 310 Tellard CHF, 311 Vosk UTI"), ["CHF", "UTI"]);
        // Typed in lower case, abbreviations side by side make each other clinical.
        assert_eq!(diagnoses("beds: 310 tellard chf, 311 vosk uti"), ["chf", "uti"]);
        assert_eq!(diagnoses("pt with acute chf, improving."), ["acute chf"]);
        assert!(diagnoses("dm me pls, the pm shift is fun lol").is_empty());
    }

    #[test]
    fn short_abbreviations_as_fields_of_a_board_line() {
        assert_eq!(diagnoses("Board: RM 4 - Q. LINDQVIST - CHF - STRICT I/O"), ["CHF"]);
        assert_eq!(diagnoses("BAY 2 — T. ODUYA — COPD"), ["COPD"]);
        // Not set off on both sides: chat, as before.
        assert!(diagnoses("Send a DM - we answer fast").is_empty());
    }
}
