//! `phiscan serve`: a paste-and-check page and a JSON API, served from this machine.
//!
//! The people who publish posts rarely open a terminal; the page gives them the gate's engine,
//! rules, config and allow-lists in a browser tab, with nothing leaving the machine. The engine
//! is built once at start; each request scans in memory and the text is dropped with the
//! response. Nothing is logged or written: the console gets the start-up lines and, on an
//! internal error, the code location only.
//!
//! # Why `httparse` over `std::net`, not tiny_http or axum
//!
//! Measured on this project's 2-core machine, release builds of a minimal server: tiny_http
//! brings 5 crates and about 18 s of CPU; axum on tokio (http1, json, multipart) 55 crates, 94 s
//! of CPU and 0.6 MB more binary than tiny_http; httparse is one crate and about 9 s. The limits
//! this server must enforce decided the rest. tiny_http 0.12 has no read timeouts and no header
//! size limit, starts one thread per connection without bound, and its accept loop stops for
//! good on the first accept error (a flood that exhausts file descriptors would leave a dead
//! server). axum would enforce every limit, at five to ten times the compile time, for features a
//! one-request-per-connection page server on loopback does not use (async I/O, keep-alive,
//! HTTP/2, routing). So the request head is parsed by `httparse` (the parser inside hyper, with
//! no dependencies of its own) and the few hundred lines around it ([`http`]) own every bound:
//! head size and time, a declared body within `--max-body` (413 before it is read), per-read
//! and per-request timeouts, at most [`MAX_CONNECTIONS`] connections and `--max-scans` scans at
//! once (503 with `Retry-After` beyond), and an accept loop that survives errors.
//!
//! # Routes
//!
//! `GET /` (the page; `/app.js`, `/app.css`, `/favicon.svg`), `GET /healthz`, `POST /api/scan`
//! (the JSON report contract of `phiscan scan`), `POST /api/check` (the page's: see [`api`]).
//! Bodies are JSON `{"name", "text"}` or a multipart upload in a field `file`.

pub mod api;
pub mod http;
pub mod multipart;

use crate::cli::{parse_size, Cli, Command, RuleArgs};
use crate::config;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::scan::Scanner;
use clap::{Args, Parser as _};
use http::{Request, Response};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A synthetic draft scanned once at start, touching the common rules and detectors.
const WARM_UP: &str = "Warm-up: Jane Roe, 40, of Springfield, IL 62704, MRN 4821730, DOB 01/02/1984, had \
    asthma and takes albuterol after knee surgery; call (555) 010-0100, fax 555-010-0101, mail \
    jane.roe@example.org, see https://example.org/p/1 from 192.0.2.1. Dr. Ada Park, our nurse, agrees.\n";

/// Most connections handled at once; more get an immediate 503.
pub const MAX_CONNECTIONS: usize = 64;

