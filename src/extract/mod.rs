//! Extraction: the formats people publish from (HTML, CSV, JSON, Office, e-mail, PDF, zip),
//! turned into the text the engine scans, with a map back to where each piece came from.
//!
//! An input becomes one or more [`Item`]s: the file itself and, for containers (a zip, an
//! e-mail's attachments, an mbox's messages), one item per member, named `outer!member`. Each
//! item is a [`Document`] (or a reason it could not be read): its `text` holds the extracted
//! values one per line, so that two values never merge into one word; [`Segment`]s map byte
//! ranges of that text to a human location (`row 41:mrn`, `$.entry[3].resource.name[0].family`,
//! `paragraph 12`) and, for structured formats, to the field (column or key) the value sits in;
//! `units` are the extractor's statements about one person (a CSV row, a JSON object) for breach
//! linking. Plain text is passed through untouched, so offsets stay the file's own.
//!
//! Hostile input is bounded by [`Limits`]: decompressed bytes (in total and per member, against
//! the compressed size, so a zip bomb stops early), nesting depth and member counts. A format's
//! problem never aborts the run: it is a [`Problem`] for that item, whose message names what is
//! wrong and never quotes a scanned value. Text members are decoded with [`crate::input::decode`],
//! the same decoding a plain file gets.

pub mod archive;
pub mod html;
pub mod json;
pub mod mail;
pub mod office;
pub mod pdf;
pub mod table;
pub mod xlsx;
pub mod xml;

use crate::input::decode::{decode, Decoded};
use crate::score::link::Unit;
use std::cell::Cell;

/// The formats phiscan extracts; `None` where a [`Kind`] is optional means "detect it".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Plain text or Markdown, scanned as is.
    Text,
    /// HTML: visible text, `alt`/`title` attributes and `<meta>` content.
    Html,
    /// Comma-separated values (the delimiter is sniffed: `,`, `;`, `|` or tab).
    Csv,
    /// Tab-separated values.
    Tsv,
    /// One JSON document.
    Json,
    /// JSON Lines / NDJSON: one JSON value per line.
    Jsonl,
    /// Word document.
    Docx,
    /// PowerPoint presentation.
    Pptx,
    /// Excel workbook.
    Xlsx,
    /// OpenDocument text (and other OpenDocument files).
    Odt,
    /// One e-mail message (RFC 5322, MIME).
    Eml,
    /// A mailbox of messages.
    Mbox,
    /// PDF text layer.
    Pdf,
    /// A zip archive; members are extracted recursively.
    Zip,
}

impl Kind {
    /// Every format, in `--type` order.
    pub const ALL: [Kind; 14] = [
        Kind::Text,
        Kind::Html,
        Kind::Csv,
        Kind::Tsv,
        Kind::Json,
        Kind::Jsonl,
        Kind::Docx,
        Kind::Pptx,
        Kind::Xlsx,
        Kind::Odt,
        Kind::Eml,
        Kind::Mbox,
        Kind::Pdf,
        Kind::Zip,
    ];

    /// Returns the name used by `--type` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Html => "html",
            Kind::Csv => "csv",
            Kind::Tsv => "tsv",
            Kind::Json => "json",
            Kind::Jsonl => "jsonl",
            Kind::Docx => "docx",
            Kind::Pptx => "pptx",
            Kind::Xlsx => "xlsx",
            Kind::Odt => "odt",
            Kind::Eml => "eml",
            Kind::Mbox => "mbox",
            Kind::Pdf => "pdf",
            Kind::Zip => "zip",
        }
    }

    /// Returns the kind a file name's extension suggests, if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        let base = name.rsplit(['/', '\\', '!']).next().unwrap_or(name);
        let ext = base.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "text" | "md" | "markdown" | "mdx" | "rst" | "log" => Kind::Text,
            "html" | "htm" | "xhtml" | "shtml" => Kind::Html,
            "csv" => Kind::Csv,
            "tsv" | "tab" => Kind::Tsv,
            "json" | "geojson" | "fhir" => Kind::Json,
            "jsonl" | "ndjson" => Kind::Jsonl,
            "docx" | "docm" | "dotx" => Kind::Docx,
            "pptx" | "pptm" => Kind::Pptx,
            "xlsx" | "xlsm" => Kind::Xlsx,
            "odt" | "ods" | "odp" | "ott" => Kind::Odt,
            "eml" => Kind::Eml,
            "mbox" | "mbx" => Kind::Mbox,
            "pdf" => Kind::Pdf,
            "zip" => Kind::Zip,
            _ => return None,
        })
    }
}

