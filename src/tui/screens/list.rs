//! The drafts list: filter, sort, search, the selected draft's preview,
//! and the verified marks from the audit.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use crate::i18n::{Lang, Msg};
use crate::model::safe::for_screen as sc;
use crate::model::text::{collation_key, display_width, fold_search, pad};
use crate::model::{Decision, DraftSummary, Status};
use crate::ops::read::StatusFilter;
use crate::repo::DraftStats;
use crate::tui::chrome::{list_offset, selected, step};
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;

/// Height of the preview under the list.
const PREVIEW_H: u16 = 9;

/// Which drafts the list shows (the same filter as `duyet list --status`).
pub type Filter = StatusFilter;

/// List order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest change first.
    Age,
    /// By title, Vietnamese collation.
    Title,
}

/// The drafts list's state.
#[derive(Debug, Clone)]
pub struct ListScreen {
    /// Drafts at HEAD.
    pub drafts: Vec<DraftSummary>,
    /// Drafts that could not be read.
    pub problems: Vec<String>,
    folded: Vec<String>,
    title_keys: Vec<(Vec<u32>, Vec<u32>, Vec<bool>)>,
    /// Counts and ages, once loaded.
    pub stats: Option<HashMap<String, DraftStats>>,
    /// Status filter.
    pub filter: Filter,
    /// Sort order.
    pub sort: Sort,
    /// Search text.
    pub search: String,
    /// Whether the search popup is open (the header shows a cursor).
    pub searching: bool,
    /// Visible drafts (indices into `drafts`), filtered and sorted.
    pub rows: Vec<usize>,
    /// Selected row.
    pub selected: usize,
    /// Whether the list has been loaded once.
    pub loaded: bool,
    /// Whether each draft's latest decision verified, by draft id.
    pub draft_verified: HashMap<String, bool>,
}

impl Default for ListScreen {
    fn default() -> Self {
        ListScreen {
            drafts: Vec::new(),
            problems: Vec::new(),
            folded: Vec::new(),
            title_keys: Vec::new(),
            stats: None,
            filter: Filter::Waiting,
            sort: Sort::Age,
            search: String::new(),
            searching: false,
            rows: Vec::new(),
            selected: 0,
            loaded: false,
            draft_verified: HashMap::new(),
        }
    }
}

/// Where the list's rows are drawn for a terminal of `size` (for mouse clicks).
pub fn rows_area(size: (u16, u16)) -> Rect {
    let body = Rect::new(0, 1, size.0, size.1.saturating_sub(2));
    let list_h = body.height.saturating_sub(PREVIEW_H);
    // one line of column titles
    Rect::new(0, body.y + 1, size.0, list_h.saturating_sub(1))
}

impl ListScreen {
    /// The selected draft.
    pub fn selected_draft(&self) -> Option<&DraftSummary> {
        self.rows
            .get(self.selected)
            .and_then(|&i| self.drafts.get(i))
    }

    /// The draft with this id at HEAD.
    pub fn find(&self, id: &str) -> Option<&DraftSummary> {
        self.drafts.iter().find(|d| d.id == id)
    }

    /// A new listing from the worker.
    pub fn loaded(&mut self, drafts: Vec<DraftSummary>, problems: Vec<String>) {
        // Search and title keys are made when first needed: the first
        // frame of a long list does not wait for them.
        self.folded.clear();
        self.title_keys.clear();
        self.drafts = drafts;
        self.problems = problems;
        self.loaded = true;
        self.recompute_rows();
    }

    /// Counts and ages from the worker.
    pub fn stats_loaded(&mut self, s: HashMap<String, DraftStats>) {
        let first = self.stats.is_none();
        self.stats = Some(s);
        self.recompute_rows();
        if first {
            self.selected = 0;
        }
    }

