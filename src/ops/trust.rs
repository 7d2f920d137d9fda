//! Changing the trust list: a commit that writes only `.duyet/trust.toml`,
//! signed like a decision (the audit requires an admin's signature).

use crate::model::trust::{Member, TrustList};
use crate::repo::{DraftRepo, Edit, Error, Finished, Result, TRUST_PATH};
use crate::sign::Signer;

/// Writes `list` as the new trust list in one signed commit.
pub fn write_trust(
    repo: &DraftRepo,
    list: &TrustList,
    message: &str,
    signer: &Signer,
    passphrase: Option<&str>,
) -> Result<Finished> {
    let text = toml::to_string(list).map_err(|e| Error::Sign(e.to_string()))?;
    let author = repo.configured_author()?;
    let plan = repo.prepare_commit(
        &[Edit::Put {
            path: TRUST_PATH.to_string(),
            content: text.into_bytes(),
        }],
        message,
        &author,
    )?;
    let sig = signer
        .sign(plan.buffer.as_bytes(), passphrase)
        .map_err(|e| Error::Sign(e.to_string()))?;
    // Judged as the audit will judge it: an admin of the list at HEAD (or,
    // for the first list, an admin of itself).
    if !repo.trust_list(None)?.members.is_empty() {
        let key = super::record::signing_key(repo, &plan, &sig)?;
        super::record::member_with_role(repo, &key, crate::model::trust::Role::Admin)?;
    }
    super::record::record(repo, &plan, &sig)
}

/// The list with `member` added, or merged into the entry with its e-mail.
pub fn with_member(list: &TrustList, member: Member) -> TrustList {
    let mut list = list.clone();
    match list.members.iter_mut().find(|m| m.email == member.email) {
        Some(m) => {
            for r in member.roles {
                if !m.roles.contains(&r) {
                    m.roles.push(r);
                }
            }
            for (have, add) in [
                (&mut m.ssh, member.ssh),
                (&mut m.openpgp, member.openpgp),
                (&mut m.x509, member.x509),
            ] {
                for k in add {
                    if !have.contains(&k) {
                        have.push(k);
                    }
                }
            }
            if !member.name.is_empty() {
                m.name = member.name;
            }
        }
        None => list.members.push(member),
    }
    list
}
