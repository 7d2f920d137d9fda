//! The decision dialog: approve or return a draft, with a comment, the
//! reviewer's pending line notes, and the key's passphrase when it has one.

use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use crate::i18n::{Lang, Msg};
use crate::model::safe::for_screen as sc;
use crate::model::text::truncate;
use crate::model::{Decision, DraftSummary, Note, Status};
use crate::ops::DecisionRequest;
use crate::tui::chrome::centered;
use crate::tui::component::{Component, Outcome, Shared, Up};
use crate::tui::editor::Editor;
use crate::tui::keymap::{Command, Scope};
use crate::tui::theme::Theme;
use crate::tui::worker::Job;

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
    /// The revision on screen already carries an approval: the first
    /// Ctrl-S only asks, the second signs again.
    pub already_approved: bool,
    /// The reviewer was told and asked to sign again anyway.
    pub asked_again: bool,
}

impl DecideDialog {
    /// A dialog deciding `draft` (at `revision` when known), with the notes
    /// kept for it; `None` (and a message) when no one can sign.
    pub fn open(
        decision: Decision,
        draft: DraftSummary,
        revision: Option<usize>,
        sh: &mut Shared,
    ) -> Option<DecideDialog> {
        if let Some(Err(e)) = &sh.signer {
            let e = e.clone();
            sh.say(e, true);
            return None;
        }
        let needs = matches!(&sh.signer, Some(Ok(s)) if s.needs_passphrase);
        let notes = sh.pending_notes.get(&draft.id).cloned().unwrap_or_default();
        let already_approved = decision == Decision::Approved
            && draft.review.as_ref().is_some_and(|r| {
                r.decision == Decision::Approved && r.revision == draft.draft_blob
            });
        Some(DecideDialog {
            decision,
            draft,
            revision,
            comment: Editor::new(true),
            passphrase: needs.then(|| Editor::new(false)),
            on_passphrase: false,
            notes,
            error: None,
            busy: false,
            already_approved,
            asked_again: false,
        })
    }

    /// A field's label, saying whether it has the focus and how to get there.
    fn field_label(&self, lang: Lang, passphrase: bool) -> String {
        let (name, focus) = match (lang, passphrase) {
            (Lang::Vi, false) => ("Ý kiến", "đang nhập"),
            (Lang::En, false) => ("Comment", "typing here"),
            (Lang::Vi, true) => ("Mật khẩu khóa (bắt buộc để ký)", "đang nhập"),
            (Lang::En, true) => ("Key passphrase (needed to sign)", "typing here"),
        };
        if self.passphrase.is_none() {
            format!("{name}:")
        } else if self.on_passphrase == passphrase {
            format!("▶ {name} [{focus}]:")
        } else {
            let tab = match lang {
                Lang::Vi => "Tab để sang ô này",
                Lang::En => "Tab to go here",
            };
            format!("  {name} ({tab}):")
        }
    }

    /// The worker refused the decision.
    pub fn failed(&mut self, e: String) {
        self.busy = false;
        self.error = Some(e);
    }

    /// The field that has the focus.
    fn focused_field(&mut self) -> &mut Editor {
        match (&mut self.passphrase, self.on_passphrase) {
            (Some(p), true) => p,
            _ => &mut self.comment,
        }
    }

    fn submit(&mut self, sh: &mut Shared) {
        if self.decision == Decision::Returned && self.comment.text.trim().is_empty() {
            self.error = Some(match sh.lang {
                Lang::Vi => "Trả lại cần có ý kiến cho người soạn".to_string(),
                Lang::En => "Returning needs a comment for the drafter".to_string(),
            });
            return;
        }
        if let Some(p) = &self.passphrase
            && p.text.is_empty()
        {
            // Never move the focus silently: say what is missing, and how
            // to get there; the reviewer moves.
            self.error = Some(match sh.lang {
                Lang::Vi => "Cần mật khẩu khóa để ký: nhấn Tab để sang ô mật khẩu".to_string(),
                Lang::En => "The key's passphrase is needed to sign: press Tab to go to its field"
                    .to_string(),
            });
            return;
        }
        if self.already_approved && !self.asked_again {
            self.asked_again = true;
            self.error = Some(match sh.lang {
                Lang::Vi => "Bản này đã được duyệt. Nhấn Ctrl-S lần nữa để ký thêm một quyết định duyệt, Esc để thôi".to_string(),
                Lang::En => "This revision is already approved. Press Ctrl-S again to sign a second approval, Esc to stop".to_string(),
            });
            return;
        }
        self.busy = true;
        self.error = None;
        let req = DecisionRequest {
            id: self.draft.id.clone(),
            decision: self.decision,
            // Always the text on screen: refused if it changed meanwhile.
            revision: Some(self.draft.draft_blob.clone()),
            comment: self.comment.text.clone(),
            notes: self.notes.clone(),
            author: None,
        };
        let pass = self.passphrase.as_ref().map(|p| p.text.clone());
        sh.send(Job::Decide(Box::new(req), pass));
    }
}

