//! Office documents: Word, PowerPoint and OpenDocument drafts, and Excel workbooks via [`xlsx`].
//!
//! Comms teams draft in Word. Everything a reviewer might not see is read too: comments,
//! headers and footers, footnotes and endnotes, speaker notes, document properties, and tracked
//! changes, deletions included (a deleted sentence is still in the file that gets sent). Each
//! paragraph is located (`paragraph 12`, `comment 2`, `slide 3 notes`) and separated from the
//! next by a blank line, so breach linking works per paragraph. Tables are read like a CSV
//! export: a first row that reads as column names is a header (a label, never a finding) whose
//! names classify the cells below, each row is a linking unit (`table 1 row 2`), and a table
//! without a header is typed by its contents. Every piece of text keeps its range in its part
//! (`word/document.xml`). Parts are read through [`archive::read_named`], under the input's
//! limits.
//!
//! [`xlsx`]: super::xlsx

use super::archive::{self, Zip};
use super::table::{emit_row, looks_like_header};
use super::xml::{self, Para};
use super::{Builder, Ctx, Document, Kind, Problem};
use crate::text::Mapped;

/// Extracts a DOCX, PPTX, XLSX or ODT file.
pub fn extract(kind: Kind, bytes: &[u8], ctx: &mut Ctx) -> Result<Document, Problem> {
    let mut z = archive::open(bytes).map_err(|p| match p {
        Problem::Error(_) if !bytes.starts_with(b"PK") => {
            Problem::Error(format!("not a valid {} file (not a zip package)", kind.as_str().to_uppercase()))
        }
        p => p,
    })?;
    let mut b = Builder::new();
    match kind {
        Kind::Docx => docx(&mut z, ctx, &mut b)?,
        Kind::Pptx => pptx(&mut z, ctx, &mut b)?,
        Kind::Xlsx => super::xlsx::extract(&mut z, ctx, &mut b)?,
        _ => odt(&mut z, ctx, &mut b)?,
    }
    Ok(b.finish())
}

fn part(z: &mut Zip<'_>, name: &str, ctx: &mut Ctx, b: &mut Builder) -> Result<Option<Vec<Para>>, Problem> {
    match archive::read_named(z, name, ctx)? {
        None => Ok(None),
        Some(bytes) => {
            b.set_part(Some(name));
            let (paras, fault) = xml::paragraphs(&bytes);
            if let Some(f) = fault {
                b.fault(format!("part {name}: {f}"));
            }
            Ok(Some(paras))
        }
    }
}

/// Returns the members whose names start with `prefix` and end with `.xml`, in natural order
/// (`slide2` before `slide10`).
fn members(z: &Zip<'_>, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> =
        z.file_names().filter(|n| n.starts_with(prefix) && n.ends_with(".xml")).map(str::to_string).collect();
    v.sort_by_key(|n| (number_in(n).unwrap_or(0), n.clone()));
    v
}

