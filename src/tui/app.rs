//! The TUI's state and its one `update` function. `update` takes an
//! [`Action`], changes the state, and queues [`Job`]s for the worker; it
//! never touches git. Drawing only reads this state (see `view`).

use std::collections::HashMap;
use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::editor::Editor;
use super::keymap::{Command, Ctx, Keymap};
use super::worker::{Done, Job, SignerInfo};
use crate::check::Finding;
use crate::diff::{DraftDiff, LineKind, SideRow};
use crate::i18n::Lang;
use crate::model::text::{collation_key, fold_search};
use crate::model::{Count, Decision, DraftSummary, History, Note, Status};
use crate::ops::DecisionRequest;
use crate::repo::DraftStats;

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Action {
    /// A key press.
    Key(KeyEvent),
    /// Pasted text.
    Paste(String),
    /// The editor closed: (draft id, text before, text after, approved).
    Edited(String, String, String, bool),
    /// A mouse event.
    Mouse(MouseEvent),
    /// The terminal's new size.
    Resize(u16, u16),
    /// The worker finished a job.
    Done(Done),
}

/// Which drafts the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Those waiting for review.
    Waiting,
    /// All.
    All,
    /// One status.
    Only(Status),
}

impl Filter {
    fn next(self) -> Filter {
        match self {
            Filter::Waiting => Filter::All,
            Filter::All => Filter::Only(Status::ALL[0]),
            Filter::Only(s) => match Status::ALL.iter().position(|x| *x == s) {
                Some(i) if i + 1 < Status::ALL.len() => Filter::Only(Status::ALL[i + 1]),
                _ => Filter::Waiting,
            },
        }
    }

    fn keeps(self, s: Status) -> bool {
        match self {
            Filter::Waiting => s.awaits_review(),
            Filter::All => true,
            Filter::Only(x) => x == s,
        }
    }
}

/// List order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    /// Newest change first.
    Age,
    /// By title, Vietnamese collation.
    Title,
}

/// The two screens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Drafts list.
    List,
    /// One draft: revisions and diff.
    Draft,
    /// The approval trail.
    Audit,
}

/// Panes of the draft screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    /// The revision list.
    Revisions,
    /// The diff.
    Diff,
    /// The check findings.
    Checks,
}

/// The draft screen's state.
#[derive(Debug, Clone)]
pub struct DraftView {
    /// The draft as listed.
    pub draft: DraftSummary,
    /// Its history, once loaded.
    pub history: Option<Arc<History>>,
    /// Selected revision (index into revisions).
    pub rev_sel: usize,
    /// Revision marked as the old side.
    pub mark: Option<usize>,
    /// Compared pair (old number or nothing, new number).
    pub pair: Option<(Option<usize>, usize)>,
    /// The diff of `pair`, once computed.
    pub diff: Option<Arc<DraftDiff>>,
    /// Rows of the side-by-side layout.
    pub side_rows: Vec<SideRow>,
    /// Cursor row in the diff.
    pub cursor: usize,
    /// First visible diff row.
    pub scroll: usize,
    /// Horizontal scroll in columns.
    pub hscroll: usize,
    /// Side by side instead of unified.
    pub side_by_side: bool,
    /// Wrap long lines (else scroll horizontally).
    pub wrap: bool,
    /// Focused pane.
    pub focus: Pane,
    /// An error loading history or diff.
    pub error: Option<String>,
    /// Findings of the checks on the new side.
    pub findings: Arc<Vec<Finding>>,
    /// Selected finding.
    pub check_sel: usize,
}

impl DraftView {
    /// Number of diff rows in the current layout.
    pub fn row_count(&self) -> usize {
        match (&self.diff, self.side_by_side) {
            (Some(_), true) => self.side_rows.len(),
            (Some(d), false) => d.lines.len(),
            (None, _) => 0,
        }
    }

    /// Index into `diff.lines` of the row's (left, right) sides.
    pub fn row_lines(&self, row: usize) -> (Option<usize>, Option<usize>) {
        if self.side_by_side {
            self.side_rows
                .get(row)
                .map(|r| (r.left, r.right))
                .unwrap_or((None, None))
        } else {
            (Some(row), Some(row))
        }
    }

