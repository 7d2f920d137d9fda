//! The screens, one file each: the drafts list, a draft (with its diff
//! pane), the approval trail.

pub mod audit;
pub mod diff_pane;
pub mod draft;
pub mod list;

pub use audit::AuditScreen;
pub use diff_pane::{DiffPane, side_row_of};
pub use draft::{DraftScreen, Pane};
pub use list::ListScreen;
