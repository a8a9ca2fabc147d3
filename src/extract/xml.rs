//! XML text: the paragraphs of Office Open XML (Word, PowerPoint) and OpenDocument parts.
//!
//! One walker serves every XML-based office format, because their vocabularies never clash: a
//! paragraph is `w:p`, `a:p`, `text:p` or `text:h`; its text lives in `w:t`, `a:t` or directly
//! in `text:p`/`text:span`; tracked deletions in `w:delText` or under `text:deletion` (drafts
//! leak there, so they are read, not dropped). Paragraphs nest (an ODT comment sits inside the
//! paragraph it annotates, a Word text box inside a run), so open paragraphs form a stack.
//!
//! quick-xml never expands entities declared in a DTD: a billion-laughs document stays inert,
//! and an unknown `&name;` is dropped. Only the five XML entities and character references are
//! resolved.

use crate::text::Mapped;
use quick_xml::events::{BytesRef, BytesStart, BytesText, Event};
use quick_xml::Reader;

/// One paragraph of an XML part, its text mapped to the part's bytes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Para {
    /// The visible text, tracked insertions included.
    pub text: Mapped,
    /// Text of tracked deletions in the paragraph.
    pub deleted: Mapped,
    /// The enclosing numbered container (`comment`, `footnote`, …) and its 1-based number.
    pub container: Option<(&'static str, usize)>,
    /// Table, row and cell numbers (1-based) when the paragraph sits in a table cell.
    pub cell: Option<(usize, usize, usize)>,
}

const PARAGRAPHS: &[&[u8]] = &[b"w:p", b"a:p", b"text:p", b"text:h"];
const TEXT: &[&[u8]] = &[b"w:t", b"a:t", b"text:p", b"text:h", b"text:span", b"text:a", b"w:delText", b"a:fld"];
const TABLES: &[&[u8]] = &[b"w:tbl", b"table:table", b"a:tbl"];
const ROWS: &[&[u8]] = &[b"w:tr", b"table:table-row", b"a:tr"];
const CELLS: &[&[u8]] = &[b"w:tc", b"table:table-cell", b"a:tc"];

/// Returns the name of a numbered container element, if `name` is one.
fn container(name: &[u8]) -> Option<&'static str> {
    Some(match name {
        b"w:comment" | b"office:annotation" | b"p:cm" => "comment",
        b"w:footnote" => "footnote",
        b"w:endnote" => "endnote",
        b"text:note" => "note",
        b"text:changed-region" => "tracked change",
        _ => return None,
    })
}

/// Returns the value of attribute `name` of `e`, unescaped.
pub fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.as_ref() == name).map(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned())
    })
}

/// Returns the text a general reference (`&amp;`, `&#233;`) stands for; custom entities are
/// never expanded.
pub fn resolve_ref(r: &quick_xml::events::BytesRef<'_>) -> Option<String> {
    if r.is_char_ref() {
        return r.resolve_char_ref().ok().flatten().map(String::from);
    }
    let name = r.decode().ok()?;
    quick_xml::escape::resolve_xml_entity(&name).map(str::to_string)
}

/// Appends the text of a text event that starts at byte `at` of its part: verbatim when the
/// content is the raw bytes, else (normalised line ends) as decoded from them.
pub fn push_text(m: &mut Mapped, at: usize, t: &BytesText<'_>) {
    let raw: &[u8] = t;
    let content = t.xml10_content().unwrap_or_default();
    if content.as_bytes() == raw {
        m.push_exact(&content, at);
    } else {
        m.push_decoded(&content, (at, at + raw.len()));
    }
}

/// Appends what a reference (`&amp;`, `&#233;`) spanning `range` of its part stands for.
pub fn push_ref(m: &mut Mapped, range: (usize, usize), r: &BytesRef<'_>) {
    if let Some(s) = resolve_ref(r) {
        m.push_decoded(&s, range);
    }
}

