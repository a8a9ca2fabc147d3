//! Configuration: flags, the `.phiscan.toml` file and rule files, resolved into one [`Config`].
//!
//! Resolution happens once, before any file is read, so the rest of the program sees a single
//! immutable value and never re-reads a flag. Precedence: command-line flags, then the config
//! file (`--config`, `PHISCAN_CONFIG`, or the nearest `.phiscan.toml` found walking up from each
//! scanned file: nearest wins, see [`Discovery`]), then built-in defaults. Unknown keys in the
//! file are errors that name the key, the file and the line, so a misspelt `exlude` never
//! silently scans what the user meant to leave out.

use crate::cli::{ColorChoice, Format, Level, RedactArgs, RedactMode, RuleArgs, ScanArgs};
use crate::error::{Error, Result};
use crate::extract::Kind;
use crate::finding::{Category, Severity};
use crate::input::WalkOptions;
use crate::rules::{self, Matcher, Rule, RuleSpec};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The config file's name.
pub const CONFIG_FILE: &str = ".phiscan.toml";

/// The commented starter config that `phiscan init` writes; every key it sets is valid.
pub const STARTER: &str = r#"# phiscan configuration. It applies to files in this folder and below; a nearer
# .phiscan.toml replaces it for its own folder (nearest wins). It extends the
# built-in rules (`phiscan rules list`); unknown keys are errors.

# Exit 1 when a finding is at or above this severity: "high", "medium" or "low".
fail_on = "high"

# Findings below this confidence (0 to 1) are not reported, except possible
# names: those the name model weighs below it but at or above its fitted floor
# are reported as "low" (never part of a breach). `possible = false` drops them.
min_confidence = 0.5
possible = true

# Globs (gitignore syntax, relative to this folder) that are never scanned, even
# when a hook names them (the hooks pass --force-exclude).
exclude = []

# Terms that are not patient information here: your organisation's name, its
# public phone numbers, your clinicians. Case-insensitive, whole words.
allow = []

# Rule ids to turn off.
disable = []

# A file of known patient names (one per line), always reported. The roster is
# itself PHI: keep it outside the repository or in .gitignore.
# patients = "../private/roster.txt"

# Site-specific medical record number formats (regexes), reported as `mrn`.
# mrn_formats = ['\bMH-\d{7}\b']

# Use only the rules below, not the built-in ones (zero active rules is an error).
# replace_defaults = false

# Severity overrides by rule id.
[severity]
# us-zip-code = "medium"

# Extra rules, same schema as phiscan's rules/*.toml:
# [[rule]]
# id = "site-badge"
# name = "Staff badge number"
# category = "other-id"
# severity = "high"
# confidence = 0.9
# pattern = '\bBDG-\d{6}\b'
# description = "A staff badge number: identifies an employee-patient."
# examples = ["badge BDG-448120"]
"#;

/// Findings below this confidence are not reported unless the config says otherwise.
pub const DEFAULT_MIN_CONFIDENCE: f32 = 0.5;

/// `.phiscan.toml` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFileSpec {
    /// Severity at which a scan fails (`high`, `medium`, `low`).
    pub fail_on: Option<String>,
    /// Findings below this confidence are dropped.
    pub min_confidence: Option<f32>,
    /// Whether possible names (below `min_confidence`, at or above the name model's floor) are
    /// reported as `low`.
    pub possible: Option<bool>,
    /// Use only the rules of this file and `--rules`, not the built-in set.
    #[serde(default)]
    pub replace_defaults: bool,
    /// Rule ids to turn off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Globs to leave out.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Severity overrides by rule id.
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// Terms never reported: your organisation, its public phone numbers, your own clinicians.
    #[serde(default)]
    pub allow: Vec<String>,
    /// A file of known patient names (one per line), always reported.
    pub patients: Option<PathBuf>,
    /// Site-specific MRN formats (regexes), reported as `mrn`.
    #[serde(default)]
    pub mrn_formats: Vec<String>,
    /// Extra rules, same schema as `rules/*.toml`.
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
}

