//! JSON and JSON Lines: string and number values with their key as context.
//!
//! API dumps, form exports and FHIR bundles are JSON. Each value is emitted as `key: value`
//! (so `"mrn": 40719385` reads like a labelled MRN), located by its key path
//! (`$.entry[3].resource.name[0].family`) and fielded by its key, or by what FHIR says it is (a
//! Condition's `code.text` is a diagnosis, an `identifier` of type `MR` an MRN). Each top-level
//! object, each element of a top-level array, each FHIR Bundle entry (a Patient together with the
//! entries whose `subject` refers to it) and each JSON Lines line is one linking unit. serde_json refuses nesting deeper than 128 levels; that, like any syntax
//! error, is a clean per-file error naming the line and column, never the content.

use super::{humanize, Builder, Document, Problem};
use serde_json::{Map, Value};

/// Extracts one JSON document.
pub fn extract(text: &[u8]) -> Result<Document, Problem> {
    let value: Value = serde_json::from_slice(text).map_err(|e| Problem::Error(describe(&e, None)))?;
    let mut b = Builder::new();
    top_level(&mut b, &value, "$", "");
    Ok(b.finish())
}

/// Extracts JSON Lines / NDJSON: each line one value, one unit; a bad line is noted and
/// scanned as plain text.
pub fn extract_lines(text: &[u8]) -> Document {
    let mut b = Builder::new();
    let mut bad = Vec::new();
    for (i, line) in text.split(|c| *c == b'\n').enumerate() {
        let n = i + 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        match serde_json::from_slice::<Value>(line) {
            Ok(v) => {
                b.start_unit();
                walk(&mut b, &v, &mut "$".to_string(), &mut Vec::new(), None, &format!("line {n}:"));
                b.end_unit("line", format!("line {n}"));
            }
            Err(e) => {
                b.start_unit();
                b.text_block(&String::from_utf8_lossy(line), format!("line {n}"));
                b.end_unit("line", format!("line {n}"));
                if bad.len() < 3 {
                    bad.push(describe(&e, Some(n)));
                } else {
                    bad.push(String::new());
                }
            }
        }
    }
    if !bad.is_empty() {
        let shown: Vec<&str> = bad.iter().map(String::as_str).filter(|s| !s.is_empty()).collect();
        b.note(format!(
            "{} line{} not valid JSON, scanned as plain text ({})",
            bad.len(),
            if bad.len() == 1 { " is" } else { "s are" },
            shown.join("; ")
        ));
    }
    b.finish()
}

/// Describes a JSON error by position and kind, never by content.
fn describe(e: &serde_json::Error, line: Option<usize>) -> String {
    let line_no = line.unwrap_or(e.line());
    let at = format!("line {line_no}, column {}", e.column());
    if e.to_string().starts_with("recursion limit exceeded") {
        return format!("JSON nested deeper than 128 levels ({at}); not scanned");
    }
    match e.classify() {
        serde_json::error::Category::Eof => format!("truncated JSON (ends inside a value at {at})"),
        _ => format!("not valid JSON (syntax error at {at}); use --type text to scan it as plain text"),
    }
}

fn top_level(b: &mut Builder, value: &Value, root: &str, prefix: &str) {
    match value {
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let path = format!("{root}[{i}]");
                b.start_unit();
                walk(b, v, &mut path.clone(), &mut Vec::new(), None, prefix);
                b.end_unit("object", format!("{prefix}{path}"));
            }
        }
        Value::Object(map) if is_bundle(map) => {
            b.start_unit();
            for (k, v) in map.iter().filter(|(k, _)| *k != "entry") {
                let mut path = format!("{root}{}", key_path(k));
                walk(b, v, &mut path, &mut vec![k.clone()], resource_type(map), prefix);
            }
            b.end_unit("object", format!("{prefix}{root}"));
            if let Some(Value::Array(entries)) = map.get("entry") {
                for group in patient_groups(entries) {
                    b.start_unit();
                    for &i in &group {
                        let mut path = format!("{root}.entry[{i}]");
                        walk(b, &entries[i], &mut path, &mut vec!["entry".to_string()], None, prefix);
                    }
                    b.end_unit("entry", format!("{prefix}{root}.entry[{}]", group[0]));
                }
            }
        }
        other => {
            b.start_unit();
            walk(b, other, &mut root.to_string(), &mut Vec::new(), None, prefix);
            b.end_unit("object", format!("{prefix}{root}"));
        }
    }
}

