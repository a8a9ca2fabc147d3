//! Redaction: a copy of a draft or export that is safe to publish, from the same findings as
//! `scan`.
//!
//! Finding a leak is half the job; the comms person then has to fix the draft. [`redact`] takes
//! an input's bytes and returns new bytes in which every finding at or above a severity (and
//! both sides of every breach) is masked, tagged, replaced by a synthetic stand-in or removed,
//! with a report of what was replaced by category. It scans with the caller's [`Scanner`], so
//! the config, allow-list and `phiscan:allow` comments of `scan` apply; staff names are kept.
//!
//! Replacements are cut into the input through each finding's source map (its byte range in
//! the file), so everything around them stays as it was: Markdown and HTML markup (a
//! replacement in HTML is escaped, tags inside a range are kept), CSV quoting (a replacement in
//! a quoted cell has its quotes doubled; an unquoted cell is quoted when it must be), JSON
//! string escapes (a number stays a number when the stand-in is one). An Office package
//! (DOCX, XLSX, PPTX, ODT) is cut the same way inside its XML parts, whose ranges extraction
//! keeps (`word/document.xml`, `word/comments.xml`, `xl/sharedStrings.xml`, `docProps/core.xml`),
//! and rebuilt by `package`: unchanged entries copied raw, changed parts deflated, the order
//! kept. The output is checked before it is returned: a CSV must have the same rows and cells,
//! a JSON document the same keys, a package the same entries and well-formed XML parts, and a
//! rescan with the same scanner must find nothing left at or above the threshold (the
//! stand-ins just written excepted). A format it cannot cut safely is refused: never a
//! half-redacted file.

pub mod files;
mod package;
mod splice;
pub mod surrogate;

use crate::extract::{self, Document, Kind, Limits};
use crate::finding::{Category, Severity};
use crate::scan::{FileResult, Scanner};
use std::collections::BTreeMap;
use std::sync::Arc;
pub use surrogate::Surrogates;

/// What a replaced value becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The report's mask, keeping the shape: `J*** S****`, `***-**-6789`.
    Mask,
    /// The category in brackets: `[NAME]`, `[MRN]`, `[DIAGNOSIS]`.
    Tag,
    /// A realistic, obviously synthetic stand-in, consistent within the document.
    Surrogate,
    /// Nothing: the value is cut out, with the spaces and punctuation around it tidied.
    Remove,
}

impl Mode {
    /// Every mode, in `--mode` order.
    pub const ALL: [Mode; 4] = [Mode::Mask, Mode::Tag, Mode::Surrogate, Mode::Remove];

    /// Returns the name used by `--mode` and in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Mask => "mask",
            Mode::Tag => "tag",
            Mode::Surrogate => "surrogate",
            Mode::Remove => "remove",
        }
    }

    /// Returns the mode with this name.
    pub fn parse(s: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.as_str() == s)
    }
}

/// How to redact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// What a replaced value becomes.
    pub mode: Mode,
    /// Findings at or above this severity are replaced (breach members always are).
    pub min_severity: Severity,
    /// The seed of surrogate choices; `None` draws a fresh one per document.
    pub seed: Option<u64>,
}

impl Default for Options {
    fn default() -> Options {
        Options { mode: Mode::Mask, min_severity: Severity::Medium, seed: None }
    }
}

/// The formats redaction can write back; others are refused.
pub const SUPPORTED: [Kind; 10] = [
    Kind::Text,
    Kind::Html,
    Kind::Csv,
    Kind::Tsv,
    Kind::Json,
    Kind::Jsonl,
    Kind::Docx,
    Kind::Xlsx,
    Kind::Pptx,
    Kind::Odt,
];

/// A redacted copy and what was replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Redacted {
    /// The redacted bytes (the input's bytes where nothing was replaced).
    pub output: Vec<u8>,
    /// How many values were replaced, by category.
    pub replaced: BTreeMap<Category, usize>,
    /// The format the input was read and written as.
    pub kind: Kind,
}

impl Redacted {
    /// Returns how many values were replaced in all.
    pub fn total(&self) -> usize {
        self.replaced.values().sum()
    }

    /// Returns the replacements by category for a person: `2 name, 1 ssn`, or `nothing`.
    pub fn summary(&self) -> String {
        if self.replaced.is_empty() {
            return "nothing".into();
        }
        self.replaced.iter().map(|(c, n)| format!("{n} {c}")).collect::<Vec<_>>().join(", ")
    }
}

