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
pub mod inflate;
pub mod json;
pub mod mail;
pub mod office;
pub mod pdf;
pub mod records;
pub mod table;
pub mod xlsx;
pub mod xml;

pub use crate::error::Problem;
use crate::input::decode::Decoded;
use crate::text::{Mapped, SourceMap, Unit};
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

/// A byte range of a [`Document`]'s text and where it is, for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// Byte offset of the value's start in the extracted text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// Where it is in the source, for people (`row 41:mrn`, `$.name[0].family`, `slide 3`).
    pub location: String,
}

/// A value under a named field (a cell under its column, a JSON value under its key, an HL7
/// field), as a byte range of a [`Document`]'s text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpan {
    /// Byte offset of the value's start in the extracted text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// The field name as written (`patient_name`, `DOB`, `given name`); inline when short, as
    /// an export repeats its few column names on every row.
    pub name: compact_str::CompactString,
}

/// A table whose columns have no header (or only some): its cells, for typing the columns by
/// their contents (see `score::columns`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Grid {
    /// Each row's cells as byte ranges of the text, in column order (an empty cell is empty).
    pub rows: Vec<Vec<(usize, usize)>>,
    /// Per column: whether a header names it (then its header classifies it, not its contents).
    pub named: Vec<bool>,
}

/// What a document's source is, for line numbers and `phiscan:allow` comments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Origin {
    /// The text is the source (plain text, Markdown, logs): offsets are the input's own.
    #[default]
    Text,
    /// The source is this text (the decoded input: HTML, CSV, JSON, an e-mail message), which
    /// the document's [`SourceMap`] addresses where no part is named.
    Source(Vec<u8>),
    /// The source is binary (an Office package, a PDF): only named parts are addressed.
    Package,
}

/// How the input's bytes relate to the text its source map addresses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (or ASCII), byte for byte.
    #[default]
    Utf8,
    /// UTF-8 after a 3-byte byte-order mark.
    Utf8Bom,
    /// UTF-16, transcoded; `bom` when a 2-byte byte-order mark starts the file.
    Utf16 {
        /// Big-endian code units.
        big_endian: bool,
        /// Whether a byte-order mark precedes the text.
        bom: bool,
    },
    /// UTF-32 after a 4-byte byte-order mark, transcoded.
    Utf32 {
        /// Big-endian code units.
        big_endian: bool,
    },
}

/// Extracted text, the map back to its source, and the extractor's linking units.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The text the engine scans (UTF-8, values separated by newlines).
    pub text: Vec<u8>,
    /// Sorted, non-overlapping ranges of `text` with their locations; empty for plain text.
    pub segments: Vec<Segment>,
    /// Values under named fields, for field context (see `score::field`).
    pub fields: Vec<FieldSpan>,
    /// Tables with unnamed columns, typed by their contents (see `score::columns`).
    pub grids: Vec<Grid>,
    /// Ranges that are labels, not values (table header cells): findings inside are dropped.
    pub labels: Vec<(usize, usize)>,
    /// Units for breach linking (rows, objects, messages), sorted; text outside every unit is
    /// linked by paragraphs and sentences.
    pub units: Vec<Unit>,
    /// The location of each unit (`row 41`, `$.entry[3]`), parallel to `units`; empty when the
    /// unit's place is its line (records pasted in plain text).
    pub unit_locations: Vec<String>,
    /// Where each range of `text` came from.
    pub map: SourceMap,
    /// What the map's unnamed ranges address.
    pub origin: Origin,
    /// How the input's bytes were decoded into the text the map addresses.
    pub encoding: Encoding,
    /// Things a reader should know about this file that did not stop the scan (ragged rows).
    pub notes: Vec<String>,
    /// Faults that make the file an error although what came before them was extracted (a
    /// truncated part): the document is scanned and the file reported as an error too.
    pub faults: Vec<String>,
}

impl Document {
    /// Returns a document of plain text: no segments, no units, offsets are the input's.
    pub fn plain(text: Vec<u8>) -> Document {
        let map = SourceMap::identity(text.len());
        Document { text, map, ..Document::default() }
    }

    /// Returns the source text line numbers are counted in: the decoded input for text-like
    /// formats, `None` for packages.
    pub fn source_text(&self) -> Option<&[u8]> {
        match &self.origin {
            Origin::Text => Some(&self.text),
            Origin::Source(s) => Some(s),
            Origin::Package => None,
        }
    }

