//! The interface language of the command line: `--lang`, then the config
//! file's `lang`, then the locale.

mod common;

use std::process::Command;

use common::*;

fn list(dir: &std::path::Path, config: Option<&std::path::Path>, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .current_dir(dir)
        .args(args)
        .arg("list")
        .env("NO_COLOR", "1")
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env(
            "DUYET_CONFIG",
            config.unwrap_or(std::path::Path::new("/nonexistent/config.toml")),
        )
        .output()
        .expect("duyet runs");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out)
}

#[test]
fn the_config_files_language_speaks_on_the_command_line_too() {
    let t = tmp();
    let dir = repo_with_draft(t.path(), "Nội dung\n");
    let config = t.path().join("config.toml");
    std::fs::write(&config, "lang = \"vi\"\n").expect("config written");
    // The locale (LANG=C) alone: English.
    let plain = list(&dir, None, &[]);
    assert!(
        plain.contains("pending") && !plain.contains("chờ duyệt"),
        "{plain}"
    );
    // The config file beats the locale.
    let vi = list(&dir, Some(&config), &[]);
    assert!(vi.contains("chờ duyệt"), "{vi}");
    // --lang beats the config file.
    let en = list(&dir, Some(&config), &["--lang", "en"]);
    assert!(en.contains("pending") && !en.contains("chờ duyệt"), "{en}");
    // A config file that does not parse leaves the locale's language.
    std::fs::write(&config, "lang = \"fr\"\n").expect("config written");
    let broken = list(&dir, Some(&config), &[]);
    assert!(broken.contains("pending"), "{broken}");
}
