//! The judge: one commit at a time, by the trust list of its parent (of
//! every parent, for what a merge brings). The audit, `approve`, `trust`,
//! `sync` and the server hook all ask this judge.

use std::collections::HashMap;
use std::sync::Arc;

use super::problem::{Problem, finding};
use super::{Report, TrailEntry, parse_trailers};
use crate::model::policy::Policy;
use crate::model::text::nfc;
use crate::model::trust::{Member, Role, SignerKey, TrustList};
use crate::model::{Decision, Meta, Review, Step};
use crate::repo::{
    CommitFacts, DraftRepo, POLICY_PATH, Result, ReviewAt, TRUST_PATH, parse_policy,
    parse_toml_text,
};
use crate::sign::{SignError, Verifier};

/// What a signature check found.
pub(crate) type Verdict = std::result::Result<SignerKey, SignError>;

/// How far review.toml's `time` may stand from the commit's committer
/// time: both are taken from one clock when duyet records a decision.
pub const TIME_TOLERANCE_SECONDS: i64 = 300;

pub(crate) struct Judge<'r> {
    pub repo: &'r DraftRepo,
    pub verifier: Verifier,
    /// The introduction commit: judged by its own trust list.
    pub intro: String,
    /// Trust lists read so far, by blob id.
    trust: HashMap<String, Arc<TrustList>>,
    /// Route policies read so far, by blob id.
    policies: HashMap<String, Arc<Policy>>,
    /// Step decisions judged by this judge: (path, blob) → verified. A
    /// final approval does not rest on one that did not verify.
    steps_judged: HashMap<(String, String), bool>,
}

/// The step whose decision file `path` is (`drafts/<y>/<id>/review*.toml`).
pub(crate) fn step_of(path: &str) -> Option<Step> {
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["drafts", _, _, file] => Step::of_file(file),
        _ => None,
    }
}

/// Whether `path` is a decision file: review.toml or a step's.
pub(crate) fn is_review(path: &str) -> bool {
    step_of(path).is_some()
}

/// The trust list and the route policy: changed only by an admin.
pub(super) fn is_admin_file(path: &str) -> bool {
    path == TRUST_PATH || path == POLICY_PATH
}

pub(super) fn role_for(path: &str) -> (Role, &'static str) {
    let role = match step_of(path) {
        _ if is_admin_file(path) => Role::Admin,
        Some(step) => step.role(),
        None => Role::Approver,
    };
    (role, role.key())
}

/// The member of `list` whose key made `verdict` on `f`'s signature, or
/// what is wrong.
pub(super) fn signer_in<'l>(
    list: &'l TrustList,
    f: &CommitFacts,
    verdict: Option<&Verdict>,
) -> std::result::Result<(&'l Member, String), Problem> {
    if f.many_signatures {
        return Err(Problem::BadSignature {
            reason: "more than one gpgsig header (git would join them)".into(),
        });
    }
    let key = match (&f.signature, verdict) {
        (None, _) | (Some(_), None) => return Err(Problem::Unsigned),
        (Some(_), Some(Err(e))) => {
            return Err(Problem::BadSignature {
                reason: e.to_string(),
            });
        }
        (Some(_), Some(Ok(key))) => key,
    };
    let text = match key {
        SignerKey::Ssh(k) | SignerKey::OpenPgp(k) | SignerKey::X509(k) => k.clone(),
    };
    match list.member_for(key) {
        Some(m) => Ok((m, text)),
        None => Err(Problem::UnknownKey { key: text }),
    }
}

fn same_person(review: &Review, m: &Member) -> bool {
    let norm = |s: &str| nfc(s.trim()).into_owned();
    norm(&review.reviewer) == norm(&m.name)
        && review.email.trim().eq_ignore_ascii_case(m.email.trim())
}

fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    let ts = jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let offset =
        jiff::tz::Offset::from_seconds(offset_minutes * 60).unwrap_or(jiff::tz::Offset::UTC);
    ts.display_with_offset(offset).to_string()
}

impl<'r> Judge<'r> {
    pub fn new(repo: &'r DraftRepo, intro: &str) -> Self {
        Judge {
            repo,
            verifier: Verifier::from_repo(repo),
            intro: intro.to_string(),
            trust: HashMap::new(),
            policies: HashMap::new(),
            steps_judged: HashMap::new(),
        }
    }

