//! phiscan: catch patient information (PHI) in drafts, exports and posts before they are published.
//!
//! The library is the whole engine; the `phiscan` binary only parses flags and maps the outcome to
//! an exit code. Data flows one way, and module dependencies follow it:
//!
//! `cli → config → run → scan → input (walk, git, decode) → engine (regex + dictionaries) → score
//! (context, overlaps, breach linking) → suppress (allow-lists, `phiscan:allow`, baselines) →
//! report (text, json, jsonl, sarif, github, junit)`,
//!
//! with [`finding`] (categories, severities, masking) and [`error`] shared by all. [`serve`] puts
//! the same scan behind a local page and JSON API (`phiscan serve`); [`redact`] writes a copy
//! safe to publish from the same findings (`phiscan redact`).
//!
//! ```
//! use phiscan::{engine::Engine, rules, scan::Scanner};
//! let scanner = Scanner::with_defaults(Engine::new(rules::builtin::rules().unwrap()).unwrap());
//! let result = scanner.scan_text("note.txt", b"SSN 536-22-8727");
//! assert_eq!(result.findings[0].masked, "***-**-8727");
//! ```
#![deny(missing_docs)]

pub mod check;
pub mod cli;
pub mod config;
pub mod engine;
pub mod error;
pub mod extract;
pub mod finding;
pub mod input;
pub mod redact;
pub mod report;
pub mod rules;
pub mod run;
pub mod scan;
pub mod score;
pub mod serve;
pub mod suppress;
pub mod text;

pub use config::Config;
pub use error::{Error, Problem, Result};
pub use finding::{Category, Finding, Severity, Verdict};