/// A byte range of a [`Document`]'s text and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset of the value's start in the extracted text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// Where it is in the source, for people (`row 41:mrn`, `$.name[0].family`, `slide 3`).
    pub location: String,
    /// The column name or JSON key the value sits under, for structured formats.
    pub field: Option<String>,
}

/// Extracted text, the map back to its source, and the extractor's linking units.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The text the engine scans (UTF-8, values separated by newlines).
    pub text: Vec<u8>,
    /// Sorted, non-overlapping ranges of `text` with their locations; empty for plain text.
    pub segments: Vec<Segment>,
    /// Units for breach linking (rows, objects); empty means paragraphs and sentences.
    pub units: Vec<Unit>,
    /// The location of each unit (`row 41`, `$.entry[3]`), parallel to `units`.
    pub unit_locations: Vec<String>,
    /// Things a reader should know about this file that did not stop the scan (ragged rows).
    pub notes: Vec<String>,
    /// Faults that make the file an error although what came before them was extracted (a
    /// truncated part): the document is scanned and the file reported as an error too.
    pub faults: Vec<String>,
}

impl Document {
    /// Returns a document of plain text: no segments, no units, offsets are the input's.
    pub fn plain(text: Vec<u8>) -> Document {
        Document { text, ..Document::default() }
    }

    /// Returns the segment that `offset` belongs to: the one containing it, else the next one
    /// (a label such as `mrn: ` precedes its value), else the last.
    pub fn segment_at(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.end <= offset);
        self.segments.get(i).or_else(|| self.segments.last())
    }

    /// Returns the location of the unit containing `offset`, if the extractor gave units.
    pub fn unit_location_at(&self, offset: usize) -> Option<&str> {
        let i = self.units.partition_point(|u| u.end <= offset);
        match self.units.get(i) {
            Some(u) if u.start <= offset => self.unit_locations.get(i).map(String::as_str),
            _ => None,
        }
    }
}

/// Why an item yielded no document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not scanned by design (encrypted, no text layer, over a limit, unsupported member).
    Skip(String),
    /// Malformed: the file is not what its name or bytes say.
    Error(String),
}

/// One thing to scan: the input itself or a member of it.
#[derive(Debug)]
pub struct Item {
    /// The member path below the input (`""` for the input itself, `!data.csv`, `!a.zip!b.csv`).
    pub member: String,
    /// The document, or why there is none.
    pub result: Result<Document, Problem>,
}

/// Bounds on what one input may expand into.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Bytes all decompressed members of one input may add up to.
    pub max_expanded: u64,
    /// Largest ratio of decompressed to compressed size for a member bigger than `ratio_floor`.
    pub max_ratio: u64,
    /// Members smaller than this are never judged by their ratio.
    pub ratio_floor: u64,
    /// Containers nested deeper than this (a zip in a zip in …) are skipped.
    pub max_depth: u32,
    /// Members per container read at most; the rest are reported as skipped.
    pub max_members: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_expanded: 512 << 20, max_ratio: 200, ratio_floor: 1 << 20, max_depth: 4, max_members: 10_000 }
    }
}

/// The running state of one input's extraction: what has been expanded so far, and how deep.
pub struct Ctx {
    limits: Limits,
    expanded: u64,
    depth: u32,
}

impl Ctx {
    /// Starts an extraction under `limits`.
    pub fn new(limits: Limits) -> Ctx {
        Ctx { limits, expanded: 0, depth: 0 }
    }

    /// Returns the limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Returns how many more bytes may be decompressed.
    pub fn remaining(&self) -> u64 {
        self.limits.max_expanded.saturating_sub(self.expanded)
    }

