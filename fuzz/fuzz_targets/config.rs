//! Fuzzes the config-file parser: any text is a config or a clean error that never quotes it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(message) = phiscan::config::parse_spec(text) {
        for line in text.lines().filter(|l| l.trim().len() >= 24 && !l.contains('`')) {
            assert!(!message.contains(line.trim()), "error quotes the file");
        }
    }
});
