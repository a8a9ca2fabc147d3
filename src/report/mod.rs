//! Reports: an [`Outcome`] rendered for people (text) or programs (JSON, JSON Lines, SARIF,
//! GitHub workflow commands, JUnit XML).
//!
//! Every format prints `masked`, never the raw value, unless the user passed `--show-values`
//! (then the scanner fills `Finding::value`). The human summary (what was scanned, what was
//! skipped and why, findings by severity) always goes to stderr, whatever the format, so that a
//! run that scanned nothing can never look like a clean one.

pub mod github;
pub mod json;
pub mod junit;
pub mod progress;
pub mod sarif;
pub mod stream;
pub mod text;

use crate::cli::Format;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::scan::{FileResult, Outcome};
use std::io::Write;
use std::path::Path;

pub use crate::text::human_bytes;

/// Renders the report in the configured format.
///
/// Large parts render on rayon's global pool (see [`write_per_file`]); [`emit`] sizes it to
/// `--threads` first.
pub fn render(outcome: &Outcome, config: &Config, out: &mut dyn Write) -> std::io::Result<()> {
    match config.format {
        Format::Text => text::write(outcome, config, out),
        Format::Json => json::write_document(outcome, out),
        Format::Jsonl => json::write_lines(outcome, out),
        Format::Sarif => sarif::write(outcome, out),
        Format::Github => github::write(outcome, out),
        Format::Junit => junit::write(outcome, out),
    }
}

/// Findings rendered per batch by [`write_per_file`]: bounds the memory of rendered text.
const BATCH_FINDINGS: usize = 20_000;

/// Batches with fewer findings render on the calling thread.
const PARALLEL_FINDINGS: usize = 2_000;

/// Renders each file's part of a report with `part` on the current thread pool and writes the
/// parts in file order, a bounded batch of files at a time, with `sep` between non-empty parts.
///
/// Why: serialising a large report one finding at a time through `dyn Write` took a tenth of a
/// whole scan's time and ran on one core after the parallel scan had finished; rendering into
/// per-file buffers in parallel keeps the report off the critical path.
pub fn write_per_file(
    files: &[FileResult],
    out: &mut dyn Write,
    sep: &[u8],
    part: impl Fn(&FileResult, &mut Vec<u8>) -> std::io::Result<()> + Sync,
) -> std::io::Result<()> {
    use rayon::prelude::*;
    let mut first = true;
    let mut rest = files;
    while !rest.is_empty() {
        let mut n = 0;
        let mut findings = 0;
        while n < rest.len() && (n == 0 || findings + rest[n].findings.len() <= BATCH_FINDINGS) {
            findings += rest[n].findings.len();
            n += 1;
        }
        let (batch, tail) = rest.split_at(n);
        rest = tail;
        let render = |f: &FileResult| {
            let mut buf = Vec::new();
            part(f, &mut buf).map(|()| buf)
        };
        let parts: Vec<std::io::Result<Vec<u8>>> = if findings > PARALLEL_FINDINGS {
            batch.par_iter().map(render).collect()
        } else {
            batch.iter().map(render).collect()
        };
        for p in parts {
            let p = p?;
            if p.is_empty() {
                continue;
            }
            if !first {
                out.write_all(sep)?;
            }
            first = false;
            out.write_all(&p)?;
        }
    }
    Ok(())
}

