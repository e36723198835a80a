use trustmap_model::Model;
use trustmap_model::aws::s3::BlockFlag;

use super::super::{PolicyOn, bucket_label, grants_any, report_public_grants};
use crate::{Rule, RuleMeta, Severity, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A bucket policy statement that allows `"Principal": "*"` (or `{"AWS": "*"}`) with no
    /// condition that ties the request to your organization, account, source ARN, VPC or VPC
    /// endpoint.
    ///
    /// Statements that let anyone write, delete or change permissions are critical; read-only
    /// ones are high. A bucket whose public access block sets `restrict_public_buckets` is not
    /// reported: S3 refuses such public access.
    ///
    /// ## Why it matters
    /// `*` is every caller on the internet, signed or not. An attacker reads the objects
    /// (customer exports, backups, build artifacts) with a plain HTTP request, or, when writes
    /// are allowed, replaces what your deployments and users download, and can run up your bill
    /// while doing it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_policy" "assets" {
    ///   bucket = aws_s3_bucket.assets.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = "*"
    ///       Action    = "s3:GetObject"
    ///       Resource  = "${aws_s3_bucket.assets.arn}/*"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant a named principal, or keep `*` only with a condition that limits the caller, such
    /// as the CloudFront distribution that serves the content:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_policy" "assets" {
    ///   bucket = aws_s3_bucket.assets.id
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { Service = "cloudfront.amazonaws.com" }
    ///       Action    = "s3:GetObject"
    ///       Resource  = "${aws_s3_bucket.assets.arn}/*"
    ///       Condition = {
    ///         StringEquals = { "aws:SourceArn" = aws_cloudfront_distribution.cdn.arn }
    ///       }
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status>
    /// - Peer checks: Checkov `CKV_AWS_70` is equivalent (a bucket policy action allowed to any
    ///   principal). Trivy has none.
    pub(crate) S3BucketPolicyPublic {
        id: "AWS-S3-002",
        name: "s3-bucket-policy-public",
        severity: Critical,
        capability: Design,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_70"],
            cwe: ["CWE-732"],
        },
    }
}

/// Actions that change or destroy data or permissions.
const WRITE_ACTIONS: &[&str] = &[
    "s3:PutObject",
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:PutObjectAcl",
    "s3:PutBucketAcl",
    "s3:PutBucketPolicy",
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPublicAccessBlock",
    "s3:DeleteBucket",
    "s3:PutLifecycleConfiguration",
];

impl Rule for S3BucketPolicyPublic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let s3 = &model.aws.s3;
        for policy in &s3.policies {
            let restricted = policy
                .bucket
                .target
                .is_some_and(|b| s3.is_blocked(b, BlockFlag::RestrictPublicBuckets));
            if restricted && policy.document.is_known() {
                out.pass_at(policy.meta.span);
                continue;
            }
            let on = PolicyOn {
                noun: "bucket",
                meta: &policy.meta,
                document: &policy.document,
                target: bucket_label(model, &policy.bucket),
            };
            // Critical unless every action is known and none writes.
            report_public_grants(on, out, |g| {
                if grants_any(g, WRITE_ACTIONS) {
                    Severity::Critical
                } else {
                    Severity::High
                }
            });
        }
    }
}
