//! Cutting replacements into an input's bytes, in the syntax of its format.
//!
//! A finding's source range says which bytes of the file hold the value; what may be written
//! there depends on where those bytes are: in prose anything goes, in HTML text `<` and `&`
//! must be escaped (and tags inside the range survive), in a JSON string quotes and
//! backslashes must be escaped, in place of a JSON number only a number keeps the type, in a
//! quoted CSV cell quotes are doubled, and an unquoted cell that gains a delimiter must be
//! quoted. [`same_shape`] then checks that the structure survived (rows and cells, keys), so a
//! range that crossed a boundary is refused rather than written.

use super::surrogate::{tag, Surrogates};
use super::{Edit, Mode, Refused};
use crate::extract::{table, Kind};
use crate::finding::{mask, Category};

/// The output of one pass and where its stand-ins are.
pub(crate) struct Spliced {
    pub bytes: Vec<u8>,
    /// Byte ranges of the output holding a mask or a surrogate: what a rescan may read as a
    /// finding although it is the replacement itself.
    pub stand_ins: Vec<(usize, usize)>,
}

/// Where a range of the source lies, which decides how a replacement is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    /// Plain text or Markdown.
    Prose,
    /// HTML text or an attribute value.
    Html,
    /// Inside a JSON string literal.
    JsonString,
    /// A JSON number or literal.
    JsonBare,
    /// Inside a quoted CSV cell.
    CsvQuoted,
    /// An unquoted CSV cell.
    CsvBare,
}

/// Tracks quoting state from the start of the source, forward only.
struct Cursor {
    at: usize,
    in_string: bool,
    escaped: bool,
}

impl Cursor {
    fn advance(&mut self, src: &[u8], to: usize, kind: Kind) {
        let to = to.min(src.len());
        while self.at < to {
            let b = src[self.at];
            match kind {
                Kind::Json | Kind::Jsonl => {
                    if self.escaped {
                        self.escaped = false;
                    } else if self.in_string && b == b'\\' {
                        self.escaped = true;
                    } else if b == b'"' {
                        self.in_string = !self.in_string;
                    }
                }
                // RFC 4180: a doubled quote toggles twice, so parity says whether we are inside.
                _ => {
                    if b == b'"' {
                        self.in_string = !self.in_string;
                    }
                }
            }
            self.at += 1;
        }
    }
}

/// Replaces every edit's range of `src` (the input's bytes) by its replacement in `mode`;
/// `text` is the extracted text the edits' values are read from.
pub(crate) fn apply(
    kind: Kind,
    src: &[u8],
    text: &[u8],
    edits: &[Edit],
    mode: Mode,
    surrogates: &mut Surrogates,
) -> Result<Spliced, Refused> {
    let value = |e: &Edit| {
        String::from_utf8_lossy(&text[e.text_start.min(text.len())..e.text_end.min(text.len())]).into_owned()
    };
    if mode == Mode::Surrogate {
        for e in edits.iter().filter(|e| e.category == Category::Name) {
            surrogates.learn_name(&value(e));
        }
    }
    let delimiter = match kind {
        Kind::Tsv => b'\t',
        Kind::Csv => table::sniff_delimiter(src.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(src)),
        _ => b',',
    };
    let mut out = Vec::with_capacity(src.len());
    let mut stand_ins = Vec::new();
    let mut cursor = Cursor { at: 0, in_string: false, escaped: false };
    let mut at = 0;
    for (k, e) in edits.iter().enumerate() {
        let next_start = edits.get(k + 1).map_or(src.len(), |n| n.start);
        if e.start < at || e.end > src.len() || e.start > e.end {
            return Err(Refused("two findings' places overlap after tidying: nothing written".into()));
        }
        cursor.advance(src, e.start, kind);
        let place = match kind {
            Kind::Text => Place::Prose,
            Kind::Html => Place::Html,
            Kind::Json | Kind::Jsonl if cursor.in_string => Place::JsonString,
            Kind::Json | Kind::Jsonl => Place::JsonBare,
            _ if cursor.in_string => Place::CsvQuoted,
            _ => Place::CsvBare,
        };
        let v = value(e);
        let replacement = match mode {
            Mode::Mask => mask(&v).to_string(),
            Mode::Tag => tag(e.category),
            Mode::Surrogate => surrogates.replace(e.category, &v),
            Mode::Remove => String::new(),
        };
        let (mut start, mut end) = (e.start, e.end);
        let prose = matches!(place, Place::Prose | Place::Html);
        if mode == Mode::Remove && prose && e.category == Category::Name {
            start = title_before(src, start, at);
            end = possessive_after(src, end, next_start);
        }
        let written = match place {
            Place::Prose => replacement.clone(),
            Place::Html => {
                // Tags inside the range (a name split by `<b>`) are kept after the replacement.
                let mut s = escape_html(&replacement);
                s.push_str(&tags_in(&src[start..end]));
                s
            }
            Place::JsonString => {
                let quoted = serde_json::to_string(&replacement).unwrap_or_default();
                quoted[1..quoted.len() - 1].to_string()
            }
            Place::JsonBare => {
                if mode == Mode::Remove {
                    "null".into()
                } else if serde_json::from_str::<serde_json::Number>(&replacement).is_ok() {
                    replacement.clone()
                } else {
                    serde_json::to_string(&replacement).unwrap_or_default()
                }
            }
            Place::CsvQuoted => replacement.replace('"', "\"\""),
            Place::CsvBare => {
                let needs_quotes = replacement.bytes().any(|b| b == delimiter || b == b'"' || b == b'\n' || b == b'\r');
                if needs_quotes {
                    // The whole cell is quoted, its other bytes kept.
                    let (cs, ce) = cell_bounds(src, start, end, delimiter);
                    if cs < at || ce > next_start {
                        return Err(Refused("a cell holds two findings that need quoting: nothing written".into()));
                    }
                    let cell = format!(
                        "{}{}{}",
                        String::from_utf8_lossy(&src[cs..start]),
                        replacement,
                        String::from_utf8_lossy(&src[end..ce])
                    );
                    start = cs;
                    end = ce;
                    format!("\"{}\"", cell.replace('"', "\"\""))
                } else {
                    replacement.clone()
                }
            }
        };
        out.extend_from_slice(&src[at..start]);
        let from = out.len();
        out.extend_from_slice(written.as_bytes());
        if matches!(mode, Mode::Surrogate | Mode::Mask) && !written.is_empty() {
            stand_ins.push((from, out.len()));
        }
        at = end;
        if mode == Mode::Remove {
            let skip = tidy(&mut out, &src[at..next_start.max(at)], prose);
            at += skip;
        }
    }
    out.extend_from_slice(&src[at.min(src.len())..]);
    Ok(Spliced { bytes: out, stand_ins })
}

