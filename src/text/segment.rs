//! One text model for the detectors and the breach linker: blocks and sentences.
//!
//! Drafts, e-mails and Markdown wrap their lines: "was diagnosed with⏎breast cancer." is one
//! sentence. So a single line break inside a paragraph is a space, while blank lines, list
//! items, headings, table rows, `Label: value` lines and pasted data lines (CSV rows, JSON,
//! key=value logs, time-stamped log lines) start blocks of their own; a short line (a greeting,
//! a signature, a title) does not run on into the next one. Inside a block a sentence ends at
//! `.`, `!` or `?` before a space, except after an abbreviation ("Mr.", "Dr.", "St.", "e.g."),
//! after an initial before a name ("J. Smith"), or when the next word starts in lower case.
//!
//! Each block also records its casing (mixed, all capitals, all lower case): capitals prove
//! nothing in an ALL-CAPS export, and lower-case typing hides names.
//!
//! Cost: linear in the text (one pass over the lines, one over each block's bytes).

/// How a block is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Casing {
    /// Ordinary text: capitals start sentences and names.
    #[default]
    Mixed,
    /// Written in capitals (an export, a shouted post): capitals are no evidence.
    Upper,
    /// Written in lower case (chat, a quick post): names are lower case too.
    Lower,
}

/// What a block is, from the shape of its first line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockKind {
    /// A paragraph of running text (its wrapped lines joined).
    Prose,
    /// A bulleted or numbered list item.
    ListItem,
    /// A Markdown heading.
    Heading,
    /// A `Label: value` line (`Subject:`, `Name:`, `NEURO:`), with any wrapped continuation.
    Label,
    /// A table row (`|`-separated or tab-separated cells).
    Table,
    /// A pasted data line: CSV, JSON, key=value or a time-stamped log line.
    Data,
}

/// A run of lines read as one unit: a paragraph, a list item, a heading, a table row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// Byte offset of the block's first character.
    pub start: usize,
    /// Byte offset one past its last non-space character.
    pub end: usize,
    /// What kind of block it is.
    pub kind: BlockKind,
    /// How it is written.
    pub casing: Casing,
}

/// One sentence of a block.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset one past its last character (terminal punctuation included).
    pub end: usize,
    /// Index of its block in [`Segmentation::blocks`].
    pub block: usize,
}

/// A text divided into blocks and sentences, both in text order.
#[derive(Clone, Debug, Default)]
pub struct Segmentation {
    /// The blocks, in order, not overlapping.
    pub blocks: Vec<Block>,
    /// The sentences, in order; each lies inside its block.
    pub sentences: Vec<Sentence>,
}

impl Segmentation {
    /// Returns the index of the sentence containing byte `offset`, if any.
    pub fn sentence_at(&self, offset: usize) -> Option<usize> {
        let k = self.sentences.partition_point(|s| s.start <= offset);
        (k > 0 && offset < self.sentences[k - 1].end).then(|| k - 1)
    }

    /// Whether a sentence starts exactly at byte `offset`.
    pub fn starts_sentence(&self, offset: usize) -> bool {
        self.sentences.binary_search_by(|s| s.start.cmp(&offset)).is_ok()
    }

    /// Returns the casing of the block holding byte `offset` (mixed outside any block).
    pub fn casing_at(&self, offset: usize) -> Casing {
        let k = self.blocks.partition_point(|b| b.start <= offset);
        if k > 0 && offset < self.blocks[k - 1].end {
            self.blocks[k - 1].casing
        } else {
            Casing::Mixed
        }
    }
}

/// What a line looks like on its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line {
    Blank,
    /// A Markdown rule or setext underline: separates blocks, belongs to none.
    Rule,
    Heading,
    ListItem,
    Label,
    Table,
    Data,
    Text,
}

/// Lines shorter than this (in bytes, trimmed) are not taken for wrapped prose: a greeting, a
/// signature or a title ends where its line does.
const WRAP_MIN: usize = 40;

