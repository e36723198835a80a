use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_kubernetes_cluster` with Kubernetes RBAC off:
    /// `role_based_access_control_enabled = false` (azurerm 3.0+), or
    /// `role_based_access_control { enabled = false }` (2.x). The default is `true`.
    ///
    /// ## Why it matters
    /// Without RBAC the API server authorizes every authenticated request: every service
    /// account token mounted in every pod can read all Secrets, create privileged pods and
    /// take over the nodes. One compromised container becomes the whole cluster. RBAC cannot
    /// be enabled later without recreating the cluster.
    ///
    /// ## Example
    /// ```hcl
    /// resource "azurerm_kubernetes_cluster" "main" {
    ///   name                              = "main"
    ///   location                          = "westeurope"
    ///   resource_group_name               = azurerm_resource_group.main.name
    ///   dns_prefix                        = "main"
    ///   role_based_access_control_enabled = false
    ///   # default_node_pool, identity ...
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the argument (or set it to `true`), ideally with Entra ID integration:
    ///
    /// ```hcl
    ///   role_based_access_control_enabled = true
    ///   azure_active_directory_role_based_access_control {
    ///     azure_rbac_enabled = true
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/aks/concepts-identity#kubernetes-rbac>
    pub(crate) AksRbacDisabled {
        id: "AZU-AKS-001",
        name: "aks-rbac-disabled",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_5"],
            trivy: ["AVD-AZU-0042"],
            cwe: ["CWE-285"],
        },
    }
}

impl Rule for AksRbacDisabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for cluster in &model.azure.aks_clusters {
            let v = &cluster.rbac_enabled;
            match v.get() {
                None => out.unknown(),
                Some(true) => out.pass_at(cluster.meta.span),
                Some(false) => {
                    out.report(
                        &cluster.meta,
                        v.span,
                        &v.via,
                        format!(
                            "cluster `{}` disables Kubernetes RBAC, so any authenticated token can do anything in it",
                            cluster.meta.address
                        ),
                    );
                }
            }
        }
    }
}
