//! `duyet audit`: the approval trail as text, JSON or CSV.

use super::context::{Failure, open};
use super::progress::Progress;
use crate::i18n::{Lang, Msg};

/// What `duyet audit` was asked.
pub(super) struct Request<'a> {
    pub intro: Option<&'a str>,
    pub json: bool,
    pub csv: bool,
    pub no_record: bool,
    pub full: bool,
    pub filter: &'a super::report::FilterArgs,
}

/// `duyet audit`: exit 1 on any finding.
pub(super) fn audit(
    repo: Option<&std::path::Path>,
    req: Request<'_>,
    lang: Lang,
    color: bool,
) -> Result<i32, Failure> {
    let repo = open(repo)?;
    let opts = crate::audit::Options {
        intro: req.intro.map(str::to_string),
        record: !req.no_record,
        full: req.full,
        ..Default::default()
    };
    let mut p = Progress::new(Msg::Auditing, lang);
    let report = crate::audit::audit_with_progress(&repo, &opts, &mut |n| p.tick(n))?;
    drop(p);
    super::report::audit_output(&repo, &report, req.filter, req.json, req.csv, lang, color)?;
    Ok(i32::from(!report.clean()))
}
