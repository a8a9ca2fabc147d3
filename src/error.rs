//! The one error type of the library.
//!
//! Every variant carries what a person needs to act: the path, the rule id, the key. Messages
//! never contain a scanned value: an error about a file says which file and what went wrong,
//! not what was in it (values are PHI, see `finding::mask`).

use std::fmt;
use std::path::PathBuf;

/// Everything that can go wrong in phiscan, with the context to fix it.
#[derive(Debug)]
pub enum Error {
    /// A file or folder could not be read.
    Io {
        /// The path that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A rule file or built-in rule is malformed.
    Rule {
        /// Where the rule came from (a file path or `built-in:NAME`).
        origin: String,
        /// The rule id, when known.
        id: Option<String>,
        /// What is wrong, written for a person.
        message: String,
    },
    /// A configuration file or flag is malformed.
    Config {
        /// The config file, when the problem is in one.
        path: Option<PathBuf>,
        /// What is wrong, written for a person.
        message: String,
    },
    /// A baseline file or its key is missing, malformed or not the one it was made with.
    Baseline {
        /// The baseline file, when the problem is in one.
        path: Option<PathBuf>,
        /// What is wrong, written for a person.
        message: String,
    },
    /// A file could not be decoded or extracted.
    Input {
        /// The path of the input.
        path: String,
        /// What is wrong, written for a person.
        message: String,
    },
    /// Writing a report failed.
    Output {
        /// Where the report was going.
        target: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A git command needed by `--staged` or `--diff` failed.
    Git {
        /// What failed, written for a person.
        message: String,
    },
}

impl Error {
    /// Returns a config error without a file.
    pub fn config(message: impl Into<String>) -> Error {
        Error::Config { path: None, message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            Error::Rule { origin, id: Some(id), message } => {
                write!(f, "rule {id} ({origin}): {message}")
            }
            Error::Rule { origin, id: None, message } => write!(f, "rules ({origin}): {message}"),
            Error::Config { path: Some(p), message } => write!(f, "config {}: {message}", p.display()),
            Error::Config { path: None, message } => write!(f, "{message}"),
            Error::Baseline { path: Some(p), message } => write!(f, "baseline {}: {message}", p.display()),
            Error::Baseline { path: None, message } => write!(f, "baseline: {message}"),
            Error::Input { path, message } => write!(f, "{path}: {message}"),
            Error::Output { target, source } => write!(f, "cannot write {target}: {source}"),
            Error::Git { message } => write!(f, "git: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } | Error::Output { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Why one input (a file or a member of one) yielded no result: the one problem type of
/// extraction and scanning. It never aborts a run; it is reported for that input alone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not scanned by design (binary, encrypted, no text layer, over a limit), with the reason:
    /// reported, not an error.
    Skip(String),
    /// Malformed or unreadable: the input is not what its name or bytes say (exit code 2).
    Error(String),
}

/// A `Result` with phiscan's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
