//! PDF: the text layer, page by page, through `lopdf`.
//!
//! Flyers and reports are published as PDF. Text is read per page (`page 3`) with lopdf's
//! extractor, which handles the standard and ToUnicode encodings of text-based PDFs. Where it
//! cannot help, the file is skipped with the reason rather than guessed at: an encrypted PDF
//! (no password), a PDF without a text layer (a scan: OCR it first). A corrupt or truncated
//! file is an error. Parser panics are caught by the caller and reported for this file only.
//!
//! Streams are inflated by us before lopdf reads them, through the capped reader every
//! decompression shares ([`super::inflate`]): a stream whose filters are all `FlateDecode`
//! (nested filters included: a 4 KB file of double-deflated zeros reached 4 GB) is decoded under
//! the input's budget and ratio bound, and one over a limit makes the file an error. Work is
//! linear in the decompressed bytes (bounded by the budget) and the pages' text.

use super::{Builder, Ctx, Document, Problem};

/// Extracts the text layer of a PDF.
pub fn extract(bytes: &[u8], ctx: &mut Ctx) -> Result<Document, Problem> {
    let encrypted = memchr::memmem::find(bytes, b"/Encrypt").is_some();
    let mut doc = match lopdf::Document::load_mem(bytes) {
        Ok(d) => d,
        Err(_) if encrypted => return Err(encrypted_skip()),
        Err(_) => return Err(Problem::Error("not a readable PDF (corrupt or truncated)".into())),
    };
    if !encrypted {
        inflate_streams(&mut doc, ctx)?;
    }
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

/// Inflates every stream whose filters are all `FlateDecode` (without predictor parameters)
/// through the capped reader, in place; a stream over a limit is this file's error.
fn inflate_streams(doc: &mut lopdf::Document, ctx: &mut Ctx) -> Result<(), Problem> {
    for (id, object) in doc.objects.iter_mut() {
        let lopdf::Object::Stream(stream) = object else { continue };
        let Ok(filters) = stream.filters() else { continue };
        let flate_only = !filters.is_empty() && filters.iter().all(|f| *f == b"FlateDecode" || *f == b"Fl");
        if !flate_only || stream.dict.get(b"DecodeParms").is_ok() {
            continue;
        }
        let stages = filters.len();
        let mut data: Option<Vec<u8>> = None;
        for _ in 0..stages {
            let input = data.as_deref().unwrap_or(&stream.content);
            match super::inflate::read_all(flate2::read::ZlibDecoder::new(input), input.len() as u64, ctx) {
                Ok(out) => data = Some(out),
                Err(super::inflate::Failure::Limit(reason)) => {
                    return Err(Problem::Error(format!("not read: stream {} {}: {reason}", id.0, id.1)));
                }
                Err(super::inflate::Failure::Corrupt) => {
                    data = None;
                    break;
                }
            }
        }
        // A damaged stream is left to lopdf, which reads what it can of it (and counts the page
        // as undecodable when it cannot): its raw bytes are no larger than the file.
        let Some(data) = data else { continue };
        stream.set_plain_content(data);
    }
    Ok(())
}

fn encrypted_skip() -> Problem {
    Problem::Skip("encrypted PDF: its text cannot be read without the password".into())
}
