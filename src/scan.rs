//! The orchestrator: inputs in, one deterministic [`Outcome`] out.
//!
//! Files are scanned in parallel, each independently: a file that cannot be read or decoded
//! becomes an error or a skip in the outcome and the run goes on. Workers take files in order
//! from a shared counter and results are handed on in that order ([`Scanner::scan_files_in_order`]),
//! so a report can be written while the scan runs (see [`Sink`]) and never depends on thread
//! timing; within a file, findings are sorted by (start, rule).

use crate::config::Config;
use crate::engine::Engine;
use crate::error::{Error, Problem};
use crate::extract::{self, Document, Kind, Limits};
use crate::finding::{mask, Breach, Finding, Severity, Source, Verdict};
use crate::input::{self, FileInput, LeftOut, Skipped};
use crate::rules::Rule;
use crate::score;
use crate::score::field::Field;
use crate::suppress::baseline::Key;
use crate::suppress::{inline, inside, keep_new, Allow, Warning};
pub use crate::text::LineIndex;
use crate::text::{Cursor, LineTable};
use std::io::Read;
use std::time::{Duration, Instant};

/// The result of scanning one text.
#[derive(Debug, Clone, Default)]
pub struct FileResult {
    /// Display path.
    pub path: String,
    /// Bytes of text scanned.
    pub bytes: u64,
    /// Findings, sorted by (start, rule).
    pub findings: Vec<Finding>,
    /// Breaches; their `findings` index into this file's `findings`.
    pub breaches: Vec<Breach>,
    /// What the file amounts to.
    pub verdict: Verdict,
    /// Stale or unknown `phiscan:allow` comments.
    pub warnings: Vec<Warning>,
    /// Findings left out by suppressions.
    pub suppressed: Suppressed,
    /// The threshold of the config that scanned this file (`None`: high).
    pub fail_on: Option<Severity>,
    /// What a reader should know about how the file was read (ragged rows, bad lines).
    pub notes: Vec<String>,
    /// Set by [`FileResult::release`]: the tally of the findings once they were reported and
    /// dropped (a streamed report keeps memory flat).
    pub released: Option<Tally>,
    /// Findings found but not reported because the input reached `--max-findings` (the most
    /// severe are kept): reported in the summary, never silent.
    pub dropped: usize,
}

/// Findings of one file (or a whole scan) by severity, and whether any reached `fail_on`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// High-severity findings.
    pub high: usize,
    /// Medium-severity findings.
    pub medium: usize,
    /// Low-severity findings.
    pub low: usize,
    /// Whether a finding is at or above its file's `fail_on` (exit code 1).
    pub failing: bool,
}

impl Tally {
    /// All findings.
    pub fn total(&self) -> usize {
        self.high + self.medium + self.low
    }

    /// The highest severity counted, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        if self.high > 0 {
            Some(Severity::High)
        } else if self.medium > 0 {
            Some(Severity::Medium)
        } else if self.low > 0 {
            Some(Severity::Low)
        } else {
            None
        }
    }
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        self.high += o.high;
        self.medium += o.medium;
        self.low += o.low;
        self.failing |= o.failing;
    }
}

impl FileResult {
    /// Counts the findings (or returns the count kept when they were released).
    pub fn tally(&self) -> Tally {
        if let Some(t) = self.released {
            return t;
        }
        let mut t = Tally::default();
        for f in &self.findings {
            match f.severity {
                Severity::High => t.high += 1,
                Severity::Medium => t.medium += 1,
                Severity::Low => t.low += 1,
            }
            t.failing |= Outcome::fails(self, f);
        }
        t
    }

    /// Drops the findings once they have been reported, keeping their tally (and the
    /// breaches, whose indices still count the dropped findings).
    pub fn release(&mut self) {
        self.released = Some(self.tally());
        self.findings = Vec::new();
    }
}

/// How many findings each kind of suppression left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Suppressed {
    /// By `phiscan:allow` comments.
    pub inline: usize,
    /// By `--baseline`.
    pub baseline: usize,
}

impl std::ops::AddAssign for Suppressed {
    fn add_assign(&mut self, o: Suppressed) {
        self.inline += o.inline;
        self.baseline += o.baseline;
    }
}

/// An error tied to one input, already made safe to print (no scanned values).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct InputError {
    /// The input's path, or `""` for errors not tied to one.
    pub path: String,
    /// What went wrong.
    pub message: String,
}

/// Where a run's per-file results go while the scan runs (a streamed report), in report order.
///
/// `start` is called once the run's config is known and before any file; `file` once per
/// scanned file, in the final order, and may [`FileResult::release`] the findings it has
/// written. Skips, errors and the summary are known only at the end: they stay in the
/// [`Outcome`].
pub trait Sink {
    /// The run's config is resolved; nothing has been scanned yet.
    fn start(&mut self, config: &Config) -> crate::error::Result<()>;
    /// One file's result, in report order.
    fn file(&mut self, file: &mut FileResult);
}

/// A [`Sink`] that keeps everything in the [`Outcome`].
pub struct Collect;

impl Sink for Collect {
    fn start(&mut self, _: &Config) -> crate::error::Result<()> {
        Ok(())
    }
    fn file(&mut self, _: &mut FileResult) {}
}

/// One scanned input (a file or an archive member): its display path and result.
pub type ScanResult = (String, Result<FileResult, FileProblem>);

/// A [`ScanResult`] that keeps the text the findings' offsets index (see [`Scanner::scan_named`]).
pub type TextResult = (String, Result<(FileResult, Vec<u8>), FileProblem>);

