//! IAM identities, the policies granted to them and the ways they can be reached: trust
//! policies, OIDC providers and long-lived access keys.

use super::Link;
use super::policy::PolicyDocument;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Iam {
    pub roles: Vec<Role>,
    pub users: Vec<User>,
    pub groups: Vec<Group>,
    /// Identity-based policies: managed (`aws_iam_policy`) and inline (`inline_policy`
    /// blocks, `aws_iam_role_policy`, `aws_iam_user_policy`, `aws_iam_group_policy`).
    pub policies: Vec<Policy>,
    /// Managed policies attached to roles, users and groups, one per (policy, identity).
    pub attachments: Vec<Attachment>,
    pub access_keys: Vec<AccessKey>,
    pub oidc_providers: Vec<OidcProvider>,
    /// Users' group memberships, one per (user, group): a user holds its groups' policies.
    pub memberships: Vec<Membership>,
    /// Instance profiles: the role an EC2 instance's code runs as.
    pub instance_profiles: Vec<InstanceProfile>,
}

impl Iam {
    /// The identity an inline policy or attachment belongs to, as `(kind, meta)`.
    pub fn identity(&self, to: &IdentityLink) -> Option<&ResourceMeta> {
        let i = to.link.target?;
        match to.kind {
            IdentityKind::Role => self.roles.get(i).map(|r| &r.meta),
            IdentityKind::User => self.users.get(i).map(|u| &u.meta),
            IdentityKind::Group => self.groups.get(i).map(|g| &g.meta),
        }
    }
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Role {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// `assume_role_policy`: who may assume the role.
    pub trust: Value<PolicyDocument>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct User {
    pub meta: ResourceMeta,
    pub name: Value<String>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Group {
    pub meta: ResourceMeta,
    pub name: Value<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, schemars::JsonSchema)]
pub enum IdentityKind {
    Role,
    User,
    Group,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Role => "role",
            IdentityKind::User => "user",
            IdentityKind::Group => "group",
        }
    }
}

/// A link to a role, user or group.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct IdentityLink {
    pub kind: IdentityKind,
    pub link: Link,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum PolicyKind {
    /// A customer-managed policy (`aws_iam_policy`): attached through [`Attachment`]s.
    Managed,
    /// Embedded in one identity.
    Inline,
}

/// An identity-based policy.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Policy {
    /// The resource that declares the document (the role itself for an `inline_policy` block).
    pub meta: ResourceMeta,
    pub kind: PolicyKind,
    /// For inline policies, the identity that holds it.
    pub owner: Option<IdentityLink>,
    pub document: Value<PolicyDocument>,
}

/// A managed policy attached to an identity (`aws_iam_role_policy_attachment`,
/// `aws_iam_policy_attachment`, `managed_policy_arns`, ...).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Attachment {
    /// The resource that declares the attachment.
    pub meta: ResourceMeta,
    /// The policy ARN, spanned at the argument (or list element) that names it. A reference
    /// to a `data "aws_iam_policy"` that names an AWS-managed policy is resolved to its ARN.
    pub policy_arn: Value<String>,
    /// The customer-managed policy, when the scan defines it: its index in [`Iam::policies`].
    pub policy: Option<usize>,
    pub to: IdentityLink,
}

impl Attachment {
    /// The policy's name when the ARN is an AWS-managed policy
    /// (`arn:aws:iam::aws:policy/AdministratorAccess` → `AdministratorAccess`).
    pub fn aws_managed_name(&self) -> Option<&str> {
        aws_managed_policy_name(self.policy_arn.get()?)
    }
}

/// `arn:<partition>:iam::aws:policy/<path/>Name` → `Name`.
pub fn aws_managed_policy_name(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (arn_, _partition, service, region, account, rest) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if arn_ != "arn" || service != "iam" || !region.is_empty() || account != "aws" {
        return None;
    }
    rest.strip_prefix("policy/")?.rsplit('/').next()
}

/// An instance profile (`aws_iam_instance_profile`, `AWS::IAM::InstanceProfile`): the
/// container through which an EC2 instance gets a role's credentials from its metadata
/// service.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct InstanceProfile {
    pub meta: ResourceMeta,
    pub name: Value<Option<String>>,
    /// The role it holds (a profile holds at most one).
    pub role: Option<Link>,
}

/// A user's membership of a group (`aws_iam_user_group_membership`,
/// `aws_iam_group_membership`).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Membership {
    pub meta: ResourceMeta,
    pub user: Link,
    pub group: Link,
}

/// A long-lived access key (`aws_iam_access_key`).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AccessKey {
    pub meta: ResourceMeta,
    pub user: Link,
    /// `Active` (the default) or `Inactive`.
    pub status: Value<String>,
}

/// An IAM OIDC identity provider (`aws_iam_openid_connect_provider`, or the data source).
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct OidcProvider {
    pub meta: ResourceMeta,
    pub url: Value<String>,
    pub client_ids: Vec<Value<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_managed_names() {
        assert_eq!(
            aws_managed_policy_name("arn:aws:iam::aws:policy/AdministratorAccess"),
            Some("AdministratorAccess")
        );
        assert_eq!(
            aws_managed_policy_name("arn:aws-us-gov:iam::aws:policy/job-function/ViewOnlyAccess"),
            Some("ViewOnlyAccess")
        );
        assert_eq!(
            aws_managed_policy_name("arn:aws:iam::123456789012:policy/Admin"),
            None
        );
    }
}
