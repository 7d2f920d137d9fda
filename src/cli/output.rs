//! Text and JSON output of the CLI.

use serde::Serialize;

use crate::diff::{DraftDiff, LineKind, Notice};
use crate::i18n::{Lang, Msg, format_time};
use crate::model::safe::{visible, visible_line as v};
use crate::model::text::{display_width, pad};
use crate::model::{DraftSummary, History, Review, Status};

const RESET: &str = "\x1b[0m";

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}{RESET}")
    } else {
        s.to_string()
    }
}

fn status_color(s: Status) -> &'static str {
    match s {
        Status::Pending => "33",
        Status::ChangedAfterApproval => "35;1",
        Status::Revised => "36",
        Status::Returned => "31",
        Status::Approved => "32",
    }
}

/// One draft in `duyet list --json`.
#[derive(Debug, Serialize)]
pub struct DraftJson<'a> {
    id: &'a str,
    year: &'a str,
    path: &'a str,
    title: &'a str,
    kind: &'static str,
    unit: &'a str,
    drafter: &'a str,
    status: &'static str,
    draft_blob: &'a str,
    review: Option<&'a Review>,
    verified: Option<bool>,
}

impl<'a> From<&'a DraftSummary> for DraftJson<'a> {
    fn from(d: &'a DraftSummary) -> Self {
        DraftJson {
            id: &d.id,
            year: &d.year,
            path: &d.path,
            title: &d.meta.title,
            kind: d.meta.kind.key(),
            unit: &d.meta.unit,
            drafter: &d.meta.drafter,
            status: d.status.key(),
            draft_blob: &d.draft_blob,
            review: d.review.as_ref(),
            verified: d.verified,
        }
    }
}

/// `duyet diff --json`.
#[derive(Debug, Serialize)]
pub struct DiffJson<'a> {
    /// Draft id.
    pub id: &'a str,
    /// Old revision number (null: nothing).
    pub old: Option<usize>,
    /// New revision number.
    pub new: usize,
    /// The diff.
    #[serde(flatten)]
    pub diff: &'a DraftDiff,
}

/// The drafts table.
pub fn list(drafts: &[&DraftSummary], lang: Lang, color: bool) -> String {
    // A decision shows as approved or returned only when it verified.
    let shown = |d: &DraftSummary| -> (String, &'static str) {
        let decided = matches!(d.status, Status::Approved | Status::Returned);
        if (decided && d.verified != Some(true)) || d.verified == Some(false) {
            let word = lang.unverified(d.verified);
            let mark = if d.verified == Some(false) {
                "✗"
            } else {
                "?"
            };
            (format!("{mark} {word}"), "31;1")
        } else {
            (
                format!("{} {}", d.status.symbol(), lang.status(d.status)),
                status_color(d.status),
            )
        }
    };
    let status_w = drafts
        .iter()
        .map(|d| display_width(&shown(d).0) + 2)
        .max()
        .unwrap_or(10);
    let id_w = drafts
        .iter()
        .map(|d| display_width(&v(&d.id)))
        .max()
        .unwrap_or(4)
        .max(4);
    let mut s = String::new();
    for d in drafts {
        let (text, code) = shown(d);
        let status = pad(&text, status_w);
        s.push_str(&paint(color, code, &status));
        s.push_str(&format!(
            "  {}  {}  {}\n",
            pad(&v(&d.id), id_w),
            pad(lang.kind(d.meta.kind), 15),
            v(&d.meta.title)
        ));
    }
    s
}

/// Folders under drafts/ that are not drafts (their name is not a year or
/// an id), one row each, their path made visible.
pub fn invalid_folders(paths: &[String], lang: Lang, color: bool) -> String {
    let word = match lang {
        Lang::Vi => "✗ không hợp lệ",
        Lang::En => "✗ invalid",
    };
    let why = match lang {
        Lang::Vi => "tên thư mục không phải mã dự thảo hợp lệ",
        Lang::En => "the folder's name is not a valid draft id",
    };
    paths
        .iter()
        .map(|p| format!("{}  {}  ({why})\n", paint(color, "31;1", word), v(p)))
        .collect()
}

