//! Inputs: which files a scan reads, and how their bytes become text.
//!
//! Walking uses the `ignore` crate (the walker behind ripgrep), in parallel, honouring
//! `.gitignore`, `.ignore` and `.phiscanignore`. A path named on the command line is scanned even
//! when an ignore file covers it (the user asked for it) unless `--force-exclude` is set, which is
//! what a pre-commit hook passing file names needs. Everything left out is recorded with a reason:
//! a scan that skips silently could pass a file full of PHI.

pub mod decode;
pub mod git;

use crate::error::Error;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::overrides::{Override, OverrideBuilder};
use ignore::{WalkBuilder, WalkState};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The name of phiscan's own ignore file.
pub const IGNORE_FILE: &str = ".phiscanignore";

/// How to walk folders.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Do not read any ignore file.
    pub no_ignore: bool,
    /// Enter hidden files and folders.
    pub hidden: bool,
    /// Globs to leave out (gitignore syntax).
    pub exclude: Vec<String>,
    /// Apply ignore files and excludes to paths named explicitly, too.
    pub force_exclude: bool,
    /// Worker threads for walking.
    pub threads: usize,
}

/// A file to scan.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileInput {
    /// The path as the user will see it in reports.
    pub display: String,
    /// The path to open (for a staged file, where it is in the working tree).
    pub path: PathBuf,
    /// For a staged file: the id of its blob in the git index, read instead of `path`.
    pub blob: Option<String>,
}

/// A file that was not scanned, and why.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Skipped {
    /// The display path.
    pub path: String,
    /// A short reason: `binary`, `too large (… bytes)`, `excluded`, `ignored`, …
    pub reason: String,
}

/// What a walk produced: files to scan, files skipped, and errors (unreadable paths).
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to scan, sorted by display path.
    pub files: Vec<FileInput>,
    /// Files left out, with reasons.
    pub skipped: Vec<Skipped>,
    /// Paths that could not be read.
    pub errors: Vec<Error>,
}

/// Returns `path` relative to `base`, lexically (both absolute; `.` and `..` resolved).
pub fn relative_to(base: &Path, path: &Path) -> PathBuf {
    use std::path::Component;
    fn clean(p: &Path) -> Vec<Component<'_>> {
        let mut out: Vec<Component> = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    }
    let (b, p) = (clean(base), clean(path));
    let common = b.iter().zip(&p).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &p[common..] {
        rel.push(c.as_os_str());
    }
    rel
}

/// Returns `path` with `/` separators, as reports and baselines write paths.
pub fn slash(path: &Path) -> String {
    let s = path.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./").unwrap_or(&s).to_string()
}

/// Compiles `--exclude` globs into the walker's overrides.
pub fn excludes(opts: &WalkOptions) -> Result<Override, Error> {
    let mut b = OverrideBuilder::new(".");
    for g in &opts.exclude {
        b.add(&format!("!{g}")).map_err(|e| Error::config(format!("bad --exclude glob {g:?}: {e}")))?;
    }
    b.build().map_err(|e| Error::config(format!("bad --exclude glob: {e}")))
}

/// Walks `roots` and returns the files to scan, sorted.
pub fn walk(roots: &[PathBuf], opts: &WalkOptions) -> Walk {
    let mut out = Walk::default();
    let overrides = match excludes(opts) {
        Ok(o) => o,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    let shared = Mutex::new(Walk::default());
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(source) => {
                out.errors.push(Error::Io { path: root.clone(), source });
                continue;
            }
        };
        if meta.is_file() || !meta.is_dir() {
            if opts.force_exclude {
                if let Some(reason) = explicit_exclusion(root, opts, &overrides) {
                    out.skipped.push(Skipped { path: display(root), reason });
                    continue;
                }
            }
            out.files.push(FileInput { display: display(root), path: root.clone(), blob: None });
            continue;
        }
        let mut b = WalkBuilder::new(root);
        b.hidden(!opts.hidden)
            .ignore(!opts.no_ignore)
            .git_ignore(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .parents(!opts.no_ignore)
            .require_git(false)
            .overrides(overrides.clone())
            .threads(opts.threads.max(1));
        if !opts.no_ignore {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        b.build_parallel().run(|| {
            Box::new(|entry| {
                match entry {
                    Ok(e) => {
                        if e.file_type().is_some_and(|t| t.is_file()) {
                            let f = FileInput { display: display(e.path()), path: e.path().to_path_buf(), blob: None };
                            shared.lock().unwrap_or_else(|p| p.into_inner()).files.push(f);
                        }
                    }
                    Err(err) => {
                        let path = err_path(&err).unwrap_or_else(|| root.clone());
                        let source = std::io::Error::other(err.to_string());
                        shared.lock().unwrap_or_else(|p| p.into_inner()).errors.push(Error::Io { path, source });
                    }
                }
                WalkState::Continue
            })
        });
    }
    let walked = shared.into_inner().unwrap_or_else(|p| p.into_inner());
    out.files.extend(walked.files);
    out.errors.extend(walked.errors);
    out.files.sort();
    out.files.dedup();
    out.skipped.sort();
    out
}

fn err_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => err_path(err),
        _ => None,
    }
}

/// Returns why an explicitly named file is excluded under `--force-exclude`, if it is.
pub fn explicit_exclusion(path: &Path, opts: &WalkOptions, overrides: &Override) -> Option<String> {
    if overrides.matched(path, false).is_ignore() {
        return Some("excluded".into());
    }
    if opts.no_ignore {
        return None;
    }
    // Ignore files of every folder from the file's own up to the filesystem root (or the
    // repository root), nearest first, as git would apply them.
    let abs = std::fs::canonicalize(path).ok()?;
    let mut dir = abs.parent();
    while let Some(d) = dir {
        let mut b = GitignoreBuilder::new(d);
        for name in [".gitignore", ".ignore", IGNORE_FILE] {
            let f = d.join(name);
            if f.is_file() {
                let _ = b.add(f);
            }
        }
        let gi: Gitignore = b.build().ok()?;
        if gi.matched_path_or_any_parents(&abs, false).is_ignore() {
            return Some("ignored".into());
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent();
    }
    None
}
