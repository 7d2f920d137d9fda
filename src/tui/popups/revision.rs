//! The new revision popup: after the editor changed a draft, the message
//! of the revision to commit (warning when it makes an approval stale).

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::i18n::Lang;
use crate::model::Status;
use crate::tui::chrome::centered;
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::editor::Editor;
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;
use crate::tui::worker::Job;

/// The message of a new revision.
#[derive(Debug, Clone)]
pub struct RevisionPopup {
    /// The draft.
    pub id: String,
    /// The new text.
    pub text: String,
    /// Whether the draft is approved (the revision makes that stale).
    pub approved: bool,
    /// The message.
    pub message: Editor,
}

impl RevisionPopup {
    /// Asks for the message of `text` as the next revision of draft `id`.
    pub fn new(id: String, text: String, approved: bool) -> RevisionPopup {
        RevisionPopup {
            id,
            text,
            approved,
            message: Editor::new(false),
        }
    }
}

impl Component for RevisionPopup {
    fn scope(&self) -> Scope {
        Scope::Revision
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        match cmd {
            Command::Cancel => sh.ask(Up::Close),
            Command::Confirm if !self.message.text.trim().is_empty() => {
                sh.send(Job::Revise(
                    self.id.clone(),
                    self.text.clone(),
                    self.message.text.trim().to_string(),
                ));
                sh.ask(Up::Close);
            }
            _ => {}
        }
        Outcome::Consumed
    }

    fn on_key(&mut self, key: &KeyEvent, _sh: &mut Shared) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        self.message.edit_key(key.code, ctrl);
        Outcome::Consumed
    }

    fn on_paste(&mut self, text: &str, _sh: &mut Shared) {
        self.message.insert(text);
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme) {
        let r = centered(area, 76, if self.approved { 7 } else { 5 });
        f.render_widget(Clear, r);
        let hint = sh.keymap.hint(Scope::Revision, sh.lang, ", ");
        let id = &self.id;
        let title = match sh.lang {
            Lang::Vi => format!(" Ghi bản sửa mới của {id} ({hint}) "),
            Lang::En => format!(" New revision of {id} ({hint}) "),
        };
        let mut lines = Vec::new();
        if self.approved {
            lines.push(Line::styled(
                match sh.lang {
                    Lang::Vi => {
                        "Dự thảo đã được duyệt: ghi bản sửa này sẽ làm quyết định duyệt hết hiệu lực."
                    }
                    Lang::En => "This draft is approved: this revision makes the approval stale.",
                },
                theme.status(Status::ChangedAfterApproval),
            ));
        }
        let label = match sh.lang {
            Lang::Vi => "Nội dung sửa đổi",
            Lang::En => "What changed",
        };
        lines.push(Line::raw(format!("{label}: {}▏", self.message.text)));
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(title)),
            r,
        );
    }
}
