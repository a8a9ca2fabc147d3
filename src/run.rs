//! One `phiscan scan` as a gate runs it: which files, under which config, new since when.
//!
//! Files come from paths (walked), the git index (`--staged`) or a diff (`--diff BASE`). Each
//! file is scanned under its nearest `.phiscan.toml` (or `--config`): files are grouped by that
//! config and each distinct config gets one scanner, so a stricter `drafts/.phiscan.toml` applies
//! to drafts only, and the whole run still yields one sorted [`Outcome`]. A config's `exclude`
//! globs are relative to its folder. Named files are scanned even when excluded unless
//! `--force-exclude`; files listed by git are treated as named with `--force-exclude`, as the
//! pre-commit hook passes them. Under `--diff`, only findings on added or changed lines are kept
//! (with the breaches they take part in): the whole file is still scanned, so a label on an
//! unchanged line still gives a new value its context.

use crate::cli::ScanArgs;
use crate::config::{self, Config, ConfigFile, Discovery, Source};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::input::git::{in_ranges, Repo};
use crate::input::{self, relative_to, slash, FileInput, LeftOut, LeftOutReason, Skipped};
use crate::report::progress::Progress;
use crate::rules::Rule;
use crate::scan::{input_error, FileResult, Outcome, Scanner, Sink};
use crate::suppress::baseline::Key;
use crate::suppress::{keep_new, verdict};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a file came to be scanned, which decides what an exclude does to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Named {
    /// Found by walking a folder: an exclude drops it silently, as it would prune the walk.
    Walked,
    /// Named on the command line: scanned whatever the excludes say.
    Explicit,
    /// Named with `--force-exclude`, or listed by git: an exclude skips it, with a reason.
    Forced,
}

struct Gathered {
    files: Vec<(FileInput, Named)>,
    skipped: Vec<Skipped>,
    left_out: Vec<LeftOut>,
    outcome_errors: Vec<Error>,
    /// Under `--diff`: the changed line ranges of each file, by display path.
    ranges: Option<HashMap<String, Vec<(usize, usize)>>>,
    scope: Option<String>,
}

/// A baseline in use: the key that fingerprints, and the fingerprints to leave out (none when
/// recording a new baseline).
pub struct BaselineUse<'a> {
    /// The baseline key.
    pub key: &'a Key,
    /// Known fingerprints; `None` to fingerprint only.
    pub known: Option<&'a HashSet<String>>,
}

/// Runs a scan as `args` describe; returns the config of the working folder (which holds the
/// report options) and the outcome. Each file's result also goes to `sink`, in report order:
/// as soon as it is ready when one config covers every file (the common case), else once all
/// are scanned and sorted.
///
/// `progress` learns the files to scan and each one done (a bar on a terminal; see
/// [`Progress`]); it is finished before this returns.
pub fn scan(
    args: &ScanArgs,
    baseline: Option<BaselineUse<'_>>,
    sink: &mut dyn Sink,
    progress: &Progress,
) -> Result<(Config, Outcome)> {
    let r = scan_inner(args, baseline, sink, progress);
    progress.finish();
    r
}

