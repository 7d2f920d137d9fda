//! Snapshots of every screen over ratatui's TestBackend, in both
//! languages, driven through the same `update` the real TUI uses, with the
//! worker's jobs run synchronously on the demo repository.

mod common;

use common::*;
use duyet::i18n::Lang;
use duyet::repo::DraftRepo;
use duyet::tui::app::{Action, App};
use duyet::tui::keymap::Keymap;
use duyet::tui::popups::Layer;
use duyet::tui::theme::Theme;
use duyet::tui::worker::{self, SignerInfo};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// 2024-03-01 00:00 UTC: ages in the demo read "N days".
const NOW: i64 = 1_709_251_200;

struct Harness {
    _tmp: tempfile::TempDir,
    repo: DraftRepo,
    app: App,
    cache: worker::Cache,
}

impl Harness {
    fn new(lang: Lang, size: (u16, u16)) -> Harness {
        let t = tmp();
        let dir = t.path().join("demo");
        duyet::ops::demo::create(&dir).unwrap();
        let repo = DraftRepo::open(Some(&dir)).unwrap();
        let mut h = Harness {
            _tmp: t,
            repo,
            app: App::new(lang, Keymap::default(), NOW, size),
            cache: worker::Cache::new(),
        };
        h.settle();
        // The demo key is random: show a fixed signer on screen.
        h.app.sh.signer = Some(Ok(SignerInfo {
            who: "Trần Thu Hà <ha.tt@stttt.langson.gov.vn>".into(),
            key: "ssh /home/ha/.ssh/id_ed25519 (SHA256:demo)".into(),
            needs_passphrase: false,
        }));
        h
    }

    /// Runs queued jobs until none are left.
    fn settle(&mut self) {
        loop {
            let jobs = self.app.take_jobs();
            if jobs.is_empty() {
                break;
            }
            for j in jobs {
                let done = worker::run(&self.repo, j, &mut self.cache, &mut |_| {});
                self.app.update(Action::Done(done));
            }
        }
    }

    fn keys(&mut self, keys: &str) {
        for c in keys.chars() {
            self.key(KeyCode::Char(c));
        }
    }

    fn key(&mut self, code: KeyCode) {
        self.app
            .update(Action::Key(KeyEvent::new(code, KeyModifiers::NONE)));
        self.settle();
    }

    fn screen(&self) -> String {
        let (w, h) = self.app.sh.size;
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        term.draw(|f| self.app.draw(f, &Theme::default())).unwrap();
        term.backend().to_string()
    }
}

#[test]
fn drafts_list_vi() {
    let h = Harness::new(Lang::Vi, (110, 22));
    insta::assert_snapshot!(h.screen());
}

