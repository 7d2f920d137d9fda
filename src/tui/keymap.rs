//! Key bindings as data: each binding has a context, its keys, the command
//! it runs and a description. Help and the status bar are made from this
//! table, and the config file can rebind commands by name.

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

/// Where a binding applies: a screen or a popup (a component).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every screen (unless a popup is open: popups take all keys).
    Global,
    /// The drafts list.
    List,
    /// The draft screen (revisions, diff and checks).
    Draft,
    /// The audit screen.
    Audit,
    /// The decision dialog.
    Decide,
    /// The line note popup.
    Note,
    /// The new revision's message popup.
    Revision,
    /// Typing a search.
    Search,
    /// The help popup.
    Help,
    /// A long message (a refused sync).
    Notice,
}

impl Scope {
    /// Every scope, screens first, then popups.
    pub const ALL: [Scope; 10] = [
        Scope::Global,
        Scope::List,
        Scope::Draft,
        Scope::Audit,
        Scope::Decide,
        Scope::Note,
        Scope::Revision,
        Scope::Search,
        Scope::Help,
        Scope::Notice,
    ];

    /// Whether this is a popup: popups take every key, and global keys do
    /// not apply while one is open.
    pub fn is_popup(self) -> bool {
        !matches!(
            self,
            Scope::Global | Scope::List | Scope::Draft | Scope::Audit
        )
    }

    /// (Vietnamese, English) name, as help shows it.
    pub fn desc(self) -> (&'static str, &'static str) {
        match self {
            Scope::Global => ("Mọi màn hình", "Every screen"),
            Scope::List => ("Danh sách", "Drafts list"),
            Scope::Draft => ("Dự thảo", "Draft"),
            Scope::Audit => ("Dấu vết phê duyệt", "Approval trail"),
            Scope::Decide => ("Hộp quyết định", "Decision dialog"),
            Scope::Note => ("Ghi chú dòng", "Line note"),
            Scope::Revision => ("Ghi bản sửa", "New revision"),
            Scope::Search => ("Tìm", "Search"),
            Scope::Help => ("Trợ giúp", "Help"),
            Scope::Notice => ("Thông báo", "Notice"),
        }
    }

    /// The name in `lang`.
    pub fn describe(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Vi => self.desc().0,
            Lang::En => self.desc().1,
        }
    }
}