/// Groups Bundle entries for linking: each Patient with the entries whose `subject` or
/// `patient` refers to it (a Condition about that patient is about that person), every other
/// entry alone. Groups are in order of their first entry.
fn patient_groups(entries: &[Value]) -> Vec<Vec<usize>> {
    let resource = |e: &Value| e.get("resource").cloned().unwrap_or(Value::Null);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut refs: Vec<(String, usize)> = Vec::new(); // reference → group
    for (i, e) in entries.iter().enumerate() {
        let r = resource(e);
        if r.get("resourceType").and_then(Value::as_str) == Some("Patient") {
            let g = groups.len();
            groups.push(vec![i]);
            if let Some(url) = e.get("fullUrl").and_then(Value::as_str) {
                refs.push((url.to_string(), g));
            }
            if let Some(id) = r.get("id").and_then(Value::as_str) {
                refs.push((format!("Patient/{id}"), g));
            }
        }
    }
    let mut grouped = vec![false; entries.len()];
    for g in &groups {
        grouped[g[0]] = true;
    }
    for (i, e) in entries.iter().enumerate() {
        if grouped[i] {
            continue;
        }
        let r = resource(e);
        let target = ["subject", "patient", "beneficiary"]
            .iter()
            .find_map(|k| r.get(k).and_then(|s| s.get("reference")).and_then(Value::as_str))
            .and_then(|t| refs.iter().find(|(url, _)| url == t || t.ends_with(&format!("/{url}"))).map(|x| x.1));
        match target {
            Some(g) => groups[g].push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

fn is_bundle(map: &Map<String, Value>) -> bool {
    resource_type(map) == Some("Bundle") && map.get("entry").is_some_and(Value::is_array)
}

fn resource_type(map: &Map<String, Value>) -> Option<&str> {
    map.get("resourceType").and_then(Value::as_str)
}

fn key_path(k: &str) -> String {
    let plain = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!(".{k}")
    } else {
        format!("[{}]", serde_json::to_string(k).unwrap_or_default())
    }
}

fn walk(b: &mut Builder, v: &Value, path: &mut String, keys: &mut Vec<String>, resource: Option<&str>, prefix: &str) {
    match v {
        Value::Object(map) => {
            let resource = resource_type(map).or(resource);
            let identifier = identifier_kind(map, keys);
            for (k, child) in map {
                let len = path.len();
                path.push_str(&key_path(k));
                keys.push(k.clone());
                if k == "value" && identifier.is_some() && !child.is_object() {
                    leaf(b, child, path, identifier, prefix);
                } else {
                    walk(b, child, path, keys, resource, prefix);
                }
                keys.pop();
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(b, child, path, keys, resource, prefix);
                path.truncate(len);
            }
        }
        Value::String(_) | Value::Number(_) => {
            let field = fhir_field(resource, keys).or_else(|| plain_field(keys));
            leaf(b, v, path, field, prefix);
        }
        Value::Bool(_) | Value::Null => {}
    }
}

fn leaf(b: &mut Builder, v: &Value, path: &str, field: Option<&str>, prefix: &str) {
    let text = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return,
    };
    let label = field.map(humanize);
    b.value(label.as_deref(), &text, format!("{prefix}{path}"), field);
}

/// Keys that say nothing by themselves: the field is then the nearest meaningful parent key.
const GENERIC_KEYS: &[&str] = &["value", "text", "display", "line", "#text", "div", "valueString"];

fn plain_field(keys: &[String]) -> Option<&str> {
    keys.iter().rev().map(String::as_str).find(|k| !GENERIC_KEYS.contains(k)).or(keys.last().map(String::as_str))
}

/// Returns what FHIR says a coded value is: the text of a Condition's code is a diagnosis.
fn fhir_field(resource: Option<&str>, keys: &[String]) -> Option<&'static str> {
    let last = keys.last()?.as_str();
    if !matches!(last, "text" | "display") {
        return None;
    }
    let under = |k: &str| keys.iter().any(|x| x == k);
    match resource? {
        "Condition" | "AllergyIntolerance" | "FamilyMemberHistory" if under("code") => Some("diagnosis"),
        "MedicationStatement"
        | "MedicationRequest"
        | "MedicationAdministration"
        | "MedicationDispense"
        | "Medication"
            if under("medicationCodeableConcept") || under("code") || under("medication") =>
        {
            Some("medication")
        }
        "Procedure" if under("code") => Some("procedure"),
        _ => None,
    }
}

