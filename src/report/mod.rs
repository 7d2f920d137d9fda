//! Reports an inspector can read: one audit run, the list and the drafts'
//! histories, put together for a printable HTML page, a CSV trail and
//! tables. Nothing here judges: every verdict is the audit's.

pub mod csv;
mod draft_html;
mod html;
mod labels;
mod markup;
pub mod stats;
mod summary_html;
pub mod time;
pub mod trust;

use std::collections::HashMap;

use crate::audit::{Finding, Report, TrailEntry};
use crate::i18n::Lang;
use crate::model::{DraftSummary, History, Note};
use crate::repo::{DraftRepo, Result};

pub use html::render;

/// What a report or a trail shows: a period (seconds since the epoch,
/// both ends included), one draft, one drafting unit.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// First second shown.
    pub since: Option<i64>,
    /// Last second shown.
    pub until: Option<i64>,
    /// Only this draft.
    pub draft: Option<String>,
    /// Only drafts of this unit.
    pub unit: Option<String>,
}

impl Filter {
    /// Whether `t` lies in the period (an unknown time lies in any).
    pub fn in_period(&self, t: Option<i64>) -> bool {
        match t {
            None => true,
            Some(t) => self.since.is_none_or(|s| t >= s) && self.until.is_none_or(|u| t <= u),
        }
    }

    /// Whether the draft `id` of `unit` is shown.
    pub fn shows(&self, id: &str, unit: Option<&str>) -> bool {
        self.draft.as_deref().is_none_or(|d| d == id)
            && match (&self.unit, unit) {
                (None, _) => true,
                (Some(want), Some(u)) => want.eq_ignore_ascii_case(u),
                (Some(_), None) => false,
            }
    }
}

/// One decision of the trail with what the list and the history know of it.
#[derive(Debug, Clone)]
pub struct Row {
    /// The audit's entry.
    pub entry: TrailEntry,
    /// The draft's title (empty when the draft is gone).
    pub title: String,
    /// Its drafting unit.
    pub unit: String,
    /// Its drafter.
    pub drafter: String,
    /// Number of the decided revision.
    pub revision_number: Option<usize>,
    /// When the decided revision was committed.
    pub submitted: Option<i64>,
    /// When the decision was made (review.toml's time, else the commit's).
    pub time: Option<i64>,
    /// The comment.
    pub comment: String,
    /// Line notes.
    pub notes: Vec<Note>,
    /// The audit's findings on this commit.
    pub findings: Vec<Finding>,
}

/// One draft in a report.
#[derive(Debug, Clone)]
pub struct DraftPart {
    /// As listed at HEAD, with its verified mark.
    pub summary: DraftSummary,
    /// Its revisions and decisions.
    pub history: History,
    /// The approved text, when asked for and approved.
    pub text: Option<String>,
}

/// Everything a report shows.
#[derive(Debug, Clone)]
pub struct Data {
    /// Where the repository is.
    pub location: String,
    /// The branch HEAD is on, if any.
    pub branch: Option<String>,
    /// The audit (of everything, whatever the filter).
    pub audit: Report,
    /// The decisions shown, oldest first.
    pub rows: Vec<Row>,
    /// The drafts shown.
    pub drafts: Vec<DraftPart>,
    /// What is shown.
    pub filter: Filter,
    /// When the report was made (seconds since the epoch).
    pub made_at: i64,
    /// Who made it (git's user.name and user.email).
    pub made_by: String,
    /// The language.
    pub lang: Lang,
}

/// A finding in `lang`.
pub fn finding_text(f: &Finding, lang: Lang) -> String {
    match lang {
        Lang::Vi => crate::audit::explain_vi(&f.problem),
        Lang::En => crate::audit::explain(&f.problem),
    }
}

