//! Finding a commit's signature as git finds it: only in a `gpgsig` header
//! (with its continuation lines) before the message. A signature block in
//! the message body is text, and the commit is unsigned, as `git
//! verify-commit` says.

/// A commit's signature, as git reads the raw commit object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signed {
    /// No `gpgsig` header.
    No,
    /// One `gpgsig` header: the armored signature and the bytes it signs
    /// (the commit without that header).
    Yes {
        /// The armored signature.
        signature: String,
        /// The signed bytes.
        payload: Vec<u8>,
    },
    /// More than one `gpgsig` header: git would join them into one; duyet
    /// calls the commit's signature bad.
    Many,
}

/// Splits a raw commit object into its signature and the signed bytes.
pub fn split_signed(raw: &[u8]) -> Signed {
    let mut payload = Vec::with_capacity(raw.len());
    let mut signature = Vec::new();
    let mut headers = 0;
    let mut in_sig = false;
    let mut pos = 0;
    while pos < raw.len() {
        let end = memchr::memchr(b'\n', &raw[pos..]).map_or(raw.len(), |i| pos + i + 1);
        let line = &raw[pos..end];
        if line == b"\n" {
            // The header ends: the rest (blank line and message) is signed as is.
            payload.extend_from_slice(&raw[pos..]);
            break;
        }
        if in_sig && line.first() == Some(&b' ') {
            signature.extend_from_slice(&line[1..]);
        } else if let Some(rest) = line.strip_prefix(b"gpgsig ") {
            headers += 1;
            in_sig = true;
            signature.extend_from_slice(rest);
        } else {
            in_sig = false;
            payload.extend_from_slice(line);
        }
        pos = end;
    }
    match headers {
        0 => Signed::No,
        1 => Signed::Yes {
            signature: String::from_utf8_lossy(&signature).into_owned(),
            payload,
        },
        _ => Signed::Many,
    }
}

impl super::DraftRepo {
    /// Writes a prepared commit with `signature` in its `gpgsig` header to
    /// the object database only (no ref moves); returns its id.
    pub fn write_signed_commit_object(
        &self,
        prepared: &super::PreparedCommit,
        signature: &str,
    ) -> super::Result<String> {
        let id = self.repo.commit_signed(
            &prepared.buffer,
            signature.trim_end_matches('\n'),
            Some("gpgsig"),
        )?;
        Ok(id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n";

    #[test]
    fn only_the_header_counts() {
        let signed = format!(
            "{HEAD}gpgsig -----BEGIN SSH SIGNATURE-----\n abc\n -----END SSH SIGNATURE-----\n\nmsg\n"
        );
        assert_eq!(
            split_signed(signed.as_bytes()),
            Signed::Yes {
                signature: "-----BEGIN SSH SIGNATURE-----\nabc\n-----END SSH SIGNATURE-----\n"
                    .into(),
                payload: format!("{HEAD}\nmsg\n").into_bytes(),
            }
        );
        let in_body = format!("{HEAD}\nmsg\n\ngpgsig -----BEGIN SSH SIGNATURE-----\n abc\n");
        assert_eq!(split_signed(in_body.as_bytes()), Signed::No);
        let two = format!("{HEAD}gpgsig a\n b\ngpgsig c\n\nmsg\n");
        assert_eq!(split_signed(two.as_bytes()), Signed::Many);
        let sha256 = format!("{HEAD}gpgsig-sha256 a\n b\n\nmsg\n");
        assert_eq!(split_signed(sha256.as_bytes()), Signed::No);
    }
}
