//! The trust rule and the audit, attacked. Each case is built with
//! real keys and real commits and must be found by its own finding.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use duyet::audit::{Options, Problem, audit};
use duyet::model::Status;
use duyet::repo::{Author, DraftRepo, Edit};

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";

struct Office {
    _t: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
}

fn keygen(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    key
}

impl Office {
    /// Hà (approver, admin) introduces the trust list; draft "x" exists.
    fn new() -> Office {
        let t = tmp();
        let dir = t.path().join("r");
        let keys = t.path().join("keys");
        repo_with_draft(&dir, TEXT);
        std::fs::create_dir_all(&keys).unwrap();
        for who in ["ha", "minh", "lan", "mallory"] {
            keygen(&keys, who);
        }
        git(&dir, &["config", "gpg.format", "ssh"]);
        let o = Office { _t: t, dir, keys };
        o.as_("ha");
        o.ok(&[
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
            &o.pubkey("ha"),
        ]);
        o
    }

    /// An unsigned commit that approves draft x: attack 1.
    fn commit_unsigned_review(&self) {
        write(
            &self.dir,
            "drafts/2024/x/review.toml",
            review_toml("approved", &self.blob()),
        );
        git(&self.dir, &["add", "-A"]);
        git(
            &self.dir,
            &["commit", "-qm", &message("approved", &self.blob())],
        );
    }

    /// Adds `who`'s key as an approver, in a commit signed by the current signer.
    fn add_approver(&self, name: &str, who: &str) {
        let email = format!("{who}@example.vn");
        self.ok(&[
            "trust",
            "add",
            "--name",
            name,
            "--email",
            &email,
            "--role",
            "approver",
            "--ssh",
            &self.pubkey(who),
        ]);
    }

    fn pubkey(&self, who: &str) -> String {
        self.keys.join(format!("{who}.pub")).display().to_string()
    }

    /// Makes `who` the one who signs.
    fn as_(&self, who: &str) {
        git(
            &self.dir,
            &[
                "config",
                "user.signingKey",
                self.keys.join(who).to_str().unwrap(),
            ],
        );
        git(&self.dir, &["config", "user.name", who]);
        git(
            &self.dir,
            &["config", "user.email", &format!("{who}@example.vn")],
        );
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = duyet(&self.dir, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out).trim().to_string()
    }

    fn repo(&self) -> DraftRepo {
        DraftRepo::open(Some(&self.dir)).unwrap()
    }

    fn audit(&self) -> duyet::audit::Report {
        audit(
            &self.repo(),
            &Options {
                intro: None,
                record: true,
                ..Default::default()
            },
        )
        .unwrap()
    }

    fn blob(&self) -> String {
        blob_at_head(&self.dir, "drafts/2024/x/draft.md")
    }

    /// A commit signed by the current key with exactly these edits.
    fn signed_commit(&self, edits: &[Edit], message: &str) -> String {
        let repo = self.repo();
        let author = Author {
            name: "ha".into(),
            email: "ha@example.vn".into(),
            time: None,
        };
        let plan = repo.prepare_commit(edits, message, &author).unwrap();
        let signer = duyet::sign::SignConfig::from_repo(&repo)
            .unwrap()
            .signer()
            .unwrap();
        let sig = signer.sign(plan.buffer.as_bytes(), None).unwrap();
        repo.finish_commit(&plan, Some(&sig)).unwrap()
    }
}

/// A review.toml by Hà, made now (the audit wants review.toml's time to be
/// the commit's).
fn review_toml(decision: &str, revision: &str) -> Vec<u8> {
    review_by(decision, revision, "Trần Thu Hà", "ha@example.vn")
}

fn review_by(decision: &str, revision: &str, name: &str, email: &str) -> Vec<u8> {
    let now = jiff::Timestamp::now();
    format!("decision = \"{decision}\"\nrevision = \"{revision}\"\nreviewer = \"{name}\"\nemail = \"{email}\"\ntime = \"{now}\"\n").into_bytes()
}

fn message(decision: &str, revision: &str) -> String {
    format!("Duyệt: x\n\nDraft: x\nDecision: {decision}\nRevision: {revision}\n")
}

/// The one finding's problem, at the head commit.
fn only_finding(o: &Office) -> Problem {
    let r = o.audit();
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(
        r.findings[0].commit,
        git(&o.dir, &["rev-parse", "HEAD"]).trim()
    );
    r.findings[0].problem.clone()
}

