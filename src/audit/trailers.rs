//! Git trailers: the last paragraph of a message when every line of it is
//! "Token: value" (as `git interpret-trailers --parse` reads them).

/// The trailers of `message`, in order.
pub fn parse_trailers(message: &str) -> Vec<(String, String)> {
    let trimmed = message.trim_end();
    let last = trimmed.rsplit("\n\n").next().unwrap_or("");
    let mut out = Vec::new();
    for line in last.lines() {
        let Some((k, v)) = line.split_once(':') else {
            return Vec::new();
        };
        if k.is_empty() || !k.chars().all(|c| c.is_alphanumeric() || c == '-') {
            return Vec::new();
        }
        out.push((k.to_string(), v.trim().to_string()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_paragraph_only() {
        let m = "Duyệt: X\n\nĐồng ý: ban hành.\n\nDraft: a\nDecision: approved\nRevision: 123\n";
        assert_eq!(
            parse_trailers(m),
            [
                ("Draft".into(), "a".into()),
                ("Decision".into(), "approved".into()),
                ("Revision".into(), "123".into())
            ]
        );
        assert!(parse_trailers("Subject\n\nbody text\n").is_empty());
    }
}
