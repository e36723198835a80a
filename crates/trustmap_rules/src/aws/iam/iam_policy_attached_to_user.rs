use trustmap_model::Model;
use trustmap_model::aws::iam::IdentityKind;

use super::super::identity_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// Permissions granted directly to an IAM user: an `aws_iam_user_policy`, an
    /// `aws_iam_user_policy_attachment`, or a user listed in `aws_iam_policy_attachment`.
    ///
    /// ## Why it matters
    /// Permissions spread over individual users are the ones nobody reviews: they survive job
    /// changes and departures, and an attacker who takes over a forgotten user inherits a
    /// one-off grant nobody remembers giving. Groups and roles keep access in a few places
    /// that are audited and revoked as a whole.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_user_policy_attachment" "alice_billing" {
    ///   user       = aws_iam_user.alice.name
    ///   policy_arn = aws_iam_policy.billing.arn
    /// }
    /// ```
    ///
    /// ## Fix
    /// Attach the policy to a group (or, better, a role assumed through IAM Identity Center)
    /// and make the user a member:
    ///
    /// ```hcl
    /// resource "aws_iam_group_policy_attachment" "billing" {
    ///   group      = aws_iam_group.billing.name
    ///   policy_arn = aws_iam_policy.billing.arn
    /// }
    ///
    /// resource "aws_iam_user_group_membership" "alice" {
    ///   user   = aws_iam_user.alice.name
    ///   groups = [aws_iam_group.billing.name]
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html>
    /// - Peer checks: Checkov `CKV_AWS_40` and Trivy `AVD-AWS-0143` are equivalent (policies
    ///   granted directly to users).
    pub(crate) IamPolicyAttachedToUser {
        id: "AWS-IAM-007",
        name: "iam-policy-attached-to-user",
        severity: Low,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_40"],
            trivy: ["AVD-AWS-0143"],
            cwe: ["CWE-269"],
        },
    }
}

impl Rule for IamPolicyAttachedToUser {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let iam = &model.aws.iam;
        for p in &iam.policies {
            let Some(owner) = &p.owner else {
                continue;
            };
            if owner.kind == IdentityKind::User {
                out.report(
                    &p.meta,
                    owner.link.span,
                    &owner.link.via,
                    format!(
                        "inline policy granted directly to user `{}`",
                        identity_label(iam, owner)
                    ),
                );
            } else {
                out.pass_at(p.meta.span);
            }
        }
        for a in &iam.attachments {
            if a.to.kind == IdentityKind::User {
                let policy = a.policy_arn.get().map_or_else(
                    || {
                        a.policy
                            .and_then(|i| iam.policies.get(i))
                            .map_or("a managed policy".to_string(), |p| {
                                format!("`{}`", p.meta.address)
                            })
                    },
                    |arn| format!("`{arn}`"),
                );
                out.report(
                    &a.meta,
                    a.to.link.span,
                    &a.to.link.via,
                    format!(
                        "{policy} attached directly to user `{}`",
                        identity_label(iam, &a.to)
                    ),
                );
            } else {
                out.pass_at(a.meta.span);
            }
        }
    }
}
