//! `duyet new --kind` takes the kind as people type it, and a công văn's
//! template writes "V/v" once, whatever the title starts with.

mod common;

use common::*;

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";

#[test]
fn new_takes_the_kind_as_typed_and_writes_v_v_once() {
    let t = tmp();
    let dir = repo_with_draft(&t.path().join("r"), TEXT);
    for (i, (kind, title)) in [
        ("công văn", "Về việc tăng cường tuyên truyền"),
        ("cong van", "V/v tăng cường tuyên truyền"),
        ("CV", "tăng cường tuyên truyền"),
        ("Công văn", "về việc: tăng cường tuyên truyền"),
    ]
    .into_iter()
    .enumerate()
    {
        let id = format!("cv-thu-{i}");
        let o = duyet(
            &dir,
            &["new", "--kind", kind, "--title", title, "--id", &id],
        );
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
        let path = stdout(&o)
            .trim_end()
            .split('\t')
            .nth(1)
            .unwrap_or_else(|| panic!("{}", stdout(&o)))
            .to_string();
        let text = std::fs::read_to_string(dir.join(&path).join("draft.md"))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert!(
            text.contains("\nV/v tăng cường tuyên truyền\n"),
            "{kind}: {text}"
        );
        assert!(!text.to_lowercase().contains("v/v về việc"), "{text}");
        let meta = std::fs::read_to_string(dir.join(&path).join("meta.toml")).unwrap_or_default();
        assert!(meta.contains("kind = \"cong-van\""), "{meta}");
    }
    // A kind that is none: one line, in the user's language, exit 2.
    let before = repo_state(&dir);
    assert_fails(
        &duyet(&dir, &["new", "--kind", "thư", "--title", "x"]),
        "unknown kind 'thư'",
    );
    assert_fails(
        &duyet(
            &dir,
            &["--lang", "vi", "new", "--kind", "thư", "--title", "x"],
        ),
        "không rõ loại văn bản 'thư'",
    );
    assert_eq!(repo_state(&dir), before);
}