/// Writes the report to stdout or, atomically, to `config.output`.
pub fn emit(outcome: &Outcome, config: &Config) -> Result<()> {
    // The report renders on the global pool: honour `-j` there too. Only the first call in a
    // process can size it; later calls (tests, a library user's pool) keep theirs.
    // Small reports render on this thread and never start the pool.
    if outcome.findings().nth(PARALLEL_FINDINGS).is_some() {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(config.threads.max(1)).build_global();
    }
    match &config.output {
        None => {
            let stdout = std::io::stdout();
            let mut lock = std::io::BufWriter::new(stdout.lock());
            let r = render(outcome, config, &mut lock).and_then(|_| lock.flush());
            match r {
                // A closed pipe (`phiscan scan | head`) is the reader's choice, not our error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|source| Error::Output { target: "stdout".into(), source }),
            }
        }
        Some(path) => {
            let mut buf = Vec::new();
            render(outcome, config, &mut buf)
                .map_err(|source| Error::Output { target: path.display().to_string(), source })?;
            write_atomically(path, &buf)
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder and a rename, so a
/// reader never sees half a file and a failure never destroys the previous one. The temporary
/// file has a random name and is created exclusively (`O_EXCL`, by `tempfile`): a link planted
/// at a predictable name cannot redirect the write.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |source| Error::Output { target: path.display().to_string(), source };
    if is_special(path) {
        return std::fs::OpenOptions::new().write(true).open(path).and_then(|mut f| f.write_all(bytes)).map_err(err);
    }
    let mut tmp = temp_beside(path).map_err(err)?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(err)?;
    // On failure the temporary file is dropped, which removes it.
    tmp.persist(path).map(drop).map_err(|e| err(e.error))
}

/// Whether `path` is an existing device or FIFO (`-o /dev/null`, `-o /dev/stdout`): written to
/// in place. Replacing it by a rename would turn `/dev/null` into a plain file for every other
/// program on the machine.
pub fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// Creates a temporary file in `path`'s folder (same file system, so the final rename is
/// atomic), with a random name, exclusively; it is removed when dropped unless persisted.
pub fn temp_beside(path: &Path) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "report".into());
    tempfile::Builder::new().prefix(&format!(".{name}.")).suffix(".phiscan-tmp").tempfile_in(dir)
}

/// Writes `bytes` to a new file at `path`, atomically, and fails if `path` already exists (the
/// complete temporary file is linked into place without replacing anything, so there is no
/// window where a check passes and another writer's file is then replaced).
pub fn write_new_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |source| Error::Output { target: path.display().to_string(), source };
    let exists = || err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "already exists"));
    if path.exists() {
        return Err(exists());
    }
    let mut tmp = temp_beside(path).map_err(err)?;
    tmp.write_all(bytes).and_then(|()| tmp.as_file().sync_all()).map_err(err)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Err(exists()),
        Err(e) => Err(err(e.error)),
    }
}

/// Writes the human summary (scanned, skipped, findings, time) to `out`.
pub fn summary(outcome: &Outcome, out: &mut dyn Write) -> std::io::Result<()> {
    let tally = outcome.tally();
    let total = tally.total();
    let files = outcome.files.len();
    if let Some(scope) = &outcome.scope {
        writeln!(out, "phiscan: scope: {scope}")?;
    }
    let left_out =
        if outcome.left_out.is_empty() { String::new() } else { format!(", left out {}", outcome.left_out.len()) };
    writeln!(
        out,
        "phiscan: scanned {} file{} ({}), skipped {}{left_out}, {} finding{} ({} high, {} medium, {} low), {} breach{} in {:.2}s",
        files,
        if files == 1 { "" } else { "s" },
        human_bytes(outcome.bytes_scanned()),
        outcome.skipped.len(),
        total,
        if total == 1 { "" } else { "s" },
        tally.high,
        tally.medium,
        tally.low,
        outcome.files.iter().map(|f| f.breaches.len()).sum::<usize>(),
        if outcome.files.iter().map(|f| f.breaches.len()).sum::<usize>() == 1 { "" } else { "es" },
        outcome.elapsed.as_secs_f64()
    )?;
    for s in &outcome.skipped {
        writeln!(out, "phiscan: skipped {}: {}", s.path, s.reason)?;
    }
    for line in left_out_lines(&outcome.left_out) {
        writeln!(out, "phiscan: {line}")?;
    }
    for f in &outcome.files {
        for n in &f.notes {
            writeln!(out, "phiscan: note: {}: {}", f.path, n)?;
        }
        if f.dropped > 0 {
            writeln!(
                out,
                "phiscan: capped {}: {} more findings not reported (--max-findings {}; the most severe are shown)",
                f.path, f.dropped, outcome.max_findings
            )?;
        }
    }
    for e in &outcome.errors {
        if e.path.is_empty() {
            writeln!(out, "phiscan: error: {}", e.message)?;
        } else {
            writeln!(out, "phiscan: error: {}: {}", e.path, e.message)?;
        }
    }
    for w in outcome.warnings() {
        writeln!(out, "phiscan: warning: {}:{}: {}", w.path, w.line, w.message)?;
    }
    let suppressed = outcome.suppressed();
    if suppressed.inline + suppressed.baseline > 0 {
        writeln!(
            out,
            "phiscan: suppressed {} by phiscan:allow, {} by the baseline",
            suppressed.inline, suppressed.baseline
        )?;
    }
    if files == 0 && outcome.errors.is_empty() {
        match &outcome.scope {
            Some(scope) => writeln!(out, "phiscan: nothing was scanned: no files to scan in {scope}")?,
            None if !outcome.left_out.is_empty() => {
                writeln!(out, "phiscan: nothing was scanned: everything found was left out (see above)")?
            }
            None => writeln!(out, "phiscan: nothing was scanned")?,
        }
    }
    Ok(())
}

