//! The built-in rule files, embedded in the binary.
//!
//! An explicit table rather than a directory macro: adding a file is one line here, and a test
//! fails when a file under `rules/` is missing from the table, so nothing on disk is silently left
//! out of the binary. The TOML files are the source of truth; a run reads what `build.rs` made of
//! them (the tables as JSON, the patterns already parsed), which a test checks against them.

use super::{parse_prepared, parse_rules, Rule};
use crate::error::Result;

/// Declares the table of built-in rule files and, in the same order, what `build.rs` made of
/// each (see [`super::packed`]).
macro_rules! builtin_files {
    ($($name:literal),* $(,)?) => {
        /// Every built-in rule file: (file name, contents).
        pub const FILES: &[(&str, &str)] = &[$(($name, include_str!(concat!("../../rules/", $name)))),*];

        /// Per entry of [`FILES`]: its tables as JSON (empty when the file is not valid TOML)
        /// and its parsed patterns.
        const PREPARED: &[(&str, &[u8])] = &[$((
            include_str!(concat!(env!("OUT_DIR"), "/rules/", $name, ".json")),
            include_bytes!(concat!(env!("OUT_DIR"), "/rules/", $name, ".packed")),
        )),*];
    };
}

builtin_files![
    "contact.toml",
    "dates.toml",
    "financial.toml",
    "government.toml",
    "health.toml",
    "location.toml",
    "medical-ids.toml",
    "people-places.toml",
    "structured.toml",
    "vehicles-devices.toml",
];

/// Returns the compiled built-in rules, in file order.
///
/// Parsing them (TOML, then each pattern) is a quarter of a one-page scan, so the files are
/// shared between this thread and one more, each taking the next file when it is done. A plain
/// thread, not rayon: a pool's idle workers spin for milliseconds after the work is done, and
/// on two cores that slowed the engine build and the scan that come next.
pub fn rules() -> Result<Vec<Rule>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((name, text)) = FILES.get(i) else { break };
            let origin = format!("built-in:{name}");
            let rules = match PREPARED[i] {
                ("", _) => parse_rules(text, &origin),
                (json, patterns) => parse_prepared(json, patterns, &origin),
            };
            done.push((i, rules));
        }
        done
    };
    let mut parts = std::thread::scope(|s| {
        let other = s.spawn(work);
        let mut mine = work();
        mine.extend(other.join().unwrap_or_else(|p| std::panic::resume_unwind(p)));
        mine
    });
    parts.sort_unstable_by_key(|(i, _)| *i);
    let mut all = Vec::new();
    for (_, rules) in parts {
        all.extend(rules?);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_file_on_disk_is_embedded() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let embedded: Vec<String> = FILES.iter().map(|(n, _)| n.to_string()).collect();
        assert_eq!(on_disk, embedded, "rules/*.toml and rules::builtin::FILES disagree");
    }

    #[test]
    fn prepared_rules_are_the_rules_of_the_toml_files() {
        // Everything a rule holds, its parsed pattern included (`Debug` prints every field).
        for (i, (name, text)) in FILES.iter().enumerate() {
            let (json, patterns) = PREPARED[i];
            assert!(!json.is_empty(), "{name}: build.rs could not read it as TOML");
            let from_toml = format!("{:?}", parse_rules(text, name).unwrap());
            let prepared = format!("{:?}", parse_prepared(json, patterns, name).unwrap());
            assert_eq!(from_toml, prepared, "{name}");
            let with_pattern = text.lines().filter(|l| l.starts_with("pattern = ")).count();
            assert_eq!(super::super::packed::entries(patterns).len(), with_pattern, "{name}: a pattern was not packed");
        }
    }

    #[test]
    fn built_in_rules_compile_with_unique_ids() {
        let rules = rules().unwrap();
        assert!(rules.len() >= 20);
        super::super::check_unique(&rules).unwrap();
    }
}
