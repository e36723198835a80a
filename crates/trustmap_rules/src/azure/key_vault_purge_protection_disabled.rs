use trustmap_model::Model;

use super::bool_state;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_key_vault` without purge protection: `purge_protection_enabled = false`,
    /// or omitted (the default is `false`).
    ///
    /// ## Why it matters
    /// Soft delete keeps deleted keys, secrets and vaults for a retention period, but without
    /// purge protection anyone with the purge permission can erase them for good at once. An
    /// attacker (or a ransomware crew) who reaches an identity with that permission can
    /// destroy the keys that encrypt your storage accounts, disks and databases, and with
    /// them the data: there is nothing left to restore.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                = "acme-main"
    ///   location            = "westeurope"
    ///   resource_group_name = azurerm_resource_group.main.name
    ///   tenant_id           = data.azurerm_client_config.current.tenant_id
    ///   sku_name            = "standard"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Turn it on (it cannot be turned off again, which is the point):
    ///
    /// ```hcl
    ///   purge_protection_enabled   = true
    ///   soft_delete_retention_days = 90
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview#purge-protection>
    pub(crate) KeyVaultPurgeProtectionDisabled {
        id: "AZU-KEYVAULT-001",
        name: "key-vault-purge-protection-disabled",
        severity: Medium,
        capability: Iac,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_110", "CKV_AZURE_42"],
            trivy: ["AVD-AZU-0016"],
            cwe: ["CWE-693"],
        },
    }
}

impl Rule for KeyVaultPurgeProtectionDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for vault in &model.azure.key_vaults {
            let v = &vault.purge_protection;
            match v.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(vault.meta.span),
                Some(false) => {
                    out.report(
                        &vault.meta,
                        v.span,
                        &v.via,
                        format!(
                            "key vault `{}` {}, so its keys and secrets can be purged for good right after deletion",
                            vault.meta.address,
                            bool_state(v, "purge_protection_enabled")
                        ),
                    );
                }
            }
        }
    }
}
