//! The shared vocabulary of a scan: categories, severities, findings, and masking.
//!
//! Category names, severity names and the fields of [`Finding`] are a public contract: the JSON
//! report, SARIF, baselines and other tools read them. Extend them; never rename them.
//!
//! Masking lives here, beside the type it protects, so that no report can hold a finding without
//! also having the masked form of its value at hand: reports print `masked` and only print the
//! raw value when the user opted in with `--show-values`.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

pub use crate::text::Source;

/// What kind of identifier or health fact a finding is. The names are fixed (see the README).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)]
pub enum Category {
    Name,
    Mrn,
    Ssn,
    Date,
    Age,
    Phone,
    Fax,
    Email,
    Address,
    Zip,
    Location,
    Facility,
    Url,
    Ip,
    Account,
    HealthPlan,
    License,
    Vehicle,
    Device,
    OtherId,
    Diagnosis,
    Medication,
    Procedure,
}

impl Category {
    /// Every category, in the documented order.
    pub const ALL: [Category; 23] = [
        Category::Name,
        Category::Mrn,
        Category::Ssn,
        Category::Date,
        Category::Age,
        Category::Phone,
        Category::Fax,
        Category::Email,
        Category::Address,
        Category::Zip,
        Category::Location,
        Category::Facility,
        Category::Url,
        Category::Ip,
        Category::Account,
        Category::HealthPlan,
        Category::License,
        Category::Vehicle,
        Category::Device,
        Category::OtherId,
        Category::Diagnosis,
        Category::Medication,
        Category::Procedure,
    ];

    /// Returns the contract name of the category (`health-plan`, `other-id`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Name => "name",
            Category::Mrn => "mrn",
            Category::Ssn => "ssn",
            Category::Date => "date",
            Category::Age => "age",
            Category::Phone => "phone",
            Category::Fax => "fax",
            Category::Email => "email",
            Category::Address => "address",
            Category::Zip => "zip",
            Category::Location => "location",
            Category::Facility => "facility",
            Category::Url => "url",
            Category::Ip => "ip",
            Category::Account => "account",
            Category::HealthPlan => "health-plan",
            Category::License => "license",
            Category::Vehicle => "vehicle",
            Category::Device => "device",
            Category::OtherId => "other-id",
            Category::Diagnosis => "diagnosis",
            Category::Medication => "medication",
            Category::Procedure => "procedure",
        }
    }

    /// Returns the category with this contract name.
    pub fn parse(s: &str) -> Option<Category> {
        Category::ALL.iter().copied().find(|c| c.as_str() == s)
    }

    /// Whether this category is a health fact rather than an identifier.
    pub fn is_health(self) -> bool {
        matches!(self, Category::Diagnosis | Category::Medication | Category::Procedure)
    }

    /// Whether this category identifies a person strongly enough to make a breach when linked
    /// to a health fact (a facility or bare date alone does not).
    pub fn identifies(self) -> bool {
        !self.is_health() && !matches!(self, Category::Facility)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How bad a finding is: `high` is a likely breach or an identifier sensitive by itself,
/// `medium` an identifier without a health fact, `low` a quasi-identifier or a health term alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)]
pub enum Severity {
    Low,
    Medium,
    High,
}

impl Severity {
    /// Returns the contract name of the severity.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
        }
    }

    /// Returns the severity with this name.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "low" => Some(Severity::Low),
            "medium" => Some(Severity::Medium),
            "high" => Some(Severity::High),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One detected identifier or health fact in one input.
