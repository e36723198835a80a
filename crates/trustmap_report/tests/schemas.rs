//! Rendered output validates against its schema: the JSON report and rule list against the
//! committed (generated) schemas, SARIF against the official OASIS SARIF 2.1.0 schema.

mod common;

use std::path::PathBuf;

use serde_json::Value;
use trustmap_report::{json, rules_doc, sarif};

fn load(path: PathBuf) -> Value {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn repo_file(path: &str) -> Value {
    load(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path),
    )
}

fn assert_valid(schema: &Value, instance_text: &str) {
    let instance: Value = serde_json::from_str(instance_text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("schema compiles offline");
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid output:\n{}", errors.join("\n"));
}

#[test]
fn json_report_matches_its_schema() {
    let schema = repo_file("schemas/report.schema.json");
    assert_valid(&schema, &json::render(&common::report(), "0.1.0", true));
}

#[test]
fn json_schema_rejects_a_broken_report() {
    let schema = repo_file("schemas/report.schema.json");
    let mut v: Value =
        serde_json::from_str(&json::render(&common::report(), "0.1.0", true)).unwrap();
    v["findings"][0]["severity"] = Value::from("catastrophic");
    v["schema_version"] = Value::from("2");
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert_eq!(validator.iter_errors(&v).count(), 2);
}

#[test]
fn rule_list_matches_its_schema() {
    let schema = repo_file("schemas/rules.schema.json");
    assert_valid(&schema, &rules_doc::list_json(&common::report().rules));
}

#[test]
fn sarif_matches_the_oasis_schema() {
    let schema =
        load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"));
    assert_valid(&schema, &sarif::render(&common::report(), "0.1.0"));
}

#[test]
fn sarif_schema_check_is_not_vacuous() {
    let schema =
        load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"));
    let mut v: Value = serde_json::from_str(&sarif::render(&common::report(), "0.1.0")).unwrap();
    v["runs"][0]["results"][0]["level"] = Value::from("fatal");
    v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.iter_errors(&v).count() >= 2);
}

#[test]
fn awkward_input_still_matches_the_schemas() {
    let report = common::awkward::report();
    assert_valid(
        &repo_file("schemas/report.schema.json"),
        &json::render(&report, "dev", true),
    );
    let schema =
        load(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"));
    assert_valid(&schema, &sarif::render(&report, "dev"));
}
