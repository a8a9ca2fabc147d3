//! HTML: what a reader of the page sees, plus the text hidden in attributes.
//!
//! A small tolerant tokenizer rather than an XML parser, because published HTML is rarely
//! well-formed (`<br>`, unquoted attributes, stray `<`). Visible text is kept with whitespace
//! collapsed; `<script>`, `<style>` and `<template>` bodies and comments are skipped; entities
//! are decoded. Tags never glue two words together: block tags end a line (and paragraphs and
//! table rows a paragraph, so breach linking sees the page's own structure), table cells are
//! separated by a tab, inline tags add nothing. `alt`, `title`, `aria-label` and `placeholder`
//! attributes and `<meta content>` are emitted on their own lines: an image's alt text is where
//! a patient's name hides. Locations are source lines (`line 40`).

use super::{Builder, Document};

/// Extracts the text of an HTML page.
pub fn extract(html: &[u8]) -> Document {
    let src = String::from_utf8_lossy(html);
    let mut p = Page { b: Builder::new(), line: String::new(), line_at: 1, pending_space: false };
    let bytes = src.as_bytes();
    let mut i = 0;
    let mut line_no = 1usize;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &src[i..];
        let (mut end, tag) = if rest.starts_with("<!--") {
            (rest.find("-->").map_or(bytes.len(), |e| i + e + 3), None)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            (rest.find('>').map_or(bytes.len(), |e| i + e + 1), None)
        } else if let Some(tag) = parse_tag(rest) {
            (i + tag.len, Some(tag))
        } else {
            // A stray `<` is text.
            i += 1;
            continue;
        };
        // Flush the text before this tag.
        p.text(&src[text_start..i], line_no);
        line_no += count_lines(&bytes[text_start..i]);
        if let Some(tag) = tag {
            p.tag(&tag, line_no);
            if !tag.closing && matches!(tag.name.as_str(), "script" | "style" | "template" | "svg") {
                let close = format!("</{}", tag.name);
                end = find_ci(&src[end..], &close).map_or(bytes.len(), |e| {
                    let from = end + e;
                    src[from..].find('>').map_or(bytes.len(), |g| from + g + 1)
                });
            }
        }
        line_no += count_lines(&bytes[i..end]);
        i = end;
        text_start = end;
    }
    p.text(&src[text_start.min(src.len())..], line_no);
    p.flush();
    p.b.finish()
}

struct Page {
    b: Builder,
    line: String,
    line_at: usize,
    pending_space: bool,
}

impl Page {
    fn text(&mut self, raw: &str, mut line_no: usize) {
        if raw.is_empty() {
            return;
        }
        let decoded = decode_entities(raw);
        for c in decoded.chars() {
            if c.is_whitespace() {
                if c == '\n' {
                    line_no += 1;
                }
                self.pending_space = !self.line.is_empty();
                continue;
            }
            if self.line.is_empty() {
                self.line_at = line_no;
            } else if self.pending_space {
                self.line.push(' ');
            }
            self.pending_space = false;
            self.line.push(c);
        }
    }

    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        self.pending_space = false;
        self.b.text_block(&line, format!("line {}", self.line_at));
    }

    fn tag(&mut self, tag: &Tag, line_no: usize) {
        let name = tag.name.as_str();
        if is_paragraph(name) {
            self.flush();
            self.b.paragraph_break();
        } else if is_block(name) {
            self.flush();
        } else if matches!(name, "td" | "th") && !tag.closing {
            if !self.line.is_empty() {
                self.line.push('\t');
            }
            self.pending_space = false;
        }
        if tag.closing {
            return;
        }
        let attrs: Vec<&(String, String)> = tag
            .attrs
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "alt" | "title" | "aria-label" | "placeholder"))
            .collect();
        let meta = if name == "meta" { tag.attrs.iter().find(|(k, _)| k == "content") } else { None };
        if attrs.is_empty() && meta.is_none() {
            return;
        }
        // Attribute text goes on its own lines, after the text so far, in the same paragraph.
        let saved = std::mem::take(&mut self.line);
        let saved_at = self.line_at;
        for (k, v) in attrs.into_iter().chain(meta) {
            let v = decode_entities(v);
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            self.b.text_block(&v, format!("line {line_no} ({k})"));
        }
        self.line = saved;
        self.line_at = saved_at;
    }
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<(String, String)>,
    len: usize,
}

