//! The report as one self-contained, printable HTML page (A4, inline CSS,
//! no script, nothing fetched). All repository text is escaped.

use std::fmt::Write;

use super::labels::L;
use super::{Data, DraftPart, finding_text, stats, time};
use crate::audit::{IntroFrom, TrailEntry};
use crate::i18n::Lang;
use crate::model::safe::visible;

const CSS: &str = include_str!("report.css");

/// Repository text made safe for HTML: unsafe characters shown as
/// escapes (as on a terminal), then `& < > " '` escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in visible(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The first 10 characters of a commit id.
pub fn short(id: &str) -> &str {
    match id.char_indices().nth(10) {
        Some((i, _)) => &id[..i],
        None => id,
    }
}

/// A signing key as its fingerprint (`SHA256:…` for SSH).
pub fn fingerprint(key: &str) -> String {
    crate::audit::pin::ssh_fingerprint(key).unwrap_or_else(|| key.to_string())
}

/// The decision word in `lang`.
pub fn decision_word(d: &str, lang: Lang) -> &str {
    match d {
        "approved" => L::Approved.t(lang),
        "returned" => L::Returned.t(lang),
        other => other,
    }
}

/// The whole report.
pub fn render(d: &Data) -> String {
    let lang = d.lang;
    let mut h = String::new();
    let code = match lang {
        Lang::Vi => "vi",
        Lang::En => "en",
    };
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n",
        L::Title.t(lang)
    );
    cover(&mut h, d);
    findings(&mut h, d);
    summary(&mut h, d);
    drafts(&mut h, d);
    let _ = write!(
        h,
        "<section class=\"meaning\">\n<h2>{}</h2>\n<p>{}</p>\n</section>\n</body>\n</html>\n",
        L::Meaning.t(lang),
        L::MeaningText.t(lang)
    );
    h
}

fn row(h: &mut String, label: L, value: &str, lang: Lang) {
    let _ = writeln!(h, "<tr><th>{}</th><td>{value}</td></tr>", label.t(lang));
}

fn cover(h: &mut String, d: &Data) {
    let lang = d.lang;
    let a = &d.audit;
    let _ = writeln!(
        h,
        "<section class=\"cover\">\n<h1>{}</h1>\n<table class=\"kv\">",
        L::Title.t(lang)
    );
    row(h, L::Repository, &esc(&d.location), lang);
    let branch = d.branch.as_deref().map(esc).unwrap_or_default();
    row(h, L::Branch, &branch, lang);
    row(h, L::Head, &format!("<code>{}</code>", esc(&a.head)), lang);
    let intro = if a.intro.is_empty() {
        L::NoIntro.t(lang).to_string()
    } else {
        format!("<code>{}</code>", esc(&a.intro))
    };
    let how = match (a.intro_from, &a.pin) {
        (IntroFrom::Pinned, Some(p)) => {
            format!("{} <code>{}</code>", L::PinnedKey.t(lang), esc(&p.key))
        }
        (IntroFrom::Given, _) => {
            format!("<strong class=\"bad\">{}</strong>", L::GivenIntro.t(lang))
        }
        _ => format!(
            "<strong class=\"bad\">{}</strong>",
            esc(L::NotPinned.t(lang))
        ),
    };
    row(h, L::Introduction, &format!("{intro}<br>{how}"), lang);
    row(h, L::Period, &esc(&period(d)), lang);
    row(h, L::Commits, &a.commits.to_string(), lang);
    row(h, L::DraftsShown, &d.drafts.len().to_string(), lang);
    row(h, L::DecisionsShown, &d.rows.len().to_string(), lang);
    row(h, L::MadeAt, &time::local(d.made_at), lang);
    let by = if d.made_by.is_empty() {
        L::Unknown.t(lang).to_string()
    } else {
        esc(&d.made_by)
    };
    row(h, L::MadeBy, &by, lang);
    h.push_str("</table>\n");
    if a.clean() {
        let _ = writeln!(
            h,
            "<div class=\"verdict clean\">{}: {}</div>",
            L::Verdict.t(lang),
            L::Clean.t(lang)
        );
    } else {
        let _ = writeln!(
            h,
            "<div class=\"verdict bad\">{}: {} {}</div>",
            L::Verdict.t(lang),
            L::HasFindings.t(lang),
            a.findings.len()
        );
    }
    h.push_str("</section>\n");
}

