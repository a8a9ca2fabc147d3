//! From clone to daily habit: installing, hooks that work as the README writes them, nothing
//! skipped in silence, a text report a person can act on, and messages that say what they mean.

use crate::util::{code_blocks, in_ci, python, python_has, readme, section, slow_tests, target_dir, Run, TestEnv};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SSN: &str = "536-22-8727";

/// A draft with a breach: a (made-up) patient tied to a diagnosis on line 3.
const DRAFT: &str =
    "# Spring appeal\n\nWe cheered as Ottoline Brackwater, 52, rang the bell after her treatment for ovarian cancer.\n\
                     Call the foundation at (330) 555-0147 to give.\n";
/// A post that names only staff: no breach.
const STAFF_POST: &str = "Dr. Cassius Vendramin, our pulmonologist, answers questions about asthma on Friday.\n";

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---- 1. install -----------------------------------------------------------------------------

#[test]
fn version_names_the_commit_it_was_built_from() {
    let env = TestEnv::new();
    let r = env.run(&["--version"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.starts_with(&format!("phiscan {} (commit ", env!("CARGO_PKG_VERSION"))), "{}", r.stdout);
    let head = Command::new("git").args(["rev-parse", "--short=12", "HEAD"]).current_dir(manifest_dir()).output();
    match head {
        Ok(o) if o.status.success() => {
            let id = String::from_utf8_lossy(&o.stdout).trim().to_string();
            assert!(r.stdout.contains(&format!("commit {id}, ")), "{} should name HEAD {id}", r.stdout);
        }
        // A source tarball without git: the version says so rather than guess.
        _ => assert!(r.stdout.contains("commit unknown"), "{}", r.stdout),
    }
}

/// The environment for cargo and pre-commit run by a test: the developer's cargo and rustup
/// homes (TestEnv isolates HOME), and this build's target folder so dependencies are reused.
fn cargo_env(c: &mut Command, real_home: &Path) {
    let cargo_home = std::env::var_os("CARGO_HOME").map_or_else(|| real_home.join(".cargo"), PathBuf::from);
    let rustup_home = std::env::var_os("RUSTUP_HOME").map_or_else(|| real_home.join(".rustup"), PathBuf::from);
    c.env("CARGO_HOME", cargo_home).env("RUSTUP_HOME", rustup_home).env("CARGO_TARGET_DIR", target_dir());
}

fn real_home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/root"))
}

fn sh(env: &TestEnv, cwd: &Path, line: &str, path: &std::ffi::OsStr) -> (i32, String) {
    let mut c = Command::new("sh");
    c.args(["-c", line]);
    env.isolate(&mut c);
    cargo_env(&mut c, &real_home());
    let o = c
        .current_dir(cwd)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", env.home().join("pre-commit"))
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run {line}: {e}"));
    (
        o.status.code().unwrap_or(-1),
        format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)),
    )
}

