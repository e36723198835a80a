//! `AWS::KMS::Key` with its `KeyPolicy`.

use trustmap_model::aws::Link;
use trustmap_model::aws::kms::{Key, Kms};
use trustmap_model::aws::policy::ResourcePolicy;

use super::meta;
use crate::aws::join::Index;
use crate::aws::policy;
use crate::aws::read::{self, attr};

pub(in crate::aws) fn adapt(index: &Index<'_>, kms: &mut Kms) {
    for r in index.cfn("AWS::KMS::Key") {
        let p = &r.properties;
        let i = kms.keys.len();
        if let Some(doc) = attr(p, "KeyPolicy") {
            kms.policies.push(ResourcePolicy {
                meta: meta(r),
                target: Link::parent(i, &r.logical_id, r.span),
                document: policy::document(doc, index),
            });
        }
        kms.keys.push(Key {
            meta: meta(r),
            spec: read::string_or(p, "KeySpec", "SYMMETRIC_DEFAULT", r.span),
            usage: read::string_or(p, "KeyUsage", "ENCRYPT_DECRYPT", r.span),
            rotation: read::bool_or(p, "EnableKeyRotation", false, r.span),
        });
    }
}