/// Why an input could not be redacted; the message names the problem, never a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// How many times a mask, tag or removal is applied again when the rescan still finds
/// something (a removal can bring two words together that read as a new name).
const MAX_PASSES: usize = 3;

/// Redacts the input `name` (whose extension, or `--type`, chooses the format) held in
/// `bytes`, and verifies the result by scanning it again.
pub fn redact(scanner: &Scanner, name: &str, bytes: &[u8], options: &Options) -> Result<Redacted, Refused> {
    let kind = scanner.kind_for(name, bytes);
    if !SUPPORTED.contains(&kind) {
        return Err(Refused(format!(
            "redact does not write {} files yet (it writes {}): nothing written",
            kind.as_str(),
            SUPPORTED.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        )));
    }
    // A package's text is cut in its XML parts; the zip is rebuilt from them after each pass.
    let mut package = if package::is_package(kind) { Some(package::Package::open(kind, bytes)?) } else { None };
    let seed = options.seed.unwrap_or_else(surrogate::random_seed);
    let mut surrogates = Surrogates::new(seed);
    let mut replaced: BTreeMap<Category, usize> = BTreeMap::new();
    let mut current = bytes.to_vec();
    // Ranges holding masks and stand-ins, by part: a rescan finding inside one is the
    // replacement itself (a mask is what every report shows; a stand-in is synthetic).
    let mut stand_ins: Vec<Span> = Vec::new();
    for pass in 0..MAX_PASSES {
        let scanned = scan(scanner, name, &current, kind)?;
        let sources = Sources { own: &current, package: package.as_ref() };
        let survivors = selected(&scanned, &sources, options.min_severity, &stand_ins);
        if survivors.is_empty() {
            return Ok(Redacted { output: current, replaced, kind });
        }
        if pass > 0 && matches!(options.mode, Mode::Surrogate | Mode::Mask) {
            break;
        }
        let edits = edits(&scanned, &sources, &survivors)?;
        for e in &edits {
            *replaced.entry(e.category).or_default() += 1;
        }
        stand_ins.clear();
        match package.as_mut() {
            None => {
                if edits.iter().any(|e| e.part.is_some()) {
                    return Err(Refused("a finding lies in a part redact cannot write: nothing written".into()));
                }
                let out = splice::apply(kind, &current, &scanned.doc.text, &edits, options.mode, &mut surrogates)?;
                splice::same_shape(kind, &current, &out.bytes)?;
                current = out.bytes;
                stand_ins = out.stand_ins.into_iter().map(|(a, b)| (None, a, b)).collect();
            }
            Some(p) => {
                let mut by_part: BTreeMap<Arc<str>, Vec<Edit>> = BTreeMap::new();
                for e in edits {
                    let Some(part) = e.part.clone() else {
                        return Err(Refused("a finding has no place in the package's parts: nothing written".into()));
                    };
                    by_part.entry(part).or_default().push(e);
                }
                for (part, edits) in by_part {
                    let Some(src) = p.parts.get(&*part) else {
                        return Err(Refused("a finding lies in a part redact cannot write: nothing written".into()));
                    };
                    let out = splice::apply(kind, src, &scanned.doc.text, &edits, options.mode, &mut surrogates)?;
                    stand_ins.extend(out.stand_ins.into_iter().map(|(a, b)| (Some(part.clone()), a, b)));
                    p.set(&part, out.bytes);
                }
                let rebuilt = p.write(bytes)?;
                package::check(bytes, &rebuilt, p)?;
                current = rebuilt;
            }
        }
    }
    let scanned = scan(scanner, name, &current, kind)?;
    let sources = Sources { own: &current, package: package.as_ref() };
    let left = selected(&scanned, &sources, options.min_severity, &stand_ins);
    if left.is_empty() {
        return Ok(Redacted { output: current, replaced, kind });
    }
    let what: Vec<String> = left
        .iter()
        .take(5)
        .map(|&i| {
            let f = &scanned.result.findings[i];
            format!("{} {} (line {})", f.category, f.masked, f.line)
        })
        .collect();
    Err(Refused(format!(
        "{} finding{} at or above {} would survive redaction ({}): nothing written",
        left.len(),
        if left.len() == 1 { "" } else { "s" },
        options.min_severity,
        what.join("; ")
    )))
}

/// Whether redaction writes `kind` as an Office package (a zip of XML parts), not text.
pub fn is_package(kind: Kind) -> bool {
    package::is_package(kind)
}

/// A range of the input's bytes (`None`) or of a package part that holds a replacement.
type Span = (Option<Arc<str>>, usize, usize);