    /// Reviewers' line notes made on either side of the compared pair.
    pub fn notes(&self) -> LineNotes<'_> {
        let mut notes = LineNotes::default();
        let (Some(h), Some((old, new))) = (&self.history, self.pair) else {
            return notes;
        };
        let on = |n: usize| {
            h.decisions_on(n)
                .flat_map(|d| d.review.notes.iter())
                .map(|note| (note.line, note))
                .collect::<HashMap<_, _>>()
        };
        notes.old = old.map(on).unwrap_or_default();
        notes.new = on(new);
        notes
    }
}

/// Line notes of the compared revisions, by line number on each side.
#[derive(Debug, Default)]
pub struct LineNotes<'a> {
    /// Notes on the old revision.
    pub old: HashMap<usize, &'a Note>,
    /// Notes on the new revision.
    pub new: HashMap<usize, &'a Note>,
}

impl LineNotes<'_> {
    /// The note shown beside `line`, if any: a note on the old revision
    /// follows its line into the new one as long as the line is unchanged.
    pub fn get(&self, line: &crate::diff::Line) -> Option<&Note> {
        let old = line
            .old
            .filter(|_| line.kind != LineKind::Insert)
            .and_then(|o| self.old.get(&o));
        let new = line
            .new
            .filter(|_| line.kind != LineKind::Delete)
            .and_then(|n| self.new.get(&n));
        old.or(new).copied()
    }
}

