//! AKS clusters.

use trustmap_model::Value;
use trustmap_model::azure::aks::AksCluster;

use super::Index;
use crate::terraform_read::{self as read, Blocks, attr, blocks, meta};

pub(super) fn adapt(index: &Index<'_>) -> Vec<AksCluster> {
    index
        .managed("azurerm_kubernetes_cluster")
        .iter()
        .map(|r| {
            let b = &r.body;
            // 3.0+ `role_based_access_control_enabled`; 2.x `role_based_access_control { enabled }`.
            let rbac_enabled = match (
                attr(b, "role_based_access_control_enabled"),
                blocks(b, "role_based_access_control"),
            ) {
                (Some(_), _) => read::bool_or(b, "role_based_access_control_enabled", true, r.span),
                (None, Blocks::Known(list)) if !list.is_empty() => {
                    read::bool_or(list[0], "enabled", true, list[0].span)
                }
                (None, Blocks::Unknown(span)) => Value::unknown(span),
                _ => Value::default_at(true, r.span),
            };
            // 4.0+ `api_server_access_profile.authorized_ip_ranges`; up to 3.x also
            // `api_server_authorized_ip_ranges`.
            let profile = blocks(b, "api_server_access_profile");
            let authorized_ip_ranges = match &profile {
                Blocks::Unknown(span) => Some(vec![Value::unknown(*span)]),
                _ => profile
                    .first()
                    .and_then(|p| attr(p, "authorized_ip_ranges"))
                    .or_else(|| attr(b, "api_server_authorized_ip_ranges"))
                    .map(read::strings),
            };
            AksCluster {
                meta: meta(r),
                rbac_enabled,
                local_accounts_disabled: read::bool_or(b, "local_account_disabled", false, r.span),
                private_cluster: read::bool_or(b, "private_cluster_enabled", false, r.span),
                authorized_ip_ranges,
                identity: super::identity::block(b, index),
            }
        })
        .collect()
}
