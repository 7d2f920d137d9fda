//! Key help, made from the keymap: the current screen's keys and the
//! global ones as a table, then every popup's keys. Scrolled by the
//! moving keys; what does not fit is announced in the frame, never cut
//! silently.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::i18n::{Lang, Msg};
use crate::model::text::{display_width, pad, truncate};
use crate::tui::chrome::centered;
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::keymap::{Binding, Command, Keymap, Scope, pretty_key};
use crate::tui::theme::Theme;

/// Width of the help popup.
const WIDTH: u16 = 64;

/// The help popup, over the screen whose keys it lists.
#[derive(Debug, Clone)]
pub struct HelpPopup {
    /// The screen's scope.
    pub screen: Scope,
    /// The first line shown.
    pub scroll: usize,
}

impl HelpPopup {
    /// Help for the keys of `screen`, from the top.
    pub fn new(screen: Scope) -> HelpPopup {
        HelpPopup { screen, scroll: 0 }
    }

    /// The lines, the popup's rectangle and how many lines show in it.
    fn layout(&self, area: Rect, sh: &Shared) -> (Vec<Line<'static>>, Rect, usize) {
        let w = WIDTH.min(area.width.saturating_sub(2));
        let lines = help_lines(
            &sh.keymap,
            self.screen,
            sh.lang,
            w.saturating_sub(2) as usize,
        );
        let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX);
        let r = centered(area, WIDTH, h);
        let rows = r.height.saturating_sub(2) as usize;
        (lines, r, rows)
    }
}

fn keys(b: &Binding) -> String {
    b.keys
        .iter()
        .map(|k| pretty_key(k))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The help's lines for the keys of `screen`, popups included, in
/// `width` columns.
pub fn help_lines(keymap: &Keymap, screen: Scope, lang: Lang, width: usize) -> Vec<Line<'static>> {
    let mut lines = vec![Line::styled(
        format!(
            "{} {}",
            pad(lang.t(Msg::KeyCol), 21),
            lang.t(Msg::ActionCol)
        ),
        Style::default().add_modifier(Modifier::BOLD),
    )];
    for b in keymap.for_scope(screen) {
        lines.push(Line::raw(truncate(
            &format!("{} {}", pad(&keys(b), 21), b.describe(lang)),
            width,
        )));
    }
    lines.push(Line::raw(""));
    // Each popup's keys on as few lines as fit: "Name: key what · key what".
    for scope in Scope::ALL.into_iter().filter(|s| s.is_popup()) {
        let mut line = format!("{}:", scope.describe(lang));
        let mut first = true;
        for b in keymap.of_scope(scope) {
            let item = format!("{} {}", keys(b), b.describe(lang));
            let sep = if first { " " } else { " · " };
            if display_width(&line) + display_width(sep) + display_width(&item) > width && !first {
                lines.push(Line::raw(truncate(&line, width)));
                line = format!("  {item}");
            } else {
                line.push_str(sep);
                line.push_str(&item);
            }
            first = false;
        }
        lines.push(Line::raw(truncate(&line, width)));
    }
    lines
}

impl Component for HelpPopup {
    fn scope(&self) -> Scope {
        Scope::Help
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        let area = Rect::new(0, 0, sh.size.0, sh.size.1);
        let (lines, _, rows) = self.layout(area, sh);
        let last = lines.len().saturating_sub(rows);
        let page = rows.saturating_sub(1).max(1);
        self.scroll = match cmd {
            Command::Down => self.scroll + 1,
            Command::Up => self.scroll.saturating_sub(1),
            Command::PageDown => self.scroll + page,
            Command::PageUp => self.scroll.saturating_sub(page),
            Command::Top => 0,
            Command::Bottom => last,
            _ => {
                sh.ask(Up::Close);
                self.scroll
            }
        }
        .min(last);
        Outcome::Consumed
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, _theme: &Theme) {
        let (lines, r, rows) = self.layout(area, sh);
        let top = self.scroll.min(lines.len().saturating_sub(rows));
        let below = lines.len().saturating_sub(top + rows);
        let l = sh.lang;
        let mut title = format!(" {} ", l.t(Msg::Help));
        if top > 0 {
            title.push_str("↑ … ");
        }
        let mut block = Block::bordered().title(title);
        if below > 0 {
            let more = match l {
                Lang::Vi => format!(" … còn {below} dòng: ↓ PgDn "),
                Lang::En => format!(" … {below} more lines: ↓ PgDn "),
            };
            block = block.title_bottom(more);
        }
        let shown: Vec<Line<'static>> = lines.into_iter().skip(top).take(rows).collect();
        f.render_widget(Clear, r);
        f.render_widget(Paragraph::new(shown).block(block), r);
    }
}
