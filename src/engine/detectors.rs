//! The dictionary detectors, run chunk by chunk over a text.
//!
//! Rules name detectors (`detector = "person-name"`); this module maps those names to rule
//! indices, cuts the text into chunks at line breaks (so memory stays flat on a 100 MB file),
//! tokenizes each chunk once against the [`Lexicon`], and hands the tokens to the names, places
//! and health detectors. Nothing is built when no detector rule is active.

use super::lexicon::{self, Lexicon, Shape, Token};
use super::{describe, facility, health, names, places, Candidate};
use crate::rules::{Matcher, Rule};
use crate::text::segment::{self, Casing};

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
    /// `social-handle`
    pub handle: Option<usize>,
    /// `unique-description`
    pub description: Option<usize>,
    /// `facility` (facilities named in one-case notes)
    pub facility: Option<usize>,
}

/// Whether a gap between two tokens is exactly one space (the hot-path test of every detector;
/// a slice comparison would call `memcmp` for one byte).
#[inline]
pub fn single_space(gap: &[u8]) -> bool {
    gap.len() == 1 && gap[0] == b' '
}

/// What a detector sees: the chunk's text, its tokens, the lexicon and the text model.
pub struct Chunk<'a> {
    /// The whole text (offsets in tokens are into it).
    pub text: &'a [u8],
    /// The chunk's tokens.
    pub tokens: &'a [Token],
    /// The shared lexicon.
    pub lex: &'a Lexicon,
    /// Per token: how its block is written (capitals are no evidence of a name in an ALL-CAPS
    /// block; names are lower case in a lower-case one).
    pub casing: &'a [Casing],
    /// Per token: whether it is the first word of a sentence or block (see [`segment`]).
    pub starts: &'a [bool],
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

    /// Whether token `i` is one of `list` (lower-case words), in any case.
    pub fn word_in(&self, i: usize, list: &[&[u8]]) -> bool {
        let w = self.word(i);
        list.iter().any(|x| w.eq_ignore_ascii_case(x))
    }

    /// Whether tokens `i` and `i + 1` exist and are one space apart.
    pub fn joined(&self, i: usize) -> bool {
        i + 1 < self.tokens.len() && single_space(self.gap_after(i))
    }

    /// Whether token `i` starts a sentence, a block or a cell, a label's value or a quotation
    /// (so its capital proves nothing).
    pub fn sentence_start(&self, i: usize) -> bool {
        if i == 0 || self.starts[i] {
            return true;
        }
        let gap = self.gap_before(i);
        gap.iter().any(|b| matches!(b, b':' | b'"' | b'(' | b'[' | b'*' | b'#' | b'>' | b'|'))
            || gap.starts_with(b"\xE2\x80\x9C")
    }

    /// Whether token `i` reads as capitalised for name purposes.
    pub fn capitalized(&self, i: usize) -> bool {
        match self.tokens[i].shape {
            Shape::Capitalized => true,
            Shape::Upper => self.casing[i] == Casing::Upper,
            _ => false,
        }
    }

    /// Whether token `i` is in a block written in capitals.
    pub fn upper(&self, i: usize) -> bool {
        self.casing[i] == Casing::Upper
    }

    /// Whether token `i` is in a block written in lower case.
    pub fn lower(&self, i: usize) -> bool {
        self.casing[i] == Casing::Lower
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
                    "social-handle" => d.handle = Some(i),
                    "unique-description" => d.description = Some(i),
                    "facility" => d.facility = Some(i),
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
            || r.handle.is_some()
            || r.description.is_some()
            || r.facility.is_some()
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
        if let Some(rule) = self.rules.handle {
            super::handles::find(text, rule, out);
        }
        let bounds = chunk_bounds(text);
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
        for_each_chunk(text, bounds, |chunk, scratch| {
            if let Some(rule) = self.rules.name {
                names::find(chunk, rule, out, scratch);
            }
            if let Some(rule) = self.rules.location {
                places::find(chunk, rule, out, scratch);
            }
            if let Some(rule) = self.rules.description {
                describe::find(chunk, rule, out);
            }
            if let Some(rule) = self.rules.facility {
                facility::find(chunk, rule, out);
            }
            health::find(chunk, &self.rules, out, scratch);
        });
    }
}

