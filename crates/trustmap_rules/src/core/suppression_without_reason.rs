use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `trustmap:ignore[RULE-ID]` comment that gives no reason after the bracket.
    ///
    /// ## Why it matters
    /// A suppression is a risk decision. Without a reason nobody can later tell an accepted,
    /// understood exposure from a finding someone silenced to get a pipeline green, and an
    /// attacker only needs the second kind. Unexplained suppressions do not silence anything:
    /// the finding they target is still reported.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "site" {
    ///   bucket = aws_s3_bucket.site.id
    ///   acl    = "public-read" # trustmap:ignore[AWS-S3-001]
    /// }
    /// ```
    ///
    /// ## Fix
    /// Say why the finding is acceptable, after the bracket, in the same comment:
    ///
    /// ```hcl
    /// resource "aws_s3_bucket_acl" "site" {
    ///   bucket = aws_s3_bucket.site.id
    ///   acl    = "public-read" # trustmap:ignore[AWS-S3-001] static marketing site, no private objects
    /// }
    /// ```
    pub(crate) SuppressionWithoutReason {
        id: "TM-SUP-001",
        name: "suppression-without-reason",
        severity: Low,
        capability: Design,
        languages: [Terraform, CloudFormation, Kubernetes, Dockerfile, GithubActions],
        equivalents: {},
    }
}

impl Rule for SuppressionWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        // Peers' comments are honoured as written (most of their syntaxes have no reason).
        let own = model
            .suppressions
            .iter()
            .filter(|d| d.source == trustmap_model::suppression::Source::Inline);
        for d in own {
            if d.reason.is_some() {
                out.pass_at(d.span);
            } else {
                out.report(
                    &d.file,
                    d.span,
                    &[],
                    format!(
                        "suppression of `{}` gives no reason, so it is ignored",
                        d.rules.join(", ")
                    ),
                );
            }
        }
    }
}
