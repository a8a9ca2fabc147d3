//! The matching engine: one multi-pattern regex pass and one keyword pass per text.
//!
//! Every regex rule is compiled into a single multi-pattern regex ([`multi`]: leftmost-first, ASCII
//! classes, on bytes), so a text is searched once whatever the number of rules; the same regex,
//! anchored to one pattern, re-searches at a match's start when a rule has a `value` group, or
//! when the winning rule's validator rejects the match and another rule may claim that start.
//! Keyword rules share one Aho-Corasick automaton. Detectors for names, places and health terms
//! (see [`detectors`]) run over the same text. The engine knows nothing of context, severity
//! adjustments or breaches: that is `score`'s job. It returns [`Candidate`]s in text order.

pub mod context;
pub mod describe;
pub mod detectors;
pub mod facility;
pub mod handles;
pub mod health;
pub mod lay;
pub mod lexicon;
pub mod model;
pub mod multi;
pub mod names;
pub mod places;
pub mod shape;
pub mod table;

use crate::error::{Error, Result};
use crate::rules::{Matcher, Rule};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind as AcMatchKind};
use multi::Multi;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, PatternID};

/// A match that passed its rule's validators, before context and linking.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Candidate {
    /// Index of the rule in [`Engine::rules`].
    pub rule: usize,
    /// Byte offset of the value's start.
    pub start: usize,
    /// Byte offset one past the value's end.
    pub end: usize,
    /// Confidence before context.
    pub confidence: f32,
    /// Detector-specific evidence flags (see [`names`]); 0 for regex and keyword matches.
    pub evidence: u32,
}

fn syntax_config() -> syntax::Config {
    // ASCII classes and word boundaries keep the whole rule set inside the lazy DFA; Unicode
    // word boundaries would push every search onto a slower engine. Rules match on bytes, so
    // invalid UTF-8 in an input never stops a scan.
    syntax::Config::new().unicode(false).utf8(false)
}

/// Lazy DFA cache limit per search thread. With ~60 patterns in one regex the default (2 MB)
/// fills on long texts and is cleared and rebuilt; the larger limit measured ~2% faster on the
/// 100 MB corpus. It is a limit, not an allocation: small runs never reach it.
const HYBRID_CACHE: usize = 16 << 20;

/// The longest span an anchored re-search of one rule may cover (a labelled value with its
/// label, a street address, a date with its time): far beyond any real identifier.
const MAX_MATCH: usize = 1024;

/// Parses one rule pattern with the engine's syntax: checks it at load time, cheaply.
pub fn parse_pattern(pattern: &str) -> std::result::Result<regex_syntax::hir::Hir, Box<regex_syntax::Error>> {
    regex_automata::util::syntax::parse_with(pattern, &syntax_config()).map_err(Box::new)
}

pub use crate::text::words::{is_word_byte, on_word_boundaries};

/// Loads the shared lexicon and the name model now. A command line calls this on a spare
/// thread while it parses rules and compiles the engine, so a one-page draft does not wait for
/// them on its first word.
pub fn warm_up() {
    lexicon::Lexicon::get();
    names::warm_up();
}

/// Texts at least this long run their regex and dictionary passes in parallel.
pub const PARALLEL_MIN: usize = 256 * 1024;

/// The compiled rule set, shared read-only by every scanning thread.
pub struct Engine {
    rules: Vec<Rule>,
    multi: Option<Multi>,
    /// For each pattern id of `multi`: the rule index and its value groups.
    patterns: Vec<(usize, Vec<usize>)>,
    /// For each rule: its pattern id when it is a pattern without value groups, whose
    /// candidates start where its match starts (see [`Engine::alternatives`]).
    plain_pattern: Vec<Option<usize>>,
    keywords: Option<AhoCorasick>,
    /// For each keyword pattern id: the rule index.
    keyword_rule: Vec<usize>,
    lexicon: detectors::Detectors,
    /// Rule ids, shared by every finding of the rule.
    ids: Vec<std::sync::Arc<str>>,
    /// Per rule: its context words, negative context words, and negative words after a match.
    context: Vec<(context::WordSet, context::WordSet, context::WordSet)>,
    /// Whether no text has been searched yet (see [`Engine::find`]).
    cold: std::sync::atomic::AtomicBool,
}

