//! The popups, one file each, and the [`Layer`] that holds any of them on
//! the app's stack (the top one takes every key).

pub mod decide;
pub mod help;
pub mod note;
pub mod notice;
pub mod revision;
pub mod search;

use super::component::Component;

pub use decide::DecideDialog;
pub use help::HelpPopup;
pub use note::NotePopup;
pub use notice::NoticePopup;
pub use revision::RevisionPopup;
pub use search::SearchPopup;

/// A popup on the layer stack.
#[derive(Debug, Clone)]
pub enum Layer {
    /// The message of a new revision.
    Revision(RevisionPopup),
    /// Key help.
    Help(HelpPopup),
    /// Typing a search.
    Search(SearchPopup),
    /// Deciding.
    Decide(Box<DecideDialog>),
    /// Typing a note for a line.
    Note(NotePopup),
    /// A long message, closed by any key.
    Notice(NoticePopup),
}

impl Layer {
    /// The popup as a component.
    pub fn component(&self) -> &dyn Component {
        match self {
            Layer::Revision(p) => p,
            Layer::Help(p) => p,
            Layer::Search(p) => p,
            Layer::Decide(p) => p.as_ref(),
            Layer::Note(p) => p,
            Layer::Notice(p) => p,
        }
    }

    /// The popup as a component, to change.
    pub fn component_mut(&mut self) -> &mut dyn Component {
        match self {
            Layer::Revision(p) => p,
            Layer::Help(p) => p,
            Layer::Search(p) => p,
            Layer::Decide(p) => p.as_mut(),
            Layer::Note(p) => p,
            Layer::Notice(p) => p,
        }
    }
}
