//! The fuzz targets of `fuzz/fuzz_targets/`, compiled and run on a few inputs by the ordinary
//! test build on the stable toolchain, so CI builds every target's code (issue 11) without
//! cargo-fuzz: its nightly sanitizer build of the whole crate would double CI's run time.
//! `libfuzzer_sys::fuzz_target!` is stood in for by a macro that makes each target's body a
//! plain `run` function; `scripts/fuzz.sh` builds and runs the real targets.

// Each target file starts with `#![no_main]`, meaningful only at a crate root.
#![allow(unused_attributes)]

// The targets name `libfuzzer_sys::fuzz_target!`: this crate answers to that name.
extern crate self as libfuzzer_sys;

/// Stands in for libfuzzer-sys's macro: the target's body as `pub fn run(data: &[u8])`.
#[macro_export]
macro_rules! fuzz_target {
    (|$data:ident: &[u8]| $body:expr) => {
        pub fn run($data: &[u8]) {
            $body;
        }
    };
}

#[path = "../fuzz/fuzz_targets/config.rs"]
mod config;
#[path = "../fuzz/fuzz_targets/decode.rs"]
mod decode;
#[path = "../fuzz/fuzz_targets/extract_csv.rs"]
mod extract_csv;
#[path = "../fuzz/fuzz_targets/extract_docx.rs"]
mod extract_docx;
#[path = "../fuzz/fuzz_targets/extract_eml.rs"]
mod extract_eml;
#[path = "../fuzz/fuzz_targets/extract_html.rs"]
mod extract_html;
#[path = "../fuzz/fuzz_targets/extract_json.rs"]
mod extract_json;
#[path = "../fuzz/fuzz_targets/extract_jsonl.rs"]
mod extract_jsonl;
#[path = "../fuzz/fuzz_targets/extract_mbox.rs"]
mod extract_mbox;
#[path = "../fuzz/fuzz_targets/extract_odt.rs"]
mod extract_odt;
#[path = "../fuzz/fuzz_targets/extract_pdf.rs"]
mod extract_pdf;
#[path = "../fuzz/fuzz_targets/extract_pptx.rs"]
mod extract_pptx;
#[path = "../fuzz/fuzz_targets/extract_text.rs"]
mod extract_text;
#[path = "../fuzz/fuzz_targets/extract_tsv.rs"]
mod extract_tsv;
#[path = "../fuzz/fuzz_targets/extract_xlsx.rs"]
mod extract_xlsx;
#[path = "../fuzz/fuzz_targets/extract_zip.rs"]
mod extract_zip;
#[path = "../fuzz/fuzz_targets/mask.rs"]
mod mask;
#[path = "../fuzz/fuzz_targets/rules.rs"]
mod rules;
#[path = "../fuzz/fuzz_targets/scan_text.rs"]
mod scan_text;

/// Inputs that reach past each format's first checks: text with a value, and the
/// openings of PDF, zip, JSON, HTML, mail, TOML and UTF-16 input.
const INPUTS: &[&[u8]] = &[
    b"",
    b"Patient Tobin Quill, SSN 536-22-8727, call (330) 555-0142\n",
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
    b"{\"patients\": [{\"ssn\": \"536-22-8727\"}]}\n{\"mrn\": 4071938}",
    b"name,mrn\nRhonda Vale,5523101\n",
    b"<p>Tobin Quill &amp; <a href=x>536-22-8727</p><a <a <a",
    b"From: a@example.org\r\nSubject: x\r\n\r\nMRN 4071938\r\n",
    b"[[rule]]\nid = \"x\"\npattern = \"(\"\n",
    b"\xff\xfeS\x00S\x00N\x00",
    b"\x00\xff\x80\xc3(",
];

#[test]
fn every_fuzz_target_builds_and_runs_on_sample_inputs() {
    for input in INPUTS {
        config::run(input);
        decode::run(input);
        extract_csv::run(input);
        extract_docx::run(input);
        extract_eml::run(input);
        extract_html::run(input);
        extract_json::run(input);
        extract_jsonl::run(input);
        extract_mbox::run(input);
        extract_odt::run(input);
        extract_pdf::run(input);
        extract_pptx::run(input);
        extract_text::run(input);
        extract_tsv::run(input);
        extract_xlsx::run(input);
        extract_zip::run(input);
        mask::run(input);
        rules::run(input);
        scan_text::run(input);
    }
}

/// The inputs fuzzing flagged, kept as regressions: each target must pass them. The first two
/// were the check's false alarms (the error message's own wording copied into the input), fixed
/// in `phiscan_fuzz_support::never_quotes_the_input`; the third a rule error that quoted the file.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    config::run(&std::fs::read(dir.join("config-error-words-as-input")).unwrap());
    rules::run(&std::fs::read(dir.join("rules-error-words-as-input")).unwrap());
    // A real finding: the message of a pattern that does not parse reprinted the pattern.
    rules::run(&std::fs::read(dir.join("rules-regex-error-quotes-pattern")).unwrap());
}
