//! `phiscan serve`: the built binary on a loopback port, driven over raw HTTP/1.1.
//!
//! Status codes and messages for good and bad requests, the request size, time and concurrency
//! limits, the security headers, the JSON contract (the same document `phiscan scan --format
//! json` writes), values only with `--show-values`, and nothing logged or written. The last test
//! runs the page in headless Chromium (tests/browser/serve_page.py). Every draft is synthetic.

use crate::util::TestEnv;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const BREACH: &str = "Big news from the third floor!\n\
    Oswin Thackeray, 58, was treated for lung cancer here in March and went home on Friday.\n\
    Call (555) 010-0142 to volunteer.\n";
/// Identifiers of the test drafts: never in an answer. (A dictionary health term alone may be:
/// breach summaries name it, as it identifies no one.)
const SECRETS: &[&str] = &["Oswin", "Thackeray", "010-0142", "Marisela", "Brandquist"];

/// A running `phiscan serve`, killed on drop; its console is collected as it is written.
struct Served {
    child: Child,
    addr: String,
    console: Arc<Mutex<String>>,
}

impl Served {
    fn start(env: &TestEnv, args: &[&str]) -> Served {
        let mut all = vec!["serve", "--addr", "127.0.0.1:0"];
        all.extend_from_slice(args);
        let mut child =
            env.cmd(&all).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        let console = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        for stream in
            [Box::new(child.stderr.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stdout.take().unwrap())]
        {
            let console = Arc::clone(&console);
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Some(at) = line.find("http://127.0.0.1:") {
                        let addr = line[at + 7..].split('/').next().unwrap_or("").to_string();
                        let _ = tx.send(addr);
                    }
                    console.lock().unwrap().push_str(&(line + "\n"));
                }
            });
        }
        let addr = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("phiscan serve printed no address: {}", console.lock().unwrap())
        });
        Served { child, addr, console }
    }

    /// Sends `raw` and returns the response.
    fn raw(&self, raw: &[u8]) -> Reply {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(120))).unwrap();
        // The server may answer (a 413) before reading everything: a failed write is fine.
        let _ = s.write_all(raw);
        let mut out = Vec::new();
        let _ = s.read_to_end(&mut out);
        Reply::parse(&out)
    }

    fn get(&self, path: &str) -> Reply {
        self.raw(format!("GET {path} HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).as_bytes())
    }

    fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Reply {
        let mut req = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            self.addr,
            body.len()
        )
        .into_bytes();
        req.extend_from_slice(body);
        self.raw(&req)
    }

    fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.post(path, "application/json", body.to_string().as_bytes())
    }

    fn upload(&self, name: &str, bytes: &[u8]) -> Reply {
        let mut body = format!(
            "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n--b0undary--\r\n");
        self.post("/api/scan", "multipart/form-data; boundary=b0undary", &body)
    }

    /// Stops the server and returns everything it printed.
    fn stop(mut self) -> String {
        let _ = self.child.kill();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        let console = self.console.lock().unwrap().clone();
        console
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One HTTP response.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn parse(raw: &[u8]) -> Reply {
        let text = String::from_utf8_lossy(raw);
        let Some((head, _)) = text.split_once("\r\n\r\n") else {
            return Reply { status: 0, headers: Vec::new(), body: raw.to_vec() };
        };
        let mut lines = head.split("\r\n");
        let status = lines.next().and_then(|l| l.split(' ').nth(1)).and_then(|s| s.parse().ok()).unwrap_or(0);
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply { status, headers, body: raw[head.len() + 4..].to_vec() }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {} {}", self.status, String::from_utf8_lossy(&self.body)))
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts a JSON error with this status whose message contains `says`.
    fn is_error(&self, status: u16, says: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        let doc = self.json();
        let message = doc["error"].as_str().unwrap_or_else(|| panic!("no error message: {doc}"));
        assert!(message.contains(says), "{status}: {message:?} does not say {says:?}");
        assert!(self.header("content-security-policy").is_some(), "an error without the CSP");
    }
}

/// Drops what differs between two runs of the same scan (time).
fn without_timing(mut doc: Value) -> Value {
    doc["summary"].as_object_mut().unwrap().remove("elapsed_ms");
    doc
}

#[test]
fn page_and_assets_are_embedded_and_carry_a_strict_csp() {
    let env = TestEnv::new();
    let s = Served::start(&env, &[]);
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(page.header("content-type"), Some("text/html; charset=utf-8"));
    let csp = page.header("content-security-policy").expect("a CSP");
    for part in
        ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]
    {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe") && !csp.contains("http"), "{csp}");
    for (k, v) in
        [("x-content-type-options", "nosniff"), ("cache-control", "no-store"), ("referrer-policy", "no-referrer")]
    {
        assert_eq!(page.header(k), Some(v), "{k}");
    }
    assert!(page.text().contains("Check a post before you publish"));
    for (path, kind) in [("/app.js", "text/javascript"), ("/app.css", "text/css"), ("/favicon.svg", "image/svg+xml")] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(r.header("content-type").unwrap().starts_with(kind), "{path}");
    }
    // Nothing external: no address of another host in anything the page loads.
    for path in ["/", "/app.js", "/app.css", "/favicon.svg"] {
        let text = s.get(path).text().replace("http://www.w3.org/2000/svg", "");
        assert!(!text.contains("http://") && !text.contains("https://") && !text.contains("//fonts"), "{path}");
        assert!(!text.contains("<script>") && !text.contains(" style=\""), "{path}: inline code the CSP would block");
    }
    let health = s.get("/healthz");
    assert_eq!(health.status, 200);
    assert_eq!(health.json()["status"], "ok");
    s.get("/nope").is_error(404, "no such page");
}

