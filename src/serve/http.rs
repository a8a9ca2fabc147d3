//! HTTP/1.1 over `std::net`: one request per connection, every limit enforced here.
//!
//! `httparse` parses the request head; everything around it is the few things a page and a JSON
//! API on a loopback port need, each with a bound: the head must arrive within
//! [`HEAD_TIMEOUT`] and fit in [`MAX_HEAD`] bytes and [`MAX_HEADERS`] headers; the body must
//! declare its length (no chunked uploads) and that length must be within the request size
//! limit before a byte of it is read (413 at once, or before `100 Continue`); each read waits at
//! most [`READ_TIMEOUT`] and the whole request at most the request time limit. Responses close
//! the connection (`Connection: close`): no keep-alive state, no idle sockets to bound. Every
//! response carries the security headers ([`SECURITY_HEADERS`]), whatever its status.
//!
//! Nothing here logs: a request's line, headers and body are never printed or written.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

/// Largest request head (request line and headers) accepted.
pub const MAX_HEAD: usize = 16 * 1024;

/// Most headers accepted in one request.
pub const MAX_HEADERS: usize = 64;

/// How long the client may take to send the request head.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);

/// How long one read or write may wait for the other side.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// The Content-Security-Policy of every response: nothing but this server's own scripts,
/// styles and images, no frames, no forms posted elsewhere, fetches only to this server.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; \
    connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Headers sent with every response.
pub const SECURITY_HEADERS: &[(&str, &str)] = &[
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
    // Drafts and reports are PHI: no browser or proxy cache may keep them.
    ("Cache-Control", "no-store"),
];

/// One parsed request with its whole body.
#[derive(Debug, Default)]
pub struct Request {
    /// The method (`GET`, `POST`, …).
    pub method: String,
    /// The path, without the query.
    pub path: String,
    /// The query string after `?`, if any.
    pub query: String,
    /// Headers with lower-case names, in the order sent.
    pub headers: Vec<(String, String)>,
    /// The body (empty for requests without one).
    pub body: Vec<u8>,
}

impl Request {
    /// Returns the first header with this (lower-case) name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// A response to write.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The Content-Type.
    pub content_type: &'static str,
    /// The body.
    pub body: std::borrow::Cow<'static, [u8]>,
    /// Headers beyond the standard and security ones.
    pub headers: Vec<(&'static str, String)>,
}

impl Response {
    /// Returns a JSON response.
    pub fn json(status: u16, body: Vec<u8>) -> Response {
        Response { status, content_type: "application/json; charset=utf-8", body: body.into(), headers: Vec::new() }
    }

    /// Returns a JSON error `{"error": message}`; `message` must never quote scanned text.
    pub fn error(status: u16, message: &str) -> Response {
        let body = serde_json::to_vec(&serde_json::json!({ "error": message, "status": status }))
            .unwrap_or_else(|_| b"{\"error\":\"error\"}".to_vec());
        Response::json(status, body)
    }

    /// Returns an embedded asset.
    pub fn asset(content_type: &'static str, body: &'static [u8]) -> Response {
        Response { status: 200, content_type, body: body.into(), headers: Vec::new() }
    }

