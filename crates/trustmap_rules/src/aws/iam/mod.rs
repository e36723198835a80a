//! IAM rules: what identity policies grant, who can assume roles, and long-lived credentials.

mod iam_admin_policy_attached;
mod iam_oidc_trust_without_subject_condition;
mod iam_policy_attached_to_user;
mod iam_policy_full_admin;
mod iam_policy_privilege_escalation;
mod iam_policy_sensitive_action_on_all_resources;
mod iam_policy_wildcard_action;
mod iam_principal_privilege_escalation;
mod iam_role_trust_any_principal;
mod iam_user_access_key;

pub(crate) use iam_admin_policy_attached::IamAdminPolicyAttached;
pub(crate) use iam_oidc_trust_without_subject_condition::IamOidcTrustWithoutSubjectCondition;
pub(crate) use iam_policy_attached_to_user::IamPolicyAttachedToUser;
pub(crate) use iam_policy_full_admin::IamPolicyFullAdmin;
pub(crate) use iam_policy_privilege_escalation::IamPolicyPrivilegeEscalation;
pub(crate) use iam_policy_sensitive_action_on_all_resources::IamPolicySensitiveActionOnAllResources;
pub(crate) use iam_policy_wildcard_action::IamPolicyWildcardAction;
pub(crate) use iam_principal_privilege_escalation::IamPrincipalPrivilegeEscalation;
pub(crate) use iam_role_trust_any_principal::IamRoleTrustAnyPrincipal;
pub(crate) use iam_user_access_key::IamUserAccessKey;

use trustmap_model::Model;
use trustmap_model::aws::iam::{Policy, PolicyKind};
use trustmap_model::aws::policy::PolicyDocument;

use crate::Sink;

/// Every identity policy whose document is known; unknown ones are counted as such.
fn documents<'a>(model: &'a Model, out: &mut Sink) -> Vec<(&'a Policy, &'a PolicyDocument)> {
    let mut docs = Vec::new();
    for p in &model.aws.iam.policies {
        match p.document.get() {
            Some(d) => docs.push((p, d)),
            None => out.unknown(),
        }
    }
    docs
}

/// `policy `aws_iam_policy.ci`` or `inline policy of role `aws_iam_role.ci``.
fn describe(model: &Model, p: &Policy) -> String {
    match (&p.kind, &p.owner) {
        (PolicyKind::Inline, Some(owner)) => format!(
            "inline policy of {} `{}`",
            owner.kind.as_str(),
            super::identity_label(&model.aws.iam, owner)
        ),
        _ => format!("policy `{}`", p.meta.address),
    }
}

/// Records the outcome of the target written at `at`: a pass (located, for per-team scores)
/// when nothing was found and nothing was unknown.
fn settle_at(out: &mut Sink, at: trustmap_source::Span, found: bool, unknown: bool) {
    if !found {
        if unknown {
            out.unknown()
        } else {
            out.pass_at(at)
        }
    }
}
