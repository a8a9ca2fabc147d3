//! Git plumbing for `--staged` and `--diff`: which files, which blobs, which lines.
//!
//! phiscan shells out to the `git` the user already has, as pre-commit and CI do, rather than
//! linking a git library: the index, worktrees, sparse checkouts and hooks then behave exactly
//! as they do for the commit being gated. Every listing uses `-z`, so no path is ever quoted or
//! split. Failures are [`Error::Git`] and name the command, never file contents.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A repository seen from the working folder.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The top folder of the working tree (canonical).
    pub root: PathBuf,
}

/// A file that differs from the base (index or commit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The path relative to the repository root, `/`-separated (git's form).
    pub path: String,
    /// The path before a rename or copy, when there was one.
    pub old_path: Option<String>,
    /// The new side's blob id (all zeros when it is only in the working tree).
    pub blob: String,
    /// The new side's mode (`100644`, `100755`, `120000` symlink, `160000` submodule).
    pub mode: String,
}

impl Change {
    /// Whether the change is a regular file (not a symlink or a submodule).
    pub fn is_file(&self) -> bool {
        self.mode.starts_with("100")
    }
}

fn git(args: &[&str], pathspecs: &[PathBuf]) -> Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    cmd.args(args);
    if !pathspecs.is_empty() {
        cmd.arg("--").args(pathspecs);
    }
    let what = format!("git {}", args.join(" "));
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::Git { message: format!("cannot run `{what}`: {e} (is git installed and on PATH?)") })?;
    if !out.status.success() {
        let stderr = String::from_utf8_lossy(&out.stderr);
        let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("no message").trim().to_string();
        return Err(Error::Git { message: format!("`{what}` failed: {first}") });
    }
    Ok(out.stdout)
}

impl Repo {
    /// Opens the repository holding the working folder.
    pub fn open() -> Result<Repo> {
        let out = git(&["rev-parse", "--show-toplevel"], &[]).map_err(|e| match e {
            Error::Git { message } => {
                Error::Git { message: format!("--staged and --diff need a git working tree ({message})") }
            }
            e => e,
        })?;
        let top = String::from_utf8_lossy(&out).trim_end_matches(['\n', '\r']).to_string();
        let root = std::fs::canonicalize(&top).map_err(|source| Error::Io { path: top.into(), source })?;
        Ok(Repo { root })
    }

    /// Returns the files staged for commit (added, copied, modified, renamed), limited to
    /// `paths` (relative to the working folder) when given.
    pub fn staged(&self, paths: &[PathBuf]) -> Result<Vec<Change>> {
        let specs: Vec<PathBuf> = paths.iter().map(|p| literal(p)).collect();
        parse_raw(&git(&["diff", "--cached", "--raw", "-z", "--no-abbrev", "--diff-filter=ACMR"], &specs)?)
    }

    /// Returns the commit where HEAD's history left `base`'s (what a pull request is compared to).
    pub fn merge_base(&self, base: &str) -> Result<String> {
        if base.starts_with('-') {
            return Err(Error::Git { message: format!("not a revision: {base:?}") });
        }
        let out = git(&["merge-base", base, "HEAD"], &[])?;
        Ok(String::from_utf8_lossy(&out).trim().to_string())
    }

    /// Returns the files that differ between `commit` and the working tree (added, copied,
    /// modified, renamed; untracked files are not part of a diff).
    pub fn changed(&self, commit: &str, paths: &[PathBuf]) -> Result<Vec<Change>> {
        let specs: Vec<PathBuf> = paths.iter().map(|p| literal(p)).collect();
        parse_raw(&git(&["diff", "--raw", "-z", "--no-abbrev", "--diff-filter=ACMR", commit], &specs)?)
    }

