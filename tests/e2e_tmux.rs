//! End-to-end: the real binary in a real terminal (tmux), as a reviewer
//! uses it. CI installs tmux; without it these tests fail, they do not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use common::*;

struct Tmux {
    socket: String,
    exit_file: PathBuf,
}

impl Tmux {
    fn start(dir: &Path, tmp: &Path, name: &str) -> Tmux {
        Self::start_with(dir, tmp, name, "")
    }

    /// Starts duyet in `dir` with `env` ("NAME='value' ...") in front.
    fn start_with(dir: &Path, tmp: &Path, name: &str, env: &str) -> Tmux {
        let socket = format!("duyet-test-{}-{name}", std::process::id());
        let exit_file = tmp.join(format!("{name}.exit"));
        let script = format!(
            "cd '{}' && {env} '{}'; echo $? > '{}'; sleep 30",
            dir.display(),
            BIN,
            exit_file.display()
        );
        let t = Tmux { socket, exit_file };
        let out = t.tmux(&[
            "new-session",
            "-d",
            "-s",
            "s",
            "-x",
            "120",
            "-y",
            "32",
            "sh",
            "-c",
            &script,
        ]);
        assert!(
            out.status.success(),
            "tmux: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        t
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .env("DUYET_CONFIG", "/nonexistent/duyet.toml")
            .env("NO_COLOR", "")
            .output()
            .expect("tmux must be installed (CI installs it)")
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "s"]).stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "s"];
        args.extend_from_slice(keys);
        assert!(self.tmux(&args).status.success());
    }

    fn text(&self, text: &str) {
        assert!(
            self.tmux(&["send-keys", "-t", "s", "-l", text])
                .status
                .success()
        );
    }

    fn wait_for(&self, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(what) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "'{what}' never appeared:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn wait_exit(&self) -> String {
        let start = Instant::now();
        loop {
            if let Ok(code) = std::fs::read_to_string(&self.exit_file) {
                return code.trim().to_string();
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "duyet did not exit:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn flag(&self, name: &str) -> String {
        let out = self.tmux(&["display-message", "-p", "-t", "s", &format!("#{{{name}}}")]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn demo(t: &Path) -> PathBuf {
    let dir = t.join("demo");
    let out = duyet(t, &["demo", dir.to_str().unwrap(), "--no-open"]);
    assert!(out.status.success(), "{}", stderr(&out));
    dir
}

#[test]
fn review_the_seed_draft_in_a_terminal() {
    let t = tmp();
    let dir = demo(t.path());
    let tm = Tmux::start(&dir, t.path(), "review");
    tm.wait_for("Filter: waiting");
    assert_eq!(
        tm.flag("alternate_on"),
        "1",
        "the TUI uses the alternate screen"
    );
    tm.keys(&["/"]);
    tm.text("tang cuong");
    tm.keys(&["Enter"]);
    tm.wait_for("(1/6)");
    tm.keys(&["Enter"]);
    tm.wait_for("UBND TỈNH LẠNG SƠN");
    // The first change adds the header; the next one fixes the typo.
    tm.keys(&["n"]);
    let s = tm.wait_for("Trảng Định");
    assert!(s.contains("Trảng Định") && s.contains("Tràng Định"), "{s}");
    assert!(
        s.contains("26    - dân các cấp"),
        "deleted line with its old number: {s}"
    );
    assert!(
        s.contains("   32 + dân các cấp"),
        "inserted line with its new number: {s}"
    );
    tm.keys(&["t"]);
    tm.wait_for("#2 — side by side");
    // The pair lands on one row once the side-by-side frame is drawn (a
    // loaded machine may show the frame before it in between).
    let start = Instant::now();
    loop {
        let side = tm.screen();
        if side
            .lines()
            .any(|l| l.contains("Trảng") && l.contains("Tràng"))
        {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "both sides on one row: {side}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    tm.keys(&["q"]);
    assert_eq!(tm.wait_exit(), "0");
    assert_eq!(
        tm.flag("alternate_on"),
        "0",
        "the terminal is back in normal mode"
    );
    assert_eq!(tm.flag("cursor_flag"), "1", "the cursor is visible again");
    assert_eq!(tm.flag("mouse_any_flag"), "0", "mouse reporting is off");
}

#[test]
fn approve_a_draft_with_a_vietnamese_comment() {
    let t = tmp();
    let dir = demo(t.path());
    let before = git(&dir, &["rev-parse", "HEAD"]);
    let tm = Tmux::start(&dir, t.path(), "approve");
    tm.wait_for("Filter: waiting");
    tm.keys(&["/"]);
    tm.text("kinh phi");
    tm.keys(&["Enter"]);
    tm.wait_for("(1/6)");
    tm.keys(&["a"]);
    tm.wait_for("Approve: tt-kinh-phi-ha-tang-so");
    tm.text("Đồng ý trình UBND tỉnh.");
    tm.keys(&["Enter"]);
    tm.text("Chuyển Văn thư phát hành.");
    tm.wait_for("Chuyển Văn thư phát hành.");
    tm.keys(&["C-s"]);
    let s = tm.wait_for("✓ Approved tt-kinh-phi-ha-tang-so, signed");
    assert!(
        s.contains("not sent to the server yet — press S to sync"),
        "{s}"
    );
    tm.keys(&["q"]);
    assert_eq!(tm.wait_exit(), "0");

    let head = git(&dir, &["rev-parse", "HEAD"]);
    assert_ne!(head, before);
    let v = git_out(&dir, &["verify-commit", head.trim()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    let msg = git(&dir, &["log", "-1", "--format=%B"]);
    assert!(
        msg.contains("Đồng ý trình UBND tỉnh.\nChuyển Văn thư phát hành."),
        "{msg}"
    );
    assert!(msg.contains("Decision: approved"));
    let list = stdout(&duyet(&dir, &["list", "--status", "approved"]));
    assert!(list.contains("tt-kinh-phi-ha-tang-so"), "{list}");
}

#[test]
fn edit_a_draft_in_the_editor_and_commit_a_revision() {
    let t = tmp();
    let dir = demo(t.path());
    let tm = Tmux::start_with(
        &dir,
        t.path(),
        "edit",
        "EDITOR='sed -i s/4.850.000.000/4.900.000.000/'",
    );
    tm.wait_for("Filter: waiting");
    tm.keys(&["/"]);
    tm.text("kinh phi");
    tm.keys(&["Enter"]);
    tm.wait_for("(1/6)");
    tm.keys(&["e"]);
    tm.wait_for("New revision of tt-kinh-phi-ha-tang-so");
    tm.text("Sửa số tiền đề nghị");
    tm.keys(&["Enter"]);
    tm.wait_for("✎ tt-kinh-phi-ha-tang-so");
    tm.keys(&["q"]);
    assert_eq!(tm.wait_exit(), "0");
    assert_eq!(
        git(&dir, &["log", "-1", "--format=%s"]).trim(),
        "Sửa số tiền đề nghị"
    );
    let text = stdout(&duyet(&dir, &["show", "tt-kinh-phi-ha-tang-so"]));
    assert!(text.contains("4.900.000.000"), "{text}");
    assert_eq!(git(&dir, &["status", "--porcelain"]), "");
}

#[test]
fn a_failing_editor_is_an_error_that_stays_until_dismissed() {
    let t = tmp();
    let dir = demo(t.path());
    let before = git(&dir, &["rev-parse", "HEAD"]);
    let tm = Tmux::start_with(&dir, t.path(), "editor-fails", "EDITOR=false VISUAL=false");
    // The list is loaded: a draft is selected.
    tm.wait_for("Filter: waiting (4/6)");
    tm.keys(&["e"]);
    let s = tm.wait_for("the editor failed, nothing recorded");
    assert!(!s.contains("no change"), "{s}");
    // Moving about does not hide it; Esc does, and the keys come back.
    tm.keys(&["j"]);
    tm.keys(&["k"]);
    tm.wait_for("Esc  dismiss");
    assert!(tm.screen().contains("the editor failed"));
    tm.keys(&["Escape"]);
    tm.wait_for("Enter  open");
    tm.keys(&["q"]);
    assert_eq!(tm.wait_exit(), "0");
    assert_eq!(git(&dir, &["rev-parse", "HEAD"]), before);
}

#[test]
fn the_passphrase_is_asked_for_and_never_typed_into_the_comment() {
    let t = tmp();
    let dir = demo(t.path());
    // The demo's approver key, now with a passphrase.
    let key = dir.join(".git/duyet-demo/approver_ed25519");
    let pass = "hunter2-secret";
    match Command::new("ssh-keygen")
        .args(["-q", "-p", "-P", "", "-N", pass, "-f"])
        .arg(&key)
        .output()
    {
        Ok(o) => assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            assert!(
                std::env::var("DUYET_REQUIRE_TOOLS").as_deref() != Ok("1"),
                "ssh-keygen is required (DUYET_REQUIRE_TOOLS=1): {e}"
            );
            eprintln!("SKIPPED: ssh-keygen cannot be run ({e})");
            return;
        }
    }
    let tm = Tmux::start(&dir, t.path(), "passphrase");
    tm.wait_for("Filter: waiting");
    tm.keys(&["/"]);
    tm.text("kinh phi");
    tm.keys(&["Enter"]);
    tm.wait_for("(1/6)");
    tm.keys(&["a"]);
    tm.wait_for("Approve: tt-kinh-phi-ha-tang-so");
    tm.text("Đồng ý");
    tm.keys(&["C-s"]);
    let s = tm.wait_for("The key's passphrase is needed to sign: press Tab");
    assert!(s.contains("▶ Comment [typing here]:"), "{s}");
    // Typing goes on into the comment, where the focus was.
    tm.text(" trình UBND tỉnh.");
    tm.wait_for("Đồng ý trình UBND tỉnh.");
    tm.keys(&["Tab"]);
    tm.wait_for("▶ Key passphrase (needed to sign) [typing here]:");
    tm.text(pass);
    let s = tm.wait_for(&"•".repeat(pass.len()));
    assert!(!s.contains(pass), "{s}");
    tm.keys(&["C-s"]);
    tm.wait_for("✓ Approved tt-kinh-phi-ha-tang-so, signed");
    tm.keys(&["q"]);
    assert_eq!(tm.wait_exit(), "0");
    let msg = git(&dir, &["log", "-1", "--format=%B"]);
    assert!(msg.contains("Đồng ý trình UBND tỉnh."), "{msg}");
    assert!(!msg.contains(pass), "{msg}");
    let head = git(&dir, &["rev-parse", "HEAD"]);
    let v = git_out(&dir, &["verify-commit", head.trim()]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
}
