//! Clerks and reviewers on three clones of one shared remote,
//! over a plain path and over `git daemon` on loopback.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use common::*;
use duyet::model::{Decision, Kind, Status};
use duyet::ops::sync::{Options, Outcome, SyncError, sync, sync_with};
use duyet::ops::synth::Rng;
use duyet::ops::{DecisionRequest, decide, revise};
use duyet::repo::{DraftRepo, Error};
use duyet::sign::SignConfig;

fn keygen(path: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "k", "-f"])
        .arg(path)
        .output()
        .unwrap();
    assert!(out.status.success());
    std::fs::read_to_string(path.with_extension("pub"))
        .unwrap()
        .trim()
        .to_string()
}

struct Office {
    _t: tempfile::TempDir,
    root: PathBuf,
    remote: PathBuf,
}

/// The shared remote: a bare repository with a trust list naming two
/// reviewers (Hà is also admin) and a clerk, and two drafts.
fn office() -> Office {
    let t = tmp();
    let root = t.path().to_path_buf();
    let seed = root.join("seed");
    std::fs::create_dir(&seed).unwrap();
    init_repo(&seed);
    std::fs::create_dir(root.join("keys")).unwrap();
    let ha = keygen(&root.join("keys/ha"));
    let minh = keygen(&root.join("keys/minh"));
    git(&seed, &["config", "gpg.format", "ssh"]);
    git(
        &seed,
        &[
            "config",
            "user.signingKey",
            root.join("keys/ha").to_str().unwrap(),
        ],
    );
    for (name, email, key, roles) in [
        (
            "Trần Thu Hà",
            "ha@example.vn",
            ha.as_str(),
            vec!["approver", "admin"],
        ),
        (
            "Đỗ Văn Minh",
            "minh@example.vn",
            minh.as_str(),
            vec!["approver"],
        ),
    ] {
        let mut args = vec![
            "trust", "add", "--name", name, "--email", email, "--ssh", key,
        ];
        for r in &roles {
            args.extend(["--role", r]);
        }
        let out = duyet(&seed, &args);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    add_draft(&seed, "a", "Văn bản A.\n");
    add_draft(&seed, "b", "Văn bản B.\n");
    let remote = root.join("remote.git");
    bare_clone(&seed, &remote);
    Office {
        _t: t,
        root,
        remote,
    }
}

/// A clone for `who` (`key`: their signing key, if a reviewer).
fn clone(o: &Office, url: &str, who: &str, key: Option<&str>) -> PathBuf {
    let dir = o.root.join(who);
    git(&o.root, &["clone", "-q", url, dir.to_str().unwrap()]);
    git(&dir, &["config", "user.name", who]);
    git(
        &dir,
        &["config", "user.email", &format!("{who}@example.vn")],
    );
    if let Some(k) = key {
        git(&dir, &["config", "gpg.format", "ssh"]);
        git(
            &dir,
            &[
                "config",
                "user.signingKey",
                o.root.join("keys").join(k).to_str().unwrap(),
            ],
        );
    }
    dir
}

struct Daemon(Child);
impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn daemon(o: &Office) -> (Daemon, String) {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    // Run git-daemon itself: killing a `git daemon` wrapper would leave it running.
    let exec_path = String::from_utf8(
        Command::new("git")
            .arg("--exec-path")
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let child = Command::new(Path::new(exec_path.trim()).join("git-daemon"))
        .args([
            "--reuseaddr",
            "--export-all",
            "--enable=receive-pack",
            "--listen=127.0.0.1",
        ])
        .arg(format!("--port={port}"))
        .arg(format!("--base-path={}", o.root.display()))
        .arg(&o.root)
        .spawn()
        .expect("git daemon");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "git daemon did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    (Daemon(child), format!("git://127.0.0.1:{port}/remote.git"))
}

fn approve(dir: &Path, id: &str, decision: Decision, comment: &str) -> Result<String, Error> {
    let repo = DraftRepo::open(Some(dir))?;
    let signer = SignConfig::from_repo(&repo).unwrap().signer().unwrap();
    let req = DecisionRequest {
        id: id.into(),
        decision,
        revision: None,
        comment: comment.into(),
        notes: vec![],
        author: None,
    };
    decide(&repo, &req, &signer, None).map(|f| f.commit)
}

fn scenario(url: &str, o: &Office) {
    let clerk = clone(o, url, "clerk", None);
    let ha = clone(o, url, "ha", Some("ha"));
    let minh = clone(o, url, "minh", Some("minh"));
    let actors = [&clerk, &ha, &minh];
    let mut rng = Rng::new(42);
    let mut done: Vec<String> = Vec::new();
    let mut discarded = 0;
    let mut outcomes: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    // Syncs; on a conflict the user reads why, then takes the remote's side,
    // dropping their unpushed work (counted as discarded).
    let sync_or_resolve = |dir: &Path,
                           done: &mut Vec<String>,
                           outcomes: &mut std::collections::BTreeMap<String, usize>|
     -> usize {
        let repo = DraftRepo::open(Some(dir)).unwrap();
        let before = (
            git(dir, &["rev-parse", "refs/heads/main"]),
            repo_state(dir).1,
        );
        match sync(&repo) {
            Ok(out) => {
                *outcomes
                    .entry(format!("{out:?}").split('(').next().unwrap().to_string())
                    .or_insert(0) += 1;
                0
            }
            Err(SyncError::Repo(Error::Conflict(msg))) => {
                assert!(
                    msg.contains("here:") && msg.contains("on the remote:"),
                    "{msg}"
                );
                assert!(msg.contains("duyet sync --take-remote"), "{msg}");
                assert_eq!(
                    git(dir, &["rev-parse", "refs/heads/main"]),
                    before.0,
                    "a refused sync keeps the branch"
                );
                assert_eq!(repo_state(dir).1, before.1, "and the work tree");
                *outcomes.entry("Conflict".into()).or_insert(0) += 1;
                let lost_log = git(dir, &["log", "--format=%B", "@{u}..HEAD"]);
                let lost: Vec<&str> = lost_log.lines().collect();
                let before_done = done.len();
                done.retain(|phrase| !lost.contains(&phrase.as_str()));
                // The way out: take the remote's branch, local work kept aside.
                let took = sync_with(&repo, Options { take_remote: true }).unwrap();
                let Outcome::TookRemote { backup, discarded } = took else {
                    panic!("take-remote: {took:?}")
                };
                assert!(backup.starts_with("refs/duyet/backup/"), "{backup}");
                assert_eq!(git(dir, &["rev-parse", &backup]), before.0);
                assert_eq!(
                    git(dir, &["rev-parse", "HEAD"]),
                    git(dir, &["rev-parse", "@{u}"])
                );
                assert_eq!(
                    discarded,
                    git(dir, &["rev-list", "--count", &format!("@{{u}}..{backup}")])
                        .trim()
                        .parse::<usize>()
                        .unwrap()
                );
                assert_eq!(git(dir, &["status", "--porcelain"]), "");
                before_done - done.len()
            }
            Err(e) => panic!("sync: {e}"),
        }
    };
    for op in 0..200 {
        let who = rng.below(3);
        let dir = actors[who];
        discarded += sync_or_resolve(dir, &mut done, &mut outcomes);
        let repo = DraftRepo::open(Some(dir)).unwrap();
        let tag = format!("op-{op}");
        let drafts = repo.list().unwrap().drafts;
        let result: Result<String, Error> = match (who, rng.below(10)) {
            (0, 0..=3) => {
                revise::new_draft(&repo, Kind::CongVan, &format!("Công văn {tag}"), "VP", None)
                    .map(|_| format!("Dự thảo mới: Công văn {tag}"))
            }
            (0, _) => {
                let d = &drafts[rng.below(drafts.len())];
                let text = repo.read_text(&d.draft_blob, "draft.md").unwrap();
                revise::revise_text(
                    &repo,
                    &d.id,
                    &format!("{text}Sửa {tag}.\n"),
                    &format!("Sửa {tag}"),
                )
                .map(|_| format!("Sửa {tag}"))
            }
            (_, _) => {
                let pending: Vec<_> = drafts
                    .iter()
                    .filter(|d| d.status != Status::Approved)
                    .collect();
                if pending.is_empty() {
                    continue;
                }
                let d = pending[rng.below(pending.len())];
                let decision = if rng.below(3) == 0 {
                    Decision::Returned
                } else {
                    Decision::Approved
                };
                approve(dir, &d.id, decision, &format!("Ý kiến {tag}"))
                    .map(|_| format!("Ý kiến {tag}"))
            }
        };
        let phrase = match result {
            Ok(p) => p,
            Err(e) => panic!("op {op} by {who}: {e}"),
        };
        // The line that names this operation in its commit message.
        assert!(
            git(dir, &["log", "-1", "--format=%B"])
                .lines()
                .any(|l| l == phrase),
            "{phrase}"
        );
        done.push(phrase);
        if rng.below(2) == 0 {
            discarded += sync_or_resolve(dir, &mut done, &mut outcomes);
        }
    }
    // Everyone syncs at the end, twice, so that all see all.
    for _ in 0..2 {
        for dir in actors {
            discarded += sync_or_resolve(dir, &mut done, &mut outcomes);
        }
    }
    eprintln!(
        "{} operations kept, {discarded} discarded after conflicts, syncs: {outcomes:?}",
        done.len()
    );
    assert!(
        done.len() >= 100,
        "{} kept, {discarded} discarded",
        done.len()
    );
    // Every kept revision and decision is on the remote exactly once.
    let log = git(&o.remote, &["log", "--format=%B%x00", "main"]);
    for phrase in &done {
        let n = log
            .split('\0')
            .filter(|m| m.lines().any(|l| l == phrase))
            .count();
        assert_eq!(n, 1, "“{phrase}” appears {n} times on the remote");
    }
    // Every decision verifies; the audit has no finding; fsck is clean.
    let check = o.root.join("check");
    let _ = std::fs::remove_dir_all(&check);
    git(
        &o.root,
        &[
            "clone",
            "-q",
            o.remote.to_str().unwrap(),
            check.to_str().unwrap(),
        ],
    );
    let out = duyet(&check, &["audit", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        serde_json::to_string_pretty(&report["findings"]).unwrap()
    );
    assert!(report["trail"].as_array().unwrap().len() > 20);
    git(&o.remote, &["fsck", "--strict", "--no-dangling"]);
    for kind in ["Pushed", "FastForwarded", "Rebased", "Merged"] {
        assert!(
            outcomes.contains_key(kind),
            "no {kind} sync happened: {outcomes:?}"
        );
    }
}

#[test]
fn three_clones_over_a_plain_path() {
    let o = office();
    let url = o.remote.to_str().unwrap().to_string();
    scenario(&url, &o);
}

#[test]
fn three_clones_over_git_daemon() {
    let o = office();
    let (_d, url) = daemon(&o);
    scenario(&url, &o);
}

#[test]
fn concurrent_decisions_on_one_draft_are_refused_and_shown() {
    let o = office();
    let (_d, url) = daemon(&o);
    let ha = clone(&o, &url, "ha", Some("ha"));
    let minh = clone(&o, &url, "minh", Some("minh"));
    approve(&ha, "a", Decision::Approved, "Đồng ý").unwrap();
    approve(&minh, "a", Decision::Returned, "Cần sửa").unwrap();
    assert_eq!(
        sync(&DraftRepo::open(Some(&ha)).unwrap()).unwrap(),
        Outcome::Pushed(1)
    );
    let remote_before = git(&o.remote, &["rev-parse", "main"]);
    let minh_before = repo_state(&minh);
    let err = sync(&DraftRepo::open(Some(&minh)).unwrap()).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("drafts/2024/a"), "{msg}");
    assert!(msg.contains("decision: returned by Đỗ Văn Minh"), "{msg}");
    assert!(msg.contains("decision: approved by Trần Thu Hà"), "{msg}");
    assert_eq!(repo_state(&minh).1, minh_before.1, "work tree untouched");
    assert_eq!(
        git(&minh, &["rev-parse", "HEAD"]),
        minh_before.0.lines().last().unwrap().to_string() + "\n"
    );
    assert_eq!(
        git(&o.remote, &["rev-parse", "main"]),
        remote_before,
        "remote untouched"
    );
    // The CLI says the same in plain words, exit 2.
    let out = duyet(&minh, &["sync"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("nothing was integrated or pushed"),
        "{}",
        stderr(&out)
    );
    // Ha's repository is intact and verifies.
    assert!(duyet(&ha, &["audit"]).status.success());
}

#[test]
fn decisions_on_other_drafts_merge_with_signatures_intact() {
    let o = office();
    let url = o.remote.to_str().unwrap().to_string();
    let ha = clone(&o, &url, "ha", Some("ha"));
    let minh = clone(&o, &url, "minh", Some("minh"));
    let c1 = approve(&ha, "a", Decision::Approved, "Đồng ý").unwrap();
    let c2 = approve(&minh, "b", Decision::Approved, "Đồng ý").unwrap();
    sync(&DraftRepo::open(Some(&ha)).unwrap()).unwrap();
    assert_eq!(
        sync(&DraftRepo::open(Some(&minh)).unwrap()).unwrap(),
        Outcome::Merged(1)
    );
    // Both decision commits are on the remote as signed, unchanged.
    for c in [&c1, &c2] {
        assert!(git_out(&o.remote, &["cat-file", "-e", c]).status.success());
    }
    let out = duyet(&minh, &["audit"]);
    assert!(out.status.success(), "{}", stdout(&out));
    // A clerk's revisions on another draft are replayed linearly.
    let clerk = clone(&o, &url, "clerk", None);
    let repo = DraftRepo::open(Some(&clerk)).unwrap();
    revise::revise_text(&repo, "b", "Văn bản B, sửa.\n", "Sửa B").unwrap();
    approve(&ha, "a", Decision::Returned, "Trả lại").unwrap();
    sync(&DraftRepo::open(Some(&ha)).unwrap()).unwrap();
    assert_eq!(sync(&repo).unwrap(), Outcome::Rebased(1));
    assert_eq!(
        git(&clerk, &["rev-list", "--merges", "--count", "HEAD~1..HEAD"]).trim(),
        "0"
    );
    assert_eq!(git(&clerk, &["status", "--porcelain"]), "");
}

/// Commits, with stock git, a decision on draft `id` that duyet did not
/// make: a review.toml naming Hà, with matching trailers, signed with
/// `key` (an SSH key file) or unsigned. Returns the commit id.
fn forge_decision(dir: &Path, id: &str, key: Option<&Path>) -> String {
    let blob = blob_at_head(dir, &format!("drafts/2024/{id}/draft.md"));
    write(
        dir,
        &format!("drafts/2024/{id}/review.toml"),
        format!(
            "decision = \"approved\"\nrevision = \"{blob}\"\nreviewer = \"Trần Thu Hà\"\nemail = \"ha@example.vn\"\ntime = \"2024-02-02T15:00:00+07:00\"\ncomment = \"Đồng ý\"\n"
        ),
    );
    git(dir, &["add", "-A"]);
    let msg =
        format!("Duyệt: V/v {id}\n\nĐồng ý\n\nDraft: {id}\nDecision: approved\nRevision: {blob}\n");
    match key {
        Some(k) => git(
            dir,
            &[
                "-c",
                "gpg.format=ssh",
                "-c",
                &format!("user.signingKey={}", k.display()),
                "commit",
                "-q",
                "-S",
                "-m",
                &msg,
            ],
        ),
        None => git(dir, &["commit", "-q", "--no-gpg-sign", "-m", &msg]),
    };
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

#[test]
fn a_forged_decision_on_the_remote_is_not_taken_in() {
    let o = office();
    let url = o.remote.to_str().unwrap().to_string();
    forged_on_the_remote(&o, &url);
}

#[test]
fn a_forged_decision_over_git_daemon_is_not_taken_in() {
    let o = office();
    let (_d, url) = daemon(&o);
    forged_on_the_remote(&o, &url);
}

/// Forged decisions pushed to the remote at `url`; Hà's sync refuses them.
fn forged_on_the_remote(o: &Office, url: &str) {
    let ha = clone(o, url, "ha", Some("ha"));
    // Ha has a decision of her own waiting to be pushed.
    approve(&ha, "b", Decision::Approved, "Đồng ý").unwrap();
    // Someone with push access (no hook on this remote) pushes two forged
    // approvals: one unsigned, one signed with a key nobody trusts.
    let mallory = clone(o, url, "mallory", None);
    keygen(&o.root.join("keys/mallory"));
    let unsigned = forge_decision(&mallory, "a", None);
    git(&mallory, &["push", "-q", "origin", "main"]);
    let remote_before = git(&o.remote, &["for-each-ref"]);
    let before = repo_state(&ha);
    let out = duyet(&ha, &["sync"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&unsigned[..10]), "{err}");
    assert!(err.contains("Lương Minh Vũ <vu@example.vn>"), "who: {err}");
    assert!(err.contains("is not signed"), "{err}");
    assert!(err.contains("Nothing was integrated or pushed"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        repo_state(&ha),
        before,
        "local refs, index and files unchanged"
    );
    assert_eq!(
        git(&o.remote, &["for-each-ref"]),
        remote_before,
        "nothing pushed"
    );
    // The same in Vietnamese.
    let out = duyet(&ha, &["--lang", "vi", "sync"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("không được ký"), "{err}");
    assert!(err.contains("Không có gì được hợp nhất"), "{err}");
    // A decision signed by an unknown key: refused too, even with --take-remote.
    let signed = forge_decision(&mallory, "b", Some(&o.root.join("keys/mallory")));
    git(&mallory, &["push", "-q", "origin", "main"]);
    let out = duyet(&ha, &["sync", "--take-remote"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&signed[..10]), "{err}");
    assert!(err.contains("not in its parent's trust list"), "{err}");
    assert_eq!(repo_state(&ha), before);
    // The ops function says the same to the TUI, in both languages.
    let e = sync(&DraftRepo::open(Some(&ha)).unwrap()).unwrap_err();
    let SyncError::Refused(r) = &e else {
        panic!("{e}")
    };
    let mut commits: Vec<&str> = r.rejected.iter().map(|x| x.commit.as_str()).collect();
    commits.dedup();
    assert_eq!(commits.len(), 2, "{e}");
    assert!(r.rewritten.is_none());
    assert!(e.to_string().contains("không được ký") && e.to_string().contains("is not signed"));
}

#[test]
fn a_rewritten_remote_is_said_and_take_remote_keeps_a_backup() {
    let o = office();
    let url = o.remote.to_str().unwrap().to_string();
    let ha = clone(&o, &url, "ha", Some("ha"));
    let minh = clone(&o, &url, "minh", Some("minh"));
    approve(&ha, "a", Decision::Approved, "Đồng ý").unwrap();
    assert_eq!(
        sync(&DraftRepo::open(Some(&ha)).unwrap()).unwrap(),
        Outcome::Pushed(1)
    );
    assert_eq!(
        sync(&DraftRepo::open(Some(&minh)).unwrap()).unwrap(),
        Outcome::FastForwarded(1)
    );
    let minh_decision = approve(&minh, "b", Decision::Returned, "Cần sửa").unwrap();
    // The remote's branch is rewritten: Hà's approval is dropped, a clerk's
    // revision put in its place.
    let clerk = clone(&o, &url, "clerk", None);
    git(&clerk, &["reset", "-q", "--hard", "HEAD~1"]);
    write(&clerk, "drafts/2024/a/draft.md", "Văn bản A, sửa.\n");
    git(&clerk, &["commit", "-q", "-am", "Sửa A"]);
    git(&clerk, &["push", "-q", "--force", "origin", "main"]);
    let remote_tip = git(&o.remote, &["rev-parse", "main"]);
    let before = repo_state(&minh);
    let out = duyet(&minh, &["sync"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("was rewritten (force-pushed)"), "{err}");
    assert!(err.contains("no longer holds 1 commit(s)"), "{err}");
    assert!(err.contains("duyet sync --take-remote"), "{err}");
    assert_eq!(repo_state(&minh), before, "nothing moved");
    assert_eq!(
        git(&o.remote, &["rev-parse", "main"]),
        remote_tip,
        "nothing pushed"
    );
    let out = duyet(&minh, &["--lang", "vi", "sync"]);
    assert!(stderr(&out).contains("đã bị ghi đè"), "{}", stderr(&out));
    // The way out.
    let out = duyet(&minh, &["sync", "--take-remote"]);
    let said = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let backup = said
        .split_whitespace()
        .find(|w| w.starts_with("refs/duyet/backup/"))
        .unwrap_or_else(|| panic!("no backup ref named: {said}"))
        .to_string();
    assert!(said.contains(&format!("git log {backup}")), "{said}");
    assert!(said.contains("the 2 commit(s) only here"), "{said}");
    let stamp = backup.trim_start_matches("refs/duyet/backup/");
    assert!(
        stamp.len() == 15 && stamp.as_bytes()[8] == b'-',
        "YYYYmmdd-HHMMSS: {stamp}"
    );
    assert_eq!(
        git(&minh, &["rev-parse", &backup]),
        before.0.lines().last().unwrap().to_string() + "\n",
        "the backup holds the old branch"
    );
    assert!(git(&minh, &["log", "--format=%H", &backup]).contains(&minh_decision));
    assert_eq!(git(&minh, &["rev-parse", "HEAD"]), remote_tip);
    assert_eq!(git(&minh, &["status", "--porcelain"]), "");
    assert!(
        !minh.join("drafts/2024/b/review.toml").exists(),
        "work tree updated"
    );
    assert_eq!(
        std::fs::read_to_string(minh.join("drafts/2024/a/draft.md")).unwrap(),
        "Văn bản A, sửa.\n"
    );
    // And the next sync is an ordinary one.
    assert_eq!(duyet(&minh, &["sync"]).status.code(), Some(0));
    let out = duyet(&minh, &["--lang", "vi", "sync"]);
    assert!(stdout(&out).contains("không có gì mới"), "{}", stdout(&out));
}