///
/// `start`/`end` are UTF-8 byte offsets into the scanned text (for a UTF-8 file without a BOM,
/// the file's bytes); `source` is where the value is in the input itself; `line`/`column` are
/// 1-based, counted at the source position when there is one, the column in characters.
#[derive(Clone, Debug, PartialEq, Serialize)]
///
/// Large scans hold hundreds of thousands of findings until the report is written, so the
/// strings are compact: the path and rule id are shared with every other finding of the file
/// and rule, and short values (`masked`, `location`) live inline without an allocation.
pub struct Finding {
    /// The input's display path (relative as given, or the `--stdin-name`).
    pub path: Arc<str>,
    /// The id of the rule that matched.
    pub rule: Arc<str>,
    /// What kind of identifier or health fact this is.
    pub category: Category,
    /// How bad it is, after context and breach linking.
    pub severity: Severity,
    /// How sure the rule is, from 0 to 1, after validators and context.
    pub confidence: f32,
    /// Byte offset of the first byte of the value in the scanned text.
    pub start: usize,
    /// Byte offset one past the last byte of the value.
    pub end: usize,
    /// 1-based line of `start`.
    pub line: usize,
    /// 1-based column of `start`, in characters.
    pub column: usize,
    /// The value with its identifying characters replaced by `*`.
    pub masked: CompactString,
    /// The raw value; present only with `--show-values`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Box<str>>,
    /// Where the value is in an extracted format (`row 41:mrn`, `$.entry[3]…`), when not plain text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<CompactString>,
    /// Where the value is in the input's bytes (or in a named part of it), when they can be
    /// addressed: `line`/`column` are counted there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
    /// The keyed baseline fingerprint; present only when a baseline key is in use.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<Box<str>>,
    /// Whether the evidence marks this name as staff (a clinician cue: Dr, RN, surgeon); staff
    /// names never make a breach. Serialised as `"role": "staff"`, only when set.
    #[serde(rename = "role", skip_serializing_if = "is_false", serialize_with = "staff_role")]
    pub staff: bool,
    /// A possible find: a name the model weighs below `min_confidence` but at or above its
    /// fitted floor. Always `low` and never part of a breach; serialised only when set.
    #[serde(skip_serializing_if = "is_false")]
    pub possible: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn staff_role<S: serde::Serializer>(_: &bool, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str("staff")
}

/// What a file (or a unit of it) amounts to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Nothing to report.
    #[default]
    Clean,
    /// Identifiers or health facts, but none tied together.
    Risky,
    /// A health fact tied to an identifiable person.
    Breach,
}

impl Verdict {
    /// Returns the contract name of the verdict.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Clean => "clean",
            Verdict::Risky => "risky",
            Verdict::Breach => "breach",
        }
    }
}

/// An identifier and a health fact linked in one unit of text.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breach {
    /// The input's display path (shared with the file's findings).
    pub path: Arc<str>,
    /// The unit that links them: `sentence`, `paragraph`, `list item`, `row`, `object`.
    pub unit: &'static str,
    /// One line for a person: `name + diagnosis in one sentence`.
    pub explanation: String,
    /// The words that made it, identifiers masked: `M****** P********* + breast cancer`. Health
    /// terms from the dictionaries are shown as written (a term alone identifies no one); any
    /// other value is masked.
    pub summary: String,
    /// Indices of the linked findings in the report's `findings` array.
    pub findings: Vec<usize>,
    /// 1-based line where the unit starts.
    pub line: usize,
    /// Where the unit is in an extracted format (`row 41`, `$.entry[3]`, `paragraph 2`): the
    /// unit's location, else its first finding's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The smallest range of the input (or of one part of it) holding every linked finding
    /// that has a source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Returns `value` with its identifying characters masked, keeping its shape.
///
/// Letters: the first letter of each word stays, the rest become `*` (`J*** S****`). Digits: all
/// become `*`, except the last four when the value holds nine or more digits, the convention of
/// receipts and statements (`***-**-6789`). Separators and spaces stay, so a reader can still
/// tell a phone from a date.
pub fn mask(value: &str) -> CompactString {
    let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
    let keep_digits_from = if digits >= 9 { digits - 4 } else { usize::MAX };
    let mut out = CompactString::with_capacity(value.len());
    let mut seen_digits = 0;
    let mut at_word_start = true;
    for c in value.chars() {
        if c.is_ascii_digit() {
            out.push(if seen_digits >= keep_digits_from { c } else { '*' });
            seen_digits += 1;
            at_word_start = false;
        } else if c.is_numeric() {
            // Digits of other scripts (fullwidth ５３６, Arabic-Indic) are digits too: the
            // property test found them shown as written.
            out.push('*');
            at_word_start = false;
        } else if c.is_alphabetic() {
            out.push(if at_word_start { c } else { '*' });
            at_word_start = false;
        } else if c.is_whitespace() || c.is_control() {
            // Line breaks inside a value would break line-oriented output.
            out.push(' ');
            at_word_start = true;
        } else {
            out.push(c);
            at_word_start = true;
        }
    }
    out
}

