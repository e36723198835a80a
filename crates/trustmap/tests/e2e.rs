//! End-to-end: the real binary on a realistic multi-technology repository (tests/e2e/shop).

use std::path::{Path, PathBuf};

mod common;

use common::{Row, e2e_dir, trustmap, unsuppressed};
use serde_json::Value;

fn shop() -> PathBuf {
    e2e_dir("shop")
}

fn scan_json(args: &[&str]) -> (Value, i32) {
    common::scan_json(&shop(), args)
}

fn summary(json: &Value) -> Vec<Row> {
    unsuppressed(json)
}

fn has(
    findings: &[(String, String, u64, String)],
    rule: &str,
    path: &str,
    line: u64,
    resource: &str,
) -> bool {
    findings
        .iter()
        .any(|(r, p, l, res)| r == rule && p == path && *l == line && res == resource)
}

#[test]
fn shop_findings_cross_every_technology_at_the_right_lines() {
    let (json, code) = scan_json(&[]);
    assert_eq!(code, 1, "findings at or above low must exit 1");
    assert_eq!(
        json["errors"].as_array().map(Vec::len),
        Some(0),
        "errors: {}",
        json["errors"]
    );
    let f = summary(&json);
    let expect = [
        // Terraform: a tfvars value flows through for_each into a module instance.
        (
            "s3-bucket-public-acl",
            "infra/modules/bucket/main.tf",
            16,
            "module.data[\"exports\"].aws_s3_bucket_acl.this",
        ),
        // OIDC trust without a subject condition, written as an aws_iam_policy_document.
        (
            "iam-oidc-trust-without-subject-condition",
            "infra/main.tf",
            51,
            "aws_iam_role.preview",
        ),
        (
            "iam-policy-sensitive-action-on-all-resources",
            "infra/main.tf",
            74,
            "aws_iam_role_policy.preview",
        ),
        // 0.0.0.0/0 comes from terraform.tfvars, used in the security group.
        (
            "security-group-admin-port-open-to-world",
            "infra/main.tf",
            92,
            "aws_security_group.bastion",
        ),
        (
            "ec2-imdsv1-allowed",
            "infra/main.tf",
            96,
            "aws_instance.bastion",
        ),
        (
            "lambda-env-plaintext-secret",
            "infra/main.tf",
            124,
            "aws_lambda_function.orders",
        ),
        (
            "lambda-function-url-without-auth",
            "infra/main.tf",
            131,
            "aws_lambda_function_url.orders",
        ),
        // Kubernetes.
        (
            "container-image-mutable-tag",
            "k8s/web.yaml",
            15,
            "Deployment/shop/web",
        ),
        (
            "container-env-plaintext-secret",
            "k8s/web.yaml",
            18,
            "Deployment/shop/web",
        ),
        (
            "container-privileged",
            "k8s/web.yaml",
            20,
            "Deployment/shop/web",
        ),
        (
            "service-exposed-externally",
            "k8s/web.yaml",
            28,
            "Service/shop/web",
        ),
        (
            "rbac-binding-to-cluster-admin",
            "k8s/rbac.yaml",
            12,
            "ClusterRoleBinding/web-admin",
        ),
        // Dockerfiles.
        (
            "dockerfile-base-image-mutable-tag",
            "services/web/Dockerfile",
            1,
            "services/web/Dockerfile",
        ),
        (
            "dockerfile-secret-in-env-or-arg",
            "services/web/Dockerfile",
            2,
            "services/web/Dockerfile",
        ),
        (
            "dockerfile-pipes-download-to-shell",
            "services/web/Dockerfile",
            4,
            "services/web/Dockerfile",
        ),
        // GitHub Actions.
        (
            "gha-untrusted-checkout-on-privileged-trigger",
            ".github/workflows/preview.yml",
            13,
            ".github/workflows/preview.yml#preview",
        ),
        (
            "gha-script-injection",
            ".github/workflows/preview.yml",
            15,
            ".github/workflows/preview.yml#preview",
        ),
        (
            "gha-unpinned-action",
            ".github/workflows/preview.yml",
            16,
            ".github/workflows/preview.yml#preview",
        ),
    ];
    let missing: Vec<_> = expect
        .iter()
        .filter(|(r, p, l, res)| !has(&f, r, p, *l, res))
        .collect();
    assert!(
        missing.is_empty(),
        "missing findings: {missing:#?}\nall findings: {f:#?}"
    );

    // What is done right stays quiet.
    let quiet = |rule: &str, path: &str| !f.iter().any(|(r, p, _, _)| r == rule && p == path);
    assert!(quiet("dockerfile-runs-as-root", "services/api/Dockerfile"));
    assert!(quiet(
        "dockerfile-base-image-mutable-tag",
        "services/api/Dockerfile"
    ));
    assert!(quiet("gha-unpinned-action", ".github/workflows/ci.yml"));
    assert!(quiet("container-privileged", "k8s/api.yaml"));
    assert!(
        !f.iter()
            .any(|(r, _, _, res)| r == "s3-bucket-public-acl" && res.contains("assets"))
    );
    assert!(!f.iter().any(
        |(r, _, _, res)| r == "iam-oidc-trust-without-subject-condition"
            && res == "aws_iam_role.deploy"
    ));
    // .gitignore is honoured.
    assert!(!f.iter().any(|(_, p, _, _)| p.starts_with("generated/")));

    insta::assert_snapshot!(
        "shop_findings",
        f.iter()
            .map(|(r, p, l, res)| format!("{p}:{l} {r} {res}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn json_output_matches_the_published_schema() {
    let (json, _) = scan_json(&[]);
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas/report.schema.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).expect("schema"))
            .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("valid schema");
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        json["scorecard"]["capabilities"].as_array().map(Vec::len),
        Some(4)
    );
}

