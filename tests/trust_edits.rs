//! `duyet trust add|remove` refuse what would make the trust list
//! ambiguous or unusable; `approve`/`return` refuse a text nobody can have
//! read. Real keys, real signed commits, checked with stock git.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";

/// Whether ssh-keygen is here; missing, it fails the test when
/// DUYET_REQUIRE_TOOLS=1 and is loudly skipped otherwise.
fn have_ssh_keygen() -> bool {
    let ok = Command::new("ssh-keygen").arg("-?").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("DUYET_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
            "ssh-keygen is required (DUYET_REQUIRE_TOOLS=1) but missing"
        );
        eprintln!("!!! SKIPPED: ssh-keygen is not installed; this test did not run !!!");
    }
    ok
}

struct Office {
    _t: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
}

impl Office {
    /// Hà (approver, admin) signs; the trust list names her; draft x exists.
    fn new() -> Office {
        let t = tmp();
        let dir = repo_with_draft(&t.path().join("r"), TEXT);
        let keys = t.path().join("keys");
        std::fs::create_dir_all(&keys).expect("mkdir");
        for who in ["ha", "minh", "phone"] {
            let out = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", who, "-f"])
                .arg(keys.join(who))
                .output()
                .expect("ssh-keygen runs");
            assert!(out.status.success());
        }
        git(&dir, &["config", "gpg.format", "ssh"]);
        let key = keys.join("ha");
        git(
            &dir,
            &["config", "user.signingKey", key.to_str().expect("utf-8")],
        );
        let o = Office { _t: t, dir, keys };
        let ha = o.pubfile("ha");
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
            &ha,
        ]);
        o
    }

    fn pubfile(&self, who: &str) -> String {
        self.keys.join(format!("{who}.pub")).display().to_string()
    }

    /// "type base64" of `who`'s key, without its comment.
    fn pubkey(&self, who: &str) -> String {
        let text = std::fs::read_to_string(self.pubfile(who)).expect("read");
        text.split_whitespace()
            .take(2)
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = duyet(&self.dir, args);
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
        stdout(&out).trim().to_string()
    }

    fn trust_at_head(&self) -> String {
        git(&self.dir, &["show", "HEAD:.duyet/trust.toml"])
    }

    /// Fails like a refused edit: exit 2, one line with `needle`, nothing written.
    fn refused(&self, args: &[&str], needle: &str) -> String {
        let before = repo_state(&self.dir);
        let out = duyet(&self.dir, args);
        assert_fails(&out, needle);
        assert_eq!(repo_state(&self.dir), before, "{args:?} wrote something");
        stderr(&out)
    }
}

fn verifies(dir: &Path, allowed: &Path) -> bool {
    git_out(
        dir,
        &[
            "-c",
            &format!("gpg.ssh.allowedSignersFile={}", allowed.display()),
            "verify-commit",
            "HEAD",
        ],
    )
    .status
    .success()
}

#[test]
fn add_refuses_a_key_listed_for_anyone_however_it_is_written() {
    if !have_ssh_keygen() {
        return;
    }
    let o = Office::new();
    // Hà's key under another comment, for another person.
    let again = format!("{} someone-else@laptop", o.pubkey("ha"));
    let err = o.refused(
        &[
            "trust",
            "add",
            "--name",
            "Minh",
            "--email",
            "minh@example.vn",
            "--ssh",
            &again,
        ],
        "already in the trust list, for Trần Thu Hà <ha@example.vn>",
    );
    assert!(err.contains("ssh-ed25519"), "{err}");
    // The same member again, with her own key: also refused.
    let ha = o.pubfile("ha");
    o.refused(
        &[
            "trust",
            "add",
            "--name",
            "Hà",
            "--email",
            "ha@example.vn",
            "--ssh",
            &ha,
        ],
        "already in the trust list",
    );
    // Fingerprints compare without case and separators, across members.
    o.ok(&[
        "trust",
        "add",
        "--name",
        "Lan",
        "--email",
        "lan@example.vn",
        "--openpgp",
        "ABCD EF01 2345 6789 ABCD  EF01 2345 6789 ABCD EF01",
    ]);
    o.refused(
        &[
            "trust",
            "add",
            "--name",
            "M",
            "--email",
            "m@example.vn",
            "--openpgp",
            "abcdef0123456789abcdef0123456789abcdef01",
        ],
        "for Lan <lan@example.vn>",
    );
    // A new key is taken, in a commit signed by the admin that stock git verifies.
    let minh = o.pubfile("minh");
    o.ok(&[
        "trust",
        "add",
        "--name",
        "Minh",
        "--email",
        "minh@example.vn",
        "--role",
        "approver",
        "--ssh",
        &minh,
    ]);
    assert!(o.trust_at_head().contains(&o.pubkey("minh")));
    let allowed = o.dir.join("../allowed");
    o.ok(&[
        "trust",
        "allowed-signers",
        "--output",
        allowed.to_str().expect("utf-8"),
    ]);
    assert!(verifies(&o.dir, &allowed));
    // Vietnamese too.
    let vi = Command::new(BIN)
        .current_dir(&o.dir)
        .args([
            "--lang",
            "vi",
            "trust",
            "add",
            "--name",
            "X",
            "--email",
            "x@example.vn",
        ])
        .args(["--ssh", &minh])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("duyet runs");
    assert_fails(
        &vi,
        "đã có trong danh sách tin cậy, của Minh <minh@example.vn>",
    );
}

