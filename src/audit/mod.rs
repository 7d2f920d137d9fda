//! Replaying history against the trust rule (docs/design.md section 4),
//! after GNU Guix's channel authentication: each commit that changes a
//! review.toml or the trust list is judged by the trust list of its parent,
//! from a pinned introduction.
//!
//! Merges are judged as Guix judges them (see [`judge`]): a merge's
//! content for a protected path must be the three-way result of its
//! parents; anything else is the merge's own change and needs a signature
//! valid in the trust list of every parent; what reaches the first-parent
//! line through a merge counts only if its signer holds the role in the
//! trust list of every parent.
//!
//! Trees are read as git reads them, and every tree under `drafts/` and
//! `.duyet/` that git would read differently or refuse is a finding.

mod cache;
mod judge;
mod merge;
pub mod pin;
mod problem;
mod trailers;
mod verdicts;

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

pub use judge::TIME_TOLERANCE_SECONDS;
pub use pin::Pin;
pub use problem::{Finding, Problem, explain, explain_vi};
pub use trailers::parse_trailers;
pub use verdicts::{Verdicts, mark, mark_history, mark_with};

use crate::model::Count;
use crate::repo::{CommitFacts, DraftRepo, Error, Result, TRUST_PATH, without_hash_verification};
use crate::sign::Verifier;
use judge::{Judge, Verdict};
use problem::finding;

/// Local config key where the head of the last clean audit of HEAD is
/// recorded, to tell when history was rewritten since.
pub const HEAD_KEY: &str = "duyet.audit.head";

/// One decision in the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailEntry {
    /// The decision commit.
    pub commit: String,
    /// The draft.
    pub draft: String,
    /// review.toml's path.
    pub path: String,
    /// review.toml's blob as written by this commit.
    pub review_blob: String,
    /// Decided revision (blob id).
    pub revision: String,
    /// approved / returned.
    pub decision: String,
    /// Reviewer named in review.toml.
    pub reviewer: String,
    /// Who signed, per the parent's trust list.
    pub signer: Option<String>,
    /// The signing key.
    pub key: Option<String>,
    /// review.toml's time.
    pub time: String,
    /// Whether the commit has no finding.
    pub verified: bool,
}

/// Where the audit's introduction came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntroFrom {
    /// `duyet trust pin`.
    Pinned,
    /// `--intro` for this run.
    Given,
    /// No pin: the first commit that adds the trust list.
    #[default]
    FirstTrustList,
}

/// The audit's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The introduction commit.
    pub intro: String,
    /// Where it came from.
    pub intro_from: IntroFrom,
    /// The pin, when one is set.
    pub pin: Option<Pin>,
    /// The head audited.
    pub head: String,
    /// Commits judged.
    pub commits: usize,
    /// Every decision.
    pub trail: Vec<TrailEntry>,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Of `commits`, how many were judged clean by an earlier audit and
    /// taken from its cache (0 with `full`).
    pub from_cache: usize,
    /// review.toml / trust.toml contents (path, blob) that a merge brought
    /// in without the right to: they never count as verified.
    pub tainted: Vec<(String, String)>,
}

impl Report {
    /// Whether there is nothing to report.
    pub fn clean(&self) -> bool {
        self.findings.is_empty()
    }

    /// The verdict on each review.toml content, for marks in the list.
    pub fn verdicts(&self) -> Verdicts {
        Verdicts::of_report(self)
    }
}

