//! Forged decisions built from raw git objects, as an attacker with push
//! access would build them: odd tree modes, names and orders, merges that
//! smuggle content, reviewers who did not sign, signatures outside the
//! header, fabricated histories, shallow clones. Each must make `duyet
//! audit --full` exit 1 with its own finding naming the commit and path.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::*;
use duyet::audit::{Options, Problem, audit};
use duyet::repo::{Author, DraftRepo, Edit, TreeFault};

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";

struct Office {
    _t: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
}

impl Office {
    /// Hà (approver, admin) introduces the trust list; Minh is an approver;
    /// draft "x" exists.
    fn new() -> Office {
        let t = tmp();
        let dir = t.path().join("r");
        let keys = t.path().join("keys");
        repo_with_draft(&dir, TEXT);
        std::fs::create_dir_all(&keys).unwrap();
        for who in ["ha", "minh", "mallory"] {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", who, "-f"])
                .arg(keys.join(who))
                .output()
                .unwrap();
            assert!(out.status.success());
        }
        git(&dir, &["config", "gpg.format", "ssh"]);
        let o = Office { _t: t, dir, keys };
        o.as_("ha");
        o.add("Trần Thu Hà", "ha", &["approver", "admin"]);
        o.add("Minh", "minh", &["approver"]);
        o
    }

    fn add(&self, name: &str, who: &str, roles: &[&str]) {
        let email = format!("{who}@example.vn");
        let key = self.keys.join(format!("{who}.pub"));
        let mut args = vec!["trust", "add", "--name", name, "--email", &email];
        for r in roles {
            args.extend(["--role", r]);
        }
        args.extend(["--ssh", key.to_str().unwrap()]);
        self.ok(&args);
    }

