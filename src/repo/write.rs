//! Writing commits: build the tree, create the commit buffer, write it
//! (signed or not), move the branch with a compare-and-swap, and keep the
//! index and work tree in step so that `git status` stays clean.

use std::path::Path;

use git2::{FileMode, Oid, build::TreeUpdateBuilder};

use super::error::unrecorded;
use super::{DraftRepo, Error, Result};

mod lock;

pub use lock::Recovered;

/// Who made a commit, and when (now when `time` is `None`).
#[derive(Debug, Clone)]
pub struct Author {
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Seconds since the epoch and offset in minutes.
    pub time: Option<(i64, i32)>,
}

/// One file written or removed by a commit.
#[derive(Debug, Clone)]
pub enum Edit {
    /// Write `content` at `path`.
    Put {
        /// Path in the repository.
        path: String,
        /// New content.
        content: Vec<u8>,
    },
    /// Remove `path`.
    Delete {
        /// Path in the repository.
        path: String,
    },
}

impl Edit {
    fn path(&self) -> &str {
        match self {
            Edit::Put { path, .. } | Edit::Delete { path } => path,
        }
    }
}

/// A commit ready to be signed and written.
#[derive(Debug, Clone)]
pub struct PreparedCommit {
    /// The commit object as git will hash it, without the signature: the
    /// bytes a signer signs.
    pub buffer: String,
    branch: String,
    parent: Option<Oid>,
    edits: Vec<(String, Option<Oid>)>,
}

impl PreparedCommit {
    fn short_branch(&self) -> String {
        self.branch.trim_start_matches("refs/heads/").to_string()
    }
}

/// A commit that is on its branch.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The new commit's id.
    pub commit: String,
    /// Set when the branch moved but the work tree or index could not be
    /// brought in step: the commit is made all the same.
    pub warning: Option<WorktreeWarning>,
}

/// The commit is on the branch, but some written file in the work tree or
/// index could not be updated; says how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorktreeWarning {
    /// The commit.
    pub commit: String,
    /// The paths the commit wrote.
    pub paths: Vec<String>,
    /// What failed.
    pub cause: String,
}

impl WorktreeWarning {
    /// (Vietnamese, English): one line each.
    pub fn texts(&self) -> (String, String) {
        let short = &self.commit[..self.commit.len().min(10)];
        let paths = self
            .paths
            .iter()
            .map(|p| format!("'{p}'"))
            .collect::<Vec<_>>()
            .join(" ");
        (
            format!(
                "cảnh báo: đã ghi xong (commit {short}), nhưng chưa cập nhật được thư mục làm việc hoặc chỉ mục ({}): chạy `git checkout HEAD -- {paths}` để đồng bộ",
                self.cause
            ),
            format!(
                "warning: recorded (commit {short}), but the work tree or index could not be updated ({}): run `git checkout HEAD -- {paths}` to bring them in step",
                self.cause
            ),
        )
    }
}

impl DraftRepo {
    /// The branch HEAD points to ("refs/heads/main"); an error when detached.
    pub fn head_branch(&self) -> Result<String> {
        let head = self.repo.find_reference("HEAD")?;
        match head.symbolic_target()? {
            Some(t) => Ok(t.to_string()),
            None => Err(Error::DetachedHead),
        }
    }

