//! KMS customer-managed keys: rotation and key policies.

use super::policy::ResourcePolicy;
use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Kms {
    pub keys: Vec<Key>,
    /// Inline `policy` arguments and `aws_kms_key_policy` resources. A key without one gets
    /// the default key policy (the account, through IAM), which is not listed.
    pub policies: Vec<ResourcePolicy>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Key {
    pub meta: ResourceMeta,
    /// `SYMMETRIC_DEFAULT` (default), `RSA_2048`, `ECC_NIST_P256`, `HMAC_256`, ...
    pub spec: Value<String>,
    /// `ENCRYPT_DECRYPT` (default), `SIGN_VERIFY`, `GENERATE_VERIFY_MAC`, `KEY_AGREEMENT`.
    pub usage: Value<String>,
    /// Automatic yearly rotation of the key material (`enable_key_rotation`, default `false`).
    pub rotation: Value<bool>,
}

impl Key {
    /// KMS rotates only symmetric encryption keys (`None`: cannot tell).
    pub fn supports_rotation(&self) -> Option<bool> {
        let spec = self.spec.get()?;
        let usage = self.usage.get()?;
        Some(spec == "SYMMETRIC_DEFAULT" && usage == "ENCRYPT_DECRYPT")
    }
}
