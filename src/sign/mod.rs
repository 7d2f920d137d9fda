//! Signing and verifying commit buffers, following git's configuration:
//! `gpg.format` (openpgp, ssh, x509), `user.signingKey`, `gpg.program`,
//! `gpg.ssh.program`, `gpg.x509.program`. An OpenSSH private key on disk
//! signs in-process; everything else goes through the configured program,
//! invoked as git invokes it.

mod program;
mod ssh;

pub use ssh::{generate_key, pub_path, verify_ssh};

use std::path::PathBuf;

use crate::model::trust::SignerKey;
use crate::repo::DraftRepo;

/// The signature format, from `gpg.format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenPGP through gpg (git's default).
    OpenPgp,
    /// SSH signatures (SSHSIG, namespace "git").
    Ssh,
    /// x509 (CMS) through gpgsm.
    X509,
}

impl Format {
    /// The `gpg.format` value.
    pub fn key(self) -> &'static str {
        match self {
            Format::OpenPgp => "openpgp",
            Format::Ssh => "ssh",
            Format::X509 => "x509",
        }
    }
}

/// Why signing or verifying failed.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// No key is configured.
    #[error("no signing key is configured for gpg.format={format}. {advice}")]
    NoKey {
        /// The format.
        format: &'static str,
        /// The git config lines to set.
        advice: String,
    },
    /// An unknown `gpg.format`.
    #[error(
        "gpg.format = '{0}' is not one of openpgp, ssh, x509: fix it with `git config gpg.format ssh` (or openpgp, x509)"
    )]
    UnknownFormat(String),
    /// The key file cannot be read.
    #[error("cannot read the signing key {path}: {reason}")]
    KeyFile {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The key is protected and no passphrase was given.
    #[error("the key {0} is protected by a passphrase: enter it")]
    NeedPassphrase(PathBuf),
    /// The passphrase does not open the key.
    #[error("wrong passphrase for {0}")]
    WrongPassphrase(PathBuf),
    /// The program could not be started.
    #[error(
        "cannot run the signing program '{program}': {reason}. Install it, or set {config} to its path"
    )]
    ProgramMissing {
        /// The program.
        program: String,
        /// The git config key naming it.
        config: &'static str,
        /// Why.
        reason: String,
    },
    /// The program ran and failed.
    #[error("'{program}' failed to sign ({status}): {stderr}")]
    ProgramFailed {
        /// The program.
        program: String,
        /// Exit status.
        status: String,
        /// What it printed.
        stderr: String,
    },
    /// Verification failed.
    #[error("{0}")]
    Invalid(String),
}

/// How to sign, as read from git config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignConfig {
    /// `gpg.format`.
    pub format: Format,
    /// `user.signingKey`, if set.
    pub key: Option<String>,
    /// The program for this format (`gpg.program`, `gpg.ssh.program`, `gpg.x509.program`).
    pub program: String,
    /// The committer identity, "Name <email>", used by gpg when no key is set.
    pub identity: Option<String>,
}

impl SignConfig {
    /// Reads the signing configuration of `repo` (local, global, system).
    pub fn from_repo(repo: &DraftRepo) -> Result<SignConfig, SignError> {
        let format = match repo.config_string("gpg.format").as_deref() {
            None | Some("openpgp") => Format::OpenPgp,
            Some("ssh") => Format::Ssh,
            Some("x509") => Format::X509,
            Some(other) => return Err(SignError::UnknownFormat(other.to_string())),
        };
        let program = match format {
            Format::OpenPgp => repo
                .config_string("gpg.openpgp.program")
                .or_else(|| repo.config_string("gpg.program"))
                .unwrap_or_else(|| "gpg".to_string()),
            Format::Ssh => repo
                .config_string("gpg.ssh.program")
                .unwrap_or_else(|| "ssh-keygen".to_string()),
            Format::X509 => repo
                .config_string("gpg.x509.program")
                .unwrap_or_else(|| "gpgsm".to_string()),
        };
        let identity = match (
            repo.config_string("user.name"),
            repo.config_string("user.email"),
        ) {
            (Some(n), Some(e)) => Some(format!("{n} <{e}>")),
            _ => None,
        };
        Ok(SignConfig {
            format,
            key: repo.config_string("user.signingkey"),
            program,
            identity,
        })
    }

    /// The signer this configuration describes.
    pub fn signer(&self) -> Result<Signer, SignError> {
        match self.format {
            Format::Ssh => ssh::signer(self),
            Format::OpenPgp | Format::X509 => {
                let key = self
                    .key
                    .clone()
                    .or_else(|| self.identity.clone())
                    .ok_or_else(|| SignError::NoKey {
                        format: self.format.key(),
                        advice: advice(self.format),
                    })?;
                Ok(Signer::Program {
                    format: self.format,
                    program: self.program.clone(),
                    key,
                })
            }
        }
    }
}

