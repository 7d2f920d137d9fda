//! Consistency: a weekday that does not match its date, one cited document
//! (number/symbol) given two different dates, and a cited document dated
//! after the document itself.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};

use super::parts::place_date;
use super::{DocLine, Finding, Severity, column_at, places_list};

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("thứ hai", Weekday::Monday),
    ("thứ ba", Weekday::Tuesday),
    ("thứ tư", Weekday::Wednesday),
    ("thứ năm", Weekday::Thursday),
    ("thứ sáu", Weekday::Friday),
    ("thứ bảy", Weekday::Saturday),
    ("chủ nhật", Weekday::Sunday),
];

/// "05/8/2024", as Vietnamese documents write dates.
fn dmy(d: Date) -> String {
    format!("{:02}/{}/{}", d.day(), d.month(), d.year())
}

fn weekday_vi(w: Weekday) -> &'static str {
    WEEKDAYS
        .iter()
        .find(|(_, d)| *d == w)
        .map_or("", |(n, _)| n)
}

fn number(s: &str) -> Option<(i16, usize)> {
    let d: String = s.chars().take_while(char::is_ascii_digit).collect();
    if d.is_empty() || d.len() > 4 {
        return None;
    }
    Some((d.parse().ok()?, d.len()))
}

/// A date at the start of `s`: "05/8/2024", "5/8" (year from `year`), or
/// "05 tháng 8 năm 2024"; with how many bytes it takes.
fn date_at(s: &str, year: Option<i16>) -> Option<(Date, usize)> {
    let (d, n1) = number(s)?;
    let rest = &s[n1..];
    let (m, y, used) = if let Some(r) = rest.strip_prefix('/') {
        let (m, n2) = number(r)?;
        let r2 = &r[n2..];
        match r2.strip_prefix('/').and_then(number) {
            Some((y, n3)) if n3 == 4 => (m, y, n1 + 1 + n2 + 1 + n3),
            _ => (m, year?, n1 + 1 + n2),
        }
    } else {
        let r = rest.strip_prefix(" tháng ")?;
        let (m, n2) = number(r)?;
        let r2 = r[n2..].strip_prefix(" năm ")?;
        let (y, n3) = number(r2)?;
        if n3 != 4 {
            return None;
        }
        (m, y, n1 + " tháng ".len() + n2 + " năm ".len() + n3)
    };
    let date = Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some((date, used))
}

