//! A small text editor for comments and passphrases: grapheme-aware
//! cursor, composed and pasted Vietnamese text, several lines.

use ratatui::crossterm::event::KeyCode;
use unicode_segmentation::UnicodeSegmentation;

/// Editable text with a cursor (a byte index on a grapheme boundary).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    /// The text.
    pub text: String,
    /// Cursor position in bytes.
    pub cursor: usize,
    /// Whether Enter inserts a line break.
    pub multiline: bool,
}

impl Editor {
    /// An empty editor.
    pub fn new(multiline: bool) -> Self {
        Editor {
            multiline,
            ..Editor::default()
        }
    }

    /// Inserts text at the cursor (typed, composed or pasted).
    pub fn insert(&mut self, s: &str) {
        let s = if self.multiline {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s.replace(['\r', '\n'], " ")
        };
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    /// Deletes the grapheme before the cursor.
    pub fn backspace(&mut self) {
        if let Some((i, _)) = self.text[..self.cursor].grapheme_indices(true).next_back() {
            self.text.replace_range(i..self.cursor, "");
            self.cursor = i;
        }
    }

    /// Applies an editing key (Backspace, ←, →, a typed character without
    /// Ctrl); other keys are left to the caller's layer.
    pub fn edit_key(&mut self, code: KeyCode, ctrl: bool) {
        match code {
            KeyCode::Backspace => self.backspace(),
            KeyCode::Left => self.left(),
            KeyCode::Right => self.right(),
            KeyCode::Char(c) if !ctrl => self.insert(c.encode_utf8(&mut [0; 4])),
            _ => {}
        }
    }

    /// Moves the cursor one grapheme left.
    pub fn left(&mut self) {
        if let Some((i, _)) = self.text[..self.cursor].grapheme_indices(true).next_back() {
            self.cursor = i;
        }
    }

    /// Moves the cursor one grapheme right.
    pub fn right(&mut self) {
        if let Some(g) = self.text[self.cursor..].graphemes(true).next() {
            self.cursor += g.len();
        }
    }

    /// The text before the cursor's line break and the cursor's (line, byte in line).
    pub fn cursor_line_col(&self) -> (usize, usize) {
        let before = &self.text[..self.cursor];
        let line = before.matches('\n').count();
        let col = before
            .rfind('\n')
            .map(|i| self.cursor - i - 1)
            .unwrap_or(self.cursor);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backspace_removes_a_whole_grapheme() {
        let mut e = Editor::new(true);
        e.insert("Tra\u{300}ng"); // combining grave
        e.left();
        e.left();
        e.backspace();
        assert_eq!(e.text, "Trng");
        e.insert("ả");
        assert_eq!(e.text, "Trảng");
        e.insert("\r\nX");
        assert_eq!(e.text, "Trả\nXng");
        assert_eq!(e.cursor_line_col(), (1, 1));
    }
}
