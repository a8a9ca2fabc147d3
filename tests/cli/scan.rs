//! `phiscan scan`: inputs, decoding, formats, masking and exit codes.

use crate::util::{Run, TestEnv};

const SSN: &str = "536-22-8727";

#[test]
fn clean_folder_exits_zero_and_says_what_it_scanned() {
    let env = TestEnv::new();
    env.write("post.txt", "Join us for the health fair on the lawn.");
    let r = env.run(&["scan", "."]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("scanned 1 file"), "{}", r.stderr);
}

#[test]
fn ssn_is_found_masked_with_offsets_and_exit_one() {
    let env = TestEnv::new();
    env.write("notes/a.txt", format!("line one\nSSN: {SSN} on file\n"));
    let r = env.run(&["scan", "--format", "json", "notes"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains(SSN), "raw value leaked");
    let doc = r.json();
    assert_eq!(doc["version"], 1);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "us-ssn");
    assert_eq!(f["category"], "ssn");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["start"], 14);
    assert_eq!(f["end"], 25);
    assert_eq!(f["line"], 2);
    assert_eq!(f["column"], 6);
    assert_eq!(f["masked"], "***-**-8727");
    assert_eq!(doc["summary"]["files_scanned"], 1);
}

#[test]
fn show_values_is_an_explicit_opt_in() {
    let env = TestEnv::new();
    env.write("a.txt", format!("SSN: {SSN}"));
    let masked = env.run(&["scan", "a.txt"]);
    assert!(!masked.stdout.contains(SSN) && !masked.stderr.contains(SSN));
    let shown = env.run(&["scan", "--show-values", "a.txt"]);
    assert!(shown.stdout.contains(SSN));
}

#[test]
fn compact_text_output_is_one_line_per_finding() {
    let env = TestEnv::new();
    env.write("a.txt", format!("x\nSSN: {SSN}\n"));
    let r = env.run(&["scan", "--compact", "a.txt"]);
    let line = r.stdout.lines().find(|l| l.contains("us-ssn")).expect("finding line");
    assert!(line.starts_with("a.txt:2:6"), "{line}");
    assert!(line.contains("high") && line.contains("ssn") && line.contains("***-**-8727"), "{line}");
}

#[test]
fn fail_on_threshold_controls_the_exit_code() {
    let env = TestEnv::new();
    env.write("a.txt", "Call (330) 555-0119 today.");
    assert_eq!(env.run(&["scan", "a.txt"]).code, 0);
    assert_eq!(env.run(&["scan", "--fail-on", "medium", "a.txt"]).code, 1);
}

#[test]
fn stdin_is_scanned_under_its_name() {
    let env = TestEnv::new();
    let r = env
        .run_stdin(&["scan", "-", "--stdin-name", "draft.txt", "--format", "jsonl"], format!("SSN {SSN}").as_bytes());
    assert_eq!(r.code, 1, "{}", r.stderr);
    let first: serde_json::Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(first["path"], "draft.txt");
    let last: serde_json::Value = serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["summary"]["findings"], 1);
}

#[test]
fn binary_files_are_skipped_and_reported() {
    let env = TestEnv::new();
    env.write("img.bin", b"\x89PNG\0\0\0 SSN 536-22-8727");
    let r = env.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 0);
    let doc = r.json();
    assert_eq!(doc["summary"]["files_skipped"], 1);
    assert_eq!(doc["summary"]["skipped"][0]["reason"], "binary");
    assert!(r.stderr.contains("skipped img.bin: binary"), "{}", r.stderr);
}

#[test]
fn utf16_and_bom_and_invalid_utf8_are_scanned() {
    let env = TestEnv::new();
    let mut utf16 = vec![0xFF, 0xFE];
    for u in format!("SSN {SSN}").encode_utf16() {
        utf16.extend(u.to_le_bytes());
    }
    env.write("le.txt", utf16);
    env.write("bom.txt", format!("\u{feff}SSN {SSN}"));
    let mut bad = b"caf\xE9 \xFF ".to_vec();
    bad.extend(format!("SSN {SSN}").as_bytes());
    env.write("latin1.txt", bad);
    let r = env.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["summary"]["findings"], 3, "{}", r.stdout);
    let latin = doc["findings"].as_array().unwrap().iter().find(|f| f["path"] == "latin1.txt").unwrap();
    assert_eq!(latin["start"], 11, "offsets are the file's bytes");
}

