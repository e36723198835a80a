//! Custom Rego policies: `scan --policy DIR` reports their results like built-in findings
//! (JSON, SARIF, text, suppressions, exit codes), and `trustmap policy test` runs their tests.

mod common;

use std::path::{Path, PathBuf};

use common::{e2e_dir, scan_json, scan_json_with_stderr, trustmap};
use serde_json::Value;

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/policies")
}

fn custom(json: &Value) -> Vec<Value> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["rule_id"]
                .as_str()
                .is_some_and(|id| id.starts_with("CUSTOM-"))
        })
        .cloned()
        .collect()
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

#[test]
fn scan_reports_custom_findings_in_json() {
    let policies = examples();
    let policies = policies.to_str().expect("utf-8 path");
    let (shop, code) = scan_json(&e2e_dir("shop"), &["--policy", policies]);
    assert_eq!(code, 1);
    let (pipelines, _) = scan_json(&e2e_dir("pipelines"), &["--policy", policies]);
    let mut found = custom(&shop);
    found.extend(custom(&pipelines));
    insta::assert_json_snapshot!("custom_findings", found);
    // The custom rules count as run; without --policy there is none of them.
    let (plain, _) = scan_json(&e2e_dir("shop"), &[]);
    assert_eq!(
        shop["stats"]["rules_run"].as_u64(),
        plain["stats"]["rules_run"].as_u64().map(|n| n + 3)
    );
    assert!(custom(&plain).is_empty());
}

#[test]
fn custom_findings_appear_in_sarif_and_text() {
    let out = trustmap()
        .arg("scan")
        .arg(e2e_dir("shop"))
        .args(["--quiet", "-f", "sarif", "--policy"])
        .arg(examples())
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&out.stdout).expect("sarif");
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "CUSTOM-K8S-001"));
    let result = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["ruleId"] == "CUSTOM-K8S-001")
        .expect("custom result");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "k8s/web.yaml");
    assert_eq!(loc["region"]["startLine"], 14);

    let text = trustmap()
        .arg("scan")
        .arg(e2e_dir("shop"))
        .args(["--quiet", "--policy"])
        .arg(examples())
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("CUSTOM-K8S-001"), "{text}");
    assert!(
        text.contains("container \"web\" of Deployment/shop/web"),
        "{text}"
    );
}

#[test]
fn custom_findings_are_suppressed_inline() {
    let dir = tempfile::tempdir().expect("temp dir");
    let deployment = r#"apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: prod
spec:
  template:
    spec:
      containers:
        # trustmap:ignore[CUSTOM-K8S-001] batch job, bounded input
        - name: app
          image: ghcr.io/acme/app:1.0.0
          resources:
            limits: { cpu: 500m }
"#;
    write(dir.path(), "app.yaml", deployment);
    let policies = examples();
    let policies = policies.to_str().expect("utf-8 path");
    let (json, _) = scan_json(dir.path(), &["--policy", policies, "--fail-on", "critical"]);
    let found = custom(&json);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["start_line"], 11);
    assert_eq!(found[0]["suppressed"], true, "{:#}", found[0]);
}

#[test]
fn policy_syntax_error_is_file_line_col_and_exit_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "bad.rego",
        "package p\n\ndeny contains msg if {\n    msg := \n}\n",
    );
    let out = trustmap()
        .arg("scan")
        .arg(e2e_dir("shop"))
        .args(["--quiet", "--policy"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let expected = format!(
        "error: {}:4:9: expecting `}}`",
        dir.path().join("bad.rego").display()
    );
    assert!(stderr.starts_with(&expected), "{stderr}");
}

#[test]
fn runtime_error_is_reported_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "boom.rego",
        "package boom\nimport rego.v1\ndeny contains msg if { msg := sprintf(\"%d\", [to_number(\"x\")]) }\n",
    );
    let policies = dir.path().to_str().expect("utf-8 path");
    let (json, code, _) = scan_json_with_stderr(&e2e_dir("shop"), &["--policy", policies]);
    assert_eq!(code, 1, "the built-in findings still decide the exit code");
    let errors = json["errors"].as_array().expect("errors");
    assert!(
        errors.iter().any(|e| e["code"] == "policy-error"
            && e["message"]
                .as_str()
                .is_some_and(|m| m.contains("CUSTOM-BOOM"))),
        "{errors:#?}"
    );
    assert!(!json["findings"].as_array().expect("findings").is_empty());
}

