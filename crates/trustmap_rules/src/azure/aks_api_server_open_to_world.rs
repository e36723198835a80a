use trustmap_model::Model;
use trustmap_model::aws::ec2::is_world_cidr;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// An `azurerm_kubernetes_cluster` whose public API server accepts connections from
    /// anywhere: not a private cluster (`private_cluster_enabled`, default `false`) and no
    /// authorized IP ranges, or ranges that include `0.0.0.0/0`.
    ///
    /// The ranges are read from `api_server_access_profile.authorized_ip_ranges` (azurerm
    /// 4.0+, also accepted by late 3.x) and `api_server_authorized_ip_ranges` (up to 3.x).
    ///
    /// ## Why it matters
    /// The Kubernetes API is then one leaked kubeconfig, stolen token or API server
    /// vulnerability away from anyone on the internet, and exposed API servers are scanned
    /// for continuously. Authorized ranges add a network check in front of authentication.
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
    /// Make the cluster private, or allow only your networks:
    ///
    /// ```hcl
    ///   api_server_access_profile {
    ///     authorized_ip_ranges = ["203.0.113.0/24"] # office VPN egress
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges>
    /// - <https://learn.microsoft.com/azure/aks/private-clusters>
    pub(crate) AksApiServerOpenToWorld {
        id: "AZU-AKS-003",
        name: "aks-api-server-open-to-world",
        severity: High,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_AZURE_6", "CKV_AZURE_115"],
            trivy: ["AVD-AZU-0041", "AVD-AZU-0065"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for AksApiServerOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for cluster in &model.azure.aks_clusters {
            match cluster.private_cluster.get() {
                None => {
                    out.unknown();
                    continue;
                }
                Some(true) => {
                    out.pass_at(cluster.meta.span);
                    continue;
                }
                Some(false) => {}
            }
            let address = &cluster.meta.address;
            let ranges = match &cluster.authorized_ip_ranges {
                Some(r) if !r.is_empty() => r,
                _ => {
                    out.report(
                        &cluster.meta,
                        cluster.meta.span,
                        &[],
                        format!(
                            "cluster `{address}` has a public API server with no authorized IP ranges, so any address can reach the Kubernetes API"
                        ),
                    );
                    continue;
                }
            };
            let mut found = false;
            for r in ranges.iter().filter(|r| r.is(|s| is_world_cidr(s))) {
                found = true;
                out.report(
                    &cluster.meta,
                    r.span,
                    &r.via,
                    format!(
                        "cluster `{address}` authorizes `{}` to reach its public Kubernetes API",
                        r.get().map_or("", String::as_str)
                    ),
                );
            }
            super::settle(
                out,
                cluster.meta.span,
                found,
                ranges.iter().any(|r| r.is_unknown()),
            );
        }
    }
}
