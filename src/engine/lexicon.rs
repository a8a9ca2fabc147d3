//! The lexicon: every embedded word list in one hash table, and the tokenizer that reads text
//! against it.
//!
//! Names, places and health terms are not found with one giant automaton but word by word: the
//! text is split into tokens (ASCII fast path, accents kept), each token is lower-cased into a
//! scratch buffer and looked up once in a table of flags (first name, surname, ambiguous word,
//! diagnosis, …). Multi-word terms ("acute lymphoblastic leukemia", "elk city") are found by
//! extending the lookup key one token at a time while the table says a longer entry continues
//! (the `PREFIX` flag), keeping the longest match. This is as fast as one Aho-Corasick pass over
//! a 300k-term dictionary, checks word boundaries by construction, and lets the detectors
//! ([`super::names`], [`super::health`], [`super::places`]) reason about neighbouring tokens.
//!
//! The table holds fingerprints of the embedded lists (see [`Lexicon`]), compiled at build time
//! and shared by every thread.

use super::table::Table;
pub use super::table::{
    fingerprint, fingerprint_ascii_lower, AMBIGUOUS, AMBIGUOUS_PLACE, BODY_PART, CARE_OBJECT, CARE_TARGET, CLIN_ABBR,
    COMMON_FIRST, COMMON_SURNAME, DIAGNOSIS, DISEASE_HEAD, ENGLISH, ENG_10, ENG_35, ENG_50, ENG_70, FIRST, FUNCTION,
    INJURY, LISTS, MEDICATION, NOT_NAME, ORG, PARTICLE, PLACE, PLACE_PREP, PREFIX, PROCEDURE, PROC_HEAD, ROLE, STAFF,
    STAFF_ROLE, STATE, SURNAME, TITLE,
};

/// The table compiled from `rules/dicts/` by `build.rs`.
static COMPILED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lexicon.bin"));

/// The letter-trigram table compiled from the name and English lists by `build.rs`.
static SHAPE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/name-shape.bin"));

/// Returns how much `word` is spelt like a name rather than an English word (see
/// [`super::shape`]): above 0 like a name; `None` for short or non-letter words.
pub fn name_shape(word: &[u8]) -> Option<f32> {
    super::shape::score(SHAPE, word)
}

/// The word table: lower-case term → flags.
///
/// Stored as fingerprints, not strings: every term (and every word-boundary prefix of a
/// multi-word term) is a 64-bit hash with its flags, sorted, with an index over the hash's top
/// bits, compiled at build time (see [`super::table`]). A lookup is one hash and two cache
/// lines; nothing is built at run time. Distinct terms that share a 64-bit hash are vanishingly
/// unlikely and would only merge their flags.
#[derive(Clone, Copy)]
pub struct Lexicon {
    table: Table<'static>,
}

impl Lexicon {
    /// Returns the shared lexicon (a view of the embedded table: free to call).
    pub fn get() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(|| Lexicon {
            // build.rs wrote these bytes with the same code that reads them; a mismatch is a
            // build bug, caught by the `compiled_table_is_current` test.
            table: Table::parse(COMPILED).expect("the compiled lexicon table is well formed"),
        })
    }

    /// Returns the flags of a lower-case term (0 when unknown).
    #[inline]
    pub fn flags(&self, key: &[u8]) -> u32 {
        self.table.flags_of(fingerprint(key))
    }

    /// Returns the flags of the term with fingerprint `h`.
    #[inline]
    fn flags_of(&self, h: u64) -> u32 {
        self.table.flags_of(h)
    }

    /// Whether a five-digit ZIP code exists.
    pub fn zip_exists(&self, zip: u32) -> bool {
        self.table.zip_exists(zip)
    }
}

/// A small direct-mapped cache of recent lookups, one per scanning call.
///
/// Word frequencies follow Zipf's law: a few thousand words make most of any text, and each
/// lookup in the full table costs two cache misses. This table fits in L2 and answers most
/// tokens from there.
pub struct FlagCache {
    slots: Vec<(u64, u32)>,
}

