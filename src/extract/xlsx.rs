//! Excel workbooks: sheet names and cell values, header-aware like CSV.
//!
//! Read directly from the package's XML (workbook, relationships, shared strings, sheets) with
//! quick-xml rather than through a spreadsheet crate: it needs only what the other Office
//! formats already use, and every part is read under the input's decompression limits. The
//! first row of a sheet is its header when it reads like one; cells are then fielded by their
//! column header and located like a spreadsheet shows them (`sheet Patients!B7`); each row is a
//! linking unit. Cell comments are read too. Values are scanned as stored: a date shows as its
//! serial number.
//!
//! Complexity: linear in the sheet XML and the cells present. Rows stay sparse (a cell at column
//! ZZZ is one cell, not 18,000); only the header row is read densely, up to 1,024 columns.

use super::archive::{self, Zip};
use super::table::{emit_cells, looks_like_header};
use super::xml::{attr, push_ref, push_text, xml_error_kind};
use super::{Builder, Ctx, Problem};
use crate::text::Mapped;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::BTreeMap;

/// Extracts every sheet of the workbook in `z` into `b`.
pub fn extract(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    let workbook = archive::read_named(z, "xl/workbook.xml", ctx)?
        .ok_or_else(|| Problem::Error("not a valid XLSX file (no xl/workbook.xml)".into()))?;
    let rels = archive::read_named(z, "xl/_rels/workbook.xml.rels", ctx)?.unwrap_or_default();
    let targets = relationships(&rels);
    let shared = match archive::read_named(z, "xl/sharedStrings.xml", ctx)? {
        Some(bytes) => {
            let (strings, fault) = shared_strings(&bytes);
            let strings: Vec<Mapped> = strings.into_iter().map(|s| s.in_part("xl/sharedStrings.xml")).collect();
            if let Some(f) = fault {
                b.fault(format!("part xl/sharedStrings.xml: {f}"));
            }
            strings
        }
        None => Vec::new(),
    };
    for (i, (name, rid)) in sheets(&workbook).into_iter().enumerate() {
        let target = targets
            .iter()
            .find(|(id, _)| *id == rid)
            .map(|(_, t)| t.clone())
            .unwrap_or_else(|| format!("worksheets/sheet{}.xml", i + 1));
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        // The name is scanned as text; locations show it only when it reads like a label.
        let raw_name = name;
        let name = if crate::text::label::plain_label(&raw_name) { raw_name.clone() } else { format!("{}", i + 1) };
        b.paragraph_break();
        b.text_block(&raw_name, format!("sheet {name}"));
        b.paragraph_break();
        let Some(bytes) = archive::read_named(z, &path, ctx)? else { continue };
        let (rows, fault) = cells(&bytes, &shared, &path);
        if let Some(f) = fault {
            b.fault(format!("sheet {name}: {f}"));
        }
        let mut header: Option<Vec<String>> = None;
        for (k, (row, cols)) in rows.into_iter().enumerate() {
            let width = cols.keys().next_back().map_or(0, |c| c + 1);
            if k == 0 {
                // The first row is read densely once (a header names columns by position); a
                // row wider than a grid is data.
                let mut plain = vec![String::new(); if width <= MAX_GRID_COLUMNS { width } else { 0 }];
                for (&c, v) in &cols {
                    if let Some(p) = plain.get_mut(c) {
                        *p = v.as_str().to_string();
                    }
                }
                if looks_like_header(&plain) {
                    let dense: Vec<Mapped> = (0..width).map(|c| cols.get(&c).cloned().unwrap_or_default()).collect();
                    b.start_unit();
                    b.header_row(&dense, format!("sheet {name}!row {row}"));
                    b.end_unit("row", format!("sheet {name}!row {row}"));
                    b.start_grid(plain.iter().map(|h| !h.trim().is_empty()).collect());
                    header = Some(plain);
                    continue;
                }
                b.start_grid(Vec::new());
            }
            // Only the cells present are emitted; the grid (for typing headerless columns by
            // their contents) gets empty ranges between them, for sheets of a sane width only.
            let mut ranges: Vec<(usize, usize)> = Vec::new();
            let gridded = width <= MAX_GRID_COLUMNS;
            emit_cells(
                b,
                header.as_deref(),
                cols.iter().map(|(c, v)| (*c, v)),
                &|_, j| format!("sheet {name}!{}{row}", column_letters(j)),
                format!("sheet {name}!row {row}"),
                &mut |j, r| {
                    if gridded {
                        while ranges.len() < j {
                            ranges.push((r.0, r.0));
                        }
                        ranges.push(r);
                    }
                },
            );
            if gridded {
                b.grid_row(ranges);
            }
        }
        b.end_grid();
    }
    let comment_parts: Vec<String> =
        z.file_names().filter(|n| n.starts_with("xl/comments") && n.ends_with(".xml")).map(str::to_string).collect();
    for name in comment_parts {
        if let Some(bytes) = archive::read_named(z, &name, ctx)? {
            for t in super::office::element_texts_mapped(&bytes, b"text") {
                b.text_block_mapped(&t.in_part(&name), "comments");
            }
        }
    }
    Ok(())
}

