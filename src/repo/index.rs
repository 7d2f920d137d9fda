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
use super::{DRAFTS_DIR, DraftRepo, DraftStats, Error, Result};
use crate::model::Time;

const FORMAT: u32 = 1;

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

/// Touches of each draft, keyed by id, oldest first.
pub type Touches = HashMap<String, Vec<Touch>>;

fn subtrees(tree: Option<&Tree<'_>>) -> HashMap<Vec<u8>, Oid> {
    tree.map(|t| {
        t.iter()
            .filter(|e| e.kind() == Some(ObjectType::Tree))
            .map(|e| (e.name_bytes().to_vec(), e.id()))
            .collect()
    })
    .unwrap_or_default()
}

impl DraftRepo {
    fn index_dir(&self) -> PathBuf {
        self.git_dir().join("duyet").join("index")
    }

    /// Where the index of draft `id` is kept.
    fn index_file(&self, id: &str) -> PathBuf {
        // ids are slugs; anything else is hex-encoded to stay a plain file name.
        let safe = if id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
            && !id.starts_with('.')
        {
            id.to_string()
        } else {
            id.bytes().map(|b| format!("{b:02x}")).collect()
        };
        self.index_dir().join("drafts").join(format!("{safe}.json"))
    }

    /// What `commit` did to each draft compared with its first parent,
    /// descending only into the subtrees that changed.
    fn touches_of(&self, commit: &Commit<'_>) -> Result<Vec<(String, Touch)>> {
        let repo = &self.repo;
        let drafts_of = |c: &Commit<'_>| -> Result<Option<Tree<'_>>> {
            let t = c.tree()?;
            Ok(t.get_name(DRAFTS_DIR)
                .and_then(|e| repo.find_tree(e.id()).ok()))
        };
        let here = drafts_of(commit)?;
        let before = match commit.parent(0) {
            Ok(p) => drafts_of(&p)?,
            Err(_) => None,
        };
        let mut out = Vec::new();
        if here.as_ref().map(|t| t.id()) == before.as_ref().map(|t| t.id()) {
            return Ok(out);
        }
        let years_before = subtrees(before.as_ref());
        for (year, id) in subtrees(here.as_ref()) {
            let old = years_before.get(&year).copied();
            if old == Some(id) {
                continue;
            }
            let y_here = repo.find_tree(id).ok();
            let y_before = old.and_then(|o| repo.find_tree(o).ok());
            let d_before = subtrees(y_before.as_ref());
            for (name, folder) in subtrees(y_here.as_ref()) {
                let prev = d_before.get(&name).copied();
                if prev == Some(folder) {
                    continue;
                }
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
                let draft = (d1.is_some() && d1 != d0)
                    .then(|| d1.map(|o| o.to_string()))
                    .flatten();
                let review = (r1.is_some() && r1 != r0)
                    .then(|| r1.map(|o| o.to_string()))
                    .flatten();
                if draft.is_none() && review.is_none() {
                    continue;
                }
                let author = commit.author();
                out.push((
                    String::from_utf8_lossy(&name).into_owned(),
                    Touch {
                        commit: commit.id().to_string(),
                        draft,
                        review,
                        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
                        email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
                        time: time_of(&author.when()),
                        committed: time_of(&commit.committer().when()),
                        summary: String::from_utf8_lossy(
                            commit.summary_bytes().unwrap_or_default(),
                        )
                        .into_owned(),
                    },
                ));
            }
        }
        Ok(out)
    }

    /// Walks first-parent history from HEAD down to `stop` (exclusive; the
    /// root when `None`). Returns the touches, oldest first, or `None` when
    /// `stop` is not on the first-parent chain (history was rewritten).
    fn walk_touches(
        &self,
        stop: Option<Oid>,
        progress: &mut dyn FnMut(usize),
    ) -> Result<Option<(Touches, usize)>> {
        let mut commit = self.head_commit()?;
        let mut per_commit: Vec<Vec<(String, Touch)>> = Vec::new();
        let mut n: usize = 0;
        loop {
            if Some(commit.id()) == stop {
                break;
            }
            per_commit.push(self.touches_of(&commit)?);
            n += 1;
            if n.is_multiple_of(1000) {
                progress(n);
            }
            match commit.parent(0) {
                Ok(p) => commit = p,
                Err(_) if stop.is_none() => break,
                Err(_) => return Ok(None),
            }
        }
        let mut touches: Touches = HashMap::new();
        for list in per_commit.into_iter().rev() {
            for (id, t) in list {
                touches.entry(id).or_default().push(t);
            }
        }
        Ok(Some((touches, n)))
    }

    fn read_head(&self) -> Option<Head> {
        let text = std::fs::read_to_string(self.index_dir().join("head.json")).ok()?;
        serde_json::from_str::<Head>(&text)
            .ok()
            .filter(|h| h.format == FORMAT)
    }

    fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    }

    fn read_touches(&self, id: &str) -> Option<Vec<Touch>> {
        match std::fs::read(self.index_file(id)) {
            Ok(bytes) => serde_json::from_slice(&bytes).ok(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Vec::new()),
            Err(_) => None,
        }
    }

    /// Brings the index up to HEAD (building it if needed) and returns the
    /// touches of every draft the update changed. `progress` is told the
    /// number of commits walked, every thousand.
    pub fn update_index(&self, progress: &mut dyn FnMut(usize)) -> Result<usize> {
        let head = self.head_commit()?.id();
        let old_stats = self.read_stats_file();
        // Without readable stats the index is incomplete: rebuild it.
        let state = self.read_head().filter(|_| old_stats.is_some());
        if let Some(h) = &state
            && h.head == head.to_string()
        {
            return Ok(0);
        }
        let stop = state.as_ref().and_then(|h| Oid::from_str(&h.head).ok());
        let (touches, walked, rebuilt) = match stop {
            Some(s) if self.repo.find_commit(s).is_ok() => {
                match self.walk_touches(Some(s), progress)? {
                    Some((t, n)) => (t, n, false),
                    None => {
                        let (t, n) = self.walk_touches(None, progress)?.unwrap_or_default();
                        (t, n, true)
                    }
                }
            }
            _ => {
                let (t, n) = self.walk_touches(None, progress)?.unwrap_or_default();
                (t, n, true)
            }
        };
        let io = |e: std::io::Error, path: PathBuf| Error::Io { path, source: e };
        if rebuilt {
            let _ = std::fs::remove_dir_all(self.index_dir());
        }
        let mut stats = if rebuilt {
            HashMap::new()
        } else {
            old_stats.unwrap_or_default()
        };
        for (id, new) in touches {
            let mut all = if rebuilt {
                Vec::new()
            } else {
                match self.read_touches(&id) {
                    Some(t) => t,
                    // A corrupt draft file: start again from nothing.
                    None => {
                        let _ = std::fs::remove_dir_all(self.index_dir());
                        return self.update_index(progress);
                    }
                }
            };
            all.extend(new);
            let revs: Vec<&Touch> = all.iter().filter(|t| t.draft.is_some()).collect();
            if let Some(last) = revs.last() {
                stats.insert(
                    id.clone(),
                    DraftStats {
                        revisions: revs.len(),
                        last_change: last.time,
                    },
                );
            }
            let file = self.index_file(&id);
            let bytes = serde_json::to_vec(&all).map_err(|e| Error::Sign(e.to_string()))?;
            Self::write_atomic(&file, &bytes).map_err(|e| io(e, file.clone()))?;
        }
        let stats_file = self.index_dir().join("stats.json");
        let bytes = serde_json::to_vec(&stats).map_err(|e| Error::Sign(e.to_string()))?;
        Self::write_atomic(&stats_file, &bytes).map_err(|e| io(e, stats_file.clone()))?;
        let total = state.filter(|_| !rebuilt).map(|h| h.commits).unwrap_or(0) + walked;
        let head_file = self.index_dir().join("head.json");
        let bytes = serde_json::to_vec(&Head {
            format: FORMAT,
            head: head.to_string(),
            commits: total,
        })
        .map_err(|e| Error::Sign(e.to_string()))?;
        Self::write_atomic(&head_file, &bytes).map_err(|e| io(e, head_file.clone()))?;
        Ok(walked)
    }

    fn read_stats_file(&self) -> Option<HashMap<String, DraftStats>> {
        let bytes = std::fs::read(self.index_dir().join("stats.json")).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The touches of draft `id` from an up-to-date index. When the index
    /// cannot be written (a read-only repository), it is computed in memory.
    pub fn indexed_touches(&self, id: &str) -> Result<Vec<Touch>> {
        match self.update_index(&mut |_| {}) {
            Ok(_) => match self.read_touches(id) {
                Some(t) => Ok(t),
                None => {
                    let _ = std::fs::remove_dir_all(self.index_dir());
                    self.update_index(&mut |_| {})?;
                    Ok(self.read_touches(id).unwrap_or_default())
                }
            },
            Err(Error::Io { .. }) => {
                let (mut t, _) = self.walk_touches(None, &mut |_| {})?.unwrap_or_default();
                Ok(t.remove(id).unwrap_or_default())
            }
            Err(e) => Err(e),
        }
    }

    /// Revision counts and last-change times of every draft, from the index.
    pub fn draft_stats(&self) -> Result<HashMap<String, DraftStats>> {
        self.draft_stats_with_progress(&mut |_| {})
    }

    /// [`DraftRepo::draft_stats`], reporting progress while the index is built.
    pub fn draft_stats_with_progress(
        &self,
        progress: &mut dyn FnMut(usize),
    ) -> Result<HashMap<String, DraftStats>> {
        match self.update_index(progress) {
            Ok(_) => match self.read_stats_file() {
                Some(s) => Ok(s),
                None => {
                    let _ = std::fs::remove_dir_all(self.index_dir());
                    self.update_index(progress)?;
                    Ok(self.read_stats_file().unwrap_or_default())
                }
            },
            Err(Error::Io { .. }) => {
                let (t, _) = self.walk_touches(None, progress)?.unwrap_or_default();
                Ok(t.into_iter()
                    .filter_map(|(id, ts)| {
                        let revs: Vec<&Touch> = ts.iter().filter(|t| t.draft.is_some()).collect();
                        revs.last().map(|l| {
                            (
                                id.clone(),
                                DraftStats {
                                    revisions: revs.len(),
                                    last_change: l.time,
                                },
                            )
                        })
                    })
                    .collect())
            }
            Err(e) => Err(e),
        }
    }
}
