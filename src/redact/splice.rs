//! Cutting replacements into an input's bytes, in the syntax of its format.
//!
//! A finding's source range says which bytes of the file hold the value; what may be written
//! there depends on where those bytes are: in prose anything goes, in HTML text `<` and `&`
//! must be escaped (and tags inside the range survive), in a JSON string quotes and
//! backslashes must be escaped, in place of a JSON number only a number keeps the type, in a
//! quoted CSV cell quotes are doubled, and an unquoted cell that gains a delimiter must be
//! quoted. In an Office part's XML a replacement is escaped, and a range that spans several
//! runs (`<w:t>Quen</w:t></w:r><w:r><w:t>by</w:t>`) gets the replacement in its first run
//! while the markup between is kept and the other runs' covered text emptied: the runs are
//! split as needed, never merged. A spreadsheet number (`<v>` of a numeric cell) stays a
//! number when the stand-in is one; otherwise the cell becomes an inline string, or loses its
//! value on removal, and a formula cell is refused. [`same_shape`] then checks that the
//! structure survived (rows and cells, keys), so a range that crossed a boundary is refused
//! rather than written.

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
    /// Text of an Office part's XML.
    XmlText,
    /// An attribute value in an Office part's XML.
    XmlAttr,
    /// The value of a spreadsheet cell (`<v>`), a number.
    XmlNumber,
}

/// Where a byte of an XML part lies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum XmlContext {
    /// Character data.
    Text,
    /// Inside a quoted attribute value; `typed` when the attribute holds a typed value
    /// (`office:value`, `office:date-value`) that only a value of that type may replace.
    Attribute { typed: bool },
    /// A tag's name, an attribute's name, a comment or a declaration.
    Markup,
}

/// Returns where byte `at` of the XML `src` lies.
pub(crate) fn xml_context(src: &[u8], at: usize) -> XmlContext {
    let Some(open) = src[..at].iter().rposition(|&b| b == b'<' || b == b'>') else { return XmlContext::Text };
    if src[open] == b'>' {
        return XmlContext::Text;
    }
    let tag = &src[open..at];
    if tag.starts_with(b"<!") || tag.starts_with(b"<?") {
        return XmlContext::Markup;
    }
    // Inside a value when an odd number of quotes (of the kind that opened it) precede it.
    let mut quote: Option<u8> = None;
    let mut value_start = 0;
    for (i, &b) in tag.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => {
                quote = Some(b);
                value_start = i;
            }
            None => {}
        }
    }
    if quote.is_none() {
        return XmlContext::Markup;
    }
    let before = &tag[..value_start];
    let name_end = before.iter().rposition(|&b| b != b'=' && !b.is_ascii_whitespace()).map_or(0, |i| i + 1);
    let name_start = before[..name_end].iter().rposition(u8::is_ascii_whitespace).map_or(0, |i| i + 1);
    let name = &before[name_start..name_end];
    let typed = name.ends_with(b"value") || name.ends_with(b"-value") || name == b"r" || name == b"t";
    XmlContext::Attribute { typed }
}

/// The names of XML elements whose character data is extracted text: within a range cut over
/// several of them, their text goes and the markup between stays.
const XML_TEXT: &[&[u8]] = &[
    b"w:t",
    b"w:delText",
    b"a:t",
    b"t",
    b"v",
    b"text",
    b"p:text",
    b"text:p",
    b"text:h",
    b"text:span",
    b"text:a",
    b"dc:title",
    b"dc:subject",
    b"dc:description",
    b"cp:keywords",
    b"meta:keyword",
];

/// Returns what of `bytes` (a range of an XML part) is kept when its text is replaced: every
/// tag, comment and declaration, and the character data of elements that are not text (a
/// drawing's offsets between two runs), in order.
pub(crate) fn markup_in(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    // Whether character data here is inside a non-text element that the range opened.
    let mut keep_data = false;
    while i < bytes.len() {
        if bytes[i] == b'<' {
            let close = bytes[i..].iter().position(|&b| b == b'>').map_or(bytes.len(), |c| i + c + 1);
            let tag = &bytes[i..close];
            out.extend_from_slice(tag);
            keep_data = false;
            if tag.len() > 2 && !tag.starts_with(b"</") && !tag.starts_with(b"<!") && !tag.starts_with(b"<?") {
                let self_closing = tag.ends_with(b"/>");
                let name_end = tag[1..].iter().position(|&b| b.is_ascii_whitespace() || b == b'>' || b == b'/');
                let name = &tag[1..1 + name_end.unwrap_or(tag.len() - 1)];
                keep_data = !self_closing && !XML_TEXT.contains(&name);
            }
            i = close;
        } else {
            let next = bytes[i..].iter().position(|&b| b == b'<').map_or(bytes.len(), |c| i + c);
            if keep_data {
                out.extend_from_slice(&bytes[i..next]);
            }
            i = next;
        }
    }
    out
}