/// The period and filters, in words.
fn period(d: &Data) -> String {
    let lang = d.lang;
    let f = &d.filter;
    let mut s = match (f.since, f.until) {
        (None, None) => L::AllTime.t(lang).to_string(),
        (since, until) => {
            let mut p = Vec::new();
            if let Some(s) = since {
                p.push(format!("{} {}", L::From.t(lang), time::local(s)));
            }
            if let Some(u) = until {
                p.push(format!("{} {}", L::To.t(lang), time::local(u)));
            }
            p.join(" ")
        }
    };
    if let Some(id) = &f.draft {
        let _ = write!(s, "; {} {id}", L::OnlyDraft.t(lang));
    }
    if let Some(u) = &f.unit {
        let _ = write!(s, "; {} {u}", L::OnlyUnit.t(lang));
    }
    s
}

fn findings(h: &mut String, d: &Data) {
    let lang = d.lang;
    let a = &d.audit;
    let _ = writeln!(
        h,
        "<section class=\"findings\">\n<h2>{} ({})</h2>",
        L::Findings.t(lang),
        a.findings.len()
    );
    if a.clean() {
        let _ = writeln!(h, "<p class=\"ok\">{}</p>", L::NoFindings.t(lang));
    } else {
        let _ = writeln!(
            h,
            "<div class=\"findings-box\">\n<p>{}</p>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
            L::FindingsNote.t(lang),
            L::Commit.t(lang),
            L::Draft.t(lang),
            L::What.t(lang)
        );
        for f in &a.findings {
            let drafts: Vec<&str> = a
                .trail
                .iter()
                .filter(|e| e.commit == f.commit)
                .map(|e| e.draft.as_str())
                .collect();
            let _ = writeln!(
                h,
                "<tr><td><code class=\"c\">{}</code></td><td>{}</td><td>{}</td></tr>",
                esc(short(&f.commit)),
                esc(&drafts.join(", ")),
                esc(&finding_text(f, lang))
            );
        }
        h.push_str("</table>\n</div>\n");
    }
    h.push_str("</section>\n");
}

fn table_head(h: &mut String, cols: &[L], lang: Lang) {
    h.push_str("<table>\n<tr>");
    for c in cols {
        let _ = write!(h, "<th>{}</th>", c.t(lang));
    }
    h.push_str("</tr>\n");
}

fn tally_table(h: &mut String, first: L, rows: &[(String, stats::Tally)], lang: Lang) {
    if rows.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", L::NoData.t(lang));
        return;
    }
    table_head(
        h,
        &[first, L::Approved, L::Returned, L::Invalid, L::Total],
        lang,
    );
    for (name, t) in rows {
        let bad = if t.invalid > 0 {
            " class=\"num bad\""
        } else {
            " class=\"num\""
        };
        let _ = writeln!(
            h,
            "<tr><td>{name}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td{bad}>{}</td><td class=\"num\">{}</td></tr>",
            t.approved,
            t.returned,
            t.invalid,
            t.total()
        );
    }
    h.push_str("</table>\n");
}