/// Returns the paragraphs of one XML part, in document order of their ends, and, for a
/// malformed part, what is wrong with it (the paragraphs read before the fault are kept).
pub fn paragraphs(xml: &[u8]) -> (Vec<Para>, Option<String>) {
    let mut reader = Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<Vec<u8>> = Vec::new();
    let mut open: Vec<Para> = Vec::new();
    let mut out = Vec::new();
    let mut containers: Vec<(&'static str, usize)> = Vec::new();
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    // (table number, row, cell) for each open table.
    let mut tables: Vec<(usize, usize, usize)> = Vec::new();
    let mut n_tables = 0;
    let mut deleting = 0usize;
    let mut buf = Vec::new();
    let mut fault = None;
    loop {
        let at = reader.buffer_position() as usize;
        let ev = match reader.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                fault = Some(format!("malformed XML at byte {}: {}", reader.error_position(), xml_error_kind(&e)));
                break;
            }
        };
        let after = reader.buffer_position() as usize;
        match ev {
            Event::Start(e) => {
                let name = e.name().as_ref().to_vec();
                start(&name, &mut open, &mut containers, &mut counts, &mut tables, &mut n_tables, &mut deleting);
                stack.push(name);
            }
            Event::Empty(e) => {
                let name = e.name();
                let name = name.as_ref();
                let in_run = stack.last().is_some_and(|p| p == b"w:r");
                let add = match name {
                    b"w:tab" if in_run => "\t",
                    b"w:br" | b"w:cr" if in_run => "\n",
                    b"text:tab" => "\t",
                    b"a:br" | b"text:line-break" => "\n",
                    b"text:s" => " ",
                    _ => "",
                };
                if let Some(p) = open.last_mut().filter(|_| !add.is_empty()) {
                    p.text.push_decoded(add, (at, after));
                }
            }
            Event::End(e) => {
                let name = e.name().as_ref().to_vec();
                if stack.last().is_some_and(|n| *n == name) {
                    stack.pop();
                }
                end(&name, &mut open, &mut out, &mut containers, &mut tables, &mut deleting);
            }
            Event::Text(t) => {
                if let Some(cur) = stack.last().filter(|n| TEXT.contains(&n.as_slice())) {
                    add(&mut open, cur, deleting > 0, |m| push_text(m, at, &t));
                }
            }
            Event::CData(t) => {
                if let Some(cur) = stack.last().filter(|n| TEXT.contains(&n.as_slice())) {
                    let s = String::from_utf8_lossy(&t).into_owned();
                    // `<![CDATA[` is 9 bytes: the content follows it verbatim.
                    add(&mut open, cur, deleting > 0, |m| m.push_exact(&s, at + 9));
                }
            }
            Event::GeneralRef(r) => {
                if let Some(cur) = stack.last().filter(|n| TEXT.contains(&n.as_slice())) {
                    add(&mut open, cur, deleting > 0, |m| push_ref(m, (at, after), &r));
                }
            }
            Event::Eof => {
                // A part cut off inside an element (inside text, often) parses without an error:
                // the elements still open say it was truncated.
                if let Some(name) = stack.last() {
                    fault = Some(format!(
                        "truncated XML: the part ends inside <{}> with {} element(s) open",
                        String::from_utf8_lossy(name),
                        stack.len()
                    ));
                }
                break;
            }
            _ => {}
        }
        buf.clear();
    }
    // A truncated part still yields what it had.
    while let Some(p) = open.pop() {
        if !p.text.as_str().trim().is_empty() || !p.deleted.as_str().trim().is_empty() {
            out.push(p);
        }
    }
    (out, fault)
}

/// Adds text to the innermost open paragraph: to its deletions inside a tracked deletion.
fn add(open: &mut [Para], element: &[u8], deleting: bool, f: impl FnOnce(&mut Mapped)) {
    if let Some(p) = open.last_mut() {
        if element == b"w:delText" || deleting {
            f(&mut p.deleted);
        } else {
            f(&mut p.text);
        }
    }
}

