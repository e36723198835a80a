//! Cloud SQL instances.

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

/// A `google_sql_database_instance`, with its `settings.ip_configuration`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct SqlInstance {
    pub meta: ResourceMeta,
    /// The `ip_configuration` block, or the block that omitted it.
    pub ip_span: Span,
    /// `ipv4_enabled`: a public IPv4 address; the provider default is `true`.
    pub public_ip: Value<bool>,
    /// `authorized_networks[].value`: who may connect to the public IP.
    pub authorized_networks: Vec<Value<String>>,
    /// `ssl_mode`: `ALLOW_UNENCRYPTED_AND_ENCRYPTED` (the default), `ENCRYPTED_ONLY` or
    /// `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`. The older `require_ssl` (removed in provider
    /// 6.0) is read into the same field: `true` as `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`,
    /// `false` as `ALLOW_UNENCRYPTED_AND_ENCRYPTED`.
    pub ssl_mode: Value<String>,
}

/// The `ssl_mode` that accepts unencrypted connections.
pub const SSL_MODE_ALLOW_UNENCRYPTED: &str = "ALLOW_UNENCRYPTED_AND_ENCRYPTED";