/// Escapes a replacement for XML text, or for an attribute value (quotes too).
fn escape_xml(s: &str, attribute: bool) -> String {
    escape_markup(s, attribute.then_some("&apos;"))
}

/// Escapes `&`, `<` and `>`, and with `apostrophe` (the entity to write for `'`) quotes too.
fn escape_markup(s: &str, apostrophe: Option<&str>) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match (c, apostrophe) {
            ('&', _) => out.push_str("&amp;"),
            ('<', _) => out.push_str("&lt;"),
            ('>', _) => out.push_str("&gt;"),
            ('"', Some(_)) => out.push_str("&quot;"),
            ('\'', Some(entity)) => out.push_str(entity),
            (c, _) => out.push(c),
        }
    }
    out
}

/// Whether `s` is a number a spreadsheet cell can hold (`xsd:double`, as written by hand).
fn is_cell_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && digits.bytes().filter(|&b| b == b'.').count() <= 1
        && digits.bytes().any(|b| b.is_ascii_digit())
}

/// Whether the range at `start` of a sheet part lies in a cell's `<v>` element.
fn in_cell_value(src: &[u8], start: usize) -> bool {
    let Some(open) = src[..start].iter().rposition(|&b| b == b'<') else { return false };
    src[open..start].starts_with(b"<v>") || src[open..start].starts_with(b"<v ")
}