/// Words after which a line cannot end a sentence: the next line must continue it.
const CONTINUES: &[&[u8]] = &[
    b"a", b"an", b"the", b"of", b"with", b"and", b"or", b"but", b"to", b"for", b"in", b"on", b"at", b"by", b"from",
    b"his", b"her", b"their", b"my", b"our", b"your", b"its", b"was", b"is", b"are", b"were", b"has", b"had", b"have",
    b"been", b"be", b"that", b"who", b"which", b"into", b"after", b"before", b"about", b"as", b"than", b"this",
    b"these", b"those", b"will", b"would", b"can", b"could", b"not", b"very", b"some", b"had",
];

/// Words that end with a period without ending a sentence.
const ABBREVIATIONS: &[&[u8]] = &[
    b"mr", b"mrs", b"ms", b"mx", b"dr", b"drs", b"prof", b"st", b"ste", b"mt", b"ft", b"jr", b"sr", b"rev", b"hon",
    b"sgt", b"cpl", b"capt", b"lt", b"col", b"gen", b"gov", b"sen", b"rep", b"supt", b"vs", b"approx", b"cf", b"al",
    b"fig", b"figs", b"nos", b"vol", b"pp", b"ca", b"esp", b"incl", b"dept", b"mme", b"mlle", b"messrs",
];

/// Returns the blocks and sentences of `text`.
pub fn segment(text: &[u8]) -> Segmentation {
    let mut seg = Segmentation::default();
    let doc_casing = casing(text, Casing::Mixed, true);
    let mut open: Option<Open> = None;
    let mut at = 0;
    while at < text.len() {
        let nl = memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i);
        let (s, e) = trim(text, at, nl);
        let kind = classify(&text[s..e]);
        if matches!(kind, Line::Blank | Line::Rule) {
            close(text, &mut seg, open.take(), doc_casing);
        } else if let Some(o) = open.as_mut().filter(|o| continues(text, o.last, o.line, kind, (s, e), at)) {
            o.end = e;
            o.last = kind;
            o.line = (s, e);
        } else {
            close(text, &mut seg, open.take(), doc_casing);
            open = Some(Open { start: s, end: e, kind: block_kind(kind), last: kind, line: (s, e) });
        }
        at = nl + 1;
    }
    close(text, &mut seg, open.take(), doc_casing);
    seg
}

/// The block being read: where it starts and ends so far, and its last line.
struct Open {
    start: usize,
    end: usize,
    kind: BlockKind,
    last: Line,
    line: (usize, usize),
}

fn close(text: &[u8], seg: &mut Segmentation, open: Option<Open>, doc: Casing) {
    if let Some(o) = open {
        push_block(text, seg, o.start, o.end, o.kind, doc);
    }
}

fn block_kind(line: Line) -> BlockKind {
    match line {
        Line::Heading => BlockKind::Heading,
        Line::ListItem => BlockKind::ListItem,
        Line::Label => BlockKind::Label,
        Line::Table => BlockKind::Table,
        Line::Data => BlockKind::Data,
        _ => BlockKind::Prose,
    }
}

/// Whether the line `cur` continues the block whose last line is `prev`.
fn continues(
    text: &[u8],
    prev_kind: Line,
    prev: (usize, usize),
    kind: Line,
    cur: (usize, usize),
    cur_at: usize,
) -> bool {
    if matches!(prev_kind, Line::Heading | Line::Table | Line::Data) {
        return false;
    }
    let first = text[cur.0];
    // An indented line under a list item continues it.
    if prev_kind == Line::ListItem && kind == Line::Text && cur.0 - cur_at >= 2 {
        return true;
    }
    if kind != Line::Text {
        return false;
    }
    let line = &text[prev.0..prev.1];
    let last = *line.last().unwrap_or(&b' ');
    if last == b':' {
        return false;
    }
    if first.is_ascii_lowercase() {
        return true;
    }
    let long = line.len() >= WRAP_MIN;
    if last.is_ascii_alphanumeric() {
        let word_start = line.iter().rposition(|b| !b.is_ascii_alphabetic()).map_or(0, |p| p + 1);
        let word = line[word_start..].to_ascii_lowercase();
        if CONTINUES.contains(&word.as_slice()) {
            return true;
        }
    }
    long
}

