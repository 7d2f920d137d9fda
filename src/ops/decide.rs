//! Approving or returning a draft: one signed commit (design.md section 3).

use super::record;
use crate::model::{Decision, DraftSummary, Note, Review, Step};
use crate::repo::{Author, DraftRepo, Edit, Error, Finished, PreparedCommit, Result};
use crate::sign::Signer;

/// What the reviewer decided, before it is signed.
#[derive(Debug, Clone)]
pub struct DecisionRequest {
    /// Draft id.
    pub id: String,
    /// Approve or return.
    pub decision: Decision,
    /// The revision the reviewer read (number or blob id); the decision is
    /// refused when the draft's newest revision is another one.
    pub revision: Option<String>,
    /// The reviewer's comment.
    pub comment: String,
    /// Line notes.
    pub notes: Vec<Note>,
    /// Author and time; from git config and now when `None`.
    pub author: Option<Author>,
}

/// A decision ready to sign: the commit and the review it writes.
#[derive(Debug, Clone)]
pub struct DecisionPlan {
    /// The draft at HEAD.
    pub draft: DraftSummary,
    /// The newest revision's number, when the history was read.
    pub revision_number: Option<usize>,
    /// What review.toml will hold.
    pub review: Review,
    /// The commit to sign.
    pub commit: PreparedCommit,
}

/// The commit message of a final decision, with its trailers.
pub fn decision_message(title: &str, review: &Review, id: &str) -> String {
    step_message(title, review, id, Step::Final)
}

/// The commit message of a decision on `step`, with its trailers; a step
/// before the final decision adds `Step: content|form` (none: final, as
/// in history made before the route).
pub fn step_message(title: &str, review: &Review, id: &str, step: Step) -> String {
    let subject: String = title
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(200)
        .collect();
    let mut msg = format!(
        "{}: {}\n\n",
        step.subject_prefix(review.decision),
        subject.trim()
    );
    let comment = review.comment.trim();
    if !comment.is_empty() {
        msg.push_str(comment);
        msg.push_str("\n\n");
    }
    msg.push_str(&format!(
        "Draft: {id}\nDecision: {}\nRevision: {}\n",
        review.decision.key(),
        review.revision
    ));
    if step != Step::Final {
        msg.push_str(&format!("Step: {}\n", step.key()));
    }
    msg
}

fn rfc3339(seconds: i64, offset_minutes: i32) -> String {
    let ts = jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let offset =
        jiff::tz::Offset::from_seconds(offset_minutes * 60).unwrap_or(jiff::tz::Offset::UTC);
    ts.display_with_offset(offset).to_string()
}

/// Refuses a draft whose text is binary or not UTF-8: the reviewer cannot
/// have read it, so it cannot be approved or returned.
fn readable(repo: &DraftRepo, draft: &DraftSummary) -> Result<()> {
    let path = format!("{}/draft.md", draft.path);
    let what = match repo.read_text(&draft.draft_blob, &path) {
        Ok(_) => return Ok(()),
        Err(Error::Binary { .. }) => "binary",
        Err(Error::NotUtf8 { .. }) => "not valid UTF-8",
        Err(e) => return Err(e),
    };
    Err(Error::UnreadableDraft {
        id: draft.id.clone(),
        path,
        blob: draft.draft_blob.clone(),
        what,
    })
}

/// Checks the request and builds the final decision's commit without signing it.
pub fn plan_decision(repo: &DraftRepo, req: &DecisionRequest) -> Result<DecisionPlan> {
    plan_step(repo, req, Step::Final)
}

/// A final approval needs the steps the route policy requires approved on
/// the current text (Nghị định 30, Điều 12): otherwise it is refused.
fn route_done(draft: &DraftSummary, step: Step, decision: Decision) -> Result<()> {
    if step != Step::Final || decision != Decision::Approved {
        return Ok(());
    }
    let missing: Vec<Step> = draft
        .required
        .iter()
        .copied()
        .filter(|s| {
            !draft.step(*s).is_some_and(|r| {
                r.review.decision == Decision::Approved && r.review.revision == draft.draft_blob
            })
        })
        .collect();
    if !missing.is_empty() {
        return Err(Error::RouteIncomplete {
            id: draft.id.clone(),
            missing,
        });
    }
    // A step the audit of HEAD found invalid does not count.
    match draft
        .required
        .iter()
        .find(|s| draft.step(**s).is_some_and(|r| r.verified == Some(false)))
    {
        Some(step) => Err(Error::StepNotVerified {
            id: draft.id.clone(),
            step: *step,
        }),
        None => Ok(()),
    }
}

