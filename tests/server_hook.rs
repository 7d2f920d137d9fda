//! The shared server enforces the trust rule: `duyet hook install` on a bare
//! repository, served on loopback by `git daemon` and by `git http-backend`
//! behind lighttpd; pushes made with stock git.

mod common;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};
use std::time::{Duration, Instant};

use common::*;

fn keygen(path: &Path) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "k", "-f"])
        .arg(path)
        .output()
        .expect("ssh-keygen runs");
    assert!(out.status.success());
    std::fs::read_to_string(path.with_extension("pub"))
        .expect("public key")
        .trim()
        .to_string()
}

/// Whether an external program can be run; a missing one skips the test
/// loudly, or fails it when DUYET_REQUIRE_TOOLS=1.
fn have(program: &str, arg: &str) -> bool {
    let ok = Command::new(program).arg(arg).output().is_ok();
    if !ok {
        assert!(
            std::env::var("DUYET_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{program} is required (DUYET_REQUIRE_TOOLS=1) but cannot be run"
        );
        eprintln!("SKIPPED: {program} is not installed (apt-get install {program})");
    }
    ok
}

struct Server {
    _t: tempfile::TempDir,
    root: PathBuf,
    remote: PathBuf,
}

/// A bare repository `remote.git` whose trust list names Hà (approver,
/// admin), holding drafts a and b, with duyet's hooks installed.
fn server() -> Server {
    let t = tmp();
    let root = t.path().to_path_buf();
    let seed = root.join("seed");
    std::fs::create_dir(&seed).expect("mkdir");
    init_repo(&seed);
    std::fs::create_dir(root.join("keys")).expect("mkdir");
    let ha = keygen(&root.join("keys/ha"));
    keygen(&root.join("keys/mallory"));
    git(&seed, &["config", "gpg.format", "ssh"]);
    let key = root.join("keys/ha");
    git(
        &seed,
        &["config", "user.signingKey", key.to_str().expect("utf-8")],
    );
    let out = duyet(
        &seed,
        &[
            "trust",
            "add",
            "--name",
            "Trần Thu Hà",
            "--email",
            "ha@example.vn",
            "--ssh",
            &ha,
            "--role",
            "approver",
            "--role",
            "admin",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    add_draft(&seed, "a", "Văn bản A.\n");
    add_draft(&seed, "b", "Văn bản B.\n");
    let remote = root.join("remote.git");
    bare_clone(&seed, &remote);
    git(&remote, &["config", "http.receivepack", "true"]);
    let out = duyet(&root, &["hook", "install", remote.to_str().expect("utf-8")]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).contains("installed"), "{}", stdout(&out));
    Server {
        _t: t,
        root,
        remote,
    }
}

/// A process killed and reaped when dropped.
struct Running(Child);
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn wait_for(port: u16, what: &str) {
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{what} did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn exec_path() -> PathBuf {
    let out = Command::new("git")
        .arg("--exec-path")
        .output()
        .expect("git runs");
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

/// `git daemon` with pushes enabled, on a free loopback port.
fn git_daemon(s: &Server) -> (Running, String) {
    let port = free_port();
    // Run git-daemon itself: killing a `git daemon` wrapper would leave it running.
    let child = Command::new(exec_path().join("git-daemon"))
        .args([
            "--reuseaddr",
            "--export-all",
            "--enable=receive-pack",
            "--listen=127.0.0.1",
        ])
        .arg(format!("--port={port}"))
        .arg(format!("--base-path={}", s.root.display()))
        .arg(&s.root)
        .spawn()
        .expect("git daemon");
    let running = Running(child);
    wait_for(port, "git daemon");
    (running, format!("git://127.0.0.1:{port}/remote.git"))
}

/// `git http-backend` behind lighttpd, on a free loopback port.
fn lighttpd(s: &Server) -> (Running, String) {
    let port = free_port();
    let conf = s.root.join("lighttpd.conf");
    std::fs::write(
        &conf,
        format!(
            r#"server.modules = ("mod_alias", "mod_cgi", "mod_setenv")
server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{root}/lighttpd.log"
alias.url = ("/git" => "{backend}")
$HTTP["url"] =~ "^/git" {{
  cgi.assign = ("" => "")
  setenv.set-environment = ("GIT_PROJECT_ROOT" => "{root}", "GIT_HTTP_EXPORT_ALL" => "1")
}}
"#,
            root = s.root.display(),
            backend = exec_path().join("git-http-backend").display(),
        ),
    )
    .expect("write config");
    let child = Command::new("lighttpd")
        .arg("-D")
        .arg("-f")
        .arg(&conf)
        .spawn()
        .expect("lighttpd");
    let running = Running(child);
    wait_for(port, "lighttpd");
    (running, format!("http://127.0.0.1:{port}/git/remote.git"))
}

/// A clone for `who`, signing with `key` (a file under keys/) if given.
fn clone(s: &Server, url: &str, who: &str, key: Option<&str>) -> PathBuf {
    let dir = s.root.join(who);
    let _ = std::fs::remove_dir_all(&dir);
    git(&s.root, &["clone", "-q", url, dir.to_str().expect("utf-8")]);
    git(&dir, &["config", "user.name", who]);
    git(
        &dir,
        &["config", "user.email", &format!("{who}@example.vn")],
    );
    if let Some(k) = key {
        git(&dir, &["config", "gpg.format", "ssh"]);
        let path = s.root.join("keys").join(k);
        git(
            &dir,
            &["config", "user.signingKey", path.to_str().expect("utf-8")],
        );
    }
    dir
}

/// Commits, with stock git, a decision on draft `id` that duyet did not
/// make (review.toml naming Hà, matching trailers), signed with `key` or
/// unsigned. Returns the commit id.
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
        Some(k) => {
            let key = format!("user.signingKey={}", k.display());
            git(
                dir,
                &[
                    "-c",
                    "gpg.format=ssh",
                    "-c",
                    &key,
                    "commit",
                    "-q",
                    "-S",
                    "-m",
                    &msg,
                ],
            )
        }
        None => git(dir, &["commit", "-q", "--no-gpg-sign", "-m", &msg]),
    };
    git(dir, &["rev-parse", "HEAD"]).trim().to_string()
}

fn refs(remote: &Path) -> String {
    git(
        remote,
        &["for-each-ref", "--format=%(refname) %(objectname)"],
    )
}

/// A push that the server refused: git's exit code, and duyet's lines
/// shown as `remote:`; the server's refs unchanged.
fn assert_refused(s: &Server, out: &Output, before: &str, needles: &[&str]) {
    let err = stderr(out);
    assert!(!out.status.success(), "push accepted: {err}");
    assert!(err.contains("remote: duyet: đẩy lên bị từ chối"), "{err}");
    assert!(err.contains("push refused, no ref was updated"), "{err}");
    assert!(err.contains("pre-receive hook declined"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(refs(&s.remote), before, "the server's refs are unchanged");
}

fn push(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["push"];
    all.extend_from_slice(args);
    git_out(dir, &all)
}

/// Every case, through the server at `url`.
fn scenario(s: &Server, url: &str) {
    let ha = clone(s, url, "ha", Some("ha"));
    let mallory = clone(s, url, "mallory", None);
    // A genuine decision goes in.
    let out = duyet(&ha, &["approve", "a", "-m", "Đồng ý"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = push(&ha, &["origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains('✗'), "{}", stderr(&out));
    assert_eq!(
        git(&s.remote, &["rev-parse", "main"]),
        git(&ha, &["rev-parse", "HEAD"])
    );
    git(&mallory, &["pull", "-q", "--ff-only"]);
    // An unsigned commit writing a review.toml.
    let before = refs(&s.remote);
    let forged = forge_decision(&mallory, "b", None);
    let out = push(&mallory, &["origin", "main"]);
    assert_refused(
        s,
        &out,
        &before,
        &[
            &format!("remote: ✗ {}", &forged[..10]),
            "Lương Minh Vũ <vu@example.vn>",
            "không được ký",
            "is not signed",
        ],
    );
    // The same commit on another branch: refused too.
    let out = push(&mallory, &["origin", "HEAD:refs/heads/elsewhere"]);
    assert_refused(s, &out, &before, &[&forged[..10]]);
    // A decision signed with a key the trust list does not name.
    git(&mallory, &["reset", "-q", "--hard", "origin/main"]);
    let forged = forge_decision(&mallory, "b", Some(&s.root.join("keys/mallory")));
    let out = push(&mallory, &["origin", "main"]);
    assert_refused(
        s,
        &out,
        &before,
        &[
            &forged[..10],
            "not in its parent's trust list",
            "không có trong danh sách tin cậy",
        ],
    );
    // A force-push that drops Hà's approval.
    git(&mallory, &["reset", "-q", "--hard", "origin/main~1"]);
    write(&mallory, "drafts/2024/a/draft.md", "Văn bản A, sửa.\n");
    git(&mallory, &["commit", "-q", "-am", "Sửa A"]);
    let out = push(&mallory, &["--force", "origin", "main"]);
    assert_refused(s, &out, &before, &["non-fast-forward", "ghi đè lịch sử"]);
    // Deleting the drafts branch.
    let out = push(&mallory, &["origin", ":main"]);
    assert_refused(s, &out, &before, &["the drafts branch cannot be deleted"]);
    // An ordinary revision on top goes in.
    git(&mallory, &["reset", "-q", "--hard", "origin/main"]);
    write(&mallory, "drafts/2024/b/draft.md", "Văn bản B, sửa.\n");
    git(&mallory, &["commit", "-q", "-am", "Sửa B"]);
    let out = push(&mallory, &["origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // And so does Hà's next decision, judged from the cache post-receive wrote.
    git(&ha, &["pull", "-q", "--ff-only"]);
    let out = duyet(&ha, &["return", "b", "-m", "Cần sửa"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = push(&ha, &["origin", "main"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        s.remote.join("duyet").exists(),
        "post-receive refreshed the audit's cache"
    );
    // The server's history audits clean.
    let check = s.root.join("check");
    let _ = std::fs::remove_dir_all(&check);
    git(
        &s.root,
        &["clone", "-q", url, check.to_str().expect("utf-8")],
    );
    let out = duyet(&check, &["audit"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn git_daemon_refuses_forged_pushes_and_takes_genuine_ones() {
    let s = server();
    let (_d, url) = git_daemon(&s);
    scenario(&s, &url);
}

#[test]
fn http_backend_behind_lighttpd_refuses_forged_pushes_and_takes_genuine_ones() {
    if !have("lighttpd", "-v") {
        return;
    }
    let s = server();
    let (_d, url) = lighttpd(&s);
    scenario(&s, &url);
}

#[test]
fn install_refuses_to_replace_a_different_hook() {
    let s = server();
    // Installing again is harmless.
    let out = duyet(
        &s.root,
        &["hook", "install", s.remote.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("already installed"),
        "{}",
        stdout(&out)
    );
    let hook = s.remote.join("hooks/pre-receive");
    let text = std::fs::read_to_string(&hook).expect("hook");
    assert!(
        text.contains(BIN) || text.contains("duyet' hook pre-receive"),
        "{text}"
    );
    std::fs::write(&hook, "#!/bin/sh\nexit 0\n").expect("write");
    std::fs::remove_file(s.remote.join("hooks/post-receive")).expect("rm");
    let out = duyet(
        &s.root,
        &["hook", "install", s.remote.to_str().expect("utf-8")],
    );
    assert_fails(&out, "a different hook is already there");
    assert_eq!(
        std::fs::read_to_string(&hook).expect("hook"),
        "#!/bin/sh\nexit 0\n",
        "the other hook is kept"
    );
    assert!(
        !s.remote.join("hooks/post-receive").exists(),
        "nothing was installed"
    );
    // The script for Gitea/Forgejo/GitLab's pre-receive.d folders.
    let out = duyet(&s.root, &["hook", "script", "pre-receive"]);
    assert!(stdout(&out).starts_with("#!/bin/sh\n"), "{}", stdout(&out));
    assert!(stdout(&out).contains("hook pre-receive"));
    assert_fails(
        &duyet(&s.root, &["hook", "script", "update"]),
        "no hook 'update'",
    );
}
