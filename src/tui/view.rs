//! Drawing: reads the [`App`] and renders a frame. Only the visible rows of
//! lists and diffs are built.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, DecideDialog, DraftView, Filter, Layer, LineNotes, Pane, Screen, Sort};
use super::theme::Theme;
use crate::diff::{LineKind, Segment};
use crate::i18n::{Lang, Msg, format_time};
use crate::model::safe::for_screen as sc;
use crate::model::text::{display_width, pad, slice_columns, truncate};
use crate::model::{Decision, Status};
use unicode_segmentation::UnicodeSegmentation;

const MIN_W: u16 = 50;
const MIN_H: u16 = 12;
const PREVIEW_H: u16 = 9;

/// Where the list's rows are drawn for a terminal of `size` (for mouse clicks).
pub fn list_rows_area(size: (u16, u16)) -> Rect {
    let body = Rect::new(0, 1, size.0, size.1.saturating_sub(2));
    let list_h = body.height.saturating_sub(PREVIEW_H);
    // one line of column titles
    Rect::new(0, body.y + 1, size.0, list_h.saturating_sub(1))
}

/// First visible row of a list of `height` rows with `selected` in view.
pub fn list_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        0
    } else {
        selected.saturating_sub(height - 1)
    }
}

/// Draws the whole screen.
pub fn draw(f: &mut Frame<'_>, app: &App, theme: &Theme) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let msg = format!(
            "{} ({}x{})",
            app.lang.t(Msg::TooSmall),
            area.width,
            area.height
        );
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
        return;
    }
    let [header, body, bar] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_header(f, app, header, theme);
    match (app.screen, &app.draft) {
        (Screen::Draft, Some(v)) => draw_draft(f, app, v, body, theme),
        (Screen::Audit, _) => draw_audit(f, app, body, theme),
        _ => draw_list(f, app, body, theme),
    }
    draw_bar(f, app, bar, theme);
    for layer in &app.layers {
        match layer {
            Layer::Help => draw_help(f, app, area),
            Layer::Decide(d) => draw_dialog(f, app, d, area, theme),
            Layer::Note(line, e) => {
                let r = centered(area, 70, 5);
                f.render_widget(Clear, r);
                let title = match app.lang {
                    Lang::Vi => format!(" Ghi chú dòng {line} (Enter: lưu, Esc: bỏ) "),
                    Lang::En => format!(" Note on line {line} (Enter: keep, Esc: cancel) "),
                };
                f.render_widget(
                    Paragraph::new(format!("{}▏", e.text))
                        .wrap(Wrap { trim: false })
                        .block(Block::bordered().title(title)),
                    r,
                );
            }
            Layer::Search => {}
            Layer::Revision(id, _, approved, e) => {
                let r = centered(area, 76, if *approved { 7 } else { 5 });
                f.render_widget(Clear, r);
                let title = match app.lang {
                    Lang::Vi => format!(" Ghi bản sửa mới của {id} (Enter: ghi, Esc: bỏ) "),
                    Lang::En => format!(" New revision of {id} (Enter: commit, Esc: drop) "),
                };
                let mut lines = Vec::new();
                if *approved {
                    lines.push(Line::styled(
                        match app.lang {
                            Lang::Vi => "Dự thảo đã được duyệt: ghi bản sửa này sẽ làm quyết định duyệt hết hiệu lực.",
                            Lang::En => "This draft is approved: this revision makes the approval stale.",
                        },
                        theme.status(Status::ChangedAfterApproval),
                    ));
                }
                let label = match app.lang {
                    Lang::Vi => "Nội dung sửa đổi",
                    Lang::En => "What changed",
                };
                lines.push(Line::raw(format!("{label}: {}▏", e.text)));
                f.render_widget(
                    Paragraph::new(lines)
                        .wrap(Wrap { trim: false })
                        .block(Block::bordered().title(title)),
                    r,
                );
            }
            Layer::Notice(text) => {
                // Rows once wrapped (a row more for a wrapped line: words
                // do not fill rows exactly).
                let inner = usize::from(area.width.saturating_sub(6)).max(1);
                let rows: usize = text
                    .lines()
                    .map(|l| match unicode_width::UnicodeWidthStr::width(l) {
                        w if w > inner => w.div_ceil(inner) + 1,
                        _ => 1,
                    })
                    .sum();
                let h =
                    (u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2)).min(area.height);
                let r = centered(area, area.width.saturating_sub(4), h);
                f.render_widget(Clear, r);
                f.render_widget(
                    Paragraph::new(text.clone())
                        .wrap(Wrap { trim: false })
                        .block(Block::bordered().border_style(theme.status(Status::Returned))),
                    r,
                );
            }
        }
    }
}

