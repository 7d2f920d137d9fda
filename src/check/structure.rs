//! Structure (Phụ lục I, II.6.đ): articles “Điều 1, 2, 3” without gaps or
//! repeats, section numerals I, II, III and clauses 1, 2, 3 in order,
//! points lettered in the order of the Vietnamese alphabet; in a quyết
//! định, “- Như Điều N;” naming the article that says who carries it out.

use super::{DocLine, Finding, Severity, column_of};
use crate::model::Kind;

/// The Vietnamese alphabet as used for points: a, b, c, d, đ, e, g, h, i, k, …
const POINTS: [char; 23] = [
    'a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't',
    'u', 'v', 'x', 'y',
];

fn roman(s: &str) -> Option<usize> {
    const R: [&str; 20] = [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
        "XV", "XVI", "XVII", "XVIII", "XIX", "XX",
    ];
    R.iter().position(|r| *r == s).map(|i| i + 1)
}

/// "Điều 12." or "Điều 12 ." → 12.
fn article(t: &str) -> Option<usize> {
    let rest = t.strip_prefix("Điều ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let after = rest[digits.len()..].trim_start();
    if digits.is_empty() || !(after.starts_with('.') || after.starts_with(':')) {
        return None;
    }
    digits.parse().ok()
}

/// "II. MỤC TIÊU" → 2.
fn section(t: &str) -> Option<usize> {
    let (head, rest) = t.split_once(". ")?;
    (!rest.is_empty()).then_some(())?;
    roman(head)
}

/// "3. Nội dung" → 3 (not "3.1." nor "1.000").
fn clause(t: &str) -> Option<usize> {
    let (head, rest) = t.split_once(". ")?;
    if head.is_empty() || head.len() > 2 || !head.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    (!rest.is_empty()).then_some(())?;
    head.parse().ok()
}

/// "đ) Nội dung" → 'đ'.
fn point(t: &str) -> Option<char> {
    let mut chars = t.chars();
    let c = chars.next()?;
    (c.is_lowercase() && chars.next() == Some(')') && chars.next() == Some(' ')).then_some(c)
}

struct Seq {
    last: Option<usize>,
}

impl Seq {
    fn new() -> Seq {
        Seq { last: None }
    }
    /// Whether `n` may follow: the next number, or 1 to start again.
    fn take(&mut self, n: usize) -> Option<usize> {
        let bad = match self.last {
            Some(p) if n != p + 1 && n != 1 => Some(p),
            _ => None,
        };
        self.last = Some(n);
        bad
    }
}

fn warn(
    out: &mut Vec<Finding>,
    l: &DocLine<'_>,
    vi: String,
    en: String,
    fix_vi: String,
    fix_en: String,
) {
    out.push(Finding::new(
        "structure",
        Severity::Warning,
        l.no,
        1,
        vi,
        en,
        fix_vi,
        fix_en,
    ));
}

pub(super) fn numbering(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut articles = Seq::new();
    let mut sections = Seq::new();
    let mut clauses = Seq::new();
    let mut points: Option<usize> = None;
    for l in lines {
        let t = l.text.as_str();
        if t.starts_with("Nơi nhận") {
            break;
        }
        if let Some(n) = article(t) {
            if let Some(p) = articles.take(n) {
                warn(
                    out,
                    l,
                    format!("“Điều {n}” đứng sau “Điều {p}”: số điều bị lặp hoặc nhảy cóc"),
                    format!(
                        "“Điều {n}” follows “Điều {p}”: an article number repeats or is skipped"
                    ),
                    format!("Đánh số liên tục: “Điều {}”", p + 1),
                    format!("Number articles in order: “Điều {}”", p + 1),
                );
            }
            clauses = Seq::new();
            points = None;
        } else if let Some(n) = t
            .split_once(". ")
            .and_then(|(h, _)| roman(h))
            .and(section(t))
        {
            if let Some(p) = sections.take(n) {
                warn(
                    out,
                    l,
                    format!("Mục La Mã số {n} đứng sau số {p}: thứ tự các mục không liên tục"),
                    format!("Section numeral {n} follows {p}: sections are out of order"),
                    "Đánh số mục I, II, III… liên tục".to_string(),
                    "Number sections I, II, III… in order".to_string(),
                );
            }
            clauses = Seq::new();
            points = None;
        } else if let Some(n) = clause(t) {
            if let Some(p) = clauses.take(n) {
                warn(
                    out,
                    l,
                    format!("Khoản “{n}.” đứng sau “{p}.”: số thứ tự bị lặp hoặc nhảy cóc"),
                    format!("Clause “{n}.” follows “{p}.”: a number repeats or is skipped"),
                    format!("Đánh số liên tục: “{}.”", p + 1),
                    format!("Number clauses in order: “{}.”", p + 1),
                );
            }
            points = None;
        } else if let Some(c) = point(t) {
            match POINTS.iter().position(|p| *p == c) {
                None => warn(
                    out,
                    l,
                    format!("Điểm “{c})” không thuộc bảng chữ cái tiếng Việt"),
                    format!("Point “{c})” is not a letter of the Vietnamese alphabet"),
                    "Đánh thứ tự điểm: a), b), c), d), đ), e), g), h), i), k)…".to_string(),
                    "Letter points a), b), c), d), đ), e), g), h), i), k)…".to_string(),
                ),
                Some(i) => {
                    if let Some(p) = points
                        && i != p + 1
                        && i != 0
                    {
                        let want = POINTS.get(p + 1).copied().unwrap_or('?');
                        warn(
                            out,
                            l,
                            format!(
                                "Điểm “{c})” đứng sau “{})”: sai thứ tự bảng chữ cái tiếng Việt",
                                POINTS[p]
                            ),
                            format!(
                                "Point “{c})” follows “{})”: not in the order of the Vietnamese alphabet",
                                POINTS[p]
                            ),
                            format!("Viết “{want})”"),
                            format!("Write “{want})”"),
                        );
                    }
                    points = Some(i);
                }
            }
        }
    }
}

/// In a quyết định, "- Như Điều N;" in Nơi nhận names the last article
/// (the one that says who carries the decision out).
pub(super) fn nhu_dieu(lines: &[DocLine<'_>], kind: Kind, out: &mut Vec<Finding>) {
    if kind != Kind::QuyetDinh {
        return;
    }
    let Some(noi_nhan) = lines.iter().position(|l| l.text.starts_with("Nơi nhận")) else {
        return;
    };
    let Some(last) = lines[..noi_nhan]
        .iter()
        .rev()
        .find_map(|l| article(&l.text))
    else {
        return;
    };
    for l in &lines[noi_nhan + 1..] {
        let lower = l.text.to_lowercase();
        let Some(i) = lower.find("như điều") else {
            continue;
        };
        let digits: String = lower[i + "như điều".len()..]
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if let Ok(n) = digits.parse::<usize>()
            && n != last
        {
            out.push(Finding::new(
                "structure",
                Severity::Warning,
                l.no,
                column_of(l.raw, "Như"),
                format!(
                    "“Như Điều {n}” nhưng điều cuối cùng (giao tổ chức thực hiện) là Điều {last}"
                ),
                format!("“Như Điều {n}”, but the last article (who carries it out) is Điều {last}"),
                format!("Viết “- Như Điều {last};”"),
                format!("Write “- Như Điều {last};”"),
            ));
        }
        break;
    }
}
