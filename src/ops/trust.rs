//! Changing the trust list: a commit that writes only `.duyet/trust.toml`,
//! signed like a decision (the audit requires an admin's signature).
//!
//! Edits refuse what would make the list ambiguous or unusable: a key that
//! is listed already (a key belongs to one member), a removal that selects
//! no one or several members, and removing the last admin.

use crate::model::trust::{Member, Role, SignerKey, TrustList, ssh_key_core};
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
    let current = match repo.trust_list(None) {
        // The first commit of a new repository may be its trust list.
        Err(Error::Empty(_)) => TrustList::default(),
        other => other?,
    };
    if !current.members.is_empty() {
        let key = super::record::signing_key(repo, &plan, &sig)?;
        super::record::member_with_role(repo, &key, crate::model::trust::Role::Admin)?;
    }
    super::record::record(repo, &plan, &sig)
}

/// Every key of `m`, as the trust list compares keys.
fn keys_of(m: &Member) -> Vec<SignerKey> {
    let ssh = m.ssh.iter().map(|k| SignerKey::Ssh(ssh_key_core(k)));
    let pgp = m.openpgp.iter().map(|k| SignerKey::OpenPgp(k.clone()));
    let x509 = m.x509.iter().map(|k| SignerKey::X509(k.clone()));
    ssh.chain(pgp).chain(x509).collect()
}

/// A key for messages: "ssh-ed25519 AAAA…" cut short, or the fingerprint.
fn describe_key(k: &SignerKey) -> String {
    match k {
        SignerKey::Ssh(s) => {
            let s = ssh_key_core(s);
            if s.chars().count() > 40 {
                format!("{}…", s.chars().take(40).collect::<String>())
            } else {
                s
            }
        }
        SignerKey::OpenPgp(f) => format!("openpgp {f}"),
        SignerKey::X509(f) => format!("x509 {f}"),
    }
}

fn who(m: &Member) -> String {
    format!("{} <{}>", m.name, m.email)
}

/// Whether `m` holds `key` (SSH keys compared as "type base64",
/// fingerprints with case and separators ignored).
fn holds(m: &Member, key: &SignerKey) -> bool {
    TrustList {
        members: vec![m.clone()],
    }
    .member_for(key)
    .is_some()
}

/// The list with `member` added, or merged into the entry with its e-mail.
/// Refuses ([`Error::KeyListed`]) a key that any member holds already.
pub fn with_member(list: &TrustList, member: Member) -> Result<TrustList> {
    for key in keys_of(&member) {
        if let Some(owner) = list.member_for(&key) {
            return Err(Error::KeyListed {
                key: describe_key(&key),
                member: who(owner),
            });
        }
    }
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
        None => {
            let mut member = member;
            member
                .ssh
                .dedup_by(|a, b| ssh_key_core(a) == ssh_key_core(b));
            list.members.push(member);
        }
    }
    Ok(list)
}

/// Which member to remove: by e-mail, by key, or both.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// The member's e-mail.
    pub email: Option<String>,
    /// One of the member's keys: an SSH public key ("type base64 …"), or an
    /// OpenPGP or x509 fingerprint.
    pub key: Option<String>,
}

impl Selection {
    fn describe(&self) -> String {
        match (&self.email, &self.key) {
            (Some(e), Some(k)) => format!("e-mail {e} and key {k}"),
            (Some(e), None) => format!("e-mail {e}"),
            (None, Some(k)) => format!("key {k}"),
            (None, None) => "nothing".to_string(),
        }
    }

    fn matches(&self, m: &Member) -> bool {
        let email = self.email.as_ref().is_none_or(|e| m.email == *e);
        let key = self.key.as_ref().is_none_or(|k| {
            let k = k.trim();
            if k.starts_with("ssh-") || k.starts_with("ecdsa-") || k.starts_with("sk-") {
                holds(m, &SignerKey::Ssh(ssh_key_core(k)))
            } else {
                holds(m, &SignerKey::OpenPgp(k.to_string()))
                    || holds(m, &SignerKey::X509(k.to_string()))
            }
        });
        email && key
    }
}

