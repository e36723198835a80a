//! Terraform → Azure model.
//!
//! Each service module reads its resource types from the shared [`Index`], which groups the
//! evaluated resources by type and resolves references between them (see [`TARGETS`]).
//! Provider defaults are filled in here, located at the block that omitted them; where the
//! azurerm provider renamed an argument between major versions, every name is read.
//!
//! [`Index`]: crate::terraform_join::Index

mod aks;
mod app_service;
mod authorization;
mod identity;
mod key_vault;
mod network;
mod sql;
mod storage;

#[cfg(test)]
mod tests;

use trustmap_model::azure::Azure;
use trustmap_terraform::{Mode, TfOutput};

use crate::terraform_join::{self, JoinTarget, Row};

/// What a reference can point at; each is one list of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Target {
    StorageAccount,
    SecurityGroup,
    SqlServer,
    UserAssignedIdentity,
}

/// The join table, in model-list order (`sql::SERVERS` lists the server types in the same
/// order).
const TARGETS: &[Row<Target>] = &[
    (
        Target::StorageAccount,
        Mode::Managed,
        "azurerm_storage_account",
        Some("name"),
    ),
    (
        Target::SecurityGroup,
        Mode::Managed,
        "azurerm_network_security_group",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_mssql_server",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_sql_server",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_postgresql_server",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_postgresql_flexible_server",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_mysql_server",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_mysql_flexible_server",
        Some("name"),
    ),
    (
        Target::SqlServer,
        Mode::Managed,
        "azurerm_mariadb_server",
        Some("name"),
    ),
    (
        Target::UserAssignedIdentity,
        Mode::Managed,
        "azurerm_user_assigned_identity",
        Some("name"),
    ),
];

impl JoinTarget for Target {
    /// A name, or the last segment of a resource ID
    /// (`/subscriptions/…/providers/Microsoft.Storage/storageAccounts/logs` → `logs`).
    fn key(self, literal: &str) -> Option<String> {
        let s = literal.trim().trim_end_matches('/');
        let name = if s.starts_with('/') {
            s.rsplit('/').next().unwrap_or(s)
        } else {
            s
        };
        // Azure names of these resources are case-insensitive.
        (!name.is_empty()).then(|| name.to_ascii_lowercase())
    }
}

pub(crate) type Index<'a> = terraform_join::Index<'a, Target>;

/// Builds the Azure model from evaluated Terraform.
pub fn from_terraform(tf: &TfOutput) -> Azure {
    let index = Index::new(&tf.resources, TARGETS);
    let (storage_accounts, storage_containers, storage_network_rules) = storage::adapt(&index);
    let (role_assignments, role_definitions, federated_credentials) = authorization::adapt(&index);
    let (sql_servers, sql_firewall_rules) = sql::adapt(&index);
    Azure {
        storage_accounts,
        storage_containers,
        storage_network_rules,
        nsg_rules: network::adapt(&index),
        role_assignments,
        role_definitions,
        federated_credentials,
        user_assigned_identities: identity::adapt(&index),
        key_vaults: key_vault::adapt(&index),
        aks_clusters: aks::adapt(&index),
        web_apps: app_service::adapt(&index),
        sql_servers,
        sql_firewall_rules,
    }
}