/// Returns every name candidate of `text` with its evidence and probability: what the name
/// model is fitted on (`scripts/train_names.py`), and a way to see why a name was or was not
/// reported.
pub fn explain_names(text: &[u8]) -> Vec<names::Explained> {
    let mut out = Vec::new();
    for_each_chunk(text, &chunk_bounds(text), |chunk, _| out.extend(names::explain(chunk)));
    out
}

/// Returns the chunks of `text`: `(start, end)` byte ranges cut at line breaks.
fn chunk_bounds(text: &[u8]) -> Vec<(usize, usize)> {
    let mut bounds = Vec::new();
    let mut start = 0;
    while start < text.len() {
        let end = chunk_end(text, start);
        bounds.push((start, end));
        start = end;
    }
    bounds
}

/// Tokenizes and models each chunk `bounds` of `text` in turn and hands it to `f`.
fn for_each_chunk(text: &[u8], bounds: &[(usize, usize)], mut f: impl FnMut(&Chunk, &mut Vec<u8>)) {
    let lex = Lexicon::get();
    let mut tokens = Vec::new();
    let mut scratch = Vec::new();
    let mut cache = lexicon::FlagCache::default();
    let (mut casing, mut starts) = (Vec::new(), Vec::new());
    for &(start, end) in bounds {
        tokens.clear();
        lexicon::tokenize(lex, &mut cache, &text[start..end], start, &mut tokens, &mut scratch);
        if !tokens.is_empty() {
            model_tokens(&text[start..end], start, &tokens, &mut casing, &mut starts);
            let chunk = Chunk { text, tokens: &tokens, lex, casing: &casing, starts: &starts };
            f(&chunk, &mut scratch);
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

/// Fills, per token of the chunk `text` (at offset `base`), its block's casing and whether it
/// starts a sentence, from the shared text model.
fn model_tokens(text: &[u8], base: usize, tokens: &[Token], casing: &mut Vec<Casing>, starts: &mut Vec<bool>) {
    let seg = segment::segment(text);
    casing.clear();
    starts.clear();
    let (mut b, mut s) = (0, 0);
    for t in tokens {
        let at = t.start - base;
        while b < seg.blocks.len() && seg.blocks[b].end <= at {
            b += 1;
        }
        casing.push(seg.blocks.get(b).filter(|blk| blk.start <= at).map_or(Casing::Mixed, |blk| blk.casing));
        while s < seg.sentences.len() && seg.sentences[s].end <= at {
            s += 1;
        }
        // The first token at or after a sentence's start begins it (punctuation may come first).
        let first = seg.sentences.get(s).is_some_and(|sent| sent.start <= at)
            && (starts.is_empty() || tokens[starts.len() - 1].start - base < seg.sentences[s].start);
        starts.push(first);
    }
    caps_stretches(tokens, casing);
}

/// Words in capitals at least, in a row, that make a stretch of mixed text a stretch in capitals.
const CAPS_STRETCH_WORDS: usize = 4;

/// Marks stretches written in capitals inside mixed text (a whiteboard quoted in a caption, a
/// shouted line in a post: "RM 4 — J. DOE — CHF — DAILY WEIGHTS") as upper case: there, as in
/// a note in capitals, a capital letter proves nothing, and a name is weighed as one.
fn caps_stretches(tokens: &[Token], casing: &mut [Casing]) {
    let mut i = 0;
    while i < tokens.len() {
        let mut j = i;
        let mut words = 0;
        while j < tokens.len()
            && casing[j] == Casing::Mixed
            && matches!(tokens[j].shape, Shape::Upper | Shape::Initial | Shape::Other)
        {
            words += usize::from(tokens[j].shape == Shape::Upper && tokens[j].end - tokens[j].start >= 3);
            j += 1;
        }
        if words >= CAPS_STRETCH_WORDS {
            casing[i..j].fill(Casing::Upper);
        }
        i = j + 1;
    }
}