/// Everything a scan produced.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Per-file results, sorted by path; only files that were scanned.
    pub files: Vec<FileResult>,
    /// Files not scanned, with reasons.
    pub skipped: Vec<Skipped>,
    /// Entries a walk did not enter (ignored, hidden, excluded), with reasons.
    pub left_out: Vec<LeftOut>,
    /// Errors (each makes the exit code 2).
    pub errors: Vec<InputError>,
    /// Wall time of the scan.
    pub elapsed: Duration,
    /// The active rules (of every config in force), for reports that describe them.
    pub rules: Vec<Rule>,
    /// What was asked for when it was not plain paths (`staged changes`, `changes since …`).
    pub scope: Option<String>,
    /// The `--max-findings` cap in force (`0`: none), for reports of inputs that reached it.
    pub max_findings: usize,
}

impl Outcome {
    /// Returns every finding still held, in report order (a streamed report releases them:
    /// count with [`Outcome::tally`]).
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.files.iter().flat_map(|f| f.findings.iter())
    }

    /// Counts every finding of the scan, released or not.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for f in &self.files {
            t += f.tally();
        }
        t
    }

    /// Returns the highest severity found, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.tally().max_severity()
    }

    /// Returns the total number of bytes scanned.
    pub fn bytes_scanned(&self) -> u64 {
        self.files.iter().map(|f| f.bytes).sum()
    }

    /// Whether `finding` of `file` is at or above that file's `fail_on`.
    pub fn fails(file: &FileResult, finding: &Finding) -> bool {
        finding.severity >= file.fail_on.unwrap_or(Severity::High)
    }

    /// Whether any finding is at or above its file's `fail_on` (exit code 1).
    pub fn failed(&self) -> bool {
        self.files.iter().any(|f| f.tally().failing)
    }

    /// Returns every warning, in report order.
    pub fn warnings(&self) -> impl Iterator<Item = &Warning> {
        self.files.iter().flat_map(|f| f.warnings.iter())
    }

    /// Returns the total of suppressed findings.
    pub fn suppressed(&self) -> Suppressed {
        let mut total = Suppressed::default();
        for f in &self.files {
            total += f.suppressed;
        }
        total
    }

    /// Adds one input's result: a scanned file, a skip or an error.
    pub fn add(&mut self, (path, r): ScanResult) {
        match r {
            Ok(fr) => self.files.push(fr),
            Err(FileProblem::Skip(reason)) => {
                self.skipped.push(Skipped { path, reason: crate::text::label::escape_controls(&reason).into_owned() })
            }
            Err(FileProblem::Error(message)) => self
                .errors
                .push(InputError { path, message: crate::text::label::escape_controls(&message).into_owned() }),
        }
    }

    /// Adds another outcome's files, skips and errors (reports sort them: see [`Outcome::sort`]).
    pub fn merge(&mut self, other: Outcome) {
        self.files.extend(other.files);
        self.skipped.extend(other.skipped);
        self.left_out.extend(other.left_out);
        self.errors.extend(other.errors);
        for r in other.rules {
            if !self.rules.iter().any(|x| x.id == r.id) {
                self.rules.push(r);
            }
        }
    }

    /// Sorts files, skips and errors by path, the order every report and baseline relies on.
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.skipped.sort();
        self.left_out.sort();
        self.errors.sort();
    }
}

/// A ready-to-use scanner: a compiled engine and the options that shape findings.
pub struct Scanner {
    engine: Engine,
    allow: Allow,
    floor: score::Floor,
    show_values: bool,
    inline_allow: bool,
    fail_on: Severity,
    key: Option<Key>,
    baseline: Option<std::collections::HashSet<String>>,
    input_type: Option<Kind>,
    skip_large: bool,
    max_findings: usize,
    /// `--threads`, for a large text searched outside a thread pool (see [`Scanner::find`]).
    threads: Option<usize>,
}

impl Scanner {
    /// Builds a scanner from an engine and a resolved config.
    pub fn new(engine: Engine, config: &Config) -> Scanner {
        Scanner {
            engine,
            allow: Allow::new(&config.allow),
            floor: score::Floor { min_confidence: config.min_confidence, possible: config.possible },
            show_values: config.show_values,
            inline_allow: config.inline_allow,
            fail_on: config.fail_on,
            key: None,
            baseline: None,
            input_type: config.input_type,
            skip_large: config.skip_large,
            max_findings: config.max_findings,
            threads: Some(config.threads),
        }
    }

    /// Fingerprints every finding with `key` and, given `known` fingerprints, reports only
    /// findings not among them (see [`crate::suppress::baseline`]).
    pub fn with_baseline(mut self, key: Key, known: Option<std::collections::HashSet<String>>) -> Scanner {
        self.key = Some(key);
        self.baseline = known;
        self
    }

    /// Builds a scanner with default options (for tests, benches and library users).
    pub fn with_defaults(engine: Engine) -> Scanner {
        Scanner {
            engine,
            allow: Allow::new(&[]),
            floor: score::Floor::new(crate::config::DEFAULT_MIN_CONFIDENCE),
            show_values: false,
            inline_allow: true,
            fail_on: Severity::High,
            key: None,
            baseline: None,
            input_type: None,
            skip_large: false,
            max_findings: crate::config::DEFAULT_MAX_FINDINGS,
            threads: None,
        }
    }

    /// Returns the format `name` with these `bytes` is read as (`--type`, else detected).
    pub fn kind_for(&self, name: &str, bytes: &[u8]) -> Kind {
        self.input_type.unwrap_or_else(|| extract::detect(name, bytes))
    }

    /// Returns the engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Scans one decoded text and returns its findings, breaches and verdict: the text is read
    /// as a plain-text input is (records pasted in it included).
    pub fn scan_text(&self, path: &str, text: &[u8]) -> FileResult {
        let mut doc = Document::plain(text.to_vec());
        extract::records::detect(&mut doc, true);
        self.scan_document(path, &doc)
    }

    /// Scans an extracted document: its units link breaches, its segments locate findings,
    /// its fields give structured values their field's context, and its source map takes every
    /// finding back to the input's bytes.
    pub fn scan_document(&self, path: &str, doc: &Document) -> FileResult {
        self.scan_document_capped(path, doc, (self.max_findings > 0).then_some(self.max_findings))
    }