    /// Records `n` decompressed bytes.
    pub fn charge(&mut self, n: u64) {
        self.expanded = self.expanded.saturating_add(n);
    }
}

/// Extracts `bytes` (named `name`, for detection) as `kind`, or as detected when `None`.
pub fn extract(name: &str, bytes: Vec<u8>, kind: Option<Kind>, limits: Limits) -> Vec<Item> {
    let mut ctx = Ctx::new(limits);
    let mut out = Vec::new();
    extract_into(name, bytes, kind, &mut ctx, String::new(), &mut out);
    out
}

/// Extracts one (possibly nested) input into `out`, its items named below `member`.
pub fn extract_into(
    name: &str,
    bytes: Vec<u8>,
    kind: Option<Kind>,
    ctx: &mut Ctx,
    member: String,
    out: &mut Vec<Item>,
) {
    let kind = kind.unwrap_or_else(|| detect(name, &bytes));
    let containers = matches!(kind, Kind::Zip | Kind::Eml | Kind::Mbox);
    if containers && ctx.depth > ctx.limits.max_depth {
        let reason = format!("nested more than {} containers deep", ctx.limits.max_depth);
        out.push(Item { member, result: Err(Problem::Skip(reason)) });
        return;
    }
    ctx.depth += 1;
    let result = guarded(|| match kind {
        Kind::Zip => {
            archive::extract_zip(&bytes, ctx, &member, out);
            None
        }
        Kind::Eml => Some(mail::extract_eml(&bytes, ctx, &member, out)),
        Kind::Mbox => {
            mail::extract_mbox(&bytes, ctx, &member, out);
            None
        }
        Kind::Pdf => Some(pdf::extract(&bytes)),
        Kind::Docx | Kind::Pptx | Kind::Xlsx | Kind::Odt => Some(office::extract(kind, &bytes, ctx)),
        Kind::Text | Kind::Html | Kind::Csv | Kind::Tsv | Kind::Json | Kind::Jsonl => Some(text_kind(kind, bytes)),
    });
    ctx.depth -= 1;
    match result {
        Ok(Some(Ok(mut doc))) if !doc.faults.is_empty() => {
            let fault = std::mem::take(&mut doc.faults).join("; ");
            out.push(Item { member: member.clone(), result: Ok(doc) });
            out.push(Item { member, result: Err(Problem::Error(format!("{fault} (scanned up to there)"))) });
        }
        Ok(Some(result)) => out.push(Item { member, result }),
        Ok(None) => {}
        Err(()) => out.push(Item {
            member,
            result: Err(Problem::Error(format!(
                "could not extract this {} file (the extractor failed on it)",
                kind.as_str()
            ))),
        }),
    }
}

fn text_kind(kind: Kind, bytes: Vec<u8>) -> Result<Document, Problem> {
    let text = match decode(bytes) {
        Decoded::Binary => return Err(Problem::Skip("binary".into())),
        Decoded::Text(text, _) => text,
    };
    match kind {
        Kind::Html => Ok(html::extract(&text)),
        Kind::Csv => Ok(table::extract_csv(&text, None)),
        Kind::Tsv => Ok(table::extract_csv(&text, Some(b'\t'))),
        // A `.json` file holding one object per line is JSON Lines, not a syntax error.
        Kind::Json => {
            json::extract(&text).or_else(|e| if is_json_lines(&text) { Ok(json::extract_lines(&text)) } else { Err(e) })
        }
        Kind::Jsonl => Ok(json::extract_lines(&text)),
        _ => Ok(Document::plain(text)),
    }
}

/// Returns the kind of `bytes`: magic bytes first (a zip or PDF whatever its name), then the
/// name's extension, then a look at the text.
pub fn detect(name: &str, bytes: &[u8]) -> Kind {
    let by_name = Kind::from_name(name);
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return archive::sniff_zip(bytes).or(by_name.filter(|k| is_zip_based(*k))).unwrap_or(Kind::Zip);
    }
    if bytes.starts_with(b"%PDF-") {
        return Kind::Pdf;
    }
    if let Some(k) = by_name {
        return k;
    }
    sniff_text(bytes)
}

