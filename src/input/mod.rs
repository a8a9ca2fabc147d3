//! Inputs: which files a scan reads, and how their bytes become text.
//!
//! Walking uses the `ignore` crate (the walker behind ripgrep), in parallel, honouring
//! `.gitignore`, `.ignore` and `.phiscanignore`. A path named on the command line is scanned even
//! when an ignore file covers it (the user asked for it) unless `--force-exclude` is set, which is
//! what a pre-commit hook passing file names needs; a named folder is likewise walked with its own
//! ignore files only, not those of the folders above it. Everything left out is recorded with a
//! reason: a scan that skips silently could pass a file full of PHI. Entries the walker prunes
//! (ignored, hidden, excluded) are found by listing each walked folder and are reported as
//! [`LeftOut`], once per pruned entry (a pruned folder is one entry; it is never entered).
//!
//! Only regular files are read. A symbolic link inside a walked folder is an error unless the
//! user stated a choice (`--follow-symlinks` scans its target, `--no-follow` skips it with a
//! record); FIFOs, sockets and devices are refused before they are opened (a FIFO with no writer
//! would block the run forever, `/dev/zero` would never end). Stdin is read through `-` only.

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
    /// Whether the roots were named on the command line (not the default `.`): a named folder is
    /// walked without the ignore files of the folders above it.
    pub named: bool,
    /// Worker threads for walking.
    pub threads: usize,
    /// What to do with symbolic links met inside walked folders: `None` (not stated) reports
    /// each as an error, `Some(true)` (`--follow-symlinks`) scans their targets, `Some(false)`
    /// (`--no-follow`) skips them with a skip record.
    pub follow_symlinks: Option<bool>,
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

/// Why the walk left an entry out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LeftOutReason {
    /// Matched by `--exclude` or a config file's `exclude`.
    Excluded,
    /// Matched by an ignore file (`.gitignore`, `.ignore`, `.phiscanignore`, git's excludes).
    Ignored,
    /// A hidden (dot) file or folder.
    Hidden,
}

impl LeftOutReason {
    /// Returns the contract name (`excluded`, `ignored`, `hidden`).
    pub fn as_str(self) -> &'static str {
        match self {
            LeftOutReason::Excluded => "excluded",
            LeftOutReason::Ignored => "ignored",
            LeftOutReason::Hidden => "hidden",
        }
    }

    /// Returns the flag that brings such entries back into a scan, if one does.
    pub fn flag(self) -> Option<&'static str> {
        match self {
            LeftOutReason::Excluded => None,
            LeftOutReason::Ignored => Some("--no-ignore"),
            LeftOutReason::Hidden => Some("--hidden"),
        }
    }
}

/// A file or folder that a walk did not enter, and why: counted and reported, never silent.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LeftOut {
    /// The display path (a folder's ends with `/`).
    pub path: String,
    /// `file` or `folder`.
    pub kind: &'static str,
    /// Why it was left out.
    pub reason: LeftOutReason,
    /// What left it out: the ignore file (`.gitignore`, `drafts/.phiscanignore`), `--exclude`,
    /// a config file, or `hidden`.
    pub by: String,
    /// The flag that would scan it, if one does.
    pub flag: Option<&'static str>,
}

impl LeftOut {
    /// Returns a left-out entry; `folder` says whether it is a folder.
    pub fn new(path: &Path, folder: bool, reason: LeftOutReason, by: String) -> LeftOut {
        let mut path = display(path);
        if folder && !path.ends_with('/') {
            path.push('/');
        }
        LeftOut { path, kind: if folder { "folder" } else { "file" }, reason, by, flag: reason.flag() }
    }
}

/// What a walk produced: files to scan, files skipped, and errors (unreadable paths).
#[derive(Debug, Default)]
pub struct Walk {
    /// Files to scan, sorted by display path.
    pub files: Vec<FileInput>,
    /// Files left out, with reasons.
    pub skipped: Vec<Skipped>,
    /// Entries the walker pruned (ignored, hidden, excluded), sorted.
    pub left_out: Vec<LeftOut>,
    /// Paths that could not be read.
    pub errors: Vec<Error>,
}

