//! The index lock, taken as git takes it, and the journal of a commit in
//! progress, which lets the next run finish (or undo) a commit whose process
//! was killed.
//!
//! Order of a commit in a work tree: commit object → `index.lock` created
//! exclusively → journal `.git/duyet/pending-<pid>` → new index written into
//! the lock → branch moved (compare-and-swap) → work files → lock renamed
//! over `index` → journal removed. A process killed before the branch moved
//! changed nothing but may leave its lock and journal; one killed after left
//! the new index in its lock. [`DraftRepo::recover_interrupted`] tells which
//! from the journal, the branch and the lock's inode.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use git2::Oid;

use super::{PreparedCommit, WorktreeWarning};
use crate::repo::{DraftRepo, Error, Result};

/// For tests of a killed process (debug builds only): `DUYET_CRASH_AT=NAME`
/// kills this process with SIGKILL at the point NAME.
pub(super) fn crash_point(name: &str) {
    #[cfg(all(debug_assertions, unix))]
    if std::env::var("DUYET_CRASH_AT").is_ok_and(|v| v == name) {
        // SAFETY: kill(2) on our own pid has no memory-safety effect.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
    #[cfg(not(all(debug_assertions, unix)))]
    let _ = name;
}

/// For tests of a failing disk (debug builds only): `DUYET_FAIL_AT=A,B`
/// makes the steps A and B fail as an I/O error would.
pub(super) fn fail_point(name: &str) -> std::io::Result<()> {
    #[cfg(debug_assertions)]
    if std::env::var("DUYET_FAIL_AT").is_ok_and(|v| v.split(',').any(|p| p == name)) {
        return Err(std::io::Error::other(format!("injected failure at {name}")));
    }
    let _ = name;
    Ok(())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
    let path = path.to_path_buf();
    move |source| Error::Io { path, source }
}

/// `(device, inode)` of a file, to recognise a lock file as ours.
fn identity(path: &Path) -> Option<(u64, u64)> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        std::fs::symlink_metadata(path)
            .ok()
            .map(|m| (m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// Whether process `pid` is running (on this machine).
fn alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        // SAFETY: kill(2) with signal 0 only checks the process exists.
        let r = unsafe { libc::kill(pid, 0) };
        r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

/// `.git/duyet/scratch-<pid>.tmp`: where a file is written before it is
/// renamed into place (inside `.git`, so that a killed process leaves
/// nothing in the work tree; the next run removes it).
fn scratch(gitdir: &Path) -> PathBuf {
    gitdir
        .join("duyet")
        .join(format!("scratch-{}.tmp", std::process::id()))
}

/// Replaces `target` with `bytes` whole: written beside in `.git/duyet`, then
/// renamed (written in place only when `.git` is on another file system).
pub(super) fn replace_file(gitdir: &Path, target: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = scratch(gitdir);
    if let Some(dir) = tmp.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, target));
    match written {
        Ok(()) => Ok(()),
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            if e.kind() == std::io::ErrorKind::CrossesDevices {
                std::fs::write(target, bytes).map_err(io(target))
            } else {
                Err(io(target)(e))
            }
        }
    }
}

/// `index.lock`, held: removed on drop unless installed as the index.
pub(super) struct IndexLock {
    lock: PathBuf,
    index: PathBuf,
    file: File,
    done: bool,
}

impl IndexLock {
    /// Creates `<index>.lock` exclusively, as git does.
    pub(super) fn acquire(index: &Path) -> Result<IndexLock> {
        let lock = index.with_extension("lock");
        match File::options().write(true).create_new(true).open(&lock) {
            Ok(file) => Ok(IndexLock {
                lock,
                index: index.to_path_buf(),
                file,
                done: false,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::LockHeld(lock)),
            Err(e) => Err(io(&lock)(e)),
        }
    }

    /// Writes the new index into the lock file.
    pub(super) fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.file.write_all(bytes).map_err(io(&self.lock))?;
        self.file.flush().map_err(io(&self.lock))
    }
}

