//! Secrets and ConfigMaps: configuration data kept in the cluster.

use trustmap_source::Span;

use super::Object;
use crate::Value;

/// A Secret.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Secret {
    pub object: Object,
    /// `type`; default `Opaque`.
    pub secret_type: Value<String>,
    /// `data` (base64) then `stringData` (plain) entries.
    pub data: Vec<DataEntry>,
}

/// A ConfigMap.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct ConfigMap {
    pub object: Object,
    /// `data` then `binaryData` (base64) entries.
    pub data: Vec<DataEntry>,
}

/// One key of `data`, `stringData` or `binaryData`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct DataEntry {
    pub key: String,
    pub key_span: Span,
    /// The value as written (still base64 when `base64` is set).
    pub value: Value<String>,
    pub base64: bool,
}
