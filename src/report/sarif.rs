//! SARIF 2.1.0: the report GitHub code scanning and other SARIF viewers read.
//!
//! What GitHub needs beyond the schema: unique rule ids with descriptions and help (alert
//! titles come from them), repository-relative `uri`s with a `uriBaseId`, regions, and stable
//! `partialFingerprints` so alerts follow a value when lines move. The log leaves the machine
//! (it is uploaded), so it carries masked values only, in the message text, even with
//! `--show-values`, and never a `snippet`.

use crate::finding::{Breach, Finding, Severity};
use crate::input::{relative_to, slash};
use crate::rules::Rule;
use crate::scan::Outcome;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;

/// The schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The id of the synthetic rule for breaches (an identifier linked to a health fact).
pub const BREACH_RULE: &str = "phiscan-breach";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::High => "8.0",
        Severity::Medium => "5.0",
        Severity::Low => "2.0",
    }
}

/// Returns a display path as a relative URI reference: `/`-separated, percent-encoded.
pub fn uri(path: &str) -> String {
    let p = std::path::Path::new(path);
    let rel = if p.is_absolute() {
        std::env::current_dir().map(|cwd| slash(&relative_to(&cwd, p))).unwrap_or_else(|_| slash(p))
    } else {
        slash(p)
    };
    let rel = rel.strip_prefix("./").unwrap_or(&rel);
    let mut out = String::with_capacity(rel.len());
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_entry(r: &Rule) -> Value {
    let help = format!(
        "{}\n\nRemove or de-identify the value before publishing. If it is not patient information, \
         suppress it on its line with `phiscan:allow {} -- reason`, or accept it in a baseline.",
        r.description.trim(),
        r.id
    );
    json!({
        "id": r.id,
        "name": r.name,
        "shortDescription": {"text": r.name},
        "fullDescription": {"text": r.description.trim()},
        "help": {"text": help, "markdown": help},
        "defaultConfiguration": {"level": level(r.severity)},
        "properties": {
            "tags": ["security", "phi", r.category.as_str()],
            "precision": if r.confidence >= 0.8 { "high" } else if r.confidence >= 0.5 { "medium" } else { "low" },
            "security-severity": security_severity(r.severity),
        },
    })
}

fn region(f: &Finding) -> Option<Value> {
    match (&f.source, &f.location) {
        // Plain text: the value is in the file as is, and masking keeps the number of
        // characters, so the masked value measures the span.
        (Some(src), None) if src.part.is_none() => {
            let width = f.masked.chars().count().max(1);
            Some(json!({"startLine": f.line, "startColumn": f.column, "endLine": f.line, "endColumn": f.column + width,
                        "byteOffset": src.start, "byteLength": src.end - src.start}))
        }
        // An extracted value whose bytes the file holds (a CSV cell, a JSON string, HTML text):
        // where it starts, and its bytes.
        (Some(src), _) if src.part.is_none() => Some(json!({"startLine": f.line, "startColumn": f.column,
                        "byteOffset": src.start, "byteLength": src.end - src.start})),
        // Inside a package part (Word, e-mail transfer encoding) or with no source: the file.
        (_, Some(_)) => None,
        (None, None) => {
            let width = f.masked.chars().count().max(1);
            Some(
                json!({"startLine": f.line, "startColumn": f.column, "endLine": f.line, "endColumn": f.column + width}),
            )
        }
        (Some(_), None) => None,
    }
}

fn breach_region(b: &Breach) -> Option<Value> {
    match &b.source {
        Some(src) if src.part.is_none() => {
            Some(json!({"startLine": b.line, "byteOffset": src.start, "byteLength": src.end - src.start}))
        }
        Some(_) => None,
        None if b.location.is_some() => None,
        None => Some(json!({"startLine": b.line})),
    }
}

fn location(uri: &str, region: Option<Value>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"}});
    if let Some(r) = region {
        physical["region"] = r;
    }
    json!({"physicalLocation": physical})
}

/// Returns a fingerprint that needs no key: the masked value, rule and path (no raw value), plus
/// the occurrence index among equal ones in the file.
fn masked_fingerprint(uri: &str, f: &Finding, seen: &mut HashMap<String, usize>) -> String {
    let mut h = Sha256::new();
    for part in [uri, &f.rule, &f.masked] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    let digest: String = h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();
    let n = seen.entry(digest.clone()).or_default();
    *n += 1;
    format!("{digest}:{n}")
}

fn breach_fingerprint(uri: &str, members: &[String], seen: &mut HashMap<String, usize>) -> String {
    let mut h = Sha256::new();
    h.update(uri.as_bytes());
    for m in members {
        h.update([0]);
        h.update(m.as_bytes());
    }
    let digest: String = h.finalize()[..16].iter().map(|b| format!("{b:02x}")).collect();
    let n = seen.entry(format!("breach:{digest}")).or_default();
    *n += 1;
    format!("breach:{digest}:{n}")
}

/// Writes the SARIF log.
pub fn write(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rules: Vec<Value> = outcome.rules.iter().map(rule_entry).collect();
    let mut index: HashMap<&str, usize> = outcome.rules.iter().enumerate().map(|(i, r)| (r.id.as_str(), i)).collect();
    index.insert(BREACH_RULE, rules.len());
    rules.push(json!({
        "id": BREACH_RULE,
        "name": "Breach",
        "shortDescription": {"text": "Identifier linked to a health fact"},
        "fullDescription": {"text": "An identifier that points at a person and a health fact in the same sentence, \
            paragraph, list item or row: a likely disclosure of protected health information."},
        "help": {"text": "Remove the identifier or the health fact, or de-identify the passage."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security", "phi", "breach"], "precision": "medium", "security-severity": "9.0"},
    }));
    let mut results = Vec::new();
    for file in &outcome.files {
        let uri = uri(&file.path);
        let mut seen = HashMap::new();
        for f in &file.findings {
            let mut fingerprints = json!({"phiscan/masked/v1": masked_fingerprint(&uri, f, &mut seen)});
            if let Some(fp) = &f.fingerprint {
                fingerprints["phiscan/v1"] = json!(fp);
            }
            let name = outcome.rules.iter().find(|r| *r.id == *f.rule).map_or(&*f.rule, |r| r.name.as_str());
            let at = f.location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default();
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": format!("{name} ({}, {} severity): {}{at}", f.category, f.severity, f.masked)},
                "locations": [location(&uri, region(f))],
                "partialFingerprints": fingerprints,
                "properties": {"category": f.category.as_str(), "severity": f.severity.as_str(), "confidence": f.confidence},
            });
            if let Some(&i) = index.get(&*f.rule) {
                result["ruleIndex"] = json!(i);
            }
            results.push(result);
        }
        for b in &file.breaches {
            let members: Vec<String> = b
                .findings
                .iter()
                .filter_map(|&i| file.findings.get(i))
                .map(|f| format!("{} {}", f.category, f.masked))
                .collect();
            results.push(json!({
                "ruleId": BREACH_RULE,
                "ruleIndex": index[BREACH_RULE],
                "level": "error",
                "message": {"text": format!("Breach: {} ({})", b.explanation, members.join(", "))},
                "locations": [location(&uri, breach_region(b))],
                "partialFingerprints": {"phiscan/masked/v1": breach_fingerprint(&uri, &members, &mut seen)},
            }));
        }
    }
    let mut notifications: Vec<Value> = outcome
        .errors
        .iter()
        .map(|e| {
            let text = if e.path.is_empty() { e.message.clone() } else { format!("{}: {}", e.path, e.message) };
            json!({"level": "error", "message": {"text": text}})
        })
        .collect();
    notifications.extend(outcome.warnings().map(|w| {
        json!({"level": "warning", "message": {"text": format!("{}:{}: {}", w.path, w.line, w.message)},
               "locations": [location(&uri(&w.path), Some(json!({"startLine": w.line})))]})
    }));
    notifications.extend(
        outcome
            .skipped
            .iter()
            .map(|s| json!({"level": "note", "message": {"text": format!("skipped {}: {}", s.path, s.reason)}})),
    );
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "phiscan",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": outcome.errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./notes/a b.txt"), "notes/a%20b.txt");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("dir\\x"), if cfg!(windows) { "dir/x" } else { "dir%5Cx" });
    }
}