/// A loaded config file and where it came from.
#[derive(Debug, Default)]
pub struct ConfigFile {
    /// The file, when one was found.
    pub path: Option<PathBuf>,
    /// Its contents.
    pub spec: ConfigFileSpec,
}

/// Findings reported per input by default (`--max-findings`): far more than a person reads, few
/// enough that a hostile input cannot turn into a report of gigabytes.
pub const DEFAULT_MAX_FINDINGS: usize = 10_000;

/// Everything a scan needs to know, resolved.
#[derive(Debug, Clone)]
pub struct Config {
    /// Files and folders to scan (without `-`).
    pub paths: Vec<PathBuf>,
    /// Whether `-` (stdin) was given.
    pub read_stdin: bool,
    /// The name reported for stdin.
    pub stdin_name: String,
    /// How to walk folders.
    pub walk: WalkOptions,
    /// Files larger than this are errors, or skipped with `skip_large`.
    pub max_file_size: u64,
    /// Whether a file over `max_file_size` is skipped (reported) rather than an error.
    pub skip_large: bool,
    /// Findings reported per input at most (`0`: no cap); the cap is reported when hit.
    pub max_findings: usize,
    /// Whether text output is one line per finding (`--compact`).
    pub compact: bool,
    /// Output format.
    pub format: Format,
    /// Report destination; stdout when `None`.
    pub output: Option<PathBuf>,
    /// Whether to colour text output.
    pub color: bool,
    /// Findings at or above this severity fail the scan.
    pub fail_on: Severity,
    /// Whether raw values appear in reports.
    pub show_values: bool,
    /// Worker threads.
    pub threads: usize,
    /// Findings below this confidence are dropped.
    pub min_confidence: f32,
    /// Whether possible names are reported (as `low`, never in a breach): see [`crate::score::Floor`].
    pub possible: bool,
    /// Terms never reported (lower-case).
    pub allow: Vec<String>,
    /// The config file in force, if any.
    pub config_file: Option<PathBuf>,
    /// The format every input is read as (`--type`); `None` detects it per file.
    pub input_type: Option<Kind>,
    /// The config file's `exclude` globs, relative to the file's folder.
    pub config_exclude: Vec<String>,
    /// Whether `phiscan:allow` comments suppress findings.
    pub inline_allow: bool,
    /// Where the files to scan come from.
    pub source: Source,
    /// Report only findings not in this baseline.
    pub baseline: Option<PathBuf>,
}

/// Where the files to scan come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Files and folders on disk (`config.paths`).
    Paths,
    /// The git index (`--staged`), limited to `config.paths` when given.
    Staged,
    /// Files changed since the merge base of this revision and HEAD (`--diff BASE`).
    Diff(String),
}

/// Finds the nearest `.phiscan.toml` for many files, remembering each folder's answer so a walk
/// of thousands of files asks the filesystem once per folder.
#[derive(Debug, Default)]
pub struct Discovery {
    /// By canonical folder.
    cache: std::collections::HashMap<PathBuf, Option<PathBuf>>,
    /// By folder as written, so files of one folder resolve it once.
    written: std::collections::HashMap<PathBuf, Option<PathBuf>>,
}

impl Discovery {
    /// Returns the nearest config file for `file` (which need not exist: a staged file may be
    /// gone from the working tree), looking in its folder and then upwards.
    pub fn nearest(&mut self, file: &Path) -> Option<PathBuf> {
        let dir = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if let Some(hit) = self.written.get(dir) {
            return hit.clone();
        }
        let found = std::fs::canonicalize(dir).ok().and_then(|abs| self.lookup(&abs));
        self.written.insert(dir.to_path_buf(), found.clone());
        found
    }

    fn lookup(&mut self, dir: &Path) -> Option<PathBuf> {
        if let Some(hit) = self.cache.get(dir) {
            return hit.clone();
        }
        let f = dir.join(CONFIG_FILE);
        let found = if f.is_file() { Some(f) } else { dir.parent().and_then(|p| self.lookup(p)) };
        self.cache.insert(dir.to_path_buf(), found.clone());
        found
    }
}

