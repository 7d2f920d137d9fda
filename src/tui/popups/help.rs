//! Key help, made from the keymap: the current screen's keys and the
//! global ones as a table, then every popup's keys. Closed by any key.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph};

use crate::i18n::{Lang, Msg};
use crate::model::text::{display_width, pad};
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
        lines.push(Line::raw(format!(
            "{} {}",
            pad(&keys(b), 21),
            b.describe(lang)
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
                lines.push(Line::raw(line));
                line = format!("  {item}");
            } else {
                line.push_str(sep);
                line.push_str(&item);
            }
            first = false;
        }
        lines.push(Line::raw(line));
    }
    lines
}

impl Component for HelpPopup {
    fn scope(&self) -> Scope {
        Scope::Help
    }

    fn on_command(&mut self, _cmd: Command, sh: &mut Shared) -> Outcome {
        sh.ask(Up::Close);
        Outcome::Consumed
    }

    fn on_key(&mut self, _key: &KeyEvent, sh: &mut Shared) -> Outcome {
        sh.ask(Up::Close);
        Outcome::Consumed
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, _theme: &Theme) {
        let w = WIDTH.min(area.width.saturating_sub(2));
        let lines = help_lines(
            &sh.keymap,
            self.screen,
            sh.lang,
            w.saturating_sub(2) as usize,
        );
        let h = (lines.len() as u16 + 2).min(area.height);
        let r = centered(area, WIDTH, h);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(lines)
                .block(Block::bordered().title(format!(" {} ", sh.lang.t(Msg::Help)))),
            r,
        );
    }
}