    /// Returns the segment that `offset` belongs to: the one containing it, else the next one
    /// (a label such as `mrn: ` precedes its value), else the last.
    pub fn segment_at(&self, offset: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.end <= offset);
        self.segments.get(i).or_else(|| self.segments.last())
    }

    /// Returns the index of the unit containing `offset`, if any.
    pub fn unit_at(&self, offset: usize) -> Option<usize> {
        let i = self.units.partition_point(|u| u.end <= offset);
        self.units.get(i).filter(|u| u.start <= offset).map(|_| i)
    }

    /// Returns the location of the unit containing `offset`, if the extractor gave it one.
    pub fn unit_location_at(&self, offset: usize) -> Option<&str> {
        let i = self.unit_at(offset)?;
        self.unit_locations.get(i).map(String::as_str).filter(|l| !l.is_empty())
    }

    /// Returns the field name of the value at `start..end`, if it lies under one.
    pub fn field_at(&self, start: usize, end: usize) -> Option<&str> {
        self.fields.iter().find(|f| f.start <= start && end <= f.end).map(|f| f.name.as_str())
    }

    /// Adds units (with their locations) keeping `units` sorted; units overlapping one already
    /// there are left out.
    pub fn add_units(&mut self, units: Vec<(Unit, String)>) {
        if units.is_empty() {
            return;
        }
        let mut all: Vec<(Unit, String)> =
            self.units.drain(..).zip(self.unit_locations.drain(..).chain(std::iter::repeat(String::new()))).collect();
        for (u, loc) in units {
            let i = all.partition_point(|(x, _)| x.start < u.start);
            let clash = all.get(i).is_some_and(|(x, _)| x.start < u.end)
                || i.checked_sub(1).and_then(|p| all.get(p)).is_some_and(|(x, _)| x.end > u.start);
            if !clash {
                all.insert(i, (u, loc));
            }
        }
        (self.units, self.unit_locations) = all.into_iter().unzip();
    }
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
        let reason = format!("not read: nested more than {} containers deep (limit)", ctx.limits.max_depth);
        out.push(Item { member, result: Err(Problem::Error(reason)) });
        return;
    }
    ctx.depth += 1;
    let result = guarded(|| {
        let result = match kind {
            Kind::Zip => {
                archive::extract_zip(&bytes, ctx, &member, out);
                None
            }
            Kind::Eml => Some(mail::extract_eml(&bytes, ctx, &member, out)),
            Kind::Mbox => {
                mail::extract_mbox(&bytes, ctx, &member, out);
                None
            }
            Kind::Pdf => Some(pdf::extract(&bytes, ctx)),
            Kind::Docx | Kind::Pptx | Kind::Xlsx | Kind::Odt => Some(office::extract(kind, &bytes, ctx)),
            Kind::Text | Kind::Html | Kind::Csv | Kind::Tsv | Kind::Json | Kind::Jsonl => {
                Some(text_kind(kind, bytes, Kind::from_name(name).is_some_and(is_text)))
            }
        };
        // Pasted records are read inside the guard too: a panic there is this file's error.
        result.map(|r| {
            r.map(|mut doc| {
                if holds_prose(kind) {
                    // Word and HTML write one paragraph per line with blank lines between:
                    // there a blank line does not end a block of pasted rows.
                    let blank_breaks = !matches!(kind, Kind::Docx | Kind::Pptx | Kind::Odt | Kind::Html);
                    records::detect(&mut doc, blank_breaks);
                }
                doc
            })
        })
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

/// Whether `kind` is a text format (its name promises text, so NUL bytes do not make it binary).
fn is_text(kind: Kind) -> bool {
    matches!(kind, Kind::Text | Kind::Html | Kind::Csv | Kind::Tsv | Kind::Json | Kind::Jsonl)
}

fn text_kind(kind: Kind, bytes: Vec<u8>, named_text: bool) -> Result<Document, Problem> {
    let bom = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    let (text, encoding) = match crate::input::decode::decode_text(bytes, named_text) {
        Decoded::Binary => return Err(Problem::Skip("binary".into())),
        Decoded::Text(text, e) => (text, encoding_of(e, bom)),
    };
    let mut doc = match kind {
        Kind::Html => html::extract(&text),
        Kind::Csv => table::extract_csv(&text, None),
        Kind::Tsv => table::extract_csv(&text, Some(b'\t')),
        // A `.json` file holding one object per line is JSON Lines, not a syntax error.
        Kind::Json => {
            json::extract(&text)
                .or_else(|e| if is_json_lines(&text) { Ok(json::extract_lines(&text)) } else { Err(e) })?
        }
        Kind::Jsonl => json::extract_lines(&text),
        _ => {
            let mut doc = Document::plain(text);
            doc.encoding = encoding;
            return Ok(doc);
        }
    };
    doc.origin = Origin::Source(text);
    doc.encoding = encoding;
    Ok(doc)
}

/// Returns how the map's offsets relate to the file's bytes, from how it was decoded.
fn encoding_of(e: crate::input::decode::Encoding, bom: bool) -> Encoding {
    use crate::input::decode::Encoding as E;
    match e {
        E::Utf8 => Encoding::Utf8,
        E::Utf8Bom => Encoding::Utf8Bom,
        E::Utf16Le => Encoding::Utf16 { big_endian: false, bom },
        E::Utf16Be => Encoding::Utf16 { big_endian: true, bom },
        E::Utf32Le => Encoding::Utf32 { big_endian: false },
        E::Utf32Be => Encoding::Utf32 { big_endian: true },
    }
}

/// Whether documents of `kind` are prose that may hold pasted records (see [`records`]).
fn holds_prose(kind: Kind) -> bool {
    matches!(kind, Kind::Text | Kind::Html | Kind::Eml | Kind::Docx | Kind::Pptx | Kind::Odt | Kind::Pdf)
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
    part: Option<u32>,
    grid: Option<Grid>,
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

    /// Sets what the source ranges of values added from now on address: a named part of the
    /// input (`word/document.xml`), or the input's own bytes (`None`).
    pub fn set_part(&mut self, part: Option<&str>) {
        self.part = part.map(|p| self.doc.map.part(p));
    }

    /// Appends `label: value` (or just `value`) on its own line; the segment covers the value.
    /// Blank values are left out. The value has no source (see [`Builder::value_mapped`]).
    pub fn value(&mut self, label: Option<&str>, value: &str, location: impl Into<String>, field: Option<&str>) {
        self.value_mapped(label, &Mapped::from_unmapped(value), location, field);
    }

    /// Appends `label: value` (or just `value`) on its own line, recording where each piece of
    /// the value came from; returns the value's range in the text (`None` for a blank value,
    /// which is left out).
    pub fn value_mapped(
        &mut self,
        label: Option<&str>,
        value: &Mapped,
        location: impl Into<String>,
        field: Option<&str>,
    ) -> Option<(usize, usize)> {
        self.value_range(label, value, (0, value.as_str().len()), location, field)
    }

    /// Appends bytes `a..b` of `value` as [`Builder::value_mapped`] does (a trimmed cell,
    /// without copying it first).
    pub fn value_range(
        &mut self,
        label: Option<&str>,
        value: &Mapped,
        (a, b): (usize, usize),
        location: impl Into<String>,
        field: Option<&str>,
    ) -> Option<(usize, usize)> {
        let v = &value.as_str()[a..b];
        if v.trim().is_empty() {
            return None;
        }
        self.newline();
        if let Some(l) = label.filter(|l| !l.is_empty()) {
            self.doc.text.extend_from_slice(l.as_bytes());
            self.doc.text.extend_from_slice(b": ");
        }
        let start = self.doc.text.len();
        self.doc.text.extend_from_slice(v.as_bytes());
        let end = self.doc.text.len();
        let part = match value.part() {
            Some(name) => Some(self.doc.map.part(name)),
            None => self.part,
        };
        let map = &mut self.doc.map;
        value.each_piece_in(a, b, |(x, y), src, exact| map.push((start + x, start + y), part, src, exact));
        self.doc.text.push(b'\n');
        self.doc.segments.push(Segment { start, end, location: location.into() });
        if let Some(name) = field {
            self.doc.fields.push(FieldSpan { start, end, name: name.into() });
        }
        Some((start, end))
    }

    /// Appends free text (a paragraph, a page) on its own line, as one segment.
    pub fn text_block(&mut self, text: &str, location: impl Into<String>) {
        self.value(None, text, location, None);
    }

    /// Appends free text with its source map on its own line, as one segment.
    pub fn text_block_mapped(&mut self, text: &Mapped, location: impl Into<String>) {
        self.value_mapped(None, text, location, None);
    }

    /// Appends a table's header row (`a | b | c`) as one segment whose text is a label, not a
    /// value: findings inside it are dropped.
    pub fn header_row(&mut self, cells: &[Mapped], location: impl Into<String>) {
        let mut joined = Mapped::new();
        for c in cells.iter().map(Mapped::trim).filter(|c| !c.is_empty()) {
            if !joined.is_empty() {
                joined.push_unmapped(" | ");
            }
            joined.append(&c);
        }
        if let Some(range) = self.value_mapped(None, &joined, location, None) {
            self.doc.labels.push(range);
        }
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

    /// Starts a table whose columns are named by `named` (true where a header names the
    /// column); its rows are collected with [`Builder::grid_row`] for typing by content.
    pub fn start_grid(&mut self, named: Vec<bool>) {
        self.end_grid();
        self.grid = Some(Grid { rows: Vec::new(), named });
    }

    /// Adds a row of cell ranges to the current table, if one is open.
    pub fn grid_row(&mut self, cells: Vec<(usize, usize)>) {
        if let Some(g) = &mut self.grid {
            g.rows.push(cells);
        }
    }

    /// Ends the current table; it is kept when some column is unnamed and it has rows.
    pub fn end_grid(&mut self) {
        if let Some(g) = self.grid.take() {
            let width = g.rows.iter().map(Vec::len).max().unwrap_or(0);
            let unnamed = (0..width).any(|c| !g.named.get(c).copied().unwrap_or(false));
            if unnamed && !g.rows.is_empty() {
                self.doc.grids.push(g);
            }
        }
    }

    /// Appends a document extracted from part of this input (an e-mail's HTML body) as its
    /// own paragraphs: its locations are prefixed with `prefix`, and its source ranges in its
    /// own bytes move `shift` bytes on, into `own_part` when given.
    pub fn append_document(&mut self, sub: Document, own_part: Option<&str>, shift: usize, prefix: &str) {
        self.paragraph_break();
        let base = self.doc.text.len();
        let d = &mut self.doc;
        d.text.extend_from_slice(&sub.text);
        d.map.append(&sub.map, base, own_part, shift);
        d.segments.extend(sub.segments.into_iter().map(|s| Segment {
            start: s.start + base,
            end: s.end + base,
            location: format!("{prefix}{}", s.location),
        }));
        d.fields.extend(sub.fields.into_iter().map(|f| FieldSpan { start: f.start + base, end: f.end + base, ..f }));
        d.labels.extend(sub.labels.into_iter().map(|(s, e)| (s + base, e + base)));
        d.grids.extend(sub.grids.into_iter().map(|g| Grid {
            rows: g.rows.into_iter().map(|r| r.into_iter().map(|(s, e)| (s + base, e + base)).collect()).collect(),
            named: g.named,
        }));
        for (u, loc) in sub.units.into_iter().zip(sub.unit_locations) {
            d.units.push(Unit { start: u.start + base, end: u.end + base, kind: u.kind });
            d.unit_locations.push(if loc.is_empty() { loc } else { format!("{prefix}{loc}") });
        }
        d.notes.extend(sub.notes);
        d.faults.extend(sub.faults);
        self.paragraph_break();
    }

    /// Records a fault: the file is an error, though what was extracted is scanned.
    pub fn fault(&mut self, fault: impl Into<String>) {
        self.doc.faults.push(fault.into());
    }

    /// Records a note for the reader.
    pub fn note(&mut self, note: impl Into<String>) {
        self.doc.notes.push(note.into());
    }

    /// Returns the finished document (its source is opaque until the caller says otherwise).
    pub fn finish(mut self) -> Document {
        self.end_grid();
        if self.doc.origin == Origin::Text {
            self.doc.origin = Origin::Package;
        }
        self.doc
    }

    /// Returns the finished document of a text-like input whose decoded text is `source`.
    pub fn finish_with_source(self, source: Vec<u8>) -> Document {
        let mut doc = self.finish();
        doc.origin = Origin::Source(source);
        doc
    }
}

/// Returns a field name as words for a label: `patient_name`, `patientName` → `patient name`.
pub fn humanize(field: &str) -> String {
    crate::text::words::field_words(field)
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
        let ndjson = text_kind(Kind::Json, b"{\"a\": 1}\n{\"a\": 2}\n".to_vec(), true).unwrap();
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
