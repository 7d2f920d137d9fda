//! Pure data of the drafts repository: drafts, revisions, decisions, status,
//! the trust list, and Vietnamese text helpers. Imports nothing of ours.

pub mod id;
pub mod safe;
pub mod text;
pub mod trust;

use serde::{Deserialize, Serialize};

/// The kind of an official document (Nghị định 30, Phụ lục III).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Công văn: an administrative letter.
    CongVan,
    /// Quyết định: a decision.
    QuyetDinh,
    /// Kế hoạch: a plan.
    KeHoach,
    /// Thông báo: a notice.
    ThongBao,
    /// Tờ trình: a submission to a superior body.
    ToTrinh,
    /// Báo cáo: a report.
    BaoCao,
}

impl Kind {
    /// All kinds, in the order they are offered to users.
    pub const ALL: [Kind; 6] = [
        Kind::CongVan,
        Kind::QuyetDinh,
        Kind::KeHoach,
        Kind::ThongBao,
        Kind::ToTrinh,
        Kind::BaoCao,
    ];

    /// The identifier used in meta.toml.
    pub fn key(self) -> &'static str {
        match self {
            Kind::CongVan => "cong-van",
            Kind::QuyetDinh => "quyet-dinh",
            Kind::KeHoach => "ke-hoach",
            Kind::ThongBao => "thong-bao",
            Kind::ToTrinh => "to-trinh",
            Kind::BaoCao => "bao-cao",
        }
    }

    /// The Vietnamese name of the kind.
    pub fn name_vi(self) -> &'static str {
        match self {
            Kind::CongVan => "Công văn",
            Kind::QuyetDinh => "Quyết định",
            Kind::KeHoach => "Kế hoạch",
            Kind::ThongBao => "Thông báo",
            Kind::ToTrinh => "Tờ trình",
            Kind::BaoCao => "Báo cáo",
        }
    }

    /// The kind's abbreviation in a symbol ("QĐ" in "Số: 12/QĐ-STTTT"); a
    /// công văn has none (its symbol is body and unit).
    pub fn abbreviation(self) -> Option<&'static str> {
        match self {
            Kind::CongVan => None,
            Kind::QuyetDinh => Some("QĐ"),
            Kind::KeHoach => Some("KH"),
            Kind::ThongBao => Some("TB"),
            Kind::ToTrinh => Some("TTr"),
            Kind::BaoCao => Some("BC"),
        }
    }

    /// The English name of the kind.
    pub fn name_en(self) -> &'static str {
        match self {
            Kind::CongVan => "Official letter",
            Kind::QuyetDinh => "Decision",
            Kind::KeHoach => "Plan",
            Kind::ThongBao => "Notice",
            Kind::ToTrinh => "Submission",
            Kind::BaoCao => "Report",
        }
    }
}

/// `meta.toml`: what a draft is about and who wrote it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Trích yếu: the subject line.
    pub title: String,
    /// The document kind.
    pub kind: Kind,
    /// Issuing body, e.g. "Sở Thông tin và Truyền thông tỉnh Lạng Sơn".
    #[serde(default)]
    pub body: String,
    /// Drafting unit abbreviation, e.g. "TTBCXB".
    #[serde(default)]
    pub unit: String,
    /// The drafter's name (chuyên viên).
    #[serde(default)]
    pub drafter: String,
    /// Who is expected to sign, e.g. "Phó Giám đốc".
    #[serde(default)]
    pub signer: String,
}

/// A reviewer's decision on one revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    /// Duyệt: approved for signing.
    Approved,
    /// Trả lại: returned to the drafter with comments.
    Returned,
}

impl Decision {
    /// The word used in the `Decision:` trailer and in review.toml.
    pub fn key(self) -> &'static str {
        match self {
            Decision::Approved => "approved",
            Decision::Returned => "returned",
        }
    }

    /// Parses the trailer / review.toml word.
    pub fn parse(s: &str) -> Option<Decision> {
        match s.trim() {
            "approved" => Some(Decision::Approved),
            "returned" => Some(Decision::Returned),
            _ => None,
        }
    }

    /// The subject prefix of a decision commit ("Duyệt" / "Trả lại").
    pub fn subject_prefix(self) -> &'static str {
        match self {
            Decision::Approved => "Duyệt",
            Decision::Returned => "Trả lại",
        }
    }
}

/// A note anchored to a line of the decided revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// 1-based line number in the decided revision of draft.md.
    pub line: usize,
    /// The note.
    pub text: String,
}

/// `review.toml`: the latest decision on a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Approved or returned.
    pub decision: Decision,
    /// Blob id of the draft.md that was decided.
    pub revision: String,
    /// The reviewer's name.
    pub reviewer: String,
    /// The reviewer's e-mail.
    #[serde(default)]
    pub email: String,
    /// When the decision was made (RFC 3339).
    pub time: String,
    /// The reviewer's comment (ý kiến).
    #[serde(default)]
    pub comment: String,
    /// Line-anchored notes.
    #[serde(default, rename = "note", skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<Note>,
}

/// Status of a draft at HEAD (design.md section 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// No decision yet.
    Pending,
    /// Approved, then changed: pending again and flagged.
    ChangedAfterApproval,
    /// Returned, then revised: pending again.
    Revised,
    /// Returned to the drafter.
    Returned,
    /// Approved on exactly the current text.
    Approved,
}

