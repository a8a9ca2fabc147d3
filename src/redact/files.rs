//! `phiscan redact` over files: read, redact, verify, write safely, and say what was done.
//!
//! Writing is where data gets lost, so every write is atomic: `-o` goes through
//! [`crate::report::write_atomically`]; `--in-place` writes a temporary file in the file's own
//! folder, keeps the original as `FILE.orig` (byte for byte what was read, never over an
//! existing backup), checks that the file did not change while it was read (size, time and a
//! hash), and only then renames the copy over it. A file with any error gets nothing written,
//! and the run ends with exit code 2; `--check` writes nothing and exits 1 when a file would
//! change.

use super::{redact, Redacted};
use crate::config::{Discovery, RedactConfig, RedactTarget};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::input::{self, FileInput};
use crate::scan::Scanner;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A test seam: when set (milliseconds), `--in-place` pauses between writing the temporary
/// file and renaming it, and says so on stderr, so a test can kill it there.
pub const PAUSE_ENV: &str = "PHISCAN_TEST_PAUSE_BEFORE_RENAME";

/// The counts of one run, for the exit code.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Files redacted (or that would change, with `--check`).
    pub changed: usize,
    /// Files with nothing to replace.
    pub clean: usize,
    /// Files skipped (binary, unreadable by design), with a message.
    pub skipped: usize,
    /// Files with an error: nothing written for them.
    pub errors: usize,
}

impl Tally {
    /// Returns the exit code: 2 on any error, 1 when `--check` found a file to change, else 0.
    pub fn exit_code(&self, check: bool) -> u8 {
        if self.errors > 0 {
            2
        } else if check && self.changed > 0 {
            1
        } else {
            0
        }
    }
}

