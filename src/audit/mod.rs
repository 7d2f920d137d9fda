//! Replaying history against the trust rule (design.md section 4), after
//! GNU Guix's channel authentication: each commit that changes a review.toml
//! or the trust list is judged by the trust list of its parent.
//!
//! Merge commits: every commit on either side is judged by its own parent,
//! so each side's trust list judges what comes from that side. The merge
//! itself may not bring a review.toml or trust.toml that none of its parents
//! has: such content would enter unjudged, and is reported.

mod cache;
mod trailers;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use trailers::parse_trailers;

use crate::model::trust::{Role, SignerKey, TrustList};
use crate::model::{Count, Decision, Review};
use crate::repo::{
    CommitFacts, DraftRepo, Result, ReviewAt, TRUST_PATH, parse_toml_text,
    without_hash_verification,
};
use crate::sign::{SignError, Verifier};

/// Local config keys where the last successful audit is recorded.
pub const INTRO_KEY: &str = "duyet.audit.intro";
/// See [`INTRO_KEY`].
pub const HEAD_KEY: &str = "duyet.audit.head";

/// What is wrong with a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Problem {
    /// No introduction: no commit adds the trust list.
    NoIntroduction,
    /// A protected change without a signature.
    Unsigned,
    /// The signature does not verify.
    BadSignature {
        /// Why.
        reason: String,
    },
    /// The key is not in the parent's trust list.
    UnknownKey {
        /// The key.
        key: String,
    },
    /// The signer lacks the role.
    NotAuthorized {
        /// Who signed.
        name: String,
        /// The role needed.
        role: String,
    },
    /// A decision commit that changes other files too.
    ExtraFiles {
        /// The other files.
        files: Vec<String>,
    },
    /// Trailers and review.toml disagree.
    TrailerMismatch {
        /// What differs.
        detail: String,
    },
    /// The decided revision is not the draft's text in that commit.
    RevisionNotInTree {
        /// The Revision.
        revision: String,
        /// draft.md's blob in the tree.
        actual: String,
    },
    /// A review.toml or trust.toml that cannot be read.
    Malformed {
        /// The error.
        detail: String,
    },
    /// A merge that brings protected content none of its parents has.
    MergeIntroduces {
        /// The paths.
        files: Vec<String>,
    },
    /// The recorded audit head is no longer in history.
    HistoryRewritten {
        /// The recorded head.
        recorded: String,
        /// The current head.
        head: String,
    },
}

/// One finding: the commit and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The commit.
    pub commit: String,
    /// What is wrong.
    pub problem: Problem,
    /// A plain explanation.
    pub message: String,
}

/// One decision in the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrailEntry {
    /// The decision commit.
    pub commit: String,
    /// The draft.
    pub draft: String,
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

/// The audit's result.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The introduction commit.
    pub intro: String,
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
}

impl Report {
    /// Whether there is nothing to report.
    pub fn clean(&self) -> bool {
        self.findings.is_empty()
    }
}

fn explain(p: &Problem) -> String {
    match p {
        Problem::NoIntroduction => {
            "no commit adds .duyet/trust.toml: there is nothing to trust; pass --intro COMMIT"
                .into()
        }
        Problem::Unsigned => "changes a review.toml or the trust list but is not signed".into(),
        Problem::BadSignature { reason } => format!("the signature does not verify: {reason}"),
        Problem::UnknownKey { key } => {
            format!("signed with a key that is not in its parent's trust list: {key}")
        }
        Problem::NotAuthorized { name, role } => {
            format!("signed by {name}, who is not an {role} in its parent's trust list")
        }
        Problem::ExtraFiles { files } => {
            format!("a decision commit that also changes {}", files.join(", "))
        }
        Problem::TrailerMismatch { detail } => {
            format!("the trailers disagree with review.toml: {detail}")
        }
        Problem::RevisionNotInTree { revision, actual } => {
            format!(
                "Revision {revision} is not the draft's text in this commit (draft.md is {actual})"
            )
        }
        Problem::Malformed { detail } => format!("cannot be read: {detail}"),
        Problem::MergeIntroduces { files } => {
            format!(
                "a merge that brings {} with content none of its parents has",
                files.join(", ")
            )
        }
        Problem::HistoryRewritten { recorded, head } => format!(
            "history was rewritten: the head of the last audit, {recorded}, is not an ancestor of the current head {head}"
        ),
    }
}

