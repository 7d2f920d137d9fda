//! Repository text cannot drive the terminal: a repository whose titles,
//! names, comments, notes, draft text, commit messages and file names are
//! full of escape sequences, C1 controls and bidirectional overrides; no
//! command prints one of those characters as it is.

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

/// Every kind of character that must not reach the terminal raw.
const NASTY: &str = "\x1b[2J\x1b]0;pwned\x07\u{9b}31m\u{85}\x7f\u{202e}\u{2066}\u{202a}\r";

/// Whether the tools this test needs are here; a missing one fails the
/// test when DUYET_REQUIRE_TOOLS=1, and is loudly skipped otherwise.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("-?").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("DUYET_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "{tool} is required (DUYET_REQUIRE_TOOLS=1) but missing"
        );
        eprintln!("!!! SKIPPED: {tool} is not installed; this test did not run !!!");
    }
    ok
}

/// A byte or character of `out` that could drive a terminal, if any.
fn first_unsafe(out: &[u8]) -> Option<String> {
    for (i, &b) in out.iter().enumerate() {
        let bare_cr = b == b'\r' && out.get(i + 1) != Some(&b'\n');
        if b == 0x1b || b == 0x7f || bare_cr || (b < 0x20 && !matches!(b, b'\n' | b'\t' | b'\r')) {
            return Some(format!("byte {b:#04x} at {i}"));
        }
    }
    let text = String::from_utf8_lossy(out);
    text.chars()
        .find(|c| {
            ('\u{80}'..='\u{9f}').contains(c)
                || ('\u{202a}'..='\u{202e}').contains(c)
                || ('\u{2066}'..='\u{2069}').contains(c)
        })
        .map(|c| format!("U+{:04X}", c as u32))
}

