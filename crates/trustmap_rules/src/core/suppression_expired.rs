use trustmap_model::Model;
use trustmap_model::suppression::Source;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A suppression whose expiry date has passed: `trustmap:ignore[RULE-ID] until=YYYY-MM-DD`,
    /// a migrated `tfsec:ignore:...:exp:YYYY-MM-DD` or `trivy:ignore:...:exp:YYYY-MM-DD`
    /// comment, or a `[[suppressions.paths]]` entry of `trustmap.toml` with `until`.
    ///
    /// ## Why it matters
    /// An expiry turns "we accept this risk" into "we accept it until the fix lands". When the
    /// date passes, the exception has outlived the decision behind it: the workaround became
    /// permanent and the exposure it hides is still reachable by an attacker. An expired
    /// suppression silences nothing — the findings it covered are reported again — and this
    /// finding points at the suppression so it gets renewed with a new decision or removed.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "site" {
    ///   bucket = aws_s3_bucket.site.id
    ///   acl    = "public-read" # trustmap:ignore[AWS-S3-001] until=2025-06-30 CDN migration in progress
    /// }
    /// ```
    ///
    /// ## Fix
    /// Fix the finding and delete the comment, or take the decision again and record it with a
    /// new date and the reason it still holds:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "site" {
    ///   bucket = aws_s3_bucket.site.id
    ///   acl    = "private"
    /// }
    /// ```
    pub(crate) SuppressionExpired {
        id: "TM-SUP-002",
        name: "suppression-expired",
        severity: Medium,
        capability: Iac,
        languages: [Terraform, CloudFormation, Kubernetes, Dockerfile, GithubActions],
        equivalents: {},
    }
}

impl Rule for SuppressionExpired {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for d in &model.suppressions {
            let Some(until) = d.until else {
                continue;
            };
            if d.expired {
                out.report(
                    &d.file,
                    d.span,
                    &[],
                    format!(
                        "{}suppression of `{}` expired on {until}, so the findings it covered \
                         are reported again",
                        match d.source {
                            Source::Inline | Source::Config => String::new(),
                            peer => format!("{} ", peer.as_str()),
                        },
                        d.rules.join(", ")
                    ),
                );
            } else {
                out.pass_at(d.span);
            }
        }
    }
}
