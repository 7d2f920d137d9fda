//! What the audit needs to know about commits: parents, message, signature,
//! the files each commit changed against each parent, and files at a commit.

use std::collections::HashMap;
use std::rc::Rc;

use git2::{Oid, Sort};

use super::history::time_of;
use super::rawtree::{TreeFault, diff_raw, diff_raw_checked, find_raw, tree_faults};
use super::signed::Signed;
use super::{DraftRepo, Error, Result, blob_text};
use crate::model::{Count, Time};

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
    /// More than one `gpgsig` header (a bad signature, whatever they hold).
    pub many_signatures: bool,
    /// What is wrong with the trees this commit brings under `drafts/` and
    /// `.duyet/` (and with its root's entries for them), by folder path
    /// ("" for the root).
    pub faults: Vec<(String, TreeFault)>,
    /// Paths changed against each parent (against the empty tree for a root).
    pub changes: Vec<Vec<String>>,
    /// Committer time.
    pub time: Time,
    /// Each review.toml changed against the first parent (or added by a
    /// root), with what is beside it at this commit.
    pub reviews: Vec<ReviewAt>,
    /// The trust list's blob at this commit.
    pub trust: Option<String>,
    /// The trust list's blob at the first parent.
    pub parent_trust: Option<String>,
    /// The route policy's blob at the first parent.
    pub parent_policy: Option<String>,
}

/// A review.toml a commit changed, and the draft it sits beside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAt {
    /// Its path.
    pub path: String,
    /// Its blob at the commit (`None`: removed).
    pub blob: Option<String>,
    /// The blob of the draft.md beside it at the commit.
    pub draft: Option<String>,
}

/// Raw tree objects read for the commit being looked at and the one before
/// it: in a scan of consecutive commits, a commit's parent is usually the
/// commit before, so its trees (a year folder's holds thousands of entries)
/// are read once, not twice. libgit2's own cache is off (see [`crate::repo::tune`]).
struct Trees<'o> {
    odb: &'o git2::Odb<'o>,
    now: HashMap<Oid, Rc<git2::OdbObject<'o>>>,
    before: HashMap<Oid, Rc<git2::OdbObject<'o>>>,
}

impl<'o> Trees<'o> {
    fn new(odb: &'o git2::Odb<'o>) -> Self {
        Trees {
            odb,
            now: HashMap::new(),
            before: HashMap::new(),
        }
    }

