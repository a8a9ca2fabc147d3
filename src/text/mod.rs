//! Text: the vocabulary that extraction, scoring, suppression and reporting share.
//!
//! These pieces used to live beside their first user and were borrowed across the pipeline's
//! seams (extraction reached into scoring for field-name words and linking units, suppression
//! into the orchestrator for line numbers, archives into reporting for byte sizes). This module
//! is a leaf: it uses nothing else of the crate, so every stage may use it without a cycle.
//!
//! - [`label`]: labels built from input (keys, headers, names), shown only when safe.
//! - [`lines`]: byte offsets to 1-based line and column.
//! - [`source`]: where extracted text came from (the map back to the file's bytes).
//! - [`words`]: word bytes and field names as words.
//! - [`Unit`]: an extractor's statement about one record, for breach linking.
//! - [`segment`]: how a text divides into blocks and sentences, so the detectors (which need
//!   to know where a sentence starts, and whether a paragraph is in capitals) and the breach
//!   linker read one and the same model of the text.

pub mod label;
pub mod lines;
pub mod segment;
pub mod source;
pub mod words;

pub use lines::{Cursor, LineIndex, LineTable};
pub use source::{Mapped, Source, SourceMap};

/// A unit of text supplied by an extractor (a CSV row, a JSON object, an HL7 message, a table
/// row): findings inside one unit are linked, whatever its sentences.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unit {
    /// Byte offset of the unit's start in the scanned text.
    pub start: usize,
    /// Byte offset one past its end.
    pub end: usize,
    /// What it is, for explanations (`row`, `object`, `segment`, …).
    pub kind: &'static str,
}

/// Formats a byte count for people (`12.3 KB`).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_read_like_a_person_wrote_them() {
        assert_eq!(human_bytes(12), "12 B");
        assert_eq!(human_bytes(2048), "2.0 KB");
        assert_eq!(human_bytes(512 << 20), "512.0 MB");
    }
}
