//! Vietnamese text helpers: normal forms, accent folding, collation and
//! terminal display width over grapheme clusters.

use std::borrow::Cow;
use std::cmp::Ordering;

use unicode_normalization::{UnicodeNormalization, char::is_combining_mark, is_nfc_quick};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// Returns `s` in Unicode NFC, borrowing when it already is.
pub fn nfc(s: &str) -> Cow<'_, str> {
    if plainly_nfc(s) || is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

/// A fast check for the usual Vietnamese text: every character is below
/// U+0300 (ASCII, Latin-1, Latin Extended A/B: ă đ ơ ư), in Latin Extended
/// Additional (U+1E00–U+1EFF: ạ ả ấ … ỹ) or typographic punctuation
/// (U+2010–U+206F). All of these are NFC on their own and none combines with
/// a neighbour, so such a text is NFC. Anything else goes to the full check.
fn plainly_nfc(s: &str) -> bool {
    s.chars().all(|c| {
        c < '\u{300}'
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            || ('\u{2010}'..='\u{206F}').contains(&c)
    })
}

/// NFC with CRLF and lone CR line endings turned into LF: the form in which
/// texts are compared, diffed and checked.
pub fn canonical(s: &str) -> Cow<'_, str> {
    lf(nfc(s))
}

/// `s` with CRLF and lone CR line endings turned into LF.
pub fn lf(s: Cow<'_, str>) -> Cow<'_, str> {
    if s.contains('\r') {
        Cow::Owned(s.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        s
    }
}

/// Whether the text has CRLF or CR line endings.
pub fn has_cr(s: &str) -> bool {
    s.contains('\r')
}

const TONE_MARKS: [char; 5] = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];

/// Removes the five Vietnamese tone marks but keeps the letters
/// (ă, â, ê, ô, ơ, ư, đ stay): "Trảng Định" and "Tràng Định" both become
/// "Trang Đinh". The result is NFC.
pub fn fold_tones(s: &str) -> String {
    s.nfd().filter(|c| !TONE_MARKS.contains(c)).nfc().collect()
}

/// Folds case and every diacritic, with đ as d, for accent-insensitive search:
/// "Tăng Cường" and "tang cuong" fold to the same string.
pub fn fold_search(s: &str) -> String {
    s.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'đ' { 'd' } else { c })
        .collect()
}

/// Whether `needle` occurs in `haystack`, ignoring case and accents.
pub fn search_matches(haystack: &str, needle: &str) -> bool {
    let needle = fold_search(needle.trim());
    needle.is_empty() || fold_search(haystack).contains(&needle)
}

/// Terminal display width of `s`, summed over grapheme clusters.
pub fn display_width(s: &str) -> usize {
    s.graphemes(true).map(grapheme_width).sum()
}

fn grapheme_width(g: &str) -> usize {
    if g == "\t" {
        return 4;
    }
    UnicodeWidthStr::width(g)
}

/// Cuts `s` to at most `width` display columns, never splitting a grapheme.
/// Skips `skip` columns first (horizontal scroll). A wide grapheme cut by
/// either edge is replaced by spaces so that columns stay aligned.
pub fn slice_columns(s: &str, skip: usize, width: usize) -> String {
    let mut out = String::new();
    let mut col = 0usize;
    let end = skip + width;
    for g in s.graphemes(true) {
        let w = grapheme_width(g);
        let start = col;
        col += w;
        if col <= skip {
            continue;
        }
        if start >= end {
            break;
        }
        if start < skip || col > end {
            let visible = col.min(end) - start.max(skip);
            out.extend(std::iter::repeat_n(' ', visible));
        } else if g == "\t" {
            out.push_str("    ");
        } else {
            out.push_str(g);
        }
    }
    out
}

/// Cuts `s` to `width` columns, ending with "…" when it was longer.
pub fn truncate(s: &str, width: usize) -> String {
    if display_width(s) <= width {
        return s.to_string();
    }
    if width == 0 {
        return String::new();
    }
    let mut out = slice_columns(s, 0, width - 1);
    out.push('…');
    out
}

/// Pads `s` with spaces to `width` columns (truncating when longer).
pub fn pad(s: &str, width: usize) -> String {
    let t = truncate(s, width);
    let w = display_width(&t);
    format!("{t}{}", " ".repeat(width.saturating_sub(w)))
}

