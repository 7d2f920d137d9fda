//! Vietnamese syllable structure: onset, rhyme and tone, the spelling rules
//! of c/k/q, g/gh, ng/ngh, stop endings that take only the sắc or nặng
//! tone, and where the tone mark stands.

use unicode_normalization::UnicodeNormalization;

/// Why a word is not a well-formed Vietnamese syllable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    /// More than one tone mark.
    TwoTones,
    /// No known onset + rhyme split.
    Shape,
    /// "ce", "ghá", "ngí": the c/k, g/gh, ng/ngh rule.
    OnsetRule,
    /// A stop ending (p, t, c, ch) with a tone other than sắc or nặng.
    StopTone,
    /// The tone mark on the wrong vowel ("cuả"); holds the correct form.
    TonePlace(String),
}

/// The tone of a character: 0 none, 1 huyền, 2 sắc, 3 hỏi, 4 ngã, 5 nặng.
fn split_tone(c: char) -> (char, u8) {
    let mut tone = 0;
    let mut base = String::new();
    for m in c.nfd() {
        match m {
            '\u{300}' => tone = 1,
            '\u{301}' => tone = 2,
            '\u{309}' => tone = 3,
            '\u{303}' => tone = 4,
            '\u{323}' => tone = 5,
            _ => base.push(m),
        }
    }
    let base: String = base.nfc().collect();
    (base.chars().next().unwrap_or(c), tone)
}

fn put_tone(c: char, tone: u8) -> char {
    let mark = match tone {
        1 => '\u{300}',
        2 => '\u{301}',
        3 => '\u{309}',
        4 => '\u{303}',
        5 => '\u{323}',
        _ => return c,
    };
    let s: String = [c, mark].iter().collect::<String>().nfc().collect();
    s.chars().next().unwrap_or(c)
}

const VOWELS: &str = "aăâeêioôơuưy";

fn is_vowel(c: char) -> bool {
    VOWELS.contains(c)
}

const ONSETS: [&str; 27] = [
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr", "b", "c", "d", "đ", "g",
    "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x",
];

/// Vowel nuclei (with an optional glide before) that may end a syllable.
const OPEN: &[&str] = &[
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y", "ai", "ao", "au", "ay", "âu", "ây", "eo",
    "êu", "ia", "iu", "oi", "ôi", "ơi", "ua", "ui", "uê", "ưa", "ưi", "ưu", "ươi", "ươu", "iêu",
    "yêu", "uôi", "oa", "oe", "oai", "oao", "oay", "oeo", "uy", "uya", "uyu", "uây", "uơ",
];

/// Nuclei (with an optional glide before) that take a final consonant.
const CLOSED: &[(&str, &str)] = &[
    ("a", "m n ng nh p t c ch"),
    ("ă", "m n ng p t c"),
    ("â", "m n ng p t c"),
    ("e", "m n ng p t c"),
    ("ê", "m n nh p t ch"),
    ("i", "m n nh p t ch"),
    ("o", "m n ng p t c"),
    ("oo", "ng c"),
    ("ô", "m n ng p t c"),
    ("ơ", "m n p t"),
    ("u", "m n ng p t c"),
    ("ư", "m n ng t c"),
    ("iê", "m n ng p t c"),
    ("yê", "m n ng p t"),
    ("uô", "m n ng t c"),
    ("ươ", "m n ng p t c"),
    ("oa", "m n ng nh p t c ch"),
    ("oă", "m n ng t c"),
    ("oe", "m n t"),
    ("uâ", "n ng t"),
    ("uy", "n nh t ch"),
    ("uyê", "n t"),
    ("uê", "nh ch"),
    ("uơ", "n"),
];

fn rhyme_ok(nucleus: &str, coda: &str) -> bool {
    if coda.is_empty() {
        return OPEN.contains(&nucleus);
    }
    CLOSED
        .iter()
        .any(|(n, codas)| *n == nucleus && codas.split(' ').any(|c| c == coda))
}

/// Index (in the nucleus) of the vowel that carries the tone; the second
/// value is the other accepted place (old/new style "hòa"/"hoà").
fn tone_places(nucleus: &[char], has_coda: bool) -> (usize, Option<usize>) {
    let marked: Vec<usize> = nucleus
        .iter()
        .enumerate()
        .filter(|(_, c)| "ăâêôơư".contains(**c))
        .map(|(i, _)| i)
        .collect();
    if let Some(&last) = marked.last() {
        return (last, None);
    }
    match nucleus.len() {
        0 | 1 => (0, None),
        2 => {
            let pair: String = nucleus.iter().collect();
            if has_coda {
                (1, None)
            } else if matches!(pair.as_str(), "oa" | "oe" | "uy") {
                (0, Some(1))
            } else {
                (0, None)
            }
        }
        _ => (1, None),
    }
}