/// Finds the nearest `.phiscan.toml` from `start` upwards.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let abs = std::fs::canonicalize(start).ok()?;
    let mut dir = if abs.is_dir() { Some(abs.as_path()) } else { abs.parent() };
    while let Some(d) = dir {
        let f = d.join(CONFIG_FILE);
        if f.is_file() {
            return Some(f);
        }
        dir = d.parent();
    }
    None
}

/// Loads the config file named by `explicit`, or discovered from `start`.
pub fn load_file(explicit: Option<&Path>, start: &Path) -> Result<ConfigFile> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => discover(start),
    };
    let Some(path) = path else {
        return Ok(ConfigFile::default());
    };
    let text = std::fs::read_to_string(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
    let spec = parse_spec(&text).map_err(|message| Error::Config { path: Some(path.clone()), message })?;
    Ok(ConfigFile { path: Some(path), spec })
}

/// Parses the text of a config file; the error says where and what, never quoting the file.
pub fn parse_spec(text: &str) -> std::result::Result<ConfigFileSpec, String> {
    toml::from_str(text).map_err(|e| toml_error(&e, text))
}

/// Returns a value from a config file quoted for an error message, or `(value not shown)` when
/// it does not read like a rule id or a severity (a wrong file must not be echoed).
fn quoted(v: &str) -> String {
    if crate::text::label::plain_label(v) && v.len() <= 40 {
        format!("{v:?}")
    } else {
        "(value not shown)".to_string()
    }
}

/// Describes a TOML error without quoting the file: its line and column, and toml's message
/// with every name or value it quotes from the file left out, except the schema's own key names
/// (those it lists after "expected"). A wrong file given as a config or rule file (an export,
/// say) must not print its first line of patient data in a CI log.
pub fn toml_error(e: &toml::de::Error, text: &str) -> String {
    let at = e.span().map(|s| {
        let start = s.start.min(text.len());
        let line = text.as_bytes()[..start].iter().filter(|b| **b == b'\n').count() + 1;
        let col = start - text[..start].rfind('\n').map_or(0, |p| p + 1) + 1;
        format!("line {line}, column {col}: ")
    });
    let message = e.message().trim_end();
    let message = if message.is_empty() { "invalid TOML" } else { message };
    format!("{}{}", at.unwrap_or_default(), redact_quoted(message))
}

