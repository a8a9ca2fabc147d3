//! JSON and JSON Lines: string and number values with their key as context.
//!
//! API dumps, form exports and FHIR bundles are JSON. Each value is emitted as `key: value`
//! (so `"mrn": 40719385` reads like a labelled MRN), located by its key path
//! (`$.entry[3].resource.name[0].family`) and fielded by its key, or by what FHIR says it is (a
//! Condition's `code.text` is a diagnosis, an `identifier` of type `MR` an MRN). Each top-level
//! object, each element of a top-level array, each FHIR Bundle entry (a Patient together with
//! the entries whose `subject` refers to it) and each JSON Lines line is one linking unit.
//!
//! The parser is our own: every string and number keeps the byte range it came from (an escape
//! such as `\u00e9` maps to its six bytes), which serde_json's values do not, and the same
//! parser reads JSON pasted into prose, where a payload is often cut off mid-array: there it
//! keeps what it read up to the cut (see [`parse_lenient`]). Nesting deeper than 128 levels
//! (serde_json's limit), like any syntax error, is a clean per-file error naming the line and
//! column, never the content.
//!
//! Complexity: parsing and walking are linear in the input; Bundle entries are linked to their
//! Patient through a hash map of references (O(entries × reference length)); object keys are
//! looked up in a linear scan of that object's keys, once per known key.

use super::{humanize, Builder, Document, Problem};
use crate::text::{LineTable, Mapped};

/// Nesting deeper than this is refused (a stack-exhaustion guard, as in serde_json).
pub const MAX_DEPTH: usize = 128;

/// A parsed JSON value and the byte range of its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Value {
    /// Byte offset of the value's first byte.
    pub start: usize,
    /// Byte offset one past its last byte (where parsing stopped, for a cut-off value).
    pub end: usize,
    /// What it is.
    pub node: Node,
}

/// The kinds of JSON value; strings and numbers keep their source map.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// An object's members in order: decoded key, value.
    Object(Vec<(String, Value)>),
    /// An array's elements.
    Array(Vec<Value>),
    /// A string, decoded, mapped to the bytes inside its quotes.
    String(Mapped),
    /// A number as written.
    Number(Mapped),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
}

impl Value {
    /// Returns the member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.node {
            Node::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Returns the text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.node {
            Node::String(s) => Some(s.as_str()),
            _ => None,
        }
    }
}

/// Why a parse stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The text ended inside a value.
    Eof,
    /// A byte that JSON does not allow there.
    Syntax,
    /// Nesting deeper than [`MAX_DEPTH`].
    Depth,
}

struct Parser<'a> {
    t: &'a [u8],
    i: usize,
    depth: usize,
    stop: Option<(Stop, usize)>,
    /// Prose mode: a trailing comma before `]` or `}` is tolerated.
    lenient: bool,
}

