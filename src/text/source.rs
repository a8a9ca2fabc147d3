//! Source maps: where each byte of extracted text came from.
//!
//! Extraction rewrites its input: a CSV cell becomes `mrn: 4071938` on a line of its own, an
//! HTML entity becomes the character it names, a Word paragraph is pulled out of
//! `word/document.xml`. Findings keep offsets into that extracted text (the engine's view), and
//! a [`SourceMap`] takes them back to the input: to the file's bytes for text-like formats, or
//! to a named part (`word/document.xml`, an e-mail's transfer-decoded body) and a range inside
//! it for packages. That is what a report points at and what a redaction tool would cut.
//!
//! A map is a sorted list of pieces. An exact piece says "these bytes of text are those bytes
//! of the source" (a value copied verbatim), so any sub-range maps precisely; an inexact piece
//! says "this text stands for that source range" (`&eacute;` → `é`, `""` → `"`, a collapsed run
//! of whitespace), so a range touching it widens to the whole source range. Text in no piece (a
//! label the extractor wrote, `mrn: `) has no source; a range that covers some is mapped from
//! the pieces it overlaps.

use serde::Serialize;
use std::sync::Arc;

/// Where a value is in the input: a byte range of the input itself or of one of its parts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// The part of the input the range is in (`word/document.xml`, `body 2`), when the input's
    /// own bytes cannot address it; absent, the range is in the input's bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Arc<str>>,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// Marks a piece that lies in the input's own bytes rather than a named part.
const OWN: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Piece {
    text: usize,
    text_end: usize,
    src: usize,
    src_end: usize,
    part: u32,
    exact: bool,
}

/// The map from a document's extracted text back to its source (see the module docs).
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    pieces: Vec<Piece>,
    parts: Vec<Arc<str>>,
}

impl SourceMap {
    /// Returns an empty map: nothing has a source.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Returns the map of a text that is its own source (`len` bytes, copied verbatim).
    pub fn identity(len: usize) -> SourceMap {
        let mut m = SourceMap::new();
        m.push((0, len), None, (0, len), true);
        m
    }

    /// Returns the id of the part named `name`, adding it on first use.
    pub fn part(&mut self, name: &str) -> u32 {
        match self.parts.iter().position(|p| &**p == name) {
            Some(i) => i as u32,
            None => {
                self.parts.push(name.into());
                (self.parts.len() - 1) as u32
            }
        }
    }

    /// Whether no text has a source.
    pub fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// Records that `text` (a range of the extracted text, after every range recorded so far)
    /// came from `src` of `part` (`None`: the input's own bytes); `exact` when the bytes are
    /// the same, which needs ranges of equal length.
    pub fn push(&mut self, text: (usize, usize), part: Option<u32>, src: (usize, usize), exact: bool) {
        let part = part.unwrap_or(OWN);
        let exact = exact && text.1 - text.0 == src.1 - src.0;
        if text.1 <= text.0 && src.1 <= src.0 {
            return;
        }
        if let Some(last) = self.pieces.last_mut() {
            debug_assert!(text.0 >= last.text_end, "source pieces out of order");
            if exact && last.exact && last.part == part && last.text_end == text.0 && last.src_end == src.0 {
                last.text_end = text.1;
                last.src_end = src.1;
                return;
            }
        }
        self.pieces.push(Piece { text: text.0, text_end: text.1, src: src.0, src_end: src.1, part, exact });
    }

    /// Appends every piece of `other`, its text shifted by `offset` (it follows this map's
    /// text); pieces in `other`'s own bytes move `shift` bytes on, into `own_part` when given
    /// (an e-mail's HTML body is its message's bytes, or a transfer-decoded part of them).
    pub fn append(&mut self, other: &SourceMap, offset: usize, own_part: Option<&str>, shift: usize) {
        let own = own_part.map(|p| self.part(p));
        for p in &other.pieces {
            let (part, by) =
                if p.part == OWN { (own, shift) } else { (Some(self.part(&other.parts[p.part as usize])), 0) };
            self.push((p.text + offset, p.text_end + offset), part, (p.src + by, p.src_end + by), p.exact);
        }
    }

    /// Returns where `start..end` of the extracted text came from, if any of it has a source.
    ///
    /// A range over pieces of two parts is mapped within the part of its first piece.
    pub fn locate(&self, start: usize, end: usize) -> Option<Source> {
        self.locate_from(&mut 0, start, end)
    }

