use trustmap_model::Model;
use trustmap_model::aws::ecr::Ecr;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An ECR repository whose images are not scanned when pushed: its
    /// `image_scanning_configuration.scan_on_push` is `false` or left out (the default is
    /// `false`), and no `aws_ecr_registry_scanning_configuration` rule of the scan scans it
    /// on push or continuously.
    ///
    /// ## Why it matters
    /// An image with a known-exploitable package (an old OpenSSL, a vulnerable log library)
    /// goes to production without anyone being told. Scanning on push is the cheapest point
    /// to catch it: before the image runs, with the commit that introduced it still fresh.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_ecr_repository" "api" {
    ///   name = "api"
    ///   image_scanning_configuration {
    ///     scan_on_push = true
    ///   }
    /// }
    /// ```
    ///
    /// Or scan every repository from the registry:
    ///
    /// ```hcl
    /// resource "aws_ecr_registry_scanning_configuration" "all" {
    ///   scan_type = "ENHANCED"
    ///   rule {
    ///     scan_frequency = "CONTINUOUS_SCAN"
    ///     repository_filter {
    ///       filter      = "*"
    ///       filter_type = "WILDCARD"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html>
    /// - Peer checks: Checkov `CKV_AWS_163` and Trivy `AVD-AWS-0030` are broader: they do not
    ///   credit registry-level scanning rules.
    pub(crate) EcrScanOnPushDisabled {
        id: "AWS-ECR-002",
        name: "ecr-scan-on-push-disabled",
        severity: Low,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_163"],
            trivy: ["AVD-AWS-0030"],
            cwe: ["CWE-1104"],
        },
    }
}

/// Whether a registry rule scans a repository on push or continuously (`None`: cannot tell).
fn registry_scans(ecr: &Ecr, repository: Option<&String>) -> Option<bool> {
    let mut unknown = false;
    for config in &ecr.registry_scanning {
        for rule in &config.rules {
            let covers = match repository {
                Some(name) => rule.covers(name),
                None => None,
            };
            match (rule.scans_new_images(), covers) {
                (Some(true), Some(true)) => return Some(true),
                (Some(false), _) | (_, Some(false)) => {}
                _ => unknown = true,
            }
        }
    }
    if unknown { None } else { Some(false) }
}

impl Rule for EcrScanOnPushDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let ecr = &model.aws.ecr;
        for repo in &ecr.repositories {
            match (
                repo.scan_on_push.get(),
                registry_scans(ecr, repo.name.get()),
            ) {
                (Some(true), _) | (_, Some(true)) => out.pass_at(repo.meta.span),
                (None, _) | (_, None) => out.unknown(),
                (Some(false), Some(false)) => {
                    let how = if repo.scan_on_push.is_default() {
                        "does not turn on `scan_on_push`"
                    } else {
                        "sets `scan_on_push = false`"
                    };
                    out.report(
                        &repo.meta,
                        repo.scan_on_push.span,
                        &repo.scan_on_push.via,
                        format!(
                            "repository `{}` {how} and no registry scanning rule covers it, so pushed images are never scanned",
                            repo.meta.address
                        ),
                    );
                }
            }
        }
    }
}
