//! The summary tables of a report: counts and times computed from the
//! audit's trail and the list, never a verdict of their own.

use std::collections::BTreeMap;

use super::{DraftPart, Row, time};
use crate::i18n::Lang;
use crate::model::Status;

/// Decisions counted by outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Approvals that verified.
    pub approved: usize,
    /// Returns that verified.
    pub returned: usize,
    /// Decisions the audit did not verify.
    pub invalid: usize,
}

impl Tally {
    fn add(&mut self, r: &Row) {
        if !r.entry.verified {
            self.invalid += 1;
        } else if r.entry.decision == "approved" {
            self.approved += 1;
        } else {
            self.returned += 1;
        }
    }

    /// All decisions counted.
    pub fn total(&self) -> usize {
        self.approved + self.returned + self.invalid
    }
}

/// Decisions per reviewer named in review.toml, most first.
pub fn per_leader(rows: &[Row]) -> Vec<(String, Tally)> {
    let mut m: BTreeMap<String, Tally> = BTreeMap::new();
    for r in rows {
        m.entry(r.entry.reviewer.clone()).or_default().add(r);
    }
    let mut v: Vec<_> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.total().cmp(&a.1.total()).then(a.0.cmp(&b.0)));
    v
}

/// Decisions per month ("yyyy-mm", local time), in time order.
pub fn per_month(rows: &[Row]) -> Vec<(String, Tally)> {
    let mut m: BTreeMap<String, Tally> = BTreeMap::new();
    for r in rows {
        let key = r.time.map(time::month).unwrap_or_default();
        m.entry(key).or_default().add(r);
    }
    m.into_iter().collect()
}

/// A draft's status as the list shows it: a decision that did not verify
/// is shown as such, whatever review.toml says.
pub fn shown_status(d: &DraftPart, lang: Lang) -> String {
    let s = &d.summary;
    let decided = matches!(s.status, Status::Approved | Status::Returned);
    if (decided && s.verified != Some(true)) || s.verified == Some(false) {
        lang.unverified(s.verified).to_string()
    } else {
        lang.status(s.status).to_string()
    }
}

/// Drafts per shown status, in the list's order of statuses.
pub fn per_status(drafts: &[DraftPart], lang: Lang) -> Vec<(String, usize)> {
    let mut order: Vec<String> = Status::ALL
        .iter()
        .map(|s| lang.status(*s).to_string())
        .collect();
    order.push(lang.unverified(Some(false)).to_string());
    order.push(lang.unverified(None).to_string());
    let mut counts: Vec<(String, usize)> = order.into_iter().map(|s| (s, 0)).collect();
    for d in drafts {
        let s = shown_status(d, lang);
        if let Some(c) = counts.iter_mut().find(|(name, _)| *name == s) {
            c.1 += 1;
        }
    }
    counts.retain(|(_, n)| *n > 0);
    counts
}

/// Time from submission (the decided revision's commit) to decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turnaround {
    /// The drafting unit.
    pub unit: String,
    /// Decisions measured.
    pub count: usize,
    /// Median, in seconds.
    pub median: i64,
    /// 90th percentile, in seconds.
    pub p90: i64,
}

/// [`Turnaround`] per unit, over the decisions that verified.
pub fn turnaround(rows: &[Row]) -> Vec<Turnaround> {
    let mut m: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.entry.verified) {
        if let (Some(sub), Some(t)) = (r.submitted, r.time) {
            m.entry(r.unit.clone()).or_default().push((t - sub).max(0));
        }
    }
    m.into_iter()
        .map(|(unit, mut v)| {
            v.sort_unstable();
            Turnaround {
                unit,
                count: v.len(),
                median: percentile(&v, 50),
                p90: percentile(&v, 90),
            }
        })
        .collect()
}

/// The `p`th percentile of sorted `v` by nearest rank (0 when empty).
pub fn percentile(v: &[i64], p: usize) -> i64 {
    if v.is_empty() {
        return 0;
    }
    let rank = (p * v.len()).div_ceil(100).clamp(1, v.len());
    v[rank - 1]
}

