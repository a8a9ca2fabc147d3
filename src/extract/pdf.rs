//! PDF: the text layer, page by page, through `lopdf`.
//!
//! Flyers and reports are published as PDF. Text is read per page (`page 3`) with lopdf's
//! extractor, which handles the standard and ToUnicode encodings of text-based PDFs. Where it
//! cannot help, the file is skipped with the reason rather than guessed at: an encrypted PDF
//! (no password), a PDF without a text layer (a scan: OCR it first). A corrupt or truncated
//! file is an error. Parser panics are caught by the caller and reported for this file only.
//!
//! **Every decompression is capped.** lopdf decodes streams itself, without a bound, in three
//! places: cross-reference streams while it reads the file's structure, object streams
//! (`/Type /ObjStm`, which hold the page tree of most modern PDFs) while it loads objects, and
//! content streams while it extracts text. None of them reaches lopdf undecoded:
//! - cross-reference streams are test-inflated through the capped reader before lopdf sees the
//!   file (`check_xref_streams`): lopdf's own decoding then yields no more than that;
//! - every other stream is decoded by us while lopdf loads it, through lopdf's object filter
//!   (`cap_stream`): `FlateDecode` and `LZWDecode` through the capped reader every
//!   decompression shares ([`super::inflate`]), `ASCII85Decode` (at most 4 bytes per input byte)
//!   against the budget. A stream is then handed to lopdf plain, so lopdf never decodes it again
//!   (object streams included), except one with predictor parameters, which lopdf re-decodes
//!   to the size already checked. A stream over a limit makes the file an error.
//!
//! **A damaged cross-reference table is rebuilt.** Offsets shifted by a few bytes (a file edited
//! as text, a transfer that changed line endings) leave lopdf with no objects or no pages. When
//! loading fails, or the file yields no text and lopdf loaded fewer objects than it holds, the
//! objects are found by scanning for their `N G obj` headers, a fresh table is appended and the
//! file is read again (`rebuild_xref`). Only a PDF that still has no text is "no text layer".
//!
//! Work is linear in the input, the decompressed bytes (bounded by the budget) and the pages'
//! text; a rebuild reads the file once more.

use super::inflate::{Capped, Hit};
use super::{Builder, Ctx, Document, Problem};
use lopdf::{Object, ObjectId};
use std::cell::RefCell;
use std::io::Read;

/// Extracts the text layer of a PDF.
pub fn extract(bytes: &[u8], ctx: &mut Ctx) -> Result<Document, Problem> {
    let encrypted = memchr::memmem::find(bytes, b"/Encrypt").is_some();
    check_xref_streams(bytes, ctx)?;
    let first = load(bytes, ctx);
    // An encrypted file is never rebuilt: its trailer holds the key material.
    if encrypted {
        return match first {
            Ok(mut doc) => {
                cap_decrypted(&mut doc, ctx)?;
                text_of(&doc, true)
            }
            Err(LoadError::Limit(m)) => Err(Problem::Error(m)),
            Err(LoadError::Unreadable) => Err(encrypted_skip()),
        };
    }
    // How many objects lopdf loaded: fewer than the file holds means offsets it could not follow.
    let (first, loaded) = match first {
        Ok(doc) => match text_of(&doc, false) {
            Ok(d) => return Ok(d),
            Err(p) => (Err(p), doc.objects.len()),
        },
        Err(LoadError::Limit(m)) => return Err(Problem::Error(m)),
        Err(LoadError::Unreadable) => (Err(Problem::Error("not a readable PDF (corrupt or truncated)".into())), 0),
    };
    // No document, or no text and objects lopdf did not reach: read it again with the objects
    // found by scanning, which is what a damaged cross-reference table needs. A sound file
    // without text (a scan) is not read twice, and the first verdict stands when the rebuilt
    // file gives no text either.
    let Some((rebuilt, found)) = rebuild_xref(bytes) else { return first };
    if found <= loaded {
        return first;
    }
    match load(&rebuilt, ctx) {
        Ok(doc) => match text_of(&doc, false) {
            Ok(mut d) => {
                d.notes.push("cross-reference table damaged: objects found by scanning the file".into());
                Ok(d)
            }
            Err(_) => first,
        },
        Err(LoadError::Limit(m)) => Err(Problem::Error(m)),
        Err(LoadError::Unreadable) => first,
    }
}