/// `phiscan serve`
#[derive(Debug, Args, Clone)]
pub struct ServeArgs {
    /// The address to listen on. Loopback (this machine only) unless --allow-remote.
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:8765")]
    pub addr: String,
    /// Allow an address other than loopback: anyone who can reach it can have text checked.
    #[arg(long)]
    pub allow_remote: bool,
    /// Open the page in the default browser once the server is listening.
    #[arg(long)]
    pub open: bool,
    /// Largest request accepted (suffixes K, M, G); larger ones get 413.
    #[arg(long, value_name = "SIZE", default_value = "25M", value_parser = parse_size)]
    pub max_body: u64,
    /// Longest a request may take, in seconds, upload and check together.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub timeout: Duration,
    /// Most checks running at once (default: the number of CPUs); more get 503 with Retry-After.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub max_scans: Option<u16>,
    /// Put raw matched values in API reports (`value`). They are PHI: only where the API's
    /// clients are as trusted as the texts.
    #[arg(long)]
    pub show_values: bool,
    /// Rule selection and config.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Parses a positive number of seconds (`30`, `0.5`) into a duration.
fn parse_seconds(s: &str) -> std::result::Result<Duration, String> {
    let v: f64 = s.trim().trim_end_matches('s').parse().map_err(|_| format!("not a number of seconds: {s:?}"))?;
    if !(v > 0.0 && v <= 86_400.0) {
        return Err(format!("seconds must be above 0 and at most 86400, not {s}"));
    }
    Ok(Duration::from_secs_f64(v))
}

/// Everything a request handler reads: the scanner and the limits, shared by every thread.
pub struct State {
    scanner: Scanner,
    rules: usize,
    config_name: Option<String>,
    limits: http::Limits,
    max_scans: usize,
    scans: Arc<AtomicUsize>,
    connections: Arc<AtomicUsize>,
    /// Whether only loopback host names are answered (DNS rebinding guard).
    loopback: bool,
}

/// A bound, ready server.
pub struct Server {
    listener: TcpListener,
    state: Arc<State>,
}

/// A held scan slot, released on drop.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Takes one of `max` slots counted by `count`, if one is free.
fn take_slot(count: &Arc<AtomicUsize>, max: usize) -> Option<Slot> {
    count.fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < max).then_some(n + 1)).ok()?;
    Some(Slot(Arc::clone(count)))
}

/// Runs `phiscan serve` until the process is stopped; returns the exit code for a start-up
/// failure.
pub fn run(args: &ServeArgs) -> Result<u8> {
    let server = Server::bind(args)?;
    let url = server.url();
    let st = &server.state;
    eprintln!("phiscan serve: open {url} to check a draft");
    eprintln!(
        "phiscan serve: {} rules, config {}; up to {} checks at once, {} per request, {} s each",
        st.rules,
        st.config_name.as_deref().unwrap_or("(none: built-in defaults)"),
        st.max_scans,
        crate::report::human_bytes(st.limits.max_body),
        st.limits.timeout.as_secs_f64()
    );
    if !st.loopback {
        eprintln!(
            "phiscan serve: WARNING: listening on {}, not loopback: anyone who can reach this address can have \
             text checked here, unencrypted. Put it behind the organisation's HTTPS proxy and sign-in.",
            server.listener.local_addr().map(|a| a.to_string()).unwrap_or_default()
        );
    }
    eprintln!("phiscan serve: nothing you check is logged, kept or sent anywhere; stop with Ctrl+C");
    if args.open {
        open_browser(&url);
    }
    server.serve();
    Ok(2)
}

impl Server {
    /// Builds the engine from the config and binds the address; refuses a non-loopback address
    /// without `--allow-remote`.
    pub fn bind(args: &ServeArgs) -> Result<Server> {
        // `localhost:PORT` is what people type; it means the IPv4 loopback here.
        let written = match args.addr.strip_prefix("localhost:") {
            Some(port) => format!("127.0.0.1:{port}"),
            None => args.addr.clone(),
        };
        let addr: SocketAddr = written.parse().map_err(|_| {
            Error::config(format!(
                "--addr {:?}: expected IP:PORT, such as 127.0.0.1:8765, localhost:8765 or [::1]:8765",
                args.addr
            ))
        })?;
        let loopback = addr.ip().is_loopback();
        if !loopback && !args.allow_remote {
            return Err(Error::config(format!(
                "--addr {addr} is not a loopback address: anyone who can reach it could have text checked. \
                 Add --allow-remote if that is intended (and put it behind an HTTPS proxy)"
            )));
        }
        let Command::Scan(mut scan) =
            Cli::try_parse_from(["phiscan", "scan"]).map_err(|e| Error::config(e.to_string()))?.command
        else {
            unreachable!("`phiscan scan` parses as a scan");
        };
        scan.rules = args.rules.clone();
        scan.show_values = args.show_values;
        let file = config::load_file(args.rules.config.as_deref(), std::path::Path::new("."))?;
        let config_name = file.path.as_ref().map(|p| p.display().to_string());
        let (cfg, rules) = config::resolve_with(&scan, &file)?;
        let n_rules = rules.len();
        let scanner = Scanner::new(Engine::new(rules)?, &cfg);
        // Lazily built parts (the lexicon table, rules' context-word automata) are built now,
        // so that the first user's check is as quick as the rest.
        let _ = scanner.scan_text("warm-up.txt", WARM_UP.as_bytes());
        let listener = TcpListener::bind(addr).map_err(|source| Error::Io { path: addr.to_string().into(), source })?;
        let max_scans = args
            .max_scans
            .map(usize::from)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let state = State {
            scanner,
            rules: n_rules,
            config_name,
            limits: http::Limits { max_body: args.max_body, timeout: args.timeout },
            max_scans,
            scans: Arc::new(AtomicUsize::new(0)),
            connections: Arc::new(AtomicUsize::new(0)),
            loopback,
        };
        Ok(Server { listener, state: Arc::new(state) })
    }

