//! Colours of the TUI; every one can be changed in the config file.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Status;

/// The colours used on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    /// Pending drafts.
    pub pending: Color,
    /// Approved drafts.
    pub approved: Color,
    /// Returned drafts.
    pub returned: Color,
    /// Revised drafts.
    pub revised: Color,
    /// Changed after approval.
    pub changed: Color,
    /// Deleted lines.
    pub delete: Color,
    /// Inserted lines.
    pub insert: Color,
    /// Selection background.
    pub selection: Color,
    /// Borders and secondary text.
    pub dim: Color,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            pending: Color::Yellow,
            approved: Color::Green,
            returned: Color::Red,
            revised: Color::Cyan,
            changed: Color::Magenta,
            delete: Color::Red,
            insert: Color::Green,
            selection: Color::DarkGray,
            dim: Color::Gray,
        }
    }
}

impl Theme {
    /// Sets a colour by its config name; false when the name is unknown.
    pub fn set(&mut self, name: &str, color: Color) -> bool {
        let slot = match name {
            "pending" => &mut self.pending,
            "approved" => &mut self.approved,
            "returned" => &mut self.returned,
            "revised" => &mut self.revised,
            "changed" => &mut self.changed,
            "delete" => &mut self.delete,
            "insert" => &mut self.insert,
            "selection" => &mut self.selection,
            "dim" => &mut self.dim,
            _ => return false,
        };
        *slot = color;
        true
    }

    /// The style of a status badge.
    pub fn status(&self, s: Status) -> Style {
        let c = match s {
            Status::Pending => self.pending,
            Status::Approved => self.approved,
            Status::Returned => self.returned,
            Status::Revised => self.revised,
            Status::ChangedAfterApproval => self.changed,
        };
        let st = Style::default().fg(c);
        if s == Status::ChangedAfterApproval {
            st.add_modifier(Modifier::BOLD)
        } else {
            st
        }
    }
}
