//! Office documents: Word, PowerPoint and OpenDocument drafts, and Excel workbooks via [`xlsx`].
//!
//! Comms teams draft in Word. Everything a reviewer might not see is read too: comments,
//! headers and footers, footnotes and endnotes, speaker notes, document properties, and tracked
//! changes, deletions included (a deleted sentence is still in the file that gets sent). Each
//! paragraph is located (`paragraph 12`, `table 1 row 2 cell 3`, `comment 2`, `slide 3 notes`)
//! and separated from the next by a blank line, so breach linking works per paragraph and per
//! table row. Parts are read through [`archive::read_named`], under the input's limits.
//!
//! [`xlsx`]: super::xlsx

use super::archive::{self, Zip};
use super::xml::{self, Para};
use super::{Builder, Ctx, Document, Kind, Problem};

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

/// Emits paragraphs: text, then its tracked deletions, each a paragraph of the text.
fn emit(b: &mut Builder, paras: &[Para], place: &dyn Fn(&Para, usize) -> String) {
    let mut n = 0;
    let mut last_row = None;
    for p in paras {
        let row = p.cell.map(|(t, r, _)| (t, r));
        if row.is_none() || row != last_row {
            b.paragraph_break();
        }
        last_row = row;
        n += 1;
        let loc = place(p, n);
        b.text_block(&p.text, loc.clone());
        b.text_block(&p.deleted, format!("{loc} (tracked deletion)"));
    }
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
    emit(b, &body, &body_place);
    for name in ["word/comments.xml", "word/footnotes.xml", "word/endnotes.xml"] {
        if let Some(paras) = part(z, name, ctx, b)? {
            emit(b, &paras, &body_place);
        }
    }
    for prefix in ["word/header", "word/footer"] {
        for name in members(z, prefix) {
            if let Some(paras) = part(z, &name, ctx, b)? {
                let what = if prefix.ends_with("header") { "header" } else { "footer" };
                emit(b, &paras, &|_, _| what.to_string());
            }
        }
    }
    properties(z, ctx, b)
}

fn pptx(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    for name in members(z, "ppt/slides/slide") {
        let n = number_in(&name).unwrap_or(0);
        if let Some(paras) = part(z, &name, ctx, b)? {
            emit(b, &paras, &|p, _| match p.cell {
                Some((t, r, c)) => format!("slide {n} table {t} row {r} cell {c}"),
                None => format!("slide {n}"),
            });
        }
    }
    for name in members(z, "ppt/notesSlides/notesSlide") {
        let slide = notes_slide_number(z, &name, ctx).or_else(|| number_in(&name)).unwrap_or(0);
        if let Some(paras) = part(z, &name, ctx, b)? {
            emit(b, &paras, &|_, _| format!("slide {slide} notes"));
        }
    }
    for name in members(z, "ppt/comments/") {
        if let Some(paras) = part(z, &name, ctx, b)? {
            emit(b, &paras, &|_, k| format!("comment {k}"));
        }
        // Legacy comments keep their text in `p:text`, outside any paragraph.
        if let Some(bytes) = archive::read_named(z, &name, ctx)? {
            for (k, t) in element_texts(&bytes, b"p:text").iter().enumerate() {
                b.text_block(t, format!("comment {}", k + 1));
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
    emit(b, &body, &body_place);
    if let Some(styles) = part(z, "styles.xml", ctx, b)? {
        emit(b, &styles, &|_, _| "header/footer".to_string());
    }
    properties(z, ctx, b)
}

/// Emits the title, subject, description and keywords of the document's properties.
fn properties(z: &mut Zip<'_>, ctx: &mut Ctx, b: &mut Builder) -> Result<(), Problem> {
    for name in ["docProps/core.xml", "meta.xml"] {
        if let Some(bytes) = archive::read_named(z, name, ctx)? {
            for tag in [&b"dc:title"[..], b"dc:subject", b"dc:description", b"cp:keywords", b"meta:keyword"] {
                for t in element_texts(&bytes, tag) {
                    b.text_block(&t, "properties");
                }
            }
        }
    }
    b.paragraph_break();
    Ok(())
}

/// Returns the text content of every `tag` element (nested text included).
pub fn element_texts(xml_bytes: &[u8], tag: &[u8]) -> Vec<String> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml_bytes);
    reader.config_mut().check_end_names = false;
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut cur = String::new();
    let mut buf = Vec::new();
    loop {
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
            Ok(Event::Text(t)) if depth > 0 => cur.push_str(&t.xml10_content().unwrap_or_default()),
            Ok(Event::GeneralRef(r)) if depth > 0 => cur.push_str(&xml::resolve_ref(&r).unwrap_or_default()),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        buf.clear();
    }
    out
}