    /// Returns the page's address.
    pub fn url(&self) -> String {
        match self.listener.local_addr() {
            Ok(a) if a.ip().is_unspecified() => format!("http://localhost:{}/", a.port()),
            Ok(a) => format!("http://{a}/"),
            Err(_) => "http://localhost/".into(),
        }
    }

    /// Accepts connections until the process ends; each is handled on its own thread.
    pub fn serve(self) {
        // Main's hook ends the process on a panic (right for a scan, fatal for a server): here
        // a panic answers one request with a 500 and the server goes on. The message may quote
        // a scanned value, so only the location is printed.
        std::panic::set_hook(Box::new(|info| {
            if crate::extract::panics_are_caught() {
                return;
            }
            let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
            eprintln!("phiscan serve: internal error at {at}; the request was answered with 500 (message withheld)");
        }));
        let mut quiet_until = Instant::now();
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => self.dispatch(stream),
                Err(e) => {
                    // Out of file descriptors, a reset before accept: wait a little, go on.
                    if Instant::now() >= quiet_until {
                        eprintln!("phiscan serve: cannot accept a connection ({e}); retrying");
                        quiet_until = Instant::now() + Duration::from_secs(60);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }

    fn dispatch(&self, mut stream: TcpStream) {
        let _ = stream.set_nodelay(true);
        let _ = stream.set_write_timeout(Some(http::READ_TIMEOUT));
        let Some(slot) = take_slot(&self.state.connections, MAX_CONNECTIONS) else {
            let busy =
                Response::error(503, "too many connections at once; try again in a moment").with("Retry-After", "1");
            if http::write_response(&mut stream, &busy).is_ok() {
                // Read what has already arrived without waiting (this is the accept thread), so
                // the close is a clean end of stream rather than a reset that could lose the 503.
                let _ = stream.shutdown(std::net::Shutdown::Write);
                if stream.set_nonblocking(true).is_ok() {
                    let mut sink = [0u8; 16 * 1024];
                    while matches!(std::io::Read::read(&mut stream, &mut sink), Ok(n) if n > 0) {}
                }
            }
            return;
        };
        let state = Arc::clone(&self.state);
        let spawned = std::thread::Builder::new().name("phiscan-http".into()).spawn(move || {
            let _slot = slot;
            handle_connection(&state, stream);
        });
        if spawned.is_err() {
            // The closure (and the stream and slot in it) is dropped: the client sees a close.
        }
    }
}

/// Reads one request, answers it, closes the connection.
fn handle_connection(state: &Arc<State>, mut stream: TcpStream) {
    let started = Instant::now();
    let _ = stream.set_read_timeout(Some(http::READ_TIMEOUT));
    let response = match http::read_request(&mut stream, &state.limits, started, |head| vet(state, head)) {
        Ok(mut req) => {
            let received = Instant::now();
            let handled = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| route(state, &mut req, started)));
            let response = handled.unwrap_or_else(|_| internal_error());
            let ms = received.elapsed().as_secs_f64() * 1000.0;
            response.with("Server-Timing", format!("total;dur={ms:.2}"))
        }
        Err(http::ReadError::Respond(r)) => r,
        Err(http::ReadError::Gone) => return,
    };
    http::finish(stream, &response);
}

