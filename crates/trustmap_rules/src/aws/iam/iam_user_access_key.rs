use trustmap_model::Model;

use super::super::label;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An active `aws_iam_access_key`: a long-lived access key for an IAM user, created by
    /// the code (its secret also lands in the Terraform state).
    ///
    /// ## Why it matters
    /// Access keys never expire. They get copied into CI settings, laptops, `.env` files and
    /// chat messages, and whoever finds one later (in a leaked state file, a public commit or
    /// a compromised build) is that user until someone notices and rotates it. Short-lived
    /// credentials from roles expire on their own within hours.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_user" "ci" {
    ///   name = "ci"
    /// }
    ///
    /// resource "aws_iam_access_key" "ci" {
    ///   user = aws_iam_user.ci.name
    /// }
    /// ```
    ///
    /// ## Fix
    /// Give the workload a role instead: an OIDC trust for CI, an instance profile or task
    /// role for compute, IAM Identity Center for people.
    ///
    /// ```hcl
    /// resource "aws_iam_role" "ci" {
    ///   name               = "ci"
    ///   assume_role_policy = data.aws_iam_policy_document.github_trust.json
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles>
    /// - Peer checks: Checkov `CKV_AWS_273` is broader (IAM-defined users themselves, with or
    ///   without an access key).
    pub(crate) IamUserAccessKey {
        id: "AWS-IAM-006",
        name: "iam-user-access-key",
        severity: Medium,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_273"],
        },
    }
}

impl Rule for IamUserAccessKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let iam = &model.aws.iam;
        for key in &iam.access_keys {
            match key.status.get().map(String::as_str) {
                None => out.unknown(),
                Some("Inactive") => out.pass_at(key.meta.span),
                Some(_) => {
                    let user = label(&key.user, |i| {
                        iam.users.get(i).map(|u| u.meta.address.as_str())
                    });
                    out.report(
                        &key.meta,
                        key.user.span,
                        &key.user.via,
                        format!("long-lived access key created for user `{user}`"),
                    );
                }
            }
        }
    }
}
