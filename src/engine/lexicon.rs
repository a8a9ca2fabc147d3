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
//! The table holds fingerprints of the embedded lists (see [`Lexicon`]): built once, lazily (or
//! ahead of time on a background thread, see [`Lexicon::warm_up`]), and shared by every thread.

use std::sync::OnceLock;

/// A given name.
pub const FIRST: u32 = 1;
/// A family name.
pub const SURNAME: u32 = 1 << 1;
/// A name that is also an everyday English word (Hope, Will, Brown): needs evidence.
pub const AMBIGUOUS: u32 = 1 << 2;
/// A diagnosis or condition.
pub const DIAGNOSIS: u32 = 1 << 3;
/// A medication.
pub const MEDICATION: u32 = 1 << 4;
/// A procedure, test, treatment or care event.
pub const PROCEDURE: u32 = 1 << 5;
/// A US city, town or county.
pub const PLACE: u32 = 1 << 6;
/// A place name that is also an English word (Mobile, Reading): needs evidence.
pub const AMBIGUOUS_PLACE: u32 = 1 << 7;
/// A longer entry continues after this key and a space.
pub const PREFIX: u32 = 1 << 8;
/// A courtesy title before a name (Mr, Mrs, Ms).
pub const TITLE: u32 = 1 << 9;
/// A clinician's title or credential (Dr, Nurse, MD, RN): the person is staff.
pub const STAFF: u32 = 1 << 10;
/// A word that introduces a patient or private person (patient, daughter, wife).
pub const ROLE: u32 = 1 << 11;
/// A name particle (van, der, de, la).
pub const PARTICLE: u32 = 1 << 12;
/// A word that is never part of a person's name (months, weekdays, function words).
pub const NOT_NAME: u32 = 1 << 13;
/// A word that makes the capitalised words before it an organisation or a thing (Inc, Hospital).
pub const ORG: u32 = 1 << 14;
/// A head noun that makes the words before it a disease (disease, syndrome, deficiency).
pub const DISEASE_HEAD: u32 = 1 << 15;
/// A preposition that introduces a place (from, in, near).
pub const PLACE_PREP: u32 = 1 << 16;
/// A US state or its postal abbreviation.
pub const STATE: u32 = 1 << 17;
/// A function word (the, of, and): never a disease modifier.
pub const FUNCTION: u32 = 1 << 18;
/// A clinician role noun (surgeon, physician, chief): a name next to it is staff.
pub const STAFF_ROLE: u32 = 1 << 19;

const FIRST_NAMES: &str = include_str!("../../rules/dicts/first-names.txt");
const SURNAMES: &str = include_str!("../../rules/dicts/surnames.txt");
const AMBIGUOUS_NAMES: &str = include_str!("../../rules/dicts/ambiguous-names.txt");
const DIAGNOSES: &str = include_str!("../../rules/dicts/diagnoses.txt");
const MEDICATIONS: &str = include_str!("../../rules/dicts/medications.txt");
const PROCEDURES: &str = include_str!("../../rules/dicts/procedures.txt");
const PLACES: &str = include_str!("../../rules/dicts/places.txt");
const AMBIGUOUS_PLACES: &str = include_str!("../../rules/dicts/ambiguous-places.txt");
const CUES: &str = include_str!("../../rules/dicts/cues.txt");
const ZIPCODES: &str = include_str!("../../rules/dicts/zipcodes.txt");

/// Every embedded word list: (file name, contents), for the canonical-form test and docs.
pub const LISTS: &[(&str, &str)] = &[
    ("ambiguous-names.txt", AMBIGUOUS_NAMES),
    ("ambiguous-places.txt", AMBIGUOUS_PLACES),
    ("cues.txt", CUES),
    ("diagnoses.txt", DIAGNOSES),
    ("first-names.txt", FIRST_NAMES),
    ("medications.txt", MEDICATIONS),
    ("places.txt", PLACES),
    ("procedures.txt", PROCEDURES),
    ("surnames.txt", SURNAMES),
    ("zipcodes.txt", ZIPCODES),
];

