//! Fuzzes masking and label escaping: a mask is one line of the value's length with no two raw
//! characters in a row (beyond the last four digits); escaped labels hold no control character.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(value) = std::str::from_utf8(data) else { return };
    let masked = phiscan::finding::mask(value);
    assert_eq!(masked.chars().count(), value.chars().count());
    assert!(!masked.contains('\n') && !masked.contains('\r'));
    let digits = value.chars().filter(|c| c.is_ascii_digit()).count();
    let mut tail = if digits >= 9 { 4 } else { 0 };
    let pairs: Vec<(char, char)> = value.chars().zip(masked.chars()).collect();
    let mut allowed = vec![false; pairs.len()];
    for (k, (o, _)) in pairs.iter().enumerate().rev() {
        if tail > 0 && o.is_ascii_digit() {
            allowed[k] = true;
            tail -= 1;
        }
    }
    let mut run = 0;
    for (k, (o, m)) in pairs.iter().enumerate() {
        run = if o == m && o.is_alphanumeric() && !allowed[k] { run + 1 } else { 0 };
        assert!(run < 2, "raw characters survive masking");
    }
    let escaped = phiscan::text::label::escape_controls(value);
    assert!(!escaped.chars().any(char::is_control));
    let _ = phiscan::text::label::plain_label(value);
});