    fn as_(&self, who: &str) {
        let key = self.keys.join(who);
        git(
            &self.dir,
            &["config", "user.signingKey", key.to_str().unwrap()],
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

    fn head(&self) -> String {
        git(&self.dir, &["rev-parse", "HEAD"]).trim().to_string()
    }

    fn blob(&self) -> String {
        blob_at_head(&self.dir, "drafts/2024/x/draft.md")
    }

    /// A commit signed by the current key with exactly these edits,
    /// written without duyet's checks (as an attacker would).
    fn signed_commit(&self, edits: &[Edit], message: &str) -> String {
        let repo = self.repo();
        let author = Author {
            name: "x".into(),
            email: "x@example.vn".into(),
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

    /// `duyet audit --full`: exit code and output.
    fn audit_full(&self) -> (Option<i32>, String) {
        let out = duyet(&self.dir, &["--lang", "en", "audit", "--full"]);
        (out.status.code(), stdout(&out) + &stderr(&out))
    }

    fn findings(&self) -> Vec<(String, Problem)> {
        audit(
            &self.repo(),
            &Options {
                full: true,
                ..Default::default()
            },
        )
        .unwrap()
        .findings
        .into_iter()
        .map(|f| (f.commit, f.problem))
        .collect()
    }
}

fn review_by(decision: &str, revision: &str, name: &str, email: &str, time: &str) -> Vec<u8> {
    format!("decision = \"{decision}\"\nrevision = \"{revision}\"\nreviewer = \"{name}\"\nemail = \"{email}\"\ntime = \"{time}\"\n").into_bytes()
}

fn now() -> String {
    jiff::Timestamp::now().to_string()
}

fn message(decision: &str, revision: &str) -> String {
    format!("Duyệt: x\n\nDraft: x\nDecision: {decision}\nRevision: {revision}\n")
}

/// Runs git with `input` on stdin; its trimmed stdout.
fn git_in(dir: &Path, args: &[&str], input: &[u8]) -> String {
    let mut p = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    p.stdin.take().unwrap().write_all(input).unwrap();
    let out = p.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// The raw bytes of a tree object.
fn raw_tree(dir: &Path, id: &str) -> Vec<u8> {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["cat-file", "tree", id])
        .output()
        .unwrap();
    assert!(out.status.success());
    out.stdout
}

/// Writes raw tree bytes as they are (`hash-object --literally`).
fn literal_tree(dir: &Path, bytes: &[u8]) -> String {
    git_in(
        dir,
        &["hash-object", "-w", "--literally", "-t", "tree", "--stdin"],
        bytes,
    )
}

/// One raw tree entry.
fn entry(mode: &str, name: &[u8], id: &str) -> Vec<u8> {
    let mut e = format!("{mode} ").into_bytes();
    e.extend_from_slice(name);
    e.push(0);
    e.extend((0..20).map(|i| u8::from_str_radix(&id[2 * i..2 * i + 2], 16).unwrap()));
    e
}

/// `bytes` with the entry `old` (mode and name) respelled as `new`.
fn respell(bytes: &[u8], old: &[u8], new: &[u8]) -> Vec<u8> {
    let at = bytes
        .windows(old.len())
        .position(|w| w == old)
        .expect("entry present");
    let mut out = bytes[..at].to_vec();
    out.extend_from_slice(new);
    out.extend_from_slice(&bytes[at + old.len()..]);
    out
}

/// A commit of `tree` on top of HEAD, unsigned, made the branch head.
fn commit_on_head(dir: &Path, tree: &str, msg: &str) -> String {
    let head = git(dir, &["rev-parse", "HEAD"]).trim().to_string();
    let c = git(dir, &["commit-tree", tree, "-p", &head, "-m", msg])
        .trim()
        .to_string();
    git(dir, &["update-ref", "refs/heads/main", &c, &head]);
    c
}

/// The trees of HEAD with a forged approval of x staged: (root, drafts,
/// drafts/2024, drafts/2024/x), written normally.
fn forged_approval_trees(o: &Office) -> [String; 4] {
    write(
        &o.dir,
        "drafts/2024/x/review.toml",
        review_by(
            "approved",
            &o.blob(),
            "Trần Thu Hà",
            "ha@example.vn",
            &now(),
        ),
    );
    git(&o.dir, &["add", "-A"]);
    let root = git(&o.dir, &["write-tree"]).trim().to_string();
    git(&o.dir, &["reset", "-q", "--hard"]);
    let sub = |p: &str| {
        git(&o.dir, &["rev-parse", &format!("{root}:{p}")])
            .trim()
            .to_string()
    };
    [
        root.clone(),
        sub("drafts"),
        sub("drafts/2024"),
        sub("drafts/2024/x"),
    ]
}

/// Rebuilds the root tree with `drafts/2024` replaced by `year`, and the
/// `drafts` entry's mode spelt `drafts_mode`.
fn root_with_year(o: &Office, trees: &[String; 4], year: &str, drafts_mode: &str) -> String {
    let drafts = respell(
        &raw_tree(&o.dir, &trees[1]),
        &entry("40000", b"2024", &trees[2]),
        &entry("40000", b"2024", year),
    );
    let drafts = literal_tree(&o.dir, &drafts);
    let root = respell(
        &raw_tree(&o.dir, &trees[0]),
        &entry("40000", b"drafts", &trees[1]),
        &entry(drafts_mode, b"drafts", &drafts),
    );
    literal_tree(&o.dir, &root)
}

fn assert_found(o: &Office, commit: &str, needles: &[&str]) {
    let (code, text) = o.audit_full();
    assert_eq!(code, Some(1), "{text}");
    for n in needles {
        assert!(text.contains(n), "{n:?} not in {text}");
    }
    assert!(text.contains(&commit[..10]), "{text}");
}

#[test]
fn an_odd_mode_spelling_does_not_hide_a_review() {
    for mode in ["040000", "40755", "0040000"] {
        let o = Office::new();
        let trees = forged_approval_trees(&o);
        let root = root_with_year(&o, &trees, &trees[2], mode);
        let c = commit_on_head(&o.dir, &root, "chỉnh sửa nhỏ");
        git(&o.dir, &["reset", "-q", "--hard"]);
        // git reads the folder and finds the approval ...
        let ls = git(&o.dir, &["ls-tree", "-r", "--name-only", &c]);
        assert!(ls.contains("drafts/2024/x/review.toml"), "{ls}");
        // ... and so does the audit, which reports the spelling too.
        let f = o.findings();
        assert!(f.contains(&(c.clone(), Problem::Unsigned)), "{mode}: {f:?}");
        assert!(
            f.iter().any(|(id, p)| id == &c
                && matches!(p, Problem::BadTree { path, fault: TreeFault::Mode { name, .. } } if path.is_empty() && name == "drafts")),
            "{mode}: {f:?}"
        );
        assert_found(&o, &c, &["mode", mode]);
        // A draft in such a folder is never shown as decided.
        let list = stdout(&duyet(&o.dir, &["list", "--json"]));
        assert!(list.contains("\"verified\": false"), "{list}");
        let list = stdout(&duyet(&o.dir, &["--lang", "vi", "list"]));
        assert!(
            list.contains("không hợp lệ") && !list.contains("đã duyệt"),
            "{list}"
        );
    }
}

#[test]
fn odd_modes_deeper_down_are_found_too() {
    let o = Office::new();
    let trees = forged_approval_trees(&o);
    // drafts/2024/x spelt 040000 inside the year folder.
    let year = respell(
        &raw_tree(&o.dir, &trees[2]),
        &entry("40000", b"x", &trees[3]),
        &entry("040000", b"x", &trees[3]),
    );
    let year = literal_tree(&o.dir, &year);
    let root = root_with_year(&o, &trees, &year, "40000");
    let c = commit_on_head(&o.dir, &root, "chỉnh sửa nhỏ");
    let f = o.findings();
    assert!(f.contains(&(c.clone(), Problem::Unsigned)), "{f:?}");
    assert!(
        f.iter().any(|(id, p)| id == &c
            && matches!(p, Problem::BadTree { path, .. } if path == "drafts/2024")),
        "{f:?}"
    );
    assert_found(&o, &c, &["drafts/2024", "040000"]);
}

#[test]
fn a_duplicate_draft_folder_is_a_finding() {
    let o = Office::new();
    let trees = forged_approval_trees(&o);
    // Two entries named x: the old folder, then the one with the approval.
    let old_x = git(&o.dir, &["rev-parse", "HEAD:drafts/2024/x"])
        .trim()
        .to_string();
    let mut year = entry("40000", b"x", &old_x);
    year.extend(entry("40000", b"x", &trees[3]));
    let year = literal_tree(&o.dir, &year);
    let root = root_with_year(&o, &trees, &year, "40000");
    let c = commit_on_head(&o.dir, &root, "sắp xếp lại");
    let f = o.findings();
    assert!(
        f.iter().any(|(id, p)| id == &c
            && matches!(p, Problem::BadTree { path, fault: TreeFault::Duplicate { name } } if path == "drafts/2024" && name == "x")),
        "{f:?}"
    );
    assert_found(&o, &c, &["drafts/2024", "two entries are named 'x'"]);
    let list = stdout(&duyet(&o.dir, &["list", "--json"]));
    assert!(
        list.contains("\"verified\": false") && !list.contains("\"verified\": true"),
        "{list}"
    );
}

#[test]
fn a_name_with_a_slash_or_dot_git_and_a_bad_order_are_findings() {
    let cases: [(&[u8], &str); 3] = [
        (b"x/review.toml", "refused by git"),
        (b".git", "refused by git"),
        (b"..", "refused by git"),
    ];
    for (name, needle) in cases {
        let o = Office::new();
        let trees = forged_approval_trees(&o);
        let review = git(&o.dir, &["rev-parse", &format!("{}:review.toml", trees[3])])
            .trim()
            .to_string();
        let mut year = raw_tree(&o.dir, &trees[2]);
        year.extend(entry("100644", name, &review));
        let year = literal_tree(&o.dir, &year);
        let root = root_with_year(&o, &trees, &year, "40000");
        let c = commit_on_head(&o.dir, &root, "thêm tệp");
        assert_found(&o, &c, &["drafts/2024", needle]);
    }
    // Entries out of git's order: lookups by name disagree.
    let o = Office::new();
    let trees = forged_approval_trees(&o);
    let x = trees[3].clone();
    let mut year = entry("40000", b"y", &x);
    year.extend(entry("40000", b"x", &x));
    let year = literal_tree(&o.dir, &year);
    let root = root_with_year(&o, &trees, &year, "40000");
    let c = commit_on_head(&o.dir, &root, "đổi thứ tự");
    assert_found(&o, &c, &["out of git's order"]);
}

#[test]
fn an_unsigned_merge_cannot_restore_a_revoked_approver() {
    let o = Office::new();
    let with_minh = o.head();
    o.ok(&["trust", "remove", "minh@example.vn"]);
    let removed = o.head();
    // An old branch from before the removal, and a merge that keeps its
    // trust list (Minh still in) instead of the three-way result.
    git(&o.dir, &["checkout", "-qb", "old", &with_minh]);
    git(&o.dir, &["commit", "-q", "--allow-empty", "-m", "việc cũ"]);
    let old = o.head();
    let tree = git_in(
        &o.dir,
        &["mktree"],
        git(&o.dir, &["ls-tree", &removed])
            .replace(
                &git(&o.dir, &["rev-parse", &format!("{removed}:.duyet")])
                    .trim()
                    .to_string(),
                git(&o.dir, &["rev-parse", &format!("{old}:.duyet")]).trim(),
            )
            .as_bytes(),
    );
    let m = git(
        &o.dir,
        &[
            "commit-tree",
            &tree,
            "-p",
            &removed,
            "-p",
            &old,
            "-m",
            "Merge",
        ],
    )
    .trim()
    .to_string();
    git(&o.dir, &["checkout", "-q", "main"]);
    git(&o.dir, &["update-ref", "refs/heads/main", &m, &removed]);
    git(&o.dir, &["reset", "-q", "--hard"]);
    let f = o.findings();
    assert!(
        f.contains(&(
            m.clone(),
            Problem::MergeIntroduces {
                files: vec![".duyet/trust.toml".into()]
            }
        )),
        "{f:?}"
    );
    assert_found(&o, &m, &[".duyet/trust.toml", "every parent"]);
}

#[test]
fn a_revoked_approver_cannot_decide_on_an_old_base_and_merge_it_in() {
    let o = Office::new();
    let with_minh = o.head();
    o.ok(&["trust", "remove", "minh@example.vn"]);
    git(&o.dir, &["checkout", "-qb", "old", &with_minh]);
    o.as_("minh");
    let decision = o.ok(&["approve", "x", "-m", "Đồng ý."]);
    git(&o.dir, &["checkout", "-q", "main"]);
    git(&o.dir, &["merge", "-q", "--no-edit", "old"]);
    let m = o.head();
    let f = o.findings();
    assert!(
        f.iter().any(|(id, p)| id == &m
            && matches!(p, Problem::MergeCarries { path, writer, .. } if path == "drafts/2024/x/review.toml" && writer == &decision)),
        "{f:?}"
    );
    assert_found(&o, &m, &["drafts/2024/x/review.toml", "Minh"]);
    // The decision is not shown as verified, nor as approved.
    let list = stdout(&duyet(&o.dir, &["list", "--json"]));
    assert!(list.contains("\"verified\": false"), "{list}");
    let list = stdout(&duyet(&o.dir, &["--lang", "en", "list"]));
    assert!(
        list.contains("invalid") && !list.contains("approved"),
        "{list}"
    );
}

#[test]
fn concurrent_decisions_on_two_drafts_still_merge_cleanly() {
    let o = Office::new();
    add_draft(&o.dir, "y", TEXT);
    git(&o.dir, &["checkout", "-qb", "side"]);
    o.ok(&["approve", "y"]);
    git(&o.dir, &["checkout", "-q", "main"]);
    o.as_("minh");
    o.ok(&["return", "x", "-m", "Sửa lại."]);
    git(&o.dir, &["merge", "-q", "--no-edit", "side"]);
    // Before an audit of HEAD, decisions are not shown as decided ...
    let list = stdout(&duyet(&o.dir, &["--lang", "en", "list"]));
    assert!(
        list.contains("not yet audited") && !list.contains("approved"),
        "{list}"
    );
    assert!(o.findings().is_empty(), "{:?}", o.findings());
    // ... and both show, verified, once HEAD is audited.
    assert_eq!(duyet(&o.dir, &["audit"]).status.code(), Some(0));
    let list = stdout(&duyet(&o.dir, &["--lang", "en", "list"]));
    assert!(
        list.contains("approved") && list.contains("returned"),
        "{list}"
    );
    assert!(!list.contains("not yet audited"), "{list}");
    let json = stdout(&duyet(&o.dir, &["list", "--json"]));
    assert_eq!(json.matches("\"verified\": true").count(), 2, "{json}");
    // A later decision keeps the marks current (the cache is refreshed).
    o.as_("ha");
    o.ok(&["approve", "x"]);
    let json = stdout(&duyet(&o.dir, &["list", "--json"]));
    assert_eq!(json.matches("\"verified\": true").count(), 2, "{json}");
}

#[test]
fn the_named_reviewer_is_the_signer_and_the_time_is_the_commits() {
    let o = Office::new();
    o.as_("minh");
    let c = o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_by(
                "approved",
                &o.blob(),
                "Trần Thu Hà",
                "ha@example.vn",
                &now(),
            ),
        }],
        &message("approved", &o.blob()),
    );
    let f = o.findings();
    assert!(
        f.iter().any(|(id, p)| id == &c && matches!(p, Problem::ReviewerNotSigner { named, signer, .. } if named.contains("Trần Thu Hà") && signer.contains("Minh"))),
        "{f:?}"
    );
    assert_found(&o, &c, &["drafts/2024/x/review.toml", "names Trần Thu Hà"]);
    let o = Office::new();
    let c = o.signed_commit(
        &[Edit::Put {
            path: "drafts/2024/x/review.toml".into(),
            content: review_by(
                "approved",
                &o.blob(),
                "Trần Thu Hà",
                "ha@example.vn",
                "2020-01-01T08:00:00+07:00",
            ),
        }],
        &message("approved", &o.blob()),
    );
    assert_eq!(o.findings().len(), 1, "{:?}", o.findings());
    assert_found(&o, &c, &["2020-01-01T08:00:00+07:00"]);
}

#[test]
fn a_signature_in_the_message_body_is_no_signature() {
    let o = Office::new();
    let good = o.ok(&["approve", "x"]);
    let raw = git(&o.dir, &["cat-file", "commit", &good]);
    let (header, msg) = raw.split_once("\n\n").unwrap();
    let sig_start = header.find("gpgsig ").unwrap();
    let sig: String = header[sig_start + 7..]
        .lines()
        .map(|l| l.trim_start().to_string() + "\n")
        .collect();
    let unsigned_header = &header[..sig_start];
    let moved = format!("{unsigned_header}\n{msg}\n{sig}");
    let id = git_in(
        &o.dir,
        &["hash-object", "-t", "commit", "-w", "--stdin"],
        moved.as_bytes(),
    );
    git(&o.dir, &["update-ref", "refs/heads/main", &id, &good]);
    assert!(!git_out(&o.dir, &["verify-commit", &id]).status.success());
    assert!(o.repo().commit_signature(&id).unwrap().is_none());
    assert!(o.findings().contains(&(id.clone(), Problem::Unsigned)));
    assert_found(&o, &id, &["not signed"]);
    // Two gpgsig headers: git would join them; duyet calls it bad.
    let twice = format!("{header}\ngpgsig {}\n\n{msg}", sig.replace('\n', "\n "));
    let id2 = git_in(
        &o.dir,
        &[
            "hash-object",
            "--literally",
            "-t",
            "commit",
            "-w",
            "--stdin",
        ],
        twice.trim_end_matches(' ').as_bytes(),
    );
    git(&o.dir, &["update-ref", "refs/heads/main", &id2, &id]);
    assert!(
        o.findings()
            .iter()
            .any(|(c, p)| c == &id2 && matches!(p, Problem::BadSignature { .. })),
        "{:?}",
        o.findings()
    );
}

#[test]
fn intro_on_the_command_line_narrows_only_that_run() {
    let o = Office::new();
    write(
        &o.dir,
        "drafts/2024/x/review.toml",
        review_by(
            "approved",
            &o.blob(),
            "Trần Thu Hà",
            "ha@example.vn",
            &now(),
        ),
    );
    git(&o.dir, &["add", "-A"]);
    git(&o.dir, &["commit", "-qm", "lén duyệt"]);
    let forged = o.head();
    o.ok(&["return", "x", "-m", "Sửa lại."]);
    let later = o.head();
    let out = duyet(&o.dir, &["audit", "--intro", &later]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        git_out(&o.dir, &["config", "duyet.audit.intro"])
            .stdout
            .is_empty()
    );
    assert_found(&o, &forged, &["not signed"]);
    let out = duyet(&o.dir, &["--lang", "en", "audit"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("NOT PINNED"), "{}", stdout(&out));
}

#[test]
fn a_fabricated_history_fails_against_the_genuine_pin() {
    let o = Office::new();
    o.ok(&["approve", "x"]);
    // What the office hands out: the first trust list and its signer's key.
    let hint = o.ok(&["trust", "pin"]);
    let line = hint.lines().last().unwrap().trim().to_string();
    let args: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(&args[..3], ["duyet", "trust", "pin"], "{hint}");
    let (intro, key) = (args[3].to_string(), args[4].to_string());
    assert!(key.starts_with("SHA256:"), "{key}");
    o.ok(&["trust", "pin", &intro, &key]);
    let out = duyet(&o.dir, &["--lang", "en", "audit", "--full"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        stdout(&out).contains(&format!("pinned, key {key}")),
        "{}",
        stdout(&out)
    );
    // A wrong key for the right commit is refused.
    let mallory = duyet::audit::pin::ssh_fingerprint(
        &std::fs::read_to_string(o.keys.join("mallory.pub")).unwrap(),
    )
    .unwrap();
    let out = duyet(&o.dir, &["trust", "pin", &intro, &mallory]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    git(&o.dir, &["config", "duyet.pin.key", &mallory]);
    assert_found(&o, &intro, &["must be signed by"]);
    git(&o.dir, &["config", "duyet.pin.key", &key]);

    // Mallory fabricates the whole history: a new root, a trust list naming
    // Hà with Mallory's key, an approval "by Hà".
    let fake = o.dir.join("../fake");
    repo_with_draft(&fake, TEXT);
    git(&fake, &["config", "gpg.format", "ssh"]);
    let mkey = o.keys.join("mallory");
    git(
        &fake,
        &["config", "user.signingKey", mkey.to_str().unwrap()],
    );
    let mpub = o.keys.join("mallory.pub");
    let add = duyet(
        &fake,
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
            mpub.to_str().unwrap(),
        ],
    );
    assert!(add.status.success(), "{}", stderr(&add));
    assert!(duyet(&fake, &["approve", "x"]).status.success());
    // A fresh clone of it audits clean without a pin (and says so) ...
    let clone = o.dir.join("../clone");
    git(
        &o.dir,
        &[
            "clone",
            "-q",
            fake.to_str().unwrap(),
            clone.to_str().unwrap(),
        ],
    );
    let out = duyet(&clone, &["--lang", "en", "audit"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("NOT PINNED"));
    // ... and fails with the genuine pin.
    let out = duyet(&clone, &["trust", "pin", &intro, &key]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("not in this repository"),
        "{}",
        stderr(&out)
    );
    let out = duyet(&clone, &["--lang", "en", "audit", "--full"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(
        stdout(&out).contains("not in this history"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_shallow_clone_gets_one_clear_message() {
    let o = Office::new();
    o.ok(&["approve", "x"]);
    let clone = o.dir.join("../shallow");
    git(
        &o.dir,
        &[
            "clone",
            "-q",
            "--depth",
            "1",
            &format!("file://{}", o.dir.display()),
            clone.to_str().unwrap(),
        ],
    );
    assert_fails(
        &duyet(&clone, &["audit"]),
        "shallow clone: the audit needs the whole history: git fetch --unshallow",
    );
}

#[test]
fn log_marks_each_decision_as_the_audit_of_head_judged_it() {
    let o = Office::new();
    let good = o.ok(&["approve", "x", "-m", "Đồng ý."]);
    write(
        &o.dir,
        "drafts/2024/x/review.toml",
        review_by(
            "returned",
            &o.blob(),
            "Trần Thu Hà",
            "ha@example.vn",
            &now(),
        ),
    );
    git(&o.dir, &["add", "-A"]);
    git(&o.dir, &["commit", "-qm", &message("returned", &o.blob())]);
    let forged = o.head();
    let log = |args: &[&str]| stdout(&duyet(&o.dir, args));
    let text = log(&["--lang", "en", "log", "x"]);
    assert!(text.contains("? not yet audited"), "{text}");
    assert_eq!(duyet(&o.dir, &["audit"]).status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_str(&log(&["log", "x", "--json"])).unwrap();
    let marks: Vec<(String, serde_json::Value)> = json["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["commit"].as_str().unwrap().to_string(),
                d["verified"].clone(),
            )
        })
        .collect();
    assert_eq!(
        marks,
        [(good, true.into()), (forged, false.into())],
        "{json}"
    );
    let text = log(&["--lang", "vi", "log", "x"]);
    assert!(
        text.contains("✗ không hợp lệ") && text.contains("✓"),
        "{text}"
    );
}

#[test]
fn a_renamed_draft_folder_does_not_carry_its_approval() {
    // An approval of x moved, unsigned, onto another draft's name: the
    // review.toml at the new path was written by a commit nobody signed.
    let o = Office::new();
    o.ok(&["approve", "x"]);
    git(&o.dir, &["mv", "drafts/2024/x", "drafts/2024/y"]);
    git(&o.dir, &["commit", "-qm", "đổi tên"]);
    let moved = o.head();
    let f = o.findings();
    assert!(f.contains(&(moved.clone(), Problem::Unsigned)), "{f:?}");
    assert_found(&o, &moved, &["not signed"]);
    let list = stdout(&duyet(&o.dir, &["--lang", "en", "list"]));
    assert!(
        list.contains("invalid") && !list.contains("approved"),
        "{list}"
    );
}