impl Default for FlagCache {
    fn default() -> FlagCache {
        FlagCache { slots: vec![(0, 0); 1 << 13] }
    }
}

impl FlagCache {
    /// Returns the flags of a lower-case term, from the cache or the lexicon.
    #[inline]
    pub fn flags(&mut self, lex: &Lexicon, key: &[u8]) -> u32 {
        self.flags_of(lex, fingerprint(key))
    }

    /// Returns the flags of the term with fingerprint `raw`, from the cache or the lexicon.
    #[inline]
    pub fn flags_of(&mut self, lex: &Lexicon, raw: u64) -> u32 {
        let h = raw | 1; // 0 marks an empty slot
        let slot = &mut self.slots[(h as usize >> 1) & ((1 << 13) - 1)];
        if slot.0 == h {
            return slot.1;
        }
        let f = lex.flags_of(raw);
        *slot = (h, f);
        f
    }
}

/// The written shape of a token, which is evidence in itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// all lower case
    Lower,
    /// First letter upper, rest lower (or with internal capitals: McDonald, O'Neil)
    Capitalized,
    /// ALL UPPER CASE (two or more letters)
    Upper,
    /// A single upper-case letter (an initial)
    Initial,
    /// Digits or a mix
    Other,
}

/// One word of the text with its dictionary flags.
#[derive(Clone, Copy, Debug)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Flags of the lower-cased word.
    pub flags: u32,
    /// Written shape.
    pub shape: Shape,
}

/// Returns the byte length of the character at `i` when it is a letter or digit (accented
/// letters included; dashes, quotes, emoji and invalid bytes are not).
#[inline]
fn word_char(text: &[u8], i: usize) -> Option<usize> {
    let b = text[i];
    if b < 0x80 {
        return b.is_ascii_alphanumeric().then_some(1);
    }
    let len = match b {
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF7 => 4,
        _ => return None,
    };
    let c = std::str::from_utf8(text.get(i..i + len)?).ok()?.chars().next()?;
    c.is_alphanumeric().then_some(len)
}

/// Whether the bytes at `i` are a right single quotation mark (U+2019), used as an apostrophe.
#[inline]
fn curly_apostrophe(text: &[u8], i: usize) -> bool {
    text.len() > i + 2 && text[i] == 0xE2 && text[i + 1] == 0x80 && text[i + 2] == 0x99
}

fn shape(word: &[u8]) -> Shape {
    let mut upper = 0;
    let mut lower = 0;
    let mut digits = 0;
    for &b in word {
        if b.is_ascii_uppercase() {
            upper += 1;
        } else if b.is_ascii_lowercase() || b >= 0x80 {
            lower += 1;
        } else if b.is_ascii_digit() {
            digits += 1;
        }
    }
    let first_upper = word.first().is_some_and(u8::is_ascii_uppercase)
        || (word.first().is_some_and(|b| *b >= 0x80) && starts_upper_unicode(word));
    if digits > 0 {
        Shape::Other
    } else if upper == 1 && lower == 0 {
        Shape::Initial
    } else if upper >= 2 && lower == 0 {
        Shape::Upper
    } else if first_upper {
        Shape::Capitalized
    } else if upper == 0 {
        Shape::Lower
    } else {
        Shape::Other
    }
}

fn starts_upper_unicode(word: &[u8]) -> bool {
    let s = String::from_utf8_lossy(&word[..word.len().min(4)]);
    s.chars().next().is_some_and(char::is_uppercase)
}

/// Lower-cases `word` into `out` (ASCII fast path; full Unicode when needed), mapping the curly
/// apostrophe to `'`.
pub fn lower_into(word: &[u8], out: &mut Vec<u8>) {
    if word.is_ascii() {
        out.extend(word.iter().map(u8::to_ascii_lowercase));
        return;
    }
    let s = String::from_utf8_lossy(word).replace('\u{2019}', "'");
    out.extend(s.to_lowercase().as_bytes());
}