/// Classifies one trimmed line.
fn classify(line: &[u8]) -> Line {
    if line.is_empty() {
        return Line::Blank;
    }
    if line.len() >= 3 && line.iter().all(|b| matches!(b, b'=' | b'-' | b'*' | b'_' | b' ')) {
        return Line::Rule;
    }
    if line[0] == b'#' && (line.len() == 1 || matches!(line[1], b' ' | b'#')) {
        return Line::Heading;
    }
    if list_marker(line) {
        return Line::ListItem;
    }
    let pipes = memchr::memchr_iter(b'|', line).count();
    let tabs = memchr::memchr_iter(b'\t', line).count();
    if pipes >= 2 || (pipes >= 1 && line[0] == b'|') || tabs >= 2 {
        return Line::Table;
    }
    if data_line(line) {
        return Line::Data;
    }
    if label_line(line) {
        return Line::Label;
    }
    Line::Text
}

/// Whether a line starts with a bullet or an item number.
fn list_marker(line: &[u8]) -> bool {
    for bullet in ["-", "*", "+", "•", "·", "▪", "◦", "‣", "–", "→", ">"] {
        if let Some(rest) = line.strip_prefix(bullet.as_bytes()) {
            return rest.first() == Some(&b' ');
        }
    }
    let digits = line.iter().take_while(|b| b.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && line.len() > digits + 1 {
        return matches!(line[digits], b'.' | b')') && line[digits + 1] == b' ';
    }
    line.len() > 2 && line[0].is_ascii_lowercase() && line[1] == b')' && line[2] == b' '
}

/// Whether a line looks like pasted data rather than writing.
fn data_line(line: &[u8]) -> bool {
    let first = line[0];
    if matches!(first, b'{' | b'}' | b'[' | b']') {
        return true;
    }
    let quotes = memchr::memchr_iter(b'"', line).count();
    if quotes >= 2 && memchr::memmem::find(line, b"\":").is_some() {
        return true;
    }
    // A time stamp at the start: 2025-01-30T02:11:09Z, 2025-01-30 02:11.
    if line.len() >= 13
        && line[..4].iter().all(u8::is_ascii_digit)
        && line[4] == b'-'
        && line[7] == b'-'
        && matches!(line[10], b'T' | b' ')
        && line[11].is_ascii_digit()
    {
        return true;
    }
    // key=value pairs.
    let mut pairs = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b'=' && i > 0 && (line[i - 1].is_ascii_alphanumeric() || line[i - 1] == b'_') {
            let next = line.get(i + 1).copied().unwrap_or(b' ');
            if next != b' ' && next != b'=' {
                pairs += 1;
            }
        }
    }
    if pairs >= 2 {
        return true;
    }
    // Delimited rows: several commas or semicolons, most not followed by a space.
    for d in [b',', b';'] {
        let n = memchr::memchr_iter(d, line).count();
        if n >= 3 {
            let tight = memchr::memchr_iter(d, line).filter(|&i| line.get(i + 1).is_some_and(|b| *b != b' ')).count();
            if tight * 2 >= n {
                return true;
            }
        }
    }
    false
}

/// Whether a line starts with a short label and a colon (`Subject:`, `Pt name:`, `NEURO:`).
fn label_line(line: &[u8]) -> bool {
    let Some(colon) = memchr::memchr(b':', &line[..line.len().min(42)]) else { return false };
    if colon == 0 || !line[0].is_ascii_alphabetic() {
        return false;
    }
    // A time (10:30) or a URL (https://) is not a label.
    if line.get(colon + 1).is_some_and(|b| b.is_ascii_digit() || *b == b'/') {
        return false;
    }
    let label = &line[..colon];
    let words = label.split(|b| *b == b' ').filter(|w| !w.is_empty()).count();
    words <= 5 && label.iter().all(|b| b.is_ascii_alphanumeric() || b" /#&().'-_".contains(b))
}

fn trim(text: &[u8], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && text[s].is_ascii_whitespace() {
        s += 1;
    }
    while e > s && text[e - 1].is_ascii_whitespace() {
        e -= 1;
    }
    (s, e)
}

