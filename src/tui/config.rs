//! The config file (TOML, `$XDG_CONFIG_HOME/duyet/config.toml`): language,
//! theme colours, key overrides. Mistakes are reported with their line;
//! unknown keys are errors, not ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::keymap::{Command, Keymap};
use super::theme::Theme;
use crate::i18n::Lang;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    lang: Option<String>,
    #[serde(default)]
    theme: HashMap<String, String>,
    #[serde(default)]
    keys: HashMap<String, Vec<String>>,
}

/// What the config file sets.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Language, when set.
    pub lang: Option<Lang>,
    /// Colours.
    pub theme: Theme,
    /// Keys.
    pub keymap: Keymap,
}

/// Where the config file is looked for: `$DUYET_CONFIG`, else
/// `$XDG_CONFIG_HOME/duyet/config.toml`, else `~/.config/duyet/config.toml`.
pub fn default_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DUYET_CONFIG") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("duyet").join("config.toml"))
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.trim_start().starts_with(needle))
        .map(|i| i + 1)
        .unwrap_or(1)
}

/// Parses config text; `path` names the file in errors.
pub fn parse(path: &Path, text: &str) -> Result<Config, String> {
    let file: File = toml::from_str(text).map_err(|e| {
        let line = e
            .span()
            .map(|s| text[..s.start.min(text.len())].matches('\n').count() + 1)
            .unwrap_or(1);
        format!("{}:{line}: {}", path.display(), e.message().trim())
    })?;
    let mut cfg = Config::default();
    if let Some(l) = &file.lang {
        cfg.lang = Some(Lang::parse(l).ok_or_else(|| {
            format!(
                "{}:{}: lang = \"{l}\": use \"vi\" or \"en\"",
                path.display(),
                line_of(text, "lang")
            )
        })?);
    }
    for (name, value) in &file.theme {
        let color = value.parse().map_err(|_| {
            format!(
                "{}:{}: theme.{name} = \"{value}\" is not a colour (a name such as \"red\", or \"#rrggbb\")",
                path.display(),
                line_of(text, name)
            )
        })?;
        if !cfg.theme.set(name, color) {
            return Err(format!(
                "{}:{}: unknown theme colour '{name}' (pending, approved, returned, revised, changed, delete, insert, selection, dim)",
                path.display(),
                line_of(text, name)
            ));
        }
    }
    let mut overrides = HashMap::new();
    for (name, keys) in &file.keys {
        let cmd = Command::by_name(name).ok_or_else(|| {
            format!(
                "{}:{}: unknown command '{name}' in [keys]",
                path.display(),
                line_of(text, name)
            )
        })?;
        if keys.is_empty() {
            return Err(format!(
                "{}:{}: keys.{name} needs at least one key",
                path.display(),
                line_of(text, name)
            ));
        }
        overrides.insert(cmd, keys.clone());
    }
    cfg.keymap.rebind(&overrides);
    Ok(cfg)
}

/// Loads the config file if it exists.
pub fn load() -> Result<Config, String> {
    match default_path() {
        Some(p) if p.exists() => {
            let text = std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
            parse(&p, &text)
        }
        _ => Ok(Config::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    fn p(text: &str) -> Result<Config, String> {
        parse(Path::new("config.toml"), text)
    }

    #[test]
    fn valid_config() {
        let c =
            p("lang = \"vi\"\n[theme]\npending = \"#ffaa00\"\n[keys]\napprove = [\"A\", \"F5\"]\n")
                .unwrap();
        assert_eq!(c.lang, Some(Lang::Vi));
        assert_eq!(c.theme.pending, Color::Rgb(0xff, 0xaa, 0));
        assert!(
            c.keymap
                .bindings
                .iter()
                .any(|b| b.command == Command::Approve && b.keys == ["A", "F5"])
        );
    }

    #[test]
    fn popup_keys_are_rebound_by_name_too() {
        use crate::tui::keymap::Scope;
        let c = p("[keys]\nsign = [\"F2\"]\nswitch_field = [\"C-t\"]\n").unwrap();
        let keys = |scope, cmd| {
            c.keymap
                .bindings
                .iter()
                .find(|b| b.scope == scope && b.command == cmd)
                .map(|b| b.keys.clone())
        };
        assert_eq!(keys(Scope::Decide, Command::Sign), Some(vec!["F2".into()]));
        assert_eq!(
            keys(Scope::Decide, Command::SwitchField),
            Some(vec!["C-t".into()])
        );
    }

    #[test]
    fn invalid_configs_name_the_line() {
        let e = p("lang = \"vi\"\nlanguage = \"en\"\n").unwrap_err();
        assert!(e.starts_with("config.toml:2:"), "{e}");
        let e = p("[theme]\n\npendng = \"red\"\n").unwrap_err();
        assert!(
            e.contains("config.toml:3:") && e.contains("unknown theme colour 'pendng'"),
            "{e}"
        );
        let e = p("[theme]\npending = \"reddish\"\n").unwrap_err();
        assert!(e.contains(":2:") && e.contains("not a colour"), "{e}");
        let e = p("[keys]\napprov = [\"a\"]\n").unwrap_err();
        assert!(
            e.contains(":2:") && e.contains("unknown command 'approv'"),
            "{e}"
        );
        let e = p("lang = \"fr\"\n").unwrap_err();
        assert!(e.contains(":1:"), "{e}");
        let e = p("lang = \n").unwrap_err();
        assert!(e.contains(":1:"), "{e}");
    }
}
