//! Azure edges: a web app's managed identities, role assignments on storage accounts and
//! key vaults, and federated credentials judged against the scanned workflows.

mod common;

use common::{edges, has_edge, paths, scan_files};

const PROVIDER: &str = r#"
resource "azurerm_resource_group" "rg" {
  name     = "rg"
  location = "westeurope"
}

resource "azurerm_key_vault" "kv" {
  name                = "shop-kv"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  tenant_id           = "00000000-0000-0000-0000-000000000000"
  sku_name            = "standard"
}
"#;

fn web_app(extra: &str, role: &str) -> String {
    format!(
        r#"{PROVIDER}
resource "azurerm_linux_web_app" "shop" {{
  name                = "shop"
  location            = "westeurope"
  resource_group_name = azurerm_resource_group.rg.name
  service_plan_id     = "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  {extra}
  site_config {{}}
  identity {{
    type = "SystemAssigned"
  }}
}}

resource "azurerm_role_assignment" "shop_secrets" {{
  scope                = azurerm_key_vault.kv.id
  role_definition_name = "{role}"
  principal_id         = azurerm_linux_web_app.shop.identity[0].principal_id
}}
"#
    )
}

#[test]
fn public_web_app_reads_the_key_vault_through_its_own_identity() {
    let r = scan_files(&[("main.tf", &web_app("", "Key Vault Secrets User"))]);
    let g = &r.graph;
    assert!(
        has_edge(g, "internet", "exposes", "azurerm_linux_web_app.shop"),
        "{:#?}",
        edges(g)
    );
    assert!(has_edge(
        g,
        "azurerm_linux_web_app.shop",
        "runs-as",
        "azurerm_linux_web_app.shop#identity"
    ));
    assert!(has_edge(
        g,
        "azurerm_linux_web_app.shop#identity",
        "reads",
        "azurerm_key_vault.kv"
    ));
    assert!(
        paths(&r).iter().any(
            |p| p.ends_with("azurerm_key_vault.kv") && p.contains("azurerm_linux_web_app.shop")
        ),
        "{:#?}",
        paths(&r)
    );
}

#[test]
fn private_web_app_or_a_control_plane_role_gives_no_path() {
    let private = scan_files(&[(
        "main.tf",
        &web_app(
            "public_network_access_enabled = false",
            "Key Vault Secrets User",
        ),
    )]);
    assert!(!has_edge(
        &private.graph,
        "internet",
        "exposes",
        "azurerm_linux_web_app.shop"
    ));
    assert!(paths(&private).is_empty(), "{:#?}", paths(&private));

    let reader = scan_files(&[("main.tf", &web_app("", "Key Vault Reader"))]);
    assert!(
        !edges(&reader.graph)
            .iter()
            .any(|e| e.ends_with("azurerm_key_vault.kv")),
        "{:#?}",
        edges(&reader.graph)
    );
    assert!(paths(&reader).is_empty());
}

fn federated(subject: &str) -> String {
    format!(
        r#"
resource "azurerm_storage_account" "artifacts" {{
  name                     = "shopartifacts"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}}

resource "azurerm_user_assigned_identity" "ci" {{
  name                = "ci"
  resource_group_name = "rg"
  location            = "westeurope"
}}

resource "azurerm_federated_identity_credential" "ci" {{
  name                = "github"
  resource_group_name = "rg"
  audience            = ["api://AzureADTokenExchange"]
  issuer              = "https://token.actions.githubusercontent.com"
  parent_id           = azurerm_user_assigned_identity.ci.id
  subject             = "{subject}"
}}

resource "azurerm_role_assignment" "ci_blobs" {{
  scope                = azurerm_storage_account.artifacts.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.ci.principal_id
}}
"#
    )
}

const AZURE_LOGIN: &str = r#"
      - uses: azure/login@v2
        with:
          client-id: ${{ secrets.AZURE_CLIENT_ID }}
          tenant-id: ${{ secrets.AZURE_TENANT_ID }}
          subscription-id: ${{ secrets.AZURE_SUBSCRIPTION_ID }}
"#;