/// Parses a tag at the start of `s` (which starts with `<`); `None` when it is not one.
fn parse_tag(s: &str) -> Option<Tag> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    if i == name_start || !b[name_start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[name_start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some(Tag { name, closing, attrs, len: i + 1 });
        }
        let k_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = s[k_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                let v_end = b[v_start..].iter().position(|c| *c == q).map_or(b.len(), |p| v_start + p);
                value = s[v_start..v_end].to_string();
                i = (v_end + 1).min(b.len());
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = s[v_start..i].to_string();
            }
        }
        if key.is_empty() {
            i += 1;
        } else {
            attrs.push((key, value));
        }
    }
}

fn is_paragraph(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "li"
            | "tr"
            | "table"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "blockquote"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "ul"
            | "ol"
            | "dl"
            | "figure"
            | "form"
            | "fieldset"
            | "hr"
            | "pre"
            | "address"
            | "title"
            | "body"
            | "head"
    )
}

fn is_block(name: &str) -> bool {
    matches!(name, "br" | "dt" | "dd" | "figcaption" | "caption" | "option" | "legend" | "label" | "button")
}

fn count_lines(b: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', b).count()
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    hay.as_bytes().windows(n).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Decodes character references: numeric ones and the named entities published text uses.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        let semi = rest[1..].find(';').map(|p| p + 1).filter(|&p| p <= 33);
        let decoded = semi.and_then(|p| entity(&rest[1..p]).map(|c| (c, p + 1)));
        match decoded {
            Some((c, len)) => {
                out.push_str(&c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(|c| if c == '\0' { ' ' } else { c }).map(String::from);
    }
    let c = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        "nbsp" | "ensp" | "emsp" | "thinsp" => " ",
        "shy" | "zwnj" | "zwj" => "",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "mdash" => "—",
        "ndash" => "–",
        "hellip" => "…",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "laquo" => "«",
        "raquo" => "»",
        "bull" | "middot" => "·",
        "deg" => "°",
        "frac12" => "½",
        "times" => "×",
        "sect" => "§",
        "para" => "¶",
        "eacute" => "é",
        "egrave" => "è",
        "ecirc" => "ê",
        "euml" => "ë",
        "aacute" => "á",
        "agrave" => "à",
        "acirc" => "â",
        "auml" => "ä",
        "aring" => "å",
        "atilde" => "ã",
        "iacute" => "í",
        "iuml" => "ï",
        "oacute" => "ó",
        "ouml" => "ö",
        "oslash" => "ø",
        "uacute" => "ú",
        "uuml" => "ü",
        "ntilde" => "ñ",
        "ccedil" => "ç",
        "szlig" => "ß",
        "Eacute" => "É",
        "Aacute" => "Á",
        "Oacute" => "Ó",
        "Uuml" => "Ü",
        "Ouml" => "Ö",
        "Auml" => "Ä",
        "Ntilde" => "Ñ",
        "Ccedil" => "Ç",
        _ => return None,
    };
    Some(c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(html: &str) -> String {
        String::from_utf8(extract(html.as_bytes()).text).unwrap()
    }

    #[test]
    fn visible_text_attributes_and_entities() {
        let t = text(
            "<html><head><title>Story</title><meta name=\"description\" content=\"About Delphine\">\
             <style>p{color:red}</style><script>var ssn = '536-22-8727';</script></head>\
             <body><p>Caf&eacute; &amp; <b>friends</b>&nbsp;today</p><img src=x.png alt='Delphine at chemo'></body></html>",
        );
        assert!(t.contains("Story"), "{t}");
        assert!(t.contains("About Delphine\n"), "{t}");
        assert!(t.contains("Café & friends today"), "{t}");
        assert!(t.contains("Delphine at chemo"), "{t}");
        assert!(!t.contains("536-22-8727") && !t.contains("color"), "{t}");
    }

    #[test]
    fn tags_never_merge_words() {
        let t = text("<div>one</div><div>two</div><p>three<br>four</p><table><tr><td>a</td><td>b</td></tr></table>");
        assert_eq!(t, "one\n\ntwo\n\nthree\nfour\n\na\tb\n\n");
        assert_eq!(text("John <i>Q</i> Smith"), "John Q Smith\n");
    }

    #[test]
    fn locations_are_source_lines() {
        let d = extract(b"<p>\nfirst</p>\n<!-- c\n-->\n<p>second</p>");
        let locs: Vec<&str> = d.segments.iter().map(|s| s.location.as_str()).collect();
        assert_eq!(locs, vec!["line 2", "line 5"]);
        let t = text("a < b and <3 and x<y");
        assert_eq!(t, "a < b and <3 and x<y\n");
    }
}