impl Drop for IndexLock {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.lock);
        }
    }
}

/// `.git/duyet/pending-<pid>`: what this process is committing.
pub(super) struct Journal {
    path: PathBuf,
}

impl Journal {
    /// Records the commit in progress (atomically: a temporary file renamed).
    pub(super) fn write(
        gitdir: &Path,
        id: Oid,
        prepared: &PreparedCommit,
        lock: &IndexLock,
    ) -> Result<Journal> {
        let dir = gitdir.join("duyet");
        std::fs::create_dir_all(&dir).map_err(io(&dir))?;
        let (dev, ino) = identity(&lock.lock).unwrap_or((0, 0));
        let mut text = format!(
            "duyet pending commit 1\npid {}\ncommit {id}\nbranch {}\nlock {dev} {ino}\n",
            std::process::id(),
            prepared.branch
        );
        for (path, blob) in &prepared.edits {
            match blob {
                Some(b) => text.push_str(&format!("path {b} {path}\n")),
                None => text.push_str(&format!("path - {path}\n")),
            }
        }
        let path = dir.join(format!("pending-{}", std::process::id()));
        replace_file(gitdir, &path, text.as_bytes())?;
        Ok(Journal { path })
    }
}

/// Removed when dropped: a process that is not killed never leaves one.
impl Drop for Journal {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A new index waiting in its lock, with the journal of its commit.
pub(super) struct Staged {
    pub(super) lock: IndexLock,
    pub(super) journal: Journal,
}

impl Staged {
    /// The branch did not move: drop the lock and the journal.
    pub(super) fn abandon(self) {
        drop(self.lock);
        drop(self.journal);
    }

    /// The branch moved: the lock becomes the index. When the rename
    /// fails the lock is removed (git must stay usable) and the error says
    /// so; the journal goes either way.
    pub(super) fn install(mut self) -> Result<()> {
        let r = fail_point("install")
            .and_then(|()| std::fs::rename(&self.lock.lock, &self.lock.index))
            .map_err(io(&self.lock.index));
        if r.is_ok() {
            self.lock.done = true;
        }
        crash_point("installed");
        r
    }
}

/// A copy of the index, opened by libgit2 (whose own writes go through
/// `<copy>.lock`, not `index.lock`, which we hold).
pub(super) struct IndexCopy {
    pub(super) index: git2::Index,
    path: PathBuf,
}

/// Copies `.git/index` (absent: an empty index) to a private file and opens it.
pub(super) fn index_copy(gitdir: &Path) -> Result<IndexCopy> {
    let dir = gitdir.join("duyet");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let path = dir.join(format!("index-{}.tmp", std::process::id()));
    let index = gitdir.join("index");
    match std::fs::copy(&index, &path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let _ = std::fs::remove_file(&path);
        }
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            return Err(io(&path)(e));
        }
    }
    let index = git2::Index::open(&path);
    match index {
        Ok(index) => Ok(IndexCopy { index, path }),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e.into())
        }
    }
}

impl IndexCopy {
    /// The index with each path's entry set to its blob (or removed), as
    /// bytes. The entries carry no stat data, so git compares the work file's
    /// content the next time it looks.
    pub(super) fn with_entries(
        mut self,
        repo: &git2::Repository,
        edits: &[(String, Option<Oid>)],
    ) -> Result<Vec<u8>> {
        for (path, blob) in edits {
            match blob {
                Some(id) => {
                    let size = repo.find_blob(*id)?.size();
                    self.index.add(&entry(path, *id, size))?;
                }
                None => {
                    let _ = self.index.remove_path(Path::new(path));
                }
            }
        }
        self.index.write()?;
        std::fs::read(&self.path).map_err(io(&self.path))
    }
}

impl Drop for IndexCopy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

pub(super) fn entry(path: &str, id: Oid, size: usize) -> git2::IndexEntry {
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: 0o100_644,
        uid: 0,
        gid: 0,
        file_size: u32::try_from(size).unwrap_or(u32::MAX),
        id,
        flags: 0,
        flags_extended: 0,
        path: path.as_bytes().to_vec(),
    }
}

