//! Draft ids and paths: `new --id` refuses what is not an id, a folder whose
//! name is not an id is listed as invalid and never used to build a path,
//! and a tree entry named `../../x` cannot make `duyet edit` write outside
//! its temp dir.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";

#[test]
fn new_refuses_an_id_that_is_not_an_id_and_says_why() {
    let t = tmp();
    let dir = repo_with_draft(&t.path().join("r"), TEXT);
    let before = repo_state(&dir);
    let too_long = "a".repeat(65);
    for bad in [
        "Cv-Viet-Hoa",
        "../../x",
        "-x",
        "a b",
        "cv_1",
        "đ",
        too_long.as_str(),
    ] {
        let flag = format!("--id={bad}");
        let o = duyet(
            &dir,
            &["new", "--kind", "cong-van", "--title", "V/v Thử", &flag],
        );
        assert_fails(&o, "is not a valid draft id");
        assert!(!stderr(&o).contains("signing"), "{}", stderr(&o));
        assert_eq!(repo_state(&dir), before, "{bad}: something was written");
    }
    let vi = Command::new(BIN)
        .current_dir(&dir)
        .args([
            "--lang",
            "vi",
            "new",
            "--kind",
            "cong-van",
            "--title",
            "V/v Thử",
        ])
        .args(["--id", "X"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("duyet runs");
    assert_fails(&vi, "không phải là mã dự thảo hợp lệ");
    let max = "a".repeat(64);
    let ok = duyet(
        &dir,
        &[
            "new",
            "--kind",
            "cong-van",
            "--title",
            "V/v Thử",
            "--id",
            &max,
        ],
    );
    assert!(ok.status.success(), "{}", stderr(&ok));
    assert!(
        stdout(&ok).starts_with(&format!("{max}\tdrafts/")),
        "{}",
        stdout(&ok)
    );
    let again = duyet(
        &dir,
        &[
            "new",
            "--kind",
            "cong-van",
            "--title",
            "V/v Thử",
            "--id",
            &max,
        ],
    );
    assert_fails(&again, "exists already");
}

/// `git hash-object -w` of `bytes` as an object of `kind`, even one git
/// itself would refuse (`--literally`).
fn object(dir: &Path, kind: &str, bytes: &[u8]) -> String {
    let mut child = Command::new("git")
        .current_dir(dir)
        .args(["hash-object", "-w", "--literally", "--stdin", "-t", kind])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("git runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(bytes)
        .expect("write");
    let out = child.wait_with_output().expect("git hash-object");
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A raw tree of `(mode, name, id)` entries, in the order given.
fn raw_tree(dir: &Path, entries: &[(&str, &str, &str)]) -> String {
    let mut bytes = Vec::new();
    for (mode, name, id) in entries {
        bytes.extend_from_slice(format!("{mode} {name}\0").as_bytes());
        for i in (0..id.len()).step_by(2) {
            bytes.push(u8::from_str_radix(&id[i..i + 2], 16).expect("hex"));
        }
    }
    object(dir, "tree", &bytes)
}

/// A repository whose HEAD holds draft `x` and folders named `../../x`
/// (under 2024) and `..` (a year), built from raw trees.
fn hostile_repository(dir: &Path) {
    repo_with_draft(dir, TEXT);
    let draft = object(dir, "blob", TEXT.as_bytes());
    let meta = object(dir, "blob", meta("V/v leo ra ngoài").as_bytes());
    let folder = raw_tree(
        dir,
        &[
            ("100644", "draft.md", &draft),
            ("100644", "meta.toml", &meta),
        ],
    );
    let x = git(dir, &["rev-parse", "HEAD:drafts/2024/x"])
        .trim()
        .to_string();
    let year = raw_tree(dir, &[("40000", "../../x", &folder), ("40000", "x", &x)]);
    let dotdot = raw_tree(dir, &[("40000", "y", &folder)]);
    let drafts = raw_tree(dir, &[("40000", "..", &dotdot), ("40000", "2024", &year)]);
    let root = raw_tree(dir, &[("40000", "drafts", &drafts)]);
    let head = git(dir, &["rev-parse", "HEAD"]).trim().to_string();
    let commit = git(dir, &["commit-tree", &root, "-p", &head, "-m", "Cây lạ"])
        .trim()
        .to_string();
    git(dir, &["update-ref", "refs/heads/main", &commit]);
}

#[test]
fn folders_that_are_not_ids_are_listed_as_invalid_and_never_opened() {
    let t = tmp();
    let dir = t.path().join("r");
    hostile_repository(&dir);
    let list = duyet(&dir, &["list"]);
    assert_eq!(list.status.code(), Some(2), "{}", stderr(&list));
    let text = stdout(&list);
    assert!(text.contains("V/v x"), "{text}");
    assert!(text.contains("invalid  drafts/2024/../../x"), "{text}");
    assert!(text.contains("invalid  drafts/.."), "{text}");
    assert!(
        !text.contains("leo ra ngoài"),
        "an invalid folder was read: {text}"
    );
    let json = duyet(&dir, &["list", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).expect("JSON");
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    assert!(stderr(&json).contains("drafts/2024/../../x: not a draft folder"));
    for cmd in ["show", "log", "diff", "check", "approve", "submit"] {
        let mut args = vec![cmd, "../../x"];
        if cmd == "submit" {
            args.extend(["-m", "x"]);
        }
        assert_fails(&duyet(&dir, &args), "'../../x' is not a valid draft id");
    }
}

#[test]
fn edit_never_writes_outside_its_temp_dir() {
    let t = tmp();
    let dir = t.path().join("r");
    hostile_repository(&dir);
    // The editor records that it ran and changes the file.
    let temp = t.path().join("a").join("b");
    std::fs::create_dir_all(&temp).expect("mkdir");
    let ran = t.path().join("editor-ran");
    let editor = t.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\necho \"$1\" >> '{}'\necho sửa >> \"$1\"\n",
            ran.display()
        ),
    )
    .expect("write");
    let _ = Command::new("chmod").arg("+x").arg(&editor).status();
    let run = |id: &str| {
        Command::new(BIN)
            .current_dir(&dir)
            .args(["edit", id, "-m", "Sửa", "--yes"])
            .env("NO_COLOR", "1")
            .env("LANG", "C")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("TMPDIR", &temp)
            .env("VISUAL", &editor)
            .output()
            .expect("duyet runs")
    };
    let o = run("../../x");
    let mds: Vec<_> = walk(t.path())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.starts_with(&dir))
        .collect();
    assert!(mds.is_empty(), "files written outside: {mds:?}");
    assert!(!ran.exists(), "the editor ran on a path made from ../../x");
    assert_fails(&o, "'../../x' is not a valid draft id");
    // A valid id is edited inside the temp dir, and committed.
    let o = run("x");
    assert!(o.status.success(), "{}", stderr(&o));
    let edited = std::fs::read_to_string(&ran).expect("the editor ran");
    assert!(Path::new(edited.trim()).starts_with(&temp), "{edited}");
    assert!(
        git(&dir, &["show", "HEAD:drafts/2024/x/draft.md"]).contains("sửa"),
        "not committed"
    );
}

fn walk(p: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(p) {
        for e in rd.flatten() {
            let path = e.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}