/// Reads the text of every page of a loaded document.
fn text_of(doc: &lopdf::Document, encrypted: bool) -> Result<Document, Problem> {
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

/// Why [`load`] gave no document.
enum LoadError {
    /// A stream went over a decompression limit; the message says which and why.
    Limit(String),
    /// lopdf could not read the file.
    Unreadable,
}

/// What the object filter works with while lopdf loads one file on this thread: lopdf takes a
/// plain `fn` as its filter, so the budget cannot be captured and is lent here instead.
struct Loading {
    ctx: Ctx,
    /// The first limit hit, with the stream it was hit in.
    failure: Option<String>,
}

thread_local! {
    static LOADING: RefCell<Option<Loading>> = const { RefCell::new(None) };
}

/// Clears this thread's [`LOADING`] however the load ends (a lopdf panic included), so a later
/// file never sees an earlier file's budget.
struct Lent;

impl Drop for Lent {
    fn drop(&mut self) {
        LOADING.with(|l| l.borrow_mut().take());
    }
}

/// Loads `bytes` with lopdf, every stream decoded by [`cap_stream`] under `ctx`'s budget.
fn load(bytes: &[u8], ctx: &mut Ctx) -> Result<lopdf::Document, LoadError> {
    // Always given: lopdf itself ignores the filter for a file whose trailer names an
    // encryption dictionary (its streams are ciphertext until decrypted), and a `/Encrypt`
    // anywhere else in the bytes must not switch the cap off.
    let options = lopdf::LoadOptions { filter: Some(cap_stream), ..Default::default() };
    let limits = *ctx.limits();
    let lent = std::mem::replace(ctx, Ctx::new(limits));
    LOADING.with(|l| *l.borrow_mut() = Some(Loading { ctx: lent, failure: None }));
    let guard = Lent;
    let result = lopdf::Document::load_mem_with_options(bytes, options);
    let back = LOADING.with(|l| l.borrow_mut().take()).expect("the budget lent for this load");
    drop(guard);
    *ctx = back.ctx;
    if let Some(m) = back.failure {
        return Err(LoadError::Limit(m));
    }
    result.map_err(|_| LoadError::Unreadable)
}

/// Decodes the streams of an encrypted document after loading (lopdf decrypts them only then,
/// when the user password is empty), before its text extraction would decode them uncapped.
/// Its object streams are decoded by lopdf while loading and are not capped here.
fn cap_decrypted(doc: &mut lopdf::Document, ctx: &mut Ctx) -> Result<(), Problem> {
    for (id, object) in doc.objects.iter_mut() {
        let Object::Stream(stream) = object else { continue };
        match decode(stream, ctx) {
            Ok(Decoded::Plain(data)) => stream.set_plain_content(data),
            Ok(Decoded::Leave) => {}
            Err(reason) => return Err(Problem::Error(format!("not read: stream {} {}: {reason}", id.0, id.1))),
        }
    }
    Ok(())
}

/// lopdf's object filter: decodes a stream under the lent budget and hands it back plain.
/// Everything is kept (`Some`); lopdf keeps the object as changed here, and uses the returned
/// copy only for objects inside an object stream, which are never streams themselves.
fn cap_stream(id: ObjectId, object: &mut Object) -> Option<(ObjectId, Object)> {
    let Object::Stream(stream) = object else { return Some((id, object.clone())) };
    LOADING.with(|l| {
        let mut l = l.borrow_mut();
        let Some(state) = l.as_mut() else { return };
        if state.failure.is_some() {
            // The file is already an error: keep no more of it.
            stream.set_plain_content(Vec::new());
            return;
        }
        match decode(stream, &mut state.ctx) {
            Ok(Decoded::Plain(data)) => stream.set_plain_content(data),
            Ok(Decoded::Leave) => {}
            Err(reason) => {
                state.failure = Some(format!("not read: stream {} {}: {reason}", id.0, id.1));
                stream.set_plain_content(Vec::new());
            }
        }
    });
    Some((id, Object::Null))
}

/// What [`decode`] made of a stream.
#[derive(Debug)]
enum Decoded {
    /// The decoded bytes, to hand lopdf with no filter left to apply.
    Plain(Vec<u8>),
    /// Left as it is: no filter, a filter lopdf cannot decode either (after stages that were
    /// checked), or predictor parameters lopdf applies to output whose size was checked here.
    Leave,
}

/// Decodes `stream`'s filters in order under `ctx`'s budget. A damaged stage yields what it
/// could (as lopdf's own decoders do) and the rest is decoded from that, so lopdf never gets a
/// stream it would decode further without a cap.
fn decode(stream: &lopdf::Stream, ctx: &mut Ctx) -> Result<Decoded, String> {
    let Ok(filters) = stream.filters() else { return Ok(Decoded::Leave) };
    if filters.is_empty() {
        return Ok(Decoded::Leave);
    }
    let params = stream.dict.get(b"DecodeParms").ok();
    let early_change = params
        .and_then(|p| p.as_dict().ok())
        .and_then(|p| p.get(b"EarlyChange").ok())
        .and_then(|v| v.as_i64().ok())
        .is_none_or(|v| v != 0);
    let mut data: Option<Vec<u8>> = None;
    let mut damaged = false;
    for filter in &filters {
        let input = data.as_deref().unwrap_or(&stream.content);
        let (out, whole) = match *filter {
            b"FlateDecode" | b"Fl" => inflate(input, ctx)?,
            b"LZWDecode" | b"LZW" => lzw(input, early_change, ctx)?,
            b"ASCII85Decode" | b"A85" => ascii85(input, ctx)?,
            // One lopdf cannot decode either: it fails there, after the stages checked above.
            _ if damaged => return Ok(Decoded::Plain(Vec::new())),
            _ => return Ok(Decoded::Leave),
        };
        damaged |= !whole;
        data = Some(out);
    }
    let data = data.unwrap_or_default();
    if params.is_some() && !damaged {
        return Ok(Decoded::Leave);
    }
    Ok(Decoded::Plain(data))
}

/// Inflates one zlib stage; `false` with what was read when the data is damaged. Like lopdf, a
/// stream whose zlib header is wrong is read as raw deflate.
fn inflate(input: &[u8], ctx: &mut Ctx) -> Result<(Vec<u8>, bool), String> {
    let (out, whole) = capped(flate2::read::ZlibDecoder::new(input), input.len() as u64, ctx)?;
    if whole || !out.is_empty() || input.len() <= 2 {
        return Ok((out, whole));
    }
    capped(flate2::read::DeflateDecoder::new(&input[2..]), input.len() as u64, ctx)
}

/// Decodes one LZW stage (PDF's code sizes: 9 to 12 bits, most significant bit first) through
/// the cap: a code can stand for thousands of bytes, and one stage can follow another.
fn lzw(input: &[u8], early_change: bool, ctx: &mut Ctx) -> Result<(Vec<u8>, bool), String> {
    use weezl::{decode::Decoder, BitOrder};
    let decoder =
        if early_change { Decoder::with_tiff_size_switch(BitOrder::Msb, 8) } else { Decoder::new(BitOrder::Msb, 8) };
    capped(Lzw { decoder, rest: input, done: false }, input.len() as u64, ctx)
}

/// weezl's LZW decoder as a reader, so its output goes through the capped reader like zlib's.
struct Lzw<'a> {
    decoder: weezl::decode::Decoder,
    rest: &'a [u8],
    done: bool,
}