/// Rewrites the numeric cell whose `<v>` holds `start..end` of `src` so that it holds
/// `replacement`: returns the range of `src` to replace (from the cell's start tag, never
/// before `floor`, to the end of its `<v>` element) and what to write there.
fn rewrite_number_cell(
    src: &[u8],
    start: usize,
    end: usize,
    floor: usize,
    replacement: &str,
) -> Result<(usize, usize, Vec<u8>), Refused> {
    let refuse = |what: &str| Err(Refused(format!("{what}: nothing written")));
    let Some(v_open) = src[..start].iter().rposition(|&b| b == b'<') else { return refuse("a cell cannot be read") };
    let Some(v_close) = memchr::memmem::find(&src[end..], b"</v>").map(|i| end + i) else {
        return refuse("a cell cannot be read");
    };
    let v_end = v_close + b"</v>".len();
    let content_start = src[v_open..start].iter().position(|&b| b == b'>').map_or(start, |i| v_open + i + 1);
    let Some(c_open) = memchr::memmem::rfind(&src[floor..v_open], b"<c").map(|i| floor + i) else {
        return refuse("a spreadsheet cell could not be rewritten");
    };
    let Some(c_tag_end) = src[c_open..v_open].iter().position(|&b| b == b'>').map(|i| c_open + i + 1) else {
        return refuse("a spreadsheet cell could not be rewritten");
    };
    let inner = &src[c_tag_end..v_open];
    // A formula would compute the value again (or keep it in its text): refused whatever the
    // stand-in, rather than a cached value that disagrees with its formula.
    if memchr::memmem::find(inner, b"<f").is_some() {
        return refuse("a formula cell holds a finding; redact does not rewrite formulas");
    }
    if is_cell_number(replacement) {
        return Ok((content_start, v_close, replacement.as_bytes().to_vec()));
    }
    if replacement.is_empty() {
        // Removal: the cell keeps its place and style and loses its value.
        return Ok((v_open, v_end, Vec::new()));
    }
    let tag = String::from_utf8_lossy(&src[c_open..c_tag_end]).into_owned();
    // The type attribute, if any, is replaced by `t="inlineStr"`.
    let mut new_tag = String::with_capacity(tag.len() + 16);
    let body = tag.trim_end_matches('>');
    let mut rest = body;
    while let Some(i) = rest.find(" t=") {
        new_tag.push_str(&rest[..i]);
        let after = &rest[i + 3..];
        let q = after.chars().next().unwrap_or('"');
        let skip = after[1..].find(q).map_or(after.len(), |j| j + 2);
        rest = &after[skip..];
    }
    new_tag.push_str(rest);
    new_tag.push_str(" t=\"inlineStr\">");
    let mut out = new_tag.into_bytes();
    out.extend_from_slice(inner);
    out.extend_from_slice(b"<is><t xml:space=\"preserve\">");
    out.extend_from_slice(escape_xml(replacement, false).as_bytes());
    out.extend_from_slice(b"</t></is>");
    Ok((c_open, v_end, out))
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
        let xml = super::package::is_package(kind);
        if !xml {
            cursor.advance(src, e.start, kind);
        }
        let place = match kind {
            _ if xml => match xml_context(src, e.start) {
                XmlContext::Text if kind == Kind::Xlsx && in_cell_value(src, e.start) => Place::XmlNumber,
                XmlContext::Text => Place::XmlText,
                XmlContext::Attribute { typed: false } => Place::XmlAttr,
                _ => return Err(Refused("a finding lies in XML markup redact cannot rewrite: nothing written".into())),
            },
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
        let prose = matches!(place, Place::Prose | Place::Html | Place::XmlText);
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
            Place::XmlText => {
                // Runs split as needed: the replacement goes in the first run, the markup
                // between stays, the other runs' covered text goes.
                let mut s = escape_xml(&replacement, false).into_bytes();
                s.extend_from_slice(&markup_in(&src[start..end]));
                String::from_utf8_lossy(&s).into_owned()
            }
            Place::XmlAttr => escape_xml(&replacement, true),
            Place::XmlNumber => {
                let (s, e2, bytes) = rewrite_number_cell(src, start, end, at, &replacement)?;
                start = s;
                end = e2;
                String::from_utf8_lossy(&bytes).into_owned()
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
        if mode == Mode::Remove && place != Place::XmlNumber {
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
        // Empty or label-only brackets: "(" + spaces + ")", "(MRN: " + ")", "[SSN ]".
        if prose {
            if let Some((open, close)) = label_bracket(out) {
                let inner = r.iter().position(|&b| b != b' ').unwrap_or(r.len());
                if r.get(inner) == Some(&close) {
                    out.truncate(open);
                    // "seen (MRN: …), ok" becomes "seen, ok": what follows decides the space.
                    while out.len() > 1 && out[out.len() - 1] == b' ' && !b"\n>\"".contains(&out[out.len() - 2]) {
                        out.pop();
                    }
                    skip += inner + 1;
                    continue;
                }
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

/// When `out` ends with an opening bracket and at most a label ("(", "(MRN: ", "[SSN #"),
/// returns where that bracket is and the byte that closes it: with the value removed, the
/// brackets would hold nothing, or a label for nothing, and go too.
fn label_bracket(out: &[u8]) -> Option<(usize, u8)> {
    let open = out.iter().rposition(|&b| b == b'(' || b == b'[')?;
    let label = out[open + 1..].trim_ascii();
    let short = label.len() <= 16;
    let plain = label.iter().all(|&b| b.is_ascii_alphabetic() || b" #:.-/".contains(&b));
    // A label is one word ("MRN", "SSN") or ends like one ("Patient ID:", "Acct #").
    let one_word = !label.contains(&b' ');
    let ends_like_label = label.last().is_some_and(|b| b":#".contains(b));
    if !(label.is_empty() || short && plain && (one_word || ends_like_label)) {
        return None;
    }
    Some((open, if out[open] == b'(' { b')' } else { b']' }))
}

/// Returns the byte range of the CSV cell holding `start..end`.
fn cell_bounds(src: &[u8], start: usize, end: usize, delimiter: u8) -> (usize, usize) {
    let stop = |b: &u8| *b == delimiter || *b == b'\n' || *b == b'\r';
    let cs = src[..start].iter().rposition(stop).map_or(0, |i| i + 1);
    let ce = src[end..].iter().position(stop).map_or(src.len(), |i| end + i);
    (cs, ce)
}

/// Escapes a replacement for HTML text or attributes (`&#39;`: HTML 4 has no `&apos;`).
fn escape_html(s: &str) -> String {
    escape_markup(s, Some("&#39;"))
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
            ("seen (MRN: 4821) today", "seen (MRN: ", ") today", "seen today"),
            ("seen [SSN 123-45-6789].", "seen [SSN ", "].", "seen."),
            ("ward (Patient ID: 99), ok", "ward (Patient ID: ", "), ok", "ward, ok"),
            ("ward (see the file 99)", "ward (see the file ", ")", "ward (see the file)"),
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
