//! A decision happens wholly or visibly: the index lock is taken before the
//! branch moves, concurrent decisions and a clerk's `git commit` never undo
//! one another, a process killed at any point leaves either its decision
//! (completed by the next run) or nothing, and a full disk is reported as
//! what it did. Real git, real ssh keys, the real binary.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use common::*;

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";
const X_REVIEW: &str = "drafts/2024/x/review.toml";

/// Whether `program` runs; when not, says so loudly, and fails when
/// DUYET_REQUIRE_TOOLS=1.
fn have(program: &str, arg: &str) -> bool {
    let ok = Command::new(program)
        .arg(arg)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    if !ok {
        assert!(
            std::env::var("DUYET_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{program} is required (DUYET_REQUIRE_TOOLS=1) but cannot be run"
        );
        eprintln!("!!! SKIPPED: {program} is not installed; this test needs it");
    }
    ok
}

/// A repository at `dir` with drafts "x" and "y", deciding with an ssh key
/// kept outside it (in `keys`).
fn office(dir: &Path, keys: &Path) -> PathBuf {
    let dir = repo_with_draft(dir, TEXT);
    add_draft(&dir, "y", TEXT);
    std::fs::create_dir_all(keys).unwrap();
    let key = keys.join("key");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ha@example.vn", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    git(&dir, &["config", "gpg.format", "ssh"]);
    git(&dir, &["config", "user.signingKey", key.to_str().unwrap()]);
    // The signer is the trust list's approver (duyet records only what the
    // audit accepts).
    let pubkey = keys.join("key.pub");
    let o = duyet(
        &dir,
        &[
            "trust",
            "add",
            "--name",
            "Trần Thu Hà",
            "--email",
            "ha@example.vn",
            "--role",
            "approver",
            "--role",
            "admin",
            "--ssh",
            pubkey.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    dir
}

/// A `duyet` command ready to spawn in `dir`, like `common::duyet`.
fn duyet_cmd(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn head(dir: &Path) -> String {
    git(dir, &["rev-parse", "refs/heads/main"])
        .trim()
        .to_string()
}

/// The blob the index stages at `path` ("" when none).
fn staged(dir: &Path, path: &str) -> String {
    let line = git(dir, &["ls-files", "-s", "--", path]);
    line.split_whitespace().nth(1).unwrap_or("").to_string()
}

/// The blob at `rev:path` ("" when none).
fn blob(dir: &Path, rev: &str, path: &str) -> String {
    let o = git_out(
        dir,
        &["rev-parse", "-q", "--verify", &format!("{rev}:{path}")],
    );
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// Index and work tree agree with HEAD, and nothing of duyet's is left over.
fn assert_in_step(dir: &Path, when: &str) {
    let status = git(dir, &["status", "--porcelain", "--untracked-files=all"]);
    assert_eq!(status, "", "{when}: git status is not clean");
    for p in [X_REVIEW, "drafts/2024/y/review.toml"] {
        assert_eq!(staged(dir, p), blob(dir, "HEAD", p), "{when}: index at {p}");
    }
    assert!(
        !dir.join(".git/index.lock").exists(),
        "{when}: index.lock left"
    );
    let pending = std::fs::read_dir(dir.join(".git/duyet"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().starts_with("pending-"))
                .count()
        })
        .unwrap_or(0);
    assert_eq!(pending, 0, "{when}: a journal is left");
}

fn one_line(o: &Output) -> String {
    let err = stderr(o);
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    err
}

#[test]
fn a_held_lock_refuses_the_decision_and_changes_nothing() {
    if !have("ssh-keygen", "-?") {
        return;
    }
    let t = tmp();
    let dir = office(&t.path().join("r"), &t.path().join("keys"));
    // (`git status` refreshes the index now, while it can.)
    let before = repo_state(&dir);
    let lock = dir.join(".git/index.lock");
    std::fs::write(&lock, "").unwrap();
    let o = duyet(&dir, &["approve", "x", "-m", "Đồng ý"]);
    assert_eq!(o.status.code(), Some(2));
    let err = one_line(&o);
    assert!(err.contains(&lock.display().to_string()), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(
        err.contains("if no git or duyet is running, remove it"),
        "{err}"
    );
    assert_eq!(
        repo_state(&dir),
        before,
        "refs, index and work tree unchanged"
    );
    assert!(lock.exists(), "someone else's lock is not removed");
    // The same in Vietnamese.
    let o = duyet(&dir, &["--lang", "vi", "approve", "x", "-m", "Đồng ý"]);
    assert_eq!(o.status.code(), Some(2));
    let err = one_line(&o);
    assert!(
        err.contains("nếu không có git hay duyet nào đang chạy, hãy xóa nó"),
        "{err}"
    );
    assert_eq!(repo_state(&dir), before);

    // The branch's lock, as a killed `git commit` leaves it.
    std::fs::remove_file(&lock).unwrap();
    let ref_lock = dir.join(".git/refs/heads/main.lock");
    std::fs::write(&ref_lock, "").unwrap();
    let o = duyet(&dir, &["approve", "x", "-m", "Đồng ý"]);
    assert_eq!(o.status.code(), Some(2));
    let err = one_line(&o);
    assert!(err.contains("refs/heads/main.lock"), "{err}");
    assert!(
        err.contains("if no git or duyet is running, remove it"),
        "{err}"
    );
    assert_eq!(repo_state(&dir), before);
    assert_in_step(&dir, "after a refused decision");

    // Once the lock is gone the decision goes through and git agrees.
    std::fs::remove_file(&ref_lock).unwrap();
    let o = duyet(&dir, &["approve", "x", "-m", "Đồng ý"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), head(&dir));
    assert_eq!(stderr(&o), "", "no warning");
    assert_in_step(&dir, "after the decision");
}

#[test]
fn a_work_tree_that_cannot_follow_is_a_warning_not_a_failure() {
    if !have("ssh-keygen", "-?") {
        return;
    }
    let t = tmp();
    let dir = office(&t.path().join("r"), &t.path().join("keys"));
    let approve = |fail: &str, lang: &str| {
        let mut c = duyet_cmd(&dir, &["--lang", lang, "approve", "x", "-m", "Đồng ý"]);
        c.env("DUYET_FAIL_AT", fail);
        c.output().unwrap()
    };
    // The work file cannot be written: the decision is made, the index
    // already holds it (a clerk's `git commit` keeps it), and the warning
    // says how to bring the file in step.
    let o = approve("worktree", "en");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), head(&dir));
    let err = one_line(&o);
    assert!(err.contains("warning: recorded"), "{err}");
    assert!(
        err.contains(&format!("git checkout HEAD -- '{X_REVIEW}'")),
        "{err}"
    );
    assert!(!err.contains("failed"), "never 'failed': {err}");
    assert_eq!(staged(&dir, X_REVIEW), blob(&dir, "HEAD", X_REVIEW));
    assert!(!dir.join(X_REVIEW).exists());
    git(&dir, &["commit", "-q", "--allow-empty", "-m", "clerk"]);
    assert_eq!(blob(&dir, "HEAD", X_REVIEW), blob(&dir, "HEAD^", X_REVIEW));
    git(&dir, &["checkout", "HEAD", "--", X_REVIEW]);
    assert_in_step(&dir, "after the fix the warning gave");
    // In Vietnamese.
    let o = approve("worktree", "vi");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = one_line(&o);
    assert!(err.contains("cảnh báo: đã ghi xong"), "{err}");
    git(&dir, &["checkout", "HEAD", "--", X_REVIEW]);
    assert_in_step(&dir, "after the Vietnamese warning");
    // The prepared index cannot be renamed into place: the ordinary way is
    // tried, and works.
    let o = approve("install", "en");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    assert_in_step(&dir, "after the index was written the second way");
    // Neither way works: a warning with the way out.
    let o = approve("install,plain", "en");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = one_line(&o);
    assert!(err.contains("git checkout HEAD -- "), "{err}");
    git(&dir, &["checkout", "HEAD", "--", X_REVIEW]);
    assert_in_step(&dir, "after the fix");
}

/// Spawns `duyet approve ID -m MSG` in `dir`.
fn spawn_approve(dir: &Path, id: &str, msg: &str) -> std::process::Child {
    duyet_cmd(dir, &["approve", id, "-m", msg])
        .spawn()
        .expect("duyet runs")
}

#[test]
fn concurrent_approvals_in_one_work_tree() {
    if !have("ssh-keygen", "-?") {
        return;
    }
    let t = tmp();
    let dir = office(&t.path().join("r"), &t.path().join("keys"));
    let start = git(&dir, &["rev-list", "--count", "main"]);
    let start: usize = start.trim().parse().unwrap();
    let mut made = Vec::new();
    for round in 0..50 {
        let a = spawn_approve(&dir, "x", &format!("x{round}"));
        let b = spawn_approve(&dir, "y", &format!("y{round}"));
        for o in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            if o.status.success() {
                made.push(stdout(&o).trim().to_string());
            } else {
                assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
                let err = one_line(&o);
                assert!(
                    err.contains("nothing was written"),
                    "a refusal says nothing happened: {err}"
                );
            }
        }
    }
    for c in &made {
        let o = git_out(&dir, &["merge-base", "--is-ancestor", c, "main"]);
        assert!(
            o.status.success(),
            "decision {c} exited 0 but is not on main"
        );
    }
    let count: usize = git(&dir, &["rev-list", "--count", "main"])
        .trim()
        .parse()
        .unwrap();
    assert_eq!(
        count,
        start + made.len(),
        "only the reported decisions are on main"
    );
    assert!(made.len() >= 50, "at least one of each pair goes through");
    eprintln!(
        "50 pairs: {} decisions made, {} refused",
        made.len(),
        100 - made.len()
    );
    assert_in_step(&dir, "after 50 pairs");
}

#[test]
fn a_clerks_commit_never_undoes_an_approval() {
    if !have("ssh-keygen", "-?") {
        return;
    }
    let t = tmp();
    let dir = office(&t.path().join("r"), &t.path().join("keys"));
    let y = dir.join("drafts/2024/y/draft.md");
    let (mut leader_refused, mut clerk_refused) = (0, 0);
    for round in 0..25 {
        let mut text = std::fs::read_to_string(&y).unwrap();
        text.push_str(&format!("Sửa {round}.\n"));
        std::fs::write(&y, text).unwrap();
        git(&dir, &["add", "drafts/2024/y/draft.md"]);
        let mut clerk = Command::new("git");
        clerk
            .current_dir(&dir)
            .args(["commit", "-q", "-m", &format!("Sửa {round}")])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Lương Minh Vũ")
            .env("GIT_AUTHOR_EMAIL", "vu@example.vn")
            .env("GIT_COMMITTER_NAME", "Lương Minh Vũ")
            .env("GIT_COMMITTER_EMAIL", "vu@example.vn")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let comment = format!("Duyệt lần {round}");
        let leader = spawn_approve(&dir, "x", &comment);
        let clerk = clerk.spawn().unwrap();
        let (leader, clerk) = (
            leader.wait_with_output().unwrap(),
            clerk.wait_with_output().unwrap(),
        );
        if !clerk.status.success() {
            clerk_refused += 1;
            // The clerk tries again, as anyone would.
            git(&dir, &["commit", "-q", "-m", &format!("Sửa {round}, lại")]);
        }
        let at_head = stdout(&git_out(&dir, &["show", &format!("HEAD:{X_REVIEW}")]));
        if leader.status.success() {
            let c = stdout(&leader).trim().to_string();
            let o = git_out(&dir, &["merge-base", "--is-ancestor", &c, "main"]);
            assert!(
                o.status.success(),
                "round {round}: approval {c} not on main"
            );
            assert_eq!(
                blob(&dir, "HEAD", X_REVIEW),
                blob(&dir, &c, X_REVIEW),
                "round {round}: the approval was undone by the clerk's commit"
            );
        } else {
            leader_refused += 1;
            assert_eq!(leader.status.code(), Some(2));
            let err = one_line(&leader);
            assert!(err.contains("nothing was written"), "{err}");
            assert!(
                !at_head.contains(&comment),
                "round {round}: refused yet recorded"
            );
        }
        assert_in_step(&dir, &format!("round {round}"));
    }
    eprintln!(
        "25 races: approval refused {leader_refused}, clerk's commit refused {clerk_refused}"
    );
}

/// A small deterministic generator (the seed is printed).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

#[test]
fn a_killed_decision_is_whole_or_absent() {
    if !have("ssh-keygen", "-?") {
        return;
    }
    let t = tmp();
    let dir = office(&t.path().join("r"), &t.path().join("keys"));
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(7);
    eprintln!("seed {seed}");
    let mut rng = Rng(seed);
    // The points between the steps of a commit, and "" for a kill after a
    // random delay.
    let points = [
        "object",
        "locked",
        "journal",
        "moved",
        "worktree",
        "installed",
        "index",
        "",
        "",
        "",
    ];
    let (mut kept, mut dropped) = (0, 0);
    for n in 0..50 {
        let point = points[n % points.len()];
        let before = head(&dir);
        let comment = format!("Quyết định {n}");
        let mut cmd = duyet_cmd(&dir, &["approve", "x", "-m", &comment]);
        cmd.env("DUYET_CRASH_AT", point);
        let mut child = cmd.spawn().unwrap();
        if point.is_empty() {
            std::thread::sleep(std::time::Duration::from_millis(rng.below(60)));
            let _ = child.kill();
        }
        let out = child.wait_with_output().unwrap();
        let after = head(&dir);
        let moved = after != before;
        if moved {
            let msg = git(&dir, &["log", "-1", "--format=%B", "main"]);
            assert!(
                msg.contains(&comment),
                "{n} ({point}): an unknown commit {msg}"
            );
            assert_eq!(
                git(&dir, &["rev-parse", "main^"]).trim(),
                before,
                "{n} ({point}): one commit on the old head"
            );
            kept += 1;
        } else {
            dropped += 1;
        }
        if out.status.success() {
            assert!(moved, "{n} ({point}): exit 0 but the branch did not move");
        }
        // The next run finishes or undoes what was left half-done.
        let next = duyet(&dir, &["list"]);
        assert!(next.status.success(), "{}", stderr(&next));
        let note = stderr(&next);
        assert!(!note.contains("panicked"), "{note}");
        if note.contains("had recorded commit") {
            assert!(
                moved,
                "{n} ({point}): says recorded, but nothing moved: {note}"
            );
            assert!(note.contains(&after[..10]), "{note}");
        }
        if note.contains("never recorded") {
            assert!(
                !moved,
                "{n} ({point}): says never recorded, but it was: {note}"
            );
        }
        let lock = dir.join(".git/index.lock");
        if lock.exists() {
            // Left by a process killed before it wrote its journal: the next
            // decision explains it, and the user removes it.
            let o = duyet(&dir, &["approve", "y", "-m", "thử"]);
            assert_eq!(o.status.code(), Some(2), "{n} ({point}): {}", stderr(&o));
            let err = one_line(&o);
            assert!(err.contains("index.lock"), "{err}");
            assert!(
                err.contains("if no git or duyet is running, remove it"),
                "{err}"
            );
            assert_eq!(head(&dir), after, "refused, nothing moved");
            assert!(
                !moved,
                "{n} ({point}): a decision that moved the branch left its lock"
            );
            std::fs::remove_file(&lock).unwrap();
        }
        assert_in_step(&dir, &format!("kill {n} at '{point}'"));
        if moved {
            assert_eq!(
                blob(&dir, "HEAD", X_REVIEW),
                blob(&dir, &after, X_REVIEW),
                "the decision is at HEAD"
            );
        }
    }
    eprintln!("killed decisions: {kept} kept, {dropped} absent");
    assert!(kept > 0 && dropped > 0, "both outcomes were exercised");
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// Fills the file system of `dir` until it is full, then frees `pages` pages.
fn fill(filler: &Path, pages: usize) {
    use std::io::Write;
    let mut f = std::fs::File::create(filler).unwrap();
    let chunk = vec![0u8; 4096];
    let mut written = 0usize;
    while f.write_all(&chunk).is_ok() {
        written += chunk.len();
    }
    let _ = f.flush();
    let len = written.saturating_sub(pages * 4096) as u64;
    f.set_len(len).unwrap();
}

#[test]
fn a_full_disk_loses_nothing_and_says_what_happened() {
    if !have("ssh-keygen", "-?") {
        return;
    }
    let t = tmp();
    let mnt = t.path().join("disk");
    std::fs::create_dir_all(&mnt).unwrap();
    // Only root can mount; a root without the right to (a container) is
    // skipped too. The mount program itself is a required tool for root.
    if !running_as_root() {
        eprintln!("!!! SKIPPED: the full-disk test mounts a small tmpfs: run the tests as root");
        return;
    }
    let mount = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=4m", "tmpfs"])
        .arg(&mnt)
        .stderr(Stdio::null())
        .status();
    match mount {
        Ok(s) if s.success() => {}
        Ok(_) => {
            eprintln!("!!! SKIPPED: root here may not mount a tmpfs (a container?)");
            return;
        }
        Err(_) => {
            assert!(
                std::env::var("DUYET_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "mount is required (DUYET_REQUIRE_TOOLS=1) but cannot be run"
            );
            eprintln!("!!! SKIPPED: the mount program is missing");
            return;
        }
    }
    let _mount = Mount(mnt.clone());
    let dir = office(&mnt.join("r"), &t.path().join("keys"));
    let filler = mnt.join("filler");
    let (mut made, mut refused) = (0, 0);
    for pages in 0..14 {
        let before = repo_state(&dir);
        let review_before = std::fs::read(dir.join(X_REVIEW)).ok();
        let comment = format!("Đĩa đầy {pages}");
        fill(&filler, pages);
        let o = duyet(&dir, &["approve", "x", "-m", &comment]);
        std::fs::remove_file(&filler).unwrap();
        let err = stderr(&o);
        eprintln!(
            "{pages} pages free: exit {:?} {}",
            o.status.code(),
            err.trim_end()
        );
        assert!(!err.contains("panicked"), "{err}");
        if o.status.success() {
            made += 1;
            let c = stdout(&o).trim().to_string();
            assert_eq!(c, head(&dir), "{pages}: reported commit is the head");
            assert_eq!(
                staged(&dir, X_REVIEW),
                blob(&dir, "HEAD", X_REVIEW),
                "{pages}"
            );
            if err.is_empty() {
                assert_in_step(&dir, &format!("{pages} free pages"));
            } else {
                assert_eq!(err.trim_end().lines().count(), 1, "{err}");
                assert!(err.contains("warning: recorded"), "{err}");
                assert!(err.contains("git checkout HEAD -- "), "{err}");
                assert!(!err.contains("failed"), "{err}");
                git(&dir, &["checkout", "HEAD", "--", X_REVIEW]);
                assert_in_step(&dir, &format!("{pages} free pages, fixed as told"));
            }
        } else {
            refused += 1;
            assert_eq!(o.status.code(), Some(2), "{err}");
            let err = one_line(&o);
            assert!(
                err.contains("No space left on device") || err.contains("nothing was written"),
                "{pages}: the message says why: {err}"
            );
            assert_eq!(
                repo_state(&dir),
                before,
                "{pages}: refused, nothing changed"
            );
            assert_eq!(std::fs::read(dir.join(X_REVIEW)).ok(), review_before);
            assert_in_step(&dir, &format!("{pages} free pages, refused"));
        }
    }
    eprintln!("full disk: {made} decisions made, {refused} refused");
    assert!(made > 0 && refused > 0, "both outcomes were exercised");
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn the_tui_shows_a_work_tree_warning_and_how_to_fix_it() {
    use duyet::i18n::Lang;
    use duyet::repo::{Finished, WorktreeWarning};
    use duyet::tui::app::{Action, App};
    use duyet::tui::keymap::Keymap;
    use duyet::tui::theme::Theme;
    use duyet::tui::worker::Done;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    for (lang, needle) in [
        (Lang::En, "warning: recorded"),
        (Lang::Vi, "cảnh báo: đã ghi xong"),
    ] {
        let mut app = App::new(lang, Keymap::default(), 1_709_251_200, (160, 30));
        let done = Finished {
            commit: "0123456789abcdef0123456789abcdef01234567".into(),
            warning: Some(WorktreeWarning {
                commit: "0123456789abcdef0123456789abcdef01234567".into(),
                paths: vec![X_REVIEW.into()],
                cause: "No space left on device".into(),
            }),
        };
        app.update(Action::Done(Done::Decided("x".into(), Ok(done))));
        let mut term = Terminal::new(TestBackend::new(160, 30)).unwrap();
        term.draw(|f| app.draw(f, &Theme::default())).unwrap();
        let screen = term.backend().to_string();
        assert!(screen.contains(needle), "{screen}");
        assert!(screen.contains("git checkout HEAD --"), "{screen}");
        assert!(
            screen.contains("'drafts/2024/x/review.toml'`"),
            "the whole fix is shown: {screen}"
        );
        assert!(screen.contains("0123456789"), "{screen}");
    }
}
