//! Fuzzes the whole engine on plain text: findings lie on UTF-8 boundaries of valid text and
//! their masked values never hold the raw value.
#![no_main]
use std::sync::OnceLock;

fn scanner() -> &'static phiscan::scan::Scanner {
    static S: OnceLock<phiscan::scan::Scanner> = OnceLock::new();
    S.get_or_init(|| {
        let rules = phiscan::rules::builtin::rules().expect("built-in rules");
        phiscan::scan::Scanner::with_defaults(phiscan::engine::Engine::new(rules).expect("engine"))
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let r = scanner().scan_text("fuzz.txt", data);
    for f in &r.findings {
        assert!(f.start < f.end && f.end <= data.len());
        if let Ok(text) = std::str::from_utf8(data) {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            let raw = &text[f.start..f.end];
            if raw.chars().filter(|c| c.is_alphanumeric()).count() >= 4 {
                assert_ne!(f.masked.as_str(), raw, "a value shown unmasked");
            }
        }
    }
});
