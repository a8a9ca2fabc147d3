//! Records inside prose: rows, JSON, logs, HL7 and XML pasted into tickets, e-mails and documents.
//!
//! The costliest leaks are not sentences: five rows of an export pasted into a support ticket,
//! a JSON payload "copied from prod" in API docs, an HL7 message in a forum post. In any prose
//! document (plain text, Markdown, e-mail bodies, Word paragraphs, HTML) this module recognises
//! such blocks and describes them the way the file formats are described, over the document's
//! own text (so plain-text offsets stay the file's):
//!
//! - runs of delimited rows (`,` `;` `|` tab, quoted cells such as `"LAST, FIRST"`, Markdown
//!   pipe tables), with or without a header row: header names field their column and are
//!   labels, not findings; columns without a name become a grid typed by their contents
//!   (`score::columns`); each row is a unit;
//! - JSON objects and arrays, whole or cut off, walked like a JSON file (key paths, FHIR
//!   resources): each top-level object or array element is a unit;
//! - HL7 v2 messages (MSH, PID, NK1, PV1, DG1, OBR, OBX, …): fields by segment and position
//!   (PID-5 is the patient's name, PID-7 the date of birth, DG1-3 a diagnosis), one unit per
//!   patient (a PID and the segments after it);
//! - XML fragments (a CDA/CCD excerpt): element and attribute names field their values; the
//!   fragment is a unit;
//! - `key=value` log lines (each a unit) and blocks of `Key: value` lines (one unit);
//! - runs of machine messages in capitals (a pager or monitor log): each line a unit, and the
//!   `SURNAME, GIVEN` pair such systems write a grid column for `score::columns` to type.
//!
//! A `Key: value` block or an XML fragment links as one record only when one of its keys names
//! a person (`Name:`, `DOB:`, `<given>`), which the scanner checks against the field rules; an
//! event listing (`Speaker:` / `Topic:`) stays prose.
//!
//! Field names go through the same field rules as CSV headers and JSON keys
//! (`rules/structured.toml`). Detection is line-based and cheap: a line is looked at only when
//! its first bytes or its delimiters say it may start a record.

use super::json::{self, Node, Sink, Value};
use super::table::{looks_like_header, Rows};
use super::{Document, FieldSpan, Grid};
use crate::text::{Mapped, Unit};

/// What was found: fields, grids, header labels and units, over the document's text.
#[derive(Default)]
struct Found {
    fields: Vec<FieldSpan>,
    grids: Vec<Grid>,
    labels: Vec<(usize, usize)>,
    units: Vec<(Unit, String)>,
}

impl Found {
    fn field(&mut self, (start, end): (usize, usize), name: &str) {
        if start < end {
            self.fields.push(FieldSpan { start, end, name: name.into() });
        }
    }

    fn unit(&mut self, start: usize, end: usize, kind: &'static str) {
        if start < end {
            self.units.push((Unit { start, end, kind }, String::new()));
        }
    }
}

/// A line of the text, without its line break.
#[derive(Clone, Copy, Debug)]
struct Line {
    start: usize,
    end: usize,
}

/// Finds the records pasted in `doc`'s prose and adds their fields, grids, labels and units.
/// `blank_breaks`: whether a blank line ends a block (plain text, e-mail), or only separates
/// paragraphs the extractor wrote one per line (Word, HTML).
pub fn detect(doc: &mut Document, blank_breaks: bool) {
    let found = find(&doc.text, &doc.units, &doc.labels, blank_breaks);
    if found.units.is_empty() && found.fields.is_empty() && found.grids.is_empty() {
        return;
    }
    doc.fields.extend(found.fields);
    doc.grids.extend(found.grids);
    doc.labels.extend(found.labels);
    doc.labels.sort_unstable();
    doc.add_units(found.units);
}

fn find(text: &[u8], units: &[Unit], labels: &[(usize, usize)], blank_breaks: bool) -> Found {
    let mut found = Found::default();
    for run in runs(text, units, labels, blank_breaks) {
        let mut p = 0;
        let mut skip_until = 0;
        // Lines of a delimited run already judged to read like prose: a table starting inside
        // it would be judged the same, and asking again from every line made prose with commas
        // quadratic.
        let mut prose_until = 0;
        while p < run.len() {
            if run[p].start < skip_until {
                p += 1;
                continue;
            }
            let used = json_block(text, &run[p..], &mut found)
                .or_else(|| hl7_block(text, &run[p..], &mut found))
                .or_else(|| xml_block(text, &run[p..], &mut found))
                .or_else(|| {
                    if p < prose_until {
                        return None;
                    }
                    table_block(text, &run[p..], &mut found).map_err(|prose| prose_until = p + prose).ok()
                })
                .or_else(|| colon_block(text, &run[p..], &mut found))
                .or_else(|| log_line(text, run[p], &mut found))
                .or_else(|| caps_messages(text, &run[p..], &mut found));
            match used {
                Some(Used::Lines(n)) => p += n.max(1),
                Some(Used::Until(end)) => {
                    skip_until = end;
                    p += 1;
                }
                None => p += 1,
            }
        }
    }
    found
}

