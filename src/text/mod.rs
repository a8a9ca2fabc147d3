//! Shared text vocabulary below every stage: how a text divides into blocks and sentences.
//!
//! A leaf module: it depends on nothing else in the crate, so the detectors (which need to know
//! where a sentence starts, and whether a paragraph is written in capitals) and the breach
//! linker (which links within a sentence) read one and the same model of the text.

pub mod segment;