/// Runs `phiscan redact` as `cfg` says; messages go to `err`, redacted text for stdout to `out`.
pub fn run(cfg: &RedactConfig, out: &mut dyn Write, err: &mut dyn Write) -> Result<Tally> {
    let mut tally = Tally::default();
    let walk = input::walk(&cfg.base.paths, &cfg.base.walk);
    for e in &walk.errors {
        let _ = writeln!(err, "phiscan: error: {e}");
        tally.errors += 1;
    }
    for s in &walk.skipped {
        let _ = writeln!(err, "phiscan: redact: {}: skipped ({}): nothing written", s.path, s.reason);
        tally.skipped += 1;
    }
    let mut discovery = Discovery::default();
    let mut scanners: HashMap<Option<PathBuf>, Scanner> = HashMap::new();
    let single = walk.files.len() + usize::from(cfg.base.read_stdin) == 1;
    for file in &walk.files {
        // The originals an earlier --in-place kept are left alone unless named: redacting
        // them would destroy the one copy of what was there.
        let name = file.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if (name.ends_with(".orig") || name.ends_with(".phiscan-redact")) && !cfg.base.paths.contains(&file.path) {
            let _ = writeln!(err, "phiscan: redact: {}: skipped (a backup or temporary file of redact)", file.display);
            tally.skipped += 1;
            continue;
        }
        let key = cfg.config_file_for(&mut discovery, &file.path);
        if !scanners.contains_key(&key) {
            let (c, rules) = cfg.resolve_under(key.as_deref())?;
            scanners.insert(key.clone(), Scanner::new(Engine::new(rules)?, &c));
        }
        let scanner = &scanners[&key];
        let dest = destination(cfg, file, single);
        match one_file(cfg, scanner, file, dest.as_deref(), out) {
            Ok(Done::Changed(r, to)) => {
                tally.changed += 1;
                let verb = if cfg.check { "would replace" } else { "replaced" };
                let _ = writeln!(
                    err,
                    "phiscan: redact: {}: {verb} {} ({}, {}){to}",
                    file.display,
                    r.summary(),
                    cfg.options.mode.as_str(),
                    r.kind.as_str()
                );
            }
            Ok(Done::Clean(to)) => {
                tally.clean += 1;
                let _ = writeln!(err, "phiscan: redact: {}: nothing to replace{to}", file.display);
            }
            Err(message) => {
                tally.errors += 1;
                let _ = writeln!(err, "phiscan: redact: {}: {message}", file.display);
            }
        }
    }
    if cfg.base.read_stdin {
        let name = &cfg.base.stdin_name;
        let (c, rules) = (cfg.base.clone(), cfg.rules.clone());
        let scanner = Scanner::new(Engine::new(rules)?, &c);
        let mut bytes = Vec::new();
        let read = std::io::stdin().lock().take(c.max_file_size + 1).read_to_end(&mut bytes);
        let result = match read {
            Err(e) => Err(format!("cannot read stdin: {e}")),
            Ok(n) if n as u64 > c.max_file_size => {
                Err(format!("too large (over --max-file-size {}): nothing written", c.max_file_size))
            }
            Ok(_) => redact(&scanner, name, &bytes, &cfg.options).map_err(|e| e.to_string()),
        };
        match result {
            Ok(r) => {
                let changed = r.output != bytes;
                let to = if cfg.check {
                    Ok(String::new())
                } else {
                    match &cfg.target {
                        RedactTarget::Path(p) => crate::report::write_atomically(p, &r.output)
                            .map(|()| format!(" -> {}", p.display()))
                            .map_err(|e| e.to_string()),
                        _ => out.write_all(&r.output).map(|()| String::new()).map_err(|e| e.to_string()),
                    }
                };
                match to {
                    Ok(to) if changed => {
                        tally.changed += 1;
                        let verb = if cfg.check { "would replace" } else { "replaced" };
                        let _ = writeln!(
                            err,
                            "phiscan: redact: {name}: {verb} {} ({}){to}",
                            r.summary(),
                            cfg.options.mode.as_str()
                        );
                    }
                    Ok(to) => {
                        tally.clean += 1;
                        let _ = writeln!(err, "phiscan: redact: {name}: nothing to replace{to}");
                    }
                    Err(e) => {
                        tally.errors += 1;
                        let _ = writeln!(err, "phiscan: redact: {name}: {e}");
                    }
                }
            }
            Err(message) => {
                tally.errors += 1;
                let _ = writeln!(err, "phiscan: redact: {name}: {message}");
            }
        }
    }
    let _ = writeln!(
        err,
        "phiscan: redact: {} file{} {}, {} with nothing to replace, {} skipped, {} error{}",
        tally.changed,
        if tally.changed == 1 { "" } else { "s" },
        if cfg.check { "would change" } else { "redacted" },
        tally.clean,
        tally.skipped,
        tally.errors,
        if tally.errors == 1 { "" } else { "s" }
    );
    Ok(tally)
}

/// What became of one file.
enum Done {
    /// Redacted; the text says where it went (` -> out/a.csv`, or empty for stdout).
    Changed(Redacted, String),
    /// Nothing to replace; where a copy went, if one did.
    Clean(String),
}

/// Where a file's copy goes: `None` for stdout or in place.
fn destination(cfg: &RedactConfig, file: &FileInput, single: bool) -> Option<PathBuf> {
    let RedactTarget::Path(out) = &cfg.target else { return None };
    if single && !out.is_dir() && !cfg.base.paths.iter().any(|p| p.is_dir()) {
        return Some(out.clone());
    }
    // Mirror the tree: the path below the folder it was found in, or the file's name.
    let rel = cfg
        .base
        .paths
        .iter()
        .filter(|root| root.is_dir())
        .find_map(|root| file.path.strip_prefix(root).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| file.path.file_name().map_or_else(|| file.path.clone(), PathBuf::from));
    Some(out.join(rel))
}

