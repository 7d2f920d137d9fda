//! The report an inspector reads. A real browser (headless
//! Chromium) loads and prints it; `pdftotext` reads the PDF back.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use duyet::repo::{Author, DraftRepo, Edit};

const TEXT: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNội dung.\n";

/// Whether `program` runs; without it the test skips loudly, or fails
/// when DUYET_REQUIRE_TOOLS=1.
fn have(program: &str, package: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("DUYET_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "{program} is required (DUYET_REQUIRE_TOOLS=1): apt-get install {package}"
        );
        eprintln!("!!! SKIPPED: {program} is not installed (apt-get install {package}) !!!");
    }
    found
}

fn browser_tools() -> bool {
    have("chromium", "chromium") & have("pdftotext", "poppler-utils")
}

struct Office {
    _t: tempfile::TempDir,
    dir: PathBuf,
    keys: PathBuf,
    out: PathBuf,
}

impl Office {
    /// Hà (approver, admin) introduces the trust list; drafts "x" and "y"
    /// exist, "y" with a title that holds HTML.
    fn new() -> Office {
        let t = tmp();
        let dir = t.path().join("r");
        let keys = t.path().join("keys");
        let out = t.path().join("out");
        repo_with_draft(&dir, TEXT);
        write(&dir, "drafts/2024/y/draft.md", TEXT);
        write(
            &dir,
            "drafts/2024/y/meta.toml",
            "title = \"Kế hoạch <b>chuyển đổi số</b> & \\\"an toàn\\\" thông tin\"\nkind = \"ke-hoach\"\nunit = \"TTBCXB\"\ndrafter = \"Nông Thị Hạnh\"\n",
        );
        git(&dir, &["add", "-A"]);
        git(&dir, &["commit", "-qm", "Dự thảo y"]);
        std::fs::create_dir_all(&keys).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        for who in ["ha", "mallory"] {
            let o = Command::new("ssh-keygen")
                .args(["-q", "-t", "ed25519", "-N", "", "-C", who, "-f"])
                .arg(keys.join(who))
                .output()
                .unwrap();
            assert!(o.status.success());
        }
        git(&dir, &["config", "gpg.format", "ssh"]);
        let o = Office {
            _t: t,
            dir,
            keys,
            out,
        };
        o.as_("ha");
        let key = o.keys.join("ha.pub");
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
            key.to_str().unwrap(),
        ]);
        o
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

    /// Hà approves "x" and returns "y" with a note: two decisions.
    fn decide(&self) -> Vec<String> {
        let a = self.ok(&["approve", "x", "-m", "Đồng ý ban hành."]);
        let b = self.ok(&[
            "return",
            "y",
            "-m",
            "Bổ sung thời gian thực hiện.",
            "--note",
            "3:Ghi rõ thời hạn",
        ]);
        vec![a, b]
    }

    /// Mallory, whom the trust list does not name, approves "y" with her
    /// own key, written without duyet's checks (as an attacker would).
    fn forge(&self) -> String {
        self.as_("mallory");
        let repo = DraftRepo::open(Some(&self.dir)).unwrap();
        let blob = blob_at_head(&self.dir, "drafts/2024/y/draft.md");
        let now = jiff::Timestamp::now();
        let review = format!(
            "decision = \"approved\"\nrevision = \"{blob}\"\nreviewer = \"Trần Thu Hà\"\nemail = \"ha@example.vn\"\ntime = \"{now}\"\n"
        );
        let author = Author {
            name: "x".into(),
            email: "x@example.vn".into(),
            time: None,
        };
        let plan = repo
            .prepare_commit(
                &[Edit::Put {
                    path: "drafts/2024/y/review.toml".into(),
                    content: review.into_bytes(),
                }],
                &format!("Duyệt: y\n\nDraft: y\nDecision: approved\nRevision: {blob}\n"),
                &author,
            )
            .unwrap();
        let signer = duyet::sign::SignConfig::from_repo(&repo)
            .unwrap()
            .signer()
            .unwrap();
        let sig = signer.sign(plan.buffer.as_bytes(), None).unwrap();
        let id = repo.finish_commit(&plan, Some(&sig)).unwrap();
        self.as_("ha");
        id
    }

    /// `duyet report --html --pdf` in `lang`: exit code, HTML, PDF path.
    fn report(&self, lang: &str, extra: &[&str]) -> (Option<i32>, String, PathBuf) {
        let html = self.out.join("report.html");
        let pdf = self.out.join("report.pdf");
        let mut args = vec![
            "--lang",
            lang,
            "report",
            "--html",
            html.to_str().unwrap(),
            "--pdf",
            pdf.to_str().unwrap(),
        ];
        args.extend(extra);
        let out = duyet(&self.dir, &args);
        assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));
        let text = std::fs::read_to_string(&html).unwrap_or_default();
        (out.status.code(), text, pdf)
    }
}

