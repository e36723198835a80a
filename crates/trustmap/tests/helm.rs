//! Helm charts end to end: the real binary renders `tests/e2e/helm-shop` (a chart with a
//! subchart) in-process, and findings point at template lines with the values key that
//! caused them; a chart using an unsupported function fails the scan loudly.

mod common;

use std::path::{Path, PathBuf};

use common::{Row, rows_where, trustmap};
use serde_json::Value;

fn e2e(name: &str) -> PathBuf {
    common::e2e_dir(name)
}

/// The Kubernetes rules with Helm fixtures.
const RULES: &str = "container-privileged,container-runs-as-root,container-image-mutable-tag,\
pod-shares-host-network,container-env-plaintext-secret,service-exposed-externally";

fn scan(dir: &Path, args: &[&str]) -> (Value, i32, String) {
    common::scan_json_with_stderr(dir, args)
}

/// (rule, path, line, resource) of every finding, in report order.
fn findings(json: &Value) -> Vec<Row> {
    rows_where(json, |_| true)
}

fn f(rule: &str, path: &str, line: u64, resource: &str) -> (String, String, u64, String) {
    (rule.into(), path.into(), line, resource.into())
}

/// `path:line note` of a finding's related locations.
fn related(json: &Value, rule: &str) -> Vec<String> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|x| x["rule_name"] == rule)
        .flat_map(|x| x["related"].as_array().cloned().unwrap_or_default())
        .map(|r| {
            format!(
                "{}:{} {}",
                r["path"].as_str().unwrap_or_default(),
                r["start_line"],
                r["note"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

#[test]
fn chart_with_subchart_renders_and_findings_point_at_template_lines() {
    let (json, code, stderr) = scan(&e2e("helm-shop"), &["--rule", RULES]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(json["errors"], serde_json::json!([]), "{json:#}");
    assert!(json.get("incomplete").is_none(), "{json:#}");
    assert_eq!(json["stats"]["helm_charts"], 1);
    // Four templates: three of the chart and the enabled subchart's one (`metrics` is off).
    assert_eq!(json["stats"]["helm_templates"], 4);
    assert_eq!(json["stats"]["helm_templates_rendered"], 4);
    assert_eq!(
        findings(&json),
        [
            // The parent's `cache.securityContext.privileged: true` overrides the subchart's
            // default, printed by `toYaml … | nindent 12` in the subchart's template.
            f(
                "container-privileged",
                "charts/cache/templates/statefulset.yaml",
                20,
                "StatefulSet/default/release-name-cache"
            ),
            f(
                "container-image-mutable-tag",
                "templates/deployment.yaml",
                23,
                "Deployment/default/release-name-shop"
            ),
            f(
                "container-env-plaintext-secret",
                "templates/deployment.yaml",
                30,
                "Deployment/default/release-name-shop"
            ),
            f(
                "service-exposed-externally",
                "templates/service.yaml",
                8,
                "Service/default/release-name-shop"
            ),
        ]
    );
    // Each finding names the values key it came from.
    assert_eq!(
        related(&json, "container-privileged"),
        ["values.yaml:28 value comes from Helm value `.Values.cache.securityContext.privileged`"]
    );
    assert_eq!(
        related(&json, "container-image-mutable-tag"),
        [
            "values.yaml:3 value comes from Helm value `.Values.global.imageRegistry`",
            "values.yaml:8 value comes from Helm value `.Values.image.repository`",
            "values.yaml:10 value comes from Helm value `.Values.image.tag`",
        ]
    );
    assert_eq!(
        related(&json, "service-exposed-externally"),
        ["values.yaml:13 value comes from Helm value `.Values.service.type`"]
    );
}

#[test]
fn values_files_and_set_change_what_is_rendered() {
    let dir = e2e("helm-shop");
    let prod = dir.join("prod-values.yaml");
    let (json, _, _) = scan(&dir, &["--rule", RULES, "--values", prod.to_str().unwrap()]);
    let rules: Vec<String> = findings(&json).into_iter().map(|x| x.0).collect();
    assert_eq!(
        rules,
        ["container-privileged", "container-env-plaintext-secret"]
    );

    // --set wins over the values files; it can turn subcharts on and off.
    let (json, _, _) = scan(
        &dir,
        &[
            "--rule",
            RULES,
            "--values",
            prod.to_str().unwrap(),
            "--set",
            "service.type=NodePort,cache.enabled=false",
            "--set",
            "metrics.enabled=true",
        ],
    );
    assert_eq!(
        findings(&json),
        [
            f(
                "pod-shares-host-network",
                "charts/metrics/templates/daemonset.yaml",
                14,
                "DaemonSet/default/release-name-metrics"
            ),
            f(
                "container-runs-as-root",
                "charts/metrics/templates/daemonset.yaml",
                16,
                "DaemonSet/default/release-name-metrics"
            ),
            f(
                "container-env-plaintext-secret",
                "templates/deployment.yaml",
                30,
                "Deployment/default/release-name-shop"
            ),
            f(
                "service-exposed-externally",
                "templates/service.yaml",
                8,
                "Service/default/release-name-shop"
            ),
        ]
    );
}

#[test]
fn bad_set_syntax_is_a_usage_error() {
    let out = trustmap()
        .arg("scan")
        .arg(e2e("helm-shop"))
        .args(["--quiet", "--set", "image.tag"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--set `image.tag`"));
}

#[test]
fn unsupported_feature_fails_loudly_unless_partial_is_allowed() {
    let dir = e2e("helm-partial");
    let (json, code, stderr) = scan(&dir, &[]);
    assert_eq!(code, 2, "an incomplete scan must not pass: {stderr}");
    assert!(stderr.contains("--allow-partial"), "{stderr}");
    let errors: Vec<(String, String, u64)> = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_string(),
                e["path"].as_str().unwrap_or_default().to_string(),
                e["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        [(
            "helm-render".to_string(),
            "templates/configmap.yaml".to_string(),
            7
        )]
    );
    assert!(
        json["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("`toToml`")
    );
    let incomplete = json["incomplete"]
        .as_array()
        .expect("incomplete is reported");
    assert_eq!(incomplete.len(), 1);
    assert!(
        incomplete[0]
            .as_str()
            .unwrap()
            .contains("templates/configmap.yaml:7"),
        "{incomplete:?}"
    );
    // The template that did render is still checked.
    assert!(findings(&json).contains(&f(
        "container-privileged",
        "templates/daemonset.yaml",
        18,
        "DaemonSet/default/release-name-agent"
    )));

    // Accepting partial results: the exit code is about findings again.
    let (_, code, _) = scan(&dir, &["--allow-partial"]);
    assert_eq!(code, 1);
    let (_, code, _) = scan(
        &dir,
        &["--allow-partial", "--rule", "service-exposed-externally"],
    );
    assert_eq!(code, 0);

    // Text and SARIF say so too.
    let text = trustmap()
        .arg("scan")
        .arg(&dir)
        .args(["--quiet", "--allow-partial"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Incomplete scan"), "{text}");
    assert!(text.contains("INCOMPLETE: 1 part not analysed"), "{text}");
    let sarif = trustmap()
        .arg("scan")
        .arg(&dir)
        .args(["--quiet", "--allow-partial", "--format", "sarif"])
        .output()
        .expect("run");
    let sarif: Value = serde_json::from_slice(&sarif.stdout).expect("sarif");
    assert_eq!(
        sarif["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
}

/// The public charts the research measured (3 of 18 templates rendered with gtmpl-ng as
/// published). Opt-in: set `TRUSTMAP_CORPUS` to a directory holding extracted copies of
/// microservices-demo and kubernetes-goat (see bench/compare.sh); skipped otherwise.
#[test]
fn public_charts_render_fully() {
    let Some(corpus) = std::env::var_os("TRUSTMAP_CORPUS") else {
        eprintln!("skipped: TRUSTMAP_CORPUS is not set");
        return;
    };
    let corpus = Path::new(&corpus);
    for (dir, charts, templates) in [("microservices-demo", 1, 13), ("kubernetes-goat", 2, 6)] {
        let root = corpus.join(dir);
        if !root.is_dir() {
            eprintln!("skipped: {} is not here", root.display());
            continue;
        }
        let (json, _, stderr) = scan(&root, &[]);
        assert!(json.get("incomplete").is_none(), "{dir}: {json:#} {stderr}");
        assert_eq!(json["stats"]["helm_charts"], charts, "{dir}");
        assert_eq!(json["stats"]["helm_templates"], templates, "{dir}");
        assert_eq!(json["stats"]["helm_templates_rendered"], templates, "{dir}");
        let helm_errors: Vec<&Value> = json["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["code"].as_str().unwrap_or_default().starts_with("helm"))
            .collect();
        assert!(helm_errors.is_empty(), "{dir}: {helm_errors:#?}");
    }
}
