use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_container_cluster` with `enable_legacy_abac = true` (the default is
    /// `false`).
    ///
    /// ## Why it matters
    /// Legacy ABAC grants static, broad permissions next to RBAC: on clusters that used it,
    /// service accounts, nodes and controllers can do far more than their RBAC roles say,
    /// including reading Secrets cluster-wide. A compromised pod's token is then enough to
    /// take over the cluster, and RBAC reviews show none of it.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name               = "main"
    ///   location           = "europe-west1"
    ///   enable_legacy_abac = true
    /// }
    /// ```
    ///
    /// ## Fix
    /// Remove the argument (or set it to `false`) and grant what workloads need with RBAC:
    ///
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name     = "main"
    ///   location = "europe-west1"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#leave_abac_disabled_default_for_110>
    pub(crate) GkeLegacyAbacEnabled {
        id: "GCP-GKE-001",
        name: "gke-legacy-abac-enabled",
        severity: High,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_7"],
            trivy: ["AVD-GCP-0062"],
            cwe: ["CWE-285"],
        },
    }
}

impl Rule for GkeLegacyAbacEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for cluster in &model.gcp.clusters {
            let v = &cluster.legacy_abac;
            match v.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(cluster.meta.span),
                Some(true) => {
                    out.report(
                        &cluster.meta,
                        v.span,
                        &v.via,
                        format!(
                            "cluster `{}` enables legacy ABAC, which grants permissions beyond what RBAC shows",
                            cluster.meta.address
                        ),
                    );
                }
            }
        }
    }
}