/// What [`DraftRepo::recover_interrupted`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recovered {
    /// A killed process had moved the branch: its commit is made, and the
    /// index and work tree were brought in step with it.
    Completed {
        /// The commit.
        commit: String,
        /// What could not be brought in step, if anything.
        warning: Option<WorktreeWarning>,
    },
    /// A killed process never moved the branch: nothing was committed; its
    /// leftover `index.lock` (if still there) was removed.
    Abandoned {
        /// The commit object that never went on the branch.
        commit: String,
        /// The lock file removed, if any.
        lock: Option<PathBuf>,
    },
}

impl Recovered {
    /// (Vietnamese, English): one line each.
    pub fn texts(&self) -> (String, String) {
        match self {
            Recovered::Completed { commit, warning } => {
                let short = &commit[..commit.len().min(10)];
                let (vi, en) = (
                    format!(
                        "một tiến trình bị dừng đột ngột đã ghi commit {short} vào nhánh; chỉ mục và thư mục làm việc nay đã khớp với nó"
                    ),
                    format!(
                        "a killed process had recorded commit {short} on the branch; the index and work tree now match it"
                    ),
                );
                match warning {
                    Some(w) => {
                        let (wv, we) = w.texts();
                        (format!("{vi}; {wv}"), format!("{en}; {we}"))
                    }
                    None => (vi, en),
                }
            }
            Recovered::Abandoned { commit, lock } => {
                let short = &commit[..commit.len().min(10)];
                match lock {
                    Some(l) => (
                        format!(
                            "một tiến trình bị dừng đột ngột chưa kịp ghi commit {short} (nhánh không đổi); đã xóa tệp khóa nó để lại: {}",
                            l.display()
                        ),
                        format!(
                            "a killed process never recorded commit {short} (the branch is unchanged); removed the lock it left: {}",
                            l.display()
                        ),
                    ),
                    None => (
                        format!(
                            "một tiến trình bị dừng đột ngột chưa kịp ghi commit {short} (nhánh không đổi)"
                        ),
                        format!(
                            "a killed process never recorded commit {short} (the branch is unchanged)"
                        ),
                    ),
                }
            }
        }
    }
}

/// The pid in the name of a scratch file (`scratch-<pid>.tmp`,
/// `index-<pid>.tmp`, `index-<pid>.tmp.lock`).
fn scratch_pid(name: &str) -> Option<u32> {
    let rest = name
        .strip_prefix("scratch-")
        .or_else(|| name.strip_prefix("index-"))?;
    let rest = rest.strip_suffix(".lock").unwrap_or(rest);
    rest.strip_suffix(".tmp")?.parse().ok()
}

/// A journal read back.
struct Pending {
    file: PathBuf,
    pid: u32,
    commit: Oid,
    branch: String,
    lock: (u64, u64),
    edits: Vec<(String, Option<Oid>)>,
}

fn parse(file: &Path, text: &str) -> Option<Pending> {
    let mut lines = text.lines();
    if lines.next()? != "duyet pending commit 1" {
        return None;
    }
    let mut field = |name: &str| {
        lines
            .next()
            .and_then(|l| l.strip_prefix(name))
            .and_then(|l| l.strip_prefix(' '))
            .map(str::to_string)
    };
    let pid = field("pid")?.parse().ok()?;
    let commit = Oid::from_str(&field("commit")?).ok()?;
    let branch = field("branch")?;
    let lock = field("lock")?;
    let (dev, ino) = lock.split_once(' ')?;
    let lock = (dev.parse().ok()?, ino.parse().ok()?);
    let mut edits = Vec::new();
    for l in lines {
        let (blob, path) = l.strip_prefix("path ")?.split_once(' ')?;
        let blob = match blob {
            "-" => None,
            b => Some(Oid::from_str(b).ok()?),
        };
        edits.push((path.to_string(), blob));
    }
    Some(Pending {
        file: file.to_path_buf(),
        pid,
        commit,
        branch,
        lock,
        edits,
    })
}