fn filter_name(app: &App) -> String {
    match app.filter {
        Filter::Waiting => app.lang.t(Msg::FilterWaiting).to_string(),
        Filter::All => app.lang.t(Msg::FilterAll).to_string(),
        Filter::Only(s) => app.lang.status(s).to_string(),
    }
}

fn draw_header(f: &mut Frame<'_>, app: &App, area: Rect, theme: &Theme) {
    let mut spans = vec![Span::styled(
        " duyet ",
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
    )];
    match (app.screen, &app.draft) {
        (Screen::Draft, Some(v)) => {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(
                format!(
                    "{} {}",
                    v.draft.status.symbol(),
                    app.lang.status(v.draft.status)
                ),
                theme.status(v.draft.status),
            ));
            spans.push(Span::raw(format!("  {}  ", sc(&v.draft.id))));
            spans.push(Span::styled(
                sc(&v.draft.meta.title).into_owned(),
                Style::default().add_modifier(Modifier::BOLD),
            ));
        }
        _ => {
            let sort = match app.sort {
                Sort::Age => app.lang.t(Msg::SortAge),
                Sort::Title => app.lang.t(Msg::SortTitle),
            };
            spans.push(Span::raw(format!(
                " {}: {} ({}/{})  {}: {}  ",
                app.lang.t(Msg::Filter),
                filter_name(app),
                app.rows.len(),
                app.drafts.len(),
                match app.lang {
                    Lang::Vi => "Sắp xếp",
                    Lang::En => "Sort",
                },
                sort
            )));
            let searching = matches!(app.layers.last(), Some(Layer::Search));
            if searching || !app.search.text.is_empty() {
                spans.push(Span::styled(
                    format!("/{}{}", app.search.text, if searching { "▏" } else { "" }),
                    Style::default().add_modifier(Modifier::BOLD),
                ));
            }
        }
    }
    if app.pending > 0 {
        let detail = match app.progress {
            Some((what, c)) => {
                let label = app.lang.t(if what == "index" {
                    Msg::Indexing
                } else {
                    Msg::Auditing
                });
                let commits = app.lang.t(Msg::Commits);
                match (c.total, c.percent()) {
                    (Some(t), Some(p)) => format!(" {label}: {}/{t} {commits} ({p}%)", c.done),
                    _ => format!(" {label}: {} {commits}", c.done),
                }
            }
            None => String::new(),
        };
        spans.push(Span::styled(
            format!("  ⟳ {}{detail}", app.lang.t(Msg::Loading)),
            Style::default().fg(theme.pending),
        ));
    }

    f.render_widget(Line::from(spans), area);
}