/// The bytes a finding's source range addresses: the input's own, or a package's parts.
struct Sources<'a> {
    own: &'a [u8],
    package: Option<&'a package::Package>,
}

impl Sources<'_> {
    /// Returns the bytes of `part` (the input's own for `None`; empty for an unknown part).
    fn get(&self, part: Option<&str>) -> &[u8] {
        match (part, self.package) {
            (None, _) => self.own,
            (Some(p), Some(pkg)) => pkg.parts.get(p).map_or(&[][..], Vec::as_slice),
            (Some(_), None) => &[],
        }
    }
}

/// Redacts a pasted text (read as plain text, records in it included): the library's "copy a
/// safe version" for front ends that hold a string.
pub fn redact_text(scanner: &Scanner, text: &str, options: &Options) -> Result<(String, Redacted), Refused> {
    let r = redact(scanner, "draft.txt", text.as_bytes(), options)?;
    Ok((String::from_utf8_lossy(&r.output).into_owned(), r))
}

/// Returns a scanned `text` with the identifiers among its `findings` (offsets into `text`)
/// replaced in `mode`: the "copy a safe version" of a checker page, where the text is what was
/// extracted (a DOCX's paragraphs) rather than a file to write back. Staff names stay, and so
/// do health facts: without the person they identify no one, and they are usually the point.
pub fn identifiers_in_text(text: &[u8], findings: &[crate::finding::Finding], mode: Mode, seed: Option<u64>) -> String {
    let mut edits: Vec<Edit> = findings
        .iter()
        .filter(|f| f.category.identifies() && !f.staff && f.start <= f.end && f.end <= text.len())
        .map(|f| Edit {
            part: None,
            start: f.start,
            end: f.end,
            text_start: f.start,
            text_end: f.end,
            category: f.category,
        })
        .collect();
    edits.sort_by_key(|e| (e.start, std::cmp::Reverse(e.end)));
    // Overlapping findings: the first (longest) one is replaced, the others dropped.
    let mut kept: Vec<Edit> = Vec::with_capacity(edits.len());
    for e in edits {
        if kept.last().is_none_or(|l| e.start >= l.end) {
            kept.push(e);
        }
    }
    let mut surrogates = Surrogates::new(seed.unwrap_or_else(surrogate::random_seed));
    match splice::apply(Kind::Text, text, text, &kept, mode, &mut surrogates) {
        Ok(out) => String::from_utf8_lossy(&out.bytes).into_owned(),
        // Prose accepts any replacement; should that ever change, show nothing rather than
        // the original.
        Err(_) => String::new(),
    }
}

/// An input read for redaction: its extracted document and scan result.
struct Scanned {
    doc: Document,
    result: FileResult,
}

fn scan(scanner: &Scanner, name: &str, bytes: &[u8], kind: Kind) -> Result<Scanned, Refused> {
    let mut items = extract::extract(name, bytes.to_vec(), Some(kind), Limits::default());
    if items.len() != 1 || !items[0].member.is_empty() {
        return Err(Refused("holds members (attachments or archived files): redact each one on its own".into()));
    }
    let doc = match items.remove(0).result {
        Ok(doc) => doc,
        Err(extract::Problem::Error(m) | extract::Problem::Skip(m)) => {
            return Err(Refused(format!("cannot be read: {m}")))
        }
    };
    if let Some(fault) = doc.faults.first() {
        return Err(Refused(format!("cannot be read whole ({fault}): nothing written")));
    }
    if matches!(doc.encoding, extract::Encoding::Utf16 { .. }) {
        return Err(Refused("is UTF-16; redact writes UTF-8 text only: convert it first (nothing written)".into()));
    }
    let result = scanner.scan_document(name, &doc);
    Ok(Scanned { doc, result })
}

