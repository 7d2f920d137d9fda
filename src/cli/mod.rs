//! The command line (clap). Every TUI action also works here, so scripts
//! and tests can do what a reviewer does.
//!
//! `args` holds the clap types; one file per command group (`read`,
//! `decide`, `draft`, `trust`, `sync`, `audit`, `setup`) adapts the
//! use cases of `ops` to the terminal; `output` formats, `term` writes.
//! This file only parses, picks the language and dispatches.

mod args;
mod audit;
mod context;
mod decide;
mod draft;
mod output;
mod progress;
mod read;
mod report;
mod setup;
mod sync;
mod term;
mod trust;

use clap::Parser;

pub use args::{Cli, Command, HookAction, TrustAction};

pub use context::Failure;
use context::{LANG, ui_lang};

use crate::i18n::Lang;
use crate::model::Decision;
use crate::model::safe::visible_line;

/// Parses the command line and runs; returns the process exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    let opens_tui = matches!(
        cli.command,
        None | Some(Command::Tui) | Some(Command::Demo { no_open: false, .. })
    );
    crate::repo::tune(opens_tui);
    let flag = cli.lang.as_deref().and_then(Lang::parse);
    if let Some(l) = &cli.lang
        && flag.is_none()
    {
        eprintln!("duyet: --lang {l}: use vi or en");
        return 2;
    }
    let _ = LANG.set(flag.or_else(config_lang).unwrap_or_else(Lang::from_env));
    match run(&cli, flag) {
        Ok(code) => code,
        Err(Failure(msg)) => {
            // Messages quote ids, paths and names from the repository.
            eprintln!("duyet: {}", visible_line(&msg));
            2
        }
    }
}

/// The config file's `lang`, when it sets one. A config file that does
/// not parse is the TUI's to report; here (hooks on a server included) it
/// only means no language is configured.
fn config_lang() -> Option<Lang> {
    crate::tui::config::load().ok().and_then(|c| c.lang)
}

fn run(cli: &Cli, flag: Option<Lang>) -> Result<i32, Failure> {
    let lang = ui_lang();
    let color = term::color_enabled();
    let style = |json| read::Style { lang, color, json };
    let repo = cli.repo.as_deref();
    let Some(command) = &cli.command else {
        return setup::tui(repo, flag);
    };
    match command {
        Command::Tui => setup::tui(repo, flag),
        Command::List { status, json } => read::list(repo, status, style(*json)),
        Command::Show { id, rev } => read::show(repo, id, rev.as_deref()),
        Command::Log { id, json } => read::log(repo, id, style(*json)),
        Command::Diff { id, a, b, json } => {
            read::diff(repo, id, a.as_deref(), b.as_deref(), style(*json))
        }
        Command::Check { id, rev, json } => read::check(repo, id, rev.as_deref(), style(*json)),
        Command::Approve {
            id,
            revision,
            step,
            message,
        } => decide::decide(
            repo,
            id,
            (Decision::Approved, decide::parse_step(step.as_deref())?),
            revision.clone(),
            message,
            &[],
        ),
        Command::Return {
            id,
            revision,
            step,
            message,
            notes,
        } => decide::decide(
            repo,
            id,
            (Decision::Returned, decide::parse_step(step.as_deref())?),
            revision.clone(),
            message,
            notes,
        ),
        Command::Keygen { file, comment } => setup::keygen(file.clone(), comment),
        Command::Audit {
            intro,
            json,
            csv,
            no_record,
            full,
            filter,
        } => audit::audit(
            repo,
            audit::Request {
                intro: intro.as_deref(),
                json: *json,
                csv: *csv,
                no_record: *no_record,
                full: *full,
                filter,
            },
            lang,
            color,
        ),
        Command::Report(args) => report::run(repo, args, lang),
        Command::Trust { action } => trust::trust(repo, action),
        Command::New {
            kind,
            title,
            unit,
            id,
        } => draft::new(repo, kind, title, unit, id.as_deref()),
        Command::Edit { id, message, yes } => draft::edit(repo, id, message.as_deref(), *yes),
        Command::Submit { id, message, yes } => draft::submit(repo, id, message, *yes),
        Command::Sync { take_remote } => sync::sync(repo, *take_remote, lang),
        Command::Hook { action } => sync::hook(action, lang),
        Command::Demo { dir, no_open } => setup::demo(dir.as_deref(), *no_open, flag),
    }
}
