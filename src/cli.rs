//! The command line: flags and subcommands, parsed by clap.
//!
//! This module only describes the surface; `config` turns it into a resolved [`crate::Config`].
//! The `///` docs of each flag are its `--help` text. Flag names are a public contract.

use crate::extract::Kind;
use clap::builder::TypedValueParser as _;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// The version with the commit it was built from (`0.1.0 (commit 1a2b3c4d5e6f, 2026-12-02)`), stamped
/// by `build.rs`, so a hook or CI log says exactly which code ran.
pub const VERSION: &str = env!("PHISCAN_LONG_VERSION");

/// Catch patient information (PHI) in drafts, exports and posts before they are published.
#[derive(Debug, Parser)]
#[command(name = "phiscan", version = VERSION, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files, folders or stdin (`-`) and report likely PHI.
    Scan(ScanArgs),
    /// List, check or explain rules.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// Write a commented starter `.phiscan.toml` and print how to install the hooks.
    Init(InitArgs),
    /// Record today's findings so that `scan --baseline` reports only new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Serve a page for checking drafts in a browser, and a JSON API, on this machine.
    Serve(crate::serve::ServeArgs),
    /// Write a copy safe to publish: findings masked, tagged, replaced by stand-ins or removed.
    Redact(RedactArgs),
}

/// What `phiscan redact` replaces a value with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RedactMode {
    /// The report's mask, keeping the shape: `J*** S****`, `***-**-6789`.
    Mask,
    /// The category in brackets: `[NAME]`, `[MRN]`, `[DIAGNOSIS]`.
    Tag,
    /// Realistic, obviously synthetic stand-ins, consistent within a file; dates shift by one offset.
    Surrogate,
    /// Nothing: the value is cut out, spaces and punctuation around it tidied.
    Remove,
}

/// `phiscan redact …`
#[derive(Debug, Args, Clone)]
pub struct RedactArgs {
    /// Files and folders to redact; `-` reads stdin (written to stdout).
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Where the copy goes: a file for one input, a folder (mirroring the tree) for several.
    #[arg(short = 'o', long = "output", value_name = "OUT", conflicts_with = "in_place")]
    pub output: Option<PathBuf>,
    /// Replace each file (atomically), keeping the original as FILE.orig unless --no-backup.
    #[arg(long)]
    pub in_place: bool,
    /// What a replaced value becomes.
    #[arg(long, value_enum)]
    pub mode: RedactMode,
    /// Replace findings at or above this severity: low, medium or high (breach members always).
    #[arg(long, value_enum, value_name = "LEVEL", default_value = "medium", hide_possible_values = true)]
    pub min_severity: Level,
    /// Fix the surrogate choices (names, date offset): the same input gives the same output.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Write nothing; exit 1 when a file would change (for CI).
    #[arg(long)]
    pub check: bool,
    /// With --in-place: keep no FILE.orig.
    #[arg(long, requires = "in_place")]
    pub no_backup: bool,
    /// The name stdin is read as (its extension chooses the format).
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,
    /// Read every input as this format instead of detecting it from its name and content.
    #[arg(long = "type", value_name = "TYPE", default_value = "auto", value_parser = input_type_parser())]
    pub input_type: InputType,
    /// Ignore `phiscan:allow` comments (replace what they excuse too).
    #[arg(long)]
    pub no_inline_allow: bool,
    /// Replace only findings at or above this confidence (0 to 1).
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,
    /// A file larger than this many bytes is an error (suffixes K, M, G allowed).
    #[arg(long, value_name = "SIZE", default_value = "100M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Do not read .gitignore, .ignore or .phiscanignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Enter hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Leave out paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Rule selection.
    #[command(flatten)]
    pub rules: RuleArgs,
}

