//! The compiled word table: every embedded word list as one sorted array of 64-bit fingerprints
//! with their flags, built at compile time and read in place at run time.
//!
//! Why it exists: building the table from 4 MB of word lists took ~20 ms of every run, which is
//! most of the time a pre-commit hook spends on a one-page draft. `build.rs` includes this same
//! file (`#[path]`), calls [`compile`] and writes the bytes to `OUT_DIR`; the crate embeds them
//! with `include_bytes!` and [`Table::parse`] only slices them, so start-up does no work and
//! touches only the pages its lookups need. A unit test compiles the lists again and compares,
//! so the embedded table can never drift from `rules/dicts/`.
//!
//! This file must compile on its own (no `crate::` paths, no dependencies): it is also a module
//! of the build script.
//!
//! Layout (little-endian): magic `PHLX0002`, entry count `n` (u64), the bucket index
//! (`2^INDEX_BITS + 1` × u32, bucket = top bits of the fingerprint), `n` entries sorted by key
//! (key u64 then flags u32: a key and its flags share a cache line), the ZIP bitmap
//! (`ZIP_WORDS` × u64).

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
/// A very common English word (SCOWL sizes 10 and 20).
pub const ENG_10: u32 = 1 << 20;
/// A common English word (SCOWL sizes 35 and 40).
pub const ENG_35: u32 = 1 << 21;
/// A less common English word (SCOWL sizes 50 to 60).
pub const ENG_50: u32 = 1 << 22;
/// A rare English word (SCOWL size 70).
pub const ENG_70: u32 = 1 << 23;
/// Any English word, whatever its grade.
pub const ENGLISH: u32 = ENG_10 | ENG_35 | ENG_50 | ENG_70;
/// Clinical charting shorthand (LAD, PRN, NKDA): never a name.
pub const CLIN_ABBR: u32 = 1 << 24;
/// One of the most common given names.
pub const COMMON_FIRST: u32 = 1 << 25;
/// One of the most common family names.
pub const COMMON_SURNAME: u32 = 1 << 26;
/// A part of the body (wrist, hip, knee): lay injury and surgery phrases are built on it.
pub const BODY_PART: u32 = 1 << 27;
/// A verb or adjective of injury (broke, fractured, sprained, torn).
pub const INJURY: u32 = 1 << 28;
/// Something a patient wears or has put in or taken out (cast, stitches, drain, crutches).
pub const CARE_OBJECT: u32 = 1 << 29;
/// A head noun that makes the medical words before it a procedure (scan, biopsy, replacement).
pub const PROC_HEAD: u32 = 1 << 30;
/// What a test or a therapy is of, besides a body part (pressure, speech, swallow, port): "eye
/// pressure checks", "speech therapy", "swallow studies".
pub const CARE_TARGET: u32 = 1 << 31;

/// Given names (SSA).
pub const FIRST_NAMES: &str = include_str!("../../rules/dicts/first-names.txt");
/// Family names (US Census).
pub const SURNAMES: &str = include_str!("../../rules/dicts/surnames.txt");
const AMBIGUOUS_NAMES: &str = include_str!("../../rules/dicts/ambiguous-names.txt");
const DIAGNOSES: &str = include_str!("../../rules/dicts/diagnoses.txt");
const MEDICATIONS: &str = include_str!("../../rules/dicts/medications.txt");
const PROCEDURES: &str = include_str!("../../rules/dicts/procedures.txt");
const PLACES: &str = include_str!("../../rules/dicts/places.txt");
const AMBIGUOUS_PLACES: &str = include_str!("../../rules/dicts/ambiguous-places.txt");
const CUES: &str = include_str!("../../rules/dicts/cues.txt");
const ZIPCODES: &str = include_str!("../../rules/dicts/zipcodes.txt");
const COMMON_FIRST_NAMES: &str = include_str!("../../rules/dicts/first-names-common.txt");
const COMMON_SURNAMES: &str = include_str!("../../rules/dicts/surnames-common.txt");
/// English words, most common band.
pub const ENGLISH_10: &str = include_str!("../../rules/dicts/english-10.txt");
/// English words, common band.
pub const ENGLISH_35: &str = include_str!("../../rules/dicts/english-35.txt");
/// English words, less common band.
pub const ENGLISH_50: &str = include_str!("../../rules/dicts/english-50.txt");
/// English words, rare band.
pub const ENGLISH_70: &str = include_str!("../../rules/dicts/english-70.txt");
const CLINICAL_ABBREVIATIONS: &str = include_str!("../../rules/dicts/clinical-abbreviations.txt");

