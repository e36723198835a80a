//! Every rule, one per file, and the registry that lists them.
//!
//! A rule is declared with [`declare_rule!`] (its doc comment becomes `trustmap rules show ID`)
//! and implements [`Rule`] over the typed [`trustmap_model::Model`]. Adding a rule touches its
//! file, its fixtures under `fixtures/<rule-name>/`, and one line in [`registry`].

pub mod meta;
pub mod registry;
pub mod rule;
pub mod secrets;

mod aws;
mod azure;
mod compose;
mod core;
mod docker;
mod gcp;
mod gha;
mod gitlab;
mod k8s;
mod network_exposure;
mod plaintext_secret;

pub use k8s::pss;
pub use meta::{Capability, RuleMeta, Severity};
pub use registry::{all_rules, find_rule};
pub use rule::{Finding, Related, Rule, RuleOutcome, Sink};
pub use secrets::secret_detector;
