//! Fitted logistic models: evidence in, a probability out, weights kept as data.
//!
//! Where several signals must be weighed (is this run of words a person's name?), hand-set
//! thresholds tuned text by text do not generalise. Instead each detector describes a
//! candidate by binary features with fixed names, and a logistic model turns the active ones
//! into a probability: `1 / (1 + e^-(bias + Σ weight))`. The weights are fitted by a committed
//! script on labelled corpora (`scripts/train_names.py`) and embedded from `rules/models/` as
//! TOML, like rules. Every feature may also fire in a casing-specific form (`len1@upper`), so
//! one model learns that capitals mean nothing in an ALL-CAPS note, and pairs of features may
//! carry a weight of their own (`n2&first-is-given`): a linear model cannot otherwise learn
//! that two weak signals together are strong.

use crate::text::segment::Casing;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

/// A model file: `bias` and a `[weights]` table from feature name to weight.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSpec {
    bias: f32,
    #[serde(default)]
    possible: Option<f32>,
    weights: BTreeMap<String, f32>,
}

/// A model file read by [`parse_plain`]: the bias, the `possible` floor if any, and the weights
/// sorted by feature name (the order of [`ModelSpec::weights`]).
type PlainSpec<'a> = (f32, Option<f32>, Vec<(&'a str, f32)>);

/// Reads the plain layout `scripts/train_names.py` writes (`bias = x`, `possible = y`, `[weights]`, then one
/// `"name" = w` per line) without a TOML parser: parsing the embedded model was a fifth of a
/// one-page draft's scan. Returns `None` on anything else, which then goes to `toml`.
///
/// The names are borrowed from `text` and sorted once at the end, not inserted one by one
/// into a map of owned strings: that map was a third of the remaining cost.
fn parse_plain(text: &str) -> Option<PlainSpec<'_>> {
    let (mut bias, mut possible, mut weights, mut in_weights) = (None, None, Vec::new(), false);
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line == "[weights]" {
            in_weights = true;
            continue;
        }
        // `split_once(" = ")`, without setting up a substring searcher for every line.
        let at = line.as_bytes().windows(3).position(|w| w == b" = ")?;
        let (key, value) = (&line[..at], &line[at + 3..]);
        let value: f32 = value.trim().parse().ok()?;
        if !in_weights && key == "bias" {
            bias = Some(value);
        } else if !in_weights && key == "possible" {
            possible = Some(value);
        } else {
            let name = key.strip_prefix('"')?.strip_suffix('"')?;
            if !in_weights || name.contains(['"', '\\']) {
                return None;
            }
            weights.push((name, value));
        }
    }
    weights.sort_unstable_by(|a: &(&str, f32), b| a.0.cmp(b.0));
    // A name given twice is not the plain layout (TOML rejects it).
    if weights.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    Some((bias?, possible, weights))
}

/// A logistic model over a fixed list of binary features, with a copy of each feature per
/// casing (mixed, upper, lower).
#[derive(Debug, Clone)]
pub struct Model {
    bias: f32,
    /// `3 × features`: the plain weight, then the `@upper` and `@lower` copies.
    weights: Vec<f32>,
    features: usize,
    /// Weights of feature pairs `(a, b)`, `a < b`.
    pairs: HashMap<(u16, u16), f32>,
    /// The probability from which a candidate is worth reporting as a possible find (below the
    /// scan's `min_confidence`): the threshold the fitting script found best on held-back text.
    possible: Option<f32>,
}

