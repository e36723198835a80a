//! The input document policies read: the model, with locations as paths and lines.
//!
//! Version 1 (`input.trustmap_input_version == "1"`): the top-level keys are the model's
//! (`aws`, `k8s`, `dockerfiles`, `workflows`, ...), every span is
//! `{"path", "start_line", "end_line"}` and every model value is
//! `{"value", "state": "explicit"|"default"|"unknown", "span", "via"}` (`value` is null when
//! unknown). Adding keys is compatible; renaming or removing one bumps the version.

use trustmap_model::Model;
use trustmap_source::SourceMap;
use trustmap_source::located::with_locations;

/// The version policies can check; see `docs/policies.md` and
/// `schemas/policy-input.schema.json`.
pub const INPUT_VERSION: &str = "1";

/// Builds the input document for `model`, whose spans point into `sources`.
pub fn document(model: &Model, sources: &SourceMap) -> serde_json::Value {
    let mut doc = with_locations(sources, || serde_json::to_value(model))
        .unwrap_or_else(|_| serde_json::Value::Object(serde_json::Map::new()));
    if let Some(obj) = doc.as_object_mut() {
        obj.insert(
            "trustmap_input_version".into(),
            serde_json::Value::String(INPUT_VERSION.into()),
        );
    }
    doc
}

/// The input document's JSON Schema (`schemas/policy-input.schema.json`).
pub fn schema() -> String {
    let mut schema = schemars::schema_for!(Model);
    if let Some(obj) = schema.as_object_mut() {
        obj.insert(
            "title".into(),
            serde_json::Value::String("trustmap policy input".into()),
        );
        obj.insert(
            "description".into(),
            serde_json::Value::String(
                "The `input` of trustmap's Rego policies (docs/policies.md).".into(),
            ),
        );
        if let Some(props) = obj.get_mut("properties").and_then(|p| p.as_object_mut()) {
            props.insert(
                "trustmap_input_version".into(),
                serde_json::json!({
                    "description": "Version of this document's shape; bumped when a key is renamed or removed.",
                    "const": INPUT_VERSION
                }),
            );
        }
        if let Some(req) = obj.get_mut("required").and_then(|r| r.as_array_mut()) {
            req.push(serde_json::Value::String("trustmap_input_version".into()));
        }
    }
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}
