//! HTML: what a reader of the page sees, what its source publishes, and tables read like CSV.
//!
//! A small tolerant tokenizer on bytes rather than an XML parser, because published HTML is
//! rarely well-formed (`<br>`, unquoted attributes, stray `<`), and because every character of
//! the extracted text must keep the byte range it came from: text runs are copied verbatim,
//! entities (`&eacute;`) and collapsed whitespace map to the bytes they stand for. (`html5gum`,
//! a WHATWG tokenizer, was considered: it returns decoded strings per token, so the per-entity
//! map would still have to be rebuilt from raw spans, for a dependency the page model here does
//! not need.)
//!
//! Visible text is kept with whitespace collapsed (inside `<pre>` each line stays a line); tags
//! never glue two words together: block tags end a line (and paragraphs a paragraph, so breach
//! linking sees the page's own structure), inline tags add nothing. What the page publishes
//! without showing is read too: `alt`, `title`, `aria-label` and `placeholder` attributes and
//! `<meta content>` (an image's alt text is where a patient's name hides), comments (anyone can
//! view the source), and `<script type="application/ld+json">` structured data, read as JSON
//! with its keys as fields. Other scripts and styles are code, not text. Tables are read like
//! a CSV export: a first row of `<th>` cells (or one that reads as column names) is a header
//! whose names classify the cells below and is never reported itself, each row is a linking
//! unit. Locations are source lines (`line 40`, `line 6 (alt)`, `line 3 (comment)`) and table
//! cells (`table 1 row 2 cell 3`).
//!
//! Complexity: linear in the page. Each byte is tokenized once; a failed tag (unclosed to the
//! end of the page) costs at most what is left of the page and such failures are budgeted
//! (a few times the page's length in all), character references are looked up within 34 bytes.

use super::json::{self, Sink, Value};
use super::table::{emit_row, looks_like_header};
use super::{humanize, Builder, Document};
use crate::text::{LineTable, Mapped};

/// Extracts the text of an HTML page.
pub fn extract(html: &[u8]) -> Document {
    let t = html;
    let mut p = Page {
        t,
        lines: LineTable::new(t),
        b: Builder::new(),
        line: Mapped::new(),
        line_at: 0,
        pending: None,
        pre: 0,
        tables: Vec::new(),
        n_tables: 0,
    };
    let mut i = 0;
    let mut text_start = 0;
    let (mut wasted, mut no_more_tags) = (0usize, false);
    while let Some(lt) = memchr::memchr(b'<', &t[i..]) {
        let at = i + lt;
        let rest = &t[at..];
        if rest.starts_with(b"<!--") {
            p.text(text_start, at);
            let (content_end, end) = match memchr::memmem::find(&rest[4..], b"-->") {
                Some(e) => (at + 4 + e, at + 4 + e + 3),
                None => (t.len(), t.len()),
            };
            p.comment(at + 4, content_end);
            i = end;
            text_start = end;
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            p.text(text_start, at);
            let end = memchr::memchr(b'>', rest).map_or(t.len(), |e| at + e + 1);
            i = end;
            text_start = end;
            continue;
        }
        let tag = if no_more_tags { None } else { parse_tag(t, at) };
        let Some(tag) = tag else {
            // A stray `<` is text. A tag left open to the end of the page is retried from the
            // next `<` (what follows may be a real tag), but the bytes such failed attempts read
            // are counted: past a few times the page's length, or when no `>` is left at all, no
            // later `<` can start a tag and the rest is text. Without that bound an unclosed
            // tag followed by many `<a ` was quadratic.
            let name = if t.get(at + 1) == Some(&b'/') { at + 2 } else { at + 1 };
            // With a name, the only way a tag fails is to run to the end of the page.
            if !no_more_tags && t.get(name).is_some_and(u8::is_ascii_alphabetic) {
                let reached = memchr::memchr(b'>', &t[at..]).map_or(t.len(), |g| at + g + 1);
                wasted += t.len() - at;
                if reached == t.len() || wasted > 4 * t.len() + (1 << 20) {
                    no_more_tags = true;
                }
            }
            i = at + 1;
            continue;
        };
        p.text(text_start, at);
        p.tag(&tag);
        let mut end = tag.end;
        if !tag.closing && matches!(tag.name.as_str(), "script" | "style" | "template" | "svg") {
            let close = format!("</{}", tag.name);
            let content_end = find_ci(&t[end..], close.as_bytes()).map_or(t.len(), |e| end + e);
            if tag.name == "script" && is_json_script(t, &tag) {
                p.json(end, content_end);
            }
            end = memchr::memchr(b'>', &t[content_end..]).map_or(t.len(), |g| content_end + g + 1);
        }
        i = end;
        text_start = end;
    }
    p.text(text_start, t.len());
    while let Some(table) = p.tables.pop() {
        p.emit_table(table);
    }
    p.flush();
    p.b.finish()
}

