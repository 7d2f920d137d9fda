//! Read use cases shared by the CLI and the TUI worker: the drafts at HEAD
//! with a status filter, a draft's history, resolving revisions, reading a
//! revision's text and comparing two revisions (diff and checks).
//! Texts are read by draft id and revision, never by building paths.

use crate::check::{Finding, check};
use crate::diff::{DraftDiff, diff_texts};
use crate::model::{DraftSummary, History, Kind, Status};
use crate::repo::{DraftRepo, Listing, Result};

/// Which drafts a listing keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Those waiting for review.
    Waiting,
    /// All.
    All,
    /// One status.
    Only(Status),
}

impl StatusFilter {
    /// Reads a filter as the CLI spells it: all, waiting, or a status.
    pub fn parse(s: &str) -> Option<StatusFilter> {
        match s {
            "all" => Some(StatusFilter::All),
            "waiting" => Some(StatusFilter::Waiting),
            other => Status::parse(other).map(StatusFilter::Only),
        }
    }

    /// Whether a draft with status `s` is kept.
    pub fn keeps(self, s: Status) -> bool {
        match self {
            StatusFilter::Waiting => s.awaits_review(),
            StatusFilter::All => true,
            StatusFilter::Only(x) => x == s,
        }
    }

    /// The next filter in the order the TUI cycles through them.
    pub fn next(self) -> StatusFilter {
        match self {
            StatusFilter::Waiting => StatusFilter::All,
            StatusFilter::All => StatusFilter::Only(Status::ALL[0]),
            StatusFilter::Only(s) => match Status::ALL.iter().position(|x| *x == s) {
                Some(i) if i + 1 < Status::ALL.len() => StatusFilter::Only(Status::ALL[i + 1]),
                _ => StatusFilter::Waiting,
            },
        }
    }
}

/// The drafts at HEAD that `filter` keeps, each marked verified or not from
/// the saved verdicts of the last audit of HEAD, with the problems met.
pub fn list(repo: &DraftRepo, filter: StatusFilter) -> Result<Listing> {
    let mut listing = repo.list()?;
    listing.drafts.retain(|d| filter.keeps(d.status));
    crate::audit::mark(repo, &mut listing.drafts);
    Ok(listing)
}

/// The drafts at HEAD, unfiltered and unmarked (the TUI filters as the
/// user types and marks from its own audit).
pub fn list_all(repo: &DraftRepo) -> Result<Listing> {
    repo.list()
}

/// A draft's revisions and the decisions between them.
pub fn history(repo: &DraftRepo, id: &str) -> Result<History> {
    repo.history(id)
}

/// The revision number `spec` names ("3" or a blob id prefix); the newest
/// when `spec` is `None`.
pub fn revision(repo: &DraftRepo, history: &History, spec: Option<&str>) -> Result<usize> {
    match spec {
        Some(s) => repo.resolve_revision(history, s),
        None => Ok(history.revisions.len()),
    }
}

/// The pair of revisions to compare, from the optional old (`a`) and new
/// (`b`) specs: by default the newest against the last decided revision
/// (or the one before it); with only `b`, `b` against the one before it.
pub fn pair(
    repo: &DraftRepo,
    history: &History,
    a: Option<&str>,
    b: Option<&str>,
) -> Result<(Option<usize>, usize)> {
    let new = revision(repo, history, b)?;
    let old = match a {
        Some(s) => Some(repo.resolve_revision(history, s)?),
        None => match b {
            Some(_) => new.checked_sub(1).filter(|&n| n > 0),
            None => history.default_pair().and_then(|(o, _)| o),
        },
    };
    Ok((old, new))
}

/// The text of revision `number` of the draft whose history is `history`.
pub fn text(repo: &DraftRepo, history: &History, number: usize) -> Result<String> {
    repo.revision_text(history, number)
}

/// The newest text of draft `id` (as at HEAD), with the draft.
pub fn current_text(repo: &DraftRepo, id: &str) -> Result<(DraftSummary, String)> {
    let d = repo.draft(id)?;
    let text = repo.read_text(&d.draft_blob, &format!("{}/draft.md", d.path))?;
    Ok((d, text))
}

/// The diff between revisions `old` (none: the empty text) and `new`.
pub fn diff(
    repo: &DraftRepo,
    history: &History,
    old: Option<usize>,
    new: usize,
) -> Result<DraftDiff> {
    let old_text = match old {
        Some(n) => text(repo, history, n)?,
        None => String::new(),
    };
    let new_text = text(repo, history, new)?;
    Ok(diff_texts(&old_text, &new_text))
}

/// The form and spelling findings on revision `number` of a draft of `kind`.
pub fn check_revision(
    repo: &DraftRepo,
    history: &History,
    number: usize,
    kind: Kind,
) -> Result<Vec<Finding>> {
    Ok(check(&text(repo, history, number)?, kind))
}

/// Two revisions compared: the diff, and the checks of the new side.
#[derive(Debug, Clone)]
pub struct Compared {
    /// What changed.
    pub diff: DraftDiff,
    /// Findings of the checks on the new revision.
    pub findings: Vec<Finding>,
}

/// Compares revisions `old` and `new` of a draft of `kind`: diff and checks.
pub fn compare(
    repo: &DraftRepo,
    history: &History,
    kind: Kind,
    old: Option<usize>,
    new: usize,
) -> Result<Compared> {
    let old_text = match old {
        Some(n) => text(repo, history, n)?,
        None => String::new(),
    };
    let new_text = text(repo, history, new)?;
    Ok(Compared {
        findings: check(&new_text, kind),
        diff: diff_texts(&old_text, &new_text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_filters_read_as_the_cli_spells_them_and_cycle_through_all() {
        assert_eq!(StatusFilter::parse("all"), Some(StatusFilter::All));
        assert_eq!(StatusFilter::parse("waiting"), Some(StatusFilter::Waiting));
        assert_eq!(
            StatusFilter::parse("approved"),
            Some(StatusFilter::Only(Status::Approved))
        );
        assert_eq!(StatusFilter::parse("approve"), None);
        assert!(StatusFilter::Waiting.keeps(Status::Pending));
        assert!(!StatusFilter::Waiting.keeps(Status::Approved));
        // Waiting → all → each status → waiting again.
        let mut f = StatusFilter::Waiting;
        let mut seen = Vec::new();
        for _ in 0..Status::ALL.len() + 2 {
            f = f.next();
            seen.push(f);
        }
        assert_eq!(seen.first(), Some(&StatusFilter::All));
        assert_eq!(seen.last(), Some(&StatusFilter::Waiting));
        for s in Status::ALL {
            assert!(seen.contains(&StatusFilter::Only(s)));
        }
    }
}
