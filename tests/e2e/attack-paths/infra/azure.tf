# Azure: the customer portal and the CI identities.

resource "azurerm_resource_group" "ledger" {
  name     = "ledger"
  location = "westeurope"
}

resource "azurerm_key_vault" "ledger" {
  name                     = "ledger-kv"
  location                 = azurerm_resource_group.ledger.location
  resource_group_name      = azurerm_resource_group.ledger.name
  tenant_id                = "00000000-0000-0000-0000-000000000000"
  sku_name                 = "standard"
  purge_protection_enabled = true
}

# Path: the portal answers on the internet and runs as its own identity, which reads the
# vault's secrets.
resource "azurerm_linux_web_app" "portal" {
  name                = "ledger-portal"
  location            = azurerm_resource_group.ledger.location
  resource_group_name = azurerm_resource_group.ledger.name
  service_plan_id     = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/ledger/providers/Microsoft.Web/serverFarms/ledger"
  https_only          = true

  site_config {}

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_role_assignment" "portal_secrets" {
  scope                = azurerm_key_vault.ledger.id
  role_definition_name = "Key Vault Secrets User"
  principal_id         = azurerm_linux_web_app.portal.identity[0].principal_id
}

resource "azurerm_storage_account" "previews" {
  name                     = "ledgerpreviews"
  resource_group_name      = azurerm_resource_group.ledger.name
  location                 = azurerm_resource_group.ledger.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_account" "backups" {
  name                     = "ledgerbackups"
  resource_group_name      = azurerm_resource_group.ledger.name
  location                 = azurerm_resource_group.ledger.location
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

# Path: the credential accepts every pull request's token, and preview.yml runs a fork's
# code on pull_request_target.
resource "azurerm_user_assigned_identity" "previews" {
  name                = "ledger-previews"
  resource_group_name = azurerm_resource_group.ledger.name
  location            = azurerm_resource_group.ledger.location
}

resource "azurerm_federated_identity_credential" "previews" {
  name                = "github-pull-requests"
  resource_group_name = azurerm_resource_group.ledger.name
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  parent_id           = azurerm_user_assigned_identity.previews.id
  subject             = "repo:acme/ledger-platform:pull_request"
}

resource "azurerm_role_assignment" "previews_blobs" {
  scope                = azurerm_storage_account.previews.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.previews.principal_id
}

# Near-miss: only this repository's main branch (azure-backup.yml, on push) signs in.
resource "azurerm_user_assigned_identity" "backups" {
  name                = "ledger-backups"
  resource_group_name = azurerm_resource_group.ledger.name
  location            = azurerm_resource_group.ledger.location
}

resource "azurerm_federated_identity_credential" "backups" {
  name                = "github-main"
  resource_group_name = azurerm_resource_group.ledger.name
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  parent_id           = azurerm_user_assigned_identity.backups.id
  subject             = "repo:acme/ledger-platform:ref:refs/heads/main"
}

resource "azurerm_role_assignment" "backups_blobs" {
  scope                = azurerm_storage_account.backups.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.backups.principal_id
}
