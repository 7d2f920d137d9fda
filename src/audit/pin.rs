//! The pinned introduction (after Guix's channel introductions): the commit
//! from which the trail is trusted, and the fingerprint of the key that
//! must have signed it. It is set only by `duyet trust pin` and handed to
//! staff out of band, so a history fabricated from a new root, naming the
//! real people with an attacker's keys, fails the audit.

use serde::Serialize;

use crate::model::trust::SignerKey;
use crate::repo::{DraftRepo, Error, Result, TRUST_PATH};
use crate::sign::Verifier;

/// Local config key of the pinned commit.
pub const PIN_COMMIT: &str = "duyet.pin.commit";
/// Local config key of the pinned key fingerprint.
pub const PIN_KEY: &str = "duyet.pin.key";

/// A pinned introduction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pin {
    /// The introduction commit (full id).
    pub commit: String,
    /// The fingerprint of the key that signed it (`SHA256:…` for SSH, hex
    /// for OpenPGP and x509).
    pub key: String,
}

/// The pin in the repository's local config, if any.
pub fn pinned(repo: &DraftRepo) -> Option<Pin> {
    Some(Pin {
        commit: repo.local_config(PIN_COMMIT)?,
        key: repo.local_config(PIN_KEY)?,
    })
}

/// Records `pin` in the repository's local config.
pub fn set_pin(repo: &DraftRepo, pin: &Pin) -> Result<()> {
    repo.set_local_config(PIN_COMMIT, &pin.commit)?;
    repo.set_local_config(PIN_KEY, &pin.key)
}

/// The fingerprint by which a key is pinned: OpenSSH's `SHA256:…` for SSH
/// keys, upper-case hex for OpenPGP and x509.
pub fn fingerprint(key: &SignerKey) -> String {
    match key {
        SignerKey::Ssh(k) => ssh_fingerprint(k).unwrap_or_else(|| k.clone()),
        SignerKey::OpenPgp(f) | SignerKey::X509(f) => hex_upper(f),
    }
}

/// `SHA256:…` of an SSH public key in authorized_keys form.
pub fn ssh_fingerprint(key: &str) -> Option<String> {
    let core = crate::model::trust::ssh_key_core(key);
    let k = ssh_key::PublicKey::from_openssh(&core).ok()?;
    Some(k.fingerprint(ssh_key::HashAlg::Sha256).to_string())
}

fn hex_upper(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_hexdigit())
        .collect::<String>()
        .to_ascii_uppercase()
}

/// A fingerprint as given by a person: an SSH public key line becomes its
/// `SHA256:…`; `SHA256:…` stays; hex is upper-cased without spaces.
pub fn normalise(given: &str) -> String {
    let g = given.trim();
    if g.starts_with("SHA256:") {
        return g.to_string();
    }
    if g.starts_with("ssh-") || g.starts_with("ecdsa-") || g.starts_with("sk-") {
        return ssh_fingerprint(g).unwrap_or_else(|| g.to_string());
    }
    hex_upper(g)
}

/// Whether `key` is the pinned fingerprint.
pub fn matches(pinned: &str, key: &SignerKey) -> bool {
    let want = normalise(pinned);
    !want.is_empty() && want == fingerprint(key)
}

/// What pinning did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pinned {
    /// The pin recorded.
    pub pin: Pin,
    /// Something the person must know (the commit is not here yet).
    pub warning: Option<String>,
}

/// The fingerprint of the key that signed commit `id`, or why there is none.
pub fn signer_fingerprint(
    repo: &DraftRepo,
    id: &str,
) -> Result<std::result::Result<String, String>> {
    Ok(match repo.commit_signature(id)? {
        None => Err(format!("commit {id} is not signed")),
        Some((sig, data)) => match Verifier::from_repo(repo).verify(&sig, &data) {
            Ok(k) => Ok(fingerprint(&k)),
            Err(e) => Err(format!("the signature of commit {id} does not verify: {e}")),
        },
    })
}

/// Pins `commit` signed by `key`. When the commit is here, its signature
/// must be by that key (else nothing is pinned); when it is not (a clone
/// that does not hold it yet, or a history that is not the office's), the
/// pin is recorded with a warning, and the audit fails until it is there.
pub fn pin(repo: &DraftRepo, commit: &str, key: &str) -> Result<Pinned> {
    let key = normalise(key);
    if key.is_empty() {
        return Err(Error::Sign(format!("'{key}' is not a key fingerprint")));
    }
    let full = commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit());
    let found = repo.resolve_commit(commit).ok();
    let (commit, warning) = match found {
        Some(id) => {
            match signer_fingerprint(repo, &id)? {
                Ok(f) if f == key => {}
                Ok(f) => {
                    return Err(Error::Refused(format!(
                        "commit {id} is signed by {f}, not by {key}: nothing was pinned"
                    )));
                }
                Err(why) => return Err(Error::Refused(format!("{why}: nothing was pinned"))),
            }
            (id, None)
        }
        None if full => (
            commit.to_ascii_lowercase(),
            Some(format!(
                "commit {commit} is not in this repository: the audit fails until history holds it (fetch it, or this is not your office's history)"
            )),
        ),
        None => return Err(Error::NoSuchCommit(commit.to_string())),
    };
    let pin = Pin { commit, key };
    set_pin(repo, &pin)?;
    Ok(Pinned { pin, warning })
}

/// What an admin would pin here: the first commit that adds the trust
/// list, and its signer's fingerprint.
pub fn suggest(repo: &DraftRepo) -> Result<Option<Pin>> {
    let head = repo.head_id()?;
    let ids = repo.commits_since(&head, None)?;
    let Some(first) = repo.first_adding(&ids, TRUST_PATH)? else {
        return Ok(None);
    };
    let key = signer_fingerprint(repo, &first)?.unwrap_or_else(|why| why);
    Ok(Some(Pin { commit: first, key }))
}
