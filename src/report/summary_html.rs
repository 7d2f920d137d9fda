//! The report's summary tables as HTML.

use std::fmt::Write;

use super::labels::L;
use super::markup::{esc, table_head};
use super::{Data, stats, time};
use crate::i18n::Lang;

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

/// The summary section.
pub(super) fn summary(h: &mut String, d: &Data) {
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
