//! A long message (a refused sync, a failed revision), closed by any key.

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::model::Status;
use crate::tui::chrome::centered;
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;

/// A long message.
#[derive(Debug, Clone)]
pub struct NoticePopup {
    /// The message.
    pub text: String,
}

impl Component for NoticePopup {
    fn scope(&self) -> Scope {
        Scope::Notice
    }

    fn on_command(&mut self, _cmd: Command, sh: &mut Shared) -> Outcome {
        sh.ask(Up::Close);
        Outcome::Consumed
    }

    fn on_key(&mut self, _key: &KeyEvent, sh: &mut Shared) -> Outcome {
        sh.ask(Up::Close);
        Outcome::Consumed
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, _sh: &Shared, theme: &Theme) {
        // Rows once wrapped (a row more for a wrapped line: words
        // do not fill rows exactly).
        let inner = usize::from(area.width.saturating_sub(6)).max(1);
        let rows: usize = self
            .text
            .lines()
            .map(|l| match unicode_width::UnicodeWidthStr::width(l) {
                w if w > inner => w.div_ceil(inner) + 1,
                _ => 1,
            })
            .sum();
        let h = (u16::try_from(rows).unwrap_or(u16::MAX).saturating_add(2)).min(area.height);
        let r = centered(area, area.width.saturating_sub(4), h);
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(self.text.clone())
                .wrap(Wrap { trim: false })
                .block(Block::bordered().border_style(theme.status(Status::Returned))),
            r,
        );
    }
}