/// Returns the field of an `identifier` object's value from its system or type code.
fn identifier_kind(map: &Map<String, Value>, keys: &[String]) -> Option<&'static str> {
    if keys.last().map(String::as_str) != Some("identifier") || !map.contains_key("value") {
        return None;
    }
    let system = map.get("system").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    let codes: Vec<&str> = map
        .get("type")
        .and_then(|t| t.get("coding"))
        .and_then(Value::as_array)
        .map(|c| c.iter().filter_map(|x| x.get("code").and_then(Value::as_str)).collect())
        .unwrap_or_default();
    if system.contains("us-ssn") || codes.contains(&"SS") {
        Some("ssn")
    } else if codes.contains(&"MR") || system.contains("mrn") {
        Some("mrn")
    } else if codes.contains(&"MB") || codes.contains(&"MA") || codes.contains(&"MC") {
        Some("member_id")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_carry_key_paths_and_fields() {
        let d = extract(br#"[{"patient_name": "Hope", "mrn": 4071938, "ok": true}, {"notes": ["a b"]}]"#).unwrap();
        let text = String::from_utf8(d.text.clone()).unwrap();
        assert!(text.contains("patient name: Hope\nmrn: 4071938\n"), "{text}");
        let locs: Vec<&str> = d.segments.iter().map(|s| s.location.as_str()).collect();
        assert_eq!(locs, vec!["$[0].patient_name", "$[0].mrn", "$[1].notes[0]"]);
        assert_eq!(d.unit_locations, vec!["$[0]", "$[1]"]);
    }

    #[test]
    fn fhir_bundles_link_per_entry_and_know_conditions() {
        let bundle = br#"{"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "4071938"}],
                          "name": [{"family": "Achterberg", "given": ["Delphine"]}]}},
            {"resource": {"resourceType": "Condition", "code": {"coding": [{"display": "Type 2 diabetes"}], "text": "diabetes"}}}]}"#;
        let d = extract(bundle).unwrap();
        let field = |loc: &str| d.segments.iter().find(|s| s.location == loc).and_then(|s| s.field.clone());
        assert_eq!(field("$.entry[0].resource.identifier[0].value").as_deref(), Some("mrn"));
        assert_eq!(field("$.entry[0].resource.name[0].family").as_deref(), Some("family"));
        assert_eq!(field("$.entry[1].resource.code.text").as_deref(), Some("diagnosis"));
        assert_eq!(field("$.entry[1].resource.code.coding[0].display").as_deref(), Some("diagnosis"));
        assert_eq!(d.unit_locations, vec!["$", "$.entry[0]", "$.entry[1]"]);
        let linked = br#"{"resourceType": "Bundle", "entry": [
            {"fullUrl": "urn:uuid:p1", "resource": {"resourceType": "Patient", "id": "p1"}},
            {"resource": {"resourceType": "Observation", "status": "final"}},
            {"resource": {"resourceType": "Condition", "subject": {"reference": "Patient/p1"}}}]}"#;
        let d = extract(linked).unwrap();
        assert_eq!(d.unit_locations, vec!["$", "$.entry[0]", "$.entry[1]"]);
        let cond = d.segments.iter().find(|s| s.location.starts_with("$.entry[2]")).unwrap();
        assert!(cond.start >= d.units[1].start && cond.end <= d.units[1].end, "condition joins its patient");
    }

    #[test]
    fn deep_nesting_is_a_clean_error() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        match extract(deep.as_bytes()) {
            Err(Problem::Error(m)) => assert!(m.contains("deeper than 128"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(extract(b"{\"a\": "), Err(Problem::Error(m)) if m.contains("truncated")));
    }

    #[test]
    fn json_lines_are_units_and_bad_lines_are_noted() {
        let d = extract_lines(b"{\"mrn\": \"4071938\"}\nnot json\n\n{\"dx\": \"asthma\"}\n");
        assert_eq!(d.unit_locations, vec!["line 1", "line 2", "line 4"]);
        assert_eq!(d.segments[0].location, "line 1:$.mrn");
        assert_eq!(d.notes.len(), 1);
    }
}