impl Read for Lzw<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        use weezl::LzwStatus;
        while !self.done && !buf.is_empty() {
            let r = self.decoder.decode_bytes(self.rest, buf);
            self.rest = &self.rest[r.consumed_in..];
            match r.status {
                Err(e) => {
                    self.done = true;
                    return Err(std::io::Error::other(e));
                }
                // The end code, or input that ended without one (lopdf takes both as the end).
                Ok(LzwStatus::Done | LzwStatus::NoProgress) => self.done = true,
                Ok(LzwStatus::Ok) => self.done = r.consumed_in == 0 && r.consumed_out == 0,
            }
            if r.consumed_out > 0 {
                return Ok(r.consumed_out);
            }
        }
        Ok(0)
    }
}

/// Decodes one ASCII85 stage with lopdf's decoder, after checking its bound against the budget:
/// 4 bytes out for each byte in (`z`), so a chain of them can still multiply.
fn ascii85(input: &[u8], ctx: &mut Ctx) -> Result<(Vec<u8>, bool), String> {
    let most = (input.len() as u64).saturating_mul(4);
    if most > ctx.remaining() {
        return Err(limit_reason(Hit::Budget, ctx));
    }
    let mut dict = lopdf::Dictionary::new();
    dict.set("Filter", Object::Name(b"ASCII85Decode".to_vec()));
    match lopdf::Stream::new(dict, input.to_vec()).decompressed_content() {
        Ok(out) => {
            ctx.charge(out.len() as u64);
            Ok((out, true))
        }
        Err(_) => Ok((Vec::new(), false)),
    }
}

