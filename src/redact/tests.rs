//! Redaction of synthetic drafts and exports in every mode.

use super::*;
use crate::engine::Engine;
use std::sync::OnceLock;

fn scanner() -> &'static Scanner {
    static S: OnceLock<Scanner> = OnceLock::new();
    S.get_or_init(|| Scanner::with_defaults(Engine::new(crate::rules::builtin::rules().unwrap()).unwrap()))
}

fn opts(mode: Mode, seed: Option<u64>) -> Options {
    Options { mode, min_severity: Severity::Medium, seed }
}

/// Invented people and values: nobody's data.
const DRAFT: &str = "Spring update from the ward.\n\n\
    We are proud of Orrin Vantongeren, 52, who beat leukemia this year (MRN 48215537).\n\
    Mr. Vantongeren can be reached at (330) 555-0131; his SSN 536-22-8727 is on file.\n\
    Thanks to Dr. Imelda Castellanos-Pryce for her care.\n";

/// Findings a fresh scan of `bytes` as `name` reports at or above medium, staff aside.
fn left(name: &str, bytes: &[u8]) -> Vec<String> {
    scanner()
        .scan_named(name, bytes.to_vec())
        .into_iter()
        .flat_map(|(_, r)| r.unwrap().0.findings)
        .filter(|f| f.severity >= Severity::Medium && !f.staff)
        .map(|f| format!("{} {}", f.category, f.masked))
        .collect()
}

#[test]
fn every_mode_leaves_nothing_at_or_above_the_threshold() {
    assert!(!left("post.md", DRAFT.as_bytes()).is_empty(), "the draft has findings to start with");
    for mode in [Mode::Mask, Mode::Tag, Mode::Remove] {
        let r = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(mode, None)).unwrap();
        let out = String::from_utf8(r.output.clone()).unwrap();
        let survivors: Vec<String> = left("post.md", out.as_bytes())
            .into_iter()
            // A mask is what every report shows; it names no one.
            .filter(|f| mode != Mode::Mask || !f.contains('*'))
            .collect();
        assert!(survivors.is_empty(), "{mode:?}: {survivors:?}\n{out}");
        // (555-01xx phones are fiction by definition: the scanner leaves them alone.)
        for planted in ["Orrin", "Vantongeren", "48215537", "536-22-8727"] {
            assert!(!out.contains(planted), "{mode:?} kept {planted}:\n{out}");
        }
        assert!(out.contains("Dr. Imelda Castellanos-Pryce"), "{mode:?}: staff names stay:\n{out}");
        assert!(r.replaced[&Category::Name] >= 2, "{mode:?}: {:?}", r.replaced);
    }
}

#[test]
fn modes_write_what_they_say() {
    let tag = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Tag, None)).unwrap();
    let t = String::from_utf8(tag.output).unwrap();
    assert!(t.contains("proud of [NAME], 52") && t.contains("[SSN]") && t.contains("[DIAGNOSIS]"), "{t}");
    let mask = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Mask, None)).unwrap();
    let m = String::from_utf8(mask.output).unwrap();
    assert!(m.contains("O**** V**********") && m.contains("***-**-8727"), "{m}");
    let remove = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Remove, None)).unwrap();
    let r = String::from_utf8(remove.output).unwrap();
    assert!(!r.contains("  ") && !r.contains("()") && !r.contains("( )") && !r.contains(" ,"), "{r}");
    assert!(!r.contains("Mr. can"), "the title goes with the name: {r}");
}

#[test]
fn surrogates_are_consistent_and_seeded() {
    let a = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Surrogate, Some(9))).unwrap();
    let b = redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Surrogate, Some(9))).unwrap();
    assert_eq!(a.output, b.output, "--seed decides");
    let out = String::from_utf8(a.output).unwrap();
    assert!(!out.contains("Vantongeren") && !out.contains("536-22-8727"), "{out}");
    // The full name's surname is the one "Mr. X" gets.
    let line = out.lines().find(|l| l.starts_with("We are proud of")).unwrap();
    let full: Vec<&str> = line["We are proud of ".len()..].split(',').next().unwrap().split(' ').collect();
    assert_eq!(full.len(), 2, "{line}");
    assert!(out.contains(&format!("Mr. {} can", full[1])), "{out}");
    assert!(out.contains("SSN 9"), "{out}");
    let differ = (0..6).any(|_| {
        redact(scanner(), "post.md", DRAFT.as_bytes(), &opts(Mode::Surrogate, None)).unwrap().output != b.output
    });
    assert!(differ, "without a seed, documents get different stand-ins");
}

#[test]
fn csv_keeps_rows_columns_and_quoting() {
    let csv = "patient_name,mrn,dob,notes\n\
        \"Vantongeren, Orrin\",MRN 48215537,03/14/1971,\"said \"\"thanks\"\", discharged\"\n\
        Ysolde Marchbank,MRN 48215611,11/02/1988,follow-up\n";
    for mode in Mode::ALL {
        let r = redact(scanner(), "export.csv", csv.as_bytes(), &opts(mode, Some(1))).unwrap();
        let out = String::from_utf8(r.output).unwrap();
        let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.as_bytes())
            .records()
            .map(|x| x.unwrap())
            .collect();
        assert_eq!(rows.len(), 3, "{mode:?}:\n{out}");
        assert!(rows.iter().all(|r| r.len() == 4), "{mode:?}:\n{out}");
        assert!(rows[1][3].starts_with("said \"thanks\", "), "{mode:?}: {}", &rows[1][3]);
        assert!(out.starts_with("patient_name,mrn,dob,notes\n\""), "{mode:?}: quoting kept:\n{out}");
        for planted in ["Vantongeren", "Ysolde", "48215537", "03/14/1971"] {
            assert!(!out.contains(planted), "{mode:?} kept {planted}:\n{out}");
        }
    }
}