    /// The route policy at commit `id` (absent: the empty policy), cached
    /// by blob id.
    fn policy_at(&mut self, id: &str) -> Result<std::result::Result<Arc<Policy>, String>> {
        let blob = self.repo.blob_at(id, POLICY_PATH)?;
        Ok(self.policy(blob))
    }

    /// The route policy kept in `blob` (none: the empty policy), cached by
    /// blob id.
    fn policy(&mut self, blob: Option<String>) -> std::result::Result<Arc<Policy>, String> {
        let Some(blob) = blob else {
            return Ok(Arc::new(Policy::default()));
        };
        if let Some(p) = self.policies.get(&blob) {
            return Ok(p.clone());
        }
        let parsed = self
            .repo
            .read_text(&blob, POLICY_PATH)
            .and_then(|text| parse_policy(&text))
            .map_err(|e| e.to_string());
        parsed.map(|p| {
            let p = Arc::new(p);
            self.policies.insert(blob, p.clone());
            p
        })
    }

    /// The trust list kept in `blob` (none: the empty list), cached by blob id.
    fn trust_list(&mut self, blob: Option<&str>) -> std::result::Result<Arc<TrustList>, String> {
        let Some(blob) = blob else {
            return Ok(Arc::new(TrustList::default()));
        };
        if let Some(t) = self.trust.get(blob) {
            return Ok(t.clone());
        }
        let text = self
            .repo
            .read_text(blob, TRUST_PATH)
            .map_err(|e| e.to_string())?;
        let list: TrustList = parse_toml_text(TRUST_PATH, &text).map_err(|e| e.to_string())?;
        let list = Arc::new(list);
        self.trust.insert(blob.to_string(), list.clone());
        Ok(list)
    }

    /// The trust list at commit `id`.
    pub(super) fn trust_at(
        &mut self,
        id: &str,
    ) -> Result<std::result::Result<Arc<TrustList>, String>> {
        let blob = self.repo.blob_at(id, TRUST_PATH)?;
        Ok(self.trust_list(blob.as_deref()))
    }

    /// Judges `facts` (in history order), whose signatures were verified,
    /// into `report`.
    pub fn judge(
        &mut self,
        facts: &[CommitFacts],
        verdicts: &HashMap<usize, Verdict>,
        report: &mut Report,
    ) -> Result<()> {
        for (i, f) in facts.iter().enumerate() {
            for (path, fault) in &f.faults {
                report.findings.push(finding(
                    &f.id,
                    Problem::BadTree {
                        path: path.clone(),
                        fault: fault.clone(),
                    },
                ));
            }
            if f.parents.len() > 1 {
                self.judge_merge(f, verdicts.get(&i), report)?;
            } else {
                self.judge_one(f, verdicts.get(&i), report)?;
            }
        }
        Ok(())
    }

    fn judge_one(
        &mut self,
        f: &CommitFacts,
        verdict: Option<&Verdict>,
        report: &mut Report,
    ) -> Result<()> {
        let is_intro = f.id == self.intro;
        let changed: Vec<&String> = f.changes.iter().flatten().collect();
        let reviews: Vec<&String> = changed.iter().copied().filter(|p| is_review(p)).collect();
        let trust_changed = changed.iter().any(|p| is_admin_file(p));
        if reviews.is_empty() && !trust_changed && !is_intro {
            return Ok(());
        }
        if changed.iter().any(|p| *p == POLICY_PATH)
            && let Err(detail) = self.policy_at(&f.id)?
        {
            report
                .findings
                .push(finding(&f.id, Problem::Malformed { detail }));
        }
        let before = report.findings.len();
        // Who signed, judged by the parent's list (the intro by its own).
        let list_at = if is_intro { &f.trust } else { &f.parent_trust };
        let list = match self.trust_list(list_at.as_deref()) {
            Ok(l) => l,
            Err(e) => {
                report
                    .findings
                    .push(finding(&f.id, Problem::Malformed { detail: e }));
                return Ok(());
            }
        };
        let mut member = None;
        let mut key_text = None;
        match signer_in(&list, f, verdict) {
            Err(p) => report.findings.push(finding(&f.id, p)),
            Ok((m, key)) => {
                key_text = Some(key);
                let mut needs: Vec<(Role, &str)> = reviews.iter().map(|p| role_for(p)).collect();
                if trust_changed || is_intro {
                    needs.push((Role::Admin, "admin"));
                }
                needs.sort_by_key(|(_, name)| *name);
                needs.dedup();
                for (role, name) in needs {
                    if !m.has(role) {
                        report.findings.push(finding(
                            &f.id,
                            Problem::NotAuthorized {
                                name: m.name.clone(),
                                role: name.to_string(),
                            },
                        ));
                    }
                }
                member = Some(m.clone());
            }
        }
        if reviews.is_empty() {
            return Ok(());
        }
        let others: Vec<String> = changed
            .iter()
            .filter(|p| !is_review(p))
            .map(|p| p.to_string())
            .collect();
        if reviews.len() > 1 || !others.is_empty() {
            let mut files = others;
            files.extend(reviews.iter().skip(1).map(|p| p.to_string()));
            report
                .findings
                .push(finding(&f.id, Problem::ExtraFiles { files }));
        }
        for at in &f.reviews {
            self.judge_decision(f, at, report, member.as_ref(), key_text.clone(), before)?;
        }
        Ok(())
    }

