//! git2: open a drafts repository, read drafts at a commit, list a draft's
//! history, and write commits (unsigned revisions and signed decisions).

mod error;
mod facts;
mod history;
mod index;
mod list;
mod rawtree;
mod remote;
mod signed;
mod stats;
mod write;

pub use error::{Error, Result, malformed};
pub use facts::{CommitFacts, ReviewAt, without_hash_verification};
pub use index::{Touch, Watch};
pub use list::Listing;
pub use rawtree::{TreeFault, raw_entries, tree_faults};
pub use remote::Upstream;
pub use signed::Signed;
pub use stats::DraftStats;
pub use write::{Author, Edit, Finished, PreparedCommit, Recovered, WorktreeWarning};

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, RepositoryOpenFlags};

use crate::model::trust::TrustList;

/// Folder under which drafts live.
pub const DRAFTS_DIR: &str = "drafts";
/// Path of the trust list.
pub const TRUST_PATH: &str = ".duyet/trust.toml";

/// Sets libgit2's process-wide settings the way duyet uses it. Call once at
/// start, before any other thread uses libgit2.
///
/// - No object cache: duyet's walks read each commit and tree once, so the
///   cache (256 MiB by default) only grew — to 330 MB while indexing a
///   100,000-commit history — and evicting from it cost more than it saved.
/// - With `long_running` (the TUI), pack files are mapped 2 MiB at a time,
///   at most 16 MiB at once, instead of whole: the pages stay in the
///   kernel's page cache, and a walk over all of a 118 MB pack costs 15–30%
///   more time for ~100 MB less resident memory. One-shot commands keep
///   libgit2's defaults and finish sooner.
pub fn tune(long_running: bool) {
    git2::opts::enable_caching(false);
    if long_running {
        // SAFETY: these setters write libgit2 globals without a lock; this
        // is called at start, before any thread uses libgit2.
        unsafe {
            let _ = git2::opts::set_mwindow_size(2 << 20);
            let _ = git2::opts::set_mwindow_mapped_limit(16 << 20);
        }
    }
}

/// Writes a file's content into a writer.
pub type WriteFn<'a> = dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()> + 'a;

/// Replaces `path` with what `write` writes: written aside, then renamed,
/// so a reader never sees half a file; streamed, so a large file is never
/// whole in memory. A failed write leaves `path` as it was.
fn write_atomic(path: &Path, write: &mut WriteFn<'_>) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::File::create(&tmp).and_then(|f| {
        let mut w = std::io::BufWriter::new(f);
        write(&mut w)?;
        std::io::Write::flush(&mut w)
    });
    let done = written.and_then(|()| std::fs::rename(&tmp, path));
    if done.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    done
}

/// A drafts repository (work tree or bare).
pub struct DraftRepo {
    repo: Repository,
}

impl DraftRepo {
    /// Opens the repository at `path`, or discovers it from the current
    /// directory when `path` is `None`.
    pub fn open(path: Option<&Path>) -> Result<Self> {
        let start = match path {
            Some(p) => p.to_path_buf(),
            None => std::env::current_dir().map_err(|source| Error::Io {
                path: PathBuf::from("."),
                source,
            })?,
        };
        if path.is_some() && !start.exists() {
            return Err(Error::NotARepo(start));
        }
        let flags = RepositoryOpenFlags::empty();
        let repo = Repository::open_ext(&start, flags, std::iter::empty::<&std::ffi::OsStr>())
            .map_err(|e| match e.code() {
                git2::ErrorCode::NotFound => Error::NotARepo(start.clone()),
                _ => Error::from(e),
            })?;
        Ok(DraftRepo { repo })
    }

    /// Opens the repository named by git's environment (`GIT_DIR`,
    /// `GIT_OBJECT_DIRECTORY`, `GIT_ALTERNATE_OBJECT_DIRECTORIES`, ...), as a
    /// hook run by `git receive-pack` must: the objects of a push wait in a
    /// quarantine directory that only the environment names.
    pub fn open_from_env() -> Result<Self> {
        let repo = Repository::open_from_env().map_err(|e| match e.code() {
            git2::ErrorCode::NotFound => {
                Error::NotARepo(std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")))
            }
            _ => Error::from(e),
        })?;
        Ok(DraftRepo { repo })
    }

    /// Wraps an already open repository.
    pub fn from_git(repo: Repository) -> Self {
        DraftRepo { repo }
    }

    /// Where the repository is: the work tree, or the git dir when bare.
    pub fn location(&self) -> PathBuf {
        self.repo
            .workdir()
            .unwrap_or_else(|| self.repo.path())
            .to_path_buf()
    }

    /// The `.git` directory (or the bare repository itself).
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// The bytes of cache file `name` under `.git/duyet/`, if readable.
    /// Caches are duyet's own; deleting them loses nothing.
    pub fn read_cache_file(&self, name: &str) -> Option<Vec<u8>> {
        std::fs::read(self.git_dir().join("duyet").join(name)).ok()
    }

    /// Replaces cache file `name` under `.git/duyet/` with what `write`
    /// writes (see [`write_atomic`]).
    pub fn write_cache_file(&self, name: &str, write: &mut WriteFn<'_>) -> Result<()> {
        let path = self.git_dir().join("duyet").join(name);
        write_atomic(&path, write).map_err(|source| Error::Io { path, source })
    }

    /// The work tree, if any.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// Whether the repository has no work tree.
    pub fn is_bare(&self) -> bool {
        self.repo.is_bare()
    }

    /// The commit HEAD points to.
    pub fn head_commit(&self) -> Result<git2::Commit<'_>> {
        match self.repo.head() {
            Ok(h) => Ok(h.peel_to_commit()?),
            Err(e)
                if e.code() == git2::ErrorCode::UnbornBranch
                    || e.code() == git2::ErrorCode::NotFound =>
            {
                Err(Error::Empty(self.location()))
            }
            Err(e) => Err(e.into()),
        }
    }

