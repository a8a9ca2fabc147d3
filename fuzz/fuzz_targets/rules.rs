//! Fuzzes the rule-file parser: any text is rules or a clean error that never quotes it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = phiscan::rules::parse_rules(text, "fuzz.toml") {
        let message = e.to_string();
        // A long line of the input must not come back in the message.
        for line in text.lines().filter(|l| l.trim().len() >= 24 && !l.contains('`')) {
            assert!(!message.contains(line.trim()), "error quotes the file");
        }
    }
});
