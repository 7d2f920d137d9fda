//! What the audit needs to know about commits: parents, message, signature,
//! the files each commit changed against each parent, and files at a commit.

use std::path::Path;

use git2::{Oid, Sort};

use super::history::time_of;
use super::{DraftRepo, Error, Result, blob_text};
use crate::model::Time;

/// Facts about one commit.
#[derive(Debug, Clone)]
pub struct CommitFacts {
    /// Commit id.
    pub id: String,
    /// Parent ids.
    pub parents: Vec<String>,
    /// Full message.
    pub message: String,
    /// Armored signature and the signed payload, when signed.
    pub signature: Option<(String, Vec<u8>)>,
    /// Paths changed against each parent (against the empty tree for a root).
    pub changes: Vec<Vec<String>>,
    /// Committer time.
    pub time: Time,
}

impl DraftRepo {
    /// Resolves a commit-ish ("HEAD", an id or a prefix) to a full id.
    pub fn resolve_commit(&self, spec: &str) -> Result<String> {
        let obj = self
            .repo
            .revparse_single(spec)
            .map_err(|_| Error::NoSuchCommit(spec.to_string()))?;
        let commit = obj
            .peel_to_commit()
            .map_err(|_| Error::NoSuchCommit(spec.to_string()))?;
        Ok(commit.id().to_string())
    }

    /// Whether `ancestor` is `descendant` or one of its ancestors.
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> Result<bool> {
        let (a, d) = (Oid::from_str(ancestor)?, Oid::from_str(descendant)?);
        Ok(a == d || self.repo.graph_descendant_of(d, a)?)
    }

    /// Whether a commit with this id exists.
    pub fn has_commit(&self, id: &str) -> bool {
        Oid::from_str(id).is_ok_and(|o| self.repo.find_commit(o).is_ok())
    }

