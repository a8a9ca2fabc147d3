//! The hostile-input suite: one case per class of issue 11 (hangs, blow-ups, silent passes,
//! leaks through our own output), each with a wall-time bound, its exit code and its reason.
//! Inputs are generated here; every value is synthetic (SSNs 536-22-xxxx, phones 555-01xx).

use crate::util::TestEnv;
use serde_json::Value;
use std::io::Write;
use std::time::{Duration, Instant};

/// The bound on every case: generous, for a debug build on a slow 2-core CI machine.
const BOUND: Duration = Duration::from_secs(10);

/// Builds a zip archive of `(name, contents)` members, deflated.
fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in members {
        w.start_file(*name, opts).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Runs `phiscan scan --format json ARGS`, checks the time bound and that nothing panicked.
fn scan(env: &TestEnv, args: &[&str]) -> (i32, Value, String) {
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    let started = Instant::now();
    let r = env.run(&all);
    let took = started.elapsed();
    assert!(took < BOUND, "{args:?} took {took:?} (bound {BOUND:?})");
    assert!(!r.stderr.contains("internal error"), "panic: {}", r.stderr);
    (r.code, r.json(), r.stderr)
}

/// Returns the message of the error reported for `path`.
fn error_for(doc: &Value, path: &str) -> String {
    let e = doc["summary"]["errors"].as_array().unwrap().iter().find(|e| e["path"] == path);
    e.unwrap_or_else(|| panic!("no error for {path}: {:#}", doc["summary"]))["message"].as_str().unwrap().to_string()
}

/// Returns the reason `path` was skipped.
fn skip_for(doc: &Value, path: &str) -> String {
    let e = doc["summary"]["skipped"].as_array().unwrap().iter().find(|e| e["path"] == path);
    e.unwrap_or_else(|| panic!("no skip for {path}: {:#}", doc["summary"]))["reason"].as_str().unwrap().to_string()
}

fn docx(document_xml: &[u8]) -> Vec<u8> {
    zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", document_xml)])
}

fn para(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

// Never fail open

#[cfg(unix)]
#[test]
fn symlinks_in_walked_folders_are_errors_unless_a_choice_is_stated() {
    let env = TestEnv::new();
    env.write("outside/notes.txt", "SSN 536-22-8727\n");
    env.write("drafts/post.txt", "Open day on Friday.\n");
    std::os::unix::fs::symlink("../outside/notes.txt", env.path().join("drafts/notes.txt")).unwrap();
    let (code, doc, stderr) = scan(&env, &["drafts"]);
    assert_eq!(code, 2, "a link not read fails the gate");
    assert!(error_for(&doc, "drafts/notes.txt").contains("--follow-symlinks"));
    assert!(stderr.contains("symbolic link not scanned"), "{stderr}");
    let (code, doc, _) = scan(&env, &["--no-follow", "drafts"]);
    assert_eq!(code, 0);
    assert_eq!(skip_for(&doc, "drafts/notes.txt"), "symbolic link (--no-follow)");
    let (code, doc, _) = scan(&env, &["--follow-symlinks", "drafts"]);
    assert_eq!(code, 1, "{doc:#}");
    assert_eq!(doc["findings"][0]["path"], "drafts/notes.txt");
}

#[cfg(unix)]
#[test]
fn fifos_and_devices_are_refused_before_opening() {
    let env = TestEnv::new();
    env.write("drafts/post.txt", "Open day on Friday.\n");
    let fifo = env.path().join("drafts/pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    assert!(made, "mkfifo");
    // A FIFO with no writer: opening it would block forever.
    let (code, doc, _) = scan(&env, &["drafts"]);
    assert_eq!(code, 2);
    assert!(error_for(&doc, "drafts/pipe").contains("not a regular file (a FIFO)"));
    let (code, doc, _) = scan(&env, &["drafts/pipe"]);
    assert_eq!(code, 2);
    assert!(error_for(&doc, "drafts/pipe").contains("refused before opening"));
    // A device that never ends, even with a small size limit.
    let (code, doc, _) = scan(&env, &["--max-file-size", "1M", "/dev/zero"]);
    assert_eq!(code, 2);
    assert!(error_for(&doc, "/dev/zero").contains("character device"));
    // Stdin stays supported through `-`.
    let r = env.run_stdin(&["scan", "--format", "json", "-"], b"SSN 536-22-8727\n");
    assert_eq!(r.code, 1, "{}", r.stderr);
}

#[test]
fn every_limit_hit_is_an_error_with_its_reason() {
    let env = TestEnv::new();
    // The 10,001st member of a zip.
    let names: Vec<String> = (0..10_001).map(|k| format!("m{k}.txt")).collect();
    let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    env.write("many.zip", zip(&members));
    // A zip nested six deep.
    let mut nested = zip(&[("deep.txt", b"SSN 536-22-8727")]);
    for k in 0..6 {
        nested = zip(&[(&format!("level{k}.zip"), &nested)]);
    }
    env.write("nested.zip", nested);
    // An e-mail forwarded six deep, each as a message/rfc822 attachment.
    let mut mail =
        "From: a@example.org\r\nTo: b@example.org\r\nSubject: innermost\r\n\r\nSSN 536-22-8727\r\n".to_string();
    for k in 0..6 {
        mail = format!(
            "From: a@example.org\r\nTo: b@example.org\r\nSubject: fwd {k}\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b{k}\"\r\n\r\n--b{k}\r\nContent-Type: text/plain\r\n\r\nsee \
             attached\r\n--b{k}\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n{mail}\r\n--b{k}--\r\n"
        );
    }
    env.write("fwd.eml", mail);
    // Message 10,001 of a mailbox: 10,000 documents take a debug build longer than the
    // bound, so that limit is checked with a small one in `extract::mail`'s unit tests.
    // A bomb: 40 MB of one digit deflates to ~40 KB.
    env.write("bomb.zip", zip(&[("zeros.csv", &vec![b'0'; 40 << 20])]));
    // One scan per input: each is bounded on its own.
    let (code, doc, _) = scan(&env, &["many.zip"]);
    assert_eq!(code, 2);
    assert!(error_for(&doc, "many.zip").contains("over the limit of 10000"));
    for deep in ["nested.zip", "fwd.eml"] {
        let (code, doc, _) = scan(&env, &[deep]);
        assert_eq!(code, 2);
        let errors = doc["summary"]["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["path"].as_str().unwrap().starts_with(&format!("{deep}!"))
                && e["message"].as_str().unwrap().contains("nested more than")),
            "{errors:#?}"
        );
    }
    let (code, doc, _) = scan(&env, &["bomb.zip"]);
    assert_eq!(code, 2);
    assert!(error_for(&doc, "bomb.zip!zeros.csv").contains("decompression bomb guard"));
}

#[test]
fn a_docx_padded_with_spaces_is_not_a_bomb() {
    let env = TestEnv::new();
    let mut xml = String::from("<w:document><w:body>");
    xml.push_str(&para("SSN 536-22-8727"));
    xml.push_str(&" ".repeat(4 << 20));
    xml.push_str("</w:body></w:document>");
    let bytes = docx(xml.as_bytes());
    assert!(bytes.len() < 64 << 10, "it compresses a thousandfold: {}", bytes.len());
    env.write("padded.docx", bytes);
    let (code, doc, _) = scan(&env, &["padded.docx"]);
    assert_eq!(code, 1, "{:#}", doc["summary"]);
    assert_eq!(doc["findings"][0]["category"], "ssn");
}

#[test]
fn a_nul_in_a_text_file_decodes_what_it_can() {
    let env = TestEnv::new();
    env.write("export.csv", b"name,ssn\nRow\0One,536-22-8727\n");
    env.write("notes.txt", b"\0 SSN 536-22-8727\n");
    let (code, doc, _) = scan(&env, &["."]);
    assert_eq!(code, 1, "{:#}", doc["summary"]);
    let paths: Vec<&str> = doc["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"export.csv") && paths.contains(&"notes.txt"), "{paths:?}");
}

#[test]
fn utf32_is_recognised_by_its_bom() {
    let env = TestEnv::new();
    let text = "Patient SSN 536-22-8727\n";
    let le: Vec<u8> =
        [0xFF, 0xFE, 0, 0].into_iter().chain(text.chars().flat_map(|c| (c as u32).to_le_bytes())).collect();
    let be: Vec<u8> =
        [0, 0, 0xFE, 0xFF].into_iter().chain(text.chars().flat_map(|c| (c as u32).to_be_bytes())).collect();
    env.write("le.txt", le);
    env.write("be.txt", be);
    let (code, doc, _) = scan(&env, &["."]);
    assert_eq!(code, 1);
    let found = doc["findings"].as_array().unwrap();
    assert_eq!(found.len(), 2, "{found:#?}");
    // Source offsets are the file's own: 4 bytes a character, after the 4-byte BOM.
    let f = found.iter().find(|f| f["path"] == "le.txt").unwrap();
    assert_eq!(f["source"]["start"], 4 + 4 * 12, "{f:#}");
}

#[test]
fn a_truncated_xml_part_is_reported() {
    let env = TestEnv::new();
    let cut = format!("<w:document><w:body>{}<w:p><w:r><w:t>Call 330-555-01", para("MRN: 40719385"));
    env.write("cut.docx", docx(cut.as_bytes()));
    let (code, doc, _) = scan(&env, &["cut.docx"]);
    assert_eq!(code, 2);
    assert!(error_for(&doc, "cut.docx").contains("truncated XML"), "{:#}", doc["summary"]);
    assert_eq!(doc["findings"][0]["category"], "mrn", "what came before is scanned");
}

// Bounded work

/// Builds a PDF of `objects` (numbered from 1; `None` leaves a number free, for objects that live
/// in an object stream) with a classic cross-reference table whose offsets are all `shift`
/// bytes off (0 for a sound file). The catalog is object 1.
fn pdf_of(objects: &[Option<Vec<u8>>], shift: i64) -> Vec<u8> {
    let mut out = b"%PDF-1.5\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(o.as_ref().map(|_| out.len()));
        let Some(o) = o else { continue };
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for off in offsets {
        match off {
            Some(off) => out.extend_from_slice(format!("{:010} 00000 n \n", off as i64 + shift).as_bytes()),
            None => out.extend_from_slice(b"0000000000 00001 f \n"),
        }
    }
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes(),
    );
    out
}

/// A stream object: its dictionary entries (`/Filter …`) and its data.
fn stream_object(entries: &str, data: &[u8]) -> Vec<u8> {
    [format!("<< /Length {} {entries} >>\nstream\n", data.len()).as_bytes(), data, b"\nendstream"].concat()
}

/// The catalog, page tree, page (contents: object 4) and font of a one-page PDF, as objects
/// 1, 2, 3 and 5.
fn page_objects() -> [Vec<u8>; 4] {
    [
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_vec(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
    ]
}

/// Builds a one-page PDF whose content stream is `stream` with the `filter` entry given.
fn pdf_with_stream(stream: &[u8], filter: &str) -> Vec<u8> {
    let [catalog, pages, page, font] = page_objects();
    pdf_of(&[Some(catalog), Some(pages), Some(page), Some(stream_object(filter, stream)), Some(font)], 0)
}

/// Builds a one-page PDF whose catalog, page tree, page and font live in an object stream
/// (object 6), its data followed by `padding` and passed through `encode`.
fn pdf_with_object_stream(content: &[u8], padding: &[u8], filter: &str, encode: impl Fn(&[u8]) -> Vec<u8>) -> Vec<u8> {
    let [catalog, pages, page, font] = page_objects();
    let mut header = String::new();
    let mut body = Vec::new();
    for (num, o) in [(1, catalog), (2, pages), (3, page), (5, font)] {
        header.push_str(&format!("{num} {} ", body.len()));
        body.extend_from_slice(&o);
        body.push(b'\n');
    }
    let data = [header.as_bytes(), &body, padding].concat();
    let objstm = stream_object(&format!("/Type /ObjStm /N 4 /First {} {filter}", header.len()), &encode(&data));
    pdf_of(&[None, None, None, Some(stream_object("", content)), None, Some(objstm)], 0)
}

fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

#[test]
fn pdf_streams_inflate_through_the_cap() {
    let env = TestEnv::new();
    let text = b"BT /F1 12 Tf 72 720 Td (Patient SSN 536-22-8727) Tj ET";
    env.write("ok.pdf", pdf_with_stream(&deflate(&deflate(text)), "/Filter [/FlateDecode /FlateDecode]"));
    // Double-deflated zeros: a few KB that would inflate a thousandfold and more.
    let bomb = deflate(&deflate(&vec![b'0'; 16 << 20]));
    assert!(bomb.len() < 64 << 10, "{}", bomb.len());
    env.write("bomb.pdf", pdf_with_stream(&bomb, "/Filter [/FlateDecode /FlateDecode]"));
    let (code, doc, _) = scan(&env, &["."]);
    assert_eq!(code, 2);
    assert_eq!(doc["findings"][0]["path"], "ok.pdf", "{:#}", doc["findings"]);
    assert!(error_for(&doc, "bomb.pdf").contains("decompression bomb guard"), "{:#}", doc["summary"]);
}

#[test]
fn pdf_object_streams_and_lzw_decode_through_the_cap() {
    let env = TestEnv::new();
    let text = b"BT /F1 12 Tf 72 720 Td (Patient SSN 536-22-8727) Tj ET";
    // Most modern PDFs keep their page tree in an object stream, which lopdf inflates itself
    // while loading: it goes through our cap first.
    let deflate2 = |d: &[u8]| deflate(&deflate(d));
    env.write("objstm.pdf", pdf_with_object_stream(text, b"", "/Filter [/FlateDecode /FlateDecode]", deflate2));
    let zeros = vec![b'0'; 16 << 20];
    let bomb = pdf_with_object_stream(text, &zeros, "/Filter [/FlateDecode /FlateDecode]", deflate2);
    assert!(bomb.len() < 64 << 10, "{}", bomb.len());
    env.write("objstm-bomb.pdf", bomb);
    // LZW: a code can stand for thousands of bytes.
    let lzw = |d: &[u8]| weezl::encode::Encoder::with_tiff_size_switch(weezl::BitOrder::Msb, 8).encode(d).unwrap();
    env.write("lzw.pdf", pdf_with_stream(&lzw(text), "/Filter /LZWDecode"));
    env.write("lzw-bomb.pdf", pdf_with_stream(&lzw(&zeros), "/Filter /LZWDecode"));
    let (code, doc, _) = scan(&env, &["."]);
    assert_eq!(code, 2);
    let found: Vec<&str> = doc["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(found, ["lzw.pdf", "objstm.pdf"], "{:#}", doc["summary"]);
    for bomb in ["objstm-bomb.pdf", "lzw-bomb.pdf"] {
        let m = error_for(&doc, bomb);
        assert!(m.contains("decompression bomb guard") && m.contains("stream"), "{bomb}: {m}");
    }
}

#[test]
fn pdf_cross_reference_streams_inflate_through_the_cap() {
    let env = TestEnv::new();
    let [catalog, pages, page, font] = page_objects();
    let text = b"BT /F1 12 Tf 72 720 Td (Patient SSN 536-22-8727) Tj ET";
    let mut objects = vec![Some(catalog), Some(pages), Some(page), Some(stream_object("", text)), Some(font)];
    // lopdf inflates a cross-reference stream while reading the file's structure, before any
    // object is loaded: a bomb there is caught before lopdf sees it.
    let bomb = deflate(&deflate(&vec![b'0'; 16 << 20]));
    objects.push(Some(stream_object(
        "/Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter [/FlateDecode /FlateDecode]",
        &bomb,
    )));
    let mut pdf = pdf_of(&objects, 0);
    let at = memchr::memmem::find(&pdf, b"6 0 obj").unwrap();
    let table = memchr::memmem::rfind(&pdf, b"xref\n0 ").unwrap();
    pdf.truncate(table);
    pdf.extend_from_slice(format!("startxref\n{at}\n%%EOF\n").as_bytes());
    env.write("xref-bomb.pdf", pdf);
    let (code, doc, _) = scan(&env, &["xref-bomb.pdf"]);
    assert_eq!(code, 2);
    let m = error_for(&doc, "xref-bomb.pdf");
    assert!(m.contains("cross-reference stream") && m.contains("decompression bomb guard"), "{m}");
}

#[test]
fn a_pdf_with_a_damaged_cross_reference_table_is_reparsed() {
    let env = TestEnv::new();
    let [catalog, pages, page, font] = page_objects();
    let text = b"BT /F1 12 Tf 72 720 Td (Patient SSN 536-22-8727) Tj ET";
    let objects = [Some(catalog), Some(pages), Some(page.clone()), Some(stream_object("", text)), Some(font.clone())];
    // Every offset in the table a few bytes off, the table itself where it says.
    env.write("shifted.pdf", pdf_of(&objects, 3));
    // Bytes inserted after the header: every offset and the table's own position are off.
    let mut moved = pdf_of(&objects, 0);
    moved.splice(9..9, b"%edited\n".iter().copied());
    env.write("moved.pdf", moved);
    // A real image-only page stays "no text layer" after the objects are scanned for text.
    let [catalog, pages, _, _] = page_objects();
    let image_page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R \
        /Resources << /XObject << /Im1 5 0 R >> >> >>"
        .to_vec();
    let image = stream_object(
        "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
        b"\x00\xff\xff\x00",
    );
    let scan_page = stream_object("", b"q 200 0 0 200 72 500 cm /Im1 Do Q");
    env.write("image.pdf", pdf_of(&[Some(catalog), Some(pages), Some(image_page), Some(scan_page), Some(image)], 0));
    let (code, doc, _) = scan(&env, &["."]);
    assert_eq!(code, 1, "{:#}", doc["summary"]);
    let mut found: Vec<&str> =
        doc["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    found.sort();
    assert_eq!(found, ["moved.pdf", "shifted.pdf"], "{:#}", doc["summary"]);
    assert!(doc["findings"].as_array().unwrap().iter().all(|f| f["category"] == "ssn"));
    assert!(skip_for(&doc, "image.pdf").contains("no text layer"), "{:#}", doc["summary"]);
}

/// The bound on the peak resident memory of one scan of a hostile input: the decompression
/// budget (512 MB) is never reached by these cases, whose limits stop them far below it.
const RSS_BOUND_MB: u64 = 512;

/// Runs `phiscan scan --format json ARGS` under Python's `resource` module, which reports the
/// peak resident set of that one child as the kernel measured it (this crate forbids the
/// `unsafe` a direct `wait4` would need). Checks the time bound and returns the exit code, the
/// report and the peak in MB.
fn scan_measured(env: &TestEnv, args: &[&str]) -> (i32, Value, u64) {
    const RUN: &str = "import resource, subprocess, sys\n\
        code = subprocess.run(sys.argv[1:]).returncode\n\
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n\
        print(f'peak-rss-kb {peak} exit {code}', file=sys.stderr)\n";
    let mut c = std::process::Command::new(crate::util::python());
    c.args(["-c", RUN, env!("CARGO_BIN_EXE_phiscan"), "scan", "--format", "json"]).args(args).env("NO_COLOR", "1");
    env.isolate(&mut c);
    let started = Instant::now();
    let out = c.stdin(std::process::Stdio::null()).output().expect("run python");
    let took = started.elapsed();
    assert!(took < BOUND, "{args:?} took {took:?} (bound {BOUND:?})");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("internal error"), "panic: {stderr}");
    let last = stderr.lines().rev().find_map(|l| l.strip_prefix("peak-rss-kb ")).unwrap_or_else(|| panic!("{stderr}"));
    let (kb, code) = last.split_once(" exit ").unwrap();
    let doc = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    (code.parse().unwrap(), doc, kb.parse::<u64>().unwrap() / 1024)
}

#[test]
fn big_hostile_inputs_stay_under_the_memory_bound() {
    let env = TestEnv::new();
    env.write("bomb.zip", zip(&[("zeros.csv", &vec![b'0'; 40 << 20])]));
    let bomb = deflate(&deflate(&vec![b'0'; 16 << 20]));
    env.write("bomb.pdf", pdf_with_stream(&bomb, "/Filter [/FlateDecode /FlateDecode]"));
    let text = b"BT /F1 12 Tf 72 720 Td (Patient SSN 536-22-8727) Tj ET";
    let zeros = vec![b'0'; 16 << 20];
    env.write(
        "objstm-bomb.pdf",
        pdf_with_object_stream(text, &zeros, "/Filter [/FlateDecode /FlateDecode]", |d| deflate(&deflate(d))),
    );
    // 10 MB on one line, a phone number every 100 bytes: 100,000 findings before the cap. An
    // unoptimised build (plain `cargo test`, as CI runs it) scans about 30 times slower, so it
    // gets 1 MB; `cargo test --release` checks the full 10 MB against the same bounds.
    let line_mb = if cfg!(debug_assertions) { 1 } else { 10 };
    let chunk = format!("{:<86}call 330-555-0142 ", "lorem ipsum dolor sit amet consectetur");
    assert_eq!(chunk.len(), 104);
    let chunks = (line_mb << 20) / chunk.len();
    env.write("line.txt", chunk.repeat(chunks));
    let cases: [(&[&str], i32); 5] = [
        (&["bomb.zip"], 2),
        (&["bomb.pdf"], 2),
        (&["objstm-bomb.pdf"], 2),
        // Phone numbers alone are medium: below the default gate.
        (&["line.txt"], 0),
        (&["--max-file-size", "1M", "/dev/zero"], 2),
    ];
    for (args, want) in cases {
        let (code, doc, peak) = scan_measured(&env, args);
        assert_eq!(code, want, "{args:?}: {:#}", doc["summary"]);
        assert!(peak < RSS_BOUND_MB, "{args:?}: peak resident memory {peak} MB (bound {RSS_BOUND_MB} MB)");
        eprintln!("{args:?}: exit {code}, peak resident memory {peak} MB");
        if args == ["line.txt"] {
            let dropped = doc["summary"]["findings_capped"][0]["dropped"].as_u64().unwrap_or(0) as usize;
            let reported = doc["findings"].as_array().unwrap().len();
            assert!(reported + dropped >= chunks, "the whole line was scanned: {reported} + {dropped}");
        }
    }
}

/// `n` lines, each with a synthetic SSN (536-22-xxxx, never a real one).
fn ssn_lines(n: usize) -> String {
    (0..n).map(|k| format!("SSN 536-22-{:04}\n", 1000 + k % 9000)).collect()
}

#[test]
fn findings_are_capped_per_input_and_the_cap_is_reported() {
    let env = TestEnv::new();
    let body = ssn_lines(1_200);
    let names: Vec<String> = (0..10).map(|k| format!("part{k}.txt")).collect();
    let members: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), body.as_bytes())).collect();
    env.write("many.zip", zip(&members));
    env.write("one.txt", ssn_lines(10_500));
    let (code, doc, stderr) = scan(&env, &["."]);
    assert_eq!(code, 1, "capped inputs still fail the gate on what they report");
    assert_eq!(doc["findings"].as_array().unwrap().len(), 20_000, "10,000 per input");
    let capped = doc["summary"]["findings_capped"].as_array().unwrap();
    let one = capped.iter().find(|c| c["path"] == "one.txt").unwrap();
    assert_eq!((one["reported"].as_u64(), one["dropped"].as_u64()), (Some(10_000), Some(500)));
    assert_eq!(one["max_findings"], 10_000);
    let zip_dropped: u64 = capped
        .iter()
        .filter(|c| c["path"].as_str().unwrap().starts_with("many.zip!"))
        .map(|c| c["dropped"].as_u64().unwrap())
        .sum();
    assert_eq!(zip_dropped, 2_000, "{capped:#?}");
    assert!(stderr.contains("phiscan: capped one.txt: 500 more findings not reported"), "{stderr}");
    // A lower cap keeps the most severe findings.
    env.write("mixed.txt", format!("{}Patient SSN 536-22-8727\n", "call 330-555-0142\n".repeat(50)));
    let (_, doc, _) = scan(&env, &["--max-findings", "1", "mixed.txt"]);
    assert_eq!(doc["findings"].as_array().unwrap().len(), 1);
    assert_eq!(doc["findings"][0]["severity"], "high", "{:#}", doc["findings"]);
    assert_eq!(doc["files"][0]["dropped"].as_u64().unwrap() + 1, 51);
    // Breaches survive the cap: their members are kept first.
    env.write("story.txt", "Tobin Quill, 34, was treated for asthma; call (330) 555-0142.\n".repeat(40));
    let (_, doc, _) = scan(&env, &["--max-findings", "10", "story.txt"]);
    let n = doc["findings"].as_array().unwrap().len();
    assert_eq!(n, 10);
    let breaches = doc["breaches"].as_array().unwrap();
    assert!(!breaches.is_empty(), "{:#}", doc["summary"]);
    assert!(breaches
        .iter()
        .flat_map(|b| b["findings"].as_array().unwrap())
        .all(|i| (i.as_u64().unwrap() as usize) < n));
}

#[test]
fn sparse_xlsx_rows_stay_sparse() {
    let env = TestEnv::new();
    let mut sheet = String::from("<worksheet><sheetData>");
    sheet.push_str(r#"<row r="1"><c r="A1" t="inlineStr"><is><t>SSN 536-22-8727</t></is></c></row>"#);
    for r in 2..30_000 {
        sheet.push_str(&format!(r#"<row r="{r}"><c r="ZZZ{r}"><v>{r}</v></c></row>"#));
    }
    sheet.push_str("</sheetData></worksheet>");
    let workbook = r#"<workbook><sheets><sheet name="S" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#;
    env.write(
        "wide.xlsx",
        zip(&[
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ]),
    );
    let (code, doc, _) = scan(&env, &["wide.xlsx"]);
    assert_eq!(code, 1, "{:#}", doc["summary"]);
    assert_eq!(doc["findings"][0]["category"], "ssn");
}

// No leak through our own output

/// Every report format, to stdout and through `-o`.
const FORMATS: [&str; 6] = ["text", "json", "jsonl", "sarif", "github", "junit"];

/// Scans `args` in every format (stdout, stderr and an `-o` file) and checks that none of
/// `raw` appears anywhere, nor a raw ESC; returns the JSON document.
fn assert_no_raw(env: &TestEnv, args: &[&str], raw: &[&str]) -> Value {
    for format in FORMATS {
        let mut all = vec!["scan", "--color", "never", "--format", format];
        all.extend_from_slice(args);
        let started = Instant::now();
        let r = env.run(&all);
        assert!(started.elapsed() < BOUND, "{format}: {:?}", started.elapsed());
        let out = format!("report-{format}.out");
        let mut with_o = all.clone();
        with_o.extend_from_slice(&["-o", &out]);
        let o = env.run(&with_o);
        assert_eq!(o.code, r.code, "{format}: -o changes nothing but where the report goes");
        let file = env.read(&out);
        for (what, text) in [("stdout", &r.stdout), ("stderr", &r.stderr), ("-o file", &file), ("-o stderr", &o.stderr)]
        {
            for v in raw {
                assert!(!text.contains(v), "{format} {what} holds {v:?}:\n{text}");
            }
            assert!(!text.contains('\u{1b}'), "{format} {what} holds a raw ESC:\n{text}");
        }
    }
    let mut all = vec!["scan", "--format", "json"];
    all.extend_from_slice(args);
    env.run(&all).json()
}

#[test]
fn locations_built_from_data_are_positions_or_masked() {
    let env = TestEnv::new();
    // A JSON object keyed by SSN; a headerless export whose first row is a patient; a workbook
    // whose sheet is named for a patient; a zip member named for one.
    env.write("keys.json", r#"{"patients": {"536-22-8727": {"dx": "asthma", "phone": "330-555-0142"}}}"#);
    env.write("rows.csv", "Corwin Thistlebeck,4071938,asthma\nRhonda Vale,5523101,COPD\n");
    let workbook = r#"<workbook><sheets><sheet name="Corwin Thistlebeck" r:id="rId1"/></sheets></workbook>"#;
    let rels = r#"<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#;
    let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>SSN 536-22-8727</t></is></c></row></sheetData></worksheet>"#;
    env.write(
        "book.xlsx",
        zip(&[
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ]),
    );
    env.write("member.zip", zip(&[("exports/Corwin Thistlebeck.txt", b"SSN 536-22-8727\n")]));
    let doc = assert_no_raw(&env, &["."], &["536-22-8727", "Thistlebeck", "4071938"]);
    let locations: Vec<String> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["location"].as_str().unwrap_or("")))
        .collect();
    assert!(locations.iter().any(|l| l.starts_with("keys.json:$.patients[key 1].")), "{locations:#?}");
    assert!(locations.iter().any(|l| l.starts_with("book.xlsx:sheet 1!")), "{locations:#?}");
    assert!(locations.iter().any(|l| l.starts_with("member.zip!member 1.txt:")), "{locations:#?}");
    // Baselines hold paths too.
    let r = env.run(&["baseline", "create", "."]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let baseline = env.read(".phiscan-baseline.json");
    assert!(!baseline.contains("Thistlebeck") && !baseline.contains("536-22-8727"), "{baseline}");
}

#[test]
fn control_characters_in_names_are_escaped_in_every_format() {
    let env = TestEnv::new();
    env.write("drafts/a\u{1b}[2Jb.txt", "SSN 536-22-8727\n");
    env.write("drafts/x\n::error file=forged.txt::forged.txt", "SSN 536-22-8727\n");
    env.write("drafts/inner.zip", zip(&[("m\u{1b}]0;title\u{7}.txt", b"SSN 536-22-8727\n")]));
    assert_no_raw(&env, &["drafts"], &["536-22-8727"]);
    let r = env.run(&["scan", "--format", "github", "drafts"]);
    assert!(!r.stdout.lines().any(|l| l.starts_with("::error file=forged.txt")), "{}", r.stdout);
    let r = env.run(&["scan", "--color", "never", "drafts"]);
    assert!(r.stdout.contains("a\\x1b[2Jb.txt"), "{}", r.stdout);
}

#[test]
fn rule_and_config_errors_never_echo_the_file() {
    let env = TestEnv::new();
    // A wrong file given as rules: an export of patient rows.
    env.write("export.csv", "Corwin Thistlebeck = 536-22-8727, asthma\n");
    let r = env.run(&["scan", "--rules", "export.csv", "."]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("Thistlebeck") && !r.stderr.contains("536-22-8727"), "{}", r.stderr);
    assert!(r.stderr.contains("line 1, column"), "{}", r.stderr);
    // A config whose unknown key and bad value are data.
    env.write("bad.toml", "\"Corwin Thistlebeck 536-22-8727\" = 1\n");
    let r = env.run(&["scan", "--config", "bad.toml", "."]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("Thistlebeck") && !r.stderr.contains("536-22-8727"), "{}", r.stderr);
    assert!(r.stderr.contains("line 1, column 1"), "{}", r.stderr);
    env.write("sev.toml", "fail_on = \"Corwin Thistlebeck\"\n");
    let r = env.run(&["scan", "--config", "sev.toml", "."]);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("Thistlebeck"), "{}", r.stderr);
    // A pattern that does not parse: the regex crate's message reprints the pattern, here a
    // denylisted name (fuzzing: tests/fuzz-regressions/rules-regex-error-quotes-pattern).
    env.write(
        "deny.toml",
        "[[rule]]\nid = \"deny-list\"\nname = \"Names\"\ncategory = \"name\"\nseverity = \"high\"\nconfidence = 0.9\ndescription = \"d\"\n\
         pattern = '(Corwin Thistlebeck|Rhonda Vale))'\n",
    );
    let started = Instant::now();
    let r = env.run(&["scan", "--rules", "deny.toml", "."]);
    assert!(started.elapsed() < BOUND);
    assert_eq!(r.code, 2);
    assert!(!r.stderr.contains("Thistlebeck") && !r.stderr.contains("Rhonda"), "{}", r.stderr);
    assert!(r.stderr.contains("bad pattern: unopened group (pattern line 1, column"), "{}", r.stderr);
    // A known key is still named.
    env.write("typo.toml", "exlude = [\"x\"]\n");
    let r = env.run(&["scan", "--config", "typo.toml", "."]);
    assert!(r.stderr.contains("`exclude`"), "the schema's keys are listed: {}", r.stderr);
}

/// Fuzz findings (`fuzz/artifacts/{config,rules}/crash-*`, kept in `tests/fuzz-regressions/`):
/// input lines that are the error message's own words ("line 1, column 6: expected") were taken
/// for quotes of the file by the targets' check. The CLI's errors for them, with a marker
/// planted in those lines, never carry the marker: the wording is the message's, not the file's.
#[test]
fn error_wording_copied_into_rule_and_config_files_is_not_a_quote() {
    let env = TestEnv::new();
    env.write("post.txt", "Open day on Friday.\n");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    for (file, flag) in [("config-error-words-as-input", "--config"), ("rules-error-words-as-input", "--rules")] {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let line = text.lines().find(|l| l.contains("line ") && l.contains(", column ")).unwrap();
        let planted = text.replacen(line, &format!("{line} QZXJVQZXJV"), 1);
        env.write(&format!("{file}.toml"), planted);
        let started = Instant::now();
        let r = env.run(&["scan", flag, &format!("{file}.toml"), "post.txt"]);
        assert!(started.elapsed() < BOUND);
        assert_eq!(r.code, 2, "{file}: {}", r.stderr);
        assert!(r.stderr.contains("line "), "{file}: {}", r.stderr);
        assert!(!r.stderr.contains("QZXJVQZXJV"), "{file}: {}", r.stderr);
    }
}

#[cfg(unix)]
#[test]
fn report_files_are_written_through_random_exclusive_temporaries() {
    let env = TestEnv::new();
    env.write("a.txt", "SSN 536-22-8727\n");
    // A link planted at the old predictable name of every pid nearby goes nowhere.
    let victim = env.path().join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    for pid in 0..64 {
        let _ = std::os::unix::fs::symlink(&victim, env.path().join(format!(".report.json.phiscan-tmp-{pid}")));
    }
    for format in ["json", "sarif"] {
        let r = env.run(&["scan", "--format", format, "a.txt", "-o", "report.json"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
    }
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    assert!(env.read("report.json").contains("\"version\""));
    let left: Vec<String> = std::fs::read_dir(env.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".phiscan-tmp"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

// Determinism and growth

/// Removes what may differ between two runs of the same scan: the wall time.
fn without_timing(mut doc: Value) -> Value {
    doc["summary"].as_object_mut().unwrap().remove("elapsed_ms");
    doc
}

#[test]
fn output_is_identical_across_thread_counts_and_runs() {
    let env = TestEnv::new();
    for k in 0..12 {
        env.write(
            &format!("notes/n{k}.txt"),
            format!("{}Patient Tobin Quill, MRN {}\n", "x\n".repeat(k * 50), 40719385 + k),
        );
        env.write(&format!("rows/r{k}.csv"), format!("name,mrn,dx\nRhonda Vale,{},asthma\n", 5523101 + k));
    }
    env.write("big.txt", ssn_lines(3_000));
    env.write("pack.zip", zip(&[("a.txt", b"SSN 536-22-8727\n"), ("b.csv", b"mrn\n4071938\n")]));
    let runs: Vec<Value> = ["1", "2", "4", "4", "3"]
        .iter()
        .map(|j| {
            let (_, doc, _) = scan(&env, &["-j", j, "."]);
            without_timing(doc)
        })
        .collect();
    assert!(runs[0]["findings"].as_array().unwrap().len() > 3_000);
    for (k, r) in runs.iter().enumerate().skip(1) {
        assert!(r == &runs[0], "run {k} differs from -j 1");
    }
}