/// Drafts awaiting a decision, longest waiting first (at most `n`), with
/// the time their newest revision was committed.
pub fn waiting(drafts: &[DraftPart], n: usize) -> Vec<(&DraftPart, i64)> {
    let mut v: Vec<_> = drafts
        .iter()
        .filter(|d| d.summary.status.awaits_review())
        .filter_map(|d| d.history.revisions.last().map(|r| (d, r.time.seconds)))
        .collect();
    v.sort_by_key(|(_, since)| *since);
    v.truncate(n);
    v
}

/// A length of time in days and hours ("2 ngày 3 giờ" / "2 d 3 h").
pub fn duration(seconds: i64, lang: Lang) -> String {
    let s = seconds.max(0);
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60);
    let (dw, hw, mw) = match lang {
        Lang::Vi => ("ngày", "giờ", "phút"),
        Lang::En => ("d", "h", "min"),
    };
    match (d, h) {
        (0, 0) => format!("{m} {mw}"),
        (0, h) => format!("{h} {hw} {m} {mw}"),
        (d, h) => format!("{d} {dw} {h} {hw}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_taken_by_nearest_rank() {
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&v, 50), 5);
        assert_eq!(percentile(&v, 90), 9);
        assert_eq!(percentile(&[7], 90), 7);
        assert_eq!(percentile(&[], 50), 0);
        assert_eq!(percentile(&[1, 100], 90), 100);
    }

    fn row(reviewer: &str, decision: &str, verified: bool, unit: &str, sub: i64, t: i64) -> Row {
        Row {
            entry: crate::audit::TrailEntry {
                commit: format!("{reviewer}{t}"),
                draft: "x".into(),
                path: "drafts/2024/x/review.toml".into(),
                review_blob: String::new(),
                revision: String::new(),
                decision: decision.into(),
                reviewer: reviewer.into(),
                signer: Some(reviewer.into()),
                key: None,
                time: String::new(),
                verified,
            },
            title: String::new(),
            unit: unit.into(),
            drafter: String::new(),
            revision_number: Some(1),
            submitted: Some(sub),
            time: Some(t),
            comment: String::new(),
            notes: Vec::new(),
            findings: Vec::new(),
        }
    }

    #[test]
    fn decisions_are_counted_per_leader_and_month_and_timed_per_unit() {
        const DAY: i64 = 86_400;
        // 2024-01-10 and 2024-03-05, noon UTC: the same month in any zone.
        let jan = 1_704_888_000;
        let mar = 1_709_640_000;
        let rows = vec![
            row("Hà", "approved", true, "VP", jan - DAY, jan),
            row("Hà", "returned", true, "VP", jan - 3 * DAY, jan),
            row("Minh", "approved", true, "TTBCXB", mar - 2 * DAY, mar),
            row("Mallory", "approved", false, "VP", mar - 1, mar),
        ];
        let leaders = per_leader(&rows);
        assert_eq!(leaders[0].0, "Hà");
        assert_eq!(
            leaders[0].1,
            Tally {
                approved: 1,
                returned: 1,
                invalid: 0
            }
        );
        let mallory = leaders.iter().find(|(n, _)| n == "Mallory").unwrap();
        assert_eq!(mallory.1.invalid, 1);
        let months: Vec<(String, usize)> = per_month(&rows)
            .into_iter()
            .map(|(m, t)| (m, t.total()))
            .collect();
        assert_eq!(
            months,
            vec![("2024-01".to_string(), 2), ("2024-03".to_string(), 2)]
        );
        // Only verified decisions are timed: Mallory's does not count.
        let t = turnaround(&rows);
        let vp = t.iter().find(|t| t.unit == "VP").unwrap();
        assert_eq!((vp.count, vp.median, vp.p90), (2, DAY, 3 * DAY));
        let tt = t.iter().find(|t| t.unit == "TTBCXB").unwrap();
        assert_eq!((tt.count, tt.median), (1, 2 * DAY));
    }

    #[test]
    fn durations_read_as_days_and_hours() {
        assert_eq!(duration(90_000, Lang::Vi), "1 ngày 1 giờ");
        assert_eq!(duration(3_660, Lang::En), "1 h 1 min");
        assert_eq!(duration(59, Lang::En), "0 min");
    }
}