impl Engine {
    /// Compiles the rules into one engine.
    pub fn new(rules: Vec<Rule>) -> Result<Engine> {
        // First, so the dictionaries start building while the regexes compile.
        let lexicon = detectors::Detectors::new(&rules);
        let mut sources = Vec::new();
        let mut patterns = Vec::new();
        let mut kw = Vec::new();
        let mut keyword_rule = Vec::new();
        // Where two patterns match at the same start, leftmost-first prefers the lower pattern
        // id: give the more confident rules the lower ids, so a vague shape (five digits, any
        // digit group) never hides a specific one (a date, a labelled MRN).
        let mut order: Vec<usize> = (0..rules.len()).collect();
        order.sort_by(|&a, &b| rules[b].confidence.total_cmp(&rules[a].confidence).then(a.cmp(&b)));
        for &i in &order {
            let rule = &rules[i];
            if let Matcher::Pattern { hir, value_groups, .. } = &rule.matcher {
                sources.push(&**hir);
                patterns.push((i, value_groups.clone()));
            }
        }
        for (i, rule) in rules.iter().enumerate() {
            match &rule.matcher {
                Matcher::Pattern { .. } => {}
                Matcher::Keywords(words) => {
                    for w in words {
                        kw.push(w.as_str());
                        keyword_rule.push(i);
                    }
                }
                Matcher::Detector(_) => {}
            }
        }
        let multi = if sources.is_empty() {
            None
        } else {
            Some(Multi::new(&sources, HYBRID_CACHE).map_err(|message| Error::Rule {
                origin: "engine".into(),
                id: None,
                message,
            })?)
        };
        let keywords = if kw.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(AcMatchKind::LeftmostLongest)
                    .build(&kw)
                    .map_err(|e| Error::Rule { origin: "engine".into(), id: None, message: e.to_string() })?,
            )
        };
        let mut plain_pattern = vec![None; rules.len()];
        for (pid, (rule, groups)) in patterns.iter().enumerate() {
            if groups.is_empty() {
                plain_pattern[*rule] = Some(pid);
            }
        }
        let ids = rules.iter().map(|r| r.id.as_str().into()).collect();
        let context = rules
            .iter()
            .map(|r| {
                (
                    context::WordSet::new(&r.context),
                    context::WordSet::new(&r.negative_context),
                    context::WordSet::new(&r.negative_context_after),
                )
            })
            .collect();
        Ok(Engine {
            rules,
            multi,
            patterns,
            plain_pattern,
            keywords,
            keyword_rule,
            lexicon,
            ids,
            context,
            cold: std::sync::atomic::AtomicBool::new(true),
        })
    }

    /// Returns the rules, indexed by [`Candidate::rule`].
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Returns the confidence from which rule `i`'s candidates below the scan's
    /// `min_confidence` are still worth reporting as possible finds: the floor its detector's
    /// fitted model carries (the person-name model's), or `None` for every other rule.
    pub fn possible_from(&self, i: usize) -> Option<f32> {
        match &self.rules[i].matcher {
            crate::rules::Matcher::Detector(d) if d == "person-name" => names::possible_from(),
            _ => None,
        }
    }

    /// Returns rule `i`'s context words and negative context words.
    pub fn context_words(&self, i: usize) -> (&context::WordSet, &context::WordSet) {
        let (pos, neg, _) = &self.context[i];
        (pos, neg)
    }

    /// Returns rule `i`'s negative context words that count only after a match.
    pub fn negative_after_words(&self, i: usize) -> &context::WordSet {
        &self.context[i].2
    }

    /// Returns the id of rule `i`, shared (cloning it only counts a reference).
    pub fn rule_id(&self, i: usize) -> &std::sync::Arc<str> {
        &self.ids[i]
    }

    /// Returns the dictionary detectors (names, places, health terms).
    pub fn lexicon(&self) -> &detectors::Detectors {
        &self.lexicon
    }

    /// Returns every validated candidate in `text`, sorted by start offset.
    ///
    /// The regex pass and the dictionary pass are independent: on a large text they run as two
    /// rayon tasks, so a single big file (or the last one of a run) still uses two cores. The
    /// first text an engine searches also splits them, over a thread of its own: that search
    /// builds the lazy DFA's states (~5 ms on a one-page draft) while the dictionary pass pays
    /// for the word table's first page faults (~1 ms), and a pre-commit run searches only once.
    pub fn find(&self, text: &[u8]) -> Vec<Candidate> {
        use std::sync::atomic::Ordering::Relaxed;
        let regexes = || {
            let mut out = Vec::new();
            self.find_patterns(text, &mut out);
            self.find_keywords(text, &mut out);
            out
        };
        let words = || {
            let mut out = Vec::new();
            self.lexicon.find(text, &mut out);
            out
        };
        let (mut out, more) = if text.len() >= PARALLEL_MIN {
            rayon::join(regexes, words)
        } else if self.cold.load(Relaxed) && self.cold.swap(false, Relaxed) {
            // Read before the swap: threads that write the flag on every text would pass its
            // cache line back and forth.
            std::thread::scope(|s| {
                let words = s.spawn(words);
                let out = regexes();
                (out, words.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            })
        } else {
            (regexes(), words())
        };
        out.extend(more);
        out.sort_by_key(|a| (a.start, a.end, a.rule));
        out
    }

    fn find_patterns(&self, text: &[u8], out: &mut Vec<Candidate>) {
        let Some(multi) = &self.multi else { return };
        let mut at = 0;
        while at <= text.len() {
            let Some(m) = multi.search(&Input::new(text).range(at..)) else {
                break;
            };
            let pid = m.pattern().as_usize();
            let accepted = self.accept(text, pid, m.start(), Some(m.end())).or_else(|| {
                // The winner's validator said no; another rule may own this start (a 10-digit
                // number that is not an NPI can still be a phone number).
                (0..self.patterns.len()).filter(|p| *p != pid).find_map(|p| self.accept(text, p, m.start(), None))
            });
            if let Some(c) = accepted {
                out.push(c);
            }
            // Resume just after this start, not after the match: a vague match must not swallow
            // a specific one that starts inside it. Overlaps are settled in `score`.
            at = m.start() + 1;
        }
    }

    /// Returns the validated candidates of the rules ranked below rule `rule` whose patterns
    /// also match at `start`, where `rule`'s pattern won.
    ///
    /// The regex pass keeps one candidate per start: where several patterns match at the same
    /// byte, leftmost-first picks the most confident rule, and the others are never tried when
    /// it validates. That is right as long as the winner stands; when `score` drops it (context
    /// talked it out of being one, or an overlapping finding beat it), the runner-up deserves
    /// its turn: "781 595 2017. Per Dr. Okafor" is a phone number even though the street-address
    /// shape ("… Dr") matched first and lost to the name. Only rules whose candidates start where
    /// their match starts (no value groups) are asked; the patterns ranked above the winner did
    /// not match there, so only those below it are searched.
    pub fn alternatives(&self, text: &[u8], start: usize, rule: usize) -> Vec<Candidate> {
        let Some(Some(pid)) = self.plain_pattern.get(rule) else { return Vec::new() };
        (pid + 1..self.patterns.len())
            .filter_map(|p| self.accept(text, p, start, None))
            .filter(|c| c.start == start)
            .collect()
    }

    /// Runs pattern `pid` anchored at `start` and returns its candidate when it validates.
    ///
    /// `end` is where the multi-pattern search ended this pattern's match, when it was the
    /// winner: leftmost-first gives the same span as the pattern alone, so a rule without value
    /// groups needs no second search. Otherwise the same multi-pattern regex searches again,
    /// anchored to this one pattern at `start` (capture groups are numbered per pattern): no
    /// rule ever needs a regex of its own, which used to cost a one-page draft 36 compilations.
    fn accept(&self, text: &[u8], pid: usize, start: usize, end: Option<usize>) -> Option<Candidate> {
        let (rule_idx, value_groups) = &self.patterns[pid];
        let rule = &self.rules[*rule_idx];
        let (vs, ve) = match (end, value_groups.is_empty()) {
            (Some(end), true) => (start, end),
            _ => self.value_span(text, pid, start, value_groups)?,
        };
        if ve <= vs {
            return None;
        }
        let value = String::from_utf8_lossy(&text[vs..ve]);
        rule.validates(&value).then_some(Candidate {
            rule: *rule_idx,
            start: vs,
            end: ve,
            confidence: rule.confidence,
            evidence: 0,
        })
    }

    /// Returns the span of pattern `pid`'s match anchored at `start`: its first participating
    /// value group, or the whole match.
    fn value_span(&self, text: &[u8], pid: usize, start: usize, value_groups: &[usize]) -> Option<(usize, usize)> {
        let multi = self.multi.as_ref()?;
        // No identifier is longer than MAX_MATCH: searching the rest of a long text from every
        // candidate made a text full of candidates quadratic. The range keeps the whole text
        // visible to look-around assertions (`\b`, `\z`), so a match is the same as unbounded.
        let end = text.len().min(start.saturating_add(MAX_MATCH));
        let input = Input::new(text).range(start..end).anchored(Anchored::Pattern(PatternID::new(pid).ok()?));
        if value_groups.is_empty() {
            let m = multi.search(&input)?;
            return Some((m.start(), m.end()));
        }
        let mut c = multi.create_captures();
        multi.search_captures(&input, &mut c);
        let whole = c.get_match()?.span();
        let span = value_groups.iter().find_map(|g| c.get_group(*g)).unwrap_or(whole);
        Some((span.start, span.end))
    }

    fn find_keywords(&self, text: &[u8], out: &mut Vec<Candidate>) {
        let Some(ac) = &self.keywords else { return };
        for m in ac.find_iter(text) {
            if !on_word_boundaries(text, m.start(), m.end()) {
                continue;
            }
            let rule_idx = self.keyword_rule[m.pattern().as_usize()];
            let rule = &self.rules[rule_idx];
            let value = String::from_utf8_lossy(&text[m.start()..m.end()]);
            if rule.validates(&value) {
                out.push(Candidate {
                    rule: rule_idx,
                    start: m.start(),
                    end: m.end(),
                    confidence: rule.confidence,
                    evidence: 0,
                });
            }
        }
    }
}

