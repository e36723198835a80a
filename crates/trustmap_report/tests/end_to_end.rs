//! Real scans through the engine, rendered in every format: the machine formats must match
//! their schemas and the text must fit its width, whatever rules are registered.

use std::path::{Path, PathBuf};

use serde_json::Value;
use trustmap_engine::{NoProgress, Report, Settings, scan};
use trustmap_report::text::{self, TextOptions};
use trustmap_report::{json, rules_doc, sarif};

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A small repository with something for most rule families, a suppression without a reason,
/// a file that does not parse and a binary file.
fn scan_sample() -> Report {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "infra/main.tf",
        r#"variable "acl" {
  default = "public-read"
}

resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
}

resource "aws_s3_bucket_acl" "logs" {
  bucket = aws_s3_bucket.logs.id
  acl    = var.acl # trustmap:ignore[AWS-S3-001]
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "*" } }]
  })
}
"#,
    );
    write(
        root,
        "k8s/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: app\n          image: nginx:latest\n          securityContext:\n            privileged: true\n",
    );
    write(root, "k8s/broken.yaml", "kind: Pod\nmetadata: [unclosed\n");
    write(
        root,
        "Dockerfile",
        "FROM ubuntu:latest\nUSER root\nRUN curl https://example.invalid/x.sh | sh\n",
    );
    write(
        root,
        ".github/workflows/ci.yml",
        "on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo ${{ github.event.pull_request.title }}\n",
    );
    std::fs::write(
        root.join("logo.png"),
        [0x89, b'P', b'N', b'G', 0, 0, 0, 1, 2, 3],
    )
    .unwrap();
    scan(&Settings::new(vec![root.to_path_buf()]), &NoProgress).expect("scan")
}

fn load(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn assert_valid(schema: &Value, text: &str) {
    let instance: Value = serde_json::from_str(text).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "invalid output:\n{}", errors.join("\n"));
}

#[test]
fn a_real_scan_renders_in_every_format() {
    let report = scan_sample();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));

    let json_out = json::render(&report, "0.1.0", false);
    assert_valid(
        &load(manifest.join("../../schemas/report.schema.json")),
        &json_out,
    );
    let v: Value = serde_json::from_str(&json_out).unwrap();
    assert_eq!(
        v["findings"].as_array().unwrap().len(),
        report.findings.len()
    );
    for f in v["findings"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        assert!(
            !path.starts_with('/') && !path.contains('\\'),
            "path {path}"
        );
    }

    let sarif_out = sarif::render(&report, "0.1.0");
    assert_valid(
        &load(manifest.join("tests/data/sarif-schema-2.1.0.json")),
        &sarif_out,
    );

    for width in [60, 80, 120] {
        for color in [false, true] {
            let out = text::render(
                &report,
                &TextOptions {
                    color,
                    show_suppressed: true,
                    width,
                },
            );
            if !color {
                for line in out.lines() {
                    let long_word = line.split_whitespace().count() == 1;
                    assert!(
                        long_word || line.chars().count() <= width,
                        "width {width}: {line:?}"
                    );
                }
            }
        }
    }

    // Deterministic across runs.
    assert_eq!(json_out, json::render(&scan_sample(), "0.1.0", false));
}

#[test]
fn every_registered_rule_lists_and_shows() {
    let metas: Vec<_> = trustmap_rules::all_rules()
        .iter()
        .map(|r| r.meta())
        .collect();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    assert_valid(
        &load(manifest.join("../../schemas/rules.schema.json")),
        &rules_doc::list_json(&metas),
    );
    let listed = rules_doc::list_text(&metas, false);
    for m in &metas {
        assert!(listed.contains(m.id));
        let shown = rules_doc::show(m, false);
        assert!(shown.starts_with(m.id), "{shown}");
        assert!(
            !shown.lines().any(|l| l.starts_with("## ")),
            "{}: markdown heading left in terminal output",
            m.id
        );
    }
}
