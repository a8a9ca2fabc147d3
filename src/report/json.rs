//! JSON and JSON Lines reports: the stable machine contract (`version: 1`).
//!
//! Field names and meanings are documented in the README and never renamed; new fields may be
//! added. `breaches[].findings` index into the document's top-level `findings` array.

use crate::finding::{Breach, Finding, Verdict};
use crate::input::{LeftOut, Skipped};
use crate::scan::{InputError, Outcome, Suppressed};
use crate::suppress::Warning;
use serde::Serialize;
use std::io::Write;

/// The contract version.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct Summary<'a> {
    files_scanned: usize,
    files_skipped: usize,
    bytes_scanned: u64,
    findings: usize,
    breaches: usize,
    by_severity: BySeverity,
    skipped: &'a [Skipped],
    left_out: &'a [LeftOut],
    errors: &'a [InputError],
    warnings: Vec<&'a Warning>,
    suppressed: Suppressed,
    /// Inputs that reached `--max-findings`: how many findings each reported and dropped.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    findings_capped: Vec<CappedEntry<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    elapsed_ms: u64,
}

#[derive(Serialize)]
struct CappedEntry<'a> {
    path: &'a str,
    reported: usize,
    dropped: usize,
    max_findings: usize,
}

#[derive(Serialize)]
struct BySeverity {
    high: usize,
    medium: usize,
    low: usize,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    verdict: Verdict,
    findings: Vec<usize>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
    /// Findings over `--max-findings` not reported (absent when none were dropped).
    #[serde(skip_serializing_if = "is_zero")]
    dropped: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn summary(outcome: &Outcome) -> Summary<'_> {
    let tally = outcome.tally();
    Summary {
        files_scanned: outcome.files.len(),
        files_skipped: outcome.skipped.len(),
        bytes_scanned: outcome.bytes_scanned(),
        findings: tally.total(),
        breaches: outcome.files.iter().map(|f| f.breaches.len()).sum(),
        by_severity: BySeverity { high: tally.high, medium: tally.medium, low: tally.low },
        skipped: &outcome.skipped,
        left_out: &outcome.left_out,
        errors: &outcome.errors,
        warnings: outcome.warnings().collect(),
        suppressed: outcome.suppressed(),
        findings_capped: outcome
            .files
            .iter()
            .filter(|f| f.dropped > 0)
            .map(|f| CappedEntry {
                path: &f.path,
                reported: f.tally().total(),
                dropped: f.dropped,
                max_findings: outcome.max_findings,
            })
            .collect(),
        scope: outcome.scope.as_deref(),
        elapsed_ms: outcome.elapsed.as_millis() as u64,
    }
}

/// Writes the findings of one file as JSON values separated by `sep`.
pub fn findings_part(findings: &[Finding], sep: u8, buf: &mut Vec<u8>) -> std::io::Result<()> {
    for (k, f) in findings.iter().enumerate() {
        if k > 0 {
            buf.push(sep);
        }
        serde_json::to_writer(&mut *buf, f)?;
    }
    Ok(())
}

/// Writes one JSON document: `{"version", "findings", "files", "breaches", "summary"}`.
///
/// The findings array, by far the largest part, is rendered per file in parallel (see
/// [`super::write_per_file`]); the rest is small and written in order after it.
pub fn write_document(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    write_head(out)?;
    super::write_per_file(&outcome.files, out, b",", |file, buf| findings_part(&file.findings, b',', buf))?;
    write_tail(outcome, out)
}

/// Writes the start of the document, up to the opening of the findings array.
pub fn write_head(out: &mut dyn Write) -> std::io::Result<()> {
    write!(out, "{{\"version\":{VERSION},\"findings\":[")
}

/// Writes the rest of the document after the findings array: files, breaches, summary.
///
/// Counts come from each file's tally, so this works whether the findings are still held or
/// were released after streaming them out.
pub fn write_tail(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    // One entry at a time: the arrays are as long as the run, the memory need not be.
    out.write_all(b"],\"files\":[")?;
    let mut base = 0;
    for (k, file) in outcome.files.iter().enumerate() {
        let n = file.tally().total();
        if k > 0 {
            out.write_all(b",")?;
        }
        let entry = FileEntry {
            path: &file.path,
            verdict: file.verdict,
            findings: (base..base + n).collect(),
            notes: &file.notes,
            dropped: file.dropped,
        };
        serde_json::to_writer(&mut *out, &entry)?;
        base += n;
    }
    out.write_all(b"],\"breaches\":[")?;
    let mut base = 0;
    let mut first = true;
    for file in &outcome.files {
        for b in &file.breaches {
            if !first {
                out.write_all(b",")?;
            }
            first = false;
            let shifted = Breach { findings: b.findings.iter().map(|i| i + base).collect(), ..b.clone() };
            serde_json::to_writer(&mut *out, &shifted)?;
        }
        base += file.tally().total();
    }
    out.write_all(b"],\"summary\":")?;
    serde_json::to_writer(&mut *out, &summary(outcome))?;
    writeln!(out, "}}")
}

/// Writes one finding per line, then a `{"summary": …}` line.
pub fn write_lines(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    super::write_per_file(&outcome.files, out, b"", |file, buf| lines_part(&file.findings, buf))?;
    write_summary_line(outcome, out)
}

/// Writes the findings of one file, one per line.
pub fn lines_part(findings: &[Finding], buf: &mut Vec<u8>) -> std::io::Result<()> {
    findings_part(findings, b'\n', buf)?;
    if !findings.is_empty() {
        buf.push(b'\n');
    }
    Ok(())
}

/// Writes the last line of a JSON Lines report: `{"version": 1, "summary": …}`.
pub fn write_summary_line(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    #[derive(Serialize)]
    struct Last<'a> {
        version: u32,
        summary: Summary<'a>,
    }
    serde_json::to_writer(&mut *out, &Last { version: VERSION, summary: summary(outcome) })?;
    writeln!(out)
}
