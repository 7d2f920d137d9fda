//! The review TUI: one [`app::Action`] type, one event loop, `update` and
//! `draw`; git work runs on a worker thread (`worker`).
//!
//! Each screen (`screens/`) and popup (`popups/`) is a
//! [`component::Component`] owning its state, its keys (a keymap scope)
//! and its drawing; `app` routes keys down its layer stack and handles
//! what components ask of it. No file here imports `app` but `mod.rs`.

pub mod app;
pub mod chrome;
pub mod component;
pub mod config;
pub mod editor;
pub mod keymap;
pub mod popups;
pub mod screens;
pub mod theme;
pub mod worker;

use std::sync::mpsc;
use std::time::Duration;

use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use ratatui::crossterm::execute;

use crate::i18n::Lang;
use crate::repo::DraftRepo;
use app::{Action, App};

fn leave_modes() {
    let _ = execute!(
        std::io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste
    );
}

/// Runs the TUI on `repo` until the user quits; returns the exit code.
/// `lang_flag` is the --lang choice (it beats the config file, which beats
/// the environment).
pub fn run(repo: DraftRepo, lang_flag: Option<Lang>) -> Result<i32, String> {
    let cfg = config::load()?;
    let lang = lang_flag.or(cfg.lang).unwrap_or_else(Lang::from_env);
    let (job_tx, job_rx) = mpsc::channel();
    let (done_tx, done_rx) = mpsc::channel();
    worker::spawn(repo.location(), job_rx, done_tx);
    drop(repo);

    let mut terminal = ratatui::try_init().map_err(|e| format!("cannot open the terminal: {e}"))?;
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        leave_modes();
        prev(info);
    }));
    let _ = execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let now = jiff::Timestamp::now().as_second();
    let mut app = App::new(lang, cfg.keymap.clone(), now, size);
    let result = event_loop(&mut terminal, &mut app, &cfg.theme, &job_tx, &done_rx);
    leave_modes();
    ratatui::restore();
    result.map(|_| 0)
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    theme: &theme::Theme,
    jobs: &mpsc::Sender<worker::Job>,
    done: &mpsc::Receiver<worker::Done>,
) -> Result<(), String> {
    loop {
        for job in app.take_jobs() {
            jobs.send(job)
                .map_err(|_| "the background worker stopped".to_string())?;
        }
        terminal
            .draw(|f| app.draw(f, theme))
            .map_err(|e| format!("cannot draw: {e}"))?;
        if app.quit {
            return Ok(());
        }
        let mut actions = Vec::new();
        if event::poll(Duration::from_millis(40)).map_err(|e| e.to_string())? {
            while event::poll(Duration::ZERO).map_err(|e| e.to_string())? {
                match event::read().map_err(|e| e.to_string())? {
                    Event::Key(k) => actions.push(Action::Key(k)),
                    Event::Paste(s) => actions.push(Action::Paste(s)),
                    Event::Mouse(m) => actions.push(Action::Mouse(m)),
                    Event::Resize(w, h) => actions.push(Action::Resize(w, h)),
                    _ => {}
                }
            }
        }
        while let Ok(d) = done.try_recv() {
            actions.push(Action::Done(d));
        }
        for a in actions {
            app.update(a);
        }
        app.tick(std::time::Instant::now());
        if let Some((id, text, approved)) = app.edit_request.take() {
            match edit_in_editor(terminal, &id, &text)? {
                Ok(after) => app.update(Action::Edited(id, text, after, approved)),
                Err(why) => app.update(Action::EditFailed(id, why)),
            }
        }
    }
}

/// Leaves the full screen, runs $VISUAL / $EDITOR on the text (through
/// `ops::editor`, as `duyet edit` does), and comes back; returns the edited
/// text, or why the editor failed (never taken for "no change").
fn edit_in_editor(
    terminal: &mut ratatui::DefaultTerminal,
    id: &str,
    text: &str,
) -> Result<Result<String, String>, String> {
    let file = crate::ops::editor::EditFile::new(id, text).map_err(|e| e.to_string())?;
    leave_modes();
    ratatui::restore();
    let status = file.edit();
    *terminal = ratatui::try_init().map_err(|e| format!("cannot reopen the terminal: {e}"))?;
    let _ = execute!(std::io::stdout(), EnableMouseCapture, EnableBracketedPaste);
    terminal.clear().map_err(|e| e.to_string())?;
    Ok(status.and_then(|()| file.read()).map_err(|e| e.to_string()))
}
