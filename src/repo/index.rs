//! The history index (design.md section 6): every draft's revisions and
//! decisions along first-parent history, built by one walk, kept under
//! `.git/duyet/index/` with the head it covers, and brought up to date from
//! the new commits only. It is a cache: when it is missing, corrupt, of an
//! old format, or history was rewritten, it is rebuilt without a word.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use git2::{Commit, ObjectType, Oid, Tree};
use serde::{Deserialize, Serialize};

use super::history::time_of;
use super::rawtree::diff_raw;
use super::{DRAFTS_DIR, DraftRepo, DraftStats, Error, Result};
use crate::model::{Count, Time};

const FORMAT: u32 = 3;
const BUCKETS: u64 = 256;

/// What one commit did to one draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Touch {
    /// The commit.
    pub commit: String,
    /// New draft.md blob (a revision), if it changed.
    pub draft: Option<String>,
    /// New review.toml blob (a decision), if it changed.
    pub review: Option<String>,
    /// Author name.
    pub author: String,
    /// Author e-mail.
    pub email: String,
    /// Author time.
    pub time: Time,
    /// Committer time.
    pub committed: Time,
    /// First line of the message.
    pub summary: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct Head {
    format: u32,
    head: String,
    commits: usize,
}

/// Who watches a long walk, if anyone: told the commits walked (and of how
/// many) every thousand. Without a watcher the total is not counted.
pub type Watch<'a> = Option<&'a mut dyn FnMut(Count)>;

/// The same watcher, lent for one more call.
fn again<'b>(w: &'b mut Watch<'_>) -> Watch<'b> {
    match w {
        Some(f) => Some(&mut **f),
        None => None,
    }
}

/// Touches of each draft, keyed by id, oldest first.
pub type Touches = HashMap<String, Vec<Touch>>;

/// Revision count and last change of a draft from its touches.
fn stats_of(touches: &[Touch]) -> Option<DraftStats> {
    let revs: Vec<&Touch> = touches.iter().filter(|t| t.draft.is_some()).collect();
    revs.last().map(|last| DraftStats {
        revisions: revs.len(),
        last_change: last.time,
    })
}

/// The first parent named in a raw commit object.
fn first_parent(data: &[u8]) -> Option<Oid> {
    // "tree <hex>\n" then "parent <hex>\n" lines, before the author.
    let rest = data.get(46..)?;
    let hex = rest.strip_prefix(b"parent ")?.get(..40)?;
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}

/// Strings kept once, named by their number.
#[derive(Default)]
struct Interner {
    list: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Interner {
    fn intern(&mut self, s: &str) -> u32 {
        if let Some(&n) = self.index.get(s) {
            return n;
        }
        let n = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        self.list.push(s.into());
        self.index.insert(s.into(), n);
        n
    }

    fn get(&self, n: u32) -> &str {
        self.list.get(n as usize).map_or("", |s| s)
    }
}

/// A commit that touched a draft, as the walk keeps it.
struct Seen {
    commit: Oid,
    author: u32,
    email: u32,
    time: Time,
    committed: Time,
    summary: Box<str>,
}

/// One commit's change to one draft, as the walk keeps it.
struct Change {
    seen: u32,
    blob: Option<Oid>,
    review: Option<Oid>,
}

/// What a walk found, kept compact (ids as binary, names interned, one
/// record per commit), newest first: a walk over 100,000 commits holds a
/// few megabytes. [`Touch`]es are made from it a draft at a time.
#[derive(Default)]
struct Walked {
    ids: Interner,
    people: Interner,
    seen: Vec<Seen>,
    changes: Vec<Change>,
    /// Per draft number, its changes' positions in `changes` (newest first).
    by_draft: Vec<Vec<u32>>,
    /// Commits walked.
    commits: usize,
}

impl Walked {
    fn add_commit(&mut self, commit: &Commit<'_>) -> u32 {
        let author = commit.author();
        let seen = Seen {
            commit: commit.id(),
            author: self
                .people
                .intern(&String::from_utf8_lossy(author.name_bytes())),
            email: self
                .people
                .intern(&String::from_utf8_lossy(author.email_bytes())),
            time: time_of(&author.when()),
            committed: time_of(&commit.committer().when()),
            summary: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default()).into(),
        };
        self.seen.push(seen);
        u32::try_from(self.seen.len() - 1).unwrap_or(u32::MAX)
    }

