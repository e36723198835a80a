//! Custom policies in Rego, evaluated in-process (regorus) over trustmap's typed model.
//!
//! [`PolicySet::load`] reads `*.rego` modules and JSON data files from directories; each Rego
//! package that defines `deny`, `warn` or `violation` becomes one custom rule whose metadata
//! comes from its `__rego_metadata__` object. [`PolicySet::evaluate`] runs them over the
//! [`input`] document built from the model and turns each result into a finding, so custom
//! rules go through suppression, baseline, `--fail-on` and the scorecard like built-in ones.
//! [`testing`] runs `test_*` rules of `*_test.rego` files, like `opa test`.

mod files;
pub mod input;
mod load;
mod locate;
mod metadata;
mod results;
pub mod testing;

pub use load::{LoadError, PolicySet};
pub use metadata::CustomRule;
pub use results::Evaluation;

/// How long one package's evaluation may run before it is stopped with a diagnostic:
/// policies are trusted like configuration, but a runaway rule must not hang a CI job.
pub const EVALUATION_LIMIT: std::time::Duration = std::time::Duration::from_secs(30);