fn summary(h: &mut String, d: &Data) {
    let lang = d.lang;
    let _ = writeln!(
        h,
        "<section class=\"summary\">\n<h2>{}</h2>",
        L::Summary.t(lang)
    );
    let _ = writeln!(h, "<h3>{}</h3>", L::PerLeader.t(lang));
    let leaders: Vec<_> = stats::per_leader(&d.rows)
        .into_iter()
        .map(|(n, t)| (esc(&n), t))
        .collect();
    tally_table(h, L::Reviewer, &leaders, lang);

    let _ = writeln!(h, "<h3>{}</h3>", L::PerStatus.t(lang));
    let statuses = stats::per_status(&d.drafts, lang);
    if statuses.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", L::NoData.t(lang));
    } else {
        table_head(h, &[L::Status, L::Count], lang);
        for (s, n) in statuses {
            let _ = writeln!(h, "<tr><td>{s}</td><td class=\"num\">{n}</td></tr>");
        }
        h.push_str("</table>\n");
    }

    let _ = writeln!(h, "<h3>{}</h3>", L::PerMonth.t(lang));
    let months: Vec<_> = stats::per_month(&d.rows)
        .into_iter()
        .map(|(m, t)| (esc(&time::month_label(&m)), t))
        .collect();
    tally_table(h, L::Month, &months, lang);

    let _ = writeln!(h, "<h3>{}</h3>", L::Turnaround.t(lang));
    let turn = stats::turnaround(&d.rows);
    if turn.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", L::NoData.t(lang));
    } else {
        table_head(h, &[L::Unit, L::Decisions, L::Median, L::P90], lang);
        for t in turn {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&t.unit),
                t.count,
                stats::duration(t.median, lang),
                stats::duration(t.p90, lang)
            );
        }
        h.push_str("</table>\n");
    }

    let _ = writeln!(h, "<h3>{}</h3>", L::Waiting.t(lang));
    let waiting = stats::waiting(&d.drafts, 10);
    if waiting.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", L::NoData.t(lang));
    } else {
        table_head(h, &[L::Draft, L::Unit, L::Status, L::Since, L::For], lang);
        for (p, since) in waiting {
            let s = &p.summary;
            let _ = writeln!(
                h,
                "<tr><td>{}<br><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&s.meta.title),
                esc(&s.id),
                esc(&s.meta.unit),
                stats::shown_status(p, lang),
                time::local(since),
                stats::duration(d.made_at - since, lang)
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("</section>\n");
}

fn drafts(h: &mut String, d: &Data) {
    let lang = d.lang;
    let _ = writeln!(
        h,
        "<section class=\"drafts\">\n<h2>{}</h2>",
        L::Drafts.t(lang)
    );
    if d.drafts.is_empty() {
        let _ = writeln!(h, "<p>{}</p>", L::NoDrafts.t(lang));
    }
    for p in &d.drafts {
        draft(h, d, p);
    }
    h.push_str("</section>\n");
}

fn draft(h: &mut String, d: &Data, p: &DraftPart) {
    let lang = d.lang;
    let s = &p.summary;
    let bad = if s.verified == Some(false) {
        " bad"
    } else {
        ""
    };
    let _ = writeln!(
        h,
        "<article class=\"draft\">\n<h3>{}</h3>\n<p class=\"id\"><code>{}</code> · <span class=\"status{bad}\">{}</span></p>\n<table class=\"kv\">",
        esc(&s.meta.title),
        esc(&s.id),
        stats::shown_status(p, lang)
    );
    row(h, L::Kind, lang.kind(s.meta.kind), lang);
    row(h, L::Unit, &esc(&s.meta.unit), lang);
    row(h, L::Drafter, &esc(&s.meta.drafter), lang);
    if !s.meta.signer.is_empty() {
        row(h, L::Signer, &esc(&s.meta.signer), lang);
    }
    h.push_str("</table>\n");

    let _ = writeln!(h, "<h4>{}</h4>", L::Revisions.t(lang));
    table_head(
        h,
        &[L::Number, L::Date, L::Author, L::Message, L::Commit],
        lang,
    );
    for r in &p.history.revisions {
        let _ = writeln!(
            h,
            "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td><code class=\"c\">{}</code></td></tr>",
            r.number,
            time::local(r.time.seconds),
            esc(&r.author),
            esc(&r.summary),
            esc(short(&r.commit))
        );
    }
    h.push_str("</table>\n");

    if !p.history.decisions.is_empty() {
        let _ = writeln!(h, "<h4>{}</h4>", L::Decisions.t(lang));
        table_head(
            h,
            &[
                L::Commit,
                L::Decision,
                L::Reviewer,
                L::Key,
                L::Verified,
                L::Date,
                L::Comment,
            ],
            lang,
        );
        for rec in &p.history.decisions {
            let entry = d.audit.trail.iter().find(|e| e.commit == rec.commit);
            let verdict = verdict(d, entry, &rec.commit);
            let key = entry
                .and_then(|e| e.key.as_deref())
                .map(|k| format!("<code>{}</code>", esc(&fingerprint(k))))
                .unwrap_or_default();
            let revision = rec
                .revision_number
                .map(|n| format!(" ({} {n})", L::OfRevision.t(lang)))
                .unwrap_or_default();
            let mut comment = esc(&rec.review.comment);
            if !rec.review.notes.is_empty() {
                let _ = write!(comment, "<br><em>{}:</em><ul>", L::Notes.t(lang));
                for n in &rec.review.notes {
                    let _ = write!(
                        comment,
                        "<li>{} {}: {}</li>",
                        L::Line.t(lang),
                        n.line,
                        esc(&n.text)
                    );
                }
                comment.push_str("</ul>");
            }
            let when = time::parse_rfc3339(&rec.review.time).unwrap_or(rec.time.seconds);
            let _ = writeln!(
                h,
                "<tr><td><code class=\"c\">{}</code></td><td>{}{revision}</td><td>{}</td><td>{key}</td><td>{verdict}</td><td>{}</td><td>{comment}</td></tr>",
                esc(short(&rec.commit)),
                esc(decision_word(rec.review.decision.key(), lang)),
                esc(&reviewer(&rec.review.reviewer, &rec.review.email)),
                time::local(when)
            );
        }
        h.push_str("</table>\n");
    }
    if let Some(text) = &p.text {
        let _ = writeln!(
            h,
            "<h4>{}</h4>\n<pre class=\"text\">{}</pre>",
            L::ApprovedText.t(lang),
            esc(text)
        );
    }
    h.push_str("</article>\n");
}

fn reviewer(name: &str, email: &str) -> String {
    if email.is_empty() {
        name.to_string()
    } else {
        format!("{name} <{email}>")
    }
}

/// "verified", or the audit's findings on the commit in plain words.
fn verdict(d: &Data, entry: Option<&TrailEntry>, commit: &str) -> String {
    let lang = d.lang;
    let found: Vec<String> = d
        .audit
        .findings
        .iter()
        .filter(|f| f.commit == commit)
        .map(|f| esc(&finding_text(f, lang)))
        .collect();
    match entry {
        Some(e) if e.verified && found.is_empty() => {
            format!("<span class=\"ok\">✓ {}</span>", L::Valid.t(lang))
        }
        None if found.is_empty() => L::NotJudged.t(lang).to_string(),
        _ => format!(
            "<span class=\"bad\">✗ {}</span>",
            if found.is_empty() {
                L::Invalid.t(lang).to_string()
            } else {
                found.join("; ")
            }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_hidden_characters_are_escaped() {
        assert_eq!(
            esc("<a href='x'>\"A & B\"</a>"),
            "&lt;a href=&#39;x&#39;&gt;&quot;A &amp; B&quot;&lt;/a&gt;"
        );
        assert_eq!(esc("a\u{202e}b\x1bc"), "a\\u{202e}b\\x1bc");
        assert_eq!(esc("Trần Thu Hà\nDòng hai"), "Trần Thu Hà\nDòng hai");
    }

    #[test]
    fn fingerprints_are_openssh_ones() {
        let key =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOoXhdtNH4ObIM9RW1vCzEUHNCtk3V2ibyGCZvDm6PFk hà";
        assert!(fingerprint(key).starts_with("SHA256:"));
        assert_eq!(fingerprint("0123ABCD"), "0123ABCD");
    }
}
