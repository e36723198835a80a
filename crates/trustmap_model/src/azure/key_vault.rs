//! Key Vaults.

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

/// An `azurerm_key_vault`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct KeyVault {
    pub meta: ResourceMeta,
    /// `purge_protection_enabled`, default `false`.
    pub purge_protection: Value<bool>,
    /// `public_network_access_enabled`, default `true`.
    pub public_network_access: Value<bool>,
    /// `network_acls`; `None` when absent (every network may connect).
    pub network_acls: Value<Option<NetworkAcls>>,
}

/// A `network_acls` block.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct NetworkAcls {
    pub span: Span,
    /// `Allow` or `Deny` (required).
    pub default_action: Value<String>,
}
