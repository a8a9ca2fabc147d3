//! A small harness for CLI tests: a temporary folder, files in it, and a way to run phiscan.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A temporary folder to run phiscan in.
pub struct TestEnv {
    dir: tempfile::TempDir,
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
        TestEnv { dir: tempfile::tempdir().expect("tempdir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
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
        c.args(args).current_dir(self.dir.path()).env_remove("PHISCAN_CONFIG").env("NO_COLOR", "1");
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
        child.stdin.take().unwrap().write_all(input).unwrap();
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
