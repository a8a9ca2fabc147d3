//! Tables: CSV and TSV exports, header-aware, and the row emitter spreadsheets share.
//!
//! Patient lists travel as CSV. A column's header says what its cells are (a 7-digit number
//! under `MRN`, an ordinary word like "Hope" under `patient_name`), so each cell is emitted as
//! `header: value` on its own line with the header kept as the segment's field; the scorer
//! classifies fields (see `score::field`). Each row is one linking unit, located `row N` where
//! the header is row 1, as a spreadsheet shows it. Quoted multi-line cells, `;`, `|` and tab
//! delimiters and a BOM are handled; ragged rows are scanned (extra cells as `column N`) and
//! noted, not rejected.

use super::{humanize, Builder, Document};

/// Extracts a CSV (or, with `Some(b'\t')`, TSV) export; the delimiter is sniffed when `None`.
pub fn extract_csv(text: &[u8], delimiter: Option<u8>) -> Document {
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(text));
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text);
    let mut b = Builder::new();
    let mut header: Option<Vec<String>> = None;
    let mut ragged = 0usize;
    let mut first_ragged = 0usize;
    for (i, record) in reader.byte_records().enumerate() {
        let row = i + 1;
        let record = match record {
            Ok(r) => r,
            Err(_) => {
                b.fault(format!("row {row} could not be parsed as CSV; the rows after it were not scanned"));
                break;
            }
        };
        let cells: Vec<String> = record.iter().map(|c| String::from_utf8_lossy(c).into_owned()).collect();
        if i == 0 && looks_like_header(&cells) {
            b.start_unit();
            b.text_block(&cells.join(" | "), "row 1");
            b.end_unit("row", "row 1");
            b.paragraph_break();
            header = Some(cells);
            continue;
        }
        if let Some(h) = &header {
            let used = cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |p| p + 1);
            if used > h.len() || cells.len() != h.len() {
                ragged += 1;
                if first_ragged == 0 {
                    first_ragged = row;
                }
            }
        }
        emit_row(&mut b, header.as_deref(), &cells, &|col, _| format!("row {row}:{col}"), format!("row {row}"));
    }
    if ragged > 0 {
        b.note(format!(
            "{ragged} row{} ha{} a different number of fields than the header (first: row {first_ragged}); \
             cells past the header are reported as `column N`",
            if ragged == 1 { "" } else { "s" },
            if ragged == 1 { "s" } else { "ve" }
        ));
    }
    b.finish()
}

/// Emits one table row as a unit: each non-empty cell on its own line, labelled and fielded by
/// its column header when there is one. `cell_location` gets the column name and index.
pub fn emit_row(
    b: &mut Builder,
    header: Option<&[String]>,
    cells: &[String],
    cell_location: &dyn Fn(&str, usize) -> String,
    unit_location: String,
) {
    b.start_unit();
    for (j, cell) in cells.iter().enumerate() {
        let value = cell.trim();
        if value.is_empty() {
            continue;
        }
        let named = header.and_then(|h| h.get(j)).map(|h| h.trim()).filter(|h| !h.is_empty());
        let col = named.map_or_else(|| format!("column {}", j + 1), str::to_string);
        let label = named.map(humanize);
        b.value(label.as_deref(), value, cell_location(&col, j), named);
    }
    b.end_unit("row", unit_location);
}

/// Whether a first row reads as column names: every non-empty cell has a letter and few
/// digits, and at least one cell is non-empty.
pub fn looks_like_header(cells: &[String]) -> bool {
    let filled: Vec<&str> = cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    !filled.is_empty()
        && filled.iter().all(|c| {
            c.chars().any(char::is_alphabetic) && c.chars().filter(char::is_ascii_digit).count() < 4 && c.len() <= 64
        })
}

/// Picks the delimiter that occurs most (outside quotes) in the first line: `,`, `;`, `|` or tab.
fn sniff_delimiter(text: &[u8]) -> u8 {
    let mut counts = [0usize; 4];
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut quoted = false;
    for &c in text.iter().take(64 * 1024) {
        match c {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => break,
            _ if !quoted => {
                if let Some(k) = CANDIDATES.iter().position(|d| *d == c) {
                    counts[k] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..4).max_by_key(|&k| (counts[k], std::cmp::Reverse(k))).unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        CANDIDATES[best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_labelled_located_and_grouped_by_row() {
        let d = extract_csv(b"patient_name;mrn;notes\nHope;4071938;\"two\nlines\"\nAda;55;x;extra\n", None);
        let text = String::from_utf8(d.text.clone()).unwrap();
        assert!(text.contains("patient name: Hope\n"), "{text}");
        assert!(text.contains("mrn: 4071938\n"));
        let seg = d.segments.iter().find(|s| s.location == "row 2:mrn").unwrap();
        assert_eq!(&d.text[seg.start..seg.end], b"4071938");
        assert_eq!(seg.field.as_deref(), Some("mrn"));
        assert!(d.segments.iter().any(|s| s.location == "row 3:column 4"));
        assert_eq!(d.unit_locations, vec!["row 1", "row 2", "row 3"]);
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
        assert!(d.notes[0].starts_with("1 row has"), "{:?}", d.notes);
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a|b\n"), b'|');
        assert_eq!(sniff_delimiter(b"\"x,y\";b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }
}
