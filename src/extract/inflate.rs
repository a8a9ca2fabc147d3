//! The one capped reader every decompression goes through: zip members (and so DOCX, PPTX,
//! XLSX and ODT parts) and PDF streams (zlib and LZW, see `super::pdf`).
//!
//! A declared size is never trusted. [`Capped`] counts what a decompressor yields and stops with
//! an error the moment the output passes either bound: the input's remaining budget (all its
//! decompressed bytes together) or the ratio bound of this one stream (its compressed size times
//! the ratio limit). The ratio counts only bytes that are not ASCII whitespace: a document padded
//! with spaces compresses a thousandfold and is not a bomb, while a bomb of spaces still meets
//! the budget. E-mail transfer encodings (base64, quoted-printable) never expand; their decoded
//! bytes are charged to the same budget by the mail extractor. Work is linear in the bytes read;
//! memory is bounded by the cap.

use super::Ctx;
use std::io::Read;

/// Which bound a [`Capped`] reader hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Hit {
    /// More non-whitespace output than the ratio bound allows (a decompression bomb).
    Ratio,
    /// More output than the input's remaining decompression budget.
    Budget,
}

/// A reader that yields at most `budget` bytes, and at most `dense` bytes that are not ASCII
/// whitespace, failing with an error once either is passed.
pub struct Capped<R> {
    inner: R,
    budget: u64,
    dense: u64,
    read: u64,
    dense_read: u64,
    hit: Option<Hit>,
}

impl<R: Read> Capped<R> {
    /// Wraps `inner` with the two bounds.
    pub fn new(inner: R, budget: u64, dense: u64) -> Capped<R> {
        Capped { inner, budget, dense, read: 0, dense_read: 0, hit: None }
    }

    /// Returns the bound hit, if one was.
    pub fn hit(&self) -> Option<Hit> {
        self.hit
    }

    /// Returns how many bytes were read.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.hit.is_some() {
            return Err(std::io::Error::other("decompression limit reached"));
        }
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        self.dense_read += buf[..n].iter().filter(|b| !b.is_ascii_whitespace()).count() as u64;
        if self.read > self.budget {
            self.hit = Some(Hit::Budget);
        } else if self.dense_read > self.dense {
            self.hit = Some(Hit::Ratio);
        }
        if self.hit.is_some() {
            return Err(std::io::Error::other("decompression limit reached"));
        }
        Ok(n)
    }
}

/// Why a capped read failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// A bound was hit; the message says which and what the limit is.
    Limit(String),
    /// The compressed data is corrupt or cut short.
    Corrupt,
}

/// Reads all of `inner` (a decompressor over `compressed` bytes) under the input's budget in
/// `ctx`, charging what was read.
pub fn read_all<R: Read>(inner: R, compressed: u64, ctx: &mut Ctx) -> Result<Vec<u8>, Failure> {
    let limits = *ctx.limits();
    let dense = compressed.saturating_mul(limits.max_ratio).max(limits.ratio_floor);
    let mut r = Capped::new(inner, ctx.remaining(), dense);
    let mut out = Vec::new();
    let result = r.read_to_end(&mut out);
    ctx.charge(r.bytes_read());
    match (result, r.hit()) {
        (_, Some(hit)) => Err(Failure::Limit(limit_message(hit, &limits))),
        (Err(_), None) => Err(Failure::Corrupt),
        (Ok(_), None) => Ok(out),
    }
}

/// Says which bound was hit and what it is, in the words every decompression reports.
pub fn limit_message(hit: Hit, limits: &super::Limits) -> String {
    match hit {
        Hit::Ratio => format!(
            "expands more than {}x its compressed size (decompression bomb guard; whitespace not counted, limit {} \
             above {})",
            limits.max_ratio,
            limits.max_ratio,
            crate::text::human_bytes(limits.ratio_floor)
        ),
        Hit::Budget => {
            format!("decompressed size over the {} limit for one input", crate::text::human_bytes(limits.max_expanded))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Limits;

    fn ctx() -> Ctx {
        Ctx::new(Limits { max_expanded: 10_000, max_ratio: 10, ratio_floor: 100, ..Limits::default() })
    }

    #[test]
    fn whitespace_is_not_counted_against_the_ratio() {
        let spaces = vec![b' '; 5_000];
        assert_eq!(read_all(&spaces[..], 10, &mut ctx()).map(|v| v.len()), Ok(5_000));
        let dense = vec![b'x'; 5_000];
        assert!(matches!(read_all(&dense[..], 10, &mut ctx()), Err(Failure::Limit(m)) if m.contains("bomb")));
    }

    #[test]
    fn the_budget_bounds_everything() {
        let spaces = vec![b' '; 20_000];
        assert!(matches!(read_all(&spaces[..], 10, &mut ctx()), Err(Failure::Limit(m)) if m.contains("limit for one")));
        let mut c = ctx();
        assert!(read_all(&[b'a'; 90][..], 10, &mut c).is_ok());
        assert_eq!(c.remaining(), 10_000 - 90);
    }
}