#[test]
fn large_files_are_skipped_with_a_reason_under_skip_large() {
    let env = TestEnv::new();
    env.write("big.txt", "x".repeat(5000));
    let r = env.run(&["scan", "--max-file-size", "1K", "--skip-large", "--format", "json", "."]);
    assert_eq!(r.code, 0);
    assert!(r.json()["summary"]["skipped"][0]["reason"].as_str().unwrap().starts_with("too large"));
}

#[test]
fn unreadable_path_is_an_error_that_outranks_findings() {
    let env = TestEnv::new();
    env.write("a.txt", format!("SSN {SSN}"));
    let r = env.run(&["scan", "a.txt", "missing.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing.txt"), "{}", r.stderr);
}

#[test]
fn ignore_files_and_explicit_paths() {
    let env = TestEnv::new();
    env.write(".phiscanignore", "secret/\n");
    env.write("secret/a.txt", format!("SSN {SSN}"));
    env.write("b.txt", "nothing here");
    assert_eq!(env.run(&["scan", "."]).code, 0, "ignored folder must not be walked");
    assert_eq!(env.run(&["scan", "secret/a.txt"]).code, 1, "explicit paths are scanned");
    let forced = env.run(&["scan", "--force-exclude", "secret/a.txt"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(forced.stderr.contains("skipped secret/a.txt: ignored"), "{}", forced.stderr);
    assert_eq!(env.run(&["scan", "--no-ignore", "."]).code, 1);
    assert_eq!(env.run(&["scan", "--exclude", "secret/**", "--no-ignore", "."]).code, 0);
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let env = TestEnv::new();
    env.write("a.txt", format!("SSN {SSN}"));
    let r = env.run(&["scan", "--format", "json", "-o", "report.json", "a.txt"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty());
    let report = std::fs::read_to_string(env.path().join("report.json")).unwrap();
    assert!(report.contains("***-**-8727") && !report.contains(SSN));
}

#[test]
fn bad_flags_and_bad_rules_exit_two() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["scan", "--format", "xml"]).code, 2);
    env.write("bad.toml", "[[rule]]\nid = \"x\"\n");
    let r = env.run(&["scan", "--rules", "bad.toml", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.toml"), "{}", r.stderr);
    env.write("bad2.toml", "[[rule]]\nid='my-rule'\nname='n'\ncategory='nope'\nseverity='high'\nconfidence=0.5\npattern='x'\ndescription='d'\n");
    let r = env.run(&["scan", "--rules", "bad2.toml", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("my-rule") && r.stderr.contains("unknown category"), "{}", r.stderr);
}

#[test]
fn user_rules_and_disable() {
    let env = TestEnv::new();
    env.write(
        "rules/site.toml",
        r#"[[rule]]
id = "site-badge"
name = "Staff badge"
category = "other-id"
severity = "high"
confidence = 0.9
pattern = '\bBDG-\d{6}\b'
description = "A badge number."
examples = ["badge BDG-448120"]
"#,
    );
    env.write("a.txt", "badge BDG-448120");
    let r = env.run(&["scan", "--rules", "rules", "--format", "json", "a.txt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(r.json()["findings"][0]["rule"], "site-badge");
    let r = env.run(&["scan", "--rules", "rules", "--disable", "site-badge", "a.txt"]);
    assert_eq!(r.code, 0);
    assert_eq!(env.run(&["rules", "check", "rules/site.toml"]).code, 0);
    assert_eq!(env.run(&["scan", "--disable", "no-such-rule", "a.txt"]).code, 2);
}

#[test]
fn rules_list_and_explain() {
    let env = TestEnv::new();
    let list = env.run(&["rules", "list"]);
    assert_eq!(list.code, 0);
    assert!(list.stdout.contains("us-ssn"));
    let explain = env.run(&["rules", "explain", "us-ssn"]);
    assert!(explain.stdout.contains("Social Security") && explain.stdout.contains("validator: ssn"));
    assert_eq!(env.run(&["rules", "explain", "nope"]).code, 2);
}

/// Writes a folder of mixed inputs where every file has findings and some have breaches.
fn mixed_folder(env: &TestEnv) {
    env.write("a-note.txt", "Patient Delphine Okonkwo-Baptiste, SSN 536-22-8727, has type 2 diabetes.\n");
    env.write("b-export.csv", "patient,mrn,diagnosis\nMarisol Quenneville,MRN 7654321,asthma\n");
    env.write("c/d-post.md", "Call 330-555-0199 about Tobias Wrexham's chemotherapy.\n");
    env.write("c/e.json", r#"{"patient_name": "Ingrid Vasquez-Holloway", "condition": "hepatitis C"}"#);
    env.write("z-clean.txt", "Nothing to see here.\n");
}

/// Drops the run-dependent timing from a JSON report.
fn without_timing(mut doc: serde_json::Value) -> serde_json::Value {
    doc["summary"].as_object_mut().unwrap().remove("elapsed_ms");
    doc
}

#[test]
fn streamed_reports_match_reports_rendered_at_the_end() {
    // One config for every file streams each file's findings as it is scanned; two configs
    // collect, sort and render at the end. Both must produce the same report, indices included.
    let env = TestEnv::new();
    mixed_folder(&env);
    let streamed: Vec<Run> = ["json", "jsonl", "text"].iter().map(|f| env.run(&["scan", ".", "--format", f])).collect();
    env.write("c/.phiscan.toml", "fail_on = \"high\"\n");
    let collected: Vec<Run> =
        ["json", "jsonl", "text"].iter().map(|f| env.run(&["scan", ".", "--format", f])).collect();
    for (s, c) in streamed.iter().zip(&collected) {
        assert_eq!(s.code, 1, "{}", s.stderr);
        assert_eq!(c.code, 1, "{}", c.stderr);
    }
    let (s, c) = (without_timing(streamed[0].json()), without_timing(collected[0].json()));
    assert_eq!(s, c);
    let findings = s["findings"].as_array().unwrap();
    assert!(findings.len() >= 8, "{s:#}");
    // Every breach points at findings of its own file.
    for b in s["breaches"].as_array().unwrap() {
        for i in b["findings"].as_array().unwrap() {
            assert_eq!(findings[i.as_u64().unwrap() as usize]["path"], b["path"]);
        }
    }
    let lines =
        |r: &Run| r.stdout.lines().filter(|l| !l.contains("\"summary\"")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(lines(&streamed[1]), lines(&collected[1]));
    assert_eq!(lines(&streamed[1]).len(), findings.len());
    assert_eq!(streamed[2].stdout, collected[2].stdout);
    assert!(streamed[2].stdout.contains("***-**-8727") && !streamed[2].stdout.contains("536-22-8727"));
}

#[test]
fn a_streamed_report_file_appears_whole_and_leaves_no_temporary_file() {
    let env = TestEnv::new();
    mixed_folder(&env);
    let r = env.run(&["scan", "a-note.txt", "b-export.csv", "c", "--format", "json", "-o", "out/report.json"]);
    assert_eq!(r.code, 2, "a missing output folder is an error: {}", r.stderr);
    std::fs::create_dir(env.path().join("out")).unwrap();
    let r = env.run(&["scan", "a-note.txt", "b-export.csv", "c", "--format", "json", "-o", "out/report.json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.is_empty());
    let doc: serde_json::Value = serde_json::from_str(&env.read("out/report.json")).unwrap();
    assert_eq!(doc["summary"]["files_scanned"], 4);
    let left: Vec<String> = std::fs::read_dir(env.path().join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(left, ["report.json"]);
}

#[test]
fn a_config_error_after_the_report_started_prints_no_partial_report() {
    let env = TestEnv::new();
    mixed_folder(&env);
    env.write("c/.phiscan.toml", "bogus_key = 1\n");
    let r = env.run(&["scan", ".", "--format", "json"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stdout.is_empty(), "partial report on stdout: {}", r.stdout);
    assert!(r.stderr.contains("unknown field") && r.stderr.contains("line 1, column 1"), "{}", r.stderr);
}

/// Regression: `-o /dev/null` replaced the device by a plain file (a rename over it), which then
/// collected every later `> /dev/null` of every program on the machine.
#[test]
fn a_report_to_a_device_is_written_in_place_not_renamed_over_it() {
    use std::os::unix::fs::FileTypeExt;
    let env = TestEnv::new();
    env.write("post.txt", "SSN 536-22-8727\n");
    for format in ["json", "sarif", "text"] {
        let r = env.run(&["scan", "post.txt", "--format", format, "-o", "/dev/null"]);
        assert_eq!(r.code, 1, "{format}: {}", r.stderr);
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "{format}: /dev/null replaced");
    }
}