/// A draft's history, newest last.
pub fn log(h: &History, lang: Lang, color: bool) -> String {
    let mut s = String::new();
    for r in &h.revisions {
        s.push_str(&paint(color, "1", &format!("#{}", r.number)));
        s.push_str(&format!(
            "  {}  {}  {}  {:.10}\n    {}\n",
            format_time(r.time),
            v(&r.author),
            paint(color, "2", &v(short(&r.commit))),
            v(&r.blob),
            v(&r.summary)
        ));
        for d in h.decisions_on(r.number) {
            push_decision(&mut s, d, lang, color);
        }
    }
    // Decisions on a text that is not one of the draft's revisions.
    for d in h.decisions.iter().filter(|d| d.revision_number.is_none()) {
        push_decision(&mut s, d, lang, color);
    }
    s
}

fn push_decision(s: &mut String, d: &crate::model::DecisionRecord, lang: Lang, color: bool) {
    let (word, code) = match d.review.decision {
        crate::model::Decision::Approved => (lang.t(Msg::Approved), "32;1"),
        crate::model::Decision::Returned => (lang.t(Msg::Returned), "31;1"),
    };
    let on = d
        .revision_number
        .map(|n| format!("#{n}"))
        .unwrap_or_else(|| format!("{:.10}", v(&d.review.revision)));
    let mark = match d.verified {
        Some(true) => paint(color, "32", "✓"),
        Some(false) => paint(
            color,
            "31;1",
            &format!("✗ {}", lang.unverified(Some(false))),
        ),
        None => format!("? {}", lang.unverified(None)),
    };
    s.push_str(&format!(
        "    {mark} {} {on} — {} ({})  {}\n",
        paint(color, code, word),
        v(&d.review.reviewer),
        v(&d.review.time),
        paint(color, "2", &v(short(&d.commit)))
    ));
    for line in d.review.comment.lines() {
        s.push_str(&format!("      {}\n", v(line)));
    }
    for n in &d.review.notes {
        s.push_str(&format!("      [{}] {}\n", n.line, v(&n.text)));
    }
}

/// A unified diff with three lines of context, changed words highlighted.
pub fn diff(d: &DraftDiff, old: Option<usize>, new: usize, lang: Lang, color: bool) -> String {
    let mut s = String::new();
    let old_name = old
        .map(|n| format!("#{n}"))
        .unwrap_or_else(|| lang.t(Msg::Nothing).to_string());
    s.push_str(&paint(color, "1", &format!("--- {old_name}\n+++ #{new}\n")));
    for n in &d.notices {
        let msg = match n {
            Notice::SameText => lang.t(Msg::SameTextNormalForm),
            Notice::Normalized => lang.t(Msg::Normalized),
            Notice::LineEndings => lang.t(Msg::LineEndings),
        };
        s.push_str(&paint(color, "36", &format!("# {msg}\n")));
    }
    if d.is_equal() {
        s.push_str(&format!("# {}\n", lang.t(Msg::NoChanges)));
        return s;
    }
    for hunk in d.hunks(3) {
        let lines = &d.lines[hunk.clone()];
        let first_old = lines.iter().find_map(|l| l.old).unwrap_or(0);
        let first_new = lines.iter().find_map(|l| l.new).unwrap_or(0);
        let n_old = lines.iter().filter(|l| l.old.is_some()).count();
        let n_new = lines.iter().filter(|l| l.new.is_some()).count();
        s.push_str(&paint(
            color,
            "36",
            &format!("@@ -{first_old},{n_old} +{first_new},{n_new} @@\n"),
        ));
        for l in lines {
            let (sign, base, emph) = match l.kind {
                LineKind::Equal => (" ", "", ""),
                LineKind::Delete => ("-", "31", "1;4;41;97"),
                LineKind::Insert => ("+", "32", "1;4;42;30"),
            };
            let mut body = String::new();
            for seg in &l.segments {
                let text = v(&seg.text);
                if seg.changed && color {
                    body.push_str(&format!("\x1b[{emph}m{text}\x1b[0m"));
                    if !base.is_empty() {
                        body.push_str(&format!("\x1b[{base}m"));
                    }
                } else if seg.changed {
                    body.push_str(&format!("[{text}]"));
                } else {
                    body.push_str(&text);
                }
            }
            if color && !base.is_empty() {
                s.push_str(&format!("\x1b[{base}m{sign}{body}{RESET}\n"));
            } else {
                s.push_str(&format!("{sign}{body}\n"));
            }
        }
    }
    s
}