/// The decisions of `audit`'s trail that `filter` shows, with the list's
/// and the histories' facts (`histories` is filled as drafts are read).
pub fn rows(
    repo: &DraftRepo,
    audit: &Report,
    drafts: &[DraftSummary],
    histories: &mut HashMap<String, Option<History>>,
    filter: &Filter,
) -> Vec<Row> {
    let by_id: HashMap<&str, &DraftSummary> = drafts.iter().map(|d| (d.id.as_str(), d)).collect();
    let mut out = Vec::new();
    for e in &audit.trail {
        let summary = by_id.get(e.draft.as_str()).copied();
        if !filter.shows(&e.draft, summary.map(|d| d.meta.unit.as_str())) {
            continue;
        }
        let history = histories
            .entry(e.draft.clone())
            .or_insert_with(|| repo.history(&e.draft).ok())
            .as_ref();
        let record = history.and_then(|h| h.decisions.iter().find(|d| d.commit == e.commit));
        let revision = history.and_then(|h| h.revision_by_blob(&e.revision));
        let time = time::parse_rfc3339(&e.time).or(record.map(|r| r.time.seconds));
        if !filter.in_period(time) {
            continue;
        }
        out.push(Row {
            title: summary.map(|d| d.meta.title.clone()).unwrap_or_default(),
            unit: summary.map(|d| d.meta.unit.clone()).unwrap_or_default(),
            drafter: summary.map(|d| d.meta.drafter.clone()).unwrap_or_default(),
            revision_number: revision.map(|r| r.number),
            submitted: revision.map(|r| r.time.seconds),
            time,
            comment: record.map(|r| r.review.comment.clone()).unwrap_or_default(),
            notes: record.map(|r| r.review.notes.clone()).unwrap_or_default(),
            findings: audit
                .findings
                .iter()
                .filter(|f| f.commit == e.commit)
                .cloned()
                .collect(),
            entry: e.clone(),
        });
    }
    out
}

/// Whether `d` had anything happen in the filter's period: a revision or a
/// decision (any draft when no period is given).
fn active(h: &History, filter: &Filter) -> bool {
    if filter.since.is_none() && filter.until.is_none() {
        return true;
    }
    h.revisions
        .iter()
        .map(|r| r.time.seconds)
        .chain(h.decisions.iter().map(|d| d.time.seconds))
        .any(|t| filter.in_period(Some(t)))
}

/// Puts a report together from one audit run (`audit`, already made), the
/// list at HEAD and the histories of the drafts shown.
pub fn gather(
    repo: &DraftRepo,
    audit: Report,
    filter: Filter,
    with_text: bool,
    lang: Lang,
) -> Result<Data> {
    let mut listing = repo.list()?;
    crate::audit::mark_with(Some(&audit.verdicts()), &mut listing.drafts);
    let mut histories = HashMap::new();
    let rows = rows(repo, &audit, &listing.drafts, &mut histories, &filter);
    let mut drafts = Vec::new();
    for summary in listing.drafts {
        if !filter.shows(&summary.id, Some(&summary.meta.unit)) {
            continue;
        }
        let Some(mut history) = histories
            .remove(&summary.id)
            .unwrap_or_else(|| repo.history(&summary.id).ok())
        else {
            continue;
        };
        if !active(&history, &filter) {
            continue;
        }
        crate::audit::mark_history(repo, &mut history);
        let text = if with_text {
            approved_text(repo, &summary, &history)
        } else {
            None
        };
        drafts.push(DraftPart {
            summary,
            history,
            text,
        });
    }
    let name = repo.config_string("user.name").unwrap_or_default();
    let email = repo.config_string("user.email").unwrap_or_default();
    let made_by = match (name.is_empty(), email.is_empty()) {
        (false, false) => format!("{name} <{email}>"),
        (false, true) => name,
        (true, false) => email,
        (true, true) => String::new(),
    };
    Ok(Data {
        location: repo.location().display().to_string(),
        branch: branch(repo),
        audit,
        rows,
        drafts,
        filter,
        made_at: jiff::Timestamp::now().as_second(),
        made_by,
        lang,
    })
}

/// The text of the revision approved at HEAD, when the approval verified.
fn approved_text(repo: &DraftRepo, d: &DraftSummary, h: &History) -> Option<String> {
    if d.status != crate::model::Status::Approved || d.verified != Some(true) {
        return None;
    }
    let n = h.revision_by_blob(&d.review.as_ref()?.revision)?.number;
    repo.revision_text(h, n).ok()
}

/// The branch HEAD is on (None when detached), as git's HEAD file says.
fn branch(repo: &DraftRepo) -> Option<String> {
    let head = std::fs::read_to_string(repo.git_dir().join("HEAD")).ok()?;
    let name = head.trim().strip_prefix("ref: ")?;
    Some(name.strip_prefix("refs/heads/").unwrap_or(name).to_string())
}