    /// Scans an extracted document as [`Scanner::scan_document`] does, reporting at most `cap`
    /// findings (the most severe, then the first): the rest are counted in `dropped`.
    pub fn scan_document_capped(&self, path: &str, doc: &Document, cap: Option<usize>) -> FileResult {
        let text = &doc.text[..];
        let candidates = self.find(text);
        let mut scored = score::score(&self.engine, text, candidates, self.floor);
        if !doc.labels.is_empty() {
            scored.retain(|s| !inside(&doc.labels, s.candidate.start, s.candidate.end));
        }
        let mut fields: Vec<Field<'_>> =
            doc.fields.iter().map(|f| Field { start: f.start, end: f.end, name: f.name.as_str() }).collect();
        fields.extend(score::columns::type_grids(&self.engine, text, &doc.grids, &scored));
        score::field::apply(&self.engine, text, &fields, &mut scored, self.floor.min_confidence);
        // Redaction placeholders (`[NAME]`, `J*** S****`) name no one, wherever they stand.
        scored.retain(|s| {
            let v = &text[s.candidate.start..s.candidate.end];
            !(v.contains(&b'*') || v.contains(&b'[')) || !crate::finding::is_redacted(&String::from_utf8_lossy(v))
        });
        let allowed = self.allow.covered(text);
        if !allowed.is_empty() {
            scored.retain(|s| !inside(&allowed, s.candidate.start, s.candidate.end));
        }
        // Where each candidate is in the input, and the line it is on there: directives and
        // reports count lines in the source a person edits, not in the extracted text.
        let source_text = doc.source_text();
        let text_lines = LineTable::new(text);
        // Plain text is its own source: one table serves both.
        let own_lines = match &doc.origin {
            extract::Origin::Source(s) => Some(LineTable::new(s)),
            _ => None,
        };
        let source_lines = match doc.origin {
            extract::Origin::Text => Some(&text_lines),
            extract::Origin::Source(_) => own_lines.as_ref(),
            extract::Origin::Package => None,
        };
        let mut hint = 0;
        let mut sources: Vec<Option<Source>> =
            scored.iter().map(|s| doc.map.locate_from(&mut hint, s.candidate.start, s.candidate.end)).collect();
        // Findings come in text order: line lookups start where the last one ended.
        let (own_hint, text_hint) = (std::cell::Cell::new(Cursor::default()), std::cell::Cell::new(Cursor::default()));
        let at = |hint: &std::cell::Cell<Cursor>, lines: &LineTable<'_>, offset: usize| {
            let mut h = hint.get();
            let r = lines.locate_from(&mut h, offset);
            hint.set(h);
            r
        };
        let place = |k: usize, sources: &[Option<Source>], scored: &[score::Scored]| match (&sources[k], source_lines) {
            (Some(src), Some(lines)) if src.part.is_none() => at(&own_hint, lines, src.start),
            _ => at(&text_hint, &text_lines, scored[k].candidate.start),
        };
        let directives = source_text.unwrap_or(text);
        let (inline, warnings) = if self.inline_allow && memchr::memmem::find(directives, b"phiscan:allow").is_some() {
            let lines: Vec<usize> = (0..scored.len()).map(|k| place(k, &sources, &scored).0).collect();
            let (excused, warnings) = inline::apply(path, directives, self.engine.rules(), &scored, &lines);
            let n = excused.iter().filter(|e| **e).count();
            if n > 0 {
                let mut k = 0;
                scored.retain(|_| {
                    k += 1;
                    !excused[k - 1]
                });
                let mut k = 0;
                sources.retain(|_| {
                    k += 1;
                    !excused[k - 1]
                });
            }
            (n, warnings)
        } else {
            (0, Vec::new())
        };
        let units = self.record_units(doc);
        let mut links = score::link::link(&self.engine, text, &units, &mut scored);
        // The cap applies after linking, so a capped input still reports its breaches: their
        // members are kept first, then the most severe findings.
        let dropped = match cap {
            Some(cap) if scored.len() > cap => {
                let mut in_breach = vec![false; scored.len()];
                for l in &links {
                    for &k in &l.findings {
                        in_breach[k] = true;
                    }
                }
                let keep = most_severe(&scored, &in_breach, cap);
                let mut new_index = vec![usize::MAX; keep.len()];
                let mut n = 0;
                for (k, kept) in keep.iter().enumerate() {
                    if *kept {
                        new_index[k] = n;
                        n += 1;
                    }
                }
                let mut k = 0;
                scored.retain(|_| {
                    k += 1;
                    keep[k - 1]
                });
                let mut k = 0;
                sources.retain(|_| {
                    k += 1;
                    keep[k - 1]
                });
                links.retain_mut(|l| {
                    l.findings = l.findings.iter().filter(|&&k| keep[k]).map(|&k| new_index[k]).collect();
                    !l.findings.is_empty()
                });
                keep.len() - n
            }
            _ => 0,
        };
        let rules = self.engine.rules();
        let shared_path: std::sync::Arc<str> = path.into();
        let mut findings: Vec<Finding> = scored
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let c = s.candidate;
                let value = String::from_utf8_lossy(&text[c.start..c.end]);
                let (line, column) = place(k, &sources, &scored);
                Finding {
                    path: shared_path.clone(),
                    rule: self.engine.rule_id(c.rule).clone(),
                    category: rules[c.rule].category,
                    severity: s.severity,
                    confidence: (s.confidence * 100.0).round() / 100.0,
                    start: c.start,
                    end: c.end,
                    line,
                    column,
                    masked: mask(&value),
                    value: self.show_values.then(|| value.into()),
                    location: doc
                        .segment_at(c.start)
                        .map(|s| crate::text::label::escape_controls(s.location.as_str()).as_ref().into()),
                    source: None,
                    fingerprint: None,
                    // Read as breach linking reads it: a name with staff evidence.
                    staff: rules[c.rule].category == crate::finding::Category::Name
                        && c.evidence & crate::engine::names::EVIDENCE_STAFF != 0,
                    possible: s.possible,
                }
            })
            .collect();
        to_file_offsets(doc, &mut sources);
        for (f, src) in findings.iter_mut().zip(sources) {
            f.source = src;
        }
        let mut breaches: Vec<Breach> = links
            .into_iter()
            .map(|l| {
                let first = &findings[l.findings[0]];
                let unit = doc.unit_at(first.start).map(|i| doc.units[i]);
                // A unit's line is where the unit starts in the source, else its first finding's.
                let line = unit
                    .and_then(|u| doc.map.locate(u.start, u.end))
                    .filter(|src| src.part.is_none())
                    .and_then(|src| source_lines.map(|t| t.line_of(src.start)))
                    .map_or(first.line, |l| l.min(first.line));
                let location = doc
                    .unit_location_at(first.start)
                    .map(|l| crate::text::label::escape_controls(l).into_owned())
                    .or_else(|| first.location.as_deref().map(str::to_string));
                Breach {
                    path: shared_path.clone(),
                    line,
                    location,
                    source: covering(l.findings.iter().map(|&i| &findings[i])),
                    unit: l.unit,
                    summary: breach_summary(text, &scored, &findings, &l.findings),
                    explanation: l.explanation,
                    findings: l.findings,
                }
            })
            .collect();
        let baseline = self.apply_baseline(path, text, &mut findings, &mut breaches);
        FileResult {
            path: path.to_string(),
            bytes: text.len() as u64,
            verdict: crate::suppress::verdict(&findings, &breaches),
            findings,
            breaches,
            warnings,
            suppressed: Suppressed { inline, baseline },
            fail_on: Some(self.fail_on),
            notes: doc.notes.clone(),
            released: None,
            dropped,
        }
    }

    /// Returns the document's linking units, less the `Key: value` blocks and XML fragments
    /// that name nobody: a block of `Speaker:` / `Topic:` lines is an event listing, not a
    /// record, and its lines link as the prose they are.
    fn record_units<'d>(&self, doc: &'d Document) -> std::borrow::Cow<'d, [crate::text::Unit]> {
        let loose = |u: &crate::text::Unit| matches!(u.kind, "record" | "document");
        if !doc.units.iter().any(loose) {
            return std::borrow::Cow::Borrowed(&doc.units);
        }
        let rules = self.engine.rules();
        let mut fields: Vec<&extract::FieldSpan> = doc.fields.iter().collect();
        fields.sort_unstable_by_key(|f| f.start);
        let mut person: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
        let kept = doc
            .units
            .iter()
            .filter(|u| {
                if !loose(u) {
                    return true;
                }
                let first = fields.partition_point(|f| f.start < u.start);
                fields[first..].iter().take_while(|f| f.start < u.end).filter(|f| f.end <= u.end).any(|f| {
                    let name = f.name.as_str();
                    *person.entry(name).or_insert_with(|| score::field::names_a_person(rules, std::iter::once(name)))
                })
            })
            .copied()
            .collect();
        std::borrow::Cow::Owned(kept)
    }

    /// Returns the engine's candidates in `text`.
    ///
    /// A large text splits its passes over rayon (see [`Engine::find`]). Outside a pool (the one
    /// file of a run, or stdin, scanned on the calling thread) that would be rayon's global pool,
    /// sized to every CPU: such a text gets a pool of `--threads` instead.
    fn find(&self, text: &[u8]) -> Vec<crate::engine::Candidate> {
        match self.threads {
            Some(n) if text.len() >= crate::engine::PARALLEL_MIN && rayon::current_thread_index().is_none() => {
                match rayon::ThreadPoolBuilder::new().num_threads(n).build() {
                    Ok(pool) => pool.install(|| self.engine.find(text)),
                    Err(_) => self.engine.find(text),
                }
            }
            _ => self.engine.find(text),
        }
    }

    /// Fingerprints findings when a baseline key is set and drops those in the baseline.
    fn apply_baseline(
        &self,
        path: &str,
        text: &[u8],
        findings: &mut Vec<Finding>,
        breaches: &mut Vec<Breach>,
    ) -> usize {
        let Some(key) = &self.key else { return 0 };
        key.fingerprint(path, text, findings);
        let Some(known) = &self.baseline else { return 0 };
        let new: Vec<bool> =
            findings.iter().map(|f| !f.fingerprint.as_ref().is_some_and(|fp| known.contains(&**fp))).collect();
        keep_new(findings, breaches, &new)
    }

    fn scan_file(&self, file: &FileInput, max_size: u64) -> Vec<(String, Result<FileResult, FileProblem>)> {
        let too_large = |n: u64| too_large(n, max_size, self.skip_large);
        let read = || {
            let bytes = match &file.blob {
                Some(blob) => input::git::read_blob(blob).map_err(|e| FileProblem::Error(e.to_string()))?,
                None => {
                    let meta = std::fs::metadata(&file.path).map_err(|e| FileProblem::Error(e.to_string()))?;
                    // Refused before opening: opening a FIFO blocks, a device never ends.
                    if !meta.is_file() {
                        return Err(FileProblem::Error(input::not_regular_reason(&meta.file_type())));
                    }
                    if meta.len() > max_size {
                        return Err(too_large(meta.len()));
                    }
                    // Read through the cap whatever the size said: a file can grow while it is read.
                    let mut bytes = Vec::with_capacity(meta.len() as usize);
                    std::fs::File::open(&file.path)
                        .and_then(|f| f.take(max_size + 1).read_to_end(&mut bytes))
                        .map_err(|e| FileProblem::Error(e.to_string()))?;
                    bytes
                }
            };
            if bytes.len() as u64 > max_size {
                return Err(too_large(bytes.len() as u64));
            }
            Ok(bytes)
        };
        match read() {
            Ok(bytes) => self.scan_bytes(&file.display, bytes),
            Err(p) => vec![(file.display.clone(), Err(p))],
        }
    }

    /// Extracts and scans one input's bytes: one result for the input and each of its members.
    fn scan_bytes(&self, display: &str, bytes: Vec<u8>) -> Vec<ScanResult> {
        self.scan_named(display, bytes).into_iter().map(|(path, r)| (path, r.map(|(fr, _)| fr))).collect()
    }

    /// Extracts and scans one input held in memory as a file named `name` would be (the name
    /// chooses the format): one result for the input and each of its members, each with the
    /// text its findings' offsets point into (what `phiscan serve` shows and highlights).
    pub fn scan_named(&self, name: &str, bytes: Vec<u8>) -> Vec<TextResult> {
        let kind = self.input_type.or_else(|| Some(extract::detect(name, &bytes)));
        // One cap for the input and its members together: a zip of many members is one input.
        let mut left = (self.max_findings > 0).then_some(self.max_findings);
        extract::extract(name, bytes, kind, Limits::default())
            .into_iter()
            .map(|item| {
                let path = format!("{}{}", crate::text::label::escape_controls(name), item.member);
                let r = item.result.map(|doc| {
                    let mut result = self.scan_document_capped(&path, &doc, left);
                    if let Some(l) = &mut left {
                        *l -= result.findings.len().min(*l);
                    }
                    if !item.member.is_empty() {
                        // A member's findings name their place even when it is a plain line.
                        for f in result.findings.iter_mut().filter(|f| f.location.is_none()) {
                            f.location = Some(compact_str::format_compact!("line {}", f.line));
                        }
                        for b in result.breaches.iter_mut().filter(|b| b.location.is_none()) {
                            b.location = Some(format!("line {}", b.line));
                        }
                    }
                    (result, doc.text)
                });
                (path, r)
            })
            .collect()
    }

    /// Runs a whole scan as the config describes, with this one scanner for every file.
    pub fn run(&self, config: &Config) -> Outcome {
        let started = Instant::now();
        let walk = input::walk(&config.paths, &config.walk);
        let mut outcome = self.scan_files(&walk.files, config);
        outcome.skipped.extend(walk.skipped);
        outcome.left_out.extend(walk.left_out);
        outcome.errors.extend(walk.errors.iter().map(input_error));
        if config.read_stdin {
            self.scan_stdin(config, &mut outcome);
        }
        outcome.sort();
        outcome.max_findings = self.max_findings;
        outcome.elapsed = started.elapsed();
        outcome
    }

    /// Scans `files` in parallel; the outcome is unsorted and has no rules or timing.
    pub fn scan_files(&self, files: &[FileInput], config: &Config) -> Outcome {
        let mut outcome = Outcome::default();
        self.scan_files_in_order(files, config, &mut |r| outcome.add(r));
        outcome
    }

    /// Scans `files` in parallel and hands each result to `each` on the calling thread, in the
    /// order of `files` (an archive's members right after it), as soon as it and every result
    /// before it are ready.
    ///
    /// Workers take the next file from a shared counter, so files are started in order and a
    /// result waits for at most the files still in flight before it: memory stays bounded by
    /// what the threads scan while the slowest file finishes, not by the size of the run.
    pub fn scan_files_in_order(&self, files: &[FileInput], config: &Config, each: &mut dyn FnMut(ScanResult)) {
        use std::collections::BTreeMap;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let inline = |each: &mut dyn FnMut(ScanResult)| {
            for f in files {
                self.scan_file(f, config.max_file_size).into_iter().for_each(&mut *each);
            }
        };
        // One file (a pre-commit draft) scans on this thread: under load, handing it to a pool
        // thread cost more than scanning a page. A large one still splits (see `find`).
        if files.len() <= 1 {
            inline(each);
            return;
        }
        // No more threads than files when they are small: starting an idle thread costs a
        // pre-commit run on one draft about a millisecond. A large file keeps every thread
        // (the engine splits its passes, see `Engine::find`).
        let mut threads = config.threads.max(1);
        if files.len() < threads {
            let bytes: u64 = files.iter().filter_map(|f| std::fs::metadata(&f.path).ok()).map(|m| m.len()).sum();
            if bytes < crate::engine::PARALLEL_MIN as u64 {
                threads = files.len().max(1);
            }
        }
        let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
            Ok(pool) => pool,
            Err(_) => {
                inline(each);
                return;
            }
        };
        // Dynamic, in-order dispatch: a fixed split (rayon's default for a slice) left one
        // thread idle while the other worked through the big files (measured: 199 files in
        // 1.5 s on one thread, 198 in 3.7 s on the other).
        let next = AtomicUsize::new(0);
        let (tx, rx) = std::sync::mpsc::channel::<(usize, Vec<ScanResult>)>();
        std::thread::scope(|s| {
            s.spawn(|| {
                pool.scope(|ps| {
                    for _ in 0..threads {
                        let tx = tx.clone();
                        let next = &next;
                        ps.spawn(move |_| loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(f) = files.get(i) else { break };
                            if tx.send((i, self.scan_file(f, config.max_file_size))).is_err() {
                                break;
                            }
                        });
                    }
                });
                drop(tx);
            });
            let mut pending: BTreeMap<usize, Vec<ScanResult>> = BTreeMap::new();
            let mut want = 0;
            for (i, results) in rx {
                pending.insert(i, results);
                while let Some(results) = pending.remove(&want) {
                    results.into_iter().for_each(&mut *each);
                    want += 1;
                }
            }
        });
    }

    /// Scans stdin into `outcome`, under `config.stdin_name`.
    pub fn scan_stdin(&self, config: &Config, outcome: &mut Outcome) {
        let mut bytes = Vec::new();
        match std::io::stdin().lock().take(config.max_file_size + 1).read_to_end(&mut bytes) {
            Err(e) => outcome.errors.push(InputError { path: config.stdin_name.clone(), message: e.to_string() }),
            Ok(n) if n as u64 > config.max_file_size => {
                outcome
                    .add((config.stdin_name.clone(), Err(too_large(n as u64, config.max_file_size, self.skip_large))));
            }
            Ok(_) => {
                for r in self.scan_bytes(&config.stdin_name, bytes) {
                    outcome.add(r);
                }
            }
        }
    }
}