/// Checks the request and builds the commit of a decision on `step`
/// (its file: review.toml, review-content.toml or review-form.toml)
/// without signing it.
pub fn plan_step(repo: &DraftRepo, req: &DecisionRequest, step: Step) -> Result<DecisionPlan> {
    let mut draft = repo.draft(&req.id)?;
    crate::audit::mark(repo, std::slice::from_mut(&mut draft));
    readable(repo, &draft)?;
    // A full blob id is checked against HEAD directly; a number or a prefix
    // needs the draft's history.
    let full_blob = |s: &str| s.len() == 40 && s.chars().all(|c| c.is_ascii_hexdigit());
    let newest = match &req.revision {
        Some(spec) if full_blob(spec) => {
            if !spec.eq_ignore_ascii_case(&draft.draft_blob) {
                return Err(Error::StaleRevision {
                    id: req.id.clone(),
                    expected: spec.clone(),
                    actual: format!("{:.10}", draft.draft_blob),
                });
            }
            None
        }
        Some(spec) => {
            let history = repo.history(&req.id)?;
            let newest = history.revisions.last().map(|r| r.number).unwrap_or(0);
            let asked = repo.resolve_revision(&history, spec)?;
            if asked != newest {
                return Err(Error::StaleRevision {
                    id: req.id.clone(),
                    expected: spec.clone(),
                    actual: format!("{newest} ({:.10})", draft.draft_blob),
                });
            }
            Some(newest)
        }
        None => None,
    };
    route_done(&draft, step, req.decision)?;
    if req.decision == Decision::Returned && req.comment.trim().is_empty() {
        return Err(Error::Sign(
            "returning a draft needs a comment that tells the drafter what to change (-m)"
                .to_string(),
        ));
    }
    let author = match &req.author {
        Some(a) => a.clone(),
        None => repo.configured_author()?,
    };
    let (secs, off) = author.time.unwrap_or_else(|| {
        let now = jiff::ZonedDateTime::now();
        (now.timestamp().as_second(), now.offset().seconds() / 60)
    });
    let author = Author {
        time: Some((secs, off)),
        ..author
    };
    let review = Review {
        decision: req.decision,
        revision: draft.draft_blob.clone(),
        reviewer: author.name.clone(),
        email: author.email.clone(),
        time: rfc3339(secs, off),
        comment: req.comment.trim().to_string(),
        notes: req.notes.clone(),
    };
    let text = toml::to_string(&review).map_err(|e| Error::Sign(e.to_string()))?;
    let message = step_message(&draft.meta.title, &review, &draft.id, step);
    let edits = [Edit::Put {
        path: format!("{}/{}", draft.path, step.file()),
        content: text.into_bytes(),
    }];
    let commit = repo.prepare_commit(&edits, &message, &author)?;
    Ok(DecisionPlan {
        draft,
        revision_number: newest,
        review,
        commit,
    })
}

/// Plans, signs and writes a decision; returns the new commit (and a
/// warning when the work tree could not follow).
///
/// review.toml names the trust-list member whose key signs (the audit
/// requires it): when git's identity differs from that member's, the
/// decision is planned again under the member's name and signed again.
/// A key that is not an approver's in the trust list at HEAD is refused,
/// and the commit is judged as the audit will judge it before the branch
/// moves. When anything fails nothing is written.
pub fn decide(
    repo: &DraftRepo,
    req: &DecisionRequest,
    signer: &Signer,
    passphrase: Option<&str>,
) -> Result<Finished> {
    decide_step(repo, req, Step::Final, signer, passphrase)
}

/// [`decide`] on `step`: the signing key must hold the step's role
/// (`content`, `form`; `approver` for the final decision) in the trust list
/// at HEAD, and the judge checks the rest (the unit of a content check, the
/// route before a final approval) before the branch moves.
pub fn decide_step(
    repo: &DraftRepo,
    req: &DecisionRequest,
    step: Step,
    signer: &Signer,
    passphrase: Option<&str>,
) -> Result<Finished> {
    let sign = |plan: &DecisionPlan| {
        signer
            .sign(plan.commit.buffer.as_bytes(), passphrase)
            .map_err(|e| Error::Sign(e.to_string()))
    };
    let mut plan = plan_step(repo, req, step)?;
    let mut sig = sign(&plan)?;
    let key = record::signing_key(repo, &plan.commit, &sig)?;
    let member = record::member_with_role(repo, &key, step.role())?;
    if step == Step::Content && !member.answers_for(&plan.draft.meta.unit) {
        return Err(Error::NotForUnit {
            who: format!("{} <{}>", member.name, member.email),
            unit: plan.draft.meta.unit.clone(),
        });
    }
    if member.name != plan.review.reviewer || member.email != plan.review.email {
        let time = parse_time(&plan.review.time);
        let again = DecisionRequest {
            author: Some(Author {
                name: member.name.clone(),
                email: member.email.clone(),
                time,
            }),
            ..req.clone()
        };
        plan = plan_step(repo, &again, step)?;
        sig = sign(&plan)?;
    }
    record::record(repo, &plan.commit, &sig)
}

/// Seconds and offset of an RFC 3339 time written by [`plan_decision`].
fn parse_time(s: &str) -> Option<(i64, i32)> {
    let secs = s.parse::<jiff::Timestamp>().ok()?.as_second();
    let off = match s.get(s.len().saturating_sub(6)..) {
        Some(o) if o.starts_with(['+', '-']) => {
            let sign = if o.starts_with('-') { -1 } else { 1 };
            let h: i32 = o.get(1..3)?.parse().ok()?;
            let m: i32 = o.get(4..6)?.parse().ok()?;
            sign * (h * 60 + m)
        }
        _ => 0,
    };
    Some((secs, off))
}