/// Returns `start` moved back over a courtesy title ("Mr. ", "Ms "), not before `floor`.
fn title_before(src: &[u8], start: usize, floor: usize) -> usize {
    let before = &src[floor..start];
    for t in ["mr. ", "mrs. ", "ms. ", "mx. ", "miss ", "mr ", "mrs ", "ms ", "mx "] {
        if before.len() >= t.len() && before[before.len() - t.len()..].eq_ignore_ascii_case(t.as_bytes()) {
            let s = start - t.len();
            // A whole word: nothing alphanumeric right before it.
            if s == 0 || !src[s - 1].is_ascii_alphanumeric() {
                return s;
            }
        }
    }
    start
}

/// Returns `end` moved on over a possessive `'s` (straight or curly), not past `ceiling`.
fn possessive_after(src: &[u8], end: usize, ceiling: usize) -> usize {
    for p in ["'s", "\u{2019}s"] {
        let e = end + p.len();
        if e <= ceiling && &src[end..e] == p.as_bytes() && src.get(e).is_none_or(|b| !b.is_ascii_alphanumeric()) {
            return e;
        }
    }
    end
}

/// Tidies the join left by a removal: no double space, no space before punctuation, no
/// dangling comma, no empty parentheses (prose only; in a cell or string only spaces). Returns
/// how many bytes of `rest` to drop; may shorten `out`.
fn tidy(out: &mut Vec<u8>, rest: &[u8], prose: bool) -> usize {
    let mut skip = 0;
    let line_start = |out: &Vec<u8>| out.last().is_none_or(|&b| b == b'\n' || b == b'>' || b == b'"');
    for _ in 0..6 {
        let r = &rest[skip..];
        let last = out.last().copied();
        let first = r.first().copied();
        // Empty parentheses: "(" + spaces + ")".
        if prose {
            let trimmed = out.iter().rposition(|&b| b != b' ').map_or(0, |i| i + 1);
            let inner = r.iter().position(|&b| b != b' ').unwrap_or(r.len());
            if trimmed > 0 && out[trimmed - 1] == b'(' && r.get(inner) == Some(&b')') {
                out.truncate(trimmed - 1);
                skip += inner + 1;
                continue;
            }
        }
        match (last, first) {
            (Some(b' '), Some(b' ')) => {
                skip += r.iter().take_while(|&&b| b == b' ').count();
            }
            (_, Some(b' ')) if line_start(out) => {
                skip += r.iter().take_while(|&&b| b == b' ').count();
            }
            (Some(b' '), Some(b',' | b';')) if prose => {
                skip += 1;
            }
            (Some(b' '), Some(b'.' | b',' | b';' | b':' | b'!' | b'?' | b')')) => {
                while out.last() == Some(&b' ') {
                    out.pop();
                }
            }
            (Some(b','), Some(b',' | b'.' | b';' | b')' | b'!' | b'?' | b'\n')) | (Some(b','), None) if prose => {
                out.pop();
            }
            (_, Some(b',' | b';')) if prose && (line_start(out) || last == Some(b'(') || last == Some(b',')) => {
                skip += 1;
            }
            _ => break,
        }
    }
    skip
}

