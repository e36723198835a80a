use trustmap_model::Model;
use trustmap_model::aws::s3::PartKind;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An S3 bucket with no server-side encryption configuration in the code: no inline
    /// `server_side_encryption_configuration` block and no
    /// `aws_s3_bucket_server_side_encryption_configuration` for it.
    ///
    /// Since January 2023 S3 encrypts every new object with S3-managed keys (SSE-S3) when
    /// nothing else is configured, so such objects are not stored in clear. What is missing is
    /// the explicit choice: with SSE-S3 anyone granted `s3:GetObject` reads the data, and
    /// there is no key policy, no key-usage audit trail and no way to revoke access by
    /// disabling a key. Hence the low severity.
    ///
    /// ## Why it matters
    /// When a role with broad S3 read access is compromised, a customer-managed KMS key is
    /// the second lock: the attacker also needs `kms:Decrypt` on that key, and every use of it
    /// is logged in CloudTrail. Leaving encryption to the default removes that lock and the
    /// record of who read what.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "invoices" {
    ///   bucket = "acme-invoices"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Declare the encryption, preferably with a customer-managed key:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_server_side_encryption_configuration" "invoices" {
    ///   bucket = aws_s3_bucket.invoices.id
    ///   rule {
    ///     apply_server_side_encryption_by_default {
    ///       sse_algorithm     = "aws:kms"
    ///       kms_master_key_id = aws_kms_key.invoices.arn
    ///     }
    ///     bucket_key_enabled = true
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-encryption-faq.html>
    /// - Peer checks: Checkov `CKV_AWS_19` is equivalent (server-side encryption configured). Trivy
    ///   `AVD-AWS-0088` is equivalent but deprecated (skipped unless
    ///   `--include-deprecated-checks`).
    pub(crate) S3BucketUnencrypted {
        id: "AWS-S3-004",
        name: "s3-bucket-unencrypted",
        severity: Low,
        capability: Iac,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_19"],
            trivy: ["AVD-AWS-0088"],
            cwe: ["CWE-311"],
        },
    }
}

impl Rule for S3BucketUnencrypted {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let s3 = &model.aws.s3;
        // A configuration whose bucket is unknown may belong to any bucket without one.
        let unjoined = s3.has_unjoined(PartKind::Encryption);
        for (i, bucket) in s3.buckets.iter().enumerate() {
            if s3.encryptions_of(i).next().is_some() {
                out.pass_at(bucket.meta.span);
            } else if unjoined {
                out.unknown();
            } else {
                out.report(
                    &bucket.meta,
                    bucket.meta.span,
                    &[],
                    format!(
                        "bucket `{}` declares no server-side encryption, so it relies on the S3-managed default key",
                        bucket.meta.address
                    ),
                );
            }
        }
    }
}
