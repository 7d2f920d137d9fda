//! `duyet trust`: read and change the trust list, pin the introduction,
//! write git's allowed_signers.

use super::args::TrustAction;
use super::context::{Failure, open, print_finished, ui_lang};
use super::decide::signer_for;
use super::term::out;
use crate::i18n::Lang;
use crate::model::safe::visible;
use crate::ops;
use crate::repo::Error;

/// Runs one trust subcommand.
pub(super) fn trust(repo: Option<&std::path::Path>, action: &TrustAction) -> Result<i32, Failure> {
    use crate::model::trust::{Member, Role};
    let repo = open(repo)?;
    let list = match repo.trust_list(None) {
        // The first commit of a new repository may be its trust list.
        Err(Error::Empty(_)) => Default::default(),
        other => other?,
    };
    match action {
        TrustAction::List { json: as_json } => {
            super::report::trust_list(&list, *as_json, super::context::ui_lang())
        }
        TrustAction::Pin { commit, key } => {
            match (commit, key) {
                (Some(c), Some(k)) => {
                    let outcome = crate::audit::pin::pin(&repo, c, k)?;
                    if let Some(w) = &outcome.warning {
                        eprintln!("duyet: {w}");
                    }
                    out(&format!(
                        "pinned: {} {}\n",
                        outcome.pin.commit, outcome.pin.key
                    ))?;
                }
                (None, None) => {
                    let text = match crate::audit::pin::pinned(&repo) {
                        Some(p) => format!("pinned: {} {}\n", p.commit, p.key),
                        None => match crate::audit::pin::suggest(&repo)? {
                            Some(p) => format!(
                                "no introduction is pinned. The first trust list here is {} signed by {}.\nIf your office confirms these, run:\n  duyet trust pin {} {}\n",
                                p.commit, p.key, p.commit, p.key
                            ),
                            None => {
                                "no introduction is pinned, and no commit adds .duyet/trust.toml\n"
                                    .to_string()
                            }
                        },
                    };
                    out(&text)?;
                }
                _ => {
                    return Err(Failure(
                        "give both the commit and the key fingerprint: duyet trust pin COMMIT FINGERPRINT".into(),
                    ));
                }
            }
            Ok(0)
        }
        TrustAction::AllowedSigners { output } => {
            let text = list.allowed_signers();
            match output {
                Some(p) => {
                    std::fs::write(p, text)
                        .map_err(|e| Failure(format!("{}: {e}", p.display())))?;
                    Ok(0)
                }
                None => out(&visible(&text)),
            }
        }
        TrustAction::Add {
            name,
            email,
            roles,
            units,
            ssh,
            openpgp,
            x509,
        } => {
            let roles = roles
                .iter()
                .map(|r| {
                    Role::parse(r).ok_or_else(|| {
                        Failure(format!(
                            "unknown role '{r}': use approver, admin, drafter, clerk, content or form"
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let ssh = ssh
                .iter()
                .map(|k| ssh_public_key(k))
                .collect::<Result<Vec<_>, Failure>>()?;
            let member = Member {
                name: name.clone(),
                email: email.clone(),
                roles,
                ssh,
                openpgp: openpgp.clone(),
                x509: x509.clone(),
                units: units.clone(),
            };
            let new = ops::trust::with_member(&list, member)?;
            let (signer, pass) = signer_for(&repo)?;
            let done = ops::trust::write_trust(
                &repo,
                &new,
                &format!("Danh sách tin cậy: thêm {name} <{email}>"),
                &signer,
                pass.as_deref(),
            )?;
            print_finished(&done);
            Ok(0)
        }
        TrustAction::Remove { email, key } => {
            let key = match key {
                Some(k) if std::path::Path::new(k).is_file() => Some(ssh_public_key(k)?),
                other => other.clone(),
            };
            let sel = ops::trust::Selection {
                email: email.clone(),
                key,
            };
            let (new, gone) = ops::trust::without_member(&list, &sel)?;
            let (signer, pass) = signer_for(&repo)?;
            let done = ops::trust::write_trust(
                &repo,
                &new,
                &format!("Danh sách tin cậy: bỏ {} <{}>", gone.name, gone.email),
                &signer,
                pass.as_deref(),
            )?;
            print_finished(&done);
            Ok(0)
        }
    }
}

/// An SSH public key given on the command line, or read from the file it
/// names; checked, without its surrounding blanks.
fn ssh_public_key(k: &str) -> Result<String, Failure> {
    let text = if std::path::Path::new(k).is_file() {
        std::fs::read_to_string(k).map_err(|e| Failure(format!("{k}: {e}")))?
    } else {
        k.to_string()
    };
    ssh_key::PublicKey::from_openssh(text.trim()).map_err(|e| {
        Failure(match ui_lang() {
            Lang::Vi => format!("'{k}' không phải khóa công khai SSH: {e}"),
            Lang::En => format!("'{k}' is not an SSH public key: {e}"),
        })
    })?;
    Ok(text.trim().to_string())
}
