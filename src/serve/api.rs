//! The API's work: a request body in, a scan, a JSON answer out.
//!
//! `POST /api/scan` answers with the JSON report contract of `phiscan scan --format json`,
//! rendered by [`crate::report::json`] itself, so the two can never drift. `POST /api/check` is
//! the page's: the same report, plus for each scanned part the text its findings point into (a
//! dropped DOCX's text is only known after extraction), the findings' and breaches' positions
//! in that text as UTF-16 offsets (what a browser's strings count), and the safe version.
//!
//! The safe version is the library's redaction ([`crate::redact::identifiers_in_text`], mask
//! mode), and `POST /api/redact` answers with [`crate::redact::redact`]'s copy of the input,
//! verified by a rescan as `phiscan redact` writes it. Staff names are marked by the findings
//! themselves (`"role": "staff"` in the contract).

use super::http::{Request, Response};
use super::multipart;
use crate::finding::Finding;
use crate::report::json;
use crate::scan::{FileResult, Outcome, Scanner};
use serde::Deserialize;
use std::time::Instant;

/// The name a pasted text is scanned under when the request gives none.
pub const DEFAULT_NAME: &str = "draft.txt";

/// The JSON body of a scan request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TextBody {
    /// The name to report; its extension chooses the format (`post.md`, `export.csv`).
    #[serde(default)]
    name: Option<String>,
    /// The text to check.
    text: String,
}

/// Returns the input a request carries: its name and bytes, from a JSON body or a multipart
/// upload (field `file`); a 4xx response with a message when the body is not one of them.
pub fn input(req: &mut Request) -> Result<(String, Vec<u8>), Response> {
    let content_type = req.header("content-type").unwrap_or("").to_string();
    let body = std::mem::take(&mut req.body);
    if let Some(boundary) = multipart::boundary(&content_type) {
        let boundary = boundary.map_err(|m| Response::error(400, &m))?;
        let up = multipart::file_field(body, &boundary, "file").map_err(|m| Response::error(400, &m))?;
        let name = if up.name.trim().is_empty() { "upload".to_string() } else { up.name };
        return Ok((name, up.bytes));
    }
    let mime = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if mime != "application/json" {
        return Err(Response::error(
            415,
            "send JSON ({\"name\": \"draft.txt\", \"text\": \"…\"}, Content-Type: application/json) or a \
             multipart/form-data upload with the file in a field named `file`",
        ));
    }
    if body.is_empty() {
        return Err(Response::error(400, "the request body is empty: send {\"name\": \"draft.txt\", \"text\": \"…\"}"));
    }
    let parsed: TextBody = serde_json::from_slice(&body).map_err(|e| {
        // serde's messages can quote the input (a value of the wrong type): say where and what
        // kind of problem instead, never what was there.
        let what = match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "is not valid JSON",
            serde_json::error::Category::Io => "could not be read",
            serde_json::error::Category::Data => {
                "must be an object with a string \"text\" and an optional string \"name\" (and nothing else)"
            }
        };
        Response::error(
            400,
            &format!(
                "the request body {what} (line {}, column {}); expected {{\"name\": \"draft.txt\", \"text\": \"…\"}}",
                e.line(),
                e.column()
            ),
        )
    })?;
    let name = parsed.name.unwrap_or_default();
    let name: String = name.chars().filter(|c| !c.is_control()).take(255).collect();
    let name = if name.trim().is_empty() { DEFAULT_NAME.to_string() } else { name };
    Ok((name, parsed.text.into_bytes()))
}

/// One scanned part (the input, or a member of it): its result and the text its offsets index.
pub struct Part {
    /// The scan result.
    pub result: FileResult,
    /// The scanned text.
    pub text: Vec<u8>,
}

/// What one request's scan produced.
pub struct Scanned {
    /// Every scanned part, in report order.
    pub parts: Vec<Part>,
    /// Skips and errors, as the report shows them.
    pub outcome: Outcome,
}

/// Scans one input held in memory.
pub fn scan(scanner: &Scanner, name: &str, bytes: Vec<u8>) -> Scanned {
    let started = Instant::now();
    let mut outcome = Outcome::default();
    let mut parts = Vec::new();
    for (path, r) in scanner.scan_named(name, bytes) {
        match r {
            Ok((result, text)) => parts.push(Part { result, text }),
            Err(problem) => outcome.add((path, Err(problem))),
        }
    }
    outcome.elapsed = started.elapsed();
    Scanned { parts, outcome }
}

