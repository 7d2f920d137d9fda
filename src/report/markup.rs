//! Small pieces of HTML shared by the report's parts: escaping, table rows
//! and heads, short ids, fingerprints, decision words.

use std::fmt::Write;

use super::labels::L;
use crate::i18n::Lang;
use crate::model::safe::visible;

/// Repository text made safe for HTML: unsafe characters shown as
/// escapes (as on a terminal), then `& < > " '` escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The first 10 characters of a commit id.
pub fn short(id: &str) -> &str {
    match id.char_indices().nth(10) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

/// A signing key as its fingerprint (`SHA256:…` for SSH).
pub fn fingerprint(key: &str) -> String {
    crate::audit::pin::ssh_fingerprint(key).unwrap_or_else(|| key.to_string())
}

/// The decision word in `lang`.
pub fn decision_word(d: &str, lang: Lang) -> &str {
    match d {
        "approved" => L::Approved.t(lang),
        "returned" => L::Returned.t(lang),
        other => other,
    }
}

/// A row of a two-column (label, value) table.
pub(super) fn row(h: &mut String, label: L, value: &str, lang: Lang) {
    let _ = writeln!(h, "<tr><th>{}</th><td>{value}</td></tr>", label.t(lang));
}

/// Opens a table with a header row.
pub(super) fn table_head(h: &mut String, cols: &[L], lang: Lang) {
    h.push_str("<table>\n<tr>");
    for c in cols {
        let _ = write!(h, "<th>{}</th>", c.t(lang));
    }
    h.push_str("</tr>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_hidden_characters_are_escaped() {
        assert_eq!(
            esc("<a href='x'>\"A & B\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;A &amp; B&quot;&lt;/a&gt;"
        );
        assert_eq!(esc("a\u{202e}b\x1bc"), "a\\u{202e}b\\x1bc");
        assert_eq!(esc("Trần Thu Hà\nDòng hai"), "Trần Thu Hà\nDòng hai");
    }

    #[test]
    fn fingerprints_are_openssh_ones() {
        let key =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOoXhdtNH4ObIM9RW1vCzEUHNCtk3V2ibyGCZvDm6PFk hà";
        assert!(fingerprint(key).starts_with("SHA256:"));
        assert_eq!(fingerprint("0123ABCD"), "0123ABCD");
    }
}
