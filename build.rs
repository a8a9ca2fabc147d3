//! Compiles the embedded word lists (`rules/dicts/*.txt`) into the lexicon's lookup table (and
//! the letter-trigram table of `src/engine/shape.rs`) at build time, so that no run of phiscan spends its start-up building it (see
//! `src/engine/table.rs`, which this script shares with the crate); turns the built-in rule files
//! into the forms a run reads fastest (JSON for the tables, parsed patterns; see
//! `src/rules/packed.rs`); and stamps the version with the git commit it was built from, so
//! `phiscan --version` says exactly which code a hook or a CI job ran.

#[allow(dead_code)]
#[path = "src/engine/table.rs"]
mod table;

#[allow(dead_code)]
#[path = "src/engine/shape.rs"]
mod shape;

#[allow(dead_code)]
#[path = "src/rules/packed.rs"]
mod packed;

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=rules/dicts");
    println!("cargo:rerun-if-changed=src/engine/table.rs");
    let out = std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let path = Path::new(&out).join("lexicon.bin");
    std::fs::write(&path, table::compile()).expect("write the compiled lexicon to OUT_DIR");
    println!("cargo:rerun-if-changed=src/engine/shape.rs");
    std::fs::write(Path::new(&out).join("name-shape.bin"), shape::compile())
        .expect("write the name-shape table to OUT_DIR");
    pack_rules(Path::new(&out));

    let version = std::env::var("CARGO_PKG_VERSION").expect("cargo sets CARGO_PKG_VERSION");
    let commit = match commit() {
        Some((id, date)) => format!("commit {id}, {date}"),
        None => "commit unknown: built outside a git checkout".to_string(),
    };
    println!("cargo:rustc-env=PHISCAN_LONG_VERSION={version} ({commit})");
}

/// Writes `OUT_DIR/rules/NAME.json` (the rule file's tables) and `NAME.packed` (its parsed
/// patterns) for every `rules/NAME.toml`.
///
/// Nothing here decides what a rule means: the crate deserializes the JSON into the same
/// `RuleSpec` as the TOML and compiles it the same way. A file that is not valid TOML gets an
/// empty JSON file, so the crate parses the TOML itself and reports the error as it always did;
/// a pattern that does not parse, or whose parse does not survive the packed form unchanged, is
/// left out, so the crate parses it at run time.
fn pack_rules(out: &Path) {
    println!("cargo:rerun-if-changed=src/rules/packed.rs");
    println!("cargo:rerun-if-changed=rules");
    let dir = out.join("rules");
    std::fs::create_dir_all(&dir).expect("create OUT_DIR/rules");
    let mut names: Vec<_> = std::fs::read_dir("rules")
        .expect("read rules/")
        .map(|e| e.expect("read rules/").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    // The engine's syntax (`engine::syntax_config`): ASCII classes, patterns on bytes.
    let mut parser = regex_syntax::ParserBuilder::new();
    parser.unicode(false).utf8(false);
    for name in names {
        let text = std::fs::read_to_string(Path::new("rules").join(&name)).expect("read a rule file");
        let mut packed = Vec::new();
        let json = match toml::from_str::<serde_json::Value>(&text) {
            Ok(value) => {
                let rules = value.get("rule").and_then(|r| r.as_array()).into_iter().flatten();
                for pattern in rules.filter_map(|r| r.get("pattern")?.as_str()) {
                    let Ok(hir) = parser.build().parse(pattern) else { continue };
                    let mut entry = Vec::new();
                    packed::push_entry(pattern, &hir, &mut entry);
                    let same = packed::entries(&entry)
                        .first()
                        .and_then(|(_, mut code)| packed::decode(&mut code).filter(|_| code.is_empty()))
                        .is_some_and(|decoded| decoded == hir);
                    if same {
                        packed.extend(entry);
                    }
                }
                serde_json::to_string(&value).expect("a TOML value is valid JSON")
            }
            Err(_) => String::new(),
        };
        std::fs::write(dir.join(format!("{name}.json")), json).expect("write a rule file's JSON");
        std::fs::write(dir.join(format!("{name}.packed")), packed).expect("write a rule file's patterns");
    }
}

/// Returns the short commit id and commit date of the source being built: from
/// `PHISCAN_BUILD_COMMIT` (for builds from a tarball), from git when the package is the top of a
/// checkout (`cargo install --path .`, pre-commit's clone), or from the `.cargo_vcs_info.json`
/// that `cargo package` writes.
fn commit() -> Option<(String, String)> {
    println!("cargo:rerun-if-env-changed=PHISCAN_BUILD_COMMIT");
    if let Some(id) = std::env::var("PHISCAN_BUILD_COMMIT").ok().filter(|v| !v.trim().is_empty()) {
        return Some((id.trim().chars().take(12).collect(), "date unknown".into()));
    }
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    from_git(&dir).or_else(|| from_vcs_info(&dir))
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).current_dir(dir).output().ok()?;
    let s = String::from_utf8(out.stdout).ok()?;
    out.status.success().then(|| s.trim().to_string())
}

fn from_git(dir: &Path) -> Option<(String, String)> {
    // Only this package's own checkout counts: a copy vendored inside another project's
    // repository must not claim that project's commit.
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    // Rebuild the stamp when HEAD moves: HEAD itself, the branch it points to, packed refs.
    let git_dir = PathBuf::from(git(dir, &["rev-parse", "--absolute-git-dir"])?);
    let common = git(dir, &["rev-parse", "--git-common-dir"]).map(|c| dir.join(c)).unwrap_or(git_dir.clone());
    let head = git_dir.join("HEAD");
    let mut watch = vec![head.clone(), common.join("packed-refs")];
    if let Some(r) =
        std::fs::read_to_string(&head).ok().and_then(|h| h.strip_prefix("ref: ").map(|r| r.trim().to_string()))
    {
        watch.push(common.join(r));
    }
    for w in watch.iter().filter(|w| w.exists()) {
        println!("cargo:rerun-if-changed={}", w.display());
    }
    let id = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    let date = git(dir, &["log", "-1", "--format=%cs", "HEAD"]).unwrap_or_else(|| "date unknown".into());
    Some((id, date))
}

fn from_vcs_info(dir: &Path) -> Option<(String, String)> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let rest = &text[text.find("\"sha1\"")? + 6..];
    let id: String = rest.chars().skip_while(|c| !c.is_ascii_hexdigit()).take_while(char::is_ascii_hexdigit).collect();
    (id.len() >= 12).then(|| (id[..12].to_string(), "date unknown".into()))
}
