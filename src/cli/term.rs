//! Writing to the terminal: stdout that survives a closed pipe, JSON that
//! cannot drive the terminal, colour detection.

use std::io::{IsTerminal, Write};

use super::context::Failure;
use crate::model::safe::json_escape;

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