fn policy_test(dir: &Path, verbose: bool) -> (String, i32) {
    let mut cmd = trustmap();
    cmd.args(["policy", "test"]).arg(dir);
    if verbose {
        cmd.arg("-v");
    }
    let out = cmd.output().expect("run");
    (
        String::from_utf8_lossy(&out.stdout).replace(&dir.display().to_string(), "DIR"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn policy_test_passes_on_the_examples() {
    let (out, code) = policy_test(&examples(), true);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("policy_test_examples_verbose", out);
}

#[test]
fn policy_test_fails_with_exit_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "p.rego",
        "package p\nimport rego.v1\ndeny contains \"open\" if input.open\n",
    );
    write(
        dir.path(),
        "p_test.rego",
        "package p_test\nimport rego.v1\nimport data.p\n\
         test_open_is_denied if { count(p.deny) == 1 with input as {\"open\": true} }\n\
         test_closed_is_denied if { count(p.deny) == 1 with input as {\"open\": false} }\n",
    );
    let (out, code) = policy_test(dir.path(), false);
    assert_eq!(code, 1, "{out}");
    insta::assert_snapshot!("policy_test_failure", out);
}

/// The input a policy sees, for each end-to-end repository, matches the published schema.
#[test]
fn policy_input_matches_its_schema() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(
        dir.path(),
        "dump.rego",
        "package dump\nimport rego.v1\ndeny contains json.marshal(input) if true\n",
    );
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/policy-input.schema.json"),
        )
        .expect("schema file"),
    )
    .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let policies = dir.path().to_str().expect("utf-8 path");
    for repo in [
        "shop",
        "pipelines",
        "helm-shop",
        "kustomize-app",
        "sam-app",
        "terraform-platform",
    ] {
        let (json, _) = scan_json(&e2e_dir(repo), &["--policy", policies]);
        let dumped = custom(&json);
        assert_eq!(dumped.len(), 1, "{repo}");
        let input: Value =
            serde_json::from_str(dumped[0]["message"].as_str().expect("message")).expect("input");
        assert_eq!(input["trustmap_input_version"], "1");
        let errors: Vec<String> = validator
            .iter_errors(&input)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{repo}: {errors:#?}");
    }
}

/// `policies = [...]` in trustmap.toml loads like `--policy`, relative to the file; a missing
/// directory is an error at its place in the file.
#[test]
fn config_file_policies_are_loaded() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "trustmap.toml", "policies = [\"rego\"]\n");
    write(
        dir.path(),
        "rego/dockerfile.rego",
        "package team.docker\nimport rego.v1\n\
         __rego_metadata__ := {\"id\": \"TEAM-DOCKER-1\", \"severity\": \"critical\"}\n\
         deny contains {\"msg\": \"a Dockerfile\", \"location\": d.meta} if { some d in input.dockerfiles }\n",
    );
    write(dir.path(), "app/Dockerfile", "FROM alpine:3.20\nUSER app\n");
    let (json, code) = scan_json(dir.path(), &[]);
    let rows: Vec<(String, String, u64, String)> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule_id"] == "TEAM-DOCKER-1")
        .map(|f| {
            (
                f["severity"].as_str().unwrap_or_default().to_string(),
                f["path"].as_str().unwrap_or_default().to_string(),
                f["start_line"].as_u64().unwrap_or_default(),
                f["message"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [(
            "critical".to_string(),
            "app/Dockerfile".to_string(),
            1,
            "a Dockerfile".to_string()
        )]
    );
    assert_eq!(code, 1);

    write(dir.path(), "trustmap.toml", "\npolicies = [\"missing\"]\n");
    let out = trustmap()
        .arg("scan")
        .arg(dir.path())
        .arg("--quiet")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("trustmap.toml:2:"), "{stderr}");
    assert!(stderr.contains("policy directory"), "{stderr}");
}
