//! Writing commits: build the tree, create the commit buffer, write it
//! (signed or not), move the branch with a compare-and-swap, and keep the
//! index and work tree in step so that `git status` stays clean.

use std::path::Path;

use git2::{FileMode, Oid, build::TreeUpdateBuilder};

use super::{DraftRepo, Error, Result};

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
        self.check_clean(edits, &base_tree)?;
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
    /// updates index and work tree. Returns the new commit id.
    pub fn finish_commit(
        &self,
        prepared: &PreparedCommit,
        signature: Option<&str>,
    ) -> Result<String> {
        let id = match signature {
            Some(sig) => self.repo.commit_signed(
                &prepared.buffer,
                sig.trim_end_matches('\n'),
                Some("gpgsig"),
            )?,
            None => self
                .repo
                .odb()?
                .write(git2::ObjectType::Commit, prepared.buffer.as_bytes())?,
        };
        let msg = format!(
            "duyet: {}",
            prepared
                .buffer
                .split("\n\n")
                .nth(1)
                .and_then(|m| m.lines().next())
                .unwrap_or("")
        );
        let short = prepared
            .branch
            .trim_start_matches("refs/heads/")
            .to_string();
        let moved = |e: git2::Error| match e.code() {
            git2::ErrorCode::Locked => Error::Locked(e.message().to_string()),
            git2::ErrorCode::Modified | git2::ErrorCode::Exists | git2::ErrorCode::NotFound => {
                Error::BranchMoved(short.clone())
            }
            _ => Error::Git(e),
        };
        match prepared.parent {
            Some(old) => {
                self.repo
                    .reference_matching(&prepared.branch, id, true, old, &msg)
                    .map_err(moved)?;
            }
            None => {
                self.repo
                    .reference(&prepared.branch, id, false, &msg)
                    .map_err(moved)?;
            }
        }
        self.sync_worktree(prepared)?;
        Ok(id.to_string())
    }

    /// Refuses when a file the commit writes has changes in the index or the
    /// work tree that the commit would overwrite.
    fn check_clean(&self, edits: &[Edit], base: &git2::Tree<'_>) -> Result<()> {
        let Some(workdir) = self.repo.workdir() else {
            return Ok(());
        };
        let index = self.repo.index()?;
        for e in edits {
            let path = e.path();
            let head_id = base.get_path(Path::new(path)).ok().map(|t| t.id());
            // A file that already holds what the commit writes loses nothing.
            let new_id = match e {
                Edit::Put { content, .. } => {
                    Some(Oid::hash_object(git2::ObjectType::Blob, content)?)
                }
                Edit::Delete { .. } => None,
            };
            let index_id = index.get_path(Path::new(path), 0).map(|e| e.id);
            let file = workdir.join(path);
            let work_id = if file.exists() {
                Some(Oid::hash_file(git2::ObjectType::Blob, &file)?)
            } else {
                None
            };
            if (index_id != head_id && index_id != new_id)
                || (work_id != head_id && work_id != new_id)
            {
                return Err(Error::LocalChanges(path.to_string()));
            }
        }
        Ok(())
    }

    fn sync_worktree(&self, prepared: &PreparedCommit) -> Result<()> {
        let Some(workdir) = self.repo.workdir() else {
            return Ok(());
        };
        let mut index = self.repo.index()?;
        for (path, blob) in &prepared.edits {
            let file = workdir.join(path);
            match blob {
                Some(id) => {
                    let blob = self.repo.find_blob(*id)?;
                    if let Some(dir) = file.parent() {
                        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                            path: dir.to_path_buf(),
                            source,
                        })?;
                    }
                    std::fs::write(&file, blob.content()).map_err(|source| Error::Io {
                        path: file.clone(),
                        source,
                    })?;
                    index.add_path(Path::new(path))?;
                }
                None => {
                    if file.exists() {
                        std::fs::remove_file(&file).map_err(|source| Error::Io {
                            path: file.clone(),
                            source,
                        })?;
                    }
                    let _ = index.remove_path(Path::new(path));
                }
            }
        }
        index.write()?;
        Ok(())
    }
}
