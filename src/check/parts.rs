//! Required parts, number and symbol, date, and recipient lists.

use super::{DocLine, Finding, Severity, column_of};
use crate::model::Kind;
use crate::model::text::fold_search;

const QUOC_HIEU: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
const TIEU_NGU: &str = "Độc lập - Tự do - Hạnh phúc";

fn is_upper_line(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 3 && letters.iter().all(|c| !c.is_lowercase())
}

fn find<'a, 'b>(lines: &'a [DocLine<'b>], pred: impl Fn(&str) -> bool) -> Option<&'a DocLine<'b>> {
    lines.iter().find(|l| pred(&l.text))
}

fn missing(out: &mut Vec<Finding>, part_vi: &str, part_en: &str, fix_vi: &str, fix_en: &str) {
    out.push(Finding::new(
        "required-part",
        Severity::Error,
        1,
        1,
        format!("Thiếu {part_vi}"),
        format!("Missing {part_en}"),
        fix_vi.to_string(),
        fix_en.to_string(),
    ));
}

/// The kind's name as it heads the document ("QUYẾT ĐỊNH").
fn kind_heading(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::CongVan => None,
        Kind::QuyetDinh => Some("QUYẾT ĐỊNH"),
        Kind::KeHoach => Some("KẾ HOẠCH"),
        Kind::ThongBao => Some("THÔNG BÁO"),
        Kind::ToTrinh => Some("TỜ TRÌNH"),
        Kind::BaoCao => Some("BÁO CÁO"),
    }
}

/// Whether `t` holds the Quốc hiệu (alone, or beside the body's name as a
/// PDF's text layer gives it).
pub(super) fn has_quoc_hieu(t: &str) -> bool {
    fold_search(t).contains(&fold_search(QUOC_HIEU))
}

/// The Quốc hiệu as written on its line (the part equal to it once folded).
fn quoc_hieu_as_written(t: &str) -> String {
    let n = QUOC_HIEU.chars().count();
    let chars: Vec<char> = t.chars().collect();
    (0..chars.len().saturating_sub(n - 1))
        .map(|i| chars[i..i + n].iter().collect::<String>())
        .find(|w| fold_search(w) == fold_search(QUOC_HIEU))
        .unwrap_or_else(|| t.to_string())
}

