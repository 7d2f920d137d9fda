//! Git work off the UI thread: a worker owns the repository, takes jobs
//! from a channel and reports results through another, as gitui's asyncgit.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use crate::check::Finding;
use crate::diff::DraftDiff;
use crate::model::{Count, DraftSummary, History, Kind};
use crate::ops::{self, DecisionRequest};
use crate::repo::{DraftRepo, DraftStats};

/// Work for the worker.
#[derive(Debug, Clone)]
pub enum Job {
    /// The drafts at HEAD, and who would sign.
    List,
    /// Revision counts and ages of all drafts.
    Stats,
    /// One draft's history.
    History(String),
    /// The diff of two revisions of a draft, and the checks of the new one.
    Diff {
        /// The draft's history (names the draft and its revisions).
        history: Arc<History>,
        /// Old revision number (`None`: nothing).
        old: Option<usize>,
        /// New revision number.
        new: usize,
        /// The document kind, for the checks.
        kind: Kind,
    },
    /// Sign and record a decision.
    Decide(Box<DecisionRequest>, Option<String>),
    /// Audit the approval trail.
    Audit,
    /// Read a draft's newest text for editing.
    ReadForEdit(String),
    /// Commit a new revision: (id, text, message).
    Revise(String, String, String),
    /// Sync with the remote.
    Sync,
}

pub use crate::ops::signer::SignerInfo;

/// A diff with the findings of the checks on its new side.
pub type Checked = (Arc<DraftDiff>, Arc<Vec<Finding>>);

/// Computed diffs and checks, by (old blob, new blob).
pub type Cache = HashMap<(Option<String>, String), Checked>;

/// The drafts, the problems met reading them, and who would sign.
pub type ListLoad = (Vec<DraftSummary>, Vec<String>, Result<SignerInfo, String>);

/// A result from the worker.
#[derive(Debug, Clone)]
pub enum Done {
    /// The list.
    List(Result<ListLoad, String>),
    /// Stats.
    Stats(Result<HashMap<String, DraftStats>, String>),
    /// A history.
    History(String, Result<History, String>),
    /// A diff: (id, old number, new number, diff and the new side's check findings).
    Diff(String, Option<usize>, usize, Result<Checked, String>),
    /// A decision was written (commit id) or refused.
    Decided(String, Result<crate::repo::Finished, String>),
    /// The audit's report.
    Audit(Result<Box<crate::audit::Report>, String>),
    /// Work in progress: what, and how many commits so far (not a job's end).
    Progress(&'static str, Count),
    /// A draft's text to edit: (id, text, approved).
    ForEdit(String, Result<(String, bool), String>),
    /// A revision was committed (commit id) or refused.
    Revised(String, Result<crate::repo::Finished, String>),
    /// Sync's outcome.
    Synced(Result<String, String>),
}

/// Starts the worker thread on the repository at `location`.
pub fn spawn(location: PathBuf, jobs: Receiver<Job>, done: Sender<Done>) {
    std::thread::spawn(move || {
        let repo = match DraftRepo::open(Some(&location)) {
            Ok(r) => r,
            Err(e) => {
                let _ = done.send(Done::List(Err(e.to_string())));
                return;
            }
        };
        let mut repo = repo;
        let mut cache = Cache::new();
        for job in jobs {
            let tx = done.clone();
            let whole_history = matches!(job, Job::Stats | Job::Audit);
            let out = run(&repo, job, &mut cache, &mut |d| {
                let _ = tx.send(d);
            });
            if done.send(out).is_err() {
                break;
            }
            if whole_history {
                // libgit2 keeps up to 16 MiB of delta bases per open pack
                // after a walk over everything; a fresh handle lets them go.
                if let Ok(fresh) = DraftRepo::open(Some(&location)) {
                    repo = fresh;
                }
            }
            release_free_memory();
        }
    });
}

/// Hands memory freed by a job back to the system. glibc keeps what a
/// thread freed in that thread's arena; after indexing a long history
/// that is tens of megabytes the TUI would hold for nothing.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages to the kernel.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Does one job (also used directly by tests).
/// `progress` receives [`Done::Progress`] messages while long jobs run.
pub fn run(repo: &DraftRepo, job: Job, cache: &mut Cache, progress: &mut dyn FnMut(Done)) -> Done {
    match job {
        Job::List => Done::List(
            ops::read::list_all(repo)
                .map(|l| {
                    (
                        l.drafts,
                        l.invalid
                            .into_iter()
                            .map(|p| crate::repo::Error::InvalidFolder(p).to_string())
                            .chain(l.problems.iter().map(|p| p.to_string()))
                            .collect(),
                        ops::signer::signer_info(repo),
                    )
                })
                .map_err(|e| e.to_string()),
        ),
        Job::Stats => Done::Stats(
            repo.draft_stats_with_progress(Some(&mut |n| progress(Done::Progress("index", n))))
                .map_err(|e| e.to_string()),
        ),
        Job::History(id) => {
            let h = ops::read::history(repo, &id).map_err(|e| e.to_string());
            Done::History(id, h)
        }
        Job::Diff {
            history,
            old,
            new,
            kind,
        } => {
            let blob = |n: usize| {
                history
                    .revisions
                    .get(n.wrapping_sub(1))
                    .map(|r| r.blob.clone())
            };
            let key = (old.and_then(blob), blob(new).unwrap_or_default());
            let result = match cache.get(&key) {
                Some(d) => Ok(d.clone()),
                None => ops::read::compare(repo, &history, kind, old, new)
                    .map(|c| (Arc::new(c.diff), Arc::new(c.findings)))
                    .inspect(|d| {
                        cache.insert(key, d.clone());
                    })
                    .map_err(|e| e.to_string()),
            };
            Done::Diff(history.id.clone(), old, new, result)
        }
        Job::Audit => Done::Audit(
            crate::audit::audit_with_progress(repo, &crate::audit::Options::default(), &mut |n| {
                progress(Done::Progress("audit", n))
            })
            .map(Box::new)
            .map_err(|e| e.to_string()),
        ),
        Job::ReadForEdit(id) => {
            let r = ops::read::current_text(repo, &id)
                .map(|(d, text)| (text, d.status == crate::model::Status::Approved))
                .map_err(|e| e.to_string());
            Done::ForEdit(id, r)
        }
        Job::Revise(id, text, message) => {
            let r = ops::revise::revise_text(repo, &id, &text, &message).map_err(|e| e.to_string());
            Done::Revised(id, r)
        }
        Job::Sync => Done::Synced(
            ops::sync::sync(repo)
                .map(|o| o.to_string())
                .map_err(|e| e.to_string()),
        ),
        Job::Decide(req, passphrase) => {
            let id = req.id.clone();
            let result = ops::signer::signer(repo)
                .map_err(|e| e.to_string())
                .and_then(|signer| {
                    ops::decide(repo, &req, &signer, passphrase.as_deref())
                        .map_err(|e| e.to_string())
                });
            Done::Decided(id, result)
        }
    }
}
