//! Decoding: bytes from disk to the text the engine scans.
//!
//! UTF-8 is scanned as is (offsets are then the file's own byte offsets, even when some bytes are
//! invalid UTF-8: the engine works on bytes). A UTF-8 BOM is dropped; UTF-32 (with a BOM) and
//! UTF-16 (with a BOM, or recognised by its zero bytes) are transcoded to UTF-8; the UTF-32 BOMs
//! are checked first, as `FF FE 00 00` also starts with the UTF-16 little-endian BOM. Anything
//! else with a NUL byte in its first 8 KB is binary and skipped with that reason, never silently,
//! unless its name says it is text ([`decode_text`]): a stray NUL in a `.csv` does not make an
//! export unreadable, so it is decoded as it is. Linear in the input.

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
    /// UTF-32 little-endian (after its BOM), transcoded.
    Utf32Le,
    /// UTF-32 big-endian (after its BOM), transcoded.
    Utf32Be,
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
    decode_text(bytes, false)
}

/// Decodes raw file contents; `text` says the name promises text (a `.csv`, `.txt`), so NUL
/// bytes do not make it binary: what decodes is scanned.
pub fn decode_text(bytes: Vec<u8>, text: bool) -> Decoded {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE\0\0") {
        return Decoded::Text(utf32(rest, false), Encoding::Utf32Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\0\0\xFE\xFF") {
        return Decoded::Text(utf32(rest, true), Encoding::Utf32Be);
    }
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
        None if text => Decoded::Text(bytes, Encoding::Utf8),
        None => Decoded::Binary,
    }
}

fn utf32(bytes: &[u8], big_endian: bool) -> Vec<u8> {
    let mut out = String::with_capacity(bytes.len() / 4);
    for c in bytes.chunks_exact(4) {
        let u = if big_endian {
            u32::from_be_bytes([c[0], c[1], c[2], c[3]])
        } else {
            u32::from_le_bytes([c[0], c[1], c[2], c[3]])
        };
        out.push(char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER));
    }
    out.into_bytes()
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
    fn utf32_boms_are_recognised_before_utf16() {
        let le: Vec<u8> =
            b"\xFF\xFE\0\0".iter().copied().chain("Hi \u{e9}".chars().flat_map(|c| (c as u32).to_le_bytes())).collect();
        assert_eq!(text(decode(le)), ("Hi \u{e9}".into(), Encoding::Utf32Le));
        let be: Vec<u8> =
            b"\0\0\xFE\xFF".iter().copied().chain("Hi".chars().flat_map(|c| (c as u32).to_be_bytes())).collect();
        assert_eq!(text(decode(be)), ("Hi".into(), Encoding::Utf32Be));
        let _ = decode(b"\xFF\xFE\0\0\x01\x02".to_vec());
    }

    #[test]
    fn a_nul_in_a_named_text_file_is_not_binary() {
        let bytes = b"name,mrn\nA\0B,1\n".to_vec();
        assert!(matches!(decode(bytes.clone()), Decoded::Binary));
        assert_eq!(text(decode_text(bytes, true)).0, "name,mrn\nA\0B,1\n");
    }

    #[test]
    fn odd_length_utf16_does_not_panic() {
        let _ = decode(b"\xFF\xFEh\0i".to_vec());
    }
}
