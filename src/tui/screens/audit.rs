//! The audit screen: the approval trail (every decision, verified or
//! not) and the findings on commits that are not decisions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

use crate::audit::{Finding, Report, TrailEntry};
use crate::i18n::{Lang, Msg};
use crate::model::safe::for_screen as sc;
use crate::model::text::{pad, truncate};
use crate::model::{Decision, Status};
use crate::tui::chrome::{list_offset, selected, step};
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;

/// A row of the audit screen.
#[derive(Debug, Clone, Copy)]
pub enum AuditRow<'a> {
    /// A decision of the trail.
    Decision(&'a TrailEntry),
    /// A finding on a commit that is not a decision.
    Finding(&'a Finding),
}

/// The audit screen's state.
#[derive(Debug, Clone, Default)]
pub struct AuditScreen {
    /// The audit, once run.
    pub report: Option<Result<Box<Report>, String>>,
    /// Show only rows with findings.
    pub findings_only: bool,
    /// Selected row.
    pub sel: usize,
}

impl AuditScreen {
    /// The rows, filtered: trail entries, then findings.
    pub fn rows(&self) -> Vec<AuditRow<'_>> {
        let Some(Ok(r)) = &self.report else {
            return Vec::new();
        };
        let mut rows: Vec<AuditRow<'_>> = r
            .trail
            .iter()
            .filter(|e| !self.findings_only || !e.verified)
            .map(AuditRow::Decision)
            .collect();
        let decided: std::collections::HashSet<&str> =
            r.trail.iter().map(|e| e.commit.as_str()).collect();
        rows.extend(
            r.findings
                .iter()
                .filter(|f| !decided.contains(f.commit.as_str()) || self.findings_only)
                .map(AuditRow::Finding),
        );
        rows
    }

    /// The draft of the selected row.
    fn selected_draft(&self) -> Option<String> {
        match self.rows().get(self.sel) {
            Some(AuditRow::Decision(e)) => Some(e.draft.clone()),
            Some(AuditRow::Finding(f)) => match &self.report {
                Some(Ok(r)) => r
                    .trail
                    .iter()
                    .find(|e| e.commit == f.commit)
                    .map(|e| e.draft.clone()),
                _ => None,
            },
            None => None,
        }
    }
}

impl Component for AuditScreen {
    fn scope(&self) -> Scope {
        Scope::Audit
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        let page = sh.page() as isize;
        let mut go = |delta: isize| self.sel = step(self.sel, delta, self.rows().len());
        match cmd {
            Command::Up => go(-1),
            Command::Down => go(1),
            Command::PageUp => go(-page),
            Command::PageDown => go(page),
            Command::Top => go(isize::MIN / 2),
            Command::Bottom => go(isize::MAX / 2),
            Command::Open => {
                if let Some(id) = self.selected_draft() {
                    sh.ask(Up::OpenDraftId(id));
                }
            }
            Command::Back => sh.ask(Up::Back),
            Command::FindingsOnly => {
                self.findings_only = !self.findings_only;
                self.sel = 0;
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme) {
        let l = sh.lang;
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
        let report = match &self.report {
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
            if self.findings_only {
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
        let rows = self.rows();
        let height = (inner.y + inner.height).saturating_sub(y + 2) as usize;
        let offset = list_offset(self.sel, height);
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
            if k == self.sel {
                line = line.style(selected(theme));
            }
            f.render_widget(
                line,
                Rect::new(inner.x, y + (k - offset) as u16, inner.width, 1),
            );
        }
        // The selected decision's findings, in plain words.
        if let Some(AuditRow::Decision(e)) = rows.get(self.sel) {
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
}
