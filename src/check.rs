//! `rules check`: every rule must find its examples and none of its negative examples.
//!
//! Examples run through the whole scanner (engine, validators, context, overlaps) with every
//! active rule, so an example that another rule steals, or that context pushes below the
//! reporting threshold, fails here as it would fail a user. Examples of field rules
//! (`detector = "field"`) are CSV, a header line then rows, and run through the CSV extractor.

use crate::engine::Engine;
use crate::error::Result;
use crate::rules::Rule;
use crate::scan::{FileResult, Scanner};
use crate::score::field::is_field_rule;

/// One failed expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckFailure {
    /// The rule whose example failed.
    pub rule: String,
    /// What went wrong (the example is synthetic, so it may be quoted).
    pub message: String,
}

/// Checks every rule's examples; returns the failures (empty when all pass) and the number of
/// examples run.
pub fn check(rules: Vec<Rule>) -> Result<(Vec<CheckFailure>, usize)> {
    let scanner = Scanner::with_defaults(Engine::new(rules)?);
    let mut failures = Vec::new();
    let mut count = 0;
    for rule in scanner.engine().rules() {
        let run = |ex: &str| -> FileResult {
            if is_field_rule(rule) {
                scanner.scan_document("example.csv", &crate::extract::table::extract_csv(ex.as_bytes(), None))
            } else {
                scanner.scan_text("example", ex.as_bytes())
            }
        };
        for ex in &rule.examples {
            count += 1;
            let found = run(ex);
            // A field rule adds a finding only where no other rule reported the cell's category;
            // where one did, the field raised that finding instead. Either way the cell is found.
            let hit = |f: &crate::finding::Finding| {
                *f.rule == *rule.id || (is_field_rule(rule) && f.category == rule.category)
            };
            if !found.findings.iter().any(hit) {
                let others: Vec<&str> = found.findings.iter().map(|f| &*f.rule).collect();
                failures.push(CheckFailure {
                    rule: rule.id.clone(),
                    message: format!("example not found: {ex:?} (found instead: {others:?})"),
                });
            }
        }
        for ex in &rule.negative_examples {
            count += 1;
            let found = run(ex);
            if found.findings.iter().any(|f| *f.rule == *rule.id) {
                failures
                    .push(CheckFailure { rule: rule.id.clone(), message: format!("negative example matched: {ex:?}") });
            }
        }
        if rule.examples.is_empty() && rule.origin.starts_with("built-in") {
            failures.push(CheckFailure { rule: rule.id.clone(), message: "built-in rule without examples".into() });
        }
    }
    Ok((failures, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_pass_their_own_examples() {
        let (failures, count) = check(crate::rules::builtin::rules().unwrap()).unwrap();
        assert!(count > 40, "too few examples: {count}");
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