/// Whether a `<script>` holds JSON data (JSON-LD structured data, an embedded payload).
fn is_json_script(t: &[u8], tag: &Tag) -> bool {
    tag.attrs.iter().any(|a| {
        a.key == "type" && {
            let v = String::from_utf8_lossy(&t[a.start..a.end]).to_ascii_lowercase();
            v.contains("json")
        }
    })
}

/// A table being read: its number, finished rows, and the row and cell being read.
struct Table {
    n: usize,
    rows: Vec<Vec<(Mapped, bool)>>,
    row: Option<Vec<(Mapped, bool)>>,
    cell: Option<(Mapped, bool)>,
}

impl Table {
    fn close_cell(&mut self) {
        if let Some(c) = self.cell.take() {
            self.row.get_or_insert_with(Vec::new).push(c);
        }
    }

    fn close_row(&mut self) {
        self.close_cell();
        if let Some(r) = self.row.take().filter(|r| !r.is_empty()) {
            self.rows.push(r);
        }
    }
}

struct Page<'a> {
    t: &'a [u8],
    lines: LineTable<'a>,
    b: Builder,
    /// The block of visible text being read, whitespace collapsed.
    line: Mapped,
    /// Where that block starts in the source.
    line_at: usize,
    /// A run of whitespace not yet written (written as one space before the next word).
    pending: Option<(usize, usize)>,
    pre: usize,
    tables: Vec<Table>,
    n_tables: usize,
}

