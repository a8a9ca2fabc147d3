//! Prints every name candidate of labelled texts with its features, for `scripts/train_names.py`.
//!
//! Reads JSON Lines records (`{"id": …, "text": …}`) on stdin and writes one JSON line per
//! candidate: `{"id", "start", "end", "features", "p"}` with UTF-8 byte offsets into the text
//! and the current model's probability. A development tool, not part of the `phiscan` binary:
//! `cargo run --release --example name-features < corpus.jsonl`.

use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let stdin = std::io::stdin();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for line in stdin.lock().lines() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let record: serde_json::Value = serde_json::from_str(&line)?;
        let id = record["id"].clone();
        let text = record["text"].as_str().ok_or("a record without text")?;
        for c in phiscan::engine::detectors::explain_names(text.as_bytes()) {
            let row = serde_json::json!({
                "id": id, "start": c.start, "end": c.end, "features": c.features, "p": c.probability,
            });
            writeln!(out, "{row}")?;
        }
    }
    out.flush()?;
    Ok(())
}