impl Scanned {
    /// Returns the 422 to answer when nothing could be read: a report of nothing must never
    /// look like a clean one.
    pub fn nothing_read(&self) -> Option<Response> {
        if !self.parts.is_empty() {
            return None;
        }
        let why: Vec<String> = self
            .outcome
            .errors
            .iter()
            .map(|e| e.message.clone())
            .chain(self.outcome.skipped.iter().map(|s| format!("skipped: {}", s.reason)))
            .collect();
        let why = if why.is_empty() { "it holds no text".to_string() } else { why.join("; ") };
        Some(Response::error(422, &format!("nothing in this input could be checked: {why}")))
    }

    /// Returns the JSON report (the contract of `phiscan scan --format json`, written by the
    /// same functions).
    pub fn report(&self) -> Vec<u8> {
        let outcome = Outcome {
            files: self.parts.iter().map(|p| p.result.clone()).collect(),
            skipped: self.outcome.skipped.clone(),
            errors: self.outcome.errors.clone(),
            elapsed: self.outcome.elapsed,
            ..Outcome::default()
        };
        let mut buf = Vec::new();
        let write = |buf: &mut Vec<u8>| -> std::io::Result<()> {
            json::write_head(buf)?;
            let mut first = true;
            for p in &self.parts {
                for finding in &p.result.findings {
                    if !first {
                        buf.push(b',');
                    }
                    first = false;
                    serde_json::to_writer(&mut *buf, finding)?;
                }
            }
            json::write_tail(&outcome, buf)
        };
        write(&mut buf).expect("writing to memory cannot fail");
        buf
    }

    /// Returns the page's answer: the report, and for each part its text, the UTF-16 spans of
    /// its findings and of its breaches' sentences, and its safe version.
    pub fn check(&self) -> Vec<u8> {
        let parts: Vec<serde_json::Value> = self
            .parts
            .iter()
            .map(|p| {
                let findings = &p.result.findings;
                let sentences: Vec<(usize, usize)> = p
                    .result
                    .breaches
                    .iter()
                    .map(|b| {
                        let start = b.findings.iter().map(|&i| findings[i].start).min().unwrap_or(0);
                        let end = b.findings.iter().map(|&i| findings[i].end).max().unwrap_or(0);
                        sentence_around(&p.text, start, end)
                    })
                    .collect();
                let mut offsets: Vec<usize> = findings
                    .iter()
                    .flat_map(|f| [f.start, f.end])
                    .chain(sentences.iter().flat_map(|&(s, e)| [s, e]))
                    .collect();
                offsets.sort_unstable();
                offsets.dedup();
                let at16 = utf16_positions(&p.text, &offsets);
                let map = |o: usize| at16[offsets.binary_search(&o).unwrap_or(0)];
                serde_json::json!({
                    "path": p.result.path,
                    "text": String::from_utf8_lossy(&p.text),
                    "spans": findings.iter().map(|f| [map(f.start), map(f.end)]).collect::<Vec<_>>(),
                    "breach_spans": sentences.iter().map(|&(s, e)| [map(s), map(e)]).collect::<Vec<_>>(),
                    "safe": safe_version(&p.text, findings),
                })
            })
            .collect();
        // The report is already JSON: framed, not parsed again.
        let mut out = b"{\"report\":".to_vec();
        out.extend_from_slice(self.report().trim_ascii_end());
        out.extend_from_slice(b",\"parts\":");
        serde_json::to_writer(&mut out, &parts).expect("writing to memory cannot fail");
        out.push(b'}');
        out
    }
}

/// Returns `text` with every identifier masked in place (staff names and health facts stay:
/// they identify no patient, and the health fact is usually the point of the post), by the
/// library's redaction.
pub fn safe_version(text: &[u8], findings: &[Finding]) -> String {
    crate::redact::identifiers_in_text(text, findings, crate::redact::Mode::Mask, None)
}

/// The options of `POST /api/redact`, from its query string (`?mode=tag&min_severity=high&seed=7`).
pub fn redact_options(query: &str) -> Result<crate::redact::Options, Response> {
    let mut o = crate::redact::Options::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "mode" => {
                o.mode = crate::redact::Mode::parse(v)
                    .ok_or_else(|| Response::error(400, "mode must be mask, tag, surrogate or remove"))?;
            }
            "min_severity" => {
                o.min_severity = crate::finding::Severity::parse(v)
                    .ok_or_else(|| Response::error(400, "min_severity must be low, medium or high"))?;
            }
            "seed" => {
                o.seed = Some(v.parse().map_err(|_| Response::error(400, "seed must be a whole number"))?);
            }
            _ => return Err(Response::error(400, "unknown option: use mode, min_severity and seed")),
        }
    }
    Ok(o)
}