pub(super) fn required(lines: &[DocLine<'_>], kind: Kind, out: &mut Vec<Finding>) {
    match find(lines, has_quoc_hieu) {
        None => missing(
            out,
            "Quốc hiệu",
            "the national title (Quốc hiệu)",
            &format!("Thêm dòng “{QUOC_HIEU}” ở đầu văn bản"),
            &format!("Add the line “{QUOC_HIEU}” at the top"),
        ),
        Some(l) if quoc_hieu_as_written(&l.text) == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" => out
            .push(Finding::new(
                "required-part",
                Severity::Warning,
                l.no,
                column_of(l.raw, "CỘNG HOÀ"),
                "Quốc hiệu viết “CỘNG HOÀ”; Phụ lục I Nghị định 30/2020 viết “CỘNG HÒA”",
                "The national title has “CỘNG HOÀ”; Phụ lục I of Nghị định 30/2020 writes “CỘNG HÒA”",
                format!("Viết đúng như Phụ lục I: “{QUOC_HIEU}”"),
                format!("Write it as Phụ lục I does: “{QUOC_HIEU}”"),
            )),
        Some(l) if quoc_hieu_as_written(&l.text) != QUOC_HIEU => out.push(Finding::new(
            "required-part",
            Severity::Error,
            l.no,
            1,
            "Quốc hiệu viết chưa đúng",
            "The national title is not written exactly",
            format!("Viết đúng: “{QUOC_HIEU}”"),
            format!("Write it as “{QUOC_HIEU}”"),
        )),
        Some(_) => {}
    }
    match find(lines, |t| {
        fold_search(&t.replace(['–', '—'], "-"))
            .replace(' ', "")
            .contains(&fold_search(TIEU_NGU).replace(' ', ""))
    }) {
        None => missing(
            out,
            "Tiêu ngữ",
            "the motto (Tiêu ngữ)",
            &format!("Thêm dòng “{TIEU_NGU}” dưới Quốc hiệu"),
            &format!("Add “{TIEU_NGU}” under the national title"),
        ),
        Some(l) if !l.text.contains(TIEU_NGU) => out.push(Finding::new(
            "required-part",
            Severity::Error,
            l.no,
            1,
            format!("Tiêu ngữ viết sai: “{}”", l.text),
            format!("The motto is misspelled: “{}”", l.text),
            format!(
                "Viết đúng: “{TIEU_NGU}” (gạch nối “-”, có cách chữ, viết hoa chữ đầu mỗi cụm)"
            ),
            format!("Write “{TIEU_NGU}” (hyphen with spaces, each phrase capitalised)"),
        )),
        Some(_) => {}
    }
    let so = find(lines, |t| t.starts_with("Số:"));
    let body_name = lines
        .iter()
        .take_while(|l| so.is_none_or(|s| l.no < s.no))
        .any(|l| {
            let folded = fold_search(&l.text);
            let body = folded.replace(&fold_search(QUOC_HIEU), "");
            is_upper_line(&l.text) && body.chars().filter(|c| c.is_alphabetic()).count() >= 3
        });
    if !body_name {
        missing(
            out,
            "tên cơ quan ban hành",
            "the issuing body's name",
            "Thêm tên cơ quan chủ quản và cơ quan ban hành (chữ in hoa) ở góc trên bên trái, trên dòng “Số:”",
            "Add the parent and issuing body names (capitals) above the “Số:” line",
        );
    }
    if so.is_none() {
        missing(
            out,
            "số, ký hiệu",
            "the number and symbol (Số:)",
            "Thêm dòng “Số: /<ký hiệu>” (số để trống khi còn là dự thảo)",
            "Add “Số: /<symbol>” (the number stays blank in a draft)",
        );
    }
    if place_date(lines).is_none() {
        missing(
            out,
            "địa danh và thời gian ban hành",
            "the place and date",
            "Thêm dòng “<Địa danh>, ngày … tháng … năm …”",
            "Add “<Place>, ngày … tháng … năm …”",
        );
    }
    match kind_heading(kind) {
        None => {
            if find(lines, |t| t.starts_with("V/v")).is_none() {
                missing(
                    out,
                    "trích yếu (V/v …)",
                    "the subject line (V/v …)",
                    "Công văn ghi trích yếu bắt đầu bằng “V/v”",
                    "A công văn's subject starts with “V/v”",
                );
            }
        }
        Some(h) => {
            let mut head = lines.iter().position(|l| l.text == h);
            if head.is_none()
                && let Some(i) = lines
                    .iter()
                    .position(|l| fold_search(&l.text) == fold_search(h))
            {
                head = Some(i);
                out.push(Finding::new(
                    "required-part",
                    Severity::Error,
                    lines[i].no,
                    1,
                    format!("Tên loại văn bản viết sai: “{}”", lines[i].text),
                    format!("The kind heading is misspelt: “{}”", lines[i].text),
                    format!("Viết đúng: “{h}”"),
                    format!("Write “{h}”"),
                ));
            }
            let subject = head
                .and_then(|i| lines.get(i + 1))
                .is_some_and(|l| !l.text.is_empty());
            if head.is_none() || !subject {
                missing(
                    out,
                    &format!("tên loại “{h}” và trích yếu"),
                    &format!("the kind heading “{h}” and its subject line"),
                    &format!("Thêm dòng “{h}” và ngay dưới là trích yếu nội dung"),
                    &format!("Add “{h}” with the subject on the next line"),
                );
            }
        }
    }
    if find(lines, |t| t.starts_with("Nơi nhận")).is_none() {
        missing(
            out,
            "nơi nhận",
            "the distribution list (Nơi nhận)",
            "Thêm mục “Nơi nhận:” với các dòng “- …;” và dòng cuối “- Lưu: VT, …”",
            "Add “Nơi nhận:” with lines “- …;” ending with “- Lưu: VT, …”",
        );
    }
    let named = lines
        .iter()
        .rev()
        .filter(|l| !l.text.is_empty())
        .take(2)
        .any(|l| is_person_name(&l.text));
    let last = lines.iter().rev().find(|l| !l.text.is_empty());
    if !named && last.is_none_or(|l| is_upper_line(&l.text) || l.text.ends_with(['.', ';', ':'])) {
        missing(
            out,
            "họ tên người ký",
            "the signer's name",
            "Ghi họ tên người ký ở cuối văn bản, dưới chức vụ",
            "Put the signer's name last, under the title",
        );
    }
}

/// A person's name: two to six words, each capitalised and not all capitals
/// ("Nguyễn Văn A", "Lê Hải Yến").
fn is_person_name(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.iter().all(|w| {
            let mut c = w.chars();
            c.next().is_some_and(char::is_uppercase) && c.all(|c| c.is_lowercase())
        })
}

/// The place-and-date line: "<Place>, ngày … tháng … năm …".
pub(super) fn place_date<'a, 'b>(lines: &'a [DocLine<'b>]) -> Option<&'a DocLine<'b>> {
    lines
        .iter()
        .find(|l| l.text.contains(", ngày") && l.text.contains("tháng") && l.text.contains("năm"))
}