#[test]
fn api_scan_answers_with_the_scan_json_contract_masked() {
    let env = TestEnv::new();
    env.write("draft.txt", BREACH);
    let cli = env.run(&["scan", "draft.txt", "--format", "json"]);
    assert_eq!(cli.code, 1, "{}", cli.stderr);
    let s = Served::start(&env, &[]);
    let r = s.post_json("/api/scan", &serde_json::json!({"name": "draft.txt", "text": BREACH}));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json; charset=utf-8"));
    assert!(r.header("server-timing").is_some_and(|t| t.contains("dur=")));
    let api = r.json();
    assert_eq!(without_timing(api.clone()), without_timing(cli.json()), "the API and `scan --format json` differ");
    assert_eq!(api["files"][0]["verdict"], "breach");
    for secret in SECRETS {
        assert!(!r.text().contains(secret), "{secret} in {}", r.text());
    }
    assert!(api["findings"].as_array().unwrap().iter().all(|f| f.get("value").is_none()));
    // The name defaults to draft.txt; the page's endpoint adds the text and the safe version.
    let page = s.post_json("/api/check", &serde_json::json!({"text": BREACH})).json();
    assert_eq!(page["report"]["files"][0]["path"], "draft.txt");
    assert_eq!(page["parts"][0]["text"], BREACH);
    let safe = page["parts"][0]["safe"].as_str().unwrap();
    assert!(!safe.contains("Thackeray") && safe.contains("O**** T********"), "{safe}");
}

#[test]
fn values_appear_only_when_the_server_was_started_with_show_values() {
    let env = TestEnv::new();
    let s = Served::start(&env, &["--show-values"]);
    let r = s.post_json("/api/scan", &serde_json::json!({"text": BREACH})).json();
    let values: Vec<&str> = r["findings"].as_array().unwrap().iter().filter_map(|f| f["value"].as_str()).collect();
    assert!(values.contains(&"Oswin Thackeray"), "{values:?}");
}

