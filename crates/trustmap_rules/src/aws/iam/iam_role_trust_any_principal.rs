use trustmap_model::Model;

use super::super::anyone as who;
use super::settle_at;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A role trust policy that lets any principal assume the role (`"Principal": "*"` or
    /// `{"AWS": "*"}`) with no condition that limits the caller to your organization, an
    /// account or a specific principal ARN.
    ///
    /// An `sts:ExternalId` condition alone does not count: the external ID is not a secret.
    ///
    /// ## Why it matters
    /// `*` in a trust policy is every IAM user and role in every AWS account. An attacker
    /// calls `sts:AssumeRole` on the role's ARN from their own account, which they fully
    /// control, and receives credentials with everything the role is granted. Role ARNs are
    /// easy to find: they appear in error messages, public repositories and CloudTrail shares.
    ///
    /// ## Example
    /// ```hcl
    /// resource "aws_iam_role" "audit" {
    ///   name = "audit"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "*" }
    ///       Action    = "sts:AssumeRole"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## Fix
    /// Name the account or role that may assume it (and, for cross-organization access, add an
    /// organization condition):
    ///
    /// ```hcl
    /// resource "aws_iam_role" "audit" {
    ///   name = "audit"
    ///   assume_role_policy = jsonencode({
    ///     Version = "2012-10-17"
    ///     Statement = [{
    ///       Effect    = "Allow"
    ///       Principal = { AWS = "arn:aws:iam::111122223333:role/auditor" }
    ///       Action    = "sts:AssumeRole"
    ///     }]
    ///   })
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html>
    /// - Peer checks: Checkov `CKV_AWS_60` is broader (it flags `Principal: *` even under a
    ///   limiting condition such as `aws:PrincipalArn`, Checkov #7304/#6839); `CKV_AWS_61` overlaps
    ///   (assume-role allowed across all services rather than to any principal). Trivy has none.
    pub(crate) IamRoleTrustAnyPrincipal {
        id: "AWS-IAM-005",
        name: "iam-role-trust-any-principal",
        severity: Critical,
        capability: Identity,
        languages: [Terraform, CloudFormation],
        equivalents: {
            checkov: ["CKV_AWS_60", "CKV_AWS_61"],
            cwe: ["CWE-285"],
        },
    }
}

impl Rule for IamRoleTrustAnyPrincipal {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for role in &model.aws.iam.roles {
            let Some(doc) = role.trust.get() else {
                out.unknown();
                continue;
            };
            let public = doc.public_grants();
            for grant in &public.grants {
                let anyone = grant.principal;
                out.report(
                    &role.meta,
                    anyone.id.span,
                    &anyone.id.via,
                    format!(
                        "role `{}` can be assumed by {} with no condition limiting the caller",
                        role.meta.address,
                        who(anyone)
                    ),
                );
            }
            settle_at(
                out,
                role.meta.span,
                !public.grants.is_empty(),
                public.undecided,
            );
        }
    }
}