pub(super) fn number_and_symbol(lines: &[DocLine<'_>], kind: Kind, out: &mut Vec<Finding>) {
    let Some(l) = lines.iter().find(|l| l.text.starts_with("Số:")) else {
        return;
    };
    let mut rest = l.text["Số:".len()..].trim();
    // "Số:    /QĐ-UBND    Hà Nội, ngày … năm 2026": the place starts with
    // the first word that has a small letter after the symbol.
    if rest.contains(", ngày") {
        let slash = rest.find('/').unwrap_or(0);
        let mut cut = rest.len();
        let mut pos = slash;
        for w in rest[slash..].split(' ') {
            if w.chars().any(|c| c.is_lowercase()) && !w.starts_with('/') && pos > slash {
                cut = pos;
                break;
            }
            pos += w.len() + 1;
        }
        rest = rest[..cut.min(rest.len())].trim_end();
    }
    let Some((number, symbol)) = rest.split_once('/') else {
        out.push(Finding::new(
            "number-symbol",
            Severity::Error,
            l.no,
            1,
            format!("“Số:” thiếu dấu “/” giữa số và ký hiệu: “{}”", l.text),
            format!(
                "“Số:” lacks the “/” between number and symbol: “{}”",
                l.text
            ),
            "Viết “Số: 12/STTTT-VP” (số để trống khi là dự thảo: “Số: /STTTT-VP”)",
            "Write “Số: 12/STTTT-VP” (blank number in a draft: “Số: /STTTT-VP”)",
        ));
        return;
    };
    let number = number.trim();
    let col = column_of(l.raw, "Số:");
    if number.is_empty() {
        out.push(Finding::new(
            "number-symbol",
            Severity::Info,
            l.no,
            col,
            "Số văn bản để trống (bình thường với dự thảo; văn thư điền khi ban hành)",
            "The number is blank (normal in a draft; the records clerk fills it at issuance)",
            "Không cần sửa lúc này",
            "Nothing to do yet",
        ));
    } else if !number.chars().all(|c| c.is_ascii_digit()) {
        out.push(Finding::new(
            "number-symbol",
            Severity::Error,
            l.no,
            col,
            format!("Số văn bản “{number}” không phải là số"),
            format!("The number “{number}” is not a number"),
            "Số ghi bằng chữ số Ả Rập",
            "Write the number in Arabic digits",
        ));
    } else if number.len() == 1 {
        out.push(Finding::new(
            "number-symbol",
            Severity::Error,
            l.no,
            col,
            format!("Số nhỏ hơn 10 phải có số 0 phía trước: “{number}”"),
            format!("Numbers under 10 take a leading zero: “{number}”"),
            format!("Viết “0{number}”"),
            format!("Write “0{number}”"),
        ));
    }
    // A legal normative document carries its year: "Số: 128/2025/QĐ-UBND"
    // (Phụ lục I, I.3).
    let symbol = match symbol.trim().split_once('/') {
        Some((year, rest)) if year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()) => {
            let date_year = place_date(lines).and_then(|d| {
                let t = &d.text;
                let i = t.rfind("năm")? + "năm".len();
                let y: String = t[i..].trim_start().chars().take(4).collect();
                (y.len() == 4 && y.chars().all(|c| c.is_ascii_digit())).then_some(y)
            });
            if let Some(dy) = date_year
                && dy != year
            {
                out.push(Finding::new(
                    "number-symbol",
                    Severity::Warning,
                    l.no,
                    col,
                    format!("Năm trong số văn bản ({year}) khác năm ban hành ({dy})"),
                    format!("The year in the number ({year}) is not the year of issue ({dy})"),
                    format!("Viết “/{dy}/” trong số văn bản, hoặc sửa năm ban hành"),
                    format!("Write “/{dy}/” in the number, or fix the date"),
                ));
            }
            rest
        }
        _ => symbol,
    };
    let groups: Vec<&str> = symbol.trim().split('-').collect();
    let well_formed = !symbol.contains(' ')
        && groups
            .iter()
            .all(|g| !g.is_empty() && g.chars().all(|c| c.is_alphanumeric() || c == '.'));
    if !well_formed {
        out.push(Finding::new(
            "number-symbol",
            Severity::Error,
            l.no,
            col,
            format!("Ký hiệu “{}” sai dạng", symbol.trim()),
            format!("The symbol “{}” is malformed", symbol.trim()),
            "Các nhóm chữ viết tắt nối bằng “-”, không cách chữ (VD: STTTT-TTBCXB)",
            "Join the abbreviation groups with “-” and no spaces (e.g. STTTT-TTBCXB)",
        ));
        return;
    }
    if let Some(abbr) = kind.abbreviation()
        && groups.first().is_some_and(|g| *g != abbr)
    {
        out.push(Finding::new(
            "number-symbol",
            Severity::Error,
            l.no,
            col,
            format!(
                "Ký hiệu “{}” không bắt đầu bằng tên loại văn bản viết tắt “{abbr}”",
                symbol.trim()
            ),
            format!(
                "The symbol “{}” does not start with the kind's abbreviation “{abbr}”",
                symbol.trim()
            ),
            format!("Viết “Số: /{abbr}-<cơ quan>”"),
            format!("Write “Số: /{abbr}-<body>”"),
        ));
    }
    if kind == Kind::CongVan
        && let (Some(unit), Some(luu)) = (
            groups.last(),
            lines.iter().find(|l| l.text.starts_with("- Lưu:")),
        )
    {
        let luu_units = luu.text["- Lưu:".len()..]
            .trim_end_matches(['.', ';'])
            .to_string();
        if !luu_units
            .split([',', ' ', '(', ')', '.'])
            .any(|u| u.trim() == *unit)
        {
            out.push(Finding::new(
                "symbol-unit",
                Severity::Error,
                luu.no,
                column_of(luu.raw, "Lưu:"),
                format!(
                    "Đơn vị soạn thảo trong ký hiệu (“{unit}”, dòng {}) không có trong dòng “Lưu:”",
                    l.no
                ),
                format!(
                    "The drafting unit in the symbol (“{unit}”, line {}) is not in the “Lưu:” line",
                    l.no
                ),
                format!("Ghi “- Lưu: VT, {unit}.” hoặc sửa ký hiệu cho khớp"),
                format!("Write “- Lưu: VT, {unit}.” or fix the symbol"),
            ));
        }
    }
}

