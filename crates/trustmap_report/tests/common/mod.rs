//! One hand-made report shared by every renderer's tests: two files with findings, one
//! suppressed finding, one with a related location in a third file, and two input problems
//! (one located, one only with a path).

#![allow(unreachable_pub, dead_code)]

pub mod awkward;

use std::sync::Arc;

use trustmap_engine::report::{Location, Report, ReportedFinding, Stats};
use trustmap_engine::scorecard::{CapabilityScore, FailuresBySeverity, Scorecard};
use trustmap_rules::{Capability, Finding, Related, RuleMeta, declare_rule};
use trustmap_source::{Diagnostic, FileId, SourceFile, SourceMap, Span};

declare_rule! {
    /// ## What it finds
    /// An S3 bucket whose ACL grants read access to everyone.
    ///
    /// ## Why it matters
    /// Anyone on the internet can list and download the bucket's objects. Attackers scan for
    /// such buckets continuously, so exposure is a matter of hours.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "logs" {
    ///   acl = "public-read"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Make the bucket private and serve public content through a CDN with origin access
    /// control:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket" "logs" {
    ///   acl = "private"
    /// }
    /// ```
    pub TestBucketPublicAcl {
        id: "TEST-S3-001",
        name: "test-bucket-public-acl",
        severity: High,
        capability: Iac,
        languages: [Terraform],
        equivalents: { checkov: ["CKV_AWS_20"], trivy: ["AVD-AWS-0092"], cwe: ["CWE-732"] },
    }
}

declare_rule! {
    /// ## What it finds
    /// An IAM role that any AWS account can assume.
    ///
    /// ## Why it matters
    /// A wildcard principal in a trust policy lets every AWS customer become this role.
    ///
    /// ## Fix
    /// Name the accounts or services that may assume the role.
    pub TestRoleOpenTrust {
        id: "TEST-IAM-001",
        name: "test-role-open-trust",
        severity: Critical,
        capability: Identity,
        languages: [Terraform],
        equivalents: {},
    }
}

declare_rule! {
    /// ## What it finds
    /// A container that runs privileged.
    ///
    /// ## Why it matters
    /// A privileged container is root on the node: one compromised pod takes the node and
    /// every secret mounted on it.
    ///
    /// ## Fix
    /// Remove `privileged: true`; add only the capabilities the process needs.
    pub TestPrivilegedContainer {
        id: "TEST-K8S-001",
        name: "test-privileged-container",
        severity: Medium,
        capability: Design,
        languages: [Kubernetes],
        equivalents: { kics: ["dd29336b-fe57-445b-a26e-e6aa867ae609"] },
    }
}

pub static S3: &RuleMeta = &TestBucketPublicAcl::META;
pub static IAM: &RuleMeta = &TestRoleOpenTrust::META;
pub static K8S: &RuleMeta = &TestPrivilegedContainer::META;

pub const MAIN_TF: &str = r#"resource "aws_s3_bucket" "logs" {
  bucket = "acme-logs"
  acl    = var.logs_acl
}

resource "aws_iam_role" "deploy" {
  name = "deploy"
  # trustmap:ignore[TEST-IAM-001] reviewed in SEC-42, trust limited by external id
  assume_role_policy = jsonencode({ Principal = { AWS = "*" } })
}
"#;

pub const VARIABLES_TF: &str = r#"variable "logs_acl" {
  type    = string
  default = "public-read"
}
"#;

pub const DEPLOY_YAML: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
          securityContext:
            privileged: true
";

pub const BROKEN_YAML: &str = "kind: Pod\nmetadata: [unclosed\n";

fn span_of(file: &SourceFile, needle: &str) -> Span {
    let start = file.text.find(needle).expect("needle in test file");
    file.span(start, start + needle.len())
}

fn loc(sources: &SourceMap, span: Span) -> Location {
    Location::resolve(sources, span).expect("span resolves")
}