/// The word table: lower-case term → flags.
///
/// Stored as fingerprints, not strings: every term (and every word-boundary prefix of a
/// multi-word term) becomes a 64-bit hash with its flags, ordered by the hash's top bits with an
/// index over them. Building it is a sequential pass over the embedded lists and a three-pass
/// radix sort, a few milliseconds, where a hash map of 600k string keys took tens (one cache
/// miss per insert); a lookup is one hash and two cache lines. Distinct terms that share a
/// 64-bit hash are vanishingly unlikely and would only merge their flags.
pub struct Lexicon {
    entries: Vec<Entry>,
    index: Vec<u32>,
    zips: Vec<u64>,
}

#[derive(Clone, Copy, Default)]
struct Entry {
    key: u64,
    flags: u32,
}

/// Bits of the hash that pick an index bucket.
const INDEX_BITS: u32 = 18;

/// Returns the 64-bit fingerprint of a lower-case term.
#[inline]
pub fn fingerprint(bytes: &[u8]) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = (bytes.len() as u64).wrapping_mul(K) ^ 0x5151_5151_5151_5151;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(buf)).wrapping_mul(K);
    }
    // Murmur3's finaliser spreads every input bit over the top bits used by the index.
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

fn terms(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines().filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Returns the flag named in `cues.txt` section headers.
fn cue_flag(name: &str) -> u32 {
    match name {
        "title" => TITLE,
        "staff" => STAFF,
        "staff-role" => STAFF_ROLE,
        "role" => ROLE,
        "particle" => PARTICLE,
        "not-name" => NOT_NAME,
        "org" => ORG,
        "disease-head" => DISEASE_HEAD,
        "place-prep" => PLACE_PREP,
        "state" => STATE,
        "function" => FUNCTION,
        _ => 0,
    }
}

/// Appends the entries of one term: the term with `flag`, each word-boundary prefix with PREFIX.
fn add(out: &mut Vec<Entry>, term: &str, flag: u32) {
    let bytes = term.as_bytes();
    out.push(Entry { key: fingerprint(bytes), flags: flag });
    for (i, b) in bytes.iter().enumerate() {
        if *b == b' ' {
            out.push(Entry { key: fingerprint(&bytes[..i]), flags: PREFIX });
        }
    }
}

/// Sorts entries by the top [`INDEX_BITS`] of their key: two stable 9-bit counting passes,
/// each streaming through memory with 512 write cursors.
fn radix_sort(entries: &mut Vec<Entry>) {
    const DIGIT: u32 = INDEX_BITS / 2;
    const MASK: u64 = (1 << DIGIT) - 1;
    let mut buf = vec![Entry::default(); entries.len()];
    for pass in 0..2 {
        let shift = 64 - INDEX_BITS + DIGIT * pass;
        let mut counts = [0usize; 1 << DIGIT];
        for e in entries.iter() {
            counts[((e.key >> shift) & MASK) as usize] += 1;
        }
        let mut pos = [0usize; 1 << DIGIT];
        let mut sum = 0;
        for (p, c) in pos.iter_mut().zip(counts) {
            *p = sum;
            sum += c;
        }
        for e in entries.iter() {
            let d = ((e.key >> shift) & MASK) as usize;
            buf[pos[d]] = *e;
            pos[d] += 1;
        }
        std::mem::swap(entries, &mut buf);
    }
}

impl Lexicon {
    fn build() -> Lexicon {
        // Two halves on two threads: the surname list alone is half the work.
        let (surnames, mut entries) = std::thread::scope(|s| {
            let surnames = s.spawn(|| {
                let mut out = Vec::with_capacity(170_000);
                for t in terms(SURNAMES) {
                    add(&mut out, t, SURNAME);
                }
                out
            });
            // Room for both halves, so joining them copies once and never reallocates.
            let mut out = Vec::with_capacity(460_000);
            for (list, flag) in [
                (FIRST_NAMES, FIRST),
                (AMBIGUOUS_NAMES, AMBIGUOUS),
                (DIAGNOSES, DIAGNOSIS),
                (MEDICATIONS, MEDICATION),
                (PROCEDURES, PROCEDURE),
                (PLACES, PLACE),
                (AMBIGUOUS_PLACES, PLACE | AMBIGUOUS_PLACE),
            ] {
                for t in terms(list) {
                    add(&mut out, t, flag);
                }
            }
            // cues.txt: `[section]` headers name the flag of the words below them.
            let mut flag = 0;
            for line in CUES.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
                if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                    flag = cue_flag(section);
                } else {
                    add(&mut out, line, flag);
                }
            }
            let surnames = surnames.join().unwrap_or_default();
            (surnames, out)
        });
        entries.extend(surnames);
        radix_sort(&mut entries);
        let mut index = vec![0u32; (1 << INDEX_BITS) + 1];
        for e in &entries {
            index[(e.key >> (64 - INDEX_BITS)) as usize + 1] += 1;
        }
        for i in 1..index.len() {
            index[i] += index[i - 1];
        }
        let mut zips = vec![0u64; 100_000 / 64 + 1];
        for z in terms(ZIPCODES) {
            if let Ok(n) = z.parse::<usize>() {
                zips[n / 64] |= 1 << (n % 64);
            }
        }
        Lexicon { entries, index, zips }
    }

    /// Returns the shared lexicon, building it on first use.
    pub fn get() -> &'static Lexicon {
        static LEXICON: OnceLock<Lexicon> = OnceLock::new();
        LEXICON.get_or_init(Lexicon::build)
    }

    /// Starts building the shared lexicon on a background thread, so that it is ready (or
    /// nearly) by the time the first file has been read.
    pub fn warm_up() {
        std::thread::spawn(|| {
            Lexicon::get();
        });
    }

    /// Returns the flags of a lower-case term (0 when unknown).
    #[inline]
    pub fn flags(&self, key: &[u8]) -> u32 {
        self.flags_of(fingerprint(key))
    }

    /// Returns the flags of the term with fingerprint `h`.
    #[inline]
    fn flags_of(&self, h: u64) -> u32 {
        let b = (h >> (64 - INDEX_BITS)) as usize;
        let (lo, hi) = (self.index[b] as usize, self.index[b + 1] as usize);
        let mut flags = 0;
        for e in &self.entries[lo..hi] {
            if e.key == h {
                flags |= e.flags;
            }
        }
        flags
    }

    /// Whether a five-digit ZIP code exists.
    pub fn zip_exists(&self, zip: u32) -> bool {
        let n = zip as usize;
        n < 100_000 && self.zips[n / 64] & (1 << (n % 64)) != 0
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
        let raw = fingerprint(key);
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
        scratch.clear();
        lower_into(word, scratch);
        // Numbers are never names or terms worth a lookup (exports are full of them).
        let mut flags = if word.iter().all(u8::is_ascii_digit) { 0 } else { cache.flags(lex, scratch) };
        if flags == 0 {
            flags = fallback_flags(lex, scratch, word);
        }
        out.push(Token { start: base + start, end: base + i, flags, shape: shape(word) });
    }
}

/// Returns name flags for spellings the lists do not hold: a possessive ("Hope's" → hope),
/// an apostrophe the Census drops ("O'Neil" → oneil), accents ("García" → garcia), and the
/// parts of a hyphenated name ("Varga-Holm").
fn fallback_flags(lex: &Lexicon, key: &[u8], word: &[u8]) -> u32 {
    const NAMES: u32 = FIRST | SURNAME | AMBIGUOUS | PLACE;
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
        // Words join across spaces, and across an initial's period ("C. diff").
        let initial = tokens[j].end - tokens[j].start == 1 && gap == b". ";
        if !initial && (gap.is_empty() || gap.len() > 2 || !gap.iter().all(|b| *b == b' ' || *b == b'\t')) {
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
        for l in CUES.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
            if let Some(s) = l.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
                assert_ne!(cue_flag(s), 0, "cues.txt: unknown section {s}");
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