pub(super) fn date(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let Some(l) = place_date(lines) else { return };
    let after = |word: &str| -> Option<String> {
        let i = l.text.find(word)? + word.len();
        let rest = l.text[i..].trim_start();
        Some(rest.chars().take_while(|c| c.is_ascii_digit()).collect())
    };
    let col = column_of(l.raw, "ngày");
    let day_blank = after("ngày").as_deref() == Some("");
    match after("ngày").as_deref() {
        Some("") => out.push(Finding::new(
            "date",
            Severity::Info,
            l.no,
            col,
            "Ngày ban hành để trống (bình thường với dự thảo)",
            "The day is blank (normal in a draft)",
            "Văn thư điền ngày khi ban hành",
            "The records clerk fills it at issuance",
        )),
        Some(d) if d.len() == 1 && d != "0" => out.push(Finding::new(
            "date",
            Severity::Error,
            l.no,
            col,
            format!("Ngày nhỏ hơn 10 phải có số 0 phía trước: “ngày {d}”"),
            format!("Days under 10 take a leading zero: “ngày {d}”"),
            format!("Viết “ngày 0{d}”"),
            format!("Write “ngày 0{d}”"),
        )),
        _ => {}
    }
    let mcol = column_of(l.raw, "tháng");
    match after("tháng").as_deref() {
        Some("1") | Some("2") => {
            let m = after("tháng").unwrap_or_default();
            out.push(Finding::new(
                "date",
                Severity::Error,
                l.no,
                mcol,
                format!("Tháng 1, 2 phải có số 0 phía trước: “tháng {m}”"),
                format!("Months 1 and 2 take a leading zero: “tháng {m}”"),
                format!("Viết “tháng 0{m}”"),
                format!("Write “tháng 0{m}”"),
            ));
        }
        Some(m) if m.len() == 2 && m.starts_with('0') && m != "01" && m != "02" => {
            out.push(Finding::new(
                "date",
                Severity::Info,
                l.no,
                mcol,
                format!("Tháng từ 3 trở đi không cần số 0: “tháng {m}”"),
                format!("Months from 3 on need no leading zero: “tháng {m}”"),
                format!("Viết “tháng {}”", &m[1..]),
                format!("Write “tháng {}”", &m[1..]),
            ))
        }
        Some("") if !day_blank => out.push(Finding::new(
            "date",
            Severity::Info,
            l.no,
            mcol,
            "Tháng ban hành để trống (bình thường với dự thảo; ngày, tháng ghi khi ban hành)",
            "The month is blank (normal in a draft: the date is given at issuance)",
            "Văn thư điền khi ban hành",
            "The records clerk fills it at issuance",
        )),
        _ => {}
    }
}

