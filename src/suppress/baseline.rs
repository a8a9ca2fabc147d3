//! Baselines: fingerprints of accepted findings, so a gate reports only what is new.
//!
//! A fingerprint must survive what editors do to a file (lines move, other lines change) and
//! must change when the value does. It is an HMAC-SHA256 over the rule id, the path (relative to
//! the baseline's folder), the normalised value, the normalised line around it with every
//! finding replaced by its rule id, and the occurrence index among identical inputs in the file.
//!
//! Why keyed, and why the key lives outside the repository: a plain hash of a nine-digit SSN is
//! reversed by trying all 10^9 values, and a key stored in the baseline file travels with it and
//! protects nothing. The key comes from `PHISCAN_BASELINE_KEY` (a CI secret), the file named by
//! `PHISCAN_BASELINE_KEY_FILE`, or `~/.config/phiscan/baseline.key`, created on first
//! `baseline create`. The baseline stores only a key id, so a scan with the wrong key fails
//! instead of reporting every finding as new. The trade-off: everyone who gates on the baseline
//! needs the key. The file still holds paths, rule ids and counts: it is sensitive metadata.

use crate::error::{Error, Result};
use crate::finding::Finding;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The baseline file's default name.
pub const BASELINE_FILE: &str = ".phiscan-baseline.json";
/// The environment variable holding the key itself.
pub const KEY_ENV: &str = "PHISCAN_BASELINE_KEY";
/// The environment variable naming a key file.
pub const KEY_FILE_ENV: &str = "PHISCAN_BASELINE_KEY_FILE";
/// The fingerprint scheme; bump it if the inputs change.
pub const SCHEME: &str = "hmac-sha256/v1";
/// Keys shorter than this are refused: a short passphrase can be guessed along with the value.
pub const MIN_KEY_LEN: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// The secret key of a baseline, and where fingerprinted paths are relative to.
#[derive(Clone)]
pub struct Key {
    mac: HmacSha256,
    /// A short public id of the key (an HMAC of a constant), stored in the baseline file.
    pub id: String,
    /// Where the key came from, for messages (`PHISCAN_BASELINE_KEY` or a file path).
    pub origin: String,
    root: PathBuf,
    cwd: PathBuf,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key").field("id", &self.id).field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// Returns the default key file: `$XDG_CONFIG_HOME/phiscan/baseline.key`, else under
/// `~/.config` (or `%APPDATA%` on Windows).
pub fn default_key_file() -> Option<PathBuf> {
    let var = |k: &str| std::env::var_os(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    let base = var("XDG_CONFIG_HOME").or_else(|| var("HOME").map(|h| h.join(".config"))).or_else(|| var("APPDATA"))?;
    Some(base.join("phiscan").join("baseline.key"))
}

fn key_error(message: String) -> Error {
    Error::Baseline { path: None, message }
}

impl Key {
    fn new(secret: &[u8], origin: String, baseline_file: &Path) -> Result<Key> {
        if secret.len() < MIN_KEY_LEN {
            return Err(key_error(format!(
                "the baseline key from {origin} is too short ({} bytes; use at least {MIN_KEY_LEN}, e.g. 64 hex digits)",
                secret.len()
            )));
        }
        let mac = HmacSha256::new_from_slice(secret).expect("HMAC takes any key length");
        let mut id_mac = mac.clone();
        id_mac.update(b"phiscan baseline key id");
        let id = hex(&id_mac.finalize().into_bytes()[..8]);
        let cwd = std::env::current_dir().map_err(|source| Error::Io { path: ".".into(), source })?;
        let dir = match baseline_file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let root = std::fs::canonicalize(&dir).map_err(|source| Error::Io { path: dir, source })?;
        Ok(Key { mac, id, origin, root, cwd: std::fs::canonicalize(&cwd).unwrap_or(cwd) })
    }

    /// Loads the key from the environment or the key file; `Ok(None)` when there is none.
    pub fn load(baseline_file: &Path) -> Result<Option<Key>> {
        if let Some(v) = std::env::var_os(KEY_ENV).filter(|v| !v.is_empty()) {
            let text = v.to_string_lossy();
            return Key::new(text.trim().as_bytes(), KEY_ENV.into(), baseline_file).map(Some);
        }
        let file = match std::env::var_os(KEY_FILE_ENV).filter(|v| !v.is_empty()) {
            Some(f) => PathBuf::from(f),
            None => match default_key_file() {
                Some(f) if f.is_file() => f,
                _ => return Ok(None),
            },
        };
        let text = std::fs::read_to_string(&file).map_err(|source| Error::Io { path: file.clone(), source })?;
        Key::new(text.trim().as_bytes(), file.display().to_string(), baseline_file).map(Some)
    }

    /// Loads the key, or creates a random one in the default key file; returns the key and the
    /// file it created, if any.
    pub fn load_or_create(baseline_file: &Path) -> Result<(Key, Option<PathBuf>)> {
        if let Some(k) = Key::load(baseline_file)? {
            return Ok((k, None));
        }
        let file =
            default_key_file().ok_or_else(|| key_error(format!("no baseline key: set {KEY_ENV} or {KEY_FILE_ENV}")))?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| key_error(format!("cannot draw a random baseline key: {e}")))?;
        let text = hex(&bytes);
        write_secret(&file, &text)?;
        Ok((Key::new(text.as_bytes(), file.display().to_string(), baseline_file)?, Some(file)))
    }

    /// Returns the baseline's folder (canonical), which entry paths are relative to.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Returns `path` (a display path, relative to the working folder) relative to the
    /// baseline's folder, with `/` separators, so baselines work from any folder.
    pub fn relative(&self, path: &str) -> String {
        let abs = self.cwd.join(path);
        crate::input::slash(&crate::input::relative_to(&self.root, &abs))
    }

    /// Sets `fingerprint` on each finding of one file. `findings` must be sorted by start and
    /// `text` be the text they were found in.
    pub fn fingerprint(&self, path: &str, text: &[u8], findings: &mut [Finding]) {
        let rel = self.relative(path);
        let mut seen: std::collections::HashMap<[u8; 32], u32> = std::collections::HashMap::new();
        for i in 0..findings.len() {
            let f = &findings[i];
            let (ls, le) = line_around(text, f.start, f.end);
            let mut mac = self.mac.clone();
            for part in [SCHEME.as_bytes(), rel.as_bytes(), f.rule.as_bytes()] {
                feed(&mut mac, part);
            }
            feed(&mut mac, &normalise_value(&text[f.start..f.end.min(text.len())]));
            feed(&mut mac, &context(text, ls, le, findings));
            let base: [u8; 32] = mac.finalize().into_bytes().into();
            let n = seen.entry(base).or_default();
            let mut occ = self.mac.clone();
            feed(&mut occ, &base);
            feed(&mut occ, &n.to_le_bytes());
            *n += 1;
            findings[i].fingerprint = Some(hex(&occ.finalize().into_bytes()[..16]).into());
        }
    }
}

fn feed(mac: &mut HmacSha256, part: &[u8]) {
    // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
    mac.update(&(part.len() as u64).to_le_bytes());
    mac.update(part);
}

fn write_secret(file: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let err = |source| Error::Io { path: file.to_path_buf(), source };
    if let Some(dir) = file.parent() {
        std::fs::create_dir_all(dir).map_err(err)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(file).map_err(err)?;
    f.write_all(text.as_bytes()).and_then(|_| f.write_all(b"\n")).and_then(|_| f.sync_all()).map_err(err)
}

/// Returns the byte range of the line(s) holding `start..end`, without the newline.
fn line_around(text: &[u8], start: usize, end: usize) -> (usize, usize) {
    let ls = memchr::memrchr(b'\n', &text[..start.min(text.len())]).map_or(0, |i| i + 1);
    let end = end.min(text.len());
    let le = memchr::memchr(b'\n', &text[end..]).map_or(text.len(), |i| end + i);
    (ls, le)
}

/// Returns the line `ls..le` with every finding on it replaced by its rule id, lower-cased and
/// with whitespace collapsed: what a reader sees around a value, without any value.
fn context(text: &[u8], ls: usize, le: usize, findings: &[Finding]) -> Vec<u8> {
    let mut out = Vec::with_capacity(le - ls);
    let mut pos = ls;
    let first = findings.partition_point(|f| f.start < ls);
    for f in findings[first..].iter().take_while(|f| f.start < le) {
        if f.start < pos {
            continue;
        }
        out.extend_from_slice(&text[pos..f.start]);
        out.push(0);
        out.extend_from_slice(f.rule.as_bytes());
        out.push(0);
        pos = f.end.min(le).max(pos);
    }
    out.extend_from_slice(&text[pos.min(le)..le]);
    normalise(&out)
}

fn normalise(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    for word in bytes.split(|b| b.is_ascii_whitespace()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend(word.iter().map(u8::to_ascii_lowercase));
    }
    out
}

/// Letters and digits only, lower-cased: `536-22-8727` and `536 22 8727` are one value.
fn normalise_value(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().filter(|b| b.is_ascii_alphanumeric() || **b >= 0x80).map(u8::to_ascii_lowercase).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One accepted finding.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The path relative to the baseline's folder, `/`-separated.
    pub path: String,
    /// The rule id.
    pub rule: String,
    /// The keyed fingerprint.
    pub fingerprint: String,
}

/// A baseline file: no values, no unkeyed hashes, no timestamps, sorted entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version (1).
    pub version: u32,
    /// The fingerprint scheme ([`SCHEME`]).
    pub scheme: String,
    /// The id of the key the fingerprints were made with.
    pub key_id: String,
    /// Accepted findings, sorted by path, rule, fingerprint.
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// Returns a baseline of `entries` made with `key`, sorted and deduplicated.
    pub fn new(key: &Key, entries: impl IntoIterator<Item = Entry>) -> Baseline {
        let findings: BTreeSet<Entry> = entries.into_iter().collect();
        Baseline { version: 1, scheme: SCHEME.into(), key_id: key.id.clone(), findings: findings.into_iter().collect() }
    }

    /// Reads a baseline file.
    pub fn read(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Baseline {
            path: Some(path.to_path_buf()),
            message: if e.kind() == std::io::ErrorKind::NotFound {
                "no such file (create it with `phiscan baseline create`)".into()
            } else {
                format!("cannot read it: {e}")
            },
        })?;
        let b: Baseline = serde_json::from_str(&text).map_err(|e| Error::Baseline {
            path: Some(path.to_path_buf()),
            message: format!("not a phiscan baseline (line {}): {e}", e.line()),
        })?;
        if b.version != 1 || b.scheme != SCHEME {
            return Err(Error::Baseline {
                path: Some(path.to_path_buf()),
                message: format!("baseline version {} / {:?} is not supported; recreate it", b.version, b.scheme),
            });
        }
        Ok(b)
    }