/// Splits `text` into word tokens, appending them to `out` with their flags.
///
/// A token is a run of letters and digits (and any non-ASCII bytes), with single apostrophes,
/// hyphens and periods-between-letters kept inside it ("O'Neil", "García-López", "covid-19").
pub fn tokenize(
    lex: &Lexicon,
    cache: &mut FlagCache,
    text: &[u8],
    base: usize,
    out: &mut Vec<Token>,
    scratch: &mut Vec<u8>,
) {
    let mut i = 0;
    let n = text.len();
    while i < n {
        if word_char(text, i).is_none() {
            i += 1;
            continue;
        }
        let start = i;
        loop {
            while i < n {
                match word_char(text, i) {
                    Some(len) => i += len,
                    None => break,
                }
            }
            // Inner punctuation followed by a word character continues the token.
            if i + 1 < n && (text[i] == b'\'' || text[i] == b'-') && word_char(text, i + 1).is_some() {
                i += 1;
                continue;
            }
            if curly_apostrophe(text, i) && i + 3 < n && text[i + 3].is_ascii_alphabetic() {
                i += 3;
                continue;
            }
            break;
        }
        if i == start {
            // A lone curly apostrophe.
            i += 3;
            continue;
        }
        let word = &text[start..i];
        let flags = if word.iter().all(u8::is_ascii_digit) {
            // Numbers are never names or terms worth a lookup (exports are full of them).
            0
        } else if word.iter().all(u8::is_ascii_alphanumeric) {
            // The common case: hash the word lower-cased in place, no copy, no fallback.
            cache.flags_of(lex, fingerprint_ascii_lower(word))
        } else {
            scratch.clear();
            lower_into(word, scratch);
            match cache.flags(lex, scratch) {
                0 => fallback_flags(lex, scratch, word),
                f => f,
            }
        };
        out.push(Token { start: base + start, end: base + i, flags, shape: shape(word) });
    }
}

/// Returns name flags for spellings the lists do not hold: a possessive ("Hope's" → hope),
/// an apostrophe the Census drops ("O'Neil" → oneil), accents ("García" → garcia), and the
/// parts of a hyphenated name ("Varga-Holm").
fn fallback_flags(lex: &Lexicon, key: &[u8], word: &[u8]) -> u32 {
    const NAMES: u32 = FIRST | SURNAME | AMBIGUOUS | PLACE;
    // Most unknown words are plain ASCII with nothing to strip or fold: stop before any work.
    if key.iter().all(|b| b.is_ascii_alphanumeric()) {
        return 0;
    }
    if let Some(stem) = key.strip_suffix(b"'s") {
        let f = lex.flags(stem) & NAMES;
        if f != 0 {
            return f;
        }
    }
    // Only a name-like apostrophe is dropped (O'Neil, D'Angelo), never a contraction (I'm).
    let name_apostrophe = word
        .iter()
        .position(|b| *b == b'\'')
        .is_some_and(|p| p <= 2 && word.get(p + 1).is_some_and(u8::is_ascii_uppercase));
    if !name_apostrophe && key.contains(&b'\'') {
        return 0;
    }
    let folded = fold(key);
    if folded.as_slice() != key {
        let f = lex.flags(&folded) & (NAMES | DIAGNOSIS | MEDICATION);
        if f != 0 {
            return f;
        }
    }
    if folded.contains(&b'-') {
        let mut f = 0;
        for part in folded.split(|b| *b == b'-').filter(|p| p.len() > 1) {
            f |= lex.flags(part) & (FIRST | SURNAME);
        }
        return f;
    }
    0
}