#[test]
fn json_stays_valid_with_the_same_keys() {
    let json = r#"{"patients": [{"name": "Ysolde Marchbank", "mrn": 48215611, "ssn": "536-22-8727",
        "note": "Ysolde says \"hi\" \u00e9", "active": true}]}"#;
    let before: serde_json::Value = serde_json::from_str(json).unwrap();
    for mode in Mode::ALL {
        let r = redact(scanner(), "export.json", json.as_bytes(), &opts(mode, Some(4))).unwrap();
        let after: serde_json::Value = serde_json::from_slice(&r.output).unwrap_or_else(|e| panic!("{mode:?}: {e}"));
        let p = &after["patients"][0];
        let keys: Vec<&String> = p.as_object().unwrap().keys().collect();
        assert_eq!(keys, before["patients"][0].as_object().unwrap().keys().collect::<Vec<_>>());
        assert!(p["name"].is_string() && p["ssn"].is_string() && p["active"] == true, "{mode:?}: {p}");
        assert!(!String::from_utf8_lossy(&r.output).contains("Marchbank"), "{mode:?}");
        if mode == Mode::Surrogate {
            assert!(p["mrn"].is_number(), "a number stays a number: {p}");
        }
    }
}

#[test]
fn html_markup_and_links_survive() {
    let html =
        "<p>Our patient <b>Ysolde Marchbank</b> and family thank the ward &amp; staff after her leukemia treatment. \
        Her SSN <a href=\"/id?ssn=536-22-8727\">536-22-8727</a> was on the form.</p>\n";
    let r = redact(scanner(), "post.html", html.as_bytes(), &opts(Mode::Tag, None)).unwrap();
    let out = String::from_utf8(r.output).unwrap();
    assert!(out.contains("<b>[NAME]</b> and family thank the ward &amp; staff"), "{out}");
    assert!(out.contains("her [DIAGNOSIS] treatment"), "{out}");
    assert!(!out.contains("8727"), "the link's copy goes too: {out}");
    assert!(out.contains("<a href=\"/id?ssn=[SSN]\">[SSN]</a>"), "{out}");
}

#[test]
fn unsupported_formats_are_refused() {
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
    let e = redact(scanner(), "letter.pdf", pdf, &Options::default()).unwrap_err();
    assert!(e.0.contains("does not write pdf") && e.0.contains("nothing written"), "{e}");
}

#[test]
fn inline_allows_are_kept() {
    let text =
        "Volunteer Ysolde Marchbank, (330) 555-0188 <!-- phiscan:allow -->\nPatient Orrin Vantongeren has leukemia.\n";
    let r = redact(scanner(), "post.md", text.as_bytes(), &opts(Mode::Tag, None)).unwrap();
    let out = String::from_utf8(r.output).unwrap();
    assert!(out.starts_with("Volunteer Ysolde Marchbank, (330) 555-0188"), "{out}");
    assert!(!out.contains("Vantongeren"), "{out}");
}

#[test]
fn a_clean_text_is_returned_unchanged() {
    let text = "Flu shots are free at the east entrance every Tuesday.\n";
    let (out, r) = redact_text(scanner(), text, &opts(Mode::Remove, None)).unwrap();
    assert_eq!(out, text);
    assert_eq!(r.total(), 0);
    assert_eq!(r.summary(), "nothing");
}

#[test]
fn jsonl_and_tsv_keep_their_lines_and_cells() {
    let jsonl = "{\"patient\": \"Ysolde Marchbank\", \"mrn\": 48215611}\n\
        {\"patient\": \"Orrin Vantongeren\", \"note\": \"Orrin\\u0027s SSN 536-22-8727\"}\n";
    let tsv = "name\tssn\tnote\nYsolde Marchbank\t536-22-8711\tcalled, twice\n";
    for mode in Mode::ALL {
        let r = redact(scanner(), "feed.jsonl", jsonl.as_bytes(), &opts(mode, Some(2))).unwrap();
        let out = String::from_utf8(r.output).unwrap();
        assert_eq!(out.lines().count(), 2, "{mode:?}: {out}");
        for line in out.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{mode:?}: {e}: {line}"));
            assert!(v["patient"].is_string(), "{mode:?}: {line}");
        }
        assert!(
            !out.contains("Marchbank") && !out.contains("Orrin") && !out.contains("536-22-8727"),
            "{mode:?}: {out}"
        );
        let r = redact(scanner(), "list.tsv", tsv.as_bytes(), &opts(mode, Some(2))).unwrap();
        let out = String::from_utf8(r.output).unwrap();
        assert!(out.lines().all(|l| l.split('\t').count() == 3), "{mode:?}: {out}");
        assert!(out.ends_with("\tcalled, twice\n") && !out.contains("Marchbank"), "{mode:?}: {out}");
    }
}
