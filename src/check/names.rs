//! Spelling consistency: one name written two ways, old and new tone
//! placement mixed, and text in legacy TCVN3 / VNI encodings.

use std::collections::{BTreeMap, HashMap};

use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

use super::{DocLine, Finding, Severity};
use crate::model::text::fold_tones;

/// A capitalised phrase (two to four capitalised words) and where it stands.
struct Phrase {
    text: String,
    line: usize,
    column: usize,
}

fn is_capitalised(word: &str) -> bool {
    let mut chars = word.chars();
    let first = chars.next().is_some_and(|c| c.is_uppercase());
    // All-capital words (headings, abbreviations) are left out.
    first && chars.any(|c| c.is_lowercase())
}

fn phrases(lines: &[DocLine<'_>]) -> Vec<Phrase> {
    let mut out = Vec::new();
    for l in lines {
        let mut run: Vec<(usize, &str)> = Vec::new();
        let mut flush = |run: &mut Vec<(usize, &str)>| {
            if run.len() >= 2 {
                let start = run[0].0;
                let text = run.iter().map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
                out.push(Phrase {
                    text,
                    line: l.no,
                    column: l.raw[..start].chars().count() + 1,
                });
            }
            run.clear();
        };
        let mut last_end = None;
        for (i, w) in l.raw.split_word_bound_indices() {
            if w.chars().all(char::is_whitespace) && w == " " {
                continue;
            }
            let adjacent = last_end.is_none_or(|e: usize| l.raw[e..i] == *" ");
            if is_capitalised(w) && w.chars().any(char::is_alphabetic) {
                if !adjacent {
                    flush(&mut run);
                }
                run.push((i, w));
                if run.len() > 4 {
                    run.remove(0);
                }
            } else {
                flush(&mut run);
            }
            last_end = Some(i + w.len());
        }
        flush(&mut run);
    }
    out
}

/// Tone placement style of a word: Some(true) old ("hòa"), Some(false) new ("hoà").
fn tone_style(word: &str) -> Option<bool> {
    // Only words ending in a, e or y (with any tone) can be "oa", "oe", "uy".
    const ENDS: &str = "aàáảãạeèéẻẽẹyỳýỷỹỵAÀÁẢÃẠEÈÉẺẼẸYỲÝỶỸỴ";
    if !word.chars().last().is_some_and(|c| ENDS.contains(c)) {
        return None;
    }
    let lower = word.to_lowercase();
    let base = fold_tones(&lower);
    if base.starts_with("qu") || base.starts_with("gi") {
        return None;
    }
    let tail = ["oa", "oe", "uy"].into_iter().find(|t| base.ends_with(t))?;
    let chars: Vec<char> = lower.nfc().collect();
    let n = chars.len();
    if n < 2 || base.chars().count() != n {
        return None;
    }
    let has_tone = |c: char| {
        c.nfd()
            .any(|m| matches!(m, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}'))
    };
    let _ = tail;
    match (has_tone(chars[n - 2]), has_tone(chars[n - 1])) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    }
}

pub(super) fn spelled_two_ways(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    let mut groups: BTreeMap<String, Vec<Phrase>> = BTreeMap::new();
    for p in phrases(lines) {
        groups.entry(fold_tones(&p.text)).or_default().push(p);
    }
    for places in groups.values() {
        let mut forms: Vec<&str> = places.iter().map(|p| p.text.as_str()).collect();
        forms.sort();
        forms.dedup();
        if forms.len() < 2 {
            continue;
        }
        // Only the tone placement differs (hòa / hoà): that is the other rule.
        let styles: Vec<String> = forms
            .iter()
            .map(|f| {
                f.split(' ')
                    .map(|w| {
                        if tone_style(w).is_some() {
                            fold_tones(w)
                        } else {
                            w.to_string()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        if styles.iter().all(|s| *s == styles[0]) {
            continue;
        }
        // Reported once, at the first place of the rarer spelling.
        let count = |f: &str| places.iter().filter(|p| p.text == f).count();
        let rare = forms
            .iter()
            .copied()
            .min_by_key(|f| count(f))
            .unwrap_or(forms[0]);
        let first = places.iter().find(|p| p.text == rare).unwrap_or(&places[0]);
        let others: Vec<&str> = forms.iter().copied().filter(|f| *f != rare).collect();
        let where_ = places
            .iter()
            .map(|p| format!("“{}” {}:{}", p.text, p.line, p.column))
            .collect::<Vec<_>>()
            .join(", ");
        let n = places.len();
        let pl = super::places_en(n);
        out.push(Finding::new(
            "name-spelling",
            Severity::Warning,
            first.line,
            first.column,
            format!(
                "“{rare}” còn được viết là “{}” (khác dấu thanh), {n} chỗ: {where_}",
                others.join("”, “")
            ),
            format!(
                "“{rare}” is also written “{}” (tone marks differ), {pl}: {where_}",
                others.join("”, “")
            ),
            "Thống nhất một cách viết đúng trong toàn văn bản",
            "Use the one correct spelling throughout",
        ));
    }
}

pub(super) fn tone_placement(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    // (line index, byte offset, word); columns are counted only for the
    // places shown, and each distinct word's style is judged once.
    let mut old: Vec<(usize, usize, &str)> = Vec::new();
    let mut new: Vec<(usize, usize, &str)> = Vec::new();
    let mut styles: HashMap<&str, Option<bool>> = HashMap::new();
    for (k, l) in lines.iter().enumerate() {
        // The Quốc hiệu has its own rule ("CỘNG HÒA", Phụ lục I).
        if super::parts::has_quoc_hieu(&l.text) {
            continue;
        }
        for (i, w) in super::words(l.raw) {
            match *styles.entry(w).or_insert_with(|| tone_style(w)) {
                Some(true) => old.push((k, i, w)),
                Some(false) => new.push((k, i, w)),
                None => {}
            }
        }
    }
    let place = |&(k, i, _): &(usize, usize, &str)| {
        let l: &DocLine<'_> = &lines[k];
        (l.no, super::column_at(l.raw, i))
    };
    if old.is_empty() || new.is_empty() {
        return;
    }
    let (minority, majority) = if new.len() <= old.len() {
        (&new, &old)
    } else {
        (&old, &new)
    };
    // The majority's most frequent word, as an example of the style to keep.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for m in majority.iter() {
        *counts.entry(m.2.to_lowercase()).or_default() += 1;
    }
    let example = counts
        .iter()
        .max_by_key(|(_, n)| **n)
        .map_or(String::new(), |(w, _)| w.clone());
    let (line, column) = place(&minority[0]);
    let places: Vec<(usize, usize)> = minority.iter().take(13).map(place).collect();
    let n = minority.len();
    let mut at = super::places_list(&places[..places.len().min(12)]);
    if n > 12 {
        at.push_str(&format!(", … (+{})", n - 12));
    }
    let pl = super::places_en(n);
    let mut words: Vec<&str> = minority.iter().map(|m| m.2).collect();
    words.sort();
    words.dedup();
    let words = words.join("”, “");
    out.push(Finding::new(
        "tone-placement",
        Severity::Warning,
        line,
        column,
        format!("Đặt dấu thanh kiểu khác phần còn lại của văn bản: “{words}” ({n} chỗ: {at}; văn bản phần lớn viết như “{example}”, {} chỗ)", majority.len()),
        format!("Tone marks placed in the other style: “{words}” ({pl}: {at}; most of the text writes like “{example}”, {} places)", majority.len()),
        format!("Thống nhất một kiểu đặt dấu, như “{example}” (cũ: hòa, thủy; mới: hoà, thuỷ)"),
        format!("Use one style throughout, like “{example}” (old: hòa, thủy; new: hoà, thuỷ)"),
    ));
}

/// Whether `c` is a Latin-1 character that Vietnamese text in Unicode
/// never uses: TCVN3 (ABC) and VNI text read as Latin-1 is full of them
/// ("Céng hßa", "Coäng hoøa").
fn foreign_latin1(c: char) -> bool {
    const VIETNAMESE: &str = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý";
    const PUNCTUATION: &str = "\u{a0}«»°±·×÷§©®";
    ('\u{a1}'..='\u{ff}').contains(&c) && !VIETNAMESE.contains(c) && !PUNCTUATION.contains(c)
}

/// VNI's marks after a vowel, as Latin-1 letters ("Coäng", "hoøa").
const VNI_MARKS: &str = "äøûïñëöå";

pub(super) fn legacy_encoding(lines: &[DocLine<'_>]) -> Option<Finding> {
    let mut foreign = 0;
    let mut vni = 0;
    let mut words = 0;
    let mut first = None;
    for l in lines {
        for w in l.raw.split_whitespace() {
            let chars: Vec<char> = w.chars().collect();
            let f = chars.iter().filter(|c| foreign_latin1(**c)).count();
            let v = chars
                .windows(2)
                .filter(|p| "aeiouyAEIOUY".contains(p[0]) && VNI_MARKS.contains(p[1]))
                .count();
            if f > 0 {
                words += 1;
                if first.is_none() {
                    first = Some((l.no, w.to_string()));
                }
            }
            foreign += f;
            vni += v;
        }
    }
    let (line, word) = first?;
    if foreign < 3 || words < 2 {
        return None;
    }
    let name = if vni * 2 >= foreign {
        "VNI"
    } else {
        "TCVN3 (ABC)"
    };
    Some(Finding::new(
        "legacy-encoding",
        Severity::Error,
        line,
        1,
        format!("Văn bản có vẻ được gõ bằng bảng mã cũ {name} (VD: “{word}”), không phải Unicode"),
        format!("The text looks like legacy {name} encoding (e.g. “{word}”), not Unicode"),
        "Chuyển mã sang Unicode (VD: dùng chức năng chuyển mã của Unikey) rồi lưu lại",
        "Convert it to Unicode (e.g. Unikey's converter) and save again",
    ))
}

/// The common noun of an administrative unit, capitalised inside a sentence
/// ("UBND Tỉnh", "Ủy ban nhân dân Huyện Văn Quan"): Phụ lục II writes it in
/// small letters ("tỉnh Nam Định", "Hội đồng nhân dân tỉnh Sơn La").
pub(super) fn unit_case(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    const UNITS: [&str; 5] = ["Tỉnh", "Huyện", "Xã", "Phường", "Quận"];
    let mut found: BTreeMap<String, Vec<(usize, usize)>> = BTreeMap::new();
    for l in lines {
        if l.text
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| !c.is_lowercase())
        {
            continue; // a heading in capitals
        }
        let ws: Vec<(usize, &str)> = super::words(l.raw).collect();
        for k in 1..ws.len() {
            let ((pi, p), (i, w)) = (ws[k - 1], ws[k]);
            let next = ws.get(k + 1).map(|n| n.1);
            // "Tỉnh ủy", "Xã hội" are other words; "UBND Tỉnh", "dân Tỉnh",
            // "của Huyện Văn Quan" are the unit.
            let unit = next.is_none_or(|n| !matches!(n, "ủy" | "uỷ" | "hội" | "Ủy" | "Uỷ"))
                && (matches!(p, "UBND" | "HĐND" | "dân")
                    || (p.chars().all(|c| c.is_lowercase())
                        && next.is_some_and(|n| n.chars().next().is_some_and(char::is_uppercase))));
            if UNITS.contains(&w) && unit && l.raw.get(pi + p.len()..i) == Some(" ") {
                found
                    .entry(format!("{p} {w}"))
                    .or_default()
                    .push((l.no, super::column_at(l.raw, i)));
            }
        }
    }
    for (what, places) in found {
        let (line, column) = places[0];
        let n = places.len();
        let pl = super::places_en(n);
        let at = super::places_list(&places);
        let (p, w) = what.split_once(' ').unwrap_or(("", &what));
        let fixed = format!("{p} {}", w.to_lowercase());
        out.push(Finding::new(
            "name-case",
            Severity::Warning,
            line,
            column,
            format!("Danh từ chung chỉ đơn vị hành chính viết hoa: “{what}” ({n} chỗ: {at})"),
            format!("An administrative unit's common noun in capitals: “{what}” ({pl}: {at})"),
            format!(
                "Viết “{fixed}” (Phụ lục II: “tỉnh Nam Định”, “Hội đồng nhân dân tỉnh Sơn La”)"
            ),
            format!(
                "Write “{fixed}” (Phụ lục II: “tỉnh Nam Định”, “Hội đồng nhân dân tỉnh Sơn La”)"
            ),
        ));
    }
}

/// One name joined by dashes written two ways: "Lao động - Thương binh",
/// "Lao động – Thương binh", "Lao động-Thương binh".
pub(super) fn dash_forms(lines: &[DocLine<'_>], out: &mut Vec<Finding>) {
    // (left word, right word) → form → places
    type Forms = BTreeMap<String, Vec<(usize, usize)>>;
    let mut names: BTreeMap<(String, String), Forms> = BTreeMap::new();
    for l in lines {
        let ws: Vec<(usize, &str)> = super::words(l.raw).collect();
        for k in 1..ws.len() {
            let ((pi, p), (i, w)) = (ws[k - 1], ws[k]);
            let between = &l.raw[pi + p.len()..i];
            let dash = between.trim();
            let capital = |s: &str| {
                let mut c = s.chars();
                c.next().is_some_and(char::is_uppercase)
                    && c.next().is_some_and(char::is_lowercase)
                    && s.chars().all(char::is_alphabetic)
            };
            if matches!(dash, "-" | "–" | "—") && capital(w) && p.chars().all(char::is_alphabetic)
            {
                // Ranges of numbers and "Độc lập - Tự do" are the same each time.
                names
                    .entry((p.to_string(), w.to_string()))
                    .or_default()
                    .entry(format!("{p}{between}{w}"))
                    .or_default()
                    .push((l.no, super::column_at(l.raw, pi)));
            }
        }
    }
    for forms in names.values() {
        if forms.len() < 2 {
            continue;
        }
        let mut places: Vec<(usize, usize)> = forms.values().flatten().copied().collect();
        places.sort();
        let (line, column) = places[0];
        let n = places.len();
        let pl = super::places_en(n);
        let at = super::places_list(&places);
        let written = forms.keys().cloned().collect::<Vec<_>>().join("”, “");
        out.push(Finding::new(
            "name-spelling",
            Severity::Warning,
            line,
            column,
            format!("Một tên viết với gạch nối khác nhau: “{written}” ({n} chỗ: {at})"),
            format!("One name written with different dashes: “{written}” ({pl}: {at})"),
            "Thống nhất một cách viết (gạch nối “-” có cách chữ hai bên, như tên cơ quan ban hành)",
            "Use one form throughout (a hyphen “-” with spaces, as the body's own name has)",
        ));
    }
}
