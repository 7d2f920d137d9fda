//! The pinned introduction (after Guix's channel introductions): the commit
//! from which the trail is trusted, and the fingerprint of the key that
//! must have signed it. It is set only by `duyet trust pin` and handed to
//! staff out of band, so a history fabricated from a new root, naming the
//! real people with an attacker's keys, fails the audit.

use serde::Serialize;

use crate::model::trust::SignerKey;
use crate::repo::{DraftRepo, Result};

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