fn is_zip_based(kind: Kind) -> bool {
    matches!(kind, Kind::Docx | Kind::Pptx | Kind::Xlsx | Kind::Odt | Kind::Zip)
}

/// Guesses the kind of a file without a known extension from its first bytes.
fn sniff_text(bytes: &[u8]) -> Kind {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let lower = head.get(..head.len().min(256)).unwrap_or("").to_ascii_lowercase();
    if lower.starts_with("<!doctype html") || lower.starts_with("<html") {
        return Kind::Html;
    }
    if head.starts_with("From ") && mail::looks_like_headers(head.split_once('\n').map_or("", |x| x.1)) {
        return Kind::Mbox;
    }
    if mail::looks_like_headers(head) {
        return Kind::Eml;
    }
    if head.starts_with('{') || head.starts_with('[') {
        if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
            return Kind::Json;
        }
        if is_json_lines(bytes) {
            return Kind::Jsonl;
        }
    }
    Kind::Text
}

/// Whether every non-empty line among the first lines of `text` is a JSON value on its own
/// (and there are at least two).
fn is_json_lines(text: &[u8]) -> bool {
    let lines: Vec<&[u8]> = text.split(|b| *b == b'\n').filter(|l| !l.trim_ascii().is_empty()).take(20).collect();
    lines.len() >= 2 && lines.iter().all(|l| serde_json::from_slice::<serde::de::IgnoredAny>(l).is_ok())
}

thread_local! {
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Whether the current thread is inside an extractor whose panics are caught and reported as
/// a per-file error (a panic hook uses this to stay quiet).
pub fn panics_are_caught() -> bool {
    GUARDED.with(Cell::get)
}

/// Runs `f`, turning a panic inside a third-party parser into `Err(())` for this file only.
fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, ()> {
    let outer = GUARDED.with(|g| g.replace(true));
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|_| ());
    GUARDED.with(|g| g.set(outer));
    r
}

/// Builds a [`Document`]: values one per line, each with its segment, grouped into units.
#[derive(Default)]
pub struct Builder {
    doc: Document,
    unit_start: Option<usize>,
}

impl Builder {
    /// Returns an empty builder.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Returns the text so far.
    pub fn text(&self) -> &[u8] {
        &self.doc.text
    }

    /// Appends `label: value` (or just `value`) on its own line; the segment covers the value.
    /// Blank values are left out.
    pub fn value(&mut self, label: Option<&str>, value: &str, location: impl Into<String>, field: Option<&str>) {
        if value.trim().is_empty() {
            return;
        }
        self.newline();
        if let Some(l) = label.filter(|l| !l.is_empty()) {
            self.doc.text.extend_from_slice(l.as_bytes());
            self.doc.text.extend_from_slice(b": ");
        }
        let start = self.doc.text.len();
        self.doc.text.extend_from_slice(value.as_bytes());
        let end = self.doc.text.len();
        self.doc.text.push(b'\n');
        self.doc.segments.push(Segment { start, end, location: location.into(), field: field.map(str::to_string) });
    }

    /// Appends free text (a paragraph, a page) on its own line, as one segment.
    pub fn text_block(&mut self, text: &str, location: impl Into<String>) {
        self.value(None, text, location, None);
    }

    /// Ends the current paragraph: a blank line, so plain-text linking sees a paragraph break.
    pub fn paragraph_break(&mut self) {
        let t = &self.doc.text;
        if t.is_empty() || t.ends_with(b"\n\n") {
            return;
        }
        self.newline();
        self.doc.text.push(b'\n');
    }

    fn newline(&mut self) {
        if !self.doc.text.is_empty() && !self.doc.text.ends_with(b"\n") {
            self.doc.text.push(b'\n');
        }
    }

    /// Starts a linking unit (a row, an object) at the current end of the text.
    pub fn start_unit(&mut self) {
        self.unit_start = Some(self.doc.text.len());
    }