/// Returns the answer of `POST /api/redact`: the redacted copy and what was replaced, or a 422
/// saying why the input cannot be redacted (never a half-redacted copy).
pub fn redacted(
    name: &str,
    options: &crate::redact::Options,
    r: Result<crate::redact::Redacted, crate::redact::Refused>,
) -> Response {
    match r {
        // The answer carries text; a rebuilt zip read as text would be a broken file.
        Ok(r) if crate::redact::is_package(r.kind) => Response::error(
            422,
            &format!(
                "{name}: the page returns text; a {} copy is written by `phiscan redact FILE -o OUT`",
                r.kind.as_str()
            ),
        ),
        Ok(r) => {
            let doc = serde_json::json!({
                "path": name,
                "format": r.kind.as_str(),
                "mode": options.mode.as_str(),
                "min_severity": options.min_severity.as_str(),
                "replaced": r.replaced.iter().map(|(c, n)| (c.as_str().to_string(), serde_json::Value::from(*n))).collect::<serde_json::Map<String, serde_json::Value>>(),
                "total": r.total(),
                "text": String::from_utf8_lossy(&r.output),
            });
            Response::json(200, serde_json::to_vec(&doc).unwrap_or_default())
        }
        Err(e) => Response::error(422, &format!("{name}: {e}")),
    }
}

/// Returns the byte range of the sentence (or sentences) around `start..end`: from the end of
/// the sentence before to the end of the last one, at most a few hundred bytes either side.
pub fn sentence_around(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    const REACH: usize = 300;
    let ends_sentence = |i: usize| {
        text[i] == b'\n'
            || (matches!(text[i], b'.' | b'!' | b'?') && text.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()))
    };
    let start = start.min(text.len());
    let end = end.clamp(start, text.len());
    let mut s = start;
    while s > 0 && start - s < REACH && !ends_sentence(s - 1) {
        s -= 1;
    }
    while s < start && text[s].is_ascii_whitespace() {
        s += 1;
    }
    let mut e = end;
    while e < text.len() && e - end < REACH && !ends_sentence(e) {
        e += 1;
    }
    if e < text.len() && text[e] != b'\n' {
        e += 1;
    }
    // Never cut a character in two.
    while s > 0 && s < text.len() && (text[s] & 0xC0) == 0x80 {
        s -= 1;
    }
    while e < text.len() && (text[e] & 0xC0) == 0x80 {
        e += 1;
    }
    (s, e)
}

