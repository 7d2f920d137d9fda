//! Errors of the repository layer: each says what went wrong and what to do.

use std::path::PathBuf;

/// Result alias of the repo layer.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What can go wrong reading or writing a drafts repository.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The path is not inside a git repository.
    #[error(
        "{0} is not a git repository (nor inside one): pass --repo PATH, or run `duyet demo` to make a sample"
    )]
    NotARepo(PathBuf),
    /// The repository has no commit yet.
    #[error(
        "the repository at {0} has no commits yet: add drafts under drafts/<year>/<id>/ and commit them, or run `duyet demo`"
    )]
    Empty(PathBuf),
    /// HEAD is detached where a branch is needed.
    #[error(
        "HEAD is detached: decisions are recorded on a branch; run `git switch <branch>` first"
    )]
    DetachedHead,
    /// The signing key is not entitled to what is being recorded.
    #[error(
        "your signing key {key} is not {} {role}'s in the trust list at HEAD{}: nothing was written. An admin ({admins}) can add it with `duyet trust add --name \"…\" --email … --role {role} --ssh KEY.pub` (or --openpgp/--x509 FINGERPRINT)",
        if role.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" },
        who.as_ref().map(|w| format!(" (it is {w}'s, without that role)")).unwrap_or_default()
    )]
    NotEntitled {
        /// The key's fingerprint.
        key: String,
        /// The member who owns it, if any.
        who: Option<String>,
        /// The role needed.
        role: &'static str,
        /// Who can add it.
        admins: String,
    },
    /// A final approval before the route's required steps were approved on
    /// the current text.
    #[error(
        "'{id}' cannot be approved yet: the route policy requires the {} check approved on this revision first (`duyet approve {id} --step {}` by the person charged with it); nothing was written",
        missing.iter().map(|s| s.key()).collect::<Vec<_>>().join(" and "),
        missing.first().map(|s| s.key()).unwrap_or("content")
    )]
    RouteIncomplete {
        /// The draft.
        id: String,
        /// The steps not approved on the current text, in route order.
        missing: Vec<crate::model::Step>,
    },
    /// A final approval whose required step did not verify in the audit.
    #[error(
        "'{id}' cannot be approved: its {} check on this revision does not verify in the audit of HEAD (`duyet audit` says why); nothing was written",
        step.key()
    )]
    StepNotVerified {
        /// The draft.
        id: String,
        /// The step.
        step: crate::model::Step,
    },
    /// A content check by someone who does not answer for the draft's unit.
    #[error(
        "{who} does not answer for the drafting unit '{unit}' (their units in the trust list at HEAD): the content check is the head of that unit's; nothing was written"
    )]
    NotForUnit {
        /// Who signs.
        who: String,
        /// The draft's unit.
        unit: String,
    },
    /// The audit's judge would reject the commit.
    #[error("the audit would reject this: {0}. Nothing was written")]
    Refused(String),
    /// A shallow clone: the audit needs every commit.
    #[error("shallow clone: the audit needs the whole history: git fetch --unshallow")]
    Shallow,
    /// No commit by that name.
    #[error("no commit '{0}' in this repository")]
    NoSuchCommit(String),
    /// No draft has this id at HEAD.
    #[error("no draft with id '{0}' at HEAD: `duyet list --status all` shows the ids")]
    NoSuchDraft(String),
    /// A name that is not a draft id (see `model::id`).
    #[error(
        "'{0}' is not a valid draft id: use lower-case letters a-z, digits and '-', starting with a letter or digit, at most 64 characters"
    )]
    InvalidId(String),
    /// A folder under drafts/ whose name is not a year or a draft id: duyet
    /// never uses it.
    #[error(
        "{0}: not a draft folder (its name is not a valid year or draft id); duyet ignores it — rename it with git mv"
    )]
    InvalidFolder(String),
    /// A draft with this id exists already.
    #[error("a draft with id '{0}' exists already; choose another --id")]
    DraftExists(String),
    /// A new draft without a title.
    #[error("a new draft needs a title (--title \"…\")")]
    MissingTitle,
    /// A revision without a message.
    #[error("a revision needs a message (-m) saying what changed")]
    MissingMessage,
    /// The draft's text is binary or not UTF-8: no one can have read it.
    #[error(
        "draft '{id}' cannot be approved or returned: its text {path} (blob {blob:.10}) is {what}, so no one can have read it; save it as UTF-8 text and submit a new revision"
    )]
    UnreadableDraft {
        /// Draft id.
        id: String,
        /// Path of draft.md.
        path: String,
        /// Blob id.
        blob: String,
        /// "binary" or "not valid UTF-8".
        what: &'static str,
    },
    /// A key given to `trust add` is listed already.
    #[error(
        "the key {key} is already in the trust list, for {member}: a key belongs to one member; use `duyet trust remove` first to move it"
    )]
    KeyListed {
        /// The key as given (type and base64, or fingerprint).
        key: String,
        /// Name and e-mail of the member who has it.
        member: String,
    },
    /// `trust remove` selected nobody.
    #[error("no member of the trust list matches {0}")]
    NoSuchMember(String),
    /// `trust remove` selected several members.
    #[error(
        "{selection} matches {count} members of the trust list: {members}; choose one by adding its --key to the command"
    )]
    AmbiguousMember {
        /// What was asked for.
        selection: String,
        /// How many match.
        count: usize,
        /// Who matches, with a key of each.
        members: String,
    },
    /// Removing the last admin would leave no one able to change the list.
    #[error(
        "{0} is the last admin of the trust list: add another admin first (duyet trust add --role admin ...), or no one could change the list again"
    )]
    LastAdmin(String),
    /// A revision number past the last one.
    #[error("draft '{id}' has {count} revision(s): there is no revision {asked}")]
    RevisionOutOfRange {
        /// Draft id.
        id: String,
        /// How many revisions it has.
        count: usize,
        /// What was asked for.
        asked: usize,
    },
    /// Neither a number nor a blob id prefix of a revision.
    #[error("no revision of draft '{id}' matches '{spec}': give a number (1, 2, ...) or a blob id")]
    NoSuchRevision {
        /// Draft id.
        id: String,
        /// What was asked for.
        spec: String,
    },
    /// A file that should be text holds binary data.
    #[error("{path} (blob {blob}) is binary, not text: duyet shows no diff of it")]
    Binary {
        /// Path in the repository.
        path: String,
        /// Blob id.
        blob: String,
    },
    /// A file that should be UTF-8 text is not.
    #[error(
        "{path} (blob {blob}) is not valid UTF-8 (first bad byte at offset {offset}): save it as UTF-8"
    )]
    NotUtf8 {
        /// Path in the repository.
        path: String,
        /// Blob id.
        blob: String,
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// meta.toml, review.toml or trust.toml cannot be read.
    #[error("{path}:{line}: {message}")]
    Malformed {
        /// Path in the repository.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// A draft folder without its draft.md or meta.toml.
    #[error("{path}: missing {file}")]
    Incomplete {
        /// The draft's folder.
        path: String,
        /// The missing file.
        file: &'static str,
    },
    /// Another process holds a git lock.
    #[error(
        "another git process holds a lock on this repository ({0}): wait for it to finish, or remove the stale .lock file if none is running"
    )]
    Locked(String),
    /// A `.lock` file of git's is in the way: another git or duyet process
    /// is writing, or a killed one left it behind. Nothing was written.
    #[error(
        "another git process holds a lock on this repository ({}), or one was killed and left it behind; nothing was written: if no git or duyet is running, remove it (rm '{}') and try again", .0.display(), .0.display()
    )]
    LockHeld(PathBuf),
    /// Writing failed before the branch moved (a full disk, say): the
    /// commit is not made and nothing a user sees changed.
    #[error("{0}; nothing was recorded: the branch, index and work tree are as they were")]
    NotRecorded(Box<Error>),
    /// The branch moved between reading and writing.
    #[error(
        "the branch {0} moved while deciding (someone else committed); nothing was written: reload and decide again"
    )]
    BranchMoved(String),
    /// A local change would be overwritten.
    #[error(
        "{0} has local changes; nothing was written: commit or discard them first (git status shows them)"
    )]
    LocalChanges(String),
    /// The draft changed since the revision the reviewer read.
    #[error(
        "draft '{id}' changed since revision {expected}: its newest revision is {actual}; read it before deciding"
    )]
    StaleRevision {
        /// Draft id.
        id: String,
        /// The revision the caller read.
        expected: String,
        /// The newest revision.
        actual: String,
    },
    /// Signing failed; nothing was written.
    #[error("signing failed, nothing was written: {0}")]
    Sign(String),
    /// The remote refused or failed.
    #[error("{0}")]
    Remote(String),
    /// Concurrent work on the same draft: nothing was integrated.
    #[error("{0}")]
    Conflict(String),
    /// Reading or writing a file.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Anything else git reports.
    #[error("git: {0}")]
    Git(git2::Error),
}