/// The document's own date (or only its year, when day or month is blank).
fn own_date(lines: &[DocLine<'_>]) -> (Option<Date>, Option<i16>) {
    let Some(l) = place_date(lines) else {
        return (None, None);
    };
    let t = &l.text;
    let year = t.rfind("năm").and_then(|i| {
        let r = t[i + "năm".len()..].trim_start();
        number(r).filter(|(_, n)| *n == 4).map(|(y, _)| y)
    });
    let date = t
        .find("ngày")
        .and_then(|i| date_at(t[i + "ngày".len()..].trim_start(), None))
        .map(|(d, _)| d);
    (date, year)
}

pub(super) fn weekdays(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let (_, year) = own_date(lines);
    for l in lines {
        let lower = l.raw.to_lowercase();
        if lower.len() != l.raw.len() {
            continue; // byte offsets would not match; rare (e.g. "İ")
        }
        for (name, day) in WEEKDAYS {
            let mut from = 0;
            while let Some(k) = lower[from..].find(name) {
                let i = from + k;
                from = i + name.len();
                // "thứ Hai, ngày 05/8/2024" or "thứ Hai (05/8/2024)"
                let after = lower[from..].trim_start_matches([',', ' ', '(']);
                let after = after.strip_prefix("ngày").unwrap_or(after).trim_start();
                let found = date_at(after, year).or_else(|| {
                    // "ngày 05/8/2024 (thứ Hai)": the date just before.
                    let before = lower[..i].trim_end_matches([' ', '(', ',']);
                    let start = before
                        .rfind(|c: char| !(c.is_ascii_digit() || c == '/'))
                        .map_or(0, |p| p + 1);
                    date_at(&before[start..], year).filter(|(_, n)| start + n == before.len())
                });
                let Some((date, _)) = found else { continue };
                if date.weekday() != day {
                    let real = weekday_vi(date.weekday());
                    out.push(Finding::new(
                        "consistency",
                        Severity::Warning,
                        l.no,
                        column_at(l.raw, i),
                        format!("Ngày {} là {real}, không phải {name}", dmy(date)),
                        format!(
                            "{} is a {:?}, not {name} ({day:?})",
                            dmy(date),
                            date.weekday()
                        ),
                        format!("Sửa thứ thành “{real}” hoặc sửa lại ngày"),
                        format!("Make the weekday “{real}” or fix the date"),
                    ));
                }
            }
        }
    }
}

/// A cited "số N/SYMBOL ngày DATE": the symbol (uppercase), where, and the date.
fn citations_in(l: &DocLine<'_>, out: &mut Vec<(String, Date, usize)>) {
    let s = l.raw;
    let mut from = 0;
    while let Some(k) = s[from..].find(" ngày ") {
        let i = from + k;
        from = i + " ngày ".len();
        let Some((date, _)) = date_at(&s[from..], None) else {
            continue;
        };
        let before = s[..i].trim_end_matches([',', ' ']);
        let start = before.rfind(' ').map_or(0, |p| p + 1);
        let sym = &before[start..];
        let ok = sym.contains('/')
            && sym.chars().next().is_some_and(|c| c.is_ascii_digit())
            && sym.chars().any(char::is_uppercase);
        if ok {
            out.push((sym.to_string(), date, start));
        }
    }
}

pub(super) fn citations(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let (own, year) = own_date(lines);
    let own_line = place_date(lines).map(|l| l.no);
    let mut seen: BTreeMap<String, Vec<(Date, usize, usize)>> = BTreeMap::new();
    for l in lines {
        if Some(l.no) == own_line {
            continue;
        }
        let mut found = Vec::new();
        citations_in(l, &mut found);
        for (sym, date, start) in found {
            let col = column_at(l.raw, start);
            let later = match own {
                Some(d) => date > d,
                None => year.is_some_and(|y| date.year() > y),
            };
            if later {
                out.push(Finding::new(
                    "consistency",
                    Severity::Warning,
                    l.no,
                    col,
                    format!(
                        "Văn bản được dẫn “{sym}” ngày {} muộn hơn ngày của chính văn bản này",
                        dmy(date)
                    ),
                    format!(
                        "The cited “{sym}” of {} is dated after this document",
                        dmy(date)
                    ),
                    "Kiểm tra lại số, ngày của văn bản được dẫn",
                    "Check the cited document's number and date",
                ));
            }
            seen.entry(sym).or_default().push((date, l.no, col));
        }
    }
    for (sym, uses) in seen {
        let mut dates: Vec<Date> = uses.iter().map(|u| u.0).collect();
        dates.sort();
        dates.dedup();
        if dates.len() < 2 {
            continue;
        }
        let places: Vec<(usize, usize)> = uses.iter().map(|u| (u.1, u.2)).collect();
        let (n, at) = (places.len(), places_list(&places));
        let pl = super::places_en(n);
        let list = dates.iter().map(|d| dmy(*d)).collect::<Vec<_>>().join(", ");
        out.push(Finding::new(
            "consistency",
            Severity::Warning,
            places[0].0,
            places[0].1,
            format!("Văn bản “{sym}” được dẫn với các ngày khác nhau ({list}) ({n} chỗ: {at})"),
            format!("“{sym}” is cited with different dates ({list}) ({pl}: {at})"),
            "Thống nhất ngày của văn bản được dẫn",
            "Give the cited document one date",
        ));
    }
}