fn scan_inner(
    args: &ScanArgs,
    baseline: Option<BaselineUse<'_>>,
    sink: &mut dyn Sink,
    progress: &Progress,
) -> Result<(Config, Outcome)> {
    let started = Instant::now();
    // The lexicon and name model load on the second core while this one compiles the rules.
    std::thread::spawn(crate::engine::warm_up);
    let explicit = args.rules.config.clone();
    let home = config::load_file(explicit.as_deref(), Path::new("."))?;
    let (base, base_rules) = config::resolve_with(args, &home)?;
    let gathered = gather(&base)?;
    sink.start(&base)?;
    let mut outcome = Outcome {
        scope: gathered.scope,
        skipped: gathered.skipped,
        left_out: gathered.left_out,
        max_findings: base.max_findings,
        ..Outcome::default()
    };
    outcome.errors.extend(gathered.outcome_errors.iter().map(input_error));

    progress.plan(gathered.files.iter().map(|(f, _)| {
        let size = if f.blob.is_some() { 0 } else { std::fs::metadata(&f.path).map_or(0, |m| m.len()) };
        (f.display.clone(), size)
    }));
    let mut discovery = Discovery::default();
    let mut groups: BTreeMap<Option<PathBuf>, Vec<(FileInput, Named)>> = BTreeMap::new();
    for (file, named) in gathered.files {
        let key = if explicit.is_some() { explicit.clone() } else { discovery.nearest(&file.path) };
        groups.entry(key).or_default().push((file, named));
    }
    let scanner_for = |cfg: &Config, rules: Vec<Rule>| -> Result<Scanner> {
        let scanner = Scanner::new(Engine::new(rules)?, cfg);
        Ok(match &baseline {
            Some(b) => scanner.with_baseline(b.key.clone(), b.known.cloned()),
            None => scanner,
        })
    };
    let streaming = groups.len() <= 1;
    let new_lines_only = |fr: &mut FileResult| {
        if let Some(ranges) = &gathered.ranges {
            let lines = ranges.get(&fr.path).map_or(&[][..], Vec::as_slice);
            let new: Vec<bool> = fr.findings.iter().map(|f| in_ranges(lines, f.line)).collect();
            keep_new(&mut fr.findings, &mut fr.breaches, &new);
            fr.verdict = verdict(&fr.findings, &fr.breaches);
        }
    };
    // Scanners are dropped at the end, off this thread (see below).
    let mut used = Vec::new();
    for (path, items) in groups {
        let (cfg, rules) = if path == home.path {
            (base.clone(), base_rules.clone())
        } else {
            let file = match &path {
                Some(p) => config::load_file(Some(p), p)?,
                None => ConfigFile::default(),
            };
            config::resolve_with(args, &file)?
        };
        let excludes = config_excludes(&cfg)?;
        let mut files = Vec::new();
        for (file, named) in items {
            if named != Named::Explicit && excluded(excludes.as_ref(), &file.path) {
                let by = cfg.config_file.as_deref().map_or_else(|| "config".into(), input::shown);
                if named == Named::Forced {
                    outcome.skipped.push(Skipped { path: file.display, reason: format!("excluded by {by}") });
                } else {
                    // Dropped from a walk, as if the walk had pruned it: counted, not silent.
                    outcome.left_out.push(LeftOut::new(&file.path, false, LeftOutReason::Excluded, by));
                }
                continue;
            }
            files.push(file);
        }
        let scanner = scanner_for(&cfg, rules.clone())?;
        if streaming {
            files.sort_by(|a, b| a.display.cmp(&b.display));
            scanner.scan_files_in_order(&files, &cfg, &mut |(path, r)| {
                progress.done(&path);
                match r {
                    Ok(mut fr) => {
                        new_lines_only(&mut fr);
                        sink.file(&mut fr);
                        outcome.files.push(fr);
                    }
                    r => outcome.add((path, r)),
                }
            });
            outcome.merge(Outcome { rules, ..Outcome::default() });
        } else {
            let mut part = Outcome::default();
            scanner.scan_files_in_order(&files, &cfg, &mut |r| {
                progress.done(&r.0);
                part.add(r);
            });
            part.files.iter_mut().for_each(new_lines_only);
            part.rules = rules;
            outcome.merge(part);
        }
        used.push(scanner);
    }
    let before_stdin = outcome.files.len();
    if base.read_stdin {
        let scanner = scanner_for(&base, base_rules.clone())?;
        scanner.scan_stdin(&base, &mut outcome);
        used.push(scanner);
    }
    // Freeing a compiled engine (two automata of thousands of states, their caches, the word
    // sets) took about a millisecond, a twentieth of a one-page scan: a spare thread does it
    // while the report is written (and the process may exit before it is done).
    std::thread::spawn(move || drop(used));
    outcome.merge(Outcome { rules: base_rules, ..Outcome::default() });
    if streaming {
        // Files went out in order as they were scanned (stdin last); skips and errors are
        // reported at the end, sorted.
        outcome.files[before_stdin..].iter_mut().for_each(|fr| sink.file(fr));
        outcome.skipped.sort();
        outcome.left_out.sort();
        outcome.errors.sort();
    } else {
        outcome.sort();
        outcome.files.iter_mut().for_each(|fr| sink.file(fr));
    }
    outcome.elapsed = started.elapsed();
    Ok((base, outcome))
}

