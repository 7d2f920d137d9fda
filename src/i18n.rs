//! The interface language and every user-facing string of the TUI and CLI,
//! one table per language.

use crate::model::{Kind, Status};

/// Interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Tiếng Việt.
    Vi,
    /// English.
    #[default]
    En,
}

impl Lang {
    /// Parses "vi" / "en" (and locale names such as "vi_VN.UTF-8").
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s.starts_with("vi") {
            Some(Lang::Vi)
        } else if s.starts_with("en") || s == "c" || s == "posix" || s.starts_with("c.") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From LC_ALL, LC_MESSAGES, LANG (the first one set): vi_* gives Vietnamese.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.to_ascii_lowercase().starts_with("vi") {
                    Lang::Vi
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }

    /// The status's name.
    /// What a decided draft's status column says when its decision at
    /// HEAD did not verify (`Some(false)`) or was not audited (`None`).
    pub fn unverified(self, verified: Option<bool>) -> &'static str {
        match (self, verified) {
            (Lang::Vi, Some(false)) => "không hợp lệ",
            (Lang::En, Some(false)) => "invalid",
            (Lang::Vi, _) => "chưa kiểm tra",
            (Lang::En, _) => "not yet audited",
        }
    }

    pub fn status(self, s: Status) -> &'static str {
        match (self, s) {
            (Lang::Vi, Status::Pending) => "chờ duyệt",
            (Lang::Vi, Status::ChangedAfterApproval) => "sửa sau duyệt",
            (Lang::Vi, Status::Revised) => "đã sửa lại",
            (Lang::Vi, Status::Returned) => "trả lại",
            (Lang::Vi, Status::Approved) => "đã duyệt",
            (Lang::En, Status::Pending) => "pending",
            (Lang::En, Status::ChangedAfterApproval) => "changed after approval",
            (Lang::En, Status::Revised) => "revised",
            (Lang::En, Status::Returned) => "returned",
            (Lang::En, Status::Approved) => "approved",
        }
    }

    /// The kind's name.
    pub fn kind(self, k: Kind) -> &'static str {
        match self {
            Lang::Vi => k.name_vi(),
            Lang::En => k.name_en(),
        }
    }

    /// A user-facing string by key.
    pub fn t(self, key: Msg) -> &'static str {
        let (vi, en) = key.texts();
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
}

macro_rules! messages {
    ($($name:ident => $vi:literal, $en:literal;)*) => {
        /// Keys of user-facing strings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg {
            $(
                #[doc = $en]
                $name,
            )*
        }

        impl Msg {
            /// (Vietnamese, English).
            pub fn texts(self) -> (&'static str, &'static str) {
                match self {
                    $(Msg::$name => ($vi, $en),)*
                }
            }
        }
    };
}

messages! {
    Drafts => "Dự thảo", "Drafts";
    Title => "Trích yếu", "Title";
    StatusCol => "Trạng thái", "Status";
    Unit => "Đơn vị", "Unit";
    Drafter => "Người soạn", "Drafter";
    Revisions => "Lần sửa", "Revs";
    Age => "Cập nhật", "Updated";
    Kind => "Loại", "Kind";
    Id => "Mã", "Id";
    Signer => "Người ký", "Signer";
    LatestDecision => "Quyết định gần nhất", "Latest decision";
    NoDecision => "Chưa có quyết định", "No decision yet";
    Comment => "Ý kiến", "Comment";
    Notes => "Ghi chú theo dòng", "Line notes";
    History => "Lịch sử", "History";
    Diff => "So sánh", "Diff";
    Help => "Trợ giúp", "Help";
    Search => "Tìm", "Search";
    Filter => "Lọc", "Filter";
    FilterWaiting => "chờ xử lý", "waiting";
    FilterAll => "tất cả", "all";
    SortAge => "mới nhất", "newest";
    SortTitle => "theo trích yếu", "by title";
    Loading => "Đang tải…", "Loading…";
    Indexing => "lập chỉ mục lịch sử", "indexing history";
    Auditing => "kiểm tra chữ ký", "auditing";
    Commits => "commit", "commits";
    NoDrafts => "Không có dự thảo nào khớp", "No draft matches";
    Unified => "một cột", "unified";
    SideBySide => "hai cột", "side by side";
    Since => "từ", "from";
    To => "đến", "to";
    Nothing => "(trống)", "(nothing)";
    SameTextNormalForm => "Hai bản chỉ khác dạng chuẩn Unicode (NFC/NFD): nội dung như nhau", "The revisions differ only in Unicode normal form (NFC/NFD): the text is the same";
    Normalized => "Văn bản đã được chuẩn hóa NFC trước khi so sánh", "Text was normalised to NFC before comparing";
    LineEndings => "Kiểu xuống dòng đã đổi (CRLF/LF); không tính là thay đổi", "Line endings changed (CRLF/LF); not shown as changes";
    NoChanges => "Không có thay đổi", "No changes";
    TooSmall => "Cửa sổ quá nhỏ", "Terminal too small";
    Quit => "thoát", "quit";
    Marked => "đã đánh dấu bản", "marked revision";
    Approve => "Duyệt", "Approve";
    Approved => "Đã duyệt", "Approved";
    Returned => "Đã trả lại", "Returned";
    Return => "Trả lại", "Return";
    Error => "Lỗi", "Error";
    KeyCol => "Phím", "Key";
    Checks => "Kiểm tra", "Checks";
    NoFindings => "Không phát hiện lỗi thể thức", "No form problems found";
    ActionCol => "Chức năng", "Action";
}