fn draw_bar(f: &mut Frame<'_>, app: &App, area: Rect, theme: &Theme) {
    if let Some((msg, err)) = &app.message {
        let style = if *err {
            Style::default()
                .fg(theme.returned)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(theme.approved)
        };
        f.render_widget(
            Line::styled(truncate(&sc(msg), area.width as usize), style),
            area,
        );
        return;
    }
    let mut spans = Vec::new();
    for b in app.keymap.for_ctx(app.ctx()).filter(|b| b.bar) {
        let key = b.keys.first().map(|k| pretty_key(k)).unwrap_or_default();
        spans.push(Span::styled(
            format!(" {key} "),
            Style::default().add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(format!(" {} ", b.command.describe(app.lang))));
    }
    f.render_widget(Line::from(spans), area);
}

fn pretty_key(k: &str) -> String {
    match k {
        " " => "Space".to_string(),
        other => other.to_string(),
    }
}

fn age(app: &App, id: &str) -> (String, String) {
    match app.stats.as_ref().and_then(|s| s.get(id)) {
        Some(s) => (
            s.revisions.to_string(),
            app.lang.age(s.last_change.seconds, app.now),
        ),
        None => ("…".to_string(), "…".to_string()),
    }
}

fn draw_list(f: &mut Frame<'_>, app: &App, area: Rect, theme: &Theme) {
    let [list, preview] =
        Layout::vertical([Constraint::Min(2), Constraint::Length(PREVIEW_H)]).areas(area);
    let w = list.width as usize;
    let status_w = Status::ALL
        .iter()
        .map(|s| display_width(app.lang.status(*s)))
        .max()
        .unwrap_or(10)
        + 2;
    let (unit_w, drafter_w, revs_w, age_w) = (8, 16, 7, 8);
    let title_w = w
        .saturating_sub(status_w + unit_w + drafter_w + revs_w + age_w + 9)
        .max(10);
    let l = app.lang;
    let head = format!(
        "  {} {} {} {} {} {}",
        pad(l.t(Msg::StatusCol), status_w),
        pad(l.t(Msg::Title), title_w),
        pad(l.t(Msg::Unit), unit_w),
        pad(l.t(Msg::Drafter), drafter_w),
        pad(l.t(Msg::Revisions), revs_w),
        pad(l.t(Msg::Age), age_w)
    );
    f.render_widget(
        Line::styled(
            head,
            Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        ),
        Rect::new(list.x, list.y, list.width, 1),
    );
    let rows_area = Rect::new(
        list.x,
        list.y + 1,
        list.width,
        list.height.saturating_sub(1),
    );
    if app.loaded && app.rows.is_empty() {
        f.render_widget(
            Line::styled(
                format!("  {}", l.t(Msg::NoDrafts)),
                Style::default().fg(theme.dim),
            ),
            rows_area,
        );
    }
    let height = rows_area.height as usize;
    let offset = list_offset(app.selected, height);
    for (k, &i) in app.rows.iter().enumerate().skip(offset).take(height) {
        let d = &app.drafts[i];
        let (revs, ago) = age(app, &d.id);
        let (mark, mark_style) = verified_mark(app, d, theme);
        let mut line = Line::from(vec![
            Span::styled(mark, mark_style),
            Span::styled(
                pad(
                    &format!("{} {}", d.status.symbol(), l.status(d.status)),
                    status_w,
                ),
                theme.status(d.status),
            ),
            Span::raw(format!(
                " {} {} {} {} {}",
                pad(&sc(&d.meta.title), title_w),
                pad(&sc(&d.meta.unit), unit_w),
                pad(&sc(&d.meta.drafter), drafter_w),
                pad(&revs, revs_w),
                pad(&ago, age_w)
            )),
        ]);
        if k == app.selected {
            line = line.style(
                Style::default()
                    .bg(theme.selection)
                    .add_modifier(Modifier::BOLD),
            );
        }
        f.render_widget(
            line,
            Rect::new(
                rows_area.x,
                rows_area.y + (k - offset) as u16,
                rows_area.width,
                1,
            ),
        );
    }
    draw_preview(f, app, preview, theme);
}

/// "✓" when the draft's latest decision verified in the audit, "✗" when
/// it did not, " " when there is no decision or no audit yet.
fn verified_mark(
    app: &App,
    d: &crate::model::DraftSummary,
    theme: &Theme,
) -> (&'static str, Style) {
    if d.review.is_none() {
        return ("  ", Style::default());
    }
    match app.draft_verified.get(&d.id) {
        Some(true) => ("✓ ", Style::default().fg(theme.approved)),
        Some(false) => (
            "✗ ",
            theme.status(Status::Returned).add_modifier(Modifier::BOLD),
        ),
        None => ("  ", Style::default()),
    }
}

fn draw_audit(f: &mut Frame<'_>, app: &App, area: Rect, theme: &Theme) {
    use super::app::AuditRow;
    let l = app.lang;
    let (title, none) = match l {
        Lang::Vi => (
            "Dấu vết phê duyệt",
            "Không có phát hiện nào: mọi quyết định đều được ký bởi người có quyền, trên đúng văn bản.",
        ),
        Lang::En => (
            "Approval trail",
            "No findings: every decision is signed by someone entitled to it, on exactly that text.",
        ),
    };
    let report = match &app.audit {
        None => {
            f.render_widget(
                Paragraph::new(l.t(Msg::Loading))
                    .block(Block::bordered().title(format!(" {title} "))),
                area,
            );
            return;
        }
        Some(Err(e)) => {
            f.render_widget(
                Paragraph::new(e.clone())
                    .wrap(Wrap { trim: true })
                    .block(Block::bordered().title(format!(" {title} "))),
                area,
            );
            return;
        }
        Some(Ok(r)) => r,
    };
    let block = Block::bordered().title(format!(
        " {title}: {} {}, {} {} {} ",
        report.trail.len(),
        match l {
            Lang::Vi => "quyết định",
            Lang::En => "decisions",
        },
        report.findings.len(),
        match l {
            Lang::Vi => "phát hiện",
            Lang::En => "findings",
        },
        if app.findings_only {
            match l {
                Lang::Vi => "(chỉ phát hiện)",
                Lang::En => "(findings only)",
            }
        } else {
            ""
        }
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut y = inner.y;
    if report.clean() {
        f.render_widget(
            Line::styled(none, Style::default().fg(theme.approved)),
            Rect::new(inner.x, y, inner.width, 1),
        );
        y += 1;
    }
    let rows = app.audit_rows();
    let height = (inner.y + inner.height).saturating_sub(y + 2) as usize;
    let offset = list_offset(app.audit_sel, height);
    for (k, row) in rows.iter().enumerate().skip(offset).take(height) {
        let mut line = match row {
            AuditRow::Decision(e) => {
                let (mark, st) = if e.verified {
                    ("✓", Style::default().fg(theme.approved))
                } else {
                    (
                        "✗",
                        theme.status(Status::Returned).add_modifier(Modifier::BOLD),
                    )
                };
                Line::from(vec![
                    Span::styled(format!("{mark} "), st),
                    Span::raw(format!(
                        "{:.10}  {}  {}  {:.10}  {} ",
                        e.commit,
                        pad(
                            match Decision::parse(&e.decision) {
                                Some(Decision::Approved) => l.t(Msg::Approved),
                                Some(Decision::Returned) => l.t(Msg::Returned),
                                None => &e.decision,
                            },
                            11
                        ),
                        pad(&sc(&e.draft), 28),
                        sc(&e.revision),
                        pad(&sc(e.signer.as_deref().unwrap_or("?")), 18),
                    )),
                    Span::styled(sc(&e.time).into_owned(), Style::default().fg(theme.dim)),
                ])
            }
            AuditRow::Finding(fnd) => Line::from(vec![
                Span::styled(
                    "✗ ",
                    theme.status(Status::Returned).add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!("{:.10}  {}", sc(&fnd.commit), sc(&fnd.message))),
            ]),
        };
        if k == app.audit_sel {
            line = line.style(
                Style::default()
                    .bg(theme.selection)
                    .add_modifier(Modifier::BOLD),
            );
        }
        f.render_widget(
            line,
            Rect::new(inner.x, y + (k - offset) as u16, inner.width, 1),
        );
    }
    // The selected decision's findings, in plain words.
    if let Some(AuditRow::Decision(e)) = rows.get(app.audit_sel) {
        let msgs: Vec<&str> = report
            .findings
            .iter()
            .filter(|x| x.commit == e.commit)
            .map(|x| x.message.as_str())
            .collect();
        if !msgs.is_empty() {
            let r = Rect::new(inner.x, inner.y + inner.height - 1, inner.width, 1);
            f.render_widget(
                Line::styled(
                    truncate(&sc(&msgs.join("; ")), inner.width as usize),
                    theme.status(Status::Returned),
                ),
                r,
            );
        }
    }
}

fn draw_preview(f: &mut Frame<'_>, app: &App, area: Rect, theme: &Theme) {
    let block = Block::default()
        .borders(Borders::TOP)
        .border_style(Style::default().fg(theme.dim));
    let l = app.lang;
    let Some(d) = app.selected_draft() else {
        f.render_widget(block, area);
        return;
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(
                format!("{}: ", l.t(Msg::Kind)),
                Style::default().fg(theme.dim),
            ),
            Span::raw(l.kind(d.meta.kind)),
            Span::styled(
                format!("   {}: ", l.t(Msg::Id)),
                Style::default().fg(theme.dim),
            ),
            Span::raw(sc(&d.id).into_owned()),
            Span::styled(
                format!("   {}: ", l.t(Msg::Signer)),
                Style::default().fg(theme.dim),
            ),
            Span::raw(sc(&d.meta.signer).into_owned()),
        ]),
        Line::from(vec![
            Span::styled(
                format!("{}: ", l.t(Msg::Title)),
                Style::default().fg(theme.dim),
            ),
            Span::raw(sc(&d.meta.title).into_owned()),
        ]),
    ];
    match &d.review {
        None => lines.push(Line::styled(
            l.t(Msg::NoDecision),
            Style::default().fg(theme.dim),
        )),
        Some(r) => {
            let word = match r.decision {
                Decision::Approved => l.t(Msg::Approved),
                Decision::Returned => l.t(Msg::Returned),
            };
            let stale = if d.status == Status::ChangedAfterApproval || d.status == Status::Revised {
                match l {
                    Lang::Vi => "  (bản đã quyết định không còn là bản mới nhất)",
                    Lang::En => "  (the decided text is no longer the newest)",
                }
            } else {
                ""
            };
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{}: ", l.t(Msg::LatestDecision)),
                    Style::default().fg(theme.dim),
                ),
                Span::styled(
                    word.to_string(),
                    Style::default().add_modifier(Modifier::BOLD),
                ),
                Span::raw(format!(" — {}, {}", sc(&r.reviewer), sc(&r.time))),
                Span::styled(stale, theme.status(d.status)),
            ]));
            if !r.comment.is_empty() {
                lines.push(Line::raw(format!(
                    "{}: {}",
                    l.t(Msg::Comment),
                    sc(&r.comment)
                )));
            }
            for n in &r.notes {
                lines.push(Line::raw(format!("  ✎ [{}] {}", n.line, sc(&n.text))));
            }
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn draw_draft(f: &mut Frame<'_>, app: &App, v: &DraftView, area: Rect, theme: &Theme) {
    let left_w = (area.width / 3).clamp(30, 48);
    let [revs, diff] =
        Layout::horizontal([Constraint::Length(left_w), Constraint::Min(10)]).areas(area);
    let focused = |p: Pane| {
        if v.focus == p {
            Style::default().add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(theme.dim)
        }
    };
    let [revs, checks] =
        Layout::vertical([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(revs);
    draw_checks(f, app, v, checks, theme, focused(Pane::Checks));
    let block = Block::bordered()
        .title(format!(" {} ", app.lang.t(Msg::History)))
        .border_style(focused(Pane::Revisions));
    let inner = block.inner(revs);
    f.render_widget(block, revs);
    if let Some(h) = &v.history {
        let mut lines: Vec<Line<'_>> = Vec::new();
        let mut sel_line = 0;
        for (i, r) in h.revisions.iter().enumerate() {
            let in_pair = v
                .pair
                .is_some_and(|(o, n)| o == Some(r.number) || n == r.number);
            let mark = if v.mark == Some(r.number) {
                "◆"
            } else if in_pair {
                "▸"
            } else {
                " "
            };
            if i == v.rev_sel {
                sel_line = lines.len();
            }
            let mut head = Line::from(vec![
                Span::raw(format!("{mark}#{:<3}", r.number)),
                Span::raw(format!("{} ", format_time(r.time))),
                Span::styled(sc(&r.author).into_owned(), Style::default().fg(theme.dim)),
            ]);
            if i == v.rev_sel && v.focus == Pane::Revisions {
                head = head.style(
                    Style::default()
                        .bg(theme.selection)
                        .add_modifier(Modifier::BOLD),
                );
            }
            lines.push(head);
            lines.push(Line::raw(format!("     {}", sc(&r.summary))));
            for d in h.decisions_on(r.number) {
                let (sym, word, st) = match d.review.decision {
                    Decision::Approved => (
                        "✓",
                        app.lang.t(Msg::Approved),
                        theme.status(Status::Approved),
                    ),
                    Decision::Returned => (
                        "↩",
                        app.lang.t(Msg::Returned),
                        theme.status(Status::Returned),
                    ),
                };
                lines.push(Line::styled(
                    format!("     {sym} {word} — {}", sc(&d.review.reviewer)),
                    st,
                ));
                let seal = match (app.verified.get(&d.commit), app.lang) {
                    (Some(true), Lang::Vi) => "✓ đã xác thực chữ ký",
                    (Some(true), Lang::En) => "✓ verified",
                    (Some(false), Lang::Vi) => "✗ KHÔNG xác thực được",
                    (Some(false), Lang::En) => "✗ NOT verified",
                    (None, _) => "",
                };
                if !seal.is_empty() {
                    let seal_style = if seal.starts_with('✓') {
                        Style::default().fg(theme.approved)
                    } else {
                        theme.status(Status::Returned).add_modifier(Modifier::BOLD)
                    };
                    lines.push(Line::styled(format!("       {seal}"), seal_style));
                }
                if !d.review.comment.is_empty() {
                    lines.push(Line::styled(
                        format!("       “{}”", sc(&d.review.comment)),
                        Style::default().fg(theme.dim),
                    ));
                }
            }
        }
        let h_rows = inner.height as usize;
        let skip = sel_line.saturating_sub(h_rows.saturating_sub(3));
        f.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)), inner);
    } else if let Some(e) = &v.error {
        f.render_widget(
            Paragraph::new(sc(e).into_owned()).wrap(Wrap { trim: true }),
            inner,
        );
    } else {
        f.render_widget(Line::raw(app.lang.t(Msg::Loading)), inner);
    }

    let layout = if v.side_by_side {
        app.lang.t(Msg::SideBySide)
    } else {
        app.lang.t(Msg::Unified)
    };
    let title = match v.pair {
        Some((o, n)) => format!(
            " {}: {} {} {} #{n} — {layout} ",
            app.lang.t(Msg::Diff),
            app.lang.t(Msg::Since),
            o.map(|o| format!("#{o}"))
                .unwrap_or_else(|| app.lang.t(Msg::Nothing).to_string()),
            app.lang.t(Msg::To)
        ),
        None => format!(" {} ", app.lang.t(Msg::Diff)),
    };
    let block = Block::bordered()
        .title(title)
        .border_style(focused(Pane::Diff));
    let inner = block.inner(diff);
    f.render_widget(block, diff);
    draw_diff(f, app, v, inner, theme);
}

