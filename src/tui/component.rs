//! What every screen and popup is: a [`Component`] owning its state, its
//! keys (a keymap [`Scope`]) and its drawing, talking to the rest of the
//! app only through [`Shared`] (read by all) and [`Up`] (requests to the app).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;

use super::keymap::{Command, Keymap, Scope};
use super::theme::Theme;
use super::worker::{Job, SignerInfo};
use crate::i18n::Lang;
use crate::model::{Decision, DraftSummary, Note};

/// How long an information message stays in the status line.
pub const MESSAGE_LIFE: Duration = Duration::from_secs(4);

/// State every component may read, and the app's outbox.
#[derive(Debug, Clone)]
pub struct Shared {
    /// Interface language.
    pub lang: Lang,
    /// Keys.
    pub keymap: Keymap,
    /// "Now", for ages (seconds since the epoch).
    pub now: i64,
    /// Terminal size.
    pub size: (u16, u16),
    /// Who would sign.
    pub signer: Option<Result<SignerInfo, String>>,
    /// Verified or not, by decision commit (from the last audit).
    pub verified: HashMap<String, bool>,
    /// Notes waiting for the next decision, per draft.
    pub pending_notes: HashMap<String, Vec<Note>>,
    /// A message for the status line (text, is error). Information goes
    /// at the next key or after [`MESSAGE_LIFE`]; an error stays until
    /// dismissed.
    pub message: Option<(String, bool)>,
    /// When the message was said.
    pub message_at: Option<Instant>,
    /// Jobs for the event loop to send.
    pub outbox: Vec<Job>,
    /// Requests to the app, handled after the key.
    pub up: Vec<Up>,
}

impl Shared {
    /// Queues a job for the worker.
    pub fn send(&mut self, job: Job) {
        self.outbox.push(job);
    }

    /// Asks the app for something.
    pub fn ask(&mut self, up: Up) {
        self.up.push(up);
    }

    /// Shows a message in the status line.
    pub fn say(&mut self, text: String, error: bool) {
        self.message = Some((text, error));
        self.message_at = Some(Instant::now());
    }

    /// Drops the message.
    pub fn clear_message(&mut self) {
        self.message = None;
        self.message_at = None;
    }

    /// Whether the status line shows an error.
    pub fn has_error(&self) -> bool {
        matches!(self.message, Some((_, true)))
    }

    /// Height of a page of rows.
    pub fn page(&self) -> usize {
        (self.size.1 as usize).saturating_sub(8).max(1)
    }
}

/// What a component asks of the app (actions going up).
#[derive(Debug, Clone)]
pub enum Up {
    /// Open a draft's screen; `from_audit` says where Back goes.
    OpenDraft(DraftSummary, bool),
    /// Open the draft with this id (from the audit screen).
    OpenDraftId(String),
    /// Leave the current screen.
    Back,
    /// Open the decision dialog on a draft, at a revision when known.
    Decide(Decision, DraftSummary, Option<usize>),
    /// Open the editor on a draft.
    Edit(String),
    /// Open the note popup for a line of the newest revision.
    Note(usize),
    /// Keep a note for the next decision on a draft.
    KeepNote(Note),
    /// The search text changed; `open` while the search popup is up.
    Search(String, bool),
    /// Open the search popup with this text.
    StartSearch(String),
    /// Close the top popup.
    Close,
}

/// Whether a component used a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Used.
    Consumed,
    /// Not for this component: the app may handle it.
    Ignored,
}

/// A screen or a popup.
pub trait Component {
    /// Where its keys are bound.
    fn scope(&self) -> Scope;

    /// Runs a command bound in its scope (or a global one).
    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome;

    /// A key bound to no command (typing, for the editors).
    fn on_key(&mut self, _key: &KeyEvent, _sh: &mut Shared) -> Outcome {
        Outcome::Ignored
    }

    /// Pasted text.
    fn on_paste(&mut self, _text: &str, _sh: &mut Shared) {}

    /// Draws it in `area`; reads only.
    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme);
}
