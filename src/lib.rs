//! duyet: review and approve drafts of official documents kept in git.
//!
//! Layers (README "Layers"), each using only those listed before it:
//! `model`; `repo` (the only user of git2), `diff` and `check` on `model`;
//! `i18n` on `model` and `repo`; `sign` on `repo`; `audit` on `sign`;
//! `ops`, the use cases shared by the CLI and the TUI; `report` (the
//! inspector's report) on `audit` and `repo`; `tui`; `cli`.

pub mod audit;
pub mod check;
pub mod cli;
pub mod diff;
pub mod i18n;
pub mod model;
pub mod ops;
pub mod repo;
pub mod report;
pub mod sign;
pub mod tui;
