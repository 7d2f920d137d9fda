//! The audit's trail as CSV for a spreadsheet: UTF-8 with a byte order
//! mark (so spreadsheet programs read Vietnamese right), headers in the
//! chosen language, RFC 4180 quoting.

use super::markup::{decision_word, fingerprint};
use super::{Row, finding_text, time};
use crate::i18n::Lang;

/// The byte order mark that starts the file.
pub const BOM: &str = "\u{feff}";

const HEADERS_EN: [&str; 14] = [
    "commit",
    "draft",
    "title",
    "revision number",
    "revision",
    "decision",
    "drafter",
    "reviewer",
    "signer",
    "key",
    "time",
    "verified",
    "comment",
    "findings",
];

const HEADERS_VI: [&str; 14] = [
    "commit",
    "mã dự thảo",
    "trích yếu",
    "lần sửa",
    "bản (blob)",
    "quyết định",
    "người soạn",
    "người duyệt",
    "người ký",
    "khóa ký",
    "thời gian",
    "hợp lệ",
    "ý kiến",
    "phát hiện",
];

/// The header line's fields in `lang`.
pub fn headers(lang: Lang) -> [&'static str; 14] {
    match lang {
        Lang::Vi => HEADERS_VI,
        Lang::En => HEADERS_EN,
    }
}

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// `rows` as CSV (see the module).
pub fn to_csv(rows: &[Row], lang: Lang) -> String {
    let mut out = String::from(BOM);
    out.push_str(&headers(lang).map(quote).join(","));
    out.push_str("\r\n");
    let (yes, no) = match lang {
        Lang::Vi => ("có", "không"),
        Lang::En => ("yes", "no"),
    };
    for r in rows {
        let e = &r.entry;
        let findings: Vec<String> = r.findings.iter().map(|f| finding_text(f, lang)).collect();
        let fields = [
            e.commit.clone(),
            e.draft.clone(),
            r.title.clone(),
            r.revision_number.map(|n| n.to_string()).unwrap_or_default(),
            e.revision.clone(),
            decision_word(&e.decision, lang).to_string(),
            r.drafter.clone(),
            e.reviewer.clone(),
            e.signer.clone().unwrap_or_default(),
            e.key.as_deref().map(fingerprint).unwrap_or_default(),
            r.time.map(time::local).unwrap_or_else(|| e.time.clone()),
            if e.verified { yes } else { no }.to_string(),
            r.comment.clone(),
            findings.join("; "),
        ];
        out.push_str(&fields.map(|f| quote(&f)).join(","));
        out.push_str("\r\n");
    }
    out
}