fn finding(commit: &str, problem: Problem) -> Finding {
    Finding {
        commit: commit.to_string(),
        message: explain(&problem),
        problem,
    }
}

fn is_review(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == 4 && parts[0] == "drafts" && parts[3] == "review.toml"
}

/// What a signature check found.
type Verdict = std::result::Result<SignerKey, SignError>;

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
    /// The introduction commit (default: recorded, else the first that adds trust.toml).
    pub intro: Option<String>,
    /// Record intro and head in local config after a clean audit.
    pub record: bool,
    /// Decisions judged at a time (0: [`CHUNK`]); fewer hold less memory.
    pub chunk: usize,
    /// Judge every commit again, ignoring the last audit's cache.
    pub full: bool,
    /// Leave the cache file alone (a server hook judging commits that may
    /// still be refused).
    pub keep_cache: bool,
}

struct Judge<'r> {
    repo: &'r DraftRepo,
    verifier: Verifier,
    /// The introduction commit.
    intro: String,
    /// Trust lists read so far, by blob id.
    trust: HashMap<String, Arc<TrustList>>,
}

impl Judge<'_> {
    /// The trust list kept in `blob` (none: the empty list), cached by blob id.
    fn trust_list(&mut self, blob: Option<&str>) -> std::result::Result<Arc<TrustList>, String> {
        let Some(blob) = blob else {
            return Ok(Arc::new(TrustList::default()));
        };
        if let Some(t) = self.trust.get(blob) {
            return Ok(t.clone());
        }
        let text = self
            .repo
            .read_text(blob, TRUST_PATH)
            .map_err(|e| e.to_string())?;
        let list: TrustList = parse_toml_text(TRUST_PATH, &text).map_err(|e| e.to_string())?;
        let list = Arc::new(list);
        self.trust.insert(blob.to_string(), list.clone());
        Ok(list)
    }
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
    without_hash_verification(|| audit_inner(repo, &head, opts, progress))
}

/// [`audit`] of the history that ends at `tip` (a commit id) instead of
/// HEAD: what `sync` and the server hook judge before taking commits in.
pub fn audit_at(repo: &DraftRepo, tip: &str, opts: &Options) -> Result<Report> {
    let tip = repo.resolve_commit(tip)?;
    without_hash_verification(|| audit_inner(repo, &tip, opts, &mut |_| {}))
}