/// Reads a decompressor through the capped reader, keeping what was read when the data is
/// damaged (`false`); a bound hit is the error.
fn capped<R: Read>(inner: R, compressed: u64, ctx: &mut Ctx) -> Result<(Vec<u8>, bool), String> {
    let limits = *ctx.limits();
    let dense = compressed.saturating_mul(limits.max_ratio).max(limits.ratio_floor);
    let mut r = Capped::new(inner, ctx.remaining(), dense);
    let mut out = Vec::new();
    let whole = r.read_to_end(&mut out).is_ok();
    ctx.charge(r.bytes_read());
    match r.hit() {
        Some(hit) => Err(limit_reason(hit, ctx)),
        None => Ok((out, whole)),
    }
}

/// The reason for a bound hit, worded as for every other decompression.
fn limit_reason(hit: Hit, ctx: &Ctx) -> String {
    super::inflate::limit_message(hit, ctx.limits())
}

/// Test-inflates every cross-reference stream (`/Type /XRef`) through the cap before lopdf,
/// which decodes them while reading the file's structure, with no bound and before any filter
/// runs. Up to four nested zlib stages are followed (lopdf decodes as many as the dictionary
/// names). What is inflated here is charged to the budget. Each stream is tried once, and the
/// search for the next one starts past the last: linear in the file.
fn check_xref_streams(bytes: &[u8], ctx: &mut Ctx) -> Result<(), Problem> {
    let mut past = 0;
    for at in memchr::memmem::find_iter(bytes, b"/XRef") {
        if at < past {
            continue;
        }
        let Some(found) = memchr::memmem::find(&bytes[at..], b"stream") else { break };
        let mut start = at + found + b"stream".len();
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) == Some(&b'\n') {
            start += 1;
        }
        past = start;
        // Its length may be an indirect reference: the rest of the file bounds it, and zlib
        // stops at the end of its own data.
        let mut data: Option<Vec<u8>> = None;
        for _ in 0..4 {
            let input = data.as_deref().unwrap_or(&bytes[start..]);
            match capped(flate2::read::ZlibDecoder::new(input), input.len() as u64, ctx) {
                Ok((out, _)) if !out.is_empty() => data = Some(out),
                Ok(_) => break,
                Err(reason) => return Err(Problem::Error(format!("not read: cross-reference stream: {reason}"))),
            }
        }
    }
    Ok(())
}

