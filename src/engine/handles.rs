//! Social handles: `@name` and Reddit's `u/name`, the way people are named online.
//!
//! A handle identifies a person as surely as a name does ("@ida_moss we're sorry about your
//! wait"), so it is reported as `other-id` and takes part in breach linking. Handles of
//! organisations (`@CityGeneralNews`, `@lakeside_health`) name no one: a handle made of an
//! organisation word is marked with [`EVIDENCE_ORG`] and never makes a breach; list your own
//! organisation's handles in `allow` to silence them. An `@` inside an e-mail address or after
//! a word character is not a handle.
//!
//! Text that passed through a tokenizer (exports of NLP tools, some archives) writes a handle
//! as "@ name". There an `@`, one space and a single word count as a handle only when the word
//! is shaped like a user name (digits, `_`, inner capitals) or is no English word or place: in
//! "dinner @ Rosa's" or "@ home", the `@` means "at".

use super::lexicon::{self, Lexicon, ENGLISH, FUNCTION, NOT_NAME, ORG, PLACE, STATE};
use super::Candidate;

/// The id of the rule whose detector this is.
pub const RULE: &str = "social-handle";
/// Evidence bit: the handle is an organisation's.
pub const EVIDENCE_ORG: u32 = 8;

/// Handle words that are an organisation's, beyond the lexicon's organisation words.
const ORG_PARTS: &[&str] = &[
    "official",
    "news",
    "hq",
    "tv",
    "fm",
    "radio",
    "inc",
    "org",
    "gov",
    "edu",
    "team",
    "club",
    "med",
    "care",
    "health",
    "clinic",
    "hosp",
    "hospital",
    "foundation",
    "fdn",
    "nurses",
    "pharma",
    "labs",
    "app",
    "support",
    "help",
    "info",
    "jobs",
    "careers",
    "events",
    "media",
    "press",
    "daily",
    "weekly",
    "magazine",
    "store",
    "shop",
];

/// Appends handle candidates of `text` to `out`.
pub fn find(text: &[u8], rule: usize, out: &mut Vec<Candidate>) {
    let lex = Lexicon::get();
    for at in memchr::memchr_iter(b'@', text) {
        if at > 0 && (text[at - 1].is_ascii_alphanumeric() || matches!(text[at - 1], b'_' | b'.' | b'@' | b'-')) {
            continue;
        }
        let spaced = text.get(at + 1) == Some(&b' ');
        let from = at + 1 + usize::from(spaced);
        let len = text[from..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'_').count();
        let end = from + len;
        if spaced && (len > 15 || !username_shaped(lex, &text[from..end])) {
            continue;
        }
        // `@host.example` is an address part; `@2pm` is a time.
        if !(2..=30).contains(&len)
            || text.get(end) == Some(&b'.') && text.get(end + 1).is_some_and(u8::is_ascii_alphanumeric)
            || text.get(end) == Some(&b'@')
            || !text[from..end].iter().any(u8::is_ascii_alphabetic)
            || text[from].is_ascii_digit()
        {
            continue;
        }
        push(lex, text, rule, at, end, out);
    }
    // Reddit: "u/name", "/u/name".
    for u in memchr::memmem::find_iter(text, b"u/") {
        if u > 0 && (text[u - 1].is_ascii_alphanumeric() || text[u - 1] == b'_') {
            continue;
        }
        let len = text[u + 2..].iter().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-')).count();
        if (3..=20).contains(&len) && text[u + 2..u + 2 + len].iter().any(u8::is_ascii_alphabetic) {
            push(lex, text, rule, u, u + 2 + len, out);
        }
    }
}

/// Whether a word after "@ " reads as a user name rather than a place or a word ("@ home").
fn username_shaped(lex: &Lexicon, word: &[u8]) -> bool {
    if word.len() < 2 {
        return false;
    }
    let inner_capital = word[1..].iter().any(u8::is_ascii_uppercase) && word.iter().any(u8::is_ascii_lowercase);
    if inner_capital || word.iter().any(|b| b.is_ascii_digit() || *b == b'_') {
        return true;
    }
    let mut key = Vec::new();
    lexicon::lower_into(word, &mut key);
    lex.flags(&key) & (ENGLISH | PLACE | STATE | FUNCTION | NOT_NAME | ORG) == 0
}

