//! Recording a signed decision or trust change: the commit is judged by the
//! audit's judge before the branch moves, so duyet never records what the
//! audit, `sync` or the server would reject.

use crate::audit;
use crate::model::trust::{Member, Role, SignerKey, TrustList};
use crate::repo::{DraftRepo, Error, Finished, PreparedCommit, Result};
use crate::sign::Verifier;

/// The key that made `signature` over `prepared`.
pub fn signing_key(
    repo: &DraftRepo,
    prepared: &PreparedCommit,
    signature: &str,
) -> Result<SignerKey> {
    Verifier::from_repo(repo)
        .verify(signature, prepared.buffer.as_bytes())
        .map_err(|e| Error::Sign(format!("the new signature does not verify: {e}")))
}

/// The names of the admins of `list`, for "who can add it".
fn admins(list: &TrustList) -> String {
    let names: Vec<String> = list
        .members
        .iter()
        .filter(|m| m.has(Role::Admin))
        .map(|m| format!("{} <{}>", m.name, m.email))
        .collect();
    if names.is_empty() {
        "nobody yet: the first `duyet trust add` names its own signer as admin".to_string()
    } else {
        names.join(", ")
    }
}

/// The member of the trust list at HEAD who owns `key` and holds `role`,
/// or an error saying who can add it.
pub fn member_with_role(repo: &DraftRepo, key: &SignerKey, role: Role) -> Result<Member> {
    let list = repo.trust_list(None)?;
    match list.member_for(key) {
        Some(m) if m.has(role) => Ok(m.clone()),
        found => Err(Error::NotEntitled {
            key: audit::pin::fingerprint(key),
            who: found.map(|m| m.name.clone()),
            role: role.key(),
            admins: admins(&list),
        }),
    }
}

/// Writes the signed commit, judges it as the audit will, and moves the
/// branch only when it has no finding. Returns the new commit (and a
/// warning when the work tree could not follow).
pub fn record(repo: &DraftRepo, prepared: &PreparedCommit, signature: &str) -> Result<Finished> {
    let done = repo.finish_commit_checked(prepared, Some(signature), &mut |id| {
        let findings = audit::judge_new_commit(repo, id)?;
        if findings.is_empty() {
            return Ok(());
        }
        let what: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
        Err(Error::Refused(what.join("; ")))
    })?;
    audit::advance(repo, &done.commit);
    Ok(done)
}
