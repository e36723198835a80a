//! Adapter tests on evaluated Terraform: renamed arguments, defaults and joins.

use std::sync::Arc;

use trustmap_model::State;
use trustmap_model::azure::Azure;
use trustmap_model::azure::authorization::ScopeLevel;
use trustmap_source::{FileId, SourceFile};
use trustmap_terraform::TfOptions;

fn adapt(hcl: &str) -> Azure {
    let file = Arc::new(SourceFile::new(FileId(0), "main.tf", hcl.to_string()));
    let tf = trustmap_terraform::evaluate(&[file], &TfOptions::default());
    assert!(tf.diagnostics.is_empty(), "{:?}", tf.diagnostics);
    super::from_terraform(&tf)
}

#[test]
fn storage_accounts_accept_old_and_new_names() {
    let az = adapt(
        r#"
resource "azurerm_storage_account" "v3" {
  name                      = "acmev3"
  enable_https_traffic_only = false
  allow_blob_public_access  = false
}
resource "azurerm_storage_account" "v4" {
  name                       = "acmev4"
  https_traffic_only_enabled = true
  network_rules {
    default_action = "Deny"
  }
}
resource "azurerm_storage_container" "by_name" {
  name                 = "c1"
  storage_account_name = "acmev3"
}
resource "azurerm_storage_container" "by_id" {
  name               = "c2"
  storage_account_id = azurerm_storage_account.v4.id
}
resource "azurerm_storage_account_network_rules" "r" {
  storage_account_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/AcmeV3"
  default_action     = "Allow"
}
"#,
    );
    let v3 = &az.storage_accounts[0];
    assert!(v3.https_only.is_false() && v3.https_only.is_explicit());
    assert!(v3.nested_items_public.is_false());
    let v4 = &az.storage_accounts[1];
    assert_eq!(v4.nested_items_public.state, State::Default(true));
    assert_eq!(v4.min_tls_version.state, State::Default("TLS1_2".into()));
    assert_eq!(az.storage_containers[0].account.target, Some(0));
    assert_eq!(az.storage_containers[1].account.target, Some(1));
    assert_eq!(
        az.network_rules_for(0).count(),
        1,
        "joined by ID, case-insensitively"
    );
    assert_eq!(az.network_rules_for(1).count(), 1);
}

#[test]
fn role_assignment_scopes_and_roles() {
    let az = adapt(
        r#"
data "azurerm_subscription" "current" {}
data "azurerm_role_definition" "owner" {
  name = "Owner"
}
resource "azurerm_role_assignment" "a" {
  scope              = data.azurerm_subscription.current.id
  role_definition_id = data.azurerm_role_definition.owner.id
  principal_id       = "00000000-0000-0000-0000-000000000001"
}
resource "azurerm_role_assignment" "b" {
  scope              = "/subscriptions/0000/resourceGroups/rg"
  role_definition_id = "/subscriptions/0000/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c"
  principal_id       = "00000000-0000-0000-0000-000000000002"
}
"#,
    );
    let a = &az.role_assignments[0];
    assert_eq!(a.scope.get(), Some(&ScopeLevel::Subscription));
    assert_eq!(a.role.get().map(String::as_str), Some("Owner"));
    let b = &az.role_assignments[1];
    assert_eq!(b.scope.get(), Some(&ScopeLevel::ResourceGroup));
    assert_eq!(b.role.get().map(String::as_str), Some("Contributor"));
}

