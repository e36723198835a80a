//! `AWS::S3::Bucket` (with its `AccessControl`, `PublicAccessBlockConfiguration`,
//! `BucketEncryption` and `LoggingConfiguration`) and `AWS::S3::BucketPolicy`.

use trustmap_model::Value;
use trustmap_model::aws::Link;
use trustmap_model::aws::s3::{
    Bucket, BucketAcl, BucketEncryption, BucketLogging, BucketParts, BucketPolicy, EncryptionRule,
    PublicAccessBlock, S3,
};
use trustmap_syntax::Node;

use super::{Object, items, meta, object};
use crate::aws::join::{Index, Target};
use crate::aws::policy;
use crate::aws::read::{self, attr};

/// CloudFormation's `AccessControl` names → S3's canned ACL names (what the model and
/// Terraform use).
const CANNED: &[(&str, &str)] = &[
    ("Private", "private"),
    ("PublicRead", "public-read"),
    ("PublicReadWrite", "public-read-write"),
    ("AuthenticatedRead", "authenticated-read"),
    ("LogDeliveryWrite", "log-delivery-write"),
    ("BucketOwnerRead", "bucket-owner-read"),
    ("BucketOwnerFullControl", "bucket-owner-full-control"),
    ("AwsExecRead", "aws-exec-read"),
];

/// Appends the buckets and their parts, and the bucket policies.
pub(in crate::aws) fn adapt(index: &Index<'_>, s3: &mut S3) {
    for r in index.cfn("AWS::S3::Bucket") {
        let i = s3.buckets.len();
        let p = &r.properties;
        let m = meta(r);
        let parent = || Link::parent(i, &r.logical_id, r.span);
        if let Some(acl) = attr(p, "AccessControl") {
            s3.acls.push(BucketAcl {
                meta: m.clone(),
                bucket: parent(),
                canned: Some(read::string(acl).map(|a| canned(&a))),
                grants: Vec::new(),
            });
        }
        match object(p, "PublicAccessBlockConfiguration") {
            Object::Absent => {}
            Object::Known(b) => {
                let flag = |k| read::bool_or(b, k, false, b.span);
                s3.public_access_blocks.push(PublicAccessBlock {
                    meta: m.clone(),
                    bucket: Some(parent()),
                    block_public_acls: flag("BlockPublicAcls"),
                    block_public_policy: flag("BlockPublicPolicy"),
                    ignore_public_acls: flag("IgnorePublicAcls"),
                    restrict_public_buckets: flag("RestrictPublicBuckets"),
                });
            }
            Object::Unknown(span) => s3.public_access_blocks.push(PublicAccessBlock {
                meta: m.clone(),
                bucket: Some(parent()),
                block_public_acls: Value::unknown(span),
                block_public_policy: Value::unknown(span),
                ignore_public_acls: Value::unknown(span),
                restrict_public_buckets: Value::unknown(span),
            }),
        }
        match object(p, "BucketEncryption") {
            Object::Absent => {}
            Object::Known(e) => s3.encryptions.push(BucketEncryption {
                meta: m.clone(),
                bucket: parent(),
                span: e.span,
                rules: encryption_rules(e),
            }),
            Object::Unknown(span) => s3.encryptions.push(BucketEncryption {
                meta: m.clone(),
                bucket: parent(),
                span,
                rules: Vec::new(),
            }),
        }
        if let Some(logging) = attr(p, "LoggingConfiguration") {
            // Without a destination, S3 writes the logs into the bucket itself.
            let target = attr(logging, "DestinationBucketName").map_or_else(
                || Link::parent(i, &r.logical_id, logging.span),
                |n| index.link(Target::Bucket, n),
            );
            s3.loggings.push(BucketLogging {
                meta: m.clone(),
                bucket: parent(),
                target,
            });
        }
        s3.buckets.push(Bucket {
            meta: m,
            name: read::string_at(p, "BucketName", r.span),
            parts: BucketParts::default(),
        });
    }
    for r in index.cfn("AWS::S3::BucketPolicy") {
        let p = &r.properties;
        s3.policies.push(BucketPolicy {
            meta: meta(r),
            bucket: index.link_at(Target::Bucket, p, "Bucket", r.span),
            document: policy::document_at(p, "PolicyDocument", r.span, index),
        });
    }
}

fn canned(acl: &str) -> String {
    CANNED
        .iter()
        .find(|(cfn, _)| *cfn == acl)
        .map_or_else(|| acl.to_string(), |(_, s3)| (*s3).to_string())
}

/// `ServerSideEncryptionConfiguration: [{ServerSideEncryptionByDefault: {SSEAlgorithm,
/// KMSMasterKeyID}}]`.
fn encryption_rules(config: &Node) -> Vec<EncryptionRule> {
    let Ok(rules) = items(config, "ServerSideEncryptionConfiguration") else {
        return vec![EncryptionRule {
            span: config.span,
            algorithm: Value::unknown(config.span),
            kms_key: Value::unknown(config.span),
        }];
    };
    rules
        .into_iter()
        .map(|rule| match object(rule, "ServerSideEncryptionByDefault") {
            Object::Known(d) => EncryptionRule {
                span: rule.span,
                algorithm: read::string_at(d, "SSEAlgorithm", d.span),
                kms_key: read::opt_string(d, "KMSMasterKeyID", d.span),
            },
            _ => EncryptionRule {
                span: rule.span,
                algorithm: Value::unknown(rule.span),
                kms_key: Value::unknown(rule.span),
            },
        })
        .collect()
}