#[test]
fn api_redact_answers_with_the_library_redaction() {
    let env = TestEnv::new();
    env.write("draft.txt", BREACH);
    let s = Served::start(&env, &[]);
    for mode in ["mask", "tag", "surrogate", "remove"] {
        let path = format!("/api/redact?mode={mode}&seed=5");
        let r = s.post_json(&path, &serde_json::json!({"name": "draft.txt", "text": BREACH}));
        assert_eq!(r.status, 200, "{mode}: {}", r.text());
        let doc = r.json();
        assert_eq!(doc["mode"], mode);
        assert_eq!(doc["format"], "text");
        assert!(doc["replaced"]["name"].as_u64().unwrap() >= 1, "{doc}");
        for secret in ["Oswin", "Thackeray"] {
            assert!(!r.text().contains(secret), "{mode}: {secret} in {}", r.text());
        }
        // The same copy `phiscan redact` writes.
        let cli = env.run(&["redact", "draft.txt", "--mode", mode, "--seed", "5"]);
        assert_eq!(doc["text"], cli.stdout, "{mode}");
    }
    let tag = s.post_json("/api/redact?mode=tag", &serde_json::json!({"text": BREACH})).json();
    assert!(tag["text"].as_str().unwrap().contains("[NAME], 58, was treated for [DIAGNOSIS]"), "{tag}");
    // A package, which the answer's text cannot carry, is a 422 with the reason, never a
    // broken copy.
    let boundary = "zz";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"note.docx\"\r\n\r\n")
            .into_bytes();
    body.extend_from_slice(&docx(&["Oswin Thackeray has lung cancer."]));
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = s.post("/api/redact", &format!("multipart/form-data; boundary={boundary}"), &body);
    r.is_error(422, "a docx copy is written by `phiscan redact");
    assert!(!r.text().contains("Thackeray"));
}

#[test]
fn uploads_go_through_the_same_extraction_as_scan() {
    let env = TestEnv::new();
    let s = Served::start(&env, &[]);
    let csv = s.upload("export.csv", b"patient,age,condition\nMarisela Brandquist,47,type 2 diabetes\n");
    assert_eq!(csv.status, 200, "{}", csv.text());
    let doc = csv.json();
    assert_eq!(doc["files"][0]["path"], "export.csv");
    assert_eq!(doc["files"][0]["verdict"], "breach");
    assert_eq!(doc["breaches"][0]["location"], "row 2", "{doc:#}");
    let docx = s
        .upload("C:\\drafts\\story.docx", &docx(&["Marisela Brandquist had a stroke in May.", "She thanks the team."]));
    assert_eq!(docx.status, 200, "{}", docx.text());
    let doc = docx.json();
    assert_eq!(doc["files"][0]["path"], "story.docx", "the client's folders are dropped");
    assert_eq!(doc["files"][0]["verdict"], "breach");
    for r in [&csv, &docx] {
        assert!(!SECRETS.iter().any(|v| r.text().contains(v)), "{}", r.text());
    }
    // A file that holds nothing readable is a 422 with the reason, never a clean report.
    s.upload("scan.bin", &[0u8; 512]).is_error(422, "binary");
    s.upload("broken.docx", b"PK\x03\x04 not really a zip").is_error(422, "nothing in this input could be checked");
}

