//! The `phiscan` binary: parse flags, run, map the outcome to an exit code.
//!
//! Exit codes are a contract: 0 no finding at or above `--fail-on`, 1 such findings, 2 any error
//! (errors outrank findings: a scan that could not read a file must not pass as clean).

use clap::Parser;
use phiscan::cli::{Cli, Command, RuleArgs, RulesCommand};
use phiscan::config::{self, ConfigFile};
use phiscan::engine::Engine;
use phiscan::report;
use phiscan::scan::Scanner;
use phiscan::Error;
use std::io::Write;
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
            let (config, rules) = config::resolve_scan(&args)?;
            let scanner = Scanner::new(Engine::new(rules)?, &config);
            let outcome = scanner.run(&config);
            report::emit(&outcome, &config)?;
            let _ = report::summary(&outcome, &mut std::io::stderr().lock());
            Ok(if !outcome.errors.is_empty() {
                2
            } else if outcome.max_severity().is_some_and(|s| s >= config.fail_on) {
                1
            } else {
                0
            })
        }
        Command::Rules(cmd) => rules_command(cmd),
    }
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
