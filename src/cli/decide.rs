//! Deciding: approve and return, and the signer (with its passphrase
//! asked on the terminal) that every signed command uses.

use super::context::{Failure, open, print_finished};
use crate::model::{Decision, Note};
use crate::ops::{self, DecisionRequest};
use crate::repo::DraftRepo;
use crate::sign::Signer;

/// The configured signer, and its passphrase asked on the terminal when
/// the key needs one.
pub(super) fn signer_for(repo: &DraftRepo) -> Result<(Signer, Option<String>), Failure> {
    let signer = ops::signer::signer(repo).map_err(|e| Failure(e.to_string()))?;
    let pass = ask_passphrase(&signer)?;
    Ok((signer, pass))
}

fn ask_passphrase(signer: &Signer) -> Result<Option<String>, Failure> {
    if !signer.needs_passphrase() {
        return Ok(None);
    }
    rpassword::prompt_password(format!("Passphrase for {}: ", signer.describe()))
        .map(Some)
        .map_err(|e| Failure(format!("cannot read the passphrase: {e}")))
}

fn parse_note(s: &str) -> Result<Note, Failure> {
    let (line, text) = s.split_once(':').ok_or_else(|| {
        Failure(format!(
            "--note '{s}': write it as LINE:TEXT, e.g. --note '12:Sửa tên huyện'"
        ))
    })?;
    let line = line
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|&l| l > 0)
        .ok_or_else(|| {
            Failure(format!(
                "--note '{s}': '{line}' is not a line number (1, 2, ...)"
            ))
        })?;
    Ok(Note {
        line,
        text: text.trim().to_string(),
    })
}

/// `duyet approve` / `duyet return`: prints the decision commit.
pub(super) fn decide(
    repo: Option<&std::path::Path>,
    id: &str,
    decision: Decision,
    revision: Option<String>,
    message: &str,
    notes: &[String],
) -> Result<i32, Failure> {
    let notes = notes
        .iter()
        .map(|n| parse_note(n))
        .collect::<Result<Vec<_>, _>>()?;
    let repo = open(repo)?;
    let signer = ops::signer::signer(&repo).map_err(|e| Failure(e.to_string()))?;
    let req = DecisionRequest {
        id: id.to_string(),
        decision,
        revision,
        comment: message.to_string(),
        notes,
        author: None,
    };
    // Check everything before asking for a passphrase.
    ops::plan_decision(&repo, &req)?;
    let passphrase = ask_passphrase(&signer)?;
    let done = ops::decide(&repo, &req, &signer, passphrase.as_deref())?;
    print_finished(&done);
    Ok(0)
}
