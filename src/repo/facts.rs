//! What the audit needs to know about commits: parents, message, signature,
//! the files each commit changed against each parent, and files at a commit.

use git2::{Oid, Sort};

use super::history::time_of;
use super::rawtree::{diff_raw, find_raw};
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
        let odb = self.repo.odb()?;
        let mut changes = Vec::new();
        let parents: Vec<git2::Commit<'_>> = c.parents().collect();
        if parents.is_empty() {
            let mut out = Vec::new();
            self.raw_changes(&odb, Some(c.tree_id()), None, "", false, &mut out)?;
            changes.push(out.into_iter().map(|(p, _)| p).collect());
        }
        for p in &parents {
            let mut out = Vec::new();
            self.raw_changes(
                &odb,
                Some(c.tree_id()),
                Some(p.tree_id()),
                "",
                false,
                &mut out,
            )?;
            changes.push(out.into_iter().map(|(p, _)| p).collect());
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
        let Some(id) = self.blob_at(commit, path)? else {
            return Ok(None);
        };
        let blob = self.repo.find_blob(Oid::from_str(&id)?)?;
        Ok(Some((id, blob_text(&blob, path)?)))
    }

    /// The blob id of `path` at `commit`, if present. Trees along the path
    /// are scanned raw, without being parsed into libgit2 trees (a year
    /// folder holds thousands of drafts).
    pub fn blob_at(&self, commit: &str, path: &str) -> Result<Option<String>> {
        let c = self.repo.find_commit(Oid::from_str(commit)?)?;
        let odb = self.repo.odb()?;
        let mut tree = c.tree_id();
        let parts: Vec<&str> = path.split('/').collect();
        for (k, part) in parts.iter().enumerate() {
            let obj = odb.read(tree)?;
            let Some((id, is_tree)) = find_raw(obj.data(), part.as_bytes()) else {
                return Ok(None);
            };
            let last = k + 1 == parts.len();
            match (last, is_tree) {
                (true, false) => return Ok(Some(id.to_string())),
                (false, true) => tree = id,
                _ => return Ok(None),
            }
        }
        Ok(None)
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
        let parent = c.parent(0).ok().map(|p| p.tree_id());
        let odb = self.repo.odb()?;
        let mut out = Vec::new();
        self.raw_changes(&odb, Some(c.tree_id()), parent, "", true, &mut out)?;
        Ok(!out.is_empty())
    }

    /// Files that differ between two trees (recursively), with their blob
    /// in `new` (`None`: removed). With `protected_only`, only review.toml
    /// files and the trust list are looked for, and nothing else is read.
    pub(crate) fn raw_changes(
        &self,
        odb: &git2::Odb<'_>,
        new: Option<Oid>,
        old: Option<Oid>,
        prefix: &str,
        protected_only: bool,
        out: &mut Vec<(String, Option<String>)>,
    ) -> Result<()> {
        let read = |id: Option<Oid>| -> Result<Option<git2::OdbObject<'_>>> {
            match id {
                Some(i) => Ok(Some(odb.read(i)?)),
                None => Ok(None),
            }
        };
        let (n, o) = (read(new)?, read(old)?);
        let mut items = Vec::new();
        diff_raw(
            n.as_ref().map_or(&[][..], |x| x.data()),
            o.as_ref().map_or(&[][..], |x| x.data()),
            &mut |name, a, b| items.push((String::from_utf8_lossy(name).into_owned(), a, b)),
        );
        for (name, a, b) in items {
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            if protected_only && !may_hold_protected(&path) {
                continue;
            }
            let tree_of = |s: Option<(Oid, bool)>| s.filter(|x| x.1).map(|x| x.0);
            let blob_of = |s: Option<(Oid, bool)>| s.filter(|x| !x.1).map(|x| x.0);
            let (at, bt) = (tree_of(a), tree_of(b));
            if at.is_some() || bt.is_some() {
                self.raw_changes(odb, at, bt, &path, protected_only, out)?;
            }
            let (ab, bb) = (blob_of(a), blob_of(b));
            if ab.is_some() || bb.is_some() {
                out.push((path, ab.map(|x| x.to_string())));
            }
        }
        Ok(())
    }

    /// The number of parents of a commit.
    pub fn parent_count(&self, id: &str) -> Result<usize> {
        Ok(self.repo.find_commit(Oid::from_str(id)?)?.parent_count())
    }
}

/// Whether a path is, or may contain, a review.toml or the trust list.
fn may_hold_protected(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(
        parts.as_slice(),
        [".duyet"]
            | [".duyet", "trust.toml"]
            | ["drafts"]
            | ["drafts", _]
            | ["drafts", _, _]
            | ["drafts", _, _, "review.toml"]
    )
}

/// Runs `f` without libgit2 re-hashing every object it reads (as git does;
/// `git fsck` checks the hashes). For whole-history scans.
pub fn without_hash_verification<T>(f: impl FnOnce() -> T) -> T {
    git2::opts::strict_hash_verification(false);
    let r = f();
    git2::opts::strict_hash_verification(true);
    r
}
