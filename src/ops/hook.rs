//! The shared server defends the trail: `duyet hook pre-receive` judges
//! every pushed commit with the audit (the one judge) and refuses the whole
//! push on any finding in a commit new to the server, on a non-fast-forward
//! update of the drafts branch, and on its deletion. `sync` judges what it
//! fetches with the same [`judge_new`].

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::audit::{self, Problem};
use crate::i18n::Lang;
use crate::repo::{DraftRepo, Error, Result};

/// A finding of the audit about a commit that would be taken in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The commit.
    pub commit: String,
    /// Who made it, as the commit says ("Name <e-mail>").
    pub who: String,
    /// What is wrong.
    pub problem: Problem,
    /// The audit's explanation (English).
    pub message: String,
}

/// Control characters and bidirectional overrides made harmless, so that
/// text from a commit cannot drive the terminal that shows it.
fn visible(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c)
            {
                '\u{fffd}'
            } else {
                c
            }
        })
        .collect()
}

impl Rejected {
    /// What is wrong, in Vietnamese.
    fn what_vi(&self) -> String {
        crate::audit::explain_vi(&self.problem)
    }

    /// One line: short id, who, what — in `lang`.
    pub fn line(&self, lang: Lang) -> String {
        let what = match lang {
            Lang::Vi => self.what_vi(),
            Lang::En => self.message.clone(),
        };
        visible(&format!("✗ {:.10}  {}: {what}", self.commit, self.who))
    }

    /// One line in both languages (a server hook does not know who reads).
    pub fn bilingual(&self) -> String {
        visible(&format!(
            "✗ {:.10}  {}: {} / {}",
            self.commit,
            self.who,
            self.what_vi(),
            self.message
        ))
    }
}

/// Judges the history ending at `tip` with the audit, leaving its cache
/// alone, and returns the findings about commits reachable from `tip` and
/// from none of `known` (what would be taken in). "History rewritten"
/// findings are left out: they compare with this machine's last audit, and
/// sync and the hook check rewrites themselves.
pub fn judge_new(repo: &DraftRepo, tip: &str, known: &[String]) -> Result<Vec<Rejected>> {
    let hide: Vec<&str> = known
        .iter()
        .filter(|k| repo.has_commit(k))
        .map(String::as_str)
        .collect();
    let new: HashSet<String> = repo.commits_hiding(tip, &hide)?.into_iter().collect();
    if new.is_empty() {
        return Ok(Vec::new());
    }
    let opts = audit::Options {
        keep_cache: true,
        ..Default::default()
    };
    let report = audit::audit_at(repo, tip, &opts)?;
    let mut out = Vec::new();
    for f in report.findings {
        if !new.contains(&f.commit) || matches!(f.problem, Problem::HistoryRewritten { .. }) {
            continue;
        }
        let who = repo
            .commit_author(&f.commit)
            .map(|(a, _)| format!("{} <{}>", a.name, a.email))
            .unwrap_or_else(|_| "?".into());
        out.push(Rejected {
            commit: f.commit,
            who,
            problem: f.problem,
            message: f.message,
        });
    }
    Ok(out)
}

/// One line of a pre-receive hook's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// The ref's commit before the push (zeros: created).
    pub old: String,
    /// The ref's commit after it (zeros: deleted).
    pub new: String,
    /// The ref.
    pub name: String,
}

fn is_zero(id: &str) -> bool {
    id.bytes().all(|b| b == b'0')
}

/// Parses the `old new ref` lines git gives a pre-receive hook.
pub fn parse_updates(input: &str) -> std::result::Result<Vec<Update>, String> {
    input
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.split_whitespace();
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(old), Some(new), Some(name), None) => Ok(Update {
                    old: old.to_string(),
                    new: new.to_string(),
                    name: name.to_string(),
                }),
                _ => Err(format!(
                    "pre-receive: not an 'old new ref' line: {:?}",
                    visible(l)
                )),
            }
        })
        .collect()
}

/// Judges a push. Returns the lines to show (both languages, one per
/// finding or refused update); empty when the push may go in.
pub fn pre_receive(repo: &DraftRepo, updates: &[Update]) -> Result<Vec<String>> {
    let drafts = repo.head_branch().ok();
    let known = repo.ref_tips()?;
    let mut lines = Vec::new();
    let mut seen = HashSet::new();
    for u in updates {
        let is_drafts = drafts.as_deref() == Some(u.name.as_str());
        if is_zero(&u.new) {
            if is_drafts {
                lines.push(format!(
                    "✗ {}: không được xóa nhánh dự thảo / the drafts branch cannot be deleted",
                    u.name
                ));
            }
            continue;
        }
        if is_drafts && !is_zero(&u.old) && !repo.is_ancestor(&u.old, &u.new)? {
            lines.push(format!(
                "✗ {}: không được ghi đè lịch sử (đẩy không tiến thẳng, {:.10} → {:.10}) / refused: a non-fast-forward update rewrites the approval trail ({:.10} → {:.10})",
                u.name, u.old, u.new, u.old, u.new
            ));
            continue;
        }
        // A ref that names no commit (a tag of a blob) holds no decision.
        let Ok(tip) = repo.resolve_commit(&u.new) else {
            continue;
        };
        for r in judge_new(repo, &tip, &known)? {
            if seen.insert((r.commit.clone(), r.message.clone())) {
                lines.push(r.bilingual());
            }
        }
    }
    if !lines.is_empty() {
        lines.insert(
            0,
            "duyet: đẩy lên bị từ chối, không ref nào được cập nhật / push refused, no ref was updated:"
                .to_string(),
        );
        lines.push(
            "duyet: chỉ commit được người có vai trò trong danh sách tin cậy ký mới được nhận (`duyet audit` cho biết chi tiết) / only commits signed by someone with the role in the trust list are taken (`duyet audit` tells more)"
                .to_string(),
        );
    }
    Ok(lines)
}

