use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_storage_account` that lets its containers be made public:
    /// `allow_nested_items_to_be_public = true` (`allow_blob_public_access` in azurerm 2.x),
    /// or the argument omitted.
    ///
    /// Provider versions disagree on the default: 2.x defaulted to `false`, 3.x and 4.x to
    /// `true`, and 5.0 changed it back to `false`. An omitted argument is reported as the
    /// 3.x/4.x default, which is what most existing code runs with; setting it explicitly
    /// documents the intent and behaves the same on every version. Accounts with public
    /// network access disabled are not reported.
    ///
    /// ## Why it matters
    /// This account-level switch is the guard rail that stops a single container setting
    /// from publishing data. While it is on, anyone who can change a container (a teammate,
    /// a script, an attacker with `Microsoft.Storage/.../containers/write`) can set its
    /// access level to `blob` or `container` and every blob in it becomes downloadable
    /// anonymously.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name                     = "acmedata"
    ///   resource_group_name      = azurerm_resource_group.main.name
    ///   location                 = "westeurope"
    ///   account_tier             = "Standard"
    ///   account_replication_type = "ZRS"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name                            = "acmedata"
    ///   resource_group_name             = azurerm_resource_group.main.name
    ///   location                        = "westeurope"
    ///   account_tier                    = "Standard"
    ///   account_replication_type        = "ZRS"
    ///   allow_nested_items_to_be_public = false
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/storage/blobs/anonymous-read-access-prevent>
    pub(crate) StorageAccountAllowsPublicBlobAccess {
        id: "AZU-STORAGE-001",
        name: "storage-account-allows-public-blob-access",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_190", "CKV2_AZURE_47"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for StorageAccountAllowsPublicBlobAccess {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for account in &model.azure.storage_accounts {
            if account.public_network_access.is_false() {
                out.pass_at(account.meta.span);
                continue;
            }
            let v = &account.nested_items_public;
            match v.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(account.meta.span),
                Some(true) => {
                    let state = if v.is_default() {
                        "leaves `allow_nested_items_to_be_public` unset (default `true` in azurerm 3.x and 4.x)"
                    } else {
                        "allows nested items to be public"
                    };
                    out.report(
                        &account.meta,
                        v.span,
                        &v.via,
                        format!(
                            "storage account `{}` {state}, so any container in it can be made readable anonymously",
                            account.meta.address
                        ),
                    );
                }
            }
        }
    }
}
