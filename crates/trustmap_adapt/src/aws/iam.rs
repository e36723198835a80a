//! IAM identities, policies, attachments, access keys and OIDC providers.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::iam::{
    AccessKey, Attachment, Group, Iam, IdentityKind, IdentityLink, InstanceProfile, Membership,
    OidcProvider, Policy, PolicyKind, Role, User,
};
use trustmap_source::{Span, Via, ViaKind};
use trustmap_syntax::Node;
use trustmap_terraform::{Mode, TfResource};

use super::join::{Index, Target};
use super::policy;
use super::read::{self, attr, blocks, meta};

/// Separate inline-policy resources: type, argument naming the identity, identity kind.
const INLINE_POLICIES: &[(&str, &str, IdentityKind)] = &[
    ("aws_iam_role_policy", "role", IdentityKind::Role),
    ("aws_iam_user_policy", "user", IdentityKind::User),
    ("aws_iam_group_policy", "group", IdentityKind::Group),
];

/// One-to-one attachment resources: type, argument naming the identity, identity kind.
const ATTACHMENTS: &[(&str, &str, IdentityKind)] = &[
    ("aws_iam_role_policy_attachment", "role", IdentityKind::Role),
    ("aws_iam_user_policy_attachment", "user", IdentityKind::User),
    (
        "aws_iam_group_policy_attachment",
        "group",
        IdentityKind::Group,
    ),
];

/// `aws_iam_policy_attachment` lists identities of every kind.
const MULTI_ATTACHMENT_LISTS: &[(&str, IdentityKind)] = &[
    ("roles", IdentityKind::Role),
    ("users", IdentityKind::User),
    ("groups", IdentityKind::Group),
];

pub(crate) fn adapt(index: &Index<'_>) -> Iam {
    let mut iam = Iam::default();
    for r in index.managed("aws_iam_role") {
        role(&mut iam, r, index);
    }
    for r in index.managed("aws_iam_user") {
        iam.users.push(User {
            meta: meta(r),
            name: read::string_at(&r.body, "name", r.span),
        });
    }
    for r in index.managed("aws_iam_group") {
        iam.groups.push(Group {
            meta: meta(r),
            name: read::string_at(&r.body, "name", r.span),
        });
    }
    for r in index.managed("aws_iam_policy") {
        iam.policies.push(Policy {
            meta: meta(r),
            kind: PolicyKind::Managed,
            owner: None,
            document: policy::document_at(&r.body, "policy", r.span, index),
        });
    }
    for &(rtype, arg, kind) in INLINE_POLICIES {
        for r in index.managed(rtype) {
            iam.policies.push(Policy {
                meta: meta(r),
                kind: PolicyKind::Inline,
                owner: Some(identity(index, kind, &r.body, arg, r.span)),
                document: policy::document_at(&r.body, "policy", r.span, index),
            });
        }
    }
    for &(rtype, arg, kind) in ATTACHMENTS {
        for r in index.managed(rtype) {
            if let Some(arn) = attr(&r.body, "policy_arn") {
                let to = identity(index, kind, &r.body, arg, r.span);
                iam.attachments.push(attachment(r, arn, to, index));
            }
        }
    }
    for r in index.managed("aws_iam_policy_attachment") {
        let Some(arn) = attr(&r.body, "policy_arn") else {
            continue;
        };
        for &(list, kind) in MULTI_ATTACHMENT_LISTS {
            for who in attr(&r.body, list).map_or_else(Vec::new, Node::one_or_many) {
                let to = IdentityLink {
                    kind,
                    link: index.link(target_of(kind), who),
                };
                iam.attachments.push(attachment(r, arn, to, index));
            }
        }
    }
    for r in index.managed("aws_iam_access_key") {
        iam.access_keys.push(AccessKey {
            meta: meta(r),
            user: index.link_at(Target::User, &r.body, "user", r.span),
            status: read::string_or(&r.body, "status", "Active", r.span),
        });
    }
    for r in index.managed("aws_iam_user_group_membership") {
        let user = index.link_at(Target::User, &r.body, "user", r.span);
        for g in attr(&r.body, "groups").map_or_else(Vec::new, Node::one_or_many) {
            iam.memberships.push(Membership {
                meta: meta(r),
                user: user.clone(),
                group: index.link(Target::Group, g),
            });
        }
    }
    for r in index.managed("aws_iam_group_membership") {
        let group = index.link_at(Target::Group, &r.body, "group", r.span);
        for u in attr(&r.body, "users").map_or_else(Vec::new, Node::one_or_many) {
            iam.memberships.push(Membership {
                meta: meta(r),
                user: index.link(Target::User, u),
                group: group.clone(),
            });
        }
    }
    for mode in [Mode::Managed, Mode::Data] {
        for r in index.of(mode, "aws_iam_openid_connect_provider") {
            iam.oidc_providers.push(OidcProvider {
                meta: meta(r),
                url: read::string_at(&r.body, "url", r.span),
                client_ids: read::strings_at(&r.body, "client_id_list"),
            });
        }
    }
    for r in index.managed("aws_iam_instance_profile") {
        iam.instance_profiles.push(InstanceProfile {
            meta: meta(r),
            name: read::opt_string(&r.body, "name", r.span),
            role: attr(&r.body, "role").map(|n| index.link(Target::Role, n)),
        });
    }
    super::cloudformation::iam::adapt(index, &mut iam);
    index_attachments(&mut iam);
    iam
}

