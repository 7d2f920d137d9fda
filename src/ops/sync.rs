//! `duyet sync`: fetch from the branch's remote, integrate, push.
//!
//! The rule, chosen so that no signature is ever dropped or forged:
//! - behind the remote: fast-forward; ahead: push;
//! - diverged, and any draft (or the trust list) changed on both sides:
//!   nothing is integrated, and the user is shown both sides' work on it —
//!   two decisions on one draft made concurrently are never silently
//!   re-signed or dropped;
//! - diverged on different drafts, with only unsigned revisions here: they
//!   are replayed on top of the remote (a linear history, as `git pull
//!   --rebase`);
//! - diverged on different drafts with decisions (or any signed commit)
//!   here: a merge commit keeps them verbatim, signatures intact. The merge
//!   brings no review.toml that neither parent has, so the audit accepts it
//!   (see the audit's merge rule).
//!
//! Nothing forged comes in: before anything is integrated, the fetched
//! history is judged by the audit ([`super::hook::judge_new`]); a finding
//! in any commit new from the remote, or a remote whose branch was
//! rewritten, stops the sync with nothing integrated, pushed or moved.
//! `--take-remote` ([`Options::take_remote`]) is the way out of a conflict
//! or a rewrite: the local branch becomes the (judged) remote's, and the
//! local commits it drops are kept under `refs/duyet/backup/<time>`.

use std::collections::BTreeSet;
use std::fmt;

use super::hook::{Rejected, judge_new};
use crate::i18n::Lang;
use crate::model::Review;
use crate::repo::{DraftRepo, Error, POLICY_PATH, Result, TRUST_PATH, Upstream, parse_toml_text};

/// How to sync.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// When the local branch and the remote's cannot be integrated (a
    /// conflict, a rewritten remote): take the remote's branch as it is,
    /// keeping the local commits under a backup ref.
    pub take_remote: bool,
}

/// The remote's branch no longer holds commits it had at the last sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    /// The remote's branch as last seen (the remote-tracking ref).
    pub old: String,
    /// As fetched now.
    pub new: String,
    /// Commits reachable from `old` and not from `new`.
    pub dropped: usize,
}

/// Why sync took nothing in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Findings of the audit about commits new from the remote.
    pub rejected: Vec<Rejected>,
    /// Set when the remote's branch was rewritten (force-pushed).
    pub rewritten: Option<Rewrite>,
}

impl Refusal {
    /// The message, in `lang`: what happened, one line per finding, what to do.
    pub fn render(&self, lang: Lang) -> String {
        let mut s = String::new();
        let vi = lang == Lang::Vi;
        if let Some(r) = &self.rewritten {
            s.push_str(&if vi {
                format!(
                    "Nhánh trên máy chủ đã bị ghi đè (force-push): không còn {} commit đã có ở lần đồng bộ trước ({:.10} → {:.10}).\n",
                    r.dropped, r.old, r.new
                )
            } else {
                format!(
                    "The remote's branch was rewritten (force-pushed): it no longer holds {} commit(s) it had at the last sync ({:.10} → {:.10}).\n",
                    r.dropped, r.old, r.new
                )
            });
        }
        if !self.rejected.is_empty() {
            s.push_str(if vi {
                "Máy chủ có commit không qua được kiểm tra chữ ký:\n"
            } else {
                "The remote holds commits that fail the audit:\n"
            });
            for r in &self.rejected {
                s.push_str(&format!("  {}\n", r.line(lang)));
            }
        }
        s.push_str(if vi {
            "Không có gì được hợp nhất hay đẩy lên; nhánh của bạn giữ nguyên.\n"
        } else {
            "Nothing was integrated or pushed; your branch is as it was.\n"
        });
        if !self.rejected.is_empty() {
            s.push_str(if vi {
                "Báo cho quản trị viên máy chủ: các commit này cần được gỡ khỏi máy chủ.\n"
            } else {
                "Tell the server's administrator: these commits must be removed from the remote.\n"
            });
        } else {
            s.push_str(if vi {
                "Để nhận lịch sử hiện có trên máy chủ: `duyet sync --take-remote` (các commit chỉ có ở máy này được giữ trong một ref sao lưu).\n"
            } else {
                "To take the remote's history as it is now: `duyet sync --take-remote` (commits only on this machine are kept under a backup ref).\n"
            });
        }
        s
    }
}

