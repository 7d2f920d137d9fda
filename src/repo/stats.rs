//! Per-draft revision counts and last-change times from one first-parent
//! walk, descending only into the parts of the tree that changed.

use std::collections::HashMap;

use git2::{ObjectType, Oid, Tree};

use super::history::time_of;
use super::{DRAFTS_DIR, DraftRepo, Result};
use crate::model::Time;

/// What the list shows about a draft's history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DraftStats {
    /// Number of revisions (commits that changed draft.md).
    pub revisions: usize,
    /// When the newest revision was made.
    pub last_change: Time,
}

fn drafts_tree<'r>(repo: &'r git2::Repository, tree: &Tree<'_>) -> Option<Tree<'r>> {
    let entry = tree.get_name(DRAFTS_DIR)?;
    repo.find_tree(entry.id()).ok()
}

fn child_trees(tree: Option<&Tree<'_>>) -> HashMap<Vec<u8>, Oid> {
    let mut out = HashMap::new();
    if let Some(t) = tree {
        for e in t.iter() {
            if e.kind() == Some(ObjectType::Tree) {
                out.insert(e.name_bytes().to_vec(), e.id());
            }
        }
    }
    out
}

fn draft_md(repo: &git2::Repository, folder: Option<Oid>) -> Option<Oid> {
    let t = repo.find_tree(folder?).ok()?;
    t.get_name("draft.md").map(|e| e.id())
}

impl DraftRepo {
    /// Revision counts and last-change times of every draft, keyed by id.
    pub fn draft_stats(&self) -> Result<HashMap<String, DraftStats>> {
        let repo = &self.repo;
        let mut stats: HashMap<String, DraftStats> = HashMap::new();
        let mut commit = self.head_commit()?;
        loop {
            let parent = commit.parent(0).ok();
            let here_tree = commit.tree()?;
            let here = drafts_tree(repo, &here_tree);
            let before = match &parent {
                Some(p) => drafts_tree(repo, &p.tree()?),
                None => None,
            };
            if here.as_ref().map(|t| t.id()) != before.as_ref().map(|t| t.id()) {
                let years_here = child_trees(here.as_ref());
                let years_before = child_trees(before.as_ref());
                for (year, id) in &years_here {
                    let old = years_before.get(year).copied();
                    if old == Some(*id) {
                        continue;
                    }
                    let year_here = repo.find_tree(*id).ok();
                    let year_before = old.and_then(|o| repo.find_tree(o).ok());
                    let d_here = child_trees(year_here.as_ref());
                    let d_before = child_trees(year_before.as_ref());
                    for (name, folder) in &d_here {
                        let prev = d_before.get(name).copied();
                        if prev == Some(*folder) {
                            continue;
                        }
                        let now_md = draft_md(repo, Some(*folder));
                        if now_md.is_some() && now_md != draft_md(repo, prev) {
                            let when = time_of(&commit.author().when());
                            let e = stats
                                .entry(String::from_utf8_lossy(name).into_owned())
                                .or_insert(DraftStats {
                                    revisions: 0,
                                    last_change: when,
                                });
                            e.revisions += 1;
                        }
                    }
                }
            }
            match parent {
                Some(p) => commit = p,
                None => break,
            }
        }
        Ok(stats)
    }
}