/// The list without the one member `sel` selects, and that member. Refuses
/// when it selects no one ([`Error::NoSuchMember`]), several members
/// ([`Error::AmbiguousMember`], listing them), or the last admin
/// ([`Error::LastAdmin`]).
pub fn without_member(list: &TrustList, sel: &Selection) -> Result<(TrustList, Member)> {
    if sel.email.is_none() && sel.key.is_none() {
        return Err(Error::NoSuchMember(sel.describe()));
    }
    let found: Vec<usize> = (0..list.members.len())
        .filter(|&i| sel.matches(&list.members[i]))
        .collect();
    let i = match found.as_slice() {
        [] => return Err(Error::NoSuchMember(sel.describe())),
        [i] => *i,
        many => {
            let members = many
                .iter()
                .map(|&i| {
                    let m = &list.members[i];
                    // The whole key, so that it can be copied into --key.
                    let key = match keys_of(m).first() {
                        Some(SignerKey::Ssh(k)) => Some(k.clone()),
                        Some(SignerKey::OpenPgp(k) | SignerKey::X509(k)) => Some(k.clone()),
                        None => None,
                    };
                    match key {
                        Some(k) => format!("{} (--key '{k}')", who(m)),
                        None => who(m),
                    }
                })
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::AmbiguousMember {
                selection: sel.describe(),
                count: many.len(),
                members,
            });
        }
    };
    let mut list = list.clone();
    let removed = list.members.remove(i);
    if removed.has(Role::Admin) && !list.members.iter().any(|m| m.has(Role::Admin)) {
        return Err(Error::LastAdmin(who(&removed)));
    }
    Ok((list, removed))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_A: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOv0Y5m1cJ9c0mYy0Z3m0kq1bqGQmJq4qkTQp0vJ8x3b";

    fn member(name: &str, email: &str, roles: &[Role], ssh: &[&str], pgp: &[&str]) -> Member {
        Member {
            name: name.to_string(),
            email: email.to_string(),
            roles: roles.to_vec(),
            ssh: ssh.iter().map(|s| s.to_string()).collect(),
            openpgp: pgp.iter().map(|s| s.to_string()).collect(),
            x509: vec![],
        }
    }

    #[test]
    fn a_listed_key_is_refused_whatever_its_comment_or_spelling() {
        let list = TrustList {
            members: vec![member(
                "Hà",
                "ha@x",
                &[Role::Admin],
                &[&format!("{KEY_A} ha@x")],
                &["ABCD EF01 2345 6789 ABCD  EF01 2345 6789 ABCD EF01"],
            )],
        };
        let again = member("M", "m@x", &[], &[&format!("{KEY_A} other")], &[]);
        assert!(matches!(
            with_member(&list, again),
            Err(Error::KeyListed { .. })
        ));
        let pgp = member(
            "M",
            "m@x",
            &[],
            &[],
            &["abcdef0123456789abcdef0123456789abcdef01"],
        );
        assert!(matches!(
            with_member(&list, pgp),
            Err(Error::KeyListed { .. })
        ));
    }

    #[test]
    fn removal_selects_exactly_one_and_keeps_an_admin() {
        let list = TrustList {
            members: vec![
                member("Hà", "ha@x", &[Role::Admin], &[KEY_A], &[]),
                member("Minh", "m@x", &[Role::Approver], &[], &["1111222233334444"]),
                member(
                    "Minh 2",
                    "m@x",
                    &[Role::Approver],
                    &[],
                    &["5555666677778888"],
                ),
            ],
        };
        let by_email = |e: &str| Selection {
            email: Some(e.to_string()),
            key: None,
        };
        assert!(matches!(
            without_member(&list, &by_email("m@x")),
            Err(Error::AmbiguousMember { count: 2, .. })
        ));
        let sel = Selection {
            email: Some("m@x".to_string()),
            key: Some("5555 6666 7777 8888".to_string()),
        };
        let (rest, gone) = without_member(&list, &sel).expect("one member");
        assert_eq!((gone.name.as_str(), rest.members.len()), ("Minh 2", 2));
        assert!(matches!(
            without_member(&list, &by_email("ha@x")),
            Err(Error::LastAdmin(_))
        ));
        assert!(matches!(
            without_member(&list, &by_email("no@x")),
            Err(Error::NoSuchMember(_))
        ));
    }
}