/// Why a sync did not happen.
#[derive(Debug)]
pub enum SyncError {
    /// The remote brings commits that fail the audit, or was rewritten.
    Refused(Refusal),
    /// Anything else (a conflict, the network, the repository).
    Repo(Error),
}

impl From<Error> for SyncError {
    fn from(e: Error) -> Self {
        SyncError::Repo(e)
    }
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Both languages: the TUI shows this as it is.
            SyncError::Refused(r) => write!(f, "{}\n{}", r.render(Lang::Vi), r.render(Lang::En)),
            SyncError::Repo(e) => write!(f, "{e}"),
        }
    }
}

/// What sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to do.
    UpToDate,
    /// The remote had no such branch: it was created.
    Published,
    /// Local commits pushed.
    Pushed(usize),
    /// The remote's commits taken.
    FastForwarded(usize),
    /// Local revisions replayed on the remote's, then pushed.
    Rebased(usize),
    /// A merge kept local decisions verbatim, then pushed.
    Merged(usize),
    /// `--take-remote`: the local branch is now the remote's; the local
    /// commits it dropped are kept under `backup`.
    TookRemote {
        /// Local commits no longer on the branch.
        discarded: usize,
        /// The backup ref holding them.
        backup: String,
    },
}

impl Outcome {
    /// What happened, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Outcome::UpToDate => "đã cập nhật, không có gì mới".into(),
            Outcome::Published => "đã đưa nhánh lên máy chủ".into(),
            Outcome::Pushed(n) => format!("đã đẩy {n} commit lên máy chủ"),
            Outcome::FastForwarded(n) => format!("đã nhận {n} commit từ máy chủ"),
            Outcome::Rebased(n) => {
                format!("đã đặt lại {n} lần sửa của bạn lên trên bản của máy chủ và đẩy lên")
            }
            Outcome::Merged(n) => format!(
                "đã hợp nhất {n} commit của bạn, giữ nguyên chữ ký các quyết định, và đẩy lên"
            ),
            Outcome::TookRemote { discarded, backup } => format!(
                "nhánh của bạn nay là bản trên máy chủ; {discarded} commit chỉ có ở máy này được giữ trong {backup} — xem bằng `git log {backup}`"
            ),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::UpToDate => write!(f, "up to date"),
            Outcome::Published => write!(f, "published the branch on the remote"),
            Outcome::Pushed(n) => write!(f, "pushed {n} commit(s)"),
            Outcome::FastForwarded(n) => write!(f, "took {n} commit(s) from the remote"),
            Outcome::Rebased(n) => write!(
                f,
                "replayed {n} local revision(s) on the remote's work and pushed"
            ),
            Outcome::Merged(n) => write!(
                f,
                "merged {n} local commit(s), decisions kept as signed, and pushed"
            ),
            Outcome::TookRemote { discarded, backup } => write!(
                f,
                "your branch is now the remote's; the {discarded} commit(s) only here are kept under {backup} — see them with `git log {backup}`"
            ),
        }
    }
}

/// The draft folder ("drafts/2024/x") of a path, or the trust list.
fn unit_of(path: &str) -> Option<String> {
    if path == TRUST_PATH || path == POLICY_PATH {
        return Some(path.to_string());
    }
    let parts: Vec<&str> = path.split('/').collect();
    (parts.len() >= 4 && parts[0] == "drafts").then(|| parts[..3].join("/"))
}

/// Describes one side's work on `unit` for the conflict message.
fn describe(repo: &DraftRepo, commits: &[String], unit: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for c in commits {
        let parent = repo.commit_facts(c)?.parents.first().cloned();
        let Some(parent) = parent else { continue };
        let changes = repo.changes_between(&parent, c)?;
        if !changes
            .iter()
            .any(|(p, _)| unit_of(p).as_deref() == Some(unit))
        {
            continue;
        }
        let (author, message) = repo.commit_author(c)?;
        let review_path = format!("{unit}/review.toml");
        let line = if changes.iter().any(|(p, _)| *p == review_path) {
            match repo.file_at(c, &review_path)? {
                Some((_, text)) => match parse_toml_text::<Review>(&review_path, &text) {
                    Ok(r) => format!("{:.10} decision: {} by {}", c, r.decision.key(), r.reviewer),
                    Err(_) => format!("{:.10} decision by {}", c, author.name),
                },
                None => format!("{:.10} removes the decision ({})", c, author.name),
            }
        } else {
            format!(
                "{:.10} {} ({})",
                c,
                message.lines().next().unwrap_or(""),
                author.name
            )
        };
        out.push(line);
    }
    Ok(out)
}