fn one_file(
    cfg: &RedactConfig,
    scanner: &Scanner,
    file: &FileInput,
    dest: Option<&Path>,
    out: &mut dyn Write,
) -> std::result::Result<Done, String> {
    let before = std::fs::metadata(&file.path).map_err(|e| format!("cannot read: {e}"))?;
    if before.len() > cfg.base.max_file_size {
        return Err(format!(
            "too large ({} bytes > --max-file-size {}): nothing written",
            before.len(),
            cfg.base.max_file_size
        ));
    }
    let bytes = std::fs::read(&file.path).map_err(|e| format!("cannot read: {e}"))?;
    let r = redact(scanner, &file.display, &bytes, &cfg.options).map_err(|e| e.to_string())?;
    let changed = r.output != bytes;
    if cfg.check {
        return Ok(if changed { Done::Changed(r, String::new()) } else { Done::Clean(String::new()) });
    }
    let to = match (&cfg.target, dest) {
        (RedactTarget::InPlace { backup }, _) => {
            if !changed {
                return Ok(Done::Clean(String::new()));
            }
            replace_in_place(&file.path, &bytes, &before, &r.output, *backup)?;
            if *backup {
                format!(" (original kept as {})", backup_path(&file.path).display())
            } else {
                String::new()
            }
        }
        (_, Some(dest)) => {
            if same_file(dest, &file.path) {
                return Err("-o names the input itself: use --in-place to rewrite it (nothing written)".into());
            }
            if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            crate::report::write_atomically(dest, &r.output).map_err(|e| e.to_string())?;
            format!(" -> {}", dest.display())
        }
        (_, None) => {
            // A rebuilt Office package is binary: on a terminal it would be noise, not a copy.
            if super::is_package(r.kind) && std::io::IsTerminal::is_terminal(&std::io::stdout()) {
                return Err(format!(
                    "a {} copy is binary: name a file with -o, or redirect stdout (nothing written)",
                    r.kind.as_str()
                ));
            }
            out.write_all(&r.output).map_err(|e| format!("cannot write stdout: {e}"))?;
            String::new()
        }
    };
    Ok(if changed { Done::Changed(r, to) } else { Done::Clean(to) })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// Returns where the original of `path` is kept: `FILE.orig`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".orig");
    path.with_file_name(name)
}

/// Replaces `path` (read as `original`, with metadata `before`) by `redacted`: a temporary file
/// in the same folder, the backup, a check that nothing changed meanwhile, then a rename.
fn replace_in_place(
    path: &Path,
    original: &[u8],
    before: &std::fs::Metadata,
    redacted: &[u8],
    backup: bool,
) -> std::result::Result<(), String> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", path.file_name().map_or_else(|| "file".into(), |n| n.to_string_lossy())))
        .suffix(".phiscan-redact")
        .tempfile_in(dir)
        .map_err(|e| format!("cannot create a temporary file in {}: {e}", dir.display()))?;
    tmp.write_all(redacted)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| format!("cannot write the temporary copy: {e}"))?;
    let _ = std::fs::set_permissions(tmp.path(), before.permissions());
    if backup {
        let orig = backup_path(path);
        crate::report::write_new_atomically(&orig, original).map_err(|e| match e {
            Error::Output { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => {
                format!("{} already exists: move it away, or pass --no-backup (nothing written)", orig.display())
            }
            e => format!("{e} (nothing written)"),
        })?;
    }
    if let Some(ms) = std::env::var(PAUSE_ENV).ok().and_then(|v| v.parse::<u64>().ok()) {
        eprintln!("phiscan: redact: paused before rename");
        std::thread::sleep(std::time::Duration::from_millis(ms));
    }
    // The file must be what was read: same size, time and contents.
    let unchanged = std::fs::metadata(path)
        .ok()
        .is_some_and(|now| now.len() == before.len() && now.modified().ok() == before.modified().ok())
        && std::fs::read(path).is_ok_and(|now| Sha256::digest(&now) == Sha256::digest(original));
    if !unchanged {
        if backup {
            let _ = std::fs::remove_file(backup_path(path));
        }
        return Err("changed while it was read: nothing written (run redact again)".into());
    }
    tmp.persist(path).map_err(|e| format!("cannot replace the file: {}", e.error))?;
    Ok(())
}
