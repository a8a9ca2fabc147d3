//! Words: which bytes continue a word, and field names (`patientName`) as words.

/// Whether `b` continues a word (ASCII letters and digits, `_`, and any non-ASCII byte, so a
/// word with accents is never split).
#[inline]
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Whether `text[start..end]` starts and ends on word boundaries.
#[inline]
pub fn on_word_boundaries(text: &[u8], start: usize, end: usize) -> bool {
    (start == 0 || !is_word_byte(text[start - 1])) && (end >= text.len() || !is_word_byte(text[end]))
}

/// Returns a field name as lower-case words: `patient_name`, `patientName` → `patient name`.
pub fn field_words(field: &str) -> String {
    let mut out = String::with_capacity(field.len() + 4);
    let mut prev: Option<char> = None;
    for c in field.chars() {
        if c == '_' || c == '-' || c == '.' || c == '/' || c.is_whitespace() {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        } else {
            if c.is_uppercase() && prev.is_some_and(|p| p.is_lowercase()) && !out.ends_with(' ') {
                out.push(' ');
            }
            out.extend(c.to_lowercase());
        }
        prev = Some(c);
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_names_become_words() {
        assert_eq!(field_words("patient_name"), "patient name");
        assert_eq!(field_words("patientName"), "patient name");
        assert_eq!(field_words("DOB"), "dob");
        assert_eq!(field_words("Medical-Record #"), "medical record #");
    }

    #[test]
    fn word_boundaries_respect_accents() {
        assert!(on_word_boundaries(b"a Hope b", 2, 6));
        assert!(!on_word_boundaries(b"Hopeful", 0, 4));
        assert!(!on_word_boundaries("Hop\u{e9}".as_bytes(), 0, 3));
    }
}