    /// Returns the 1-based line ranges (inclusive) of `change` that are added or changed since
    /// `commit`.
    pub fn changed_lines(&self, commit: &str, change: &Change) -> Result<Vec<(usize, usize)>> {
        let spec = |p: &str| literal(&self.root.join(p));
        let mut specs: Vec<PathBuf> = vec![spec(&change.path)];
        specs.extend(change.old_path.as_deref().map(spec));
        let out = git(&["diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "-M", commit], &specs)?;
        Ok(parse_hunks(&out))
    }

    /// Returns the absolute path of a repository-relative path.
    pub fn abs(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

/// Reads one blob from the object store.
pub fn read_blob(blob: &str) -> Result<Vec<u8>> {
    git(&["cat-file", "blob", blob], &[])
}

/// Parses `git diff --raw -z` output.
fn parse_raw(out: &[u8]) -> Result<Vec<Change>> {
    let mut fields = out.split(|b| *b == 0).filter(|f| !f.is_empty());
    let mut changes = Vec::new();
    let bad = || Error::Git { message: "unexpected `git diff --raw` output".into() };
    while let Some(meta) = fields.next() {
        // `:100644 100644 <old> <new> M` then one path, or two for renames and copies.
        let meta = String::from_utf8_lossy(meta);
        let parts: Vec<&str> = meta.trim_start_matches(':').split(' ').collect();
        if parts.len() < 5 {
            return Err(bad());
        }
        let two_paths = parts[4].starts_with('R') || parts[4].starts_with('C');
        let first = fields.next().ok_or_else(bad)?;
        let (old_path, path) = if two_paths {
            let second = fields.next().ok_or_else(bad)?;
            (Some(String::from_utf8_lossy(first).into_owned()), String::from_utf8_lossy(second).into_owned())
        } else {
            (None, String::from_utf8_lossy(first).into_owned())
        };
        changes.push(Change { path, old_path, blob: parts[3].to_string(), mode: parts[1].to_string() });
    }
    changes.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(changes)
}

/// Parses the `@@ -a,b +c,d @@` headers of a `-U0` diff into new-side line ranges.
fn parse_hunks(out: &[u8]) -> Vec<(usize, usize)> {
    let mut ranges = Vec::new();
    for line in out.split(|b| *b == b'\n').filter(|l| l.starts_with(b"@@ ")) {
        let line = String::from_utf8_lossy(line);
        let Some(plus) = line.split(' ').find(|w| w.starts_with('+')) else { continue };
        let mut nums = plus[1..].splitn(2, ',');
        let start: usize = nums.next().and_then(|n| n.parse().ok()).unwrap_or(0);
        let count: usize = nums.next().map_or(Some(1), |n| n.parse().ok()).unwrap_or(0);
        if count > 0 {
            ranges.push((start, start + count - 1));
        }
    }
    ranges
}

/// Whether 1-based `line` lies in one of the inclusive `ranges`.
pub fn in_ranges(ranges: &[(usize, usize)], line: usize) -> bool {
    ranges.iter().any(|&(s, e)| s <= line && line <= e)
}

/// Returns `path` as a pathspec that git takes literally (no globbing).
pub fn literal(path: &Path) -> PathBuf {
    let mut s = std::ffi::OsString::from(":(literal)");
    s.push(path);
    s.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_output_with_renames_parses() {
        let z = "0".repeat(40);
        let out = format!(
            ":100644 100644 {z} {} M\0a b.txt\0:100644 100644 {z} {} R087\0old.txt\0new.txt\0:160000 160000 {z} {z} M\0sub\0",
            "1".repeat(40),
            "2".repeat(40)
        );
        let c = parse_raw(out.as_bytes()).unwrap();
        assert_eq!(c.len(), 3);
        assert_eq!(c[0].path, "a b.txt");
        assert_eq!(c[1].path, "new.txt");
        assert_eq!(c[1].old_path.as_deref(), Some("old.txt"));
        assert!(!c[2].is_file());
    }

    #[test]
    fn hunks_give_new_side_ranges() {
        let out = b"diff --git a/x b/x\n@@ -1,0 +2,3 @@\n+a\n@@ -9 +12 @@ ctx\n-x\n+y\n@@ -20,2 +22,0 @@\n";
        assert_eq!(parse_hunks(out), vec![(2, 4), (12, 12)]);
        assert!(in_ranges(&[(2, 4)], 3) && !in_ranges(&[(2, 4)], 5));
    }
}