/// "2024-02-06 09:00" in the time's own offset.
pub fn format_time(t: crate::model::Time) -> String {
    let ts = jiff::Timestamp::from_second(t.seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let off =
        jiff::tz::Offset::from_seconds(t.offset_minutes * 60).unwrap_or(jiff::tz::Offset::UTC);
    ts.to_zoned_datetime(jiff::tz::TimeZone::fixed(off))
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

impl Lang {
    /// How long ago `then` was, seen from `now` (seconds since the epoch).
    pub fn age(self, then: i64, now: i64) -> String {
        let s = (now - then).max(0);
        let (n, vi, en) = match s {
            0..3600 => ((s / 60).max(1), "phút", "min"),
            3600..86_400 => (s / 3600, "giờ", "h"),
            86_400..2_678_400 => (s / 86_400, "ngày", "d"),
            2_678_400..31_536_000 => (s / 2_592_000, "tháng", "mo"),
            _ => (s / 31_536_000, "năm", "y"),
        };
        match self {
            Lang::Vi => format!("{n} {vi}"),
            Lang::En => format!("{n}{en}"),
        }
    }
}

impl Lang {
    /// An error's message in this language (the English text where no
    /// Vietnamese one is written yet).
    pub fn error(self, e: &crate::repo::Error) -> String {
        use crate::repo::Error as E;
        if self == Lang::En {
            return e.to_string();
        }
        match e {
            E::InvalidId(id) => format!(
                "'{id}' không phải là mã dự thảo hợp lệ: chỉ dùng chữ thường a-z, chữ số và '-', bắt đầu bằng chữ hoặc số, tối đa 64 ký tự"
            ),
            E::InvalidFolder(p) => format!(
                "{p}: không phải thư mục dự thảo (tên không phải năm hay mã dự thảo hợp lệ); duyet bỏ qua thư mục này — đổi tên bằng git mv"
            ),
            E::DraftExists(id) => {
                format!("đã có dự thảo mã '{id}'; hãy chọn --id khác")
            }
            E::MissingTitle => "dự thảo mới cần có trích yếu (--title \"…\")".to_string(),
            E::MissingMessage => "lần sửa cần có nội dung sửa đổi (-m)".to_string(),
            E::UnreadableDraft {
                id,
                path,
                blob,
                what,
            } => {
                let what = if what.starts_with("binary") {
                    "dữ liệu nhị phân"
                } else {
                    "không phải UTF-8 hợp lệ"
                };
                format!(
                    "không thể duyệt hay trả lại dự thảo '{id}': văn bản {path} (blob {blob:.10}) là {what}, nên chưa ai đọc được; hãy lưu thành văn bản UTF-8 và nộp lần sửa mới"
                )
            }
            E::KeyListed { key, member } => format!(
                "khóa {key} đã có trong danh sách tin cậy, của {member}: mỗi khóa thuộc một người; muốn chuyển thì `duyet trust remove` trước"
            ),
            E::NoSuchMember(sel) => {
                format!("không có ai trong danh sách tin cậy khớp với {sel}")
            }
            E::AmbiguousMember {
                selection,
                count,
                members,
            } => format!(
                "{selection} khớp với {count} người trong danh sách tin cậy: {members}; chọn một người bằng cách thêm --key của người đó vào lệnh"
            ),
            E::LastAdmin(who) => format!(
                "{who} là quản trị (admin) cuối cùng của danh sách tin cậy: hãy thêm quản trị khác trước (duyet trust add --role admin ...), nếu không sẽ không ai sửa được danh sách nữa"
            ),
            other => other.vietnamese().unwrap_or_else(|| other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_locales() {
        assert_eq!(Lang::parse("vi_VN.UTF-8"), Some(Lang::Vi));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
