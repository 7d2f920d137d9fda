//! Repository text on a terminal: which characters could drive the terminal
//! or reorder what it shows, and how to make them visible.
//!
//! Everything the CLI prints that comes from a repository (titles, draft
//! text, commit messages, names, e-mails, comments, notes, ids, paths,
//! findings) goes through [`visible`] or [`visible_line`]; the TUI drops
//! the same characters through [`for_screen`]; JSON output escapes them
//! through [`json_escape`]. One classification, [`is_unsafe`], for all.

use std::borrow::Cow;

/// Whether `c` must never reach a terminal as it is: C0 controls other than
/// newline and tab (ESC among them), DEL, C1 controls, and the
/// bidirectional embedding, override and isolate characters (U+202A–U+202E,
/// U+2066–U+2069). A carriage return is unsafe unless a newline follows it
/// (see [`visible`]); this function counts it unsafe.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\0'..='\x08' | '\x0b'..='\x1f' | '\x7f'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `s` holds nothing [`visible`] would change (a bare CR counts).
pub fn is_clean(s: &str) -> bool {
    let b = s.as_bytes();
    s.char_indices()
        .all(|(i, c)| !is_unsafe(c) || (c == '\r' && b.get(i + 1) == Some(&b'\n')))
}

/// `c` written as an escape: `\x1b` for C0 and DEL, `\r` for CR, `\n` and
/// `\t` for those, `\u{85}` for C1, `\u{202e}` for the bidirectional marks.
fn escape(c: char, out: &mut String) {
    match c {
        '\r' => out.push_str("\\r"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\0'..='\x1f' | '\x7f' => out.push_str(&format!("\\x{:02x}", c as u32)),
        _ => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// A multi-line text made safe to print: every unsafe character is written
/// as a visible escape (`\x1b`, `\u{202e}`, `\r` for a CR not followed by a
/// newline). Newlines, tabs and CRLF line endings stay. Borrows when
/// nothing changes.
pub fn visible(s: &str) -> Cow<'_, str> {
    if is_clean(s) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() == Some(&'\n') {
            out.push(c);
        } else if is_unsafe(c) {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A one-line field (title, name, e-mail, id, path) made safe to print:
/// as [`visible`], and newlines and carriage returns are escaped too, so a
/// field cannot break the line it is printed on. Tabs stay.
pub fn visible_line(s: &str) -> Cow<'_, str> {
    if is_clean(s) && !s.contains(['\n', '\r']) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) || c == '\n' {
            escape(c, &mut out);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for the TUI's screen: unsafe characters dropped (the terminal
/// library would drop C0 and C1 anyway; this drops the bidirectional marks
/// and a bare CR by the same rule). They have no width, so the layout does
/// not change. Borrows when nothing changes.
pub fn for_screen(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.chars().filter(|&c| !is_unsafe(c)).collect())
}

/// JSON text with every unsafe character that is still raw written as a
/// `\uXXXX` escape. serde_json escapes C0 itself but leaves DEL, C1 and the
/// bidirectional marks as they are; all of them lie in the Basic
/// Multilingual Plane and can only occur inside JSON strings, so the result
/// is valid JSON with the same value. The same holds for TOML written with
/// basic (double-quoted) strings, whose `\uXXXX` escape is the same.
pub fn json_escape(json: String) -> String {
    if !json.chars().any(is_unsafe) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 32);
    for c in json.chars() {
        if is_unsafe(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_drives_a_terminal() {
        assert_eq!(visible("a\x1b[2Jb"), "a\\x1b[2Jb");
        assert_eq!(visible("x\u{202e}y\u{2066}"), "x\\u{202e}y\\u{2066}");
        assert_eq!(visible("del\x7f c1\u{9b}"), "del\\x7f c1\\u{9b}");
        assert_eq!(visible("bare\rcr"), "bare\\rcr");
        assert_eq!(visible("crlf\r\nok\tand\n"), "crlf\r\nok\tand\n");
        assert!(matches!(visible("Tràng Định\n"), Cow::Borrowed(_)));
        assert_eq!(visible("end\r"), "end\\r");
    }

    #[test]
    fn one_line_fields_keep_their_line() {
        assert_eq!(visible_line("a\nb\r\nc"), "a\\nb\\r\\nc");
        assert_eq!(visible_line("Lương\tMinh"), "Lương\tMinh");
    }

    #[test]
    fn the_screen_drops_them() {
        assert_eq!(for_screen("a\u{202e}b\x1bc\u{85}"), "abc");
        assert_eq!(for_screen("Định"), "Định");
    }

    #[test]
    fn json_stays_json() {
        let raw = serde_json::to_string(&"a\u{7f}\u{85}\u{202e}\x1b").expect("json");
        let safe = json_escape(raw);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: String = serde_json::from_str(&safe).expect("valid json");
        assert_eq!(back, "a\u{7f}\u{85}\u{202e}\x1b");
    }

    #[test]
    fn ordinary_vietnamese_is_safe() {
        let s = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM — “Độc lập” … ½ ©";
        assert!(is_clean(s));
    }
}