/// Returns, for each of the sorted byte `offsets` into `text`, its position in UTF-16 code
/// units in the text as a browser sees it (invalid UTF-8 becoming one U+FFFD per bad sequence,
/// as in `String::from_utf8_lossy`). An offset inside a character maps to the character's end.
pub fn utf16_positions(text: &[u8], offsets: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(offsets.len());
    let mut k = 0;
    let mut byte = 0;
    let mut pos16 = 0;
    for chunk in text.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            while k < offsets.len() && offsets[k] <= byte + i {
                out.push(pos16);
                k += 1;
            }
            pos16 += c.len_utf16();
        }
        byte += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            while k < offsets.len() && offsets[k] <= byte {
                out.push(pos16);
                k += 1;
            }
            pos16 += 1;
            byte += chunk.invalid().len();
        }
    }
    while k < offsets.len() {
        out.push(pos16);
        k += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Engine;
    use crate::rules;

    fn scanner() -> &'static Scanner {
        static S: std::sync::OnceLock<Scanner> = std::sync::OnceLock::new();
        S.get_or_init(|| Scanner::with_defaults(Engine::new(rules::builtin::rules().unwrap()).unwrap()))
    }

    fn json_request(body: &str) -> Request {
        Request {
            method: "POST".into(),
            path: "/api/scan".into(),
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
            ..Request::default()
        }
    }

    #[test]
    fn json_bodies_parse_and_errors_never_quote_the_input() {
        let (name, bytes) = input(&mut json_request(r#"{"text": "hello"}"#)).unwrap();
        assert_eq!((name.as_str(), bytes.as_slice()), (DEFAULT_NAME, &b"hello"[..]));
        let (name, _) = input(&mut json_request(r#"{"name": "post.md", "text": ""}"#)).unwrap();
        assert_eq!(name, "post.md");
        for bad in
            [r#"{"text": 5}"#, r#"{"txt": "Zebulon Quarry"}"#, r#"["Zebulon Quarry"]"#, "{\"text\": \"Zebulon", ""]
        {
            let e = input(&mut json_request(bad)).unwrap_err();
            assert_eq!(e.status, 400, "{bad}");
            let msg = String::from_utf8_lossy(&e.body);
            assert!(!msg.contains("Zebulon") && !msg.contains('5'), "{msg}");
        }
        let mut plain = json_request("hello");
        plain.headers = vec![("content-type".into(), "text/plain".into())];
        assert_eq!(input(&mut plain).unwrap_err().status, 415);
    }

    #[test]
    fn utf16_positions_count_like_a_browser() {
        // "é" is 2 bytes and 1 unit; "😀" is 4 bytes and 2 units; 0xFF is one U+FFFD.
        let text = "aé😀b".as_bytes();
        assert_eq!(utf16_positions(text, &[0, 1, 3, 7, 8]), [0, 1, 2, 4, 5]);
        let bad = b"a\xFFb";
        assert_eq!(utf16_positions(bad, &[0, 1, 2, 3]), [0, 1, 2, 3]);
        assert_eq!(utf16_positions(b"ab", &[9]), [2]);
    }

    #[test]
    fn sentences_are_found_around_a_span() {
        let text = b"First one. Then Ada Lovecraft had pneumonia last May! Last.";
        let (s, e) = sentence_around(text, 16, 30);
        assert_eq!(&text[s..e], b"Then Ada Lovecraft had pneumonia last May!");
        let (s, e) = sentence_around(b"no stop here", 3, 5);
        assert_eq!((s, e), (0, 12));
    }

    #[test]
    fn a_breach_draft_is_reported_masked_with_positions_and_a_safe_version() {
        let text = "Great news from the ward!\nOswin Thackeray, 58, was treated for lung cancer here in March.\n";
        let scanned = scan(scanner(), "post.txt", text.as_bytes().to_vec());
        assert!(scanned.nothing_read().is_none());
        let report: serde_json::Value = serde_json::from_slice(&scanned.report()).unwrap();
        assert_eq!(report["files"][0]["verdict"], "breach", "{report:#}");
        let body = report.to_string();
        assert!(!body.contains("Oswin") && !body.contains("Thackeray"), "{body}");
        let check: serde_json::Value = serde_json::from_slice(&scanned.check()).unwrap();
        assert_eq!(check["report"], report);
        let part = &check["parts"][0];
        assert_eq!(part["text"], text);
        let safe = part["safe"].as_str().unwrap();
        assert!(!safe.contains("Thackeray") && safe.contains("lung cancer"), "{safe}");
        assert_eq!(safe.chars().count(), text.chars().count());
        let quote = &part["breach_spans"][0];
        let (s, e) = (quote[0].as_u64().unwrap() as usize, quote[1].as_u64().unwrap() as usize);
        assert!(text[s..e].starts_with("Oswin") && text[s..e].ends_with("March."), "{}", &text[s..e]);
        for (span, f) in part["spans"].as_array().unwrap().iter().zip(report["findings"].as_array().unwrap()) {
            let s = span[0].as_u64().unwrap() as usize;
            assert_eq!(s, f["start"].as_u64().unwrap() as usize, "ASCII: UTF-16 offsets are byte offsets");
        }
    }

    #[test]
    fn staff_names_are_marked_and_kept_in_the_safe_version() {
        let text = "Dr. Ravindra Okonkwo-Pell, our cardiologist, will speak at the fair on heart health.";
        let scanned = scan(scanner(), "post.txt", text.as_bytes().to_vec());
        let report: serde_json::Value = serde_json::from_slice(&scanned.report()).unwrap();
        let names: Vec<&serde_json::Value> =
            report["findings"].as_array().unwrap().iter().filter(|f| f["category"] == "name").collect();
        assert!(!names.is_empty() && names.iter().all(|f| f["role"] == "staff"), "{report:#}");
        let check: serde_json::Value = serde_json::from_slice(&scanned.check()).unwrap();
        assert!(check["parts"][0]["safe"].as_str().unwrap().contains("Okonkwo"));
        assert_ne!(report["files"][0]["verdict"], "breach");
    }

    #[test]
    fn nothing_read_is_a_422_not_a_clean_report() {
        let scanned = scan(scanner(), "blob.bin", vec![0u8; 64]);
        let r = scanned.nothing_read().expect("a binary input yields nothing");
        assert_eq!(r.status, 422);
        assert!(String::from_utf8_lossy(&r.body).contains("binary"));
    }
}