    /// The identity from git config (user.name, user.email).
    pub fn configured_author(&self) -> Result<Author> {
        let sig = self.repo.signature().map_err(|_| {
            Error::Sign(
                "no identity: set it with `git config user.name \"Họ Tên\"` and `git config user.email ten@example.vn`"
                    .to_string(),
            )
        })?;
        Ok(Author {
            name: String::from_utf8_lossy(sig.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(sig.email_bytes()).into_owned(),
            time: None,
        })
    }

    /// Builds a commit on the current branch that applies `edits` to the
    /// head's tree. Nothing is written to refs yet.
    pub fn prepare_commit(
        &self,
        edits: &[Edit],
        message: &str,
        author: &Author,
    ) -> Result<PreparedCommit> {
        self.prepare(edits, message, author).map_err(unrecorded)
    }

    fn prepare(&self, edits: &[Edit], message: &str, author: &Author) -> Result<PreparedCommit> {
        let branch = self.head_branch()?;
        let parent = match self.repo.refname_to_id(&branch) {
            Ok(id) => Some(self.repo.find_commit(id)?),
            Err(e) if e.code() == git2::ErrorCode::NotFound => None,
            Err(e) => return Err(e.into()),
        };
        let base_tree = match &parent {
            Some(p) => p.tree()?,
            None => {
                let empty = self.repo.treebuilder(None)?.write()?;
                self.repo.find_tree(empty)?
            }
        };
        let mut planned = Vec::new();
        for e in edits {
            let id = match e {
                Edit::Put { content, .. } => {
                    Some(Oid::hash_object(git2::ObjectType::Blob, content)?)
                }
                Edit::Delete { .. } => None,
            };
            planned.push((e.path().to_string(), id));
        }
        if self.repo.workdir().is_some() {
            // libgit2 keeps the index it read first; duyet and git replace
            // the file, so read it again.
            let mut index = self.repo.index()?;
            index.read(true)?;
            self.check_clean(&index, &planned, Some(&base_tree))?;
        }
        let mut builder = TreeUpdateBuilder::new();
        let mut written = Vec::new();
        for e in edits {
            match e {
                Edit::Put { path, content } => {
                    let id = self.repo.blob(content)?;
                    builder.upsert(path.as_str(), id, FileMode::Blob);
                    written.push((path.clone(), Some(id)));
                }
                Edit::Delete { path } => {
                    builder.remove(path.as_str());
                    written.push((path.clone(), None));
                }
            }
        }
        let tree_id = builder.create_updated(&self.repo, &base_tree)?;
        let tree = self.repo.find_tree(tree_id)?;
        let sig = match author.time {
            Some((s, off)) => {
                git2::Signature::new(&author.name, &author.email, &git2::Time::new(s, off))?
            }
            None => git2::Signature::now(&author.name, &author.email)?,
        };
        let mut message = message.trim_end().to_string();
        message.push('\n');
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let buf = self
            .repo
            .commit_create_buffer(&sig, &sig, &message, &tree, &parents)?;
        let buffer = std::str::from_utf8(&buf)
            .map_err(|_| Error::Sign("commit buffer is not UTF-8".to_string()))?
            .to_string();
        Ok(PreparedCommit {
            buffer,
            branch,
            parent: parent.map(|p| p.id()),
            edits: written,
        })
    }

    /// Writes a prepared commit (with `signature` in its `gpgsig` header when
    /// given), moves the branch only if it still points where it did, and
    /// brings index and work tree in step. Returns the new commit id; a
    /// work-tree warning (see [`Finished`]) is dropped, so this is for
    /// repositories the caller alone writes (demo, synthetic, tests).
    pub fn finish_commit(
        &self,
        prepared: &PreparedCommit,
        signature: Option<&str>,
    ) -> Result<String> {
        self.finish_commit_checked(prepared, signature, &mut |_| Ok(()))
            .map(|f| f.commit)
    }

    /// Writes the commit object, calls `check` with its id (an `Err` from
    /// it is returned as is, with nothing moved), then, in a work tree,
    /// takes `index.lock` as git does and prepares the new index under it;
    /// only then moves the branch with a compare-and-swap. Any failure up
    /// to there leaves branch, index and work tree as they were. Once the
    /// branch has moved the commit is made: the work tree and index are
    /// brought in step, and whatever could not be done is a warning in the
    /// [`Finished`], never an error.
    pub fn finish_commit_checked(
        &self,
        prepared: &PreparedCommit,
        signature: Option<&str>,
        check: &mut dyn FnMut(&str) -> Result<()>,
    ) -> Result<Finished> {
        let id = self.write_object(prepared, signature).map_err(unrecorded)?;
        lock::crash_point("object");
        check(&id.to_string())?;
        let Some(workdir) = self.repo.workdir().map(Path::to_path_buf) else {
            self.move_branch(prepared, id).map_err(unrecorded)?;
            return Ok(Finished {
                commit: id.to_string(),
                warning: None,
            });
        };
        // A decision interrupted earlier is finished (or undone) first, so
        // that its lock is not mistaken for a live one.
        let _ = self.recover_interrupted();
        let staged = self.stage_under_lock(prepared, id).map_err(unrecorded)?;
        if let Err(e) = self.move_branch(prepared, id) {
            staged.abandon();
            return Err(unrecorded(e));
        }
        lock::crash_point("moved");
        let mut problems = Vec::new();
        for (path, blob) in &prepared.edits {
            if let Err(e) = self.write_work_file(&workdir, path, *blob) {
                problems.push(e.to_string());
            }
        }
        lock::crash_point("worktree");
        if let Err(e) = staged.install() {
            // The lock is gone; try once more the ordinary way.
            if let Err(again) = self.stage_plainly(&prepared.edits) {
                problems.push(format!("{e}; {again}"));
            }
        }
        lock::crash_point("index");
        Ok(Finished {
            commit: id.to_string(),
            warning: (!problems.is_empty()).then(|| WorktreeWarning {
                commit: id.to_string(),
                paths: prepared.edits.iter().map(|(p, _)| p.clone()).collect(),
                cause: problems.join("; "),
            }),
        })
    }

    /// Writes the commit object, signed when `signature` is given.
    fn write_object(&self, prepared: &PreparedCommit, signature: Option<&str>) -> Result<Oid> {
        Ok(match signature {
            Some(sig) => self.repo.commit_signed(
                &prepared.buffer,
                sig.trim_end_matches('\n'),
                Some("gpgsig"),
            )?,
            None => self
                .repo
                .odb()?
                .write(git2::ObjectType::Commit, prepared.buffer.as_bytes())?,
        })
    }

    /// Sets the index entries of `edits` through libgit2's own locking.
    fn stage_plainly(&self, edits: &[(String, Option<Oid>)]) -> Result<()> {
        let mut index = self.repo.index()?;
        index.read(true)?;
        for (path, blob) in edits {
            match blob {
                Some(id) => {
                    let size = self.repo.find_blob(*id)?.size();
                    index.add(&lock::entry(path, *id, size))?;
                }
                None => {
                    let _ = index.remove_path(Path::new(path));
                }
            }
        }
        lock::fail_point("plain").map_err(|source| Error::Io {
            path: self.repo.path().join("index"),
            source,
        })?;
        index.write()?;
        Ok(())
    }

    /// Takes the index lock, checks again (now that nobody else can write
    /// the index) that HEAD is still on the branch and that the written
    /// paths have no local changes, records the commit in progress, and
    /// writes the new index into the lock file.
    fn stage_under_lock(&self, prepared: &PreparedCommit, id: Oid) -> Result<lock::Staged> {
        let gitdir = self.repo.path().to_path_buf();
        let mut lock = lock::IndexLock::acquire(&gitdir.join("index"))?;
        lock::crash_point("locked");
        let journal = lock::Journal::write(&gitdir, id, prepared, &lock)?;
        lock::crash_point("journal");
        if self.head_branch()? != prepared.branch {
            return Err(Error::BranchMoved(prepared.short_branch()));
        }
        let index = lock::index_copy(&gitdir)?;
        let base = match prepared.parent {
            Some(p) => Some(self.repo.find_commit(p)?.tree()?),
            None => None,
        };
        self.check_clean(&index.index, &prepared.edits, base.as_ref())?;
        let bytes = index.with_entries(&self.repo, &prepared.edits)?;
        lock.write_all(&bytes)?;
        Ok(lock::Staged { lock, journal })
    }

    /// Moves the branch from the prepared parent to `id`, or explains why
    /// it cannot; a failure after which the branch did move anyway counts
    /// as success.
    fn move_branch(&self, prepared: &PreparedCommit, id: Oid) -> Result<()> {
        let msg = format!(
            "duyet: {}",
            prepared
                .buffer
                .split("\n\n")
                .nth(1)
                .and_then(|m| m.lines().next())
                .unwrap_or("")
        );
        let result = match prepared.parent {
            Some(old) => self
                .repo
                .reference_matching(&prepared.branch, id, true, old, &msg)
                .map(drop),
            None => self
                .repo
                .reference(&prepared.branch, id, false, &msg)
                .map(drop),
        };
        let Err(e) = result else {
            return Ok(());
        };
        if self.repo.refname_to_id(&prepared.branch).ok() == Some(id) {
            return Ok(());
        }
        Err(match e.code() {
            git2::ErrorCode::Locked => {
                let file = self
                    .repo
                    .commondir()
                    .join(format!("{}.lock", prepared.branch));
                if file.exists() {
                    Error::LockHeld(file)
                } else {
                    Error::Locked(e.message().to_string())
                }
            }
            git2::ErrorCode::Modified | git2::ErrorCode::Exists | git2::ErrorCode::NotFound => {
                Error::BranchMoved(prepared.short_branch())
            }
            _ => Error::Git(e),
        })
    }

    /// Puts the blob `blob` (or nothing) at `path` in the work tree, through
    /// a temporary file renamed into place so a full disk leaves the old
    /// file whole.
    fn write_work_file(&self, workdir: &Path, path: &str, blob: Option<Oid>) -> Result<()> {
        let file = workdir.join(path);
        let io = |file: &Path| {
            let file = file.to_path_buf();
            move |source| Error::Io { path: file, source }
        };
        let Some(id) = blob else {
            return match std::fs::remove_file(&file) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io(&file)(e)),
                _ => Ok(()),
            };
        };
        let blob = self.repo.find_blob(id)?;
        let dir = file.parent().unwrap_or(workdir);
        std::fs::create_dir_all(dir).map_err(io(dir))?;
        lock::fail_point("worktree").map_err(io(&file))?;
        lock::replace_file(self.repo.path(), &file, blob.content())
    }

    /// Refuses when a file the commit writes has changes in `index` or the
    /// work tree that the commit would overwrite.
    fn check_clean(
        &self,
        index: &git2::Index,
        edits: &[(String, Option<Oid>)],
        base: Option<&git2::Tree<'_>>,
    ) -> Result<()> {
        let Some(workdir) = self.repo.workdir() else {
            return Ok(());
        };
        for (path, new_id) in edits {
            let head_id = base
                .and_then(|b| b.get_path(Path::new(path)).ok())
                .map(|t| t.id());
            let index_id = index.get_path(Path::new(path), 0).map(|e| e.id);
            let file = workdir.join(path);
            let work_id = if file.exists() {
                Some(Oid::hash_file(git2::ObjectType::Blob, &file)?)
            } else {
                None
            };
            // A file that already holds what the commit writes loses nothing.
            if (index_id != head_id && index_id != *new_id)
                || (work_id != head_id && work_id != *new_id)
            {
                return Err(Error::LocalChanges(path.to_string()));
            }
        }
        Ok(())
    }
}
