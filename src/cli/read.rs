//! Reading commands: list, show, log, diff, check. Each is a thin adapter
//! over `ops::read`, printing text or JSON.

use super::context::{Failure, open, open_indexed};
use super::output;
use super::term::{json, out};
use crate::i18n::Lang;
use crate::model::Status;
use crate::model::safe::visible_line;
use crate::ops::read::{self, StatusFilter};
use crate::repo::Error;

/// How a read command prints.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    pub lang: Lang,
    pub color: bool,
    pub json: bool,
}

/// `duyet list`: exit 2 when some folder could not be read.
pub(super) fn list(
    repo: Option<&std::path::Path>,
    status: &str,
    st: Style,
) -> Result<i32, Failure> {
    let repo = open(repo)?;
    // The route's statuses, and a status named alone, are where each draft
    // stands on its route (`pending`: no step left before the leader).
    let route_key = match status {
        "waiting-content" | "waiting-form" => Some(status),
        s => Status::parse(s).map(Status::key),
    };
    let filter = match route_key {
        Some(_) => Some(StatusFilter::All),
        None => StatusFilter::parse(status),
    }
    .ok_or_else(|| {
        Failure(format!(
            "unknown status '{status}': use all, waiting, waiting-content, waiting-form, pending, approved, returned, revised or changed-after-approval"
        ))
    })?;
    let mut listing = read::list(&repo, filter)?;
    if let Some(key) = route_key {
        listing.drafts.retain(|d| d.route().key() == key);
    }
    let drafts: Vec<_> = listing.drafts.iter().collect();
    if st.json {
        let rows: Vec<_> = drafts.iter().map(|d| output::DraftJson::from(*d)).collect();
        json(&rows)?;
    } else {
        out(&output::list(&drafts, st.lang, st.color))?;
        out(&output::invalid_folders(
            &listing.invalid,
            st.lang,
            st.color,
        ))?;
    }
    // Folders that are not drafts are rows of the table; JSON keeps
    // its shape, so there they are reported on stderr.
    let shown = if st.json { 0 } else { listing.invalid.len() };
    let folders = listing.invalid[shown..].iter().cloned();
    let problems: Vec<Error> = folders
        .map(Error::InvalidFolder)
        .chain(listing.problems)
        .collect();
    for p in &problems {
        eprintln!("duyet: {}", visible_line(&st.lang.error(p)));
    }
    let bad = problems.len() + shown;
    Ok(if bad == 0 { 0 } else { 2 })
}

/// `duyet show`: a revision's text.
pub(super) fn show(
    repo: Option<&std::path::Path>,
    id: &str,
    rev: Option<&str>,
) -> Result<i32, Failure> {
    let repo = open_indexed(repo)?;
    let history = read::history(&repo, id)?;
    let n = read::revision(&repo, &history, rev)?;
    out(&output::text(&read::text(&repo, &history, n)?))
}

/// `duyet log`: revisions and decisions.
pub(super) fn log(repo: Option<&std::path::Path>, id: &str, st: Style) -> Result<i32, Failure> {
    let repo = open_indexed(repo)?;
    let mut history = read::history(&repo, id)?;
    crate::audit::mark_history(&repo, &mut history);
    if st.json {
        json(&history)
    } else {
        out(&output::log(&history, st.lang, st.color))
    }
}

/// `duyet diff`: what changed between two revisions.
pub(super) fn diff(
    repo: Option<&std::path::Path>,
    id: &str,
    a: Option<&str>,
    b: Option<&str>,
    st: Style,
) -> Result<i32, Failure> {
    let repo = open_indexed(repo)?;
    let history = read::history(&repo, id)?;
    let (old, new) = read::pair(&repo, &history, a, b)?;
    let diff = read::diff(&repo, &history, old, new)?;
    if st.json {
        json(&output::DiffJson {
            id,
            old,
            new,
            diff: &diff,
        })
    } else {
        out(&output::diff(&diff, old, new, st.lang, st.color))
    }
}

/// `duyet check`: exit 1 when an error is found.
pub(super) fn check(
    repo: Option<&std::path::Path>,
    id: &str,
    rev: Option<&str>,
    st: Style,
) -> Result<i32, Failure> {
    let repo = open_indexed(repo)?;
    let draft = repo.draft(id)?;
    let history = read::history(&repo, id)?;
    let n = read::revision(&repo, &history, rev)?;
    let findings = read::check_revision(&repo, &history, n, draft.meta.kind)?;
    if st.json {
        json(&findings)?;
    } else {
        out(&output::findings(&findings, st.lang, st.color))?;
    }
    let errors = findings
        .iter()
        .any(|f| f.severity == crate::check::Severity::Error);
    Ok(i32::from(errors))
}
