//! Punctuation and spacing: a space before “, . ; :”, none after “, ; :”,
//! unbalanced brackets and quotes, a range dash spaced on one side only
//! (“2026 -2031”), and spaces inside a symbol (“TTr - SCT”).

use std::collections::BTreeMap;

use super::{DocLine, Finding, Severity, column_at, places_list};

/// One kind of slip, its places, and how to say it.
struct Kind {
    vi: &'static str,
    en: &'static str,
    fix_vi: &'static str,
    fix_en: &'static str,
}

const SPACE_BEFORE: Kind = Kind {
    vi: "Dấu câu đứng sau dấu cách",
    en: "A space before a punctuation mark",
    fix_vi: "Bỏ dấu cách trước “,”, “.”, “;”, “:”",
    fix_en: "Remove the space before “,”, “.”, “;”, “:”",
};
const NO_SPACE_AFTER: Kind = Kind {
    vi: "Thiếu dấu cách sau dấu câu",
    en: "No space after a punctuation mark",
    fix_vi: "Thêm dấu cách sau “,”, “;”, “:”",
    fix_en: "Add a space after “,”, “;”, “:”",
};
const RANGE_DASH: Kind = Kind {
    vi: "Gạch nối khoảng số chỉ cách một bên",
    en: "A range dash spaced on one side only",
    fix_vi: "Viết “2026 - 2031” hoặc “2026-2031”",
    fix_en: "Write “2026 - 2031” or “2026-2031”",
};
const SYMBOL_SPACE: Kind = Kind {
    vi: "Ký hiệu văn bản có dấu cách quanh gạch nối",
    en: "A document symbol with spaces around its hyphen",
    fix_vi: "Viết liền: “33/TTr-SCT”, “57-NQ/TW”",
    fix_en: "Write it closed up: “33/TTr-SCT”, “57-NQ/TW”",
};

fn report(kind: &Kind, found: BTreeMap<String, Vec<(usize, usize)>>, out: &mut Vec<Finding>) {
    for (what, places) in found {
        let (line, column) = places[0];
        let (n, at) = (places.len(), places_list(&places));
        let pl = super::places_en(n);
        out.push(Finding::new(
            "punctuation",
            Severity::Warning,
            line,
            column,
            format!("{}: “{what}” ({n} chỗ: {at})", kind.vi),
            format!("{}: “{what}” ({pl}: {at})", kind.en),
            kind.fix_vi,
            kind.fix_en,
        ));
    }
}

/// A few characters around byte `i` of `s`, for the message.
fn around(s: &str, i: usize) -> String {
    let start = s[..i].char_indices().rev().nth(7).map_or(0, |(b, _)| b);
    let end = s[i..].char_indices().nth(8).map_or(s.len(), |(b, _)| i + b);
    s[start..end].trim().to_string()
}

fn symbol_group(t: &str) -> bool {
    t.chars().any(|c| c.is_uppercase())
        && t.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '&' | '.' | ',' | ';' | ')' | '('))
        && t.trim_end_matches([',', ';', '.', ')'])
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '/' | '&' | '.'))
        && t.chars().next().is_some_and(|c| c.is_uppercase())
}

