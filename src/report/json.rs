//! JSON and JSON Lines reports: the stable machine contract (`version: 1`).
//!
//! Field names and meanings are documented in the README and never renamed; new fields may be
//! added. `breaches[].findings` index into the document's top-level `findings` array.

use crate::finding::{Breach, Finding, Verdict};
use crate::input::Skipped;
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
    errors: &'a [InputError],
    warnings: Vec<&'a Warning>,
    suppressed: Suppressed,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<&'a str>,
    elapsed_ms: u64,
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
}

fn summary(outcome: &Outcome) -> Summary<'_> {
    use crate::finding::Severity;
    let count = |s: Severity| outcome.findings().filter(|f| f.severity == s).count();
    Summary {
        files_scanned: outcome.files.len(),
        files_skipped: outcome.skipped.len(),
        bytes_scanned: outcome.bytes_scanned(),
        findings: outcome.findings().count(),
        breaches: outcome.files.iter().map(|f| f.breaches.len()).sum(),
        by_severity: BySeverity {
            high: count(Severity::High),
            medium: count(Severity::Medium),
            low: count(Severity::Low),
        },
        skipped: &outcome.skipped,
        errors: &outcome.errors,
        warnings: outcome.warnings().collect(),
        suppressed: outcome.suppressed(),
        scope: outcome.scope.as_deref(),
        elapsed_ms: outcome.elapsed.as_millis() as u64,
    }
}

/// Writes the findings of one file as JSON values separated by `sep`.
fn findings_part(findings: &[Finding], sep: u8, buf: &mut Vec<u8>) -> std::io::Result<()> {
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
    write!(out, "{{\"version\":{VERSION},\"findings\":[")?;
    super::write_per_file(&outcome.files, out, b",", |file, buf| findings_part(&file.findings, b',', buf))?;
    let mut files = Vec::new();
    let mut breaches = Vec::new();
    let mut base = 0;
    for file in &outcome.files {
        let n = file.findings.len();
        files.push(FileEntry {
            path: &file.path,
            verdict: file.verdict,
            findings: (base..base + n).collect(),
            notes: &file.notes,
        });
        breaches.extend(
            file.breaches
                .iter()
                .map(|b| Breach { findings: b.findings.iter().map(|i| i + base).collect(), ..b.clone() }),
        );
        base += n;
    }
    out.write_all(b"],\"files\":")?;
    serde_json::to_writer(&mut *out, &files)?;
    out.write_all(b",\"breaches\":")?;
    serde_json::to_writer(&mut *out, &breaches)?;
    out.write_all(b",\"summary\":")?;
    serde_json::to_writer(&mut *out, &summary(outcome))?;
    writeln!(out, "}}")
}

/// Writes one finding per line, then a `{"summary": …}` line.
pub fn write_lines(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    super::write_per_file(&outcome.files, out, b"", |file, buf| {
        findings_part(&file.findings, b'\n', buf)?;
        if !file.findings.is_empty() {
            buf.push(b'\n');
        }
        Ok(())
    })?;
    #[derive(Serialize)]
    struct Last<'a> {
        version: u32,
        summary: Summary<'a>,
    }
    serde_json::to_writer(&mut *out, &Last { version: VERSION, summary: summary(outcome) })?;
    writeln!(out)
}
