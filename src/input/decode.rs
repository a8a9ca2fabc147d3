//! Decoding: bytes from disk to the text the engine scans.
//!
//! UTF-8 is scanned as is (offsets are then the file's own byte offsets, even when some bytes are
//! invalid UTF-8: the engine works on bytes). A UTF-8 BOM is dropped; UTF-16 (with a BOM, or
//! recognised by its zero bytes) is transcoded to UTF-8. Anything else with a NUL byte in its
//! first 8 KB is binary and skipped with that reason, never silently.

/// How a file's bytes were decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (or ASCII), possibly with some invalid bytes.
    Utf8,
    /// UTF-8 with a byte-order mark, which was dropped.
    Utf8Bom,
    /// UTF-16 little-endian, transcoded.
    Utf16Le,
    /// UTF-16 big-endian, transcoded.
    Utf16Be,
}

/// The result of decoding one input.
#[derive(Debug)]
pub enum Decoded {
    /// Text to scan, as UTF-8 bytes (possibly with invalid sequences), and how it was decoded.
    Text(Vec<u8>, Encoding),
    /// Not text; the reason to report.
    Binary,
}

const SNIFF: usize = 8 * 1024;

/// Decodes raw file contents for scanning.
pub fn decode(bytes: Vec<u8>) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return Decoded::Text(rest.to_vec(), Encoding::Utf8Bom);
    }
    if bytes.starts_with(b"\xFF\xFE") {
        return Decoded::Text(utf16(&bytes[2..], false), Encoding::Utf16Le);
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Decoded::Text(utf16(&bytes[2..], true), Encoding::Utf16Be);
    }
    let head = &bytes[..bytes.len().min(SNIFF)];
    if memchr::memchr(0, head).is_none() {
        return Decoded::Text(bytes, Encoding::Utf8);
    }
    match sniff_utf16(head) {
        Some(big_endian) => {
            let enc = if big_endian { Encoding::Utf16Be } else { Encoding::Utf16Le };
            Decoded::Text(utf16(&bytes, big_endian), enc)
        }
        None => Decoded::Binary,
    }
}

/// Recognises BOM-less UTF-16 of mostly ASCII text: zero bytes at nearly every even (big-endian)
/// or odd (little-endian) position and nowhere else.
fn sniff_utf16(head: &[u8]) -> Option<bool> {
    if head.len() < 4 {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|b| **b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd * 10 >= pairs * 9 && even == 0 {
        Some(false)
    } else if even * 10 >= pairs * 9 && odd == 0 {
        Some(true)
    } else {
        None
    }
}

fn utf16(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let text: String = char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)).collect();
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(d: Decoded) -> (String, Encoding) {
        match d {
            Decoded::Text(t, e) => (String::from_utf8(t).unwrap(), e),
            Decoded::Binary => panic!("binary"),
        }
    }

    #[test]
    fn decodes_each_encoding() {
        assert_eq!(text(decode(b"hi".to_vec())), ("hi".into(), Encoding::Utf8));
        assert_eq!(text(decode(b"\xEF\xBB\xBFhi".to_vec())), ("hi".into(), Encoding::Utf8Bom));
        assert_eq!(text(decode(b"\xFF\xFEh\0i\0".to_vec())), ("hi".into(), Encoding::Utf16Le));
        assert_eq!(text(decode(b"\xFE\xFF\0h\0i".to_vec())), ("hi".into(), Encoding::Utf16Be));
        assert_eq!(text(decode(b"h\0e\0l\0l\0o\0".to_vec())), ("hello".into(), Encoding::Utf16Le));
        assert!(matches!(decode(b"\x7fELF\0\0\x01binary".to_vec()), Decoded::Binary));
    }

    #[test]
    fn invalid_utf8_is_kept_as_bytes() {
        match decode(b"ok \xFF\xFE\xFD ok".to_vec()) {
            Decoded::Text(t, Encoding::Utf8) => assert_eq!(t.len(), 9),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn odd_length_utf16_does_not_panic() {
        let _ = decode(b"\xFF\xFEh\0i".to_vec());
    }
}