/// The PDF's text with every run of blanks made one space.
fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg("-enc")
        .arg("UTF-8")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A PNG screenshot of the report's first page made by headless Chromium.
fn screenshot(html: &Path, png: &Path) -> Vec<u8> {
    let profile = tmp();
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=794,1123",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    std::fs::read(png).unwrap_or_default()
}

#[test]
fn the_browser_prints_every_title_and_decision_of_a_clean_office() {
    if !browser_tools() {
        return;
    }
    let o = Office::new();
    let decisions = o.decide();
    let (code, html, pdf) = o.report("en", &["--with-text"]);
    assert_eq!(code, Some(0), "{html}");
    // Self-contained: nothing fetched, nothing run; repository text escaped.
    for bad in ["<script", "src=", "href=", "@import", "<b>chuyển"] {
        assert!(!html.contains(bad), "{bad} in the HTML");
    }
    assert!(html.contains("&lt;b&gt;chuyển đổi số&lt;/b&gt; &amp; &quot;an toàn&quot;"));
    assert!(html.contains("@page") && html.contains("size: A4"));
    let png = screenshot(&o.out.join("report.html"), &o.out.join("page1.png"));
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{}",
        png.len()
    );
    let text = pdf_text(&pdf);
    for title in [
        "V/v x",
        "Kế hoạch <b>chuyển đổi số</b> & \"an toàn\" thông tin",
    ] {
        assert!(text.contains(title), "{title:?} not in {text}");
    }
    for id in &decisions {
        assert!(text.contains(&id[..10]), "{} not in {text}", &id[..10]);
    }
    assert!(text.contains("NOT PINNED"), "{text}");
    assert!(text.contains("Page 1 / "), "numbered pages: {text}");
    assert!(text.contains("No finding"), "{text}");
    assert!(text.contains("Ghi rõ thời hạn"), "the note: {text}");
    // The key's fingerprint as ssh-keygen prints it.
    let fp = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(o.keys.join("ha.pub"))
        .output()
        .unwrap();
    let fp = stdout(&fp).split_whitespace().nth(1).unwrap().to_string();
    assert!(html.contains(&fp), "{fp} not in the HTML");
    // --with-text: the approved text is printed.
    assert!(text.contains("Độc lập - Tự do - Hạnh phúc"), "{text}");
    // The statement of what the signatures mean.
    assert!(text.contains("Article 5 of Decree 30/2020"), "{text}");
}

#[test]
fn a_planted_forgery_is_on_the_cover_and_in_the_findings() {
    if !browser_tools() {
        return;
    }
    let o = Office::new();
    let mut decisions = o.decide();
    decisions.push(o.forge());
    let (code, _html, pdf) = o.report("en", &[]);
    assert_eq!(code, Some(1), "findings exit 1");
    let text = pdf_text(&pdf);
    assert!(text.contains("FINDINGS"), "{text}");
    let forged = &decisions[2][..10];
    let findings_at = text.find("Findings (1)").expect("the findings section");
    let summary_at = text.find("Summary").expect("the summary");
    assert!(findings_at < summary_at, "findings come first");
    assert!(
        text[findings_at..summary_at].contains(forged),
        "the forged commit {forged} is named among the findings: {text}"
    );
    assert!(
        text.contains("signed with a key that is not in its parent's trust list"),
        "{text}"
    );
    for id in &decisions {
        assert!(text.contains(&id[..10]), "{} not in {text}", &id[..10]);
    }
    // The same in Vietnamese.
    let (code, _html, pdf) = o.report("vi", &[]);
    assert_eq!(code, Some(1));
    let text = pdf_text(&pdf);
    assert!(text.contains("CÓ PHÁT HIỆN"), "{text}");
    assert!(
        text.contains("ký bằng khóa không có trong danh sách tin cậy"),
        "{text}"
    );
}

