//! `.duyet/trust.toml`: the people whose signatures count, and their roles.

use serde::{Deserialize, Serialize};

/// A role in the trust list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// May approve or return drafts.
    Approver,
    /// May change the trust list.
    Admin,
    /// Writes drafts.
    Drafter,
    /// Records clerk (văn thư).
    Clerk,
    /// Answers for the content of drafts of their `units` (the head of the
    /// drafting unit, Nghị định 30, Điều 12.1).
    Content,
    /// Answers for form and presentation (thể thức, kỹ thuật trình bày):
    /// usually the Chánh Văn phòng (Điều 12.2).
    Form,
}

impl Role {
    /// The word used in trust.toml and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Role::Approver => "approver",
            Role::Admin => "admin",
            Role::Drafter => "drafter",
            Role::Clerk => "clerk",
            Role::Content => "content",
            Role::Form => "form",
        }
    }

    /// Parses [`Role::key`].
    pub fn parse(s: &str) -> Option<Role> {
        [
            Role::Approver,
            Role::Admin,
            Role::Drafter,
            Role::Clerk,
            Role::Content,
            Role::Form,
        ]
        .into_iter()
        .find(|r| r.key() == s)
    }
}

/// One person in the trust list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// Full name.
    pub name: String,
    /// E-mail (also the SSH principal).
    pub email: String,
    /// Roles held.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// SSH public keys in authorized_keys form ("ssh-ed25519 AAAA... comment").
    #[serde(default)]
    pub ssh: Vec<String>,
    /// OpenPGP key fingerprints (hex).
    #[serde(default)]
    pub openpgp: Vec<String>,
    /// x509 certificate fingerprints (hex) or subjects.
    #[serde(default)]
    pub x509: Vec<String>,
    /// The drafting units (meta.toml `unit`) whose content this member
    /// answers for, with the `content` role.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
}

/// The whole trust list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrustList {
    /// Members.
    #[serde(default, rename = "member")]
    pub members: Vec<Member>,
}

/// Strips the comment of an authorized_keys line, leaving "type base64".
pub fn ssh_key_core(line: &str) -> String {
    line.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

fn same_fingerprint(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect::<String>()
            .to_ascii_uppercase()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty()
        && !b.is_empty()
        && (a.ends_with(&b) || b.ends_with(&a))
        && a.len().min(b.len()) >= 16
}

/// A key that signed something, as the verifier reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "key", rename_all = "lowercase")]
pub enum SignerKey {
    /// SSH public key, "type base64".
    Ssh(String),
    /// OpenPGP fingerprint (or long key id).
    OpenPgp(String),
    /// x509 fingerprint.
    X509(String),
}

impl TrustList {
    /// The member who owns `key`, if any.
    pub fn member_for(&self, key: &SignerKey) -> Option<&Member> {
        self.members.iter().find(|m| match key {
            SignerKey::Ssh(k) => m.ssh.iter().any(|s| ssh_key_core(s) == ssh_key_core(k)),
            SignerKey::OpenPgp(f) => m.openpgp.iter().any(|s| same_fingerprint(s, f)),
            SignerKey::X509(f) => m.x509.iter().any(|s| same_fingerprint(s, f) || s == f),
        })
    }

    /// git's allowed_signers file for the SSH keys in the list.
    pub fn allowed_signers(&self) -> String {
        let mut out = String::new();
        for m in &self.members {
            for k in &m.ssh {
                out.push_str(&format!(
                    "{} namespaces=\"git\" {}\n",
                    m.email,
                    ssh_key_core(k)
                ));
            }
        }
        out
    }
}

impl Member {
    /// Whether the member holds `role`.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether `unit` is one of the member's units (spaces around and
    /// letter case aside).
    pub fn answers_for(&self, unit: &str) -> bool {
        let norm = |s: &str| crate::model::text::nfc(s.trim()).to_lowercase();
        let unit = norm(unit);
        !unit.is_empty() && self.units.iter().any(|u| norm(u) == unit)
    }
}
