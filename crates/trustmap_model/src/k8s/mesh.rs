//! Istio security objects: mutual TLS between workloads and request authorization.

use trustmap_source::Span;

use super::{KeyValue, Object};
use crate::Value;

/// Istio's objects of the scan.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Mesh {
    pub peer_authentications: Vec<PeerAuthentication>,
    pub authorization_policies: Vec<AuthorizationPolicy>,
    pub destination_rules: Vec<DestinationRule>,
}

impl Mesh {
    pub fn extend(&mut self, other: Mesh) {
        self.peer_authentications.extend(other.peer_authentications);
        self.authorization_policies
            .extend(other.authorization_policies);
        self.destination_rules.extend(other.destination_rules);
    }

    pub fn object_count(&self) -> usize {
        self.peer_authentications.len()
            + self.authorization_policies.len()
            + self.destination_rules.len()
    }
}

/// The namespace whose selector-less policies apply to the whole mesh (Istio's default
/// root namespace).
pub const ISTIO_ROOT_NAMESPACE: &str = "istio-system";

/// `security.istio.io` PeerAuthentication: which inbound connections a workload accepts.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PeerAuthentication {
    pub object: Object,
    /// `selector.matchLabels`; empty applies to the whole namespace (or the mesh, in the
    /// root namespace).
    pub selector: Vec<KeyValue>,
    /// `mtls.mode` (`STRICT`, `PERMISSIVE`, `DISABLE`, `UNSET`); default `None`: inherited
    /// from the parent scope, and `PERMISSIVE` when no scope sets it.
    pub mode: Value<Option<String>>,
    /// `portLevelMtls` entries.
    pub port_modes: Vec<PortMtls>,
}

impl PeerAuthentication {
    /// Applies to every workload of the mesh: no selector, in the root namespace.
    pub fn is_mesh_wide(&self) -> bool {
        self.selector.is_empty() && self.object.namespace.as_deref() == Some(ISTIO_ROOT_NAMESPACE)
    }
}

/// One `portLevelMtls` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct PortMtls {
    /// The port, as written.
    pub port: String,
    pub key_span: Span,
    pub mode: Value<Option<String>>,
}

/// `security.istio.io` AuthorizationPolicy.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct AuthorizationPolicy {
    pub object: Object,
    /// `action`; default `ALLOW`, located at the spec.
    pub action: Value<String>,
    /// `spec.rules`; an `ALLOW` policy without rules matches nothing (denies all).
    pub rules: Vec<AuthorizationRule>,
    pub selector: Vec<KeyValue>,
}

/// One `rules` entry.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct AuthorizationRule {
    pub span: Span,
    /// No `from`, `to` or `when` (written `{}`): the rule matches every request.
    pub matches_everything: bool,
}

/// `networking.istio.io` DestinationRule: how clients connect to a host.
#[derive(Clone, Debug, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct DestinationRule {
    pub object: Object,
    pub host: Value<String>,
    /// Every `tls.mode` of the rule: `trafficPolicy`, its `portLevelSettings`, and subsets'.
    pub tls_modes: Vec<Value<String>>,
}