    /// Adds a header.
    pub fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// Returns the reason phrase of a status code.
fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        411 => "Length Required",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Content",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Writes `response` (with the security headers and `Connection: close`).
pub fn write_response(stream: &mut impl Write, response: &Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (k, v) in SECURITY_HEADERS {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    for (k, v) in &response.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()
}

/// What the connection handler needs to know to read a request.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest body accepted, in bytes.
    pub max_body: u64,
    /// The whole request (head, body and handling) must finish within this.
    pub timeout: Duration,
}

/// Why a request could not be read; each maps to a status and a message, or to silence when
/// the client went away.
#[derive(Debug)]
pub enum ReadError {
    /// Answer with this response, then close.
    Respond(Response),
    /// The client closed or reset the connection: nothing to answer.
    Gone,
}

fn respond(status: u16, message: &str) -> ReadError {
    ReadError::Respond(Response::error(status, message))
}

/// Reads one request from `stream` within `limits`: the head, then the declared body, unless
/// `vet` answers the head first (a refused origin, an unknown path: no body is read for those).
pub fn read_request(
    stream: &mut TcpStream,
    limits: &Limits,
    started: Instant,
    vet: impl FnOnce(&Request) -> Option<Response>,
) -> Result<Request, ReadError> {
    let mut buf = Vec::with_capacity(4096);
    let mut chunk = [0u8; 8192];
    let (mut req, head_len) = loop {
        if started.elapsed() > HEAD_TIMEOUT {
            return Err(respond(408, "the request head took too long to arrive"));
        }
        let n = match stream.read(&mut chunk) {
            Ok(0) => return Err(ReadError::Gone),
            Ok(n) => n,
            Err(e) if timed_out(&e) => return Err(respond(408, "the request head took too long to arrive")),
            Err(_) => return Err(ReadError::Gone),
        };
        buf.extend_from_slice(&chunk[..n]);
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut parsed = httparse::Request::new(&mut headers);
        match parsed.parse(&buf) {
            Ok(httparse::Status::Complete(len)) => break (head(&parsed)?, len),
            Ok(httparse::Status::Partial) if buf.len() > MAX_HEAD => {
                return Err(respond(431, "the request head is larger than 16 KB"));
            }
            Ok(httparse::Status::Partial) => {}
            Err(httparse::Error::TooManyHeaders) => {
                return Err(respond(431, "the request has more than 64 headers"));
            }
            Err(_) => return Err(respond(400, "malformed HTTP request")),
        }
    };
    if head_len > MAX_HEAD {
        return Err(respond(431, "the request head is larger than 16 KB"));
    }
    if let Some(answer) = vet(&req) {
        return Err(ReadError::Respond(answer));
    }
    if req.header("transfer-encoding").is_some() {
        return Err(respond(411, "send the body with a Content-Length header (chunked uploads are not accepted)"));
    }
    let lengths: Vec<&str> = req.headers.iter().filter(|(k, _)| k == "content-length").map(|(_, v)| v.trim()).collect();
    let length = match lengths.as_slice() {
        [] => 0,
        [one, rest @ ..] if rest.iter().all(|r| r == one) => match one.parse::<u64>() {
            Ok(n) => n,
            Err(_) => return Err(respond(400, "the Content-Length header is not a number")),
        },
        _ => return Err(respond(400, "conflicting Content-Length headers")),
    };
    if length > limits.max_body {
        return Err(ReadError::Respond(too_large(limits.max_body)));
    }
    let mut body = buf.split_off(head_len);
    if body.len() as u64 > length {
        // Pipelined requests are not supported: one request per connection.
        body.truncate(length as usize);
    }
    if (body.len() as u64) < length
        && req.header("expect").is_some_and(|e| e.eq_ignore_ascii_case("100-continue"))
        && stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err()
    {
        return Err(ReadError::Gone);
    }
    body.reserve_exact(length as usize - body.len());
    while (body.len() as u64) < length {
        if started.elapsed() > limits.timeout {
            return Err(respond(408, "the request body took too long to arrive"));
        }
        let want = ((length as usize) - body.len()).min(chunk.len());
        match stream.read(&mut chunk[..want]) {
            Ok(0) => return Err(ReadError::Gone),
            Ok(n) => body.extend_from_slice(&chunk[..n]),
            Err(e) if timed_out(&e) => return Err(respond(408, "the request body took too long to arrive")),
            Err(_) => return Err(ReadError::Gone),
        }
    }
    req.body = body;
    Ok(req)
}

/// Returns the 413 for a body over `max` bytes.
pub fn too_large(max: u64) -> Response {
    Response::error(
        413,
        &format!(
            "the request is larger than this server accepts ({}); check a shorter text, or start the server \
             with a larger --max-body",
            crate::report::human_bytes(max)
        ),
    )
}

fn head(parsed: &httparse::Request<'_, '_>) -> Result<Request, ReadError> {
    if parsed.version != Some(1) && parsed.version != Some(0) {
        return Err(respond(505, "only HTTP/1.0 and HTTP/1.1 are spoken here"));
    }
    let target = parsed.path.unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let headers = parsed
        .headers
        .iter()
        .map(|h| (h.name.to_ascii_lowercase(), String::from_utf8_lossy(h.value).into_owned()))
        .collect();
    Ok(Request {
        method: parsed.method.unwrap_or("GET").to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    })
}

fn timed_out(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
}

/// Writes `response` and closes the connection gracefully: the write side first, then a short
/// drain of whatever the client is still sending (so it reads the response, a 413 say, rather
/// than a reset).
pub fn finish(mut stream: TcpStream, response: &Response) {
    if write_response(&mut stream, response).is_err() {
        return;
    }
    let _ = stream.shutdown(Shutdown::Write);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(500)));
    let deadline = Instant::now() + Duration::from_secs(2);
    let mut sink = [0u8; 16 * 1024];
    let mut drained: u64 = 0;
    while Instant::now() < deadline && drained < 64 << 20 {
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    /// Sends `raw` to a fresh connection and returns what `read_request` made of it.
    fn read(raw: &[u8], limits: Limits) -> Result<Request, ReadError> {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let raw = raw.to_vec();
        let client = std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            s.write_all(&raw).unwrap();
            // Keep the socket open until the server has read.
            std::thread::sleep(Duration::from_millis(300));
        });
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(200))).unwrap();
        let r = read_request(&mut stream, &limits, Instant::now(), |_| None);
        client.join().unwrap();
        r
    }

    fn status(r: Result<Request, ReadError>) -> u16 {
        match r {
            Ok(_) => 200,
            Err(ReadError::Respond(resp)) => resp.status,
            Err(ReadError::Gone) => 0,
        }
    }

    const LIMITS: Limits = Limits { max_body: 100, timeout: Duration::from_secs(5) };

    #[test]
    fn reads_head_query_and_body() {
        let r = read(b"POST /api/scan?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nX-A: b\r\n\r\nhello", LIMITS)
            .unwrap();
        assert_eq!((r.method.as_str(), r.path.as_str(), r.query.as_str()), ("POST", "/api/scan", "x=1"));
        assert_eq!(r.header("x-a"), Some("b"));
        assert_eq!(r.body, b"hello");
    }

    #[test]
    fn limits_give_clear_statuses() {
        assert_eq!(status(read(b"POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", LIMITS)), 413);
        assert_eq!(status(read(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", LIMITS)), 411);
        assert_eq!(status(read(b"POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n", LIMITS)), 400);
        assert_eq!(status(read(b"POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", LIMITS)), 400);
        assert_eq!(status(read(b"NOT HTTP AT ALL\r\n\r\n", LIMITS)), 400);
        let many: String = (0..70).map(|i| format!("X-{i}: y\r\n")).collect();
        assert_eq!(status(read(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes(), LIMITS)), 431);
        let long = format!("GET / HTTP/1.1\r\nX: {}\r\n", "y".repeat(MAX_HEAD + 10));
        assert_eq!(status(read(long.as_bytes(), LIMITS)), 431);
        // A body shorter than declared, then silence: a timeout, answered.
        assert_eq!(status(read(b"POST / HTTP/1.1\r\nContent-Length: 50\r\n\r\nabc", LIMITS)), 408);
    }

    #[test]
    fn responses_carry_the_security_headers() {
        let mut out = Vec::new();
        write_response(&mut out, &Response::error(404, "no such page")).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 404 Not Found\r\n"), "{text}");
        assert!(text.contains(&format!("Content-Security-Policy: {CSP}\r\n")));
        assert!(text.contains("Cache-Control: no-store\r\n"));
        assert!(text.contains("Connection: close\r\n"));
        assert!(text.ends_with("{\"error\":\"no such page\",\"status\":404}"), "{text}");
    }
}
