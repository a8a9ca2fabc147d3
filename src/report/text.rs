//! The text report, for the person about to post: per file a verdict first, then what was found,
//! line by line, and at the end what to do about it.
//!
//! ```text
//! DO NOT POST  drafts/story.md  1 breach: M****** P********* + breast cancer (line 4)
//!   line 4   high    name         M****** P*********   person-name
//!                    diagnosis    b***** c*****
//!   line 9   medium  staff name   D* K*****             person-name
//!   line 12  low     possible name  T****               person-name
//! ```
//!
//! The verdict line names the words that make each breach (identifiers masked; a health term
//! from the dictionaries as written, since a term alone identifies no one), so the reader knows
//! what to change without reading rule ids. Findings of one line share the line's label; the
//! category is said once (the rule id follows, dimmed, only when it differs from the category);
//! names that the evidence marks as staff say so, as do possible names (the name model's doubtful
//! ones, always `low`). `--compact` keeps the older one-line-per-finding form
//! (`path:line:col  severity  category  rule  value`) for scripts that grep it.

use crate::config::Config;
use crate::finding::{Finding, Severity, Verdict};
use crate::scan::{FileResult, Outcome};
use std::io::Write;

/// How text is drawn: colour, and compact or grouped.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// One line per finding (`--compact`).
    pub compact: bool,
}

