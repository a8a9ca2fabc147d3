//! What the fuzz targets share: one extraction check for every format.

use phiscan::extract::{extract as run, Kind, Limits, Problem};

/// Extracts `data` as `kind` under small limits and checks what came out: no extractor panic
/// (they are caught and reported as an error; here that is a crash), segments and fields
/// inside the text, error messages without control characters.
pub fn extract(data: &[u8], kind: Kind) {
    let limits = Limits { max_expanded: 8 << 20, ..Limits::default() };
    for item in run("fuzz", data.to_vec(), Some(kind), limits) {
        match item.result {
            Ok(doc) => {
                for s in &doc.segments {
                    assert!(s.start <= s.end && s.end <= doc.text.len(), "segment out of the text");
                }
                for f in &doc.fields {
                    assert!(f.start <= f.end && f.end <= doc.text.len(), "field out of the text");
                }
            }
            Err(Problem::Error(m)) => assert!(!m.contains("the extractor failed on it"), "extractor panicked"),
            Err(Problem::Skip(_)) => {}
        }
    }
}

/// A marker no parser message contains: planted in the input to tell quoting from wording.
const MARK: &str = "QZXJVQZXJV";

/// Checks that `parse`'s error for `text` never quotes a long line of it. The fuzzer copies the
/// message's own words into its input ("line 1, column 6: expected"), so a line found in the
/// message is parsed again with the marker planted in its middle: a message that quotes the
/// file quotes the marker too, one that only shares the line's wording does not.
pub fn never_quotes_the_input(text: &str, parse: impl Fn(&str) -> Result<(), String>) {
    let Err(message) = parse(text) else { return };
    for line in text.lines().filter(|l| l.trim().len() >= 24 && !l.contains('`')) {
        if !message.contains(line.trim()) {
            continue;
        }
        let mid = line.char_indices().nth(line.chars().count() / 2).map_or(line.len(), |(i, _)| i);
        let planted = text.replacen(line, &format!("{}{MARK}{}", &line[..mid], &line[mid..]), 1);
        if let Err(m) = parse(&planted) {
            assert!(!m.contains(MARK), "error quotes the file");
        }
    }
}