fn number_in(name: &str) -> Option<usize> {
    let stem = name.rsplit('/').next()?.trim_end_matches(".xml");
    let digits: String = stem.chars().rev().take_while(char::is_ascii_digit).collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// Emits paragraphs: text, then its tracked deletions, each a paragraph of the text; the
/// paragraphs of a table are emitted as that table (see [`emit_table`]), located under
/// `prefix` (`slide 3 `).
fn emit(b: &mut Builder, paras: &[Para], place: &dyn Fn(&Para, usize) -> String, prefix: &str) {
    let mut n = 0;
    let mut i = 0;
    while i < paras.len() {
        if let Some((t, _, _)) = paras[i].cell.filter(|_| paras[i].container.is_none()) {
            let len =
                paras[i..].iter().take_while(|p| p.container.is_none() && p.cell.is_some_and(|c| c.0 == t)).count();
            n += len;
            emit_table(b, &paras[i..i + len], prefix);
            i += len;
            continue;
        }
        let p = &paras[i];
        n += 1;
        b.paragraph_break();
        let loc = place(p, n);
        b.text_block_mapped(&p.text, loc.clone());
        b.text_block_mapped(&p.deleted, format!("{loc} (tracked deletion)"));
        i += 1;
    }
    b.paragraph_break();
}

/// Emits one table like a CSV export: a header row of column names (a label) when the first
/// row reads as one, then each row as a linking unit with its cells fielded by their column.
fn emit_table(b: &mut Builder, paras: &[Para], prefix: &str) {
    let Some((t, _, _)) = paras.first().and_then(|p| p.cell) else { return };
    // Rows in order, each a list of (column, text, deleted text).
    type Cell = (usize, Mapped, Mapped);
    let mut rows: Vec<(usize, Vec<Cell>)> = Vec::new();
    for p in paras {
        let Some((_, r, c)) = p.cell else { continue };
        if rows.last().map(|x| x.0) != Some(r) {
            rows.push((r, Vec::new()));
        }
        let Some((_, row)) = rows.last_mut() else { continue };
        match row.last_mut() {
            Some(cell) if cell.0 == c => {
                cell.1.push_unmapped("\n");
                cell.1.append(&p.text);
                cell.2.append(&p.deleted);
            }
            _ => row.push((c, p.text.clone(), p.deleted.clone())),
        }
    }
    let dense = |row: &[Cell]| -> Vec<Mapped> {
        let width = row.iter().map(|c| c.0).max().unwrap_or(0);
        let mut out = vec![Mapped::new(); width];
        for (c, text, _) in row {
            out[c - 1] = text.clone();
        }
        out
    };
    b.paragraph_break();
    let mut header: Option<Vec<String>> = None;
    for (k, (r, row)) in rows.iter().enumerate() {
        let cells = dense(row);
        let plain: Vec<String> = cells.iter().map(|c| c.as_str().to_string()).collect();
        if k == 0 {
            if rows.len() > 1 && looks_like_header(&plain) {
                b.start_unit();
                b.header_row(&cells, format!("{prefix}table {t} row {r}"));
                b.end_unit("row", format!("{prefix}table {t} row {r}"));
                b.start_grid(plain.iter().map(|h| !h.trim().is_empty()).collect());
                header = Some(plain);
                continue;
            }
            b.start_grid(Vec::new());
        }
        let ranges = emit_row(
            b,
            header.as_deref(),
            &cells,
            &|_, j| format!("{prefix}table {t} row {r} cell {}", j + 1),
            format!("{prefix}table {t} row {r}"),
        );
        b.grid_row(ranges);
        for (c, _, deleted) in row {
            b.text_block_mapped(deleted, format!("{prefix}table {t} row {r} cell {c} (tracked deletion)"));
        }
    }
    b.end_grid();
    b.paragraph_break();
}

fn body_place(p: &Para, n: usize) -> String {
    match (p.container, p.cell) {
        (Some((c, k)), _) => format!("{c} {k}"),
        (None, Some((t, r, c))) => format!("table {t} row {r} cell {c}"),
        (None, None) => format!("paragraph {n}"),
    }
}

fn docx(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    let body = part(z, "word/document.xml", ctx, b)?
        .ok_or_else(|| Problem::Error("not a valid DOCX file (no word/document.xml)".into()))?;
    emit(b, &body, &body_place, "");
    for name in ["word/comments.xml", "word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(paras) = part(z, name, ctx, b)? {
            emit(b, &paras, &body_place, "");
        }
    }
    for prefix in ["word/header", "word/footer"] {
        for name in members(z, prefix) {
            if let Some(paras) = part(z, &name, ctx, b)? {
                let what = if prefix.ends_with("header") { "header" } else { "footer" };
                emit(b, &paras, &|_, _| what.to_string(), &format!("{what} "));
            }
        }
    }
    properties(z, ctx, b)
}

