//! Azure rules, over the Azure model (Terraform `azurerm_*`, and `azuread_*` federated
//! credentials).
//!
//! The adapter reads every argument name the azurerm provider has used across major
//! versions, so a rule reads one field whatever version the code was written for. Where a
//! provider default changed between versions, the rule's docs say which default is assumed.

mod aks_api_server_open_to_world;
mod aks_local_accounts_enabled;
mod aks_rbac_disabled;
mod app_service_allows_anonymous_access;
mod app_service_allows_http;
mod azure_custom_role_wildcard_action;
mod azure_database_firewall_allows_all_ips;
mod azure_database_public_network_access_enabled;
mod azure_federated_credential_github_pull_request_subject;
mod azure_role_assignment_privileged_at_subscription;
mod key_vault_open_to_all_networks;
mod key_vault_purge_protection_disabled;
mod nsg_admin_port_open_to_internet;
mod nsg_all_ports_open_to_internet;
mod storage_account_allows_http;
mod storage_account_allows_public_blob_access;
mod storage_account_min_tls_below_1_2;
mod storage_account_network_default_allow;
mod storage_container_public;

pub(crate) use aks_api_server_open_to_world::AksApiServerOpenToWorld;
pub(crate) use aks_local_accounts_enabled::AksLocalAccountsEnabled;
pub(crate) use aks_rbac_disabled::AksRbacDisabled;
pub(crate) use app_service_allows_anonymous_access::AppServiceAllowsAnonymousAccess;
pub(crate) use app_service_allows_http::AppServiceAllowsHttp;
pub(crate) use azure_custom_role_wildcard_action::AzureCustomRoleWildcardAction;
pub(crate) use azure_database_firewall_allows_all_ips::DatabaseFirewallAllowsAllIps;
pub(crate) use azure_database_public_network_access_enabled::DatabasePublicNetworkAccessEnabled;
pub(crate) use azure_federated_credential_github_pull_request_subject::AzureFederatedCredentialGithubPullRequestSubject;
pub(crate) use azure_role_assignment_privileged_at_subscription::AzureRoleAssignmentPrivilegedAtSubscription;
pub(crate) use key_vault_open_to_all_networks::KeyVaultOpenToAllNetworks;
pub(crate) use key_vault_purge_protection_disabled::KeyVaultPurgeProtectionDisabled;
pub(crate) use nsg_admin_port_open_to_internet::NsgAdminPortOpenToInternet;
pub(crate) use nsg_all_ports_open_to_internet::NsgAllPortsOpenToInternet;
pub(crate) use storage_account_allows_http::StorageAccountAllowsHttp;
pub(crate) use storage_account_allows_public_blob_access::StorageAccountAllowsPublicBlobAccess;
pub(crate) use storage_account_min_tls_below_1_2::StorageAccountMinTlsBelow12;
pub(crate) use storage_account_network_default_allow::StorageAccountNetworkDefaultAllow;
pub(crate) use storage_container_public::StorageContainerPublic;

use trustmap_model::{Link, Model, Value};

use crate::Sink;

/// Records the outcome of one target that produced no finding.
fn settle(out: &mut Sink, at: trustmap_source::Span, found: bool, unknown: bool) {
    if !found {
        if unknown {
            out.unknown()
        } else {
            out.pass_at(at)
        }
    }
}

/// How a boolean got its value, for messages: "sets `x` to `false`" or "leaves `x` unset
/// (default `false`)".
fn bool_state(v: &Value<bool>, name: &str) -> String {
    let b = v.get().copied().unwrap_or_default();
    if v.is_default() {
        format!("leaves `{name}` unset (default `{b}`)")
    } else {
        format!("sets `{name}` to `{b}`")
    }
}

/// The address of a linked storage account when the scan defines it, else what the source
/// names.
fn account_label<'a>(model: &'a Model, link: &'a Link) -> &'a str {
    link.target
        .and_then(|i| model.azure.storage_accounts.get(i))
        .map_or_else(|| link.label(), |a| a.meta.address.as_str())
}
