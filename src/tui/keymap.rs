//! Key bindings as data: each binding has a context, its keys, the command
//! it runs and a description. Help and the status bar are made from this
//! table, and the config file can rebind commands by name.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ctx {
    /// Everywhere (unless a popup takes the key).
    Global,
    /// The drafts list.
    List,
    /// The draft screen (revisions and diff).
    Draft,
    /// The audit screen.
    Audit,
}

/// A command a key can run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Leave the program.
    Quit,
    /// Show or hide help.
    Help,
    /// Move up.
    Up,
    /// Move down.
    Down,
    /// Page up.
    PageUp,
    /// Page down.
    PageDown,
    /// First row.
    Top,
    /// Last row.
    Bottom,
    /// Scroll left.
    Left,
    /// Scroll right.
    Right,
    /// Open the selection.
    Open,
    /// Go back.
    Back,
    /// Switch pane.
    FocusNext,
    /// Search the list.
    Search,
    /// Cycle the status filter.
    Filter,
    /// Toggle sort order.
    Sort,
    /// Next change in the diff.
    NextChange,
    /// Previous change.
    PrevChange,
    /// Unified / side by side.
    ToggleLayout,
    /// Wrap long lines or scroll them.
    Wrap,
    /// Mark a revision to compare.
    Mark,
    /// Approve.
    Approve,
    /// Return.
    Return,
    /// Note on the cursor line.
    Note,
    /// Reload from the repository.
    Reload,
    /// The audit screen.
    Audit,
    /// Show only findings.
    FindingsOnly,
    /// Edit the draft in $EDITOR.
    Edit,
    /// Sync with the remote.
    Sync,
}

impl Command {
    /// All commands with their config names.
    pub const NAMES: [(Command, &'static str); 29] = [
        (Command::Quit, "quit"),
        (Command::Help, "help"),
        (Command::Up, "up"),
        (Command::Down, "down"),
        (Command::PageUp, "page_up"),
        (Command::PageDown, "page_down"),
        (Command::Top, "top"),
        (Command::Bottom, "bottom"),
        (Command::Left, "left"),
        (Command::Right, "right"),
        (Command::Open, "open"),
        (Command::Back, "back"),
        (Command::FocusNext, "focus_next"),
        (Command::Search, "search"),
        (Command::Filter, "filter"),
        (Command::Sort, "sort"),
        (Command::NextChange, "next_change"),
        (Command::PrevChange, "prev_change"),
        (Command::ToggleLayout, "toggle_layout"),
        (Command::Wrap, "wrap"),
        (Command::Mark, "mark"),
        (Command::Approve, "approve"),
        (Command::Return, "return"),
        (Command::Note, "note"),
        (Command::Reload, "reload"),
        (Command::Audit, "audit"),
        (Command::FindingsOnly, "findings_only"),
        (Command::Edit, "edit"),
        (Command::Sync, "sync"),
    ];

    /// The command named `name` in the config file.
    pub fn by_name(name: &str) -> Option<Command> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(c, _)| *c)
    }

    /// (Vietnamese, English) description.
    pub fn desc(self) -> (&'static str, &'static str) {
        match self {
            Command::Quit => ("thoát", "quit"),
            Command::Help => ("trợ giúp", "help"),
            Command::Up => ("lên", "up"),
            Command::Down => ("xuống", "down"),
            Command::PageUp => ("lên một trang", "page up"),
            Command::PageDown => ("xuống một trang", "page down"),
            Command::Top => ("về đầu", "top"),
            Command::Bottom => ("về cuối", "bottom"),
            Command::Left => ("cuộn trái", "scroll left"),
            Command::Right => ("cuộn phải", "scroll right"),
            Command::Open => ("mở", "open"),
            Command::Back => ("quay lại", "back"),
            Command::FocusNext => (
                "đổi khung (lịch sử, so sánh, kiểm tra)",
                "switch pane (history, diff, checks)",
            ),
            Command::Search => ("tìm", "search"),
            Command::Filter => ("lọc trạng thái", "filter status"),
            Command::Sort => ("sắp xếp", "sort"),
            Command::NextChange => ("thay đổi sau", "next change"),
            Command::PrevChange => ("thay đổi trước", "previous change"),
            Command::ToggleLayout => ("một/hai cột", "unified/side by side"),
            Command::Wrap => ("ngắt dòng dài", "wrap long lines"),
            Command::Mark => ("đánh dấu bản để so", "mark revision to compare"),
            Command::Approve => ("duyệt", "approve"),
            Command::Return => ("trả lại", "return"),
            Command::Note => ("ghi chú dòng", "note on line"),
            Command::Reload => ("tải lại", "reload"),
            Command::Audit => ("kiểm tra dấu vết phê duyệt", "audit the approval trail"),
            Command::FindingsOnly => ("chỉ hiện phát hiện", "findings only"),
            Command::Edit => ("sửa dự thảo (trình soạn thảo)", "edit the draft ($EDITOR)"),
            Command::Sync => ("đồng bộ với máy chủ", "sync with the remote"),
        }
    }

    /// The description in `lang`.
    pub fn describe(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.desc().0,
            Lang::En => self.desc().1,
        }
    }
}

