//! The audit's cache: the last report, kept under `.git/duyet/audit.json`.
//!
//! How a commit is judged depends only on that commit and its ancestors,
//! which its id names, so an audit of a later head needs to judge only the
//! commits added since — as `guix git authenticate` keeps the commits it
//! has authenticated. Commits that had a finding are judged again every
//! time: a finding may depend on this machine (a gpg key imported since).
//! The cache is used only when the audited head is still an ancestor of
//! HEAD and the introduction is the same; `duyet audit --full` ignores it.

use serde::{Deserialize, Serialize};

use super::{Finding, IntroFrom, Problem, Report, TrailEntry};
use crate::repo::DraftRepo;

const FILE: &str = "audit.json";
/// 2: trees checked as git reads them, merges judged against every parent.
const FORMAT: u32 = 2;

/// What is stored (written from borrowed parts of a report).
#[derive(Serialize)]
struct Stored<'a> {
    format: u32,
    intro: &'a str,
    intro_from: IntroFrom,
    head: &'a str,
    tainted: &'a [(String, String)],
    commits: usize,
    trail: &'a [TrailEntry],
    findings: Vec<&'a Finding>,
}

/// What is read back.
#[derive(Deserialize)]
struct Loaded {
    format: u32,
    intro: String,
    intro_from: IntroFrom,
    head: String,
    tainted: Vec<(String, String)>,
    commits: usize,
    trail: Vec<TrailEntry>,
    findings: Vec<Finding>,
}

/// Findings about this run, not about a commit's content: never cached.
fn about_the_run(p: &Problem) -> bool {
    matches!(
        p,
        Problem::NoIntroduction
            | Problem::HistoryRewritten { .. }
            | Problem::PinNotInHistory { .. }
            | Problem::PinKeyMismatch { .. }
    )
}

/// The last audit's report, if its head is an ancestor of `head` (the
/// caller checks that its introduction is the one audited now). Anything
/// unreadable or of another format counts as no cache.
pub(super) fn load(repo: &DraftRepo, head: &str) -> Option<Report> {
    let l: Loaded = serde_json::from_slice(&repo.read_cache_file(FILE)?).ok()?;
    let usable = l.format == FORMAT
        && repo.has_commit(&l.head)
        && repo.is_ancestor(&l.head, head).unwrap_or(false);
    usable.then_some(Report {
        intro: l.intro,
        intro_from: l.intro_from,
        head: l.head,
        tainted: l.tainted,
        commits: l.commits,
        trail: l.trail,
        findings: l.findings,
        from_cache: 0,
        pin: None,
    })
}

/// Keeps `report` for the next audit. Best effort: a repository that
/// cannot be written (read-only) is simply audited in full next time.
pub(super) fn save(repo: &DraftRepo, report: &Report) {
    let stored = Stored {
        format: FORMAT,
        intro: &report.intro,
        intro_from: report.intro_from,
        head: &report.head,
        tainted: &report.tainted,
        commits: report.commits,
        trail: &report.trail,
        findings: report
            .findings
            .iter()
            .filter(|f| !about_the_run(&f.problem))
            .collect(),
    };
    let _ = repo.write_cache_file(FILE, &mut |w| {
        serde_json::to_writer(w, &stored).map_err(std::io::Error::other)
    });
}