/// Returns `key` without apostrophes and with common Latin accents removed.
fn fold(key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len());
    let s = String::from_utf8_lossy(key);
    for c in s.chars() {
        let r = match c {
            '\'' => continue,
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => 'a',
            'ç' | 'ć' | 'č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
            'ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
            'ý' | 'ÿ' => 'y',
            'ś' | 'š' | 'ş' => 's',
            'ź' | 'ż' | 'ž' => 'z',
            'ł' => 'l',
            'ř' => 'r',
            'ť' => 't',
            'ď' => 'd',
            'ğ' => 'g',
            c => c,
        };
        let mut buf = [0u8; 4];
        out.extend(r.encode_utf8(&mut buf).as_bytes());
    }
    out
}

/// Returns the longest dictionary phrase starting at token `i` whose flags intersect `want`:
/// `(index of its last token, its flags)`. Tokens must be separated by spaces only.
pub fn longest_phrase(
    lex: &Lexicon,
    text: &[u8],
    tokens: &[Token],
    i: usize,
    want: u32,
    scratch: &mut Vec<u8>,
) -> Option<(usize, u32)> {
    let first = tokens[i];
    if first.flags & (want | PREFIX) == 0 {
        return None;
    }
    let mut best = (first.flags & want != 0).then_some((i, first.flags));
    if first.flags & PREFIX == 0 {
        return best;
    }
    scratch.clear();
    lower_into(&text[first.start..first.end], scratch);
    let mut j = i;
    while j + 1 < tokens.len() && j - i < 8 {
        let next = tokens[j + 1];
        let gap = &text[tokens[j].end..next.start];
        // Words join across spaces, across an initial's period ("C. diff") and across a
        // plural possessive's apostrophe ("Graves' disease" is "Graves disease").
        let initial = tokens[j].end - tokens[j].start == 1 && gap == b". ";
        let plural_possessive =
            (gap == b"' " || gap == "’ ".as_bytes()) && text[tokens[j].end - 1].eq_ignore_ascii_case(&b's');
        if !initial
            && !plural_possessive
            && (gap.is_empty() || gap.len() > 2 || !gap.iter().all(|b| *b == b' ' || *b == b'\t'))
        {
            break;
        }
        scratch.push(b' ');
        lower_into(&text[next.start..next.end], scratch);
        let f = lex.flags(scratch);
        if f == 0 {
            break;
        }
        j += 1;
        if f & want != 0 {
            best = Some((j, f));
        }
        if f & PREFIX == 0 {
            break;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(text: &str) -> Vec<(String, Shape)> {
        let lex = Lexicon::get();
        let mut out = Vec::new();
        tokenize(lex, &mut FlagCache::default(), text.as_bytes(), 0, &mut out, &mut Vec::new());
        out.iter().map(|t| (text[t.start..t.end].to_string(), t.shape)).collect()
    }

    #[test]
    fn tokens_keep_names_whole() {
        let t = toks("Mr. O'Neil met García-López and J. Smith (covid-19) — it’s fine");
        let words: Vec<&str> = t.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["Mr", "O'Neil", "met", "García-López", "and", "J", "Smith", "covid-19", "it’s", "fine"]);
        assert_eq!(t[1].1, Shape::Capitalized);
        assert_eq!(t[3].1, Shape::Capitalized);
        assert_eq!(t[5].1, Shape::Initial);
    }

    #[test]
    fn the_lexicon_knows_names_and_terms() {
        let lex = Lexicon::get();
        assert!(lex.flags(b"delphine") & FIRST != 0);
        assert!(lex.flags(b"hope") & AMBIGUOUS != 0);
        assert!(lex.flags(b"diabetes") & DIAGNOSIS != 0);
        assert!(lex.flags(b"metformin") & MEDICATION != 0);
        assert!(lex.flags(b"acute lymphoblastic") & PREFIX != 0);
        assert!(lex.zip_exists(44691) || lex.zip_exists(10001));
        assert!(!lex.zip_exists(0));
    }

    #[test]
    fn longest_phrase_wins() {
        let lex = Lexicon::get();
        let text = b"with acute lymphoblastic leukemia today";
        let mut tokens = Vec::new();
        let mut scratch = Vec::new();
        tokenize(lex, &mut FlagCache::default(), text, 0, &mut tokens, &mut scratch);
        let (end, flags) = longest_phrase(lex, text, &tokens, 1, DIAGNOSIS, &mut scratch).unwrap();
        assert_eq!(end, 3);
        assert!(flags & DIAGNOSIS != 0);
    }

    #[test]
    fn ascii_fingerprints_lower_case_in_place() {
        for w in ["Delphine", "DIABETES", "x", "", "McDonald", "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "a1B2-c'D@[`{~"] {
            assert_eq!(fingerprint_ascii_lower(w.as_bytes()), fingerprint(w.to_ascii_lowercase().as_bytes()), "{w}");
        }
        // Every ASCII byte, in every position of a word.
        for b in 0u8..0x80 {
            for pos in 0..9 {
                let mut w = vec![b'q'; 9];
                w[pos] = b;
                assert_eq!(fingerprint_ascii_lower(&w), fingerprint(&w.to_ascii_lowercase()), "{b:#x} at {pos}");
            }
        }
    }

    #[test]
    fn name_shape_table_is_current_and_leans_the_right_way() {
        assert!(SHAPE == super::super::shape::compile().as_slice(), "stale name-shape table: rebuild");
        // Spellings no list holds: invented surnames lean to names, invented words to words.
        for name in ["Brannovich", "Okonkwetu", "Vandersloot"] {
            assert!(name_shape(name.as_bytes()).unwrap() > 0.0, "{name}");
        }
        for word in ["unfixableness", "overthoughtfully", "reclarification"] {
            assert!(name_shape(word.as_bytes()).unwrap() < 0.0, "{word}");
        }
        assert_eq!(name_shape(b"Ed"), None);
        assert_eq!(name_shape(b"O'Neil"), None);
    }

    #[test]
    fn compiled_table_is_current() {
        // build.rs reruns when rules/dicts changes; this proves the embedded bytes are what the
        // lists compile to now, and that every entry is found.
        assert!(COMPILED == super::super::table::compile().as_slice(), "stale lexicon table: rebuild");
        let lex = Lexicon::get();
        assert!(lex.table.len() > 250_000, "{} entries", lex.table.len());
        for (list, flag) in [("first-names.txt", FIRST), ("diagnoses.txt", DIAGNOSIS), ("places.txt", PLACE)] {
            let text = LISTS.iter().find(|(n, _)| *n == list).unwrap().1;
            for t in super::super::table::terms(text) {
                assert!(lex.flags(t.as_bytes()) & flag != 0, "{list}: {t:?} not found");
            }
        }
    }

    #[test]
    fn word_lists_are_canonical() {
        for (name, text) in LISTS {
            let body: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
            if *name == "cues.txt" {
                continue; // sectioned; checked below
            }
            for w in body.windows(2) {
                assert!(w[0] < w[1], "{name}: not sorted/deduplicated at {:?} / {:?}", w[0], w[1]);
            }
            for l in &body {
                assert!(!l.is_empty() && l.trim() == *l, "{name}: blank or padded line {l:?}");
                assert_eq!(l.to_lowercase(), *l, "{name}: not lower case: {l:?}");
            }
        }
        let cues = LISTS.iter().find(|(n, _)| *n == "cues.txt").unwrap().1;
        for l in cues.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            if let Some(s) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert_ne!(super::super::table::cue_flag(s), 0, "cues.txt: unknown section {s}");
            } else {
                assert_eq!(l.to_lowercase(), l, "cues.txt: not lower case: {l:?}");
            }
        }
    }

    #[test]
    fn every_list_on_disk_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/dicts");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".txt"))
            .collect();
        on_disk.sort();
        let embedded: Vec<&str> = LISTS.iter().map(|(n, _)| *n).collect();
        assert_eq!(on_disk, embedded);
    }
}