/// One binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Where it applies.
    pub ctx: Ctx,
    /// Keys, as written in the config ("j", "Down", "C-s", "PageDown").
    pub keys: Vec<String>,
    /// What it runs.
    pub command: Command,
    /// Shown in the status bar.
    pub bar: bool,
}

fn b(ctx: Ctx, keys: &[&str], command: Command, bar: bool) -> Binding {
    Binding {
        ctx,
        keys: keys.iter().map(|k| k.to_string()).collect(),
        command,
        bar,
    }
}

/// The key table.
#[derive(Debug, Clone)]
pub struct Keymap {
    /// Bindings, in help order.
    pub bindings: Vec<Binding>,
}

impl Default for Keymap {
    fn default() -> Self {
        use Command::*;
        use Ctx::*;
        Keymap {
            bindings: vec![
                b(Global, &["q"], Quit, true),
                b(Global, &["?"], Help, true),
                b(Global, &["Up", "k"], Up, false),
                b(Global, &["Down", "j"], Down, false),
                b(Global, &["PageUp", "C-b"], PageUp, false),
                b(Global, &["PageDown", "C-f", " "], PageDown, false),
                b(Global, &["Home", "g"], Top, false),
                b(Global, &["End", "G"], Bottom, false),
                b(Global, &["R"], Reload, false),
                b(Global, &["A"], Command::Audit, true),
                b(Global, &["S"], Sync, false),
                b(List, &["Enter"], Open, true),
                b(List, &["/"], Search, true),
                b(List, &["f"], Filter, true),
                b(List, &["s"], Sort, true),
                b(List, &["a"], Approve, true),
                b(List, &["r"], Return, true),
                b(List, &["e"], Edit, false),
                b(Ctx::Audit, &["Esc", "Backspace"], Back, true),
                b(Ctx::Audit, &["Enter"], Open, true),
                b(Ctx::Audit, &["f"], FindingsOnly, true),
                b(Draft, &["Esc", "Backspace"], Back, true),
                b(Draft, &["Tab"], FocusNext, true),
                b(Draft, &["Enter"], Open, false),
                b(Draft, &["n"], NextChange, true),
                b(Draft, &["N", "p"], PrevChange, true),
                b(Draft, &["t"], ToggleLayout, true),
                b(Draft, &["w"], Wrap, false),
                b(Draft, &["m"], Mark, true),
                b(Draft, &["Left", "h"], Left, false),
                b(Draft, &["Right", "l"], Right, false),
                b(Draft, &["c"], Note, true),
                b(Draft, &["a"], Approve, true),
                b(Draft, &["r"], Return, true),
                b(Draft, &["e"], Edit, false),
            ],
        }
    }
}

/// Writes a key event as the keymap spells keys.
pub fn key_name(k: &KeyEvent) -> Option<String> {
    let base = match k.code {
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "BackTab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::PageUp => "PageUp".into(),
        KeyCode::PageDown => "PageDown".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::F(n) => format!("F{n}"),
        _ => return None,
    };
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        Some(format!("C-{base}"))
    } else if k.modifiers.contains(KeyModifiers::ALT) {
        Some(format!("M-{base}"))
    } else {
        Some(base)
    }
}

impl Keymap {
    /// The command bound to `key` in `ctx` (screen bindings before global ones).
    pub fn lookup(&self, ctx: Ctx, key: &KeyEvent) -> Option<Command> {
        let name = key_name(key)?;
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Command::Quit);
        }
        [ctx, Ctx::Global].into_iter().find_map(|c| {
            self.bindings
                .iter()
                .find(|b| b.ctx == c && b.keys.contains(&name))
                .map(|b| b.command)
        })
    }

    /// Bindings that apply in `ctx`, screen ones first.
    pub fn for_ctx(&self, ctx: Ctx) -> impl Iterator<Item = &Binding> {
        self.bindings
            .iter()
            .filter(move |b| b.ctx == ctx)
            .chain(self.bindings.iter().filter(move |b| b.ctx == Ctx::Global))
    }

    /// Replaces the keys of `command` (in every context it is bound in).
    pub fn rebind(&mut self, overrides: &HashMap<Command, Vec<String>>) {
        for b in &mut self.bindings {
            if let Some(keys) = overrides.get(&b.command) {
                b.keys = keys.clone();
            }
        }
    }
}
