//! Dictionary detectors: people's names, places, facilities and health terms.
//!
//! Filled in by the names-and-health work; the engine calls [`Detectors::find`] on every text.

use super::Candidate;
use crate::rules::Rule;

/// The dictionary-backed detectors named by rules (`detector = "…"`).
pub struct Detectors {}

impl Detectors {
    /// Builds the detectors that the rules ask for.
    pub fn new(_rules: &[Rule]) -> Detectors {
        Detectors {}
    }

    /// Appends the detectors' candidates in `text` to `out`.
    pub fn find(&self, _text: &[u8], _out: &mut Vec<Candidate>) {}
}
