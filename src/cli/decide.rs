//! Deciding: approve and return, and the signer (with its passphrase
//! asked on the terminal) that every signed command uses.

use super::context::{Failure, note, open, print_finished};
use crate::model::{Decision, DraftSummary, Note, Step};
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

/// `--step`: none is the final decision.
pub(super) fn parse_step(s: Option<&str>) -> Result<Step, Failure> {
    match s {
        None => Ok(Step::Final),
        Some(s) => Step::parse(s).ok_or_else(|| {
            Failure(format!(
                "unknown step '{s}': use content (the drafting unit's head), form (thể thức) or final"
            ))
        }),
    }
}

/// What the form step answers for: the form checks of the revision decided,
/// in one line.
fn form_checks_note(repo: &DraftRepo, draft: &DraftSummary) {
    use crate::check::Severity;
    let path = format!("{}/draft.md", draft.path);
    let Ok(text) = repo.read_text(&draft.draft_blob, &path) else {
        return;
    };
    let findings = crate::check::check(&text, draft.meta.kind);
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    note((
        format!(
            "kiểm tra thể thức của bản này: {e} lỗi, {w} cảnh báo (duyet check {})",
            draft.id
        ),
        format!(
            "the form checks of this revision: {e} errors, {w} warnings (duyet check {})",
            draft.id
        ),
    ));
}

/// `duyet approve` / `duyet return` (on a step of the route with
/// `--step`): prints the decision commit.
pub(super) fn decide(
    repo: Option<&std::path::Path>,
    id: &str,
    (decision, step): (Decision, Step),
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
    let plan = ops::plan_step(&repo, &req, step)?;
    let passphrase = ask_passphrase(&signer)?;
    let done = ops::decide_step(&repo, &req, step, &signer, passphrase.as_deref())?;
    print_finished(&done);
    if step == Step::Form {
        form_checks_note(&repo, &plan.draft);
    }
    Ok(0)
}
