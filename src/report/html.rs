//! The report as one self-contained, printable HTML page (A4, inline CSS,
//! no script, nothing fetched). All repository text is escaped.

use std::fmt::Write;

use super::labels::L;
use super::markup::{esc, row, short};
use super::{Data, finding_text, time};
use crate::audit::IntroFrom;
use crate::i18n::Lang;

const CSS: &str = include_str!("report.css");

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
        "<!DOCTYPE html>\n<html lang=\"{code}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n{CSS}@page {{ @bottom-right {{ content: \"{} \" counter(page) \" / \" counter(pages); font-size: 9pt; }} }}\n</style>\n</head>\n<body>\n",
        L::Title.t(lang),
        L::Page.t(lang)
    );
    cover(&mut h, d);
    findings(&mut h, d);
    super::summary_html::summary(&mut h, d);
    super::draft_html::drafts(&mut h, d);
    let _ = write!(
        h,
        "<section class=\"meaning\">\n<h2>{}</h2>\n<p>{}</p>\n</section>\n</body>\n</html>\n",
        L::Meaning.t(lang),
        L::MeaningText.t(lang)
    );
    h
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