/// A row of the audit screen.
#[derive(Debug, Clone, Copy)]
pub enum AuditRow<'a> {
    /// A decision of the trail.
    Decision(&'a crate::audit::TrailEntry),
    /// A finding on a commit that is not a decision.
    Finding(&'a crate::audit::Finding),
}

/// The decision dialog.
#[derive(Debug, Clone)]
pub struct DecideDialog {
    /// Approve or return.
    pub decision: Decision,
    /// The draft.
    pub draft: DraftSummary,
    /// Revision number being decided, when known.
    pub revision: Option<usize>,
    /// The comment.
    pub comment: Editor,
    /// The passphrase, when the key needs one.
    pub passphrase: Option<Editor>,
    /// Whether the passphrase field has the focus.
    pub on_passphrase: bool,
    /// Notes to record.
    pub notes: Vec<Note>,
    /// What went wrong last time.
    pub error: Option<String>,
    /// Waiting for the worker.
    pub busy: bool,
}

/// A popup layer; the top one gets keys first.
#[derive(Debug, Clone)]
pub enum Layer {
    /// The message of a new revision: (draft id, new text, approval goes stale, message).
    Revision(String, String, bool, Editor),
    /// Key help.
    Help,
    /// Typing a search.
    Search,
    /// Deciding.
    Decide(Box<DecideDialog>),
    /// Typing a note for a line.
    Note(usize, Editor),
    /// A long message (a refused sync), closed by any key.
    Notice(String),
}

/// The whole TUI state.
#[derive(Debug, Clone)]
pub struct App {
    /// Interface language.
    pub lang: Lang,
    /// Keys.
    pub keymap: Keymap,
    /// "Now", for ages (seconds since the epoch).
    pub now: i64,
    /// Terminal size.
    pub size: (u16, u16),
    /// Current screen.
    pub screen: Screen,
    /// Drafts at HEAD.
    pub drafts: Vec<DraftSummary>,
    /// Drafts that could not be read.
    pub problems: Vec<String>,
    folded: Vec<String>,
    title_keys: Vec<(Vec<u32>, Vec<u32>, Vec<bool>)>,
    /// Counts and ages, once loaded.
    pub stats: Option<HashMap<String, DraftStats>>,
    /// Who would sign.
    pub signer: Option<Result<SignerInfo, String>>,
    /// Status filter.
    pub filter: Filter,
    /// Sort order.
    pub sort: Sort,
    /// Search text.
    pub search: Editor,
    /// Visible drafts (indices into `drafts`), filtered and sorted.
    pub rows: Vec<usize>,
    /// Selected row.
    pub selected: usize,
    /// The draft screen.
    pub draft: Option<DraftView>,
    /// Popups, bottom to top.
    pub layers: Vec<Layer>,
    /// Notes waiting for the next decision, per draft.
    pub pending_notes: HashMap<String, Vec<Note>>,
    /// Jobs in flight.
    pub pending: usize,
    /// A message for the status line (text, is error).
    pub message: Option<(String, bool)>,
    /// Set when the user quits.
    pub quit: bool,
    /// Jobs for the event loop to send.
    pub outbox: Vec<Job>,
    /// Whether the list has been loaded once.
    pub loaded: bool,
    /// The audit, once run.
    pub audit: Option<Result<Box<crate::audit::Report>, String>>,
    /// Verified or not, by decision commit.
    pub verified: HashMap<String, bool>,
    /// Whether each draft's latest decision verified, by draft id.
    pub draft_verified: HashMap<String, bool>,
    /// The audit screen's rows: trail entries then findings.
    pub audit_sel: usize,
    /// Show only rows with findings.
    pub findings_only: bool,
    /// Where the draft screen goes back to.
    pub back_to: Screen,
    /// What the worker is busy with, and how far it got.
    pub progress: Option<(&'static str, Count)>,
    /// A text the event loop must open in $EDITOR (suspending the screen):
    /// (draft id, text, approved).
    pub edit_request: Option<(String, String, bool)>,
}

impl App {
    /// A new app that will load the list.
    pub fn new(lang: Lang, keymap: Keymap, now: i64, size: (u16, u16)) -> App {
        App {
            lang,
            keymap,
            now,
            size,
            screen: Screen::List,
            drafts: Vec::new(),
            problems: Vec::new(),
            folded: Vec::new(),
            title_keys: Vec::new(),
            stats: None,
            signer: None,
            filter: Filter::Waiting,
            sort: Sort::Age,
            search: Editor::new(false),
            rows: Vec::new(),
            selected: 0,
            draft: None,
            layers: Vec::new(),
            pending_notes: HashMap::new(),
            pending: 0,
            message: None,
            quit: false,
            outbox: vec![Job::List, Job::Stats, Job::Audit],
            loaded: false,
            audit: None,
            verified: HashMap::new(),
            draft_verified: HashMap::new(),
            audit_sel: 0,
            findings_only: false,
            back_to: Screen::List,
            progress: None,
            edit_request: None,
        }
    }

    fn send(&mut self, job: Job) {
        self.outbox.push(job);
    }

    /// Takes the queued jobs, counting them as pending.
    pub fn take_jobs(&mut self) -> Vec<Job> {
        self.pending += self.outbox.len();
        std::mem::take(&mut self.outbox)
    }

    /// Height of a page of rows.
    pub fn page(&self) -> usize {
        (self.size.1 as usize).saturating_sub(8).max(1)
    }

    /// The selected draft in the list.
    pub fn selected_draft(&self) -> Option<&DraftSummary> {
        self.rows
            .get(self.selected)
            .and_then(|&i| self.drafts.get(i))
    }

    /// The keymap context of the current screen.
    pub fn ctx(&self) -> Ctx {
        match self.screen {
            Screen::List => Ctx::List,
            Screen::Draft => Ctx::Draft,
            Screen::Audit => Ctx::Audit,
        }
    }

    fn recompute_rows(&mut self) {
        let keep_id = self.selected_draft().map(|d| d.id.clone());
        let needle = fold_search(self.search.text.trim());
        if !needle.is_empty() && self.folded.len() != self.drafts.len() {
            self.folded = self
                .drafts
                .iter()
                .map(|d| fold_search(&format!("{} {}", d.meta.title, d.id)))
                .collect();
        }
        if self.sort == Sort::Title && self.title_keys.len() != self.drafts.len() {
            self.title_keys = self
                .drafts
                .iter()
                .map(|d| collation_key(&d.meta.title))
                .collect();
        }
        let mut rows: Vec<usize> = (0..self.drafts.len())
            .filter(|&i| self.filter.keeps(self.drafts[i].status))
            .filter(|&i| needle.is_empty() || self.folded[i].contains(&needle))
            .collect();
        match self.sort {
            Sort::Title => rows.sort_by(|&a, &b| self.title_keys[a].cmp(&self.title_keys[b])),
            Sort::Age => {
                let age = |i: usize| {
                    self.stats
                        .as_ref()
                        .and_then(|s| s.get(&self.drafts[i].id))
                        .map(|s| s.last_change.seconds)
                        .unwrap_or(i64::MIN)
                };
                rows.sort_by(|&a, &b| age(b).cmp(&age(a)).then(a.cmp(&b)));
            }
        }
        self.rows = rows;
        self.selected = keep_id
            .and_then(|id| self.rows.iter().position(|&i| self.drafts[i].id == id))
            .unwrap_or(0)
            .min(self.rows.len().saturating_sub(1));
    }

    /// Applies an action.
    pub fn update(&mut self, action: Action) {
        match action {
            Action::Resize(w, h) => self.size = (w, h),
            Action::Done(Done::Progress(what, n)) => {
                self.progress = Some((what, n));
            }
            Action::Done(done) => {
                self.pending = self.pending.saturating_sub(1);
                if self.pending == 0 {
                    self.progress = None;
                }
                self.on_done(done);
            }
            Action::Paste(text) => match self.layers.last_mut() {
                Some(Layer::Decide(d)) => {
                    if d.on_passphrase {
                        if let Some(p) = &mut d.passphrase {
                            p.insert(&text);
                        }
                    } else {
                        d.comment.insert(&text);
                    }
                }
                Some(Layer::Note(_, e)) | Some(Layer::Revision(_, _, _, e)) => e.insert(&text),
                Some(Layer::Search) => {
                    self.search.insert(&text);
                    self.recompute_rows();
                }
                _ => {}
            },
            Action::Mouse(m) => self.on_mouse(m),
            Action::Edited(id, before, after, approved) => {
                if before == after {
                    self.message = Some((
                        match self.lang {
                            Lang::Vi => format!("{id}: không có thay đổi"),
                            Lang::En => format!("{id}: no change"),
                        },
                        false,
                    ));
                } else {
                    self.layers
                        .push(Layer::Revision(id, after, approved, Editor::new(false)));
                }
            }
            Action::Key(k) => self.on_key(k),
        }
    }

    fn on_done(&mut self, done: Done) {
        match done {
            Done::List(Ok((drafts, problems, signer))) => {
                // Search and title keys are made when first needed: the first
                // frame of a long list does not wait for them.
                self.folded.clear();
                self.title_keys.clear();
                self.drafts = drafts;
                self.problems = problems;
                self.signer = Some(signer);
                self.loaded = true;
                if let Some(first) = self.problems.first() {
                    self.message = Some((first.clone(), true));
                }
                self.recompute_rows();
                if let Some(v) = &mut self.draft
                    && let Some(d) = self.drafts.iter().find(|d| d.id == v.draft.id)
                {
                    v.draft = d.clone();
                }
            }
            Done::List(Err(e)) => {
                self.loaded = true;
                self.message = Some((e, true));
            }
            Done::Stats(Ok(s)) => {
                let first = self.stats.is_none();
                self.stats = Some(s);
                self.recompute_rows();
                if first {
                    self.selected = 0;
                }
            }
            Done::Stats(Err(e)) => self.message = Some((e, true)),
            Done::History(id, result) => {
                let Some(v) = self.draft.as_mut().filter(|v| v.draft.id == id) else {
                    return;
                };
                match result {
                    Ok(h) => {
                        v.rev_sel = h.revisions.len().saturating_sub(1);
                        v.pair = h.default_pair();
                        v.history = Some(Arc::new(h));
                        self.request_diff();
                    }
                    Err(e) => v.error = Some(e),
                }
            }
            Done::Diff(id, old, new, result) => {
                let Some(v) = self.draft.as_mut().filter(|v| v.draft.id == id) else {
                    return;
                };
                if v.pair != Some((old, new)) {
                    return;
                }
                match result {
                    Ok((d, findings)) => {
                        v.findings = findings;
                        v.check_sel = 0;
                        v.side_rows = d.side_by_side();
                        v.cursor = d.changes.first().copied().unwrap_or(0);
                        if v.side_by_side {
                            v.cursor = side_row_of(&v.side_rows, v.cursor);
                        }
                        v.scroll = v.cursor.saturating_sub(3);
                        v.diff = Some(d);
                        v.error = None;
                    }
                    Err(e) => v.error = Some(e),
                }
            }
            Done::Audit(result) => {
                self.verified = match &result {
                    Ok(r) => r
                        .trail
                        .iter()
                        .map(|e| (e.commit.clone(), e.verified))
                        .collect(),
                    Err(_) => HashMap::new(),
                };
                // The mark belongs to the commit that wrote the review.toml
                // now at HEAD (the same verdicts as `duyet list`).
                self.draft_verified = match &result {
                    Ok(r) => {
                        let v = r.verdicts();
                        let mut drafts = self.drafts.clone();
                        crate::audit::mark_with(Some(&v), &mut drafts);
                        drafts
                            .into_iter()
                            .filter_map(|d| Some((d.id, d.verified?)))
                            .collect()
                    }
                    Err(_) => HashMap::new(),
                };
                self.audit = Some(result);
            }
            Done::Progress(what, n) => self.progress = Some((what, n)),
            Done::ForEdit(id, Ok((text, approved))) => {
                self.edit_request = Some((id, text, approved))
            }
            Done::ForEdit(_, Err(e)) | Done::Revised(_, Err(e)) | Done::Synced(Err(e)) => {
                self.message = Some((e.lines().next().unwrap_or("").to_string(), true));
                if e.lines().count() > 1 {
                    self.layers.push(Layer::Notice(e));
                }
            }
            Done::Revised(id, Ok(commit)) => {
                self.message = Some((format!("✎ {id}: {:.10}", commit), false));
                self.reload();
            }
            Done::Synced(Ok(what)) => {
                self.message = Some((format!("⇅ {what}"), false));
                self.reload();
            }
            Done::Decided(id, result) => match result {
                Ok(commit) => {
                    if matches!(self.layers.last(), Some(Layer::Decide(_))) {
                        self.layers.pop();
                    }
                    self.pending_notes.remove(&id);
                    self.message = Some((format!("✓ {id}: {:.10}", commit), false));
                    self.send(Job::List);
                    self.send(Job::Stats);
                    self.send(Job::Audit);
                    if self.draft.as_ref().is_some_and(|v| v.draft.id == id) {
                        self.send(Job::History(id));
                    }
                }
                Err(e) => {
                    if let Some(Layer::Decide(d)) = self.layers.last_mut() {
                        d.busy = false;
                        d.error = Some(e);
                    } else {
                        self.message = Some((e, true));
                    }
                }
            },
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
                let area = super::view::list_rows_area(self.size);
                if m.row >= area.y && m.row < area.y + area.height {
                    let offset = super::view::list_offset(self.selected, area.height as usize);
                    let row = offset + (m.row - area.y) as usize;
                    if row < self.rows.len() {
                        self.selected = row;
                    }
                }
            }
            _ => {}
        }
    }

    fn on_key(&mut self, k: KeyEvent) {
        if k.kind == ratatui::crossterm::event::KeyEventKind::Release {
            return;
        }
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match self.layers.last_mut() {
            Some(Layer::Help) | Some(Layer::Notice(_)) => {
                self.layers.pop();
                return;
            }
            Some(Layer::Revision(id, text, _, e)) => {
                match k.code {
                    KeyCode::Esc => {
                        self.layers.pop();
                    }
                    KeyCode::Enter if !e.text.trim().is_empty() => {
                        let job = Job::Revise(id.clone(), text.clone(), e.text.trim().to_string());
                        self.layers.pop();
                        self.send(job);
                    }
                    code => e.edit_key(code, ctrl),
                }
                return;
            }
            Some(Layer::Search) => {
                match k.code {
                    KeyCode::Esc => {
                        self.search = Editor::new(false);
                        self.layers.pop();
                    }
                    KeyCode::Enter | KeyCode::Down | KeyCode::Up => {
                        self.layers.pop();
                    }
                    code => self.search.edit_key(code, ctrl),
                }
                self.recompute_rows();
                return;
            }
            Some(Layer::Note(line, e)) => {
                match k.code {
                    KeyCode::Esc => {
                        self.layers.pop();
                    }
                    KeyCode::Enter => {
                        let note = Note {
                            line: *line,
                            text: e.text.trim().to_string(),
                        };
                        self.layers.pop();
                        if !note.text.is_empty()
                            && let Some(v) = &self.draft
                        {
                            self.pending_notes
                                .entry(v.draft.id.clone())
                                .or_default()
                                .push(note);
                        }
                    }
                    code => e.edit_key(code, ctrl),
                }
                return;
            }
            Some(Layer::Decide(d)) => {
                if d.busy {
                    return;
                }
                match k.code {
                    KeyCode::Esc => {
                        self.layers.pop();
                    }
                    KeyCode::Char('s') if ctrl => self.submit_decision(),
                    KeyCode::Tab | KeyCode::BackTab => {
                        let has = d.passphrase.is_some();
                        d.on_passphrase = has && !d.on_passphrase;
                    }
                    KeyCode::Enter if d.on_passphrase => self.submit_decision(),
                    KeyCode::Enter => focused_field(d).insert("\n"),
                    code => focused_field(d).edit_key(code, ctrl),
                }
                return;
            }
            None => {}
        }
        if let Some(cmd) = self.keymap.lookup(self.ctx(), &k) {
            self.command(cmd);
        }
    }

    /// Reloads everything from the repository.
    fn reload(&mut self) {
        self.send(Job::List);
        self.send(Job::Stats);
        self.send(Job::Audit);
        if let Some(v) = &self.draft {
            let id = v.draft.id.clone();
            self.send(Job::History(id));
        }
    }

    fn open_dialog(&mut self, decision: Decision) {
        let (draft, revision) = match (self.screen, &self.draft) {
            (Screen::Draft, Some(v)) => (
                v.draft.clone(),
                v.history
                    .as_ref()
                    .and_then(|h| h.revisions.last().map(|r| r.number)),
            ),
            _ => match self.selected_draft() {
                Some(d) => (
                    d.clone(),
                    self.stats
                        .as_ref()
                        .and_then(|s| s.get(&d.id))
                        .map(|s| s.revisions),
                ),
                None => return,
            },
        };
        if let Some(Err(e)) = &self.signer {
            self.message = Some((e.clone(), true));
            return;
        }
        let needs = matches!(&self.signer, Some(Ok(s)) if s.needs_passphrase);
        let notes = self
            .pending_notes
            .get(&draft.id)
            .cloned()
            .unwrap_or_default();
        self.layers.push(Layer::Decide(Box::new(DecideDialog {
            decision,
            draft,
            revision,
            comment: Editor::new(true),
            passphrase: needs.then(|| Editor::new(false)),
            on_passphrase: false,
            notes,
            error: None,
            busy: false,
        })));
    }

    fn submit_decision(&mut self) {
        let Some(Layer::Decide(d)) = self.layers.last_mut() else {
            return;
        };
        if d.decision == Decision::Returned && d.comment.text.trim().is_empty() {
            d.error = Some(match self.lang {
                Lang::Vi => "Trả lại cần có ý kiến cho người soạn".to_string(),
                Lang::En => "Returning needs a comment for the drafter".to_string(),
            });
            return;
        }
        if let Some(p) = &d.passphrase
            && p.text.is_empty()
        {
            d.on_passphrase = true;
            return;
        }
        d.busy = true;
        d.error = None;
        let req = DecisionRequest {
            id: d.draft.id.clone(),
            decision: d.decision,
            // Always the text on screen: refused if it changed meanwhile.
            revision: Some(d.draft.draft_blob.clone()),
            comment: d.comment.text.clone(),
            notes: d.notes.clone(),
            author: None,
        };
        let pass = d.passphrase.as_ref().map(|p| p.text.clone());
        self.send(Job::Decide(Box::new(req), pass));
    }

    /// The audit screen's rows, filtered.
    pub fn audit_rows(&self) -> Vec<AuditRow<'_>> {
        let Some(Ok(r)) = &self.audit else {
            return Vec::new();
        };
        let mut rows: Vec<AuditRow<'_>> = r
            .trail
            .iter()
            .filter(|e| !self.findings_only || !e.verified)
            .map(AuditRow::Decision)
            .collect();
        let decided: std::collections::HashSet<&str> =
            r.trail.iter().map(|e| e.commit.as_str()).collect();
        rows.extend(
            r.findings
                .iter()
                .filter(|f| !decided.contains(f.commit.as_str()) || self.findings_only)
                .map(AuditRow::Finding),
        );
        rows
    }

    fn open_audit_row(&mut self) {
        let draft = match self.audit_rows().get(self.audit_sel) {
            Some(AuditRow::Decision(e)) => e.draft.clone(),
            Some(AuditRow::Finding(f)) => {
                let found = match &self.audit {
                    Some(Ok(r)) => r
                        .trail
                        .iter()
                        .find(|e| e.commit == f.commit)
                        .map(|e| e.draft.clone()),
                    _ => None,
                };
                match found {
                    Some(d) => d,
                    None => return,
                }
            }
            None => return,
        };
        let Some(d) = self.drafts.iter().find(|d| d.id == draft).cloned() else {
            self.message = Some((format!("{draft}: not at HEAD"), true));
            return;
        };
        self.back_to = Screen::Audit;
        self.open(d);
    }

    fn open_draft(&mut self) {
        let Some(d) = self.selected_draft().cloned() else {
            return;
        };
        self.back_to = Screen::List;
        self.open(d);
    }

    fn open(&mut self, d: DraftSummary) {
        self.screen = Screen::Draft;
        self.draft = Some(DraftView {
            draft: d.clone(),
            history: None,
            rev_sel: 0,
            mark: None,
            pair: None,
            diff: None,
            side_rows: Vec::new(),
            cursor: 0,
            scroll: 0,
            hscroll: 0,
            side_by_side: false,
            wrap: true,
            focus: Pane::Diff,
            error: None,
            findings: Arc::new(Vec::new()),
            check_sel: 0,
        });
        self.send(Job::History(d.id));
    }

    fn request_diff(&mut self) {
        let Some(v) = &mut self.draft else { return };
        let (Some(h), Some((old, new))) = (&v.history, v.pair) else {
            return;
        };
        let job = Job::Diff {
            history: h.clone(),
            old,
            new,
            kind: v.draft.meta.kind,
        };
        v.diff = None;
        self.send(job);
    }

    fn move_sel(&mut self, delta: isize) {
        let page = self.page();
        match self.screen {
            Screen::Audit => {
                self.audit_sel = step(self.audit_sel, delta, self.audit_rows().len());
            }
            Screen::List => {
                self.selected = step(self.selected, delta, self.rows.len());
            }
            Screen::Draft => {
                let Some(v) = &mut self.draft else { return };
                match v.focus {
                    Pane::Revisions => {
                        let n = v.history.as_ref().map(|h| h.revisions.len()).unwrap_or(0);
                        v.rev_sel = step(v.rev_sel, delta, n);
                    }
                    Pane::Checks => {
                        v.check_sel = step(v.check_sel, delta, v.findings.len());
                    }
                    Pane::Diff => {
                        v.cursor = step(v.cursor, delta, v.row_count());
                        if v.cursor < v.scroll {
                            v.scroll = v.cursor;
                        } else if v.cursor >= v.scroll + page {
                            v.scroll = v.cursor + 1 - page;
                        }
                    }
                }
            }
        }
    }

    fn jump_change(&mut self, forward: bool) {
        let Some(v) = &mut self.draft else { return };
        let Some(d) = &v.diff else { return };
        let rows: Vec<usize> = if v.side_by_side {
            d.changes
                .iter()
                .map(|&c| side_row_of(&v.side_rows, c))
                .collect()
        } else {
            d.changes.clone()
        };
        let target = if forward {
            rows.iter().copied().find(|&r| r > v.cursor)
        } else {
            rows.iter().rev().copied().find(|&r| r < v.cursor)
        };
        if let Some(t) = target {
            v.cursor = t;
            v.scroll = t.saturating_sub(3);
            v.focus = Pane::Diff;
        }
    }

    /// Runs a keymap command.
    pub fn command(&mut self, cmd: Command) {
        let page = self.page() as isize;
        match cmd {
            Command::Quit => self.quit = true,
            Command::Help => self.layers.push(Layer::Help),
            Command::Up => self.move_sel(-1),
            Command::Down => self.move_sel(1),
            Command::PageUp => self.move_sel(-page),
            Command::PageDown => self.move_sel(page),
            Command::Top => self.move_sel(isize::MIN / 2),
            Command::Bottom => self.move_sel(isize::MAX / 2),
            Command::Reload => self.reload(),
            Command::Sync => self.send(Job::Sync),
            Command::Edit => {
                let id = match (self.screen, &self.draft) {
                    (Screen::Draft, Some(v)) => Some(v.draft.id.clone()),
                    _ => self.selected_draft().map(|d| d.id.clone()),
                };
                if let Some(id) = id {
                    self.send(Job::ReadForEdit(id));
                }
            }
            Command::Search => self.layers.push(Layer::Search),
            Command::Filter => {
                self.filter = self.filter.next();
                self.recompute_rows();
            }
            Command::Sort => {
                self.sort = match self.sort {
                    Sort::Age => Sort::Title,
                    Sort::Title => Sort::Age,
                };
                self.recompute_rows();
            }
            Command::Approve => self.open_dialog(Decision::Approved),
            Command::Return => self.open_dialog(Decision::Returned),
            Command::Open => match self.screen {
                Screen::List => self.open_draft(),
                Screen::Draft => self.compare_selected(),
                Screen::Audit => self.open_audit_row(),
            },
            Command::Back => {
                self.screen = match self.screen {
                    Screen::Draft => self.back_to,
                    _ => Screen::List,
                };
                self.draft = None;
            }
            Command::Audit => {
                self.screen = Screen::Audit;
                self.draft = None;
                if self.audit.is_none() {
                    self.send(Job::Audit);
                }
            }
            Command::FindingsOnly => {
                self.findings_only = !self.findings_only;
                self.audit_sel = 0;
            }
            Command::FocusNext => {
                if let Some(v) = &mut self.draft {
                    v.focus = match v.focus {
                        Pane::Revisions => Pane::Diff,
                        Pane::Diff => Pane::Checks,
                        Pane::Checks => Pane::Revisions,
                    };
                }
            }
            Command::NextChange => self.jump_change(true),
            Command::PrevChange => self.jump_change(false),
            Command::ToggleLayout => {
                if let Some(v) = &mut self.draft {
                    let (l, r) = v.row_lines(v.cursor);
                    v.side_by_side = !v.side_by_side;
                    v.cursor = if v.side_by_side {
                        side_row_of(&v.side_rows, l.or(r).unwrap_or(0))
                    } else {
                        l.or(r).unwrap_or(0)
                    };
                    v.scroll = v.cursor.saturating_sub(3);
                }
            }
            Command::Wrap => {
                if let Some(v) = &mut self.draft {
                    v.wrap = !v.wrap;
                    v.hscroll = 0;
                }
            }
            Command::Left => {
                if let Some(v) = &mut self.draft {
                    v.hscroll = v.hscroll.saturating_sub(8);
                }
            }
            Command::Right => {
                if let Some(v) = &mut self.draft {
                    v.hscroll += 8;
                }
            }
            Command::Mark => {
                if let Some(v) = &mut self.draft {
                    let n = v.rev_sel + 1;
                    v.mark = if v.mark == Some(n) { None } else { Some(n) };
                    v.focus = Pane::Revisions;
                }
            }
            Command::Note => self.start_note(),
        }
    }

    fn compare_selected(&mut self) {
        let Some(v) = &mut self.draft else { return };
        if v.focus == Pane::Checks {
            jump_to_finding(v);
            return;
        }
        if v.focus != Pane::Revisions || v.history.is_none() {
            return;
        }
        let sel = v.rev_sel + 1;
        let pair = match v.mark {
            Some(m) if m != sel => (Some(m.min(sel)), m.max(sel)),
            _ => (sel.checked_sub(1).filter(|&n| n > 0), sel),
        };
        v.pair = Some(pair);
        v.mark = None;
        v.focus = Pane::Diff;
        self.request_diff();
    }

    fn start_note(&mut self) {
        let Some(v) = &self.draft else { return };
        let (Some(d), Some(h), Some((_, new))) = (&v.diff, &v.history, v.pair) else {
            return;
        };
        if Some(new) != h.revisions.last().map(|r| r.number) {
            self.message = Some((
                match self.lang {
                    Lang::Vi => {
                        "Ghi chú gắn với bản mới nhất: hãy so sánh tới bản mới nhất".to_string()
                    }
                    Lang::En => {
                        "Notes attach to the newest revision: compare up to it first".to_string()
                    }
                },
                true,
            ));
            return;
        }
        let (l, r) = v.row_lines(v.cursor);
        let line = [r, l]
            .into_iter()
            .flatten()
            .filter_map(|i| d.lines.get(i))
            .find(|x| x.kind != LineKind::Delete)
            .and_then(|x| x.new);
        if let Some(line) = line {
            self.layers.push(Layer::Note(line, Editor::new(false)));
        }
    }
}

fn step(cur: usize, delta: isize, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    (cur as isize)
        .saturating_add(delta)
        .clamp(0, len as isize - 1) as usize
}

/// The side-by-side row that shows unified line `line`.
pub fn side_row_of(rows: &[SideRow], line: usize) -> usize {
    rows.iter()
        .position(|r| r.left == Some(line) || r.right == Some(line))
        .unwrap_or(0)
}

/// The field of the decision dialog that has the focus.
fn focused_field(d: &mut DecideDialog) -> &mut Editor {
    match (&mut d.passphrase, d.on_passphrase) {
        (Some(p), true) => p,
        _ => &mut d.comment,
    }
}

/// Moves the diff cursor to the line of the selected finding.
fn jump_to_finding(v: &mut DraftView) {
    let (Some(d), Some(f)) = (&v.diff, v.findings.get(v.check_sel)) else {
        return;
    };
    let Some(line) = d
        .lines
        .iter()
        .position(|l| l.new == Some(f.line) && l.kind != LineKind::Delete)
    else {
        return;
    };
    v.cursor = if v.side_by_side {
        side_row_of(&v.side_rows, line)
    } else {
        line
    };
    v.scroll = v.cursor.saturating_sub(3);
    v.focus = Pane::Diff;
}