fn draw_checks(
    f: &mut Frame<'_>,
    app: &App,
    v: &DraftView,
    area: Rect,
    theme: &Theme,
    border: Style,
) {
    use crate::check::Severity;
    let count = |s: Severity| v.findings.iter().filter(|x| x.severity == s).count();
    let title = format!(
        " {} {}✗ {}! {}i ",
        app.lang.t(Msg::Checks),
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info)
    );
    let block = Block::bordered().title(title).border_style(border);
    let inner = block.inner(area);
    f.render_widget(block, area);
    if v.diff.is_none() {
        return;
    }
    if v.findings.is_empty() {
        f.render_widget(
            Line::styled(
                app.lang.t(Msg::NoFindings),
                Style::default().fg(theme.approved),
            ),
            inner,
        );
        return;
    }
    let height = inner.height as usize;
    let offset = list_offset(v.check_sel, height);
    for (k, finding) in v.findings.iter().enumerate().skip(offset).take(height) {
        let (sym, style) = match finding.severity {
            Severity::Error => ("✗", theme.status(Status::Returned)),
            Severity::Warning => ("!", theme.status(Status::Pending)),
            Severity::Info => ("i", Style::default().fg(theme.dim)),
        };
        let msg = match app.lang {
            Lang::Vi => &finding.message_vi,
            Lang::En => &finding.message_en,
        };
        let text = truncate(
            &format!("{}:{} {}", finding.line, finding.column, sc(msg)),
            (inner.width as usize).saturating_sub(2),
        );
        let mut line = Line::from(vec![
            Span::styled(format!("{sym} "), style),
            Span::raw(text),
        ]);
        if k == v.check_sel && v.focus == Pane::Checks {
            line = line.style(
                Style::default()
                    .bg(theme.selection)
                    .add_modifier(Modifier::BOLD),
            );
        }
        f.render_widget(
            line,
            Rect::new(inner.x, inner.y + (k - offset) as u16, inner.width, 1),
        );
    }
}

