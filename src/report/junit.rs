//! JUnit XML: the report every CI system can show as a test result.
//!
//! One `<testcase>` per scanned file; each finding at or above the file's `fail_on` and each
//! breach is a `<failure>` in it (lower findings go to `<system-out>`); skipped files are
//! `<skipped/>` and errors `<error/>`. Every attribute and text is escaped, and characters XML
//! 1.0 cannot hold are replaced, so any path or value makes a well-formed document.

use crate::scan::Outcome;
use std::io::Write;

/// Returns `s` escaped for XML text and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Writes the JUnit document.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let mut cases = String::new();
    let mut failures = 0;
    for file in &outcome.files {
        let path = escape(&file.path);
        let mut failed = String::new();
        let mut other = String::new();
        for f in &file.findings {
            let shown = f.value.as_deref().unwrap_or(&f.masked);
            let place = f.location.as_deref().map_or_else(|| format!("{}:{}", f.line, f.column), str::to_string);
            let line = format!("{}:{place} {} {} {} {shown}", file.path, f.severity, f.category, f.rule);
            if Outcome::fails(file, f) {
                failed.push_str(&format!(
                    "      <failure type=\"{}\" message=\"{}\">{}</failure>\n",
                    escape(&f.rule),
                    escape(&line),
                    escape(&format!("{line} (confidence {:.2})", f.confidence))
                ));
            } else {
                other.push_str(&line);
                other.push('\n');
            }
        }
        for b in &file.breaches {
            let line = format!("{}:{} BREACH {}", file.path, b.line, b.explanation);
            failed.push_str(&format!(
                "      <failure type=\"breach\" message=\"{}\">{}</failure>\n",
                escape(&line),
                escape(&line)
            ));
        }
        if !failed.is_empty() {
            failures += 1;
        }
        let system_out = if other.is_empty() {
            String::new()
        } else {
            format!("      <system-out>{}</system-out>\n", escape(&other))
        };
        cases.push_str(&format!(
            "    <testcase classname=\"phiscan\" name=\"{path}\" file=\"{path}\">\n{failed}{system_out}    </testcase>\n"
        ));
    }
    for s in &outcome.skipped {
        let path = escape(&s.path);
        cases.push_str(&format!(
            "    <testcase classname=\"phiscan\" name=\"{path}\" file=\"{path}\">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
            escape(&s.reason)
        ));
    }
    for e in &outcome.errors {
        let name = if e.path.is_empty() { "phiscan".to_string() } else { escape(&e.path) };
        cases.push_str(&format!(
            "    <testcase classname=\"phiscan\" name=\"{name}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
            escape(&e.message)
        ));
    }
    let tests = outcome.files.len() + outcome.skipped.len() + outcome.errors.len();
    let counts = format!(
        "tests=\"{tests}\" failures=\"{failures}\" errors=\"{}\" skipped=\"{}\" time=\"{:.3}\"",
        outcome.errors.len(),
        outcome.skipped.len(),
        outcome.elapsed.as_secs_f64()
    );
    writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
    writeln!(out, "<testsuites name=\"phiscan\" {counts}>")?;
    writeln!(out, "  <testsuite name=\"phiscan\" {counts}>")?;
    out.write_all(cases.as_bytes())?;
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_invalid_characters() {
        assert_eq!(escape("a<b>&\"'\u{1}"), "a&lt;b&gt;&amp;&quot;&apos;\u{FFFD}");
    }
}