impl Error {
    /// The Vietnamese text of the errors that have one (the [`Display`]
    /// text is English).
    ///
    /// [`Display`]: std::fmt::Display
    pub fn vietnamese(&self) -> Option<String> {
        match self {
            Error::LockHeld(p) => Some(format!(
                "một tiến trình git khác đang giữ khóa của kho ({0}), hoặc một tiến trình đã bị dừng đột ngột và để lại tệp này; chưa ghi gì cả: nếu không có git hay duyet nào đang chạy, hãy xóa nó (rm '{0}') rồi làm lại",
                p.display()
            )),
            Error::NotRecorded(e) => Some(format!(
                "{}; chưa ghi nhận gì: nhánh, chỉ mục và thư mục làm việc vẫn như cũ",
                e.vietnamese().unwrap_or_else(|| e.to_string())
            )),
            Error::NotEntitled {
                key,
                who,
                role,
                admins,
            } => Some(format!(
                "khóa ký {key} không thuộc người có vai trò {role} trong danh sách tin cậy ở HEAD{}: chưa ghi gì cả. Quản trị ({admins}) có thể thêm bằng `duyet trust add --name \"…\" --email … --role {role} --ssh KEY.pub`",
                who.as_ref()
                    .map(|w| format!(" (khóa của {w}, không có vai trò đó)"))
                    .unwrap_or_default()
            )),
            Error::RouteIncomplete { id, missing } => {
                let steps: Vec<&str> = missing
                    .iter()
                    .map(|s| match s {
                        crate::model::Step::Content => "kiểm tra nội dung",
                        crate::model::Step::Form => "kiểm tra thể thức",
                        crate::model::Step::Final => "duyệt",
                    })
                    .collect();
                Some(format!(
                    "chưa thể duyệt '{id}': quy định luồng trình duyệt cần {} đồng ý trên đúng bản này trước (`duyet approve {id} --step {}` do người có trách nhiệm ký); chưa ghi gì cả",
                    steps.join(" và "),
                    missing.first().map(|s| s.key()).unwrap_or("content")
                ))
            }
            Error::StepNotVerified { id, step } => Some(format!(
                "chưa thể duyệt '{id}': {} trên bản này không hợp lệ theo lần kiểm tra chữ ký của HEAD (`duyet audit` cho biết lý do); chưa ghi gì cả",
                match step {
                    crate::model::Step::Content => "kiểm tra nội dung",
                    crate::model::Step::Form => "kiểm tra thể thức",
                    crate::model::Step::Final => "quyết định",
                }
            )),
            Error::NotForUnit { who, unit } => Some(format!(
                "{who} không chịu trách nhiệm về đơn vị soạn thảo '{unit}' (theo danh sách tin cậy ở HEAD): kiểm tra nội dung là việc của lãnh đạo đơn vị đó; chưa ghi gì cả"
            )),
            Error::BranchMoved(b) => Some(format!(
                "nhánh {b} đã thay đổi trong khi đang quyết định (có người khác vừa commit); chưa ghi gì cả: tải lại rồi quyết định lại"
            )),
            Error::LocalChanges(p) => Some(format!(
                "{p} có thay đổi cục bộ; chưa ghi gì cả: hãy commit hoặc bỏ các thay đổi đó trước (git status cho thấy chúng)"
            )),
            _ => None,
        }
    }
}

/// Marks a failure to read or write (not a refusal) that happened before
/// the branch moved as [`Error::NotRecorded`].
pub(crate) fn unrecorded(e: Error) -> Error {
    match e {
        Error::Io { .. } | Error::Git(_) => Error::NotRecorded(Box::new(e)),
        e => e,
    }
}

impl From<git2::Error> for Error {
    fn from(e: git2::Error) -> Self {
        if e.code() == git2::ErrorCode::Locked {
            Error::Locked(e.message().to_string())
        } else {
            Error::Git(e)
        }
    }
}

/// Turns a TOML parse error into [`Error::Malformed`] naming the file and line.
pub fn malformed(path: &str, text: &str, err: &toml::de::Error) -> Error {
    let line = err
        .span()
        .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
        .unwrap_or(1);
    Error::Malformed {
        path: path.to_string(),
        line,
        message: err.message().trim().to_string(),
    }
}