#[test]
fn fail_on_threshold_and_rule_selection_set_the_exit_code() {
    let (_, code) = scan_json(&[
        "--fail-on",
        "critical",
        "--rule",
        "container-image-mutable-tag",
    ]);
    assert_eq!(
        code, 0,
        "a medium finding must not fail a critical threshold"
    );
    let (json, code) = scan_json(&[
        "--rule",
        "container-privileged,rbac-binding-to-cluster-admin",
    ]);
    assert_eq!(code, 1);
    let rules: std::collections::BTreeSet<_> = summary(&json).into_iter().map(|f| f.0).collect();
    assert_eq!(
        rules.into_iter().collect::<Vec<_>>(),
        ["container-privileged", "rbac-binding-to-cluster-admin"]
    );
    let (json, _) = scan_json(&["--skip-rule", "container-privileged"]);
    assert!(!summary(&json).iter().any(|f| f.0 == "container-privileged"));
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    for args in [
        vec!["scan", "/definitely/not/here"],
        vec!["scan", ".", "--rule", "NO-SUCH-RULE"],
        vec!["scan", ".", "--fail-on", "severe"],
        vec!["scan", ".", "--var", "novalue"],
        vec!["rules", "show", "NO-SUCH-RULE"],
        vec!["frobnicate"],
    ] {
        let out = trustmap().args(&args).output().expect("run");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.trim().is_empty(), "{args:?}: no message");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn output_file_is_written_whole_and_nothing_lands_in_the_scanned_tree() {
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("repo");
    copy_dir(&shop(), &target);
    let before = listing(&target);
    let report = dir.path().join("out.sarif");
    let out = trustmap()
        .arg("scan")
        .arg(&target)
        .args(["--format", "sarif", "--quiet", "--output"])
        .arg(&report)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "report must go to the file only");
    let sarif: Value = serde_json::from_str(&std::fs::read_to_string(&report).expect("report"))
        .expect("sarif json");
    assert_eq!(sarif["version"], "2.1.0");
    assert_eq!(listing(&target), before, "scan wrote into the scanned tree");

    // An unwritable destination is an error (exit 2) and leaves no partial file.
    let bad = dir.path().join("missing-dir/out.json");
    let out = trustmap()
        .arg("scan")
        .arg(&target)
        .args(["-q", "-f", "json", "-o"])
        .arg(&bad)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(!bad.exists());
}

#[test]
fn rules_list_and_show() {
    let out = trustmap()
        .args(["rules", "--format", "json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let rules: Value = serde_json::from_slice(&out.stdout).expect("json");
    let rules = rules.as_array().expect("array");
    assert!(rules.len() >= 40, "only {} rules", rules.len());
    let out = trustmap()
        .args(["rules", "show", "container-privileged"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["container-privileged", "Why it matters", "Fix"] {
        assert!(text.contains(needle), "missing {needle}: {text}");
    }
}

#[test]
fn text_report_has_code_frames_and_the_scorecard_without_colour_when_piped() {
    let out = trustmap()
        .arg("scan")
        .arg(shop())
        .arg("--quiet")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains('\u{1b}'), "colour codes in piped output");
    assert!(text.contains("k8s/web.yaml:20"), "{text}");
    assert!(text.contains("privileged: true"), "no code frame: {text}");
    for cap in ["identity", "failure", "iac", "design"] {
        assert!(text.to_lowercase().contains(cap), "scorecard lacks {cap}");
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            std::fs::copy(entry.path(), dest).expect("copy");
        }
    }
}

fn listing(dir: &Path) -> Vec<(PathBuf, u64)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_dir() {
                stack.push(e.path());
            } else {
                out.push((e.path(), e.metadata().expect("meta").len()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn malformed_binary_and_huge_files_become_errors_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let root = dir.path();
    std::fs::write(
        root.join("broken.tf"),
        "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \n",
    )
    .expect("write");
    std::fs::write(
        root.join("broken.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata: [unclosed\n",
    )
    .expect("write");
    std::fs::write(root.join("binary.yaml"), b"\x00\x01\x02kind: Pod\x00").expect("write");
    let mut huge = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n");
    while huge.len() < 9 * 1024 * 1024 {
        huge.push_str("  k: vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv\n");
    }
    std::fs::write(root.join("huge.yaml"), huge).expect("write");
    std::fs::write(root.join("Dockerfile"), "FROM alpine:latest\n").expect("write");
    let out = trustmap()
        .arg("scan")
        .arg(root)
        .args(["-q", "-f", "json"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "the good file's finding still fails the scan"
    );
    let json: Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<(String, String)> = json["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| {
            (
                e["code"].as_str().unwrap_or("").to_string(),
                e["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    for (code, path) in [
        ("parse-error", "broken.tf"),
        ("parse-error", "broken.yaml"),
        ("binary-file", "binary.yaml"),
        ("file-too-large", "huge.yaml"),
    ] {
        assert!(
            codes.contains(&(code.to_string(), path.to_string())),
            "no {code} for {path}: {codes:?}"
        );
    }
    assert!(
        summary(&json)
            .iter()
            .any(|f| f.0 == "dockerfile-base-image-mutable-tag")
    );
}

/// Regression: `--output /dev/null` once renamed a temporary file over the device.
#[cfg(unix)]
#[test]
fn output_to_a_special_file_writes_into_it_and_keeps_it() {
    use std::os::unix::fs::FileTypeExt;
    let out = trustmap()
        .arg("scan")
        .arg(shop())
        .args(["-q", "-f", "json", "-o", "/dev/null"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let meta = std::fs::metadata("/dev/null").expect("/dev/null");
    assert!(
        meta.file_type().is_char_device(),
        "/dev/null is no longer a device"
    );
}