fn internal_error() -> Response {
    Response::error(
        500,
        "internal error while handling this request (reported on the server's console, without your text)",
    )
}

/// The embedded page.
const INDEX_HTML: &str = include_str!("page/index.html");
const APP_JS: &str = include_str!("page/app.js");
const APP_CSS: &str = include_str!("page/app.css");
const FAVICON: &str = include_str!("page/favicon.svg");

/// The pages served with GET.
const PAGES: &[&str] = &["/", "/index.html", "/app.js", "/app.css", "/favicon.svg", "/healthz"];

/// Answers a request from its head alone when the body does not matter (refused, unknown, the
/// wrong method), so such a body is never read.
fn vet(state: &State, head: &Request) -> Option<Response> {
    if let Some(refused) = guard(state, head) {
        return Some(refused);
    }
    let path = head.path.as_str();
    if PAGES.contains(&path) {
        (head.method != "GET").then(|| method_not_allowed("GET"))
    } else if path == "/api/scan" || path == "/api/check" {
        (head.method != "POST").then(|| method_not_allowed("POST"))
    } else if path == "/api/redact" {
        (head.method != "POST").then(|| method_not_allowed("POST"))
    } else {
        Some(Response::error(404, "no such page here: the checker is at /"))
    }
}

/// Answers one request that [`vet`] let through.
fn route(state: &Arc<State>, req: &mut Request, started: Instant) -> Response {
    match req.path.as_str() {
        "/" | "/index.html" => Response::asset("text/html; charset=utf-8", INDEX_HTML.as_bytes()),
        "/app.js" => Response::asset("text/javascript; charset=utf-8", APP_JS.as_bytes()),
        "/app.css" => Response::asset("text/css; charset=utf-8", APP_CSS.as_bytes()),
        "/favicon.svg" => Response::asset("image/svg+xml", FAVICON.as_bytes()),
        "/healthz" => health(state),
        "/api/redact" => {
            let options = match api::redact_options(&req.query) {
                Ok(o) => o,
                Err(r) => return r,
            };
            let (name, bytes) = match api::input(req) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let deadline = started + state.limits.timeout;
            let job_name = name.clone();
            match run_job(state, deadline, move |st| crate::redact::redact(&st.scanner, &job_name, &bytes, &options)) {
                Ok(r) => api::redacted(&name, &options, r),
                Err(r) => r,
            }
        }
        _ => {
            let page = req.path == "/api/check";
            let (name, bytes) = match api::input(req) {
                Ok(x) => x,
                Err(r) => return r,
            };
            let scanned = match run_scan(state, name, bytes, started + state.limits.timeout) {
                Ok(s) => s,
                Err(r) => return r,
            };
            if let Some(r) = scanned.nothing_read() {
                return r;
            }
            let doc = if page { scanned.check() } else { scanned.report() };
            let ms = scanned.outcome.elapsed.as_secs_f64() * 1000.0;
            Response::json(200, doc).with("Server-Timing", format!("scan;dur={ms:.2}"))
        }
    }
}

fn method_not_allowed(allow: &'static str) -> Response {
    Response::error(405, &format!("use {allow} here")).with("Allow", allow)
}

/// Refuses requests a browser was tricked into sending: any host name but a loopback one while
/// listening on loopback (a DNS rebinding page), and a POST from another site's page.
fn guard(state: &State, req: &Request) -> Option<Response> {
    let host = req.header("host").unwrap_or("");
    if state.loopback && !host.is_empty() && !is_loopback_host(host) {
        return Some(Response::error(403, "this server answers only to localhost addresses"));
    }
    if req.method != "GET" {
        let cross_site = req.header("sec-fetch-site").is_some_and(|s| s == "cross-site");
        let foreign_origin = req.header("origin").is_some_and(|o| o != "null" && o != format!("http://{host}"));
        if cross_site || foreign_origin {
            return Some(Response::error(403, "requests from other sites' pages are refused"));
        }
    }
    None
}