/// What the detectors' unit tests share: the built-in engine and its candidates by rule.
#[cfg(test)]
pub(crate) mod testing {
    use super::Engine;

    /// Returns the engine of the built-in rules, built once for all tests.
    pub fn builtin() -> &'static Engine {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        ENGINE.get_or_init(|| Engine::new(crate::rules::builtin::rules().unwrap()).unwrap())
    }

    /// Returns the candidates of rule `id` in `text` at or above confidence `min`, as (text of
    /// the span, confidence, evidence bits), in order.
    pub fn found_by(id: &str, text: &str, min: f32) -> Vec<(String, f32, u32)> {
        let engine = builtin();
        engine
            .find(text.as_bytes())
            .into_iter()
            .filter(|c| *engine.rules()[c.rule].id == *id && c.confidence >= min)
            .map(|c| (text[c.start..c.end].to_string(), c.confidence, c.evidence))
            .collect()
    }

    /// Returns the spans of rule `id` in `text` at or above confidence `min`.
    pub fn spans_of(id: &str, text: &str, min: f32) -> Vec<String> {
        found_by(id, text, min).into_iter().map(|f| f.0).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine of two rules that match at the same start: a vague, confident one and a
    /// specific one ranked below it.
    fn two_rules() -> Engine {
        let toml = r#"
            [[rule]]
            id = "shape"
            name = "a number and Dr"
            category = "address"
            severity = "medium"
            confidence = 0.8
            pattern = '\b\d+ Dr\b'
            negative_context = ["per"]
            description = "test"

            [[rule]]
            id = "number"
            name = "a number"
            category = "phone"
            severity = "medium"
            confidence = 0.7
            pattern = '\b\d{3}\b'
            description = "test"

            [[rule]]
            id = "labelled"
            name = "a labelled number"
            category = "mrn"
            severity = "high"
            confidence = 0.9
            pattern = 'ref (?P<value>\d+)'
            description = "test"
        "#;
        Engine::new(crate::rules::parse_rules(toml, "test").unwrap()).unwrap()
    }

    #[test]
    fn alternatives_are_the_lower_ranked_rules_matching_at_the_same_start() {
        let engine = two_rules();
        let text = b"ask 781 Dr now";
        let found = engine.find(text);
        // The regex pass keeps only the winner at 4...
        assert_eq!(found.iter().map(|c| (c.rule, c.start)).collect::<Vec<_>>(), vec![(0, 4)]);
        // ...and the specific rule is its runner-up there.
        let alt = engine.alternatives(text, 4, 0);
        assert_eq!(alt.iter().map(|c| (c.rule, c.start, c.end)).collect::<Vec<_>>(), vec![(1, 4, 7)]);
        // Nothing ranks below the last rule; a rule with value groups has none to offer.
        assert!(engine.alternatives(text, 4, 1).is_empty());
        assert!(engine.alternatives(b"ref 781", 4, 2).is_empty());
    }

    #[test]
    fn a_winner_that_scoring_drops_lets_its_runner_up_stand() {
        let engine = two_rules();
        let text = b"per 781 Dr now";
        let scored = crate::score::score(&engine, text, engine.find(text), crate::score::Floor::new(0.5));
        let kept: Vec<(usize, usize, usize)> =
            scored.iter().map(|s| (s.candidate.rule, s.candidate.start, s.candidate.end)).collect();
        assert_eq!(kept, vec![(1, 4, 7)]);
    }
}
