//! Helpers for integration tests: real repositories in temp dirs, built and
//! checked with the stock `git` command, and the real binary.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_duyet");

/// Runs `git` in `dir` with a fixed identity and no user config; panics on failure.
pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = git_out(dir, args);
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `git` and returns its output whatever the status.
pub fn git_out(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Lương Minh Vũ")
        .env("GIT_AUTHOR_EMAIL", "vu@example.vn")
        .env("GIT_COMMITTER_NAME", "Lương Minh Vũ")
        .env("GIT_COMMITTER_EMAIL", "vu@example.vn")
        .output()
        .expect("git runs")
}

/// A new work-tree repository on branch main.
pub fn init_repo(dir: &Path) {
    git(dir, &["init", "-q", "-b", "main"]);
    git(dir, &["config", "user.name", "Trần Thu Hà"]);
    git(dir, &["config", "user.email", "ha@example.vn"]);
}

/// `dir`, made and initialised, holding draft "x" with `text`.
pub fn repo_with_draft(dir: &Path, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("mkdir");
    init_repo(dir);
    add_draft(dir, "x", text);
    dir.to_path_buf()
}

/// A bare clone of `from` at `to`.
pub fn bare_clone(from: &Path, to: &Path) {
    git(
        from,
        &[
            "clone",
            "-q",
            "--bare",
            from.to_str().expect("utf-8 path"),
            to.to_str().expect("utf-8 path"),
        ],
    );
}

/// Writes a file (creating folders).
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, content).expect("write");
}

/// meta.toml for a draft.
pub fn meta(title: &str) -> String {
    format!(
        "title = \"{title}\"\nkind = \"cong-van\"\nunit = \"VP\"\ndrafter = \"Lương Minh Vũ\"\n"
    )
}

/// Adds draft `id` (year 2024) with `text` and commits it.
pub fn add_draft(dir: &Path, id: &str, text: &str) {
    write(dir, &format!("drafts/2024/{id}/draft.md"), text);
    write(
        dir,
        &format!("drafts/2024/{id}/meta.toml"),
        meta(&format!("V/v {id}")),
    );
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", &format!("Dự thảo {id}")]);
}

/// Blob id of a file at HEAD.
pub fn blob_at_head(dir: &Path, rel: &str) -> String {
    git(dir, &["rev-parse", &format!("HEAD:{rel}")])
        .trim()
        .to_string()
}

/// Runs the duyet binary in `dir`.
pub fn duyet(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        // The developer's own config file (its `lang`) stays out of tests.
        .env("DUYET_CONFIG", "/nonexistent/duyet/config.toml")
        .output()
        .expect("duyet runs")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts a clean failure: exit 2, one line on stderr containing `needle`.
pub fn assert_fails(o: &Output, needle: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err}"
    );
    assert!(err.contains(needle), "{needle:?} not in {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

/// The state a failed operation must leave alone: refs, index, work tree.
pub fn repo_state(dir: &Path) -> (String, String, Vec<u8>) {
    let refs = git(dir, &["for-each-ref", "--format=%(refname) %(objectname)"]);
    let head = git_out(dir, &["rev-parse", "HEAD"]);
    let status = git(dir, &["status", "--porcelain", "--untracked-files=all"]);
    let index = std::fs::read(dir.join(".git/index")).unwrap_or_default();
    (
        format!("{refs}{}", String::from_utf8_lossy(&head.stdout)),
        status,
        index,
    )
}

/// A temp dir.
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}

/// Path of the shared seed, when the checkout has ../shared beside it.
pub fn seed_path() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/cong-van-stttt-langson-2024.txt");
    p.exists().then_some(p)
}
