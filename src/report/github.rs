//! GitHub Actions workflow commands: each finding becomes an annotation on the pull request.
//!
//! `::error file=…,line=…,col=…,title=…::message`. Findings at or above the file's `fail_on`
//! are errors, others warnings (medium) or notices (low). Values are masked unless
//! `--show-values`; data and properties are escaped as the runner expects, so a path or a value
//! holding `,` `:` or a newline cannot forge another command.

use crate::finding::Severity;
use crate::scan::Outcome;
use std::io::Write;

fn escape_data(s: &str) -> String {
    // Other control characters (an ESC) are made visible first; line breaks are the runner's.
    let s: String = s.chars().map(|c| if c.is_control() && c != '\n' && c != '\r' { ' ' } else { c }).collect();
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Writes one workflow command per finding, breach and error.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    for file in &outcome.files {
        let path = escape_property(&file.path);
        for f in &file.findings {
            let command = if Outcome::fails(file, f) {
                "error"
            } else if f.severity == Severity::Medium {
                "warning"
            } else {
                "notice"
            };
            let title = escape_property(&format!("phiscan {} ({} {})", f.rule, f.severity, f.category));
            let shown = f.value.as_deref().unwrap_or(&f.masked);
            let at = f.location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default();
            let end = f.column + f.masked.chars().count().max(1);
            writeln!(
                out,
                "::{command} file={path},line={},col={},endColumn={end},title={title}::{}",
                f.line,
                f.column,
                escape_data(&format!("{} {}: {shown}{at}", f.category, f.rule,)),
            )?;
        }
        for b in &file.breaches {
            writeln!(
                out,
                "::error file={path},line={},title={}::{}",
                b.line,
                escape_property("phiscan breach"),
                escape_data(&format!("Breach: {}", b.explanation))
            )?;
        }
    }
    for e in &outcome.errors {
        let text = if e.path.is_empty() { e.message.clone() } else { format!("{}: {}", e.path, e.message) };
        writeln!(out, "::error title=phiscan error::{}", escape_data(&text))?;
    }
    for w in outcome.warnings() {
        writeln!(
            out,
            "::warning file={},line={},title=phiscan::{}",
            escape_property(&w.path),
            w.line,
            escape_data(&w.message)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_cannot_be_forged() {
        assert_eq!(escape_property("a,b:c\nd%"), "a%2Cb%3Ac%0Ad%25");
        assert_eq!(escape_data("x\r\n::error::y"), "x%0D%0A::error::y");
    }
}