/// Cuts styled runs to the columns [skip, skip + width).
fn clip(runs: &[(&str, Style)], skip: usize, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut col = 0;
    for (text, style) in runs {
        let text = sc(text);
        let w = display_width(&text);
        let (start, end) = (col, col + w);
        col = end;
        if end <= skip || start >= skip + width {
            continue;
        }
        let from = skip.saturating_sub(start);
        let take = (skip + width).min(end) - start.max(skip);
        out.push(Span::styled(slice_columns(&text, from, take), *style));
    }
    out
}

/// Lays styled runs out in lines of `width` columns, breaking between
/// words where it can (`wrap`), or cut to one line scrolled by `skip`.
fn layout_runs(
    runs: &[(&str, Style)],
    width: usize,
    wrap: bool,
    skip: usize,
) -> Vec<Vec<Span<'static>>> {
    if !wrap || width == 0 {
        return vec![clip(runs, skip, width)];
    }
    let mut lines: Vec<Vec<Span<'static>>> = vec![Vec::new()];
    let mut col = 0;
    for (text, style) in runs {
        let text = sc(text);
        for token in text.split_word_bounds() {
            let w = display_width(token);
            if col + w > width && col > 0 {
                if token.trim().is_empty() {
                    continue;
                }
                lines.push(Vec::new());
                col = 0;
            }
            if w > width {
                for g in token.graphemes(true) {
                    let gw = display_width(g);
                    if col + gw > width {
                        lines.push(Vec::new());
                        col = 0;
                    }
                    push_span(lines.last_mut(), g, *style);
                    col += gw;
                }
            } else {
                push_span(lines.last_mut(), token, *style);
                col += w;
            }
        }
    }
    lines
}