#[test]
fn remove_takes_exactly_one_member_and_never_the_last_admin() {
    if !have_ssh_keygen() {
        return;
    }
    let o = Office::new();
    // Two entries with one e-mail (a hand-edited list): a laptop and a phone.
    let list = format!(
        "{}\n[[member]]\nname = \"Minh (máy tính)\"\nemail = \"minh@example.vn\"\nroles = [\"approver\"]\nssh = [\"{}\"]\n\n[[member]]\nname = \"Minh (điện thoại)\"\nemail = \"minh@example.vn\"\nroles = [\"approver\"]\nssh = [\"{}\"]\n",
        o.trust_at_head(),
        o.pubkey("minh"),
        o.pubkey("phone"),
    );
    write(&o.dir, ".duyet/trust.toml", list);
    git(&o.dir, &["commit", "-qam", "Danh sách tin cậy viết tay"]);

    let err = o.refused(
        &["trust", "remove", "minh@example.vn"],
        "matches 2 members of the trust list",
    );
    assert!(
        err.contains("Minh (máy tính)") && err.contains("Minh (điện thoại)"),
        "{err}"
    );
    assert!(err.contains("--key"), "{err}");
    o.refused(
        &["trust", "remove", "nobody@example.vn"],
        "no member of the trust list matches e-mail nobody@example.vn",
    );
    o.refused(
        &["trust", "remove", "ha@example.vn"],
        "Trần Thu Hà <ha@example.vn> is the last admin",
    );
    o.refused(
        &["trust", "remove", "--key", &o.pubkey("ha")],
        "is the last admin",
    );

    // The key the message shows for the phone picks that one entry.
    let shown = err
        .split("Minh (điện thoại) <minh@example.vn> (--key '")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the message shows the phone's key");
    assert_eq!(shown, o.pubkey("phone"));
    o.ok(&["trust", "remove", "minh@example.vn", "--key", shown]);
    let now = o.trust_at_head();
    assert!(now.contains(&o.pubkey("minh")), "{now}");
    assert!(!now.contains(&o.pubkey("phone")), "{now}");
    assert!(now.contains("Trần Thu Hà"), "{now}");
    let changed = git(&o.dir, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(changed.trim(), ".duyet/trust.toml");
    // Now the e-mail alone is enough; a key file selects too.
    o.refused(
        &[
            "trust",
            "remove",
            "minh@example.vn",
            "--key",
            &o.pubfile("phone"),
        ],
        "no member of the trust list matches",
    );
    o.ok(&["trust", "remove", "--key", &o.pubfile("minh")]);
    assert!(!o.trust_at_head().contains("minh@example.vn"));
    // With a second admin, the first can go.
    let minh = o.pubfile("minh");
    o.ok(&[
        "trust",
        "add",
        "--name",
        "Minh",
        "--email",
        "minh@example.vn",
        "--role",
        "admin",
        "--ssh",
        &minh,
    ]);
    o.ok(&["trust", "remove", "ha@example.vn"]);
    assert!(!o.trust_at_head().contains("ha@example.vn"));
}

#[test]
fn a_text_nobody_can_read_cannot_be_decided() {
    if !have_ssh_keygen() {
        return;
    }
    let o = Office::new();
    let cases: [(&[u8], &str); 2] = [
        (b"%PDF-1.4\n\x00\x01\x02binary\x00", "is binary"),
        (b"C\xd8NG H\xd2A X\xc3 H\xc8I\n", "is not valid UTF-8"),
    ];
    for (bytes, what) in cases {
        write(&o.dir, "drafts/2024/x/draft.md", bytes);
        git(&o.dir, &["commit", "-qam", "Bản lạ"]);
        for args in [&["approve", "x"][..], &["return", "x", "-m", "Sửa."]] {
            let err = o.refused(args, "cannot be approved or returned");
            assert!(
                err.contains(what) && err.contains("drafts/2024/x/draft.md"),
                "{err}"
            );
        }
    }
    let vi = Command::new(BIN)
        .current_dir(&o.dir)
        .args(["--lang", "vi", "approve", "x"])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("duyet runs");
    assert_fails(&vi, "không thể duyệt hay trả lại dự thảo 'x'");
    // Saved as UTF-8 again, it can be.
    write(&o.dir, "drafts/2024/x/draft.md", TEXT);
    git(&o.dir, &["commit", "-qam", "Lưu UTF-8"]);
    o.ok(&["approve", "x"]);
}