/// Every embedded word list: (file name, contents), for the canonical-form test and docs.
pub const LISTS: &[(&str, &str)] = &[
    ("ambiguous-names.txt", AMBIGUOUS_NAMES),
    ("ambiguous-places.txt", AMBIGUOUS_PLACES),
    ("clinical-abbreviations.txt", CLINICAL_ABBREVIATIONS),
    ("cues.txt", CUES),
    ("diagnoses.txt", DIAGNOSES),
    ("english-10.txt", ENGLISH_10),
    ("english-35.txt", ENGLISH_35),
    ("english-50.txt", ENGLISH_50),
    ("english-70.txt", ENGLISH_70),
    ("first-names-common.txt", COMMON_FIRST_NAMES),
    ("first-names.txt", FIRST_NAMES),
    ("medications.txt", MEDICATIONS),
    ("places.txt", PLACES),
    ("procedures.txt", PROCEDURES),
    ("surnames-common.txt", COMMON_SURNAMES),
    ("surnames.txt", SURNAMES),
    ("zipcodes.txt", ZIPCODES),
];

/// Bits of the fingerprint that pick an index bucket.
pub const INDEX_BITS: u32 = 18;
/// 64-bit words of the ZIP-code bitmap (one bit per five-digit code).
pub const ZIP_WORDS: usize = 100_000 / 64 + 1;
const MAGIC: &[u8; 8] = b"PHLX0002";
const ENTRY: usize = 12;
const HEADER: usize = 16;
const INDEX_LEN: usize = (1 << INDEX_BITS) + 1;

/// Returns the 64-bit fingerprint of a lower-case term.
#[inline]
pub fn fingerprint(bytes: &[u8]) -> u64 {
    fingerprint_with(bytes, |w| w)
}

/// Returns the fingerprint of an ASCII word as if it were lower-cased first, without copying
/// it: the tokenizer's hot path (eight letters are lower-cased at once in a 64-bit word).
#[inline]
pub fn fingerprint_ascii_lower(bytes: &[u8]) -> u64 {
    debug_assert!(bytes.is_ascii());
    fingerprint_with(bytes, lower8)
}

/// Lower-cases the ASCII letters among eight ASCII bytes (bytes below 0x80 never carry into
/// their neighbours here: 0x7F + 0x3F < 0x100).
#[inline]
fn lower8(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let at_least_a = w.wrapping_add(ONES * (0x80 - u64::from(b'A')));
    let above_z = w.wrapping_add(ONES * (0x80 - u64::from(b'Z') - 1));
    let upper = at_least_a & !above_z & !w & HIGH;
    w | (upper >> 2)
}

#[inline]
fn fingerprint_with(bytes: &[u8], map: impl Fn(u64) -> u64) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h: u64 = (bytes.len() as u64).wrapping_mul(K) ^ 0x5151_5151_5151_5151;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ map(w)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ map(u64::from_le_bytes(buf))).wrapping_mul(K);
    }
    // Murmur3's finaliser spreads every input bit over the top bits used by the index.
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

/// Returns the terms of a list: non-empty lines that are not `#` comments.
pub fn terms(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines().filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Returns the flag named in a `cues.txt` section header (0 when unknown).
pub fn cue_flag(name: &str) -> u32 {
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
        "body-part" => BODY_PART,
        "injury" => INJURY,
        "care-object" => CARE_OBJECT,
        "procedure-head" => PROC_HEAD,
        "care-target" => CARE_TARGET,
        _ => 0,
    }
}

/// Appends the entries of one term: the term with `flag`, each word-boundary prefix with PREFIX.
fn add(out: &mut Vec<(u64, u32)>, term: &str, flag: u32) {
    let bytes = term.as_bytes();
    out.push((fingerprint(bytes), flag));
    for (i, b) in bytes.iter().enumerate() {
        if *b == b' ' {
            out.push((fingerprint(&bytes[..i]), PREFIX));
        }
    }
}

