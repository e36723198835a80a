use trustmap_model::Model;

use crate::{Rule, RuleMeta, Sink, declare_rule};

declare_rule! {
    /// ## What it finds
    /// A `google_service_account_key`: a long-lived key for a service account, created by the
    /// code. When Google generates the key pair (no `public_key_data`), the private key is
    /// also written to the Terraform state.
    ///
    /// ## Why it matters
    /// Service-account keys never expire by default. They end up in CI settings, laptops and
    /// state files, and whoever finds one later is that service account, from anywhere, until
    /// someone notices and deletes the key. Leaked keys are the most common way Google Cloud
    /// projects are taken over.
    ///
    /// ## Example
    /// ```hcl
    /// resource "google_service_account_key" "ci" {
    ///   service_account_id = google_service_account.ci.name
    /// }
    /// ```
    ///
    /// ## Fix
    /// Use short-lived credentials instead: workload identity federation for CI and other
    /// clouds, an attached service account for workloads on Google Cloud, and service
    /// account impersonation for people.
    ///
    /// ```hcl
    /// resource "google_service_account_iam_member" "ci_federation" {
    ///   service_account_id = google_service_account.ci.name
    ///   role               = "roles/iam.workloadIdentityUser"
    ///   member             = "principalSet://iam.googleapis.com/${google_iam_workload_identity_pool.ci.name}/attribute.repository/acme/api"
    /// }
    /// ```
    ///
    /// ## References
    /// - <https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys>
    /// - <https://cloud.google.com/iam/docs/workload-identity-federation>
    pub(crate) GcpUserManagedServiceAccountKey {
        id: "GCP-IAM-003",
        name: "gcp-user-managed-service-account-key",
        severity: Medium,
        capability: Identity,
        languages: [Terraform],
        equivalents: {
            checkov: ["CKV2_GCP_3"],
            cwe: ["CWE-798"],
        },
    }
}

impl Rule for GcpUserManagedServiceAccountKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Sink) {
        for key in &model.gcp.service_account_keys {
            let how = match key.uploaded_public_key.get() {
                Some(Some(_)) => "uploaded",
                Some(None) => "Google-generated",
                None => "long-lived",
            };
            let at = &key.service_account;
            out.report(
                &key.meta,
                at.span,
                &at.via,
                format!(
                    "{how} key created for service account `{}`, a credential that does not expire",
                    at.label()
                ),
            );
        }
    }
}