    fn add_change(&mut self, id: &str, seen: u32, blob: Option<Oid>, review: Option<Oid>) {
        let draft = self.ids.intern(id);
        let at = u32::try_from(self.changes.len()).unwrap_or(u32::MAX);
        self.changes.push(Change { seen, blob, review });
        if self.by_draft.len() <= draft as usize {
            self.by_draft.resize_with(draft as usize + 1, Vec::new);
        }
        self.by_draft[draft as usize].push(at);
    }

    /// The numbers of the drafts touched.
    fn drafts(&self) -> impl Iterator<Item = u32> + '_ {
        (0..self.by_draft.len()).filter_map(|d| u32::try_from(d).ok())
    }

    fn id(&self, draft: u32) -> &str {
        self.ids.get(draft)
    }

    /// A draft's touches, oldest first.
    fn touches(&self, draft: u32) -> Vec<Touch> {
        let Some(list) = self.by_draft.get(draft as usize) else {
            return Vec::new();
        };
        list.iter()
            .rev()
            .filter_map(|&c| {
                let c = self.changes.get(c as usize)?;
                let s = self.seen.get(c.seen as usize)?;
                Some(Touch {
                    commit: s.commit.to_string(),
                    draft: c.blob.map(|o| o.to_string()),
                    review: c.review.map(|o| o.to_string()),
                    author: self.people.get(s.author).to_string(),
                    email: self.people.get(s.email).to_string(),
                    time: s.time,
                    committed: s.committed,
                    summary: s.summary.to_string(),
                })
            })
            .collect()
    }
}

/// Called with (name, id in the new tree, id in the old tree) for each
/// entry that differs.
type EntryFn<'a> = dyn FnMut(&[u8], Option<Oid>, Option<Oid>) + 'a;

/// Git's order of tree entries: by name, a tree's name as if it ended in '/'.
fn entry_cmp(a: &git2::TreeEntry<'_>, b: &git2::TreeEntry<'_>) -> std::cmp::Ordering {
    let key = |e: &git2::TreeEntry<'_>| {
        let mut k = e.name_bytes().to_vec();
        if e.kind() == Some(ObjectType::Tree) {
            k.push(b'/');
        }
        k
    };
    let (na, nb) = (a.name_bytes(), b.name_bytes());
    // The common case needs no allocation: names differ before either ends.
    let n = na.len().min(nb.len());
    match na[..n].cmp(&nb[..n]) {
        std::cmp::Ordering::Equal => key(a).cmp(&key(b)),
        other => other,
    }
}

/// Calls `f(name, new, old)` for each entry that differs between two sorted
/// trees, walking both in step (no hashing, no allocation per entry).
fn diff_entries(new: Option<&Tree<'_>>, old: Option<&Tree<'_>>, f: &mut EntryFn<'_>) {
    let (nl, ol) = (new.map_or(0, |t| t.len()), old.map_or(0, |t| t.len()));
    let (mut i, mut j) = (0, 0);
    while i < nl || j < ol {
        let a = if i < nl {
            new.and_then(|t| t.get(i))
        } else {
            None
        };
        let b = if j < ol {
            old.and_then(|t| t.get(j))
        } else {
            None
        };
        match (a, b) {
            (Some(a), Some(b)) => match if a.name_bytes() == b.name_bytes() {
                std::cmp::Ordering::Equal
            } else {
                entry_cmp(&a, &b)
            } {
                std::cmp::Ordering::Equal => {
                    if a.id() != b.id() {
                        f(a.name_bytes(), Some(a.id()), Some(b.id()));
                    }
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    f(a.name_bytes(), Some(a.id()), None);
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    f(b.name_bytes(), None, Some(b.id()));
                    j += 1;
                }
            },
            (Some(a), None) => {
                f(a.name_bytes(), Some(a.id()), None);
                i += 1;
            }
            (None, Some(b)) => {
                f(b.name_bytes(), None, Some(b.id()));
                j += 1;
            }
            (None, None) => break,
        }
    }
}

