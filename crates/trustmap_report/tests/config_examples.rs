//! Every `trustmap.toml` example in the documentation is accepted by the strict loader and
//! validates against the generated schema (`schemas/trustmap-config.schema.json`), so the
//! docs, the schema and the code cannot drift apart.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The ```toml blocks of a markdown file.
fn toml_blocks(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim_start() == "```toml" => current = Some(String::new()),
            Some(block) if line.trim_start() == "```" => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// TOML as JSON, dates as `YYYY-MM-DD` strings (how the schema describes them).
fn to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

/// Creates the input files an example names, so the loader can read them.
fn create_inputs(dir: &Path, table: &toml::Table) {
    let lists = [("terraform", "var-files"), ("helm", "values")];
    for (section, key) in lists {
        let paths = table
            .get(section)
            .and_then(|s| s.get(key))
            .and_then(toml::Value::as_array)
            .cloned()
            .unwrap_or_default();
        for p in paths.iter().filter_map(toml::Value::as_str) {
            let file = dir.join(p);
            std::fs::create_dir_all(file.parent().expect("parent")).expect("dirs");
            std::fs::write(file, "").expect("write");
        }
    }
    // Policy directories (`policies = [...]`) must exist; they may be empty.
    let policy_dirs = table
        .get("policies")
        .and_then(toml::Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in policy_dirs.iter().filter_map(toml::Value::as_str) {
        std::fs::create_dir_all(dir.join(p)).expect("policy dir");
    }
}

#[test]
fn documented_configuration_examples_are_valid() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/trustmap-config.schema.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let readme = std::fs::read_to_string(repo_root().join("README.md")).expect("README");
    let examples = toml_blocks(&readme);
    assert!(!examples.is_empty(), "README has a trustmap.toml example");
    for (i, text) in examples.iter().enumerate() {
        let table: toml::Table =
            toml::from_str(text).unwrap_or_else(|e| panic!("example {i}: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(&to_json(&toml::Value::Table(table.clone())))
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "example {i} against the schema: {errors:#?}"
        );

        let dir = tempfile::tempdir().expect("tempdir");
        create_inputs(dir.path(), &table);
        let path = dir.path().join("trustmap.toml");
        std::fs::write(&path, text).expect("write");
        if let Err(e) = trustmap_engine::config::load(&path, "trustmap.toml".into()) {
            panic!("example {i} is rejected: {e}");
        }
    }
}

#[test]
fn the_schema_rejects_what_the_loader_rejects() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("schemas/trustmap-config.schema.json"))
            .expect("schema"),
    )
    .expect("schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for bad in [
        serde_json::json!({"severty": 1}),
        serde_json::json!({"rules": {"severity": {"AWS": "urgent"}}}),
        serde_json::json!({"suppressions": {"paths": [{"paths": ["x"], "rules": ["AWS"]}]}}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}