/// Returns which of `scored` to keep so that `cap` remain: breach members first, then the most
/// severe, then the first in text order (so a capped file still fails the gate when it holds a
/// high finding).
fn most_severe(scored: &[score::Scored], in_breach: &[bool], cap: usize) -> Vec<bool> {
    let mut order: Vec<usize> = (0..scored.len()).collect();
    order.sort_by_key(|&k| (!in_breach[k], std::cmp::Reverse(scored[k].severity), k));
    let mut keep = vec![false; scored.len()];
    for &k in order.iter().take(cap) {
        keep[k] = true;
    }
    keep
}

/// Returns the words of a breach for a reader: identifiers masked, then the health terms
/// (shown as written only when the dictionary knows the whole term), or "patient status".
fn breach_summary(text: &[u8], scored: &[score::Scored], findings: &[Finding], members: &[usize]) -> String {
    let mut people = Vec::new();
    let mut facts = Vec::new();
    for &k in members {
        let f = &findings[k];
        if f.category.is_health() {
            let c = scored[k].candidate;
            let term = if c.evidence & crate::engine::health::EVIDENCE_TERM != 0 {
                String::from_utf8_lossy(&text[c.start..c.end]).split_whitespace().collect::<Vec<_>>().join(" ")
            } else {
                f.masked.to_string()
            };
            if !facts.contains(&term) {
                facts.push(term);
            }
        } else if f.category.identifies() {
            // A mask with no letter left says nothing by itself: name its kind (`mrn ********`).
            let word = if f.masked.chars().any(char::is_alphabetic) {
                f.masked.to_string()
            } else {
                format!("{} {}", f.category, f.masked)
            };
            if !people.contains(&word) {
                people.push(word);
            }
        }
    }
    if facts.is_empty() {
        facts.push("patient status".to_string());
    }
    format!("{} + {}", people.join(" + "), facts.join(" + "))
}

