//! `phiscan serve` latency for a 1 KB draft: the server's work per request, and a whole HTTP
//! round trip over loopback (the page's check-as-you-type budget is 20 ms).
//!
//! Run with `cargo bench --bench serve`. The draft is synthetic: a patient story with a name, an
//! age, a diagnosis, a phone number and a staff name, about 1 KB, like a post being typed.
#![allow(missing_docs)]

use divan::{black_box, Bencher};
use phiscan::engine::Engine;
use phiscan::scan::Scanner;
use phiscan::serve::{api, ServeArgs, Server};
use std::io::{Read, Write};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// Returns a 1 KB draft.
fn draft() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let story = "What a week on the fourth floor! Tamsin Varga-Holt, 61, finished her last round of \
            chemotherapy for ovarian cancer on Tuesday, and the whole unit lined the hallway to cheer. \
            Dr. Ilse Brannock, our gynecologic oncologist, says the scans look clear. Tamsin asked us to \
            share her story so other women know the warning signs. Call (555) 010-0199 to reach the \
            survivorship program, or stop by the resource center on the first floor any weekday. ";
        let mut out = String::new();
        while out.len() < 1000 {
            out.push_str(story);
        }
        out.truncate(1024);
        out
    })
}

fn scanner() -> &'static Scanner {
    static SCANNER: OnceLock<Scanner> = OnceLock::new();
    SCANNER.get_or_init(|| Scanner::with_defaults(Engine::new(phiscan::rules::builtin::rules().unwrap()).unwrap()))
}

/// The page's request: scan, report, text spans, safe version.
#[divan::bench]
fn check_1kb(bencher: Bencher) {
    let text = draft();
    bencher.bench(|| api::scan(scanner(), "draft.txt", black_box(text.as_bytes().to_vec())).check());
}

/// The API's request: scan and the JSON report contract.
#[divan::bench]
fn scan_1kb(bencher: Bencher) {
    let text = draft();
    bencher.bench(|| api::scan(scanner(), "draft.txt", black_box(text.as_bytes().to_vec())).report());
}

/// A whole `POST /api/check` over loopback to a server in this process.
#[divan::bench]
fn http_round_trip_1kb(bencher: Bencher) {
    static ADDR: OnceLock<String> = OnceLock::new();
    let addr = ADDR.get_or_init(|| {
        let args = ServeArgs {
            addr: "127.0.0.1:0".into(),
            allow_remote: false,
            open: false,
            max_body: 25 << 20,
            timeout: std::time::Duration::from_secs(30),
            max_scans: None,
            show_values: false,
            rules: Default::default(),
        };
        let server = Server::bind(&args).expect("bind");
        let addr = server.url().trim_start_matches("http://").trim_end_matches('/').to_string();
        std::thread::spawn(move || server.serve());
        addr
    });
    let body = serde_json::json!({"name": "draft.txt", "text": draft()}).to_string();
    let request = format!(
        "POST /api/check HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    bencher.bench(|| {
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).unwrap();
        assert!(out.starts_with(b"HTTP/1.1 200"));
        out
    });
}