/// Returns how `bytes` are written; texts with few letters take `fallback` (`whole`: `bytes` is
/// the whole text, not a block of it).
fn casing(bytes: &[u8], fallback: Casing, whole: bool) -> Casing {
    let (mut upper, mut lower, mut words, mut capital_words) = (0usize, 0usize, 0usize, 0usize);
    let mut in_word = false;
    for &b in bytes {
        let letter = b.is_ascii_alphabetic();
        if letter {
            if b.is_ascii_uppercase() {
                upper += 1;
            } else {
                lower += 1;
            }
            if !in_word {
                words += 1;
                capital_words += usize::from(b.is_ascii_uppercase());
            }
        }
        in_word = letter || b.is_ascii_digit() || b == b'\'' || b >= 0x80;
    }
    if upper + lower < 16 {
        // A short text typed without one capital ("my name is ida") is lower case; a short
        // block inside a longer text takes the text's casing.
        return if fallback == Casing::Mixed && upper == 0 && words >= 3 && whole { Casing::Lower } else { fallback };
    }
    if upper >= 8 && upper > lower * 3 {
        Casing::Upper
    } else if words >= 4 && capital_words * 20 <= words {
        Casing::Lower
    } else {
        Casing::Mixed
    }
}

fn push_block(text: &[u8], seg: &mut Segmentation, start: usize, end: usize, kind: BlockKind, doc: Casing) {
    let index = seg.blocks.len();
    let block_casing = casing(&text[start..end], doc, false);
    seg.blocks.push(Block { start, end, kind, casing: block_casing });
    if matches!(kind, BlockKind::Table | BlockKind::Data | BlockKind::Heading) {
        seg.sentences.push(Sentence { start, end, block: index });
        return;
    }
    let mut s = start;
    let mut i = start;
    while i < end {
        let b = text[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // The end of the punctuation run, closing quotes and brackets included.
            let mut j = i + 1;
            while j < end && matches!(text[j], b'.' | b'!' | b'?' | b'"' | b'\'' | b')' | b']') {
                j += 1;
            }
            while j + 2 < end && text[j] == 0xE2 && text[j + 1] == 0x80 && matches!(text[j + 2], 0x9D | 0x99) {
                j += 3;
            }
            if j >= end {
                break;
            }
            if text[j].is_ascii_whitespace() && ends_sentence(text, s, i, j, end, block_casing == Casing::Lower) {
                seg.sentences.push(Sentence { start: s, end: j, block: index });
                s = j;
                while s < end && text[s].is_ascii_whitespace() {
                    s += 1;
                }
                i = s;
                continue;
            }
            i = j;
            continue;
        }
        i += 1;
    }
    if s < end {
        seg.sentences.push(Sentence { start: s, end, block: index });
    }
}