/// Names never counted as left out: git's own folder and the files that steer phiscan and git.
/// They are configuration, not content; counting them would put a line in every report.
const NOT_CONTENT: [&str; 6] =
    [".git", ".gitignore", ".ignore", IGNORE_FILE, ".phiscan.toml", ".phiscan-baseline.json"];

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

/// Returns a path to show a person: relative to the working folder when it lies below it.
pub fn shown(path: &Path) -> String {
    let cwd = std::env::current_dir().ok().and_then(|c| std::fs::canonicalize(c).ok());
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) => slash(rel),
        None => slash(path),
    }
}

/// Returns the path as reports show it: without `./`, control characters escaped (a file name
/// with an ESC or a newline must not drive a terminal or forge a CI annotation).
fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    crate::text::label::escape_controls(s.strip_prefix("./").unwrap_or(&s)).into_owned()
}

/// Compiles `--exclude` globs into the walker's overrides.
pub fn excludes(opts: &WalkOptions) -> Result<Override, Error> {
    let mut b = OverrideBuilder::new(".");
    for g in &opts.exclude {
        b.add(&format!("!{g}")).map_err(|e| Error::config(format!("bad --exclude glob {g:?}: {e}")))?;
    }
    b.build().map_err(|e| Error::config(format!("bad --exclude glob: {e}")))
}

/// Walks `roots` and returns the files to scan, sorted, with what was left out and why.
pub fn walk(roots: &[PathBuf], opts: &WalkOptions) -> Walk {
    let mut out = Walk::default();
    let overrides = match excludes(opts) {
        Ok(o) => o,
        Err(e) => {
            out.errors.push(e);
            return out;
        }
    };
    #[derive(Default)]
    struct Seen {
        files: Vec<FileInput>,
        /// Every entry the walker yielded (files, folders, links), and the folders to list.
        entries: std::collections::HashSet<PathBuf>,
        dirs: Vec<PathBuf>,
        errors: Vec<Error>,
        skipped: Vec<Skipped>,
    }
    let mut classify = Classifier::new(opts, &overrides);
    for root in roots {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(source) => {
                out.errors.push(Error::Io { path: root.clone(), source });
                continue;
            }
        };
        if !meta.is_file() && !meta.is_dir() {
            out.errors.push(not_regular(root, &meta.file_type()));
            continue;
        }
        if meta.is_file() {
            if opts.force_exclude {
                if let Some(reason) = explicit_exclusion(root, opts, &overrides) {
                    out.skipped.push(Skipped { path: display(root), reason });
                    continue;
                }
            }
            out.files.push(FileInput { display: display(root), path: root.clone(), blob: None });
            continue;
        }
        // A folder the user named is walked whatever the ignore files above it say (as a named
        // file is scanned), unless --force-exclude; the default `.` keeps them.
        let parents = !opts.no_ignore && (opts.force_exclude || !opts.named);
        let mut b = WalkBuilder::new(root);
        b.hidden(!opts.hidden)
            .ignore(!opts.no_ignore)
            .git_ignore(!opts.no_ignore)
            .git_exclude(!opts.no_ignore)
            .git_global(!opts.no_ignore)
            .parents(parents)
            .require_git(false)
            .overrides(overrides.clone())
            .follow_links(opts.follow_symlinks == Some(true))
            .threads(opts.threads.max(1));
        if !opts.no_ignore {
            b.add_custom_ignore_filename(IGNORE_FILE);
        }
        let shared = Mutex::new(Seen::default());
        b.build_parallel().run(|| {
            Box::new(|entry| {
                let mut seen = shared.lock().unwrap_or_else(|p| p.into_inner());
                match entry {
                    Ok(e) => {
                        let t = e.file_type();
                        if t.is_some_and(|t| t.is_file()) {
                            let f = FileInput { display: display(e.path()), path: e.path().to_path_buf(), blob: None };
                            seen.files.push(f);
                        } else if t.is_some_and(|t| t.is_dir()) {
                            seen.dirs.push(e.path().to_path_buf());
                        } else if t.is_some_and(|t| t.is_symlink()) {
                            match opts.follow_symlinks {
                                Some(false) => seen.skipped.push(Skipped {
                                    path: display(e.path()),
                                    reason: "symbolic link (--no-follow)".into(),
                                }),
                                _ => seen.errors.push(Error::Input {
                                    path: display(e.path()),
                                    message: "symbolic link not scanned: pass --follow-symlinks to scan what it \
                                              points to, or --no-follow to skip links"
                                        .into(),
                                }),
                            }
                        } else if let Some(t) = t {
                            seen.errors.push(not_regular(e.path(), &t));
                        }
                        seen.entries.insert(e.into_path());
                    }
                    Err(err) => {
                        let path = err_path(&err).unwrap_or_else(|| root.clone());
                        seen.errors.push(Error::Io { path, source: io_error(err) });
                    }
                }
                WalkState::Continue
            })
        });
        let seen = shared.into_inner().unwrap_or_else(|p| p.into_inner());
        // What the walker pruned: each walked folder's entries that it did not yield.
        for dir in &seen.dirs {
            let Ok(children) = std::fs::read_dir(dir) else { continue };
            for child in children.flatten() {
                let path = child.path();
                let name = child.file_name();
                if seen.entries.contains(&path) || NOT_CONTENT.iter().any(|n| name == *n) {
                    continue;
                }
                let folder = child.file_type().is_ok_and(|t| t.is_dir());
                let (reason, by) = classify.why(&path, folder, root, parents);
                out.left_out.push(LeftOut::new(&path, folder, reason, by));
            }
        }
        out.files.extend(seen.files);
        out.errors.extend(seen.errors);
        out.skipped.extend(seen.skipped);
    }
    out.files.sort();
    out.files.dedup();
    out.skipped.sort();
    out.left_out.sort();
    out.left_out.dedup();
    out
}