    /// The draft's meta.toml at commit `id`, or why it cannot be read.
    fn meta_at(&self, id: &str, folder: &str) -> Result<std::result::Result<Meta, String>> {
        let path = format!("{folder}/meta.toml");
        let Some(blob) = self.repo.blob_at(id, &path)? else {
            return Ok(Err(format!("{path} is missing")));
        };
        Ok(self
            .repo
            .read_text(&blob, &path)
            .and_then(|text| parse_toml_text::<Meta>(&path, &text))
            .map_err(|e| e.to_string()))
    }

    /// The route's checks on one decision: a content step by someone who
    /// answers for the draft's unit; a final approval only after the steps
    /// the parent's policy requires were approved on the same revision.
    fn judge_route(
        &mut self,
        f: &CommitFacts,
        folder: &str,
        step: Step,
        review: &Review,
        member: Option<&Member>,
        report: &mut Report,
    ) -> Result<()> {
        let final_approval = step == Step::Final && review.decision == Decision::Approved;
        if step != Step::Content && !final_approval {
            return Ok(());
        }
        let policy = if step == Step::Final {
            // The policy of the first parent (read with the commit's facts).
            match self.policy(f.parent_policy.clone()) {
                Ok(p) if *p == Policy::default() => return Ok(()),
                Ok(p) => Some(p),
                Err(detail) => {
                    report
                        .findings
                        .push(finding(&f.id, Problem::Malformed { detail }));
                    return Ok(());
                }
            }
        } else {
            None
        };
        let meta = match self.meta_at(&f.id, folder)? {
            Ok(m) => m,
            Err(detail) => {
                report
                    .findings
                    .push(finding(&f.id, Problem::Malformed { detail }));
                return Ok(());
            }
        };
        if step == Step::Content {
            if let Some(m) = member
                && !m.answers_for(&meta.unit)
            {
                report.findings.push(finding(
                    &f.id,
                    Problem::NotForUnit {
                        name: m.name.clone(),
                        unit: meta.unit.clone(),
                    },
                ));
            }
            return Ok(());
        }
        let Some(policy) = policy else {
            return Ok(());
        };
        let mut missing = Vec::new();
        let mut unverified = Vec::new();
        for need in policy.required(meta.kind) {
            let path = format!("{folder}/{}", need.file());
            let blob = self.repo.blob_at(&f.id, &path)?;
            let done = blob.as_ref().is_some_and(|blob| {
                self.repo
                    .read_text(blob, &path)
                    .and_then(|text| parse_toml_text::<Review>(&path, &text))
                    .is_ok_and(|r| {
                        r.decision == Decision::Approved && r.revision == review.revision
                    })
            });
            if !done {
                missing.push(need.key().to_string());
            } else if let Some(blob) = blob {
                let key = (path, blob);
                if self.steps_judged.get(&key) == Some(&false) || report.tainted.contains(&key) {
                    unverified.push(need.key().to_string());
                }
            }
        }
        if !unverified.is_empty() {
            report.findings.push(finding(
                &f.id,
                Problem::StepNotVerified { steps: unverified },
            ));
        }
        if !missing.is_empty() {
            report.findings.push(finding(
                &f.id,
                Problem::StepsMissing {
                    draft_kind: meta.kind.key().to_string(),
                    steps: missing,
                },
            ));
        }
        Ok(())
    }

