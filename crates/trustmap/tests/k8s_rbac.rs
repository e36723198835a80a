//! End-to-end: Kubernetes RBAC evaluated with its bindings (tests/e2e/k8s-rbac). A
//! dangerous rule takes its severity from who holds the role: nothing (low), people or
//! groups (the rule's own), a workload's service account (high, critical for escalation).

mod common;

use common::{e2e_dir, scan_json};
use serde_json::Value;

/// `(rule, path, line, severity, resource)` of every RBAC finding, in report order.
fn rbac_findings(json: &Value) -> Vec<(String, String, u64, String, String)> {
    json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| {
            f["rule_name"]
                .as_str()
                .is_some_and(|r| r.starts_with("rbac-"))
        })
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            (
                s("rule_name"),
                s("path"),
                f["start_line"].as_u64().unwrap_or_default(),
                s("severity"),
                s("resource"),
            )
        })
        .collect()
}

#[test]
fn rbac_findings_take_their_severity_from_the_bindings() {
    let (json, code) = scan_json(&e2e_dir("k8s-rbac"), &[]);
    assert_eq!(code, 1, "findings must fail the scan");
    assert_eq!(json["errors"], Value::Array(Vec::new()), "errors");
    let got = rbac_findings(&json);
    let row = |r: &str, p: &str, l: u64, s: &str, res: &str| {
        (
            r.to_string(),
            p.to_string(),
            l,
            s.to_string(),
            res.to_string(),
        )
    };
    let expect = [
        // The CI runner's pods may bind any ClusterRole: escalation held by a workload.
        row(
            "rbac-privilege-escalation-verbs",
            "ci/runner.yaml",
            38,
            "critical",
            "ClusterRole/ci-deployer",
        ),
        row(
            "rbac-creates-workloads",
            "ci/runner.yaml",
            32,
            "high",
            "ClusterRole/ci-deployer",
        ),
        // Aggregated into `monitoring`, which Prometheus's pods hold cluster-wide.
        row(
            "rbac-nodes-proxy",
            "monitoring/prometheus.yaml",
            44,
            "critical",
            "ClusterRole/monitoring-nodes",
        ),
        // Granted in `shop` by a RoleBinding to the web pods.
        row(
            "rbac-reads-secrets",
            "cluster/roles.yaml",
            8,
            "high",
            "ClusterRole/secret-reader",
        ),
        row(
            "rbac-binding-to-system-group",
            "cluster/roles.yaml",
            22,
            "critical",
            "ClusterRoleBinding/public-status",
        ),
        // The CronJob does not mount the token: the rule's own severity.
        row(
            "rbac-creates-workloads",
            "batch/reports.yaml",
            35,
            "medium",
            "Role/batch/report-launcher",
        ),
        // The default `edit` role for the catalog pods' service account: reported at the
        // binding (the role has no line in the scan); the same role for people is not.
        row(
            "rbac-default-role-bound-to-workload",
            "shop/catalog.yaml",
            36,
            "high",
            "RoleBinding/shop/catalog-edit",
        ),
        // People: the rule's own severity.
        row(
            "rbac-pod-exec",
            "shop/oncall.yaml",
            12,
            "medium",
            "Role/shop/debugger",
        ),
        // Unbound: low.
        row(
            "rbac-wildcard",
            "unused/roles.yaml",
            9,
            "low",
            "ClusterRole/legacy-admin",
        ),
        row(
            "rbac-creates-service-account-tokens",
            "unused/roles.yaml",
            18,
            "low",
            "Role/shop/token-minter",
        ),
    ];
    for e in &expect {
        assert!(got.contains(e), "missing {e:?} in\n{got:#?}");
    }
    // One finding for the line that grants everything, not one per power.
    let legacy: Vec<_> = got
        .iter()
        .filter(|f| f.4 == "ClusterRole/legacy-admin")
        .collect();
    assert_eq!(legacy.len(), 1, "{legacy:#?}");
    assert_eq!(got.len(), expect.len(), "{got:#?}");
    // Nothing is reported for what the scan cannot see or what is narrow: the vendor role
    // bound to the web pods, the web pods' own narrow Role.
    assert!(
        !got.iter()
            .any(|(_, p, l, _, _)| p == "shop/web.yaml" && *l < 60),
        "{got:#?}"
    );
}

#[test]
fn rbac_findings_name_the_binding_and_the_workloads() {
    let (json, _) = scan_json(&e2e_dir("k8s-rbac"), &[]);
    let mut text = String::new();
    for f in json["findings"].as_array().expect("findings") {
        let rule = f["rule_name"].as_str().unwrap_or_default();
        if !rule.starts_with("rbac-") {
            continue;
        }
        text.push_str(&format!(
            "{}:{} {} {} {}\n  {}\n",
            f["path"].as_str().unwrap_or_default(),
            f["start_line"],
            f["severity"].as_str().unwrap_or_default(),
            rule,
            f["resource"].as_str().unwrap_or_default(),
            f["message"].as_str().unwrap_or_default(),
        ));
    }
    insta::assert_snapshot!("k8s_rbac_findings", text);
}
