//! The command line (clap). Every TUI action also works here, so scripts
//! and tests can do what a reviewer does.

mod output;
mod report;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::i18n::{Lang, Msg};
use crate::model::safe::{json_escape, visible, visible_line};
use crate::model::{Count, Decision, Note, Status};
use crate::ops::{self, DecisionRequest};
use crate::repo::{DraftRepo, Error, Watch};
use crate::sign::{self, SignConfig};

/// duyet — review and approve drafts of official documents kept in git.
#[derive(Debug, Parser)]
#[command(name = "duyet", version, about)]
pub struct Cli {
    /// The drafts repository (default: discovered from the current directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Interface language: vi or en (default: from LC_ALL / LC_MESSAGES / LANG).
    #[arg(long, global = true, value_name = "vi|en")]
    pub lang: Option<String>,
    /// What to do (default: open the TUI).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the drafts at HEAD with their status.
    List {
        /// all, waiting, pending, approved, returned, revised, changed-after-approval.
        #[arg(long, default_value = "all")]
        status: String,
        /// Print JSON (see README for the fields).
        #[arg(long)]
        json: bool,
    },
    /// Print a draft's text (the newest revision, or --rev N).
    Show {
        /// Draft id.
        id: String,
        /// Revision number or blob id.
        #[arg(long)]
        rev: Option<String>,
    },
    /// A draft's revisions and the decisions between them.
    Log {
        /// Draft id.
        id: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// What changed between two revisions (default: since the last decision).
    Diff {
        /// Draft id.
        id: String,
        /// Old revision (number or blob id).
        a: Option<String>,
        /// New revision (default: the newest).
        b: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a draft's form (thể thức) and spelling; exit 1 when an error is found.
    Check {
        /// Draft id.
        id: String,
        /// Revision number or blob id (default: the newest).
        #[arg(long)]
        rev: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve a draft for signing: a signed decision commit.
    Approve {
        /// Draft id.
        id: String,
        /// The revision you read; refused if the draft changed since.
        #[arg(long)]
        revision: Option<String>,
        /// Comment.
        #[arg(short, long, default_value = "")]
        message: String,
    },
    /// Return a draft to its drafter with comments: a signed decision commit.
    Return {
        /// Draft id.
        id: String,
        /// The revision you read; refused if the draft changed since.
        #[arg(long)]
        revision: Option<String>,
        /// What the drafter must change (required).
        #[arg(short, long)]
        message: String,
        /// A note on a line: LINE:TEXT (repeatable).
        #[arg(long = "note", value_name = "LINE:TEXT")]
        notes: Vec<String>,
    },
    /// Check the approval trail: every decision signed by an approver of the
    /// parent commit's trust list, on exactly the text decided. Exit 1 on any finding.
    Audit {
        /// The introduction commit, for this run only (default: the pin set
        /// by `duyet trust pin`, else the first commit that adds the trust list).
        #[arg(long)]
        intro: Option<String>,
        /// Print JSON.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// Print the trail as CSV.
        #[arg(long)]
        csv: bool,
        /// Do not record this audit's head in the local config.
        #[arg(long)]
        no_record: bool,
        /// Judge every commit again, ignoring the last audit's cache.
        #[arg(long)]
        full: bool,
        /// What to show (the audit always judges everything).
        #[command(flatten)]
        filter: report::FilterArgs,
    },
    /// Write a printable report for an inspector: cover, findings, summary
    /// tables and each draft's trail (HTML; --pdf prints it with Chromium).
    /// Exit 1 when the audit has findings.
    Report(report::ReportArgs),
    /// Read or change the trust list (.duyet/trust.toml).
    Trust {
        /// What to do.
        #[command(subcommand)]
        action: TrustAction,
    },
    /// Open a new draft from the template of its kind (revision 1).
    New {
        /// cong-van, quyet-dinh, ke-hoach, thong-bao, to-trinh, bao-cao.
        #[arg(long)]
        kind: String,
        /// Trích yếu.
        #[arg(long)]
        title: String,
        /// Drafting unit (default VP).
        #[arg(long, default_value = "")]
        unit: String,
        /// The id (default: made from the title).
        #[arg(long)]
        id: Option<String>,
    },
    /// Edit a draft in $VISUAL / $EDITOR and commit the result as a new revision.
    Edit {
        /// Draft id.
        id: String,
        /// What changed (default: asked in the editor).
        #[arg(short, long)]
        message: Option<String>,
        /// Commit even if it makes an approval stale, without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Commit changes already made to a draft in the work tree as a new revision.
    Submit {
        /// Draft id.
        id: String,
        /// What changed.
        #[arg(short, long)]
        message: String,
        /// Commit even if it makes an approval stale.
        #[arg(long)]
        yes: bool,
    },
    /// Fetch from the branch's remote, judge what it brings (exit 1 if it
    /// fails the audit: nothing is integrated), integrate, and push.
    Sync {
        /// On a conflict or a rewritten remote: make your branch the remote's,
        /// keeping your own commits under refs/duyet/backup/<time>.
        #[arg(long)]
        take_remote: bool,
    },
    /// Hooks for the shared server's repository.
    Hook {
        /// What to do.
        #[command(subcommand)]
        action: HookAction,
    },
    /// Make an ed25519 signing key and print the git config lines to use it.
    Keygen {
        /// Where to write the private key.
        #[arg(long, value_name = "PATH")]
        file: Option<PathBuf>,
        /// Comment stored in the key (usually your e-mail).
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Create a demo drafts repository and open it.
    Demo {
        /// Where to create it (default: a new folder under the temp dir).
        dir: Option<PathBuf>,
        /// Only create it; do not open the TUI.
        #[arg(long)]
        no_open: bool,
    },
    /// Open the review TUI.
    Tui,
}

/// Server hook subcommands.
#[derive(Debug, Subcommand)]
pub enum HookAction {
    /// Run by git as the pre-receive hook: refuse a push that brings any
    /// commit the audit rejects, or rewrites or deletes the drafts branch.
    PreReceive,
    /// Run by git as the post-receive hook: refresh the audit's cache.
    PostReceive,
    /// Install both hooks into a (bare) repository, calling this binary.
    Install {
        /// The server's repository (e.g. /srv/git/vanban.git).
        path: PathBuf,
    },
    /// Print a hook script (for Gitea/Forgejo's hooks/pre-receive.d/, GitLab's custom_hooks/pre-receive.d/).
    Script {
        /// pre-receive or post-receive.
        #[arg(default_value = "pre-receive")]
        which: String,
    },
}

/// Trust list subcommands.
#[derive(Debug, Subcommand)]
pub enum TrustAction {
    /// List the members.
    List {
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Add a member (or keys and roles to one), in a signed commit.
    Add {
        /// Full name.
        #[arg(long)]
        name: String,
        /// E-mail (identifies the member).
        #[arg(long)]
        email: String,
        /// Roles: approver, admin, drafter, clerk (repeatable).
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// An SSH public key, or a file holding one (repeatable).
        #[arg(long = "ssh", value_name = "KEY|FILE")]
        ssh: Vec<String>,
        /// An OpenPGP fingerprint (repeatable).
        #[arg(long = "openpgp", value_name = "FPR")]
        openpgp: Vec<String>,
        /// An x509 certificate fingerprint (repeatable).
        #[arg(long = "x509", value_name = "FPR")]
        x509: Vec<String>,
    },
    /// Remove one member, chosen by e-mail and/or key, in a signed commit.
    /// Refused when the choice matches several members, or the last admin.
    Remove {
        /// The member's e-mail.
        #[arg(required_unless_present = "key")]
        email: Option<String>,
        /// One of the member's keys: an SSH public key (or a file holding
        /// one), or an OpenPGP / x509 fingerprint.
        #[arg(long, value_name = "KEY|FILE|FPR")]
        key: Option<String>,
    },
    /// Pin the introduction: the commit the trail is trusted from and the
    /// fingerprint of the key that signed it (handed out by the office).
    /// Without arguments: show the pin, or what to pin.
    Pin {
        /// The introduction commit (full id).
        commit: Option<String>,
        /// Its signer's key fingerprint (SHA256:… for SSH, hex for OpenPGP/x509).
        key: Option<String>,
    },
    /// Write git's allowed_signers file for the SSH keys in the list.
    AllowedSigners {
        /// Where to write it (default: standard output).
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
}

/// A failure: message for stderr, and the exit code.
pub struct Failure(pub String);

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(ui_lang().error(&e))
    }
}

/// One (Vietnamese, English) line on stderr, in the language in use.
fn note((vi, en): (String, String)) {
    match ui_lang() {
        Lang::Vi => eprintln!("duyet: {vi}"),
        Lang::En => eprintln!("duyet: {en}"),
    }
}

/// Prints a commit that is on the branch, and its work-tree warning if any.
fn print_finished(f: &crate::repo::Finished) {
    println!("{}", f.commit);
    if let Some(w) = &f.warning {
        note(w.texts());
    }
}

/// The interface language of this run, for messages made far from `run`.
static LANG: std::sync::OnceLock<Lang> = std::sync::OnceLock::new();

fn ui_lang() -> Lang {
    LANG.get().copied().unwrap_or_else(Lang::from_env)
}

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
    let _ = LANG.set(flag.unwrap_or_else(Lang::from_env));
    match run(&cli, flag) {
        Ok(code) => code,
        Err(Failure(msg)) => {
            // Messages quote ids, paths and names from the repository.
            eprintln!("duyet: {}", visible_line(&msg));
            2
        }
    }
}

fn open(cli: &Cli) -> Result<DraftRepo, Failure> {
    let repo = DraftRepo::open(cli.repo.as_deref())?;
    // A commit a killed duyet left half-done is finished or undone first.
    for r in repo.recover_interrupted().unwrap_or_default() {
        note(r.texts());
    }
    Ok(repo)
}

/// A progress bar on stderr for work that takes over a second, when
/// stderr is a terminal.
struct Progress {
    label: String,
    start: std::time::Instant,
    shown: bool,
    tty: bool,
}

impl Progress {
    fn new(label: Msg, lang: Lang) -> Progress {
        Progress {
            label: format!("{} ({})", lang.t(label), lang.t(Msg::Commits)),
            start: std::time::Instant::now(),
            shown: false,
            tty: std::io::stderr().is_terminal(),
        }
    }

    fn tick(&mut self, c: Count) {
        if self.tty && self.start.elapsed().as_secs_f32() > 1.0 {
            eprint!("\r\x1b[2K{}", progress_bar(&self.label, c, 30));
            self.shown = true;
        }
    }
}

/// "label [██████░░░░] 42% 42000/100000", or "label 42000…" without a total.
fn progress_bar(label: &str, c: Count, width: usize) -> String {
    match (c.percent(), c.total) {
        (Some(p), Some(total)) => {
            let full = p * width / 100;
            format!(
                "{label} [{}{}] {p:>3}% {}/{total}",
                "█".repeat(full),
                "░".repeat(width - full),
                c.done
            )
        }
        _ => format!("{label} {}…", c.done),
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.shown {
            eprint!("\r\x1b[2K");
        }
    }
}

/// Opens the repository and brings the history index up to date, with a
/// progress line when that takes a while.
fn open_indexed(cli: &Cli) -> Result<DraftRepo, Failure> {
    let repo = open(cli)?;
    let lang = cli
        .lang
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_else(Lang::from_env);
    let mut p = Progress::new(Msg::Indexing, lang);
    // Counting the commits first (for the bar) is worth it only on a terminal.
    let tty = p.tty;
    let mut tick = |n| p.tick(n);
    let watch: Watch<'_> = if tty { Some(&mut tick) } else { None };
    match repo.update_index(watch) {
        // A read-only repository: history is computed without the cache.
        Ok(_) | Err(Error::Io { .. }) => Ok(repo),
        Err(e) => Err(e.into()),
    }
}

fn color_enabled() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn out(text: &str) -> Result<i32, Failure> {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (duyet list | head) is not an error worth reporting.
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
    Ok(0)
}

/// Prints `v` as JSON with DEL, C1 and the bidirectional marks escaped
/// too (serde_json escapes only C0), so no string can drive the terminal.
fn json<T: serde::Serialize>(v: &T) -> Result<i32, Failure> {
    let text = serde_json::to_string_pretty(v).map_err(|e| Failure(e.to_string()))?;
    out(&(json_escape(text) + "\n"))
}

fn run(cli: &Cli, flag: Option<Lang>) -> Result<i32, Failure> {
    let lang = flag.unwrap_or_else(Lang::from_env);
    let color = color_enabled();
    match &cli.command {
        None | Some(Command::Tui) => {
            let repo = match DraftRepo::open(cli.repo.as_deref()) {
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
        Some(Command::List {
            status,
            json: as_json,
        }) => {
            let repo = open(cli)?;
            let mut listing = repo.list()?;
            crate::audit::mark(&repo, &mut listing.drafts);
            let keep: Box<dyn Fn(Status) -> bool> = match status.as_str() {
                "all" => Box::new(|_| true),
                "waiting" => Box::new(Status::awaits_review),
                s => match Status::parse(s) {
                    Some(want) => Box::new(move |st| st == want),
                    None => {
                        return Err(Failure(format!(
                            "unknown status '{s}': use all, waiting, pending, approved, returned, revised or changed-after-approval"
                        )));
                    }
                },
            };
            let drafts: Vec<_> = listing.drafts.iter().filter(|d| keep(d.status)).collect();
            if *as_json {
                let rows: Vec<_> = drafts.iter().map(|d| output::DraftJson::from(*d)).collect();
                json(&rows)?;
            } else {
                out(&output::list(&drafts, lang, color))?;
                out(&output::invalid_folders(&listing.invalid, lang, color))?;
            }
            // Folders that are not drafts are rows of the table; JSON keeps
            // its shape, so there they are reported on stderr.
            let shown = if *as_json { 0 } else { listing.invalid.len() };
            let folders = listing.invalid[shown..].iter().cloned();
            let problems: Vec<Error> = folders
                .map(Error::InvalidFolder)
                .chain(listing.problems)
                .collect();
            for p in &problems {
                eprintln!("duyet: {}", visible_line(&lang.error(p)));
            }
            let bad = problems.len() + shown;
            Ok(if bad == 0 { 0 } else { 2 })
        }
        Some(Command::Show { id, rev }) => {
            let repo = open_indexed(cli)?;
            let history = repo.history(id)?;
            let n = match rev {
                Some(spec) => repo.resolve_revision(&history, spec)?,
                None => history.revisions.len(),
            };
            out(&output::text(&repo.revision_text(&history, n)?))
        }
        Some(Command::Log { id, json: as_json }) => {
            let repo = open_indexed(cli)?;
            let mut history = repo.history(id)?;
            crate::audit::mark_history(&repo, &mut history);
            if *as_json {
                json(&history)
            } else {
                out(&output::log(&history, lang, color))
            }
        }
        Some(Command::Diff {
            id,
            a,
            b,
            json: as_json,
        }) => {
            let repo = open_indexed(cli)?;
            let history = repo.history(id)?;
            let newest = history.revisions.len();
            let new = match b {
                Some(s) => repo.resolve_revision(&history, s)?,
                None => newest,
            };
            let old = match a {
                Some(s) => Some(repo.resolve_revision(&history, s)?),
                None => match b {
                    Some(_) => new.checked_sub(1).filter(|&n| n > 0),
                    None => history.default_pair().and_then(|(o, _)| o),
                },
            };
            let old_text = match old {
                Some(n) => repo.revision_text(&history, n)?,
                None => String::new(),
            };
            let new_text = repo.revision_text(&history, new)?;
            let diff = crate::diff::diff_texts(&old_text, &new_text);
            if *as_json {
                json(&output::DiffJson {
                    id,
                    old,
                    new,
                    diff: &diff,
                })
            } else {
                out(&output::diff(&diff, old, new, lang, color))
            }
        }
        Some(Command::Check {
            id,
            rev,
            json: as_json,
        }) => {
            let repo = open_indexed(cli)?;
            let draft = repo.draft(id)?;
            let history = repo.history(id)?;
            let n = match rev {
                Some(spec) => repo.resolve_revision(&history, spec)?,
                None => history.revisions.len(),
            };
            let text = repo.revision_text(&history, n)?;
            let findings = crate::check::check(&text, draft.meta.kind);
            if *as_json {
                json(&findings)?;
            } else {
                out(&output::findings(&findings, lang, color))?;
            }
            let errors = findings
                .iter()
                .any(|f| f.severity == crate::check::Severity::Error);
            Ok(i32::from(errors))
        }
        Some(Command::Approve {
            id,
            revision,
            message,
        }) => decide_cli(cli, id, Decision::Approved, revision.clone(), message, &[]),
        Some(Command::Return {
            id,
            revision,
            message,
            notes,
        }) => decide_cli(
            cli,
            id,
            Decision::Returned,
            revision.clone(),
            message,
            notes,
        ),
        Some(Command::Keygen { file, comment }) => keygen(file.clone(), comment),
        Some(Command::Audit {
            intro,
            json: as_json,
            csv,
            no_record,
            full,
            filter,
        }) => {
            let repo = open(cli)?;
            let opts = crate::audit::Options {
                intro: intro.clone(),
                record: !no_record,
                full: *full,
                ..Default::default()
            };
            let mut p = Progress::new(Msg::Auditing, lang);
            let report = crate::audit::audit_with_progress(&repo, &opts, &mut |n| p.tick(n))?;
            drop(p);
            report::audit_output(&repo, &report, filter, *as_json, *csv, lang, color)?;
            Ok(i32::from(!report.clean()))
        }
        Some(Command::Report(args)) => report::run(cli, args, lang),
        Some(Command::Trust { action }) => trust(cli, action),
        Some(Command::New {
            kind,
            title,
            unit,
            id,
        }) => {
            let kind = crate::model::Kind::ALL
                .into_iter()
                .find(|k| k.key() == kind)
                .ok_or_else(|| Failure(format!("unknown kind '{kind}': use cong-van, quyet-dinh, ke-hoach, thong-bao, to-trinh or bao-cao")))?;
            let repo = open(cli)?;
            let d = ops::revise::new_draft(&repo, kind, title, unit, id.as_deref())?;
            println!("{}\t{}", visible_line(&d.id), visible_line(&d.path));
            if let Some(w) = &d.warning {
                note(w.texts());
            }
            Ok(0)
        }
        Some(Command::Edit { id, message, yes }) => edit(cli, id, message.as_deref(), *yes),
        Some(Command::Submit { id, message, yes }) => {
            let repo = open(cli)?;
            let d = repo.draft(id)?;
            let Some(work) = repo.workdir() else {
                return Err(Failure(
                    "submit needs a work tree; in a bare repository use `duyet edit`".to_string(),
                ));
            };
            let file = work.join(&d.path).join("draft.md");
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Failure(format!("{}: {e}", file.display())))?;
            commit_text(&repo, id, &text, message, *yes)
        }
        Some(Command::Sync { take_remote }) => {
            let repo = open(cli)?;
            let opts = ops::sync::Options {
                take_remote: *take_remote,
            };
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
        Some(Command::Hook { action }) => hook(action, lang),
        Some(Command::Demo { dir, no_open }) => {
            let dir = dir.clone().unwrap_or_else(ops::demo::default_dir);
            let repo = ops::demo::create(&dir)?;
            println!("{}", dir.display());
            if *no_open || !std::io::stdout().is_terminal() {
                eprintln!(
                    "duyet: demo repository created; open it with `duyet --repo {}`",
                    dir.display()
                );
                Ok(0)
            } else {
                crate::tui::run(repo, flag).map_err(Failure)
            }
        }
    }
}

fn hook(action: &HookAction, lang: Lang) -> Result<i32, Failure> {
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

fn parse_note(s: &str) -> Result<Note, Failure> {
    let (line, text) = s.split_once(':').ok_or_else(|| {
        Failure(format!(
            "--note '{s}': write it as LINE:TEXT, e.g. --note '12:Sửa tên huyện'"
        ))
    })?;
    let line = line
        .trim()
        .parse::<usize>()
        .ok()
        .filter(|&l| l > 0)
        .ok_or_else(|| {
            Failure(format!(
                "--note '{s}': '{line}' is not a line number (1, 2, ...)"
            ))
        })?;
    Ok(Note {
        line,
        text: text.trim().to_string(),
    })
}

fn decide_cli(
    cli: &Cli,
    id: &str,
    decision: Decision,
    revision: Option<String>,
    message: &str,
    notes: &[String],
) -> Result<i32, Failure> {
    let notes = notes
        .iter()
        .map(|n| parse_note(n))
        .collect::<Result<Vec<_>, _>>()?;
    let repo = open(cli)?;
    let signer = SignConfig::from_repo(&repo)
        .and_then(|c| c.signer())
        .map_err(|e| Failure(e.to_string()))?;
    let req = DecisionRequest {
        id: id.to_string(),
        decision,
        revision,
        comment: message.to_string(),
        notes,
        author: None,
    };
    // Check everything before asking for a passphrase.
    ops::plan_decision(&repo, &req)?;
    let passphrase = if signer.needs_passphrase() {
        Some(
            rpassword::prompt_password(format!("Passphrase for {}: ", signer.describe()))
                .map_err(|e| Failure(format!("cannot read the passphrase: {e}")))?,
        )
    } else {
        None
    };
    let done = ops::decide(&repo, &req, &signer, passphrase.as_deref())?;
    print_finished(&done);
    Ok(0)
}

fn keygen(file: Option<PathBuf>, comment: &str) -> Result<i32, Failure> {
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

fn signer_for(repo: &DraftRepo) -> Result<(sign::Signer, Option<String>), Failure> {
    let signer = SignConfig::from_repo(repo)
        .and_then(|c| c.signer())
        .map_err(|e| Failure(e.to_string()))?;
    let pass = if signer.needs_passphrase() {
        Some(
            rpassword::prompt_password(format!("Passphrase for {}: ", signer.describe()))
                .map_err(|e| Failure(format!("cannot read the passphrase: {e}")))?,
        )
    } else {
        None
    };
    Ok((signer, pass))
}

fn trust(cli: &Cli, action: &TrustAction) -> Result<i32, Failure> {
    use crate::model::trust::{Member, Role};
    let repo = open(cli)?;
    let list = match repo.trust_list(None) {
        // The first commit of a new repository may be its trust list.
        Err(Error::Empty(_)) => Default::default(),
        other => other?,
    };
    match action {
        TrustAction::List { json: as_json } => report::trust_list(&list, *as_json, ui_lang()),
        TrustAction::Pin { commit, key } => {
            match (commit, key) {
                (Some(c), Some(k)) => {
                    let outcome = crate::audit::pin::pin(&repo, c, k)?;
                    if let Some(w) = &outcome.warning {
                        eprintln!("duyet: {w}");
                    }
                    out(&format!(
                        "pinned: {} {}\n",
                        outcome.pin.commit, outcome.pin.key
                    ))?;
                }
                (None, None) => {
                    let text = match crate::audit::pin::pinned(&repo) {
                        Some(p) => format!("pinned: {} {}\n", p.commit, p.key),
                        None => match crate::audit::pin::suggest(&repo)? {
                            Some(p) => format!(
                                "no introduction is pinned. The first trust list here is {} signed by {}.\nIf your office confirms these, run:\n  duyet trust pin {} {}\n",
                                p.commit, p.key, p.commit, p.key
                            ),
                            None => {
                                "no introduction is pinned, and no commit adds .duyet/trust.toml\n"
                                    .to_string()
                            }
                        },
                    };
                    out(&text)?;
                }
                _ => {
                    return Err(Failure(
                        "give both the commit and the key fingerprint: duyet trust pin COMMIT FINGERPRINT".into(),
                    ));
                }
            }
            Ok(0)
        }
        TrustAction::AllowedSigners { output } => {
            let text = list.allowed_signers();
            match output {
                Some(p) => {
                    std::fs::write(p, text)
                        .map_err(|e| Failure(format!("{}: {e}", p.display())))?;
                    Ok(0)
                }
                None => out(&visible(&text)),
            }
        }
        TrustAction::Add {
            name,
            email,
            roles,
            ssh,
            openpgp,
            x509,
        } => {
            let roles = roles
                .iter()
                .map(|r| match r.as_str() {
                    "approver" => Ok(Role::Approver),
                    "admin" => Ok(Role::Admin),
                    "drafter" => Ok(Role::Drafter),
                    "clerk" => Ok(Role::Clerk),
                    other => Err(Failure(format!(
                        "unknown role '{other}': use approver, admin, drafter or clerk"
                    ))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            let ssh = ssh
                .iter()
                .map(|k| ssh_public_key(k))
                .collect::<Result<Vec<_>, Failure>>()?;
            let member = Member {
                name: name.clone(),
                email: email.clone(),
                roles,
                ssh,
                openpgp: openpgp.clone(),
                x509: x509.clone(),
            };
            let new = ops::trust::with_member(&list, member)?;
            let (signer, pass) = signer_for(&repo)?;
            let done = ops::trust::write_trust(
                &repo,
                &new,
                &format!("Danh sách tin cậy: thêm {name} <{email}>"),
                &signer,
                pass.as_deref(),
            )?;
            print_finished(&done);
            Ok(0)
        }
        TrustAction::Remove { email, key } => {
            let key = match key {
                Some(k) if std::path::Path::new(k).is_file() => Some(ssh_public_key(k)?),
                other => other.clone(),
            };
            let sel = ops::trust::Selection {
                email: email.clone(),
                key,
            };
            let (new, gone) = ops::trust::without_member(&list, &sel)?;
            let (signer, pass) = signer_for(&repo)?;
            let done = ops::trust::write_trust(
                &repo,
                &new,
                &format!("Danh sách tin cậy: bỏ {} <{}>", gone.name, gone.email),
                &signer,
                pass.as_deref(),
            )?;
            print_finished(&done);
            Ok(0)
        }
    }
}

/// An SSH public key given on the command line, or read from the file it
/// names; checked, without its surrounding blanks.
fn ssh_public_key(k: &str) -> Result<String, Failure> {
    let text = if std::path::Path::new(k).is_file() {
        std::fs::read_to_string(k).map_err(|e| Failure(format!("{k}: {e}")))?
    } else {
        k.to_string()
    };
    ssh_key::PublicKey::from_openssh(text.trim()).map_err(|e| {
        Failure(match ui_lang() {
            Lang::Vi => format!("'{k}' không phải khóa công khai SSH: {e}"),
            Lang::En => format!("'{k}' is not an SSH public key: {e}"),
        })
    })?;
    Ok(text.trim().to_string())
}

/// Warns when a revision makes an approval stale and asks (or needs --yes),
/// then commits it.
fn commit_text(
    repo: &DraftRepo,
    id: &str,
    text: &str,
    message: &str,
    yes: bool,
) -> Result<i32, Failure> {
    let plan = ops::revise::plan_revision(repo, id, text)?;
    if !plan.changes {
        eprintln!("duyet: {id}: the text is unchanged; nothing to commit");
        return Ok(0);
    }
    if plan.stales_approval {
        eprintln!(
            "duyet: {id} is approved. This revision makes the approval stale: the leader must approve the new text again."
        );
        if !yes {
            if !std::io::stdin().is_terminal() {
                return Err(Failure(format!(
                    "{id}: not committed; pass --yes to commit a change to an approved draft"
                )));
            }
            eprint!("Commit anyway? [y/N] ");
            let mut answer = String::new();
            std::io::stdin()
                .read_line(&mut answer)
                .map_err(|e| Failure(e.to_string()))?;
            if !matches!(answer.trim(), "y" | "Y" | "yes" | "có" | "c") {
                return Err(Failure(format!("{id}: not committed")));
            }
        }
    }
    let done = ops::revise::revise_text(repo, id, text, message)?;
    print_finished(&done);
    Ok(0)
}

fn run_editor(file: &std::path::Path) -> Result<(), Failure> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|e| !e.is_empty())
        .or_else(|| std::env::var("EDITOR").ok().filter(|e| !e.is_empty()))
        .unwrap_or_else(|| "vi".to_string());
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(file)
        .status()
        .map_err(|e| Failure(format!("cannot run the editor '{editor}': {e}")))?;
    if !status.success() {
        return Err(Failure(format!(
            "the editor '{editor}' failed ({status}); nothing was committed"
        )));
    }
    Ok(())
}

fn edit(cli: &Cli, id: &str, message: Option<&str>, yes: bool) -> Result<i32, Failure> {
    let repo = open(cli)?;
    let d = repo.draft(id)?;
    let text = repo.read_text(&d.draft_blob, &format!("{}/draft.md", d.path))?;
    let dir = tempfile::tempdir().map_err(|e| Failure(e.to_string()))?;
    let name =
        crate::model::id::edit_file_name(&d.id).ok_or_else(|| Error::InvalidId(d.id.clone()))?;
    let file = dir.path().join(name);
    std::fs::write(&file, &text).map_err(|e| Failure(e.to_string()))?;
    if d.status == Status::Approved {
        eprintln!("duyet: {id} is approved; any change makes the approval stale.");
    }
    run_editor(&file)?;
    let new =
        std::fs::read_to_string(&file).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    if new == text {
        eprintln!("duyet: {id}: no change; nothing committed");
        return Ok(0);
    }
    let message = match message {
        Some(m) => m.to_string(),
        None => {
            let msg_file = dir.path().join("MESSAGE");
            std::fs::write(
                &msg_file,
                format!("\n# Ghi nội dung sửa đổi của {id} (dòng bắt đầu bằng # bị bỏ qua).\n# Describe what changed in {id} (lines starting with # are ignored).\n"),
            )
            .map_err(|e| Failure(e.to_string()))?;
            run_editor(&msg_file)?;
            let m = std::fs::read_to_string(&msg_file).map_err(|e| Failure(e.to_string()))?;
            let m: Vec<&str> = m.lines().filter(|l| !l.starts_with('#')).collect();
            let m = m.join("\n").trim().to_string();
            if m.is_empty() {
                return Err(Failure("empty message: nothing committed".to_string()));
            }
            m
        }
    };
    commit_text(&repo, id, &new, &message, yes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_bar_fills_with_the_share_done() {
        let bar = |done, total| progress_bar("indexing", Count { done, total }, 10);
        assert_eq!(bar(0, Some(200)), "indexing [░░░░░░░░░░]   0% 0/200");
        assert_eq!(bar(50, Some(200)), "indexing [██░░░░░░░░]  25% 50/200");
        assert_eq!(bar(200, Some(200)), "indexing [██████████] 100% 200/200");
        // Past the total (history grew meanwhile) it stays full.
        assert_eq!(bar(300, Some(200)), "indexing [██████████] 100% 300/200");
        // No total known: a count.
        assert_eq!(bar(4000, None), "indexing 4000…");
        assert_eq!(bar(0, Some(0)), "indexing 0…");
    }
}
