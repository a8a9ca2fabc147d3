//! A small harness for CLI tests: a temporary folder, files in it, and a way to run phiscan
//! (and git) there, isolated from the developer's own config, keys and git settings.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary folder to run phiscan in.
pub struct TestEnv {
    dir: tempfile::TempDir,
    /// Stands in for `$HOME` and `$XDG_CONFIG_HOME` (baseline keys land here).
    home: tempfile::TempDir,
}

/// What a phiscan run produced.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Parses stdout as one JSON document.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv { dir: tempfile::tempdir().expect("tempdir"), home: tempfile::tempdir().expect("tempdir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The isolated home folder.
    pub fn home(&self) -> &Path {
        self.home.path()
    }

    /// Reads `rel` as text.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Applies the isolation every child process gets: no user or system git config, a fixed
    /// git identity, a private home, no inherited phiscan settings.
    pub fn isolate(&self, c: &mut Command) {
        c.current_dir(self.dir.path())
            .env("HOME", self.home.path())
            .env("XDG_CONFIG_HOME", self.home.path().join(".config"))
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", self.home.path().join(".gitconfig"))
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.org")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.org")
            .env_remove("PHISCAN_CONFIG")
            .env_remove("PHISCAN_BASELINE_KEY")
            .env_remove("PHISCAN_BASELINE_KEY_FILE")
            .env_remove("GIT_DIR")
            .env_remove("GIT_INDEX_FILE")
            .env_remove("GIT_WORK_TREE");
    }

    /// Runs git in the folder and returns its stdout; panics when git fails.
    pub fn git(&self, args: &[&str]) -> String {
        let mut c = Command::new("git");
        c.args(args);
        self.isolate(&mut c);
        let o = c.stdin(Stdio::null()).output().expect("run git");
        assert!(o.status.success(), "git {args:?} failed: {}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Makes the folder a git repository on branch `main`, with an identity for commits.
    pub fn git_init(&self) {
        self.git(&["init", "-q", "-b", "main"]);
        self.git(&["config", "user.name", "Test"]);
        self.git(&["config", "user.email", "test@example.org"]);
        self.git(&["config", "commit.gpgsign", "false"]);
    }

    /// Stages everything and commits it.
    pub fn commit(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
    }

    /// Writes `contents` to `rel`, creating folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, contents).unwrap();
        p
    }

    /// Returns a phiscan command running in the folder, with colour and config discovery
    /// isolated from the developer's environment.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_phiscan"));
        c.args(args).env("NO_COLOR", "1");
        self.isolate(&mut c);
        c
    }

    /// Runs phiscan with `args`.
    pub fn run(&self, args: &[&str]) -> Run {
        output(self.cmd(args).stdin(Stdio::null()).output().expect("run phiscan"))
    }

    /// Runs phiscan with `args`, feeding `input` on stdin.
    pub fn run_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let mut child =
            self.cmd(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // phiscan may exit without reading stdin (an error before the scan): a closed pipe then.
        match child.stdin.take().unwrap().write_all(input) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {}
            r => r.unwrap(),
        }
        output(child.wait_with_output().unwrap())
    }
}

fn output(o: Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Whether CI asks every test to run (then missing tools are failures, not skips).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// Whether the slow tests that build phiscan in release mode run: always in CI, locally with
/// `PHISCAN_SLOW_TESTS=1` (a visible skip otherwise).
pub fn slow_tests(what: &str) -> bool {
    let asked = std::env::var("PHISCAN_SLOW_TESTS").is_ok_and(|v| v == "1");
    if !(asked || in_ci()) {
        eprintln!("SKIPPED {what}: it builds phiscan in release mode; set PHISCAN_SLOW_TESTS=1 (CI runs it)");
    }
    asked || in_ci()
}

/// The Python that has the tools the gate tests need: `$PHISCAN_PYTHON`, else the venv `.ci/run`
/// makes in `target/python` from `.ci/requirements.txt`, else `python3`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("PHISCAN_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = target_dir().join("python").join("bin").join("python");
    if venv.is_file() {
        return venv;
    }
    PathBuf::from("python3")
}

/// Whether [`python`] can import `modules`. In CI a missing module fails the test; locally it
/// prints why the test is skipped.
pub fn python_has(modules: &str) -> bool {
    let py = python();
    let ok = Command::new(&py)
        .args(["-c", &format!("import {modules}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            !in_ci(),
            "CI is set but {} cannot import {modules}: .ci/run installs .ci/requirements.txt into target/python",
            py.display()
        );
        eprintln!(
            "SKIPPED: {} cannot import {modules} (python3 -m venv target/python && target/python/bin/pip install -r .ci/requirements.txt)",
            py.display()
        );
    }
    ok
}

/// The cargo target folder this test binary was built in.
pub fn target_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_phiscan"));
    // target/<profile>/phiscan
    bin.parent().and_then(Path::parent).expect("binary inside a target folder").to_path_buf()
}

/// The repository's README.md.
pub fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README.md")
}

/// Returns the text of the README section under `heading` (a `#` line), up to the next heading
/// of the same or a higher level.
pub fn section<'a>(readme: &'a str, heading: &str) -> &'a str {
    let level = heading.chars().take_while(|c| *c == '#').count();
    let start = readme.find(&format!("\n{heading}\n")).unwrap_or_else(|| panic!("README has no {heading:?}")) + 1;
    let body = &readme[start + heading.len() + 1..];
    let mut in_code = false;
    let mut end = body.len();
    let mut pos = 0;
    for line in body.split_inclusive('\n') {
        if line.starts_with("```") {
            in_code = !in_code;
        }
        let hashes = line.chars().take_while(|c| *c == '#').count();
        if !in_code && hashes > 0 && hashes <= level && line[hashes..].starts_with(' ') {
            end = pos;
            break;
        }
        pos += line.len();
    }
    &body[..end]
}

/// Returns the fenced code blocks of `text` whose info string is `lang`, in order.
pub fn code_blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start() == format!("```{lang}") => current = Some(String::new()),
            Some(block) if line.trim_start().starts_with("```") => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}
