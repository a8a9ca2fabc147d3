//! Rules as data: the TOML schema, its compiled form, and the built-in rule set.
//!
//! A rule file holds `[[rule]]` tables (see `rules/README.md`). Parsing follows
//! "parse, don't validate": [`RuleSpec`] is the raw serde form with every field a string, and
//! [`Rule`] is what the engine uses, with its category, severity and validators resolved, so a
//! typo in a rule file fails at load time with the rule's id and origin. Built-in rules are
//! embedded in the binary from `rules/*.toml` (see [`builtin`]).

pub mod builtin;
pub mod packed;
pub mod validators;

use crate::error::{Error, Result};
use crate::finding::{Category, Severity};
use serde::Deserialize;
use std::path::Path;

/// One `[[rule]]` table as written in a rule file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Unique id, kebab-case, with a region prefix when the identifier is national (`us-ssn`).
    pub id: String,
    /// A short human name (`US Social Security number`).
    pub name: String,
    /// One of the fixed category names.
    pub category: String,
    /// `high`, `medium` or `low`, before breach linking.
    pub severity: String,
    /// Confidence from 0 to 1 of a bare, validated match; context moves it.
    pub confidence: f32,
    /// A regex (ASCII classes, matched on bytes); a named group `value` marks the reported part.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Literal terms matched case-insensitively on word boundaries.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// A built-in detector implemented in code (`person-name`, `diagnosis`, …).
    #[serde(default)]
    pub detector: Option<String>,
    /// Names of validators (see `phiscan rules explain`) that every match must pass.
    #[serde(default)]
    pub validators: Vec<String>,
    /// Words that, near a match, raise confidence by `context_boost`.
    #[serde(default)]
    pub context: Vec<String>,
    /// Words that, near a match, lower confidence by `context_boost`.
    #[serde(default)]
    pub negative_context: Vec<String>,
    /// Words that lower confidence only when they follow the match ("1/3 of", "1/2 NS"), where
    /// the same word before it says nothing ("visit of 4/22"); read up to the next number,
    /// which the words after it describe instead ("6/2 3/4 bottles").
    #[serde(default)]
    pub negative_context_after: Vec<String>,
    /// How much one context word moves confidence (default 0.35).
    #[serde(default)]
    pub context_boost: Option<f32>,
    /// How much one negative context word lowers confidence (default 0.35).
    #[serde(default)]
    pub context_penalty: Option<f32>,
    /// Severity to use when a context word is present (e.g. a date next to "DOB" is `high`).
    #[serde(default)]
    pub context_severity: Option<String>,
    /// Bytes searched for context words before and after a match (default `[64, 40]`); a
    /// narrow window reads only the words next to the match ("pain 4/10", "1/2 NS").
    #[serde(default)]
    pub context_window: Option<[usize; 2]>,
    /// What the rule detects and why it matters.
    pub description: String,
    /// Synthetic texts in which the rule must find something.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Synthetic near misses in which the rule must find nothing.
    #[serde(default)]
    pub negative_examples: Vec<String>,
}

/// A rule file: a list of `[[rule]]` tables.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFileSpec {
    /// The rules in the file.
    #[serde(default)]
    pub rule: Vec<RuleSpec>,
}

/// How a rule finds candidates.
#[derive(Clone, Debug)]
pub enum Matcher {
    /// A regex; the value is the first participating group named `value`, `value2`, … (the
    /// whole match when there is none).
    Pattern {
        /// The regex source.
        source: String,
        /// Indices of the `value*` groups, in name order.
        value_groups: Vec<usize>,
        /// The parsed pattern: the engine compiles it without parsing the source again.
        hir: std::sync::Arc<regex_syntax::hir::Hir>,
    },
    /// Literal terms, case-insensitive, on word boundaries.
    Keywords(Vec<String>),
    /// A detector implemented in code.
    Detector(String),
}

/// A compiled rule, ready for the engine.
#[derive(Clone, Debug)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// Short human name.
    pub name: String,
    /// Category of its findings.
    pub category: Category,
    /// Severity before breach linking.
    pub severity: Severity,
    /// Confidence of a bare validated match.
    pub confidence: f32,
    /// How it finds candidates.
    pub matcher: Matcher,
    /// Validator names and functions; every one must accept a match.
    pub validators: Vec<(String, validators::Validator)>,
    /// Lower-case context words.
    pub context: Vec<String>,
    /// Lower-case negative context words.
    pub negative_context: Vec<String>,
    /// Lower-case negative context words that count only after the match.
    pub negative_context_after: Vec<String>,
    /// How much one context word moves confidence.
    pub context_boost: f32,
    /// How much a negative context word lowers confidence.
    pub context_penalty: f32,
    /// Severity when a context word is present.
    pub context_severity: Option<Severity>,
    /// Bytes searched for context words before and after a match.
    pub context_window: (usize, usize),
    /// What it detects and why.
    pub description: String,
    /// Texts that must yield a finding of this rule.
    pub examples: Vec<String>,
    /// Texts that must not.
    pub negative_examples: Vec<String>,
    /// Where it came from (`built-in:ssn.toml` or a path).
    pub origin: String,
}