    /// Commits reachable from HEAD and not from `after` (all when `None`),
    /// parents before children.
    pub fn commits_since(&self, after: Option<&str>) -> Result<Vec<String>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(self.head_commit()?.id())?;
        if let Some(a) = after {
            walk.hide(Oid::from_str(a)?)?;
        }
        walk.map(|r| r.map(|o| o.to_string()).map_err(Error::from))
            .collect()
    }

    /// Commits reachable from `tip` and not from `base`, parents first.
    pub fn commits_since_of(&self, tip: &str, base: &str) -> Result<Vec<String>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(Oid::from_str(tip)?)?;
        walk.hide(Oid::from_str(base)?)?;
        walk.map(|r| r.map(|o| o.to_string()).map_err(Error::from))
            .collect()
    }

    /// The facts about one commit.
    pub fn commit_facts(&self, id: &str) -> Result<CommitFacts> {
        let c = self.repo.find_commit(Oid::from_str(id)?)?;
        let tree = c.tree()?;
        let mut changes = Vec::new();
        let parents: Vec<git2::Commit<'_>> = c.parents().collect();
        let paths_between = |old: Option<&git2::Tree<'_>>| -> Result<Vec<String>> {
            let diff = self.repo.diff_tree_to_tree(old, Some(&tree), None)?;
            Ok(diff
                .deltas()
                .filter_map(|d| {
                    d.new_file()
                        .path()
                        .or(d.old_file().path())
                        .map(|p| p.to_string_lossy().into_owned())
                })
                .collect())
        };
        if parents.is_empty() {
            changes.push(paths_between(None)?);
        }
        for p in &parents {
            changes.push(paths_between(Some(&p.tree()?))?);
        }
        Ok(CommitFacts {
            id: id.to_string(),
            parents: parents.iter().map(|p| p.id().to_string()).collect(),
            message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
            signature: self.commit_signature(id)?,
            changes,
            time: time_of(&c.committer().when()),
        })
    }

    /// The blob id and text of `path` at `commit`, if present.
    pub fn file_at(&self, commit: &str, path: &str) -> Result<Option<(String, String)>> {
        let c = self.repo.find_commit(Oid::from_str(commit)?)?;
        let Ok(entry) = c.tree()?.get_path(Path::new(path)) else {
            return Ok(None);
        };
        let blob = self.repo.find_blob(entry.id())?;
        Ok(Some((entry.id().to_string(), blob_text(&blob, path)?)))
    }

    /// The blob id of `path` at `commit`, if present.
    pub fn blob_at(&self, commit: &str, path: &str) -> Result<Option<String>> {
        let c = self.repo.find_commit(Oid::from_str(commit)?)?;
        Ok(c.tree()?
            .get_path(Path::new(path))
            .ok()
            .map(|e| e.id().to_string()))
    }

    /// The oldest commit (first in history order) that adds `path`.
    pub fn first_adding(&self, path: &str) -> Result<Option<String>> {
        for id in self.commits_since(None)? {
            let here = self.blob_at(&id, path)?;
            if here.is_none() {
                continue;
            }
            let c = self.repo.find_commit(Oid::from_str(&id)?)?;
            let mut before = false;
            for p in c.parents() {
                before |= self.blob_at(&p.id().to_string(), path)?.is_some();
            }
            if !before {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// A value from the repository's local config only.
    pub fn local_config(&self, key: &str) -> Option<String> {
        let cfg = self.repo.config().ok()?;
        let local = cfg.open_level(git2::ConfigLevel::Local).ok()?;
        local.get_string(key).ok()
    }
}

impl DraftRepo {
    /// Whether a commit with one parent (or none) changes any review.toml
    /// or the trust list: descends only into the subtrees that changed, so
    /// that the audit looks closely only at the commits that matter.
    pub fn changes_protected(&self, id: &str) -> Result<bool> {
        let c = self.repo.find_commit(Oid::from_str(id)?)?;
        let tree = c.tree()?;
        let parent_tree = match c.parent(0) {
            Ok(p) => Some(p.tree()?),
            Err(_) => None,
        };
        let entry_id = |t: Option<&git2::Tree<'_>>, path: &str| {
            t.and_then(|t| t.get_path(Path::new(path)).ok())
                .map(|e| e.id())
        };
        if entry_id(Some(&tree), super::TRUST_PATH)
            != entry_id(parent_tree.as_ref(), super::TRUST_PATH)
        {
            return Ok(true);
        }
        let sub = |t: Option<&git2::Tree<'_>>, name: &str| -> Option<git2::Tree<'_>> {
            let e = t?.get_name(name)?;
            self.repo.find_tree(e.id()).ok()
        };
        let (d_new, d_old) = (
            sub(Some(&tree), super::DRAFTS_DIR),
            sub(parent_tree.as_ref(), super::DRAFTS_DIR),
        );
        if d_new.as_ref().map(|t| t.id()) == d_old.as_ref().map(|t| t.id()) {
            return Ok(false);
        }
        let names = |t: Option<&git2::Tree<'_>>| -> Vec<(Vec<u8>, Oid)> {
            t.map(|t| {
                t.iter()
                    .map(|e| (e.name_bytes().to_vec(), e.id()))
                    .collect()
            })
            .unwrap_or_default()
        };
        let mut years: Vec<Vec<u8>> = names(d_new.as_ref())
            .into_iter()
            .chain(names(d_old.as_ref()))
            .map(|(n, _)| n)
            .collect();
        years.sort();
        years.dedup();
        for y in years {
            let ys = String::from_utf8_lossy(&y).into_owned();
            let (yn, yo) = (sub(d_new.as_ref(), &ys), sub(d_old.as_ref(), &ys));
            if yn.as_ref().map(|t| t.id()) == yo.as_ref().map(|t| t.id()) {
                continue;
            }
            let mut ids: Vec<Vec<u8>> = names(yn.as_ref())
                .into_iter()
                .chain(names(yo.as_ref()))
                .map(|(n, _)| n)
                .collect();
            ids.sort();
            ids.dedup();
            for d in ids {
                let ds = String::from_utf8_lossy(&d).into_owned();
                let (fn_, fo) = (sub(yn.as_ref(), &ds), sub(yo.as_ref(), &ds));
                if fn_.as_ref().map(|t| t.id()) == fo.as_ref().map(|t| t.id()) {
                    continue;
                }
                let review = |t: Option<&git2::Tree<'_>>| {
                    t.and_then(|t| t.get_name("review.toml")).map(|e| e.id())
                };
                if review(fn_.as_ref()) != review(fo.as_ref()) {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// The number of parents of a commit.
    pub fn parent_count(&self, id: &str) -> Result<usize> {
        Ok(self.repo.find_commit(Oid::from_str(id)?)?.parent_count())
    }
}
