//! Talking to the shared remote: fetch and push (local paths and file://
//! in-process; ssh://, https:// and the rest through the system `git`, so
//! the user's ssh config and credential helpers apply), and the history
//! surgery sync needs (merge base, replaying commits, merge commits).

use std::path::Path;
use std::process::Command;

use git2::{FileMode, Oid, build::TreeUpdateBuilder};

use super::{Author, DraftRepo, Error, Result};

/// The remote and branch the current branch syncs with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upstream {
    /// Remote name ("origin").
    pub remote: String,
    /// Its URL.
    pub url: String,
    /// Local branch ("refs/heads/main").
    pub local: String,
    /// Branch name on the remote ("main").
    pub branch: String,
}

impl Upstream {
    /// Whether the URL is a local path or file://, handled in-process.
    pub fn is_local(&self) -> bool {
        self.url.starts_with("file://")
            || self.url.starts_with('/')
            || self.url.starts_with('.')
            || Path::new(&self.url).exists()
    }

    /// The remote-tracking ref.
    pub fn tracking(&self) -> String {
        format!("refs/remotes/{}/{}", self.remote, self.branch)
    }

    /// Where a fetch puts the remote's branch until sync has judged it
    /// (deleted again before sync returns).
    pub fn incoming(&self) -> String {
        format!("refs/duyet/incoming/{}/{}", self.remote, self.branch)
    }
}

impl DraftRepo {
    /// The current branch's upstream (branch.<b>.remote and .merge; default
    /// origin and the same branch name).
    pub fn upstream(&self) -> Result<Upstream> {
        let local = self.head_branch()?;
        let short = local.trim_start_matches("refs/heads/").to_string();
        let remote = self
            .config_string(&format!("branch.{short}.remote"))
            .unwrap_or_else(|| "origin".to_string());
        let branch = self
            .config_string(&format!("branch.{short}.merge"))
            .map(|m| m.trim_start_matches("refs/heads/").to_string())
            .unwrap_or_else(|| short.clone());
        let url = self
            .config_string(&format!("remote.{remote}.url"))
            .ok_or_else(|| {
                Error::Remote(format!(
                    "no remote '{remote}': add one with `git remote add {remote} URL`"
                ))
            })?;
        Ok(Upstream {
            remote,
            url,
            local,
            branch,
        })
    }

