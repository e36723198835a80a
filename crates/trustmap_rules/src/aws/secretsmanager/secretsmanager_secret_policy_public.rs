use trustmap_model::Model;

use super::super::{PolicyOn, label, report_public_policies};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A Secrets Manager resource policy statement (inline `policy` of
    /// `aws_secretsmanager_secret`, or `aws_secretsmanager_secret_policy`) that allows
    /// `"Principal": "*"` (or `{"AWS": "*"}`) with no condition that ties the request to your
    /// organization, an account, a principal ARN, a VPC or a VPC endpoint.
    ///
    /// Statements that let anyone read, overwrite or delete the secret or change its policy
    /// are critical; others are high. Each service with resource policies has its own rule,
    /// because what anyone gains and the fix differ; all share the test used by
    /// `s3-bucket-policy-public`.
    ///
    /// ## Why it matters
    /// A secret policy that lets every AWS account call `secretsmanager:GetSecretValue` hands
    /// the database password or API key to anyone who knows (or guesses) the secret's ARN:
    /// ARNs appear in logs, error messages and Terraform state, and are not secrets. With
    /// write access, the attacker replaces the value your application trusts.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_secretsmanager_secret_policy" "db" {
    ///   secret_arn = aws_secretsmanager_secret.db.arn
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = "secretsmanager:GetSecretValue"
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the roles that read the secret:
    ///
    /// ```hcl
    /// resource "aws_secretsmanager_secret_policy" "db" {
    ///   secret_arn = aws_secretsmanager_secret.db.arn
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = aws_iam_role.app.arn }
    ///       Action    = "secretsmanager:GetSecretValue"
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html>
    /// - Peer checks: neither Checkov nor Trivy has an equivalent.
    pub(crate) SecretsmanagerSecretPolicyPublic {
        id: "AWS-SECRETS-001",
        name: "secretsmanager-secret-policy-public",
        severity: Critical,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            cwe: ["CWE-732"],
        },
    }
}

/// Actions that reveal, replace or destroy the secret, or take it over.
const CRITICAL: &[&str] = &[
    "secretsmanager:GetSecretValue",
    "secretsmanager:PutSecretValue",
    "secretsmanager:UpdateSecret",
    "secretsmanager:DeleteSecret",
    "secretsmanager:PutResourcePolicy",
];

impl Rule for SecretsmanagerSecretPolicyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let sm = &model.aws.secretsmanager;
        let policies = sm.policies.iter().map(|p| PolicyOn {
            noun: "secret",
            meta: &p.meta,
            document: &p.document,
            target: label(&p.target, |i| {
                sm.secrets.get(i).map(|s| s.meta.address.as_str())
            }),
        });
        report_public_policies(policies, out, CRITICAL);
    }
}
