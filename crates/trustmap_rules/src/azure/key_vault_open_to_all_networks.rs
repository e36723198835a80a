use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_key_vault` reachable from every network: no `network_acls` block, or one
    /// with `default_action = "Allow"`. Vaults with `public_network_access_enabled = false`
    /// are not reported.
    ///
    /// ## Why it matters
    /// The vault holds the secrets every other control depends on. Open to all networks, a
    /// stolen token of any identity with access (a developer's, a pipeline's, a workload's)
    /// reads them from anywhere on the internet. A `Deny` default limits that to your
    /// networks and trusted Azure services, so a leaked credential is not enough on its own.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_key_vault" "main" {
    ///   name                     = "acme-main"
    ///   location                 = "westeurope"
    ///   resource_group_name      = azurerm_resource_group.main.name
    ///   tenant_id                = data.azurerm_client_config.current.tenant_id
    ///   sku_name                 = "standard"
    ///   purge_protection_enabled = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    ///   network_acls {
    ///     default_action             = "Deny"
    ///     bypass                     = "AzureServices"
    ///     virtual_network_subnet_ids = [azurerm_subnet.app.id]
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/key-vault/general/network-security>
    pub(crate) KeyVaultOpenToAllNetworks {
        id: "AZU-KEYVAULT-002",
        name: "key-vault-open-to-all-networks",
        severity: Medium,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_109", "CKV_AZURE_189"],
            trivy: ["AVD-AZU-0013"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for KeyVaultOpenToAllNetworks {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for vault in &model.azure.key_vaults {
            match vault.public_network_access.get() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {
                    out.pass_at(vault.meta.span);
                    continue;
                }
                Some(true) => {}
            }
            let acls = &vault.network_acls;
            match acls.get() {
                None => out.unknown(),
                Some(None) => {
                    out.report(
                        &vault.meta,
                        acls.span,
                        &acls.via,
                        format!(
                            "key vault `{}` has no `network_acls`, so it accepts requests from every network",
                            vault.meta.address
                        ),
                    );
                }
                Some(Some(n)) => {
                    let v = &n.default_action;
                    match v.get() {
                        None => out.unknown(),
                        Some(a) if a.eq_ignore_ascii_case("allow") => {
                            out.report(
                                &vault.meta,
                                v.span,
                                &v.via,
                                format!(
                                    "key vault `{}` network ACLs default to `Allow`, so it accepts requests from every network",
                                    vault.meta.address
                                ),
                            );
                        }
                        Some(_) => out.pass_at(vault.meta.span),
                    }
                }
            }
        }
    }
}