/// Returns the commands of a `sh` block, without comments.
fn commands(block: &str) -> Vec<String> {
    block
        .lines()
        .map(|l| l.split(" # ").next().unwrap_or("").trim().to_string())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

fn path_with(dir: &Path) -> std::ffi::OsString {
    std::env::join_paths(
        std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap()
}

#[test]
fn readme_quick_start_and_pre_commit_section_work_as_written() {
    if !slow_tests("readme_quick_start_and_pre_commit_section_work_as_written") {
        return;
    }
    let env = TestEnv::new();
    let text = readme();
    let quick = section(&text, "## Quick start");
    let blocks = code_blocks(quick, "sh");
    assert_eq!(blocks.len(), 2, "Quick start: an install block, then the two commands:\n{quick}");
    let install = commands(&blocks[0]);
    assert!(install[0].starts_with("cargo install --locked --path ."), "install comes first: {install:?}");
    let two = commands(&blocks[1]);
    assert_eq!(two, ["cargo run --release -- scan examples/", "cargo test"], "the Quick start stays two commands");

    // Installed where the test says (CARGO_INSTALL_ROOT), with the command as written.
    let root = env.home().join("install");
    let bin = root.join("bin");
    let path = path_with(&bin);
    for line in &install {
        let mut c = Command::new("sh");
        c.args(["-c", line]).current_dir(manifest_dir()).env("CARGO_INSTALL_ROOT", &root).env("PATH", &path);
        cargo_env(&mut c, &real_home());
        let o = c.stdin(Stdio::null()).output().unwrap();
        let out = format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
        assert_eq!(o.status.code(), Some(0), "`{line}`:\n{out}");
        if line.ends_with("--version") {
            assert!(out.contains("(commit "), "{out}");
        }
    }
    let installed = std::fs::read(bin.join("phiscan")).expect("cargo install put phiscan in bin/");
    // The release profile strips symbols: no mangled names of our own functions remain.
    assert!(!installed.windows(16).any(|w| w == b"7phiscan4scan7S"), "the installed binary is not stripped");
    // The first of the two commands (the second, `cargo test`, is the command running this test).
    let o = {
        let mut c = Command::new("sh");
        c.args(["-c", &two[0]]).current_dir(manifest_dir());
        cargo_env(&mut c, &real_home());
        c.stdin(Stdio::null()).output().unwrap()
    };
    assert_eq!(o.status.code(), Some(1), "the examples hold a breach: {}", String::from_utf8_lossy(&o.stderr));

    // The pre-commit section, literally: the `repo: local` hook runs the installed phiscan.
    if !python_has("pre_commit") {
        return;
    }
    let pre = section(&text, "### pre-commit");
    let yaml = code_blocks(pre, "yaml");
    let local = yaml.iter().find(|b| b.contains("repo: local")).expect("a repo: local block");
    assert_blocks_a_breach(&env, local, &bin);

    // The commit-id hook, built by pre-commit with `language: rust`: the URL and commit id are
    // this checkout's (a copy of the working tree, committed), everything else as written.
    let remote = yaml.iter().find(|b| b.contains("rev:")).expect("a block pinned with rev:");
    let src = env.home().join("phiscan-src");
    copy_checkout(&src);
    let git = |args: &[&str]| {
        let mut c = Command::new("git");
        c.args(args).current_dir(&src);
        env.isolate(&mut c);
        let o = c.current_dir(&src).output().unwrap();
        assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["add", "-A"]);
    git(&["commit", "-q", "--no-verify", "-m", "phiscan as a hook repository"]);
    let commit = git(&["rev-parse", "HEAD"]);
    let yaml: String = remote
        .lines()
        .map(|l| {
            let t = l.trim_start();
            let indent = &l[..l.len() - t.len()];
            if t.starts_with("- repo:") {
                format!("{indent}- repo: {}", src.display())
            } else if t.starts_with("rev:") {
                format!("{indent}rev: {commit}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let repo = TestEnv::new();
    let started = std::time::Instant::now();
    assert_blocks_a_breach_in(&repo, &yaml, &bin, &env);
    eprintln!("language: rust hook set up and run in {:.0?}", started.elapsed());
}

/// Copies the files git tracks (and untracked, unignored ones) of this checkout to `dest`.
fn copy_checkout(dest: &Path) {
    let o = Command::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .current_dir(manifest_dir())
        .output()
        .unwrap();
    assert!(o.status.success());
    for rel in o.stdout.split(|b| *b == 0).filter(|p| !p.is_empty()) {
        let rel = Path::new(std::str::from_utf8(rel).unwrap());
        let from = manifest_dir().join(rel);
        if !from.is_file() {
            continue;
        }
        let to = dest.join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(&from, &to).unwrap();
    }
}

/// Runs the pre-commit framework with `config` in a fresh repository: a clean commit passes, a
/// breach is blocked (and reported masked), an allowed line passes.
fn assert_blocks_a_breach(env: &TestEnv, config: &str, bin: &Path) {
    let repo = TestEnv::new();
    assert_blocks_a_breach_in(&repo, config, bin, env);
}

fn assert_blocks_a_breach_in(repo: &TestEnv, config: &str, bin: &Path, _owner: &TestEnv) {
    repo.git_init();
    repo.write(".pre-commit-config.yaml", config);
    repo.commit("pre-commit config");
    let path = path_with(bin);
    let py = python();
    let run = |line: &str| sh(repo, repo.path(), line, &path);
    let (code, out) = run(&format!("{} -m pre_commit install", py.display()));
    assert_eq!(code, 0, "{out}");
    repo.write("post.md", "Join us for the spring health fair on the lawn.\n");
    repo.git(&["add", "post.md"]);
    let (code, out) = run("git commit -q -m 'clean post'");
    assert_eq!(code, 0, "a clean commit passes:\n{out}");
    repo.write("drafts/story.md", DRAFT);
    repo.git(&["add", "drafts/story.md"]);
    let (code, out) = run("git commit -q -m 'story'");
    assert_ne!(code, 0, "a breach blocks the commit:\n{out}");
    assert!(out.contains("DO NOT POST  drafts/story.md  1 breach"), "the hook says why:\n{out}");
    assert!(!out.contains("Brackwater"), "raw value leaked:\n{out}");
    assert_eq!(repo.git(&["log", "--oneline"]).lines().count(), 2, "nothing was committed");
}

#[test]
fn readme_local_hook_blocks_a_breach() {
    if !python_has("pre_commit") {
        return;
    }
    let text = readme();
    let yaml = code_blocks(section(&text, "### pre-commit"), "yaml");
    let local = yaml.iter().find(|b| b.contains("repo: local")).expect("README: a repo: local block");
    assert!(local.contains("language: system"), "{local}");
    let env = TestEnv::new();
    let bin = Path::new(env!("CARGO_BIN_EXE_phiscan")).parent().unwrap();
    assert_blocks_a_breach(&env, local, bin);
}

#[test]
fn init_prints_a_hook_block_that_runs() {
    let env = TestEnv::new();
    let r = env.run(&["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stdout.contains("<tag>") && !r.stdout.contains("rev:"), "no placeholder to fill in:\n{}", r.stdout);
    let block: String = r
        .stdout
        .lines()
        .skip_while(|l| *l != "repos:")
        .take_while(|l| !l.trim().is_empty())
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(block.contains("repo: local") && block.contains("language: system"), "{}", r.stdout);
    if !python_has("pre_commit") {
        return;
    }
    let bin = Path::new(env!("CARGO_BIN_EXE_phiscan")).parent().unwrap();
    assert_blocks_a_breach(&env, &block, bin);
}

// ---- 3. nothing skipped in silence ----------------------------------------------------------

fn ignored_folder(env: &TestEnv) {
    env.git_init();
    env.write(".gitignore", "exports/*\n*.log\n");
    env.write("exports/clinic-list.csv", "patient_name,mrn,diagnosis\nPerpetua Quillingham,4471903,asthma\n");
    env.write("exports/nested/more.csv", "mrn,diagnosis\n4471904,gout\n");
    env.write("build.log", "nothing\n");
    env.write(".draft-post.txt", format!("SSN {SSN}\n"));
    env.write(".hidden-folder/a.txt", "nothing\n");
    env.write("post.txt", "Join us at the fair.\n");
}

#[test]
fn a_named_folder_is_walked_even_if_ignored_unless_force_exclude() {
    let env = TestEnv::new();
    ignored_folder(&env);
    let r = env.run(&["scan", "exports/", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let doc = r.json();
    assert_eq!(doc["summary"]["files_scanned"], 2, "{}", r.stderr);
    let forced = env.run(&["scan", "--force-exclude", "exports/"]);
    assert_eq!(forced.code, 0, "{}", forced.stderr);
    assert!(
        forced.stderr.contains("left out 1 file and 1 folder ignored by .gitignore (exports/clinic-list.csv, exports/nested/): --no-ignore to scan them"),
        "{}",
        forced.stderr
    );
    assert!(forced.stderr.contains("nothing was scanned: everything found was left out"), "{}", forced.stderr);
}

#[test]
fn ignored_and_hidden_entries_are_counted_with_the_flag_that_includes_them() {
    let env = TestEnv::new();
    ignored_folder(&env);
    env.write(".phiscan.toml", "exclude = [\"post.txt\"]\n");
    let r = env.run(&["scan", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = &r.stderr;
    assert!(s.contains("skipped 0, left out 6,"), "{s}");
    assert!(
        s.contains("left out 2 files and 1 folder ignored by .gitignore (build.log, exports/clinic-list.csv, exports/nested/): --no-ignore to scan them"),
        "{s}"
    );
    assert!(
        s.contains(
            "left out 1 hidden file and 1 hidden folder (.draft-post.txt, .hidden-folder/): --hidden to scan them"
        ),
        "{s}"
    );
    assert!(
        s.contains(
            "left out 1 file excluded by .phiscan.toml (post.txt): name it on the command line to scan it anyway"
        ),
        "{s}"
    );
    let doc = r.json();
    let paths: Vec<&str> =
        doc["summary"]["left_out"].as_array().unwrap().iter().map(|l| l["path"].as_str().unwrap()).collect();
    for not_content in [".git/", ".gitignore", ".phiscan.toml"] {
        assert!(!paths.contains(&not_content), "git's folder and phiscan's own files are not content: {paths:?}");
    }
    let left: Vec<(String, String, String)> = doc["summary"]["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (l["path"].as_str().unwrap().into(), l["reason"].as_str().unwrap().into(), l["by"].as_str().unwrap().into())
        })
        .collect();
    assert!(left.contains(&("exports/nested/".into(), "ignored".into(), ".gitignore".into())), "{left:?}");
    assert!(left.contains(&(".draft-post.txt".into(), "hidden".into(), "hidden".into())), "{left:?}");
    for l in doc["summary"]["left_out"].as_array().unwrap() {
        let flag = match l["reason"].as_str().unwrap() {
            "ignored" => serde_json::json!("--no-ignore"),
            "hidden" => serde_json::json!("--hidden"),
            _ => serde_json::Value::Null,
        };
        assert_eq!(l["flag"], flag, "{l}");
    }
    // The flags do what the summary says.
    let all = env.run(&["scan", "--hidden", "--no-ignore", "--format", "json"]);
    assert_eq!(all.code, 1, "{}", all.stderr);
    assert!(
        all.json()["summary"]["left_out"].as_array().unwrap().iter().all(|l| l["reason"] == "excluded"),
        "{}",
        all.stderr
    );
}

#[test]
fn a_file_over_max_file_size_is_an_error_unless_skip_large() {
    let env = TestEnv::new();
    env.write("big.txt", "x".repeat(5000));
    env.write("small.txt", format!("SSN {SSN}"));
    let r = env.run(&["scan", "--max-file-size", "1K", "."]);
    assert_eq!(r.code, 2, "errors outrank findings: {}", r.stderr);
    assert!(r.stderr.contains("error: big.txt: too large (5000 bytes > --max-file-size 1024): raise --max-file-size, or pass --skip-large"), "{}", r.stderr);
    let r = env.run(&["scan", "--max-file-size", "1K", "--skip-large", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("skipped big.txt: too large (5000 bytes > --max-file-size 1024; --skip-large)"),
        "{}",
        r.stderr
    );
    let r = env.run_stdin(&["scan", "-", "--max-file-size", "10"], b"a draft longer than ten bytes");
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn piped_stdin_without_a_path_is_an_error_not_a_folder_scan() {
    let env = TestEnv::new();
    env.write("clean.txt", "nothing");
    let r = env.run_stdin(&["scan"], format!("SSN {SSN}").as_bytes());
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("stdin is piped but no path was given: use `phiscan scan -`"), "{}", r.stderr);
    assert!(r.stdout.is_empty());
    assert_eq!(env.run_stdin(&["scan", "-"], format!("SSN {SSN}").as_bytes()).code, 1);
    // No stdin to speak of (/dev/null, a terminal): the folder, as before.
    assert_eq!(env.run(&["scan"]).code, 0);
}

// ---- 4. a report a person can act on --------------------------------------------------------

#[test]
fn text_report_gives_a_verdict_per_file_then_findings_by_line_then_what_to_do() {
    let env = TestEnv::new();
    env.write("drafts/story.md", DRAFT);
    env.write("drafts/staff.md", STAFF_POST);
    let r = env.run(&["scan", "drafts"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let out = &r.stdout;
    assert!(!out.contains("Brackwater") && !out.contains("Ottoline"), "identifiers are masked:\n{out}");
    let lines: Vec<&str> = out.lines().collect();
    let story = lines.iter().position(|l| l.starts_with("DO NOT POST  drafts/story.md")).expect(out);
    assert!(
        lines[story].ends_with("1 breach: O******* B********* + ovarian cancer (line 3)"),
        "the verdict names the words of the breach, identifiers masked:\n{out}"
    );
    assert!(lines[story + 1].trim_start().starts_with("line 3"), "then findings by line:\n{out}");
    let staff = lines.iter().position(|l| l.starts_with("REVIEW       drafts/staff.md")).expect(out);
    assert!(lines[staff].contains("no breach: 1 staff name, 1 diagnosis"), "{out}");
    assert!(lines[staff + 1].contains("staff name") && lines[staff + 1].contains("C****** V********"), "{out}");
    // The category once: the rule id only where it says more.
    let dx = lines.iter().find(|l| l.contains("o****** c*****") && l.contains("diagnosis")).expect(out);
    assert_eq!(dx.matches("diagnosis").count(), 1, "{dx}");
    let name = lines[story + 1];
    assert!(name.contains("name") && name.trim_end().ends_with("person-name"), "{name}");
    assert!(out.contains("What to do: do not post that file as it is."), "{out}");
    assert!(
        out.contains("`phiscan redact --mode mask FILE`") && out.contains("`phiscan:allow RULE -- reason`"),
        "{out}"
    );
    // Colour dims the rule id.
    let c = env.run(&["scan", "--color", "always", "drafts/story.md"]);
    assert!(c.stdout.contains("\x1b[2mperson-name\x1b[0m"), "{}", c.stdout);
}

/// A name the model doubts: reported as a low `possible name`, never part of a breach, and left
/// out on request (flag or config).
#[test]
fn doubtful_names_are_low_possible_names_that_never_make_a_breach() {
    let env = TestEnv::new();
    // A lone given name with no title, role or greeting; a health word and a pronoun after it.
    let draft = "Lunch with Evander today, then his dialysis.\n";
    let r = env.run_stdin(&["scan", "--format", "json", "-"], draft.as_bytes());
    assert_eq!(r.code, 0, "low findings do not fail the default gate: {}", r.stderr);
    let report = r.json();
    let names: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["category"] == "name").collect();
    assert_eq!(names.len(), 1, "{report:#}");
    let name = names[0];
    assert_eq!(name["possible"], true, "{report:#}");
    assert_eq!(name["severity"], "low", "{report:#}");
    assert_eq!(name["masked"], "E******", "{report:#}");
    let confidence = name["confidence"].as_f64().unwrap();
    assert!((0.2..0.5).contains(&confidence), "between the fitted floor and min_confidence: {confidence}");
    assert_eq!(report["breaches"].as_array().unwrap().len(), 0, "a possible name makes no breach: {report:#}");
    // Confident findings carry no `possible` key at all.
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] != "name")
        .all(|f| f.get("possible").is_none()));

    let text = env.run_stdin(&["scan", "-"], draft.as_bytes());
    assert!(text.stdout.contains("possible name") && text.stdout.contains("E******"), "{}", text.stdout);
    assert!(!text.stdout.contains("Evander"), "masked in text too:\n{}", text.stdout);
    let compact = env.run_stdin(&["scan", "--compact", "-"], draft.as_bytes());
    assert!(compact.stdout.contains("name(possible)"), "{}", compact.stdout);

    let off = env.run_stdin(&["scan", "--format", "json", "--no-possible", "-"], draft.as_bytes()).json();
    assert!(off["findings"].as_array().unwrap().iter().all(|f| f["category"] != "name"), "{off:#}");
    env.write(".phiscan.toml", "possible = false\n");
    let cfg = env.run_stdin(&["scan", "--format", "json", "-"], draft.as_bytes()).json();
    assert!(cfg["findings"].as_array().unwrap().iter().all(|f| f["category"] != "name"), "{cfg:#}");
    // A lower min_confidence makes it an ordinary finding.
    let low = env.run_stdin(&["scan", "--format", "json", "--min-confidence", "0.1", "-"], draft.as_bytes()).json();
    let plain = low["findings"].as_array().unwrap().iter().find(|f| f["category"] == "name").expect("still found");
    assert!(plain.get("possible").is_none() && plain["severity"] != "low", "{low:#}");
}

#[test]
fn compact_text_keeps_one_line_per_finding() {
    let env = TestEnv::new();
    env.write("drafts/story.md", DRAFT);
    env.write("drafts/staff.md", STAFF_POST);
    let r = env.run(&["scan", "--compact", "drafts"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for l in r.stdout.lines() {
        assert!(l.starts_with("drafts/staff.md:") || l.starts_with("drafts/story.md:"), "{l}");
    }
    assert!(r.stdout.contains("drafts/story.md:3  BREACH  "), "{}", r.stdout);
    assert!(r.stdout.contains("name(staff)"), "{}", r.stdout);
    assert!(!r.stdout.contains("What to do"), "scripts get findings only");
}

#[test]
fn json_marks_staff_names_with_a_role() {
    let env = TestEnv::new();
    env.write("staff.md", STAFF_POST);
    env.write("story.md", DRAFT);
    let doc = env.run(&["scan", "--format", "json", "."]).json();
    let names: Vec<(&str, Option<&str>)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["category"] == "name")
        .map(|f| (f["path"].as_str().unwrap(), f["role"].as_str()))
        .collect();
    assert_eq!(names, [("staff.md", Some("staff")), ("story.md", None)]);
}

#[test]
fn no_progress_bar_in_pipes() {
    let env = TestEnv::new();
    for i in 0..50 {
        env.write(&format!("d/{i}.txt"), DRAFT.repeat(200));
    }
    let r = env.run(&["scan", "d"]);
    assert_eq!(r.code, 1);
    assert!(
        !r.stderr.contains('\r') && !r.stderr.contains("\x1b["),
        "no bar or cursor codes in a pipe: {:?}",
        &r.stderr[..200.min(r.stderr.len())]
    );
}

#[test]
fn a_progress_bar_shows_on_a_terminal_for_a_long_scan_but_not_in_ci() {
    // `script` gives phiscan a terminal for stderr; without it there is nothing to check here.
    if Command::new("script").arg("--version").stdout(Stdio::null()).status().is_err() {
        assert!(!in_ci(), "CI needs `script` (util-linux) for the progress test");
        eprintln!("SKIPPED: no `script` command to run phiscan on a terminal");
        return;
    }
    let env = TestEnv::new();
    // Enough plain prose to take more than the bar's one-second delay in a debug build.
    let prose = "The spring fair opens at nine on the lawn by the east entrance.\n".repeat(6000);
    for i in 0..6 {
        env.write(&format!("d/{i}.txt"), &prose);
    }
    let run = |ci: &str| {
        let cmd = format!("{} scan d --format json -o /dev/null", env!("CARGO_BIN_EXE_phiscan"));
        let mut c = Command::new("script");
        c.args(["-qfec", &cmd, "/dev/null"]);
        env.isolate(&mut c);
        let started = std::time::Instant::now();
        let o = c.env("CI", ci).env("TERM", "xterm").stdin(Stdio::null()).output().unwrap();
        (started.elapsed(), String::from_utf8_lossy(&o.stdout).into_owned())
    };
    let (took, tty) = run("");
    let tail = |s: &str| s.chars().rev().take(300).collect::<Vec<_>>().into_iter().rev().collect::<String>();
    if took < std::time::Duration::from_millis(1500) {
        eprintln!("SKIPPED: the scan took {took:?} here, too fast for the bar to appear");
        return;
    }
    assert!(tty.contains("/6 files ·") && tty.contains('\r'), "a bar on a terminal: {}", tail(&tty));
    assert!(tty.contains("phiscan: scanned 6 files"), "{}", tail(&tty));
    let (_, ci) = run("true");
    assert!(!ci.contains("files ·"), "never in CI: {}", tail(&ci));
}

// ---- 5. messages and SARIF ------------------------------------------------------------------

#[test]
fn rule_ids_in_allow_warnings_are_shown_as_typed_with_a_suggestion() {
    let env = TestEnv::new();
    env.write("a.md", format!("SSN {SSN} # phiscan:allow us-snn\n"));
    let r = env.run(&["scan", "a.md"]);
    assert!(
        r.stderr.contains("warning: a.md:1: phiscan:allow names no active rule: us-snn (did you mean us-ssn?)"),
        "{}",
        r.stderr
    );
}

#[test]
fn baseline_errors_say_baseline() {
    let env = TestEnv::new();
    env.write("a.txt", "nothing");
    let r = env.run(&["scan", "--baseline", "nope.json", "a.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("error: baseline nope.json: no such file (create it with `phiscan baseline create`)"),
        "{}",
        r.stderr
    );
    env.write("bad.json", "{}");
    let r = env.run(&["scan", "--baseline", "bad.json", "a.txt"]);
    assert!(r.stderr.contains("error: baseline bad.json: not a phiscan baseline"), "{}", r.stderr);
    assert!(!r.stderr.contains("config"), "{}", r.stderr);
}

#[test]
fn an_unreadable_folder_is_named_once() {
    let env = TestEnv::new();
    env.write("noread/a.txt", "x");
    let dir = env.path().join("noread");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    // Root reads anything: run phiscan without the capabilities that bypass permissions.
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let r = if is_root {
        let bin = env!("CARGO_BIN_EXE_phiscan");
        let mut c = Command::new("setpriv");
        c.args(["--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", bin, "scan", "noread"]);
        env.isolate(&mut c);
        match c.env("NO_COLOR", "1").stdin(Stdio::null()).output() {
            Ok(o) => Run {
                code: o.status.code().unwrap_or(-1),
                stdout: String::from_utf8_lossy(&o.stdout).into(),
                stderr: String::from_utf8_lossy(&o.stderr).into(),
            },
            Err(e) => {
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
                assert!(!in_ci(), "CI needs setpriv (util-linux) for this test: {e}");
                eprintln!("SKIPPED: running as root without setpriv ({e})");
                return;
            }
        }
    } else {
        env.run(&["scan", "noread"])
    };
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("error: noread: Permission denied"), "{}", r.stderr);
    assert!(!r.stderr.contains("noread: noread"), "{}", r.stderr);
}

#[test]
fn a_missing_roster_names_the_patients_key() {
    let env = TestEnv::new();
    env.write(".phiscan.toml", "patients = \"private/roster.txt\"\n");
    env.write("a.txt", "nothing");
    let r = env.run(&["scan", "a.txt"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".phiscan.toml: patients = \"private/roster.txt\": the roster")
            && r.stderr.contains("cannot be read"),
        "{}",
        r.stderr
    );
}

#[test]
fn rules_explain_knows_the_breach_pseudo_rule() {
    let env = TestEnv::new();
    let r = env.run(&["rules", "explain", "phiscan-breach"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("phiscan-breach — Breach") && r.stdout.contains("staff names"), "{}", r.stdout);
}

#[test]
fn sarif_confidence_is_short_and_members_point_at_their_container() {
    let env = TestEnv::new();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("inner/post.txt", zip::write::SimpleFileOptions::default()).unwrap();
    use std::io::Write;
    zip.write_all(format!("SSN {SSN}\n").as_bytes()).unwrap();
    env.write("good.zip", zip.finish().unwrap().into_inner());
    env.write("draft.md", DRAFT);
    let r = env.run(&["scan", "--format", "sarif", "."]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(!r.stdout.contains("0.699999") && !r.stdout.contains("00000"), "short decimals: {}", r.stdout);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = doc["runs"][0]["results"].as_array().unwrap();
    let member = results.iter().find(|x| x["ruleId"] == "us-ssn").unwrap();
    let loc = &member["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "good.zip");
    assert!(loc.get("region").is_none(), "a member's lines are not the zip's lines: {loc}");
    assert!(member["message"]["text"].as_str().unwrap().contains(" in inner/post.txt"), "{member}");
    let staff = results.iter().any(|x| x["properties"]["role"] == "staff");
    assert!(!staff, "no staff in these files");
    for res in results {
        if let Some(c) = res["properties"]["confidence"].as_f64() {
            assert!(c.to_string().len() <= 4, "{c}");
        }
    }
}

// ---- README samples -------------------------------------------------------------------------

/// Replaces the timing of a summary line, which changes from run to run.
fn untimed(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        match line.rfind(" in ") {
            Some(i) if line.starts_with("phiscan: scanned") && line.ends_with('s') => {
                out.push_str(&line[..i]);
                out.push_str(" in 0.02s");
            }
            _ => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[test]
fn readme_samples_match_a_real_run() {
    // Each `<!-- sample: ARGS -->` in the README is followed by a text block that must be what
    // `phiscan ARGS` prints from the repository root (stdout, then stderr). PHISCAN_BLESS=1
    // rewrites the blocks from the run.
    let path = manifest_dir().join("README.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = String::new();
    let mut rest = text.as_str();
    let mut drift = Vec::new();
    let mut samples = 0;
    while let Some(i) = rest.find("<!-- sample: ") {
        let args_end = rest[i..].find(" -->").unwrap() + i;
        let args: Vec<&str> = rest[i + 13..args_end].split_whitespace().collect();
        let open = rest[args_end..].find("```text\n").unwrap() + args_end + 8;
        let close = rest[open..].find("```\n").unwrap() + open;
        let mut c = Command::new(env!("CARGO_BIN_EXE_phiscan"));
        let o = c
            .args(&args)
            .current_dir(manifest_dir())
            .env("NO_COLOR", "1")
            .env_remove("PHISCAN_CONFIG")
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let real = untimed(&format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)));
        if rest[open..close] != real {
            drift.push(format!(
                "sample `phiscan {}`:\n--- README\n{}--- real run\n{real}",
                args.join(" "),
                &rest[open..close]
            ));
        }
        out.push_str(&rest[..open]);
        out.push_str(&real);
        rest = &rest[close..];
        samples += 1;
    }
    out.push_str(rest);
    assert!(samples >= 2, "the README shows sample output");
    if std::env::var("PHISCAN_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, out).unwrap();
        return;
    }
    assert!(
        drift.is_empty(),
        "README samples drifted (PHISCAN_BLESS=1 cargo test readme_samples rewrites them):\n{}",
        drift.join("\n")
    );
}
