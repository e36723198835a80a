//! CloudFormation through the whole pipeline: detection by content (YAML, JSON,
//! `.template`), routing next to Kubernetes documents, joins scoped to their template and
//! across languages by name, suppressions, parameters and bad input.

use std::path::Path;

use trustmap_engine::{NoProgress, Report, Settings, scan};

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
}

fn scan_files(files: &[(&str, &str)], parameters: &[(&str, &str)]) -> Report {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), files);
    let mut settings = Settings::new(vec![dir.path().to_path_buf()]);
    settings.cloudformation.parameters = parameters
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    scan(&settings, &NoProgress).expect("scan")
}

/// `(rule name, path, line, resource, suppressed)`, AWS and Kubernetes rules only.
fn summary(report: &Report) -> Vec<(String, String, u32, String, bool)> {
    report
        .findings
        .iter()
        .filter(|f| !f.finding.rule.id.starts_with("SEC-"))
        .map(|f| {
            (
                f.finding.rule.name.to_string(),
                f.location.path.clone(),
                f.location.start_line,
                f.finding.resource.clone(),
                f.suppressed.is_some(),
            )
        })
        .collect()
}

fn has(report: &Report, rule: &str, path: &str, resource: &str) -> bool {
    summary(report)
        .iter()
        .any(|(r, p, _, res, _)| r == rule && p == path && res == resource)
}

fn errors(report: &Report) -> Vec<String> {
    report
        .diagnostics
        .iter()
        .filter(|(d, _)| d.code != "unsupported")
        .map(|(d, l)| {
            format!(
                "{} {}:{} {}",
                d.code,
                d.path.as_deref().unwrap_or("-"),
                l.as_ref().map_or(0, |l| l.start_line),
                d.message
            )
        })
        .collect()
}

const PUBLIC_BUCKET: &str = "AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
";

#[test]
fn templates_are_recognised_by_content_in_yaml_json_and_dot_template() {
    let report = scan_files(
        &[
            ("stack.yml", PUBLIC_BUCKET),
            (
                "cfn/stack.json",
                r#"{"Resources": {"Site": {"Type": "AWS::S3::Bucket",
                    "Properties": {"AccessControl": "PublicRead"}}}}"#,
            ),
            ("legacy/stack.template", PUBLIC_BUCKET),
            (
                "legacy/other.template",
                r#"{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Site":
                    {"Type": "AWS::S3::Bucket", "Properties": {"AccessControl": "PublicRead"}}}}"#,
            ),
            // JSON that is not a template is not read at all.
            ("package.json", r#"{"name": "web", "Resources": "none"}"#),
        ],
        &[],
    );
    assert!(errors(&report).is_empty(), "{:?}", errors(&report));
    for path in [
        "stack.yml",
        "cfn/stack.json",
        "legacy/stack.template",
        "legacy/other.template",
    ] {
        assert!(
            has(&report, "s3-bucket-public-acl", path, "Site"),
            "{path}: {:#?}",
            summary(&report)
        );
    }
}

#[test]
fn a_template_next_to_kubernetes_documents_goes_to_cloudformation() {
    let report = scan_files(
        &[(
            "mixed.yaml",
            "apiVersion: v1
kind: Pod
metadata:
  name: debug
  namespace: ops
spec:
  containers:
    - name: shell
      image: busybox:1.36.1
      securityContext:
        privileged: true
---
AWSTemplateFormatVersion: '2010-09-09'
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
",
        )],
        &[],
    );
    assert!(errors(&report).is_empty(), "{:?}", errors(&report));
    assert!(has(
        &report,
        "container-privileged",
        "mixed.yaml",
        "Pod/ops/debug"
    ));
    assert!(has(&report, "s3-bucket-public-acl", "mixed.yaml", "Site"));
}