fn audit_inner(
    repo: &DraftRepo,
    head: &str,
    opts: &Options,
    progress: &mut dyn FnMut(Count),
) -> Result<Report> {
    let head = head.to_string();
    let mut report = Report {
        head: head.clone(),
        ..Report::default()
    };
    if let Some(recorded) = repo.local_config(HEAD_KEY)
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
    // The introduction: given, else recorded, else the cached audit's, else
    // the first commit that adds the trust list (a walk over all history,
    // kept for what follows).
    let mut all = None;
    let intro = match &opts.intro {
        Some(i) => Some(repo.resolve_commit(i)?),
        None => match repo.local_config(INTRO_KEY).filter(|i| repo.has_commit(i)) {
            Some(i) => Some(i),
            None => match &cached {
                Some(c) => Some(c.intro.clone()),
                None => {
                    let ids = repo.commits_since(&head, None)?;
                    let found = repo.first_adding(&ids, TRUST_PATH)?;
                    all = Some(ids);
                    found
                }
            },
        },
    };
    let Some(intro) = intro else {
        report
            .findings
            .push(finding(&head, Problem::NoIntroduction));
        return Ok(report);
    };
    report.intro = intro.clone();
    let cached = cached.filter(|c| c.intro == intro);
    let mut judge = Judge {
        repo,
        verifier: Verifier::from_repo(repo),
        intro: intro.clone(),
        trust: HashMap::new(),
    };
    let mut unchanged = false;
    let ids = match cached {
        Some(c) => {
            // Only what came since, and the commits that had a finding.
            let mut again = HashSet::new();
            let mut facts = Vec::new();
            for f in &c.findings {
                if again.insert(f.commit.clone()) {
                    facts.push(repo.commit_facts(&f.commit)?);
                }
            }
            let mut rejudged = Report::default();
            judge.chunk(&facts, &mut rejudged)?;
            let same = rejudged.findings == c.findings;
            report.trail = merge_trail(c.trail, rejudged.trail, &again);
            report.findings.extend(rejudged.findings);
            report.commits = c.commits;
            report.from_cache = c.commits;
            let ids = repo.commits_hiding(&head, &[&c.head, &intro])?;
            // Nothing new and the same verdicts: the cache stands as it is.
            unchanged = same && ids.is_empty();
            ids
        }
        None => {
            // The introduction: its own trust list must name its signer as admin.
            judge.chunk(&[repo.commit_facts(&intro)?], &mut report)?;
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
        repo.scan_protected(&ids, progress, &mut |f| {
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
    if !unchanged && !opts.keep_cache {
        cache::save(repo, &report);
    }
    if opts.record && report.clean() {
        repo.set_local_config(INTRO_KEY, &intro)?;
        repo.set_local_config(HEAD_KEY, &head)?;
    }
    Ok(report)
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
fn stopped() -> crate::repo::Error {
    crate::repo::Error::Sign("the signature-checking thread stopped".into())
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

    /// Judges `facts` (in history order), whose signatures were verified,
    /// into `report`.
    fn judge(
        &mut self,
        facts: &[CommitFacts],
        verdicts: &HashMap<usize, Verdict>,
        report: &mut Report,
    ) -> Result<()> {
        for (i, f) in facts.iter().enumerate() {
            let is_intro = f.id == self.intro;
            if f.parents.len() > 1 {
                judge_merge(self.repo, f, report)?;
                continue;
            }
            let changed: Vec<&String> = f.changes.iter().flatten().collect();
            let reviews: Vec<&String> = changed.iter().copied().filter(|p| is_review(p)).collect();
            let trust_changed = changed.iter().any(|p| *p == TRUST_PATH);
            if reviews.is_empty() && !trust_changed && !is_intro {
                continue;
            }
            let before = report.findings.len();
            // Who signed, judged by the parent's list (the intro by its own).
            let list_at = if is_intro { &f.trust } else { &f.parent_trust };
            let list = match self.trust_list(list_at.as_deref()) {
                Ok(l) => l,
                Err(e) => {
                    report
                        .findings
                        .push(finding(&f.id, Problem::Malformed { detail: e }));
                    continue;
                }
            };
            let mut signer = None;
            let mut key_text = None;
            match (&f.signature, verdicts.get(&i)) {
                (None, _) => report.findings.push(finding(&f.id, Problem::Unsigned)),
                (Some(_), Some(Err(e))) => report.findings.push(finding(
                    &f.id,
                    Problem::BadSignature {
                        reason: e.to_string(),
                    },
                )),
                (Some(_), Some(Ok(key))) => {
                    let text = match key {
                        SignerKey::Ssh(k) | SignerKey::OpenPgp(k) | SignerKey::X509(k) => k.clone(),
                    };
                    key_text = Some(text.clone());
                    match list.member_for(key) {
                        None => report
                            .findings
                            .push(finding(&f.id, Problem::UnknownKey { key: text })),
                        Some(m) => {
                            signer = Some(m.name.clone());
                            let needs: Vec<(Role, &str)> = [
                                (!reviews.is_empty()).then_some((Role::Approver, "approver")),
                                (trust_changed || is_intro).then_some((Role::Admin, "admin")),
                            ]
                            .into_iter()
                            .flatten()
                            .collect();
                            for (role, name) in needs {
                                if !m.has(role) {
                                    report.findings.push(finding(
                                        &f.id,
                                        Problem::NotAuthorized {
                                            name: m.name.clone(),
                                            role: name.to_string(),
                                        },
                                    ));
                                }
                            }
                        }
                    }
                }
                (Some(_), None) => report.findings.push(finding(&f.id, Problem::Unsigned)),
            }
            if !reviews.is_empty() {
                let others: Vec<String> = changed
                    .iter()
                    .filter(|p| !is_review(p))
                    .map(|p| p.to_string())
                    .collect();
                if reviews.len() > 1 || !others.is_empty() {
                    let mut files = others;
                    files.extend(reviews.iter().skip(1).map(|p| p.to_string()));
                    report
                        .findings
                        .push(finding(&f.id, Problem::ExtraFiles { files }));
                }
                for at in &f.reviews {
                    judge_decision(
                        self.repo,
                        f,
                        at,
                        report,
                        signer.clone(),
                        key_text.clone(),
                        before,
                    )?;
                }
            }
        }
        Ok(())
    }
}

fn judge_merge(repo: &DraftRepo, f: &CommitFacts, report: &mut Report) -> Result<()> {
    let mut bad = Vec::new();
    let mut paths: Vec<&String> = f
        .changes
        .iter()
        .flatten()
        .filter(|p| is_review(p) || *p == TRUST_PATH)
        .collect();
    paths.sort();
    paths.dedup();
    for p in paths {
        let here = repo.blob_at(&f.id, p)?;
        let mut known = false;
        for parent in &f.parents {
            known |= repo.blob_at(parent, p)? == here;
        }
        if !known {
            bad.push(p.clone());
        }
    }
    if !bad.is_empty() {
        report
            .findings
            .push(finding(&f.id, Problem::MergeIntroduces { files: bad }));
    }
    Ok(())
}

fn judge_decision(
    repo: &DraftRepo,
    f: &CommitFacts,
    at: &ReviewAt,
    report: &mut Report,
    signer: Option<String>,
    key: Option<String>,
    before: usize,
) -> Result<()> {
    let path = at.path.as_str();
    let folder = path.trim_end_matches("/review.toml");
    let id = folder.rsplit('/').next().unwrap_or("").to_string();
    let read = at
        .blob
        .as_deref()
        .map(|blob| {
            repo.read_text(blob, path)
                .and_then(|text| parse_toml_text::<Review>(path, &text))
        })
        .transpose();
    let review = match read {
        Ok(r) => r,
        Err(e) => {
            report.findings.push(finding(
                &f.id,
                Problem::Malformed {
                    detail: e.to_string(),
                },
            ));
            None
        }
    };
    let Some(review) = review else {
        return Ok(());
    };
    let trailers = parse_trailers(&f.message);
    let get = |k: &str| {
        trailers
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    let mut diffs = Vec::new();
    if get("Draft") != Some(id.as_str()) {
        diffs.push(format!("Draft is {:?}, the folder is {id}", get("Draft")));
    }
    if get("Decision").and_then(Decision::parse) != Some(review.decision) {
        diffs.push(format!(
            "Decision is {:?}, review.toml says {}",
            get("Decision"),
            review.decision.key()
        ));
    }
    if get("Revision") != Some(review.revision.as_str()) {
        diffs.push(format!(
            "Revision is {:?}, review.toml says {}",
            get("Revision"),
            review.revision
        ));
    }
    if !diffs.is_empty() {
        report.findings.push(finding(
            &f.id,
            Problem::TrailerMismatch {
                detail: diffs.join("; "),
            },
        ));
    }
    let actual = at.draft.clone().unwrap_or_default();
    if actual != review.revision {
        report.findings.push(finding(
            &f.id,
            Problem::RevisionNotInTree {
                revision: review.revision.clone(),
                actual,
            },
        ));
    }
    let verified = !report.findings[before..].iter().any(|x| x.commit == f.id);
    report.trail.push(TrailEntry {
        commit: f.id.clone(),
        draft: id,
        revision: review.revision,
        decision: review.decision.key().to_string(),
        reviewer: review.reviewer,
        signer,
        key,
        time: review.time,
        verified,
    });
    Ok(())
}

/// The trail as CSV (RFC 4180 quoting).
pub fn to_csv(report: &Report) -> String {
    let q = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out =
        String::from("commit,draft,revision,decision,reviewer,signer,key,time,verified,findings\n");
    for e in &report.trail {
        let findings: Vec<&str> = report
            .findings
            .iter()
            .filter(|f| f.commit == e.commit)
            .map(|f| f.message.as_str())
            .collect();
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            e.commit,
            q(&e.draft),
            e.revision,
            e.decision,
            q(&e.reviewer),
            q(e.signer.as_deref().unwrap_or("")),
            q(e.key.as_deref().unwrap_or("")),
            q(&e.time),
            e.verified,
            q(&findings.join("; "))
        ));
    }
    out
}
