//! What the drafts list shows about each draft's history.

use serde::{Deserialize, Serialize};

use crate::model::Time;

/// Revision count and last change of a draft (from the history index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftStats {
    /// Number of revisions (commits that changed draft.md).
    pub revisions: usize,
    /// When the newest revision was made.
    pub last_change: Time,
}
