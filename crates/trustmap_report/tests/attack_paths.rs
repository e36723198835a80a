//! Attack paths in every output: JSON (against the committed schema), SARIF (one result
//! per path with its hops as a code flow, against the OASIS schema) and the text section.

use std::path::PathBuf;

use serde_json::Value;
use trustmap_engine::{NoProgress, Report, Settings, scan};
use trustmap_report::text::TextOptions;
use trustmap_report::{json, sarif, text};

fn repo() -> Report {
    let fixtures =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../trustmap_graph/tests/fixtures/mixed");
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("infra")).expect("mkdir");
    std::fs::create_dir_all(dir.path().join("k8s")).expect("mkdir");
    std::fs::copy(fixtures.join("main.tf"), dir.path().join("infra/main.tf")).expect("copy");
    std::fs::copy(fixtures.join("web.yaml"), dir.path().join("k8s/web.yaml")).expect("copy");
    scan(&Settings::new(vec![dir.path().to_path_buf()]), &NoProgress).expect("scan")
}

fn load(path: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
}

fn assert_valid(schema: &Value, instance: &Value) {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("schema compiles offline");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid output:\n{}", errors.join("\n"));
}

#[test]
fn json_lists_each_path_with_located_hops_and_the_best_fix() {
    let report = repo();
    let v: Value = serde_json::from_str(&json::render(&report, "0.1.0", false)).expect("json");
    assert_valid(&load("../../schemas/report.schema.json"), &v);
    let paths = v["attack_paths"].as_array().expect("paths");
    assert_eq!(paths.len(), 3);
    let first = &paths[0];
    assert_eq!(first["severity"], "critical");
    assert_eq!(first["score"], 27);
    let steps = first["steps"].as_array().expect("steps");
    let hops: Vec<(&str, &str, &str, u64)> = steps
        .iter()
        .map(|s| {
            (
                s["relation"].as_str().unwrap(),
                s["resource"].as_str().unwrap(),
                s["path"].as_str().unwrap(),
                s["start_line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        [
            ("source", "internet", "infra/main.tf", 31),
            (
                "exposes",
                "aws_apigatewayv2_route.orders",
                "infra/main.tf",
                31
            ),
            ("reaches", "aws_lambda_function.api", "infra/main.tf", 32),
            ("runs-as", "aws_iam_role.api", "infra/main.tf", 11),
            ("escalates", "aws:account-admin", "infra/main.tf", 51),
        ]
    );
    assert!(
        steps[1]["why"]
            .as_str()
            .unwrap()
            .contains("authorization is NONE")
    );
    assert_eq!(v["attack_path_fixes"][0]["breaks"], 2);
    assert_eq!(v["attack_path_fixes"][0]["start_line"], 31);
}

#[test]
fn sarif_has_one_result_per_path_with_a_code_flow() {
    let report = repo();
    let v: Value = serde_json::from_str(&sarif::render(&report, "0.1.0")).expect("sarif");
    assert_valid(&load("tests/data/sarif-schema-2.1.0.json"), &v);
    let run = &v["runs"][0];
    let results: Vec<&Value> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "TM-PATH-001")
        .collect();
    assert_eq!(results.len(), 3);
    let flow = results[0]["codeFlows"][0]["threadFlows"][0]["locations"]
        .as_array()
        .expect("hops");
    assert_eq!(flow.len(), 4, "every located hop");
    let index = results[0]["ruleIndex"].as_u64().expect("index") as usize;
    assert_eq!(run["tool"]["driver"]["rules"][index]["id"], "TM-PATH-001");
    assert_eq!(results[0]["properties"]["capability"], "design");
}

#[test]
fn text_has_an_attack_paths_section_worst_first_with_the_best_fix() {
    let report = repo();
    let section = text::attack_paths(&report, &TextOptions::default());
    assert!(
        section.starts_with("Attack paths (3, worst first)"),
        "{section}"
    );
    let critical = section.find("1. CRITICAL (27/27)").expect("worst first");
    let secret = section
        .find("Kubernetes Secret shop/stripe")
        .expect("k8s path");
    assert!(critical < secret);
    assert!(
        section.contains("─runs-as→ IAM role api  infra/main.tf:11"),
        "{section}"
    );
    assert!(
        section.contains("Best fix: Require an authorizer"),
        "{section}"
    );
    // The full report shows the same section.
    let full = text::render(&report, &TextOptions::default());
    assert!(full.contains(&section));
}
