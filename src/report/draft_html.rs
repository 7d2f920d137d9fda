//! Each draft of the report as HTML: its revisions and decisions.

use std::fmt::Write;

use super::labels::L;
use super::markup::{decision_word, esc, fingerprint, row, short, table_head};
use super::{Data, DraftPart, finding_text, stats, time};
use crate::audit::TrailEntry;

/// The drafts section.
pub(super) fn drafts(h: &mut String, d: &Data) {
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