fn pptx(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    for name in members(z, "ppt/slides/slide") {
        let n = number_in(&name).unwrap_or(0);
        if let Some(paras) = part(z, &name, ctx, b)? {
            emit(b, &paras, &|_, _| format!("slide {n}"), &format!("slide {n} "));
        }
    }
    for name in members(z, "ppt/notesSlides/notesSlide") {
        let slide = notes_slide_number(z, &name, ctx).or_else(|| number_in(&name)).unwrap_or(0);
        if let Some(paras) = part(z, &name, ctx, b)? {
            emit(b, &paras, &|_, _| format!("slide {slide} notes"), &format!("slide {slide} notes "));
        }
    }
    for name in members(z, "ppt/comments/") {
        if let Some(paras) = part(z, &name, ctx, b)? {
            emit(b, &paras, &|_, k| format!("comment {k}"), "comment ");
        }
        // Legacy comments keep their text in `p:text`, outside any paragraph.
        if let Some(bytes) = archive::read_named(z, &name, ctx)? {
            for (k, t) in element_texts_mapped(&bytes, b"p:text").iter().enumerate() {
                b.text_block_mapped(&t.clone().in_part(&name), format!("comment {}", k + 1));
            }
        }
    }
    properties(z, ctx, b)
}

/// Returns the slide a notes slide belongs to, from its relationships.
fn notes_slide_number(z: &mut Zip<'_>, name: &str, ctx: &mut Ctx) -> Option<usize> {
    let file = name.rsplit('/').next()?;
    let rels = format!("ppt/notesSlides/_rels/{file}.rels");
    let bytes = archive::read_named(z, &rels, ctx).ok()??;
    let s = String::from_utf8_lossy(&bytes);
    let at = s.find("slides/slide")? + "slides/slide".len();
    s[at..].chars().take_while(char::is_ascii_digit).collect::<String>().parse().ok()
}

fn odt(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    if z.index_for_name("META-INF/manifest.xml").is_some() {
        let manifest = archive::read_named(z, "META-INF/manifest.xml", ctx)?.unwrap_or_default();
        if String::from_utf8_lossy(&manifest).contains("encryption-data") {
            return Err(Problem::Skip("encrypted (password-protected) document".into()));
        }
    }
    let body = part(z, "content.xml", ctx, b)?
        .ok_or_else(|| Problem::Error("not a valid OpenDocument file (no content.xml)".into()))?;
    emit(b, &body, &body_place, "");
    if let Some(styles) = part(z, "styles.xml", ctx, b)? {
        emit(b, &styles, &|_, _| "header/footer".to_string(), "header/footer ");
    }
    properties(z, ctx, b)
}

/// Emits the title, subject, description and keywords of the document's properties, mapped
/// to their part so that redaction can cut them.
fn properties(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    for name in ["docProps/core.xml", "meta.xml"] {
        if let Some(bytes) = archive::read_named(z, name, ctx)? {
            for tag in [&b"dc:title"[..], b"dc:subject", b"dc:description", b"cp:keywords", b"meta:keyword"] {
                for t in element_texts_mapped(&bytes, tag) {
                    b.text_block_mapped(&t.in_part(name), "properties");
                }
            }
        }
    }
    b.paragraph_break();
    Ok(())
}

/// Returns the text content of every `tag` element (nested text included).
pub fn element_texts(xml_bytes: &[u8], tag: &[u8]) -> Vec<String> {
    element_texts_mapped(xml_bytes, tag).iter().map(|m| m.as_str().to_string()).collect()
}

/// Returns the text content of every `tag` element (nested text included), each mapped to
/// its bytes in `xml_bytes`.
pub fn element_texts_mapped(xml_bytes: &[u8], tag: &[u8]) -> Vec<Mapped> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml_bytes);
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = Mapped::new();
    let mut buf = Vec::new();
    loop {
        let at = reader.buffer_position() as usize;
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name().as_ref() == tag => {
                depth += 1;
            }
            Ok(Event::End(e)) if e.name().as_ref() == tag && depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    out.push(std::mem::take(&mut cur));
                }
            }
            Ok(Event::Text(t)) if depth > 0 => xml::push_text(&mut cur, at, &t),
            Ok(Event::GeneralRef(r)) if depth > 0 => {
                xml::push_ref(&mut cur, (at, reader.buffer_position() as usize), &r)
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}
