use trustmap_model::Model;

use super::super::{PolicyOn, label, report_public_policies};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An ECR repository policy statement (`aws_ecr_repository_policy`) that allows
    /// `"Principal": "*"` (or `{"AWS": "*"}`) with no condition that ties the request to your
    /// organization, an account, a principal ARN, a VPC or a VPC endpoint.
    ///
    /// Statements that let anyone push, delete images or change the policy are critical;
    /// pull-only ones are high. Each service with resource policies has its own rule,
    /// because what anyone gains and the fix differ; all share the test used by
    /// `s3-bucket-policy-public`.
    ///
    /// ## Why it matters
    /// With pull access, any AWS account downloads your images: the code, the configuration
    /// baked into them and any credential left in a layer. With push access, an attacker
    /// replaces an image your clusters pull and runs their code inside your environment with
    /// the workload's role.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_ecr_repository_policy" "api" {
    ///   repository = aws_ecr_repository.api.name
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Share with your organization (or named accounts) instead of everyone:
    ///
    /// ```hcl
    /// resource "aws_ecr_repository_policy" "api" {
    ///   repository = aws_ecr_repository.api.name
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    ///       Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-a1b2c3d4e5" } }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html>
    /// - Peer checks: Checkov `CKV_AWS_32` and Trivy `AVD-AWS-0032` are equivalent.
    pub(crate) EcrRepositoryPolicyPublic {
        id: "AWS-ECR-003",
        name: "ecr-repository-policy-public",
        severity: High,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_32"],
            trivy: ["AVD-AWS-0032"],
            cwe: ["CWE-732"],
        },
    }
}

/// Actions that replace or destroy images, or take the repository over.
const CRITICAL: &[&str] = &[
    "ecr:PutImage",
    "ecr:InitiateLayerUpload",
    "ecr:UploadLayerPart",
    "ecr:CompleteLayerUpload",
    "ecr:BatchDeleteImage",
    "ecr:SetRepositoryPolicy",
    "ecr:DeleteRepository",
];

impl Rule for EcrRepositoryPolicyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let ecr = &model.aws.ecr;
        let policies = ecr.policies.iter().map(|p| PolicyOn {
            noun: "repository",
            meta: &p.meta,
            document: &p.document,
            target: label(&p.target, |i| {
                ecr.repositories.get(i).map(|r| r.meta.address.as_str())
            }),
        });
        report_public_policies(policies, out, CRITICAL);
    }
}
