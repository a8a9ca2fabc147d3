//! The multi-pattern regex: every pattern rule in one lazy DFA, its two NFAs compiled at once.
//!
//! Why not `regex_automata::meta::Regex`: configured as this engine needs it (leftmost-first,
//! `utf8_empty(false)`, no literal prefilter and no one-pass DFA), it builds exactly these
//! engines (a lazy DFA forward and one in reverse, the bounded backtracker and the PikeVM for
//! capture groups) and searches them as [`Multi::search`] and [`Multi::search_captures`] do, but
//! it compiles the forward and the reverse NFA one after the other. Each takes 2-3 ms for ~60
//! patterns, on the path of every scan before the first byte is searched; here they compile on
//! two threads. The engines, their configuration and the order in which they are tried are
//! meta's, so every match is the same (the 100 MB benchmark corpus gives a byte-identical report).
//!
//! No prefilter and no one-pass DFA: with ~80 patterns in one regex, neither pays for itself (the
//! prefilter rarely applies to an alternation of classes and `\b`), and building them was a
//! quarter of a one-page draft's scan (1 KB draft 31 -> 25 ms, same findings and time on the
//! 100 MB corpus).

use regex_automata::hybrid;
use regex_automata::nfa::thompson::{self, backtrack, pikevm, WhichCaptures, NFA};
use regex_automata::util::captures::Captures;
use regex_automata::util::pool::Pool;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::{Anchored, Input, Match, MatchKind, PatternID};
use regex_syntax::hir::Hir;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::sync::Arc;

/// Builds a search cache for the calling thread.
type CacheFn = Box<dyn Fn() -> Cache + Send + Sync + UnwindSafe + RefUnwindSafe>;

/// Every pattern in one regex, leftmost-first, searched on bytes.
pub struct Multi {
    engines: Arc<Engines>,
    /// One cache per searching thread, as meta keeps them.
    pool: Pool<Cache, CacheFn>,
}

struct Engines {
    nfa: NFA,
    /// `None` when the lazy DFA cannot be built (a cache too small for the NFA): every search
    /// then runs on the NFA engines, as meta does.
    hybrid: Option<hybrid::regex::Regex>,
    backtrack: backtrack::BoundedBacktracker,
    pikevm: pikevm::PikeVM,
}

struct Cache {
    hybrid: Option<hybrid::regex::Cache>,
    /// Made on first use: most scans never need a capture search to fall back this far.
    backtrack: Option<backtrack::Cache>,
    pikevm: Option<pikevm::Cache>,
}

