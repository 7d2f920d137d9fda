//! The line note popup: a reviewer's note on a line of the newest
//! revision, kept for the next decision on the draft.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::i18n::Lang;
use crate::model::Note;
use crate::tui::chrome::centered;
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::editor::Editor;
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;

/// Typing a note for a line.
#[derive(Debug, Clone)]
pub struct NotePopup {
    /// The line (1-based, in the newest revision).
    pub line: usize,
    /// The note.
    pub editor: Editor,
}

impl NotePopup {
    /// An empty note on `line`.
    pub fn new(line: usize) -> NotePopup {
        NotePopup {
            line,
            editor: Editor::new(false),
        }
    }
}

impl Component for NotePopup {
    fn scope(&self) -> Scope {
        Scope::Note
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        match cmd {
            Command::Cancel => sh.ask(Up::Close),
            Command::Confirm => {
                sh.ask(Up::Close);
                let text = self.editor.text.trim().to_string();
                if !text.is_empty() {
                    sh.ask(Up::KeepNote(Note {
                        line: self.line,
                        text,
                    }));
                }
            }
            _ => {}
        }
        Outcome::Consumed
    }

    fn on_key(&mut self, key: &KeyEvent, _sh: &mut Shared) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        self.editor.edit_key(key.code, ctrl);
        Outcome::Consumed
    }

    fn on_paste(&mut self, text: &str, _sh: &mut Shared) {
        self.editor.insert(text);
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, _theme: &Theme) {
        let r = centered(area, 70, 5);
        f.render_widget(Clear, r);
        let hint = sh.keymap.hint(Scope::Note, sh.lang, ", ");
        let line = self.line;
        let title = match sh.lang {
            Lang::Vi => format!(" Ghi chú dòng {line} ({hint}) "),
            Lang::En => format!(" Note on line {line} ({hint}) "),
        };
        f.render_widget(
            Paragraph::new(format!("{}▏", self.editor.text))
                .wrap(Wrap { trim: false })
                .block(Block::bordered().title(title)),
            r,
        );
    }
}
