//! S3 buckets and the parts that decide who can reach their objects: ACLs, bucket policies,
//! public access blocks and default encryption; and server access logging.
//!
//! Each part lives in its own list with a [`Link`] to its bucket, whether it was written inline
//! in the bucket (older provider versions) or as a separate resource (`aws_s3_bucket_acl`,
//! ...), so a rule checks one list and covers both forms.

use trustmap_source::Span;

use super::Link;
use super::policy::PolicyDocument;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct S3 {
    /// Buckets; call [`S3::index_parts`] after filling the part lists.
    pub buckets: Vec<Bucket>,
    /// Every ACL, inline or separate; a bucket that sets none gets the provider default
    /// (`private`, located at the bucket).
    pub acls: Vec<BucketAcl>,
    pub policies: Vec<BucketPolicy>,
    /// Bucket-level blocks (`bucket` is `Some`) and account-level blocks (`bucket` is `None`).
    pub public_access_blocks: Vec<PublicAccessBlock>,
    pub encryptions: Vec<BucketEncryption>,
    /// Server access logging, inline `logging` blocks and `aws_s3_bucket_logging`.
    pub loggings: Vec<BucketLogging>,
}

impl S3 {
    /// Records, on each bucket, the positions of the parts linked to it. Adapters call this
    /// once after filling the lists, so lookups below cost nothing per bucket.
    pub fn index_parts(&mut self) {
        let mut parts = vec![BucketParts::default(); self.buckets.len()];
        let mut add = |link: &Link, pick: fn(&mut BucketParts) -> &mut Vec<usize>, i: usize| {
            if let Some(p) = link.target.and_then(|b| parts.get_mut(b)) {
                pick(p).push(i);
            }
        };
        for (i, a) in self.acls.iter().enumerate() {
            add(&a.bucket, |p| &mut p.acls, i);
        }
        for (i, a) in self.policies.iter().enumerate() {
            add(&a.bucket, |p| &mut p.policies, i);
        }
        for (i, a) in self.encryptions.iter().enumerate() {
            add(&a.bucket, |p| &mut p.encryptions, i);
        }
        for (i, a) in self.loggings.iter().enumerate() {
            add(&a.bucket, |p| &mut p.loggings, i);
        }
        let mut account = Vec::new();
        for (i, b) in self.public_access_blocks.iter().enumerate() {
            match &b.bucket {
                Some(l) => add(l, |p| &mut p.public_access_blocks, i),
                None => account.push(i),
            }
        }
        for (bucket, mut p) in self.buckets.iter_mut().zip(parts) {
            p.public_access_blocks.extend(&account);
            bucket.parts = p;
        }
    }

    pub fn acls_of(&self, bucket: usize) -> impl Iterator<Item = &BucketAcl> {
        self.parts_of(bucket, |p| &p.acls, &self.acls)
    }

    pub fn policies_of(&self, bucket: usize) -> impl Iterator<Item = &BucketPolicy> {
        self.parts_of(bucket, |p| &p.policies, &self.policies)
    }

    pub fn encryptions_of(&self, bucket: usize) -> impl Iterator<Item = &BucketEncryption> {
        self.parts_of(bucket, |p| &p.encryptions, &self.encryptions)
    }

    pub fn loggings_of(&self, bucket: usize) -> impl Iterator<Item = &BucketLogging> {
        self.parts_of(bucket, |p| &p.loggings, &self.loggings)
    }

    /// The blocks that apply to a bucket: its own, then every account-level block.
    pub fn blocks_for(&self, bucket: usize) -> impl Iterator<Item = &PublicAccessBlock> {
        self.parts_of(
            bucket,
            |p| &p.public_access_blocks,
            &self.public_access_blocks,
        )
    }

    fn parts_of<'a, T>(
        &'a self,
        bucket: usize,
        pick: fn(&BucketParts) -> &Vec<usize>,
        list: &'a [T],
    ) -> impl Iterator<Item = &'a T> {
        self.buckets
            .get(bucket)
            .map(|b| pick(&b.parts).as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(move |&i| list.get(i))
    }

    /// True when some block that applies to the bucket turns `flag` on.
    pub fn is_blocked(&self, bucket: usize, flag: BlockFlag) -> bool {
        self.blocks_for(bucket).any(|b| b.flag(flag).is_true())
    }

    /// Parts (of any kind) whose bucket could not be resolved: a bucket without its own part
    /// may be the one they belong to.
    pub fn has_unjoined(&self, kind: PartKind) -> bool {
        let unjoined = |l: &Link| l.target.is_none();
        match kind {
            PartKind::Acl => self.acls.iter().any(|a| unjoined(&a.bucket)),
            PartKind::Policy => self.policies.iter().any(|p| unjoined(&p.bucket)),
            PartKind::PublicAccessBlock => self
                .public_access_blocks
                .iter()
                .any(|b| b.bucket.as_ref().is_some_and(unjoined)),
            PartKind::Encryption => self.encryptions.iter().any(|e| unjoined(&e.bucket)),
            PartKind::Logging => self.loggings.iter().any(|l| unjoined(&l.bucket)),
        }
    }
}

/// The kinds of bucket parts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum PartKind {
    Acl,
    Policy,
    PublicAccessBlock,
    Encryption,
    Logging,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Bucket {
    pub meta: ResourceMeta,
    /// The `bucket` name; unknown when generated (`bucket_prefix`, omitted) or computed.
    pub name: Value<String>,
    /// Positions of the parts linked to this bucket, filled by [`S3::index_parts`].
    pub parts: BucketParts,
}

