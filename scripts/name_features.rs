//! Prints every name candidate of labelled texts with its features, for `scripts/train_names.py`.
//!
//! Reads JSON Lines records (`{"id": …, "text": …}`) on stdin and writes one JSON line per
//! candidate: `{"id", "start", "end", "features", "p"}` with UTF-8 byte offsets into the text
//! and the current model's probability. A development tool, not part of the `phiscan` binary:
//! `cargo run --release --example name-features [-- --model FILE] < corpus.jsonl`; with
//! `--model` the candidates are weighed by that model file instead of the embedded one.

use std::io::{BufRead, Write};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.as_slice() {
        [] => {}
        [flag, path] if flag == "--model" => {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
            phiscan::engine::names::use_model(&text).map_err(|e| format!("{path}: {e}"))?;
        }
        _ => return Err("usage: name-features [--model FILE] < records.jsonl".into()),
    }
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