fn start(
    name: &[u8],
    open: &mut Vec<Para>,
    containers: &mut Vec<(&'static str, usize)>,
    counts: &mut Vec<(&'static str, usize)>,
    tables: &mut Vec<(usize, usize, usize)>,
    n_tables: &mut usize,
    deleting: &mut usize,
) {
    if PARAGRAPHS.contains(&name) {
        open.push(Para {
            container: containers.last().copied(),
            cell: tables.last().copied().filter(|t| t.1 > 0 && t.2 > 0),
            ..Para::default()
        });
    } else if let Some(c) = container(name) {
        let n = match counts.iter_mut().find(|(k, _)| *k == c) {
            Some(entry) => {
                entry.1 += 1;
                entry.1
            }
            None => {
                counts.push((c, 1));
                1
            }
        };
        containers.push((c, n));
    } else if TABLES.contains(&name) {
        *n_tables += 1;
        tables.push((*n_tables, 0, 0));
    } else if ROWS.contains(&name) {
        if let Some(t) = tables.last_mut() {
            t.1 += 1;
            t.2 = 0;
        }
    } else if CELLS.contains(&name) {
        if let Some(t) = tables.last_mut() {
            t.2 += 1;
        }
    } else if name == b"text:deletion" {
        *deleting += 1;
    }
}

fn end(
    name: &[u8],
    open: &mut Vec<Para>,
    out: &mut Vec<Para>,
    containers: &mut Vec<(&'static str, usize)>,
    tables: &mut Vec<(usize, usize, usize)>,
    deleting: &mut usize,
) {
    if PARAGRAPHS.contains(&name) {
        if let Some(p) = open.pop() {
            if !p.text.as_str().trim().is_empty() || !p.deleted.as_str().trim().is_empty() {
                out.push(p);
            }
        }
    } else if container(name).is_some() {
        containers.pop();
    } else if TABLES.contains(&name) {
        tables.pop();
    } else if name == b"text:deletion" {
        *deleting = deleting.saturating_sub(1);
    }
}

/// Returns a description of a quick-xml error that cannot quote document content.
pub fn xml_error_kind(e: &quick_xml::Error) -> &'static str {
    match e {
        quick_xml::Error::Io(_) => "read error",
        quick_xml::Error::Syntax(_) => "syntax error",
        quick_xml::Error::IllFormed(_) => "ill-formed document",
        quick_xml::Error::InvalidAttr(_) => "invalid attribute",
        quick_xml::Error::Encoding(_) => "invalid encoding",
        quick_xml::Error::Escape(_) => "invalid escape",
        quick_xml::Error::Namespace(_) => "namespace error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_paragraphs_insertions_deletions_and_tables() {
        let xml = br#"<w:document><w:body>
            <w:p><w:pPr><w:tabs><w:tab w:val="left"/></w:tabs></w:pPr><w:r><w:t>Hello</w:t><w:tab/><w:t xml:space="preserve">world &amp; you</w:t></w:r>
              <w:ins><w:r><w:t> again</w:t></w:r></w:ins><w:del><w:r><w:delText>secret</w:delText></w:r></w:del></w:p>
            <w:tbl><w:tr><w:tc><w:p><w:r><w:t>A1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>B1</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
        </w:body></w:document>"#;
        let (ps, fault) = paragraphs(xml);
        assert_eq!(fault, None);
        assert_eq!(ps[0].text.as_str(), "Hello\tworld & you again");
        assert_eq!(ps[0].deleted.as_str(), "secret");
        assert_eq!(ps[1].cell, Some((1, 1, 1)));
        assert_eq!(ps[2].text.as_str(), "B1");
        assert_eq!(ps[2].cell, Some((1, 1, 2)));
        // Every piece of text maps back to the part's bytes.
        let mut m = crate::text::SourceMap::new();
        ps[0].text.each_piece(|t, s, e| m.push(t, None, s, e));
        let hello = m.locate(0, 5).unwrap();
        assert_eq!(&xml[hello.start..hello.end], b"Hello");
        let amp = m.locate(12, 13).unwrap();
        assert_eq!(&xml[amp.start..amp.end], b"&amp;");
    }

    #[test]
    fn a_malformed_part_keeps_what_came_before() {
        let (ps, fault) =
            paragraphs(br#"<w:document><w:body><w:p><w:r><w:t>kept</w:t></w:r></w:p><w:p><w:r><w:t>cut of"#);
        assert!(fault.unwrap().starts_with("truncated XML"), "cut inside text");
        assert_eq!(ps.len(), 2);
        let (ps, fault) = paragraphs(br#"<w:p><w:r><w:t>kept</w:t></w:r></w:p><w:p><w:r><w:t x="1"#);
        assert_eq!(ps[0].text.as_str(), "kept");
        assert!(fault.unwrap().starts_with("malformed XML at byte"));
    }

    #[test]
    fn custom_entities_are_never_expanded() {
        let xml = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>
            <w:document><w:p><w:r><w:t>a&lol2;b&#233;</w:t></w:r></w:p></w:document>"#;
        let (ps, fault) = paragraphs(xml);
        assert_eq!(fault, None);
        assert_eq!(ps[0].text.as_str(), "ab\u{e9}");
    }

    #[test]
    fn odt_comments_nest_inside_paragraphs() {
        let xml = br#"<office:text><text:p>Before <office:annotation><dc:creator>x</dc:creator><text:p>note</text:p></office:annotation>after<text:s/>end</text:p></office:text>"#;
        let (ps, fault) = paragraphs(xml);
        assert_eq!(fault, None);
        assert_eq!(ps[0].text.as_str(), "note");
        assert_eq!(ps[0].container, Some(("comment", 1)));
        assert_eq!(ps[1].text.as_str(), "Before after end");
        assert_eq!(ps[1].container, None);
    }
}
