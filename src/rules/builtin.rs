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
pub fn rules() -> Result<Vec<Rule>> {
    let mut all = Vec::new();
    for (name, text) in FILES {
        all.extend(parse_rules(text, &format!("built-in:{name}"))?);
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
