//! Spelling: every Vietnamese word a well-formed syllable, letters glued
//! to numbers, a word typed twice, and text garbled by control characters.
//! Each distinct slip is reported once, with its count and every place.

use std::collections::{BTreeMap, HashMap};

use super::syllable::{Problem, check_word};
use super::{DocLine, Finding, Severity, column_at, places_list};

/// Letters Vietnamese adds to ASCII (vowels with marks and đ).
fn vietnamese_letter(c: char) -> bool {
    !c.is_ascii() && c.is_alphabetic()
}

/// Whether a word is to be read as a Vietnamese syllable: Vietnamese
/// letters only, with at least one mark, and not an all-capital
/// abbreviation without a vowel mark ("HĐND", "QĐ").
fn checkable(word: &str) -> bool {
    if !word.chars().all(char::is_alphabetic) || !word.chars().any(vietnamese_letter) {
        return false;
    }
    // No vowel at all: initials ("đtb" after "- Lưu: VT, NC.") or an abbreviation.
    if !word.to_lowercase().chars().any(|c| {
        let base: String = unicode_normalization::UnicodeNormalization::nfd(std::iter::once(c))
            .take(1)
            .collect();
        "aeiouy".contains(base.as_str())
    }) {
        return false;
    }
    let upper_after_first = word.chars().skip(1).any(char::is_uppercase);
    let all_upper = word.chars().all(|c| !c.is_lowercase());
    if upper_after_first && !all_upper {
        return false; // "ThS", "iOffice"
    }
    if all_upper {
        // Abbreviations carry at most "Đ"; words in capitals carry a vowel mark.
        return word
            .chars()
            .any(|c| vietnamese_letter(c) && c != 'Đ' && c.is_alphabetic());
    }
    true
}

struct Slip {
    fix: String,
    why_vi: &'static str,
    why_en: &'static str,
    places: Vec<(usize, usize)>,
}

/// Every word that is not a well-formed Vietnamese syllable.
pub(super) fn syllables(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut slips: BTreeMap<String, Slip> = BTreeMap::new();
    // A document repeats its words: judge each distinct word once.
    let mut judged: HashMap<&str, Option<Problem>> = HashMap::new();
    for l in lines {
        for (i, w) in super::words(l.raw) {
            let verdict = judged.entry(w).or_insert_with(|| {
                if !checkable(w) {
                    return None;
                }
                let lower = w.to_lowercase();
                let capitalised = w.chars().next().is_some_and(char::is_uppercase)
                    && !w.chars().all(|c| !c.is_lowercase());
                check_word(&lower, capitalised).err()
            });
            let Some(p) = verdict.clone() else {
                continue;
            };
            let (fix, why_vi, why_en) = match p {
                Problem::TonePlace(f) => (
                    match_case(w, &f),
                    "dấu thanh đặt sai nguyên âm",
                    "tone mark on the wrong vowel",
                ),
                Problem::TwoTones => (String::new(), "có hai dấu thanh", "two tone marks"),
                Problem::OnsetRule => (
                    String::new(),
                    "sai quy tắc c/k, g/gh, ng/ngh",
                    "breaks the c/k, g/gh, ng/ngh rule",
                ),
                Problem::StopTone => (
                    String::new(),
                    "vần kết thúc bằng p, t, c, ch chỉ mang dấu sắc hoặc nặng",
                    "an ending in p, t, c, ch takes only the sắc or nặng tone",
                ),
                Problem::Shape => (
                    String::new(),
                    "không phải âm tiết tiếng Việt",
                    "not a Vietnamese syllable",
                ),
            };
            slips
                .entry(w.to_string())
                .or_insert(Slip {
                    fix,
                    why_vi,
                    why_en,
                    places: Vec::new(),
                })
                .places
                .push((l.no, column_at(l.raw, i)));
        }
    }
    for (word, s) in slips {
        let (line, column) = s.places[0];
        let n = s.places.len();
        let pl = super::places_en(n);
        let at = places_list(&s.places);
        let (fix_vi, fix_en) = if s.fix.is_empty() {
            (
                format!("Kiểm tra lại chính tả của “{word}”"),
                format!("Check the spelling of “{word}”"),
            )
        } else {
            (format!("Viết “{}”", s.fix), format!("Write “{}”", s.fix))
        };
        out.push(Finding::new(
            "spelling",
            Severity::Warning,
            line,
            column,
            format!("“{word}”: {} ({n} chỗ: {at})", s.why_vi),
            format!("“{word}”: {} ({pl}: {at})", s.why_en),
            fix_vi,
            fix_en,
        ));
    }
}