/// Syncs the current branch with its upstream.
pub fn sync(repo: &DraftRepo) -> std::result::Result<Outcome, SyncError> {
    sync_with(repo, Options::default())
}

/// Deletes the incoming ref however sync ends.
struct Incoming<'r> {
    repo: &'r DraftRepo,
    name: String,
}

impl Drop for Incoming<'_> {
    fn drop(&mut self) {
        let _ = self.repo.delete_ref(&self.name);
    }
}

/// A backup ref name for now: `refs/duyet/backup/YYYYmmdd-HHMMSS` (UTC),
/// with a suffix if that one is taken.
fn backup_ref(repo: &DraftRepo) -> String {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%d-%H%M%S").to_string();
    let base = format!("refs/duyet/backup/{stamp}");
    let mut name = base.clone();
    let mut n = 1;
    while repo.ref_id(&name).is_some() {
        n += 1;
        name = format!("{base}-{n}");
    }
    name
}

/// Resets the local branch to the remote's `remote`, keeping `local` under
/// a backup ref.
fn take_remote(repo: &DraftRepo, up: &Upstream, local: &str, remote: &str) -> Result<Outcome> {
    let discarded = repo.commits_since_of(local, remote)?.len();
    let backup = backup_ref(repo);
    repo.create_ref(&backup, local, "sync --take-remote: backup")?;
    if let Err(e) = repo.advance_branch(&up.local, local, remote) {
        let _ = repo.delete_ref(&backup);
        return Err(e);
    }
    Ok(Outcome::TookRemote { discarded, backup })
}

/// Syncs the current branch with its upstream, as `opts` say.
pub fn sync_with(repo: &DraftRepo, opts: Options) -> std::result::Result<Outcome, SyncError> {
    let up = repo.upstream()?;
    let local = repo.head_id()?;
    let last_seen = repo.ref_id(&up.tracking());
    let incoming = Incoming {
        repo,
        name: up.incoming(),
    };
    let Some(remote) = repo.fetch(&up)? else {
        repo.push(&up)?;
        return Ok(Outcome::Published);
    };
    // Judge what the remote brings before anything moves.
    let rejected = judge_new(repo, &remote, std::slice::from_ref(&local))?;
    let rewritten = match last_seen {
        Some(old) if repo.has_commit(&old) && !repo.is_ancestor(&old, &remote)? => Some(Rewrite {
            dropped: repo.commits_hiding(&old, &[&remote])?.len(),
            old,
            new: remote.clone(),
        }),
        _ => None,
    };
    if !rejected.is_empty() || (rewritten.is_some() && !opts.take_remote) {
        return Err(SyncError::Refused(Refusal {
            rejected,
            rewritten,
        }));
    }
    // Judged: the remote-tracking ref may follow.
    repo.set_ref(&up.tracking(), &remote, "sync: fetched and judged")?;
    drop(incoming);
    let outcome = integrate(repo, &up, &local, &remote, opts)?;
    // The marks of list, log and the TUI follow what came in (an
    // incremental audit, when an earlier one left a cache).
    crate::audit::refresh(repo);
    Ok(outcome)
}

