//! Document checks (thể thức, Nghị định 30/2020/NĐ-CP, Phụ lục I) and
//! Vietnamese spelling consistency. Texts are checked in NFC with LF line
//! endings, so NFC, NFD and the Windows-keyboard form give the same findings.

mod consistency;
mod names;
mod parts;
mod punctuation;
mod signature;
mod spelling;
mod structure;
mod syllable;

use serde::Serialize;

use crate::model::Kind;
use crate::model::text::canonical;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Must be fixed before signing.
    Error,
    /// Probably wrong; look.
    Warning,
    /// Normal in a draft; must be filled at issuance.
    Info,
}

/// One finding, with its place and a message in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's identifier.
    pub rule: &'static str,
    /// Error, warning or info.
    pub severity: Severity,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters of the NFC text.
    pub column: usize,
    /// What is wrong, in Vietnamese.
    pub message_vi: String,
    /// What is wrong, in English.
    pub message_en: String,
    /// What to do, in Vietnamese.
    pub fix_vi: String,
    /// What to do, in English.
    pub fix_en: String,
}

impl Finding {
    #[allow(clippy::too_many_arguments)]
    fn new(
        rule: &'static str,
        severity: Severity,
        line: usize,
        column: usize,
        message_vi: impl Into<String>,
        message_en: impl Into<String>,
        fix_vi: impl Into<String>,
        fix_en: impl Into<String>,
    ) -> Finding {
        Finding {
            rule,
            severity,
            line,
            column,
            message_vi: message_vi.into(),
            message_en: message_en.into(),
            fix_vi: fix_vi.into(),
            fix_en: fix_en.into(),
        }
    }
}

/// A line of the document with bold markers and surrounding spaces removed.
#[derive(Debug, Clone)]
pub(crate) struct DocLine<'a> {
    /// 1-based number.
    pub no: usize,
    /// The line as written.
    pub raw: &'a str,
    /// Trimmed, without `**`.
    pub text: String,
}

pub(crate) fn doc_lines(text: &str) -> Vec<DocLine<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, raw)| DocLine {
            no: i + 1,
            raw,
            text: raw.replace("**", "").trim().to_string(),
        })
        .collect()
}

/// Places as "line:column", at most twelve, then how many more, e.g.
/// "3:5, 9:12, 14:1" or "3:5, …, (+4)".
pub(crate) fn places_list(places: &[(usize, usize)]) -> String {
    const SHOWN: usize = 12;
    let mut s = places
        .iter()
        .take(SHOWN)
        .map(|(l, c)| format!("{l}:{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    if places.len() > SHOWN {
        s.push_str(&format!(", … (+{})", places.len() - SHOWN));
    }
    s
}

/// The words of `s` as maximal runs of letters and digits, with their byte
/// offsets: much faster than Unicode word segmentation, and enough for the
/// checks (which then look at letters and digits only).
pub(crate) fn words(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = None;
    let mut chars = s.char_indices().chain(std::iter::once((s.len(), ' ')));
    std::iter::from_fn(move || {
        for (i, c) in chars.by_ref() {
            let word_char = c.is_alphanumeric() || ('\u{300}'..='\u{36f}').contains(&c);
            match (start, word_char) {
                (None, true) => start = Some(i),
                (Some(b), false) => {
                    start = None;
                    return Some((b, &s[b..i]));
                }
                _ => {}
            }
        }
        None
    })
}

/// "1 place" or "3 places", for English messages.
pub(crate) fn places_en(n: usize) -> String {
    if n == 1 {
        "1 place".to_string()
    } else {
        format!("{n} places")
    }
}

/// Column (1-based, in chars) of byte offset `byte` in `line`.
pub(crate) fn column_at(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(1, |p| p.chars().count() + 1)
}

/// Column (1-based, in chars) of `needle` in `line`, or 1.
pub(crate) fn column_of(line: &str, needle: &str) -> usize {
    line.find(needle)
        .map(|b| line[..b].chars().count() + 1)
        .unwrap_or(1)
}

/// Checks a draft's text; `kind` selects the rules of its document kind.
pub fn check(text: &str, kind: Kind) -> Vec<Finding> {
    let text = canonical(text);
    let lines = doc_lines(&text);
    let mut out = Vec::new();
    if let Some(f) = names::legacy_encoding(&lines) {
        // Garbage in an old encoding: other checks would only add noise.
        out.push(f);
        return out;
    }
    spelling::garbled(&lines, &mut out);
    parts::required(&lines, kind, &mut out);
    parts::number_and_symbol(&lines, kind, &mut out);
    parts::date(&lines, &mut out);
    parts::recipients(&lines, kind, &mut out);
    signature::authority(&lines, &mut out);
    names::spelled_two_ways(&lines, &mut out);
    names::tone_placement(&lines, &mut out);
    names::unit_case(&lines, &mut out);
    names::dash_forms(&lines, &mut out);
    spelling::syllables(&lines, &mut out);
    spelling::glued_and_doubled(&lines, &mut out);
    punctuation::spacing(&lines, &mut out);
    punctuation::brackets(&lines, &mut out);
    structure::numbering(&lines, &mut out);
    structure::nhu_dieu(&lines, kind, &mut out);
    consistency::weekdays(&lines, &mut out);
    consistency::citations(&lines, &mut out);
    out.sort_by_key(|f| (f.line, f.column, f.severity));
    out
}
