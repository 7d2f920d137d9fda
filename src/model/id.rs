//! Draft ids and the folder names around them. A name read from a
//! repository is used to build a path (in git or on disk) only when it
//! passes these rules.

/// The longest draft id.
pub const MAX_ID_LEN: usize = 64;

/// Whether `id` is a draft id: lower-case ASCII letters, digits and `-`,
/// starting with a letter or digit, at most [`MAX_ID_LEN`] characters.
pub fn is_valid_id(id: &str) -> bool {
    let b = id.as_bytes();
    !b.is_empty()
        && b.len() <= MAX_ID_LEN
        && b[0] != b'-'
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

/// Whether `name` can be a year folder under `drafts/`: one to four ASCII
/// digits.
pub fn is_valid_year(name: &str) -> bool {
    (1..=4).contains(&name.len()) && name.bytes().all(|c| c.is_ascii_digit())
}

/// `<id>.md`, the name of a file to edit a draft in, when `id` is a valid
/// id (so the name cannot climb out of the folder it is joined onto).
pub fn edit_file_name(id: &str) -> Option<String> {
    is_valid_id(id).then(|| format!("{id}.md"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        for ok in ["cv-tang-cuong", "2024-bc-1", "a", &"a".repeat(64)] {
            assert!(is_valid_id(ok), "{ok}");
        }
        for bad in [
            "",
            "-x",
            "Cv",
            "a b",
            "../../x",
            ".x",
            "a/b",
            "đ",
            "a\x1b",
            &"a".repeat(65),
        ] {
            assert!(!is_valid_id(bad), "{bad:?}");
        }
    }

    #[test]
    fn years() {
        assert!(is_valid_year("2024"));
        assert!(!is_valid_year(".."));
        assert!(!is_valid_year("20245"));
        assert!(!is_valid_year(""));
    }
}