/// Brings the local branch (at `local`) and the judged remote's (at
/// `remote`) together, as the module's rule says.
fn integrate(
    repo: &DraftRepo,
    up: &Upstream,
    local: &str,
    remote: &str,
    opts: Options,
) -> Result<Outcome> {
    let (local, remote) = (local.to_string(), remote.to_string());
    if remote == local {
        return Ok(Outcome::UpToDate);
    }
    if repo.is_ancestor(&local, &remote)? {
        let n = repo.commits_since_of(&remote, &local)?.len();
        repo.advance_branch(&up.local, &local, &remote)?;
        return Ok(Outcome::FastForwarded(n));
    }
    if opts.take_remote {
        return take_remote(repo, up, &local, &remote);
    }
    if repo.is_ancestor(&remote, &local)? {
        let n = repo.commits_since_of(&local, &remote)?.len();
        repo.push(up)?;
        return Ok(Outcome::Pushed(n));
    }
    let base = repo.merge_base(&local, &remote)?.ok_or_else(|| {
        Error::Conflict(
            "the local branch and the remote's share no history: nothing was integrated".into(),
        )
    })?;
    let mine = repo.commits_since_of(&local, &base)?;
    let theirs = repo.commits_since_of(&remote, &base)?;
    let my_changes = repo.changes_between(&base, &local)?;
    let their_changes = repo.changes_between(&base, &remote)?;
    let my_units: BTreeSet<String> = my_changes.iter().filter_map(|(p, _)| unit_of(p)).collect();
    let their_units: BTreeSet<String> = their_changes
        .iter()
        .filter_map(|(p, _)| unit_of(p))
        .collect();
    let both: Vec<&String> = my_units.intersection(&their_units).collect();
    let others_both: Vec<&String> = {
        let mine_other: BTreeSet<&String> = my_changes
            .iter()
            .map(|(p, _)| p)
            .filter(|p| unit_of(p).is_none())
            .collect();
        their_changes
            .iter()
            .map(|(p, _)| p)
            .filter(|p| unit_of(p).is_none() && mine_other.contains(p))
            .collect()
    };
    if !both.is_empty() || !others_both.is_empty() {
        let mut msg = String::from(
            "sync stopped: the same work changed here and on the remote; nothing was integrated or pushed, and both sides are intact.\n",
        );
        for unit in &both {
            msg.push_str(&format!("\n{unit}\n  here:\n"));
            for l in describe(repo, &mine, unit)? {
                msg.push_str(&format!("    {l}\n"));
            }
            msg.push_str("  on the remote:\n");
            for l in describe(repo, &theirs, unit)? {
                msg.push_str(&format!("    {l}\n"));
            }
        }
        for p in others_both {
            msg.push_str(&format!("\n{p} changed on both sides\n"));
        }
        msg.push_str(
            "\nAgree on which one stands; then the other person takes the remote's branch (`duyet sync --take-remote`, which keeps their own commits under a backup ref) and decides again on the text they now see.",
        );
        return Err(Error::Conflict(msg));
    }
    let signed_or_decisions = {
        let mut any = false;
        for c in &mine {
            let f = repo.commit_facts(c)?;
            any |= f.signature.is_some()
                || f.parents.len() > 1
                || f.changes.iter().flatten().any(|p| {
                    p.rsplit('/')
                        .next()
                        .is_some_and(|f| crate::model::Step::of_file(f).is_some())
                        || p == TRUST_PATH
                        || p == POLICY_PATH
                });
        }
        any
    };
    let gpg_sign = repo
        .config_string("commit.gpgsign")
        .is_some_and(|v| matches!(v.as_str(), "true" | "1" | "yes" | "on"));
    let mut sign = |buffer: &str| -> Result<Option<String>> {
        if !gpg_sign {
            return Ok(None);
        }
        let signer = super::signer::signer(repo).map_err(|e| Error::Sign(e.to_string()))?;
        signer
            .sign(buffer.as_bytes(), None)
            .map(Some)
            .map_err(|e| Error::Sign(e.to_string()))
    };
    let (tip, outcome) = if signed_or_decisions {
        let author = repo.configured_author()?;
        let msg = format!("Hợp nhất với {}/{}", up.remote, up.branch);
        let tip = repo.write_commit_on(
            &remote,
            &[&local, &remote],
            &my_changes,
            &author,
            &msg,
            &mut sign,
        )?;
        (tip, Outcome::Merged(mine.len()))
    } else {
        let mut tip = remote.clone();
        for c in &mine {
            let parent = repo
                .commit_facts(c)?
                .parents
                .first()
                .cloned()
                .unwrap_or_default();
            let changes = repo.changes_between(&parent, c)?;
            let (author, message) = repo.commit_author(c)?;
            tip = repo.write_commit_on(&tip, &[&tip], &changes, &author, &message, &mut sign)?;
        }
        (tip, Outcome::Rebased(mine.len()))
    };
    repo.advance_branch(&up.local, &local, &tip)?;
    repo.push(up).map_err(|e| {
        Error::Remote(format!(
            "integrated locally, but the push failed (someone may have pushed meanwhile; run sync again):\n{e}"
        ))
    })?;
    Ok(outcome)
}
