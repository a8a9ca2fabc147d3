//! Fuzzes decoding: any bytes decode without panicking, to valid UTF-8 when transcoded.
#![no_main]
use phiscan::input::decode::{decode_text, Decoded, Encoding};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    for named_text in [false, true] {
        if let Decoded::Text(text, enc) = decode_text(data.to_vec(), named_text) {
            if !matches!(enc, Encoding::Utf8 | Encoding::Utf8Bom) {
                assert!(std::str::from_utf8(&text).is_ok(), "transcoded text is UTF-8");
            }
        }
    }
});
