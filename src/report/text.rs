//! The text report: one ripgrep-like line per finding, then one line per breach.
//!
//! `path:line:col  severity  category  rule  masked` keeps each finding on one line so that it
//! greps, sorts and diffs; editors and terminals turn `path:line:col` into a link.

use crate::config::Config;
use crate::finding::Severity;
use crate::scan::{FileResult, Outcome};
use std::io::Write;

fn paint(color: bool, code: &str, s: &str) -> String {
    if color {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Writes the text report.
pub fn write(outcome: &Outcome, config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    super::write_per_file(&outcome.files, out, b"", |file, out| write_file(file, config.color, out))
}

/// Writes the lines of one file: its findings, then its breaches.
pub fn write_file(file: &FileResult, c: bool, out: &mut Vec<u8>) -> std::io::Result<()> {
    for f in &file.findings {
        let sev = match f.severity {
            Severity::High => paint(c, "1;31", "high  "),
            Severity::Medium => paint(c, "33", "medium"),
            Severity::Low => paint(c, "36", "low   "),
        };
        let place = match &f.location {
            Some(loc) => format!("{}:{}", f.path, loc),
            None => format!("{}:{}:{}", f.path, f.line, f.column),
        };
        let shown = f.value.as_deref().unwrap_or(&f.masked);
        writeln!(out, "{}  {}  {:<11} {:<24} {}", paint(c, "35", &place), sev, f.category.as_str(), f.rule, shown)?;
    }
    for b in &file.breaches {
        writeln!(
            out,
            "{}  {}  {}  ({})",
            paint(c, "35", &format!("{}:{}", b.path, b.location.clone().unwrap_or_else(|| b.line.to_string()))),
            paint(c, "1;31", "BREACH"),
            b.summary,
            b.explanation
        )?;
    }
    Ok(())
}