/// How much of a run a block took.
enum Used {
    /// This many lines.
    Lines(usize),
    /// Every line starting before this offset.
    Until(usize),
}

/// Splits the text into runs of consecutive non-blank lines outside the extractor's own units
/// and labels (a table already read as one, a JSON-LD script).
fn runs(text: &[u8], units: &[Unit], labels: &[(usize, usize)], blank_breaks: bool) -> Vec<Vec<Line>> {
    let taken = |s: usize, e: usize| {
        let i = units.partition_point(|u| u.end <= s);
        let in_unit = units.get(i).is_some_and(|u| u.start < e);
        let j = labels.partition_point(|l| l.1 <= s);
        in_unit || labels.get(j).is_some_and(|l| l.0 < e)
    };
    let mut out: Vec<Vec<Line>> = Vec::new();
    let mut cur: Vec<Line> = Vec::new();
    let mut start = 0;
    let push_line = |s: usize, e: usize, cur: &mut Vec<Line>, out: &mut Vec<Vec<Line>>| {
        let blank = text[s..e].iter().all(u8::is_ascii_whitespace);
        if (blank && blank_breaks) || (!blank && taken(s, e)) {
            if !cur.is_empty() {
                out.push(std::mem::take(cur));
            }
        } else if !blank {
            cur.push(Line { start: s, end: e });
        }
    };
    for nl in memchr::memchr_iter(b'\n', text).chain(std::iter::once(text.len())) {
        if nl < start {
            continue;
        }
        let mut e = nl;
        if e > start && text[e - 1] == b'\r' {
            e -= 1;
        }
        // HL7 ends segments with a bare carriage return: each is a line of its own.
        let mut s = start;
        for cr in memchr::memchr_iter(b'\r', &text[start..e]).map(|p| start + p) {
            push_line(s, cr, &mut cur, &mut out);
            s = cr + 1;
        }
        push_line(s, e, &mut cur, &mut out);
        start = nl + 1;
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn trim_range(text: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && text[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && text[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    (s, e)
}

// ---------------------------------------------------------------------------------------------
// JSON

/// Gives JSON values to `Found`: each value's bytes under its field, each top-level object a
/// unit.
struct ProseSink<'f>(&'f mut Found);

impl Sink for ProseSink<'_> {
    fn start_unit(&mut self, _: &Value) {}

    fn end_unit(&mut self, v: &Value, kind: &'static str, _: String) {
        self.0.unit(v.start, v.end, kind);
    }

    fn leaf(&mut self, value: &Mapped, _: String, field: Option<&str>) {
        if let (Some(name), Some(span)) = (field, value.span()) {
            self.0.field(span, name);
        }
    }
}

/// A JSON object or array starting the line (or after `label:` / `key =`).
fn json_block(text: &[u8], run: &[Line], found: &mut Found) -> Option<Used> {
    let line = run[0];
    let s = &text[line.start..line.end];
    let first = s.iter().position(|c| !c.is_ascii_whitespace())?;
    let at = if matches!(s[first], b'{' | b'[') {
        first
    } else {
        // `payload: {…}`, `body = [ … ]`: a value after a label.
        let open = memchr::memchr2(b'{', b'[', s)?;
        let before = s[..open].iter().rposition(|c| !c.is_ascii_whitespace())?;
        if !matches!(s[before], b':' | b'=') {
            return None;
        }
        open
    };
    let (value, _) = json::parse_lenient(text, line.start + at)?;
    if !is_record(&value) {
        return None;
    }
    json::top_level(&mut ProseSink(found), &value, "$", "", false);
    Some(Used::Until(value.end))
}

/// Whether a parsed value holds a record: an object with a member, or an array of objects.
fn is_record(v: &Value) -> bool {
    match &v.node {
        Node::Object(m) => !m.is_empty(),
        Node::Array(items) => items.iter().any(|i| matches!(&i.node, Node::Object(m) if !m.is_empty())),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// HL7 v2

/// Segments recognised at the start of a line.
const HL7_SEGMENTS: &[&[u8; 3]] = &[
    b"MSH", b"EVN", b"PID", b"PD1", b"NK1", b"PV1", b"PV2", b"ORC", b"OBR", b"OBX", b"NTE", b"DG1", b"PR1", b"AL1",
    b"IN1", b"IN2", b"GT1", b"RXA", b"RXE", b"RXO", b"RXR", b"SCH", b"TQ1", b"SPM", b"MRG", b"ROL", b"ZPI",
];

/// Segments that say enough alone to be read when pasted on their own.
const HL7_ALONE: &[&[u8; 3]] = &[b"PID", b"PV1", b"DG1", b"OBX", b"OBR", b"NK1", b"IN1", b"PR1"];

fn hl7_id(text: &[u8], line: Line) -> Option<[u8; 3]> {
    let s = &text[line.start..line.end];
    if s.len() < 5 || s[3] != b'|' {
        return None;
    }
    let id: [u8; 3] = s[..3].try_into().ok()?;
    HL7_SEGMENTS.contains(&&id).then_some(id)
}

/// Fields of HL7 segments that name or describe the patient: (segment, field, component,
/// field name for the field rules).
const HL7_FIELDS: &[(&[u8; 3], usize, usize, &str)] = &[
    (b"PID", 2, 1, "patient id"),
    (b"PID", 3, 1, "patient id"),
    (b"PID", 4, 1, "patient id"),
    (b"PID", 5, 1, "family name"),
    (b"PID", 5, 2, "given name"),
    (b"PID", 5, 3, "middle name"),
    (b"PID", 6, 1, "family name"),
    (b"PID", 6, 2, "given name"),
    (b"PID", 7, 1, "date of birth"),
    (b"PID", 9, 1, "family name"),
    (b"PID", 9, 2, "given name"),
    (b"PID", 11, 1, "street address"),
    (b"PID", 11, 3, "city"),
    (b"PID", 11, 5, "zip code"),
    (b"PID", 13, 1, "phone"),
    (b"PID", 13, 4, "email"),
    (b"PID", 14, 1, "phone"),
    (b"PID", 18, 1, "account number"),
    (b"PID", 19, 1, "ssn"),
    (b"NK1", 2, 1, "next of kin"),
    (b"NK1", 2, 2, "next of kin"),
    (b"NK1", 4, 1, "street address"),
    (b"NK1", 5, 1, "phone"),
    (b"GT1", 3, 1, "guarantor name"),
    (b"GT1", 3, 2, "guarantor name"),
    (b"GT1", 5, 1, "street address"),
    (b"GT1", 6, 1, "phone"),
    (b"GT1", 12, 1, "ssn"),
    (b"IN1", 16, 1, "insured name"),
    (b"IN1", 16, 2, "insured name"),
    (b"IN1", 36, 1, "policy number"),
    (b"DG1", 3, 1, "diagnosis code"),
    (b"DG1", 3, 2, "diagnosis"),
    (b"DG1", 4, 1, "diagnosis"),
    (b"PR1", 3, 2, "procedure"),
    (b"PR1", 4, 1, "procedure"),
    (b"OBR", 4, 2, "ordered procedure"),
    (b"OBX", 3, 2, "test procedure"),
    (b"RXA", 5, 2, "medication"),
    (b"RXE", 2, 2, "medication"),
    (b"RXO", 1, 2, "medication"),
];

/// An HL7 v2 message (or a few of its segments): fields by position, a unit per patient.
fn hl7_block(text: &[u8], run: &[Line], found: &mut Found) -> Option<Used> {
    let first = hl7_id(text, run[0])?;
    let n = run.iter().take_while(|l| hl7_id(text, **l).is_some()).count();
    let pipes = text[run[0].start..run[0].end].iter().filter(|c| **c == b'|').count();
    if n < 2 && !(HL7_ALONE.contains(&&first) && pipes >= 4) {
        return None;
    }
    // The encoding characters from MSH-2 when the message has one (`^~\&`).
    let (mut comp, mut rep) = (b'^', b'~');
    if &first == b"MSH" {
        let s = &text[run[0].start..run[0].end];
        comp = s.get(4).copied().unwrap_or(b'^');
        rep = s.get(5).copied().unwrap_or(b'~');
    }
    let mut unit_start = run[0].start;
    let mut has_pid = false;
    for line in &run[..n] {
        let id = hl7_id(text, *line)?;
        if (&id == b"PID" && has_pid) || (&id == b"MSH" && line.start > unit_start) {
            found.unit(unit_start, prev_end(text, line.start), "message");
            unit_start = line.start;
            has_pid = false;
        }
        has_pid |= &id == b"PID";
        let fields = split(text, line.start, line.end, b'|');
        for &(_, f, c, name) in HL7_FIELDS.iter().filter(|x| x.0 == &id) {
            let Some(&(fs, fe)) = fields.get(f) else { continue };
            for (rs, re) in split(text, fs, fe, rep) {
                if let Some(&(cs, ce)) = split(text, rs, re, comp).get(c - 1) {
                    found.field(trim_range(text, cs, ce), name);
                }
            }
        }
    }
    found.unit(unit_start, run[n - 1].end, "message");
    Some(Used::Lines(n))
}

/// Returns the end of the line before `start` (without its line break).
fn prev_end(text: &[u8], start: usize) -> usize {
    let mut e = start;
    while e > 0 && matches!(text[e - 1], b'\n' | b'\r') {
        e -= 1;
    }
    e
}

/// Splits `text[s..e]` at `sep` into ranges.
fn split(text: &[u8], s: usize, e: usize, sep: u8) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut a = s;
    for p in memchr::memchr_iter(sep, &text[s..e]) {
        out.push((a, s + p));
        a = s + p + 1;
    }
    out.push((a, e));
    out
}

// ---------------------------------------------------------------------------------------------
// XML

/// HTML element names: a block of these is markup in a Markdown file, not a pasted record.
const HTML_TAGS: &[&str] = &[
    "a",
    "b",
    "i",
    "u",
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "span",
    "div",
    "img",
    "table",
    "tr",
    "td",
    "th",
    "thead",
    "tbody",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "html",
    "body",
    "head",
    "script",
    "style",
    "details",
    "summary",
    "pre",
    "code",
    "sup",
    "sub",
    "small",
    "blockquote",
    "section",
    "font",
    "center",
    "picture",
    "source",
    "video",
    "iframe",
    "kbd",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "nav",
    "footer",
    "header",
    "main",
    "meta",
    "link",
    "title",
    "input",
    "button",
    "form",
    "label",
    "select",
    "option",
    "svg",
    "path",
];

/// Element and attribute names that say nothing by themselves: the field is the enclosing
/// element's name.
const XML_GENERIC: &[&str] = &[
    "value",
    "code",
    "displayname",
    "codesystem",
    "codesystemname",
    "unit",
    "type",
    "root",
    "nullflavor",
    "classcode",
    "moodcode",
    "xsi:type",
    "use",
    "text",
    "item",
    "entry",
    "component",
    "content",
    "originaltext",
];

fn is_elision(s: &[u8]) -> bool {
    let t = s.trim_ascii();
    matches!(t, b"..." | b"[...]" | b"(...)" | b"[\xe2\x80\xa6]") || t == "\u{2026}".as_bytes()
}

/// A pasted XML fragment (CDA, CCD, a SOAP body): values fielded by their element or attribute.
fn xml_block(text: &[u8], run: &[Line], found: &mut Found) -> Option<Used> {
    let starts_tag = |l: &Line| {
        let s = text[l.start..l.end].trim_ascii_start();
        s.len() > 2 && s[0] == b'<' && (s[1].is_ascii_alphabetic() || s[1] == b'/' || s[1] == b'?')
    };
    if !starts_tag(&run[0]) {
        return None;
    }
    let n = run.iter().take_while(|l| starts_tag(l) || is_elision(&text[l.start..l.end])).count();
    let (start, end) = (run[0].start, run[n - 1].end);
    let mut local = Found::default();
    let mut names = 0usize;
    let mut html = 0usize;
    let mut reader = quick_xml::Reader::from_reader(&text[start..end]);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<String> = Vec::new();
    let mut buf = Vec::new();
    let named = |stack: &[String]| {
        stack.iter().rev().find(|n| !XML_GENERIC.contains(&n.to_ascii_lowercase().as_str())).cloned()
    };
    loop {
        let at = start + reader.buffer_position() as usize;
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(_) => break,
        };
        match ev {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                names += 1;
                html += usize::from(HTML_TAGS.contains(&name.to_ascii_lowercase().as_str()));
                let tag = &text[at..(start + reader.buffer_position() as usize).min(end)];
                let empty = tag.ends_with(b"/>");
                stack.push(name);
                for a in e.attributes().flatten() {
                    let key = String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned();
                    let field = if XML_GENERIC.contains(&key.to_ascii_lowercase().as_str()) {
                        named(&stack)
                    } else {
                        Some(key)
                    };
                    let raw: &[u8] = &a.value;
                    if let (Some(field), Some(p)) = (field, find_sub(tag, raw)) {
                        local.field((at + p, at + p + raw.len()), &field);
                    }
                }
                if empty {
                    stack.pop();
                }
            }
            quick_xml::events::Event::End(_) => {
                stack.pop();
            }
            quick_xml::events::Event::Text(t) => {
                let raw: &[u8] = &t;
                let (s, e) = trim_range(text, at, at + raw.len());
                if s < e && !stack.is_empty() {
                    if let Some(field) = named(&stack) {
                        local.field((s, e), &field);
                    }
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    if names == 0 || html * 2 >= names {
        return None;
    }
    found.fields.extend(local.fields);
    found.unit(start, end, "document");
    Some(Used::Lines(n))
}

/// Returns where `needle` (an attribute's raw value) is in `tag`, after an `=`.
fn find_sub(tag: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    memchr::memmem::find_iter(tag, needle).find(|&p| p > 0 && matches!(tag[p - 1], b'"' | b'\''))
}

// ---------------------------------------------------------------------------------------------
// Delimited rows

/// The cells of one line split at `d` (quote-aware), trimmed, as ranges of the text; a
/// Markdown pipe row loses its outer pipes.
fn cells(text: &[u8], line: Line, d: u8) -> Vec<(usize, usize)> {
    let row = Rows::new(text, line.start, d).until(line.end).next_row().unwrap_or_default();
    let mut out: Vec<(usize, usize)> = row
        .iter()
        .map(|c| {
            let t = c.trim();
            t.span().unwrap_or_else(|| {
                let at = c.span().map_or(line.start, |s| s.0);
                (at, at)
            })
        })
        .collect();
    if d == b'|' {
        let s = text[line.start..line.end].trim_ascii();
        if s.first() == Some(&b'|') && out.first().is_some_and(|c| c.0 == c.1) {
            out.remove(0);
        }
        if s.last() == Some(&b'|') && out.last().is_some_and(|c| c.0 == c.1) {
            out.pop();
        }
    }
    out
}

/// Returns how many cells `line` splits into at `d` without reading them (as [`Rows`] splits:
/// a quote opens only at a cell's first byte), less the empty ends of a Markdown pipe row.
fn count_cells(text: &[u8], line: Line, d: u8) -> usize {
    let s = &text[line.start..line.end];
    let outer = |n: usize| {
        if d != b'|' {
            return n;
        }
        let t = s.trim_ascii();
        n.saturating_sub(usize::from(t.first() == Some(&b'|')) + usize::from(t.len() > 1 && t.last() == Some(&b'|')))
    };
    // Most lines have no quote: count with memchr.
    if memchr::memchr(b'"', s).is_none() {
        return outer(memchr::memchr_iter(d, s).count() + 1);
    }
    let mut quoted = false;
    let mut at_start = true;
    let mut n = 1usize;
    let mut i = 0;
    while i < s.len() {
        let c = s[i];
        i += 1;
        if quoted {
            if c == b'"' {
                // `""` inside quotes is a quote; a lone one closes the cell's quoting.
                if s.get(i) == Some(&b'"') {
                    i += 1;
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if c == b'"' && at_start {
            quoted = true;
        } else if c == d {
            n += 1;
            at_start = true;
            continue;
        }
        at_start = false;
    }
    outer(n)
}

/// Whether a Markdown table's separator row (`|---|:--:|`).
fn is_separator(text: &[u8], line: Line) -> bool {
    let s = text[line.start..line.end].trim_ascii();
    s.contains(&b'-') && s.iter().all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t' | b'+'))
}

/// A run of delimited rows: at least two lines that split into the same number of cells.
/// `Err(n)`: no table here, and the first `n` lines form a delimited run that reads like prose.
fn table_block(text: &[u8], run: &[Line], found: &mut Found) -> Result<Used, usize> {
    let head = &text[run[0].start..run[0].end];
    let mut best: Option<(u8, usize, usize)> = None; // (delimiter, lines, cells)
    for d in [b'\t', b'|', b';', b','] {
        if memchr::memchr(d, head).is_none() {
            continue;
        }
        // Counting delimiters outside quotes finds the run; cells are read only for a run that
        // is kept.
        let k = count_cells(text, run[0], d);
        if k < if d == b',' || d == b';' { 3 } else { 2 } {
            continue;
        }
        let mut n = 1;
        while n < run.len()
            && (count_cells(text, run[n], d) == k || (d == b'|' && n == 1 && is_separator(text, run[n])))
        {
            n += 1;
        }
        if n >= 2 && best.is_none_or(|(_, bn, bk)| (n, k) > (bn, bk)) {
            best = Some((d, n, k));
        }
    }
    let Some((d, n, _)) = best else { return Err(0) };
    let lines = &run[..n];
    let separator = d == b'|' && n > 1 && is_separator(text, lines[1]);
    let rows: Vec<Vec<(usize, usize)>> =
        lines.iter().enumerate().filter(|(i, _)| !(separator && *i == 1)).map(|(_, l)| cells(text, *l, d)).collect();
    if rows.len() < 2 || (!separator && reads_like_prose(text, &rows, lines)) {
        return Err(n);
    }
    let strings = |r: &[(usize, usize)]| -> Vec<String> {
        r.iter().map(|&(s, e)| String::from_utf8_lossy(&text[s..e]).into_owned()).collect()
    };
    let header = separator
        || (looks_like_header(&strings(&rows[0]))
            && rows[1..].iter().any(|r| !looks_like_header(&strings(r)))
            && rows[0].iter().all(|&(s, e)| e - s <= 40));
    let body = if header { &rows[1..] } else { &rows[..] };
    let mut named = Vec::new();
    if header {
        for (j, &(s, e)) in rows[0].iter().enumerate() {
            named.push(s < e);
            if s < e {
                found.labels.push((s, e));
                let name = String::from_utf8_lossy(&text[s..e]).into_owned();
                for r in body {
                    if let Some(&c) = r.get(j) {
                        found.field(c, &name);
                    }
                }
            }
        }
    }
    for l in &lines[lines.len() - body.len()..] {
        found.unit(l.start, l.end, "row");
    }
    if named.iter().any(|n| !n) || named.is_empty() {
        found.grids.push(Grid { rows: body.to_vec(), named });
    }
    Ok(Used::Lines(n))
}

/// Whether rows split at a comma are more likely sentences: most end like one, or cells are
/// long runs of words.
fn reads_like_prose(text: &[u8], rows: &[Vec<(usize, usize)>], lines: &[Line]) -> bool {
    let sentence_ends = lines
        .iter()
        .filter(|l| matches!(text[l.start..l.end].trim_ascii_end().last(), Some(b'.' | b'!' | b'?')))
        .count();
    let cells: Vec<&(usize, usize)> = rows.iter().flatten().filter(|c| c.0 < c.1).collect();
    let wordy = cells.iter().filter(|&&&(s, e)| text[s..e].split(|c| *c == b' ').count() > 6 || e - s > 80).count();
    sentence_ends * 2 > lines.len() || wordy * 3 > cells.len().max(1)
}

// ---------------------------------------------------------------------------------------------
// `Key: value` blocks and `key=value` log lines

/// Returns the key and value ranges of a `Key: value` line (a list bullet allowed before it).
fn colon_pair(text: &[u8], line: Line) -> Option<((usize, usize), (usize, usize))> {
    let s = &text[line.start..line.end];
    let mut k = s.iter().position(|c| !c.is_ascii_whitespace())?;
    if matches!(s.get(k..k + 2), Some(b"- " | b"* ")) {
        k += 2;
    }
    let colon = memchr::memchr(b':', &s[k..])? + k;
    let key = &s[k..colon];
    let words = key.split(|c| *c == b' ').filter(|w| !w.is_empty()).count();
    let ok_key = !key.is_empty()
        && key.len() <= 32
        && (1..=4).contains(&words)
        && key[0].is_ascii_alphabetic()
        && key
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b' ' | b'_' | b'-' | b'/' | b'#' | b'.' | b'\''));
    let rest = &s[colon + 1..];
    if !ok_key || !rest.first().is_some_and(|c| *c == b' ' || *c == b'\t') || rest.starts_with(b"//") {
        return None;
    }
    let (vs, ve) = trim_range(text, line.start + colon + 1, line.end);
    (vs < ve).then_some(((line.start + k, line.start + colon), (vs, ve)))
}

/// Two or more consecutive `Key: value` lines: a form or a record, one unit.
fn colon_block(text: &[u8], run: &[Line], found: &mut Found) -> Option<Used> {
    let n = run.iter().take_while(|l| colon_pair(text, **l).is_some()).count();
    if n < 2 {
        return None;
    }
    for l in &run[..n] {
        if let Some((k, v)) = colon_pair(text, *l) {
            let name = String::from_utf8_lossy(&text[k.0..k.1]).into_owned();
            found.field(v, &name);
        }
    }
    found.unit(run[0].start, run[n - 1].end, "record");
    Some(Used::Lines(n))
}

/// A log line of `key=value` pairs (three or more, or two with a quoted value): each value
/// fielded by its key, the line a unit.
fn log_line(text: &[u8], line: Line, found: &mut Found) -> Option<Used> {
    let s = &text[line.start..line.end];
    memchr::memchr(b'=', s)?;
    let mut pairs: Vec<((usize, usize), (usize, usize))> = Vec::new();
    let mut quoted = false;
    let mut i = 0;
    while i < s.len() {
        // A key starts a word: letters, digits, `_`, `.`, `-`, then `=`.
        if (i == 0 || s[i - 1].is_ascii_whitespace()) && (s[i].is_ascii_alphabetic() || s[i] == b'_') {
            let k = i;
            let mut j = i;
            while j < s.len() && (s[j].is_ascii_alphanumeric() || matches!(s[j], b'_' | b'.' | b'-')) {
                j += 1;
            }
            if j < s.len() && s[j] == b'=' && j + 1 < s.len() {
                let v = j + 1;
                let close = match s[v] {
                    b'"' => Some(b'"'),
                    b'\'' => Some(b'\''),
                    b'<' => Some(b'>'),
                    _ => None,
                };
                let (vs, ve, next) = match close.and_then(|c| memchr::memchr(c, &s[v + 1..]).map(|p| v + 1 + p)) {
                    Some(e) => {
                        quoted = true;
                        (v + 1, e, e + 1)
                    }
                    None => {
                        let e = s[v..].iter().position(u8::is_ascii_whitespace).map_or(s.len(), |p| v + p);
                        (v, e, e)
                    }
                };
                pairs.push(((line.start + k, line.start + j), (line.start + vs, line.start + ve)));
                i = next;
                continue;
            }
            i = j.max(i + 1);
            continue;
        }
        i += 1;
    }
    if pairs.len() < 3 && !(quoted && pairs.len() >= 2) {
        return None;
    }
    for (k, v) in pairs {
        let name = String::from_utf8_lossy(&text[k.0..k.1]).into_owned();
        found.field(trim_range(text, v.0, v.1), &name);
    }
    found.unit(line.start, line.end, "line");
    Some(Used::Lines(1))
}

// ---------------------------------------------------------------------------------------------
// Machine messages in capitals

/// Words that make a line in capitals prose (a draft or memo typed in capitals), not a
/// machine message: messages are terse and rarely carry three of them.
const PROSE_WORDS: &[&[u8]] = &[
    b"THE", b"AND", b"OF", b"TO", b"WITH", b"FOR", b"HIS", b"HER", b"WHO", b"WAS", b"WERE", b"THAT", b"OUR", b"IS",
    b"ARE", b"IN", b"AT", b"A", b"AN", b"THIS", b"WHICH", b"HAS", b"HAVE", b"FROM", b"ON", b"BY",
];

/// Whether a line reads like a machine message: several tokens, letters but no lower case,
/// and terse (short, and not written in sentences).
fn is_caps_message(text: &[u8], line: Line) -> bool {
    let s = &text[line.start..line.end];
    let mut tokens = 0;
    let mut prose = 0;
    for t in s.split(|c| c.is_ascii_whitespace()).filter(|t| !t.is_empty()) {
        tokens += 1;
        let word = t.strip_suffix(b",").or_else(|| t.strip_suffix(b".")).unwrap_or(t);
        prose += usize::from(PROSE_WORDS.contains(&word));
    }
    tokens >= 4
        && s.len() <= 240
        && prose < 3
        && !s.iter().any(u8::is_ascii_lowercase)
        && s.iter().filter(|c| c.is_ascii_uppercase()).count() >= 8
}

/// Returns the first `SURNAME, GIVEN` pair of capitalised words in a line (each of three
/// letters or more), as a range.
fn caps_pair(text: &[u8], line: Line) -> Option<(usize, usize)> {
    let s = &text[line.start..line.end];
    let word = |i: usize| s[i..].iter().take_while(|c| c.is_ascii_uppercase() || matches!(c, b'\'' | b'-')).count();
    for comma in memchr::memchr_iter(b',', s) {
        let mut a = comma;
        while a > 0 && (s[a - 1].is_ascii_uppercase() || matches!(s[a - 1], b'\'' | b'-')) {
            a -= 1;
        }
        let starts_word = a == 0 || s[a - 1] == b' ';
        if comma - a < 3 || !starts_word || s.get(comma + 1) != Some(&b' ') {
            continue;
        }
        let g = comma + 2;
        let n = word(g);
        let ends_word = s.get(g + n).is_none_or(|c| *c == b' ');
        if n >= 3 && ends_word {
            return Some((line.start + a, line.start + g + n));
        }
    }
    None
}

/// Two or more machine messages in capitals: each line a unit, each `SURNAME, GIVEN` pair a
/// one-cell grid typed by the scorer (it becomes a name only when the name lists know it).
fn caps_messages(text: &[u8], run: &[Line], found: &mut Found) -> Option<Used> {
    let n = run.iter().take_while(|l| is_caps_message(text, **l)).count();
    if n < 2 {
        return None;
    }
    for l in &run[..n] {
        if let Some(pair) = caps_pair(text, *l) {
            // Each pair is judged on its own: one known name must not vouch for another line.
            found.grids.push(Grid { rows: vec![vec![pair]], named: vec![false] });
            found.unit(l.start, l.end, "line");
        }
    }
    Some(Used::Lines(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Document {
        let mut d = Document::plain(text.as_bytes().to_vec());
        detect(&mut d, true);
        d
    }

    #[test]
    fn prose_with_commas_on_every_line_is_read_once() {
        // 10,000 lines that each split into three comma cells and read like prose: judging the
        // run again from every line took 30 s per MB.
        let text = "Ansel Quarrington, 61, walked the loop today.\n".repeat(10_000);
        let started = std::time::Instant::now();
        let d = doc(&text);
        assert!(d.units.is_empty(), "prose read as rows");
        assert!(started.elapsed() < std::time::Duration::from_secs(10), "{:?}", started.elapsed());
    }

    fn fields(d: &Document) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = d
            .fields
            .iter()
            .map(|f| (f.name.to_string(), String::from_utf8_lossy(&d.text[f.start..f.end]).into_owned()))
            .collect();
        v.sort();
        v
    }

    fn unit_texts(d: &Document) -> Vec<String> {
        d.units.iter().map(|u| String::from_utf8_lossy(&d.text[u.start..u.end]).into_owned()).collect()
    }

    #[test]
    fn headed_rows_field_their_cells_and_label_the_header() {
        let d =
            doc("Rows from the export:\n\npatient;mrn;dx\nTobin Quill;4071938;gout\nAda Vale;5512093;asthma\n\nThanks");
        let f = fields(&d);
        assert!(f.contains(&("mrn".into(), "5512093".into())), "{f:?}");
        assert!(f.contains(&("patient".into(), "Tobin Quill".into())), "{f:?}");
        assert_eq!(d.labels.len(), 3);
        assert_eq!(unit_texts(&d), vec!["Tobin Quill;4071938;gout", "Ada Vale;5512093;asthma"]);
        assert!(d.grids.is_empty());
    }

    #[test]
    fn headerless_rows_become_a_grid_quotes_and_all() {
        let d = doc("no header:\n\"QUILL, TOBIN\",71022018,K50.90\n\"VALE, ADA\",71022019,J45.909\n");
        assert_eq!(d.grids.len(), 1);
        let g = &d.grids[0];
        let cell = |r: usize, c: usize| String::from_utf8_lossy(&d.text[g.rows[r][c].0..g.rows[r][c].1]).into_owned();
        assert_eq!(cell(0, 0), "QUILL, TOBIN");
        assert_eq!(cell(1, 2), "J45.909");
        assert_eq!(d.units.len(), 2);
    }

    #[test]
    fn markdown_tables_and_fenced_csv() {
        let d = doc("| Name | Phone |\n|---|---|\n| Ada Vale | 330-555-0119 |\n");
        assert_eq!(fields(&d), vec![("Name".into(), "Ada Vale".into()), ("Phone".into(), "330-555-0119".into())]);
        let d = doc("```csv\nname,mrn,dob\nAda Vale,5512093,1961-04-02\n```\n");
        assert!(fields(&d).contains(&("dob".into(), "1961-04-02".into())));
        assert_eq!(unit_texts(&d), vec!["Ada Vale,5512093,1961-04-02"]);
    }

    #[test]
    fn counting_cells_agrees_with_reading_them() {
        for line in ["a,b,c", "\"x, y\",2,\"say \"\"hi\"\", ok\"", "| a | b |", "a|b", " \"q\" ,1", ",,", "\"open, x"] {
            let text = line.as_bytes();
            let l = Line { start: 0, end: text.len() };
            for d in [b',', b'|'] {
                assert_eq!(count_cells(text, l, d), cells(text, l, d).len(), "{line:?} at {}", d as char);
            }
        }
    }

    #[test]
    fn prose_with_commas_is_not_a_table() {
        let d = doc("We met, talked, and agreed on the plan for next week at the clinic.\nShe left early, came back, and then went home for the day to rest.\n");
        assert!(d.grids.is_empty() && d.units.is_empty(), "{:?}", unit_texts(&d));
    }

    #[test]
    fn json_whole_or_cut_off() {
        let d = doc("Payload:\n[\n  {\"name\": \"Ada Vale\", \"mrn\": \"5512093\"},\n  {\"name\": \"Tobin Quill\", \"reason\": \"go\nThat's all");
        let f = fields(&d);
        assert!(f.contains(&("name".into(), "Tobin Quill".into())), "{f:?}");
        assert!(f.contains(&("mrn".into(), "5512093".into())), "{f:?}");
        assert_eq!(d.units.len(), 2);
        let d = doc("response body: {\"patient\": {\"birthDate\": \"1961-04-02\"}}\n");
        assert_eq!(fields(&d), vec![("birthDate".into(), "1961-04-02".into())]);
        let d = doc("See [the docs](https://example.org) and [1].\n");
        assert!(d.units.is_empty());
    }

    #[test]
    fn hl7_fields_by_position_and_a_unit_per_patient() {
        let d = doc(
            "From prod:\nMSH|^~\\&|LAB|NORTH|||202501011200||ORU^R01|1|P|2.5\rPID|1||QX4410982^^^NQ^MR||VALE^ADA^M||19610402|F\r\
             OBR|1|||88304^SURGICAL PATHOLOGY\rOBX|1|TX|22637-3^PATHOLOGY REPORT||benign\nPID|2||QX4410983^^^NQ^MR||QUILL^TOBIN||19700101|M\n",
        );
        let f = fields(&d);
        for want in
            [("family name", "VALE"), ("given name", "ADA"), ("date of birth", "19610402"), ("patient id", "QX4410982")]
        {
            assert!(f.contains(&(want.0.into(), want.1.into())), "{want:?} in {f:?}");
        }
        assert!(f.contains(&("ordered procedure".into(), "SURGICAL PATHOLOGY".into())), "{f:?}");
        assert_eq!(d.units.len(), 2, "{:?}", unit_texts(&d));
        assert!(unit_texts(&d)[0].ends_with("benign"));
    }

    #[test]
    fn xml_fragments_field_by_element_and_attribute() {
        let d = doc("Sample:\n<patient><name><given>Ada</given><family>Vale</family></name><birthTime value=\"19610402\"/></patient>\n...\n<observation><value code=\"K50.90\"/></observation>\nend");
        let f = fields(&d);
        assert!(f.contains(&("given".into(), "Ada".into())), "{f:?}");
        assert!(f.contains(&("birthTime".into(), "19610402".into())), "{f:?}");
        assert_eq!(d.units.len(), 1);
        let d = doc("<details>\n<summary>More</summary>\n<p>Hi</p>\n</details>\n");
        assert!(d.units.is_empty(), "HTML in Markdown is markup");
    }

    #[test]
    fn machine_messages_in_capitals() {
        let d = doc("From the monitor log:\nALERT BED 4 QUILLBY, TOBIAS SPO2 81 PLEASE CHECK\nALERT BED 9 NO PATIENT ASSIGNED\nok");
        assert_eq!(unit_texts(&d), vec!["ALERT BED 4 QUILLBY, TOBIAS SPO2 81 PLEASE CHECK"]);
        let g = &d.grids[0];
        assert_eq!(&d.text[g.rows[0][0].0..g.rows[0][0].1], b"QUILLBY, TOBIAS");
        assert!(doc("Plain prose, with commas, twice.\nAnd again, here.").grids.is_empty());
        // A memo typed in capitals is prose: its lines are sentences, not records.
        let memo = "OUR VOLUNTEERS OF THE YEAR ARE NAMED BELOW.\nTOMASZ QUILL, WHO RUNS THE LIBRARY CART ON THE CANCER WARD.\nIDA VENNER, WHO KNITS HATS FOR THE NURSERY AND THE NICU.";
        assert!(doc(memo).units.is_empty());
    }

    #[test]
    fn key_value_logs_and_colon_blocks() {
        let d = doc("ts=2025-01-02T03:04:05Z level=WARN patient=\"Ada Vale\" mrn=Q5512093 msg=\"retry\"\nok\n");
        let f = fields(&d);
        assert!(f.contains(&("patient".into(), "Ada Vale".into())), "{f:?}");
        assert!(f.contains(&("mrn".into(), "Q5512093".into())), "{f:?}");
        assert_eq!(d.units.len(), 1);
        let d = doc("Name: Ada Vale\nDOB: 04/02/1961\nDx: gout\n\nShe is fine.");
        assert_eq!(fields(&d).len(), 3);
        assert_eq!(unit_texts(&d), vec!["Name: Ada Vale\nDOB: 04/02/1961\nDx: gout"]);
        assert!(doc("Note: see https://example.org for more.\n").units.is_empty());
    }
}
