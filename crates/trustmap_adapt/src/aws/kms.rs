//! KMS keys and key policies (inline or `aws_kms_key_policy`).

use trustmap_model::aws::kms::{Key, Kms};

use super::join::{Index, Target};
use super::policy::{inline_resource_policy, separate_resource_policies};
use super::read::{self, meta};

pub(crate) fn adapt(index: &Index<'_>) -> Kms {
    let mut kms = Kms::default();
    for (i, r) in index.managed("aws_kms_key").iter().enumerate() {
        let b = &r.body;
        kms.policies.extend(inline_resource_policy(r, i, index));
        kms.keys.push(Key {
            meta: meta(r),
            spec: read::string_or(b, "customer_master_key_spec", "SYMMETRIC_DEFAULT", r.span),
            usage: read::string_or(b, "key_usage", "ENCRYPT_DECRYPT", r.span),
            rotation: read::bool_or(b, "enable_key_rotation", false, r.span),
        });
    }
    kms.policies.extend(separate_resource_policies(
        index,
        "aws_kms_key_policy",
        Target::KmsKey,
        "key_id",
    ));
    super::cloudformation::kms::adapt(index, &mut kms);
    kms
}