impl Parser<'_> {
    fn fail(&mut self, why: Stop) {
        if self.stop.is_none() {
            self.stop = Some((why, self.i));
        }
    }

    fn ws(&mut self) {
        while self.i < self.t.len() && matches!(self.t[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.t.get(self.i).copied()
    }

    /// Parses one value at the current position; `None` when nothing could be read.
    fn value(&mut self) -> Option<Value> {
        self.ws();
        let start = self.i;
        let node = match self.peek() {
            None => {
                self.fail(Stop::Eof);
                return None;
            }
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Node::String(self.string()),
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b't') => self.literal(b"true", Node::Bool(true))?,
            Some(b'f') => self.literal(b"false", Node::Bool(false))?,
            Some(b'n') => self.literal(b"null", Node::Null)?,
            Some(_) => {
                self.fail(Stop::Syntax);
                return None;
            }
        };
        Some(Value { start, end: self.i, node })
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.fail(Stop::Depth);
            return false;
        }
        true
    }

    fn object(&mut self) -> Option<Node> {
        if !self.enter() {
            return None;
        }
        self.i += 1;
        let mut members = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                None => {
                    self.fail(Stop::Eof);
                    break;
                }
                Some(b'}') => {
                    self.i += 1;
                    break;
                }
                Some(b',') if !members.is_empty() => {
                    self.i += 1;
                    self.ws();
                    if self.lenient && self.peek() == Some(b'}') {
                        self.i += 1;
                        break;
                    }
                }
                Some(_) if !members.is_empty() => {
                    self.fail(Stop::Syntax);
                    break;
                }
                Some(_) => {}
            }
            self.ws();
            match self.peek() {
                Some(b'"') => {}
                None => {
                    self.fail(Stop::Eof);
                    break;
                }
                Some(_) => {
                    self.fail(Stop::Syntax);
                    break;
                }
            }
            let key = self.string();
            if self.stop.is_some() {
                break;
            }
            self.ws();
            match self.peek() {
                Some(b':') => self.i += 1,
                None => {
                    self.fail(Stop::Eof);
                    break;
                }
                Some(_) => {
                    self.fail(Stop::Syntax);
                    break;
                }
            }
            if let Some(v) = self.value() {
                members.push((key.as_str().to_string(), v));
            }
            if self.stop.is_some() {
                break;
            }
        }
        self.depth -= 1;
        Some(Node::Object(members))
    }

    fn array(&mut self) -> Option<Node> {
        if !self.enter() {
            return None;
        }
        self.i += 1;
        let mut items = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                None => {
                    self.fail(Stop::Eof);
                    break;
                }
                Some(b']') => {
                    self.i += 1;
                    break;
                }
                Some(b',') if !items.is_empty() => {
                    self.i += 1;
                    self.ws();
                    if self.lenient && self.peek() == Some(b']') {
                        self.i += 1;
                        break;
                    }
                }
                Some(_) if !items.is_empty() => {
                    self.fail(Stop::Syntax);
                    break;
                }
                Some(_) => {}
            }
            if let Some(v) = self.value() {
                items.push(v);
            }
            if self.stop.is_some() {
                break;
            }
        }
        self.depth -= 1;
        Some(Node::Array(items))
    }

    /// Reads a string (the position is at its opening quote), decoding escapes.
    fn string(&mut self) -> Mapped {
        let t = self.t;
        let mut m = Mapped::new();
        self.i += 1;
        let mut run = self.i;
        loop {
            let Some(p) = memchr::memchr2(b'"', b'\\', &t[self.i..]) else {
                let end = control(t, run, t.len()).unwrap_or(t.len());
                push_raw(&mut m, t, run, end);
                self.i = end;
                self.fail(if end == t.len() { Stop::Eof } else { Stop::Syntax });
                return m;
            };
            let q = self.i + p;
            if let Some(c) = control(t, run, q) {
                push_raw(&mut m, t, run, c);
                self.i = c;
                self.fail(Stop::Syntax);
                return m;
            }
            push_raw(&mut m, t, run, q);
            if t[q] == b'"' {
                self.i = q + 1;
                return m;
            }
            let Some(&e) = t.get(q + 1) else {
                self.i = t.len();
                self.fail(Stop::Eof);
                return m;
            };
            let simple = match e {
                b'"' => Some('"'),
                b'\\' => Some('\\'),
                b'/' => Some('/'),
                b'b' => Some('\u{8}'),
                b'f' => Some('\u{c}'),
                b'n' => Some('\n'),
                b'r' => Some('\r'),
                b't' => Some('\t'),
                _ => None,
            };
            if let Some(c) = simple {
                m.push_decoded(c.encode_utf8(&mut [0; 4]), (q, q + 2));
                self.i = q + 2;
            } else if e == b'u' {
                let (c, len) = unicode_escape(t, q);
                if len == 0 {
                    self.i = t.len().min(q + 2);
                    self.fail(if q + 6 > t.len() { Stop::Eof } else { Stop::Syntax });
                    return m;
                }
                m.push_decoded(c.encode_utf8(&mut [0; 4]), (q, q + len));
                self.i = q + len;
            } else {
                self.i = q + 1;
                self.fail(Stop::Syntax);
                return m;
            }
            run = self.i;
        }
    }

    fn number(&mut self) -> Option<Node> {
        let start = self.i;
        let t = self.t;
        let mut i = self.i;
        if t[i] == b'-' {
            i += 1;
        }
        let digits = t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 {
            self.i = i;
            self.fail(if i >= t.len() { Stop::Eof } else { Stop::Syntax });
            return None;
        }
        i += digits;
        if t.get(i) == Some(&b'.') {
            i += 1;
            i += t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        }
        if matches!(t.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(t.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            i += t[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        }
        self.i = i;
        let text = std::str::from_utf8(&t[start..i]).unwrap_or("0");
        Some(Node::Number(Mapped::exact(text, start)))
    }

    fn literal(&mut self, word: &[u8], node: Node) -> Option<Node> {
        let rest = &self.t[self.i..];
        if rest.starts_with(word) {
            self.i += word.len();
            return Some(node);
        }
        let same = rest.iter().zip(word).take_while(|(a, b)| a == b).count();
        self.i += same;
        self.fail(if same == rest.len() { Stop::Eof } else { Stop::Syntax });
        None
    }
}

/// Returns the position of the first control byte (not allowed raw in a JSON string) in `a..b`.
fn control(t: &[u8], a: usize, b: usize) -> Option<usize> {
    t[a..b].iter().position(|&c| c < 0x20).map(|p| a + p)
}

/// Appends `t[a..b]` verbatim when it is UTF-8, else decoded as a whole.
fn push_raw(m: &mut Mapped, t: &[u8], a: usize, b: usize) {
    if a >= b {
        return;
    }
    match std::str::from_utf8(&t[a..b]) {
        Ok(s) => m.push_exact(s, a),
        Err(_) => m.push_decoded(&String::from_utf8_lossy(&t[a..b]), (a, b)),
    }
}

/// Decodes `\uXXXX` at `q` (and a following low surrogate): the character and the bytes it
/// took, or 0 bytes when it is not an escape.
fn unicode_escape(t: &[u8], q: usize) -> (char, usize) {
    let hex = |at: usize| -> Option<u32> {
        let h = t.get(at..at + 4)?;
        u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let Some(hi) = hex(q + 2) else { return ('\u{fffd}', 0) };
    if (0xD800..0xDC00).contains(&hi) && t.get(q + 6..q + 8) == Some(b"\\u") {
        if let Some(lo) = hex(q + 8).filter(|lo| (0xDC00..0xE000).contains(lo)) {
            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
            return (char::from_u32(c).unwrap_or('\u{fffd}'), 12);
        }
    }
    (char::from_u32(hi).filter(|c| *c != '\0').unwrap_or('\u{fffd}'), 6)
}

/// Parses one whole JSON document (nothing but whitespace may follow it).
pub fn parse(text: &[u8]) -> Result<Value, (Stop, usize)> {
    let mut p = Parser { t: text, i: 0, depth: 0, stop: None, lenient: false };
    let v = p.value();
    if let Some(stop) = p.stop {
        return Err(stop);
    }
    p.ws();
    match v {
        Some(v) if p.i == text.len() => Ok(v),
        _ => Err((Stop::Syntax, p.i)),
    }
}

/// Parses the JSON value starting at `start` of a larger text, keeping what it read when the
/// value is cut off or broken (a payload pasted into a ticket); returns it with why it stopped
/// early, if it did.
pub fn parse_lenient(text: &[u8], start: usize) -> Option<(Value, Option<Stop>)> {
    let mut p = Parser { t: text, i: start, depth: 0, stop: None, lenient: true };
    let v = p.value()?;
    Some((v, p.stop.map(|s| s.0)))
}

/// Extracts one JSON document.
pub fn extract(text: &[u8]) -> Result<Document, Problem> {
    let value = parse(text).map_err(|e| Problem::Error(describe(text, e, None)))?;
    let mut b = Builder::new();
    top_level(&mut BuilderSink(&mut b), &value, "$", "", true);
    Ok(b.finish())
}

/// Extracts JSON Lines / NDJSON: each line one value, one unit; a bad line is noted and
/// scanned as plain text.
pub fn extract_lines(text: &[u8]) -> Document {
    let mut b = Builder::new();
    let mut bad = Vec::new();
    let mut at = 0;
    for (i, line) in text.split(|c| *c == b'\n').enumerate() {
        let n = i + 1;
        let line_start = at;
        at += line.len() + 1;
        if line.trim_ascii().is_empty() {
            continue;
        }
        b.start_unit();
        match parse(line) {
            Ok(v) => {
                let v = shift(v, line_start);
                walk(&mut BuilderSink(&mut b), &v, &mut "$".to_string(), &mut Vec::new(), None, &format!("line {n}:"));
            }
            Err(e) => {
                let mut raw = Mapped::new();
                push_raw(&mut raw, text, line_start, line_start + line.len());
                b.text_block_mapped(&raw, format!("line {n}"));
                if bad.len() < 3 {
                    bad.push(describe(line, e, Some(n)));
                } else {
                    bad.push(String::new());
                }
            }
        }
        b.end_unit("line", format!("line {n}"));
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

/// Returns `v` with every source offset moved by `by` (a line parsed on its own).
fn shift(mut v: Value, by: usize) -> Value {
    fn go(v: &mut Value, by: usize) {
        v.start += by;
        v.end += by;
        match &mut v.node {
            Node::Object(m) => m.iter_mut().for_each(|(_, c)| go(c, by)),
            Node::Array(a) => a.iter_mut().for_each(|c| go(c, by)),
            Node::String(s) | Node::Number(s) => *s = s.shifted(by),
            Node::Bool(_) | Node::Null => {}
        }
    }
    go(&mut v, by);
    v
}

/// Describes a JSON error by position and kind, never by content.
fn describe(text: &[u8], (stop, at): (Stop, usize), line: Option<usize>) -> String {
    let (l, column) = LineTable::new(text).locate(at);
    let at = format!("line {}, column {column}", line.unwrap_or(l));
    match stop {
        Stop::Depth => format!("JSON nested deeper than {MAX_DEPTH} levels ({at}); not scanned"),
        Stop::Eof => format!("truncated JSON (ends inside a value at {at})"),
        Stop::Syntax => format!("not valid JSON (syntax error at {at}); use --type text to scan it as plain text"),
    }
}

/// Where the walk's values and units go: a document builder (a JSON file) or the fields and
/// units of JSON pasted into prose.
pub trait Sink {
    /// A unit starts at `v`.
    fn start_unit(&mut self, v: &Value);
    /// The unit that started at `v` ends.
    fn end_unit(&mut self, v: &Value, kind: &'static str, location: String);
    /// A string or number value under `field`, located at `location`.
    fn leaf(&mut self, value: &Mapped, location: String, field: Option<&str>);
}

struct BuilderSink<'b>(&'b mut Builder);

impl Sink for BuilderSink<'_> {
    fn start_unit(&mut self, _: &Value) {
        self.0.start_unit();
    }

    fn end_unit(&mut self, _: &Value, kind: &'static str, location: String) {
        self.0.end_unit(kind, location);
    }

    fn leaf(&mut self, value: &Mapped, location: String, field: Option<&str>) {
        let label = field.map(humanize);
        self.0.value_mapped(label.as_deref(), value, location, field);
    }
}

/// Walks a top-level value: each object, each array element, each FHIR Bundle entry group
/// (when `group_entries`) is a unit.
pub fn top_level(b: &mut dyn Sink, value: &Value, root: &str, prefix: &str, group_entries: bool) {
    match &value.node {
        Node::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let path = format!("{root}[{i}]");
                b.start_unit(v);
                walk(b, v, &mut path.clone(), &mut Vec::new(), None, prefix);
                b.end_unit(v, "object", format!("{prefix}{path}"));
            }
        }
        Node::Object(map) if group_entries && is_bundle(value) => {
            b.start_unit(value);
            for (n, (k, v)) in map.iter().enumerate().filter(|(_, (k, _))| k != "entry") {
                let mut path = format!("{root}{}", key_path(k, n));
                walk(b, v, &mut path, &mut vec![k.clone()], resource_type(value), prefix);
            }
            b.end_unit(value, "object", format!("{prefix}{root}"));
            if let Some(Node::Array(entries)) = value.get("entry").map(|e| &e.node) {
                for group in patient_groups(entries) {
                    b.start_unit(&entries[group[0]]);
                    for &i in &group {
                        let mut path = format!("{root}.entry[{i}]");
                        walk(b, &entries[i], &mut path, &mut vec!["entry".to_string()], None, prefix);
                    }
                    b.end_unit(&entries[group[0]], "entry", format!("{prefix}{root}.entry[{}]", group[0]));
                }
            }
        }
        _ => {
            b.start_unit(value);
            walk(b, value, &mut root.to_string(), &mut Vec::new(), None, prefix);
            b.end_unit(value, "object", format!("{prefix}{root}"));
        }
    }
}

/// Groups Bundle entries for linking: each Patient with the entries whose `subject` or
/// `patient` refers to it (a Condition about that patient is about that person), every other
/// entry alone. Groups are in order of their first entry.
fn patient_groups(entries: &[Value]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    // Reference → group, the first Patient to claim a reference keeping it: a hash map, so
    // linking n entries costs O(n) lookups, not a scan of every Patient per entry.
    let mut refs: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Some(r) = e.get("resource") else { continue };
        if r.get("resourceType").and_then(Value::as_str) == Some("Patient") {
            let g = groups.len();
            groups.push(vec![i]);
            if let Some(url) = e.get("fullUrl").and_then(Value::as_str) {
                refs.entry(url.to_string()).or_insert(g);
            }
            if let Some(id) = r.get("id").and_then(Value::as_str) {
                refs.entry(format!("Patient/{id}")).or_insert(g);
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
        let target = e.get("resource").and_then(|r| {
            ["subject", "patient", "beneficiary"]
                .iter()
                .find_map(|k| r.get(k).and_then(|s| s.get("reference")).and_then(Value::as_str))
                .and_then(|t| {
                    // The reference as written, or any tail of it after a `/` (an absolute URL
                    // ending in `/Patient/p1` refers to `Patient/p1`).
                    refs.get(t).copied().or_else(|| {
                        memchr::memchr_iter(b'/', t.as_bytes()).find_map(|k| refs.get(&t[k + 1..]).copied())
                    })
                })
        });
        match target {
            Some(g) => groups[g].push(i),
            None => groups.push(vec![i]),
        }
    }
    groups.sort_by_key(|g| g[0]);
    groups
}

fn is_bundle(v: &Value) -> bool {
    resource_type(v) == Some("Bundle") && v.get("entry").is_some_and(|e| matches!(e.node, Node::Array(_)))
}

fn resource_type(v: &Value) -> Option<&str> {
    v.get("resourceType").and_then(Value::as_str)
}

/// Returns the path step for key `k`, the `n`th (0-based) of its object: `.name`,
/// `["first name"]`, or `[key 3]` when the key itself reads like data (`"536-22-8727": {…}`),
/// as a location must not publish what the masking hides.
fn key_path(k: &str, n: usize) -> String {
    let plain = k.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !crate::text::label::plain_label(k) {
        format!("[key {}]", n + 1)
    } else if plain {
        format!(".{k}")
    } else {
        format!("[{}]", serde_json::to_string(k).unwrap_or_default())
    }
}

/// Walks `v` at `path`, giving each string and number value to `b` with its field.
pub fn walk(
    b: &mut dyn Sink,
    v: &Value,
    path: &mut String,
    keys: &mut Vec<String>,
    resource: Option<&str>,
    prefix: &str,
) {
    match &v.node {
        Node::Object(map) => {
            let resource = resource_type(v).or(resource);
            let identifier = identifier_kind(v, keys);
            for (n, (k, child)) in map.iter().enumerate() {
                let len = path.len();
                path.push_str(&key_path(k, n));
                keys.push(k.clone());
                if k == "value" && identifier.is_some() && !matches!(child.node, Node::Object(_)) {
                    leaf(b, child, path, identifier, prefix);
                } else {
                    walk(b, child, path, keys, resource, prefix);
                }
                keys.pop();
                path.truncate(len);
            }
        }
        Node::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let len = path.len();
                path.push_str(&format!("[{i}]"));
                walk(b, child, path, keys, resource, prefix);
                path.truncate(len);
            }
        }
        Node::String(_) | Node::Number(_) => {
            let field = fhir_field(resource, keys).or_else(|| plain_field(keys));
            leaf(b, v, path, field, prefix);
        }
        Node::Bool(_) | Node::Null => {}
    }
}

