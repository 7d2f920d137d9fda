//! A draft's history: its revisions and decisions along first-parent history.

use std::path::Path;

use git2::{Commit, Oid};

use super::{DraftRepo, Error, Result, blob_text, parse_toml};
use crate::model::{DecisionRecord, History, Review, Revision, Time};

/// What one commit did to one draft folder.
struct Touch {
    draft: Option<Oid>,
    review: Option<Oid>,
}

impl DraftRepo {
    /// The history of draft `id` (which must exist at HEAD), oldest first,
    /// from the history index.
    pub fn history(&self, id: &str) -> Result<History> {
        let summary = self.draft(id)?;
        let touches = self.indexed_touches(id)?;
        let mut revisions = Vec::new();
        let mut decisions = Vec::new();
        let rpath = format!("{}/review.toml", summary.path);
        for t in touches {
            if let Some(blob) = &t.draft {
                revisions.push(Revision {
                    number: revisions.len() + 1,
                    blob: blob.clone(),
                    commit: t.commit.clone(),
                    author: t.author.clone(),
                    email: t.email.clone(),
                    time: t.time,
                    summary: t.summary.clone(),
                });
            }
            if let Some(r) = &t.review {
                let text = blob_text(&self.repo.find_blob(Oid::from_str(r)?)?, &rpath)?;
                let review: Review = parse_toml(&rpath, &text)?;
                decisions.push(DecisionRecord {
                    verified: None,
                    commit: t.commit.clone(),
                    review,
                    revision_number: None,
                    time: t.committed,
                });
            }
        }
        Ok(assemble(id, revisions, decisions))
    }

    /// The history of draft `id` by walking first-parent history, without
    /// the index: the reference the index is tested against.
    pub fn history_walk(&self, id: &str) -> Result<History> {
        let summary = self.draft(id)?;
        let folder = Path::new(&summary.path);
        let mut revisions = Vec::new();
        let mut decisions = Vec::new();
        let mut commit = self.head_commit()?;
        let mut here = self.touch(&commit, folder)?;
        loop {
            let parent = commit.parent(0).ok();
            let before = match &parent {
                Some(p) => self.touch(p, folder)?,
                None => Touch {
                    draft: None,
                    review: None,
                },
            };
            if here.draft.is_some() && here.draft != before.draft {
                revisions.push(self.revision(&commit, here.draft)?);
            }
            if let Some(r) = here.review.filter(|r| Some(*r) != before.review) {
                let rpath = format!("{}/review.toml", summary.path);
                let text = blob_text(&self.repo.find_blob(r)?, &rpath)?;
                let review: Review = parse_toml(&rpath, &text)?;
                decisions.push(DecisionRecord {
                    verified: None,
                    commit: commit.id().to_string(),
                    review,
                    revision_number: None,
                    time: time_of(&commit.committer().when()),
                });
            }
            match parent {
                Some(p) => {
                    commit = p;
                    here = before;
                }
                None => break,
            }
        }
        revisions.reverse();
        decisions.reverse();
        for (i, r) in revisions.iter_mut().enumerate() {
            r.number = i + 1;
        }
        Ok(assemble(id, revisions, decisions))
    }

    fn touch(&self, commit: &Commit<'_>, folder: &Path) -> Result<Touch> {
        let tree = commit.tree()?;
        let Ok(entry) = tree.get_path(folder) else {
            return Ok(Touch {
                draft: None,
                review: None,
            });
        };
        let Ok(sub) = self.repo.find_tree(entry.id()) else {
            return Ok(Touch {
                draft: None,
                review: None,
            });
        };
        Ok(Touch {
            draft: sub.get_name("draft.md").map(|e| e.id()),
            review: sub.get_name("review.toml").map(|e| e.id()),
        })
    }

    fn revision(&self, commit: &Commit<'_>, blob: Option<Oid>) -> Result<Revision> {
        let author = commit.author();
        Ok(Revision {
            number: 0,
            blob: blob.map(|b| b.to_string()).unwrap_or_default(),
            commit: commit.id().to_string(),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            time: time_of(&author.when()),
            summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        })
    }

    /// The text of revision `number` of a draft whose history is `history`.
    pub fn revision_text(&self, history: &History, number: usize) -> Result<String> {
        let rev = resolve_number(history, number)?;
        let path = self.draft(&history.id)?.path + "/draft.md";
        self.read_text(&rev.blob, &path)
    }

    /// Resolves a revision given as a number ("3") or a blob id prefix.
    pub fn resolve_revision(&self, history: &History, spec: &str) -> Result<usize> {
        resolve_spec(history, spec)
    }
}

fn resolve_number(history: &History, number: usize) -> Result<&Revision> {
    history
        .revisions
        .get(number.wrapping_sub(1))
        .ok_or(Error::RevisionOutOfRange {
            id: history.id.clone(),
            count: history.revisions.len(),
            asked: number,
        })
}

/// Resolves "N" or a blob id prefix (at least 4 hex digits) to a revision number.
pub fn resolve_spec(history: &History, spec: &str) -> Result<usize> {
    let spec = spec.trim();
    if let Ok(n) = spec.parse::<usize>()
        && spec.len() < 4
    {
        return resolve_number(history, n).map(|r| r.number);
    }
    let lower = spec.to_ascii_lowercase();
    let hits: Vec<_> = if lower.len() >= 4 && lower.chars().all(|c| c.is_ascii_hexdigit()) {
        history
            .revisions
            .iter()
            .filter(|r| r.blob.starts_with(&lower))
            .collect()
    } else {
        Vec::new()
    };
    match hits.as_slice() {
        [one] => Ok(one.number),
        _ => {
            if let Ok(n) = spec.parse::<usize>() {
                return resolve_number(history, n).map(|r| r.number);
            }
            Err(Error::NoSuchRevision {
                id: history.id.clone(),
                spec: spec.to_string(),
            })
        }
    }
}

pub(crate) fn time_of(t: &git2::Time) -> Time {
    Time {
        seconds: t.seconds(),
        offset_minutes: t.offset_minutes(),
    }
}

/// A history from its revisions (numbered) and decisions, each decision
/// linked to the revision it decided.
fn assemble(id: &str, revisions: Vec<Revision>, mut decisions: Vec<DecisionRecord>) -> History {
    for d in &mut decisions {
        d.revision_number = revisions
            .iter()
            .find(|r| r.blob == d.review.revision)
            .map(|r| r.number);
    }
    History {
        id: id.to_string(),
        revisions,
        decisions,
    }
}
