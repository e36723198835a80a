use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail whose `enable_log_file_validation` is `false` or left out (the
    /// default is `false`).
    ///
    /// ## Why it matters
    /// An intruder who reaches the trail's bucket deletes or edits the log files that record
    /// what they did. Log file validation writes signed digest files every hour, so such a
    /// change can be detected and proven; without it, the trail is evidence nobody can vouch
    /// for.
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
    ///   name                       = "main"
    ///   s3_bucket_name             = aws_s3_bucket.trail.id
    ///   is_multi_region_trail      = true
    ///   enable_log_file_validation = true
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html>
    /// - Peer checks: Checkov `CKV_AWS_36` and Trivy `AVD-AWS-0016` are equivalent.
    pub(crate) CloudtrailLogValidationDisabled {
        id: "AWS-CLOUDTRAIL-002",
        name: "cloudtrail-log-validation-disabled",
        severity: Low,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_36"],
            trivy: ["AVD-AWS-0016"],
            cwe: ["CWE-354"],
        },
    }
}

impl Rule for CloudtrailLogValidationDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for t in &model.aws.cloudtrail.trails {
            match t.log_validation.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(t.meta.span),
                Some(false) => {
                    let how = if t.log_validation.is_default() {
                        "leaves `enable_log_file_validation` to its default `false`"
                    } else {
                        "sets `enable_log_file_validation = false`"
                    };
                    out.report(
                        &t.meta,
                        t.log_validation.span,
                        &t.log_validation.via,
                        format!(
                            "trail `{}` {how}, so edited or deleted log files cannot be detected",
                            t.meta.address
                        ),
                    );
                }
            }
        }
    }
}