/// Returns the tag redaction writes for a category: `[NAME]`, `[HEALTH_PLAN]`.
pub fn tag(category: Category) -> String {
    format!("[{}]", category.as_str().to_ascii_uppercase().replace('-', "_"))
}

/// Whether `value` is a redaction placeholder that shows nothing a report would not: its own
/// mask (`J*** S****`), or tags and their words only (`[NAME]`, `[NAME], [NAME]`). A name
/// column of a redacted export still reads as names by its header; such values name no one.
pub fn is_redacted(value: &str) -> bool {
    if !value.contains(['*', '[']) && !value.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    if value.contains('*') && mask(value) == value {
        return true;
    }
    let mut rest = value.to_string();
    for c in Category::ALL {
        let word = tag(c);
        rest = rest.replace(word.trim_matches(['[', ']']), "");
    }
    rest.len() < value.len() && !rest.chars().any(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn masks_like_the_docs_say() {
        assert_eq!(mask("123-45-6789"), "***-**-6789");
        assert_eq!(mask("John Smith"), "J*** S****");
        assert_eq!(mask("(555) 012-3456"), "(***) ***-3456");
        assert_eq!(mask("03/14/1987"), "**/**/****");
        assert_eq!(mask("García-López"), "G*****-L****");
        assert_eq!(mask("a\nb"), "a b");
        assert_eq!(mask("\u{ff15}\u{ff13}\u{ff16}-22"), "***-**", "fullwidth digits are digits");
    }

    #[test]
    fn placeholders_are_recognised() {
        for v in ["J*** S****", "[NAME]", "[NAME], [NAME]", "***-**-****", "[HEALTH_PLAN]"] {
            assert!(is_redacted(v), "{v}");
        }
        for v in ["John Smith", "[Jane]", "***-**-6789", "NAMES", "Nameth", "536-22-8727"] {
            assert!(!is_redacted(v), "{v}");
        }
    }

    #[test]
    fn category_names_round_trip() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Some(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
    }

    proptest! {
        /// No run of three or more identifying characters survives masking, except the last four
        /// digits of long numbers.
        #[test]
        fn masking_hides_the_value(value in "[A-Za-z0-9 .@()-]{1,40}") {
            let masked = mask(&value);
            prop_assert_eq!(masked.chars().count(), value.chars().count());
            let letters: String = masked.chars().filter(|c| c.is_alphabetic()).collect();
            let words = value.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).count();
            prop_assert!(letters.chars().count() <= words);
            let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
            let shown = masked.chars().filter(|c| c.is_ascii_digit()).count();
            prop_assert!(shown == 0 || (digits >= 9 && shown == 4));
        }

        /// For any text at all (any script, controls, marks), the characters a mask shows as
        /// written are each alone (a word's initial), apart from the documented last four digits:
        /// never a run of two, so never four raw characters of a value; and it stays one line.
        #[test]
        fn masking_never_shows_a_run_of_raw_characters(value in "\\PC{0,48}|[\\x00-\\x7f]{0,48}|[0-9 ()./-]{9,30}") {
            let masked = mask(&value);
            let pairs: Vec<(char, char)> = value.chars().zip(masked.chars()).collect();
            prop_assert_eq!(pairs.len(), value.chars().count());
            prop_assert!(!masked.contains('\n') && !masked.contains('\r'));
            let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
            // The last four digits, when shown, are the documented exception.
            let mut tail = if digits >= 9 { 4 } else { 0 };
            let mut allowed = vec![false; pairs.len()];
            for (k, (o, _)) in pairs.iter().enumerate().rev() {
                if tail > 0 && o.is_ascii_digit() {
                    allowed[k] = true;
                    tail -= 1;
                }
            }
            let mut run = 0;
            for (k, (o, m)) in pairs.iter().enumerate() {
                let raw = o == m && o.is_alphanumeric() && !allowed[k];
                run = if raw { run + 1 } else { 0 };
                prop_assert!(run < 2, "{:?} masked as {:?}", value, masked.as_str());
            }
        }
    }
}
