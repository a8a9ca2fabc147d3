//! Lines: byte offsets to 1-based (line, column), the column counted in characters.
//!
//! [`LineIndex`] walks forward and suits offsets visited in increasing order (findings of a
//! plain text, `phiscan:allow` directives); [`LineTable`] indexes every line start once and
//! answers offsets in any order (source positions of an extracted format, where an HTML
//! attribute or a JSON key order can send the next offset backwards). Lookups in increasing
//! order through a [`Cursor`] are incremental: n findings on one line of length L cost
//! O(L + n), not O(n·L).

/// Maps byte offsets to 1-based (line, column) for offsets visited in increasing order.
pub struct LineIndex<'a> {
    text: &'a [u8],
    pos: usize,
    line: usize,
    line_start: usize,
}

impl<'a> LineIndex<'a> {
    /// Starts at the top of `text`.
    pub fn new(text: &'a [u8]) -> LineIndex<'a> {
        LineIndex { text, pos: 0, line: 1, line_start: 0 }
    }

    /// Returns the line and character column of `offset`; offsets must not decrease much
    /// (an earlier offset restarts from the top).
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            *self = LineIndex::new(self.text);
        }
        for nl in memchr::memchr_iter(b'\n', &self.text[self.pos..offset]) {
            self.line += 1;
            self.line_start = self.pos + nl + 1;
        }
        self.pos = offset;
        (self.line, column(&self.text[self.line_start..offset]))
    }
}

/// Where the last [`LineTable::locate_from`] lookup landed: its line, offset and column.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    line: usize,
    offset: usize,
    column: usize,
}

/// The start of every line of a text, for (line, column) lookups in any order.
pub struct LineTable<'a> {
    text: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineTable<'a> {
    /// Indexes the lines of `text` (one pass).
    pub fn new(text: &'a [u8]) -> LineTable<'a> {
        let mut starts = Vec::with_capacity(text.len() / 40 + 1);
        starts.push(0);
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        LineTable { text, starts }
    }

    /// Returns the line and character column of `offset` (clamped to the text).
    pub fn locate(&self, offset: usize) -> (usize, usize) {
        self.locate_from(&mut Cursor::default(), offset)
    }

    /// Returns the 1-based line of `offset` (clamped to the text), without counting its column.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.starts.partition_point(|&x| x <= offset)
    }

    /// Returns what [`LineTable::locate`] returns, starting from `cursor` (updated): offsets
    /// visited in increasing order cost a step each rather than a search, and their columns are
    /// counted from the previous offset on the same line, not from the line's start, so many
    /// findings on one long line cost the line's length once (not once per finding).
    pub fn locate_from(&self, cursor: &mut Cursor, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let s = &self.starts;
        let h = cursor.line.clamp(1, s.len());
        let line = if s[h - 1] <= offset && s.get(h).is_none_or(|&n| offset < n) {
            h
        } else if s[h - 1] <= offset && s.get(h + 1).is_none_or(|&n| offset < n) {
            h + 1
        } else {
            s.partition_point(|&x| x <= offset)
        };
        let column = if line == cursor.line && cursor.column > 0 && cursor.offset <= offset {
            cursor.column + column(&self.text[cursor.offset..offset]) - 1
        } else {
            column(&self.text[s[line - 1]..offset])
        };
        *cursor = Cursor { line, offset, column };
        (line, column)
    }

    /// Returns the byte range of 1-based `line`, without its line break.
    pub fn line_range(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line.checked_sub(1)?)?;
        let end = self.starts.get(line).map_or(self.text.len(), |&n| n - 1);
        Some((start, end))
    }
}

/// Returns the 1-based character column after `before` (the bytes of the line before it).
fn column(before: &[u8]) -> usize {
    before.iter().filter(|b| (**b & 0xC0) != 0x80).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_lines_and_characters() {
        let text = "ab\ncé d\nx".as_bytes();
        let mut li = LineIndex::new(text);
        assert_eq!(li.locate(0), (1, 1));
        assert_eq!(li.locate(3), (2, 1));
        assert_eq!(li.locate(7), (2, 4));
        assert_eq!(li.locate(9), (3, 1));
        assert_eq!(li.locate(1), (1, 2));
    }

    #[test]
    fn line_table_answers_in_any_order() {
        let text = "ab\ncé d\nx".as_bytes();
        let t = LineTable::new(text);
        for (offset, want) in [(9, (3, 1)), (0, (1, 1)), (7, (2, 4)), (3, (2, 1)), (2, (1, 3)), (99, (3, 2))] {
            assert_eq!(t.locate(offset), want, "offset {offset}");
        }
        let mut cursor = Cursor::default();
        for (offset, want) in
            [(0, (1, 1)), (3, (2, 1)), (5, (2, 3)), (7, (2, 4)), (9, (3, 1)), (1, (1, 2)), (2, (1, 3))]
        {
            assert_eq!(t.locate_from(&mut cursor, offset), want, "offset {offset} from a cursor");
        }
        assert_eq!((t.line_of(0), t.line_of(7), t.line_of(99)), (1, 2, 3));
        assert_eq!(t.line_range(2), Some((3, 8)));
        assert_eq!(t.line_range(3), Some((9, 10)));
        assert_eq!(t.line_range(4), None);
    }
}