/// The widest context window a rule may ask for, in bytes on each side.
pub const MAX_CONTEXT_WINDOW: usize = 256;

/// The detectors implemented in code that a rule may name.
pub const DETECTORS: &[&str] = &[
    "person-name",
    "location",
    "facility",
    "diagnosis",
    "medication",
    "procedure",
    "social-handle",
    "unique-description",
    crate::score::field::DETECTOR,
];

impl RuleSpec {
    /// Compiles the spec, resolving names and checking the regex.
    pub fn compile(self, origin: &str) -> Result<Rule> {
        self.compile_parsed(origin, None)
    }

    /// Compiles the spec with its pattern already parsed as `parsed` (else it is parsed here).
    fn compile_parsed(self, origin: &str, parsed: Option<regex_syntax::hir::Hir>) -> Result<Rule> {
        let err = |message: String| Error::Rule { origin: origin.to_string(), id: Some(self.id.clone()), message };
        if self.id.is_empty() || !self.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            return Err(err("ids are kebab-case: lower-case letters, digits and '-'".into()));
        }
        let category = Category::parse(&self.category).ok_or_else(|| {
            err(format!("unknown category {:?}; expected one of: {}", self.category, category_list()))
        })?;
        let severity = parse_severity(&self.severity).map_err(&err)?;
        let context_severity = self.context_severity.as_deref().map(parse_severity).transpose().map_err(&err)?;
        if !(0.0..=1.0).contains(&self.confidence) {
            return Err(err(format!("confidence must be between 0 and 1, not {}", self.confidence)));
        }
        let matcher = match (&self.pattern, self.keywords.is_empty(), &self.detector) {
            (Some(p), true, None) => {
                // Parsing checks the pattern and names its groups without compiling it: the
                // engine compiles every pattern once, together (see `engine`).
                let hir = match parsed {
                    Some(hir) => hir,
                    None => crate::engine::parse_pattern(p)
                        .map_err(|e| err(format!("bad pattern: {}", pattern_error(&e))))?,
                };
                let mut groups: Vec<(String, usize)> = Vec::new();
                value_groups(&hir, &mut groups);
                groups.sort_unstable();
                Matcher::Pattern {
                    source: p.clone(),
                    value_groups: groups.into_iter().map(|(_, i)| i).collect(),
                    hir: std::sync::Arc::new(hir),
                }
            }
            (None, false, None) => {
                if self.keywords.iter().any(|k| k.trim().is_empty()) {
                    return Err(err("keywords must not be empty strings".into()));
                }
                Matcher::Keywords(self.keywords.iter().map(|k| k.to_lowercase()).collect())
            }
            (None, true, Some(d)) if DETECTORS.contains(&d.as_str()) => Matcher::Detector(d.clone()),
            (None, true, Some(d)) => {
                return Err(err(format!("unknown detector {d:?}; expected one of: {}", DETECTORS.join(", "))))
            }
            _ => return Err(err("a rule needs exactly one of `pattern`, `keywords` or `detector`".into())),
        };
        let mut resolved = Vec::new();
        for v in &self.validators {
            let f = validators::lookup(v).ok_or_else(|| {
                let names: Vec<&str> = validators::ALL.iter().map(|(n, _, _)| *n).collect();
                err(format!("unknown validator {v:?}; expected one of: {}", names.join(", ")))
            })?;
            resolved.push((v.clone(), f));
        }
        if self.description.trim().is_empty() {
            return Err(err("a rule needs a description".into()));
        }
        let context_window = match self.context_window {
            Some([b, a]) if b > MAX_CONTEXT_WINDOW || a > MAX_CONTEXT_WINDOW => {
                return Err(err(format!("context_window holds byte counts of at most {MAX_CONTEXT_WINDOW}")))
            }
            Some([b, a]) => (b, a),
            None => (crate::score::WINDOW_BEFORE, crate::score::WINDOW_AFTER),
        };
        Ok(Rule {
            id: self.id,
            name: self.name,
            category,
            severity,
            confidence: self.confidence,
            matcher,
            validators: resolved,
            context: self.context.iter().map(|w| w.to_lowercase()).collect(),
            negative_context: self.negative_context.iter().map(|w| w.to_lowercase()).collect(),
            negative_context_after: self.negative_context_after.iter().map(|w| w.to_lowercase()).collect(),
            context_boost: self.context_boost.unwrap_or(0.35),
            context_penalty: self.context_penalty.unwrap_or(0.35),
            context_severity,
            context_window,
            description: self.description,
            examples: self.examples,
            negative_examples: self.negative_examples,
            origin: origin.to_string(),
        })
    }
}