/// Returns the error for an entry that is neither a regular file nor a folder: refused before
/// it is opened (opening a FIFO blocks; a device never ends).
pub fn not_regular(path: &Path, t: &std::fs::FileType) -> Error {
    Error::Input { path: display(path), message: not_regular_reason(t) }
}

/// Returns why a non-regular file is refused, naming what it is.
pub fn not_regular_reason(t: &std::fs::FileType) -> String {
    format!("not a regular file ({}): refused before opening; pipe it to `phiscan scan -`", file_kind(t))
}

/// Returns what a non-regular file is, for messages.
fn file_kind(t: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    if t.is_symlink() {
        "a symbolic link"
    } else {
        "a special file"
    }
}

/// Returns the I/O error inside a walker error, without the path the walker prefixes to its
/// message (the report names the path once: `noread: Permission denied`).
fn io_error(err: ignore::Error) -> std::io::Error {
    fn innermost(err: &ignore::Error) -> &ignore::Error {
        match err {
            ignore::Error::WithPath { err, .. }
            | ignore::Error::WithDepth { err, .. }
            | ignore::Error::WithLineNumber { err, .. } => innermost(err),
            e => e,
        }
    }
    let message = innermost(&err).to_string();
    err.into_io_error().unwrap_or_else(|| std::io::Error::other(message))
}

/// Tells why the walker pruned an entry, naming the ignore file that matched it.
struct Classifier<'a> {
    opts: &'a WalkOptions,
    overrides: &'a Override,
    /// Compiled ignore files by path (`None`: absent or unreadable).
    files: std::collections::HashMap<PathBuf, Option<Gitignore>>,
    /// The global git excludes file, read on first use.
    global: Option<Gitignore>,
    cwd: PathBuf,
}