impl Multi {
    /// Compiles `hirs` (pattern `i` is `hirs[i]`) with a lazy DFA cache of at most `cache_capacity`
    /// bytes per thread.
    pub fn new(hirs: &[&Hir], cache_capacity: usize) -> Result<Multi, String> {
        // meta's NFA configuration (`utf8_empty(false)`, its default size limit), with all
        // capture groups forward and none in reverse.
        let config = thompson::Config::new()
            .utf8(false)
            .nfa_size_limit(Some(10 << 20))
            .shrink(false)
            .which_captures(WhichCaptures::All);
        let compile = |config: thompson::Config| {
            thompson::Compiler::new().configure(config).build_many_from_hir(hirs).map_err(|e| e.to_string())
        };
        let (nfa, nfarev) = std::thread::scope(|s| {
            let rev = s.spawn(|| compile(config.clone().which_captures(WhichCaptures::None).reverse(true)));
            let fwd = compile(config.clone());
            (fwd, rev.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        });
        let (nfa, nfarev) = (nfa?, nfarev?);
        let dfa = hybrid::dfa::Config::new()
            .match_kind(MatchKind::LeftmostFirst)
            .prefilter(None)
            .starts_for_each_pattern(true)
            .byte_classes(true)
            .unicode_word_boundary(true)
            .specialize_start_states(false)
            .cache_capacity(cache_capacity)
            .skip_cache_capacity_check(false)
            // Lets the lazy DFA give up on a text where it keeps clearing its cache; the search
            // then runs on the NFA engines (meta's settings).
            .minimum_cache_clear_count(Some(3))
            .minimum_bytes_per_state(Some(10));
        let forward = hybrid::dfa::Builder::new().configure(dfa.clone()).build_from_nfa(nfa.clone());
        let reverse =
            hybrid::dfa::Builder::new().configure(dfa.match_kind(MatchKind::All)).build_from_nfa(nfarev.clone());
        let hybrid = match (forward, reverse) {
            (Ok(f), Ok(r)) => Some(hybrid::regex::Builder::new().build_from_dfas(f, r)),
            _ => None,
        };
        let backtrack = backtrack::Builder::new()
            .configure(backtrack::Config::new().prefilter(None))
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let pikevm = pikevm::Builder::new()
            .configure(pikevm::Config::new().match_kind(MatchKind::LeftmostFirst).prefilter(None))
            .build_from_nfa(nfa.clone())
            .map_err(|e| e.to_string())?;
        let engines = Arc::new(Engines { nfa, hybrid, backtrack, pikevm });
        let for_pool = engines.clone();
        let create: CacheFn = Box::new(move || Cache {
            hybrid: for_pool.hybrid.as_ref().map(hybrid::regex::Cache::new),
            backtrack: None,
            pikevm: None,
        });
        Ok(Multi { engines, pool: Pool::new(create) })
    }

    /// Returns the leftmost-first match in `input`'s span.
    pub fn search(&self, input: &Input<'_>) -> Option<Match> {
        let mut cache = self.pool.get();
        let e = &*self.engines;
        if let (Some(h), Some(c)) = (&e.hybrid, &mut cache.hybrid) {
            if let Ok(m) = h.try_search(c, input) {
                return m;
            }
        }
        let mut caps = Captures::matches(e.nfa.group_info().clone());
        let pid = e.slots_nofail(&mut cache, input, caps.slots_mut());
        caps.set_pattern(pid);
        caps.get_match()
    }

    /// Returns an empty set of capture groups for [`Multi::search_captures`].
    pub fn create_captures(&self) -> Captures {
        Captures::all(self.engines.nfa.group_info().clone())
    }

    /// Sets `caps` to the leftmost-first match in `input`'s span and its groups.
    ///
    /// The lazy DFA finds the match; only its span is searched again for the groups (meta's
    /// order).
    pub fn search_captures(&self, input: &Input<'_>, caps: &mut Captures) {
        let mut cache = self.pool.get();
        let e = &*self.engines;
        caps.set_pattern(None);
        let found = match (&e.hybrid, &mut cache.hybrid) {
            (Some(h), Some(c)) => h.try_search(c, input).ok(),
            _ => None,
        };
        let pid = match found {
            Some(None) => None,
            Some(Some(m)) => {
                let span = input.clone().span(m.start()..m.end()).anchored(Anchored::Pattern(m.pattern()));
                e.slots_nofail(&mut cache, &span, caps.slots_mut())
            }
            None => e.slots_nofail(&mut cache, input, caps.slots_mut()),
        };
        caps.set_pattern(pid);
    }
}

impl Engines {
    /// Searches on the NFA: the backtracker when the span is short enough for it, else the
    /// PikeVM (meta's choice).
    fn slots_nofail(
        &self,
        cache: &mut Cache,
        input: &Input<'_>,
        slots: &mut [Option<NonMaxUsize>],
    ) -> Option<PatternID> {
        let backtrack = !(input.get_earliest() && input.haystack().len() > 128)
            && input.get_span().len() < self.backtrack.max_haystack_len();
        if backtrack {
            let c = cache.backtrack.get_or_insert_with(|| self.backtrack.create_cache());
            // Cannot fail: the span is within the backtracker's limit.
            self.backtrack.try_search_slots(c, input, slots).ok().flatten()
        } else {
            let c = cache.pikevm.get_or_insert_with(|| self.pikevm.create_cache());
            self.pikevm.search_slots(c, input, slots)
        }
    }
}
