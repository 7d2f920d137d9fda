//! The app: the screens, the popup layer stack, and the one `update`.
//! Keys go down to the top popup, else to the current screen (then to
//! the app's global commands); components ask the app for things by
//! [`Up`] (actions up). Jobs go to the worker; `update` never touches git.
//! Drawing only reads: the screen, then the popups bottom to top.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyEventKind, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::widgets::{Paragraph, Wrap};

use super::chrome::{self, Busy, MIN_H, MIN_W};
use std::time::Instant;

use super::component::{Component, MESSAGE_LIFE, Outcome, Shared, Up};
use super::keymap::{Command, Keymap, Scope};
use super::popups::{
    DecideDialog, HelpPopup, Layer, NotePopup, NoticePopup, RevisionPopup, SearchPopup,
};
use super::screens::{AuditScreen, DraftScreen, ListScreen};
use super::theme::Theme;
use super::worker::{Done, Job};
use crate::i18n::{Lang, Msg};
use crate::model::{Count, Decision, DraftSummary};

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key press.
    Key(KeyEvent),
    /// Pasted text.
    Paste(String),
    /// The editor closed: (draft id, text before, text after, approved).
    Edited(String, String, String, bool),
    /// The editor failed: (draft id, why). Nothing is committed.
    EditFailed(String, String),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The terminal's new size.
    Resize(u16, u16),
    /// The worker finished a job.
    Done(Done),
}

/// The three screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Drafts list.
    List,
    /// One draft: revisions, diff and checks.
    Draft,
    /// The approval trail.
    Audit,
}

/// The whole TUI state.
#[derive(Debug, Clone)]
pub struct App {
    /// What every component reads: language, keys, signer, messages, jobs.
    pub sh: Shared,
    /// Current screen.
    pub screen: Screen,
    /// The drafts list (alive all along: it holds the drafts).
    pub list: ListScreen,
    /// The draft screen, while open.
    pub draft: Option<DraftScreen>,
    /// The audit screen (keeps the last report).
    pub audit: AuditScreen,
    /// Popups, bottom to top.
    pub layers: Vec<Layer>,
    /// Jobs in flight.
    pub pending: usize,
    /// What the worker is busy with, and how far it got.
    pub progress: Option<(&'static str, Count)>,
    /// Set when the user quits.
    pub quit: bool,
    /// Quitting would lose notes: the user was asked, and the next Quit
    /// quits (any other key keeps them).
    pub quit_asked: bool,
    /// A text the event loop must open in $EDITOR (suspending the screen):
    /// (draft id, text, approved).
    pub edit_request: Option<(String, String, bool)>,
}

impl App {
    /// A new app that will load the list.
    pub fn new(lang: Lang, keymap: Keymap, now: i64, size: (u16, u16)) -> App {
        App {
            sh: Shared {
                lang,
                keymap,
                now,
                size,
                signer: None,
                verified: Default::default(),
                pending_notes: Default::default(),
                message: None,
                message_at: None,
                outbox: vec![Job::List, Job::Stats, Job::Audit],
                up: Vec::new(),
            },
            screen: Screen::List,
            list: ListScreen::default(),
            draft: None,
            audit: AuditScreen::default(),
            layers: Vec::new(),
            pending: 0,
            progress: None,
            quit: false,
            quit_asked: false,
            edit_request: None,
        }
    }

    /// Takes the queued jobs, counting them as pending.
    pub fn take_jobs(&mut self) -> Vec<Job> {
        self.pending += self.sh.outbox.len();
        std::mem::take(&mut self.sh.outbox)
    }

    /// The selected draft in the list.
    pub fn selected_draft(&self) -> Option<&DraftSummary> {
        self.list.selected_draft()
    }

    /// The keymap scope of the current screen.
    pub fn scope(&self) -> Scope {
        self.current().scope()
    }

    fn current(&self) -> &dyn Component {
        match (self.screen, &self.draft) {
            (Screen::Draft, Some(d)) => d,
            (Screen::Audit, _) => &self.audit,
            _ => &self.list,
        }
    }

