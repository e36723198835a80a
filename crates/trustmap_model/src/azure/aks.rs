//! AKS clusters: Kubernetes authorization and API server exposure.

use crate::{ResourceMeta, Value};

/// An `azurerm_kubernetes_cluster`.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct AksCluster {
    pub meta: ResourceMeta,
    /// `role_based_access_control_enabled` (3.0+; `role_based_access_control.enabled` in
    /// 2.x), default `true`.
    pub rbac_enabled: Value<bool>,
    /// `local_account_disabled`, default `false`: the cluster-admin client certificate
    /// (`az aks get-credentials --admin`) stays available.
    pub local_accounts_disabled: Value<bool>,
    /// `private_cluster_enabled`, default `false`.
    pub private_cluster: Value<bool>,
    /// `api_server_access_profile.authorized_ip_ranges` (4.0+) or
    /// `api_server_authorized_ip_ranges` (up to 3.x); `None` when neither is set.
    pub authorized_ip_ranges: Option<Vec<Value<String>>>,
    /// `identity`: the control plane's managed identity; `None` when absent.
    pub identity: Option<crate::azure::identity::ManagedIdentity>,
}