#[test]
fn a_forks_pull_request_signs_in_to_an_identity_federated_to_pull_requests() {
    let workflow = format!(
        r#"on: pull_request_target
permissions:
  id-token: write
jobs:
  preview:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: ${{{{ github.event.pull_request.head.sha }}}}
{AZURE_LOGIN}"#
    );
    let r = scan_files(&[
        ("main.tf", &federated("repo:acme/shop:pull_request")),
        (".github/workflows/preview.yml", &workflow),
    ]);
    let g = &r.graph;
    assert!(
        has_edge(
            g,
            "azurerm_user_assigned_identity.ci",
            "writes",
            "azurerm_storage_account.artifacts"
        ),
        "{:#?}",
        edges(g)
    );
    assert!(
        edges(g)
            .iter()
            .any(|e| e.ends_with("-can-assume-> azurerm_user_assigned_identity.ci")),
        "{:#?}",
        edges(g)
    );
    assert!(
        paths(&r)
            .iter()
            .any(|p| p.ends_with("azurerm_storage_account.artifacts")),
        "{:#?}",
        paths(&r)
    );
}

#[test]
fn an_identity_pinned_to_main_with_a_push_workflow_is_no_path() {
    let workflow = format!(
        r#"on:
  push:
    branches: [main]
permissions:
  id-token: write
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
{AZURE_LOGIN}"#
    );
    let r = scan_files(&[
        ("main.tf", &federated("repo:acme/shop:ref:refs/heads/main")),
        (".github/workflows/deploy.yml", &workflow),
    ]);
    let g = &r.graph;
    // The scanned repository's own main-branch job signs in: trusted, not a source.
    assert!(
        edges(g)
            .iter()
            .any(|e| e.ends_with("-can-assume-> azurerm_user_assigned_identity.ci")),
        "{:#?}",
        edges(g)
    );
    assert!(!has_edge(
        g,
        "github:any-repo",
        "can-assume",
        "azurerm_user_assigned_identity.ci"
    ));
    assert!(paths(&r).is_empty(), "{:#?}", paths(&r));

    // A token of another branch is not accepted: no edge at all.
    let other = scan_files(&[
        (
            "main.tf",
            &federated("repo:acme/shop:ref:refs/heads/release"),
        ),
        (".github/workflows/deploy.yml", &workflow),
    ]);
    assert!(
        !edges(&other.graph)
            .iter()
            .any(|e| e.ends_with("-can-assume-> azurerm_user_assigned_identity.ci")),
        "{:#?}",
        edges(&other.graph)
    );
}

fn aks_credential(subject: &str) -> String {
    format!(
        r#"
resource "azurerm_user_assigned_identity" "api" {{
  name = "api"
}}

resource "azurerm_federated_identity_credential" "api" {{
  name      = "aks-api"
  audience  = ["api://AzureADTokenExchange"]
  issuer    = "https://westeurope.oic.prod-aks.azure.com/tenant/cluster/"
  parent_id = azurerm_user_assigned_identity.api.id
  subject   = "{subject}"
}}
"#
    )
}

const API_SERVICE_ACCOUNT: &str = r#"apiVersion: v1
kind: ServiceAccount
metadata:
  name: api
  namespace: shop
  annotations:
    azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555
"#;

#[test]
fn an_aks_service_account_named_by_a_federated_credential_signs_in_as_the_identity() {
    let r = scan_files(&[
        ("main.tf", &aks_credential("system:serviceaccount:shop:api")),
        ("sa.yaml", API_SERVICE_ACCOUNT),
    ]);
    let from: Vec<String> = edges(&r.graph)
        .into_iter()
        .filter(|e| e.ends_with("-can-assume-> azurerm_user_assigned_identity.api"))
        .collect();
    assert_eq!(from.len(), 1, "{:#?}", edges(&r.graph));
    assert!(from[0].contains("api"), "{from:?}");

    // Another namespace's account is not accepted.
    let other = scan_files(&[
        (
            "main.tf",
            &aks_credential("system:serviceaccount:batch:api"),
        ),
        ("sa.yaml", API_SERVICE_ACCOUNT),
    ]);
    assert!(
        !edges(&other.graph)
            .iter()
            .any(|e| e.ends_with("-can-assume-> azurerm_user_assigned_identity.api")),
        "{:#?}",
        edges(&other.graph)
    );
}

#[test]
fn kubernetes_subjects_name_one_service_account() {
    use trustmap_graph::joins::k8s_service_account_subject as subject;
    assert_eq!(
        subject("system:serviceaccount:shop:api").as_deref(),
        Some("shop/api")
    );
    assert_eq!(subject("system:serviceaccount:shop"), None);
    assert_eq!(subject("system:serviceaccount:shop:api:extra"), None);
    assert_eq!(subject("repo:acme/shop:ref:refs/heads/main"), None);
}