impl Page<'_> {
    /// Returns what text goes into now: the open table cell, else the current block.
    fn target(&mut self) -> &mut Mapped {
        match self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            Some((cell, _)) => cell,
            None => &mut self.line,
        }
    }

    fn in_cell(&self) -> bool {
        self.tables.last().is_some_and(|t| t.cell.is_some())
    }

    /// Writes the pending space (if the target has text) before text starting at `at`.
    fn before_text(&mut self, at: usize) {
        let pending = self.pending.take();
        if !self.in_cell() && self.line.is_empty() {
            self.line_at = at;
        }
        let target = self.target();
        if let Some(r) = pending.filter(|_| !target.is_empty()) {
            target.push_decoded(" ", r);
        }
    }

    /// Reads the text between tags, `t[a..b]`: entities decoded, whitespace collapsed.
    fn text(&mut self, a: usize, b: usize) {
        let t = self.t;
        let mut i = a;
        while i < b {
            let c = t[i];
            if c.is_ascii_whitespace() {
                let j = i + t[i..b].iter().take_while(|c| c.is_ascii_whitespace()).count();
                if self.pre > 0 && !self.in_cell() && t[i..j].contains(&b'\n') {
                    self.flush();
                } else if !self.target().is_empty() {
                    self.pending = Some((i, j));
                }
                i = j;
                continue;
            }
            if c == b'&' {
                if let Some((s, len)) = entity_at(&t[i..b]) {
                    self.before_text(i);
                    self.target().push_decoded(&s, (i, i + len));
                    i += len;
                    continue;
                }
            }
            let j = i + 1 + t[i + 1..b].iter().position(|c| c.is_ascii_whitespace() || *c == b'&').unwrap_or(b - i - 1);
            self.before_text(i);
            push_raw(self.target(), t, i, j);
            i = j;
        }
    }

    fn line_no(&self, at: usize) -> usize {
        self.lines.line_of(at)
    }

    fn flush(&mut self) {
        self.pending = None;
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            let at = self.line_no(self.line_at);
            self.b.text_block_mapped(&line, format!("line {at}"));
        }
    }

    /// A block boundary: inside a table cell it only separates words.
    fn boundary(&mut self, tag: &Tag, paragraph: bool) {
        if self.in_cell() {
            if !self.target().is_empty() {
                self.pending = Some((tag.start, tag.end));
            }
            return;
        }
        self.flush();
        if paragraph {
            self.b.paragraph_break();
        }
    }

    fn tag(&mut self, tag: &Tag) {
        let name = tag.name.as_str();
        match (name, tag.closing) {
            ("table", false) => {
                self.boundary(tag, true);
                self.n_tables += 1;
                self.tables.push(Table { n: self.n_tables, rows: Vec::new(), row: None, cell: None });
            }
            ("table", true) => match self.tables.pop() {
                Some(table) => self.emit_table(table),
                None => self.boundary(tag, true),
            },
            ("tr", _) if !self.tables.is_empty() => {
                if let Some(table) = self.tables.last_mut() {
                    table.close_row();
                    if !tag.closing {
                        table.row = Some(Vec::new());
                    }
                }
            }
            ("td" | "th", _) if !self.tables.is_empty() => {
                self.pending = None;
                if let Some(table) = self.tables.last_mut() {
                    table.close_cell();
                    if !tag.closing {
                        table.cell = Some((Mapped::new(), name == "th"));
                    }
                }
            }
            ("pre", false) => {
                self.boundary(tag, true);
                self.pre += 1;
            }
            ("pre", true) => {
                self.boundary(tag, true);
                self.pre = self.pre.saturating_sub(1);
            }
            _ if is_paragraph(name) => self.boundary(tag, true),
            _ if is_block(name) => self.boundary(tag, false),
            _ => {}
        }
        if tag.closing {
            return;
        }
        let shown = |k: &str| matches!(k, "alt" | "title" | "aria-label" | "placeholder");
        let attrs: Vec<&Attr> =
            tag.attrs.iter().filter(|a| shown(&a.key) || (name == "meta" && a.key == "content")).collect();
        if attrs.is_empty() {
            return;
        }
        // Attribute text goes on its own lines, after the text so far, in the same paragraph.
        let saved = (std::mem::take(&mut self.line), self.line_at, self.pending.take());
        let at = self.line_no(tag.start);
        for a in attrs {
            let mut v = Mapped::new();
            let mut sub = Page {
                t: self.t,
                lines: LineTable::new(b""),
                b: Builder::new(),
                line: Mapped::new(),
                line_at: 0,
                pending: None,
                pre: 0,
                tables: Vec::new(),
                n_tables: 0,
            };
            sub.text(a.start, a.end);
            v.append(&sub.line);
            self.b.text_block_mapped(&v, format!("line {at} ({})", a.key));
        }
        (self.line, self.line_at, self.pending) = saved;
    }

    /// Reads a comment's text (published with the page, visible to anyone viewing the source).
    fn comment(&mut self, a: usize, b: usize) {
        if self.in_cell() {
            return;
        }
        let mut raw = Mapped::new();
        push_raw(&mut raw, self.t, a, b);
        let raw = raw.trim();
        if raw.is_empty() {
            return;
        }
        self.flush();
        let at = self.line_no(a);
        self.b.paragraph_break();
        self.b.text_block_mapped(&raw, format!("line {at} (comment)"));
        self.b.paragraph_break();
    }

    /// Reads a JSON `<script>` (`t[a..b]`) as JSON: keys are fields, objects are units.
    fn json(&mut self, a: usize, b: usize) {
        self.flush();
        let at = self.line_no(a);
        let t = &self.t[..b];
        let start = a + t[a..].iter().take_while(|c| c.is_ascii_whitespace()).count();
        self.b.paragraph_break();
        match json::parse_lenient(t, start) {
            Some((value, _)) => {
                let mut sink = BuilderSink(&mut self.b);
                json::top_level(&mut sink, &value, "$", &format!("line {at} (json):"), true);
            }
            None => {
                let mut raw = Mapped::new();
                push_raw(&mut raw, self.t, a, b);
                self.b.text_block_mapped(&raw.trim(), format!("line {at} (script)"));
            }
        }
        self.b.paragraph_break();
    }

    /// Emits a table like a CSV export (see the module docs).
    fn emit_table(&mut self, mut table: Table) {
        table.close_row();
        self.b.paragraph_break();
        let t = table.n;
        let rows = table.rows;
        let Some(first) = rows.first() else { return };
        let plain: Vec<String> = first.iter().map(|c| c.0.as_str().trim().to_string()).collect();
        let all_th = first.iter().all(|c| c.1);
        let mut header: Option<Vec<String>> = None;
        if all_th || (rows.len() > 1 && looks_like_header(&plain)) {
            let cells: Vec<Mapped> = first.iter().map(|c| c.0.clone()).collect();
            self.b.start_unit();
            self.b.header_row(&cells, format!("table {t} row 1"));
            self.b.end_unit("row", format!("table {t} row 1"));
            self.b.start_grid(plain.iter().map(|h| !h.is_empty()).collect());
            header = Some(plain);
        } else {
            self.b.start_grid(Vec::new());
        }
        let skip = usize::from(header.is_some());
        for (k, row) in rows.iter().enumerate().skip(skip) {
            let r = k + 1;
            let cells: Vec<Mapped> = row.iter().map(|c| c.0.clone()).collect();
            let ranges = emit_row(
                &mut self.b,
                header.as_deref(),
                &cells,
                &|_, j| format!("table {t} row {r} cell {}", j + 1),
                format!("table {t} row {r}"),
            );
            self.b.grid_row(ranges);
        }
        self.b.end_grid();
        self.b.paragraph_break();
    }
}

