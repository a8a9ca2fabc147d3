//! Zip archives: members read under limits and extracted recursively.
//!
//! Zip is also the envelope of DOCX, PPTX, XLSX and ODT, so reading one member safely lives here
//! once. A member's declared size is not trusted: it is read through a cap (what is left of the
//! input's decompression budget, and its compressed size times the ratio limit, see
//! [`super::inflate`]) and abandoned as soon as it passes it, so a zip bomb costs a few megabytes,
//! not the machine; a member over a limit, and members past the member-count limit, are errors
//! (exit 2), never silent skips. Encrypted members are skipped with that reason. Work is linear
//! in the members read and their decompressed bytes.

use super::{extract_into, Ctx, Item, Kind, Problem};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// An open zip over bytes in memory.
pub type Zip<'a> = ZipArchive<Cursor<&'a [u8]>>;

/// Opens `bytes` as a zip archive.
pub fn open(bytes: &[u8]) -> Result<Zip<'_>, Problem> {
    ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Problem::Error(format!("not a readable zip archive ({})", zip_error_kind(&e))))
}

/// Returns a description of a zip error that cannot quote content.
pub fn zip_error_kind(e: &zip::result::ZipError) -> &'static str {
    use zip::result::ZipError;
    match e {
        ZipError::Io(_) => "truncated or unreadable",
        ZipError::InvalidArchive(_) => "truncated or corrupt",
        ZipError::UnsupportedArchive(_) => "unsupported compression or encryption",
        ZipError::FileNotFound => "member not found",
        _ => "corrupt",
    }
}

/// Returns the office format a zip holds, judged by its members, if it is one.
pub fn sniff_zip(bytes: &[u8]) -> Option<Kind> {
    let mut z = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names: Vec<&str> = z.file_names().collect();
    let has = |n: &str| names.contains(&n);
    let kind = if has("word/document.xml") {
        Kind::Docx
    } else if has("ppt/presentation.xml") {
        Kind::Pptx
    } else if has("xl/workbook.xml") {
        Kind::Xlsx
    } else if has("content.xml") && has("mimetype") {
        let mut m = String::new();
        let is_odf = z
            .by_name("mimetype")
            .ok()
            .and_then(|f| f.take(128).read_to_string(&mut m).ok())
            .is_some_and(|_| m.starts_with("application/vnd.oasis.opendocument"));
        if is_odf {
            Kind::Odt
        } else {
            Kind::Zip
        }
    } else {
        Kind::Zip
    };
    Some(kind)
}

/// Reads member `index` under the limits, returning its name and bytes.
pub fn read_member(z: &mut Zip<'_>, index: usize, ctx: &mut Ctx) -> Result<(String, Vec<u8>), (String, Problem)> {
    let (name, encrypted, compressed) = match z.by_index_raw(index) {
        Ok(f) => (f.name().to_string(), f.encrypted(), f.compressed_size()),
        Err(e) => {
            return Err((
                format!("member {}", index + 1),
                Problem::Error(format!("unreadable member ({})", zip_error_kind(&e))),
            ))
        }
    };
    if encrypted {
        return Err((name, Problem::Skip("encrypted (password-protected) member".into())));
    }
    let mut f = match z.by_index(index) {
        Ok(f) => f,
        Err(e) => return Err((name, Problem::Error(format!("unreadable member ({})", zip_error_kind(&e))))),
    };
    let bytes = match super::inflate::read_all(&mut f, compressed, ctx) {
        Ok(bytes) => bytes,
        Err(super::inflate::Failure::Limit(reason)) => {
            return Err((name, Problem::Error(format!("not read: {reason}"))))
        }
        Err(super::inflate::Failure::Corrupt) => {
            return Err((name, Problem::Error("unreadable member (corrupt or truncated data)".into())))
        }
    };
    Ok((name, bytes))
}

/// Reads the member named `name`, if present, under the limits.
pub fn read_named(z: &mut Zip<'_>, name: &str, ctx: &mut Ctx) -> Result<Option<Vec<u8>>, Problem> {
    let Some(index) = z.index_for_name(name) else {
        return Ok(None);
    };
    match read_member(z, index, ctx) {
        Ok((_, bytes)) => Ok(Some(bytes)),
        Err((member, Problem::Skip(r))) => Err(Problem::Skip(format!("part {member}: {r}"))),
        Err((member, Problem::Error(r))) => Err(Problem::Error(format!("part {member}: {r}"))),
    }
}

/// Returns how member `index` named `name` is shown in paths: its name with control characters
/// escaped, each folder and file name as written when it reads like one, else by position
/// (`member 4.csv`, extension kept), as a member's name may be a patient's.
pub fn shown_name(name: &str, index: usize) -> String {
    let plain = name.split('/').all(crate::text::label::plain_file_name);
    if plain {
        return crate::text::label::escape_controls(&name.replace('!', "_")).into_owned();
    }
    let base = name.rsplit('/').next().unwrap_or(name);
    match base
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .filter(|e| e.len() <= 8 && e.chars().all(|c| c.is_ascii_alphanumeric()))
    {
        Some(ext) => format!("member {}.{ext}", index + 1),
        None => format!("member {}", index + 1),
    }
}

/// Extracts every member of a zip archive into `out`, as `member!name`.
pub fn extract_zip(bytes: &[u8], ctx: &mut Ctx, member: &str, out: &mut Vec<Item>) {
    let mut z = match open(bytes) {
        Ok(z) => z,
        Err(p) => {
            out.push(Item { member: member.to_string(), result: Err(p) });
            return;
        }
    };
    let max = ctx.limits().max_members;
    if z.len() > max {
        out.push(Item {
            member: member.to_string(),
            result: Err(Problem::Error(format!(
                "{} members, over the limit of {max}: members after the first {max} not scanned",
                z.len()
            ))),
        });
    }
    for i in 0..z.len().min(max) {
        if z.by_index_raw(i).is_ok_and(|f| f.is_dir()) {
            continue;
        }
        match read_member(&mut z, i, ctx) {
            Ok((name, data)) => {
                let kind = Kind::from_name(&name);
                if kind.is_none() && data.is_empty() {
                    continue;
                }
                extract_into(&name, data, None, ctx, format!("{member}!{}", shown_name(&name, i)), out);
            }
            Err((name, problem)) => {
                out.push(Item { member: format!("{member}!{}", shown_name(&name, i)), result: Err(problem) })
            }
        }
    }
}
