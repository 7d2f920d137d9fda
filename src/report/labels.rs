//! Every word a report prints, in Vietnamese and English.

use crate::i18n::Lang;

macro_rules! labels {
    ($($(#[$doc:meta])* $name:ident => $vi:expr, $en:expr;)*) => {
        /// A label of the report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum L {
            $($(#[$doc])* $name,)*
        }

        impl L {
            /// The label in `lang`.
            pub fn t(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((L::$name, Lang::Vi) => $vi, (L::$name, Lang::En) => $en,)*
                }
            }
        }
    };
}

labels! {
    Page => "Trang", "Page";
    Title => "Báo cáo quá trình duyệt dự thảo văn bản", "Report on the review of draft documents";
    Repository => "Kho dự thảo", "Repository";
    Branch => "Nhánh", "Branch";
    Head => "Đầu nhánh (commit)", "Branch head (commit)";
    Introduction => "Commit giới thiệu", "Introduction";
    PinnedKey => "đã ghim, khóa", "pinned, key";
    GivenIntro => "chỉ định cho lần này bằng --intro, CHƯA GHIM", "given for this run with --intro, NOT PINNED";
    NotPinned => "CHƯA GHIM: lấy commit đầu tiên thêm danh sách tin cậy; ghim bằng `duyet trust pin`", "NOT PINNED: the first commit that adds the trust list; pin it with `duyet trust pin`";
    NoIntro => "không có", "none";
    Period => "Thời kỳ", "Period";
    AllTime => "toàn bộ lịch sử", "the whole history";
    From => "từ", "from";
    To => "đến", "to";
    OnlyDraft => "chỉ dự thảo", "draft";
    OnlyUnit => "chỉ đơn vị", "unit";
    MadeAt => "Lập lúc", "Made at";
    MadeBy => "Người lập", "Made by";
    Unknown => "không rõ", "unknown";
    Commits => "Số commit đã kiểm tra", "Commits judged";
    DraftsShown => "Số dự thảo trong báo cáo", "Drafts in this report";
    DecisionsShown => "Số quyết định trong thời kỳ", "Decisions in the period";
    Verdict => "Kết luận", "Verdict";
    Clean => "Không có phát hiện nào: mọi quyết định trong lịch sử đều được ký hợp lệ theo danh sách tin cậy.", "No finding: every decision in the history is validly signed according to the trust list.";
    HasFindings => "CÓ PHÁT HIỆN — xem mục Phát hiện ngay sau trang bìa. Số phát hiện:", "FINDINGS — see the Findings section right after the cover. Number of findings:";
    Findings => "Phát hiện", "Findings";
    NoFindings => "Không có phát hiện nào.", "No finding.";
    FindingsNote => "Phát hiện là kết quả kiểm tra toàn bộ lịch sử, không phụ thuộc thời kỳ hay bộ lọc của báo cáo.", "Findings come from an audit of the whole history, whatever the report's period or filter.";
    Commit => "Commit", "Commit";
    Draft => "Dự thảo", "Draft";
    What => "Nội dung", "What is wrong";
    Summary => "Tổng hợp", "Summary";
    PerLeader => "Quyết định theo lãnh đạo", "Decisions per leader";
    PerStatus => "Dự thảo theo trạng thái", "Drafts per status";
    PerMonth => "Quyết định theo tháng", "Decisions per month";
    Turnaround => "Thời gian từ khi trình đến khi quyết định, theo đơn vị", "Time from submission to decision, per unit";
    Waiting => "Dự thảo chờ lâu nhất", "Drafts waiting longest";
    Reviewer => "Người duyệt", "Reviewer";
    Approved => "Duyệt", "Approved";
    Returned => "Trả lại", "Returned";
    Invalid => "Không hợp lệ", "Not valid";
    Total => "Tổng", "Total";
    Status => "Trạng thái", "Status";
    Count => "Số lượng", "Count";
    Month => "Tháng", "Month";
    Unit => "Đơn vị", "Unit";
    Decisions => "Quyết định", "Decisions";
    Median => "Trung vị", "Median";
    P90 => "Phân vị 90", "90th percentile";
    Since => "Chờ từ", "Waiting since";
    For => "Đã chờ", "Waiting for";
    NoData => "Không có dữ liệu.", "Nothing to show.";
    Drafts => "Từng dự thảo", "Each draft";
    Kind => "Loại văn bản", "Kind";
    Drafter => "Người soạn", "Drafter";
    Signer => "Người ký", "Signer";
    Revisions => "Các lần sửa", "Revisions";
    Number => "Lần", "No.";
    Date => "Thời gian", "Date";
    Author => "Người sửa", "Author";
    Message => "Nội dung sửa", "Message";
    Decision => "Quyết định", "Decision";
    Key => "Khóa ký (dấu vân tay)", "Signing key (fingerprint)";
    Verified => "Kiểm tra", "Verified";
    Comment => "Ý kiến", "Comment";
    Notes => "Ghi chú theo dòng", "Line notes";
    Line => "dòng", "line";
    Valid => "hợp lệ", "verified";
    NotJudged => "không được kiểm tra (trước commit giới thiệu)", "not judged (before the introduction)";
    OfRevision => "bản", "revision";
    ApprovedText => "Văn bản đã duyệt", "Approved text";
    NoDrafts => "Không có dự thảo nào trong phạm vi báo cáo.", "No draft in the report's scope.";
    Meaning => "Ý nghĩa của chữ ký trong báo cáo này", "What the signatures in this report mean";
    MeaningText => "Mỗi quyết định duyệt hoặc trả lại là một commit git được ký bằng khóa của người duyệt có tên trong danh sách tin cậy (.duyet/trust.toml). Chữ ký đó ghi nhận ai đã duyệt hay trả lại đúng văn bản nào, vào lúc nào; nó không phải chữ ký trên văn bản ban hành. Theo Điều 5 Nghị định 30/2020/NĐ-CP, văn bản điện tử ban hành có giá trị pháp lý khi được ký số bằng chữ ký số của người có thẩm quyền và của cơ quan, tổ chức; chữ ký số đó là chữ ký pháp lý của văn bản.", "Each decision to approve or return is a git commit signed with the key of a reviewer named in the trust list (.duyet/trust.toml). That signature records who approved or returned exactly which text, and when; it is not the signature on the issued document. Under Article 5 of Decree 30/2020/ND-CP an issued electronic document is legally valid when it bears the digital signature (chữ ký số) of the competent signer and of the agency or organisation; that digital signature is the document's legal signature.";
}
