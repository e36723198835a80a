//! End-to-end: Kubernetes in depth (tests/e2e/k8s-segmentation) — network segmentation,
//! the Istio/Linkerd mesh, secrets in ConfigMaps, and the Pod Security section of
//! `--profile`, where a Namespace's `pod-security.kubernetes.io/enforce` label wins.

mod common;

use common::{e2e_dir, owned, rows_where, rule_id, scan_json, trustmap};
use serde_json::Value;

/// Rules this test is about: segmentation (K8S-11x), mesh (K8S-12x), ConfigMap secrets
/// (K8S-130), plus the Service exposure rule they complete.
fn depth_rule(f: &Value) -> bool {
    let id = rule_id(f);
    id == "K8S-017"
        || ["K8S-11", "K8S-12", "K8S-13"]
            .iter()
            .any(|p| id.starts_with(p))
}

#[test]
fn segmentation_mesh_and_config_map_findings_point_at_their_lines() {
    let (json, code) = scan_json(&e2e_dir("k8s-segmentation"), &[]);
    assert_eq!(code, 1, "findings must fail the scan");
    assert_eq!(json["errors"], Value::Array(Vec::new()), "errors");
    let got = rows_where(&json, depth_rule);
    let expect = owned(&[
        (
            "istio-mtls-not-strict",
            "cluster/mesh.yaml",
            24,
            "PeerAuthentication/payments/ledger",
        ),
        (
            "istio-authorization-allows-all",
            "cluster/mesh.yaml",
            52,
            "AuthorizationPolicy/storefront/allow-all",
        ),
        (
            "istio-destination-rule-tls-disabled",
            "cluster/mesh.yaml",
            63,
            "DestinationRule/storefront/legacy-search",
        ),
        // Storefront segments only its web tier; observability has no policy at all. The
        // payments namespace denies by default and is not reported.
        (
            "namespace-without-default-deny",
            "cluster/namespaces.yaml",
            9,
            "Namespace/storefront",
        ),
        (
            "namespace-without-default-deny",
            "cluster/namespaces.yaml",
            16,
            "Namespace/observability",
        ),
        (
            "mesh-sidecar-injection-disabled",
            "payments/ledger.yaml",
            53,
            "CronJob/payments/reconciler",
        ),
        (
            "workload-not-selected-by-network-policy",
            "storefront/apps.yaml",
            34,
            "Deployment/storefront/api",
        ),
        (
            "config-map-contains-secret",
            "storefront/apps.yaml",
            55,
            "ConfigMap/storefront/api-config",
        ),
        (
            "service-exposed-externally",
            "storefront/apps.yaml",
            63,
            "Service/storefront/web",
        ),
        (
            "ingress-without-tls",
            "storefront/apps.yaml",
            78,
            "Ingress/storefront/storefront",
        ),
        (
            "network-policy-allows-all",
            "storefront/network.yaml",
            20,
            "NetworkPolicy/storefront/web",
        ),
    ]);
    assert_eq!(got, expect);
    // The ConfigMap's password is masked in the message.
    let text = trustmap()
        .args(["scan", "--quiet", "--rule", "K8S-130"])
        .arg(e2e_dir("k8s-segmentation"))
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("K8S-130"), "{stdout}");
    assert!(
        !stdout.contains("Tr0ub4dor-and-3"),
        "secret shown:\n{stdout}"
    );
}

/// The Pod Security section of the text report, from its title to its summary line.
fn pod_security_text(args: &[&str]) -> String {
    let out = trustmap()
        .args(["scan", "--quiet"])
        .arg(e2e_dir("k8s-segmentation"))
        .args(args)
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let start = stdout
        .find("Pod Security admission")
        .unwrap_or_else(|| panic!("no Pod Security section:\n{stdout}"));
    let end = stdout[start..]
        .find("would be admitted.")
        .map_or(stdout.len(), |e| start + e + "would be admitted.".len());
    stdout[start..end].to_string()
}

#[test]
fn profile_restricted_reports_admission_per_workload_in_text() {
    insta::assert_snapshot!(pod_security_text(&["--profile", "restricted"]));
}