fn match_case(original: &str, fixed: &str) -> String {
    if original.chars().all(|c| !c.is_lowercase()) {
        return fixed.to_uppercase();
    }
    if original.chars().next().is_some_and(char::is_uppercase) {
        let mut c = fixed.chars();
        return c
            .next()
            .map(|f| f.to_uppercase().chain(c).collect())
            .unwrap_or_default();
    }
    fixed.to_string()
}

/// Words that are never right twice in a row ("các các").
const NEVER_TWICE: [&str; 18] = [
    "các", "của", "và", "được", "đã", "trong", "những", "với", "cho", "theo", "tại", "về", "để",
    "có", "này", "một", "không", "việc",
];

/// Letters glued to a number ("4năm", "năm2024") and a word typed twice.
pub(super) fn glued_and_doubled(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut glued: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    let mut doubled: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for l in lines {
        let mut prev: Option<(usize, &str)> = None;
        for (i, w) in super::words(l.raw) {
            let has_digit = w.chars().any(|c| c.is_ascii_digit());
            if has_digit && w.chars().any(vietnamese_letter) {
                glued
                    .entry(w.to_string())
                    .or_default()
                    .push((l.no, column_at(l.raw, i)));
            }
            if let Some((pi, p)) = prev
                && p.len() == w.len()
                && l.raw.get(pi + p.len()..i) == Some(" ")
                && (p == w || p.to_lowercase() == w.to_lowercase())
                && NEVER_TWICE.contains(&w.to_lowercase().as_str())
            {
                doubled
                    .entry(format!("{p} {w}"))
                    .or_default()
                    .push((l.no, column_at(l.raw, pi)));
            }
            prev = Some((i, w));
        }
    }
    for (w, places) in glued {
        let (line, column) = places[0];
        let (n, at) = (places.len(), places_list(&places));
        let pl = super::places_en(n);
        out.push(Finding::new(
            "spelling",
            Severity::Warning,
            line,
            column,
            format!("Chữ dính liền với số: “{w}” ({n} chỗ: {at})"),
            format!("Letters glued to a number: “{w}” ({pl}: {at})"),
            "Cách chữ giữa số và chữ",
            "Put a space between the number and the word",
        ));
    }
    for (w, places) in doubled {
        let (line, column) = places[0];
        let (n, at) = (places.len(), places_list(&places));
        let pl = super::places_en(n);
        out.push(Finding::new(
            "spelling",
            Severity::Warning,
            line,
            column,
            format!("Từ lặp: “{w}” ({n} chỗ: {at})"),
            format!("A word typed twice: “{w}” ({pl}: {at})"),
            "Bỏ từ thừa",
            "Remove the extra word",
        ));
    }
}

/// Control characters (other than tab) left by a copy from a PDF with a
/// legacy font: the text around them is usually garbled too.
pub(super) fn garbled(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut places = Vec::new();
    for l in lines {
        for (i, c) in l.raw.char_indices() {
            if c.is_control() && c != '\t' {
                places.push((l.no, column_at(l.raw, i)));
            }
        }
    }
    let Some(&(line, column)) = places.first() else {
        return;
    };
    let (n, at) = (places.len(), places_list(&places));
    out.push(Finding::new(
        "garbled-text",
        Severity::Warning,
        line,
        column,
        format!(
            "Văn bản có {n} ký tự điều khiển (thường do chép từ PDF dùng phông cũ), chữ quanh đó có thể bị lỗi: {at}"
        ),
        format!(
            "The text holds {n} control characters (usually from a copy out of a PDF with a legacy font); the words around them may be garbled: {at}"
        ),
        "Xóa các ký tự này và đối chiếu lại với bản gốc",
        "Remove them and compare the text with the original",
    ));
}
