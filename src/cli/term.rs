//! Writing to the terminal: stdout that survives a closed pipe, JSON that
//! cannot drive the terminal, colour detection, and a progress bar on stderr.

use std::io::{IsTerminal, Write};

use super::Failure;
use crate::i18n::{Lang, Msg};
use crate::model::Count;
use crate::model::safe::json_escape;

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

/// Whether stdout gets colours: a terminal, and NO_COLOR unset or empty.
pub(super) fn color_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Writes `text` to stdout; exit code 0.
pub(super) fn out(text: &str) -> Result<i32, Failure> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (duyet list | head) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(0)
}

/// Prints `v` as JSON with DEL, C1 and the bidirectional marks escaped
/// too (serde_json escapes only C0), so no string can drive the terminal.
pub(super) fn json<T: serde::Serialize>(v: &T) -> Result<i32, Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure(e.to_string()))?;
    out(&(json_escape(text) + "\n"))
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
