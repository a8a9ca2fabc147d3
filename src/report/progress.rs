//! A progress bar on stderr (files and bytes) for scans long enough to wonder about.
//!
//! A 300 MB folder takes many seconds and a clean file prints nothing, so a terminal user sees
//! no sign of life until the end. The bar appears only when stderr is a terminal, `CI` is not
//! set and `TERM` is not `dumb`, and only once the scan has run for a second: pipes, logs, CI
//! and the quick pre-commit run never see it. It is cleared before the summary is written, and
//! report lines written to the same terminal meanwhile go out with the bar suspended.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_secs(1);

/// A handle to the run's progress bar (cheap to clone; does nothing when hidden).
#[derive(Clone, Default)]
pub struct Progress {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    bar: ProgressBar,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Planned files by display path, with their size; a result for one of them advances the bar.
    planned: HashMap<String, u64>,
    files: u64,
    total: u64,
    shown: bool,
    done: bool,
}

/// Whether the environment is one where a bar helps: an interactive terminal, not CI.
pub fn wanted() -> bool {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    std::io::stderr().is_terminal() && !ci && !dumb
}

impl Progress {
    /// Returns a bar that shows on stderr when [`wanted`], else one that does nothing.
    pub fn for_stderr() -> Progress {
        if !wanted() {
            return Progress::default();
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template("phiscan: {bar:30} {bytes}/{total_bytes} · {msg} · {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        Progress { inner: Some(Arc::new(Inner { bar, state: Mutex::new(State::default()) })) }
    }

    /// Sets the files to scan (display path and size) and starts the clock for showing the bar.
    pub fn plan(&self, files: impl IntoIterator<Item = (String, u64)>) {
        let Some(inner) = &self.inner else { return };
        let mut st = inner.state.lock().unwrap_or_else(|p| p.into_inner());
        st.planned = files.into_iter().collect();
        st.total = st.planned.len() as u64;
        inner.bar.set_length(st.planned.values().sum());
        inner.bar.set_message(format!("0/{} files", st.total));
        drop(st);
        let inner = inner.clone();
        std::thread::spawn(move || {
            std::thread::sleep(DELAY);
            let mut st = inner.state.lock().unwrap_or_else(|p| p.into_inner());
            if !st.done {
                st.shown = true;
                inner.bar.set_draw_target(ProgressDrawTarget::stderr());
                inner.bar.enable_steady_tick(Duration::from_millis(120));
            }
        });
    }

    /// Counts one input as done (a member of an archive, not a planned file, does not count).
    pub fn done(&self, path: &str) {
        let Some(inner) = &self.inner else { return };
        let mut st = inner.state.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(size) = st.planned.remove(path) {
            st.files += 1;
            inner.bar.inc(size);
            inner.bar.set_message(format!("{}/{} files", st.files, st.total));
        }
    }

    /// Runs `f` (a write to the terminal) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.inner {
            Some(inner) if inner.state.lock().map(|s| s.shown && !s.done).unwrap_or(false) => inner.bar.suspend(f),
            _ => f(),
        }
    }

    /// Whether the bar is on screen now.
    pub fn is_shown(&self) -> bool {
        self.inner.as_ref().is_some_and(|i| i.state.lock().map(|s| s.shown && !s.done).unwrap_or(false))
    }

    /// Clears the bar for good (before the summary); later calls do nothing.
    pub fn finish(&self) {
        let Some(inner) = &self.inner else { return };
        let mut st = inner.state.lock().unwrap_or_else(|p| p.into_inner());
        if !st.done {
            st.done = true;
            if st.shown {
                inner.bar.finish_and_clear();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_bar_does_nothing() {
        let p = Progress::default();
        p.plan([("a.txt".to_string(), 10)]);
        p.done("a.txt");
        assert_eq!(p.suspend(|| 7), 7);
        assert!(!p.is_shown());
        p.finish();
    }
}