/// Attachments are joined to a managed policy's position in the join table (its rank among
/// the managed policies); rules look policies up in [`Iam::policies`], where inline ones come
/// first, so the position becomes that index.
fn index_attachments(iam: &mut Iam) {
    let managed: Vec<usize> = iam
        .policies
        .iter()
        .enumerate()
        .filter(|(_, p)| p.kind == PolicyKind::Managed)
        .map(|(i, _)| i)
        .collect();
    for a in &mut iam.attachments {
        a.policy = a.policy.and_then(|rank| managed.get(rank).copied());
    }
}

/// The role, its `inline_policy` blocks and its `managed_policy_arns`.
fn role(iam: &mut Iam, r: &TfResource, index: &Index<'_>) {
    let i = iam.roles.len();
    let b = &r.body;
    let owner = || IdentityLink {
        kind: IdentityKind::Role,
        link: Link::parent(i, &r.address, r.span),
    };
    for p in blocks(b, "inline_policy").known() {
        // An empty `inline_policy {}` only tells Terraform to remove unmanaged policies.
        if let Some(doc) = attr(p, "policy") {
            iam.policies.push(Policy {
                meta: meta(r),
                kind: PolicyKind::Inline,
                owner: Some(owner()),
                document: policy::document(doc, index),
            });
        }
    }
    if let Some(arns) = attr(b, "managed_policy_arns").filter(|n| !n.is_unknown()) {
        for arn in arns.one_or_many() {
            iam.attachments.push(attachment(r, arn, owner(), index));
        }
    }
    iam.roles.push(Role {
        meta: meta(r),
        name: read::string_at(b, "name", r.span),
        trust: policy::document_at(b, "assume_role_policy", r.span, index),
    });
}

fn target_of(kind: IdentityKind) -> Target {
    match kind {
        IdentityKind::Role => Target::Role,
        IdentityKind::User => Target::User,
        IdentityKind::Group => Target::Group,
    }
}

fn identity(
    index: &Index<'_>,
    kind: IdentityKind,
    body: &Node,
    arg: &str,
    at: Span,
) -> IdentityLink {
    IdentityLink {
        kind,
        link: index.link_at(target_of(kind), body, arg, at),
    }
}

fn attachment(r: &TfResource, arn: &Node, to: IdentityLink, index: &Index<'_>) -> Attachment {
    Attachment {
        meta: meta(r),
        policy_arn: policy_arn(arn, index),
        policy: index.link(Target::ManagedPolicy, arn).target,
        to,
    }
}

/// The ARN an attachment names. A reference to `data "aws_iam_policy"` is resolved through
/// the data source's `arn`, or its `name` for AWS-managed policies, and keeps the data
/// source as a provenance hop.
fn policy_arn(n: &Node, index: &Index<'_>) -> Value<String> {
    let Some((address, _)) = n.as_ref_target() else {
        return read::string(n);
    };
    let data = index
        .resource(address)
        .filter(|d| d.mode == Mode::Data && d.rtype == "aws_iam_policy");
    let resolved = data.and_then(|d| {
        let arn = attr(&d.body, "arn")
            .and_then(Node::as_str)
            .map(str::to_string);
        let by_name = || {
            attr(&d.body, "name")
                .and_then(Node::as_str)
                .map(|name| format!("arn:aws:iam::aws:policy/{name}"))
        };
        Some((arn.or_else(by_name)?, d))
    });
    match resolved {
        Some((arn, d)) => {
            let mut via = vec![Via {
                kind: ViaKind::Other {
                    note: format!("data source `{}`", d.address),
                },
                span: d.span,
            }];
            via.extend(n.via.iter().cloned());
            Value::explicit(arn, n.span).with_via(via)
        }
        None => read::string(n),
    }
}