impl Component for DecideDialog {
    fn scope(&self) -> Scope {
        Scope::Decide
    }

    fn on_command(&mut self, cmd: Command, sh: &mut Shared) -> Outcome {
        if self.busy {
            return Outcome::Consumed;
        }
        match cmd {
            Command::Cancel => sh.ask(Up::Close),
            Command::Sign => self.submit(sh),
            Command::SwitchField => {
                let has = self.passphrase.is_some();
                self.on_passphrase = has && !self.on_passphrase;
            }
            Command::NewLine if self.on_passphrase => self.submit(sh),
            Command::NewLine => self.focused_field().insert("\n"),
            _ => {}
        }
        Outcome::Consumed
    }

    fn on_key(&mut self, key: &KeyEvent, _sh: &mut Shared) -> Outcome {
        if !self.busy {
            let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
            self.focused_field().edit_key(key.code, ctrl);
        }
        Outcome::Consumed
    }

    fn on_paste(&mut self, text: &str, _sh: &mut Shared) {
        self.focused_field().insert(text);
    }

    fn draw(&self, f: &mut Frame<'_>, area: Rect, sh: &Shared, theme: &Theme) {
        let d = self;
        let l = sh.lang;
        let r = centered(area, 84, 20);
        f.render_widget(Clear, r);
        let (word, style) = match d.decision {
            Decision::Approved => (l.t(Msg::Approve), theme.status(Status::Approved)),
            Decision::Returned => (l.t(Msg::Return), theme.status(Status::Returned)),
        };
        let block = Block::bordered().title(Span::styled(
            format!(" {word}: {} ", sc(&d.draft.id)),
            style.add_modifier(Modifier::BOLD),
        ));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let (sign_who, sign_key) = match &sh.signer {
            Some(Ok(s)) => (s.who.clone(), s.key.clone()),
            Some(Err(e)) => (String::new(), e.clone()),
            None => (String::new(), String::new()),
        };
        let (lbl_rev, lbl_by, lbl_key) = match l {
            Lang::Vi => ("Bản", "Người duyệt", "Khóa"),
            Lang::En => ("Revision", "Signed by", "Key"),
        };
        let rev = d.revision.map(|n| format!("#{n} ")).unwrap_or_default();
        let mut lines = vec![
            Line::raw(truncate(&sc(&d.draft.meta.title), inner.width as usize)),
            Line::raw(format!("{lbl_rev}: {rev}(blob {:.12})", d.draft.draft_blob)),
            Line::raw(format!("{lbl_by}: {sign_who}")),
            Line::raw(truncate(
                &format!("{lbl_key}: {sign_key}"),
                inner.width as usize,
            )),
        ];
        if d.already_approved {
            let warn = match l {
                Lang::Vi => "⚠ Bản này đã được duyệt; ký nữa sẽ ghi thêm một quyết định",
                Lang::En => "⚠ This revision is already approved; signing records another decision",
            };
            lines.push(Line::styled(
                truncate(warn, inner.width as usize),
                theme.status(Status::Returned).add_modifier(Modifier::BOLD),
            ));
        }
        for n in &d.notes {
            lines.push(Line::raw(truncate(
                &format!("✎ [{}] {}", n.line, sc(&n.text)),
                inner.width as usize,
            )));
        }
        lines.push(Line::styled(
            truncate(&d.field_label(l, false), inner.width as usize),
            Style::default().add_modifier(Modifier::BOLD),
        ));
        let (cl, _) = d.comment.cursor_line_col();
        for (i, text) in d.comment.text.split('\n').enumerate() {
            let mut t = text.to_string();
            if i == cl && !d.on_passphrase {
                let (_, col) = d.comment.cursor_line_col();
                t.insert(col.min(t.len()), '▏');
            }
            lines.push(Line::raw(format!("  {t}")));
        }
        if let Some(p) = &d.passphrase {
            let stars = "•".repeat(p.text.chars().count());
            let cur = if d.on_passphrase { "▏" } else { "" };
            let style = if d.on_passphrase {
                Style::default().add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            lines.push(Line::styled(
                truncate(&d.field_label(l, true), inner.width as usize),
                style,
            ));
            lines.push(Line::raw(format!("  {stars}{cur}")));
        }
        if let Some(e) = &d.error {
            lines.push(Line::styled(
                sc(e).into_owned(),
                theme.status(Status::Returned).add_modifier(Modifier::BOLD),
            ));
        }
        let hint = if d.busy {
            l.t(Msg::Loading).to_string()
        } else {
            sh.keymap.hint(Scope::Decide, l, "   ")
        };
        lines.push(Line::styled(hint, Style::default().fg(theme.dim)));
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
