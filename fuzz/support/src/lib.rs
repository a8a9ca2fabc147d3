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
