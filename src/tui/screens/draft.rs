//! The draft screen: the revisions pane (history and decisions), the
//! checks pane and the diff pane; comparing revisions, jumping to
//! findings, starting notes and decisions.

use std::collections::HashMap;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use super::diff_pane::{DiffPane, LineNotes, PaneView};
use crate::check::Finding;
use crate::diff::DraftDiff;
use crate::i18n::{Lang, Msg, format_time};
use crate::model::safe::for_screen as sc;
use crate::model::text::truncate;
use crate::model::{Decision, DraftSummary, History, Status};
use crate::tui::chrome::{fit, list_offset, selected, step};
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;
use crate::tui::worker::Job;

/// Panes of the draft screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The revision list.
    Revisions,
    /// The diff.
    Diff,
    /// The check findings.
    Checks,
}

/// The draft screen's state.
#[derive(Debug, Clone)]
pub struct DraftScreen {
    /// The draft as listed.
    pub draft: DraftSummary,
    /// Its history, once loaded.
    pub history: Option<Arc<History>>,
    /// Selected revision (index into revisions).
    pub rev_sel: usize,
    /// Revision marked as the old side.
    pub mark: Option<usize>,
    /// Compared pair (old number or nothing, new number).
    pub pair: Option<(Option<usize>, usize)>,
    /// The diff pane.
    pub pane: DiffPane,
    /// Focused pane.
    pub focus: Pane,
    /// An error loading history or diff.
    pub error: Option<String>,
    /// Findings of the checks on the new side.
    pub findings: Arc<Vec<Finding>>,
    /// Selected finding.
    pub check_sel: usize,
    /// Where Back goes: the audit screen (else the list).
    pub from_audit: bool,
}

impl DraftScreen {
    /// The screen of draft `d`, asking the worker for its history.
    pub fn open(d: DraftSummary, from_audit: bool, sh: &mut Shared) -> DraftScreen {
        sh.send(Job::History(d.id.clone()));
        DraftScreen {
            draft: d,
            history: None,
            rev_sel: 0,
            mark: None,
            pair: None,
            pane: DiffPane::default(),
            focus: Pane::Diff,
            error: None,
            findings: Arc::new(Vec::new()),
            check_sel: 0,
            from_audit,
        }
    }

