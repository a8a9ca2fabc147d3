//! `multipart/form-data` uploads: the one field `file` that a browser's file picker or
//! `curl -F file=@draft.docx` sends, with its file name (which chooses the format).
//!
//! Only what a form upload needs (RFC 7578): the boundary from the Content-Type, each part's
//! `Content-Disposition` name and file name, and the part's bytes. The body is already in memory
//! and bounded by the request size limit, so parsing is a search for the boundary, never a copy
//! of more than the one part asked for. Errors say what is wrong with the upload's shape and
//! never quote its contents.

/// One uploaded file: its name (without folders) and its bytes.
#[derive(Debug, PartialEq, Eq)]
pub struct Upload {
    /// The file name the client sent, without any folder part.
    pub name: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// Returns the boundary of a `multipart/form-data` Content-Type, or `None` if it is not one.
pub fn boundary(content_type: &str) -> Option<Result<String, String>> {
    let mut parts = content_type.split(';');
    let mime = parts.next()?.trim();
    if !mime.eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    for p in parts {
        let Some((k, v)) = p.split_once('=') else { continue };
        if k.trim().eq_ignore_ascii_case("boundary") {
            let v = v.trim();
            let v = v.strip_prefix('"').and_then(|v| v.strip_suffix('"')).unwrap_or(v);
            // RFC 2046: 1 to 70 characters.
            if v.is_empty() || v.len() > 70 {
                return Some(Err("the multipart boundary must be 1 to 70 characters".into()));
            }
            return Some(Ok(v.to_string()));
        }
    }
    Some(Err("multipart/form-data without a boundary parameter".into()))
}

/// Returns the part named `field` of a multipart `body` (consumed: the part's bytes are moved
/// out of it, not copied).
pub fn file_field(mut body: Vec<u8>, boundary: &str, field: &str) -> Result<Upload, String> {
    let delim = format!("--{boundary}").into_bytes();
    let find = |hay: &[u8], from: usize, needle: &[u8]| memchr::memmem::find(&hay[from..], needle).map(|i| from + i);
    // The first delimiter may follow a preamble; later ones follow CRLF.
    let Some(first) = find(&body, 0, &delim) else {
        return Err("the upload is not multipart/form-data as declared (no boundary found)".into());
    };
    let mut pos = first + delim.len();
    let mut next_delim = b"\r\n".to_vec();
    next_delim.extend_from_slice(&delim);
    loop {
        if body[pos..].starts_with(b"--") {
            return Err(format!("the upload has no field named `{field}` (send the file as `{field}`)"));
        }
        // Transport padding, then CRLF, then the part's headers up to a blank line.
        while body.get(pos).is_some_and(|b| *b == b' ' || *b == b'\t') {
            pos += 1;
        }
        if !body[pos..].starts_with(b"\r\n") {
            return Err("malformed multipart body (expected a line break after the boundary)".into());
        }
        pos += 2;
        let Some(head_end) = find(&body, pos, b"\r\n\r\n") else {
            return Err("malformed multipart body (a part has no header end)".into());
        };
        let head = String::from_utf8_lossy(&body[pos..head_end]).into_owned();
        let content = head_end + 4;
        let Some(end) = find(&body, content, &next_delim) else {
            return Err("malformed multipart body (the last part is not closed: truncated upload?)".into());
        };
        let disposition = head
            .split("\r\n")
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-disposition"))
            .map(|(_, v)| v.trim().to_string());
        if let Some(d) = disposition {
            if param(&d, "name").as_deref() == Some(field) {
                let name = param(&d, "filename").map(|n| base_name(&n)).unwrap_or_default();
                body.truncate(end);
                let bytes = body.split_off(content);
                return Ok(Upload { name, bytes });
            }
        }
        pos = end + next_delim.len();
    }
}

/// Returns a parameter of a `Content-Disposition` value (`form-data; name="file"; filename="a.txt"`).
fn param(value: &str, key: &str) -> Option<String> {
    let mut rest = value.split_once(';')?.1;
    loop {
        rest = rest.trim_start();
        let (k, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (v, tail) = if let Some(q) = after.strip_prefix('"') {
            // A quoted string. Browsers send a Windows path's backslashes as they are, so a
            // backslash escapes only a quote.
            let mut out = String::new();
            let mut chars = q.char_indices().peekable();
            let mut end = None;
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' if chars.peek().is_some_and(|&(_, n)| n == '"') => {
                        out.push('"');
                        chars.next();
                    }
                    '"' => {
                        end = Some(i + 1);
                        break;
                    }
                    c => out.push(c),
                }
            }
            let end = end?;
            (out, &q[end..])
        } else {
            let n = after.find(';').unwrap_or(after.len());
            (after[..n].trim().to_string(), &after[n..])
        };
        if k.trim().eq_ignore_ascii_case(key) {
            return Some(v);
        }
        rest = tail.trim_start().strip_prefix(';')?;
    }
}