/// Returns the indices of the findings to replace: at or above `min`, or in a breach; never a
/// staff name, nor a finding inside a stand-in just written (or in a breach whose people are
/// all stand-ins).
fn selected(scanned: &Scanned, sources: &Sources<'_>, min: Severity, stand_ins: &[Span]) -> Vec<usize> {
    let result = &scanned.result;
    let fs = &result.findings;
    let redacted_already = |i: usize| {
        let t = &scanned.doc.text;
        let in_text = String::from_utf8_lossy(&t[fs[i].start.min(t.len())..fs[i].end.min(t.len())]).into_owned();
        let in_source = fs[i].source.as_ref().map(|s| {
            let b = sources.get(s.part.as_deref());
            String::from_utf8_lossy(&b[s.start.min(b.len())..s.end.min(b.len())]).into_owned()
        });
        crate::finding::is_redacted(&in_text) || in_source.is_some_and(|v| crate::finding::is_redacted(&v))
    };
    let is_stand_in = |i: usize| {
        fs[i].source.as_ref().is_some_and(|s| {
            stand_ins.iter().any(|(p, a, b)| *p == s.part && s.start < *b && *a < s.end.max(s.start + 1))
        })
    };
    let mut in_breach = vec![false; fs.len()];
    for b in &result.breaches {
        let people: Vec<usize> = b.findings.iter().copied().filter(|&i| fs[i].category.identifies()).collect();
        // A synthetic person linked to a health fact is no one's breach.
        if !people.is_empty() && people.iter().all(|&i| is_stand_in(i)) {
            continue;
        }
        for &i in &b.findings {
            in_breach[i] = true;
        }
    }
    (0..fs.len())
        .filter(|&i| !fs[i].staff && (fs[i].severity >= min || in_breach[i]) && !is_stand_in(i) && !redacted_already(i))
        .collect()
}

/// One replacement: a byte range of the input and what was there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Edit {
    /// The package part the range is in (`None`: the input's own bytes).
    pub part: Option<Arc<str>>,
    /// Byte range in the input (or its part).
    pub start: usize,
    pub end: usize,
    /// Byte range in the extracted text (the value as read).
    pub text_start: usize,
    pub text_end: usize,
    pub category: Category,
}

/// Returns the findings' byte ranges in the input (or its parts), sorted, overlapping ones
/// merged (the longer one's category wins).
fn edits(scanned: &Scanned, sources: &Sources<'_>, chosen: &[usize]) -> Result<Vec<Edit>, Refused> {
    let mut out: Vec<Edit> = Vec::new();
    for &i in chosen {
        let f = &scanned.result.findings[i];
        let Some(src) = f.source.as_ref() else {
            return Err(Refused(format!(
                "a {} finding at line {} has no place in the file's bytes: nothing written",
                f.category, f.line
            )));
        };
        if src.part.is_some() && sources.package.is_none() {
            return Err(Refused(format!(
                "a {} finding at line {} lies in a part redact cannot write: nothing written",
                f.category, f.line
            )));
        }
        out.push(Edit {
            part: src.part.clone(),
            start: src.start,
            end: src.end,
            text_start: f.start,
            text_end: f.end,
            category: f.category,
        });
    }
    for (ts, te) in other_mentions(scanned, chosen) {
        let Some(src) = scanned.doc.map.locate(ts, te) else { continue };
        if src.part.is_some() != sources.package.is_some() {
            continue;
        }
        let shift = if src.part.is_none() && scanned.doc.encoding == extract::Encoding::Utf8Bom { 3 } else { 0 };
        out.push(Edit {
            part: src.part,
            start: src.start + shift,
            end: src.end + shift,
            text_start: ts,
            text_end: te,
            category: Category::Name,
        });
    }
    let copies = copies_in_source(scanned, sources, &out)?;
    out.extend(copies);
    out.sort_by(|a, b| (&a.part, a.start, std::cmp::Reverse(a.end)).cmp(&(&b.part, b.start, std::cmp::Reverse(b.end))));
    let mut merged: Vec<Edit> = Vec::with_capacity(out.len());
    for e in out {
        match merged.last_mut() {
            Some(last) if e.part == last.part && e.start < last.end => {
                if e.end - e.start > last.end - last.start {
                    last.category = e.category;
                }
                last.end = last.end.max(e.end);
                last.text_start = last.text_start.min(e.text_start);
                last.text_end = last.text_end.max(e.text_end);
            }
            _ => merged.push(e),
        }
    }
    Ok(merged)
}

