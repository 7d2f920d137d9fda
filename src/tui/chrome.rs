//! The frame around the screens: the header line, the status bar, the
//! "terminal too small" message, and layout helpers the components share.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::component::Shared;
use super::keymap::{Command, Scope, pretty_key};
use super::theme::Theme;
use crate::i18n::{Lang, Msg};
use crate::model::Count;
use crate::model::safe::for_screen as sc;
use crate::model::text::{display_width, truncate};

/// The smallest terminal drawn.
pub const MIN_W: u16 = 50;
/// The smallest terminal drawn.
pub const MIN_H: u16 = 12;

/// First visible row of a list of `height` rows with `selected` in view.
pub fn list_offset(selected: usize, height: usize) -> usize {
    if height == 0 {
        0
    } else {
        selected.saturating_sub(height - 1)
    }
}

/// A `w`×`h` rectangle in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

/// Moves `cur` by `delta` within `0..len`.
pub fn step(cur: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize
}

/// The selected row's style.
pub fn selected(theme: &Theme) -> Style {
    Style::default()
        .bg(theme.selection)
        .add_modifier(Modifier::BOLD)
}

/// What the worker is doing, for the header.
#[derive(Debug, Clone, Copy)]
pub struct Busy {
    /// Jobs in flight.
    pub pending: usize,
    /// The long walk under way, and how far it got.
    pub progress: Option<(&'static str, Count)>,
}

/// The header: the program's name, the screen's own spans, and the
/// worker's progress.
pub fn draw_header(
    f: &mut Frame<'_>,
    area: Rect,
    screen: Vec<Span<'static>>,
    busy: Busy,
    sh: &Shared,
    theme: &Theme,
) {
    let mut spans = vec![Span::styled(
        " duyet ",
        Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
    )];
    spans.extend(screen);
    if busy.pending > 0 {
        let detail = match busy.progress {
            Some((what, c)) => {
                let label = sh.lang.t(if what == "index" {
                    Msg::Indexing
                } else {
                    Msg::Auditing
                });
                let commits = sh.lang.t(Msg::Commits);
                match (c.total, c.percent()) {
                    (Some(t), Some(p)) => format!(" {label}: {}/{t} {commits} ({p}%)", c.done),
                    _ => format!(" {label}: {} {commits}", c.done),
                }
            }
            None => String::new(),
        };
        spans.push(Span::styled(
            format!("  ⟳ {}{detail}", sh.lang.t(Msg::Loading)),
            Style::default().fg(theme.pending),
        ));
    }
    f.render_widget(Line::from(fit(spans, area.width as usize)), area);
}

/// `spans` cut to `width` columns, the last shown one ending in `…` when
/// anything was cut.
pub fn fit<'a>(spans: Vec<Span<'a>>, width: usize) -> Vec<Span<'a>> {
    let total: usize = spans.iter().map(|s| display_width(&s.content)).sum();
    if total <= width {
        return spans;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = display_width(&s.content);
        if used + w < width {
            used += w;
            out.push(s);
            continue;
        }
        // This span holds the last column: cut it there.
        let cut = truncate(&s.content, width - used);
        let cut = if cut.ends_with('…') {
            cut
        } else {
            truncate(&format!("{cut}……"), width - used)
        };
        out.push(Span::styled(cut, s.style));
        break;
    }
    out
}

/// The status bar: the message, else the keys of `scope` marked for the bar.
pub fn draw_bar(f: &mut Frame<'_>, area: Rect, scope: Scope, sh: &Shared, theme: &Theme) {
    if let Some((msg, err)) = &sh.message {
        let style = if *err {
            Style::default()
                .fg(theme.returned)
                .add_modifier(Modifier::BOLD)
        } else {
            Style::default().fg(theme.approved)
        };
        let mut spans = Vec::new();
        let mut room = area.width as usize;
        if *err {
            // An error stays until dismissed: say with which key.
            let key = sh
                .keymap
                .of_scope(Scope::Global)
                .find(|b| b.command == Command::Dismiss)
                .and_then(|b| b.keys.first())
                .map(|k| pretty_key(k))
                .unwrap_or_default();
            let word = match sh.lang {
                Lang::Vi => "bỏ qua",
                Lang::En => "dismiss",
            };
            let key = format!(" {key} ");
            let word = format!(" {word} ");
            room = room.saturating_sub(display_width(&key) + display_width(&word));
            spans.push(Span::styled(
                key,
                Style::default().add_modifier(Modifier::REVERSED),
            ));
            spans.push(Span::raw(word));
        }
        spans.push(Span::styled(truncate(&sc(msg), room), style));
        f.render_widget(Line::from(spans), area);
        return;
    }
    // Whole "key what" pairs while they fit; "…" says some are left out.
    let pairs: Vec<(String, String)> = sh
        .keymap
        .for_scope(scope)
        .filter(|b| b.bar)
        .map(|b| {
            let key = b.keys.first().map(|k| pretty_key(k)).unwrap_or_default();
            (format!(" {key} "), format!(" {} ", b.describe(sh.lang)))
        })
        .collect();
    let width = area.width as usize;
    let mut used = 0;
    let mut spans = Vec::new();
    for (i, (key, what)) in pairs.iter().enumerate() {
        let w = display_width(key) + display_width(what);
        let room = if i + 1 == pairs.len() {
            width
        } else {
            width.saturating_sub(1)
        };
        if used + w > room {
            spans.push(Span::styled("…", Style::default().fg(theme.dim)));
            break;
        }
        used += w;
        spans.push(Span::styled(
            key.clone(),
            Style::default().add_modifier(Modifier::REVERSED),
        ));
        spans.push(Span::raw(what.clone()));
    }
    f.render_widget(Line::from(spans), area);
}
