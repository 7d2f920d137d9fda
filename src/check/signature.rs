//! Signing authority marks (KT., TM., TL., TUQ., Q.) and the titles under them.

use super::{DocLine, Finding, Severity, column_of};

const ACADEMIC: [&str; 6] = ["GS.", "PGS.", "TS.", "ThS.", "KS.", "BS."];

fn next_nonempty<'a, 'b>(lines: &'a [DocLine<'b>], i: usize) -> Option<&'a DocLine<'b>> {
    lines[i + 1..].iter().find(|l| !l.text.is_empty())
}

pub(super) fn authority(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut covered_deputy = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.as_str();
        let next = next_nonempty(lines, i);
        if let Some(head) = t.strip_prefix("KT. ") {
            let want = format!("PHÓ {head}");
            match next {
                Some(n) if n.text.starts_with(&want) => covered_deputy.push(n.no),
                Some(n) => out.push(Finding::new(
                    "authority",
                    Severity::Error,
                    n.no,
                    1,
                    format!(
                        "Sau “{t}” phải là chức vụ cấp phó “{want}”, không phải “{}”",
                        n.text
                    ),
                    format!(
                        "“{t}” must be followed by the deputy's title “{want}”, not “{}”",
                        n.text
                    ),
                    format!("Ghi “{want}” dưới dòng “{t}”"),
                    format!("Put “{want}” under “{t}”"),
                )),
                None => {}
            }
        } else if let Some(body) = t
            .strip_prefix("TM. ")
            .or(t.strip_prefix("TL. "))
            .or(t.strip_prefix("TUQ. "))
        {
            let ok = next.is_some_and(|n| {
                let letters: Vec<char> = n.text.chars().filter(|c| c.is_alphabetic()).collect();
                !letters.is_empty() && letters.iter().all(|c| !c.is_lowercase()) && n.text != body
            });
            if !ok {
                out.push(Finding::new(
                    "authority",
                    Severity::Error,
                    l.no,
                    1,
                    format!("Sau “{t}” phải là chức vụ của người ký (chữ in hoa)"),
                    format!("“{t}” must be followed by the signer's title (in capitals)"),
                    "Ghi chức vụ của người ký dưới dòng quyền hạn",
                    "Put the signer's title under the authority line",
                ));
            }
        } else if t.starts_with("PHÓ ")
            && t.chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| !c.is_lowercase())
            && !covered_deputy.contains(&l.no)
            && i > 0
            && !lines[..i].iter().rev().take(3).any(|p| {
                p.text.starts_with("TM.") || p.text.starts_with("TL.") || p.text.starts_with("TUQ.")
            })
        {
            let head = &t["PHÓ ".len()..];
            out.push(Finding::new(
                "authority",
                Severity::Error,
                l.no,
                1,
                format!("Cấp phó ký thay cấp trưởng phải ghi “KT. {head}” phía trên “{t}”"),
                format!("A deputy signing for the head needs “KT. {head}” above “{t}”"),
                format!("Thêm dòng “KT. {head}”"),
                format!("Add the line “KT. {head}”"),
            ));
        }
        for a in ACADEMIC {
            if t.starts_with(a)
                && lines[..i].iter().rev().take(4).any(|p| {
                    p.text.starts_with("KT.")
                        || p.text.contains("GIÁM ĐỐC")
                        || p.text.contains("CHỦ TỊCH")
                })
            {
                out.push(Finding::new(
                    "authority",
                    Severity::Warning,
                    l.no,
                    column_of(l.raw, a),
                    format!("Không ghi học hàm, học vị (“{a}”) trước họ tên người ký"),
                    format!("No academic title (“{a}”) before the signer's name"),
                    "Chỉ ghi họ tên",
                    "Write the name only",
                ));
            }
        }
    }
}