/// After a push went in: brings the audit's cache up to date, so that the
/// next push is judged incrementally. Findings are not shown (the
/// pre-receive hook already refused anything new).
pub fn post_receive(repo: &DraftRepo) -> Result<()> {
    audit::audit(repo, &audit::Options::default())?;
    Ok(())
}

/// The hooks `install` writes: (file name, script).
pub fn scripts(exe: &Path) -> [(&'static str, String); 2] {
    let quoted = format!("'{}'", exe.display().to_string().replace('\'', r"'\''"));
    [
        (
            "pre-receive",
            format!(
                "#!/bin/sh\n# Installed by `duyet hook install`: refuses a push that brings any commit\n# the trust rule rejects (a forged or unsigned decision, a rewrite of the\n# drafts branch). See duyet's README, \"The shared server\".\nexec {quoted} hook pre-receive\n"
            ),
        ),
        (
            "post-receive",
            format!(
                "#!/bin/sh\n# Installed by `duyet hook install`: refreshes the audit's cache so that the\n# next push is judged incrementally.\nexec {quoted} hook post-receive\n"
            ),
        ),
    ]
}

/// What `install` did with each hook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// Hooks written.
    pub written: Vec<PathBuf>,
    /// Hooks that were already there, the same.
    pub unchanged: Vec<PathBuf>,
}

/// Installs the pre-receive and post-receive hooks into the repository at
/// `repo_path` (usually bare), calling `exe` by absolute path. Refuses,
/// writing nothing, when a different hook of that name is already there.
pub fn install(repo_path: &Path, exe: &Path) -> Result<Installed> {
    let repo = DraftRepo::open(Some(repo_path))?;
    let dir = repo.git_dir().join("hooks");
    let exe = exe.canonicalize().map_err(|source| Error::Io {
        path: exe.to_path_buf(),
        source,
    })?;
    let mut plan = Vec::new();
    let mut unchanged = Vec::new();
    for (name, script) in scripts(&exe) {
        let path = dir.join(name);
        match std::fs::read(&path) {
            Ok(old) if old == script.as_bytes() => unchanged.push(path),
            Ok(_) => {
                return Err(Error::Io {
                    path,
                    source: std::io::Error::new(
                        std::io::ErrorKind::AlreadyExists,
                        "a different hook is already there; nothing was installed (merge it by hand: `duyet hook script` prints duyet's)",
                    ),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => plan.push((path, script)),
            Err(source) => return Err(Error::Io { path, source }),
        }
    }
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
        path: dir.clone(),
        source,
    })?;
    let mut written = Vec::new();
    for (path, script) in plan {
        write_executable(&path, &script).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(Installed { written, unchanged })
}

fn write_executable(path: &Path, text: &str) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hook_input_and_refuses_garbage() {
        let z = "0".repeat(40);
        let a = "a".repeat(40);
        let u = parse_updates(&format!(
            "{z} {a} refs/heads/main\n\n{a} {z} refs/tags/v1\n"
        ))
        .expect("valid");
        assert_eq!(u.len(), 2);
        assert!(is_zero(&u[0].old) && !is_zero(&u[0].new));
        assert_eq!(u[1].name, "refs/tags/v1");
        assert!(parse_updates("only two\n").is_err());
        assert!(parse_updates(&format!("{z} {a} refs/heads/main extra\n")).is_err());
    }

    #[test]
    fn scripts_quote_the_path() {
        let [(name, pre), _] = scripts(Path::new("/opt/it's/duyet"));
        assert_eq!(name, "pre-receive");
        assert!(pre.starts_with("#!/bin/sh\n"));
        assert!(
            pre.ends_with("exec '/opt/it'\\''s/duyet' hook pre-receive\n"),
            "{pre}"
        );
    }

    #[test]
    fn control_characters_are_made_visible() {
        assert_eq!(visible("a\u{1b}[31mb\u{202e}c"), "a\u{fffd}[31mb\u{fffd}c");
    }
}