/// Whether the punctuation at `dot` (the run ending at `after`) ends the sentence begun at `s`.
fn ends_sentence(text: &[u8], s: usize, dot: usize, after: usize, end: usize, lower_block: bool) -> bool {
    let mut next = after;
    while next < end && text[next].is_ascii_whitespace() {
        next += 1;
    }
    let Some(&n) = text.get(next).filter(|_| next < end) else { return true };
    // "approx. two", "e.g. the": a lower-case word goes on with the sentence (unless the whole
    // block is typed in lower case, where only an abbreviation does: "mr. vendel").
    if n.is_ascii_lowercase() && !lower_block {
        return false;
    }
    if text[dot] != b'.' || after != dot + 1 {
        return true;
    }
    // The word before the period, with any inner periods ("e.g", "D.R").
    let w0 = text[s..dot].iter().rposition(|b| !(b.is_ascii_alphabetic() || *b == b'.')).map_or(s, |p| s + p + 1);
    let word = &text[w0..dot];
    if word.is_empty() {
        return true;
    }
    let lower = word.to_ascii_lowercase();
    if ABBREVIATIONS.contains(&lower.as_slice()) {
        return false;
    }
    // Dotted shorthand ("a.m", "p.m", "e.g") before a lower-case word goes on (lower-case block).
    let dotted = word.contains(&b'.') && word.split(|b| *b == b'.').all(|p| p.len() <= 2);
    if n.is_ascii_lowercase() {
        return !dotted;
    }
    // "No. 4"
    if lower == b"no" && n.is_ascii_digit() {
        return false;
    }
    // An initial or initials before a capitalised word: "J. Smith", "D.R. Mills".
    let initials = word.split(|b| *b == b'.').all(|p| p.len() == 1 && p[0].is_ascii_uppercase());
    if initials && n.is_ascii_uppercase() && word.len() <= 5 {
        return false;
    }
    // "e.g.", "i.e.", "a.m." before a number or a capital that is not a new sentence.
    !(dotted && word[0].is_ascii_lowercase() && n.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentences(text: &str) -> Vec<&str> {
        segment(text.as_bytes()).sentences.iter().map(|s| &text[s.start..s.end]).collect()
    }

    fn blocks(text: &str) -> Vec<(&str, BlockKind)> {
        segment(text.as_bytes()).blocks.iter().map(|b| (&text[b.start..b.end], b.kind)).collect()
    }

    #[test]
    fn a_wrapped_line_is_a_space() {
        let t = "Last spring the retired welder from our town was diagnosed with\nkidney disease and started dialysis.";
        assert_eq!(sentences(t).len(), 1);
        let t = "Our volunteer of the month is Odalys Prewitt, who\nknits hats for the nursery.";
        assert_eq!(sentences(t).len(), 1);
    }

    #[test]
    fn short_lines_and_structure_end_blocks() {
        let t = "Hello Bertrand,\nThe new parking rules start Monday.\nThanks,\nNell";
        let b = blocks(t);
        assert_eq!(b.len(), 4, "{b:?}");
        let t =
            "Intro line that is long enough to be wrapped prose here:\n- first item\n- second item\n\n# Heading\nBody.";
        let kinds: Vec<BlockKind> = blocks(t).into_iter().map(|b| b.1).collect();
        assert_eq!(
            kinds,
            [BlockKind::Prose, BlockKind::ListItem, BlockKind::ListItem, BlockKind::Heading, BlockKind::Prose]
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        assert_eq!(sentences("Mr. Pellworth has gout. He is fine."), ["Mr. Pellworth has gout.", "He is fine."]);
        assert_eq!(sentences("Mrs. Ida Quill saw Dr. Fenn at St. Brigid Clinic today.").len(), 1);
        assert_eq!(sentences("The initials D.R. Mallow appear on the form.").len(), 1);
        assert_eq!(sentences("Bring snacks, e.g. fruit. Doors open at 9 a.m. sharp.").len(), 2);
        assert_eq!(sentences("It was great! Really. See you."), ["It was great!", "Really.", "See you."]);
        assert_eq!(sentences("He said \"Go home.\" Then he left."), ["He said \"Go home.\"", "Then he left."]);
        // Typed all in lower case: a period ends a sentence, except after an abbreviation.
        let t = "we saw mr. pellworth and dr. fenn today. he is fine. see you at st. brigid.";
        assert_eq!(sentences(t), ["we saw mr. pellworth and dr. fenn today.", "he is fine.", "see you at st. brigid."]);
        assert_eq!(sentences("you left at 4 a.m. with a cast. then you slept.").len(), 2);
    }

    #[test]
    fn pasted_data_lines_are_blocks_of_their_own() {
        let t = "See the rows below.\nQUILLEN,ARDEN,1950-02-03,X1234567,E11.9\nlevel=WARN user=abc msg=\"timeout\"\n{\"name\": \"x\"}";
        let kinds: Vec<BlockKind> = blocks(t).into_iter().map(|b| b.1).collect();
        assert_eq!(kinds, [BlockKind::Prose, BlockKind::Data, BlockKind::Data, BlockKind::Data]);
        let t = "| Name | Phone |\n| Ann Tolley | 555-0100 |";
        assert!(blocks(t).iter().all(|b| b.1 == BlockKind::Table));
        assert_eq!(blocks("Subject: Visit\nBody text here.")[0].1, BlockKind::Label);
    }

    #[test]
    fn casing_is_decided_per_block() {
        let t = "PT RESTING COMFORTABLY, WIFE AT BEDSIDE.\n\nthen we went to see grandma at the home and she was tired\n\nA normal paragraph Here.";
        let s = segment(t.as_bytes());
        let c: Vec<Casing> = s.blocks.iter().map(|b| b.casing).collect();
        assert_eq!(c, [Casing::Upper, Casing::Lower, Casing::Mixed]);
        assert_eq!(s.casing_at(3), Casing::Upper);
    }

    #[test]
    fn sentence_lookup() {
        let t = "One here. Two there.";
        let s = segment(t.as_bytes());
        assert_eq!(s.sentence_at(0), Some(0));
        assert_eq!(s.sentence_at(12), Some(1));
        assert!(s.starts_sentence(10));
        assert!(!s.starts_sentence(11));
    }
}