/// Positions, in the [`S3`] lists, of one bucket's parts.
#[derive(Clone, Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct BucketParts {
    pub acls: Vec<usize>,
    pub policies: Vec<usize>,
    /// The bucket's own blocks, then the account-level ones.
    pub public_access_blocks: Vec<usize>,
    pub encryptions: Vec<usize>,
    pub loggings: Vec<usize>,
}

/// An ACL: a canned ACL and/or explicit grants.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BucketAcl {
    /// The resource that declares it (the bucket itself for an inline or default ACL).
    pub meta: ResourceMeta,
    pub bucket: Link,
    /// The canned ACL (`private`, `public-read`, ...); `None` when only grants are given.
    pub canned: Option<Value<String>>,
    pub grants: Vec<AclGrant>,
}

/// One grant of an access control policy.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AclGrant {
    /// The grant block.
    pub span: Span,
    /// `CanonicalUser`, `Group` or `AmazonCustomerByEmail`.
    pub grantee_type: Value<String>,
    /// The group URI for `Group` grantees.
    pub uri: Value<Option<String>>,
    /// `READ`, `WRITE`, `READ_ACP`, `WRITE_ACP`, `FULL_CONTROL`.
    pub permissions: Vec<Value<String>>,
}

/// The predefined groups that make an ACL public.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum PublicGroup {
    /// Anyone on the internet, unauthenticated.
    AllUsers,
    /// Anyone with any AWS account.
    AuthenticatedUsers,
}

impl PublicGroup {
    pub fn as_str(self) -> &'static str {
        match self {
            PublicGroup::AllUsers => "AllUsers",
            PublicGroup::AuthenticatedUsers => "AuthenticatedUsers",
        }
    }
}

impl AclGrant {
    /// The public group this grant is for, if any.
    pub fn public_group(&self) -> Option<PublicGroup> {
        let uri = self.uri.get()?.as_deref()?;
        if uri.ends_with("/global/AllUsers") {
            Some(PublicGroup::AllUsers)
        } else if uri.ends_with("/global/AuthenticatedUsers") {
            Some(PublicGroup::AuthenticatedUsers)
        } else {
            None
        }
    }
}

/// Canned ACLs that grant access beyond the bucket owner's account, and to whom.
pub fn canned_acl_audience(acl: &str) -> Option<PublicGroup> {
    match acl {
        "public-read" | "public-read-write" => Some(PublicGroup::AllUsers),
        "authenticated-read" => Some(PublicGroup::AuthenticatedUsers),
        _ => None,
    }
}

/// A bucket policy, inline or `aws_s3_bucket_policy`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BucketPolicy {
    pub meta: ResourceMeta,
    pub bucket: Link,
    pub document: Value<PolicyDocument>,
}

/// The four S3 Block Public Access settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, schemars::JsonSchema)]
pub enum BlockFlag {
    BlockPublicAcls,
    BlockPublicPolicy,
    IgnorePublicAcls,
    RestrictPublicBuckets,
}

impl BlockFlag {
    pub const ALL: [BlockFlag; 4] = [
        BlockFlag::BlockPublicAcls,
        BlockFlag::BlockPublicPolicy,
        BlockFlag::IgnorePublicAcls,
        BlockFlag::RestrictPublicBuckets,
    ];

    /// The setting's name as Terraform spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            BlockFlag::BlockPublicAcls => "block_public_acls",
            BlockFlag::BlockPublicPolicy => "block_public_policy",
            BlockFlag::IgnorePublicAcls => "ignore_public_acls",
            BlockFlag::RestrictPublicBuckets => "restrict_public_buckets",
        }
    }
}

/// A public access block, for one bucket or (when `bucket` is `None`) the whole account.
/// Every flag defaults to `false` when omitted.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct PublicAccessBlock {
    pub meta: ResourceMeta,
    pub bucket: Option<Link>,
    pub block_public_acls: Value<bool>,
    pub block_public_policy: Value<bool>,
    pub ignore_public_acls: Value<bool>,
    pub restrict_public_buckets: Value<bool>,
}

impl PublicAccessBlock {
    pub fn flag(&self, flag: BlockFlag) -> &Value<bool> {
        match flag {
            BlockFlag::BlockPublicAcls => &self.block_public_acls,
            BlockFlag::BlockPublicPolicy => &self.block_public_policy,
            BlockFlag::IgnorePublicAcls => &self.ignore_public_acls,
            BlockFlag::RestrictPublicBuckets => &self.restrict_public_buckets,
        }
    }

    pub fn is_account_level(&self) -> bool {
        self.bucket.is_none()
    }
}

/// A default-encryption configuration, inline or separate.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BucketEncryption {
    pub meta: ResourceMeta,
    pub bucket: Link,
    /// Where the configuration is written (the inline block or the resource).
    pub span: Span,
    pub rules: Vec<EncryptionRule>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct EncryptionRule {
    pub span: Span,
    /// `AES256`, `aws:kms` or `aws:kms:dsse`.
    pub algorithm: Value<String>,
    pub kms_key: Value<Option<String>>,
}

/// Server access logging of one bucket into a target bucket.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct BucketLogging {
    pub meta: ResourceMeta,
    pub bucket: Link,
    /// Where the logs are written (`target_bucket`), resolved when the scan defines it.
    pub target: Link,
}
