use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A CloudTrail trail (`aws_cloudtrail`) whose `is_multi_region_trail` is `false` or left
    /// out (the default is `false`): it records API calls in its own region only.
    ///
    /// ## Why it matters
    /// Attackers with stolen credentials work where nobody looks: they start instances for
    /// crypto-mining, create access keys and stage data in a region your teams never use. A
    /// single-region trail records none of it, so the activity is invisible to alerting and
    /// to the investigation afterwards.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_cloudtrail" "main" {
    ///   name           = "main"
    ///   s3_bucket_name = aws_s3_bucket.trail.id
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
    ///   kms_key_id                 = aws_kms_key.trail.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html>
    /// - Peer checks: Checkov `CKV_AWS_67` and Trivy `AVD-AWS-0014` are equivalent.
    pub(crate) CloudtrailSingleRegion {
        id: "AWS-CLOUDTRAIL-001",
        name: "cloudtrail-single-region",
        severity: Medium,
        capability: Failure,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_67"],
            trivy: ["AVD-AWS-0014"],
            cwe: ["CWE-778"],
        },
    }
}

impl Rule for CloudtrailSingleRegion {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for t in &model.aws.cloudtrail.trails {
            match t.multi_region.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(t.meta.span),
                Some(false) => {
                    let how = if t.multi_region.is_default() {
                        "leaves `is_multi_region_trail` to its default `false`"
                    } else {
                        "sets `is_multi_region_trail = false`"
                    };
                    out.report(
                        &t.meta,
                        t.multi_region.span,
                        &t.multi_region.via,
                        format!(
                            "trail `{}` {how}, so API calls in other regions are not recorded",
                            t.meta.address
                        ),
                    );
                }
            }
        }
    }
}
