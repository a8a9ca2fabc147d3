//! The dictionary detectors, run chunk by chunk over a text.
//!
//! Rules name detectors (`detector = "person-name"`); this module maps those names to rule
//! indices, cuts the text into chunks at line breaks (so memory stays flat on a 100 MB file),
//! tokenizes each chunk once against the [`Lexicon`], and hands the tokens to the names, places
//! and health detectors. Nothing is built when no detector rule is active.

use super::lexicon::{self, Lexicon, Shape, Token};
use super::{health, names, places, Candidate};
use crate::rules::{Matcher, Rule};

/// Chunks are cut at a line break near this size.
const CHUNK: usize = 64 * 1024;

/// Rule indices of the active detectors.
#[derive(Clone, Copy, Debug, Default)]
pub struct DetectorRules {
    /// `person-name`
    pub name: Option<usize>,
    /// `location`
    pub location: Option<usize>,
    /// `diagnosis`
    pub diagnosis: Option<usize>,
    /// `medication`
    pub medication: Option<usize>,
    /// `procedure`
    pub procedure: Option<usize>,
}

/// Whether a gap between two tokens is exactly one space (the hot-path test of every detector;
/// a slice comparison would call `memcmp` for one byte).
#[inline]
pub fn single_space(gap: &[u8]) -> bool {
    gap.len() == 1 && gap[0] == b' '
}

/// What a detector sees: the chunk's text, its tokens and the lexicon.
pub struct Chunk<'a> {
    /// The whole text (offsets in tokens are into it).
    pub text: &'a [u8],
    /// The chunk's tokens.
    pub tokens: &'a [Token],
    /// The shared lexicon.
    pub lex: &'a Lexicon,
    /// Whether the chunk is written in capitals (then capitals are not evidence of a name).
    pub all_caps: bool,
    /// Whether the chunk is written in lower case (a social post: names are lower case too).
    pub lower_case: bool,
}

impl Chunk<'_> {
    /// Returns the bytes between token `i` and token `i + 1` (or to the end of the text).
    pub fn gap_after(&self, i: usize) -> &[u8] {
        let end = self.tokens.get(i + 1).map_or(self.text.len().min(self.tokens[i].end + 8), |t| t.start);
        &self.text[self.tokens[i].end..end]
    }

    /// Returns the bytes between token `i - 1` and token `i` (or from the start of the text).
    pub fn gap_before(&self, i: usize) -> &[u8] {
        let start = if i == 0 { self.tokens[0].start.saturating_sub(8) } else { self.tokens[i - 1].end };
        &self.text[start..self.tokens[i].start]
    }

    /// Returns the token's text.
    pub fn word(&self, i: usize) -> &[u8] {
        &self.text[self.tokens[i].start..self.tokens[i].end]
    }

    /// Whether token `i` starts a sentence, a line or a cell (so its capital proves nothing).
    pub fn sentence_start(&self, i: usize) -> bool {
        if i == 0 {
            return true;
        }
        let gap = self.gap_before(i);
        // The period of a title or an initial ("Dr. Grace", "J. Smith") does not end a sentence.
        let prev = self.tokens[i - 1];
        let abbreviation = gap == b". "
            && (prev.flags & (super::lexicon::TITLE | super::lexicon::STAFF) != 0 || prev.shape == Shape::Initial);
        if abbreviation {
            return false;
        }
        gap.iter()
            .any(|b| matches!(b, b'.' | b'!' | b'?' | b'\n' | b':' | b'"' | b'(' | b'[' | b'*' | b'#' | b'>' | b'|'))
            || gap.starts_with(b"\xE2\x80\x9C")
    }

    /// Whether token `i` reads as capitalised for name purposes.
    pub fn capitalized(&self, i: usize) -> bool {
        match self.tokens[i].shape {
            Shape::Capitalized => true,
            Shape::Upper => self.all_caps,
            _ => false,
        }
    }
}

/// The dictionary-backed detectors named by rules.
pub struct Detectors {
    rules: DetectorRules,
}

