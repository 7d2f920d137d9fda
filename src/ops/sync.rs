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

use std::collections::BTreeSet;
use std::fmt;

use crate::model::Review;
use crate::repo::{DraftRepo, Error, Result, TRUST_PATH, parse_toml_text};
use crate::sign::SignConfig;

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
        }
    }
}

/// The draft folder ("drafts/2024/x") of a path, or the trust list.
fn unit_of(path: &str) -> Option<String> {
    if path == TRUST_PATH {
        return Some(TRUST_PATH.to_string());
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
pub fn sync(repo: &DraftRepo) -> Result<Outcome> {
    let up = repo.upstream()?;
    let local = repo.head_id()?;
    let Some(remote) = repo.fetch(&up)? else {
        repo.push(&up)?;
        return Ok(Outcome::Published);
    };
    if remote == local {
        return Ok(Outcome::UpToDate);
    }
    if repo.is_ancestor(&local, &remote)? {
        let n = repo.commits_since_of(&remote, &local)?.len();
        repo.advance_branch(&up.local, &local, &remote)?;
        return Ok(Outcome::FastForwarded(n));
    }
    if repo.is_ancestor(&remote, &local)? {
        let n = repo.commits_since_of(&local, &remote)?.len();
        repo.push(&up)?;
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
            "\nAgree on which one stands; then the other person resets their branch to the remote's (`git reset --hard @{u}`) and decides again on the text they now see.",
        );
        return Err(Error::Conflict(msg));
    }
    let signed_or_decisions = {
        let mut any = false;
        for c in &mine {
            let f = repo.commit_facts(c)?;
            any |= f.signature.is_some()
                || f.parents.len() > 1
                || f.changes
                    .iter()
                    .flatten()
                    .any(|p| p.ends_with("/review.toml") || p == TRUST_PATH);
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
        let signer = SignConfig::from_repo(repo)
            .and_then(|c| c.signer())
            .map_err(|e| Error::Sign(e.to_string()))?;
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
    repo.push(&up).map_err(|e| {
        Error::Remote(format!(
            "integrated locally, but the push failed (someone may have pushed meanwhile; run sync again):\n{e}"
        ))
    })?;
    Ok(outcome)
}