/// Defines [`Command`] with its (Vietnamese, English) descriptions; the
/// config names are derived from the variant names (`PageUp` → `page_up`).
macro_rules! commands {
    ($( $(#[$doc:meta])* $variant:ident => ($vi:literal, $en:literal), )*) => {
        /// A command a key can run.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Command {
            $( $(#[$doc])* $variant, )*
        }

        impl Command {
            /// Every command.
            pub const ALL: &'static [Command] = &[$(Command::$variant),*];

            fn variant_name(self) -> &'static str {
                match self {
                    $( Command::$variant => stringify!($variant), )*
                }
            }

            /// (Vietnamese, English) description.
            pub fn desc(self) -> (&'static str, &'static str) {
                match self {
                    $( Command::$variant => ($vi, $en), )*
                }
            }
        }
    };
}

commands! {
    /// Leave the program.
    Quit => ("thoát", "quit"),
    /// Show or hide help.
    Help => ("trợ giúp", "help"),
    /// Move up.
    Up => ("lên", "up"),
    /// Move down.
    Down => ("xuống", "down"),
    /// Page up.
    PageUp => ("lên một trang", "page up"),
    /// Page down.
    PageDown => ("xuống một trang", "page down"),
    /// First row.
    Top => ("về đầu", "top"),
    /// Last row.
    Bottom => ("về cuối", "bottom"),
    /// Scroll left.
    Left => ("cuộn trái", "scroll left"),
    /// Scroll right.
    Right => ("cuộn phải", "scroll right"),
    /// Open the selection.
    Open => ("mở", "open"),
    /// Go back.
    Back => ("quay lại", "back"),
    /// Switch pane.
    FocusNext => (
        "đổi khung (lịch sử, so sánh, kiểm tra)",
        "switch pane (history, diff, checks)"
    ),
    /// Search the list.
    Search => ("tìm", "search"),
    /// Cycle the status filter.
    Filter => ("lọc trạng thái", "filter status"),
    /// Toggle sort order.
    Sort => ("sắp xếp", "sort"),
    /// Next change in the diff.
    NextChange => ("thay đổi sau", "next change"),
    /// Previous change.
    PrevChange => ("thay đổi trước", "previous change"),
    /// Unified / side by side.
    ToggleLayout => ("một/hai cột", "unified/side by side"),
    /// Wrap long lines or scroll them.
    Wrap => ("ngắt dòng dài", "wrap long lines"),
    /// Mark a revision to compare.
    Mark => ("đánh dấu bản để so", "mark revision to compare"),
    /// Approve.
    Approve => ("duyệt", "approve"),
    /// Return.
    Return => ("trả lại", "return"),
    /// Note on the cursor line.
    Note => ("ghi chú dòng", "note on line"),
    /// Reload from the repository.
    Reload => ("tải lại", "reload"),
    /// The audit screen.
    Audit => ("kiểm tra dấu vết phê duyệt", "audit the approval trail"),
    /// Show only findings.
    FindingsOnly => ("chỉ hiện phát hiện", "findings only"),
    /// Edit the draft in $EDITOR.
    Edit => ("sửa dự thảo (trình soạn thảo)", "edit the draft ($EDITOR)"),
    /// Sync with the remote.
    Sync => ("đồng bộ với máy chủ", "sync with the remote"),
    /// Sign and record the decision (decision dialog).
    Sign => ("ký và ghi", "sign and record"),
    /// Close a popup, keeping or doing what it holds (note, revision, search).
    Confirm => ("xác nhận", "confirm"),
    /// Close a popup without doing anything.
    Cancel => ("hủy", "cancel"),
    /// Dismiss the error in the status line.
    Dismiss => ("bỏ qua thông báo lỗi", "dismiss the error message"),
    /// Move between the fields of the decision dialog.
    SwitchField => ("sang ô khác (ý kiến, mật khẩu)", "switch field (comment, passphrase)"),
    /// A line break in the comment (in the passphrase: sign).
    NewLine => ("xuống dòng (ở ô mật khẩu: ký)", "new line (in the passphrase: sign)"),
}

impl Command {
    /// The command's name in the config file: the variant's name in
    /// snake case (`PageUp` → `page_up`).
    pub fn name(self) -> String {
        let mut out = String::new();
        for (i, c) in self.variant_name().chars().enumerate() {
            if c.is_ascii_uppercase() {
                if i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            } else {
                out.push(c);
            }
        }
        out
    }

    /// The command named `name` in the config file.
    pub fn by_name(name: &str) -> Option<Command> {
        Self::ALL.iter().copied().find(|c| c.name() == name)
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
    pub scope: Scope,
    /// Keys, as written in the config ("j", "Down", "C-s", "PageDown").
    pub keys: Vec<String>,
    /// What it runs.
    pub command: Command,
    /// Shown in the status bar (or a popup's own hint line).
    pub bar: bool,
    /// What the binding does here, when the command's own description is
    /// too general ("Enter: keep" in the note popup): (Vietnamese, English).
    pub label: Option<(&'static str, &'static str)>,
}

impl Binding {
    /// What the binding does, in `lang`.
    pub fn describe(&self, lang: Lang) -> &'static str {
        match (self.label, lang) {
            (Some((vi, _)), Lang::Vi) => vi,
            (Some((_, en)), Lang::En) => en,
            (None, _) => self.command.describe(lang),
        }
    }
}

fn b(scope: Scope, keys: &[&str], command: Command, bar: bool) -> Binding {
    Binding {
        scope,
        keys: keys.iter().map(|k| k.to_string()).collect(),
        command,
        bar,
        label: None,
    }
}

fn labelled(
    scope: Scope,
    keys: &[&str],
    command: Command,
    label: (&'static str, &'static str),
) -> Binding {
    Binding {
        label: Some(label),
        ..b(scope, keys, command, true)
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
        use Scope::*;
        Keymap {
            bindings: vec![
                b(Global, &["q"], Quit, true),
                b(Global, &["?"], Command::Help, true),
                b(Global, &["Up", "k"], Up, false),
                b(Global, &["Down", "j"], Down, false),
                b(Global, &["PageUp", "C-b"], PageUp, false),
                b(Global, &["PageDown", "C-f", " "], PageDown, false),
                b(Global, &["Home", "g"], Top, false),
                b(Global, &["End", "G"], Bottom, false),
                b(Global, &["R"], Reload, false),
                b(Global, &["A"], Command::Audit, true),
                b(Global, &["S"], Sync, false),
                b(Global, &["Esc"], Dismiss, false),
                b(List, &["Enter"], Open, true),
                b(List, &["/"], Command::Search, true),
                b(List, &["f"], Filter, true),
                b(List, &["s"], Sort, true),
                b(List, &["a"], Approve, true),
                b(List, &["r"], Return, true),
                b(List, &["e"], Edit, false),
                b(Scope::Audit, &["Esc", "Backspace"], Back, true),
                b(Scope::Audit, &["Enter"], Open, true),
                b(Scope::Audit, &["f"], FindingsOnly, true),
                // The decisions first: the bar is cut from the right.
                b(Draft, &["a"], Approve, true),
                b(Draft, &["r"], Return, true),
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
                b(Draft, &["c"], Command::Note, true),
                b(Draft, &["e"], Edit, false),
                b(Decide, &["C-s"], Sign, true),
                b(Decide, &["Esc"], Cancel, true),
                b(Decide, &["Tab", "BackTab"], SwitchField, false),
                b(Decide, &["Enter"], NewLine, false),
                labelled(Scope::Note, &["Enter"], Confirm, ("lưu", "keep")),
                labelled(Scope::Note, &["Esc"], Cancel, ("bỏ", "cancel")),
                labelled(Revision, &["Enter"], Confirm, ("ghi", "commit")),
                labelled(Revision, &["Esc"], Cancel, ("bỏ", "drop")),
                labelled(
                    Scope::Search,
                    &["Enter", "Down", "Up"],
                    Confirm,
                    ("xong", "done"),
                ),
                labelled(
                    Scope::Search,
                    &["Esc"],
                    Cancel,
                    ("xóa và thôi tìm", "clear and stop"),
                ),
                labelled(Scope::Help, &["Down", "j"], Down, ("cuộn", "scroll")),
                b(Scope::Help, &["Up", "k"], Up, false),
                b(Scope::Help, &["PageDown", " "], PageDown, false),
                b(Scope::Help, &["PageUp"], PageUp, false),
                b(Scope::Help, &["Home", "g"], Top, false),
                b(Scope::Help, &["End", "G"], Bottom, false),
                labelled(Scope::Help, &["Esc", "q", "?"], Cancel, ("đóng", "close")),
                labelled(
                    Notice,
                    &["Esc"],
                    Cancel,
                    ("đóng (phím bất kỳ)", "close (any key)"),
                ),
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
    /// The command bound to `key` in `scope`: a screen's bindings before
    /// the global ones; a popup's alone.
    pub fn lookup(&self, scope: Scope, key: &KeyEvent) -> Option<Command> {
        let name = key_name(key)?;
        if scope.is_popup() {
            return self
                .bindings
                .iter()
                .find(|b| b.scope == scope && b.keys.contains(&name))
                .map(|b| b.command);
        }
        if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
            return Some(Command::Quit);
        }
        [scope, Scope::Global].into_iter().find_map(|c| {
            self.bindings
                .iter()
                .find(|b| b.scope == c && b.keys.contains(&name))
                .map(|b| b.command)
        })
    }

    /// Bindings that apply in `scope`: a screen's own first, then the
    /// global ones; a popup's alone.
    pub fn for_scope(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        let global = !scope.is_popup() && scope != Scope::Global;
        self.bindings
            .iter()
            .filter(move |b| b.scope == scope)
            .chain(
                self.bindings
                    .iter()
                    .filter(move |b| global && b.scope == Scope::Global),
            )
    }

    /// Bindings of `scope` only.
    pub fn of_scope(&self, scope: Scope) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(move |b| b.scope == scope)
    }

    /// "Enter: keep, Esc: cancel": the status-bar bindings of a popup, as
    /// its title or hint line shows them.
    pub fn hint(&self, scope: Scope, lang: Lang, sep: &str) -> String {
        self.of_scope(scope)
            .filter(|b| b.bar)
            .map(|b| {
                let key = b.keys.first().map(|k| hint_key(k)).unwrap_or_default();
                format!("{key}: {}", b.describe(lang))
            })
            .collect::<Vec<_>>()
            .join(sep)
    }

    /// Replaces the keys of `command` (in every scope it is bound in).
    pub fn rebind(&mut self, overrides: &HashMap<Command, Vec<String>>) {
        for b in &mut self.bindings {
            if let Some(keys) = overrides.get(&b.command) {
                b.keys = keys.clone();
            }
        }
    }
}

/// A key as help and the status bar show it ("Space" for " ").
pub fn pretty_key(k: &str) -> String {
    match k {
        " " => "Space".to_string(),
        other => other.to_string(),
    }
}

/// A key as a popup's hint shows it ("Ctrl-S" for "C-s").
pub fn hint_key(k: &str) -> String {
    match k.strip_prefix("C-") {
        Some(rest) => format!("Ctrl-{}", rest.to_uppercase()),
        None => pretty_key(k),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_names_are_derived_and_unique() {
        assert_eq!(Command::PageUp.name(), "page_up");
        assert_eq!(Command::FindingsOnly.name(), "findings_only");
        assert_eq!(Command::by_name("quit"), Some(Command::Quit));
        let mut names: Vec<String> = Command::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Command::ALL.len());
    }

    #[test]
    fn popups_take_their_keys_and_no_global_ones() {
        let k = Keymap::default();
        let key = |c| KeyEvent::new(c, KeyModifiers::NONE);
        assert_eq!(
            k.lookup(Scope::Note, &key(KeyCode::Enter)),
            Some(Command::Confirm)
        );
        assert_eq!(k.lookup(Scope::Note, &key(KeyCode::Char('q'))), None);
        assert_eq!(
            k.lookup(
                Scope::Decide,
                &KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)
            ),
            Some(Command::Sign)
        );
        assert_eq!(
            k.lookup(Scope::List, &key(KeyCode::Char('q'))),
            Some(Command::Quit)
        );
        assert_eq!(
            k.hint(Scope::Decide, Lang::En, "   "),
            "Ctrl-S: sign and record   Esc: cancel"
        );
    }
}
