//! The read path, statuses, diffs, errors, the demo, and the CLI
//! as a process, on real repositories made with stock git.

mod common;

use common::*;
use duyet::model::Status;
use duyet::repo::DraftRepo;
use unicode_normalization::UnicodeNormalization;

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nKính gửi: Sở Nội vụ.\n\nNội dung huyện Trảng Định.\n";

fn review(decision: &str, blob: &str) -> String {
    format!(
        "decision = \"{decision}\"\nrevision = \"{blob}\"\nreviewer = \"Trần Thu Hà\"\ntime = \"2024-02-06T09:00:00+07:00\"\ncomment = \"ok\"\n"
    )
}

/// One draft per status of design.md section 2.
fn repo_with_every_status(dir: &std::path::Path) {
    init_repo(dir);
    for id in [
        "a-pending",
        "b-approved",
        "c-changed",
        "d-returned",
        "e-revised",
    ] {
        add_draft(dir, id, TEXT);
    }
    for (id, decision) in [
        ("b-approved", "approved"),
        ("c-changed", "approved"),
        ("d-returned", "returned"),
        ("e-revised", "returned"),
    ] {
        let blob = blob_at_head(dir, &format!("drafts/2024/{id}/draft.md"));
        write(
            dir,
            &format!("drafts/2024/{id}/review.toml"),
            review(decision, &blob),
        );
    }
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "decisions"]);
    for id in ["c-changed", "e-revised"] {
        write(
            dir,
            &format!("drafts/2024/{id}/draft.md"),
            format!("{TEXT}Thêm một dòng.\n"),
        );
    }
    git(dir, &["commit", "-qam", "revisions"]);
}

