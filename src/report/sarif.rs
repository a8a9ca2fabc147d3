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
/// The breach pseudo-rule's name.
pub const BREACH_NAME: &str = "Breach";
/// The breach pseudo-rule's one-line description.
pub const BREACH_SHORT: &str = "Identifier linked to a health fact";
/// What the breach pseudo-rule reports, for SARIF and `phiscan rules explain phiscan-breach`.
pub const BREACH_DESCRIPTION: &str = "An identifier that points at a person (a patient's name, a record \
    number, a date of birth, a phone number, ...) and a health fact (a diagnosis, a medication, a \
    procedure) in the same sentence, paragraph, list item, table row or JSON object, or in a later \
    sentence that refers back to the person: a likely disclosure of protected health information. \
    It is not a rule of its own but a verdict over the findings it links, which all become high; \
    staff names (Dr, RN, surgeon) do not make a breach.";
/// What to do about a breach.
pub const BREACH_HELP: &str = "Remove the identifier or the health fact, or de-identify the passage. \
    If a linked finding is a false alarm, suppress that finding with `phiscan:allow RULE-ID -- reason` \
    on its line: an allowed value cannot make a breach.";

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

/// Splits a reported path into the file on disk and the member inside it: `export.zip!a/b.csv`
/// is member `a/b.csv` of `export.zip` (nested members stay joined: `c.csv!d.zip!e.txt`).
///
/// Members are named `outer!member`, but a file's own name may hold a `!`: the container is the
/// shortest prefix before a `!` that is a file on disk, unless the whole path is one.
pub fn split_member(path: &str) -> (&str, Option<&str>) {
    if !path.contains('!') || std::path::Path::new(path).is_file() {
        return (path, None);
    }
    let mut first = None;
    for (i, _) in path.match_indices('!') {
        first.get_or_insert(i);
        if std::path::Path::new(&path[..i]).is_file() {
            return (&path[..i], Some(&path[i + 1..]));
        }
    }
    // Not on disk (stdin, or a file that went away): the first `!` is the best guess.
    let i = first.unwrap_or(path.len());
    (&path[..i], path.get(i + 1..))
}

/// Returns a confidence as a short decimal (`0.7`, not the `0.699999988079071` of an f32 widened).
fn short_decimal(x: f32) -> Value {
    let v = (f64::from(x) * 100.0).round() / 100.0;
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
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
        "name": BREACH_NAME,
        "shortDescription": {"text": BREACH_SHORT},
        "fullDescription": {"text": BREACH_DESCRIPTION},
        "help": {"text": BREACH_HELP, "markdown": BREACH_HELP},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security", "phi", "breach"], "precision": "medium", "security-severity": "9.0"},
    }));
    let mut results = Vec::new();
    for file in &outcome.files {
        // A container's member (`export.zip!patients.csv`) has no file of its own in a checkout:
        // its results point at the container and name the member in the message.
        let (on_disk, member) = split_member(&file.path);
        let uri = uri(on_disk);
        // Fingerprints keep hashing the whole reported path, so alerts made before members
        // pointed at their container still match.
        let fp_path = self::uri(&file.path);
        let in_member = member.map(|m| format!(" in {m}")).unwrap_or_default();
        let mut seen = HashMap::new();
        for f in &file.findings {
            let mut fingerprints = json!({"phiscan/masked/v1": masked_fingerprint(&fp_path, f, &mut seen)});
            if let Some(fp) = &f.fingerprint {
                fingerprints["phiscan/v1"] = json!(fp);
            }
            let name = outcome.rules.iter().find(|r| *r.id == *f.rule).map_or(&*f.rule, |r| r.name.as_str());
            let at = f.location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default();
            let staff = if f.staff {
                ", staff"
            } else if f.possible {
                ", possible"
            } else {
                ""
            };
            let shown = if member.is_some() { None } else { region(f) };
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": {"text": format!("{name} ({}{staff}, {} severity): {}{in_member}{at}", f.category, f.severity, f.masked)},
                "locations": [location(&uri, shown)],
                "partialFingerprints": fingerprints,
                "properties": {"category": f.category.as_str(), "severity": f.severity.as_str(), "confidence": short_decimal(f.confidence)},
            });
            if f.staff {
                result["properties"]["role"] = json!("staff");
            }
            if f.possible {
                result["properties"]["possible"] = json!(true);
            }
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
            let shown = if member.is_some() { None } else { breach_region(b) };
            let at = b.location.as_ref().map(|l| format!(" at {l}")).unwrap_or_default();
            results.push(json!({
                "ruleId": BREACH_RULE,
                "ruleIndex": index[BREACH_RULE],
                "level": "error",
                "message": {"text": format!("Breach: {} ({}){in_member}{at}", b.explanation, members.join(", "))},
                "locations": [location(&uri, shown)],
                "partialFingerprints": {"phiscan/masked/v1": breach_fingerprint(&fp_path, &members, &mut seen)},
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
        let (on_disk, member) = split_member(&w.path);
        let region = member.is_none().then(|| json!({"startLine": w.line}));
        json!({"level": "warning", "message": {"text": format!("{}:{}: {}", w.path, w.line, w.message)},
               "locations": [location(&uri(on_disk), region)]})
    }));
    notifications.extend(
        outcome
            .skipped
            .iter()
            .map(|s| json!({"level": "note", "message": {"text": format!("skipped {}: {}", s.path, s.reason)}})),
    );
    notifications.extend(
        super::left_out_lines(&outcome.left_out).into_iter().map(|l| json!({"level": "note", "message": {"text": l}})),
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
    fn confidence_is_a_short_decimal() {
        assert_eq!(short_decimal(0.7).to_string(), "0.7");
        assert_eq!(short_decimal(0.95).to_string(), "0.95");
    }

    #[test]
    fn members_split_from_their_container() {
        assert_eq!(split_member("plain.txt"), ("plain.txt", None));
        assert_eq!(split_member("no-such.zip!a/b.csv"), ("no-such.zip", Some("a/b.csv")));
        assert_eq!(split_member("<stdin>!x.csv!y.txt"), ("<stdin>", Some("x.csv!y.txt")));
    }

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(uri("./notes/a b.txt"), "notes/a%20b.txt");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("dir\\x"), if cfg!(windows) { "dir/x" } else { "dir%5Cx" });
    }
}
