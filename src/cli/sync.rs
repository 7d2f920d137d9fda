//! `duyet sync` and the server's hooks.

use super::args::HookAction;
use super::context::{Failure, open};
use super::term::out;
use crate::i18n::Lang;
use crate::model::safe::visible;
use crate::ops;
use crate::repo::DraftRepo;

/// `duyet sync`: exit 1 when the remote's commits fail the audit.
pub(super) fn sync(
    repo: Option<&std::path::Path>,
    take_remote: bool,
    lang: Lang,
) -> Result<i32, Failure> {
    let repo = open(repo)?;
    let opts = ops::sync::Options { take_remote };
    match ops::sync::sync_with(&repo, opts) {
        Ok(outcome) => {
            println!("{}", visible(&outcome.render(lang)));
            Ok(0)
        }
        Err(ops::sync::SyncError::Refused(r)) => {
            eprint!("{}", visible(&r.render(lang)));
            Ok(1)
        }
        Err(ops::sync::SyncError::Repo(e)) => Err(e.into()),
    }
}

/// `duyet hook …`.
pub(super) fn hook(action: &HookAction, lang: Lang) -> Result<i32, Failure> {
    use std::io::Read;
    let exe = || {
        std::env::current_exe().map_err(|e| Failure(format!("cannot find duyet's own path: {e}")))
    };
    match action {
        HookAction::PreReceive => {
            let mut input = String::new();
            std::io::stdin()
                .read_to_string(&mut input)
                .map_err(|e| Failure(format!("pre-receive: cannot read the updates: {e}")))?;
            let updates = ops::hook::parse_updates(&input).map_err(Failure)?;
            let repo = DraftRepo::open_from_env()?;
            let lines = ops::hook::pre_receive(&repo, &updates)?;
            for l in &lines {
                eprintln!("{l}");
            }
            Ok(i32::from(!lines.is_empty()))
        }
        HookAction::PostReceive => {
            // Refreshing a cache: nothing to tell the pusher, whatever happens.
            let mut input = String::new();
            let _ = std::io::stdin().read_to_string(&mut input);
            if let Ok(repo) = DraftRepo::open_from_env() {
                let _ = ops::hook::post_receive(&repo);
            }
            Ok(0)
        }
        HookAction::Install { path } => {
            let done = ops::hook::install(path, &exe()?)?;
            let (written, unchanged) = match lang {
                Lang::Vi => ("đã cài", "đã có sẵn, giữ nguyên"),
                Lang::En => ("installed", "already installed"),
            };
            for p in &done.written {
                println!("{written} {}", p.display());
            }
            for p in &done.unchanged {
                println!("{unchanged} {}", p.display());
            }
            Ok(0)
        }
        HookAction::Script { which } => {
            let exe = exe()?;
            let scripts = ops::hook::scripts(&exe);
            match scripts.iter().find(|(name, _)| name == which) {
                Some((_, text)) => out(text),
                None => Err(Failure(format!(
                    "no hook '{which}': use pre-receive or post-receive"
                ))),
            }
        }
    }
}