/// Writes JSON values into the page's builder, labelled by their key.
struct BuilderSink<'b>(&'b mut Builder);

impl Sink for BuilderSink<'_> {
    fn start_unit(&mut self, _: &Value) {
        self.0.start_unit();
    }

    fn end_unit(&mut self, _: &Value, kind: &'static str, location: String) {
        self.0.end_unit(kind, location);
    }

    fn leaf(&mut self, value: &Mapped, location: String, field: Option<&str>) {
        let label = field.map(humanize);
        self.0.value_mapped(label.as_deref(), value, location, field);
    }
}

/// Appends `t[a..b]` verbatim when it is UTF-8, else decoded as a whole.
fn push_raw(m: &mut Mapped, t: &[u8], a: usize, b: usize) {
    if a >= b {
        return;
    }
    match std::str::from_utf8(&t[a..b]) {
        Ok(s) => m.push_exact(s, a),
        Err(_) => m.push_decoded(&String::from_utf8_lossy(&t[a..b]), (a, b)),
    }
}

struct Attr {
    key: String,
    /// The value's byte range in the page (inside its quotes).
    start: usize,
    end: usize,
}

struct Tag {
    name: String,
    closing: bool,
    attrs: Vec<Attr>,
    /// Where the tag starts and ends (one past its `>`).
    start: usize,
    end: usize,
}

/// Parses a tag at `t[at..]` (which starts with `<`); `None` when it is not one.
fn parse_tag(t: &[u8], at: usize) -> Option<Tag> {
    let b = t;
    let mut i = at + 1;
    let closing = b.get(i) == Some(&b'/');
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
    let name = String::from_utf8_lossy(&b[name_start..i]).to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some(Tag { name, closing, attrs, start: at, end: i + 1 });
        }
        let k_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let key = String::from_utf8_lossy(&b[k_start..i]).to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let (mut v_start, mut v_end) = (i, i);
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                v_start = i + 1;
                v_end = b[v_start..].iter().position(|c| *c == q).map_or(b.len(), |p| v_start + p);
                i = (v_end + 1).min(b.len());
            } else {
                v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                v_end = i;
            }
        }
        if key.is_empty() {
            i += 1;
        } else {
            attrs.push(Attr { key, start: v_start, end: v_end });
        }
    }
}