#[test]
fn drafts_list_all_en_sorted_by_title() {
    let mut h = Harness::new(Lang::En, (110, 22));
    h.keys("fs");
    let s = h.screen();
    assert!(s.contains("Filter: all (6/6)"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn accent_free_search_finds_the_seed() {
    let mut h = Harness::new(Lang::Vi, (110, 22));
    h.keys("/tang cuong");
    h.key(KeyCode::Enter);
    assert_eq!(h.app.list.rows.len(), 1);
    assert_eq!(h.app.selected_draft().unwrap().id, "cv-tuyen-truyen-cchc");
    insta::assert_snapshot!(h.screen());
}

#[test]
fn diff_unified_vi_and_side_by_side_en() {
    let mut h = Harness::new(Lang::Vi, (110, 24));
    h.keys("/tang cuong");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.keys("n");
    let unified = h.screen();
    let checks_title = "Kiểm tra 0✗ 0! 2i";
    assert!(unified.contains(checks_title), "{unified}");
    assert!(
        unified.contains("Trảng Định") && unified.contains("Tràng Định"),
        "{unified}"
    );
    insta::assert_snapshot!("diff_unified_vi", unified);
    h.app.sh.lang = Lang::En;
    h.keys("t");
    let side = h.screen();
    assert!(side.contains("side by side"), "{side}");
    insta::assert_snapshot!("diff_side_by_side_en", side);
    // next / previous change move the cursor between the three changes
    let second = h.app.draft.as_ref().unwrap().pane.cursor;
    h.keys("n");
    assert!(h.app.draft.as_ref().unwrap().pane.cursor > second);
    h.keys("NN");
    assert!(h.app.draft.as_ref().unwrap().pane.cursor < second);
}

#[test]
fn returned_draft_shows_its_note_beside_the_line() {
    let mut h = Harness::new(Lang::En, (110, 24));
    h.keys("f");
    h.keys("/chuyen doi so");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.keys(&"j".repeat(25));
    let s = h.screen();
    assert!(s.contains("Returned — Trần Thu Hà"), "{s}");
    assert!(s.contains("26✎+ II. NỘI DUNG TUYÊN TRUYỀN"), "{s}");
    assert!(s.contains("✎ Thêm mục 4: an toàn thông tin mạng"), "{s}");
    insta::assert_snapshot!(s);
}

#[test]
fn checks_pane_lists_findings_and_jumps_to_them() {
    let mut h = Harness::new(Lang::En, (120, 30));
    h.keys("/tang cuong");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    // Compare nothing → #1: the seed as given, with its findings.
    h.key(KeyCode::Tab);
    h.key(KeyCode::Tab);
    h.key(KeyCode::Home);
    h.key(KeyCode::Enter);
    let v = h.app.draft.as_ref().unwrap();
    assert_eq!(v.pair, Some((None, 1)));
    let s = h.screen();
    assert!(s.contains("Checks 3✗ 1! 2i"), "{s}");
    insta::assert_snapshot!(s);
    h.key(KeyCode::Tab);
    assert_eq!(
        h.app.draft.as_ref().unwrap().focus,
        duyet::tui::screens::Pane::Checks
    );
    let target = h
        .app
        .draft
        .as_ref()
        .unwrap()
        .findings
        .iter()
        .position(|f| f.rule == "name-spelling")
        .unwrap();
    for _ in 0..target {
        h.keys("j");
    }
    h.key(KeyCode::Enter);
    let v = h.app.draft.as_ref().unwrap();
    let line = &v.pane.diff.as_ref().unwrap().lines[v.pane.cursor];
    assert_eq!(Some(v.findings[target].line), line.new);
    assert!(line.text().contains("Tràng Định"), "{}", line.text());
}

#[test]
fn help_is_generated_from_the_keymap() {
    let mut h = Harness::new(Lang::Vi, (100, 34));
    h.keys("?");
    let s = h.screen();
    for b in Keymap::default().bindings.iter().filter(|b| {
        matches!(
            b.scope,
            duyet::tui::keymap::Scope::List | duyet::tui::keymap::Scope::Global
        )
    }) {
        assert!(
            s.contains(b.command.describe(Lang::Vi)),
            "{} missing",
            b.command.describe(Lang::Vi)
        );
    }
    insta::assert_snapshot!(s);
    h.key(KeyCode::Esc);
    assert!(h.app.layers.is_empty());
}

#[test]
fn decision_dialog_en() {
    let mut h = Harness::new(Lang::En, (100, 26));
    h.keys("a");
    assert!(matches!(h.app.layers.last(), Some(Layer::Decide(_))));
    h.app
        .update(Action::Paste("Đồng ý,\nchuyển Văn thư.".into()));
    insta::assert_snapshot!(h.screen());
}

#[test]
fn audit_screen_and_verified_marks() {
    let mut h = Harness::new(Lang::En, (110, 20));
    h.keys("A");
    let s = h.screen();
    assert!(
        s.contains("Approval trail: 11 decisions, 0 findings"),
        "{s}"
    );
    assert!(s.contains("No findings"), "{s}");
    // Enter opens the decision's draft; Esc comes back to the trail.
    h.key(KeyCode::Enter);
    assert_eq!(h.app.screen, duyet::tui::app::Screen::Draft);
    let draft = h.screen();
    assert!(draft.contains("✓ verified"), "{draft}");
    h.key(KeyCode::Esc);
    assert_eq!(h.app.screen, duyet::tui::app::Screen::Audit);

    // An approval smuggled in without a signature shows everywhere.
    let dir = h.repo.location();
    let blob = blob_at_head(&dir, "drafts/2024/tt-kinh-phi-ha-tang-so/draft.md");
    write(
        &dir,
        "drafts/2024/tt-kinh-phi-ha-tang-so/review.toml",
        format!(
            "decision = \"approved\"\nrevision = \"{blob}\"\nreviewer = \"Trần Thu Hà\"\nemail = \"ha.tt@stttt.langson.gov.vn\"\ntime = \"{}\"\n",
            jiff::Timestamp::now()
        ),
    );
    git(&dir, &["add", "-A"]);
    git(
        &dir,
        &[
            "commit",
            "-qm",
            &format!(
                "Duyệt: x\n\nDraft: tt-kinh-phi-ha-tang-so\nDecision: approved\nRevision: {blob}"
            ),
        ],
    );
    h.keys("R");
    let s = h.screen();
    assert!(s.contains("12 decisions, 1 findings"), "{s}");
    h.keys("f");
    let s = h.screen();
    assert!(
        s.contains("changes a review.toml or the trust list but is not signed"),
        "{s}"
    );
    // Commit ids differ from run to run (the demo key is new each time): no snapshot.
    assert!(s.contains("Approved     tt-kinh-phi-ha-tang-so"), "{s}");
    h.key(KeyCode::Esc);
    h.keys("f");
    let list = h.screen();
    let row = list
        .lines()
        .find(|l| l.contains("Về việc đề nghị bổ sung kinh phí"))
        .unwrap();
    // A forged approval never looks approved: the status column says so.
    assert!(
        row.contains("✗ ✗ invalid") && !row.contains("approved"),
        "{row}"
    );
    // The preview says the same in words.
    h.keys("/kinh phi");
    h.key(KeyCode::Enter);
    let preview = h.screen();
    assert!(
        preview.contains("Latest decision: Approved ✗ invalid"),
        "{preview}"
    );
}

#[test]
fn tiny_terminal_shows_a_message() {
    let h = Harness::new(Lang::En, (20, 6));
    let s = h.screen();
    assert!(s.contains("Terminal too"), "{s}");
}

#[test]
fn the_header_shows_how_far_a_long_walk_has_come() {
    use duyet::model::Count;
    use duyet::tui::worker::{Done, Job};
    for (lang, index, audit) in [
        (
            Lang::Vi,
            "lập chỉ mục lịch sử: 42000/100000 commit (42%)",
            "kiểm tra chữ ký: 7000 commit",
        ),
        (
            Lang::En,
            "indexing history: 42000/100000 commits (42%)",
            "auditing: 7000 commits",
        ),
    ] {
        let mut h = Harness::new(lang, (120, 12));
        // A job in flight, as when the TUI starts on a large repository.
        h.app.sh.outbox.push(Job::Stats);
        assert_eq!(h.app.take_jobs().len(), 1);
        let count = |done, total| Count { done, total };
        h.app.update(Action::Done(Done::Progress(
            "index",
            count(42_000, Some(100_000)),
        )));
        let s = h.screen();
        assert!(s.lines().next().unwrap().contains(index), "{s}");
        h.app
            .update(Action::Done(Done::Progress("audit", count(7_000, None))));
        let s = h.screen();
        assert!(s.lines().next().unwrap().contains(audit), "{s}");
    }
}

#[test]
fn help_lists_every_key_of_every_component() {
    use duyet::tui::keymap::{Scope, pretty_key};
    let keymap = Keymap::default();
    for lang in [Lang::Vi, Lang::En] {
        let mut h = Harness::new(lang, (120, 60));
        // The list, a draft, the audit screen: each with its own help.
        let mut screens = Vec::new();
        h.keys("?");
        screens.push((Scope::List, h.screen()));
        h.key(KeyCode::Esc);
        h.key(KeyCode::Enter);
        h.keys("?");
        screens.push((Scope::Draft, h.screen()));
        h.key(KeyCode::Esc);
        h.keys("A?");
        screens.push((Scope::Audit, h.screen()));
        for (screen, s) in &screens {
            let shown: Vec<_> = keymap
                .bindings
                .iter()
                .filter(|b| b.scope == *screen || b.scope == Scope::Global || b.scope.is_popup())
                .collect();
            assert!(shown.len() > 20, "{screen:?}");
            for b in shown {
                assert!(
                    s.contains(b.describe(lang)),
                    "{screen:?}: {:?} {} missing:\n{s}",
                    b.scope,
                    b.describe(lang)
                );
                for k in &b.keys {
                    assert!(
                        s.contains(&pretty_key(k)),
                        "{screen:?}: key {k} missing:\n{s}"
                    );
                }
            }
            // Every popup is named.
            for p in Scope::ALL.into_iter().filter(|p| p.is_popup()) {
                assert!(s.contains(p.describe(lang)), "{p:?} missing:\n{s}");
            }
        }
    }
}

#[test]
fn popup_keys_follow_the_keymap() {
    use duyet::tui::keymap::Command;
    use std::collections::HashMap;
    let mut h = Harness::new(Lang::En, (100, 26));
    // Sign with F2 instead of Ctrl-S, cancel with F3 instead of Esc.
    let mut keys = HashMap::new();
    keys.insert(Command::Sign, vec!["F2".to_string()]);
    keys.insert(Command::Cancel, vec!["F3".to_string()]);
    h.app.sh.keymap.rebind(&keys);
    h.keys("r");
    assert!(matches!(h.app.layers.last(), Some(Layer::Decide(_))));
    let s = h.screen();
    assert!(s.contains("F2: sign and record   F3: cancel"), "{s}");
    // Esc is now typed into nothing; F2 with an empty comment is refused.
    h.key(KeyCode::Esc);
    assert!(matches!(h.app.layers.last(), Some(Layer::Decide(_))));
    h.key(KeyCode::F(2));
    assert!(
        h.screen().contains("Returning needs a comment"),
        "{}",
        h.screen()
    );
    h.key(KeyCode::F(3));
    assert!(h.app.layers.is_empty());
}

fn ctrl(h: &mut Harness, c: char) {
    h.app.update(Action::Key(KeyEvent::new(
        KeyCode::Char(c),
        KeyModifiers::CONTROL,
    )));
    h.settle();
}

fn dialog(h: &Harness) -> &duyet::tui::popups::DecideDialog {
    match h.app.layers.last() {
        Some(Layer::Decide(d)) => d,
        other => panic!("no decision dialog: {other:?}"),
    }
}

#[test]
fn sign_without_passphrase_asks_for_it_and_keeps_the_focus() {
    for (lang, needed, label) in [
        (
            Lang::En,
            "passphrase is needed to sign",
            "▶ Key passphrase (needed to sign) [typing here]:",
        ),
        (
            Lang::Vi,
            "Cần mật khẩu khóa để ký",
            "▶ Mật khẩu khóa (bắt buộc để ký) [đang nhập]:",
        ),
    ] {
        let mut h = Harness::new(lang, (80, 24));
        if let Some(Ok(s)) = &mut h.app.sh.signer {
            s.needs_passphrase = true;
        }
        h.keys("a");
        h.keys("ok");
        ctrl(&mut h, 's');
        let s = h.screen();
        // Still open, still on the comment, and saying why.
        assert!(s.contains(needed), "{s}");
        assert!(!dialog(&h).on_passphrase);
        assert!(!dialog(&h).busy);
        // What is typed next still goes to the comment, never elsewhere.
        h.keys("!");
        assert_eq!(dialog(&h).comment.text, "ok!");
        // Tab moves, and the dialog shows where the typing goes.
        h.key(KeyCode::Tab);
        let s = h.screen();
        assert!(s.contains(label), "{s}");
        h.keys("secret");
        assert_eq!(dialog(&h).comment.text, "ok!");
        let s = h.screen();
        assert!(s.contains("••••••") && !s.contains("secret"), "{s}");
    }
}

#[test]
fn approving_an_approved_revision_asks_first() {
    let mut h = Harness::new(Lang::En, (100, 26));
    h.keys("f");
    // The first draft whose text at HEAD is approved.
    let approved = |d: &duyet::model::DraftSummary| {
        d.review.as_ref().is_some_and(|r| {
            r.decision == duyet::model::Decision::Approved && r.revision == d.draft_blob
        })
    };
    let mut moves = 0;
    while !h.app.selected_draft().is_some_and(approved) {
        h.keys("j");
        moves += 1;
        assert!(moves < 20, "no approved draft in the demo");
    }
    h.keys("a");
    let s = h.screen();
    assert!(s.contains("This revision is already approved"), "{s}");
    ctrl(&mut h, 's');
    // The first Ctrl-S only asks.
    assert!(!dialog(&h).busy);
    assert!(h.app.take_jobs().is_empty());
    let s = h.screen();
    assert!(
        s.contains("Press Ctrl-S again to sign a second approval"),
        "{s}"
    );
    // Asked and answered: the second Ctrl-S signs.
    ctrl(&mut h, 's');
    assert!(h.app.layers.is_empty(), "{}", h.screen());
}

#[test]
fn information_expires_and_errors_stay_until_dismissed() {
    use duyet::tui::worker::Done;
    use std::time::{Duration, Instant};
    for (lang, keys_word, dismiss) in [(Lang::En, "open", "dismiss"), (Lang::Vi, "mở", "bỏ qua")]
    {
        let mut h = Harness::new(lang, (80, 24));
        let bar = |h: &Harness| h.screen().lines().last().unwrap_or("").to_string();
        assert!(bar(&h).contains(keys_word), "{}", bar(&h));
        // Information: gone at the next key, and the key still acts.
        h.app.update(Action::Edited(
            "cv-x".into(),
            "same".into(),
            "same".into(),
            false,
        ));
        assert!(bar(&h).contains("cv-x"), "{}", bar(&h));
        let before = h.app.list.selected;
        h.keys("j");
        assert!(bar(&h).contains(keys_word), "{}", bar(&h));
        assert_ne!(h.app.list.selected, before);
        // ...or after a few seconds without a key.
        h.app.update(Action::Edited(
            "cv-x".into(),
            "same".into(),
            "same".into(),
            false,
        ));
        h.app.tick(Instant::now());
        assert!(bar(&h).contains("cv-x"), "{}", bar(&h));
        h.app.tick(Instant::now() + Duration::from_secs(10));
        assert!(bar(&h).contains(keys_word), "{}", bar(&h));
        // An error stays through keys and time, and says how to dismiss it.
        h.app
            .update(Action::Done(Done::Synced(Err("sync refused".into()))));
        h.keys("jk");
        h.app.tick(Instant::now() + Duration::from_secs(600));
        let b = bar(&h);
        assert!(b.contains("sync refused") && b.contains(dismiss), "{b}");
        h.key(KeyCode::Esc);
        assert!(bar(&h).contains(keys_word), "{}", bar(&h));
    }
}

#[test]
fn help_scrolls_at_80x24_and_says_what_is_below() {
    for (lang, more, notice) in [
        (Lang::Vi, "dòng: ↓ PgDn", "Thông báo:"),
        (Lang::En, "more lines: ↓ PgDn", "Notice:"),
    ] {
        let mut h = Harness::new(lang, (80, 24));
        h.keys("?");
        let s = h.screen();
        // The last popup's keys do not fit: the frame says so.
        assert!(s.contains(more) && !s.contains(notice), "{s}");
        // A key that means nothing here does not close it.
        h.keys("x");
        assert!(matches!(h.app.layers.last(), Some(Layer::Help(_))));
        h.key(KeyCode::PageDown);
        h.key(KeyCode::PageDown);
        let s = h.screen();
        assert!(s.contains(notice) && !s.contains(more), "{s}");
        assert!(s.contains("↑ …"), "{s}");
        h.keys("g");
        assert!(h.screen().contains(more));
        h.key(KeyCode::Esc);
        assert!(h.app.layers.is_empty());
    }
}

/// The header and the status bar of `screen`: a line that fills its last
/// column was cut, and must end in `…`.
fn assert_cut_with_ellipsis(screen: &str) {
    let lines: Vec<&str> = screen.lines().collect();
    for line in [lines[0], lines[lines.len() - 1]] {
        let inner = line.trim_matches('"');
        let last = inner.chars().last().unwrap_or(' ');
        assert!(last == ' ' || last == '…', "cut without …: {line}");
    }
}

#[test]
fn draft_bar_puts_the_decisions_first_and_cuts_with_an_ellipsis() {
    for (lang, first) in [
        (Lang::Vi, " a  duyệt  r  trả lại "),
        (Lang::En, " a  approve  r  return "),
    ] {
        for size in [(80, 24), (120, 40)] {
            let mut h = Harness::new(lang, size);
            assert_cut_with_ellipsis(&h.screen());
            h.key(KeyCode::Enter);
            let s = h.screen();
            let bar = s.lines().last().unwrap_or("");
            assert!(bar.trim_matches('"').starts_with(first), "{bar}");
            assert_cut_with_ellipsis(&s);
            if size.0 == 80 {
                assert!(bar.trim_end_matches('"').trim_end().ends_with('…'), "{bar}");
                insta::assert_snapshot!(format!("draft_80x24_{lang:?}"), s);
            }
        }
    }
}

#[test]
fn a_multi_line_comment_keeps_its_line_breaks_in_the_preview() {
    for (lang, first) in [
        (Lang::En, "Comment: Sửa lại,"),
        (Lang::Vi, "Ý kiến: Sửa lại,"),
    ] {
        let mut h = Harness::new(lang, (100, 30));
        let id = h.app.selected_draft().map(|d| d.id.clone());
        h.keys("r");
        h.app
            .update(Action::Paste("Sửa lại,\nchuyển Văn thư.".into()));
        ctrl(&mut h, 's');
        assert!(h.app.layers.is_empty(), "{:?}", h.app.layers.last());
        // Wherever the list put the decided draft, select it again.
        h.keys("fg");
        let mut moves = 0;
        while h.app.selected_draft().map(|d| d.id.clone()) != id {
            h.keys("j");
            moves += 1;
            assert!(moves < 20, "{}", h.screen());
        }
        let s = h.screen();
        let lines: Vec<&str> = s.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains(first))
            .unwrap_or_else(|| panic!("{s}"));
        let indent = " ".repeat(first.chars().count() - "Sửa lại,".chars().count());
        assert!(
            lines[at + 1].starts_with(&format!("\"{indent}chuyển Văn thư.")),
            "{s}"
        );
    }
}

#[test]
fn a_note_on_a_deleted_line_is_refused_aloud() {
    for (lang, said) in [
        (Lang::En, "A deleted line is not in the newest revision"),
        (Lang::Vi, "Dòng đã xóa không còn trong bản mới nhất"),
    ] {
        let mut h = Harness::new(lang, (120, 30));
        h.keys("/tang cuong");
        h.key(KeyCode::Enter);
        h.key(KeyCode::Enter);
        let mut moves = 0;
        loop {
            let v = h.app.draft.as_ref().expect("draft screen");
            let diff = v.pane.diff.as_ref().expect("diff");
            if diff.lines[v.pane.cursor].new.is_none() {
                break;
            }
            h.keys("j");
            moves += 1;
            assert!(moves < 200, "no deleted line");
        }
        h.keys("c");
        assert!(h.app.layers.is_empty());
        let s = h.screen();
        assert!(s.lines().last().unwrap_or("").contains(said), "{s}");
    }
}

#[test]
fn pending_notes_show_and_quitting_asks_before_losing_them() {
    let mut h = Harness::new(Lang::En, (120, 30));
    h.keys("/tang cuong");
    h.key(KeyCode::Enter);
    h.key(KeyCode::Enter);
    h.keys("n");
    while h
        .app
        .draft
        .as_ref()
        .and_then(|v| v.pane.cursor_new_line())
        .is_none()
    {
        h.keys("j");
    }
    h.keys("c");
    assert!(
        matches!(h.app.layers.last(), Some(Layer::Note(_))),
        "{}",
        h.screen()
    );
    h.keys("Kiểm tra lại tên huyện");
    h.key(KeyCode::Enter);
    let s = h.screen();
    // Marked beside its line before anything is signed.
    assert!(s.contains("✎ Kiểm tra lại tên huyện"), "{s}");
    h.keys("q");
    assert!(!h.app.quit);
    let s = h.screen();
    assert!(
        s.contains("1 unsigned notes (✎) are lost on quitting"),
        "{s}"
    );
    // Another key stays, and asks again next time.
    h.keys("j");
    h.keys("q");
    assert!(!h.app.quit);
    h.keys("q");
    assert!(h.app.quit);
}