    /// Fails unless `key` is the key this baseline was made with.
    pub fn check_key(&self, key: &Key, path: &Path) -> Result<()> {
        if self.key_id == key.id {
            return Ok(());
        }
        Err(Error::Baseline {
            path: Some(path.to_path_buf()),
            message: format!(
                "made with baseline key {} but the key from {} is {}; use the same key ({KEY_ENV})",
                self.key_id, key.origin, key.id
            ),
        })
    }

    /// Returns the set of fingerprints.
    pub fn fingerprints(&self) -> BTreeSet<String> {
        self.findings.iter().map(|e| e.fingerprint.clone()).collect()
    }

    /// Renders the file: one entry per line, so two branches' additions merge like lines of text.
    pub fn render(&self) -> String {
        let s = |v: &str| serde_json::to_string(v).expect("strings serialise");
        let mut out = format!(
            "{{\n  \"version\": {},\n  \"scheme\": {},\n  \"key_id\": {},\n  \"findings\": [\n",
            self.version,
            s(&self.scheme),
            s(&self.key_id)
        );
        for (i, e) in self.findings.iter().enumerate() {
            let comma = if i + 1 < self.findings.len() { "," } else { "" };
            out.push_str(&format!(
                "    {{\"path\": {}, \"rule\": {}, \"fingerprint\": {}}}{comma}\n",
                s(&e.path),
                s(&e.rule),
                s(&e.fingerprint)
            ));
        }
        out.push_str("  ]\n}\n");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Category, Severity};