    /// Ends the current unit; empty units are dropped.
    pub fn end_unit(&mut self, kind: &'static str, location: impl Into<String>) {
        if let Some(start) = self.unit_start.take() {
            let end = self.doc.text.len();
            if end > start {
                self.doc.units.push(Unit { start, end, kind });
                self.doc.unit_locations.push(location.into());
            }
        }
    }

    /// Records a fault: the file is an error, though what was extracted is scanned.
    pub fn fault(&mut self, fault: impl Into<String>) {
        self.doc.faults.push(fault.into());
    }

    /// Records a note for the reader.
    pub fn note(&mut self, note: impl Into<String>) {
        self.doc.notes.push(note.into());
    }

    /// Returns the finished document.
    pub fn finish(self) -> Document {
        self.doc
    }
}

/// Returns a field name as words for a label: `patient_name`, `patientName` → `patient name`.
pub fn humanize(field: &str) -> String {
    crate::score::field::words(field)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_magic_then_name_then_content() {
        assert_eq!(detect("a.pdf", b"%PDF-1.4 ..."), Kind::Pdf);
        assert_eq!(detect("a.txt", b"%PDF-1.4 ..."), Kind::Pdf);
        assert_eq!(detect("a.csv", b"x,y\n1,2"), Kind::Csv);
        assert_eq!(detect("noext", b"<!DOCTYPE html><p>hi"), Kind::Html);
        assert_eq!(detect("noext", b"{\"a\": 1}"), Kind::Json);
        assert_eq!(detect("noext", b"{\"a\": 1}\n{\"a\": 2}\n"), Kind::Jsonl);
        assert_eq!(detect("noext", b"{not json"), Kind::Text);
        assert_eq!(detect("noext", b"From: a@example.org\nTo: b@example.org\nSubject: x\n\nhi"), Kind::Eml);
        assert_eq!(detect("notes.md", b"# Title"), Kind::Text);
        let ndjson = text_kind(Kind::Json, b"{\"a\": 1}\n{\"a\": 2}\n".to_vec()).unwrap();
        assert_eq!(ndjson.unit_locations, vec!["line 1", "line 2"]);
    }

    #[test]
    fn garbage_in_every_format_is_a_problem_not_a_panic() {
        let kinds = Kind::ALL;
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for round in 0..40 {
            let len = (round * 97) % 2000;
            let mut bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    (seed >> 24) as u8
                })
                .collect();
            if round % 4 == 0 {
                bytes.splice(0..0, *b"PK\x03\x04");
            } else if round % 4 == 1 {
                bytes.splice(0..0, *b"%PDF-1.4\n");
            }
            for kind in kinds {
                let items = extract("x", bytes.clone(), Some(kind), Limits::default());
                assert!(!items.is_empty() || matches!(kind, Kind::Zip | Kind::Mbox | Kind::Eml));
                for item in items {
                    if let Err(Problem::Error(m)) = item.result {
                        assert!(!m.contains("extractor failed"), "{kind:?} panicked on round {round}");
                    }
                }
            }
        }
    }

    #[test]
    fn humanize_splits_words() {
        assert_eq!(humanize("patient_name"), "patient name");
        assert_eq!(humanize("patientName"), "patient name");
        assert_eq!(humanize("DOB"), "dob");
        assert_eq!(humanize("Medical-Record #"), "medical record #");
    }

    #[test]
    fn builder_keeps_values_apart_and_maps_them() {
        let mut b = Builder::new();
        b.start_unit();
        b.value(Some("mrn"), "40719385", "row 2:mrn", Some("mrn"));
        b.value(None, "Wexbury", "row 2:city", Some("city"));
        b.value(None, "  ", "row 2:empty", Some("x"));
        b.end_unit("row", "row 2");
        let d = b.finish();
        assert_eq!(d.text, b"mrn: 40719385\nWexbury\n");
        assert_eq!(d.segment_at(0).unwrap().location, "row 2:mrn");
        assert_eq!(d.segment_at(15).unwrap().location, "row 2:city");
        assert_eq!(d.units.len(), 1);
        assert_eq!(d.unit_location_at(3), Some("row 2"));
    }
}