    /// Returns what [`SourceMap::locate`] returns, starting the search at the piece `hint`
    /// (updated): ranges visited in increasing order (a document's findings) cost a step each
    /// rather than a search over every piece.
    pub fn locate_from(&self, hint: &mut usize, start: usize, end: usize) -> Option<Source> {
        let end = end.max(start + 1);
        let p = &self.pieces;
        let mut i = (*hint).min(p.len());
        if i > 0 && p[i - 1].text_end > start {
            i = p.partition_point(|x| x.text_end <= start);
        }
        // A few steps forward, then a search if the range is further on.
        let mut steps = 0;
        while i < p.len() && p[i].text_end <= start {
            i += 1;
            steps += 1;
            if steps == 8 {
                i += p[i..].partition_point(|x| x.text_end <= start);
                break;
            }
        }
        *hint = i;
        let j = i + p[i..].partition_point(|x| x.text < end);
        if i >= j {
            return None;
        }
        let a = self.pieces[i];
        let k = (i..j).rev().find(|&k| self.pieces[k].part == a.part).unwrap_or(i);
        let b = self.pieces[k];
        let s = if a.exact && start >= a.text { a.src + (start - a.text) } else { a.src };
        let e = if b.exact && end <= b.text_end { b.src + (end - b.text) } else { b.src_end };
        let (s, e) = if e >= s {
            (s, e)
        } else {
            // Pieces out of source order (an attribute emitted after the text that follows it).
            let same = self.pieces[i..=k].iter().filter(|p| p.part == a.part);
            (same.clone().map(|p| p.src).min().unwrap_or(s), same.map(|p| p.src_end).max().unwrap_or(e))
        };
        let part = (a.part != OWN).then(|| self.parts[a.part as usize].clone());
        Some(Source { part, start: s, end: e })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Local {
    at: usize,
    len: usize,
    src: usize,
    src_len: usize,
    exact: bool,
}

/// The pieces of a [`Mapped`]: most values are one verbatim piece, kept inline so that a cell
/// of a million-row export costs no allocation for its map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Pieces {
    first: Option<Local>,
    rest: Vec<Local>,
}

impl Pieces {
    fn push(&mut self, p: Local) {
        if self.first.is_none() {
            self.first = Some(p);
        } else {
            self.rest.push(p);
        }
    }

    fn last_mut(&mut self) -> Option<&mut Local> {
        match self.rest.last_mut() {
            Some(p) => Some(p),
            None => self.first.as_mut(),
        }
    }

    fn first(&self) -> Option<&Local> {
        self.first.as_ref()
    }

    fn last(&self) -> Option<&Local> {
        self.rest.last().or(self.first.as_ref())
    }

    fn iter(&self) -> impl Iterator<Item = &Local> {
        self.first.iter().chain(&self.rest)
    }

    fn iter_mut(&mut self) -> impl Iterator<Item = &mut Local> {
        self.first.iter_mut().chain(&mut self.rest)
    }
}

/// A string being decoded from a source, with the map of where each piece of it came from.
///
/// Extractors build one per value (a CSV cell with `""` escapes, a JSON string with `\u00e9`,
/// an HTML text run with entities) and hand it to the document builder, which places it in the
/// extracted text and records its pieces in the document's [`SourceMap`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapped {
    text: String,
    pieces: Pieces,
    part: Option<Arc<str>>,
}

impl Mapped {
    /// Returns an empty mapped string.
    pub fn new() -> Mapped {
        Mapped::default()
    }

    /// Returns `s`, copied verbatim from the source at `src`.
    pub fn exact(s: &str, src: usize) -> Mapped {
        let mut m = Mapped::new();
        m.push_exact(s, src);
        m
    }

    /// Returns `s` without a source (text the extractor composed).
    pub fn from_unmapped(s: &str) -> Mapped {
        Mapped { text: s.to_string(), ..Mapped::default() }
    }

    /// Returns this string with its source ranges in the named part of the input (a workbook's
    /// shared strings), whatever part the builder is reading.
    pub fn in_part(mut self, part: &str) -> Mapped {
        self.part = Some(part.into());
        self
    }

