//! Decisions are signed commits that stock git accepts, made with
//! real keys (ssh in-process and through ssh-agent, gpg, gpgsm), and every
//! failure leaves refs, index and work tree as they were.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use duyet::model::Decision;
use duyet::ops::{DecisionRequest, decide, plan_decision};
use duyet::repo::{DraftRepo, Error};
use duyet::sign::{SignConfig, Verifier};

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung huyện Tràng Định.\n";

/// A repository with draft "x" and an ssh key at `dir/../key`.
fn ssh_repo(t: &Path) -> (PathBuf, PathBuf) {
    let dir = repo_with_draft(&t.join("r"), TEXT);
    let key = t.join("key");
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "ha@example.vn", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success());
    git(&dir, &["config", "gpg.format", "ssh"]);
    git(&dir, &["config", "user.signingKey", key.to_str().unwrap()]);
    let pub_path = t.join("key.pub");
    trust_self(&dir, &[], &["--ssh", pub_path.to_str().unwrap()]);
    let pubkey = std::fs::read_to_string(t.join("key.pub")).unwrap();
    let signers = t.join("allowed_signers");
    std::fs::write(&signers, format!("ha@example.vn {pubkey}")).unwrap();
    git(
        &dir,
        &[
            "config",
            "gpg.ssh.allowedSignersFile",
            signers.to_str().unwrap(),
        ],
    );
    (dir, key)
}

