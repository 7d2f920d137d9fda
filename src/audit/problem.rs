//! What the audit finds wrong with a commit, in plain words.

use serde::{Deserialize, Serialize};

use crate::repo::TreeFault;

/// What is wrong with a commit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Problem {
    /// No introduction: no commit adds the trust list.
    NoIntroduction,
    /// A protected change without a signature.
    Unsigned,
    /// The signature does not verify.
    BadSignature {
        /// Why.
        reason: String,
    },
    /// The key is not in the parent's trust list.
    UnknownKey {
        /// The key.
        key: String,
    },
    /// The signer lacks the role.
    NotAuthorized {
        /// Who signed.
        name: String,
        /// The role needed.
        role: String,
    },
    /// A content check signed by someone who does not answer for the
    /// draft's drafting unit.
    NotForUnit {
        /// Who signed.
        name: String,
        /// The draft's unit (meta.toml).
        unit: String,
    },
    /// A final approval before the steps the route policy requires were
    /// approved on the same revision.
    StepsMissing {
        /// The draft's kind.
        draft_kind: String,
        /// The steps missing (content, form).
        steps: Vec<String>,
    },
    /// A final approval resting on a step decision that did not verify.
    StepNotVerified {
        /// The steps (content, form).
        steps: Vec<String>,
    },
    /// A decision commit that changes other files too.
    ExtraFiles {
        /// The other files.
        files: Vec<String>,
    },
    /// Trailers and review.toml disagree.
    TrailerMismatch {
        /// What differs.
        detail: String,
    },
    /// The decided revision is not the draft's text in that commit.
    RevisionNotInTree {
        /// The Revision.
        revision: String,
        /// draft.md's blob in the tree.
        actual: String,
    },
    /// review.toml names someone other than the trust-list member who signed.
    ReviewerNotSigner {
        /// review.toml's path.
        path: String,
        /// Name and e-mail in review.toml.
        named: String,
        /// Name and e-mail of the member whose key signed.
        signer: String,
    },
    /// review.toml's time is not the commit's time.
    TimeMismatch {
        /// review.toml's path.
        path: String,
        /// review.toml's time.
        review: String,
        /// The committer time (RFC 3339).
        commit: String,
    },
    /// A review.toml or trust.toml that cannot be read.
    Malformed {
        /// The error.
        detail: String,
    },
    /// A tree under `drafts/` or `.duyet/` that git reads differently, or
    /// refuses.
    BadTree {
        /// The folder ("" for the root).
        path: String,
        /// What is wrong.
        fault: TreeFault,
    },
    /// A merge whose content for these paths is not the three-way result
    /// of its parents, and that is not signed by someone holding the role
    /// in the trust list of every parent.
    MergeIntroduces {
        /// The paths.
        files: Vec<String>,
    },
    /// A decision or trust change brought through a merge whose signer does
    /// not hold the role in the trust list of every parent of the merge.
    MergeCarries {
        /// The path.
        path: String,
        /// The commit that wrote it.
        writer: String,
        /// Why it does not count.
        reason: String,
    },
    /// The pinned introduction is not in the audited history.
    PinNotInHistory {
        /// The pinned commit.
        pin: String,
    },
    /// The pinned introduction is not signed by the pinned key.
    PinKeyMismatch {
        /// The pinned fingerprint.
        expected: String,
        /// What signed it (or why nothing verified).
        actual: String,
    },
    /// The recorded audit head is no longer in history.
    HistoryRewritten {
        /// The recorded head.
        recorded: String,
        /// The current head.
        head: String,
    },
}

/// One finding: the commit and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The commit.
    pub commit: String,
    /// What is wrong.
    pub problem: Problem,
    /// A plain explanation.
    pub message: String,
}

/// A plain explanation of `p`.
pub fn explain(p: &Problem) -> String {
    match p {
        Problem::NoIntroduction => {
            "no commit adds .duyet/trust.toml: there is nothing to trust; pass --intro COMMIT"
                .into()
        }
        Problem::Unsigned => "changes a review.toml or the trust list but is not signed".into(),
        Problem::BadSignature { reason } => format!("the signature does not verify: {reason}"),
        Problem::UnknownKey { key } => {
            format!("signed with a key that is not in its parent's trust list: {key}")
        }
        Problem::NotAuthorized { name, role } => {
            let role = match role.as_str() {
                "content" => "a content checker (role content)",
                "form" => "a form checker (role form)",
                "admin" => "an admin",
                "approver" => "an approver",
                other => other,
            };
            format!("signed by {name}, who is not {role} in its parent's trust list")
        }
        Problem::NotForUnit { name, unit } => format!(
            "a content check signed by {name}, who does not answer for the drafting unit '{unit}' (their units in its parent's trust list)"
        ),
        Problem::StepsMissing { draft_kind, steps } => format!(
            "a final approval before the {} check was approved on this revision, as the route policy requires for {draft_kind} (Nghị định 30, Điều 12)",
            steps.join(" and ")
        ),
        Problem::StepNotVerified { steps } => format!(
            "a final approval resting on a {} check that does not verify (see that commit's finding)",
            steps.join(" and ")
        ),
        Problem::ExtraFiles { files } => {
            format!("a decision commit that also changes {}", files.join(", "))
        }
        Problem::TrailerMismatch { detail } => {
            format!("the trailers disagree with review.toml: {detail}")
        }
        Problem::RevisionNotInTree { revision, actual } => {
            format!(
                "Revision {revision} is not the draft's text in this commit (draft.md is {actual})"
            )
        }
        Problem::ReviewerNotSigner {
            path,
            named,
            signer,
        } => format!("{path} names {named} as the reviewer, but the commit is signed by {signer}"),
        Problem::TimeMismatch {
            path,
            review,
            commit,
        } => format!(
            "{path} says the decision was made at {review}, but the commit was made at {commit}"
        ),
        Problem::Malformed { detail } => format!("cannot be read: {detail}"),
        Problem::BadTree { path, fault } => {
            let at = if path.is_empty() {
                "the root folder".to_string()
            } else {
                path.clone()
            };
            format!("in {at}: {}", fault.explain())
        }
        Problem::MergeIntroduces { files } => format!(
            "a merge that changes {} itself (not as one side changed it), without the signature of someone entitled to in the trust list of every parent",
            files.join(", ")
        ),
        Problem::MergeCarries {
            path,
            writer,
            reason,
        } => {
            format!("a merge brings {path} as written by {writer}, which does not count: {reason}")
        }
        Problem::PinNotInHistory { pin } => format!(
            "the pinned introduction {pin} is not in this history: this is not the history your office pinned"
        ),
        Problem::PinKeyMismatch { expected, actual } => {
            format!("the pinned introduction must be signed by {expected}, but: {actual}")
        }
        Problem::HistoryRewritten { recorded, head } => format!(
            "history was rewritten: the head of the last audit, {recorded}, is not an ancestor of the current head {head}"
        ),
    }
}