/// Returns `message` with its quoted parts (`` `x` ``, `"x"`, `'x'`) replaced by `…`, except
/// backticked names after the word "expected" (the schema's own key names).
fn redact_quoted(message: &str) -> String {
    let expected_at = message.find("expected").unwrap_or(message.len());
    let mut out = String::with_capacity(message.len());
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '`' | '"' | '\'') {
            let mut inner = String::new();
            let mut closed = false;
            for (_, d) in chars.by_ref() {
                if d == c {
                    closed = true;
                    break;
                }
                inner.push(d);
            }
            let keep = c == '`'
                && i > expected_at
                && inner.chars().all(|d| d.is_ascii_alphanumeric() || d == '_' || d == '-' || d == '.');
            out.push(c);
            out.push_str(if keep { &inner } else { "…" });
            if closed {
                out.push(c);
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn level(l: Level) -> Severity {
    match l {
        Level::High => Severity::High,
        Level::Medium => Severity::Medium,
        Level::Low => Severity::Low,
    }
}

/// Resolves the active rule set from flags and the config file.
pub fn resolve_rules(args: &RuleArgs, file: &ConfigFile) -> Result<Vec<Rule>> {
    let origin = file.path.as_ref().map_or_else(|| "config".to_string(), |p| p.display().to_string());
    let cfg_err = |message: String| Error::Config { path: file.path.clone(), message };
    let mut all = if file.spec.replace_defaults { Vec::new() } else { rules::builtin::rules()? };
    for spec in file.spec.rule.iter().cloned() {
        all.push(spec.compile(&origin)?);
    }
    for (i, pattern) in file.spec.mrn_formats.iter().enumerate() {
        all.push(site_mrn_rule(i, pattern, &origin)?);
    }
    if let Some(roster) = &file.spec.patients {
        let base = file.path.as_deref().and_then(Path::parent).unwrap_or(Path::new("."));
        let path = base.join(roster);
        // Errors name the key and the config file that asked for the roster, and the roster.
        all.push(roster_rule(&path).map_err(|why| Error::Config {
            path: file.path.clone(),
            message: format!("patients = {:?}: the roster {} {why}", roster.display(), path.display()),
        })?);
    }
    for p in &args.rules {
        all.extend(rules::load_path(p)?);
    }
    rules::check_unique(&all)?;
    let disabled: Vec<&String> = args.disable.iter().chain(&file.spec.disable).collect();
    for id in &disabled {
        if !all.iter().any(|r| &r.id == *id) {
            return Err(cfg_err(format!("cannot disable unknown rule {} (see `phiscan rules list`)", quoted(id))));
        }
    }
    all.retain(|r| !disabled.contains(&&r.id));
    for (id, sev) in &file.spec.severity {
        let sev = Severity::parse(sev)
            .ok_or_else(|| cfg_err(format!("severity.{}: unknown severity {}", quoted(id), quoted(sev))))?;
        let rule = all
            .iter_mut()
            .find(|r| &r.id == id)
            .ok_or_else(|| cfg_err(format!("severity: unknown rule {}", quoted(id))))?;
        rule.severity = sev;
    }
    if all.is_empty() {
        return Err(cfg_err("no active rules: every rule is disabled or replaced".into()));
    }
    Ok(all)
}

fn site_mrn_rule(i: usize, pattern: &str, origin: &str) -> Result<Rule> {
    RuleSpec {
        id: format!("site-mrn-{}", i + 1),
        name: "Site-specific MRN format".into(),
        category: Category::Mrn.as_str().into(),
        severity: "high".into(),
        confidence: 0.9,
        pattern: Some(pattern.to_string()),
        keywords: vec![],
        detector: None,
        validators: vec![],
        context: vec![],
        negative_context: vec![],
        negative_context_after: vec![],
        context_boost: None,
        context_penalty: None,
        context_severity: None,
        context_window: None,
        description: "A medical record number in a format configured for this site (mrn_formats).".into(),
        examples: vec![],
        negative_examples: vec![],
    }
    .compile(origin)
}

/// Returns the rule of a patients roster, or why the roster cannot be used.
fn roster_rule(path: &Path) -> std::result::Result<Rule, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot be read: {e}"))?;
    let names: Vec<String> =
        text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_string).collect();
    if names.is_empty() {
        return Err("lists no names".into());
    }
    let rule = Rule {
        id: "patient-roster".into(),
        name: "Known patient (roster)".into(),
        category: Category::Name,
        severity: Severity::High,
        confidence: 1.0,
        matcher: Matcher::Keywords(names.iter().map(|n| n.to_lowercase()).collect()),
        validators: vec![],
        context: vec![],
        negative_context: vec![],
        negative_context_after: vec![],
        context_boost: 0.0,
        context_penalty: 0.0,
        context_severity: None,
        context_window: (crate::score::WINDOW_BEFORE, crate::score::WINDOW_AFTER),
        description: "A name from the configured roster of known patients: always reported.".into(),
        examples: vec![],
        negative_examples: vec![],
        origin: path.display().to_string(),
    };
    Ok(rule)
}

/// Resolves `phiscan scan` flags and the config file found from the first path into a [`Config`]
/// and its rules (for library users scanning with one config; the binary resolves one config per
/// distinct nearest file, see [`resolve_with`]).
pub fn resolve_scan(args: &ScanArgs) -> Result<(Config, Vec<Rule>)> {
    let start = args.paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
    let file = load_file(args.rules.config.as_deref(), &start)?;
    let (mut config, rules) = resolve_with(args, &file)?;
    // One scanner walks everything here, so the file's excludes prune the walk (from the working
    // folder, as before per-path configs); `run` instead applies them relative to the file.
    config.walk.exclude.extend(config.config_exclude.iter().cloned());
    Ok((config, rules))
}