#[test]
fn every_status_of_the_table() {
    let t = tmp();
    repo_with_every_status(t.path());
    let repo = DraftRepo::open(Some(t.path())).unwrap();
    let listing = repo.list().unwrap();
    assert!(listing.problems.is_empty());
    let got: Vec<_> = listing
        .drafts
        .iter()
        .map(|d| (d.id.as_str(), d.status))
        .collect();
    assert_eq!(
        got,
        [
            ("a-pending", Status::Pending),
            ("b-approved", Status::Approved),
            ("c-changed", Status::ChangedAfterApproval),
            ("d-returned", Status::Returned),
            ("e-revised", Status::Revised),
        ]
    );
    // The same through the CLI, as JSON.
    let out = duyet(t.path(), &["list", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let statuses: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["status"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        statuses,
        [
            "pending",
            "approved",
            "changed-after-approval",
            "returned",
            "revised"
        ]
    );
    assert_eq!(v[1]["review"]["decision"], "approved");
    assert_eq!(v[0]["review"], serde_json::Value::Null);
    let waiting = duyet(t.path(), &["list", "--status", "waiting", "--json"]);
    let w: serde_json::Value = serde_json::from_str(&stdout(&waiting)).unwrap();
    assert_eq!(w.as_array().unwrap().len(), 3);
}

#[test]
fn history_numbers_revisions_and_places_decisions() {
    let t = tmp();
    repo_with_every_status(t.path());
    let out = duyet(t.path(), &["log", "c-changed", "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let revs = v["revisions"].as_array().unwrap();
    assert_eq!(revs.len(), 2);
    assert_eq!(revs[0]["number"], 1);
    assert_eq!(revs[1]["summary"], "revisions");
    let decisions = v["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 1);
    assert_eq!(decisions[0]["revision_number"], 1);
    // show --rev
    let show = duyet(t.path(), &["show", "c-changed", "--rev", "1"]);
    assert_eq!(stdout(&show), TEXT);
    let blob = revs[0]["blob"].as_str().unwrap();
    let by_blob = duyet(t.path(), &["show", "c-changed", "--rev", &blob[..8]]);
    assert_eq!(stdout(&by_blob), TEXT);
}

#[test]
fn nfd_and_crlf_revisions_diff_as_equal_and_say_so() {
    let t = tmp();
    init_repo(t.path());
    add_draft(t.path(), "x", TEXT);
    let nfd: String = TEXT.nfd().collect();
    write(t.path(), "drafts/2024/x/draft.md", &nfd);
    git(t.path(), &["commit", "-qam", "NFD"]);
    let out = duyet(t.path(), &["diff", "x", "1", "2", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["changes"].as_array().unwrap().len(), 0);
    assert!(
        v["notices"]
            .as_array()
            .unwrap()
            .contains(&"same-text".into())
    );
    let text = stdout(&duyet(t.path(), &["diff", "x", "1", "2"]));
    assert!(
        text.contains("differ only in Unicode normal form"),
        "{text}"
    );

    write(
        t.path(),
        "drafts/2024/x/draft.md",
        TEXT.replace('\n', "\r\n").replace("Trảng", "Tràng"),
    );
    git(t.path(), &["commit", "-qam", "CRLF and a fix"]);
    let out = duyet(t.path(), &["diff", "x", "2", "3", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["inserted"], 1, "only the changed line, not every line");
    assert_eq!(v["deleted"], 1);
    assert!(
        v["notices"]
            .as_array()
            .unwrap()
            .contains(&"line-endings".into())
    );
    let plain = stdout(&duyet(t.path(), &["diff", "x", "2", "3"]));
    assert!(plain.contains("-Nội dung huyện [Trảng] Định."), "{plain}");
    assert!(plain.contains("+Nội dung huyện [Tràng] Định."), "{plain}");
}

#[test]
fn errors_are_one_line_and_exit_2() {
    let t = tmp();
    // not a repository
    let plain = t.path().join("plain");
    std::fs::create_dir(&plain).unwrap();
    assert_fails(&duyet(&plain, &["list"]), "not a git repository");
    assert_fails(&duyet(&plain, &[]), "duyet demo");
    // empty repository
    let empty = t.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    init_repo(&empty);
    assert_fails(&duyet(&empty, &["list"]), "has no commits yet");

    let r = t.path().join("r");
    std::fs::create_dir(&r).unwrap();
    init_repo(&r);
    add_draft(&r, "ok", TEXT);
    assert_fails(&duyet(&r, &["log", "nope"]), "no draft with id 'nope'");
    assert_fails(
        &duyet(&r, &["show", "ok", "--rev", "7"]),
        "there is no revision 7",
    );
    assert_fails(
        &duyet(&r, &["diff", "ok", "zzzz"]),
        "no revision of draft 'ok' matches 'zzzz'",
    );
    assert_fails(&duyet(&r, &["list", "--status", "weird"]), "unknown status");

    // binary and non-UTF-8 draft.md
    write(&r, "drafts/2024/bin/draft.md", b"PK\x03\x04\x00\x00binary");
    write(&r, "drafts/2024/bin/meta.toml", meta("bin"));
    write(&r, "drafts/2024/latin/draft.md", b"C\xf4ng v\xe3n\n");
    write(&r, "drafts/2024/latin/meta.toml", meta("latin"));
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-qm", "bad"]);
    assert_fails(&duyet(&r, &["show", "bin"]), "is binary, not text");
    assert_fails(
        &duyet(&r, &["diff", "latin"]),
        "is not valid UTF-8 (first bad byte at offset 1)",
    );

    // malformed meta.toml and review.toml name file and line
    write(
        &r,
        "drafts/2024/ok/meta.toml",
        "title = \"x\"\nkind = \"cong-van\"\nunit = = 3\n",
    );
    git(&r, &["commit", "-qam", "broken meta"]);
    assert_fails(&duyet(&r, &["log", "ok"]), "drafts/2024/ok/meta.toml:3:");
    let list = duyet(&r, &["list"]);
    assert_eq!(list.status.code(), Some(2));
    assert!(stderr(&list).contains("drafts/2024/ok/meta.toml:3:"));
    write(&r, "drafts/2024/ok/meta.toml", meta("ok"));
    write(
        &r,
        "drafts/2024/ok/review.toml",
        "decision = \"maybe\"\nrevision = \"x\"\nreviewer = \"a\"\ntime = \"t\"\n",
    );
    git(&r, &["add", "-A"]);
    git(&r, &["commit", "-qm", "broken review"]);
    assert_fails(&duyet(&r, &["show", "ok"]), "drafts/2024/ok/review.toml:1:");
}

#[test]
fn demo_has_the_promised_history() {
    let t = tmp();
    let dir = t.path().join("demo");
    let out = duyet(t.path(), &["demo", dir.to_str().unwrap(), "--no-open"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), dir.to_str().unwrap());
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let listing = repo.list().unwrap();
    assert_eq!(listing.drafts.len(), 6);
    let status = |id: &str| listing.drafts.iter().find(|d| d.id == id).unwrap().status;
    assert_eq!(status("cv-tuyen-truyen-cchc"), Status::Pending);
    assert_eq!(status("qd-to-bien-tap-trang-ttdt"), Status::Approved);
    assert_eq!(status("kh-chuyen-doi-so-2024"), Status::Returned);
    assert_eq!(
        status("tb-lich-tiep-cong-dan"),
        Status::ChangedAfterApproval
    );
    assert_eq!(status("bc-cchc-quy-i"), Status::Revised);
    assert_eq!(status("tt-kinh-phi-ha-tang-so"), Status::Pending);

    // The seed: first revision is the text as given, the last fixes the typo.
    let h = repo.history("cv-tuyen-truyen-cchc").unwrap();
    assert_eq!(h.revisions.len(), 2);
    let first = repo.revision_text(&h, 1).unwrap();
    let last = repo.revision_text(&h, 2).unwrap();
    assert_eq!(first.matches("Trảng Định").count(), 2);
    assert_eq!(last.matches("Tràng Định").count(), 4);
    if let Some(seed) = seed_path() {
        assert_eq!(first, std::fs::read_to_string(seed).unwrap());
    }
    let authors: std::collections::BTreeSet<_> = listing
        .drafts
        .iter()
        .flat_map(|d| repo.history(&d.id).unwrap().revisions)
        .map(|r| r.author)
        .collect();
    assert!(authors.len() >= 3, "several clerks: {authors:?}");

    // The NFD-only re-save diffs as the same text.
    let tt = stdout(&duyet(&dir, &["diff", "tt-kinh-phi-ha-tang-so"]));
    assert!(tt.contains("differ only in Unicode normal form"), "{tt}");

    // Decisions verify with stock git, and the repository is sound.
    let decisions = git(
        &dir,
        &["log", "--format=%H", "--", "drafts/*/*/review.toml"],
    );
    assert_eq!(decisions.lines().count(), 4);
    for c in decisions.lines() {
        let v = git_out(&dir, &["verify-commit", c]);
        assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
    }
    git(&dir, &["fsck", "--strict"]);
    assert_eq!(git(&dir, &["status", "--porcelain"]), "");
    let trust = repo.trust_list(None).unwrap();
    assert!(
        trust
            .members
            .iter()
            .any(|m| m.has(duyet::model::trust::Role::Approver) && !m.ssh.is_empty())
    );
}

#[test]
fn bare_repositories_are_read_too() {
    let t = tmp();
    let dir = t.path().join("demo");
    assert!(
        duyet(t.path(), &["demo", dir.to_str().unwrap(), "--no-open"])
            .status
            .success()
    );
    let bare = t.path().join("bare.git");
    bare_clone(&dir, &bare);
    let out = duyet(
        t.path(),
        &[
            "--repo",
            bare.to_str().unwrap(),
            "list",
            "--status",
            "approved",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("qd-to-bien-tap-trang-ttdt"));
    let log = duyet(&bare, &["log", "cv-tuyen-truyen-cchc"]);
    assert!(stdout(&log).contains("#2"), "{}", stdout(&log));
}