    /// Returns the part its source ranges are in, when it names one.
    pub fn part(&self) -> Option<&str> {
        self.part.as_deref()
    }

    /// Appends `other` with its map.
    pub fn append(&mut self, other: &Mapped) {
        if self.part.is_none() {
            self.part.clone_from(&other.part);
        }
        let mut done = 0; // bytes of `other.text` copied so far
        for p in other.pieces.iter() {
            self.text.push_str(&other.text[done..p.at]);
            let s = &other.text[p.at..p.at + p.len];
            if p.exact {
                self.push_exact(s, p.src);
            } else {
                self.push_decoded(s, (p.src, p.src + p.src_len));
            }
            done = p.at + p.len;
        }
        self.text.push_str(&other.text[done..]);
    }

    /// Returns the text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the text is empty.
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Appends `s`, copied verbatim from the source at `src`.
    pub fn push_exact(&mut self, s: &str, src: usize) {
        if s.is_empty() {
            return;
        }
        let at = self.text.len();
        self.text.push_str(s);
        if let Some(last) = self.pieces.last_mut() {
            if last.exact && last.at + last.len == at && last.src + last.src_len == src {
                last.len += s.len();
                last.src_len += s.len();
                return;
            }
        }
        self.pieces.push(Local { at, len: s.len(), src, src_len: s.len(), exact: true });
    }

    /// Appends `s`, decoded from the source range `src` (an escape, an entity, a run of
    /// whitespace written as one space).
    pub fn push_decoded(&mut self, s: &str, src: (usize, usize)) {
        let at = self.text.len();
        self.text.push_str(s);
        if !s.is_empty() {
            self.pieces.push(Local { at, len: s.len(), src: src.0, src_len: src.1 - src.0, exact: false });
        }
    }