pub(super) fn spacing(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut before = BTreeMap::new();
    let mut after = BTreeMap::new();
    let mut dash = BTreeMap::new();
    let mut symbol = BTreeMap::new();
    for l in lines {
        let s = l.raw;
        let chars: Vec<(usize, char)> = s.char_indices().collect();
        let at = |k: usize| chars.get(k).map(|p| p.1);
        for (k, &(i, c)) in chars.iter().enumerate() {
            let prev = k.checked_sub(1).and_then(at);
            let next = at(k + 1);
            let next2 = at(k + 2);
            // A space before , . ; : (not a row of dots, not "./.")
            if matches!(c, ',' | '.' | ';' | ':')
                && prev == Some(' ')
                && k >= 2
                && at(k - 2).is_some_and(|p| p != ' ' && p != '.' && p != '…')
                && next != Some(c)
                && next != Some('/')
                && !(c == '.' && next.is_none_or(|n| n == ' ') && at(k - 2) == Some('-'))
            {
                before
                    .entry(around(s, i))
                    .or_insert_with(Vec::new)
                    .push((l.no, column_at(s, i)));
            }
            // No space after , ; : before a letter.
            if matches!(c, ',' | ';' | ':')
                && next.is_some_and(|n| n.is_alphabetic())
                && prev.is_some_and(|p| p.is_alphanumeric() || p == ')' || p == '”')
            {
                after
                    .entry(around(s, i))
                    .or_insert_with(Vec::new)
                    .push((l.no, column_at(s, i)));
            }
            // 2026 -2031, 2026- 2031
            if matches!(c, '-' | '–') {
                let one_sided = (prev == Some(' ')
                    && next.is_some_and(|n| n.is_ascii_digit())
                    && k >= 2
                    && at(k - 2).is_some_and(|p| p.is_ascii_digit()))
                    || (prev.is_some_and(|p| p.is_ascii_digit())
                        && next == Some(' ')
                        && next2.is_some_and(|n| n.is_ascii_digit()));
                if one_sided {
                    dash.entry(around(s, i))
                        .or_insert_with(Vec::new)
                        .push((l.no, column_at(s, i)));
                }
            }
        }
        // Spaces around the hyphen of a symbol: "33/TTr - SCT", "57- NQ/TW".
        if l.text.starts_with("Số:") {
            continue; // the number-symbol rule judges that line
        }
        let tokens: Vec<(usize, &str)> = s
            .split(' ')
            .scan(0usize, |pos, t| {
                let start = *pos;
                *pos += t.len() + 1;
                Some((start, t))
            })
            .filter(|(_, t)| !t.is_empty())
            .collect();
        for w in 0..tokens.len() {
            let (_, t) = tokens[w];
            let left_symbol = |t: &str| {
                let t = t.trim_end_matches('-');
                (t.contains('/')
                    && t.split('/')
                        .next()
                        .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()) && !n.is_empty())
                    && t.chars().last().is_some_and(|c| c.is_alphanumeric()))
                    || (!t.is_empty() && t.chars().all(|c| c.is_ascii_digit()))
            };
            let found = if t == "-" {
                w > 0
                    && w + 1 < tokens.len()
                    && left_symbol(tokens[w - 1].1)
                    && tokens[w - 1].1.contains('/')
                    && symbol_group(tokens[w + 1].1)
            } else if let Some(stem) = t.strip_suffix('-') {
                !stem.is_empty()
                    && left_symbol(stem)
                    && w + 1 < tokens.len()
                    && symbol_group(tokens[w + 1].1)
                    && (stem.contains('/') || tokens[w + 1].1.contains('/'))
            } else if let Some(rest) = t.strip_prefix('-') {
                w > 0
                    && !rest.is_empty()
                    && left_symbol(tokens[w - 1].1)
                    && tokens[w - 1].1.contains('/')
                    && symbol_group(rest)
            } else {
                false
            };
            if found {
                let from = if t == "-" || t.starts_with('-') {
                    w - 1
                } else {
                    w
                };
                let to = if t == "-" {
                    w + 1
                } else if t.starts_with('-') {
                    w
                } else {
                    w + 1
                };
                let shown = tokens[from..=to.min(tokens.len() - 1)]
                    .iter()
                    .map(|(_, t)| *t)
                    .collect::<Vec<_>>()
                    .join(" ");
                let shown = shown.trim_end_matches([',', ';', '.', ')']).to_string();
                symbol
                    .entry(shown)
                    .or_insert_with(Vec::new)
                    .push((l.no, column_at(s, tokens[from].0)));
            }
        }
    }
    report(&SPACE_BEFORE, before, out);
    report(&NO_SPACE_AFTER, after, out);
    report(&RANGE_DASH, dash, out);
    report(&SYMBOL_SPACE, symbol, out);
}

/// An item marker that opens a line: "a)", "đ)", "1)", "- b)".
fn item_marker_end(s: &str) -> Option<usize> {
    let t = s.trim_start_matches([' ', '-', '*', '\t']);
    let skipped = s.len() - t.len();
    let close = t.find(')')?;
    let head = &t[..close];
    (!head.is_empty() && head.chars().count() <= 3 && head.chars().all(char::is_alphanumeric))
        .then_some(skipped + close)
}

/// Brackets and quotes that do not pair up within a paragraph (a line).
pub(super) fn brackets(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut places = Vec::new();
    for l in lines {
        let skip = item_marker_end(l.raw);
        let mut depth = 0i32;
        let mut bad = None;
        let (mut open_q, mut close_q, mut straight) = (0, 0, 0);
        for (i, c) in l.raw.char_indices() {
            match c {
                '(' => depth += 1,
                ')' if Some(i) == skip => {}
                ')' => {
                    depth -= 1;
                    if depth < 0 && bad.is_none() {
                        bad = Some(i);
                    }
                }
                '“' => open_q += 1,
                '”' => close_q += 1,
                '"' => straight += 1,
                _ => {}
            }
        }
        let unbalanced = bad.is_some() || depth > 0 || open_q != close_q || straight % 2 == 1;
        if unbalanced {
            let i = bad.unwrap_or(0);
            places.push((l.no, column_at(l.raw, i)));
        }
    }
    let Some(&(line, column)) = places.first() else {
        return;
    };
    let (n, at) = (places.len(), places_list(&places));
    out.push(Finding::new(
        "punctuation",
        Severity::Warning,
        line,
        column,
        format!("Ngoặc đơn hoặc ngoặc kép không khớp trong đoạn ({n} đoạn: {at})"),
        format!("Unbalanced brackets or quotes in a paragraph ({n} paragraphs: {at})"),
        "Đóng mỗi “(” bằng “)” và mỗi “ bằng ” trong cùng đoạn",
        "Close each “(” with “)” and each “ with ” in the same paragraph",
    ));
}
