//! The diff pane of the draft screen: the compared pair's diff, unified or
//! side by side, wrapped or scrolled, with a cursor and reviewers' notes.
//! It owns the pure text layout (clipping, wrapping, gutters).

use std::collections::HashMap;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use unicode_segmentation::UnicodeSegmentation;

use crate::diff::{DraftDiff, LineKind, Segment, SideRow};
use crate::i18n::Msg;
use crate::model::Note;
use crate::model::safe::for_screen as sc;
use crate::model::text::{display_width, slice_columns};
use crate::tui::chrome::step;
use crate::tui::component::Shared;
use crate::tui::theme::Theme;

/// The diff pane's state.
#[derive(Debug, Clone)]
pub struct DiffPane {
    /// The diff of the compared pair, once computed.
    pub diff: Option<Arc<DraftDiff>>,
    /// Rows of the side-by-side layout.
    pub side_rows: Vec<SideRow>,
    /// Cursor row in the diff.
    pub cursor: usize,
    /// First visible diff row.
    pub scroll: usize,
    /// Horizontal scroll in columns.
    pub hscroll: usize,
    /// Side by side instead of unified.
    pub side_by_side: bool,
    /// Wrap long lines (else scroll horizontally).
    pub wrap: bool,
}

impl Default for DiffPane {
    fn default() -> Self {
        DiffPane {
            diff: None,
            side_rows: Vec::new(),
            cursor: 0,
            scroll: 0,
            hscroll: 0,
            side_by_side: false,
            wrap: true,
        }
    }
}

/// What the draft screen tells the pane when drawing it.
#[derive(Debug, Clone, Copy)]
pub struct PaneView<'a> {
    /// Notes of the compared revisions.
    pub notes: &'a LineNotes<'a>,
    /// Whether the pane has the focus (the cursor shows).
    pub focused: bool,
    /// Why there is no diff, if it failed.
    pub error: Option<&'a str>,
}

impl DiffPane {
    /// A new diff: the cursor goes to its first change.
    pub fn set(&mut self, d: Arc<DraftDiff>) {
        self.side_rows = d.side_by_side();
        self.cursor = d.changes.first().copied().unwrap_or(0);
        if self.side_by_side {
            self.cursor = side_row_of(&self.side_rows, self.cursor);
        }
        self.scroll = self.cursor.saturating_sub(3);
        self.diff = Some(d);
    }

    /// Number of diff rows in the current layout.
    pub fn row_count(&self) -> usize {
        match (&self.diff, self.side_by_side) {
            (Some(_), true) => self.side_rows.len(),
            (Some(d), false) => d.lines.len(),
            (None, _) => 0,
        }
    }

    /// Index into `diff.lines` of the row's (left, right) sides.
    pub fn row_lines(&self, row: usize) -> (Option<usize>, Option<usize>) {
        if self.side_by_side {
            self.side_rows
                .get(row)
                .map(|r| (r.left, r.right))
                .unwrap_or((None, None))
        } else {
            (Some(row), Some(row))
        }
    }

    /// Moves the cursor by `delta` rows, scrolling a page of `page` rows.
    pub fn move_cursor(&mut self, delta: isize, page: usize) {
        self.cursor = step(self.cursor, delta, self.row_count());
        if self.cursor < self.scroll {
            self.scroll = self.cursor;
        } else if self.cursor >= self.scroll + page {
            self.scroll = self.cursor + 1 - page;
        }
    }

    /// Moves the cursor to the next (or previous) change; false if none.
    pub fn jump_change(&mut self, forward: bool) -> bool {
        let Some(d) = &self.diff else { return false };
        let rows: Vec<usize> = if self.side_by_side {
            d.changes
                .iter()
                .map(|&c| side_row_of(&self.side_rows, c))
                .collect()
        } else {
            d.changes.clone()
        };
        let target = if forward {
            rows.iter().copied().find(|&r| r > self.cursor)
        } else {
            rows.iter().rev().copied().find(|&r| r < self.cursor)
        };
        match target {
            Some(t) => {
                self.cursor = t;
                self.scroll = t.saturating_sub(3);
                true
            }
            None => false,
        }
    }

