use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_storage_account` that accepts plain HTTP: `https_traffic_only_enabled =
    /// false` (azurerm 4.0+), or `enable_https_traffic_only = false` (earlier versions).
    /// Both default to `true`.
    ///
    /// ## Why it matters
    /// Requests over HTTP carry SAS tokens, shared-key signatures and data in clear text.
    /// Anyone on the path (public Wi-Fi, a compromised network device, a misconfigured proxy)
    /// can read the data and replay the SAS token until it expires.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "data" {
    ///   name                       = "acmedata"
    ///   resource_group_name        = azurerm_resource_group.main.name
    ///   location                   = "westeurope"
    ///   account_tier               = "Standard"
    ///   account_replication_type   = "ZRS"
    ///   https_traffic_only_enabled = false
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the argument or set it to `true`:
    ///
    /// ```hcl
    ///   https_traffic_only_enabled = true
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/storage/common/storage-require-secure-transfer>
    pub(crate) StorageAccountAllowsHttp {
        id: "AZU-STORAGE-004",
        name: "storage-account-allows-http",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_3"],
            trivy: ["AVD-AZU-0008"],
            cwe: ["CWE-319"],
        },
    }
}

impl Rule for StorageAccountAllowsHttp {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for account in &model.azure.storage_accounts {
            let v = &account.https_only;
            match v.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(account.meta.span),
                Some(false) => {
                    out.report(
                        &account.meta,
                        v.span,
                        &v.via,
                        format!(
                            "storage account `{}` accepts HTTP, so tokens and data can cross the network unencrypted",
                            account.meta.address
                        ),
                    );
                }
            }
        }
    }
}