fn stock_verify(o: &Office) -> bool {
    let signers = o.dir.join("../allowed");
    let out = duyet(
        &o.dir,
        &[
            "trust",
            "allowed-signers",
            "--output",
            signers.to_str().unwrap(),
        ],
    );
    assert!(out.status.success());
    git_out(
        &o.dir,
        &[
            "-c",
            &format!("gpg.ssh.allowedSignersFile={}", signers.display()),
            "verify-commit",
            "HEAD",
        ],
    )
    .status
    .success()
}

#[test]
fn a_clean_history_has_no_finding_and_the_cli_says_so() {
    let o = Office::new();
    o.ok(&["approve", "x", "-m", "Đồng ý."]);
    assert!(stock_verify(&o));
    let out = duyet(&o.dir, &["audit", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["trail"][0]["signer"], "Trần Thu Hà");
    assert_eq!(v["trail"][0]["verified"], true);
    let csv = stdout(&duyet(&o.dir, &["audit", "--csv"]));
    assert!(
        csv.starts_with("\u{feff}\"commit\",\"draft\",\"title\""),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 2);
    // The audit recorded where it stopped, like `guix git authenticate`.
    assert!(!git(&o.dir, &["config", "duyet.audit.head"]).is_empty());
}

#[test]
fn attack_1_unsigned_commit_changes_a_review() {
    let o = Office::new();
    o.commit_unsigned_review();
    assert_eq!(only_finding(&o), Problem::Unsigned);
    assert!(!stock_verify(&o));
}

#[test]
fn attack_2_key_not_in_the_trust_list() {
    let o = Office::new();
    o.as_("mallory");
    // duyet refuses to record it, and writes nothing ...
    let before = repo_state(&o.dir);
    let out = duyet(&o.dir, &["approve", "x"]);
    assert_fails(&out, "not an approver's in the trust list");
    assert_eq!(repo_state(&o.dir), before);
    // ... so the attacker writes it without duyet.
    o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_toml("approved", &o.blob()),
        }],
        &message("approved", &o.blob()),
    );
    assert!(matches!(only_finding(&o), Problem::UnknownKey { .. }));
}

#[test]
fn attack_3_member_without_the_approver_role() {
    let o = Office::new();
    o.ok(&[
        "trust",
        "add",
        "--name",
        "Lan",
        "--email",
        "lan@example.vn",
        "--role",
        "drafter",
        "--ssh",
        &o.pubkey("lan"),
    ]);
    o.as_("lan");
    let out = duyet(&o.dir, &["approve", "x"]);
    assert_fails(&out, "it is Lan's, without that role");
    o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_by("approved", &o.blob(), "Lan", "lan@example.vn"),
        }],
        &message("approved", &o.blob()),
    );
    match only_finding(&o) {
        Problem::NotAuthorized { name, role } => {
            assert_eq!((name.as_str(), role.as_str()), ("Lan", "approver"))
        }
        p => panic!("{p:?}"),
    }
}

#[test]
fn attack_4_signature_copied_from_another_commit() {
    let o = Office::new();
    let good = o.ok(&["approve", "x"]);
    let repo = o.repo();
    let (sig, _) = repo.commit_signature(&good).unwrap().unwrap();
    let edits = [Edit::Put {
        path: "drafts/2024/x/review.toml".into(),
        content: review_toml("returned", &o.blob()),
    }];
    let author = Author {
        name: "ha".into(),
        email: "ha@example.vn".into(),
        time: None,
    };
    let plan = repo
        .prepare_commit(&edits, &message("returned", &o.blob()), &author)
        .unwrap();
    repo.finish_commit(&plan, Some(&sig)).unwrap();
    assert!(matches!(only_finding(&o), Problem::BadSignature { .. }));
    assert!(!stock_verify(&o));
}