/// Compiles a config's `exclude` globs, rooted at the config's folder.
fn config_excludes(cfg: &Config) -> Result<Option<Gitignore>> {
    let Some(file) = &cfg.config_file else { return Ok(None) };
    if cfg.config_exclude.is_empty() {
        return Ok(None);
    }
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let dir = std::fs::canonicalize(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    let mut b = GitignoreBuilder::new(&dir);
    for glob in &cfg.config_exclude {
        b.add_line(None, glob).map_err(|e| Error::Config {
            path: Some(file.clone()),
            message: format!("exclude: bad glob {glob:?}: {e}"),
        })?;
    }
    let gi = b.build().map_err(|e| Error::Config { path: Some(file.clone()), message: format!("exclude: {e}") })?;
    Ok(Some(gi))
}

fn excluded(excludes: Option<&Gitignore>, path: &Path) -> bool {
    let Some(gi) = excludes else { return false };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (Ok(dir), Some(name)) = (std::fs::canonicalize(dir), path.file_name()) else { return false };
    let abs = dir.join(name);
    // The matcher panics on paths outside its root (a `--config` elsewhere): those never match.
    abs.starts_with(gi.path()) && gi.matched_path_or_any_parents(&abs, false).is_ignore()
}

fn gather(cfg: &Config) -> Result<Gathered> {
    let mut g = Gathered {
        files: Vec::new(),
        skipped: Vec::new(),
        left_out: Vec::new(),
        outcome_errors: Vec::new(),
        ranges: None,
        scope: None,
    };
    let changes = match &cfg.source {
        Source::Paths => {
            let walk = input::walk(&cfg.paths, &cfg.walk);
            let named = if cfg.walk.force_exclude { Named::Forced } else { Named::Explicit };
            g.files = walk
                .files
                .into_iter()
                .map(|f| {
                    let how = if cfg.paths.contains(&f.path) { named } else { Named::Walked };
                    (f, how)
                })
                .collect();
            g.skipped = walk.skipped;
            g.left_out = walk.left_out;
            g.outcome_errors = walk.errors;
            return Ok(g);
        }
        Source::Staged => {
            let repo = Repo::open()?;
            g.scope = Some("staged changes".into());
            (repo.staged(&cfg.paths)?, repo, None)
        }
        Source::Diff(base) => {
            let repo = Repo::open()?;
            let commit = repo.merge_base(base)?;
            g.scope = Some(format!("changes since {base} (merge base {})", &commit[..commit.len().min(12)]));
            (repo.changed(&commit, &cfg.paths)?, repo, Some(commit))
        }
    };
    let (changes, repo, commit) = changes;
    let cwd = std::env::current_dir().map_err(|source| Error::Io { path: ".".into(), source })?;
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    let overrides = input::excludes(&cfg.walk)?;
    let mut ranges = HashMap::new();
    for c in changes {
        let display = slash(&relative_to(&cwd, &repo.abs(&c.path)));
        if !c.is_file() {
            let what = if c.mode == "160000" { "submodule" } else { "symbolic link" };
            g.skipped.push(Skipped { path: display, reason: what.into() });
            continue;
        }
        let path = PathBuf::from(&display);
        if let Some(reason) = input::explicit_exclusion(&path, &cfg.walk, &overrides) {
            g.skipped.push(Skipped { path: display, reason });
            continue;
        }
        let blob = if commit.is_none() { Some(c.blob.clone()) } else { None };
        if let Some(commit) = &commit {
            ranges.insert(display.clone(), repo.changed_lines(commit, &c)?);
        }
        g.files.push((FileInput { display, path, blob }, Named::Forced));
    }
    if commit.is_some() {
        g.ranges = Some(ranges);
    }
    Ok(g)
}