/// Makes the signer the trust list's first member (approver and admin):
/// duyet records only decisions the audit will accept.
fn trust_self(dir: &Path, env: &[(&str, &str)], key: &[&str]) {
    let mut c = Command::new(BIN);
    c.current_dir(dir).env("NO_COLOR", "1");
    for (k, v) in env {
        c.env(k, v);
    }
    let args = [
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
    ];
    let out = c.args(args).args(key).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What a user checks on a decision commit with stock git.
fn check_with_stock_git(dir: &Path, commit: &str, decision: &str, env: &[(&str, &str)]) {
    let run = |args: &[&str]| {
        let mut c = Command::new("git");
        c.current_dir(dir).args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    };
    let v = run(&["verify-commit", commit]);
    assert!(
        v.status.success(),
        "verify-commit: {}",
        String::from_utf8_lossy(&v.stderr)
    );
    let log = run(&["log", "-1", "--show-signature", commit]);
    let text = String::from_utf8_lossy(&log.stdout);
    assert!(text.to_lowercase().contains("good"), "{text}");
    git(dir, &["fsck", "--strict", "--no-dangling"]);
    let msg = git(dir, &["log", "-1", "--format=%B", commit]);
    let mut p = Command::new("git")
        .args(["interpret-trailers", "--parse"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    p.stdin.take().unwrap().write_all(msg.as_bytes()).unwrap();
    let trailers = String::from_utf8(p.wait_with_output().unwrap().stdout).unwrap();
    let blob = blob_at_head(dir, "drafts/2024/x/draft.md");
    assert_eq!(
        trailers,
        format!("Draft: x\nDecision: {decision}\nRevision: {blob}\n")
    );
    let changed = git(
        dir,
        &["diff-tree", "--no-commit-id", "--name-only", "-r", commit],
    );
    assert_eq!(changed, "drafts/2024/x/review.toml\n");
    assert_eq!(
        git(dir, &["status", "--porcelain"]),
        "",
        "work tree and index follow the commit"
    );
    let raw = git(dir, &["cat-file", "commit", commit]);
    assert!(raw.contains("\ngpgsig "), "{raw}");
    let header = raw.split("\n\n").next().unwrap();
    assert!(
        !header.ends_with("\n "),
        "the signature must not end with a lone-space line"
    );
}

#[test]
fn ssh_key_on_disk_signs_in_process() {
    let t = tmp();
    let (dir, _) = ssh_repo(t.path());
    let out = duyet(
        &dir,
        &["approve", "x", "--revision", "1", "-m", "Đồng ý ban hành."],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let commit = stdout(&out).trim().to_string();
    assert_eq!(git(&dir, &["rev-parse", "HEAD"]).trim(), commit);
    check_with_stock_git(&dir, &commit, "approved", &[]);
    let msg = git(&dir, &["log", "-1", "--format=%B"]);
    assert!(
        msg.starts_with("Duyệt: V/v x\n\nĐồng ý ban hành.\n\n"),
        "{msg}"
    );
    let review = std::fs::read_to_string(dir.join("drafts/2024/x/review.toml")).unwrap();
    assert!(
        review.contains("decision = \"approved\"") && review.contains("reviewer = \"Trần Thu Hà\"")
    );
    let list = stdout(&duyet(&dir, &["list", "--json"]));
    assert!(list.contains("\"status\": \"approved\""), "{list}");

    // Return with a note, by blob id guard.
    let blob = blob_at_head(&dir, "drafts/2024/x/draft.md");
    let out = duyet(
        &dir,
        &[
            "return",
            "x",
            "--revision",
            &blob[..10],
            "-m",
            "Sửa lại",
            "--note",
            "4:Kiểm tra tên huyện",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let review = std::fs::read_to_string(dir.join("drafts/2024/x/review.toml")).unwrap();
    assert!(
        review.contains("[[note]]\nline = 4\ntext = \"Kiểm tra tên huyện\""),
        "{review}"
    );
}

#[test]
fn agent_held_ssh_key_signs_through_ssh_keygen() {
    let t = tmp();
    let (dir, key) = ssh_repo(t.path());
    let sock = t.path().join("agent.sock");
    let agent = Command::new("ssh-agent")
        .args(["-D", "-a"])
        .arg(&sock)
        .spawn()
        .unwrap();
    struct Kill(std::process::Child);
    impl Drop for Kill {
        fn drop(&mut self) {
            let _ = self.0.kill();
        }
    }
    let _agent = Kill(agent);
    for _ in 0..100 {
        if sock.exists() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let add = Command::new("ssh-add")
        .arg(&key)
        .env("SSH_AUTH_SOCK", &sock)
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    // The private key is gone from disk: only the agent can sign.
    std::fs::remove_file(&key).unwrap();
    git(
        &dir,
        &[
            "config",
            "user.signingKey",
            t.path().join("key.pub").to_str().unwrap(),
        ],
    );
    let out = Command::new(BIN)
        .current_dir(&dir)
        .args(["approve", "x"])
        .env("SSH_AUTH_SOCK", &sock)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    check_with_stock_git(&dir, stdout(&out).trim(), "approved", &[]);
}

fn gpg_home(t: &Path) -> (PathBuf, String) {
    let home = t.join("gnupg");
    std::fs::create_dir(&home).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&home, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let gen_key = Command::new("gpg")
        .env("GNUPGHOME", &home)
        .args([
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Trần Thu Hà <ha@example.vn>",
            "ed25519",
            "sign",
            "never",
        ])
        .output()
        .unwrap();
    assert!(
        gen_key.status.success(),
        "{}",
        String::from_utf8_lossy(&gen_key.stderr)
    );
    let list = Command::new("gpg")
        .env("GNUPGHOME", &home)
        .args(["--with-colons", "--list-secret-keys"])
        .output()
        .unwrap();
    let fpr = String::from_utf8_lossy(&list.stdout)
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .unwrap()
        .to_string();
    (home, fpr)
}

/// Runs duyet with its own GNUPGHOME (git and gpg inherit it).
fn duyet_in_gnupg(dir: &Path, home: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .env("GNUPGHOME", home)
        .output()
        .unwrap()
}

struct KillAgent(PathBuf);
impl Drop for KillAgent {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf")
            .env("GNUPGHOME", &self.0)
            .args(["--kill", "all"])
            .output();
    }
}

#[test]
fn openpgp_key_signs_through_gpg() {
    let t = tmp();
    let dir = repo_with_draft(&t.path().join("r"), TEXT);
    let (home, fpr) = gpg_home(t.path());
    let _kill = KillAgent(home.clone());
    git(&dir, &["config", "user.signingKey", &fpr]);
    trust_self(
        &dir,
        &[("GNUPGHOME", home.to_str().unwrap())],
        &["--openpgp", &fpr],
    );
    let out = duyet_in_gnupg(
        &dir,
        &home,
        &["return", "x", "-m", "Đề nghị bổ sung căn cứ pháp lý."],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let commit = stdout(&out).trim().to_string();
    check_with_stock_git(
        &dir,
        &commit,
        "returned",
        &[("GNUPGHOME", home.to_str().unwrap())],
    );

    // duyet's own verifier names the key; a stock `git commit -S` verifies too.
    unsafe { std::env::set_var("GNUPGHOME", &home) };
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let (sig, data) = repo.commit_signature(&commit).unwrap().unwrap();
    let key = Verifier::default().verify(&sig, &data).unwrap();
    assert_eq!(key, duyet::model::trust::SignerKey::OpenPgp(fpr.clone()));
    let stock = git_out(
        &dir,
        &[
            "-c",
            &format!("user.signingKey={fpr}"),
            "commit",
            "-S",
            "--allow-empty",
            "-qm",
            "stock",
        ],
    );
    assert!(
        stock.status.success(),
        "{}",
        String::from_utf8_lossy(&stock.stderr)
    );
    let head = git(&dir, &["rev-parse", "HEAD"]);
    let (sig, data) = repo.commit_signature(head.trim()).unwrap().unwrap();
    assert!(Verifier::default().verify(&sig, &data).is_ok());
    // Altered content fails.
    let mut altered = data.clone();
    altered.extend_from_slice(b"x");
    assert!(Verifier::default().verify(&sig, &altered).is_err());
}

#[test]
fn x509_certificate_signs_through_gpgsm() {
    let t = tmp();
    let dir = repo_with_draft(&t.path().join("r"), TEXT);
    let home = t.path().join("gnupg");
    std::fs::create_dir(&home).unwrap();
    let _kill = KillAgent(home.clone());
    std::fs::write(home.join("gpgsm.conf"), "disable-crl-checks\n").unwrap();
    let params = t.path().join("params");
    std::fs::write(
        &params,
        "Key-Type: RSA\nKey-Length: 2048\nKey-Usage: sign, cert\nSerial: random\nName-DN: CN=Tran Thu Ha,O=STTTT Lang Son,C=VN\nName-Email: ha@example.vn\n",
    )
    .unwrap();
    let gsm = |args: &[&str]| {
        Command::new("gpgsm")
            .env("GNUPGHOME", &home)
            .args(args)
            .output()
            .unwrap()
    };
    let cert = gsm(&[
        "--batch",
        "--pinentry-mode",
        "loopback",
        "--passphrase",
        "",
        "--gen-key",
        params.to_str().unwrap(),
    ]);
    assert!(
        cert.status.success(),
        "{}",
        String::from_utf8_lossy(&cert.stderr)
    );
    let pem = t.path().join("cert.pem");
    std::fs::write(&pem, &cert.stdout).unwrap();
    assert!(
        gsm(&["--batch", "--import", pem.to_str().unwrap()])
            .status
            .success()
    );
    let list = gsm(&["--with-colons", "--list-secret-keys"]);
    let fpr = String::from_utf8_lossy(&list.stdout)
        .lines()
        .find(|l| l.starts_with("fpr:"))
        .and_then(|l| l.split(':').nth(9))
        .unwrap()
        .to_string();
    std::fs::write(home.join("trustlist.txt"), format!("{fpr} S relax\n")).unwrap();
    git(&dir, &["config", "gpg.format", "x509"]);
    git(&dir, &["config", "user.signingKey", &fpr]);
    trust_self(
        &dir,
        &[("GNUPGHOME", home.to_str().unwrap())],
        &["--x509", &fpr],
    );
    let out = duyet_in_gnupg(&dir, &home, &["approve", "x", "-m", "Đồng ý."]);
    assert!(out.status.success(), "{}", stderr(&out));
    let commit = stdout(&out).trim().to_string();
    let raw = git(&dir, &["cat-file", "commit", &commit]);
    assert!(raw.contains("-----BEGIN SIGNED MESSAGE-----"), "{raw}");
    check_with_stock_git(
        &dir,
        &commit,
        "approved",
        &[("GNUPGHOME", home.to_str().unwrap())],
    );
}

#[test]
fn stock_ssh_signed_commit_verifies_with_duyet() {
    let t = tmp();
    let (dir, _) = ssh_repo(t.path());
    git(
        &dir,
        &["commit", "-S", "--allow-empty", "-qm", "signed by git"],
    );
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let head = git(&dir, &["rev-parse", "HEAD"]);
    let (sig, data) = repo.commit_signature(head.trim()).unwrap().unwrap();
    let key = Verifier::default().verify(&sig, &data).unwrap();
    let pubkey = std::fs::read_to_string(t.path().join("key.pub")).unwrap();
    assert_eq!(
        key,
        duyet::model::trust::SignerKey::Ssh(duyet::model::trust::ssh_key_core(&pubkey))
    );
    assert!(Verifier::default().verify(&sig, b"tree 0000\n").is_err());
}

/// Runs a failing CLI decision and checks nothing changed.
fn refused(dir: &Path, args: &[&str], needle: &str) {
    let before = repo_state(dir);
    assert_fails(&duyet(dir, args), needle);
    assert_eq!(
        repo_state(dir),
        before,
        "refs, index and work tree unchanged"
    );
}

#[test]
fn failures_leave_everything_as_it_was() {
    let t = tmp();
    let (dir, _) = ssh_repo(t.path());
    // signing program missing / failing
    git(&dir, &["config", "gpg.format", "openpgp"]);
    git(&dir, &["config", "gpg.program", "/nonexistent/gpg"]);
    refused(
        &dir,
        &["approve", "x"],
        "cannot run the signing program '/nonexistent/gpg'",
    );
    git(&dir, &["config", "gpg.program", "false"]);
    refused(&dir, &["approve", "x"], "'false' failed to sign");
    git(&dir, &["config", "--unset", "gpg.program"]);
    // no key configured
    git(&dir, &["config", "gpg.format", "ssh"]);
    let key = git(&dir, &["config", "user.signingKey"]);
    git(&dir, &["config", "--unset", "user.signingKey"]);
    let out = duyet(&dir, &["approve", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("git config user.signingKey"),
        "{}",
        stderr(&out)
    );
    git(&dir, &["config", "user.signingKey", key.trim()]);
    // return without comment
    refused(&dir, &["return", "x", "-m", " "], "needs a comment");
    // lock held by another git
    std::fs::write(dir.join(".git/refs/heads/main.lock"), "").unwrap();
    refused(&dir, &["approve", "x"], "another git process holds a lock");
    std::fs::remove_file(dir.join(".git/refs/heads/main.lock")).unwrap();
    // stale revision guard
    write(&dir, "drafts/2024/x/draft.md", format!("{TEXT}Thêm.\n"));
    git(&dir, &["commit", "-qam", "rev 2"]);
    refused(
        &dir,
        &["approve", "x", "--revision", "1"],
        "changed since revision 1",
    );
    // review.toml modified locally
    assert!(
        duyet(&dir, &["approve", "x", "--revision", "2"])
            .status
            .success()
    );
    write(&dir, "drafts/2024/x/review.toml", "local edit\n");
    refused(
        &dir,
        &["return", "x", "-m", "Sửa"],
        "drafts/2024/x/review.toml has local changes",
    );
    git(&dir, &["checkout", "--", "."]);
    // detached HEAD
    git(&dir, &["checkout", "-q", "--detach"]);
    refused(&dir, &["approve", "x"], "HEAD is detached");
    git(&dir, &["checkout", "-q", "main"]);
}

#[test]
fn branch_moved_between_reading_and_deciding() {
    let t = tmp();
    let (dir, _) = ssh_repo(t.path());
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let req = DecisionRequest {
        id: "x".into(),
        decision: Decision::Approved,
        revision: None,
        comment: "ok".into(),
        notes: vec![],
        author: None,
    };
    let plan = plan_decision(&repo, &req).unwrap();
    let signer = SignConfig::from_repo(&repo).unwrap().signer().unwrap();
    let sig = signer.sign(plan.commit.buffer.as_bytes(), None).unwrap();
    git(&dir, &["commit", "--allow-empty", "-qm", "someone else"]);
    let before = repo_state(&dir);
    let err = repo.finish_commit(&plan.commit, Some(&sig)).unwrap_err();
    assert!(matches!(err, Error::BranchMoved(_)), "{err}");
    assert!(err.to_string().contains("reload"));
    assert_eq!(repo_state(&dir), before);
}

#[test]
fn wrong_passphrase_writes_nothing() {
    let t = tmp();
    let (dir, key) = ssh_repo(t.path());
    let out = Command::new("ssh-keygen")
        .args(["-q", "-p", "-N", "mật khẩu", "-P", "", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let repo = DraftRepo::open(Some(&dir)).unwrap();
    let signer = SignConfig::from_repo(&repo).unwrap().signer().unwrap();
    assert!(signer.needs_passphrase());
    let req = DecisionRequest {
        id: "x".into(),
        decision: Decision::Approved,
        revision: Some("1".into()),
        comment: String::new(),
        notes: vec![],
        author: None,
    };
    let before = repo_state(&dir);
    let err = decide(&repo, &req, &signer, Some("sai")).unwrap_err();
    assert!(err.to_string().contains("wrong passphrase"), "{err}");
    assert_eq!(repo_state(&dir), before);
    let commit = decide(&repo, &req, &signer, Some("mật khẩu"))
        .unwrap()
        .commit;
    check_with_stock_git(&dir, &commit, "approved", &[]);
}

#[test]
fn bare_repository_decisions() {
    let t = tmp();
    let (dir, key) = ssh_repo(t.path());
    let bare = t.path().join("bare.git");
    bare_clone(&dir, &bare);
    git(&bare, &["config", "gpg.format", "ssh"]);
    git(&bare, &["config", "user.signingKey", key.to_str().unwrap()]);
    git(&bare, &["config", "user.name", "Trần Thu Hà"]);
    git(&bare, &["config", "user.email", "ha@example.vn"]);
    let out = duyet(&bare, &["approve", "x"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let list = stdout(&duyet(&bare, &["list", "--status", "approved"]));
    assert!(list.contains(" x "), "{list}");
    git(&bare, &["fsck", "--strict", "--no-dangling"]);
}
