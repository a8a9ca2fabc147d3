//! Built-in rule patterns parsed at build time: a compact binary form of their parsed regexes.
//!
//! Parsing the ~60 built-in patterns with `regex-syntax` was a fifth of the instructions of a
//! one-page scan, on every run, for text that only changes with the binary. `build.rs` parses
//! each pattern once (with the engine's syntax, see `engine::parse_pattern`), writes its `Hir`
//! in the form below next to the pattern's source, and the crate rebuilds the `Hir` through
//! `regex-syntax`'s own constructors, which costs a fraction of parsing. The pattern text in
//! `rules/*.toml` stays the source of truth: an entry is used only for a pattern whose source is
//! byte for byte the one it was made from, `build.rs` keeps only entries that decode to exactly
//! the parsed `Hir`, and a test compares every decoded pattern with a fresh parse. This file is
//! shared with `build.rs` (like `engine/table.rs`), so it uses nothing from the crate.
//!
//! Layout: a list of entries `u32 source length, source, u32 code length, code`, and the code
//! of a `Hir` is a tag byte followed by its fields (integers little-endian `u32`).

use regex_syntax::hir::{Capture, Class, ClassBytes, ClassBytesRange, ClassUnicode, ClassUnicodeRange};
use regex_syntax::hir::{Hir, HirKind, Look, Repetition};

const EMPTY: u8 = 0;
const LITERAL: u8 = 1;
const BYTES: u8 = 2;
const UNICODE: u8 = 3;
const LOOK: u8 = 4;
const REPETITION: u8 = 5;
const CAPTURE: u8 = 6;
const CONCAT: u8 = 7;
const ALTERNATION: u8 = 8;

/// `u32::MAX` as a repetition's maximum means unbounded.
const UNBOUNDED: u32 = u32::MAX;

fn put(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).expect("pattern sizes fit in u32").to_le_bytes());
}

/// Appends the code of `hir` to `out`.
pub fn encode(hir: &Hir, out: &mut Vec<u8>) {
    match hir.kind() {
        HirKind::Empty => out.push(EMPTY),
        HirKind::Literal(lit) => {
            out.push(LITERAL);
            put(out, lit.0.len());
            out.extend_from_slice(&lit.0);
        }
        HirKind::Class(Class::Bytes(c)) => {
            out.push(BYTES);
            put(out, c.ranges().len());
            for r in c.ranges() {
                out.extend_from_slice(&[r.start(), r.end()]);
            }
        }
        HirKind::Class(Class::Unicode(c)) => {
            out.push(UNICODE);
            put(out, c.ranges().len());
            for r in c.ranges() {
                put(out, r.start() as usize);
                put(out, r.end() as usize);
            }
        }
        HirKind::Look(look) => {
            out.push(LOOK);
            put(out, look.as_repr() as usize);
        }
        HirKind::Repetition(rep) => {
            out.push(REPETITION);
            put(out, rep.min as usize);
            put(out, rep.max.map_or(UNBOUNDED as usize, |m| m as usize));
            out.push(u8::from(rep.greedy));
            encode(&rep.sub, out);
        }
        HirKind::Capture(cap) => {
            out.push(CAPTURE);
            put(out, cap.index as usize);
            match &cap.name {
                Some(name) => {
                    put(out, name.len() + 1);
                    out.extend_from_slice(name.as_bytes());
                }
                None => put(out, 0),
            }
            encode(&cap.sub, out);
        }
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            out.push(if matches!(hir.kind(), HirKind::Concat(_)) { CONCAT } else { ALTERNATION });
            put(out, subs.len());
            subs.iter().for_each(|s| encode(s, out));
        }
    }
}

/// Reads the next `u32` from `code`.
fn take_u32(code: &mut &[u8]) -> Option<u32> {
    let (head, rest) = code.split_first_chunk::<4>()?;
    *code = rest;
    Some(u32::from_le_bytes(*head))
}

/// Reads the next `n` bytes from `code`.
fn take<'a>(code: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    let (head, rest) = (code.get(..n)?, code.get(n..)?);
    *code = rest;
    Some(head)
}

/// Rebuilds the `Hir` whose code starts `code`, moving `code` past it; `None` when it is not
/// a valid code.
pub fn decode(code: &mut &[u8]) -> Option<Hir> {
    let (&tag, rest) = code.split_first()?;
    *code = rest;
    Some(match tag {
        EMPTY => Hir::empty(),
        LITERAL => {
            let n = take_u32(code)? as usize;
            Hir::literal(take(code, n)?)
        }
        BYTES => {
            let n = take_u32(code)? as usize;
            let pairs = take(code, 2 * n)?;
            Hir::class(Class::Bytes(ClassBytes::new(pairs.chunks_exact(2).map(|p| ClassBytesRange::new(p[0], p[1])))))
        }
        UNICODE => {
            let n = take_u32(code)? as usize;
            let mut ranges = Vec::with_capacity(n);
            for _ in 0..n {
                let (a, b) = (char::from_u32(take_u32(code)?)?, char::from_u32(take_u32(code)?)?);
                ranges.push(ClassUnicodeRange::new(a, b));
            }
            Hir::class(Class::Unicode(ClassUnicode::new(ranges)))
        }
        LOOK => Hir::look(Look::from_repr(take_u32(code)?)?),
        REPETITION => {
            let min = take_u32(code)?;
            let max = Some(take_u32(code)?).filter(|m| *m != UNBOUNDED);
            let greedy = take(code, 1)?[0] != 0;
            let sub = Box::new(decode(code)?);
            Hir::repetition(Repetition { min, max, greedy, sub })
        }
        CAPTURE => {
            let index = take_u32(code)?;
            let name = match take_u32(code)? as usize {
                0 => None,
                n => Some(std::str::from_utf8(take(code, n - 1)?).ok()?.into()),
            };
            let sub = Box::new(decode(code)?);
            Hir::capture(Capture { index, name, sub })
        }
        CONCAT | ALTERNATION => {
            let n = take_u32(code)? as usize;
            let mut subs = Vec::with_capacity(n.min(code.len()));
            for _ in 0..n {
                subs.push(decode(code)?);
            }
            if tag == CONCAT {
                Hir::concat(subs)
            } else {
                Hir::alternation(subs)
            }
        }
        _ => return None,
    })
}

/// Appends an entry for the pattern `source` parsed as `hir` to `out`.
pub fn push_entry(source: &str, hir: &Hir, out: &mut Vec<u8>) {
    let mut code = Vec::new();
    encode(hir, &mut code);
    put(out, source.len());
    out.extend_from_slice(source.as_bytes());
    put(out, code.len());
    out.extend_from_slice(&code);
}

/// Returns the entries of `packed` in order, as (source, code); stops at a malformed entry.
pub fn entries(mut packed: &[u8]) -> Vec<(&str, &[u8])> {
    let mut out = Vec::new();
    let mut next = || {
        let n = take_u32(&mut packed)? as usize;
        let source = std::str::from_utf8(take(&mut packed, n)?).ok()?;
        let n = take_u32(&mut packed)? as usize;
        Some((source, take(&mut packed, n)?))
    };
    while let Some(entry) = next() {
        out.push(entry);
    }
    out
}