impl Detectors {
    /// Finds the rules that name a detector.
    pub fn new(rules: &[Rule]) -> Detectors {
        let mut d = DetectorRules::default();
        for (i, r) in rules.iter().enumerate() {
            if let Matcher::Detector(name) = &r.matcher {
                match name.as_str() {
                    "person-name" => d.name = Some(i),
                    "location" => d.location = Some(i),
                    "diagnosis" => d.diagnosis = Some(i),
                    "medication" => d.medication = Some(i),
                    "procedure" => d.procedure = Some(i),
                    _ => {}
                }
            }
        }
        Detectors { rules: d }
    }

    fn active(&self) -> bool {
        let r = &self.rules;
        r.name.is_some()
            || r.location.is_some()
            || r.diagnosis.is_some()
            || r.medication.is_some()
            || r.procedure.is_some()
    }

    /// Appends the detectors' candidates in `text` to `out`.
    ///
    /// Chunks are independent, so a large text's chunks are split over rayon tasks: idle
    /// threads (at the end of a run, or on a single big file) take some; busy ones run them in
    /// order. The candidates are the same either way.
    pub fn find(&self, text: &[u8], out: &mut Vec<Candidate>) {
        use rayon::prelude::*;
        if !self.active() {
            return;
        }
        let mut bounds = Vec::new();
        let mut start = 0;
        while start < text.len() {
            let end = chunk_end(text, start);
            bounds.push((start, end));
            start = end;
        }
        if text.len() < super::PARALLEL_MIN {
            self.find_chunks(text, &bounds, out);
            return;
        }
        let parts: Vec<Vec<Candidate>> = bounds
            .par_chunks(4)
            .map(|group| {
                let mut part = Vec::new();
                self.find_chunks(text, group, &mut part);
                part
            })
            .collect();
        out.extend(parts.into_iter().flatten());
    }

    /// Runs the detectors over the chunks `bounds` of `text`, in order.
    fn find_chunks(&self, text: &[u8], bounds: &[(usize, usize)], out: &mut Vec<Candidate>) {
        let lex = Lexicon::get();
        let mut tokens = Vec::new();
        let mut scratch = Vec::new();
        let mut cache = lexicon::FlagCache::default();
        for &(start, end) in bounds {
            tokens.clear();
            lexicon::tokenize(lex, &mut cache, &text[start..end], start, &mut tokens, &mut scratch);
            if !tokens.is_empty() {
                let chunk = Chunk {
                    text,
                    tokens: &tokens,
                    lex,
                    all_caps: mostly_caps(&text[start..end]),
                    lower_case: mostly_lower(&tokens),
                };
                if let Some(rule) = self.rules.name {
                    names::find(&chunk, rule, out, &mut scratch);
                }
                if let Some(rule) = self.rules.location {
                    places::find(&chunk, rule, out, &mut scratch);
                }
                health::find(&chunk, &self.rules, out, &mut scratch);
            }
        }
    }
}

/// Returns where the chunk starting at `start` ends: after a line break near [`CHUNK`] bytes,
/// else after whitespace, else at the limit.
fn chunk_end(text: &[u8], start: usize) -> usize {
    if text.len() - start <= CHUNK {
        return text.len();
    }
    let limit = start + CHUNK;
    let window = &text[start + CHUNK / 2..limit];
    if let Some(nl) = memchr::memrchr(b'\n', window) {
        return start + CHUNK / 2 + nl + 1;
    }
    if let Some(sp) = window.iter().rposition(|b| b.is_ascii_whitespace()) {
        return start + CHUNK / 2 + sp + 1;
    }
    // Never split inside a UTF-8 sequence.
    let mut end = limit;
    while end > start && (text[end] & 0xC0) == 0x80 {
        end -= 1;
    }
    end
}

/// Whether hardly any word starts with a capital (lower-case chat, a social post).
fn mostly_lower(tokens: &[Token]) -> bool {
    let words = tokens.iter().filter(|t| t.shape != Shape::Other).count();
    let caps = tokens.iter().filter(|t| matches!(t.shape, Shape::Capitalized | Shape::Upper | Shape::Initial)).count();
    words >= 3 && caps * 20 <= words
}

/// Whether most letters of `text` are capitals (a shouted post, an ALL-CAPS export).
fn mostly_caps(text: &[u8]) -> bool {
    let upper = text.iter().filter(|b| b.is_ascii_uppercase()).count();
    let lower = text.iter().filter(|b| b.is_ascii_lowercase()).count();
    upper > 20 && upper > lower * 3
}
