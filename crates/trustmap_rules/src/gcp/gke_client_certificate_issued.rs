use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_container_cluster` with
    /// `master_auth.client_certificate_config.issue_client_certificate = true` (the default
    /// is `false`).
    ///
    /// ## Why it matters
    /// GKE then issues a client certificate for the cluster's admin user, stored in the
    /// cluster's `master_auth` (and in the Terraform state). It does not expire for years
    /// and cannot be revoked short of rotating the cluster's credentials, so anyone who
    /// reads it once (from the state, a CI log, a laptop) keeps administrator access to the
    /// Kubernetes API, outside IAM and its audit trail of who did what.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_container_cluster" "main" {
    ///   name     = "main"
    ///   location = "europe-west1"
    ///   master_auth {
    ///     client_certificate_config {
    ///       issue_client_certificate = true
    ///     }
    ///   }
    /// }
    /// ```
    ///
    /// ## Fix
    /// Authenticate with Google identities (`gcloud container clusters get-credentials`)
    /// and keep client certificates off:
    ///
    /// ```hcl
    ///   master_auth {
    ///     client_certificate_config {
    ///       issue_client_certificate = false
    ///     }
    ///   }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication#legacy-auth>
    pub(crate) GkeClientCertificateIssued {
        id: "GCP-GKE-002",
        name: "gke-client-certificate-issued",
        severity: Medium,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV_GCP_13"],
            trivy: ["AVD-GCP-0064"],
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for GkeClientCertificateIssued {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for cluster in &model.gcp.clusters {
            let v = &cluster.issue_client_certificate;
            match v.get() {
                None => out.unknown(),
                Some(false) => out.pass_at(cluster.meta.span),
                Some(true) => {
                    out.report(
                        &cluster.meta,
                        v.span,
                        &v.via,
                        format!(
                            "cluster `{}` issues a long-lived admin client certificate that IAM cannot revoke",
                            cluster.meta.address
                        ),
                    );
                }
            }
        }
    }
}
