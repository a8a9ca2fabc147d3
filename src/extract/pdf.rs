//! PDF: the text layer, page by page, through `lopdf`.
//!
//! Flyers and reports are published as PDF. Text is read per page (`page 3`) with lopdf's
//! extractor, which handles the standard and ToUnicode encodings of text-based PDFs. Where it
//! cannot help, the file is skipped with the reason rather than guessed at: an encrypted PDF
//! (no password), a PDF without a text layer (a scan: OCR it first). A corrupt or truncated
//! file is an error. Parser panics are caught by the caller and reported for this file only.

use super::{Builder, Document, Problem};

/// Extracts the text layer of a PDF.
pub fn extract(bytes: &[u8]) -> Result<Document, Problem> {
    let encrypted = memchr::memmem::find(bytes, b"/Encrypt").is_some();
    let doc = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(_) if encrypted => return Err(encrypted_skip()),
        Err(_) => return Err(Problem::Error("not a readable PDF (corrupt or truncated)".into())),
    };
    let mut b = Builder::new();
    let mut failed = 0;
    let pages = doc.get_pages();
    for &n in pages.keys() {
        match doc.extract_text(&[n]) {
            Ok(text) => {
                for line in text.lines() {
                    b.text_block(line, format!("page {n}"));
                }
                b.paragraph_break();
            }
            Err(_) => failed += 1,
        }
    }
    let any_text = b.text().iter().any(|c| c.is_ascii_alphanumeric() || *c >= 0x80);
    if !any_text {
        if encrypted {
            return Err(encrypted_skip());
        }
        return Err(Problem::Skip(if failed > 0 {
            format!("no readable text layer ({failed} of {} pages could not be decoded)", pages.len())
        } else {
            "no text layer (a scanned image?): OCR it, then scan the text".to_string()
        }));
    }
    if failed > 0 {
        b.note(format!("{failed} of {} pages could not be decoded; the rest was scanned", pages.len()));
    }
    Ok(b.finish())
}

fn encrypted_skip() -> Problem {
    Problem::Skip("encrypted PDF: its text cannot be read without the password".into())
}
