//! End-to-end: Kustomize overlays are built in-process and checked as built
//! (tests/e2e/kustomize-app: one base, a staging and a production overlay).

use std::path::{Path, PathBuf};

mod common;

use common::{Row, e2e_dir, rows_where, rule_id};
use serde_json::Value;

fn app() -> PathBuf {
    e2e_dir("kustomize-app")
}

fn scan_json(root: &Path) -> (Value, i32) {
    common::scan_json(root, &[])
}

fn scan_json_with(root: &Path, args: &[&str]) -> (Value, i32) {
    common::scan_json(root, args)
}

/// Findings of the model rules; the secrets pass reads raw text and has its own tests.
fn findings(json: &Value) -> Vec<Row> {
    rows_where(json, |f| !rule_id(f).starts_with("SEC-"))
}

fn errors(json: &Value) -> Vec<(String, String, u64)> {
    json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or_default().to_string(),
                e["path"].as_str().unwrap_or_default().to_string(),
                e["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn overlays_are_checked_as_built_at_the_lines_that_set_each_value() {
    let (json, code) = scan_json(&app());
    assert_eq!(code, 1, "findings must fail the scan");
    assert_eq!(errors(&json), [], "errors: {}", json["errors"]);
    // Nothing was left out: no `incomplete` list (it is present only for partial scans).
    assert!(
        json["incomplete"].as_array().is_none_or(Vec::is_empty),
        "{}",
        json["incomplete"]
    );
    let f = findings(&json);
    let prod = "Deployment/prod/prod-api";
    let sidecar = "overlays/production/debug-sidecar.yaml";
    let expect: Vec<(&str, &str, u64, &str)> = vec![
        // The sidecar production patches in: every value is located in the patch file.
        ("container-without-resource-limits", sidecar, 10, prod),
        ("container-capabilities-not-dropped", sidecar, 10, prod),
        ("container-allows-privilege-escalation", sidecar, 13, prod),
        (
            "container-without-read-only-root-filesystem",
            sidecar,
            13,
            prod,
        ),
        ("container-privileged", sidecar, 13, prod),
        // `images: newTag: latest` is the line that makes the tag mutable.
        (
            "container-image-mutable-tag",
            "overlays/production/kustomization.yaml",
            12,
            prod,
        ),
        // The staging Secret exists only when the overlay is built, from this literal.
        (
            "secret-data-in-repository",
            "overlays/staging/kustomization.yaml",
            11,
            "Secret/staging/staging-db-credentials",
        ),
    ];
    let got: Vec<(&str, &str, u64, &str)> = f
        .iter()
        .map(|(r, p, l, res)| (r.as_str(), p.as_str(), *l, res.as_str()))
        .collect();
    assert_eq!(got, expect, "all findings: {f:#?}");

    // The base is never reported on its own: no object keeps its unprefixed name or the
    // default namespace, and nothing points into it (it is hardened).
    assert!(
        !f.iter()
            .any(|(_, p, _, res)| p.starts_with("base/") || res.contains("/default/")),
        "{f:#?}"
    );
    // The finding says how the value got there (the patch entry) and how the object was
    // built (the base's entry, then the overlay's).
    let privileged = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|x| x["rule_name"] == "container-privileged")
        .expect("privileged finding");
    let related: Vec<(&str, u64)> = privileged["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or_default(),
                r["start_line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        related,
        [
            ("overlays/production/kustomization.yaml", 9),
            ("base/kustomization.yaml", 7),
            ("overlays/production/kustomization.yaml", 6),
        ]
    );
}

#[test]
fn a_kustomization_no_overlay_uses_is_built_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    let write = |p: &str, t: &str| {
        let path = root.join(p);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, t).expect("write");
    };
    write("app/kustomization.yaml", "resources:\n  - pod.yaml\n");
    write(
        "app/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  containers:\n    - name: tool\n      image: registry.example.com/tool:1.0.0\n      securityContext:\n        privileged: true\n",
    );
    let (json, _) = scan_json(root);
    let privileged: Vec<_> = findings(&json)
        .into_iter()
        .filter(|f| f.0 == "container-privileged")
        .collect();
    assert_eq!(
        privileged,
        [(
            "container-privileged".to_string(),
            "app/pod.yaml".to_string(),
            10,
            "Pod/default/tool".to_string()
        )]
    );
}

#[test]
fn remote_bases_make_the_scan_incomplete_not_clean() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    std::fs::write(
        root.join("kustomization.yaml"),
        "resources:\n  - github.com/example/platform//deploy?ref=v1.2.0\n  - pod.yaml\n",
    )
    .expect("write");
    std::fs::write(
        root.join("pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: tool\nspec:\n  hostPID: true\n  containers:\n    - name: tool\n      image: registry.example.com/tool:1.0.0\n",
    )
    .expect("write");
    // The objects of the remote base were not checked: a partial scan is never a pass.
    let (json, code) = scan_json(root);
    assert_eq!(code, 2);
    assert!(
        errors(&json).contains(&(
            "unsupported".to_string(),
            "kustomization.yaml".to_string(),
            2
        )),
        "{}",
        json["errors"]
    );
    assert_eq!(
        json["incomplete"],
        serde_json::json!([
            "Kustomize `.`: remote resource `github.com/example/platform//deploy?ref=v1.2.0` was not fetched, its objects were not checked"
        ])
    );
    // What could be built is still checked.
    assert!(
        findings(&json)
            .iter()
            .any(|f| f.0 == "pod-shares-host-pid" && f.3 == "Pod/default/tool")
    );
    let (_, code) = scan_json_with(root, &["--allow-partial"]);
    assert_eq!(code, 1);
}