    /// Switches unified / side by side, keeping the cursor's line.
    pub fn toggle_layout(&mut self) {
        let (l, r) = self.row_lines(self.cursor);
        self.side_by_side = !self.side_by_side;
        self.cursor = if self.side_by_side {
            side_row_of(&self.side_rows, l.or(r).unwrap_or(0))
        } else {
            l.or(r).unwrap_or(0)
        };
        self.scroll = self.cursor.saturating_sub(3);
    }

    /// Moves the cursor to the line numbered `line` in the new revision;
    /// false if no such line is shown.
    pub fn go_to_new_line(&mut self, line: usize) -> bool {
        let Some(d) = &self.diff else { return false };
        let Some(i) = d
            .lines
            .iter()
            .position(|l| l.new == Some(line) && l.kind != LineKind::Delete)
        else {
            return false;
        };
        self.cursor = if self.side_by_side {
            side_row_of(&self.side_rows, i)
        } else {
            i
        };
        self.scroll = self.cursor.saturating_sub(3);
        true
    }

    /// The new revision's line number under the cursor, if any.
    pub fn cursor_new_line(&self) -> Option<usize> {
        let d = self.diff.as_ref()?;
        let (l, r) = self.row_lines(self.cursor);
        [r, l]
            .into_iter()
            .flatten()
            .filter_map(|i| d.lines.get(i))
            .find(|x| x.kind != LineKind::Delete)
            .and_then(|x| x.new)
    }

    /// Draws the diff in `area`, with `notes` beside their lines; the cursor
    /// shows when the pane has the focus. `error` replaces a diff not loaded.
    pub fn draw(
        &self,
        f: &mut Frame<'_>,
        area: Rect,
        view: PaneView<'_>,
        sh: &Shared,
        theme: &Theme,
    ) {
        let v = self;
        let PaneView {
            notes,
            focused,
            error,
        } = view;
        let Some(d) = &v.diff else {
            let text = error
                .map(str::to_string)
                .unwrap_or_else(|| sh.lang.t(Msg::Loading).to_string());
            f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
            return;
        };
        let mut y = area.y;
        for n in &d.notices {
            let msg = match n {
                crate::diff::Notice::SameText => sh.lang.t(Msg::SameTextNormalForm),
                crate::diff::Notice::Normalized => sh.lang.t(Msg::Normalized),
                crate::diff::Notice::LineEndings => sh.lang.t(Msg::LineEndings),
            };
            f.render_widget(
                Line::styled(format!("ℹ {msg}"), Style::default().fg(theme.revised)),
                Rect::new(area.x, y, area.width, 1),
            );
            y += 1;
        }
        if d.lines.is_empty() {
            f.render_widget(
                Line::raw(sh.lang.t(Msg::NoChanges)),
                Rect::new(area.x, y, area.width, 1),
            );
            return;
        }
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
            .map(|r| row_lines(v, notes, r, width, focused, theme).len())
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
            screen.extend(row_lines(v, notes, row, width, focused, theme));
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
}

/// The side-by-side row that shows unified line `line`.
pub fn side_row_of(rows: &[SideRow], line: usize) -> usize {
    rows.iter()
        .position(|r| r.left == Some(line) || r.right == Some(line))
        .unwrap_or(0)
}

/// Line notes of the compared revisions, by line number on each side.
#[derive(Debug, Default)]
pub struct LineNotes<'a> {
    /// Notes on the old revision.
    pub old: HashMap<usize, &'a Note>,
    /// Notes on the new revision.
    pub new: HashMap<usize, &'a Note>,
}

impl LineNotes<'_> {
    /// The note shown beside `line`, if any: a note on the old revision
    /// follows its line into the new one as long as the line is unchanged.
    pub fn get(&self, line: &crate::diff::Line) -> Option<&Note> {
        let old = line
            .old
            .filter(|_| line.kind != LineKind::Insert)
            .and_then(|o| self.old.get(&o));
        let new = line
            .new
            .filter(|_| line.kind != LineKind::Delete)
            .and_then(|n| self.new.get(&n));
        old.or(new).copied()
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
    v: &DiffPane,
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
    v: &DiffPane,
    notes: &LineNotes<'_>,
    row: usize,
    width: usize,
    focused: bool,
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
    if row == v.cursor && focused {
        out = out
            .into_iter()
            .map(|l| l.style(Style::default().bg(theme.selection)))
            .collect();
    }
    out
}
