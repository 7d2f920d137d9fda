//! duyet: review and approve drafts of official documents kept in git.
//!
//! Layers (design.md section 5), each using only those above it:
//! `model`, `repo`, `sign`, `diff`, `check`, `ops`, `report`, `cli`, `tui`.

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
