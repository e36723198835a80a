//! The input document's shape: located spans and values, the version key.

use std::sync::Arc;

use serde_json::json;
use trustmap_model::{Model, Value};
use trustmap_source::located::with_locations;
use trustmap_source::{FileId, SourceFile, SourceMap};

fn sources() -> (SourceMap, Arc<SourceFile>) {
    let file = Arc::new(SourceFile::new(
        FileId(0),
        "infra/main.tf",
        "a = 1\nb = true\n",
    ));
    let mut map = SourceMap::new();
    map.push(file.clone());
    (map, file)
}

#[test]
fn values_are_located_for_policies_and_unchanged_elsewhere() {
    let (map, file) = sources();
    let explicit = Value::explicit(true, file.span(6, 14));
    let unknown: Value<bool> = Value::unknown(file.span(0, 5));
    let located =
        with_locations(&map, || serde_json::to_value([&explicit, &unknown])).expect("serialises");
    assert_eq!(
        located,
        json!([
            {"value": true, "state": "explicit",
             "span": {"path": "infra/main.tf", "start_line": 2, "end_line": 2}, "via": []},
            {"value": null, "state": "unknown",
             "span": {"path": "infra/main.tf", "start_line": 1, "end_line": 1}, "via": []},
        ])
    );
    // Outside the context (and after it) the internal form is unchanged.
    let plain = serde_json::to_value(&explicit).expect("serialises");
    assert_eq!(
        plain,
        json!({"state": {"Explicit": true}, "span": {"file": 0, "start": 6, "end": 14}, "via": []})
    );
}

#[test]
fn document_carries_its_version_and_the_model_keys() {
    let (map, _) = sources();
    let doc = trustmap_policy::input::document(&Model::default(), &map);
    assert_eq!(doc["trustmap_input_version"], "1");
    for key in [
        "aws",
        "k8s",
        "dockerfiles",
        "workflows",
        "gcp",
        "azure",
        "gitlab",
    ] {
        assert!(doc.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn schema_describes_the_located_forms() {
    let schema: serde_json::Value =
        serde_json::from_str(&trustmap_policy::input::schema()).expect("json");
    assert_eq!(schema["properties"]["trustmap_input_version"]["const"], "1");
    let defs = &schema["$defs"];
    assert_eq!(
        defs["Location"]["required"],
        json!(["path", "start_line", "end_line"])
    );
    assert_eq!(
        defs["Value_of_boolean"]["properties"]["state"]["enum"],
        json!(["explicit", "default", "unknown"])
    );
}