/// A file over `--max-file-size`: an error (a gate must not pass a file it did not read) unless
/// `--skip-large` says skipping is intended.
fn too_large(n: u64, max: u64, skip: bool) -> FileProblem {
    if skip {
        FileProblem::Skip(format!("too large ({n} bytes > --max-file-size {max}; --skip-large)"))
    } else {
        FileProblem::Error(format!(
            "too large ({n} bytes > --max-file-size {max}): raise --max-file-size, or pass --skip-large to skip such files"
        ))
    }
}

/// Why an input produced no [`FileResult`]: the same [`Problem`] extraction reports.
pub type FileProblem = Problem;

/// Returns an error as a printable, path-tagged message.
pub fn input_error(e: &Error) -> InputError {
    match e {
        Error::Io { path, source } => InputError { path: path.display().to_string(), message: source.to_string() },
        Error::Input { path, message } => InputError { path: path.clone(), message: message.clone() },
        other => InputError { path: String::new(), message: other.to_string() },
    }
}

/// Returns the smallest source range holding every finding's source (within the first one's
/// part).
fn covering<'a>(findings: impl Iterator<Item = &'a Finding>) -> Option<Source> {
    let mut out: Option<Source> = None;
    for src in findings.filter_map(|f| f.source.as_ref()) {
        match &mut out {
            None => out = Some(src.clone()),
            Some(o) if o.part == src.part => {
                o.start = o.start.min(src.start);
                o.end = o.end.max(src.end);
            }
            Some(_) => {}
        }
    }
    out
}

