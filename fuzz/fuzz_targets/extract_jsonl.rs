//! Fuzzes the jsonl extractor: any bytes, read as jsonl, never panic (a caught panic
//! is surfaced here) and every segment lies inside the extracted text.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| phiscan_fuzz_support::extract(data, phiscan::extract::Kind::Jsonl));