/// Returns the byte range of the CSV cell holding `start..end`.
fn cell_bounds(src: &[u8], start: usize, end: usize, delimiter: u8) -> (usize, usize) {
    let stop = |b: &u8| *b == delimiter || *b == b'\n' || *b == b'\r';
    let cs = src[..start].iter().rposition(stop).map_or(0, |i| i + 1);
    let ce = src[end..].iter().position(stop).map_or(src.len(), |i| end + i);
    (cs, ce)
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Returns the tags (`<…>`) inside `bytes`, in order.
fn tags_in(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut i = 0;
    while let Some(o) = bytes[i..].iter().position(|&b| b == b'<') {
        let s = i + o;
        match bytes[s..].iter().position(|&b| b == b'>') {
            Some(c) => {
                out.push_str(&String::from_utf8_lossy(&bytes[s..s + c + 1]));
                i = s + c + 1;
            }
            None => break,
        }
    }
    out
}

/// Checks that the redacted bytes have the input's structure: the same rows and cells in a
/// CSV, the same keys (and strings still strings) in JSON.
pub(crate) fn same_shape(kind: Kind, before: &[u8], after: &[u8]) -> Result<(), Refused> {
    let strip = |b: &'_ [u8]| -> Vec<u8> { b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b).to_vec() };
    let (a, b) = (strip(before), strip(after));
    let broken = |what: &str| Err(Refused(format!("redaction would change the {what}: nothing written")));
    match kind {
        Kind::Csv | Kind::Tsv => {
            let d = if kind == Kind::Tsv { b'\t' } else { table::sniff_delimiter(&a) };
            if cells(&a, d) != cells(&b, d) {
                return broken("rows or columns");
            }
        }
        Kind::Json => {
            if let Ok(x) = serde_json::from_slice::<serde_json::Value>(&a) {
                match serde_json::from_slice::<serde_json::Value>(&b) {
                    Ok(y) if shape(&x, &y) => {}
                    _ => return broken("JSON structure"),
                }
            }
        }
        Kind::Jsonl => {
            let lines = |t: &[u8]| -> Vec<Vec<u8>> {
                t.split(|&c| c == b'\n').filter(|l| !l.trim_ascii().is_empty()).map(<[u8]>::to_vec).collect()
            };
            let (la, lb) = (lines(&a), lines(&b));
            if la.len() != lb.len() {
                return broken("lines");
            }
            for (x, y) in la.iter().zip(&lb) {
                if let Ok(x) = serde_json::from_slice::<serde_json::Value>(x) {
                    match serde_json::from_slice::<serde_json::Value>(y) {
                        Ok(y) if shape(&x, &y) => {}
                        _ => return broken("JSON structure"),
                    }
                }
            }
        }
        _ => {}
    }
    Ok(())
}

fn cells(text: &[u8], delimiter: u8) -> Vec<usize> {
    let mut rows = table::Rows::new(text, 0, delimiter);
    let mut out = Vec::new();
    while let Some(row) = rows.next_row() {
        out.push(row.len());
    }
    out
}

/// Whether `b` has `a`'s keys, array lengths and strings; a number or literal may become a
/// string or null where the mode cannot write a number.
fn shape(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    use serde_json::Value as V;
    match (a, b) {
        (V::Object(x), V::Object(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|((ka, va), (kb, vb))| ka == kb && shape(va, vb))
        }
        (V::Array(x), V::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| shape(p, q)),
        (V::String(_), V::String(_)) => true,
        (V::Number(_) | V::Bool(_) | V::Null, V::Number(_) | V::Bool(_) | V::Null | V::String(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removal_leaves_tidy_prose() {
        let cases = [
            ("Thanks to Jane Roe, our donor.", "Thanks to ", ", our donor.", "Thanks to our donor."),
            ("Jane Roe, Ida Moe, and Al", "", ", Ida Moe, and Al", "Ida Moe, and Al"),
            ("Visit (Jane Roe) today", "Visit (", ") today", "Visit today"),
            ("Jane Roe, 34, beat it", "", ", 34, beat it", "34, beat it"),
            ("ward, Jane Roe.", "ward, ", ".", "ward."),
            ("a Jane Roe b", "a ", " b", "a b"),
        ];
        for (_, before, rest, want) in cases {
            let mut out = before.as_bytes().to_vec();
            let skip = tidy(&mut out, rest.as_bytes(), true);
            out.extend_from_slice(&rest.as_bytes()[skip..]);
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }

    #[test]
    fn json_shapes_compare_keys_and_strings() {
        let a: serde_json::Value = serde_json::json!({"a": "x", "n": 5, "l": [1, 2]});
        assert!(shape(&a, &serde_json::json!({"a": "y", "n": "*", "l": [3, 4]})));
        assert!(!shape(&a, &serde_json::json!({"a": 1, "n": 5, "l": [1, 2]})));
        assert!(!shape(&a, &serde_json::json!({"b": "x", "n": 5, "l": [1, 2]})));
        assert!(!shape(&a, &serde_json::json!({"a": "x", "n": 5, "l": [1]})));
    }

    #[test]
    fn titles_and_possessives_go_with_a_removed_name() {
        let s = b"ask Mr. Roe's wife";
        assert_eq!(title_before(s, 8, 0), 4);
        assert_eq!(possessive_after(s, 11, s.len()), 13);
        assert_eq!(title_before(b"Hammer Roe", 7, 0), 7);
    }
}