fn push(lex: &Lexicon, text: &[u8], rule: usize, start: usize, end: usize, out: &mut Vec<Candidate>) {
    let org = parts(&text[start..end]).iter().any(|p| {
        let mut key = Vec::new();
        lexicon::lower_into(p, &mut key);
        ORG_PARTS.iter().any(|o| o.as_bytes() == key.as_slice()) || lex.flags(&key) & ORG != 0
    });
    out.push(Candidate { rule, start, end, confidence: 0.85, evidence: if org { EVIDENCE_ORG } else { 0 } });
}

/// Splits a handle into its words: at `_`, digits and lower-to-upper case changes
/// (`@LakesideHealth_News` → Lakeside, Health, News); the `@` or `u/` prefix is dropped.
fn parts(handle: &[u8]) -> Vec<&[u8]> {
    let body = handle.strip_prefix(b"@ ").or_else(|| handle.strip_prefix(b"@")).or_else(|| handle.strip_prefix(b"u/"));
    let body = body.unwrap_or(handle);
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..=body.len() {
        let boundary = i == body.len()
            || !body[i].is_ascii_alphabetic()
            || (body[i].is_ascii_uppercase() && body[i - 1].is_ascii_lowercase());
        if boundary && start < i {
            let p = &body[start..i];
            let p = p.strip_prefix(b"_").unwrap_or(p);
            if p.iter().any(u8::is_ascii_alphabetic) {
                out.push(p);
            }
            start = i;
            while start < body.len() && !body[start].is_ascii_alphabetic() {
                start += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text: no panic, and every handle starts with `@` or `u/` and lies inside the text.
        #[test]
        fn any_text_is_safe(text in "[@a-zA-Z0-9_./ -]{0,40}") {
            let mut out = Vec::new();
            find(text.as_bytes(), 0, &mut out);
            for c in out {
                let h = &text.as_bytes()[c.start..c.end];
                prop_assert!(h.starts_with(b"@") || h.starts_with(b"u/"));
            }
        }
    }

    fn handles(text: &str) -> Vec<(String, bool)> {
        let mut out = Vec::new();
        find(text.as_bytes(), 0, &mut out);
        out.iter().map(|c| (text[c.start..c.end].to_string(), c.evidence & EVIDENCE_ORG != 0)).collect()
    }

    #[test]
    fn finds_handles_not_addresses() {
        assert_eq!(handles("@quill_marrow so sorry!"), [("@quill_marrow".to_string(), false)]);
        assert_eq!(handles("mail ida.moss@mail.example or @ida"), [("@ida".to_string(), false)]);
        assert_eq!(handles("see you @2pm, cc @OtisVane"), [("@OtisVane".to_string(), false)]);
        assert_eq!(handles("as u/throwaway_nurse42 said"), [("u/throwaway_nurse42".to_string(), false)]);
        // Tokenized text: "@ name" is a handle only when the word is shaped like one.
        assert_eq!(handles("RT @ QuillonV2 : lol"), [("@ QuillonV2".to_string(), false)]);
        assert!(handles("dinner @ home, then @ Portland").is_empty());
    }

    #[test]
    fn organisation_handles_are_marked() {
        assert_eq!(handles("thanks @BrackenValleyHealth!"), [("@BrackenValleyHealth".to_string(), true)]);
        assert_eq!(handles("via @wexmoor_news"), [("@wexmoor_news".to_string(), true)]);
        assert_eq!(parts(b"@LakesideHealth_News2"), [&b"Lakeside"[..], b"Health", b"News"]);
        assert_eq!(parts(b"@ab12c34"), [&b"ab"[..], b"c"]);
    }
}