/// Where `phiscan redact` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedactTarget {
    /// Standard output (stdin, or one file without `-o`).
    Stdout,
    /// This file (one input) or folder (mirroring the inputs' tree).
    Path(PathBuf),
    /// Each file itself, through a temporary file and a rename.
    InPlace {
        /// Whether the original is kept as `FILE.orig`.
        backup: bool,
    },
}

/// Everything `phiscan redact` needs, resolved: how to redact, where to write, and the scan
/// config of each file (its nearest `.phiscan.toml`, as `scan` reads it).
#[derive(Debug, Clone)]
pub struct RedactConfig {
    /// The config of the working folder (or `--config`): paths, stdin and walk options.
    pub base: Config,
    /// The rules of `base`.
    pub rules: Vec<Rule>,
    /// The mode, threshold and seed.
    pub options: crate::redact::Options,
    /// Where output goes.
    pub target: RedactTarget,
    /// Write nothing; report whether anything would change.
    pub check: bool,
    scan: ScanArgs,
    explicit: Option<PathBuf>,
}

impl RedactConfig {
    /// Returns the config file that governs `file` (`--config` when given, else the nearest).
    pub fn config_file_for(&self, discovery: &mut Discovery, file: &Path) -> Option<PathBuf> {
        self.explicit.clone().or_else(|| discovery.nearest(file))
    }

    /// Resolves the scan config and rules under the config file `path` (`None`: defaults).
    pub fn resolve_under(&self, path: Option<&Path>) -> Result<(Config, Vec<Rule>)> {
        if path == self.base.config_file.as_deref() {
            return Ok((self.base.clone(), self.rules.clone()));
        }
        let file = match path {
            Some(p) => load_file(Some(p), p)?,
            None => ConfigFile::default(),
        };
        resolve_with(&self.scan, &file)
    }
}

/// Resolves `phiscan redact` flags: the scan config they stand for, the mode and the target.
pub fn resolve_redact(args: &RedactArgs) -> Result<RedactConfig> {
    let scan = args.scan_args();
    let explicit = args.rules.config.clone();
    let start = args.paths.iter().find(|p| p.as_os_str() != "-").cloned().unwrap_or_else(|| PathBuf::from("."));
    let file = load_file(explicit.as_deref(), &start)?;
    let (base, rules) = resolve_with(&scan, &file)?;
    let mode = match args.mode {
        RedactMode::Mask => crate::redact::Mode::Mask,
        RedactMode::Tag => crate::redact::Mode::Tag,
        RedactMode::Surrogate => crate::redact::Mode::Surrogate,
        RedactMode::Remove => crate::redact::Mode::Remove,
    };
    let options = crate::redact::Options { mode, min_severity: level(args.min_severity), seed: args.seed };
    let folders = base.paths.iter().any(|p| p.is_dir());
    let inputs = base.paths.len() + usize::from(base.read_stdin);
    let target = match (&args.output, args.in_place) {
        (_, true) if base.read_stdin => {
            return Err(Error::config("--in-place cannot rewrite stdin: drop `-` or use -o FILE"));
        }
        (_, true) => RedactTarget::InPlace { backup: !args.no_backup },
        (Some(out), false) => {
            if (folders || inputs > 1) && out.exists() && !out.is_dir() {
                return Err(Error::config(format!(
                    "-o {}: several inputs need a folder to mirror them into, not a file",
                    out.display()
                )));
            }
            RedactTarget::Path(out.clone())
        }
        (None, false) if args.check => RedactTarget::Stdout,
        (None, false) if folders || inputs > 1 => {
            return Err(Error::config(
                "a folder or several inputs need -o DIR (the tree is mirrored there) or --in-place",
            ));
        }
        (None, false) => RedactTarget::Stdout,
    };
    Ok(RedactConfig { base, rules, options, target, check: args.check, scan, explicit })
}

