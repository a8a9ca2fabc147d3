//! Office packages (DOCX, XLSX, PPTX, ODT) for redaction: parts read out of the zip, cut as
//! XML, and the zip rebuilt around them.
//!
//! Extraction maps every piece of an Office document's text to a byte range in a named part
//! (`word/document.xml`, `xl/sharedStrings.xml`), so redaction cuts the part's XML bytes in
//! place (see `splice`) and writes a new zip: every entry in its order, the unchanged ones
//! copied raw (their compressed bytes, byte for byte, so `[Content_Types].xml` and an ODT's
//! stored `mimetype` stay exactly as they were) and the changed parts deflated. Before the
//! result is returned [`check`] reopens it: the same entries in the same order, and every
//! changed part well-formed XML. Reading the parts goes through the extractor's limits, so a
//! zip bomb is refused here as it is in `scan`.

use super::Refused;
use crate::extract::archive;
use crate::extract::{Ctx, Kind, Limits};
use std::collections::BTreeMap;
use std::io::{Cursor, Write};

/// The XML parts of a package, by name, as they are now.
#[derive(Clone, Debug, Default)]
pub(crate) struct Package {
    /// Every XML part but `[Content_Types].xml` (which holds no text and must not change).
    pub parts: BTreeMap<String, Vec<u8>>,
    /// The parts changed so far.
    pub changed: Vec<String>,
}

/// Whether redaction reads `kind` as a zip package of XML parts.
pub(crate) fn is_package(kind: Kind) -> bool {
    matches!(kind, Kind::Docx | Kind::Xlsx | Kind::Pptx | Kind::Odt)
}

fn refused(what: &str) -> Refused {
    Refused(format!("{what}: nothing written"))
}

impl Package {
    /// Reads the XML parts of the package in `bytes`, under the extractor's limits.
    pub fn open(kind: Kind, bytes: &[u8]) -> Result<Package, Refused> {
        let mut z = archive::open(bytes).map_err(|_| refused("not a readable zip package"))?;
        let mut ctx = Ctx::new(Limits::default());
        if kind == Kind::Odt {
            // A spreadsheet keeps each number again in a typed attribute (`office:value`) that a
            // replacement cannot be written into validly; only text documents and
            // presentations are cut.
            let mimetype = archive::read_named(&mut z, "mimetype", &mut ctx).ok().flatten().unwrap_or_default();
            if mimetype.starts_with(b"application/vnd.oasis.opendocument.spreadsheet") {
                return Err(refused("redact does not write OpenDocument spreadsheets yet (odt and odp only)"));
            }
        }
        let mut parts = BTreeMap::new();
        for i in 0..z.len() {
            let name = match z.by_index_raw(i) {
                Ok(f) if f.is_dir() => continue,
                Ok(f) => f.name().to_string(),
                Err(_) => return Err(refused("a member of the package cannot be read")),
            };
            if !name.ends_with(".xml") || name == "[Content_Types].xml" {
                continue;
            }
            match archive::read_member(&mut z, i, &mut ctx) {
                Ok((_, data)) => {
                    parts.insert(name, data);
                }
                Err(_) => return Err(refused("a part of the package cannot be read whole")),
            }
        }
        Ok(Package { parts, changed: Vec::new() })
    }

    /// Replaces the part `name` with `bytes`.
    pub fn set(&mut self, name: &str, bytes: Vec<u8>) {
        if self.parts.get(name).is_some_and(|old| *old != bytes) && !self.changed.iter().any(|c| c == name) {
            self.changed.push(name.to_string());
        }
        self.parts.insert(name.to_string(), bytes);
    }

    /// Returns the package `original` with the changed parts written in: every entry in its
    /// order, unchanged ones copied raw.
    pub fn write(&self, original: &[u8]) -> Result<Vec<u8>, Refused> {
        let broken = |_| refused("the package could not be rebuilt");
        let mut z = archive::open(original).map_err(|_| refused("not a readable zip package"))?;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::with_capacity(original.len())));
        for i in 0..z.len() {
            let f = z.by_index_raw(i).map_err(broken)?;
            let name = f.name().to_string();
            match self.parts.get(&name).filter(|_| self.changed.contains(&name)) {
                Some(bytes) => {
                    let mut opts =
                        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
                    if let Some(t) = f.last_modified() {
                        opts = opts.last_modified_time(t);
                    }
                    drop(f);
                    w.start_file(name, opts).map_err(broken)?;
                    w.write_all(bytes).map_err(|_| refused("the package could not be rebuilt"))?;
                }
                None => w.raw_copy_file(f).map_err(broken)?,
            }
        }
        Ok(w.finish().map_err(broken)?.into_inner())
    }
}

/// Checks a rebuilt package against the original: the same entries in the same order, and
/// every changed part well-formed XML.
pub(crate) fn check(original: &[u8], rebuilt: &[u8], package: &Package) -> Result<(), Refused> {
    let names = |bytes: &[u8]| -> Option<Vec<String>> {
        let mut z = archive::open(bytes).ok()?;
        (0..z.len()).map(|i| z.by_index_raw(i).ok().map(|f| f.name().to_string())).collect()
    };
    if names(original) != names(rebuilt) || names(rebuilt).is_none() {
        return Err(refused("redaction would change the package's entries"));
    }
    for name in &package.changed {
        if !well_formed(package.parts.get(name).map_or(&[][..], Vec::as_slice)) {
            return Err(refused("redaction would leave a part that is not well-formed XML"));
        }
    }
    Ok(())
}

/// Whether `xml` parses to its end with every element closed by its own name.
pub(crate) fn well_formed(xml: &[u8]) -> bool {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = true;
    let mut depth = 0usize;
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(_)) => depth += 1,
            Ok(Event::End(_)) => depth = depth.saturating_sub(1),
            Ok(Event::Text(t)) if depth > 0 && t.xml10_content().is_err() => return false,
            Ok(Event::Eof) => return depth == 0,
            Err(_) => return false,
            _ => {}
        }
        buf.clear();
    }
}
