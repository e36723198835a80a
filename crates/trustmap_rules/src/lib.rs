//! Every rule, one per file, and the registry that lists them.
//!
//! A rule is declared with [`declare_rule!`] (its doc comment becomes `trustmap rules show ID`)
//! and implements [`Rule`] over the typed [`trustmap_model::Model`]. Adding a rule touches its
//! file, its fixtures under `fixtures/<rule-name>/`, and one line in [`registry`].

pub mod meta;
pub mod registry;
pub mod rule;

mod aws;
mod core;
mod docker;
mod gha;
mod k8s;

pub use meta::{Capability, RuleMeta, Severity};
pub use registry::{all_rules, find_rule};
pub use rule::{Finding, Related, Rule, RuleOutcome, Sink};