    /// The verified marks from an audit's verdicts (none: no audit).
    pub fn mark(&mut self, verdicts: Option<&crate::audit::Verdicts>) {
        self.draft_verified = match verdicts {
            Some(v) => {
                // The mark belongs to the commit that wrote the review.toml
                // now at HEAD (the same verdicts as `duyet list`).
                let mut drafts = self.drafts.clone();
                crate::audit::mark_with(Some(v), &mut drafts);
                drafts
                    .into_iter()
                    .filter_map(|d| Some((d.id, d.verified?)))
                    .collect()
            }
            None => HashMap::new(),
        };
    }

    /// The search text changed.
    pub fn set_search(&mut self, text: String, open: bool) {
        self.search = text;
        self.searching = open;
        self.recompute_rows();
    }

    /// A click on screen row `row`.
    pub fn click(&mut self, row: u16, size: (u16, u16)) {
        let area = rows_area(size);
        if row >= area.y && row < area.y + area.height {
            let offset = list_offset(self.selected, area.height as usize);
            let row = offset + (row - area.y) as usize;
            if row < self.rows.len() {
                self.selected = row;
            }
        }
    }

    fn recompute_rows(&mut self) {
        let keep_id = self.selected_draft().map(|d| d.id.clone());
        let needle = fold_search(self.search.trim());
        if !needle.is_empty() && self.folded.len() != self.drafts.len() {
            self.folded = self
                .drafts
                .iter()
                .map(|d| fold_search(&format!("{} {}", d.meta.title, d.id)))
                .collect();
        }
        if self.sort == Sort::Title && self.title_keys.len() != self.drafts.len() {
            self.title_keys = self
                .drafts
                .iter()
                .map(|d| collation_key(&d.meta.title))
                .collect();
        }
        let mut rows: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| self.filter.keeps(self.drafts[i].status))
            .filter(|&i| needle.is_empty() || self.folded[i].contains(&needle))
            .collect();
        match self.sort {
            Sort::Title => rows.sort_by(|&a, &b| self.title_keys[a].cmp(&self.title_keys[b])),
            Sort::Age => {
                let age = |i: usize| {
                    self.stats
                        .as_ref()
                        .and_then(|s| s.get(&self.drafts[i].id))
                        .map(|s| s.last_change.seconds)
                        .unwrap_or(i64::MIN)
                };
                rows.sort_by(|&a, &b| age(b).cmp(&age(a)).then(a.cmp(&b)));
            }
        }
        self.rows = rows;
        self.selected = keep_id
            .and_then(|id| self.rows.iter().position(|&i| self.drafts[i].id == id))
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
    }

    fn move_sel(&mut self, delta: isize) {
        self.selected = step(self.selected, delta, self.rows.len());
    }

    fn filter_name(&self, lang: Lang) -> String {
        match self.filter {
            Filter::Waiting => lang.t(Msg::FilterWaiting).to_string(),
            Filter::All => lang.t(Msg::FilterAll).to_string(),
            Filter::Only(s) => lang.status(s).to_string(),
        }
    }

    /// The header's part for this screen: filter, counts, sort, search.
    pub fn header_spans(&self, lang: Lang) -> Vec<Span<'static>> {
        let sort = match self.sort {
            Sort::Age => lang.t(Msg::SortAge),
            Sort::Title => lang.t(Msg::SortTitle),
        };
        let mut spans = vec![Span::raw(format!(
            " {}: {} ({}/{})  {}: {}  ",
            lang.t(Msg::Filter),
            self.filter_name(lang),
            self.rows.len(),
            self.drafts.len(),
            match lang {
                Lang::Vi => "Sắp xếp",
                Lang::En => "Sort",
            },
            sort
        ))];
        if self.searching || !self.search.is_empty() {
            spans.push(Span::styled(
                format!("/{}{}", self.search, if self.searching { "▏" } else { "" }),
                Style::default().add_modifier(Modifier::BOLD),
            ));
        }
        spans
    }

    fn age(&self, id: &str, sh: &Shared) -> (String, String) {
        match self.stats.as_ref().and_then(|s| s.get(id)) {
            Some(s) => (
                s.revisions.to_string(),
                sh.lang.age(s.last_change.seconds, sh.now),
            ),
            None => ("…".to_string(), "…".to_string()),
        }
    }

    /// The status column: a decision shows as approved or returned only
    /// when it verified in the audit of HEAD; otherwise it says "not yet
    /// audited" or "invalid" (the same words as `duyet list`).
    fn status_span(
        &self,
        d: &DraftSummary,
        l: crate::i18n::Lang,
        width: usize,
        theme: &Theme,
    ) -> Span<'static> {
        let verified = self.draft_verified.get(&d.id).copied();
        let decided = matches!(d.status, Status::Approved | Status::Returned);
        if (decided && verified != Some(true)) || verified == Some(false) {
            let mark = if verified == Some(false) { "✗" } else { "?" };
            return Span::styled(
                pad(&format!("{mark} {}", l.unverified(verified)), width),
                theme.status(Status::Returned).add_modifier(Modifier::BOLD),
            );
        }
        Span::styled(
            pad(
                &format!("{} {}", d.status.symbol(), l.status(d.status)),
                width,
            ),
            theme.status(d.status),
        )
    }

    /// "✓" when the draft's latest decision verified in the audit, "✗" when
    /// it did not, " " when there is no decision or no audit yet.
    fn verified_mark(&self, d: &DraftSummary, theme: &Theme) -> (&'static str, Style) {
        if d.review.is_none() {
            return ("  ", Style::default());
        }
        match self.draft_verified.get(&d.id) {
            Some(true) => ("✓ ", Style::default().fg(theme.approved)),
            Some(false) => (
                "✗ ",
                theme.status(Status::Returned).add_modifier(Modifier::BOLD),
            ),
            None => ("  ", Style::default()),
        }
    }

    fn draw_preview(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme) {
        let block = Block::default()
            .borders(Borders::TOP)
            .border_style(Style::default().fg(theme.dim));
        let l = sh.lang;
        let Some(d) = self.selected_draft() else {
            f.render_widget(block, area);
            return;
        };
        let dim = Style::default().fg(theme.dim);
        let mut lines = vec![
            Line::from(vec![
                Span::styled(format!("{}: ", l.t(Msg::Kind)), dim),
                Span::raw(l.kind(d.meta.kind)),
                Span::styled(format!("   {}: ", l.t(Msg::Id)), dim),
                Span::raw(sc(&d.id).into_owned()),
                Span::styled(format!("   {}: ", l.t(Msg::Signer)), dim),
                Span::raw(sc(&d.meta.signer).into_owned()),
            ]),
            Line::from(vec![
                Span::styled(format!("{}: ", l.t(Msg::Title)), dim),
                Span::raw(sc(&d.meta.title).into_owned()),
            ]),
        ];
        match &d.review {
            None => lines.push(Line::styled(l.t(Msg::NoDecision), dim)),
            Some(r) => {
                let word = match r.decision {
                    Decision::Approved => l.t(Msg::Approved),
                    Decision::Returned => l.t(Msg::Returned),
                };
                let stale =
                    if d.status == Status::ChangedAfterApproval || d.status == Status::Revised {
                        match l {
                            Lang::Vi => "  (bản đã quyết định không còn là bản mới nhất)",
                            Lang::En => "  (the decided text is no longer the newest)",
                        }
                    } else {
                        ""
                    };
                // The same verdict as the list's mark, in words.
                let (seal, seal_style) = match self.draft_verified.get(&d.id) {
                    Some(true) => ("✓".to_string(), Style::default().fg(theme.approved)),
                    v => (
                        format!(
                            "{} {}",
                            if v.is_some() { "✗" } else { "?" },
                            l.unverified(v.copied())
                        ),
                        theme.status(Status::Returned).add_modifier(Modifier::BOLD),
                    ),
                };
                lines.push(Line::from(vec![
                    Span::styled(format!("{}: ", l.t(Msg::LatestDecision)), dim),
                    Span::styled(
                        word.to_string(),
                        Style::default().add_modifier(Modifier::BOLD),
                    ),
                    Span::raw(" "),
                    Span::styled(seal, seal_style),
                    Span::raw(format!(" — {}, {}", sc(&r.reviewer), sc(&r.time))),
                    Span::styled(stale, theme.status(d.status)),
                ]));
                // The comment keeps its line breaks, continued under its first line.
                let label = format!("{}: ", l.t(Msg::Comment));
                let indent = " ".repeat(crate::model::text::display_width(&label));
                for (k, part) in r.comment.trim_end().lines().enumerate() {
                    let lead = if k == 0 { &label } else { &indent };
                    lines.push(Line::raw(format!("{lead}{}", sc(part))));
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
}

impl Component for ListScreen {
    fn scope(&self) -> Scope {
        Scope::List
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        let page = sh.page() as isize;
        match cmd {
            Command::Up => self.move_sel(-1),
            Command::Down => self.move_sel(1),
            Command::PageUp => self.move_sel(-page),
            Command::PageDown => self.move_sel(page),
            Command::Top => self.move_sel(isize::MIN / 2),
            Command::Bottom => self.move_sel(isize::MAX / 2),
            Command::Search => sh.ask(Up::StartSearch(self.search.clone())),
            Command::Filter => {
                self.filter = self.filter.next();
                self.recompute_rows();
            }
            Command::Sort => {
                self.sort = match self.sort {
                    Sort::Age => Sort::Title,
                    Sort::Title => Sort::Age,
                };
                self.recompute_rows();
            }
            Command::Open => {
                if let Some(d) = self.selected_draft().cloned() {
                    sh.ask(Up::OpenDraft(d, false));
                }
            }
            Command::Approve | Command::Return => {
                if let Some(d) = self.selected_draft().cloned() {
                    let revision = self
                        .stats
                        .as_ref()
                        .and_then(|s| s.get(&d.id))
                        .map(|s| s.revisions);
                    let decision = if cmd == Command::Approve {
                        Decision::Approved
                    } else {
                        Decision::Returned
                    };
                    sh.ask(Up::Decide(decision, d, revision));
                }
            }
            Command::Edit => {
                if let Some(d) = self.selected_draft() {
                    sh.ask(Up::Edit(d.id.clone()));
                }
            }
            _ => return Outcome::Ignored,
        }
        Outcome::Consumed
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme) {
        let [list, preview] =
            Layout::vertical([Constraint::Min(2), Constraint::Length(PREVIEW_H)]).areas(area);
        let w = list.width as usize;
        let l = sh.lang;
        let status_w = Status::ALL
            .iter()
            .map(|s| display_width(l.status(*s)))
            .chain([Some(false), None].map(|v| display_width(l.unverified(v))))
            .max()
            .unwrap_or(10)
            + 2;
        let (unit_w, drafter_w, revs_w, age_w) = (8, 16, 7, 8);
        let title_w = w
            .saturating_sub(status_w + unit_w + drafter_w + revs_w + age_w + 9)
            .max(10);
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
        if self.loaded && self.rows.is_empty() {
            f.render_widget(
                Line::styled(
                    format!("  {}", l.t(Msg::NoDrafts)),
                    Style::default().fg(theme.dim),
                ),
                rows_area,
            );
        }
        let height = rows_area.height as usize;
        let offset = list_offset(self.selected, height);
        for (k, &i) in self.rows.iter().enumerate().skip(offset).take(height) {
            let d = &self.drafts[i];
            let (revs, ago) = self.age(&d.id, sh);
            let (mark, mark_style) = self.verified_mark(d, theme);
            let mut line = Line::from(vec![
                Span::styled(mark, mark_style),
                self.status_span(d, l, status_w, theme),
                Span::raw(format!(
                    " {} {} {} {} {}",
                    pad(&sc(&d.meta.title), title_w),
                    pad(&sc(&d.meta.unit), unit_w),
                    pad(&sc(&d.meta.drafter), drafter_w),
                    pad(&revs, revs_w),
                    pad(&ago, age_w)
                )),
            ]);
            if k == self.selected {
                line = line.style(selected(theme));
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
        self.draw_preview(f, preview, sh, theme);
    }
}
