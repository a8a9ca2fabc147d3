//! The built-in rule files, embedded in the binary.
//!
//! An explicit table rather than a build script or a directory macro: adding a file is one line
//! here, and a test fails when a file under `rules/` is missing from the table, so nothing on disk
//! is silently left out of the binary.

use super::{parse_rules, Rule};
use crate::error::Result;

/// Every built-in rule file: (file name, contents).
pub const FILES: &[(&str, &str)] = &[
    ("contact.toml", include_str!("../../rules/contact.toml")),
    ("dates.toml", include_str!("../../rules/dates.toml")),
    ("financial.toml", include_str!("../../rules/financial.toml")),
    ("government.toml", include_str!("../../rules/government.toml")),
    ("health.toml", include_str!("../../rules/health.toml")),
    ("location.toml", include_str!("../../rules/location.toml")),
    ("medical-ids.toml", include_str!("../../rules/medical-ids.toml")),
    ("people-places.toml", include_str!("../../rules/people-places.toml")),
    ("structured.toml", include_str!("../../rules/structured.toml")),
    ("vehicles-devices.toml", include_str!("../../rules/vehicles-devices.toml")),
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
            done.push((i, parse_rules(text, &format!("built-in:{name}"))));
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
    fn built_in_rules_compile_with_unique_ids() {
        let rules = rules().unwrap();
        assert!(rules.len() >= 20);
        super::super::check_unique(&rules).unwrap();
    }
}