/// A plain explanation of `p` in Vietnamese (the same facts as [`explain`]).
pub fn explain_vi(p: &Problem) -> String {
    match p {
        Problem::NoIntroduction => {
            "không commit nào thêm .duyet/trust.toml: không có gì để tin; dùng --intro COMMIT"
                .into()
        }
        Problem::Unsigned => "sửa review.toml hoặc danh sách tin cậy nhưng không được ký".into(),
        Problem::BadSignature { reason } => format!("chữ ký không hợp lệ: {reason}"),
        Problem::UnknownKey { key } => {
            format!("ký bằng khóa không có trong danh sách tin cậy của commit cha: {key}")
        }
        Problem::NotAuthorized { name, role } => format!(
            "do {name} ký, người không có vai trò {role} trong danh sách tin cậy của commit cha"
        ),
        Problem::NotForUnit { name, unit } => format!(
            "kiểm tra nội dung do {name} ký, người không chịu trách nhiệm về đơn vị soạn thảo '{unit}' (đơn vị của họ trong danh sách tin cậy của commit cha)"
        ),
        Problem::StepsMissing { draft_kind, steps } => {
            let steps: Vec<&str> = steps
                .iter()
                .map(|s| match s.as_str() {
                    "content" => "kiểm tra nội dung",
                    "form" => "kiểm tra thể thức",
                    other => other,
                })
                .collect();
            format!(
                "duyệt khi chưa có {} đồng ý trên đúng bản này, như quy định luồng trình duyệt cho loại {draft_kind} (Nghị định 30, Điều 12)",
                steps.join(" và ")
            )
        }
        Problem::StepNotVerified { steps } => {
            let steps: Vec<&str> = steps
                .iter()
                .map(|s| match s.as_str() {
                    "content" => "kiểm tra nội dung",
                    "form" => "kiểm tra thể thức",
                    other => other,
                })
                .collect();
            format!(
                "duyệt dựa trên {} không hợp lệ (xem phát hiện của commit đó)",
                steps.join(" và ")
            )
        }
        Problem::ExtraFiles { files } => {
            format!("commit quyết định mà sửa cả {}", files.join(", "))
        }
        Problem::TrailerMismatch { detail } => {
            format!("phần cuối thông điệp không khớp review.toml: {detail}")
        }
        Problem::RevisionNotInTree { revision, actual } => format!(
            "Revision {revision} không phải văn bản dự thảo trong commit này (draft.md là {actual})"
        ),
        Problem::ReviewerNotSigner {
            path,
            named,
            signer,
        } => format!("{path} ghi người duyệt là {named}, nhưng commit do {signer} ký"),
        Problem::TimeMismatch {
            path,
            review,
            commit,
        } => format!("{path} ghi thời điểm duyệt {review}, nhưng commit được tạo lúc {commit}"),
        Problem::Malformed { detail } => format!("không đọc được: {detail}"),
        Problem::BadTree { path, fault } => {
            let at = if path.is_empty() {
                "thư mục gốc".to_string()
            } else {
                path.clone()
            };
            format!(
                "trong {at}: git đọc khác hoặc từ chối ({})",
                fault.explain()
            )
        }
        Problem::MergeIntroduces { files } => format!(
            "commit hợp nhất tự sửa {} (không phải thay đổi của một bên) mà không có chữ ký của người có quyền trong danh sách tin cậy của mọi commit cha",
            files.join(", ")
        ),
        Problem::MergeCarries {
            path,
            writer,
            reason,
        } => format!(
            "commit hợp nhất đưa vào {path} do commit {writer} viết, nhưng không được tính: {reason}"
        ),
        Problem::PinNotInHistory { pin } => format!(
            "commit giới thiệu đã ghim {pin} không có trong lịch sử này: đây không phải lịch sử mà cơ quan đã ghim"
        ),
        Problem::PinKeyMismatch { expected, actual } => {
            format!("commit giới thiệu đã ghim phải do khóa {expected} ký, nhưng: {actual}")
        }
        Problem::HistoryRewritten { recorded, head } => format!(
            "lịch sử đã bị viết lại: đầu nhánh của lần kiểm tra trước, {recorded}, không phải tổ tiên của đầu nhánh hiện tại {head}"
        ),
    }
}

/// A finding about `commit`.
pub fn finding(commit: &str, problem: Problem) -> Finding {
    Finding {
        commit: commit.to_string(),
        message: explain(&problem),
        problem,
    }
}
