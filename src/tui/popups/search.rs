//! The search popup: typing filters the list as you go (accent-free);
//! it draws nothing of its own, the list's header shows the text.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::editor::Editor;
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;

/// Typing a search.
#[derive(Debug, Clone)]
pub struct SearchPopup {
    /// The search text.
    pub editor: Editor,
}

impl SearchPopup {
    /// Goes on editing `text`, the cursor at its end.
    pub fn new(text: String, sh: &mut Shared) -> SearchPopup {
        let mut editor = Editor::new(false);
        editor.insert(&text);
        sh.ask(Up::Search(text, true));
        SearchPopup { editor }
    }
}

impl Component for SearchPopup {
    fn scope(&self) -> Scope {
        Scope::Search
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        match cmd {
            Command::Cancel => {
                self.editor = Editor::new(false);
                sh.ask(Up::Search(String::new(), false));
                sh.ask(Up::Close);
            }
            Command::Confirm => {
                sh.ask(Up::Search(self.editor.text.clone(), false));
                sh.ask(Up::Close);
            }
            _ => {}
        }
        Outcome::Consumed
    }

    fn on_key(&mut self, key: &KeyEvent, sh: &mut Shared) -> Outcome {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        self.editor.edit_key(key.code, ctrl);
        sh.ask(Up::Search(self.editor.text.clone(), true));
        Outcome::Consumed
    }

    fn on_paste(&mut self, text: &str, sh: &mut Shared) {
        self.editor.insert(text);
        sh.ask(Up::Search(self.editor.text.clone(), true));
    }

    fn draw(&self, _f: &mut Frame<'_>, _area: Rect, _sh: &Shared, _theme: &Theme) {}
}