#[test]
fn attack_5_content_altered_after_signing() {
    let o = Office::new();
    let good = o.ok(&["approve", "x", "-m", "Đồng ý."]);
    let raw = git(&o.dir, &["cat-file", "commit", &good]);
    let forged = raw.replace("Đồng ý.", "Đồng ý, kèm phụ lục.");
    let mut p = Command::new("git")
        .current_dir(&o.dir)
        .args(["hash-object", "-t", "commit", "-w", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    p.stdin
        .take()
        .unwrap()
        .write_all(forged.as_bytes())
        .unwrap();
    let id = String::from_utf8(p.wait_with_output().unwrap().stdout).unwrap();
    git(&o.dir, &["update-ref", "refs/heads/main", id.trim(), &good]);
    assert!(matches!(only_finding(&o), Problem::BadSignature { .. }));
    assert!(!stock_verify(&o));
}

#[test]
fn attack_6_decision_that_also_edits_the_draft() {
    let o = Office::new();
    let new_text = format!("{TEXT}Thêm một dòng.\n");
    let blob = {
        let out = Command::new("git")
            .current_dir(&o.dir)
            .args(["hash-object", "--stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(new_text.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    o.signed_commit(
        &[
            Edit::Put {
                path: "drafts/2024/x/draft.md".into(),
                content: new_text.into_bytes(),
            },
            Edit::Put {
                path: "drafts/2024/x/review.toml".into(),
                content: review_toml("approved", &blob),
            },
        ],
        &message("approved", &blob),
    );
    match only_finding(&o) {
        Problem::ExtraFiles { files } => assert_eq!(files, ["drafts/2024/x/draft.md"]),
        p => panic!("{p:?}"),
    }
}

#[test]
fn attack_7_revision_that_is_not_in_the_tree() {
    let o = Office::new();
    let other = "0123456789abcdef0123456789abcdef01234567";
    o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_toml("approved", other),
        }],
        &message("approved", other),
    );
    assert!(matches!(
        only_finding(&o),
        Problem::RevisionNotInTree { .. }
    ));
    // and trailers that disagree with review.toml
    o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_toml("approved", &o.blob()),
        }],
        &message("returned", &o.blob()),
    );
    let r = o.audit();
    assert!(
        r.findings
            .iter()
            .any(|f| matches!(f.problem, Problem::TrailerMismatch { .. })),
        "{:#?}",
        r.findings
    );
}

#[test]
fn attack_8_trust_list_changed_by_a_non_admin() {
    let o = Office::new();
    o.add_approver("Minh", "minh");
    o.as_("minh");
    let add = [
        "trust",
        "add",
        "--name",
        "Mallory",
        "--email",
        "m@example.vn",
        "--role",
        "approver",
        "--ssh",
    ];
    let key = o.pubkey("mallory");
    let out = duyet(&o.dir, &[&add[..], &[key.as_str()]].concat());
    assert_fails(&out, "not an admin's in the trust list");
    let list = std::fs::read_to_string(o.dir.join(".duyet/trust.toml")).unwrap();
    let mallory = std::fs::read_to_string(&key).unwrap();
    let forged = format!(
        "{list}\n[[member]]\nname = \"Mallory\"\nemail = \"m@example.vn\"\nroles = [\"approver\"]\nssh = [\"{}\"]\n",
        mallory.trim()
    );
    o.signed_commit(
        &[Edit::Put {
            path: ".duyet/trust.toml".into(),
            content: forged.into_bytes(),
        }],
        "Thêm Mallory",
    );
    match only_finding(&o) {
        Problem::NotAuthorized { role, .. } => assert_eq!(role, "admin"),
        p => panic!("{p:?}"),
    }
}

#[test]
fn attack_9_history_rewritten_after_an_audit() {
    let o = Office::new();
    o.ok(&["approve", "x"]);
    let audited = git(&o.dir, &["rev-parse", "HEAD"]).trim().to_string();
    assert!(o.audit().clean());
    git(&o.dir, &["reset", "-q", "--hard", "HEAD~1"]);
    git(
        &o.dir,
        &["commit", "-q", "--allow-empty", "-m", "other history"],
    );
    let r = o.audit();
    let head = git(&o.dir, &["rev-parse", "HEAD"]).trim().to_string();
    assert_eq!(r.findings.len(), 1, "{:#?}", r.findings);
    assert_eq!(
        r.findings[0].problem,
        Problem::HistoryRewritten {
            recorded: audited.clone(),
            head: head.clone()
        }
    );
    assert!(r.findings[0].message.contains(&audited) && r.findings[0].message.contains(&head));
    assert_eq!(duyet(&o.dir, &["audit"]).status.code(), Some(1));
}

