//! S3 buckets and their parts, inline (older provider versions) or as separate resources.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::s3::{
    AclGrant, Bucket, BucketAcl, BucketEncryption, BucketLogging, BucketParts, BucketPolicy,
    EncryptionRule, PublicAccessBlock, S3,
};
use trustmap_syntax::Node;
use trustmap_terraform::TfResource;

use super::join::{Index, Target};
use super::policy;
use super::read::{self, Blocks, attr, blocks, meta};

pub(crate) fn adapt(index: &Index<'_>) -> S3 {
    let mut s3 = S3::default();
    for r in index.managed("aws_s3_bucket") {
        inline_parts(&mut s3, r, index);
    }
    for r in index.managed("aws_s3_bucket_acl") {
        let b = &r.body;
        let grants = blocks(b, "access_control_policy")
            .first()
            .map(|acp| {
                blocks(acp, "grant")
                    .known()
                    .iter()
                    .map(|g| policy_grant(g))
                    .collect()
            })
            .unwrap_or_default();
        s3.acls.push(BucketAcl {
            meta: meta(r),
            bucket: index.link_at(Target::Bucket, b, "bucket", r.span),
            canned: attr(b, "acl").map(read::string),
            grants,
        });
    }
    for r in index.managed("aws_s3_bucket_policy") {
        s3.policies.push(BucketPolicy {
            meta: meta(r),
            bucket: index.link_at(Target::Bucket, &r.body, "bucket", r.span),
            document: policy::document_at(&r.body, "policy", r.span, index),
        });
    }
    for r in index.managed("aws_s3_bucket_public_access_block") {
        let bucket = index.link_at(Target::Bucket, &r.body, "bucket", r.span);
        s3.public_access_blocks.push(access_block(r, Some(bucket)));
    }
    for r in index.managed("aws_s3_account_public_access_block") {
        s3.public_access_blocks.push(access_block(r, None));
    }
    for r in index.managed("aws_s3_bucket_server_side_encryption_configuration") {
        s3.encryptions.push(BucketEncryption {
            meta: meta(r),
            bucket: index.link_at(Target::Bucket, &r.body, "bucket", r.span),
            span: r.span,
            rules: encryption_rules(&r.body),
        });
    }
    for r in index.managed("aws_s3_bucket_logging") {
        s3.loggings.push(BucketLogging {
            meta: meta(r),
            bucket: index.link_at(Target::Bucket, &r.body, "bucket", r.span),
            target: index.link_at(Target::Bucket, &r.body, "target_bucket", r.span),
        });
    }
    super::cloudformation::s3::adapt(index, &mut s3);
    s3.index_parts();
    // The provider default: a bucket nobody gives an ACL is private.
    let defaults: Vec<BucketAcl> = s3
        .buckets
        .iter()
        .enumerate()
        .filter(|(_, b)| b.parts.acls.is_empty())
        .map(|(i, bucket)| BucketAcl {
            meta: bucket.meta.clone(),
            bucket: Link::parent(i, &bucket.meta.address, bucket.meta.span),
            canned: Some(Value::default_at("private".to_string(), bucket.meta.span)),
            grants: Vec::new(),
        })
        .collect();
    s3.acls.extend(defaults);
    s3.index_parts();
    s3
}

/// The bucket, and the arguments older provider versions accepted inline.
fn inline_parts(s3: &mut S3, r: &TfResource, index: &Index<'_>) {
    let i = s3.buckets.len();
    let b = &r.body;
    let m = meta(r);
    let parent = || Link::parent(i, &r.address, r.span);
    let grants: Vec<AclGrant> = blocks(b, "grant")
        .known()
        .iter()
        .map(|g| inline_grant(g))
        .collect();
    if attr(b, "acl").is_some() || !grants.is_empty() {
        s3.acls.push(BucketAcl {
            meta: m.clone(),
            bucket: parent(),
            canned: attr(b, "acl").map(read::string),
            grants,
        });
    }
    if let Some(p) = attr(b, "policy") {
        s3.policies.push(BucketPolicy {
            meta: m.clone(),
            bucket: parent(),
            document: policy::document(p, index),
        });
    }
    match blocks(b, "server_side_encryption_configuration") {
        Blocks::Absent => {}
        Blocks::Known(list) => {
            for sse in list {
                s3.encryptions.push(BucketEncryption {
                    meta: m.clone(),
                    bucket: parent(),
                    span: sse.span,
                    rules: encryption_rules(sse),
                });
            }
        }
        Blocks::Unknown(span) => s3.encryptions.push(BucketEncryption {
            meta: m.clone(),
            bucket: parent(),
            span,
            rules: Vec::new(),
        }),
    }
    for logging in blocks(b, "logging").known() {
        s3.loggings.push(BucketLogging {
            meta: m.clone(),
            bucket: parent(),
            target: index.link_at(Target::Bucket, logging, "target_bucket", logging.span),
        });
    }
    s3.buckets.push(Bucket {
        name: read::string_at(b, "bucket", r.span),
        meta: m,
        parts: BucketParts::default(),
    });
}

/// `grant { grantee { type, uri } permission }` of `aws_s3_bucket_acl`.
fn policy_grant(g: &Node) -> AclGrant {
    let grantee = blocks(g, "grantee").first();
    AclGrant {
        span: g.span,
        grantee_type: grantee.map_or_else(
            || trustmap_model::Value::unknown(g.span),
            |e| read::string_at(e, "type", e.span),
        ),
        uri: grantee.map_or_else(
            || trustmap_model::Value::unknown(g.span),
            |e| read::opt_string(e, "uri", e.span),
        ),
        permissions: attr(g, "permission").map(read::strings).unwrap_or_default(),
    }
}

/// `grant { type, uri, permissions = [...] }` inline in `aws_s3_bucket`.
fn inline_grant(g: &Node) -> AclGrant {
    AclGrant {
        span: g.span,
        grantee_type: read::string_at(g, "type", g.span),
        uri: read::opt_string(g, "uri", g.span),
        permissions: read::strings_at(g, "permissions"),
    }
}

/// The four flags default to `false` when omitted (provider documentation).
fn access_block(r: &TfResource, bucket: Option<Link>) -> PublicAccessBlock {
    let b = &r.body;
    let flag = |k| read::bool_or(b, k, false, r.span);
    PublicAccessBlock {
        meta: meta(r),
        bucket,
        block_public_acls: flag("block_public_acls"),
        block_public_policy: flag("block_public_policy"),
        ignore_public_acls: flag("ignore_public_acls"),
        restrict_public_buckets: flag("restrict_public_buckets"),
    }
}

/// `rule { apply_server_side_encryption_by_default { sse_algorithm, kms_master_key_id } }`.
fn encryption_rules(config: &Node) -> Vec<EncryptionRule> {
    blocks(config, "rule")
        .known()
        .iter()
        .map(
            |rule| match blocks(rule, "apply_server_side_encryption_by_default").first() {
                Some(d) => EncryptionRule {
                    span: rule.span,
                    algorithm: read::string_at(d, "sse_algorithm", d.span),
                    kms_key: read::opt_string(d, "kms_master_key_id", d.span),
                },
                None => EncryptionRule {
                    span: rule.span,
                    algorithm: Value::unknown(rule.span),
                    kms_key: Value::unknown(rule.span),
                },
            },
        )
        .collect()
}
