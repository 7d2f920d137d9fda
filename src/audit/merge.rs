//! The merge rule of the judge (after Guix): a merge's content for each
//! decision file, the trust list and the policy must be the three-way
//! result of its parents; what is not is the merge's own change and needs
//! a signer entitled in the trust list of every parent; what it brings onto
//! the first-parent line counts only if its writer was entitled in the trust
//! list of every parent.

use std::sync::Arc;

use super::Report;
use super::judge::{Judge, Verdict, is_admin_file, is_review, role_for, signer_in};
use super::problem::{Problem, finding};
use crate::model::trust::TrustList;
use crate::repo::{CommitFacts, Result};

impl Judge<'_> {
    /// A merge: its content for each review.toml and the trust list must
    /// be the three-way result of its parents and their merge base; what is
    /// not is the merge's own change and needs the signature of someone
    /// with the role in the trust list of every parent. What it brings from
    /// a parent other than the first counts only if its writer holds the
    /// role in the trust list of every parent.
    pub(super) fn judge_merge(
        &mut self,
        f: &CommitFacts,
        verdict: Option<&Verdict>,
        report: &mut Report,
    ) -> Result<()> {
        let mut paths: Vec<&String> = f
            .changes
            .iter()
            .flatten()
            .filter(|p| is_review(p) || is_admin_file(p))
            .collect();
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            return Ok(());
        }
        let mut lists = Vec::new();
        for p in &f.parents {
            match self.trust_at(p)? {
                Ok(l) => lists.push((p.clone(), l)),
                Err(e) => {
                    report
                        .findings
                        .push(finding(&f.id, Problem::Malformed { detail: e }));
                    return Ok(());
                }
            }
        }
        let bases = self.repo.merge_bases(&f.parents)?;
        let mut own = Vec::new();
        let mut carried = Vec::new();
        for p in paths {
            let here = self.repo.blob_at(&f.id, p)?;
            let sides: Vec<Option<String>> = f
                .parents
                .iter()
                .map(|c| self.repo.blob_at(c, p))
                .collect::<Result<_>>()?;
            let base: Option<Option<String>> = {
                let at: Vec<Option<String>> = bases
                    .iter()
                    .map(|b| self.repo.blob_at(b, p))
                    .collect::<Result<_>>()?;
                match at.split_first() {
                    Some((first, rest)) if rest.iter().all(|x| x == first) => Some(first.clone()),
                    _ => None,
                }
            };
            let expected: Option<Option<String>> = match &base {
                Some(b) => {
                    let mut changed: Vec<&Option<String>> =
                        sides.iter().filter(|s| *s != b).collect();
                    changed.dedup();
                    match changed.as_slice() {
                        [] => Some(b.clone()),
                        [one] => Some((*one).clone()),
                        _ => None,
                    }
                }
                None => sides
                    .iter()
                    .all(|s| *s == sides[0])
                    .then(|| sides[0].clone()),
            };
            if expected.as_ref() != Some(&here) {
                own.push(p.clone());
            } else if here != sides[0]
                && let Some(k) = sides.iter().position(|s| *s == here)
                && let Some(blob) = &here
            {
                carried.push((p.clone(), k, blob.clone()));
            }
        }
        if !own.is_empty() {
            let mut problems = Vec::new();
            for p in &own {
                let (role, name) = role_for(p);
                for (parent, list) in &lists {
                    match signer_in(list, f, verdict) {
                        Err(e) => problems.push(super::problem::explain(&e)),
                        Ok((m, _)) if !m.has(role) => problems.push(format!(
                            "{} is not an {name} in the trust list of {parent:.10}",
                            m.name
                        )),
                        Ok(_) => {}
                    }
                }
            }
            if !problems.is_empty() {
                for p in &own {
                    if let Some(blob) = self.repo.blob_at(&f.id, p)? {
                        report.tainted.push((p.clone(), blob));
                    }
                }
                report
                    .findings
                    .push(finding(&f.id, Problem::MergeIntroduces { files: own }));
            }
        }
        for (path, k, blob) in carried {
            let from = &f.parents[k];
            let reason = match self.repo.writer_of(&path, &blob, from, &bases)? {
                None => Some("no commit on that side wrote it".to_string()),
                Some(w) => self.writer_problem(&w, &path, &lists)?,
            };
            if let Some(reason) = reason {
                let writer = self.repo.writer_of(&path, &blob, from, &bases)?;
                report.tainted.push((path.clone(), blob.clone()));
                report.findings.push(finding(
                    &f.id,
                    Problem::MergeCarries {
                        path,
                        writer: writer.unwrap_or_default(),
                        reason,
                    },
                ));
            }
        }
        Ok(())
    }

    /// Why the change of `path` written by commit `w` does not count in
    /// every one of `lists`, if it does not.
    fn writer_problem(
        &self,
        w: &str,
        path: &str,
        lists: &[(String, Arc<TrustList>)],
    ) -> Result<Option<String>> {
        let (role, name) = role_for(path);
        let key = match self.repo.commit_signed(w)? {
            crate::repo::Signed::No => return Ok(Some("it is not signed".into())),
            crate::repo::Signed::Many => {
                return Ok(Some("it has more than one signature header".into()));
            }
            crate::repo::Signed::Yes { signature, payload } => {
                match self.verifier.verify(&signature, &payload) {
                    Ok(k) => k,
                    Err(e) => return Ok(Some(format!("its signature does not verify: {e}"))),
                }
            }
        };
        for (parent, list) in lists {
            match list.member_for(&key) {
                Some(m) if m.has(role) => {}
                Some(m) => {
                    return Ok(Some(format!(
                        "its signer {} is not an {name} in the trust list of parent {parent:.10}",
                        m.name
                    )));
                }
                None => {
                    return Ok(Some(format!(
                        "its signing key is not in the trust list of parent {parent:.10}"
                    )));
                }
            }
        }
        Ok(None)
    }
}