fn push_span(line: Option<&mut Vec<Span<'static>>>, text: &str, style: Style) {
    let Some(line) = line else { return };
    let text = if text == "\t" { "    " } else { text };
    match line.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => line.push(Span::styled(text.to_string(), style)),
    }
}

fn line_runs<'a>(segs: &'a [Segment], kind: LineKind, theme: &Theme) -> Vec<(&'a str, Style)> {
    let (base, emph) = match kind {
        LineKind::Equal => (Style::default(), Style::default()),
        LineKind::Delete => (
            Style::default().fg(theme.delete),
            Style::default()
                .fg(theme.delete)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ),
        LineKind::Insert => (
            Style::default().fg(theme.insert),
            Style::default()
                .fg(theme.insert)
                .add_modifier(Modifier::REVERSED | Modifier::BOLD),
        ),
    };
    segs.iter()
        .map(|s| (s.text.as_str(), if s.changed { emph } else { base }))
        .collect()
}

fn sign_of(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Equal => " ",
        LineKind::Delete => "-",
        LineKind::Insert => "+",
    }
}

/// One diff line laid out in `text_w` columns behind a gutter: the first
/// screen line shows `gutter`, the wrapped rest as many blanks
/// (`gutter_w`); each is filled to `text_w`.
fn screen_lines(
    v: &DraftView,
    l: &crate::diff::Line,
    gutter: String,
    gutter_w: usize,
    text_w: usize,
    theme: &Theme,
) -> Vec<Vec<Span<'static>>> {
    let dim = Style::default().fg(theme.dim);
    let body = layout_runs(
        &line_runs(&l.segments, l.kind, theme),
        text_w,
        v.wrap,
        v.hscroll,
    );
    let mut gutter = Some(gutter);
    body.into_iter()
        .map(|chunk| {
            let g = gutter.take().unwrap_or_else(|| " ".repeat(gutter_w));
            let used: usize = chunk.iter().map(|s| display_width(&s.content)).sum();
            let mut spans = vec![Span::styled(g, dim)];
            spans.extend(chunk);
            spans.push(Span::raw(" ".repeat(text_w.saturating_sub(used))));
            spans
        })
        .collect()
}