/// Rows wider than this many columns are not typed column by column (see `score::columns`):
/// their cells are still scanned, one by one.
const MAX_GRID_COLUMNS: usize = 1024;

/// Returns `A` for 0, `Z` for 25, `AA` for 26.
pub fn column_letters(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Returns the 0-based column of a cell reference (`B7` → 1).
fn column_index(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference.bytes().take_while(u8::is_ascii_alphabetic).collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    Some(letters.iter().fold(0usize, |acc, c| acc * 26 + (c.to_ascii_uppercase() - b'A' + 1) as usize) - 1)
}

fn sheets(workbook: &[u8]) -> Vec<(String, String)> {
    let mut reader = Reader::from_reader(workbook);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"sheet" => {
                let name = attr(&e, b"name").unwrap_or_else(|| format!("Sheet{}", out.len() + 1));
                out.push((name, attr(&e, b"r:id").unwrap_or_default()));
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn relationships(rels: &[u8]) -> Vec<(String, String)> {
    let mut reader = Reader::from_reader(rels);
    let mut out = Vec::new();
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) if e.local_name().as_ref() == b"Relationship" => {
                if let (Some(id), Some(t)) = (attr(&e, b"Id"), attr(&e, b"Target")) {
                    out.push((id, t));
                }
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

fn shared_strings(bytes: &[u8]) -> (Vec<Mapped>, Option<String>) {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    let mut cur = Mapped::new();
    let (mut in_t, mut in_phonetic) = (false, false);
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position() as usize;
        let ev = match read_event(&mut reader, &mut buf) {
            Ok(ev) => ev,
            Err(fault) => return (out, Some(fault)),
        };
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                b"t" => in_t = true,
                b"rPh" => in_phonetic = true,
                _ => {}
            },
            Event::Empty(e) if e.local_name().as_ref() == b"si" => out.push(Mapped::new()),
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_t = false,
                b"rPh" => in_phonetic = false,
                b"si" => out.push(std::mem::take(&mut cur)),
                _ => {}
            },
            Event::Text(t) if in_t && !in_phonetic => push_text(&mut cur, at, &t),
            Event::GeneralRef(r) if in_t && !in_phonetic => {
                push_ref(&mut cur, (at, reader.buffer_position() as usize), &r)
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (out, None)
}

/// Reads the next XML event of a workbook part, or says where the part is malformed.
fn read_event<'b>(reader: &mut Reader<&[u8]>, buf: &'b mut Vec<u8>) -> Result<Event<'b>, String> {
    reader
        .read_event_into(buf)
        .map_err(|e| format!("malformed XML at byte {}: {}", reader.error_position(), xml_error_kind(&e)))
}

type Rows = BTreeMap<u32, BTreeMap<usize, Mapped>>;

fn cells(bytes: &[u8], shared: &[Mapped], part: &str) -> (Rows, Option<String>) {
    let mut reader = Reader::from_reader(bytes);
    reader.config_mut().check_end_names = false;
    let mut rows: Rows = BTreeMap::new();
    let mut row_no = 0u32;
    let mut cell: Option<(usize, String)> = None; // (column, type)
    let mut value = Mapped::new();
    let (mut in_v, mut in_t) = (false, false);
    let mut next_col = 0usize;
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position() as usize;
        let ev = match read_event(&mut reader, &mut buf) {
            Ok(ev) => ev,
            Err(fault) => return (rows, Some(fault)),
        };
        match ev {
            Event::Start(e) => match e.local_name().as_ref() {
                b"row" => {
                    row_no = attr(&e, b"r").and_then(|r| r.parse().ok()).unwrap_or(row_no + 1);
                    next_col = 0;
                }
                b"c" => {
                    let col = attr(&e, b"r").and_then(|r| column_index(&r)).unwrap_or(next_col);
                    next_col = col + 1;
                    cell = Some((col, attr(&e, b"t").unwrap_or_default()));
                    value = Mapped::new();
                }
                b"v" => in_v = true,
                b"t" => in_t = true,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"v" => in_v = false,
                b"t" => in_t = false,
                b"c" => {
                    if let Some((col, kind)) = cell.take() {
                        let v = match kind.as_str() {
                            "s" => value.as_str().trim().parse::<usize>().ok().and_then(|i| shared.get(i)).cloned(),
                            "b" | "e" => None,
                            _ => Some(std::mem::take(&mut value).in_part(part)),
                        };
                        if let Some(v) = v.filter(|v| !v.as_str().trim().is_empty()) {
                            rows.entry(row_no.max(1)).or_default().insert(col, v);
                        }
                    }
                }
                _ => {}
            },
            Event::Text(t) if (in_v || in_t) && cell.is_some() => push_text(&mut value, at, &t),
            Event::GeneralRef(r) if (in_v || in_t) && cell.is_some() => {
                push_ref(&mut value, (at, reader.buffer_position() as usize), &r)
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    (rows, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_round_trip() {
        for (i, s) in [(0, "A"), (1, "B"), (25, "Z"), (26, "AA"), (27, "AB"), (701, "ZZ"), (702, "AAA")] {
            assert_eq!(column_letters(i), s);
            assert_eq!(column_index(&format!("{s}7")), Some(i));
        }
    }
}
