//! SSH signatures (SSHSIG, namespace "git"): in-process with ssh-key for
//! keys on disk, through `ssh-keygen -Y sign` for agent-held keys.

use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::{Format, SignConfig, SignError, Signer, advice};
use crate::model::trust::SignerKey;

const NAMESPACE: &str = "git";

fn expand_home(p: &str) -> PathBuf {
    match p.strip_prefix("~/") {
        Some(rest) => std::env::var_os("HOME")
            .map(PathBuf::from)
            .unwrap_or_default()
            .join(rest),
        None => PathBuf::from(p),
    }
}

pub(super) fn signer(cfg: &SignConfig) -> Result<Signer, SignError> {
    let Some(key) = cfg.key.as_deref() else {
        return Err(SignError::NoKey {
            format: "ssh",
            advice: advice(Format::Ssh),
        });
    };
    if key.starts_with("key::") || key.starts_with("ssh-") {
        return Ok(Signer::Program {
            format: Format::Ssh,
            program: cfg.program.clone(),
            key: key.to_string(),
        });
    }
    let path = expand_home(key);
    let text = std::fs::read_to_string(&path).map_err(|e| SignError::KeyFile {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    if text.trim_start().starts_with("ssh-") || text.trim_start().starts_with("ecdsa-") {
        // A public key: the private half is in an agent.
        return Ok(Signer::Program {
            format: Format::Ssh,
            program: cfg.program.clone(),
            key: path.display().to_string(),
        });
    }
    match PrivateKey::from_openssh(&text) {
        Ok(k) if k.is_encrypted() || k.algorithm() == ssh_key::Algorithm::Ed25519 => {
            Ok(Signer::SshKey {
                path,
                key: Box::new(k),
            })
        }
        // A key type ssh-key cannot sign with here: let ssh-keygen do it.
        _ => Ok(Signer::Program {
            format: Format::Ssh,
            program: cfg.program.clone(),
            key: path.display().to_string(),
        }),
    }
}

pub(super) fn sign_in_process(
    path: &Path,
    key: &PrivateKey,
    buffer: &[u8],
    passphrase: Option<&str>,
) -> Result<String, SignError> {
    let decrypted;
    let key = if key.is_encrypted() {
        let pass = passphrase.ok_or_else(|| SignError::NeedPassphrase(path.to_path_buf()))?;
        decrypted = key
            .decrypt(pass)
            .map_err(|_| SignError::WrongPassphrase(path.to_path_buf()))?;
        &decrypted
    } else {
        key
    };
    let sig = key
        .sign(NAMESPACE, HashAlg::Sha512, buffer)
        .map_err(|e| SignError::KeyFile {
            path: path.to_path_buf(),
            reason: format!("cannot sign with this key: {e}"),
        })?;
    sig.to_pem(LineEnding::LF)
        .map_err(|e| SignError::Invalid(e.to_string()))
}

/// Verifies an armored SSH signature over `payload` in the "git" namespace
/// and returns the signing key ("type base64").
pub fn verify_ssh(signature: &str, payload: &[u8]) -> Result<SignerKey, SignError> {
    let sig = SshSig::from_pem(signature.trim())
        .map_err(|e| SignError::Invalid(format!("malformed SSH signature: {e}")))?;
    if sig.namespace() != NAMESPACE {
        return Err(SignError::Invalid(format!(
            "SSH signature for namespace '{}', not 'git'",
            sig.namespace()
        )));
    }
    let public = PublicKey::new(sig.public_key().clone(), "");
    public.verify(NAMESPACE, payload, &sig).map_err(|_| {
        SignError::Invalid("bad SSH signature: the signed content differs".to_string())
    })?;
    let text = public
        .to_openssh()
        .map_err(|e| SignError::Invalid(e.to_string()))?;
    Ok(SignerKey::Ssh(text.trim().to_string()))
}

/// Makes a new ed25519 key pair at `path` (private, mode 0600) and
/// `path.pub`, optionally protected by `passphrase`. Returns the public key line.
pub fn generate_key(
    path: &Path,
    comment: &str,
    passphrase: Option<&str>,
) -> Result<String, SignError> {
    let fail = |reason: String| SignError::KeyFile {
        path: path.to_path_buf(),
        reason,
    };
    if path.exists() {
        return Err(fail(
            "the file exists already; choose another path".to_string(),
        ));
    }
    let mut rng = ssh_key::rand_core::OsRng;
    let mut key = PrivateKey::random(&mut rng, ssh_key::Algorithm::Ed25519)
        .map_err(|e| fail(e.to_string()))?;
    key.set_comment(comment);
    let public = key
        .public_key()
        .to_openssh()
        .map_err(|e| fail(e.to_string()))?;
    let key = match passphrase {
        Some(p) if !p.is_empty() => key.encrypt(&mut rng, p).map_err(|e| fail(e.to_string()))?,
        _ => key,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| fail(e.to_string()))?;
    }
    key.write_openssh_file(path, LineEnding::LF)
        .map_err(|e| fail(e.to_string()))?;
    std::fs::write(pub_path(path), format!("{public}\n")).map_err(|e| fail(e.to_string()))?;
    Ok(public)
}

/// The public half's path: `path` with ".pub" appended.
pub fn pub_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".pub");
    PathBuf::from(s)
}