/// Rebuilds the cross-reference table of a damaged PDF from the objects found by scanning for
/// `N G obj` headers (the last definition of a number wins, as in an incremental update), and
/// returns the file with that table appended and the number of objects found, or `None` when
/// no objects or no catalog are found. Linear in the file.
fn rebuild_xref(bytes: &[u8]) -> Option<(Vec<u8>, usize)> {
    // lopdf reads offsets from the `%PDF-` header, not from the start of the file.
    let base = memchr::memmem::find(bytes, b"%PDF-").unwrap_or(0);
    let body = &bytes[base..];
    let mut objects: std::collections::BTreeMap<u32, (usize, u16)> = Default::default();
    for at in memchr::memmem::find_iter(body, b"obj") {
        if let Some((num, generation, start)) = object_header(body, at) {
            objects.insert(num, (start, generation));
        }
    }
    let root = trailer_root(body).or_else(|| catalog(body, &objects))?;
    let max = *objects.keys().next_back()?;
    let mut table = String::from("\nxref\n0 1\n0000000000 65535 f \n");
    for (num, (offset, generation)) in &objects {
        table.push_str(&format!("{num} 1\n{offset:010} {generation:05} n \n"));
    }
    let mut out = bytes.to_vec();
    let xref_at = body.len() + 1;
    out.extend_from_slice(table.as_bytes());
    out.extend_from_slice(
        format!("trailer\n<< /Size {} /Root {} {} R >>\nstartxref\n{xref_at}\n%%EOF\n", max as u64 + 1, root.0, root.1)
            .as_bytes(),
    );
    Some((out, objects.len()))
}

/// Reads the object header ending with the `obj` at `at`: `N G obj` at the start of a line or
/// after whitespace, followed by a delimiter. Returns the numbers and where the header starts.
fn object_header(body: &[u8], at: usize) -> Option<(u32, u16, usize)> {
    let after = body.get(at + 3).copied();
    if after.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut i = at;
    let space = |i: &mut usize| {
        let end = *i;
        while *i > 0 && matches!(body[*i - 1], b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'\0') {
            *i -= 1;
        }
        *i < end
    };
    let digits = |i: &mut usize| {
        let end = *i;
        while *i > 0 && body[*i - 1].is_ascii_digit() && end - *i < 10 {
            *i -= 1;
        }
        (*i < end).then(|| std::str::from_utf8(&body[*i..end]).ok()?.parse::<u64>().ok()).flatten()
    };
    if !space(&mut i) {
        return None;
    }
    let generation = u16::try_from(digits(&mut i)?).ok()?;
    if !space(&mut i) {
        return None;
    }
    let num = u32::try_from(digits(&mut i)?).ok()?;
    let start = i;
    // The number must stand alone: nothing but whitespace or a delimiter before it.
    if i > 0 && !matches!(body[i - 1], b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' | b'>' | b']' | b')' | b'}') {
        return None;
    }
    Some((num, generation, start))
}

/// The catalog named by the last `/Root N G R` in the file, if any.
fn trailer_root(body: &[u8]) -> Option<(u32, u16)> {
    let at = memchr::memmem::rfind(body, b"/Root")? + b"/Root".len();
    let near = String::from_utf8_lossy(&body[at..body.len().min(at + 40)]);
    let mut words = near.split(|c: char| c.is_ascii_whitespace()).filter(|w| !w.is_empty());
    let num = words.next()?.parse().ok()?;
    let generation = words.next()?.parse().ok()?;
    words.next()?.starts_with('R').then_some((num, generation))
}

/// The object whose text holds the last `/Catalog`, when no trailer names the root.
fn catalog(body: &[u8], objects: &std::collections::BTreeMap<u32, (usize, u16)>) -> Option<(u32, u16)> {
    let at = memchr::memmem::rfind(body, b"/Catalog")?;
    objects
        .iter()
        .filter(|(_, (offset, _))| *offset < at)
        .max_by_key(|(_, (offset, _))| *offset)
        .map(|(n, (_, g))| (*n, *g))
}

fn encrypted_skip() -> Problem {
    Problem::Skip("encrypted PDF: its text cannot be read without the password".into())
}