/// The screen lines of one diff row.
fn row_lines(
    v: &DraftView,
    notes: &LineNotes<'_>,
    row: usize,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(d) = &v.diff else { return Vec::new() };
    let num_w = d.lines.len().to_string().len();
    let dim = Style::default().fg(theme.dim);
    let (li, ri) = v.row_lines(row);
    let fmt_no = |n: Option<usize>| n.map(|n| n.to_string()).unwrap_or_default();
    let mark = |l: &crate::diff::Line| if notes.get(l).is_some() { "✎" } else { " " };
    let mut out: Vec<Line<'static>> = Vec::new();
    if v.side_by_side {
        let half = width.saturating_sub(1) / 2;
        let text_w = half.saturating_sub(num_w + 3);
        let mut sides: Vec<Vec<Vec<Span<'static>>>> = Vec::new();
        for (side, idx) in [(0, li), (1, ri)] {
            let lines = match idx.and_then(|i| d.lines.get(i)) {
                Some(l) => {
                    let no = if side == 0 { l.old } else { l.new };
                    let gutter = format!("{:>num_w$}{}{} ", fmt_no(no), mark(l), sign_of(l.kind));
                    screen_lines(v, l, gutter, num_w + 3, text_w, theme)
                }
                None => Vec::new(),
            };
            sides.push(lines);
        }
        let n = sides[0].len().max(sides[1].len()).max(1);
        for k in 0..n {
            let mut spans = sides[0]
                .get(k)
                .cloned()
                .unwrap_or_else(|| vec![Span::raw(" ".repeat(half))]);
            spans.push(Span::styled("│", dim));
            spans.extend(sides[1].get(k).cloned().unwrap_or_default());
            out.push(Line::from(spans));
        }
    } else if let Some(l) = li.and_then(|i| d.lines.get(i)) {
        let gutter = format!(
            "{:>num_w$} {:>num_w$}{}{} ",
            fmt_no(l.old),
            fmt_no(l.new),
            mark(l),
            sign_of(l.kind)
        );
        let text_w = width.saturating_sub(2 * num_w + 4);
        for spans in screen_lines(v, l, gutter, 2 * num_w + 4, text_w, theme) {
            out.push(Line::from(spans));
        }
    }
    if row == v.cursor && v.focus == Pane::Diff {
        out = out
            .into_iter()
            .map(|l| l.style(Style::default().bg(theme.selection)))
            .collect();
    }
    out
}

