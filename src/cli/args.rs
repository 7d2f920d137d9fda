//! The command line's clap types: the options and subcommands.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// duyet — review and approve drafts of official documents kept in git.
#[derive(Debug, Parser)]
#[command(name = "duyet", version, about)]
pub struct Cli {
    /// The drafts repository (default: discovered from the current directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub repo: Option<PathBuf>,
    /// Interface language: vi or en (default: the config file's `lang`,
    /// else LC_ALL / LC_MESSAGES / LANG).
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
        /// all, waiting, waiting-content, waiting-form, pending, approved,
        /// returned, revised, changed-after-approval.
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
        /// The step: content (the drafting unit's head), form (thể thức),
        /// or final (the default: the leader's decision).
        #[arg(long, value_name = "content|form|final")]
        step: Option<String>,
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
        /// The step: content, form, or final (the default).
        #[arg(long, value_name = "content|form|final")]
        step: Option<String>,
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
        filter: super::report::FilterArgs,
    },
    /// Write a printable report for an inspector: cover, findings, summary
    /// tables and each draft's trail (HTML; --pdf prints it with Chromium).
    /// Exit 1 when the audit has findings.
    Report(super::report::ReportArgs),
    /// Read or change the trust list (.duyet/trust.toml).
    Trust {
        /// What to do.
        #[command(subcommand)]
        action: TrustAction,
    },
    /// Open a new draft from the template of its kind (revision 1).
    New {
        /// cong-van, quyet-dinh, ke-hoach, thong-bao, to-trinh, bao-cao; also as
        /// written ("công văn", "cong van") or abbreviated (CV, QĐ, KH, TB, TTr, BC).
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
        /// Roles: approver, admin, drafter, clerk, content, form (repeatable).
        #[arg(long = "role", value_name = "ROLE")]
        roles: Vec<String>,
        /// A drafting unit whose content they answer for, with the content
        /// role (meta.toml `unit`; repeatable).
        #[arg(long = "unit", value_name = "UNIT")]
        units: Vec<String>,
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
