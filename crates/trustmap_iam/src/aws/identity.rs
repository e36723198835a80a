//! The identity policies of one role, user or group, gathered from the model.

use trustmap_model::aws::iam::{Iam, IdentityKind, PolicyKind};

use super::{Evaluated, managed_policy};

/// Every identity policy of a principal: its inline policies, the policies attached to it
/// (customer-managed ones from the scan, AWS-managed ones from [`managed_policy`]) and, for a
/// user, those of its groups. Policies that cannot be read are recorded as unknown.
pub fn for_identity(iam: &Iam, kind: IdentityKind, index: usize) -> Evaluated {
    let mut e = Evaluated::default();
    add_own(iam, kind, index, &mut e);
    if kind == IdentityKind::User {
        for m in &iam.memberships {
            if m.user.target != Some(index) {
                continue;
            }
            match m.group.target {
                Some(g) => add_own(iam, IdentityKind::Group, g, &mut e),
                None => e.add_unknown(
                    m.group.span,
                    format!("group `{}` is not defined in the scan", m.group.label()),
                ),
            }
        }
    }
    e
}

fn add_own(iam: &Iam, kind: IdentityKind, index: usize, e: &mut Evaluated) {
    let is_mine = |to: &trustmap_model::aws::iam::IdentityLink| {
        to.kind == kind && to.link.target == Some(index)
    };
    for p in &iam.policies {
        if p.kind != PolicyKind::Inline || !p.owner.as_ref().is_some_and(is_mine) {
            continue;
        }
        match p.document.get() {
            Some(doc) => e.add(doc),
            None => e.add_unknown(
                p.document.span,
                format!(
                    "the document of `{}` cannot be known statically",
                    p.meta.address
                ),
            ),
        }
    }
    for a in &iam.attachments {
        if !is_mine(&a.to) {
            continue;
        }
        if let Some(p) = a.policy.and_then(|i| iam.policies.get(i)) {
            match p.document.get() {
                Some(doc) => e.add(doc),
                None => e.add_unknown(
                    p.document.span,
                    format!(
                        "the document of `{}` cannot be known statically",
                        p.meta.address
                    ),
                ),
            }
            continue;
        }
        match a.policy_arn.get() {
            Some(arn) => match managed_policy(arn, a.policy_arn.span) {
                Some(doc) => e.add(&doc),
                None => e.add_unknown(
                    a.policy_arn.span,
                    format!("policy `{arn}` is not defined in the scan"),
                ),
            },
            None => e.add_unknown(
                a.policy_arn.span,
                format!(
                    "the policy attached by `{}` cannot be known statically",
                    a.meta.address
                ),
            ),
        }
    }
}
