//! Signing authority marks (KT., TM., TL., TUQ., Q.) and the titles under them.

use super::{DocLine, Finding, Severity, column_of};

const ACADEMIC: [&str; 6] = ["GS.", "PGS.", "TS.", "ThS.", "KS.", "BS."];

fn next_nonempty<'a, 'b>(lines: &'a [DocLine<'b>], i: usize) -> Option<&'a DocLine<'b>> {
    lines[i + 1..].iter().find(|l| !l.text.is_empty())
}

/// Whether `title` is the deputy's title under "KT. `head`": "PHÓ" before
/// the head's title or before one of its parts ("KT. BỘ TRƯỞNG, CHỦ
/// NHIỆM" over "PHÓ CHỦ NHIỆM"), or "THỨ TRƯỞNG" under "KT. BỘ TRƯỞNG".
fn deputy_of(head: &str, title: &str) -> bool {
    if head.contains("BỘ TRƯỞNG") && title.starts_with("THỨ TRƯỞNG") {
        return true;
    }
    let Some(rest) = title.strip_prefix("PHÓ ") else {
        return false;
    };
    rest.starts_with(head)
        || head
            .split(',')
            .map(str::trim)
            .any(|part| !part.is_empty() && rest.starts_with(part))
}

/// A person's name: capitalised words, not all capitals.
fn is_name(t: &str) -> bool {
    let words: Vec<&str> = t.split_whitespace().collect();
    (2..=6).contains(&words.len())
        && words.iter().all(|w| {
            let mut c = w.chars();
            c.next().is_some_and(char::is_uppercase) && c.all(|c| c.is_lowercase())
        })
}

pub(super) fn authority(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut covered_deputy = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.as_str();
        let next = next_nonempty(lines, i);
        if let Some(head) = t.strip_prefix("KT. ") {
            let want = format!("PHÓ {head}");
            match next {
                Some(n) if deputy_of(head, &n.text) => covered_deputy.push(n.no),
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
            && !lines[..i]
                .iter()
                .rev()
                .filter(|p| !p.text.is_empty())
                .take(4)
                .any(|p| {
                    p.text.starts_with("TM.")
                        || p.text.starts_with("TL.")
                        || p.text.starts_with("TUQ.")
                        || p.text.starts_with("KT.")
                })
            // The signer's other title, under the name (an advisory body's
            // head who is also "PHÓ GIÁM ĐỐC SỞ …"), is not an authority line.
            && !lines[..i]
                .iter()
                .rev()
                .find(|p| !p.text.is_empty())
                .is_some_and(|p| is_name(&p.text))
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