/// Paths named on a summary line of left-out entries; the JSON report lists them all.
const LEFT_OUT_SHOWN: usize = 3;

/// Returns one line per reason something was left out, with counts, a few paths and the flag
/// that includes them: `left out 12 files ignored by .gitignore (a.csv, b.csv, c.csv, …):
/// --no-ignore to scan them`.
pub fn left_out_lines(left_out: &[crate::input::LeftOut]) -> Vec<String> {
    use crate::input::LeftOutReason;
    let mut groups: Vec<(LeftOutReason, &str, Vec<&crate::input::LeftOut>)> = Vec::new();
    for l in left_out {
        match groups.iter_mut().find(|(r, by, _)| *r == l.reason && *by == l.by) {
            Some((_, _, members)) => members.push(l),
            None => groups.push((l.reason, &l.by, vec![l])),
        }
    }
    groups.sort_by_key(|(r, by, _)| (*r, by.to_string()));
    groups
        .into_iter()
        .map(|(reason, by, members)| {
            let adjective = if reason == LeftOutReason::Hidden { "hidden " } else { "" };
            let count = |kind: &str, one: &str, many: &str| {
                let n = members.iter().filter(|m| m.kind == kind).count();
                (n > 0).then(|| format!("{n} {adjective}{}", if n == 1 { one } else { many }))
            };
            let what: Vec<String> =
                [count("file", "file", "files"), count("folder", "folder", "folders")].into_iter().flatten().collect();
            let after = match reason {
                LeftOutReason::Hidden => String::new(),
                LeftOutReason::Ignored => format!(" ignored by {by}"),
                LeftOutReason::Excluded => format!(" excluded by {by}"),
            };
            let mut paths: Vec<&str> = members.iter().take(LEFT_OUT_SHOWN).map(|m| m.path.as_str()).collect();
            if members.len() > LEFT_OUT_SHOWN {
                paths.push("…");
            }
            let them = if members.len() == 1 { "it" } else { "them" };
            let how = match reason.flag() {
                Some(flag) => format!(": {flag} to scan {them}"),
                None if by == "--exclude" => String::new(),
                None => format!(": name {them} on the command line to scan {them} anyway"),
            };
            format!("left out {}{after} ({}){how}", what.join(" and "), paths.join(", "))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::{LeftOut, LeftOutReason};
    use std::path::Path;

    #[test]
    fn left_out_lines_group_by_reason_and_name_the_flag() {
        let e = |p: &str, folder, r, by: &str| LeftOut::new(Path::new(p), folder, r, by.into());
        let lines = left_out_lines(&[
            e("a.log", false, LeftOutReason::Ignored, ".gitignore"),
            e("b.log", false, LeftOutReason::Ignored, ".gitignore"),
            e("c.log", false, LeftOutReason::Ignored, ".gitignore"),
            e("out", true, LeftOutReason::Ignored, ".gitignore"),
            e(".env", false, LeftOutReason::Hidden, "hidden"),
            e("x.txt", false, LeftOutReason::Excluded, "--exclude"),
        ]);
        assert_eq!(
            lines,
            [
                "left out 1 file excluded by --exclude (x.txt)",
                "left out 3 files and 1 folder ignored by .gitignore (a.log, b.log, c.log, …): --no-ignore to scan them",
                "left out 1 hidden file (.env): --hidden to scan it",
            ]
        );
    }
}
