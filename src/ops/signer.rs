//! Who signs: the one place that turns git config into a [`Signer`]
//! (used by the CLI, the TUI worker and the other use cases).

use crate::repo::DraftRepo;
use crate::sign::{SignConfig, SignError, Signer};

/// The signer git config names for this repository.
pub fn signer(repo: &DraftRepo) -> Result<Signer, SignError> {
    SignConfig::from_repo(repo)?.signer()
}

/// Who would sign a decision, as shown before signing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignerInfo {
    /// "Name <email>".
    pub who: String,
    /// The key, from git config.
    pub key: String,
    /// Whether a passphrase is needed.
    pub needs_passphrase: bool,
}

/// Who would sign, with which key, and whether a passphrase is needed;
/// the error says what to configure.
pub fn signer_info(repo: &DraftRepo) -> Result<SignerInfo, String> {
    let signer = signer(repo).map_err(|e| e.to_string())?;
    let who = repo
        .configured_author()
        .map(|a| format!("{} <{}>", a.name, a.email))
        .map_err(|e| e.to_string())?;
    Ok(SignerInfo {
        who,
        key: signer.describe(),
        needs_passphrase: signer.needs_passphrase(),
    })
}
