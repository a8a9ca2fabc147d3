//! Name shape: how much a word no list holds looks like a name rather than an English word,
//! from its letters.
//!
//! A capitalised word that no list holds ("Okonkwetu", "Quillfeather", "Vandersloot") is a person as
//! often as a product or a place; the lists cannot say which, but its spelling can lean one way:
//! "-ov", "-ich", "-sen", "Mb-" are the letters of names, "-tion", "-ness", "-ful" those of
//! words. [`compile`] counts letter trigrams (with `^` and `$` marking the word's ends) over
//! the SSA and Census name lists and over the English lists, words on both sides left out, and
//! keeps each trigram's log-odds; [`score`] averages them over a word. The name model weighs the
//! result as one more piece of evidence (`unknown-name-shaped`, `unknown-word-shaped`).
//!
//! Like [`super::table`], this file is also a module of the build script (no `crate::` paths):
//! `build.rs` calls [`compile`] and the crate embeds the bytes; a unit test compiles again and
//! compares, so the table never drifts from `rules/dicts/`.

use super::table::{terms, ENGLISH_10, ENGLISH_35, ENGLISH_50, ENGLISH_70, FIRST_NAMES, SURNAMES};

/// Letters `a`–`z`, then the start and end marks.
const SYMBOLS: usize = 28;
const START: usize = 26;
const END: usize = 27;
/// Entries in the table: one signed byte per trigram.
pub const SIZE: usize = SYMBOLS * SYMBOLS * SYMBOLS;
/// Log-odds are stored as `round(x * SCALE)`, clamped to a byte.
const SCALE: f32 = 16.0;

fn symbol(b: u8) -> Option<usize> {
    b.is_ascii_alphabetic().then(|| usize::from(b.to_ascii_lowercase() - b'a'))
}

/// Calls `f` with the index of every trigram of `word` (ends marked); returns `false`, having
/// called nothing, for a word with a character other than an ASCII letter.
fn trigrams(word: &[u8], mut f: impl FnMut(usize)) -> bool {
    let mut syms = Vec::with_capacity(word.len() + 2);
    syms.push(START);
    for &b in word {
        match symbol(b) {
            Some(s) => syms.push(s),
            None => return false,
        }
    }
    syms.push(END);
    for w in syms.windows(3) {
        f((w[0] * SYMBOLS + w[1]) * SYMBOLS + w[2]);
    }
    true
}

/// Builds the table from the embedded name and English lists.
pub fn compile() -> Vec<u8> {
    let lower = |list: &'static str| -> std::collections::BTreeSet<String> {
        terms(list).filter(|t| t.bytes().all(|b| b.is_ascii_alphabetic())).map(|t| t.to_ascii_lowercase()).collect()
    };
    let names: std::collections::BTreeSet<String> = lower(FIRST_NAMES).union(&lower(SURNAMES)).cloned().collect();
    let mut english = lower(ENGLISH_10);
    for list in [ENGLISH_35, ENGLISH_50, ENGLISH_70] {
        english.extend(lower(list));
    }
    let (mut in_names, mut in_words) = (vec![0u32; SIZE], vec![0u32; SIZE]);
    for w in names.difference(&english) {
        trigrams(w.as_bytes(), |i| in_names[i] += 1);
    }
    for w in english.difference(&names) {
        trigrams(w.as_bytes(), |i| in_words[i] += 1);
    }
    let total = |c: &[u32]| c.iter().map(|&n| f64::from(n)).sum::<f64>() + SIZE as f64;
    let (n_names, n_words) = (total(&in_names), total(&in_words));
    (0..SIZE)
        .map(|i| {
            // Add-one smoothing: a trigram neither side has seen says nothing.
            let odds =
                ((f64::from(in_names[i]) + 1.0) / n_names).ln() - ((f64::from(in_words[i]) + 1.0) / n_words).ln();
            ((odds as f32 * SCALE).round().clamp(-127.0, 127.0) as i8) as u8
        })
        .collect()
}

/// Returns the mean log-odds that `word` is spelt like a name rather than an English word
/// (above 0: like a name), or `None` for a word of fewer than three letters or with any
/// character other than an ASCII letter.
pub fn score(table: &[u8], word: &[u8]) -> Option<f32> {
    if word.len() < 3 || table.len() != SIZE {
        return None;
    }
    let (mut sum, mut n) = (0i32, 0i32);
    trigrams(word, |i| {
        sum += i32::from(table[i] as i8);
        n += 1;
    })
    .then(|| sum as f32 / (n as f32 * SCALE))
}