impl Style {
    /// Returns the style a config asks for.
    pub fn of(config: &Config) -> Style {
        Style { color: config.color, compact: config.compact }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// The longest value shown before the rule column stops lining up.
const VALUE_WIDTH: usize = 28;
/// Breaches spelled out on a verdict line; more are counted.
const BREACHES_SHOWN: usize = 3;
/// Findings named on the verdict line of a file without a breach.
const FINDINGS_SHOWN: usize = 3;

/// Writes the text report.
pub fn write(outcome: &Outcome, config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    let style = Style::of(config);
    super::write_per_file(&outcome.files, out, b"", |file, out| write_file(file, style, out))?;
    write_tail(outcome, style, out)
}

/// Writes the lines of one file: grouped under a verdict, or compact.
pub fn write_file(file: &FileResult, style: Style, out: &mut Vec<u8>) -> std::io::Result<()> {
    if style.compact {
        return write_compact(file, style, out);
    }
    if file.findings.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", verdict_line(file, style))?;
    let groups = groups(&file.findings);
    let key_width = groups.iter().map(|(k, _)| k.chars().count()).max().unwrap_or(0).min(24);
    let value_width = file.findings.iter().map(|f| value(f).chars().count()).max().unwrap_or(0).min(VALUE_WIDTH);
    for (key, members) in &groups {
        for (i, f) in members.iter().enumerate() {
            let place = if i == 0 { key.as_str() } else { "" };
            let category = label(f);
            let value = value(f);
            let rule = if *f.rule == *f.category.as_str() { String::new() } else { style.paint("2", &f.rule) };
            let line = format!(
                "  {place:<key_width$}  {}  {category:<12} {value:<value_width$}  {rule}",
                severity(f.severity, style)
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    // A blank line closes each file's block, so the next verdict stands out.
    writeln!(out)
}

/// Returns the verdict line: what to do with the file, and why.
fn verdict_line(file: &FileResult, style: Style) -> String {
    let tally = file.tally();
    let path = style.paint("1", &file.path);
    if file.verdict == Verdict::Breach && !file.breaches.is_empty() {
        let n = file.breaches.len();
        let mut parts: Vec<String> = file
            .breaches
            .iter()
            .take(BREACHES_SHOWN)
            .map(|b| {
                let members: Vec<&Finding> = b.findings.iter().filter_map(|&i| file.findings.get(i)).collect();
                let at = b.location.clone().unwrap_or_else(|| format!("line {}", b.line));
                // The breach's own summary (identifiers masked, dictionary health terms as
                // written), unless the user asked to see values.
                if members.iter().any(|f| f.value.is_some()) {
                    let words: Vec<String> = members.into_iter().map(word).collect();
                    format!("{} ({at})", words.join(" + "))
                } else {
                    format!("{} ({at})", b.summary)
                }
            })
            .collect();
        if n > BREACHES_SHOWN {
            parts.push(format!("and {} more", n - BREACHES_SHOWN));
        }
        let what = format!("{n} breach{}: {}", if n == 1 { "" } else { "es" }, parts.join("; "));
        return format!("{}  {path}  {what}", style.paint("1;31", "DO NOT POST"));
    }
    let fail_on = file.fail_on.unwrap_or(Severity::High);
    if tally.failing {
        let failing: Vec<&Finding> = file.findings.iter().filter(|f| f.severity >= fail_on).collect();
        let mut named: Vec<String> =
            failing.iter().take(FINDINGS_SHOWN).map(|f| format!("{} {} ({})", label(f), shown(f), place(f))).collect();
        if failing.len() > FINDINGS_SHOWN {
            named.push(format!("and {} more", failing.len() - FINDINGS_SHOWN));
        }
        let n = failing.len();
        let what = format!("{n} finding{} at or above {fail_on}: {}", plural(n), named.join("; "));
        return format!("{}  {path}  {what}", style.paint("1;31", "DO NOT POST"));
    }
    // Below the threshold: what kinds of things, so the reader can judge at a glance.
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for f in &file.findings {
        let l = label(f);
        match kinds.iter_mut().find(|(k, _)| *k == l) {
            Some((_, n)) => *n += 1,
            None => kinds.push((l, 1)),
        }
    }
    let kinds: Vec<String> = kinds.iter().map(|(k, n)| format!("{n} {k}")).collect();
    format!("{}  {path}  no breach: {}", style.paint("1;33", "REVIEW     "), kinds.join(", "))
}

/// Groups findings by line (or by the unit of an extracted format: `row 2`, `page 3`), in order.
fn groups(findings: &[Finding]) -> Vec<(String, Vec<&Finding>)> {
    let mut out: Vec<(String, Vec<&Finding>)> = Vec::new();
    for f in findings {
        let key = match &f.location {
            Some(loc) => loc.split_once(':').map_or(loc.as_str(), |(unit, _)| unit).to_string(),
            None => format!("line {}", f.line),
        };
        match out.last_mut() {
            Some((k, members)) if *k == key => members.push(f),
            _ => out.push((key, vec![f])),
        }
    }
    out
}

/// Returns the value column: the value, and the field of an extracted format (`******* (mrn)`).
fn value(f: &Finding) -> String {
    match field_of(f) {
        Some(field) => format!("{} ({field})", shown(f)),
        None => shown(f).to_string(),
    }
}

/// Returns the part of an extracted location below its unit (`mrn` of `row 2:mrn`).
fn field_of(f: &Finding) -> Option<&str> {
    f.location.as_deref().and_then(|l| l.split_once(':')).map(|(_, field)| field)
}

/// Returns where a finding is, as a person reads it: `line 4`, `row 2:mrn`.
fn place(f: &Finding) -> String {
    f.location.as_ref().map_or_else(|| format!("line {}", f.line), |l| l.to_string())
}

/// Returns the category as shown (`staff name` for staff, `possible name` for a possible find).
fn label(f: &Finding) -> String {
    if f.staff {
        format!("staff {}", f.category)
    } else if f.possible {
        format!("possible {}", f.category)
    } else {
        f.category.as_str().to_string()
    }
}

/// Returns a finding as a breach names it: its value, with the category in front when masking
/// left no letter to recognise it by (`mrn ********`).
fn word(f: &Finding) -> String {
    let v = shown(f);
    if v.chars().any(char::is_alphabetic) {
        v.to_string()
    } else {
        format!("{} {v}", f.category)
    }
}

/// Returns the value as the report may show it: masked unless `--show-values`.
fn shown(f: &Finding) -> &str {
    f.value.as_deref().unwrap_or(&f.masked)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn severity(s: Severity, style: Style) -> String {
    match s {
        Severity::High => style.paint("1;31", "high  "),
        Severity::Medium => style.paint("33", "medium"),
        Severity::Low => style.paint("36", "low   "),
    }
}

/// Writes the older form: `path:line:col  severity  category  rule  value`, then one line per
/// breach; one finding per line so that it greps, sorts and diffs.
fn write_compact(file: &FileResult, style: Style, out: &mut Vec<u8>) -> std::io::Result<()> {
    for f in &file.findings {
        let place = match &f.location {
            Some(loc) => format!("{}:{}", f.path, loc),
            None => format!("{}:{}:{}", f.path, f.line, f.column),
        };
        let category = match (f.staff, f.possible) {
            (true, _) => format!("{}(staff)", f.category),
            (false, true) => format!("{}(possible)", f.category),
            _ => f.category.as_str().to_string(),
        };
        writeln!(
            out,
            "{}  {}  {:<11} {:<24} {}",
            style.paint("35", &place),
            severity(f.severity, style),
            category,
            f.rule,
            shown(f)
        )?;
    }
    for b in &file.breaches {
        writeln!(
            out,
            "{}  {}  {}  ({})",
            style.paint("35", &format!("{}:{}", b.path, b.location.clone().unwrap_or_else(|| b.line.to_string()))),
            style.paint("1;31", "BREACH"),
            b.summary,
            b.explanation
        )?;
    }
    Ok(())
}

/// The command that masks what a report found in place, once phiscan has one: the closing
/// line names it as soon as the subcommand exists, and says it is coming until then.
const REDACT_COMMAND: &str = "redact";

/// Whether this build of phiscan has the redaction subcommand.
fn can_redact() -> bool {
    use clap::CommandFactory;
    crate::cli::Cli::command().find_subcommand(REDACT_COMMAND).is_some()
}

/// Writes the closing lines: what to do next, when anything was found (not in `--compact`).
pub fn write_tail(outcome: &Outcome, style: Style, out: &mut dyn Write) -> std::io::Result<()> {
    if style.compact || outcome.tally().total() == 0 {
        return Ok(());
    }
    let blocked = outcome.files.iter().filter(|f| f.tally().failing).count();
    let tool = if can_redact() {
        format!(" (or let `phiscan {REDACT_COMMAND} --mode mask FILE` write a masked copy)")
    } else {
        format!(" (a `phiscan {REDACT_COMMAND}` command to mask them for you is coming)")
    };
    let head = style.paint("1", "What to do:");
    if blocked > 0 {
        let (n, them) = if blocked == 1 {
            ("that file".to_string(), "it is")
        } else {
            (format!("those {blocked} files"), "they are")
        };
        writeln!(
            out,
            "{head} do not post {n} as {them}. Take out or reword the words named above{tool}, then scan again."
        )?;
    } else {
        writeln!(
            out,
            "{head} nothing here blocks posting. If words above identify a patient, take them out or reword them{tool}."
        )?;
    }
    writeln!(
        out,
        "A false alarm? Add `phiscan:allow RULE -- reason` on its line (RULE: the dimmed id, or the category where none is shown)."
    )
}