#[test]
fn profile_restricted_reports_admission_per_workload_in_json() {
    let (json, _) = scan_json(&e2e_dir("k8s-segmentation"), &["--profile", "restricted"]);
    insta::assert_json_snapshot!(json["pod_security"]);
}

#[test]
fn namespace_labels_give_a_section_without_profile() {
    let (json, _) = scan_json(&e2e_dir("k8s-segmentation"), &[]);
    let section = &json["pod_security"];
    assert_eq!(section.get("profile"), None, "{section}");
    let verdicts: Vec<(String, String, bool)> = section["workloads"]
        .as_array()
        .expect("workloads")
        .iter()
        .map(|w| {
            (
                w["resource"].as_str().unwrap_or_default().to_string(),
                w["level"].as_str().unwrap_or_default().to_string(),
                w["admitted"].as_bool().unwrap_or_default(),
            )
        })
        .collect();
    let v = |r: &str, l: &str, a: bool| (r.to_string(), l.to_string(), a);
    // The storefront has no label and no --profile was given: it is not in the section.
    assert_eq!(
        verdicts,
        [
            v("DaemonSet/observability/node-exporter", "privileged", true),
            v("Deployment/payments/ledger", "restricted", true),
            v("CronJob/payments/reconciler", "restricted", false),
        ]
    );
    assert_eq!(section["admitted"], 2);
}

