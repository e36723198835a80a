use trustmap_model::Model;

use super::{describe, documents, settle_at};
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An identity policy statement that allows every action (`*`) on every resource (`*`):
    /// full administrator access, written by hand.
    ///
    /// ## Why it matters
    /// Whoever holds this policy owns the account. An attacker who steals the credentials of
    /// one CI job, one Lambda function or one developer with it can read every secret and
    /// bucket, create themselves new users and keys, and delete the logs and backups that would
    /// show it. Nothing limits the blast radius of that one compromise.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_policy" "deploy" {
    ///   name = "deploy"
    ///   policy = jsonencode({
    ///     Version   = "2012-10-17"
    ///     Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Grant the actions the workload performs, on the resources it touches:
    ///
    /// ```hcl
    /// resource "aws_iam_policy" "deploy" {
    ///   name = "deploy"
    ///   policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect   = "Allow"
    ///       Action   = ["ecs:UpdateService", "ecs:DescribeServices"]
    ///       Resource = aws_ecs_service.api.id
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege>
    /// - Peer checks: Checkov `CKV_AWS_1` and `CKV_AWS_62` are equivalent (`*` on `*`). Trivy
    ///   `AVD-AWS-0057` is broader (any use of wildcards) and deprecated (skipped unless
    ///   `--include-deprecated-checks`).
    pub(crate) IamPolicyFullAdmin {
        id: "AWS-IAM-001",
        name: "iam-policy-full-admin",
        severity: Critical,
        capability: Identity,
        languages: [Terraform, CloudFormation, Serverless],
        equivalents: {
            checkov: ["CKV_AWS_1", "CKV_AWS_62"],
            trivy: ["AVD-AWS-0057"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for IamPolicyFullAdmin {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for (policy, doc) in documents(model, out) {
            let (mut found, mut unknown) = (false, false);
            for st in doc.allows() {
                let action = st.any_action();
                let resource = st.all_resources();
                if let (Some(action), Some(_)) = (action, resource) {
                    out.report(
                        &policy.meta,
                        action.span,
                        &action.via,
                        format!(
                            "{} allows every action (`*`) on every resource (`*`)",
                            describe(model, policy)
                        ),
                    );
                    found = true;
                } else if (action.is_some() || st.has_unknown_actions())
                    && (resource.is_some() || st.has_unknown_resources())
                {
                    unknown = true;
                }
            }
            settle_at(out, policy.meta.span, found, unknown);
        }
    }
}
