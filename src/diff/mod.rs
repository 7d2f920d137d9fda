//! Line diffs of two revisions with the changed words marked inside changed
//! lines (similar). Texts are compared in NFC with LF line endings, so a
//! revision that differs only in normal form or line endings diffs as equal,
//! and the difference is reported once as a [`Notice`].

use std::ops::Range;
use std::time::Duration;

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff};

use std::borrow::Cow;

use crate::model::text::{has_cr, lf, nfc};

/// What a line of the diff is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineKind {
    /// In both revisions.
    Equal,
    /// Only in the old revision.
    Delete,
    /// Only in the new revision.
    Insert,
}

/// A run of text within a line; `changed` marks words that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    /// The text.
    pub text: String,
    /// Whether this run changed.
    pub changed: bool,
}

/// One line of a unified diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Equal, delete or insert.
    pub kind: LineKind,
    /// 1-based line number in the old revision.
    pub old: Option<usize>,
    /// 1-based line number in the new revision.
    pub new: Option<usize>,
    /// The line's text in runs (without its line ending).
    pub segments: Vec<Segment>,
}

impl Line {
    /// The whole text of the line.
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Something about the two texts that the line diff does not show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Notice {
    /// At least one side was not in NFC and was normalised before comparing.
    Normalized,
    /// The line endings changed (CRLF and LF); not shown line by line.
    LineEndings,
    /// The texts are the same once normalised, though their bytes differ.
    SameText,
}

/// The diff of two revisions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DraftDiff {
    /// Every line of both texts in unified order.
    pub lines: Vec<Line>,
    /// Index in `lines` where each block of changes starts.
    pub changes: Vec<usize>,
    /// Notices about normal form and line endings.
    pub notices: Vec<Notice>,
    /// Lines inserted.
    pub inserted: usize,
    /// Lines deleted.
    pub deleted: usize,
}

/// A row of the side-by-side view: the old line and the new line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SideRow {
    /// Index in [`DraftDiff::lines`] of the left side.
    pub left: Option<usize>,
    /// Index in [`DraftDiff::lines`] of the right side.
    pub right: Option<usize>,
}

fn split_lines(s: &str) -> Vec<&str> {
    s.split_inclusive('\n').collect()
}

fn strip_eol(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

fn segments(text: &str) -> Vec<Segment> {
    vec![Segment {
        text: strip_eol(text).to_string(),
        changed: false,
    }]
}

/// Words that changed between two lines, as runs for each side; `None` when
/// the lines share too little for word marks to help.
fn word_runs(old: &str, new: &str) -> Option<(Vec<Segment>, Vec<Segment>)> {
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_millis(50))
        .diff_unicode_words(old, new);
    if diff.ratio() < 0.35 {
        return None;
    }
    let mut left: Vec<Segment> = Vec::new();
    let mut right: Vec<Segment> = Vec::new();
    let push = |side: &mut Vec<Segment>, text: &str, changed: bool| match side.last_mut() {
        Some(last) if last.changed == changed => last.text.push_str(text),
        _ => side.push(Segment {
            text: text.to_string(),
            changed,
        }),
    };
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut left, text, false);
                push(&mut right, text, false);
            }
            ChangeTag::Delete => push(&mut left, text, !text.trim().is_empty()),
            ChangeTag::Insert => push(&mut right, text, !text.trim().is_empty()),
        }
    }
    Some((left, right))
}

/// Diffs two texts: normalises both to NFC and LF, diffs lines, and marks
/// the changed words inside paired changed lines.
pub fn diff_texts(old_raw: &str, new_raw: &str) -> DraftDiff {
    let (old_nfc, new_nfc) = (nfc(old_raw), nfc(new_raw));
    let mut notices = Vec::new();
    if matches!(old_nfc, Cow::Owned(_)) || matches!(new_nfc, Cow::Owned(_)) {
        notices.push(Notice::Normalized);
    }
    let old = lf(old_nfc);
    let new = lf(new_nfc);
    if has_cr(old_raw) != has_cr(new_raw) {
        notices.push(Notice::LineEndings);
    }
    if old == new && old_raw != new_raw {
        notices.push(Notice::SameText);
    }
    let old_lines = split_lines(&old);
    let new_lines = split_lines(&new);
    // Myers: linear in the size of the texts when they differ in few places,
    // as revisions do.
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .timeout(Duration::from_secs(5))
        .diff_slices(&old_lines, &new_lines);
    let mut out = DraftDiff {
        notices,
        ..DraftDiff::default()
    };
    let mut block: Option<(Range<usize>, Range<usize>)> = None;
    for op in diff.ops() {
        match *op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                if let Some((o, n)) = block.take() {
                    out.push_block(&old_lines, &new_lines, o, n);
                }
                for i in 0..len {
                    out.lines.push(Line {
                        kind: LineKind::Equal,
                        old: Some(old_index + i + 1),
                        new: Some(new_index + i + 1),
                        segments: segments(old_lines[old_index + i]),
                    });
                }
            }
            _ => {
                let (o, n) = (op.old_range(), op.new_range());
                block = Some(match block.take() {
                    Some((bo, bn)) => (bo.start..o.end, bn.start..n.end),
                    None => (o, n),
                });
            }
        }
    }
    if let Some((o, n)) = block.take() {
        out.push_block(&old_lines, &new_lines, o, n);
    }
    out
}