#[test]
fn without_chromium_the_report_says_how_to_get_it() {
    let o = Office::new();
    let html = o.out.join("r.html");
    let pdf = o.out.join("r.pdf");
    let empty = tmp();
    for (lang, needle) in [
        ("en", "apt-get install chromium"),
        ("vi", "cài bằng: apt-get install chromium"),
    ] {
        let out = Command::new(BIN)
            .current_dir(&o.dir)
            .args(["--lang", lang, "report", "--html"])
            .arg(&html)
            .arg("--pdf")
            .arg(&pdf)
            .env("PATH", empty.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert_fails(&out, needle);
        assert!(html.is_file(), "the HTML is written all the same");
        assert!(!pdf.exists());
    }
}

#[test]
fn the_csv_has_a_bom_and_the_chosen_language_and_follows_the_filters() {
    let o = Office::new();
    let decisions = o.decide();
    let out = duyet(&o.dir, &["--lang", "vi", "audit", "--csv"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let csv = stdout(&out);
    assert!(
        csv.starts_with("\u{feff}\"commit\",\"mã dự thảo\",\"trích yếu\",\"lần sửa\""),
        "{csv}"
    );
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3, "{csv}");
    assert!(lines[1].starts_with(&format!("\"{}\",\"x\",\"V/v x\",\"1\"", decisions[0])));
    assert!(lines[1].contains("\"Duyệt\"") && lines[1].contains("\"Đồng ý ban hành.\""));
    assert!(lines[2].contains("\"Nông Thị Hạnh\"") && lines[2].contains("\"có\""));
    let en = stdout(&duyet(&o.dir, &["audit", "--csv"]));
    assert!(en.starts_with("\u{feff}\"commit\",\"draft\",\"title\",\"revision number\""));
    // Filters choose what is shown.
    let only_y = stdout(&duyet(&o.dir, &["audit", "--csv", "--draft", "y"]));
    assert_eq!(only_y.lines().count(), 2);
    assert!(only_y.contains(&decisions[1]) && !only_y.contains(&decisions[0]));
    let future = duyet(&o.dir, &["audit", "--csv", "--since", "01/01/2999"]);
    assert_eq!(future.status.code(), Some(0));
    assert_eq!(stdout(&future).lines().count(), 1);
    let past = stdout(&duyet(
        &o.dir,
        &["audit", "--json", "--until", "2000-01-01"],
    ));
    let v: serde_json::Value = serde_json::from_str(&past).unwrap();
    assert_eq!(v["trail"].as_array().map(Vec::len), Some(0));
    // Since yesterday (local time): both decisions, made just now.
    let yesterday = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .date()
        .yesterday()
        .unwrap()
        .to_string();
    let now = stdout(&duyet(&o.dir, &["audit", "--json", "--since", &yesterday]));
    let v: serde_json::Value = serde_json::from_str(&now).unwrap();
    assert_eq!(v["trail"].as_array().map(Vec::len), Some(2));
    assert_fails(
        &duyet(&o.dir, &["audit", "--since", "tomorrow"]),
        "yyyy-mm-dd or dd/mm/yyyy",
    );
}

#[test]
fn the_trust_list_is_a_table_with_fingerprints_and_json_for_scripts() {
    let o = Office::new();
    let fp = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(o.keys.join("ha.pub"))
        .output()
        .unwrap();
    let fp = stdout(&fp).split_whitespace().nth(1).unwrap().to_string();
    let table = o.ok(&["--lang", "vi", "trust", "list"]);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("Họ tên"), "{table}");
    assert!(lines[1].starts_with("Trần Thu Hà"), "{table}");
    assert!(lines[1].contains("ha@example.vn") && lines[1].contains("duyệt, quản trị"));
    assert!(lines[1].ends_with(&format!("ssh {fp}")), "{table}");
    let v: serde_json::Value = serde_json::from_str(&o.ok(&["trust", "list", "--json"])).unwrap();
    let m = &v["member"][0];
    assert_eq!(m["email"], "ha@example.vn");
    assert_eq!(m["roles"], serde_json::json!(["approver", "admin"]));
    assert!(m["ssh"][0].as_str().unwrap().starts_with("ssh-ed25519 "));
    assert_eq!(m["fingerprints"][0], format!("ssh {fp}"));
}

#[test]
fn the_report_follows_its_filters_and_says_when_the_introduction_is_pinned() {
    let o = Office::new();
    o.decide();
    let html = o.out.join("r.html");
    let report = |args: &[&str]| {
        let mut all = vec!["report", "--html", html.to_str().unwrap()];
        all.extend(args);
        let out = duyet(&o.dir, &all);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        std::fs::read_to_string(&html).unwrap()
    };
    let x_title = "<h3>V/v x</h3>";
    let y_title = "<h3>Kế hoạch &lt;b&gt;chuyển đổi số";
    let all = report(&[]);
    assert!(all.contains(x_title) && all.contains(y_title));
    assert!(all.contains("NOT PINNED"));
    let unit = report(&["--unit", "TTBCXB"]);
    assert!(!unit.contains(x_title) && unit.contains(y_title));
    assert!(unit.contains("unit TTBCXB"), "the cover names the filter");
    let draft = report(&["--draft", "x"]);
    assert!(draft.contains(x_title) && !draft.contains(y_title));
    let later = report(&["--since", "2999-01-01"]);
    assert!(!later.contains(x_title) && later.contains("No draft in the report"));
    // Pinned: the cover names the pinned key instead.
    let suggested = o.ok(&["trust", "pin"]);
    let line = suggested
        .lines()
        .find_map(|l| l.trim().strip_prefix("duyet trust pin "))
        .expect("a pin to run")
        .to_string();
    let (commit, key) = line.split_once(' ').unwrap();
    o.ok(&["trust", "pin", commit, key]);
    let pinned = report(&[]);
    assert!(!pinned.contains("NOT PINNED"));
    assert!(pinned.contains(&format!("pinned, key <code>{key}</code>")));
}

#[test]
fn repository_text_cannot_drive_the_page_or_hide_in_it() {
    let o = Office::new();
    write(
        &o.dir,
        "drafts/2024/z/meta.toml",
        "title = \"V/v \\u001b[2J</h3><script>alert(1)</script>\\u202e ngược\"\nkind = \"cong-van\"\nunit = \"VP\"\n",
    );
    write(&o.dir, "drafts/2024/z/draft.md", TEXT);
    git(&o.dir, &["add", "-A"]);
    git(&o.dir, &["commit", "-qm", "Dự thảo z"]);
    let html = o.out.join("r.html");
    let out = duyet(&o.dir, &["report", "--html", html.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(!page.contains("<script"), "no script reaches the page");
    assert!(!page.contains('\u{1b}') && !page.contains('\u{202e}'));
    assert!(
        page.contains(
            "V/v \\x1b[2J&lt;/h3&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\u{202e} ngược"
        ),
        "shown as written, visibly"
    );
}

#[test]
fn audit_filters_show_the_findings_of_what_they_show_and_exit_by_the_whole_audit() {
    let o = Office::new();
    o.decide();
    let forged = o.forge();
    let shown = |args: &[&str]| {
        let mut all = vec!["audit", "--json"];
        all.extend(args);
        let out = duyet(&o.dir, &all);
        assert_eq!(out.status.code(), Some(1), "the audit has a finding");
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let findings: Vec<String> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["commit"].as_str().unwrap().to_string())
            .collect();
        (v["trail"].as_array().unwrap().len(), findings)
    };
    assert_eq!(shown(&[]), (3, vec![forged.clone()]));
    assert_eq!(shown(&["--draft", "y"]), (2, vec![forged.clone()]));
    assert_eq!(shown(&["--draft", "x"]), (1, vec![]));
    let out = duyet(&o.dir, &["audit", "--draft", "x"]);
    assert!(
        stderr(&out).contains("1 finding(s) on decisions the filter hides"),
        "{}",
        stderr(&out)
    );
    // The CSV row of the forgery says what is wrong, in the chosen language.
    let csv = stdout(&duyet(&o.dir, &["--lang", "vi", "audit", "--csv"]));
    let row = csv.lines().find(|l| l.contains(&forged)).unwrap();
    assert!(row.contains("\"không\""), "{row}");
    assert!(
        row.contains("ký bằng khóa không có trong danh sách tin cậy"),
        "{row}"
    );
}
