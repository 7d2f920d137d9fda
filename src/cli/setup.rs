//! Getting started: keygen, demo, and opening the TUI.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use super::context::Failure;
use crate::i18n::Lang;
use crate::ops;
use crate::repo::{DraftRepo, Error};
use crate::sign;

/// Opens the TUI on the repository at `repo` (default: discovered).
pub(super) fn tui(repo: Option<&Path>, flag: Option<Lang>) -> Result<i32, Failure> {
    let repo = match DraftRepo::open(repo) {
        Ok(r) => r,
        Err(Error::NotARepo(p)) => {
            return Err(Failure(format!(
                "{} is not a drafts repository. Try the demo: `duyet demo` (or `cargo run --release -- demo`), or pass --repo PATH",
                p.display()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    crate::tui::run(repo, flag).map_err(Failure)
}

/// `duyet demo`: makes the demo repository, and opens it on a terminal.
pub(super) fn demo(dir: Option<&Path>, no_open: bool, flag: Option<Lang>) -> Result<i32, Failure> {
    let dir = dir
        .map(Path::to_path_buf)
        .unwrap_or_else(ops::demo::default_dir);
    let repo = ops::demo::create(&dir)?;
    println!("{}", dir.display());
    eprint!(
        "{}",
        ops::demo::how_to_act(&repo, super::context::ui_lang() == Lang::Vi)
    );
    if no_open || !std::io::stdout().is_terminal() {
        eprintln!(
            "duyet: demo repository created; open it with `duyet --repo {}`",
            dir.display()
        );
        Ok(0)
    } else {
        crate::tui::run(repo, flag).map_err(Failure)
    }
}

/// `duyet keygen`.
pub(super) fn keygen(file: Option<PathBuf>, comment: &str) -> Result<i32, Failure> {
    let path = match file {
        Some(p) => p,
        None => std::env::var_os("HOME")
            .map(PathBuf::from)
            .ok_or_else(|| Failure("HOME is not set: pass --file PATH".to_string()))?
            .join(".ssh")
            .join("duyet_ed25519"),
    };
    let passphrase = if std::io::stdin().is_terminal() {
        rpassword::prompt_password("Passphrase (empty for none): ")
            .map_err(|e| Failure(format!("cannot read the passphrase: {e}")))?
    } else {
        String::new()
    };
    let public = sign::generate_key(&path, comment, Some(&passphrase))
        .map_err(|e| Failure(e.to_string()))?;
    println!(
        "Wrote {} and {}",
        path.display(),
        sign::pub_path(&path).display()
    );
    println!("Public key (add it to .duyet/trust.toml):\n  {public}");
    println!("Sign decisions with it:");
    println!("  git config gpg.format ssh");
    println!("  git config user.signingKey {}", path.display());
    Ok(0)
}
