//! A progress bar on stderr for long walks over history.

use std::io::IsTerminal;

use crate::i18n::{Lang, Msg};
use crate::model::Count;

/// A progress bar on stderr for work that takes over a second, when
/// stderr is a terminal.
pub(super) struct Progress {
    label: String,
    start: std::time::Instant,
    shown: bool,
    pub(super) tty: bool,
}

impl Progress {
    pub(super) fn new(label: Msg, lang: Lang) -> Progress {
        Progress {
            label: format!("{} ({})", lang.t(label), lang.t(Msg::Commits)),
            start: std::time::Instant::now(),
            shown: false,
            tty: std::io::stderr().is_terminal(),
        }
    }

    pub(super) fn tick(&mut self, c: Count) {
        if self.tty && self.start.elapsed().as_secs_f32() > 1.0 {
            eprint!("\r\x1b[2K{}", progress_bar(&self.label, c, 30));
            self.shown = true;
        }
    }
}

/// "label [██████░░░░] 42% 42000/100000", or "label 42000…" without a total.
fn progress_bar(label: &str, c: Count, width: usize) -> String {
    match (c.percent(), c.total) {
        (Some(p), Some(total)) => {
            let full = p * width / 100;
            format!(
                "{label} [{}{}] {p:>3}% {}/{total}",
                "█".repeat(full),
                "░".repeat(width - full),
                c.done
            )
        }
        _ => format!("{label} {}…", c.done),
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_with_the_share_done() {
        let bar = |done, total| progress_bar("indexing", Count { done, total }, 10);
        assert_eq!(bar(0, Some(200)), "indexing [░░░░░░░░░░]   0% 0/200");
        assert_eq!(bar(50, Some(200)), "indexing [██░░░░░░░░]  25% 50/200");
        assert_eq!(bar(200, Some(200)), "indexing [██████████] 100% 200/200");
        // Past the total (history grew meanwhile) it stays full.
        assert_eq!(bar(300, Some(200)), "indexing [██████████] 100% 300/200");
        // No total known: a count.
        assert_eq!(bar(4000, None), "indexing 4000…");
        assert_eq!(bar(0, Some(0)), "indexing 0…");
    }
}
