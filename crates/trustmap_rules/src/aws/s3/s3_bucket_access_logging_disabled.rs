use trustmap_model::Model;
use trustmap_model::aws::s3::PartKind;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An S3 bucket with no server access logging: no `aws_s3_bucket_logging` for it and no
    /// inline `logging` block. Buckets that receive other buckets' access logs are not
    /// judged (logging a log bucket into itself loops).
    ///
    /// ## Why it matters
    /// Server access logs record every request to the bucket, including the anonymous and
    /// cross-account ones and the object-level reads that CloudTrail does not log by default.
    /// When a bucket leaks, they answer the questions that matter: which objects were read,
    /// from which address, with which credential, and since when. Without them the answer is
    /// "everything, possibly".
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket" "exports" {
    ///   bucket = "acme-customer-exports"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "aws_s3_bucket_logging" "exports" {
    ///   bucket        = aws_s3_bucket.exports.id
    ///   target_bucket = aws_s3_bucket.access_logs.id
    ///   target_prefix = "exports/"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html>
    /// - Peer checks: Checkov `CKV_AWS_18` and Trivy `AVD-AWS-0089` are broader (they also
    ///   flag the log buckets themselves).
    pub(crate) S3BucketAccessLoggingDisabled {
        id: "AWS-S3-005",
        name: "s3-bucket-access-logging-disabled",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_18"],
            trivy: ["AVD-AWS-0089"],
            cwe: ["CWE-778"],
        },
    }
}

impl Rule for S3BucketAccessLoggingDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let s3 = &model.aws.s3;
        let mut is_log_target = vec![false; s3.buckets.len()];
        for l in &s3.loggings {
            if let Some(slot) = l.target.target.and_then(|i| is_log_target.get_mut(i)) {
                *slot = true;
            }
        }
        let unjoined = s3.has_unjoined(PartKind::Logging);
        for (i, bucket) in s3.buckets.iter().enumerate() {
            if is_log_target[i] {
                continue;
            }
            if s3.loggings_of(i).next().is_some() {
                out.pass_at(bucket.meta.span);
            } else if unjoined {
                out.unknown();
            } else {
                out.report(
                    &bucket.meta,
                    bucket.meta.span,
                    &[],
                    format!(
                        "bucket `{}` has no server access logging, so requests to its objects are not recorded",
                        bucket.meta.address
                    ),
                );
            }
        }
    }
}