impl DraftDiff {
    fn push_block(&mut self, old: &[&str], new: &[&str], o: Range<usize>, n: Range<usize>) {
        self.changes.push(self.lines.len());
        self.deleted += o.len();
        self.inserted += n.len();
        let pairs = o.len().min(n.len());
        let mut dels = Vec::with_capacity(o.len());
        let mut ins = Vec::with_capacity(n.len());
        for i in 0..pairs {
            let (a, b) = (old[o.start + i], new[n.start + i]);
            let (sa, sb) =
                word_runs(strip_eol(a), strip_eol(b)).unwrap_or_else(|| (segments(a), segments(b)));
            dels.push(sa);
            ins.push(sb);
        }
        dels.extend(old[o.start + pairs..o.end].iter().map(|l| segments(l)));
        ins.extend(new[n.start + pairs..n.end].iter().map(|l| segments(l)));
        for (i, segs) in dels.into_iter().enumerate() {
            self.lines.push(Line {
                kind: LineKind::Delete,
                old: Some(o.start + i + 1),
                new: None,
                segments: segs,
            });
        }
        for (i, segs) in ins.into_iter().enumerate() {
            self.lines.push(Line {
                kind: LineKind::Insert,
                old: None,
                new: Some(n.start + i + 1),
                segments: segs,
            });
        }
    }

    /// Whether the two texts are the same once normalised.
    pub fn is_equal(&self) -> bool {
        self.changes.is_empty()
    }

    /// Rows of the side-by-side view: equal lines on both sides, and within a
    /// block of changes the deleted lines beside the inserted ones.
    pub fn side_by_side(&self) -> Vec<SideRow> {
        let mut rows = Vec::with_capacity(self.lines.len());
        let mut i = 0;
        while i < self.lines.len() {
            match self.lines[i].kind {
                LineKind::Equal => {
                    rows.push(SideRow {
                        left: Some(i),
                        right: Some(i),
                    });
                    i += 1;
                }
                _ => {
                    let del_start = i;
                    while i < self.lines.len() && self.lines[i].kind == LineKind::Delete {
                        i += 1;
                    }
                    let ins_start = i;
                    while i < self.lines.len() && self.lines[i].kind == LineKind::Insert {
                        i += 1;
                    }
                    let (nd, ni) = (ins_start - del_start, i - ins_start);
                    for k in 0..nd.max(ni) {
                        rows.push(SideRow {
                            left: (k < nd).then_some(del_start + k),
                            right: (k < ni).then_some(ins_start + k),
                        });
                    }
                }
            }
        }
        rows
    }

    /// Ranges of `lines` to show with `context` lines around each change, as
    /// in a unified diff's hunks.
    pub fn hunks(&self, context: usize) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i < self.lines.len() {
            if self.lines[i].kind == LineKind::Equal {
                i += 1;
                continue;
            }
            let start = i.saturating_sub(context);
            while i < self.lines.len() && self.lines[i].kind != LineKind::Equal {
                i += 1;
            }
            let end = (i + context).min(self.lines.len());
            match out.last_mut() {
                Some(last) if last.end >= start => last.end = end,
                _ => out.push(start..end),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn marks_changed_words() {
        let d = diff_texts("a\nhuyện Trảng Định\nb\n", "a\nhuyện Tràng Định\nb\n");
        assert_eq!(d.changes.len(), 1);
        let del = &d.lines[1];
        assert_eq!(del.kind, LineKind::Delete);
        let changed: Vec<_> = del
            .segments
            .iter()
            .filter(|s| s.changed)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(changed, ["Trảng"]);
        let ins = &d.lines[2];
        let changed: Vec<_> = ins
            .segments
            .iter()
            .filter(|s| s.changed)
            .map(|s| s.text.as_str())
            .collect();
        assert_eq!(changed, ["Tràng"]);
        assert_eq!((d.inserted, d.deleted), (1, 1));
    }

    #[test]
    fn nfd_only_change_is_equal() {
        let a = "Cộng hòa xã hội\nĐộc lập\n";
        let b: String = a.nfd().collect();
        let d = diff_texts(a, &b);
        assert!(d.is_equal());
        assert!(d.notices.contains(&Notice::SameText));
        assert!(d.notices.contains(&Notice::Normalized));
    }

    #[test]
    fn crlf_is_reported_once() {
        let d = diff_texts("a\nb\nc\n", "a\r\nb\r\nX\r\n");
        assert_eq!(d.changes.len(), 1);
        assert_eq!(d.inserted, 1);
        assert_eq!(d.notices, vec![Notice::LineEndings]);
    }

    #[test]
    fn side_by_side_pairs_changes() {
        let d = diff_texts("a\nb\nc\n", "a\nB\nB2\nc\n");
        let rows = d.side_by_side();
        assert_eq!(rows.len(), 4);
        assert_eq!(
            rows[1].left.map(|i| d.lines[i].text()),
            Some("b".to_string())
        );
        assert_eq!(
            rows[1].right.map(|i| d.lines[i].text()),
            Some("B".to_string())
        );
        assert_eq!(rows[2].left, None);
    }
}