    /// Id of the HEAD commit.
    pub fn head_id(&self) -> Result<String> {
        Ok(self.head_commit()?.id().to_string())
    }

    /// A string from git config (repository, global and system), if set.
    pub fn config_string(&self, key: &str) -> Option<String> {
        let cfg = self.repo.config().ok()?;
        cfg.get_string(key).ok().filter(|s| !s.is_empty())
    }

    /// Sets a value in the repository's local config.
    pub fn set_local_config(&self, key: &str, value: &str) -> Result<()> {
        let cfg = self.repo.config()?;
        let mut local = cfg.open_level(git2::ConfigLevel::Local)?;
        local.set_str(key, value)?;
        Ok(())
    }

    /// Reads a blob as UTF-8 text; `path` names it in errors.
    pub fn read_text(&self, blob: &str, path: &str) -> Result<String> {
        let oid = Oid::from_str(blob)?;
        let blob_obj = self.repo.find_blob(oid)?;
        blob_text(&blob_obj, path)
    }

    /// The trust list at `commit` (HEAD when `None`); empty when absent.
    pub fn trust_list(&self, commit: Option<&str>) -> Result<TrustList> {
        let commit = match commit {
            Some(c) => self.repo.find_commit(Oid::from_str(c)?)?,
            None => self.head_commit()?,
        };
        let tree = commit.tree()?;
        match tree.get_path(Path::new(TRUST_PATH)) {
            Ok(entry) => {
                let text = self.read_text(&entry.id().to_string(), TRUST_PATH)?;
                toml::from_str(&text).map_err(|e| malformed(TRUST_PATH, &text, &e))
            }
            Err(_) => Ok(TrustList::default()),
        }
    }

    /// The signature of commit `id` and the bytes it signs, read from the
    /// `gpgsig` header as git reads it (see [`Signed`]).
    pub fn commit_signed(&self, id: &str) -> Result<Signed> {
        let oid = Oid::from_str(id)?;
        let odb = self.repo.odb()?;
        let raw = odb.read(oid)?;
        if raw.kind() != git2::ObjectType::Commit {
            return Err(Error::NoSuchCommit(id.to_string()));
        }
        Ok(signed::split_signed(raw.data()))
    }

    /// The signature of commit `id` and the bytes it signs, when it has
    /// exactly one (see [`DraftRepo::commit_signed`]).
    pub fn commit_signature(&self, id: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(match self.commit_signed(id)? {
            Signed::Yes { signature, payload } => Some((signature, payload)),
            Signed::No | Signed::Many => None,
        })
    }

    /// Creates a new bare repository at `path` whose first branch is `main`.
    pub fn init_bare(path: &Path) -> Result<Self> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main").mkpath(true).bare(true);
        Ok(DraftRepo {
            repo: Repository::init_opts(path, &opts)?,
        })
    }

    /// Creates a new non-bare repository at `path` whose first branch is `main`.
    pub fn init(path: &Path) -> Result<Self> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main").mkpath(true);
        Ok(DraftRepo {
            repo: Repository::init_opts(path, &opts)?,
        })
    }
}

/// The text of a blob, or a clear error when binary or not UTF-8.
pub(crate) fn blob_text(blob: &git2::Blob<'_>, path: &str) -> Result<String> {
    let bytes = blob.content();
    // Only a NUL byte makes a draft binary: libgit2's heuristic also calls
    // text binary for a few control characters, which a copy out of a PDF
    // with a legacy font leaves in real drafts (the checks report them).
    if bytes.contains(&0) {
        return Err(Error::Binary {
            path: path.to_string(),
            blob: blob.id().to_string(),
        });
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| Error::NotUtf8 {
        path: path.to_string(),
        blob: blob.id().to_string(),
        offset: e.utf8_error().valid_up_to(),
    })
}

/// Parses TOML text of the file `path`, naming it and the line in errors.
pub fn parse_toml_text<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T> {
    parse_toml(path, text)
}

/// Parses a TOML file read from the repository, naming it in errors.
pub(crate) fn parse_toml<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| malformed(path, text, &e))
}

/// The blob id git gives `content`.
pub fn blob_id(content: &[u8]) -> Result<String> {
    Ok(Oid::hash_object(git2::ObjectType::Blob, content)?.to_string())
}