#[test]
fn case_10_approval_then_change_is_no_finding_but_shows_in_status() {
    let o = Office::new();
    o.ok(&["approve", "x"]);
    write(
        &o.dir,
        "drafts/2024/x/draft.md",
        format!("{TEXT}Sửa sau khi duyệt.\n"),
    );
    git(&o.dir, &["commit", "-qam", "sửa"]);
    assert!(o.audit().clean());
    let d = o.repo().draft("x").unwrap();
    assert_eq!(d.status, Status::ChangedAfterApproval);
}

#[test]
fn merges_are_judged_side_by_side() {
    let o = Office::new();
    git(&o.dir, &["checkout", "-qb", "side"]);
    o.ok(&["approve", "x"]);
    git(&o.dir, &["checkout", "-q", "main"]);
    add_draft(&o.dir, "y", TEXT);
    git(&o.dir, &["merge", "-q", "--no-edit", "side"]);
    assert!(o.audit().clean(), "{:#?}", o.audit().findings);
    // A merge that brings a review.toml neither side has.
    git(&o.dir, &["checkout", "-qb", "side2", "HEAD~1"]);
    git(&o.dir, &["commit", "-q", "--allow-empty", "-m", "side2"]);
    git(&o.dir, &["checkout", "-q", "main"]);
    git(&o.dir, &["merge", "-q", "--no-commit", "side2"]);
    write(
        &o.dir,
        "drafts/2024/y/review.toml",
        review_toml("approved", &blob_at_head(&o.dir, "drafts/2024/y/draft.md")),
    );
    git(&o.dir, &["add", "-A"]);
    git(&o.dir, &["commit", "-qm", "merge with a smuggled approval"]);
    assert!(matches!(only_finding(&o), Problem::MergeIntroduces { .. }));
}

#[test]
fn a_generated_history_of_1000_decisions_is_clean() {
    let o = Office::new();
    let repo = o.repo();
    let signer = duyet::sign::SignConfig::from_repo(&repo)
        .unwrap()
        .signer()
        .unwrap();
    let author = Author {
        name: "ha".into(),
        email: "ha@example.vn".into(),
        time: None,
    };
    let blob = o.blob();
    for i in 0..1000 {
        let decision = if i % 3 == 0 { "returned" } else { "approved" };
        let plan = repo
            .prepare_commit(
                &[Edit::Put {
                    path: "drafts/2024/x/review.toml".into(),
                    content: format!(
                        "{}comment = \"{i}\"\n",
                        String::from_utf8(review_toml(decision, &blob)).unwrap()
                    )
                    .into_bytes(),
                }],
                &message(decision, &blob),
                &author,
            )
            .unwrap();
        let sig = signer.sign(plan.buffer.as_bytes(), None).unwrap();
        repo.finish_commit(&plan, Some(&sig)).unwrap();
    }
    let r = o.audit();
    assert!(r.clean(), "{:#?}", &r.findings[..r.findings.len().min(3)]);
    assert_eq!(r.trail.len(), 1000);
    assert!(r.trail.iter().all(|e| e.verified));
}

#[test]
fn the_report_is_the_same_however_many_commits_are_judged_at_a_time() {
    // Decisions, a trust-list change, an unsigned review change and a
    // decision by a removed member: findings and trail must not depend on
    // where the chunks of the audit fall.
    let o = Office::new();
    o.ok(&["approve", "x", "-m", "Đồng ý."]);
    o.add_approver("Minh", "minh");
    o.as_("minh");
    o.ok(&["return", "x", "-m", "Sửa lại."]);
    o.commit_unsigned_review();
    o.as_("ha");
    o.ok(&["trust", "remove", "minh@example.vn"]);
    o.as_("minh");
    o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_by("approved", &o.blob(), "Minh", "minh@example.vn"),
        }],
        &message("approved", &o.blob()),
    );
    let repo = o.repo();
    let run = |chunk| {
        let r = audit(
            &repo,
            &Options {
                chunk,
                full: true,
                ..Default::default()
            },
        )
        .unwrap();
        format!("{:?}\n{:?}", r.findings, r.trail)
    };
    let whole = run(0);
    assert!(
        whole.contains("Unsigned") && whole.contains("UnknownKey"),
        "{whole}"
    );
    for chunk in [1, 2, 3] {
        assert_eq!(run(chunk), whole, "chunk {chunk}");
    }
}

fn audit_with(o: &Office, full: bool) -> duyet::audit::Report {
    audit(
        &o.repo(),
        &Options {
            full,
            ..Default::default()
        },
    )
    .unwrap()
}