/// Checks a list of "- …;" lines, the last ending with ".".
fn list_punctuation(items: &[&DocLine<'_>], what_vi: &str, what_en: &str, out: &mut Vec<Finding>) {
    for (i, l) in items.iter().enumerate() {
        let last = i + 1 == items.len();
        let want = if last { "." } else { ";" };
        let text = l
            .text
            .strip_prefix("Kính gửi:")
            .map_or(l.text.as_str(), str::trim_start);
        if !text.starts_with('-') {
            out.push(Finding::new(
                "list-punctuation",
                Severity::Error,
                l.no,
                1,
                format!("Mỗi dòng {what_vi} bắt đầu bằng “-”"),
                format!("Each line of {what_en} starts with “-”"),
                format!("Viết “- {}”", l.text),
                format!("Write “- {}”", l.text),
            ));
        }
        if !(l.text.ends_with(want) || last && luu_with_initials(&l.text)) {
            out.push(Finding::new(
                "list-punctuation",
                Severity::Error,
                l.no,
                l.raw.chars().count().max(1),
                if last {
                    format!("Dòng cuối {what_vi} kết thúc bằng dấu chấm “.”")
                } else {
                    format!("Dòng {what_vi} kết thúc bằng dấu chấm phẩy “;”")
                },
                if last {
                    format!("The last line of {what_en} ends with “.”")
                } else {
                    format!("Lines of {what_en} end with “;”")
                },
                format!("Kết thúc dòng bằng “{want}”"),
                format!("End the line with “{want}”"),
            ));
        }
    }
}

/// "- Lưu: VT, CN. pvc" or "- Lưu: VT, KT.(8)": the drafter's initials and
/// the number of copies may follow the final period (Phụ lục III, note 9).
fn luu_with_initials(t: &str) -> bool {
    t.starts_with("- Lưu:")
        && t.rfind('.').is_some_and(|i| {
            let tail = t[i + 1..].trim();
            !tail.is_empty()
                && tail.chars().count() <= 12
                && !tail.contains(' ')
                && !tail.ends_with(';')
        })
}

/// The non-empty lines after `start` up to the first blank line after the list began.
fn list_after<'a, 'b>(lines: &'a [DocLine<'b>], start: usize) -> Vec<&'a DocLine<'b>> {
    let mut items = Vec::new();
    for l in &lines[start + 1..] {
        if l.text.is_empty() {
            if items.is_empty() {
                continue;
            }
            break;
        }
        if !l.text.starts_with('-') && !items.is_empty() {
            break;
        }
        items.push(l);
    }
    items
}