impl RedactArgs {
    /// Returns the scan flags these stand for: redaction finds what `scan` with them would.
    pub fn scan_args(&self) -> ScanArgs {
        ScanArgs {
            paths: self.paths.clone(),
            stdin_name: self.stdin_name.clone(),
            format: Format::Text,
            output: None,
            color: ColorChoice::Never,
            fail_on: Some(self.min_severity),
            show_values: false,
            threads: None,
            no_ignore: self.no_ignore,
            hidden: self.hidden,
            // A symlink in a folder stops the run, as in `scan`: nothing is left unredacted unsaid.
            follow_symlinks: false,
            no_follow: false,
            exclude: self.exclude.clone(),
            force_exclude: false,
            // Redaction replaces every finding: a cap would leave some in the copy.
            max_findings: 0,
            max_file_size: self.max_file_size,
            skip_large: false,
            compact: false,
            min_confidence: self.min_confidence,
            no_possible: false,
            staged: false,
            diff: None,
            baseline: None,
            no_inline_allow: self.no_inline_allow,
            input_type: self.input_type,
            rules: self.rules.clone(),
        }
    }
}

/// `phiscan init`
#[derive(Debug, Args, Clone)]
pub struct InitArgs {
    /// The folder to write `.phiscan.toml` in.
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Overwrite an existing `.phiscan.toml`.
    #[arg(long)]
    pub force: bool,
}

/// `phiscan baseline …`
#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan PATHs and write every finding's fingerprint to a new baseline file.
    Create(BaselineArgs),
    /// Rescan PATHs and refresh their entries in an existing baseline (other files' entries stay).
    Update(BaselineArgs),
}

/// Flags of `phiscan baseline create|update`: the scan flags, and where the baseline goes.
#[derive(Debug, Args, Clone)]
pub struct BaselineArgs {
    /// The baseline file (default `.phiscan-baseline.json`; `-o` works too).
    #[arg(long = "baseline-file", value_name = "FILE", conflicts_with = "output")]
    pub baseline_file: Option<PathBuf>,
    /// Replace an existing baseline file (create only).
    #[arg(long)]
    pub force: bool,
    /// What to scan, as for `phiscan scan` (report flags are ignored).
    #[command(flatten)]
    pub scan: ScanArgs,
}

/// `phiscan rules …`
#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List every active rule: id, category, severity, name.
    List(RuleArgs),
    /// Verify that every rule finds its examples and none of its negative examples.
    Check {
        /// A rule file or folder to check instead of the active rules.
        path: Option<PathBuf>,
        /// Rule selection.
        #[command(flatten)]
        rules: RuleArgs,
    },
    /// Explain one rule: what it detects, why it matters, its pattern and examples.
    Explain {
        /// The rule id (see `phiscan rules list`).
        id: String,
        /// Rule selection.
        #[command(flatten)]
        rules: RuleArgs,
    },
}

/// Flags that choose the rule set.
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Add rules from a TOML file or a folder of them (repeatable).
    #[arg(long = "rules", value_name = "FILE|DIR")]
    pub rules: Vec<PathBuf>,
    /// Turn off a rule by id (repeatable, or comma-separated).
    #[arg(long = "disable", value_name = "ID", value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Read this config file instead of discovering `.phiscan.toml`.
    #[arg(long = "config", value_name = "FILE", env = "PHISCAN_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people: per file a verdict, then its findings by line, and what to do (`--compact`: one line per finding).
    Text,
    /// One JSON document (the stable contract; see README).
    Json,
    /// One JSON finding per line, then a summary line.
    Jsonl,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers (values always masked).
    Sarif,
    /// GitHub Actions workflow commands (`::error file=…`), shown as annotations on the diff.
    Github,
    /// JUnit XML: one test case per file, one failure per finding at or above `--fail-on`.
    Junit,
}

/// When to colour text output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The `--type` choice: `auto` (detect from the name and first bytes) or one format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InputType(pub Option<Kind>);

/// Parses `--type`: `auto` or a format name from [`Kind::ALL`].
fn input_type_parser() -> impl clap::builder::TypedValueParser<Value = InputType> {
    let names = std::iter::once("auto").chain(Kind::ALL.iter().map(|k| k.as_str()));
    clap::builder::PossibleValuesParser::new(names)
        .map(|s| InputType(Kind::ALL.iter().copied().find(|k| k.as_str() == s)))
}

/// Severity thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    /// Fail on high findings only.
    High,
    /// Fail on medium or high findings.
    Medium,
    /// Fail on any finding.
    Low,
}

