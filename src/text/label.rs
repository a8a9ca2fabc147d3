//! Labels built from input: keys, column headers, sheet and member names, file names.
//!
//! A location such as `$.patients["536-22-8727"].dx` or `row 2:Hope Wexbury` would publish what
//! the value masking hides: the label itself is data. [`plain_label`] says whether a label may be
//! shown as written (it reads like a field name: few digits, no address, not a run of
//! capitalised words that is not a known field name); otherwise a caller shows a position
//! instead (`[key 2]`, `column 3`, `sheet 2`, `member 4.csv`). [`escape_controls`] makes any
//! string from input safe to print: control characters (an ESC that clears a terminal, a newline
//! that forges a `::error` line) and bidirectional overrides become visible escapes.

use std::borrow::Cow;

/// Words field names are made of: a title-case label made only of other words may be a name.
const FIELD_WORDS: &[&str] = &[
    "account",
    "address",
    "admission",
    "admit",
    "age",
    "allergies",
    "allergy",
    "amount",
    "assigned",
    "birth",
    "bmi",
    "city",
    "clinic",
    "code",
    "column",
    "comment",
    "comments",
    "condition",
    "contact",
    "country",
    "created",
    "data",
    "date",
    "day",
    "department",
    "description",
    "details",
    "device",
    "diagnosis",
    "discharge",
    "doctor",
    "dob",
    "dose",
    "drug",
    "dx",
    "email",
    "emergency",
    "encounter",
    "ethnicity",
    "export",
    "facility",
    "family",
    "fax",
    "file",
    "first",
    "full",
    "gender",
    "given",
    "height",
    "hospital",
    "id",
    "image",
    "info",
    "insurance",
    "ip",
    "lab",
    "labs",
    "language",
    "last",
    "license",
    "list",
    "location",
    "mail",
    "medication",
    "medications",
    "member",
    "middle",
    "mobile",
    "modified",
    "month",
    "mrn",
    "name",
    "names",
    "no",
    "note",
    "notes",
    "npi",
    "number",
    "nurse",
    "owner",
    "patient",
    "patients",
    "people",
    "phone",
    "photo",
    "physician",
    "plan",
    "policy",
    "postal",
    "priority",
    "procedure",
    "provider",
    "race",
    "reason",
    "record",
    "records",
    "relationship",
    "report",
    "result",
    "results",
    "room",
    "row",
    "serial",
    "sex",
    "sheet",
    "site",
    "source",
    "ssn",
    "staff",
    "state",
    "status",
    "street",
    "subject",
    "summary",
    "tel",
    "test",
    "time",
    "title",
    "total",
    "type",
    "unit",
    "updated",
    "url",
    "value",
    "visit",
    "ward",
    "weight",
    "year",
    "zip",
];

/// Whether a label from input (a key, a header cell, a sheet name) may be shown as written.
pub fn plain_label(s: &str) -> bool {
    label_ok(s, 3, 48)
}

/// Whether a file or member name (without its folder) may be shown as written: as
/// [`plain_label`], but a year or a date in a name is common and allowed; a run of five or more
/// digits (an MRN, a phone, an SSN) is not.
pub fn plain_file_name(s: &str) -> bool {
    let stem = s.rsplit_once('.').map_or(s, |(stem, _)| stem);
    let mut run = 0;
    for c in stem.chars() {
        run = if c.is_ascii_digit() { run + 1 } else { 0 };
        if run >= 5 {
            return false;
        }
    }
    label_ok(stem, usize::MAX, 96)
}

fn label_ok(s: &str, max_digits: usize, max_len: usize) -> bool {
    if s.len() > max_len || s.contains('@') || s.chars().any(is_unsafe_char) {
        return false;
    }
    if s.chars().filter(char::is_ascii_digit).count() > max_digits {
        return false;
    }
    // A run of two or more capitalised words, none of them a field word, reads like a name.
    let words: Vec<&str> = s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let title = |w: &str| {
        let mut cs = w.chars();
        cs.next().is_some_and(char::is_uppercase) && cs.clone().count() > 0 && cs.all(char::is_lowercase)
    };
    let alpha: Vec<&str> = words.into_iter().filter(|w| w.chars().all(char::is_alphabetic)).collect();
    let known = |w: &str| FIELD_WORDS.contains(&w.to_lowercase().as_str());
    !(alpha.len() >= 2 && alpha.iter().all(|w| title(w)) && !alpha.iter().any(|w| known(w)))
}

/// Whether `c` must not be printed raw: a control character or a bidirectional override.
fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// Returns `s` with control characters and bidirectional overrides written as escapes (`\n`,
/// `\x1b`, `\u{202e}`), so a name from input cannot drive a terminal or forge an output line.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_char(c) && (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_that_read_like_data_are_not_plain() {
        for ok in ["patient_name", "DOB", "mrn", "Patient Name", "First Name", "birthDate", "Sheet1", "Patients", "dx"]
        {
            assert!(plain_label(ok), "{ok}");
        }
        for bad in ["536-22-8727", "Tobin Quill", "Marisela Oudekamp", "a@example.org", "4071938", "x\u{1b}[2J"] {
            assert!(!plain_label(bad), "{bad}");
        }
        assert!(plain_file_name("export-2024-05-01.csv") && plain_file_name("labs.csv"));
        assert!(!plain_file_name("Tobin Quill.csv") && !plain_file_name("mrn 4071938.txt"));
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_controls("plain"), "plain");
        assert_eq!(escape_controls("a\u{1b}[2Jb\n::error::x"), "a\\x1b[2Jb\\n::error::x");
        assert_eq!(escape_controls("\u{202e}gpj.exe"), "\\u{202e}gpj.exe");
    }
}
