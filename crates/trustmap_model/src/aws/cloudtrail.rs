//! CloudTrail trails: the audit log an incident responder reads first.

use crate::{ResourceMeta, Value};

#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct CloudTrail {
    pub trails: Vec<Trail>,
}

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Trail {
    pub meta: ResourceMeta,
    /// `is_multi_region_trail`, default `false`.
    pub multi_region: Value<bool>,
    /// `enable_log_file_validation`, default `false`.
    pub log_validation: Value<bool>,
    /// `kms_key_id`: log files encrypted with this key instead of the bucket's default.
    pub kms_key: Value<Option<String>>,
    /// `enable_logging`, default `true`.
    pub logging: Value<bool>,
}