/// The shared report.
pub fn report() -> Report {
    let mut sources = SourceMap::new();
    let main = Arc::new(SourceFile::new(FileId(0), "infra/main.tf", MAIN_TF));
    let vars = Arc::new(SourceFile::new(
        FileId(1),
        "infra/variables.tf",
        VARIABLES_TF,
    ));
    let deploy = Arc::new(SourceFile::new(FileId(2), "k8s/deploy.yaml", DEPLOY_YAML));
    let broken = Arc::new(SourceFile::new(FileId(3), "k8s/broken.yaml", BROKEN_YAML));
    for f in [&main, &vars, &deploy, &broken] {
        sources.push(f.clone());
    }

    let bucket_block = span_of(
        &main,
        "resource \"aws_s3_bucket\" \"logs\" {\n  bucket = \"acme-logs\"\n  acl    = var.logs_acl\n}",
    );
    let acl = span_of(&main, "var.logs_acl");
    let default = span_of(&vars, "default = \"public-read\"");
    let s3 = Finding {
        rule: S3,
        severity: S3.severity,
        message: "bucket `acme-logs` grants public read through its ACL (`public-read`)".into(),
        resource: "aws_s3_bucket.logs".into(),
        primary: acl,
        resource_span: bucket_block,
        related: vec![Related {
            span: default,
            note: "value comes from variable `logs_acl`".into(),
        }],
        redact: Vec::new(),
    };

    let role_block = span_of(&main, "resource \"aws_iam_role\" \"deploy\" {");
    let trust = span_of(&main, "jsonencode({ Principal = { AWS = \"*\" } })");
    let iam = Finding {
        rule: IAM,
        severity: IAM.severity,
        message: "role `deploy` can be assumed by any AWS account (`Principal.AWS = \"*\"`)".into(),
        resource: "aws_iam_role.deploy".into(),
        primary: trust,
        resource_span: role_block,
        related: Vec::new(),
        redact: Vec::new(),
    };

    let privileged = span_of(&deploy, "privileged: true");
    let k8s = Finding {
        rule: K8S,
        severity: K8S.severity,
        message: "container `app` runs privileged".into(),
        resource: "Deployment/shop/web".into(),
        primary: privileged,
        resource_span: deploy.full_span(),
        related: Vec::new(),
        redact: Vec::new(),
    };

    let reported = |f: Finding, suppressed: Option<&str>, fingerprint: &str| {
        let location = loc(&sources, f.primary);
        let resource_line = main_line(&sources, f.resource_span);
        // The comment sits on the line above the finding.
        let (location_path, suppressed_line) = (location.path.clone(), location.start_line - 1);
        let related = f
            .related
            .iter()
            .map(|r| (loc(&sources, r.span), r.note.clone()))
            .collect();
        ReportedFinding {
            finding: f,
            location,
            resource_line,
            related,
            suppressed: suppressed.map(|reason| trustmap_engine::Suppression {
                source: trustmap_model::suppression::Source::Inline,
                reason: Some(reason.to_string()),
                path: location_path.clone(),
                line: suppressed_line,
                until: None,
            }),
            fingerprint: fingerprint.to_string(),
            commit: None,
        }
    };
    let findings = vec![
        reported(s3, None, "3f2a9c0d5e7b8a1c4d6e0f1a2b3c4d5e"),
        reported(
            iam,
            Some("reviewed in SEC-42, trust limited by external id"),
            "9b8a7c6d5e4f30211203f4e5d6c7b8a9",
        ),
        reported(k8s, None, "0a1b2c3d4e5f60718293a4b5c6d7e8f9"),
    ];

    let parse_span = span_of(&broken, "[unclosed");
    let diagnostics = vec![
        (
            Diagnostic::new("binary-file", "binary file skipped").with_path("assets/logo.png"),
            None,
        ),
        (
            Diagnostic::new("parse-error", "flow sequence is not closed").at(&broken, parse_span),
            Some(loc(&sources, parse_span)),
        ),
    ];

    let failed = |critical, high, medium| FailuresBySeverity {
        critical,
        high,
        medium,
        low: 0,
        info: 0,
    };
    let cap =
        |capability: Capability, passed, failed: FailuresBySeverity, suppressed, unknown, score| {
            CapabilityScore {
                capability,
                title: capability.title(),
                checks: passed + failed.total(),
                passed,
                failed,
                suppressed,
                unknown,
                score,
            }
        };
    let scorecard = Scorecard {
        capabilities: vec![
            cap(Capability::Identity, 0, failed(0, 0, 0), 1, 0, None),
            cap(Capability::Failure, 0, failed(0, 0, 0), 0, 0, None),
            cap(Capability::Iac, 3, failed(0, 1, 0), 0, 2, Some(50)),
            cap(Capability::Design, 4, failed(0, 0, 1), 0, 0, Some(67)),
        ],
    };

    Report {
        sources,
        findings,
        diagnostics,
        scorecard,
        stats: Stats {
            files_scanned: 4,
            files_skipped: 1,
            terraform_resources: 2,
            kubernetes_objects: 1,
            dockerfiles: 0,
            workflows: 0,
            unknown_values: 2,
            rules_run: 3,
            ..Stats::default()
        },
        // In id order, as the engine gives them.
        rules: vec![IAM, K8S, S3],
        reveal_secrets: false,
        incomplete: Vec::new(),
        comparison: None,
        pod_security: None,
        governance: Default::default(),
        graph: Default::default(),
        attack_paths: Vec::new(),
        fixes: Vec::new(),
        passes: Vec::new(),
    }
}

fn main_line(sources: &SourceMap, span: Span) -> u32 {
    sources
        .get(span.file)
        .map_or(1, |f| f.line_col(span.start).line)
}
