//! The `phiscan` binary: parse flags, run, map the outcome to an exit code.
//!
//! Exit codes are a contract: 0 no finding at or above `--fail-on`, 1 such findings, 2 any error
//! (errors outrank findings: a scan that could not read a file must not pass as clean).

use clap::Parser;
use phiscan::cli::{BaselineArgs, BaselineCommand, Cli, Command, InitArgs, RuleArgs, RulesCommand};
use phiscan::config::{self, ConfigFile};
use phiscan::report;
use phiscan::run::{self, BaselineUse};
use phiscan::scan::Outcome;
use phiscan::suppress::baseline::{self, Baseline, Entry, Key};
use phiscan::Error;
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic message can quote data (a slice, a value); print where, never what.
    std::panic::set_hook(Box::new(|info| {
        if phiscan::extract::panics_are_caught() {
            // An extractor's parser failed on one file; that file is reported as an error.
            return;
        }
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        eprintln!(
            "phiscan: internal error at {at}; please report it (the message is withheld: it may contain scanned data)"
        );
        // An internal error is an error: exit 2, never a pass.
        std::process::exit(2);
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("phiscan: error: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<u8, Error> {
    match cli.command {
        Command::Scan(args) => {
            let known = match &args.baseline {
                Some(file) => Some(load_baseline(file)?),
                None => None,
            };
            let use_ = known.as_ref().map(|(key, set)| BaselineUse { key, known: Some(set) });
            let progress = report::progress::Progress::for_stderr();
            let mut stream = report::stream::Stream::with_progress(progress.clone());
            let (config, outcome) = run::scan(&args, use_, &mut stream, &progress)?;
            stream.finish(&outcome, &config)?;
            summary(&outcome);
            let code = exit_code(&outcome);
            // The process ends next: let the OS reclaim the findings at once rather than free
            // hundreds of thousands of small allocations one by one (a tenth of a second on a
            // large scan, after the report is out).
            std::mem::forget(outcome);
            Ok(code)
        }
        Command::Rules(cmd) => rules_command(cmd),
        Command::Init(args) => init(&args),
        Command::Baseline(BaselineCommand::Create(args)) => baseline_command(args, false),
        Command::Baseline(BaselineCommand::Update(args)) => baseline_command(args, true),
        Command::Serve(args) => phiscan::serve::run(&args),
        Command::Redact(args) => {
            let cfg = config::resolve_redact(&args)?;
            let tally =
                phiscan::redact::files::run(&cfg, &mut std::io::stdout().lock(), &mut std::io::stderr().lock())?;
            Ok(tally.exit_code(cfg.check))
        }
    }
}

/// Writes the summary to stderr in one piece: stderr is unbuffered, and written directly the
/// summary line alone took some twenty system calls.
fn summary(outcome: &Outcome) {
    let mut err = std::io::BufWriter::new(std::io::stderr().lock());
    let _ = report::summary(outcome, &mut err).and_then(|()| err.flush());
}

/// Errors outrank findings: a run that could not read a file must not pass as clean.
fn exit_code(outcome: &Outcome) -> u8 {
    if !outcome.errors.is_empty() {
        2
    } else if outcome.failed() {
        1
    } else {
        0
    }
}

fn load_baseline(file: &Path) -> Result<(Key, HashSet<String>), Error> {
    let b = Baseline::read(file)?;
    let key = Key::load(file)?.ok_or_else(|| Error::Baseline {
        path: Some(file.to_path_buf()),
        message: format!(
            "this baseline needs its key (id {}): set {} or {}, or create {}",
            b.key_id,
            baseline::KEY_ENV,
            baseline::KEY_FILE_ENV,
            baseline::default_key_file().map_or_else(|| "a key file".into(), |p| p.display().to_string())
        ),
    })?;
    b.check_key(&key, file)?;
    Ok((key, b.findings.into_iter().map(|e| e.fingerprint).collect()))
}

fn baseline_command(args: BaselineArgs, update: bool) -> Result<u8, Error> {
    let file = args
        .baseline_file
        .clone()
        .or(args.scan.output.clone())
        .unwrap_or_else(|| PathBuf::from(baseline::BASELINE_FILE));
    let (key, old, created) = if update {
        let old = Baseline::read(&file)?;
        let key = Key::load(&file)?.ok_or_else(|| Error::Baseline {
            path: Some(file.clone()),
            message: format!("no baseline key: set {} to the key this baseline was made with", baseline::KEY_ENV),
        })?;
        old.check_key(&key, &file)?;
        (key, old.findings, None)
    } else {
        if file.exists() && !args.force {
            return Err(Error::Baseline {
                path: Some(file),
                message: "already exists; use `phiscan baseline update`, or --force to start over".into(),
            });
        }
        let (key, created) = Key::load_or_create(&file)?;
        (key, Vec::new(), created)
    };
    if let Some(path) = &created {
        eprintln!(
            "phiscan: created a baseline key in {} (keep it secret; give CI the same key as {})",
            path.display(),
            baseline::KEY_ENV
        );
    }
    let mut scan = args.scan.clone();
    scan.baseline = None;
    let progress = report::progress::Progress::for_stderr();
    let (_, outcome) =
        run::scan(&scan, Some(BaselineUse { key: &key, known: None }), &mut phiscan::scan::Collect, &progress)?;
    summary(&outcome);
    if !outcome.errors.is_empty() {
        eprintln!("phiscan: baseline not written: fix the errors above first");
        return Ok(2);
    }
    let scanned: HashSet<String> = outcome.files.iter().map(|f| key.relative(&f.path)).collect();
    let root = key.root().to_path_buf();
    let kept = old.into_iter().filter(|e| !scanned.contains(&e.path) && root.join(&e.path).is_file());
    let new = outcome.findings().map(|f| Entry {
        path: key.relative(&f.path),
        rule: f.rule.to_string(),
        fingerprint: f.fingerprint.as_deref().unwrap_or_default().to_string(),
    });
    let b = Baseline::new(&key, kept.chain(new));
    report::write_atomically(&file, b.render().as_bytes())?;
    eprintln!(
        "phiscan: wrote {} finding{} to {} (key {}); scan with --baseline {} to report only new ones",
        b.findings.len(),
        if b.findings.len() == 1 { "" } else { "s" },
        file.display(),
        key.id,
        file.display()
    );
    Ok(0)
}

/// The pre-commit configuration `phiscan init` prints: a `repo: local` hook that runs the
/// installed binary (no tag, no build on first commit), as in the README's pre-commit section.
const PRE_COMMIT_LOCAL: &str = "\
repos:
  - repo: local
    hooks:
      - id: phiscan
        name: phiscan (patient information)
        entry: phiscan scan --force-exclude
        language: system
        pass_filenames: true
";

fn init(args: &InitArgs) -> Result<u8, Error> {
    let path = args.dir.join(config::CONFIG_FILE);
    let written = if args.force {
        report::write_atomically(&path, config::STARTER.as_bytes())
    } else {
        report::write_new_atomically(&path, config::STARTER.as_bytes())
    };
    written.map_err(|e| match e {
        Error::Output { source, .. } if source.kind() == std::io::ErrorKind::AlreadyExists => Error::Config {
            path: Some(path.clone()),
            message: "already exists; left as it is (use --force to overwrite)".into(),
        },
        e => e,
    })?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "wrote {}\n\n\
         Run phiscan on every commit with the pre-commit framework (https://pre-commit.com): add this\n\
         to .pre-commit-config.yaml. It runs the phiscan on your PATH, so it starts at once:\n\n\
         {PRE_COMMIT_LOCAL}\n\
         then run `pre-commit install`. Everyone who commits needs phiscan on PATH\n\
         (`cargo install --locked --path .` in a phiscan checkout). Without pre-commit, a plain git hook:\n\n  \
         printf '#!/bin/sh\\nexec phiscan scan --staged\\n' > .git/hooks/pre-commit\n  \
         chmod +x .git/hooks/pre-commit",
        path.display()
    )
    .map_err(|e| Error::Output { target: "stdout".into(), source: e })?;
    Ok(0)
}

fn active_rules(args: &RuleArgs) -> Result<Vec<phiscan::rules::Rule>, Error> {
    let file = config::load_file(args.config.as_deref(), std::path::Path::new("."))?;
    config::resolve_rules(args, &file)
}

fn rules_command(cmd: RulesCommand) -> Result<u8, Error> {
    let mut out = std::io::stdout().lock();
    let w = |e| Error::Output { target: "stdout".into(), source: e };
    match cmd {
        RulesCommand::List(args) => {
            for r in active_rules(&args)? {
                writeln!(out, "{:<26} {:<11} {:<6} {}", r.id, r.category.as_str(), r.severity.as_str(), r.name)
                    .map_err(w)?;
            }
            Ok(0)
        }
        RulesCommand::Check { path, rules } => {
            let set = match path {
                Some(p) => {
                    let mut base = if rules.rules.is_empty() && rules.disable.is_empty() {
                        phiscan::rules::builtin::rules()?
                    } else {
                        active_rules(&rules)?
                    };
                    let user = phiscan::rules::load_path(&p)?;
                    let ids: Vec<String> = user.iter().map(|r| r.id.clone()).collect();
                    base.retain(|r| !ids.contains(&r.id));
                    base.extend(user);
                    base
                }
                None => {
                    let file = ConfigFile::default();
                    let _ = &file;
                    active_rules(&rules)?
                }
            };
            let n_rules = set.len();
            let (failures, n) = phiscan::check::check(set)?;
            for f in &failures {
                writeln!(out, "FAIL {}: {}", f.rule, f.message).map_err(w)?;
            }
            writeln!(
                out,
                "checked {n_rules} rules, {n} examples: {} passed, {} failed",
                n - failures.len().min(n),
                failures.len()
            )
            .map_err(w)?;
            Ok(if failures.is_empty() { 0 } else { 1 })
        }
        RulesCommand::Explain { id, rules } => {
            if id == report::sarif::BREACH_RULE {
                // Not a rule of the rule set but the verdict SARIF reports under this id.
                use report::sarif::{BREACH_DESCRIPTION, BREACH_HELP, BREACH_NAME, BREACH_RULE, BREACH_SHORT};
                writeln!(out, "{BREACH_RULE} — {BREACH_NAME}: {BREACH_SHORT}\n").map_err(w)?;
                writeln!(out, "a verdict over findings, not a pattern   severity: high\n").map_err(w)?;
                writeln!(out, "{BREACH_DESCRIPTION}\n\n{BREACH_HELP}").map_err(w)?;
                return Ok(0);
            }
            let all = active_rules(&rules)?;
            let Some(r) = all.iter().find(|r| r.id == id) else {
                return Err(Error::config(format!("no rule with id {id:?} (see `phiscan rules list`)")));
            };
            writeln!(out, "{} — {}\n", r.id, r.name).map_err(w)?;
            writeln!(out, "category: {}   severity: {}   confidence: {}", r.category, r.severity, r.confidence)
                .map_err(w)?;
            writeln!(out, "origin: {}\n\n{}\n", r.origin, r.description.trim()).map_err(w)?;
            match &r.matcher {
                phiscan::rules::Matcher::Pattern { source, .. } => writeln!(out, "pattern: {source}").map_err(w)?,
                phiscan::rules::Matcher::Keywords(k) => writeln!(out, "keywords: {} terms", k.len()).map_err(w)?,
                phiscan::rules::Matcher::Detector(d) => writeln!(out, "detector: {d}").map_err(w)?,
            }
            if !r.validators.is_empty() {
                for (name, _) in &r.validators {
                    let doc = phiscan::rules::validators::ALL.iter().find(|(n, _, _)| n == name).map_or("", |v| v.2);
                    writeln!(out, "validator: {name} ({doc})").map_err(w)?;
                }
            }
            if !r.context.is_empty() {
                writeln!(out, "context: {}", r.context.join(", ")).map_err(w)?;
            }
            for ex in &r.examples {
                writeln!(out, "example: {ex}").map_err(w)?;
            }
            for ex in &r.negative_examples {
                writeln!(out, "not: {ex}").map_err(w)?;
            }
            Ok(0)
        }
    }
}
