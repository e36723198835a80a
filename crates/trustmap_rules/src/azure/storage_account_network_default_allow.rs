use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_storage_account` reachable from every network: its network rules (an
    /// inline `network_rules` block or an `azurerm_storage_account_network_rules`) have
    /// `default_action = "Allow"`, or it has no network rules at all, which Azure treats the
    /// same way. Accounts with `public_network_access_enabled = false` are not reported.
    ///
    /// ## Why it matters
    /// The storage endpoints then accept requests from the whole internet, and only the
    /// credentials stand in the way. Account keys and SAS tokens leak (in code, logs and
    /// shared links), and they work from anywhere; a network default of `Deny` makes a leaked
    /// key useless outside your networks.
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
    ///   # ...
    ///   network_rules {
    ///     default_action             = "Deny"
    ///     bypass                     = ["AzureServices"]
    ///     virtual_network_subnet_ids = [azurerm_subnet.app.id]
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/storage/common/storage-network-security>
    pub(crate) StorageAccountNetworkDefaultAllow {
        id: "AZU-STORAGE-003",
        name: "storage-account-network-default-allow",
        severity: Medium,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_35", "CKV_AZURE_59"],
            trivy: ["AVD-AZU-0012"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for StorageAccountNetworkDefaultAllow {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        let unjoined = model
            .azure
            .storage_network_rules
            .iter()
            .any(|r| r.account.target.is_none());
        for (i, account) in model.azure.storage_accounts.iter().enumerate() {
            match account.public_network_access.get() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(false) => {
                    out.pass_at(account.meta.span);
                    continue;
                }
                Some(true) => {}
            }
            let rules: Vec<_> = model.azure.network_rules_for(i).collect();
            if rules.is_empty() {
                if unjoined {
                    out.unknown();
                } else {
                    out.report(
                        &account.meta,
                        account.meta.span,
                        &[],
                        format!(
                            "storage account `{}` has no network rules, so it accepts requests from every network",
                            account.meta.address
                        ),
                    );
                }
                continue;
            }
            let mut found = false;
            let mut unknown = false;
            for r in rules {
                let v = &r.default_action;
                match v.get() {
                    None => unknown = true,
                    Some(a) if a.eq_ignore_ascii_case("allow") => {
                        found = true;
                        out.report(
                            &r.meta,
                            v.span,
                            &v.via,
                            format!(
                                "storage account `{}` network rules default to `Allow`, so it accepts requests from every network",
                                account.meta.address
                            ),
                        );
                    }
                    Some(_) => {}
                }
            }
            super::settle(out, account.meta.span, found, unknown);
        }
    }
}
