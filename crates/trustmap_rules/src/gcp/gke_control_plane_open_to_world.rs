use trustmap_model::Model;
use trustmap_model::gcp::is_world_cidr;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_container_cluster` whose public control-plane endpoint accepts connections
    /// from anywhere: no `master_authorized_networks_config` block, or one that lists
    /// `0.0.0.0/0` or sets `gcp_public_cidrs_access_enabled = true` (every Compute Engine
    /// public IP, so any Google Cloud customer's VM).
    ///
    /// Clusters whose public endpoint is off (`private_cluster_config.enable_private_endpoint
    /// = true`, or `control_plane_endpoints_config.ip_endpoints_config.enabled = false`) are
    /// not reported.
    ///
    /// ## Why it matters
    /// The Kubernetes API is then one stolen token, leaked kubeconfig or API server
    /// vulnerability away from anyone on the internet, and attackers scan for exposed API
    /// servers continuously. Authorized networks add a network check in front of
    /// authentication, so a leaked credential alone is not enough.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name     = "main"
    ///   location = "europe-west1"
    /// }
    /// ```
    ///
    /// ## Fix
    /// Allow only your networks (or turn the public endpoint off and use the DNS endpoint
    /// with IAM):
    ///
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name     = "main"
    ///   location = "europe-west1"
    ///   master_authorized_networks_config {
    ///     cidr_blocks {
    ///       cidr_block   = "203.0.113.0/24"
    ///       display_name = "office VPN"
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks>
    pub(crate) GkeControlPlaneOpenToWorld {
        id: "GCP-GKE-003",
        name: "gke-control-plane-open-to-world",
        severity: High,
        capability: Design,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_20", "CKV_GCP_18"],
            trivy: ["AVD-GCP-0061", "AVD-GCP-0053"],
            cwe: ["CWE-284"],
        },
    }
}

impl Rule for GkeControlPlaneOpenToWorld {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for cluster in &model.gcp.clusters {
            match (cluster.private_endpoint.get(), cluster.ip_endpoint.get()) {
                (Some(true), _) | (_, Some(false)) => {
                    out.pass_at(cluster.meta.span);
                    continue;
                }
                (Some(false), Some(true)) => {}
                _ => {
                    out.unknown();
                    continue;
                }
            }
            let an = &cluster.authorized_networks;
            let address = &cluster.meta.address;
            match an.get() {
                None => out.unknown(),
                Some(None) => {
                    out.report(
                        &cluster.meta,
                        an.span,
                        &an.via,
                        format!(
                            "cluster `{address}` has a public control-plane endpoint and no `master_authorized_networks_config`, so any address can reach the Kubernetes API"
                        ),
                    );
                }
                Some(Some(config)) => {
                    let mut found = false;
                    for cidr in config.cidrs.iter().filter(|c| c.is(|s| is_world_cidr(s))) {
                        found = true;
                        out.report(
                            &cluster.meta,
                            cidr.span,
                            &cidr.via,
                            format!(
                                "cluster `{address}` authorizes `{}` to reach its public Kubernetes API endpoint",
                                cidr.get().map_or("", String::as_str)
                            ),
                        );
                    }
                    let gcp = &config.gcp_public_cidrs;
                    if gcp.is_true() {
                        found = true;
                        out.report(
                            &cluster.meta,
                            gcp.span,
                            &gcp.via,
                            format!(
                                "cluster `{address}` lets every Compute Engine public IP reach its Kubernetes API endpoint"
                            ),
                        );
                    }
                    let unknown = gcp.is_unknown() || config.cidrs.iter().any(|c| c.is_unknown());
                    super::settle(out, cluster.meta.span, found, unknown);
                }
            }
        }
    }
}
