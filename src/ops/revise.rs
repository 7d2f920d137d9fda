//! What clerks do: open a new draft from a template, and record revisions.
//! Revisions follow commit.gpgSign; they need not be signed.

use super::templates::{self, TemplateInput};
use crate::model::id::is_valid_id;
use crate::model::{Kind, Status};
use crate::repo::{DraftRepo, Edit, Error, Finished, Result, WorktreeWarning};
use crate::sign::SignConfig;

/// Writes `edits` as one commit, signed when commit.gpgSign is true.
pub fn commit_revision(
    repo: &DraftRepo,
    edits: &[Edit],
    message: &str,
    passphrase: Option<&str>,
) -> Result<Finished> {
    let author = repo.configured_author()?;
    let plan = repo.prepare_commit(edits, message, &author)?;
    let sign = repo
        .config_string("commit.gpgsign")
        .is_some_and(|v| v == "true" || v == "1" || v == "yes" || v == "on");
    let sig = if sign {
        let signer = SignConfig::from_repo(repo)
            .and_then(|c| c.signer())
            .map_err(|e| Error::Sign(e.to_string()))?;
        Some(
            signer
                .sign(plan.buffer.as_bytes(), passphrase)
                .map_err(|e| Error::Sign(e.to_string()))?,
        )
    } else {
        None
    };
    repo.finish_commit_checked(&plan, sig.as_deref(), &mut |_| Ok(()))
}

/// A new draft: its id and the commit of revision 1.
pub struct NewDraft {
    /// The id.
    pub id: String,
    /// Its folder.
    pub path: String,
    /// The commit.
    pub commit: String,
    /// Set when the work tree could not follow the commit.
    pub warning: Option<WorktreeWarning>,
}

/// Creates `drafts/<year>/<id>/` from the template of `kind` and commits it
/// as revision 1. The id is made from the title unless given; it must be new.
pub fn new_draft(
    repo: &DraftRepo,
    kind: Kind,
    title: &str,
    unit: &str,
    id: Option<&str>,
) -> Result<NewDraft> {
    if title.trim().is_empty() {
        return Err(Error::MissingTitle);
    }
    let now = jiff::ZonedDateTime::now();
    let year = now.year() as i32;
    let base = id
        .map(str::to_string)
        .unwrap_or_else(|| templates::slug(kind, title));
    if !is_valid_id(&base) {
        return Err(Error::InvalidId(base));
    }
    let exists = |candidate: &str| match repo.draft(candidate) {
        Ok(_) => Ok(true),
        Err(Error::NoSuchDraft(_)) => Ok(false),
        Err(Error::Empty(_)) => Ok(false),
        Err(e) => Err(e),
    };
    let id = if id.is_some() {
        if exists(&base)? {
            return Err(Error::DraftExists(base));
        }
        base
    } else {
        let mut candidate = base.clone();
        let mut n = 2;
        while exists(&candidate)? || !is_valid_id(&candidate) {
            if n > 10_000 {
                return Err(Error::DraftExists(base));
            }
            candidate = format!("{base}-{n}");
            n += 1;
        }
        candidate
    };
    let author = repo.configured_author()?;
    let initials: String = author
        .name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .flat_map(char::to_uppercase)
        .collect();
    let setting = |key: &str, default: &str| {
        repo.config_string(key)
            .unwrap_or_else(|| default.to_string())
    };
    let (body, parent) = (
        setting("duyet.body", "Sở Thông tin và Truyền thông"),
        setting("duyet.parent", "UBND tỉnh Lạng Sơn"),
    );
    let (body_abbr, place) = (
        setting("duyet.bodyabbr", "STTTT"),
        setting("duyet.place", "Lạng Sơn"),
    );
    let input = TemplateInput {
        kind,
        title: title.trim(),
        body: &body,
        parent: &parent,
        body_abbr: &body_abbr,
        unit: if unit.is_empty() { "VP" } else { unit },
        place: &place,
        month: now.month() as u32,
        year,
        initials: &initials,
    };
    let text = templates::draft_text(&input);
    let meta = templates::meta(&input, &author.name);
    let path = format!("drafts/{year}/{id}");
    let edits = [
        Edit::Put {
            path: format!("{path}/draft.md"),
            content: text.into_bytes(),
        },
        Edit::Put {
            path: format!("{path}/meta.toml"),
            content: toml::to_string(&meta)
                .map_err(|e| Error::Sign(e.to_string()))?
                .into_bytes(),
        },
    ];
    let done = commit_revision(
        repo,
        &edits,
        &format!("Dự thảo mới: {}", title.trim()),
        None,
    )?;
    Ok(NewDraft {
        id,
        path,
        commit: done.commit,
        warning: done.warning,
    })
}

/// What a new revision would do, shown before committing it.
pub struct RevisionPlan {
    /// The draft's status now.
    pub status: Status,
    /// Whether an approval becomes stale.
    pub stales_approval: bool,
    /// Whether the text changes at all.
    pub changes: bool,
}

/// Checks a new text of draft `id` against HEAD.
pub fn plan_revision(repo: &DraftRepo, id: &str, text: &str) -> Result<RevisionPlan> {
    let d = repo.draft(id)?;
    let blob = crate::repo::blob_id(text.as_bytes())?;
    Ok(RevisionPlan {
        status: d.status,
        stales_approval: d.status == Status::Approved && blob != d.draft_blob,
        changes: blob != d.draft_blob,
    })
}

/// Commits `text` as the new revision of draft `id`.
pub fn revise_text(repo: &DraftRepo, id: &str, text: &str, message: &str) -> Result<Finished> {
    let d = repo.draft(id)?;
    if message.trim().is_empty() {
        return Err(Error::MissingMessage);
    }
    commit_revision(
        repo,
        &[Edit::Put {
            path: format!("{}/draft.md", d.path),
            content: text.as_bytes().to_vec(),
        }],
        message,
        None,
    )
}