#[test]
fn aks_ranges_and_sql_joins() {
    let az = adapt(
        r#"
resource "azurerm_kubernetes_cluster" "v3" {
  name                            = "k3"
  api_server_authorized_ip_ranges = ["203.0.113.0/24"]
}
resource "azurerm_kubernetes_cluster" "v4" {
  name = "k4"
  api_server_access_profile {
    authorized_ip_ranges = ["198.51.100.0/24"]
  }
}
resource "azurerm_kubernetes_cluster" "none" {
  name = "k5"
}
resource "azurerm_postgresql_flexible_server" "pg" {
  name                = "pg"
  delegated_subnet_id = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/db"
}
resource "azurerm_postgresql_flexible_server_firewall_rule" "all" {
  name             = "all"
  server_id        = azurerm_postgresql_flexible_server.pg.id
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}
"#,
    );
    assert_eq!(
        az.aks_clusters[0]
            .authorized_ip_ranges
            .as_ref()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(
        az.aks_clusters[1]
            .authorized_ip_ranges
            .as_ref()
            .map(Vec::len),
        Some(1)
    );
    assert!(az.aks_clusters[2].authorized_ip_ranges.is_none());
    assert_eq!(az.aks_clusters[2].rbac_enabled.state, State::Default(true));
    assert!(az.sql_servers[0].public_network_access.is_false());
    assert_eq!(az.sql_firewall_rules[0].server.target, Some(0));
    assert_eq!(az.sql_firewall_rules[0].allows_all(), Some(true));
}

#[test]
fn identities_principals_and_federated_parents_are_joined() {
    let az = adapt(
        r#"
resource "azurerm_user_assigned_identity" "ci" {
  name = "ci"
}
resource "azurerm_linux_web_app" "shop" {
  name = "shop"
  site_config {
    ip_restriction {
      ip_address = "203.0.113.0/24"
    }
  }
  identity {
    type         = "SystemAssigned, UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.ci.id]
  }
}
resource "azurerm_windows_web_app" "plain" {
  name                          = "plain"
  public_network_access_enabled = false
}
resource "azurerm_kubernetes_cluster" "aks" {
  name = "aks"
  identity {
    type         = "UserAssigned"
    identity_ids = ["/subscriptions/0000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/ci"]
  }
}
resource "azurerm_role_assignment" "by_ref" {
  scope                = "/subscriptions/0000"
  role_definition_name = "Reader"
  principal_id         = azurerm_linux_web_app.shop.identity[0].principal_id
}
resource "azurerm_role_assignment" "by_id" {
  scope                = "/subscriptions/0000"
  role_definition_name = "Reader"
  principal_id         = "11111111-2222-3333-4444-555555555555"
}
resource "azurerm_federated_identity_credential" "gh" {
  name      = "gh"
  issuer    = "https://token.actions.githubusercontent.com"
  subject   = "repo:acme/shop:ref:refs/heads/main"
  parent_id = azurerm_user_assigned_identity.ci.id
}
"#,
    );
    assert_eq!(az.user_assigned_identities.len(), 1);
    let shop = &az.web_apps[0];
    assert!(shop.ip_restricted);
    assert_eq!(shop.public_network_access.get(), Some(&true));
    let mi = shop.identity.as_ref().expect("identity");
    assert!(mi.system_assigned());
    assert_eq!(mi.identity_ids[0].target, Some(0));
    let plain = &az.web_apps[1];
    assert!(!plain.ip_restricted && plain.identity.is_none());
    assert_eq!(plain.public_network_access.get(), Some(&false));
    // A user-assigned identity named by its resource ID joins by name.
    let aks = az.aks_clusters[0].identity.as_ref().expect("aks identity");
    assert!(!aks.system_assigned());
    assert_eq!(aks.identity_ids[0].target, Some(0));
    let p = az.role_assignments[0]
        .principal
        .as_ref()
        .expect("principal");
    assert_eq!(p.address.as_deref(), Some("azurerm_linux_web_app.shop"));
    let p = az.role_assignments[1]
        .principal
        .as_ref()
        .expect("principal");
    assert_eq!(
        (p.address.as_deref(), p.object_id.as_deref()),
        (None, Some("11111111-2222-3333-4444-555555555555"))
    );
    let cred = &az.federated_credentials[0];
    assert_eq!(cred.parent.target, Some(0));
    assert_eq!(
        cred.parent.text.as_deref(),
        Some("azurerm_user_assigned_identity.ci")
    );
}
