//! Tables: CSV and TSV exports, header-aware, and the row emitter spreadsheets and documents share.
//!
//! Patient lists travel as CSV. A column's header says what its cells are (a 7-digit number
//! under `MRN`, an ordinary word like "Hope" under `patient_name`), so each cell is emitted as
//! `header: value` on its own line with the header kept as the value's field; the scorer
//! classifies fields (see `score::field`). The header row is a label, not values: nothing in it
//! is reported. A table without a header keeps its cells as a grid, so that the scorer can type
//! its columns by their contents (see `score::columns`). Each row is one linking unit, located
//! `row N` where the header is row 1, as a spreadsheet shows it. Quoted multi-line cells, `""`
//! escapes, `;`, `|` and tab delimiters and a BOM are handled; ragged rows are scanned (extra
//! cells as `column N`) and noted, not rejected.
//!
//! The reader is our own, small and byte-exact: every cell keeps the byte range it came from
//! (a `""` inside quotes maps to both quote bytes), which the `csv` crate does not expose.

use super::{humanize, Builder, Document};
use crate::text::Mapped;

/// Extracts a CSV (or, with `Some(b'\t')`, TSV) export; the delimiter is sniffed when `None`.
pub fn extract_csv(text: &[u8], delimiter: Option<u8>) -> Document {
    let delimiter = delimiter.unwrap_or_else(|| sniff_delimiter(text));
    let mut b = Builder::new();
    let mut header: Option<Vec<String>> = None;
    let mut ragged = 0usize;
    let mut first_ragged = 0usize;
    let mut rows = Rows::new(text, 0, delimiter);
    let mut row = 0;
    while let Some(cells) = rows.next_row() {
        row += 1;
        let plain: Vec<String> = cells.iter().map(|c| c.as_str().to_string()).collect();
        if row == 1 {
            if looks_like_header(&plain) {
                b.start_unit();
                b.header_row(&cells, "row 1");
                b.end_unit("row", "row 1");
                b.paragraph_break();
                b.start_grid(plain.iter().map(|h| !h.trim().is_empty()).collect());
                header = Some(plain);
                continue;
            }
            b.start_grid(Vec::new());
        }
        if let Some(h) = &header {
            let used = plain.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |p| p + 1);
            if used > h.len() || plain.len() != h.len() {
                ragged += 1;
                if first_ragged == 0 {
                    first_ragged = row;
                }
            }
        }
        let ranges =
            emit_row(&mut b, header.as_deref(), &cells, &|col, _| format!("row {row}:{col}"), format!("row {row}"));
        b.grid_row(ranges);
    }
    if let Some(at) = rows.unterminated {
        b.note(format!("a quoted cell opened at byte {at} never closes: the rest of the file was read as that cell"));
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
/// Returns each cell's range in the text (empty where the cell was empty), for typing columns.
pub fn emit_row(
    b: &mut Builder,
    header: Option<&[String]>,
    cells: &[Mapped],
    cell_location: &dyn Fn(&str, usize) -> String,
    unit_location: String,
) -> Vec<(usize, usize)> {
    let mut ranges = Vec::with_capacity(cells.len());
    emit_cells(b, header, cells.iter().enumerate(), cell_location, unit_location, &mut |_, r| ranges.push(r));
    ranges
}

/// Emits the cells of one row that are present, `(column, cell)` in column order, as one unit
/// (see [`emit_row`]); `each` gets every emitted cell's column and range. A sparse row costs
/// its cells, not its width: a sheet with one cell at column ZZZ is not 18,000 cells a row.
pub fn emit_cells<'c>(
    b: &mut Builder,
    header: Option<&[String]>,
    cells: impl Iterator<Item = (usize, &'c Mapped)>,
    cell_location: &dyn Fn(&str, usize) -> String,
    unit_location: String,
    each: &mut dyn FnMut(usize, (usize, usize)),
) {
    b.start_unit();
    for (j, cell) in cells {
        let (a, z) = cell.trimmed_range();
        let named = header.and_then(|h| h.get(j)).map(|h| h.trim()).filter(|h| !h.is_empty());
        let range = if a >= z {
            None
        } else {
            // A header cell is shown in locations only when it reads like a column name: the
            // first row of a headerless export may be a patient's.
            let col = named
                .filter(|h| crate::text::label::plain_label(h))
                .map_or_else(|| format!("column {}", j + 1), str::to_string);
            let label = named.map(humanize);
            b.value_range(label.as_deref(), cell, (a, z), cell_location(&col, j), named)
        };
        let at = b.text().len();
        each(j, range.unwrap_or((at, at)));
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
pub fn sniff_delimiter(text: &[u8]) -> u8 {
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

/// A reader of delimited rows that keeps each cell's source range (RFC 4180 quoting, tolerant:
/// a quote is special only at the start of a cell, text after a closing quote is kept).
pub struct Rows<'a> {
    text: &'a [u8],
    pos: usize,
    end: usize,
    delimiter: u8,
    /// Where a quoted cell that never closes was opened, if one did.
    pub unterminated: Option<usize>,
}

impl<'a> Rows<'a> {
    /// Reads `text` from byte `start`, cells separated by `delimiter`.
    pub fn new(text: &'a [u8], start: usize, delimiter: u8) -> Rows<'a> {
        Rows { text, pos: start, end: text.len(), delimiter, unterminated: None }
    }

    /// Reads only up to byte `end` (a block of lines inside a larger text).
    pub fn until(mut self, end: usize) -> Rows<'a> {
        self.end = end.min(self.text.len());
        self
    }

    /// Returns the byte offset the next row starts at.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Returns the next non-blank row's cells, each mapped to its bytes.
    pub fn next_row(&mut self) -> Option<Vec<Mapped>> {
        loop {
            if self.pos >= self.end {
                return None;
            }
            let cells = self.row();
            let blank = cells.len() == 1 && cells[0].as_str().trim().is_empty();
            if !blank {
                return Some(cells);
            }
        }
    }

    fn row(&mut self) -> Vec<Mapped> {
        let (text, d) = (&self.text[..self.end], self.delimiter);
        let mut cells = Vec::new();
        loop {
            let mut cell = Mapped::new();
            let mut i = self.pos;
            if text.get(i) == Some(&b'"') {
                i += 1;
                loop {
                    match memchr::memchr(b'"', &text[i..]) {
                        None => {
                            push_bytes(&mut cell, text, i, text.len());
                            self.unterminated.get_or_insert(self.pos);
                            i = text.len();
                            break;
                        }
                        Some(q) => {
                            let q = i + q;
                            push_bytes(&mut cell, text, i, q);
                            if text.get(q + 1) == Some(&b'"') {
                                cell.push_decoded("\"", (q, q + 2));
                                i = q + 2;
                            } else {
                                i = q + 1;
                                break;
                            }
                        }
                    }
                }
            }
            let stop = memchr::memchr2(d, b'\n', &text[i..]).map_or(text.len(), |p| i + p);
            let trimmed = if stop < text.len() && text[stop] == b'\n' && stop > i && text[stop - 1] == b'\r' {
                stop - 1
            } else {
                stop
            };
            push_bytes(&mut cell, text, i, trimmed);
            cells.push(cell);
            self.pos = stop + 1;
            if stop >= text.len() {
                self.pos = self.end;
                return cells;
            }
            if text[stop] == b'\n' {
                return cells;
            }
            if self.pos >= text.len() {
                // A delimiter ends the text: one more, empty, cell.
                cells.push(Mapped::new());
                return cells;
            }
        }
    }
}

/// Appends `text[a..b]` to `cell`: verbatim when it is UTF-8, else decoded as a whole.
fn push_bytes(cell: &mut Mapped, text: &[u8], a: usize, b: usize) {
    if a >= b {
        return;
    }
    match std::str::from_utf8(&text[a..b]) {
        Ok(s) => cell.push_exact(s, a),
        Err(_) => cell.push_decoded(&String::from_utf8_lossy(&text[a..b]), (a, b)),
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
        assert_eq!(d.field_at(seg.start, seg.end), Some("mrn"));
        assert!(d.segments.iter().any(|s| s.location == "row 3:column 4"));
        assert_eq!(d.unit_locations, vec!["row 1", "row 2", "row 3"]);
        assert_eq!(d.notes.len(), 1, "{:?}", d.notes);
        assert!(d.notes[0].starts_with("1 row has"), "{:?}", d.notes);
        assert_eq!(d.labels.len(), 1, "the header row is a label");
    }

    #[test]
    fn every_cell_maps_back_to_its_bytes() {
        let src = b"name,note\r\n\"Vale, Rhonda\",\"said \"\"hi\"\"\"\r\nTobin Quill,plain\r\n";
        let d = extract_csv(src, None);
        for seg in d.segments.iter().filter(|s| s.location != "row 1") {
            let got = d.map.locate(seg.start, seg.end).unwrap();
            let value = &d.text[seg.start..seg.end];
            if value == b"said \"hi\"" {
                assert_eq!(&src[got.start..got.end], b"said \"\"hi\"\"");
            } else {
                assert_eq!(&src[got.start..got.end], value, "{}", seg.location);
            }
        }
        assert!(d.grids.is_empty(), "a named table needs no typing");
    }

    #[test]
    fn headerless_tables_keep_a_grid() {
        let d = extract_csv(b"Hope,4071938,E11.9\nAda,5512093,J45.909\n", None);
        assert_eq!(d.grids.len(), 1);
        assert_eq!(d.grids[0].rows.len(), 2);
        let (s, e) = d.grids[0].rows[1][2];
        assert_eq!(&d.text[s..e], b"J45.909");
    }

    #[test]
    fn rows_end_cleanly_whatever_the_input() {
        let mut r = Rows::new(b"a,\"b\nc\",", 0, b',');
        let cells: Vec<String> = r.next_row().unwrap().iter().map(|c| c.as_str().to_string()).collect();
        assert_eq!(cells, vec!["a", "b\nc", ""]);
        assert!(r.next_row().is_none());
        let mut r = Rows::new(b"\"open,x\n", 0, b',');
        assert_eq!(r.next_row().unwrap()[0].as_str(), "open,x\n");
        assert_eq!(r.unterminated, Some(0));
    }

    #[test]
    fn delimiters_are_sniffed() {
        assert_eq!(sniff_delimiter(b"a;b;c\n1;2;3"), b';');
        assert_eq!(sniff_delimiter(b"a|b\n"), b'|');
        assert_eq!(sniff_delimiter(b"\"x,y\";b;c\n"), b';');
        assert_eq!(sniff_delimiter(b"single"), b',');
    }
}
