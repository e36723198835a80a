//! Storage accounts, their blob containers and network rules.

use trustmap_source::Span;

use crate::{Link, ResourceMeta, Value};

/// An `azurerm_storage_account`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StorageAccount {
    pub meta: ResourceMeta,
    pub name: Value<String>,
    /// `allow_nested_items_to_be_public` (azurerm 3.0+; `allow_blob_public_access` in 2.x):
    /// whether containers may opt into anonymous public read. Omitted, it is taken as `true`,
    /// the default of azurerm 3.x and 4.x (2.x defaulted to `false`, 5.0 changed back to
    /// `false`).
    pub nested_items_public: Value<bool>,
    /// `public_network_access_enabled`, default `true`.
    pub public_network_access: Value<bool>,
    /// `https_traffic_only_enabled` (4.0+; `enable_https_traffic_only` before), default
    /// `true`.
    pub https_only: Value<bool>,
    /// `min_tls_version`: `TLS1_0`, `TLS1_1` or `TLS1_2`; default `TLS1_2` since azurerm
    /// 3.0 (2.x defaulted to `TLS1_0`).
    pub min_tls_version: Value<String>,
}

/// An `azurerm_storage_container`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StorageContainer {
    pub meta: ResourceMeta,
    /// `storage_account_id` (4.x+) or `storage_account_name` (up to 4.x).
    pub account: Link,
    /// `container_access_type`: `private` (the default), `blob` (anonymous read of blobs)
    /// or `container` (anonymous read and listing).
    pub access_type: Value<String>,
}

/// Network rules of a storage account.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct StorageNetworkRules {
    /// The account (for an inline block) or the `azurerm_storage_account_network_rules`.
    pub meta: ResourceMeta,
    pub account: Link,
    /// The block or resource.
    pub span: Span,
    /// `default_action`: `Allow` or `Deny` (required).
    pub default_action: Value<String>,
}