impl DraftRepo {
    fn index_dir(&self) -> PathBuf {
        self.git_dir().join("duyet").join("index")
    }

    /// The bucket file that keeps draft `id`'s touches (256 buckets: few
    /// files to write on a rebuild, little to read for one draft).
    fn bucket_file(&self, id: &str) -> PathBuf {
        let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
        });
        self.index_dir()
            .join("drafts")
            .join(format!("{:03}.json", h % BUCKETS))
    }

    /// The `drafts/` tree of a commit.
    fn drafts_tree_of(&self, commit: &Commit<'_>) -> Result<Option<Tree<'_>>> {
        let t = commit.tree()?;
        Ok(t.get_name(DRAFTS_DIR)
            .and_then(|e| self.repo.find_tree(e.id()).ok()))
    }

    /// What `commit` did to each draft compared with its first parent whose
    /// `drafts/` tree is `before`, descending only into what changed; added
    /// to `walked`. `years` keeps the year trees loaded for the previous
    /// commit: most of them are the next commit's too (libgit2 does not cache
    /// large trees, and duyet turns its object cache off).
    fn touches_of<'o>(
        &self,
        odb: &'o git2::Odb<'_>,
        commit: &Commit<'_>,
        here: Option<&Tree<'_>>,
        before: Option<&Tree<'_>>,
        years_cache: &mut HashMap<Oid, git2::OdbObject<'o>>,
        walked: &mut Walked,
    ) -> Result<()> {
        let repo = &self.repo;
        if here.map(|t| t.id()) == before.map(|t| t.id()) {
            return Ok(());
        }
        let mut years = Vec::new();
        diff_entries(here, before, &mut |_, n, o| years.push((n, o)));
        let mut folders = Vec::new();
        let mut next_cache = HashMap::new();
        for (n, o) in years {
            let mut load = |id: Option<Oid>| -> Option<git2::OdbObject<'o>> {
                let id = id?;
                years_cache.remove(&id).or_else(|| odb.read(id).ok())
            };
            let (yn, yo) = (load(n), load(o));
            diff_raw(
                yn.as_ref().map_or(&[][..], |o| o.data()),
                yo.as_ref().map_or(&[][..], |o| o.data()),
                &mut |name, n, o| {
                    if let Some((n, _)) = n {
                        folders.push((
                            String::from_utf8_lossy(name).into_owned(),
                            n,
                            o.map(|o| o.0),
                        ));
                    }
                },
            );
            if let (Some(id), Some(obj)) = (o, yo) {
                next_cache.insert(id, obj);
            }
        }
        *years_cache = next_cache;
        let mut seen = None;
        for (name, folder, prev) in folders {
            let files = |f: Option<Oid>| -> (Option<Oid>, Option<Oid>) {
                match f.and_then(|f| repo.find_tree(f).ok()) {
                    Some(t) => (
                        t.get_name("draft.md").map(|e| e.id()),
                        t.get_name("review.toml").map(|e| e.id()),
                    ),
                    None => (None, None),
                }
            };
            let (d1, r1) = files(Some(folder));
            let (d0, r0) = files(prev);
            let draft = d1.filter(|_| d1 != d0);
            let review = r1.filter(|_| r1 != r0);
            if draft.is_none() && review.is_none() {
                continue;
            }
            let seen = *seen.get_or_insert_with(|| walked.add_commit(commit));
            walked.add_change(&name, seen, draft, review);
        }
        Ok(())
    }

    /// Walks first-parent history from HEAD down to `stop` (exclusive; the
    /// root when `None`). Returns what it found, or `None` when `stop` is
    /// not on the first-parent chain (history was rewritten).
    fn walk_touches(&self, stop: Option<Oid>, progress: Watch<'_>) -> Result<Option<Walked>> {
        // git itself does not re-hash every object it reads; libgit2 does by
        // default, which triples the cost of a walk. `git fsck` checks hashes.
        git2::opts::strict_hash_verification(false);
        let result = self.walk_touches_unverified(stop, progress);
        git2::opts::strict_hash_verification(true);
        result
    }

    fn walk_touches_unverified(
        &self,
        stop: Option<Oid>,
        mut progress: Watch<'_>,
    ) -> Result<Option<Walked>> {
        // Counting first costs about a tenth of the walk: only for a watcher.
        let total = match progress {
            Some(_) => self.first_parent_count(stop)?,
            None => None,
        };
        let mut commit = self.head_commit()?;
        let mut here = self.drafts_tree_of(&commit)?;
        let odb = self.repo.odb()?;
        let mut years_cache = HashMap::new();
        let mut walked = Walked::default();
        loop {
            if Some(commit.id()) == stop {
                break;
            }
            let parent = commit.parent(0).ok();
            let before = match &parent {
                Some(p) => self.drafts_tree_of(p)?,
                None => None,
            };
            self.touches_of(
                &odb,
                &commit,
                here.as_ref(),
                before.as_ref(),
                &mut years_cache,
                &mut walked,
            )?;
            walked.commits += 1;
            if walked.commits.is_multiple_of(1000)
                && let Some(tell) = again(&mut progress)
            {
                tell(Count {
                    done: walked.commits,
                    total,
                });
            }
            match parent {
                Some(p) => {
                    commit = p;
                    here = before;
                }
                None if stop.is_none() => break,
                None => return Ok(None),
            }
        }
        Ok(Some(walked))
    }

    /// The number of commits on the first-parent chain from HEAD down to
    /// `stop` (exclusive), for a progress bar; `None` when `stop` is not on
    /// the chain. Commits are read raw for their first "parent" line only,
    /// which costs a small part of the walk that reads their trees too.
    fn first_parent_count(&self, stop: Option<Oid>) -> Result<Option<usize>> {
        let odb = self.repo.odb()?;
        let mut id = Some(self.head_commit()?.id());
        let mut n = 0;
        while let Some(c) = id {
            if Some(c) == stop {
                return Ok(Some(n));
            }
            n += 1;
            let obj = odb.read(c)?;
            id = first_parent(obj.data());
        }
        Ok(stop.is_none().then_some(n))
    }

    fn read_head(&self) -> Option<Head> {
        let text = std::fs::read_to_string(self.index_dir().join("head.json")).ok()?;
        serde_json::from_str::<Head>(&text)
            .ok()
            .filter(|h| h.format == FORMAT)
    }

    /// A bucket's touches by draft id; `None` when the file is unreadable.
    fn read_bucket(&self, file: &Path) -> Option<Touches> {
        match std::fs::read(file) {
            Ok(bytes) => serde_json::from_slice(&bytes).ok(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(HashMap::new()),
            Err(_) => None,
        }
    }

    fn read_touches(&self, id: &str) -> Option<Vec<Touch>> {
        let mut bucket = self.read_bucket(&self.bucket_file(id))?;
        Some(bucket.remove(id).unwrap_or_default())
    }

    /// Brings the index up to HEAD (building it if needed) and returns the
    /// touches of every draft the update changed. `progress` is told the
    /// commits walked (and of how many), every thousand.
    pub fn update_index(&self, mut progress: Watch<'_>) -> Result<usize> {
        let head = self.head_commit()?.id();
        let state = self.read_head();
        if let Some(h) = &state
            && h.head == head.to_string()
            && self.index_dir().join("stats.json").exists()
        {
            return Ok(0);
        }
        let old_stats = self.read_stats_file();
        // Without readable stats the index is incomplete: rebuild it.
        let state = state.filter(|_| old_stats.is_some());
        let stop = state.as_ref().and_then(|h| Oid::from_str(&h.head).ok());
        let (found, rebuilt) = match stop {
            Some(s) if self.repo.find_commit(s).is_ok() => {
                match self.walk_touches(Some(s), again(&mut progress))? {
                    Some(w) => (w, false),
                    None => (
                        self.walk_touches(None, again(&mut progress))?
                            .unwrap_or_default(),
                        true,
                    ),
                }
            }
            _ => (
                self.walk_touches(None, again(&mut progress))?
                    .unwrap_or_default(),
                true,
            ),
        };
        let walked = found.commits;
        let io = |e: std::io::Error, path: PathBuf| Error::Io { path, source: e };
        if rebuilt {
            let _ = std::fs::remove_dir_all(self.index_dir());
        }
        let mut stats = if rebuilt {
            HashMap::new()
        } else {
            old_stats.unwrap_or_default()
        };
        // Touches are made into strings one bucket at a time.
        let mut buckets: HashMap<PathBuf, Vec<u32>> = HashMap::new();
        for draft in found.drafts() {
            buckets
                .entry(self.bucket_file(found.id(draft)))
                .or_default()
                .push(draft);
        }
        for (file, drafts) in buckets {
            let new: Touches = drafts
                .into_iter()
                .map(|d| (found.id(d).to_string(), found.touches(d)))
                .collect();
            let mut bucket = if rebuilt {
                HashMap::new()
            } else {
                match self.read_bucket(&file) {
                    Some(b) => b,
                    // A corrupt bucket: start again from nothing.
                    None => {
                        let _ = std::fs::remove_dir_all(self.index_dir());
                        return self.update_index(again(&mut progress));
                    }
                }
            };
            for (id, touches) in new {
                let all = bucket.entry(id.clone()).or_default();
                all.extend(touches);
                if let Some(s) = stats_of(all) {
                    stats.insert(id, s);
                }
            }
            let bytes = serde_json::to_vec(&bucket).map_err(|e| Error::Sign(e.to_string()))?;
            super::write_atomic(&file, &mut |w| w.write_all(&bytes))
                .map_err(|e| io(e, file.clone()))?;
        }
        let stats_file = self.index_dir().join("stats.json");
        let bytes = serde_json::to_vec(&stats).map_err(|e| Error::Sign(e.to_string()))?;
        super::write_atomic(&stats_file, &mut |w| w.write_all(&bytes))
            .map_err(|e| io(e, stats_file.clone()))?;
        let total = state.filter(|_| !rebuilt).map(|h| h.commits).unwrap_or(0) + walked;
        let head_file = self.index_dir().join("head.json");
        let bytes = serde_json::to_vec(&Head {
            format: FORMAT,
            head: head.to_string(),
            commits: total,
        })
        .map_err(|e| Error::Sign(e.to_string()))?;
        super::write_atomic(&head_file, &mut |w| w.write_all(&bytes))
            .map_err(|e| io(e, head_file.clone()))?;
        Ok(walked)
    }

    fn read_stats_file(&self) -> Option<HashMap<String, DraftStats>> {
        let bytes = std::fs::read(self.index_dir().join("stats.json")).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The touches of draft `id` from an up-to-date index. When the index
    /// cannot be written (a read-only repository), it is computed in memory.
    pub fn indexed_touches(&self, id: &str) -> Result<Vec<Touch>> {
        match self.update_index(None) {
            Ok(_) => match self.read_touches(id) {
                Some(t) => Ok(t),
                None => {
                    let _ = std::fs::remove_dir_all(self.index_dir());
                    self.update_index(None)?;
                    Ok(self.read_touches(id).unwrap_or_default())
                }
            },
            Err(Error::Io { .. }) => {
                let found = self.walk_touches(None, None)?.unwrap_or_default();
                Ok(found
                    .drafts()
                    .find(|d| found.id(*d) == id)
                    .map(|d| found.touches(d))
                    .unwrap_or_default())
            }
            Err(e) => Err(e),
        }
    }

    /// Revision counts and last-change times of every draft, from the index.
    pub fn draft_stats(&self) -> Result<HashMap<String, DraftStats>> {
        self.draft_stats_with_progress(None)
    }

    /// [`DraftRepo::draft_stats`], reporting progress while the index is built.
    pub fn draft_stats_with_progress(
        &self,
        mut progress: Watch<'_>,
    ) -> Result<HashMap<String, DraftStats>> {
        match self.update_index(again(&mut progress)) {
            Ok(_) => match self.read_stats_file() {
                Some(s) => Ok(s),
                None => {
                    let _ = std::fs::remove_dir_all(self.index_dir());
                    self.update_index(again(&mut progress))?;
                    Ok(self.read_stats_file().unwrap_or_default())
                }
            },
            Err(Error::Io { .. }) => {
                let found = self.walk_touches(None, progress)?.unwrap_or_default();
                Ok(found
                    .drafts()
                    .filter_map(|d| {
                        let ts = found.touches(d);
                        stats_of(&ts).map(|s| (found.id(d).to_string(), s))
                    })
                    .collect())
            }
            Err(e) => Err(e),
        }
    }
}