    fn read(&mut self, id: Oid) -> Result<Rc<git2::OdbObject<'o>>> {
        if let Some(o) = self.now.get(&id) {
            return Ok(o.clone());
        }
        let o = match self.before.remove(&id) {
            Some(o) => o,
            None => Rc::new(self.odb.read(id)?),
        };
        self.now.insert(id, o.clone());
        Ok(o)
    }

    /// Moves on to the next commit: what was read now is kept one step.
    fn next_commit(&mut self) {
        self.before = std::mem::take(&mut self.now);
    }

    /// The blob id of `path` under the tree `root`.
    fn blob_at(&mut self, root: Oid, path: &str) -> Result<Option<Oid>> {
        let mut tree = root;
        let parts: Vec<&str> = path.split('/').collect();
        for (k, part) in parts.iter().enumerate() {
            let obj = self.read(tree)?;
            let Some((id, is_tree)) = find_raw(obj.data(), part.as_bytes()) else {
                return Ok(None);
            };
            match (k + 1 == parts.len(), is_tree) {
                (true, false) => return Ok(Some(id)),
                (false, true) => tree = id,
                _ => return Ok(None),
            }
        }
        Ok(None)
    }
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

    /// Commits reachable from `tip` and not from `after` (all when `None`),
    /// parents before children.
    pub fn commits_since(&self, tip: &str, after: Option<&str>) -> Result<Vec<String>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(Oid::from_str(tip)?)?;
        if let Some(a) = after {
            walk.hide(Oid::from_str(a)?)?;
        }
        walk.map(|r| r.map(|o| o.to_string()).map_err(Error::from))
            .collect()
    }

    /// Commits reachable from `tip` and from none of `hide`, parents before
    /// children.
    pub fn commits_hiding(&self, tip: &str, hide: &[&str]) -> Result<Vec<String>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
        walk.push(Oid::from_str(tip)?)?;
        for h in hide {
            walk.hide(Oid::from_str(h)?)?;
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

    /// The facts about one commit, its trees checked against its first
    /// parent's.
    pub fn commit_facts(&self, id: &str) -> Result<CommitFacts> {
        self.commit_facts_with(id, false)
    }

    /// The facts about one commit (its trees checked against its first
    /// parent's, or whole when `whole`).
    pub fn commit_facts_with(&self, id: &str, whole: bool) -> Result<CommitFacts> {
        let odb = self.repo.odb()?;
        let c = self.repo.find_commit(Oid::from_str(id)?)?;
        self.facts_of(&c, &mut Trees::new(&odb), whole)
    }

    fn facts_of(
        &self,
        c: &git2::Commit<'_>,
        trees: &mut Trees<'_>,
        whole: bool,
    ) -> Result<CommitFacts> {
        let parents: Vec<Oid> = c.parent_ids().collect();
        let parent_trees = parents
            .iter()
            .map(|p| Ok(self.repo.find_commit(*p)?.tree_id()))
            .collect::<Result<Vec<Oid>>>()?;
        let mut changes = Vec::new();
        let mut first = Vec::new();
        let mut faults = Vec::new();
        for (k, old) in parent_trees
            .iter()
            .map(|t| Some(*t))
            .chain(parent_trees.is_empty().then_some(None))
            .enumerate()
        {
            let mut out = Vec::new();
            let mut f = Vec::new();
            self.raw_changes(trees, Some(c.tree_id()), old, "", false, &mut out, &mut f)?;
            changes.push(out.iter().map(|(p, _)| p.clone()).collect());
            if k == 0 {
                first = out;
                faults = f;
            }
        }
        if whole {
            // Every tree checked, not only those that differ from the parent's.
            faults.clear();
            let mut ignored = Vec::new();
            self.raw_changes(
                trees,
                Some(c.tree_id()),
                None,
                "",
                true,
                &mut ignored,
                &mut faults,
            )?;
        }
        let mut reviews = Vec::new();
        for (path, blob) in first {
            if let Some((folder, file)) = path.rsplit_once('/')
                && crate::model::Step::of_file(file).is_some()
                && path.starts_with("drafts/")
                && path.matches('/').count() == 3
            {
                let draft = trees.blob_at(c.tree_id(), &format!("{folder}/draft.md"))?;
                reviews.push(ReviewAt {
                    path: path.clone(),
                    blob,
                    draft: draft.map(|d| d.to_string()),
                });
            }
        }
        let trust = trees.blob_at(c.tree_id(), super::TRUST_PATH)?;
        let parent_trust = match parent_trees.first() {
            Some(t) => trees.blob_at(*t, super::TRUST_PATH)?,
            None => None,
        };
        let parent_policy = match parent_trees.first() {
            Some(t) => trees.blob_at(*t, super::POLICY_PATH)?,
            None => None,
        };
        let id = c.id().to_string();
        let (signature, many_signatures) = match self.commit_signed(&id)? {
            Signed::No => (None, false),
            Signed::Yes { signature, payload } => (Some((signature, payload)), false),
            Signed::Many => (None, true),
        };
        Ok(CommitFacts {
            parents: parents.iter().map(|p| p.to_string()).collect(),
            message: String::from_utf8_lossy(c.message_bytes()).into_owned(),
            signature,
            many_signatures,
            faults,
            changes,
            time: time_of(&c.committer().when()),
            reviews,
            trust: trust.map(|t| t.to_string()),
            parent_trust: parent_trust.map(|t| t.to_string()),
            parent_policy: parent_policy.map(|t| t.to_string()),
            id,
        })
    }

    /// Scans `ids` (in that order) and hands `each` the facts of every
    /// commit that changes a review.toml or the trust list, merges, or
    /// brings a faulty tree under `drafts/` or `.duyet/`. A commit's trees
    /// are checked against its first parent's when that parent was checked
    /// (it is in `ids`, or `checked` says so), else whole.
    /// Trees are read once per commit pair (see [`Trees`]); memory stays
    /// flat however long `ids` is. `progress` hears every thousand commits.
    pub fn scan_protected(
        &self,
        ids: &[String],
        checked: &dyn Fn(&str) -> bool,
        progress: &mut dyn FnMut(Count),
        each: &mut dyn FnMut(CommitFacts) -> Result<()>,
    ) -> Result<()> {
        let odb = self.repo.odb()?;
        let mut trees = Trees::new(&odb);
        let mut seen = std::collections::HashSet::with_capacity(ids.len());
        // The previous commit's id and tree: usually the next one's parent.
        let mut last: Option<(Oid, Oid)> = None;
        for (n, id) in ids.iter().enumerate() {
            if (n + 1).is_multiple_of(1000) {
                progress(Count {
                    done: n + 1,
                    total: Some(ids.len()),
                });
            }
            trees.next_commit();
            let c = self.repo.find_commit(Oid::from_str(id)?)?;
            let here = (c.id(), c.tree_id());
            let whole = match c.parent_id(0) {
                Ok(p) => !seen.contains(&p) && !checked(&p.to_string()),
                Err(_) => false,
            };
            seen.insert(c.id());
            if c.parent_count() > 1 || whole {
                each(self.facts_of(&c, &mut trees, whole)?)?;
                last = Some(here);
                continue;
            }
            let parent_tree = match (c.parent_id(0).ok(), last) {
                (Some(p), Some((lid, ltree))) if p == lid => Some(ltree),
                (Some(p), _) => Some(self.repo.find_commit(p)?.tree_id()),
                (None, _) => None,
            };
            let mut out = Vec::new();
            let mut faults = Vec::new();
            self.raw_changes(
                &mut trees,
                Some(c.tree_id()),
                parent_tree,
                "",
                true,
                &mut out,
                &mut faults,
            )?;
            if !out.is_empty() || !faults.is_empty() {
                each(self.facts_of(&c, &mut trees, false)?)?;
            }
            last = Some(here);
        }
        Ok(())
    }

    /// The merge bases of `commits` (all of them, for a criss-cross
    /// history); none for unrelated histories.
    pub fn merge_bases(&self, commits: &[String]) -> Result<Vec<String>> {
        let ids = commits
            .iter()
            .map(|c| Oid::from_str(c))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        let found = match ids.as_slice() {
            [a, b] => self.repo.merge_bases(*a, *b),
            _ => self.repo.merge_bases_many(&ids),
        };
        match found {
            Ok(bases) => Ok(bases.iter().map(|b| b.to_string()).collect()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(Vec::new()),
            Err(e) => Err(e.into()),
        }
    }

    /// The commit that wrote `blob` at `path` on the way from `bases` to
    /// `tip`: the newest one holding it whose parents do not.
    pub fn writer_of(
        &self,
        path: &str,
        blob: &str,
        tip: &str,
        bases: &[String],
    ) -> Result<Option<String>> {
        let mut walk = self.repo.revwalk()?;
        walk.set_sorting(Sort::TOPOLOGICAL)?;
        walk.push(Oid::from_str(tip)?)?;
        for b in bases {
            walk.hide(Oid::from_str(b)?)?;
        }
        for id in walk {
            let id = id?.to_string();
            if self.blob_at(&id, path)?.as_deref() != Some(blob) {
                continue;
            }
            let c = self.repo.find_commit(Oid::from_str(&id)?)?;
            let mut inherited = false;
            for p in c.parent_ids() {
                inherited |= self.blob_at(&p.to_string(), path)?.as_deref() == Some(blob);
            }
            if !inherited {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The first parent of commit `id`, if it has one.
    pub fn first_parent(&self, id: &str) -> Result<Option<String>> {
        let c = self.repo.find_commit(Oid::from_str(id)?)?;
        Ok(c.parent_id(0).ok().map(|p| p.to_string()))
    }

    /// Whether this is a shallow clone (its history cut short).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
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

    /// The first commit of `ids` (commits in history order, parents first)
    /// that adds `path`: it has it and none of its parents does.
    pub fn first_adding(&self, ids: &[String], path: &str) -> Result<Option<String>> {
        for id in ids {
            let here = self.blob_at(id, path)?;
            if here.is_none() {
                continue;
            }
            let c = self.repo.find_commit(Oid::from_str(id)?)?;
            let mut before = false;
            for p in c.parents() {
                before |= self.blob_at(&p.id().to_string(), path)?.is_some();
            }
            if !before {
                return Ok(Some(id.clone()));
            }
        }
        Ok(None)
    }

    /// `ids` without `base` and its ancestors, in the same order: what
    /// [`DraftRepo::commits_since`] of `base` gives, from a walk already made.
    pub fn without_ancestors_of(&self, ids: Vec<String>, base: &str) -> Result<Vec<String>> {
        let mut walk = self.repo.revwalk()?;
        walk.push(Oid::from_str(base)?)?;
        let mut before = std::collections::HashSet::new();
        for id in walk {
            before.insert(id?.to_string());
        }
        Ok(ids.into_iter().filter(|c| !before.contains(c)).collect())
    }

    /// A value from the repository's local config only.
    pub fn local_config(&self, key: &str) -> Option<String> {
        let cfg = self.repo.config().ok()?;
        let local = cfg.open_level(git2::ConfigLevel::Local).ok()?;
        local.get_string(key).ok()
    }
}

impl DraftRepo {
    /// Files that differ between two trees (recursively), with their blob
    /// in `new` (`None`: removed). With `protected_only`, only review.toml
    /// files and the trust list are looked for. Every tree of `new` that
    /// differs from `old` under `drafts/` and `.duyet/` (and the root) is
    /// checked, its faults added to `faults`.
    #[allow(clippy::too_many_arguments)]
    fn raw_changes(
        &self,
        trees: &mut Trees<'_>,
        new: Option<Oid>,
        old: Option<Oid>,
        prefix: &str,
        protected_only: bool,
        out: &mut Vec<(String, Option<String>)>,
        faults: &mut Vec<(String, TreeFault)>,
    ) -> Result<()> {
        let n = new.map(|i| trees.read(i)).transpose()?;
        let o = old.map(|i| trees.read(i)).transpose()?;
        let guarded = in_guarded_area(prefix);
        let mut items = Vec::new();
        let new_data = n.as_ref().map_or(&[][..], |x| x.data());
        let old_data = o.as_ref().map_or(&[][..], |x| x.data());
        let mut push =
            |name: &[u8], a, b| items.push((String::from_utf8_lossy(name).into_owned(), a, b));
        let mut found = Vec::new();
        match (&n, &o, guarded) {
            // Checked against the old tree: only what differs is looked at.
            (Some(_), Some(_), true) => diff_raw_checked(new_data, old_data, &mut push, &mut found),
            (Some(_), None, true) => {
                found = tree_faults(new_data);
                diff_raw(new_data, old_data, &mut push);
            }
            _ => diff_raw(new_data, old_data, &mut push),
        }
        for f in found {
            if !prefix.is_empty() || fault_concerns_root(&f) {
                faults.push((prefix.to_string(), f));
            }
        }
        for (name, a, b) in items {
            let path = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let wanted = !protected_only || may_hold_protected(&path);
            let tree_of = |s: Option<(Oid, bool)>| s.filter(|x| x.1).map(|x| x.0);
            let blob_of = |s: Option<(Oid, bool)>| s.filter(|x| !x.1).map(|x| x.0);
            let (at, bt) = (tree_of(a), tree_of(b));
            if at.is_some() && must_be_file(&path) {
                faults.push((prefix.to_string(), TreeFault::Kind { name: path.clone() }));
            }
            if (at.is_some() || bt.is_some()) && (wanted || in_guarded_area(&path)) {
                if wanted {
                    self.raw_changes(trees, at, bt, &path, protected_only, out, faults)?;
                } else {
                    // Only to check the trees: nothing in here is protected.
                    let mut ignored = Vec::new();
                    self.raw_changes(trees, at, bt, &path, true, &mut ignored, faults)?;
                }
            }
            let (ab, bb) = (blob_of(a), blob_of(b));
            if wanted && (ab.is_some() || bb.is_some()) {
                out.push((path, ab.map(|x| x.to_string())));
            }
        }
        Ok(())
    }
}

/// Whether a path is, or may contain, a decision file (review.toml and
/// the steps' review-content.toml, review-form.toml), the trust list or
/// the route policy.
fn may_hold_protected(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    matches!(
        parts.as_slice(),
        [".duyet"]
            | [".duyet", "trust.toml" | "policy.toml"]
            | ["drafts"]
            | ["drafts", _]
            | ["drafts", _, _]
            | [
                "drafts",
                _,
                _,
                "review.toml" | "review-content.toml" | "review-form.toml"
            ]
    )
}

/// Whether the trees at `path` are checked: the root, and everything
/// under `drafts/` and `.duyet/`.
fn in_guarded_area(path: &str) -> bool {
    path.is_empty()
        || path == "drafts"
        || path == ".duyet"
        || path.starts_with("drafts/")
        || path.starts_with(".duyet/")
}

/// A fault of the root tree that matters: anything about the order of
/// entries, and any entry whose name begins like `drafts` or `.duyet`.
pub(crate) fn fault_concerns_root(f: &TreeFault) -> bool {
    match f {
        TreeFault::Malformed | TreeFault::Order { .. } | TreeFault::Duplicate { .. } => true,
        TreeFault::Mode { name, .. } | TreeFault::Name { name } | TreeFault::Kind { name } => {
            name.starts_with("drafts") || name.starts_with(".duyet")
        }
    }
}

/// The files duyet reads, which must not be folders.
fn must_be_file(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    path == super::TRUST_PATH
        || path == super::POLICY_PATH
        || matches!(
            parts.as_slice(),
            [
                "drafts",
                _,
                _,
                "draft.md"
                    | "meta.toml"
                    | "review.toml"
                    | "review-content.toml"
                    | "review-form.toml"
            ]
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