    fn system_git(&self, args: &[&str]) -> Result<String> {
        let out = Command::new("git")
            .arg("--git-dir")
            .arg(self.git_dir())
            .args(args)
            .env("GIT_TERMINAL_PROMPT", "0")
            .output()
            .map_err(|e| Error::Remote(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(Error::Remote(format!(
                "git {} failed:\n{}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Fetches the upstream branch into [`Upstream::incoming`], leaving the
    /// remote-tracking ref alone (it moves only once the commits are
    /// judged); returns the fetched commit, or `None` when the remote has
    /// no such branch yet.
    pub fn fetch(&self, up: &Upstream) -> Result<Option<String>> {
        let spec = format!("+refs/heads/{}:{}", up.branch, up.incoming());
        if up.is_local() {
            // An anonymous remote: no configured refspec, so libgit2 makes no
            // opportunistic update of the remote-tracking ref.
            let mut remote = self.repo.remote_anonymous(&up.url)?;
            remote.fetch(&[spec.as_str()], None, None).map_err(|e| {
                Error::Remote(format!("fetch from {} failed: {}", up.url, e.message()))
            })?;
        } else {
            // `--refmap=`: the configured refspecs do not apply, so git does
            // not update the remote-tracking ref either.
            match self.system_git(&["fetch", "--quiet", "--refmap=", &up.remote, &spec]) {
                Ok(_) => {}
                Err(Error::Remote(m)) if m.contains("couldn't find remote ref") => return Ok(None),
                Err(e) => return Err(e),
            }
        }
        Ok(self.ref_id(&up.incoming()))
    }

    /// The commit a ref points to, if it exists.
    pub fn ref_id(&self, name: &str) -> Option<String> {
        self.repo.refname_to_id(name).ok().map(|o| o.to_string())
    }

    /// Points ref `name` at commit `id` (creating or moving it).
    pub fn set_ref(&self, name: &str, id: &str, why: &str) -> Result<()> {
        self.repo
            .reference(name, Oid::from_str(id)?, true, &format!("duyet: {why}"))?;
        Ok(())
    }

    /// Creates ref `name` at `id`; fails if it exists.
    pub fn create_ref(&self, name: &str, id: &str, why: &str) -> Result<()> {
        self.repo
            .reference(name, Oid::from_str(id)?, false, &format!("duyet: {why}"))?;
        Ok(())
    }

    /// Deletes ref `name` if it exists.
    pub fn delete_ref(&self, name: &str) -> Result<()> {
        match self.repo.find_reference(name) {
            Ok(mut r) => Ok(r.delete()?),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The commits all refs point to (refs that name no commit are left out):
    /// what a server already holds before a push.
    pub fn ref_tips(&self) -> Result<Vec<String>> {
        let mut tips = Vec::new();
        for r in self.repo.references()? {
            if let Ok(c) = r?.peel_to_commit() {
                tips.push(c.id().to_string());
            }
        }
        tips.sort();
        tips.dedup();
        Ok(tips)
    }

    /// Pushes the local branch to the upstream branch (never forced).
    pub fn push(&self, up: &Upstream) -> Result<()> {
        let spec = format!("{}:refs/heads/{}", up.local, up.branch);
        if up.is_local() {
            let mut remote = self.repo.find_remote(&up.remote)?;
            let rejected = std::cell::RefCell::new(None::<String>);
            {
                let mut callbacks = git2::RemoteCallbacks::new();
                callbacks.push_update_reference(|name, status| {
                    if let Some(s) = status {
                        *rejected.borrow_mut() = Some(format!("{name}: {s}"));
                    }
                    Ok(())
                });
                let mut opts = git2::PushOptions::new();
                opts.remote_callbacks(callbacks);
                remote
                    .push(&[spec.as_str()], Some(&mut opts))
                    .map_err(|e| {
                        Error::Remote(format!("push to {} refused: {}", up.url, e.message()))
                    })?;
            }
            if let Some(r) = rejected.into_inner() {
                return Err(Error::Remote(format!("push to {} refused: {r}", up.url)));
            }
        } else {
            self.system_git(&["push", "--quiet", &up.remote, &spec])?;
        }
        // Keep the tracking ref in step, as git does.
        let id = self.repo.refname_to_id(&up.local)?;
        self.repo
            .reference(&up.tracking(), id, true, "duyet: push")?;
        Ok(())
    }

    /// The merge base of two commits.
    pub fn merge_base(&self, a: &str, b: &str) -> Result<Option<String>> {
        match self.repo.merge_base(Oid::from_str(a)?, Oid::from_str(b)?) {
            Ok(o) => Ok(Some(o.to_string())),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Paths whose content differs between two commits, with the blob in `to`
    /// (`None`: removed).
    pub fn changes_between(&self, from: &str, to: &str) -> Result<Vec<(String, Option<String>)>> {
        let a = self.repo.find_commit(Oid::from_str(from)?)?.tree()?;
        let b = self.repo.find_commit(Oid::from_str(to)?)?.tree()?;
        let diff = self.repo.diff_tree_to_tree(Some(&a), Some(&b), None)?;
        Ok(diff
            .deltas()
            .filter_map(|d| {
                let path = d
                    .new_file()
                    .path()
                    .or(d.old_file().path())?
                    .to_string_lossy()
                    .into_owned();
                let blob =
                    (d.status() != git2::Delta::Deleted).then(|| d.new_file().id().to_string());
                Some((path, blob))
            })
            .collect())
    }

    /// Writes a commit whose tree is `onto`'s with `changes` applied, with
    /// the given parents, author and message; unsigned unless `sign` gives a
    /// signature for the buffer. The branch is not moved.
    pub fn write_commit_on(
        &self,
        onto: &str,
        parents: &[&str],
        changes: &[(String, Option<String>)],
        author: &Author,
        message: &str,
        sign: &mut dyn FnMut(&str) -> Result<Option<String>>,
    ) -> Result<String> {
        let base = self.repo.find_commit(Oid::from_str(onto)?)?.tree()?;
        let mut b = TreeUpdateBuilder::new();
        for (path, blob) in changes {
            match blob {
                Some(id) => {
                    b.upsert(path.as_str(), Oid::from_str(id)?, FileMode::Blob);
                }
                None => {
                    b.remove(path.as_str());
                }
            }
        }
        let tree = self.repo.find_tree(b.create_updated(&self.repo, &base)?)?;
        let parents: Vec<git2::Commit<'_>> = parents
            .iter()
            .map(|p| Oid::from_str(p).and_then(|o| self.repo.find_commit(o)))
            .collect::<std::result::Result<_, _>>()?;
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let sig = match author.time {
            Some((s, o)) => {
                git2::Signature::new(&author.name, &author.email, &git2::Time::new(s, o))?
            }
            None => git2::Signature::now(&author.name, &author.email)?,
        };
        let committer = self.repo.signature().unwrap_or_else(|_| sig.clone());
        let mut message = message.trim_end().to_string();
        message.push('\n');
        let buf =
            self.repo
                .commit_create_buffer(&sig, &committer, &message, &tree, &parent_refs)?;
        let buffer = String::from_utf8_lossy(&buf).into_owned();
        let id = match sign(&buffer)? {
            Some(s) => {
                self.repo
                    .commit_signed(&buffer, s.trim_end_matches('\n'), Some("gpgsig"))?
            }
            None => self
                .repo
                .odb()?
                .write(git2::ObjectType::Commit, buffer.as_bytes())?,
        };
        Ok(id.to_string())
    }

    /// The author (name, e-mail, time) and message of a commit.
    pub fn commit_author(&self, id: &str) -> Result<(Author, String)> {
        let c = self.repo.find_commit(Oid::from_str(id)?)?;
        let a = c.author();
        Ok((
            Author {
                name: String::from_utf8_lossy(a.name_bytes()).into_owned(),
                email: String::from_utf8_lossy(a.email_bytes()).into_owned(),
                time: Some((a.when().seconds(), a.when().offset_minutes())),
            },
            String::from_utf8_lossy(c.message_bytes()).into_owned(),
        ))
    }

    /// Moves `branch` from `old` to `new`, first bringing the work tree and
    /// index to `new` (refusing if local changes would be overwritten).
    pub fn advance_branch(&self, branch: &str, old: &str, new: &str) -> Result<()> {
        let new_oid = Oid::from_str(new)?;
        if self.repo.refname_to_id(branch)?.to_string() != old {
            return Err(Error::BranchMoved(
                branch.trim_start_matches("refs/heads/").to_string(),
            ));
        }
        if self.repo.workdir().is_some() {
            let target = self.repo.find_commit(new_oid)?;
            let mut co = git2::build::CheckoutBuilder::new();
            co.safe();
            self.repo
                .checkout_tree(target.as_object(), Some(&mut co))
                .map_err(|e| {
                    if e.code() == git2::ErrorCode::Conflict {
                        Error::LocalChanges(format!(
                            "files that sync would update ({})",
                            e.message()
                        ))
                    } else {
                        Error::from(e)
                    }
                })?;
        }
        self.repo
            .reference_matching(branch, new_oid, true, Oid::from_str(old)?, "duyet: sync")
            .map_err(|e| match e.code() {
                git2::ErrorCode::Locked => Error::Locked(e.message().to_string()),
                _ => Error::BranchMoved(branch.trim_start_matches("refs/heads/").to_string()),
            })?;
        Ok(())
    }
}