    fn current_mut(&mut self) -> (&mut dyn Component, &mut Shared) {
        let sh = &mut self.sh;
        match (self.screen, &mut self.draft) {
            (Screen::Draft, Some(d)) => (d, sh),
            (Screen::Audit, _) => (&mut self.audit, sh),
            _ => (&mut self.list, sh),
        }
    }

    /// Applies an action.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Resize(w, h) => self.sh.size = (w, h),
            Action::Done(Done::Progress(what, n)) => self.progress = Some((what, n)),
            Action::Done(done) => {
                self.pending = self.pending.saturating_sub(1);
                if self.pending == 0 {
                    self.progress = None;
                }
                self.on_done(done);
            }
            Action::Paste(text) => {
                if let Some(top) = self.layers.last_mut() {
                    top.component_mut().on_paste(&text, &mut self.sh);
                }
            }
            Action::Mouse(m) => self.on_mouse(m),
            Action::Edited(id, before, after, approved) => {
                if before == after {
                    let text = match self.sh.lang {
                        Lang::Vi => format!("{id}: không có thay đổi"),
                        Lang::En => format!("{id}: no change"),
                    };
                    self.sh.say(text, false);
                } else {
                    self.layers
                        .push(Layer::Revision(RevisionPopup::new(id, after, approved)));
                }
            }
            Action::EditFailed(id, why) => {
                let text = match self.sh.lang {
                    Lang::Vi => format!("{id}: trình soạn thảo lỗi, không ghi gì ({why})"),
                    Lang::En => format!("{id}: the editor failed, nothing recorded ({why})"),
                };
                self.sh.say(text, true);
            }
            Action::Key(k) => self.on_key(k),
        }
        self.handle_up();
    }

    fn on_key(&mut self, k: KeyEvent) {
        if k.kind == KeyEventKind::Release {
            return;
        }
        // Information lasts until the next key; an error until dismissed.
        if self.sh.message.is_some() && !self.sh.has_error() {
            self.sh.clear_message();
        }
        if self.layers.is_empty()
            && self.sh.has_error()
            && self.sh.keymap.lookup(Scope::Global, &k) == Some(Command::Dismiss)
        {
            self.sh.clear_message();
            return;
        }
        if let Some(top) = self.layers.last_mut() {
            let c = top.component_mut();
            match self.sh.keymap.lookup(c.scope(), &k) {
                Some(cmd) => c.on_command(cmd, &mut self.sh),
                None => c.on_key(&k, &mut self.sh),
            };
            return;
        }
        let asked = std::mem::replace(&mut self.quit_asked, false);
        match self.sh.keymap.lookup(self.scope(), &k) {
            Some(Command::Quit) if asked => self.quit = true,
            Some(cmd) => self.command(cmd),
            None => {}
        }
    }

    /// Lets time pass: an information message older than [`MESSAGE_LIFE`]
    /// goes (errors stay until dismissed). The event loop calls it with the
    /// clock; tests with any instant.
    pub fn tick(&mut self, now: Instant) {
        if let (Some((_, false)), Some(at)) = (&self.sh.message, self.sh.message_at)
            && now.saturating_duration_since(at) >= MESSAGE_LIFE
        {
            self.sh.clear_message();
        }
    }

    /// Runs a keymap command on the current screen, else as a global one.
    pub fn command(&mut self, cmd: Command) {
        let (screen, sh) = self.current_mut();
        if screen.on_command(cmd, sh) == Outcome::Consumed {
            return;
        }
        match cmd {
            Command::Quit => {
                let notes: usize = self.sh.pending_notes.values().map(Vec::len).sum();
                if notes == 0 {
                    self.quit = true;
                } else {
                    self.quit_asked = true;
                    let text = match self.sh.lang {
                        Lang::Vi => format!(
                            "Còn {notes} ghi chú chưa ký (✎), sẽ mất khi thoát: nhấn q lần nữa để thoát, phím khác để ở lại"
                        ),
                        Lang::En => format!(
                            "{notes} unsigned notes (✎) are lost on quitting: press q again to quit, any other key to stay"
                        ),
                    };
                    self.sh.say(text, false);
                }
            }
            Command::Help => self.layers.push(Layer::Help(HelpPopup::new(self.scope()))),
            Command::Reload => self.reload(),
            Command::Sync => self.sh.send(Job::Sync),
            Command::Audit => {
                self.screen = Screen::Audit;
                self.draft = None;
                if self.audit.report.is_none() {
                    self.sh.send(Job::Audit);
                }
            }
            _ => {}
        }
    }

    fn on_mouse(&mut self, m: MouseEvent) {
        if !self.layers.is_empty() {
            return;
        }
        match m.kind {
            MouseEventKind::ScrollDown => self.command(Command::Down),
            MouseEventKind::ScrollUp => self.command(Command::Up),
            MouseEventKind::Down(_) if self.screen == Screen::List => {
                self.list.click(m.row, self.sh.size);
            }
            _ => {}
        }
    }

    /// Does what the components asked, in order.
    fn handle_up(&mut self) {
        while !self.sh.up.is_empty() {
            for up in std::mem::take(&mut self.sh.up) {
                self.on_up(up);
            }
        }
    }

    fn on_up(&mut self, up: Up) {
        match up {
            Up::OpenDraft(d, from_audit) => {
                self.screen = Screen::Draft;
                self.draft = Some(DraftScreen::open(d, from_audit, &mut self.sh));
            }
            Up::OpenDraftId(id) => match self.list.find(&id).cloned() {
                Some(d) => self.on_up(Up::OpenDraft(d, true)),
                None => self.sh.say(format!("{id}: not at HEAD"), true),
            },
            Up::Back => {
                let from_audit = self.draft.as_ref().is_some_and(|d| d.from_audit);
                self.screen = match self.screen {
                    Screen::Draft if from_audit => Screen::Audit,
                    _ => Screen::List,
                };
                self.draft = None;
            }
            Up::Decide(decision, draft, revision) => {
                if let Some(d) = DecideDialog::open(decision, draft, revision, &mut self.sh) {
                    self.layers.push(Layer::Decide(Box::new(d)));
                }
            }
            Up::Edit(id) => self.sh.send(Job::ReadForEdit(id)),
            Up::Note(line) => self.layers.push(Layer::Note(NotePopup::new(line))),
            Up::KeepNote(note) => {
                if let Some(v) = &self.draft {
                    self.sh
                        .pending_notes
                        .entry(v.draft.id.clone())
                        .or_default()
                        .push(note);
                }
            }
            Up::Search(text, open) => self.list.set_search(text, open),
            Up::StartSearch(text) => {
                let popup = SearchPopup::new(text, &mut self.sh);
                self.layers.push(Layer::Search(popup));
            }
            Up::Close => {
                self.layers.pop();
            }
        }
    }

    fn on_done(&mut self, done: Done) {
        let sh = &mut self.sh;
        match done {
            Done::List(Ok((drafts, problems, signer))) => {
                if let Some(first) = problems.first() {
                    sh.say(first.clone(), true);
                }
                self.list.loaded(drafts, problems);
                sh.signer = Some(signer);
                if let Some(v) = &mut self.draft
                    && let Some(d) = self.list.find(&v.draft.id)
                {
                    v.draft = d.clone();
                }
            }
            Done::List(Err(e)) => {
                self.list.loaded = true;
                sh.say(e, true);
            }
            Done::Stats(Ok(s)) => self.list.stats_loaded(s),
            Done::Stats(Err(e)) => sh.say(e, true),
            Done::History(id, result) => {
                if let Some(v) = self.draft.as_mut().filter(|v| v.draft.id == id) {
                    v.history_loaded(result, sh);
                }
            }
            Done::Diff(id, old, new, result) => {
                if let Some(v) = self.draft.as_mut().filter(|v| v.draft.id == id) {
                    v.diff_loaded((old, new), result);
                }
            }
            Done::Audit(result) => {
                sh.verified = match &result {
                    Ok(r) => r
                        .trail
                        .iter()
                        .map(|e| (e.commit.clone(), e.verified))
                        .collect(),
                    Err(_) => Default::default(),
                };
                let verdicts = result.as_ref().ok().map(|r| r.verdicts());
                self.list.mark(verdicts.as_ref());
                self.audit.report = Some(result);
            }
            Done::Progress(what, n) => self.progress = Some((what, n)),
            Done::ForEdit(id, Ok((text, approved))) => {
                self.edit_request = Some((id, text, approved))
            }
            Done::ForEdit(_, Err(e)) | Done::Revised(_, Err(e)) | Done::Synced(Err(e)) => {
                sh.say(e.lines().next().unwrap_or("").to_string(), true);
                if e.lines().count() > 1 {
                    self.layers.push(Layer::Notice(NoticePopup { text: e }));
                }
            }
            Done::Revised(id, Ok(done)) => {
                sh.say(format!("✎ {id}: {:.10}", done.commit), false);
                self.warn_worktree(&done);
                self.reload();
            }
            Done::Synced(Ok(what)) => {
                sh.say(format!("⇅ {what}"), false);
                self.reload();
            }
            Done::Decided(id, Ok(done)) => {
                let decision = match self.layers.last() {
                    Some(Layer::Decide(d)) => Some(d.decision),
                    _ => None,
                };
                if decision.is_some() {
                    self.layers.pop();
                }
                sh.pending_notes.remove(&id);
                let word = match (decision, sh.lang) {
                    (Some(Decision::Returned), Lang::Vi) => "Đã trả lại",
                    (Some(Decision::Returned), Lang::En) => "Returned",
                    (_, Lang::Vi) => "Đã duyệt",
                    (_, Lang::En) => "Approved",
                };
                let text = match sh.lang {
                    Lang::Vi => format!(
                        "✓ {word} {id}, đã ký ({:.10}); chưa gửi lên máy chủ — nhấn S để đồng bộ",
                        done.commit
                    ),
                    Lang::En => format!(
                        "✓ {word} {id}, signed ({:.10}); not sent to the server yet — press S to sync",
                        done.commit
                    ),
                };
                sh.say(text, false);
                sh.send(Job::List);
                sh.send(Job::Stats);
                sh.send(Job::Audit);
                if self.draft.as_ref().is_some_and(|v| v.draft.id == id) {
                    sh.send(Job::History(id));
                }
                self.warn_worktree(&done);
            }
            Done::Decided(_, Err(e)) => match self.layers.last_mut() {
                Some(Layer::Decide(d)) => d.failed(e),
                _ => sh.say(e, true),
            },
        }
    }

    /// The commit is made but the work tree could not follow: say so, and
    /// how to fix it, in a notice.
    fn warn_worktree(&mut self, done: &crate::repo::Finished) {
        if let Some(w) = &done.warning {
            let (vi, en) = w.texts();
            let text = match self.sh.lang {
                Lang::Vi => vi,
                Lang::En => en,
            };
            self.layers.push(Layer::Notice(NoticePopup { text }));
        }
    }

    /// Reloads everything from the repository.
    fn reload(&mut self) {
        self.sh.send(Job::List);
        self.sh.send(Job::Stats);
        self.sh.send(Job::Audit);
        if let Some(v) = &self.draft {
            let id = v.draft.id.clone();
            self.sh.send(Job::History(id));
        }
    }

    /// Draws the whole screen; reads only.
    pub fn draw(&self, f: &mut Frame<'_>, theme: &Theme) {
        let area = f.area();
        let sh = &self.sh;
        if area.width < MIN_W || area.height < MIN_H {
            let msg = format!(
                "{} ({}x{})",
                sh.lang.t(Msg::TooSmall),
                area.width,
                area.height
            );
            f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), area);
            return;
        }
        let [header, body, bar] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let spans = match (self.screen, &self.draft) {
            (Screen::Draft, Some(v)) => v.header_spans(sh.lang, theme),
            _ => self.list.header_spans(sh.lang),
        };
        let busy = Busy {
            pending: self.pending,
            progress: self.progress,
        };
        chrome::draw_header(f, header, spans, busy, sh, theme);
        self.current().draw(f, body, sh, theme);
        chrome::draw_bar(f, bar, self.scope(), sh, theme);
        for layer in &self.layers {
            layer.component().draw(f, area, sh, theme);
        }
    }
}
