use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail without `kms_key_id`: its log files are encrypted only with the
    /// bucket's S3-managed keys.
    ///
    /// ## Why it matters
    /// The trail lists every identity, source address and resource in the account: a map for
    /// an attacker planning the next step. With S3-managed encryption, anyone who can read the
    /// bucket reads the logs. With a KMS key, reading them also needs `kms:Decrypt` on a key
    /// whose policy only the security team controls, and every read is itself logged.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                  = "main"
    ///   s3_bucket_name        = aws_s3_bucket.trail.id
    ///   is_multi_region_trail = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name                  = "main"
    ///   s3_bucket_name        = aws_s3_bucket.trail.id
    ///   is_multi_region_trail = true
    ///   kms_key_id            = aws_kms_key.trail.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html>
    /// - Peer checks: Checkov `CKV_AWS_35` and Trivy `AVD-AWS-0015` are equivalent.
    pub(crate) CloudtrailNotEncryptedWithKms {
        id: "AWS-CLOUDTRAIL-003",
        name: "cloudtrail-not-encrypted-with-kms",
        severity: Low,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_35"],
            trivy: ["AVD-AWS-0015"],
            cwe: ["CWE-311"],
        },
    }
}

impl Rule for CloudtrailNotEncryptedWithKms {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for t in &model.aws.cloudtrail.trails {
            match t.kms_key.get() {
                None => out.unknown(),
                Some(Some(_)) => out.pass_at(t.meta.span),
                Some(None) => {
                    out.report(
                        &t.meta,
                        t.kms_key.span,
                        &t.kms_key.via,
                        format!(
                            "trail `{}` sets no `kms_key_id`, so anyone who can read its bucket reads the logs",
                            t.meta.address
                        ),
                    );
                }
            }
        }
    }
}