    /// Appends `s`, which is in no source (a separator the extractor adds).
    pub fn push_unmapped(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Returns this string with every source offset moved by `by`.
    pub fn shifted(&self, by: usize) -> Mapped {
        let mut out = self.clone();
        for p in out.pieces.iter_mut() {
            p.src += by;
        }
        out
    }

    /// Returns the source range its pieces span, if it has any.
    pub fn span(&self) -> Option<(usize, usize)> {
        let first = self.pieces.first()?;
        let last = self.pieces.last()?;
        Some((first.src, (last.src + last.src_len).max(first.src)))
    }

    /// Returns the byte range `a..b` of the text (on character boundaries) with its map.
    pub fn slice(&self, a: usize, b: usize) -> Mapped {
        let mut out = Mapped { text: self.text[a..b].to_string(), pieces: Pieces::default(), part: self.part.clone() };
        for p in self.pieces.iter() {
            let (s, e) = (p.at.max(a), (p.at + p.len).min(b));
            if s >= e {
                continue;
            }
            let local = if p.exact {
                Local { at: s - a, len: e - s, src: p.src + (s - p.at), src_len: e - s, exact: true }
            } else {
                Local { at: s - a, len: e - s, src: p.src, src_len: p.src_len, exact: false }
            };
            out.pieces.push(local);
        }
        out
    }

    /// Returns the text without leading and trailing whitespace, with its map.
    pub fn trim(&self) -> Mapped {
        let (start, end) = self.trimmed_range();
        if start == 0 && end == self.text.len() {
            return self.clone();
        }
        self.slice(start, end)
    }

    /// Returns the byte range of the text without leading and trailing whitespace.
    pub fn trimmed_range(&self) -> (usize, usize) {
        let start = self.text.len() - self.text.trim_start().len();
        (start, self.text.trim_end().len().max(start))
    }

    /// Calls `f(text range, source range, exact)` for each piece overlapping bytes `a..b` of
    /// the text, clipped to them, text ranges relative to `a`.
    pub fn each_piece_in(&self, a: usize, b: usize, mut f: impl FnMut((usize, usize), (usize, usize), bool)) {
        for p in self.pieces.iter() {
            let (s, e) = (p.at.max(a), (p.at + p.len).min(b));
            if s >= e {
                continue;
            }
            if p.exact {
                f((s - a, e - a), (p.src + (s - p.at), p.src + (e - p.at)), true);
            } else {
                f((s - a, e - a), (p.src, p.src + p.src_len), false);
            }
        }
    }

    /// Calls `f(text range, source range, exact)` for each piece, text ranges relative to the
    /// start of this string.
    pub fn each_piece(&self, mut f: impl FnMut((usize, usize), (usize, usize), bool)) {
        for p in self.pieces.iter() {
            f((p.at, p.at + p.len), (p.src, p.src + p.src_len), p.exact);
        }
    }
}

/// Returns, for each of the `sorted` byte offsets of UTF-8 `text`, how many UTF-16 code units
/// come before it (what a byte offset of the UTF-16 file it was transcoded from counts, halved).
pub fn utf16_offsets(text: &[u8], sorted: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(sorted.len());
    let mut units = 0;
    let mut k = 0;
    for (i, c) in String::from_utf8_lossy(text).char_indices() {
        while k < sorted.len() && sorted[k] <= i {
            out.push(units);
            k += 1;
        }
        units += c.len_utf16();
    }
    out.resize(sorted.len(), units);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_pieces_map_sub_ranges_and_labels_have_no_source() {
        // Extracted text "mrn: 4071938\n" where the value came from bytes 10..17 of a file.
        let mut m = SourceMap::new();
        m.push((5, 12), None, (10, 17), true);
        assert_eq!(m.locate(5, 12), Some(Source { part: None, start: 10, end: 17 }));
        assert_eq!(m.locate(7, 9), Some(Source { part: None, start: 12, end: 14 }));
        assert_eq!(m.locate(0, 12), Some(Source { part: None, start: 10, end: 17 }), "a label widens nothing");
        assert_eq!(m.locate(0, 4), None);
    }

    #[test]
    fn inexact_pieces_widen_to_what_they_stand_for() {
        // "Café" decoded from "Caf&eacute;" at 100.
        let mut v = Mapped::new();
        v.push_exact("Caf", 100);
        v.push_decoded("é", (103, 111));
        let mut m = SourceMap::new();
        let part = m.part("word/document.xml");
        v.each_piece(|t, s, exact| m.push(t, Some(part), s, exact));
        let got = m.locate(0, v.as_str().len()).unwrap();
        assert_eq!((got.part.as_deref(), got.start, got.end), (Some("word/document.xml"), 100, 111));
        assert_eq!(m.locate(3, 4).map(|s| (s.start, s.end)), Some((103, 111)));
    }

    #[test]
    fn slicing_and_trimming_keep_the_map() {
        let mut v = Mapped::new();
        v.push_exact("  Hope ", 20);
        v.push_decoded("&", (27, 32));
        v.push_exact(" Ada  ", 32);
        let t = v.trim();
        assert_eq!(t.as_str(), "Hope & Ada");
        let mut pieces = Vec::new();
        t.each_piece(|a, b, e| pieces.push((a, b, e)));
        assert_eq!(pieces, vec![((0, 5), (22, 27), true), ((5, 6), (27, 32), false), ((6, 10), (32, 36), true)]);
    }

    #[test]
    fn locating_from_a_hint_agrees_with_a_search() {
        // Values of 3 bytes every 10 bytes of text, from every 7th byte of a source.
        let mut m = SourceMap::new();
        for k in 0..50 {
            m.push((k * 10 + 2, k * 10 + 5), None, (k * 7, k * 7 + 3), k % 3 != 0);
        }
        let mut hint = 0;
        let ranges: Vec<(usize, usize)> =
            (0..500).step_by(3).map(|a| (a, a + 2)).chain([(480, 490), (3, 4), (250, 300), (0, 1)]).collect();
        for (a, b) in ranges {
            assert_eq!(m.locate_from(&mut hint, a, b), m.locate(a, b), "{a}..{b}");
        }
    }

    #[test]
    fn utf16_offsets_count_code_units() {
        let text = "a\u{e9}\u{1f600}b".as_bytes(); // 1 + 2 + 4 + 1 bytes; 1 + 1 + 2 + 1 units
        assert_eq!(utf16_offsets(text, &[0, 1, 3, 7, 8]), vec![0, 1, 2, 4, 5]);
    }

    #[test]
    fn adjacent_exact_pieces_merge() {
        let mut m = SourceMap::identity(10);
        m.push((10, 20), None, (10, 20), true);
        assert_eq!(m.pieces.len(), 1);
        assert_eq!(m.locate(8, 12).map(|s| (s.start, s.end)), Some((8, 12)));
    }
}