/// Verifies many signatures on all cores (SSH in-process; others by program).
fn verify_all(
    verifier: &Verifier,
    items: &[(usize, &(String, Vec<u8>))],
) -> HashMap<usize, Verdict> {
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .max(1);
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|(i, (sig, data))| (*i, verifier.verify(sig, data)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Options of an audit.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The introduction commit for this run only (default: the pin, else
    /// the first commit that adds trust.toml).
    pub intro: Option<String>,
    /// Record the head in local config after a clean audit of HEAD.
    pub record: bool,
    /// Decisions judged at a time (0: [`CHUNK`]); fewer hold less memory.
    pub chunk: usize,
    /// Judge every commit again, ignoring the last audit's cache.
    pub full: bool,
    /// Leave the cache file alone (a server hook judging commits that may
    /// still be refused).
    pub keep_cache: bool,
    /// Only bring an earlier audit up to date: without a usable cache,
    /// judge nothing (the report is empty).
    pub incremental_only: bool,
}

/// Replays history from the introduction to HEAD and judges every commit.
pub fn audit(repo: &DraftRepo, opts: &Options) -> Result<Report> {
    audit_with_progress(repo, opts, &mut |_| {})
}

/// [`audit`], telling `progress` the commits looked at (of how many), every thousand.
///
/// Object hashes are not recomputed on every read (git does not either):
/// run `git fsck --strict` for that. Signatures are always checked.
pub fn audit_with_progress(
    repo: &DraftRepo,
    opts: &Options,
    progress: &mut dyn FnMut(Count),
) -> Result<Report> {
    let head = repo.head_id()?;
    without_hash_verification(|| audit_inner(repo, &head, true, opts, progress))
}

/// [`audit`] of the history that ends at `tip` (a commit id) instead of
/// HEAD: what `sync` and the server hook judge before taking commits in.
pub fn audit_at(repo: &DraftRepo, tip: &str, opts: &Options) -> Result<Report> {
    let tip = repo.resolve_commit(tip)?;
    let is_head = repo.head_id().ok().as_deref() == Some(tip.as_str());
    without_hash_verification(|| audit_inner(repo, &tip, is_head, opts, &mut |_| {}))
}

/// Brings the audit's cache and verdicts up to HEAD after duyet recorded
/// something, when an earlier audit left a cache to build on (an
/// incremental audit: milliseconds). Without one nothing is done: the
/// first audit of a large history is `duyet audit`'s or the TUI's.
pub fn refresh(repo: &DraftRepo) {
    let _ = audit(
        repo,
        &Options {
            incremental_only: true,
            ..Options::default()
        },
    );
}

/// Judges one commit that is not yet on any branch (a decision or trust
/// change about to be recorded) by the trust list of its parent, as the
/// audit will judge it: its findings (none: it may be recorded).
pub fn judge_new_commit(repo: &DraftRepo, id: &str) -> Result<Vec<Finding>> {
    Ok(judge_one_commit(repo, id)?.findings)
}

/// The report of judging commit `id` alone, by its parent's trust list.
fn judge_one_commit(repo: &DraftRepo, id: &str) -> Result<Report> {
    without_hash_verification(|| {
        let facts = repo.commit_facts(id)?;
        // A first trust list is an introduction: judged by its own list.
        let intro = if facts.parent_trust.is_none() && facts.trust.is_some() {
            id.to_string()
        } else {
            String::new()
        };
        let mut judge = Judge::new(repo, &intro);
        let mut report = Report::default();
        let verdicts = verify_chunk(&judge.verifier, std::slice::from_ref(&facts));
        judge.judge(std::slice::from_ref(&facts), &verdicts, &mut report)?;
        report.head = id.to_string();
        Ok(report)
    })
}

/// Moves the saved verdicts (list and log marks) from a commit's parent to
/// the commit duyet has just recorded, judging that one commit only:
/// milliseconds, where bringing the whole cache up to date rewrites it. The
/// cache itself stays where it was; the next audit judges from there. Does
/// nothing when the verdicts are not of the parent.
pub fn advance(repo: &DraftRepo, id: &str) {
    let Ok(Some(parent)) = repo.first_parent(id) else {
        return;
    };
    if !Verdicts::current(repo, &parent) {
        return;
    }
    if let Ok(one) = judge_one_commit(repo, id) {
        verdicts::advance(repo, &parent, &one);
    }
}

/// The introduction of an audit of `head`, where it came from, and a
/// finished report when there is nothing more to judge.
fn introduction(
    repo: &DraftRepo,
    head: &str,
    opts: &Options,
    cached: Option<&Report>,
    report: &mut Report,
    all: &mut Option<Vec<String>>,
) -> Result<Option<String>> {
    if let Some(i) = &opts.intro {
        report.intro_from = IntroFrom::Given;
        return Ok(Some(repo.resolve_commit(i)?));
    }
    if let Some(pin) = &report.pin {
        report.intro_from = IntroFrom::Pinned;
        if !(repo.has_commit(&pin.commit) && repo.is_ancestor(&pin.commit, head)?) {
            report.findings.push(finding(
                head,
                Problem::PinNotInHistory {
                    pin: pin.commit.clone(),
                },
            ));
            return Ok(None);
        }
        return Ok(Some(pin.commit.clone()));
    }
    report.intro_from = IntroFrom::FirstTrustList;
    if let Some(c) = cached.filter(|c| c.intro_from == IntroFrom::FirstTrustList) {
        return Ok(Some(c.intro.clone()));
    }
    let ids = repo.commits_since(head, None)?;
    let found = repo.first_adding(&ids, TRUST_PATH)?;
    *all = Some(ids);
    if found.is_none() {
        report.findings.push(finding(head, Problem::NoIntroduction));
    }
    Ok(found)
}

fn audit_inner(
    repo: &DraftRepo,
    head: &str,
    is_head: bool,
    opts: &Options,
    progress: &mut dyn FnMut(Count),
) -> Result<Report> {
    if repo.is_shallow() {
        return Err(Error::Shallow);
    }
    let head = head.to_string();
    let mut report = Report {
        head: head.clone(),
        pin: pin::pinned(repo),
        ..Report::default()
    };
    if is_head
        && let Some(recorded) = repo.local_config(HEAD_KEY)
        && !(repo.has_commit(&recorded) && repo.is_ancestor(&recorded, &head)?)
    {
        report.findings.push(finding(
            &head,
            Problem::HistoryRewritten {
                recorded,
                head: head.clone(),
            },
        ));
    }
    let cached = if opts.full {
        None
    } else {
        cache::load(repo, &head)
    };
    if opts.incremental_only && cached.is_none() {
        return Ok(report);
    }
    let mut all = None;
    let Some(intro) = introduction(repo, &head, opts, cached.as_ref(), &mut report, &mut all)?
    else {
        return Ok(report);
    };
    report.intro = intro.clone();
    let cached = cached.filter(|c| c.intro == intro && c.intro_from == report.intro_from);
    let mut judge = Judge::new(repo, &intro);
    // The introduction is signed by the pinned key.
    if let Some(pin) = report
        .pin
        .clone()
        .filter(|_| report.intro_from == IntroFrom::Pinned)
    {
        let actual = match repo.commit_signature(&intro)? {
            None => Some("it is not signed".to_string()),
            Some((sig, data)) => match judge.verifier.verify(&sig, &data) {
                Ok(key) if pin::matches(&pin.key, &key) => None,
                Ok(key) => Some(format!("it is signed by {}", pin::fingerprint(&key))),
                Err(e) => Some(format!("its signature does not verify: {e}")),
            },
        };
        if let Some(actual) = actual {
            report.findings.push(finding(
                &intro,
                Problem::PinKeyMismatch {
                    expected: pin.key.clone(),
                    actual,
                },
            ));
        }
    }
    // A commit's trees were checked when it is the introduction or comes
    // after it (judged now or by the cached audit).
    // The cached head stands for everything the cached audit judged; asking
    // git whether a commit descends from the introduction walks all history,
    // so it is asked only of the rare commit that is neither.
    let cached_head = cached.as_ref().map(|c| c.head.clone());
    let checked = |c: &str| {
        c == intro
            || cached_head.as_deref() == Some(c)
            || repo.is_ancestor(&intro, c).unwrap_or(false)
    };
    let mut unchanged = false;
    let ids = match cached {
        Some(c) => {
            // Only what came since, and the commits that had a finding.
            let mut again = HashSet::new();
            let mut facts = Vec::new();
            for f in &c.findings {
                if again.insert(f.commit.clone()) && repo.has_commit(&f.commit) {
                    let whole =
                        f.commit == intro || !first_parent_checked(repo, &f.commit, &checked);
                    facts.push(repo.commit_facts_with(&f.commit, whole)?);
                }
            }
            let mut rejudged = Report::default();
            judge.chunk(&facts, &mut rejudged)?;
            let same = rejudged.findings == c.findings;
            report.trail = merge_trail(c.trail, rejudged.trail, &again);
            report.findings.extend(rejudged.findings);
            report.tainted = c.tainted;
            report.tainted.extend(rejudged.tainted);
            report.tainted.sort();
            report.tainted.dedup();
            report.commits = c.commits;
            report.from_cache = c.commits;
            let ids = repo.commits_hiding(&head, &[&c.head, &intro])?;
            // Nothing new and the same verdicts: the cache stands as it is.
            unchanged = same && ids.is_empty();
            ids
        }
        None => {
            // The introduction: its own trust list must name its signer as
            // admin; its trees are checked whole.
            judge.chunk(&[repo.commit_facts_with(&intro, true)?], &mut report)?;
            match all {
                Some(ids) => repo.without_ancestors_of(ids, &intro)?,
                None => repo.commits_since(&head, Some(&intro))?,
            }
        }
    };
    report.commits += ids.len();
    // Then every later commit that matters, a chunk at a time so that
    // memory stays flat on long histories. Signatures of one chunk are
    // verified on another thread while this one scans the next.
    let chunk = if opts.chunk == 0 { CHUNK } else { opts.chunk };
    let verifier = &judge.verifier.clone();
    std::thread::scope(|s| -> Result<()> {
        let (to_verify, inbox) = std::sync::mpsc::sync_channel::<Vec<CommitFacts>>(1);
        let (verified_tx, verified) = std::sync::mpsc::channel();
        s.spawn(move || {
            for facts in inbox {
                let verdicts = verify_chunk(verifier, &facts);
                if verified_tx.send((facts, verdicts)).is_err() {
                    break;
                }
            }
        });
        let mut pending = Vec::new();
        repo.scan_protected(&ids, &checked, progress, &mut |f| {
            pending.push(f);
            if pending.len() >= chunk {
                // The verifier is never blocked (its outbox is unbounded),
                // so this send waits at most for one chunk's verification.
                let full = std::mem::take(&mut pending);
                if to_verify.send(full).is_err() {
                    return Err(stopped());
                }
                while let Ok((facts, verdicts)) = verified.try_recv() {
                    judge.judge(&facts, &verdicts, &mut report)?;
                }
            }
            Ok(())
        })?;
        if to_verify.send(pending).is_err() {
            return Err(stopped());
        }
        drop(to_verify);
        for (facts, verdicts) in verified {
            judge.judge(&facts, &verdicts, &mut report)?;
        }
        Ok(())
    })?;
    if !opts.keep_cache {
        if !unchanged {
            cache::save(repo, &report);
        }
        if !unchanged || !Verdicts::current(repo, &head) {
            verdicts::save(repo, &report);
        }
    }
    if opts.record && is_head && report.clean() {
        repo.set_local_config(HEAD_KEY, &head)?;
    }
    Ok(report)
}

/// Whether `id`'s first parent had its trees checked (see `checked`).
fn first_parent_checked(repo: &DraftRepo, id: &str, checked: &dyn Fn(&str) -> bool) -> bool {
    repo.first_parent(id)
        .ok()
        .flatten()
        .is_some_and(|p| checked(&p))
}

/// The verdicts on the signatures of `facts`, by position.
fn verify_chunk(verifier: &Verifier, facts: &[CommitFacts]) -> HashMap<usize, Verdict> {
    let signed: Vec<(usize, &(String, Vec<u8>))> = facts
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.signature.as_ref().map(|s| (i, s)))
        .collect();
    verify_all(verifier, &signed)
}

/// The verifying thread is gone (it panicked).
fn stopped() -> Error {
    Error::Sign("the signature-checking thread stopped".into())
}

/// `cached` with the entries of the commits in `again` replaced, in place,
/// by `fresh` (judged again from the same content, so normally the same).
fn merge_trail(
    cached: Vec<TrailEntry>,
    fresh: Vec<TrailEntry>,
    again: &HashSet<String>,
) -> Vec<TrailEntry> {
    let mut fresh: Vec<Option<TrailEntry>> = fresh.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(cached.len());
    for e in cached {
        if !again.contains(&e.commit) {
            out.push(e);
            continue;
        }
        // The first cached entry of a commit judged again takes its place.
        for slot in fresh.iter_mut() {
            if slot.as_ref().is_some_and(|f| f.commit == e.commit) {
                out.extend(slot.take());
            }
        }
    }
    out.extend(fresh.into_iter().flatten());
    out
}

/// Decisions judged at a time by default: their facts and signatures are
/// held together (about 1.5 KB each) and verified in parallel, while the
/// next chunk is read.
pub const CHUNK: usize = 1024;

impl Judge<'_> {
    /// Verifies and judges `facts` (in history order) into `report`.
    fn chunk(&mut self, facts: &[CommitFacts], report: &mut Report) -> Result<()> {
        let verdicts = verify_chunk(&self.verifier, facts);
        self.judge(facts, &verdicts, report)
    }
}

/// The trail as CSV: see [`crate::report::csv`].
pub use crate::report::csv::to_csv;