/// The git config lines that set up signing for `format`.
pub fn advice(format: Format) -> String {
    match format {
        Format::Ssh => "Set one with:\n  git config gpg.format ssh\n  git config user.signingKey ~/.ssh/id_ed25519\n(or run `duyet keygen` to make a key)".to_string(),
        Format::OpenPgp => "Set one with:\n  git config user.signingKey <FINGERPRINT>\n(`gpg --list-secret-keys` shows yours), or use an SSH key: run `duyet keygen`".to_string(),
        Format::X509 => "Set one with:\n  git config gpg.format x509\n  git config user.signingKey <CERT-ID>\n(`gpgsm --list-secret-keys` shows yours)".to_string(),
    }
}

/// Something that signs commit buffers.
pub enum Signer {
    /// An OpenSSH private key signing in-process.
    SshKey {
        /// The key file.
        path: PathBuf,
        /// The key (maybe still encrypted).
        key: Box<ssh_key::PrivateKey>,
    },
    /// A program run as git runs it.
    Program {
        /// The format.
        format: Format,
        /// The program.
        program: String,
        /// The key argument (file, fingerprint, identity).
        key: String,
    },
}

impl Signer {
    /// Whether [`Signer::sign`] needs a passphrase.
    pub fn needs_passphrase(&self) -> bool {
        matches!(self, Signer::SshKey { key, .. } if key.is_encrypted())
    }

    /// A line telling who signs with which key, for the decision dialog.
    pub fn describe(&self) -> String {
        match self {
            Signer::SshKey { path, key } => format!(
                "ssh {} ({})",
                path.display(),
                key.public_key().fingerprint(ssh_key::HashAlg::Sha256)
            ),
            Signer::Program {
                format,
                program,
                key,
            } => format!("{} {key} (via {program})", format.key()),
        }
    }

    /// Signs `buffer`, returning the armored signature for the gpgsig header.
    pub fn sign(&self, buffer: &[u8], passphrase: Option<&str>) -> Result<String, SignError> {
        match self {
            Signer::SshKey { path, key } => ssh::sign_in_process(path, key, buffer, passphrase),
            Signer::Program {
                format,
                program,
                key,
            } => program::sign(*format, program, key, buffer),
        }
    }
}

/// The format of an armored signature, told from its first line.
pub fn format_of(signature: &str) -> Option<Format> {
    let first = signature.trim_start().lines().next()?;
    match first {
        "-----BEGIN SSH SIGNATURE-----" => Some(Format::Ssh),
        "-----BEGIN PGP SIGNATURE-----" => Some(Format::OpenPgp),
        "-----BEGIN SIGNED MESSAGE-----" => Some(Format::X509),
        _ => None,
    }
}

/// Programs used to verify OpenPGP and x509 signatures.
#[derive(Debug, Clone)]
pub struct Verifier {
    /// gpg.
    pub gpg: String,
    /// gpgsm.
    pub gpgsm: String,
}

impl Default for Verifier {
    fn default() -> Self {
        Verifier {
            gpg: "gpg".to_string(),
            gpgsm: "gpgsm".to_string(),
        }
    }
}

impl Verifier {
    /// The programs named in `repo`'s git config.
    pub fn from_repo(repo: &DraftRepo) -> Verifier {
        Verifier {
            gpg: repo
                .config_string("gpg.openpgp.program")
                .or_else(|| repo.config_string("gpg.program"))
                .unwrap_or_else(|| "gpg".to_string()),
            gpgsm: repo
                .config_string("gpg.x509.program")
                .unwrap_or_else(|| "gpgsm".to_string()),
        }
    }

    /// Verifies `signature` over `payload` and names the key that made it.
    /// SSH signatures are checked in-process; the others by gpg / gpgsm.
    pub fn verify(&self, signature: &str, payload: &[u8]) -> Result<SignerKey, SignError> {
        match format_of(signature) {
            Some(Format::Ssh) => verify_ssh(signature, payload),
            Some(Format::OpenPgp) => {
                program::verify(Format::OpenPgp, &self.gpg, signature, payload)
                    .map(SignerKey::OpenPgp)
            }
            Some(Format::X509) => {
                program::verify(Format::X509, &self.gpgsm, signature, payload).map(SignerKey::X509)
            }
            None => Err(SignError::Invalid("not a signature git knows".to_string())),
        }
    }
}

/// An in-memory ed25519 signer made from a 32-byte seed, and its public key
/// in authorized_keys form: for generated repositories (benchmarks, tests).
pub fn seeded_ssh_signer(seed: [u8; 32], comment: &str) -> Result<(Signer, String), SignError> {
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&seed);
    let key = ssh_key::PrivateKey::new(ssh_key::private::KeypairData::from(pair), comment)
        .map_err(|e| SignError::Invalid(e.to_string()))?;
    let public = key
        .public_key()
        .to_openssh()
        .map_err(|e| SignError::Invalid(e.to_string()))?;
    Ok((
        Signer::SshKey {
            path: PathBuf::from(format!("<generated {comment}>")),
            key: Box::new(key),
        },
        public,
    ))
}
