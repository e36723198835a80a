use trustmap_model::Model;

use super::bool_state;
use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_kubernetes_cluster` that keeps its local accounts:
    /// `local_account_disabled = false`, or omitted (the default is `false`).
    ///
    /// Disabling local accounts requires Entra ID integration
    /// (`azure_active_directory_role_based_access_control`).
    ///
    /// ## Why it matters
    /// With local accounts, anyone allowed to call `listClusterAdminCredential` (which
    /// includes every Contributor on the cluster's resource group or subscription) can
    /// download a static cluster-admin certificate. It bypasses Entra ID, conditional access
    /// and Kubernetes RBAC bindings to people, it does not say who used it, and it stays
    /// valid until the cluster certificates are rotated.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                = "main"
    ///   location            = "westeurope"
    ///   resource_group_name = azurerm_resource_group.main.name
    ///   dns_prefix          = "main"
    ///   # default_node_pool, identity ...
    /// }
    /// ```
    ///
    /// ## Fix
    /// ```hcl
    ///   local_account_disabled = true
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled     = true
    ///     admin_group_object_ids = [var.aks_admins_group_id]
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad>
    pub(crate) AksLocalAccountsEnabled {
        id: "AZU-AKS-002",
        name: "aks-local-accounts-enabled",
        severity: Medium,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_141"],
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for AksLocalAccountsEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for cluster in &model.azure.aks_clusters {
            let v = &cluster.local_accounts_disabled;
            match v.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(cluster.meta.span),
                Some(false) => {
                    out.report(
                        &cluster.meta,
                        v.span,
                        &v.via,
                        format!(
                            "cluster `{}` {}, so a static cluster-admin credential can be downloaded",
                            cluster.meta.address,
                            bool_state(v, "local_account_disabled")
                        ),
                    );
                }
            }
        }
    }
}