/// Findings and trail, for comparing two reports.
fn verdicts(r: &duyet::audit::Report) -> String {
    format!("{:?}\n{:?}", r.findings, r.trail)
}

fn cache_file(o: &Office) -> PathBuf {
    o.dir.join(".git/duyet/audit.json")
}

#[test]
fn a_later_audit_judges_only_new_commits_and_agrees_with_a_full_one() {
    let o = Office::new();
    o.ok(&["approve", "x", "-m", "Đồng ý."]);
    let first = audit_with(&o, false);
    assert_eq!(first.from_cache, 0);
    assert!(first.clean(), "{:?}", first.findings);
    // New commits: a member added, a decision by her, an unsigned change.
    o.add_approver("Minh", "minh");
    o.as_("minh");
    o.ok(&["return", "x", "-m", "Sửa lại."]);
    o.commit_unsigned_review();
    let later = audit_with(&o, false);
    // duyet moves only the list's verdicts after its own commits; the cache
    // stays at the first audit, so the three new commits are judged now.
    assert_eq!(later.from_cache, first.commits);
    assert_eq!(later.commits, first.commits + 3);
    let full = audit_with(&o, true);
    assert_eq!(full.from_cache, 0);
    assert_eq!(verdicts(&later), verdicts(&full));
    assert_eq!(later.trail.len(), 3);
    assert!(matches!(later.findings[..], [ref f] if f.problem == Problem::Unsigned));
    // Audited again with nothing new: the finding is judged again, not
    // lost, and the cache is left as it was (not rewritten for nothing).
    let written = || {
        std::fs::metadata(cache_file(&o))
            .unwrap()
            .modified()
            .unwrap()
    };
    let before = written();
    assert_eq!(verdicts(&audit_with(&o, false)), verdicts(&full));
    assert_eq!(written(), before);
    // The CLI says where the verdicts came from.
    let out = stdout(&duyet(&o.dir, &["--lang", "en", "audit"]));
    assert!(out.contains("from its cache"), "{out}");
}

#[test]
fn commits_that_had_a_finding_are_judged_again() {
    // A finding may depend on this machine (a gpg key imported since): it
    // is never taken from the cache. Plant one on a clean decision.
    let o = Office::new();
    o.ok(&["approve", "x"]);
    let clean = audit_with(&o, false);
    let decision = clean.trail[0].commit.clone();
    let text = std::fs::read_to_string(cache_file(&o)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["findings"] = serde_json::json!([
        {"commit": decision, "problem": {"kind": "unsigned"}, "message": "planted"}
    ]);
    v["trail"][0]["verified"] = false.into();
    std::fs::write(cache_file(&o), v.to_string()).unwrap();
    let again = audit_with(&o, false);
    assert!(again.from_cache > 0);
    assert!(again.clean(), "{:?}", again.findings);
    assert!(again.trail[0].verified);
    assert_eq!(verdicts(&again), verdicts(&clean));
}

#[test]
fn a_corrupt_or_outdated_cache_is_not_used() {
    let o = Office::new();
    o.ok(&["approve", "x"]);
    let clean = audit_with(&o, false);
    for garbage in ["", "{", "[1,2]", "{\"format\": 99}"] {
        std::fs::write(cache_file(&o), garbage).unwrap();
        let r = audit_with(&o, false);
        assert_eq!(r.from_cache, 0, "{garbage:?}");
        assert_eq!(verdicts(&r), verdicts(&clean));
    }
    // History rewritten under the cache: its head is no longer an ancestor.
    git(&o.dir, &["reset", "-q", "--hard", "HEAD~1"]);
    o.commit_unsigned_review();
    let r = audit_with(&o, false);
    assert_eq!(r.from_cache, 0);
    assert!(r.findings.iter().any(|f| f.problem == Problem::Unsigned));
}

#[test]
fn full_does_not_trust_the_cache() {
    // The cache is this machine's own record; someone who can write into
    // .git can make it lie. --full judges every commit from the objects.
    let o = Office::new();
    o.commit_unsigned_review();
    assert!(!audit_with(&o, false).clean());
    let text = std::fs::read_to_string(cache_file(&o)).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["findings"] = serde_json::json!([]);
    std::fs::write(cache_file(&o), v.to_string()).unwrap();
    assert!(audit_with(&o, false).clean());
    let out = duyet(&o.dir, &["audit", "--full"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(!audit_with(&o, true).clean());
}