    /// The history arrived: compare the default pair.
    pub fn history_loaded(&mut self, result: Result<History, String>, sh: &mut Shared) {
        match result {
            Ok(h) => {
                self.rev_sel = h.revisions.len().saturating_sub(1);
                self.pair = h.default_pair();
                self.history = Some(Arc::new(h));
                self.request_diff(sh);
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// A diff arrived (ignored unless it is of the pair compared now).
    pub fn diff_loaded(
        &mut self,
        pair: (Option<usize>, usize),
        result: Result<(Arc<DraftDiff>, Arc<Vec<Finding>>), String>,
    ) {
        if self.pair != Some(pair) {
            return;
        }
        match result {
            Ok((d, findings)) => {
                self.findings = findings;
                self.check_sel = 0;
                self.pane.set(d);
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }

    fn request_diff(&mut self, sh: &mut Shared) {
        let (Some(h), Some((old, new))) = (&self.history, self.pair) else {
            return;
        };
        sh.send(Job::Diff {
            history: h.clone(),
            old,
            new,
            kind: self.draft.meta.kind,
        });
        self.pane.diff = None;
    }

    /// Reviewers' line notes made on either side of the compared pair, and
    /// `pending` (this reviewer's notes not yet signed, on the newest
    /// revision) when the pair ends there: they show, marked ✎, before the
    /// decision.
    pub fn notes<'a>(&'a self, pending: &'a [crate::model::Note]) -> LineNotes<'a> {
        let mut notes = LineNotes::default();
        let (Some(h), Some((old, new))) = (&self.history, self.pair) else {
            return notes;
        };
        let on = |n: usize| {
            h.decisions_on(n)
                .flat_map(|d| d.review.notes.iter())
                .map(|note| (note.line, note))
                .collect::<HashMap<_, _>>()
        };
        notes.old = old.map(on).unwrap_or_default();
        notes.new = on(new);
        if Some(new) == h.revisions.last().map(|r| r.number) {
            notes.new.extend(pending.iter().map(|n| (n.line, n)));
        }
        notes
    }

    fn move_sel(&mut self, delta: isize, page: usize) {
        match self.focus {
            Pane::Revisions => {
                let n = self
                    .history
                    .as_ref()
                    .map(|h| h.revisions.len())
                    .unwrap_or(0);
                self.rev_sel = step(self.rev_sel, delta, n);
            }
            Pane::Checks => {
                self.check_sel = step(self.check_sel, delta, self.findings.len());
            }
            Pane::Diff => self.pane.move_cursor(delta, page),
        }
    }

    fn open_selected(&mut self, sh: &mut Shared) {
        if self.focus == Pane::Checks {
            // Moves the diff cursor to the line of the selected finding.
            if let Some(f) = self.findings.get(self.check_sel)
                && self.pane.go_to_new_line(f.line)
            {
                self.focus = Pane::Diff;
            }
            return;
        }
        if self.focus != Pane::Revisions || self.history.is_none() {
            return;
        }
        let sel = self.rev_sel + 1;
        let pair = match self.mark {
            Some(m) if m != sel => (Some(m.min(sel)), m.max(sel)),
            _ => (sel.checked_sub(1).filter(|&n| n > 0), sel),
        };
        self.pair = Some(pair);
        self.mark = None;
        self.focus = Pane::Diff;
        self.request_diff(sh);
    }

    fn start_note(&mut self, sh: &mut Shared) {
        let (Some(_), Some(h), Some((_, new))) = (&self.pane.diff, &self.history, self.pair) else {
            return;
        };
        if Some(new) != h.revisions.last().map(|r| r.number) {
            sh.say(
                match sh.lang {
                    Lang::Vi => {
                        "Ghi chú gắn với bản mới nhất: hãy so sánh tới bản mới nhất".to_string()
                    }
                    Lang::En => {
                        "Notes attach to the newest revision: compare up to it first".to_string()
                    }
                },
                true,
            );
            return;
        }
        match self.pane.cursor_new_line() {
            Some(line) => sh.ask(Up::Note(line)),
            None => sh.say(
                match sh.lang {
                    Lang::Vi => {
                        "Dòng đã xóa không còn trong bản mới nhất: hãy ghi chú vào một dòng còn lại"
                            .to_string()
                    }
                    Lang::En => {
                        "A deleted line is not in the newest revision: note a line that remains"
                            .to_string()
                    }
                },
                true,
            ),
        }
    }

    /// The header's part for this screen: status, id and title.
    pub fn header_spans(&self, lang: Lang, theme: &Theme) -> Vec<Span<'static>> {
        let d = &self.draft;
        vec![
            Span::raw(" "),
            Span::styled(
                format!("{} {}", d.status.symbol(), lang.status(d.status)),
                theme.status(d.status),
            ),
            Span::raw(format!("  {}  ", sc(&d.id))),
            Span::styled(
                sc(&d.meta.title).into_owned(),
                Style::default().add_modifier(Modifier::BOLD),
            ),
        ]
    }

    fn draw_checks(
        &self,
        f: &mut Frame<'_>,
        area: Rect,
        sh: &Shared,
        theme: &Theme,
        border: Style,
    ) {
        let v = self;
        use crate::check::Severity;
        let count = |s: Severity| v.findings.iter().filter(|x| x.severity == s).count();
        let title = format!(
            " {} {}✗ {}! {}i ",
            sh.lang.t(Msg::Checks),
            count(Severity::Error),
            count(Severity::Warning),
            count(Severity::Info)
        );
        let block = Block::bordered().title(title).border_style(border);
        let inner = block.inner(area);
        f.render_widget(block, area);
        if v.pane.diff.is_none() {
            return;
        }
        if v.findings.is_empty() {
            f.render_widget(
                Line::styled(
                    sh.lang.t(Msg::NoFindings),
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
            let msg = match sh.lang {
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
                line = line.style(selected(theme));
            }
            f.render_widget(
                line,
                Rect::new(inner.x, inner.y + (k - offset) as u16, inner.width, 1),
            );
        }
    }
}

impl Component for DraftScreen {
    fn scope(&self) -> Scope {
        Scope::Draft
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        let page = sh.page();
        match cmd {
            Command::Up => self.move_sel(-1, page),
            Command::Down => self.move_sel(1, page),
            Command::PageUp => self.move_sel(-(page as isize), page),
            Command::PageDown => self.move_sel(page as isize, page),
            Command::Top => self.move_sel(isize::MIN / 2, page),
            Command::Bottom => self.move_sel(isize::MAX / 2, page),
            Command::Open => self.open_selected(sh),
            Command::Back => sh.ask(Up::Back),
            Command::FocusNext => {
                self.focus = match self.focus {
                    Pane::Revisions => Pane::Diff,
                    Pane::Diff => Pane::Checks,
                    Pane::Checks => Pane::Revisions,
                };
            }
            Command::NextChange | Command::PrevChange => {
                if self.pane.jump_change(cmd == Command::NextChange) {
                    self.focus = Pane::Diff;
                }
            }
            Command::ToggleLayout => self.pane.toggle_layout(),
            Command::Wrap => {
                self.pane.wrap = !self.pane.wrap;
                self.pane.hscroll = 0;
            }
            Command::Left => self.pane.hscroll = self.pane.hscroll.saturating_sub(8),
            Command::Right => self.pane.hscroll += 8,
            Command::Mark => {
                let n = self.rev_sel + 1;
                self.mark = if self.mark == Some(n) { None } else { Some(n) };
                self.focus = Pane::Revisions;
            }
            Command::Note => self.start_note(sh),
            Command::Approve | Command::Return => {
                let revision = self
                    .history
                    .as_ref()
                    .and_then(|h| h.revisions.last().map(|r| r.number));
                let decision = if cmd == Command::Approve {
                    Decision::Approved
                } else {
                    Decision::Returned
                };
                sh.ask(Up::Decide(decision, self.draft.clone(), revision));
            }
            Command::Edit => sh.ask(Up::Edit(self.draft.id.clone())),
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme) {
        let v = self;
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
        v.draw_checks(f, checks, sh, theme, focused(Pane::Checks));
        let block = Block::bordered()
            .title(format!(" {} ", sh.lang.t(Msg::History)))
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
                    head = head.style(selected(theme));
                }
                lines.push(head);
                lines.push(Line::raw(format!("     {}", sc(&r.summary))));
                for d in h.decisions_on(r.number) {
                    let (sym, word, st) = match d.review.decision {
                        Decision::Approved => (
                            "✓",
                            sh.lang.t(Msg::Approved),
                            theme.status(Status::Approved),
                        ),
                        Decision::Returned => (
                            "↩",
                            sh.lang.t(Msg::Returned),
                            theme.status(Status::Returned),
                        ),
                    };
                    lines.push(Line::styled(
                        format!("     {sym} {word} — {}", sc(&d.review.reviewer)),
                        st,
                    ));
                    let seal = match (sh.verified.get(&d.commit), sh.lang) {
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
                    // The comment keeps its line breaks.
                    let comment = d.review.comment.trim_end();
                    let last = comment.lines().count().saturating_sub(1);
                    for (k, part) in comment.lines().enumerate() {
                        let open = if k == 0 { "“" } else { " " };
                        let close = if k == last { "”" } else { "" };
                        lines.push(Line::styled(
                            format!("       {open}{}{close}", sc(part)),
                            Style::default().fg(theme.dim),
                        ));
                    }
                }
            }
            // Cut with …, never silently.
            let width = inner.width as usize;
            let lines: Vec<Line<'_>> = lines
                .into_iter()
                .map(|l| {
                    let style = l.style;
                    Line::from(fit(l.spans, width)).style(style)
                })
                .collect();
            let h_rows = inner.height as usize;
            let skip = sel_line.saturating_sub(h_rows.saturating_sub(3));
            f.render_widget(Paragraph::new(lines).scroll((skip as u16, 0)), inner);
        } else if let Some(e) = &v.error {
            f.render_widget(
                Paragraph::new(sc(e).into_owned()).wrap(Wrap { trim: true }),
                inner,
            );
        } else {
            f.render_widget(Line::raw(sh.lang.t(Msg::Loading)), inner);
        }

        let layout = if v.pane.side_by_side {
            sh.lang.t(Msg::SideBySide)
        } else {
            sh.lang.t(Msg::Unified)
        };
        let title = match v.pair {
            Some((o, n)) => format!(
                " {}: {} {} {} #{n} — {layout} ",
                sh.lang.t(Msg::Diff),
                sh.lang.t(Msg::Since),
                o.map(|o| format!("#{o}"))
                    .unwrap_or_else(|| sh.lang.t(Msg::Nothing).to_string()),
                sh.lang.t(Msg::To)
            ),
            None => format!(" {} ", sh.lang.t(Msg::Diff)),
        };
        let block = Block::bordered()
            .title(title)
            .border_style(focused(Pane::Diff));
        let inner = block.inner(diff);
        f.render_widget(block, diff);
        let pending = sh
            .pending_notes
            .get(&v.draft.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let notes = v.notes(pending);
        let view = PaneView {
            notes: &notes,
            focused: v.focus == Pane::Diff,
            error: v.error.as_deref(),
        };
        v.pane.draw(f, inner, view, sh, theme);
    }
}