    fn judge_decision(
        &mut self,
        f: &CommitFacts,
        at: &ReviewAt,
        report: &mut Report,
        member: Option<&Member>,
        key: Option<String>,
        before: usize,
    ) -> Result<()> {
        let path = at.path.as_str();
        let step = step_of(path).unwrap_or(Step::Final);
        let folder = path.rsplit_once('/').map_or("", |(f, _)| f);
        let id = folder.rsplit('/').next().unwrap_or("").to_string();
        let Some(blob) = at.blob.as_deref() else {
            return Ok(());
        };
        let review = match self
            .repo
            .read_text(blob, path)
            .and_then(|text| parse_toml_text::<Review>(path, &text))
        {
            Ok(r) => r,
            Err(e) => {
                report.findings.push(finding(
                    &f.id,
                    Problem::Malformed {
                        detail: e.to_string(),
                    },
                ));
                return Ok(());
            }
        };
        let trailers = parse_trailers(&f.message);
        let get = |k: &str| {
            trailers
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let mut diffs = Vec::new();
        if get("Draft") != Some(id.as_str()) {
            diffs.push(format!("Draft is {:?}, the folder is {id}", get("Draft")));
        }
        if get("Decision").and_then(Decision::parse) != Some(review.decision) {
            diffs.push(format!(
                "Decision is {:?}, review.toml says {}",
                get("Decision"),
                review.decision.key()
            ));
        }
        if get("Revision") != Some(review.revision.as_str()) {
            diffs.push(format!(
                "Revision is {:?}, review.toml says {}",
                get("Revision"),
                review.revision
            ));
        }
        // No `Step:` trailer is the final decision (history before the route).
        let said = get("Step").map(|s| Step::parse(s).ok_or(s));
        if said.unwrap_or(Ok(Step::Final)) != Ok(step) {
            diffs.push(format!(
                "Step is {:?}, the file is {}'s",
                get("Step"),
                step.key()
            ));
        }
        if !diffs.is_empty() {
            report.findings.push(finding(
                &f.id,
                Problem::TrailerMismatch {
                    detail: diffs.join("; "),
                },
            ));
        }
        let actual = at.draft.clone().unwrap_or_default();
        if actual != review.revision {
            report.findings.push(finding(
                &f.id,
                Problem::RevisionNotInTree {
                    revision: review.revision.clone(),
                    actual,
                },
            ));
        }
        if let Some(m) = member
            && !same_person(&review, m)
        {
            report.findings.push(finding(
                &f.id,
                Problem::ReviewerNotSigner {
                    path: path.to_string(),
                    named: format!("{} <{}>", review.reviewer, review.email),
                    signer: format!("{} <{}>", m.name, m.email),
                },
            ));
        }
        let when = review.time.parse::<jiff::Timestamp>().ok();
        if when.is_none_or(|t| (t.as_second() - f.time.seconds).abs() > TIME_TOLERANCE_SECONDS) {
            report.findings.push(finding(
                &f.id,
                Problem::TimeMismatch {
                    path: path.to_string(),
                    review: review.time.clone(),
                    commit: rfc3339(f.time.seconds, f.time.offset_minutes),
                },
            ));
        }
        self.judge_route(f, folder, step, &review, member, report)?;
        let verified = !report.findings[before..].iter().any(|x| x.commit == f.id);
        if step != Step::Final {
            self.steps_judged
                .insert((path.to_string(), blob.to_string()), verified);
        }
        report.trail.push(TrailEntry {
            commit: f.id.clone(),
            draft: id,
            path: path.to_string(),
            review_blob: blob.to_string(),
            revision: review.revision,
            decision: review.decision.key().to_string(),
            reviewer: review.reviewer,
            signer: member.map(|m| m.name.clone()),
            key,
            time: review.time,
            verified,
        });
        Ok(())
    }
}