fn leaf(b: &mut dyn Sink, v: &Value, path: &str, field: Option<&str>, prefix: &str) {
    if let Node::String(s) | Node::Number(s) = &v.node {
        b.leaf(s, format!("{prefix}{path}"), field);
    }
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
fn identifier_kind(v: &Value, keys: &[String]) -> Option<&'static str> {
    if keys.last().map(String::as_str) != Some("identifier") || v.get("value").is_none() {
        return None;
    }
    let system = v.get("system").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
    let mut codes: Vec<&str> = Vec::new();
    if let Some(Node::Array(coding)) = v.get("type").and_then(|t| t.get("coding")).map(|c| &c.node) {
        codes.extend(coding.iter().filter_map(|x| x.get("code").and_then(Value::as_str)));
    }
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
    fn values_map_back_to_their_bytes_escapes_included() {
        let src = br#"{"name": "Ren\u00e9e \"Rae\" Quill", "mrn": 4071938}"#;
        let d = extract(src).unwrap();
        let seg = |loc: &str| d.segments.iter().find(|s| s.location == loc).unwrap();
        let name = seg("$.name");
        assert_eq!(&d.text[name.start..name.end], "Renée \"Rae\" Quill".as_bytes());
        let at = d.map.locate(name.start, name.end).unwrap();
        assert_eq!(&src[at.start..at.end], br#"Ren\u00e9e \"Rae\" Quill"#);
        let first = d.map.locate(name.start, name.start + 3).unwrap();
        assert_eq!(&src[first.start..first.end], b"Ren");
        let mrn = seg("$.mrn");
        let at = d.map.locate(mrn.start, mrn.end).unwrap();
        assert_eq!(&src[at.start..at.end], b"4071938");
    }

    #[test]
    fn fhir_linking_is_linear_in_the_entries() {
        let n = 20_000;
        let mut entries: Vec<String> = (0..n)
            .map(|k| {
                format!(r#"{{"fullUrl": "urn:uuid:p{k}", "resource": {{"resourceType": "Patient", "id": "p{k}"}}}}"#)
            })
            .collect();
        entries.extend((0..n).map(|k| {
            format!(r#"{{"resource": {{"resourceType": "Condition", "subject": {{"reference": "https://fhir.example.org/r4/Patient/p{}"}}}}}}"#, n - 1 - k)
        }));
        let bundle = format!(r#"{{"resourceType": "Bundle", "entry": [{}]}}"#, entries.join(","));
        let v = parse(bundle.as_bytes()).unwrap();
        let Some(Node::Array(items)) = v.get("entry").map(|e| &e.node) else { panic!() };
        let started = std::time::Instant::now();
        let groups = patient_groups(items);
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(groups.len(), n);
        assert_eq!(groups[0], vec![0, 2 * n - 1], "the last Condition refers to the first Patient by URL");
    }

    #[test]
    fn fhir_bundles_link_per_entry_and_know_conditions() {
        let bundle = br#"{"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "identifier": [{"type": {"coding": [{"code": "MR"}]}, "value": "4071938"}],
                          "name": [{"family": "Achterberg", "given": ["Delphine"]}]}},
            {"resource": {"resourceType": "Condition", "code": {"coding": [{"display": "Type 2 diabetes"}], "text": "diabetes"}}}]}"#;
        let d = extract(bundle).unwrap();
        let field = |loc: &str| {
            let s = d.segments.iter().find(|s| s.location == loc).unwrap();
            d.field_at(s.start, s.end).map(str::to_string)
        };
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
    fn deep_nesting_and_syntax_errors_are_clean_errors() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        match extract(deep.as_bytes()) {
            Err(Problem::Error(m)) => assert!(m.contains("deeper than 128"), "{m}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(extract(b"{\"a\": "), Err(Problem::Error(m)) if m.contains("truncated")));
        assert!(matches!(extract(b"{\"a\": 1} x"), Err(Problem::Error(m)) if m.contains("syntax error at line 1")));
        assert!(matches!(extract(b"{\"a\": tru"), Err(Problem::Error(m)) if m.contains("truncated")));
        assert!(matches!(extract(b"[1,]"), Err(Problem::Error(m)) if m.contains("syntax")));
        assert!(matches!(extract(b"\"a\nb\""), Err(Problem::Error(m)) if m.contains("syntax")));
    }

    #[test]
    fn cut_off_payloads_keep_what_was_read() {
        let text = br#"see: [{"mrn": "4071938", "dx": "asthma"}, {"mrn": "55"#;
        let (v, stop) = parse_lenient(text, 5).unwrap();
        assert_eq!(stop, Some(Stop::Eof));
        let Node::Array(items) = &v.node else { panic!() };
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].get("dx").and_then(Value::as_str), Some("asthma"));
        assert_eq!(items[1].get("mrn").and_then(Value::as_str), Some("55"));
        assert_eq!(v.end, text.len());
    }

    #[test]
    fn json_lines_are_units_and_bad_lines_are_noted() {
        let src = b"{\"mrn\": \"4071938\"}\nnot json\n\n{\"dx\": \"asthma\"}\n";
        let d = extract_lines(src);
        assert_eq!(d.unit_locations, vec!["line 1", "line 2", "line 4"]);
        assert_eq!(d.segments[0].location, "line 1:$.mrn");
        assert_eq!(d.notes.len(), 1);
        let dx = d.segments.iter().find(|s| s.location == "line 4:$.dx").unwrap();
        let at = d.map.locate(dx.start, dx.end).unwrap();
        assert_eq!(&src[at.start..at.end], b"asthma");
    }
}