/// Rank of a base letter in the Vietnamese alphabet
/// (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y), with
/// f, j, w, z placed as in the Latin alphabet.
fn letter_rank(base: char, modifier: Option<char>) -> Option<u32> {
    const ORDER: &[(char, Option<char>)] = &[
        ('a', None),
        ('a', Some('\u{306}')),
        ('a', Some('\u{302}')),
        ('b', None),
        ('c', None),
        ('d', None),
        ('đ', None),
        ('e', None),
        ('e', Some('\u{302}')),
        ('f', None),
        ('g', None),
        ('h', None),
        ('i', None),
        ('j', None),
        ('k', None),
        ('l', None),
        ('m', None),
        ('n', None),
        ('o', None),
        ('o', Some('\u{302}')),
        ('o', Some('\u{31b}')),
        ('p', None),
        ('q', None),
        ('r', None),
        ('s', None),
        ('t', None),
        ('u', None),
        ('u', Some('\u{31b}')),
        ('v', None),
        ('w', None),
        ('x', None),
        ('y', None),
        ('z', None),
    ];
    ORDER
        .iter()
        .position(|&(b, m)| b == base && m == modifier)
        .map(|p| p as u32)
}

fn tone_rank(c: char) -> u32 {
    // ngang, huyền, hỏi, ngã, sắc, nặng
    match c {
        '\u{300}' => 1,
        '\u{309}' => 2,
        '\u{303}' => 3,
        '\u{301}' => 4,
        '\u{323}' => 5,
        _ => 0,
    }
}

/// A sort key that orders strings the Vietnamese way: letters by the
/// Vietnamese alphabet (đ after d, ă and â after a), case-insensitive, then
/// tones (ngang, huyền, hỏi, ngã, sắc, nặng), then case.
pub fn collation_key(s: &str) -> (Vec<u32>, Vec<u32>, Vec<bool>) {
    let mut primary = Vec::new();
    let mut tones = Vec::new();
    let mut case = Vec::new();
    for ch in s.nfc() {
        let mut base = None;
        let mut modifier = None;
        let mut tone = 0;
        for d in ch.nfd() {
            if base.is_none() {
                base = Some(d);
            } else if matches!(d, '\u{306}' | '\u{302}' | '\u{31b}') {
                modifier = Some(d);
            } else {
                tone = tone_rank(d).max(tone);
            }
        }
        let Some(base) = base else { continue };
        let lower = base.to_lowercase().next().unwrap_or(base);
        case.push(base != lower);
        let key = match letter_rank(lower, modifier) {
            Some(r) => 0x1_0000 + r,
            None if lower.is_alphanumeric() => 0x2_0000 + lower as u32,
            None => lower as u32,
        };
        primary.push(key);
        tones.push(tone);
    }
    (primary, tones, case)
}

/// Compares two strings the Vietnamese way (see [`collation_key`]).
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfd_and_windows_forms_become_nfc() {
        let nfc_s = "Tràng Định";
        let nfd_s: String = nfc_s.nfd().collect();
        // Windows keyboard: precomposed vowel + combining tone mark
        let win = "Tra\u{300}ng \u{110}i\u{323}nh";
        assert_ne!(nfd_s, nfc_s);
        assert_eq!(nfc(&nfd_s), nfc_s);
        assert_eq!(nfc(win), nfc_s);
    }

    #[test]
    fn tone_folding_keeps_letters() {
        assert_eq!(fold_tones("Trảng Định"), fold_tones("Tràng Định"));
        assert_eq!(fold_tones("Tràng Định"), "Trang Đinh");
        assert_ne!(fold_tones("Tăng"), fold_tones("Tang"));
    }

    #[test]
    fn search_ignores_accents_and_case() {
        assert!(search_matches("V/v Tăng cường tuyên truyền", "tang cuong"));
        assert!(search_matches("Tràng Định", "dinh"));
        assert!(!search_matches("Tràng Định", "dinhx"));
    }

    #[test]
    fn width_counts_graphemes() {
        let nfd_s: String = "Định".nfd().collect();
        assert_eq!(display_width(&nfd_s), 4);
        assert_eq!(display_width("漢字"), 4);
        assert_eq!(truncate("Tràng Định", 6), "Tràng…");
        assert_eq!(slice_columns("a漢b", 2, 2), " b");
        assert_eq!(pad("Đ", 3), "Đ  ");
    }

    #[test]
    fn vietnamese_order() {
        let mut v = vec!["Đông", "Dương", "Ăn", "Bắc", "An", "Âm", "Ơn", "Ôn", "On"];
        v.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(
            v,
            ["An", "Ăn", "Âm", "Bắc", "Dương", "Đông", "On", "Ôn", "Ơn"]
        );
        let mut t = vec!["má", "mạ", "ma", "mà", "mả", "mã"];
        t.sort_by(|a, b| compare_vi(a, b));
        assert_eq!(t, ["ma", "mà", "mả", "mã", "má", "mạ"]);
    }
}
