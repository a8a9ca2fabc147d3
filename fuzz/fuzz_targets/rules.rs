//! Fuzzes the rule-file parser: any text is rules or a clean error that never quotes it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    phiscan_fuzz_support::never_quotes_the_input(text, |t| {
        phiscan::rules::parse_rules(t, "fuzz.toml").map(|_| ()).map_err(|e| e.to_string())
    });
});