/// Whether stdin is a pipe or a redirected file (not a terminal, not `/dev/null`): then a run
/// without paths was most likely meant to read it.
fn stdin_is_piped() -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, MetadataExt};
        // fd 0's own metadata, through the /dev/stdin link (no unsafe code needed).
        let Ok(m) = std::fs::metadata("/dev/stdin") else { return false };
        let t = m.file_type();
        // /dev/null can be a plain file on a damaged system: input from it is still no input.
        let null = std::fs::metadata("/dev/null").is_ok_and(|n| n.dev() == m.dev() && n.ino() == m.ino());
        t.is_fifo() || t.is_socket() || (t.is_file() && !null)
    }
    #[cfg(not(unix))]
    {
        false
    }
}

/// Resolves `phiscan scan` flags and one loaded config file into a [`Config`] and its rules.
pub fn resolve_with(args: &ScanArgs, file: &ConfigFile) -> Result<(Config, Vec<Rule>)> {
    let mut paths: Vec<PathBuf> = args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let read_stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let git_mode = args.staged || args.diff.is_some();
    if paths.is_empty() && !read_stdin && !git_mode {
        if stdin_is_piped() {
            // `echo text | phiscan scan` must not pass by scanning the folder instead.
            return Err(Error::config(
                "stdin is piped but no path was given: use `phiscan scan -` to scan stdin, \
                 or name what to scan (`phiscan scan .` for this folder)",
            ));
        }
        paths.push(PathBuf::from("."));
    }
    if git_mode && read_stdin {
        return Err(Error::config("`-` (stdin) cannot be combined with --staged or --diff"));
    }
    let rules = resolve_rules(&args.rules, file)?;
    let spec = &file.spec;
    let fail_on = match (args.fail_on, &spec.fail_on) {
        (Some(l), _) => level(l),
        (None, Some(s)) => Severity::parse(s).ok_or_else(|| Error::Config {
            path: file.path.clone(),
            message: format!("fail_on: unknown severity {}", quoted(s)),
        })?,
        (None, None) => Severity::High,
    };
    let min_confidence = args.min_confidence.or(spec.min_confidence).unwrap_or(DEFAULT_MIN_CONFIDENCE);
    if !(0.0..=1.0).contains(&min_confidence) {
        return Err(Error::config(format!("min_confidence must be between 0 and 1, not {min_confidence}")));
    }
    let threads = args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            args.output.is_none()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    };
    let exclude = args.exclude.clone();
    let source = match (&args.diff, args.staged) {
        (Some(base), _) => Source::Diff(base.clone()),
        (None, true) => Source::Staged,
        (None, false) => Source::Paths,
    };
    let config = Config {
        paths,
        read_stdin,
        stdin_name: args.stdin_name.clone(),
        walk: WalkOptions {
            no_ignore: args.no_ignore,
            hidden: args.hidden,
            exclude,
            force_exclude: args.force_exclude,
            named: !args.paths.is_empty(),
            threads,
            follow_symlinks: match (args.follow_symlinks, args.no_follow) {
                (true, _) => Some(true),
                (false, true) => Some(false),
                (false, false) => None,
            },
        },
        max_file_size: args.max_file_size,
        skip_large: args.skip_large,
        max_findings: args.max_findings,
        compact: args.compact,
        format: args.format,
        output: args.output.clone(),
        color,
        fail_on,
        show_values: args.show_values,
        threads,
        min_confidence,
        possible: !args.no_possible && spec.possible.unwrap_or(true),
        allow: spec.allow.iter().map(|a| a.to_lowercase()).collect(),
        config_file: file.path.clone(),
        input_type: args.input_type.0,
        config_exclude: spec.exclude.clone(),
        inline_allow: !args.no_inline_allow,
        source,
        baseline: args.baseline.clone(),
    };
    Ok((config, rules))
}