/// Whether a Host header names this machine: `localhost`, `127.x.x.x` or `[::1]`, any port.
fn is_loopback_host(host: &str) -> bool {
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, port)| if port.bytes().all(|b| b.is_ascii_digit()) { h } else { host })
    };
    name.eq_ignore_ascii_case("localhost")
        || name.to_ascii_lowercase().ends_with(".localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn health(state: &State) -> Response {
    let doc = serde_json::json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": state.rules,
        "config": state.config_name.as_deref().map(|c| {
            std::path::Path::new(c).file_name().map_or(c.to_string(), |n| n.to_string_lossy().into_owned())
        }),
        "scans_running": state.scans.load(Ordering::Acquire),
        "max_scans": state.max_scans,
        "max_body": state.limits.max_body,
        "timeout_s": state.limits.timeout.as_secs_f64(),
    });
    Response::json(200, serde_json::to_vec(&doc).unwrap_or_default())
}

/// Scans on a thread of its own, holding one of the `--max-scans` slots until the scan ends
/// (even past the deadline: an engine pass cannot be interrupted, so the slot keeps counting
/// it), and waits for it until `deadline`.
fn run_scan(
    state: &Arc<State>,
    name: String,
    bytes: Vec<u8>,
    deadline: Instant,
) -> std::result::Result<api::Scanned, Response> {
    run_job(state, deadline, move |st| api::scan(&st.scanner, &name, bytes))
}

/// Runs `job` (a scan or a redaction) on a thread of its own under one of the slots, waiting
/// for it until `deadline`.
fn run_job<T: Send + 'static>(
    state: &Arc<State>,
    deadline: Instant,
    job: impl FnOnce(&State) -> T + Send + 'static,
) -> std::result::Result<T, Response> {
    let busy =
        || Response::error(503, "the checker is busy with other texts; try again in a moment").with("Retry-After", "2");
    let Some(slot) = take_slot(&state.scans, state.max_scans) else {
        return Err(busy());
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let st = Arc::clone(state);
    let spawned = std::thread::Builder::new().name("phiscan-scan".into()).spawn(move || {
        let _slot = slot;
        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&st)));
        let _ = tx.send(done);
    });
    if spawned.is_err() {
        return Err(busy());
    }
    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(_)) | Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(internal_error()),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(Response::error(
            503,
            &format!(
                "the check took longer than this server's limit of {} s (--timeout); try a shorter text",
                state.limits.timeout.as_secs_f64()
            ),
        )),
    }
}

/// Opens `url` in the default browser, or says how to open it.
fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    let opened = std::process::Command::new(program)
        .args(&args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if opened.is_err() {
        eprintln!("phiscan serve: could not open a browser ({program}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_host_names() {
        for h in
            ["localhost", "localhost:8765", "127.0.0.1:80", "127.9.9.9", "[::1]:8765", "LOCALHOST", "app.localhost:1"]
        {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["example.org", "evil.example:8765", "10.0.0.1:8765", "[2001:db8::1]:80", "localhost.example"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn slots_are_bounded_and_released() {
        let count = Arc::new(AtomicUsize::new(0));
        let a = take_slot(&count, 2).unwrap();
        let _b = take_slot(&count, 2).unwrap();
        assert!(take_slot(&count, 2).is_none());
        drop(a);
        assert!(take_slot(&count, 2).is_some());
    }

    #[test]
    fn seconds_parse() {
        assert_eq!(parse_seconds("30"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_seconds("0.5s"), Ok(Duration::from_millis(500)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("soon").is_err());
        assert!(parse_seconds("NaN").is_err());
    }
}
