//! The audit's verdict on each review.toml content, kept small beside the
//! cache (`.git/duyet/verdicts.json`) for the marks of `list`, `log` and
//! the TUI: a draft shows as approved or returned only when the commit that
//! wrote its review.toml at HEAD verified, in an audit of HEAD itself.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::Report;
use crate::model::DraftSummary;
use crate::repo::DraftRepo;

const FILE: &str = "verdicts.json";
const DECISIONS: &str = "decisions.json";
const FORMAT: u32 = 1;

/// Whether each review.toml content (path, blob) was written by a commit
/// that verified.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verdicts {
    format: u32,
    /// The head audited.
    pub head: String,
    /// review.toml path → (blob, verified), for the newest content of each
    /// path in the trail.
    latest: HashMap<String, (String, bool)>,
    /// Contents that never count (a finding somewhere wrote them).
    bad: Vec<(String, String)>,
}

impl Verdicts {
    /// The verdicts of `report`: the newest decision on each path, and a
    /// content that any finding touched is never verified.
    pub fn of_report(report: &Report) -> Verdicts {
        let mut latest = HashMap::new();
        let mut bad: Vec<(String, String)> = report.tainted.clone();
        for e in &report.trail {
            latest.insert(e.path.clone(), (e.review_blob.clone(), e.verified));
            if !e.verified {
                bad.push((e.path.clone(), e.review_blob.clone()));
            }
        }
        bad.sort();
        bad.dedup();
        Verdicts {
            format: FORMAT,
            head: report.head.clone(),
            latest,
            bad,
        }
    }

    /// The saved verdicts, when they are of an audit of exactly `head`.
    pub fn load(repo: &DraftRepo, head: &str) -> Option<Verdicts> {
        let v: Verdicts = serde_json::from_slice(&repo.read_cache_file(FILE)?).ok()?;
        (v.format == FORMAT && v.head == head).then_some(v)
    }

    /// Whether saved verdicts of `head` exist.
    pub fn current(repo: &DraftRepo, head: &str) -> bool {
        Self::load(repo, head).is_some()
    }

    /// The verdict on the review.toml at `path` holding `blob`: `Some(true)`
    /// when the decision that wrote it verified, `Some(false)` when it did
    /// not, `None` when the audit did not see it written.
    pub fn of(&self, path: &str, blob: &str) -> Option<bool> {
        if self
            .bad
            .binary_search_by(|(p, b)| (p.as_str(), b.as_str()).cmp(&(path, blob)))
            .is_ok()
        {
            return Some(false);
        }
        match self.latest.get(path) {
            Some((b, ok)) if b == blob => Some(*ok),
            _ => None,
        }
    }
}

/// The verdict on each decision commit of the trail, for `log` and the
/// history (kept apart from [`Verdicts`], which `list` reads every time).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct DecisionVerdicts {
    format: u32,
    head: String,
    commits: HashMap<String, bool>,
}

/// Keeps the verdicts of `report` (best effort, like the cache).
pub(super) fn save(repo: &DraftRepo, report: &Report) {
    let v = Verdicts::of_report(report);
    let _ = repo.write_cache_file(FILE, &mut |w| {
        serde_json::to_writer(w, &v).map_err(std::io::Error::other)
    });
    let mut commits: HashMap<String, bool> = HashMap::new();
    for e in &report.trail {
        let ok = commits.get(&e.commit).copied().unwrap_or(true) && e.verified;
        commits.insert(e.commit.clone(), ok);
    }
    let d = DecisionVerdicts {
        format: FORMAT,
        head: report.head.clone(),
        commits,
    };
    let _ = repo.write_cache_file(DECISIONS, &mut |w| {
        serde_json::to_writer(w, &d).map_err(std::io::Error::other)
    });
}

/// Fills each decision's `verified` in `history` from the audit of HEAD:
/// `Some(false)` for a decision commit the audit did not verify (or did
/// not see as a decision), `None` with no audit of HEAD.
pub fn mark_history(repo: &DraftRepo, history: &mut crate::model::History) {
    let Some(head) = repo.head_id().ok() else {
        return;
    };
    let loaded: Option<DecisionVerdicts> = repo
        .read_cache_file(DECISIONS)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|d: &DecisionVerdicts| d.format == FORMAT && d.head == head);
    for d in &mut history.decisions {
        d.verified = loaded
            .as_ref()
            .map(|v| v.commits.get(&d.commit).copied().unwrap_or(false));
    }
}

/// The verdicts of `parent` moved on by `one`, the report of judging its
/// child alone (see [`super::advance`]).
pub(super) fn advance(repo: &DraftRepo, parent: &str, one: &Report) {
    let Some(mut v) = Verdicts::load(repo, parent) else {
        return;
    };
    let commit_ok = !one.findings.iter().any(|f| f.commit == one.head);
    for e in &one.trail {
        let ok = e.verified && commit_ok;
        v.latest.insert(e.path.clone(), (e.review_blob.clone(), ok));
        if !ok {
            v.bad.push((e.path.clone(), e.review_blob.clone()));
        }
    }
    v.bad.extend(one.tainted.iter().cloned());
    v.bad.sort();
    v.bad.dedup();
    v.head = one.head.clone();
    let d: Option<DecisionVerdicts> = repo
        .read_cache_file(DECISIONS)
        .and_then(|b| serde_json::from_slice(&b).ok())
        .filter(|d: &DecisionVerdicts| d.format == FORMAT && d.head == parent);
    let _ = repo.write_cache_file(FILE, &mut |w| {
        serde_json::to_writer(w, &v).map_err(std::io::Error::other)
    });
    if let Some(mut d) = d {
        for e in &one.trail {
            d.commits.insert(e.commit.clone(), e.verified && commit_ok);
        }
        d.head = one.head.clone();
        let _ = repo.write_cache_file(DECISIONS, &mut |w| {
            serde_json::to_writer(w, &d).map_err(std::io::Error::other)
        });
    }
}

/// Fills each draft's `verified` from the saved verdicts of the audit of
/// HEAD (see [`DraftSummary::verified`]).
pub fn mark(repo: &DraftRepo, drafts: &mut [DraftSummary]) {
    let v = repo.head_id().ok().and_then(|h| Verdicts::load(repo, &h));
    mark_with(v.as_ref(), drafts);
}

/// Fills each draft's `verified` from `verdicts` (none: no audit of HEAD).
pub fn mark_with(verdicts: Option<&Verdicts>, drafts: &mut [DraftSummary]) {
    for d in drafts {
        let sound = d.sound;
        let path = d.path.clone();
        for s in &mut d.steps {
            s.verified = match verdicts {
                _ if !sound => Some(false),
                None => None,
                Some(v) => Some(
                    v.of(&format!("{path}/{}", s.step.file()), &s.blob)
                        .unwrap_or(false),
                ),
            };
        }
        d.verified = if !d.sound {
            Some(false)
        } else {
            match (&d.review_blob, verdicts) {
                (None, _) => None,
                (Some(_), None) => None,
                (Some(b), Some(v)) => {
                    Some(v.of(&format!("{}/review.toml", d.path), b).unwrap_or(false))
                }
            }
        };
    }
}