impl DraftRepo {
    /// Finishes or undoes what a killed duyet process left half-done in this
    /// work tree (see the module's documentation): when its commit is on the
    /// branch, its prepared index is installed and the work files written
    /// (those still as the commit's parent had them); when not, its leftover
    /// `index.lock` is removed. Journals of running processes are left
    /// alone. Cheap when there is nothing to do (one directory read).
    pub fn recover_interrupted(&self) -> Result<Vec<Recovered>> {
        let Some(workdir) = self.repo.workdir().map(Path::to_path_buf) else {
            return Ok(Vec::new());
        };
        let gitdir = self.repo.path().to_path_buf();
        let dir = gitdir.join("duyet");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return Ok(Vec::new());
        };
        let mut done = Vec::new();
        for e in entries.flatten() {
            let name = e.file_name();
            // Scratch files of killed processes.
            if let Some(pid) = name.to_str().and_then(scratch_pid)
                && pid != std::process::id()
                && !alive(pid)
            {
                let _ = std::fs::remove_file(e.path());
                continue;
            }
            let Some(pid) = name.to_str().and_then(|n| n.strip_prefix("pending-")) else {
                continue;
            };
            if pid
                .parse::<u32>()
                .is_ok_and(|p| p != std::process::id() && alive(p))
            {
                continue;
            }
            let file = e.path();
            let Ok(text) = std::fs::read_to_string(&file) else {
                continue;
            };
            let Some(p) = parse(&file, &text) else {
                // Not ours to understand: a torn write never happens (the
                // journal is renamed into place), so leave it for a human.
                continue;
            };
            if p.pid != std::process::id() && alive(p.pid) {
                continue;
            }
            done.push(self.recover_one(&workdir, &gitdir, &p)?);
        }
        Ok(done)
    }

    fn recover_one(&self, workdir: &Path, gitdir: &Path, p: &Pending) -> Result<Recovered> {
        let index = gitdir.join("index");
        let lock = index.with_extension("lock");
        let ours = identity(&lock).is_some_and(|i| i == p.lock);
        let head = self.repo.refname_to_id(&p.branch).ok();
        let on_branch = match head {
            Some(h) => h == p.commit || self.repo.graph_descendant_of(h, p.commit)?,
            None => false,
        };
        let result = if on_branch {
            let mut problems = Vec::new();
            if ours {
                // Killed between moving the branch and installing the index:
                // the work files may be half-written; write what is missing.
                let parent = self.repo.find_commit(p.commit)?.parent(0).ok();
                let parent_tree = parent.map(|c| c.tree()).transpose()?;
                for (path, blob) in &p.edits {
                    let file = workdir.join(path);
                    let now = if file.exists() {
                        Some(Oid::hash_file(git2::ObjectType::Blob, &file)?)
                    } else {
                        None
                    };
                    let before = parent_tree
                        .as_ref()
                        .and_then(|t| t.get_path(Path::new(path)).ok())
                        .map(|t| t.id());
                    if now == *blob {
                        continue;
                    }
                    if now.is_some() && now != before {
                        problems.push(format!("{path}: changed since"));
                        continue;
                    }
                    if let Err(e) = self.write_work_file(workdir, path, *blob) {
                        problems.push(e.to_string());
                    }
                }
                if let Err(e) = std::fs::rename(&lock, &index) {
                    problems.push(io(&index)(e).to_string());
                }
            }
            Recovered::Completed {
                commit: p.commit.to_string(),
                warning: (!problems.is_empty()).then(|| WorktreeWarning {
                    commit: p.commit.to_string(),
                    paths: p.edits.iter().map(|(path, _)| path.clone()).collect(),
                    cause: problems.join("; "),
                }),
            }
        } else {
            let removed = ours && std::fs::remove_file(&lock).is_ok();
            Recovered::Abandoned {
                commit: p.commit.to_string(),
                lock: removed.then_some(lock),
            }
        };
        let _ = std::fs::remove_file(&p.file);
        Ok(result)
    }
}
