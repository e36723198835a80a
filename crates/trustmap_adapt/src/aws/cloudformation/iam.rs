//! IAM: `AWS::IAM::Role`, `User` and `Group` (with their inline `Policies` and
//! `ManagedPolicyArns`), `AWS::IAM::Policy` (inline, embedded in each identity it lists),
//! `AWS::IAM::ManagedPolicy` (attached to each identity it lists),
//! `AWS::IAM::UserToGroupAddition`, `AWS::IAM::AccessKey`, `AWS::IAM::OIDCProvider` and
//! `AWS::IAM::InstanceProfile`.
//! SAM functions' implicit roles arrive here as plain `AWS::IAM::Role`s.

use trustmap_cloudformation::Resource;
use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::iam::{
    AccessKey, Attachment, Group, Iam, IdentityKind, IdentityLink, InstanceProfile, Membership,
    OidcProvider, Policy, PolicyKind, Role, User,
};
use trustmap_syntax::Node;

use super::{items, meta};
use crate::aws::join::{Index, Target};
use crate::aws::policy;
use crate::aws::read::{self, attr};

/// Identity types: resource type, kind, property holding the name, join target.
const IDENTITIES: &[(&str, IdentityKind, &str)] = &[
    ("AWS::IAM::Role", IdentityKind::Role, "RoleName"),
    ("AWS::IAM::User", IdentityKind::User, "UserName"),
    ("AWS::IAM::Group", IdentityKind::Group, "GroupName"),
];

/// The lists of `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` that name identities.
const MEMBERS: &[(&str, IdentityKind)] = &[
    ("Roles", IdentityKind::Role),
    ("Users", IdentityKind::User),
    ("Groups", IdentityKind::Group),
];

fn target_of(kind: IdentityKind) -> Target {
    match kind {
        IdentityKind::Role => Target::Role,
        IdentityKind::User => Target::User,
        IdentityKind::Group => Target::Group,
    }
}

pub(in crate::aws) fn adapt(index: &Index<'_>, iam: &mut Iam) {
    for &(rtype, kind, name_prop) in IDENTITIES {
        for r in index.cfn(rtype) {
            identity(index, iam, r, kind, name_prop);
        }
    }
    for r in index.cfn("AWS::IAM::ManagedPolicy") {
        let p = &r.properties;
        let position = index.cfn_position(Target::ManagedPolicy, r.span.file, &r.logical_id);
        iam.policies.push(Policy {
            meta: meta(r),
            kind: PolicyKind::Managed,
            owner: None,
            document: policy::document_at(p, "PolicyDocument", r.span, index),
        });
        for to in members(index, p) {
            iam.attachments.push(Attachment {
                meta: meta(r),
                // Attaching by listing identities names no ARN: the policy is this resource.
                policy_arn: Value::unknown(r.span),
                policy: position,
                to,
            });
        }
    }
    for r in index.cfn("AWS::IAM::Policy") {
        let p = &r.properties;
        let document = || policy::document_at(p, "PolicyDocument", r.span, index);
        let owners = members(index, p);
        if owners.is_empty() {
            iam.policies.push(Policy {
                meta: meta(r),
                kind: PolicyKind::Inline,
                owner: None,
                document: document(),
            });
        }
        for owner in owners {
            iam.policies.push(Policy {
                meta: meta(r),
                kind: PolicyKind::Inline,
                owner: Some(owner),
                document: document(),
            });
        }
    }
    for r in index.cfn("AWS::IAM::UserToGroupAddition") {
        let p = &r.properties;
        let group = index.link_at(Target::Group, p, "GroupName", r.span);
        for u in attr(p, "Users").map_or_else(Vec::new, Node::one_or_many) {
            iam.memberships.push(Membership {
                meta: meta(r),
                user: index.link(Target::User, u),
                group: group.clone(),
            });
        }
    }
    for r in index.cfn("AWS::IAM::AccessKey") {
        let p = &r.properties;
        iam.access_keys.push(AccessKey {
            meta: meta(r),
            user: index.link_at(Target::User, p, "UserName", r.span),
            status: read::string_or(p, "Status", "Active", r.span),
        });
    }
    for r in index.cfn("AWS::IAM::OIDCProvider") {
        let p = &r.properties;
        iam.oidc_providers.push(OidcProvider {
            meta: meta(r),
            url: read::string_at(p, "Url", r.span),
            client_ids: read::strings_at(p, "ClientIdList"),
        });
    }
    for r in index.cfn("AWS::IAM::InstanceProfile") {
        let p = &r.properties;
        // `Roles` is a list of at most one role name; an unknown list links to nothing known.
        let role = match items(p, "Roles") {
            Ok(roles) => roles.first().map(|n| index.link(Target::Role, n)),
            Err(span) => Some(Link::unknown(span)),
        };
        iam.instance_profiles.push(InstanceProfile {
            meta: meta(r),
            name: read::opt_string(p, "InstanceProfileName", r.span),
            role,
        });
    }
}

/// One role, user or group with its inline policies, managed policy ARNs and (users)
/// group memberships.
fn identity(index: &Index<'_>, iam: &mut Iam, r: &Resource, kind: IdentityKind, name_prop: &str) {
    let p = &r.properties;
    let i = match kind {
        IdentityKind::Role => iam.roles.len(),
        IdentityKind::User => iam.users.len(),
        IdentityKind::Group => iam.groups.len(),
    };
    let owner = || IdentityLink {
        kind,
        link: Link::parent(i, &r.logical_id, r.span),
    };
    match items(p, "Policies") {
        Ok(list) => {
            for item in list {
                iam.policies.push(Policy {
                    meta: meta(r),
                    kind: PolicyKind::Inline,
                    owner: Some(owner()),
                    document: policy::document_at(item, "PolicyDocument", item.span, index),
                });
            }
        }
        Err(span) => iam.policies.push(Policy {
            meta: meta(r),
            kind: PolicyKind::Inline,
            owner: Some(owner()),
            document: Value::unknown(span),
        }),
    }
    if let Ok(arns) = items(p, "ManagedPolicyArns") {
        for arn in arns {
            iam.attachments.push(Attachment {
                meta: meta(r),
                policy_arn: read::string(arn),
                policy: index.link(Target::ManagedPolicy, arn).target,
                to: owner(),
            });
        }
    }
    if kind == IdentityKind::User {
        for g in items(p, "Groups").unwrap_or_default() {
            iam.memberships.push(Membership {
                meta: meta(r),
                user: Link::parent(i, &r.logical_id, r.span),
                group: index.link(Target::Group, g),
            });
        }
    }
    let name = read::string_at(p, name_prop, r.span);
    match kind {
        IdentityKind::Role => iam.roles.push(Role {
            meta: meta(r),
            name,
            trust: policy::document_at(p, "AssumeRolePolicyDocument", r.span, index),
        }),
        IdentityKind::User => iam.users.push(User {
            meta: meta(r),
            name,
        }),
        IdentityKind::Group => iam.groups.push(Group {
            meta: meta(r),
            name,
        }),
    }
}

/// The identities listed in `Roles`, `Users` and `Groups` (by name, or `Ref` to the
/// identity in the template).
fn members(index: &Index<'_>, p: &Node) -> Vec<IdentityLink> {
    let mut out = Vec::new();
    for &(key, kind) in MEMBERS {
        for who in items(p, key).unwrap_or_default() {
            out.push(IdentityLink {
                kind,
                link: index.link(target_of(kind), who),
            });
        }
    }
    out
}