/// Drops folders from a client's file name (old browsers sent `C:\Users\…\post.docx`) and
/// control characters.
fn base_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    base.chars().filter(|c| !c.is_control()).take(255).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(b"preamble is ignored\r\n");
        for (head, content) in parts {
            out.extend_from_slice(format!("--XyZ\r\n{head}\r\n\r\n{content}\r\n").as_bytes());
        }
        out.extend_from_slice(b"--XyZ--\r\n");
        out
    }

    #[test]
    fn boundary_comes_from_the_content_type() {
        assert_eq!(boundary("multipart/form-data; boundary=XyZ"), Some(Ok("XyZ".into())));
        assert_eq!(boundary("Multipart/Form-Data; charset=x; boundary=\"a b\""), Some(Ok("a b".into())));
        assert!(matches!(boundary("multipart/form-data"), Some(Err(_))));
        assert_eq!(boundary("application/json"), None);
    }

    #[test]
    fn finds_the_file_field_among_others() {
        let b = body(&[
            ("Content-Disposition: form-data; name=\"note\"", "hello"),
            (
                "Content-Disposition: form-data; name=\"file\"; filename=\"C:\\\\drafts\\\\post.md\"\r\nContent-Type: text/markdown",
                "line one\r\nline two",
            ),
        ]);
        let up = file_field(b, "XyZ", "file").unwrap();
        assert_eq!(up.name, "post.md");
        assert_eq!(up.bytes, b"line one\r\nline two");
    }

    #[test]
    fn binary_content_with_crlf_survives() {
        let b = body(&[("Content-Disposition: form-data; name=file; filename=a.bin", "\r\n--X\r\n\0\u{1}")]);
        let up = file_field(b, "XyZ", "file").unwrap();
        assert_eq!(up.bytes, b"\r\n--X\r\n\0\x01");
        assert_eq!(up.name, "a.bin");
    }

    #[test]
    fn shape_errors_are_reported_without_content() {
        let missing = body(&[("Content-Disposition: form-data; name=\"other\"", "Jane Roe")]);
        let e = file_field(missing, "XyZ", "file").unwrap_err();
        assert!(e.contains("no field named `file`"), "{e}");
        assert!(!e.contains("Jane"));
        let truncated = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nabc".to_vec();
        assert!(file_field(truncated, "XyZ", "file").unwrap_err().contains("truncated"));
        assert!(file_field(b"no delimiter".to_vec(), "XyZ", "file").is_err());
        assert!(file_field(b"--XyZ\r\nno header end".to_vec(), "XyZ", "file").is_err());
        assert!(file_field(b"--XyZ".to_vec(), "XyZ", "file").is_err());
    }

    #[test]
    fn disposition_parameters_parse() {
        let d = "form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"";
        assert_eq!(param(d, "name").as_deref(), Some("file"));
        assert_eq!(param(d, "filename").as_deref(), Some("a \"b\".txt"));
        assert_eq!(param("form-data; name=file", "name").as_deref(), Some("file"));
        assert_eq!(param("form-data", "name"), None);
        assert_eq!(param("form-data; name=\"unterminated", "name"), None);
    }
}
