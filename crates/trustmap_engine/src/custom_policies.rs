//! Custom Rego rules (`--policy`, `policies` of trustmap.toml) in the scan.

use trustmap_model::Model;
use trustmap_policy::Evaluation;
use trustmap_source::SourceMap;

use crate::{Settings, guarded};

/// Evaluates the loaded policies over the model; a panic inside them becomes an
/// `internal-error` diagnostic like a built-in rule's.
pub(crate) fn run(settings: &Settings, model: &Model, sources: &mut SourceMap) -> Evaluation {
    let Some(policies) = &settings.policies else {
        return Evaluation::default();
    };
    guarded("custom policies", None, || {
        policies.evaluate(model, sources)
    })
    .unwrap_or_else(|d| Evaluation {
        outcomes: Vec::new(),
        diagnostics: vec![d],
    })
}
