//! A progress bar on stderr for runs longer than about a second, never on stdout.
//!
//! The bar starts hidden and appears only once a second has passed, so quick runs print
//! nothing; indicatif draws nothing when stderr is not a terminal (pipes, CI logs), and
//! `--quiet` turns it off.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// How long a run goes before its progress shows.
const DELAY: Duration = Duration::from_secs(1);

pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    shown: bool,
    enabled: bool,
}

impl Progress {
    /// A hidden bar over `len` steps; `quiet` keeps it hidden for good.
    pub fn new(what: &'static str, len: u64, quiet: bool) -> Progress {
        let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::hidden());
        bar.set_style(
            ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} ({eta} left)")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(what);
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
            enabled: !quiet,
        }
    }

    /// One step done; shows the bar on stderr once the run has lasted [`DELAY`].
    pub fn inc(&mut self) {
        self.inc_by(1);
    }

    /// `n` steps done, as [`inc`](Self::inc).
    pub fn inc_by(&mut self, n: u64) {
        self.bar.inc(n);
        if self.enabled && !self.shown && self.started.elapsed() >= DELAY {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }

    /// Whether the bar has been drawn (for tests).
    #[cfg(test)]
    pub fn shown(&self) -> bool {
        self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_runs_and_quiet_runs_show_nothing() {
        let mut p = Progress::new("test", 10, false);
        p.inc();
        assert!(!p.shown(), "shown before a second had passed");
        let mut q = Progress::new("test", 10, true);
        q.started -= DELAY * 2;
        q.inc();
        assert!(!q.shown(), "shown under --quiet");
        p.started -= DELAY * 2;
        p.inc();
        assert!(p.shown(), "not shown after a second");
        p.finish();
    }
}