impl Status {
    /// All statuses, in display order.
    pub const ALL: [Status; 5] = [
        Status::Pending,
        Status::ChangedAfterApproval,
        Status::Revised,
        Status::Returned,
        Status::Approved,
    ];

    /// Computes the status from the review at HEAD and draft.md's blob id at HEAD.
    pub fn of(review: Option<&Review>, draft_blob: &str) -> Status {
        match review {
            None => Status::Pending,
            Some(r) => {
                let same = r.revision == draft_blob;
                match (r.decision, same) {
                    (Decision::Approved, true) => Status::Approved,
                    (Decision::Approved, false) => Status::ChangedAfterApproval,
                    (Decision::Returned, true) => Status::Returned,
                    (Decision::Returned, false) => Status::Revised,
                }
            }
        }
    }

    /// Whether a leader should review it now.
    pub fn awaits_review(self) -> bool {
        matches!(
            self,
            Status::Pending | Status::ChangedAfterApproval | Status::Revised
        )
    }

    /// The stable identifier used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::ChangedAfterApproval => "changed-after-approval",
            Status::Revised => "revised",
            Status::Returned => "returned",
            Status::Approved => "approved",
        }
    }

    /// Parses [`Status::key`].
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.key() == s)
    }

    /// A symbol that tells the status apart without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Pending => "●",
            Status::ChangedAfterApproval => "!",
            Status::Revised => "↻",
            Status::Returned => "↩",
            Status::Approved => "✓",
        }
    }
}

/// One draft as listed at HEAD.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DraftSummary {
    /// The stable slug.
    pub id: String,
    /// The year the draft was opened.
    pub year: String,
    /// Its folder in the repository, e.g. `drafts/2024/cv-tuyen-truyen-cchc`.
    pub path: String,
    /// meta.toml.
    pub meta: Meta,
    /// review.toml, if any.
    pub review: Option<Review>,
    /// Blob id of draft.md at HEAD.
    pub draft_blob: String,
    /// Status per design.md section 2.
    pub status: Status,
    /// Blob id of review.toml at HEAD, if any.
    pub review_blob: Option<String>,
    /// Whether the folder, its year folder, `drafts/` and the root hold
    /// nothing git would read differently (see the audit's tree checks).
    pub sound: bool,
    /// Whether the decision at HEAD verified in the audit of HEAD:
    /// `Some(false)` also when the folder is not sound; `None` when there
    /// is no decision or no audit of HEAD yet. Filled by `ops`.
    pub verified: Option<bool>,
}

/// A point in time as git records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Time {
    /// Seconds since the Unix epoch.
    pub seconds: i64,
    /// Offset from UTC in minutes.
    pub offset_minutes: i32,
}

/// A revision of a draft: a commit that changed its draft.md.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Revision {
    /// 1-based number along first-parent history.
    pub number: usize,
    /// Blob id of draft.md.
    pub blob: String,
    /// The commit that introduced it.
    pub commit: String,
    /// Author name.
    pub author: String,
    /// Author e-mail.
    pub email: String,
    /// Author time.
    pub time: Time,
    /// First line of the commit message.
    pub summary: String,
}

/// A decision commit in a draft's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DecisionRecord {
    /// The decision commit.
    pub commit: String,
    /// review.toml as written by that commit.
    pub review: Review,
    /// Number of the decided revision, when it is one of the draft's revisions.
    pub revision_number: Option<usize>,
    /// Committer time.
    pub time: Time,
    /// Whether this decision commit verified in the audit of HEAD (`None`:
    /// no audit of HEAD yet). Filled by `ops`.
    pub verified: Option<bool>,
}

/// A draft's history: its revisions and the decisions between them, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct History {
    /// The draft id.
    pub id: String,
    /// Revisions, oldest first.
    pub revisions: Vec<Revision>,
    /// Decisions, oldest first.
    pub decisions: Vec<DecisionRecord>,
}

impl History {
    /// The revision whose blob is `blob`, if any.
    pub fn revision_by_blob(&self, blob: &str) -> Option<&Revision> {
        self.revisions.iter().find(|r| r.blob == blob)
    }

    /// Decisions made on the revision numbered `n`.
    pub fn decisions_on(&self, n: usize) -> impl Iterator<Item = &DecisionRecord> {
        self.decisions
            .iter()
            .filter(move |d| d.revision_number == Some(n))
    }

    /// The pair of revisions to compare by default: the last decided revision
    /// (or else the one before the newest) against the newest. `None` for the
    /// old side means "nothing" (the draft has one revision).
    pub fn default_pair(&self) -> Option<(Option<usize>, usize)> {
        let newest = self.revisions.last()?.number;
        let decided = self
            .decisions
            .iter()
            .rev()
            .find_map(|d| d.revision_number)
            .filter(|&n| n < newest);
        let old = decided.or(if newest > 1 { Some(newest - 1) } else { None });
        Some((old, newest))
    }
}

/// How far a long walk over history has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Count {
    /// Commits looked at so far.
    pub done: usize,
    /// Commits to look at in all, when known.
    pub total: Option<usize>,
}

impl Count {
    /// The share done, 0 to 100, when the total is known.
    pub fn percent(&self) -> Option<usize> {
        self.total
            .filter(|t| *t > 0)
            .map(|t| (self.done.min(t) * 100) / t)
    }
}