/// Turns source offsets of the decoded text into offsets of the input's bytes: past a UTF-8
/// byte-order mark, or into UTF-16 code units. Offsets into named parts are left alone.
fn to_file_offsets(doc: &Document, sources: &mut [Option<Source>]) {
    use crate::extract::Encoding;
    let own = || sources.iter().flatten().filter(|s| s.part.is_none()).count();
    match doc.encoding {
        Encoding::Utf8 => {}
        Encoding::Utf8Bom => {
            for s in sources.iter_mut().flatten().filter(|s| s.part.is_none()) {
                s.start += 3;
                s.end += 3;
            }
        }
        Encoding::Utf16 { bom, .. } if own() > 0 => {
            let Some(text) = doc.source_text() else { return };
            let mut offsets: Vec<usize> =
                sources.iter().flatten().filter(|s| s.part.is_none()).flat_map(|s| [s.start, s.end]).collect();
            offsets.sort_unstable();
            offsets.dedup();
            let units = crate::text::source::utf16_offsets(text, &offsets);
            let at = |o: usize| units[offsets.binary_search(&o).unwrap_or(0)] * 2 + if bom { 2 } else { 0 };
            for s in sources.iter_mut().flatten().filter(|s| s.part.is_none()) {
                (s.start, s.end) = (at(s.start), at(s.end));
            }
        }
        Encoding::Utf16 { .. } => {}
        Encoding::Utf32 { .. } if own() > 0 => {
            let Some(text) = doc.source_text() else { return };
            let mut offsets: Vec<usize> =
                sources.iter().flatten().filter(|s| s.part.is_none()).flat_map(|s| [s.start, s.end]).collect();
            offsets.sort_unstable();
            offsets.dedup();
            // Each character is one 4-byte unit: count characters up to each offset, in one pass.
            let (mut chars, mut at) = (0usize, 0usize);
            let units: Vec<usize> = offsets
                .iter()
                .map(|&o| {
                    let o = o.min(text.len());
                    chars += text[at..o].iter().filter(|b| (**b & 0xC0) != 0x80).count();
                    at = o;
                    chars
                })
                .collect();
            let at = |o: usize| units[offsets.binary_search(&o).unwrap_or(0)] * 4 + 4;
            for s in sources.iter_mut().flatten().filter(|s| s.part.is_none()) {
                (s.start, s.end) = (at(s.start), at(s.end));
            }
        }
        Encoding::Utf32 { .. } => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn scanner() -> &'static Scanner {
        static S: OnceLock<Scanner> = OnceLock::new();
        S.get_or_init(|| Scanner::with_defaults(Engine::new(crate::rules::builtin::rules().unwrap()).unwrap()))
    }

    /// Scans `bytes` as the file `name` and returns every finding's value (from the extracted
    /// text) with the bytes its `source` range covers in the file, for findings without a part.
    fn values_and_sources(name: &str, bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for item in extract::extract(name, bytes.to_vec(), None, Limits::default()) {
            let Ok(doc) = item.result else { continue };
            let r = scanner().scan_document(name, &doc);
            for f in &r.findings {
                let value = String::from_utf8_lossy(&doc.text[f.start..f.end]).into_owned();
                let src = f.source.as_ref().unwrap_or_else(|| panic!("{name}: no source for {value:?}"));
                assert!(src.part.is_none(), "{name}: {value:?} in part {:?}", src.part);
                out.push((value, bytes[src.start..src.end].to_vec()));
            }
        }
        out
    }

    const NAMES: &[&str] = &["Marisela Oudekamp", "Tobin Quill", "Rhonda Vale", "Oswin Marlowe"];
    const FACTS: &[&str] = &["type 2 diabetes", "asthma", "leukemia", "COPD", "metformin"];

    /// One synthetic patient: name, MRN, date of birth, phone, health fact.
    fn patient() -> impl Strategy<Value = (String, String, String, String, String)> {
        (0..NAMES.len(), 1_000_000u32..9_999_999, 1930u32..2010, 1u32..13, 1u32..29, 100u32..200, 0..FACTS.len())
            .prop_map(|(n, mrn, y, m, d, ph, f)| {
                (
                    NAMES[n].to_string(),
                    mrn.to_string(),
                    format!("{y}-{m:02}-{d:02}"),
                    format!("(330) 555-0{ph}"),
                    FACTS[f].to_string(),
                )
            })
    }

    /// Renders patients as a document of one text-like format, with the noise real files have
    /// around values (CRLF, accents, entities and escapes outside the values, quoting).
    fn render(kind: usize, ps: &[(String, String, String, String, String)], crlf: bool) -> (&'static str, String) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let mut s = String::new();
        let name = match kind {
            0 => {
                s.push_str(&format!("Caf\u{e9} notes{nl}{nl}"));
                for (n, mrn, dob, ph, f) in ps {
                    s.push_str(&format!("Patient {n} (MRN: {mrn}, DOB: {dob}) was treated for {f}. Call {ph}.{nl}"));
                }
                "notes.txt"
            }
            1 => {
                s.push_str(&format!(
                    "# R\u{e9}sum\u{e9}{nl}{nl}Pasted from the export:{nl}{nl}```{nl}name,mrn,dob,diagnosis{nl}"
                ));
                for (n, mrn, dob, _, f) in ps {
                    s.push_str(&format!("\"{n}\",{mrn},{dob},{f}{nl}"));
                }
                s.push_str(&format!("```{nl}"));
                "ticket.md"
            }
            2 => {
                s.push_str(&format!("patient_name,mrn,dob,phone,diagnosis{nl}"));
                for (n, mrn, dob, ph, f) in ps {
                    s.push_str(&format!("\"{n}\",{mrn},{dob},\"{ph}\",{f}{nl}"));
                }
                "export.csv"
            }
            3 => {
                s.push_str(&format!("patient_name\tmrn\tdob\tdiagnosis{nl}"));
                for (n, mrn, dob, _, f) in ps {
                    s.push_str(&format!("{n}\t{mrn}\t{dob}\t{f}{nl}"));
                }
                "export.tsv"
            }
            4 => {
                let items: Vec<String> = ps
                    .iter()
                    .map(|(n, mrn, dob, ph, f)| {
                        format!("{{\"note\": \"caf\\u00e9 \\\"x\\\"\", \"name\": \"{n}\", \"mrn\": \"{mrn}\", \"birthDate\": \"{dob}\", \"phone\": \"{ph}\", \"dx\": \"{f}\"}}")
                    })
                    .collect();
                s.push_str(&format!("[{}]", items.join(&format!(",{nl}  "))));
                "visits.json"
            }
            5 => {
                for (n, mrn, dob, _, f) in ps {
                    s.push_str(&format!(
                        "{{\"name\": \"{n}\", \"mrn\": {mrn}, \"dob\": \"{dob}\", \"dx\": \"{f}\"}}{nl}"
                    ));
                }
                "visits.jsonl"
            }
            6 => {
                s.push_str(&format!("<html><body>{nl}<p>Caf&eacute; &amp; news</p>{nl}<table><tr><th>Patient</th><th>MRN</th><th>Diagnosis</th></tr>{nl}"));
                for (n, mrn, _, ph, f) in ps {
                    s.push_str(&format!("<tr><td>{n}</td><td>{mrn}</td><td>{f}</td></tr>{nl}"));
                    s.push_str(&format!("<!-- call {ph} -->{nl}"));
                }
                s.push_str(&format!("</table><p>{}   was seen</p>{nl}</body></html>", ps[0].0));
                "page.html"
            }
            _ => {
                s.push_str(&format!(
                    "From: Clinic <desk@example.org>{nl}To: team@example.org{nl}Subject: rows{nl}{nl}"
                ));
                for (n, mrn, dob, _, f) in ps {
                    s.push_str(&format!("{n};{mrn};{dob};{f}{nl}"));
                }
                "mail.eml"
            }
        };
        (name, s)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

        /// For every text-like format, the file's bytes at a finding's source are its value.
        #[test]
        fn source_ranges_hold_the_values(kind in 0usize..8, ps in proptest::collection::vec(patient(), 1..4), crlf: bool) {
            let (name, text) = render(kind, &ps, crlf);
            let found = values_and_sources(name, text.as_bytes());
            prop_assert!(!found.is_empty(), "{name}: nothing found in {text}");
            for (value, bytes) in found {
                prop_assert_eq!(String::from_utf8_lossy(&bytes), value.as_str(), "{}: {}", name, text);
            }
        }
    }

    /// Pieces of text in many scripts, with identifiers between them.
    fn mixed_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("Patient SSN 536-22-8727 ".to_string()),
            Just("MRN: 40719385\n".to_string()),
            Just("call (330) 555-0142, ".to_string()),
            Just("Tobin Quill, 34, has asthma. ".to_string()),
            Just("caf\u{e9} \u{2014} na\u{ef}ve \u{1F3E5} ".to_string()),
            Just("\u{65e5}\u{672c}\u{8a9e} \u{0627}\u{0644}\u{0639} ".to_string()),
            "\\PC{0,12}",
        ];
        proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Every finding's offsets fall on UTF-8 character boundaries of the text, and its
        /// column is a character column of its line.
        #[test]
        fn offsets_fall_on_character_boundaries(text in mixed_text()) {
            let r = scanner().scan_text("t.txt", text.as_bytes());
            for f in &r.findings {
                prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end), "{:?} in {:?}", f, text);
                prop_assert!(f.start < f.end && f.end <= text.len());
                let line_start = text[..f.start].rfind('\n').map_or(0, |p| p + 1);
                prop_assert_eq!(f.column, text[line_start..f.start].chars().count() + 1);
                prop_assert_eq!(f.line, text[..f.start].matches('\n').count() + 1);
            }
        }
    }

    #[test]
    fn columns_stay_linear_on_one_long_line() {
        // Many findings on one line: each column is counted from the previous one.
        let line = "call (330) 555-0142 now, ".repeat(4000);
        let r = scanner().scan_text("long.txt", line.as_bytes());
        assert!(r.findings.len() >= 1000, "{}", r.findings.len());
        for f in r.findings.iter().take(50) {
            assert_eq!(f.column, line[..f.start].chars().count() + 1);
        }
    }

    /// Returns the best of three wall times of scanning `text`.
    fn best_of_three(text: &[u8]) -> std::time::Duration {
        (0..3)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(scanner().scan_text("t.txt", text));
                started.elapsed()
            })
            .min()
            .unwrap()
    }

    #[test]
    fn time_grows_linearly_with_the_input() {
        // The shapes that were quadratic: findings on one long line, placeholder prose, an
        // unclosed HTML tag before many `<a `. Four times the input takes about four times as
        // long when linear and sixteen when quadratic; the bound (9x) sits between the two, so
        // a busy shared machine (tests run in parallel) does not make the test fail.
        let unit = "lorem ipsum dolor sit amet consectetur call (330) 555-0142 ";
        for (name, make) in [
            ("one long line", Box::new(|n: usize| unit.repeat(n)) as Box<dyn Fn(usize) -> String>),
            ("short lines", Box::new(|n: usize| format!("{unit}\n").repeat(n))),
        ] {
            let small = make(1_500);
            let large = make(6_000);
            let _ = best_of_three(small.as_bytes());
            let (a, b) = (best_of_three(small.as_bytes()), best_of_three(large.as_bytes()));
            let ratio = b.as_secs_f64() / a.as_secs_f64().max(1e-6);
            assert!(ratio < 9.0, "{name}: 4x the input took {ratio:.2}x the time ({a:?} -> {b:?})");
        }
        let page = |n: usize| format!("<p>MRN 40719385</p><div {}", "<a ".repeat(n));
        let (a, b) = (Instant::now(), ());
        let _ = (b, extract::html::extract(page(10_000).as_bytes()));
        let small = a.elapsed();
        let a = Instant::now();
        let _ = extract::html::extract(page(40_000).as_bytes());
        let ratio = a.elapsed().as_secs_f64() / small.as_secs_f64().max(1e-6);
        assert!(ratio < 9.0 || a.elapsed() < std::time::Duration::from_millis(50), "html: {ratio:.2}x");
    }

    #[test]
    fn key_value_blocks_link_only_when_a_key_names_a_person() {
        let form = scanner().scan_text("form.txt", b"Name: Tobin Quill\nDx: type 2 diabetes\n");
        assert_eq!(form.breaches.len(), 1, "{:?}", form.findings);
        assert_eq!(form.breaches[0].unit, "record");
        let event = scanner().scan_text("event.txt", b"Speaker: Tobin Quill\nTopic: living with type 2 diabetes\n");
        assert!(event.breaches.is_empty(), "{:?}", event.breaches);
    }

    #[test]
    fn bom_and_utf16_files_map_to_their_own_bytes() {
        let plain = "MRN: 40719385 and SSN 536-22-8727\n";
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(plain.as_bytes());
        for (value, bytes) in values_and_sources("a.txt", &bom) {
            assert_eq!(String::from_utf8_lossy(&bytes), value);
        }
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(format!("\u{e9} {plain}").encode_utf16().flat_map(u16::to_le_bytes));
        let found = values_and_sources("b.txt", &utf16);
        assert!(!found.is_empty());
        for (value, bytes) in found {
            let units: Vec<u16> = bytes.chunks_exact(2).map(|c| u16::from_le_bytes([c[0], c[1]])).collect();
            assert_eq!(String::from_utf16_lossy(&units), value);
        }
    }
}
