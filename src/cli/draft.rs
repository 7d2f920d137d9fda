//! The drafter's and clerk's commands: new, edit (in $EDITOR), submit (from
//! the work tree). Each commits a revision through `ops::revise`.

use std::io::IsTerminal;

use super::context::{Failure, note, open, print_finished};
use crate::model::Status;
use crate::model::safe::visible_line;
use crate::ops::{self, editor::EditFile};
use crate::repo::DraftRepo;

/// `duyet new`: opens a draft from its kind's template.
pub(super) fn new(
    repo: Option<&std::path::Path>,
    kind: &str,
    title: &str,
    unit: &str,
    id: Option<&str>,
) -> Result<i32, Failure> {
    let kind = crate::model::Kind::ALL
        .into_iter()
        .find(|k| k.key() == kind)
        .ok_or_else(|| Failure(format!("unknown kind '{kind}': use cong-van, quyet-dinh, ke-hoach, thong-bao, to-trinh or bao-cao")))?;
    let repo = open(repo)?;
    let d = ops::revise::new_draft(&repo, kind, title, unit, id)?;
    println!("{}\t{}", visible_line(&d.id), visible_line(&d.path));
    if let Some(w) = &d.warning {
        note(w.texts());
    }
    Ok(0)
}

/// `duyet submit`: commits the draft's text as it is in the work tree.
pub(super) fn submit(
    repo: Option<&std::path::Path>,
    id: &str,
    message: &str,
    yes: bool,
) -> Result<i32, Failure> {
    let repo = open(repo)?;
    let d = repo.draft(id)?;
    let Some(work) = repo.workdir() else {
        return Err(Failure(
            "submit needs a work tree; in a bare repository use `duyet edit`".to_string(),
        ));
    };
    let file = work.join(&d.path).join("draft.md");
    let text =
        std::fs::read_to_string(&file).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    commit_text(&repo, id, &text, message, yes)
}

/// Warns when a revision makes an approval stale and asks (or needs --yes),
/// then commits it.
fn commit_text(
    repo: &DraftRepo,
    id: &str,
    text: &str,
    message: &str,
    yes: bool,
) -> Result<i32, Failure> {
    let plan = ops::revise::plan_revision(repo, id, text)?;
    if !plan.changes {
        eprintln!("duyet: {id}: the text is unchanged; nothing to commit");
        return Ok(0);
    }
    if plan.stales_approval {
        eprintln!(
            "duyet: {id} is approved. This revision makes the approval stale: the leader must approve the new text again."
        );
        if !yes {
            if !std::io::stdin().is_terminal() {
                return Err(Failure(format!(
                    "{id}: not committed; pass --yes to commit a change to an approved draft"
                )));
            }
            eprint!("Commit anyway? [y/N] ");
            let mut answer = String::new();
            std::io::stdin()
                .read_line(&mut answer)
                .map_err(|e| Failure(e.to_string()))?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "có" | "c") {
                return Err(Failure(format!("{id}: not committed")));
            }
        }
    }
    let done = ops::revise::revise_text(repo, id, text, message)?;
    print_finished(&done);
    Ok(0)
}

fn failure(e: ops::editor::EditorError) -> Failure {
    match e {
        ops::editor::EditorError::Repo(e) => e.into(),
        other => Failure(other.to_string()),
    }
}

/// `duyet edit`: the newest text in $EDITOR, then the message (asked in
/// the editor unless given), then a new revision.
pub(super) fn edit(
    repo: Option<&std::path::Path>,
    id: &str,
    message: Option<&str>,
    yes: bool,
) -> Result<i32, Failure> {
    let repo = open(repo)?;
    let (d, text) = ops::read::current_text(&repo, id)?;
    let file = EditFile::new(&d.id, &text).map_err(failure)?;
    if d.status == Status::Approved {
        eprintln!("duyet: {id} is approved; any change makes the approval stale.");
    }
    file.edit().map_err(failure)?;
    let new = file.read().map_err(failure)?;
    if new == text {
        eprintln!("duyet: {id}: no change; nothing committed");
        return Ok(0);
    }
    let message = match message {
        Some(m) => m.to_string(),
        None => {
            let msg_file = file.dir().join("MESSAGE");
            std::fs::write(
                &msg_file,
                format!("\n# Ghi nội dung sửa đổi của {id} (dòng bắt đầu bằng # bị bỏ qua).\n# Describe what changed in {id} (lines starting with # are ignored).\n"),
            )
            .map_err(|e| Failure(e.to_string()))?;
            ops::editor::run_editor(&msg_file).map_err(failure)?;
            let m = std::fs::read_to_string(&msg_file).map_err(|e| Failure(e.to_string()))?;
            let m: Vec<&str> = m.lines().filter(|l| !l.starts_with('#')).collect();
            let m = m.join("\n").trim().to_string();
            if m.is_empty() {
                return Err(Failure("empty message: nothing committed".to_string()));
            }
            m
        }
    };
    commit_text(&repo, id, &new, &message, yes)
}