/// Check findings, one per line: `line:col severity message — fix`.
pub fn findings(fs: &[crate::check::Finding], lang: Lang, color: bool) -> String {
    use crate::check::Severity;
    let mut s = String::new();
    for f in fs {
        let (word, code) = match (f.severity, lang) {
            (Severity::Error, Lang::Vi) => ("lỗi", "31;1"),
            (Severity::Error, Lang::En) => ("error", "31;1"),
            (Severity::Warning, Lang::Vi) => ("cảnh báo", "33;1"),
            (Severity::Warning, Lang::En) => ("warning", "33;1"),
            (Severity::Info, Lang::Vi) => ("thông tin", "36"),
            (Severity::Info, Lang::En) => ("info", "36"),
        };
        let (msg, fix) = match lang {
            Lang::Vi => (&f.message_vi, &f.fix_vi),
            Lang::En => (&f.message_en, &f.fix_en),
        };
        s.push_str(&format!(
            "{}:{} {} [{}] {} — {}\n",
            f.line,
            f.column,
            paint(color, code, word),
            f.rule,
            v(msg),
            v(fix)
        ));
    }
    s
}

/// The audit: the trail, then the findings.
pub fn audit(r: &crate::audit::Report, lang: Lang, color: bool) -> String {
    let mut s = String::new();
    let (intro, head, decisions, findings) = match lang {
        Lang::Vi => ("Giới thiệu", "Đầu nhánh", "Quyết định", "Phát hiện"),
        Lang::En => ("Introduction", "Head", "Decisions", "Findings"),
    };
    use crate::audit::IntroFrom;
    let from = match (r.intro_from, lang) {
        (IntroFrom::Pinned, Lang::Vi) => format!(
            "đã ghim, khóa {}",
            r.pin.as_ref().map(|p| p.key.as_str()).unwrap_or("?")
        ),
        (IntroFrom::Pinned, Lang::En) => format!(
            "pinned, key {}",
            r.pin.as_ref().map(|p| p.key.as_str()).unwrap_or("?")
        ),
        (IntroFrom::Given, Lang::Vi) => "cho lần này bằng --intro".to_string(),
        (IntroFrom::Given, Lang::En) => "given for this run with --intro".to_string(),
        (IntroFrom::FirstTrustList, Lang::Vi) => {
            "CHƯA GHIM: lấy commit đầu tiên thêm danh sách tin cậy; ghim bằng `duyet trust pin`"
                .to_string()
        }
        (IntroFrom::FirstTrustList, Lang::En) => {
            "NOT PINNED: the first commit that adds the trust list; pin it with `duyet trust pin`"
                .to_string()
        }
    };
    s.push_str(&format!(
        "{intro}: {} ({})\n{head}: {}\n",
        v(short(&r.intro)),
        v(&from),
        v(short(&r.head))
    ));
    s.push_str(&match lang {
        Lang::Vi if r.from_cache > 0 => format!(
            "Commit: {} ({} đã kiểm tra ở lần trước, lấy từ bộ nhớ đệm; --full để kiểm tra lại)\n",
            r.commits, r.from_cache
        ),
        Lang::En if r.from_cache > 0 => format!(
            "Commits: {} ({} judged by the last audit, from its cache; --full judges all again)\n",
            r.commits, r.from_cache
        ),
        Lang::Vi => format!("Commit: {}\n", r.commits),
        Lang::En => format!("Commits: {}\n", r.commits),
    });
    s.push_str(&paint(
        color,
        "1",
        &format!("{decisions} ({})\n", r.trail.len()),
    ));
    for e in &r.trail {
        let mark = if e.verified {
            paint(color, "32", "✓")
        } else {
            paint(color, "31;1", "✗")
        };
        s.push_str(&format!(
            "{mark} {}  {:<9} {}  {:.10}  {} ({})  {}\n",
            v(short(&e.commit)),
            v(&e.decision),
            v(&e.draft),
            v(&e.revision),
            v(e.signer.as_deref().unwrap_or("?")),
            v(&e.reviewer),
            v(&e.time)
        ));
    }
    s.push_str(&paint(
        color,
        "1",
        &format!("{findings} ({})\n", r.findings.len()),
    ));
    for f in &r.findings {
        s.push_str(&format!(
            "{} {}: {}\n",
            paint(color, "31;1", "✗"),
            v(short(&f.commit)),
            v(&f.message)
        ));
    }
    s
}

/// The first ten characters of a commit id (any string, cut at a
/// character boundary).
fn short(id: &str) -> &str {
    match id.char_indices().nth(10) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

/// A draft's text for `duyet show`, made safe to print.
pub fn text(s: &str) -> String {
    visible(s).into_owned()
}