/// Escapes `s` for a TOML basic string.
fn toml_str(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() || ('\u{2000}'..='\u{2fff}').contains(&c) => {
                out.push_str(&format!("\\u{:04X}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A long, ordinary draft with the nasty characters inside (git takes a
/// text with a few controls in a long text as text, not binary).
fn draft_text(extra: &str) -> String {
    let mut s = String::from("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n");
    for i in 0..60 {
        s.push_str(&format!(
            "Dòng {i}: tuyên truyền cải cách hành chính trên địa bàn tỉnh Lạng Sơn.\n"
        ));
    }
    s.push_str(&format!("Chèn {NASTY} giữa dòng {extra}.\n"));
    s
}

/// `git` with a nasty author name.
fn git_as(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", format!("Lương{NASTY}Vũ"))
        .env("GIT_AUTHOR_EMAIL", format!("vu{NASTY}@example.vn"))
        .env("GIT_COMMITTER_NAME", "Lương Minh Vũ")
        .env("GIT_COMMITTER_EMAIL", "vu@example.vn")
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn nasty_repository(t: &Path) -> std::path::PathBuf {
    let dir = t.join("r");
    std::fs::create_dir_all(&dir).expect("mkdir");
    init_repo(&dir);
    let key = t.join("ha");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ha", "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen runs");
    assert!(made.status.success());
    git(&dir, &["config", "gpg.format", "ssh"]);
    git(
        &dir,
        &["config", "user.signingKey", key.to_str().expect("utf-8")],
    );
    git(&dir, &["config", "user.name", &format!("Trần{NASTY}Hà")]);
    // Revision 1: title, text and commit message full of controls.
    write(&dir, "drafts/2024/x/draft.md", draft_text("một"));
    let meta = format!(
        "title = {}\nkind = \"cong-van\"\nunit = {}\ndrafter = {}\n",
        toml_str(&format!("V/v Tăng cường{NASTY}tuyên truyền")),
        toml_str(&format!("VP{NASTY}")),
        toml_str(&format!("Lương{NASTY}Vũ")),
    );
    write(&dir, "drafts/2024/x/meta.toml", meta);
    git_as(&dir, &["add", "-A"]);
    git_as(
        &dir,
        &[
            "commit",
            "-q",
            "-m",
            &format!("Dự thảo{NASTY}mới\n\nThân{NASTY}bài"),
        ],
    );
    let pubkey = t.join("ha.pub");
    let added = duyet(
        &dir,
        &[
            "trust",
            "add",
            "--name",
            &format!("Trần{NASTY}Thu Hà"),
            "--email",
            "ha@example.vn",
            "--role",
            "approver",
            "--role",
            "admin",
            "--ssh",
            pubkey.to_str().expect("utf-8"),
        ],
    );
    assert!(added.status.success(), "{}", stderr(&added));
    // Revision 2, then a signed return with a nasty comment and note.
    write(&dir, "drafts/2024/x/draft.md", draft_text("hai"));
    git_as(&dir, &["commit", "-q", "-am", &format!("Sửa{NASTY}lại")]);
    let ret = duyet(
        &dir,
        &[
            "return",
            "x",
            "-m",
            &format!("Đề nghị{NASTY}sửa\nDòng hai{NASTY}"),
            "--note",
            &format!("3:Ghi chú{NASTY}"),
        ],
    );
    assert!(ret.status.success(), "{}", stderr(&ret));
    // An unsigned review with a nasty reviewer and a nasty file beside it:
    // findings quote both.
    let review = format!(
        "decision = \"approved\"\nrevision = \"{}\"\nreviewer = {}\nemail = \"m@x\"\ntime = {}\ncomment = {}\n",
        blob_at_head(&dir, "drafts/2024/x/draft.md"),
        toml_str(&format!("Mallory{NASTY}")),
        toml_str(&format!("2024{NASTY}")),
        toml_str(NASTY),
    );
    write(&dir, "drafts/2024/x/review.toml", review);
    write(&dir, &format!("drafts/2024/x/tệp{NASTY}.txt"), "x");
    git_as(&dir, &["add", "-A"]);
    git_as(
        &dir,
        &[
            "commit",
            "-q",
            "-m",
            &format!("Duyệt: x\n\nDraft: x{NASTY}\nDecision: approved\nRevision: {NASTY}"),
        ],
    );
    // A folder whose name is not an id.
    write(&dir, &format!("drafts/2024/bad{NASTY}id/draft.md"), "x\n");
    write(
        &dir,
        &format!("drafts/2024/bad{NASTY}id/meta.toml"),
        meta_plain(),
    );
    git_as(&dir, &["add", "-A"]);
    git_as(&dir, &["commit", "-q", "-m", "Thư mục lạ"]);
    dir
}

fn meta_plain() -> String {
    meta("V/v thư mục lạ")
}

#[test]
fn no_command_prints_a_control_character_from_the_repository() {
    if !have("ssh-keygen") {
        return;
    }
    let t = tmp();
    let dir = nasty_repository(t.path());
    let commands: &[&[&str]] = &[
        &["list"],
        &["list", "--json"],
        &["log", "x"],
        &["log", "x", "--json"],
        &["show", "x"],
        &["show", "x", "--rev", "1"],
        &["diff", "x", "1", "2"],
        &["diff", "x", "1", "2", "--json"],
        &["check", "x"],
        &["audit", "--no-record"],
        &["audit", "--csv", "--no-record"],
        &["audit", "--json", "--no-record"],
        &["trust", "list"],
        &["trust", "list", "--json"],
        &["trust", "allowed-signers"],
        &["show", &format!("x{NASTY}")],
    ];
    for args in commands {
        let out = duyet(&dir, args);
        assert!(
            !stderr(&out).contains("panicked"),
            "{args:?}: {}",
            stderr(&out)
        );
        for (what, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            if let Some(bad) = first_unsafe(bytes) {
                panic!(
                    "duyet {args:?}: {what} holds {bad}:\n{}",
                    String::from_utf8_lossy(bytes)
                );
            }
        }
    }
    // The text is there, made visible, not dropped.
    let list = stdout(&duyet(&dir, &["list"]));
    assert!(list.contains("Tăng cường\\x1b[2J"), "{list}");
    assert!(list.contains("\\u{202e}"), "{list}");
    assert!(
        list.contains("invalid") && list.contains("drafts/2024/bad\\x1b"),
        "{list}"
    );
    let show = stdout(&duyet(&dir, &["show", "x"]));
    assert!(show.contains("Chèn \\x1b[2J\\x1b]0;pwned\\x07\\u{9b}31m\\u{85}\\x7f\\u{202e}\\u{2066}\\u{202a}\\r giữa"), "{show}");
    let log = stdout(&duyet(&dir, &["log", "x"]));
    assert!(log.contains("Đề nghị\\x1b[2J"), "{log}");
    assert!(log.contains("Ghi chú\\x1b[2J"), "{log}");
    let audit = stdout(&duyet(&dir, &["audit", "--no-record"]));
    assert!(audit.contains("Mallory\\x1b"), "{audit}");
}

#[test]
fn json_output_escapes_them_and_keeps_the_text() {
    if !have("ssh-keygen") {
        return;
    }
    let t = tmp();
    let dir = nasty_repository(t.path());
    let list = stdout(&duyet(&dir, &["list", "--json"]));
    assert!(list.contains("\\u202e") && list.contains("\\u0085") && list.contains("\\u007f"));
    let v: serde_json::Value = serde_json::from_str(&list).expect("valid JSON");
    assert_eq!(
        v[0]["title"].as_str(),
        Some(format!("V/v Tăng cường{NASTY}tuyên truyền").as_str())
    );
    let audit = stdout(&duyet(&dir, &["audit", "--json", "--no-record"]));
    let a: serde_json::Value = serde_json::from_str(&audit).expect("valid JSON");
    assert!(
        a["findings"].as_array().is_some_and(|f| !f.is_empty()),
        "{audit}"
    );
    let trust = stdout(&duyet(&dir, &["trust", "list", "--json"]));
    let t: serde_json::Value = serde_json::from_str(&trust).expect("valid JSON");
    assert_eq!(
        t["member"][0]["name"].as_str(),
        Some(format!("Trần{NASTY}Thu Hà").as_str())
    );
    let log = stdout(&duyet(&dir, &["log", "x", "--json"]));
    let l: serde_json::Value = serde_json::from_str(&log).expect("valid JSON");
    assert_eq!(
        l["revisions"][0]["author"].as_str(),
        Some(format!("Lương{NASTY}Vũ").as_str())
    );
}

#[test]
fn the_tui_shows_the_text_without_them() {
    use duyet::i18n::Lang;
    use duyet::repo::DraftRepo;
    use duyet::tui::app::{Action, App};
    use duyet::tui::keymap::Keymap;
    use duyet::tui::theme::Theme;
    use duyet::tui::worker;
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    if !have("ssh-keygen") {
        return;
    }
    let t = tmp();
    let dir = nasty_repository(t.path());
    let repo = DraftRepo::open(Some(&dir)).expect("open");
    let mut app = App::new(Lang::En, Keymap::default(), 1_709_251_200, (140, 40));
    let mut cache = worker::Cache::new();
    let mut settle = |app: &mut App| loop {
        let jobs = app.take_jobs();
        if jobs.is_empty() {
            break;
        }
        for j in jobs {
            let done = worker::run(&repo, j, &mut cache, &mut |_| {});
            app.update(Action::Done(done));
        }
    };
    settle(&mut app);
    let mut screens = Vec::new();
    for key in [
        Some(KeyCode::Char('f')),
        Some(KeyCode::Enter),
        Some(KeyCode::Char('A')),
    ] {
        if let Some(k) = key {
            app.update(Action::Key(KeyEvent::new(k, KeyModifiers::NONE)));
            settle(&mut app);
        }
        let mut term = Terminal::new(TestBackend::new(140, 40)).expect("terminal");
        term.draw(|f| app.draw(f, &Theme::default())).expect("draw");
        let cells: String = term
            .backend()
            .buffer()
            .content()
            .iter()
            .map(|c| c.symbol())
            .collect();
        if let Some(bad) = first_unsafe(cells.as_bytes()) {
            panic!("the screen holds {bad}:\n{}", term.backend());
        }
        screens.push(term.backend().to_string());
    }
    // What is left of the title, the comment and the author is shown.
    assert!(
        screens[0].contains("Tăng cường[2J]0;pwned31mtuyên"),
        "{}",
        screens[0]
    );
    assert!(
        screens[1].contains("Lương[2J]0;pwned31mVũ"),
        "{}",
        screens[1]
    );
    assert!(screens[2].contains("2024[2J]0;pwned31m "), "{}", screens[2]);
}
