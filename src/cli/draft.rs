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
    let kind = kind_as_typed(kind).ok_or_else(|| {
        let kind = visible_line(kind);
        Failure(match super::context::ui_lang() {
            crate::i18n::Lang::Vi => format!("không rõ loại văn bản '{kind}': dùng công văn (CV), quyết định (QĐ), kế hoạch (KH), thông báo (TB), tờ trình (TTr) hoặc báo cáo (BC)"),
            crate::i18n::Lang::En => format!("unknown kind '{kind}': use cong-van, quyet-dinh, ke-hoach, thong-bao, to-trinh or bao-cao (or công văn, CV, QĐ, …)"),
        })
    })?;
    let repo = open(repo)?;
    let d = ops::revise::new_draft(&repo, kind, title, unit, id)?;
    println!("{}\t{}", visible_line(&d.id), visible_line(&d.path));
    if let Some(w) = &d.warning {
        note(w.texts());
    }
    Ok(0)
}

/// The kind a person typed: its key (`cong-van`), its name with or
/// without accents, any case and spacing (`"Công văn"`, `"cong van"`), its
/// English name, or its abbreviation (`CV`, `QĐ`, `QD`, `TTr`).
fn kind_as_typed(typed: &str) -> Option<crate::model::Kind> {
    use crate::model::Kind;
    use crate::model::text::fold_search;
    let squash = |s: &str| -> String {
        fold_search(s)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect()
    };
    let want = squash(typed);
    if want.is_empty() {
        return None;
    }
    Kind::ALL.into_iter().find(|k| {
        let abbr = match k {
            Kind::CongVan => "CV",
            other => other.abbreviation().unwrap_or_default(),
        };
        [k.key(), k.name_vi(), k.name_en(), abbr]
            .iter()
            .any(|name| squash(name) == want)
    })
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

#[cfg(test)]
mod tests {
    use super::kind_as_typed;
    use crate::model::Kind;

    #[test]
    fn kinds_as_people_type_them() {
        for typed in [
            "cong-van",
            "công văn",
            "cong van",
            "CV",
            "Công văn",
            " CÔNG  VĂN ",
        ] {
            assert_eq!(kind_as_typed(typed), Some(Kind::CongVan), "{typed}");
        }
        for typed in ["QĐ", "qd", "Quyết định", "quyet-dinh", "decision"] {
            assert_eq!(kind_as_typed(typed), Some(Kind::QuyetDinh), "{typed}");
        }
        assert_eq!(kind_as_typed("TTr"), Some(Kind::ToTrinh));
        assert_eq!(kind_as_typed("tờ trình"), Some(Kind::ToTrinh));
        assert_eq!(kind_as_typed("bc"), Some(Kind::BaoCao));
        for typed in ["", "-", "thư", "cong van x"] {
            assert_eq!(kind_as_typed(typed), None, "{typed}");
        }
    }
}