/// Compiles every embedded list into the table's bytes (see the module docs for the layout).
pub fn compile() -> Vec<u8> {
    let mut entries: Vec<(u64, u32)> = Vec::with_capacity(800_000);
    for (list, flag) in [
        (FIRST_NAMES, FIRST),
        (SURNAMES, SURNAME),
        (AMBIGUOUS_NAMES, AMBIGUOUS),
        (DIAGNOSES, DIAGNOSIS),
        (MEDICATIONS, MEDICATION),
        (PROCEDURES, PROCEDURE),
        (PLACES, PLACE),
        (AMBIGUOUS_PLACES, PLACE | AMBIGUOUS_PLACE),
        (COMMON_FIRST_NAMES, FIRST | COMMON_FIRST),
        (COMMON_SURNAMES, SURNAME | COMMON_SURNAME),
        (ENGLISH_10, ENG_10),
        (ENGLISH_35, ENG_35),
        (ENGLISH_50, ENG_50),
        (ENGLISH_70, ENG_70),
        (CLINICAL_ABBREVIATIONS, CLIN_ABBR),
    ] {
        for t in terms(list) {
            add(&mut entries, t, flag);
        }
    }
    // cues.txt: `[section]` headers name the flag of the words below them.
    let mut flag = 0;
    for line in terms(CUES) {
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            flag = cue_flag(section);
        } else {
            add(&mut entries, line, flag);
        }
    }
    // One entry per fingerprint, flags merged: a lookup stops at the first equal key.
    entries.sort_unstable();
    let mut merged: Vec<(u64, u32)> = Vec::with_capacity(entries.len());
    for (key, flags) in entries {
        match merged.last_mut() {
            Some(last) if last.0 == key => last.1 |= flags,
            _ => merged.push((key, flags)),
        }
    }
    let mut index = vec![0u32; INDEX_LEN];
    for (key, _) in &merged {
        index[(key >> (64 - INDEX_BITS)) as usize + 1] += 1;
    }
    for i in 1..index.len() {
        index[i] += index[i - 1];
    }
    let mut zips = vec![0u64; ZIP_WORDS];
    for z in terms(ZIPCODES) {
        if let Ok(n) = z.parse::<usize>() {
            zips[n / 64] |= 1 << (n % 64);
        }
    }
    let mut out = Vec::with_capacity(HEADER + INDEX_LEN * 4 + merged.len() * 12 + ZIP_WORDS * 8);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(merged.len() as u64).to_le_bytes());
    for i in &index {
        out.extend_from_slice(&i.to_le_bytes());
    }
    for (key, flags) in &merged {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
    }
    for z in &zips {
        out.extend_from_slice(&z.to_le_bytes());
    }
    out
}

/// A view of compiled table bytes; lookups read the bytes in place.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    index: &'a [u8],
    entries: &'a [u8],
    zips: &'a [u8],
}

#[inline]
fn u32_at(bytes: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([bytes[i * 4], bytes[i * 4 + 1], bytes[i * 4 + 2], bytes[i * 4 + 3]])
}

#[inline]
fn u64_at(bytes: &[u8], i: usize) -> u64 {
    u64_at_byte(bytes, i * 8)
}

#[inline]
fn u64_at_byte(bytes: &[u8], at: usize) -> u64 {
    let mut b = [0u8; 8];
    b.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(b)
}

impl<'a> Table<'a> {
    /// Splits compiled bytes into their parts; `None` when they are not a table of this version.
    pub fn parse(bytes: &'a [u8]) -> Option<Table<'a>> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let n = usize::try_from(u64::from_le_bytes(rest.get(..8)?.try_into().ok()?)).ok()?;
        let rest = &rest[8..];
        let (index, rest) = rest.split_at_checked(INDEX_LEN * 4)?;
        let (entries, zips) = rest.split_at_checked(n.checked_mul(ENTRY)?)?;
        if zips.len() != ZIP_WORDS * 8 || u32_at(index, INDEX_LEN - 1) as usize != n {
            return None;
        }
        Some(Table { index, entries, zips })
    }

    /// Returns the flags of the term with fingerprint `h` (0 when unknown).
    #[inline]
    pub fn flags_of(&self, h: u64) -> u32 {
        let b = (h >> (64 - INDEX_BITS)) as usize;
        let (lo, hi) = (u32_at(self.index, b) as usize, u32_at(self.index, b + 1) as usize);
        for i in lo..hi {
            if u64_at_byte(self.entries, i * ENTRY) == h {
                let at = i * ENTRY + 8;
                let f = &self.entries[at..at + 4];
                return u32::from_le_bytes([f[0], f[1], f[2], f[3]]);
            }
        }
        0
    }

    /// Whether a five-digit ZIP code exists.
    #[inline]
    pub fn zip_exists(&self, zip: u32) -> bool {
        let n = zip as usize;
        n < 100_000 && u64_at(self.zips, n / 64) & (1 << (n % 64)) != 0
    }

    /// The number of distinct fingerprints in the table.
    pub fn len(&self) -> usize {
        self.entries.len() / ENTRY
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}
