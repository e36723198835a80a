//! Azure resources adapted from Terraform (`azurerm_*`, and `azuread_*` where it grants
//! access to Azure).
//!
//! The azurerm provider renamed many arguments between major versions (2.x → 3.0 → 4.0 →
//! 5.0) and changed a few defaults; the adapter reads every name a supported version
//! accepts, and the field docs below say which default is assumed. Split resources (a
//! container and its storage account, a firewall rule and its server, separate network
//! rules) are joined with a [`Link`].
//!
//! [`Link`]: crate::Link

pub mod aks;
pub mod app_service;
pub mod authorization;
pub mod identity;
pub mod key_vault;
pub mod network;
pub mod sql;
pub mod storage;

/// Everything Azure in one scan.
#[derive(Debug, Default, serde::Serialize, schemars::JsonSchema)]
pub struct Azure {
    pub storage_accounts: Vec<storage::StorageAccount>,
    pub storage_containers: Vec<storage::StorageContainer>,
    /// Network rules of storage accounts, inline `network_rules` blocks and
    /// `azurerm_storage_account_network_rules`.
    pub storage_network_rules: Vec<storage::StorageNetworkRules>,
    /// Network security group rules, inline `security_rule` blocks and
    /// `azurerm_network_security_rule`.
    pub nsg_rules: Vec<network::NsgRule>,
    pub role_assignments: Vec<authorization::RoleAssignment>,
    pub role_definitions: Vec<authorization::RoleDefinition>,
    pub federated_credentials: Vec<authorization::FederatedCredential>,
    pub user_assigned_identities: Vec<identity::UserAssignedIdentity>,
    pub key_vaults: Vec<key_vault::KeyVault>,
    pub aks_clusters: Vec<aks::AksCluster>,
    pub web_apps: Vec<app_service::WebApp>,
    pub sql_servers: Vec<sql::SqlServer>,
    pub sql_firewall_rules: Vec<sql::SqlFirewallRule>,
}

impl Azure {
    /// Number of adapted Azure objects (for statistics).
    pub fn object_count(&self) -> usize {
        self.storage_accounts.len()
            + self.storage_containers.len()
            + self.storage_network_rules.len()
            + self.nsg_rules.len()
            + self.role_assignments.len()
            + self.role_definitions.len()
            + self.federated_credentials.len()
            + self.user_assigned_identities.len()
            + self.key_vaults.len()
            + self.aks_clusters.len()
            + self.web_apps.len()
            + self.sql_servers.len()
            + self.sql_firewall_rules.len()
    }

    /// The network rules that apply to storage account `i`.
    pub fn network_rules_for(
        &self,
        i: usize,
    ) -> impl Iterator<Item = &storage::StorageNetworkRules> {
        self.storage_network_rules
            .iter()
            .filter(move |r| r.account.target == Some(i))
    }
}

/// Whether an address prefix means "anywhere on the internet": `*`, `Any`, `Internet`,
/// `0.0.0.0/0` or `::/0`.
pub fn is_internet_prefix(prefix: &str) -> bool {
    let p = prefix.trim();
    p == "*"
        || p.eq_ignore_ascii_case("any")
        || p.eq_ignore_ascii_case("internet")
        || crate::aws::ec2::is_world_cidr(p)
}
