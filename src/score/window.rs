//! Context windows that stay inside the match's own field.
//!
//! A context word near a match says what the match is: "fax" before a number makes it a fax
//! number, "order" makes it not an identifier at all. In a form of `Label: value` lines, the
//! bytes before a value also hold the line above, which is another field: with a fixed window of
//! bytes, the `SSN:` label one line up lowered a phone number below the reporting threshold, a
//! `Phone:` label above a `Fax:` line made the fax a phone, and a `Device serial:` line under a
//! card number talked the card out of being one. So a value is judged by its own label only:
//!
//! - before a match, the window stops at the label of the match's own line (`Fax: `, or the
//!   nearest label on the line when a line holds several fields); when the line has none, it
//!   takes the lines above until one that holds a labelled value of its own (another field), and
//!   keeps a lone label line (`Phone:` ⏎ value), which is this value's label;
//! - after a match, the window stops at the next label, and at the end of the line when the
//!   match's own line is labelled (the field ends there).
//!
//! Prose has no labels and keeps the whole window across line breaks, so a sentence that wraps
//! ("call me at⏎330-555-0119") still gives its context.

/// Bytes a label word may hold besides ASCII letters and digits.
fn label_punct(b: u8) -> bool {
    matches!(b, b'/' | b'#' | b'.' | b'\'' | b'(' | b')' | b'&' | b'-' | b'_' | b'"' | b'*')
}

/// Whether `b` can be part of a label word.
fn label_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || label_punct(b)
}

/// The most words a label holds ("Emergency contact phone number").
const MAX_LABEL_WORDS: usize = 4;

/// If the byte at `colon` ends a label (`Phone:`, `Acct #:`, `"ssn":`, `ssn=`), returns where the
/// label starts, searching no further back than `lo`.
///
/// A `:` ends a label when a word (not a number: `10:30` is a time) comes before it and neither
/// `/` (a URL) nor another `:` comes after it. An `=` ends one only when glued to a key on both
/// sides (`ssn=536…`). The label is one to four words separated by single spaces, starting at
/// the line's start or after a separator (tab, two spaces, `|`, `;`, `,`) or after a value
/// (a word that starts with a digit).
pub fn label_start(text: &[u8], lo: usize, colon: usize) -> Option<usize> {
    let sep = *text.get(colon)?;
    let next = text.get(colon + 1).copied();
    let mut i = colon;
    match sep {
        b':' => {
            let prev = colon.checked_sub(1).map(|p| text[p]);
            // A URL scheme, a C++ path, a time or a ratio ("10:30", "1:2").
            if matches!(next, Some(b'/' | b':'))
                || prev == Some(b':')
                || (prev.is_some_and(|b| b.is_ascii_digit()) && next.is_some_and(|b| b.is_ascii_digit()))
            {
                return None;
            }
            // "Phone : 330…" (a space before the colon) is still a label.
            if i > lo && text[i - 1] == b' ' {
                i -= 1;
            }
        }
        b'=' => {
            let glued = |b: Option<u8>| b.is_some_and(|b| !b.is_ascii_whitespace() && b != b'=');
            if !glued(next) || !glued(colon.checked_sub(1).map(|p| text[p])) {
                return None;
            }
        }
        _ => return None,
    }
    let mut start = None;
    let mut words = 0;
    while words < MAX_LABEL_WORDS && i > lo {
        let end = i;
        while i > lo && label_byte(text[i - 1]) {
            i -= 1;
        }
        let word = &text[i..end];
        if word.is_empty() {
            break;
        }
        // A word that starts with a digit is a value ("…0101 Fax:"), except a number right
        // before the colon ("Address 2:", "Line 1:"); a word of punctuation ("#") is part of
        // the label.
        let numeric = word.iter().find(|b| b.is_ascii_alphanumeric()).is_some_and(u8::is_ascii_digit);
        if numeric && (words > 0 || sep == b'=') {
            break;
        }
        words += 1;
        start = Some(i);
        // One space joins the words of a label; anything else ends it.
        if i > lo + 1 && text[i - 1] == b' ' && label_byte(text[i - 2]) {
            i -= 1;
        } else {
            break;
        }
        if sep == b'=' {
            break; // a key is one token
        }
    }
    let start = start?;
    // A label of digits alone ("2:") is a number, not a label.
    text[start..colon].iter().any(u8::is_ascii_alphabetic).then_some(start)
}

/// Returns the start of the last label that ends on `line` before `pos`, if any.
fn last_label_before(text: &[u8], line: usize, pos: usize) -> Option<usize> {
    (line..pos).rev().filter(|&i| matches!(text[i], b':' | b'=')).find_map(|i| label_start(text, line, i))
}

/// Whether the line `text[s..e]` starts with a label, and whether a value follows it.
fn leading_label(text: &[u8], s: usize, e: usize) -> Option<bool> {
    let mut first = s;
    while first < e && matches!(text[first], b' ' | b'\t' | b'-' | b'*' | b'>') {
        first += 1;
    }
    let colon = (first..e).find(|&i| matches!(text[i], b':' | b'='))?;
    if label_start(text, first, colon)? != first {
        return None;
    }
    Some(text[colon + 1..e].iter().any(|b| !b.is_ascii_whitespace()))
}

/// Returns where the context window before a match begins when the match's own line, starting
/// at `line`, has no label: the lines above while they are prose; a lone label line is kept and
/// ends the search; a line holding a labelled value is another field and is left out.
fn lines_above(text: &[u8], lo: usize, line: usize) -> usize {
    let mut from = line;
    while from > lo {
        let end = from - 1; // the '\n' ending the line above
        let s = text[lo..end].iter().rposition(|&b| b == b'\n').map_or(lo, |p| lo + p + 1);
        match leading_label(text, s, end) {
            Some(true) => break,
            Some(false) => return s,
            None => from = s,
        }
    }
    from
}