pub(super) fn recipients(lines: &[DocLine<'_>], kind: Kind, out: &mut Vec<Finding>) {
    if let Some(i) = lines.iter().position(|l| l.text.starts_with("Kính gửi")) {
        let l = &lines[i];
        let inline = l.text.split_once(':').map(|(_, r)| r.trim()).unwrap_or("");
        // One recipient on the same line ("Kính gửi: Bộ Nội vụ", Phụ lục I,
        // IV, ô 9a) takes no list punctuation; a list starts below, or on
        // this line with its first "- …;".
        if inline.is_empty() {
            list_punctuation(&list_after(lines, i), "“Kính gửi”", "“Kính gửi”", out);
        } else if inline.starts_with('-') {
            let mut items = vec![l];
            items.extend(
                lines[i + 1..]
                    .iter()
                    .take_while(|n| n.text.starts_with('-')),
            );
            if items.len() > 1 {
                list_punctuation(&items, "“Kính gửi”", "“Kính gửi”", out);
            }
        }
    }
    let Some(i) = lines.iter().position(|l| l.text.starts_with("Nơi nhận")) else {
        return;
    };
    let items = list_after(lines, i);
    list_punctuation(&items, "“Nơi nhận”", "the distribution list", out);
    if let Some(last) = items.last()
        && !last.text.starts_with("- Lưu:")
    {
        out.push(Finding::new(
            "list-punctuation",
            Severity::Error,
            last.no,
            1,
            "Dòng cuối “Nơi nhận” là “- Lưu: VT, …”",
            "The distribution list ends with “- Lưu: VT, …”",
            "Thêm dòng “- Lưu: VT, <đơn vị soạn thảo>.”",
            "Add “- Lưu: VT, <drafting unit>.”",
        ));
    }
    // Phụ lục I, II.9.b: a công văn, and a tờ trình or báo cáo sent to the
    // recipients named after "Kính gửi", list "Như trên" first.
    let kinh_gui = lines.iter().any(|l| l.text.starts_with("Kính gửi"));
    let needs_nhu_tren =
        kind == Kind::CongVan || (kinh_gui && matches!(kind, Kind::ToTrinh | Kind::BaoCao));
    if needs_nhu_tren
        && let Some(first) = items.first()
        && !first.text.starts_with("- Như trên")
    {
        let (vi, en) = match kind {
            Kind::CongVan => ("công văn", "công văn"),
            Kind::ToTrinh => ("tờ trình có “Kính gửi”", "tờ trình with “Kính gửi”"),
            _ => ("báo cáo có “Kính gửi”", "báo cáo with “Kính gửi”"),
        };
        out.push(Finding::new(
            "list-punctuation",
            Severity::Error,
            first.no,
            1,
            format!("Nơi nhận của {vi} bắt đầu bằng “- Như trên;”"),
            format!("A {en}'s distribution list starts with “- Như trên;”"),
            "Thêm dòng “- Như trên;” đầu tiên",
            "Add “- Như trên;” as the first line",
        ));
    }
}