fn draw_diff(f: &mut Frame<'_>, app: &App, v: &DraftView, area: Rect, theme: &Theme) {
    let Some(d) = &v.diff else {
        let text = v
            .error
            .clone()
            .unwrap_or_else(|| app.lang.t(Msg::Loading).to_string());
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    };
    let mut y = area.y;
    for n in &d.notices {
        let msg = match n {
            crate::diff::Notice::SameText => app.lang.t(Msg::SameTextNormalForm),
            crate::diff::Notice::Normalized => app.lang.t(Msg::Normalized),
            crate::diff::Notice::LineEndings => app.lang.t(Msg::LineEndings),
        };
        f.render_widget(
            Line::styled(format!("ℹ {msg}"), Style::default().fg(theme.revised)),
            Rect::new(area.x, y, area.width, 1),
        );
        y += 1;
    }
    if d.lines.is_empty() {
        f.render_widget(
            Line::raw(app.lang.t(Msg::NoChanges)),
            Rect::new(area.x, y, area.width, 1),
        );
        return;
    }
    let notes = v.notes();
    let (cl, cr) = v.row_lines(v.cursor);
    let cursor_note = [cl, cr]
        .into_iter()
        .flatten()
        .filter_map(|i| d.lines.get(i))
        .find_map(|l| notes.get(l));
    let footer = u16::from(cursor_note.is_some());
    let height = (area.y + area.height).saturating_sub(y + footer) as usize;
    let width = area.width as usize;
    let rows = v.row_count();
    // Start at the scroll row, moved so that the cursor's row is on screen.
    let mut start = v.scroll.min(rows.saturating_sub(1)).min(v.cursor);
    let heights: Vec<usize> = (start..=v.cursor.min(rows.saturating_sub(1)))
        .map(|r| row_lines(v, &notes, r, width, theme).len())
        .collect();
    let mut used: usize = heights.iter().sum();
    for h in &heights {
        if used <= height || start >= v.cursor {
            break;
        }
        used -= h;
        start += 1;
    }
    let mut screen: Vec<Line<'static>> = Vec::with_capacity(height);
    let mut row = start;
    while screen.len() < height && row < rows {
        screen.extend(row_lines(v, &notes, row, width, theme));
        row += 1;
    }
    screen.truncate(height);
    for line in screen {
        f.render_widget(line, Rect::new(area.x, y, area.width, 1));
        y += 1;
    }
    if let Some(n) = cursor_note {
        let r = Rect::new(area.x, area.y + area.height - 1, area.width, 1);
        f.render_widget(
            Line::styled(format!("✎ {}", n.text), Style::default().fg(theme.pending)),
            r,
        );
    }
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn draw_help(f: &mut Frame<'_>, app: &App, area: Rect) {
    let l = app.lang;
    let mut lines = vec![Line::styled(
        format!("{} {}", pad(l.t(Msg::KeyCol), 21), l.t(Msg::ActionCol)),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    for b in app.keymap.for_ctx(app.ctx()) {
        let keys = b
            .keys
            .iter()
            .map(|k| pretty_key(k))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(Line::raw(format!(
            "{} {}",
            pad(&keys, 21),
            b.command.describe(l)
        )));
    }
    let extra = match l {
        Lang::Vi => "Hộp quyết định: Ctrl-S ghi và ký, Esc bỏ, Tab sang mật khẩu",
        Lang::En => "Decision dialog: Ctrl-S sign and record, Esc cancel, Tab to passphrase",
    };
    lines.push(Line::raw(""));
    lines.push(Line::raw(extra));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = centered(area, 64, h);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(Block::bordered().title(format!(" {} ", l.t(Msg::Help)))),
        r,
    );
}

fn draw_dialog(f: &mut Frame<'_>, app: &App, d: &DecideDialog, area: Rect, theme: &Theme) {
    let l = app.lang;
    let r = centered(area, 84, 20);
    f.render_widget(Clear, r);
    let (word, style) = match d.decision {
        Decision::Approved => (l.t(Msg::Approve), theme.status(Status::Approved)),
        Decision::Returned => (l.t(Msg::Return), theme.status(Status::Returned)),
    };
    let block = Block::bordered().title(Span::styled(
        format!(" {word}: {} ", sc(&d.draft.id)),
        style.add_modifier(Modifier::BOLD),
    ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let (sign_who, sign_key) = match &app.signer {
        Some(Ok(s)) => (s.who.clone(), s.key.clone()),
        Some(Err(e)) => (String::new(), e.clone()),
        None => (String::new(), String::new()),
    };
    let (lbl_rev, lbl_by, lbl_key, lbl_comment) = match l {
        Lang::Vi => ("Bản", "Người ký", "Khóa", "Ý kiến"),
        Lang::En => ("Revision", "Signed by", "Key", "Comment"),
    };
    let rev = d.revision.map(|n| format!("#{n} ")).unwrap_or_default();
    let mut lines = vec![
        Line::raw(truncate(&sc(&d.draft.meta.title), inner.width as usize)),
        Line::raw(format!("{lbl_rev}: {rev}(blob {:.12})", d.draft.draft_blob)),
        Line::raw(format!("{lbl_by}: {sign_who}")),
        Line::raw(truncate(
            &format!("{lbl_key}: {sign_key}"),
            inner.width as usize,
        )),
    ];
    for n in &d.notes {
        lines.push(Line::raw(truncate(
            &format!("✎ [{}] {}", n.line, sc(&n.text)),
            inner.width as usize,
        )));
    }
    lines.push(Line::styled(
        format!("{lbl_comment}:"),
        Style::default().add_modifier(Modifier::BOLD),
    ));
    let (cl, _) = d.comment.cursor_line_col();
    for (i, text) in d.comment.text.split('\n').enumerate() {
        let mut t = text.to_string();
        if i == cl && !d.on_passphrase {
            let (_, col) = d.comment.cursor_line_col();
            t.insert(col.min(t.len()), '▏');
        }
        lines.push(Line::raw(format!("  {t}")));
    }
    if let Some(p) = &d.passphrase {
        let label = match l {
            Lang::Vi => "Mật khẩu khóa",
            Lang::En => "Key passphrase",
        };
        let stars = "•".repeat(p.text.chars().count());
        let cur = if d.on_passphrase { "▏" } else { "" };
        lines.push(Line::raw(format!("{label}: {stars}{cur}")));
    }
    if let Some(e) = &d.error {
        lines.push(Line::styled(
            sc(e).into_owned(),
            theme.status(Status::Returned).add_modifier(Modifier::BOLD),
        ));
    }
    let hint = if d.busy {
        l.t(Msg::Loading).to_string()
    } else {
        match l {
            Lang::Vi => "Ctrl-S: ký và ghi   Esc: hủy".to_string(),
            Lang::En => "Ctrl-S: sign and record   Esc: cancel".to_string(),
        }
    };
    lines.push(Line::styled(hint, Style::default().fg(theme.dim)));
    f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
}
