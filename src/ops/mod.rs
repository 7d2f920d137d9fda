//! Use cases shared by the CLI and the TUI: deciding on a draft, making the
//! demo repository. They combine the repo and sign layers.

mod decide;
pub mod demo;
pub mod hook;
pub mod record;
pub mod revise;
pub mod sync;
pub mod synth;
pub mod templates;
pub mod trust;

pub use decide::{
    DecisionPlan, DecisionRequest, decide, decide_step, decision_message, plan_decision, plan_step,
    step_message,
};
