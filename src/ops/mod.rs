//! Use cases shared by the CLI and the TUI: reading drafts, their history
//! and diffs (`read`), deciding on a draft, revising it, the trust list,
//! sync, who signs (`signer`), launching the editor (`editor`), the demo
//! repository. They combine the repo, sign and audit layers.

mod decide;
pub mod demo;
pub mod editor;
pub mod hook;
pub mod read;
pub mod record;
pub mod revise;
pub mod signer;
pub mod sync;
pub mod synth;
pub mod templates;
pub mod trust;

pub use decide::{
    DecisionPlan, DecisionRequest, decide, decide_step, decision_message, plan_decision, plan_step,
    step_message,
};