#[test]
fn profile_baseline_runs_only_baseline_controls() {
    let dir = e2e_dir("k8s-segmentation");
    let (restricted, _) = scan_json(&dir, &["--profile", "restricted"]);
    let (baseline, _) = scan_json(&dir, &["--profile", "baseline"]);
    let ids = |json: &Value| -> Vec<String> {
        json["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .map(|f| rule_id(f).to_string())
            .collect()
    };
    // Restricted-only controls: privilege escalation, non-root, seccomp set, capabilities.
    for id in ["K8S-002", "K8S-003", "K8S-019", "K8S-107", "K8S-108"] {
        assert!(
            ids(&restricted).iter().any(|i| i == id),
            "{id} under restricted"
        );
        assert!(
            !ids(&baseline).iter().any(|i| i == id),
            "{id} under baseline"
        );
    }
    // Baseline controls and rules outside Pod Security run under both.
    for id in ["K8S-020", "K8S-007", "K8S-111", "K8S-016"] {
        assert!(
            ids(&baseline).iter().any(|i| i == id),
            "{id} under baseline"
        );
    }
    // Under baseline, the storefront api is rejected for its host port only; the payments
    // namespace still enforces restricted, whatever the flag says.
    let workloads = baseline["pod_security"]["workloads"]
        .as_array()
        .expect("workloads");
    let find = |r: &str| {
        workloads
            .iter()
            .find(|w| w["resource"] == r)
            .unwrap_or_else(|| panic!("{r} missing"))
    };
    let api = find("Deployment/storefront/api");
    assert_eq!(api["level"], "baseline");
    let controls: Vec<&str> = api["violations"]
        .as_array()
        .expect("violations")
        .iter()
        .filter_map(|v| v["control"].as_str())
        .collect();
    assert_eq!(controls, ["Host Ports"]);
    assert_eq!(find("Deployment/storefront/web")["admitted"], true);
    let reconciler = find("CronJob/payments/reconciler");
    assert_eq!(reconciler["level"], "restricted");
    assert_eq!(reconciler["level_source"], "namespace-label");
    assert_eq!(reconciler["admitted"], false);
}

#[test]
fn profile_rejects_unknown_levels() {
    let out = trustmap()
        .args(["scan", "--quiet", "--profile", "strict"])
        .arg(e2e_dir("k8s-segmentation"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("baseline") && stderr.contains("restricted"),
        "{stderr}"
    );
}

/// Istio left at its default (`PERMISSIVE`) is reported once per scan, at the first sign
/// of Istio; a namespace-wide `STRICT` policy silences it, and a scan without Istio gets
/// nothing.
#[test]
fn istio_default_permissive_is_reported_once_and_only_with_istio() {
    let injected = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    \
                    istio-injection: enabled\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  \
                    name: search\n  labels:\n    istio-injection: enabled\n";
    let strict = "---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  \
                  name: default\n  namespace: shop\nspec:\n  mtls:\n    mode: STRICT\n";
    let plain = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n";
    let istio_rows = |manifest: &str| {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("cluster.yaml"), manifest).expect("write");
        let (json, _) = scan_json(dir.path(), &[]);
        rows_where(&json, |f| rule_id(f) == "K8S-120")
    };
    assert_eq!(
        istio_rows(injected),
        owned(&[("istio-mtls-not-strict", "cluster.yaml", 6, "Namespace/shop")])
    );
    assert_eq!(istio_rows(&format!("{injected}{strict}")), Vec::new());
    assert_eq!(istio_rows(plain), Vec::new());
}

/// A restricted-clean pod spec except for `runAsUser: 0`, a control added in v1.23.
const UID_ZERO_POD: &str = "  securityContext:\n    runAsNonRoot: true\n    runAsUser: 0\n    \
     seccompProfile:\n      type: RuntimeDefault\n  containers:\n    - name: app\n      \
     image: registry.example.com/app:1.0.0\n      securityContext:\n        \
     allowPrivilegeEscalation: false\n        capabilities:\n          drop: [\"ALL\"]\n";

/// `warn`/`audit` labels add advisories (admitted with warnings), and an `enforce-version`
/// older than a control drops that control from the verdict.
#[test]
fn warn_audit_labels_and_pinned_versions_shape_the_pod_security_section() {
    let namespace = |name: &str, labels: &[&str]| {
        let labels: String = labels
            .iter()
            .map(|l| format!("    pod-security.kubernetes.io/{l}\n"))
            .collect();
        format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n  labels:\n{labels}---\n"
        )
    };
    let pod = |name: &str, ns: &str| {
        format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n{UID_ZERO_POD}---\n"
        )
    };
    let manifest = [
        namespace(
            "shop",
            &["enforce: baseline", "warn: restricted", "audit: restricted"],
        ),
        pod("web", "shop"),
        namespace("legacy", &["enforce: restricted", "enforce-version: v1.22"]),
        pod("old", "legacy"),
        namespace(
            "current",
            &["enforce: restricted", "enforce-version: latest"],
        ),
        pod("new", "current"),
        namespace("observed", &["warn: baseline"]),
        pod("watched", "observed"),
    ]
    .concat();
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("cluster.yaml"), manifest).expect("write");
    let (json, _) = scan_json(dir.path(), &[]);
    let section = &json["pod_security"];
    let workload = |resource: &str| {
        section["workloads"]
            .as_array()
            .expect("workloads")
            .iter()
            .find(|w| w["resource"] == resource)
            .unwrap_or_else(|| panic!("{resource} in {section}"))
            .clone()
    };
    let rules = |violations: &Value| -> Vec<String> {
        violations
            .as_array()
            .expect("violations")
            .iter()
            .map(|v| v["rule_id"].as_str().unwrap_or_default().to_string())
            .collect()
    };

    let web = workload("Pod/shop/web");
    assert_eq!(web["admitted"], true);
    assert_eq!(web["admitted_with_warnings"], true);
    let modes: Vec<(&str, &str, Vec<String>)> = web["advisories"]
        .as_array()
        .expect("advisories")
        .iter()
        .map(|a| {
            let mode = a["mode"].as_str().unwrap_or_default();
            (
                mode,
                a["level"].as_str().unwrap_or_default(),
                rules(&a["violations"]),
            )
        })
        .collect();
    let uid_zero = vec!["K8S-108".to_string()];
    assert_eq!(
        modes,
        vec![
            ("warn", "restricted", uid_zero.clone()),
            ("audit", "restricted", uid_zero.clone())
        ]
    );

    // v1.22 predates "Running as Non-root user": admitted; `latest` rejects it.
    let old = workload("Pod/legacy/old");
    assert_eq!(
        (old["admitted"].clone(), rules(&old["violations"])),
        (Value::Bool(true), vec![])
    );
    let new = workload("Pod/current/new");
    assert_eq!(rules(&new["violations"]), uid_zero);

    // Only a warn label: privileged is enforced, baseline is only warned about.
    let watched = workload("Pod/observed/watched");
    assert_eq!(watched["level"], "privileged");
    assert_eq!(watched["level_source"], "unenforced");
    assert_eq!(watched["admitted_with_warnings"], false);
}