/// Returns where the context window after a match ending at `end` stops, no later than `hi`;
/// `labelled` says whether the match's own line carries a label before the match.
pub fn field_end(text: &[u8], end: usize, hi: usize, labelled: bool) -> usize {
    let line_end = text[end..hi].iter().position(|&b| b == b'\n').map_or(hi, |p| end + p);
    // The next label on the same line starts another field.
    if let Some(label) =
        (end..line_end).filter(|&i| matches!(text[i], b':' | b'=')).find_map(|i| label_start(text, end, i))
    {
        return label;
    }
    if labelled || line_end == hi {
        return line_end;
    }
    // Prose: take the lines below until one that starts with a label.
    let mut to = line_end;
    while to < hi {
        let s = to + 1;
        let e = text[s.min(hi)..hi].iter().position(|&b| b == b'\n').map_or(hi, |p| s + p);
        if s >= hi || leading_label(text, s, e).is_some() {
            break;
        }
        to = e;
    }
    to
}

/// Returns the context window around `start..end`: up to `before` bytes before and `after`
/// bytes after, clipped to the match's own field (see the module documentation).
pub fn clipped(text: &[u8], start: usize, end: usize, before: usize, after: usize) -> (&[u8], &[u8]) {
    let lo = start.saturating_sub(before);
    let hi = (end + after).min(text.len());
    let line = text[lo..start].iter().rposition(|&b| b == b'\n').map_or(lo, |p| lo + p + 1);
    let own = last_label_before(text, line, start);
    let from = own.unwrap_or_else(|| lines_above(text, lo, line));
    let to = field_end(text, end, hi, own.is_some());
    (&text[from..start], &text[end..to])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The window around the first occurrence of `value` in `text`, as strings.
    fn around<'a>(text: &'a str, value: &str) -> (&'a str, &'a str) {
        let s = text.find(value).unwrap();
        let (b, a) = clipped(text.as_bytes(), s, s + value.len(), 64, 40);
        (std::str::from_utf8(b).unwrap(), std::str::from_utf8(a).unwrap())
    }

    #[test]
    fn labels_are_found_and_times_urls_and_numbers_are_not() {
        let at = |t: &str| label_start(t.as_bytes(), 0, t.rfind([':', '=']).unwrap());
        assert_eq!(at("Phone:"), Some(0));
        assert_eq!(at("Home phone number:"), Some(0));
        assert_eq!(at("  Acct #:"), Some(2));
        assert_eq!(at("Phone (home):"), Some(0));
        assert_eq!(at("\"ssn\":"), Some(0));
        assert_eq!(at("Address 2:"), Some(0));
        assert_eq!(at("x ssn=1"), Some(2));
        assert_eq!(label_start(b"ssn=", 0, 3), None); // '=' must be glued on both sides
        assert_eq!(label_start(b"a = b", 0, 2), None);
        assert_eq!(label_start(b"at 10:30", 0, 5), None);
        assert_eq!(label_start(b"ratio 1:2", 0, 7), None);
        assert_eq!(at("2:"), None);
        assert_eq!(label_start(b"https://x", 0, 5), None);
        assert_eq!(label_start(b"std::cout", 0, 4), None);
        assert_eq!(at("330-555-0101 Fax:"), Some(13));
        assert_eq!(at("Phone: 330  Cell:"), Some(12));
        assert_eq!(at("Please call the front desk at:"), Some(12)); // four words at most
    }

    #[test]
    fn a_value_is_judged_by_its_own_label() {
        let form = "SSN: 536-22-8727\nHome phone: 330-555-0101\nFax: 330-555-0102\nZIP: 44691-2207\n";
        assert_eq!(around(form, "330-555-0101"), ("Home phone: ", ""));
        assert_eq!(around(form, "330-555-0102"), ("Fax: ", ""));
        assert_eq!(around(form, "536-22-8727"), ("SSN: ", ""));
        let two = "Phone: 330-555-0101  Fax: 330-555-0102";
        assert_eq!(around(two, "330-555-0101"), ("Phone: ", "  "));
        assert_eq!(around(two, "330-555-0102"), ("Fax: ", ""));
    }

    #[test]
    fn a_lone_label_line_is_the_next_values_label() {
        let form = "SSN: 536-22-8727\nPhone:\n330-555-0101\nCard: 4111";
        assert_eq!(around(form, "330-555-0101"), ("Phone:\n", ""));
    }

    #[test]
    fn prose_keeps_its_context_across_line_breaks() {
        let text = "If you need us, please call\nthe office at 330-555-0101 or\nwrite to us.";
        let (b, a) = around(text, "330-555-0101");
        assert_eq!(b, "If you need us, please call\nthe office at ");
        assert_eq!(a, " or\nwrite to us.");
        // Prose stops at a labelled line below.
        let (_, a) = around("call 330-555-0101 today\nSSN: 536-22-8727", "330-555-0101");
        assert_eq!(a, " today");
        // A label line above with its own value is another field.
        let (b, _) = around("SSN: 536-22-8727\ncall 330-555-0101 today", "330-555-0101");
        assert_eq!(b, "call ");
    }

    #[test]
    fn windows_never_leave_their_byte_limits() {
        let text = "x".repeat(100) + "\nPhone: 330-555-0101" + &"y".repeat(100);
        let s = text.find("330").unwrap();
        let (b, a) = clipped(text.as_bytes(), s, s + 12, 64, 40);
        assert!(b.len() <= 64 && a.len() <= 40);
        assert_eq!(b, b"Phone: ");
    }
}
