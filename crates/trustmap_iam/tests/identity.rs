//! The identity policies of a principal, gathered from the model: inline, attached
//! (customer- and AWS-managed) and inherited from groups.

mod common;

use common::doc;
use trustmap_iam::aws::for_identity;
use trustmap_iam::{Access, Decision, Target};
use trustmap_model::aws::iam::{
    Attachment, Group, Iam, IdentityKind, IdentityLink, Membership, Policy, PolicyKind, Role, User,
};
use trustmap_model::{Language, Link, ResourceMeta, Value};
use trustmap_source::{FileId, Span};

fn meta(address: &str) -> ResourceMeta {
    ResourceMeta {
        address: address.into(),
        language: Language::Terraform,
        span: Span::new(FileId(1), 0, 1),
        via: Vec::new(),
    }
}

fn link(target: usize) -> Link {
    Link::parent(target, "x", Span::default())
}

fn to(kind: IdentityKind, index: usize) -> IdentityLink {
    IdentityLink {
        kind,
        link: link(index),
    }
}

fn iam() -> Iam {
    let s = |x: &str| Value::explicit(x.to_string(), Span::default());
    Iam {
        roles: vec![Role {
            meta: meta("aws_iam_role.app"),
            name: s("app"),
            trust: Value::unknown(Span::default()),
        }],
        users: vec![User {
            meta: meta("aws_iam_user.dev"),
            name: s("dev"),
        }],
        groups: vec![Group {
            meta: meta("aws_iam_group.readers"),
            name: s("readers"),
        }],
        policies: vec![
            Policy {
                meta: meta("aws_iam_role_policy.app"),
                kind: PolicyKind::Inline,
                owner: Some(to(IdentityKind::Role, 0)),
                document: Value::explicit(
                    doc(r#"{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}"#),
                    Span::default(),
                ),
            },
            Policy {
                meta: meta("aws_iam_policy.secrets"),
                kind: PolicyKind::Managed,
                owner: None,
                document: Value::explicit(
                    doc(
                        r#"{"Effect":"Allow","Action":"secretsmanager:GetSecretValue","Resource":"*"}"#,
                    ),
                    Span::default(),
                ),
            },
        ],
        attachments: vec![
            Attachment {
                meta: meta("aws_iam_role_policy_attachment.secrets"),
                policy_arn: Value::unknown(Span::default()),
                policy: Some(1),
                to: to(IdentityKind::Role, 0),
            },
            Attachment {
                meta: meta("aws_iam_group_policy_attachment.s3"),
                policy_arn: Value::explicit(
                    "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess".into(),
                    Span::new(FileId(1), 500, 540),
                ),
                policy: None,
                to: to(IdentityKind::Group, 0),
            },
            Attachment {
                meta: meta("aws_iam_role_policy_attachment.custom"),
                policy_arn: Value::explicit(
                    "arn:aws:iam::111122223333:policy/elsewhere".into(),
                    Span::new(FileId(1), 600, 640),
                ),
                policy: None,
                to: to(IdentityKind::Role, 0),
            },
        ],
        access_keys: Vec::new(),
        oidc_providers: Vec::new(),
        memberships: vec![Membership {
            meta: meta("aws_iam_user_group_membership.dev"),
            user: link(0),
            group: link(0),
        }],
        instance_profiles: Vec::new(),
    }
}

const SECRET: &str = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-x";

#[test]
fn a_role_holds_its_inline_and_attached_policies() {
    let iam = iam();
    let role = for_identity(&iam, IdentityKind::Role, 0);
    assert!(
        role.decide("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q")
            .is_allowed()
    );
    assert!(
        role.decide("secretsmanager:GetSecretValue", SECRET)
            .is_allowed()
    );
    assert_eq!(
        role.unknown_policies().len(),
        1,
        "the policy outside the scan"
    );
    // What is not granted is unknown, since the outside policy might grant it.
    assert!(matches!(
        role.decide("s3:GetObject", "arn:aws:s3:::b/k"),
        Decision::Unknown { .. }
    ));
    let secret = role.access_to(&Target::new(SECRET));
    assert!(
        secret
            .iter()
            .any(|a| a.access == Access::Read && a.unknown.is_none())
    );
}

#[test]
fn a_user_holds_its_groups_policies() {
    let iam = iam();
    let user = for_identity(&iam, IdentityKind::User, 0);
    let Decision::Allow(e) = user.decide("s3:GetObject", "arn:aws:s3:::b/k") else {
        panic!("AmazonS3ReadOnlyAccess through the group");
    };
    assert_eq!(
        e.statement,
        Span::new(FileId(1), 500, 540),
        "located at the attachment"
    );
    assert_eq!(
        user.decide("s3:PutObject", "arn:aws:s3:::b/k"),
        Decision::NotAllowed
    );
    assert_eq!(
        user.decide("sqs:SendMessage", "arn:aws:sqs:eu-west-1:1:q"),
        Decision::NotAllowed
    );
    assert!(user.unknown_policies().is_empty());
}
