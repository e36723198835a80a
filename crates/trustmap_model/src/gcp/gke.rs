//! GKE clusters: control-plane authentication and exposure.

use trustmap_source::Span;

use crate::{ResourceMeta, Value};

/// A `google_container_cluster`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Cluster {
    pub meta: ResourceMeta,
    /// `enable_legacy_abac`, default `false`.
    pub legacy_abac: Value<bool>,
    /// `master_auth.client_certificate_config.issue_client_certificate`, default `false`.
    pub issue_client_certificate: Value<bool>,
    /// `private_cluster_config.enable_private_endpoint`, default `false`: when `true` the
    /// public endpoint is off.
    pub private_endpoint: Value<bool>,
    /// `control_plane_endpoints_config.ip_endpoints_config.enabled`, default `true`.
    pub ip_endpoint: Value<bool>,
    /// `master_authorized_networks_config`; `None` when the block is absent, so the public
    /// endpoint accepts any source.
    pub authorized_networks: Value<Option<AuthorizedNetworks>>,
}

/// A `master_authorized_networks_config` block.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct AuthorizedNetworks {
    pub span: Span,
    /// `cidr_blocks[].cidr_block`; none means only the nodes (and Google) can connect.
    pub cidrs: Vec<Value<String>>,
    /// `gcp_public_cidrs_access_enabled`: every Compute Engine public IP may connect.
    pub gcp_public_cidrs: Value<bool>,
}
