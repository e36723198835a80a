use trustmap_model::Model;

use super::super::identity_label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// The AWS-managed `AdministratorAccess`, `IAMFullAccess` or `PowerUserAccess` policy
    /// attached to a role, user or group.
    ///
    /// Attachments are found through the attachment resources, `aws_iam_policy_attachment` and
    /// `managed_policy_arns`, whether the ARN is written out or comes through a variable.
    ///
    /// ## Why it matters
    /// `AdministratorAccess` is the whole account; `IAMFullAccess` becomes it in one call
    /// (attach `AdministratorAccess` to yourself); `PowerUserAccess` reads every secret and
    /// runs any compute. Attached to a CI role or a service, it means that an attacker who
    /// compromises that one workload (a poisoned dependency, an injected build step, an SSRF)
    /// owns the account.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "ci_admin" {
    ///   role       = aws_iam_role.ci.name
    ///   policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Attach a policy scoped to what the identity deploys or runs:
    ///
    /// ```hcl
    /// resource "aws_iam_role_policy_attachment" "ci_deploy" {
    ///   role       = aws_iam_role.ci.name
    ///   policy_arn = aws_iam_policy.ci_deploy.arn
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html>
    /// - Peer checks: Checkov `CKV_AWS_274` (roles, users and groups) and `CKV_AWS_275` (policy
    ///   data sources) are narrower (`AdministratorAccess` only); `CKV2_AWS_56` is narrower
    ///   (`IAMFullAccess` only).
    pub(crate) IamAdminPolicyAttached {
        id: "AWS-IAM-008",
        name: "iam-admin-policy-attached",
        severity: High,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_274", "CKV_AWS_275", "CKV2_AWS_56"],
            cwe: ["CWE-269"],
        },
    }
}

/// AWS-managed policies that are, or become in one step, full administrator access.
const ADMIN_POLICIES: &[&str] = &["AdministratorAccess", "IAMFullAccess", "PowerUserAccess"];

impl Rule for IamAdminPolicyAttached {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let iam = &model.aws.iam;
        for a in &iam.attachments {
            if a.policy_arn.is_unknown() {
                // A customer-managed policy from the scan is judged by the policy rules.
                if a.policy.is_some() {
                    out.pass_at(a.meta.span)
                } else {
                    out.unknown()
                }
                continue;
            }
            match a.aws_managed_name() {
                Some(name) if ADMIN_POLICIES.contains(&name) => {
                    out.report(
                        &a.meta,
                        a.policy_arn.span,
                        &a.policy_arn.via,
                        format!(
                            "AWS-managed policy `{name}` attached to {} `{}`",
                            a.to.kind.as_str(),
                            identity_label(iam, &a.to)
                        ),
                    );
                }
                _ => out.pass_at(a.meta.span),
            }
        }
    }
}
