use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_storage_account` with `min_tls_version` set to `TLS1_0` or `TLS1_1`.
    ///
    /// The default has been `TLS1_2` since azurerm 3.0 (2.x defaulted to `TLS1_0`, and 5.0
    /// no longer accepts anything below `TLS1_2`), so only an explicit older version is
    /// reported.
    ///
    /// ## Why it matters
    /// TLS 1.0 and 1.1 have known weaknesses (BEAST, weak cipher suites, SHA-1 handshakes)
    /// and let an attacker on the network force clients down to them. Azure is retiring
    /// them for storage; a client that still needs them is a client to fix.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_storage_account" "legacy" {
    ///   name                     = "acmelegacy"
    ///   resource_group_name      = azurerm_resource_group.main.name
    ///   location                 = "westeurope"
    ///   account_tier             = "Standard"
    ///   account_replication_type = "LRS"
    ///   min_tls_version          = "TLS1_0"
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    ///   min_tls_version = "TLS1_2"
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version>
    pub(crate) StorageAccountMinTlsBelow12 {
        id: "AZU-STORAGE-005",
        name: "storage-account-min-tls-below-1-2",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_44"],
            trivy: ["AVD-AZU-0011"],
            cwe: ["CWE-326"],
        },
    }
}

impl Rule for StorageAccountMinTlsBelow12 {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for account in &model.azure.storage_accounts {
            let v = &account.min_tls_version;
            match v.get().map(|s| s.trim().to_ascii_uppercase()) {
                None => out.unknown(),
                Some(t) if t == "TLS1_0" || t == "TLS1_1" => {
                    out.report(
                        &account.meta,
                        v.span,
                        &v.via,
                        format!(
                            "storage account `{}` accepts `{t}`, a TLS version with known weaknesses",
                            account.meta.address
                        ),
                    );
                }
                Some(_) => out.pass_at(account.meta.span),
            }
        }
    }
}
