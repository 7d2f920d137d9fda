//! Templates of a new draft for each kind (Nghị định 30, Phụ lục III), with
//! every part of thể thức laid out and blanks where the number and day go.

use crate::model::text::fold_search;
use crate::model::{Kind, Meta};

/// Everything a template needs.
pub struct TemplateInput<'a> {
    /// Kind.
    pub kind: Kind,
    /// Trích yếu.
    pub title: &'a str,
    /// Issuing body, e.g. "Sở Thông tin và Truyền thông".
    pub body: &'a str,
    /// Parent body, e.g. "UBND tỉnh Lạng Sơn".
    pub parent: &'a str,
    /// Abbreviation of the body, e.g. "STTTT".
    pub body_abbr: &'a str,
    /// Drafting unit, e.g. "VP".
    pub unit: &'a str,
    /// Place name, e.g. "Lạng Sơn".
    pub place: &'a str,
    /// Month and year.
    pub month: u32,
    /// Year.
    pub year: i32,
    /// Drafter's initials for "Lưu:".
    pub initials: &'a str,
}

fn upper(s: &str) -> String {
    s.to_uppercase()
}

/// The text of a new draft.
pub fn draft_text(t: &TemplateInput<'_>) -> String {
    let month = if t.month <= 2 {
        format!("{:02}", t.month)
    } else {
        t.month.to_string()
    };
    let abbr = t.kind.abbreviation();
    let symbol = match abbr {
        Some(a) => format!("{a}-{}", t.body_abbr),
        None => format!("{}-{}", t.body_abbr, t.unit),
    };
    let luu = if t.initials.is_empty() {
        format!("- Lưu: VT, {}.", t.unit)
    } else {
        format!("- Lưu: VT, {} ({}).", t.unit, t.initials)
    };
    let mut s = format!(
        "{}\n{}\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nSố: /{symbol}\n\n{}, ngày   tháng {month} năm {}\n\n",
        upper(t.parent),
        upper(t.body),
        t.place,
        t.year
    );
    let head = upper(t.body);
    match t.kind {
        Kind::CongVan => {
            let title = format!("V/v {}", about(t.title));
            s.push_str(&format!(
                "{title}\n\nKính gửi: ………………………….\n\n(Nội dung công văn)\n\nNơi nhận:\n\n- Như trên;\n{luu}\n\n**GIÁM ĐỐC**\n\n(Họ và tên)\n"
            ));
        }
        Kind::QuyetDinh => s.push_str(&format!(
            "QUYẾT ĐỊNH\n{}\n\nGIÁM ĐỐC {head}\n\nCăn cứ ………………………….;\n\nTheo đề nghị của ………………………….\n\nQUYẾT ĐỊNH:\n\nĐiều 1. ………………………….\n\nĐiều 2. ………………………….\n\nĐiều 3. Quyết định này có hiệu lực kể từ ngày ký./.\n\nNơi nhận:\n\n- Như Điều 3;\n{luu}\n\n**GIÁM ĐỐC**\n\n(Họ và tên)\n",
            t.title
        )),
        Kind::KeHoach | Kind::ThongBao | Kind::BaoCao => {
            let name = match t.kind {
                Kind::KeHoach => "KẾ HOẠCH",
                Kind::ThongBao => "THÔNG BÁO",
                _ => "BÁO CÁO",
            };
            s.push_str(&format!(
                "{name}\n{}\n\n(Nội dung)\n\nNơi nhận:\n\n- ………………………….;\n{luu}\n\n**GIÁM ĐỐC**\n\n(Họ và tên)\n",
                t.title
            ));
        }
        Kind::ToTrinh => s.push_str(&format!(
            "TỜ TRÌNH\n{}\n\nKính gửi: ………………………….\n\n(Nội dung tờ trình)\n\nNơi nhận:\n\n- Như trên;\n{luu}\n\n**GIÁM ĐỐC**\n\n(Họ và tên)\n",
            t.title
        )),
    }
    s
}

/// The trích yếu of a công văn without its own "V/v" or "Về việc" (in any
/// case, with or without accents): the template writes "V/v" once.
pub fn about(title: &str) -> &str {
    let t = title.trim();
    for lead in ["v/v", "ve viec"] {
        let n = lead.chars().count();
        let head: String = t.chars().take(n).collect();
        if fold_search(&head) == lead {
            let rest = &t[head.len()..];
            return rest.trim_start_matches([' ', ':', ',']).trim_start();
        }
    }
    t
}

/// meta.toml of a new draft.
pub fn meta(t: &TemplateInput<'_>, drafter: &str) -> Meta {
    Meta {
        title: t.title.to_string(),
        kind: t.kind,
        body: t.body.to_string(),
        unit: t.unit.to_string(),
        drafter: drafter.to_string(),
        signer: "Giám đốc".to_string(),
    }
}

/// A readable slug for an id: kind prefix and the title's first words,
/// without accents ("cv-tang-cuong-tuyen-truyen").
pub fn slug(kind: Kind, title: &str) -> String {
    let prefix = match kind {
        Kind::CongVan => "cv",
        Kind::QuyetDinh => "qd",
        Kind::KeHoach => "kh",
        Kind::ThongBao => "tb",
        Kind::ToTrinh => "tt",
        Kind::BaoCao => "bc",
    };
    let folded = fold_search(
        title
            .trim_start_matches("V/v")
            .trim_start_matches("Về việc"),
    );
    let words: Vec<String> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_string)
        .collect();
    let mut id = prefix.to_string();
    for w in words {
        // Room is left for a "-N" that makes the id unique (at most 64).
        if id.len() + 1 + w.len() > crate::model::id::MAX_ID_LEN - 6 {
            break;
        }
        id.push('-');
        id.push_str(&w.to_ascii_lowercase());
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::id::is_valid_id;

    #[test]
    fn a_cong_van_says_v_v_once() {
        for title in [
            "Tăng cường tuyên truyền",
            "V/v Tăng cường tuyên truyền",
            "v/v Tăng cường tuyên truyền",
            "Về việc Tăng cường tuyên truyền",
            "về việc: Tăng cường tuyên truyền",
            "VỀ VIỆC Tăng cường tuyên truyền",
        ] {
            assert_eq!(about(title), "Tăng cường tuyên truyền", "{title}");
        }
        assert_eq!(about("Vệ sinh môi trường"), "Vệ sinh môi trường");
    }

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(
            slug(Kind::CongVan, "V/v Tăng cường tuyên truyền"),
            "cv-tang-cuong-tuyen-truyen"
        );
        let long = "Kếhoạchthựchiệnchươngtrìnhchuyểnđổisốquốcgiagiaiđoạnhaimươi Năm";
        for t in [long, "ÆØÅ ß", "\u{202e}x\x1b", "Đ/../../ĐĐ"] {
            let s = slug(Kind::KeHoach, t);
            assert!(is_valid_id(&s), "{t} -> {s}");
        }
    }
}
