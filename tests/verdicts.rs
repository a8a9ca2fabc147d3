//! Table-driven verdict cases for free text: `tests/cases/verdicts.toml` lists drafts (breach,
//! safe, staff, wrapped, pronoun, handle, quotation, capitals, lower case) and the verdict each
//! must get from the built-in rules. The cases are written for this file, never taken from an
//! evaluation corpus, so they check behaviour without fitting the measured sets.

use phiscan::engine::Engine;
use phiscan::finding::Verdict;
use phiscan::scan::Scanner;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    why: String,
    text: String,
    verdict: String,
    #[serde(default)]
    staff: Vec<String>,
}

#[test]
fn free_text_drafts_get_their_verdicts() {
    let cases: Cases = toml::from_str(include_str!("cases/verdicts.toml")).expect("tests/cases/verdicts.toml parses");
    assert!(cases.case.len() >= 20, "the table lost its cases");
    let scanner = Scanner::with_defaults(Engine::new(phiscan::rules::builtin::rules().unwrap()).unwrap());
    let mut wrong = Vec::new();
    for c in &cases.case {
        let r = scanner.scan_text("case.txt", c.text.as_bytes());
        let got = if r.verdict == Verdict::Breach { "breach" } else { "safe" };
        if got != c.verdict {
            let found: Vec<String> =
                r.findings.iter().map(|f| format!("{} {} {}", f.category, f.masked, f.severity)).collect();
            wrong.push(format!("{} (want {}, got {got}; findings: {found:?})", c.why, c.verdict));
        }
        for name in &c.staff {
            let staff = r.findings.iter().any(|f| f.masked == *name && f.staff);
            if !staff {
                wrong.push(format!("{}: {name} not reported as staff", c.why));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {} cases wrong:\n{}", wrong.len(), cases.case.len(), wrong.join("\n"));
}