/// `phiscan scan …`
#[derive(Debug, Args, Clone)]
pub struct ScanArgs {
    /// Files and folders to scan; `-` reads stdin. Defaults to the current folder.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// The name to report for stdin.
    #[arg(long, value_name = "NAME", default_value = "<stdin>")]
    pub stdin_name: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE (atomically) instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Colour text output.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Exit 1 when a finding is at or above this severity (default: high, or the config's).
    #[arg(long, value_enum)]
    pub fail_on: Option<Level>,
    /// Print raw matched values. They are PHI: use only where the output is as protected as the input.
    #[arg(long)]
    pub show_values: bool,
    /// Worker threads (default: number of CPUs).
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub threads: Option<usize>,
    /// Do not read .gitignore, .ignore or .phiscanignore files.
    #[arg(long)]
    pub no_ignore: bool,
    /// Scan hidden files and folders.
    #[arg(long)]
    pub hidden: bool,
    /// Leave out paths matching GLOB (gitignore syntax; repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Apply ignore files and --exclude even to paths named on the command line.
    #[arg(long)]
    pub force_exclude: bool,
    /// Scan what symbolic links inside walked folders point to (by default a link is an error: a
    /// gate must not pass what it did not read).
    #[arg(long, conflicts_with = "no_follow")]
    pub follow_symlinks: bool,
    /// Skip symbolic links inside walked folders, each with a skip record, instead of failing.
    #[arg(long)]
    pub no_follow: bool,
    /// A file larger than this many bytes is an error, or skipped with --skip-large (suffixes K, M, G allowed).
    #[arg(long, value_name = "SIZE", default_value = "100M", value_parser = parse_size)]
    pub max_file_size: u64,
    /// Skip files larger than --max-file-size (reported as skipped) instead of failing with exit 2.
    #[arg(long)]
    pub skip_large: bool,
    /// Report at most N findings per input (a file with its members); the most severe are kept
    /// and the cap is reported in the summary and the JSON (`0`: no cap).
    #[arg(long, value_name = "N", default_value_t = crate::config::DEFAULT_MAX_FINDINGS)]
    pub max_findings: usize,
    /// Text output: one line per finding (`path:line:col  severity  category  rule  value`), for scripts.
    #[arg(long)]
    pub compact: bool,
    /// Report only findings at or above this confidence (0 to 1).
    #[arg(long, value_name = "X")]
    pub min_confidence: Option<f32>,
    /// Leave out possible names: candidates the name model weighs below --min-confidence but at
    /// or above its fitted floor, otherwise reported as `low` (never part of a breach).
    #[arg(long)]
    pub no_possible: bool,
    /// Scan the staged content (the index), not the working tree: what `git commit` would record.
    #[arg(long, conflicts_with = "diff")]
    pub staged: bool,
    /// Scan files changed since the merge base of BASE and HEAD; report only findings on added or
    /// changed lines (the whole file is still read for context).
    #[arg(long, value_name = "BASE")]
    pub diff: Option<String>,
    /// Report only findings whose fingerprint is not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Ignore `phiscan:allow` comments (for audits).
    #[arg(long)]
    pub no_inline_allow: bool,
    /// Read every input as this format instead of detecting it from its name and content.
    #[arg(long = "type", value_name = "TYPE", default_value = "auto", value_parser = input_type_parser())]
    pub input_type: InputType,
    /// Rule selection.
    #[command(flatten)]
    pub rules: RuleArgs,
}

/// Parses a byte size such as `100M`, `512K` or `2G`.
pub fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let (num, mult) = match s.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1 << 10,
                'M' => 1 << 20,
                'G' => 1 << 30,
                'B' => 1,
                _ => return Err(format!("unknown size suffix in {s:?}; use K, M or G")),
            };
            (&s[..i], m)
        }
        _ => (s, 1),
    };
    num.trim().parse::<u64>().map(|n| n * mult).map_err(|_| format!("not a size: {s:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_format_is_a_type_choice() {
        for k in Kind::ALL {
            let cli = Cli::try_parse_from(["phiscan", "scan", "--type", k.as_str()]).unwrap();
            let Command::Scan(args) = cli.command else { panic!() };
            assert_eq!(args.input_type, InputType(Some(k)));
        }
        let cli = Cli::try_parse_from(["phiscan", "scan"]).unwrap();
        let Command::Scan(args) = cli.command else { panic!() };
        assert_eq!(args.input_type, InputType(None));
    }

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("100M"), Ok(100 << 20));
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("2g"), Ok(2 << 30));
        assert!(parse_size("ten").is_err());
    }
}
