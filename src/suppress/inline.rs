//! Inline suppressions: `phiscan:allow` comments written beside the text they excuse.
//!
//! Three forms, in any comment syntax (`#`, `//`, `<!-- -->`, or none):
//! `phiscan:allow` (every finding on this line), `phiscan:allow RULE-ID[,RULE-ID]` (only those
//! rules), and `phiscan:allow-next-line [RULE-ID,…]` (the line below). A reason may follow `--`.
//! They act on scored candidates before breach linking, like the config allow-list, so an
//! allowed value cannot make a breach. Lines are counted in the source a person edits: for an
//! extracted format (HTML, CSV, JSON, e-mail) a directive excuses the findings whose source is
//! on its line, so `<!-- phiscan:allow -->` works in `.html` as in `.md`. A directive that excused nothing, or that names no active
//! rule, becomes a [`Warning`]: a stale suppression is a hole waiting for the next value.

use super::Warning;
use crate::rules::Rule;
use crate::score::Scored;
use crate::text::LineIndex;

const MARKER: &[u8] = b"phiscan:allow";
const NEXT_LINE: &[u8] = b"-next-line";

/// One `phiscan:allow` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The 1-based line the comment is on.
    pub line: usize,
    /// The 1-based line it excuses.
    pub target: usize,
    /// The rule ids it names; empty for every rule.
    pub rules: Vec<String>,
}

/// Returns every directive in `text`, in order.
pub fn parse(text: &[u8]) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut lines = LineIndex::new(text);
    for pos in memchr::memmem::find_iter(text, MARKER) {
        let line_end = memchr::memchr(b'\n', &text[pos..]).map_or(text.len(), |i| pos + i);
        let mut rest = &text[pos + MARKER.len()..line_end];
        let next_line = rest.starts_with(NEXT_LINE);
        if next_line {
            rest = &rest[NEXT_LINE.len()..];
        }
        // `phiscan:allowed`, `phiscan:allow-foo` are prose, not directives; `--` starts a reason.
        if rest.first().is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && !rest.starts_with(b"--")
        {
            continue;
        }
        let (line, _) = lines.locate(pos);
        out.push(Directive { line, target: line + usize::from(next_line), rules: rule_ids(rest) });
    }
    out
}

/// Reads `id[,id]…` after the marker, stopping at `--` (a reason) or anything that is not an id.
fn rule_ids(mut rest: &[u8]) -> Vec<String> {
    let trim = |s: &[u8]| -> usize { s.iter().take_while(|b| **b == b' ' || **b == b'\t').count() };
    let mut ids = Vec::new();
    rest = &rest[trim(rest)..];
    while rest.first().is_some_and(u8::is_ascii_alphanumeric) {
        let n = rest.iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b'_').count();
        ids.push(String::from_utf8_lossy(&rest[..n]).to_ascii_lowercase());
        rest = &rest[n..];
        rest = &rest[trim(rest)..];
        if rest.first() != Some(&b',') {
            break;
        }
        rest = &rest[1..];
        rest = &rest[trim(rest)..];
    }
    ids
}

/// Returns which candidates the directives in `text` excuse (`lines[k]` is the line of
/// `text` candidate `k` is on) and the warnings for directives that excused nothing or name no
/// active rule.
pub fn apply(path: &str, text: &[u8], rules: &[Rule], scored: &[Scored], lines: &[usize]) -> (Vec<bool>, Vec<Warning>) {
    let directives = parse(text);
    if directives.is_empty() {
        return (vec![false; scored.len()], Vec::new());
    }
    let mut used = vec![false; directives.len()];
    let excused: Vec<bool> = scored
        .iter()
        .zip(lines)
        .map(|(s, &line)| {
            let id = &rules[s.candidate.rule].id;
            let mut excused = false;
            for (d, u) in directives.iter().zip(used.iter_mut()) {
                if d.target == line && (d.rules.is_empty() || d.rules.iter().any(|r| r == id)) {
                    *u = true;
                    excused = true;
                }
            }
            excused
        })
        .collect();
    let mut warnings = Vec::new();
    for (d, u) in directives.iter().zip(&used) {
        // Rule ids are shown as typed, never masked: they are not patient data (the parser
        // takes only letters, digits, `-` and `_`), and a masked typo cannot be fixed.
        let unknown: Vec<String> = d
            .rules
            .iter()
            .filter(|r| !rules.iter().any(|x| &x.id == *r))
            .map(|r| match closest(r, rules) {
                Some(id) => format!("{r} (did you mean {id}?)"),
                None => r.clone(),
            })
            .collect();
        if !unknown.is_empty() {
            let message = format!("phiscan:allow names no active rule: {}", unknown.join(", "));
            warnings.push(Warning { path: path.to_string(), line: d.line, message });
        } else if !u {
            let what = if d.target == d.line { "this line" } else { "the next line" };
            let message = format!("phiscan:allow matched no finding on {what}; remove it");
            warnings.push(Warning { path: path.to_string(), line: d.line, message });
        }
    }
    (excused, warnings)
}

/// Returns the active rule id nearest to a mistyped `id` (at most two edits away), if any.
fn closest<'a>(id: &str, rules: &'a [Rule]) -> Option<&'a str> {
    let limit = if id.len() <= 4 { 1 } else { 2 };
    rules.iter().map(|r| (edit_distance(id, &r.id), r.id.as_str())).filter(|(d, _)| *d <= limit).min().map(|(_, id)| id)
}

/// Returns the Levenshtein distance between two short ASCII strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(super::edit_distance("us-snn", "us-ssn"), 1);
        assert_eq!(super::edit_distance("phone", "phone-number"), 7);
        assert_eq!(super::edit_distance("", "ab"), 2);
    }

    use super::*;

    #[test]
    fn parses_every_form() {
        let text = b"a # phiscan:allow\nb // phiscan:allow us-ssn,us-phone -- public test data\n\
            <!-- phiscan:allow-next-line mrn-labelled -->\nc phiscan:allowed\nd phiscan:allow -- why\n\
            e /* phiscan:allow us-ssn, us-npi */";
        let d = parse(text);
        assert_eq!(d.len(), 5, "{d:?}");
        assert_eq!(d[0], Directive { line: 1, target: 1, rules: vec![] });
        assert_eq!(d[1].rules, ["us-ssn", "us-phone"]);
        assert_eq!((d[2].line, d[2].target), (3, 4));
        assert_eq!(d[2].rules, ["mrn-labelled"]);
        assert_eq!(d[3], Directive { line: 5, target: 5, rules: vec![] });
        assert_eq!(d[4].rules, ["us-ssn", "us-npi"]);
    }
}