#[test]
fn bad_requests_get_a_4xx_with_a_message_never_a_500() {
    let env = TestEnv::new();
    let s = Served::start(&env, &[]);
    s.post("/api/scan", "application/json", b"{\"text\": \"Oswin Thackeray").is_error(400, "not valid JSON");
    let wrong = s.post("/api/scan", "application/json", b"{\"txt\": \"Oswin Thackeray\"}");
    wrong.is_error(400, "must be an object");
    assert!(!wrong.text().contains("Oswin"), "an error quotes the input: {}", wrong.text());
    s.post("/api/scan", "application/json", b"").is_error(400, "empty");
    s.post("/api/scan", "text/plain", b"hello").is_error(415, "multipart/form-data");
    s.post("/api/scan", "multipart/form-data", b"x").is_error(400, "boundary");
    s.post(
        "/api/scan",
        "multipart/form-data; boundary=zz",
        b"--zz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nhi\r\n--zz--\r\n",
    )
    .is_error(400, "no field named `file`");
    let get = s.get("/api/scan");
    get.is_error(405, "POST");
    assert_eq!(get.header("allow"), Some("POST"));
    s.post("/", "application/json", b"{}").is_error(405, "GET");
    s.raw(b"POST /api/scan HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        .is_error(411, "Content-Length");
    s.raw(b"GARBAGE\r\n\r\n").is_error(400, "malformed");
    s.post("/api/redact", "application/json", b"{}").is_error(400, "text");
    s.post("/api/redact?mode=scramble", "application/json", b"{\"text\":\"x\"}").is_error(400, "mode must be");
    s.get("/api/redact").is_error(405, "POST");
    // A page on another site cannot use the API through the user's browser.
    let foreign = format!(
        "POST /api/scan HTTP/1.1\r\nHost: {}\r\nOrigin: http://evil.example\r\nContent-Type: application/json\r\nContent-Length: 12\r\n\r\n{{\"text\":\"x\"}}",
        s.addr
    );
    s.raw(foreign.as_bytes()).is_error(403, "other sites");
    s.raw(b"GET / HTTP/1.1\r\nHost: rebound.example:8765\r\n\r\n").is_error(403, "localhost");
    // Still serving after all that.
    assert_eq!(s.get("/healthz").status, 200);
}

#[test]
fn oversized_requests_get_a_clear_413() {
    let env = TestEnv::new();
    let s = Served::start(&env, &["--max-body", "2K"]);
    let big = serde_json::json!({"text": "a ".repeat(2000)});
    s.post_json("/api/scan", &big).is_error(413, "--max-body");
    // With `Expect: 100-continue` the 413 comes before the body is sent.
    let head = format!(
        "POST /api/scan HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\nExpect: 100-continue\r\n\r\n",
        s.addr
    );
    let r = s.raw(head.as_bytes());
    r.is_error(413, "larger than this server accepts (2.0 KB)");
    let ok = s.post_json("/api/scan", &serde_json::json!({"text": "Hello, neighbours!"}));
    assert_eq!(ok.status, 200, "{}", ok.text());
}

/// A text that takes the debug build a few seconds to check.
fn slow_text() -> String {
    let line = "Oswin Thackeray, 58, was treated for lung cancer here in March; call (555) 010-0142.\n";
    line.repeat(1024 * 1024 / line.len())
}

#[test]
fn checks_beyond_max_scans_get_503_with_retry_after() {
    let env = TestEnv::new();
    let s = Arc::new(Served::start(&env, &["--max-scans", "1", "--timeout", "300"]));
    let slow = {
        let s = Arc::clone(&s);
        std::thread::spawn(move || s.post_json("/api/scan", &serde_json::json!({"text": slow_text().repeat(2)})).status)
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    while s.get("/healthz").json()["scans_running"] != 1 {
        assert!(Instant::now() < deadline, "the slow check never started");
        std::thread::sleep(Duration::from_millis(20));
    }
    let busy = s.post_json("/api/scan", &serde_json::json!({"text": "Hello"}));
    busy.is_error(503, "busy");
    assert_eq!(busy.header("retry-after"), Some("2"));
    assert_eq!(slow.join().unwrap(), 200);
    assert_eq!(s.get("/healthz").json()["scans_running"], 0);
    assert_eq!(s.post_json("/api/scan", &serde_json::json!({"text": "Hello"})).status, 200);
}

#[test]
fn a_check_over_the_time_limit_gets_503_and_the_server_goes_on() {
    let env = TestEnv::new();
    let s = Served::start(&env, &["--timeout", "0.02"]);
    s.post_json("/api/scan", &serde_json::json!({"text": slow_text()})).is_error(503, "--timeout");
    assert_eq!(s.get("/healthz").status, 200);
    // A connection that sends nothing is closed after the head timeout, not held forever; an
    // incomplete body is answered with 408.
    let head = format!(
        "POST /api/scan HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{",
        s.addr
    );
    let mut c = TcpStream::connect(&s.addr).unwrap();
    c.write_all(head.as_bytes()).unwrap();
    let mut out = Vec::new();
    c.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let _ = c.read_to_end(&mut out);
    Reply::parse(&out).is_error(408, "took too long");
}

#[test]
fn connections_beyond_the_bound_get_503_at_once() {
    let env = TestEnv::new();
    let s = Served::start(&env, &[]);
    // Idle connections that never send a request each hold a slot until the head timeout.
    let idle: Vec<TcpStream> = (0..64).map(|_| TcpStream::connect(&s.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(300));
    let r = s.get("/healthz");
    r.is_error(503, "too many connections");
    assert_eq!(r.header("retry-after"), Some("1"));
    drop(idle);
    let deadline = Instant::now() + Duration::from_secs(20);
    while s.get("/healthz").status != 200 {
        assert!(Instant::now() < deadline, "slots were not released");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn nothing_checked_is_logged_or_written() {
    let env = TestEnv::new();
    let s = Served::start(&env, &[]);
    assert_eq!(s.post_json("/api/scan", &serde_json::json!({"text": BREACH})).status, 200);
    assert_eq!(s.post_json("/api/check", &serde_json::json!({"text": BREACH})).status, 200);
    assert_eq!(s.upload("export.csv", b"patient,condition\nMarisela Brandquist,asthma\n").status, 200);
    s.post("/api/scan", "application/json", b"{\"text\": [\"Oswin Thackeray\"]}").is_error(400, "");
    let console = s.stop();
    assert!(console.contains("nothing you check is logged"), "{console}");
    for secret in SECRETS {
        assert!(!console.contains(secret), "the console shows {secret}: {console}");
    }
    let written: Vec<_> =
        std::fs::read_dir(env.path()).unwrap().chain(std::fs::read_dir(env.home()).unwrap()).collect();
    assert!(written.is_empty(), "the server wrote {written:?}");
}

#[test]
fn a_non_loopback_address_needs_allow_remote_and_warns() {
    let env = TestEnv::new();
    let refused = env.run(&["serve", "--addr", "0.0.0.0:0"]);
    assert_eq!(refused.code, 2);
    assert!(
        refused.stderr.contains("not a loopback address") && refused.stderr.contains("--allow-remote"),
        "{}",
        refused.stderr
    );
    let bad = env.run(&["serve", "--addr", "localhost"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("expected IP:PORT"), "{}", bad.stderr);
    let mut child = env
        .cmd(&["serve", "--addr", "0.0.0.0:0", "--allow-remote"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = String::new();
    while let Some(Ok(line)) = lines.next() {
        seen.push_str(&line);
        seen.push('\n');
        if line.contains("nothing you check") {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.contains("WARNING") && seen.contains("not loopback"), "{seen}");
}

/// Builds a minimal DOCX with one paragraph per item.
fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let body: String =
        paragraphs.iter().map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>")).collect();
    let doc = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in [("[Content_Types].xml", "<Types/>"), ("word/document.xml", doc.as_str())] {
        w.start_file(name, opts).unwrap();
        w.write_all(data.as_bytes()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Whether CI asks every test to run (then a missing browser is a failure, not a skip).
fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

#[test]
fn the_page_works_in_a_real_browser() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/serve_page.py");
    let missing: Vec<&str> = [("/usr/bin/chromium", "chromium"), ("/usr/bin/chromedriver", "chromium-driver")]
        .iter()
        .filter(|(path, _)| !std::path::Path::new(path).exists())
        .map(|(_, pkg)| *pkg)
        .chain(
            (!Command::new(crate::util::python())
                .args(["-c", "import selenium"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success()))
            .then_some("selenium (PyPI)"),
        )
        .collect();
    if !missing.is_empty() {
        assert!(!in_ci(), "CI is set but the browser test lacks {missing:?}; .ci/run installs them");
        eprintln!("skipping the browser test: missing {missing:?} (apt-get install chromium chromium-driver; pip install selenium)");
        return;
    }
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("serve-page-screenshots");
    let _ = std::fs::remove_dir_all(&shots);
    let out = Command::new(crate::util::python())
        .arg(script)
        .arg("--binary")
        .arg(env!("CARGO_BIN_EXE_phiscan"))
        .arg("--screenshots")
        .arg(&shots)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the browser test failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("browser test passed"), "{stdout}");
    for shot in ["breach.png", "safe.png"] {
        let len = std::fs::metadata(shots.join(shot)).map(|m| m.len()).unwrap_or(0);
        assert!(len > 10_000, "{shot}: {len} bytes");
    }
    eprintln!("browser screenshots: {}", shots.display());
}
