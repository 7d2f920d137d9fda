//! What every command shares: the [`Failure`] type, the run's language,
//! and opening the repository (indexed, with a progress line).

use std::path::Path;

use super::progress;
use crate::i18n::{Lang, Msg};
use crate::repo::{DraftRepo, Error, Watch};

/// A failure: message for stderr, and the exit code.
pub struct Failure(pub String);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(ui_lang().error(&e))
    }
}

/// One (Vietnamese, English) line on stderr, in the language in use.
pub(super) fn note((vi, en): (String, String)) {
    match ui_lang() {
        Lang::Vi => eprintln!("duyet: {vi}"),
        Lang::En => eprintln!("duyet: {en}"),
    }
}

/// Prints a commit that is on the branch, and its work-tree warning if any.
pub(super) fn print_finished(f: &crate::repo::Finished) {
    println!("{}", f.commit);
    if let Some(w) = &f.warning {
        note(w.texts());
    }
}

/// The interface language of this run, for messages made far from `run`.
pub(super) static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

pub(super) fn ui_lang() -> Lang {
    LANG.get().copied().unwrap_or_else(Lang::from_env)
}

/// Opens the repository at `repo` (default: discovered).
pub(super) fn open(repo: Option<&Path>) -> Result<DraftRepo, Failure> {
    let repo = DraftRepo::open(repo)?;
    // A commit a killed duyet left half-done is finished or undone first.
    for r in repo.recover_interrupted().unwrap_or_default() {
        note(r.texts());
    }
    Ok(repo)
}

/// Opens the repository and brings the history index up to date, with a
/// progress line when that takes a while.
pub(super) fn open_indexed(repo: Option<&Path>) -> Result<DraftRepo, Failure> {
    let repo = open(repo)?;
    let mut p = progress::Progress::new(Msg::Indexing, ui_lang());
    // Counting the commits first (for the bar) is worth it only on a terminal.
    let tty = p.tty;
    let mut tick = |n| p.tick(n);
    let watch: Watch<'_> = if tty { Some(&mut tick) } else { None };
    match repo.update_index(watch) {
        // A read-only repository: history is computed without the cache.
        Ok(_) | Err(Error::Io { .. }) => Ok(repo),
        Err(e) => Err(e.into()),
    }
}
