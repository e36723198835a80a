//! Files generated from the code and committed: the JSON schemas and `docs/rules.md`.
//! Each test fails when its file is stale; the message says how to regenerate it.

use std::path::PathBuf;

use trustmap_report::{json, rules_doc};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Compares `path` (relative to the repository root) with `expected`, or rewrites it when
/// the environment variable `switch` is `1`.
fn check(path: &str, expected: &str, switch: &str) {
    let file = repo_root().join(path);
    if std::env::var(switch).is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, expected).unwrap();
        return;
    }
    let actual = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        actual == expected,
        "{path} is stale. Regenerate it with\n\n    {switch}=1 cargo test -p trustmap_report --test generated\n\nand commit the result."
    );
}

#[test]
fn report_schema_is_current() {
    check(
        "schemas/report.schema.json",
        &json::report_schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn rules_schema_is_current() {
    check(
        "schemas/rules.schema.json",
        &json::rules_schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn config_schema_is_current() {
    check(
        "schemas/trustmap-config.schema.json",
        &json::config_schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn graph_schema_is_current() {
    check(
        "schemas/graph.schema.json",
        &trustmap_graph::render::json::schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn blast_radius_schema_is_current() {
    check(
        "schemas/blast-radius.schema.json",
        &trustmap_graph::render::inventory::blast_schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn access_schema_is_current() {
    check(
        "schemas/access.schema.json",
        &trustmap_graph::render::inventory::access_schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn capability_schema_is_current() {
    check(
        "schemas/capability.schema.json",
        &trustmap_capability::CapabilityReport::schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn baseline_schema_is_current() {
    check(
        "schemas/baseline.schema.json",
        &trustmap_report::baseline::baseline_schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn policy_input_schema_is_current() {
    check(
        "schemas/policy-input.schema.json",
        &trustmap_policy::input::schema(),
        "TRUSTMAP_UPDATE_SCHEMAS",
    );
}

#[test]
fn rules_doc_is_current() {
    let metas: Vec<_> = trustmap_rules::all_rules()
        .iter()
        .map(|r| r.meta())
        .collect();
    check(
        "docs/rules.md",
        &rules_doc::markdown_index(&metas),
        "TRUSTMAP_UPDATE_DOCS",
    );
}
