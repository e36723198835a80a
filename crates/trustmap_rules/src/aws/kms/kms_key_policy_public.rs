use trustmap_model::Model;

use super::super::{PolicyOn, label, report_public_policies};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A KMS key policy statement (inline `policy` of `aws_kms_key`, or `aws_kms_key_policy`)
    /// that allows `"Principal": "*"` (or `{"AWS": "*"}`) with no condition that ties the
    /// request to your organization, an account (`kms:CallerAccount`, `aws:PrincipalAccount`),
    /// a principal ARN, a VPC or a VPC endpoint.
    ///
    /// Statements that let anyone decrypt, re-encrypt, create grants, change the policy or
    /// disable or delete the key are critical; others are high. Each service with resource
    /// policies has its own rule, because what anyone gains and the fix differ; all share the
    /// test used by `s3-bucket-policy-public`.
    ///
    /// ## Why it matters
    /// A key policy is the only gate in front of a KMS key: IAM permissions in your account
    /// do not matter when the policy itself lets every AWS account in. An attacker decrypts
    /// every snapshot, secret and object encrypted under the key, gives themselves a grant
    /// that survives a policy fix, or schedules the key's deletion and holds your data to
    /// ransom.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "data"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = "kms:*"
    ///       Resource  = "*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Give the account administration through IAM and name the principals that use the key:
    ///
    /// ```hcl
    /// resource "aws_kms_key" "data" {
    ///   description = "data"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = { AWS = "arn:aws:iam::111122223333:root" }
    ///         Action    = "kms:*"
    ///         Resource  = "*"
    ///       },
    ///       {
    ///         Effect    = "Allow"
    ///         Principal = { AWS = aws_iam_role.app.arn }
    ///         Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
    ///         Resource  = "*"
    ///       },
    ///     ]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html>
    /// - Peer checks: Checkov `CKV_AWS_33` is equivalent. Trivy has none.
    pub(crate) KmsKeyPolicyPublic {
        id: "AWS-KMS-001",
        name: "kms-key-policy-public",
        severity: Critical,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_33"],
            cwe: ["CWE-732"],
        },
    }
}

/// Actions that expose data or take the key over.
const CRITICAL: &[&str] = &[
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:CreateGrant",
    "kms:PutKeyPolicy",
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
];

impl Rule for KmsKeyPolicyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let kms = &model.aws.kms;
        let policies = kms.policies.iter().map(|p| PolicyOn {
            noun: "key",
            meta: &p.meta,
            document: &p.document,
            target: label(&p.target, |i| {
                kms.keys.get(i).map(|k| k.meta.address.as_str())
            }),
        });
        report_public_policies(policies, out, CRITICAL);
    }
}