/// Collects the capture groups named `value…` of a parsed pattern with their indices.
fn value_groups(hir: &regex_syntax::hir::Hir, out: &mut Vec<(String, usize)>) {
    use regex_syntax::hir::HirKind;
    match hir.kind() {
        HirKind::Capture(c) => {
            if let Some(name) = c.name.as_deref().filter(|n| n.starts_with("value")) {
                out.push((name.to_string(), c.index as usize));
            }
            value_groups(&c.sub, out);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().for_each(|h| value_groups(h, out)),
        HirKind::Repetition(r) => value_groups(&r.sub, out),
        _ => {}
    }
}

/// Describes a pattern error by its kind and where it is in the pattern, never by the pattern:
/// the regex crate's own message reprints the pattern, and a rule file's pattern may hold a
/// literal value (a denylisted name); fuzzing found such a message quoting the file.
fn pattern_error(e: &regex_syntax::Error) -> String {
    let (kind, span) = match e {
        regex_syntax::Error::Parse(e) => (e.kind().to_string(), e.span()),
        regex_syntax::Error::Translate(e) => (e.kind().to_string(), e.span()),
        _ => return "not a valid regular expression".to_string(),
    };
    format!("{kind} (pattern line {}, column {})", span.start.line, span.start.column)
}

fn parse_severity(s: &str) -> std::result::Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("unknown severity {s:?}; expected high, medium or low"))
}

fn category_list() -> String {
    Category::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
}

impl Rule {
    /// Whether every validator accepts `value`.
    pub fn validates(&self, value: &str) -> bool {
        self.validators.iter().all(|(_, f)| f(value))
    }
}

/// Parses the rules of one TOML document.
pub fn parse_rules(text: &str, origin: &str) -> Result<Vec<Rule>> {
    let file: RuleFileSpec = toml::from_str(text).map_err(|e| Error::Rule {
        origin: origin.to_string(),
        id: None,
        // Never toml's own rendering, which quotes the offending line of the file.
        message: crate::config::toml_error(&e, text),
    })?;
    // One thread: the built-in files are spread over two (see `builtin::rules`), and a rayon
    // pool started here kept spinning on both cores through the rest of a one-page scan.
    file.rule.into_iter().map(|spec| spec.compile(origin)).collect()
}

/// Parses built-in rules from what `build.rs` made of their file: its tables as JSON (the same
/// [`RuleFileSpec`], read without a TOML parser) and its patterns already parsed ([`packed`]).
///
/// A pattern without a packed entry of the same source is parsed here, as in [`parse_rules`].
fn parse_prepared(json: &str, patterns: &[u8], origin: &str) -> Result<Vec<Rule>> {
    let file: RuleFileSpec = serde_json::from_str(json).map_err(|e| Error::Rule {
        origin: origin.to_string(),
        id: None,
        message: format!("{e} (in the JSON form of the rule file)"),
    })?;
    let entries = packed::entries(patterns);
    file.rule
        .into_iter()
        .map(|spec| {
            let parsed = spec.pattern.as_deref().and_then(|p| {
                let (_, mut code) = entries.iter().find(|(source, _)| *source == p)?;
                packed::decode(&mut code)
            });
            spec.compile_parsed(origin, parsed)
        })
        .collect()
}

/// Loads user rules from a file, or every `*.toml` file in a folder (sorted, not recursive).
pub fn load_path(path: &Path) -> Result<Vec<Rule>> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    let mut files = Vec::new();
    if path.is_dir() {
        for entry in std::fs::read_dir(path).map_err(io)? {
            let p = entry.map_err(io)?.path();
            if p.extension().is_some_and(|e| e == "toml") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut rules = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).map_err(|source| Error::Io { path: f.clone(), source })?;
        rules.extend(parse_rules(&text, &f.display().to_string())?);
    }
    Ok(rules)
}

/// Returns an error when two rules share an id.
pub fn check_unique(rules: &[Rule]) -> Result<()> {
    let mut seen = std::collections::HashMap::new();
    for r in rules {
        if let Some(prev) = seen.insert(r.id.as_str(), r.origin.as_str()) {
            return Err(Error::Rule {
                origin: r.origin.clone(),
                id: Some(r.id.clone()),
                message: format!("duplicate rule id (also defined in {prev})"),
            });
        }
    }
    Ok(())
}
