//! KMS rules: who can use a key, and whether its material rotates.

mod kms_key_policy_public;
mod kms_key_rotation_disabled;

pub(crate) use kms_key_policy_public::KmsKeyPolicyPublic;
pub(crate) use kms_key_rotation_disabled::KmsKeyRotationDisabled;