impl Model {
    /// Parses a model file against the detector's feature names; an unknown name is an error.
    pub fn parse(text: &str, names: &[&str]) -> Result<Model, String> {
        let spec: ModelSpec;
        let (bias, possible, plain) = match parse_plain(text) {
            Some(parsed) => parsed,
            None => {
                spec = toml::from_str(text).map_err(|e| e.message().to_string())?;
                (spec.bias, spec.possible, spec.weights.iter().map(|(k, v)| (k.as_str(), *v)).collect())
            }
        };
        if let Some(p) = possible.filter(|p| !(0.0..=1.0).contains(p)) {
            return Err(format!("possible must be between 0 and 1, not {p}"));
        }
        let n = names.len();
        let mut weights = vec![0.0; 3 * n];
        let mut pairs = HashMap::new();
        let by_name: HashMap<&str, usize> = names.iter().enumerate().map(|(i, f)| (*f, i)).collect();
        let index = |f: &str| by_name.get(f).copied().ok_or_else(|| format!("unknown feature {f:?}"));
        for (name, w) in plain {
            if let Some((a, b)) = name.split_once('&') {
                let (a, b) = (index(a)?, index(b)?);
                let key = (a.min(b) as u16, a.max(b) as u16);
                pairs.insert(key, w);
                continue;
            }
            let (base, offset) = match name.split_once('@') {
                None => (name, 0),
                Some((b, "upper")) => (b, n),
                Some((b, "lower")) => (b, 2 * n),
                Some(_) => return Err(format!("unknown casing in feature {name:?}")),
            };
            weights[offset + index(base)?] = w;
        }
        Ok(Model { bias, weights, features: n, pairs, possible })
    }

    /// Returns the probability from which a candidate is a possible find, if the model has one.
    pub fn possible(&self) -> Option<f32> {
        self.possible
    }

    /// Returns the probability that a candidate with the active `features` (indices into the
    /// feature names) in a block of `casing` is what the detector looks for.
    pub fn probability(&self, features: &[usize], casing: Casing) -> f32 {
        let offset = match casing {
            Casing::Mixed => None,
            Casing::Upper => Some(self.features),
            Casing::Lower => Some(2 * self.features),
        };
        let mut z = self.bias;
        for (k, &f) in features.iter().enumerate() {
            z += self.weights[f];
            if let Some(o) = offset {
                z += self.weights[o + f];
            }
            if !self.pairs.is_empty() {
                for &g in &features[k + 1..] {
                    let key = (f.min(g) as u16, f.max(g) as u16);
                    z += self.pairs.get(&key).copied().unwrap_or(0.0);
                }
            }
        }
        1.0 / (1.0 + (-z).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_add_up_per_casing() {
        let m = Model::parse("bias = 0.0\n[weights]\na = 2.0\n\"a@upper\" = -4.0\n", &["a", "b"]).unwrap();
        assert!(m.probability(&[0], Casing::Mixed) > 0.85);
        assert!(m.probability(&[0], Casing::Upper) < 0.15);
        assert!((m.probability(&[1], Casing::Lower) - 0.5).abs() < 1e-6);
        assert!(Model::parse("bias = 0.0\n[weights]\nzz = 1.0\n", &["a"]).is_err());
        assert!(Model::parse("bias = 0.0\n[weights]\n\"a@shout\" = 1.0\n", &["a"]).is_err());
        let m = Model::parse("bias = 0.0\n[weights]\n\"b&a\" = 3.0\n", &["a", "b"]).unwrap();
        assert!(m.probability(&[0, 1], Casing::Mixed) > 0.95);
        assert!((m.probability(&[1], Casing::Mixed) - 0.5).abs() < 1e-6);
        assert_eq!(m.possible(), None);
    }

    #[test]
    fn possible_floor_is_read_and_checked() {
        let m = Model::parse("bias = 0.0\npossible = 0.25\n[weights]\na = 1.0\n", &["a"]).unwrap();
        assert_eq!(m.possible(), Some(0.25));
        assert!(Model::parse("bias = 0.0\npossible = 1.5\n[weights]\n", &["a"]).is_err());
        // `possible` belongs before the weights: inside them it would be a feature name.
        assert!(Model::parse("bias = 0.0\n[weights]\npossible = 0.3\n", &["a"]).is_err());
    }

    #[test]
    fn plain_reader_agrees_with_toml_on_the_embedded_model() {
        let text = include_str!("../../rules/models/person-name.toml");
        let (bias, possible, weights) = parse_plain(text).expect("the embedded model has the plain layout");
        let full: ModelSpec = toml::from_str(text).unwrap();
        assert_eq!(bias, full.bias);
        assert_eq!(possible, full.possible);
        assert_eq!(weights, full.weights.iter().map(|(k, v)| (k.as_str(), *v)).collect::<Vec<_>>());
        assert!(parse_plain("bias = 1.0\n[weights]\n\"a\" = 1\n\"a\" = 2\n").is_none());
        assert!(parse_plain("[weights]\n\"a\" = 1\n").is_none());
    }
}