fn find_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// Returns the character reference at the start of `s` (`&amp;`, `&#233;`): what it stands for
/// and its length in bytes.
fn entity_at(s: &[u8]) -> Option<(String, usize)> {
    let semi = s.iter().take(34).position(|c| *c == b';').filter(|&p| p > 1)?;
    let name = std::str::from_utf8(&s[1..semi]).ok()?;
    entity(name).map(|c| (c, semi + 1))
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
    fn unclosed_tags_cost_linear_time_and_lose_no_text() {
        let mut page = String::from("<p>MRN 40719385</p><div ");
        page.push_str(&"<a ".repeat(50_000));
        let started = std::time::Instant::now();
        let doc = extract(page.as_bytes());
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
        assert!(String::from_utf8_lossy(&doc.text).contains("MRN 40719385"));
        // A stray `<` in text does not stop later tags from being read.
        assert_eq!(text(&format!("{}<b>x</b><p>{}</p>", "a < b ".repeat(1000), "kept")).matches("kept").count(), 1);
        assert!(text("<div title=\"a <b>hidden?</b>").contains("hidden?"));
    }

    #[test]
    fn tags_never_merge_words() {
        let t = text("<div>one</div><div>two</div><p>three<br>four</p>");
        assert_eq!(t, "one\n\ntwo\n\nthree\nfour\n\n");
        assert_eq!(text("John <i>Q</i> Smith"), "John Q Smith\n");
        assert_eq!(text("a < b and <3 and x<y"), "a < b and <3 and x<y\n");
    }

    #[test]
    fn locations_are_source_lines() {
        let d = extract(b"<p>\nfirst</p>\n<!-- c\n-->\n<p>second</p>");
        let locs: Vec<&str> = d.segments.iter().map(|s| s.location.as_str()).collect();
        assert_eq!(locs, vec!["line 2", "line 3 (comment)", "line 5"]);
    }

    #[test]
    fn every_piece_of_text_maps_to_its_bytes() {
        let src = "<p>Ren&eacute;e   Quill,\n  <b>MRN</b> 4071938</p><img alt=\"Tobin &amp; Ada\">".as_bytes();
        let d = extract(src);
        let text = String::from_utf8(d.text.clone()).unwrap();
        let find = |needle: &str| {
            let at = text.find(needle).unwrap();
            d.map.locate(at, at + needle.len()).unwrap()
        };
        let q = find("Quill");
        assert_eq!(&src[q.start..q.end], b"Quill");
        let mrn = find("MRN 4071938");
        assert_eq!(&src[mrn.start..mrn.end], b"MRN</b> 4071938");
        let name = find("Renée");
        assert_eq!(&src[name.start..name.end], b"Ren&eacute;e");
        let ada = find("Tobin & Ada");
        assert_eq!(&src[ada.start..ada.end], b"Tobin &amp; Ada");
    }

    #[test]
    fn tables_read_like_csv() {
        let d = extract(
            b"<table><tr><th>Patient</th><th>Diagnosis</th></tr>\
              <tr><td>Hope Marsh</td><td>asthma</td></tr><tr><td>Ada Quill</td><td>gout</td></tr></table>",
        );
        let text = String::from_utf8(d.text.clone()).unwrap();
        assert!(text.contains("patient: Hope Marsh\ndiagnosis: asthma\n"), "{text}");
        assert_eq!(d.unit_locations, vec!["table 1 row 1", "table 1 row 2", "table 1 row 3"]);
        assert_eq!(d.labels.len(), 1);
        let seg = d.segments.iter().find(|s| s.location == "table 1 row 3 cell 2").unwrap();
        assert_eq!(d.field_at(seg.start, seg.end), Some("Diagnosis"));
    }

    #[test]
    fn comments_and_json_ld_are_read() {
        let d = extract(
            b"<p>Hi</p><!-- draft: Tobin Quill -->\n<script type=\"application/ld+json\">\
              {\"@type\": \"Person\", \"name\": \"Ada Quill\", \"birthDate\": \"1961-04-02\"}</script>",
        );
        let text = String::from_utf8(d.text.clone()).unwrap();
        assert!(text.contains("draft: Tobin Quill"), "{text}");
        assert!(text.contains("name: Ada Quill\nbirth date: 1961-04-02"), "{text}");
        let seg = d.segments.iter().find(|s| s.location == "line 2 (json):$.birthDate").unwrap();
        assert_eq!(d.field_at(seg.start, seg.end), Some("birthDate"));
    }

    #[test]
    fn preformatted_lines_stay_lines() {
        assert_eq!(text("<pre>a,b\nc,d</pre>"), "a,b\nc,d\n\n");
    }
}
