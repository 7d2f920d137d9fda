//! The route before signing (Nghị định 30, Điều 12): the content check by
//! the head of the drafting unit, the form check by the Chánh Văn phòng,
//! then the leader's decision — each a signed commit judged by the trust
//! list and the route policy of its parent. Steps made with the real
//! binary must verify; steps and approvals forged without duyet (as an
//! attacker with push access would write them) must be findings.

mod common;

use std::path::PathBuf;
use std::process::{Command, Stdio};

use common::*;
use duyet::audit::{Options, Problem, audit};
use duyet::repo::{Author, DraftRepo, Edit};

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";
const POLICY: &str = "[route]\ncong-van = [\"content\", \"form\"]\n";
const CONTENT: &str = "drafts/2024/x/review-content.toml";
const FORM: &str = "drafts/2024/x/review-form.toml";
const FINAL: &str = "drafts/2024/x/review.toml";

/// Whether `program` runs; when not, says so loudly, and fails when
/// DUYET_REQUIRE_TOOLS=1.
fn have(program: &str) -> bool {
    let ok = Command::new(program)
        .arg("-?")
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

struct Office {
    _t: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
}

impl Office {
    /// Hà (leader: approver, admin) introduces the trust list; Tuấn heads
    /// the drafting unit VP (content, unit VP); Lan is Chánh Văn phòng
    /// (form); Mallory heads another unit (content, unit KHTC). Draft "x"
    /// is a công văn of unit VP. With `policy`, Hà then commits the route
    /// policy with stock `git commit -S`.
    fn new(policy: bool) -> Option<Office> {
        if !have("ssh-keygen") {
            return None;
        }
        let t = tmp();
        let dir = t.path().join("r");
        let keys = t.path().join("keys");
        repo_with_draft(&dir, TEXT);
        std::fs::create_dir_all(&keys).expect("mkdir");
        for who in ["ha", "tuan", "lan", "mallory"] {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", who, "-f"])
                .arg(keys.join(who))
                .output()
                .expect("ssh-keygen runs");
            assert!(out.status.success());
        }
        git(&dir, &["config", "gpg.format", "ssh"]);
        let o = Office { _t: t, dir, keys };
        o.as_("ha");
        o.add("Trần Thu Hà", "ha", &["approver", "admin"], &[]);
        o.add("Nguyễn Văn Tuấn", "tuan", &["content"], &["VP"]);
        o.add("Hoàng Thị Lan", "lan", &["form"], &[]);
        o.add("Mallory", "mallory", &["content"], &["KHTC"]);
        if policy {
            o.commit_policy(POLICY);
        }
        Some(o)
    }

    fn add(&self, name: &str, who: &str, roles: &[&str], units: &[&str]) {
        let email = format!("{who}@example.vn");
        let key = self.keys.join(format!("{who}.pub"));
        let mut args = vec!["trust", "add", "--name", name, "--email", &email];
        for r in roles {
            args.extend(["--role", r]);
        }
        for u in units {
            args.extend(["--unit", u]);
        }
        args.extend(["--ssh", key.to_str().expect("utf-8")]);
        self.ok(&args);
    }

    /// The current signer writes policy.toml and commits it with stock git
    /// (`git commit -S`); its id.
    fn commit_policy(&self, text: &str) -> String {
        write(&self.dir, ".duyet/policy.toml", text);
        git(&self.dir, &["add", ".duyet/policy.toml"]);
        git(
            &self.dir,
            &["commit", "-q", "-S", "-m", "Luồng trình duyệt: công văn"],
        );
        self.head()
    }

    fn as_(&self, who: &str) {
        let key = self.keys.join(who);
        git(
            &self.dir,
            &["config", "user.signingKey", key.to_str().expect("utf-8")],
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
        DraftRepo::open(Some(&self.dir)).expect("opens")
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
        let plan = repo
            .prepare_commit(edits, message, &author)
            .expect("prepared");
        let signer = duyet::sign::SignConfig::from_repo(&repo)
            .expect("config")
            .signer()
            .expect("signer");
        let sig = signer.sign(plan.buffer.as_bytes(), None).expect("signs");
        let id = repo.finish_commit(&plan, Some(&sig)).expect("written");
        git(&self.dir, &["reset", "-q", "--hard"]);
        id
    }

    /// A decision file as `who` would write it, on the current text, now.
    fn forged(&self, path: &str, decision: &str, name: &str, who: &str, step: &str) -> String {
        let review = format!(
            "decision = \"{decision}\"\nrevision = \"{}\"\nreviewer = \"{name}\"\nemail = \"{who}@example.vn\"\ntime = \"{}\"\n",
            self.blob(),
            jiff::Timestamp::now()
        );
        let mut msg = format!(
            "Duyệt: x\n\nDraft: x\nDecision: {decision}\nRevision: {}\n",
            self.blob()
        );
        if !step.is_empty() {
            msg.push_str(&format!("Step: {step}\n"));
        }
        self.signed_commit(
            &[Edit::Put {
                path: path.to_string(),
                content: review.into_bytes(),
            }],
            &msg,
        )
    }

    fn findings(&self) -> Vec<(String, Problem)> {
        audit(
            &self.repo(),
            &Options {
                full: true,
                ..Default::default()
            },
        )
        .expect("audits")
        .findings
        .into_iter()
        .map(|f| (f.commit, f.problem))
        .collect()
    }

    /// `duyet audit --full`: exit code and output.
    fn audit_full(&self) -> (Option<i32>, String) {
        let out = duyet(&self.dir, &["--lang", "en", "audit", "--full"]);
        (out.status.code(), stdout(&out) + &stderr(&out))
    }

    /// Draft x in `list --json`.
    fn listed(&self) -> serde_json::Value {
        let out = duyet(&self.dir, &["list", "--json"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let rows: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
        rows.as_array()
            .and_then(|a| a.iter().find(|r| r["id"] == "x"))
            .cloned()
            .expect("x listed")
    }

    fn step_json(&self, step: &str) -> serde_json::Value {
        self.listed()["steps"]
            .as_array()
            .and_then(|a| a.iter().find(|s| s["step"] == step))
            .cloned()
            .unwrap_or(serde_json::Value::Null)
    }
}

#[test]
fn each_step_by_the_right_role_verifies_and_the_status_follows_the_route() {
    let Some(o) = Office::new(true) else { return };
    assert_eq!(o.listed()["status"], "waiting-content");
    let list = stdout(&duyet(&o.dir, &["--lang", "vi", "list"]));
    assert!(list.contains("chờ kiểm tra nội dung"), "{list}");

    o.as_("tuan");
    o.ok(&["approve", "x", "--step", "content", "-m", "Nội dung đúng."]);
    let msg = git(&o.dir, &["log", "-1", "--format=%B"]);
    assert!(msg.contains("Step: content"), "{msg}");
    let files = git(&o.dir, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), CONTENT);
    // Stock git verifies it with the trust list's keys.
    let signers = o.dir.join(".git/allowed_signers");
    let signers = signers.to_str().expect("utf-8");
    o.ok(&["trust", "allowed-signers", "--output", signers]);
    let allowed = format!("gpg.ssh.allowedSignersFile={signers}");
    git(&o.dir, &["-c", &allowed, "verify-commit", "HEAD"]);
    o.ok(&["audit"]);
    assert_eq!(o.listed()["status"], "waiting-form");
    let content = o.step_json("content");
    assert_eq!(content["decision"], "approved");
    assert_eq!(content["reviewer"], "Nguyễn Văn Tuấn");
    assert_eq!(content["verified"], true);
    assert_eq!(content["current"], true);
    let list = stdout(&duyet(&o.dir, &["--lang", "en", "list"]));
    assert!(list.contains("waiting for the form check"), "{list}");

    o.as_("lan");
    let out = duyet(&o.dir, &["approve", "x", "--step", "form"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The form step is told what the form checks find in the text it approved.
    assert!(
        stderr(&out).contains("the form checks of this revision: "),
        "{}",
        stderr(&out)
    );
    assert_eq!(o.listed()["status"], "pending");
    let trail = o.ok(&["audit"]);
    assert!(trail.contains("approved (form)"), "{trail}");

    o.as_("ha");
    o.ok(&["approve", "x", "-m", "Đồng ý ban hành."]);
    let msg = git(&o.dir, &["log", "-1", "--format=%B"]);
    assert!(
        !msg.contains("Step:"),
        "the final decision keeps its old form: {msg}"
    );
    let (code, text) = o.audit_full();
    assert_eq!(code, Some(0), "{text}");
    let x = o.listed();
    assert_eq!(x["status"], "approved");
    assert_eq!(x["verified"], true);
    assert_eq!(o.step_json("form")["verified"], true);
    assert_eq!(o.step_json("form")["reviewer"], "Hoàng Thị Lan");
}

#[test]
fn a_step_by_someone_without_the_role_or_the_unit_is_refused_and_forged_is_a_finding() {
    let Some(o) = Office::new(true) else { return };
    let before = repo_state(&o.dir);
    // The Chánh Văn phòng cannot answer for content ...
    o.as_("lan");
    let out = duyet(&o.dir, &["approve", "x", "--step", "content"]);
    assert_fails(&out, "content");
    // ... nor the head of another unit.
    o.as_("mallory");
    let out = duyet(&o.dir, &["approve", "x", "--step", "content"]);
    assert_fails(&out, "does not answer for the drafting unit 'VP'");
    let out = duyet(
        &o.dir,
        &["--lang", "vi", "approve", "x", "--step", "content"],
    );
    assert_fails(&out, "không chịu trách nhiệm về đơn vị soạn thảo 'VP'");
    // The leader's key is not a unit head's either.
    o.as_("ha");
    let out = duyet(
        &o.dir,
        &["return", "x", "--step", "form", "-m", "Sai thể thức."],
    );
    assert_fails(&out, "form");
    assert_eq!(repo_state(&o.dir), before, "nothing was written");

    // Written without duyet, each is a finding of the audit.
    o.as_("mallory");
    let other_unit = o.forged(CONTENT, "approved", "Mallory", "mallory", "content");
    o.as_("lan");
    let no_role = o.forged(CONTENT, "approved", "Hoàng Thị Lan", "lan", "content");
    o.as_("tuan");
    let form_by_unit_head = o.forged(FORM, "approved", "Nguyễn Văn Tuấn", "tuan", "form");
    let no_trailer = o.forged(CONTENT, "approved", "Nguyễn Văn Tuấn", "tuan", "");
    let f = o.findings();
    assert!(
        f.iter().any(|(c, p)| c == &other_unit
            && matches!(p, Problem::NotForUnit { unit, .. } if unit == "VP")),
        "{f:?}"
    );
    assert!(
        f.iter().any(|(c, p)| c == &no_role
            && matches!(p, Problem::NotAuthorized { role, .. } if role == "content")),
        "{f:?}"
    );
    assert!(
        f.iter().any(|(c, p)| c == &form_by_unit_head
            && matches!(p, Problem::NotAuthorized { role, .. } if role == "form")),
        "{f:?}"
    );
    assert!(
        f.iter().any(|(c, p)| c == &no_trailer
            && matches!(p, Problem::TrailerMismatch { detail } if detail.contains("Step"))),
        "{f:?}"
    );
    let (code, text) = o.audit_full();
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("does not answer for the drafting unit 'VP'"),
        "{text}"
    );
    assert!(text.contains(&other_unit[..10]), "{text}");
    // The step shown at HEAD (Tuấn's, without its trailer) is not verified.
    assert_eq!(o.step_json("content")["verified"], false);
}

#[test]
fn a_final_approval_without_the_steps_is_refused_and_forged_is_found() {
    let Some(o) = Office::new(true) else { return };
    let before = repo_state(&o.dir);
    let out = duyet(&o.dir, &["approve", "x"]);
    assert_fails(&out, "requires the content and form check");
    assert_fails(&out, "nothing was written");
    let out = duyet(&o.dir, &["--lang", "vi", "approve", "x"]);
    assert_fails(&out, "kiểm tra nội dung và kiểm tra thể thức");
    assert_eq!(repo_state(&o.dir), before, "nothing was written");
    // With the content check only, the form check is still missing.
    o.as_("tuan");
    o.ok(&["approve", "x", "--step", "content"]);
    o.as_("ha");
    let out = duyet(&o.dir, &["approve", "x"]);
    assert_fails(&out, "requires the form check");
    // A return needs no step: the leader may send it back at any time.
    o.ok(&["return", "x", "-m", "Viết lại đoạn 2."]);
    let out = duyet(&o.dir, &["list", "--json"]);
    assert!(stdout(&out).contains("\"status\": \"returned\""));

    // Forged: the leader's own key, signed without duyet's checks.
    let forged = o.forged(FINAL, "approved", "Trần Thu Hà", "ha", "");
    let f = o.findings();
    assert!(
        f.iter().any(|(c, p)| c == &forged
            && matches!(p, Problem::StepsMissing { steps, .. } if steps == &["form".to_string()])),
        "{f:?}"
    );
    assert_eq!(f.len(), 1, "only the forged approval: {f:?}");
    let (code, text) = o.audit_full();
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("before the form check was approved"),
        "{text}"
    );
    assert_eq!(o.listed()["verified"], false);
}

#[test]
fn a_revision_after_the_content_step_makes_it_stale() {
    let Some(o) = Office::new(true) else { return };
    o.as_("tuan");
    o.ok(&["approve", "x", "--step", "content"]);
    write(
        &o.dir,
        "drafts/2024/x/draft.md",
        format!("{TEXT}Thêm một câu.\n"),
    );
    git(&o.dir, &["commit", "-qam", "Sửa sau kiểm tra nội dung"]);
    assert_eq!(o.listed()["status"], "waiting-content");
    assert_eq!(o.step_json("content")["current"], false);
    o.as_("lan");
    o.ok(&["approve", "x", "--step", "form"]);
    o.as_("ha");
    let out = duyet(&o.dir, &["approve", "x"]);
    assert_fails(&out, "requires the content check");
    // Forged on the new text, the stale content check is a finding.
    let forged = o.forged(FINAL, "approved", "Trần Thu Hà", "ha", "");
    let f = o.findings();
    assert!(
        f.iter().any(|(c, p)| c == &forged
            && matches!(p, Problem::StepsMissing { steps, .. } if steps == &["content".to_string()])),
        "{f:?}"
    );
}

#[test]
fn a_return_at_the_content_step_shows_where_it_was_returned() {
    let Some(o) = Office::new(true) else { return };
    o.as_("tuan");
    let out = duyet(&o.dir, &["return", "x", "--step", "content", "-m", " "]);
    assert_fails(&out, "comment");
    o.ok(&[
        "return",
        "x",
        "--step",
        "content",
        "-m",
        "Bổ sung số liệu quý I.",
    ]);
    o.ok(&["audit"]);
    assert_eq!(o.listed()["status"], "returned");
    assert_eq!(o.step_json("content")["decision"], "returned");
    let list = stdout(&duyet(&o.dir, &["--lang", "vi", "list"]));
    assert!(list.contains("trả lại ở bước kiểm tra nội dung"), "{list}");
    let list = stdout(&duyet(&o.dir, &["list", "--status", "waiting-content"]));
    assert!(list.trim().is_empty(), "{list}");
}

#[test]
fn the_policy_changed_by_a_non_admin_is_a_finding() {
    let Some(o) = Office::new(false) else { return };
    // Without a policy no step is required.
    assert_eq!(o.listed()["status"], "pending");
    o.as_("tuan");
    let by_unit_head = o.commit_policy(POLICY);
    let f = o.findings();
    assert!(
        f.iter().any(|(c, p)| c == &by_unit_head
            && matches!(p, Problem::NotAuthorized { role, .. } if role == "admin")),
        "{f:?}"
    );
    let (code, text) = o.audit_full();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains(&by_unit_head[..10]), "{text}");
    // An admin's policy that cannot be read strictly is a finding too.
    o.as_("ha");
    let bad = o.commit_policy("[route]\ncong-van = [\"content\", \"final\"]\n");
    let f = o.findings();
    assert!(
        f.iter().any(|(c, p)| c == &bad
            && matches!(p, Problem::Malformed { detail } if detail.contains("final"))),
        "{f:?}"
    );
}

#[test]
fn the_demo_walks_the_full_route_and_says_how_to_act_as_each() {
    let t = tmp();
    let dir = t.path().join("demo");
    let out = duyet(
        t.path(),
        &["demo", dir.to_str().expect("utf-8"), "--no-open"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stderr(&out);
    let chief = dir.join(".git/duyet-demo/chief_of_office_ed25519");
    let leader = dir.join(".git/duyet-demo/approver_ed25519");
    for needle in [
        "--step content",
        "--step form",
        "unit_head_ed25519",
        chief.to_str().expect("utf-8"),
    ] {
        assert!(said.contains(needle), "{needle:?} not in {said}");
    }
    let (code, text) = {
        let o = duyet(&dir, &["--lang", "en", "audit", "--full"]);
        (o.status.code(), stdout(&o) + &stderr(&o))
    };
    assert_eq!(code, Some(0), "{text}");
    let rows = |dir: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&stdout(&duyet(dir, &["list", "--json"]))).expect("json")
    };
    let row = |v: &serde_json::Value, id: &str| -> serde_json::Value {
        v.as_array()
            .and_then(|a| a.iter().find(|r| r["id"] == id))
            .cloned()
            .expect("listed")
    };
    let all = rows(&dir);
    // Both steps done, then approved.
    let qd = row(&all, "qd-to-bien-tap-trang-ttdt");
    assert_eq!(qd["status"], "approved");
    for s in qd["steps"].as_array().expect("steps") {
        assert_eq!(s["decision"], "approved", "{s}");
        assert_eq!(s["verified"], true, "{s}");
    }
    // Content checked by the unit head, waiting for the form check.
    let cv = row(&all, "cv-tuyen-truyen-cchc");
    assert_eq!(cv["status"], "waiting-form");
    assert_eq!(cv["steps"][0]["reviewer"], "Phạm Văn Tùng");
    // Returned at the content check.
    let tb = row(&all, "tb-lich-tiep-cong-dan");
    assert_eq!(tb["status"], "returned");
    assert_eq!(tb["steps"][0]["decision"], "returned");

    // Acting as the Chánh Văn phòng, then as the leader, as the demo says.
    let set_key = |key: &std::path::Path| {
        git(
            &dir,
            &["config", "user.signingKey", key.to_str().expect("utf-8")],
        );
    };
    set_key(&chief);
    let cv_id = "cv-tuyen-truyen-cchc";
    let ok = |args: &[&str]| {
        let o = duyet(&dir, args);
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    };
    ok(&["approve", cv_id, "--step", "form", "-m", "Thể thức đúng."]);
    set_key(&leader);
    ok(&["approve", cv_id, "-m", "Đồng ý ban hành."]);
    assert_eq!(row(&rows(&dir), cv_id)["status"], "approved");
    ok(&["audit"]);
}

#[test]
fn the_server_hook_rejects_a_forged_final_approval_and_takes_the_route() {
    let Some(o) = Office::new(true) else { return };
    let remote = o.dir.with_file_name("remote.git");
    bare_clone(&o.dir, &remote);
    let out = duyet(
        &o.dir,
        &["hook", "install", remote.to_str().expect("utf-8")],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    git(
        &o.dir,
        &["remote", "add", "origin", remote.to_str().expect("utf-8")],
    );
    let remote_head = || git(&remote, &["rev-parse", "main"]).trim().to_string();
    let before = remote_head();
    // The leader's own key, the steps skipped: refused whole.
    let forged = o.forged(FINAL, "approved", "Trần Thu Hà", "ha", "");
    let out = git_out(&o.dir, &["push", "origin", "main"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{err}");
    assert!(err.contains(&forged[..10]), "{err}");
    assert!(err.contains("before the content and form check"), "{err}");
    assert_eq!(remote_head(), before, "no ref moved");
    // The same approval after both checks is taken.
    git(&o.dir, &["reset", "-q", "--hard", "HEAD~1"]);
    o.as_("tuan");
    o.ok(&["approve", "x", "--step", "content"]);
    o.as_("lan");
    o.ok(&["approve", "x", "--step", "form"]);
    o.as_("ha");
    o.ok(&["approve", "x"]);
    let out = git_out(&o.dir, &["push", "origin", "main"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(remote_head(), o.head());
}

#[test]
fn a_final_approval_does_not_rest_on_a_step_that_does_not_verify() {
    let Some(o) = Office::new(true) else { return };
    // Mallory heads another unit: a content check written without duyet.
    o.as_("mallory");
    let forged = o.forged(CONTENT, "approved", "Mallory", "mallory", "content");
    assert_eq!(duyet(&o.dir, &["audit"]).status.code(), Some(1));
    o.as_("lan");
    o.ok(&["approve", "x", "--step", "form"]);
    // The leader is told before anything is signed.
    o.as_("ha");
    let before = repo_state(&o.dir);
    let out = duyet(&o.dir, &["approve", "x"]);
    assert_fails(&out, "its content check on this revision does not verify");
    assert_eq!(repo_state(&o.dir), before, "nothing was written");
    // Written anyway, the approval is a finding of its own.
    let approval = o.forged(FINAL, "approved", "Trần Thu Hà", "ha", "");
    let f = o.findings();
    assert!(
        f.iter()
            .any(|(c, p)| c == &forged && matches!(p, Problem::NotForUnit { .. })),
        "{f:?}"
    );
    assert!(
        f.iter().any(|(c, p)| c == &approval
            && matches!(p, Problem::StepNotVerified { steps } if steps == &["content".to_string()])),
        "{f:?}"
    );
    // The same from the audit's cache as from a full audit.
    let out = duyet(&o.dir, &["--lang", "en", "audit"]);
    let text = stdout(&out);
    assert!(
        text.contains("resting on a content check that does not verify"),
        "{text}"
    );
    assert_eq!(o.listed()["verified"], false);
}