impl<'a> Classifier<'a> {
    fn new(opts: &'a WalkOptions, overrides: &'a Override) -> Classifier<'a> {
        let cwd = std::env::current_dir().ok().and_then(|d| std::fs::canonicalize(d).ok()).unwrap_or_default();
        Classifier { opts, overrides, files: Default::default(), global: None, cwd }
    }

    /// Returns the reason `path` was pruned, in the walker's order of precedence: excludes, then
    /// ignore files (nearest folder first, `.phiscanignore` before `.ignore` before
    /// `.gitignore`), then hidden names.
    fn why(&mut self, path: &Path, folder: bool, root: &Path, parents: bool) -> (LeftOutReason, String) {
        if self.overrides.matched(path, folder).is_ignore() {
            return (LeftOutReason::Excluded, "--exclude".into());
        }
        if !self.opts.no_ignore {
            if let Some(by) = self.ignored_by(path, folder, root, parents) {
                return (LeftOutReason::Ignored, by);
            }
        }
        let hidden = path.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.'));
        if hidden && !self.opts.hidden {
            return (LeftOutReason::Hidden, "hidden".into());
        }
        // The walker knows rules this does not model (a global excludes file with negations):
        // still an ignore rule, still reported.
        (LeftOutReason::Ignored, "ignore rules".into())
    }

    fn ignored_by(&mut self, path: &Path, folder: bool, root: &Path, parents: bool) -> Option<String> {
        let name = path.file_name()?;
        let abs = std::fs::canonicalize(path.parent()?).ok()?.join(name);
        let top = std::fs::canonicalize(root).ok()?;
        // The folders whose ignore files apply, nearest first: up to the walked root, or (when
        // parents' files apply) to the filesystem root; git's files stop at the repository.
        let mut dirs: Vec<(PathBuf, bool)> = Vec::new();
        let mut in_repo = true;
        let mut dir = abs.parent();
        while let Some(d) = dir {
            dirs.push((d.to_path_buf(), in_repo));
            in_repo &= !d.join(".git").exists();
            if !parents && d == top {
                break;
            }
            dir = d.parent();
        }
        // As the walker ranks them: `.phiscanignore`, then `.ignore`, then `.gitignore`, then
        // git's exclude file, each from its nearest folder that has a say; a `!pattern` there
        // re-includes the entry.
        for kind in [IGNORE_FILE, ".ignore", ".gitignore", "info/exclude"] {
            for (d, in_repo) in &dirs {
                let git_only = kind == ".gitignore" || kind == "info/exclude";
                if git_only && !in_repo {
                    break;
                }
                let f = if kind == "info/exclude" { d.join(".git").join("info").join("exclude") } else { d.join(kind) };
                let gi = self.files.entry(f.clone()).or_insert_with(|| {
                    if !f.is_file() {
                        return None;
                    }
                    let mut b = GitignoreBuilder::new(d);
                    b.add(&f);
                    b.build().ok()
                });
                match gi.as_ref().map(|gi| gi.matched(&abs, folder)) {
                    Some(m) if m.is_ignore() => return Some(self.show(&f)),
                    Some(m) if m.is_whitelist() => return None,
                    _ => {}
                }
            }
        }
        let global = self.global.get_or_insert_with(|| Gitignore::global().0);
        global.matched(&abs, folder).is_ignore().then(|| "the global git excludes file".to_string())
    }

    /// Returns an ignore file's path relative to the working folder when it is below it.
    fn show(&self, file: &Path) -> String {
        match file.strip_prefix(&self.cwd) {
            Ok(rel) => slash(rel),
            Err(_) => slash(file),
        }
    }
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
        return Some("excluded by --exclude".into());
    }
    if opts.no_ignore {
        return None;
    }
    // Ignore files of every folder from the file's own up to the filesystem root (or the
    // repository root), nearest first, as git would apply them.
    let abs = std::fs::canonicalize(path).ok()?;
    let mut dir = abs.parent();
    while let Some(d) = dir {
        for name in [IGNORE_FILE, ".ignore", ".gitignore"] {
            let f = d.join(name);
            if !f.is_file() {
                continue;
            }
            let mut b = GitignoreBuilder::new(d);
            b.add(&f);
            let Ok(gi) = b.build() else { continue };
            if gi.matched_path_or_any_parents(&abs, false).is_ignore() {
                return Some(format!("ignored by {}", shown(&f)));
            }
        }
        if d.join(".git").exists() {
            break;
        }
        dir = d.parent();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walker_errors_name_their_path_once() {
        let inner = ignore::Error::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied));
        let err = ignore::Error::WithPath { path: "noread".into(), err: Box::new(inner) };
        assert!(err.to_string().starts_with("noread: "), "the walker prefixes the path: {err}");
        let e = Error::Io { path: "noread".into(), source: io_error(err) };
        assert_eq!(e.to_string(), "noread: permission denied");
    }

    #[test]
    fn left_out_entries_carry_their_flag() {
        let l = LeftOut::new(Path::new("./exports"), true, LeftOutReason::Ignored, ".gitignore".into());
        assert_eq!((l.path.as_str(), l.kind, l.flag), ("exports/", "folder", Some("--no-ignore")));
        let l = LeftOut::new(Path::new("a.txt"), false, LeftOutReason::Excluded, "--exclude".into());
        assert_eq!(l.flag, None);
    }
}
