//! Cloud Storage buckets and their ACLs.

use crate::{Link, ResourceMeta, Value};

/// A `google_storage_bucket`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Bucket {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// `uniform_bucket_level_access`; the provider default is `false` (ACLs stay active).
    pub uniform_access: Value<bool>,
    /// `public_access_prevention`: `inherited` (the default: the organization policy
    /// decides) or `enforced`.
    pub public_access_prevention: Value<String>,
}

impl Bucket {
    /// Whether public access prevention is enforced on the bucket itself.
    pub fn prevents_public_access(&self) -> Option<bool> {
        Some(self.public_access_prevention.get()? == "enforced")
    }
}

/// Which ACL an entry belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum AclKind {
    /// The bucket's own ACL (listing and, for `WRITER`, writing objects).
    Bucket,
    /// The default ACL given to objects created in the bucket from now on.
    DefaultObject,
}

/// One ACL entry: `google_storage_bucket_access_control`,
/// `google_storage_default_object_access_control`, one `role_entity` element of
/// `google_storage_bucket_acl`/`google_storage_default_object_acl`, or a predefined ACL
/// (`publicRead`, ...) expanded into the entry it grants.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AclEntry {
    pub meta: ResourceMeta,
    pub bucket: Link,
    pub kind: AclKind,
    /// `allUsers`, `allAuthenticatedUsers`, `user-…`, `group-…`, `project-…`, `domain-…`.
    pub entity: Value<String>,
    /// `READER`, `WRITER` or `OWNER`.
    pub role: Value<String>,
}