#[test]
fn logical_ids_are_scoped_to_their_template() {
    // Both templates call their bucket `Bucket`; only the first one's policy is public.
    let policy = |name: &str, principal: &str| {
        format!(
            "Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: {name}
  Policy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: !Ref Bucket
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {principal}
            Action: s3:GetObject
            Resource: '*'
"
        )
    };
    let report = scan_files(
        &[
            ("a/template.yaml", &policy("acme-a", "'*'")),
            (
                "b/template.yaml",
                &policy("acme-b", "{Service: cloudfront.amazonaws.com}"),
            ),
        ],
        &[],
    );
    assert!(errors(&report).is_empty(), "{:?}", errors(&report));
    let public: Vec<_> = summary(&report)
        .into_iter()
        .filter(|(r, ..)| r == "s3-bucket-policy-public")
        .collect();
    assert_eq!(public.len(), 1, "{public:#?}");
    assert_eq!(public[0].1, "a/template.yaml");
    let message = &report
        .findings
        .iter()
        .find(|f| f.finding.rule.name == "s3-bucket-policy-public")
        .expect("finding")
        .finding
        .message;
    assert!(message.contains("bucket `Bucket`"), "{message}");
}

#[test]
fn a_template_joins_terraform_resources_by_name() {
    let report = scan_files(
        &[
            (
                "infra/main.tf",
                "resource \"aws_s3_bucket\" \"data\" {\n  bucket = \"acme-shared-data\"\n}\n",
            ),
            (
                "stack/template.yaml",
                "Resources:
  SharedDataPolicy:
    Type: AWS::S3::BucketPolicy
    Properties:
      Bucket: acme-shared-data
      PolicyDocument:
        Statement:
          - Effect: Allow
            Principal: '*'
            Action: s3:GetObject
            Resource: arn:aws:s3:::acme-shared-data/*
",
            ),
        ],
        &[],
    );
    let f = report
        .findings
        .iter()
        .find(|f| f.finding.rule.name == "s3-bucket-policy-public")
        .expect("finding");
    assert_eq!(f.finding.resource, "SharedDataPolicy");
    assert!(
        f.finding.message.contains("bucket `aws_s3_bucket.data`"),
        "{}",
        f.finding.message
    );
}

#[test]
fn suppressions_in_templates_work_on_the_resource() {
    let report = scan_files(
        &[(
            "template.yaml",
            "Resources:
  # trustmap:ignore[s3-bucket-public-acl] public website, reviewed in SEC-311
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: PublicRead
",
        )],
        &[],
    );
    let acl: Vec<_> = summary(&report)
        .into_iter()
        .filter(|(r, ..)| r == "s3-bucket-public-acl")
        .collect();
    assert_eq!(
        acl,
        [(
            "s3-bucket-public-acl".to_string(),
            "template.yaml".to_string(),
            6,
            "Site".to_string(),
            true
        )]
    );
}

#[test]
fn parameters_override_defaults() {
    let template = "Parameters:
  Acl:
    Type: String
    Default: Private
Resources:
  Site:
    Type: AWS::S3::Bucket
    Properties:
      AccessControl: !Ref Acl
";
    let quiet = scan_files(&[("template.yaml", template)], &[]);
    assert!(!has(
        &quiet,
        "s3-bucket-public-acl",
        "template.yaml",
        "Site"
    ));
    let loud = scan_files(&[("template.yaml", template)], &[("Acl", "PublicRead")]);
    let f = loud
        .findings
        .iter()
        .find(|f| f.finding.rule.name == "s3-bucket-public-acl")
        .expect("finding");
    assert_eq!(
        f.location.start_line, 9,
        "located where the parameter is used"
    );
    assert!(
        f.related
            .iter()
            .any(|(_, note)| note.contains("parameter `Acl` (set with --parameter)")),
        "{:?}",
        f.related
    );
}

#[test]
fn broken_templates_are_located_diagnostics_and_the_scan_goes_on() {
    let report = scan_files(
        &[
            (
                "broken.yaml",
                "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Site:\n    Type: [unclosed\n",
            ),
            (
                "bad-ref.yaml",
                "Resources:\n  Site:\n    Type: AWS::S3::Bucket\n    Properties:\n      AccessControl: !Ref Nowhere\n",
            ),
            (
                "broken.json",
                "{\"AWSTemplateFormatVersion\": \"2010-09-09\", \"Resources\": {",
            ),
            ("ok.yaml", PUBLIC_BUCKET),
        ],
        &[],
    );
    let errs = errors(&report);
    assert!(
        errs.iter()
            .any(|e| e.starts_with("parse-error broken.yaml:")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e
            == "evaluation bad-ref.yaml:5 `Ref` to `Nowhere`, which is neither a parameter nor a resource"),
        "{errs:?}"
    );
    // A JSON file that does not parse is not recognised as anything: nothing to report.
    assert!(has(&report, "s3-bucket-public-acl", "ok.yaml", "Site"));
}