/// Returns edits for the other verbatim copies, in the input's bytes, of the identifiers being
/// replaced: a phone in a `tel:` link or an SSN in an attribute is not in the text the engine
/// reads, but it is in the file that will be published. In a package every XML part is
/// searched (a patient's name copied into `docProps/app.xml` or a comment's author), but a
/// copy is cut only in text or a plain attribute value: a copy in a typed value attribute
/// (`office:value`) is refused, as no replacement is valid there.
fn copies_in_source(scanned: &Scanned, sources: &Sources<'_>, edits: &[Edit]) -> Result<Vec<Edit>, Refused> {
    let mut out: Vec<Edit> = Vec::new();
    let mut seen: Vec<&[u8]> = Vec::new();
    let places: Vec<Option<Arc<str>>> = match sources.package {
        None => vec![None],
        Some(p) => p.parts.keys().map(|k| Some(Arc::from(k.as_str()))).collect(),
    };
    for e in edits.iter().filter(|e| e.category.identifies()) {
        let source = sources.get(e.part.as_deref());
        let value = &source[e.start.min(source.len())..e.end.min(source.len())];
        let text = &scanned.doc.text;
        // Only a value copied verbatim, long enough not to match by chance.
        if value.len() < 4 || text.get(e.text_start..e.text_end) != Some(value) || seen.contains(&value) {
            continue;
        }
        seen.push(value);
        for part in &places {
            let bytes = sources.get(part.as_deref());
            for at in memchr::memmem::find_iter(bytes, value) {
                let end = at + value.len();
                let word = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
                if at > 0 && word(bytes[at - 1]) || bytes.get(end).is_some_and(|&b| word(b)) {
                    continue;
                }
                let overlaps = |x: &Edit| x.part == *part && x.start < end && at < x.end;
                if edits.iter().chain(&out).any(overlaps) {
                    continue;
                }
                if part.is_none() && excused(bytes, at) {
                    continue;
                }
                if part.is_some() {
                    match splice::xml_context(bytes, at) {
                        splice::XmlContext::Text | splice::XmlContext::Attribute { typed: false } => {}
                        splice::XmlContext::Attribute { typed: true } => {
                            return Err(Refused(
                                "a value also stands in a typed attribute redact cannot rewrite: nothing written"
                                    .into(),
                            ))
                        }
                        splice::XmlContext::Markup => continue,
                    }
                }
                out.push(Edit {
                    part: part.clone(),
                    start: at,
                    end,
                    text_start: e.text_start,
                    text_end: e.text_end,
                    category: e.category,
                });
            }
        }
    }
    Ok(out)
}

/// Whether the line holding `at` is excused by a `phiscan:allow` comment (on it, or an
/// `allow-next-line` on the line before): what `scan` leaves alone, redaction keeps.
fn excused(text: &[u8], at: usize) -> bool {
    let ls = text[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let le = text[at..].iter().position(|&b| b == b'\n').map_or(text.len(), |i| at + i);
    let ps = text[..ls.saturating_sub(1)].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    memchr::memmem::find(&text[ls..le], b"phiscan:allow").is_some()
        || (ls > 0 && memchr::memmem::find(&text[ps..ls], b"phiscan:allow-next-line").is_some())
}

/// Returns the other places in the text where a replaced person's name words stand: a name
/// the engine caught once ("Thessaly Brakenridge" in a name field) is still that person where
/// the engine did not catch it (a quoted nickname beside it, a surname in a note).
fn other_mentions(scanned: &Scanned, chosen: &[usize]) -> Vec<(usize, usize)> {
    let text = &scanned.doc.text;
    let fs = &scanned.result.findings;
    let words_of = |i: usize| -> Vec<String> {
        let v = String::from_utf8_lossy(&text[fs[i].start.min(text.len())..fs[i].end.min(text.len())]).into_owned();
        v.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .map(|w| w.trim_matches(['\'', '-']).to_string())
            .filter(|w| w.chars().count() >= 3 && w.chars().next().is_some_and(char::is_uppercase))
            .filter(|w| !["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"].contains(&w.as_str()))
            .collect()
    };
    let mut words: Vec<String> =
        chosen.iter().filter(|&&i| fs[i].category == Category::Name).flat_map(|&i| words_of(i)).collect();
    words.sort();
    words.dedup();
    // A word that also names a member of staff is left alone.
    let staff: Vec<String> = (0..fs.len()).filter(|&i| fs[i].staff).flat_map(words_of).collect();
    words.retain(|w| !staff.contains(w));
    let covered: Vec<(usize, usize)> = chosen
        .iter()
        .map(|&i| (fs[i].start, fs[i].end))
        .chain(fs.iter().filter(|f| f.staff).map(|f| (f.start, f.end)))
        .collect();
    let mut out = Vec::new();
    for w in &words {
        for at in memchr::memmem::find_iter(text, w.as_bytes()) {
            let end = at + w.len();
            let word_char = |b: u8| b.is_ascii_alphanumeric() || b >= 0x80;
            if at > 0 && word_char(text[at - 1]) || text.get(end).is_some_and(|&b| word_char(b)) {
                continue;
            }
            if covered.iter().any(|&(s, e)| s < end && at < e)
                || crate::suppress::inside(&scanned.doc.labels, at, end)
                || excused(text, at)
            {
                continue;
            }
            out.push((at, end));
        }
    }
    out
}

#[cfg(test)]
mod tests;
