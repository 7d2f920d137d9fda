//! The false alarms found on real documents, each against the rule of
//! Nghị định 30/2020/NĐ-CP it misread; and the CLI checking a draft with
//! stray control characters instead of refusing it.

mod common;

use duyet::check::{Finding, Severity, check};
use duyet::model::Kind;

const QD: &str = include_str!("../drafts/2024/qd-to-bien-tap-trang-ttdt/draft.md");
const TTR: &str = include_str!("../drafts/2024/tt-kinh-phi-ha-tang-so/draft.md");
const CV: &str = include_str!("../drafts/2024/cv-tuyen-truyen-cchc/draft.md");

fn not_info(text: &str, kind: Kind) -> Vec<Finding> {
    check(text, kind)
        .into_iter()
        .filter(|f| f.severity != Severity::Info)
        .collect()
}

fn errors(text: &str, kind: Kind) -> Vec<Finding> {
    check(text, kind)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// Phụ lục I, IV, ô 9a: "Nếu văn bản gửi cho một cơ quan … thì từ “Kính
/// gửi” và tên cơ quan … được trình bày trên cùng một dòng" — example
/// "Kính gửi: Bộ Nội vụ", no final period; the "- …;" / "." rule is for a
/// list of two or more.
#[test]
fn one_recipient_on_the_kinh_gui_line_needs_no_period() {
    for line in [
        "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn",
        "Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.",
    ] {
        let text = TTR.replace("Kính gửi: Ủy ban nhân dân tỉnh Lạng Sơn.", line);
        assert!(not_info(&text, Kind::ToTrinh).is_empty(), "{line}");
    }
    // A list is still held to "- …;" and a final ".".
    let list = CV.replace("- Báo Lạng Sơn;", "- Báo Lạng Sơn");
    assert_eq!(errors(&list, Kind::CongVan)[0].rule, "list-punctuation");
}

/// Điều 15 (and Phụ lục I, I.4): the date is given when the document is
/// issued, so a draft's blank day, month and year are normal: infos.
#[test]
fn a_blank_month_and_year_in_a_draft_are_infos() {
    let text = QD.replace(
        "Lạng Sơn, ngày   tháng 3 năm 2024",
        "Lạng Sơn, ngày      tháng      năm 2026",
    );
    let fs = check(&text, Kind::QuyetDinh);
    assert!(fs.iter().all(|f| f.severity == Severity::Info), "{fs:#?}");
    assert_eq!(fs.iter().filter(|f| f.rule == "date").count(), 1);
    let month_only = QD.replace("ngày   tháng 3", "ngày 15 tháng   ");
    let fs = check(&month_only, Kind::QuyetDinh);
    assert!(fs.iter().all(|f| f.severity == Severity::Info), "{fs:#?}");
    assert!(fs.iter().any(|f| f.rule == "date"));
}

/// Phụ lục I, II.7.b: "KT." goes before the head's title, and the deputy's
/// own title follows. For a compound head ("BỘ TRƯỞNG, CHỦ NHIỆM") the
/// deputy is "PHÓ CHỦ NHIỆM"; a minister's deputy is "THỨ TRƯỞNG" (the
/// decree's own example: "KT. BỘ TRƯỞNG" / "THỨ TRƯỞNG").
#[test]
fn compound_and_ministerial_deputy_titles_are_right() {
    for (head, deputy) in [
        ("KT. BỘ TRƯỞNG, CHỦ NHIỆM", "PHÓ CHỦ NHIỆM"),
        ("KT. BỘ TRƯỞNG", "THỨ TRƯỞNG"),
        ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ] {
        let text = QD.replace("**GIÁM ĐỐC**", &format!("**{head}\n{deputy}**"));
        assert!(
            not_info(&text, Kind::QuyetDinh).is_empty(),
            "{head} / {deputy}"
        );
    }
    let wrong = QD.replace(
        "**GIÁM ĐỐC**",
        "**KT. BỘ TRƯỞNG, CHỦ NHIỆM\nCHÁNH VĂN PHÒNG**",
    );
    assert_eq!(errors(&wrong, Kind::QuyetDinh)[0].rule, "authority");
}

/// Phụ lục III, the công văn form: "- Lưu: VT, …(8). …(9)." with note 9:
/// the drafter's initials and the number of copies after the period.
#[test]
fn initials_after_the_luu_line_are_right() {
    for luu in ["- Lưu: VT, TTBCXB. lmv", "- Lưu: VT, TTBCXB.(8b)"] {
        let text = CV.replace("- Lưu: VT, TTBCXB (LMV).", luu);
        assert!(not_info(&text, Kind::CongVan).is_empty(), "{luu}");
    }
}

/// Phụ lục I, II.7.c: an advisory body (Đoàn, Hội đồng, Ban, Tổ) signs with
/// "TM." before its name, the signer's title in it, and — when it uses the
/// agency's seal — the signer's title in the agency too.
#[test]
fn an_advisory_body_signs_without_kt() {
    for block in [
        "**TM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN**\n\nHoàng Văn Kiên\nPHÓ GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "**TM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN\nPHÓ GIÁM ĐỐC SỞ THÔNG TIN VÀ TRUYỀN THÔNG**\n\nHoàng Văn Kiên",
        "**TM. ĐOÀN KIỂM TRA\nTRƯỞNG ĐOÀN**\n\nHoàng Văn Kiên\nPhó Giám đốc Sở Thông tin và Truyền thông",
    ] {
        let text = QD.replace("**GIÁM ĐỐC**\n\nHoàng Văn Kiên", block);
        assert!(not_info(&text, Kind::QuyetDinh).is_empty(), "{block}");
    }
}

/// A PDF's text layer gives the two header columns on one line: "Số:" and
/// the place and date (Phụ lục I, I.3 and I.4), body and Quốc hiệu.
#[test]
fn number_and_date_on_one_line_are_both_read() {
    let text = QD
        .replace(
            "Số: /QĐ-STTTT\n\nLạng Sơn, ngày   tháng 3 năm 2024",
            "Số:    /QĐ-STTTT    Lạng Sơn, ngày      tháng      năm 2026",
        )
        .replace(
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
            "SỞ THÔNG TIN VÀ TRUYỀN THÔNG Độc lập - Tự do - Hạnh phúc\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        );
    let fs = check(&text, Kind::QuyetDinh);
    assert!(fs.iter().all(|f| f.severity == Severity::Info), "{fs:#?}");
    let spaced = text.replace("/QĐ-STTTT ", "/QĐ - STTTT ");
    assert_eq!(errors(&spaced, Kind::QuyetDinh)[0].rule, "number-symbol");
}

/// Phụ lục I writes the Quốc hiệu "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM":
/// "CỘNG HOÀ" is said once (a warning of the Quốc hiệu rule), not also by
/// the tone-placement rule.
#[test]
fn cong_hoa_is_said_once() {
    let text = QD.replace("CỘNG HÒA XÃ HỘI", "CỘNG HOÀ XÃ HỘI");
    let fs = not_info(&text, Kind::QuyetDinh);
    assert_eq!(fs.len(), 1, "{fs:#?}");
    assert_eq!(
        (fs[0].rule, fs[0].severity, fs[0].line),
        ("required-part", Severity::Warning, 4)
    );
    assert!(fs[0].fix_vi.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
}

/// One inconsistency, reported once with its count and every place: a
/// mixed tone style (was one warning per word), a slip typed three times.
#[test]
fn one_inconsistency_is_one_finding() {
    let text = QD.replace("điện tử của Sở", "điện tử cuả Sở").replace(
        "Ban Biên tập có nhiệm vụ",
        "Ban Biên tập (hoà hợp, thuỷ lợi, khoẻ) có nhiệm vụ",
    );
    let fs = not_info(&text, Kind::QuyetDinh);
    let tone: Vec<_> = fs.iter().filter(|f| f.rule == "tone-placement").collect();
    assert_eq!(tone.len(), 1, "{fs:#?}");
    assert!(
        tone[0].message_en.contains("3 places"),
        "{}",
        tone[0].message_en
    );
    let slip: Vec<_> = fs.iter().filter(|f| f.rule == "spelling").collect();
    assert_eq!(slip.len(), 1, "{fs:#?}");
    assert!(
        slip[0].message_en.contains("3 places"),
        "{}",
        slip[0].message_en
    );
    assert_eq!(slip[0].fix_vi, "Viết “của”");
}

/// A draft copied from a PDF with a legacy font keeps stray control
/// characters: `duyet check` checks it and names the garbled text, where it
/// used to refuse the file as binary.
#[test]
fn a_draft_with_control_characters_is_checked_not_refused() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // Enough of them that libgit2's heuristic called the blob binary.
    let para = QD
        .lines()
        .find(|l| l.starts_with("Điều 2."))
        .expect("Điều 2");
    let garbled = QD.replace(para, &para.replace(' ', " \u{1}"));
    assert!(garbled.matches('\u{1}').count() > garbled.len() / 128);
    let dir = common::repo_with_draft(&tmp.path().join("r"), &garbled);
    let out = common::duyet(&dir, &["check", "x", "--json"]);
    let stdout = common::stdout(&out);
    assert!(
        stdout.contains("garbled-text"),
        "{stdout}\n{}",
        common::stderr(&out)
    );
    assert!(!common::stderr(&out).contains("binary"));
}