/// Checks one lowercase word made only of Vietnamese letters.
/// `name` relaxes the onset and rhyme inventory (ethnic place names such as
/// "Đắk Lắk", "Krông") but still checks where the tone mark stands.
pub(crate) fn check_word(word: &str, name: bool) -> Result<(), Problem> {
    let mut base = Vec::new();
    let mut tone = 0u8;
    let mut tone_at = None;
    for c in word.chars() {
        let (b, t) = split_tone(c);
        if t != 0 {
            if tone != 0 {
                return Err(Problem::TwoTones);
            }
            tone = t;
            tone_at = Some(base.len());
        }
        base.push(b);
    }
    let s: String = base.iter().collect();
    // Onset: the longest that leaves a vowel next ("gi" and "qu" only then).
    let mut onset = "";
    for o in ONSETS {
        if let Some(rest) = s.strip_prefix(o) {
            let rest_starts_vowel = rest.chars().next().is_some_and(is_vowel);
            if (o == "gi" || o == "qu") && !rest_starts_vowel {
                continue;
            }
            onset = o;
            break;
        }
    }
    let rest: Vec<char> = base[onset.chars().count()..].to_vec();
    let n_vowels = rest.iter().take_while(|c| is_vowel(**c)).count();
    if n_vowels == 0 {
        return if name { Ok(()) } else { Err(Problem::Shape) };
    }
    let nucleus: String = rest[..n_vowels].iter().collect();
    let coda: String = rest[n_vowels..].iter().collect();
    if !name {
        let rhyme = rhyme_ok(&nucleus, &coda)
            || (onset == "qu" && rhyme_ok(&format!("u{nucleus}"), &coda))
            || (onset == "gi" && rhyme_ok(&format!("i{nucleus}"), &coda));
        if !rhyme {
            return Err(Problem::Shape);
        }
        let front = matches!(rest[0], 'i' | 'e' | 'ê' | 'y');
        let bad_onset = match onset {
            "k" | "gh" | "ngh" => !front,
            "c" | "ng" => front,
            "g" => matches!(rest[0], 'e' | 'ê'),
            _ => false,
        };
        if bad_onset {
            return Err(Problem::OnsetRule);
        }
        if matches!(coda.as_str(), "p" | "t" | "c" | "ch") && !matches!(tone, 2 | 5) {
            return Err(Problem::StopTone);
        }
    }
    let Some(at) = tone_at else { return Ok(()) };
    let start = onset.chars().count();
    let nuc: Vec<char> = rest[..n_vowels].to_vec();
    let (want, alt) = tone_places(&nuc, !coda.is_empty());
    let got = at.checked_sub(start);
    if got == Some(want) || (got.is_some() && got == alt) {
        return Ok(());
    }
    // Rebuild the word with the mark on the right vowel, keeping the case.
    let fixed: String = word
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let (b, _) = split_tone(c);
            if i == start + want {
                put_tone(b, tone)
            } else {
                b
            }
        })
        .collect();
    Err(Problem::TonePlace(fixed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_words_pass() {
        for w in [
            "của",
            "người",
            "quốc",
            "giữa",
            "gì",
            "hòa",
            "hoà",
            "thủy",
            "thuỷ",
            "khuyến",
            "nghiệp",
            "kế",
            "ghi",
            "ngoài",
            "xoáy",
            "khuỷu",
            "tuyển",
            "thuở",
            "quý",
            "giấy",
            "yêu",
            "oanh",
            "hoạch",
            "việc",
            "đường",
            "ương",
            "xoong",
            "gìn",
            "huỳnh",
            "khuya",
            "ủy",
            "uỷ",
            "cấp",
            "tháng",
            "năm",
            "được",
            "mười",
            "hươu",
            "duyệt",
        ] {
            assert_eq!(check_word(w, false), Ok(()), "{w}");
        }
    }

    #[test]
    fn slips_are_caught() {
        assert_eq!(
            check_word("cuả", false),
            Err(Problem::TonePlace("của".into()))
        );
        assert_eq!(
            check_word("hòan", false),
            Err(Problem::TonePlace("hoàn".into()))
        );
        assert_eq!(check_word("ké", false), Ok(()));
        assert_eq!(check_word("cế", false), Err(Problem::OnsetRule));
        assert_eq!(check_word("ngiệp", false), Err(Problem::OnsetRule));
        assert_eq!(check_word("cảt", false), Err(Problem::StopTone));
        assert_eq!(check_word("thôngg", false), Err(Problem::Shape));
        assert_eq!(check_word("đắk", true), Ok(()));
    }
}