    fn finding(rule: &str, start: usize, end: usize) -> Finding {
        Finding {
            path: "a.txt".into(),
            rule: rule.into(),
            category: Category::Ssn,
            severity: Severity::High,
            confidence: 1.0,
            start,
            end,
            line: 1,
            column: 1,
            masked: Default::default(),
            value: None,
            location: None,
            source: None,
            fingerprint: None,
            staff: false,
            possible: false,
        }
    }

    fn fps(key: &Key, text: &str, spans: &[(usize, usize)]) -> Vec<String> {
        let mut f: Vec<Finding> = spans.iter().map(|&(s, e)| finding("us-ssn", s, e)).collect();
        key.fingerprint("a.txt", text.as_bytes(), &mut f);
        f.into_iter().map(|f| f.fingerprint.unwrap().into()).collect()
    }

    fn span(text: &str, value: &str) -> (usize, usize) {
        let s = text.find(value).unwrap();
        (s, s + value.len())
    }

    #[test]
    fn fingerprints_survive_moves_and_change_with_the_value() {
        let key = Key::new(&[7; 32], "test".into(), Path::new("x")).unwrap();
        let a = "intro\nSSN 536-22-8727 here\n";
        let moved = "new first line\n\nintro edited\nSSN  536-22-8727 here\n";
        let other = "intro\nSSN 536-22-8728 here\n";
        let v = |t: &str, val: &str| fps(&key, t, &[span(t, val)]);
        assert_eq!(v(a, "536-22-8727"), v(moved, "536-22-8727"));
        assert_ne!(v(a, "536-22-8727"), v(other, "536-22-8728"));
        let twice = "SSN 536-22-8727\nSSN 536-22-8727\n";
        let both = fps(&key, twice, &[(4, 15), (20, 31)]);
        assert_ne!(both[0], both[1], "occurrences differ");
        let other_key = Key::new(&[8; 32], "test".into(), Path::new("x")).unwrap();
        assert_ne!(key.id, other_key.id);
        assert_ne!(v(a, "536-22-8727"), fps(&other_key, a, &[span(a, "536-22-8727")]));
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(Key::new(b"hunter2", "test".into(), Path::new("x")).is_err());
    }

    #[test]
    fn rendering_is_sorted_and_parses_back() {
        let key = Key::new(&[7; 32], "test".into(), Path::new("x")).unwrap();
        let e = |p: &str| Entry { path: p.into(), rule: "us-ssn".into(), fingerprint: "00".into() };
        let b = Baseline::new(&key, [e("b.txt"), e("a.txt"), e("a.txt")]);
        let text = b.render();
        assert!(text.find("a.txt").unwrap() < text.find("b.txt").unwrap());
        assert_eq!(serde_json::from_str::<Baseline>(&text).unwrap(), b);
    }
}
